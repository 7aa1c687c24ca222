"""The Actor building block as a network: who works with whom, and who holds it together.

The group's actor register and the pairs participants report become one undirected
:class:`networkx.Graph` (:func:`relations_graph`). From it come the measures per actor
(:func:`network_measures`), a summary of the whole network (:func:`network_summary`), a
stable drawing (:func:`layout`, :func:`network_chart`) and a GraphML file for other tools
such as Gephi (:func:`write_graphml`, :func:`read_graphml`).

Not imported by the package itself: participant kernels stay light. Actor names are the
node ids, always ``str``; texts users see are Dutch.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Hashable, Mapping
from typing import Any

import altair as alt
import networkx as nx
import numpy as np
import pandas as pd

NO_ACTORS = "Nog geen actoren"

#: Dutch texts for the index of :func:`network_summary`, in order.
SUMMARY_LABELS = {
    "actors": "aantal actoren",
    "relations": "aantal relaties",
    "density": "dichtheid (deel van alle mogelijke relaties)",
    "components": "aantal losse delen",
    "largest_component": "actoren in het grootste deel",
    "isolated": "actoren zonder relaties",
    "average_degree": "gemiddeld aantal relaties per actor",
    "brokers": "aantal verbinders",
    "broker_names": "verbinders",
    "not_in_register": "actoren die niet in het register staan",
}

NODE_ATTRIBUTES = ("role", "organisation", "label")
SCORES = ("strength", "trust")
# Above this size spring_layout needs scipy, which is not a dependency: draw a circle instead.
_SPRING_LIMIT = 500
_NO_ROLE = "(geen rol)"
_SIZE_RANGE = (60, 700)  # circle areas in square pixels, for 0 and the most relations


def _clean(values: pd.Series) -> pd.Series:
    """Texts with surrounding and repeated whitespace removed; empty becomes ``<NA>``."""
    text = values.astype("string").str.split().str.join(" ")
    return text.mask(text == "")


def _scores(values: pd.Series) -> pd.Series:
    """Ratings as floats; anything that is not a number from 1 to 5 becomes ``NaN``."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float")
    return numbers.where(numbers.between(1, 5))


def relations_graph(actors: pd.DataFrame, relations: pd.DataFrame | None = None) -> nx.Graph:
    """The group's network: every actor a node, every reported pair one undirected edge.

    Parameters
    ----------
    actors : DataFrame
        The actor register: ``actor`` (the name, also the node id) and optional ``role``,
        ``organisation`` and ``label``. Names are compared after removing surrounding and
        repeated whitespace; rows without a name are left out. When an actor is listed more
        than once, each attribute takes its first non-empty value.
    relations : DataFrame, optional
        One row per report: ``source``, ``target`` and optional ``strength`` and ``trust``
        (1-5) and ``reporter`` (participant id). Ratings that are not a number from 1 to 5
        (such as "weet ik niet") count as not given.

    Returns
    -------
    networkx.Graph
        Nodes carry ``in_register`` (``False`` for actors only named in a relation, so they
        can be flagged) and the non-empty register attributes. Reports of the same pair, in
        either direction, merge into one edge: ``reports`` (number of rows), ``reporters``
        (distinct participants, when ``reporter`` is given) and the mean ``strength`` and
        ``trust`` of the reports that rate them (left out when none does). Self-loops and
        rows missing an actor are dropped. Attributes are never ``None`` or ``NaN``, so the
        graph can be written to GraphML as it is.
    """
    graph = nx.Graph()
    if "actor" in actors.columns:
        register = actors.loc[:, [c for c in ("actor", *NODE_ATTRIBUTES) if c in actors]]
        register = register.apply(_clean).dropna(subset=["actor"])
        register = register.groupby("actor", sort=False).first()
        for name, row in register.iterrows():
            graph.add_node(
                str(name), in_register=True, **{k: str(v) for k, v in row.dropna().items()}
            )
    elif not actors.empty:
        raise ValueError("actors needs an 'actor' column")

    if relations is None or relations.empty:
        return graph
    missing = {"source", "target"} - set(relations.columns)
    if missing:
        raise ValueError(f"relations needs the columns {sorted(missing)}")
    pairs = pd.DataFrame(
        {"source": _clean(relations["source"]), "target": _clean(relations["target"])}
    )
    for column in SCORES:
        if column in relations:
            pairs[column] = _scores(relations[column])
    if "reporter" in relations:
        pairs["reporter"] = _clean(relations["reporter"])
    pairs = pairs.dropna(subset=["source", "target"])
    pairs = pairs.loc[pairs["source"] != pairs["target"]]
    in_order = pairs["source"] < pairs["target"]
    pairs = pairs.assign(
        first=pairs["source"].where(in_order, pairs["target"]),
        second=pairs["target"].where(in_order, pairs["source"]),
    )

    unknown = sorted(set(pairs["first"]).union(pairs["second"]) - set(graph))
    graph.add_nodes_from(unknown, in_register=False)

    merged = pairs.groupby(["first", "second"], sort=True).agg(
        reports=("source", "size"),
        **{column: (column, "mean") for column in SCORES if column in pairs},
        **({"reporters": ("reporter", "nunique")} if "reporter" in pairs else {}),
    )
    for (first_actor, second_actor), row in merged.iterrows():
        data: dict[str, Any] = {"reports": int(row["reports"])}
        if "reporters" in row:
            data["reporters"] = int(row["reporters"])
        data.update({c: float(row[c]) for c in SCORES if c in row and pd.notna(row[c])})
        graph.add_edge(str(first_actor), str(second_actor), **data)
    return graph


