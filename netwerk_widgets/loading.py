"""Load the store's sessions, participants and answers as tidy pandas DataFrames.

The analysts' one-line loaders (also at the package's top level) and what they share. Each
takes ``store``: a :class:`~netwerk_widgets.Store`, a URL, or ``None`` for the default
store, and raises a Dutch :class:`~netwerk_widgets.SessionError` for an unknown session code.

* :func:`list_sessions`: every session with its network, template, date and size;
* :func:`load_answers`: the tidy answers of one, several or all sessions;
* :func:`load_participants`: who took part, in one, several or all sessions;
* :func:`question_texts`: the block titles and question texts of the versions they used.

Light to import: pandas is imported when a loader is first called, so participant kernels,
which import the package, do not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ._records import ANSWER_COLUMNS
from .errors import NetwerkError
from .messages import messages
from .store import Store

if TYPE_CHECKING:
    import pandas as pd

SESSION_COLUMNS = (
    "code",
    "title",
    "network",
    "template",
    "template_version",
    "created_at",
    "closed",
    "participants",
    "answers",
)
"""Columns of :func:`list_sessions`."""

PARTICIPANT_COLUMNS = ("session", "participant", "display_name", "anonymous")
"""Columns of :func:`load_participants`."""


@contextmanager
def opened(store: Store | str | None) -> Iterator[Store]:
    """``store`` itself, or a store opened from a URL (or the default) for the block.

    What every loader, export and report takes as ``store``.
    """
    if isinstance(store, Store):
        yield store
        return
    with Store(store) as own:
        yield own


def _codes(store: Store, session: str | Iterable[str] | None) -> list[str]:
    """Session codes, checked (unknown code: :class:`SessionError`); ``None`` is all."""
    if session is None:
        return [s.code for s in store.sessions()]
    if isinstance(session, str):
        return [store.session(session).code]
    return list(dict.fromkeys(store.session(code).code for code in session))


def list_sessions(store: Store | str | None = None) -> pd.DataFrame:
    """Every session in the store, oldest first, as a DataFrame.

    Columns: ``code, title, network`` (sessions of one network share it, e.g. a scan and a
    scan a year later), ``template, template_version``, ``created_at`` (datetime, UTC),
    ``closed`` (bool), ``participants`` (how many joined) and ``answers`` (how many current
    answer values, the rows :func:`~netwerk_widgets.load_answers` gives). Never contains a
    trainer key. An empty store gives an empty frame with these columns.
    """
    import pandas as pd

    with opened(store) as db:
        sessions = db.sessions()
        # Counted in the database: one query each instead of loading every answer.
        joined = dict(db._read("SELECT session, COUNT(*) FROM participants GROUP BY session"))
        current = dict(
            db._read(
                "SELECT session, COUNT(*) FROM (SELECT session FROM answers GROUP BY session,"
                " participant, block, question, item, field) latest GROUP BY session"
            )
        )
    frame = pd.DataFrame(
        [
            (
                s.code,
                s.title,
                s.network,
                s.template,
                s.template_version,
                s.created_at,
                s.closed,
                int(joined.get(s.code, 0)),
                int(current.get(s.code, 0)),
            )
            for s in sessions
        ],
        columns=list(SESSION_COLUMNS),
    )
    frame = frame.astype(
        {
            "code": "string",
            "title": "string",
            "network": "string",
            "template": "string",
            "template_version": "string",
            "closed": "bool",
            "participants": "int64",
            "answers": "int64",
        }
    )
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    return frame


def load_answers(
    session: str | Iterable[str] | None = None,
    *,
    store: Store | str | None = None,
    history: bool = False,
    questions: bool = False,
    language: str | None = None,
    hidden: bool = False,
    merged: bool = True,
) -> pd.DataFrame:
    """The current answers of one, several or all sessions as a tidy DataFrame.

    One row per answer value with the columns ``session, participant, block, question,
    item, field, value, value_num, answered_at, template_version``. With ``history=True``,
    every edit instead of only the latest value.

    With ``questions=True`` two more columns, ``block_title`` and ``question_text``: the
    block's title and the question's text as they were in the template of the version the
    answer was given under (the snapshot stored with the sessions), in ``language`` or else
    the template's own language; ``<NA>`` where that version is not in the store. The same
    table on its own: :func:`question_texts`.

    Answers the trainer hid are left out; with ``hidden=True`` they are kept, with a
    boolean ``hidden`` column. Names the trainer merged read as the merged name (``merged=
    False``: as typed; the store always keeps what was typed). See
    :mod:`netwerk_widgets.names`.
    """
    import pandas as pd

    with opened(store) as db:
        if session is None or isinstance(session, str):
            codes = [None] if session is None else [db.session(session).code]
        else:
            codes = [db.session(code).code for code in session]
        rows = [row for code in codes for row in db.current_rows(code, history=history)]
        if questions:
            used: dict[str, set[str]] = {}
            version_at = len(ANSWER_COLUMNS)
            for row in rows:
                used.setdefault(row[0], set()).add(row[version_at])
            texts = question_text_rows(db, used, language)
        frame = _answer_frame(rows)
        from .names import moderate

        typed = frame[["item", "value"]]
        frame = moderate(frame, db, include_hidden=hidden)
        if not merged:
            frame[["item", "value"]] = typed.loc[frame.index]
    if questions:
        table = pd.DataFrame(texts, columns=list(QUESTION_TEXT_COLUMNS), dtype="string")
        frame = frame.merge(
            table.drop(columns="template"),
            how="left",
            on=["session", "template_version", "block", "question"],
            validate="many_to_one",
        )
    return frame.reset_index(drop=True)


def _answer_frame(rows: list[tuple]) -> pd.DataFrame:
    """The DataFrame of :func:`load_answers` from :meth:`Store.current_rows` tuples."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[*ANSWER_COLUMNS, "template_version", "id"])
    frame = frame.drop(columns="id").astype(
        {
            "session": "string",
            "participant": "string",
            "block": "string",
            "question": "string",
            "item": "string",
            "field": "string",
            "value": "string",
            "value_num": "float64",
            "template_version": "string",
        }
    )
    frame["answered_at"] = pd.to_datetime(frame["answered_at"], utc=True, format="ISO8601")
    return frame


