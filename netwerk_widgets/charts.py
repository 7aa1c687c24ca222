"""Chart builders: each takes a DataFrame and returns a new ``alt.Chart``.

The builders aggregate in pandas first, so the data they embed stays small whatever the
size of the session (no 5000-row limit). Charts are rendered without internet by
:func:`to_svg` (vl-convert runs Vega locally); the result can be embedded in a page or a
report as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import pandas as pd

SCORE_COLOURS = ["#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac"]


def render_offline() -> None:
    """Show charts in notebooks as SVG rendered here, so they need no internet.

    Altair's default renderer loads Vega from a CDN, which fails in a workshop room without
    internet (and JupyterLab 4's own renderer only knows Vega-Lite 5).
    """
    alt.renderers.enable("svg")


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render a chart to an SVG string, locally (no CDN, no browser)."""
    import vl_convert as vlc

    spec = chart.to_dict()
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    return vlc.vegalite_to_svg(spec, vl_version=version)


def table_fill_chart(rows: pd.DataFrame, labels: Mapping[str, str]) -> alt.Chart:
    """How many rows of a table question have each column filled in.

    ``rows`` comes from :func:`~netwerk_widgets.analysis.table_rows`; ``labels`` maps column
    ids to the texts to show, in order.
    """
    counts = pd.DataFrame(
        {
            "kolom": list(labels.values()),
            "aantal": [
                int((rows[column].str.strip() != "").sum()) if column in rows else 0
                for column in labels
            ],
            "volgorde": range(len(labels)),
        }
    )
    return (
        alt.Chart(counts)
        .mark_bar(color="#2166ac")
        .encode(
            x=alt.X("aantal:Q", title="aantal ingevulde regels", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("kolom:N", title=None, sort=alt.SortField("volgorde")),
            tooltip=["kolom:N", "aantal:Q"],
        )
        .properties(width=360, height=alt.Step(28))
    )


def scale_distribution_chart(
    scores: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
) -> alt.Chart:
    """The whole distribution of ratings per question, as stacked horizontal bars.

    ``scores`` has ``question`` and ``score`` columns (from
    :func:`~netwerk_widgets.analysis.scale_answers`); "weet ik niet" is counted apart.
    """
    labels = dict(labels or {})
    data = scores.assign(
        antwoord=scores["score"].map(lambda s: "weet ik niet" if pd.isna(s) else str(int(s)))
    )
    counts = data.groupby(["question", "antwoord"]).size().reset_index(name="aantal")
    counts["vraag"] = counts["question"].map(lambda q: labels.get(q, q))
    order = ["1", "2", "3", "4", "5", "weet ik niet"]
    return (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("aantal:Q", title="aantal deelnemers", stack="zero"),
            y=alt.Y(
                "vraag:N",
                title=None,
                sort=list(labels.values()) or None,
                axis=alt.Axis(labelLimit=360),
            ),
            color=alt.Color(
                "antwoord:N",
                sort=order,
                title="antwoord",
                scale=alt.Scale(domain=order, range=[*SCORE_COLOURS, "#f0f0f0"]),
            ),
            order=alt.Order("antwoord:N"),
            tooltip=["vraag:N", "antwoord:N", "aantal:Q"],
        )
        .properties(width=360, height=alt.Step(24))
    )


def count_chart(
    counts: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
    *,
    category: str = "option",
    title: str = "aantal keer genoemd",
) -> alt.Chart:
    """How often each category occurs, most first (``category`` and ``count`` columns).

    Used for chosen options (``choice_counts``), named leaders (``leaders``) and words
    (``word_counts``, with ``category="word"``).
    """
    labels = dict(labels or {})
    data = pd.DataFrame(
        {"naam": counts[category].map(lambda o: labels.get(o, o)), "aantal": counts["count"]}
    )
    return (
        alt.Chart(data)
        .mark_bar(color="#2166ac")
        .encode(
            x=alt.X("aantal:Q", title=title, axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("naam:N", title=None, sort="-x", axis=alt.Axis(labelLimit=360)),
            tooltip=["naam:N", "aantal:Q"],
        )
        .properties(width=360, height=alt.Step(24))
    )


LEVEL_COLOURS = ["#f0f0f0", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def ambition_heatmap(levels: pd.DataFrame, names: Mapping[str, str]) -> alt.Chart:
    """Who is involved how in which ambition: participants by ambitions, coloured by level.

    ``levels`` comes from :func:`~netwerk_widgets.analysis.ambition_levels`; ``names`` maps
    participant ids to what to show (a name or an organisation). Where several participants
    get the same name (e.g. their organisation), a cell shows the highest level among them.

    The chart embeds one row per name with a column per ambition and unfolds it in
    Vega-Lite, so a large group (300 people and 20 ambitions) stays far below Altair's
    5000-row limit.
    """
    from .analysis import LEVEL_ORDER

    rank = {level: number for number, level in enumerate(LEVEL_ORDER)}
    cells = pd.DataFrame(
        {
            "deelnemer": levels["participant"].map(lambda p: names.get(p, p)).astype(object),
            "ambitie": levels["ambition"].astype(object),
            "niveau": levels["level"].astype(object),
        }
    ).dropna()
    cells = (
        cells.assign(_rank=cells["niveau"].map(rank).fillna(-1))
        .sort_values("_rank", kind="mergesort")
        .drop_duplicates(["deelnemer", "ambitie"], keep="last")
    )
    ambitions = list(dict.fromkeys(cells["ambitie"]))
    keys = {ambition: f"a{number}" for number, ambition in enumerate(ambitions)}
    wide = (
        cells.assign(sleutel=cells["ambitie"].map(keys))
        .pivot(index="deelnemer", columns="sleutel", values="niveau")
        .reindex(columns=list(keys.values()))
        .astype("string")  # missing cells become null, not NaN, in the spec
        .reset_index()
    )
    wide.columns.name = None
    labels = pd.DataFrame({"sleutel": list(keys.values()), "ambitie": ambitions})
    return (
        alt.Chart(wide)
        .transform_fold(list(keys.values()), as_=["sleutel", "niveau"])
        .transform_filter("isValid(datum.niveau)")
        .transform_lookup(
            lookup="sleutel", from_=alt.LookupData(data=labels, key="sleutel", fields=["ambitie"])
        )
        .mark_rect(stroke="white")
        .encode(
            x=alt.X("ambitie:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=220)),
            y=alt.Y("deelnemer:N", title=None, axis=alt.Axis(labelLimit=240)),
            color=alt.Color(
                "niveau:O",
                title="betrokkenheid",
                sort=list(LEVEL_ORDER),
                scale=alt.Scale(domain=list(LEVEL_ORDER), range=LEVEL_COLOURS),
            ),
            tooltip=["deelnemer:N", "ambitie:N", "niveau:N"],
        )
        .properties(width=alt.Step(70), height=alt.Step(26))
    )


def coalition_chart(coalitions: pd.DataFrame, minimum: int = 2) -> alt.LayerChart:
    """Doers per ambition; ambitions with too few doers stand out in red."""
    data = coalitions.assign(
        status=coalitions["viable"].map({True: "genoeg trekkers", False: "te weinig trekkers"})
    )[["ambition", "n_doers", "n_involved", "status"]]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("n_doers:Q", title="meedoen of meebepalen", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y("ambition:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=["genoeg trekkers", "te weinig trekkers"], range=["#2166ac", "#b2182b"]
                ),
            ),
            tooltip=[
                alt.Tooltip("ambition:N", title="ambitie"),
                alt.Tooltip("n_doers:Q", title="in de coalitie"),
                alt.Tooltip("n_involved:Q", title="betrokken"),
                alt.Tooltip("status:N", title="status"),
            ],
        )
        .properties(width=320, height=alt.Step(26))
    )
    rule = (
        alt.Chart(pd.DataFrame({"minimum": [minimum]}))
        .mark_rule(strokeDash=[4, 3])
        .encode(x="minimum:Q")
    )
    return bars + rule
