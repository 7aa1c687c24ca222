"""Shared fixtures: stores (SQLite file and a real PostgreSQL server), the demo, Voilà.

The store every notebook and Voilà kernel sees is set through ``NETWERK_DB_URL`` here, before
any kernel starts, so nothing in the tests touches a user's own store.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from netwerk_widgets import Store
from netwerk_widgets._chromium import CHROMIUM, CHROMIUM_FLAGS
from netwerk_widgets.demo import load_demo
from netwerk_widgets.store import Participant, Session

ROOT = Path(__file__).resolve().parent.parent
REQUIRE_SERVICES = os.environ.get("NETWERK_REQUIRE_SERVICES") == "1"

# The top-level conftest.py made this folder and a demo store in it for the whole run.
_RUN_DIR = Path(os.environ["NETWERK_TEST_DIR"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str) -> None:
    """Skip a test whose service is missing, but fail under ``make test`` (which installs it)."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is missing; `make test` should have installed it", pytrace=False)
    pytest.skip(f"{what} is missing (run `make test` to install it)")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def store(sqlite_url: str) -> Iterator[Store]:
    with Store(sqlite_url) as db:
        yield db


@pytest.fixture
def demo_store(store: Store) -> Store:
    load_demo(store)
    return store


# --- PostgreSQL -------------------------------------------------------------------------


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free local port, removed afterwards."""

    def __init__(self) -> None:
        initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if not initdb:
            missing("PostgreSQL (Debian package postgresql)")
        self.bin = initdb[-1].parent
        self.dir = Path(tempfile.mkdtemp(prefix="netwerk-pg-"))
        self.port = free_port()
        self._counter = 0
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self.as_postgres = as_postgres
        data = self.dir / "data"
        subprocess.run(
            [
                *as_postgres,
                str(self.bin / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
        )
        self.data = data
        self.start_server()

    def start_server(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [
                *self.as_postgres,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.dir / "log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )

    def stop_server(self) -> None:
        subprocess.run(
            [
                *self.as_postgres,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            check=True,
            capture_output=True,
        )

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import sqlalchemy

        self._counter += 1
        name = f"test_{self._counter}"
        engine = sqlalchemy.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_postgres,
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresCluster]:
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The same test against a SQLite file and a real PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres").new_database()
    with Store(url) as db:
        yield db


# --- Voilà and the browser --------------------------------------------------------------

# `make run` keeps 50 preheated kernels for start.ipynb (netwerk_widgets/share/config/voila.json);
# test servers keep 3: enough for the pages the tests open one after another, without booting
# 50 kernels for every server a test starts.
os.environ.setdefault("NETWERK_POOL_SIZE", "3")


class VoilaServer:
    """A real Voilà server started the way ``make run`` starts it, on a free port."""

    def __init__(
        self,
        db_url: str,
        workbooks: Path = ROOT / "workbooks",
        env: dict[str, str] | None = None,
        port: int | None = None,
        token: str | None = None,
        start_timeout: float = 60,
    ) -> None:
        from netwerk_widgets.cli import voila_command, voila_environment

        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(_RUN_DIR / f"voila-{self.port}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            voila_command(workbooks, self.port, token=token),
            env={**voila_environment(db_url), **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        deadline = time.monotonic() + start_timeout
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers (a token may be needed)
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Voilà did not start; see {self.log.name}")

    def kernels(self) -> list[psutil.Process]:
        """The kernel processes this server started (not those that are ending: a kernel
        just stopped is a zombie until the server reaps it, and has no command line)."""
        found = []
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except (psutil.NoSuchProcess, psutil.ZombieProcess):
                continue
        return found

    def kill(self) -> None:
        """SIGKILL the server and its kernels, as a crash or a pulled plug would."""
        victims = [psutil.Process(self.process.pid), *self.kernels()]
        for process in victims:
            process.kill()
        psutil.wait_procs(victims, timeout=10)
        self.log.close()

    def page_url(self, notebook: str, query: str = "") -> str:
        return f"{self.url}/voila/render/{notebook}{query}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def voila_db_url() -> str:
    url = f"sqlite:///{_RUN_DIR / 'voila.db'}"
    with Store(url) as db:
        load_demo(db)
    return url


@pytest.fixture(scope="session")
def voila(voila_db_url: str) -> Iterator[VoilaServer]:
    server = VoilaServer(voila_db_url)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        missing("Chromium (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


class OutsideRequests(list):
    """Every request the page tried to send beyond localhost (each is blocked)."""


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh phone-sized page that blocks and records any request leaving localhost."""
    context = browser.new_context(viewport={"width": 420, "height": 900})
    outside = OutsideRequests()

    def guard(route: object) -> None:
        url = route.request.url
        if url.startswith(
            ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "file:")
        ):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.outside_requests = outside
    page.set_default_timeout(60_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def voila_server_class() -> type[VoilaServer]:
    """For tests that start (and may kill) a Voilà server of their own."""
    return VoilaServer


@pytest.fixture
def fresh_postgres() -> Iterator[PostgresCluster]:
    """A PostgreSQL cluster of this test alone (it may be stopped and started)."""
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


# --- more than one machine: PostgreSQL, two servers, nginx ----------------------------------


class Deployment:
    """The deployment of the README's "Meer dan één machine", on this machine.

    A throwaway PostgreSQL cluster, two ``netwerk serve`` (started as :class:`VoilaServer`)
    on free ports with the same ``NETWERK_DB_URL``, and nginx in front of them on one free
    port, configured from the shipped ``deploy/nginx.conf`` (``bench/_proxy.py`` renders it).
    """

    def __init__(self, folder: Path, servers: int = 2) -> None:
        sys.path.insert(0, str(ROOT / "bench"))
        from _proxy import NGINX, NginxProxy

        if not Path(NGINX).exists():
            missing("nginx (Debian package nginx)")
        self.postgres = PostgresCluster()
        self.servers: list[VoilaServer] = []
        self.proxy = None
        try:
            self.db_url = self.postgres.new_database()
            from concurrent.futures import ThreadPoolExecutor

            # Started side by side, and given time: the machine may be busy with other tests.
            with ThreadPoolExecutor(servers) as pool:
                futures = [
                    pool.submit(VoilaServer, self.db_url, start_timeout=240) for _ in range(servers)
                ]
                failed: BaseException | None = None
                for future in futures:  # keep every server that started (also on Ctrl+C)
                    try:
                        self.servers.append(future.result())
                    except BaseException as error:
                        failed = failed or error
                if failed is not None:
                    raise failed
            self.proxy = NginxProxy([f"127.0.0.1:{s.port}" for s in self.servers], folder)
        except BaseException:
            self.stop()
            raise
        self.url = self.proxy.url
        self.port = self.proxy.port

    def server_of(self, kernel_id: str) -> VoilaServer | None:
        """The server that runs ``kernel_id`` (each answers only for its own kernels)."""
        for server in self.servers:
            if server.process.poll() is not None:
                continue
            try:
                urllib.request.urlopen(f"{server.url}/api/kernels/{kernel_id}", timeout=30)
                return server
            except urllib.error.HTTPError:
                continue
            except OSError:
                continue
        return None

    def stop(self) -> None:
        if self.proxy is not None:
            self.proxy.stop()
        for server in self.servers:
            if server.process.poll() is None:
                server.stop()
        self.postgres.stop()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """Two servers on one PostgreSQL store behind nginx, for one test module."""
    setup = Deployment(tmp_path_factory.mktemp("nginx"))
    yield setup
    setup.stop()


TRAINER_TEMPLATE = Path(__file__).resolve().parent / "templates" / "trainer-made.yaml"
"""A trainer's own template: English, 4 conditions on 1-7, a 0-10 question, a 1-7 column."""


def fill_trainer_session(store: Store, code: str = "OWN") -> tuple[Session, list[Participant]]:
    """A session on :data:`TRAINER_TEMPLATE` with five people's answers at the top of every
    scale: four 7s on one condition and one 1 (pseudo-consensus), 0-10 scores, a 1-7 column."""
    from netwerk_widgets.store import Answer
    from netwerk_widgets.templates import read_template_text

    text = read_template_text(TRAINER_TEMPLATE)
    session = store.create_session(
        "Own workshop", template=str(TRAINER_TEMPLATE), template_text=text, code=code
    )
    orgs = ["School", "School", "Library", "Library", "Council"]
    goal = [7, 7, 7, 7, 1]  # high on average, but one person far away: pseudo-consensus
    trust = [2, 3, 2, 3, 2]
    recommend = [0, 10, 10, 9, 10]
    people = []
    for number, (org, g, t, r) in enumerate(zip(orgs, goal, trust, recommend, strict=True)):
        person = store.join(code, f"Person {number}")
        store.append(
            person,
            [
                Answer("who", "org", org, field="text"),
                Answer("who", "partners", "Museum", f"r{number}", "partner"),
                Answer("who", "partners", "7", f"r{number}", "quality", 7.0),
                Answer("health_check", "c_goal", str(g), field="score", value_num=float(g)),
                Answer("health_check", "c_trust", str(t), field="score", value_num=float(t)),
                Answer("health_check", "c_table", "weet_niet", field="score"),
                Answer("mood", "recommend", str(r), field="score", value_num=float(r)),
                Answer("mood", "remark", f"Remark {number}", field="text"),
            ],
        )
        people.append(person)
    return session, people
