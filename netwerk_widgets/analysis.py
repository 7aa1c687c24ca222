"""Tidy answers into the tables analysts and group views need, with pandas.

Loading (each takes ``store``: a :class:`~netwerk_widgets.Store`, a URL, or ``None`` for
the default store, and raises a Dutch :class:`~netwerk_widgets.SessionError` for an unknown
session code):

* :func:`list_sessions`: every session with its network, template, date and size;
* :func:`~netwerk_widgets.load_answers`: the tidy answers of one, several or all sessions;
* :func:`load_participants`: who took part, in one, several or all sessions.

Views: each function takes the tidy answers DataFrame (from
:func:`~netwerk_widgets.load_answers`) and returns a new DataFrame; the input is never
changed. Answers of several sessions can go in at once: the views keep a ``session`` column
(or, for the actor register, on request) so that ``groupby("session")`` works.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import pandas as pd

from .errors import NetwerkError
from .store import Store
from .templates import UNKNOWN

SESSION_COLUMNS = (
    "code",
    "title",
    "network",
    "template",
    "template_version",
    "created_at",
    "closed",
    "participants",
    "answers",
)
"""Columns of :func:`list_sessions`."""

PARTICIPANT_COLUMNS = ("session", "participant", "display_name", "anonymous")
"""Columns of :func:`load_participants`."""

PROFILE_COLUMNS = ("display_name", "organisation", "role")
"""Who a participant is, as :func:`condition_scores` and :func:`ambition_matrix` add it."""


@contextmanager
def _opened(store: Store | str | None) -> Iterator[Store]:
    """``store`` itself, or a store opened from a URL (or the default) for the block."""
    if isinstance(store, Store):
        yield store
        return
    with Store(store) as own:
        yield own


def _codes(store: Store, session: str | Iterable[str] | None) -> list[str]:
    """Session codes, checked (unknown code: :class:`SessionError`); ``None`` is all."""
    if session is None:
        return [s.code for s in store.sessions()]
    if isinstance(session, str):
        return [store.session(session).code]
    return list(dict.fromkeys(store.session(code).code for code in session))


def list_sessions(store: Store | str | None = None) -> pd.DataFrame:
    """Every session in the store, oldest first, as a DataFrame.

    Columns: ``code, title, network`` (sessions of one network share it, e.g. a scan and a
    scan a year later), ``template, template_version``, ``created_at`` (datetime, UTC),
    ``closed`` (bool), ``participants`` (how many joined) and ``answers`` (how many current
    answer values, the rows :func:`~netwerk_widgets.load_answers` gives). Never contains a
    trainer key. An empty store gives an empty frame with these columns.
    """
    with _opened(store) as db:
        sessions = db.sessions()
        # Counted in the database: one query each instead of loading every answer.
        joined = dict(db._read("SELECT session, COUNT(*) FROM participants GROUP BY session"))
        current = dict(
            db._read(
                "SELECT session, COUNT(*) FROM (SELECT session FROM answers GROUP BY session,"
                " participant, block, question, item, field) latest GROUP BY session"
            )
        )
    frame = pd.DataFrame(
        [
            (
                s.code,
                s.title,
                s.network,
                s.template,
                s.template_version,
                s.created_at,
                s.closed,
                int(joined.get(s.code, 0)),
                int(current.get(s.code, 0)),
            )
            for s in sessions
        ],
        columns=list(SESSION_COLUMNS),
    )
    frame = frame.astype(
        {
            "code": "string",
            "title": "string",
            "network": "string",
            "template": "string",
            "template_version": "string",
            "closed": "bool",
            "participants": "int64",
            "answers": "int64",
        }
    )
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
    return frame


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


def load_participants(
    session: str | Iterable[str] | None = None, *, store: Store | str | None = None
) -> pd.DataFrame:
    """Who took part in one, several or all (``None``) sessions, in the order they joined.

    Columns: ``session, participant, display_name, anonymous``. ``display_name`` is the
    name a participant gave, or a pseudonym when they joined anonymously (``anonymous`` is
    then ``True``). Never contains the secret token of a personal link.
    """
    with _opened(store) as db:
        rows = [
            (p.session, p.id, p.display_name, p.anonymous)
            for code in _codes(db, session)
            for p in db.participants(code)
        ]
    return pd.DataFrame(rows, columns=list(PARTICIPANT_COLUMNS)).astype(
        {
            "session": "string",
            "participant": "string",
            "display_name": "string",
            "anonymous": "bool",
        }
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


def actor_register(answers: pd.DataFrame, *, by_session: bool = False) -> pd.DataFrame:
    """The actor register the group built, one row per actor (names compared loosely).

    Columns: ``actor, organisation, participation, role, involvement, interests, mentions``.
    Where participants describe an actor differently, the most frequent answer wins and
    ``involvement`` is the mean; ``mentions`` counts how many participants named the actor.

    With ``by_session=True`` each session keeps its own register: a ``session`` column comes
    first and an actor named in two sessions has a row in each (sessions in the order of
    ``answers``). Without it, the answers of all sessions make one register.
    """
    columns = ["naam", "organisatie", "deelname", "rol", "betrokkenheid", "belangen"]
    rows = table_rows(answers, "actoren", "register", columns)
    rows = rows.assign(actor=rows["naam"].map(_normalise)).loc[lambda df: df["actor"] != ""]
    out = ["actor", "organisation", "participation", "role", "involvement", "interests", "mentions"]
    if by_session:
        out = ["session", *out]
    if rows.empty:
        empty = pd.DataFrame(columns=out).astype({"involvement": "float64", "mentions": "int64"})
        return empty.astype({"session": "string"}) if by_session else empty
    rows["key"] = rows["actor"].str.casefold()
    grouped = rows.groupby(["session", "key"] if by_session else "key", sort=False)
    result = pd.DataFrame(
        {
            "session": grouped["session"].first(),
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
    order = _session_order(answers)
    result = result.assign(
        _session=result["session"].map(order) if by_session else 0,
        _actor=result["actor"].str.casefold(),
    ).sort_values(["_session", "_actor"], kind="mergesort")
    return result.reset_index(drop=True)[out]


def actor_relations(answers: pd.DataFrame) -> pd.DataFrame:
    """Reported relations, one row per report.

    Columns: ``session, source, target, strength, trust, reporter`` (``reporter`` is the
    participant id; ``strength`` and ``trust`` are 1-5 or ``NaN``).
    """
    rows = table_rows(answers, "actoren", "relaties", ["van", "met", "sterkte", "vertrouwen"])
    result = pd.DataFrame(
        {
            "session": rows["session"].astype("string"),
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
    """Each participant's level per ambition: ``session, participant, ambition, level``."""
    part = _select(answers, "ambities", "betrokkenheid")
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


