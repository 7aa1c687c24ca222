"""Faults in a live workshop: kernels and servers killed, a store that is away for a while.

Each test would fail if an acknowledged answer ("Opgeslagen om …" on screen) could be lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from netwerk_widgets import Store, StoreError
from netwerk_widgets.recorder import Recorder
from netwerk_widgets.store import Answer

pytestmark = pytest.mark.browser

CHALLENGE = "Nieuwe partners missen de start"


@pytest.fixture
def own_server(tmp_path: Path, voila_server_class) -> Iterator:
    """A Voilà server of this test alone (it may be killed), on a store with one session."""
    url = f"sqlite:///{tmp_path / 'faults.db'}"
    with Store(url) as store:
        store.create_session(
            "Storing", template="netwerkwerkboek", template_version="1.1", code="F1"
        )
    server = voila_server_class(url, env={"NETWERK_DB_BUSY_TIMEOUT": "2"})
    yield server
    if server.process.poll() is None:
        server.stop()


def join_and_type(server, page, text: str = CHALLENGE) -> str:
    """Join session F1 on the worksheet, type one challenge, wait for "Opgeslagen"."""
    page.goto(server.page_url("05_werkblad.ipynb", "?sessie=F1"))
    page.get_by_placeholder("leeg laten = anoniem").fill("Deelnemer")
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-block textarea").first.fill(text)
    page.locator(".nw-save-status", has_text="Opgeslagen om").wait_for()
    return page.locator(".nw-personal-link a").get_attribute("href")


def stored_values(url: str) -> list[str]:
    with Store(url) as store:
        return [r["value"] for r in store.current("F1")]


def test_killed_kernel_keeps_every_saved_answer(own_server, page) -> None:
    link = join_and_type(own_server, page)
    for kernel in own_server.kernels():
        kernel.kill()
    assert stored_values(own_server.db_url) == [CHALLENGE]
    page.goto(link)
    restored = page.locator(".nw-block textarea").first
    page.wait_for_function("el => el.value.length > 0", arg=restored.element_handle())
    assert restored.input_value() == CHALLENGE


def test_killed_server_loses_nothing_after_a_restart(own_server, page, voila_server_class) -> None:
    link = join_and_type(own_server, page)
    query = link[link.index("?") :]
    own_server.kill()
    assert stored_values(own_server.db_url) == [CHALLENGE]
    again = voila_server_class(own_server.db_url)
    try:
        page.goto(again.page_url("05_werkblad.ipynb", query))
        restored = page.locator(".nw-block textarea").first
        page.wait_for_function("el => el.value.length > 0", arg=restored.element_handle())
        assert restored.input_value() == CHALLENGE
    finally:
        again.stop()


def test_locked_store_keeps_the_answer_in_the_page_and_saves_it_later(own_server, page) -> None:
    join_and_type(own_server, page)
    path = own_server.db_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another program holds the file
    try:
        page.locator(".nw-block textarea").nth(1).fill("Getypt terwijl de opslag vastzat")
        page.locator(".nw-save-status", has_text="Niet opgeslagen").wait_for(timeout=20_000)
        assert "proberen het zo opnieuw" in page.locator(".nw-save-status").inner_text()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    page.locator(".nw-save-status", has_text="Opgeslagen om").wait_for(timeout=20_000)
    assert sorted(stored_values(own_server.db_url)) == sorted(
        [CHALLENGE, "Getypt terwijl de opslag vastzat"]
    )


@pytest.mark.postgres
def test_stopped_postgres_keeps_answers_until_it_is_back(fresh_postgres) -> None:
    cluster = fresh_postgres
    store = Store(cluster.new_database())
    store.create_session("PG", template="netwerkwerkboek", template_version="1.1", code="F1")
    recorder = Recorder(store, store.join("F1", "Anna"), "1.0")
    assert recorder.record(Answer("identiteit", "waarom", "voor de stop", field="text"))
    cluster.stop_server()
    assert not recorder.record(Answer("identiteit", "waarden", "tijdens de stop", field="text"))
    assert recorder.status == "error" and recorder.pending == 1
    assert "Niet opgeslagen" in recorder.message
    with pytest.raises(StoreError, match="niet bereikbaar"):
        store.current("F1")
    cluster.start_server()
    assert recorder.flush()
    assert recorder.pending == 0 and recorder.status == "saved"
    assert sorted(r["value"] for r in store.current("F1")) == [
        "tijdens de stop",
        "voor de stop",
    ]
    store.close()
