"""Answers and the actor network written to files for analysts and other tools.

:func:`export_answers` writes the tidy answers (see :func:`~netwerk_widgets.load_answers`)
of one session, several or all as CSV, Excel or Parquet, chosen by the file's suffix;
:func:`export_network` writes a session's actor network as GraphML (Gephi, yEd, networkx).
No export ever contains a participant's secret token or a trainer key.

Imports pandas, so participant kernels do not import this module.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ._files import neutral_cell, written
from .errors import NetwerkError
from .loading import PARTICIPANT_COLUMNS, load_answers, load_participants, opened
from .messages import messages
from .store import Store
from .templates import Template, template_for

if TYPE_CHECKING:
    import networkx as nx

ANSWER_FORMATS = (".csv", ".xlsx", ".parquet")
NETWORK_FORMATS = (".graphml",)


def check_suffix(path: str | os.PathLike[str], formats: Sequence[str]) -> str:
    """The lower-case suffix of ``path``; a clear :class:`NetwerkError` if it is not allowed."""
    suffix = Path(path).suffix.lower()
    if suffix not in formats:
        key = "errors.unknown_suffix" if suffix else "errors.no_suffix"
        raise NetwerkError(key=key, path=os.fspath(path), suffix=suffix, allowed=", ".join(formats))
    return suffix


def export_answers(
    path: str | os.PathLike[str],
    sessions: str | Iterable[str] | None = None,
    *,
    store: Store | str | None = None,
    history: bool = False,
    questions: bool = False,
    language: str | None = None,
) -> Path:
    """Write the tidy answers of one session, several, or all (``None``) to ``path``.

    The format follows the suffix:

    ``.csv``
        The columns of :func:`~netwerk_widgets.load_answers`, UTF-8 with a byte order mark
        so Excel recognises the encoding; ``answered_at`` as ISO 8601 text in UTC. A text
        starting with ``= + - @``, a tab or a carriage return gets a ``'`` in front, so a
        spreadsheet shows it instead of running it as a formula (OWASP).
    ``.xlsx``
        A sheet of answers (``antwoorden`` in Dutch) with the same columns
        (``answered_at`` in UTC without a time zone, which Excel cannot store; texts are
        always text, never formulas) and a sheet
        of participants (``deelnemers``): ``session, participant, display_name,
        anonymous``. The sheets are named in ``language``; by default the language of the
        (first) session's template. Column names stay those of pandas, in every language.
    ``.parquet``
        The DataFrame as it is, dtypes included (``answered_at`` stays UTC-aware).

    ``history=True`` writes every edit instead of only the current answers;
    ``questions=True`` adds ``block_title`` and ``question_text`` as the template of each
    answer's version had them (see :func:`~netwerk_widgets.load_answers`). A session
    without answers gives a file with only the column names. The file appears under its
    name only when complete (see :func:`._files.written`). Returns the path written.

    Raises
    ------
    NetwerkError
        For an unknown suffix (before anything is read), an unknown session, or a file that
        cannot be written.
    """
    target = Path(path)
    suffix = check_suffix(target, ANSWER_FORMATS)
    with opened(store) as db:
        answers = load_answers(
            sessions, store=db, history=history, questions=questions, hidden=True
        )
        # Microseconds, as the store keeps them (an empty frame would otherwise say seconds).
        answers["answered_at"] = answers["answered_at"].astype("datetime64[us, UTC]")
        participants = load_participants(sessions, store=db) if suffix == ".xlsx" else None
        if suffix == ".xlsx" and language is None:
            language = _sessions_language(db, sessions)
    with written(target) as part:
        if suffix == ".csv":
            _neutral(answers).to_csv(part, index=False, encoding="utf-8-sig")
        elif suffix == ".parquet":
            answers.to_parquet(part, engine="pyarrow", index=False)
        else:
            _write_xlsx(part, answers, participants, language or "nl")
    return target


def _neutral(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would run as a formula made plain
    text (see :func:`._files.neutral_cell`)."""
    texts = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    texts = [c for c in texts if not pd.api.types.is_datetime64_any_dtype(frame[c])]
    return frame.assign(**{c: frame[c].map(neutral_cell, na_action="ignore") for c in texts})


