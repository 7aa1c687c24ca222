"""Revealed group results in a real browser, from a real Voilà server and its results worker.

One server for the whole module (its own SQLite store with the demo and a session on a
trainer's own template), started the way ``make run`` starts it, with a probe in every
Python process it starts (``tests/kernel_probe/sitecustomize.py``): on SIGUSR1 a kernel
writes the names of the modules it imported, so a test can see what a participant's kernel
loaded after showing group results.

Run only these: ``.venv/bin/pytest -q -p no:nbval tests/test_reveal.py``.

Notes
-----
On a loaded machine (other test runs on the same two cores), a page that is handed a
pooled kernel which is still starting sometimes shows "Error displaying widget: model not
found": the browser's widget manager waits 4 s for the kernel's widget states and then
gives up. The tests wait for a quiet server (:func:`settle`) before they open pages, so
that they test the group results rather than that race.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from conftest import TRAINER_TEMPLATE, fill_trainer_session
from netwerk_widgets import Store
from netwerk_widgets.demo import load_demo
from netwerk_widgets.messages import messages
from netwerk_widgets.store import Answer, Participant
from netwerk_widgets.templates import load_template

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
PROBE = HERE / "kernel_probe"
HEAVY = ("pandas", "altair", "networkx", "numpy", "vl_convert")
BUILTIN = load_template("netwerkwerkboek")
OWN = "OWN"  # the session on the trainer's template
BROKEN = "BRK"  # a session whose answers the trainer's template cannot draw
BROKEN_NL = "BRKNL"  # the same with the built-in (Dutch) workbook
LOCAL = ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "file:")


@dataclass
class Served:
    """The module's Voilà server, its store and where its kernels write their probes."""

    server: Any
    url: str
    probes: Path
    own_key: str
    own_people: list[Participant]
    broken: Participant
    broken_nl: Participant

    def page_url(self, query: str) -> str:
        return self.server.page_url("start.ipynb", query)

    def store(self) -> Store:
        return Store(self.url)


def fill_own_session(store: Store) -> tuple[str, list[Participant]]:
    """The trainer's template with answers at the top of every scale, every block shared."""
    session, people = fill_trainer_session(store, OWN)
    for block in load_template(TRAINER_TEMPLATE).blocks:
        store.set_revealed(OWN, block.id, True)
    return session.trainer_key, people


def broken_sessions(store: Store) -> tuple[Participant, Participant]:
    """Sessions with a score outside the template's scale: the scan view cannot draw it.

    That happens when a trainer narrows a scale (1-10 to 1-7) after the first answers came
    in: the answers stay as they were given.
    """
    store.create_session(
        "Broken", template=str(TRAINER_TEMPLATE), template_version="3", code=BROKEN
    )
    english = store.join(BROKEN, "Outlier")
    store.append(
        english,
        [
            Answer("health_check", "c_goal", "9", field="score", value_num=9.0),
            Answer("mood", "recommend", "3", field="score", value_num=3.0),
        ],
    )
    store.create_session(
        "Kapot", template="netwerkwerkboek", template_version="1.1", code=BROKEN_NL
    )
    dutch = store.join(BROKEN_NL, "Uitschieter")
    store.append(
        dutch,
        [
            Answer("voorwaarden", "v01_ambitie", "9", field="score", value_num=9.0),
            Answer("werkblad", "uitdagingen", "Te weinig tijd", "r1", "uitdaging"),
        ],
    )
    for code, template in ((BROKEN, load_template(TRAINER_TEMPLATE)), (BROKEN_NL, BUILTIN)):
        for block in template.blocks:
            store.set_revealed(code, block.id, True)
    return english, dutch


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, voila_server_class: Any) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp("reveal")
    url = f"sqlite:///{folder / 'store.db'}"
    with Store(url) as store:
        load_demo(store)
        for block in BUILTIN.blocks:
            store.set_revealed("DEMO", block.id, True)
        key, people = fill_own_session(store)
        broken, broken_nl = broken_sessions(store)
    probes = folder / "probes"
    probes.mkdir()
    path = os.pathsep.join(filter(None, [str(PROBE), os.environ.get("PYTHONPATH", "")]))
    server = voila_server_class(url, env={"PYTHONPATH": path, "NETWERK_PROBE_DIR": str(probes)})
    try:
        # The worker imports pandas and Altair and draws a first chart before it computes
        # anything: wait for that, so the tests' times are those of a server in use.
        log = Path(server.log.name)
        deadline = time.monotonic() + 120
        while "] ready in " not in log.read_text(encoding="utf-8", errors="replace"):
            assert time.monotonic() < deadline, f"the results worker never got ready; see {log}"
            time.sleep(0.2)
        settle(server)
        yield Served(server, url, probes, key, people, broken, broken_nl)
    finally:
        server.stop()


