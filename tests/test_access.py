"""What a browser can fetch from the Voilà server that `make run` starts: nothing but pages."""

from __future__ import annotations

import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from netwerk_widgets import Store
from netwerk_widgets.demo import load_demo

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.browser  # a real server, like the browser tests


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, voila_server_class) -> Iterator:
    """A server on a copy of the workbooks with tempting files next to the notebooks."""
    folder = tmp_path_factory.mktemp("served")
    for notebook in ("start.ipynb", "trainer.ipynb", "analyse.ipynb"):
        shutil.copy(ROOT / "workbooks" / notebook, folder / notebook)
    (folder / "netwerk.db").write_bytes(b"SQLite format 3\x00 secret answers")
    (folder / "sjabloon.yaml").write_text("name: geheim\n")
    (folder / "antwoorden.csv").write_text("participant,value\np-1,geheim\n")
    (folder / "plaatje.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    url = f"sqlite:///{folder.parent / 'store.db'}"
    with Store(url) as store:
        load_demo(store)
    server = voila_server_class(url, workbooks=folder)
    yield server
    server.stop()


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "path",
    [
        "voila/files/netwerk.db",
        "voila/files/sjabloon.yaml",
        "voila/files/antwoorden.csv",
        "voila/files/start.ipynb",
        "voila/files/../store.db",
        "voila/files/%2e%2e/store.db",
        "voila/files/../../pyproject.toml",
    ],
)
def test_data_templates_and_notebooks_are_not_downloadable(served, path: str) -> None:
    assert status(f"{served.url}/{path}") in (403, 404)


def test_images_next_to_the_notebooks_are(served) -> None:
    assert status(f"{served.url}/voila/files/plaatje.png") == 200


def test_the_server_listens_on_localhost_only(served) -> None:
    import psutil

    addresses = {
        c.laddr.ip
        for c in psutil.Process(served.process.pid).net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN
    }
    assert addresses and addresses <= {"127.0.0.1"}


def test_with_a_token_pages_need_it(tmp_path: Path, voila_server_class) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    Store(url).close()
    server = voila_server_class(url, token="lang-geheim-wachtwoord")
    try:
        page = f"{server.url}/voila/render/start.ipynb"
        assert status(page) in (401, 403) or "login" in _final_url(page)
        assert status(f"{page}?token=fout") in (401, 403) or "login" in _final_url(
            f"{page}?token=fout"
        )
        assert status(f"{page}?token=lang-geheim-wachtwoord") == 200
    finally:
        server.stop()


def _final_url(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.geturl()
    except urllib.error.HTTPError as error:
        return error.geturl()


def test_the_analysis_notebook_shows_no_answers_through_voila(served) -> None:
    with urllib.request.urlopen(f"{served.url}/voila/render/analyse.ipynb", timeout=60) as page:
        html = page.read().decode()
    assert "Anouk" not in html and "MuziekTafel Rivierenland" not in html
    assert "deelnemers," not in html  # the summary cell never ran


@pytest.mark.parametrize(
    "path",
    [
        "voila/static/%2e%2e/%2e%2e/pyproject.toml",
        "voila/static/..%2f..%2fpyproject.toml",
        "voila/labextensions/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "voila/templates/netwerk/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "voila/templates/%2e%2e/static/index.html.j2",
        "voila/static/",
        "voila/static/bestaat-niet.js",
    ],
)
def test_page_files_stay_inside_their_folders(served, path: str) -> None:
    assert status(f"{served.url}/{path}") in (403, 404)


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), b""


def test_page_files_come_compressed_and_cacheable(served) -> None:
    """Voilà's scripts as a browser gets them: gzip, an ETag, a year for hashed names."""
    import gzip

    from voila.paths import collect_static_paths

    on_disk = next(
        Path(root) / "voila.js"
        for root in collect_static_paths(["voila", "nbconvert"], "lab")
        if (Path(root) / "voila.js").is_file()
    )
    url = f"{served.url}/voila/static/voila.js"
    code, headers, body = fetch(url, **{"Accept-Encoding": "gzip, deflate"})
    assert code == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].endswith("javascript; charset=UTF-8")
    assert gzip.decompress(body) == on_disk.read_bytes()
    assert len(body) < on_disk.stat().st_size / 2
    assert headers["Cache-Control"] == "no-cache"  # an unhashed name: ask again

    code, plain_headers, plain = fetch(url)
    assert code == 200 and "Content-Encoding" not in plain_headers
    assert plain == on_disk.read_bytes()
    assert fetch(url, **{"If-None-Match": headers["Etag"]})[0] == 304

    page = urllib.request.urlopen(f"{served.url}/voila/render/start.ipynb", timeout=60).read()
    hashed = re.search(rb'"(/voila/templates/netwerk/static/index\.css\?v=[0-9a-f]+)"', page)
    assert hashed, "the page links its stylesheet with a content hash"
    code, headers, _ = fetch(served.url + hashed.group(1).decode())
    assert code == 200 and "max-age=31536000" in headers["Cache-Control"]


def test_the_server_follows_kernel_activity_for_culling(served) -> None:
    """Idle kernels are culled after 15 minutes: the server must see when a page was busy."""
    import json
    import time
    from datetime import datetime

    asked = datetime.now().astimezone()
    page = urllib.request.urlopen(f"{served.url}/voila/render/start.ipynb", timeout=60).read()
    kernel_id = re.search(rb'"kernelId": "([0-9a-f-]{36})"', page).group(1).decode()
    deadline = time.monotonic() + 30
    while True:
        with urllib.request.urlopen(f"{served.url}/api/kernels/{kernel_id}", timeout=30) as r:
            model = json.load(r)
        last = datetime.fromisoformat(model["last_activity"].replace("Z", "+00:00"))
        if (model["execution_state"] == "idle" and last >= asked) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert model["execution_state"] == "idle"
    assert last >= asked, "the page's work was not seen as activity"
