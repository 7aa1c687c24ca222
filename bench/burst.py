"""Burst benchmark: N participants open the workbook at the same moment.

Starts Voilà the way ``make run`` does (:func:`netwerk_widgets.cli.voila_command` and
:func:`~netwerk_widgets.cli.voila_environment`, so with the preheated kernel pools of the
package's ``share/config/voila.json``), serving a temporary copy of ``workbooks/`` plus
``bench/baseline/button.ipynb``, with the demo session in a temporary SQLite store. Only
127.0.0.1 is contacted. Each burst starts when the pools are full.

A burst: N visitors open a page at the same moment, and we measure per visitor the time from
that moment until the first widget is there:

* one visitor (``--browsers``) is a page in headless Chromium: until the first widget is
  visible (``.nw-join input``, ``.nw-app h1``, ``.widget-button``). Drawing a page costs
  Chromium about 3 CPU-seconds here; a participant's browser runs on their own phone or
  laptop, not on the server's two cores, so Chromium runs at a lower priority (``nice``
  10, ``--browser-nice``) and takes what the server leaves. Its times are shown apart;
* the others are a small client that asks the server for what a page asks: the page, the
  scripts and stylesheets a page loaded in Chromium (recorded once; 8 since Voilà's chunks
  come in one script, 93 before; six connections at a time and gzip, like a browser), then
  the widget state over the kernel's websocket (``request_states`` on
  ``jupyter.widget.control``, as ipywidgets' page code does). Its time ends when the state is
  in: the page is then *served*, the goal's measure. The participant's own browser then
  draws the page (about 1.5 s here, more on an old phone), which does not grow with N;
  fifty Chromium pages on the server's two cores would measure Chromium, not the server.

Links: the participant link a trainer hands out (``start.ipynb?sessie=DEMO``: join form), a
personal link (``...&deelnemer=...&blok=werkblad``) and the baseline ``button.ipynb`` (only
ipywidgets, no pool: a kernel is started per request), all in the same run. After a burst on
the participant link everyone presses "Meedoen" at once, then everyone moves to a block they
have not seen, all at once, a second after the pool started to refill; again with the pool
full; and last each Chromium page alone (until the new block's ``h2`` shows). The trainer's
screen (``trainer.ipynb``, refreshes every 4 s) is open in Chromium all along: we check how
long after each join its participant count showed it.

Last, a server with ``NETWERK_POOL_SIZE=50`` takes a burst of 50; with those 50 participants
on it we measure memory (RSS, USS, PSS) of the server and every kernel.

The reveal (``--reveal``, instead of the bursts above): N participants who joined (personal
links, on the block ``voorwaarden``; the session has the demo's 8 plus 50 bench participants,
all with answers to it) wait for the trainer to share the block, then all press "Toon
groepsresultaten" at the same moment (a comm message ``click`` to the button's model; one
of them in Chromium). Each N gets a fresh copy of the store and a fresh server, so the
results cache is cold and nobody asked for the block before. By default the block is shared
as the trainer screen shares it: its switch also asks the worker for the block's results at
once, so the worker computes while the pages' buttons appear. With ``--reveal-as store``
only the store's reveal is written (as a script would): the first click makes the results
worker compute it, once, and every page waits for that. Measured: from the click
until the page shows the block's results with an SVG chart (the output gets
``nw-shows-voorwaarden``), CPU of the server, the participants' kernels and the worker
(apart: it is a child of the server) from the click to the last chart, when the worker was
asked, computed and wrote (the store's ``results_requests`` and ``results_cache``), how often
it computed (its log), and PSS of the same kernels before the reveal (joined only) and after
viewing the results, next to the server and the worker.

    .venv/bin/python bench/burst.py [--sizes 1,10,20,50] [--browsers 1] [--json]
    .venv/bin/python bench/burst.py --reveal [10,20,50] [--browsers 1] [--json]
    .venv/bin/python bench/burst.py --proxy [50] [--json]

``--proxy``: N joins at once through nginx (``deploy/nginx.conf``) over two servers, next to
one server in the same run; see ``bench/_proxy_burst.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import html
import json
import os
import platform
import re
import shutil
import statistics
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
from _client import KERNEL_ID, MB, TIMEOUT_S, HttpConnection, KernelClient
from _server import ROOT, BenchServer, log

from netwerk_widgets import Store
from netwerk_widgets._chromium import CHROMIUM, CHROMIUM_FLAGS
from netwerk_widgets.cli import PARTICIPANT_NOTEBOOK
from netwerk_widgets.demo import load_demo

BASELINE_NOTEBOOK = Path(__file__).resolve().parent / "baseline" / "button.ipynb"
TRAINER_NOTEBOOK = "trainer.ipynb"
SESSION, TRAINER_KEY = "DEMO", "demo-trainer"
FIRST_BLOCK = "werkblad"
# Blocks to move to (dropdown index): never seen before, so each is built on the spot.
MOVE_BUSY, MOVE_QUIET, MOVE_ALONE = 2, 3, 1  # Ambities, Fundament, Identiteit

TARGET_S = {20: 3.0, 50: 6.0}
MOVE_TARGET_S = 1.0
BIG_POOL = 50

BROWSER_NICE = 10  # --browser-nice


def lower_priority_of_chromium(niceness: int) -> None:
    """Give this bench's Chromium processes a lower CPU priority (``nice``) than the server."""
    if niceness <= 0:
        return
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name() and child.nice() < niceness:
                child.nice(niceness)
        except psutil.Error:
            pass


# --- the server -------------------------------------------------------------------------


def pool_config(command: list[str]) -> tuple[dict[str, Any], float]:
    """The kernel pools and fill delay the server gets from this command line."""
    prefix = "--VoilaKernelManager.kernel_pools_config="
    config_dir = next(a.split("=", 1)[1] for a in command if "config_file_paths=" in a)
    config = json.loads((Path(config_dir) / "voila.json").read_text(encoding="utf-8"))
    manager = config["VoilaKernelManager"]
    pools = manager["kernel_pools_config"]
    for part in command:
        if part.startswith(prefix):
            pools = json.loads(part[len(prefix) :])
    if any(part == "--VoilaConfiguration.preheat_kernel=False" for part in command):
        pools = {}
    return pools, float(manager.get("fill_delay", 1))


class Server(BenchServer):
    """One Voilà server started as ``make run`` does; ready when its pools are full."""

    log_lines = 30

    def __init__(self, served: Path, db_url: str, log_path: Path, pool: int | None = None):
        started = time.perf_counter()
        super().__init__(served, db_url, log_path, pool)
        self.pools, self.fill_delay = pool_config(self.command)
        self.pooled = sum(pool.get("pool_size", 0) for pool in self.pools.values())
        try:
            deadline = time.monotonic() + 180  # it answers late while it fills the pools
            while True:
                try:
                    urllib.request.urlopen(self.url, timeout=5).close()
                    break
                except OSError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("Voilà startte niet:\n" + self.log_tail()) from None
                    time.sleep(0.5)
            self.pool_s = self.wait_pool()
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.perf_counter() - started

    def pool_size(self, notebook: str) -> int:
        default = self.pools.get("default", {}).get("pool_size", 0)
        return self.pools.get(notebook, {}).get("pool_size", default)

    def waiting(self) -> int:
        """Preheated kernels that ran their notebook and wait for a page.

        Such a kernel holds a websocket to the server (``/voila/query/<kernel id>``); a
        kernel that serves a page does not (it talks to the server over ZeroMQ).
        """
        count = 0
        for kernel in self.kernels():
            try:
                conns = kernel.net_connections("tcp")
            except psutil.Error:
                continue
            if any(
                c.raddr and c.raddr.port == self.port and c.status == psutil.CONN_ESTABLISHED
                for c in conns
            ):
                count += 1
        return count

    def wait_pool(self, timeout: float = 300) -> float:
        """Wait until every pool is full; returns the seconds waited."""
        started = time.perf_counter()
        deadline = time.monotonic() + timeout
        while self.waiting() < self.pooled:
            if time.monotonic() > deadline:
                log(f"  let op: pool na {timeout:.0f} s niet vol ({self.waiting()}/{self.pooled})")
                break
            time.sleep(0.5)
        return time.perf_counter() - started

    def shutdown_kernels(self, kernel_ids: list[str]) -> None:
        """Stop the kernels of a burst (as the pages do on leaving; see bench/startup.py)."""
        processes = [p for p in map(self.kernel_process, kernel_ids) if p is not None]
        for kernel_id in kernel_ids:
            try:
                self.request_shutdown(kernel_id, 30)
            except OSError as exc:
                log(f"  let op: kernel {kernel_id} stoppen: {exc}")
        _gone, alive = psutil.wait_procs(processes, timeout=30)
        for process in alive:
            process.kill()

    def memory(self) -> dict[str, int]:
        info = self.psutil.memory_full_info()
        return {"rss": info.rss, "uss": info.uss, "pss": info.pss}


