"""Tidy answers into the tables analysts and group views need, with pandas.

The loaders :func:`list_sessions`, :func:`load_participants` and :func:`question_texts`
are here too, for analysts who import only this module; they live in
:mod:`netwerk_widgets.loading`.

Views: each function takes the tidy answers DataFrame (from
:func:`~netwerk_widgets.load_answers`) and returns a new DataFrame; the input is never
changed. Answers of several sessions can go in at once: the views keep a ``session`` column
(or, for the actor register, on request) so that ``groupby("session")`` works.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from .errors import NetwerkError
from .loading import PARTICIPANT_COLUMNS as PARTICIPANT_COLUMNS
from .loading import SESSION_COLUMNS as SESSION_COLUMNS
from .loading import list_sessions as list_sessions
from .loading import load_participants as load_participants
from .loading import question_texts as question_texts
from .messages import messages
from .templates import UNKNOWN, Template
from .workshop import normal_name

PROFILE_COLUMNS = ("display_name", "organisation", "role")
"""Who a participant is, as :func:`condition_scores` and :func:`ambition_matrix` add it."""


VOILA_VARIABLES = ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "VOILA_REQUEST_URL", "VOILA_BASE_URL")


def analyst_only() -> None:
    """Stop a notebook with everyone's raw answers when Voilà serves it as a web page.

    Analysis notebooks read every answer of every session. In JupyterLab that is the
    analyst's job; through Voilà anyone with the page's address could read them. Voilà stops
    at the first failing cell, so calling this first keeps the rest from running.
    """
    import os

    if any(os.environ.get(name) for name in VOILA_VARIABLES):
        msg = (
            "Dit notebook is voor analisten in JupyterLab; via Voilà laat het geen antwoorden "
            "zien. Deelnemers gebruiken start.ipynb, trainers trainer.ipynb."
        )
        raise NetwerkError(msg)


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


def worksheet_rows(answers: pd.DataFrame, *, template: Template | None = None) -> pd.DataFrame:
    """The three-column challenge worksheet, one row per row a participant filled in.

    Columns: ``session, participant, item`` and the template's three worksheet columns
    (in the built-in workbook ``uitdaging, probleem, oplossing``): the table question of
    the block whose results view is ``worksheet``.
    """
    found = _slot(template, "worksheet", "question")
    if found is None:
        return pd.DataFrame(columns=["session", "participant", "item"])
    block, slot = found
    columns = [slot[role] for role in ("challenge", "problem", "solution")]
    return table_rows(answers, block, slot["question"], columns)


def scale_answers(
    answers: pd.DataFrame, block: str, *, template: Template | None = None
) -> pd.DataFrame:
    """Ratings of a block: ``session, participant, question, score, unknown, comment``.

    ``score`` is a float (``NaN`` for "weet ik niet" or no rating); ``unknown`` marks
    "weet ik niet" explicitly, so it is not confused with a missing answer. ``scale_min``
    and ``scale_max`` give each question's scale as the template declares it (``<NA>`` for a
    question the template does not have), so the statistics in
    :mod:`~netwerk_widgets.conditions` know the range without being told.
    """
    template = template or _default_template()
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
    scales = _scales(template, block)
    for position, column in enumerate(("scale_min", "scale_max")):
        mapped = result["question"].map(lambda q, i=position: scales.get(q, (pd.NA, pd.NA))[i])
        result[column] = pd.array(mapped, dtype="Int64")
    return result.reset_index(drop=True)


def _scales(template: Template, block: str) -> dict[str, tuple[int, int]]:
    try:
        questions = template.block(block).questions
    except KeyError:
        return {}
    return {q.id: q.scale for q in questions if q.kind == "scale"}


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
#
# Which questions and columns a function reads is the template's word: the block whose
# results view it is (``results: {view: network, actors: {question: ..., name: ...}}``). Without
# ``template=`` the built-in workbook's declarations are used.


def _default_template() -> Template:
    from .templates import load_template

    return load_template()


def _slot(template: Template | None, view: str, name: str) -> tuple[str, Any] | None:
    """``(block id, setting)`` of the first block with ``view`` that declares ``name``."""
    for block in (template or _default_template()).blocks_with_view(view):
        value = block.results.get(name)
        if value is not None:
            return block.id, value
    return None


def _table(
    answers: pd.DataFrame, template: Template | None, view: str, name: str, roles: Sequence[str]
) -> pd.DataFrame:
    """Rows of a table slot with one column per role ('' for a role the template leaves out)."""
    found = _slot(template, view, name)
    if found is None:
        return pd.DataFrame(columns=["session", "participant", "item", *roles]).astype("string")
    block, slot = found
    given = {role: slot[role] for role in roles if role in slot}
    rows = table_rows(answers, block, slot["question"], list(dict.fromkeys(given.values())))
    out = rows[["session", "participant", "item"]].copy()
    for role in roles:
        out[role] = rows[given[role]] if role in given else ""
    return out.astype("string")


def stop_words(language: str = "nl") -> frozenset[str]:
    """Words left out of word counts: common function words of ``language``, plus words
    nearly every answer about a network's purpose contains (from the message catalogue)."""
    return frozenset(messages(language)("analysis.stop_words").split())


