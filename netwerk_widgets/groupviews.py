"""Group views: the group's answers to one block as widgets (charts as SVG, escaped tables).

Used by the participant app after a reveal and by the trainer's screen. Importing this
module imports pandas and Altair, so participant kernels import it only when needed.

Every block gets a view built from its question kinds. The blocks of the built-in
workbook (actoren, identiteit, ambities, fundament) have views of their own, used when the
block still has the questions they read; a changed template falls back to the generic view.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import altair as alt
import ipywidgets as w
import pandas as pd

from . import analysis, charts
from .store import Session, Store, load_answers
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
        "<tr>" + "".join(f"<td>{html.escape(_cell(value))}</td>" for value in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        '<table class="nw-table" style="border-collapse:collapse;width:100%">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "<style>.nw-table td,.nw-table th{border:1px solid #ccc;padding:4px 6px;"
        "vertical-align:top;text-align:left}</style>"
    )


def _cell(value: object) -> str:
    if isinstance(value, float):
        return "" if pd.isna(value) else f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return "" if value is None or value is pd.NA else str(value)


def table_widget(frame: pd.DataFrame, headers: Sequence[str]) -> w.HTML:
    """:func:`escaped_table` as a widget."""
    return w.HTML(escaped_table(frame, headers), layout=FULL)


def heading(text: str) -> w.HTML:
    return w.HTML(text_html(text, "h4"))


def note(text: str, colour: str = "#555") -> w.HTML:
    return w.HTML(text_html(text, "p", f"color:{colour}"))


@dataclass
class GroupData:
    """What a group view needs: the session's answers and who gave them."""

    store: Store
    template: Template
    session: str
    answers: pd.DataFrame

    @cached_property
    def participants(self) -> pd.DataFrame:
        return analysis.load_participants(self.session, store=self.store)

    @cached_property
    def profiles(self) -> pd.DataFrame:
        return analysis.participant_profiles(self.answers, self.participants)

    def names(self) -> dict[str, str]:
        """Participant id to display name."""
        frame = self.participants
        return dict(zip(frame["participant"], frame["display_name"], strict=True))


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
    data = GroupData(store, template, session, answers)
    special = BLOCK_VIEWS.get(block.id)
    if special is not None:
        needed, view = special
        if needed <= {q.id for q in block.questions}:
            return view(data, block)
    return generic_view(data, block)


# --- generic views, by question kind ------------------------------------------------------


def generic_view(data: GroupData, block: Block) -> list[w.Widget]:
    """A view of any block: scales together, then each other question by its kind."""
    widgets: list[w.Widget] = []
    scales = [q for q in block.questions if q.kind == "scale"]
    if scales:
        widgets.extend(scales_view(data, block, scales))
    for question in block.questions:
        view = KIND_VIEWS.get(question.kind)
        if view is not None:
            widgets.extend(view(data, block, question))
    return widgets


def table_view(data: GroupData, block: Block, question: Question) -> list[w.Widget]:
    t = data.template.t
    columns = [c.id for c in question.columns]
    rows = analysis.table_rows(data.answers, block.id, question.id, columns)
    if rows.empty:
        return [heading(t(question.text)), note(NO_ANSWERS)]
    labels = {c.id: t(c.label) for c in question.columns}
    shown = rows.merge(data.participants, on=["session", "participant"], how="left")
    shown = shown[["display_name", *columns]].fillna("")
    return [
        heading(t(question.text)),
        ChartView(charts.table_fill_chart(rows, labels)),
        table_widget(shown, ["Wie", *labels.values()]),
    ]


def scales_view(data: GroupData, block: Block, questions: list[Question]) -> list[w.Widget]:
    scores = analysis.scale_answers(data.answers, block.id)
    scores = scores.loc[scores["question"].isin([q.id for q in questions])]
    if scores.empty:
        return [note(NO_ANSWERS)]
    labels = {q.id: data.template.t(q.text) for q in questions}
    widgets: list[w.Widget] = [ChartView(charts.scale_distribution_chart(scores, labels))]
    comments = scores.loc[scores["comment"].str.strip() != ""]
    if not comments.empty:
        shown = comments.assign(vraag=comments["question"].map(labels))[["vraag", "comment"]]
        widgets.append(table_widget(shown, ["Vraag", "Toelichting"]))
    return widgets


def choice_view(data: GroupData, block: Block, question: Question) -> list[w.Widget]:
    t = data.template.t
    counts = analysis.choice_counts(data.answers, block.id, question.id)
    if counts.empty:
        return [heading(t(question.text)), note(NO_ANSWERS)]
    labels = {o.id: t(o.label) for o in question.options}
    chart = charts.count_chart(counts, labels, title="aantal keer gekozen")
    return [heading(t(question.text)), ChartView(chart)]


