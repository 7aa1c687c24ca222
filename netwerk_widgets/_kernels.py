"""The kernel manager of `netwerk serve`: it refills the preheated pools one kernel at a time.

Voilà refills a pool ``fill_delay`` seconds after each page took a kernel from it. When twenty
participants arrive together, twenty kernels then start at the same second; each needs about
a second of CPU to start and run ``start.ipynb`` up to the point where it waits for a page,
and the server about a fifth of a second to prepare it. On two cores that took the machine for
half a minute, and a participant who moved to another block in that time waited 10-25 s
instead of 0.3 s. Here a pooled kernel starts only when the previous one is ready (it waits
for its page, or a page took it; at most :attr:`PacedKernelManager.pool_start_timeout`
seconds), so a refill uses about one core and the participants keep the other.

Kernels for pages outside the pools (block notebooks, and every page when preheating is off)
start at once, as before.

It also follows the kernels' activity (for culling) more cheaply: see
:meth:`PacedKernelManager.start_watching_activity`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float


class PacedKernelManager(AsyncMappingKernelManager):
    """Starts the kernels of Voilà's preheated pools one after another."""

    pool_start_timeout = Float(
        20.0,
        config=True,
        help="Seconds a pooled kernel may take to get ready before the next one starts anyway.",
    )

    _pool_lock: asyncio.Lock | None = None
    _watchers: set[asyncio.Task[None]] | None = None

    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        env = kwargs.get("env") or {}
        if env.get("VOILA_PREHEAT") != "True":  # a page is waiting for this kernel
            return await super().start_kernel(**kwargs)
        if self._pool_lock is None:
            self._pool_lock = asyncio.Lock()
        lock = self._pool_lock
        await lock.acquire()
        try:
            kernel_id = await super().start_kernel(**kwargs)
        except BaseException:
            lock.release()
            raise
        if self._watchers is None:
            self._watchers = set()
        watcher = asyncio.ensure_future(self._release_when_ready(kernel_id, lock))
        self._watchers.add(watcher)
        watcher.add_done_callback(self._watchers.discard)
        return kernel_id

    async def _release_when_ready(self, kernel_id: str, lock: asyncio.Lock) -> None:
        """Let the next pooled kernel start once this one is ready or serves a page.

        A ready pooled kernel has connected to Voilà's ``/voila/query/<kernel id>`` to wait
        for its page's address (see :func:`netwerk_widgets.app.page_query`). A kernel that a
        page took before it was ready (Voilà then keeps the page's address for it) is a
        participant's kernel already: the next one may start at once.
        """
        try:
            from voila.request_info_handler import RequestInfoSocketHandler

            waiting, taken = RequestInfoSocketHandler._waiters, RequestInfoSocketHandler._cache
        except (ImportError, AttributeError):  # another Voilà: fall back to a fixed pace
            waiting = taken = None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.pool_start_timeout
        try:
            if waiting is None or taken is None:
                await asyncio.sleep(1.0)
                return
            while (
                kernel_id not in waiting
                and kernel_id not in taken
                and kernel_id in self
                and loop.time() < deadline
            ):
                await asyncio.sleep(0.05)
        finally:
            lock.release()

    def start_watching_activity(self, kernel_id: str) -> None:
        """Record each kernel's last activity and execution state, as jupyter_server does.

        jupyter_server's version unpacks every IOPub message of every kernel with all dates
        in its headers turned into datetimes; when many pages open at once that was a sixth
        of the server's work. The culler needs only the message types and the execution
        state, so here the two headers (and a status message's content) are read as plain
        JSON. The rules are jupyter_server 2's: activity when the message or its parent is
        of a tracked type or the kernel is busy; the state from status messages.
        """
        kernel = self._kernels[kernel_id]
        kernel.reason = ""
        kernel.last_activity = utcnow()
        kernel._activity_stream = kernel.connect_iopub()
        delimiter = b"<IDS|MSG>"

        def record_activity(msg_list: list[bytes]) -> None:
            start = next((i for i, part in enumerate(msg_list) if part == delimiter), None)
            if start is None or len(msg_list) < start + 6:
                return
            header = json.loads(msg_list[start + 2])
            parent_type = (json.loads(msg_list[start + 3]) or {}).get("msg_type")
            msg_type = header.get("msg_type")
            if (
                self.track_message_type(msg_type)
                or self.track_message_type(parent_type)
                or kernel.execution_state == "busy"
            ):
                self.last_kernel_activity = kernel.last_activity = utcnow()
            if msg_type == "status":
                state = json.loads(msg_list[start + 5]).get("execution_state")
                if self.track_message_type(parent_type):
                    kernel.execution_state = state
                elif kernel.execution_state == "starting" and state != "starting":
                    kernel.execution_state = "idle"

        kernel._activity_stream.on_recv(record_activity)
