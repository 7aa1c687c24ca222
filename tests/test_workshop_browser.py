"""Running the workshop in a real browser: join screen, presentation, pacing, timer, hiding."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from netwerk_widgets import Store
from netwerk_widgets.store import Answer
from netwerk_widgets.workshop import AnswerKey, hidden_answers

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


def _session(voila, code: str) -> str:
    with Store(voila.db_url) as store:
        return store.create_session(
            "Workshop " + code, template="netwerkwerkboek", code=code
        ).trainer_key


def _trainer(browser, voila, code: str, key: str, width: int = 1920, height: int = 1080):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(voila.page_url("trainer.ipynb", f"?sessie={code}&sleutel={key}"))
    try:
        page.locator(".nw-trainer .nw-joined").wait_for(timeout=120_000)
    except Exception:
        _shot(page, f"trainer-{code}-failed")
        raise
    return page


def _shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_join_screen_qr_code_decodes_to_the_participant_link(voila, browser, tmp_path) -> None:
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is missing")
    key = _session(voila, "JOIN1")
    trainer = _trainer(browser, voila, "JOIN1", key)
    trainer.get_by_role("button", name="Deelnemen (QR-code)").click()
    qr = trainer.locator(".nw-join-qr")
    qr.wait_for()
    trainer.locator(".nw-join-code", has_text="JOIN1").wait_for()
    image = tmp_path / "qr.png"
    qr.screenshot(path=str(image))
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == voila.page_url("start.ipynb", "?sessie=JOIN1")
    assert decoded in trainer.locator(".nw-join-link").inner_text()
    with Store(voila.db_url) as store:
        store.join("JOIN1", "Anna")
    trainer.locator(".nw-joined-big", has_text="1").wait_for(timeout=15_000)
    size = trainer.locator(".nw-join-code").evaluate("e => getComputedStyle(e).fontSize")
    assert float(size.removesuffix("px")) >= 96
    _shot(trainer, "join-1920")
    trainer.set_viewport_size({"width": 360, "height": 800})
    _shot(trainer, "join-360")
    trainer.get_by_role("button", name="Overzicht").click()
    trainer.locator(".nw-flow-send").wait_for()
    _shot(trainer, "overview-360")
    trainer.set_viewport_size({"width": 1280, "height": 800})
    trainer.get_by_role("button", name="Modereren").click()
    trainer.locator(".nw-moderation").wait_for()
    _shot(trainer, "moderate-1280")
    trainer.context.close()


def test_presentation_mode_steps_with_the_keyboard(voila, browser) -> None:
    trainer = _trainer(browser, voila, "DEMO", "demo-trainer")
    trainer.get_by_role("button", name="Presenteren").click()
    title = trainer.locator(".nw-present-title h1")
    title.wait_for()
    assert title.inner_text().startswith("Actoren")
    trainer.locator(".nw-trainer-results .nw-chart svg").first.wait_for()
    trainer.keyboard.press("ArrowRight")
    trainer.locator(".nw-present-title h1", has_text="Identiteit").wait_for(timeout=15_000)
    trainer.locator(".nw-present-position", has_text="2 van 8").wait_for()
    trainer.locator(".nw-trainer-results.nw-shows-identiteit").wait_for(timeout=15_000)
    trainer.keyboard.press("PageDown")  # a presenter clicker
    trainer.locator(".nw-present-title h1", has_text="Ambities").wait_for(timeout=15_000)
    trainer.keyboard.press("ArrowLeft")
    trainer.locator(".nw-present-title h1", has_text="Identiteit").wait_for(timeout=15_000)
    # Readable from the back: every visible text of the results at least 24 px.
    small = trainer.evaluate(
        """() => [...document.querySelectorAll(
            '.nw-presenting .nw-results td, .nw-presenting .nw-results th,'
            + ' .nw-presenting .nw-results p, .nw-presenting .nw-results h4,'
            + ' .nw-present-title h1, .nw-presenting button')]
            .filter(e => e.offsetParent !== null && e.innerText.trim() !== '')
            .map(e => parseFloat(getComputedStyle(e).fontSize))
            .filter(size => size < 24)"""
    )
    assert small == []
    # The reveal of the block on screen can be toggled here (and back: the demo shares all).
    shared = trainer.locator(".nw-present-reveal")
    assert "Gedeeld met deelnemers" in shared.inner_text()
    shared.click()
    trainer.locator(".nw-present-reveal", has_text="Delen met deelnemers").wait_for()
    with Store(voila.db_url) as store:
        assert "identiteit" not in store.revealed_blocks("DEMO")
    shared.click()
    trainer.locator(".nw-present-reveal", has_text="Gedeeld met deelnemers").wait_for()
    with Store(voila.db_url) as store:
        assert "identiteit" in store.revealed_blocks("DEMO")
    _shot(trainer, "present-identiteit-1920")
    trainer.keyboard.press("ArrowRight")
    trainer.locator(".nw-present-title h1", has_text="Ambities").wait_for(timeout=15_000)
    trainer.locator(".nw-trainer-results .nw-chart svg").first.wait_for(timeout=30_000)
    _shot(trainer, "present-ambities-1920")
    trainer.context.close()


def test_everyone_to_a_block_timer_and_hiding_reach_a_participant(voila, page, browser) -> None:
    key = _session(voila, "PACE1")
    page.goto(voila.page_url("start.ipynb", "?sessie=PACE1"))
    page.get_by_placeholder("leeg laten = anoniem").fill("Volger")
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-app h1", has_text="Netwerkwerkboek").wait_for()
    with Store(voila.db_url) as store:
        other = store.join("PACE1", "Bob")
        store.append(
            other, [Answer("identiteit", "waarom", "Een zin die de trainer verbergt", field="text")]
        )
        store.set_revealed("PACE1", "identiteit", True)

    trainer = _trainer(browser, voila, "PACE1", key)
    trainer.locator(".nw-flow-target select").select_option(label="Identiteit: wat verbindt ons?")
    trainer.locator(".nw-flow-send").click()
    started = time.monotonic()
    page.locator(".nw-pace-notice", has_text="Identiteit").wait_for(timeout=10_000)
    assert time.monotonic() - started < 5
    selected = page.locator(".nw-navigation select").evaluate(
        "s => s.options[s.selectedIndex].text"
    )
    assert selected.startswith("Identiteit")

    trainer.locator(".nw-timer-start").click()
    started = time.monotonic()
    page.locator(".nw-follow .nw-timer-clock").wait_for(timeout=10_000)
    assert time.monotonic() - started < 5
    assert "Vertel je buur" in page.locator(".nw-follow .nw-timer-topic").inner_text()
    page.set_viewport_size({"width": 360, "height": 800})
    _shot(page, "participant-timer-360")

    page.get_by_role("button", name="Toon groepsresultaten").click()
    group = page.locator(".nw-group")
    group.get_by_text("Een zin die de trainer verbergt").wait_for(timeout=30_000)
    trainer.get_by_role("button", name="Modereren").click()
    trainer.locator(".nw-moderate-block select").select_option(
        label="Identiteit: wat verbindt ons?"
    )
    row = trainer.locator(".nw-answer-row", has_text="Een zin die de trainer verbergt")
    row.locator(".nw-hide-answer").click()
    trainer.locator(".nw-answer-row .nw-show-answer").wait_for()
    page.wait_for_function(
        "() => !document.querySelector('.nw-group').innerText.includes('trainer verbergt')",
        timeout=30_000,
    )
    with Store(voila.db_url) as store:
        assert AnswerKey(other.id, "identiteit", "waarom") in hidden_answers(store, "PACE1")
        kept = [r for r in store.current("PACE1") if r["participant"] == other.id]
        assert kept[0]["value"] == "Een zin die de trainer verbergt"  # still in the store
    trainer.context.close()
    assert page.outside_requests == []


def test_report_first_page_names_the_weakest_condition(demo_store, tmp_path) -> None:
    from netwerk_widgets.report import find_chromium, write_report

    if find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("Chromium or pdftotext (Debian package poppler-utils) is missing")
    target = write_report(tmp_path / "verslag.pdf", "DEMO", store=demo_store)
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(target), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Samenvatting" in first and "Zwakste voorwaarden" in first
    assert "9 Evaluatie en reflectie" in first
    assert "Inzichtenmuur" in first


def test_two_spellings_of_an_actor_become_one_node_after_a_merge(voila, browser) -> None:
    key = _session(voila, "MERGE1")
    with Store(voila.db_url) as store:
        for name, actor in (("Anna", "Muziekschool De Linge"), ("Bob", "Muzikschool de Linge")):
            who = store.join("MERGE1", name)
            store.append(
                who,
                [
                    Answer("actoren", "register", actor, "r1", "naam"),
                    Answer("actoren", "register", "OBS De Kastanje", "r2", "naam"),
                    Answer("actoren", "relaties", actor, "r1", "van"),
                    Answer("actoren", "relaties", "OBS De Kastanje", "r1", "met"),
                ],
            )
    trainer = _trainer(browser, voila, "MERGE1", key, 1280, 900)
    results = trainer.locator(".nw-trainer-results")
    results.get_by_text("Muzikschool de Linge").first.wait_for(timeout=30_000)
    trainer.get_by_role("button", name="Modereren").click()
    suggestion = trainer.locator(".nw-merge-suggestion", has_text="Muzikschool de Linge")
    suggestion.wait_for()
    suggestion.click()
    trainer.locator(".nw-merge-undo").wait_for()
    trainer.get_by_role("button", name="Overzicht").click()
    trainer.wait_for_function(
        "() => { const e = document.querySelector('.nw-trainer-results');"
        " return e !== null && e.innerText.includes('Muziekschool De Linge')"
        " && !e.innerText.includes('Muzikschool de Linge'); }",
        timeout=30_000,
    )
    assert "Muziekschool De Linge" in results.inner_text()
    with Store(voila.db_url) as store:  # both spellings are still in the store
        typed = {r["value"] for r in store.current("MERGE1") if r["field"] == "naam"}
    assert {"Muziekschool De Linge", "Muzikschool de Linge"} <= typed
    trainer.context.close()
