"""The trainer's screen and the reveal, without a browser."""

from __future__ import annotations

import ipywidgets as w

from netwerk_widgets import Store
from netwerk_widgets.app import ParticipantApp
from netwerk_widgets.groupviews import ResultsView, SwitchView
from netwerk_widgets.results import BlockResults, Chart, Heading, Note, Switch
from netwerk_widgets.store import Answer
from netwerk_widgets.trainer import TrainerScreen


def chart_widget(view: ResultsView) -> w.HTML:
    return next(x for x in view.children if "<svg" in getattr(x, "value", ""))


def make_session(store: Store) -> str:
    session = store.create_session(
        "Workshop", template="netwerkwerkboek", template_version="1.1", code="W1"
    )
    return session.trainer_key


def test_wrong_trainer_key_shows_the_login_again(store: Store) -> None:
    make_session(store)
    screen = TrainerScreen(store, {"sessie": "W1", "sleutel": "fout"})
    assert screen.session is None
    assert "trainersleutel hoort niet" in screen.login.message.value
    screen.login.key.value = "nog steeds fout"
    screen.login.button.click()
    assert screen.session is None


def test_screen_counts_participants_and_progress_and_refreshes(store: Store) -> None:
    key = make_session(store)
    screen = TrainerScreen(store, {})
    screen.login.code.value = "w1"
    screen.login.key.value = key
    screen.login.button.click()
    assert screen.session is not None and ">0</span> deelnemers" in screen.header.value
    screen.block.value = "werkblad"
    anna, bob = store.join("W1", "Anna"), store.join("W1", "Bob")
    store.append(anna, [Answer("werkblad", "uitdagingen", "Te weinig tijd", "r1", "uitdaging")])
    screen.tick()
    assert ">2</span> deelnemers" in screen.header.value
    control = screen.controls["werkblad"]
    assert (control.progress.value, control.progress.max, control.count.value) == (1, 2, "1 van 2")
    chart = chart_widget(screen.results)
    before = chart.value
    store.append(bob, [Answer("werkblad", "uitdagingen", "Geld", "r1", "uitdaging")])
    screen.tick()
    same = chart_widget(screen.results)
    assert same is chart and chart.value != before  # updated in place, not replaced
    assert "Geld" in screen.results.children[-1].value
    assert "nw-shows-werkblad" in screen.results._dom_classes


def test_reveal_lets_participants_see_the_group(store: Store) -> None:
    key = make_session(store)
    app = ParticipantApp(store, query={"sessie": "W1"})
    app.join_form.name.value = "Anna"
    app.join_form.button.click()
    app.show_block("werkblad")
    panel = app.group
    assert not panel.revealed and panel.button.layout.display == "none"
    assert "deelt de resultaten" in panel.message.value
    panel.refresh()
    assert len(panel.output.children) == 1  # only its style sheet: nothing before the reveal
    screen = TrainerScreen(store, {"sessie": "W1", "sleutel": key})
    screen.controls["werkblad"].reveal.value = True
    assert store.revealed_blocks("W1") == {"werkblad"}
    panel.check()  # what the participant's kernel does every few seconds
    assert panel.revealed and panel.button.layout.display is None
    panel.refresh()
    assert "nw-shows-werkblad" in panel.output._dom_classes
    assert "Nog geen antwoorden" in panel.output.text()
    app.show_block("identiteit")  # another block: not shared
    assert not panel.revealed
    screen.controls["werkblad"].reveal.value = False
    app.show_block("werkblad")
    assert not panel.revealed


def test_trainer_can_close_and_reopen_the_session(store: Store) -> None:
    key = make_session(store)
    screen = TrainerScreen(store, {"sessie": "W1", "sleutel": key})
    screen.close_toggle.value = True
    assert store.session("W1").closed and "heropenen" in screen.close_toggle.description
    screen.close_toggle.value = False
    assert not store.session("W1").closed


def test_results_view_updates_matching_widgets_in_place() -> None:
    first = BlockResults("S", "b", "B", "nl", sections=(Heading("a"), Note("b")))
    view = ResultsView(first)
    heading = view.children[1]
    switch = Switch("Splits per", (("rol", (Chart(svg="<svg>1</svg>"),)), ("org", ())))
    view.show(BlockResults("S", "b", "B", "nl", sections=(Heading("c"), switch)))
    assert view.children[1] is heading and "c" in heading.value
    chooser = view.children[2]
    assert isinstance(chooser, SwitchView) and "<svg>1</svg>" in chooser.content.value
    chooser.choice.value = "org"
    assert "<svg" not in chooser.content.value
    again = Switch("Splits per", (("rol", (Chart(svg="<svg>2</svg>"),)), ("org", (Note("x"),))))
    view.show(BlockResults("S", "b", "B", "nl", sections=(Heading("c"), again)))
    assert view.children[2] is chooser and chooser.choice.value == "org"  # choice kept
    assert "x" in chooser.content.value


def test_trainer_screen_never_shows_a_block_under_another_name(store: Store) -> None:
    key = make_session(store)
    anna = store.join("W1", "Anna")
    store.append(anna, [Answer("werkblad", "uitdagingen", "Te weinig tijd", "r1", "uitdaging")])
    screen = TrainerScreen(store, {"sessie": "W1", "sleutel": key})
    screen.block.value = "werkblad"
    assert "Te weinig tijd" in screen.results.text()
    screen.block.value = "voorwaarden"  # nobody answered it yet
    assert "Te weinig tijd" not in screen.results.text()
    assert "nw-shows-voorwaarden" in screen.results._dom_classes
    assert "Nog geen antwoorden" in screen.results.text()
