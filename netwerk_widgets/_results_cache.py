"""The results worker's tables in the store: cached group results, requests, leases, beats.

:class:`ResultsCache` is the part of :class:`~netwerk_widgets.Store` that
:mod:`netwerk_widgets.worker` and the pages use to share group results computed once per
session, block, language and state of the answers (see :mod:`netwerk_widgets.groupresults`).
Those rows are not answers: they may be deleted and computed again. Times of requests,
leases and heartbeats come from the database's clock, so several machines agree on them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

from ._records import MODERATION_KINDS, now
from .results import FORMAT

if TYPE_CHECKING:
    from ._backends import Backend


class CachedResults(NamedTuple):
    """The newest row of the results cache for one session, block and language."""

    state: str
    """The state of the answers the payload was computed for (:meth:`Store.results_state`)."""
    payload: str
    """The payload as JSON text (see :mod:`netwerk_widgets.results`)."""
    id: int
    """The row's id: it grows with every new payload (:meth:`Store.results_stamp`)."""


def state_at_least(state: str, other: str) -> bool:
    """Whether results computed for ``state`` are as new as ``other`` or newer.

    A state (:meth:`Store.results_state`) is ``"<format>:<last answer id>:<participants>:<last
    moderation event>"``; every number only grows. Another payload format is never "as new".
    """
    try:
        mine = [int(part) for part in state.split(":")]
        theirs = [int(part) for part in other.split(":")]
    except ValueError:
        return False
    if len(mine) < 3 or len(mine) != len(theirs) or mine[0] != theirs[0]:
        return False
    return all(a >= b for a, b in zip(mine[1:], theirs[1:], strict=True))


