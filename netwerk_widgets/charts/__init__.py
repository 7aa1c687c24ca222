"""Chart builders: each takes a DataFrame (or a graph) and returns a new Altair chart.

Every builder aggregates in pandas first, so the data it embeds stays small whatever the size
of the session (far below Altair's 5000-row limit); it never changes its input, and the chart
it returns can be changed further (``.properties(...)``, ``.encode(...)``, layering). Texts
on axes, legends and tooltips come from the message catalogue in the ``language`` asked for;
category labels are wrapped or shortened, never clipped, with the full text in the tooltip.
Colours, fonts and sizes come from one theme (:mod:`netwerk_widgets.charts._theme`).

Charts are rendered without internet by :func:`to_svg` (vl-convert runs Vega locally); the
result can be embedded in a page or a report as it is.

Builders of rated questions (any integer scale): :func:`distribution_chart` (diverging,
weakest on top), :func:`scale_distribution_chart` (stacked), :func:`split_chart` (group
means, from ``conditions.split_by``), :func:`change_chart` (two scans, from
``conditions.compare_scans``) and :func:`cost_benefit_chart`. Builders that count:
:func:`table_fill_chart`, :func:`count_chart`, :func:`ambition_heatmap` and
:func:`coalition_chart`. The network: :func:`network_chart`.
"""

from __future__ import annotations

import textwrap

import altair as alt

from ._counts import ambition_heatmap, coalition_chart, count_chart, table_fill_chart
from ._graph import network_chart
from ._scales import (
    change_chart,
    cost_benefit_chart,
    distribution_chart,
    scale_distribution_chart,
    split_chart,
)

__all__ = [
    "ambition_heatmap",
    "change_chart",
    "coalition_chart",
    "cost_benefit_chart",
    "count_chart",
    "distribution_chart",
    "network_chart",
    "render_offline",
    "scale_distribution_chart",
    "split_chart",
    "table_fill_chart",
    "to_svg",
]


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
    # Legends under the chart, not beside it: a phone has the height, not the width.
    spec.setdefault("config", {}).setdefault("legend", {}).setdefault("orient", "bottom")
    spec["config"]["legend"].setdefault("direction", "vertical")
    _wrap_titles(spec)
    version = alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0]
    return vlc.vegalite_to_svg(spec, vl_version=version)


TITLE_WIDTH = 40
"""Characters per line of an axis or legend title; a longer one is drawn on several lines."""


def _wrap_titles(spec: object) -> None:
    """Break every long channel title of a Vega-Lite spec onto lines (in place).

    A one-line title wider than the chart ("aantal deelnemers (links: lage scores, ...)")
    would make the whole SVG wider than a phone.
    """
    if isinstance(spec, list):
        for item in spec:
            _wrap_titles(item)
        return
    if not isinstance(spec, dict):
        return
    for key, value in spec.items():
        if key == "encoding" and isinstance(value, dict):
            for channel in value.values():
                if not isinstance(channel, dict):  # a list of tooltips
                    continue
                for holder in (channel, channel.get("axis"), channel.get("legend")):
                    title = holder.get("title") if isinstance(holder, dict) else None
                    if isinstance(title, str) and len(title) > TITLE_WIDTH:
                        holder["title"] = textwrap.wrap(title, TITLE_WIDTH)
        else:
            _wrap_titles(value)