def _cell(value: object) -> object:
    """A value openpyxl writes as it is: no NaN/NA, naive datetimes, no illegal characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.tz_convert("UTC").tz_localize(None).to_pydatetime()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    if hasattr(value, "item"):  # NumPy scalars
        return value.item()
    return value


def _write_sheet(sheet: Any, frame: pd.DataFrame, widths: dict[str, int]) -> None:
    """Fill an empty write-only sheet: bold header, filter, frozen first row, column widths."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    last = get_column_letter(max(1, len(frame.columns)))
    for index, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths.get(column, 14)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    bold = Font(bold=True)
    header = []
    for name in frame.columns:
        cell = WriteOnlyCell(sheet, value=str(name))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in frame.itertuples(index=False):
        cells = []
        for value in map(_cell, row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # openpyxl turns text starting with "=" into a formula; answers stay text.
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            cells.append(cell)
        sheet.append(cells)


def _sessions_language(store: Store, sessions: str | Iterable[str] | None) -> str:
    """The language of the first of ``sessions``' templates (Dutch when there is none)."""
    codes = [sessions] if isinstance(sessions, str) else list(sessions or ())
    if not codes:
        codes = [s.code for s in store.sessions()[:1]]
    try:
        return template_for(store.session(codes[0]), store).language if codes else "nl"
    except NetwerkError:
        return "nl"


def _write_xlsx(
    path: Path, answers: pd.DataFrame, participants: pd.DataFrame | None, language: str
) -> None:
    from openpyxl import Workbook

    m = messages(language)
    book = Workbook(write_only=True)
    if participants is None:
        participants = pd.DataFrame(columns=list(PARTICIPANT_COLUMNS))
    try:
        _write_sheet(
            book.create_sheet(m("export.answers_sheet")),
            answers,
            {"value": 50, "answered_at": 20, "question": 18, "template_version": 10},
        )
        _write_sheet(
            book.create_sheet(m("export.participants_sheet")), participants, {"display_name": 30}
        )
        book.save(path)
    except BaseException:
        # Close openpyxl's half-written sheet streams now: left to the garbage collector,
        # each prints its own traceback ("Exception ignored in ...") after our message.
        for sheet in getattr(book, "_sheets", []):
            stream = getattr(getattr(sheet, "_writer", None), "xf", None)
            if stream is not None:
                with suppress(Exception):
                    stream.close()
        raise


def network_graph(answers: pd.DataFrame, *, template: Template | None = None) -> nx.Graph:
    """The actor network of these answers, as :func:`export_network` writes it.

    :func:`~netwerk_widgets.network.relations_graph` of the actor register and the reported
    relations, with the register's ``participation``, ``involvement``, ``interests`` and
    ``mentions`` added to each registered actor where known. ``template`` says which
    questions hold the register and the relations (default: the built-in workbook's).
    """
    from . import analysis, network

    register = analysis.actor_register(answers, template=template)
    relations = analysis.actor_relations(answers, template=template)
    graph = network.relations_graph(register, relations)
    for row in register.itertuples(index=False):
        name = " ".join(str(row.actor).split())
        if name not in graph:
            continue
        extra = {
            "participation": str(row.participation).strip() or None,
            "involvement": float(row.involvement) if pd.notna(row.involvement) else None,
            "interests": str(row.interests).strip() or None,
            "mentions": int(row.mentions),
        }
        graph.nodes[name].update({k: v for k, v in extra.items() if v is not None})
    return graph


def export_network(
    path: str | os.PathLike[str], session: str, *, store: Store | str | None = None
) -> Path:
    """Write the actor network of ``session`` as GraphML (for Gephi, yEd or networkx).

    Nodes are the actors of the group's register (``role``, ``organisation``,
    ``participation``, ``involvement``, ``interests``, ``mentions``, ``in_register``) plus
    actors only named in a relation (``in_register`` false); edges carry ``reports``,
    ``reporters`` (how many participants) and the mean ``strength`` and ``trust``. Who
    reported what is not written. Which questions hold the actors and relations comes from
    the template stored with the session. Read it back with
    :func:`~netwerk_widgets.network.read_graphml`. Returns the path written.
    """
    from . import network

    target = Path(path)
    check_suffix(target, NETWORK_FORMATS)
    with opened(store) as db:
        info = db.session(session)
        code = info.code
        template = template_for(info, db)
        answers = load_answers(code, store=db)
    graph = network_graph(answers, template=template)
    graph.graph["session"] = code
    with written(target) as part:
        network.write_graphml(graph, part)
    return target
