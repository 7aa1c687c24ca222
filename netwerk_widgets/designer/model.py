"""The designer's model: a template being made, as plain objects that widgets edit.

A :class:`TemplateDraft` holds everything a template file says, in mutable lists and
dataclasses, including what does not make a valid template yet (an empty title, a scale whose
highest point is below its lowest). :meth:`TemplateDraft.to_data` gives the data of the YAML
file; :func:`check` runs on it exactly what ``netwerk template validate`` runs, so every
problem comes with the field path of the file (``blocks[1].questions[0].max``), which the
designer shows next to that field.

Ids are what the answers are stored under. New parts get a free id (``vraag3``); changing an
id with :meth:`TemplateDraft.rename` also changes every place that refers to it (results
views, profile, lists taken from a table column).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import NetwerkError, TemplateError
from ..templates import (
    COLUMN_KINDS,
    QUESTION_KINDS,
    VIEWS,
    Block,
    Column,
    Option,
    Question,
    Template,
    Text,
    check_template,
    dump_data,
    template_data,
)

_QUESTION = Question(id="", kind="text", text=Text(""))
_COLUMN = Column(id="", label=Text(""))
CHOICE_KINDS = ("choice", "multichoice", "matrix")
"""Question kinds that have options."""


@dataclass
class TextDraft:
    """A text in Dutch and English as typed; both may still be empty."""

    nl: str = ""
    en: str = ""

    @classmethod
    def of(cls, text: Text | None) -> TextDraft:
        return cls() if text is None else cls(text.nl, text.en)

    def data(self) -> str | dict[str, str] | None:
        """What the file says: ``None`` when empty, a string when only Dutch is given."""
        if not self.nl and not self.en:
            return None
        return {"nl": self.nl, "en": self.en} if self.en else self.nl

    def get(self, language: str) -> str:
        return (self.en if language == "en" else self.nl) or self.nl


@dataclass
class OptionDraft:
    id: str
    label: TextDraft = field(default_factory=TextDraft)

    @classmethod
    def of(cls, option: Option) -> OptionDraft:
        return cls(option.id, TextDraft.of(option.label))

    def data(self) -> dict[str, Any]:
        return _without_none({"id": self.id, "label": self.label.data()})


@dataclass
class ColumnDraft:
    """A column of a table question; ``example`` is the column's cell in the example row."""

    id: str
    label: TextDraft = field(default_factory=TextDraft)
    example: TextDraft = field(default_factory=TextDraft)
    kind: str = "text"
    options: list[OptionDraft] = field(default_factory=list)
    options_from: str = ""
    scale_min: int = _COLUMN.scale_min
    scale_max: int = _COLUMN.scale_max

    @classmethod
    def of(cls, column: Column) -> ColumnDraft:
        return cls(
            id=column.id,
            label=TextDraft.of(column.label),
            example=TextDraft.of(column.example),
            kind=column.kind,
            options=[OptionDraft.of(o) for o in column.options],
            options_from=column.options_from or "",
            scale_min=column.scale_min,
            scale_max=column.scale_max,
        )

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label.data(),
            "example": self.example.data(),
        }
        if self.kind != _COLUMN.kind:
            data["kind"] = self.kind
        if self.kind == "choice":
            if self.options_from:
                data["options_from"] = self.options_from
            else:
                data["options"] = [o.data() for o in self.options]
        if self.kind == "scale":
            if self.scale_min != _COLUMN.scale_min:
                data["min"] = self.scale_min
            if self.scale_max != _COLUMN.scale_max:
                data["max"] = self.scale_max
        return _without_none(data)


