"""Every participant page fits a phone: measured in a real browser at five widths.

One Voilà server and one page (one kernel) that goes from the join form into the workbook.
Each test puts one page on screen (the join form, the form with an unknown code, a block of
the built-in workbook, a block's group results), sets the window to one width and measures the
boxes with ``tests/phone_checks.js``: nothing past the screen's edge, no text outside its box
or cut off, no controls on top of each other, tap targets of at least 44x44 px, 16 px text in
text fields and a normal line height. The page is reused, so the file takes a few minutes.
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


class Phone:
    """One participant's page (one kernel), taken through the pages in the order of
    :data:`PAGES`: the join form, the form with an unknown code, then the workbook's blocks
    and their group results. Going back is not possible: the tests run in that order."""

    def __init__(self, page: object, url: str) -> None:
        self.page = page
        self.shown = ""
        page.goto(url)
        page.locator(".nw-join input").first.wait_for(timeout=180_000)
        self.shown = "join"

    def show(self, name: str) -> None:
        if name == self.shown:
            return
        page = self.page
        if name == "join-error":
            page.get_by_placeholder("bijv. K7PX3M").fill("XXXXXX")
            page.get_by_role("button", name="Meedoen").click()
            page.get_by_text("We kennen geen sessie met code 'XXXXXX'").wait_for()
            self.shown = name
            return
        if self.shown.startswith("join"):
            page.get_by_placeholder("bijv. K7PX3M").fill("DEMO")
            page.get_by_placeholder("leeg laten = anoniem").fill(
                "Deelnemer met een heel lange naam op een kleine telefoon"
            )
            page.get_by_role("button", name="Meedoen").click()
            page.locator(".nw-app h1").wait_for()
        block, _, group = name.partition("-")
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
def phone(voila, browser) -> Iterator[Phone]:
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    context.set_default_timeout(60_000)
    yield Phone(context.new_page(), voila.page_url("start.ipynb"))
    context.close()


@pytest.mark.parametrize(("name", "width"), [(name, width) for name in PAGES for width in WIDTHS])
def test_page_fits_the_phone(phone: Phone, name: str, width: int) -> None:
    phone.show(name)
    page = phone.page
    page.set_viewport_size({"width": width, "height": 740})
    page.wait_for_timeout(150)  # widgets re-measure themselves after a resize
    found = problems(page)
    assert found == [], f"{name} at {width} px:\n" + "\n".join(found[:40])


TRAINER_MODES = ("Overzicht", "Deelnemen (QR-code)", "Presenteren", "Modereren")


@pytest.fixture(scope="module")
def trainer_page(voila, browser) -> Iterator[object]:
    """The demo session's trainer screen, with its first results drawn."""
    from netwerk_widgets import Store

    with Store(voila.db_url) as store:
        key = store.session("DEMO").trainer_key
    context = browser.new_context(viewport={"width": 360, "height": 740}, has_touch=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    page.goto(voila.page_url("trainer.ipynb", f"?sessie=DEMO&sleutel={key}"))
    page.locator(".nw-trainer .nw-chart svg").first.wait_for(timeout=180_000)
    yield page
    context.close()


@pytest.mark.parametrize("mode", TRAINER_MODES)
@pytest.mark.parametrize("width", (320, 360, 768))
def test_the_trainer_screen_fits_a_phone_too(trainer_page: object, width: int, mode: str) -> None:
    """A trainer walks the room with a phone: every mode of the screen fits and is tappable."""
    page = trainer_page
    page.set_viewport_size({"width": width, "height": 740})
    page.locator(".nw-trainer-mode").get_by_role("button", name=mode, exact=True).click()
    page.wait_for_timeout(400)
    found = problems(page)
    assert found == [], f"trainer screen, {mode}, at {width} px:\n" + "\n".join(found[:40])
