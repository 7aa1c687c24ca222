"""The results worker, its store tables and the pages' client, with real parts.

Real SQLite files and a real PostgreSQL server (``any_store``), real threads and processes
with a :class:`Store` (and so a database connection) each, a real :class:`ResultsWorker`
running its loop, and a real Voilà server that starts the worker as a child process. Only
the computation is a fake: :class:`FakeCompute` counts its calls and returns a small payload
that says how many answers it saw.

Run only these: ``.venv/bin/pytest -q -p no:nbval tests/test_worker.py``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psutil
import pytest

from netwerk_widgets import SessionError
from netwerk_widgets.groupresults import GroupResults, is_notice
from netwerk_widgets.messages import messages
from netwerk_widgets.results import FORMAT, BlockResults, Note, dumps, to_payload
from netwerk_widgets.store import Answer, Store, state_at_least
from netwerk_widgets.templates import load_template
from netwerk_widgets.worker import ResultsWorker, lease_key

ROOT = Path(__file__).resolve().parent.parent
SESSION = "W1"
BLOCK = "werkblad"
HEAVY = ("pandas", "altair", "networkx", "vl_convert", "numpy")


def make_session(store: Store, code: str = SESSION, participants: int = 2) -> list:
    store.create_session("Werker", template="netwerkwerkboek", template_version="1.1", code=code)
    people = [store.join(code, f"Deelnemer {i}") for i in range(participants)]
    store.append(people[0], [Answer(BLOCK, "uitdagingen", "eerste", item="r1", field="x")])
    return people


def add_answer(store: Store, person: Any, text: str = "nog een") -> None:
    store.append(person, [Answer(BLOCK, "uitdagingen", text, item="r2", field="x")])


class FakeCompute:
    """A compute that counts its calls (thread-safe) and says how many answers it saw."""

    def __init__(self, delay: float = 0.0, fail_blocks: tuple[str, ...] = ()) -> None:
        self.delay = delay
        self.fail_blocks = fail_blocks
        self.calls: list[tuple[str, str, str | None]] = []
        self._lock = threading.Lock()

    def __call__(self, store: Store, session: str, block: str, language: str | None) -> dict:
        with self._lock:
            self.calls.append((session, block, language))
        if self.delay:
            time.sleep(self.delay)
        if block in self.fail_blocks:
            raise ZeroDivisionError("the view has a bug")
        answers = len(store.current(session))
        results = BlockResults(
            session, block, "Werkblad", language or "nl", sections=(Note(f"{answers} antwoorden"),)
        )
        return to_payload(results)


def forbidden(*_args: object) -> dict:
    raise AssertionError("a page in worker mode must never compute")


@contextmanager
def running(worker: ResultsWorker) -> Iterator[threading.Thread]:
    """``worker.run()`` in a thread for the duration of the block."""
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not worker.store.worker_alive(5) and time.monotonic() < deadline:
            time.sleep(0.02)
        yield thread
    finally:
        worker.stop()
        thread.join(15)
        assert not thread.is_alive()


def cache_rows(store: Store, block: str = BLOCK) -> int:
    return store._read(
        "SELECT COUNT(*) FROM results_cache WHERE session = :s AND block = :b",
        {"s": SESSION, "b": block},
    )[0][0]


def answers_seen(payload: dict) -> int:
    return int(payload["sections"][0]["text"].split()[0])


# --- the store's tables ------------------------------------------------------------------


def test_results_state_changes_with_answers_and_participants(any_store: Store) -> None:
    people = make_session(any_store)
    first = any_store.results_state("w1")
    assert first.startswith(f"{FORMAT}:")
    assert any_store.results_state(SESSION) == first  # nothing happened: the same
    add_answer(any_store, people[1])
    second = any_store.results_state(SESSION)
    any_store.join(SESSION, "Laatkomer")
    third = any_store.results_state(SESSION)
    assert len({first, second, third}) == 3
    assert state_at_least(third, second) and state_at_least(second, first)
    assert not state_at_least(first, second)
    assert not state_at_least(f"{FORMAT + 1}:999:999", first)  # another payload layout
    assert not state_at_least("", first)


def test_the_cache_keeps_the_newest_payload_per_key(any_store: Store) -> None:
    make_session(any_store)
    assert any_store.cached_results(SESSION, BLOCK, "nl") is None
    assert any_store.results_stamp(SESSION, BLOCK, "nl") == 0
    old = f"{FORMAT}:1:2"
    new = f"{FORMAT}:5:2"
    first = any_store.put_results(SESSION, BLOCK, "nl", old, '{"a":1}', seconds=1.5, worker="w")
    any_store.put_results(SESSION, BLOCK, "en", old, '{"a":"en"}', worker="w")
    assert any_store.results_stamp("w1", BLOCK, "nl") == first
    second = any_store.put_results(SESSION, BLOCK, "nl", new, '{"a":2}', worker="w")
    assert second > first
    assert any_store.cached_results(SESSION, BLOCK, "nl") == (new, '{"a":2}', second)
    # A slow computer that finishes late with an older state changes nothing.
    assert any_store.put_results(SESSION, BLOCK, "nl", old, '{"a":0}', worker="slow") == second
    assert any_store.cached_results(SESSION, BLOCK, "en").payload == '{"a":"en"}'
    assert cache_rows(any_store) == 2  # one per language: older states were deleted
    assert any_store.cached_states([SESSION]) == {
        (SESSION, BLOCK, "nl"): new,
        (SESSION, BLOCK, "en"): old,
    }
    assert any_store.cached_states(["NOPE"]) == {}
    assert any_store.cached_states([]) == {}


def test_requests_are_watched_for_a_while(any_store: Store) -> None:
    make_session(any_store)
    any_store.request_results(SESSION, BLOCK, "nl")
    any_store.request_results(SESSION, BLOCK, "nl")
    any_store.request_results(SESSION, "ambities", None)
    watched = any_store.watched_results(60)
    assert set(watched) == {(SESSION, BLOCK, "nl"), (SESSION, "ambities", "")}
    time.sleep(0.3)
    assert any_store.watched_results(0.1) == {}  # asked longer ago than that
    any_store.prune_results(0.1)
    assert any_store.watched_results(60) == {}


def test_a_lease_has_one_holder_until_it_expires(any_store: Store) -> None:
    assert any_store.claim_lease("k", "a", 30)
    assert not any_store.claim_lease("k", "b", 30)
    assert any_store.claim_lease("k", "a", 30)  # the holder again (a restart, same name)
    assert not any_store.renew_lease("k", "b", 30)
    assert any_store.renew_lease("k", "a", 0.2)
    any_store.release_lease("k", "b")  # not b's: nothing happens
    assert not any_store.claim_lease("k", "b", 30)
    time.sleep(0.4)
    assert any_store.claim_lease("k", "b", 30)  # expired: taken over
    assert not any_store.renew_lease("k", "a", 30)
    any_store.release_lease("k", "b")
    assert any_store.claim_lease("k", "c", 30)


def _claim_at_once(url: str, holder: str, barrier: Any, results: Any) -> None:
    with Store(url) as store:
        barrier.wait(60)
        results.put((holder, store.claim_lease("race", holder, 60)))


def test_a_lease_is_claimed_once_by_racing_processes(any_store: Store) -> None:
    """Eight processes, each with its own connection, claim one lease at the same moment."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(8), context.Queue()
    processes = [
        context.Process(target=_claim_at_once, args=(any_store.url, f"p{i}", barrier, results))
        for i in range(8)
    ]
    for process in processes:
        process.start()
    claims = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
    winners = [holder for holder, won in claims if won]
    assert len(winners) == 1
    assert any_store._read("SELECT holder FROM leases WHERE name = 'race'") == [(winners[0],)]


