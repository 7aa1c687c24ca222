"""Fifty participants at the same moment: real OS processes writing into one store.

Each participant is its own process (multiprocessing, ``forkserver`` context: a clean process
per participant, no state shared with pytest) that opens its own :class:`Store`. A barrier
releases all of them together. Every process writes :data:`APPENDS` answers whose values
encode its number and a sequence number, so afterwards we can check, row by row, that every
acknowledged answer is in the store exactly once, under the right participant and in the
right order, and that the latest edit of each key wins. The same with fifty processes that
open a brand-new, empty database at the same moment (schema creation racing), on SQLite and
on a real PostgreSQL server.

Two smaller tests pin down the two races these crowds found: a new SQLite file switching to
WAL while another connection writes, and a kernel starting while another connection keeps a
read transaction open (on PostgreSQL that used to take a table lock at every start).

Run only these: ``.venv/bin/pytest -q -p no:nbval tests/test_concurrency.py``.
"""

from __future__ import annotations

import itertools
import multiprocessing
import queue
import sqlite3
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from netwerk_widgets.store import Answer, Store

PARTICIPANTS = 50
APPENDS = 20  # per participant; every append writes two answers in one transaction
KEYS = 5  # the edited questions q0..q4: each is edited APPENDS / KEYS times
SESSION = "RACE01"
TEMPLATE = {"template": "netwerkwerkboek", "template_version": "1.1"}
BLOCK = "drukte"
TIMEOUT = 120  # seconds for the whole crowd; a hang fails the test instead of blocking it

_CONTEXT = multiprocessing.get_context("forkserver")
# Import the heavy modules once in the fork server instead of fifty times; every participant
# is still a process of its own with its own Store and its own database connection. (This
# module itself can not be preloaded: Python 3.11's fork server ignores pytest's sys.path.
# Each participant imports it, which is cheap once pytest is loaded.)
_CONTEXT.set_forkserver_preload(
    ["netwerk_widgets.store", "psycopg", "sqlalchemy.dialects.postgresql.psycopg", "pytest"]
)


def participant_id(number: int) -> str:
    return f"p-{number:02d}"


def value(number: int, seq: int) -> str:
    """The value participant ``number`` writes in append ``seq``: it names both."""
    return f"{participant_id(number)}#{seq:02d}"


def answers(number: int, seq: int) -> list[Answer]:
    """Append ``seq`` of a participant: an edit of a shared key and a key of its own."""
    text, num = value(number, seq), number * 1000 + seq
    return [
        Answer(BLOCK, f"q{seq % KEYS}", text, field="score", value_num=num),
        Answer(BLOCK, "volgorde", text, item=str(seq), value_num=num),
    ]


def session_of(number: int, empty_database: bool) -> str:
    return f"S{number:02d}" if empty_database else SESSION


def participant_process(
    url: str, number: int, barrier: Any, results: Any, empty_database: bool
) -> None:
    """One participant: open the store, wait for everyone, then append as fast as possible.

    With ``empty_database`` the store is opened only after the barrier (fifty processes create
    the schema at once) and each process then creates its own session and joins it.
    """
    outcome: dict[str, Any] = {"number": number, "acked": [], "failed": [], "error": None}
    store = None
    try:
        code = session_of(number, empty_database)
        if not empty_database:
            store = Store(url)
            me = store.join(code, f"Deelnemer {number}", participant_id=participant_id(number))
        barrier.wait(timeout=TIMEOUT)
        outcome["start"] = time.time()
        if empty_database:
            store = Store(url)
            store.create_session(f"Sessie {number}", code=code, **TEMPLATE)
            me = store.join(code, f"Deelnemer {number}", participant_id=participant_id(number))
        for seq in range(APPENDS):
            try:
                store.append(me, answers(number, seq))
            except Exception as exc:  # not acknowledged: must not be in the store
                outcome["failed"].append((seq, f"{type(exc).__name__}: {exc}"))
            else:
                outcome["acked"].append(seq)
        outcome["end"] = time.time()
    except Exception:
        outcome["error"] = traceback.format_exc()
    finally:
        if store is not None:
            store.close()
        results.put(outcome)