POOLED = 5
"""Kernels a test server keeps ready: 3 for start.ipynb (NETWERK_POOL_SIZE) and 2 for the
trainer screen (share/config/voila.json)."""


def settle(server: Any, timeout: float = 120) -> None:
    """Wait until the server's kernel pools are full and quiet (or ``timeout`` passed).

    A page that gets a pooled kernel still starting shares the CPU with it; on a loaded
    machine its widgets can then take longer than the browser's widget manager waits (4 s)
    and the page shows "model not found" (see the module's notes). Tests that open pages
    start from a quiet server.
    """
    processes = [psutil.Process(server.process.pid)]

    def cpu() -> float:
        total = 0.0
        for process in processes + server.kernels():
            try:
                times = process.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    deadline = time.monotonic() + timeout
    before = cpu()
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = cpu()
        if len(server.kernels()) >= POOLED and now - before < 0.15:
            return
        before = now


@pytest.fixture
def pages(browser: Any) -> Iterator[Any]:
    """Makes pages, each in a context of its own (its own cookies, as another phone)."""
    contexts: list[Any] = []

    def new_page(width: int = 420, height: int = 900) -> Any:
        context = browser.new_context(viewport={"width": width, "height": height})
        outside: list[str] = []

        def guard(route: Any) -> None:
            if route.request.url.startswith(LOCAL):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        contexts.append(context)
        page = context.new_page()
        page.outside_requests = outside
        page.set_default_timeout(60_000)
        return page

    yield new_page
    for context in contexts:
        context.close()


# --- helpers -----------------------------------------------------------------------------


def personal_query(code: str, token: str, block: str) -> str:
    return f"?sessie={code}&deelnemer={token}&blok={block}"


def group_output(page: Any, block: str) -> Any:
    """The participant's group results once they show ``block`` (more than the style)."""
    output = page.locator(f".nw-group-output.nw-shows-{block}")
    output.locator("> :nth-child(2)").wait_for()
    return output


def svg_texts(scope: Any) -> list[str]:
    """The text of every ``<text>`` element of the SVGs in ``scope`` (tspans joined)."""
    return [" ".join(t.split()) for t in scope.locator("svg text").all_text_contents()]


def show_block(page: Any, template: Any, block: str) -> None:
    """Pick ``block`` in the page's own block dropdown."""
    title = template.t(template.block(block).title)
    page.locator(".nw-navigation select").select_option(label=title)
    page.locator(".nw-block h2", has_text=title).wait_for()


def computations(served: Served, session: str, block: str, language: str) -> int:
    """How often the worker computed a key: its log line per computation."""
    log = Path(served.server.log.name).read_text(encoding="utf-8", errors="replace")
    return len(re.findall(rf"\] {session}/{block} \({language}\) for state ", log))


def cache_rows(served: Served, session: str, block: str) -> list[tuple]:
    with served.store() as store:
        return store._read(
            "SELECT language, worker FROM results_cache WHERE session = :s AND block = :b",
            {"s": session, "b": block},
        )