def cpu_seconds(server: Server) -> dict[str, float]:
    """CPU time so far: the Voilà server, its kernels (alive now), this bench, Chromium."""

    def used(process: psutil.Process, children: bool = False) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        extra = times.children_user + times.children_system if children else 0.0
        return times.user + times.system + extra

    bench = psutil.Process()
    voila = {server.psutil.pid, *(p.pid for p in server.psutil.children(recursive=True))}
    browser = sum(used(child) for child in bench.children(recursive=True) if child.pid not in voila)
    worker = server.worker()
    return {
        "server": used(server.psutil),
        "kernels": sum(used(kernel) for kernel in server.kernels()),
        "worker": 0.0 if worker is None else used(worker),
        "bench": used(bench),
        "chromium": browser,
    }


def kernel_memory(process: psutil.Process | None) -> dict[str, int] | None:
    if process is None:
        return None
    try:
        info = process.memory_full_info()
    except psutil.Error:
        return None
    return {"rss": info.rss, "uss": info.uss, "pss": info.pss}


# --- visitors ---------------------------------------------------------------------------


@dataclass
class Visitor:
    index: int
    kind: str  # personal, join, button
    via: str  # browser, client
    url: str
    html_s: float | None = None
    widget_s: float | None = None
    join_s: float | None = None
    join_wall: float | None = None
    moves: dict[str, float] = field(default_factory=dict)
    kernel_id: str = ""
    error: str = ""
    page: Any = None
    context: Any = None
    conn: KernelClient | None = None

    async def attempt(self, action: Any, what: str) -> bool:
        """Await ``action`` unless this visitor failed before; a failure is noted, not raised.

        Returns whether it failed now.
        """
        if self.error:
            return False
        try:
            await action
        except Exception as exc:
            self.error = f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0]}"[:200]
            return True
        return False


RESOURCES: dict[str, list[str]] = {}  # per notebook: what a page loaded in Chromium
BROWSER_CONNECTIONS = 6  # a browser's parallel connections to one host
KERNEL_ID_JS = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
BLOCK_TITLES: list[str] = []


async def client_visit(
    visitor: Visitor, notebook: str, port: int, t0: float, cookies: dict[str, str] | None = None
) -> None:
    """The page, its files over six keep-alive connections, then the widgets.

    ``cookies``: the visitor's cookie jar (through a proxy that routes by cookie, give each
    visitor its own empty dict: the first answer fills it, later requests send it).
    """
    connections = [HttpConnection(port, cookies) for _ in range(BROWSER_CONNECTIONS)]
    try:
        body, headers = await connections[0].get(visitor.url.split(str(port), 1)[1])
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        visitor.html_s = time.perf_counter() - t0
        visitor.kernel_id = KERNEL_ID.search(body.decode("utf-8", "replace")).group(1)
        paths = [*RESOURCES[notebook], f"/api/kernels/{visitor.kernel_id}"]

        async def fetch(connection: HttpConnection, share: list[str]) -> None:
            for path in share:
                await connection.get(path)

        await asyncio.gather(
            *(fetch(c, paths[i :: len(connections)]) for i, c in enumerate(connections))
        )
    finally:
        for connection in connections:
            connection.close()
    visitor.conn = conn = await KernelClient.connect(port, visitor.kernel_id, cookies)
    await conn.request_states()
    visitor.widget_s = time.perf_counter() - t0


RESOURCES_JS = """() => performance.getEntriesByType('resource').map(r => r.name)"""


async def record_resources(browser: Any, server: Server, notebook: str, query: str) -> None:
    """One page in Chromium (not counted): which files a page loads, and a warm server."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(f"{server.url}/voila/render/{notebook}{query}")
        await page.locator(".nw-app h1, .widget-button").first.wait_for(
            state="visible", timeout=TIMEOUT_S * 1000
        )
        kernel_id = await page.evaluate(KERNEL_ID_JS)
        names = await page.evaluate(RESOURCES_JS)
    finally:
        await context.close()
    paths = []
    for name in names:
        if name.startswith(server.url):
            path = name[len(server.url) :]
            if not path.startswith(("/api/", "/voila/render/", "/voila/query/")):
                paths.append(path)
    RESOURCES[notebook] = paths
    await asyncio.to_thread(server.shutdown_kernels, [kernel_id])
    await asyncio.to_thread(server.wait_pool)


FIRST_WIDGET = {"personal": ".nw-app h1", "join": ".nw-join input", "button": ".widget-button"}


async def browser_visit(visitor: Visitor, t0: float) -> None:
    page = visitor.page
    await page.goto(visitor.url, wait_until="commit", timeout=TIMEOUT_S * 1000)
    await page.locator(FIRST_WIDGET[visitor.kind]).first.wait_for(state="visible")
    visitor.widget_s = time.perf_counter() - t0
    visitor.kernel_id = await page.evaluate(KERNEL_ID_JS)
    done = "performance.getEntriesByType('navigation')[0].responseEnd / 1000"
    visitor.html_s = await page.evaluate(done)  # from the page's own navigation start


async def join(visitor: Visitor, name: str) -> None:
    """Fill in a name and press Meedoen; seconds until the workbook is there."""
    started = time.perf_counter()
    if visitor.via == "browser":
        page = visitor.page
        await page.get_by_placeholder("leeg laten = anoniem").fill(name)
        await page.get_by_role("button", name="Meedoen").click()
        await page.locator(".nw-app h1").first.wait_for(state="visible")
        await page.locator(".nw-navigation select").wait_for()
    else:
        conn = visitor.conn
        assert conn is not None
        start = len(conn.messages)
        conn.update(conn.find("TextModel", placeholder="leeg laten = anoniem"), {"value": name})
        conn.click(conn.find("ButtonModel", description="Meedoen"))
        await conn.new_html("je doet mee", start)
    visitor.join_wall = time.time()
    visitor.join_s = time.perf_counter() - started


async def move(visitor: Visitor, index: int) -> float:
    """Select another block; seconds until its title (h2) is there."""
    title = BLOCK_TITLES[index]
    started = time.perf_counter()
    if visitor.via == "browser":
        page = visitor.page
        await page.locator(".nw-navigation select").select_option(index=index)
        await page.locator(".nw-block h2", has_text=title).wait_for(state="visible")
    else:
        conn = visitor.conn
        assert conn is not None
        start = len(conn.messages)
        conn.update(conn.find("DropdownModel", _dom_classes="nw-navigation"), {"index": index})
        await conn.new_html(html.escape(title), start)
    return time.perf_counter() - started


# --- the trainer's screen ---------------------------------------------------------------

WATCH_TRAINER_JS = """() => {
  window.__joined = [];
  const root = document.querySelector('.nw-trainer');
  const note = () => {
    const el = document.querySelector('.nw-trainer .nw-joined');
    window.__joined.push([Date.now() / 1000, el ? Number(el.textContent) : null]);
  };
  note();
  new MutationObserver(note).observe(root, {subtree: true, childList: true, characterData: true});
}"""


async def open_trainer(browser: Any, server: Server) -> Any:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_S * 1000)
    url = f"{server.url}/voila/render/{TRAINER_NOTEBOOK}?sessie={SESSION}&sleutel={TRAINER_KEY}"
    await page.goto(url)
    await page.locator(".nw-trainer .nw-joined").wait_for()
    await page.evaluate(WATCH_TRAINER_JS)
    return page


async def trainer_delays(page: Any, joins: list[float], before: int) -> dict[str, Any]:
    """How long after each join the trainer's count showed it (refresh every 4 s)."""
    deadline = time.monotonic() + 30
    while True:
        records = await page.evaluate("window.__joined")
        counts = [c for _, c in records if c is not None]
        if (counts and counts[-1] >= before + len(joins)) or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    delays = []
    for k, joined_at in enumerate(sorted(joins), start=1):
        shown = next((t for t, c in records if c is not None and c >= before + k), None)
        delays.append(None if shown is None else max(shown - joined_at, 0.0))
    missing = sum(d is None for d in delays)
    known = [d for d in delays if d is not None]
    return {
        "joins": len(joins),
        "updates": len(records),
        "max_delay_s": max(known) if known else None,
        "missing": missing,
        "count": counts[-1] if counts else None,
    }


async def trainer_count(page: Any) -> int:
    return int(await page.locator(".nw-trainer .nw-joined").inner_text())


# --- a burst ----------------------------------------------------------------------------


@dataclass
class Burst:
    notebook: str
    kind: str
    n: int
    pool: int
    visitors: list[Visitor]
    wall_s: float
    trainer: dict[str, Any] | None = None
    memory: dict[str, Any] | None = None
    cpu: dict[str, float] = field(default_factory=dict)

    def times(self, attribute: str, via: str | None = None) -> list[float]:
        return [
            getattr(v, attribute)
            for v in self.visitors
            if getattr(v, attribute) is not None and (via is None or v.via == via)
        ]

    def moves(self, key: str, via: str | None = None) -> list[float]:
        return [v.moves[key] for v in self.visitors if key in v.moves and via in (None, v.via)]

    def errors(self) -> list[str]:
        return [f"{v.index} {v.via} {v.kind}: {v.error}" for v in self.visitors if v.error]

    def summary(self) -> dict[str, Any]:
        def stats(values: list[float]) -> dict[str, float] | None:
            if not values:
                return None
            return {"median": statistics.median(values), "max": max(values), "n": len(values)}

        return {
            "notebook": self.notebook,
            "kind": self.kind,
            "n": self.n,
            "pool": self.pool,
            "wall_s": self.wall_s,
            "first_widget": stats(self.times("widget_s")),
            "first_widget_browser": stats(self.times("widget_s", "browser")),
            "first_widget_client": stats(self.times("widget_s", "client")),
            "html": stats(self.times("html_s", "client")),
            "join": stats(self.times("join_s")),
            "move_busy": stats(self.moves("busy")),
            "move_quiet": stats(self.moves("quiet")),
            "move_alone": stats(self.moves("alone", "browser")),
            "errors": self.errors(),
            "cpu_s": self.cpu,
            "trainer": self.trainer,
            "memory": self.memory,
        }


