"""Widgets driven like the front end drives them: set ``.value``, ``.click()``, read the store."""

from __future__ import annotations

import html

import pytest

from netwerk_widgets import Store, StoreError, load_template
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.page_address import page_query, personal_link
from netwerk_widgets.recorder import Recorder
from netwerk_widgets.store import Answer
from netwerk_widgets.widgets import BlockView

TEMPLATE = load_template()


@pytest.fixture
def app(store: Store) -> ParticipantApp:
    store.create_session("Test", template="netwerkwerkboek", template_version="1.1", code="T1")
    app = ParticipantApp(store, query={"sessie": "T1"})
    app.join_form.name.value = "Anna"
    app.join_form.button.click()
    return app


def values(store: Store) -> dict[tuple[str, str, str, str], str | None]:
    return {
        (r["question"], r["item"], r["field"], r["participant"]): r["value"]
        for r in store.current("T1")
    }


def current(store: Store, question: str, item: str = "", field: str = "") -> str | None:
    matches = [
        r["value"]
        for r in store.current("T1")
        if (r["question"], r["item"], r["field"]) == (question, item, field)
    ]
    return matches[-1] if matches else None


def test_join_with_code_and_name(app: ParticipantApp, store: Store) -> None:
    assert app.participant is not None and app.participant.display_name == "Anna"
    assert store.participants("T1") == [app.participant]
    assert app.join_form.code.value == "T1"
    assert html.escape(personal_link("T1", app.participant.token)) in app.header.value
    assert app.status.value and "meteen opgeslagen" in app.status.value


def test_join_with_unknown_code_shows_dutch_message(store: Store) -> None:
    app = ParticipantApp(store, query={})
    app.join_form.code.value = "BESTAATNIET"
    app.join_form.button.click()
    assert app.participant is None
    assert "geen sessie met code" in app.join_form.message.value
    assert store.sessions() == []


def test_anonymous_join_gets_a_pseudonym(store: Store) -> None:
    store.create_session("Test", template="netwerkwerkboek", template_version="1.1", code="T1")
    app = ParticipantApp(store, query={"sessie": "T1"})
    app.join_form.button.click()
    assert app.participant.anonymous and app.participant.display_name
    assert "anoniem als" in app.header.value


def test_worksheet_rows_save_on_every_change(app: ParticipantApp, store: Store) -> None:
    view = app.blocks["werkblad"].questions["uitdagingen"]
    assert len(view.rows) == 2  # min_rows from the template
    assert view.rows[0].cells["uitdaging"].area.placeholder.startswith("Een paar partners")
    first = view.rows[0].item
    view.rows[0].cells["uitdaging"].area.value = "Nieuwe partners doen niet mee"
    assert current(store, "uitdagingen", first, "uitdaging") == "Nieuwe partners doen niet mee"
    assert "Opgeslagen om" in app.status.value
    view.add_button.click()
    view.rows[2].cells["oplossing"].area.value = "Samen de doelen herzien"
    third = view.rows[2].item
    assert current(store, "uitdagingen", third, "oplossing") == "Samen de doelen herzien"
    view.rows[0].remove_button.click()
    assert current(store, "uitdagingen", first, "uitdaging") == ""
    assert len(view.rows) == 2


