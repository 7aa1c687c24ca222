"""Presentation mode: one block's group results at a time, in large type, for the projector.

The trainer screen shows its results view under this bar, with the page's type enlarged
(at least 24 px) and charts sized to the screen. "Vorige" and "Volgende" step through the
blocks; the arrow keys and a presenter clicker (Page Up / Page Down) press them (the page
script ``share/voila/templates/netwerk/presenter.js``). The block's sharing with
the participants is shown and can be switched here; a running timer shows in large type.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ..follow import TIMER_STYLE, timer_html
from ..workshop import current_timer
from ._controls import following

if TYPE_CHECKING:
    from .screen import TrainerScreen


class PresentationBar(w.VBox):
    """Previous and next, the block's title and sharing, and the timer, above the results."""

    def __init__(self, screen: TrainerScreen) -> None:
        self.screen = screen
        m = screen.m
        self.previous = w.Button(
            description=m("workshop.present.previous"), layout=w.Layout(width="auto")
        )
        self.previous.add_class("nw-present-prev")
        self.next = w.Button(
            description=m("workshop.present.next"),
            button_style="primary",
            layout=w.Layout(width="auto"),
        )
        self.next.add_class("nw-present-next")
        self.previous.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(1))
        self.reveal = w.ToggleButton(layout=w.Layout(width="auto"))
        self.reveal.add_class("nw-present-reveal")
        self.reveal.observe(self._on_change_reveal, names="value")
        self.fullscreen = w.Button(
            description=m("workshop.present.fullscreen"), layout=w.Layout(width="auto")
        )
        self.fullscreen.add_class("nw-present-fullscreen")
        self.position = w.HTML()
        self.title = w.HTML()
        self.title.add_class("nw-present-title")
        self.timer = w.HTML()
        self._updating = False
        row = w.Layout(flex_flow="row wrap", align_items="center", width="100%")
        super().__init__(
            [
                w.HTML(STYLE + TIMER_STYLE),
                w.HBox(
                    [self.previous, self.next, self.position, self.reveal, self.fullscreen],
                    layout=row,
                ),
                self.title,
                self.timer,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("nw-present")

    @property
    def blocks(self) -> list[str]:
        return [b.id for b in self.screen.template.blocks]

    def step(self, offset: int) -> None:
        """Show the previous (-1) or next (+1) block's results."""
        ids = self.blocks
        index = min(max(ids.index(self.screen.block.value) + offset, 0), len(ids) - 1)
        self.screen.block.value = ids[index]  # the screen shows its results and calls update

    def update(self) -> None:
        """Title, position, sharing and timer of the block on screen."""
        screen, m = self.screen, self.screen.m
        block_id = screen.block.value
        ids = self.blocks
        index = ids.index(block_id)
        title = screen.template.t(screen.template.block(block_id).title)
        value = f"<h1>{html.escape(title)}</h1>"
        if self.title.value != value:
            self.title.value = value
        position = (
            f'<span class="nw-present-position">'
            f"{html.escape(m('workshop.present.step', i=index + 1, n=len(ids)))}</span>"
        )
        if self.position.value != position:
            self.position.value = position
        self.previous.disabled = index == 0
        self.next.disabled = index == len(ids) - 1
        shared = block_id in screen.revealed
        with following(self, "_updating"):
            self.reveal.value = shared
        self.reveal.description = m("trainer.shared") if shared else m("trainer.share")
        self.reveal.button_style = "success" if shared else ""
        self.update_timer()

    def update_timer(self) -> None:
        screen = self.screen
        assert screen.session is not None
        value = timer_html(current_timer(screen.store, screen.session.code), screen.m, large=True)
        if self.timer.value != value:
            self.timer.value = value

    def _on_change_reveal(self, change: dict[str, Any]) -> None:
        if self._updating:
            return
        control = self.screen.controls[self.screen.block.value]
        control.reveal.value = change["new"]  # writes the event, as the overview's switch
        self.screen.revealed = self.screen.store.revealed_blocks(self.screen.session.code)
        self.update()


STYLE = (
    "<style>"
    # Important: these win over the phone layout's 16 px controls (netwerk-phone.html.j2).
    ".nw-presenting{font-size:28px!important;line-height:1.35!important}"
    ".nw-presenting .widget-button,.nw-presenting .widget-toggle-button,"
    ".nw-presenting .jupyter-button{font-size:24px!important;height:auto!important;"
    "min-height:44px!important;padding:4px 18px!important;line-height:1.3!important}"
    ".nw-presenting .widget-html-content,.nw-presenting .widget-label{font-size:28px!important;"
    "line-height:1.35!important}"
    ".nw-presenting .nw-present-title h1{font-size:48px!important;margin:8px 0 4px!important}"
    ".nw-presenting .nw-present-position{font-size:24px!important;margin:0 16px!important;"
    "color:#333!important}"
    ".nw-presenting .nw-results h4{font-size:34px!important;margin:18px 0 6px!important}"
    ".nw-presenting .nw-table td,.nw-presenting .nw-table th{font-size:26px!important;"
    "padding:6px 10px!important}"
    ".nw-presenting .nw-note,.nw-presenting .nw-warning{font-size:28px!important}"
    # Charts twice as large and more: their 11 px labels read as 24 px, and a chart never
    # gets wider than the screen (its SVG keeps max-width:100% of the zoomed box).
    ".nw-presenting .nw-chart{zoom:2.2!important}"
    ".nw-presenting .nw-switch .widget-toggle-button{font-size:24px!important}"
    "body:has(.nw-presenting) #rendered_cells>div{max-width:none!important}"
    "</style>"
)
