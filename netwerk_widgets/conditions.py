"""Statistics of rated questions: spread, pseudo-consensus, splits, tips, change, cost/benefit.

A group average hides the disagreement that matters. A network where half the partners give
trust the lowest score and the other half the highest has the same average as a network where
everyone gives the middle score, and the two need a very different conversation. This module
therefore reports, per rated question (such as the ten conditions for working together), the
whole distribution and a measure of disagreement next to the mean, flags "schijnconsensus"
(pseudo-consensus: people play down their differences to avoid a confrontation), splits the
answers by role or organisation, attaches tips to the weakest questions, compares two scans
over time, and positions every partner on what the collaboration yields and costs it.

Input is the scores frame of :func:`~netwerk_widgets.analysis.scale_answers`: columns
``session, participant, question, score, unknown, comment`` where ``score`` is a float on the
question's scale and ``NaN`` for "weet ik niet" (``unknown`` is then ``True``). Any integer
scale works (1-5, 1-7, 0-10, …); every function takes ``scale=(lowest, highest)`` and
otherwise finds it with :func:`resolve_scale`. Thresholds are relative to the scale (see
:class:`Thresholds`), so one rule means the same on every scale.

Every function returns a new DataFrame; the input is never changed. Data columns hold stable
codes an analyst can filter on (``position`` is ``"win"``, ``"balance"``, ``"loss"`` or
``"unknown"``; ``direction`` is ``"up"``, ``"down"``, ``"same"`` or ``"unknown"``); sentences
come from the message catalogue (:mod:`netwerk_widgets.messages`) in the ``language`` asked
for. The charts of these results live in :mod:`netwerk_widgets.charts`.

Texts typed by participants (organisation or role names) end up in the DataFrames as they
are; escaping them is the job of whatever shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from .messages import FALLBACK, catalogue, messages
from .scales import (
    DEFAULT_SCALE,
    EPSILON,
    SCALE_COLUMNS,
    Thresholds,
    as_numbers,
    check_scale,
    declares_scale,
    plain_point,
    question_scales,
    resolve_scale,
    stats_error,
    union_of_scales,
)

UNKNOWN_GROUP = "unknown"
"""The group code of a participant whose role or organisation is missing."""

POSITIONS = ("win", "balance", "loss", "unknown")
"""Codes of :func:`cost_benefit`'s ``position``, best first."""

DIRECTIONS = ("up", "down", "same", "unknown")
"""Codes of :func:`compare_scans`'s ``direction``."""

# --- Column sets of the results -----------------------------------------------------------

FLAG_COLUMNS = (
    "question",
    "mean",
    "disagreement",
    "low",
    "high",
    "wide_spread",
    "groups_apart",
    "flagged",
    "reason",
)
SPLIT_COLUMNS = (
    "question",
    "by",
    "group",
    "n",
    "n_unknown",
    "mean",
    "gap",
    "between_share",
    *SCALE_COLUMNS,
)
COST_BENEFIT_COLUMNS = (
    "organisation",
    "n",
    "yields",
    "costs",
    "balance",
    "position",
    *SCALE_COLUMNS,
)
COMPARE_COLUMNS = (
    "question",
    "n_before",
    "mean_before",
    "disagreement_before",
    "n_after",
    "mean_after",
    "disagreement_after",
    "change",
    "direction",
    *SCALE_COLUMNS,
)


def _summary_columns(scale: tuple[int, int]) -> tuple[str, ...]:
    low, high = scale
    counts = tuple(f"n_{s}" for s in range(low, high + 1))
    return (
        "question",
        "n",
        "n_unknown",
        "mean",
        "median",
        "low",
        "high",
        *counts,
        "disagreement",
        *SCALE_COLUMNS,
    )


