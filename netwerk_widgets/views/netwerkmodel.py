"""Views of the building blocks of the Netwerkmodel: the actor network, the sentences side by
side, the coalitions around ambitions, the foundation, and the worksheet."""

from __future__ import annotations

import pandas as pd

from .. import analysis, charts
from ..results import Chart, Heading, Note, Section, Table
from ..templates import Block, Question
from ._base import Context, register
from .generic import _counts_description, _heatmap, same_range, scales_sections, table_view

# --- the building blocks of the Netwerkmodel ------------------------------------------------


def _question(block: Block, question_id: str | None) -> Question | None:
    if question_id is None:
        return None
    try:
        return block.question(question_id)
    except KeyError:
        return None


@register("network")
def network_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """The actor network drawn, its measures and the register."""
    from .. import network

    m, template = context.m, context.template
    actors = block.results.get("actors")
    relations_slot = block.results.get("relations") or {}
    covered = {actors["question"], relations_slot.get("question", "")} - {""}
    register = analysis.actor_register(context.answers, template=template)
    role_column = actors.get("role")
    if role_column:
        column = block.question(actors["question"]).column(role_column)
        roles = {o.id: context.t(o.label).split(":")[0] for o in column.options}
        register = register.assign(role=register["role"].map(lambda r: roles.get(r, r)))
    relations = analysis.actor_relations(context.answers, template=template)
    scale = analysis.relation_scale(template)
    graph = network.relations_graph(register, relations, scale=scale)
    sections: list[Section] = [Heading(m("results.network.heading"))]
    if len(graph) == 0:
        return [*sections, context.no_answers()], covered
    summary = network.network_summary(graph)
    names = network.summary_labels(context.language)
    labels = [names.get(key, key) for key in summary.index]
    description = m(
        "results.network.description",
        actors=summary["actors"],
        relations=summary["relations"],
        brokers=", ".join(summary["broker_names"]) or "-",
    )
    sections += [
        Chart(charts.network_chart(graph, scale=scale, language=context.language), description),
        Table(
            (m("results.network.measure"), m("results.network.value")),
            pd.DataFrame({"maat": labels, "waarde": summary.to_numpy()}),
        ),
    ]
    measures = network.network_measures(graph).sort_values("betweenness", ascending=False)
    yes = m("results.yes")
    sections.append(Heading(m("results.network.positions")))
    sections.append(
        Table(
            (
                m("results.network.actor"),
                m("results.network.degree"),
                m("results.network.betweenness"),
                m("results.network.broker"),
                m("results.network.isolated"),
            ),
            measures[["actor", "degree", "betweenness", "is_broker", "is_isolated"]].assign(
                is_broker=lambda df: df["is_broker"].map({True: yes, False: ""}),
                is_isolated=lambda df: df["is_isolated"].map({True: yes, False: ""}),
            ),
        )
    )
    missing = block.results.get("missing")
    if missing:
        covered.add(missing["question"])
        sections += _named_list(context, block, missing, "name", "reason")
    question = block.question(actors["question"])
    shown_roles = [r for r in analysis.ACTOR_ROLES[1:] if r != "participation" and r in actors]
    headers = [context.t(question.column(actors[r]).label) for r in ("name", *shown_roles)]
    sections.append(Heading(context.t(question.text)))
    sections.append(
        Table(
            (*headers, m("results.network.mentions")),
            register[["actor", *shown_roles, "mentions"]],
        )
    )
    return sections, covered


@register("sentences")
def sentences_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """The sentences side by side (with a name only where its writer allowed it), and the
    words they share."""
    m = context.m
    question = block.question(block.results.get("question"))
    covered = {question.id, block.results.get("consent") or ""} - {""}
    sentences = analysis.why_sentences(
        context.answers, context.participants, template=context.template, block=block.id
    )
    sections: list[Section] = [Heading(context.t(question.text))]
    if sentences.empty:
        return [*sections, context.no_answers()], covered
    sections.append(Table((m("results.sentence"), m("results.from")), sentences[["text", "who"]]))
    words = analysis.word_counts(sentences["text"], analysis.stop_words(context.language)).head(15)
    if not words.empty:
        title = m("results.in_sentences")
        sections.append(Heading(m("results.common_words")))
        sections.append(
            Chart(
                charts.count_chart(words, category="word", title=title),
                _counts_description(context, words, {}, title, column="word"),
            )
        )
    return sections, covered


