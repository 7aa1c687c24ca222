"""Generic views: every question by its kind (scales together, tables, choices, texts)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import pandas as pd

from .. import analysis, charts
from ..results import Chart, Heading, Note, Section, Table, TextList
from ..templates import Block, Question
from ._base import Context, _failed, _guarded, register

# --- generic views, by question kind ------------------------------------------------------


@register("questions")
def questions_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """Every question of the block by its kind."""
    return questions_sections(context, block, list(block.questions)), {
        q.id for q in block.questions
    }


def questions_sections(
    context: Context, block: Block, questions: Sequence[Question]
) -> list[Section]:
    """Scales together (one chart per scale range), then each other question by its kind."""
    sections: list[Section] = []
    by_range: dict[tuple[int, int], list[Question]] = {}
    for question in questions:
        if question.kind == "scale":
            by_range.setdefault(question.scale, []).append(question)
    for group in by_range.values():
        sections.extend(scales_sections(context, block, group))
    for question in questions:
        kind_view = KIND_VIEWS.get(question.kind)
        if kind_view is not None:
            found = _guarded(context, lambda q=question, v=kind_view: v(context, block, q))
            sections.extend(found if found is not None else [_failed(context, question.kind)])
    return sections


def scales_sections(context: Context, block: Block, questions: Sequence[Question]) -> list[Section]:
    """The distribution of ratings of scale questions that share one range."""
    m = context.m
    scores = analysis.scale_answers(context.answers, block.id, template=context.template)
    scores = scores.loc[scores["question"].isin([q.id for q in questions])]
    if scores.empty:
        return [context.no_answers()]
    scale = questions[0].scale
    labels = {q.id: context.t(q.short) or context.t(q.text) for q in questions}
    sections: list[Section] = []
    if questions[0].scale_labels:
        low, high = (context.t(text) for text in questions[0].scale_labels)
        sections.append(
            Note(m("results.scale_ends", low=scale[0], low_text=low, high=scale[1], high_text=high))
        )
    chart = charts.scale_distribution_chart(scores, labels, scale=scale, language=context.language)
    sections.append(Chart(chart, _scales_description(context, scores, labels)))
    comments = scores.loc[scores["comment"].str.strip() != ""]
    if not comments.empty:
        shown = comments.assign(vraag=comments["question"].map(labels))[["vraag", "comment"]]
        sections.append(Table((m("results.question"), m("results.comment")), shown))
    return sections


def _scales_description(context: Context, scores: pd.DataFrame, labels: Mapping[str, str]) -> str:
    m = context.m
    parts = []
    for question, label in labels.items():
        rated = scores.loc[scores["question"] == question, "score"].dropna()
        if len(rated):
            parts.append(
                m("results.mean_of", label=label, mean=m.number(rated.mean()), n=len(rated))
            )
    return m("results.scales_description", parts="; ".join(parts))


def table_view(context: Context, block: Block, question: Question) -> list[Section]:
    m = context.m
    columns = [c.id for c in question.columns]
    rows = analysis.table_rows(context.answers, block.id, question.id, columns)
    heading = Heading(context.t(question.text))
    if rows.empty:
        return [heading, context.no_answers()]
    labels = {c.id: context.t(c.label) for c in question.columns}
    shown = rows.merge(context.participants, on=["session", "participant"], how="left")
    shown = shown[["display_name", *columns]].fillna("")
    for column in question.columns:
        if column.kind == "choice" and column.options:
            names = {o.id: context.t(o.label) for o in column.options}
            shown[column.id] = shown[column.id].map(lambda v, n=names: n.get(v, v))
    filled = {labels[c]: int((rows[c].str.strip() != "").sum()) for c in columns}
    description = m(
        "results.table_description",
        rows=len(rows),
        parts="; ".join(f"{label}: {n}" for label, n in filled.items()),
    )
    return [
        heading,
        Chart(charts.table_fill_chart(rows, labels, language=context.language), description),
        Table((m("results.who"), *labels.values()), shown),
    ]


def choice_view(context: Context, block: Block, question: Question) -> list[Section]:
    counts = analysis.choice_counts(context.answers, block.id, question.id)
    heading = Heading(context.t(question.text))
    if counts.empty:
        return [heading, context.no_answers()]
    labels = {o.id: context.t(o.label) for o in question.options}
    title = context.m("results.times_chosen")
    chart = charts.count_chart(counts, labels, title=title)
    return [heading, Chart(chart, _counts_description(context, counts, labels, title))]


def _counts_description(
    context: Context, counts: pd.DataFrame, labels: Mapping[str, str], title: str, column="option"
) -> str:
    parts = [
        f"{labels.get(row[column], row[column])}: {row['count']}" for _, row in counts.iterrows()
    ]
    return context.m("results.counts_description", title=title, parts="; ".join(parts))


def text_view(context: Context, block: Block, question: Question) -> list[Section]:
    texts = analysis.text_answers(context.answers, block.id, question.id)
    items = tuple(str(t) for t in texts["text"])
    return [Heading(context.t(question.text)), TextList(items) if items else context.no_answers()]


def matrix_view(context: Context, block: Block, question: Question) -> list[Section]:
    part = analysis._select(context.answers, block.id, question.id)
    part = part.loc[(part["field"] == "level") & (part["value"].fillna("") != "")]
    heading = Heading(context.t(question.text))
    if part.empty:
        return [heading, context.no_answers()]
    levels = pd.DataFrame(
        {"participant": part["participant"], "ambition": part["item"], "level": part["value"]}
    )
    return [heading, _heatmap(context, question, levels, context.names())]


def _heatmap(
    context: Context, question: Question, levels: pd.DataFrame, names: Mapping[str, str]
) -> Chart:
    order = [o.id for o in question.options]
    level_labels = {o.id: context.t(o.label) for o in question.options}
    chart = charts.ambition_heatmap(
        levels, names, order=order, level_labels=level_labels, language=context.language
    )
    people = levels["participant"].nunique()
    items = levels["ambition"].nunique()
    return Chart(chart, context.m("results.heatmap_description", people=people, items=items))


KIND_VIEWS: dict[str, Callable[[Context, Block, Question], list[Section]]] = {
    "table": table_view,
    "choice": choice_view,
    "multichoice": choice_view,
    "text": text_view,
    "matrix": matrix_view,
}


def same_range(questions: Iterable[Question]) -> list[list[Question]]:
    groups: dict[tuple[int, int], list[Question]] = {}
    for question in questions:
        groups.setdefault(question.scale, []).append(question)
    return list(groups.values())
