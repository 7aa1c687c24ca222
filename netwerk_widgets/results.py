"""The results model: what a block's group view contains, as plain data.

A block's group results are a list of *sections*: headings, charts, tables, notes,
warnings, lists of texts, and a switch between alternatives (e.g. a split by role or by
organisation). The result views (:mod:`netwerk_widgets.views`) build them from DataFrames;
the participant page, the trainer screen and the report render the same sections
(:mod:`netwerk_widgets.render`).

Built sections hold what analysts know: a :class:`Chart` holds an ``alt.Chart``, a
:class:`Table` a ``pandas.DataFrame``. :func:`to_payload` turns them into a *payload*: JSON
made of strings only (charts rendered to SVG, table cells as text), which is what the results
cache in the store keeps and what a participant's kernel receives. Reading a payload back
(:func:`from_payload`) needs neither pandas nor Altair, so participant kernels stay light.

This module imports nothing heavy itself; pandas and the chart renderer are imported when a
built section is turned into a payload.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Union

FORMAT = 1
"""Version of the payload layout; part of every cache key, so a new layout is recomputed."""

TONES = ("info", "warning")


@dataclass(frozen=True)
class Heading:
    """A heading above the sections that follow."""

    text: str
    kind: str = field(default="heading", init=False)


@dataclass(frozen=True)
class Note:
    """A sentence of explanation (``tone="info"``) or a warning (``tone="warning"``)."""

    text: str
    tone: str = "info"
    kind: str = field(default="note", init=False)


@dataclass(frozen=True)
class Chart:
    """A chart: an Altair chart while built, its SVG in a payload.

    ``description`` is the text alternative of the chart (a sentence that says what it
    shows, for screen readers and for a report read without pictures).
    """

    chart: Any = None
    description: str = ""
    svg: str = ""
    kind: str = field(default="chart", init=False)


@dataclass(frozen=True)
class Table:
    """A table: a DataFrame with the headers to show; rows of text in a payload.

    ``frame``'s columns are shown in order under ``headers`` (one header per column).
    """

    headers: tuple[str, ...]
    frame: Any = None
    rows: tuple[tuple[str, ...], ...] = ()
    kind: str = field(default="table", init=False)


@dataclass(frozen=True)
class TextList:
    """Texts people typed, one per item (the why-sentences, values, ...)."""

    items: tuple[str, ...]
    kind: str = field(default="list", init=False)


@dataclass(frozen=True)
class Switch:
    """Alternatives of which one is shown at a time (a report shows them all).

    ``options`` are ``(label, sections)`` pairs; the first is shown first.
    """

    label: str
    options: tuple[tuple[str, tuple[Section, ...]], ...]
    kind: str = field(default="switch", init=False)


Section = Union[Heading, Note, Chart, Table, TextList, Switch]  # noqa: UP007 (a runtime alias)


@dataclass(frozen=True)
class BlockResults:
    """The group results of one block of one session, in one language.

    Attributes
    ----------
    session, block : str
        Which results these are.
    title : str
        The block's title in ``language``.
    language : str
        The language every text is in.
    state : str
        The state of the answers they were computed from (see ``Store.results_state``).
    sections : tuple of sections
        What to show, in order.
    """

    session: str
    block: str
    title: str
    language: str
    state: str = ""
    sections: tuple[Section, ...] = ()


# --- payloads ------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A table cell as text: numbers without trailing zeros, lists joined, missing empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    text = str(value)
    return "" if text in ("<NA>", "nan", "NaT") else text


def _table_rows(table: Table) -> tuple[tuple[str, ...], ...]:
    if table.frame is None:
        return table.rows
    return tuple(
        tuple(cell_text(value) for value in row) for row in table.frame.itertuples(index=False)
    )


def section_payload(section: Section) -> dict[str, Any]:
    """One section as JSON-ready data of strings (charts rendered to SVG here)."""
    if isinstance(section, Heading):
        return {"kind": "heading", "text": section.text}
    if isinstance(section, Note):
        return {"kind": "note", "text": section.text, "tone": section.tone}
    if isinstance(section, Chart):
        svg = section.svg
        if not svg and section.chart is not None:
            from .charts import to_svg

            svg = to_svg(section.chart)
        return {"kind": "chart", "svg": svg, "description": section.description}
    if isinstance(section, Table):
        rows = _table_rows(section)
        return {"kind": "table", "headers": list(section.headers), "rows": [list(r) for r in rows]}
    if isinstance(section, TextList):
        return {"kind": "list", "items": list(section.items)}
    if isinstance(section, Switch):
        return {
            "kind": "switch",
            "label": section.label,
            "options": [
                {"label": label, "sections": [section_payload(s) for s in sections]}
                for label, sections in section.options
            ],
        }
    raise TypeError(f"not a results section: {section!r}")


def to_payload(results: BlockResults) -> dict[str, Any]:
    """``results`` as a JSON-ready dict (what the results cache keeps)."""
    return {
        "format": FORMAT,
        "session": results.session,
        "block": results.block,
        "title": results.title,
        "language": results.language,
        "state": results.state,
        "sections": [section_payload(s) for s in results.sections],
    }


def dumps(results: BlockResults | dict[str, Any]) -> str:
    """The payload of ``results`` as JSON text."""
    payload = results if isinstance(results, dict) else to_payload(results)
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def _section(data: dict[str, Any]) -> Section:
    kind = data.get("kind")
    if kind == "heading":
        return Heading(str(data["text"]))
    if kind == "note":
        tone = data.get("tone", "info")
        return Note(str(data["text"]), tone if tone in TONES else "info")
    if kind == "chart":
        return Chart(svg=str(data.get("svg", "")), description=str(data.get("description", "")))
    if kind == "table":
        rows = tuple(tuple(str(c) for c in row) for row in data.get("rows", ()))
        return Table(tuple(str(h) for h in data.get("headers", ())), rows=rows)
    if kind == "list":
        return TextList(tuple(str(i) for i in data.get("items", ())))
    if kind == "switch":
        options = tuple(
            (str(o["label"]), tuple(_section(s) for s in o.get("sections", ())))
            for o in data.get("options", ())
        )
        return Switch(str(data.get("label", "")), options)
    raise ValueError(f"unknown section kind {kind!r}")


def from_payload(payload: dict[str, Any] | str) -> BlockResults:
    """A :class:`BlockResults` of rendered sections, from a payload or its JSON text."""
    data = json.loads(payload) if isinstance(payload, str) else payload
    return BlockResults(
        session=str(data.get("session", "")),
        block=str(data.get("block", "")),
        title=str(data.get("title", "")),
        language=str(data.get("language", "nl")),
        state=str(data.get("state", "")),
        sections=tuple(_section(s) for s in data.get("sections", ())),
    )


def walk(sections: Iterable[Section]) -> Iterable[Section]:
    """Every section, the sections inside switches included (depth first)."""
    for section in sections:
        yield section
        if isinstance(section, Switch):
            for _label, inner in section.options:
                yield from walk(inner)


def texts(sections: Sequence[Section]) -> list[str]:
    """Every text of ``sections`` (headings, notes, table cells, list items), for tests."""
    found: list[str] = []
    for section in walk(sections):
        if isinstance(section, Heading | Note):
            found.append(section.text)
        elif isinstance(section, Table):
            found.extend(section.headers)
            found.extend(c for row in _table_rows(section) for c in row)
        elif isinstance(section, TextList):
            found.extend(section.items)
        elif isinstance(section, Switch):
            found.append(section.label)
            found.extend(label for label, _ in section.options)
    return found
