"""The plain records the store reads and writes: sessions, participants, answers, snapshots.

Frozen dataclasses without behaviour, and the two helpers every write uses (the time and
cleaning typed text), so the store's modules and their callers share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

ANSWER_COLUMNS = (
    "session",
    "participant",
    "block",
    "question",
    "item",
    "field",
    "value",
    "value_num",
    "answered_at",
)
MODERATION_KINDS = ("hide", "show", "merge", "unmerge")
"""Workshop events that change what group results show (:meth:`Store.results_state`)."""


@dataclass(frozen=True)
class Session:
    """A workshop session: participants join it with ``code``."""

    code: str
    title: str
    network: str
    template: str
    template_version: str
    trainer_key: str
    created_at: str
    closed: bool = False
    template_hash: str = ""
    """The content hash of the template snapshot the session was created with ('' for a
    session made before snapshots, which knows only ``template``, a name or a path)."""
    deleted: bool = False
    """Deleted by the trainer (a tombstone event): not listed, nobody can join or answer;
    its answers are kept for export until purged."""


@dataclass(frozen=True)
class TemplateSnapshot:
    """A workbook template as the store keeps it: the YAML text a session was created with."""

    hash: str
    """:func:`~netwerk_widgets.templates.content_hash` of ``text``."""
    name: str
    version: str
    text: str
    stored_at: str
    migrated: bool = False
    """Read later from the file of a session made before snapshots existed."""


@dataclass(frozen=True)
class Participant:
    """A participant of one session; ``token`` is the secret in their personal link."""

    id: str
    session: str
    token: str
    display_name: str
    anonymous: bool


@dataclass(frozen=True)
class Answer:
    """One answer value, as the store keeps it."""

    block: str
    question: str
    value: str | None
    item: str = ""
    field: str = ""
    value_num: float | None = None


_CONTROL = dict.fromkeys(c for c in range(32) if chr(c) not in "\n\t") | {127: None}


def clean_text(text: str) -> str:
    """``text`` without control characters (keeping new lines and tabs).

    Typed or pasted control characters are invisible, break exports, and PostgreSQL refuses
    a NUL; everything else (emoji, right-to-left text) is kept as it is.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def now() -> str:
    """The current time in UTC as ISO 8601 text with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")