def worker_process(served: Served) -> psutil.Process:
    (worker,) = [
        child
        for child in psutil.Process(served.server.process.pid).children(recursive=True)
        if "netwerk_widgets.worker" in " ".join(child.cmdline())
    ]
    return worker


def probe(served: Served, processes: list[psutil.Process], timeout: float = 20) -> dict[int, dict]:
    """Signal ``processes``; what each says it has imported, by pid."""
    for old in served.probes.glob("*.json"):
        old.unlink()
    asked = []
    for process in processes:
        try:
            # A process younger than this may not have installed the probe yet (and SIGUSR1
            # would end it); a kernel that young has not served a page either.
            if time.time() - process.create_time() > 3:
                process.send_signal(signal.SIGUSR1)
                asked.append(process.pid)
        except psutil.NoSuchProcess:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = {int(p.stem): p for p in served.probes.glob("*.json")}
        if set(asked) <= set(found):
            break
        time.sleep(0.2)
    missing = [pid for pid in asked if not (served.probes / f"{pid}.json").exists()]
    assert not missing, f"kernels {missing} did not answer the probe"
    return {pid: json.loads((served.probes / f"{pid}.json").read_text()) for pid in asked}


def heavy_modules(modules: list[str], sqlite: bool) -> list[str]:
    heavy = HEAVY + (("sqlalchemy",) if sqlite else ())
    return [m for m in modules if m.split(".")[0] in heavy]


# --- 1: light kernels, one computation -----------------------------------------------------


def test_many_participants_one_computation_and_no_heavy_imports(served: Served, pages) -> None:
    settle(served.server)
    block = "voorwaarden"
    people = ("demo-anouk", "demo-bram", "demo-chantal")
    assert cache_rows(served, "DEMO", block) == []
    opened = [pages() for _ in people]
    for page, token in zip(opened, people, strict=True):  # all three load at once
        page.goto(served.page_url(personal_query("DEMO", token, block)), wait_until="commit")
    buttons = [page.get_by_role("button", name="Toon groepsresultaten") for page in opened]
    for button in buttons:
        button.wait_for()
    for button in buttons:  # pressed one right after the other, nobody waits
        button.click(no_wait_after=True)
    for page in opened:
        output = group_output(page, block)
        output.locator(".nw-chart svg").first.wait_for()
        assert "Eens of oneens?" in output.inner_text()

    # One computation for the three of them, by the worker (not by a page's kernel).
    assert computations(served, "DEMO", block, "nl") == 1
    rows = cache_rows(served, "DEMO", block)
    assert len(rows) == 1 and rows[0][0] == "nl"
    assert rows[0][1] and not rows[0][1].startswith("in-process")

    # One participant looks at every block of the workbook: each has a chart in the demo.
    first = opened[0]
    nl = messages("nl")
    failed = (nl("worker.failed"), nl("worker.unavailable"), "kan voor dit werkboek niet")
    for other in BUILTIN.blocks:
        show_block(first, BUILTIN, other.id)
        first.get_by_role("button", name="Toon groepsresultaten").click()
        output = group_output(first, other.id)
        output.locator(".nw-chart svg").first.wait_for()
        text = output.inner_text()
        assert not [f for f in failed if f in text], (other.id, text)
    for page in opened:
        assert page.outside_requests == []

    # What the participants' kernels imported: the probe works, and nothing heavy.
    worker = worker_process(served)
    reports = probe(served, [*served.server.kernels(), worker])
    sqlite = served.url.startswith("sqlite")
    assert "pandas" in heavy_modules(reports.pop(worker.pid)["modules"], sqlite)  # it can see
    participants = {
        pid: r
        for pid, r in reports.items()
        if "netwerk_widgets.app" in r["modules"] and "netwerk_widgets.trainer" not in r["modules"]
    }
    served_pages = {
        token: pid for pid, r in participants.items() for token in people if token in r["query"]
    }
    assert set(served_pages) == set(people), reports.keys()
    for pid in served_pages.values():
        modules = participants[pid]["modules"]
        assert "ipywidgets" in modules and "netwerk_widgets.app" in modules
        assert "netwerk_widgets.groupviews" in modules and "netwerk_widgets.render" in modules
    loaded = {pid: heavy_modules(r["modules"], sqlite) for pid, r in participants.items()}
    assert loaded == {pid: [] for pid in participants}


