"""What the page's browser needs to keep typed text when the kernel connection is lost.

A participant's page talks to its kernel over one websocket. When the kernel dies or the
server restarts, the browser is the only place that still has what the participant types
next. A small script in the page template (``share/voila/templates/netwerk/connection.js``)
watches the kernel connection and keeps every typed text in the browser's ``localStorage``
until the kernel confirms it saved that text. This module gives it what it needs, all as
plain data in the page (nothing runs in the browser that the kernel sends):

- a *draft key* per text field (block, question, item, field), put on the field as a CSS
  class, so the script knows which answer a text box holds, and one per table question, so
  it can put a text typed in a row that was never saved into a new row of that table;
- :func:`text_hash` of the field's saved value (the same 32-bit FNV-1a hash in the script),
  as another class of the field, so the script forgets a kept text once it is saved;
- :func:`connection_info`: a hidden element with the session, the participant, the personal
  link and the sentences to show (from the message catalogue, in the page's language).
"""

from __future__ import annotations

import html

from .messages import messages

DRAFT_CLASS = "nw-draft"
"""CSS class of a text field whose typed text the browser keeps until it is saved."""

KEY_PREFIX = "nw-key-"
MAX_PREFIX = "nw-max-"
SAVED_PREFIX = "nw-saved-"
TABLE_PREFIX = "nw-table-"
INFO_CLASS = "nw-connection-info"


def question_key(block: str, question: str) -> str:
    """A question's part of a draft key, CSS-safe (hex, so never a ``-``)."""
    return f"{block}\x1f{question}".encode().hex()


def draft_key(block: str, question: str, item: str = "", field: str = "") -> str:
    """The key of one answer value as a CSS-safe word: ``<question>-<item>-<field>`` in hex."""
    return "-".join((question_key(block, question), item.encode().hex(), field.encode().hex()))


def draft_classes(key: str, max_length: int, saved: str | None = None) -> list[str]:
    """The CSS classes a text field carries for the page script: its key, its limit and
    the hash of its saved value (when known)."""
    classes = [f"{MAX_PREFIX}{int(max_length)}"]
    if key:
        classes[:0] = [DRAFT_CLASS, f"{KEY_PREFIX}{key}"]
        if saved is not None:
            classes.append(f"{SAVED_PREFIX}{text_hash(saved)}")
    return classes


def text_hash(text: str) -> int:
    """32-bit FNV-1a over the UTF-16 code units of ``text`` (what JavaScript strings are)."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for index in range(0, len(data), 2):
        value ^= data[index] | (data[index + 1] << 8)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return value


def connection_info(
    language: str,
    *,
    session: str = "",
    participant: str = "",
    link: str = "",
    block: str = "",
) -> str:
    """The hidden element the page script reads (texts in ``language``, who and where)."""
    m = messages(language)
    data = {
        "session": session,
        "participant": participant,
        "link": link,
        "block": block,
        "lost": m("connection.lost"),
        "status-lost": m("connection.status_lost"),
        "carry-on": m("connection.carry_on") if link else m("connection.reload"),
        "restored": m("connection.restored"),
        "too-long": m("page.too_long", n="{n}"),
    }
    attributes = " ".join(f'data-{name}="{html.escape(value)}"' for name, value in data.items())
    return f'<div class="{INFO_CLASS}" hidden {attributes}></div>'