def run_crowd(url: str, *, empty_database: bool) -> list[dict[str, Any]]:
    """Start the fifty participant processes, wait for all of them, return their outcomes."""
    barrier = _CONTEXT.Barrier(PARTICIPANTS)
    results = _CONTEXT.Queue()
    processes = [
        _CONTEXT.Process(
            target=participant_process,
            args=(url, number, barrier, results, empty_database),
            name=f"deelnemer-{number}",
        )
        for number in range(PARTICIPANTS)
    ]
    outcomes: list[dict[str, Any]] = []
    deadline = time.monotonic() + TIMEOUT
    try:
        for process in processes:
            process.start()
        while len(outcomes) < PARTICIPANTS:
            try:
                outcomes.append(results.get(timeout=max(0.1, deadline - time.monotonic())))
            except queue.Empty:
                break
        for process in processes:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
                process.join()
    assert len(outcomes) == PARTICIPANTS, (
        f"only {len(outcomes)} of {PARTICIPANTS} participants reported back; exit codes: "
        f"{[p.exitcode for p in processes]}"
    )
    assert [p.exitcode for p in processes] == [0] * PARTICIPANTS
    errors = {o["number"]: o["error"] for o in outcomes if o["error"]}
    assert not errors, "\n".join(f"participant {n}:\n{e}" for n, e in errors.items())
    return sorted(outcomes, key=lambda o: o["number"])


def row_key(row: dict[str, Any]) -> tuple:
    return (
        row["session"],
        row["participant"],
        row["block"],
        row["question"],
        row["item"],
        row["field"],
        row["value"],
        row["value_num"],
    )


def expected_rows(number: int, seq: int, empty_database: bool) -> list[tuple]:
    session, pid = session_of(number, empty_database), participant_id(number)
    return [
        (session, pid, a.block, a.question, a.item, a.field, a.value, a.value_num)
        for a in answers(number, seq)
    ]


def check_store(url: str, outcomes: list[dict[str, Any]], *, empty_database: bool) -> int:
    """Compare the store with what the participants were told was saved.

    Returns how often consecutive history rows switch participant (how much they interleaved).
    """
    with Store(url) as store:
        history = store.current(history=True)
        current = store.current()
        by_participant = {
            participant_id(o["number"]): store.current(
                session_of(o["number"], empty_database), participant_id(o["number"])
            )
            for o in outcomes
        }
        sessions = {s.code for s in store.sessions()}
    expected_sessions = {session_of(o["number"], empty_database) for o in outcomes}
    assert sessions == expected_sessions

    rows_of: dict[str, list[tuple]] = defaultdict(list)
    for row in history:
        rows_of[row["participant"]].append(row_key(row))
    assert set(rows_of) == {participant_id(o["number"]) for o in outcomes}
    assert len(history) == sum(2 * len(o["acked"]) for o in outcomes)
    assert len({row["id"] for row in history}) == len(history)

    for outcome in outcomes:
        number, pid = outcome["number"], participant_id(outcome["number"])
        # History: exactly the acknowledged answers, each once, in the order they were made.
        expected = [
            r for seq in outcome["acked"] for r in expected_rows(number, seq, empty_database)
        ]
        assert rows_of[pid] == expected, f"history of {pid} differs"
        # Current: the last acknowledged edit of every key, and each own key once.
        latest: dict[tuple, tuple] = {}
        for seq in outcome["acked"]:
            for r in expected_rows(number, seq, empty_database):
                latest[r[:6]] = r
        mine = sorted(row_key(r) for r in current if r["participant"] == pid)
        assert mine == sorted(latest.values()), f"current answers of {pid} differ"
        assert sorted(row_key(r) for r in by_participant[pid]) == mine

    return sum(a["participant"] != b["participant"] for a, b in itertools.pairwise(history))


def assert_all_acknowledged(outcomes: list[dict[str, Any]]) -> None:
    """Fifty people at once is a normal workshop: no answer may be refused."""
    failed = {o["number"]: o["failed"] for o in outcomes if o["failed"]}
    assert not failed, f"appends refused under load: {failed}"
    assert all(o["acked"] == list(range(APPENDS)) for o in outcomes)