def test_every_question_kind_saves_and_comes_back(app: ParticipantApp, store: Store) -> None:
    identity = app.blocks["identiteit"].questions
    identity["waarom"].input.value = "Samen muziek voor elk kind"
    identity["soort"].boxes["plaats"].value = True
    identity["soort"].boxes["actie"].value = True
    identity["soort"].boxes["actie"].value = False
    scale = app.blocks["voorwaarden"].questions["v04_vertrouwen"]
    scale.input.value = "2"
    scale.comment.value = "Geld blijft een heet hangijzer"
    app.blocks["voorwaarden"].questions["v05_rollen"].input.value = "weet_niet"
    rows = {
        (r["question"], r["item"], r["field"]): (r["value"], r["value_num"])
        for r in store.current("T1")
    }
    assert rows[("waarom", "", "text")] == ("Samen muziek voor elk kind", None)
    assert rows[("soort", "plaats", "selected")] == ("1", 1.0)
    assert rows[("soort", "actie", "selected")] == ("0", 0.0)
    assert rows[("v04_vertrouwen", "", "score")] == ("2", 2.0)
    assert rows[("v04_vertrouwen", "", "comment")] == ("Geld blijft een heet hangijzer", None)
    assert rows[("v05_rollen", "", "score")] == ("weet_niet", None)

    # Coming back through the personal link shows the same answers.
    back = ParticipantApp(
        store, query={"sessie": "T1", "deelnemer": app.participant.token, "blok": "voorwaarden"}
    )
    assert back.block_id == "voorwaarden"
    assert back.blocks["identiteit"].questions["waarom"].input.value == (
        "Samen muziek voor elk kind"
    )
    assert back.blocks["identiteit"].questions["soort"].boxes["plaats"].value is True
    assert back.blocks["voorwaarden"].questions["v04_vertrouwen"].input.value == "2"
    assert back.blocks["voorwaarden"].questions["v05_rollen"].input.value == "weet_niet"
    before = len(store.current("T1", history=True))
    back.blocks["werkblad"].questions["uitdagingen"].rows[0]  # restoring wrote nothing
    assert len(store.current("T1", history=True)) == before


def test_worksheet_rows_come_back_in_order(app: ParticipantApp, store: Store) -> None:
    view = app.blocks["werkblad"].questions["uitdagingen"]
    for _ in range(10):
        view.add_button.click()
    view.rows[11].cells["uitdaging"].area.value = "twaalf"
    view.rows[1].cells["uitdaging"].area.value = "twee"
    back = ParticipantApp(store, query={"sessie": "T1", "deelnemer": app.participant.token})
    rows = back.blocks["werkblad"].questions["uitdagingen"].rows
    assert [r.cells["uitdaging"].value for r in rows] == ["twee", "twaalf"]
    rows[-1].remove_button.click()
    back.blocks["werkblad"].questions["uitdagingen"].add_button.click()
    added = back.blocks["werkblad"].questions["uitdagingen"].rows[-1].item
    assert added not in {r.item for r in rows}  # a removed row's id is never reused


def test_text_longer_than_allowed_is_cut_with_a_message(app: ParticipantApp, store: Store) -> None:
    question = app.blocks["identiteit"].questions["waarom"]
    question.input.value = "x" * 5000
    assert question.input.value == "x" * 400
    assert "Maximaal 400 tekens" in question.input.note.value
    assert current(store, "waarom", "", "text") == "x" * 400


def test_navigation_moves_between_blocks_in_one_app(app: ParticipantApp) -> None:
    assert app.block_id == "actoren" and app.previous_button.disabled
    app.next_button.click()
    assert app.block_id == "identiteit"
    assert app.block_area.children == (app.blocks["identiteit"],)
    app.navigation.value = "inzichten"
    assert app.block_id == "inzichten" and app.next_button.disabled
    app.previous_button.click()
    assert app.block_id == "kosten_baten"


