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
    LIMITS,
    PROFILE_FIELDS,
    QUESTION_KINDS,
    THRESHOLD_NAMES,
    VIEWS,
    Block,
    Column,
    Option,
    Question,
    ResultsSpec,
    Round,
    Slot,
    Template,
    Text,
)
from .errors import TemplateError
from .messages import Messages, messages

AUTHOR_MAX = LIMITS["author"]
"""Longest ``author`` a template may give (one line)."""
LICENSE_MAX = LIMITS["license"]
"""Longest ``license`` a template may give (one line, e.g. ``CC BY 4.0``)."""
EXCERPT = 40
"""Longest piece of a bad value a message repeats (a value may be megabytes long)."""

# libyaml's loader where installed: ten times faster, and every kernel loads a template.
_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, mark: Any) -> None:
        self.key, self.mark = key, mark


class _Loader(_BASE_LOADER):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key given twice in one mapping (the YAML spec's rule)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the constructor says so
                break
            if duplicate:
                raise _DuplicateKey(key, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_yaml(raw: str, source: str = "<tekst>", language: str = "nl") -> Any:
    """The data of template YAML, loaded safely.

    Refuses what could make a small file huge or ambiguous: a file over
    ``LIMITS["file_bytes"]``, YAML aliases (``*name``) that expand the document beyond
    ``LIMITS["expanded"]`` (a few hundred bytes of nested aliases expand to gigabytes; the
    size is computed without expanding) or into itself, and a key given twice in one mapping
    (the second would silently replace the first). A ``version`` written as a number is kept
    as written (``1.10`` stays ``"1.10"``, not the float ``1.1``).

    Raises
    ------
    TemplateError
        Naming the line and column, in ``language``.
    """
    m = messages(language)
    size = len(raw.encode("utf-8", "replace"))
    if size > LIMITS["file_bytes"]:
        problem = m("templates_check.too_large", limit=LIMITS["file_bytes"], size=size)
        raise TemplateError(source, "", problem)
    loader = _Loader(raw)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        expanded = _expanded_size(node)
        if expanded is None or expanded > LIMITS["expanded"]:
            raise TemplateError(source, "", m("templates_check.alias", limit=LIMITS["expanded"]))
        data = loader.construct_document(node)
    except _DuplicateKey as exc:
        where = _line(m, exc.mark)
        problem = m("templates_check.duplicate_key", key=_excerpt(exc.key))
        raise TemplateError(source, where, problem) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        problem = m("templates_check.yaml_invalid", problem=_excerpt(problem, 200))
        raise TemplateError(source, _line(m, mark), problem) from None
    finally:
        loader.dispose()
    return _version_as_written(node, data)


def _line(m: Messages, mark: Any) -> str:
    if mark is None:
        return ""
    return m("templates_check.line", line=mark.line + 1, column=mark.column + 1)


def _expanded_size(root: Any) -> int | None:
    """How large the document becomes once every alias is expanded, without expanding it.

    Counts one per node plus the characters of every scalar; a composed document shares one
    node object for an anchor and all its aliases, so each node's size is computed once.
    ``None`` for an alias inside itself (a document without end).
    """
    sizes: dict[int, int] = {}
    busy: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            busy.discard(key)
            children = _children(node)
            sizes[key] = (
                1
                + len(node.value if isinstance(node, yaml.ScalarNode) else ())
                + sum(sizes[id(child)] for child in children)
            )
            continue
        if key in sizes:
            continue
        if key in busy:
            return None
        busy.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _version_as_written(root: Any, data: Any) -> Any:
    """``data`` with a top-level ``version`` written as a number kept as its text."""
    if not isinstance(data, dict) or isinstance(data.get("version"), str):
        return data
    for key, value in root.value:
        numeric = value.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
        if key.value == "version" and isinstance(value, yaml.ScalarNode) and numeric:
            data["version"] = value.value
    return data


def parse_template(raw: str, source: str = "<tekst>", language: str = "nl") -> Template:
    """Parse and validate template YAML given as a string.

    ``language`` is the language of the person reading the messages (the CLI's and the
    designer's, Dutch by default), not the template's.
    """
    return _Parser(source, language).template(load_yaml(raw, source, language))


class _Parser:
    """Turns loaded YAML into a :class:`Template`, tracking the field path for errors."""

    def __init__(self, source: str, language: str = "nl") -> None:
        self.source = source
        self.m = messages(language)

    def fail(self, where: str, key: str, **values: Any) -> TemplateError:
        """The error at ``where``, saying ``templates_check.<key>`` in the reader's language."""
        return TemplateError(self.source, where, self.m(f"templates_check.{key}", **values))

    def kind(self, value: Any) -> str:
        """What ``value`` is, in words (for "expected ..., not ...")."""
        return _kind(value, self.m)

    def choose(
        self, value: Any, choices: Any, where: str, key: str = "kind_unknown", sep: str = ", "
    ) -> str:
        """``value`` if it is one of ``choices`` (strings), else an error listing them."""
        if not isinstance(value, str) or value not in choices:
            raise self.fail(where, key, value=_excerpt(value), choices=sep.join(choices))
        return value

    def bounded(
        self, value: Any, where: str, low: float, high: float, *, whole: bool = True
    ) -> Any:
        """``value`` if it is a number (whole, unless ``whole`` is false) in ``low..high``."""
        numeric = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, numeric):
            raise self.fail(where, "integer" if whole else "number", kind=self.kind(value))
        if not low <= value <= high:
            key = "between" if whole else "number_between"
            raise self.fail(where, key, low=low, high=high, value=_excerpt(value))
        return value

    def limited(self, items: list[Any], where: str, limit: str) -> list[Any]:
        """``items`` if there are at most ``LIMITS[limit]`` of them."""
        if len(items) > LIMITS[limit]:
            raise self.fail(where, "too_many", limit=LIMITS[limit], count=len(items))
        return items

    def mapping(self, data: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "mapping", kind=self.kind(data))
        unknown = sorted(set(map(str, data)) - allowed)
        if unknown:
            expected = ", ".join(sorted(allowed))
            name = _excerpt(unknown[0])
            raise self.fail(_join(where, name), "unknown_field", allowed=expected)
        return data

    def required(self, data: dict[str, Any], key: str, where: str) -> Any:
        if data.get(key) in (None, ""):
            raise self.fail(_join(where, key), "missing")
        return data[key]

    def identifier(self, data: dict[str, Any], where: str) -> str:
        value = self.required(data, "id", where)
        short = isinstance(value, str) and len(value) <= LIMITS["id"]
        if not short or not value.replace("_", "").replace("-", "").isalnum():
            raise self.fail(_join(where, "id"), "identifier", limit=LIMITS["id"])
        return value

    def text(self, value: Any, where: str, *, required: bool = True) -> Text | None:
        if value is None or value == "":
            if required:
                raise self.fail(where, "text_missing")
            return None
        if isinstance(value, str):
            return Text(nl=self.long_enough(value, where))
        data = self.mapping(value, where, set(LANGUAGES))
        for language, text in data.items():
            if not isinstance(text, str):
                raise self.fail(f"{where}.{language}", "text_type", kind=self.kind(text))
            self.long_enough(text, f"{where}.{language}")
        if not data.get("nl"):
            raise self.fail(f"{where}.nl", "dutch_missing")
        more = tuple(
            (language, data[language])
            for language in LANGUAGES
            if language not in ("nl", "en") and data.get(language)
        )
        return Text(nl=data["nl"], en=data.get("en", ""), more=more)

    def long_enough(self, text: str, where: str) -> str:
        """``text`` if it is at most ``LIMITS["text"]`` characters long."""
        if len(text) > LIMITS["text"]:
            raise self.fail(where, "text_too_long", limit=LIMITS["text"], length=len(text))
        return text

    def integer(
        self, data: dict[str, Any], key: str, where: str, default: int, low: int, high: int
    ) -> int:
        """``data[key]`` (or ``default``): a whole number in ``low..high``."""
        return int(self.bounded(data.get(key, default), _join(where, key), low, high))

    def boolean(self, data: dict[str, Any], key: str, where: str, default: bool) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(_join(where, key), "boolean", kind=self.kind(value))
        return value

    def unique(self, items: list[Any], where: str, what: str) -> None:
        seen: set[str] = set()
        for index, item in enumerate(items):
            if item.id in seen:
                what_text = self.m(f"templates_check.what.{what}")
                raise self.fail(f"{where}[{index}].id", "duplicate_id", what=what_text, id=item.id)
            seen.add(item.id)

    def sequence(self, data: dict[str, Any], key: str, where: str, limit: str) -> list[Any]:
        """``data[key]``: a list of one to ``LIMITS[limit]`` items."""
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(_join(where, key), "sequence")
        return self.limited(value, _join(where, key), limit)

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
                "rounds",
            },
        )
        language = self.choose(
            data.get("language", "nl"),
            LANGUAGES,
            "language",
            "language",
            self.m("templates_check.or"),
        )
        self.required(data, "name", "")
        name = _short_string(self, data, "name", LIMITS["name"])
        self.required(data, "version", "")
        version = _short_string(self, data, "version", LIMITS["version"])
        blocks = [
            self.block(item, f"blocks[{i}]")
            for i, item in enumerate(self.sequence(data, "blocks", "", "blocks"))
        ]
        self.unique(blocks, "blocks", "block")
        self.check_references(blocks)
        profile = self.profile(data.get("profile"), blocks)
        return Template(
            name=name,
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
            rounds=self.rounds(data),
        )

    def rounds(self, data: dict[str, Any]) -> tuple[Round, ...]:
        """``rounds:``: a list of ``{topic: text, minutes: 1..120}`` (exchange rounds)."""
        if data.get("rounds") is None:
            return ()
        found = []
        for i, item in enumerate(self.sequence(data, "rounds", "", "rounds")):
            where = f"rounds[{i}]"
            item = self.mapping(item, where, {"topic", "minutes"})
            minutes = self.integer(item, "minutes", where, 4, 1, LIMITS["round_minutes"])
            topic = self.text(item.get("topic"), f"{where}.topic")
            assert topic is not None
            found.append(Round(topic, minutes))
        return tuple(found)

    def profile(self, data: Any, blocks: list[Block]) -> dict[str, str]:
        if data is None:
            return {}
        data = self.mapping(data, "profile", set(PROFILE_FIELDS))
        questions = {f"{b.id}.{q.id}": q for b in blocks for q in b.questions}
        for name, reference in data.items():
            question = questions.get(reference) if isinstance(reference, str) else None
            if question is None or question.kind not in ("text", "choice"):
                raise self.fail(f"profile.{name}", "profile")
        return {str(k): str(v) for k, v in data.items()}

    def block(self, data: Any, where: str) -> Block:
        data = self.mapping(data, where, {"id", "title", "intro", "questions", "results"})
        block_id = self.identifier(data, where)
        questions = [
            self.question(item, f"{where}.questions[{i}]")
            for i, item in enumerate(self.sequence(data, "questions", where, "questions"))
        ]
        self.unique(questions, f"{where}.questions", "question")
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
        view = self.choose(view, list(VIEWS), f"{where}.view", "view_unknown")
        slots = VIEWS[view]
        data = self.mapping(data, where, {"view", *slots})
        by_id = {q.id: q for q in questions}
        settings: dict[str, Any] = {}
        for name, slot in slots.items():
            value = data.get(name)
            place = f"{where}.{name}"
            if value is None:
                if slot.required:
                    raise self.fail(place, "setting_needed", view=view)
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
                or_ = self.m("templates_check.or")
                raise self.fail(place, "question_ref", kinds=or_.join(kinds))
            return question

        if slot.kind == "integer":
            return self.bounded(value, where, 0, LIMITS["setting"])
        if slot.kind == "boolean":
            if not isinstance(value, bool):
                raise self.fail(where, "boolean", kind=self.kind(value))
            return value
        if slot.kind == "thresholds":
            data = self.mapping(value, where, set(THRESHOLD_NAMES))
            limit = LIMITS["threshold"]
            for name, number in data.items():
                self.bounded(number, f"{where}.{name}", -limit, limit, whole=False)
            return {str(k): v for k, v in data.items()}
        if slot.kind == "profile":
            items = self.limited(value if isinstance(value, list) else [value], where, "options")
            for item in items:
                self.choose(item, PROFILE_FIELDS, where, "choose")
            return [str(i) for i in items]
        if slot.kind == "scales":
            items = value if isinstance(value, list) else [value]
            items = self.limited(items, where, "questions")
            return [question_of(q, ("scale",), f"{where}[{i}]").id for i, q in enumerate(items)]
        if slot.kind in ("options", "option"):
            owner = settings.get(slot.of)
            question = questions.get(owner) if isinstance(owner, str) else None
            if question is None:
                raise self.fail(where, "owner_first", slot=slot.of)
            known = [o.id for o in question.options]
            items = self.limited(value if isinstance(value, list) else [value], where, "options")
            for i, item in enumerate(items):
                if not isinstance(item, str) or item not in known:
                    raise self.fail(
                        f"{where}[{i}]" if slot.kind == "options" else where,
                        "not_option",
                        value=_excerpt(item),
                        question=question.id,
                        known=", ".join(known),
                    )
            return [str(i) for i in items] if slot.kind == "options" else str(items[0])
        if slot.kind == "table":
            if isinstance(value, str):
                value = {"question": value}
            data = self.mapping(value, where, {"question", *slot.columns})
            question = question_of(data.get("question"), ("table",), f"{where}.question")
            known = [c.id for c in question.columns]
            result = {"question": question.id}
            for role, needed in slot.columns.items():
                column = data.get(role)
                if column is None:
                    if needed:
                        raise self.fail(f"{where}.{role}", "column_role")
                    continue
                if not isinstance(column, str) or column not in known:
                    raise self.fail(
                        f"{where}.{role}",
                        "not_column",
                        value=_excerpt(column),
                        question=question.id,
                        known=", ".join(known),
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
        kind = self.choose(self.required(data, "kind", where), QUESTION_KINDS, f"{where}.kind")
        fields: dict[str, Any] = {
            "id": question_id,
            "kind": kind,
            "text": self.text(data.get("text"), f"{where}.text"),
            "help": self.text(data.get("help"), f"{where}.help", required=False),
            "required": self.boolean(data, "required", where, False),
            "max_length": self.integer(data, "max_length", where, 2000, 1, LIMITS["max_length"]),
            "comment": self.boolean(data, "comment", where, False),
            "short": self.text(data.get("short"), f"{where}.short", required=False),
            "tip": self.text(data.get("tip"), f"{where}.tip", required=False),
        }
        if kind in ("choice", "multichoice", "matrix"):
            options = [
                self.option(item, f"{where}.options[{i}]")
                for i, item in enumerate(self.sequence(data, "options", where, "options"))
            ]
            self.unique(options, f"{where}.options", "option")
            fields["options"] = tuple(options)
        if kind == "table":
            columns = [
                self.column(item, f"{where}.columns[{i}]")
                for i, item in enumerate(self.sequence(data, "columns", where, "columns"))
            ]
            self.unique(columns, f"{where}.columns", "column")
            fields["columns"] = tuple(columns)
            fields["min_rows"] = self.integer(data, "min_rows", where, 1, 0, LIMITS["min_rows"])
            fields["shared"] = self.boolean(data, "shared", where, False)
        if kind == "matrix":
            fields["items_from"] = self.reference(data.get("items_from"), f"{where}.items_from")
        if kind == "scale":
            low, high = self.scale_range(data, where)
            labels = data.get("labels")
            if labels is not None:
                if not isinstance(labels, list) or len(labels) != 2:
                    raise self.fail(f"{where}.labels", "labels")
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
        limit = LIMITS["scale_value"]
        low = self.integer(data, "min", where, 1, -limit, limit)
        high = self.integer(data, "max", where, 5, -limit, limit)
        if high <= low:
            raise self.fail(f"{where}.max", "scale_order", low=low)
        if high - low + 1 > LIMITS["scale_points"]:
            raise self.fail(f"{where}.max", "scale_points", limit=LIMITS["scale_points"])
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
        kind = self.choose(data.get("kind", "text"), COLUMN_KINDS, f"{where}.kind")
        options: tuple[Option, ...] = ()
        options_from = None
        if kind == "choice":
            if data.get("options_from") is not None:
                options_from = self.reference(data["options_from"], f"{where}.options_from")
            else:
                options = tuple(
                    self.option(item, f"{where}.options[{i}]")
                    for i, item in enumerate(self.sequence(data, "options", where, "options"))
                )
                self.unique(list(options), f"{where}.options", "option")
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
        if not isinstance(value, str) or value.count(".") != 2 or len(value) > 3 * LIMITS["id"]:
            raise self.fail(where, "reference")
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
                        raise self.fail(place, "reference_unknown", value=ref)


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


_KINDS = {
    str: "str",
    int: "number",
    float: "number",
    bool: "boolean",
    list: "list",
    dict: "mapping",
    type(None): "nothing",
}


def _kind(value: Any, m: Messages | None = None) -> str:
    """What ``value`` is, in words of ``m``'s language (Dutch by default)."""
    name = _KINDS.get(type(value))
    if name is None:
        return type(value).__name__
    return (m or messages("nl"))(f"templates_check.kinds.{name}")


def _excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A short piece of ``value`` for a message: never more than ``limit`` characters."""
    text = value if isinstance(value, str) else repr(value)[: limit + 1]
    text = " ".join(text[: limit * 4].split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_string(parser: _Parser, data: dict[str, Any], key: str, limit: int) -> str:
    """An optional one-line text field of the template (``name``, ``version``, ``author``,
    ``license``)."""
    value = data.get(key)
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise parser.fail(key, "short_type", kind=parser.kind(value))
    value = value.strip()
    if len(value) > limit or "\n" in value:
        raise parser.fail(key, "short_long", limit=limit)
    return value
