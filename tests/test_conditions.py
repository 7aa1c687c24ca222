"""The ten conditions: spread, pseudo-consensus, splits, tips, cost/benefit, change, charts."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest

from netwerk_widgets import charts, conditions
from netwerk_widgets.conditions import (
    TIPS,
    change_chart,
    compare_scans,
    condition_summary,
    cost_benefit,
    cost_benefit_chart,
    distribution_chart,
    pseudo_consensus,
    split_by,
    split_chart,
    tips_for_weakest,
)

NAN = float("nan")


def ratings(question: str, values: list[float], *, prefix: str = "p", session: str = "S1") -> list:
    """Rows of a scores frame; ``NaN`` in ``values`` is a "weet ik niet"."""
    return [
        {
            "session": session,
            "participant": f"{prefix}{i}",
            "question": question,
            "score": float(value),
            "unknown": math.isnan(value),
            "comment": "",
        }
        for i, value in enumerate(values)
    ]


def frame(*groups: list) -> pd.DataFrame:
    rows = [row for group in groups for row in group]
    return pd.DataFrame(rows).astype({"participant": "string", "comment": "string"})


@pytest.fixture
def scores() -> pd.DataFrame:
    return frame(
        ratings("v04_vertrouwen", [4] * 8),  # everyone a 4
        ratings("v01_ambitie", [1, 1, 1, 1, 5, 5, 5, 5]),  # split, mean 3
        ratings("v06_verschillen", [5, 5, 5, 5, 5, 5, 1, 1]),  # wide, mean 4: flag
        ratings("v07_betrokkenen", [1, 1, 1, 1, 1, 1, 5, 5]),  # wide, mean 2: no flag
        ratings("v02_urgentie", [3, 3, 3, 4, 4, 4, NAN, NAN]),  # "weet ik niet" twice
    )


def by_question(result: pd.DataFrame) -> pd.DataFrame:
    return result.set_index("question")


def test_everyone_the_same_means_no_disagreement_and_no_flag(scores: pd.DataFrame) -> None:
    row = by_question(condition_summary(scores)).loc["v04_vertrouwen"]
    assert row["n"] == 8 and row["n_unknown"] == 0
    assert row["mean"] == 4 and row["median"] == 4
    assert row["disagreement"] == 0
    assert [row[f"n_{s}"] for s in range(1, 6)] == [0, 0, 0, 8, 0]
    flag = by_question(pseudo_consensus(scores)).loc["v04_vertrouwen"]
    assert not flag["flagged"] and flag["reason"] == ""


def test_a_split_in_two_halves_is_the_largest_disagreement(scores: pd.DataFrame) -> None:
    summary = by_question(condition_summary(scores))
    assert summary.loc["v01_ambitie", "disagreement"] == pytest.approx(1.0)
    assert summary["disagreement"].idxmax() == "v01_ambitie"
    assert summary["disagreement"].between(0, 1).all()
    assert (summary.loc["v01_ambitie", ["low", "high"]] == [1, 5]).all()
    # mean 3 is not "high": the spread shows, but rule a does not call it pseudo-consensus
    flags = by_question(pseudo_consensus(scores))
    assert not flags.loc["v01_ambitie", "flagged"]


def test_high_mean_with_wide_spread_is_flagged_low_mean_is_not(scores: pd.DataFrame) -> None:
    flags = by_question(pseudo_consensus(scores))
    high = flags.loc["v06_verschillen"]
    assert high["wide_spread"] and high["flagged"] and not high["groups_apart"]
    assert high["reason"].startswith("Gemiddeld hoog (4,0), maar de antwoorden lopen sterk")
    assert "(1 tot 5" in high["reason"]
    low = flags.loc["v07_betrokkenen"]
    assert low["disagreement"] == pytest.approx(high["disagreement"])  # mirror image
    assert not low["wide_spread"] and not low["flagged"] and low["reason"] == ""


def test_flag_thresholds_are_named_constants() -> None:
    # Just above and just below HIGH_MEAN with the same wide spread.
    lifted = frame(ratings("v03_meerwaarde", [1, 5, 5, 5, 5, 5, 5, 5, 5, 5]))  # mean 4.6
    assert pseudo_consensus(lifted)["flagged"].item()
    mild = frame(ratings("v03_meerwaarde", [2, 5, 5, 5, 5, 5, 5, 5, 5, 5]))  # dissent 0.26
    assert not pseudo_consensus(mild)["flagged"].item()
    assert 0 < conditions.WIDE_DISAGREEMENT < 1 and 1 < conditions.HIGH_MEAN < 5


def test_two_organisations_far_apart_are_flagged_by_the_group_rule() -> None:
    scores = frame(
        ratings("v08_spelregels", [5, 5, 5, 5], prefix="a"),
        ratings("v08_spelregels", [2, 2, 2, 2], prefix="b"),
    )
    participants = pd.DataFrame(
        {
            "participant": [f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)],
            "organisation": ["Bibliotheek Oost"] * 4 + ["Muziekschool"] * 4,
            "role": ["coördinator", None, "docent", ""] * 2,
        }
    )
    flags = by_question(pseudo_consensus(scores, participants))
    row = flags.loc["v08_spelregels"]
    assert row["mean"] == 3.5
    assert row["groups_apart"] and row["flagged"]
    assert "Per organisatie" in row["reason"]
    assert "Bibliotheek Oost gemiddeld 5,0" in row["reason"]
    assert "Muziekschool gemiddeld 2,0" in row["reason"] and "verschil 3,0" in row["reason"]
    # roles are mixed across both organisations: no gap by role, so no role reason
    assert "Per rol" not in row["reason"]
    # the group rule holds on its own: A at 4 and B at 2 average 3, not "high", so rule a
    # stays silent, yet the organisations are two points apart
    closer = scores.assign(score=scores["score"].replace({5.0: 4.0}))
    row = by_question(pseudo_consensus(closer, participants)).loc["v08_spelregels"]
    assert row["flagged"] and row["groups_apart"] and not row["wide_spread"]
    assert "verschil 2,0" in row["reason"] and "Gemiddeld hoog" not in row["reason"]
    # without participants only rule a applies
    assert not pseudo_consensus(closer)["flagged"].item()


def test_a_gap_made_by_one_dissenter_is_not_a_split_between_groups() -> None:
    # A averages 4 and B 2, but A is itself divided: the gap is one person, not A against B
    scores = frame(
        ratings("v05_rollen", [5, 5, 5, 1], prefix="a"),
        ratings("v05_rollen", [2, 2, 2, 2], prefix="b"),
    )
    participants = pd.DataFrame(
        {
            "participant": [f"a{i}" for i in range(4)] + [f"b{i}" for i in range(4)],
            "organisation": ["A"] * 4 + ["B"] * 4,
        }
    )
    split = split_by(scores, participants)
    assert split["gap"].iloc[0] == 2.0
    assert split["between_share"].iloc[0] < conditions.GROUP_SHARE
    assert not pseudo_consensus(scores, participants)["flagged"].item()


def test_split_by_counts_per_group_and_puts_missing_groups_in_onbekend() -> None:
    scores = frame(
        ratings("v04_vertrouwen", [5, 4, 2, 1, 3, NAN]),
    )
    participants = pd.DataFrame(
        {
            "participant": ["p0", "p1", "p2", "p3", "p4"],  # p5 is missing
            "organisation": ["A", "A", "B", "B", None],
        }
    )
    split = split_by(scores, participants, by="organisation")
    assert list(split.columns) == [
        "question",
        "by",
        "group",
        "n",
        "n_unknown",
        "mean",
        "gap",
        "between_share",
    ]
    assert list(split["group"]) == ["A", "B", "onbekend"]
    rows = split.set_index("group")
    assert rows.loc["A", "mean"] == 4.5 and rows.loc["B", "mean"] == 1.5
    assert rows.loc["onbekend", "n"] == 1 and rows.loc["onbekend", "n_unknown"] == 1
    assert (split["gap"] == 3.0).all()  # "onbekend" does not count in the gap
    # 5, 4 against 2, 1: most of the differences lie between A and B (omega squared 17/21)
    assert split["between_share"].iloc[0] == pytest.approx(17 / 21)
    with pytest.raises(ValueError, match="role"):
        split_by(scores, participants, by="role")


def test_weet_ik_niet_is_counted_apart_and_does_not_drag_the_mean(
    scores: pd.DataFrame,
) -> None:
    row = by_question(condition_summary(scores)).loc["v02_urgentie"]
    assert row["n"] == 6 and row["n_unknown"] == 2
    assert row["mean"] == pytest.approx(3.5) and row["median"] == 3.5
    assert sum(row[f"n_{s}"] for s in range(1, 6)) == 6
    only_unknown = condition_summary(frame(ratings("v10_macht", [NAN, NAN])))
    assert only_unknown["n"].item() == 0 and only_unknown["n_unknown"].item() == 2
    assert math.isnan(only_unknown["mean"].item())


def test_summary_is_ordered_weakest_to_strongest_by_mean(scores: pd.DataFrame) -> None:
    summary = condition_summary(scores)
    assert list(summary["question"]) == [
        "v07_betrokkenen",  # mean 2.0
        "v01_ambitie",  # 3.0
        "v02_urgentie",  # 3.5
        "v04_vertrouwen",  # 4.0, median 4
        "v06_verschillen",  # 4.0, median 5
    ]
    assert summary["mean"].is_monotonic_increasing
    # same mean and median: the condition with more disagreement counts as weaker
    tie = condition_summary(
        frame(ratings("v05_rollen", [3, 3, 3, 3]), ratings("v09_evaluatie", [1, 3, 3, 5]))
    )
    assert list(tie["question"]) == ["v09_evaluatie", "v05_rollen"]


def test_tips_go_with_the_weakest_conditions(scores: pd.DataFrame) -> None:
    assert set(TIPS) == set(conditions.CONDITIONS)
    assert all(tip["nl"] and tip["en"] for tip in TIPS.values())
    tips = tips_for_weakest(condition_summary(scores), k=2)
    assert list(tips["question"]) == ["v07_betrokkenen", "v01_ambitie"]
    assert tips["tip"].tolist() == [TIPS["v07_betrokkenen"]["nl"], TIPS["v01_ambitie"]["nl"]]
    english = tips_for_weakest(condition_summary(scores), k=1, language="en")
    assert english["tip"].item() == TIPS["v07_betrokkenen"]["en"]


def test_tips_are_not_copied_from_the_seed() -> None:
    seed_sentences = [
        "Geef ieders belang een volwaardige plek",
        "Maak expliciet wat ieders bijdrage is",
        "Maak onderling afspraken hoe om te gaan met ongelijkwaardigheid",
        "Maak expliciet wie wat vanuit welke rol inbrengt",
        "Zorg dat alle benodigde partners vertegenwoordigd zijn",
        "Tast met regelmaat af hoe de verhoudingen",
        "wat de samenwerking alle partners heeft opgeleverd en gekost",
    ]
    text = " ".join(tip["nl"] for tip in TIPS.values()).lower()
    assert not [s for s in seed_sentences if s.lower() in text]


def test_cost_benefit_positions() -> None:
    answers = pd.DataFrame(
        {
            "organisation": ["Winst", "Winst", "Verlies", "Gelijk", "Gelijk", None],
            "yields": [5, 4, 2, 3, 4, 3],
            "costs": [2, 3, 4, 3, 3.5, None],
        }
    )
    result = cost_benefit(answers).set_index("organisation")
    assert result.loc["Winst", "n"] == 2 and result.loc["Winst", "yields"] == 4.5
    assert result.loc["Winst", "position"] == "win-win"
    assert result.loc["Verlies", "position"] == "kost meer dan het oplevert"
    assert result.loc["Gelijk", "balance"] == pytest.approx(0.25)
    assert result.loc["Gelijk", "position"] == "in balans"
    assert result.loc["onbekend", "position"] == "onbekend"
    assert cost_benefit(answers)["organisation"].iloc[0] == "Verlies"  # worst off first


def test_compare_scans_change_sign() -> None:
    before = frame(
        ratings("v04_vertrouwen", [2, 2, 3]),
        ratings("v08_spelregels", [4, 4, 5]),
        ratings("v10_macht", [3, 3]),
    )
    after = frame(
        ratings("v04_vertrouwen", [4, 4, 3], session="S2"),
        ratings("v08_spelregels", [3, 3, 2], session="S2"),
        ratings("v10_macht", [3, 3], session="S2"),
        ratings("v07_betrokkenen", [4], session="S2"),
    )
    result = compare_scans(before, after).set_index("question")
    assert result.loc["v04_vertrouwen", "change"] == pytest.approx(4 / 3)
    assert result.loc["v04_vertrouwen", "direction"] == "hoger"
    assert result.loc["v08_spelregels", "change"] < 0
    assert result.loc["v08_spelregels", "direction"] == "lager"
    assert result.loc["v10_macht", "change"] == 0
    assert result.loc["v10_macht", "direction"] == "gelijk"
    assert math.isnan(result.loc["v07_betrokkenen", "change"])
    assert result.loc["v07_betrokkenen", "direction"] == "onbekend"


def test_charts_are_changeable_and_render_offline(scores: pd.DataFrame) -> None:
    participants = pd.DataFrame(
        {"participant": [f"p{i}" for i in range(8)], "role": ["trekker", "deelnemer"] * 4}
    )
    costs = pd.DataFrame({"organisation": ["A", "B"], "yields": [4, 2], "costs": [2, 4]})
    after = scores.assign(score=scores["score"].where(scores["score"] > 2, 3.0))
    built = [
        distribution_chart(scores, labels={"v04_vertrouwen": "Vertrouwen"}),
        split_chart(split_by(scores, participants, by="role")),
        change_chart(compare_scans(scores, after)),
        cost_benefit_chart(costs),
    ]
    for chart in built:
        assert isinstance(chart, alt.TopLevelMixin)
        changed = chart.properties(title="Eigen titel")
        assert changed.to_dict()["title"] == "Eigen titel"
        assert chart.to_dict().get("title") is None
        svg = charts.to_svg(changed)
        assert svg.startswith("<svg") and "Eigen titel" in svg
    assert all(isinstance(chart, alt.Chart) for chart in built[:3])
    assert isinstance(built[3], alt.LayerChart)  # points, names and the diagonal


def test_distribution_chart_shows_the_whole_distribution_weakest_first(
    scores: pd.DataFrame,
) -> None:
    spec = distribution_chart(scores).to_dict()
    data = next(iter(spec["datasets"].values()))
    split = [r for r in data if r["vraag"].startswith("1 Gedeelde ambitie")]
    assert {r["antwoord"]: r["aantal"] for r in split} == {"1": 4, "5": 4}
    assert min(r["begin"] for r in split) == -4 and max(r["eind"] for r in split) == 4
    assert spec["encoding"]["y"]["sort"][0].startswith("7 Iedereen aan tafel")
    assert any("2× weet ik niet" in r["vraag"] for r in data)


def test_typed_names_are_escaped_in_the_svg() -> None:
    evil = "<script>x</script>"
    costs = pd.DataFrame({"organisation": [evil, "B"], "yields": [2, 4], "costs": [4, 2]})
    svg = charts.to_svg(cost_benefit_chart(costs))
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;" in svg
    scores = frame(ratings("v04_vertrouwen", [5, 5, 2, 2]))
    participants = pd.DataFrame({"participant": ["p0", "p1", "p2", "p3"], "role": [evil] * 4})
    svg = charts.to_svg(split_chart(split_by(scores, participants, by="role")))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    svg = charts.to_svg(distribution_chart(scores, labels={"v04_vertrouwen": evil}))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_inputs_are_not_changed(scores: pd.DataFrame) -> None:
    participants = pd.DataFrame(
        {"participant": [f"p{i}" for i in range(8)], "organisation": ["A"] * 4 + [None] * 4}
    )
    costs = pd.DataFrame({"organisation": ["A", None], "yields": [4, 2], "costs": [2, None]})
    kept = (scores.copy(), participants.copy(), costs.copy())
    summary = condition_summary(scores)
    summary_kept = summary.copy()
    split = split_by(scores, participants, by="organisation")
    pseudo_consensus(scores, participants)
    tips_for_weakest(summary)
    cost_benefit(costs)
    compare_scans(scores, scores)
    distribution_chart(scores)
    split_chart(split)
    cost_benefit_chart(costs)
    change_chart(compare_scans(scores, scores))
    for now, before in zip((scores, participants, costs), kept, strict=True):
        pd.testing.assert_frame_equal(now, before)
    pd.testing.assert_frame_equal(summary, summary_kept)


def test_empty_input_gives_empty_results() -> None:
    empty = pd.DataFrame(columns=["session", "participant", "question", "score", "unknown"])
    no_columns = pd.DataFrame()
    participants = pd.DataFrame(columns=["participant", "organisation"])
    for scores in (empty, no_columns):
        summary = condition_summary(scores)
        assert summary.empty and "disagreement" in summary.columns
        assert pseudo_consensus(scores, participants).empty
        assert split_by(scores, participants, by="organisation").empty
        assert tips_for_weakest(summary).empty
        assert compare_scans(scores, scores).empty
    assert cost_benefit(pd.DataFrame(columns=["organisation", "yields", "costs"])).empty
    for chart in (
        distribution_chart(empty),
        split_chart(split_by(empty, participants)),
        change_chart(compare_scans(empty, empty)),
        cost_benefit_chart(pd.DataFrame()),
    ):
        assert charts.to_svg(chart).startswith("<svg")
