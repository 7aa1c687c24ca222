"""The Voilà server of `netwerk serve`: Voilà itself, with its page files served from memory.

A participant's page asks the server for 93 files (Voilà's scripts, the widget manager,
stylesheets) before it can show a widget. Voilà serves each from disk: it looks the file up
in several folders, checks the path, opens and reads it, on every request. When twenty
participants open the link together, that is 1,860 requests on the one process that also runs
every page and every widget message: half of the server's work in such a burst.

Here the same URLs are answered from memory: each file is found, read and compressed once,
with the same lookup order as Voilà and nothing outside its folders (no ``..``). Browsers that
accept gzip get the compressed copy (a quarter of the bytes over a workshop's wifi); names
that carry a content hash (``remoteEntry.5cbb9d2323598fbda535.js``, ``?v=<hash>``) may be
cached for a year, others are checked with their ETag. All other URLs are Voilà's own handlers.

And most of those files come in one request: 86 of the 93 are webpack chunks, each of which
only registers its modules in a global list when it runs. Our page template loads
``voila/netwerk/page-files.js`` first: the chunks listed in ``page-files.txt`` (those a page
of ours loads, recorded by ``scripts/record-page-files.py``) one after the other, each in its
own function. Voilà's scripts then find them registered and do not ask for them; a chunk that
is not in the list (another Voilà version, another widget) is fetched on its own as before.

It also starts the results worker (:mod:`netwerk_widgets.worker`) next to itself: one child
process on the same store that computes every block's group results once for all pages. The
server sets ``NETWERK_RESULTS_WORKER=1`` in its own environment before any kernel starts, so
every kernel (preheated or not) inherits it and asks the worker instead of computing
(:class:`netwerk_widgets.groupresults.GroupResults`). The worker is started again if it dies,
stopped when the server stops, and stops by itself when the server is killed.
``NETWERK_RESULTS_WORKER=0`` (or ``--NetwerkVoila.results_worker=False``) starts none; pages
then compute group results themselves, as before.

Two of Voilà's handlers are replaced by stricter ones: a page is refused with a short "te
druk, probeer het zo opnieuw" page (503, ``Retry-After``) when the kernels serving pages
would pass the limits of :class:`netwerk_widgets._kernels.PacedKernelManager`
(``NETWERK_MAX_KERNELS``, ``NETWERK_MAX_KERNELS_PER_NOTEBOOK``), and the websocket that tells a
preheated kernel its page (``/voila/query/<kernel id>``) answers only that kernel
(:mod:`netwerk_widgets._query`).

Run as ``python -m netwerk_widgets._voila`` with Voilà's command-line options.
"""

from __future__ import annotations

import atexit
import gzip
import hashlib
import html
import logging
import mimetypes
import os
import posixpath
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import tornado.web
from jupyter_server.utils import url_path_join
from traitlets import Bool, default
from voila.app import Voila
from voila.paths import collect_static_paths
from voila.request_info_handler import RequestInfoSocketHandler
from voila.tornado.handler import TornadoVoilaHandler

from ._query import PROOF_ARGUMENT, proof_matches
from .front import audience_page, front_page, not_served
from .messages import messages
from .settings import LANGUAGES, RESULTS_WORKER, settings
from .worker import WorkerProcess

COMPRESSIBLE = re.compile(r"^(text/|application/(javascript|json|xml)|image/svg\+xml)")
# Content hashes in names written by webpack: ``remoteEntry.<hash>.js``, ``<id>.<hash>.js``.
HASHED_NAME = re.compile(r"\.[0-9a-f]{16,}\.[a-z0-9]+$")
LONG_CACHE = "public, max-age=31536000, immutable"

PAGE_FILES_LIST = Path(__file__).parent / "share/voila/templates/netwerk/page-files.txt"
PAGE_FILES_NAME = "page-files.js"

Finder = Callable[[str], "str | None"]


@dataclass(frozen=True)
class PageFile:
    """One file as the server sends it: its bytes, a gzip copy if that is smaller, headers."""

    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str

    @classmethod
    def read(cls, path: str) -> PageFile:
        with open(path, "rb") as file:
            return cls.of(file.read(), mimetypes.guess_type(path)[0] or "application/octet-stream")

    @classmethod
    def of(cls, body: bytes, content_type: str) -> PageFile:
        gzipped = None
        if COMPRESSIBLE.match(content_type) and len(body) > 1024:
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            gzipped = packed if len(packed) < len(body) else None
        if content_type.startswith("text/") or content_type == "application/javascript":
            content_type += "; charset=UTF-8"
        return cls(body, gzipped, content_type, f'"{hashlib.sha1(body).hexdigest()}"')


def safe_relative_path(path: str) -> str | None:
    """``path`` as a relative path that stays inside its folder, or None."""
    if not path or "\\" in path or "\0" in path:
        return None
    normal = posixpath.normpath(path)
    if normal.startswith(("/", "../")) or normal in (".", ".."):
        return None
    return normal


