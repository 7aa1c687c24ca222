"""Losing work without knowing (issue 16, points 2, 3 and 5), without a browser.

The browser halves (a killed kernel, two tabs, a huge paste, a triple click) are in
``tests/test_connection.py``; docs/reliability.md names the test of each point.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from netwerk_widgets import Store
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.recorder import Recorder
from netwerk_widgets.store import Answer


@pytest.fixture
def session(store: Store) -> Store:
    store.create_session("Test", template="netwerkwerkboek", template_version="1.1", code="T1")
    return store


def joined(store: Store, name: str = "Anna") -> ParticipantApp:
    app = ParticipantApp(store, query={"sessie": "T1"})
    app.join_form.name.value = name
    app.join_form.button.click()
    return app


def again(store: Store, app: ParticipantApp) -> ParticipantApp:
    """A second page (tab) on the same personal link."""
    assert app.participant is not None
    return ParticipantApp(store, query={"sessie": "T1", "deelnemer": app.participant.token})


def texts(store: Store, question: str, field: str) -> list[str]:
    return sorted(
        r["value"]
        for r in store.current("T1")
        if (r["question"], r["field"]) == (question, field) and r["value"]
    )


# --- point 5: joining is idempotent per page ------------------------------------------


def test_a_triple_click_on_join_makes_one_participant(session: Store) -> None:
    app = ParticipantApp(session, query={"sessie": "T1"})
    app.join_form.name.value = "Anna"
    form = app.join_form
    for _ in range(3):  # the clicks reach the kernel one after the other
        form.button.click()
    assert [p.display_name for p in session.participants("T1")] == ["Anna"]
    assert app.participant is not None and app.participant.display_name == "Anna"


def test_a_failed_join_can_be_tried_again(session: Store) -> None:
    app = ParticipantApp(session, query={"sessie": "NOPE"})
    app.join_form.button.click()
    assert app.participant is None and "NOPE" in app.join_form.message.value
    app.join_form.code.value = "T1"
    app.join_form.button.click()
    assert app.participant is not None and len(session.participants("T1")) == 1


# --- point 2: the store file removed or replaced mid-session --------------------------


def _files(path: Path) -> list[Path]:
    return [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


@pytest.mark.parametrize("how", ["removed", "replaced"])
def test_a_store_file_gone_mid_session_is_reported_and_the_answer_kept(
    tmp_path: Path, how: str
) -> None:
    path = tmp_path / "store.db"
    store = Store(f"sqlite:///{path}")
    store.create_session("Test", template="netwerkwerkboek", template_version="1.1", code="T1")
    recorder = Recorder(store, store.join("T1", "Anna"), "1.1")
    assert recorder.record(Answer("identiteit", "waarom", "voor", field="text"))
    aside = tmp_path / "aside"
    aside.mkdir()
    for file in _files(path):
        shutil.move(file, aside / file.name)  # what `rm` does to this path (the data is kept)
    if how == "replaced":
        with Store(f"sqlite:///{path}") as other:  # a new, empty store at the same path
            other.create_session("Ander", template="netwerkwerkboek", code="T2")
    assert not recorder.record(Answer("identiteit", "waarom", "tijdens", field="text"))
    assert recorder.status == "error" and recorder.pending == 1
    assert "Niet opgeslagen" in recorder.message
    assert "verwijderd of vervangen" in recorder.message
    assert str(path) not in recorder.message  # participants see no file paths
    # The file comes back (moved back from a backup): the kept answer is saved.
    for file in _files(path):
        file.unlink()
    for file in aside.iterdir():
        shutil.move(file, tmp_path / file.name)
    assert recorder.flush() and recorder.status == "saved"
    assert [r["value"] for r in store.current("T1")] == ["tijdens"]
    store.close()


def test_a_store_file_moved_away_is_not_written_behind_the_path(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = Store(f"sqlite:///{path}")
    store.create_session("Test", template="netwerkwerkboek", template_version="1.1", code="T1")
    recorder = Recorder(store, store.join("T1", "Anna"), "1.1")
    os.rename(path, tmp_path / "moved.db")
    assert not recorder.record(Answer("identiteit", "waarom", "x", field="text"))
    store.close()


# --- point 3: two pages on one personal link ------------------------------------------


def test_two_tabs_on_one_link_never_share_a_row(session: Store) -> None:
    tab_a = joined(session)
    tab_b = again(session, tab_a)  # opened before A typed anything
    rows_a = tab_a.blocks["werkblad"].questions["uitdagingen"].rows
    rows_b = tab_b.blocks["werkblad"].questions["uitdagingen"].rows
    rows_a[1].cells["uitdaging"].area.value = "A: uitdaging"
    rows_a[1].cells["probleem"].area.value = "A: probleem"
    rows_b[1].cells["uitdaging"].area.value = "B: uitdaging"
    assert texts(session, "uitdagingen", "uitdaging") == ["A: uitdaging", "B: uitdaging"]
    rows = {
        r["item"] for r in session.current("T1") if r["question"] == "uitdagingen" and r["value"]
    }
    assert len(rows) == 2  # each tab's row is its own


def test_rows_with_old_numbered_ids_still_come_back_and_stay_first(session: Store) -> None:
    app = joined(session)
    assert app.participant is not None
    session.append(
        app.participant,
        [
            Answer("werkblad", "uitdagingen", "tweede", item="r2", field="uitdaging"),
            Answer("werkblad", "uitdagingen", "eerste", item="r1", field="uitdaging"),
            Answer("werkblad", "uitdagingen", "tiende", item="r10", field="uitdaging"),
        ],
    )
    back = again(session, app)
    view = back.blocks["werkblad"].questions["uitdagingen"]
    assert [r.item for r in view.rows] == ["r1", "r2", "r10"]
    view.add_button.click()
    view.rows[-1].cells["uitdaging"].area.value = "nieuw"
    view.rows[0].cells["uitdaging"].area.value = "eerste, aangepast"
    new_item = view.rows[-1].item
    assert new_item not in {"r1", "r2", "r10", "r11"}
    third = again(session, app)
    third_rows = third.blocks["werkblad"].questions["uitdagingen"].rows
    assert [r.cells["uitdaging"].value for r in third_rows] == [
        "eerste, aangepast",
        "tweede",
        "tiende",
        "nieuw",
    ]


def test_new_rows_come_back_in_the_order_they_were_added(session: Store) -> None:
    app = joined(session)
    view = app.blocks["werkblad"].questions["uitdagingen"]
    for _ in range(10):
        view.add_button.click()
    for index in (11, 1, 6):
        view.rows[index].cells["uitdaging"].area.value = f"rij {index}"
    back = again(session, app)
    rows = back.blocks["werkblad"].questions["uitdagingen"].rows
    assert [r.cells["uitdaging"].value for r in rows] == ["rij 1", "rij 6", "rij 11"]


def test_a_page_picks_up_what_another_tab_saved(session: Store) -> None:
    tab_a = joined(session)
    tab_b = again(session, tab_a)
    tab_a.show_block("werkblad")
    tab_b.show_block("werkblad")
    tab_b.blocks["werkblad"].questions["uitdagingen"].rows[0].cells[
        "uitdaging"
    ].area.value = "uit tab B"
    tab_a.blocks["identiteit"].questions["waarom"].input.value = "uit tab A"
    own_row = tab_a.blocks["werkblad"].questions["uitdagingen"].rows[1]
    own_row.cells["uitdaging"].area.value = "rij van A"
    tab_a.follow_elsewhere()  # what the page's poller does every few seconds
    rows = tab_a.blocks["werkblad"].questions["uitdagingen"].rows
    assert [r.cells["uitdaging"].value for r in rows] == ["rij van A", "uit tab B", ""]
    assert rows[0] is own_row  # the row being typed in stays (the cursor stays in it)
    assert "ander venster" in tab_a.elsewhere.value
    assert tab_a.blocks["identiteit"].questions["waarom"].input.value == "uit tab A"
    # Its own saves are not news to a page.
    tab_b.follow_elsewhere()
    tab_b.elsewhere.value = ""
    tab_b.blocks["werkblad"].questions["uitdagingen"].rows[0].cells["probleem"].area.value = "eigen"
    tab_b.follow_elsewhere()
    assert tab_b.elsewhere.value == ""


def test_picking_up_saves_what_was_being_typed_first(
    session: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab_a = joined(session)
    tab_b = again(session, tab_a)
    tab_b.blocks["identiteit"].questions["waarden"].input.value = "van B"

    class Loop:  # a kernel's loop whose timers have not fired yet: A is still typing
        def call_later(self, _delay: float, _action: object) -> object:
            return self

        def cancel(self) -> None:
            pass

    monkeypatch.setattr("netwerk_widgets.recorder._running_loop", lambda: Loop())
    area = tab_a.blocks["identiteit"].questions["waarom"].input
    area.value = "half getypt in A"
    assert texts(session, "waarom", "text") == []
    tab_a.follow_elsewhere()
    assert area.value == "half getypt in A"
    assert texts(session, "waarom", "text") == ["half getypt in A"]
    assert tab_a.blocks["identiteit"].questions["waarden"].input.value == "van B"