def _components(graph: nx.Graph) -> dict[Hashable, int]:
    """Component number per node: 1 is the largest part, ties by the first actor name."""
    parts = sorted(
        nx.connected_components(graph), key=lambda part: (-len(part), min(map(str, part)))
    )
    return {node: number for number, part in enumerate(parts, start=1) for node in part}


def network_measures(graph: nx.Graph) -> pd.DataFrame:
    """Measures per actor, sorted by name, with networkx's own definitions.

    Columns: ``actor``; ``degree`` (number of relations); ``degree_centrality`` (degree
    divided by the number of other actors; 0 for an actor alone, where networkx says 1);
    ``betweenness`` (the share of shortest paths between two other actors that pass
    through this one, unweighted and normalised, :func:`networkx.betweenness_centrality`);
    ``closeness`` (:func:`networkx.closeness_centrality`: in a network of separate parts it
    is scaled by the share of actors that can be reached); ``component`` (1 for the largest
    connected part, then by size); ``is_isolated`` (no relations at all); ``is_broker``.

    A *broker* (verbinder) is an articulation point: an actor whose departure would split
    their part of the network, so that some of the others can no longer reach each other.
    Unlike "high betweenness" this needs no threshold and is easy to explain in the room
    ("zonder haar vallen deze actoren los"). Strength and trust are not used, because not
    every report rates them.
    """
    nodes = sorted(graph, key=str)
    degree_centrality = nx.degree_centrality(graph) if len(graph) > 1 else {}
    betweenness = nx.betweenness_centrality(graph)
    closeness = nx.closeness_centrality(graph)
    component = _components(graph)
    brokers = set(nx.articulation_points(graph))
    return pd.DataFrame(
        {
            "actor": [str(n) for n in nodes],
            "degree": [graph.degree(n) for n in nodes],
            "degree_centrality": [degree_centrality.get(n, 0.0) for n in nodes],
            "betweenness": [betweenness[n] for n in nodes],
            "closeness": [closeness[n] for n in nodes],
            "component": [component[n] for n in nodes],
            "is_isolated": [graph.degree(n) == 0 for n in nodes],
            "is_broker": [n in brokers for n in nodes],
        }
    ).astype(
        {
            "actor": "string",
            "degree": "int64",
            "degree_centrality": "float64",
            "betweenness": "float64",
            "closeness": "float64",
            "component": "int64",
            "is_isolated": "bool",
            "is_broker": "bool",
        }
    )


def network_summary(graph: nx.Graph) -> pd.Series:
    """Key figures of the whole network, indexed as :data:`SUMMARY_LABELS` (which has Dutch texts).

    ``density`` is :func:`networkx.density`; ``average_degree`` is twice the relations per
    actor; ``brokers`` counts the articulation points (see :func:`network_measures`) and
    ``broker_names`` lists them by name. An empty network gives zeros, not an error.
    """
    actors = graph.number_of_nodes()
    parts = [len(part) for part in nx.connected_components(graph)]
    brokers = sorted(map(str, nx.articulation_points(graph)))
    figures = {
        "actors": actors,
        "relations": graph.number_of_edges(),
        "density": float(nx.density(graph)),
        "components": len(parts),
        "largest_component": max(parts, default=0),
        "isolated": nx.number_of_isolates(graph),
        "average_degree": 2 * graph.number_of_edges() / actors if actors else 0.0,
        "brokers": len(brokers),
        "broker_names": brokers,
        "not_in_register": sum(not d for _, d in graph.nodes(data="in_register", default=True)),
    }
    return pd.Series(figures, index=list(SUMMARY_LABELS), dtype="object", name="network")


def _storable(data: Mapping[str, Any]) -> dict[str, Any]:
    """Attributes GraphML can hold: ``None`` and ``NaN`` left out, NumPy scalars made plain."""
    result = {}
    for key, value in data.items():
        if isinstance(value, np.generic):
            value = value.item()
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        result[key] = value
    return result