def find_in(roots: Sequence[str], path: str) -> str | None:
    """The first file ``path`` names in ``roots`` (Voilà's order), or None."""
    relative = safe_relative_path(path)
    if relative is None:
        return None
    for root in roots:
        candidate = os.path.join(root, relative)
        if os.path.isfile(candidate):
            return candidate
    return None


def find_template_file(path: str) -> str | None:
    """A file of a page template: ``<template>/static/<file>``, as Voilà looks it up."""
    template, _, rest = path.partition("/static/")
    if not template or "/" in template or safe_relative_path(template) is None:
        return None
    return find_in(collect_static_paths(["voila", "nbconvert"], template), rest)


def chunk_bundle(paths: Sequence[str], find: Finder) -> bytes:
    """The chunk files ``paths`` names, found with ``find``, as one script.

    Each chunk runs in a function of its own, so its ``"use strict"`` stays its own; files
    that are not there are left out (the page then fetches what it misses itself).
    """
    parts = []
    for path in paths:
        found = find(path)
        if found is not None:
            with open(found, "rb") as file:
                parts.append(b";(function () {\n" + file.read() + b"\n})();\n")
    return b"".join(parts)


def read_page_files_list(path: Path = PAGE_FILES_LIST) -> list[str]:
    """The chunk paths (relative to ``/voila/``) in a recorded list; ``#`` starts a comment."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return [line for line in lines if line]


def read_file(find: Finder, path: str) -> PageFile | None:
    found = find(path)
    return None if found is None else PageFile.read(found)


class PageFileHandler(tornado.web.RequestHandler):
    """GET/HEAD of a page file from memory; 404 for anything :attr:`load` does not find."""

    def initialize(
        self, load: Callable[[str], PageFile | None], files: dict[str, PageFile]
    ) -> None:
        self.load = load
        self.files = files

    def compute_etag(self) -> str | None:
        return None  # set in get(); tornado would hash the body on every response

    def get(self, path: str, include_body: bool = True) -> None:
        page_file = self.files.get(path)
        if page_file is None:
            page_file = self.load(path)
            if page_file is None:
                raise tornado.web.HTTPError(404)
            self.files[path] = page_file
        hashed = "v" in self.request.query_arguments or HASHED_NAME.search(path)
        self.set_header("Cache-Control", LONG_CACHE if hashed else "no-cache")
        self.set_header("Etag", page_file.etag)
        if page_file.gzipped is not None:
            self.set_header("Vary", "Accept-Encoding")
        if page_file.etag in self.request.headers.get("If-None-Match", ""):
            self.set_status(304)
            return
        self.set_header("Content-Type", page_file.content_type)
        body = page_file.body
        if page_file.gzipped is not None and "gzip" in self.request.headers.get(
            "Accept-Encoding", ""
        ):
            self.set_header("Content-Encoding", "gzip")
            body = page_file.gzipped
        if include_body:
            self.write(body)
        else:
            self.set_header("Content-Length", len(body))

    def head(self, path: str) -> None:
        self.get(path, include_body=False)


BUSY_RETRY_SECONDS = 30


def busy_page(language: str) -> str:
    """The page a participant sees when the server holds as many pages as it may."""
    m = messages(language)
    title, text = html.escape(m("server.busy_title")), html.escape(m("server.busy"))
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="font-family:system-ui,sans-serif;margin:2rem auto;max-width:36rem;'
        'padding:0 1rem;line-height:1.5">'
        f'<h1 style="font-size:1.4rem">{title}</h1><p class="nw-busy">{text}</p>'
        "</body></html>"
    )


class CappedVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, but "te druk" (503) instead of a kernel past the limits."""

    @tornado.web.authenticated
    async def get(self, path: str | None = None) -> None:
        notebook = self.notebook_path or path or ""
        check = getattr(self.kernel_manager, "capacity_problem", None)
        problem = check(notebook) if check is not None and notebook.endswith(".ipynb") else None
        if problem is None:
            await super().get(path)
            return
        self.log.warning("Refusing a page of %s: too many kernels (%s).", notebook, problem)
        language = self.get_argument("taal", "nl")
        self.set_status(503)
        self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(busy_page(language if language in LANGUAGES else "nl"))


class KernelOnlyRequestInfoHandler(RequestInfoSocketHandler):
    """Voilà's ``/voila/query/<kernel id>``, open only to the kernel itself (403 otherwise)."""

    async def get(self, *args: object, **kwargs: object) -> None:
        kernel_id = str(args[0]) if args else str(kwargs.get("kernel_id", ""))
        manager = self.settings.get("kernel_manager")
        key = b""
        if manager is not None and kernel_id in manager:
            key = getattr(getattr(manager.get_kernel(kernel_id), "session", None), "key", b"")
        if not proof_matches(key, kernel_id, self.get_argument(PROOF_ARGUMENT, "")):
            raise tornado.web.HTTPError(403)
        await super().get(*args, **kwargs)