def text_view(data: GroupData, block: Block, question: Question) -> list[w.Widget]:
    texts = analysis.text_answers(data.answers, block.id, question.id)
    items = "".join(f"<li>{html.escape(t)}</li>" for t in texts["text"]) or (
        f"<li><i>{NO_ANSWERS}</i></li>"
    )
    return [
        heading(data.template.t(question.text)),
        w.HTML(f'<ul class="nw-texts">{items}</ul>'),
    ]


def matrix_view(data: GroupData, block: Block, question: Question) -> list[w.Widget]:
    part = analysis._select(data.answers, block.id, question.id)
    part = part.loc[(part["field"] == "level") & (part["value"].fillna("") != "")]
    if part.empty:
        return [heading(data.template.t(question.text)), note(NO_ANSWERS)]
    levels = pd.DataFrame(
        {"participant": part["participant"], "ambition": part["item"], "level": part["value"]}
    )
    return [
        heading(data.template.t(question.text)),
        ChartView(charts.ambition_heatmap(levels, data.names())),
    ]


KIND_VIEWS: dict[str, Callable[[GroupData, Block, Question], list[w.Widget]]] = {
    "table": table_view,
    "choice": choice_view,
    "multichoice": choice_view,
    "text": text_view,
    "matrix": matrix_view,
}


# --- the building blocks of the Netwerkmodel ------------------------------------------------


def actors_view(data: GroupData, block: Block) -> list[w.Widget]:
    """The actor network drawn, its measures, the register and who is still missing."""
    from . import network

    register = analysis.actor_register(data.answers)
    roles = {
        o.id: data.template.t(o.label).split(":")[0]
        for c in block.question("register").columns
        if c.id == "rol"
        for o in c.options
    }
    register = register.assign(role=register["role"].map(lambda r: roles.get(r, r)))
    relations = analysis.actor_relations(data.answers)
    graph = network.relations_graph(register, relations)
    widgets: list[w.Widget] = [heading("Het netwerk van actoren")]
    if len(graph) == 0:
        return [*widgets, note(NO_ANSWERS)]
    summary = network.network_summary(graph)
    widgets += [
        ChartView(network.network_chart(graph)),
        table_widget(
            pd.DataFrame({"maat": summary.index.map(_summary_label), "waarde": summary.values}),
            ["Netwerkmaat", "Waarde"],
        ),
    ]
    measures = network.network_measures(graph).sort_values("betweenness", ascending=False)
    widgets.append(heading("Wie staat waar?"))
    widgets.append(
        table_widget(
            measures[["actor", "degree", "betweenness", "is_broker", "is_isolated"]].assign(
                is_broker=lambda df: df["is_broker"].map({True: "ja", False: ""}),
                is_isolated=lambda df: df["is_isolated"].map({True: "ja", False: ""}),
            ),
            ["Actor", "Relaties", "Tussenpositie", "Verbinder", "Geïsoleerd"],
        )
    )
    widgets.append(heading("Het actorenregister"))
    widgets.append(
        table_widget(
            register.drop(columns=["participation"]),
            ["Actor", "Organisatie", "Rol", "Betrokkenheid", "Belangen", "Genoemd door"],
        )
    )
    question = block.question("ontbreekt")
    missing = analysis.table_rows(data.answers, block.id, "ontbreekt", ["wie", "waarom"])
    if not missing.empty:
        widgets.append(heading(data.template.t(question.text)))
        widgets.append(table_widget(missing[["wie", "waarom"]], ["Wie", "Waarom"]))
    return widgets


def _summary_label(key: str) -> str:
    from .network import SUMMARY_LABELS

    return SUMMARY_LABELS.get(key, key)


def identity_view(data: GroupData, block: Block) -> list[w.Widget]:
    """The *why* sentences side by side, the words they share, and the kinds of network."""
    t = data.template.t
    sentences = analysis.why_sentences(data.answers, data.participants)
    widgets: list[w.Widget] = [heading(t(block.question("waarom").text))]
    if sentences.empty:
        widgets.append(note(NO_ANSWERS))
    else:
        widgets.append(table_widget(sentences[["text", "who"]], ["Waarom", "Van"]))
        words = analysis.word_counts(sentences["text"]).head(15)
        if not words.empty:
            widgets.append(heading("De woorden die het vaakst terugkomen"))
            widgets.append(
                ChartView(charts.count_chart(words, category="word", title="in zoveel zinnen"))
            )
    widgets.extend(text_view(data, block, block.question("waarden")))
    widgets.extend(choice_view(data, block, block.question("soort")))
    return widgets