@dataclass
class QuestionDraft:
    """A question; settings of other kinds are kept (and not written) while the kind changes."""

    id: str
    kind: str = "text"
    text: TextDraft = field(default_factory=TextDraft)
    help: TextDraft = field(default_factory=TextDraft)
    required: bool = False
    max_length: int = _QUESTION.max_length
    options: list[OptionDraft] = field(default_factory=list)
    columns: list[ColumnDraft] = field(default_factory=list)
    scale_min: int = _QUESTION.scale_min
    scale_max: int = _QUESTION.scale_max
    low: TextDraft = field(default_factory=TextDraft)
    high: TextDraft = field(default_factory=TextDraft)
    allow_unknown: bool = _QUESTION.allow_unknown
    comment: bool = False
    min_rows: int = _QUESTION.min_rows
    shared: bool = False
    items_from: str = ""
    short: TextDraft = field(default_factory=TextDraft)
    tip: TextDraft = field(default_factory=TextDraft)

    @classmethod
    def of(cls, question: Question) -> QuestionDraft:
        q = question
        low, high = q.scale_labels or (None, None)
        return cls(
            id=q.id,
            kind=q.kind,
            text=TextDraft.of(q.text),
            help=TextDraft.of(q.help),
            required=q.required,
            max_length=q.max_length,
            options=[OptionDraft.of(o) for o in q.options],
            columns=[ColumnDraft.of(c) for c in q.columns],
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            low=TextDraft.of(low),
            high=TextDraft.of(high),
            allow_unknown=q.allow_unknown,
            comment=q.comment,
            min_rows=q.min_rows,
            shared=q.shared,
            items_from=q.items_from or "",
            short=TextDraft.of(q.short),
            tip=TextDraft.of(q.tip),
        )

    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "text": self.text.data(),
            "help": self.help.data(),
        }
        if self.required:
            data["required"] = True
        if self.max_length != _QUESTION.max_length:
            data["max_length"] = self.max_length
        if self.comment:
            data["comment"] = True
        data["short"] = self.short.data()
        data["tip"] = self.tip.data()
        if self.kind == "scale":
            if self.scale_min != _QUESTION.scale_min:
                data["min"] = self.scale_min
            if self.scale_max != _QUESTION.scale_max:
                data["max"] = self.scale_max
            if self.low.data() is not None or self.high.data() is not None:
                data["labels"] = [self.low.data() or "", self.high.data() or ""]
            if self.allow_unknown != _QUESTION.allow_unknown:
                data["allow_unknown"] = self.allow_unknown
        if self.kind in CHOICE_KINDS:
            data["options"] = [o.data() for o in self.options]
        if self.kind == "matrix":
            data["items_from"] = self.items_from or None
        if self.kind == "table":
            data["columns"] = [c.data() for c in self.columns]
            if self.min_rows != _QUESTION.min_rows:
                data["min_rows"] = self.min_rows
            if self.shared:
                data["shared"] = True
        return _without_none(data)


@dataclass
class ResultsDraft:
    """A block's results view and its settings; each view keeps its own while switching."""

    view: str = "questions"
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def current(self) -> dict[str, Any]:
        """The settings of the chosen view (a dict the editors change in place)."""
        return self.settings.setdefault(self.view, {})

    def data(self) -> dict[str, Any] | None:
        settings = {}
        slots = VIEWS.get(self.view, {})
        for name, value in self.current.items():
            if name not in slots:
                continue
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if v not in (None, "")}
                if slots[name].kind == "table" and not value.get("question"):
                    continue
            if value in (None, "", [], {}):
                continue
            settings[name] = copy.deepcopy(value)
        if self.view == "questions" and not settings:
            return None
        return {"view": self.view, **settings}


@dataclass
class BlockDraft:
    id: str
    title: TextDraft = field(default_factory=TextDraft)
    intro: TextDraft = field(default_factory=TextDraft)
    questions: list[QuestionDraft] = field(default_factory=list)
    results: ResultsDraft = field(default_factory=ResultsDraft)

    @classmethod
    def of(cls, block: Block) -> BlockDraft:
        return cls(
            id=block.id,
            title=TextDraft.of(block.title),
            intro=TextDraft.of(block.intro),
            questions=[QuestionDraft.of(q) for q in block.questions],
            results=ResultsDraft(
                block.results.view,
                {block.results.view: copy.deepcopy(dict(block.results.settings))},
            ),
        )

    def data(self) -> dict[str, Any]:
        return _without_none(
            {
                "id": self.id,
                "title": self.title.data(),
                "intro": self.intro.data(),
                "results": self.results.data(),
                "questions": [q.data() for q in self.questions],
            }
        )

    def question(self, question_id: str) -> QuestionDraft | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass
