"""Pages in the template's language, or the one a participant picks (without a browser)."""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import ipywidgets as w
import yaml

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
    store.create_session("Test", template="netwerkwerkboek", template_version="1.1", code="T1")
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


THIRD_LANGUAGE = r"""
import sys
from netwerk_widgets import Store
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.settings import LANGUAGES
from netwerk_widgets.templates import check_template, load_template, read_template_text

template_file, url = sys.argv[1], sys.argv[2]
raw = read_template_text(template_file)
assert check_template(raw, template_file)[1] == [], check_template(raw, template_file)[1]
template = load_template(template_file)
print("languages", LANGUAGES, template.languages)
with Store(url) as store:
    store.create_session("Eigen", template=template_file, template_text=raw, code="DE1")
    app = ParticipantApp(store, query={"sessie": "DE1"})
    print("join", app.join_form.button.description)
    app.join_form.button.click()
    print("blocks", app.navigation._options_labels)
    english = ParticipantApp(store, query={"sessie": "DE1", "taal": "en"})
    print("switch", english.join_form.button.description)
"""


def test_a_third_language_is_one_catalogue_file_and_the_templates_texts(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    import netwerk_widgets

    package = tmp_path / "netwerk_widgets"
    shutil.copytree(
        Path(netwerk_widgets.__file__).parent,
        package,
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    shutil.copytree(Path(netwerk_widgets.__file__).parent.parent / "schema", tmp_path / "schema")
    german = (package / "messages" / "en.yaml").read_text(encoding="utf-8")
    german = german.replace("join: Join", "join: Mitmachen")  # page.join
    (package / "messages" / "de.yaml").write_text(german, encoding="utf-8")

    def in_german(node: object) -> object:  # every translated text gets a German one
        if isinstance(node, dict):
            if set(node) == {"nl", "en"}:
                return {
                    **node,
                    "de": "Gesundheitscheck" if node["en"] == "Health check" else node["en"],
                }
            return {key: in_german(value) for key, value in node.items()}
        if isinstance(node, list):
            return [in_german(item) for item in node]
        return node

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # as the templates are read
    data = in_german(yaml.load(TRAINER_TEMPLATE.read_text(encoding="utf-8"), Loader=loader))
    data["language"] = "de"
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    own = tmp_path / "eigen.yaml"
    own.write_text(raw, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", THIRD_LANGUAGE, str(own), f"sqlite:///{tmp_path / 's.db'}"],
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        cwd=tmp_path,  # python -c puts the current folder first on the path
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "languages ('nl', 'en', 'de') ('de', 'nl', 'en')" in out, out
    assert "join Mitmachen" in out and "switch Join" in out
    assert "Gesundheitscheck" in out