STRICTER_HANDLERS = {
    TornadoVoilaHandler: CappedVoilaHandler,
    RequestInfoSocketHandler: KernelOnlyRequestInfoHandler,
}


class FrontPageHandler(tornado.web.RequestHandler):
    """``/``: the front door (:func:`netwerk_widgets.front.front_page`), not Voilà's list of
    every notebook; Voilà's list (``/voila/tree``) sends people here too."""

    def initialize(self, base_url: str) -> None:
        self.base_url = base_url

    def get(self, *_args: str) -> None:
        if self.request.path.rstrip("/") != self.base_url.rstrip("/"):
            self.redirect(self.base_url)
            return
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(front_page(self.base_url, self.get_query_argument("taal", "")))


class AudiencePageHandler(tornado.web.RequestHandler):
    """The address of a notebook that is not a web page (an analyst's): a sentence that says
    where to open it (:func:`netwerk_widgets.front.audience_page`); the notebook never runs."""

    def initialize(self, base_url: str, audience: str) -> None:
        self.base_url, self.audience = base_url, audience

    def get(self, *_args: str) -> None:
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.write(audience_page(self.audience, self.base_url, self.get_query_argument("taal", "")))


class NetwerkVoila(Voila):
    """Voilà, with :class:`PageFileHandler` in front of its own handlers for page files,
    and a results worker next to it."""

    page_bundle = Bool(
        True,
        config=True,
        help="Serve the recorded chunks as voila/netwerk/page-files.js (False: 404, every "
        "chunk on its own; scripts/record-page-files.py records with False).",
    )
    results_worker = Bool(
        config=True,
        help="Start a results worker next to the server and let its kernels ask it for group "
        "results (default: yes, unless NETWERK_RESULTS_WORKER=0).",
    )

    _worker: WorkerProcess | None = None

    @default("results_worker")
    def _default_results_worker(self) -> bool:
        return settings().results_worker is not False

    def initialize(self, argv: list[str] | None = None) -> None:
        super().initialize(argv)
        # traitlets leaves the logger at DEBUG and filters in the handler: every kernel
        # message then builds a debug record nobody sees (a twelfth of a burst's work).
        if self.log_level > logging.DEBUG:
            self.log.setLevel(self.log_level)
        if self.results_worker:
            # Before any kernel starts: Voilà gives every kernel a copy of os.environ.
            os.environ[RESULTS_WORKER] = "1"

    def start(self) -> None:
        if self.results_worker and self._worker is None:
            self._worker = WorkerProcess(
                name=f"{socket.gethostname()}:{self.port}", logger=self.log
            )
            self._worker.start()
            atexit.register(self.stop_worker)  # also when Voilà exits without stop()
            self.log.info("Results worker started (pages ask it for group results).")
        super().start()

    def stop(self) -> None:
        try:
            self.stop_worker()
        finally:
            super().stop()

    def stop_worker(self) -> None:
        """Stop the results worker (if it runs); safe to call more than once."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    def init_handlers(self) -> list:
        find_static = partial(find_in, list(self.static_paths))
        find_labextension = partial(find_in, list(self.labextensions_path))

        def find_chunk(path: str) -> str | None:
            kind, _, rest = path.partition("/")
            finder = {"static": find_static, "labextensions": find_labextension}.get(kind)
            return None if finder is None else finder(rest)

        def load_bundle(path: str) -> PageFile | None:
            if path != PAGE_FILES_NAME or not self.page_bundle:
                return None
            body = chunk_bundle(read_page_files_list(), find_chunk)
            return PageFile.of(body, "text/javascript")

        routes = [
            ("/voila/static/(.*)", partial(read_file, find_static)),
            ("/voila/labextensions/(.*)", partial(read_file, find_labextension)),
            ("/voila/templates/(.*)", partial(read_file, find_template_file)),
            ("/voila/netwerk/(.*)", load_bundle),
        ]
        handlers = [
            (url_path_join(self.server_url, pattern), PageFileHandler, {"load": load, "files": {}})
            for pattern, load in routes
        ]
        base = {"base_url": self.base_url}
        handlers += [
            (url_path_join(self.server_url, "/"), FrontPageHandler, base),
            (url_path_join(self.server_url, "/voila/tree(.*)"), FrontPageHandler, base),
        ]
        if self.root_dir and not self.notebook_path:
            for path, audience in not_served(Path(self.root_dir)).items():
                handlers.append(
                    (
                        url_path_join(self.server_url, "/voila/render/", re.escape(path)),
                        AudiencePageHandler,
                        {**base, "audience": audience},
                    )
                )
        voila_handlers = [
            (route[0], STRICTER_HANDLERS.get(route[1], route[1]), *route[2:])
            for route in super().init_handlers()
        ]
        return handlers + voila_handlers


main = NetwerkVoila.launch_instance

if __name__ == "__main__":
    main()
