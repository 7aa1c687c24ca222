"""More than one machine (issue 17): two `netwerk serve` behind nginx on one PostgreSQL store.

The deployment of the README's "Meer dan één machine", started here as a whole (the
``deployment`` fixture in ``conftest.py``: PostgreSQL, two servers, nginx with the shipped
``deploy/nginx.conf``). Participants are the lean client of ``bench/burst.py``
(``bench/_client.py``): a page, its cookies and its kernel websocket, through the proxy.

The tests run in order on one room (module state): twenty join and are spread over both
servers; the trainer screen counts and shows all; a reveal reaches both servers; the group
results are computed once; a personal link opens on either server; then one server is
killed while its participants type, and one more participant in Chromium on that server
sees the page's "connection lost" banner and carries on with its button.
"""

from __future__ import annotations

import asyncio
import gzip
import html
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from netwerk_widgets import Store
from netwerk_widgets.messages import messages
from netwerk_widgets.templates import load_template

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from _client import KERNEL_ID, HttpConnection, KernelClient  # noqa: E402

pytestmark = [pytest.mark.deploy, pytest.mark.postgres, pytest.mark.server, pytest.mark.browser]

PARTICIPANTS = 20
BLOCK = "identiteit"  # the built-in template's block with a text question per participant
STEP_S = 180  # generous: two servers, twenty kernels and nginx on a loaded machine
M = messages("nl")
SAVED = M("page.saved_at", time="").strip()
JOINED = re.compile(r'class="nw-joined">(\d+)<')
ROUTE_COOKIE = "netwerk_server"  # deploy/nginx.conf
TOKEN_IN_LINK = re.compile(r"deelnemer=([A-Za-z0-9_-]+)")
_QUESTION = load_template("netwerkwerkboek").block(BLOCK).questions[0]
QUESTION, QUESTION_TEXT = _QUESTION.id, _QUESTION.text.get("nl")
WORKER_LINE = re.compile(r"\[netwerk worker ([^\]]*)\] (\S+)/(\S+) \((\S+)\) for state (\S+) in")