def participant_profiles(
    answers: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    template: Template | None = None,
) -> pd.DataFrame:
    """Who each participant is: ``participant, display_name, anonymous, organisation, role``.

    ``organisation`` and ``role`` are the answers to the questions the template's
    ``profile:`` names (in the built-in workbook ``actoren.mijn_organisatie`` and
    ``actoren.mijn_rol``); without an organisation a participant takes part in person
    (:func:`in_person`, e.g. "op persoonlijke titel"); without a role, ``role`` is missing
    (``<NA>``; the statistics count such people as :data:`~netwerk_widgets.conditions.
    UNKNOWN_GROUP`).
    """
    template = template or _default_template()
    m = messages(template.language)
    result = participants.copy()
    for name, empty in (("organisation", m("analysis.in_person")), ("role", pd.NA)):
        where = template.profile_question(name)
        given = (
            _select(answers, *where).drop_duplicates("participant", keep="last")
            if where is not None
            else answers.iloc[0:0]
        )
        values = given.set_index("participant")["value"]
        # As strings before filling: mapping onto an empty answer table gives a float column.
        column = result["participant"].map(values).astype("string").fillna("").str.strip()
        result[name] = column.mask(column == "", empty).astype("string")
    return result.reset_index(drop=True)


def in_person(language: str = "nl") -> str:
    """The organisation of a participant who takes part in person ("op persoonlijke titel")."""
    return messages(language)("analysis.in_person")


ACTOR_ROLES = ("name", "organisation", "participation", "role", "involvement", "interests")
RELATION_ROLES = ("source", "target", "strength", "trust")


def actor_register(
    answers: pd.DataFrame, *, by_session: bool = False, template: Template | None = None
) -> pd.DataFrame:
    """The actor register the group built, one row per actor (names compared loosely).

    Columns: ``actor, organisation, participation, role, involvement, interests, mentions``.
    Where participants describe an actor differently, the most frequent answer wins and
    ``involvement`` is the mean; ``mentions`` counts how many participants named the actor.

    With ``by_session=True`` each session keeps its own register: a ``session`` column comes
    first and an actor named in two sessions has a row in each (sessions in the order of
    ``answers``). Without it, the answers of all sessions make one register.
    """
    rows = _table(answers, template, "network", "actors", ACTOR_ROLES)
    rows = rows.assign(actor=rows["name"].map(_normalise)).loc[lambda df: df["actor"] != ""]
    out = ["actor", "organisation", "participation", "role", "involvement", "interests", "mentions"]
    if by_session:
        out = ["session", *out]
    if rows.empty:
        empty = pd.DataFrame(columns=out).astype({"involvement": "float64", "mentions": "int64"})
        return empty.astype({"session": "string"}) if by_session else empty
    rows["key"] = rows["actor"].map(normal_name)
    grouped = rows.groupby(["session", "key"] if by_session else "key", sort=False)
    result = pd.DataFrame(
        {
            "session": grouped["session"].first(),
            "actor": grouped["actor"].first(),
            "organisation": grouped["organisation"].agg(_most_common),
            "participation": grouped["participation"].agg(_most_common),
            "role": grouped["role"].agg(_most_common),
            "involvement": grouped["involvement"].agg(
                lambda s: pd.to_numeric(s.replace("", pd.NA), errors="coerce").mean()
            ),
            "interests": grouped["interests"].agg(
                lambda s: "; ".join(dict.fromkeys(v for v in s if v.strip()))
            ),
            "mentions": grouped["participant"].nunique(),
        }
    )
    order = _session_order(answers)
    result = result.assign(
        _session=result["session"].map(order) if by_session else 0,
        _actor=result["actor"].str.casefold(),
    ).sort_values(["_session", "_actor"], kind="mergesort")
    return result.reset_index(drop=True)[out]