def coalitions(levels: pd.DataFrame, minimum: int = 2) -> pd.DataFrame:
    """The coalition around each ambition: who takes part or co-decides.

    Columns: ``ambition, doers`` (a sorted list of participant ids), ``n_doers``,
    ``n_involved`` (any level but "niet") and ``viable`` (at least ``minimum`` doers: an
    ambition nobody carries will not happen).

    When ``levels`` has a ``session`` column (as :func:`ambition_levels` gives), each
    session has its own coalitions and ``session`` is the first column: the same ambition
    in two sessions is two coalitions. Sessions keep their order in ``levels``; ambitions
    are sorted by name.
    """
    columns = ["ambition", "doers", "n_doers", "n_involved", "viable"]
    by_session = "session" in levels.columns
    parts = levels.groupby("session", sort=False) if by_session else [(None, levels)]
    rows = []
    for session, part in parts:
        for ambition in sorted(part["ambition"].unique(), key=str.casefold):
            own = part.loc[part["ambition"] == ambition]
            doers = sorted(own.loc[own["level"].isin(COALITION_LEVELS), "participant"])
            involved = int((own["level"] != "niet").sum())
            row = (ambition, doers, len(doers), involved, len(doers) >= minimum)
            rows.append((session, *row) if by_session else row)
    return pd.DataFrame(rows, columns=["session", *columns] if by_session else columns)


