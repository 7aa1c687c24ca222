"""Preheated kernels: the pools `make run` uses, and pages that each get their own kernel.

`make run` starts `netwerk serve`, which runs :func:`netwerk_widgets.cli.voila_command`. That
command points Voilà at ``netwerk_widgets/share/config/voila.json`` and nowhere else. A
preheated kernel has run ``start.ipynb`` before anyone asked for it and waits in
:func:`netwerk_widgets.page_address.page_query` for the address of the page it is given.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from netwerk_widgets import Store
from netwerk_widgets.cli import PARTICIPANT_NOTEBOOK, main, voila_command, voila_environment
from netwerk_widgets.page_address import personal_link

ROOT = Path(__file__).resolve().parent.parent

# --- the configuration ------------------------------------------------------------------


def config_file(command: list[str]) -> Path:
    """The voila.json a Voilà command line reads (it names exactly one folder)."""
    folders = [a.split("=", 1)[1] for a in command if a.startswith("--Voila.config_file_paths=")]
    assert len(folders) == 1, command
    return Path(folders[0]) / "voila.json"


def serve_command(monkeypatch: pytest.MonkeyPatch, *args: str) -> list[str]:
    """The command `netwerk serve` (what `make run` starts) would run."""
    seen: list[list[str]] = []
    monkeypatch.setattr(os, "execve", lambda _path, command, _env: seen.append(command))
    assert main(["serve", *args]) == 0
    return seen[0]


def test_make_run_uses_the_packaged_pools(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NETWERK_POOL_SIZE", raising=False)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(BIN)/netwerk serve --port $(PORT)" in makefile
    command = serve_command(monkeypatch, "--port", "8866")
    assert command == voila_command(ROOT / "workbooks", 8866)
    path = config_file(command)
    assert path == ROOT / "netwerk_widgets" / "share" / "config" / "voila.json"
    assert not any("kernel_pools_config" in part for part in command)  # only the file

    config = json.loads(path.read_text(encoding="utf-8"))
    assert config["VoilaConfiguration"]["preheat_kernel"] is True
    manager = config["VoilaKernelManager"]
    pools = manager["kernel_pools_config"]
    assert pools[PARTICIPANT_NOTEBOOK]["pool_size"] >= 50  # a workshop of 50 opening at once
    assert 1 <= pools["trainer.ipynb"]["pool_size"] <= 2
    assert pools["default"]["pool_size"] == 0  # block notebooks, analyse: no idle kernels
    # Refill later than the pages of a burst take to load, soon enough for latecomers.
    assert 5 <= manager["fill_delay"] <= 60
    # Neither is possible together with preheated kernels.
    assert "prelaunch_hook" not in json.dumps(config)
    assert "progressive_rendering" not in json.dumps(config)


VOILA_CONFIG = """
import json, sys
from traitlets import Dict
from traitlets.config.loader import DeferredConfigString
from netwerk_widgets._voila import NetwerkVoila
app = NetwerkVoila()
app.initialize(sys.argv[1:])
manager = app.config.VoilaKernelManager
pools = manager.kernel_pools_config
if isinstance(pools, DeferredConfigString):  # given on the command line
    pools = pools.get_value(Dict())
