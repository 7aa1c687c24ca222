"""Tools for sharing templates: writing them back, comparing versions, listing a folder, and
who made them (``author``, ``description``, ``license``)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netwerk_widgets import TemplateError, load_template
from netwerk_widgets.cli import main
from netwerk_widgets.designer import TemplateDraft
from netwerk_widgets.templates import (
    Change,
    check_template,
    describe_change,
    diff_templates,
    dump_template,
    parse_template,
    schema_problems,
    template_data,
)

MINI = """
name: mini
version: "1"
title: {nl: Mini, en: Mini EN}
author: Anna de Trainer
license: CC BY 4.0
description: {nl: Een klein werkboek om te proberen., en: A small workbook to try.}
blocks:
  - id: b1
    title: Blok
    questions:
      - {id: q1, kind: text, text: Vraag}
"""


def test_dump_and_parse_give_back_the_builtin_template() -> None:
    template = load_template()
    text = dump_template(template)
    again = parse_template(text, source="terug.yaml")
    assert again == template
    assert again.block("voorwaarden").results == template.block("voorwaarden").results
    assert dump_template(again) == text  # stable: a second round writes the same file
    assert "&" not in text and "*" not in text.split("blocks:")[0]  # no YAML anchors
    # The designer's model writes the same data as the template it was made from.
    assert TemplateDraft.of(template).data() == template_data(template)
    assert check_template(text) == (template, [])


def test_dump_keeps_texts_with_line_breaks_quotes_and_both_languages() -> None:
    text = MINI.replace("title: Blok", 'title: {nl: "Blok: één\\ntwee", en: "it\'s #1"}')
    template = parse_template(text)
    assert parse_template(dump_template(template)) == template
    assert template.author == "Anna de Trainer" and template.license == "CC BY 4.0"
    assert template.description.get("en") == "A small workbook to try."


def changed_copy(tmp_path: Path) -> tuple[Path, Path]:
    """The built-in template and a new version: a block added, a question removed, an
    option's label and a scale changed."""
    old = tmp_path / "oud.yaml"
    new = tmp_path / "nieuw.yaml"
    template = load_template()
    old.write_text(dump_template(template), encoding="utf-8")
    data = template_data(template)
    data["version"] = "1.2"
    fundament = next(b for b in data["blocks"] if b["id"] == "fundament")
    fundament["questions"] = [q for q in fundament["questions"] if q["id"] != "middelen"]
    vorm = next(q for q in fundament["questions"] if q["id"] == "vorm_nu")
    vorm.update(min=0, max=10)
    role = next(q for q in data["blocks"][0]["questions"] if q["id"] == "mijn_rol")
    role["options"][1]["label"]["nl"] = "Kern: beslist mee"
    data["blocks"].append(
        {
            "id": "afsluiting",
            "title": {"nl": "Afsluiting", "en": "Closing"},
            "questions": [{"id": "les", "kind": "text", "text": "Wat neem je mee?"}],
        }
    )
    new.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return old, new


def test_diff_lists_added_removed_and_changed_parts(tmp_path: Path) -> None:
    old, new = changed_copy(tmp_path)
    changes = diff_templates(load_template(old), load_template(new))
    assert Change("changed", "template", "", "version", "", "1.1", "1.2") in changes
    assert Change("added", "block", "afsluiting", new="Afsluiting") in changes
    removed = Change(
        "removed",
        "question",
        "fundament.middelen",
        old=load_template(old).block("fundament").question("middelen").text.nl,
    )
    assert removed in changes
    assert Change("changed", "question", "fundament.vorm_nu", "scale", "", "1-5", "0-10") in changes
    option = next(c for c in changes if c.what == "option")
    assert (option.where, option.field, option.language, option.new) == (
        "actoren.mijn_rol.kern",
        "label",
        "nl",
        "Kern: beslist mee",
    )
    assert len(changes) == 5  # nothing else: the table column with the same options is apart
    assert describe_change(option) == (
        "~ optie 'actoren.mijn_rol.kern': label (nl) “Kern: denkt en beslist mee over de koers”"
        " → “Kern: beslist mee”"
    )
    assert describe_change(option, "en").startswith("~ option 'actoren.mijn_rol.kern'")
    assert diff_templates(load_template(old), load_template(old)) == []


