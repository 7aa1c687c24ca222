"""The join screen to project at the start: session code in large type, link, QR code.

The QR code is made here, offline, with ``segno`` (no web service): a PNG in the page, and
the same code as a PNG or SVG file from ``netwerk session create --qr FILE``. The number of
participants who joined updates live (the trainer screen's refresh sets it).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import ipywidgets as w

from ..errors import NetwerkError
from ..messages import Messages
from ..page_address import QUERY_SESSION, personal_link

PARTICIPANT_NOTEBOOK = "start.ipynb"
QR_FORMATS = (".png", ".svg")


def join_link(code: str, page_url: str | None = None) -> str:
    """The participants' link of a session, next to the page being served.

    The trainer page's own address (as the browser asked for it, see
    :func:`~netwerk_widgets.page_address.personal_link`) with ``start.ipynb`` in place of the
    trainer's notebook; relative (``start.ipynb?sessie=...``) without a request.
    """
    own = personal_link(code, "", page_url).split("?", 1)[0]
    folder = own.rsplit("/", 1)[0] + "/" if "/" in own else ""
    return f"{folder}{PARTICIPANT_NOTEBOOK}?{urlencode({QUERY_SESSION: code})}"


def qr_svg(text: str) -> str:
    """A QR code of ``text`` as inline SVG that scales to any size (a projector, a phone).

    Text, not an image widget's PNG bytes: a widget with binary state makes the page's
    first widget-state reply a binary message, and SVG stays sharp at every size.
    """
    return _qr(text).svg_inline(border=4, omitsize=True, light="#fff")


def _qr(text: str) -> Any:
    """The QR code of ``text`` (error correction M: still readable when partly covered)."""
    import segno

    return segno.make(text, error="m")


def check_qr_path(path: str | Path, language: str = "nl") -> Path:
    """``path`` if a QR code can be written there (``.png`` or ``.svg``)."""
    target = Path(path)
    if target.suffix.lower() not in QR_FORMATS:
        raise NetwerkError(key="workshop.errors.qr_format", suffix=target.suffix)
    return target


def write_qr(text: str, path: str | Path, language: str = "nl") -> Path:
    """Write a QR code of ``text`` to ``path`` (``.png`` or ``.svg``); returns the path."""
    target = check_qr_path(path, language)
    try:
        _qr(text).save(str(target), scale=10, border=4)
    except OSError as exc:
        raise NetwerkError(
            key="workshop.errors.qr_write", path=target, problem=exc.strerror or exc
        ) from exc
    return target


class JoinScreen(w.VBox):
    """What participants need to join: code, link, QR code, and how many joined.

    Attributes
    ----------
    link : str
        The participants' link the QR code holds.
    joined : w.HTML
        The live count of participants.
    """

    def __init__(self, code: str, title: str, m: Messages, page_url: str | None = None) -> None:
        self.m = m
        self.link = join_link(code, page_url)
        esc = html.escape
        self.heading = w.HTML(
            layout=w.Layout(flex="1 1 480px", min_width="0"),
            value=f'<div class="nw-join-title">{esc(title)}</div>'
            f'<div class="nw-join-how">{esc(m("workshop.join.how"))}</div>'
            f'<div class="nw-join-code-label">{esc(m("workshop.join.code"))}</div>'
            f'<div class="nw-join-code">{esc(code)}</div>'
            f'<div class="nw-join-link">{esc(self.link)}</div>',
        )
        label = esc(m("workshop.join.qr_label", link=self.link), quote=True)
        self.qr = w.HTML(
            f'<div role="img" aria-label="{label}">{qr_svg(self.link)}</div>',
            layout=w.Layout(flex="0 0 auto"),
        )
        self.qr.add_class("nw-join-qr")
        self.joined = w.HTML()
        self.joined.add_class("nw-join-count")
        style = w.HTML(STYLE)
        super().__init__(
            [
                style,
                w.HBox([self.heading, self.qr], layout=w.Layout(flex_flow="row wrap")),
                self.joined,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("nw-join-screen")
        self.update(0)

    def update(self, joined: int) -> None:
        """Show how many participants joined."""
        text = self.m("workshop.join.joined")
        value = f'<span class="nw-joined-big">{joined}</span> {html.escape(text)}'
        if self.joined.value != value:
            self.joined.value = value


STYLE = (
    "<style>"
    ".nw-join-screen{font-size:28px;line-height:1.3}"
    ".nw-join-title{font-size:40px;font-weight:700;margin-bottom:12px}"
    ".nw-join-how{font-size:28px;margin-bottom:16px}"
    ".nw-join-code-label{font-size:28px;color:#333}"
    ".nw-join-code{font-size:120px;font-weight:800;letter-spacing:0.12em;"
    "font-family:'Liberation Mono',monospace;line-height:1.1}"
    ".nw-join-link{font-size:28px;word-break:break-all;margin-top:12px}"
    ".nw-join-qr{width:min(40vw,70vh);margin:0 0 0 32px}"
    ".nw-join-qr svg{display:block;width:100%;height:auto;shape-rendering:crispEdges}"
    ".nw-join-count{font-size:32px;margin-top:16px}"
    ".nw-joined-big{font-size:56px;font-weight:800}"
    "@media (max-width:700px){.nw-join-code{font-size:64px}.nw-join-qr{width:80vw;margin:0}"
    ".nw-join-link{max-width:90vw;font-size:20px}.nw-join-screen{font-size:22px}}"
    "</style>"
)
