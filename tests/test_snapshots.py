"""A session keeps the template it was created with: the file may move, change or vanish.

Issue 13: a session used to store only the template's path, so a trainer who moved the file
broke the participant page, the trainer screen and the report, and one who edited it changed
the questions under answers already given. Now the store keeps a snapshot of the template
(its YAML text, name, version and content hash) and everything reads that.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from netwerk_widgets import Store, TemplateError, analysis, load_answers, templates
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.cli import main
from netwerk_widgets.demo import load_demo
from netwerk_widgets.export import export_answers, export_network
from netwerk_widgets.report import write_report
from netwerk_widgets.store import Answer
from netwerk_widgets.templates import content_hash, template_for
from netwerk_widgets.trainer import TrainerScreen

CODE = "K7PX3M"
TEMPLATE = """\
# Een eigen werkboek van een trainer.
name: mijn-werkboek
version: "1.0"
language: nl
title: {nl: Ons eigen werkboek, en: Our own workbook}
blocks:
  - id: kennismaken
    title: {nl: Kennismaken met elkaar, en: Getting to know each other}
    questions:
      - id: verwachting
        kind: text
        text: {nl: Wat verwacht je van vandaag?, en: What do you expect today?}
  - id: spelers
    title: {nl: Spelers in het veld, en: Players in the field}
    results:
      view: network
      actors: {question: wie, name: naam}
      relations: {question: banden, source: van, target: met}
    questions:
      - id: wie
        kind: table
        text: {nl: Wie horen erbij?, en: Who belongs?}
        columns:
          - {id: naam, label: Naam}
      - id: banden
        kind: table
        text: {nl: Wie werkt met wie?, en: Who works with whom?}
        columns:
          - {id: van, label: Van}
          - {id: met, label: Met}
"""
CHANGED = (
    TEMPLATE.replace("Kennismaken met elkaar", "Iets heel anders")
    .replace("Wat verwacht je van vandaag?", "Een nieuwe vraag?")
    .replace("Ons eigen werkboek", "Een ander werkboek")
)


@pytest.fixture
def template_file(tmp_path: Path) -> Path:
    path = tmp_path / "trainer" / "mijn-werkboek.yaml"
    path.parent.mkdir()
    path.write_text(TEMPLATE, encoding="utf-8")
    return path


def fill(store: Store, code: str = CODE, version: str = "") -> str:
    """Two participants with answers in both blocks; returns the first one's token."""
    anna, bob = store.join(code, "Anna"), store.join(code, "Bob")
    for person, other in ((anna, "Bob"), (bob, "Anna")):
        store.append(
            person,
            [
                Answer("kennismaken", "verwachting", f"Leren van {other}", field="text"),
                Answer("spelers", "wie", person.display_name, "r1", "naam"),
                Answer("spelers", "banden", person.display_name, "r1", "van"),
                Answer("spelers", "banden", other, "r1", "met"),
            ],
            template_version=version,
        )
    return anna.token


def create_with_cli(store: Store, path: Path, code: str = CODE) -> int:
    return main(
        [
            "--db",
            store.url,
            "session",
            "create",
            "Workshop",
            "--template",
            str(path),
            "--code",
            code,
        ]
    )


def insert_old_session(store: Store, code: str, template: str, version: str) -> None:
    """A session row as the store wrote it before snapshots: a path, and nothing more."""
    with store._write() as tx:
        tx.execute(
            "INSERT INTO sessions (code, title, network, template, template_version,"
            " trainer_key, created_at) VALUES (:code, 'Oud', 'Oud', :template, :version,"
            " 'sleutel', '2025-01-01T09:00:00+00:00')",
            {"code": code, "template": template, "version": version},
        )


def page_text(widget: object) -> str:
    """Every HTML value and label in a widget tree."""
    parts = [str(getattr(widget, "value", "")), str(getattr(widget, "description", ""))]
    parts += [str(option) for option in getattr(widget, "options", ())]
    for child in getattr(widget, "children", ()):
        parts.append(page_text(child))
    return "\n".join(parts)


# --- stored at session create ---------------------------------------------------------