KINDS = {
    # kind: (notebook, query, label)
    "join": (PARTICIPANT_NOTEBOOK, f"?sessie={SESSION}", "deelnemerslink"),
    "personal": (
        PARTICIPANT_NOTEBOOK,
        "?sessie={session}&deelnemer={token}&blok={block}",
        "persoonlijke link",
    ),
    "button": (BASELINE_NOTEBOOK.name, "", "basislijn"),
}


async def burst(
    browser: Any,
    server: Server,
    kind: str,
    n: int,
    browsers: int,
    tokens: list[str],
    trainer: Any | None,
    keep: bool = False,
    browser_nice: int = BROWSER_NICE,
) -> Burst:
    """N first requests at once; for the join link then everyone joins and moves blocks.

    Phases: (1) all N open the page at the same moment; (2) join visitors all press
    Meedoen at once; (3) a second after the pool started to refill (the busiest moment),
    everyone moves to another block at once; (4) with the pool full again, everyone moves
    once more at once, and (5) each Chromium page alone. Then (unless ``keep``) the burst's
    kernels are stopped and the pool is refilled before the next burst.
    """
    notebook, query, _label = KINDS[kind]
    visitors = []
    for i in range(n):
        url = f"{server.url}/voila/render/{notebook}" + query.format(
            session=SESSION, token=tokens[i], block=FIRST_BLOCK
        )
        visitors.append(Visitor(i, kind, "browser" if i < browsers else "client", url))
    for visitor in visitors:
        if visitor.via == "browser":
            visitor.context = await browser.new_context(viewport={"width": 420, "height": 900})
            visitor.page = await visitor.context.new_page()
            visitor.page.set_default_timeout(TIMEOUT_S * 1000)
    before = await trainer_count(trainer) if trainer is not None else 0
    lower_priority_of_chromium(browser_nice)
    log(f"  {notebook} ({kind}): {n} tegelijk, {min(n, browsers)} in Chromium ...")
    cpu = cpu_seconds(server)
    t0 = time.perf_counter()

    async def step(visitor: Visitor, action: Any, what: str) -> None:
        if await visitor.attempt(action, what) and visitor.page is not None:
            try:
                text = (await visitor.page.inner_text("body"))[:200].replace("\n", " | ")
                kernel = await visitor.page.evaluate(KERNEL_ID_JS)
                visitor.error += f"; kernel {kernel}; pagina: {text!r}"
            except Exception as more:
                visitor.error += f" ({type(more).__name__})"

    def first(visitor: Visitor) -> Any:
        if visitor.via == "browser":
            return browser_visit(visitor, t0)
        return client_visit(visitor, notebook, server.port, t0)

    async def everyone(make: Any, what: str, who: list[Visitor] | None = None) -> None:
        group = [v for v in (visitors if who is None else who) if not v.error]
        await asyncio.wait_for(
            asyncio.gather(*(step(v, make(v), what) for v in group)), TIMEOUT_S + 30
        )

    await everyone(first, "openen")
    result = Burst(notebook, kind, n, server.pool_size(notebook), visitors, 0.0)
    result.wall_s = time.perf_counter() - t0
    result.cpu = {key: value - cpu[key] for key, value in cpu_seconds(server).items()}

    if kind == "join":
        await everyone(lambda v: join(v, f"Burst {n}-{v.index}"), "meedoen")
        if trainer is not None:
            joins = [v.join_wall for v in visitors if v.join_wall is not None]
            result.trainer = await trainer_delays(trainer, joins, before)
        if n > 1:
            await asyncio.sleep(max(0.0, server.fill_delay + 1 - (time.perf_counter() - t0)))

            async def busy(visitor: Visitor) -> None:
                visitor.moves["busy"] = await move(visitor, MOVE_BUSY)

            await everyone(busy, "blok wisselen")
        await asyncio.to_thread(server.wait_pool)

        async def quiet(visitor: Visitor) -> None:
            visitor.moves["quiet"] = await move(visitor, MOVE_QUIET)

        await everyone(quiet, "blok wisselen")
        for visitor in visitors:
            if visitor.via == "browser" and not visitor.error:
                visitor.moves["alone"] = await move(visitor, MOVE_ALONE)

    if not keep:
        await close_burst(server, result)
    return result


async def close_burst(server: Server, result: Burst) -> None:
    for visitor in result.visitors:
        if visitor.conn is not None:
            visitor.conn.close()
        if visitor.context is not None:
            await visitor.context.close()
    ids = [v.kernel_id for v in result.visitors if v.kernel_id]
    await asyncio.to_thread(server.shutdown_kernels, ids)
    await asyncio.to_thread(server.wait_pool)
    await asyncio.sleep(2)  # let the last refills settle


def measure_memory(server: Server, result: Burst, trainer_kernel: str) -> dict[str, Any]:
    """Server, participant kernels and waiting pool kernels, with N participants on."""
    participant_ids = {v.kernel_id for v in result.visitors if v.kernel_id}
    participants, pool, others = [], [], []
    for kernel in server.kernels():
        memory = kernel_memory(kernel)
        if memory is None:
            continue
        command = " ".join(kernel.cmdline())
        if any(f"kernel-{kid}.json" in command for kid in participant_ids):
            participants.append(memory)
        elif trainer_kernel and f"kernel-{trainer_kernel}.json" in command:
            others.append(memory)
        else:
            pool.append(memory)

    def total(items: list[dict[str, int]], key: str) -> int:
        return sum(item[key] for item in items)

    def median(items: list[dict[str, int]], key: str) -> float:
        return statistics.median(item[key] for item in items) if items else 0.0

    server_memory = server.memory()
    return {
        "participants": len(participants),
        "pool_waiting": len(pool),
        "server": server_memory,
        "participant_kernel_median": {k: median(participants, k) for k in ("rss", "uss", "pss")},
        "pool_kernel_median": {k: median(pool, k) for k in ("rss", "uss", "pss")},
        "participants_total": {k: total(participants, k) for k in ("rss", "uss", "pss")},
        "pool_total": {k: total(pool, k) for k in ("rss", "uss", "pss")},
        "trainer_total": {k: total(others, k) for k in ("rss", "uss", "pss")},
        "all_pss": server_memory["pss"]
        + total(participants, "pss")
        + total(pool, "pss")
        + total(others, "pss"),
    }


# --- the reveal -------------------------------------------------------------------------
#
# N participants, each on their own page (personal link, on the block), wait for the
# trainer to share the block's results; then they all press "Toon groepsresultaten" at the
# same moment. The results worker next to the server computes them once; every page reads
# them from the cache. Each N gets a fresh server on a fresh copy of the store, so the cache
# is cold and nobody asked for the block before the trainer shares it (``--reveal-as
# store``: nor then, and the first click pays the one computation).

REVEAL_BLOCK = "voorwaarden"  # the scan: a chart, a table, a switch with charts
REVEAL_SIZES = [10, 20, 50]
REVEAL_LANGUAGE = "nl"  # the built-in workbook's, so the trainer screen's and the pages'
REVEAL_TARGET_S = {50: 3.0}
REVEAL_PSS_RATIO = 1.3  # kernel after viewing results / the same kernel before
# Before the results worker (each kernel computed the results itself; the figures):
# slowest click to chart, and the kernel's PSS afterwards.
REVEAL_BEFORE_S = {1: 6.0, 10: 28.0, 20: 57.0}
REVEAL_BEFORE_PSS_MB = 190
REVEAL_SETTLE_S = 3.0  # after the last chart, before memory is measured
WORKER_LINE = re.compile(
    r"\[netwerk worker [^\]]*\] (\S+)/(\S+) \((\S+)\) for state (\S+) in ([\d.]+) s"
    r"( \(failed\))?"
)
SHOWN_JS = ".nw-group-output.nw-shows-{block} svg"


