"""The ten conditions for working together: spread, pseudo-consensus, splits, tips, change.

A group average hides the disagreement that matters. A network where half the partners give
trust a 1 and the other half a 5 has the same average (3) as a network where everyone gives a
3, and the two need a very different conversation. This module therefore reports, per
condition (``v01_ambitie`` … ``v10_macht`` in the block ``voorwaarden``), the whole
distribution and a measure of disagreement next to the mean, flags "schijnconsensus"
(pseudo-consensus: people play down their differences to avoid a confrontation), splits the
answers by role or organisation, attaches tips to the weakest conditions, compares two scans
over time, and positions every partner on what the collaboration yields and costs it
(condition 9).

Input is the scores frame of :func:`~netwerk_widgets.analysis.scale_answers`: columns
``session, participant, question, score, unknown, comment`` where ``score`` is a float on
1..5 and ``NaN`` for "weet ik niet" (``unknown`` is then ``True``). Every function returns a
new DataFrame or a new Altair chart; the input is never changed. Chart builders aggregate in
pandas first (the embedded data stays small) and render offline with
:func:`netwerk_widgets.charts.to_svg`.

Texts typed by participants (organisation or role names) end up in the DataFrames as they
are; escaping them is the job of whatever shows them (the SVG renderer escapes chart text,
:func:`netwerk_widgets.groupviews.escaped_table` escapes tables).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import altair as alt
import numpy as np
import pandas as pd

from .charts import SCORE_COLOURS

# --- The scale and the conditions --------------------------------------------------------

SCALE_MIN = 1
SCALE_MAX = 5
SCORES = tuple(range(SCALE_MIN, SCALE_MAX + 1))
COUNT_COLUMNS = tuple(f"n_{s}" for s in SCORES)

CONDITIONS = (
    "v01_ambitie",
    "v02_urgentie",
    "v03_meerwaarde",
    "v04_vertrouwen",
    "v05_rollen",
    "v06_verschillen",
    "v07_betrokkenen",
    "v08_spelregels",
    "v09_evaluatie",
    "v10_macht",
)
"""The question ids of the ten conditions in the template ``netwerkwerkboek``."""

SHORT_LABELS: Mapping[str, str] = {
    "v01_ambitie": "1 Gedeelde ambitie",
    "v02_urgentie": "2 Samen willen (urgentie)",
    "v03_meerwaarde": "3 Ieders meerwaarde",
    "v04_vertrouwen": "4 Vertrouwen",
    "v05_rollen": "5 Omgaan met rollen",
    "v06_verschillen": "6 Verschillen accepteren",
    "v07_betrokkenen": "7 Iedereen aan tafel",
    "v08_spelregels": "8 Samen spelregels",
    "v09_evaluatie": "9 Evaluatie en reflectie",
    "v10_macht": "10 Macht en conflict",
}
"""Short Dutch names used in charts when no ``labels`` are given."""

UNKNOWN_GROUP = "onbekend"
"""The group of a participant whose role or organisation is missing."""

GROUP_NAMES: Mapping[str, str] = {"role": "rol", "organisation": "organisatie"}

# --- Thresholds ---------------------------------------------------------------------------

HIGH_MEAN = 3.5
"""A mean from which a condition "looks fine" (rule a of the pseudo-consensus flag).

Half a point above the middle of the 1-5 scale: on average the group leans to "holds". Below
it the group already sees a problem, so a wide spread is not hidden by a rosy average and is
not called pseudo-consensus (it still shows in ``disagreement`` and in the charts).
"""

WIDE_DISAGREEMENT = 0.35
"""Disagreement (Tastle & Wierman dissent, 0..1) from which answers "lopen sterk uiteen".

Answers on two neighbouring scale points never exceed 0.19 (half 4, half 5), and answers
spread over three neighbouring points stay under 0.3 as long as the middle holds people (a
third each on 3, 4 and 5 gives 0.28): that is ordinary variety of opinion. From 0.35 on the
group falls into camps two points apart (half 3, half 5: 0.42) or some people sit three or
four points from the rest (one 1 among nine 5s: 0.47; two 1s among six 5s: 0.81; half 1 and
half 5 is the maximum, 1). A lone 2 among 4s and 5s (0.26-0.33) stays below it: worth a
question, not a flag.
"""

MIN_RATINGS = 3
"""Fewest ratings (not counting "weet ik niet") for which rule a judges a spread at all."""

GROUP_GAP = 1.5
"""Gap between the highest and lowest group mean from which groups are "far apart" (rule b).

One and a half points on a 1-5 scale is the difference between "so-so" (3) and "nearly
fully" (4.5), or between "hardly" (2) and "mostly" (3.5): groups that far apart do not share
one picture of the network, whatever the overall mean says.
"""

GROUP_SHARE = 0.5
"""Least share of the differences that must lie *between* the groups (rule b), 0..1.