def test_session_create_stores_the_whole_template(
    any_store: Store, template_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_with_cli(any_store, template_file) == 0
    assert "opgeslagen bij de sessie" in capsys.readouterr().out
    session = any_store.session(CODE)
    assert session.template == str(template_file.resolve())  # still named, for people
    assert session.template_version == "1.0"
    assert session.template_hash == content_hash(TEMPLATE)
    snapshot = any_store.template_snapshot(session.template_hash)
    assert snapshot is not None and snapshot.text == TEMPLATE  # the YAML as given
    assert (snapshot.name, snapshot.version, snapshot.migrated) == ("mijn-werkboek", "1.0", False)
    template = template_for(session, any_store)
    assert template.source == f"mijn-werkboek.yaml (opgeslagen bij sessie {CODE})"
    assert template_for(CODE, any_store).block("kennismaken").title.nl == "Kennismaken met elkaar"
    # A second session with the same content shares the snapshot (one row per content).
    any_store.create_session("Nog een", template=template_file, code="TWEE")
    assert len(any_store.template_snapshots()) == 1
    assert any_store.session("TWEE").template_hash == session.template_hash


def test_the_demo_is_stored_with_its_template(store: Store) -> None:
    load_demo(store)
    for code in ("DEMO", "DEMO2"):
        session = store.session(code)
        assert session.template_hash
        assert template_for(session, store).name == "netwerkwerkboek"
    assert [s.name for s in store.template_snapshots()] == ["netwerkwerkboek"]


def test_template_version_given_must_be_the_templates(store: Store, template_file: Path) -> None:
    with pytest.raises(TemplateError, match=r"heeft versie 1\.0, niet 2\.0"):
        store.create_session("X", template=template_file, template_version="2.0", code="X")
    assert store.find_session("X") is None


def test_snapshot_is_parsed_once_per_process(
    store: Store, template_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.create_session("Workshop", template=template_file, code=CODE)
    session = store.session(CODE)
    template_for(session, store)
    asked: list[str] = []
    monkeypatch.setattr(store, "template_snapshot", lambda digest: asked.append(digest))
    monkeypatch.setattr(templates, "parse_template", lambda *a, **k: pytest.fail("parsed again"))
    for _ in range(3):  # every page open
        assert template_for(store.session(CODE), store).name == "mijn-werkboek"
    assert asked == []


# --- the file moves, changes or vanishes -----------------------------------------------


@pytest.fixture(params=["moved", "changed", "deleted"])
def gone(request: pytest.FixtureRequest, any_store: Store, template_file: Path) -> Store:
    """A session made from the file, with answers; then the file is moved, changed or deleted."""
    assert create_with_cli(any_store, template_file) == 0
    fill(any_store)
    if request.param == "moved":
        shutil.move(template_file, template_file.parent.parent / "elders.yaml")
    elif request.param == "changed":
        template_file.write_text(CHANGED, encoding="utf-8")  # same version, other questions
    else:
        template_file.unlink()
    return any_store


def test_participant_page_keeps_the_original_questions(gone: Store) -> None:
    app = ParticipantApp(gone, query={"sessie": CODE})
    app.join_form.name.value = "Carla"
    app.join_form.button.click()
    assert app.participant is not None and app.participant.display_name == "Carla"
    assert "Ons eigen werkboek" in app.header.value
    assert [title for title, _ in app.navigation.options] == [
        "Kennismaken met elkaar",
        "Spelers in het veld",
    ]
    assert "Wat verwacht je van vandaag?" in page_text(app.block_area)
    token = gone.participants(CODE)[0].token
    back = ParticipantApp(gone, query={"sessie": CODE, "deelnemer": token})
    assert back.participant is not None and "Leren van Bob" in page_text(back.block_area)
    assert back.recorder is not None and back.recorder.template_version == "1.0"


def test_trainer_screen_keeps_the_original_blocks(gone: Store) -> None:
    screen = TrainerScreen(gone, {"sessie": CODE, "sleutel": gone.session(CODE).trainer_key})
    assert screen.session is not None
    assert list(screen.controls) == ["kennismaken", "spelers"]
    assert "Kennismaken met elkaar" in page_text(screen)
    screen.block.value = "spelers"
    assert "Anna" in page_text(screen.results)


def test_report_keeps_the_original_questions(gone: Store, tmp_path: Path) -> None:
    path = write_report(tmp_path / "verslag.html", CODE, store=gone)
    page = path.read_text(encoding="utf-8")
    assert "Kennismaken met elkaar" in page and "Spelers in het veld" in page
    assert "Iets heel anders" not in page
    assert "Leren van Bob" in page


def test_exports_keep_the_original_questions(gone: Store, tmp_path: Path) -> None:
    path = export_answers(tmp_path / "antwoorden.csv", CODE, store=gone, questions=True)
    rows = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    texts = set(rows.loc[rows["question"] == "verwachting", "question_text"])
    assert texts == {"Wat verwacht je van vandaag?"}
    graph = nx.read_graphml(export_network(tmp_path / "netwerk.graphml", CODE, store=gone))
    assert {"Anna", "Bob"} <= set(graph.nodes) and graph.number_of_edges() == 1


# --- changed content under the same version --------------------------------------------


def test_changed_template_with_the_same_version_is_refused(
    any_store: Store, template_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert create_with_cli(any_store, template_file) == 0
    template_file.write_text(CHANGED, encoding="utf-8")
    capsys.readouterr()
    assert create_with_cli(any_store, template_file, code="LATER") == 2
    error = capsys.readouterr().err
    assert "is veranderd sinds versie 1.0 voor het laatst gebruikt werd" in error
    assert f"sessie {CODE}" in error and "Verhoog `version:`" in error and "1.1" in error
    assert any_store.find_session("LATER") is None
    with pytest.raises(TemplateError, match=r"is veranderd sinds versie 1\.0"):
        any_store.create_session("Later", template=template_file, code="LATER")
    assert [s.version for s in any_store.template_snapshots()] == ["1.0"]
    # Comments and layout are not content: still the same version, accepted.
    template_file.write_text("# opnieuw opgemaakt\n\n" + TEMPLATE, encoding="utf-8")
    assert any_store.create_session("Later", template=template_file, code="LATER")
    assert any_store.session("LATER").template_hash == any_store.session(CODE).template_hash
    # A new version is a new snapshot; the first session keeps its questions.
    template_file.write_text(CHANGED.replace('version: "1.0"', 'version: "1.1"'), "utf-8")
    assert create_with_cli(any_store, template_file, code="NIEUW") == 0
    assert [s.version for s in any_store.template_snapshots()] == ["1.0", "1.1"]
    first = template_for(any_store.session(CODE), any_store)
    assert first.block("kennismaken").title.nl == "Kennismaken met elkaar"
    newer = template_for(any_store.session("NIEUW"), any_store)
    assert newer.block("kennismaken").title.nl == "Iets heel anders"


def test_two_servers_storing_the_same_new_template_at_once_both_create_their_session(
    any_store: Store, template_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race CI met on PostgreSQL: both passed the check, one hit the unique index.

    Simulated here: while the first attempt is under way another server stores the same
    snapshot, and the first attempt's transaction fails as the database's index makes it fail.
    """
    other = Store(any_store.url)
    real = any_store._db.transaction
    attempts = []

    @contextlib.contextmanager
    def racing_transaction():  # type: ignore[no-untyped-def]
        attempts.append(1)
        if len(attempts) == 1:
            other.create_session("Elders", template=template_file, code="ELDERS")
            raise RuntimeError("duplicate key value violates template_snapshots_one_per_version")
        with real() as tx:
            yield tx

    monkeypatch.setattr(any_store._db, "transaction", racing_transaction)
    session = any_store.create_session("Hier", template=template_file, code=CODE)
    monkeypatch.undo()
    other.close()
    assert session.template_hash == any_store.session("ELDERS").template_hash
    assert any_store.find_session(CODE) is not None
    assert len(any_store.template_snapshots()) == 1


def test_a_changed_builtin_template_says_to_copy_it(store: Store) -> None:
    builtin = templates.read_template_text("netwerkwerkboek")
    store.create_session(
        "Oud", template="netwerkwerkboek", template_text=builtin.replace("Actoren", "Spelers")
    )
    with pytest.raises(TemplateError, match="netwerk template copy"):
        store.create_session("Nieuw", template="netwerkwerkboek")


# --- sessions from before snapshots ----------------------------------------------------


def test_old_session_works_from_its_file_and_keeps_it(
    any_store: Store, template_file: Path
) -> None:
    insert_old_session(any_store, CODE, str(template_file), "1.0")
    assert any_store.session(CODE).template_hash == ""
    fill(any_store, version="1.0")
    app = ParticipantApp(any_store, query={"sessie": CODE})
    app.join_form.name.value = "Carla"
    app.join_form.button.click()
    assert app.participant is not None and "Ons eigen werkboek" in app.header.value
    # Read once, the file is kept in the store: from now on it may go.
    session = any_store.session(CODE)
    assert session.template_hash == content_hash(TEMPLATE)
    snapshot = any_store.template_snapshot(session.template_hash)
    assert snapshot is not None and snapshot.migrated and snapshot.text == TEMPLATE
    template_file.unlink()
    screen = TrainerScreen(any_store, {"sessie": CODE, "sleutel": "sleutel"})
    assert screen.session is not None and list(screen.controls) == ["kennismaken", "spelers"]
    again = ParticipantApp(any_store, query={"sessie": CODE})
    again.join_form.button.click()
    assert again.participant is not None


def test_old_session_without_its_file_says_so(
    any_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "weg" / "mijn-werkboek.yaml"
    insert_old_session(any_store, CODE, str(missing), "1.0")
    app = ParticipantApp(any_store, query={"sessie": CODE})
    app.join_form.name.value = "Carla"
    app.join_form.button.click()
    shown = page_text(app)
    assert "kan nu niet openen" in shown and "bestand niet gevonden" in shown
    # issue 16.15: participants see what to ask the trainer, never a file path
    assert str(missing) not in shown and "Zet het bestand (versie 1.0) terug" in shown
    assert "Meedoen" not in shown  # not the join form again
    assert any_store.participants(CODE) == []  # and nobody added by the click
    screen = TrainerScreen(any_store, {"sessie": CODE, "sleutel": "sleutel"})
    assert screen.session is None
    assert "bestand niet gevonden" in page_text(screen) and "Openen" not in page_text(screen)
    assert main(["--db", any_store.url, "report", CODE, "--out", str(tmp_path / "v.html")]) == 2
    assert "Zet het bestand (versie 1.0) terug" in capsys.readouterr().err


def test_old_session_with_a_personal_link_and_no_file_says_so(store: Store, tmp_path: Path) -> None:
    insert_old_session(store, CODE, str(tmp_path / "weg.yaml"), "1.0")
    token = store.join(CODE, "Anna").token
    app = ParticipantApp(store, query={"sessie": CODE, "deelnemer": token})
    shown = page_text(app)
    assert "bestand niet gevonden" in shown and "Meedoen" not in shown


def test_existing_databases_get_the_snapshot_tables(any_store: Store) -> None:
    with any_store._write() as tx:
        for table in ("session_templates", "template_snapshots"):
            tx.execute(f"DROP TABLE {table}")
    with Store(any_store.url) as again:  # as a store made before snapshots is opened
        again.create_session("Nieuw", template="netwerkwerkboek", code="NIEUW")
        assert again.session("NIEUW").template_hash
    if any_store.url.startswith("postgresql"):
        from netwerk_widgets._backends import _SCHEMA_OBJECTS

        assert "template_snapshots_one_per_version" in _SCHEMA_OBJECTS
        assert "session_templates" in _SCHEMA_OBJECTS


# --- answers joined to the question texts of their version -----------------------------


def test_answers_get_the_question_text_of_their_version(
    any_store: Store, template_file: Path
) -> None:
    any_store.create_session("Eerste", template=template_file, code="EERSTE")
    fill(any_store, "EERSTE")
    template_file.write_text(CHANGED.replace('version: "1.0"', 'version: "1.1"'), "utf-8")
    any_store.create_session("Tweede", template=template_file, code="TWEEDE")
    fill(any_store, "TWEEDE")
    late = any_store.join("TWEEDE", "Dirk")  # a kernel still on 1.0 saved this one
    any_store.append(
        late, [Answer("kennismaken", "verwachting", "Oud", field="text")], template_version="1.0"
    )
    template_file.unlink()
    answers = load_answers(["EERSTE", "TWEEDE"], store=any_store, questions=True)
    assert list(answers.columns[-3:]) == ["template_version", "block_title", "question_text"]
    texts = (
        answers[answers["question"] == "verwachting"]
        .groupby(["session", "template_version"])[["block_title", "question_text"]]
        .agg(lambda values: sorted(set(values)))
        .to_dict("index")
    )
    assert texts == {
        ("EERSTE", "1.0"): {
            "block_title": ["Kennismaken met elkaar"],
            "question_text": ["Wat verwacht je van vandaag?"],
        },
        ("TWEEDE", "1.0"): {
            "block_title": ["Kennismaken met elkaar"],
            "question_text": ["Wat verwacht je van vandaag?"],
        },
        ("TWEEDE", "1.1"): {
            "block_title": ["Iets heel anders"],
            "question_text": ["Een nieuwe vraag?"],
        },
    }
    assert answers["question_text"].dtype == "string" and answers["question_text"].notna().all()
    plain = load_answers(["EERSTE", "TWEEDE"], store=any_store)
    assert len(plain) == len(answers) and "question_text" not in plain.columns
    english = load_answers("EERSTE", store=any_store, questions=True, language="en")
    assert set(english.loc[english["block"] == "spelers", "block_title"]) == {
        "Players in the field"
    }
    table = analysis.question_texts(["EERSTE", "TWEEDE"], store=any_store)
    assert list(table.columns) == [
        "session",
        "template",
        "template_version",
        "block",
        "question",
        "block_title",
        "question_text",
    ]
    assert set(zip(table["session"], table["template_version"], strict=True)) == {
        ("EERSTE", "1.0"),
        ("TWEEDE", "1.0"),
        ("TWEEDE", "1.1"),
    }
    merged = plain.merge(table, on=["session", "template_version", "block", "question"])
    assert len(merged) == len(plain)


def test_question_texts_of_an_unreadable_old_session_warn(store: Store, tmp_path: Path) -> None:
    insert_old_session(store, CODE, str(tmp_path / "weg.yaml"), "1.0")
    store.append(store.join(CODE, "Anna"), [Answer("a", "b", "c", field="text")])
    with pytest.warns(UserWarning, match="Geen vraagteksten voor sessie"):
        answers = load_answers(CODE, store=store, questions=True)
    assert answers["question_text"].isna().all() and len(answers) == 1