def test_a_failed_save_is_kept_shown_and_saved_later(
    app: ParticipantApp, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_append = store.append

    def broken(*args: object, **kwargs: object) -> int:
        raise StoreError("De antwoordenopslag is niet bereikbaar: database is locked")

    monkeypatch.setattr(store, "append", broken)
    question = app.blocks["identiteit"].questions["waarom"]
    question.input.value = "Niet kwijtraken"
    assert app.recorder.status == "error" and app.recorder.pending == 1
    assert "Niet opgeslagen" in app.status.value and "proberen" in app.status.value
    assert current(store, "waarom", "", "text") is None
    monkeypatch.setattr(store, "append", real_append)
    assert app.recorder.flush()
    assert app.recorder.pending == 0 and "Opgeslagen om" in app.status.value
    assert current(store, "waarom", "", "text") == "Niet kwijtraken"


def test_participant_text_is_escaped_in_labels(store: Store) -> None:
    store.create_session(
        "<b>Sessie</b>", template="netwerkwerkboek", template_version="1.1", code="T1"
    )
    participant = store.join("T1", "<img src=x onerror=alert(1)>")
    app = ParticipantApp(store, query={"sessie": "T1", "deelnemer": participant.token})
    assert "<img" not in app.header.value and "&lt;img" in app.header.value
    assert "<b>Sessie" not in app.header.value


def test_personal_link_is_the_page_address_with_session_and_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = "http://10.0.0.5:8866/voila/render/start.ipynb?sessie=T1#top"
    assert personal_link("T1", "tok", page) == (
        "http://10.0.0.5:8866/voila/render/start.ipynb?sessie=T1&deelnemer=tok"
    )
    monkeypatch.setenv("VOILA_REQUEST_URL", page)
    assert personal_link("T1", "tok").startswith("http://10.0.0.5:8866/voila/render/")
    monkeypatch.delenv("VOILA_REQUEST_URL")
    assert personal_link("T1", "tok") == "?sessie=T1&deelnemer=tok"


def test_page_query_takes_the_first_value_and_ignores_blanks() -> None:
    assert page_query("sessie=ab&sessie=cd&deelnemer=&x=1") == {"sessie": "ab", "x": "1"}
    assert page_query("") == {}


def test_block_view_restores_without_writing(store: Store) -> None:
    store.create_session("T", template="netwerkwerkboek", template_version="1.1", code="T1")
    participant = store.join("T1", "Anna")
    view = BlockView(TEMPLATE, TEMPLATE.block("voorwaarden"), Recorder(store, participant))
    view.restore(
        [
            {
                "block": "voorwaarden",
                "question": "v01_ambitie",
                "item": "",
                "field": "score",
                "value": "9",
            }
        ]
    )  # not on the scale: shown as unanswered
    assert view.questions["v01_ambitie"].input.value is None
    assert store.current("T1") == []


def test_shared_register_feeds_the_relation_choices(app: ParticipantApp, store: Store) -> None:
    other = store.join("T1", "Bob")
    store.append(
        other,
        [Answer("actoren", "register", "Gemeente", item="r1", field="naam")],
    )
    block = app.blocks["actoren"]
    register = block.questions["register"]
    relations = block.questions["relaties"]
    app.show_block("actoren")  # showing a block reloads what the group entered
    assert "Gemeente" in register.group_list.value
    row = register.rows[0]
    row.cells["naam"].area.value = "Muziekschool <De Linge>"
    row.cells["rol"].value = "trekker"
    row.cells["betrokkenheid"].value = "4"
    # Saving a register row updates the group list and the relation choices at once.
    assert "Muziekschool &lt;De Linge&gt;" in register.group_list.value
    choices = [value for _label, value in relations.rows[0].cells["van"].options]
    assert choices == ["", "Gemeente", "Muziekschool <De Linge>"]
    relations.rows[0].cells["van"].value = "Gemeente"
    relations.rows[0].cells["met"].value = "Muziekschool <De Linge>"
    relations.rows[0].cells["sterkte"].value = "3"
    rows = {
        (r["question"], r["field"]): (r["value"], r["value_num"])
        for r in store.current("T1", app.participant.id)
    }
    assert rows[("register", "rol")] == ("trekker", None)
    assert rows[("register", "betrokkenheid")] == ("4", 4.0)
    assert rows[("relaties", "van")] == ("Gemeente", None)
    assert rows[("relaties", "sterkte")] == ("3", 3.0)
    back = ParticipantApp(store, query={"sessie": "T1", "deelnemer": app.participant.token})
    again = back.blocks["actoren"].questions["relaties"].rows[0]
    assert again.cells["met"].value == "Muziekschool <De Linge>"
    assert again.cells["sterkte"].value == "3"


def test_matrix_asks_a_level_per_ambition_of_the_group(app: ParticipantApp, store: Store) -> None:
    matrix = app.blocks["ambities"].questions["betrokkenheid"]
    assert matrix.inputs == {} and matrix.empty_note.layout.display is None
    other = store.join("T1", "Bob")
    store.append(
        other, [Answer("ambities", "lijst", "Muziek in elke klas", item="r1", field="ambitie")]
    )
    app.blocks["ambities"].questions["lijst"].rows[0].cells["ambitie"].area.value = "Eigen ambitie"
    assert set(matrix.inputs) == {"Muziek in elke klas", "Eigen ambitie"}
    matrix.inputs["Muziek in elke klas"].value = "meedoen"
    assert current(store, "betrokkenheid", "Muziek in elke klas", "level") == "meedoen"
    back = ParticipantApp(store, query={"sessie": "T1", "deelnemer": app.participant.token})
    restored = back.blocks["ambities"].questions["betrokkenheid"].inputs
    assert restored["Muziek in elke klas"].value == "meedoen"
    assert restored["Eigen ambitie"].value == ""


def test_required_questions_are_marked_and_named_when_moving_on(
    app: ParticipantApp, store: Store
) -> None:
    identity = app.blocks["identiteit"]
    assert identity.questions["waarom"].header[0].value.endswith(" *</b>")
    app.show_block("identiteit")
    app.next_button.click()
    assert "Nog niet ingevuld (verplicht)" in app.reminder.value
    assert "Waarom bestaat dit netwerk?" in app.reminder.value
    assert app.block_id == "ambities"  # moving on is never blocked
    app.show_block("identiteit")
    identity.questions["waarom"].input.value = "Samen meer bereiken"
    app.next_button.click()
    assert app.reminder.value == ""


@pytest.mark.parametrize(
    "typed",
    [
        "Tekst met \x00nul\x07bel en \x1bescape",
        "עברית מימין לשמאל",
        "Emoji 🎻🎺 en ‮omgekeerd",
    ],
)
def test_odd_text_is_stored_cleanly_and_comes_back(
    app: ParticipantApp, store: Store, typed: str
) -> None:
    question = app.blocks["identiteit"].questions["waarden"]
    question.input.value = typed
    stored = current(store, "waarden", "", "text")
    assert stored == typed.replace("\x00", "").replace("\x07", "").replace("\x1b", "")
    back = ParticipantApp(store, query={"sessie": "T1", "deelnemer": app.participant.token})
    assert back.blocks["identiteit"].questions["waarden"].input.value == stored


def test_participant_page_shows_a_dutch_message_for_a_wrong_store_url() -> None:
    from netwerk_widgets.app import participant_page

    page = participant_page(url="geen-geldige-url")
    assert "kan nu niet openen" in page.value and "niet bereikbaar" in page.value


def test_foundation_block_saves_rules_leaders_and_the_form_scales(
    app: ParticipantApp, store: Store
) -> None:
    block = app.blocks["fundament"].questions
    rule = block["spelregels"].rows[0]
    rule.cells["regel"].area.value = "We besluiten samen"
    rule.cells["soort"].value = "impliciet"
    block["leiderschap"].rows[0].cells["wie"].area.value = "De muziekschool"
    block["vorm_nu"].input.value = "2"
    block["vorm_gewenst"].input.value = "4"
    rows = {(r["question"], r["field"]): r["value"] for r in store.current("T1")}
    assert rows[("spelregels", "regel")] == "We besluiten samen"
    assert rows[("spelregels", "soort")] == "impliciet"
    assert rows[("leiderschap", "wie")] == "De muziekschool"
    assert (rows[("vorm_nu", "score")], rows[("vorm_gewenst", "score")]) == ("2", "4")
    labels = [label for label, _value in rule.cells["soort"].options]
    assert labels == [
        "— kies —",
        "afgesproken (expliciet)",
        "ongeschreven (impliciet)",
        "ontbreekt nog",
    ]
