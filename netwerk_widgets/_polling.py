"""Periodic work on the kernel's event loop: how live pages update themselves in Voilà.

Voilà shows no new output after the notebook has run, but it does show changed traits of
widgets already on the page. A :class:`Poller` calls a function every few seconds on the
kernel's event loop; that function reads the store and sets widget traits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from .recorder import _running_loop

log = logging.getLogger(__name__)


class Poller:
    """Calls ``tick()`` every ``interval`` seconds while running inside a Jupyter kernel.

    Outside a kernel (tests, scripts) :meth:`start` does nothing and returns ``False``;
    tests call ``tick()`` themselves. An exception in ``tick`` is logged, not fatal: a
    store that is away for a moment must not stop a live screen for good.
    """

    def __init__(self, tick: Callable[[], object], interval: float = 5.0) -> None:
        self.tick = tick
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> bool:
        loop = _running_loop()
        if loop is None or self.running:
            return self.running
        self._task = loop.create_task(self._run())
        return True

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                self.tick()
            except Exception:  # keep polling: the next tick may succeed
                log.exception("periodic update failed")