def actor_relations(answers: pd.DataFrame, *, template: Template | None = None) -> pd.DataFrame:
    """Reported relations, one row per report.

    Columns: ``session, source, target, strength, trust, reporter`` (``reporter`` is the
    participant id; ``strength`` and ``trust`` are ratings on the template's scale, or
    ``NaN``).
    """
    rows = _table(answers, template, "network", "relations", RELATION_ROLES)
    result = pd.DataFrame(
        {
            "session": rows["session"].astype("string"),
            "source": rows["source"].map(_normalise),
            "target": rows["target"].map(_normalise),
            "strength": pd.to_numeric(rows["strength"].replace("", pd.NA), errors="coerce"),
            "trust": pd.to_numeric(rows["trust"].replace("", pd.NA), errors="coerce"),
            "reporter": rows["participant"],
        }
    )
    complete = (result["source"] != "") & (result["target"] != "")
    return (
        result.loc[complete]
        .astype({"strength": "float64", "trust": "float64"})
        .reset_index(drop=True)
    )


def relation_scale(template: Template | None = None) -> tuple[int, int]:
    """The scale of relation strength and trust (of the strength column; 1-5 if none)."""
    template = template or _default_template()
    for block in template.blocks_with_view("network"):
        slot = block.results.get("relations")
        if slot is None:
            continue
        question = next(q for q in block.questions if q.id == slot["question"])
        for role in ("strength", "trust"):
            if role in slot:
                return question.column(slot[role]).scale
    return (1, 5)


def level_order(template: Template | None = None) -> tuple[str, ...]:
    """The levels of involvement of the coalitions view, lowest first (the option ids)."""
    found = _slot(template, "coalitions", "involvement")
    if found is None:
        return ()
    block, question = found
    return tuple(
        o.id for o in (template or _default_template()).block(block).question(question).options
    )


def doer_levels(template: Template | None = None) -> tuple[str, ...]:
    """The levels that make a participant part of an ambition's coalition."""
    found = _slot(template, "coalitions", "doers")
    return tuple(found[1]) if found else ()


def ambition_levels(answers: pd.DataFrame, *, template: Template | None = None) -> pd.DataFrame:
    """Each participant's level per ambition: ``session, participant, ambition, level``."""
    found = _slot(template, "coalitions", "involvement")
    part = _select(answers, *found) if found else answers.iloc[0:0]
    part = part.loc[(part["field"] == "level") & (part["value"].fillna("") != "")]
    result = pd.DataFrame(
        {
            "session": part["session"],
            "participant": part["participant"],
            "ambition": part["item"].map(_normalise),
            "level": part["value"],
        }
    )
    return result.astype("string").reset_index(drop=True)


def coalitions(
    levels: pd.DataFrame,
    minimum: int | None = None,
    *,
    doers: Sequence[str] | None = None,
    template: Template | None = None,
) -> pd.DataFrame:
    """The coalition around each ambition: who takes part or co-decides.

    Columns: ``ambition, doers`` (a sorted list of participant ids), ``n_doers``,
    ``n_involved`` (any level but the lowest, "niet") and ``viable`` (at least ``minimum``
    doers: an ambition nobody carries will not happen). ``doers`` are the levels that make
    someone part of the coalition and ``minimum`` the fewest doers that carry an ambition;
    both default to what the template's coalitions view declares (in the built-in
    workbook "meedoen" and "meebepalen", and 2).

    When ``levels`` has a ``session`` column (as :func:`ambition_levels` gives), each
    session has its own coalitions and ``session`` is the first column: the same ambition
    in two sessions is two coalitions. Sessions keep their order in ``levels``; ambitions
    are sorted by name.
    """
    columns = ["ambition", "doers", "n_doers", "n_involved", "viable"]
    doing = tuple(doers) if doers is not None else doer_levels(template)
    if minimum is None:
        found = _slot(template, "coalitions", "minimum")
        minimum = int(found[1]) if found else 2
    order = level_order(template)
    lowest = order[0] if order else None
    by_session = "session" in levels.columns
    parts = levels.groupby("session", sort=False) if by_session else [(None, levels)]
    rows = []
    for session, part in parts:
        for ambition in sorted(part["ambition"].unique(), key=str.casefold):
            own = part.loc[part["ambition"] == ambition]
            members = sorted(own.loc[own["level"].isin(doing), "participant"])
            involved = int((own["level"] != lowest).sum())
            row = (ambition, members, len(members), involved, len(members) >= minimum)
            rows.append((session, *row) if by_session else row)
    return pd.DataFrame(rows, columns=["session", *columns] if by_session else columns)


