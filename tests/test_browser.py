"""What participants do, in a real browser (Debian's chromium) against a real Voilà server."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest

from netwerk_widgets import Store
from netwerk_widgets.templates import load_template

pytestmark = pytest.mark.browser

TEXTS = {
    "uitdaging": "Nieuwe scholen <b>haken af</b>",
    "probleem": "Ze misten de start <script>window.hacked=1</script>",
    "oplossing": "Samen de doelen opnieuw bespreken",
}

BUILTIN_BLOCKS = [block.id for block in load_template("netwerkwerkboek").blocks]


def wait_saved(page: object) -> None:
    page.locator(".nw-save-status", has_text="Opgeslagen om").wait_for()


def test_participant_joins_fills_in_the_worksheet_and_sees_the_group(voila, page) -> None:
    page.goto(voila.page_url("start.ipynb", "?sessie=demo"))
    page.locator(".nw-join input").first.wait_for()
    page.get_by_placeholder("leeg laten = anoniem").fill("Browser Deelnemer")
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-app h1", has_text="Netwerkwerkboek").wait_for()
    page.locator(".nw-navigation select").select_option(
        label="Werkblad: uitdagingen in het netwerk"
    )
    page.locator(".nw-block h2", has_text="Werkblad").wait_for()
    first_row = page.locator(".nw-table-row").first
    assert "Een paar partners" in (
        first_row.locator("textarea").first.get_attribute("placeholder") or ""
    )
    for index, text in enumerate(TEXTS.values()):
        first_row.locator("textarea").nth(index).fill(text)
    wait_saved(page)
    page.locator(".nw-save-status", has_text="Opgeslagen om").wait_for()

    # What the store holds is what was typed, under this participant.
    with Store(voila.db_url) as store:
        me = next(p for p in store.participants("DEMO") if p.display_name == "Browser Deelnemer")
        deadline_rows = _wait_for_rows(store, me.id, len(TEXTS))
    assert {r["field"]: r["value"] for r in deadline_rows} == TEXTS

    # The group view: a rendered chart and the typed text shown as text.
    page.get_by_role("button", name="Toon groepsresultaten").click()
    page.locator(".nw-chart svg").first.wait_for()
    table = page.locator(".nw-group table.nw-table")
    table.wait_for()
    # Results of a moment before the save may show first; the live view follows within 5 s.
    page.wait_for_function(
        "text => [...document.querySelectorAll('.nw-group table.nw-table')]"
        ".some(t => t.innerText.includes(text))",
        arg=TEXTS["uitdaging"],
        timeout=15_000,
    )
    assert TEXTS["uitdaging"] in table.inner_text()
    assert table.locator("b").count() == 0 and table.locator("script").count() == 0
    assert page.evaluate("window.hacked") is None
    assert page.outside_requests == []

    # The personal link brings the participant back to the same answers.
    link = page.locator(".nw-personal-link a").get_attribute("href")
    assert link.startswith(voila.url) and "deelnemer=" in link
    page.goto(link + "&blok=werkblad")
    restored = page.locator(".nw-table-row").first.locator("textarea").first
    restored.wait_for()
    page.wait_for_function("el => el.value.length > 0", arg=restored.element_handle())
    assert restored.input_value() == TEXTS["uitdaging"]
    assert page.outside_requests == []


def test_a_page_asks_the_server_for_nine_files_not_ninety(voila, page) -> None:
    """Voilà's webpack chunks come in one script (netwerk_widgets/_voila.py)."""
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url.split("?", 1)[0]))
    page.goto(voila.page_url("start.ipynb", "?sessie=demo"))
    page.locator(".nw-join input").first.wait_for()
    page.wait_for_load_state("networkidle")
    files = [url for url in asked if "/voila/" in url and "/voila/render/" not in url]
    assert any(url.endswith("/voila/netwerk/page-files.js") for url in files)
    chunk = re.compile(r"/voila/(static|labextensions)/.+\.js$")
    alone = [
        url
        for url in files
        if chunk.search(url) and not url.endswith("/static/voila.js") and "/remoteEntry." not in url
    ]
    assert alone == [], "chunks outside page-files.js: run scripts/record-page-files.py"
    assert len(files) <= 10, files


