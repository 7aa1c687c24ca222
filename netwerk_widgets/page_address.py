"""The page's address: what a page's query string says, and a participant's personal link.

A page's query names the session (``sessie``), the participant's secret (``deelnemer``),
the block to open (``blok``) and the language (``taal``). A kernel from Voilà's preheated
pool asks for its page's address once it is handed to a page (:func:`page_query`). The
personal link brings a participant back to their own answers, on any server.
"""

from __future__ import annotations

import html
import os
from urllib.parse import parse_qs, urlencode

from .messages import messages

QUERY_SESSION = "sessie"
QUERY_TOKEN = "deelnemer"
QUERY_BLOCK = "blok"
QUERY_LANGUAGE = "taal"


def page_query(query_string: str | None = None) -> dict[str, str]:
    """The page's query parameters (first value of each; unknown ones are ignored).

    Voilà puts the query string in ``QUERY_STRING``. A kernel from a preheated pool runs the
    notebook before anyone asked for the page: here it waits until Voilà hands it to a page
    and sends that request's details (query string, host, port, path) into its environment.
    That happens once; later calls read the environment.

    The wait does what ``voila.utils.get_query_string`` does (one message on the websocket
    ``/voila/query/<kernel id>``) without importing ``voila.utils``: that would load Voilà's
    whole server into every kernel (2.6 s CPU and 44 MB per kernel here, more than the
    participant's workbook itself). The socket wants the kernel's own proof
    (:mod:`netwerk_widgets._query`): nobody else can take the page's details.
    """
    if query_string is None:
        env = os.environ
        if env.get("VOILA_PREHEAT") == "True" and not env.get("SERVER_SOFTWARE", "").startswith(
            "voila/"
        ):
            import asyncio
            import json
            import sys
            import threading
            import time

            import websockets

            base = env.get("VOILA_WS_BASE_URL") or env.get("VOILA_SERVER_URL", "/")
            from ._query import PROOF_ARGUMENT, own_kernel_key, query_proof

            kernel_id = env.get("VOILA_KERNEL_ID", "")
            url = (
                f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}"
                f":{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{kernel_id}"
                f"?{PROOF_ARGUMENT}={query_proof(own_kernel_key(), kernel_id)}"
            )
            request: dict[str, str] = {}

            async def receive() -> None:
                deadline = time.monotonic() + 60
                while True:  # the server may not listen yet when the pool starts
                    try:
                        # No pings of our own: a busy server answers late, and a missed
                        # pong must not cost a participant their page.
                        async with websockets.connect(
                            url, open_timeout=10, ping_interval=None
                        ) as connection:
                            message = await connection.recv()
                        break
                    except ConnectionRefusedError:
                        if time.monotonic() > deadline:
                            raise
                        await asyncio.sleep(0.5)
                if isinstance(message, str):
                    request.update(json.loads(message))

            def wait() -> None:
                try:
                    asyncio.run(receive())
                except Exception as exc:  # no page address: the page shows the join form
                    print(f"netwerk: geen paginagegevens van Voilà ({exc!r})", file=sys.stderr)

            # A thread with its own event loop: the kernel's loop is busy running this cell.
            thread = threading.Thread(target=wait, daemon=True)
            thread.start()
            thread.join()
            env.update({key: str(value) for key, value in request.items()})
        query_string = env.get("QUERY_STRING", "")
    parsed = parse_qs(query_string, keep_blank_values=False)
    return {key: values[0].strip()[:200] for key, values in parsed.items() if values}


def personal_link(
    session: str, token: str, page_url: str | None = None, *, language: str = ""
) -> str:
    """A participant's personal link: the page's own address with session and token.

    ``page_url`` defaults to the address of the request Voilà is serving: host, port and
    path as the browser asked for them (``SERVER_NAME``, ``SERVER_PORT``, ``SCRIPT_NAME``;
    ``https`` behind a proxy that says so in ``X-Forwarded-Proto``). Not ``VOILA_REQUEST_URL``
    in a preheated kernel: Voilà gives a pooled kernel the address of the request that was
    served when the kernel was started, someone else's. Without a request (JupyterLab, tests)
    the link is relative to the page.
    """
    if page_url is None:
        env = os.environ
        host, port, path = (
            env.get("SERVER_NAME"),
            env.get("SERVER_PORT", ""),
            env.get("SCRIPT_NAME"),
        )
        if host and path:
            https = env.get("HTTP_X_FORWARDED_PROTO", "").lower() == "https" or port == "443"
            default_port = "443" if https else "80"
            netloc = host if port in ("", default_port) else f"{host}:{port}"
            page_url = f"{'https' if https else 'http'}://{netloc}{path}"
        elif env.get("VOILA_PREHEAT") != "True":
            page_url = env.get("VOILA_REQUEST_URL", "")
        else:
            page_url = ""
    base = page_url.split("?", 1)[0].split("#", 1)[0]
    query = {QUERY_SESSION: session, QUERY_TOKEN: token}
    if language:
        query[QUERY_LANGUAGE] = language
    return base + "?" + urlencode(query)


def personal_link_html(link: str, language: str = "nl") -> str:
    """The personal link as a short line: the whole address in a read-only field (to select
    by hand where copying is not allowed), a copy button and a link with a short name.

    The page template's script makes the button copy the field and say so in the live
    region after it (``.nw-copied``).
    """
    m = messages(language)
    esc = html.escape
    address = esc(link, quote=True)
    return (
        '<div class="nw-personal-link">'
        f"<p>{esc(m('page.personal_link'))}</p>"
        '<div class="nw-link-row">'
        f'<input type="text" readonly value="{address}" '
        f'aria-label="{esc(m("phone.link_field"), quote=True)}">'
        f'<button type="button" class="nw-copy" '
        f'data-copied="{esc(m("phone.copied"), quote=True)}">{esc(m("phone.copy"))}</button>'
        f'<a class="nw-open-link" href="{address}">{esc(m("phone.link_name"))}</a>'
        '</div><p class="nw-copied" role="status" aria-live="polite"></p></div>'
    )


# Shared models for the widgets every participant sees first: a page that opens with fewer
# models costs the kernel and the server less while a whole group joins at once. Never change
# the layout of a widget that uses one of these (it would change them all).