# --- 2: a trainer's own template ------------------------------------------------------------


def test_a_trainers_template_shows_the_top_of_every_scale(served: Served, pages, tmp_path) -> None:
    settle(served.server)
    template = load_template(TRAINER_TEMPLATE)
    en = messages("en")
    me = served.own_people[0]
    page = pages()
    page.goto(served.page_url(personal_query(OWN, me.token, "health_check")))
    page.get_by_role("button", name="Show group results").click()
    output = group_output(page, "health_check")
    output.locator(".nw-chart svg").first.wait_for()
    words = svg_texts(output)
    assert "7" in words  # the top of the 1-7 scale, in a legend or on an axis
    assert any("Shared goal" in w for w in words)
    assert en("results.conditions.agree") in output.inner_text()
    assert page.get_by_text(en("group.heading"), exact=True).count() == 1

    show_block(page, template, "mood")
    page.get_by_role("button", name="Show group results").click()
    mood = group_output(page, "mood")
    mood.locator(".nw-chart svg").first.wait_for()
    assert "10" in svg_texts(mood) and "0" in svg_texts(mood)
    assert "Remark 3" in mood.inner_text()

    show_block(page, template, "who")
    page.get_by_role("button", name="Show group results").click()
    who = group_output(page, "who")
    who.locator("table").first.wait_for()
    assert "Quality (1-7)" in who.inner_text()
    cells = who.locator("table td").all_text_contents()
    assert cells.count("7") == 5
    assert page.outside_requests == []

    # The trainer screen shows the same.
    trainer = pages(1366, 900)
    trainer.goto(served.server.page_url("trainer.ipynb", f"?sessie={OWN}&sleutel={served.own_key}"))
    trainer.locator(".nw-trainer-block select").select_option(label="Health check")
    results = trainer.locator(".nw-trainer-results.nw-shows-health_check")
    results.locator(".nw-chart svg").first.wait_for()
    words = svg_texts(results)
    assert "7" in words and any("Shared goal" in w for w in words)
    assert en("results.conditions.agree") in results.inner_text()
    trainer.locator(".nw-trainer-block select").select_option(label="Mood")
    mood = trainer.locator(".nw-trainer-results.nw-shows-mood")
    mood.locator(".nw-chart svg").first.wait_for()
    assert "10" in svg_texts(mood)
    assert trainer.outside_requests == []

    # And the report.
    from netwerk_widgets.report import write_report

    with served.store() as store:
        report = write_report(tmp_path / "report.html", OWN, store=store)
    viewer = pages(1366, 900)
    viewer.goto(report.as_uri())
    words = svg_texts(viewer.locator("body"))
    assert "7" in words and "10" in words
    assert any("Shared goal" in w for w in words)
    body = viewer.inner_text("body")
    for heading in ("Health check", "Mood", en("results.conditions.agree")):
        assert heading in body
    assert viewer.outside_requests == []


# --- 3: still live ----------------------------------------------------------------------------


