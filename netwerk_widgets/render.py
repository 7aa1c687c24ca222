"""Render results sections as HTML: for the report, the participant page and the trainer screen.

One renderer for every screen: the sections of :mod:`netwerk_widgets.results` become small
pieces of HTML in which everything a person typed is escaped text. Charts are the SVG the
results worker rendered (vl-convert escapes the texts it draws), wrapped in a ``figure``
with the chart's text alternative. Pandas-free: participant kernels use it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from .results import Chart, Heading, Note, Section, Switch, Table, TextList

STYLE = (
    "<style>"
    ".nw-table-box{max-width:100%;overflow-x:auto}"
    ".nw-results .widget-html:not(:first-child),"
    ".nw-results .widget-html:not(:first-child)>.widget-html-content{min-width:0}"
    ".nw-table{border-collapse:collapse;width:100%}"
    ".nw-table td,.nw-table th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;"
    "text-align:left;overflow-wrap:break-word}"
    ".nw-table th{background:#eef3f8}"
    ".nw-chart{margin:4px 0 12px;max-width:100%;overflow-x:auto}"
    ".nw-chart svg{max-width:100%;min-width:var(--nw-least,0);height:auto;display:block}"
    ".nw-chart svg text{font-family:'Liberation Sans',Arimo,Arial,Helvetica,sans-serif}"
    ".nw-note{color:#444}"
    ".nw-warning{color:#8a1c1c;font-weight:600}"
    ".nw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);"
    "white-space:nowrap}"
    "@media (max-width:820px){"
    ".nw-table.nw-cards,.nw-table.nw-cards tbody,.nw-table.nw-cards tr,.nw-table.nw-cards td"
    "{display:block;width:100%;box-sizing:border-box}"
    ".nw-table.nw-cards thead{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}"
    ".nw-table.nw-cards tr{border:1px solid #ccc;border-radius:4px;margin:0 0 10px;"
    "padding:4px 8px}"
    ".nw-table.nw-cards td{border:0;padding:2px 0}"
    ".nw-table.nw-cards td::before{content:attr(data-label);display:block;font-weight:600;"
    "color:#333}"
    ".nw-table.nw-cards td:empty{display:none}}"
    "</style>"
)
"""The few rules the rendered sections need (sent once per results view).

On a screen up to 820 px wide (phones, tablets held upright), a table of several columns
(``nw-cards``) shows one card per row, each cell under its column's name; empty cells are
left out of the card. Table cells
break only words that do not fit on a line by themselves; a table wider than
the screen (a phone) scrolls sideways in its box (the widgets around it may shrink below
the table's width) instead of splitting words and numbers ("2.4" as "2." and "4").
A chart shrinks to the width it gets, down to :data:`LEAST_SCALE` of its own size; on a
screen narrower than that its box scrolls sideways, so its texts stay readable.
Chart texts ask for the font the SVG was measured with (vl-convert lays text out in
Liberation Sans) or one with the same widths, so labels are not cut off at the edges of the
chart; without any of them the browser's sans-serif is used, as before.
"""


LEAST_SCALE = 0.8
"""How far a chart may shrink to fit a screen: its 11 px labels to 9 px, 10 px notes to 8."""

PHONE_ROOM = 300
"""Pixels a 320 px phone leaves for a chart; a chart that cannot shrink to it may scroll
sideways, so its box takes the keyboard focus (arrow keys scroll it)."""

_SVG_WIDTH = re.compile(r'<svg\b[^>]*?\swidth="(\d+(?:\.\d+)?)"')


def least_width(svg: str) -> int:
    """The narrowest a chart is shown (:data:`LEAST_SCALE` of its width), 0 when unknown."""
    found = _SVG_WIDTH.search(svg)
    return int(float(found.group(1)) * LEAST_SCALE) if found else 0


def section_html(section: Section, *, all_options: bool = True) -> str:
    """One section as HTML.

    A :class:`Switch` shows every option one after the other (a report) with
    ``all_options``, else only its first (a page shows the others through its own control).
    """
    esc = html.escape
    if isinstance(section, Heading):
        return f"<h4>{esc(section.text)}</h4>"
    if isinstance(section, Note):
        css = "nw-warning" if section.tone == "warning" else "nw-note"
        role = ' role="note"' if section.tone == "warning" else ""
        return f'<p class="{css}"{role}>{esc(section.text)}</p>'
    if isinstance(section, Chart):
        label = esc(section.description, quote=True)
        caption = f'<figcaption class="nw-sr">{esc(section.description)}</figcaption>'
        least = least_width(section.svg)
        least_style = f' style="--nw-least:{least}px"' if least else ""
        focus = ' tabindex="0"' if least > PHONE_ROOM else ""
        return (
            f'<figure class="nw-chart" role="img" aria-label="{label}"{least_style}{focus}>'
            f"{section.svg}{caption if section.description else ''}</figure>"
        )
    if isinstance(section, Table):
        return table_html(section.headers, section.rows)
    if isinstance(section, TextList):
        items = "".join(f"<li>{esc(item)}</li>" for item in section.items)
        return f'<ul class="nw-texts">{items}</ul>'
    if isinstance(section, Switch):
        options = section.options if all_options else section.options[:1]
        parts = []
        for label, inner in options:
            if all_options:
                parts.append(f"<p><b>{esc(section.label)}: {esc(label)}</b></p>")
            parts.append(sections_html(inner, all_options=all_options))
        return "".join(parts)
    raise TypeError(f"not a results section: {section!r}")


def table_html(headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """An HTML table whose every header and cell is escaped text.

    A table of :data:`CARD_COLUMNS` columns or more is marked ``nw-cards``: on a narrow
    screen each row shows as a card, every cell under its column's name
    (the ``data-label`` of the cell), instead of a table wider than the phone.
    """
    esc = html.escape
    headers = list(headers)
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    labels = [f' data-label="{esc(h, quote=True)}"' for h in headers]
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{labels[i] if i < len(labels) else ''}>{esc(cell)}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    cards = " nw-cards" if len(headers) >= CARD_COLUMNS else ""
    return (
        f'<div class="nw-table-box"><table class="nw-table{cards}"><thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>"
    )


CARD_COLUMNS = 2
"""Tables with this many columns or more become one card per row on a phone (a table of
two columns with a long text in each is wider than a phone too)."""


def sections_html(sections: Iterable[Section], *, all_options: bool = True) -> str:
    """Several sections as one piece of HTML."""
    return "\n".join(section_html(s, all_options=all_options) for s in sections)
