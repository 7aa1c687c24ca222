"""Page one of the report: what the session found, before the details per block.

Each finding comes from the blocks whose results view computes it, whatever their ids (the
template says which questions they read): who took part (profile), the weakest conditions
with their tips and pseudo-consensus warnings (``conditions``), ambitions with too few doers
(``coalitions``), who is missing at the table, brokers and isolated actors (``network``), the
gap between tight and loose now and wished (``foundation``), partners whose costs exceed
their gains (``cost_benefit``) and the insights wall (a ``sentences`` block marked
``wall: true``). Hidden answers are not in ``answers`` (see :func:`~netwerk_widgets.
load_answers`); merged names are used. Everything a person typed is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd

from . import analysis, conditions
from .messages import messages
from .templates import Block, Template

Finding = tuple[str, str]
"""A heading and its HTML."""


def summary_html(
    template: Template, answers: pd.DataFrame, participants: pd.DataFrame, language: str
) -> str:
    """The summary page as HTML (a ``section`` that prints as its own page)."""
    m = messages(language)
    esc = html.escape
    profiles = analysis.participant_profiles(answers, participants, template=template)
    findings: list[Finding] = [_who(template, profiles, language)]
    for view, build in _FINDINGS.items():  # what matters most first
        for block in template.blocks_with_view(view):
            findings.extend(build(template, block, answers, profiles, language))
    parts = "".join(
        f'<div class="samenvatting-punt"><h3>{esc(heading)}</h3>{body}</div>'
        for heading, body in findings
    )
    return (
        '<section class="samenvatting" id="samenvatting">'
        f"<h2>{esc(m('workshop.summary.heading'))}</h2>"
        f'<p class="intro">{esc(m("workshop.summary.intro"))}</p>{parts}</section>'
    )


def _list(items: list[str], language: str) -> str:
    if not items:
        return f"<p>{html.escape(messages(language)('workshop.summary.none'))}</p>"
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def _inline(items: list[str], language: str) -> str:
    """Short names on one line ("a; b; c"), to keep the summary on one page."""
    text = "; ".join(items) if items else messages(language)("workshop.summary.none")
    return f"<p>{html.escape(text)}</p>"


def _counts(values: pd.Series) -> list[str]:
    counted = values.astype("string").fillna("").value_counts()
    return [f"{name}: {count}" for name, count in counted.items() if str(name).strip()]


def _who(template: Template, profiles: pd.DataFrame, language: str) -> Finding:
    m = messages(language)
    esc = html.escape
    body = f"<p>{esc(m('workshop.summary.participants', n=len(profiles)))}</p>"
    where = template.profile_question("role")
    if where is not None and "role" in profiles:
        question = template.block(where[0]).question(where[1])
        labels = {o.id: template.t(o.label).split(":")[0] for o in question.options}
        roles = profiles["role"].map(lambda r: labels.get(r, r) if pd.notna(r) else pd.NA)
        body += f"<p><b>{esc(m('workshop.summary.by_role'))}</b></p>"
        body += _inline(_counts(roles.dropna()), language)
    if "organisation" in profiles:
        body += f"<p><b>{esc(m('workshop.summary.by_organisation'))}</b></p>"
        body += _inline(_counts(profiles["organisation"]), language)
    return m("workshop.summary.who"), body


def _conditions(
    template: Template, block: Block, answers: pd.DataFrame, profiles: pd.DataFrame, language: str
) -> list[Finding]:
    m = messages(language)
    ids = block.results.get("questions") or [q.id for q in block.questions if q.kind == "scale"]
    questions = [block.question(q) for q in ids]
    if not questions:
        return []
    scale = questions[0].scale
    scores = analysis.scale_answers(answers, block.id, template=template)
    scores = scores.loc[scores["question"].isin(ids)]
    if scores["score"].notna().sum() == 0:
        return []
    labels = {q.id: template.t(q.short) or template.t(q.text) for q in questions}
    tips = {q.id: template.t(q.tip) for q in questions if q.tip is not None}
    summary = conditions.condition_summary(scores, scale=scale)
    weakest = summary.dropna(subset=["mean"]).head(int(block.results.get("tips", 3)) or 3)
    items = []
    for row in weakest.itertuples():
        text = f"{labels.get(row.question, row.question)}: {m.number(row.mean)}"
        items.append(
            f"<li><b>{html.escape(text)}</b>"
            + (
                f"<br>{html.escape(m('workshop.summary.tip', tip=tips[row.question]))}"
                if tips.get(row.question)
                else ""
            )
            + "</li>"
        )
    findings = [(m("workshop.summary.weakest"), f'<ul class="zwakst">{"".join(items)}</ul>')]
    by = [b for b in block.results.get("split_by", ["role", "organisation"]) if b in profiles]
    flags = conditions.pseudo_consensus(scores, profiles, by=by, scale=scale, language=language)
    flagged = flags.loc[flags["flagged"]]
    findings.append(
        (
            m("workshop.summary.pseudo"),
            _list(
                [f"{labels.get(r.question, r.question)}: {r.reason}" for r in flagged.itertuples()],
                language,
            ),
        )
    )
    return findings


def _coalitions(
    template: Template, block: Block, answers: pd.DataFrame, profiles: pd.DataFrame, language: str
) -> list[Finding]:
    m = messages(language)
    levels = analysis.ambition_levels(answers, template=template)
    if levels.empty:
        return []
    minimum = int(block.results.get("minimum", 2))
    found = analysis.coalitions(levels, minimum, template=template)
    weak = found.loc[~found["viable"]]
    items = [f"{r.ambition} ({r.n_doers}/{minimum})" for r in weak.itertuples()]
    return [(m("workshop.summary.few_doers"), _inline(items, language))]


def _network(
    template: Template, block: Block, answers: pd.DataFrame, profiles: pd.DataFrame, language: str
) -> list[Finding]:
    from . import network

    m = messages(language)
    findings: list[Finding] = []
    missing = block.results.get("missing")
    if missing:
        named = analysis.named_list(answers, block.id, missing["question"], missing["name"])
        items = [f"{r.name} ({m('workshop.named_by', n=r.count)})" for r in named.itertuples()]
        findings.append((m("workshop.summary.missing"), _inline(items, language)))
    register = analysis.actor_register(answers, template=template)
    relations = analysis.actor_relations(answers, template=template)
    graph = network.relations_graph(register, relations, scale=analysis.relation_scale(template))
    if len(graph):
        measures = network.network_measures(graph)
        brokers = measures.loc[measures["is_broker"], "actor"].tolist()
        isolated = measures.loc[measures["is_isolated"], "actor"].tolist()
        findings.append((m("workshop.summary.brokers"), _inline(brokers, language)))
        findings.append((m("workshop.summary.isolated"), _inline(isolated, language)))
    return findings


def _foundation(
    template: Template, block: Block, answers: pd.DataFrame, profiles: pd.DataFrame, language: str
) -> list[Finding]:
    m = messages(language)
    now_q, wished_q = block.results.get("now"), block.results.get("wished")
    if not now_q or not wished_q:
        return []
    scores = analysis.scale_answers(answers, block.id, template=template)
    means = scores.groupby("question")["score"].mean()
    if pd.isna(means.get(now_q)) or pd.isna(means.get(wished_q)):
        return []
    low, high = block.question(now_q).scale
    text = m(
        "workshop.summary.form_gap",
        now=m.number(means[now_q]),
        wished=m.number(means[wished_q]),
        low=low,
        high=high,
    )
    return [(m("workshop.summary.form"), f"<p>{html.escape(text)}</p>")]


def _cost_benefit(
    template: Template, block: Block, answers: pd.DataFrame, profiles: pd.DataFrame, language: str
) -> list[Finding]:
    m = messages(language)
    yields_q, costs_q = block.results.get("yields"), block.results.get("costs")
    scores = analysis.scale_answers(answers, block.id, template=template)
    wide = scores.pivot_table(
        index="participant", columns="question", values="score", aggfunc="last"
    ).reindex(columns=[yields_q, costs_q])
    if wide.dropna(how="all").empty:
        return []
    organisations = profiles.set_index("participant")["organisation"]
    in_person = analysis.in_person(language)
    frame = pd.DataFrame(
        {
            "organisation": wide.index.map(lambda p: organisations.get(p, in_person)),
            "yields": wide[yields_q].to_numpy(),
            "costs": wide[costs_q].to_numpy(),
        }
    )
    scale = block.question(yields_q).scale
    thresholds = conditions.Thresholds.from_points(
        scale, **dict(block.results.get("thresholds") or {})
    )
    result = conditions.cost_benefit(frame, scale=scale, thresholds=thresholds)
    losing = result.loc[result["position"] == "loss", "organisation"].tolist()
    return [(m("workshop.summary.costs"), _inline([str(x) for x in losing], language))]


def _sentences(
    template: Template, block: Block, answers: pd.DataFrame, profiles: pd.DataFrame, language: str
) -> list[Finding]:
    if not block.results.get("wall"):
        return []
    m = messages(language)
    wall = analysis.why_sentences(answers, profiles, template=template, block=block.id)
    items = [f"{r.text} ({r.who})" for r in wall.itertuples()]
    return [(m("workshop.summary.insights"), _list(items, language))]


_FINDINGS: dict[
    str, Callable[[Template, Block, pd.DataFrame, pd.DataFrame, str], list[Finding]]
] = {
    "conditions": _conditions,
    "coalitions": _coalitions,
    "network": _network,
    "foundation": _foundation,
    "cost_benefit": _cost_benefit,
    "sentences": _sentences,
}