The share is omega squared (ω², Hays), the part of the variance of the ratings explained by
the groups, corrected for chance: ``(SSB - (k-1)·MSW) / (SST + MSW)``. It is needed because
with small groups a gap between group means easily comes by chance: with six organisations of
two people whose ratings differ by chance only (spread as in a typical scan, mostly 3 and 4),
the highest and lowest organisation are 1.5 points or more apart in over eight of ten
conditions. Requiring also that at least half of the differences run along group lines
brings such chance flags down to under one in ten (three in a hundred or fewer for four
groups of three or four), while a real split stays far above 0.5 (4, 4, 5 against 2, 2, 3: 0.74; all
5 against all 2: 1). An organisation that is itself divided (5, 5, 5, 1 against 2, 2, 2, 2:
0.27) is not a split between organisations.
"""

MIN_GROUP_RATINGS = 2
"""Fewest ratings a group needs to count in the gap between groups.

A group of one person is that person's opinion, which rule a already covers; two is the
least that makes a group answer, and with 5-30 people per network a higher minimum would
leave most organisations out.
"""

BALANCE_MARGIN = 0.5
"""How much yields must exceed costs (or costs yields) on the 1-5 scale to be "clear".

Half a point: for a single respondent any one-step difference (yields 4, costs 3) counts,
while for an organisation with several respondents small differences of averages stay
"in balans".
"""

POSITION_WIN = "win-win"
POSITION_BALANCE = "in balans"
POSITION_LOSS = "kost meer dan het oplevert"
POSITION_UNKNOWN = "onbekend"
POSITIONS = (POSITION_WIN, POSITION_BALANCE, POSITION_LOSS, POSITION_UNKNOWN)
POSITION_COLOURS = ("#1a9641", "#969696", "#d7191c", "#d9d9d9")
GROUP_COLOURS = (
    "#4c78a8",
    "#f58518",
    "#54a24b",
    "#b279a2",
    "#e45756",
    "#72b7b2",
    "#eeca3b",
    "#9d755d",
)

# --- Tips ---------------------------------------------------------------------------------

TIPS: Mapping[str, Mapping[str, str]] = {
    "v01_ambitie": {
        "nl": "Schrijf samen in één zin op waar het netwerk voor staat en welk doel daarbij "
        "hoort, en leg die zin opnieuw op tafel zodra er partners bijkomen of vertrekken.",
        "en": "Write down together, in one sentence, what the network stands for and which "
        "goal goes with it, and put that sentence back on the table whenever partners join "
        "or leave.",
    },
    "v02_urgentie": {
        "nl": "Laat iedere partner vertellen wat het voor de eigen organisatie betekent als "
        "het netwerk slaagt: wie zijn eigen winst herkent in het gezamenlijke resultaat, "
        "blijft tijd en middelen steken.",
        "en": "Let every partner say what success of the network means for its own "
        "organisation: whoever sees its own gain in the joint result keeps investing time "
        "and means.",
    },
    "v03_meerwaarde": {
        "nl": "Zet per partner op een rij wat die inbrengt (kennis, tijd, geld, contacten) en "
        "wat de anderen daaraan hebben; een bijdrage die niemand ziet, wordt ook niet "
        "gewaardeerd.",
        "en": "List per partner what it brings in (knowledge, time, money, contacts) and what "
        "the others gain from it; a contribution nobody sees is not valued either.",
    },
    "v04_vertrouwen": {
        "nl": "Vertrouwen groeit met afspraken die worden nagekomen: begin met iets kleins dat "
        "snel lukt, vier het als het lukt en bespreek het meteen als het niet lukt.",
        "en": "Trust grows with promises that are kept: start with something small that works "
        "quickly, celebrate when it does and talk about it at once when it does not.",
    },
    "v05_rollen": {
        "nl": "Vraag bij overleg steeds met welke pet iemand aan tafel zit, als persoon, als "
        "lid van deze groep of namens de eigen organisatie, en wat die achterban mag "
        "verwachten.",
        "en": "In meetings, ask each time which hat someone wears, as a person, as a member of "
        "this group or on behalf of their own organisation, and what that constituency may "
        "expect.",
    },
    "v06_verschillen": {
        "nl": "Vraag bij elk besluit uitdrukkelijk wie twijfelt en waarom; instemming waar "
        "niemand tegenin durft te gaan is geen instemming. Geef andere belangen en ideeën "
        "een vaste plek op de agenda.",
        "en": "With every decision, ask explicitly who has doubts and why; agreement nobody "
        "dares to challenge is no agreement. Give other interests and ideas a fixed place "
        "on the agenda.",
    },
    "v07_betrokkenen": {
        "nl": "Loop samen na wie er nog ontbreekt, ook partijen die lastig lijken, en haal ze "
        "erbij als het vraagstuk nog wordt benoemd, niet pas als de oplossing klaar is.",
        "en": "Check together who is still missing, including parties that seem difficult, "
        "and bring them in while the issue is still being named, not once the solution is "
        "ready.",
    },
    "v08_spelregels": {
        "nl": "Leg samen vast hoe jullie besluiten nemen, wie wat trekt en hoe jullie sturen, "
        "en kijk geregeld of die werkwijze nog past bij de fase waarin het netwerk zit.",
        "en": "Agree together how you take decisions, who leads on what and how you steer, and "
        "check now and then whether that way of working still fits the network's stage.",
    },
    "v09_evaluatie": {
        "nl": "Plan vaste momenten om terug te kijken: zet per partner de opbrengst naast de "
        "inspanning en ga na of jullie nog doen waarvoor het netwerk begon.",
        "en": "Plan fixed moments to look back: set each partner's gains against its effort "
        "and check whether you still do what the network was started for.",
    },
    "v10_macht": {
        "nl": "Benoem hardop wie over geld, mandaat of informatie beschikt, en spreek vooraf af "
        "wat jullie doen als een partner zijn overwicht inzet of als een conflict oploopt.",
        "en": "Say out loud who holds money, mandate or information, and agree beforehand what "
        "you will do when a partner uses its weight or a conflict escalates.",
    },
}
"""A tip per condition, in our own words, in Dutch (``nl``) and English (``en``)."""

# --- Column sets of the results -----------------------------------------------------------

SUMMARY_COLUMNS = (
    "question",
    "n",
    "n_unknown",
    "mean",
    "median",
    "low",
    "high",
    *COUNT_COLUMNS,
    "disagreement",
)
FLAG_COLUMNS = (
    "question",
    "mean",
    "disagreement",
    "low",
    "high",
    "wide_spread",
    "groups_apart",
    "flagged",
    "reason",
)
SPLIT_COLUMNS = ("question", "by", "group", "n", "n_unknown", "mean", "gap", "between_share")
COST_BENEFIT_COLUMNS = ("organisation", "n", "yields", "costs", "balance", "position")
COMPARE_COLUMNS = (
    "question",
    "n_before",
    "mean_before",
    "disagreement_before",
    "n_after",
    "mean_after",
    "disagreement_after",
    "change",
    "direction",
)


# --- Helpers ------------------------------------------------------------------------------


def _nl(value: float, digits: int = 1) -> str:
    """A number the Dutch way: ``3,9``."""
    return f"{value:.{digits}f}".replace(".", ",")


def _empty(columns: Iterable[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in columns})


def _scores(scores: pd.DataFrame) -> pd.DataFrame:
    """A clean copy: ``question`` (str), ``score`` (float), ``unknown`` (bool) and the rest."""
    if scores is None or scores.empty:
        return pd.DataFrame(
            {
                "participant": pd.Series(dtype="object"),
                "question": pd.Series(dtype="object"),
                "score": pd.Series(dtype="float64"),
                "unknown": pd.Series(dtype="bool"),
            }
        )
    missing = {"question", "score"} - set(scores.columns)
    if missing:
        raise ValueError(f"scores mist de kolom(men) {sorted(missing)}")
    data = scores.copy()
    data["question"] = data["question"].astype(str)
    data["score"] = pd.to_numeric(data["score"], errors="coerce").astype("float64")
    if "unknown" in data.columns:
        data["unknown"] = data["unknown"].fillna(False).astype(bool)
    else:
        data["unknown"] = False
    outside = data["score"].notna() & ~data["score"].between(SCALE_MIN, SCALE_MAX)
    if outside.any():
        raise ValueError(f"scores buiten {SCALE_MIN}-{SCALE_MAX}: {sorted(data['score'][outside])}")
    return data


def dissent(values: Iterable[float]) -> float:
    """Tastle & Wierman's dissent of ratings on the 1-5 scale: 0 (all equal) to 1 (split).

    ``Dnt = -sum(p_i * log2(1 - |X_i - mean| / (max - min)))`` over the scale points ``X_i``
    with their share ``p_i``; consensus is ``1 - Dnt``. ``NaN`` for no ratings.

    Tastle, W. J. & Wierman, M. J. (2007), "Consensus and dissention: a measure of ordinal
    dispersion", *International Journal of Approximate Reasoning* 45(3), 531-545.
    """
    array = np.asarray([v for v in values if not pd.isna(v)], dtype="float64")
    if array.size == 0:
        return float("nan")
    points, counts = np.unique(array, return_counts=True)
    shares = counts / counts.sum()
    distance = np.abs(points - array.mean()) / (SCALE_MAX - SCALE_MIN)
    value = -float(np.sum(shares * np.log2(1.0 - distance)))
    return min(1.0, max(0.0, value))


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Weakest first: mean, then median, then most disagreement, then question id."""
    if frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(
        ["mean", "median", "disagreement", "question"],
        ascending=[True, True, False, True],
        na_position="last",
        kind="mergesort",
    ).reset_index(drop=True)