def copy_store(source: Path, target: Path) -> None:
    """A consistent copy of a SQLite store (WAL included), with SQLite's own backup."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def prepare_reveal(folder: Path, db_url: str, tokens: list[str]) -> int:
    """The store every reveal starts from (``reveal.db``): the demo, the bench's
    participants with answers to the block, and the block not shared yet; returns the
    number of participants in the session."""
    import random

    from netwerk_widgets.demo import answers_from_mapping
    from netwerk_widgets.templates import template_for

    path = folder / "reveal.db"
    copy_store(Path(db_url.removeprefix("sqlite:///")), path)
    rng = random.Random(20261123)
    with Store(f"sqlite:///{path}") as store:
        template = template_for(store.session(SESSION), store)
        block = template.block(REVEAL_BLOCK)
        for token in tokens:
            scores = {
                q.id: rng.randint(q.scale_min, q.scale_max)
                for q in block.questions
                if q.kind == "scale"
            }
            rows = answers_from_mapping(template, {REVEAL_BLOCK: scores})
            store.append(store.participant(SESSION, token), rows)
        store.set_revealed(SESSION, REVEAL_BLOCK, False)
        return len(store.participants(SESSION))


def worker_computations(text: str) -> list[dict[str, Any]]:
    """What the worker logged it computed (one line per payload written)."""
    return [
        {
            "key": f"{m.group(1)}/{m.group(2)} ({m.group(3)})",
            "state": m.group(4),
            "seconds": float(m.group(5)),
            "failed": bool(m.group(6)),
        }
        for m in WORKER_LINE.finditer(text)
    ]


LOG_PROBLEM = re.compile(r"^\[(?:W|E|C) |Traceback|\b(?:ERROR|WARNING|CRITICAL)\b|Error\b")


# Voilà says these on every start or first page: known, and not about the burst.
LOG_NOISE = re.compile(r"is not trusted|websocket_ping_timeout")


def log_problems(text: str) -> list[str]:
    """Warnings and errors in a server log (Voilà, kernels and the worker write there)."""
    return [
        line.strip()[:240]
        for line in text.splitlines()
        if LOG_PROBLEM.search(line) and not LOG_NOISE.search(line)
    ]


def cache_rows(db_path: Path, block: str) -> dict[str, Any]:
    """What the store says about the block: cache rows (the newest only is kept) and asks."""
    import sqlite3

    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT worker, seconds, state, length(payload), computed_at FROM results_cache"
            " WHERE session = ? AND block = ?",
            (SESSION, block),
        ).fetchall()
        asks, first, last = db.execute(
            "SELECT COUNT(*), MIN(asked_at), MAX(asked_at) FROM results_requests"
            " WHERE session = ? AND block = ?",
            (SESSION, block),
        ).fetchone()
    db.close()
    return {
        "rows": [
            {
                "worker": w,
                "seconds": s,
                "state": st,
                "payload_bytes": size,
                "computed_at": datetime.fromisoformat(at).timestamp(),
            }
            for w, s, st, size, at in rows
        ],
        "requests": asks,
        "first_request_at": first,
        "last_request_at": last,
    }


@dataclass
class Reveal:
    n: int
    visitors: list[Visitor]
    open_s: float = 0.0
    button_s: list[float] = field(default_factory=list)
    chart_s: list[float] = field(default_factory=list)
    chart_browser_s: list[float] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    memory_before: dict[str, Any] = field(default_factory=dict)
    memory_after: dict[str, Any] = field(default_factory=dict)
    computations: list[dict[str, Any]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    log_problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load: list[float] = field(default_factory=list)
    click_wall: float = 0.0  # time.time() of the clicks
    traffic: dict[str, float] = field(default_factory=dict)  # per page, click to chart
    shared_as: str = "trainer"  # "trainer": as the trainer screen shares; "store": cold

    def timeline(self) -> dict[str, float]:
        """Seconds after the clicks: first and last ask in the store, the worker's
        computation (start, end: the payload in the cache), first and last chart."""
        cache, at = self.cache, self.click_wall
        out: dict[str, float] = {}
        if cache.get("first_request_at"):
            out["first_request"] = cache["first_request_at"] - at
            out["last_request"] = cache["last_request_at"] - at
        if cache.get("rows"):
            row = cache["rows"][-1]
            out["worker_start"] = row["computed_at"] - row["seconds"] - at
            out["worker_done"] = row["computed_at"] - at
        if self.chart_s:
            out["first_chart"] = min(self.chart_s)
            out["last_chart"] = max(self.chart_s)
        return out

    def summary(self) -> dict[str, Any]:
        def stats(values: list[float]) -> dict[str, float] | None:
            if not values:
                return None
            return {"median": statistics.median(values), "max": max(values), "n": len(values)}

        clients = [v for v in self.visitors if v.via == "client"]
        return {
            "n": self.n,
            "shared_as": self.shared_as,
            "served": stats([v.widget_s for v in clients if v.widget_s is not None]),
            "served_html": stats([v.html_s for v in clients if v.html_s is not None]),
            "timeline": self.timeline(),
            "traffic": self.traffic,
            "button": stats(self.button_s),
            "chart_client": stats(self.chart_s),
            "chart_browser": stats(self.chart_browser_s),
            "cpu_s": self.cpu,
            "memory_before": self.memory_before,
            "memory_after": self.memory_after,
            "computations": self.computations,
            "cache": self.cache,
            "log_problems": self.log_problems,
            "notes": self.notes,
            "errors": [f"{v.index} {v.via}: {v.error}" for v in self.visitors if v.error],
            "loadavg": self.load,
        }


def reveal_memory(
    server: Server, participants: list[psutil.Process], participant_ids: set[str]
) -> dict[str, Any]:
    """PSS (and RSS, USS) of participant kernels, waiting pool kernels, server and worker."""
    mine = [m for m in map(kernel_memory, participants) if m is not None]
    pool = []
    for kernel in server.kernels():
        command = " ".join(kernel.cmdline()) if kernel.is_running() else ""
        if any(f"kernel-{kid}.json" in command for kid in participant_ids):
            continue
        memory = kernel_memory(kernel)
        if memory is not None:
            pool.append(memory)

    def median(items: list[dict[str, int]], key: str) -> float:
        return statistics.median(item[key] for item in items) if items else 0.0

    return {
        "participants": len(mine),
        "participant_kernel_median": {k: median(mine, k) for k in ("rss", "uss", "pss")},
        "participant_kernel_max": {k: max((m[k] for m in mine), default=0) for k in ("pss",)},
        "participants_pss_total": sum(m["pss"] for m in mine),
        "pool_waiting": len(pool),
        "pool_kernel_median": {k: median(pool, k) for k in ("rss", "uss", "pss")},
        "server": server.memory(),
        "worker": kernel_memory(server.worker()),
    }


def reveal_cpu(server: Server, participants: list[psutil.Process]) -> dict[str, float]:
    """CPU seconds so far: server (alone), the participants' kernels, the worker, Chromium."""

    def used(process: psutil.Process | None, children: bool = False) -> float:
        if process is None:
            return 0.0
        try:
            times = process.cpu_times()
            extra = 0.0
            if children:
                extra = sum(used(child) for child in process.children(recursive=True))
            return times.user + times.system + extra
        except psutil.Error:
            return 0.0

    everything = cpu_seconds(server)
    machine = psutil.cpu_times()
    return {
        # every process on the machine (other work too): what the measured ones competed with
        "machine": sum(machine) - machine.idle - getattr(machine, "iowait", 0.0),
        "server": everything["server"],
        "participant_kernels": sum(used(p) for p in participants),
        "all_kernels": everything["kernels"],
        "worker": used(server.worker(), children=True),
        "bench": everything["bench"],
        "chromium": everything["chromium"],
    }


# Every Voilà 0.5 page warns about these at load (JupyterLab 4.2 in Voilà's page, widgets
# built against 4.6): known, and not about group results.
CONSOLE_NOISE = re.compile(r"satisf(ying|ied) version", re.IGNORECASE)


def console_note(msg: Any) -> str:
    """A Chromium console message worth reporting ('' for the rest)."""
    if msg.type not in ("error", "warning") or CONSOLE_NOISE.search(msg.text):
        return ""
    return f"Chromium console {msg.type}: {msg.text}"[:200]


def problem_texts() -> dict[str, str]:
    """What a page says when the results do not come (from the messages catalogue)."""
    from netwerk_widgets.messages import messages

    m = messages("nl")
    return {key: m(key) for key in ("worker.unavailable", "worker.failed", "worker.stale")}


def page_notes(conn: KernelClient, start: int) -> list[str]:
    """Errors a page got after ``start``: tracebacks, stderr, the catalogue's warnings."""
    notes = []
    texts = problem_texts()
    for message in conn.messages[start:]:
        kind = message.get("msg_type")
        content = message.get("content", {})
        if kind == "error":
            notes.append(f"kernel error {content.get('ename')}: {content.get('evalue')}"[:200])
        elif kind == "stream" and content.get("name") == "stderr":
            notes.append(f"stderr: {content.get('text', '').strip()}"[:200])
        elif kind in ("comm_open", "comm_msg"):
            value = str((content.get("data") or {}).get("state", {}).get("value", ""))
            for key, text in texts.items():
                if text and (text[:40] in value or html.escape(text[:40]) in value):
                    notes.append(f"pagina toont {key}")
    return sorted(set(notes))


async def wait_button_client(visitor: Visitor, start: int, t0: float) -> None:
    """Until the page shows the button (its own layout's ``display`` is no longer none)."""
    conn = visitor.conn
    assert conn is not None
    button = conn.find("ButtonModel", description="Toon groepsresultaten")
    layout = str(conn.models[button].get("layout", "")).removeprefix("IPY_MODEL_")

    def visible(message: dict[str, Any]) -> bool:
        content = message.get("content", {})
        state = (content.get("data") or {}).get("state", {})
        return (
            content.get("comm_id") == layout and "display" in state and state["display"] != "none"
        )

    if conn.models.get(layout, {}).get("display") == "none":
        await conn.wait_for(visible, start)
    visitor.moves["button"] = time.perf_counter() - t0


