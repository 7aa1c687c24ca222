"""Sessions that would break a workshop (issue 16, points 9-11): bad session codes, deleting
and purging a session, comparing with another group's scan, pseudonyms that collide."""

from __future__ import annotations

import pytest

from netwerk_widgets import SessionError, Store, load_answers
from netwerk_widgets.cli import main
from netwerk_widgets.demo import load_demo
from netwerk_widgets.store import Answer
from netwerk_widgets.views import earlier_session


def insert_raw_session(store: Store, code: str, title: str = "Oud", network: str = "") -> None:
    """A session row as an older version could write it: any code, no checks."""
    with store._write() as tx:
        tx.execute(
            "INSERT INTO sessions (code, title, network, template, template_version,"
            " trainer_key, created_at) VALUES (:code, :title, :network, 'netwerkwerkboek',"
            " '1.0', 'sleutel', '2025-01-01T09:00:00+00:00')",
            {"code": code, "title": title, "network": network or title},
        )


@pytest.mark.parametrize("code", ["", "  ", "R T9", "RT9!", "A", "X" * 17, "é12"])
def test_bad_session_codes_are_refused_at_creation(store: Store, code: str) -> None:
    with pytest.raises(SessionError, match="Een sessiecode is 2 tot 16 letters of cijfers"):
        store.create_session("t", template="netwerkwerkboek", code=code)
    assert store.sessions() == []


def test_a_padded_code_is_trimmed_and_joinable(store: Store) -> None:
    session = store.create_session("t", template="netwerkwerkboek", code=" rt9 ")
    assert session.code == "RT9"
    assert store.join(" rt9", "Anna").session == "RT9"


def test_cli_refuses_a_blank_code(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "session", "create", "t", "--code", "  "]) == 2
    assert "Een sessiecode is 2 tot 16 letters of cijfers" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "session", "list"]) == 0
    assert "Nog geen sessies" in capsys.readouterr().out