def test_new_answers_show_on_open_screens_within_five_seconds(served: Served, pages) -> None:
    settle(served.server)
    me = served.own_people[1]
    page = pages()
    page.goto(served.page_url(personal_query(OWN, me.token, "health_check")))
    page.get_by_role("button", name="Show group results").click()
    output = group_output(page, "health_check")
    output.locator(".nw-chart svg").first.wait_for()

    trainer = pages(1366, 900)
    trainer.goto(served.server.page_url("trainer.ipynb", f"?sessie={OWN}&sleutel={served.own_key}"))
    trainer.locator(".nw-trainer-block select").select_option(label="Health check")
    results = trainer.locator(".nw-trainer-results.nw-shows-health_check")
    results.locator(".nw-chart svg").first.wait_for()
    new = "Power and conflict"  # nobody rated it yet
    assert not any(new in w for w in svg_texts(output) + svg_texts(results))
    # Mark both chart widgets: after the update each must be the same node (no flicker).
    mark = "scope => { document.querySelector(scope + ' .nw-chart-box').__nwMark = 'kept'; }"
    marked = "scope => document.querySelector(scope + ' .nw-chart-box').__nwMark || null"
    page.evaluate(mark, ".nw-group-output")
    trainer.evaluate(mark, ".nw-trainer-results")

    with served.store() as store:  # as another participant's kernel would save it
        store.append(
            served.own_people[4],
            [Answer("health_check", "c_power", "6", field="score", value_num=6.0)],
        )
    started = time.monotonic()
    shows_new = (
        "([scope, text]) => Array.from(document.querySelectorAll(scope + ' svg text'))"
        ".some(t => t.textContent.includes(text))"
    )
    page.wait_for_function(shows_new, arg=[".nw-group-output", new], timeout=15_000)
    participant_seconds = time.monotonic() - started
    trainer.wait_for_function(shows_new, arg=[".nw-trainer-results", new], timeout=15_000)
    trainer_seconds = time.monotonic() - started
    assert participant_seconds < 5 and trainer_seconds < 5, (participant_seconds, trainer_seconds)
    assert trainer.evaluate(marked, ".nw-trainer-results") == "kept"
    assert page.evaluate(marked, ".nw-group-output") == "kept"
    assert page.outside_requests == [] and trainer.outside_requests == []

    # The trainer screen's kernel stays as light as a participant's.
    reports = probe(served, served.server.kernels()).values()
    screens = [r for r in reports if f"sleutel={served.own_key}" in r["query"]]
    assert screens and all("netwerk_widgets.trainer" in r["modules"] for r in screens)
    sqlite = served.url.startswith("sqlite")
    assert [heavy_modules(r["modules"], sqlite) for r in screens] == [[]] * len(screens)


# --- 4: a view that cannot be drawn ---------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_view_that_cannot_be_drawn_says_so_and_the_page_goes_on(
    served: Served, pages, language: str
) -> None:
    """A score outside the scale breaks the conditions view: its message, then the rest."""
    settle(served.server)
    m = messages(language)
    if language == "en":
        code, person, template = BROKEN, served.broken, load_template(TRAINER_TEMPLATE)
        block, other = "health_check", "mood"
    else:
        code, person, template = BROKEN_NL, served.broken_nl, BUILTIN
        block, other = "voorwaarden", "werkblad"
    page = pages()
    page.goto(served.page_url(personal_query(code, person.token, block)))
    page.get_by_role("button", name=m("group.show")).click()
    output = group_output(page, block)
    warning = output.locator(".nw-warning").first
    warning.wait_for()
    assert warning.inner_text() == m("results.not_drawable", view="conditions")
    # The page goes on: another block's results come, and answers are still saved.
    show_block(page, template, other)
    page.get_by_role("button", name=m("group.show")).click()
    fine = group_output(page, other)
    fine.locator(".nw-chart svg").first.wait_for()
    assert fine.locator(".nw-warning").count() == 0
    typed = f"Still working ({language})"
    page.locator(".nw-block textarea").first.fill(typed)
    deadline = time.monotonic() + 15
    with served.store() as store:
        while typed not in [r["value"] for r in store.current(code, person.id)]:
            assert time.monotonic() < deadline, "the answer was not saved"
            time.sleep(0.2)
    assert page.outside_requests == []


# --- 5: an English session speaks English everywhere -------------------------------------

