"""Start-up benchmark: the participant page against a one-button baseline, in one run.

Both pages are served by ONE Voilà server, started the way ``make run`` starts it
(:func:`netwerk_widgets.cli.voila_command` and :func:`~netwerk_widgets.cli.voila_environment`),
from a temporary folder holding a copy of ``workbooks/start.ipynb`` and
``bench/baseline/button.ipynb``, with the demo session in a temporary SQLite store. So the
ratios compare two pages on the same machine, at the same time, under the same template.

Per page load (a fresh browser context each time: a cold page and a new kernel):

* time from the start of ``page.goto`` until the first widget is visible
  (participant: ``.nw-app`` opened through a personal link; baseline: ``.widget-button``);
* RSS and USS of the kernel behind that page at that moment, found among the Voilà
  server's children by the kernel id the page was given.

Loads alternate (participant, baseline, baseline, participant, ...) so drift on a busy machine
hits both; one warm-up load of each is not counted; after each load the bench stops that
page's kernel, so only one page runs at a time. Afterwards a short diagnosis: the extra
import time of ``netwerk_widgets.app`` over a kernel with ``ipywidgets`` (fresh interpreters),
the heaviest extra imports, what building the app costs (time, widgets), and both notebooks
run in a plain kernel (no Voilà, no browser) to split server time from browser time.

    .venv/bin/python bench/startup.py [--repeat 5] [--json] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import psutil
from _server import ROOT, BenchServer, log

from netwerk_widgets import Store
from netwerk_widgets._chromium import CHROMIUM, CHROMIUM_FLAGS
from netwerk_widgets.cli import PARTICIPANT_NOTEBOOK, voila_environment
from netwerk_widgets.demo import load_demo

# Cold starts: this bench compares a fresh kernel per page with the one-button baseline, so
# the preheated pool of `make run` is switched off for its server (bench/burst.py measures it).
os.environ.setdefault("NETWERK_POOL_SIZE", "0")

BASELINE_NOTEBOOK = Path(__file__).resolve().parent / "baseline" / "button.ipynb"

TIME_TARGET = 1.2  # participant / baseline, median time to first widget
MEMORY_TARGET = 1.3  # participant / baseline, kernel RSS and USS

PAGE_TIMEOUT_MS = 60_000
KERNEL_EXIT_TIMEOUT_S = 15
MB = 1024 * 1024


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    notebook: str
    query: str
    selector: str


PARTICIPANT = PageSpec(
    "participant",
    "deelnemer, werkblad (start.ipynb)",
    PARTICIPANT_NOTEBOOK,
    "?sessie=DEMO&deelnemer=demo-anouk&blok=werkblad",
    ".nw-app",
)
BASELINE = PageSpec(
    "baseline", "basislijn (button.ipynb)", BASELINE_NOTEBOOK.name, "", ".widget-button"
)
PAGES = (PARTICIPANT, BASELINE)


@dataclass
class Load:
    """One measured page load."""

    seconds: float
    html_seconds: float  # navigation start until the HTML is complete (server: kernel + run)
    rss: int
    uss: int
    kernel_id: str
    pid: int


@dataclass
class PageResult:
    spec: PageSpec
    loads: list[Load] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(load, attribute) for load in self.loads)

    def minimum(self, attribute: str) -> float:
        return min(getattr(load, attribute) for load in self.loads)

    def summary(self) -> dict[str, Any]:
        return {
            "page": self.spec.notebook + self.spec.query,
            "selector": self.spec.selector,
            "loads": len(self.loads),
            "time_median_s": self.median("seconds"),
            "time_min_s": self.minimum("seconds"),
            "html_median_s": self.median("html_seconds"),
            "rss_median_mb": self.median("rss") / MB,
            "uss_median_mb": self.median("uss") / MB,
            "runs": [asdict(load) for load in self.loads],
        }


# --- the server -------------------------------------------------------------------------


class VoilaServer(BenchServer):
    """One Voilà server, started exactly as ``make run`` does, on a free port."""

    stop_timeout = 15.0

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("Voilà startte niet. Voilà-log (einde):\n" + self.log_tail())

    def page_url(self, spec: PageSpec) -> str:
        return f"{self.url}/voila/render/{spec.notebook}{spec.query}"

    def kernel(self, kernel_id: str) -> psutil.Process:
        """The kernel process started for ``kernel_id``."""
        process = self.kernel_process(kernel_id)
        if process is None:
            raise RuntimeError(f"geen kernelproces gevonden voor kernel {kernel_id}")
        return process

    def shutdown_kernel(self, kernel_id: str) -> None:
        """Ask Voilà to stop a page's kernel (see :meth:`BenchServer.request_shutdown`)."""
        self.request_shutdown(kernel_id, KERNEL_EXIT_TIMEOUT_S)

    def wait_no_kernels(self, timeout: float = KERNEL_EXIT_TIMEOUT_S) -> None:
        """One page at a time: wait until the kernels of earlier loads have gone."""
        _gone, alive = psutil.wait_procs(self.kernels(), timeout=timeout)
        if alive:
            log(f"  let op: {len(alive)} kernel(s) van eerdere pagina's draaien nog")

    def failure(self, spec: PageSpec, page_text: str) -> str:
        """Why a page showed no widget: its text and the end of the Voilà log."""
        return (
            f"{spec.notebook}{spec.query}: geen zichtbaar {spec.selector} binnen "
            f"{PAGE_TIMEOUT_MS // 1000} s.\nPagina: {page_text!r}\nVoilà-log (einde):\n"
            + self.log_tail()
        )


