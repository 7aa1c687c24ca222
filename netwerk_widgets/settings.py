"""Every setting the package reads from the environment, in one place.

The package reads ``NETWERK_*`` variables here and nowhere else: :meth:`Settings.from_env`
turns an environment into one frozen :class:`Settings`, and functions elsewhere take what
they need from it (or a parameter). A wrong value is a :class:`~netwerk_widgets.errors.
NetwerkError` that names the variable, raised when the settings are read, not somewhere
deep in a kernel later.

=============================  ==========================================================
variable                       meaning
=============================  ==========================================================
``NETWERK_DB_URL``             the store (any SQLAlchemy URL); default a SQLite file in
                               ``$XDG_DATA_HOME/netwerkwerkboek`` (``~/.local/share``)
``NETWERK_DB_BUSY_TIMEOUT``    seconds a SQLite write waits for a lock (default 10)
``NETWERK_POOL_SIZE``          preheated kernels for ``start.ipynb`` (default: voila.json;
                               0 turns preheating off)
``NETWERK_RESULTS_WORKER``     ``1``: pages ask a results worker for group results (our
                               Voilà server sets it for its kernels, see
                               :mod:`netwerk_widgets._voila`); ``0``: the server starts no
                               worker and pages compute themselves; unset: compute
                               in-process (JupyterLab, tests, scripts)
``NETWERK_WORKER_INTERVAL``    seconds between two passes of the worker (default 0.2)
``NETWERK_RESULTS_TIMEOUT``    seconds a page waits for the worker's results (default 15,
                               at most 20)
``NETWERK_UNCONNECTED_TIMEOUT`` seconds a page's kernel may wait for its page to connect
                               before the server stops it (default 60; a plain GET that
                               never opens the page must not hold 60 MB for 15 minutes)
``NETWERK_MAX_KERNELS``        kernels serving pages at once on one server, all notebooks
                               together (default 200; preheated kernels still waiting in
                               their pool come on top); above it a "te druk" page (503)
``NETWERK_MAX_KERNELS_PER_NOTEBOOK`` the same per notebook (default 150)
``NETWERK_LANGUAGE``           the language of the ``netwerk`` command's texts (``nl``,
                               default, or ``en``); pages follow their template instead
``NETWERK_TEMPLATES_DIR``      the trainer's own templates (``netwerk template list``, the
                               designer); default ``sjablonen`` next to the default store,
                               ``~/.local/share/netwerkwerkboek/sjablonen``
=============================  ==========================================================

Light to import (standard library only): participant kernels read it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import NetwerkError

PREFIX = "NETWERK_"
DB_URL = "NETWERK_DB_URL"
DB_BUSY_TIMEOUT = "NETWERK_DB_BUSY_TIMEOUT"
POOL_SIZE = "NETWERK_POOL_SIZE"
RESULTS_WORKER = "NETWERK_RESULTS_WORKER"
WORKER_INTERVAL = "NETWERK_WORKER_INTERVAL"
RESULTS_TIMEOUT = "NETWERK_RESULTS_TIMEOUT"
TEMPLATES_DIR = "NETWERK_TEMPLATES_DIR"
UNCONNECTED_TIMEOUT = "NETWERK_UNCONNECTED_TIMEOUT"
MAX_KERNELS = "NETWERK_MAX_KERNELS"
MAX_KERNELS_PER_NOTEBOOK = "NETWERK_MAX_KERNELS_PER_NOTEBOOK"
LANGUAGE = "NETWERK_LANGUAGE"
LANGUAGES = tuple(
    sorted(
        (path.stem for path in (Path(__file__).parent / "messages").glob("*.yaml")),
        key=lambda code: ({"nl": 0, "en": 1}.get(code, 2), code),
    )
)
"""The languages of the interface: one catalogue ``messages/<language>.yaml`` each, Dutch
first and English second (``("nl", "en")``). A third language is one more file (and the
templates' texts)."""

MAX_RESULTS_TIMEOUT = 20.0
"""A page never waits longer than this for group results (a blocked kernel freezes its page)."""

VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_REQUEST_URL", "VOILA_BASE_URL")
"""Variables Voilà sets in the kernels it starts (any of them: we run under Voilà)."""

# Not ours, but they decide a setting: where the default store lives, whether Voilà runs us.
_OTHER_VARIABLES = ("XDG_DATA_HOME", "HOME", *VOILA_VARIABLES)

_TRUE = ("1", "true", "yes", "on", "ja")
_FALSE = ("0", "false", "no", "off", "nee")


@dataclass(frozen=True)
class Settings:
    """The package's settings, as read from one environment.

    Attributes
    ----------
    db_url : str
        ``NETWERK_DB_URL`` as given ('' when unset); :attr:`store_url` is what to open.
    data_home : Path
        Where the default SQLite store lives (``$XDG_DATA_HOME`` or ``~/.local/share``).
    db_busy_timeout : float
        Seconds a SQLite write waits for another connection's lock.
    pool_size : int or None
        Preheated kernels for the participant workbook; ``None``: as ``voila.json`` says.
    results_worker : bool or None
        ``True``: pages ask a results worker; ``False``: no worker (pages compute, and the
        server starts none); ``None``: unset (compute in-process; the server starts one).
    worker_interval : float
        Seconds between two passes of the results worker.
    results_timeout : float
        Seconds a page waits for the worker's results before it shows what it has.
    under_voila : bool
        Whether this process is a kernel Voilà started.
    templates_dir : Path
        The folder of the trainer's own templates (``~`` expanded); by default
        ``netwerkwerkboek/sjablonen`` in :attr:`data_home`.
    unconnected_timeout : float
        Seconds the server keeps a page's kernel whose page never connected to it.
    max_kernels : int
        Kernels serving pages at once on one server (pools not counted); more: "te druk".
    max_kernels_per_notebook : int
        The same for the pages of one notebook.
    language : str
        The language of the command line's texts.
    """

    db_url: str = ""
    data_home: Path = Path.home() / ".local" / "share"
    db_busy_timeout: float = 10.0
    pool_size: int | None = None
    results_worker: bool | None = None
    worker_interval: float = 0.2
    results_timeout: float = 15.0
    under_voila: bool = False
    templates_dir: Path = Path.home() / ".local" / "share" / "netwerkwerkboek" / "sjablonen"
    unconnected_timeout: float = 60.0
    max_kernels: int = 200
    max_kernels_per_notebook: int = 150
    language: str = "nl"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of ``environ`` (default: ``os.environ``).

        Raises
        ------
        NetwerkError
            When a variable has a value that does not fit, naming the variable.
        """
        env = os.environ if environ is None else environ

        def text(name: str) -> str:
            return (env.get(name) or "").strip()

        home = text("HOME")
        data_home = text("XDG_DATA_HOME")
        if data_home:
            base = Path(data_home)
        else:
            base = (Path(home) if home else Path.home()) / ".local" / "share"
        return cls(
            db_url=text(DB_URL),
            data_home=base,
            db_busy_timeout=_number(DB_BUSY_TIMEOUT, text(DB_BUSY_TIMEOUT), 10.0),
            pool_size=_count(POOL_SIZE, text(POOL_SIZE)),
            results_worker=_switch(RESULTS_WORKER, text(RESULTS_WORKER)),
            worker_interval=_number(WORKER_INTERVAL, text(WORKER_INTERVAL), 0.2, positive=True),
            results_timeout=min(
                _number(RESULTS_TIMEOUT, text(RESULTS_TIMEOUT), 15.0), MAX_RESULTS_TIMEOUT
            ),
            under_voila=any(text(name) for name in VOILA_VARIABLES),
            templates_dir=(
                Path(text(TEMPLATES_DIR)).expanduser()
                if text(TEMPLATES_DIR)
                else base / "netwerkwerkboek" / "sjablonen"
            ),
            unconnected_timeout=_number(
                UNCONNECTED_TIMEOUT, text(UNCONNECTED_TIMEOUT), 60.0, positive=True
            ),
            max_kernels=_limit(MAX_KERNELS, text(MAX_KERNELS), 200),
            max_kernels_per_notebook=_limit(
                MAX_KERNELS_PER_NOTEBOOK, text(MAX_KERNELS_PER_NOTEBOOK), 150
            ),
            language=_language(LANGUAGE, text(LANGUAGE).lower()),
        )

    @property
    def store_url(self) -> str:
        """The store to open: ``NETWERK_DB_URL``, or the SQLite file in :attr:`data_home`."""
        if self.db_url:
            return self.db_url
        return f"sqlite:///{self.data_home / 'netwerkwerkboek' / 'netwerk.db'}"

    @property
    def uses_worker(self) -> bool:
        """Whether pages ask a results worker instead of computing group results themselves."""
        return self.results_worker is True


def settings() -> Settings:
    """The settings of the current environment, read once for as long as it stays the same.

    Cheap to call often: the relevant variables are compared, and only a changed environment
    (a test's ``monkeypatch.setenv``, a preheated kernel that just got its page) is read again.
    """
    relevant = tuple(
        sorted(
            (name, value)
            for name, value in os.environ.items()
            if name.startswith(PREFIX) or name in _OTHER_VARIABLES
        )
    )
    return _settings_of(relevant)


@lru_cache(maxsize=16)
def _settings_of(relevant: tuple[tuple[str, str], ...]) -> Settings:
    return Settings.from_env(dict(relevant))


def _number(name: str, value: str, default: float, *, positive: bool = False) -> float:
    if not value:
        return default
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = float("nan")
    if not number >= 0 or (positive and number == 0) or number == float("inf"):
        kind = "errors.setting_positive" if positive else "errors.setting_number"
        raise NetwerkError(key=kind, name=name, value=repr(value))
    return number


def _count(name: str, value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise NetwerkError(key="errors.setting_count", name=name, value=repr(value))
    return int(value)


def _limit(name: str, value: str, default: int) -> int:
    """A count of at least 1 (a limit of 0 would refuse every page)."""
    count = _count(name, value)
    if count is None:
        return default
    if count < 1:
        raise NetwerkError(key="server.setting_at_least_one", name=name, value=repr(value))
    return count


def _switch(name: str, value: str) -> bool | None:
    if not value:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise NetwerkError(key="errors.setting_switch", name=name, value=repr(value))


def _language(name: str, value: str) -> str:
    if not value:
        return LANGUAGES[0]
    if value not in LANGUAGES:
        languages = ", ".join(LANGUAGES)
        raise NetwerkError(
            key="errors.setting_language", name=name, languages=languages, value=repr(value)
        )
    return value
