"""Limits of one Voilà server (issue 16, points 14 and 16): kernels and secrets.

* A kernel whose page never connected (a ``curl`` of the link) is stopped within a minute
  (here: a few seconds, ``NETWERK_UNCONNECTED_TIMEOUT``), not after 15 minutes.
* Past ``NETWERK_MAX_KERNELS_PER_NOTEBOOK`` or ``NETWERK_MAX_KERNELS`` kernels serving pages,
  a page gets "te druk, probeer het zo opnieuw" (503) instead of another kernel.
* A pooled kernel's environment holds no address of someone else's request (``sleutel=``,
  ``deelnemer=``, the server's token), and ``/voila/query/<kernel id>`` answers only the
  kernel itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psutil
import pytest

from netwerk_widgets import Store
from netwerk_widgets.demo import load_demo
from netwerk_widgets.messages import messages

pytestmark = pytest.mark.server

KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
TOKEN = "kamer-token-3141"


def get(url: str, timeout: float = 120) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


CONNECTION_FILE = re.compile(r"kernel-([0-9a-f-]{36})\.json")


def kernel_ids(server) -> set[str]:
    """The ids of the kernels the server runs (their connection files name them)."""
    found = set()
    for process in server.kernels():
        with contextlib.suppress(psutil.Error):
            found.update(CONNECTION_FILE.findall(" ".join(process.cmdline())))
    return found


def wait_for_kernels(server, count: int, timeout: float = 120) -> set[str]:
    """Until the server runs at least ``count`` kernels (the pools fill one at a time)."""
    deadline = time.monotonic() + timeout
    while len(found := kernel_ids(server)) < count and time.monotonic() < deadline:
        time.sleep(0.5)
    return found


def run_async(coroutine: Any) -> Any:
    """``asyncio.run`` in a thread of its own: Playwright's sync API (the browser tests of the
    same run) holds this thread's event loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def page_kernel(body: str) -> str:
    found = KERNEL_ID.search(body)
    assert found, body[:300]
    return found.group(1)


