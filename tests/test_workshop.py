"""Running the workshop without a browser: hiding, merging, pacing, the timer, trainer views."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from netwerk_widgets import Store, load_answers
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.export import network_graph
from netwerk_widgets.names import name_counts, near_duplicates
from netwerk_widgets.store import Answer
from netwerk_widgets.trainer import TrainerScreen
from netwerk_widgets.trainer.join import join_link, write_qr
from netwerk_widgets.trainer.moderation import shared_lists
from netwerk_widgets.workshop import (
    AnswerKey,
    current_pace,
    current_timer,
    hidden_answers,
    hide_answer,
    merge_names,
    merged_names,
    normal_name,
    show_answer,
    start_timer,
    stop_timer,
    unmerge_name,
)

ACTORS = "actoren.register.naam"


def test_hidden_answer_leaves_group_data_but_stays_in_the_store(any_store: Store) -> None:
    from netwerk_widgets.demo import load_demo

    load_demo(any_store)
    before = load_answers("DEMO", store=any_store)
    state = any_store.results_state("DEMO")
    key = AnswerKey("p-chantal", "actoren", "ontbreekt", "r1")
    hide_answer(any_store, "DEMO", key, screen="scherm-test")
    assert any_store.results_state("DEMO") != state  # cached results are recomputed
    after = load_answers("DEMO", store=any_store)
    gone = (after["participant"] == "p-chantal") & (after["question"] == "ontbreekt")
    assert not gone.any() and len(after) == len(before) - 2  # the row's two fields
    marked = load_answers("DEMO", store=any_store, hidden=True)
    assert len(marked) == len(before) and marked["hidden"].sum() == 2
    assert "Stichting Leergeld" in set(marked.loc[marked["hidden"], "value"])
    assert hidden_answers(any_store, "DEMO") == {key}
    show_answer(any_store, "DEMO", key)
    assert hidden_answers(any_store, "DEMO") == set()
    assert len(load_answers("DEMO", store=any_store)) == len(before)
    with pytest.raises(Exception, match="append-only"):
        any_store._db.query("DELETE FROM workshop_events")


def test_names_are_compared_without_case_spaces_and_punctuation() -> None:
    assert normal_name("  Stichting   Leergeld. ") == normal_name("stichting leergeld")
    assert normal_name("Gemeente West-Betuwe") == "gemeente west betuwe"
    assert normal_name("Eén agenda") == "een agenda"
    import pandas as pd

    counts = name_counts(
        pd.Series(["Stichting Leergeld", "stichting leergeld", "Ouders", "Stichting Leergeld"]),
        pd.Series(["a", "b", "a", "c"]),
    )
    assert counts.iloc[0]["name"] == "Stichting Leergeld" and counts.iloc[0]["count"] == 3
    pairs = near_duplicates(["Muziekschool De Linge", "Muzikschool de Linge", "Bibliotheek"])
    assert pairs == [("Muziekschool De Linge", "Muzikschool de Linge")]


def test_demo_lists_show_each_entry_once_with_a_count(demo_store: Store) -> None:
    from netwerk_widgets.views import compute

    payload = compute(demo_store, "DEMO", "ambities")
    tables = [s for s in payload["sections"] if s["kind"] == "table"]
    ambitions = [row[0] for row in tables[0]["rows"]]
    assert ambitions.count("Wekelijks muziekles op elke basisschool") == 1
    assert any("genoemd door" in row[-1] for row in tables[0]["rows"])
    actors = compute(demo_store, "DEMO", "actoren")
    text = str(actors["sections"])
    assert text.count("Stichting Leergeld") >= 1
    missing = next(
        s for s in actors["sections"] if s["kind"] == "table" and "Stichting Leergeld" in str(s)
    )
    names = [row[0] for row in missing["rows"]]
    assert names.count("Stichting Leergeld") == 1


def test_two_spellings_of_an_actor_become_one_node_after_a_merge(any_store: Store) -> None:
    any_store.create_session("M", template="netwerkwerkboek", code="M1")
    anna, bob = any_store.join("M1", "Anna"), any_store.join("M1", "Bob")
    rows = [
        ("r1", "naam", "Muziekschool De Linge"),
        ("r2", "naam", "OBS De Kastanje"),
    ]
    any_store.append(anna, [Answer("actoren", "register", v, i, f) for i, f, v in rows])
    any_store.append(bob, [Answer("actoren", "register", "Muziekschool Linge", "r1", "naam")])
    relations = [
        Answer("actoren", "relaties", "Muziekschool Linge", "r1", "van"),
        Answer("actoren", "relaties", "OBS De Kastanje", "r1", "met"),
    ]
    any_store.append(bob, relations)
    graph = network_graph(load_answers("M1", store=any_store))
    assert {"Muziekschool De Linge", "Muziekschool Linge"} <= set(graph.nodes)
    merge_names(any_store, "M1", ACTORS, "Muziekschool Linge", "Muziekschool De Linge")
    graph = network_graph(load_answers("M1", store=any_store))
    assert "Muziekschool Linge" not in graph.nodes
    assert graph.has_edge("Muziekschool De Linge", "OBS De Kastanje")
    typed = load_answers("M1", store=any_store, merged=False)
    assert "Muziekschool Linge" in set(typed["value"])  # the original spelling is kept
    assert merged_names(any_store, "M1") == {
        ACTORS: {"muziekschool linge": "Muziekschool De Linge"}
    }
    unmerge_name(any_store, "M1", ACTORS, "Muziekschool Linge")
    assert merged_names(any_store, "M1") == {}


def test_merge_follows_chains_and_reaches_matrix_items(store: Store) -> None:
    store.create_session("M", template="netwerkwerkboek", code="M2")
    anna = store.join("M2", "Anna")
    store.append(
        anna,
        [
            Answer("ambities", "lijst", "Muziekagenda", "r1", "ambitie"),
            Answer("ambities", "betrokkenheid", "meedoen", "Muziek agenda!", "level"),
        ],
    )
    merge_names(store, "M2", "ambities.lijst.ambitie", "Muziek agenda", "Agenda")
    merge_names(store, "M2", "ambities.lijst.ambitie", "Agenda", "Eén muziekagenda")
    answers = load_answers("M2", store=store)
    assert set(answers.loc[answers["question"] == "betrokkenheid", "item"]) == {"Eén muziekagenda"}


def test_pace_and_timer_reach_the_participant_page(store: Store) -> None:
    key = store.create_session("P", template="netwerkwerkboek", code="P1").trainer_key
    app = ParticipantApp(store, query={"sessie": "P1"})
    app.join_form.name.value = "Anna"
    app.join_form.button.click()
    assert app.block_id == "actoren" and app.follow.notice.value == ""
    screen = TrainerScreen(store, {"sessie": "P1", "sleutel": key})
    screen.flow.target.value = "werkblad"
    screen.flow.send.click()
    assert current_pace(store, "P1").block == "werkblad"
    app.follow.tick()  # what the participant's kernel does every 1.5 s
    assert app.block_id == "werkblad" and "Werkblad" in app.follow.notice.value
    app.show_block("actoren")  # going back stays possible
    app.follow.tick()
    assert app.block_id == "actoren"
    screen.flow.lock.value = True
    screen.flow.target.value = "identiteit"
    screen.flow.send.click()
    app.follow.tick()
    assert app.next_button.disabled  # not past the group
    app.show_block("voorwaarden")  # through the list of blocks: back to where the group is
    app.follow.tick()
    assert app.block_id == "identiteit" and "zover" in app.follow.notice.value
    assert screen.flow.round.options[0][0].startswith("Vertel je buur")
    screen.flow.start.click()
    timer = current_timer(store, "P1")
    assert timer.running and timer.minutes == 4 and timer.topic.startswith("Vertel je buur")
    app.follow.tick()
    assert "nw-timer-clock" in app.follow.timer.value and ">4:00<" in app.follow.timer.value
    later = timer.started_at + timedelta(minutes=5)
    assert timer.remaining(later) == 0
    screen.flow.stop.click()
    app.follow.tick()
    assert app.follow.timer.value == "" and not current_timer(store, "P1").running
    with pytest.raises(Exception, match="minuten"):
        start_timer(store, "P1", 0)
    start_timer(store, "P1", 1, "Kort")
    stop_timer(store, "P1")
    start_timer(store, "P1", 2, "Weer")
    assert current_timer(store, "P1").running  # stop and restart
    assert current_timer(store, "P1").started_at <= datetime.now(UTC)


def test_join_screen_has_code_link_qr_and_live_count(store: Store, tmp_path) -> None:
    key = store.create_session("Q", template="netwerkwerkboek", code="QR1").trainer_key
    screen = TrainerScreen(store, {"sessie": "QR1", "sleutel": key})
    screen.mode.value = "join"
    join = screen.join_screen
    assert join in screen.body.children and "QR1" in join.heading.value
    assert join.link.endswith("start.ipynb?sessie=QR1")
    assert "<svg" in join.qr.value and 'role="img"' in join.qr.value
    store.join("QR1", "Anna")
    screen.tick()
    assert ">1</span>" in join.joined.value
    assert join_link("AB", "http://host:8866/voila/render/trainer.ipynb?x=1") == (
        "http://host:8866/voila/render/start.ipynb?sessie=AB"
    )
    assert write_qr("http://x/", tmp_path / "qr.svg").read_text().startswith("<?xml")
    assert write_qr("x", tmp_path / "qr.png").read_bytes()[:4] == b"\x89PNG"


def test_second_trainer_screen_follows_the_store(store: Store) -> None:
    key = store.create_session("T", template="netwerkwerkboek", code="T2").trainer_key
    first = TrainerScreen(store, {"sessie": "T2", "sleutel": key})
    second = TrainerScreen(store, {"sessie": "T2", "sleutel": key})
    first.controls["werkblad"].reveal.value = True
    first.close_toggle.value = True
    second.tick()
    assert second.controls["werkblad"].reveal.value
    assert second.controls["werkblad"].reveal.description == "Gedeeld met deelnemers"
    assert second.close_toggle.value and "heropenen" in second.close_toggle.description
    events = store._db.query("SELECT COUNT(*) FROM session_events WHERE session = 'T2'")
    assert events[0][0] == 2  # following wrote nothing


def test_progress_counts_current_non_empty_answers(store: Store) -> None:
    store.create_session("T", template="netwerkwerkboek", code="T3")
    anna = store.join("T3", "Anna")
    store.append(anna, [Answer("identiteit", "waarom", "Omdat", field="text")])
    assert store.progress("T3") == {"identiteit": 1}
    store.append(anna, [Answer("identiteit", "waarom", "", field="text")])
    assert store.progress("T3") == {}


def test_moderation_panel_hides_and_shows_with_one_click(demo_store: Store) -> None:
    screen = TrainerScreen(demo_store, {"sessie": "DEMO", "sleutel": "demo-trainer"})
    screen.mode.value = "moderate"
    panel = screen.moderation
    panel.block.value = "identiteit"
    rows = panel.answers.children
    target = next(r for r in rows if "Jong en oud" in r.children[0].value)
    target.children[1].click()
    assert any(k.participant == "p-erik" for k in hidden_answers(demo_store, "DEMO"))
    screen.block.value = "identiteit"
    screen.show_group(force=True)
    assert "Jong en oud" not in screen.results.text()
    again = next(r for r in panel.answers.children if "Jong en oud" in r.children[0].value)
    assert "verborgen" in again.children[0].value
    again.children[1].click()
    assert hidden_answers(demo_store, "DEMO") == set()
    refs = [ref for _label, ref in shared_lists(screen.template)]
    assert refs[:3] == ["actoren.register.naam", "actoren.ontbreekt.wie", "ambities.lijst.ambitie"]


def test_presentation_steps_and_toggles_the_reveal(demo_store: Store) -> None:
    demo_store.create_session("P", template="netwerkwerkboek", code="PR1", trainer_key="k")
    screen = TrainerScreen(demo_store, {"sessie": "PR1", "sleutel": "k"})
    screen.mode.value = "present"
    bar = screen.presentation
    assert "nw-presenting" in screen._dom_classes and bar.previous.disabled
    bar.next.click()
    assert screen.block.value == "identiteit" and "2 van 8" in bar.position.value
    assert "Identiteit" in bar.title.value and "nw-shows-identiteit" in screen.results._dom_classes
    bar.reveal.value = True
    assert demo_store.revealed_blocks("PR1") == {"identiteit"}
    assert screen.controls["identiteit"].reveal.value
    bar.previous.click()
    assert screen.block.value == "actoren" and not bar.reveal.value


def test_session_create_writes_the_qr_code_of_the_link(sqlite_url: str, tmp_path, capsys) -> None:
    import shutil
    import subprocess

    from netwerk_widgets.cli import main

    target = tmp_path / "qr.png"
    args = ["--db", sqlite_url, "--base-url", "http://10.0.0.5:8866", "session", "create"]
    assert main([*args, "Maart", "--code", "QRCLI", "--qr", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (Debian package zbar-tools) is missing")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(target)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == "http://10.0.0.5:8866/voila/render/start.ipynb?sessie=QRCLI"
    assert main([*args, "Fout", "--qr", str(tmp_path / "qr.gif")]) != 0
    assert "png of .svg" in capsys.readouterr().err


def test_report_starts_with_the_findings_and_leaves_hidden_answers_out(
    demo_store: Store,
) -> None:
    from netwerk_widgets.report import session_report_html

    page = session_report_html("DEMO", store=demo_store)
    summary = page.index('<section class="samenvatting"')
    assert summary < page.index("<nav>") < page.index('<section class="blok"')
    first = page[summary : page.index("</section>", summary)]
    assert "Zwakste voorwaarden" in first and "9 Evaluatie en reflectie" in first
    assert "Plan vaste momenten" in first  # its tip
    assert "Stichting Leergeld (genoemd door 2)" in first
    assert "Een jaarlijks muziekfestival voor alle kinderen" in first  # too few doers
    assert "Zonder de scholen aan tafel" in first  # the insights wall
    hide_answer(demo_store, "DEMO", AnswerKey("p-anouk", "inzichten", "inzicht"))
    again = session_report_html("DEMO", store=demo_store)
    assert "Zonder de scholen aan tafel" not in again
    marked = load_answers("DEMO", store=demo_store, hidden=True)
    assert marked.loc[marked["hidden"], "value"].str.startswith("Zonder de scholen").any()
