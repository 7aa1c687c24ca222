"""Analyst benchmark: load and aggregate ~300,000 answer rows, against plain baselines.

A temporary SQLite store (made by :class:`netwerk_widgets.Store`, so with the real schema,
indexes and WAL mode) is filled in one transaction with ``sqlite3.executemany``: sessions of
a few hundred participants, each with the ten conditions (some with a comment, some edited
once), costs and benefits, own organisation and role, a three-row worksheet and levels for
four ambitions. Then, each timed ``--repeat`` times (the median is reported):

* ``load_answers()`` of all sessions (current answers) and with ``history=True``;
* ``analysis.scale_answers(answers, "voorwaarden")``, ``analysis.worksheet_rows(answers)``
  and ``conditions.condition_summary(scores)``;

against two baselines in the same run, on the same file:

* a plain ``sqlite3`` ``fetchall`` of the same current rows (the same SQL
  ``Store.current`` runs): the cost of the query itself, without any Python objects;
* ``pandas.read_sql`` of the whole raw ``answers`` table (every row, no latest-per-key).

    .venv/bin/python bench/load.py [--rows 300000] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from netwerk_widgets import Store, analysis, load_answers, load_template
from netwerk_widgets.conditions import condition_summary

# The rated questions of the built-in workbook's conditions scan.
CONDITIONS = [q.id for b in load_template().blocks_with_view("conditions") for q in b.questions]

COLUMNS = (
    "session, participant, block, question, item, field, value, value_num, answered_at,"
    " template_version"
)
CURRENT_SQL = (
    f"SELECT a.id, {', '.join('a.' + c.strip() for c in COLUMNS.split(','))} FROM answers a"
    " JOIN (SELECT MAX(id) AS id FROM answers a GROUP BY a.session, a.participant, a.block,"
    " a.question, a.item, a.field) latest ON a.id = latest.id ORDER BY a.id"
)
PEOPLE_PER_SESSION = 400
LEVELS = ("niet", "weten", "meedenken", "meedoen", "meebepalen")
ROLES = ("trekker", "kern", "actief", "op_afstand")


def participant_rows(
    rnd: random.Random, session: str, participant: str, version: str, stamp: datetime
) -> list[tuple[Any, ...]]:
    """About 32 answer rows of one participant, earlier versions (edits) first."""

    def row(block: str, question: str, value: str, item: str = "", field: str = "") -> tuple:
        number = float(value) if field == "score" and value.isdigit() else None
        when = (stamp + timedelta(microseconds=len(rows))).isoformat(timespec="microseconds")
        return (session, participant, block, question, item, field, value, number, when, version)

    rows: list[tuple[Any, ...]] = []
    for question in rnd.sample(CONDITIONS, 2):  # two edited ratings: history
        rows.append(row("voorwaarden", question, str(rnd.randint(1, 5)), field="score"))
    rows.append(row("actoren", "mijn_organisatie", f"Organisatie {rnd.randint(1, 25)}", "", "text"))
    rows.append(row("actoren", "mijn_rol", rnd.choice(ROLES), field="choice"))
    for question in CONDITIONS:
        score = rnd.choice(["1", "2", "3", "4", "5", "5", "4", "3", "weet_niet"])
        rows.append(row("voorwaarden", question, score, field="score"))
        if rnd.random() < 0.3:
            rows.append(row("voorwaarden", question, "Een toelichting.", field="comment"))
    for question in ("opbrengst", "kosten"):
        rows.append(row("kosten_baten", question, str(rnd.randint(1, 5)), field="score"))
    for number in range(1, 4):
        for column in ("uitdaging", "probleem", "oplossing"):
            rows.append(row("werkblad", "uitdagingen", f"{column} {number}", f"r{number}", column))
    for ambition in range(1, 5):
        rows.append(
            row("ambities", "betrokkenheid", rnd.choice(LEVELS), f"Ambitie {ambition}", "level")
        )
    return rows


def fill_store(url: str, path: Path, target: int, seed: int = 7) -> tuple[int, int, int]:
    """Put about ``target`` answer rows in a new store; returns (sessions, people, rows)."""
    template = load_template()
    rnd = random.Random(seed)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    per_person = 32
    people = max(1, target // per_person)
    sessions = max(1, -(-people // PEOPLE_PER_SESSION))
    with Store(url) as store:
        for number in range(sessions):
            store.create_session(
                f"Sessie {number + 1}",
                code=f"B{number:03d}",
                network=f"Netwerk {number // 2 + 1}",
                template=template.name,
                template_version=template.version,
                created_at=(start + timedelta(days=30 * number)).isoformat(),
            )
    joined, answers = [], []
    for person in range(people):
        session = f"B{person % sessions:03d}"
        pid = f"b-{person:06d}"
        stamp = start + timedelta(days=30 * (person % sessions), seconds=person)
        joined.append((pid, session, f"t-{pid}", f"Deelnemer {person}", 0, stamp.isoformat()))
        answers.extend(participant_rows(rnd, session, pid, template.version, stamp))
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO participants (id, session, token, display_name, anonymous, joined_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            joined,
        )
        conn.executemany(
            f"INSERT INTO answers ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", answers
        )
        conn.execute("COMMIT")
    finally:
        conn.close()
    return sessions, people, len(answers)


def timed(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds over ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300_000, help="answer rows to generate")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="netwerk-bench-load-") as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        began = time.perf_counter()
        sessions, people, rows = fill_store(url, path, args.rows)
        fill = time.perf_counter() - began

        def fetch_current() -> list[tuple]:
            with closing(sqlite3.connect(path)) as conn:
                return conn.execute(CURRENT_SQL).fetchall()

        def read_raw() -> pd.DataFrame:
            with closing(sqlite3.connect(path)) as conn:
                return pd.read_sql(f"SELECT {COLUMNS} FROM answers", conn)

        figures: dict[str, float] = {}
        figures["baseline: sqlite3 fetchall (current rows)"], current = timed(
            fetch_current, args.repeat
        )
        figures["baseline: pandas.read_sql (raw table)"], raw = timed(read_raw, args.repeat)
        with Store(url) as store:
            figures["load_answers()"], answers = timed(
                lambda: load_answers(store=store), args.repeat
            )
            figures["load_answers(history=True)"], history = timed(
                lambda: load_answers(store=store, history=True), args.repeat
            )
            figures["list_sessions()"], _ = timed(
                lambda: analysis.list_sessions(store), args.repeat
            )
        figures["scale_answers(answers, 'voorwaarden')"], scores = timed(
            lambda: analysis.scale_answers(answers, "voorwaarden"), args.repeat
        )
        figures["worksheet_rows(answers)"], worksheet = timed(
            lambda: analysis.worksheet_rows(answers), args.repeat
        )
        figures["condition_summary(scores)"], summary = timed(
            lambda: condition_summary(scores), args.repeat
        )
    assert len(answers) == len(current) and len(history) == len(raw) == rows
    assert len(summary) == len(CONDITIONS) and len(worksheet) == 3 * people

    load = figures["load_answers()"]
    chain = load + sum(
        figures[k]
        for k in (
            "scale_answers(answers, 'voorwaarden')",
            "worksheet_rows(answers)",
            "condition_summary(scores)",
        )
    )
    ratios = {
        "load_answers() / sqlite3 fetchall": load
        / figures["baseline: sqlite3 fetchall (current rows)"],
        "load_answers(history=True) / pandas.read_sql": figures["load_answers(history=True)"]
        / figures["baseline: pandas.read_sql (raw table)"],
        "load + aggregate / sqlite3 fetchall": chain
        / figures["baseline: sqlite3 fetchall (current rows)"],
    }
    info = {
        "date": datetime.now(UTC).date().isoformat(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "rows_stored": rows,
        "rows_current": len(answers),
        "sessions": sessions,
        "participants": people,
        "fill_seconds": round(fill, 2),
        "repeat": args.repeat,
    }
    if args.json:
        print(json.dumps({"info": info, "seconds": figures, "ratios": ratios}, indent=2))
        return 0
    print(
        f"{info['date']}, {info['cores']} cores, Python {info['python']}, pandas "
        f"{info['pandas']}: {rows:,} answer rows stored ({len(answers):,} current) in "
        f"{sessions} sessions of {people:,} participants; filled in {fill:.1f} s; median of "
        f"{args.repeat} runs."
    )
    print()
    print("| stap | tijd |")
    print("|---|---:|")
    for name, seconds in figures.items():
        print(f"| {name} | {seconds:.2f} s |")
    print(f"| load_answers() + de drie aggregaties | {chain:.2f} s |")
    print()
    print("| verhouding | |")
    print("|---|---:|")
    for name, ratio in ratios.items():
        print(f"| {name} | {ratio:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
