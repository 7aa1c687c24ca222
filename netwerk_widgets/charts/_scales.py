"""Charts of rated questions on any integer scale (the statistics are in :mod:`..conditions`)."""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

from .. import conditions
from ..conditions import DIRECTIONS, UNKNOWN_GROUP
from ..messages import catalogue, messages
from ..scales import Thresholds, resolve_scale
from . import _theme as theme


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def _group_title(by: str, language: str) -> str:
    """The catalogue's name of a grouping column ("rol"), else the column itself."""
    say = messages(language)
    if not by:
        return say("charts.group")
    return say(f"stats.group.{by}") if f"stats.group.{by}" in catalogue("nl") else by


def _points(scale: tuple[int, int]) -> list[int]:
    return list(range(scale[0], scale[1] + 1))


def _ticks(scale: tuple[int, int]) -> list[int] | None:
    """Every point as a tick on a short scale; Vega's own choice on a long one."""
    points = _points(scale)
    return points if len(points) <= 11 else None


def _number(value: float, digits: int = 2) -> float | None:
    return None if pd.isna(value) else round(float(value), digits)


def distribution_chart(
    scores: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    scale: tuple[int, int] | None = None,
    language: str = "nl",
) -> alt.Chart:
    """Per question the whole distribution as diverging bars, weakest question on top.

    Parameters
    ----------
    scores : DataFrame
        Ratings as for :func:`~netwerk_widgets.conditions.condition_summary`.
    labels : mapping, optional
        Question id to the text to show; the id where missing.
    scale : tuple of int, optional
        ``(lowest, highest)``; see :func:`~netwerk_widgets.scales.resolve_scale`.
        Questions on different scales are drawn on the smallest scale that holds them all.
    language : str
        Language of the axis, legend and "weet ik niet".

    Returns
    -------
    alt.Chart
        Low scores go left of zero, high scores right. With an odd number of points the
        middle point straddles zero; with an even number the lower half is left and the upper
        half right. A bar's length is a number of people, so a split group shows as long
        bars on both sides. Each question's label says how many rated it and how many
        answered "weet ik niet"; the tooltip has the full question text.
    """
    say = messages(language)
    summary = conditions.condition_summary(scores, scale=scale)
    low, high = resolve_scale(summary, scale, values=())
    points = _points((low, high))
    half = len(points) // 2
    lower, middle = points[:half], (points[half] if len(points) % 2 else None)
    full, shown = theme.category_labels(summary["question"], labels)
    rows = []
    for row in summary.to_dict("records"):
        counts = {s: int(row.get(f"n_{s}", 0) or 0) for s in points}
        if row["n_unknown"]:
            count = say("charts.rated_unknown", n=row["n"], unknown=row["n_unknown"])
        else:
            count = say("charts.rated", n=row["n"])
        label = f"{shown[row['question']]}\n{count}"
        start = -(sum(counts[s] for s in lower) + (counts[middle] / 2 if middle is not None else 0))
        for score in points:
            if counts[score]:
                rows.append(
                    {
                        "label": label,
                        "question": full[row["question"]],
                        "answer": str(score),
                        "count": counts[score],
                        "start": start,
                        "end": start + counts[score],
                        "mean": _number(row["mean"]),
                    }
                )
            start += counts[score]
    data = pd.DataFrame(
        rows, columns=["label", "question", "answer", "count", "start", "end", "mean"]
    )
    order = [str(s) for s in points]
    labels_shown = list(dict.fromkeys(data["label"]))
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "start:Q",
                title=say("charts.diverging_axis"),
                axis=alt.Axis(labelExpr="abs(datum.value)", tickMinStep=1),
            ),
            x2="end:Q",
            y=alt.Y("label:N", title=None, sort=labels_shown, axis=theme.category_axis()),
            color=alt.Color(
                "answer:N",
                title=say("charts.score"),
                sort=order,
                scale=alt.Scale(domain=order, range=theme.diverging(len(points))),
            ),
            tooltip=[
                alt.Tooltip("question:N", title=say("charts.question")),
                alt.Tooltip("answer:N", title=say("charts.score")),
                alt.Tooltip("count:Q", title=say("charts.people")),
                alt.Tooltip("mean:Q", title=say("charts.mean")),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(theme.step(labels_shown)))
    )


