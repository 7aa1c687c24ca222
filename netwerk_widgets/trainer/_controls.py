"""Small controls the trainer's views share: buttons, a block chooser, quiet updates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import ipywidgets as w

from ..templates import Template

WIDE = {"description_width": "initial"}
ROW = w.Layout(flex_flow="row wrap", align_items="center")


def action_button(
    text: str, on_click: Callable[[], object], *, style: str = "", css: str = ""
) -> w.Button:
    """A button as wide as its text that calls ``on_click()``."""
    button = w.Button(description=text, button_style=style, layout=w.Layout(width="auto"))
    if css:
        button.add_class(css)
    button.on_click(lambda _button: on_click())
    return button


def block_dropdown(template: Template, description: str, css: str) -> w.Dropdown:
    """A choice of the template's blocks, by title."""
    dropdown = w.Dropdown(
        options=[(template.t(b.title), b.id) for b in template.blocks],
        description=description,
        style=WIDE,
        layout=w.Layout(width="100%", max_width="560px"),
    )
    dropdown.add_class(css)
    return dropdown


@contextmanager
def following(owner: object, flag: str) -> Iterator[None]:
    """Set ``owner.<flag>`` while a widget shows the store's state, so that its observer
    knows the change is not a click to write back."""
    setattr(owner, flag, True)
    try:
        yield
    finally:
        setattr(owner, flag, False)