def _label_map(questions: Iterable[str], labels: Mapping[str, str] | None) -> dict[str, str]:
    """Question id → text to show; unique texts (duplicates get their id added)."""
    labels = dict(labels or {})
    result: dict[str, str] = {}
    seen: set[str] = set()
    for question in questions:
        text = str(labels.get(question, SHORT_LABELS.get(question, question)))
        if text in seen:
            text = f"{text} ({question})"
        seen.add(text)
        result[question] = text
    return result


def between_share(groups: Iterable[Iterable[float]]) -> float:
    """Omega squared: the chance-corrected share of the variance that lies between groups.

    ``(SSB - (k-1)·MSW) / (SST + MSW)``, clipped to 0..1; ``NaN`` for fewer than two groups
    or no degrees of freedom within the groups; 0 when all ratings are equal.
    """
    arrays = [np.asarray(list(g), dtype="float64") for g in groups]
    arrays = [a[~np.isnan(a)] for a in arrays]
    arrays = [a for a in arrays if a.size]
    total = np.concatenate(arrays) if arrays else np.array([])
    k, n = len(arrays), total.size
    if k < 2 or n <= k:
        return float("nan")
    grand = total.mean()
    ssb = sum(a.size * (a.mean() - grand) ** 2 for a in arrays)
    ssw = sum(float(((a - a.mean()) ** 2).sum()) for a in arrays)
    sst = ssb + ssw
    if sst == 0:
        return 0.0
    msw = ssw / (n - k)
    return min(1.0, max(0.0, (ssb - (k - 1) * msw) / (sst + msw)))