def scale_distribution_chart(
    scores: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    scale: tuple[int, int] | None = None,
    language: str = "nl",
) -> alt.Chart:
    """The whole distribution of ratings per question, as stacked horizontal bars.

    Parameters
    ----------
    scores : DataFrame
        ``question`` and ``score`` columns, optionally ``unknown`` (from
        :func:`~netwerk_widgets.analysis.scale_answers`); "weet ik niet" is counted apart.
    labels : mapping, optional
        Question id to the text to show; questions come in the order of ``labels``, then in
        the order they first appear in ``scores``.
    scale : tuple of int, optional
        See :func:`~netwerk_widgets.scales.resolve_scale`.
    language : str
        Language of the axis, legend and "weet ik niet".

    Returns
    -------
    alt.Chart
        Every point of the scale and "weet ik niet" are in the legend, in order, and stack in
        that order, lowest on the left.
    """
    say = messages(language)
    summary = conditions.condition_summary(scores, scale=scale).set_index("question")
    low, high = resolve_scale(summary, scale, values=())
    points = _points((low, high))
    present = [str(q) for q in dict.fromkeys(scores["question"])] if len(summary) else []
    questions = [q for q in (labels or {}) if q in summary.index]
    questions += [q for q in present if q not in questions]
    full, shown = theme.category_labels(questions, labels)
    unknown = say("charts.unknown")
    rows = []
    for question in questions:
        row = summary.loc[question]
        counts = [(str(s), rank, int(row.get(f"n_{s}", 0))) for rank, s in enumerate(points)]
        counts.append((unknown, len(points), int(row["n_unknown"])))
        rows.extend(
            {
                "label": shown[question],
                "question": full[question],
                "answer": answer,
                "rank": rank,
                "count": count,
            }
            for answer, rank, count in counts
            if count
        )
    data = pd.DataFrame(rows, columns=["label", "question", "answer", "rank", "count"])
    order = [*(str(s) for s in points), unknown]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "count:Q",
                title=say("charts.participants"),
                stack="zero",
                axis=alt.Axis(tickMinStep=1),
            ),
            y=alt.Y(
                "label:N",
                title=None,
                sort=[shown[q] for q in questions],
                axis=theme.category_axis(),
            ),
            color=alt.Color(
                "answer:N",
                sort=order,
                title=say("charts.answer"),
                scale=alt.Scale(domain=order, range=[*theme.diverging(len(points)), theme.UNKNOWN]),
            ),
            order=alt.Order("rank:Q"),
            tooltip=[
                alt.Tooltip("question:N", title=say("charts.question")),
                alt.Tooltip("answer:N", title=say("charts.answer")),
                alt.Tooltip("count:Q", title=say("charts.people")),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(theme.step(shown.values())))
    )