def assert_overlapping(outcomes: list[dict[str, Any]], switches: int) -> None:
    """The participants really wrote at the same moment, not one after another.

    ``together`` is the largest number of participants inside their append loop at one
    instant; one after another it would be 1, and the history would switch participant only
    ``PARTICIPANTS - 1`` times.
    """
    together = max(sum(o["start"] <= s["start"] < o["end"] for o in outcomes) for s in outcomes)
    spread = max(o["start"] for o in outcomes) - min(o["start"] for o in outcomes)
    took = max(o["end"] for o in outcomes) - min(o["start"] for o in outcomes)
    print(
        f"\n{together}/{PARTICIPANTS} writing together, released within {spread:.3f} s, "
        f"all appends in {took:.2f} s, {switches} participant switches in the history"
    )
    assert together >= PARTICIPANTS // 4
    assert switches > PARTICIPANTS


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, sqlite_url: str) -> str:
    """An empty database: a SQLite file that does not exist yet, or a new PostgreSQL one."""
    if request.param == "sqlite":
        return sqlite_url
    return request.getfixturevalue("postgres").new_database()


def test_fifty_participants_append_at_the_same_moment(store_url: str) -> None:
    with Store(store_url) as store:
        store.create_session("Drukte", code=SESSION, **TEMPLATE)
    outcomes = run_crowd(store_url, empty_database=False)
    assert_all_acknowledged(outcomes)
    switches = check_store(store_url, outcomes, empty_database=False)
    assert_overlapping(outcomes, switches)


def test_fifty_participants_open_an_empty_database_at_the_same_moment(store_url: str) -> None:
    outcomes = run_crowd(store_url, empty_database=True)
    assert_all_acknowledged(outcomes)
    switches = check_store(store_url, outcomes, empty_database=True)
    assert_overlapping(outcomes, switches)


def test_a_new_sqlite_file_switches_to_wal_while_another_kernel_writes(tmp_path: Path) -> None:
    """What made a few of fifty kernels fail on a new file, now made to happen every time.

    Switching a file that is not in WAL mode yet to WAL upgrades a read lock to a write lock,
    and SQLite then reports "database is locked" at once instead of waiting when another
    connection is writing (to avoid a deadlock between the two). Opening the store has to
    wait and retry.
    """
    path = tmp_path / "nieuw.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE klaarzetten (x)")  # a file in the default journal mode
    other.execute("BEGIN IMMEDIATE")  # another kernel is writing to it, for one second
    release = threading.Timer(1.0, other.execute, ("COMMIT",))
    release.start()
    try:
        with Store(f"sqlite:///{path}") as store:
            store.create_session("Nieuw", code=SESSION, **TEMPLATE)
    finally:
        release.join()
        other.close()
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert check.execute("SELECT code FROM sessions").fetchall() == [(SESSION,)]
    finally:
        check.close()


@contextmanager
def open_read(url: str) -> Iterator[None]:
    """Another connection that has read the answers and left its transaction open."""
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url[len("sqlite:///") :], isolation_level=None)
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM answers").fetchall()
        try:
            yield
        finally:
            conn.close()
        return
    import sqlalchemy

    engine = sqlalchemy.create_engine(url)
    try:
        with engine.connect() as conn:  # SQLAlchemy opens a transaction and keeps it open
            conn.exec_driver_sql("SELECT count(*) FROM answers").all()
            yield
    finally:
        engine.dispose()


def test_a_kernel_starting_does_not_wait_for_an_open_read(store_url: str) -> None:
    """Opening the store on an existing schema does not wait for other connections' reads.

    An analyst's notebook that read the answers and left its transaction open must not stop
    a participant kernel from starting and saving (on PostgreSQL a waiting lock would also
    hold up, in the lock queue, every other participant's save behind it).
    """
    with Store(store_url) as store:
        store.create_session("Lezer", code=SESSION, **TEMPLATE)
        me = store.join(SESSION, "Anna", participant_id=participant_id(0))
    saved = threading.Event()

    def start_kernel_and_save() -> None:
        with Store(store_url) as kernel:
            kernel.append(me, answers(0, 0))
        saved.set()

    kernel = threading.Thread(target=start_kernel_and_save, daemon=True)
    with open_read(store_url):
        kernel.start()
        in_time = saved.wait(15)
    kernel.join(30)
    assert in_time, "opening the store waited for another connection's open transaction"
    assert saved.is_set()
    with Store(store_url) as store:
        assert [r["value"] for r in store.current(SESSION)] == [a.value for a in answers(0, 0)]
