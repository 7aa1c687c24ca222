"""Templates that would break a session (issue 16, points 6-8): alias bombs, values of the
wrong type, numbers without bounds, duplicate keys and versions written as numbers.

Every case must be refused by the parser (and ``netwerk template validate``) quickly, with a
short message that names the field and, for a number, the bound.
"""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
import yaml

from netwerk_widgets import TemplateError, load_template
from netwerk_widgets.cli import main
from netwerk_widgets.templates import (
    LIMITS,
    SCHEMA_PATH,
    check_template,
    parse_template,
    schema_problems,
)

BUILTIN = Path(load_template().source).read_text(encoding="utf-8")

MINI = """\
name: mini
version: "2"
title: Mini
blocks:
  - id: b1
    title: Blok
    questions:
      - {id: q1, kind: text, text: Vraag}
      - {id: q2, kind: scale, text: Schaal}
      - id: q3
        kind: table
        text: Tabel
        columns: [{id: a, label: A}]
      - id: q4
        kind: choice
        text: Keuze
        options: [{id: ja, label: Ja}, {id: nee, label: Nee}]
"""


def bomb(levels: int, width: int = 9) -> str:
    """Nested YAML anchors: ``width ** levels`` strings once expanded, a few hundred bytes."""
    names = [f"l{i}" for i in range(levels)]
    lines = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    for before, name in itertools.pairwise(names):
        lines.append(f"{name}: &{name} [{', '.join([f'*{before}'] * width)}]")
    return "\n".join(lines)


def with_bomb(field: str, levels: int = 6) -> str:
    """The built-in template with ``field:`` replaced by a nested-anchor bomb."""
    anchors = bomb(levels).splitlines()
    value = anchors[-1].split(": ", 1)[1]
    text = BUILTIN.replace(f"\n{field}: ", f"\n{field}: {value}\n_old_{field}: ", 1)
    # the anchors must come before their use: put all but the last in a list on top
    prefix = "x_anchors:\n" + "".join(f"  - {line.split(': ', 1)[1]}\n" for line in anchors[:-1])
    return prefix + text


@pytest.mark.parametrize("field", ["version", "language"])
def test_alias_bomb_is_refused_quickly_with_a_short_message(field: str) -> None:
    text = with_bomb(field)
    assert len(text) < 40_000
    started = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        parse_template(text, "bom.yaml")
    assert time.perf_counter() - started < 5
    assert len(str(caught.value)) < 400
    assert "YAML-verwijzingen" in caught.value.problem
    template, problems = check_template(text, "bom.yaml")
    assert template is None
    assert problems
    assert all(len(str(p)) < 400 for p in problems)


def test_alias_inside_itself_is_refused() -> None:
    with pytest.raises(TemplateError, match="YAML-verwijzingen"):
        parse_template("name: &a [x, *a]\nversion: '1'\n", "rond.yaml")


