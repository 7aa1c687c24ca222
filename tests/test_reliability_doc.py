"""docs/reliability.md: its counts come from its rows, and every row names a real test."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = importlib.util.spec_from_file_location(
    "reliability_counts", ROOT / "scripts" / "reliability_counts.py"
)
assert SPEC is not None and SPEC.loader is not None
counting = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(counting)
TEXT = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")


def test_the_summary_states_the_counted_numbers() -> None:
    counted = counting.counts(TEXT)
    assert counted["tried"] >= 40
    assert counting.stated(TEXT) == counted, (
        "docs/reliability.md: run .venv/bin/python scripts/reliability_counts.py --write"
    )


def commands(cell: str) -> list[list[str]]:
    return [shlex.split(code) for code in re.findall(r"`([^`]*pytest[^`]*)`", cell)]


def test_every_row_names_tests_that_exist() -> None:
    for row in counting.rows(TEXT):
        found = commands(row[-1])
        if not found:
            assert "bench/" in row[-1], row[0][:60]
            continue
        for words in found:
            files, selections = [], []
            for position, word in enumerate(words):
                if word.startswith("tests/"):
                    files.append(word.split("::")[0])
                elif words[position - 1] == "-k":
                    selections.append(word)
            assert files, row[0][:60]
            names = []
            for file in files:
                path = ROOT / file
                assert path.is_file(), file
                names += re.findall(r"def (test_\w+)", path.read_text(encoding="utf-8"))
                names += re.findall(r"\[([^\]]+)\]", path.read_text(encoding="utf-8"))
            ids = " ".join(names)
            for selection in selections:
                terms = [t for t in re.split(r"\W+", selection) if t not in ("and", "or", "not")]
                assert any(term and term in ids for term in terms), (file, selection)
