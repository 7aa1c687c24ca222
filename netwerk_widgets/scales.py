"""Integer rating scales: which scale ratings are on, and thresholds relative to it.

One place decides a scale (:func:`resolve_scale`): the one given, else the one a template
declares (``scale_min``/``scale_max`` columns), widened so that no rating is ever dropped.
:class:`Thresholds` are fractions of the scale, so one rule means the same on 1-5, 1-7 and
0-10. Used by the statistics of :mod:`netwerk_widgets.conditions` and the charts.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .messages import messages

DEFAULT_SCALE = (1, 5)
"""The scale assumed when neither the caller nor the scores say otherwise (then widened)."""

SCALE_COLUMNS = ("scale_min", "scale_max")
"""Columns of a scores frame (and of the results here) that state the question's scale."""

EPSILON = 1e-9  # tolerance when comparing a computed value with a threshold


# --- Thresholds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    """When a question is flagged (:func:`pseudo_consensus`) and a balance is clear.

    Positions and distances are fractions of the scale, so the same thresholds mean the same
    on 1-5, 1-7 and 0-10: ``high_mean`` is a position on the scale (0 is its lowest point, 1
    its highest), ``group_gap`` and ``balance_margin`` are fractions of its width (highest
    minus lowest point). On the 1-5 scale the defaults are 3.5, 1.5 and 0.5 points.
    :meth:`from_points` builds thresholds from values in scale points (what a template
    declares); :meth:`in_points` gives them back in points.

    Attributes
    ----------
    high_mean : float
        Position on the scale from which a mean looks fine (rule a), 0..1.
    wide_disagreement : float
        Disagreement (dissent, 0..1) from which answers differ widely (rule a).
    group_gap : float
        Fraction of the scale's width between group means that is far apart (rule b).
    group_share : float
        Least share (ω², 0..1) of the differences that lies between the groups (rule b).
    min_ratings : int
        Fewest ratings for which rule a judges a spread.
    min_group_ratings : int
        Fewest ratings a group needs to count in rule b.
    balance_margin : float
        Fraction of the scale's width by which yields and costs must differ to be clear.

    Each attribute's own docstring says why it has its default.

    Raises
    ------
    ValueError
        For a fraction outside 0..1 or a minimum below 1.
    """

    high_mean: float = 0.625
    """Position on the scale from which a mean "looks fine" (rule a of the flag).

    Five eighths of the way up, an eighth of the width above the middle: 3.5 on 1-5, 4.75 on
    1-7, 6.25 on 0-10. There the group on average leans to "holds". Below it the group
    already sees a problem, so a wide spread is not hidden by a rosy average and is not
    called pseudo-consensus (it still shows in ``disagreement`` and in the charts).
    """

    wide_disagreement: float = 0.35
    """Disagreement (Tastle & Wierman dissent, 0..1) from which answers "lopen sterk uiteen".

    Dissent is already relative to the width of the scale. Two camps a quarter of the width
    apart (half 4, half 5 on 1-5) never exceed 0.19, and answers spread over half the width
    stay under 0.3 as long as the middle holds people (a third each on 3, 4 and 5 of 1-5
    gives 0.28): that is ordinary variety of opinion. From 0.35 on the group falls into
    camps half the width apart (half 3, half 5 on 1-5: 0.42) or some people sit three
    quarters of the width or more from the rest (on 1-5: one 1 among nine 5s: 0.47; two 1s
    among six 5s: 0.81; half at each end is the maximum, 1). A lone 2 among 4s and 5s on
    1-5 (0.26-0.33) stays below it: worth a question, not a flag.
    """

    group_gap: float = 0.375
    """Fraction of the width between the highest and lowest group mean from which groups are
    "far apart" (rule b).

    Three eighths of the width: 1.5 points on 1-5, the difference between "so-so" (3) and
    "nearly fully" (4.5), or between "hardly" (2) and "mostly" (3.5); 2.25 points on 1-7 and
    3.75 on 0-10. Groups that far apart do not share one picture of the network, whatever
    the overall mean says.
    """

    group_share: float = 0.5
    """Least share of the differences that must lie *between* the groups (rule b), 0..1.

    The share is omega squared (ω², Hays), the part of the variance of the ratings explained
    by the groups, corrected for chance: ``(SSB - (k-1)·MSW) / (SST + MSW)``; it does not
    depend on the scale. It is needed because with small groups a gap between group means
    easily comes by chance: with six organisations of two people whose ratings differ by
    chance only (spread as in a typical scan, mostly 3 and 4 on 1-5), the highest and lowest
    organisation are three eighths of the width or more apart in over eight of ten
    questions. Requiring also that at least half of the differences run along group lines
    brings such chance flags down to under one in ten (three in a hundred or fewer for four
    groups of three or four), while a real split stays far above 0.5 (4, 4, 5 against 2, 2,
    3: 0.74; all 5 against all 2: 1). An organisation that is itself divided (5, 5, 5, 1
    against 2, 2, 2, 2: 0.27) is not a split between organisations.
    """

    min_ratings: int = 3
    """Fewest ratings (not counting "weet ik niet") for which rule a judges a spread at all."""

    min_group_ratings: int = 2
    """Fewest ratings a group needs to count in the gap between groups.

    A group of one person is that person's opinion, which rule a already covers; two is the
    least that makes a group answer, and with 5-30 people per network a higher minimum would
    leave most organisations out.
    """

    balance_margin: float = 0.125
    """Fraction of the width by which yields must exceed costs (or costs yields) to be "clear".

    An eighth of the width: half a point on 1-5 and 0.75 on 1-7, so for a single respondent
    any one-step difference (yields 4, costs 3) counts, while for an organisation with
    several respondents small differences of averages stay "in balans"; on 0-10 it is 1.25
    points, so a single respondent needs two steps.
    """

    def __post_init__(self) -> None:
        for name in (
            "high_mean",
            "wide_disagreement",
            "group_gap",
            "group_share",
            "balance_margin",
        ):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not 0 <= value <= 1
            ):
                raise ValueError(stats_error("fraction", name=name, value=repr(value)))
        for name in ("min_ratings", "min_group_ratings"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
                raise ValueError(stats_error("minimum", name=name, value=repr(value)))

    @classmethod
    def from_points(
        cls,
        scale: tuple[int, int],
        *,
        high_mean: float | None = None,
        group_gap: float | None = None,
        balance_margin: float | None = None,
        **others: float,
    ) -> Thresholds:
        """Thresholds from values in points of ``scale`` (``None`` keeps the default).

        Parameters
        ----------
        scale : tuple of int
            ``(lowest, highest)`` point of the scale the values refer to.
        high_mean : float, optional
            The mean from which a question looks fine, a point on the scale (3.5 on 1-5).
        group_gap : float, optional
            The gap between group means that counts as far apart, in points (1.5 on 1-5).
        balance_margin : float, optional
            The margin of a clear balance of yields and costs, in points (0.5 on 1-5).
        **others
            The thresholds that do not depend on the scale (``wide_disagreement``,
            ``group_share``, ``min_ratings``, ``min_group_ratings``), as they are.

        Examples
        --------
        >>> Thresholds.from_points((1, 5), high_mean=3.5, group_gap=1.5) == Thresholds()
        True
        """
        low, high = check_scale(scale)
        width = high - low
        values: dict[str, float] = dict(others)
        if high_mean is not None:
            values["high_mean"] = (high_mean - low) / width
        if group_gap is not None:
            values["group_gap"] = group_gap / width
        if balance_margin is not None:
            values["balance_margin"] = balance_margin / width
        return cls(**values)

    def in_points(self, scale: tuple[int, int]) -> dict[str, float]:
        """``high_mean``, ``group_gap`` and ``balance_margin`` in points of ``scale``."""
        low, high = check_scale(scale)
        width = high - low
        return {
            "high_mean": low + self.high_mean * width,
            "group_gap": self.group_gap * width,
            "balance_margin": self.balance_margin * width,
        }


# --- Scales ---------------------------------------------------------------------------------


def stats_error(key: str, **values: object) -> str:
    """An error message from the catalogue (Dutch, as the package's other errors)."""
    return messages()(f"stats.error.{key}", **values)


def plain_point(value: float) -> str:
    """A scale point as written: ``7``, or ``6.5`` for a value between points."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_scale(scale: object) -> tuple[int, int]:
    """``scale`` as two plain ints (lowest, highest), or ``ValueError``."""
    try:
        low, high = scale  # type: ignore[misc]
    except (TypeError, ValueError):
        raise ValueError(stats_error("bad_scale", scale=repr(scale))) from None
    integral = all(
        (isinstance(v, numbers.Integral) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
        for v in (low, high)
    )
    if not integral or low >= high:
        raise ValueError(stats_error("bad_scale", scale=repr(scale)))
    return int(low), int(high)


def resolve_scale(
    frame: pd.DataFrame | None,
    scale: tuple[int, int] | None = None,
    *,
    values: Iterable[str] = ("score",),
) -> tuple[int, int]:
    """The scale ``(lowest, highest)`` of the ratings in ``frame``: the one place that decides.

    Parameters
    ----------
    frame : DataFrame or None
        Ratings in the columns named by ``values`` and, optionally, the scale the template
        declares in ``scale_min`` and ``scale_max`` (as :func:`analysis.scale_answers
        <netwerk_widgets.analysis.scale_answers>` adds them, and as every result of this
        module carries them).
    scale : tuple of int, optional
        The scale, given explicitly. A rating outside it raises ``ValueError``.
    values : iterable of str
        The columns holding ratings (``("yields", "costs")`` for :func:`cost_benefit`,
        ``()`` to look at the declared scale only).

    Returns
    -------
    tuple of int
        1. ``scale`` when given;
        2. else the declared scale of ``scale_min``/``scale_max`` (the smallest that holds
           them all when rows declare different scales), widened to hold every rating, so
           a rating is never dropped;
        3. else :data:`DEFAULT_SCALE` (1-5) widened to hold every rating (rounded outwards
           to whole points): four 7s make it 1-7, a 0 makes it 0-5.
    """
    observed = np.array([], dtype="float64")
    if frame is not None and len(frame):
        columns = [c for c in values if c in frame.columns]
        if columns:
            observed = np.concatenate([as_numbers(frame[c]) for c in columns])
            observed = observed[~np.isnan(observed)]
    if scale is not None:
        low, high = check_scale(scale)
        outside = observed[(observed < low) | (observed > high)]
        if outside.size:
            shown = ", ".join(plain_point(v) for v in sorted(set(outside.tolist()))[:10])
            raise ValueError(stats_error("outside_scale", low=low, high=high, values=shown))
        return low, high
    low, high = DEFAULT_SCALE
    if frame is not None and all(c in frame.columns for c in SCALE_COLUMNS):
        lowest, highest = as_numbers(frame["scale_min"]), as_numbers(frame["scale_max"])
        declared = ~np.isnan(lowest) & ~np.isnan(highest)
        if declared.any():
            low, high = check_scale((float(lowest[declared].min()), float(highest[declared].max())))
    if observed.size:
        low = min(low, math.floor(observed.min()))
        high = max(high, math.ceil(observed.max()))
    return low, high


def as_numbers(values: pd.Series) -> np.ndarray:
    """``values`` as floats, ``NaN`` for what is not a number."""
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def declares_scale(frame: pd.DataFrame | None) -> bool:
    return (
        frame is not None
        and all(c in frame.columns for c in SCALE_COLUMNS)
        and frame[list(SCALE_COLUMNS)].notna().all(axis=1).any()
    )


def question_scales(
    data: pd.DataFrame, scale: tuple[int, int] | None
) -> dict[str, tuple[int, int]]:
    """The scale of every question: each its own when the frame declares them, else one."""
    if scale is None and declares_scale(data):
        return {q: resolve_scale(part) for q, part in data.groupby("question", sort=False)}
    shared = resolve_scale(data, scale)
    return dict.fromkeys(data["question"].unique(), shared)


def union_of_scales(scales: Iterable[tuple[int, int]], default: tuple[int, int]) -> tuple[int, int]:
    scales = list(scales)
    if not scales:
        return default
    return min(s[0] for s in scales), max(s[1] for s in scales)