print(json.dumps({
    "preheat": app.voila_configuration.preheat_kernel,
    "progressive": app.voila_configuration.progressive_rendering,
    "pools": pools,
    "fill_delay": manager.fill_delay,
}))
"""


def voila_reads(command: list[str], cwd: Path, env: dict[str, str]) -> dict:
    """What Voilà itself makes of a command line (configuration only, no server)."""
    args = command[command.index("netwerk_widgets._voila") + 1 :]
    done = subprocess.run(
        [sys.executable, "-c", VOILA_CONFIG, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_voila_reads_only_our_voila_json(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A voila.json in the folder `make run` starts from or in ~/.jupyter changes nothing."""
    monkeypatch.delenv("NETWERK_POOL_SIZE", raising=False)
    decoy = {"VoilaKernelManager": {"kernel_pools_config": {"start.ipynb": {"pool_size": 99}}}}
    (tmp_path / "voila.json").write_text(json.dumps(decoy))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "voila.json").write_text(json.dumps(decoy))
    env = {**voila_environment(), "JUPYTER_CONFIG_DIR": str(tmp_path / "home")}

    command = voila_command(ROOT / "workbooks")
    expected = json.loads(config_file(command).read_text(encoding="utf-8"))
    seen = voila_reads(command, tmp_path, env)
    assert seen["preheat"] is True and seen["progressive"] is False
    assert seen["pools"] == expected["VoilaKernelManager"]["kernel_pools_config"]
    assert seen["fill_delay"] == expected["VoilaKernelManager"]["fill_delay"]

    # NETWERK_POOL_SIZE changes the participant pool only; 0 turns preheating off.
    monkeypatch.setenv("NETWERK_POOL_SIZE", "7")
    seen = voila_reads(voila_command(ROOT / "workbooks"), tmp_path, env)
    assert seen["pools"][PARTICIPANT_NOTEBOOK]["pool_size"] == 7
    assert (
        seen["pools"]["trainer.ipynb"]
        == expected["VoilaKernelManager"]["kernel_pools_config"]["trainer.ipynb"]
    )
    monkeypatch.setenv("NETWERK_POOL_SIZE", "0")
    assert voila_reads(voila_command(ROOT / "workbooks"), tmp_path, env)["preheat"] is False