async def wait_chart_client(visitor: Visitor, output: str, start: int, t0: float) -> None:
    """Until the output shows the block (``nw-shows-<block>``) with an SVG chart in it."""
    conn = visitor.conn
    assert conn is not None
    seen = {"svg": False}

    def shown(message: dict[str, Any]) -> bool:
        if message.get("msg_type") not in ("comm_open", "comm_msg"):
            return False
        content = message["content"]
        state = (content.get("data") or {}).get("state", {})
        if "<svg" in str(state.get("value", "")):
            seen["svg"] = True
        classes = state.get("_dom_classes", ())
        return content.get("comm_id") == output and f"nw-shows-{REVEAL_BLOCK}" in classes

    await conn.wait_for(shown, start)
    if not seen["svg"]:
        raise RuntimeError("resultaten zonder grafiek: " + "; ".join(page_notes(conn, start)))
    visitor.moves["chart"] = time.perf_counter() - t0


async def reveal_burst(
    browser: Any,
    server: Server,
    n: int,
    browsers: int,
    tokens: list[str],
    db_path: Path,
    browser_nice: int = BROWSER_NICE,
    as_trainer: bool = True,
) -> Reveal:
    """Open N pages on the block, wait for a full pool, share the block, all click at once.

    ``as_trainer``: the block is shared as the trainer screen shares it (which also asks the
    worker for its results at once); else only the store's reveal (``netwerk`` scripts, a
    cold cache until the first click).
    """
    query = f"?sessie={SESSION}&deelnemer={{token}}&blok={REVEAL_BLOCK}"
    visitors = []
    for i in range(n):
        url = f"{server.url}/voila/render/{PARTICIPANT_NOTEBOOK}" + query.format(token=tokens[i])
        visitors.append(Visitor(i, "personal", "browser" if i < browsers else "client", url))
    console: list[str] = []
    for visitor in visitors:
        if visitor.via == "browser":
            visitor.context = await browser.new_context(viewport={"width": 420, "height": 900})
            visitor.page = page = await visitor.context.new_page()
            page.set_default_timeout(TIMEOUT_S * 1000)
            page.on("console", lambda msg: console.append(console_note(msg)))
            page.on("pageerror", lambda exc: console.append(f"Chromium pageerror: {exc}"[:200]))
    lower_priority_of_chromium(browser_nice)
    result = Reveal(n, visitors)
    log_start = len(server.log_text())

    async def step(visitor: Visitor, action: Any, what: str) -> None:
        await visitor.attempt(action, what)

    async def everyone(make: Any, what: str) -> None:
        group = [v for v in visitors if not v.error]
        await asyncio.wait_for(
            asyncio.gather(*(step(v, make(v), what) for v in group)), TIMEOUT_S + 30
        )

    # 1. Everyone opens their personal link on the block (not shared yet) at once.
    log(f"  onthullen, {n} tegelijk: pagina's openen ...")
    t0 = time.perf_counter()
    await everyone(
        lambda v: (
            browser_visit(v, t0)
            if v.via == "browser"
            else client_visit(v, PARTICIPANT_NOTEBOOK, server.port, t0)
        ),
        "openen",
    )
    result.open_s = time.perf_counter() - t0
    for visitor in visitors:
        if visitor.conn is not None and not visitor.error:
            try:
                visitor.conn.find("ButtonModel", description="Toon groepsresultaten")
                visitor.conn.find("VBoxModel", _dom_classes="nw-group-output")
            except LookupError as exc:
                visitor.error = f"geen groepspaneel: {exc}"
    # 2. The pool refills (as it would long before a trainer reveals), then a quiet moment.
    await asyncio.to_thread(server.wait_pool)
    await asyncio.sleep(2)
    ids = {v.kernel_id for v in visitors if v.kernel_id}
    kernels = [p for p in map(server.kernel_process, sorted(ids)) if p is not None]
    result.memory_before = reveal_memory(server, kernels, ids)

    # 3. The trainer shares the block; every page's poller shows the button (every 4 s).
    cpu = reveal_cpu(server, kernels)
    starts = {v.index: len(v.conn.messages) for v in visitors if v.conn is not None}
    t_reveal = time.perf_counter()
    with Store(f"sqlite:///{db_path}") as store:
        store.set_revealed(SESSION, REVEAL_BLOCK, True)
        if as_trainer:  # what the trainer screen's share switch does: the worker starts now
            store.request_results(SESSION, REVEAL_BLOCK, REVEAL_LANGUAGE)

    async def button(visitor: Visitor) -> None:
        if visitor.via == "browser":
            await visitor.page.get_by_role("button", name="Toon groepsresultaten").wait_for(
                state="visible"
            )
            visitor.moves["button"] = time.perf_counter() - t_reveal
        else:
            await wait_button_client(visitor, starts[visitor.index], t_reveal)

    await everyone(button, "knop na onthullen")
    result.button_s = [v.moves["button"] for v in visitors if "button" in v.moves]

    # 4. Everyone presses the button at the same moment.
    log(f"  onthullen, {n} tegelijk: allen klikken ...")
    received = {}
    for visitor in visitors:
        if visitor.conn is not None:
            starts[visitor.index] = len(visitor.conn.messages)
            received[visitor.index] = visitor.conn.received
    cpu_click = reveal_cpu(server, kernels)
    first_chart: dict[str, float] = {}
    result.click_wall = time.time()
    t_click = time.perf_counter()
    for visitor in visitors:
        if visitor.conn is not None and not visitor.error:
            visitor.conn.click(
                visitor.conn.find("ButtonModel", description="Toon groepsresultaten")
            )

    async def chart(visitor: Visitor) -> None:
        if visitor.via == "browser":
            page = visitor.page
            await page.get_by_role("button", name="Toon groepsresultaten").click()
            await page.locator(SHOWN_JS.format(block=REVEAL_BLOCK)).first.wait_for(state="visible")
            visitor.moves["chart"] = time.perf_counter() - t_click
        else:
            output = visitor.conn.find("VBoxModel", _dom_classes="nw-group-output")
            await wait_chart_client(visitor, output, starts[visitor.index], t_click)
            if not first_chart:  # the payload is there: waiting ends, showing begins
                first_chart.update(reveal_cpu(server, kernels))

    await everyone(chart, "groepsresultaten")
    done = reveal_cpu(server, kernels)
    result.chart_s = [
        v.moves["chart"] for v in visitors if "chart" in v.moves and v.via == "client"
    ]
    result.chart_browser_s = [
        v.moves["chart"] for v in visitors if "chart" in v.moves and v.via == "browser"
    ]
    result.cpu = {key: done[key] - cpu_click[key] for key in done}
    result.cpu["reveal_to_click"] = {key: cpu_click[key] - cpu[key] for key in done}
    if first_chart:
        result.cpu["click_to_first_chart"] = {k: first_chart[k] - cpu_click[k] for k in done}
    result.cpu["click_to_last_s"] = time.perf_counter() - t_click
    result.load = [round(x, 2) for x in os.getloadavg()]
    clients = [v for v in visitors if v.conn is not None and "chart" in v.moves]
    if clients:
        result.traffic = {
            "messages": statistics.median(len(v.conn.messages) - starts[v.index] for v in clients),
            "kb": statistics.median((v.conn.received - received[v.index]) / 1024 for v in clients),
        }

    # 5. After viewing: memory of the same kernels, what the worker did, what pages said.
    await asyncio.sleep(REVEAL_SETTLE_S)
    result.memory_after = reveal_memory(server, kernels, ids)
    text = server.log_text()[log_start:]
    result.computations = worker_computations(text)
    result.log_problems = log_problems(text)
    result.cache = await asyncio.to_thread(cache_rows, db_path, REVEAL_BLOCK)
    notes = {note for note in console if note}
    for visitor in visitors:
        if visitor.conn is not None:
            notes.update(page_notes(visitor.conn, starts[visitor.index]))
    result.notes = sorted(notes)
    return result


async def run_reveal(
    browser: Any, args: argparse.Namespace, folder: Path, tokens: list[str], report: dict
) -> None:
    """For each N: a fresh store copy and a fresh server (cold cache), then the reveal."""
    served = folder / "workbooks"
    template_db = folder / "reveal.db"
    for n in args.reveal:
        db_path = folder / f"reveal-{n}.db"
        copy_store(template_db, db_path)
        log(f"Server zoals `make run`, verse opslag, voor onthullen aan {n} ...")
        server = await asyncio.to_thread(
            Server, served, f"sqlite:///{db_path}", folder / f"voila-reveal-{n}.log"
        )
        report["servers"].append(server_info(server, f"onthullen N={n}"))
        try:
            deadline = time.monotonic() + 120
            while "ready in" not in server.log_text():  # the worker warmed up
                if time.monotonic() > deadline:
                    log("  let op: worker niet klaar na 120 s")
                    break
                await asyncio.sleep(0.5)
            log(f"  pool vol na {server.startup_s:.0f} s")
            # Which files a page loads, and a warm server (one page, not counted).
            query = f"?sessie={SESSION}&deelnemer=demo-anouk&blok={FIRST_BLOCK}"
            await record_resources(browser, server, PARTICIPANT_NOTEBOOK, query)
            result = await reveal_burst(
                browser,
                server,
                n,
                args.browsers,
                tokens,
                db_path,
                args.browser_nice,
                as_trainer=args.reveal_as == "trainer",
            )
            result.shared_as = args.reveal_as
            report["reveals"].append(result.summary())
            log_reveal(result)
            for visitor in result.visitors:
                if visitor.conn is not None:
                    visitor.conn.close()
                if visitor.context is not None:
                    await visitor.context.close()
        finally:
            await asyncio.to_thread(server.stop)
            report["reveal_log_problems"][str(n)] = log_problems(server.log_text())