@dataclass
class Tab:
    """One browser tab of the lean client: its own cookie jar, its page, its websocket."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    kernel_id: str = ""
    conn: KernelClient | None = None

    async def open(self, path: str) -> KernelClient:
        """Open a page (as a browser: the HTML, then its kernel's websocket and widgets)."""
        if self.conn is not None:
            self.conn.close()
        http = HttpConnection(self.port, self.cookies)
        try:
            body, headers = await http.get(path)
        finally:
            http.close()
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        found = KERNEL_ID.search(body.decode("utf-8", "replace"))
        assert found, body[:300]
        self.kernel_id = found.group(1)
        self.conn = await KernelClient.connect(self.port, self.kernel_id, self.cookies)
        await self.conn.request_states()
        return self.conn


@dataclass
class Person:
    index: int
    tab: Tab
    name: str = ""
    token: str = ""
    server: Any = None
    sentence: str = ""
    confirmed: str = ""  # the last text the page said was saved
    typed: list[str] = field(default_factory=list)

    @property
    def conn(self) -> KernelClient:
        assert self.tab.conn is not None
        return self.tab.conn


def text_of(conn: KernelClient) -> str:
    """Everything the page's widgets show as text (HTML values, labels, descriptions)."""
    parts = []
    for state in conn.models.values():
        for key in ("value", "description"):
            value = state.get(key)
            if isinstance(value, str):
                parts.append(value)
    return "\n".join(parts)


async def until(check: Callable[[], Any], what: str, timeout: float = STEP_S) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out: {what}")
        await asyncio.sleep(0.3)


async def find_soon(conn: KernelClient, model: str, **state: Any) -> str:
    """The newest widget of this kind with these traits, once the kernel has opened it."""

    def found() -> str | None:
        try:
            return conn.find(model, **state)
        except LookupError:
            return None

    return await until(found, f"a {model} with {state}")


def shows(conn: KernelClient, text: str) -> Callable[[dict[str, Any]], bool]:
    def predicate(message: dict[str, Any]) -> bool:
        state = (message.get("content", {}).get("data") or {}).get("state", {})
        return text in str(state.get("value", ""))

    return predicate


async def type_and_confirm(person: Person, text: str, timeout: float = 60) -> None:
    """Type ``text`` into the block's first text field; wait until the page says saved."""
    conn = person.conn
    status = await find_soon(conn, "HTMLModel", _dom_classes="nw-save-status")
    area = await until(lambda: textarea(person), f"a text field under {QUESTION_TEXT!r}")
    start = len(conn.messages)
    person.typed.append(text)
    conn.update(area, {"value": text})

    def saved(message: dict[str, Any]) -> bool:
        content = message.get("content", {})
        state = (content.get("data") or {}).get("state", {})
        return content.get("comm_id") == status and SAVED in str(state.get("value", ""))

    await conn.wait_for(saved, start, timeout=timeout)
    person.confirmed = text


def textarea(person: Person) -> str | None:
    """The text field of the block's first question (``QUESTION``), wherever the page put it.

    Found the way a person finds it: the question's text, then the field under it (a page
    may build other blocks' fields ahead, so "the newest field" is not it).
    """
    conn = person.conn
    models = conn.models
    headers = {
        f"IPY_MODEL_{model_id}"
        for model_id, state in models.items()
        if state.get("_model_name") == "HTMLModel"
        and re.search(f"<b[^>]*>{re.escape(html.escape(QUESTION_TEXT))}", str(state.get("value")))
    }
    for state in reversed(list(models.values())):
        children = list(state.get("children") or ())
        if state.get("_model_name") != "VBoxModel" or not headers & set(children):
            continue
        for child in children:
            inner = models.get(child.removeprefix("IPY_MODEL_"), {})
            for grandchild in inner.get("children") or ():
                field_id = grandchild.removeprefix("IPY_MODEL_")
                if models.get(field_id, {}).get("_model_name") == "TextareaModel":
                    return field_id
    return None  # not (yet) on the page


def block_index(template_blocks: list[str]) -> int:
    return template_blocks.index(BLOCK)


@dataclass
class Room:
    deployment: Any
    code: str
    key: str
    blocks: list[str]
    loop: asyncio.AbstractEventLoop
    people: list[Person] = field(default_factory=list)
    trainer: Tab | None = None
    trainer_server: Any = None

    def run(self, coroutine: Any, timeout: float = STEP_S * 2) -> Any:
        """Run ``coroutine`` on the room's loop (its own thread: Playwright's sync API holds
        this thread's loop) and wait for it."""
        future = asyncio.run_coroutine_threadsafe(asyncio.wait_for(coroutine, timeout), self.loop)
        return future.result(timeout + 30)

    def on(self, server: Any) -> list[Person]:
        return [p for p in self.people if p.server is server]


@pytest.fixture(scope="module")
def room(deployment) -> Iterator[Room]:
    with Store(deployment.db_url) as store:
        session = store.create_session("Regio-overleg", template="netwerkwerkboek")
        template = load_template(session.template)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="room", daemon=True)
    thread.start()
    setup = Room(
        deployment, session.code, session.trainer_key, [b.id for b in template.blocks], loop
    )
    yield setup

    async def close_all() -> None:
        tabs = [person.tab for person in setup.people]
        if setup.trainer is not None:
            tabs.append(setup.trainer)
        for tab in tabs:
            if tab.conn is not None:
                tab.conn.close()
        await asyncio.sleep(0.1)

    setup.run(close_all(), timeout=30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()


async def join(room: Room, person: Person) -> None:
    conn = await person.tab.open(f"/voila/render/start.ipynb?sessie={room.code}")
    start = len(conn.messages)
    name = await find_soon(conn, "TextModel", placeholder="leeg laten = anoniem")
    conn.update(name, {"value": person.name})
    conn.click(await find_soon(conn, "ButtonModel", description="Meedoen"))
    await conn.wait_for(shows(conn, "je doet mee"), start)
    link = next(
        (s["value"] for s in conn.models.values() if "nw-personal-link" in str(s.get("value"))),
        "",
    )
    found = TOKEN_IN_LINK.search(link)
    assert found, f"no personal link on the page: {link[:200]}"
    person.token = found.group(1)
    await move_to_block(room, person)


async def move_to_block(room: Room, person: Person) -> None:
    conn = person.conn
    start = len(conn.messages)
    person._block_start = start  # type: ignore[attr-defined]
    navigation = await find_soon(conn, "DropdownModel", _dom_classes="nw-navigation")
    if conn.models[navigation].get("index") == block_index(room.blocks):
        person._block_start = 0  # type: ignore[attr-defined]
        return
    conn.update(navigation, {"index": block_index(room.blocks)})
    await conn.wait_for(
        lambda m: (
            m.get("msg_type") == "comm_open"
            and (m["content"].get("data") or {}).get("state", {}).get("_model_name")
            == "TextareaModel"
        ),
        start,
    )


def test_the_proxy_runs_the_shipped_configuration(tmp_path: Path) -> None:
    """Only the addresses and nginx's own files differ from ``deploy/nginx.conf``."""
    from _proxy import SHIPPED_CONFIG, render_config

    shipped = SHIPPED_CONFIG.read_text(encoding="utf-8")
    rendered = render_config(
        shipped, 18080, ["127.0.0.1:1", "127.0.0.1:2", "10.0.0.3:8866"], tmp_path
    )
    kept = [line for line in shipped.splitlines() if line.strip()]
    changed = {line for line in kept if line not in rendered.splitlines()}
    assert changed == {
        "worker_processes auto;",
        "        listen 80;",
        "        server 127.0.0.1:8866 max_fails=1 fail_timeout=10s;",
        "        server 127.0.0.1:8867 max_fails=1 fail_timeout=10s;",
    }
    assert "listen 127.0.0.1:18080;" in rendered
    assert rendered.count("max_fails=1 fail_timeout=10s;") == 3
    assert "hash $netwerk_route consistent;" in rendered
    assert "proxy_set_header Upgrade $http_upgrade;" in rendered
    with pytest.raises(ValueError, match=r"deploy/nginx\.conf"):
        render_config(shipped.replace("listen 80;", "listen 8080;"), 1, ["a:1"], tmp_path)


def test_twenty_participants_join_through_the_proxy_spread_over_both_servers(room) -> None:
    deployment = room.deployment
    room.people = [
        Person(i, Tab(deployment.port), name=f"Deelnemer {i:02d}") for i in range(PARTICIPANTS)
    ]

    async def everyone() -> None:
        await asyncio.gather(*(join(room, person) for person in room.people))
        for person in room.people:
            person.server = await asyncio.to_thread(deployment.server_of, person.tab.kernel_id)
            person.sentence = f"Samen zorgen wij voor de regio, zegt nummer {person.index:02d}"
        await asyncio.gather(*(type_and_confirm(p, p.sentence) for p in room.people))

    room.run(everyone())
    counts = [len(room.on(server)) for server in deployment.servers]
    assert sum(counts) == PARTICIPANTS, "a page's kernel is on neither server"
    assert all(counts), f"nginx sent every participant to one server: {counts}"
    # The page and its websocket stayed on one server: the widgets answered, and the
    # server that runs the kernel is the one the page came from.
    assert all(p.conn.models for p in room.people)
    with Store(deployment.db_url) as store:
        assert len(store.participants(room.code)) == PARTICIPANTS
        stored = [
            row["value"]
            for row in store.current(room.code)
            if (row["block"], row["question"]) == (BLOCK, QUESTION)
        ]
    assert sorted(p.sentence for p in room.people) == sorted(stored)


def trainer_count(conn: KernelClient) -> int | None:
    found = JOINED.search(text_of(conn))
    return int(found.group(1)) if found else None


def test_the_trainer_screen_counts_all_and_shows_their_answers(room) -> None:
    deployment = room.deployment
    room.trainer = trainer = Tab(deployment.port)

    async def watch() -> None:
        conn = await trainer.open(
            f"/voila/render/trainer.ipynb?sessie={room.code}&sleutel={room.key}"
        )
        try:
            await until(lambda: trainer_count(conn) == PARTICIPANTS, "trainer counts 20")
        except AssertionError as exc:
            with Store(deployment.db_url) as store:
                stored = len(store.participants(room.code))
            shown = re.sub(r"<[^>]+>", " ", text_of(conn))
            raise AssertionError(
                f"{exc}: it shows {trainer_count(conn)}, the store has {stored}; the page "
                f"says: {' '.join(shown.split())[:600]}"
            ) from exc
        block = await find_soon(conn, "DropdownModel", _dom_classes="nw-trainer-block")
        conn.update(block, {"index": block_index(room.blocks)})
        await until(
            lambda: all(p.sentence in text_of(conn) for p in room.people),
            "trainer shows every sentence (it shows "
            f"{sum(p.sentence in text_of(conn) for p in room.people)})",
        )

    room.run(watch(), timeout=STEP_S * 3)
    room.trainer_server = deployment.server_of(trainer.kernel_id)
    assert room.trainer_server is not None


def field_values(conn: KernelClient) -> list[str]:
    """What the page's text fields hold (its widgets, as the page got them)."""
    return [
        str(state.get("value"))
        for state in conn.models.values()
        if state.get("_model_name") == "TextareaModel"
    ]


def block_switch(conn: KernelClient, title: str) -> str:
    """The trainer's "Delen met deelnemers" switch on the line of the block ``title``."""
    models = conn.models
    for state in models.values():
        children = [c.removeprefix("IPY_MODEL_") for c in state.get("children") or ()]
        if state.get("_model_name") != "HBoxModel" or not children:
            continue
        if models.get(children[0], {}).get("value") != title:
            continue
        for child in children:
            if models.get(child, {}).get("description") == M("trainer.share"):
                return child
    raise AssertionError(f"no share switch for {title!r}")


def test_a_reveal_reaches_participants_on_both_servers(room) -> None:
    trainer = room.trainer
    assert trainer is not None and trainer.conn is not None
    conn = trainer.conn
    title = load_template("netwerkwerkboek").block(BLOCK).title.get("nl")
    starts: dict[int, int] = {}

    async def everyone_sees_results() -> None:
        # On the room's loop, like everything that reads or writes a page's widgets.
        toggle = block_switch(conn, title)
        starts.update({p.index: len(p.conn.messages) for p in room.people})
        conn.update(toggle, {"value": True})

        async def one(person: Person) -> None:
            pc = person.conn

            def visible_button() -> str | None:
                # The block's "Toon groepsresultaten" shows once the poller saw the reveal
                # (other blocks' buttons, built ahead, stay hidden).
                for model_id, state in list(pc.models.items()):
                    if state.get("_model_name") != "ButtonModel":
                        continue
                    if state.get("description") != M("group.show"):
                        continue
                    layout = str(state.get("layout", "")).removeprefix("IPY_MODEL_")
                    if layout in pc.models and pc.models[layout].get("display") != "none":
                        return model_id
                return None

            button = await until(visible_button, f"results button on page {person.index}")
            pc.click(button)
            await pc.wait_for(shows(pc, person.sentence), starts[person.index])

        await asyncio.gather(*(one(p) for p in room.people))

    room.run(everyone_sees_results())
    for server in room.deployment.servers:
        assert room.on(server), "a server without participants: the reveal test proves nothing"


def computations(deployment) -> list[tuple[str, str, str]]:
    """(worker, block, language:state) for every group result the two servers' workers computed."""
    found = []
    for server in deployment.servers:
        server.log.flush() if not server.log.closed else None
        text = Path(server.log.name).read_text(errors="replace")
        found += [
            (m.group(1), m.group(3), f"{m.group(4)}:{m.group(5)}")
            for m in WORKER_LINE.finditer(text)
        ]
    return found


def test_group_results_are_computed_once_for_the_session(room) -> None:
    done = computations(room.deployment)
    of_block = [(worker, state) for worker, block, state in done if block == BLOCK]
    assert of_block, "no worker computed the block"
    states = [state for _worker, state in of_block]
    assert len(states) == len(set(states)), f"a state was computed more than once: {of_block}"
    with Store(room.deployment.db_url) as store:
        cached = store.cached_results(room.code, BLOCK, "nl")
    assert cached is not None
    assert f"nl:{cached.state}" in states, "the shared cache holds what a worker computed"


def test_a_personal_link_made_on_one_server_opens_on_the_other(room) -> None:
    deployment = room.deployment
    first, second = deployment.servers

    async def cross() -> None:
        for here, there in ((first, second), (second, first)):
            person = room.on(here)[0]
            tab = Tab(there.port)  # straight to the other server, past the proxy
            conn = await tab.open(
                f"/voila/render/start.ipynb?sessie={room.code}&deelnemer={person.token}"
                f"&blok={BLOCK}"
            )
            assert deployment.server_of(tab.kernel_id) is there
            values = field_values(conn)
            assert person.confirmed in values, f"{person.name}'s answer is not on the page"
            assert person.name in text_of(conn)
            conn.close()

    room.run(cross())


BROWSER_NAME = "In de browser"
BROWSER_BEFORE = "Getypt in Chromium voor de storing"
BROWSER_AFTER = "Getypt in Chromium toen de server weg was"


def open_browser_page(browser: Any, room: Room, route_like: Person) -> Any:
    """A participant in Chromium on the same server as ``route_like`` (their nginx cookie)."""
    deployment = room.deployment
    context = browser.new_context(viewport={"width": 360, "height": 800})
    cookie = route_like.tab.cookies[ROUTE_COOKIE]
    context.add_cookies([{"name": ROUTE_COOKIE, "value": cookie, "url": deployment.url}])
    page = context.new_page()
    page.set_default_timeout(STEP_S * 1000)
    page.goto(f"{deployment.url}/voila/render/start.ipynb?sessie={room.code}")
    page.get_by_placeholder("leeg laten = anoniem").fill(BROWSER_NAME)
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-navigation select").select_option(index=block_index(room.blocks))
    title = load_template("netwerkwerkboek").block(BLOCK).title.get("nl")
    page.locator(".nw-block h2", has_text=title).wait_for()
    area = page.locator(".nw-block textarea").first
    area.fill(BROWSER_BEFORE)
    page.locator(".nw-save-status", has_text=SAVED).wait_for()
    return page


def browser_rows(room: Room) -> set[str]:
    with Store(room.deployment.db_url) as store:
        me = {p.id for p in store.participants(room.code) if p.display_name == BROWSER_NAME}
        return {r["value"] for r in store.current(room.code) if r["participant"] in me}


def test_killing_a_server_loses_nothing_that_was_shown_as_saved(room, browser) -> None:
    deployment = room.deployment
    victim = next(s for s in deployment.servers if s is not room.trainer_server)
    typing = room.on(victim)
    assert typing
    # One participant in a real browser on the same server: the page's own "connection
    # lost" banner (connection.js) and its button to carry on.
    page = open_browser_page(browser, room, typing[0])
    kernel_id = page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")
    assert deployment.server_of(kernel_id) is victim
    kill_after = asyncio.Event()

    async def keep_typing(person: Person) -> None:
        for k in range(1, 1000):
            try:
                await type_and_confirm(person, f"{person.sentence} (versie {k})", timeout=20)
            except (TimeoutError, AssertionError, OSError):
                return
            if k == 2:
                kill_after.set()
            if person.conn.closed:
                return

    async def kill_while_typing() -> None:
        tasks = [asyncio.ensure_future(keep_typing(p)) for p in typing]
        await asyncio.wait_for(kill_after.wait(), STEP_S)
        await asyncio.sleep(1.0)
        await asyncio.to_thread(victim.kill)  # SIGKILL: the server and all its kernels
        await asyncio.gather(*tasks)

    room.run(kill_while_typing())
    try:
        banner = page.locator(".nw-lost[role=alert]")
        banner.wait_for(timeout=30_000)
        assert M("connection.lost")[:30] in banner.inner_text()
        page.locator(".nw-block textarea").first.fill(BROWSER_AFTER)
        page.get_by_role("button", name=M("connection.carry_on")).click()
        deadline = time.monotonic() + STEP_S
        while BROWSER_AFTER not in browser_rows(room) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert BROWSER_AFTER in browser_rows(room), "what the browser kept was not saved"
        kernel_id = page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")
        assert deployment.server_of(kernel_id) is room.trainer_server
    finally:
        page.context.close()
    with Store(deployment.db_url) as store:
        by_person = {p.id: p for p in store.participants(room.code)}
        current = {
            (row["participant"], row["question"]): row["value"]
            for row in store.current(room.code)
            if row["block"] == BLOCK
        }
        ids = {p.token: pid for pid, p in by_person.items()}
    question = QUESTION
    for person in typing:
        stored = current.get((ids[person.token], question))
        assert person.confirmed, "the page never said saved"
        assert stored in person.typed, f"{person.name}: the store has {stored!r}"
        assert person.typed.index(stored) >= person.typed.index(person.confirmed), (
            f"{person.name}: shown as saved {person.confirmed!r}, stored {stored!r}"
        )

    # They carry on through their personal link, through the same proxy (their cookie
    # pointed at the dead server: nginx sends them to the one that is left).
    async def carry_on() -> None:
        async def one(person: Person) -> None:
            conn = await person.tab.open(
                f"/voila/render/start.ipynb?sessie={room.code}&deelnemer={person.token}"
                f"&blok={BLOCK}"
            )
            person._block_start = 0  # type: ignore[attr-defined]
            values = field_values(conn)
            assert current[(ids[person.token], question)] in values
            await type_and_confirm(person, f"{person.sentence} (na de storing)")

        await asyncio.gather(*(one(p) for p in typing))

    room.run(carry_on())
    survivor = room.trainer_server
    for person in typing:
        assert deployment.server_of(person.tab.kernel_id) is survivor
    # The trainer screen (on the server that is left) keeps working: same count, new answers.
    trainer = room.trainer
    assert trainer is not None and trainer.conn is not None
    room.run(
        until(
            lambda: (
                all(f"{p.sentence} (na de storing)" in text_of(trainer.conn) for p in typing)
                and trainer_count(trainer.conn) == PARTICIPANTS + 1  # and the browser's
            ),
            "trainer shows the answers typed after the crash",
        )
    )
