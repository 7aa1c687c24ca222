"""Database backends for the store, chosen by URL scheme.

All SQL in :mod:`netwerk_widgets.store` uses ``:name`` parameters, which both Python's
``sqlite3`` and SQLAlchemy's ``text()`` understand. ``sqlite:///`` URLs use the standard
library (fast to import: every participant kernel pays that import at start-up); any other
SQLAlchemy URL (PostgreSQL for more than one machine) goes through SQLAlchemy.

Besides the answers, the schema holds the results worker's tables (see
:mod:`netwerk_widgets.worker`): ``results_cache`` (ready-made group results, one row per
session, block and language; older states are deleted), ``results_requests`` (pages asking
for results), ``leases`` (who computes what; claimed with one atomic upsert) and
``worker_beats`` (heartbeats). Times in the last three are seconds since 1970 on the
*database's* clock (:attr:`Backend.clock`), so that servers on several machines sharing one
PostgreSQL agree on when a lease expires, whatever their own clocks say.

``template_snapshots`` holds every workbook template a session was created with, as the
YAML text given then (one row per content hash, which covers name and version; ``migrated``
marks a snapshot read later from the file of a session made before snapshots existed), and
``session_templates`` links each session to its snapshot.

``workshop_events`` holds what a trainer screen did during the workshop (see
:mod:`netwerk_widgets.workshop`): hidden and shown answers, merged names, "everyone to this
block" and timers. Like the answers it is append-only. Only one snapshot that was not
migrated may exist per template name and version: the store refuses a changed template under
a version already used.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, unquote

from .errors import StoreError
from .settings import settings

_TABLES = """
CREATE TABLE IF NOT EXISTS sessions (
    code TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    network TEXT NOT NULL,
    template TEXT NOT NULL,
    template_version TEXT NOT NULL,
    trainer_key TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS session_events (
    id {serial},
    session TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS participants (
    id TEXT PRIMARY KEY,
    session TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    anonymous INTEGER NOT NULL,
    joined_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    id {serial},
    session TEXT NOT NULL,
    participant TEXT NOT NULL,
    block TEXT NOT NULL,
    question TEXT NOT NULL,
    item TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    value_num DOUBLE PRECISION,
    answered_at TEXT NOT NULL,
    template_version TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_by_key
    ON answers (session, participant, block, question, item, field, id);
CREATE INDEX IF NOT EXISTS participants_by_session ON participants (session);
CREATE INDEX IF NOT EXISTS answers_by_session ON answers (session, id);
CREATE TABLE IF NOT EXISTS results_cache (
    id {serial},
    session TEXT NOT NULL,
    block TEXT NOT NULL,
    language TEXT NOT NULL,
    state TEXT NOT NULL,
    payload TEXT NOT NULL,
    computed_at TEXT NOT NULL,
    seconds DOUBLE PRECISION NOT NULL,
    worker TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_cache_by_key ON results_cache (session, block, language, id);
CREATE TABLE IF NOT EXISTS results_requests (
    id {serial},
    session TEXT NOT NULL,
    block TEXT NOT NULL,
    language TEXT NOT NULL,
    asked_at DOUBLE PRECISION NOT NULL
);
CREATE INDEX IF NOT EXISTS results_requests_by_time ON results_requests (asked_at);
CREATE TABLE IF NOT EXISTS leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at DOUBLE PRECISION NOT NULL
);
CREATE TABLE IF NOT EXISTS worker_beats (
    worker TEXT PRIMARY KEY,
    beat_at DOUBLE PRECISION NOT NULL,
    started_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS template_snapshots (
    hash TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    stored_at TEXT NOT NULL,
    migrated INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS template_snapshots_one_per_version
    ON template_snapshots (name, version) WHERE migrated = 0;
CREATE TABLE IF NOT EXISTS session_templates (
    session TEXT PRIMARY KEY,
    template_hash TEXT NOT NULL,
    linked_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_templates_by_hash ON session_templates (template_hash);
CREATE TABLE IF NOT EXISTS workshop_events (
    id {serial},
    session TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL,
    screen TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS workshop_events_by_session ON workshop_events (session, kind, id);
"""

_SCHEMA_OBJECTS = tuple(
    re.findall(r"CREATE (?:TABLE|(?:UNIQUE )?INDEX) IF NOT EXISTS (\w+)", _TABLES)
)

_SQLITE_APPEND_ONLY = """
CREATE TRIGGER IF NOT EXISTS answers_no_update BEFORE UPDATE ON answers
BEGIN SELECT RAISE(ABORT, 'answers are append-only'); END;
CREATE TRIGGER IF NOT EXISTS answers_no_delete BEFORE DELETE ON answers
BEGIN SELECT RAISE(ABORT, 'answers are append-only'); END;
CREATE TRIGGER IF NOT EXISTS workshop_events_no_update BEFORE UPDATE ON workshop_events
BEGIN SELECT RAISE(ABORT, 'workshop events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS workshop_events_no_delete BEFORE DELETE ON workshop_events
BEGIN SELECT RAISE(ABORT, 'workshop events are append-only'); END;
"""

_POSTGRES_APPEND_ONLY = (
    "CREATE OR REPLACE FUNCTION netwerk_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'answers are append-only'; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS answers_append_only ON answers",
    "CREATE TRIGGER answers_append_only BEFORE UPDATE OR DELETE ON answers "
    "FOR EACH STATEMENT EXECUTE FUNCTION netwerk_append_only()",
    "DROP TRIGGER IF EXISTS workshop_events_append_only ON workshop_events",
    "CREATE TRIGGER workshop_events_append_only BEFORE UPDATE OR DELETE ON workshop_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION netwerk_append_only()",
)


class Backend(Protocol):
    """What the store needs from a database."""

    url: str
    clock: str
    """SQL for the database's current time in seconds since 1970 (a float), or the
    parameter ``:clock_epoch`` for databases without one (the store then passes its own)."""

    def create_schema(self) -> None: ...

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]: ...

    def transaction(self) -> Any: ...

    def append_only_lifted(self, tx: Any) -> Any:
        """Within ``tx``, let answers be deleted (only to purge a session), then refuse again."""
        ...

    def close(self) -> None: ...


class SqliteBackend:
    """SQLite through the standard library, in WAL mode with a busy timeout.

    Writes run in ``BEGIN IMMEDIATE`` transactions so that many kernels writing at once wait
    for each other instead of failing half-way. A write waits at most ``busy_timeout``
    seconds (``NETWERK_DB_BUSY_TIMEOUT``, default 10) for a lock held elsewhere: long enough
    for a crowd of short writes, short enough that a participant whose save cannot go through
    is told so (and the answer is kept and saved later) instead of a page that hangs.
    """

    clock = "((julianday('now') - 2440587.5) * 86400.0)"

    def __init__(self, url: str, path: str, busy_timeout: float | None = None) -> None:
        self.url = url
        self.path = path
        if busy_timeout is None:
            busy_timeout = settings().db_busy_timeout
        self.read_only = path != ":memory:" and _read_only(Path(path))
        if self.read_only:
            self._conn = _open_read_only(Path(path), busy_timeout)
            return
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if path != ":memory:":
            _switch_to_wal(self._conn, timeout=max(busy_timeout, 30))
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._file = _file_identity(path)

    def create_schema(self) -> None:
        if self.read_only:
            return  # a copy to read (a backup on a read-only disk): its schema is there
        script = _TABLES.format(serial="INTEGER PRIMARY KEY AUTOINCREMENT")
        self._conn.executescript("BEGIN IMMEDIATE;" + script + _SQLITE_APPEND_ONLY + "COMMIT;")

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        return self._conn.execute(sql, dict(params or {})).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[_Executor]:
        self._check_file()
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield _Executor(lambda sql, params: self._conn.execute(sql, dict(params)))
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @contextmanager
    def append_only_lifted(self, tx: _Executor) -> Iterator[None]:
        # DDL is part of the transaction in SQLite: a failure leaves the trigger in place.
        tx.execute("DROP TRIGGER IF EXISTS answers_no_delete")
        yield
        tx.execute(_statements(_SQLITE_APPEND_ONLY)[2] + "; END")

    def close(self) -> None:
        self._conn.close()

    def _check_file(self) -> None:
        """Refuse to write when the file at ``path`` is no longer the one this connection has.

        A store file removed (``rm``), moved away or replaced while kernels still have it
        open would take their answers into a file nobody can find: SQLite keeps writing to
        the open, unlinked file and every page says "Opgeslagen". Comparing device and inode
        with those at opening time notices that before each write (one ``stat``); the write
        then fails with a clear message, the page keeps the answer and tries again, and it
        is saved once the same file is back at its path.
        """
        if self._file is not None and _file_identity(self.path) != self._file:
            raise StoreError(key="reliability.store_file_gone")


def _file_identity(path: str) -> tuple[int, int] | None:
    """Device and inode of the file at ``path``; ``None`` for a database in memory, and
    ``(-1, -1)`` when there is no file at ``path``."""
    if path == ":memory:" or path.startswith("file:"):
        return None
    try:
        found = os.stat(path)
    except OSError:
        return (-1, -1)
    return (found.st_dev, found.st_ino)


def _switch_to_wal(conn: sqlite3.Connection, timeout: float) -> None:
    """``PRAGMA journal_mode = WAL``, retried while another connection holds a lock.

    Switching a new database file to WAL needs an exclusive lock, and SQLite asks for it
    without calling the busy handler: when many kernels open a new store at the same moment,
    some get "database is locked" at once, despite the busy timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorcode", None)
            if busy is None or busy & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            if time.monotonic() > deadline:
                raise
        time.sleep(random.uniform(0.005, 0.05))


class SqlAlchemyBackend:
    """Any other database SQLAlchemy can reach (PostgreSQL is the one we test)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy

        self.url = url
        self._sa = sqlalchemy
        self._engine = sqlalchemy.create_engine(url, pool_pre_ping=True)
        self._is_postgres = self._engine.dialect.name == "postgresql"
        self.clock = (
            "CAST(EXTRACT(EPOCH FROM clock_timestamp()) AS DOUBLE PRECISION)"
            if self._is_postgres
            else ":clock_epoch"
        )

    def create_schema(self) -> None:
        if self._is_postgres:
            with self._engine.connect() as conn:
                if _postgres_schema_complete(conn):
                    return  # the usual case: no DDL, so no table locks at every kernel start
        serial = "BIGSERIAL PRIMARY KEY" if self._is_postgres else "INTEGER PRIMARY KEY"
        with self._engine.begin() as conn:
            if self._is_postgres:  # one schema creation at a time, even from many kernels
                conn.exec_driver_sql("SELECT pg_advisory_xact_lock(424242)")
                if _postgres_schema_complete(conn):
                    return  # another kernel created it while we waited for the lock
            for statement in _statements(_TABLES.format(serial=serial)):
                conn.exec_driver_sql(statement)
            if self._is_postgres:
                for statement in _POSTGRES_APPEND_ONLY:
                    conn.exec_driver_sql(statement)

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        with self._engine.connect() as conn:
            return [tuple(row) for row in conn.execute(self._sa.text(sql), dict(params or {}))]

    @contextmanager
    def transaction(self) -> Iterator[_Executor]:
        with self._engine.begin() as conn:
            yield _Executor(lambda sql, params: conn.execute(self._sa.text(sql), dict(params)))

    @contextmanager
    def append_only_lifted(self, tx: _Executor) -> Iterator[None]:
        if not self._is_postgres:  # only PostgreSQL stores get the trigger through SQLAlchemy
            yield
            return
        tx.execute("ALTER TABLE answers DISABLE TRIGGER answers_append_only")
        yield
        tx.execute("ALTER TABLE answers ENABLE TRIGGER answers_append_only")

    def close(self) -> None:
        self._engine.dispose()


class _Executor:
    """The handle a transaction hands out: ``execute(sql, params)`` and ``fetch``."""

    def __init__(self, run: Any) -> None:
        self._run = run

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> int:
        """Run one statement; returns how many rows it inserted, updated or deleted."""
        return int(self._run(sql, params or {}).rowcount)

    def fetch(self, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
        """Run one query inside the transaction and return its rows."""
        return [tuple(row) for row in self._run(sql, params or {}).fetchall()]


def _postgres_schema_complete(conn: Any) -> bool:
    """Whether every table, index and the append-only trigger exist already (no locks taken).

    Creating the schema again is not harmless: ``DROP TRIGGER`` takes an ACCESS EXCLUSIVE lock
    on ``answers``, so every kernel start would wait for any open read of the answers and, in
    PostgreSQL's lock queue, hold up every save behind it.
    """
    checks = [f"to_regclass('{name}') IS NOT NULL" for name in _SCHEMA_OBJECTS]
    checks.extend(
        f"EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '{table}_append_only'"
        f" AND tgrelid = to_regclass('{table}'))"
        for table in ("answers", "workshop_events")
    )
    return bool(conn.exec_driver_sql("SELECT " + " AND ".join(checks)).scalar())


def _read_only(path: Path) -> bool:
    """Whether an existing SQLite file can only be read: the file or its folder (where the
    -wal and -shm files go) is not writable, e.g. a backup on a read-only mount."""
    if not path.exists():
        return False
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def _open_read_only(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A read-only connection: ``mode=ro`` (sees a copied -wal file too), or, where SQLite
    can not set up WAL reading without writing, ``immutable=1`` (nothing changes it)."""
    base = f"file:{quote(str(path.resolve()))}?mode=ro"
    problem: Exception | None = None
    for uri in (base, base + "&immutable=1"):
        try:
            conn = sqlite3.connect(
                uri, uri=True, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()
            return conn
        except sqlite3.Error as exc:
            problem = exc
    raise problem or sqlite3.OperationalError("unable to open database file")


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]


def backend_for(url: str) -> Backend:
    """The backend for a store URL: ``sqlite:///path`` or any SQLAlchemy URL."""
    if url.startswith("sqlite:///") and "?" not in url:
        path = unquote(url[len("sqlite:///") :]) or ":memory:"
        return SqliteBackend(url, path)
    if url == "sqlite://":
        return SqliteBackend(url, ":memory:")
    return SqlAlchemyBackend(url)
