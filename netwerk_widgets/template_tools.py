"""Tools for sharing templates: writing them back as YAML, checking them, hashing them.

:func:`dump_template` writes what :func:`~netwerk_widgets.templates.parse_template` reads;
:func:`check_template` lists every problem (parser and published JSON Schema) for
``netwerk template validate`` and the designer; :func:`content_hash` names one version.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ._template_model import Block, Column, Option, Question, Template, Text
from ._template_parser import _excerpt, _join, _kind, _Parser, load_yaml
from .errors import TemplateError
from .messages import Messages, messages
from .settings import LANGUAGES

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "template.schema.json"
"""The published JSON Schema of a template file (in a source checkout)."""


_DEFAULT_QUESTION = Question(id="", kind="text", text=Text(""))
_DEFAULT_COLUMN = Column(id="", label=Text(""))


def _text_data(text: Text) -> str | dict[str, str]:
    translations = text.translations()
    return translations if len(translations) > 1 else text.nl


def _put_text(data: dict[str, Any], key: str, text: Text | None) -> None:
    if text is not None:
        data[key] = _text_data(text)


def _option_data(option: Option) -> dict[str, Any]:
    return {"id": option.id, "label": _text_data(option.label)}


def _column_data(column: Column) -> dict[str, Any]:
    data: dict[str, Any] = {"id": column.id, "label": _text_data(column.label)}
    _put_text(data, "example", column.example)
    if column.kind != _DEFAULT_COLUMN.kind:
        data["kind"] = column.kind
    if column.kind == "choice":
        if column.options_from:
            data["options_from"] = column.options_from
        else:
            data["options"] = [_option_data(o) for o in column.options]
    if column.kind == "scale":
        if column.scale_min != _DEFAULT_COLUMN.scale_min:
            data["min"] = column.scale_min
        if column.scale_max != _DEFAULT_COLUMN.scale_max:
            data["max"] = column.scale_max
    return data


def _question_data(question: Question) -> dict[str, Any]:
    q, default = question, _DEFAULT_QUESTION
    data: dict[str, Any] = {"id": q.id, "kind": q.kind, "text": _text_data(q.text)}
    _put_text(data, "help", q.help)
    if q.required:
        data["required"] = True
    if q.max_length != default.max_length:
        data["max_length"] = q.max_length
    if q.comment:
        data["comment"] = True
    _put_text(data, "short", q.short)
    _put_text(data, "tip", q.tip)
    if q.kind == "scale":
        if q.scale_min != default.scale_min:
            data["min"] = q.scale_min
        if q.scale_max != default.scale_max:
            data["max"] = q.scale_max
        if q.scale_labels is not None:
            data["labels"] = [_text_data(label) for label in q.scale_labels]
        if q.allow_unknown != default.allow_unknown:
            data["allow_unknown"] = q.allow_unknown
    if q.kind in ("choice", "multichoice", "matrix"):
        data["options"] = [_option_data(o) for o in q.options]
    if q.kind == "matrix":
        data["items_from"] = q.items_from
    if q.kind == "table":
        data["columns"] = [_column_data(c) for c in q.columns]
        if q.min_rows != default.min_rows:
            data["min_rows"] = q.min_rows
        if q.shared:
            data["shared"] = True
    return data


def _plain(value: Any) -> Any:
    """``value`` with every mapping a dict and every sequence a list (for YAML)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _block_data(block: Block) -> dict[str, Any]:
    data: dict[str, Any] = {"id": block.id, "title": _text_data(block.title)}
    _put_text(data, "intro", block.intro)
    if block.results.view != "questions" or block.results.settings:
        data["results"] = {"view": block.results.view, **_plain(block.results.settings)}
    data["questions"] = [_question_data(q) for q in block.questions]
    return data


def template_data(template: Template) -> dict[str, Any]:
    """``template`` as the plain data of a template file: what :func:`parse_template` reads.

    Only what differs from the defaults is written, and only the settings that the kind of
    each question uses.
    """
    data: dict[str, Any] = {
        "name": template.name,
        "version": template.version,
        "language": template.language,
        "title": _text_data(template.title),
    }
    _put_text(data, "intro", template.intro)
    if template.author:
        data["author"] = template.author
    _put_text(data, "description", template.description)
    if template.license:
        data["license"] = template.license
    if template.profile:
        data["profile"] = dict(template.profile)
    if template.rounds:
        data["rounds"] = [
            {"topic": _text_data(r.topic), "minutes": r.minutes} for r in template.rounds
        ]
    data["blocks"] = [_block_data(b) for b in template.blocks]
    return data


class _Dumper(yaml.SafeDumper):
    """Plain YAML: no anchors, texts with line breaks as ``|`` blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)  # lists indented under their key


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def dump_data(data: Mapping[str, Any], comment: str = "") -> str:
    """Template data (as :func:`template_data` gives it) as the text of a YAML file.

    ``comment`` lines go on top, each after ``#``.
    """
    text = yaml.dump(
        _plain(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=100,
    )
    head = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
    return head + text


def dump_template(template: Template, comment: str = "") -> str:
    """``template`` as YAML that :func:`parse_template` reads back to an equal template."""
    return dump_data(template_data(template), comment)


def own_template_files(directory: str | Path) -> list[Path]:
    """The template files (``*.yaml``, ``*.yml``) in a trainer's templates folder, by name."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: p.name.casefold(),
    )


# --- Checking: the parser, and the published JSON Schema ----------------------------------


