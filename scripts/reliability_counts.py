"""Count the rows and labels of docs/reliability.md, and write the counts into its summary.

Each table row is one kind of fault or bad input we tried; ``**melding**`` marks a row where
a person gets a clear message, ``**niets kwijt**`` one where nothing is lost. The summary
line at the top says how many; ``tests/test_reliability_doc.py`` fails when it is stale.
Run ``.venv/bin/python scripts/reliability_counts.py --write`` after adding rows.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "reliability.md"
SUMMARY = re.compile(
    r"\*\*(?P<tried>\d+) soorten\*\*(?P<a>.*?)\*\*(?P<message>\d+)\*\*(?P<b>.*?)"
    r"\*\*(?P<kept>\d+)\*\*",
    re.DOTALL,
)


def rows(text: str) -> list[list[str]]:
    """The cells of every table row (headers and separators left out)."""
    found = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| wat we probeerden"):
            continue
        found.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return found


def counts(text: str) -> dict[str, int]:
    """``tried``, ``message`` and ``kept``: rows, rows labelled melding, niets kwijt."""
    table = rows(text)
    return {
        "tried": len(table),
        "message": sum("**melding**" in row[1] for row in table if len(row) > 1),
        "kept": sum("**niets kwijt**" in row[1] for row in table if len(row) > 1),
    }


def stated(text: str) -> dict[str, int]:
    """The counts the summary line states."""
    match = SUMMARY.search(text)
    if match is None:
        return {}
    return {key: int(match.group(key)) for key in ("tried", "message", "kept")}


def write(path: Path = DOC) -> dict[str, int]:
    """Put the counted numbers into the summary line of ``path``."""
    text = path.read_text(encoding="utf-8")
    found = counts(text)

    def fill(match: re.Match[str]) -> str:
        return (
            f"**{found['tried']} soorten**{match.group('a')}**{found['message']}**"
            f"{match.group('b')}**{found['kept']}**"
        )

    path.write_text(SUMMARY.sub(fill, text, count=1), encoding="utf-8")
    return found


if __name__ == "__main__":
    if "--write" in sys.argv[1:]:
        print(write())
    else:
        print(counts(DOC.read_text(encoding="utf-8")))
