"""The trainer's live results screen (``workbooks/trainer.ipynb``, for the projector).

It needs the session's trainer key. It shows how many participants joined and how far each
block is filled in, lets the trainer share (reveal) each block's group results with the
participants, close or reopen the session, and shows the group results of a chosen block:
the same ready-made results the participants get, from the results worker. It refreshes
itself every few seconds, only when newer results are there, updating the charts in place
so that nothing flickers and the page never reloads.

Buttons at the top switch between its views: the overview (progress, sharing, pacing and
the timer, results), the join screen to project (:mod:`.join`), the presentation mode (one
block's results at a time in large type, :mod:`.presentation`) and moderation (hiding
answers, merging names, :mod:`.moderation`). What it shows of sharing and closing follows
the store, so two trainer screens of one session agree.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as w

from .._polling import Poller
from ..app import error_message
from ..errors import NetwerkError
from ..groupresults import WATCH_EVERY, GroupResults
from ..groupviews import ResultsView
from ..messages import messages
from ..page_address import QUERY_LANGUAGE, QUERY_SESSION, page_query
from ..question_views import text_html
from ..results import BlockResults, Note, from_payload
from ..store import Session, Store, open_store
from ..templates import LANGUAGES, Template, template_for
from ..workshop import new_screen_id
from ._controls import following
from .flow import FlowPanel
from .join import JoinScreen
from .moderation import ModerationPanel
from .presentation import PresentationBar

QUERY_KEY = "sleutel"
REFRESH_SECONDS = 4.0
FOLLOW_SECONDS = 1.0
"""Seconds between two looks for newer results of the block on screen (one indexed query);
counts and progress are read every ``REFRESH_SECONDS``."""
MODES = ("overview", "join", "present", "moderate")
"""The trainer screen's views (``workshop.mode.<name>`` in the catalogue)."""
FIRST_WAIT = 5.0
"""Seconds the screen waits for a block's results when the trainer picks it; if the worker
needs longer, the screen says so and the next refresh shows them."""


class TrainerLogin(w.VBox):
    """Session code and trainer key."""

    def __init__(self, code: str = "", message: str = "", language: str = "nl") -> None:
        m = messages(language)
        wide = {"description_width": "8em"}
        self.code = w.Text(value=code, description=m("trainer.session_code"), style=wide)
        self.key = w.Password(description=m("trainer.key"), style=wide)
        self.button = w.Button(description=m("trainer.open"), button_style="primary")
        self.message = w.HTML(text_html(message, "span", "color:#b00020") if message else "")
        super().__init__(
            [
                w.HTML(text_html(m("trainer.login_heading"), "h2")),
                self.code,
                self.key,
                self.button,
                self.message,
            ],
            layout=w.Layout(max_width="640px"),
        )