def write_graphml(graph: nx.Graph, path: str | os.PathLike[str]) -> None:
    """Save the network as GraphML (readable by Gephi, yEd and :func:`read_graphml`).

    GraphML cannot store "no value", so ``None`` and ``NaN`` attributes are left out, as
    :func:`relations_graph` does anyway; NumPy numbers are written as plain numbers. Other
    values GraphML has no type for (lists, dicts) raise :class:`networkx.NetworkXError`. The
    graph passed in is not changed.
    """
    clean = nx.Graph()
    clean.graph.update(_storable(graph.graph))
    clean.add_nodes_from((node, _storable(data)) for node, data in graph.nodes(data=True))
    clean.add_edges_from((u, v, _storable(data)) for u, v, data in graph.edges(data=True))
    nx.write_graphml(clean, path)


def read_graphml(path: str | os.PathLike[str]) -> nx.Graph:
    """Read a network saved by :func:`write_graphml`: the same nodes, edges and attributes.

    Node ids come back as ``str`` (GraphML stores them as text). The empty
    ``node_default``/``edge_default`` entries networkx's reader adds are removed.
    """
    graph = nx.Graph(nx.read_graphml(path, node_type=str))
    for key in ("node_default", "edge_default"):
        if graph.graph.get(key) == {}:
            del graph.graph[key]
    return graph


def _start(node: Hashable, seed: int) -> tuple[float, float]:
    """A start position that depends only on the actor's name (and the seed)."""
    digest = hashlib.blake2b(f"{seed}\x00{node}".encode(), digest_size=16).digest()
    return (
        int.from_bytes(digest[:8], "big") / 2**64 * 2 - 1,
        int.from_bytes(digest[8:], "big") / 2**64 * 2 - 1,
    )


def layout(graph: nx.Graph, seed: int = 42) -> pd.DataFrame:
    """Positions for drawing: ``actor, x, y``, sorted by actor, the same at every refresh.

    Actors with relations are placed by :func:`networkx.spring_layout` (unweighted), in
    ``[-1, 1]``. Each actor starts from a point derived from their own name and ``seed``,
    not from a shared random stream, so the result does not depend on the order of the
    input rows and a new actor moves the others a little instead of reshuffling them.
    Actors without relations stand in rows below the rest (at most eight a row, sorted by
    name): adding one leaves the others where they were. Networks of 500 actors or more are
    drawn on a circle (spring_layout would need scipy).
    """
    nodes = sorted(graph, key=str)
    linked = [n for n in nodes if graph.degree(n) > 0]
    alone = [n for n in nodes if graph.degree(n) == 0]
    positions: dict[Hashable, tuple[float, float]] = {}
    if len(graph) >= _SPRING_LIMIT:
        circle = nx.circular_layout(nodes)
        positions = {n: (float(p[0]), float(p[1])) for n, p in circle.items()}
        linked, alone = nodes, []
    elif linked:
        ordered = nx.Graph()
        ordered.add_nodes_from(linked)
        ordered.add_edges_from(sorted((tuple(sorted(e, key=str)) for e in graph.edges), key=str))
        spring = nx.spring_layout(
            ordered, pos={n: _start(n, seed) for n in linked}, weight=None, seed=seed
        )
        positions = {n: (float(p[0]), float(p[1])) for n, p in spring.items()}
    top = -1.4 if linked else 0.0
    per_row = 8
    for index, node in enumerate(alone):
        row, column = divmod(index, per_row)
        in_row = min(per_row, len(alone) - row * per_row)
        x = 0.0 if in_row == 1 else -1 + 2 * column / (in_row - 1)
        positions[node] = (x, top - 0.3 * row)
    return pd.DataFrame(
        {
            "actor": pd.array([str(n) for n in nodes], dtype="string"),
            "x": [positions[n][0] for n in nodes],
            "y": [positions[n][1] for n in nodes],
        }
    )


def _node_table(graph: nx.Graph, seed: int) -> pd.DataFrame:
    """Position, measures and register attributes per actor, for the chart."""
    attributes = pd.DataFrame(
        {
            "actor": [str(n) for n in graph],
            "rol": [graph.nodes[n].get("role", _NO_ROLE) for n in graph],
            "organisatie": [graph.nodes[n].get("organisation", "") for n in graph],
            "naam": [graph.nodes[n].get("label", str(n)) for n in graph],
            "in_register": [graph.nodes[n].get("in_register", True) for n in graph],
        }
    ).astype({"actor": "string"})
    measures = network_measures(graph)[["actor", "degree", "betweenness", "is_broker"]]
    table = layout(graph, seed=seed).merge(measures, on="actor").merge(attributes, on="actor")
    table["verbinder"] = table["is_broker"].map({True: "ja", False: "nee"})
    table["register"] = table["in_register"].map({True: "ja", False: "nee, alleen in relaties"})
    return table