@pytest.fixture
def server_with(tmp_path: Path, voila_server_class, monkeypatch: pytest.MonkeyPatch):
    """Start a server on a demo store of its own with these settings (stopped afterwards)."""
    started = []

    def start(pool: int, token: str | None = None, **env: str):
        url = f"sqlite:///{tmp_path / 'store.db'}"
        with Store(url) as store:
            load_demo(store)
        monkeypatch.setenv("NETWERK_POOL_SIZE", str(pool))  # read by voila_command
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        server = voila_server_class(url, token=token, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def test_a_kernel_whose_page_never_connects_is_stopped(server_with) -> None:
    server = server_with(1, NETWERK_UNCONNECTED_TIMEOUT="4")
    ignored = page_kernel(get(server.page_url("start.ipynb", "?sessie=DEMO"))[1])
    opened = page_kernel(get(server.page_url("start.ipynb", "?sessie=DEMO"))[1])

    async def keep_open() -> list[str]:
        from tornado.websocket import websocket_connect

        ws = await websocket_connect(
            f"ws://127.0.0.1:{server.port}/api/kernels/{opened}/channels?session_id=t1"
        )
        deadline = time.monotonic() + 90
        seen = []
        while time.monotonic() < deadline:
            seen = sorted(await asyncio.to_thread(kernel_ids, server))
            if ignored not in seen:
                break
            await asyncio.sleep(1)
        await asyncio.sleep(6)  # longer than the timeout: the connected one stays
        seen = sorted(await asyncio.to_thread(kernel_ids, server))
        ws.close()
        return seen

    remaining = run_async(keep_open())
    assert ignored not in remaining, "the kernel of a page that never came still runs"
    assert opened in remaining, "the kernel of a connected page was stopped"
    assert len(remaining) >= 2, "pooled kernels must never be stopped this way"
    assert "no page connected to it" in server_log(server)


def server_log(server) -> str:
    server.log.flush()
    return Path(server.log.name).read_text(errors="replace")


def test_past_the_kernel_limits_a_page_says_too_busy(server_with) -> None:
    server = server_with(0, NETWERK_MAX_KERNELS_PER_NOTEBOOK="2", NETWERK_MAX_KERNELS="3")
    busy = messages("nl")("server.busy_title")
    first = [get(server.page_url("start.ipynb", "?sessie=DEMO")) for _ in range(2)]
    assert [status for status, _ in first] == [200, 200]
    status, body = get(server.page_url("start.ipynb", "?sessie=DEMO"))
    assert status == 503, "a third page of start.ipynb got a kernel past the limit"
    assert busy in body and "opnieuw" in body
    assert "kernelId" not in body
    status, _ = get(server.page_url("trainer.ipynb"))
    assert status == 200, "another notebook is still under its own limit"
    status, body = get(server.page_url("trainer.ipynb", "?taal=en"))
    assert status == 503, "a fourth kernel in all got a kernel past the total limit"
    assert messages("en")("server.busy_title") in body
    # One page goes away (as a page asks on leaving): there is room again.
    gone = page_kernel(first[0][1])
    request = urllib.request.Request(
        f"{server.url}/voila/api/shutdown/{gone}",
        data=b"_xsrf=t",
        headers={"Cookie": "_xsrf=t", "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=30).close()
    deadline = time.monotonic() + 30
    while gone in kernel_ids(server) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert get(server.page_url("start.ipynb", "?sessie=DEMO"))[0] == 200


def kernel_environments(server) -> dict[int, dict[str, str]]:
    found = {}
    for process in server.kernels():
        with contextlib.suppress(psutil.Error):
            found[process.pid] = process.environ()
    return found


def test_pooled_kernels_hold_no_secret_of_another_request(server_with) -> None:
    server = server_with(1, token=TOKEN)
    with Store(server.db_url) as store:
        token = store.participants("DEMO")[0].token
    pooled = wait_for_kernels(server, 3)  # start.ipynb: 1, trainer.ipynb: 2 (voila.json)
    time.sleep(3)
    query = f"?sessie=DEMO&sleutel=demo-trainer&token={TOKEN}"
    assert get(server.page_url("trainer.ipynb", query))[0] == 200
    query = f"?sessie=DEMO&deelnemer={token}&token={TOKEN}"
    assert get(server.page_url("start.ipynb", query))[0] == 200
    # Both pools refill (after voila.json's fill_delay): the new kernels serve someone else.
    refilled = wait_for_kernels(server, len(pooled) + 2) - pooled
    assert len(refilled) >= 2, "the pools did not refill"
    time.sleep(2)
    environments = kernel_environments(server)
    for pid, env in environments.items():
        text = "\n".join(f"{k}={v}" for k, v in env.items())
        if env.get("VOILA_PREHEAT") != "True":
            continue
        assert "demo-trainer" not in text, f"kernel {pid} holds a trainer key: {text[:200]}"
        assert token not in text, f"kernel {pid} holds a participant's token"
        assert TOKEN not in text, f"kernel {pid} holds the server's token"


def test_the_query_socket_answers_only_its_kernel(server_with) -> None:
    server = server_with(1, token=TOKEN)
    kernels = sorted(wait_for_kernels(server, 1))
    assert kernels

    async def try_open(query: str) -> int:
        from tornado.httpclient import HTTPClientError
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{server.port}/voila/query/{kernels[0]}{query}"
        try:
            ws = await websocket_connect(url, connect_timeout=30)
        except HTTPClientError as error:
            return error.code
        ws.close()
        return 101

    assert run_async(try_open("")) == 403
    assert run_async(try_open(f"?token={TOKEN}")) == 403
    assert run_async(try_open("?proof=0123abcd")) == 403


# --- the rules themselves, without a server ----------------------------------------------


def test_kernel_environments_keep_no_request_of_someone_else() -> None:
    from netwerk_widgets._kernels import kernel_environment, notebook_of

    env = {
        "PATH": "/usr/bin",
        "NETWERK_DB_URL": "sqlite:///x.db",
        "VOILA_REQUEST_URL": "http://h/voila/render/trainer.ipynb?sessie=A&sleutel=geheim",
        "QUERY_STRING": "sessie=A&deelnemer=tok",
        "HTTP_X_FORWARDED_PROTO": "https",
        "JUPYTER_TOKEN": "servertoken",
        "VOILA_PREHEAT": "True",
    }
    pooled = kernel_environment(env, pooled=True)
    assert set(pooled) == {"PATH", "NETWERK_DB_URL", "VOILA_PREHEAT"}
    own = kernel_environment({**env, "VOILA_PREHEAT": "False"}, pooled=False)
    assert "VOILA_REQUEST_URL" in own and "QUERY_STRING" in own  # its own page's request
    assert "JUPYTER_TOKEN" not in own
    assert notebook_of("/voila/render/start.ipynb") == "start.ipynb"
    assert notebook_of("/base/voila/render/sub/x.ipynb") == "sub/x.ipynb"


def test_only_the_kernels_own_key_opens_its_query_socket() -> None:
    from netwerk_widgets._query import proof_matches, query_proof

    proof = query_proof(b"key-of-kernel", "k-1")
    assert proof_matches(b"key-of-kernel", "k-1", proof)
    assert not proof_matches(b"key-of-kernel", "k-2", proof)
    assert not proof_matches(b"another-key", "k-1", proof)
    assert not proof_matches(b"", "k-1", query_proof(b"", "k-1"))
    assert not proof_matches(b"key-of-kernel", "k-1", "")


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("NETWERK_UNCONNECTED_TIMEOUT", "0", "positief"),
        ("NETWERK_MAX_KERNELS", "veel", "getal"),
        ("NETWERK_MAX_KERNELS_PER_NOTEBOOK", "0", "1 of meer"),
    ],
)
def test_kernel_limits_are_checked_settings(name: str, value: str, problem: str) -> None:
    from netwerk_widgets.errors import NetwerkError
    from netwerk_widgets.settings import Settings

    with pytest.raises(NetwerkError, match=problem):
        Settings.from_env({name: value})
    limits = Settings.from_env({"NETWERK_MAX_KERNELS": "9", "NETWERK_UNCONNECTED_TIMEOUT": "2,5"})
    assert (limits.max_kernels, limits.unconnected_timeout) == (9, 2.5)
    assert Settings.from_env({}).max_kernels_per_notebook == 150