def test_validate_prints_one_short_line_for_a_bomb(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.yaml"
    path.write_text(with_bomb("version"), encoding="utf-8")
    assert main(["template", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "YAML-verwijzingen" in err
    assert len(err) < 1000


def test_anchors_used_once_or_a_few_times_still_work() -> None:
    # the built-in template shares its role options with an anchor
    assert "&rollen" in BUILTIN
    assert load_template().name == "netwerkwerkboek"


SCALARS_OF_THE_WRONG_TYPE = {
    "version as a list": (MINI.replace('version: "2"', "version: [1, 2]"), "version"),
    "name as a mapping": (MINI.replace("name: mini", "name: {a: b}"), "name"),
    "language as a list": (MINI.replace("title: Mini", "title: Mini\nlanguage: [nl]"), "language"),
    "view as a mapping": (
        MINI.replace("    title: Blok\n", "    title: Blok\n    results: {view: {a: 1}}\n"),
        "blocks[0].results.view",
    ),
    "kind as a list": (MINI.replace("kind: text", "kind: [text]"), "blocks[0].questions[0].kind"),
    "option of a view as a list": (
        MINI.replace(
            "    title: Blok\n",
            "    title: Blok\n    results: {view: sentences, question: q1, consent: q4,"
            " consent_option: [[ja]]}\n",
        ),
        "blocks[0].results.consent_option",
    ),
    "column of a view as a mapping": (
        MINI.replace(
            "    title: Blok\n",
            "    title: Blok\n    results: {view: worksheet,"
            " question: {question: q3, challenge: {a: 1}, problem: a, solution: a}}\n",
        ),
        "blocks[0].results.question.challenge",
    ),
}


@pytest.mark.parametrize("case", SCALARS_OF_THE_WRONG_TYPE)
def test_every_scalar_field_is_type_checked(case: str) -> None:
    text, field = SCALARS_OF_THE_WRONG_TYPE[case]
    with pytest.raises(TemplateError) as caught:
        parse_template(text, "t.yaml")
    assert caught.value.field == field


UNBOUNDED = {
    "huge scale": (
        MINI.replace(
            "{id: q2, kind: scale, text: Schaal}",
            "{id: q2, kind: scale, text: S, min: 9999990, max: 10000000}",
        ),
        "blocks[0].questions[1].min",
        "van -1000 tot en met 1000",
    ),
    "many rows": (
        MINI.replace(
            "columns: [{id: a, label: A}]", "columns: [{id: a, label: A}]\n        min_rows: 2000"
        ),
        "blocks[0].questions[2].min_rows",
        "van 0 tot en met 50",
    ),
    "huge max_length": (
        MINI.replace(
            "{id: q1, kind: text, text: Vraag}",
            "{id: q1, kind: text, text: Vraag, max_length: 1000000000}",
        ),
        "blocks[0].questions[0].max_length",
        "van 1 tot en met 20000",
    ),
    "many options": (
        MINI.replace(
            "options: [{id: ja, label: Ja}, {id: nee, label: Nee}]",
            "options: [" + ", ".join(f"{{id: o{i}, label: O{i}}}" for i in range(5000)) + "]",
        ),
        "blocks[0].questions[3].options",
        "hoogstens 50",
    ),
    "huge view setting": (
        MINI.replace(
            "    title: Blok\n",
            "    title: Blok\n    results: {view: conditions, questions: [q2], tips: 100000000}\n",
        ),
        "blocks[0].results.tips",
        "van 0 tot en met 1000",
    ),
    "huge threshold": (
        MINI.replace(
            "    title: Blok\n",
            "    title: Blok\n    results: {view: conditions, questions: [q2],"
            " thresholds: {min_ratings: 1.0e+300}}\n",
        ),
        "blocks[0].results.thresholds.min_ratings",
        "van -1000 tot en met 1000",
    ),
    "long text": (
        MINI.replace("text: Vraag", "text: " + "x" * 20_000),
        "blocks[0].questions[0].text",
        "hoogstens 10000",
    ),
}


@pytest.mark.parametrize("case", UNBOUNDED)
def test_numbers_and_sizes_have_bounds_that_the_message_names(case: str) -> None:
    text, field, bound = UNBOUNDED[case]
    with pytest.raises(TemplateError) as caught:
        parse_template(text, "t.yaml")
    assert caught.value.field == field
    assert bound in caught.value.problem
    _template, problems = check_template(text, "t.yaml")
    assert any(p.field == field for p in problems)


def test_the_published_schema_has_the_same_bounds() -> None:
    for case, (text, field, _bound) in UNBOUNDED.items():
        data = yaml.safe_load(text)
        fields = [p.field for p in schema_problems(data, "t.yaml")]
        # a view setting sits in a oneOf: the schema names the results as a whole
        assert any(f.startswith(field) or (f and field.startswith(f)) for f in fields), case
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    question = schema["$defs"]["question"]["properties"]
    assert question["max_length"]["maximum"] == LIMITS["max_length"]
    assert question["min_rows"]["maximum"] == LIMITS["min_rows"]
    assert question["max"]["maximum"] == LIMITS["scale_value"]
    assert question["columns"]["maxItems"] == LIMITS["columns"]
    assert schema["$defs"]["options"]["maxItems"] == LIMITS["options"]
    assert schema["$defs"]["block"]["properties"]["questions"]["maxItems"] == LIMITS["questions"]
    assert schema["properties"]["blocks"]["maxItems"] == LIMITS["blocks"]
    assert schema["properties"]["version"]["maxLength"] == LIMITS["version"]


def test_duplicate_keys_are_an_error_naming_the_line() -> None:
    text = MINI.replace("    questions:\n", "    questions: []\n    questions:\n", 1)
    with pytest.raises(TemplateError) as caught:
        parse_template(text, "dubbel.yaml")
    assert caught.value.field == "regel 8, kolom 5"
    assert "'questions' staat twee keer" in caught.value.problem
    _template, problems = check_template(text, "dubbel.yaml")
    assert [p.field for p in problems] == ["regel 8, kolom 5"]


@pytest.mark.parametrize(("written", "kept"), [("1.10", "1.10"), ("2", "2"), ("'1.10'", "1.10")])
def test_version_is_kept_as_written(written: str, kept: str) -> None:
    template = parse_template(MINI.replace('version: "2"', f"version: {written}"), "v.yaml")
    assert template.version == kept


def test_messages_are_in_the_readers_language() -> None:
    text = MINI.replace("kind: text", "kind: txt")
    with pytest.raises(TemplateError) as caught:
        parse_template(text, "t.yaml", language="en")
    assert caught.value.problem.startswith("unknown kind 'txt'; choose from: text, scale")
    _template, problems = check_template(text, "t.yaml", language="en")
    assert problems[0].problem.startswith("unknown kind 'txt'")


def test_the_designer_shows_template_problems_in_its_own_language(
    tmp_path: Path, sqlite_url: str
) -> None:
    from test_designer import upload

    from netwerk_widgets.designer import Designer

    designer = Designer(
        store_url=sqlite_url, templates_dir=tmp_path / "t", language="en", server="http://x:1"
    )
    upload(designer, "mijn.yaml", MINI.replace("kind: text", "kind: txt").encode())
    message = designer.start_message.value
    assert "unknown kind" in message and "onbekende soort" not in message
    designer.refresh()  # the blank draft of a new template: its problems, in English
    problems = [p.problem for p in designer.problems]
    assert "text is missing" in problems and "tekst ontbreekt" not in problems
