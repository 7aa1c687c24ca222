"""Group views: the group's answers to one block as widgets (charts as SVG, escaped tables).

Used by the participant app after a reveal and by the trainer's screen. Importing this
module imports pandas and Altair, so participant kernels import it only when needed.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import altair as alt
import ipywidgets as w
import pandas as pd

from . import analysis, charts
from .store import Store, load_answers
from .templates import Block, Question, Template
from .widgets import FULL, text_html

NO_ANSWERS = "Nog geen antwoorden."


class ChartView(w.HTML):
    """An Altair chart rendered to SVG on the server: works in Voilà with no internet."""

    def __init__(self, chart: alt.TopLevelMixin | None = None) -> None:
        super().__init__(layout=w.Layout(width="100%", overflow="auto"))
        self.add_class("nw-chart")
        if chart is not None:
            self.chart = chart

    @property
    def chart(self) -> alt.TopLevelMixin | None:
        return getattr(self, "_chart", None)

    @chart.setter
    def chart(self, chart: alt.TopLevelMixin) -> None:
        self._chart = chart
        self.value = charts.to_svg(chart)


def escaped_table(frame: pd.DataFrame, headers: Sequence[str]) -> str:
    """An HTML table of ``frame`` whose every cell is escaped text."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        '<table class="nw-table" style="border-collapse:collapse;width:100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "<style>.nw-table td,.nw-table th{border:1px solid #ccc;padding:4px 6px;"
        "vertical-align:top;text-align:left}</style>"
    )


def group_view(
    store: Store,
    template: Template,
    session: str,
    block_id: str,
    answers: pd.DataFrame | None = None,
) -> list[w.Widget]:
    """Widgets that show the group's current answers to one block."""
    if answers is None:
        answers = load_answers(session, store=store)
    block = template.block(block_id)
    if answers.loc[answers["block"] == block_id].empty:
        return [w.HTML(text_html(NO_ANSWERS, "p", "font-style:italic"))]
    names = analysis.load_participants(session, store=store)
    widgets: list[w.Widget] = []
    scales = [q for q in block.questions if q.kind == "scale"]
    if scales:
        widgets.extend(_scales_view(template, block, scales, answers))
    for question in block.questions:
        if question.kind == "table":
            widgets.extend(_table_view(template, block, question, answers, names))
        elif question.kind in ("choice", "multichoice"):
            widgets.extend(_choice_view(template, block, question, answers))
        elif question.kind == "text":
            widgets.extend(_text_view(template, block, question, answers))
    return widgets


def _title(template: Template, question: Question) -> w.HTML:
    return w.HTML(text_html(template.t(question.text), "h4"))


def _table_view(
    template: Template, block: Block, question: Question, answers: pd.DataFrame, names: pd.DataFrame
) -> list[w.Widget]:
    columns = [c.id for c in question.columns]
    rows = analysis.table_rows(answers, block.id, question.id, columns)
    if rows.empty:
        return [_title(template, question), w.HTML(text_html(NO_ANSWERS))]
    labels = {c.id: template.t(c.label) for c in question.columns}
    shown = rows.merge(names, on="participant", how="left")
    shown = shown[["display_name", *columns]].fillna("")
    return [
        _title(template, question),
        ChartView(charts.table_fill_chart(rows, labels)),
        w.HTML(escaped_table(shown, ["Wie", *labels.values()]), layout=FULL),
    ]


def _scales_view(
    template: Template, block: Block, questions: list[Question], answers: pd.DataFrame
) -> list[w.Widget]:
    scores = analysis.scale_answers(answers, block.id)
    if scores.empty:
        return [w.HTML(text_html(NO_ANSWERS))]
    labels = {q.id: template.t(q.text) for q in questions}
    widgets: list[w.Widget] = [ChartView(charts.scale_distribution_chart(scores, labels))]
    comments = scores.loc[scores["comment"].str.strip() != ""]
    if not comments.empty:
        shown = comments.assign(vraag=comments["question"].map(labels))[["vraag", "comment"]]
        widgets.append(w.HTML(escaped_table(shown, ["Voorwaarde", "Toelichting"]), layout=FULL))
    return widgets


def _choice_view(
    template: Template, block: Block, question: Question, answers: pd.DataFrame
) -> list[w.Widget]:
    counts = analysis.choice_counts(answers, block.id, question.id)
    if counts.empty:
        return [_title(template, question), w.HTML(text_html(NO_ANSWERS))]
    labels = {o.id: template.t(o.label) for o in question.options}
    return [_title(template, question), ChartView(charts.choice_count_chart(counts, labels))]


def _text_view(
    template: Template, block: Block, question: Question, answers: pd.DataFrame
) -> list[w.Widget]:
    texts = analysis.text_answers(answers, block.id, question.id)
    items = "".join(f"<li>{html.escape(t)}</li>" for t in texts["text"]) or (
        f"<li><i>{NO_ANSWERS}</i></li>"
    )
    return [_title(template, question), w.HTML(f'<ul class="nw-texts">{items}</ul>')]
