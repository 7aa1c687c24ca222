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


# --- the building blocks of the Netwerkmodel ----------------------------------------------

COALITION_LEVELS = ("meedoen", "meebepalen")
"""Levels of involvement that make a participant part of an ambition's coalition."""

LEVEL_ORDER = ("niet", "weten", "meedenken", "meedoen", "meebepalen")

PERSONAL = "op persoonlijke titel"

DUTCH_STOP_WORDS = frozenset(
    """
    aan al alle alles als dan dat de deze die dit door een en er het hij hoe ik in is je jij
    kan kunnen maar met meer mij mijn na naar niet nog nu of om onder ons onze ook op over
    te tot uit van veel voor waar wat we wel werd wie wij wil willen worden zal ze zij zich
    zijn zo zodat elk elke iedereen hun hen heeft hebben had door bij binnen geen ander andere
    samen netwerk
    """.split()
)
"""Words left out of word counts: common Dutch function words, plus "samen" and "netwerk",
which nearly every answer about a network's purpose contains."""


def participant_profiles(answers: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """Who each participant is: ``participant, display_name, anonymous, organisation, role``.

    ``organisation`` is what they answered to ``actoren.mijn_organisatie`` (or "op
    persoonlijke titel"), ``role`` their own role in the network ("onbekend" if not given).
    """
    own = _select(answers, "actoren")
    organisation = own.loc[own["question"] == "mijn_organisatie"].set_index("participant")["value"]
    role = own.loc[own["question"] == "mijn_rol"].set_index("participant")["value"]
    result = participants.copy()
    # As strings before filling: mapping onto an empty answer table gives a float column.
    organisation = result["participant"].map(organisation).astype("string").fillna("").str.strip()
    result["organisation"] = organisation.mask(organisation == "", PERSONAL).astype("string")
    result["role"] = result["participant"].map(role).astype("string").fillna("onbekend")
    return result.reset_index(drop=True)


def actor_register(answers: pd.DataFrame) -> pd.DataFrame:
    """The actor register the group built, one row per actor (names compared loosely).

    Columns: ``actor, organisation, participation, role, involvement, interests, mentions``.
    Where participants describe an actor differently, the most frequent answer wins and
    ``involvement`` is the mean; ``mentions`` counts how many participants named the actor.
    """
    columns = ["naam", "organisatie", "deelname", "rol", "betrokkenheid", "belangen"]
    rows = table_rows(answers, "actoren", "register", columns)
    rows = rows.assign(actor=rows["naam"].map(_normalise)).loc[lambda df: df["actor"] != ""]
    out = ["actor", "organisation", "participation", "role", "involvement", "interests", "mentions"]
    if rows.empty:
        return pd.DataFrame(columns=out).astype({"involvement": "float64", "mentions": "int64"})
    rows["key"] = rows["actor"].str.casefold()
    grouped = rows.groupby("key", sort=False)
    result = pd.DataFrame(
        {
            "actor": grouped["actor"].first(),
            "organisation": grouped["organisatie"].agg(_most_common),
            "participation": grouped["deelname"].agg(_most_common),
            "role": grouped["rol"].agg(_most_common),
            "involvement": grouped["betrokkenheid"].agg(
                lambda s: pd.to_numeric(s.replace("", pd.NA), errors="coerce").mean()
            ),
            "interests": grouped["belangen"].agg(
                lambda s: "; ".join(dict.fromkeys(v for v in s if v.strip()))
            ),
            "mentions": grouped["participant"].nunique(),
        }
    )
    return result.sort_values("actor", key=lambda s: s.str.casefold()).reset_index(drop=True)[out]


def actor_relations(answers: pd.DataFrame) -> pd.DataFrame:
    """Reported relations: ``source, target, strength, trust, reporter`` (one row per report)."""
    rows = table_rows(answers, "actoren", "relaties", ["van", "met", "sterkte", "vertrouwen"])
    result = pd.DataFrame(
        {
            "source": rows["van"].map(_normalise),
            "target": rows["met"].map(_normalise),
            "strength": pd.to_numeric(rows["sterkte"].replace("", pd.NA), errors="coerce"),
            "trust": pd.to_numeric(rows["vertrouwen"].replace("", pd.NA), errors="coerce"),
            "reporter": rows["participant"],
        }
    )
    complete = (result["source"] != "") & (result["target"] != "")
    return (
        result.loc[complete]
        .astype({"strength": "float64", "trust": "float64"})
        .reset_index(drop=True)
    )


def ambition_levels(answers: pd.DataFrame) -> pd.DataFrame:
    """Each participant's level per ambition: ``participant, ambition, level``."""
    part = _select(answers, "ambities", "betrokkenheid")
    part = part.loc[(part["field"] == "level") & (part["value"].fillna("") != "")]
    result = pd.DataFrame(
        {
            "participant": part["participant"],
            "ambition": part["item"].map(_normalise),
            "level": part["value"],
        }
    )
    return result.astype("string").reset_index(drop=True)


def coalitions(levels: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """The coalition around each ambition: who takes part or co-decides.

    Columns: ``ambition, doers`` (a sorted list of participant ids), ``n_doers``,
    ``n_involved`` (any level but "niet") and ``viable`` (at least ``minimum`` doers: an
    ambition nobody carries will not happen).
    """
    ambitions = sorted(levels["ambition"].unique(), key=str.casefold)
    rows = []
    for ambition in ambitions:
        own = levels.loc[levels["ambition"] == ambition]
        doers = sorted(own.loc[own["level"].isin(COALITION_LEVELS), "participant"])
        involved = int((own["level"] != "niet").sum())
        rows.append((ambition, doers, len(doers), involved, len(doers) >= minimum))
    return pd.DataFrame(rows, columns=["ambition", "doers", "n_doers", "n_involved", "viable"])


def why_sentences(answers: pd.DataFrame, participants: pd.DataFrame) -> pd.DataFrame:
    """The *why* sentences side by side: ``who, text`` ("anoniem" unless a name was allowed)."""
    texts = text_answers(answers, "identiteit", "waarom")
    part = _select(answers, "identiteit", "naam_tonen")
    allowed = set(part.loc[part["value"] == "ja", "participant"])
    names = participants.set_index("participant")["display_name"]
    who = texts["participant"].map(lambda p: names.get(p, "") if p in allowed else "anoniem")
    return pd.DataFrame({"who": who.astype("string"), "text": texts["text"]})


def word_counts(texts: pd.Series, stop_words: frozenset[str] = DUTCH_STOP_WORDS) -> pd.DataFrame:
    """How many texts use each word (lower case, stop words and short words left out)."""
    words = (
        texts.fillna("")
        .str.lower()
        .str.findall(r"[a-zà-ÿ]{3,}")
        .map(lambda found: sorted(set(found) - stop_words))
        .explode()
        .dropna()
    )
    counts = words.value_counts().rename_axis("word").reset_index(name="count")
    return counts.sort_values(["count", "word"], ascending=[False, True]).reset_index(drop=True)


def rules(answers: pd.DataFrame) -> pd.DataFrame:
    """Rules of the game as named: ``rule, kind, mentions``, grouped loosely by text."""
    rows = table_rows(answers, "fundament", "spelregels", ["regel", "soort"])
    rows = rows.assign(rule=rows["regel"].map(_normalise)).loc[lambda df: df["rule"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=["rule", "kind", "mentions"])
    rows["key"] = rows["rule"].str.casefold()
    grouped = rows.groupby("key", sort=False)
    result = pd.DataFrame(
        {
            "rule": grouped["rule"].first(),
            "kind": grouped["soort"].agg(_most_common).replace("", "onbekend"),
            "mentions": grouped["participant"].nunique(),
        }
    )
    return result.sort_values(["kind", "mentions"], ascending=[True, False]).reset_index(drop=True)


def leaders(answers: pd.DataFrame) -> pd.DataFrame:
    """Who connects and carries the network, counted: ``option, count`` (most named first)."""
    rows = table_rows(answers, "fundament", "leiderschap", ["wie", "hoe"])
    names = rows["wie"].map(_normalise)
    names = names.loc[names != ""]
    first_spelling = names.groupby(names.str.casefold()).transform("first")
    counts = first_spelling.value_counts().rename_axis("option").reset_index(name="count")
    return counts.sort_values(["count", "option"], ascending=[False, True]).reset_index(drop=True)


def _normalise(text: object) -> str:
    return " ".join(str(text or "").split())


def _most_common(values: pd.Series) -> str:
    filled = values.loc[values.str.strip() != ""]
    return str(filled.mode().iloc[0]) if not filled.empty else ""