def check_template(
    raw: str, source: str = "<tekst>", language: str = "nl"
) -> tuple[Template | None, list[TemplateError]]:
    """Everything ``netwerk template validate`` finds wrong in template YAML.

    The template as :func:`parse_template` reads it (``None`` when it can not), and the
    problems: the parser's first for the whole template, the first of every block on its own
    (so that a designer can show a problem in each block at once), and where the data does
    not follow the published JSON Schema (:data:`SCHEMA_PATH`). No problems: a good template.
    Messages are in ``language``, the reader's.
    """
    try:
        data = load_yaml(raw, source, language)
    except TemplateError as exc:
        return None, [exc]  # too large, aliases, duplicate keys or no YAML: nothing to check
    try:
        template = _Parser(source, language).template(data)
    except TemplateError as exc:
        template, problems = None, [exc]
    else:
        problems = []
    blocks = data.get("blocks") if isinstance(data, dict) else None
    if template is None and isinstance(blocks, list):
        for index, block in enumerate(blocks):
            try:
                _Parser(source, language).block(block, f"blocks[{index}]")
            except TemplateError as exc:
                problems.append(exc)
    found = {p.field for p in problems}
    for problem in schema_problems(data, source, language):
        near = any(_same_place(problem.field, f) for f in found)
        if not near:
            found.add(problem.field)
            problems.append(problem)
    unique: dict[tuple[str, str], TemplateError] = {}
    for problem in problems:
        unique.setdefault((problem.field, problem.problem), problem)
    return template, list(unique.values())


def _same_place(one: str, other: str) -> bool:
    """Whether two field paths name the same spot, or one lies within the other."""
    short, long = sorted((one, other), key=len)
    return long == short or not short or long.startswith((f"{short}.", f"{short}["))


def schema_problems(
    data: Any, source: str = "<tekst>", language: str = "nl"
) -> list[TemplateError]:
    """Where template data does not follow the published JSON Schema (none without one)."""
    schema = _schema()
    jsonschema = _jsonschema() if schema is not None else None
    if jsonschema is None:
        return []
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        if error.context:
            error = jsonschema.exceptions.best_match(error.context) or error
        problems.extend(_schema_problem(error, source, messages(language)))
    return problems


_SCHEMA: list[dict[str, Any] | None] = []


def _jsonschema() -> Any:
    """``jsonschema`` (which Jupyter installs), or ``None`` without it.

    Imported without ``rfc3987_syntax``: that optional format checker builds its grammars on
    import (4 s here), and templates use no formats.
    """
    import sys

    blocked = "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules
    if blocked:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]
    try:
        import jsonschema
    except ImportError:
        return None
    finally:
        if blocked and sys.modules.get("rfc3987_syntax", 0) is None:
            del sys.modules["rfc3987_syntax"]
    return jsonschema


def _schema() -> dict[str, Any] | None:
    if not _SCHEMA:
        import json

        exists = SCHEMA_PATH.is_file()
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) if exists else None
        _SCHEMA.append(_with_languages(schema) if schema is not None else None)
    return _SCHEMA[0]


_SCHEMA_RULES = {
    "minLength": "min_length",
    "maxLength": "max_length",
    "minItems": "min_items",
    "maxItems": "max_items",
    "minimum": "minimum",
    "maximum": "maximum",
}


def _schema_problem(error: Any, source: str, m: Messages) -> list[TemplateError]:
    where = ""
    for part in error.absolute_path:
        where = f"{where}[{part}]" if isinstance(part, int) else _join(where, str(part))
    rule, expected, value = error.validator, error.validator_value, error.instance
    if rule == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        problem = m("templates_check.schema.missing")
        return [TemplateError(source, _join(where, k), problem) for k in missing]
    if rule == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        return [
            TemplateError(
                source, _join(where, _excerpt(k)), m("templates_check.schema.unknown_field")
            )
            for k in value
            if k not in known
        ]
    if rule == "type":
        types = expected if isinstance(expected, list) else [expected]
        words = m("templates_check.or").join(m(f"templates_check.schema.types.{t}") for t in types)
        problem = m("templates_check.schema.expected", types=words, kind=_kind(value, m))
    elif rule in ("enum", "const"):
        choices = expected if isinstance(expected, list) else [expected]
        problem = m("templates_check.schema.choose", choices=", ".join(map(str, choices)))
    elif rule == "minLength" and expected == 1:
        problem = m("templates_check.schema.not_empty")
    elif rule in _SCHEMA_RULES:
        problem = m(f"templates_check.schema.{_SCHEMA_RULES[rule]}", limit=expected)
    elif rule == "pattern":
        problem = m("templates_check.schema.pattern")
    else:
        problem = m("templates_check.schema.other", detail=_excerpt(error.message, 120))
    return [TemplateError(source, where, problem)]


def content_hash(raw: str) -> str:
    """The sha256 (hex) of a template's content: its YAML data as canonical JSON.

    Comments, blank lines, quoting and the order of keys in a mapping do not count; every
    text, id, setting and the order of lists (blocks, questions, options) does. Name and
    version are part of the content, so a hash names one version of one template.
    """
    import hashlib
    import json

    try:
        data = load_yaml(raw)  # no alias expansion: a bomb is hashed as its text
        canonical = json.dumps(
            data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
    except (TemplateError, TypeError, ValueError):
        canonical = raw.replace("\r\n", "\n")
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _with_languages(schema: dict[str, Any]) -> dict[str, Any]:
    """The published schema (written for Dutch and English) for every catalogue language:
    a third language's texts and ``language:`` are then as valid as English ones."""
    schema["properties"]["language"]["enum"] = list(LANGUAGES)
    for variant in schema["$defs"]["text"]["oneOf"]:
        properties = variant.get("properties")
        if properties and "en" in properties:
            for language in LANGUAGES:
                properties.setdefault(language, properties["en"])
    return schema