def test_template_diff_command_prints_every_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = changed_copy(tmp_path)
    assert main(["template", "diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out
    assert "(versie 1.1) naar" in out and "(versie 1.2): 5 verschillen" in out
    assert "+ onderdeel 'afsluiting' toegevoegd: Afsluiting" in out
    assert "- vraag 'fundament.middelen' verwijderd" in out
    assert "~ vraag 'fundament.vorm_nu': schaal 1-5 → 0-10" in out
    assert "~ optie 'actoren.mijn_rol.kern'" in out
    assert main(["template", "diff", "netwerkwerkboek", str(old)]) == 0
    assert "Geen verschillen." in capsys.readouterr().out
    assert main(["template", "diff", str(old), str(tmp_path / "weg.yaml")]) == 2
    assert "niet gevonden" in capsys.readouterr().err


def test_template_list_shows_builtin_and_own_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    (folder / "mini.yaml").write_text(MINI.replace("language: nl", ""), encoding="utf-8")
    (folder / "engels.yaml").write_text(
        MINI.replace('version: "1"', 'version: "2.1"\nlanguage: en'), encoding="utf-8"
    )
    (folder / "kapot.yml").write_text("name: [x\n", encoding="utf-8")
    (folder / "notities.txt").write_text("geen sjabloon", encoding="utf-8")
    monkeypatch.setenv("NETWERK_TEMPLATES_DIR", str(folder))
    assert main(["template", "list"]) == 0
    out = capsys.readouterr().out
    assert "netwerkwerkboek  versie 1.1  nl  8 onderdelen  Netwerkwerkboek" in out
    assert f"Eigen sjablonen in {folder}" in out
    assert "mini.yaml  versie 1  nl  1 onderdelen  Mini" in out
    assert "engels.yaml  versie 2.1  en  1 onderdelen  Mini EN" in out
    assert "door Anna de Trainer · licentie CC BY 4.0" in out
    assert "Een klein werkboek om te proberen." in out and "A small workbook to try." in out
    assert "kapot.yml  FOUT: regel" in out and "notities" not in out
    monkeypatch.setenv("NETWERK_TEMPLATES_DIR", str(tmp_path / "leeg"))
    assert main(["template", "list"]) == 0
    assert "(nog geen)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("author", "[Anna, Bob]", "verwacht een korte tekst, niet een lijst"),
        ("license", "[CC BY 4.0]", "verwacht een korte tekst, niet een lijst"),
        ("author", "'" + "x" * 201 + "'", "hoogstens 200 tekens"),
        ("license", "{nl: vrij}", "verwacht een korte tekst, niet een mapping"),
        ("description", "[een, twee]", "verwacht een mapping"),
        ("description", "{nl: Beschrijving, fr: Description}", "onbekend veld"),
    ],
)
def test_author_description_and_license_are_checked(field: str, value: str, problem: str) -> None:
    text = MINI.replace("author: Anna de Trainer\nlicense: CC BY 4.0\n", "").replace(
        "description: {nl: Een klein werkboek om te proberen., en: A small workbook to try.}\n",
        "",
    )
    text = text.replace("blocks:", f"{field}: {value}\nblocks:")
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="mini.yaml")
    assert caught.value.field.startswith(field) and problem in caught.value.problem
    assert str(caught.value).startswith(f"mini.yaml: {field}")


def test_validate_also_checks_the_published_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rijen.yaml"
    text = Path(load_template().source).read_text(encoding="utf-8")
    path.write_text(text.replace("min_rows: 2", "min_rows: -1"), encoding="utf-8")
    assert main(["template", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    field = "blocks[4].questions[0].min_rows"
    assert f"FOUT {path}: {field}: verwacht een geheel getal van 0 tot en met 50, niet -1" in err
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [(p.field, p.problem) for p in schema_problems(data, str(path))] == [
        (field, "moet minstens 0 zijn")
    ]
    path.write_text(MINI, encoding="utf-8")
    assert main(["template", "validate", str(path)]) == 0
    assert "OK" in capsys.readouterr().out
