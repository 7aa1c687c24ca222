"""Settings: every ``NETWERK_*`` variable read in one place, with clear errors."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from netwerk_widgets import NetwerkError
from netwerk_widgets.settings import MAX_RESULTS_TIMEOUT, Settings, settings
from netwerk_widgets.store import default_url

PACKAGE = Path(__file__).resolve().parent.parent / "netwerk_widgets"


def test_an_empty_environment_gives_the_defaults(tmp_path: Path) -> None:
    config = Settings.from_env({"HOME": str(tmp_path)})
    assert config.db_url == ""
    assert config.store_url == f"sqlite:///{tmp_path}/.local/share/netwerkwerkboek/netwerk.db"
    assert config.db_busy_timeout == 10.0
    assert config.pool_size is None
    assert config.results_worker is None and not config.uses_worker
    assert config.worker_interval == 0.2
    assert config.results_timeout == 15.0
    assert not config.under_voila


def test_every_variable_is_read() -> None:
    config = Settings.from_env(
        {
            "NETWERK_DB_URL": " postgresql+psycopg://u@h/db ",
            "NETWERK_DB_BUSY_TIMEOUT": "2,5",
            "NETWERK_POOL_SIZE": "7",
            "NETWERK_RESULTS_WORKER": "1",
            "NETWERK_WORKER_INTERVAL": "0.5",
            "NETWERK_RESULTS_TIMEOUT": "5",
            "XDG_DATA_HOME": "/data",
            "VOILA_KERNEL_ID": "k-1",
        }
    )
    assert config.store_url == config.db_url == "postgresql+psycopg://u@h/db"
    assert config.data_home == Path("/data")
    assert config.db_busy_timeout == 2.5
    assert config.pool_size == 7
    assert config.results_worker is True and config.uses_worker
    assert config.worker_interval == 0.5
    assert config.results_timeout == 5.0
    assert config.under_voila


@pytest.mark.parametrize(
    ("value", "expected"), [("0", False), ("nee", False), ("off", False), ("JA", True), ("", None)]
)
def test_results_worker_is_a_switch(value: str, expected: bool | None) -> None:
    assert Settings.from_env({"NETWERK_RESULTS_WORKER": value}).results_worker is expected


def test_a_page_never_waits_longer_than_the_maximum() -> None:
    config = Settings.from_env({"NETWERK_RESULTS_TIMEOUT": "600"})
    assert config.results_timeout == MAX_RESULTS_TIMEOUT <= 20


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("NETWERK_POOL_SIZE", "veel", "NETWERK_POOL_SIZE moet een getal zijn"),
        ("NETWERK_POOL_SIZE", "-3", "NETWERK_POOL_SIZE moet een getal zijn"),
        ("NETWERK_DB_BUSY_TIMEOUT", "lang", "NETWERK_DB_BUSY_TIMEOUT moet een getal"),
        ("NETWERK_DB_BUSY_TIMEOUT", "-1", "NETWERK_DB_BUSY_TIMEOUT moet een getal"),
        ("NETWERK_RESULTS_TIMEOUT", "nan", "NETWERK_RESULTS_TIMEOUT moet een getal"),
        ("NETWERK_WORKER_INTERVAL", "0", "NETWERK_WORKER_INTERVAL moet een positief getal"),
        ("NETWERK_RESULTS_WORKER", "misschien", "NETWERK_RESULTS_WORKER moet 1 (aan) of 0"),
    ],
)
def test_a_wrong_value_names_the_variable(name: str, value: str, says: str) -> None:
    with pytest.raises(NetwerkError, match=re.escape(says)) as caught:
        Settings.from_env({name: value})
    assert repr(value) in str(caught.value)


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Settings().db_url = "x"  # type: ignore[misc]


def test_settings_are_read_once_per_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETWERK_RESULTS_WORKER", "1")
    first = settings()
    assert first is settings()  # the same environment: not read again
    assert first.uses_worker
    monkeypatch.setenv("NETWERK_RESULTS_WORKER", "0")
    assert settings() is not first and not settings().uses_worker
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-2")  # a preheated kernel that got its page
    assert settings().under_voila


def test_the_store_url_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("NETWERK_DB_URL", "sqlite:////elders/netwerk.db")
    assert default_url() == settings().store_url == "sqlite:////elders/netwerk.db"
    monkeypatch.delenv("NETWERK_DB_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert default_url() == f"sqlite:///{tmp_path}/netwerkwerkboek/netwerk.db"


def test_no_other_module_reads_our_variables() -> None:
    """``NETWERK_*`` are read in settings.py only: one place to look for what can be set."""
    reads = re.compile(r"""(environ(\.get)?|getenv)\s*[\[(]\s*["']NETWERK_""")
    offenders = [
        path.name
        for path in PACKAGE.rglob("*.py")
        if path.name != "settings.py" and reads.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
