"""Reading template YAML: a safe loader, and a parser that checks every field.

Every problem raises :class:`~netwerk_widgets.errors.TemplateError` naming the file and the
field. Used through :func:`netwerk_widgets.templates.parse_template`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from ._template_model import (
    COLUMN_KINDS,
    LANGUAGES,
    PROFILE_FIELDS,
    QUESTION_KINDS,
    THRESHOLD_NAMES,
    VIEWS,
    Block,
    Column,
    Option,
    Question,
    ResultsSpec,
    Slot,
    Template,
    Text,
)
from .errors import TemplateError

AUTHOR_MAX = 200
"""Longest ``author`` a template may give (one line)."""
LICENSE_MAX = 100
"""Longest ``license`` a template may give (one line, e.g. ``CC BY 4.0``)."""


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
        data = self.mapping(
            data,
            "",
            {
                "name",
                "version",
                "language",
                "title",
                "intro",
                "blocks",
                "profile",
                "author",
                "description",
                "license",
            },
        )
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
        profile = self.profile(data.get("profile"), blocks)
        return Template(
            name=str(name),
            version=version,
            language=language,
            title=self.text(data.get("title"), "title"),
            intro=self.text(data.get("intro"), "intro", required=False),
            blocks=tuple(blocks),
            source=self.source,
            profile=profile,
            author=_short_string(self, data, "author", AUTHOR_MAX),
            description=self.text(data.get("description"), "description", required=False),
            license=_short_string(self, data, "license", LICENSE_MAX),
        )

    def profile(self, data: Any, blocks: list[Block]) -> dict[str, str]:
        if data is None:
            return {}
        data = self.mapping(data, "profile", set(PROFILE_FIELDS))
        questions = {f"{b.id}.{q.id}": q for b in blocks for q in b.questions}
        for name, reference in data.items():
            question = questions.get(reference) if isinstance(reference, str) else None
            if question is None or question.kind not in ("text", "choice"):
                raise self.fail(
                    f"profile.{name}",
                    "verwacht blok.vraag van een open vraag of een keuzevraag in dit sjabloon",
                )
        return {str(k): str(v) for k, v in data.items()}

    def block(self, data: Any, where: str) -> Block:
        data = self.mapping(data, where, {"id", "title", "intro", "questions", "results"})
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
            results=self.results(data.get("results"), f"{where}.results", questions),
        )

    def results(self, data: Any, where: str, questions: list[Question]) -> ResultsSpec:
        """A block's ``results:`` declaration, checked against the view's settings."""
        if data is None:
            return ResultsSpec()
        if isinstance(data, str):
            data = {"view": data}
        view = self.mapping(data, where, {"view", *(k for v in VIEWS.values() for k in v)}).get(
            "view", "questions"
        )
        if view not in VIEWS:
            raise self.fail(
                f"{where}.view", f"onbekende weergave '{view}'; kies uit: {', '.join(VIEWS)}"
            )
        slots = VIEWS[view]
        data = self.mapping(data, where, {"view", *slots})
        by_id = {q.id: q for q in questions}
        settings: dict[str, Any] = {}
        for name, slot in slots.items():
            value = data.get(name)
            place = f"{where}.{name}"
            if value is None:
                if slot.required:
                    raise self.fail(place, f"de weergave '{view}' heeft deze instelling nodig")
                continue
            settings[name] = self.setting(slot, value, place, by_id, settings)
        return ResultsSpec(view=view, settings=settings)

    def setting(
        self,
        slot: Slot,
        value: Any,
        where: str,
        questions: Mapping[str, Question],
        settings: Mapping[str, Any],
    ) -> Any:
        def question_of(qid: Any, kinds: tuple[str, ...], place: str) -> Question:
            question = questions.get(qid) if isinstance(qid, str) else None
            if question is None or question.kind not in kinds:
                raise self.fail(
                    place, f"verwacht het id van een vraag ({' of '.join(kinds)}) in dit blok"
                )
            return question

        if slot.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise self.fail(where, f"verwacht een geheel getal vanaf 0, niet {_kind(value)}")
            return value
        if slot.kind == "boolean":
            if not isinstance(value, bool):
                raise self.fail(where, f"verwacht true of false, niet {_kind(value)}")
            return value
        if slot.kind == "thresholds":
            data = self.mapping(value, where, set(THRESHOLD_NAMES))
            for name, number in data.items():
                if isinstance(number, bool) or not isinstance(number, int | float):
                    raise self.fail(f"{where}.{name}", f"verwacht een getal, niet {_kind(number)}")
            return {str(k): v for k, v in data.items()}
        if slot.kind == "profile":
            items = value if isinstance(value, list) else [value]
            for item in items:
                if item not in PROFILE_FIELDS:
                    raise self.fail(where, f"kies uit: {', '.join(PROFILE_FIELDS)}")
            return [str(i) for i in items]
        if slot.kind == "scales":
            items = value if isinstance(value, list) else [value]
            return [question_of(q, ("scale",), f"{where}[{i}]").id for i, q in enumerate(items)]
        if slot.kind in ("options", "option"):
            owner = settings.get(slot.of)
            question = questions.get(owner) if isinstance(owner, str) else None
            if question is None:
                raise self.fail(where, f"noem eerst de vraag bij '{slot.of}'")
            known = {o.id for o in question.options}
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                if item not in known:
                    raise self.fail(
                        f"{where}[{i}]" if slot.kind == "options" else where,
                        f"'{item}' is geen optie van '{question.id}'; wel: {', '.join(known)}",
                    )
            return [str(i) for i in items] if slot.kind == "options" else str(items[0])
        if slot.kind == "table":
            if isinstance(value, str):
                value = {"question": value}
            data = self.mapping(value, where, {"question", *slot.columns})
            question = question_of(data.get("question"), ("table",), f"{where}.question")
            known = {c.id for c in question.columns}
            result = {"question": question.id}
            for role, needed in slot.columns.items():
                column = data.get(role)
                if column is None:
                    if needed:
                        raise self.fail(f"{where}.{role}", "noem de kolom voor deze rol")
                    continue
                if column not in known:
                    raise self.fail(
                        f"{where}.{role}",
                        f"'{column}' is geen kolom van '{question.id}'; wel: {', '.join(known)}",
                    )
                result[role] = str(column)
            return result
        return question_of(value, (slot.kind,), where).id

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
                "short",
                "tip",
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
            "short": self.text(data.get("short"), f"{where}.short", required=False),
            "tip": self.text(data.get("tip"), f"{where}.tip", required=False),
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
            low, high = self.scale_range(data, where)
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

    def scale_range(self, data: dict[str, Any], where: str) -> tuple[int, int]:
        low = self.integer(data, "min", where, 1)
        high = self.integer(data, "max", where, 5)
        if high <= low:
            raise self.fail(f"{where}.max", f"moet groter zijn dan min ({low})")
        if high - low > 20:
            raise self.fail(f"{where}.max", "een schaal heeft hoogstens 21 punten")
        return low, high

    def option(self, data: Any, where: str) -> Option:
        data = self.mapping(data, where, {"id", "label"})
        return Option(
            id=self.identifier(data, where), label=self.text(data.get("label"), f"{where}.label")
        )

    def column(self, data: Any, where: str) -> Column:
        data = self.mapping(
            data, where, {"id", "label", "example", "kind", "options", "options_from", "min", "max"}
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
        low, high = self.scale_range(data, where) if kind == "scale" else (1, 5)
        return Column(
            id=self.identifier(data, where),
            label=self.text(data.get("label"), f"{where}.label"),
            example=self.text(data.get("example"), f"{where}.example", required=False),
            kind=kind,
            options=options,
            options_from=options_from,
            scale_min=low,
            scale_max=high,
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


def _short_string(parser: _Parser, data: dict[str, Any], key: str, limit: int) -> str:
    """An optional one-line text field of the template (``author``, ``license``)."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise parser.fail(key, f"verwacht een korte tekst, niet {_kind(value)}")
    value = value.strip()
    if len(value) > limit or "\n" in value:
        raise parser.fail(key, f"verwacht een korte tekst op één regel (hoogstens {limit} tekens)")
    return value
