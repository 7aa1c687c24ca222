"""Pages in the template's language, or the one a participant picks (without a browser)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import ipywidgets as w

from netwerk_widgets import Store
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.store import Answer
from netwerk_widgets.templates import load_template

TRAINER_TEMPLATE = Path(__file__).parent / "templates" / "trainer-made.yaml"
DUTCH_WORDS = re.compile(
    r"Meedoen|Sessiecode|je doet mee|Bewaar je persoonlijke link|Onderdeel|Vorige|Volgende|"
    r"Toon groepsresultaten|Vernieuwen|Nog niet ingevuld|Opgeslagen|weet ik niet|Regel toevoegen"
)


def page_text(widget: w.Widget) -> str:
    """Every text a widget tree shows: values, descriptions, placeholders, options."""
    parts: list[str] = []
    stack = [widget]
    while stack:
        node = stack.pop()
        for name in ("value", "description", "placeholder", "tooltip"):
            value = getattr(node, name, None)
            if isinstance(value, str):
                parts.append(value)
        labels = getattr(node, "_options_labels", None)
        if labels:
            parts.extend(labels)
        stack.extend(getattr(node, "children", ()))
    return "\n".join(parts)


def read_text(widget: w.Widget) -> str:
    """:func:`page_text` as a person reads it (HTML entities decoded)."""
    return unescape(page_text(widget))


def english_session(store: Store) -> None:
    template = load_template(TRAINER_TEMPLATE)
    store.create_session(
        "Own", template=str(TRAINER_TEMPLATE), template_version=template.version, code="EN1"
    )


def test_an_english_session_speaks_english_from_the_join_form_on(store: Store) -> None:
    english_session(store)
    app = ParticipantApp(store, query={"sessie": "EN1"})
    assert "Join the session" in page_text(app) and not DUTCH_WORDS.search(page_text(app))
    app.join_form.name.value = "Ann"
    app.join_form.button.click()
    for block in app.block_ids:
        app.show_block(block)
        text = page_text(app)
        assert not DUTCH_WORDS.search(text), (block, DUTCH_WORDS.search(text))
    assert "you take part as" in app.header.value and "Keep your personal link" in app.header.value
    assert app.previous_button.description == "‹ Previous"


def test_a_participant_can_switch_a_bilingual_workbook(store: Store) -> None:
    store.create_session("Test", template="netwerkwerkboek", template_version="1.0", code="T1")
    app = ParticipantApp(store, query={"sessie": "T1", "taal": "en"})
    assert "Join the session" in page_text(app)
    app.join_form.button.click()
    assert app.template.language == "en" and "taal=en" in app.header.value
    app.show_block("voorwaarden")
    view = app.blocks["voorwaarden"]
    assert "don't know" in page_text(view) and "weet ik niet" not in page_text(view)
    app.recorder.record(Answer("voorwaarden", "v04_vertrouwen", "4", field="score", value_num=4))
    app.language_switch.value = "nl"  # the switch on the page
    assert app.template.language == "nl" and app.block_id == "voorwaarden"
    assert "Onderdeel" in page_text(app) and "Part" not in app.navigation.description
    again = app.blocks["voorwaarden"]
    assert again is not view and "weet ik niet" in page_text(again)
    trust = next(
        q
        for q in again.children
        if getattr(q, "question", None) and q.question.id == "v04_vertrouwen"
    )
    buttons = [x for x in walk(trust) if isinstance(x, w.ToggleButtons)]
    assert buttons[0].value == "4"  # the answer given in English is still there


def walk(widget: w.Widget) -> list[w.Widget]:
    found, stack = [], [widget]
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def test_a_workbook_in_one_language_offers_no_switch(store: Store) -> None:
    raw = TRAINER_TEMPLATE.read_text(encoding="utf-8")
    one = Path(store.url.removeprefix("sqlite:///")).with_name("dutch.yaml")
    one.write_text(re.sub(r", en: [^}]*\}", "}", raw.replace("language: en", "language: nl")))
    template = load_template(one)
    assert template.languages == ("nl",)
    store.create_session("Een", template=str(one), template_version=template.version, code="NL1")
    app = ParticipantApp(store, query={"sessie": "NL1", "taal": "en"})
    app.join_form.button.click()
    assert app.template.language == "nl" and app.language_switch.layout.display == "none"


def test_messages_from_the_store_follow_the_page_language(store: Store) -> None:
    from netwerk_widgets.messages import messages

    english_session(store)
    en, nl = messages("en"), messages("nl")
    wrong_link = ParticipantApp(store, query={"sessie": "EN1", "deelnemer": "not-a-token"})
    assert en("errors.invalid_link") in read_text(wrong_link)
    assert not DUTCH_WORDS.search(read_text(wrong_link))
    unknown = ParticipantApp(store, query={"sessie": "", "taal": "en"})
    unknown.join_form.code.value = "NOPE"
    unknown.join_form.button.click()
    assert en("errors.unknown_session", code="NOPE") in read_text(unknown)
    store.set_closed("EN1", True)
    closed = ParticipantApp(store, query={"sessie": "EN1"})
    closed.join_form.button.click()
    assert en("errors.closed_join") in read_text(closed)
    # Without a language the Dutch text, as before: str() of the error.
    dutch = ParticipantApp(store, query={"sessie": ""})
    dutch.join_form.code.value = "NOPE"
    dutch.join_form.button.click()
    assert nl("errors.unknown_session", code="NOPE") in read_text(dutch)
