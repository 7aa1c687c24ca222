"""The lean participant client of the benchmarks and the deployment test.

A page in a real browser costs Chromium about 3 CPU-seconds here; fifty of them on the
server's two cores would measure Chromium, not the server. This client asks the server for
what a page asks: the page, its files over six keep-alive connections (with gzip, like a
browser), then the widget state over the kernel's websocket, spoken as ipywidgets' page code
speaks it. It keeps a page's cookies (a proxy in front routes each page by its cookie, see
``deploy/nginx.conf``), so the page and its websocket reach the same server.

Used by ``bench/burst.py`` and ``tests/test_deploy.py`` (which puts this folder on
``sys.path``).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from datetime import datetime
from typing import Any

MB = 1024 * 1024
TIMEOUT_S = 240
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


def cookie_header(cookies: dict[str, str] | None) -> str:
    """A ``Cookie`` header's value for these cookies."""
    return "; ".join(f"{name}={value}" for name, value in (cookies or {}).items())


class KernelClient:
    """The kernel websocket of one page, spoken as ipywidgets' page code speaks it."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.session = uuid.uuid4().hex
        self.messages: list[dict[str, Any]] = []
        self.changed = asyncio.Event()
        self.reader = asyncio.ensure_future(self._read())
        self.models: dict[str, dict[str, Any]] = {}  # widget id -> state (with _model_name)
        self.received = 0  # characters of JSON received

    @classmethod
    async def connect(
        cls, port: int, kernel_id: str, cookies: dict[str, str] | None = None
    ) -> KernelClient:
        """Open the kernel's websocket (with the page's cookies: a proxy routes by them)."""
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = f"ws://127.0.0.1:{port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}"
        headers = {"Cookie": cookie_header(cookies)} if cookies else {}
        request = HTTPRequest(url, headers=headers, connect_timeout=60, request_timeout=60)
        ws = await websocket_connect(request, max_message_size=64 * MB)
        return cls(ws)

    @property
    def closed(self) -> bool:
        """Whether the server closed the websocket (the server or the kernel is gone)."""
        return self.reader.done()

    async def _read(self) -> None:
        while True:
            message = await self.ws.read_message()
            if message is None:
                return
            if isinstance(message, str):
                self.received += len(message)
                message = json.loads(message)
                self.messages.append(message)
                self._track(message)
                self.changed.set()

    def _track(self, message: dict[str, Any]) -> None:
        content = message.get("content", {})
        data = content.get("data") or {}
        if message.get("msg_type") == "comm_open" and "state" in data:
            self.models[content["comm_id"]] = dict(data["state"])
        elif message.get("msg_type") == "comm_msg" and data.get("method") == "update":
            self.models.setdefault(content["comm_id"], {}).update(data.get("state", {}))

    async def wait_for(self, predicate: Any, start: int = 0, timeout: float = TIMEOUT_S) -> Any:
        deadline = time.monotonic() + timeout
        seen = start
        while True:
            for message in self.messages[seen:]:
                found = predicate(message)
                if found:
                    return found
            seen = len(self.messages)
            self.changed.clear()
            left = deadline - time.monotonic()
            if left <= 0 or self.reader.done():
                raise TimeoutError("geen antwoord van de kernel")
            await asyncio.wait_for(self.changed.wait(), left)

    def send(self, msg_type: str, content: dict[str, Any], metadata: dict | None = None) -> None:
        header = {
            "msg_id": uuid.uuid4().hex,
            "username": "bench",
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": datetime.now().astimezone().isoformat(),
        }
        message = {
            "header": header,
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
        self.ws.write_message(json.dumps(message))

    async def request_states(self) -> dict[str, dict[str, Any]]:
        comm_id = uuid.uuid4().hex
        self.send(
            "comm_open",
            {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},
        )
        self.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})

        def reply(message: dict[str, Any]) -> Any:
            content = message.get("content", {})
            data = content.get("data", {})
            if content.get("comm_id") == comm_id and data.get("method") == "update_states":
                return data["states"]
            return None

        states = await self.wait_for(reply)
        for model_id, item in states.items():
            self.models[model_id] = {**item["state"], "_model_name": item["model_name"]}
        return states

    def find(self, model: str, **state: Any) -> str:
        """The newest widget of this kind with these trait values (``_dom_classes``: one)."""
        for model_id, values in reversed(self.models.items()):
            if values.get("_model_name") == model and all(
                value in values.get(key, ()) if key == "_dom_classes" else values.get(key) == value
                for key, value in state.items()
            ):
                return model_id
        raise LookupError(f"geen {model} met {state}")

    def update(self, model_id: str, state: dict[str, Any]) -> None:
        data = {"method": "update", "state": state, "buffer_paths": []}
        self.send("comm_msg", {"comm_id": model_id, "data": data})

    def click(self, model_id: str) -> None:
        data = {"method": "custom", "content": {"event": "click"}}
        self.send("comm_msg", {"comm_id": model_id, "data": data})

    async def new_html(self, text: str, start: int) -> None:
        """Wait until the kernel opens an HTML widget that contains ``text``."""

        def opened(message: dict[str, Any]) -> bool:
            if message.get("msg_type") != "comm_open":
                return False
            state = message["content"].get("data", {}).get("state", {})
            return state.get("_model_name") == "HTMLModel" and text in state.get("value", "")

        await self.wait_for(opened, start)

    def models_since(self, model: str, start: int) -> list[str]:
        """Widgets of this kind the kernel opened after message ``start``, oldest first."""
        found = []
        for message in self.messages[start:]:
            content = message.get("content", {})
            state = (content.get("data") or {}).get("state", {})
            if message.get("msg_type") == "comm_open" and state.get("_model_name") == model:
                found.append(content["comm_id"])
        return found

    def close(self) -> None:
        self.ws.close()
        self.reader.cancel()


class HttpConnection:
    """One keep-alive HTTP/1.1 connection, as lean as can be: the bench's two cores are the
    server's too. (httpx, or http.client in a thread per connection, cost the bench more CPU
    than the server it measured.) Asks for gzip like a browser; unpacks nothing it need not.
    """

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies = cookies  # shared by a page's connections, like a browser's jar
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self, path: str) -> tuple[bytes, dict[str, str]]:
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        cookie = f"Cookie: {cookie_header(self.cookies)}\r\n" if self.cookies else ""
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n{cookie}"
            "Accept-Encoding: gzip, deflate\r\n\r\n".encode()
        )
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split()[1])
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
                if name.strip().lower() == "set-cookie" and self.cookies is not None:
                    key, _, rest = value.strip().partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
        if headers.get("transfer-encoding") == "chunked":
            parts = []
            while size := int((await reader.readuntil(b"\r\n")).split(b";")[0], 16):
                parts.append(await reader.readexactly(size + 2))
            await reader.readuntil(b"\r\n")
            body = b"".join(part[:-2] for part in parts)
        else:
            body = await reader.readexactly(int(headers.get("content-length", 0)))
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}")
        return body, headers

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
