"""Record which webpack chunks our pages load, for ``voila/netwerk/page-files.js``.

Starts the server as ``netwerk serve`` does but without the bundle, on the demo store in a
temporary folder, opens the participant link, a personal link (a block with its group view)
and the trainer's screen in Chromium, and writes every chunk those pages asked for, in the
order they asked, to ``netwerk_widgets/share/voila/templates/netwerk/page-files.txt``.

Run it after upgrading Voilà or ipywidgets (``tests/test_browser.py`` says when):

    .venv/bin/python scripts/record-page-files.py
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from netwerk_widgets import Store
from netwerk_widgets._chromium import CHROMIUM, CHROMIUM_FLAGS
from netwerk_widgets._voila import PAGE_FILES_LIST
from netwerk_widgets.cli import voila_command, voila_environment
from netwerk_widgets.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
# A chunk: a script under voila/static or a lab extension, except the entry points.
CHUNK = re.compile(r"/voila/((?:static|labextensions)/.+\.js)$")
ENTRY = re.compile(r"(^|/)(voila|remoteEntry\.[0-9a-f]+)\.js$")
PAGES = [
    ("start.ipynb?sessie=DEMO", ".nw-join input"),
    ("start.ipynb?sessie=DEMO&deelnemer=demo-anouk&blok=actoren", ".nw-app h1"),
    ("trainer.ipynb?sessie=DEMO&sleutel=demo-trainer", ".nw-trainer"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def record(base_url: str) -> list[str]:
    from playwright.sync_api import sync_playwright

    chunks: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for page_path, first_widget in PAGES:
            page = browser.new_page()

            def seen(request, chunks: list[str] = chunks) -> None:
                path = request.url.split("?", 1)[0].removeprefix(base_url)
                match = CHUNK.match(path)
                if match and not ENTRY.search(match.group(1)) and match.group(1) not in chunks:
                    chunks.append(match.group(1))

            page.on("request", seen)
            page.goto(f"{base_url}/voila/render/{page_path}")
            page.locator(first_widget).first.wait_for(state="visible", timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.close()
        browser.close()
    return chunks


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="netwerk-record-") as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        with Store(db_url) as store:
            load_demo(store)
        port = free_port()
        command = [
            *voila_command(ROOT / "workbooks", port),
            "--NetwerkVoila.page_bundle=False",
            "--VoilaConfiguration.preheat_kernel=False",
        ]
        server = subprocess.Popen(command, env=voila_environment(db_url), cwd=tmp)
        try:
            base_url = f"http://127.0.0.1:{port}"
            for _ in range(120):
                try:
                    urllib.request.urlopen(base_url, timeout=5).close()
                    break
                except OSError:
                    time.sleep(0.5)
            chunks = record(base_url)
        finally:
            server.terminate()
            server.wait(60)
    header = (
        "# Webpack chunks our pages load, in the order they ask for them; served together as\n"
        "# voila/netwerk/page-files.js (netwerk_widgets/_voila.py). Written by\n"
        "# scripts/record-page-files.py: run it again after upgrading Voila or ipywidgets.\n"
    )
    PAGE_FILES_LIST.write_text(header + "".join(f"{c}\n" for c in chunks), encoding="utf-8")
    print(f"{len(chunks)} chunks -> {PAGE_FILES_LIST.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
