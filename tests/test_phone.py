"""Every participant page fits a phone: measured in a real browser at five widths.

One Voilà server and two pages (the join form, and a participant who joined); each test puts
one page of the workbook on screen (the join form, a block of the built-in workbook, a block's
group results), sets the window to one width and measures the boxes with
``tests/phone_checks.js``: nothing past the screen's edge, no text outside its box or cut off,
no controls on top of each other, tap targets of at least 44x44 px, 16 px text in text fields
and a normal line height. The pages are reused, so the whole file takes a minute or two.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from netwerk_widgets.templates import load_template

pytestmark = pytest.mark.browser

WIDTHS = (320, 360, 390, 414, 768)
CHECKS = (Path(__file__).parent / "phone_checks.js").read_text("utf-8")
TEMPLATE = load_template()
BLOCKS = [block.id for block in TEMPLATE.blocks]
PAGES = ["join", "join-error", *BLOCKS, *(f"{block}-group" for block in BLOCKS)]


def problems(page: object, root: str | None = None) -> list[str]:
    """What ``phone_checks.js`` finds wrong on the page as it is on screen."""
    return page.evaluate(f"({CHECKS})({root!r})" if root else f"({CHECKS})(null)")


class Workbook:
    """A participant's page, moved from block to block as the tests ask (one kernel)."""

    def __init__(self, page: object) -> None:
        self.page = page
        self.shown = ""

    def show(self, name: str) -> None:
        if name == self.shown:
            return
        block, _, group = name.partition("-")
        page = self.page
        title = TEMPLATE.t(TEMPLATE.block(block).title)
        select = page.locator(".nw-navigation select")
        if select.evaluate("el => el.options[el.selectedIndex].text") != title:
            select.select_option(label=title)
        page.locator(".nw-block h2", has_text=title).wait_for()
        if group:
            page.get_by_role("button", name="Toon groepsresultaten").click()
            page.locator(f".nw-results.nw-shows-{block}").wait_for(timeout=120_000)
            page.locator(f".nw-results.nw-shows-{block} .widget-html").last.wait_for()
            page.wait_for_timeout(300)  # the style sheet of the results applies
        self.shown = name


@pytest.fixture(scope="module")
def phone_context(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def join_page(voila, phone_context) -> object:
    page = phone_context.new_page()
    page.goto(voila.page_url("start.ipynb", "?sessie=DEMO"))
    page.locator(".nw-join input").first.wait_for()
    return page


@pytest.fixture(scope="module")
def error_page(voila, phone_context) -> object:
    page = phone_context.new_page()
    page.goto(voila.page_url("start.ipynb"))
    page.locator(".nw-join input").first.wait_for()
    page.get_by_placeholder("bijv. K7PX3M").fill("XXXXXX")
    page.get_by_role("button", name="Meedoen").click()
    page.get_by_text("We kennen geen sessie met code 'XXXXXX'").wait_for()
    return page


@pytest.fixture(scope="module")
def workbook(voila, phone_context) -> Workbook:
    page = phone_context.new_page()
    page.goto(voila.page_url("start.ipynb", "?sessie=DEMO"))
    page.get_by_placeholder("leeg laten = anoniem").fill(
        "Deelnemer met een heel lange naam op een kleine telefoon"
    )
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-app h1").wait_for()
    return Workbook(page)


@pytest.mark.parametrize(("name", "width"), [(name, width) for name in PAGES for width in WIDTHS])
def test_page_fits_the_phone(request, name: str, width: int) -> None:
    if name == "join":
        page = request.getfixturevalue("join_page")
    elif name == "join-error":
        page = request.getfixturevalue("error_page")
    else:
        wb = request.getfixturevalue("workbook")
        page = wb.page
        wb.show(name)
    page.set_viewport_size({"width": width, "height": 740})
    page.wait_for_timeout(150)  # widgets re-measure themselves after a resize
    found = problems(page)
    assert found == [], f"{name} at {width} px:\n" + "\n".join(found[:40])