DUTCH = re.compile(
    r"Meedoen|Sessiecode|je doet mee|Bewaar je persoonlijke link|Onderdeel|Vorige|Volgende|"
    r"Toon|Vernieuwen|Nog niet ingevuld|verplicht|Voortgang|Resultaten|Sessie sluiten|"
    r"Gedeeld|anoniem|Nog geen antwoorden|aantal deelnemers|weet ik niet|Opgeslagen|"
    r"\b(?:de|het|een|niet|van|voor|nog|geen|naar|deelnemers?|sessie|blok|wie|wat)\b",
    re.IGNORECASE,
)
URL = re.compile(r"\S*(?:https?://|[?&](?:sessie|deelnemer|sleutel|blok|taal)=)\S*")


def dutch_words(text: str) -> list[str]:
    """The Dutch interface words in ``text`` (links, whose parameters are Dutch, left out)."""
    return sorted({m.group(0) for m in DUTCH.finditer(URL.sub(" ", text))})


def visible_text(page: Any) -> str:
    """What a person reads on ``page``: its text, the SVG texts, labels and placeholders."""
    parts = [page.locator("body").inner_text(), *svg_texts(page.locator("body"))]
    parts += page.eval_on_selector_all(
        "input, textarea, select option, [aria-label], [title]",
        "els => els.map(e => [e.placeholder, e.getAttribute('aria-label'), e.title,"
        " e.tagName === 'OPTION' ? e.textContent : ''].filter(Boolean).join(' '))",
    )
    return "\n".join(parts)


def test_an_english_session_shows_no_dutch_interface_words(served: Served, pages, tmp_path) -> None:
    settle(served.server)
    template = load_template(TRAINER_TEMPLATE)
    en = messages("en")
    found: dict[str, list[str]] = {}

    page = pages()
    page.goto(served.page_url(f"?sessie={OWN}"))
    join = page.get_by_role("button", name=en("page.join"))
    join.wait_for()
    found["join form"] = dutch_words(visible_text(page))
    page.get_by_placeholder(en("page.name_empty")).fill("Zoe")
    join.click()
    page.locator(".nw-block h2").first.wait_for()
    for block in template.blocks:
        show_block(page, template, block.id)
        found[block.id] = dutch_words(visible_text(page))
        page.get_by_role("button", name=en("group.show")).click()
        output = group_output(page, block.id)
        output.locator(".nw-chart svg, table, p").first.wait_for()
        found[f"{block.id} group results"] = dutch_words(visible_text(page))

    trainer = pages(1366, 900)
    trainer.goto(served.server.page_url("trainer.ipynb", f"?sessie={OWN}&sleutel={served.own_key}"))
    select = trainer.locator(".nw-trainer-block select")
    select.wait_for()
    found["trainer screen"] = dutch_words(visible_text(trainer))
    for block in template.blocks:
        select.select_option(label=template.t(block.title))
        results = trainer.locator(f".nw-trainer-results.nw-shows-{block.id}")
        results.locator(".nw-chart svg, table, p").first.wait_for()
        found[f"trainer {block.id}"] = dutch_words(visible_text(trainer))

    from netwerk_widgets.report import write_report

    with served.store() as store:
        report = write_report(tmp_path / "report.html", OWN, store=store)
    viewer = pages(900, 1200)
    viewer.goto(report.as_uri())
    found["report"] = dutch_words(visible_text(viewer))
    assert {where: words for where, words in found.items() if words} == {}
    assert en("report.participants", n=5).split()[-1] in visible_text(viewer)

    # The same look at a Dutch session finds them: the test can fail.
    dutch = pages()
    dutch.goto(served.page_url("?sessie=DEMO"))
    dutch.get_by_role("button", name=messages("nl")("page.join")).wait_for()
    assert {"Meedoen", "Sessiecode"} <= set(dutch_words(visible_text(dutch)))
