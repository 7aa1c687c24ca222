"""The model behind every input widget: it saves each change at once and never drops one.

A :class:`Recorder` belongs to one participant. Widgets hand it answers; it appends them to
the store straight away. When the store cannot be written it keeps them in memory (in the
participant's kernel), says so in Dutch and tries again, so nothing typed is lost while the
store is away.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterable
from datetime import datetime

from traitlets import HasTraits, Int, Unicode

from .errors import NetwerkError
from .messages import messages
from .store import Answer, Participant, Store

RETRY_SECONDS = 3.0


class Recorder(HasTraits):
    """Saves one participant's answers and reports how that went.

    Attributes
    ----------
    status : str
        ``"idle"``, ``"saving"``, ``"saved"`` or ``"error"``.
    message : str
        What the participant should read about the last save, in ``language``.
    pending : int
        How many answer values wait to be saved.
    revision : int
        Goes up after every successful save; ``last_saved`` holds what was saved then.
    saved_rows : int
        How many answer values this recorder stored (a page tells its own saves from those
        of another tab on the same link by counting).
    """

    status = Unicode("idle")
    message = Unicode("")
    pending = Int(0)
    revision = Int(0)

    def __init__(
        self,
        store: Store,
        participant: Participant,
        template_version: str = "",
        *,
        language: str = "nl",
    ) -> None:
        super().__init__()
        self.language = language
        self.store = store
        self.participant = participant
        self.template_version = template_version
        self._queue: list[Answer] = []
        self.last_saved: list[Answer] = []
        self.saved_rows = 0
        self._retry_handle: asyncio.TimerHandle | None = None

    def record(self, answers: Answer | Iterable[Answer]) -> bool:
        """Save answers now (with anything still waiting); ``True`` when all are stored."""
        self._queue.extend([answers] if isinstance(answers, Answer) else answers)
        return self.flush()

    def flush(self) -> bool:
        """Try to save what is waiting; ``True`` when nothing is left waiting."""
        if not self._queue:
            return True
        self.status = "saving"
        batch = list(self._queue)
        try:
            self.store.append(self.participant, batch, template_version=self.template_version)
        except NetwerkError as exc:
            self.pending = len(self._queue)
            problem = exc.public_text(self.language)
            self.message = messages(self.language)("page.not_saved", problem=problem)
            self.status = "error"
            self._schedule_retry()
            return False
        del self._queue[: len(batch)]
        self.pending = len(self._queue)
        self.message = messages(self.language)(
            "page.saved_at", time=datetime.now().strftime("%H:%M:%S")
        )
        self.status = "saved"
        self.last_saved = batch
        self.saved_rows += len(batch)
        self.revision += 1
        return True

    def _schedule_retry(self) -> None:
        loop = _running_loop()
        if loop is None or self._retry_handle is not None:
            return

        def retry() -> None:
            self._retry_handle = None
            self.flush()

        self._retry_handle = loop.call_later(RETRY_SECONDS, retry)


class Debouncer:
    """Calls ``action`` once typing pauses for ``delay`` seconds.

    In a Jupyter kernel keystrokes are gathered on the kernel's event loop; elsewhere (as
    in pytest) the action runs at once, so tests see the store change immediately.
    """

    def __init__(self, action: Callable[[], object], delay: float = 0.7) -> None:
        self.action = action
        self.delay = delay
        self._handle: asyncio.TimerHandle | None = None

    def __call__(self) -> None:
        loop = _running_loop()
        if loop is None:
            self.action()
            return
        if self._handle is not None:
            self._handle.cancel()
        self._handle = loop.call_later(self.delay, self._run)

    def fire(self) -> None:
        """Run a pending action now (for example before the page moves on)."""
        if self._handle is not None:
            self._handle.cancel()
            self._run()

    def _run(self) -> None:
        self._handle = None
        self.action()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The kernel's event loop when running inside a Jupyter kernel, else ``None``.

    Outside a kernel (plain Python, pytest) another library's loop may be running (the
    Playwright sync API keeps one); timers there would never fire for us.
    """
    kernelapp = sys.modules.get("ipykernel.kernelapp")
    if kernelapp is None or not kernelapp.IPKernelApp.initialized():
        return None
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
