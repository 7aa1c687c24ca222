from __future__ import annotations

from pathlib import Path

import altair as alt
import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netwerk_widgets import charts
from netwerk_widgets import network as nw
from netwerk_widgets.messages import messages


def frames(graph: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The register and relations a group would enter for a networkx example graph."""
    actors = pd.DataFrame({"actor": [str(n) for n in graph]})
    relations = pd.DataFrame(
        [
            (str(u), str(v), min(5, d.get("weight", 3)), f"p{i % 4}")
            for i, (u, v, d) in enumerate(graph.edges(data=True))
        ],
        columns=["source", "target", "strength", "reporter"],
    )
    return actors, relations


EXAMPLES = {
    "karate": nx.karate_club_graph,
    "florentine": nx.florentine_families_graph,
    "les_miserables": nx.les_miserables_graph,
}


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_measures_agree_with_networkx(name: str) -> None:
    original = nx.relabel_nodes(EXAMPLES[name](), str)
    actors, relations = frames(original)
    graph = nw.relations_graph(actors, relations)
    assert set(graph) == set(original)
    assert {frozenset(e) for e in graph.edges} == {frozenset(e) for e in original.edges}

    measures = nw.network_measures(graph).set_index("actor")
    assert list(measures.index) == sorted(original)
    expected = {
        "degree": dict(original.degree),
        "degree_centrality": nx.degree_centrality(original),
        "betweenness": nx.betweenness_centrality(original),
        "closeness": nx.closeness_centrality(original),
    }
    for column, values in expected.items():
        assert measures[column].to_dict() == pytest.approx(values), column
    brokers = set(measures.index[measures["is_broker"]])
    assert brokers == set(nx.articulation_points(original))
    assert not measures["is_isolated"].any() and (measures["component"] == 1).all()

    summary = nw.network_summary(graph)
    assert summary["actors"] == original.number_of_nodes()
    assert summary["relations"] == original.number_of_edges()
    assert summary["density"] == pytest.approx(nx.density(original))
    assert summary["components"] == nx.number_connected_components(original) == 1
    assert summary["largest_component"] == len(original)
    assert summary["isolated"] == 0 and summary["not_in_register"] == 0
    assert summary["average_degree"] == pytest.approx(2 * len(original.edges) / len(original))
    assert summary["brokers"] == len(brokers) and summary["broker_names"] == sorted(brokers)


def test_known_brokers_of_the_example_networks() -> None:
    karate = nw.relations_graph(*frames(nx.karate_club_graph()))
    assert nw.network_summary(karate)["broker_names"] == ["0"]  # the instructor, Mr. Hi

    florentine = nw.relations_graph(*frames(nx.florentine_families_graph()))
    measures = nw.network_measures(florentine).set_index("actor")
    assert measures["betweenness"].idxmax() == "Medici"
    assert set(measures.index[measures["is_broker"]]) == {
        "Albizzi",
        "Guadagni",
        "Medici",
        "Salviati",
    }
    # Without the Medici, the Acciaiuoli lose touch with everyone else.
    assert not nx.is_connected(nx.restricted_view(florentine, ["Medici"], []))


def test_parts_and_isolated_actors_are_numbered_by_size() -> None:
    actors = pd.DataFrame({"actor": ["Ans", "Bas", "Cor", "Dik", "Eef", "Fee"]})
    relations = pd.DataFrame({"source": ["Dik", "Eef", "Ans"], "target": ["Eef", "Fee", "Bas"]})
    graph = nw.relations_graph(actors, relations)
    measures = nw.network_measures(graph).set_index("actor")
    assert measures["component"].to_dict() == {
        "Dik": 1,
        "Eef": 1,
        "Fee": 1,
        "Ans": 2,
        "Bas": 2,
        "Cor": 3,
    }
    assert measures["is_isolated"].to_dict()["Cor"] and measures.loc["Cor", "degree"] == 0
    assert measures.loc["Cor", "degree_centrality"] == 0 and measures.loc["Cor", "closeness"] == 0
    assert list(measures.index[measures["is_broker"]]) == ["Eef"]
    summary = nw.network_summary(graph)
    assert summary[["components", "largest_component", "isolated"]].tolist() == [3, 3, 1]
    assert list(summary.index) == list(nw.SUMMARY_FIELDS)
    assert list(nw.summary_labels()) == list(nw.SUMMARY_FIELDS)
    assert nw.summary_labels()["brokers"] == "aantal verbinders"
    assert nw.summary_labels("en")["brokers"] == "number of brokers"


def test_a_lone_actor_is_not_called_central() -> None:
    graph = nw.relations_graph(pd.DataFrame({"actor": ["Ans"]}))
    row = nw.network_measures(graph).iloc[0]
    assert row["degree_centrality"] == 0 and row["is_isolated"] and not row["is_broker"]


def test_reports_merge_and_the_register_decides_who_is_known() -> None:
    actors = pd.DataFrame(
        {
            "actor": ["Anna", " Bob ", "Cas", "Dirk", "", None, "Anna"],
            "role": ["trekker", None, "kern", "", None, None, "kern"],
            "organisation": [None, "Gemeente", None, None, None, None, "Muziekschool"],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["Anna", "Bob", "Anna", "Cas", "Eva", "Anna", None, "Bob"],
            "target": ["Bob", "Anna", "Anna", "Bob", "Anna", "Bob", "Cas", "Anna"],
            "strength": [4, "2", 5, "weet ik niet", 3, 9, 1, None],
            "trust": [5, 3, None, None, 1, 1, 1, 1],
            "reporter": ["p1", "p2", "p1", "p1", "p3", "p1", "p1", "p2"],
        }
    )
    before = (actors.copy(), relations.copy())
    graph = nw.relations_graph(actors, relations)
    pd.testing.assert_frame_equal(actors, before[0])  # the input is not changed
    pd.testing.assert_frame_equal(relations, before[1])

    assert sorted(graph) == ["Anna", "Bob", "Cas", "Dirk", "Eva"]
    assert graph.nodes["Dirk"] == {"in_register": True}  # isolated, and no empty role
    assert graph.nodes["Eva"] == {"in_register": False}  # only named in a relation
    # Each attribute takes the first value given; whitespace does not make a new actor.
    assert graph.nodes["Anna"] == {
        "in_register": True,
        "role": "trekker",
        "organisation": "Muziekschool",
    }
    assert graph.nodes["Bob"] == {"in_register": True, "organisation": "Gemeente"}

    assert graph.number_of_edges() == 3 and not list(nx.selfloop_edges(graph))
    # Anna-Bob was reported four times, both ways; 9 is no rating, nor is an empty cell.
    assert graph.edges["Bob", "Anna"] == {
        "reports": 4,
        "reporters": 2,
        "strength": pytest.approx(3.0),
        "trust": pytest.approx(2.5),
    }
    assert graph.edges["Cas", "Bob"] == {"reports": 1, "reporters": 1}  # "weet ik niet"
    assert graph.edges["Anna", "Eva"] == {
        "reports": 1,
        "reporters": 1,
        "strength": 3.0,
        "trust": 1.0,
    }
    summary = nw.network_summary(graph)
    assert summary["not_in_register"] == 1 and summary["isolated"] == 1


def test_relations_without_ratings_or_reporter() -> None:
    graph = nw.relations_graph(
        pd.DataFrame({"actor": ["A", "B"]}),
        pd.DataFrame({"source": ["A", "B"], "target": ["B", "A"]}),
    )
    assert list(graph.edges(data=True)) == [("A", "B", {"reports": 2})]


def test_frames_without_the_needed_columns_are_refused() -> None:
    with pytest.raises(ValueError, match="actor"):
        nw.relations_graph(pd.DataFrame({"naam": ["A"]}))
    with pytest.raises(ValueError, match="target"):
        nw.relations_graph(pd.DataFrame({"actor": ["A"]}), pd.DataFrame({"source": ["A"]}))


def test_graphml_round_trip_keeps_nodes_edges_attributes_and_types(tmp_path: Path) -> None:
    actors = pd.DataFrame(
        {
            "actor": ["Anna & <Bob>", "Cas", "Dirk"],
            "role": ["trekker", "kern", None],
            "label": ["A&B", None, "D"],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["Anna & <Bob>", "Cas", "Cas"],
            "target": ["Cas", "Anna & <Bob>", "Eva"],
            "strength": [4, 3, None],
            "trust": [5, None, 2],
            "reporter": ["p1", "p2", "p1"],
        }
    )
    graph = nw.relations_graph(actors, relations)
    path = tmp_path / "netwerk.graphml"
    nw.write_graphml(graph, path)
    back = nw.read_graphml(path)
    assert nx.utils.graphs_equal(back, graph)
    for node, data in graph.nodes(data=True):
        assert {k: type(v) for k, v in back.nodes[node].items()} == {
            k: type(v) for k, v in data.items()
        }
    for u, v, data in graph.edges(data=True):
        assert {k: type(x) for k, x in back.edges[u, v].items()} == {
            k: type(x) for k, x in data.items()
        }
    assert back.nodes["Eva"]["in_register"] is False
    assert back.edges["Cas", "Eva"]["reports"] == 1 and back.edges["Cas", "Eva"]["trust"] == 2.0


def test_graphml_leaves_out_what_it_cannot_store(tmp_path: Path) -> None:
    graph = nx.Graph(naam="netwerk", leeg=None)
    graph.add_node("A", role=None, score=float("nan"), count=np.int64(3), share=np.float64(0.5))
    graph.add_edge("A", "B", strength=np.float64(4.0), trust=None, shared=np.bool_(True))
    nw.write_graphml(graph, tmp_path / "n.graphml")
    assert graph.nodes["A"]["role"] is None  # the graph passed in is not changed
    back = nw.read_graphml(tmp_path / "n.graphml")
    assert back.graph == {"naam": "netwerk"}
    assert back.nodes["A"] == {"count": 3, "share": 0.5}
    assert type(back.nodes["A"]["count"]) is int
    assert back.edges["A", "B"] == {"strength": 4.0, "shared": True}
    assert back.edges["A", "B"]["shared"] is True


def test_layout_is_the_same_every_time_and_for_any_row_order() -> None:
    actors, relations = frames(nx.florentine_families_graph())
    actors = pd.concat([actors, pd.DataFrame({"actor": ["Zonder relaties"]})])
    first = nw.layout(nw.relations_graph(actors, relations))
    assert list(first.columns) == ["actor", "x", "y"]
    assert first["actor"].is_monotonic_increasing and first[["x", "y"]].notna().all().all()
    pd.testing.assert_frame_equal(first, nw.layout(nw.relations_graph(actors, relations)))

    shuffled = relations.sample(frac=1, random_state=3).rename(
        columns={"source": "target", "target": "source"}
    )
    again = nw.layout(nw.relations_graph(actors.sample(frac=1, random_state=4), shuffled))
    pd.testing.assert_frame_equal(first, again)

    other_seed = nw.layout(nw.relations_graph(actors, relations), seed=7)
    assert not np.allclose(first[["x", "y"]], other_seed[["x", "y"]])


def test_new_actors_do_not_reshuffle_the_drawing() -> None:
    actors, relations = frames(nx.florentine_families_graph())
    before = nw.layout(nw.relations_graph(actors, relations)).set_index("actor")

    # An actor without relations goes to the row below: nobody else moves.
    alone = pd.concat([actors, pd.DataFrame({"actor": ["Nieuw"]})])
    after = nw.layout(nw.relations_graph(alone, relations)).set_index("actor")
    pd.testing.assert_frame_equal(after.drop(index="Nieuw"), before)
    assert after.loc["Nieuw", "y"] < before["y"].min()

    # One with a relation moves the others a little (the space is about 2 wide).
    linked = pd.concat([relations, pd.DataFrame({"source": ["Nieuw"], "target": ["Strozzi"]})])
    after = nw.layout(nw.relations_graph(alone, linked)).set_index("actor").loc[before.index]
    moved = np.hypot(after["x"] - before["x"], after["y"] - before["y"])
    assert moved.mean() < 0.25


def test_network_chart_is_a_layer_chart_that_renders_offline_and_escapes_names() -> None:
    name = "<script>alert(1)</script>"
    actors = pd.DataFrame(
        {
            "actor": ["Anna", "Bob", "Cas", "Dirk", name],
            "role": ["trekker", None, "kern", "", "kern"],
            "organisation": ["Gemeente", None, None, None, "Bibliotheek"],
        }
    )
    relations = pd.DataFrame(
        {
            "source": ["Anna", "Bob", "Cas", "Bob"],
            "target": ["Bob", "Cas", name, "Anna"],
            "strength": [4, 2, None, 5],
        }
    )
    chart = charts.network_chart(nw.relations_graph(actors, relations))
    assert isinstance(chart, alt.LayerChart) and len(chart.layer) == 3

    changed = chart.properties(title="Ons netwerk")
    assert changed.to_dict()["title"] == "Ons netwerk" and "title" not in chart.to_dict()

    spec = chart.to_dict()
    assert all(layer["encoding"]["x"].get("axis", {}) is None for layer in spec["layer"])
    datasets = spec["datasets"].values()
    edges = next(rows for rows in datasets if rows and "thickness" in rows[0])
    nodes = next(rows for rows in datasets if rows and "role" in rows[0])
    assert len(edges) == 3 and len(nodes) == 5  # aggregated: one row per relation / actor
    assert {e["thickness"] for e in edges} == {4.5, 2.0, 1.0}
    assert {n["actor"]: n["broker"] for n in nodes}["Bob"] == "ja"
    assert {n["actor"]: n["role"] for n in nodes}["Dirk"] == "(geen rol)"

    svg = charts.to_svg(changed)
    assert svg.startswith("<svg") and "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg
    assert "Ons netwerk" in svg and ">Anna</text>" in svg


def test_an_empty_register_gives_empty_tables_and_a_chart_that_says_so() -> None:
    for actors, relations in [
        (pd.DataFrame(), None),
        (pd.DataFrame(columns=["actor", "role"]), pd.DataFrame(columns=["source", "target"])),
        (pd.DataFrame({"actor": ["", None]}), pd.DataFrame({"source": [None], "target": ["A"]})),
    ]:
        graph = nw.relations_graph(actors, relations)
        assert graph.number_of_nodes() == 0
        measures = nw.network_measures(graph)
        assert measures.empty and list(measures.columns) == [
            "actor",
            "degree",
            "degree_centrality",
            "betweenness",
            "closeness",
            "component",
            "is_isolated",
            "is_broker",
        ]
        summary = nw.network_summary(graph)
        assert summary["actors"] == summary["relations"] == summary["density"] == 0
        assert summary["broker_names"] == []
        assert nw.layout(graph).empty
        chart = charts.network_chart(graph)
        assert isinstance(chart, alt.LayerChart)
        assert "Nog geen actoren" in charts.to_svg(chart.properties(title="Actoren"))
        english = charts.to_svg(charts.network_chart(graph, language="en"))
        assert messages("en")("charts.network.no_actors") in english


def test_a_register_without_relations_is_drawn_as_rows() -> None:
    actors = pd.DataFrame({"actor": [f"Actor {i:02d}" for i in range(11)]})
    graph = nw.relations_graph(actors, pd.DataFrame(columns=["source", "target"]))
    positions = nw.layout(graph)
    assert positions["y"].value_counts().tolist() == [8, 3]
    assert positions[["x", "y"]].duplicated().sum() == 0
    assert charts.to_svg(charts.network_chart(graph)).count(">Actor ") == 11


def test_ratings_on_another_scale_count_as_given() -> None:
    actors = pd.DataFrame({"actor": ["A", "B", "C"]})
    relations = pd.DataFrame(
        {
            "source": ["A", "B", "A"],
            "target": ["B", "C", "C"],
            "strength": [7, 6, 0],
            "trust": [1, 7, 9],
        }
    )
    default = nw.relations_graph(actors, relations)  # 1-5: the 6, 7, 0 and 9 are no ratings
    assert "strength" not in default.edges["A", "B"] and default.edges["A", "B"]["trust"] == 1
    seven = nw.relations_graph(actors, relations, scale=(1, 7))
    assert seven.edges["A", "B"]["strength"] == 7 and seven.edges["B", "C"]["trust"] == 7
    assert "strength" not in seven.edges["A", "C"] and "trust" not in seven.edges["A", "C"]
    declared = nw.relations_graph(actors, relations.assign(scale_min=0, scale_max=10))
    assert declared.edges["A", "C"]["strength"] == 0 and declared.edges["A", "C"]["trust"] == 9
    with pytest.raises(ValueError, match="schaal"):
        nw.relations_graph(actors, relations, scale=(5, 1))

    chart = charts.network_chart(seven, scale=(1, 7)).to_dict()
    lines = next(layer for layer in chart["layer"] if layer["mark"]["type"] == "rule")
    assert lines["encoding"]["strokeWidth"]["scale"]["domain"] == [1, 7]
    # unknown strength is the thinnest line: the lowest point of the scale
    unrated = nw.relations_graph(actors, relations.assign(strength="weet ik niet"), scale=(0, 10))
    ten = charts.network_chart(unrated, scale=(0, 10)).to_dict()
    edges = next(rows for rows in ten["datasets"].values() if rows and "thickness" in rows[0])
    assert {e["thickness"] for e in edges} == {0}


def test_network_chart_speaks_english() -> None:
    graph = nw.relations_graph(
        pd.DataFrame({"actor": ["A", "B"], "role": ["kern", None]}),
        pd.DataFrame({"source": ["A"], "target": ["B"], "strength": [3]}),
    )
    spec = charts.network_chart(graph, language="en").to_dict()
    titles = {t["title"] for layer in spec["layer"] for t in layer["encoding"].get("tooltip", [])}
    assert {"works with", "strength (mean)", "betweenness", "in the register"} <= titles
    nodes = next(rows for rows in spec["datasets"].values() if rows and "role" in rows[0])
    assert {n["actor"]: n["role"] for n in nodes}["B"] == "(no role)"
    assert "number of relations" in charts.to_svg(charts.network_chart(graph, language="en"))
