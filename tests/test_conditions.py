"""Statistics of rated questions: spread, pseudo-consensus, splits, tips, cost/benefit, change.

The charts of these results are tested in ``test_charts.py``.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from netwerk_widgets import conditions
from netwerk_widgets.conditions import (
    compare_scans,
    condition_summary,
    cost_benefit,
    dissent,
    pseudo_consensus,
    split_by,
    tips_for_weakest,
)
from netwerk_widgets.scales import Thresholds, resolve_scale

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


# --- the summary on the 1-5 scale ----------------------------------------------------------


def test_everyone_the_same_means_no_disagreement_and_no_flag(scores: pd.DataFrame) -> None:
    row = by_question(condition_summary(scores)).loc["v04_vertrouwen"]
    assert row["n"] == 8 and row["n_unknown"] == 0
    assert row["mean"] == 4 and row["median"] == 4
    assert row["disagreement"] == 0
    assert [row[f"n_{s}"] for s in range(1, 6)] == [0, 0, 0, 8, 0]
    assert (row["scale_min"], row["scale_max"]) == (1, 5)
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


def test_reasons_come_in_the_language_asked_for(scores: pd.DataFrame) -> None:
    flags = by_question(pseudo_consensus(scores, language="en"))
    reason = flags.loc["v06_verschillen", "reason"]
    assert reason.startswith("High on average (4.0), but the answers differ widely (1 to 5")


def test_flag_thresholds_sit_where_their_docstrings_say() -> None:
    # Just above and just below the thresholds with the same wide spread.
    lifted = frame(ratings("v03_meerwaarde", [1, 5, 5, 5, 5, 5, 5, 5, 5, 5]))  # mean 4.6
    assert pseudo_consensus(lifted)["flagged"].item()
    mild = frame(ratings("v03_meerwaarde", [2, 5, 5, 5, 5, 5, 5, 5, 5, 5]))  # dissent 0.26
    assert not pseudo_consensus(mild)["flagged"].item()
    assert Thresholds().in_points((1, 5)) == {
        "high_mean": 3.5,
        "group_gap": 1.5,
        "balance_margin": 0.5,
    }
    # the dissent examples of Thresholds.wide_disagreement
    assert dissent([4, 5], (1, 5)) == pytest.approx(0.193, abs=1e-3)
    assert dissent([3, 4, 5], (1, 5)) == pytest.approx(0.28, abs=0.01)
    assert dissent([3, 5], (1, 5)) == pytest.approx(0.415, abs=1e-3)
    assert dissent([1] + [5] * 9, (1, 5)) == pytest.approx(0.47, abs=0.01)


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
    english = pseudo_consensus(scores, participants, language="en")["reason"].item()
    assert "By organisation" in english and "Bibliotheek Oost on average 5.0" in english
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
    assert split["between_share"].iloc[0] < Thresholds().group_share
    assert not pseudo_consensus(scores, participants)["flagged"].item()


def test_split_by_counts_per_group_and_puts_missing_groups_in_unknown() -> None:
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
        "scale_min",
        "scale_max",
    ]
    assert list(split["group"]) == ["A", "B", conditions.UNKNOWN_GROUP] == ["A", "B", "unknown"]
    rows = split.set_index("group")
    assert rows.loc["A", "mean"] == 4.5 and rows.loc["B", "mean"] == 1.5
    assert rows.loc["unknown", "n"] == 1 and rows.loc["unknown", "n_unknown"] == 1
    assert (split["gap"] == 3.0).all()  # "unknown" does not count in the gap
    # 5, 4 against 2, 1: most of the differences lie between A and B (omega squared 17/21)
    assert split["between_share"].iloc[0] == pytest.approx(17 / 21)
    with pytest.raises(ValueError, match="role"):
        split_by(scores, participants, by="role")
    # a group of two counts by default; a minimum of three leaves no groups to compare
    strict = split_by(scores, participants, thresholds=Thresholds(min_group_ratings=3))
    assert strict["gap"].isna().all()


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
    # same mean and median: the question with more disagreement counts as weaker
    tie = condition_summary(
        frame(ratings("v05_rollen", [3, 3, 3, 3]), ratings("v09_evaluatie", [1, 3, 3, 5]))
    )
    assert list(tie["question"]) == ["v09_evaluatie", "v05_rollen"]


# --- any integer scale ---------------------------------------------------------------------


def test_four_sevens_on_a_1_7_scale_are_four_sevens() -> None:
    scores = frame(ratings("q", [7, 7, 7, 7, 1, 2]))
    declared = scores.assign(scale_min=1, scale_max=7)
    for summary in (
        condition_summary(scores),  # found from the answers
        condition_summary(scores, scale=(1, 7)),  # given
        condition_summary(declared),  # declared by the template
    ):
        row = summary.iloc[0]
        assert row["n_7"] == 4 and row["n"] == 6 and row["high"] == 7
        assert [c for c in summary.columns if c.startswith("n_") and c != "n_unknown"] == [
            f"n_{s}" for s in range(1, 8)
        ]
        assert (row["scale_min"], row["scale_max"]) == (1, 7)
        assert row["mean"] == pytest.approx(31 / 6)
        assert row["disagreement"] == pytest.approx(dissent([7, 7, 7, 7, 1, 2], (1, 7)))


def test_a_0_10_question_keeps_0_and_10() -> None:
    scores = frame(ratings("nps", [0, 10, 10, 5, 9]))
    row = condition_summary(scores).iloc[0]
    assert (row["scale_min"], row["scale_max"]) == (0, 10)
    assert row["n_0"] == 1 and row["n_10"] == 2 and row["n_5"] == 1 and row["n"] == 5
    assert resolve_scale(scores) == (0, 10)
    # a declared scale is kept even where nobody used its ends
    calm = frame(ratings("nps", [6, 7, 7])).assign(scale_min=0, scale_max=10)
    row = condition_summary(calm).iloc[0]
    assert row["n_0"] == 0 and row["n_10"] == 0 and row["n_7"] == 2
    assert row["disagreement"] == pytest.approx(dissent([6, 7, 7], (0, 10)))
    assert dissent([6, 7, 7], (0, 10)) < dissent([6, 7, 7], (1, 7))


def test_pseudo_consensus_flags_a_high_but_split_question_on_1_7() -> None:
    scores = frame(
        ratings("gesplitst", [7, 7, 7, 7, 7, 7, 1, 1]),  # mean 5.5, dissent 0.81
        ratings("eens", [6, 6, 6, 7, 6, 6, 6, 7]),
    )
    flags = by_question(pseudo_consensus(scores, scale=(1, 7)))
    assert flags.loc["gesplitst", "flagged"] and flags.loc["gesplitst", "wide_spread"]
    assert "(1 tot 7" in flags.loc["gesplitst", "reason"]
    assert not flags.loc["eens", "flagged"]
    # the same without the scale given: the 7s make it 1-7
    assert by_question(pseudo_consensus(scores)).loc["gesplitst", "flagged"]


def test_thresholds_are_relative_to_the_scale() -> None:
    # Mean 4.2 is "high" on 1-5 (from 3.5) but not on 1-7 (from 4.75).
    scores = frame(ratings("q", [1, 5, 5, 5, 5]))
    assert pseudo_consensus(scores, scale=(1, 5))["flagged"].item()
    assert not pseudo_consensus(scores, scale=(1, 7))["flagged"].item()
    # A gap of 2 points between groups is "far apart" on 1-5 (from 1.5), not on 0-10 (3.75).
    two = frame(
        ratings("q", [5, 5, 5, 5], prefix="a"),
        ratings("q", [3, 3, 3, 3], prefix="b"),
    )
    participants = pd.DataFrame(
        {
            "participant": [f"{g}{i}" for g in "ab" for i in range(4)],
            "organisation": list("AAAABBBB"),
        }
    )
    assert pseudo_consensus(two, participants, scale=(1, 5))["groups_apart"].item()
    assert not pseudo_consensus(two, participants, scale=(0, 10))["groups_apart"].item()
    # thresholds a template declares in points
    lenient = Thresholds.from_points((0, 10), group_gap=2)
    assert pseudo_consensus(two, participants, scale=(0, 10), thresholds=lenient)[
        "groups_apart"
    ].item()


def test_thresholds_from_points_on_1_5_are_the_defaults() -> None:
    assert Thresholds.from_points((1, 5), high_mean=3.5, group_gap=1.5, balance_margin=0.5) == (
        Thresholds()
    )
    assert Thresholds.from_points((1, 5)) == Thresholds()
    seven = Thresholds.from_points((1, 7), high_mean=5.5, min_ratings=5)
    assert seven.high_mean == pytest.approx(0.75) and seven.min_ratings == 5
    assert seven.in_points((1, 7))["high_mean"] == pytest.approx(5.5)
    with pytest.raises(ValueError, match="high_mean"):
        Thresholds.from_points((1, 5), high_mean=6)  # beyond the top of the scale
    with pytest.raises(ValueError, match="min_ratings"):
        Thresholds(min_ratings=0)
    with pytest.raises(TypeError):
        Thresholds.from_points((1, 5), hoog=3)
    with pytest.raises(AttributeError):
        Thresholds().high_mean = 0.5  # type: ignore[misc]  # frozen


def test_a_value_outside_an_explicit_scale_raises() -> None:
    scores = frame(ratings("q", [1, 5, 7]))
    with pytest.raises(ValueError, match=r"buiten de schaal 1-5: 7"):
        condition_summary(scores, scale=(1, 5))
    with pytest.raises(ValueError, match="buiten de schaal"):
        pseudo_consensus(scores, scale=(1, 5))
    with pytest.raises(ValueError, match="buiten de schaal"):
        dissent([0, 3], (1, 5))
    costs = pd.DataFrame({"organisation": ["A"], "yields": [6], "costs": [2]})
    with pytest.raises(ValueError, match="buiten de schaal"):
        cost_benefit(costs, scale=(1, 5))
    for bad in ((5, 1), (1.5, 5), "1-5", (1, 5, 7)):
        with pytest.raises(ValueError, match="schaal"):
            condition_summary(scores, scale=bad)  # type: ignore[arg-type]


def test_resolve_scale_prefers_given_then_declared_then_observed() -> None:
    scores = frame(ratings("q", [2, 3, 4]))
    assert resolve_scale(scores) == (1, 5)  # the default holds everything
    assert resolve_scale(scores, (0, 4)) == (0, 4)
    assert resolve_scale(scores.assign(scale_min=1, scale_max=7)) == (1, 7)
    # a declared scale is widened rather than dropping an answer
    assert resolve_scale(frame(ratings("q", [9])).assign(scale_min=1, scale_max=7)) == (1, 9)
    assert resolve_scale(None) == resolve_scale(pd.DataFrame()) == (1, 5)
    assert dissent([1, 5]) == pytest.approx(1.0) and dissent([1, 9]) == pytest.approx(1.0)
    assert dissent([1, 5], (1, 9)) == pytest.approx(-math.log2(0.75))


def test_questions_on_different_scales_keep_their_own() -> None:
    scores = pd.concat(
        [
            frame(ratings("vijf", [1, 5, 5, 5, 5])).assign(scale_min=1, scale_max=5),
            frame(ratings("tien", [0, 10, 10, 10])).assign(scale_min=0, scale_max=10),
        ]
    )
    summary = by_question(condition_summary(scores))
    assert summary.loc["vijf", ["scale_min", "scale_max"]].tolist() == [1, 5]
    assert summary.loc["tien", ["scale_min", "scale_max"]].tolist() == [0, 10]
    assert summary.loc["vijf", "n_0"] == 0 and summary.loc["tien", "n_10"] == 3
    assert summary.loc["vijf", "disagreement"] == pytest.approx(dissent([1, 5, 5, 5, 5], (1, 5)))
    flags = by_question(pseudo_consensus(scores))
    assert flags.loc["vijf", "flagged"]  # mean 4.2 is high on 1-5


# --- tips, cost and benefit, change ----------------------------------------------------------


def test_tips_go_with_the_weakest_questions(scores: pd.DataFrame) -> None:
    tips = {"v07_betrokkenen": "Haal wie ontbreekt erbij.", "v01_ambitie": "Schrijf het op."}
    chosen = tips_for_weakest(condition_summary(scores), tips, k=2)
    assert list(chosen["question"]) == ["v07_betrokkenen", "v01_ambitie"]
    assert chosen["tip"].tolist() == ["Haal wie ontbreekt erbij.", "Schrijf het op."]
    three = tips_for_weakest(condition_summary(scores), tips)
    assert three["tip"].tolist()[2] == ""  # v02_urgentie has no tip
    assert tips_for_weakest(condition_summary(scores), tips, k=0).empty


def test_python_holds_no_content_any_more() -> None:
    for name in ("TIPS", "SHORT_LABELS", "CONDITIONS", "SCALE_MIN", "SCALE_MAX", "HIGH_MEAN"):
        assert not hasattr(conditions, name), name


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
    assert result.loc["Winst", "position"] == "win"
    assert result.loc["Verlies", "position"] == "loss"
    assert result.loc["Gelijk", "balance"] == pytest.approx(0.25)
    assert result.loc["Gelijk", "position"] == "balance"
    assert result.loc["unknown", "position"] == "unknown"
    assert set(result["position"]) <= set(conditions.POSITIONS)
    assert cost_benefit(answers)["organisation"].iloc[0] == "Verlies"  # worst off first
    # on 0-10 the margin is 1.25 points: one step is balanced, two are clear
    ten = pd.DataFrame({"organisation": ["A", "B"], "yields": [6, 7], "costs": [5, 5]})
    positions = cost_benefit(ten, scale=(0, 10)).set_index("organisation")["position"]
    assert positions.to_dict() == {"A": "balance", "B": "win"}
    strict = cost_benefit(answers, thresholds=Thresholds.from_points((1, 5), balance_margin=3))
    assert set(strict["position"]) == {"balance", "unknown"}


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
    assert result.loc["v04_vertrouwen", "direction"] == "up"
    assert result.loc["v08_spelregels", "change"] < 0
    assert result.loc["v08_spelregels", "direction"] == "down"
    assert result.loc["v10_macht", "change"] == 0
    assert result.loc["v10_macht", "direction"] == "same"
    assert math.isnan(result.loc["v07_betrokkenen", "change"])
    assert result.loc["v07_betrokkenen", "direction"] == "unknown"
    assert (result["scale_min"] == 1).all() and (result["scale_max"] == 5).all()


def test_compare_scans_on_one_scale_only() -> None:
    before = frame(ratings("q", [4, 5])).assign(scale_min=1, scale_max=5)
    after = frame(ratings("q", [6, 7], session="S2")).assign(scale_min=1, scale_max=7)
    with pytest.raises(ValueError, match="andere schaal"):
        compare_scans(before, after)
    # without declared scales both scans share the scale their answers need
    joint = compare_scans(before.drop(columns=["scale_min", "scale_max"]), after)
    assert joint[["scale_min", "scale_max"]].iloc[0].tolist() == [1, 7]
    assert joint["disagreement_before"].item() == pytest.approx(dissent([4, 5], (1, 7)))


def test_inputs_are_not_changed(scores: pd.DataFrame) -> None:
    participants = pd.DataFrame(
        {"participant": [f"p{i}" for i in range(8)], "organisation": ["A"] * 4 + [None] * 4}
    )
    costs = pd.DataFrame({"organisation": ["A", None], "yields": [4, 2], "costs": [2, None]})
    kept = (scores.copy(), participants.copy(), costs.copy())
    summary = condition_summary(scores)
    summary_kept = summary.copy()
    split_by(scores, participants, by="organisation")
    pseudo_consensus(scores, participants)
    tips_for_weakest(summary, {})
    cost_benefit(costs)
    compare_scans(scores, scores)
    for now, before in zip((scores, participants, costs), kept, strict=True):
        pd.testing.assert_frame_equal(now, before)
    pd.testing.assert_frame_equal(summary, summary_kept)


def test_empty_input_gives_empty_results() -> None:
    empty = pd.DataFrame(columns=["session", "participant", "question", "score", "unknown"])
    no_columns = pd.DataFrame()
    participants = pd.DataFrame(columns=["participant", "organisation"])
    for scores in (empty, no_columns):
        summary = condition_summary(scores)
        assert summary.empty and "disagreement" in summary.columns and "n_5" in summary.columns
        assert "n_10" in condition_summary(scores, scale=(0, 10)).columns
        assert pseudo_consensus(scores, participants).empty
        assert split_by(scores, participants, by="organisation").empty
        assert tips_for_weakest(summary, {}).empty
        assert compare_scans(scores, scores).empty
    assert cost_benefit(pd.DataFrame(columns=["organisation", "yields", "costs"])).empty
