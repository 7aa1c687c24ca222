"""Workbook templates: plain data, loaded from YAML and validated on load.

A template lists the blocks of a workbook, the questions in each block and their texts in
Dutch and English. Trainers change and share the YAML file, not code. Every problem found on
load raises :class:`~netwerk_widgets.errors.TemplateError` naming the file and the field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError

LANGUAGES = ("nl", "en")
QUESTION_KINDS = ("text", "scale", "choice", "multichoice", "table", "matrix")
COLUMN_KINDS = ("text", "choice", "scale")
BUILTIN_DIR = Path(__file__).parent / "templates"
DEFAULT_TEMPLATE = "netwerkwerkboek"
UNKNOWN = "weet_niet"  # the stored value of a "weet ik niet" rating


@dataclass(frozen=True)
class Text:
    """A text in Dutch and (optionally) English; ``str(text)`` is never used for display."""

    nl: str
    en: str = ""

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Dutch when no translation exists."""
        return (self.en if language == "en" else self.nl) or self.nl


@dataclass(frozen=True)
class Option:
    """One answer option of a choice question."""

    id: str
    label: Text


@dataclass(frozen=True)
class Column:
    """One column of a table question; ``example`` is shown as a hint in the first row.

    ``kind`` is ``text``, ``choice`` (from ``options``, or from what the group entered in
    another table column, named by ``options_from`` as ``block.question.column``) or
    ``scale`` (1-5).
    """

    id: str
    label: Text
    example: Text | None = None
    kind: str = "text"
    options: tuple[Option, ...] = ()
    options_from: str | None = None


@dataclass(frozen=True)
class Question:
    """One question; what the participant answers with depends on ``kind``."""

    id: str
    kind: str
    text: Text
    help: Text | None = None
    required: bool = False
    max_length: int = 2000
    options: tuple[Option, ...] = ()
    columns: tuple[Column, ...] = ()
    scale_min: int = 1
    scale_max: int = 5
    scale_labels: tuple[Text, Text] | None = None
    allow_unknown: bool = True
    comment: bool = False
    min_rows: int = 1
    shared: bool = False
    items_from: str | None = None


@dataclass(frozen=True)
class Block:
    """A page of the workbook: a title, an introduction and its questions."""

    id: str
    title: Text
    intro: Text | None = None
    questions: tuple[Question, ...] = ()

    def question(self, question_id: str) -> Question:
        """The question with this id (``KeyError`` if there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Template:
    """A whole workbook template.

    Attributes
    ----------
    name, version : str
        Identify the template; answers record the version they were given under.
    language : str
        ``"nl"`` or ``"en"``: the language participants see.
    source : str
        The file the template came from (for messages).
    """

    name: str
    version: str
    language: str
    title: Text
    blocks: tuple[Block, ...] = ()
    intro: Text | None = None
    source: str = field(default="", compare=False)

    def block(self, block_id: str) -> Block:
        """The block with this id (``KeyError`` if there is none)."""
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def t(self, text: Text | None) -> str:
        """``text`` in this template's language ('' for no text)."""
        return text.get(self.language) if text is not None else ""


def builtin_templates() -> list[str]:
    """Names of the templates shipped with the package."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def template_path(name_or_path: str | Path) -> Path:
    """The file behind a built-in template name or a path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    return BUILTIN_DIR / f"{name_or_path}.yaml"


def load_template(name_or_path: str | Path = DEFAULT_TEMPLATE) -> Template:
    """Load and validate a template by built-in name or by file path.

    Raises
    ------
    TemplateError
        When the file is missing, is not valid YAML, or any field is wrong; the message
        names the file and the field.
    """
    path = template_path(name_or_path)
    source = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(builtin_templates())
        msg = f"bestand niet gevonden (ingebouwde sjablonen: {known})"
        raise TemplateError(source, "", msg) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(source, "", f"bestand niet leesbaar: {exc}") from None
    return parse_template(raw, source=source)


def parse_template(raw: str, source: str = "<tekst>") -> Template:
    """Parse and validate template YAML given as a string."""
    try:
        # libyaml's loader where installed: ten times faster, and every kernel loads a template.
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise TemplateError(source, where, f"geen geldige YAML ({problem})") from None
    return _Parser(source).template(data)


