"""Running the workshop from the trainer screen: "Iedereen naar ..." and the timer.

Both are appended events (:mod:`netwerk_widgets.workshop`); participants' pages read them
every few seconds (:mod:`netwerk_widgets.follow`).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..errors import NetwerkError
from ..follow import timer_html
from ..messages import Messages
from ..question_views import text_html
from ..store import Store
from ..templates import Template
from ..workshop import current_pace, current_timer, send_everyone, start_timer, stop_timer
from ._controls import ROW, WIDE, action_button, block_dropdown


class FlowPanel(w.VBox):
    """Send everyone to a block, and time an exchange round.

    Attributes
    ----------
    target : w.Dropdown
        The block to send everyone to.
    timer_text : w.HTML
        The timer as the projector shows it (``mm:ss`` and the topic).
    """

    def __init__(
        self, store: Store, code: str, template: Template, m: Messages, screen: str
    ) -> None:
        self.store, self.code, self.template, self.m, self.screen = (
            store,
            code,
            template,
            m,
            screen,
        )
        self.target = block_dropdown(template, m("workshop.flow.block"), "nw-flow-target")
        self.lock = w.Checkbox(value=False, description=m("workshop.flow.lock"), indent=False)
        self.send = action_button(
            m("workshop.flow.send"), self.send_everyone, style="warning", css="nw-flow-send"
        )
        self.sent = w.HTML()
        rounds = [(template.t(r.topic), (r.minutes, template.t(r.topic))) for r in template.rounds]
        self.round = w.Dropdown(
            options=[*rounds, (m("workshop.timer.own_topic"), (4, ""))],
            description=m("workshop.timer.round"),
            style=WIDE,
            layout=w.Layout(width="100%", max_width="760px"),
        )
        self.round.observe(self._on_change_round, names="value")
        self.minutes = w.BoundedIntText(
            value=4,
            min=1,
            max=120,
            description=m("workshop.timer.minutes"),
            style=WIDE,
            layout=w.Layout(width="12em"),
        )
        self.topic = w.Text(
            description=m("workshop.timer.topic"),
            style=WIDE,
            layout=w.Layout(width="100%", max_width="760px"),
        )
        self.start = action_button(
            m("workshop.timer.start"), self.start_timer, style="primary", css="nw-timer-start"
        )
        self.stop = action_button(m("workshop.timer.stop"), self.stop_timer, css="nw-timer-stop")
        self.timer_text = w.HTML()
        self.timer_text.add_class("nw-timer")
        self.message = w.HTML()
        self._on_change_round()
        super().__init__(
            [
                w.HTML(text_html(m("workshop.flow.heading"), "h3")),
                w.HBox([self.target, self.lock, self.send], layout=ROW),
                self.sent,
                w.HTML(text_html(m("workshop.timer.heading"), "h3")),
                self.round,
                w.HBox([self.minutes, self.start, self.stop], layout=ROW),
                self.topic,
                self.timer_text,
                self.message,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("nw-flow")
        self.update()

    def _on_change_round(self, _change: Any = None) -> None:
        minutes, topic = self.round.value
        self.minutes.value = minutes
        self.topic.value = topic

    def send_everyone(self) -> None:
        """ "Iedereen naar ...": every participant's page moves to the chosen block."""
        self._run(
            lambda: send_everyone(
                self.store, self.code, self.target.value, lock=self.lock.value, screen=self.screen
            )
        )

    def start_timer(self) -> None:
        self._run(
            lambda: start_timer(
                self.store, self.code, self.minutes.value, self.topic.value, screen=self.screen
            )
        )

    def stop_timer(self) -> None:
        self._run(lambda: stop_timer(self.store, self.code, screen=self.screen))

    def _run(self, action: Any) -> None:
        try:
            action()
        except NetwerkError as exc:
            self.message.value = text_html(exc.text(self.m.language), "p", "color:#b00020")
            return
        self.message.value = ""
        self.update()

    def update(self) -> None:
        """Read where everyone was sent and the timer (the screen calls this every tick)."""
        pace = current_pace(self.store, self.code)
        if pace is not None:
            try:
                title = self.template.t(self.template.block(pace.block).title)
            except KeyError:
                title = pace.block
            text = self.m("workshop.flow.sent", block=title, time=pace.at[11:16])
            value = text_html(text, "p", "color:#1a5e1a")
            if self.sent.value != value:
                self.sent.value = value
        value = timer_html(current_timer(self.store, self.code), self.m)
        if self.timer_text.value != value:
            self.timer_text.value = value
