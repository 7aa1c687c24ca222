"""Views of the conditions scan and of costs against yields per partner."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import analysis, charts, conditions
from ..results import Chart, Heading, Note, Section, Switch, Table
from ..scales import Thresholds
from ..templates import Block, Question
from ._base import Context, register
from .generic import same_range


@register("conditions")
def conditions_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """The scan: whole distributions, disagreement, splits, tips and change over time."""
    settings = block.results
    chosen = settings.get("questions")
    questions = [
        q for q in block.questions if q.kind == "scale" and (chosen is None or q.id in chosen)
    ]
    covered = {q.id for q in questions}
    sections: list[Section] = []
    for group in same_range(questions):
        sections.extend(_conditions_sections(context, block, group))
    return sections, covered


def _group_names(context: Context, column: str) -> dict[str, str]:
    """Option id to label of the profile question behind ``column`` (e.g. the roles), so a
    legend shows "Trekker" rather than the id ``trekker``; empty for free-text answers."""
    where = context.template.profile_question(column)
    if where is None:
        return {}
    try:
        question = context.template.block(where[0]).question(where[1])
    except (KeyError, LookupError, ValueError):
        return {}
    return {o.id: context.t(o.label) for o in question.options}


def _thresholds(block: Block, scale: tuple[int, int]) -> Thresholds:
    given = dict(block.results.get("thresholds") or {})
    return Thresholds.from_points(scale, **given)


def _conditions_sections(
    context: Context, block: Block, questions: Sequence[Question]
) -> list[Section]:
    m, settings = context.m, block.results
    unknown = m("stats.unknown_group")
    scale = questions[0].scale
    low, high = scale
    ids = [q.id for q in questions]
    scores = analysis.scale_answers(context.answers, block.id, template=context.template)
    scores = scores.loc[scores["question"].isin(ids)]
    if scores.loc[scores["score"].notna() | scores["unknown"]].empty:
        return [context.no_answers()]
    labels = {q.id: context.t(q.short) or context.t(q.text) for q in questions}
    thresholds = _thresholds(block, scale)
    summary = conditions.condition_summary(scores, scale=scale)
    by = [b for b in settings.get("split_by", ["role", "organisation"]) if b in context.profiles]
    flags = conditions.pseudo_consensus(
        scores,
        context.profiles,
        by=by,
        scale=scale,
        thresholds=thresholds,
        language=context.language,
    )
    weakest = summary.dropna(subset=["mean"]).head(3)
    description = m(
        "results.conditions.description",
        parts="; ".join(
            m(
                "results.mean_of",
                label=labels.get(r.question, r.question),
                mean=m.number(r.mean),
                n=int(r.n),
            )
            for r in weakest.itertuples()
        ),
    )
    sections: list[Section] = [
        Heading(m("results.conditions.heading")),
        Chart(
            charts.distribution_chart(scores, labels, scale=scale, language=context.language),
            description,
        ),
        Heading(m("results.conditions.agree")),
        Note(m("results.conditions.disagreement_explained", low=low, high=high)),
        Table(
            (
                m("results.conditions.condition"),
                m("results.conditions.mean"),
                m("results.conditions.disagreement"),
                m("results.conditions.attention"),
            ),
            flags.assign(question=flags["question"].map(lambda q: labels.get(q, q)))[
                ["question", "mean", "disagreement", "reason"]
            ],
        ),
    ]
    if by:
        options = []
        for column in by:
            split = conditions.split_by(
                scores, context.profiles, by=column, scale=scale, thresholds=thresholds
            )
            names = _group_names(context, column)
            if names:  # option ids of the profile question (roles) as their labels
                split = split.assign(
                    group=split["group"].map(lambda g, names=names: names.get(g, g))
                )
            chart = charts.split_chart(split, labels, scale=scale, language=context.language)
            groups = split.loc[split["group"] != conditions.UNKNOWN_GROUP, "group"].nunique()
            split = split.assign(
                group=split["group"].map(lambda g: unknown if g == conditions.UNKNOWN_GROUP else g)
            )
            options.append(
                (
                    m(f"results.conditions.by_{column}"),
                    (Chart(chart, m("results.conditions.split_description", groups=groups)),),
                )
            )
        sections.append(Heading(m("results.conditions.groups")))
        sections.append(Switch(m("results.conditions.split_by"), tuple(options)))
    count = int(settings.get("tips", 3))
    tips = {q.id: context.t(q.tip) for q in questions if q.tip is not None}
    if count and tips:
        chosen = conditions.tips_for_weakest(summary, tips, k=count)
        chosen = chosen.loc[chosen["tip"].str.strip() != ""]
        if not chosen.empty:
            sections.append(Heading(m("results.conditions.tips")))
            sections.append(
                Table(
                    (m("results.conditions.condition"), m("results.conditions.tip")),
                    chosen.assign(question=chosen["question"].map(lambda q: labels.get(q, q)))[
                        ["question", "tip"]
                    ],
                )
            )
    if settings.get("compare_earlier", False):
        found = context.earlier()
        if found is not None:
            earlier, answers = found
            before = analysis.scale_answers(answers, block.id, template=context.template)
            before = before.loc[before["question"].isin(ids)]
            if not before.empty:
                comparison = conditions.compare_scans(before, scores, scale=scale)
                date = earlier.created_at[:10]
                sections.append(
                    Heading(m("results.conditions.changed", title=earlier.title, date=date))
                )
                sections.append(
                    Note(
                        m(
                            "store_check.compared_with",
                            title=earlier.title,
                            code=earlier.code,
                            date=date,
                            network=earlier.network,
                        )
                    )
                )
                chart = charts.change_chart(
                    comparison, labels, scale=scale, language=context.language
                )
                up = int((comparison["direction"] == "up").sum())
                down = int((comparison["direction"] == "down").sum())
                sections.append(
                    Chart(chart, m("results.conditions.change_description", up=up, down=down))
                )
    return sections


@register("cost_benefit")
def cost_benefit_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """Yields against costs per organisation: who is not in a win-win position."""
    m, settings = context.m, block.results
    yields_q, costs_q = (
        block.question(settings.get("yields")),
        block.question(settings.get("costs")),
    )
    covered = {yields_q.id, costs_q.id}
    if yields_q.scale != costs_q.scale:
        return [Note(m("results.cost_benefit.different_scales"), "warning")], set()
    scale = yields_q.scale
    scores = analysis.scale_answers(context.answers, block.id, template=context.template)
    wide = scores.pivot_table(
        index="participant", columns="question", values="score", aggfunc="last"
    ).reindex(columns=[yields_q.id, costs_q.id])
    if wide.dropna(how="all").empty:
        return [context.no_answers()], covered
    organisations = context.profiles.set_index("participant")["organisation"]
    in_person = analysis.in_person(context.language)
    frame = pd.DataFrame(
        {
            "organisation": wide.index.map(lambda p: organisations.get(p, in_person)),
            "yields": wide[yields_q.id].to_numpy(),
            "costs": wide[costs_q.id].to_numpy(),
        }
    )
    thresholds = Thresholds.from_points(scale, **dict(settings.get("thresholds") or {}))
    result = conditions.cost_benefit(frame, scale=scale, thresholds=thresholds)
    positions = {
        code: m(f"stats.position.{code}") for code in ("win", "balance", "loss", "unknown")
    }
    losing = result.loc[result["position"] == "loss", "organisation"].tolist()
    sections: list[Section] = [
        Heading(m("results.cost_benefit.heading")),
        Chart(
            charts.cost_benefit_chart(
                frame, scale=scale, thresholds=thresholds, language=context.language
            ),
            m("results.cost_benefit.description", n=len(result), losing=", ".join(losing) or "-"),
        ),
        Table(
            (
                m("results.cost_benefit.organisation"),
                m("results.cost_benefit.answers"),
                context.t(yields_q.short) or m("results.cost_benefit.yields"),
                context.t(costs_q.short) or m("results.cost_benefit.costs"),
                m("results.cost_benefit.position"),
            ),
            result[["organisation", "n", "yields", "costs", "position"]].assign(
                position=result["position"].map(lambda p: positions.get(p, p)),
                organisation=result["organisation"].map(
                    lambda o: m("stats.unknown_group") if o == conditions.UNKNOWN_GROUP else o
                ),
            ),
        ),
    ]
    comments = scores.loc[scores["question"].isin(covered) & (scores["comment"].str.strip() != "")]
    if not comments.empty:
        labels = {q.id: context.t(q.text) for q in block.questions}
        shown = comments.assign(vraag=comments["question"].map(labels))[["vraag", "comment"]]
        sections.append(Table((m("results.question"), m("results.comment")), shown))
    return sections, covered
