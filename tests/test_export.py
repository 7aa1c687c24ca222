"""Exports: each format read back by its own reader gives what load_answers gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest

from netwerk_widgets import NetwerkError, Store, analysis, load_answers, network
from netwerk_widgets.cli import main
from netwerk_widgets.export import export_answers, export_network
from netwerk_widgets.store import Answer

TEXT_COLUMNS = ["session", "participant", "block", "question", "item", "field", "value"]


def _secrets(store: Store) -> list[str]:
    """Every participant token and trainer key in the store."""
    sessions = store.sessions()
    tokens = [p.token for s in sessions for p in store.participants(s.code)]
    return tokens + [s.trainer_key for s in sessions]


def _same_answers(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Equal rows and values; empty text and a missing value count as the same."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for column in [*TEXT_COLUMNS, "template_version"]:
        assert got[column].fillna("").astype(str).tolist() == (
            expected[column].fillna("").astype(str).tolist()
        ), column
    pd.testing.assert_series_equal(
        pd.to_numeric(got["value_num"]).astype("float64"),
        expected["value_num"],
        check_names=False,
    )


def _second_session(store: Store) -> None:
    store.create_session(
        "Tweede sessie", template="netwerkwerkboek", template_version="1.1", code="TWEEDE"
    )
    person = store.join("TWEEDE", "Zoë")
    store.append(
        person, [Answer("identiteit", "waarom", "Omdat het samen beter gaat.", "", "text")]
    )
    # An edit: history has both rows, the current answers only the second.
    store.append(person, [Answer("identiteit", "waarom", "Omdat het samen kan.", "", "text")])


def test_csv_reads_back_as_load_answers(demo_store: Store, tmp_path: Path) -> None:
    path = export_answers(tmp_path / "antwoorden.csv", "DEMO", store=demo_store)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel sees UTF-8
    expected = load_answers("DEMO", store=demo_store, hidden=True)
    got = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    _same_answers(got, expected)
    answered = pd.to_datetime(got["answered_at"], utc=True, format="ISO8601")
    pd.testing.assert_series_equal(answered, expected["answered_at"], check_names=False)
    assert "Eén gezamenlijke muziekagenda voor de regio" in set(got["item"])


def test_xlsx_has_answers_and_participants_sheets(demo_store: Store, tmp_path: Path) -> None:
    path = export_answers(tmp_path / "antwoorden.xlsx", "DEMO", store=demo_store)
    expected = load_answers("DEMO", store=demo_store, hidden=True)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["antwoorden", "deelnemers"]
    sheets = pd.read_excel(path, sheet_name=None, dtype=str)
    _same_answers(sheets["antwoorden"], expected)

    # answered_at: naive UTC, as close as Excel stores it (a millisecond).
    stamps = [row[0] for row in book["antwoorden"].iter_rows(min_row=2, min_col=9, max_col=9)]
    assert all(cell.value.tzinfo is None for cell in stamps)
    naive = pd.Series([cell.value for cell in stamps], dtype="datetime64[us]")
    difference = (naive.dt.tz_localize("UTC") - expected["answered_at"]).abs()
    assert difference.max() < pd.Timedelta(milliseconds=1)

    people = pd.read_excel(path, sheet_name="deelnemers")
    participants = analysis.load_participants("DEMO", store=demo_store)
    assert list(people.columns) == ["session", "participant", "display_name", "anonymous"]
    assert people["participant"].tolist() == participants["participant"].tolist()
    assert people["display_name"].tolist() == participants["display_name"].tolist()
    assert people["anonymous"].tolist() == participants["anonymous"].tolist()


def test_xlsx_keeps_answers_that_look_like_formulas_as_text(
    demo_store: Store, tmp_path: Path
) -> None:
    person = demo_store.join("DEMO", '=HYPERLINK("http://example.org","klik")')
    demo_store.append(person, [Answer("identiteit", "waarom", "=1+2", "", "text")])
    path = export_answers(tmp_path / "antwoorden.xlsx", "DEMO", store=demo_store)
    book = openpyxl.load_workbook(path)
    cells = [c for row in book.worksheets[0].iter_rows() for c in row if c.value == "=1+2"]
    assert cells and all(c.data_type == "s" for c in cells)
    names = [c for row in book["deelnemers"].iter_rows() for c in row if isinstance(c.value, str)]
    assert [c.data_type for c in names if c.value.startswith("=HYPERLINK")] == ["s"]


def test_parquet_keeps_dtypes(demo_store: Store, tmp_path: Path) -> None:
    path = export_answers(tmp_path / "antwoorden.parquet", "DEMO", store=demo_store)
    expected = load_answers("DEMO", store=demo_store, hidden=True)
    pd.testing.assert_frame_equal(pd.read_parquet(path), expected)
    schema = pq.read_schema(path)
    assert str(schema.field("answered_at").type.tz) in {"UTC", "+00:00"}
    assert pq.read_table(path).num_rows == len(expected)


def test_several_sessions_all_and_history(demo_store: Store, tmp_path: Path) -> None:
    _second_session(demo_store)
    every = export_answers(tmp_path / "alles.parquet", store=demo_store)
    pd.testing.assert_frame_equal(
        pd.read_parquet(every), load_answers(store=demo_store, hidden=True)
    )
    both = export_answers(tmp_path / "twee.parquet", ["DEMO", "tweede"], store=demo_store)
    expected = load_answers(["DEMO", "TWEEDE"], store=demo_store, hidden=True)
    pd.testing.assert_frame_equal(pd.read_parquet(both), expected)
    history = export_answers(tmp_path / "h.csv", "TWEEDE", store=demo_store, history=True)
    got = pd.read_csv(history, dtype=str, keep_default_na=False)
    assert got["value"].tolist() == ["Omdat het samen beter gaat.", "Omdat het samen kan."]
    current = pd.read_csv(export_answers(tmp_path / "c.csv", "TWEEDE", store=demo_store))
    assert current["value"].tolist() == ["Omdat het samen kan."]
    people = pd.read_excel(
        export_answers(tmp_path / "t.xlsx", ["DEMO", "TWEEDE"], store=demo_store), "deelnemers"
    )
    assert people.groupby("session").size().to_dict() == {"DEMO": 8, "TWEEDE": 1}


def test_network_reads_back_as_the_actor_network(demo_store: Store, tmp_path: Path) -> None:
    path = export_network(tmp_path / "netwerk.graphml", "demo", store=demo_store)
    graph = network.read_graphml(path)
    answers = load_answers("DEMO", store=demo_store, hidden=True)
    register = analysis.actor_register(answers)
    expected = network.relations_graph(register, analysis.actor_relations(answers))
    assert set(graph.nodes) == set(expected.nodes)
    assert {frozenset(e) for e in graph.edges} == {frozenset(e) for e in expected.edges}
    for u, v, data in expected.edges(data=True):
        assert graph.edges[u, v] == pytest.approx(data)
    for actor, data in expected.nodes(data=True):
        assert {k: graph.nodes[actor][k] for k in data} == data
    row = register.set_index("actor").loc["Muziekschool De Linge"]
    node = graph.nodes["Muziekschool De Linge"]
    assert node["mentions"] == row["mentions"]
    assert node["involvement"] == pytest.approx(row["involvement"])
    assert graph.graph["session"] == "DEMO"
    assert nx.number_of_nodes(graph) > 10


def test_no_export_contains_a_secret(demo_store: Store, tmp_path: Path) -> None:
    _second_session(demo_store)
    secrets = _secrets(demo_store)
    assert "demo-anouk" in secrets
    texts = []
    for suffix in (".csv", ".xlsx", ".parquet"):
        path = export_answers(tmp_path / f"alles{suffix}", store=demo_store)
        if suffix == ".xlsx":
            with zipfile.ZipFile(path) as archive:
                texts += [archive.read(name).decode() for name in archive.namelist()]
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
            texts.append(frame.to_csv())
            texts.append(path.read_bytes().decode("latin-1"))
        else:
            texts.append(path.read_text(encoding="utf-8-sig"))
    texts.append(export_network(tmp_path / "n.graphml", "DEMO", store=demo_store).read_text())
    for text in texts:
        assert not [secret for secret in secrets if secret in text]
    assert "token" not in texts[0] and "trainer" not in texts[0]


def test_unknown_suffix_is_a_dutch_error(demo_store: Store, tmp_path: Path) -> None:
    with pytest.raises(NetwerkError, match=r"\.csv.*\.xlsx.*\.parquet"):
        export_answers(tmp_path / "antwoorden.json", "DEMO", store=demo_store)
    with pytest.raises(NetwerkError, match="geen extensie"):
        export_answers(tmp_path / "antwoorden", "DEMO", store=demo_store)
    with pytest.raises(NetwerkError, match=r"\.graphml"):
        export_network(tmp_path / "netwerk.gexf", "DEMO", store=demo_store)
    assert not [p for p in tmp_path.iterdir() if p.stem in {"antwoorden", "netwerk"}]


def test_empty_session_gives_header_only(store: Store, tmp_path: Path) -> None:
    store.create_session("Leeg", template="netwerkwerkboek", template_version="1.1", code="LEEG")
    columns = list(load_answers("LEEG", store=store, hidden=True).columns)
    csv = export_answers(tmp_path / "leeg.csv", "LEEG", store=store)
    assert csv.read_text(encoding="utf-8-sig").strip() == ",".join(columns)
    xlsx = pd.read_excel(export_answers(tmp_path / "leeg.xlsx", "LEEG", store=store), None)
    assert list(xlsx["antwoorden"].columns) == columns and xlsx["antwoorden"].empty
    assert xlsx["deelnemers"].empty
    parquet = pd.read_parquet(export_answers(tmp_path / "leeg.parquet", "LEEG", store=store))
    assert str(parquet["answered_at"].dtype) == "datetime64[us, UTC]"
    expected = load_answers("LEEG", store=store, hidden=True).astype(
        {"answered_at": "datetime64[us, UTC]"}
    )
    pd.testing.assert_frame_equal(parquet, expected)
    graph = network.read_graphml(export_network(tmp_path / "leeg.graphml", "LEEG", store=store))
    assert len(graph) == 0


def test_unknown_session_is_an_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(NetwerkError, match="geen sessie"):
        export_answers(tmp_path / "x.csv", "NIEMAND", store=store)
    assert not (tmp_path / "x.csv").exists()


# --- the command ------------------------------------------------------------------------


def test_cli_export_answers_and_network(
    demo_store: Store, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, graph = tmp_path / "demo.xlsx", tmp_path / "demo.graphml"
    args = ["--db", sqlite_url, "export", "DEMO", "--out", str(out), "--network", str(graph)]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert "[1/2]" in captured.err and "[2/2]" in captured.err
    assert str(out) in captured.out and str(graph) in captured.out
    assert len(pd.read_excel(out)) == len(load_answers("DEMO", store=demo_store, hidden=True))
    assert len(network.read_graphml(graph)) > 0


def test_cli_export_all_and_history(
    demo_store: Store, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _second_session(demo_store)
    out = tmp_path / "alles.parquet"
    assert main(["--db", sqlite_url, "export", "all", "--out", str(out), "--history"]) == 0
    assert "alle sessies" in capsys.readouterr().err
    expected = load_answers(store=demo_store, history=True, hidden=True)
    pd.testing.assert_frame_equal(pd.read_parquet(out), expected)


def test_cli_export_errors(
    demo_store: Store, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", sqlite_url]
    assert main([*db, "export", "DEMO", "--out", str(tmp_path / "x.txt")]) == 2
    err = capsys.readouterr().err
    assert ".xlsx" in err and "Traceback" not in err
    two = [*db, "export", "DEMO", "DEMO", "--out", str(tmp_path / "x.csv")]
    assert main([*two, "--network", str(tmp_path / "n.graphml")]) == 2
    assert "één sessie" in capsys.readouterr().err
    assert main([*db, "export", "all", "DEMO", "--out", str(tmp_path / "x.csv")]) == 2
    assert main([*db, "export", "NIEMAND", "--out", str(tmp_path / "x.csv")]) == 2
    assert "geen sessie" in capsys.readouterr().err
    assert list(tmp_path.glob("x.*")) == []


def test_cli_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("export", "report"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "doelbestand" in capsys.readouterr().out


def test_an_english_sessions_workbook_has_english_sheet_names(store: Store, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from netwerk_widgets.templates import read_template_text

    trainer_made = Path(__file__).parent / "templates" / "trainer-made.yaml"
    text = read_template_text(trainer_made)
    store.create_session("Own", template=str(trainer_made), template_text=text, code="EN1")
    path = export_answers(tmp_path / "own.xlsx", "EN1", store=store)
    assert load_workbook(path).sheetnames == ["answers", "participants"]
    path = export_answers(tmp_path / "eigen.xlsx", "EN1", store=store, language="nl")
    assert load_workbook(path).sheetnames == ["antwoorden", "deelnemers"]
    with pytest.raises(NetwerkError) as raised:
        export_answers(tmp_path / "own.json", "EN1", store=store)
    assert "we do not know '.json'" in raised.value.text("en")
