"""Tidy answers into the tables analysts and group views need, with pandas.

Each function takes the tidy answers DataFrame (from :func:`~netwerk_widgets.load_answers`)
and returns a new DataFrame; the input is never changed.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .store import Store
from .templates import UNKNOWN


def load_participants(session: str, *, store: Store) -> pd.DataFrame:
    """The participants of a session: ``participant, display_name, anonymous``."""
    rows = [(p.id, p.display_name, p.anonymous) for p in store.participants(session)]
    return pd.DataFrame(rows, columns=["participant", "display_name", "anonymous"]).astype(
        {"participant": "string", "display_name": "string", "anonymous": "bool"}
    )


def _select(answers: pd.DataFrame, block: str, question: str | None = None) -> pd.DataFrame:
    mask = answers["block"] == block
    if question is not None:
        mask &= answers["question"] == question
    return answers.loc[mask.fillna(False)]


def table_rows(
    answers: pd.DataFrame, block: str, question: str, columns: Sequence[str]
) -> pd.DataFrame:
    """Rows of a table question, one per row a participant filled in.

    Columns: ``session, participant, item`` and one per template column (text, '' when
    empty). Rows whose every cell is empty (removed rows) are left out.
    """
    part = _select(answers, block, question)
    wide = (
        part.pivot_table(
            index=["session", "participant", "item"],
            columns="field",
            values="value",
            aggfunc="last",
        )
        if not part.empty
        else pd.DataFrame()
    )
    wide = wide.reindex(columns=list(columns)).astype("string").fillna("")
    wide.columns.name = None
    wide = (
        wide.reset_index()
        if not wide.empty
        else pd.DataFrame(columns=["session", "participant", "item", *columns])
    )
    filled = wide[list(columns)].apply(lambda col: col.str.strip() != "").any(axis=1)
    result = wide.loc[filled].copy()
    order = result["item"].str.extract(r"(\d+)$")[0].astype("float")
    return (
        result.assign(_order=order)
        .sort_values(["session", "participant", "_order"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


def worksheet_rows(
    answers: pd.DataFrame, block: str = "werkblad", question: str = "uitdagingen"
) -> pd.DataFrame:
    """The three-column challenge worksheet: ``uitdaging, probleem, oplossing`` per row."""
    return table_rows(answers, block, question, ["uitdaging", "probleem", "oplossing"])


def scale_answers(answers: pd.DataFrame, block: str) -> pd.DataFrame:
    """Ratings of a block: ``session, participant, question, score, unknown, comment``.

    ``score`` is a float (``NaN`` for "weet ik niet" or no rating); ``unknown`` marks
    "weet ik niet" explicitly, so it is not confused with a missing answer.
    """
    part = _select(answers, block)
    scores = part.loc[
        part["field"] == "score", ["session", "participant", "question", "value", "value_num"]
    ]
    comments = part.loc[
        part["field"] == "comment", ["session", "participant", "question", "value"]
    ].rename(columns={"value": "comment"})
    result = (
        scores.rename(columns={"value_num": "score"})
        .assign(unknown=lambda df: df["value"] == UNKNOWN)
        .drop(columns="value")
    )
    result = result.merge(comments, on=["session", "participant", "question"], how="left")
    result["comment"] = result["comment"].fillna("").astype("string")
    return result.reset_index(drop=True)


def choice_counts(answers: pd.DataFrame, block: str, question: str) -> pd.DataFrame:
    """How many participants chose each option: ``option, count`` (most chosen first)."""
    part = _select(answers, block, question)
    single = part.loc[part["field"] == "choice", "value"]
    multi = part.loc[(part["field"] == "selected") & (part["value"] == "1"), "item"]
    chosen = pd.concat([single, multi], ignore_index=True).astype("string")
    counts = chosen.value_counts().rename_axis("option").reset_index(name="count")
    return counts.sort_values(["count", "option"], ascending=[False, True]).reset_index(drop=True)


def text_answers(answers: pd.DataFrame, block: str, question: str) -> pd.DataFrame:
    """Non-empty free-text answers: ``session, participant, text``."""
    part = _select(answers, block, question)
    part = part.loc[(part["field"] == "text") & (part["value"].fillna("").str.strip() != "")]
    return (
        part[["session", "participant", "value"]]
        .rename(columns={"value": "text"})
        .reset_index(drop=True)
    )
