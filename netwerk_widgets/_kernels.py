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

And it keeps a plain GET from holding a kernel: a page's kernel whose page never connected
to it (a ``curl`` of the link, a bot, a page closed while loading) is stopped
:attr:`~PacedKernelManager.unconnected_timeout` seconds (``NETWERK_UNCONNECTED_TIMEOUT``,
default 60) after its last activity, instead of Voilà's 15 minutes. Kernels waiting in a
pool are never stopped this way. :meth:`~PacedKernelManager.capacity_problem` tells the
server when a new page would pass ``NETWERK_MAX_KERNELS`` or
``NETWERK_MAX_KERNELS_PER_NOTEBOOK`` (:mod:`netwerk_widgets._voila` then answers "te druk").

Secrets stay with the page they belong to: a pooled kernel starts before anyone asked for it
and later serves whoever comes, so it gets no request address (Voilà would give it the
address, ``sleutel=`` or ``deelnemer=`` included, of the request that made the pool refill),
and no kernel gets the server's own tokens (``JUPYTER_TOKEN`` and the like).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado.ioloop import PeriodicCallback
from traitlets import Float, Int, default

from .settings import settings

REQUEST_VARIABLES = ("VOILA_REQUEST_URL", "QUERY_STRING", "SCRIPT_NAME", "PATH_INFO")
"""What Voilà tells a kernel about one request: never for a kernel that serves another."""

SERVER_SECRETS = ("JUPYTER_TOKEN", "JPY_API_TOKEN", "JUPYTERHUB_API_TOKEN")
"""The server's own credentials: a kernel needs none of them."""

RENDER_PREFIX = "/voila/render/"


def kernel_environment(env: dict[str, str], pooled: bool) -> dict[str, str]:
    """``env`` without what a kernel must not hold (see the module's docstring)."""
    drop = set(SERVER_SECRETS)
    if pooled:
        drop.update(REQUEST_VARIABLES)
        drop.update(name for name in env if name.startswith("HTTP_"))
    return {name: value for name, value in env.items() if name not in drop}


def notebook_of(script_name: str) -> str:
    """The notebook a page request names (``/voila/render/start.ipynb``: ``start.ipynb``)."""
    _, found, rest = script_name.partition(RENDER_PREFIX)
    return rest if found else script_name.lstrip("/")