def test_pool_size_must_be_a_number(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setenv("NETWERK_POOL_SIZE", "veel")
    assert main(["serve"]) == 2
    assert "NETWERK_POOL_SIZE moet een getal zijn" in capsys.readouterr().err


def test_a_server_on_one_address_tells_its_preheated_kernels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Pooled kernels ask Voilà for their page on 127.0.0.1 unless Voilà listens elsewhere."""
    monkeypatch.delenv("NETWERK_POOL_SIZE", raising=False)
    command = voila_command(ROOT / "workbooks", host="192.168.1.20")
    pools = json.loads(next(a for a in command if "kernel_pools_config=" in a).split("=", 1)[1])
    assert {p["kernel_env_variables"]["VOILA_APP_IP"] for p in pools.values()} == {"192.168.1.20"}
    assert not any("kernel_pools_config" in a for a in voila_command(ROOT, host="0.0.0.0"))


# --- the kernel side --------------------------------------------------------------------

FAKE_VOILA = r"""
import asyncio, json, os, sys, threading
import tornado.web, tornado.websocket

sent = {
    "QUERY_STRING": "sessie=DEMO&deelnemer=demo-bram", "SCRIPT_NAME": "/voila/render/start.ipynb",
    "SERVER_NAME": "workshop.example.org", "SERVER_PORT": "", "SERVER_SOFTWARE": "voila/0.5",
    "HTTP_X_FORWARDED_PROTO": "https",
}
asked = []

class Query(tornado.websocket.WebSocketHandler):
    def open(self, kernel_id):
        asked.append(kernel_id)
        self.write_message(json.dumps(sent))

async def serve(ready):
    app = tornado.web.Application([(r"/voila/query/(.*)", Query)])
    server = app.listen(0, "127.0.0.1")
    ready.append(next(iter(server._sockets.values())).getsockname()[1])
    await asyncio.Event().wait()

ready = []
threading.Thread(target=lambda: asyncio.run(serve(ready)), daemon=True).start()
while not ready:
    pass
os.environ.update({
    "VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(ready[0]), "VOILA_KERNEL_ID": "k-1",
    "VOILA_SERVER_URL": "/",
    # What Voilà gives a pooled kernel: the address of an earlier, other request.
    "VOILA_REQUEST_URL": "http://127.0.0.1:8866/voila/render/start.ipynb?deelnemer=demo-anouk",
})
from netwerk_widgets.page_address import page_query, personal_link
first, second = page_query(), page_query()
print(json.dumps({
    "first": first, "second": second, "asked": asked,
    "link": personal_link("DEMO", "demo-bram"),
    "voila_loaded": sorted(m for m in sys.modules if m.startswith("voila")),
}))
"""


def test_a_preheated_kernel_waits_for_its_page_once(tmp_path: Path) -> None:
    """page_query() asks Voilà once for the page's details; the link is that page's."""
    done = subprocess.run(
        [sys.executable, "-c", FAKE_VOILA], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["first"] == seen["second"] == {"sessie": "DEMO", "deelnemer": "demo-bram"}
    assert seen["asked"] == ["k-1"]  # once: a second call must not wait forever
    assert seen["link"] == (
        "https://workshop.example.org/voila/render/start.ipynb?sessie=DEMO&deelnemer=demo-bram"
    )
    assert seen["voila_loaded"] == []  # Voilà's server code stays out of every kernel


def test_personal_link_uses_the_request_not_a_stale_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_REQUEST_URL", "http://localhost:8866/voila/render/other.ipynb")
    monkeypatch.setenv("SERVER_NAME", "10.0.0.5")
    monkeypatch.setenv("SERVER_PORT", "8866")
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/start.ipynb")
    monkeypatch.delenv("HTTP_X_FORWARDED_PROTO", raising=False)
    assert personal_link("T1", "tok") == (
        "http://10.0.0.5:8866/voila/render/start.ipynb?sessie=T1&deelnemer=tok"
    )
    monkeypatch.delenv("SERVER_NAME")  # no request yet: relative, never someone else's
    assert personal_link("T1", "tok") == "?sessie=T1&deelnemer=tok"


# --- in the browser ---------------------------------------------------------------------

pytestmark_browser = pytest.mark.browser
KERNEL_ID_JS = "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
FIRST_CHALLENGE = {
    "demo-anouk": ("Anouk", "De twee nieuwe basisscholen doen nog weinig mee in het overleg."),
    "demo-bram": ("Bram", "Leerkrachten voelen zich onzeker om zelf muziekles te geven."),
}


def wait_for_full_pools(voila: object, timeout: float = 180) -> None:
    """Wait until every pooled kernel of the test server waits for a page.

    Right after the server started, or after earlier tests took kernels, the pools may still
    be filling; a page that comes before the first pooled kernel started gets a new kernel.
    A waiting kernel holds a websocket to the server (``/voila/query/<kernel id>``).
    """
    import psutil

    command = voila_command(ROOT / "workbooks")
    pools = json.loads(config_file(command).read_text(encoding="utf-8"))["VoilaKernelManager"][
        "kernel_pools_config"
    ]
    for part in command:
        if part.startswith("--VoilaKernelManager.kernel_pools_config="):
            pools = json.loads(part.split("=", 1)[1])
    wanted = sum(pool.get("pool_size", 0) for pool in pools.values())
    deadline = time.monotonic() + timeout
    while True:
        waiting = 0
        for kernel in voila.kernels():
            try:
                connections = kernel.net_connections("tcp")
            except psutil.Error:
                continue
            waiting += any(
                c.raddr and c.raddr.port == voila.port and c.status == psutil.CONN_ESTABLISHED
                for c in connections
            )
        if waiting >= wanted:
            return
        assert time.monotonic() < deadline, f"pools not full: {waiting} of {wanted} kernels"
        time.sleep(0.5)


def preheated(voila: object, kernel_id: str) -> bool:
    """Whether Voilà served this kernel from its pool (it logs every one it hands out)."""
    deadline = time.monotonic() + 10
    pattern = re.compile(rf"Using pre-heated kernel: {re.escape(kernel_id)} ")
    while time.monotonic() < deadline:
        voila.log.flush()
        if pattern.search(Path(voila.log.name).read_text(errors="replace")):
            return True
        time.sleep(0.2)
    return False


@pytestmark_browser
def test_each_page_gets_its_own_preheated_kernel_and_participant(voila, page, browser) -> None:
    wait_for_full_pools(voila)
    other = browser.new_context(viewport={"width": 420, "height": 900}).new_page()
    other.set_default_timeout(60_000)
    pages = {"demo-anouk": page, "demo-bram": other}
    try:
        # Both at the same moment: each kernel must get its own page's address.
        for token, tab in pages.items():
            query = f"?sessie=DEMO&deelnemer={token}&blok=werkblad"
            tab.goto(voila.page_url(PARTICIPANT_NOTEBOOK, query), wait_until="commit")
        kernels = set()
        for token, tab in pages.items():
            name, challenge = FIRST_CHALLENGE[token]
            tab.locator(".nw-app h1").wait_for()
            assert f"je doet mee {name}" in tab.locator(".nw-app p").first.inner_text()
            first = tab.locator(".nw-table-row").first.locator("textarea").first
            tab.wait_for_function("el => el.value.length > 0", arg=first.element_handle())
            assert first.input_value() == challenge
            link = tab.locator(".nw-personal-link a").get_attribute("href")
            assert link == voila.page_url(PARTICIPANT_NOTEBOOK, f"?sessie=DEMO&deelnemer={token}")
            kernel = tab.evaluate(KERNEL_ID_JS)
            assert preheated(voila, kernel), f"{token}: kernel {kernel} kwam niet uit de pool"
            kernels.add(kernel)
        assert len(kernels) == 2
        assert page.outside_requests == []
    finally:
        other.context.close()


@pytestmark_browser
def test_joining_on_a_preheated_page_creates_a_participant(voila, page) -> None:
    name = "Voorverwarmde Deelnemer"
    wait_for_full_pools(voila)
    page.goto(voila.page_url(PARTICIPANT_NOTEBOOK, "?sessie=DEMO"))
    code = page.locator(".nw-join input").first
    code.wait_for()
    assert code.input_value() == "DEMO"  # the query string reached the pooled kernel
    assert preheated(voila, page.evaluate(KERNEL_ID_JS))
    page.get_by_placeholder("leeg laten = anoniem").fill(name)
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-app h1").wait_for()
    with Store(voila.db_url) as store:
        me = [p for p in store.participants("DEMO") if p.display_name == name]
    assert len(me) == 1
    link = page.locator(".nw-personal-link a").get_attribute("href")
    assert link == voila.page_url(PARTICIPANT_NOTEBOOK, f"?sessie=DEMO&deelnemer={me[0].token}")
    assert page.outside_requests == []


def test_pooled_kernels_start_one_after_another(monkeypatch: pytest.MonkeyPatch) -> None:
    """A refill of twenty kernels must not take the machine from the participants."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.request_info_handler import RequestInfoSocketHandler

    from netwerk_widgets._kernels import PacedKernelManager

    events: list[str] = []

    async def spawn(self, **kwargs) -> str:
        kernel_id = f"k{len(events)}"
        pooled = kwargs["env"]["VOILA_PREHEAT"] == "True"
        events.append(f"{'pool' if pooled else 'page'}:{kernel_id}")
        return kernel_id

    monkeypatch.setattr(AsyncMappingKernelManager, "start_kernel", spawn)
    monkeypatch.setattr(PacedKernelManager, "__contains__", lambda self, kernel_id: True)
    monkeypatch.setattr(RequestInfoSocketHandler, "_waiters", {})
    pool = {"env": {"VOILA_PREHEAT": "True"}}

    async def scenario() -> list[list[str]]:
        manager = PacedKernelManager()
        first = asyncio.ensure_future(manager.start_kernel(**pool))
        second = asyncio.ensure_future(manager.start_kernel(**pool))
        await asyncio.sleep(0.3)
        before = list(events)  # the second waits: the first is not ready yet
        await manager.start_kernel(env={"VOILA_PREHEAT": "False"})  # a page's: at once
        RequestInfoSocketHandler._waiters[await first] = object()  # k0 now waits for a page
        await asyncio.wait_for(second, 2)
        return [before, list(events)]

    # Its own thread: Playwright's sync API may hold this thread's event loop.
    with ThreadPoolExecutor(1) as thread:
        seen = thread.submit(asyncio.run, scenario()).result(timeout=30)
    assert seen == [["pool:k0"], ["pool:k0", "page:k1", "pool:k2"]]