def _edge_table(graph: nx.Graph, positions: pd.DataFrame) -> pd.DataFrame:
    """One row per relation with both ends' positions, for the edges layer."""
    rows = [
        (str(u), str(v), d.get("strength", math.nan), d.get("trust", math.nan), d.get("reports", 1))
        for u, v, d in graph.edges(data=True)
    ]
    edges = pd.DataFrame(rows, columns=["van", "met", "sterkte", "vertrouwen", "meldingen"])
    xy = positions.set_index("actor")[["x", "y"]]
    edges = edges.join(xy, on="van").join(xy.rename(columns={"x": "x2", "y": "y2"}), on="met")
    # Unknown strength is drawn as the thinnest line, not left out.
    return edges.assign(dikte=edges["sterkte"].fillna(1.0))


def network_chart(graph: nx.Graph, *, seed: int = 42) -> alt.LayerChart:
    """A node-link drawing of the network: relations under actors under names.

    Lines are as thick as the mean strength (unknown strength: thinnest); circles are
    coloured by role, sized by number of relations and outlined in black for brokers; the
    tooltip shows actor, role, organisation, relations and betweenness. Positions come from
    :func:`layout`, so the picture stays put between refreshes. An empty network gives a
    chart with the text :data:`NO_ACTORS` instead of an error.
    """
    if len(graph) == 0:
        message = pd.DataFrame({"tekst": [NO_ACTORS]})
        text = alt.Chart(message).mark_text(fontSize=16, color="#666").encode(text="tekst:N")
        return alt.layer(text).properties(width=480, height=120)

    width, height, margin = 520, 420, 0.25
    nodes = _node_table(graph, seed)
    edges = _edge_table(graph, nodes[["actor", "x", "y"]])
    y_domain = [nodes["y"].min() - margin, nodes["y"].max() + margin]
    x_scale = alt.Scale(domain=[nodes["x"].min() - margin, nodes["x"].max() + margin])
    x = alt.X("x:Q", axis=None, scale=x_scale)
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=y_domain))
    # Circle areas follow the size scale below; each name sits just above its own circle.
    most = max(1, int(nodes["degree"].max()))
    area = _SIZE_RANGE[0] + (_SIZE_RANGE[1] - _SIZE_RANGE[0]) * nodes["degree"] / most
    pixels = np.sqrt(area / np.pi) + 3
    nodes["naam_y"] = nodes["y"] + pixels * (y_domain[1] - y_domain[0]) / height
    step = max(1, math.ceil(most / 4))

    lines = (
        alt.Chart(edges)
        .mark_rule(color="#999", opacity=0.7)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth(
                "dikte:Q", scale=alt.Scale(domain=[1, 5], range=[0.75, 6]), legend=None
            ),
            tooltip=[
                alt.Tooltip("van:N", title="actor"),
                alt.Tooltip("met:N", title="werkt samen met"),
                alt.Tooltip("sterkte:Q", title="sterkte (gemiddeld)", format=".1f"),
                alt.Tooltip("vertrouwen:Q", title="vertrouwen (gemiddeld)", format=".1f"),
                alt.Tooltip("meldingen:Q", title="aantal keer genoemd"),
            ],
        )
    )
    circles = (
        alt.Chart(nodes)
        .mark_circle(opacity=1, stroke="#222")
        .encode(
            x=x,
            y=y,
            color=alt.Color("rol:N", title="rol"),
            size=alt.Size(
                "degree:Q",
                title="aantal relaties",
                scale=alt.Scale(domain=[0, most], range=list(_SIZE_RANGE)),
                legend=alt.Legend(values=list(range(0, most + 1, step)), format="d"),
            ),
            strokeWidth=alt.when(alt.datum.is_broker).then(alt.value(2.5)).otherwise(alt.value(0)),
            tooltip=[
                alt.Tooltip("actor:N", title="actor"),
                alt.Tooltip("rol:N", title="rol"),
                alt.Tooltip("organisatie:N", title="organisatie"),
                alt.Tooltip("degree:Q", title="aantal relaties"),
                alt.Tooltip("betweenness:Q", title="tussenpositie (betweenness)", format=".2f"),
                alt.Tooltip("verbinder:N", title="verbinder"),
                alt.Tooltip("register:N", title="in het register"),
            ],
        )
    )
    names = (
        alt.Chart(nodes)
        .mark_text(baseline="bottom", fontSize=11, color="#222")
        .encode(x=x, y=alt.Y("naam_y:Q", scale=alt.Scale(domain=y_domain)), text="naam:N")
    )
    return alt.layer(lines, circles, names).properties(
        width=width, height=height, view=alt.ViewBackground(stroke=None)
    )
