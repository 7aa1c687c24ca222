"""The analysts' API: loaders, per-block views over several sessions, charts at scale."""

from __future__ import annotations

import inspect
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

import netwerk_widgets as nw
from netwerk_widgets import SessionError, Store, analysis, charts, conditions, network
from netwerk_widgets.demo import answers_from_mapping
from netwerk_widgets.store import ANSWER_COLUMNS
from netwerk_widgets.templates import load_template

CONDITIONS = tuple(q.id for q in load_template().block("voorwaarden").questions)

TEMPLATE = nw.load_template()
ANSWER_FRAME_COLUMNS = [*ANSWER_COLUMNS, "template_version"]


def conditions_of(answers: pd.DataFrame) -> pd.DataFrame:
    return analysis.scale_answers(answers, "voorwaarden")


# --- loading ------------------------------------------------------------------------------


def test_public_loaders_are_there_without_importing_pandas_up_front() -> None:
    assert all(hasattr(nw, name) for name in nw.__all__)
    assert nw.list_sessions is analysis.list_sessions
    assert nw.load_participants is analysis.load_participants
    code = "import sys, netwerk_widgets; print('pandas' in sys.modules)"
    light = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert light.stdout.strip() == "False", light.stderr


def test_list_sessions_of_the_demo(demo_store: Store) -> None:
    sessions = nw.list_sessions(demo_store)
    assert list(sessions.columns) == list(analysis.SESSION_COLUMNS)
    assert sessions["code"].tolist() == ["DEMO", "DEMO2"]  # oldest first
    assert set(sessions["network"]) == {"MuziekTafel Rivierenland"}
    assert isinstance(sessions["created_at"].dtype, pd.DatetimeTZDtype)
    assert str(sessions["created_at"].dt.tz) == "UTC"
    assert sessions["created_at"].is_monotonic_increasing
    assert sessions["closed"].dtype == bool and not sessions["closed"].any()
    demo = sessions.set_index("code")
    for code in ("DEMO", "DEMO2"):
        assert demo.loc[code, "participants"] == len(demo_store.participants(code))
        assert demo.loc[code, "answers"] == len(nw.load_answers(code, store=demo_store))
    assert "trainer_key" not in sessions.columns
    demo_store.set_closed("DEMO2", True)
    assert nw.list_sessions(demo_store)["closed"].tolist() == [False, True]


def test_loaders_on_sqlite_and_postgresql(any_store: Store) -> None:
    empty = nw.list_sessions(any_store)
    assert empty.empty and list(empty.columns) == list(analysis.SESSION_COLUMNS)
    for code in ("S1", "S2"):
        any_store.create_session(
            code, template=TEMPLATE.name, template_version=TEMPLATE.version, code=code
        )
    anna = any_store.join("S1", "Anna")
    rows = answers_from_mapping(TEMPLATE, {"voorwaarden": {"v01_ambitie": 2}})
    any_store.append(anna, rows)
    any_store.append(anna, answers_from_mapping(TEMPLATE, {"voorwaarden": {"v01_ambitie": 4}}))
    any_store.join("S2", "")
    sessions = nw.list_sessions(any_store).set_index("code")
    assert sessions["participants"].to_dict() == {"S1": 1, "S2": 1}
    assert sessions["answers"].to_dict() == {"S1": 1, "S2": 0}  # the edit is not counted twice
    people = nw.load_participants(store=any_store)
    assert people["session"].tolist() == ["S1", "S2"]
    assert people["anonymous"].tolist() == [False, True]


def test_an_empty_store_gives_empty_frames_with_the_documented_columns(sqlite_url: str) -> None:
    sessions = nw.list_sessions(sqlite_url)  # a URL works as well as a Store
    assert sessions.empty and list(sessions.columns) == list(analysis.SESSION_COLUMNS)
    assert isinstance(sessions["created_at"].dtype, pd.DatetimeTZDtype)
    answers = nw.load_answers(store=sqlite_url)
    assert answers.empty and list(answers.columns) == ANSWER_FRAME_COLUMNS
    people = nw.load_participants(store=sqlite_url)
    assert people.empty and list(people.columns) == list(analysis.PARTICIPANT_COLUMNS)

    assert analysis.worksheet_rows(answers).empty
    long = analysis.condition_scores(answers)
    assert long.empty and {"session", "organisation", "role", "score"} <= set(long.columns)
    wide = analysis.condition_scores(answers, people, wide=True)
    assert wide.empty and list(wide.columns)[:2] == ["session", "participant"]
    for by in ("participant", "organisation"):
        matrix = analysis.ambition_matrix(answers, by=by)
        assert matrix.empty and list(matrix.columns)[:2] == ["session", by]
    assert analysis.network_summaries(answers).empty
    assert analysis.coalitions(analysis.ambition_levels(answers)).empty
    assert analysis.actor_register(answers, by_session=True).empty
    assert conditions.condition_summary(conditions_of(answers)).empty