@register("coalitions")
def coalitions_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """Who takes part in which ambition, the coalitions, and ambitions without enough doers."""
    from .. import network

    m, template, settings = context.m, context.template, block.results
    involvement = block.question(settings.get("involvement"))
    listed = settings.get("ambitions")
    covered = {involvement.id, (listed or {}).get("question", "")} - {""}
    sections: list[Section] = []
    if listed:
        sections += _named_list(context, block, listed, "ambition", "explanation")
    levels = analysis.ambition_levels(context.answers, template=template)
    sections.append(Heading(context.t(involvement.text)))
    if levels.empty:
        return [*sections, context.no_answers()], covered
    profiles = context.profiles.set_index("participant")
    in_person = analysis.in_person(context.language)
    names = {
        p: str(row.display_name)
        if row.organisation == in_person or row.organisation in row.display_name
        else f"{row.display_name} ({row.organisation})"
        for p, row in profiles.iterrows()
    }
    minimum = int(settings.get("minimum", 2))
    found = analysis.coalitions(levels, minimum, template=template)
    sections.append(_heatmap(context, involvement, levels, names))
    sections.append(Heading(m("results.coalitions.heading")))
    chart = charts.coalition_chart(found, minimum, language=context.language)
    weak = found.loc[~found["viable"], "ambition"].tolist()
    description = m("results.coalitions.description", n=len(found), weak=len(weak), minimum=minimum)
    sections.append(Chart(chart, description))
    if weak:
        sections.append(
            Note(m("results.coalitions.too_few", minimum=minimum, names="; ".join(weak)), "warning")
        )
    shown = found.assign(doers=found["doers"].map(lambda ps: [names.get(p, p) for p in ps]))
    sections.append(
        Table(
            (
                m("results.coalitions.ambition"),
                m("results.coalitions.coalition"),
                m("results.coalitions.involved"),
            ),
            shown[["ambition", "doers", "n_involved"]],
        )
    )
    organisations = profiles["organisation"].to_dict()
    pairs = [
        (organisations.get(a, in_person), organisations.get(b, in_person))
        for doers in found["doers"]
        for i, a in enumerate(doers)
        for b in doers[i + 1 :]
        if organisations.get(a) != organisations.get(b)
    ]
    if pairs:
        actors = pd.DataFrame({"actor": sorted(set(organisations.values()))})
        relations = pd.DataFrame(pairs, columns=["source", "target"])
        graph = network.relations_graph(actors, relations)
        sections.append(Heading(m("results.coalitions.shared")))
        sections.append(
            Chart(
                charts.network_chart(graph, language=context.language),
                m("results.coalitions.shared_description", n=graph.number_of_edges()),
            )
        )
    return sections, covered


def _named_list(context: Context, block: Block, slot: dict, name: str, extra: str) -> list[Section]:
    """A shared list (ambitions, who is missing) with each entry once and how many named it
    ("genoemd door 3"): names compared loosely, merged names as the trainer merged them."""
    question = block.question(slot["question"])
    extra_column = slot.get(extra)
    found = analysis.named_list(context.answers, block.id, question.id, slot[name], extra_column)
    sections: list[Section] = [Heading(context.t(question.text))]
    if found.empty:
        return [*sections, context.no_answers()]
    headers = [context.t(question.column(slot[name]).label)]
    shown = pd.DataFrame({"name": found["name"]})
    if extra_column:
        headers.append(context.t(question.column(extra_column).label))
        shown["extra"] = found["extra"]
    headers.append(context.m("workshop.named_by_header"))
    shown["count"] = found["count"].map(lambda n: context.m("workshop.named_by", n=n))
    return [*sections, Table(tuple(headers), shown)]


@register("foundation")
def foundation_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """Rules grouped by kind, the people who carry the network counted, and where the
    network stands now against where it should stand."""
    m, template, settings = context.m, context.template, block.results
    sections: list[Section] = []
    covered: set[str] = set()
    rules_slot = settings.get("rules")
    if rules_slot:
        question = block.question(rules_slot["question"])
        covered.add(question.id)
        sections.append(Heading(context.t(question.text)))
        rules = analysis.rules(context.answers, template=template)
        if rules.empty:
            sections.append(context.no_answers())
        else:
            kinds: dict[str, str] = {}
            if "kind" in rules_slot:
                column = question.column(rules_slot["kind"])
                kinds = {o.id: context.t(o.label) for o in column.options}
            rule_header = context.t(question.column(rules_slot["rule"]).label)
            for kind, group in rules.groupby("kind", sort=True):
                sections.append(Heading(kinds.get(str(kind), str(kind)) or m("analysis.unknown")))
                sections.append(
                    Table((rule_header, m("results.named_by")), group[["rule", "mentions"]])
                )
    leaders_slot = settings.get("leaders")
    if leaders_slot:
        question = block.question(leaders_slot["question"])
        covered.add(question.id)
        sections.append(Heading(context.t(question.text)))
        leaders = analysis.leaders(context.answers, template=template)
        title = m("results.times_named")
        sections.append(
            Chart(
                charts.count_chart(leaders, title=title),
                _counts_description(context, leaders, {}, title),
            )
            if not leaders.empty
            else context.no_answers()
        )
    pair = [_question(block, settings.get(k)) for k in ("now", "wished")]
    pair = [q for q in pair if q is not None]
    if pair:
        covered.update(q.id for q in pair)
        sections.append(Heading(m("results.now_and_wished")))
        for group in same_range(pair):
            sections.extend(scales_sections(context, block, group))
    return sections, covered


@register("worksheet")
def worksheet_view(context: Context, block: Block) -> tuple[list[Section], set[str]]:
    """The worksheet: every row of challenge, problem and solution, with who wrote it."""
    question = block.question(block.results.get("question")["question"])
    return table_view(context, block, question), {question.id}
