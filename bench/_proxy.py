"""nginx in front of Voilà servers, configured from the file the project ships.

``deploy/nginx.conf`` is what an organisation installs; here the same file is rendered for
servers on free local ports: its ``listen`` and upstream ``server`` lines are replaced, and
nginx keeps its pid, logs and temporary files in a folder of its own. Nothing else of the
file changes, so the deployment test (``tests/test_deploy.py``) and ``bench/burst.py
--proxy`` run the routing that is documented. Debian's ``nginx`` package
(``scripts/install-system-deps.sh``); the system's own nginx service is never touched.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CONFIG = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

UPSTREAM_SERVER = re.compile(r"^(\s*)server\s+127\.0\.0\.1:\d+(\s[^;]*)?;\s*$", re.MULTILINE)
LISTEN = re.compile(r"^(\s*)listen\s+80;\s*$", re.MULTILINE)
HTTP_OPEN = re.compile(r"^http\s*\{\s*$", re.MULTILINE)


def render_config(text: str, port: int, servers: Sequence[str], folder: Path) -> str:
    """The shipped configuration for a proxy on ``port`` in front of ``servers`` (host:port).

    Raises ``ValueError`` when the file no longer has the lines this replaces (then the test
    would not run what is shipped).
    """
    upstream = UPSTREAM_SERVER.findall(text)
    if not upstream or not LISTEN.search(text) or not HTTP_OPEN.search(text):
        msg = "deploy/nginx.conf: no upstream 'server 127.0.0.1:PORT ...;', 'listen 80;' or http"
        raise ValueError(msg)
    indent, options = upstream[0]
    lines = "\n".join(f"{indent}server {server}{options};" for server in servers)
    first = UPSTREAM_SERVER.search(text)
    assert first is not None
    text = text[: first.start()] + "\0UPSTREAM\0" + text[first.end() :]
    text = UPSTREAM_SERVER.sub("", text).replace("\0UPSTREAM\0", lines)
    text = LISTEN.sub(lambda m: f"{m.group(1)}listen 127.0.0.1:{port};", text)
    text = text.replace("worker_processes auto;", "worker_processes 1;")
    own = "\n".join(
        f"    {directive} {folder / name};"
        for directive, name in (
            ("access_log", "access.log"),
            ("client_body_temp_path", "body"),
            ("proxy_temp_path", "proxy"),
            ("fastcgi_temp_path", "fastcgi"),
            ("uwsgi_temp_path", "uwsgi"),
            ("scgi_temp_path", "scgi"),
        )
    )
    text = HTTP_OPEN.sub(lambda m: m.group(0) + "\n" + own, text, count=1)
    return f"pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n" + text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NginxProxy:
    """An nginx of its own on a free port of 127.0.0.1, in front of ``servers``."""

    def __init__(self, servers: Sequence[str], folder: Path, port: int | None = None) -> None:
        if not Path(NGINX).exists():
            msg = "nginx is missing (Debian package nginx; scripts/install-system-deps.sh)"
            raise FileNotFoundError(msg)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.config = folder / "nginx.conf"
        text = SHIPPED_CONFIG.read_text(encoding="utf-8")
        self.config.write_text(render_config(text, self.port, servers, folder), "utf-8")
        check = subprocess.run(
            [NGINX, "-t", "-q", "-p", str(folder), "-c", str(self.config)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t: {check.stderr.strip()}")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(self.config), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not start; see {folder / 'error.log'}")

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
