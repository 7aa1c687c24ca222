"""The Voilà server the benchmarks measure, started exactly as ``make run`` starts it.

Shared by ``bench/startup.py`` and ``bench/burst.py`` (a sibling module: the scripts run as
``python bench/<name>.py``, so this folder is on ``sys.path``).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import psutil

from netwerk_widgets.cli import voila_command, voila_environment

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def command_with_pool(workbooks: Path, port: int, pool: int | None) -> list[str]:
    """:func:`voila_command` as ``NETWERK_POOL_SIZE=<pool>`` would give it (None: as set)."""
    saved = os.environ.get("NETWERK_POOL_SIZE")
    if pool is not None:
        os.environ["NETWERK_POOL_SIZE"] = str(pool)
    try:
        return voila_command(workbooks, port)
    finally:
        if saved is None:
            os.environ.pop("NETWERK_POOL_SIZE", None)
        else:
            os.environ["NETWERK_POOL_SIZE"] = saved


class BenchServer:
    """A Voilà server on a free port of 127.0.0.1 with the store ``db_url``, logging to a file.

    Subclasses wait for it the way their measurement needs (first answer, full pools).
    """

    stop_timeout = 60.0  # seconds to wait after SIGTERM before SIGKILL
    log_lines = 40

    def __init__(self, workbooks: Path, db_url: str, log_path: Path, pool: int | None = None):
        self.port = free_port()
        self.command = command_with_pool(workbooks, self.port, pool)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self._log = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            self.command,
            env=voila_environment(db_url),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        self.psutil = psutil.Process(self.process.pid)

    def kernels(self) -> list[psutil.Process]:
        """The kernel processes of this server (and of no other Voilà on the machine)."""
        found = []
        for child in self.psutil.children(recursive=True):
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                pass
        return found

    def worker(self) -> psutil.Process | None:
        """The results worker our Voilà server starts next to itself (a child, not a kernel).

        Count its CPU and memory apart: it is neither the server nor a participant's kernel.
        """
        for child in self.psutil.children(recursive=False):
            try:
                if "netwerk_widgets.worker" in " ".join(child.cmdline()):
                    return child
            except psutil.Error:
                pass
        return None

    def kernel_process(self, kernel_id: str) -> psutil.Process | None:
        """The kernel process started for ``kernel_id`` (its connection file names the id)."""
        for process in self.kernels():
            try:
                if any(f"kernel-{kernel_id}.json" in part for part in process.cmdline()):
                    return process
            except psutil.Error:
                pass
        return None

    def request_shutdown(self, kernel_id: str, timeout: float) -> None:
        """Ask Voilà to stop a page's kernel, as the page itself tries to on leaving.

        The page's own request (``sendBeacon`` on ``beforeunload``) is refused with 403 by
        Voilà 0.5 started without a token: the page copies the ``_xsrf`` cookie into the
        form, but no page ever set that cookie. Any equal cookie and form value passes.
        """
        request = urllib.request.Request(
            f"{self.url}/voila/api/shutdown/{kernel_id}",
            data=b"_xsrf=bench",
            headers={
                "Cookie": "_xsrf=bench",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            method="POST",
        )
        urllib.request.urlopen(request, timeout=timeout).close()

    def log_text(self) -> str:
        """The server's log so far (the worker and the kernels write into it too)."""
        if not self._log.closed:
            self._log.flush()
        return re.sub(r"\x1b\[[0-9;]*m", "", self.log_path.read_text(errors="replace"))

    def log_tail(self) -> str:
        """The end of the server's log (it lives in a folder removed afterwards)."""
        return "\n".join(self.log_text().splitlines()[-self.log_lines :])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
