"""Names in shared lists, compared loosely, merged on the trainer's word (pandas side).

Participants type the same actor, ambition or missing party in different ways. Names are
compared after :func:`~netwerk_widgets.workshop.normal_name` (case, accents, spaces and
punctuation); names that are only *nearly* the same ("Muziekschool de Linge" and
"Muzikschool De Linge") are suggested to the trainer, who merges them with one click (an
appended event, :func:`~netwerk_widgets.workshop.merge_names`). :func:`moderate` applies
merges and hidden answers to the answers :func:`~netwerk_widgets.load_answers` reads, so every
group view, network measure, GraphML file and export uses the merged names, while the store
keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

import pandas as pd

from .errors import NetwerkError
from .workshop import AnswerKey, hidden_answers, merged_names, normal_name

if TYPE_CHECKING:
    from .store import Store
    from .templates import Template

NEAR = 0.85
"""How alike two normalised names must be (difflib's ratio) to be suggested for a merge."""


def name_counts(names: pd.Series, who: pd.Series | None = None) -> pd.DataFrame:
    """Each name once, with how many people named it: ``name, key, count, spellings``.

    ``name`` is the spelling used most often (the first of those on a tie); ``count``
    counts distinct values of ``who`` (participants) when given, else rows.
    """
    frame = pd.DataFrame({"name": names.astype("string").fillna("").str.strip()})
    frame["who"] = who.to_numpy() if who is not None else range(len(frame))
    frame["key"] = frame["name"].map(normal_name)
    frame = frame.loc[frame["key"] != ""]
    if frame.empty:
        return pd.DataFrame(
            {
                "name": pd.Series(dtype="string"),
                "key": pd.Series(dtype="string"),
                "count": pd.Series(dtype="int64"),
                "spellings": pd.Series(dtype="object"),
            }
        )
    rows = []
    for key, group in frame.groupby("key", sort=False):
        spelled = group["name"].value_counts(sort=True)
        top = spelled.max()
        first = next(n for n in group["name"] if spelled[n] == top)
        rows.append((first, key, int(group["who"].nunique()), sorted(spelled.index)))
    result = pd.DataFrame(rows, columns=["name", "key", "count", "spellings"])
    result = result.astype({"name": "string", "key": "string"})
    return result.sort_values(["count", "key"], ascending=[False, True]).reset_index(drop=True)


def near_duplicates(names: Iterable[str], threshold: float = NEAR) -> list[tuple[str, str]]:
    """Pairs of different names that look nearly the same (candidates for a merge).

    Names that only differ in case, spaces or punctuation are one name already and do not
    appear here; names differing in one word in a short name ("OBS De Kastanje" and "CBS De
    Kastanje") often do: the trainer decides.
    """
    unique: dict[str, str] = {}
    for name in names:
        unique.setdefault(normal_name(name), str(name))
    keys = [key for key in unique if key]
    pairs = []
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if SequenceMatcher(None, a, b).ratio() >= threshold:
                pairs.append((unique[a], unique[b]))
    return pairs


def list_targets(template: Template | None, list_ref: str) -> list[tuple[str, str, str, str]]:
    """Where a shared list's names appear: ``(block, question, field, part)`` with ``part``
    ``"value"`` (the list column itself, and choice columns with ``options_from`` it) or
    ``"item"`` (matrix questions with ``items_from`` it)."""
    block, question, column = list_ref.split(".", 2)
    targets = [(block, question, column, "value")]
    if template is None:
        return targets
    for b in template.blocks:
        for q in b.questions:
            if getattr(q, "items_from", None) == list_ref:
                targets.append((b.id, q.id, "", "item"))
            for c in getattr(q, "columns", ()) or ():
                if getattr(c, "options_from", None) == list_ref:
                    targets.append((b.id, q.id, c.id, "value"))
    return targets


def apply_merges(
    answers: pd.DataFrame,
    merges: dict[str, dict[str, str]],
    template: Template | None = None,
) -> pd.DataFrame:
    """``answers`` with merged names in place of their other spellings (a new frame)."""
    if not merges or answers.empty:
        return answers
    out = answers.copy()
    for list_ref, names in merges.items():
        for block, question, field, part in list_targets(template, list_ref):
            where = (out["block"] == block) & (out["question"] == question)
            if part == "value":
                where &= out["field"] == field
            column = "value" if part == "value" else "item"
            keys = out.loc[where, column].map(normal_name)
            hit = keys.isin(list(names))
            index = keys.index[hit]
            out.loc[index, column] = keys.loc[hit].map(names).astype("string")
    return out


def hidden_mask(answers: pd.DataFrame, hidden: set[AnswerKey]) -> pd.Series:
    """Which rows belong to a hidden answer (a question's answer, or one table row)."""
    if not hidden or answers.empty:
        return pd.Series(False, index=answers.index)
    whole = {(k.participant, k.block, k.question) for k in hidden if k.item == ""}
    rows = {(k.participant, k.block, k.question, k.item) for k in hidden}
    keys3 = list(zip(answers["participant"], answers["block"], answers["question"], strict=True))
    keys4 = list(
        zip(*(answers[c] for c in ("participant", "block", "question", "item")), strict=True)
    )
    flags = [k3 in whole or k4 in rows for k3, k4 in zip(keys3, keys4, strict=True)]
    return pd.Series(flags, index=answers.index)


def moderate(answers: pd.DataFrame, store: Store, *, include_hidden: bool = False) -> pd.DataFrame:
    """Apply the trainer's merges and hidden answers (of each session in ``answers``).

    Hidden answers are left out, or (``include_hidden``) kept with ``hidden`` set to True.
    """
    from .templates import template_for

    out = answers.copy()
    hidden = pd.Series(False, index=out.index)
    for code in out["session"].dropna().unique():
        where = out["session"] == code
        merges = merged_names(store, str(code))
        if merges:
            try:
                template = template_for(store.session(str(code)), store)
            except NetwerkError:
                template = None
            merged = apply_merges(out.loc[where], merges, template)
            out.loc[where, ["item", "value"]] = merged[["item", "value"]]
        hidden.loc[where] = hidden_mask(out.loc[where], hidden_answers(store, str(code)))
    if include_hidden:
        return out.assign(hidden=hidden.to_numpy(dtype=bool))
    return out.loc[~hidden.to_numpy(dtype=bool)]