def _clean_group(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return UNKNOWN_GROUP
    text = str(value).strip()
    return text or UNKNOWN_GROUP


# --- 1. Summary ---------------------------------------------------------------------------


def condition_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per condition the whole picture, ordered from weakest to strongest.

    Columns: ``question``; ``n`` (ratings, "weet ik niet" not included); ``n_unknown`` ("weet
    ik niet"); ``mean`` and ``median`` of the ratings (so "weet ik niet" does not drag them
    down); ``low`` and ``high`` (lowest and highest rating); ``n_1`` … ``n_5`` (how many
    people gave each score); ``disagreement``.

    **Disagreement** is Tastle & Wierman's *dissent* (2007), see :func:`dissent`: 0 when
    everyone gives the same score, 1 when the group is split in two halves at 1 and 5. It
    suits 1-5 Likert answers of small groups (5-30 people) because it

    * treats the scale as ordinal with distances: a 1 against a 5 weighs more than a 4
      against a 5, unlike a count of "how many differ from the mode";
    * is normalised by the width of the scale, so 0..1 means the same for every condition
      and every network, and a threshold can be set once (:data:`WIDE_DISAGREEMENT`);
    * describes the shares of the answers and does not estimate a population, so it does
      not change with group size: eight people split 4-4 over 1 and 5 score the same as
      twenty split 10-10 (a sample standard deviation would call two people at 1 and 5 more
      divided, 2.8, than the largest possible spread of a big group, 2).

    **Order**: by ``mean``, lowest first, ties broken by ``median``, then by most
    disagreement. The mean, not the median, leads because with 5-30 people the median only
    takes the values 1, 1.5, … 5 and ties most conditions, while the mean still separates
    them. Conditions nobody rated (only "weet ik niet") come last.
    """
    data = _scores(scores)
    if data.empty:
        return _empty(SUMMARY_COLUMNS)
    rows = []
    for question, part in data.groupby("question", sort=True):
        rated = part["score"].dropna()
        counts = rated.round().astype(int).value_counts()
        rows.append(
            {
                "question": question,
                "n": len(rated),
                "n_unknown": int(part["unknown"].sum()),
                "mean": float(rated.mean()) if len(rated) else np.nan,
                "median": float(rated.median()) if len(rated) else np.nan,
                "low": float(rated.min()) if len(rated) else np.nan,
                "high": float(rated.max()) if len(rated) else np.nan,
                **{f"n_{s}": int(counts.get(s, 0)) for s in SCORES},
                "disagreement": dissent(rated),
            }
        )
    return _ordered(pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)))


# --- 3. Split by role or organisation ------------------------------------------------------


def _with_group(scores: pd.DataFrame, participants: pd.DataFrame, by: str) -> pd.DataFrame:
    """``scores`` with a column ``group``: the participant's ``by`` value or "onbekend"."""
    if participants is None or "participant" not in participants.columns:
        raise ValueError("participants heeft een kolom 'participant' nodig")
    if by not in participants.columns:
        raise ValueError(f"participants heeft geen kolom {by!r}")
    keys = ["participant"]
    if "session" in participants.columns and "session" in scores.columns:
        keys = ["session", "participant"]
    lookup = participants[[*keys, by]].copy()
    for key in keys:
        lookup[key] = lookup[key].astype(str)
    lookup = lookup.drop_duplicates(keys, keep="last").rename(columns={by: "group"})
    left = scores.reset_index(drop=True)
    left_keys = left[keys].astype(str)
    merged = left_keys.merge(lookup, on=keys, how="left")
    return left.assign(group=merged["group"].map(_clean_group).to_numpy())


def split_by(
    scores: pd.DataFrame, participants: pd.DataFrame, by: str = "organisation"
) -> pd.DataFrame:
    """Per condition and group (role or organisation): how many rated it and their mean.

    ``participants`` has a column ``participant`` (and optionally ``session``, then both are
    matched) and the group column named ``by`` (``"role"`` or ``"organisation"``; any other
    column works too). Participants without a value, or missing from ``participants``, are
    put in the group "onbekend".

    Columns: ``question, by, group, n, n_unknown, mean, gap, between_share``. ``gap`` is, per
    condition, the highest minus the lowest group mean, counting only real groups (not
    "onbekend") with at least :data:`MIN_GROUP_RATINGS` ratings; ``between_share`` is the
    part of the differences that lies between those groups (:func:`between_share`, see
    :data:`GROUP_SHARE`). Both are ``NaN`` when fewer than two groups count.
    Conditions come weakest first (as in :func:`condition_summary`), groups by name with
    "onbekend" last.
    """
    data = _scores(scores)
    if data.empty:
        return _empty(SPLIT_COLUMNS)
    if "participant" not in data.columns:
        raise ValueError("scores heeft een kolom 'participant' nodig om te splitsen")
    data = _with_group(data, participants, by)
    rows = []
    for (question, group), part in data.groupby(["question", "group"], sort=True):
        rated = part["score"].dropna()
        rows.append(
            {
                "question": question,
                "by": by,
                "group": group,
                "n": len(rated),
                "n_unknown": int(part["unknown"].sum()),
                "mean": float(rated.mean()) if len(rated) else np.nan,
            }
        )
    split = pd.DataFrame(rows)
    counts = (split["group"] != UNKNOWN_GROUP) & (split["n"] >= MIN_GROUP_RATINGS)
    eligible = split.loc[counts & split["mean"].notna()]
    spread = eligible.groupby("question")["mean"].agg(["max", "min", "size"])
    gap = (spread["max"] - spread["min"]).where(spread["size"] >= 2)
    split["gap"] = split["question"].map(gap).astype("float64")
    counted = data.loc[data["score"].notna()].merge(
        eligible[["question", "group"]], on=["question", "group"]
    )
    share = {
        question: between_share(g["score"] for _, g in part.groupby("group"))
        for question, part in counted.groupby("question")
    }
    split["between_share"] = split["question"].map(share).astype("float64")
    order = {q: i for i, q in enumerate(condition_summary(data)["question"])}
    split = split.assign(
        _q=split["question"].map(order),
        _unknown=split["group"] == UNKNOWN_GROUP,
    ).sort_values(["_q", "_unknown", "group"], kind="mergesort")
    return split.drop(columns=["_q", "_unknown"]).reset_index(drop=True)[list(SPLIT_COLUMNS)]


# --- 2. Pseudo-consensus --------------------------------------------------------------------


def pseudo_consensus(
    scores: pd.DataFrame,
    participants: pd.DataFrame | None = None,
    by: str | Iterable[str] = ("role", "organisation"),
) -> pd.DataFrame:
    """Flag "schijnconsensus": a condition that looks agreed on while it is not.

    A condition is flagged when

    a. **high but wide**: at least :data:`MIN_RATINGS` ratings, the mean is at least
       :data:`HIGH_MEAN` and the disagreement at least :data:`WIDE_DISAGREEMENT`: the
       average says "fine" while part of the group says otherwise; or
    b. **groups far apart**: split by a column in ``by`` (those ``participants`` has), the
       highest and lowest group mean differ by at least :data:`GROUP_GAP` and at least
       :data:`GROUP_SHARE` of the differences lies between the groups (see :func:`split_by`
       for which groups count). This rule holds whatever the overall mean: a mean of 3.5
       made of one organisation at 5 and another at 2 describes neither.

    Without ``participants`` only rule a applies. Columns: ``question, mean, disagreement,
    low, high, wide_spread, groups_apart, flagged, reason``; every condition is listed,
    weakest first; ``reason`` explains a flag in Dutch ("" when not flagged), e.g.
    "Gemiddeld hoog (3,9), maar de antwoorden lopen sterk uiteen (1 tot 5)".
    """
    summary = condition_summary(scores)
    if summary.empty:
        return _empty(FLAG_COLUMNS)
    result = summary[["question", "mean", "disagreement", "low", "high"]].copy()
    wide = (
        (summary["n"] >= MIN_RATINGS)
        & (summary["mean"] >= HIGH_MEAN)
        & (summary["disagreement"] >= WIDE_DISAGREEMENT)
    ).fillna(False)
    reasons: dict[str, list[str]] = {q: [] for q in result["question"]}
    for row in summary.loc[wide].itertuples(index=False):
        reasons[row.question].append(
            f"Gemiddeld hoog ({_nl(row.mean)}), maar de antwoorden lopen sterk uiteen "
            f"({int(row.low)} tot {int(row.high)}; onenigheid {_nl(row.disagreement, 2)})"
        )
    apart: set[str] = set()
    columns = [by] if isinstance(by, str) else list(by)
    if participants is not None and not participants.empty:
        for column in columns:
            if column not in participants.columns:
                continue
            split = split_by(scores, participants, by=column)
            far = split.loc[
                (split["gap"] >= GROUP_GAP - 1e-9) & (split["between_share"] >= GROUP_SHARE - 1e-9)
            ]
            for question, part in far.groupby("question", sort=False):
                counted = part.loc[
                    (part["group"] != UNKNOWN_GROUP) & (part["n"] >= MIN_GROUP_RATINGS)
                ].sort_values(["mean", "group"])
                low, high = counted.iloc[0], counted.iloc[-1]
                name = GROUP_NAMES.get(column, column)
                reasons[question].append(
                    f"Per {name} lopen de antwoorden ver uiteen: {high['group']} gemiddeld "
                    f"{_nl(high['mean'])}, {low['group']} gemiddeld {_nl(low['mean'])} "
                    f"(verschil {_nl(high['gap'])})"
                )
                apart.add(question)
    result["wide_spread"] = wide.to_numpy(dtype=bool)
    result["groups_apart"] = result["question"].isin(apart).to_numpy(dtype=bool)
    result["flagged"] = result["wide_spread"] | result["groups_apart"]
    result["reason"] = result["question"].map(lambda q: "; ".join(reasons[q]))
    return result[list(FLAG_COLUMNS)].reset_index(drop=True)


# --- 4. Tips ------------------------------------------------------------------------------


def tips_for_weakest(summary: pd.DataFrame, k: int = 3, *, language: str = "nl") -> pd.DataFrame:
    """The ``k`` weakest conditions (from :func:`condition_summary`) with a tip each.

    Conditions nobody rated are skipped. Adds a column ``tip`` (from :data:`TIPS`, in
    ``language`` "nl" or "en"; "" for a question without a tip).
    """
    if summary is None or summary.empty or k <= 0:
        return _empty([*(summary.columns if summary is not None else SUMMARY_COLUMNS), "tip"])
    rated = summary.loc[summary["n"] > 0] if "n" in summary.columns else summary
    weakest = _ordered(rated.copy()).head(k).copy()
    weakest["tip"] = weakest["question"].map(
        lambda q: TIPS.get(q, {}).get(language, TIPS.get(q, {}).get("nl", ""))
    )
    return weakest.reset_index(drop=True)


# --- 5. Cost and benefit (condition 9) -------------------------------------------------------


def cost_benefit(frame: pd.DataFrame) -> pd.DataFrame:
    """What the collaboration yields and costs each organisation, and where that leaves it.

    ``frame`` has ``organisation``, ``yields`` and ``costs`` (1-5), one row per respondent;
    several respondents of one organisation are averaged. Columns: ``organisation, n,
    yields, costs, balance, position`` with ``balance = yields - costs`` and ``position``:

    * "win-win": yields exceed costs by at least :data:`BALANCE_MARGIN`;
    * "kost meer dan het oplevert": costs exceed yields by at least that margin;
    * "in balans": in between;
    * "onbekend": yields or costs missing.

    A missing organisation becomes "onbekend". Ordered by balance, the worst off first.
    """
    if frame is None or frame.empty:
        return _empty(COST_BENEFIT_COLUMNS)
    missing = {"organisation", "yields", "costs"} - set(frame.columns)
    if missing:
        raise ValueError(f"de tabel mist de kolom(men) {sorted(missing)}")
    data = pd.DataFrame(
        {
            "organisation": frame["organisation"].map(_clean_group).to_numpy(),
            "yields": pd.to_numeric(frame["yields"], errors="coerce").to_numpy(dtype="float64"),
            "costs": pd.to_numeric(frame["costs"], errors="coerce").to_numpy(dtype="float64"),
        }
    )
    result = (
        data.groupby("organisation", sort=True)
        .agg(n=("organisation", "size"), yields=("yields", "mean"), costs=("costs", "mean"))
        .reset_index()
    )
    result["balance"] = (result["yields"] - result["costs"]).round(9)

    def position(balance: float) -> str:
        if pd.isna(balance):
            return POSITION_UNKNOWN
        if balance >= BALANCE_MARGIN:
            return POSITION_WIN
        if balance <= -BALANCE_MARGIN:
            return POSITION_LOSS
        return POSITION_BALANCE

    result["position"] = result["balance"].map(position)
    result = result.sort_values(
        ["balance", "organisation"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    return result[list(COST_BENEFIT_COLUMNS)]


# --- 6. Over time ---------------------------------------------------------------------------


def compare_scans(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per condition the mean of two scans (e.g. two sessions of one network) and the change.

    Columns: ``question, n_before, mean_before, disagreement_before, n_after, mean_after,
    disagreement_after, change, direction``; ``change = mean_after - mean_before`` (positive:
    the condition got stronger), ``direction`` is "hoger", "lager", "gelijk" or "onbekend"
    (a condition rated in only one scan). Ordered weakest first by the later scan.
    """
    columns = ["question", "n", "mean", "disagreement"]
    first = condition_summary(before)
    second = condition_summary(after)
    if first.empty and second.empty:
        return _empty(COMPARE_COLUMNS)
    first = first.reindex(columns=columns).rename(columns={c: f"{c}_before" for c in columns[1:]})
    second = second.reindex(columns=columns).rename(columns={c: f"{c}_after" for c in columns[1:]})
    result = second.merge(first, on="question", how="outer", sort=False)
    for column in ("n_before", "n_after"):
        result[column] = result[column].fillna(0).astype(int)
    for column in ("mean_before", "mean_after", "disagreement_before", "disagreement_after"):
        result[column] = result[column].astype("float64")
    result["change"] = (result["mean_after"] - result["mean_before"]).round(9)
    result["direction"] = np.select(
        [result["change"] > 0, result["change"] < 0, result["change"] == 0],
        ["hoger", "lager", "gelijk"],
        default="onbekend",
    )
    result = result.sort_values(
        ["mean_after", "question"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    return result[list(COMPARE_COLUMNS)]


# --- 7. Charts ------------------------------------------------------------------------------


def distribution_chart(scores: pd.DataFrame, labels: Mapping[str, str] | None = None) -> alt.Chart:
    """Per condition the whole distribution as diverging bars, weakest condition on top.

    Scores 1 and 2 go left of zero, 4 and 5 right, a 3 straddles zero; a bar's length is a
    number of people, so a split group shows as long bars on both sides. The label of each
    condition says how many rated it and how many answered "weet ik niet". ``labels`` maps
    question ids to texts (default: :data:`SHORT_LABELS`, else the id).
    """
    summary = condition_summary(scores)
    names = _label_map(summary["question"], labels)
    rows = []
    for row in summary.itertuples(index=False):
        counts = {s: getattr(row, f"n_{s}") for s in SCORES}
        unknown = f", {row.n_unknown}× weet ik niet" if row.n_unknown else ""
        label = f"{names[row.question]} (n={row.n}{unknown})"
        start = -(counts[1] + counts[2] + counts[3] / 2)
        for score in SCORES:
            if counts[score]:
                rows.append(
                    {
                        "vraag": label,
                        "antwoord": str(score),
                        "aantal": counts[score],
                        "begin": start,
                        "eind": start + counts[score],
                        "gemiddelde": round(float(row.mean), 2),
                    }
                )
            start += counts[score]
    data = pd.DataFrame(
        rows, columns=["vraag", "antwoord", "aantal", "begin", "eind", "gemiddelde"]
    )
    order = [str(s) for s in SCORES]
    return (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "begin:Q",
                title="aantal deelnemers (links: geldt niet, rechts: geldt wel)",
                axis=alt.Axis(labelExpr="abs(datum.value)", tickMinStep=1),
            ),
            x2="eind:Q",
            y=alt.Y(
                "vraag:N",
                title=None,
                sort=list(dict.fromkeys(data["vraag"])),
                axis=alt.Axis(labelLimit=360),
            ),
            color=alt.Color(
                "antwoord:N",
                title="score",
                sort=order,
                scale=alt.Scale(domain=order, range=list(SCORE_COLOURS)),
            ),
            tooltip=["vraag:N", "antwoord:N", "aantal:Q", "gemiddelde:Q"],
        )
        .properties(width=360, height=alt.Step(24))
    )


def split_chart(split: pd.DataFrame, labels: Mapping[str, str] | None = None) -> alt.Chart:
    """Group means per condition as dots on the 1-5 scale: the gap between groups shows.

    ``split`` comes from :func:`split_by`. Every group has its own line within a condition,
    so equal means do not hide each other; a dot's size is the number of ratings and
    "onbekend" is grey. The conditions keep the order of ``split`` (weakest first).
    """
    split = split if split is not None else _empty(SPLIT_COLUMNS)
    names = _label_map(dict.fromkeys(split["question"]), labels)
    data = pd.DataFrame(
        {
            "vraag": split["question"].map(names).astype(object),
            "groep": split["group"].astype(object),
            "aantal": split["n"].astype("float64"),
            "gemiddelde": split["mean"].astype("float64").round(2),
            "verschil": split["gap"].astype("float64").round(2),
        }
    ).dropna(subset=["gemiddelde"])
    by = str(split["by"].iloc[0]) if len(split) else ""
    title = GROUP_NAMES.get(by, by) or "groep"
    groups = sorted(set(data["groep"]) - {UNKNOWN_GROUP})
    palette = GROUP_COLOURS * (len(groups) // len(GROUP_COLOURS) + 1)
    domain = [*groups, UNKNOWN_GROUP] if UNKNOWN_GROUP in set(data["groep"]) else groups
    colours = [*palette[: len(groups)], "#bdbdbd"][: len(domain)]
    counts = sorted({int(n) for n in data["aantal"]})
    sizes = counts if len(counts) <= 4 else [counts[0], counts[len(counts) // 2], counts[-1]]
    return (
        alt.Chart(data)
        .mark_circle(opacity=0.85)
        .encode(
            x=alt.X(
                "gemiddelde:Q",
                title="gemiddelde score",
                scale=alt.Scale(domain=[SCALE_MIN, SCALE_MAX]),
            ),
            y=alt.Y(
                "vraag:N",
                title=None,
                sort=list(dict.fromkeys(data["vraag"])),
                axis=alt.Axis(labelLimit=360),
            ),
            yOffset=alt.YOffset("groep:N", sort=domain),
            color=alt.Color(
                "groep:N", title=title, sort=domain, scale=alt.Scale(domain=domain, range=colours)
            ),
            size=alt.Size(
                "aantal:Q",
                title="aantal",
                scale=alt.Scale(range=[0, 200], zero=True),
                legend=alt.Legend(values=sizes, format="d"),
            ),
            tooltip=["vraag:N", "groep:N", "aantal:Q", "gemiddelde:Q", "verschil:Q"],
        )
        .properties(width=360, height=alt.Step(9))
    )


def cost_benefit_chart(frame: pd.DataFrame) -> alt.LayerChart:
    """Yields against costs per organisation, with the diagonal where they are equal.

    ``frame`` is the respondents' table or the result of :func:`cost_benefit`. Above the
    diagonal the collaboration yields more than it costs; colour gives the position, so an
    organisation that is not win-win stands out. A layered chart (points, names and the
    diagonal need three marks); it can be changed with ``.properties`` like any chart.
    """
    result = cost_benefit(frame)
    data = pd.DataFrame(
        {
            "organisatie": result["organisation"].astype(object),
            "opbrengst": result["yields"].astype("float64").round(2),
            "kosten": result["costs"].astype("float64").round(2),
            "positie": result["position"].astype(object),
            "aantal": result["n"].astype("float64"),
        }
    ).dropna(subset=["opbrengst", "kosten"])
    low, high = SCALE_MIN - 0.5, SCALE_MAX + 0.5
    scale = alt.Scale(domain=[low, high], nice=False, zero=False)
    ticks = list(SCORES)
    x_axis = alt.X("kosten:Q", scale=scale, title="kosten (1-5)", axis=alt.Axis(values=ticks))
    y_axis = alt.Y("opbrengst:Q", scale=scale, title="opbrengst (1-5)", axis=alt.Axis(values=ticks))
    diagonal = (
        alt.Chart(pd.DataFrame({"kosten": [low], "opbrengst": [low], "eind": [high]}))
        .mark_rule(color="#737373", strokeDash=[4, 4])
        .encode(x=x_axis, y=y_axis, x2="eind:Q", y2="eind:Q")
    )
    corners = (
        alt.Chart(
            pd.DataFrame(
                {
                    "kosten": [SCALE_MIN + 1.0, SCALE_MAX - 1.0],
                    "opbrengst": [high - 0.2, low + 0.2],
                    "tekst": ["levert meer op dan het kost", "kost meer dan het oplevert"],
                }
            )
        )
        .mark_text(color="#969696", fontSize=10, fontStyle="italic")
        .encode(x=x_axis, y=y_axis, text="tekst:N")
    )
    base = alt.Chart(data).encode(x=x_axis, y=y_axis)
    shown = [p for p in POSITIONS if p != POSITION_UNKNOWN]
    points = base.mark_circle(size=140, opacity=0.9).encode(
        color=alt.Color(
            "positie:N",
            title="positie",
            scale=alt.Scale(domain=shown, range=list(POSITION_COLOURS[: len(shown)])),
        ),
        tooltip=["organisatie:N", "opbrengst:Q", "kosten:Q", "positie:N", "aantal:Q"],
    )
    names = base.mark_text(align="left", dx=9, fontSize=11).encode(text="organisatie:N")
    return alt.layer(diagonal, corners, points, names).properties(width=320, height=320)


def change_chart(comparison: pd.DataFrame, labels: Mapping[str, str] | None = None) -> alt.Chart:
    """Per condition an arrow from the earlier to the later mean (from :func:`compare_scans`).

    A dot marks the earlier scan and a triangle the later one, pointing the way the condition
    moved; green is up, red is down. Conditions keep the order of ``comparison``.
    """
    comparison = comparison if comparison is not None else _empty(COMPARE_COLUMNS)
    names = _label_map(comparison["question"], labels)
    colours = {"hoger": "#1a9641", "lager": "#d7191c", "gelijk": "#969696", "onbekend": "#bdbdbd"}
    markers = {"hoger": "later (hoger)", "lager": "later (lager)"}
    rows = []
    for row in comparison.itertuples(index=False):
        for step, (moment, mean) in enumerate(
            [("eerder", row.mean_before), ("later", row.mean_after)]
        ):
            if pd.isna(mean):
                continue
            marker = markers.get(row.direction, "later") if moment == "later" else "eerder"
            rows.append(
                {
                    "vraag": names[row.question],
                    "moment": moment,
                    "stap": step,
                    "gemiddelde": round(float(mean), 2),
                    "richting": row.direction,
                    "markering": marker,
                    "verandering": None if pd.isna(row.change) else round(float(row.change), 2),
                }
            )
    data = pd.DataFrame(
        rows,
        columns=["vraag", "moment", "stap", "gemiddelde", "richting", "markering", "verandering"],
    )
    shapes = {
        "eerder": "circle",
        "later": "diamond",
        "later (hoger)": "triangle-right",
        "later (lager)": "triangle-left",
    }
    return (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=90), strokeWidth=2)
        .encode(
            x=alt.X(
                "gemiddelde:Q",
                title="gemiddelde score",
                scale=alt.Scale(domain=[SCALE_MIN, SCALE_MAX]),
            ),
            y=alt.Y(
                "vraag:N",
                title=None,
                sort=list(dict.fromkeys(data["vraag"])),
                axis=alt.Axis(labelLimit=360),
            ),
            detail="vraag:N",
            order="stap:Q",
            color=alt.Color(
                "richting:N",
                title="verandering",
                scale=alt.Scale(domain=list(colours), range=list(colours.values())),
            ),
            shape=alt.Shape(
                "markering:N",
                title="scan",
                scale=alt.Scale(domain=list(shapes), range=list(shapes.values())),
            ),
            tooltip=["vraag:N", "moment:N", "gemiddelde:Q", "verandering:Q"],
        )
        .properties(width=360, height=alt.Step(24))
    )