def log_reveal(result: Reveal) -> None:
    s = result.summary()
    chart = s["chart_client"]
    text = "    grafiek " + (
        f"{chart['median']:.2f} / {chart['max']:.2f} s (mediaan / max)" if chart else "–"
    )
    if s["chart_browser"]:
        text += f"; Chromium {s['chart_browser']['max']:.2f} s"
    text += f"; {len(s['computations'])} berekening(en)"
    log(text)
    for error in s["errors"]:
        log(f"    FOUT {error}")
    for note in s["notes"]:
        log(f"    let op: {note}")


def mb(value: float) -> str:
    return f"{value / MB:.0f} MB"


def timeline_text(r: dict[str, Any]) -> str:
    """Where the time went, after the clicks (and the CPU until the first chart)."""
    t = r["timeline"]
    names = (
        ("first_request", "eerste vraag in de opslag"),
        ("last_request", "laatste vraag"),
        ("worker_start", "worker begint"),
        ("worker_done", "resultaat in de cache"),
        ("first_chart", "eerste grafiek"),
        ("last_chart", "laatste grafiek"),
    )
    text = "na de klik: " + ", ".join(f"{name} {t[key]:.2f} s" for key, name in names if key in t)
    cpu = r["cpu_s"]
    if "machine" in cpu:
        ours = cpu["server"] + cpu["all_kernels"] + cpu["worker"] + cpu["bench"] + cpu["chromium"]
        text += (
            f"; de machine rekende in die {cpu['click_to_last_s']:.1f} s {cpu['machine']:.1f} "
            f"CPU-s (van {(os.cpu_count() or 1) * cpu['click_to_last_s']:.1f} mogelijk), deze "
            f"meting {ours:.1f}"
        )
    wait = r["cpu_s"].get("click_to_first_chart")
    if wait:
        text += (
            f"; CPU tot de eerste grafiek: server {wait['server']:.2f} s, deelnemerkernels "
            f"{wait['participant_kernels']:.2f} s, worker {wait['worker']:.2f} s"
        )
    return text