def ambition_matrix(
    answers: pd.DataFrame,
    profiles: pd.DataFrame | None = None,
    *,
    by: str = "participant",
    template: Template | None = None,
) -> pd.DataFrame:
    """Ambitions side by side: a row per participant (or organisation), a column per ambition.

    Each ambition column holds the level of involvement, an ordered categorical over the
    template's levels (:func:`level_order`; built in: "niet" < "weten" < "meedenken" <
    "meedoen" < "meebepalen"), so ``>=`` and sorting work; missing (``NaN``) where no
    level was given or the ambition was not named in that session. Ambitions are sorted by name.

    ``by="participant"``: columns ``session, participant, display_name, organisation, role``
    (``display_name`` only when ``profiles`` has it), then the ambitions; one row per
    participant who gave at least one level. ``by="organisation"``: ``session,
    organisation, participants`` (how many of its people gave a level), then per ambition
    the *highest* level among its participants.

    ``profiles`` is :func:`participant_profiles` or :func:`load_participants` (organisation
    and role are then taken from the answers); ``None`` takes everything from the answers.
    Sessions keep their order in ``answers``.
    """
    if by not in ("participant", "organisation"):
        raise ValueError(f"by moet 'participant' of 'organisation' zijn, niet {by!r}")
    levels = ambition_levels(answers, template=template)
    order = list(level_order(template))
    categories = [*order, *sorted(set(levels["level"]) - set(order))]
    rank = {level: number for number, level in enumerate(categories)}
    people = _profiles(answers, profiles, template)
    long = levels.assign(_rank=levels["level"].map(rank)).merge(
        people, on=["session", "participant"], how="left"
    )
    if by == "participant":
        keys = ["session", "participant"]
        base = long[[*keys, *(c for c in PROFILE_COLUMNS if c in people.columns)]]
        base = base.drop_duplicates(keys)
    else:
        keys = ["session", "organisation"]
        base = long.groupby(keys, sort=False).agg(participants=("participant", "nunique"))
        base = base.reset_index().astype({"participants": "int64"})
    ambitions = sorted(levels["ambition"].unique(), key=str.casefold)
    ranks = long.groupby([*keys, "ambition"], sort=False)["_rank"].max().unstack("ambition")
    result = base.merge(ranks, left_on=keys, right_index=True, how="left")
    result = result.reindex(columns=[*base.columns, *ambitions])
    for ambition in ambitions:
        codes = result[ambition].fillna(-1).astype("int64")
        result[ambition] = pd.Categorical.from_codes(codes, categories=categories, ordered=True)
    result.columns.name = None
    order = _session_order(answers)
    result = result.assign(_session=result["session"].map(order)).sort_values(
        ["_session", keys[1]], kind="mergesort"
    )
    return result.drop(columns="_session").reset_index(drop=True)


