"""The results model: every block's group results as plain data, for any template.

Built by :func:`netwerk_widgets.views.block_results` from DataFrames, without widgets; the
payload (what the results cache keeps and every screen renders) is checked too.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import netwerk_widgets as nw
from conftest import TRAINER_TEMPLATE, fill_trainer_session
from netwerk_widgets import analysis, conditions, views
from netwerk_widgets.render import PHONE_ROOM, least_width, sections_html
from netwerk_widgets.results import (
    BlockResults,
    Chart,
    Note,
    Switch,
    Table,
    dumps,
    from_payload,
    texts,
    to_payload,
    walk,
)
from netwerk_widgets.store import Answer, Store
from netwerk_widgets.templates import load_template, parse_template

BUILTIN = load_template()


def results_of(store: Store, code: str, block: str, template=None) -> BlockResults:
    info = store.session(code)
    template = template or load_template(info.template)
    answers = nw.load_answers(code, store=store)
    people = analysis.load_participants(code, store=store)
    return views.block_results(
        template,
        code,
        block,
        answers,
        people,
        earlier=lambda: views.earlier_session(store, info),
    )


def warnings(results: BlockResults) -> list[str]:
    """The warnings that say a part could not be drawn (not the domain's own warnings)."""
    return [
        s.text
        for s in walk(results.sections)
        if isinstance(s, Note)
        and s.tone == "warning"
        and ("weergave '" in s.text or "view '" in s.text)
    ]


def charts_svg(results: BlockResults) -> list[str]:
    rendered = from_payload(to_payload(results))
    return [s.svg for s in walk(rendered.sections) if isinstance(s, Chart)]


# --- the built-in workbook -------------------------------------------------------------------


def test_every_block_of_the_demo_has_results_without_warnings(demo_store: Store) -> None:
    for block in BUILTIN.blocks:
        results = results_of(demo_store, "DEMO", block.id)
        assert results.sections, block.id
        assert not warnings(results), (block.id, warnings(results))
        payload = to_payload(results)
        again = from_payload(dumps(payload))  # JSON and back, as the cache keeps it
        assert [s.kind for s in again.sections] == [s.kind for s in results.sections]
        for chart in (s for s in walk(again.sections) if isinstance(s, Chart)):
            assert chart.svg.lstrip().startswith("<svg") and chart.description, block.id


def test_every_chart_of_the_demo_fits_a_small_phone_without_scrolling(demo_store: Store) -> None:
    """Shrunk to what a 320 px phone leaves, no chart of the demo's group has to scroll.

    A chart may shrink to ``LEAST_SCALE`` of its size (texts stay at 8 px or more); the
    network drawings and the ambition heatmap used to be 440-480 px wide.
    """
    too_wide = {}
    for block in BUILTIN.blocks:
        for svg in charts_svg(results_of(demo_store, "DEMO", block.id)):
            if least_width(svg) > PHONE_ROOM:
                too_wide.setdefault(block.id, []).append(least_width(svg))
    assert too_wide == {}


def test_a_chart_shrinks_to_its_least_width_and_then_scrolls_in_its_own_box() -> None:
    wide = Chart(svg='<svg xmlns="http://www.w3.org/2000/svg" width="500" height="90"></svg>')
    narrow = Chart(svg='<svg xmlns="http://www.w3.org/2000/svg" width="300" height="90"></svg>')
    assert 'style="--nw-least:400px" tabindex="0"' in sections_html([wide])
    assert 'style="--nw-least:240px">' in sections_html([narrow])


def test_conditions_view_of_the_builtin_scan(demo_store: Store) -> None:
    first = results_of(demo_store, "DEMO", "voorwaarden")
    later = results_of(demo_store, "DEMO2", "voorwaarden")
    words = " ".join(texts(first.sections))
    assert "Eens of oneens?" in words and "Tips bij de zwakste voorwaarden" in words
    switch = next(s for s in first.sections if isinstance(s, Switch))
    assert [label for label, _ in switch.options] == ["rol", "organisatie"]
    # The later scan of the same network is compared with the first: one chart more.
    count = lambda r: sum(isinstance(s, Chart) for s in walk(r.sections))  # noqa: E731
    assert count(later) == count(first) + 1
    assert any(t.startswith("Veranderd sinds") for t in texts(later.sections))
    # Tips come from the template, next to the weakest conditions.
    tips = {BUILTIN.t(q.tip) for q in BUILTIN.block("voorwaarden").questions}
    assert len(tips & set(texts(first.sections))) == 3


def test_shared_list_shows_each_entry_once(demo_store: Store) -> None:
    results = results_of(demo_store, "DEMO", "ambities")
    table = next(s for s in results.sections if isinstance(s, Table))
    rows = from_payload(to_payload(results)).sections[1].rows
    named = [" ".join(r[0].split()).casefold() for r in rows]
    assert table.headers[0] == "Ambitie"
    assert len(named) == len(set(named))


def test_results_are_in_the_language_asked_for(demo_store: Store) -> None:
    info = demo_store.session("DEMO")
    answers = nw.load_answers("DEMO", store=demo_store)
    people = analysis.load_participants("DEMO", store=demo_store)
    english = views.block_results(BUILTIN, info.code, "voorwaarden", answers, people, language="en")
    words = texts(english.sections)
    assert "Agreed or not?" in words and "Eens of oneens?" not in words
    assert english.title == "Ten conditions for working together"


# --- a trainer's own template ----------------------------------------------------------------


@pytest.fixture
def trainer_session(store: Store) -> str:
    return fill_trainer_session(store, "OWN")[0].code


def test_trainer_template_counts_every_value_of_its_scales(
    store: Store, trainer_session: str
) -> None:
    template = load_template(TRAINER_TEMPLATE)
    scan = results_of(store, trainer_session, "health_check", template)
    assert not warnings(scan)
    answers = nw.load_answers(trainer_session, store=store)
    scores = analysis.condition_scores(answers, template=template)
    summary = conditions.condition_summary(scores).set_index("question")
    assert summary.loc["c_goal", "n_7"] == 4 and summary.loc["c_goal", "n_1"] == 1
    distribution = charts_svg(scan)[0]
    assert ">7<" in distribution and "Shared goal" in distribution
    # Pseudo-consensus flagged on 1-7 data, in English.
    flags = next(s for s in scan.sections if isinstance(s, Table))
    rows = {row[0]: row for row in from_payload(to_payload(scan)).sections[4].rows}
    assert flags.headers[0] == "Condition"
    assert rows["Shared goal"][3] != "" and rows["Trust"][3] == ""
    # The two weakest conditions get the template's tips.
    words = texts(scan.sections)
    assert "Start small and keep your promises." in words
    assert "Make the goal concrete together." in words
    assert "Invite whoever is missing." not in words  # only "don't know": not rated
    switch = next(s for s in scan.sections if isinstance(s, Switch))
    assert [label for label, _ in switch.options] == ["organisation"]


def test_trainer_template_draws_0_to_10_and_a_1_to_7_column(
    store: Store, trainer_session: str
) -> None:
    template = load_template(TRAINER_TEMPLATE)
    mood = results_of(store, trainer_session, "mood", template)
    svg = charts_svg(mood)[0]
    assert ">10<" in svg and ">0<" in svg and ">9<" in svg
    assert "Remark 3" in texts(mood.sections)
    who = results_of(store, trainer_session, "who", template)
    table = [s for s in from_payload(to_payload(who)).sections if isinstance(s, Table)][-1]
    assert table.headers == ("Who", "Partner", "Quality (1-7)")
    assert [row[2] for row in table.rows] == ["7"] * 5


def test_a_view_that_fails_shows_a_message_and_the_rest(
    store: Store, trainer_session: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    template = load_template(TRAINER_TEMPLATE)

    def broken(context: object, block: object) -> object:
        raise ValueError("not for this template")

    monkeypatch.setitem(views._REGISTRY, "conditions", broken)
    results = results_of(store, trainer_session, "health_check", template)
    assert len(warnings(results)) == 1 and "conditions" in warnings(results)[0]


def test_foundation_scale_without_labels_does_not_crash(demo_store: Store) -> None:
    # Removing the end labels of a scale in a copied template crashed the foundation view.
    raw = (Path(BUILTIN.source)).read_text(encoding="utf-8")
    start = raw.index("      - id: vorm_nu")
    end = raw.index("        text:", start)
    lines = raw[start:end].splitlines(keepends=True)
    copied = raw[:start] + "".join(x for x in lines if "labels:" not in x) + raw[end:]
    template = parse_template(copied, source="copy.yaml")
    assert template.block("fundament").question("vorm_nu").scale_labels is None
    results = results_of(demo_store, "DEMO", "fundament", template)
    assert not warnings(results)


def test_report_and_screens_render_the_same_sections(demo_store: Store) -> None:
    results = results_of(demo_store, "DEMO", "actoren")
    html = sections_html(from_payload(to_payload(results)).sections)
    assert "<svg" in html and 'role="img"' in html
    assert "<script" not in html


def test_payload_escapes_what_people_typed(store: Store) -> None:
    store.create_session("X", template="netwerkwerkboek", template_version="1.1", code="ESC")
    person = store.join("ESC", "<b>Eve</b>")
    store.append(
        person, [Answer("identiteit", "waarom", "<script>alert(1)</script>", field="text")]
    )
    results = results_of(store, "ESC", "identiteit")
    html = sections_html(from_payload(to_payload(results)).sections)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_template_declares_views_and_rejects_unknown_ones() -> None:
    raw = TRAINER_TEMPLATE.read_text(encoding="utf-8")
    with pytest.raises(nw.TemplateError, match="onbekende weergave 'spider'"):
        parse_template(raw.replace("view: conditions", "view: spider"))
    with pytest.raises(nw.TemplateError, match=r"blocks\[1\]\.results"):
        parse_template(raw.replace("view: conditions", "view: cost_benefit"))
    assert pd.api.types.is_list_like(views.registered())
    assert {b.results.view for b in BUILTIN.blocks} <= set(views.registered())


def test_split_by_role_shows_role_labels_not_ids(demo_store: Store) -> None:
    """The legend of the split chart names the roles as the template does (issue 14)."""
    results = results_of(demo_store, "DEMO", "voorwaarden")
    switch = next(s for s in results.sections if isinstance(s, Switch))
    by_role = dict(switch.options)["rol"]
    chart = next(s for s in by_role if isinstance(s, Chart)).chart
    groups = set(chart.data["group_name"])
    question = BUILTIN.block("actoren").question("mijn_rol")
    ids = {o.id for o in question.options}
    labels = {BUILTIN.t(o.label) for o in question.options}
    assert groups & labels and not groups & ids, groups
