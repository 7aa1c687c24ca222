"""Small widgets of the designer: a field with its problems, texts in two languages, inputs
bound to one attribute of the model.

Every input is registered under the field path of the template file that it edits
(``blocks[0].questions[1].max``, ``title.nl``): tests reach it with :meth:`Fields.input`, and
a problem that :func:`~netwerk_widgets.designer.model.check` reports for a path is shown in
the nearest :class:`FieldBox` around it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from ..errors import TemplateError
from ..messages import Messages
from ..templates import LANGUAGES
from .model import TemplateDraft, TextDraft

ERROR_COLOUR = "#b00020"

# Layouts and styles are widget models too: the editors share them (never change one).
BOX = w.Layout(margin="0 0 6px 0", width="100%")
INLINE_BOX = w.Layout(margin="0 0 6px 0", flex="1 1 auto", width="auto")
PLAIN = w.Layout()
HALF = w.Layout(flex="1 1 50%", width="auto")
FULL = w.Layout(width="100%")
ROW = w.Layout(flex_flow="row wrap", width="100%", align_items="flex-start", grid_gap="0 12px")
AUTO = w.Layout(width="auto")
FRAME = w.Layout(border="1px solid #ccc", padding="6px", margin="0 0 6px 0", width="100%")
LANGUAGE_STYLE = TextStyle(description_width="2.2em")


HTML_STYLE = HTMLStyle()
BUTTON_STYLE = w.ButtonStyle()


def markup(value: str = "", **kwargs: Any) -> w.HTML:
    """An HTML widget with the shared layout and style (``value`` is markup: escape texts)."""
    kwargs.setdefault("layout", PLAIN)
    return w.HTML(value, style=HTML_STYLE, **kwargs)


def width(size: str) -> w.Layout:
    """A shared layout of this width (``"8em"``)."""
    if size not in _WIDTHS:
        _WIDTHS[size] = w.Layout(width=size)
    return _WIDTHS[size]


_WIDTHS: dict[str, w.Layout] = {}


def css_name(path: str, prefix: str = "nw-f-") -> str:
    """A CSS class for the field box at ``path`` (``nw-f-blocks-0-questions-1-max``); with
    ``prefix="nw-i-"`` for its input."""
    return prefix + re.sub(r"[^A-Za-z0-9]+", "-", path).strip("-")


def within(field_path: str, path: str) -> bool:
    """Whether ``field_path`` is ``path`` or lies inside it."""
    return field_path == path or field_path.startswith((f"{path}.", f"{path}["))


class FieldBox(w.VBox):
    """A field: its label, its input(s), and the problems found there (in red, under it).

    Attributes
    ----------
    path : str
        The field path of the template file this box stands for.
    problems : list of str
        The problems shown now.
    """

    def __init__(
        self,
        path: str,
        label: str,
        content: w.Widget,
        *,
        inline: bool = False,
        section: bool = False,
        layout: w.Layout | None = None,
    ) -> None:
        self.path = path
        self.section = section
        self.problems: list[str] = []
        self._error: w.HTML | None = None
        parts: list[w.Widget] = []
        if label:
            parts.append(markup(f"<b>{html.escape(label)}</b>"))
        parts.append(content)
        self._parts = parts
        super().__init__(parts, layout=layout or (INLINE_BOX if inline else BOX))
        self.add_class("nw-field")
        self.add_class(css_name(path))

    @property
    def error(self) -> w.HTML:
        """The problems under the field (made when first needed: fewer widgets)."""
        if self._error is None:
            self._error = markup()
            self._error.add_class("nw-field-error")
            self.children = [*self._parts, self._error]
        return self._error

    def set_problems(self, problems: list[str]) -> None:
        if problems == self.problems:
            return
        self.problems = problems
        if problems:
            items = "".join(f"<div>⚠ {html.escape(p)}</div>" for p in problems)
            self.error.value = f'<div style="color:{ERROR_COLOUR};font-weight:600">{items}</div>'
            if not self.section:  # a section holds other fields: those are not all wrong
                self.add_class("nw-invalid")
        else:
            self.error.value = ""
            self.remove_class("nw-invalid")


class Fields:
    """The inputs and field boxes of the editors on screen, by field path."""

    def __init__(self) -> None:
        self.inputs: dict[str, w.Widget] = {}
        self.boxes: dict[str, FieldBox] = {}

    def input(self, path: str) -> Any:
        """The input widget that edits ``path`` (``KeyError`` when it is not on screen)."""
        return self.inputs[path]

    def forget(self, prefix: str) -> None:
        """Drop the inputs and boxes at ``prefix`` and inside it (their editor is rebuilt)."""
        for registry in (self.inputs, self.boxes):
            for path in [p for p in registry if within(p, prefix) or not prefix]:
                del registry[path]

    def box_for(self, field_path: str) -> FieldBox | None:
        """The innermost field box on screen that ``field_path`` lies in."""
        best: FieldBox | None = None
        for path, box in self.boxes.items():
            if within(field_path, path) and (best is None or len(path) > len(best.path)):
                best = box
        return best

    def show(self, problems: Iterable[TemplateError]) -> dict[str, list[str]]:
        """Put each problem in its field box; what each box (by path) shows now."""
        shown: dict[str, list[str]] = {}
        for problem in problems:
            box = self.box_for(problem.field)
            if box is not None:
                shown.setdefault(box.path, []).append(problem.problem)
        for path, box in self.boxes.items():
            box.set_problems(shown.get(path, []))
        return shown


@dataclass
class Context:
    """What every editor needs: texts, the registry, the draft and what to do on a change.

    ``changed`` is called after a value changed (check again, new preview); ``restructure``
    after parts were added, removed or moved, or a kind changed (the editors are rebuilt).
    """

    m: Messages
    fields: Fields
    draft: TemplateDraft
    changed: Callable[[], None]
    restructure: Callable[[], None]
    prefixes: Mapping[str, str]

    def box(
        self,
        path: str,
        label: str,
        content: w.Widget,
        *,
        inline: bool = False,
        section: bool = False,
        layout: w.Layout | None = None,
    ) -> FieldBox:
        box = FieldBox(path, label, content, inline=inline, section=section, layout=layout)
        self.fields.boxes[path] = box
        return box

    def register(self, path: str, widget: w.Widget) -> w.Widget:
        self.fields.inputs[path] = widget
        widget.add_class(css_name(path, "nw-i-"))
        return widget


def text_pair(
    ctx: Context,
    path: str,
    text: TextDraft,
    label: str,
    *,
    multiline: bool = False,
    layout: w.Layout | None = None,
) -> FieldBox:
    """A text in Dutch and English, side by side; both edit ``text`` while typing."""
    inputs = []
    for language in LANGUAGES:
        kind = w.Textarea if multiline else w.Text
        widget = kind(
            value=getattr(text, language),
            description=ctx.m(f"designer.{language}"),
            continuous_update=True,
            layout=HALF,
            style=LANGUAGE_STYLE,
        )
        if multiline:
            widget.rows = 3

        def on_change(change: dict[str, Any], language: str = language) -> None:
            setattr(text, language, change["new"])
            ctx.changed()

        widget.observe(on_change, names="value")
        inputs.append(ctx.register(f"{path}.{language}", widget))
    return ctx.box(path, label, w.HBox(inputs, layout=FULL), layout=layout)


def bound(
    ctx: Context,
    path: str,
    widget: w.Widget,
    target: Any,
    attribute: str,
    label: str,
    *,
    convert: Callable[[Any], Any] | None = None,
    after: Callable[[], None] | None = None,
    inline: bool = True,
) -> FieldBox:
    """``widget`` editing ``target.attribute`` (or ``target[attribute]`` for a dict)."""
    widget.value = target[attribute] if isinstance(target, dict) else getattr(target, attribute)

    def on_change(change: dict[str, Any]) -> None:
        value = change["new"] if convert is None else convert(change["new"])
        if isinstance(target, dict):
            target[attribute] = value
        else:
            setattr(target, attribute, value)
        (after or ctx.changed)()

    widget.observe(on_change, names="value")
    ctx.register(path, widget)
    return ctx.box(path, label, widget, inline=inline)


def id_input(
    ctx: Context, path: str, value: str, label: str, rename: Callable[[str], None]
) -> FieldBox:
    """An id: changed when the trainer leaves the field, and followed where it is used."""
    widget = w.Text(value=value, continuous_update=False, layout=width("12em"))

    def on_change(change: dict[str, Any]) -> None:
        rename(change["new"].strip())
        ctx.restructure()

    widget.observe(on_change, names="value")
    ctx.register(path, widget)
    return ctx.box(path, label, widget, inline=True)


def small_button(
    text: str, action: Callable[[], None], *, style: str = "", tooltip: str = ""
) -> w.Button:
    button = w.Button(
        description=text, button_style=style, tooltip=tooltip, layout=AUTO, style=BUTTON_STYLE
    )
    button.on_click(lambda _button: action())
    return button


def row(children: list[w.Widget]) -> w.HBox:
    return w.HBox(children, layout=ROW)


def short(text: str, length: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def message_html(text: str, tone: str = "info") -> str:
    colour = {"error": ERROR_COLOUR, "ok": "#1b5e20", "info": "#333"}[tone]
    return f'<div style="color:{colour};margin:4px 0">{html.escape(text)}</div>'


class Confirm(w.HBox):
    """A question with a yes and a no button, shown until one is clicked.

    Attributes
    ----------
    yes, no : ipywidgets.Button
    question : str
        What is asked now ('' when nothing is).
    """

    def __init__(self, m: Messages) -> None:
        self.text = markup()
        self.yes = w.Button(button_style="danger", layout=AUTO, style=BUTTON_STYLE)
        self.no = w.Button(description=m("designer.confirm_no"), layout=AUTO, style=BUTTON_STYLE)
        self.question = ""
        self._action: Callable[[], None] | None = None
        self.yes.on_click(lambda _button: self._answer(True))
        self.no.on_click(lambda _button: self._answer(False))
        super().__init__(
            [self.text, self.yes, self.no],
            layout=w.Layout(display="none", align_items="center", grid_gap="0 8px"),
        )
        self.add_class("nw-confirm")

    def ask(self, question: str, yes: str, action: Callable[[], None]) -> None:
        self.question = question
        self.text.value = f'<b style="color:#8a5300">{html.escape(question)}</b>'
        self.yes.description = yes
        self._action = action
        self.layout.display = "flex"

    def _answer(self, yes: bool) -> None:
        action, self._action, self.question = self._action, None, ""
        self.layout.display = "none"
        if yes and action is not None:
            action()


class Defaulting(dict):
    """A view of a dict whose missing keys read as '' (for dropdowns of optional settings)."""

    def __init__(self, target: dict[str, Any]) -> None:
        super().__init__()
        self.target = target

    def __getitem__(self, key: str) -> Any:
        return self.target.get(key, "")

    def __setitem__(self, key: str, value: Any) -> None:
        if value in ("", None):
            self.target.pop(key, None)
        else:
            self.target[key] = value