def ambitions_view(data: GroupData, block: Block) -> list[w.Widget]:
    """Who takes part in which ambition, the coalitions, and ambitions without enough doers."""
    from . import network

    named = analysis.table_rows(data.answers, block.id, "lijst", ["ambitie", "toelichting"])
    widgets: list[w.Widget] = [heading(data.template.t(block.question("lijst").text))]
    widgets.append(
        table_widget(named[["ambitie", "toelichting"]], ["Ambitie", "Toelichting"])
        if not named.empty
        else note(NO_ANSWERS)
    )
    levels = analysis.ambition_levels(data.answers)
    widgets.append(heading("Wie doet mee aan welke ambitie?"))
    if levels.empty:
        return [*widgets, note(NO_ANSWERS)]
    profiles = data.profiles.set_index("participant")
    names = {
        p: str(row.display_name)
        if row.organisation == analysis.PERSONAL or row.organisation in row.display_name
        else f"{row.display_name} ({row.organisation})"
        for p, row in profiles.iterrows()
    }
    coalitions = analysis.coalitions(levels)
    widgets.append(ChartView(charts.ambition_heatmap(levels, names)))
    widgets.append(heading("Coalities: wie doet mee of beslist mee?"))
    widgets.append(ChartView(charts.coalition_chart(coalitions)))
    weak = coalitions.loc[~coalitions["viable"], "ambition"].tolist()
    if weak:
        widgets.append(
            note(
                "Te weinig trekkers (minder dan twee die meedoen of meebepalen): "
                + "; ".join(weak),
                "#b00020",
            )
        )
    shown = coalitions.assign(doers=coalitions["doers"].map(lambda ps: [names[p] for p in ps]))
    widgets.append(
        table_widget(
            shown[["ambition", "doers", "n_involved"]], ["Ambitie", "Coalitie", "Betrokken"]
        )
    )
    organisations = profiles["organisation"].to_dict()
    pairs = [
        (organisations[a], organisations[b])
        for doers in coalitions["doers"]
        for i, a in enumerate(doers)
        for b in doers[i + 1 :]
        if organisations[a] != organisations[b]
    ]
    if pairs:
        actors = pd.DataFrame({"actor": sorted(set(organisations.values()))})
        relations = pd.DataFrame(pairs, columns=["source", "target"])
        widgets.append(heading("Partijen verbonden door gedeelde ambities"))
        widgets.append(ChartView(network.network_chart(network.relations_graph(actors, relations))))
    return widgets


def foundation_view(data: GroupData, block: Block) -> list[w.Widget]:
    """Rules grouped by kind, leaders counted, and the steel-cable scale as a spread."""
    t = data.template.t
    widgets: list[w.Widget] = [heading(t(block.question("spelregels").text))]
    rules = analysis.rules(data.answers)
    if rules.empty:
        widgets.append(note(NO_ANSWERS))
    else:
        kinds = {o.id: t(o.label) for c in block.question("spelregels").columns for o in c.options}
        for kind, group in rules.groupby("kind", sort=True):
            widgets.append(w.HTML(text_html(kinds.get(str(kind), str(kind)), "b")))
            widgets.append(table_widget(group[["rule", "mentions"]], ["Spelregel", "Genoemd door"]))
    widgets.append(heading(t(block.question("leiderschap").text)))
    leaders = analysis.leaders(data.answers)
    widgets.append(
        ChartView(charts.count_chart(leaders, title="zoveel keer genoemd"))
        if not leaders.empty
        else note(NO_ANSWERS)
    )
    widgets.append(heading("Staalkabel of los verband: nu en gewenst"))
    scales = [block.question("vorm_nu"), block.question("vorm_gewenst")]
    low, high = (t(label) for label in scales[0].scale_labels or ())
    widgets.append(note(f"1 = {low}, 5 = {high}"))
    widgets.extend(scales_view(data, block, scales))
    for question_id in ("overleg", "middelen"):
        widgets.extend(text_view(data, block, block.question(question_id)))
    return widgets


