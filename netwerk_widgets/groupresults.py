"""Group results as a page gets them: ready-made payloads from the store's results cache.

A participant's kernel never computes group results when a results worker runs
(:mod:`netwerk_widgets.worker`, started next to our Voilà server): :class:`GroupResults`
reads the cache, asks the worker when the cache has nothing for the current state of the
answers, and waits a little for it. Without a worker (JupyterLab, tests, scripts) the same
calls compute in-process with :func:`netwerk_widgets.views.compute` and fill the cache.

Which of the two: ``NETWERK_RESULTS_WORKER=1`` in the kernel's environment (our Voilà server
sets it for its kernels) means "ask the worker"; see :mod:`netwerk_widgets.settings`.

Light to import: only the standard library and light modules of this package (store,
results, messages, settings); pandas, Altair and networkx are imported only in-process, by
:mod:`netwerk_widgets.views`, when computing.

A payload is the dict of :func:`netwerk_widgets.results.to_payload`: strings only (charts as
SVG), with the ``state`` of the answers it was computed for.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from collections.abc import Callable, Generator
from typing import Any

from .errors import NetwerkError
from .messages import messages
from .results import BlockResults, Note, dumps, to_payload
from .settings import MAX_RESULTS_TIMEOUT, settings
from .store import CachedResults, Store, state_at_least

log = logging.getLogger(__name__)

Compute = Callable[[Store, str, str, "str | None"], dict[str, Any]]
"""``compute(store, session, block, language) -> payload``, as :func:`views.compute`."""

POLL = 0.2
"""Seconds between two looks at the cache while waiting for the worker."""

WORKER_SILENCE = 15.0
"""A worker that has not beaten for this many seconds is taken to be gone."""

WATCH_EVERY = 60.0
"""Seconds between two renewals of a page's request (the worker watches for ~10 minutes)."""


def default_compute(store: Store, session: str, block: str, language: str | None) -> dict:
    """:func:`netwerk_widgets.views.compute`, imported on first use (it imports pandas)."""
    from .views import compute

    return compute(store, session, block, language)


def block_title(store: Store, session: str, block: str, language: str | None) -> str:
    """The block's title in ``language`` from the session's template, or the block id."""
    try:
        from .templates import template_for

        template = template_for(store.session(session), store)
        return template.block(block).title.get(language or "nl")
    except (NetwerkError, KeyError, OSError):
        return block


def notice_payload(
    store: Store,
    session: str,
    block: str,
    language: str | None,
    state: str,
    text: str,
) -> dict[str, Any]:
    """A payload of one warning note: what pages show when there are no results to show."""
    results = BlockResults(
        session=session.strip().upper(),
        block=block,
        title=block_title(store, session, block, language),
        language=language or "nl",
        state=state,
        sections=(Note(text, tone="warning"),),
    )
    return to_payload(results)


def failure_text(exc: BaseException, language: str | None) -> str:
    """What a page says when computing failed: our own (Dutch) message, or the catalogue's."""
    if isinstance(exc, NetwerkError) and str(exc):
        return str(exc)
    return messages(language or "nl")("worker.failed")


def is_notice(payload: dict[str, Any] | None) -> bool:
    """Whether ``payload`` is only a warning (no worker, or computing failed)."""
    sections = (payload or {}).get("sections") or []
    return len(sections) == 1 and sections[0].get("tone") == "warning"