class _Parser:
    """Turns loaded YAML into a :class:`Template`, tracking the field path for errors."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> TemplateError:
        return TemplateError(self.source, where, problem)

    def mapping(self, data: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, f"verwacht een mapping (sleutel: waarde), niet {_kind(data)}")
        unknown = sorted(set(map(str, data)) - allowed)
        if unknown:
            expected = ", ".join(sorted(allowed))
            raise self.fail(
                f"{where}.{unknown[0]}" if where else unknown[0],
                f"onbekend veld; toegestaan zijn: {expected}",
            )
        return data

    def required(self, data: dict[str, Any], key: str, where: str) -> Any:
        if data.get(key) in (None, ""):
            raise self.fail(_join(where, key), "dit veld ontbreekt of is leeg")
        return data[key]

    def identifier(self, data: dict[str, Any], where: str) -> str:
        value = self.required(data, "id", where)
        if not isinstance(value, str) or not value.replace("_", "").replace("-", "").isalnum():
            raise self.fail(
                _join(where, "id"), "verwacht een korte naam van letters, cijfers, - of _"
            )
        return value

    def text(self, value: Any, where: str, *, required: bool = True) -> Text | None:
        if value is None or value == "":
            if required:
                raise self.fail(where, "tekst ontbreekt")
            return None
        if isinstance(value, str):
            return Text(nl=value)
        data = self.mapping(value, where, set(LANGUAGES))
        for language, text in data.items():
            if not isinstance(text, str):
                raise self.fail(f"{where}.{language}", f"verwacht tekst, niet {_kind(text)}")
        if not data.get("nl"):
            raise self.fail(f"{where}.nl", "de Nederlandse tekst ontbreekt")
        return Text(nl=data["nl"], en=data.get("en", ""))

    def integer(self, data: dict[str, Any], key: str, where: str, default: int) -> int:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(_join(where, key), f"verwacht een geheel getal, niet {_kind(value)}")
        return value

    def boolean(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), f"verwacht true of false, niet {_kind(value)}")
        return value

    def unique(self, items: list[Any], where: str, what: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                raise self.fail(
                    f"{where}[{index}].id",
                    f"{what} '{item.id}' komt twee keer voor; ids moeten uniek zijn",
                )
            seen.add(item.id)

    def sequence(self, data: dict[str, Any], key: str, where: str) -> list[Any]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(_join(where, key), "verwacht een niet-lege lijst")
        return value

    def template(self, data: Any) -> Template:
        data = self.mapping(data, "", {"name", "version", "language", "title", "intro", "blocks"})
        language = data.get("language", "nl")
        if language not in LANGUAGES:
            raise self.fail("language", f"'{language}' is geen taal die we kennen; kies nl of en")
        name = self.required(data, "name", "")
        version = str(self.required(data, "version", ""))
        blocks = [
            self.block(item, f"blocks[{i}]")
            for i, item in enumerate(self.sequence(data, "blocks", ""))
        ]
        self.unique(blocks, "blocks", "blok")
        self.check_references(blocks)
        return Template(
            name=str(name),
            version=version,
            language=language,
            title=self.text(data.get("title"), "title"),
            intro=self.text(data.get("intro"), "intro", required=False),
            blocks=tuple(blocks),
            source=self.source,
        )

    def block(self, data: Any, where: str) -> Block:
        data = self.mapping(data, where, {"id", "title", "intro", "questions"})
        block_id = self.identifier(data, where)
        questions = [
            self.question(item, f"{where}.questions[{i}]")
            for i, item in enumerate(self.sequence(data, "questions", where))
        ]
        self.unique(questions, f"{where}.questions", "vraag")
        return Block(
            id=block_id,
            title=self.text(data.get("title"), f"{where}.title"),
            intro=self.text(data.get("intro"), f"{where}.intro", required=False),
            questions=tuple(questions),
        )

    def question(self, data: Any, where: str) -> Question:
        data = self.mapping(
            data,
            where,
            {
                "id",
                "kind",
                "text",
                "help",
                "required",
                "max_length",
                "options",
                "columns",
                "min",
                "max",
                "labels",
                "allow_unknown",
                "comment",
                "min_rows",
                "shared",
                "items_from",
            },
        )
        question_id = self.identifier(data, where)
        kind = self.required(data, "kind", where)
        if kind not in QUESTION_KINDS:
            raise self.fail(
                f"{where}.kind", f"onbekende soort '{kind}'; kies uit: {', '.join(QUESTION_KINDS)}"
            )
        fields: dict[str, Any] = {
            "id": question_id,
            "kind": kind,
            "text": self.text(data.get("text"), f"{where}.text"),
            "help": self.text(data.get("help"), f"{where}.help", required=False),
            "required": self.boolean(data, "required", where, False),
            "max_length": self.integer(data, "max_length", where, 2000),
            "comment": self.boolean(data, "comment", where, False),
        }
        if fields["max_length"] < 1:
            raise self.fail(f"{where}.max_length", "moet minstens 1 zijn")
        if kind in ("choice", "multichoice", "matrix"):
            options = [
                self.option(item, f"{where}.options[{i}]")
                for i, item in enumerate(self.sequence(data, "options", where))
            ]
            self.unique(options, f"{where}.options", "optie")
            fields["options"] = tuple(options)
        if kind == "table":
            columns = [
                self.column(item, f"{where}.columns[{i}]")
                for i, item in enumerate(self.sequence(data, "columns", where))
            ]
            self.unique(columns, f"{where}.columns", "kolom")
            fields["columns"] = tuple(columns)
            fields["min_rows"] = self.integer(data, "min_rows", where, 1)
            fields["shared"] = self.boolean(data, "shared", where, False)
        if kind == "matrix":
            fields["items_from"] = self.reference(data.get("items_from"), f"{where}.items_from")
        if kind == "scale":
            low = self.integer(data, "min", where, 1)
            high = self.integer(data, "max", where, 5)
            if high <= low:
                raise self.fail(f"{where}.max", f"moet groter zijn dan min ({low})")
            labels = data.get("labels")
            if labels is not None:
                if not isinstance(labels, list) or len(labels) != 2:
                    raise self.fail(
                        f"{where}.labels",
                        "verwacht twee teksten: voor het laagste en het hoogste punt",
                    )
                fields["scale_labels"] = tuple(
                    self.text(label, f"{where}.labels[{i}]") for i, label in enumerate(labels)
                )
            fields.update(
                scale_min=low,
                scale_max=high,
                allow_unknown=self.boolean(data, "allow_unknown", where, True),
            )
        return Question(**fields)

    def option(self, data: Any, where: str) -> Option:
        data = self.mapping(data, where, {"id", "label"})
        return Option(
            id=self.identifier(data, where), label=self.text(data.get("label"), f"{where}.label")
        )

    def column(self, data: Any, where: str) -> Column:
        data = self.mapping(
            data, where, {"id", "label", "example", "kind", "options", "options_from"}
        )
        kind = data.get("kind", "text")
        if kind not in COLUMN_KINDS:
            raise self.fail(
                f"{where}.kind", f"onbekende soort '{kind}'; kies uit: {', '.join(COLUMN_KINDS)}"
            )
        options: tuple[Option, ...] = ()
        options_from = None
        if kind == "choice":
            if data.get("options_from") is not None:
                options_from = self.reference(data["options_from"], f"{where}.options_from")
            else:
                options = tuple(
                    self.option(item, f"{where}.options[{i}]")
                    for i, item in enumerate(self.sequence(data, "options", where))
                )
                self.unique(list(options), f"{where}.options", "optie")
        return Column(
            id=self.identifier(data, where),
            label=self.text(data.get("label"), f"{where}.label"),
            example=self.text(data.get("example"), f"{where}.example", required=False),
            kind=kind,
            options=options,
            options_from=options_from,
        )

    def reference(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or value.count(".") != 2:
            raise self.fail(where, "verwacht een verwijzing als blok.vraag.kolom")
        return value

    def check_references(self, blocks: list[Block]) -> None:
        """Every ``options_from``/``items_from`` must name a column of a table question."""
        columns = {f"{b.id}.{q.id}.{c.id}" for b in blocks for q in b.questions for c in q.columns}
        for i, block in enumerate(blocks):
            for j, question in enumerate(block.questions):
                where = f"blocks[{i}].questions[{j}]"
                refs = [(f"{where}.items_from", question.items_from)]
                refs += [
                    (f"{where}.columns[{k}].options_from", c.options_from)
                    for k, c in enumerate(question.columns)
                ]
                for place, ref in refs:
                    if ref is not None and ref not in columns:
                        raise self.fail(
                            place, f"'{ref}' is geen kolom van een tabelvraag in dit sjabloon"
                        )


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _kind(value: Any) -> str:
    names = {
        str: "tekst",
        int: "getal",
        float: "getal",
        bool: "true/false",
        list: "een lijst",
        dict: "een mapping",
        type(None): "niets",
    }
    return names.get(type(value), type(value).__name__)