QUESTION_TEXT_COLUMNS = (
    "session",
    "template",
    "template_version",
    "block",
    "question",
    "block_title",
    "question_text",
)
"""Columns of :func:`question_text_rows` and :func:`question_texts`."""


def question_text_rows(
    store: Store, versions: dict[str, Iterable[str]], language: str | None = None
) -> list[tuple[str, ...]]:
    """Block titles and question texts per session and template version, from the store.

    ``versions`` maps session codes to the template versions to describe (those their
    answers were given under). Each row is ``(session, template name, version, block,
    question, block title, question text)``. A version is looked up in the session's own
    snapshot first, then among the stored snapshots of the same template name (one not
    migrated from an old file first). A version that is not stored gives no rows; a
    session whose template cannot be read at all gives a warning and no rows.
    """
    import warnings

    from .templates import snapshot_template, template_for

    rows: list[tuple[str, ...]] = []
    for code, wanted in versions.items():
        try:
            own = template_for(store.session(code), store)
        except NetwerkError as exc:
            warnings.warn(messages()("store_check.no_texts", code=code, problem=exc), stacklevel=3)
            continue
        for version in sorted(set(wanted)):
            template = own if version == own.version else None
            if template is None:
                stored = store.template_snapshots(own.name, version)
                stored.sort(key=lambda snapshot: snapshot.migrated)  # stable: oldest first
                if not stored:
                    continue
                try:
                    template = snapshot_template(stored[0])
                except NetwerkError as exc:
                    warnings.warn(
                        messages()("store_check.no_texts", code=code, problem=exc), stacklevel=3
                    )
                    continue
            lang = language or template.language
            rows.extend(
                (
                    code,
                    template.name,
                    version,
                    block.id,
                    question.id,
                    block.title.get(lang),
                    question.text.get(lang),
                )
                for block in template.blocks
                for question in block.questions
            )
    return rows


def load_participants(
    session: str | Iterable[str] | None = None, *, store: Store | str | None = None
) -> pd.DataFrame:
    """Who took part in one, several or all (``None``) sessions, in the order they joined.

    Columns: ``session, participant, display_name, anonymous``. ``display_name`` is the
    name a participant gave, or a pseudonym when they joined anonymously (``anonymous`` is
    then ``True``). Never contains the secret token of a personal link.
    """
    import pandas as pd

    with opened(store) as db:
        rows = [
            (p.session, p.id, p.display_name, p.anonymous)
            for code in _codes(db, session)
            for p in db.participants(code)
        ]
    return pd.DataFrame(rows, columns=list(PARTICIPANT_COLUMNS)).astype(
        {
            "session": "string",
            "participant": "string",
            "display_name": "string",
            "anonymous": "bool",
        }
    )


def question_texts(
    session: str | Iterable[str] | None = None,
    *,
    store: Store | str | None = None,
    language: str | None = None,
) -> pd.DataFrame:
    """Block titles and question texts of one, several or all sessions, per template version.

    Columns: ``session, template, template_version, block, question, block_title,
    question_text``: one row per question of each version a session used (its own, and any
    other its answers were given under), as the template snapshot in the store had it, in
    ``language`` or else the template's own language. Merge it with the answers on
    ``["session", "template_version", "block", "question"]``;
    ``load_answers(..., questions=True)`` does exactly that.
    """
    import pandas as pd

    with opened(store) as db:
        codes = _codes(db, session)
        versions: dict[str, set[str]] = {
            code: {db.session(code).template_version} for code in codes
        }
        for code, version in db._read("SELECT DISTINCT session, template_version FROM answers"):
            if code in versions:
                versions[code].add(version)
        rows = question_text_rows(db, versions, language)
    return pd.DataFrame(rows, columns=list(QUESTION_TEXT_COLUMNS), dtype="string")
