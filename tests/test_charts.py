from __future__ import annotations

import altair as alt
import pandas as pd

from netwerk_widgets import Store, analysis, charts, load_answers, load_template
from netwerk_widgets.groupviews import NO_ANSWERS, ChartView, group_view
from netwerk_widgets.store import Answer

TEMPLATE = load_template()
LABELS = {
    c.id: TEMPLATE.t(c.label) for c in TEMPLATE.block("werkblad").question("uitdagingen").columns
}


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
    counts = {r["kolom"]: r["aantal"] for r in chart.to_dict()["datasets"].popitem()[1]}
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


def test_group_view_of_an_empty_session_says_so(store: Store) -> None:
    store.create_session("Leeg", template="netwerkwerkboek", template_version="1.0", code="E1")
    for block in TEMPLATE.blocks:
        widgets = group_view(store, TEMPLATE, "E1", block.id)
        assert len(widgets) == 1 and NO_ANSWERS in widgets[0].value


def test_group_view_shows_the_worksheet_as_chart_and_escaped_table(store: Store) -> None:
    store.create_session("T", template="netwerkwerkboek", template_version="1.0", code="T1")
    anna = store.join("T1", "<i>Anna</i>")
    store.append(
        anna, [Answer("werkblad", "uitdagingen", "<b>vet</b> & meer", item="r1", field="uitdaging")]
    )
    widgets = group_view(store, TEMPLATE, "T1", "werkblad")
    chart = next(w for w in widgets if isinstance(w, ChartView))
    assert chart.value.startswith("<svg") and isinstance(chart.chart, alt.Chart)
    table = widgets[-1].value
    assert "&lt;b&gt;vet&lt;/b&gt; &amp; meer" in table and "<b>vet" not in table
    assert "&lt;i&gt;Anna&lt;/i&gt;" in table


def test_group_views_of_the_demo_draw_every_block(demo_store: Store) -> None:
    for block in TEMPLATE.blocks:
        widgets = group_view(demo_store, TEMPLATE, "DEMO", block.id)
        assert widgets and all(NO_ANSWERS not in getattr(w, "value", "") for w in widgets)
    counts = analysis.choice_counts(load_answers("DEMO", store=demo_store), "identiteit", "soort")
    assert counts.iloc[0].to_dict() == {"option": "plaats", "count": 6}


def test_conditions_view_shows_spread_splits_tips_and_change(demo_store: Store) -> None:
    from netwerk_widgets.groupviews import SplitView

    first = group_view(demo_store, TEMPLATE, "DEMO", "voorwaarden")
    later = group_view(demo_store, TEMPLATE, "DEMO2", "voorwaarden")
    text = " ".join(getattr(w, "value", "") for w in later)
    assert "Veranderd sinds MuziekTafel Rivierenland – startbijeenkomst" in text
    assert "Veranderd sinds" not in " ".join(getattr(w, "value", "") for w in first)
    assert (
        sum(isinstance(w, ChartView) for w in later)
        == sum(isinstance(w, ChartView) for w in first) + 1
    )
    assert "Tip" in text and "Onenigheid" in text
    split = next(w for w in first if isinstance(w, SplitView))
    by_role = split.chart_view.value
    split.by.value = "organisation"
    assert split.chart_view.value != by_role and "Muziekschool De Linge" in split.chart_view.value


def test_cost_benefit_view_places_each_organisation(demo_store: Store) -> None:
    widgets = group_view(demo_store, TEMPLATE, "DEMO", "kosten_baten")
    text = " ".join(getattr(w, "value", "") for w in widgets)
    assert "Bibliotheek Rivierenland" in text
    assert "kost meer dan het oplevert" in text and "win-win" in text


def test_profiles_of_a_session_where_nobody_gave_organisation_or_role(store: Store) -> None:
    store.create_session("T", template="netwerkwerkboek", template_version="1.0", code="T1")
    anna = store.join("T1", "Anna")
    store.append(anna, [Answer("ambities", "betrokkenheid", "meedoen", "Muziek", "level")])
    answers = load_answers("T1", store=store)
    profiles = analysis.participant_profiles(answers, analysis.load_participants("T1", store=store))
    assert profiles[["organisation", "role"]].values.tolist() == [
        ["op persoonlijke titel", "onbekend"]
    ]
    assert group_view(store, TEMPLATE, "T1", "ambities")