def demo_store_url(folder: Path) -> str:
    """A SQLite store with the demo session in ``folder`` (loaded once)."""
    db_url = f"sqlite:///{folder / 'bench.db'}"
    with Store(db_url) as store:
        load_demo(store)
    return db_url


@contextmanager
def running_server(folder: Path, db_url: str) -> Iterator[VoilaServer]:
    """A served folder with both notebooks and a demo store; always stopped afterwards."""
    served = folder / "workbooks"
    served.mkdir()
    shutil.copy(ROOT / "workbooks" / PARTICIPANT_NOTEBOOK, served / PARTICIPANT_NOTEBOOK)
    shutil.copy(BASELINE_NOTEBOOK, served / BASELINE_NOTEBOOK.name)
    server = VoilaServer(served, db_url, folder / "voila.log")
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


# --- the browser ------------------------------------------------------------------------

KERNEL_ID_JS = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
HTML_DONE_JS = "performance.getEntriesByType('navigation')[0].responseEnd / 1000"


def measure(browser: Any, server: VoilaServer, spec: PageSpec) -> Load:
    """One cold load of a page in a fresh context: time to first widget, kernel memory."""
    server.wait_no_kernels()
    context = browser.new_context(viewport={"width": 420, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        start = time.perf_counter()
        page.goto(server.page_url(spec), wait_until="commit")
        try:
            page.locator(spec.selector).first.wait_for(state="visible")
        except Exception as exc:
            raise RuntimeError(server.failure(spec, page.inner_text("body")[:500])) from exc
        seconds = time.perf_counter() - start
        # Memory at the moment the first widget shows, before anything else happens.
        kernel_id = page.evaluate(KERNEL_ID_JS)
        process = server.kernel(kernel_id)
        memory = process.memory_full_info()
        html_seconds = page.evaluate(HTML_DONE_JS)
        if spec is PARTICIPANT:
            # The personal link must open the workbook itself, not the join form.
            page.locator(".nw-app h1").first.wait_for(state="visible", timeout=10_000)
            if page.locator(".nw-join").count():
                raise RuntimeError("de persoonlijke link toonde het aanmeldformulier")
    finally:
        context.close()
    # One page at a time: stop this page's kernel before the next load starts.
    try:
        server.shutdown_kernel(kernel_id)
        process.wait(KERNEL_EXIT_TIMEOUT_S)
    except (OSError, psutil.Error) as exc:
        log(f"  let op: kernel {kernel_id} stopte niet: {exc}")
    return Load(seconds, html_seconds, memory.rss, memory.uss, kernel_id, process.pid)


def run_pages(repeat: int, folder: Path, db_url: str) -> dict[str, PageResult]:
    from playwright.sync_api import sync_playwright

    results = {spec.key: PageResult(spec) for spec in PAGES}
    with running_server(folder, db_url) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            log(f"Voilà op {server.url}; opwarmen (niet meegeteld) ...")
            for spec in PAGES:
                measure(browser, server, spec)
            for round_ in range(repeat):
                # ABBA: participant first in even rounds, baseline first in odd ones.
                order = PAGES if round_ % 2 == 0 else PAGES[::-1]
                for spec in order:
                    load = measure(browser, server, spec)
                    results[spec.key].loads.append(load)
                    log(
                        f"  ronde {round_ + 1}/{repeat} {spec.key:<11} {load.seconds:6.2f} s  "
                        f"RSS {load.rss / MB:6.1f} MB  USS {load.uss / MB:6.1f} MB"
                    )
        finally:
            browser.close()
    return results


# --- diagnosis: imports and building the app --------------------------------------------

IMPORT_BASE = "import ipywidgets"
# What a kernel has imported before it runs the first cell (asyncio, ssl, ... come with it).
IMPORT_KERNEL = "import ipykernel.kernelapp; import ipywidgets"
IMPORT_APP = IMPORT_KERNEL + "; import netwerk_widgets.app"

BUILD_APP = r"""
import json, sys, time
from collections import Counter
t0 = time.perf_counter()
import ipywidgets as w
from ipywidgets.widgets.widget import _instances
before = set(_instances)  # also counts widgets our modules make when imported
t1 = time.perf_counter()
from netwerk_widgets import open_store
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.templates import template_for

t2 = time.perf_counter()
store = open_store()
t3 = time.perf_counter()
app = ParticipantApp(store)
t4 = time.perf_counter()
widgets = [m for k, m in _instances.items() if k not in before]
assert app.participant is not None, "de persoonlijke link opende het werkboek niet"
state = sum(len(json.dumps(m.get_state(), default=str)) for m in widgets)
t5 = time.perf_counter()
template_for(app.session, store)
t6 = time.perf_counter()
button_before = set(_instances)
w.Button(description="Klik")
heavy = ["pandas", "numpy", "altair", "sqlalchemy", "yaml", "jinja2", "vl_convert"]
print(json.dumps({
    "import_ipywidgets_s": t1 - t0,
    "import_app_s": t2 - t1,
    "open_store_s": t3 - t2,
    "build_app_s": t4 - t3,
    "template_parse_s": t6 - t5,
    "widgets": len(widgets),
    "widgets_baseline": len(set(_instances) - button_before),
    "widget_state_bytes": state,
    "blocks_built": len(app.blocks),
    "blocks": len(app.template.blocks),
    "first_block": app.block_id,
    "widget_kinds": Counter(type(m).__name__ for m in widgets).most_common(6),
    "heavy_modules_loaded": [name for name in heavy if name in sys.modules],
    "modules": len(sys.modules),
}))
"""


def interpreter_seconds(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def import_profile(code: str) -> dict[str, int]:
    """Self time (µs) per module from ``-X importtime``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    times: dict[str, int] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s+(\S+)", line.strip())
        if match:
            times[match.group(3).strip()] = int(match.group(1))
    return times


def diagnose(repeat: int) -> dict[str, Any]:
    """Import times in fresh interpreters: ipywidgets, a kernel with it, and our app."""
    base: list[float] = []
    kernel: list[float] = []
    app: list[float] = []
    for round_ in range(repeat):
        trio = [(IMPORT_BASE, base), (IMPORT_KERNEL, kernel), (IMPORT_APP, app)]
        for code, into in trio if round_ % 2 == 0 else trio[::-1]:
            into.append(interpreter_seconds(code))
    base_profile, app_profile = import_profile(IMPORT_KERNEL), import_profile(IMPORT_APP)
    extra: dict[str, int] = {}
    for module, micros in app_profile.items():
        if module not in base_profile:
            top = module.split(".")[0]
            extra[top] = extra.get(top, 0) + micros
    heaviest = sorted(extra.items(), key=lambda item: -item[1])[:8]

    return {
        "python_ipywidgets_median_s": statistics.median(base),
        "python_kernel_median_s": statistics.median(kernel),
        "python_app_median_s": statistics.median(app),
        "extra_import_median_s": statistics.median(app) - statistics.median(kernel),
        "extra_modules": len(set(app_profile) - set(base_profile)),
        "extra_import_by_package_ms": {name: micros / 1000 for name, micros in heaviest},
    }


def kernel_work(db_url: str) -> dict[str, Any]:
    """What the participant notebook does in its kernel, outside Voilà: also a pre-flight.

    A page whose code fails shows no widget and would only time out in the browser; here
    the traceback is shown straight away.
    """
    env = dict(os.environ, NETWERK_DB_URL=db_url, QUERY_STRING=PARTICIPANT.query.lstrip("?"))
    built = subprocess.run(
        [sys.executable, "-c", BUILD_APP], cwd=ROOT, capture_output=True, text=True, env=env
    )
    if built.returncode != 0:
        tail = "\n".join(built.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"De code van {PARTICIPANT_NOTEBOOK} faalt al buiten Voilà:\n{tail}")
    return json.loads(built.stdout.strip().splitlines()[-1])


def notebook_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def run_in_kernel(code: str, env: dict[str, str]) -> dict[str, float]:
    """Start a python3 kernel, run ``code``: start time, run time, widget comms opened."""
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    manager, client = start_new_kernel(
        kernel_name="python3", env=env, cwd=str(ROOT), stderr=subprocess.DEVNULL
    )
    started = time.perf_counter() - start
    try:
        start = time.perf_counter()
        msg_id = client.execute(code)
        comms, error = 0, None
        while True:
            msg = client.get_iopub_msg(timeout=60)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "comm_open":
                comms += 1
            elif kind == "error":
                error = msg["content"]["evalue"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                break
        ran = time.perf_counter() - start
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    if error:
        raise RuntimeError(f"fout in de kernel: {error}")
    return {"start_s": started, "run_s": ran, "comm_opens": comms}


def kernel_runs(db_url: str, repeat: int) -> dict[str, dict[str, float]]:
    """Both notebooks' code in a plain kernel (no Voilà, no browser), alternating."""
    sources = {
        PARTICIPANT.key: ROOT / "workbooks" / PARTICIPANT_NOTEBOOK,
        BASELINE.key: BASELINE_NOTEBOOK,
    }
    env = voila_environment(db_url)
    runs: dict[str, list[dict[str, float]]] = {key: [] for key in sources}
    for round_ in range(repeat):
        order = PAGES if round_ % 2 == 0 else PAGES[::-1]
        for spec in order:
            page_env = dict(env, QUERY_STRING=spec.query.lstrip("?"))
            runs[spec.key].append(run_in_kernel(notebook_code(sources[spec.key]), page_env))
    return {
        key: {name: statistics.median(run[name] for run in items) for name in items[0]}
        for key, items in runs.items()
    }


# --- report -----------------------------------------------------------------------------


def ratios(results: dict[str, PageResult]) -> dict[str, dict[str, Any]]:
    participant, baseline = results["participant"], results["baseline"]

    def ratio(attribute: str, target: float) -> dict[str, Any]:
        value = participant.median(attribute) / baseline.median(attribute)
        return {"ratio": value, "target": target, "met": value <= target}

    return {
        "time": ratio("seconds", TIME_TARGET),
        "rss": ratio("rss", MEMORY_TARGET),
        "uss": ratio("uss", MEMORY_TARGET),
    }


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def table(report: dict[str, Any]) -> str:
    pages, check = report["pages"], report["ratios"]
    header = (
        "| pagina                   | tijd mediaan | tijd min | HTML klaar | RSS kernel "
        "| USS kernel |\n"
        "|--------------------------|-------------:|---------:|-----------:|-----------:"
        "|-----------:|"
    )
    rows = [header]
    for spec in PAGES:
        page = pages[spec.key]
        rows.append(
            f"| {spec.label:<24} | {page['time_median_s']:10.2f} s | {page['time_min_s']:6.2f} s "
            f"| {page['html_median_s']:8.2f} s | {page['rss_median_mb']:7.1f} MB "
            f"| {page['uss_median_mb']:7.1f} MB |"
        )
    rows.append(
        f"| {'verhouding':<24} | {check['time']['ratio']:11.2f}x | {'':8} | {'':10} "
        f"| {check['rss']['ratio']:9.2f}x | {check['uss']['ratio']:9.2f}x |"
    )
    return "\n".join(rows)


def verdict(report: dict[str, Any]) -> str:
    lines = []
    names = {"time": "tijd tot eerste widget", "rss": "geheugen (RSS)", "uss": "geheugen (USS)"}
    for key, name in names.items():
        item = report["ratios"][key]
        mark = "gehaald" if item["met"] else "NIET gehaald"
        lines.append(f"- {name}: {item['ratio']:.2f}x (doel <= {item['target']}x): {mark}")
    return "\n".join(lines)


def diagnosis_text(diagnosis: dict[str, Any]) -> str:
    work = diagnosis["kernel_work"]
    packages = ", ".join(
        f"{name} {ms:.0f} ms" for name, ms in diagnosis["extra_import_by_package_ms"].items()
    )
    runs = diagnosis["kernel_runs"]
    kinds = ", ".join(f"{count} {name}" for name, count in work["widget_kinds"])
    return "\n".join(
        [
            f"- verse Python: ipywidgets {diagnosis['python_ipywidgets_median_s']:.2f} s; "
            f"ipykernel + ipywidgets {diagnosis['python_kernel_median_s']:.2f} s; "
            f"+ netwerk_widgets.app {diagnosis['python_app_median_s']:.2f} s "
            f"(extra {diagnosis['extra_import_median_s'] * 1000:.0f} ms, "
            f"{diagnosis['extra_modules']} extra modules)",
            f"- zwaarste extra imports (-X importtime, eigen tijd): {packages}",
            f"- in de kernel: open_store {work['open_store_s'] * 1000:.0f} ms, "
            f"ParticipantApp {work['build_app_s'] * 1000:.0f} ms "
            f"(sjabloon opnieuw lezen: {work['template_parse_s'] * 1000:.0f} ms)",
            f"- widgets bij de start: {work['widgets']} (basislijn: {work['widgets_baseline']}), "
            f"~{work['widget_state_bytes'] / 1024:.0f} kB status; "
            f"{work['blocks_built']} van {work['blocks']} blokken gebouwd "
            f"(eerste: {work['first_block']}); meest: {kinds}",
            f"- losse kernel (zonder Voilà en browser), start {runs['participant']['start_s']:.2f}"
            f" / {runs['baseline']['start_s']:.2f} s; cel uitvoeren: deelnemer "
            f"{runs['participant']['run_s'] * 1000:.0f} ms ({runs['participant']['comm_opens']:.0f}"
            f" comm_open), basislijn {runs['baseline']['run_s'] * 1000:.0f} ms "
            f"({runs['baseline']['comm_opens']:.0f} comm_open)",
            "- zware modules geladen na de start: "
            + (", ".join(work["heavy_modules_loaded"]) or "geen"),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="metingen per pagina (5)")
    parser.add_argument("--json", action="store_true", help="de uitkomst als JSON")
    parser.add_argument(
        "--check", action="store_true", help="exitcode 1 als een doel niet gehaald wordt"
    )
    parser.add_argument("--no-diagnose", action="store_true", help="de importdiagnose overslaan")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat moet minstens 1 zijn")

    started = datetime.now().astimezone()
    wall = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="netwerk-bench-") as tmp:
        folder = Path(tmp)
        db_url = demo_store_url(folder)
        work = kernel_work(db_url)
        results = run_pages(args.repeat, folder, db_url)
        diagnosis = None
        if not args.no_diagnose:
            log("Diagnose: importtijden ...")
            diagnosis = {**diagnose(args.repeat), "kernel_work": work}
            log("Diagnose: beide notebooks in een losse kernel ...")
            diagnosis["kernel_runs"] = kernel_runs(db_url, min(args.repeat, 3))
    report: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"),
        "command": "make bench",
        "repeat": args.repeat,
        "machine": machine(),
        "loadavg_before": [round(x, 2) for x in load_before],
        "pages": {key: result.summary() for key, result in results.items()},
        "ratios": ratios(results),
    }
    if diagnosis is not None:
        report["diagnosis"] = diagnosis
    report["wall_s"] = time.perf_counter() - wall

    if args.json:
        print(json.dumps(report, indent=2))
    else:
        info = report["machine"]
        print(
            f"Opstartmeting {started:%Y-%m-%d %H:%M}, {info['cores']} cores, "
            f"{args.repeat} koude laadbeurten per pagina (mediaan), "
            f"load {report['loadavg_before'][0]:.1f} -> {info['loadavg'][0]:.1f}"
        )
        print()
        print(table(report))
        print(
            "(HTML klaar: tot de server de pagina af heeft, na kernelstart en uitvoeren; "
            "de rest is de browser)"
        )
        print()
        print(verdict(report))
        if "diagnosis" in report:
            print()
            print("Diagnose:")
            print(diagnosis_text(report["diagnosis"]))
    met = all(item["met"] for item in report["ratios"].values())
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    raise SystemExit(main())