@pytest.mark.parametrize(
    ("load", "code"),
    [
        (lambda store: nw.load_answers("NOPE", store=store), "NOPE"),
        (lambda store: nw.load_answers(["DEMO", "NOPE"], store=store), "NOPE"),
        (lambda store: nw.load_participants("NOPE", store=store), "NOPE"),
        (lambda store: nw.load_participants(["DEMO", " nope "], store=store), "nope"),
    ],
    ids=["answers", "answers-of-several", "participants", "participants-of-several"],
)
def test_an_unknown_session_is_a_clear_dutch_error(
    demo_store: Store, load: Callable[[Store], object], code: str
) -> None:
    with pytest.raises(SessionError, match=f"We kennen geen sessie met code '{code}'"):
        load(demo_store)


def test_open_store_and_urls_reach_the_same_answers(demo_store: Store) -> None:
    with nw.open_store(demo_store.url) as store:
        by_store = nw.load_answers("demo", store=store)  # codes are not case-sensitive
    by_url = nw.load_answers("DEMO", store=demo_store.url)
    pd.testing.assert_frame_equal(by_store, by_url)
    assert set(by_url["session"]) == {"DEMO"}


def test_history_keeps_every_edit(demo_store: Store) -> None:
    person = demo_store.participant("DEMO", "demo-anouk")
    edit = answers_from_mapping(TEMPLATE, {"voorwaarden": {"v01_ambitie": 1}})
    demo_store.append(person, edit)
    current = nw.load_answers("DEMO", store=demo_store)
    history = nw.load_answers("DEMO", store=demo_store, history=True)
    assert len(history) == len(current) + 1
    mine = history.loc[
        (history["participant"] == person.id) & (history["question"] == "v01_ambitie")
    ]
    assert mine["value"].tolist() == ["4", "1"] and mine["answered_at"].is_monotonic_increasing
    latest = current.loc[
        (current["participant"] == person.id) & (current["question"] == "v01_ambitie")
    ]
    assert latest["value"].tolist() == ["1"]


# --- views over several sessions ----------------------------------------------------------


@pytest.fixture
def both(demo_store: Store) -> tuple[pd.DataFrame, pd.DataFrame]:
    answers = nw.load_answers(["DEMO", "DEMO2"], store=demo_store)
    participants = nw.load_participants(["DEMO", "DEMO2"], store=demo_store)
    return answers, participants