def _wait_for_rows(store: Store, participant: str, count: int) -> list[dict]:
    deadline = time.monotonic() + 15
    while True:
        rows = [r for r in store.current("DEMO", participant) if r["question"] == "uitdagingen"]
        if len(rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


def test_unknown_session_code_gets_a_dutch_message(voila, page) -> None:
    page.goto(voila.page_url("start.ipynb"))
    page.locator(".nw-join input").first.wait_for()
    page.get_by_placeholder("bijv. K7PX3M").fill("XXXXXX")
    page.get_by_role("button", name="Meedoen").click()
    page.get_by_text("We kennen geen sessie met code 'XXXXXX'").wait_for()
    assert page.outside_requests == []


BLOCK_NOTEBOOKS = {
    "01_actoren.ipynb": "actoren",
    "02_identiteit.ipynb": "identiteit",
    "03_ambities.ipynb": "ambities",
    "04_fundament.ipynb": "fundament",
    "05_werkblad.ipynb": "werkblad",
}


@pytest.mark.parametrize("notebook", BLOCK_NOTEBOOKS)
def test_block_notebook_saves_an_answer_and_shows_the_group(voila, page, notebook: str) -> None:
    block = BLOCK_NOTEBOOKS[notebook]
    name = f"Deelnemer {block}"
    text = f"Antwoord in {block} <i>niet schuin</i>"
    page.goto(voila.page_url(notebook, "?sessie=DEMO"))
    page.get_by_placeholder("leeg laten = anoniem").fill(name)
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-block").wait_for()
    assert page.locator(".nw-navigation select option").count() == 1
    page.locator(".nw-block textarea").first.fill(text)
    wait_saved(page)
    with Store(voila.db_url) as store:
        me = next(p for p in store.participants("DEMO") if p.display_name == name)
        deadline = time.monotonic() + 15
        while not (rows := store.current("DEMO", me.id)) and time.monotonic() < deadline:
            time.sleep(0.2)
    assert [(r["block"], r["value"]) for r in rows] == [(block, text)]
    page.get_by_role("button", name="Toon groepsresultaten").click()
    page.locator(".nw-chart svg").first.wait_for()
    group = page.locator(".nw-group")
    assert group.locator("i", has_text="niet schuin").count() == 0
    assert page.outside_requests == []


def test_rating_all_ten_conditions_in_voila(voila, page) -> None:
    name = "Deelnemer voorwaarden"
    page.goto(voila.page_url("06_voorwaarden.ipynb", "?sessie=DEMO"))
    page.get_by_placeholder("leeg laten = anoniem").fill(name)
    page.get_by_role("button", name="Meedoen").click()
    questions = page.locator(".nw-block .nw-question")
    questions.first.wait_for()
    assert questions.count() == 10
    wanted = {}
    for index in range(10):
        score = "weet ik niet" if index == 4 else str(index % 5 + 1)
        questions.nth(index).get_by_role("button", name=score, exact=True).click()
        wanted[index] = score
    questions.nth(9).locator("textarea").fill("Macht blijft <u>onbesproken</u>")
    with Store(voila.db_url) as store:
        me = next(p for p in store.participants("DEMO") if p.display_name == name)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            rows = store.current("DEMO", me.id)
            if len(rows) == 11:
                break
            time.sleep(0.2)
    scores = {r["question"]: r["value"] for r in rows if r["field"] == "score"}
    assert len(scores) == 10
    assert scores["v01_ambitie"] == "1" and scores["v10_macht"] == "5"
    assert scores["v05_rollen"] == "weet_niet"
    assert [r["value"] for r in rows if r["field"] == "comment"] == [
        "Macht blijft <u>onbesproken</u>"
    ]
    page.get_by_role("button", name="Toon groepsresultaten").click()
    page.locator(".nw-chart svg").first.wait_for()
    assert page.locator(".nw-group u").count() == 0
    assert page.outside_requests == []


def _write_answer_in_another_process(db_url: str, session: str, name: str, text: str) -> None:
    script = (
        "import sys\n"
        "from netwerk_widgets import Store\n"
        "from netwerk_widgets.store import Answer\n"
        "url, code, name, text = sys.argv[1:]\n"
        "with Store(url) as store:\n"
        "    p = store.join(code, name)\n"
        "    store.append(p, [Answer('werkblad', 'uitdagingen', text, 'r1', 'uitdaging')])\n"
    )
    subprocess.run([sys.executable, "-c", script, db_url, session, name, text], check=True)


def test_live_screen_follows_answers_from_another_process(voila, page) -> None:
    with Store(voila.db_url) as store:
        session = store.create_session(
            "Live", template="netwerkwerkboek", template_version="1.1", code="LIVE1"
        )
    page.goto(voila.page_url("trainer.ipynb", f"?sessie=LIVE1&sleutel={session.trainer_key}"))
    joined = page.locator(".nw-trainer .nw-joined")
    joined.wait_for()
    assert joined.inner_text() == "0"
    page.locator(".nw-trainer-block select").select_option(
        label="Werkblad: uitdagingen in het netwerk"
    )
    page.locator(".nw-trainer-results", has_text="Nog geen antwoorden").wait_for()
    _write_answer_in_another_process(voila.db_url, "LIVE1", "Anna", "Te weinig <b>tijd</b>")
    started = time.monotonic()
    page.locator(".nw-trainer .nw-joined", has_text="1").wait_for(timeout=15_000)
    page.locator(".nw-trainer-results .nw-chart svg").wait_for(timeout=15_000)
    assert time.monotonic() - started < 12  # refresh interval 4 s, plus drawing
    chart = page.locator(".nw-trainer-results .nw-chart").inner_html()
    _write_answer_in_another_process(voila.db_url, "LIVE1", "Bob", "Geen geld")
    page.locator(".nw-trainer .nw-joined", has_text="2").wait_for(timeout=15_000)
    page.wait_for_function(
        "old => document.querySelector('.nw-trainer-results .nw-chart').innerHTML !== old",
        arg=chart,
        timeout=15_000,
    )
    results = page.locator(".nw-trainer-results")
    assert "Te weinig <b>tijd</b>" in results.inner_text()
    assert results.locator("table b").count() == 0
    assert page.outside_requests == []


def test_participant_sees_group_results_only_after_the_reveal(voila, page, browser) -> None:
    with Store(voila.db_url) as store:
        session = store.create_session(
            "Onthullen", template="netwerkwerkboek", template_version="1.1", code="SHOW1"
        )
    page.goto(voila.page_url("05_werkblad.ipynb", "?sessie=SHOW1"))
    page.get_by_placeholder("leeg laten = anoniem").fill("Kijker")
    page.get_by_role("button", name="Meedoen").click()
    page.get_by_text("De trainer deelt de resultaten").wait_for()
    assert page.get_by_role("button", name="Toon groepsresultaten").is_hidden()
    page.locator(".nw-block textarea").first.fill("Mijn uitdaging")
    wait_saved(page)

    trainer = page.context.new_page()
    trainer.goto(voila.page_url("trainer.ipynb", f"?sessie=SHOW1&sleutel={session.trainer_key}"))
    trainer.locator(".nw-trainer").get_by_role("button", name="Delen met deelnemers").nth(4).click()
    trainer.get_by_role("button", name="Gedeeld met deelnemers").wait_for()
    with Store(voila.db_url) as store:
        assert store.revealed_blocks("SHOW1") == {"werkblad"}

    show = page.get_by_role("button", name="Toon groepsresultaten")
    show.wait_for(timeout=15_000)  # the participant's page checks every few seconds
    show.click()
    page.locator(".nw-group .nw-chart svg").wait_for()
    assert "Mijn uitdaging" in page.locator(".nw-group").inner_text()
    assert page.outside_requests == []


PAYLOAD = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script><b>vet</b>'


def _nothing_ran(page) -> None:
    assert page.evaluate("window.pwned") is None
    assert page.locator('img[src="x"]').count() == 0
    assert page.locator("b", has_text=re.compile(r"^vet$")).count() == 0  # not made bold


def test_typed_markup_is_shown_as_text_everywhere(voila, page, tmp_path) -> None:
    from netwerk_widgets.report import write_report

    with Store(voila.db_url) as store:
        session = store.create_session(
            "Veilig", template="netwerkwerkboek", template_version="1.1", code="XSS1"
        )
        for block in BUILTIN_BLOCKS:
            store.set_revealed("XSS1", block, True)
    page.goto(voila.page_url("start.ipynb", "?sessie=XSS1"))
    page.get_by_placeholder("leeg laten = anoniem").fill(PAYLOAD)
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-block").wait_for()
    filled = 0
    typed_in: list[bool] = []
    titles = page.locator(".nw-navigation select option").all_inner_texts()
    for title in titles:
        page.locator(".nw-navigation select").select_option(label=title)
        page.locator(".nw-block h2", has_text=title).wait_for()
        areas = page.locator(".nw-block textarea")
        typed_in.append(areas.count() > 0)
        for index in range(areas.count()):
            areas.nth(index).fill(f"{PAYLOAD} {title} {index}")
            filled += 1
        wait_saved(page)
        page.get_by_role("button", name="Toon groepsresultaten").click()
        # The results worker computes the block (the first time it also loads pandas and
        # Altair): allow for a slow machine. The first child is the results' style sheet.
        page.locator(".nw-group-output > *").nth(1).wait_for(timeout=120_000)
        _nothing_ran(page)
    assert filled >= 30
    with Store(voila.db_url) as store:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            stored = [r for r in store.current("XSS1") if PAYLOAD in (r["value"] or "")]
            if len(stored) == filled:
                break
            time.sleep(0.3)
    assert len(stored) == filled  # stored exactly as typed
    assert PAYLOAD in page.locator(".nw-app h1 + p").inner_text()  # the name, as text
    _nothing_ran(page)

    trainer = page.context.new_page()
    trainer.goto(voila.page_url("trainer.ipynb", f"?sessie=XSS1&sleutel={session.trainer_key}"))
    trainer.locator(".nw-trainer-results").wait_for()
    shown = []
    blocks = trainer.locator(".nw-trainer-block select option")
    for index, title in enumerate(titles):
        trainer.locator(".nw-trainer-block select").select_option(label=title)
        block_id = BUILTIN_BLOCKS[index]
        trainer.locator(f".nw-shows-{block_id} > *").nth(1).wait_for(timeout=120_000)
        _nothing_ran(trainer)
        shown.append(trainer.locator(".nw-trainer-results").inner_text())
    assert blocks.count() == len(titles)
    # Every block where text was typed shows it, as text (the scales only had comments).
    # The closing insights are a wall of what was typed, when they are typed in a text area.
    insights = typed_in[-1]
    assert [PAYLOAD[:20] in text for text in shown] == [True] * 5 + [False] * 2 + [insights]

    report = write_report(tmp_path / "verslag.html", "XSS1", store=Store(voila.db_url))
    viewer = page.context.new_page()
    viewer.goto(report.as_uri())
    viewer.wait_for_load_state()
    assert PAYLOAD[:20] in viewer.inner_text("body")
    _nothing_ran(viewer)
    assert page.outside_requests == []


def test_a_changed_template_runs_in_the_browser_without_changing_notebooks(
    voila, page, tmp_path, capsys
) -> None:
    from netwerk_widgets.cli import main

    copy = tmp_path / "mijn-werkboek.yaml"
    assert main(["template", "copy", str(copy)]) == 0
    text = copy.read_text(encoding="utf-8")
    extra = (
        "      - id: instrument\n"
        "        kind: text\n"
        "        text: {nl: Welk instrument zou je het netwerk geven?, en: Which instrument?}\n"
    )
    anchor = "  - id: voorwaarden\n"
    # The new question goes at the end of the worksheet block, which ends before voorwaarden.
    text = text.replace('version: "1.1"', 'version: "1.1-test"').replace(
        anchor, extra + "\n" + anchor
    )
    copy.write_text(text, encoding="utf-8")
    assert main(["template", "validate", str(copy)]) == 0
    assert (
        main(
            [
                "--db",
                voila.db_url,
                "session",
                "create",
                "Eigen sjabloon",
                "--template",
                str(copy),
                "--code",
                "EIGEN1",
            ]
        )
        == 0
    )
    capsys.readouterr()
    page.goto(voila.page_url("05_werkblad.ipynb", "?sessie=EIGEN1"))
    page.get_by_placeholder("leeg laten = anoniem").fill("Sjabloontester")
    page.get_by_role("button", name="Meedoen").click()
    question = page.locator(".nw-question", has_text="Welk instrument zou je het netwerk geven?")
    question.locator("textarea").fill("Een trommel")
    wait_saved(page)
    with Store(voila.db_url) as store:
        deadline = time.monotonic() + 15
        while not (rows := [r for r in store.current("EIGEN1") if r["question"] == "instrument"]):
            assert time.monotonic() < deadline
            time.sleep(0.2)
    assert [(r["value"], r["template_version"]) for r in rows] == [("Een trommel", "1.1-test")]
