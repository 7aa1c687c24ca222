"""What a browser can fetch from the Voilà server that `make run` starts: nothing but pages."""

from __future__ import annotations

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