class BlockControl(w.HBox):
    """One block's line on the screen: progress, and a switch to share its results."""

    def __init__(self, screen: TrainerScreen, block_id: str, title: str) -> None:
        self.block_id = block_id
        self.progress = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="160px"))
        self.count = w.Label("")
        self.reveal = w.ToggleButton(
            value=block_id in screen.revealed, layout=w.Layout(width="auto")
        )
        self._screen = screen
        self._following = False
        self.reveal.observe(self._on_change_value, names="value")
        super().__init__(
            [
                w.Label(title, layout=w.Layout(width="320px")),
                self.progress,
                self.count,
                self.reveal,
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        self._show_reveal()

    def _on_change_value(self, change: dict[str, Any]) -> None:
        if not self._following:  # the trainer's click, not another screen's state
            self._screen.store.set_revealed(self._screen.session.code, self.block_id, change["new"])
            if change["new"]:  # the worker starts now, before participants press their button
                self._screen.client.watch(self.block_id, every=0)
        self._show_reveal()
        self._screen.on_reveal_changed(self.block_id)

    def follow(self, shared: bool) -> None:
        """Show the store's state (another trainer screen may have changed it)."""
        if self.reveal.value != shared:
            with following(self, "_following"):
                self.reveal.value = shared

    def _show_reveal(self) -> None:
        shared = self.reveal.value
        m = self._screen.m
        self.reveal.description = m("trainer.shared") if shared else m("trainer.share")
        self.reveal.button_style = "success" if shared else ""

    def update(self, answered: int, joined: int) -> None:
        self.progress.max = max(joined, 1)
        self.progress.value = min(answered, self.progress.max)
        self.count.value = self._screen.m("trainer.answered_of", answered=answered, joined=joined)


class TrainerScreen(w.VBox):
    """The live results screen of one session.

    Attributes
    ----------
    session : Session or None
        The session on screen, once the trainer key was accepted.
    poller : Poller
        Refreshes the screen every ``REFRESH_SECONDS`` (newer results of the block on
        screen every ``FOLLOW_SECONDS``) while in a kernel; tests call :meth:`tick`
        themselves.
    """

    def __init__(
        self,
        store: Store,
        query: dict[str, str] | None = None,
        *,
        template: Template | None = None,
        interval: float = REFRESH_SECONDS,
    ) -> None:
        super().__init__(layout=w.Layout(width="100%"))
        self.add_class("nw-trainer")
        self.store = store
        self.fixed_template = template
        self.session: Session | None = None
        self.revealed: set[str] = set()
        self._stamp: object = None
        self._watched = 0.0
        self.interval = interval
        self._ticked = float("-inf")
        self.poller = Poller(self._poll, min(interval, FOLLOW_SECONDS))
        query = page_query() if query is None else query
        code, key = query.get(QUERY_SESSION, ""), query.get(QUERY_KEY, "")
        asked = query.get(QUERY_LANGUAGE, "")
        self.m = messages(asked if asked in LANGUAGES else "nl")  # until a session is open
        if code and key:
            self.open_session(code, key)
        else:
            self.show_login(code)

    def show_login(self, code: str = "", message: str = "") -> None:
        self.login = TrainerLogin(code, message, self.m.language)
        self.login.button.on_click(
            lambda _button: self.open_session(self.login.code.value, self.login.key.value)
        )
        self.children = [self.login]

    def open_session(self, code: str, key: str) -> bool:
        """Open the screen of a session if ``key`` is its trainer key."""
        try:
            session = self.store.check_trainer_key(code, key)
        except NetwerkError as exc:
            self.show_login(code, exc.text(self.m.language))
            return False
        try:
            template = self.fixed_template or template_for(session, self.store)
        except NetwerkError as exc:  # the right key, but the workbook cannot be read
            self.children = [error_message(exc, self.m.language)]
            return False
        self.session, self.template = session, template
        self.m = messages(template.language)
        self.screen_id = new_screen_id()
        self.revealed = self.store.revealed_blocks(session.code)
        self.header = w.HTML()
        self.close_toggle = w.ToggleButton(value=session.closed, layout=w.Layout(width="auto"))
        self._following_closed = False
        self.close_toggle.observe(self._on_change_closed, names="value")
        self.controls = {
            b.id: BlockControl(self, b.id, template.t(b.title)) for b in template.blocks
        }
        self.block = w.Dropdown(
            options=[(template.t(b.title), b.id) for b in template.blocks],
            description=self.m("trainer.show"),
            layout=w.Layout(width="100%", max_width="560px"),
        )
        self.block.add_class("nw-trainer-block")
        self.block.observe(self._on_change_block, names="value")
        self.client = GroupResults(self.store, session.code, template.language)
        self.results = ResultsView()
        self.results.add_class("nw-trainer-results")
        self.flow = FlowPanel(self.store, session.code, template, self.m, self.screen_id)
        self.join_screen = JoinScreen(session.code, session.title, self.m)
        self.moderation = ModerationPanel(
            self.store,
            session.code,
            template,
            self.m,
            self.screen_id,
            on_change=lambda: self.show_group(force=True),
        )
        self.presentation = PresentationBar(self)
        self.mode = w.ToggleButtons(
            options=[(self.m(f"workshop.mode.{name}"), name) for name in MODES],
            value="overview",
            style={"button_width": "auto"},
        )
        self.mode.add_class("nw-trainer-mode")
        self.mode.observe(lambda _change: self.show_mode(), names="value")
        self.body = w.VBox(layout=w.Layout(width="100%"))
        self.children = [self.mode, self.header, self.body]
        self._show_closed()
        self.show_mode()
        self.tick()
        self.poller.start()
        return True

    def show_mode(self) -> None:
        """Put the chosen view on screen: overview, join screen, presentation, moderation."""
        mode = self.mode.value
        presenting = mode == "present"
        self.body.children = {
            "overview": lambda: [
                self.close_toggle,
                self.flow,
                w.HTML(text_html(self.m("trainer.progress"), "h3")),
                *self.controls.values(),
                w.HTML(text_html(self.m("trainer.results"), "h3")),
                self.block,
                self.results,
            ],
            "join": lambda: [self.join_screen],
            "present": lambda: [self.presentation, self.results],
            "moderate": lambda: [self.moderation],
        }[mode]()
        classes = [c for c in self._dom_classes if c != "nw-presenting"]
        self._dom_classes = (*classes, "nw-presenting") if presenting else tuple(classes)
        self.header.layout.display = "none" if presenting or mode == "join" else None
        if mode == "moderate":
            self.moderation.block.value = self.block.value
            self.moderation.refresh()
        if presenting:
            self.presentation.update()

    def _on_change_block(self, _change: Any) -> None:
        self.show_group(force=True)
        if self.mode.value == "present":
            self.presentation.update()

    def on_reveal_changed(self, block_id: str) -> None:
        """A block's sharing changed (here or on another screen): the bar shows it."""
        if getattr(self, "presentation", None) is not None and block_id == self.block.value:
            self.presentation.update()

    def _on_change_closed(self, change: dict[str, Any]) -> None:
        assert self.session is not None
        if not self._following_closed:
            self.store.set_closed(self.session.code, change["new"])
        self._show_closed()

    def _show_closed(self) -> None:
        closed = self.close_toggle.value
        self.close_toggle.description = self.m("trainer.reopen" if closed else "trainer.close")
        self.close_toggle.button_style = "danger" if closed else ""

    def follow_store(self) -> None:
        """Show the store's state of sharing and closing: another trainer screen (a laptop
        and the projector's machine) may have changed it."""
        assert self.session is not None
        code = self.session.code
        self.revealed = self.store.revealed_blocks(code)
        for block_id, control in self.controls.items():
            control.follow(block_id in self.revealed)
        closed = self.store.session(code).closed
        if self.close_toggle.value != closed:
            with following(self, "_following_closed"):
                self.close_toggle.value = closed

    def _poll(self) -> None:
        """What the poller does: :meth:`tick` every :attr:`interval` seconds, and in between
        one look for newer results of the block on screen, so new answers show within a
        few seconds of the worker's computation (in-process: at every tick only)."""
        if time.monotonic() - self._ticked >= self.interval - self.poller.interval / 2:
            self.tick()
        else:
            self.flow.update()  # the timer counts down every second
            if self.mode.value == "present":
                self.presentation.update_timer()
            if self.client.use_worker:
                self.show_group()

    def tick(self) -> None:
        """Read counts and progress, and redraw the results if new answers came in."""
        assert self.session is not None
        self._ticked = time.monotonic()
        code = self.session.code
        joined = len(self.store.participants(code))
        progress = self.store.progress(code)
        self.header.value = (
            f"<h2>{html.escape(self.session.title)}</h2>"
            f"<p>{html.escape(self.m('trainer.session_code'))} "
            f'<b class="nw-code">{html.escape(code)}</b> · '
            f'<span class="nw-joined">{joined}</span> '
            f"{html.escape(self.m('trainer.participants'))}</p>"
        )
        for block_id, control in self.controls.items():
            control.update(progress.get(block_id, 0), joined)
        self.follow_store()
        self.join_screen.update(joined)
        self.flow.update()
        if self.mode.value == "present":
            self.presentation.update()
        self.show_group()

    def show_group(self, force: bool = False) -> None:
        """Show the chosen block's group results: newer ones as they come, or (``force``,
        when the trainer picks a block) the current ones at once, waiting for them."""
        assert self.session is not None
        block = self.block.value
        now = time.monotonic()
        try:
            if force or now - self._watched > WATCH_EVERY:
                self.client.watch(block)
                self._watched = now
            if force or self.results.results is None:
                payload: dict[str, Any] | None = self.client.get(block, timeout=FIRST_WAIT)
                if payload is None:  # still being computed: a later tick shows it
                    payload = notice(self.session.code, block, self.template.language)
            else:
                if not self.client.use_worker:  # in-process: recompute on new answers
                    self.client.get(block, timeout=0)
                stamp = self.client.stamp(block)
                if stamp == self._stamp:
                    return
                payload = self.client.latest(block)
                if payload is None:
                    return
            self._stamp = self.client.stamp(block)
            results = from_payload(payload)
        except NetwerkError as exc:
            # Never leave the previous block's results up under another block's name.
            results = BlockResults(
                self.session.code,
                block,
                "",
                self.template.language,
                sections=(Note(exc.text(self.template.language), "warning"),),
            )
        self.results.show(results)


def notice(session: str, block: str, language: str) -> dict[str, Any]:
    """A payload that says the results are still being computed."""
    text = messages(language)("worker.computing")
    return {
        "session": session,
        "block": block,
        "language": language,
        "sections": [{"kind": "note", "text": text, "tone": "info"}],
    }


def trainer_page(url: str | None = None) -> w.Widget:
    """The trainer screen on the default store, or a clear Dutch message when that fails."""
    try:
        return TrainerScreen(open_store(url))
    except NetwerkError as exc:
        return error_message(exc)
