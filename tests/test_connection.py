"""Losing work without knowing (issue 16, points 1, 3, 4 and 5; issue 14 point 5), in a real
browser against a real Voilà server: a killed kernel, two tabs, a huge paste, a triple click.

The model halves are in ``tests/test_reliability.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from netwerk_widgets import Store

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"
BEFORE = "Nieuwe partners missen de start"
AFTER = "Getypt nadat de kernel wegviel"
ORPHAN = "In een nieuwe regel, ook na het wegvallen"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, voila_server_class) -> Iterator:
    """A Voilà server of these tests alone (its kernels get killed)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('connection') / 'store.db'}"
    with Store(url) as store:
        store.create_session("Verbinding", template="netwerkwerkboek", code="C1")
    server = voila_server_class(url)
    yield server
    server.stop()


def context_page(browser: object, width: int = 420, height: int = 900) -> object:
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def join(server, page, name: str = "Deelnemer") -> None:
    page.goto(server.page_url("05_werkblad.ipynb", "?sessie=C1"))
    page.get_by_placeholder("leeg laten = anoniem").fill(name)
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-block textarea").first.wait_for()


def wait_saved(page) -> None:
    page.locator(".nw-save-status", has_text="Opgeslagen om").wait_for()


def stored(server, name: str) -> list[dict]:
    with Store(server.db_url) as store:
        me = [p.id for p in store.participants("C1") if p.display_name == name]
        return [r for r in store.current("C1") if r["participant"] in me and r["value"]]


def wait_stored(server, name: str, texts: set[str], timeout: float = 60) -> list[dict]:
    deadline = time.monotonic() + timeout
    while True:
        rows = stored(server, name)
        if texts <= {r["value"] for r in rows} or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def kill_kernel_of(server, page) -> None:
    kernel_id = page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")
    victims = [k for k in server.kernels() if kernel_id in " ".join(k.cmdline())]
    assert victims, "the page's kernel was not found"
    for kernel in victims:
        kernel.kill()


def drafts(page) -> dict[str, str]:
    return page.evaluate(
        """() => Object.fromEntries(Object.keys(localStorage)
            .filter(k => k.startsWith('netwerk:draft:'))
            .map(k => [k, JSON.parse(localStorage.getItem(k)).v]))"""
    )


# --- point 1: the kernel dies under an open page ------------------------------------------


def test_a_killed_kernel_is_said_at_once_and_what_was_typed_is_saved_via_the_link(
    server, browser
) -> None:
    page = context_page(browser, 360, 800)
    try:
        join(server, page, "Verbroken")
        rows = page.locator(".nw-table-row")
        rows.nth(0).locator("textarea").nth(0).fill(BEFORE)
        wait_saved(page)
        kill_kernel_of(server, page)
        started = time.monotonic()
        banner = page.locator(".nw-lost[role=alert]")
        banner.wait_for(timeout=20_000)
        assert time.monotonic() - started < 15
        assert "verbinding met de server is weg" in banner.inner_text()
        status = page.locator(".nw-save-status").inner_text()
        assert "Niet opgeslagen" in status and "Opgeslagen om" not in status
        # Typed after the kernel died: in a saved row and in a row that never was saved.
        rows.nth(0).locator("textarea").nth(1).fill(AFTER)
        rows.nth(1).locator("textarea").nth(0).fill(ORPHAN)
        assert set(drafts(page).values()) >= {AFTER, ORPHAN}
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "connection-lost-360.png"))
        assert {r["value"] for r in stored(server, "Verbroken")} == {BEFORE}

        page.get_by_role("button", name="Verder gaan via je persoonlijke link").click()
        page.locator(".nw-lost").wait_for(state="detached")
        page.locator(".nw-restored", has_text="teruggezet").wait_for()
        rows_back = wait_stored(server, "Verbroken", {BEFORE, AFTER, ORPHAN})
        assert {r["value"] for r in rows_back} == {BEFORE, AFTER, ORPHAN}
        by_field = {(r["item"], r["field"]): r["value"] for r in rows_back}
        first = next(item for (item, field), v in by_field.items() if v == BEFORE)
        assert by_field[(first, "probleem")] == AFTER
        assert next(item for (item, _), v in by_field.items() if v == ORPHAN) != first
        wait_saved(page)
        deadline = time.monotonic() + 20
        while drafts(page) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert drafts(page) == {}  # forgotten once saved
        page.set_viewport_size({"width": 1280, "height": 900})
    finally:
        page.context.close()