def reveal_table(reveals: list[dict[str, Any]]) -> str:
    sizes = [r["n"] for r in reveals]
    by_n = {r["n"]: r for r in reveals}

    def row(label: str, make: Any) -> str:
        cells = []
        for n in sizes:
            try:
                cells.append(make(by_n[n]))
            except (TypeError, KeyError, ZeroDivisionError):
                cells.append("–")
        return f"| {label} | " + " | ".join(cells) + " |"

    def secs(key: str, stat: str) -> Any:
        return lambda r: f"{r[key][stat]:.1f} s"

    def per(key: str) -> Any:
        return lambda r: f"{r['cpu_s'][key] / r['n'] * 1000:.0f} ms"

    def pss(when: str) -> Any:
        return lambda r: mb(r[when]["participant_kernel_median"]["pss"])

    def ratio(r: dict[str, Any]) -> str:
        after = r["memory_after"]["participant_kernel_median"]["pss"]
        return f"{after / r['memory_before']['participant_kernel_median']['pss']:.2f}x"

    lines = [
        "| onthullen, N tegelijk | " + " | ".join(f"N={n}" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
        row("klik tot grafiek, langzaamste", secs("chart_client", "max")),
        row("klik tot grafiek, mediaan", secs("chart_client", "median")),
        row("idem, Chromium tekent de grafiek", secs("chart_browser", "max")),
        row("onthullen tot knop zichtbaar, langzaamste", secs("button", "max")),
        row("CPU server per deelnemer", per("server")),
        row("CPU kernel per deelnemer", per("participant_kernels")),
        row("CPU worker (hele onthulling)", lambda r: f"{r['cpu_s']['worker']:.1f} s"),
        row("berekeningen door de worker", lambda r: str(len(r["computations"]))),
        row("PSS kernel, alleen meedoen", pss("memory_before")),
        row("PSS kernel na groepsresultaten", pss("memory_after")),
        row("verhouding", ratio),
        row("PSS worker", lambda r: mb(r["memory_after"]["worker"]["pss"])),
        row("PSS server", lambda r: mb(r["memory_after"]["server"]["pss"])),
    ]
    return "\n".join(lines)


def reveal_verdict(reveals: list[dict[str, Any]]) -> str:
    lines = ["Doelen (onthullen):"]
    for r in reveals:
        chart = r["chart_client"] or r["chart_browser"]  # N=1: the one page is Chromium
        target = REVEAL_TARGET_S.get(r["n"])
        before_s = REVEAL_BEFORE_S.get(r["n"])
        if before_s and chart:
            lines.append(
                f"- {r['n']} tegelijk, klik tot grafiek: {chart['max']:.1f} s (eerder, toen elke "
                f"kernel zelf rekende: {before_s:g} s)"
            )
        if target and chart:
            ok = chart["max"] <= target and not r["errors"]
            lines.append(
                f"- {r['n']} tegelijk, klik tot grafiek <= {target:g} s: {chart['max']:.1f} s, "
                + ("gehaald" if ok else "NIET gehaald")
            )
        before = r["memory_before"]["participant_kernel_median"]["pss"]
        after = r["memory_after"]["participant_kernel_median"]["pss"]
        if before:
            ok = after <= REVEAL_PSS_RATIO * before
            lines.append(
                f"- N={r['n']}: PSS kernel na groepsresultaten <= {REVEAL_PSS_RATIO:g}x alleen "
                f"meedoen: {mb(after)} / {mb(before)} = {after / before:.2f}x, "
                + ("gehaald" if ok else "NIET gehaald")
                + f" (eerder ~{REVEAL_BEFORE_PSS_MB} MB na groepsresultaten)"
            )
        count = len(r["computations"])
        lines.append(
            f"- N={r['n']}: de worker rekende {count} keer"
            + (
                " ("
                + ", ".join(f"{c['key']} {c['seconds']:.2f} s" for c in r["computations"])
                + ")"
                if count
                else ""
            )
            + f"; {r['cache']['requests']} vragen in de opslag"
        )
    return "\n".join(lines)


def reveal_memory_text(reveals: list[dict[str, Any]], groups: tuple[int, ...] = (100,)) -> str:
    """What a workshop of ``groups`` participants needs, from the biggest reveal of this run."""
    r = max(reveals, key=lambda r: r["n"])
    after, before = r["memory_after"], r["memory_before"]
    per = after["participant_kernel_median"]["pss"]
    waiting = before["pool_kernel_median"]["pss"] or after["pool_kernel_median"]["pss"]
    server, worker = after["server"]["pss"], (after["worker"] or {}).get("pss", 0)
    lines = [
        f"- gemeten bij {r['n']}: server PSS {mb(server)}, worker PSS {mb(worker)}, kernel "
        f"alleen meedoen {mb(before['participant_kernel_median']['pss'])}, na "
        f"groepsresultaten {mb(per)}, wachtende poolkernel {mb(waiting)}"
    ]
    for group in groups:
        total = server + worker + group * (per + waiting)
        lines.append(
            f"- geschat voor {group} deelnemers (pool {group}): {total / 1024 / MB:.1f} GB "
            f"(server + worker + {group} kernels met groepsresultaten + {group} wachtende)"
        )
    return "\n".join(lines)


# --- the whole run ----------------------------------------------------------------------


def prepare(folder: Path, count: int) -> tuple[Path, str, list[str]]:
    """A served copy of the workbooks plus the baseline, and a demo store with tokens."""
    served = folder / "workbooks"
    served.mkdir()
    for notebook in (ROOT / "workbooks").glob("*.ipynb"):
        shutil.copy(notebook, served / notebook.name)
    shutil.copy(BASELINE_NOTEBOOK, served / BASELINE_NOTEBOOK.name)
    db_url = f"sqlite:///{folder / 'burst.db'}"
    with Store(db_url) as store:
        load_demo(store)
        tokens = [store.join(SESSION, f"Bench {i:02d}").token for i in range(count)]
        from netwerk_widgets.templates import template_for

        template = template_for(store.session(SESSION), store)
        BLOCK_TITLES[:] = [template.t(block.title) for block in template.blocks]
    return served, db_url, tokens


async def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    sizes = args.sizes
    served, db_url, tokens = prepare(folder, max([*sizes, *(args.reveal or [])]))
    report: dict[str, Any] = {"bursts": [], "servers": [], "reveals": [], "reveal_log_problems": {}}
    if args.reveal:
        report["reveal_group"] = prepare_reveal(folder, db_url, tokens)

    async def bursts(server: Server, trainer: Any) -> None:
        plan = [
            ("join", sizes),
            ("personal", [n for n in sizes if n in args.personal_sizes]),
            ("button", sizes),
        ]
        for kind, counts in plan:
            if kind not in args.kinds:
                continue
            for n in counts:
                result = await burst(
                    browser,
                    server,
                    kind,
                    n,
                    args.browsers,
                    tokens,
                    trainer if kind == "join" else None,
                    browser_nice=args.browser_nice,
                )
                report["bursts"].append(result.summary())
                log_burst(result)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        lower_priority_of_chromium(args.browser_nice)
        try:
            if args.reveal:
                await run_reveal(browser, args, folder, tokens, report)
                return report
            log("Server zoals `make run` (pools uit share/config/voila.json) ...")
            server = await asyncio.to_thread(Server, served, db_url, folder / "voila-a.log")
            report["servers"].append(server_info(server, "make run"))
            log(
                f"  pool vol na {server.startup_s:.0f} s: {server.pools}, "
                f"fill_delay {server.fill_delay:g} s"
            )
            try:
                trainer = await open_trainer(browser, server)
                query = f"?sessie={SESSION}&deelnemer={tokens[0]}&blok={FIRST_BLOCK}"
                await record_resources(browser, server, PARTICIPANT_NOTEBOOK, query)
                await record_resources(browser, server, BASELINE_NOTEBOOK.name, "")
                log(f"  een pagina laadt {len(RESOURCES[PARTICIPANT_NOTEBOOK])} bestanden")
                await bursts(server, trainer)
                await trainer.context.close()
            finally:
                await asyncio.to_thread(server.stop)

            n = args.big_pool
            if n and n in sizes:
                log(f"Server met NETWERK_POOL_SIZE={n} ...")
                server = await asyncio.to_thread(Server, served, db_url, folder / "voila-b.log", n)
                report["servers"].append(server_info(server, f"NETWERK_POOL_SIZE={n}"))
                log(f"  pool vol na {server.startup_s:.0f} s")
                try:
                    trainer = await open_trainer(browser, server)
                    trainer_kernel = await trainer.evaluate(KERNEL_ID_JS)
                    result = await burst(
                        browser,
                        server,
                        "join",
                        n,
                        args.browsers,
                        tokens,
                        trainer,
                        keep=True,
                        browser_nice=args.browser_nice,
                    )
                    result.memory = measure_memory(server, result, trainer_kernel)
                    report["bursts"].append(result.summary())
                    log_burst(result)
                    await close_burst(server, result)
                    await trainer.context.close()
                finally:
                    await asyncio.to_thread(server.stop)
        finally:
            await browser.close()
    return report


def server_info(server: Server, label: str) -> dict[str, Any]:
    return {
        "label": label,
        "pools": server.pools,
        "fill_delay_s": server.fill_delay,
        "startup_s": server.startup_s,
    }


def stat_text(summary: dict[str, Any], key: str) -> str:
    value = summary.get(key)
    return "–" if not value else f"{value['median']:.2f} / {value['max']:.2f} s"


MOVES = (
    ("move_busy", "blok, allen tegelijk, pool vult bij"),
    ("move_quiet", "blok, allen tegelijk, pool vol"),
    ("move_alone", "blok, één pagina"),
)


def log_burst(result: Burst) -> None:
    s = result.summary()
    text = f"    eerste widget {stat_text(s, 'first_widget')} (mediaan / max)"
    if s["join"]:
        text += f"; meedoen {stat_text(s, 'join')}"
    for key, name in MOVES:
        if s[key]:
            text += f"; {name} {stat_text(s, key)}"
    log(text)
    for error in s["errors"]:
        log(f"    FOUT {error}")


# --- report -----------------------------------------------------------------------------


def row_label(notebook: str, kind: str, pool: int) -> str:
    if kind == "button":
        return f"`{notebook}` basislijn, niet voorverwarmd"
    return f"`{notebook}` {KINDS[kind][2]}, pool {pool}"


def rows(report: dict[str, Any]) -> dict[str, dict[int, dict[str, Any]]]:
    lines: dict[str, dict[int, dict[str, Any]]] = {}
    for b in report["bursts"]:
        lines.setdefault(row_label(b["notebook"], b["kind"], b["pool"]), {})[b["n"]] = b
    return lines


def cell(summary: dict[str, Any] | None, key: str = "first_widget_client") -> str:
    if summary is None or summary.get(key) is None:
        return "–"
    errors = len(summary["errors"])
    return f"{summary[key]['max']:.1f} s" + (f" ({errors} fout)" if errors else "")


def table(report: dict[str, Any], sizes: list[int], key: str = "first_widget_client") -> str:
    lines = [
        "| pagina | " + " | ".join(f"N={n}" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for label, by_n in rows(report).items():
        cells = [cell(by_n.get(n), key) for n in sizes]
        if any(c != "–" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def details(report: dict[str, Any]) -> str:
    lines = []
    for b in report["bursts"]:
        parts = [f"{row_label(b['notebook'], b['kind'], b['pool'])}, N={b['n']}:"]
        for key, name in (
            ("first_widget_browser", "Chromium"),
            ("first_widget_client", "client"),
            ("html", "HTML"),
            ("join", "meedoen"),
            *MOVES,
        ):
            if b.get(key):
                parts.append(f"{name} {stat_text(b, key)}")
        cpu = b.get("cpu_s")
        if cpu:
            parts.append(
                f"CPU server {cpu['server']:.1f} s, kernels {cpu['kernels']:.1f} s, "
                f"bench {cpu['bench']:.1f} s, Chromium {cpu['chromium']:.1f} s"
            )
        if b.get("trainer") and b["trainer"]["joins"]:
            t = b["trainer"]
            delay = "–" if t["max_delay_s"] is None else f"{t['max_delay_s']:.1f} s"
            parts.append(f"trainer zag {t['joins']} aanmeldingen, uiterlijk {delay} later")
            if t["missing"]:
                parts.append(f"{t['missing']} NIET")
        for error in b["errors"]:
            parts.append(f"FOUT {error}")
        lines.append("- " + "; ".join(parts))
    return "\n".join(lines)


def memory_text(memory: dict[str, Any]) -> str:
    server = memory["server"]
    per, waiting = memory["participant_kernel_median"], memory["pool_kernel_median"]
    n = memory["participants"]
    lines = [
        f"- Voilà-server: RSS {server['rss'] / MB:.0f} MB, PSS {server['pss'] / MB:.0f} MB",
        f"- {n} deelnemerkernels: per stuk RSS {per['rss'] / MB:.0f} MB, USS "
        f"{per['uss'] / MB:.0f} MB, PSS {per['pss'] / MB:.0f} MB; samen PSS "
        f"{memory['participants_total']['pss'] / MB:.0f} MB",
        f"- {memory['pool_waiting']} wachtende poolkernels: per stuk USS "
        f"{waiting['uss'] / MB:.0f} MB, PSS {waiting['pss'] / MB:.0f} MB; samen PSS "
        f"{memory['pool_total']['pss'] / MB:.0f} MB",
        f"- alles samen (PSS van server en alle kernels): {memory['all_pss'] / MB:.0f} MB",
    ]
    base = server["pss"] + memory["trainer_total"]["pss"]
    for group in (100, 200):
        total = base + group * (per["pss"] + waiting["pss"])
        lines.append(
            f"- geschat voor {group} deelnemers (pool {group}): {total / 1024 / MB:.1f} GB "
            f"(server + {group} deelnemerkernels + {group} wachtende kernels)"
        )
    return "\n".join(lines)


def verdict(report: dict[str, Any]) -> str:
    """The issue's goals against this run (the join link, with the pool `make run` has)."""
    lines = ["Doelen:"]
    joins = [b for b in report["bursts"] if b["kind"] == "join"]
    for n, target in TARGET_S.items():
        for b in (b for b in joins if b["n"] == n and b["first_widget_client"]):
            worst = b["first_widget_client"]["max"]
            mark = "gehaald" if worst <= target and not b["errors"] else "NIET gehaald"
            drawn = b.get("first_widget_browser")
            lines.append(
                f"- {n} tegelijk, bediend met eerste widget <= {target:g} s (pool {b['pool']}): "
                f"{worst:.1f} s, {mark}"
                + (
                    f"; Chromium (lage voorrang) tekende hem na {drawn['max']:.1f} s"
                    if drawn
                    else ""
                )
            )
    alone = [b["move_alone"]["max"] for b in joins if b.get("move_alone")]
    quiet = [b["move_quiet"]["max"] for b in joins if b.get("move_quiet")]
    if alone:
        mark = "gehaald" if max(alone) <= MOVE_TARGET_S else "NIET gehaald"
        lines.append(
            f"- blok wisselen <= {MOVE_TARGET_S:g} s (één pagina in Chromium): "
            f"max {max(alone):.2f} s, {mark}"
        )
    if quiet:
        lines.append(f"- blok wisselen, iedereen tegelijk, pool vol: max {max(quiet):.2f} s")
    trainer = [b["trainer"] for b in joins if b.get("trainer") and b["trainer"]["joins"]]
    if trainer:
        missing = sum(t["missing"] for t in trainer)
        delays = [t["max_delay_s"] for t in trainer if t["max_delay_s"] is not None]
        lines.append(
            f"- trainerscherm bleef verversen: {sum(t['joins'] for t in trainer)} aanmeldingen, "
            f"uiterlijk {max(delays):.1f} s later te zien"
            + (f", {missing} NIET gezien" if missing else "")
        )
    return "\n".join(lines)


def print_reveal(report: dict[str, Any], args: argparse.Namespace) -> None:
    reveals = report["reveals"]
    print(
        f"Onthullen: N deelnemers (persoonlijke link, blok {REVEAL_BLOCK}, groep van "
        f"{report.get('reveal_group', '?')}) klikken tegelijk op "
        "'Toon groepsresultaten'; verse opslag en server per N (koude cache); gedeeld "
        + (
            "zoals het trainerscherm deelt; "
            if args.reveal_as == "trainer"
            else "alleen in de opslag; "
        )
        + f"{args.browsers} van de N in Chromium (nice {args.browser_nice}):"
    )
    print()
    print(reveal_table(reveals))
    print()
    print(reveal_verdict(reveals))
    print()
    print("Geheugen:")
    print(reveal_memory_text(reveals))
    print()
    print("Per N:")
    for r in reveals:
        served = r["served"]
        cpu = r["cpu_s"]
        parts = [
            f"N={r['n']}",
            "pagina's bediend (mediaan / max) "
            + (f"{served['median']:.1f} / {served['max']:.1f} s" if served else "–")
            + (
                f", HTML {r['served_html']['median']:.1f} / {r['served_html']['max']:.1f} s"
                if r.get("served_html")
                else ""
            ),
            f"klik tot laatste grafiek {cpu['click_to_last_s']:.1f} s: CPU server "
            f"{cpu['server']:.2f} s, deelnemerkernels {cpu['participant_kernels']:.2f} s, "
            f"alle kernels {cpu['all_kernels']:.2f} s, worker {cpu['worker']:.2f} s, bench "
            f"{cpu['bench']:.2f} s, Chromium {cpu['chromium']:.2f} s",
            f"onthullen tot klik: worker {cpu['reveal_to_click']['worker']:.2f} s, kernels "
            f"{cpu['reveal_to_click']['participant_kernels']:.2f} s",
            timeline_text(r),
            (
                f"per pagina na de klik {r['traffic']['messages']:.0f} berichten, "
                f"{r['traffic']['kb']:.0f} kB"
                if r.get("traffic")
                else ""
            ),
            f"load {r['loadavg'][0]:.1f}" if r["loadavg"] else "",
            "cache: "
            + ", ".join(
                f"{row['worker']} {row['seconds']:.2f} s, {row['payload_bytes'] / 1024:.0f} kB"
                for row in r["cache"]["rows"]
            ),
        ]
        for error in r["errors"]:
            parts.append(f"FOUT {error}")
        for note in r["notes"]:
            parts.append(f"let op: {note}")
        print("- " + "; ".join(p for p in parts if p))
        problems = list(dict.fromkeys(report["reveal_log_problems"].get(str(r["n"]), [])))
        if problems:
            print(f"  serverlog: {len(problems)} verschillende waarschuwingen/fouten, bijv.:")
            for line in problems[:8]:
                print(f"    {line}")


def int_list(text: str) -> list[int]:
    """``"1,10,20"`` -> ``[1, 10, 20]`` (burst sizes on the command line)."""
    return [int(x) for x in text.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="1,10,20,50",
        type=int_list,
        help="burstgroottes (standaard 1,10,20,50)",
    )
    parser.add_argument(
        "--kinds",
        default="join,personal,button",
        type=lambda text: text.split(","),
        help="welke links: join (deelnemerslink), personal, button (basislijn)",
    )
    parser.add_argument(
        "--personal-sizes",
        default="20",
        type=int_list,
        help="burstgroottes voor persoonlijke links (standaard 20)",
    )
    parser.add_argument(
        "--browsers", type=int, default=1, help="bezoekers per burst in Chromium (1)"
    )
    parser.add_argument(
        "--big-pool",
        type=int,
        default=BIG_POOL,
        help=f"een burst van deze grootte met een even grote pool ({BIG_POOL}; 0 = niet)",
    )
    parser.add_argument(
        "--browser-nice",
        type=int,
        default=BROWSER_NICE,
        help=f"nice-waarde van Chromium ({BROWSER_NICE}; 0 = zelfde voorrang als de server)",
    )
    parser.add_argument(
        "--reveal",
        nargs="?",
        const=REVEAL_SIZES,
        default=None,
        type=int_list,
        help="alleen het onthullen meten: N deelnemers openen tegelijk de groepsresultaten "
        f"van {REVEAL_BLOCK} (standaard {','.join(map(str, REVEAL_SIZES))}); zonder deze "
        "optie de bursts van `make bench-burst`",
    )
    parser.add_argument(
        "--reveal-as",
        choices=("trainer", "store"),
        default="trainer",
        help="hoe het blok gedeeld wordt: zoals het trainerscherm (dat de worker meteen laat "
        "rekenen; standaard) of alleen in de opslag (koude cache tot de eerste klik)",
    )
    parser.add_argument(
        "--proxy",
        nargs="?",
        const=BIG_POOL,
        default=None,
        type=int,
        help=f"alleen N deelnemers tegelijk (standaard {BIG_POOL}) via nginx over twee servers, "
        "naast één server in dezelfde run (bench/_proxy_burst.py)",
    )
    parser.add_argument("--json", action="store_true", help="de uitkomst als JSON")
    parser.add_argument("--log-dir", default=None, help="map voor de Voilà-logs (bewaard)")
    args = parser.parse_args(argv)
    if min(args.sizes) < 1 or max(args.sizes) > 200:
        parser.error("burstgroottes van 1 tot 200")
    if set(args.kinds) - set(KINDS):
        parser.error(f"--kinds: kies uit {', '.join(KINDS)}")
    if args.reveal and (min(args.reveal) < 1 or max(args.reveal) > BIG_POOL):
        parser.error(f"--reveal: groottes van 1 tot {BIG_POOL} (de pool van `make run`)")

    started = datetime.now().astimezone()
    wall = time.perf_counter()
    load_before = os.getloadavg()
    if args.proxy:
        from _proxy_burst import print_proxy, run_proxy

        with tempfile.TemporaryDirectory(prefix="netwerk-burst-") as tmp:
            report = asyncio.run(run_proxy(args, Path(tmp)))
        report["loadavg"] = [round(x, 2) for x in (*load_before, *os.getloadavg())]
        report["wall_s"] = time.perf_counter() - wall
        if args.json:
            print(json.dumps(report, indent=2, default=str))
        else:
            print(
                f"Proxymeting {started:%Y-%m-%d %H:%M}, {os.cpu_count()} cores, load "
                f"{load_before[0]:.1f} -> {os.getloadavg()[0]:.1f}, duur "
                f"{report['wall_s'] / 60:.1f} min"
            )
            print_proxy(report)
        return 0
    with tempfile.TemporaryDirectory(prefix="netwerk-burst-") as tmp:
        report = asyncio.run(run(args, Path(tmp)))
        if args.log_dir:
            Path(args.log_dir).mkdir(parents=True, exist_ok=True)
            for path in Path(tmp).glob("voila-*.log"):
                shutil.copy(path, Path(args.log_dir) / path.name)
    report.update(
        {
            "date": started.isoformat(timespec="seconds"),
            "command": (
                "make bench-burst"
                if not args.reveal
                else ".venv/bin/python bench/burst.py --reveal " + ",".join(map(str, args.reveal))
            ),
            "machine": {
                "cores": os.cpu_count(),
                "memory_gb": psutil.virtual_memory().total / 1024**3,
                "platform": platform.platform(),
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in os.getloadavg()],
            },
            "wall_s": time.perf_counter() - wall,
        }
    )
    if args.json:
        print(json.dumps(report, indent=2, default=str))
        return 0
    machine = report["machine"]
    print(
        f"Burstmeting {started:%Y-%m-%d %H:%M}, {machine['cores']} cores, load "
        f"{machine['loadavg_before'][0]:.1f} -> {machine['loadavg_after'][0]:.1f}, duur "
        f"{report['wall_s'] / 60:.1f} min"
    )
    for info in report["servers"]:
        print(
            f"- server ({info['label']}): pools {info['pools']}, fill_delay "
            f"{info['fill_delay_s']:g} s; gestart en pool vol in {info['startup_s']:.0f} s"
        )
    print()
    if args.reveal:
        print_reveal(report, args)
        return 0
    print(
        "Bediend: tijd tot pagina, bestanden en widgets binnen zijn, langzaamste van N "
        "bezoekers die tegelijk beginnen:"
    )
    print()
    print(table(report, args.sizes))
    print()
    print(f"Chromium (nice {args.browser_nice}): tot de eerste widget zichtbaar is:")
    print()
    print(table(report, args.sizes, "first_widget_browser"))
    print()
    for key, name in MOVES[:2]:
        print(f"Blok wisselen ({name.removeprefix('blok, ')}), langzaamste:")
        print()
        print(table(report, args.sizes, key))
        print()
    print(verdict(report))
    print()
    print("Per burst (mediaan / max):")
    print(details(report))
    memory = next((b["memory"] for b in report["bursts"] if b.get("memory")), None)
    if memory:
        print()
        print(f"Geheugen met {memory['participants']} deelnemers:")
        print(memory_text(memory))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