class GroupResults:
    """The group results of one session in one language, for one page.

    Parameters
    ----------
    store : Store
        The page's store (the worker must use the same database).
    session : str
        The session code.
    language : str or None
        The language of every text in the payloads (``None``: the template's).
    use_worker : bool, optional
        Ask the results worker (``True``) or compute in-process (``False``); default:
        ``NETWERK_RESULTS_WORKER`` (see :attr:`Settings.uses_worker`).
    compute : callable, optional
        For in-process mode: ``compute(store, session, block, language) -> payload``
        (default :func:`default_compute`). Never called in worker mode.
    timeout : float, optional
        Seconds :meth:`get` waits for the worker by default (``NETWERK_RESULTS_TIMEOUT``,
        15; never more than 20).

    Attributes
    ----------
    use_worker : bool
        Whether this page asks the worker.
    computations : int
        How many payloads this object computed itself (always 0 in worker mode).
    """

    def __init__(
        self,
        store: Store,
        session: str,
        language: str | None,
        *,
        use_worker: bool | None = None,
        compute: Compute | None = None,
        timeout: float | None = None,
        poll: float = POLL,
    ) -> None:
        config = settings()
        self.store = store
        self.session = session.strip().upper()
        self.language = language
        self.use_worker = config.uses_worker if use_worker is None else use_worker
        self.timeout = config.results_timeout if timeout is None else timeout
        self.poll = poll
        self.computations = 0
        self._compute = compute or default_compute
        self._memo: dict[str, tuple[int, dict[str, Any]]] = {}
        self._asked: dict[str, float] = {}

    def __repr__(self) -> str:
        mode = "worker" if self.use_worker else "in-process"
        return f"GroupResults({self.session!r}, {self.language!r}, {mode})"

    # --- reading ----------------------------------------------------------------------

    def state(self) -> str:
        """The current state of the session's answers (:meth:`Store.results_state`)."""
        return self.store.results_state(self.session)

    def stamp(self, block: str) -> int:
        """The id of the newest cached payload of ``block`` (0: none): cheap, for a poller.

        When it changes, :meth:`latest` has something new.
        """
        return self.store.results_stamp(self.session, block, self.language)

    def latest(self, block: str) -> dict[str, Any] | None:
        """The newest cached payload of ``block``, whatever its state; never waits or asks."""
        return self._read(block)

    def is_current(self, payload: dict[str, Any] | None) -> bool:
        """Whether ``payload`` was computed for the current state of the answers (or later)."""
        return payload is not None and state_at_least(str(payload.get("state", "")), self.state())

    def get(self, block: str, timeout: float | None = None) -> dict[str, Any] | None:
        """The payload of ``block`` for the current state of the answers.

        A cached payload for this state (or a newer one) comes back at once. Otherwise,
        with a worker: ask it, then look at the cache every :attr:`poll` seconds until a
        payload at least as new arrives, for at most ``timeout`` seconds (default
        :attr:`timeout`; ``0``: do not wait). After the timeout, the newest cached payload
        (of an older state; see :meth:`is_current`) or ``None`` when there is none yet: show
        it, or the catalogue's ``worker.computing``, and follow :meth:`stamp`. When no
        worker has beaten for :data:`WORKER_SILENCE` seconds, a payload with one warning
        (``worker.unavailable``) instead of waiting. In-process: compute, cache, return.

        This blocks the caller for up to ``timeout`` seconds; in a kernel's event loop,
        prefer :meth:`aget`.
        """
        steps = self._steps(block, timeout)
        try:
            while True:
                time.sleep(next(steps))
        except StopIteration as done:
            return done.value

    async def aget(self, block: str, timeout: float | None = None) -> dict[str, Any] | None:
        """:meth:`get`, waiting with ``asyncio.sleep``: the kernel keeps serving the page."""
        steps = self._steps(block, timeout)
        try:
            while True:
                await asyncio.sleep(next(steps))
        except StopIteration as done:
            return done.value

    def watch(self, block: str, every: float = WATCH_EVERY) -> bool:
        """Renew the page's request for ``block`` if the last one is ``every`` seconds old.

        The worker keeps a block current (recomputes it when answers come in) for ~10
        minutes after its last request; a page that shows a block's results calls this from
        its poller (any rate: it writes at most once per ``every``). Returns whether it
        asked. Does nothing in-process.
        """
        if not self.use_worker:
            return False
        last = self._asked.get(block)
        if last is not None and time.monotonic() - last < every:
            return False
        self._ask(block)
        return True

    # --- inside -----------------------------------------------------------------------

    def _steps(self, block: str, timeout: float | None) -> Generator[float, None, dict | None]:
        """The logic of :meth:`get`: yields how long to sleep, returns the payload."""
        wait = self.timeout if timeout is None else timeout
        wait = max(0.0, min(float(wait), MAX_RESULTS_TIMEOUT))
        state = self.state()
        found = self._read(block)
        if found is not None and state_at_least(str(found.get("state", "")), state):
            return found
        if not self.use_worker:
            return self._compute_here(block, state)
        if not self.store.worker_alive(WORKER_SILENCE):
            log.warning("no results worker has beaten for %.0f s", WORKER_SILENCE)
            return self._unavailable(block, state)
        self._ask(block)
        deadline = time.monotonic() + wait
        next_check = time.monotonic() + 3.0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return found
            yield min(self.poll, remaining)
            found = self._read(block)
            if found is not None and state_at_least(str(found.get("state", "")), state):
                return found
            if time.monotonic() >= next_check:
                next_check = time.monotonic() + 3.0
                if not self.store.worker_alive(WORKER_SILENCE):
                    return self._unavailable(block, state)

    def _read(self, block: str) -> dict[str, Any] | None:
        """The newest cached payload, parsed once per cache row (the stamp says which)."""
        memo = self._memo.get(block)
        if memo is not None and memo[0] == self.stamp(block):
            return memo[1]
        cached = self.store.cached_results(self.session, block, self.language)
        if cached is None:
            return None
        payload = self._parse(cached)
        self._memo[block] = (cached.id, payload)
        return payload

    @staticmethod
    def _parse(cached: CachedResults) -> dict[str, Any]:
        payload = json.loads(cached.payload)
        payload["state"] = cached.state
        return payload

    def _ask(self, block: str) -> None:
        self.store.request_results(self.session, block, self.language)
        self._asked[block] = time.monotonic()

    def _compute_here(self, block: str, state: str) -> dict[str, Any]:
        """In-process: compute with :attr:`_compute`, cache, return (a warning on failure)."""
        started = time.monotonic()
        try:
            payload = dict(self._compute(self.store, self.session, block, self.language))
            payload["state"] = state
            text = dumps(payload)
        except Exception as exc:
            log.exception("group results of %s/%s could not be computed", self.session, block)
            return notice_payload(
                self.store,
                self.session,
                block,
                self.language,
                state,
                failure_text(exc, self.language),
            )
        self.computations += 1
        self.store.put_results(
            self.session,
            block,
            self.language,
            state,
            text,
            seconds=time.monotonic() - started,
            worker=f"in-process:{os.getpid()}",
        )
        return payload

    def _unavailable(self, block: str, state: str) -> dict[str, Any]:
        text = messages(self.language or "nl")("worker.unavailable")
        return notice_payload(self.store, self.session, block, self.language, state, text)