class ResultsCache:
    """Methods of :class:`~netwerk_widgets.Store` for the results worker's tables."""

    if TYPE_CHECKING:
        _db: Backend

        def _read(self, sql: str, params: dict[str, Any] | None = None) -> list[tuple]: ...
        def _write(self) -> Any: ...

    def results_state(self, code: str) -> str:
        """A text that changes whenever the group results of a session may change.

        ``"<payload format>:<id of the session's last answer>:<participants>:<id of the last
        hide or merge>"``: a new answer (in any block: views read profiles from other
        blocks), a participant who joins, or a trainer hiding an answer or merging two names
        makes it change; three indexed aggregates, cheap enough to ask on every click. Compare
        two states with :func:`state_at_least`.
        """
        code = code.strip().upper()
        rows = self._read(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM answers WHERE session = :code),"
            " (SELECT COUNT(*) FROM participants WHERE session = :code),"
            " (SELECT COALESCE(MAX(id), 0) FROM workshop_events WHERE session = :code"
            f" AND kind IN ({', '.join(repr(k) for k in MODERATION_KINDS)}))",
            {"code": code},
        )
        last_answer, participants, moderated = rows[0]
        return f"{FORMAT}:{int(last_answer)}:{int(participants)}:{int(moderated)}"

    def cached_results(self, code: str, block: str, language: str | None) -> CachedResults | None:
        """The newest cached payload of a block in a language (any state), or ``None``."""
        rows = self._read(
            "SELECT state, payload, id FROM results_cache WHERE session = :session"
            " AND block = :block AND language = :language ORDER BY id DESC LIMIT 1",
            _results_key(code, block, language),
        )
        if not rows:
            return None
        state, payload, row_id = rows[0]
        return CachedResults(state, payload, int(row_id))

    def results_stamp(self, code: str, block: str, language: str | None) -> int:
        """The id of the newest cached payload of a block (0: none): cheap, for polling.

        It changes exactly when a new payload was written, without reading the payload.
        """
        rows = self._read(
            "SELECT COALESCE(MAX(id), 0) FROM results_cache WHERE session = :session"
            " AND block = :block AND language = :language",
            _results_key(code, block, language),
        )
        return int(rows[0][0])

    def cached_states(
        self, sessions: Iterable[str] | None = None
    ) -> dict[tuple[str, str, str], str]:
        """The state of the newest payload of every cached ``(session, block, language)``
        (of ``sessions`` only, if given): what the worker compares with the answers' state."""
        codes = sorted({code.strip().upper() for code in sessions or ()})
        if sessions is not None and not codes:
            return {}
        params = {f"s{i}": code for i, code in enumerate(codes)}
        where = f" WHERE session IN ({', '.join(':' + name for name in params)})" if codes else ""
        rows = self._read(
            "SELECT session, block, language, state FROM results_cache WHERE id IN"
            f" (SELECT MAX(id) FROM results_cache{where} GROUP BY session, block, language)",
            params,
        )
        return {(s, b, lang): state for s, b, lang, state in rows}

    def put_results(
        self,
        code: str,
        block: str,
        language: str | None,
        state: str,
        payload: str,
        *,
        seconds: float = 0.0,
        worker: str = "",
    ) -> int:
        """Cache a block's payload (JSON text) computed for ``state``; returns its id.

        Older rows of the same session, block and language are deleted in the same
        transaction (the cache keeps the newest only). If the cache already holds a payload
        for a strictly newer state (a slower computer finishing late), nothing is written
        and that row's id is returned.
        """
        key = _results_key(code, block, language)
        with self._write() as tx:
            newest = tx.fetch(
                "SELECT id, state FROM results_cache WHERE session = :session"
                " AND block = :block AND language = :language ORDER BY id DESC LIMIT 1",
                key,
            )
            if newest and newest[0][1] != state and state_at_least(newest[0][1], state):
                return int(newest[0][0])
            tx.execute(
                "INSERT INTO results_cache (session, block, language, state, payload,"
                " computed_at, seconds, worker) VALUES (:session, :block, :language, :state,"
                " :payload, :computed_at, :seconds, :worker)",
                {
                    **key,
                    "state": state,
                    "payload": payload,
                    "computed_at": now(),
                    "seconds": float(seconds),
                    "worker": worker,
                },
            )
            row_id = int(
                tx.fetch(
                    "SELECT MAX(id) FROM results_cache WHERE session = :session"
                    " AND block = :block AND language = :language",
                    key,
                )[0][0]
            )
            tx.execute(
                "DELETE FROM results_cache WHERE session = :session AND block = :block"
                " AND language = :language AND id < :id",
                {**key, "id": row_id},
            )
        return row_id

    def request_results(self, code: str, block: str, language: str | None) -> None:
        """Ask the results worker for a block's results, and to keep them current.

        A page showing group results asks again about once a minute; the worker keeps a
        block that was asked for in the last minutes up to date (:meth:`watched_results`).
        """
        self._write_at_clock(
            "INSERT INTO results_requests (session, block, language, asked_at)"
            " VALUES (:session, :block, :language, {clock})",
            _results_key(code, block, language),
        )

    def watched_results(self, within_seconds: float) -> dict[tuple[str, str, str], int]:
        """Every ``(session, block, language)`` asked for in the last ``within_seconds``,
        with the id of its newest request (ids grow: a higher one is a newer request)."""
        rows = self._read_at_clock(
            "SELECT session, block, language, MAX(id) FROM results_requests"
            " WHERE asked_at > {clock} - :within GROUP BY session, block, language",
            {"within": float(within_seconds)},
        )
        return {(s, b, lang): int(last) for s, b, lang, last in rows}

    def prune_results(self, requests_older_than: float = 3600.0) -> None:
        """Forget requests, expired leases and heartbeats older than ``requests_older_than``
        seconds (the results worker calls this now and then; answers are never touched)."""
        with self._write() as tx:
            params = {"age": float(requests_older_than), **self._clock_params()}
            clock = self._db.clock
            tx.execute(f"DELETE FROM results_requests WHERE asked_at < {clock} - :age", params)
            tx.execute(f"DELETE FROM leases WHERE expires_at < {clock} - :age", params)
            tx.execute(f"DELETE FROM worker_beats WHERE beat_at < {clock} - :age", params)

    def claim_lease(self, key: str, holder: str, seconds: float) -> bool:
        """Take the lease ``key`` for ``seconds``; ``True`` if ``holder`` has it now.

        One atomic statement: an insert that, when the key exists, takes the row over only
        if its lease has expired (or is ``holder``'s own already: a holder that restarts
        under the same name gets its leases back at once). Whoever else tries at the same
        moment, in any process on any machine sharing the database, gets ``False``.
        """
        changed = self._write_at_clock(
            "INSERT INTO leases (name, holder, expires_at) VALUES (:name, :holder,"
            " {clock} + :seconds) ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
            " expires_at = excluded.expires_at WHERE leases.expires_at < {clock}"
            " OR leases.holder = excluded.holder",
            {"name": key, "holder": holder, "seconds": float(seconds)},
        )
        return changed == 1

    def renew_lease(self, key: str, holder: str, seconds: float) -> bool:
        """Extend ``holder``'s lease ``key`` to ``seconds`` from now; ``False`` if it is not
        theirs (any more)."""
        changed = self._write_at_clock(
            "UPDATE leases SET expires_at = {clock} + :seconds"
            " WHERE name = :name AND holder = :holder",
            {"name": key, "holder": holder, "seconds": float(seconds)},
        )
        return changed == 1

    def release_lease(self, key: str, holder: str) -> None:
        """Give the lease ``key`` back (only if ``holder`` holds it)."""
        with self._write() as tx:
            tx.execute(
                "DELETE FROM leases WHERE name = :name AND holder = :holder",
                {"name": key, "holder": holder},
            )

    def beat(self, worker: str, started_at: str = "") -> None:
        """Record that the results worker ``worker`` is alive (every few seconds)."""
        self._write_at_clock(
            "INSERT INTO worker_beats (worker, beat_at, started_at) VALUES (:worker, {clock},"
            " :started_at) ON CONFLICT (worker) DO UPDATE SET beat_at = excluded.beat_at,"
            " started_at = excluded.started_at",
            {"worker": worker, "started_at": started_at or now()},
        )

    def forget_worker(self, worker: str, started_at: str | None = None) -> None:
        """Remove a stopping worker's heartbeat, so pages know at once that it is gone.

        With ``started_at`` (what it passed to :meth:`beat`), only if no newer worker of the
        same name (a server started again on the same port) has beaten since.
        """
        sql = "DELETE FROM worker_beats WHERE worker = :worker"
        if started_at is not None:
            sql += " AND started_at = :started_at"
        with self._write() as tx:
            tx.execute(sql, {"worker": worker, "started_at": started_at or ""})

    def worker_alive(self, within_seconds: float = 15.0) -> bool:
        """Whether any results worker has beaten in the last ``within_seconds`` seconds."""
        rows = self._read_at_clock(
            "SELECT COUNT(*) FROM worker_beats WHERE beat_at > {clock} - :within",
            {"within": float(within_seconds)},
        )
        return int(rows[0][0]) > 0

    def _clock_params(self) -> dict[str, float]:
        return {"clock_epoch": time.time()} if self._db.clock == ":clock_epoch" else {}

    def _read_at_clock(self, sql: str, params: dict[str, Any]) -> list[tuple]:
        return self._read(
            sql.replace("{clock}", self._db.clock), {**params, **self._clock_params()}
        )

    def _write_at_clock(self, sql: str, params: dict[str, Any]) -> int:
        with self._write() as tx:
            return tx.execute(
                sql.replace("{clock}", self._db.clock), {**params, **self._clock_params()}
            )


def _results_key(code: str, block: str, language: str | None) -> dict[str, str]:
    return {"session": code.strip().upper(), "block": block, "language": language or ""}
