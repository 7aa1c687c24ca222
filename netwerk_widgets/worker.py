"""The results worker: computes each block's group results once, for every page to read.

Participant kernels do not compute group results (that imports pandas, Altair, networkx and
vl-convert: seconds of CPU and ~150 MB per kernel). They ask for them in the store
(:meth:`Store.request_results`) and read ready-made payloads from its results cache
(:class:`netwerk_widgets.groupresults.GroupResults`). This worker does the computing, next
to the Voilà server, for every page at once:

- a *pass* (:meth:`ResultsWorker.step`) reads which ``(session, block, language)`` were asked
  for in the last :attr:`~ResultsWorker.watch_seconds` (pages that show results ask again
  about once a minute, so a block on screen stays *watched*); newly asked ones come first;
- for each, when the cache has no payload for the current state of the answers
  (:meth:`Store.results_state`), it claims the key's lease (:meth:`Store.claim_lease`: one
  worker per key, also with several servers on one PostgreSQL), looks again, computes with
  :func:`netwerk_widgets.views.compute`, writes the payload with its state, and releases;
- while answers keep coming in, a key is computed at most every
  :attr:`~ResultsWorker.min_gap` seconds, so new answers show within a few seconds and a
  stream of saves cannot keep the worker busy with one block;
- a compute that fails is logged, and a payload with one warning note
  (``worker.failed``) is cached for that state, so pages say so instead of waiting; it is
  tried again after :attr:`~ResultsWorker.retry_failed` seconds.

A heartbeat (:meth:`Store.beat`) every few seconds tells pages that a worker is there; one
that hears none shows ``worker.unavailable`` instead of waiting.

Run it with ``python -m netwerk_widgets.worker`` or ``netwerk worker`` (store:
``NETWERK_DB_URL`` or ``--db``). Our Voilà server (:mod:`netwerk_widgets._voila`) starts one
itself with :class:`WorkerProcess`, stops it when it stops, and tells its kernels to use it;
given ``--parent PID``, the worker also stops by itself when that process is gone.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import math
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from typing import Any

from .errors import NetwerkError
from .groupresults import Compute, default_compute, failure_text, notice_payload
from .results import dumps
from .settings import settings
from .store import Store, now, state_at_least

log = logging.getLogger(__name__)

Key = tuple[str, str, str]
"""``(session, block, language)``: what the results cache keeps one payload for."""


def lease_key(key: Key) -> str:
    """The name of the lease that lets one worker compute ``key``."""
    session, block, language = key
    return f"results/{session}/{block}/{language}"


class ResultsWorker:
    """Computes the group results pages ask for, once per key and state of the answers.

    Parameters
    ----------
    store : Store
        The store the pages use.
    compute : callable, optional
        ``compute(store, session, block, language) -> payload`` (default
        :func:`netwerk_widgets.views.compute`, imported on first use).
    name : str, optional
        Who holds leases and beats (default ``<host>:<pid>:<random>``, its own). A worker
        started again under the same name gets its leases back at once: give each worker a
        name of its own (our Voilà server uses ``<host>:<port>``).
    interval : float
        Seconds between two passes in :meth:`run`.
    watch_seconds : float
        A key asked for in the last this many seconds is kept current.
    min_gap : float
        A key is computed at most once per this many seconds.
    lease_seconds : float
        How long a claimed lease lasts; :meth:`run` renews it while computing.
    beat_every : float
        Seconds between two heartbeats.
    retry_failed : float
        A failed key is tried again for the same state after this many seconds.

    Attributes
    ----------
    computations : int
        Payloads written (failures included).
    failures : int
        Computations that raised.
    """

    def __init__(
        self,
        store: Store,
        compute: Compute | None = None,
        name: str | None = None,
        interval: float = 0.2,
        *,
        watch_seconds: float = 600.0,
        min_gap: float = 2.0,
        lease_seconds: float = 30.0,
        beat_every: float = 2.0,
        retry_failed: float = 30.0,
    ) -> None:
        self.store = store
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.interval = interval
        self.watch_seconds = watch_seconds
        self.min_gap = min_gap
        self.lease_seconds = lease_seconds
        self.beat_every = beat_every
        self.retry_failed = retry_failed
        self.computations = 0
        self.failures = 0
        self.started_at = now()
        self._compute = compute
        self._stop = threading.Event()
        self._holding: str | None = None
        self._busy = False
        self._beating = False
        self._last_beat = -math.inf
        self._last_prune = -math.inf
        self._last_compute: dict[Key, float] = {}
        self._failed: dict[Key, tuple[str, float]] = {}
        self._seen_request: dict[Key, int] = {}

    def __repr__(self) -> str:
        return f"ResultsWorker({self.name!r}, {self.store!r})"

    @property
    def compute(self) -> Compute:
        return self._compute or default_compute

    # --- one pass -------------------------------------------------------------------

    def step(self) -> int:
        """One pass over the watched keys; returns how many payloads it wrote.

        Keys asked for since the last pass come first (a page is waiting) and are all done;
        of the keys that are only watched, at most one is recomputed per pass, the one
        computed longest ago: a page's new request never waits behind a row of them.
        """
        moment = time.monotonic()
        if not self._beating and moment - self._last_beat >= self.beat_every:
            self.store.beat(self.name, self.started_at)
            self._last_beat = moment
        if moment - self._last_prune >= 60.0:
            self.store.prune_results(max(3600.0, 2 * self.watch_seconds))
            self._last_prune = moment
        watched = self.store.watched_results(self.watch_seconds)
        if not watched:
            return 0
        fresh = {key for key, last in watched.items() if last > self._seen_request.get(key, 0)}
        self._seen_request = dict(watched)
        order = sorted(
            watched,
            key=lambda k: (k not in fresh, self._last_compute.get(k, -math.inf), -watched[k]),
        )
        sessions = sorted({session for session, _block, _language in order})
        states = {session: self.store.results_state(session) for session in sessions}
        cached = self.store.cached_states(sessions)
        written = 0
        for key in order:
            if self._stop.is_set():
                break
            if not self._needs(key, states[key[0]], cached.get(key)):
                continue
            if time.monotonic() - self._last_compute.get(key, -math.inf) < self.min_gap:
                continue
            if self._compute_key(key):
                written += 1
                if key not in fresh:
                    break  # one watched key per pass; the next pass looks at requests first
        return written

    def _needs(self, key: Key, state: str, cached_state: str | None) -> bool:
        """Whether ``key`` needs computing for ``state``, given the cached payload's state."""
        if cached_state is None or not state_at_least(cached_state, state):
            return True
        failed = self._failed.get(key)
        return (
            failed is not None
            and failed[0] == cached_state
            and time.monotonic() - failed[1] >= self.retry_failed
        )

    def _compute_key(self, key: Key) -> bool:
        """Claim, look again, compute, write, release; ``False`` if someone else has it."""
        session, block, language = key
        lease = lease_key(key)
        if not self.store.claim_lease(lease, self.name, self.lease_seconds):
            return False
        self._holding = lease
        try:
            # Someone may have written it between our look and our claim: look again.
            state = self.store.results_state(session)
            if not self._needs(key, state, self.store.cached_states([session]).get(key)):
                return False
            started = time.monotonic()
            failed = False
            self._busy = True
            try:
                payload = dict(self.compute(self.store, session, block, language or None))
                payload["state"] = state
                text = dumps(payload)
            except Exception as exc:
                log.exception("computing %s/%s (%s) failed", session, block, language or "-")
                failed = True
                text = dumps(
                    notice_payload(
                        self.store, session, block, language, state, failure_text(exc, language)
                    )
                )
            finally:
                self._busy = False
            seconds = time.monotonic() - started
            self.store.put_results(
                session, block, language, state, text, seconds=seconds, worker=self.name
            )
            self._last_compute[key] = time.monotonic()
            self.computations += 1
            if failed:
                self.failures += 1
                self._failed[key] = (state, time.monotonic())
            else:
                self._failed.pop(key, None)
            log.info(
                "%s/%s (%s) for state %s in %.2f s%s",
                session,
                block,
                language or "-",
                state,
                seconds,
                " (failed)" if failed else "",
            )
            return True
        finally:
            self._holding = None
            try:
                self.store.release_lease(lease, self.name)
            except NetwerkError:
                log.warning("could not release %s (it expires by itself)", lease)

    # --- running --------------------------------------------------------------------

    def run(self) -> None:
        """Pass after pass until :meth:`stop`; beats (and renews its lease) in a thread.

        A pass that fails (the database away for a moment) is logged once and tried again.
        A worker runs once: after :meth:`stop` (even before ``run``), ``run`` returns at once.
        """
        self.store.beat(self.name, self.started_at)
        self._last_beat = time.monotonic()
        beater = None
        if not _in_memory(self.store):
            beater = threading.Thread(target=self._beat_loop, name="heartbeat", daemon=True)
            self._beating = True
            beater.start()
        failing = False
        try:
            self._warm_up()
            while not self._stop.is_set():
                started = time.monotonic()
                try:
                    self.step()
                    if failing:
                        log.info("passes work again")
                    failing = False
                except Exception:
                    if not failing:
                        log.exception("a pass failed; trying again")
                    failing = True
                    self._stop.wait(1.0)
                self._stop.wait(max(0.0, self.interval - (time.monotonic() - started)))
        finally:
            self._stop.set()
            if beater is not None:
                beater.join(self.beat_every + 5)
            self._beating = False
            with contextlib.suppress(NetwerkError):
                self.store.forget_worker(self.name, self.started_at)

    def stop(self) -> None:
        """Ask :meth:`run` to end after the current computation (thread-safe)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def busy(self) -> bool:
        """Whether it is computing (or warming up) right now: that may take seconds."""
        return self._busy

    def _warm_up(self) -> None:
        """Import the default compute and draw one chart now, not at the first request.

        Importing the views (pandas, Altair, networkx) and the first SVG (vl-convert starts
        its engine) take seconds; a worker started with the server pays them before anyone
        asks.
        """
        if self._compute is not None:
            return
        started = time.monotonic()
        self._busy = True
        try:
            import altair as alt

            from . import views  # noqa: F401
            from .results import Chart, section_payload

            section_payload(Chart(alt.Chart({"values": [{"x": 1}]}).mark_point().encode(x="x:Q")))
        except Exception:
            log.exception("warming up failed; the first request will tell more")
            return
        finally:
            self._busy = False
        log.info("ready in %.1f s", time.monotonic() - started)

    def _beat_loop(self) -> None:
        """Heartbeats (and renewal of the lease being computed) on a connection of its own."""
        failing = False
        try:
            store = Store(self.store.url)
        except NetwerkError:
            log.exception("heartbeat: the store cannot be opened")
            self._beating = False
            return
        try:
            while not self._stop.wait(self.beat_every):
                try:
                    store.beat(self.name, self.started_at)
                    holding = self._holding
                    if holding is not None:
                        store.renew_lease(holding, self.name, self.lease_seconds)
                    failing = False
                except NetwerkError as exc:
                    if not failing:
                        log.warning("heartbeat failed: %s", exc)
                    failing = True
        finally:
            store.close()


def _in_memory(store: Store) -> bool:
    """Whether ``store`` is a SQLite database in memory (no second connection sees it)."""
    return getattr(store._db, "path", None) == ":memory:"


# --- as a process ----------------------------------------------------------------------


def watch_parent(parent: int, worker: ResultsWorker, grace: float = 5.0) -> threading.Thread:
    """Stop ``worker`` when process ``parent`` is gone (a killed server leaves no worker).

    When the parent dies, this process gets another parent (``os.getppid()`` changes). The
    worker is asked to stop; if it is still computing after ``grace`` seconds, the process
    ends anyway (its lease expires or comes back to a worker of the same name).
    """

    def watch() -> None:
        while not worker.stopped:
            if os.getppid() != parent:
                log.info("the server (pid %s) is gone; stopping", parent)
                worker.stop()
                time.sleep(grace)
                os._exit(0)
            time.sleep(0.5)

    thread = threading.Thread(target=watch, name="parent-watch", daemon=True)
    thread.start()
    return thread


def serve(
    url: str | None = None,
    *,
    name: str | None = None,
    interval: float | None = None,
    parent: int | None = None,
) -> int:
    """Run a worker on the store ``url`` until SIGTERM/SIGINT (or ``parent`` is gone)."""
    if parent is not None and os.getppid() != parent:
        return 0  # the server died before we started
    config = settings()
    store = Store(url or config.store_url)
    worker = ResultsWorker(
        store, name=name, interval=config.worker_interval if interval is None else interval
    )

    def on_signal(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping", signum)
        worker.stop()
        if worker.busy:  # do not make the server wait for a computation nobody will see
            raise SystemExit(0)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    if parent is not None:
        watch_parent(parent, worker)
    log.info("results worker %s on %r", worker.name, store)
    try:
        worker.run()
    finally:
        store.close()
    log.info("results worker %s stopped after %d computations", worker.name, worker.computations)
    return 0


class WorkerProcess:
    """A results worker as a child process of this one, started again if it dies.

    Our Voilà server holds one (:mod:`netwerk_widgets._voila`). The child gets this process's
    environment (so the same ``NETWERK_DB_URL``) and ``--parent <our pid>``: it stops by
    itself when we are gone, even after a SIGKILL.

    Parameters
    ----------
    name : str, optional
        The worker's name (``--name``).
    env : dict, optional
        The child's environment (default: ours).
    logger : logging.Logger, optional
        Where to say that the worker ended and is started again (default: this module's).
    """

    stop_timeout = 3.0

    def __init__(
        self,
        name: str | None = None,
        env: dict[str, str] | None = None,
        logger: logging.Logger | logging.LoggerAdapter | None = None,
    ) -> None:
        self.command = [
            sys.executable,
            "-m",
            "netwerk_widgets.worker",
            f"--parent={os.getpid()}",
        ]
        if name:
            self.command.append(f"--name={name}")
        self.env = env
        self.log = logger or log
        self.process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        process = self.process
        return None if process is None else process.pid

    def start(self) -> None:
        """Start the worker, and a thread that starts it again whenever it ends early."""
        self._thread = threading.Thread(target=self._supervise, name="worker", daemon=True)
        self._thread.start()

    def _supervise(self) -> None:
        backoff = 1.0
        while True:
            with self._lock:
                if self._stopping.is_set():
                    return
                self.process = subprocess.Popen(self.command, env=self.env)
            started = time.monotonic()
            code = self.process.wait()
            if self._stopping.is_set():
                return
            backoff = 1.0 if time.monotonic() - started > 60 else min(backoff * 2, 30.0)
            self.log.warning(
                "Results worker ended (exit %s); starting it again in %.0f s.", code, backoff
            )
            if self._stopping.wait(backoff):
                return

    def stop(self) -> None:
        """Stop the worker (SIGTERM, then SIGKILL after :attr:`stop_timeout` seconds)."""
        with self._lock:
            self._stopping.set()
            process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(1.0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m netwerk_widgets.worker",
        description="Rekent de groepsresultaten uit voor alle pagina's (naast Voilà).",
    )
    parser.add_argument("--db", default=None, help="opslag-URL (standaard: $NETWERK_DB_URL)")
    parser.add_argument(
        "--name", default=None, help="naam van deze worker (standaard host:pid:willekeurig)"
    )
    parser.add_argument("--interval", type=float, default=None, help="seconden tussen rondes")
    parser.add_argument("--parent", type=int, default=None, help="stop als dit proces weg is")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        stream=sys.stderr,
        level=logging.INFO,
        format="[netwerk worker %(asctime)s %(levelname)s] %(message)s",
    )
    try:
        return serve(args.db, name=args.name, interval=args.interval, parent=args.parent)
    except NetwerkError as exc:
        print(f"netwerk worker: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
