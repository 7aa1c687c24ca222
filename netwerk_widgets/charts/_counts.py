"""Charts that count: filled-in table columns, chosen options, ambitions and coalitions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from ..messages import messages
from . import _theme as theme


def table_fill_chart(
    rows: pd.DataFrame, labels: Mapping[str, str], *, language: str = "nl"
) -> alt.Chart:
    """How many rows of a table question have each column filled in.

    Parameters
    ----------
    rows : DataFrame
        From :func:`~netwerk_widgets.analysis.table_rows` (or ``worksheet_rows``).
    labels : mapping
        Column id to the text to show, in the order to show them.
    language : str
        Language of the axis.
    """
    say = messages(language)
    full, shown = theme.category_labels(labels, labels)
    counts = pd.DataFrame(
        {
            "label": [shown[c] for c in labels],
            "column": [full[c] for c in labels],
            "count": [
                int((rows[c].fillna("").astype(str).str.strip() != "").sum()) if c in rows else 0
                for c in labels
            ],
        }
    )
    return (
        alt.Chart(counts)
        .mark_bar(color=theme.PRIMARY)
        .encode(
            x=alt.X("count:Q", title=say("charts.filled_rows"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", title=None, sort=list(counts["label"]), axis=theme.category_axis()),
            tooltip=[
                alt.Tooltip("column:N", title=say("charts.column")),
                alt.Tooltip("count:Q", title=say("charts.filled_rows")),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(theme.step(counts["label"], 28)))
    )


def count_chart(
    counts: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    category: str = "option",
    title: str | None = None,
    language: str = "nl",
) -> alt.Chart:
    """How often each category occurs, most first (``category`` and ``count`` columns).

    Used for chosen options (``choice_counts``), named leaders (``leaders``) and words
    (``word_counts``, with ``category="word"``). ``labels`` maps categories to the texts to
    show; ``title`` is the title of the count axis (default: the catalogue's "aantal keer
    genoemd").
    """
    say = messages(language)
    keys = [str(c) for c in counts[category]] if category in counts else []
    full, shown = theme.category_labels(keys, labels)
    data = pd.DataFrame(
        {
            "label": [shown[k] for k in keys],
            "name": [full[k] for k in keys],
            "count": counts["count"].to_numpy() if keys else [],
        }
    )
    axis_title = title if title is not None else say("charts.mentioned")
    return (
        alt.Chart(data)
        .mark_bar(color=theme.PRIMARY)
        .encode(
            x=alt.X("count:Q", title=axis_title, axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", title=None, sort="-x", axis=theme.category_axis()),
            tooltip=[
                alt.Tooltip("name:N", title=say("charts.name")),
                alt.Tooltip("count:Q", title=axis_title),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(theme.step(data["label"])))
    )


def ambition_heatmap(
    levels: pd.DataFrame,
    names: Mapping[str, str],
    *,
    order: Sequence[str],
    level_labels: Mapping[str, str] | None = None,
    language: str = "nl",
    group_same_names: bool = False,
) -> alt.Chart:
    """Who is involved how in which ambition: ambitions by participants, coloured by level.

    Phones first: the ambitions' long texts are the rows (wrapped like every category
    label), the participants the narrow columns with their names written upwards, so five
    ambitions and eight people are about 350 px wide.

    Parameters
    ----------
    levels : DataFrame
        ``participant, ambition, level`` (from
        :func:`~netwerk_widgets.analysis.ambition_levels`).
    names : mapping
        Participant id to what to show (a name or an organisation). Each participant has
        their own row (two people called "Anna" are two rows, the second labelled
        "Anna (2)"), unless ``group_same_names``: then participants with the same name (e.g.
        their organisation) share a row, whose cells show the highest level among them.
    order : sequence of str
        The level ids from least to most involved (the template's options). Levels not in
        ``order`` count as the lowest and are drawn grey.
    level_labels : mapping, optional
        Level id to the text to show; the id where missing.
    language : str
        Language of the legend and tooltip titles.

    Returns
    -------
    alt.Chart
        The chart embeds one data row per name with a column per ambition and unfolds it in
        Vega-Lite, so a large group (300 people and 20 ambitions) stays far below Altair's
        5000-row limit.
    """
    say = messages(language)
    order = [str(level) for level in order]
    level_labels = dict(level_labels or {})
    shown_names = levels["participant"].map(lambda p: names.get(p, p)).astype(object)
    cells = pd.DataFrame(
        {
            "row": shown_names if group_same_names else levels["participant"].astype(object),
            "name": shown_names,
            "ambition": levels["ambition"].astype(object),
            "level": levels["level"].astype(object),
        }
    ).dropna()
    cells["level"] = cells["level"].astype(str)
    ambitions = list(dict.fromkeys(cells["ambition"]))  # in the order of ``levels``
    extra = sorted(set(cells["level"]) - set(order))
    rank = {level: number for number, level in enumerate(order)}
    _, level_text = theme.category_labels(
        [*order, *extra], level_labels, width=theme.LEGEND_WIDTH, lines=1
    )
    cells = (
        cells.assign(_rank=cells["level"].map(rank).fillna(-1))
        .sort_values("_rank", kind="mergesort")
        .drop_duplicates(["row", "ambition"], keep="last")
        .assign(level=lambda df: df["level"].map(level_text))
    )
    keys = {ambition: f"a{number}" for number, ambition in enumerate(ambitions)}
    wide = (
        cells.assign(key=cells["ambition"].map(keys))
        .pivot(index="row", columns="key", values="level")
        .reindex(columns=list(keys.values()))
        .astype("string")  # missing cells become null, not NaN, in the spec
    )
    row_names = cells.drop_duplicates("row").set_index("row")["name"]
    wide.insert(0, "name", _numbered([str(row_names[r]) for r in wide.index]))
    wide = wide.reset_index(drop=True)
    wide.columns.name = None
    _, shown = theme.category_labels(wide["name"].astype(str), width=theme.NAME_WIDTH, lines=1)
    wide.insert(0, "label", [shown[n] for n in wide["name"].astype(str)])
    _, ambition_shown = theme.category_labels(ambitions)
    lookup = pd.DataFrame(
        {
            "key": list(keys.values()),
            "ambition": ambitions,
            "ambition_label": [ambition_shown[a] for a in ambitions],
        }
    )
    domain = [level_text[level] for level in [*order, *extra]]
    colours = [*theme.sequential(len(order)), *[theme.FAINT] * len(extra)]
    return (
        alt.Chart(wide)
        .transform_fold(list(keys.values()), as_=["key", "level"])
        .transform_filter("isValid(datum.level)")
        .transform_lookup(
            lookup="key",
            from_=alt.LookupData(data=lookup, key="key", fields=["ambition", "ambition_label"]),
        )
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("label:N", title=None, axis=theme.name_axis()),
            y=alt.Y(
                "ambition_label:N",
                title=None,
                sort=list(lookup["ambition_label"]),
                axis=theme.category_axis(),
            ),
            color=alt.Color(
                "level:N",
                title=say("charts.involvement"),
                sort=domain,
                scale=alt.Scale(domain=domain, range=colours),
                legend=theme.category_legend(),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=say("charts.participant")),
                alt.Tooltip("ambition:N", title=say("charts.ambition")),
                alt.Tooltip("level:N", title=say("charts.involvement")),
            ],
        )
        .properties(
            width=alt.Step(theme.CELL),
            height=alt.Step(theme.step(lookup["ambition_label"], theme.CELL)),
        )
    )


def coalition_chart(
    coalitions: pd.DataFrame, minimum: int = 2, *, language: str = "nl"
) -> alt.LayerChart:
    """Doers per ambition; ambitions with fewer than ``minimum`` doers stand out in red.

    ``coalitions`` comes from :func:`~netwerk_widgets.analysis.coalitions` (``ambition,
    n_doers, n_involved, viable``).
    """
    say = messages(language)
    enough, too_few = say("charts.enough_doers"), say("charts.too_few_doers")
    keys = [str(a) for a in coalitions["ambition"]] if "ambition" in coalitions else []
    full, shown = theme.category_labels(keys)
    data = pd.DataFrame(
        {
            "label": [shown[k] for k in keys],
            "ambition": [full[k] for k in keys],
            "n_doers": coalitions["n_doers"].to_numpy() if keys else [],
            "n_involved": coalitions["n_involved"].to_numpy() if keys else [],
            "status": coalitions["viable"].map({True: enough, False: too_few}).to_numpy()
            if keys
            else [],
        }
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("n_doers:Q", title=say("charts.doers_axis"), axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("label:N", title=None, sort="-x", axis=theme.category_axis()),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=[enough, too_few], range=[theme.PRIMARY, theme.ALERT]),
            ),
            tooltip=[
                alt.Tooltip("ambition:N", title=say("charts.ambition")),
                alt.Tooltip("n_doers:Q", title=say("charts.in_coalition")),
                alt.Tooltip("n_involved:Q", title=say("charts.involved")),
                alt.Tooltip("status:N", title=say("charts.status")),
            ],
        )
        .properties(width=theme.WIDTH, height=alt.Step(theme.step(data["label"], theme.CELL)))
    )
    rule = (
        alt.Chart(pd.DataFrame({"minimum": [minimum]}))
        .mark_rule(strokeDash=[4, 3], color=theme.RULE)
        .encode(x="minimum:Q")
    )
    return bars + rule


def _numbered(names: Sequence[str]) -> list[str]:
    """``names`` with a repeated one numbered (``Anna``, ``Anna (2)``): one row each."""
    seen: dict[str, int] = {}
    taken = set(names)
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        shown = name
        number = seen[name]
        while number > 1 and (shown := f"{name} ({number})") in taken:
            number += 1
        taken.add(shown)
        result.append(shown)
    return result
