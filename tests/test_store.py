from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from netwerk_widgets import SessionError, Store, StoreError, load_answers
from netwerk_widgets.store import ANSWER_COLUMNS, Answer, default_url


def make_session(store: Store, code: str = "S1") -> None:
    store.create_session(
        f"Sessie {code}", template="netwerkwerkboek", template_version="1.1", code=code
    )


def test_round_trip_edit_and_latest_wins(any_store: Store) -> None:
    make_session(any_store)
    anna = any_store.join("s1", "Anna")
    any_store.append(
        anna,
        [
            Answer("werkblad", "uitdagingen", "eerste", item="r1", field="uitdaging"),
            Answer("voorwaarden", "v01_ambitie", "3", field="score", value_num=3.0),
        ],
    )
    any_store.append(
        anna, [Answer("werkblad", "uitdagingen", "tweede", item="r1", field="uitdaging")]
    )
    current = any_store.current("S1")
    assert sorted((r["question"], r["value"]) for r in current) == [
        ("uitdagingen", "tweede"),
        ("v01_ambitie", "3"),
    ]
    history = any_store.current("S1", history=True)
    assert [r["value"] for r in history] == ["eerste", "3", "tweede"]  # nothing overwritten
    frame = load_answers("S1", store=any_store)
    assert list(frame.columns) == [*ANSWER_COLUMNS, "template_version"]
    assert frame.loc[frame["question"] == "v01_ambitie", "value_num"].item() == 3.0
    assert isinstance(frame["answered_at"].dtype, pd.DatetimeTZDtype)
    assert len(load_answers("S1", store=any_store, history=True)) == 3


def test_two_sessions_stay_apart(any_store: Store) -> None:
    make_session(any_store, "S1")
    make_session(any_store, "S2")
    one, two = any_store.join("S1", "Anna"), any_store.join("S2", "Bob")
    any_store.append(one, [Answer("identiteit", "waarom", "een", field="text")])
    any_store.append(two, [Answer("identiteit", "waarom", "twee", field="text")])
    assert [r["value"] for r in any_store.current("S1")] == ["een"]
    assert [r["value"] for r in any_store.current("S2")] == ["twee"]
    both = load_answers(["S1", "S2"], store=any_store)
    assert sorted(both["session"]) == ["S1", "S2"]
    assert len(load_answers(store=any_store)) == 2


def test_answers_cannot_be_changed_in_place(any_store: Store) -> None:
    make_session(any_store)
    anna = any_store.join("S1", "Anna")
    any_store.append(anna, [Answer("identiteit", "waarom", "blijft", field="text")])
    with pytest.raises(StoreError), any_store._write() as tx:
        tx.execute("UPDATE answers SET value = 'anders'")
    with pytest.raises(StoreError), any_store._write() as tx:
        tx.execute("DELETE FROM answers")
    assert [r["value"] for r in any_store.current("S1")] == ["blijft"]


def test_participants_links_and_anonymous_pseudonyms(any_store: Store) -> None:
    make_session(any_store)
    named = any_store.join("S1", "  Anna   de Vries ")
    anonymous = any_store.join("S1", "")
    assert named.display_name == "Anna de Vries" and not named.anonymous
    assert anonymous.anonymous and anonymous.display_name  # a pseudonym, never empty
    assert any_store.participant("s1", named.token) == named
    assert [p.id for p in any_store.participants("S1")] == [named.id, anonymous.id]
    with pytest.raises(SessionError, match="persoonlijke link is niet"):
        any_store.participant("S1", "wrong-token")


def test_unknown_and_closed_sessions_give_clear_errors(any_store: Store) -> None:
    with pytest.raises(SessionError, match="geen sessie met code 'NOPE'"):
        any_store.join("NOPE", "Anna")
    with pytest.raises(SessionError, match="geen sessie"):
        load_answers("NOPE", store=any_store)
    make_session(any_store)
    anna = any_store.join("S1", "Anna")
    any_store.set_closed("S1", True)
    assert any_store.session("S1").closed
    with pytest.raises(SessionError, match="gesloten"):
        any_store.append(anna, [Answer("identiteit", "waarom", "te laat", field="text")])
    with pytest.raises(SessionError, match="gesloten"):
        any_store.join("S1", "Bob")
    any_store.set_closed("S1", False)
    any_store.append(anna, [Answer("identiteit", "waarom", "weer open", field="text")])
    assert [r["value"] for r in any_store.current("S1")] == ["weer open"]
    with pytest.raises(SessionError, match="bestaat al"):
        make_session(any_store)


def test_empty_store_gives_an_empty_frame_with_the_schema(any_store: Store) -> None:
    frame = load_answers(store=any_store)
    assert frame.empty
    assert list(frame.columns) == [*ANSWER_COLUMNS, "template_version"]


def test_sqlite_file_is_in_wal_mode(sqlite_url: str) -> None:
    Store(sqlite_url).close()
    path = sqlite_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_url_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NETWERK_DB_URL", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("NETWERK_DB_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path}/netwerkwerkboek/netwerk.db"


@pytest.mark.parametrize(
    "url", ["nosuchdb://x/y", "postgresql+psycopg://u@127.0.0.1:1/db", "sqlite:////proc/nope/x.db"]
)
def test_wrong_store_url_gives_a_dutch_error(url: str) -> None:
    with pytest.raises(StoreError, match="niet bereikbaar") as caught:
        Store(url)
    assert "u@" not in str(caught.value)  # credentials are not shown
