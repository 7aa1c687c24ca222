from __future__ import annotations

from pathlib import Path

import pytest

from netwerk_widgets import TemplateError, builtin_templates, load_template
from netwerk_widgets.templates import QUESTION_KINDS, parse_template

GOOD = """
name: mini
version: "2"
language: en
title: {nl: Mini, en: Mini EN}
blocks:
  - id: b1
    title: Blok
    questions:
      - {id: q1, kind: text, text: {nl: Vraag, en: Question}}
      - {id: q2, kind: scale, text: Schaal, labels: [laag, hoog]}
      - id: q3
        kind: table
        text: Tabel
        columns: [{id: a, label: A}, {id: b, label: B, example: {nl: voorbeeld}}]
"""


def test_builtin_template_loads_with_the_worksheet_and_the_ten_conditions() -> None:
    assert "netwerkwerkboek" in builtin_templates()
    template = load_template()
    worksheet = template.block("werkblad").question("uitdagingen")
    assert [c.id for c in worksheet.columns] == ["uitdaging", "probleem", "oplossing"]
    assert all(c.example is not None for c in worksheet.columns)
    assert len(template.block("voorwaarden").questions) == 10
    assert template.language == "nl"
    assert {q.kind for b in template.blocks for q in b.questions} <= set(QUESTION_KINDS)


def test_good_template_from_a_file_uses_its_language(tmp_path: Path) -> None:
    path = tmp_path / "mini.yaml"
    path.write_text(GOOD, encoding="utf-8")
    template = load_template(path)
    assert (template.name, template.version, template.source) == ("mini", "2", str(path))
    question = template.block("b1").question("q1")
    assert template.t(question.text) == "Question"
    assert template.t(template.block("b1").title) == "Blok"  # no English: falls back to Dutch
    assert template.block("b1").question("q3").columns[1].example.nl == "voorbeeld"


BAD = {
    "unknown kind": (
        GOOD.replace("kind: text", "kind: txt"),
        "blocks[0].questions[0].kind",
        "onbekende soort 'txt'",
    ),
    "missing text": (
        GOOD.replace(", text: {nl: Vraag, en: Question}", ""),
        "blocks[0].questions[0].text",
        "tekst ontbreekt",
    ),
    "duplicate ids": (
        GOOD.replace("id: q2", "id: q1"),
        "blocks[0].questions[1].id",
        "'q1' komt twee keer voor",
    ),
    "yaml syntax": (GOOD.replace("title: Blok", "title: [Blok"), "regel", "geen geldige YAML"),
    "unknown field": (GOOD.replace("version:", "versoin:"), "versoin", "onbekend veld"),
    "missing version": (GOOD.replace('version: "2"\n', ""), "version", "ontbreekt"),
    "wrong language": (GOOD.replace("language: en", "language: fr"), "language", "nl of en"),
    "no Dutch text": (
        GOOD.replace("{nl: Vraag, en: Question}", "{en: Question}"),
        "blocks[0].questions[0].text.nl",
        "Nederlandse tekst ontbreekt",
    ),
    "table without columns": (
        GOOD.replace(
            "columns: [{id: a, label: A}, {id: b, label: B, example: {nl: voorbeeld}}]", ""
        ),
        "blocks[0].questions[2].columns",
        "niet-lege lijst",
    ),
    "bad scale": (
        GOOD.replace("labels: [laag, hoog]", "min: 5, max: 1"),
        "blocks[0].questions[1].max",
        "groter zijn dan min",
    ),
    "not a mapping": ("- just\n- a list\n", "", "verwacht een mapping"),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_template_names_file_field_and_problem(tmp_path: Path, case: str) -> None:
    text, field, problem = BAD[case]
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert field in caught.value.field
    assert problem in message


def test_missing_template_file_lists_the_builtin_ones(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"niet gevonden.*netwerkwerkboek"):
        load_template(tmp_path / "nope.yaml")


def test_parse_template_reports_the_source_name() -> None:
    with pytest.raises(TemplateError, match=r"^<tekst>: blocks: verwacht een niet-lege"):
        parse_template("name: x\nversion: 1\ntitle: X\nblocks: []\n")


SCHEMA = Path(__file__).resolve().parent.parent / "schema" / "template.schema.json"


def test_published_json_schema_accepts_the_builtin_and_refuses_broken_templates(
    tmp_path: Path,
) -> None:
    import json

    import jsonschema
    import yaml

    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    builtin = yaml.safe_load(Path(load_template().source).read_text())
    assert list(validator.iter_errors(builtin)) == []
    assert list(validator.iter_errors(yaml.safe_load(GOOD))) == []
    for case in (
        "unknown kind",
        "missing text",
        "unknown field",
        "missing version",
        "wrong language",
        "no Dutch text",
        "table without columns",
        "not a mapping",
    ):
        broken = yaml.safe_load(BAD[case][0])
        assert list(validator.iter_errors(broken)), case