class TemplateDraft:
    """A whole template as the designer edits it.

    Attributes
    ----------
    blocks : list of BlockDraft
        The blocks in order; each has its questions, each question its options or columns.
    profile : dict
        Profile field (``organisation``, ``role``) -> ``block.question``.
    """

    name: str = ""
    version: str = "1"
    language: str = "nl"
    title: TextDraft = field(default_factory=TextDraft)
    intro: TextDraft = field(default_factory=TextDraft)
    author: str = ""
    description: TextDraft = field(default_factory=TextDraft)
    license: str = ""
    profile: dict[str, str] = field(default_factory=dict)
    rounds: list[dict[str, Any]] = field(default_factory=list)
    """Exchange rounds (``rounds:``), kept as they are: the designer does not edit them."""
    blocks: list[BlockDraft] = field(default_factory=list)

    @classmethod
    def of(cls, template: Template) -> TemplateDraft:
        """A draft with everything ``template`` says."""
        return cls(
            name=template.name,
            version=template.version,
            language=template.language,
            title=TextDraft.of(template.title),
            intro=TextDraft.of(template.intro),
            author=template.author,
            description=TextDraft.of(template.description),
            license=template.license,
            profile=dict(template.profile),
            rounds=template_data(template).get("rounds", []),
            blocks=[BlockDraft.of(b) for b in template.blocks],
        )

    @classmethod
    def blank(cls, name: str, prefixes: Mapping[str, str]) -> TemplateDraft:
        """A new template: one block with one open question, all texts still to be written.

        ``prefixes`` gives the start of new ids per part (``block``, ``question``, ...).
        """
        draft = cls(name=name)
        draft.add_block(prefixes)
        return draft

    def data(self) -> dict[str, Any]:
        """The data of the template file (what :func:`~netwerk_widgets.templates.parse_template`
        reads), written as :func:`~netwerk_widgets.templates.template_data` writes it."""
        return _without_none(
            {
                "name": self.name,
                "version": self.version,
                "language": self.language,
                "title": self.title.data(),
                "intro": self.intro.data(),
                "author": self.author.strip() or None,
                "description": self.description.data(),
                "license": self.license.strip() or None,
                "profile": {k: v for k, v in self.profile.items() if v} or None,
                "rounds": self.rounds or None,
                "blocks": [b.data() for b in self.blocks],
            }
        )

    def yaml(self, comment: str = "") -> str:
        """The text of the template file."""
        return dump_data(self.data(), comment)

    # --- structure ---------------------------------------------------------------------

    def add_block(self, prefixes: Mapping[str, str], index: int | None = None) -> BlockDraft:
        """A new block (with one open question) after ``index``, or at the end."""
        block = BlockDraft(id=free_id((b.id for b in self.blocks), prefixes["block"]))
        add_question(block, "text", prefixes)
        position = len(self.blocks) if index is None else index + 1
        self.blocks.insert(position, block)
        return block

    def table_columns(self) -> list[str]:
        """Every table column in the template, as ``block.question.column``."""
        return [
            f"{b.id}.{q.id}.{c.id}"
            for b in self.blocks
            for q in b.questions
            if q.kind == "table"
            for c in q.columns
        ]

    def profile_questions(self) -> list[str]:
        """Questions that can tell a participant's profile (open or choice questions), as
        ``block.question``."""
        return [
            f"{b.id}.{q.id}"
            for b in self.blocks
            for q in b.questions
            if q.kind in ("text", "choice")
        ]

    # --- ids ------------------------------------------------------------------------------

    def rename(self, path: tuple[str, ...], new: str) -> None:
        """Give the part at ``path`` a new id, and follow it everywhere it is referred to.

        ``path`` is ``(block,)``, ``(block, question)``, ``(block, question, column)`` or
        ``(block, question, "", option)`` (an option of the question itself);
        options of a table column are not referred to elsewhere.
        """
        if not new or path[-1] == new:
            return
        old = path[-1]
        block = self._block(path[0])
        if block is None:
            return
        if len(path) == 1:
            block.id = new
            self._rename_references(lambda ref: _replace_part(ref, 0, old, new))
            return
        question = block.question(path[1])
        if question is None:
            return
        if len(path) == 2:
            question.id = new
            self._rename_references(
                lambda ref: (
                    _replace_part(ref, 1, old, new) if ref.startswith(f"{block.id}.") else ref
                )
            )
            _rename_in_results(block.results, "question", old, new)
            return
        if len(path) == 3:
            for column in question.columns:
                if column.id == old:
                    column.id = new
            prefix = f"{block.id}.{question.id}."
            self._rename_references(
                lambda ref: _replace_part(ref, 2, old, new) if ref.startswith(prefix) else ref
            )
            _rename_in_results(block.results, "column", old, new, question=question.id)
            return
        for option in question.options:
            if option.id == old:
                option.id = new
        _rename_in_results(block.results, "option", old, new, question=question.id)

    def _block(self, block_id: str) -> BlockDraft | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def _rename_references(self, change: Any) -> None:
        self.profile = {k: change(v) if v else v for k, v in self.profile.items()}
        for block in self.blocks:
            for question in block.questions:
                if question.items_from:
                    question.items_from = change(question.items_from)
                for column in question.columns:
                    if column.options_from:
                        column.options_from = change(column.options_from)


def add_question(block: BlockDraft, kind: str, prefixes: Mapping[str, str]) -> QuestionDraft:
    """A new question of ``kind`` at the end of ``block``, with what that kind needs."""
    question = QuestionDraft(id=free_id((q.id for q in block.questions), prefixes["question"]))
    block.questions.append(question)
    set_kind(question, kind, prefixes)
    return question


def set_kind(question: QuestionDraft, kind: str, prefixes: Mapping[str, str]) -> None:
    """Change a question's kind, adding the options or columns the new kind needs."""
    if kind not in QUESTION_KINDS:
        return
    question.kind = kind
    if kind in CHOICE_KINDS and not question.options:
        for _ in range(2):
            add_option(question.options, prefixes)
    if kind == "table" and not question.columns:
        add_column(question, prefixes)