def condition_scores(
    answers: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    *,
    block: str | None = None,
    wide: bool = False,
    template: Template | None = None,
) -> pd.DataFrame:
    """The ratings of the conditions scan (or any scale block) with who gave them.

    ``block`` defaults to the template's block with the ``conditions`` results view (the
    ten conditions in the built-in workbook).

    Long (default), one row per rating: ``session, participant, display_name,
    organisation, role, question, score, unknown, comment, scale_min, scale_max``
    (``display_name`` only when ``participants`` has it). This is :func:`scale_answers`
    with the profile joined, so it goes straight into
    :func:`~netwerk_widgets.conditions.condition_summary`,
    :func:`~netwerk_widgets.conditions.split_by` or ``groupby(["session", "role"])``.

    ``wide=True``: one row per participant, one float column per question (``NaN`` for
    "weet ik niet" or no rating), questions sorted by id (``v01_ambitie`` … ``v10_macht``).

    ``participants`` is :func:`load_participants` or :func:`participant_profiles`; without
    it, organisation and role come from the answers alone.
    """
    template = template or _default_template()
    if block is None:
        declared = template.blocks_with_view("conditions")
        if not declared:
            msg = "Dit werkboek heeft geen onderdeel met de weergave 'conditions'; noem block=."
            raise NetwerkError(msg)
        block = declared[0].id
    scores = scale_answers(answers, block, template=template)
    people = _profiles(answers, participants, template)
    keys = ["session", "participant"]
    profile = [*keys, *(c for c in PROFILE_COLUMNS if c in people.columns)]
    long = scores.merge(people[profile], on=keys, how="left")
    rated = ["question", "score", "unknown", "comment", "scale_min", "scale_max"]
    long = long[[*profile, *rated]].reset_index(drop=True)
    if not wide:
        return long
    questions = sorted(long["question"].dropna().unique())
    table = long.groupby([*keys, "question"], sort=False)["score"].last().unstack("question")
    base = long[profile].drop_duplicates(keys)
    result = base.merge(table, left_on=keys, right_index=True, how="left")
    result = result.reindex(columns=[*profile, *questions])
    result.columns.name = None
    return result.astype({q: "float64" for q in questions}).reset_index(drop=True)


def network_summaries(answers: pd.DataFrame, *, template: Template | None = None) -> pd.DataFrame:
    """:func:`~netwerk_widgets.network.network_summary` of each session, one row per session.

    Columns: ``session`` and the keys of :data:`~netwerk_widgets.network.SUMMARY_FIELDS`
    (``actors, relations, density, components, …``). Each session's network is built from
    its own actor register and relations; a session without actors gives zeros.
    """
    from . import network

    rows = []
    for session in _session_order(answers):
        part = answers.loc[answers["session"] == session]
        graph = network.relations_graph(
            actor_register(part, template=template),
            actor_relations(part, template=template),
            scale=relation_scale(template),
        )
        rows.append({"session": session, **network.network_summary(graph).to_dict()})
    result = pd.DataFrame(rows, columns=["session", *network.SUMMARY_FIELDS])
    counts = ("actors", "relations", "components", "largest_component", "isolated", "brokers")
    return result.astype(
        {"session": "string", "density": "float64", "average_degree": "float64"}
        | {column: "int64" for column in (*counts, "not_in_register")}
    )


def _session_order(answers: pd.DataFrame) -> dict[str, int]:
    """Session code → its place in ``answers`` (first appearance)."""
    return {code: n for n, code in enumerate(dict.fromkeys(answers["session"].dropna()))}


def _profiles(
    answers: pd.DataFrame, participants: pd.DataFrame | None, template: Template | None = None
) -> pd.DataFrame:
    """``session, participant`` of everyone in ``answers`` with organisation and role.

    Columns of ``participants`` (such as ``display_name``) are joined; organisation and role
    come from ``participants`` where it has them, else from the answers
    (:func:`participant_profiles`).
    """
    keys = ["session", "participant"]
    people = answers[keys].drop_duplicates().astype("string").reset_index(drop=True)
    if participants is not None:
        extra = [c for c in participants.columns if c not in keys]
        on = [k for k in keys if k in participants.columns]
        given = participants[[*on, *extra]].drop_duplicates(on, keep="last")
        people = people.merge(given.astype({k: "string" for k in on}), on=on, how="left")
    found = participant_profiles(answers, people[["participant"]], template=template)
    for column in ("organisation", "role"):
        derived = pd.Series(pd.array(found[column], dtype="string"), index=people.index)
        people[column] = (
            people[column].astype("string").fillna(derived) if column in people else derived
        )
    return people


def why_sentences(
    answers: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    template: Template | None = None,
    block: str | None = None,
) -> pd.DataFrame:
    """The *why* sentences side by side: ``who, text``.

    The question and the consent to show one's name come from the template's
    ``sentences`` view (of ``block``, or the first such block: a workbook may have several,
    e.g. the network's *why* and the closing insights); ``who`` is "anoniem" unless the
    participant allowed their name.
    """
    template = template or _default_template()
    if block is not None:
        question = template.block(block).results.get("question")
        found = (block, question) if question else None
    else:
        found = _slot(template, "sentences", "question")
    if found is None:
        return pd.DataFrame({"who": pd.Series(dtype="string"), "text": pd.Series(dtype="string")})
    block, question = found
    texts = text_answers(answers, block, question)
    spec = template.block(block).results
    allowed: set[str] = set()
    if spec.get("consent") and spec.get("consent_option"):
        part = _select(answers, block, spec.get("consent"))
        allowed = set(part.loc[part["value"] == spec.get("consent_option"), "participant"])
    names = participants.set_index("participant")["display_name"]
    anonymous = messages(template.language)("analysis.anonymous")
    who = texts["participant"].map(lambda p: names.get(p, "") if p in allowed else anonymous)
    return pd.DataFrame({"who": who.astype("string"), "text": texts["text"]})