def test_participants_of_several_sessions(both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _answers, participants = both
    assert list(participants.columns) == list(analysis.PARTICIPANT_COLUMNS)
    assert participants.groupby("session").size().to_dict() == {"DEMO": 8, "DEMO2": 6}
    assert participants["participant"].is_unique
    assert "token" not in participants.columns


def test_condition_scores_long_and_wide(both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    answers, participants = both
    long = analysis.condition_scores(answers, participants)
    assert list(long.columns) == [
        "session",
        "participant",
        "display_name",
        "organisation",
        "role",
        "question",
        "score",
        "unknown",
        "comment",
        "scale_min",
        "scale_max",
    ]
    assert long.groupby("session").size().to_dict() == {"DEMO": 80, "DEMO2": 60}
    anouk = long.loc[long["participant"] == "p-anouk"].iloc[0]
    assert (anouk["organisation"], anouk["role"]) == ("Muziekschool De Linge", "trekker")
    # Straight into the conditions module, per session.
    means = long.groupby("session")["score"].mean()
    assert means["DEMO2"] > means["DEMO"]
    flags = conditions.pseudo_consensus(long, long.drop_duplicates("participant"))
    assert len(flags) == 10
    # Profiles given or not, the same scores.
    bare = analysis.condition_scores(answers)
    assert "display_name" not in bare.columns
    pd.testing.assert_series_equal(bare["score"], long["score"])

    wide = analysis.condition_scores(answers, participants, wide=True)
    assert list(wide.columns) == [
        "session",
        "participant",
        "display_name",
        "organisation",
        "role",
        *CONDITIONS,
    ]
    assert wide.groupby("session").size().to_dict() == {"DEMO": 8, "DEMO2": 6}
    assert (wide[list(CONDITIONS)].dtypes == "float64").all()
    assert wide.set_index("participant").loc["p-anouk", "v01_ambitie"] == 4.0
    # "weet ik niet" is NaN in the wide table and counted in the long one.
    assert wide[list(CONDITIONS)].isna().sum().sum() == long["unknown"].sum()


def test_profiles_of_some_participants_are_completed_from_the_answers(
    both: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    answers, participants = both
    some = analysis.participant_profiles(answers, participants).iloc[:3]
    some = some.assign(organisation="Eigen indeling")
    long = analysis.condition_scores(answers, some)
    assert long["organisation"].notna().all() and long["role"].notna().all()
    given = long["participant"].isin(some["participant"])
    assert (long.loc[given, "organisation"] == "Eigen indeling").all()
    assert not long.loc[~given, "organisation"].eq("Eigen indeling").any()
    assert long.loc[~given, "display_name"].isna().all()


def test_ambition_matrix_by_participant_and_by_organisation(
    both: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    answers, participants = both
    profiles = analysis.participant_profiles(answers, participants)
    matrix = analysis.ambition_matrix(answers, profiles)
    levels = analysis.ambition_levels(answers)
    ambitions = sorted(levels["ambition"].unique(), key=str.casefold)
    profile = ["session", "participant", "display_name", "organisation", "role"]
    assert list(matrix.columns) == [*profile, *ambitions]
    assert set(matrix["session"]) == {"DEMO"}  # DEMO2 did not do the ambitions
    assert len(matrix) == levels["participant"].nunique()
    column = matrix["Wekelijks muziekles op elke basisschool"]
    assert isinstance(column.dtype, pd.CategoricalDtype) and column.cat.ordered
    assert list(column.cat.categories) == list(analysis.level_order())
    row = matrix.set_index("participant").loc["p-anouk"]
    assert row["Wekelijks muziekles op elke basisschool"] == "meebepalen"
    # Every level given is in the matrix, and nothing else.
    cells = matrix.melt(id_vars=profile, var_name="ambition", value_name="level").dropna()
    assert len(cells) == len(levels)
    doers = (matrix[ambitions] >= "meedoen").sum()
    coalitions = analysis.coalitions(levels).set_index("ambition")
    assert doers.to_dict() == coalitions["n_doers"].to_dict()

    by_organisation = analysis.ambition_matrix(answers, profiles, by="organisation")
    assert list(by_organisation.columns) == ["session", "organisation", "participants", *ambitions]
    assert by_organisation["participants"].sum() == len(matrix)
    with pytest.raises(ValueError, match="by moet"):
        analysis.ambition_matrix(answers, by="role")


def test_ambition_matrix_takes_the_highest_level_of_an_organisation() -> None:
    rows = [
        ("S", "p1", "ambities", "betrokkenheid", "Koor", "level", "weten"),
        ("S", "p2", "ambities", "betrokkenheid", "Koor", "level", "meebepalen"),
        ("S", "p3", "ambities", "betrokkenheid", "Koor", "level", "niet"),
        ("S", "p1", "actoren", "mijn_organisatie", "", "text", "School"),
        ("S", "p2", "actoren", "mijn_organisatie", "", "text", "School"),
        ("S", "p3", "actoren", "mijn_organisatie", "", "text", ""),
    ]
    answers = pd.DataFrame(
        rows, columns=["session", "participant", "block", "question", "item", "field", "value"]
    ).astype("string")
    matrix = analysis.ambition_matrix(answers, by="organisation").set_index("organisation")
    assert matrix.loc["School", "Koor"] == "meebepalen"
    assert matrix.loc["School", "participants"] == 2
    assert matrix.loc[analysis.in_person(), "Koor"] == "niet"


def test_coalitions_actors_and_networks_per_session(
    both: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    answers, _participants = both
    demo_only = answers.loc[answers["session"] == "DEMO"]
    coalitions = analysis.coalitions(analysis.ambition_levels(answers))
    assert coalitions.columns[0] == "session" and set(coalitions["session"]) == {"DEMO"}
    single = analysis.coalitions(analysis.ambition_levels(demo_only).drop(columns="session"))
    pd.testing.assert_frame_equal(coalitions.drop(columns="session"), single)

    register = analysis.actor_register(answers, by_session=True)
    assert register.columns[0] == "session"
    pd.testing.assert_frame_equal(
        register.drop(columns="session"), analysis.actor_register(demo_only)
    )
    relations = analysis.actor_relations(answers)
    assert relations.columns[0] == "session" and set(relations["session"]) == {"DEMO"}

    summaries = analysis.network_summaries(answers)
    assert summaries["session"].tolist() == ["DEMO", "DEMO2"]
    assert list(summaries.columns) == ["session", *network.SUMMARY_FIELDS]
    graph = network.relations_graph(register, relations)
    expected = network.network_summary(graph)
    demo = summaries.set_index("session").loc["DEMO"]
    assert demo["actors"] == expected["actors"] > 0
    assert demo["relations"] == expected["relations"] > 0
    assert demo["broker_names"] == expected["broker_names"]
    later = summaries.set_index("session").loc["DEMO2"]
    assert later["actors"] == 0 and later["relations"] == 0


def test_worksheet_rows_keep_the_session(both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    answers, participants = both
    rows = analysis.worksheet_rows(answers)
    assert rows.columns[0] == "session" and set(rows["session"]) == {"DEMO"}
    named = rows.merge(participants, on=["session", "participant"], how="left")
    assert named["display_name"].notna().all()


# --- many answers -------------------------------------------------------------------------


def person_rows(session: str, pid: str, number: int) -> list[tuple]:
    """25 answer rows of one generated participant (the first is an edit: history only)."""
    stamp = "2026-10-01T10:00:00.000000+00:00"
    rows = []

    def add(block: str, question: str, value: str, item: str = "", field: str = "") -> None:
        num = float(value) if field == "score" and value.isdigit() else None
        rows.append((session, pid, block, question, item, field, value, num, stamp, "1"))

    add("voorwaarden", "v01_ambitie", "1", field="score")
    add("actoren", "mijn_organisatie", f"Organisatie {number % 7}", field="text")
    add("actoren", "mijn_rol", ("trekker", "kern", "actief")[number % 3], field="choice")
    for index, question in enumerate(CONDITIONS):
        score = (number + index) % 6
        add("voorwaarden", question, str(score) if score else "weet_niet", field="score")
    for row in ("r1", "r2"):
        for column in ("uitdaging", "probleem", "oplossing"):
            add("werkblad", "uitdagingen", f"{column} {number}", row, column)
    for ambition in ("Koor", "Festival", "Fonds", "Les"):
        add("ambities", "betrokkenheid", BIG_LEVELS[number % 5], ambition, "level")
    for question in ("opbrengst", "kosten"):
        add("kosten_baten", question, str(number % 5 + 1), field="score")
    return rows


def fill_quickly(url: str, sessions: int, people: int) -> int:
    """``sessions`` sessions of ``people`` participants with 25 answer rows each.

    Written with sqlite3 directly (one executemany in one transaction) into a store that
    :class:`Store` made, so a few hundred thousand rows take seconds. Returns the row count.
    """
    with Store(url) as store:
        for number in range(sessions):
            store.create_session(
                f"Groot {number}",
                code=f"G{number}",
                network="Groot netwerk",
                template=TEMPLATE.name,
                template_version=TEMPLATE.version,
                created_at=f"2026-0{number % 9 + 1}-01T09:00:00+00:00",
            )
    joined, answers = [], []
    for number in range(sessions * people):
        session, pid = f"G{number % sessions}", f"g{number}"
        joined.append((pid, session, f"t{number}", f"Deelnemer {number}", 0, "2026-10-01"))
        answers.extend(person_rows(session, pid, number))
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO participants VALUES (?, ?, ?, ?, ?, ?)", joined)
        conn.executemany(
            "INSERT INTO answers (session, participant, block, question, item, field, value,"
            " value_num, answered_at, template_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            answers,
        )
        conn.execute("COMMIT")
    return len(answers)


def test_a_few_hundred_thousand_answers_load_and_aggregate(sqlite_url: str) -> None:
    sessions, people = 10, 1000
    stored = fill_quickly(sqlite_url, sessions, people)
    assert stored > 200_000
    current = stored - sessions * people  # one edited rating per person
    listed = nw.list_sessions(sqlite_url)
    assert listed["participants"].tolist() == [people] * sessions
    assert listed["answers"].sum() == current

    answers = nw.load_answers(store=sqlite_url)
    assert len(answers) == current and answers["session"].nunique() == sessions
    scores = conditions_of(answers)
    assert len(scores) == 10 * sessions * people
    assert scores["unknown"].sum() == scores["score"].isna().sum() > 0
    summary = conditions.condition_summary(scores)
    assert len(summary) == 10 and (summary["n"] + summary["n_unknown"] == sessions * people).all()
    assert summary.loc[summary["question"] == "v01_ambitie", "n_1"].item() > 0
    rows = analysis.worksheet_rows(answers)
    assert len(rows) == 2 * sessions * people
    wide = analysis.condition_scores(answers, wide=True)
    assert len(wide) == sessions * people
    per_session = wide.groupby("session")["v04_vertrouwen"].mean()
    assert per_session.index.tolist() == [f"G{n}" for n in range(sessions)]
    matrix = analysis.ambition_matrix(answers, by="organisation")
    assert len(matrix) == sessions * 7
    coalitions = analysis.coalitions(analysis.ambition_levels(answers))
    assert len(coalitions) == sessions * 4
    history = nw.load_answers("G0", store=sqlite_url, history=True)
    assert len(history) == stored // sessions


# --- chart builders at scale --------------------------------------------------------------

BIG_PEOPLE = 300
BIG_AMBITIONS = 18  # 300 people x 18 ambitions: 5400 cells in the heatmap
BIG_LEVELS = analysis.level_order(TEMPLATE)
BIG_CONDITIONS = [q.id for q in TEMPLATE.block("voorwaarden").questions]


@pytest.fixture(scope="module")
def big_session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """One session of 300 participants who answered every block (well over 5000 rows)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('big') / 'store.db'}"
    rnd = random.Random(3)
    organisations = [f"Organisatie {n}" for n in range(12)]
    actors = [f"Actor {n}" for n in range(60)]
    ambitions = [f"Ambitie {n}: a.b [c]" for n in range(BIG_AMBITIONS)]  # field-like names
    with Store(url) as store:
        store.create_session(
            "Groot", template=TEMPLATE.name, template_version=TEMPLATE.version, code="GROOT"
        )
        for number in range(BIG_PEOPLE):
            person = store.join("GROOT", f"Deelnemer {number}", participant_id=f"g-{number}")
            mapping = {
                "actoren": {
                    "mijn_organisatie": rnd.choice(organisations),
                    "mijn_rol": rnd.choice(["trekker", "kern", "actief", "op_afstand"]),
                    "register": [
                        {"naam": rnd.choice(actors), "organisatie": rnd.choice(organisations)}
                        for _ in range(2)
                    ],
                    "relaties": [
                        {"van": rnd.choice(actors), "met": rnd.choice(actors), "sterkte": "3"}
                        for _ in range(4)
                    ],
                },
                "identiteit": {"waarom": f"Samen muziek maken, zin {number % 40}"},
                "ambities": {"betrokkenheid": {a: rnd.choice(BIG_LEVELS) for a in ambitions}},
                "fundament": {"leiderschap": [{"wie": rnd.choice(actors), "hoe": "verbindt"}]},
                "werkblad": {
                    "uitdagingen": [{"uitdaging": "U", "probleem": "P", "oplossing": "O"}] * 3
                },
                "voorwaarden": {
                    c: rnd.choice([1, 2, 3, 4, 5, "weet_niet"]) for c in BIG_CONDITIONS
                },
                "kosten_baten": {"opbrengst": rnd.randint(1, 5), "kosten": rnd.randint(1, 5)},
            }
            store.append(person, answers_from_mapping(TEMPLATE, mapping))
        answers = nw.load_answers("GROOT", store=store)
        participants = nw.load_participants("GROOT", store=store)
    profiles = analysis.participant_profiles(answers, participants)
    return {"answers": answers, "participants": participants, "profiles": profiles}


def _cost_benefit_frame(answers: pd.DataFrame, profiles: pd.DataFrame) -> pd.DataFrame:
    wide = analysis.condition_scores(answers, profiles, block="kosten_baten", wide=True)
    return wide.rename(columns={"opbrengst": "yields", "kosten": "costs"})


BUILDERS: dict[str, Callable[[dict], alt.TopLevelMixin]] = {
    "charts.table_fill_chart": lambda d: charts.table_fill_chart(
        analysis.worksheet_rows(d["answers"]), {"uitdaging": "U", "probleem": "P"}
    ),
    "charts.scale_distribution_chart": lambda d: charts.scale_distribution_chart(
        conditions_of(d["answers"])
    ),
    "charts.count_chart": lambda d: charts.count_chart(
        analysis.word_counts(analysis.text_answers(d["answers"], "identiteit", "waarom")["text"]),
        category="word",
    ),
    "charts.ambition_heatmap": lambda d: charts.ambition_heatmap(
        analysis.ambition_levels(d["answers"]),
        d["participants"].set_index("participant")["display_name"].to_dict(),
        order=BIG_LEVELS,
    ),
    "charts.coalition_chart": lambda d: charts.coalition_chart(
        analysis.coalitions(analysis.ambition_levels(d["answers"]))
    ),
    "charts.distribution_chart": lambda d: charts.distribution_chart(conditions_of(d["answers"])),
    "charts.split_chart": lambda d: charts.split_chart(
        conditions.split_by(conditions_of(d["answers"]), d["profiles"], by="organisation")
    ),
    "charts.cost_benefit_chart": lambda d: charts.cost_benefit_chart(
        _cost_benefit_frame(d["answers"], d["profiles"])
    ),
    "charts.change_chart": lambda d: charts.change_chart(
        conditions.compare_scans(conditions_of(d["answers"]).iloc[::2], conditions_of(d["answers"]))
    ),
    "charts.network_chart": lambda d: charts.network_chart(
        network.relations_graph(
            analysis.actor_register(d["answers"]), analysis.actor_relations(d["answers"])
        )
    ),
}


def test_every_chart_builder_is_checked_at_scale() -> None:
    found = {
        f"charts.{name}"
        for name in charts.__all__
        if str(inspect.signature(getattr(charts, name)).return_annotation).startswith("alt.")
    }
    assert found == set(BUILDERS)
    for module in (conditions, network):  # the statistics and the graph draw nothing
        assert not [
            name
            for name, function in inspect.getmembers(module, inspect.isfunction)
            if str(inspect.signature(function).return_annotation).startswith("alt.")
        ]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_chart_builders_stay_under_the_row_limit_with_many_answers(
    big_session: dict[str, pd.DataFrame], name: str
) -> None:
    assert len(big_session["answers"]) > 5000
    with alt.data_transformers.enable("default"):  # max_rows=5000, as a fresh kernel has it
        chart = BUILDERS[name](big_session)
        spec = chart.to_dict()  # raises MaxRowsError if a builder embeds raw rows
        assert all(len(rows) <= 5000 for rows in spec.get("datasets", {}).values())
        changed = chart.properties(title="Eigen titel")
        assert changed.to_dict()["title"] == "Eigen titel"
        assert "title" not in spec  # the builder's chart itself is not changed
        svg = charts.to_svg(changed)
    assert svg.startswith("<svg") and "Eigen titel" in svg


def test_readme_documents_the_analyst_api() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme.split("## Voor analisten", 1)[1].split("\n## ", 1)[0]
    for name in (
        "list_sessions",
        "load_answers",
        "load_participants",
        "condition_scores",
        "ambition_matrix",
        "network_summaries",
        "bench/load.py",
    ):
        assert name in section, name
    for column in ANSWER_FRAME_COLUMNS:
        assert f"`{column}`" in section, column
