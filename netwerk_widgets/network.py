"""The Actor building block as a network: who works with whom, and who holds it together.

The group's actor register and the pairs participants report become one undirected
:class:`networkx.Graph` (:func:`relations_graph`). From it come the measures per actor
(:func:`network_measures`), a summary of the whole network (:func:`network_summary`),
stable positions for a drawing (:func:`layout`; the drawing itself is
:func:`netwerk_widgets.charts.network_chart`) and a GraphML file for other tools such as
Gephi (:func:`write_graphml`, :func:`read_graphml`).

Not imported by the package itself: participant kernels stay light. Actor names are the
node ids, always ``str``; the texts users see (:func:`summary_labels`) come from the
message catalogue.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

SUMMARY_FIELDS = (
    "actors",
    "relations",
    "density",
    "components",
    "largest_component",
    "isolated",
    "average_degree",
    "brokers",
    "broker_names",
    "not_in_register",
)
"""The index of :func:`network_summary`, in order; :func:`summary_labels` names them."""

NODE_ATTRIBUTES = ("role", "organisation", "label")
SCORES = ("strength", "trust")
DEFAULT_SCALE = (1, 5)
"""The scale of strength and trust when neither the caller nor the relations say otherwise."""
# Above this size spring_layout needs scipy, which is not a dependency: draw a circle instead.
_SPRING_LIMIT = 500


def summary_labels(language: str = "nl") -> dict[str, str]:
    """The texts of :data:`SUMMARY_FIELDS` in ``language``, from the message catalogue."""
    from .messages import messages

    say = messages(language)
    return {name: say(f"stats.network.{name}") for name in SUMMARY_FIELDS}


def _clean(values: pd.Series) -> pd.Series:
    """Texts with surrounding and repeated whitespace removed; empty becomes ``<NA>``."""
    text = values.astype("string").str.split().str.join(" ")
    return text.mask(text == "")


def _scale(relations: pd.DataFrame, scale: tuple[int, int] | None) -> tuple[int, int]:
    """The scale of strength and trust: ``scale``, else the relations' own, else 1-5."""
    if scale is None and {"scale_min", "scale_max"} <= set(relations.columns):
        declared = relations[["scale_min", "scale_max"]].apply(pd.to_numeric, errors="coerce")
        declared = declared.dropna()
        if len(declared):
            scale = (int(declared["scale_min"].min()), int(declared["scale_max"].max()))
    try:
        low, high = scale if scale is not None else DEFAULT_SCALE
        whole = int(low) == low and int(high) == high and low < high
    except (TypeError, ValueError):
        whole = False
    if not whole:
        from .messages import messages

        raise ValueError(messages()("stats.error.bad_scale", scale=repr(scale)))
    return int(low), int(high)


def _scores(values: pd.Series, scale: tuple[int, int]) -> pd.Series:
    """Ratings as floats; anything that is not a number on ``scale`` becomes ``NaN``."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float")
    return numbers.where(numbers.between(*scale))


def relations_graph(
    actors: pd.DataFrame,
    relations: pd.DataFrame | None = None,
    *,
    scale: tuple[int, int] | None = None,
) -> nx.Graph:
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
        (ratings on ``scale``) and ``reporter`` (participant id). Ratings that are not a
        number on the scale (such as "weet ik niet") count as not given.
    scale : tuple of int, optional
        ``(lowest, highest)`` point of strength and trust; without it the relations'
        ``scale_min``/``scale_max`` columns, else 1-5.

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
    ratings = _scale(relations, scale)
    for column in SCORES:
        if column in relations:
            pairs[column] = _scores(relations[column], ratings)
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
    """Key figures of the whole network, indexed as :data:`SUMMARY_FIELDS`.

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
    return pd.Series(figures, index=list(SUMMARY_FIELDS), dtype="object", name="network")


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