def test_heartbeats_say_whether_a_worker_is_alive(any_store: Store) -> None:
    assert not any_store.worker_alive(10)
    any_store.beat("w1")
    assert any_store.worker_alive(10)
    time.sleep(0.3)
    assert not any_store.worker_alive(0.1)
    any_store.beat("w1", started_at="first")
    any_store.beat("w1", started_at="second")  # started again under the same name
    any_store.forget_worker("w1", started_at="first")  # the first one stops late
    assert any_store.worker_alive(10)
    any_store.forget_worker("w1")
    assert not any_store.worker_alive(10)


def test_an_existing_postgres_database_gets_the_new_tables(postgres: Any) -> None:
    url = postgres.new_database()
    with Store(url) as store, store._write() as tx:
        for table in ("results_cache", "results_requests", "leases", "worker_beats"):
            tx.execute(f"DROP TABLE {table}")  # as a database from before the worker
    with Store(url) as store:
        store.beat("w")
        assert store.worker_alive(10)
        assert store.results_stamp("X", "b", "nl") == 0


# --- the worker and the pages -----------------------------------------------------------


def test_many_participants_asking_at_once_cause_one_computation(any_store: Store) -> None:
    """(a) Twenty pages ask at the same moment, each with its own Store: one computation."""
    make_session(any_store)
    compute = FakeCompute(delay=0.5)
    worker = ResultsWorker(Store(any_store.url), compute=compute, interval=0.05)
    pages = 20
    barrier = threading.Barrier(pages)
    got: list[dict | None] = [None] * pages
    computed: list[int] = [-1] * pages

    def participant(number: int) -> None:
        with Store(any_store.url) as store:
            client = GroupResults(store, SESSION, "nl", use_worker=True, compute=forbidden)
            barrier.wait(30)
            got[number] = client.get(BLOCK, timeout=15)
            computed[number] = client.computations

    with running(worker):
        threads = [threading.Thread(target=participant, args=(i,)) for i in range(pages)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    state = any_store.results_state(SESSION)
    assert len(compute.calls) == 1 == worker.computations
    assert computed == [0] * pages
    assert all(payload is not None and payload["state"] == state for payload in got)
    assert {answers_seen(payload) for payload in got} == {1}
    assert cache_rows(any_store) == 1


def test_two_workers_racing_for_one_key_compute_once(any_store: Store) -> None:
    """(b) Two workers (own connections) see the same request at once; the lease decides."""
    make_session(any_store)
    any_store.request_results(SESSION, BLOCK, "nl")
    compute = FakeCompute(delay=0.5)
    workers = [
        ResultsWorker(Store(any_store.url), compute=compute, name=f"worker-{i}") for i in (1, 2)
    ]
    barrier = threading.Barrier(2)
    written: list[int] = []

    def one_pass(worker: ResultsWorker) -> None:
        barrier.wait(30)
        written.append(worker.step())

    threads = [threading.Thread(target=one_pass, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(compute.calls) == 1
    assert sorted(written) == [0, 1]
    assert cache_rows(any_store) == 1
    # And the next passes find the cache current: nobody computes again.
    assert [w.step() for w in workers] == [0, 0]
    assert len(compute.calls) == 1
    key = lease_key((SESSION, BLOCK, "nl"))
    assert any_store._read("SELECT COUNT(*) FROM leases WHERE name = :k", {"k": key}) == [(0,)]


def test_a_new_answer_shows_within_five_seconds_without_the_page_computing(
    any_store: Store,
) -> None:
    """(c) After a new answer, the next get (and a watching page's stamp) is new in < 5 s."""
    people = make_session(any_store)
    compute = FakeCompute(delay=0.2)
    worker = ResultsWorker(Store(any_store.url), compute=compute, interval=0.1)
    with running(worker), Store(any_store.url) as store:
        page = GroupResults(store, SESSION, "nl", use_worker=True, compute=forbidden)
        first = page.get(BLOCK, timeout=10)
        assert first is not None and answers_seen(first) == 1
        stamp = page.stamp(BLOCK)

        add_answer(any_store, people[1])
        started = time.monotonic()
        while page.stamp(BLOCK) == stamp:  # a page that only watches sees a new stamp
            assert time.monotonic() - started < 5, "no new results within 5 s"
            time.sleep(0.1)
        latest = page.latest(BLOCK)
        assert latest is not None and answers_seen(latest) == 2 and page.is_current(latest)

        add_answer(any_store, people[0], "derde")
        started = time.monotonic()
        again = page.get(BLOCK, timeout=5)
        assert time.monotonic() - started < 5
        assert again is not None and answers_seen(again) == 3
        assert again["state"] == any_store.results_state(SESSION)
        assert page.computations == 0


def test_a_stream_of_saves_does_not_keep_the_worker_busy(any_store: Store) -> None:
    """A watched block is computed at most every ``min_gap`` seconds while saves pour in."""
    people = make_session(any_store)
    compute = FakeCompute()
    worker = ResultsWorker(Store(any_store.url), compute=compute, interval=0.05, min_gap=1.0)
    any_store.request_results(SESSION, BLOCK, "nl")
    with running(worker):
        started = time.monotonic()
        count = 0
        while time.monotonic() - started < 3.0:
            add_answer(any_store, people[count % 2], f"antwoord {count}")
            count += 1
            time.sleep(0.05)
        assert count > 20
        assert len(compute.calls) <= 3.0 / worker.min_gap + 2
        deadline = time.monotonic() + 5
        while not state_at_least(
            any_store.cached_results(SESSION, BLOCK, "nl").state, any_store.results_state(SESSION)
        ):
            assert time.monotonic() < deadline, "the last answers never made it"
            time.sleep(0.1)


def test_no_worker_gives_a_warning_at_once(any_store: Store) -> None:
    """(d) Worker mode without a live worker: a payload with one warning, no waiting."""
    make_session(any_store)
    page = GroupResults(any_store, SESSION, "nl", use_worker=True, compute=forbidden)
    started = time.monotonic()
    payload = page.get(BLOCK, timeout=20)
    assert time.monotonic() - started < 2
    assert is_notice(payload)
    assert payload["sections"][0]["text"] == messages("nl")("worker.unavailable")
    title = load_template("netwerkwerkboek").block(BLOCK).title
    assert payload["title"] == title.get("nl")  # the block's title from the template
    english = GroupResults(any_store, SESSION, "en", use_worker=True).get(BLOCK, timeout=20)
    assert english["sections"][0]["text"] == messages("en")("worker.unavailable")
    assert english["title"] == title.get("en")
    # A worker that stopped says goodbye: pages know at once.
    worker = ResultsWorker(Store(any_store.url), compute=FakeCompute())
    with running(worker):
        assert any_store.worker_alive(5)
    assert is_notice(page.get(BLOCK, timeout=20))
    assert cache_rows(any_store) == 0  # warnings about the worker are not cached


def test_get_times_out_with_what_the_cache_has(any_store: Store) -> None:
    """A worker that is alive but slow: after the timeout, the older payload (or None)."""
    people = make_session(any_store)
    page = GroupResults(any_store, SESSION, "nl", use_worker=True, compute=forbidden)
    any_store.beat("a-busy-worker")  # beats, but computes nothing
    started = time.monotonic()
    assert page.get(BLOCK, timeout=0.5) is None
    assert 0.4 < time.monotonic() - started < 3
    old_state = any_store.results_state(SESSION)
    any_store.put_results(SESSION, BLOCK, "nl", old_state, dumps({"sections": []}))
    add_answer(any_store, people[1])
    stale = page.get(BLOCK, timeout=0)
    assert stale is not None and stale["state"] == old_state and not page.is_current(stale)
    assert page.watch(BLOCK, every=60) is False  # get asked a moment ago
    assert page.watch("ambities", every=60) is True
    assert page.watch("ambities", every=60) is False
    assert set(any_store.watched_results(60)) == {
        (SESSION, BLOCK, "nl"),
        (SESSION, "ambities", "nl"),
    }


def test_in_process_mode_computes_once_and_caches(any_store: Store) -> None:
    """(e) Without a worker (JupyterLab, scripts) the page computes, and fills the cache."""
    people = make_session(any_store)
    compute = FakeCompute()
    page = GroupResults(any_store, SESSION, "nl", use_worker=False, compute=compute)
    first = page.get(BLOCK)
    assert first is not None and answers_seen(first) == 1
    assert first["state"] == any_store.results_state(SESSION)
    assert page.get(BLOCK) == first  # cached: no second computation
    other = GroupResults(Store(any_store.url), SESSION, "nl", use_worker=False, compute=forbidden)
    assert other.get(BLOCK) == first  # another kernel reads the same cache
    assert len(compute.calls) == 1 and page.computations == 1
    assert cache_rows(any_store) == 1
    add_answer(any_store, people[1])
    assert answers_seen(page.get(BLOCK)) == 2
    assert len(compute.calls) == 2 and cache_rows(any_store) == 1
    assert page.watch(BLOCK) is False  # nobody to tell


def test_in_process_mode_is_the_default_outside_our_server(
    monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    monkeypatch.delenv("NETWERK_RESULTS_WORKER", raising=False)
    assert not GroupResults(store, SESSION, "nl").use_worker
    monkeypatch.setenv("NETWERK_RESULTS_WORKER", "1")
    assert GroupResults(store, SESSION, "nl").use_worker


def test_a_failing_compute_gives_a_warning_and_the_worker_goes_on(any_store: Store) -> None:
    """(f) A compute that raises: logged, a warning payload for that state, and the other
    blocks are still computed."""
    make_session(any_store)
    compute = FakeCompute(fail_blocks=("kapot",))
    worker = ResultsWorker(Store(any_store.url), compute=compute, interval=0.05)
    with running(worker) as thread:
        page = GroupResults(any_store, SESSION, "nl", use_worker=True, compute=forbidden)
        broken = page.get("kapot", timeout=10)
        assert is_notice(broken)
        assert broken["sections"][0]["text"] == messages("nl")("worker.failed")
        assert broken["state"] == any_store.results_state(SESSION)
        good = page.get(BLOCK, timeout=10)
        assert good is not None and answers_seen(good) == 1
        assert page.get("kapot", timeout=10) == broken  # cached: pages do not wait again
        assert thread.is_alive()
    assert worker.failures == 1 and worker.computations == 2


def test_a_failed_block_is_tried_again_later(store: Store) -> None:
    make_session(store)
    compute = FakeCompute(fail_blocks=("kapot",))
    worker = ResultsWorker(store, compute=compute, retry_failed=0.3, min_gap=0)
    store.request_results(SESSION, "kapot", "nl")
    assert worker.step() == 1
    assert worker.step() == 0  # the same state: not again at once
    time.sleep(0.4)
    assert worker.step() == 1
    assert len(compute.calls) == 2


def test_our_own_errors_reach_the_page_as_they_are(store: Store) -> None:
    make_session(store)

    def compute(*_args: object) -> dict:
        raise SessionError("We kennen geen sessie met code 'X'.")

    worker = ResultsWorker(store, compute=compute)
    store.request_results(SESSION, BLOCK, "nl")
    worker.step()
    payload = json.loads(store.cached_results(SESSION, BLOCK, "nl").payload)
    assert payload["sections"] == [
        {"kind": "note", "text": "We kennen geen sessie met code 'X'.", "tone": "warning"}
    ]


def test_a_worker_passes_the_language_and_keys_apart(store: Store) -> None:
    make_session(store)
    compute = FakeCompute()
    worker = ResultsWorker(store, compute=compute, min_gap=0)
    for language in ("nl", "en", None):
        store.request_results(SESSION, BLOCK, language)
    assert worker.step() == 3
    assert sorted(compute.calls, key=str) == sorted(
        [(SESSION, BLOCK, "nl"), (SESSION, BLOCK, "en"), (SESSION, BLOCK, None)], key=str
    )
    assert worker.step() == 0


def test_a_new_request_does_not_wait_behind_watched_blocks(store: Store) -> None:
    """A pass does every newly asked block first, then at most one that is only watched."""
    people = make_session(store)
    compute = FakeCompute()
    worker = ResultsWorker(store, compute=compute, min_gap=0)
    for block in ("a", "b", "c"):
        store.request_results(SESSION, block, "nl")
    assert worker.step() == 3
    add_answer(store, people[1])  # all three are out of date now
    store.request_results(SESSION, "nieuw", "nl")
    del compute.calls[:]
    assert worker.step() == 2
    assert compute.calls[0] == (SESSION, "nieuw", "nl")
    assert [worker.step(), worker.step(), worker.step()] == [1, 1, 0]
    assert sorted(block for _s, block, _l in compute.calls) == ["a", "b", "c", "nieuw"]


# --- a page's kernel stays light ----------------------------------------------------------

LIGHT_PAGE = r"""
import json, sys
from netwerk_widgets.groupresults import GroupResults
from netwerk_widgets.store import Store
from netwerk_widgets.results import from_payload
store = Store(sys.argv[1])
page = GroupResults(store, "W1", "nl")
payload = page.get("werkblad", timeout=5)
from_payload(payload)
print(json.dumps({
    "worker": page.use_worker, "text": payload["sections"][0]["text"],
    "heavy": sorted(m for m in sys.modules if m.split(".")[0] in HEAVY),
}))
""".replace("HEAVY", repr(HEAVY))


def test_a_page_reads_results_without_pandas_or_altair(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        make_session(store)
        state = store.results_state(SESSION)
        store.put_results(
            SESSION, BLOCK, "nl", state, dumps(FakeCompute()(store, SESSION, BLOCK, "nl"))
        )
        store.beat("elsewhere")
    done = subprocess.run(
        [sys.executable, "-c", LIGHT_PAGE, sqlite_url],
        env={**os.environ, "NETWERK_RESULTS_WORKER": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen == {"worker": True, "text": "1 antwoorden", "heavy": []}


# --- as a process, next to Voilà ----------------------------------------------------------


def worker_processes(parent: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in parent.children(recursive=True):
        try:
            if "netwerk_widgets.worker" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def wait_for(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} within {timeout} s")


def gone(process: psutil.Process) -> bool:
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_netwerk_worker_runs_until_interrupted(sqlite_url: str) -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "netwerk_widgets.cli",
            "--db",
            sqlite_url,
            "worker",
            "--name",
            "cli",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        with Store(sqlite_url) as store:
            wait_for(lambda: store.worker_alive(5), 30, "the worker beats")
            # It beats before it imports pandas and Altair; a stop does not wait for that.
            process.send_signal(signal.SIGINT)  # Ctrl+C
            stopped = time.monotonic()
            assert process.wait(30) == 0
            assert time.monotonic() - stopped < 10  # a busy machine is slower
            assert not store.worker_alive(60)  # it said goodbye
    finally:
        if process.poll() is None:
            process.kill()
    assert "results worker cli" in process.stdout.read()


@pytest.mark.server
def test_the_voila_server_starts_and_stops_its_worker(
    tmp_path: Path, voila_server_class: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(g) One worker next to the server, used by its kernels, gone when the server is."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    with Store(url) as store:
        make_session(store)
    server = voila_server_class(url)
    again = None
    try:
        parent = psutil.Process(server.process.pid)
        (worker,) = wait_for(lambda: worker_processes(parent), 30, "a worker process")
        assert worker.ppid() == server.process.pid
        with Store(url) as store:
            wait_for(lambda: store.worker_alive(5), 30, "the worker beats in the server's store")
        # Every kernel of the server is told to ask the worker.
        kernels = wait_for(server.kernels, 60, "a preheated kernel")
        assert {k.environ().get("NETWERK_RESULTS_WORKER") for k in kernels} == {"1"}
        # A worker that dies is started again.
        worker.kill()
        (again,) = wait_for(
            lambda: [p for p in worker_processes(parent) if p.pid != worker.pid],
            30,
            "a new worker after the first one died",
        )
    finally:
        server.stop()
    assert again is not None
    wait_for(lambda: gone(again), 10, "the worker stops with the server")

    # A server killed outright (SIGKILL) leaves no worker behind for long.
    monkeypatch.setenv("NETWERK_POOL_SIZE", "0")
    server = voila_server_class(url)
    try:
        (worker,) = wait_for(
            lambda: worker_processes(psutil.Process(server.process.pid)), 30, "a worker process"
        )
        server.kill()
        wait_for(lambda: gone(worker), 10, "the worker ends after its server was killed")
    finally:
        if server.process.poll() is None:
            server.stop()


def test_a_server_without_worker_lets_its_pages_compute(monkeypatch: pytest.MonkeyPatch) -> None:
    from netwerk_widgets.cli import main, voila_command

    monkeypatch.delenv("NETWERK_POOL_SIZE", raising=False)
    assert "--NetwerkVoila.results_worker=False" in voila_command(ROOT, results_worker=False)
    assert not any("results_worker" in part for part in voila_command(ROOT))
    seen: list[list[str]] = []
    monkeypatch.setattr(os, "execve", lambda _path, command, _env: seen.append(command))
    assert main(["serve", "--no-worker"]) == 0
    assert "--NetwerkVoila.results_worker=False" in seen[0]