def test_a_restarted_server_is_said_at_once_and_the_link_saves_what_was_typed(
    tmp_path: Path, voila_server_class, browser
) -> None:
    url = f"sqlite:///{tmp_path / 'restart.db'}"
    with Store(url) as store:
        store.create_session("Herstart", template="netwerkwerkboek", code="C1")
    first = voila_server_class(url)
    page = context_page(browser)
    again = None
    try:
        join(first, page, "Herstart")
        area = page.locator(".nw-table-row").first.locator("textarea").first
        area.fill(BEFORE)
        wait_saved(page)
        first.kill()  # `netwerk serve` stopped (or crashed) under an open page
        page.locator(".nw-lost[role=alert]").wait_for(timeout=15_000)
        area.fill(BEFORE + " en meer")
        again = voila_server_class(url, port=first.port)  # started again
        page.get_by_role("button", name="Verder gaan via je persoonlijke link").click()
        rows = wait_stored(again, "Herstart", {BEFORE + " en meer"})
        assert [r["value"] for r in rows] == [BEFORE + " en meer"]
    finally:
        page.context.close()
        if again is not None:
            again.stop()
        if first.process.poll() is None:
            first.stop()


def test_the_lost_banner_fits_every_width(server, browser) -> None:
    """The banner at 360 px, 1280 px and 1920x1080: readable, its button tappable."""
    page = context_page(browser, 360, 800)
    try:
        join(server, page, "Breedte")
        kill_kernel_of(server, page)
        banner = page.locator(".nw-lost")
        banner.wait_for(timeout=20_000)
        for width, height in ((360, 800), (1280, 900), (1920, 1080)):
            page.set_viewport_size({"width": width, "height": height})
            box = banner.bounding_box()
            button = page.locator(".nw-carry-on").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
            assert button["height"] >= 44 and button["x"] + button["width"] <= width + 1
            page.screenshot(path=str(SCREENSHOTS / f"connection-lost-{width}.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    finally:
        page.context.close()


# --- point 3: two tabs on one personal link ----------------------------------------------


def test_two_tabs_keep_their_own_rows_and_see_each_others(server, browser) -> None:
    tab_a = context_page(browser)
    try:
        join(server, tab_a, "Twee tabs")
        link = tab_a.locator(".nw-personal-link a").get_attribute("href")
        tab_b = tab_a.context.new_page()
        tab_b.set_default_timeout(60_000)
        tab_b.goto(link)
        tab_b.locator(".nw-block textarea").first.wait_for()
        tab_a.locator(".nw-table-row").nth(1).locator("textarea").nth(0).fill("A: uitdaging")
        tab_a.locator(".nw-table-row").nth(1).locator("textarea").nth(1).fill("A: probleem")
        wait_saved(tab_a)
        tab_b.locator(".nw-table-row").nth(1).locator("textarea").nth(0).fill("B: uitdaging")
        wait_saved(tab_b)
        rows = wait_stored(server, "Twee tabs", {"A: uitdaging", "A: probleem", "B: uitdaging"})
        items = {r["item"] for r in rows if r["value"].startswith("A:")}
        assert len(items) == 1
        assert all(r["item"] not in items for r in rows if r["value"].startswith("B:"))
        # Tab A picks up B's row within seconds, and says why its page changed.
        tab_a.wait_for_function(
            "() => [...document.querySelectorAll('textarea')]"
            ".some(t => t.value === 'B: uitdaging')",
            timeout=20_000,
        )
        tab_a.get_by_text("ook in een ander venster").wait_for()
        values = tab_a.eval_on_selector_all("textarea", "all => all.map(t => t.value)")
        assert values.count("A: probleem") == 1 and values.count("A: uitdaging") == 1
    finally:
        tab_a.context.close()


def test_a_text_the_other_tab_is_still_saving_stays_out_of_this_tabs_rows(server, browser) -> None:
    """A draft of a live tab is not an orphan: the other tab must not take it over.

    Both tabs keep their drafts in one ``localStorage``. The first CI run of 2026-12-02
    showed tab A putting B's not-yet-saved text into one of A's own rows, over A's text.
    Here B's kernel never hears of B's text (its events are stopped before the widget), so
    the draft stays unsaved as long as B is open; once B is gone, A keeps it in a new row.
    """
    tab_a = context_page(browser)
    try:
        join(server, tab_a, "Levende tab")
        link = tab_a.locator(".nw-personal-link a").get_attribute("href")
        tab_b = tab_a.context.new_page()
        tab_b.set_default_timeout(60_000)
        tab_b.goto(link)
        tab_b.locator(".nw-block textarea").first.wait_for()
        tab_b.evaluate(  # after the page script's listeners: it keeps the draft, no more
            "() => ['input', 'change'].forEach(type =>"
            " document.addEventListener(type, e => e.stopPropagation(), true))"
        )
        unsaved = "B: nog niet bij de kernel"
        tab_b.locator(".nw-table-row").nth(1).locator("textarea").nth(0).fill(unsaved)
        assert unsaved in drafts(tab_b).values()
        # A types and saves (its page changes, so its script looks at the drafts again).
        tab_a.locator(".nw-table-row").nth(1).locator("textarea").nth(0).fill("A: eigen tekst")
        wait_saved(tab_a)
        tab_a.wait_for_timeout(3_000)
        values = tab_a.eval_on_selector_all("textarea", "all => all.map(t => t.value)")
        assert unsaved not in values and "A: eigen tekst" in values
        assert unsaved not in {r["value"] for r in stored(server, "Levende tab")}
        # B goes away without having saved it: now the text is A's to keep.
        tab_b.goto("about:blank")
        tab_b.close()
        tab_a.wait_for_function(
            f"() => [...document.querySelectorAll('textarea')].some(t => t.value === {unsaved!r})",
            timeout=20_000,
        )
        rows = wait_stored(server, "Levende tab", {unsaved, "A: eigen tekst"})
        assert {unsaved, "A: eigen tekst"} <= {r["value"] for r in rows}
    finally:
        tab_a.context.close()


# --- point 4: a huge paste is cut in the browser ----------------------------------------


def test_a_huge_paste_is_cut_at_the_limit_before_it_is_sent(server, browser) -> None:
    page = context_page(browser)
    try:
        join(server, page, "Plakker")
        area = page.locator(".nw-table-row").first.locator("textarea").first
        area.focus()  # the limit holds from the first focus, even right after the page drew
        limit = int(area.get_attribute("maxlength") or 0)
        assert 0 < limit < 10_000
        page.keyboard.insert_text("x" * 12_000_000)  # 12 MB, as in the report
        assert len(area.input_value()) == limit
        page.get_by_text(f"Maximaal {limit} tekens").first.wait_for()
        wait_saved(page)
        rows = wait_stored(server, "Plakker", {"x" * limit})
        assert [r["value"] for r in rows] == ["x" * limit]
        assert page.locator(".nw-lost").count() == 0  # the websocket stayed
    finally:
        page.context.close()


# --- point 5: a triple click on "Meedoen" ------------------------------------------------


def test_a_triple_click_on_join_makes_one_participant(server, browser) -> None:
    page = context_page(browser)
    try:
        page.goto(server.page_url("05_werkblad.ipynb", "?sessie=C1"))
        page.get_by_placeholder("leeg laten = anoniem").fill("Drie klikken")
        page.get_by_role("button", name="Meedoen").click(click_count=3)
        page.locator(".nw-block textarea").first.wait_for()
        time.sleep(2)  # any further click would have reached the kernel by now
        with Store(server.db_url) as store:
            names = [p.display_name for p in store.participants("C1")]
        assert names.count("Drie klikken") == 1
    finally:
        page.context.close()
