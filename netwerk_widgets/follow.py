"""The participant's page follows the trainer: "Iedereen naar ..." and the round's timer.

A small widget at the top of the participant app reads the trainer's latest pace and timer
events (:mod:`netwerk_widgets.workshop`, two indexed queries) every couple of seconds. When
the trainer sent everyone to a block, the page moves there once, with a short notice; the
participant can still go back to earlier blocks. When the trainer locked later blocks, the
page does not go past the block the group is at. A running timer shows its topic and the
minutes left; when the time is up it says so calmly (no sound, a soft colour). Pandas-free.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from ._polling import Poller
from .errors import NetwerkError
from .messages import Messages, messages
from .workshop import Pace, Timer, clock, current_pace, current_timer

if TYPE_CHECKING:
    from .app import ParticipantApp

FOLLOW_EVERY = 1.5
"""Seconds between two looks at the trainer's pace and timer (the page moves within 5 s)."""
SHOW_DONE_FOR = timedelta(minutes=2)
"""How long a page keeps saying that the time is up."""


class WorkshopFollow(w.VBox):
    """Notice of where the trainer sent everyone, and the timer of an exchange round.

    Attributes
    ----------
    notice : w.HTML
        "The trainer asks everyone to go to ..." (empty until the trainer does).
    timer : w.HTML
        The timer, while one runs (and shortly after it ended).
    """

    def __init__(self, app: ParticipantApp, *, every: float = FOLLOW_EVERY) -> None:
        self.app = app
        self.m = messages(app.language)
        self.notice = w.HTML()
        self.notice.add_class("nw-pace-notice")
        self.timer = w.HTML()
        self.timer.add_class("nw-timer")
        self.pace: Pace | None = None
        self._seen: int | None = None
        super().__init__([w.HTML(TIMER_STYLE), self.notice, self.timer])
        self.add_class("nw-follow")
        app.observe(self._on_change_block_id, names="block_id")
        self.poller = Poller(self.tick, every)

    def start(self, *, asked: bool = False) -> None:
        """Look once now (a page opened later goes to where the group is, unless its link
        ``asked`` for a block), then every few seconds."""
        if asked and self.app.session is not None:
            try:
                pace = current_pace(self.app.store, self.app.session.code)
            except NetwerkError:
                pace = None
            self._seen = pace.id if pace is not None else None
        self.tick()
        self.poller.start()

    def tick(self) -> None:
        """Follow the trainer's latest pace and timer (errors wait for the next tick)."""
        app = self.app
        if app.session is None:
            return
        try:
            pace = current_pace(app.store, app.session.code)
            timer = current_timer(app.store, app.session.code)
        except NetwerkError:
            return  # the save status tells the participant about the store
        self.pace = pace
        if pace is not None and pace.id != self._seen:
            self._seen = pace.id
            if pace.block in app.block_ids:
                if app.block_id != pace.block:
                    app.show_block(pace.block)
                self._say("workshop.pace.notice", block=self._title(pace.block))
        self._lock()
        value = participant_timer_html(timer, self.m)
        if self.timer.value != value:
            self.timer.value = value

    def _title(self, block_id: str) -> str:
        template = self.app.template
        assert template is not None
        return template.t(template.block(block_id).title)

    def _say(self, key: str, **values: object) -> None:
        self.notice.value = (
            f'<p class="nw-pace-text" role="status">{html.escape(self.m(key, **values))}</p>'
        )

    def _on_change_block_id(self, _change: Any = None) -> None:
        """With locked blocks, "Volgende" stays off at the block the group is at."""
        app, pace = self.app, self.pace
        locked = pace is not None and pace.lock and app.block_id == pace.block
        if locked and hasattr(app, "next_button"):
            app.next_button.disabled = True

    def _lock(self) -> None:
        """With locked blocks, bring the page back to the block the group is at when the
        participant went further (through the list of blocks)."""
        app, pace = self.app, self.pace
        if pace is None or not pace.lock or pace.block not in app.block_ids:
            return
        ids = app.block_ids
        if app.block_id in ids and ids.index(app.block_id) > ids.index(pace.block):
            app.show_block(pace.block)
            self._say("workshop.pace.locked", block=self._title(pace.block))
        self._on_change_block_id()


def participant_timer_html(timer: Timer | None, m: Messages) -> str:
    """The timer on a participant's page: running, or ended less than two minutes ago."""
    if timer is None or not timer.running:
        return ""
    if datetime.now(UTC) - timer.ends_at > SHOW_DONE_FOR:
        return ""
    return timer_html(timer, m)


def timer_html(timer: Timer | None, m: Messages, *, large: bool = False) -> str:
    """The timer as HTML: the topic, ``mm:ss`` left, or a calm "time is up" ('' for none)."""
    if timer is None:
        return ""
    esc = html.escape
    size = "nw-timer-large" if large else "nw-timer-small"
    topic = f'<div class="nw-timer-topic">{esc(timer.topic)}</div>' if timer.topic else ""
    if not timer.running:
        state = f'<div class="nw-timer-state">{esc(m("workshop.timer.stopped"))}</div>'
        return f'<div class="nw-timer-box nw-timer-off {size}">{state}</div>'
    left = timer.remaining()
    if left <= 0:
        done = f'<div class="nw-timer-done">{esc(m("workshop.timer.done"))}</div>'
        return f'<div class="nw-timer-box nw-timer-end {size}" role="status">{topic}{done}</div>'
    count = f'<div class="nw-timer-clock">{esc(clock(left))}</div>'
    label = f'<div class="nw-timer-label">{esc(m("workshop.timer.left"))}</div>'
    return f'<div class="nw-timer-box {size}">{topic}{label}{count}</div>'


TIMER_STYLE = (
    "<style>"
    ".nw-pace-text{background:#fff7e0;border-left:4px solid #c98a00;padding:6px 10px;"
    "margin:6px 0}"
    ".nw-timer-box{border:2px solid #2166ac;border-radius:10px;padding:8px 14px;margin:8px 0;"
    "background:#f3f8fc;color:#123}"
    ".nw-timer-end{border-color:#7a9c59;background:#f4f9ee}"
    ".nw-timer-off{border-color:#bbb;background:#f6f6f6;color:#555}"
    ".nw-timer-clock{font-size:2em;font-weight:700;font-variant-numeric:tabular-nums}"
    ".nw-timer-done{font-size:1.3em;font-weight:600;color:#3d5c1f}"
    ".nw-timer-topic{font-weight:600}"
    ".nw-timer-large{font-size:32px}"
    ".nw-timer-large .nw-timer-clock{font-size:96px;line-height:1.1}"
    "</style>"
)