def ambition_matrix(
    answers: pd.DataFrame, profiles: pd.DataFrame | None = None, *, by: str = "participant"
) -> pd.DataFrame:
    """Ambitions side by side: a row per participant (or organisation), a column per ambition.

    Each ambition column holds the level of involvement, an ordered categorical over
    :data:`LEVEL_ORDER` ("niet" < "weten" < "meedenken" < "meedoen" < "meebepalen"), so
    ``>=`` and sorting work; missing (``NaN``) where no level was given or the ambition was
    not named in that session. Ambitions are sorted by name.

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
    levels = ambition_levels(answers)
    categories = [*LEVEL_ORDER, *sorted(set(levels["level"]) - set(LEVEL_ORDER))]
    rank = {level: number for number, level in enumerate(categories)}
    people = _profiles(answers, profiles)
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
    block: str = "voorwaarden",
    wide: bool = False,
) -> pd.DataFrame:
    """The ratings of the ten conditions (or any scale block) with who gave them.

    Long (default), one row per rating: ``session, participant, display_name,
    organisation, role, question, score, unknown, comment`` (``display_name`` only when
    ``participants`` has it). This is :func:`scale_answers` with the profile joined, so it
    goes straight into :func:`~netwerk_widgets.conditions.condition_summary`,
    :func:`~netwerk_widgets.conditions.split_by` or ``groupby(["session", "role"])``.

    ``wide=True``: one row per participant, one float column per question (``NaN`` for
    "weet ik niet" or no rating), questions sorted by id (``v01_ambitie`` … ``v10_macht``).

    ``participants`` is :func:`load_participants` or :func:`participant_profiles`; without
    it, organisation and role come from the answers alone.
    """
    scores = scale_answers(answers, block)
    people = _profiles(answers, participants)
    keys = ["session", "participant"]
    profile = [*keys, *(c for c in PROFILE_COLUMNS if c in people.columns)]
    long = scores.merge(people[profile], on=keys, how="left")
    long = long[[*profile, "question", "score", "unknown", "comment"]].reset_index(drop=True)
    if not wide:
        return long
    questions = sorted(long["question"].dropna().unique())
    table = long.groupby([*keys, "question"], sort=False)["score"].last().unstack("question")
    base = long[profile].drop_duplicates(keys)
    result = base.merge(table, left_on=keys, right_index=True, how="left")
    result = result.reindex(columns=[*profile, *questions])
    result.columns.name = None
    return result.astype({q: "float64" for q in questions}).reset_index(drop=True)


def network_summaries(answers: pd.DataFrame) -> pd.DataFrame:
    """:func:`~netwerk_widgets.network.network_summary` of each session, one row per session.

    Columns: ``session`` and the keys of :data:`~netwerk_widgets.network.SUMMARY_LABELS`
    (``actors, relations, density, components, …``). Each session's network is built from
    its own actor register and relations; a session without actors gives zeros.
    """
    from . import network

    rows = []
    for session in _session_order(answers):
        part = answers.loc[answers["session"] == session]
        graph = network.relations_graph(actor_register(part), actor_relations(part))
        rows.append({"session": session, **network.network_summary(graph).to_dict()})
    result = pd.DataFrame(rows, columns=["session", *network.SUMMARY_LABELS])
    counts = ("actors", "relations", "components", "largest_component", "isolated", "brokers")
    return result.astype(
        {"session": "string", "density": "float64", "average_degree": "float64"}
        | {column: "int64" for column in (*counts, "not_in_register")}
    )


def _session_order(answers: pd.DataFrame) -> dict[str, int]:
    """Session code → its place in ``answers`` (first appearance)."""
    return {code: n for n, code in enumerate(dict.fromkeys(answers["session"].dropna()))}


def _profiles(answers: pd.DataFrame, participants: pd.DataFrame | None) -> pd.DataFrame:
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
    found = participant_profiles(answers, people[["participant"]])
    for column in ("organisation", "role"):
        derived = pd.Series(pd.array(found[column], dtype="string"), index=people.index)
        people[column] = (
            people[column].astype("string").fillna(derived) if column in people else derived
        )
    return people


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
