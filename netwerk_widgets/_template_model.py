"""The template model: plain frozen dataclasses, and the results views a block can declare.

Nothing here reads files or YAML; :mod:`netwerk_widgets._template_parser` builds these
objects and :mod:`netwerk_widgets.templates` is the public face of both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .settings import LANGUAGES

QUESTION_KINDS = ("text", "scale", "choice", "multichoice", "table", "matrix")
COLUMN_KINDS = ("text", "choice", "scale")
BUILTIN_DIR = Path(__file__).parent / "templates"
DEFAULT_TEMPLATE = "netwerkwerkboek"
UNKNOWN = "weet_niet"  # the stored value of a "weet ik niet" rating

LIMITS: Mapping[str, int] = {
    "file_bytes": 1_000_000,
    "expanded": 2_000_000,
    "text": 10_000,
    "id": 64,
    "name": 100,
    "version": 40,
    "author": 200,
    "license": 100,
    "blocks": 50,
    "questions": 100,
    "options": 50,
    "columns": 20,
    "max_length": 20_000,
    "min_rows": 50,
    "scale_value": 1000,
    "scale_points": 21,
    "setting": 1000,
    "threshold": 1000,
    "rounds": 20,
    "round_minutes": 120,
}
"""Bounds on everything a template can make large: a participant's page builds what the
template asks for, so a typing slip (``max: 10000000``, ``min_rows: 2000``) must be refused,
not make a kernel build millions of widgets. The published JSON Schema says the same
(a test compares them). ``scale_value`` bounds each end of a scale; ``scale_points`` the
number of points; ``expanded`` the size of the loaded data once YAML aliases are expanded
(nodes plus characters); ``setting`` a view's whole-number settings; ``threshold`` the size
of a threshold either side of 0."""


@dataclass(frozen=True)
class Text:
    """A text in Dutch and its translations; ``str(text)`` is never used for display.

    ``more`` holds the languages after Dutch and English, as ``(language, text)`` pairs:
    a third language needs a catalogue ``messages/<language>.yaml`` and the templates'
    texts in it, no code.
    """

    nl: str
    en: str = ""
    more: tuple[tuple[str, str], ...] = ()

    def get(self, language: str) -> str:
        """The text in ``language``, falling back to Dutch when no translation exists."""
        return self.translations().get(language) or self.nl

    def translations(self) -> dict[str, str]:
        """Every language this text is written in, Dutch first: ``{"nl": …, "en": …}``."""
        found = {"nl": self.nl, "en": self.en, **dict(self.more)}
        return {language: text for language, text in found.items() if text}


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
    ``scale`` (``min``..``max``, 1-5 unless the template says otherwise).
    """

    id: str
    label: Text
    example: Text | None = None
    kind: str = "text"
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    scale_min: int = 1
    scale_max: int = 5

    @property
    def scale(self) -> tuple[int, int]:
        """``(lowest, highest)`` point of a scale column."""
        return (self.scale_min, self.scale_max)


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
    short: Text | None = None
    tip: Text | None = None

    @property
    def scale(self) -> tuple[int, int]:
        """``(lowest, highest)`` point of a scale question."""
        return (self.scale_min, self.scale_max)

    def column(self, column_id: str) -> Column:
        """The column with this id (``KeyError`` if there is none)."""
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)


@dataclass(frozen=True)
class Slot:
    """One setting of a results view: what a template may (or must) give for it.

    ``kind`` is a question kind (the value names a question of the block), ``"scales"``
    (a list of scale questions), ``"options"`` / ``"option"`` (option ids of the question
    named by the setting ``of``), ``"integer"``, ``"boolean"``, ``"thresholds"`` (a mapping
    of threshold names to numbers) or ``"profile"`` (a list of profile fields). For a
    ``table`` slot, ``columns`` lists the roles a view reads, each mapped to a column id of
    that question in the template; a role marked ``True`` must be given.
    """

    kind: str
    required: bool = False
    columns: Mapping[str, bool] = field(default_factory=dict)
    of: str = ""


