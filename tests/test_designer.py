"""The template designer: a trainer makes a template without code, driven as the page would.

The widget tests set ``.value`` and call ``.click()`` on the designer's widgets (reached by
the field path they edit, ``designer.fields.input("blocks[0].title.nl")``); one browser test
does the same in a real Voilà page and runs the new template with a participant.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netwerk_widgets import Store
from netwerk_widgets.designer import Designer
from netwerk_widgets.templates import load_template, template_for


@pytest.fixture
def designer(tmp_path: Path, sqlite_url: str) -> Designer:
    return Designer(store_url=sqlite_url, templates_dir=tmp_path / "sjablonen", server="http://x:1")


def build_from_scratch(d: Designer) -> None:
    """Two blocks: a text question, a scale 0-10 and a multichoice; then a table question."""
    f = d.fields.input
    f("name").value = "kennismaken"
    f("title.nl").value = "Kennismaken"
    f("title.en").value = "Getting acquainted"
    f("blocks[0].title.nl").value = "Wie ben je?"
    f("blocks[0].title.en").value = "Who are you?"
    f("blocks[0].questions[0].text.nl").value = "Wat wil je vandaag leren?"
    f("blocks[0].questions[0].max_length").value = 300

    d.add_question_button.click()
    f("blocks[0].questions[1].kind").value = "scale"
    f("blocks[0].questions[1].text.nl").value = "Hoe tevreden ben je over het netwerk?"
    f("blocks[0].questions[1].text.en").value = "How satisfied are you with the network?"
    f("blocks[0].questions[1].min").value = 0
    f("blocks[0].questions[1].max").value = 10
    f("blocks[0].questions[1].labels[0].nl").value = "helemaal niet"
    f("blocks[0].questions[1].labels[1].nl").value = "heel erg"

    d.add_question_button.click()
    f("blocks[0].questions[2].kind").value = "multichoice"
    f("blocks[0].questions[2].text.nl").value = "Waar werk je aan?"
    f("blocks[0].questions[2].options[0].label.nl").value = "Onderwijs"
    f("blocks[0].questions[2].options[1].label.nl").value = "Zorg"
    f("blocks[0].questions[2].options:add").click()
    f("blocks[0].questions[2].options[2].label.nl").value = "Cultuur"
    f("blocks[0].questions[2].options[2].label.en").value = "Culture"

    f("blocks[0].results.view").value = "conditions"
    f("blocks[0].results.questions.vraag2").value = True

    d.add_block_button.click()
    assert d.block_index == 1
    f("blocks[1].title.nl").value = "Wat speelt er?"
    f("blocks[1].questions[0].kind").value = "table"
    f("blocks[1].questions[0].text.nl").value = "Welke uitdagingen zie je?"
    f("blocks[1].questions[0].columns[0].label.nl").value = "Uitdaging"
    f("blocks[1].questions[0].columns[0].example.nl").value = "Te weinig tijd"
    f("blocks[1].questions[0].columns:add").click()
    f("blocks[1].questions[0].columns[1].kind").value = "scale"
    f("blocks[1].questions[0].columns[1].label.nl").value = "Hoe groot (1-5)"
    f("blocks[1].questions[0].min_rows").value = 2


def test_a_template_built_from_scratch_is_valid_and_says_what_was_chosen(
    designer: Designer,
) -> None:
    build_from_scratch(designer)
    assert designer.problems == []
    template = designer.template
    assert template is not None and template.name == "kennismaken"
    first, second = template.blocks
    assert [q.kind for q in first.questions] == ["text", "scale", "multichoice"]
    assert first.questions[0].max_length == 300
    scale = first.questions[1]
    assert scale.scale == (0, 10) and scale.scale_labels[1].nl == "heel erg"
    assert scale.text.en == "How satisfied are you with the network?"
    assert [o.label.get("en") for o in first.questions[2].options] == [
        "Onderwijs",
        "Zorg",
        "Culture",
    ]
    assert first.results.view == "conditions" and first.results.get("questions") == ["vraag2"]
    table = second.questions[0]
    assert [c.kind for c in table.columns] == ["text", "scale"] and table.min_rows == 2
    assert table.columns[0].example.nl == "Te weinig tijd"
    # The preview shows the selected block as a participant sees it.
    preview = designer.preview_area.children[0]
    assert preview.block.id == second.id
    assert "Welke uitdagingen" in preview.questions[table.id].header[0].value


def test_blocks_questions_and_options_are_reordered_and_ids_followed(designer: Designer) -> None:
    build_from_scratch(designer)
    f = designer.fields.input
    designer.select(0, 1)
    designer.question_up_button.click()  # the scale question first
    assert [q.kind for q in designer.draft.blocks[0].questions] == ["scale", "text", "multichoice"]
    assert designer.question_index == 0 and designer.question_select.value == 0
    f("blocks[0].questions[0].id").value = "tevreden"  # the conditions view follows the id
    designer.select(0, 2)
    f("blocks[0].questions[2].options[2]:up").click()
    assert [o.label.nl for o in designer.draft.blocks[0].questions[2].options] == [
        "Onderwijs",
        "Cultuur",
        "Zorg",
    ]
    designer.select(1)
    designer.block_up_button.click()
    assert designer.block_index == 0
    # Removing asks first; the last question of a block can not go.
    designer.remove_question_button.click()
    assert "minstens één vraag" in designer.blocks_message.value
    designer.add_question_button.click()
    designer.remove_question_button.click()
    assert "verwijderen?" in designer.blocks_confirm.question
    designer.blocks_confirm.no.click()
    assert len(designer.block.questions) == 2
    designer.remove_question_button.click()
    designer.blocks_confirm.yes.click()
    assert [q.kind for q in designer.block.questions] == ["table"]
    designer.add_block_button.click()
    assert len(designer.draft.blocks) == 3 and designer.block_index == 1
    designer.remove_block_button.click()
    designer.blocks_confirm.yes.click()
    assert len(designer.draft.blocks) == 2
    assert designer.problems == []
    template = designer.template
    assert [b.id for b in template.blocks] == ["blok2", "blok1"]
    assert template.block("blok1").results.get("questions") == ["tevreden"]
    assert designer.block_select.options[0][0].startswith("1. Wat speelt er?")


def test_a_validation_problem_shows_at_its_field_and_in_the_lists(designer: Designer) -> None:
    build_from_scratch(designer)
    designer.select(0, 1)
    designer.fields.input("blocks[0].questions[1].max").value = 0  # not above the minimum
    [problem] = designer.problems
    assert problem.field == "blocks[0].questions[1].max"
    box = designer.fields.boxes["blocks[0].questions[1].max"]
    assert box.problems == ["moet groter zijn dan min (0)"]
    assert "moet groter zijn dan min" in box.error.value and "nw-invalid" in box._dom_classes
    assert designer.question_select.options[1][0].endswith("⚠")
    assert designer.block_select.options[0][0].endswith("⚠")
    assert "1 probleem" in designer.summary.value
    assert designer.where(problem.field) == "Onderdeel 1 › vraag 2 › hoogste punt"
    # Elsewhere (another block on screen) the problem is still listed, and "Tonen" goes there.
    designer.select(1)
    assert "blocks[0].questions[1].max" not in designer.fields.boxes
    designer.problem_list.children[0].children[0].click()
    assert (designer.block_index, designer.question_index) == (0, 1)
    assert designer.fields.boxes["blocks[0].questions[1].max"].problems
    designer.fields.input("blocks[0].questions[1].max").value = 7
    assert designer.problems == []
    assert not designer.fields.boxes["blocks[0].questions[1].max"].problems
    # An empty text is a problem at that text, and saving refuses while there are problems.
    designer.fields.input("blocks[0].title.nl").value = ""
    assert designer.fields.boxes["blocks[0].title"].problems
    assert designer.save() is None and "Los eerst de problemen op" in designer.save_message.value


def test_save_never_overwrites_a_file_without_asking(designer: Designer, tmp_path: Path) -> None:
    build_from_scratch(designer)
    designer.file_name.value = "kennismaken"
    path = designer.save()
    assert path == tmp_path / "sjablonen" / "kennismaken.yaml"
    assert load_template(path) == designer.template
    assert "kennismaken.yaml" in designer.own_select.options[0][0]
    designer.fields.input("version").value = "2"
    designer.fields.input("title.nl").value = "Kennismaken, tweede versie"
    assert designer.dirty
    assert designer.save() is None  # exists: asks first
    assert (
        "bestaat al" in designer.save_confirm.question
        and "versie 1" in designer.save_confirm.question
    )
    assert load_template(path).version == "1"
    designer.save_confirm.no.click()
    assert load_template(path).version == "1" and designer.save_confirm.question == ""
    designer.save_button.click()
    designer.save_confirm.yes.click()
    assert load_template(path).version == "2" and not designer.dirty
    assert "Bewaard in" in designer.save_message.value
    # What changed since the start is listed; the download holds the same file.
    assert "kennismaken.yaml" in designer.download.value and "base64," in designer.download.value


def upload(designer: Designer, name: str, content: bytes) -> None:
    designer.upload.value = (
        {
            "name": name,
            "type": "application/x-yaml",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.now(UTC),
        },
    )


def test_an_uploaded_file_opens_or_gets_the_validation_messages(designer: Designer) -> None:
    before = designer.draft
    upload(designer, "kapot.yaml", b"name: [x\nversion: 1\n")
    message = designer.start_message.value
    assert "kapot.yaml is geen bruikbaar sjabloon" in message and "geen geldige YAML" in message
    assert "Traceback" not in message and designer.draft is before
    upload(designer, "binair.yaml", b"\xff\xfe\x00")
    assert "geen tekstbestand" in designer.start_message.value
    broken = load_template().source
    text = Path(broken).read_text(encoding="utf-8").replace("kind: matrix", "kind: matriks")
    upload(designer, "mijn.yaml", text.replace("min_rows: 2", "min_rows: -1").encode())
    message = designer.start_message.value
    assert "blocks[2].questions[1].kind: onbekende soort" in message
    assert "blocks[4].questions[0].min_rows" in message  # the schema, like template validate
    assert designer.draft is before
    upload(designer, "goed.yaml", Path(broken).read_bytes())
    assert "Geopend: Netwerkwerkboek" in designer.start_message.value
    assert len(designer.draft.blocks) == 8 and designer.problems == []
    assert designer.file_name.value == "netwerkwerkboek.yaml"
    assert "In de ontwerper: Netwerkwerkboek (versie 1.1, nl, 8 onderdelen)" in designer.about.value


def test_author_description_and_license_are_edited_and_shown(designer: Designer) -> None:
    f = designer.fields.input
    f("author").value = "Anna de Trainer"
    f("license").value = "CC BY 4.0"
    f("description.nl").value = "Om te <b>proberen</b>."
    f("title.nl").value = "Proef"
    f("blocks[0].title.nl").value = "Een"
    f("blocks[0].questions[0].text.nl").value = "Vraag?"
    template = designer.template
    assert (template.author, template.license) == ("Anna de Trainer", "CC BY 4.0")
    assert "door Anna de Trainer · licentie CC BY 4.0" in designer.about.value
    assert "Om te &lt;b&gt;proberen&lt;/b&gt;." in designer.about.value
    f("author").value = "x" * 201
    assert [p.field for p in designer.problems] == ["author"]
    assert "hoogstens 200 tekens" in designer.fields.boxes["author"].error.value


def test_opening_another_template_asks_before_changes_are_lost(designer: Designer) -> None:
    designer.fields.input("title.nl").value = "Half af"
    designer.builtin_button.click()
    assert "verloren" in designer.start_confirm.question
    assert designer.draft.title.nl == "Half af"
    designer.start_confirm.yes.click()
    assert designer.draft.name == "netwerkwerkboek"
    designer.new_button.click()  # nothing changed since opening: no question
    assert designer.draft.blocks[0].questions[0].kind == "text"


def test_a_session_starts_from_the_saved_template(designer: Designer, sqlite_url: str) -> None:
    build_from_scratch(designer)
    designer.start()
    assert "Bewaar het sjabloon eerst" in designer.session_info.value
    path = designer.save()
    designer.session_title.value = "Workshop maart"
    designer.session_code.value = "ONTW1"
    session = designer.start()
    assert session is not None and session.code == "ONTW1"
    info = designer.session_info.value
    assert "http://x:1/voila/render/start.ipynb?sessie=ONTW1" in info
    assert f"trainer.ipynb?sessie=ONTW1&amp;sleutel={session.trainer_key}" in info
    with Store(sqlite_url) as store:
        stored = store.session("ONTW1")
        assert stored.template == str(path.resolve())
        assert template_for(stored, store) == designer.template


def test_a_changed_template_needs_a_new_version_for_the_next_session(designer: Designer) -> None:
    build_from_scratch(designer)
    designer.save()
    assert designer.start() is not None
    designer.fields.input("blocks[1].title.nl").value = "Wat speelt er nu?"  # on screen
    designer.save()
    designer.save_confirm.yes.click()
    assert designer.start() is None  # same version, other content: the store refuses
    assert "kon niet starten" in designer.session_info.value
    assert "versie" in designer.session_info.value
    designer.fields.input("version").value = "2"
    designer.save()
    designer.save_confirm.yes.click()
    assert designer.start().template_version == "2"


def test_the_designer_speaks_english_when_asked(designer: Designer) -> None:
    designer.fields.input("title.nl").value = "Werkboek"
    designer.language_select.value = "en"
    assert designer.tabs.titles[3] == "4 Save and start"
    assert designer.draft.title.nl == "Werkboek"
    assert "Part 1 › question 1 › question" in designer.problem_list.children[0].children[1].value
    assert designer.prefixes["question"] == "question"


# --- in a real browser ------------------------------------------------------------------


@pytest.mark.browser
def test_a_trainer_builds_saves_and_runs_a_template_in_the_browser(
    voila_server_class, browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sjablonen"
    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("NETWERK_POOL_SIZE", "1")  # one preheated participant page is enough
    server = voila_server_class(db_url, env={"NETWERK_TEMPLATES_DIR": str(folder)})
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    outside: list[str] = []

    def guard(route: object) -> None:
        if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        started = time.monotonic()
        page.goto(server.page_url("ontwerpen.ipynb"))
        page.locator(".nw-designer").wait_for(timeout=120_000)  # a busy machine: be patient

        def field(path: str, value: str) -> None:
            box = page.locator(f".nw-i-{path}")
            box.locator("input, textarea").first.fill(value)
            box.locator("input, textarea").first.press("Tab")

        def choose(path: str, label: str) -> None:
            page.locator(f".nw-i-{path} select").select_option(label=label)

        def shown(path: str) -> None:  # the editor was rebuilt: fill in the new fields
            page.locator(f".nw-i-{path}").wait_for()

        page.get_by_role("tab", name="2 Het sjabloon").click()
        field("name", "browserwerkboek")
        field("title-nl", "Werkboek uit de browser")
        page.get_by_role("tab", name="3 Onderdelen en vragen").click()
        field("blocks-0-title-nl", "Kennismaken")
        field("blocks-0-questions-0-text-nl", "Wat wil je leren?")
        page.get_by_role("button", name="Vraag toevoegen").click()
        shown("blocks-0-questions-1-kind")
        choose("blocks-0-questions-1-kind", "Schaal")
        shown("blocks-0-questions-1-min")
        field("blocks-0-questions-1-text-nl", "Hoe tevreden ben je?")
        field("blocks-0-questions-1-min", "0")
        field("blocks-0-questions-1-max", "10")
        page.get_by_role("button", name="Vraag toevoegen").click()
        shown("blocks-0-questions-2-kind")
        choose("blocks-0-questions-2-kind", "Meerkeuze (meer antwoorden)")
        shown("blocks-0-questions-2-options-1-label-nl")
        field("blocks-0-questions-2-text-nl", "Waar werk je aan?")
        field("blocks-0-questions-2-options-0-label-nl", "Onderwijs")
        field("blocks-0-questions-2-options-1-label-nl", "Zorg")
        page.get_by_role("button", name="Onderdeel toevoegen").click()
        shown("blocks-1-questions-0-kind")
        choose("blocks-1-questions-0-kind", "Tabel (regels met kolommen)")
        shown("blocks-1-questions-0-columns-0-label-nl")
        field("blocks-1-title-nl", "Uitdagingen")
        field("blocks-1-questions-0-text-nl", "Welke uitdagingen zie je?")
        field("blocks-1-questions-0-columns-0-label-nl", "Uitdaging")
        page.locator(".nw-preview .nw-table-row").wait_for()  # the preview follows
        page.locator(".nw-designer-summary", has_text="Geen problemen").wait_for()

        page.get_by_role("tab", name="4 Bewaren en starten").click()
        page.locator(".nw-file-name input").fill("browserwerkboek.yaml")
        page.get_by_role("button", name="Bewaren in mijn sjablonen").click()
        page.locator(".nw-save-message", has_text="Bewaard in").wait_for()
        path = folder / "browserwerkboek.yaml"
        with page.expect_download() as download:
            page.locator(".nw-download-link").click()
        assert download.value.suggested_filename == "browserwerkboek.yaml"
        assert Path(download.value.path()).read_text(encoding="utf-8") == path.read_text("utf-8")
        checked = subprocess.run(
            [sys.executable, "-m", "netwerk_widgets.cli", "template", "validate", str(path)],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0, checked.stderr
        assert "OK" in checked.stdout and "2 blokken, 4 vragen" in checked.stdout

        page.get_by_role("button", name="Sessie starten").click()
        info = page.locator(".nw-session-info table")
        info.wait_for()
        code = info.locator("tr").first.locator("td").inner_text().strip()
        link = info.locator("a").first.get_attribute("href")
        assert link == server.page_url("start.ipynb", f"?sessie={code}")
        assert outside == []

        participant = context.new_page()
        participant.set_default_timeout(60_000)
        participant.goto(link)
        participant.get_by_placeholder("leeg laten = anoniem").fill("Deelnemer ontwerp")
        participant.get_by_role("button", name="Meedoen").click()
        question = participant.locator(".nw-question", has_text="Hoe tevreden ben je?")
        question.get_by_role("button", name="7", exact=True).click()
        with Store(db_url) as store:
            deadline = time.monotonic() + 15
            while not (rows := [r for r in store.current(code) if r["field"] == "score"]):
                assert time.monotonic() < deadline, "the answer did not reach the store"
                time.sleep(0.2)
            assert [(r["question"], r["value"], r["value_num"]) for r in rows] == [
                ("vraag2", "7", 7.0)
            ]
            assert store.session(code).template == str(path.resolve())
        assert outside == []
        assert time.monotonic() - started < 90
    except Exception:
        page.screenshot(path=str(tmp_path / "failure.png"))  # what the page showed
        raise
    finally:
        context.close()
        server.stop()