class PacedKernelManager(AsyncMappingKernelManager):
    """Starts the kernels of Voilà's preheated pools one after another, stops kernels whose
    page never came, counts the kernels serving pages, and keeps secrets to their page."""

    pool_start_timeout = Float(
        20.0,
        config=True,
        help="Seconds a pooled kernel may take to get ready before the next one starts anyway.",
    )

    unconnected_timeout = Float(
        config=True,
        help="Seconds after its last activity that a page's kernel whose page never connected "
        "is stopped (default NETWERK_UNCONNECTED_TIMEOUT, 60).",
    )
    unconnected_interval = Float(
        5.0, config=True, help="Seconds between two looks for kernels whose page never came."
    )
    max_kernels = Int(
        config=True, help="Kernels serving pages at once (default NETWERK_MAX_KERNELS, 200)."
    )
    max_kernels_per_notebook = Int(
        config=True,
        help="Kernels serving pages of one notebook (default NETWERK_MAX_KERNELS_PER_NOTEBOOK).",
    )

    _pool_lock: asyncio.Lock | None = None
    _watchers: set[asyncio.Task[None]] | None = None
    _unconnected_culler: PeriodicCallback | None = None

    @default("unconnected_timeout")
    def _default_unconnected_timeout(self) -> float:
        return settings().unconnected_timeout

    @default("max_kernels")
    def _default_max_kernels(self) -> int:
        return settings().max_kernels

    @default("max_kernels_per_notebook")
    def _default_max_kernels_per_notebook(self) -> int:
        return settings().max_kernels_per_notebook

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._connected: set[str] = set()  # kernels a page ever connected to
        self._notebooks: dict[str, str] = {}  # kernel id -> notebook of its page
        self._outside_pool: dict[str, float] = {}  # kernel id -> when it left its pool

    async def start_kernel(self, **kwargs: Any) -> str:  # type: ignore[override]
        env = dict(kwargs.get("env") or {})
        pooled = env.get("VOILA_PREHEAT") == "True"
        if env:
            kwargs["env"] = kernel_environment(env, pooled)
        self._start_unconnected_culler()
        if not pooled:  # a page is waiting for this kernel
            kernel_id = await super().start_kernel(**kwargs)
            if env.get("SCRIPT_NAME"):
                self._notebooks[kernel_id] = notebook_of(env["SCRIPT_NAME"])
            return kernel_id
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
        for its page's address (see :func:`netwerk_widgets.page_address.page_query`). A
        kernel that a page took before it was ready (Voilà then keeps the page's address for
        it) is a participant's kernel already: the next one may start at once.
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

    # --- pages that never came, and how many kernels serve pages ------------------------

    def notify_connect(self, kernel_id: str) -> None:
        super().notify_connect(kernel_id)
        self._connected.add(kernel_id)

    def remove_kernel(self, kernel_id: str) -> Any:
        self._connected.discard(kernel_id)
        self._notebooks.pop(kernel_id, None)
        self._outside_pool.pop(kernel_id, None)
        return super().remove_kernel(kernel_id)

    def pooled_kernel_ids(self) -> set[str]:
        """Kernels ready in a preheated pool, waiting for a page (Voilà's ``_pools``)."""
        found = set()
        for pool in getattr(self, "_pools", {}).values():
            for item in pool:
                if item.done() and not item.cancelled() and item.exception() is None:
                    found.add(item.result().get("kernel_id"))
        return found

    def page_kernels(self) -> dict[str, str]:
        """Kernels that serve (or were started for) a page: kernel id -> its notebook."""
        waiting = self.pooled_kernel_ids()
        notebook_from_pool = getattr(self, "_get_notebook_from_kernel", lambda _id: None)
        pages = {}
        for kernel_id in self.list_kernel_ids():
            if kernel_id in waiting:
                continue
            pages[kernel_id] = self._notebooks.get(kernel_id) or notebook_from_pool(kernel_id) or ""
        return pages

    def capacity_problem(self, notebook: str) -> str | None:
        """Why a new page of ``notebook`` would be one too many ("total", "notebook"), or None."""
        pages = self.page_kernels()
        if len(pages) >= self.max_kernels:
            return "total"
        if sum(name == notebook for name in pages.values()) >= self.max_kernels_per_notebook:
            return "notebook"
        return None

    def _start_unconnected_culler(self) -> None:
        if self._unconnected_culler is None:
            self._unconnected_culler = PeriodicCallback(
                self.cull_unconnected, 1000 * self.unconnected_interval
            )
            self._unconnected_culler.start()

    async def cull_unconnected(self) -> list[str]:
        """Stop page kernels no page connected to for :attr:`unconnected_timeout` seconds.

        The clock starts at the kernel's last activity (a page's notebook still running on a
        busy server is activity) or when it left its pool, whichever is later.
        """
        waiting = self.pooled_kernel_ids()
        now = time.time()
        culled = []
        for kernel_id in self.list_kernel_ids():
            if kernel_id in waiting:
                self._outside_pool.pop(kernel_id, None)
                continue
            if kernel_id in self._connected:
                continue
            left_pool = self._outside_pool.setdefault(kernel_id, now)
            try:  # unset (a TraitError, not None) while the kernel is still starting
                activity = self._kernels[kernel_id].last_activity
            except Exception:
                continue
            last = max(left_pool, activity.timestamp() if activity is not None else 0.0)
            if now - last < self.unconnected_timeout:
                continue
            self.log.warning(
                "Stopping kernel %s: no page connected to it within %.0f s.",
                kernel_id,
                self.unconnected_timeout,
            )
            culled.append(kernel_id)
            try:
                await self.shutdown_kernel(kernel_id)
            except Exception:  # gone already, or it will be culled at the next look
                self.log.exception("Could not stop kernel %s", kernel_id)
        return culled

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
