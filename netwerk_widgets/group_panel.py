"""The participant's view of the group results of the block on screen.

The results are computed once for everyone by the results worker and arrive ready-made
from the store (:mod:`netwerk_widgets.groupresults`); this module shows them once the
trainer has shared the block, and keeps them current while they are on screen.
"""

from __future__ import annotations

import html
import time
from typing import Any

import ipywidgets as w
from traitlets import Bool, Unicode

from ._polling import Poller
from .errors import NetwerkError
from .groupresults import WATCH_EVERY, GroupResults
from .groupviews import ResultsView
from .messages import messages
from .question_views import FULL, text_html
from .recorder import _running_loop
from .results import from_payload
from .store import Store
from .templates import Template


class GroupPanel(w.VBox):
    """The group's results for the block on screen, once the trainer has shared them.

    Until the trainer reveals a block (see :meth:`Store.set_revealed`), participants only
    read that the results will follow, so nobody follows the others' answers. A light
    check every few seconds notices the reveal. The results themselves are computed once
    for everyone, by the results worker next to Voilà, and arrive ready-made (SVG and text):
    this kernel never imports pandas or Altair. While they are on screen, newer results
    (new answers) replace them in place within seconds.

    Attributes
    ----------
    revealed : bool
        Whether the block on screen has been shared by the trainer.
    client : GroupResults
        Where the results come from (the cache in the store, filled by the worker).
    check_every : float
        Seconds between two looks at whether the block on screen is revealed.
    poller : Poller
        Calls :meth:`tick` every ``follow_every`` seconds (at most ``check_every``).
    """

    block_id = Unicode("")
    revealed = Bool(False)

    FOLLOW_EVERY = 1.0
    """Seconds between two looks for newer results of a block on screen (one indexed query)."""

    def __init__(
        self,
        store: Store,
        template: Template,
        session: str,
        *,
        check_every: float = 4.0,
        follow_every: float = FOLLOW_EVERY,
        client: GroupResults | None = None,
    ) -> None:
        self.store, self.template, self.session = store, template, session
        self.client = client or GroupResults(store, session, template.language)
        self.m = messages(template.language)
        self.message = w.HTML()
        # Its own layout: it is hidden until the reveal (the shared button layout is not).
        self.button = w.Button(description=self.m("group.show"), layout=w.Layout(width="auto"))
        self.button.on_click(lambda _button: self.refresh())
        self.output = ResultsView()
        self.output.add_class("nw-group-output")
        self._stamp: object = None
        self._watched = 0.0
        self._wanted = ""  # the block whose results were asked for
        self._waiting: Any = None  # the task waiting for them, in a kernel
        super().__init__(
            [
                w.HTML(f"<hr><h3>{html.escape(self.m('group.heading'))}</h3>"),
                self.message,
                self.button,
                self.output,
            ],
            layout=FULL,
        )
        self.add_class("nw-group")
        self.observe(self._on_change_block_id, names="block_id")
        self.observe(self._on_change_revealed, names="revealed")
        self._on_change_revealed()
        self.check_every = check_every
        self._checked = float("-inf")
        self.poller = Poller(self.tick, min(check_every, follow_every))
        self.poller.start()

    @property
    def showing(self) -> bool:
        """Whether the participant asked for the results of the block on screen."""
        return self._wanted == self.block_id and self._wanted != ""

    def tick(self) -> None:
        """What the poller does: :meth:`check` every :attr:`check_every` seconds, and in
        between, while results are on screen, one cheap look for newer ones (:meth:`follow`).

        New answers then show within a few seconds (the worker's computation and at most
        ``follow_every`` seconds), not after up to ``check_every`` seconds more; a page
        without results on screen still reads the store only every ``check_every`` seconds.
        """
        if time.monotonic() - self._checked >= self.check_every - self.poller.interval / 2:
            self.check()
        elif self.revealed and self.showing and self.client.use_worker:
            self.follow()

    def check(self) -> None:
        """Ask the store whether the block is revealed; follow newer results on screen."""
        self._checked = time.monotonic()
        self.revealed = self.block_id in self.store.revealed_blocks(self.session)
        if self.revealed and self.showing:
            self.follow()

    def follow(self) -> None:
        """Show newer results of the block on screen if the cache has them (never waits)."""
        now = time.monotonic()
        if now - self._watched > WATCH_EVERY:
            self.client.watch(self.block_id)
            self._watched = now
        if not self.client.use_worker:  # in-process (JupyterLab): recompute on new answers
            self.client.get(self.block_id, timeout=0)
        stamp = self.client.stamp(self.block_id)
        if stamp != self._stamp:
            payload = self.client.latest(self.block_id)
            if payload is not None:
                self._stamp = stamp
                self.message.value = ""
                self.output.show(from_payload(payload))

    def _on_change_block_id(self, _change: Any) -> None:
        self._clear()
        self.button.description = self.m("group.show")
        self.check()

    def _clear(self) -> None:
        self._wanted, self._stamp = "", None
        self.output.clear()

    def _on_change_revealed(self, _change: Any = None) -> None:
        self.button.layout.display = None if self.revealed else "none"
        self.message.value = (
            ""
            if self.revealed
            else text_html(self.m("group.after_reveal"), "p", "color:#555;font-style:italic")
        )
        if not self.revealed:
            self._clear()

    def refresh(self) -> None:
        """Show the block's current group results (if revealed), as soon as they are there.

        In a kernel the wait runs on its event loop (the page stays responsive, and a later
        click replaces an earlier wait); outside one (tests) it waits here.
        """
        self.check()
        if not self.revealed:
            return
        block = self._wanted = self.block_id
        self.button.description = self.m("group.refresh")
        self.message.value = text_html(self.m("worker.computing"), "p", "color:#555")
        self._watched = time.monotonic()
        loop = _running_loop()
        if loop is None:
            self._show(block, self._fetch(lambda: self.client.get(block)))
            return
        if self._waiting is not None:
            self._waiting.cancel()

        async def wait() -> None:
            self._show(block, await self._afetch(block))

        self._waiting = loop.create_task(wait())

    def _fetch(self, get: Any) -> dict[str, Any] | NetwerkError | None:
        try:
            return get()
        except NetwerkError as exc:
            return exc

    async def _afetch(self, block: str) -> dict[str, Any] | NetwerkError | None:
        try:
            return await self.client.aget(block)
        except NetwerkError as exc:
            return exc

    def _show(self, block: str, found: dict[str, Any] | NetwerkError | None) -> None:
        if block != self.block_id or block != self._wanted:
            return  # the participant moved on meanwhile
        if isinstance(found, NetwerkError):
            self.message.value = text_html(
                found.public_text(self.template.language), "p", "color:#b00020"
            )
            return
        if found is None:  # still being computed: the poller shows it when it is there
            return
        self.message.value = ""
        self._stamp = self.client.stamp(block)
        self.output.show(from_payload(found))
