"""Screenshots of every participant page at 360 and 1280 px, for people reviewing a change.

``make screenshots`` (or ``.venv/bin/python scripts/screenshots.py``) starts a Voilà server
the way ``make run`` does, on a free port, with the demo in a throwaway store; opens the
front page, the join form, every block of the built-in workbook with its group results and
the trainer screen in Debian's chromium; and saves one full-page PNG per page and width in
``screenshots/`` (gitignored). Not a pixel comparison: look at them.

``--check`` also prints what ``tests/phone_checks.js`` finds on each page (what
``tests/test_phone.py`` asserts), ``--widths 320,360`` picks other widths and ``--only``
a few pages (``front,join,actoren,actoren-group,trainer``).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from netwerk_widgets import Store  # noqa: E402
from netwerk_widgets._chromium import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from netwerk_widgets.cli import voila_command, voila_environment  # noqa: E402
from netwerk_widgets.demo import load_demo  # noqa: E402
from netwerk_widgets.templates import load_template  # noqa: E402

CHECKS = ROOT / "tests" / "phone_checks.js"
SHOW_GROUP = "Toon groepsresultaten"
TALL = """() => Math.max(800, ...[...document.querySelectorAll('*')].filter(
  (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY)).map((e) => e.scrollHeight),
  document.documentElement.scrollHeight)"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(folder: Path) -> tuple[subprocess.Popen, str, str]:
    """A Voilà server on the demo store in ``folder``: its process, URL and trainer key."""
    url = f"sqlite:///{folder / 'demo.db'}"
    with Store(url) as store:
        load_demo(store)
        key = store.session("DEMO").trainer_key
    port = free_port()
    log = open(folder / "voila.log", "w")  # noqa: SIM115
    env = {**voila_environment(url), "NETWERK_POOL_SIZE": os.environ.get("NETWERK_POOL_SIZE", "2")}
    process = subprocess.Popen(
        voila_command(ROOT / "workbooks", port),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            return process, base, key
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"Voilà did not start; see {folder / 'voila.log'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    parser.add_argument("--widths", default="360,1280")
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument("--check", action="store_true", help="print phone_checks.js problems")
    args = parser.parse_args(argv)
    widths = [int(x) for x in args.widths.split(",") if x]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    template = load_template()
    blocks = [block.id for block in template.blocks]
    pages = ["front", "join", *blocks, *(f"{b}-group" for b in blocks), "trainer", "analyse"]
    if args.only:
        wanted = set(args.only.split(","))
        pages = [p for p in pages if p in wanted]
    checks = CHECKS.read_text("utf-8") if args.check else ""

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="netwerk-shots-") as tmp:
        process, base, key = start_server(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
                context = browser.new_context(viewport={"width": widths[0], "height": 800})
                context.set_default_timeout(120_000)
                page = context.new_page()
                joined = False

                def shoot(name: str) -> None:
                    for width in widths:
                        page.set_viewport_size({"width": width, "height": 800})
                        page.wait_for_timeout(300)
                        path = out / f"{name}-{width}.png"
                        if checks:  # measured as a phone shows it, before the tall window
                            found = page.evaluate(f"({checks})(null)")
                        # Voilà's page scrolls inside a box of the window's height: make the
                        # window as tall as the content to get all of it in one picture.
                        tall = page.evaluate(TALL)
                        page.set_viewport_size({"width": width, "height": min(tall, 12000)})
                        page.wait_for_timeout(200)
                        page.screenshot(path=str(path), full_page=True)
                        line = (
                            f"{path.relative_to(out.parent) if out.is_relative_to(ROOT) else path}"
                        )
                        if checks:
                            line += f": {len(found)} problems" + "".join(
                                f"\n    {p}" for p in found[:25]
                            )
                        print(line, flush=True)

                for name in pages:
                    block, _, group = name.partition("-")
                    if name == "front":
                        page.goto(base + "/")
                        page.wait_for_load_state("networkidle")
                    elif name == "join":
                        page.goto(base + "/voila/render/start.ipynb?sessie=DEMO")
                        page.locator(".nw-join input").first.wait_for()
                    elif name == "trainer":
                        page.goto(base + f"/voila/render/trainer.ipynb?sessie=DEMO&sleutel={key}")
                        page.locator(".nw-trainer").first.wait_for()
                        page.wait_for_timeout(3000)
                    elif name == "analyse":
                        page.goto(base + "/voila/render/analyse.ipynb")
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(2000)
                    else:
                        if not joined:
                            page.goto(base + "/voila/render/start.ipynb?sessie=DEMO")
                            page.get_by_placeholder("leeg laten = anoniem").fill("Schermafdruk")
                            page.get_by_role("button", name="Meedoen").click()
                            page.locator(".nw-app h1").wait_for()
                            joined = True
                        title = template.t(template.block(block).title)
                        page.locator(".nw-navigation select").select_option(label=title)
                        page.locator(".nw-block h2", has_text=title).wait_for()
                        if group:
                            page.get_by_role("button", name=SHOW_GROUP).click()
                            page.locator(f".nw-results.nw-shows-{block}").wait_for()
                            page.wait_for_timeout(500)
                    shoot(name)
                    if name in ("front", "join", "trainer", "analyse"):
                        joined = False  # the participant's page was left
                browser.close()
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