def word_counts(texts: pd.Series, skip: Iterable[str] | None = None) -> pd.DataFrame:
    """How many texts use each word (lower case, stop words and short words left out).

    ``skip`` defaults to the Dutch :func:`stop_words`.
    """
    skipped = frozenset(skip) if skip is not None else stop_words()
    words = (
        texts.fillna("")
        .str.lower()
        .str.findall(r"[a-zà-ÿ]{3,}")
        .map(lambda found: sorted(set(found) - skipped))
        .explode()
        .dropna()
    )
    counts = words.value_counts().rename_axis("word").reset_index(name="count")
    return counts.sort_values(["count", "word"], ascending=[False, True]).reset_index(drop=True)


def rules(answers: pd.DataFrame, *, template: Template | None = None) -> pd.DataFrame:
    """Rules of the game as named: ``rule, kind, mentions``, grouped loosely by text.

    ``kind`` is the option id of the rule's kind column ("" when not given).
    """
    rows = _table(answers, template, "foundation", "rules", ("rule", "kind"))
    rows = rows.assign(rule=rows["rule"].map(_normalise)).loc[lambda df: df["rule"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=["rule", "kind", "mentions"])
    rows["key"] = rows["rule"].str.casefold()
    grouped = rows.groupby("key", sort=False)
    result = pd.DataFrame(
        {
            "rule": grouped["rule"].first(),
            "kind": grouped["kind"].agg(_most_common),
            "mentions": grouped["participant"].nunique(),
        }
    )
    return result.sort_values(["kind", "mentions"], ascending=[True, False]).reset_index(drop=True)


def leaders(answers: pd.DataFrame, *, template: Template | None = None) -> pd.DataFrame:
    """Who connects and carries the network, counted: ``option, count`` (most named first)."""
    rows = _table(answers, template, "foundation", "leaders", ("name",))
    names = rows["name"].map(_normalise)
    names = names.loc[names != ""]
    first_spelling = names.groupby(names.str.casefold()).transform("first")
    counts = first_spelling.value_counts().rename_axis("option").reset_index(name="count")
    return counts.sort_values(["count", "option"], ascending=[False, True]).reset_index(drop=True)


def _normalise(text: object) -> str:
    return " ".join(str(text or "").split())


def _most_common(values: pd.Series) -> str:
    filled = values.loc[values.str.strip() != ""]
    return str(filled.mode().iloc[0]) if not filled.empty else ""


def named_list(
    answers: pd.DataFrame, block: str, question: str, name: str, extra: str | None = None
) -> pd.DataFrame:
    """A shared list's entries once each, with how many named them: ``name, extra, count``.

    Names are compared after :func:`~netwerk_widgets.workshop.normal_name`; ``name`` is the
    spelling used most; ``extra`` (e.g. an explanation) joins the distinct non-empty texts
    of that column; ``count`` is the number of participants who named it. Most named first.
    """
    from .names import name_counts

    columns = [name] + ([extra] if extra else [])
    rows = table_rows(answers, block, question, columns)
    if rows.empty:
        return pd.DataFrame(
            {
                "name": pd.Series(dtype="string"),
                "extra": pd.Series(dtype="string"),
                "count": pd.Series(dtype="int64"),
            }
        )
    counts = name_counts(rows[name], rows["participant"])
    keys = rows[name].map(normal_name)
    texts = {
        key: "; ".join(dict.fromkeys(v.strip() for v in group if str(v).strip()))
        for key, group in (rows[extra].fillna("").groupby(keys) if extra else [])
    }
    return pd.DataFrame(
        {
            "name": counts["name"],
            "extra": counts["key"].map(lambda k: texts.get(k, "")).astype("string"),
            "count": counts["count"].astype("int64"),
        }
    )
