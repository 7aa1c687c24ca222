"""The network drawing (the graph, measures and layout are in :mod:`..network`)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from ..messages import messages
from . import _theme as theme

if TYPE_CHECKING:
    import networkx as nx

_SIZE_RANGE = (60, 700)  # circle areas in square pixels, for 0 and the most relations


def _node_table(graph: nx.Graph, seed: int, language: str) -> pd.DataFrame:
    """Position, measures and register attributes per actor, for the chart."""
    from .. import network

    say = messages(language)
    no_role = say("charts.network.no_role")
    attributes = pd.DataFrame(
        {
            "actor": [str(n) for n in graph],
            "role": [graph.nodes[n].get("role", no_role) for n in graph],
            "organisation": [graph.nodes[n].get("organisation", "") for n in graph],
            "name": [
                theme.wrap(graph.nodes[n].get("label", str(n)), theme.NAME_WIDTH, theme.NAME_LINES)
                for n in graph
            ],
            "in_register": [graph.nodes[n].get("in_register", True) for n in graph],
        }
    ).astype({"actor": "string"})
    measures = network.network_measures(graph)[["actor", "degree", "betweenness", "is_broker"]]
    table = (
        network.layout(graph, seed=seed).merge(measures, on="actor").merge(attributes, on="actor")
    )
    yes, no = say("charts.network.yes"), say("charts.network.no")
    table["broker"] = table["is_broker"].map({True: yes, False: no})
    table["register"] = table["in_register"].map(
        {True: yes, False: say("charts.network.only_in_relations")}
    )
    return table


def _edge_table(graph: nx.Graph, positions: pd.DataFrame, lowest: float) -> pd.DataFrame:
    """One row per relation with both ends' positions, for the edges layer."""
    rows = [
        (str(u), str(v), d.get("strength", math.nan), d.get("trust", math.nan), d.get("reports", 1))
        for u, v, d in graph.edges(data=True)
    ]
    edges = pd.DataFrame(rows, columns=["source", "target", "strength", "trust", "reports"])
    xy = positions.set_index("actor")[["x", "y"]]
    edges = edges.join(xy, on="source").join(xy.rename(columns={"x": "x2", "y": "y2"}), on="target")
    # Unknown strength is drawn as the thinnest line, not left out.
    return edges.assign(thickness=edges["strength"].fillna(float(lowest)))


def network_chart(
    graph: nx.Graph,
    *,
    seed: int = 42,
    scale: tuple[int, int] = (1, 5),
    language: str = "nl",
) -> alt.LayerChart:
    """A node-link drawing of the network: relations under actors under names.

    Parameters
    ----------
    graph : networkx.Graph
        From :func:`~netwerk_widgets.network.relations_graph`.
    seed : int
        Seed of :func:`~netwerk_widgets.network.layout`, so the picture stays put between
        refreshes.
    scale : tuple of int
        The scale of relation strength and trust: the thinnest line is the lowest point,
        the thickest the highest.
    language : str
        Language of the tooltips, the legend and "no actors yet".

    Returns
    -------
    alt.LayerChart
        Lines are as thick as the mean strength (unknown strength: thinnest); circles are
        coloured by role, sized by number of relations and outlined in black for brokers;
        the tooltip shows actor, role, organisation, relations and betweenness. An empty
        network gives a chart with the catalogue's "no actors yet" instead of an error.
    """
    say = messages(language)
    low, high = scale
    if len(graph) == 0:
        message = pd.DataFrame({"text": [say("charts.network.no_actors")]})
        text = (
            alt.Chart(message)
            .mark_text(fontSize=theme.MESSAGE_SIZE, color=theme.QUIET_INK)
            .encode(text="text:N")
        )
        return alt.layer(text).properties(width=theme.NETWORK_WIDTH, height=120)

    width, height, margin = theme.NETWORK_WIDTH, theme.NETWORK_HEIGHT, 0.25
    nodes = _node_table(graph, seed, language)
    edges = _edge_table(graph, nodes[["actor", "x", "y"]], low)
    y_domain = [nodes["y"].min() - margin, nodes["y"].max() + margin]
    x_scale = alt.Scale(domain=[nodes["x"].min() - margin, nodes["x"].max() + margin])
    x = alt.X("x:Q", axis=None, scale=x_scale)
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=y_domain))
    # Circle areas follow the size scale below; each name sits just above its own circle.
    most = max(1, int(nodes["degree"].max()))
    area = _SIZE_RANGE[0] + (_SIZE_RANGE[1] - _SIZE_RANGE[0]) * nodes["degree"] / most
    pixels = np.sqrt(area / np.pi) + 3
    # Vega puts the first line of a name at name_y and the others below it: lift the name.
    pixels += (nodes["name"].str.count("\n")) * theme.LINE_HEIGHT
    nodes["name_y"] = nodes["y"] + pixels * (y_domain[1] - y_domain[0]) / height
    step = max(1, math.ceil(most / 4))
    relations = say("charts.network.relations")

    lines = (
        alt.Chart(edges)
        .mark_rule(color=theme.EDGE, opacity=0.7)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "thickness:Q", scale=alt.Scale(domain=[low, high], range=[0.75, 6]), legend=None
            ),
            tooltip=[
                alt.Tooltip("source:N", title=say("charts.network.actor")),
                alt.Tooltip("target:N", title=say("charts.network.works_with")),
                alt.Tooltip("strength:Q", title=say("charts.network.strength"), format=".1f"),
                alt.Tooltip("trust:Q", title=say("charts.network.trust"), format=".1f"),
                alt.Tooltip("reports:Q", title=say("charts.network.reports")),
            ],
        )
    )
    circles = (
        alt.Chart(nodes)
        .mark_circle(opacity=1, stroke=theme.INK)
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "role:N",
                title=say("charts.network.role"),
                scale=alt.Scale(scheme=theme.ROLE_SCHEME),
                legend=theme.category_legend(),
            ),
            size=alt.Size(
                "degree:Q",
                title=relations,
                scale=alt.Scale(domain=[0, most], range=list(_SIZE_RANGE)),
                legend=alt.Legend(values=list(range(0, most + 1, step)), format="d"),
            ),
            strokeWidth=alt.when(alt.datum.is_broker).then(alt.value(2.5)).otherwise(alt.value(0)),
            tooltip=[
                alt.Tooltip("actor:N", title=say("charts.network.actor")),
                alt.Tooltip("role:N", title=say("charts.network.role")),
                alt.Tooltip("organisation:N", title=say("charts.network.organisation")),
                alt.Tooltip("degree:Q", title=relations),
                alt.Tooltip("betweenness:Q", title=say("charts.network.betweenness"), format=".2f"),
                alt.Tooltip("broker:N", title=say("charts.network.broker")),
                alt.Tooltip("register:N", title=say("charts.network.in_register")),
            ],
        )
    )
    names = (
        alt.Chart(nodes)
        .mark_text(baseline="bottom", fontSize=theme.FONT_SIZE, color=theme.INK, lineBreak="\n")
        .encode(x=x, y=alt.Y("name_y:Q", scale=alt.Scale(domain=y_domain)), text="name:N")
    )
    return alt.layer(lines, circles, names).properties(
        width=width, height=height, view=alt.ViewBackground(stroke=None)
    )
