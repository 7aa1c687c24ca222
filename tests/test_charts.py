"""Chart builders: new charts that can be changed, any integer scale, labels in full, one theme."""

from __future__ import annotations

import html
import inspect
import math
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from netwerk_widgets import Store, analysis, charts, conditions, load_answers, load_template
from netwerk_widgets.charts import _theme as theme
from netwerk_widgets.messages import catalogue

TEMPLATE = load_template()
LABELS = {
    c.id: TEMPLATE.t(c.label) for c in TEMPLATE.block("werkblad").question("uitdagingen").columns
}
LONG = (
    "Deelnemers kunnen schakelen tussen hun rol als persoon, als lid van deze groep en als "
    "vertegenwoordiger van hun eigen organisatie."
)
LEVELS = ("niet", "weten", "meedenken", "meedoen", "meebepalen")


def ratings(question: str, values: list[float], *, prefix: str = "p") -> list[dict]:
    """Rows of a scores frame; ``NaN`` in ``values`` is a "weet ik niet"."""
    return [
        {
            "session": "S1",
            "participant": f"{prefix}{i}",
            "question": question,
            "score": float(value),
            "unknown": math.isnan(value),
            "comment": "",
        }
        for i, value in enumerate(values)
    ]


def frame(*groups: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([row for group in groups for row in group])


NAN = float("nan")


@pytest.fixture
def scores() -> pd.DataFrame:
    return frame(
        ratings("v04_vertrouwen", [4] * 8),
        ratings("v01_ambitie", [1, 1, 1, 1, 5, 5, 5, 5]),
        ratings("v06_verschillen", [5, 5, 5, 5, 5, 5, 1, 1]),
        ratings("v07_betrokkenen", [1, 1, 1, 1, 1, 1, 5, 5]),
        ratings("v02_urgentie", [3, 3, 3, 4, 4, 4, NAN, NAN]),
    )


def embedded(chart: alt.TopLevelMixin) -> list[dict]:
    """The rows of the (first) data set a chart embeds."""
    return next(iter(chart.to_dict()["datasets"].values()))


def rows_with(chart: alt.TopLevelMixin, field: str) -> list[dict]:
    """The embedded rows that have ``field`` (of a layered chart's several data sets)."""
    datasets = chart.to_dict()["datasets"].values()
    return [row for rows in datasets for row in rows if field in row]


def texts(svg: str) -> list[str]:
    """Every piece of text drawn in an SVG (lines of a label are separate pieces)."""
    return [html.unescape(t) for t in re.findall(r">([^<>]+)</(?:text|tspan)>", svg)]


def drawn_words(svg: str) -> set[str]:
    return {word for text in texts(svg) for word in text.split()}


def legend_entries(chart: alt.TopLevelMixin, channel: str = "color") -> list[str]:
    return chart.to_dict()["encoding"][channel]["scale"]["domain"]


# --- the demo --------------------------------------------------------------------------------


def test_worksheet_rows_from_the_demo(demo_store: Store) -> None:
    answers = load_answers("DEMO", store=demo_store)
    before = answers.copy()
    rows = analysis.worksheet_rows(answers)
    pd.testing.assert_frame_equal(answers, before)  # the input is not changed
    assert list(rows.columns) == [
        "session",
        "participant",
        "item",
        "uitdaging",
        "probleem",
        "oplossing",
    ]
    assert len(rows) == 7 and rows["participant"].nunique() == 6
    first = rows.loc[rows["participant"] == "p-anouk"].iloc[0]
    assert first["uitdaging"].startswith("De twee nieuwe basisscholen")


def test_chart_builders_return_charts_that_can_be_changed(demo_store: Store) -> None:
    answers = load_answers("DEMO", store=demo_store)
    rows = analysis.worksheet_rows(answers)
    chart = charts.table_fill_chart(rows, LABELS)
    assert isinstance(chart, alt.Chart)
    changed = chart.properties(title="Eigen titel", width=200)
    assert changed.to_dict()["title"] == "Eigen titel" and chart.to_dict().get("title") is None
    counts = {r["column"]: r["count"] for r in embedded(chart)}
    assert counts == {
        "Uitdaging binnen het netwerk": 7,
        "Het achterliggende probleem": 7,
        "Oplossing": 7,
    }
    scores = analysis.scale_answers(answers, "voorwaarden")
    assert len(scores) == 80 and scores["unknown"].sum() == 3
    assert isinstance(charts.scale_distribution_chart(scores), alt.Chart)


def test_svg_renders_offline_and_escapes_typed_text() -> None:
    rows = pd.DataFrame(
        {"question": ["<script>alert(1)</script>"] * 3, "score": [1.0, 5.0, float("nan")]}
    )
    svg = charts.to_svg(charts.scale_distribution_chart(rows))
    assert svg.startswith("<svg") and "<script>" not in svg
    assert "&lt;script&gt;" in svg


# --- rated questions ------------------------------------------------------------------------


def test_charts_are_changeable_and_render_offline(scores: pd.DataFrame) -> None:
    participants = pd.DataFrame(
        {"participant": [f"p{i}" for i in range(8)], "role": ["trekker", "deelnemer"] * 4}
    )
    costs = pd.DataFrame({"organisation": ["A", "B"], "yields": [4, 2], "costs": [2, 4]})
    after = scores.assign(score=scores["score"].where(scores["score"] > 2, 3.0))
    built = [
        charts.distribution_chart(scores, labels={"v04_vertrouwen": "Vertrouwen"}),
        charts.scale_distribution_chart(scores),
        charts.split_chart(conditions.split_by(scores, participants, by="role")),
        charts.change_chart(conditions.compare_scans(scores, after)),
        charts.cost_benefit_chart(costs),
    ]
    for chart in built:
        assert isinstance(chart, alt.TopLevelMixin)
        changed = chart.properties(title="Eigen titel")
        assert changed.to_dict()["title"] == "Eigen titel"
        assert chart.to_dict().get("title") is None
        svg = charts.to_svg(changed)
        assert svg.startswith("<svg") and "Eigen titel" in svg
    assert all(isinstance(chart, alt.Chart) for chart in built[:4])
    assert isinstance(built[4], alt.LayerChart)  # points, names and the diagonal


def test_distribution_chart_shows_the_whole_distribution_weakest_first(
    scores: pd.DataFrame,
) -> None:
    labels = {"v01_ambitie": "1 Gedeelde ambitie", "v07_betrokkenen": "7 Iedereen aan tafel"}
    chart = charts.distribution_chart(scores, labels)
    spec, data = chart.to_dict(), embedded(chart)
    split = [r for r in data if r["label"].startswith("1 Gedeelde ambitie")]
    assert {r["answer"]: r["count"] for r in split} == {"1": 4, "5": 4}
    assert min(r["start"] for r in split) == -4 and max(r["end"] for r in split) == 4
    assert spec["encoding"]["y"]["sort"][0].startswith("7 Iedereen aan tafel")
    assert any("2× weet ik niet" in r["label"] for r in data)
    assert {r["question"] for r in data} >= {"1 Gedeelde ambitie", "v04_vertrouwen"}


def test_four_sevens_on_a_1_7_scale_show_as_sevens() -> None:
    scores = frame(ratings("q", [7, 7, 7, 7, 1, 2]))
    for chart in (
        charts.distribution_chart(scores),
        charts.distribution_chart(scores, scale=(1, 7)),
        charts.distribution_chart(scores.assign(scale_min=1, scale_max=7)),
        charts.scale_distribution_chart(scores),
        charts.scale_distribution_chart(scores, scale=(1, 7)),
    ):
        assert legend_entries(chart)[:7] == [str(s) for s in range(1, 8)]
        assert {r["answer"]: r["count"] for r in embedded(chart)}["7"] == 4
        assert "7" in texts(charts.to_svg(chart))  # in the legend
    # diverging around the middle (4): 1 and 2 left of zero, the 7s right
    bars = {r["answer"]: r for r in embedded(charts.distribution_chart(scores))}
    assert bars["1"]["start"] == -2 and bars["7"]["end"] == 4 and bars["7"]["start"] == 0


def test_a_0_10_question_shows_0_and_10() -> None:
    scores = frame(ratings("nps", [0, 10, 10, 5, 9, NAN]))
    for chart in (charts.distribution_chart(scores), charts.scale_distribution_chart(scores)):
        domain = legend_entries(chart)
        assert domain[0] == "0" and domain[10] == "10"
        counts = {r["answer"]: r["count"] for r in embedded(chart)}
        assert counts["0"] == 1 and counts["10"] == 2
        assert "10" in texts(charts.to_svg(chart))
    # an odd number of points: the middle point (5) straddles zero
    bars = {r["answer"]: r for r in embedded(charts.distribution_chart(scores))}
    assert bars["5"]["start"] == -0.5 and bars["5"]["end"] == 0.5
    assert bars["0"]["start"] == -1.5


def test_an_even_scale_splits_in_halves() -> None:
    scores = frame(ratings("q", [1, 2, 3, 4, 4, 4]))
    bars = {r["answer"]: r for r in embedded(charts.distribution_chart(scores, scale=(1, 4)))}
    assert bars["1"]["start"] == -2 and bars["2"]["end"] == 0 and bars["3"]["start"] == 0
    assert legend_entries(charts.distribution_chart(scores, scale=(1, 4))) == ["1", "2", "3", "4"]


def test_scale_distribution_lists_every_point_and_weet_ik_niet_in_order() -> None:
    scores = frame(ratings("q", [2, 12, NAN]), ratings("r", [1, 1]))
    chart = charts.scale_distribution_chart(scores, {"r": "Eerst r", "q": "Dan q"}, scale=(1, 12))
    assert legend_entries(chart) == [*(str(s) for s in range(1, 13)), "weet ik niet"]
    assert chart.to_dict()["encoding"]["y"]["sort"] == ["Eerst r", "Dan q"]
    rows = {(r["question"], r["answer"]): r for r in embedded(chart)}
    assert rows["Dan q", "12"]["rank"] > rows["Dan q", "2"]["rank"]  # stacks in scale order
    assert rows["Dan q", "weet ik niet"]["count"] == 1
    english = charts.scale_distribution_chart(scores, language="en")
    assert legend_entries(english)[-1] == "don't know"


def test_split_and_change_charts_use_the_scale_of_their_input() -> None:
    scores = frame(
        ratings("q", [7, 7, 6, 6], prefix="a"),
        ratings("q", [1, 2, 1, 2], prefix="b"),
    ).assign(scale_min=1, scale_max=7)
    participants = pd.DataFrame(
        {"participant": [f"{g}{i}" for g in "ab" for i in range(4)], "role": ["x"] * 4 + [None] * 4}
    )
    split = conditions.split_by(scores, participants, by="role")
    chart = charts.split_chart(split)
    assert chart.to_dict()["encoding"]["x"]["scale"]["domain"] == [1, 7]
    assert legend_entries(chart) == ["x", "onbekend"]  # the unknown group, from the catalogue
    assert "rol" in texts(charts.to_svg(chart))
    comparison = conditions.compare_scans(scores, scores.assign(score=7.0))
    change = charts.change_chart(comparison)
    assert change.to_dict()["encoding"]["x"]["scale"]["domain"] == [1, 7]
    assert {r["direction"] for r in embedded(change)} == {"hoger"}
    ten = charts.change_chart(comparison, scale=(0, 10))
    assert ten.to_dict()["encoding"]["x"]["scale"]["domain"] == [0, 10]


def test_cost_benefit_chart_on_a_0_10_scale() -> None:
    costs = pd.DataFrame(
        {"organisation": ["A", "B", None], "yields": [9, 2, 5], "costs": [1, 8, 5]}
    )
    chart = charts.cost_benefit_chart(costs, scale=(0, 10))
    points = next(layer for layer in chart.to_dict()["layer"] if layer["mark"]["type"] == "circle")
    assert points["encoding"]["x"]["scale"]["domain"] == [-0.5, 10.5]
    svg = charts.to_svg(chart)
    assert "kosten (0-10)" in texts(svg) and "opbrengst (0-10)" in texts(svg)
    assert {"win-win", "kost meer dan het oplevert", "onbekend"} <= set(texts(svg))
    # a caller's result is drawn as it is; thresholds decide the colours of respondents
    result = conditions.cost_benefit(costs, scale=(0, 10))
    assert [row["count"] for row in rows_with(charts.cost_benefit_chart(result), "count")] == [
        1
    ] * 3
    wide = conditions.Thresholds.from_points((0, 10), balance_margin=9)
    calm = charts.cost_benefit_chart(costs, scale=(0, 10), thresholds=wide)
    assert {row["position"] for row in rows_with(calm, "position")} == {"in balans"}


def test_english_axis_titles_and_legends(scores: pd.DataFrame) -> None:
    participants = pd.DataFrame(
        {"participant": [f"p{i}" for i in range(8)], "organisation": ["A", "B"] * 4}
    )
    distribution = charts.distribution_chart(scores, language="en").to_dict()
    assert distribution["encoding"]["x"]["title"].startswith("number of participants")
    assert distribution["encoding"]["color"]["title"] == "score"
    data = next(iter(distribution["datasets"].values()))
    assert any("2× don't know" in r["label"] for r in data)
    scale = charts.scale_distribution_chart(scores, language="en").to_dict()
    assert scale["encoding"]["x"]["title"] == "number of participants"
    assert scale["encoding"]["color"]["title"] == "answer"
    split = charts.split_chart(conditions.split_by(scores, participants), language="en")
    assert split.to_dict()["encoding"]["x"]["title"] == "mean score"
    assert split.to_dict()["encoding"]["color"]["title"] == "organisation"
    costs = pd.DataFrame({"organisation": ["A"], "yields": [4], "costs": [2]})
    svg = charts.to_svg(charts.cost_benefit_chart(costs, language="en"))
    assert "costs (1-5)" in texts(svg) and "yields more than it costs" in texts(svg)
    assert "kosten (1-5)" in texts(charts.to_svg(charts.cost_benefit_chart(costs)))
    counts = pd.DataFrame({"option": ["a"], "count": [2]})
    assert charts.count_chart(counts, language="en").to_dict()["encoding"]["x"]["title"] == (
        "number of mentions"
    )


def test_typed_names_are_escaped_in_the_svg() -> None:
    evil = "<script>x</script>"
    costs = pd.DataFrame({"organisation": [evil, "B"], "yields": [2, 4], "costs": [4, 2]})
    svg = charts.to_svg(charts.cost_benefit_chart(costs))
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    scores = frame(ratings("v04_vertrouwen", [5, 5, 2, 2]))
    participants = pd.DataFrame({"participant": ["p0", "p1", "p2", "p3"], "role": [evil] * 4})
    svg = charts.to_svg(charts.split_chart(conditions.split_by(scores, participants, by="role")))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    svg = charts.to_svg(charts.distribution_chart(scores, labels={"v04_vertrouwen": evil}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_chart_builders_do_not_change_their_input(scores: pd.DataFrame) -> None:
    participants = pd.DataFrame(
        {"participant": [f"p{i}" for i in range(8)], "organisation": ["A"] * 4 + [None] * 4}
    )
    costs = pd.DataFrame({"organisation": ["A", None], "yields": [4, 2], "costs": [2, None]})
    split = conditions.split_by(scores, participants, by="organisation")
    comparison = conditions.compare_scans(scores, scores)
    inputs = (scores, participants, costs, split, comparison)
    kept = tuple(frame.copy() for frame in inputs)
    charts.distribution_chart(scores)
    charts.scale_distribution_chart(scores)
    charts.split_chart(split)
    charts.cost_benefit_chart(costs)
    charts.change_chart(comparison)
    for now, before in zip(inputs, kept, strict=True):
        pd.testing.assert_frame_equal(now, before)


def test_empty_input_gives_charts_that_render() -> None:
    empty = pd.DataFrame(columns=["session", "participant", "question", "score", "unknown"])
    participants = pd.DataFrame(columns=["participant", "organisation"])
    for chart in (
        charts.distribution_chart(empty),
        charts.distribution_chart(pd.DataFrame(), scale=(0, 10)),
        charts.scale_distribution_chart(empty),
        charts.split_chart(conditions.split_by(empty, participants)),
        charts.change_chart(conditions.compare_scans(empty, empty)),
        charts.cost_benefit_chart(pd.DataFrame()),
        charts.count_chart(pd.DataFrame(columns=["option", "count"])),
        charts.coalition_chart(
            pd.DataFrame(columns=["ambition", "n_doers", "n_involved", "viable"])
        ),
        charts.table_fill_chart(pd.DataFrame(), {"a": "A"}),
    ):
        assert charts.to_svg(chart).startswith("<svg")


# --- labels are never clipped ------------------------------------------------------------------


def test_long_labels_are_wrapped_not_clipped(scores: pd.DataFrame) -> None:
    labels = {"v06_verschillen": LONG, "v09_evaluatie": "Evaluatie en reflectie"}
    scores = pd.concat([scores, frame(ratings("v09_evaluatie", [2, 3, 4]))])
    for chart in (
        charts.distribution_chart(scores, labels),
        charts.scale_distribution_chart(scores, labels),
        charts.change_chart(conditions.compare_scans(scores, scores), labels),
    ):
        words = drawn_words(charts.to_svg(chart))
        assert set(LONG.split()) <= words, set(LONG.split()) - words
        assert {"Evaluatie", "en", "reflectie"} <= words
        assert not any(t.endswith("…") for t in texts(charts.to_svg(chart)))
    counts = pd.DataFrame({"option": ["lang"], "count": [3]})
    words = drawn_words(charts.to_svg(charts.count_chart(counts, {"lang": LONG})))
    assert set(LONG.split()) <= words
    words = drawn_words(
        charts.to_svg(charts.table_fill_chart(pd.DataFrame({"c": ["x"]}), {"c": LONG}))
    )
    assert set(LONG.split()) <= words
    coalitions = pd.DataFrame(
        {"ambition": [LONG], "n_doers": [1], "n_involved": [2], "viable": [False]}
    )
    assert set(LONG.split()) <= drawn_words(charts.to_svg(charts.coalition_chart(coalitions)))


def test_a_label_too_long_to_wrap_ends_in_an_ellipsis_with_the_full_text_in_the_tooltip() -> None:
    endless = " ".join([LONG] * 3)
    chart = charts.scale_distribution_chart(frame(ratings("q", [3, 4])), {"q": endless})
    row = embedded(chart)[0]
    assert row["label"].endswith("…") and row["label"].count("\n") == theme.LABEL_LINES - 1
    assert row["question"] == endless  # the tooltip's field
    tooltip = chart.to_dict()["encoding"]["tooltip"][0]
    assert tooltip["field"] == "question" and tooltip["title"] == "vraag"


def test_wrap_keeps_words_and_marks_what_it_leaves_out() -> None:
    assert theme.wrap("kort") == "kort"
    assert theme.wrap("een twee drie vier", width=8) == "een twee\ndrie\nvier"
    assert theme.wrap("een twee drie vier", width=8, lines=2) == "een twee\ndrie…"
    assert theme.wrap("  veel   ruimte\n") == "veel ruimte"
    full, shown = theme.category_labels(["a", "b"], {"a": "Zelfde", "b": "Zelfde"})
    assert full == {"a": "Zelfde", "b": "Zelfde (b)"} and len(set(shown.values())) == 2


# --- other builders ---------------------------------------------------------------------------


def test_count_chart_keeps_a_callers_title() -> None:
    counts = pd.DataFrame({"option": ["a", "b"], "count": [3, 1]})
    default = charts.count_chart(counts, {"a": "Optie A"})
    assert default.to_dict()["encoding"]["x"]["title"] == "aantal keer genoemd"
    own = charts.count_chart(counts, title="zoveel keer gekozen")
    assert own.to_dict()["encoding"]["x"]["title"] == "zoveel keer gekozen"
    assert {r["name"] for r in embedded(default)} == {"Optie A", "b"}


def test_heatmap_shows_every_level_once_with_awkward_ambition_names() -> None:
    levels = pd.DataFrame(
        {
            "participant": ["p1", "p1", "p2", "p3"],
            "ambition": ["a.b", "x [y]", "a.b", "a.b"],
            "level": ["weten", "meedoen", "meebepalen", "niet"],
        }
    )
    names = {"p1": "Anna", "p2": "School", "p3": "School"}  # two people, one row
    chart = charts.ambition_heatmap(levels, names, order=LEVELS, group_same_names=True)
    svg = charts.to_svg(chart)
    assert {"a.b", "x [y]", "Anna", "School"} <= set(texts(svg))
    rows = {row["name"]: row for row in embedded(chart)}
    assert rows["School"]["a0"] == "meebepalen"  # the highest level of the two
    assert rows["School"]["a1"] is None and rows["Anna"]["a1"] == "meedoen"
    assert legend_entries(chart) == list(LEVELS)
    empty = charts.ambition_heatmap(levels.iloc[:0], names, order=LEVELS)
    assert charts.to_svg(empty).startswith("<svg")


def test_heatmap_gives_each_participant_a_row_even_with_the_same_name() -> None:
    # Issue 16.11: two "Fuut 91"s were merged into one row, the highest level winning.
    levels = pd.DataFrame(
        {"participant": ["p1", "p2"], "ambition": ["A", "A"], "level": ["weten", "meebepalen"]}
    )
    chart = charts.ambition_heatmap(levels, {"p1": "Fuut 91", "p2": "Fuut 91"}, order=LEVELS)
    rows = {row["name"]: row["a0"] for row in embedded(chart)}
    assert rows == {"Fuut 91": "weten", "Fuut 91 (2)": "meebepalen"}


def test_heatmap_takes_the_level_order_and_texts_from_the_caller() -> None:
    levels = pd.DataFrame(
        {"participant": ["p1", "p1", "p2"], "ambition": ["A", "A", "B"], "level": ["hi", "lo", "?"]}
    )
    texts_of = {"lo": "een beetje", "hi": "helemaal"}
    chart = charts.ambition_heatmap(levels, {}, order=["lo", "hi"], level_labels=texts_of)
    assert legend_entries(chart) == ["een beetje", "helemaal", "?"]  # unknown levels last, grey
    assert chart.to_dict()["encoding"]["color"]["scale"]["range"][-1] == theme.FAINT
    assert {row["name"]: row["a0"] for row in embedded(chart)}["p1"] == "helemaal"
    assert chart.to_dict()["encoding"]["color"]["title"] == "betrokkenheid"
    english = charts.ambition_heatmap(levels, {}, order=["lo", "hi"], language="en")
    assert english.to_dict()["encoding"]["color"]["title"] == "involvement"


def test_coalition_chart_marks_too_few_doers() -> None:
    coalitions = pd.DataFrame(
        {
            "ambition": ["Koor", "Fonds"],
            "n_doers": [3, 1],
            "n_involved": [5, 2],
            "viable": [True, False],
        }
    )
    chart = charts.coalition_chart(coalitions)
    assert isinstance(chart, alt.LayerChart)
    status = {r["ambition"]: r["status"] for r in embedded(chart)}
    assert status == {"Koor": "genoeg trekkers", "Fonds": "te weinig trekkers"}
    english = charts.coalition_chart(coalitions, language="en")
    assert {r["status"] for r in embedded(english)} == {"enough leaders", "too few leaders"}


# --- one theme, one catalogue ----------------------------------------------------------------


def test_diverging_palette_for_any_number_of_points() -> None:
    assert theme.diverging(5) == list(theme.DIVERGING_ANCHORS)
    for n in (2, 3, 4, 7, 11):
        colours = theme.diverging(n)
        assert len(colours) == len(set(colours)) == n
        assert (
            colours[0] == theme.DIVERGING_ANCHORS[0] and colours[-1] == theme.DIVERGING_ANCHORS[-1]
        )
    assert theme.diverging(7)[3] == theme.diverging(11)[5] == "#d9d9d9"  # the grey middle
    assert theme.sequential(5) == list(theme.SEQUENTIAL_ANCHORS)


def test_colours_live_in_the_theme_only() -> None:
    package = Path(charts.__file__).parent.parent
    modules = [*package.joinpath("charts").glob("*.py"), package / "conditions.py"]
    for path in [*modules, package / "network.py"]:
        if path.name != "_theme.py":
            assert not re.search(r"#[0-9a-fA-F]{6}\b", path.read_text()), path.name


def test_charts_and_statistics_texts_are_in_both_catalogues() -> None:
    def keys(language: str) -> set[str]:
        return {k for k in catalogue(language) if k.split(".")[0] in ("charts", "stats")}

    assert keys("nl") == keys("en") and len(keys("nl")) > 50


def test_every_builder_is_exported_and_the_statistics_hold_none() -> None:
    public = set(charts.__all__)
    for name, function in inspect.getmembers(charts, inspect.isfunction):
        if function.__module__.startswith("netwerk_widgets.charts") and not name.startswith("_"):
            assert name in public, name
    from netwerk_widgets import network

    for module in (conditions, network):
        builders = [
            name
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if str(inspect.signature(function).return_annotation).startswith("alt.")
        ]
        assert builders == [], module.__name__