def conditions_view(data: GroupData, block: Block) -> list[w.Widget]:
    """The ten conditions: whole distributions, disagreement, splits, tips, change over time."""
    from . import conditions

    scores = analysis.scale_answers(data.answers, block.id)
    if scores.empty:
        return [note(NO_ANSWERS)]
    summary = conditions.condition_summary(scores)
    flags = conditions.pseudo_consensus(scores, data.profiles)
    widgets: list[w.Widget] = [
        heading("Hoe staat het netwerk ervoor? (zwakste voorwaarde bovenaan)"),
        ChartView(conditions.distribution_chart(scores)),
        heading("Eens of oneens?"),
        note(
            "Onenigheid loopt van 0 (iedereen geeft hetzelfde cijfer) tot 1 (de helft geeft 1, "
            "de andere helft 5). Een hoog gemiddelde met veel onenigheid, of groepen die ver "
            "uit elkaar liggen, kan wijzen op schijnconsensus."
        ),
        table_widget(
            flags.assign(
                question=flags["question"].map(lambda q: conditions.SHORT_LABELS.get(q, q))
            )[["question", "mean", "disagreement", "reason"]],
            ["Voorwaarde", "Gemiddeld", "Onenigheid", "Let op"],
        ),
        heading("Verschillen tussen groepen"),
        SplitView(scores, data.profiles),
        heading("Tips bij de zwakste voorwaarden"),
    ]
    tips = conditions.tips_for_weakest(summary, k=3, language=data.template.language)
    widgets.append(
        table_widget(
            tips.assign(question=tips["question"].map(lambda q: conditions.SHORT_LABELS.get(q, q)))[
                ["question", "tip"]
            ],
            ["Voorwaarde", "Tip"],
        )
    )
    earlier = earlier_session(data)
    if earlier is not None:
        before = analysis.scale_answers(load_answers(earlier.code, store=data.store), block.id)
        comparison = conditions.compare_scans(before, scores)
        widgets.append(heading(f"Veranderd sinds {earlier.title} ({earlier.created_at[:10]})"))
        widgets.append(ChartView(conditions.change_chart(comparison)))
    return widgets


def earlier_session(data: GroupData) -> Session | None:
    """The latest earlier session of the same network, to compare with (or ``None``)."""
    current = data.store.session(data.session)
    earlier = [
        s
        for s in data.store.sessions()
        if s.network == current.network and s.created_at < current.created_at
    ]
    return max(earlier, key=lambda s: s.created_at) if earlier else None


class SplitView(w.VBox):
    """Group means per condition, split by role or organisation (chosen in a dropdown)."""

    def __init__(self, scores: pd.DataFrame, profiles: pd.DataFrame) -> None:
        self.scores, self.profiles = scores, profiles
        self.by = w.Dropdown(
            options=[("rol", "role"), ("organisatie", "organisation")],
            value="role",
            description="Splits per",
        )
        self.chart_view = ChartView()
        super().__init__([self.by, self.chart_view], layout=FULL)
        self.by.observe(self._on_change_by, names="value")
        self._on_change_by()

    def _on_change_by(self, _change: object = None) -> None:
        from . import conditions

        split = conditions.split_by(self.scores, self.profiles, by=self.by.value)
        self.chart_view.chart = conditions.split_chart(split)


def cost_benefit_view(data: GroupData, block: Block) -> list[w.Widget]:
    """Yields against costs per organisation: who is not in a win-win position."""
    from . import conditions

    scores = analysis.scale_answers(data.answers, block.id)
    wide = scores.pivot_table(
        index="participant", columns="question", values="score", aggfunc="last"
    ).reindex(columns=["opbrengst", "kosten"])
    if wide.dropna(how="all").empty:
        return [note(NO_ANSWERS)]
    organisations = data.profiles.set_index("participant")["organisation"]
    frame = pd.DataFrame(
        {
            "organisation": wide.index.map(lambda p: organisations.get(p, analysis.PERSONAL)),
            "yields": wide["opbrengst"].to_numpy(),
            "costs": wide["kosten"].to_numpy(),
        }
    )
    result = conditions.cost_benefit(frame)
    widgets: list[w.Widget] = [
        heading("Wat levert het op, wat kost het, per organisatie?"),
        ChartView(conditions.cost_benefit_chart(frame)),
        table_widget(
            result[["organisation", "n", "yields", "costs", "position"]],
            ["Organisatie", "Antwoorden", "Opbrengst", "Kosten", "Positie"],
        ),
    ]
    comments = scores.loc[scores["comment"].str.strip() != ""]
    if not comments.empty:
        labels = {q.id: data.template.t(q.text) for q in block.questions}
        shown = comments.assign(vraag=comments["question"].map(labels))[["vraag", "comment"]]
        widgets.append(table_widget(shown, ["Vraag", "Toelichting"]))
    return widgets


BLOCK_VIEWS: dict[str, tuple[set[str], Callable[[GroupData, Block], list[w.Widget]]]] = {
    "actoren": ({"register", "relaties", "ontbreekt"}, actors_view),
    "identiteit": ({"waarom", "waarden", "soort"}, identity_view),
    "ambities": ({"lijst", "betrokkenheid"}, ambitions_view),
    "fundament": (
        {"spelregels", "leiderschap", "vorm_nu", "vorm_gewenst", "overleg", "middelen"},
        foundation_view,
    ),
    "voorwaarden": ({"v01_ambitie", "v10_macht"}, conditions_view),
    "kosten_baten": ({"opbrengst", "kosten"}, cost_benefit_view),
}
"""Views of the built-in blocks: the question ids each needs, and the view."""