def split_chart(
    split: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    scale: tuple[int, int] | None = None,
    language: str = "nl",
) -> alt.Chart:
    """Group means per question as dots on the scale: the gap between groups shows.

    Parameters
    ----------
    split : DataFrame
        From :func:`~netwerk_widgets.conditions.split_by` (its ``scale_min``/``scale_max``
        give the scale when ``scale`` is not given).
    labels : mapping, optional
        Question id to the text to show.
    scale : tuple of int, optional
        The scale of the means.
    language : str
        Language of the axis, the legend and the "unknown" group.

    Returns
    -------
    alt.Chart
        Every group has its own line within a question, so equal means do not hide each
        other; a dot's size is the number of ratings and the unknown group is grey. The
        questions keep the order of ``split`` (weakest first).
    """
    say = messages(language)
    split = split if split is not None else _empty(conditions.SPLIT_COLUMNS)
    low, high = resolve_scale(split, scale, values=("mean",))
    full, shown = theme.category_labels(split["question"], labels)
    unknown = say("stats.unknown_group")
    names = [unknown if g == UNKNOWN_GROUP else str(g) for g in split["group"]]
    group_full, group_shown = theme.category_labels(names, width=theme.LEGEND_WIDTH, lines=1)
    data = pd.DataFrame(
        {
            "label": split["question"].map(shown).astype(object),
            "question": split["question"].map(full).astype(object),
            "group": [group_shown[n] for n in names],
            "group_name": [group_full[n] for n in names],
            "count": split["n"].astype("float64"),
            "mean": split["mean"].astype("float64").round(2),
            "gap": split["gap"].astype("float64").round(2),
        }
    ).dropna(subset=["mean"])
    by = str(split["by"].iloc[0]) if len(split) else ""
    title = _group_title(by, language)
    has_unknown = unknown in set(data["group_name"])
    groups = sorted(set(data["group"]) - ({group_shown[unknown]} if has_unknown else set()))
    domain = [*groups, group_shown[unknown]] if has_unknown else groups
    colours = [*theme.group_colours(len(groups)), theme.FAINT][: len(domain)]
    counts = sorted({int(n) for n in data["count"]})
    sizes = counts if len(counts) <= 4 else [counts[0], counts[len(counts) // 2], counts[-1]]
    questions = list(dict.fromkeys(data["label"]))
    per_group = max(9, -(-theme.step(questions) // max(1, len(domain))))
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X(
                "mean:Q",
                title=say("charts.mean_score"),
                scale=alt.Scale(domain=[low, high]),
                axis=alt.Axis(values=_ticks((low, high))),
            ),
            y=alt.Y("label:N", title=None, sort=questions, axis=theme.category_axis()),
            yOffset=alt.YOffset("group:N", sort=domain),
            color=alt.Color(
                "group:N",
                title=title,
                sort=domain,
                scale=alt.Scale(domain=domain, range=colours),
                legend=theme.category_legend(),
            ),
            size=alt.Size(
                "count:Q",
                title=say("charts.ratings"),
                scale=alt.Scale(range=[0, 200], zero=True),
                legend=alt.Legend(values=sizes, format="d"),
            ),
            tooltip=[
                alt.Tooltip("question:N", title=say("charts.question")),
                alt.Tooltip("group_name:N", title=title),
                alt.Tooltip("count:Q", title=say("charts.ratings")),
                alt.Tooltip("mean:Q", title=say("charts.mean")),
                alt.Tooltip("gap:Q", title=say("charts.gap")),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(per_group))
    )


def change_chart(
    comparison: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    scale: tuple[int, int] | None = None,
    language: str = "nl",
) -> alt.Chart:
    """Per question a line from the earlier to the later mean.

    Parameters
    ----------
    comparison : DataFrame
        From :func:`~netwerk_widgets.conditions.compare_scans`.
    labels : mapping, optional
        Question id to the text to show.
    scale : tuple of int, optional
        The scale of the means (else the comparison's ``scale_min``/``scale_max``).
    language : str
        Language of the axis and the legends.

    Returns
    -------
    alt.Chart
        A dot marks the earlier scan and a triangle the later one, pointing the way the
        question moved; green is up, red is down. Questions keep the order of
        ``comparison``.
    """
    say = messages(language)
    if comparison is None:
        comparison = _empty(conditions.COMPARE_COLUMNS)
    low, high = resolve_scale(comparison, scale, values=("mean_before", "mean_after"))
    full, shown = theme.category_labels(comparison["question"], labels)
    directions = {code: say(f"stats.direction.{code}") for code in DIRECTIONS}
    markers = {
        "before": say("charts.before"),
        "after": say("charts.after"),
        "after_up": say("charts.after_up"),
        "after_down": say("charts.after_down"),
    }
    rows = []
    for row in comparison.to_dict("records"):
        for number, (moment, mean) in enumerate(
            [("before", row["mean_before"]), ("after", row["mean_after"])]
        ):
            if pd.isna(mean):
                continue
            marker = moment
            if moment == "after" and row["direction"] in ("up", "down"):
                marker = f"after_{row['direction']}"
            rows.append(
                {
                    "label": shown[row["question"]],
                    "question": full[row["question"]],
                    "moment": markers[moment],
                    "step": number,
                    "mean": round(float(mean), 2),
                    "direction": directions.get(row["direction"], row["direction"]),
                    "marker": markers[marker],
                    "change": _number(row["change"]),
                }
            )
    columns = ["label", "question", "moment", "step", "mean", "direction", "marker", "change"]
    data = pd.DataFrame(rows, columns=columns)
    shapes = {
        markers["before"]: "circle",
        markers["after"]: "diamond",
        markers["after_up"]: "triangle-right",
        markers["after_down"]: "triangle-left",
    }
    questions = list(dict.fromkeys(data["label"]))
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=90), strokeWidth=2)
        .encode(
            x=alt.X(
                "mean:Q",
                title=say("charts.mean_score"),
                scale=alt.Scale(domain=[low, high]),
                axis=alt.Axis(values=_ticks((low, high))),
            ),
            y=alt.Y("label:N", title=None, sort=questions, axis=theme.category_axis()),
            detail="label:N",
            order="step:Q",
            color=alt.Color(
                "direction:N",
                title=say("charts.change"),
                scale=alt.Scale(
                    domain=list(directions.values()),
                    range=[theme.DIRECTION_COLOURS[code] for code in directions],
                ),
            ),
            shape=alt.Shape(
                "marker:N",
                title=say("charts.scan"),
                scale=alt.Scale(domain=list(shapes), range=list(shapes.values())),
            ),
            tooltip=[
                alt.Tooltip("question:N", title=say("charts.question")),
                alt.Tooltip("moment:N", title=say("charts.scan")),
                alt.Tooltip("mean:Q", title=say("charts.mean")),
                alt.Tooltip("change:Q", title=say("charts.change")),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(theme.step(questions)))
    )


def cost_benefit_chart(
    frame: pd.DataFrame,
    *,
    scale: tuple[int, int] | None = None,
    thresholds: Thresholds | None = None,
    language: str = "nl",
) -> alt.LayerChart:
    """Yields against costs per organisation, with the diagonal where they are equal.

    Parameters
    ----------
    frame : DataFrame
        The respondents' table (``organisation, yields, costs``) or the result of
        :func:`~netwerk_widgets.conditions.cost_benefit` (then drawn as it is).
    scale : tuple of int, optional
        The scale of yields and costs.
    thresholds : Thresholds, optional
        Decide the positions (colours) when ``frame`` holds respondents.
    language : str
        Language of the axes, the legend and the notes in the corners.

    Returns
    -------
    alt.LayerChart
        Above the diagonal the collaboration yields more than it costs; colour gives the
        position, so an organisation that is not win-win stands out. Layered (points, names
        and the diagonal need three marks); it can be changed with ``.properties`` like any
        chart.
    """
    say = messages(language)
    if frame is not None and {"n", "balance", "position"} <= set(frame.columns):
        result = frame
    else:
        result = conditions.cost_benefit(frame, scale=scale, thresholds=thresholds)
    low, high = resolve_scale(result, scale, values=("yields", "costs"))
    unknown = say("stats.unknown_group")
    organisations = [unknown if o == UNKNOWN_GROUP else str(o) for o in result["organisation"]]
    positions = {code: say(f"stats.position.{code}") for code in conditions.POSITIONS}
    data = pd.DataFrame(
        {
            "organisation": organisations,
            "name": [theme.wrap(o, theme.NAME_WIDTH, theme.NAME_LINES) for o in organisations],
            "yields": result["yields"].astype("float64").round(2),
            "costs": result["costs"].astype("float64").round(2),
            "position": result["position"].map(positions).astype(object),
            "count": result["n"].astype("float64"),
        }
    ).dropna(subset=["yields", "costs"])
    start, end = low - 0.5, high + 0.5
    width = high - low
    axis_scale = alt.Scale(domain=[start, end], nice=False, zero=False)
    ticks = _ticks((low, high))
    costs = say("charts.costs_axis", low=low, high=high)
    yields = say("charts.yields_axis", low=low, high=high)
    x_axis = alt.X("costs:Q", scale=axis_scale, title=costs, axis=alt.Axis(values=ticks))
    y_axis = alt.Y("yields:Q", scale=axis_scale, title=yields, axis=alt.Axis(values=ticks))
    diagonal = (
        alt.Chart(pd.DataFrame({"costs": [start], "yields": [start], "end": [end]}))
        .mark_rule(color=theme.RULE, strokeDash=[4, 4])
        .encode(x=x_axis, y=y_axis, x2="end:Q", y2="end:Q")
    )
    corners = (
        alt.Chart(
            pd.DataFrame(
                {
                    "costs": [low + width / 4, high - width / 4],
                    "yields": [end - 0.2, start + 0.2],
                    "text": [say("charts.yields_more"), say("charts.costs_more")],
                }
            )
        )
        .mark_text(color=theme.MUTED, fontSize=theme.NOTE_SIZE, fontStyle="italic")
        .encode(x=x_axis, y=y_axis, text="text:N")
    )
    base = alt.Chart(data).encode(x=x_axis, y=y_axis)
    shown = [code for code in conditions.POSITIONS if code != "unknown"]
    points = base.mark_circle(size=140, opacity=0.9).encode(
        color=alt.Color(
            "position:N",
            title=say("charts.position"),
            scale=alt.Scale(
                domain=[positions[code] for code in shown],
                range=[theme.POSITION_COLOURS[code] for code in shown],
            ),
        ),
        tooltip=[
            alt.Tooltip("organisation:N", title=say("charts.organisation")),
            alt.Tooltip("yields:Q", title=say("charts.yields")),
            alt.Tooltip("costs:Q", title=say("charts.costs")),
            alt.Tooltip("position:N", title=say("charts.position")),
            alt.Tooltip("count:Q", title=say("charts.respondents")),
        ],
    )
    names = base.mark_text(
        align="left", baseline="middle", dx=9, fontSize=theme.FONT_SIZE, lineBreak="\n"
    ).encode(text="name:N")
    return alt.layer(diagonal, corners, points, names).properties(
        width=theme.SQUARE, height=theme.SQUARE
    )