VIEWS: Mapping[str, Mapping[str, Slot]] = {
    "questions": {},
    "network": {
        "actors": Slot(
            "table",
            True,
            {
                "name": True,
                "organisation": False,
                "participation": False,
                "role": False,
                "involvement": False,
                "interests": False,
            },
        ),
        "relations": Slot(
            "table", False, {"source": True, "target": True, "strength": False, "trust": False}
        ),
        "missing": Slot("table", False, {"name": True, "reason": False}),
    },
    "sentences": {
        "question": Slot("text", True),
        "consent": Slot("choice"),
        "consent_option": Slot("option", of="consent"),
        "wall": Slot("boolean"),
    },
    "coalitions": {
        "ambitions": Slot("table", False, {"ambition": True, "explanation": False}),
        "involvement": Slot("matrix", True),
        "doers": Slot("options", True, of="involvement"),
        "minimum": Slot("integer"),
    },
    "foundation": {
        "rules": Slot("table", False, {"rule": True, "kind": False}),
        "leaders": Slot("table", False, {"name": True}),
        "now": Slot("scale"),
        "wished": Slot("scale"),
    },
    "conditions": {
        "questions": Slot("scales"),
        "tips": Slot("integer"),
        "thresholds": Slot("thresholds"),
        "split_by": Slot("profile"),
        "compare_earlier": Slot("boolean"),
    },
    "cost_benefit": {"yields": Slot("scale", True), "costs": Slot("scale", True)},
    "worksheet": {
        "question": Slot("table", True, {"challenge": True, "problem": True, "solution": True})
    },
}
"""The results views a block can declare (``results: {view: ...}``) and their settings.

What each view draws lives in :mod:`netwerk_widgets.views`; which questions it reads is
always the template's word, never a built-in id.
"""

PROFILE_FIELDS = ("organisation", "role")
"""Who a participant is, as a template can declare it (``profile:``)."""

THRESHOLD_NAMES = (
    "high_mean",
    "wide_disagreement",
    "group_gap",
    "group_share",
    "min_ratings",
    "min_group_ratings",
    "balance_margin",
)
"""Thresholds of the conditions view a template may set (see ``scales.Thresholds``)."""


@dataclass(frozen=True)
class ResultsSpec:
    """How a block's group results are drawn: a view and its settings, from the template.

    ``settings`` maps each given setting of the view (see :data:`VIEWS`) to its value: a
    question id, a mapping ``{"question": id, role: column id, ...}`` for a table slot, a
    list of ids, a number, a boolean or a mapping of thresholds.
    """

    view: str = "questions"
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def get(self, name: str, default: Any = None) -> Any:
        return self.settings.get(name, default)


@dataclass(frozen=True)
class Block:
    """A page of the workbook: a title, an introduction and its questions.

    ``results`` says how the group results of the block are drawn (by default: each question
    by its kind).
    """

    id: str
    title: Text
    intro: Text | None = None
    questions: tuple[Question, ...] = ()
    results: ResultsSpec = field(default_factory=ResultsSpec)

    def question(self, question_id: str) -> Question:
        """The question with this id (``KeyError`` if there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Round:
    """An exchange round a trainer can start a timer for (``rounds:`` in a template)."""

    topic: Text
    minutes: int = 4


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
    profile: Mapping[str, str] = field(default_factory=dict, hash=False)
    """Where a participant's profile comes from: field -> ``block.question``."""
    author: str = ""
    """Who made the template (for trainers who share it; optional)."""
    description: Text | None = None
    """What the template is for, for a trainer choosing one (optional)."""
    license: str = ""
    """On which terms others may use and change it, e.g. ``CC BY 4.0`` (optional)."""
    rounds: tuple[Round, ...] = ()
    """Exchange rounds the trainer can time (``rounds:``; optional): minutes and a topic."""

    def block(self, block_id: str) -> Block:
        """The block with this id (``KeyError`` if there is none)."""
        for block in self.blocks:
            if block.id == block_id:
                return block
        raise KeyError(block_id)

    def t(self, text: Text | None) -> str:
        """``text`` in this template's language ('' for no text)."""
        return text.get(self.language) if text is not None else ""

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this workbook can be shown in: its own, and every other language
        in which its title and the titles of all its blocks are written."""
        texts = [self.title, *(b.title for b in self.blocks)]
        others = tuple(
            lang
            for lang in LANGUAGES
            if lang != self.language and all(lang in t.translations() for t in texts)
        )
        return (self.language, *others)

    def blocks_with_view(self, view: str) -> list[Block]:
        """The blocks whose group results use ``view``, in order."""
        return [block for block in self.blocks if block.results.view == view]

    def profile_question(self, name: str) -> tuple[str, str] | None:
        """``(block, question)`` that tells a participant's ``name`` profile field, if any."""
        reference = self.profile.get(name)
        if not reference:
            return None
        block, question = reference.split(".")
        return block, question