# --- Helpers ------------------------------------------------------------------------------


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def _scores(scores: pd.DataFrame | None) -> pd.DataFrame:
    """A clean copy: ``question`` (str), ``score`` (float), ``unknown`` (bool) and the rest."""
    if scores is None or scores.empty:
        return pd.DataFrame(
            {
                "participant": pd.Series(dtype="object"),
                "question": pd.Series(dtype="object"),
                "score": pd.Series(dtype="float64"),
                "unknown": pd.Series(dtype="bool"),
            }
        )
    missing = {"question", "score"} - set(scores.columns)
    if missing:
        raise ValueError(stats_error("missing_columns", what="scores", columns=sorted(missing)))
    data = scores.copy()
    data["question"] = data["question"].astype(str)
    data["score"] = pd.to_numeric(data["score"], errors="coerce").astype("float64")
    if "unknown" in data.columns:
        data["unknown"] = data["unknown"].astype("boolean").fillna(False).astype(bool)
    else:
        data["unknown"] = False
    return data


def dissent(values: Iterable[float], scale: tuple[int, int] | None = None) -> float:
    """Tastle & Wierman's dissent of ratings: 0 (all equal) to 1 (split between the ends).

    ``Dnt = -sum(p_i * log2(1 - |X_i - mean| / (max - min)))`` over the scale points ``X_i``
    with their share ``p_i``, where ``max - min`` is the width of ``scale`` (found by
    :func:`resolve_scale` when not given); consensus is ``1 - Dnt``. ``NaN`` for no ratings.

    Tastle, W. J. & Wierman, M. J. (2007), "Consensus and dissention: a measure of ordinal
    dispersion", *International Journal of Approximate Reasoning* 45(3), 531-545.
    """
    array = as_numbers(values if isinstance(values, pd.Series) else pd.Series(list(values)))
    array = array[~np.isnan(array)]
    low, high = resolve_scale(pd.DataFrame({"score": array}), scale)
    if array.size == 0:
        return float("nan")
    points, counts = np.unique(array, return_counts=True)
    shares = counts / counts.sum()
    distance = np.abs(points - array.mean()) / (high - low)
    value = -float(np.sum(shares * np.log2(1.0 - distance)))
    return min(1.0, max(0.0, value))


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Weakest first: mean, then median, then most disagreement, then question id."""
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(
        ["mean", "median", "disagreement", "question"],
        ascending=[True, True, False, True],
        na_position="last",
        kind="mergesort",
    ).reset_index(drop=True)


def between_share(groups: Iterable[Iterable[float]]) -> float:
    """Omega squared: the chance-corrected share of the variance that lies between groups.

    ``(SSB - (k-1)·MSW) / (SST + MSW)``, clipped to 0..1; ``NaN`` for fewer than two groups
    or no degrees of freedom within the groups; 0 when all ratings are equal.
    """
    arrays = [np.asarray(list(g), dtype="float64") for g in groups]
    arrays = [a[~np.isnan(a)] for a in arrays]
    arrays = [a for a in arrays if a.size]
    total = np.concatenate(arrays) if arrays else np.array([])
    k, n = len(arrays), total.size
    if k < 2 or n <= k:
        return float("nan")
    grand = total.mean()
    ssb = sum(a.size * (a.mean() - grand) ** 2 for a in arrays)
    ssw = sum(float(((a - a.mean()) ** 2).sum()) for a in arrays)
    sst = ssb + ssw
    if sst == 0:
        return 0.0
    msw = ssw / (n - k)
    return min(1.0, max(0.0, (ssb - (k - 1) * msw) / (sst + msw)))


def _clean_group(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return UNKNOWN_GROUP
    text = str(value).strip()
    return text or UNKNOWN_GROUP


# --- 1. Summary ---------------------------------------------------------------------------


def condition_summary(
    scores: pd.DataFrame, *, scale: tuple[int, int] | None = None
) -> pd.DataFrame:
    """Per question the whole picture, ordered from weakest to strongest.

    Parameters
    ----------
    scores : DataFrame
        ``question``, ``score`` and optionally ``unknown``, ``scale_min``, ``scale_max``.
    scale : tuple of int, optional
        ``(lowest, highest)``; see :func:`resolve_scale` for what happens without it. A score
        outside a given scale raises ``ValueError``.

    Returns
    -------
    DataFrame
        ``question``; ``n`` (ratings, "weet ik niet" not included); ``n_unknown`` ("weet ik
        niet"); ``mean`` and ``median`` of the ratings (so "weet ik niet" does not drag them
        down); ``low`` and ``high`` (lowest and highest rating); ``n_<s>`` for every point
        ``s`` of the scale (``n_1`` … ``n_7`` on 1-7, ``n_0`` … ``n_10`` on 0-10: how many
        people gave each score; questions on different scales get the columns of all);
        ``disagreement``; ``scale_min`` and ``scale_max`` (the question's scale).

    Notes
    -----
    **Disagreement** is Tastle & Wierman's *dissent* (2007), see :func:`dissent`: 0 when
    everyone gives the same score, 1 when the group is split in two halves at the lowest and
    the highest point. It suits Likert answers of small groups (5-30 people) because it

    * treats the scale as ordinal with distances: a 1 against a 5 weighs more than a 4
      against a 5, unlike a count of "how many differ from the mode";
    * is normalised by the width of the scale, so 0..1 means the same for every question,
      every scale and every network, and a threshold can be set once
      (:attr:`Thresholds.wide_disagreement`);
    * describes the shares of the answers and does not estimate a population, so it does
      not change with group size: eight people split 4-4 over 1 and 5 score the same as
      twenty split 10-10 (a sample standard deviation would call two people at 1 and 5 more
      divided, 2.8, than the largest possible spread of a big group, 2).

    **Order**: by ``mean``, lowest first, ties broken by ``median``, then by most
    disagreement. The mean, not the median, leads because with 5-30 people the median only
    takes whole and half points and ties most questions, while the mean still separates
    them. Questions nobody rated (only "weet ik niet") come last.
    """
    data = _scores(scores)
    if data.empty:
        return _empty(_summary_columns(check_scale(scale) if scale else DEFAULT_SCALE))
    scales = question_scales(data, scale)
    low, high = union_of_scales(scales.values(), DEFAULT_SCALE)
    columns = _summary_columns((low, high))
    rows = []
    # Only the columns it reads: slicing every column of an answers table per group costs
    # most of the time on a real session.
    for question, part in data[["question", "score", "unknown"]].groupby("question", sort=True):
        rated = part["score"].dropna()
        counts = rated.round().astype(int).value_counts()
        rows.append(
            {
                "question": question,
                "n": len(rated),
                "n_unknown": int(part["unknown"].sum()),
                "mean": float(rated.mean()) if len(rated) else np.nan,
                "median": float(rated.median()) if len(rated) else np.nan,
                "low": float(rated.min()) if len(rated) else np.nan,
                "high": float(rated.max()) if len(rated) else np.nan,
                **{f"n_{s}": int(counts.get(s, 0)) for s in range(low, high + 1)},
                "disagreement": dissent(rated, scales[question]),
                "scale_min": scales[question][0],
                "scale_max": scales[question][1],
            }
        )
    return _ordered(pd.DataFrame(rows, columns=list(columns)))


# --- 2. Split by role or organisation ------------------------------------------------------


def _with_group(scores: pd.DataFrame, participants: pd.DataFrame, by: str) -> pd.DataFrame:
    """``scores`` with a column ``group``: the participant's ``by`` value or "unknown"."""
    if participants is None or "participant" not in participants.columns:
        raise ValueError(
            stats_error("missing_columns", what="participants", columns=["participant"])
        )
    if by not in participants.columns:
        raise ValueError(stats_error("missing_columns", what="participants", columns=[by]))
    keys = ["participant"]
    if "session" in participants.columns and "session" in scores.columns:
        keys = ["session", "participant"]
    lookup = participants[[*keys, by]].copy()
    for key in keys:
        lookup[key] = lookup[key].astype(str)
    lookup = lookup.drop_duplicates(keys, keep="last").rename(columns={by: "group"})
    left = scores.reset_index(drop=True)
    left_keys = left[keys].astype(str)
    merged = left_keys.merge(lookup, on=keys, how="left")
    return left.assign(group=merged["group"].map(_clean_group).to_numpy())


def split_by(
    scores: pd.DataFrame,
    participants: pd.DataFrame,
    by: str = "organisation",
    *,
    scale: tuple[int, int] | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """Per question and group (role or organisation): how many rated it and their mean.

    Parameters
    ----------
    scores : DataFrame
        As for :func:`condition_summary`, with a column ``participant``.
    participants : DataFrame
        A column ``participant`` (and optionally ``session``, then both are matched) and the
        group column named ``by``. Participants without a value, or missing from
        ``participants``, are put in the group :data:`UNKNOWN_GROUP` (``"unknown"``).
    by : str
        ``"role"``, ``"organisation"`` or any other column of ``participants``.
    scale : tuple of int, optional
        See :func:`resolve_scale`.
    thresholds : Thresholds, optional
        Only ``min_group_ratings`` is used here.

    Returns
    -------
    DataFrame
        ``question, by, group, n, n_unknown, mean, gap, between_share, scale_min,
        scale_max``. ``gap`` is, per question, the highest minus the lowest group mean (in
        points), counting only real groups (not "unknown") with at least
        :attr:`Thresholds.min_group_ratings` ratings; ``between_share`` is the part of the
        differences that lies between those groups (:func:`between_share`, see
        :attr:`Thresholds.group_share`). Both are ``NaN`` when fewer than two groups count.
        Questions come weakest first (as in :func:`condition_summary`), groups by name with
        "unknown" last.
    """
    thresholds = thresholds or Thresholds()
    data = _scores(scores)
    if data.empty:
        return _empty(SPLIT_COLUMNS)
    if "participant" not in data.columns:
        raise ValueError(stats_error("missing_columns", what="scores", columns=["participant"]))
    scales = question_scales(data, scale)
    data = _with_group(data, participants, by)
    data = data[["question", "group", "score", "unknown"]]
    split = (
        data.groupby(["question", "group"], sort=True)
        .agg(n=("score", "count"), n_unknown=("unknown", "sum"), mean=("score", "mean"))
        .reset_index()
        .astype({"n": int, "n_unknown": int, "mean": "float64"})
    )
    split.insert(1, "by", by)
    counts = (split["group"] != UNKNOWN_GROUP) & (split["n"] >= thresholds.min_group_ratings)
    eligible = split.loc[counts & split["mean"].notna()]
    spread = eligible.groupby("question")["mean"].agg(["max", "min", "size"])
    gap = (spread["max"] - spread["min"]).where(spread["size"] >= 2)
    split["gap"] = split["question"].map(gap).astype("float64")
    counted = data.loc[data["score"].notna()].merge(
        eligible[["question", "group"]], on=["question", "group"]
    )
    share = {
        question: between_share(g["score"] for _, g in part.groupby("group"))
        for question, part in counted.groupby("question")
    }
    split["between_share"] = split["question"].map(share).astype("float64")
    split["scale_min"] = split["question"].map(lambda q: scales[q][0])
    split["scale_max"] = split["question"].map(lambda q: scales[q][1])
    order = {q: i for i, q in enumerate(condition_summary(data, scale=scale)["question"])}
    split = split.assign(
        _q=split["question"].map(order),
        _unknown=split["group"] == UNKNOWN_GROUP,
    ).sort_values(["_q", "_unknown", "group"], kind="mergesort")
    return split.drop(columns=["_q", "_unknown"]).reset_index(drop=True)[list(SPLIT_COLUMNS)]


# --- 3. Pseudo-consensus --------------------------------------------------------------------


def _group_name(column: str, language: str) -> str:
    """How the catalogue names a grouping column ("rol"), else the column itself."""
    key = f"stats.group.{column}"
    return messages(language)(key) if key in catalogue(FALLBACK) else column


def pseudo_consensus(
    scores: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    by: str | Iterable[str] = ("role", "organisation"),
    *,
    scale: tuple[int, int] | None = None,
    thresholds: Thresholds | None = None,
    language: str = "nl",
) -> pd.DataFrame:
    """Flag "schijnconsensus": a question that looks agreed on while it is not.

    A question is flagged when

    a. **high but wide**: at least :attr:`~Thresholds.min_ratings` ratings, the mean at or
       above :attr:`~Thresholds.high_mean` of the scale and the disagreement at least
       :attr:`~Thresholds.wide_disagreement`: the average says "fine" while part of the
       group says otherwise; or
    b. **groups far apart**: split by a column in ``by`` (those ``participants`` has), the
       highest and lowest group mean differ by at least :attr:`~Thresholds.group_gap` of the
       scale's width and at least :attr:`~Thresholds.group_share` of the differences lies
       between the groups (see :func:`split_by` for which groups count). This rule holds
       whatever the overall mean: a mean of 3.5 made of one organisation at 5 and another at
       2 describes neither.

    Parameters
    ----------
    scores, participants, by
        As for :func:`split_by`; without ``participants`` only rule a applies.
    scale : tuple of int, optional
        See :func:`resolve_scale`; the thresholds are applied to each question's scale.
    thresholds : Thresholds, optional
        Defaults to ``Thresholds()``.
    language : str
        Language of ``reason`` (``"nl"`` or ``"en"``).

    Returns
    -------
    DataFrame
        ``question, mean, disagreement, low, high, wide_spread, groups_apart, flagged,
        reason``; every question is listed, weakest first; ``reason`` explains a flag from
        the catalogue ("" when not flagged), e.g. "Gemiddeld hoog (3,9), maar de antwoorden
        lopen sterk uiteen (1 tot 5; onenigheid 0,47)".
    """
    thresholds = thresholds or Thresholds()
    say = messages(language)
    summary = condition_summary(scores, scale=scale)
    if summary.empty:
        return _empty(FLAG_COLUMNS)
    result = summary[["question", "mean", "disagreement", "low", "high"]].copy()
    width = summary["scale_max"] - summary["scale_min"]
    high_mean = summary["scale_min"] + thresholds.high_mean * width
    wide = (
        (summary["n"] >= thresholds.min_ratings)
        & (summary["mean"] >= high_mean - EPSILON)
        & (summary["disagreement"] >= thresholds.wide_disagreement - EPSILON)
    ).fillna(False)
    reasons: dict[str, list[str]] = {q: [] for q in result["question"]}
    for row in summary.loc[wide].itertuples(index=False):
        reasons[row.question].append(
            say(
                "stats.reason.high_but_wide",
                mean=say.number(row.mean),
                low=plain_point(row.low),
                high=plain_point(row.high),
                disagreement=say.number(row.disagreement, 2),
            )
        )
    apart: set[str] = set()
    columns = [by] if isinstance(by, str) else list(by)
    if participants is not None and not participants.empty:
        for column in columns:
            if column not in participants.columns:
                continue
            split = split_by(scores, participants, by=column, scale=scale, thresholds=thresholds)
            gap = thresholds.group_gap * (split["scale_max"] - split["scale_min"])
            far = split.loc[
                (split["gap"] >= gap - EPSILON)
                & (split["between_share"] >= thresholds.group_share - EPSILON)
            ]
            for question, part in far.groupby("question", sort=False):
                counted = part.loc[
                    (part["group"] != UNKNOWN_GROUP) & (part["n"] >= thresholds.min_group_ratings)
                ].sort_values(["mean", "group"])
                low, high = counted.iloc[0], counted.iloc[-1]
                reasons[question].append(
                    say(
                        "stats.reason.groups_apart",
                        by=_group_name(column, language),
                        high_group=high["group"],
                        high_mean=say.number(high["mean"]),
                        low_group=low["group"],
                        low_mean=say.number(low["mean"]),
                        gap=say.number(high["gap"]),
                    )
                )
                apart.add(question)
    separator = say("stats.reason.separator")
    result["wide_spread"] = wide.to_numpy(dtype=bool)
    result["groups_apart"] = result["question"].isin(apart).to_numpy(dtype=bool)
    result["flagged"] = result["wide_spread"] | result["groups_apart"]
    result["reason"] = result["question"].map(lambda q: separator.join(reasons[q]))
    return result[list(FLAG_COLUMNS)].reset_index(drop=True)


# --- 4. Tips ------------------------------------------------------------------------------


def tips_for_weakest(summary: pd.DataFrame, tips: Mapping[str, str], k: int = 3) -> pd.DataFrame:
    """The ``k`` weakest questions (from :func:`condition_summary`) with a tip each.

    ``tips`` maps question ids to the tip to show (the template's, in its language).
    Questions nobody rated are skipped. Adds a column ``tip`` ("" for a question without a
    tip).
    """
    if summary is None or summary.empty or k <= 0:
        columns = summary.columns if summary is not None else _summary_columns(DEFAULT_SCALE)
        return _empty([*columns, "tip"])
    rated = summary.loc[summary["n"] > 0] if "n" in summary.columns else summary
    weakest = _ordered(rated.copy()).head(k).copy()
    weakest["tip"] = weakest["question"].map(lambda q: str(tips.get(q, "") or ""))
    return weakest.reset_index(drop=True)


# --- 5. Cost and benefit ----------------------------------------------------------------------


def cost_benefit(
    frame: pd.DataFrame,
    *,
    scale: tuple[int, int] | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """What the collaboration yields and costs each organisation, and where that leaves it.

    Parameters
    ----------
    frame : DataFrame
        ``organisation``, ``yields`` and ``costs``, one row per respondent (and optionally
        ``scale_min``/``scale_max``); several respondents of one organisation are averaged.
        A missing organisation becomes :data:`UNKNOWN_GROUP`.
    scale : tuple of int, optional
        The scale of yields and costs, see :func:`resolve_scale`.
    thresholds : Thresholds, optional
        Only ``balance_margin`` is used here.

    Returns
    -------
    DataFrame
        ``organisation, n, yields, costs, balance, position, scale_min, scale_max`` with
        ``balance = yields - costs`` and ``position``:

        * ``"win"``: yields exceed costs by at least :attr:`~Thresholds.balance_margin` of
          the scale's width;
        * ``"loss"``: costs exceed yields by at least that margin;
        * ``"balance"``: in between;
        * ``"unknown"``: yields or costs missing.

        Ordered by balance, the worst off first. The texts of the positions are in the
        catalogue under ``stats.position``.
    """
    thresholds = thresholds or Thresholds()
    if frame is None or frame.empty:
        return _empty(COST_BENEFIT_COLUMNS)
    missing = {"organisation", "yields", "costs"} - set(frame.columns)
    if missing:
        raise ValueError(stats_error("missing_columns", what="frame", columns=sorted(missing)))
    low, high = resolve_scale(frame, scale, values=("yields", "costs"))
    data = pd.DataFrame(
        {
            "organisation": frame["organisation"].map(_clean_group).to_numpy(),
            "yields": pd.to_numeric(frame["yields"], errors="coerce").to_numpy(dtype="float64"),
            "costs": pd.to_numeric(frame["costs"], errors="coerce").to_numpy(dtype="float64"),
        }
    )
    result = (
        data.groupby("organisation", sort=True)
        .agg(n=("organisation", "size"), yields=("yields", "mean"), costs=("costs", "mean"))
        .reset_index()
    )
    balance = (result["yields"] - result["costs"]).round(9)
    margin = thresholds.balance_margin * (high - low)
    result["balance"] = balance
    result["position"] = np.select(
        [
            balance.isna().to_numpy(),
            ((balance >= margin - EPSILON) & (balance > 0)).to_numpy(),
            ((balance <= -margin + EPSILON) & (balance < 0)).to_numpy(),
        ],
        ["unknown", "win", "loss"],
        default="balance",
    )
    result["scale_min"], result["scale_max"] = low, high
    result = result.sort_values(
        ["balance", "organisation"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    return result[list(COST_BENEFIT_COLUMNS)]


# --- 6. Over time ---------------------------------------------------------------------------


def compare_scans(
    before: pd.DataFrame, after: pd.DataFrame, *, scale: tuple[int, int] | None = None
) -> pd.DataFrame:
    """Per question the mean of two scans (e.g. two sessions of one network) and the change.

    Parameters
    ----------
    before, after : DataFrame
        Scores frames as for :func:`condition_summary`.
    scale : tuple of int, optional
        One scale for both scans. Without it, questions keep the scale both frames declare
        (``ValueError`` when a question's scale differs between the scans: their means cannot
        be compared), or both share one found by :func:`resolve_scale` over both.

    Returns
    -------
    DataFrame
        ``question, n_before, mean_before, disagreement_before, n_after, mean_after,
        disagreement_after, change, direction, scale_min, scale_max``; ``change =
        mean_after - mean_before`` (positive: the question got stronger), ``direction`` is
        ``"up"``, ``"down"``, ``"same"`` or ``"unknown"`` (a question rated in only one
        scan). Ordered weakest first by the later scan.
    """
    first_data, second_data = _scores(before), _scores(after)
    if scale is None and not (declares_scale(first_data) and declares_scale(second_data)):
        both = pd.concat([first_data, second_data], ignore_index=True)
        scale = resolve_scale(both) if len(both) else None
    first = condition_summary(first_data, scale=scale)
    second = condition_summary(second_data, scale=scale)
    if first.empty and second.empty:
        return _empty(COMPARE_COLUMNS)
    columns = ["question", "n", "mean", "disagreement", *SCALE_COLUMNS]
    first = first.reindex(columns=columns).rename(columns={c: f"{c}_before" for c in columns[1:]})
    second = second.reindex(columns=columns).rename(columns={c: f"{c}_after" for c in columns[1:]})
    result = second.merge(first, on="question", how="outer", sort=False)
    for bound in SCALE_COLUMNS:
        earlier, later = result[f"{bound}_before"], result[f"{bound}_after"]
        differs = earlier.notna() & later.notna() & (earlier != later)
        if differs.any():
            question = result.loc[differs, "question"].iloc[0]
            row = result.loc[differs].iloc[0]
            raise ValueError(
                stats_error(
                    "scans_differ",
                    question=question,
                    before=f"{int(row['scale_min_before'])}-{int(row['scale_max_before'])}",
                    after=f"{int(row['scale_min_after'])}-{int(row['scale_max_after'])}",
                )
            )
        result[bound] = later.fillna(earlier).astype(int)
    for column in ("n_before", "n_after"):
        result[column] = result[column].fillna(0).astype(int)
    for column in ("mean_before", "mean_after", "disagreement_before", "disagreement_after"):
        result[column] = result[column].astype("float64")
    result["change"] = (result["mean_after"] - result["mean_before"]).round(9)
    result["direction"] = np.select(
        [result["change"] > 0, result["change"] < 0, result["change"] == 0],
        ["up", "down", "same"],
        default="unknown",
    )
    result = result.sort_values(
        ["mean_after", "question"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    return result[list(COMPARE_COLUMNS)]