def set_column_kind(column: ColumnDraft, kind: str, prefixes: Mapping[str, str]) -> None:
    if kind not in COLUMN_KINDS:
        return
    column.kind = kind
    if kind == "choice" and not column.options and not column.options_from:
        for _ in range(2):
            add_option(column.options, prefixes)


def add_option(options: list[OptionDraft], prefixes: Mapping[str, str]) -> OptionDraft:
    option = OptionDraft(id=free_id((o.id for o in options), prefixes["option"]))
    options.append(option)
    return option


def add_column(question: QuestionDraft, prefixes: Mapping[str, str]) -> ColumnDraft:
    column = ColumnDraft(id=free_id((c.id for c in question.columns), prefixes["column"]))
    question.columns.append(column)
    return column


def move(items: list[Any], index: int, offset: int) -> int:
    """Move ``items[index]`` up (-1) or down (+1); the item's new index."""
    target = index + offset
    if not 0 <= index < len(items) or not 0 <= target < len(items):
        return index
    items[index], items[target] = items[target], items[index]
    return target


def free_id(taken: Iterable[str], prefix: str) -> str:
    """The first ``prefix1``, ``prefix2``, ... that is not taken."""
    used = set(taken)
    number = 1
    while f"{prefix}{number}" in used:
        number += 1
    return f"{prefix}{number}"


def is_identifier(text: str) -> bool:
    """Whether ``text`` is an id a template accepts (letters, digits, - and _)."""
    return bool(text) and text.replace("_", "").replace("-", "").isalnum()


def _replace_part(reference: str, index: int, old: str, new: str) -> str:
    parts = reference.split(".")
    if len(parts) > index and parts[index] == old:
        parts[index] = new
    return ".".join(parts)


_NOT_QUESTIONS = ("options", "option", "integer", "boolean", "thresholds", "profile")


def _rename_in_results(
    results: ResultsDraft, what: str, old: str, new: str, question: str = ""
) -> None:
    """Follow a renamed question, column or option in every view's settings of a block."""
    for view, settings in results.settings.items():
        slots = VIEWS.get(view, {})
        for name, value in list(settings.items()):
            slot = slots.get(name)
            if slot is None:
                continue
            if what == "question":
                if slot.kind == "table" and isinstance(value, dict):
                    if value.get("question") == old:
                        value["question"] = new
                elif slot.kind == "scales" and isinstance(value, list):
                    settings[name] = [new if v == old else v for v in value]
                elif slot.kind not in _NOT_QUESTIONS and value == old:
                    settings[name] = new
            elif what == "column" and slot.kind == "table" and isinstance(value, dict):
                if value.get("question") == question:
                    for role, column in list(value.items()):
                        if role != "question" and column == old:
                            value[role] = new
            elif what == "option" and slot.kind in ("options", "option"):
                if settings.get(slot.of) != question:
                    continue
                if isinstance(value, list):
                    settings[name] = [new if v == old else v for v in value]
                elif value == old:
                    settings[name] = new


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


# --- checking ---------------------------------------------------------------------------


def check(
    draft: TemplateDraft, source: str = "<ontwerp>", language: str = "nl"
) -> tuple[Template | None, list[TemplateError]]:
    """What ``netwerk template validate`` says about the draft's file: the template, or the
    problems, each with its field path, in ``language`` (the designer's)."""
    return check_template(draft.yaml(), source, language)


def part_of(field_path: str) -> tuple[int | None, int | None]:
    """``(block index, question index)`` that a field path such as
    ``blocks[1].questions[0].max`` lies in (``None`` where it names none)."""
    found = re.match(r"blocks\[(\d+)\](?:\.questions\[(\d+)\])?", field_path)
    if not found:
        return None, None
    block, question = found.groups()
    return int(block), int(question) if question is not None else None


# --- files ------------------------------------------------------------------------------


class DesignerError(NetwerkError):
    """Something the designer can not do as asked (the message says why, for the trainer)."""


def file_name(text: str) -> str:
    """A safe file name for a template in the templates folder ('' when there is none).

    No folders, no hidden files; ``.yaml`` is added when missing.
    """
    name = text.strip().replace("/", "-").replace("\\", "-")
    name = re.sub(r"\s+", "-", name).lstrip(".")
    if not name:
        return ""
    return name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"


def write_template(folder: Path, name: str, text: str, *, overwrite: bool = False) -> Path:
    """Write a template file into ``folder`` (made when missing); never over another file
    unless ``overwrite``.

    Raises
    ------
    FileExistsError
        When the file exists and ``overwrite`` is false.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    mode = "w" if overwrite else "x"
    with path.open(mode, encoding="utf-8") as file:
        file.write(text)
    return path
