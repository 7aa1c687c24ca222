"""Accessibility in a real browser: axe-core on every participant page and the trainer screen,
and one block completed with the keyboard alone (issue 14, point 3).

axe-core comes from npm (``package.json``, installed by ``make setup`` into
``node_modules/``) and is injected into each page by the test from that local file: the pages
themselves never load it, and nothing comes from a CDN. A page passes with no violation of
impact "serious" or "critical" (WCAG 2.x A/AA rules and axe's best practices).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import missing
from netwerk_widgets import Store
from netwerk_widgets.templates import load_template

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
TEMPLATE = load_template()
BLOCKS = [block.id for block in TEMPLATE.blocks]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} -- ` +
      v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " " +
        (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 160)).join(" | "));
}"""


def violations(page: object) -> list[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    if not AXE.exists():
        missing("axe-core (run `make setup`: npm ci installs it into node_modules/)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text("utf-8"))
    return page.evaluate(RUN_AXE)


@pytest.fixture(scope="module")
def a11y_context(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def participant(voila, a11y_context) -> object:
    page = a11y_context.new_page()
    page.goto(voila.page_url("start.ipynb", "?sessie=DEMO"))
    page.get_by_placeholder("leeg laten = anoniem").fill("Toegankelijk")
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-app h1").wait_for()
    return page


def show(page: object, block: str, group: bool = False) -> None:
    title = TEMPLATE.t(TEMPLATE.block(block).title)
    page.locator(".nw-navigation select").select_option(label=title)
    page.locator(".nw-block h2", has_text=title).wait_for()
    if group:
        page.get_by_role("button", name="Toon groepsresultaten").click()
        page.locator(f".nw-results.nw-shows-{block}").wait_for(timeout=120_000)
    page.wait_for_timeout(300)  # the page's script names the new controls


def test_join_form_and_front_page_have_no_serious_violations(voila, a11y_context) -> None:
    page = a11y_context.new_page()
    page.goto(voila.page_url("start.ipynb", "?sessie=DEMO"))
    page.locator(".nw-join input").first.wait_for()
    page.wait_for_timeout(300)
    assert violations(page) == []
    page.goto(voila.url + "/")
    assert violations(page) == []
    page.goto(voila.page_url("analyse.ipynb"))
    assert violations(page) == []
    page.close()


@pytest.mark.parametrize("block", BLOCKS)
def test_block_has_no_serious_violations(participant, block: str) -> None:
    show(participant, block)
    assert violations(participant) == []


@pytest.mark.parametrize("block", BLOCKS)
def test_group_results_have_no_serious_violations(participant, block: str) -> None:
    show(participant, block, group=True)
    assert violations(participant) == []


def test_trainer_screen_has_no_serious_violations(voila, a11y_context) -> None:
    with Store(voila.db_url) as store:
        key = store.session("DEMO").trainer_key
    page = a11y_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(voila.page_url("trainer.ipynb", f"?sessie=DEMO&sleutel={key}"))
    page.locator(".nw-trainer").first.wait_for()
    page.locator(".nw-trainer .nw-chart svg").first.wait_for(timeout=120_000)
    page.wait_for_timeout(500)
    assert violations(page) == []
    page.close()


# --- the keyboard alone ---------------------------------------------------------------


def tab_to(page: object, test: str, limit: int = 250) -> None:
    """Press Tab until the focused element passes ``test`` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {test}")


def test_a_block_completed_with_the_keyboard_alone(voila, a11y_context) -> None:
    """Join and fill in the identity block with Tab, typing, Space, Enter and arrows only."""
    block = TEMPLATE.block("identiteit")
    name = "Alleen toetsenbord"
    page = a11y_context.new_page()
    page.goto(voila.page_url("start.ipynb", "?sessie=DEMO"))
    page.locator(".nw-join input").first.wait_for()
    tab_to(page, "el => el.placeholder === 'leeg laten = anoniem'")
    page.keyboard.type(name)
    # Let the name reach the kernel before the button does: on a busy server ipywidgets holds
    # back value updates until the kernel is idle, and a click would overtake them.
    page.wait_for_timeout(1000)
    tab_to(page, "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Meedoen'")
    page.keyboard.press("Enter")
    page.locator(".nw-app h1").wait_for()
    # Focus is visible where it lands.
    tab_to(page, "el => el.matches('.nw-navigation select')")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("ArrowDown")  # the next block: Identiteit
    page.locator(".nw-block h2", has_text=TEMPLATE.t(block.title)).wait_for()
    page.wait_for_timeout(300)
    tab_to(page, "el => el.tagName === 'TEXTAREA' && el.closest('.nw-block')")
    page.keyboard.type("Samen sterker voor elk kind")
    tab_to(page, "el => el.tagName === 'TEXTAREA' && el.closest('.nw-block') && !el.value")
    page.keyboard.type("Openheid")
    tab_to(page, "el => el.type === 'radio'")
    page.keyboard.press("Space")  # the first option
    page.keyboard.press("ArrowDown")  # moves on to the second, and chooses it
    tab_to(page, "el => el.type === 'checkbox'")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    page.locator(".nw-save-status[role=status]", has_text="Opgeslagen om").wait_for()

    with Store(voila.db_url) as store:
        me = next(p for p in store.participants("DEMO") if p.display_name == name)
        wanted = {"waarom", "waarden", "naam_tonen", "soort"}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            rows = store.current("DEMO", me.id)
            if {r["question"] for r in rows} >= wanted and sum(
                r["question"] == "soort" for r in rows
            ) >= 2:
                break
            time.sleep(0.3)
    values = {(r["question"], r["item"]): r["value"] for r in rows}
    assert values[("waarom", "")] == "Samen sterker voor elk kind"
    assert values[("waarden", "")] == "Openheid"
    assert values[("naam_tonen", "")] == block.question("naam_tonen").options[1].id
    options = [o.id for o in block.question("soort").options]
    assert values[("soort", options[0])] == "1" and values[("soort", options[1])] == "1"
    page.close()