def test_one_bad_row_never_breaks_the_other_sessions(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store(sqlite_url) as store:
        load_demo(store)
        insert_raw_session(store, "  ", network="MuziekTafel Rivierenland")
        insert_raw_session(store, " RT9 ", network="MuziekTafel Rivierenland")
        codes = [s.code for s in store.sessions()]
        assert {"DEMO", "DEMO2", "  ", " RT9 "} <= set(codes)
        later = store.session("DEMO2")
        found = earlier_session(store, later)
        assert found is not None and found[0].code == "DEMO"
    assert main(["--db", sqlite_url, "session", "list"]) == 0
    out = capsys.readouterr().out
    assert "DEMO\t" in out and "' RT9 ' (ongeldige code)" in out


def test_a_trainer_key_that_starts_with_a_dash_works_on_the_command_line(sqlite_url: str) -> None:
    """``--key -Z4q…`` used to be read as a missing key (argparse takes ``-Z4q…`` for an
    option): CI met such a generated key on 2026-12-02."""
    with Store(sqlite_url) as store:
        store.create_session("S", template="netwerkwerkboek", code="STREEP", trainer_key="-Z4q")
    assert main(["--db", sqlite_url, "session", "delete", "STREEP", "--key", "-Z4q"]) == 0
    with Store(sqlite_url) as store:
        assert store.sessions() == []


def test_new_trainer_keys_and_links_never_start_with_a_dash(sqlite_url: str) -> None:
    with Store(sqlite_url) as store:
        keys = [
            store.create_session("S", template="netwerkwerkboek").trainer_key for _ in range(300)
        ]
        session = store.create_session("Veel", template="netwerkwerkboek", code="VEEL")
        tokens = [store.join(session.code, f"P{n}").token for n in range(300)]
    assert not [key for key in keys if key.startswith("-")]
    assert not [token for token in tokens if token.startswith("-")]


def test_delete_is_a_tombstone_and_purge_asks_first(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(sqlite_url) as store:
        session = store.create_session("Weg", template="netwerkwerkboek", code="WEG")
        person = store.join("WEG", "Anna")
        store.append(person, [Answer("identiteit", "waarom", "Samen sterker")])
        store.create_session("Blijft", template="netwerkwerkboek", code="BLIJFT")
        store.append(store.join("BLIJFT", "Bob"), [Answer("identiteit", "waarom", "y")])
    db = ["--db", sqlite_url, "session"]
    assert main([*db, "delete", "WEG", "--key", "fout"]) == 2
    assert "trainersleutel hoort niet" in capsys.readouterr().err
    assert main([*db, "delete", "WEG", "--key", session.trainer_key]) == 0
    assert "Sessie WEG is verwijderd" in capsys.readouterr().out
    with Store(sqlite_url) as store:
        assert [s.code for s in store.sessions()] == ["BLIJFT"]
        with pytest.raises(SessionError, match="door de trainer verwijderd"):
            store.join("WEG", "Bob")
        with pytest.raises(SessionError, match="verwijderd"):
            store.append(person, [Answer("identiteit", "waarom", "meer")])
        with pytest.raises(SessionError, match="persoonlijke link"):
            store.participant("WEG", person.token)
        assert load_answers("WEG", store=store)["value"].tolist() == ["Samen sterker"]
    monkeypatch.setattr("builtins.input", lambda _prompt: "NIET")
    assert main([*db, "purge", "WEG", "--key", session.trainer_key]) == 1
    assert "Niets gewist" in capsys.readouterr().err
    with Store(sqlite_url) as store:
        assert len(load_answers("WEG", store=store)) == 1
    monkeypatch.setattr("builtins.input", lambda _prompt: "weg")
    assert main([*db, "purge", "WEG", "--key", session.trainer_key]) == 0
    with Store(sqlite_url) as store:
        assert store.find_session("WEG") is None
        assert store._read("SELECT COUNT(*) FROM answers WHERE session = 'WEG'") == [(0,)]
        assert store._read("SELECT COUNT(*) FROM participants WHERE session = 'WEG'") == [(0,)]
        assert [s.code for s in store.sessions(deleted=True)] == ["BLIJFT"]
        with pytest.raises(Exception, match="append-only"), store._write() as tx:
            tx.execute("DELETE FROM answers")  # the guard is back


def test_purge_erases_one_session_and_keeps_the_guard(any_store: Store) -> None:
    session = any_store.create_session("Weg", template="netwerkwerkboek", code="WEG")
    any_store.create_session("Blijft", template="netwerkwerkboek", code="BLIJFT")
    person = any_store.join("WEG", "Anna")
    other = any_store.join("BLIJFT", "Bob")
    any_store.append(person, [Answer("identiteit", "waarom", "x")])
    any_store.append(other, [Answer("identiteit", "waarom", "y")])
    assert any_store.purge_session("WEG", session.trainer_key) == 1
    assert any_store.find_session("WEG") is None
    assert load_answers("BLIJFT", store=any_store)["value"].tolist() == ["y"]
    with pytest.raises(Exception, match="append-only"), any_store._write() as tx:
        tx.execute("DELETE FROM answers")


def test_sessions_with_the_same_title_are_not_compared(store: Store) -> None:
    first = store.create_session("Workshop", template="netwerkwerkboek", code="EEN")
    second = store.create_session("Workshop", template="netwerkwerkboek", code="TWEE")
    assert first.network == second.network == ""
    assert earlier_session(store, store.session("TWEE")) is None
    # sessions made before, when the network defaulted to the title: not one network either
    insert_raw_session(store, "OUD1", title="Cursus")
    insert_raw_session(store, "OUD2", title="Cursus")
    with store._write() as tx:
        tx.execute("UPDATE sessions SET created_at = '2025-02-01' WHERE code = 'OUD2'")
    assert earlier_session(store, store.session("OUD2")) is None
    # explicitly in one network: compared
    store.create_session("Start", template="netwerkwerkboek", code="NET1", network="Regio")
    store.create_session("Later", template="netwerkwerkboek", code="NET2", network="Regio")
    found = earlier_session(store, store.session("NET2"))
    assert found is not None and found[0].code == "NET1"


def test_the_comparison_says_which_session_it_is(demo_store: Store) -> None:
    from netwerk_widgets import views
    from netwerk_widgets.templates import template_for

    info = demo_store.session("DEMO2")
    template = template_for(info, demo_store)
    block = template.blocks_with_view("conditions")[0].id
    payload = views.compute(demo_store, "DEMO2", block)
    text = str(payload)
    assert "Vergeleken met de sessie 'MuziekTafel Rivierenland – startbijeenkomst (demo)'" in text
    assert "(DEMO, " in text and "van het netwerk 'MuziekTafel Rivierenland'" in text


def test_pseudonyms_are_unique_within_a_session(store: Store) -> None:
    store.create_session("Groot", template="netwerkwerkboek", code="GROOT")
    names = [store.join("GROOT", "").display_name for _ in range(300)]
    assert len(set(names)) == 300
    assert all(name.split()[-1].isdigit() for name in names)
    animals = {name.rsplit(" ", 1)[0] for name in names}
    assert len(animals) == 16  # every animal occurs, not 10 of the 16
