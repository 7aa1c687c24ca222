"""Workbook templates: plain data, loaded from YAML and validated on load.

A template lists the blocks of a workbook, the questions in each block and their texts in
Dutch and English. Trainers change and share the YAML file, not code. Every problem found on
load raises :class:`~netwerk_widgets.errors.TemplateError` naming the file and the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import TemplateError
from .settings import LANGUAGES

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
    },
    "sentences": {
        "question": Slot("text", True),
        "consent": Slot("choice"),
        "consent_option": Slot("option", of="consent"),
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
            if lang != self.language and all(getattr(t, lang, "") for t in texts)
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


def template_for(session: Any, store: Any) -> Template:
    """The template of a session, as the store keeps it since the session was created.

    One place for pages, trainer screen, results, report, exports and analysis to find a
    session's workbook. ``session`` is a :class:`~netwerk_widgets.store.Session` (or its
    code) and ``store`` the :class:`~netwerk_widgets.store.Store` that holds it. The
    template is parsed from the snapshot stored at ``session create`` (once per content
    hash in this process: pages ask at every open), so the file it came from may move,
    change or vanish. Its ``source`` names the file and the session, e.g. ``"mijn.yaml
    (opgeslagen bij sessie K7PX3M)"``.

    A session made before snapshots existed has only the path: its file is read, and stored
    as the session's snapshot when its version is the session's.

    Raises
    ------
    TemplateError
        When the stored snapshot cannot be read, or an older session's file is gone; the
        message says what to do, in Dutch.
    """
    if isinstance(session, str):
        session = store.session(session)
    digest = getattr(session, "template_hash", "")
    if not digest:
        return _file_template(session, store)
    template = _SNAPSHOTS.get(digest)
    label = _stored_label(session)
    if template is None:
        snapshot = store.template_snapshot(digest)
        if snapshot is None:
            problem = (
                f"het opgeslagen werkboek van sessie {session.code} ontbreekt in de opslag "
                f"(inhoud {digest[:12]})"
            )
            raise TemplateError(label, "", problem)
        template = _SNAPSHOTS.setdefault(digest, parse_template(snapshot.text, source=label))
    return template if template.source == label else _with_source(template, label)


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


# --- snapshots: the template a session was created with, kept in the store ---------------

_SNAPSHOTS: dict[str, Template] = {}
"""Parsed snapshots by content hash: a template is parsed once per process."""


def read_template_text(name_or_path: str | Path) -> str:
    """The YAML text of a built-in template name or a file, as :func:`load_template` reads it.

    Raises
    ------
    TemplateError
        When the file is missing or unreadable (the same messages as :func:`load_template`).
    """
    path = template_path(name_or_path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(builtin_templates())
        msg = f"bestand niet gevonden (ingebouwde sjablonen: {known})"
        raise TemplateError(str(path), "", msg) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(str(path), "", f"bestand niet leesbaar: {exc}") from None


def content_hash(raw: str) -> str:
    """The sha256 (hex) of a template's content: its YAML data as canonical JSON.

    Comments, blank lines, quoting and the order of keys in a mapping do not count; every
    text, id, setting and the order of lists (blocks, questions, options) does. Name and
    version are part of the content, so a hash names one version of one template.
    """
    import hashlib
    import json

    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        canonical = json.dumps(
            data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
    except (yaml.YAMLError, TypeError, ValueError):
        canonical = raw.replace("\r\n", "\n")
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def snapshot_template(snapshot: Any, source: str = "") -> Template:
    """The :class:`Template` of a stored snapshot (anything with ``hash`` and ``text``),
    parsed once per process; ``source`` names it in messages."""
    template = _SNAPSHOTS.get(snapshot.hash)
    if template is None:
        label = source or f"{snapshot.name} {snapshot.version} (opgeslagen)"
        template = _SNAPSHOTS.setdefault(snapshot.hash, parse_template(snapshot.text, label))
    if not source or template.source == source:
        return template
    return _with_source(template, source)


def _stored_label(session: Any) -> str:
    name = Path(str(session.template)).name or str(session.template)
    return f"{name} (opgeslagen bij sessie {session.code})"


def _file_template(session: Any, store: Any) -> Template:
    """The template of a session made before snapshots: read its file, and keep it."""
    from .errors import StoreError

    path = template_path(session.template)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = (
            f"bestand niet gevonden. Sessie {session.code} is gemaakt voordat het werkboek in "
            "de opslag bewaard werd, dus alleen dit pad is bekend. Zet het bestand (versie "
            f"{session.template_version}) terug op deze plek: dan werkt de sessie weer, en "
            "bewaren we het werkboek in de opslag zodat het bestand daarna weg mag."
        )
        raise TemplateError(str(path), "", problem) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(str(path), "", f"bestand niet leesbaar: {exc}") from None
    template = parse_template(raw, source=str(path))
    if template.version != session.template_version:
        # Changed since: not the questions of its answers, so not kept as the session's.
        return template
    try:
        digest = store.attach_template(session.code, raw)
    except StoreError:
        return template  # read-only or unreachable for a moment: the file will do
    label = _stored_label(session)
    if digest != content_hash(raw):  # another kernel linked a snapshot first
        return template_for(store.session(session.code), store)
    template = _with_source(template, label)
    _SNAPSHOTS.setdefault(digest, template)
    return template


def _with_source(template: Template, source: str) -> Template:
    from dataclasses import replace

    return replace(template, source=source)


# --- Sharing templates: who made them, writing them back, comparing and checking them -------

AUTHOR_MAX = 200
"""Longest ``author`` a template may give (one line)."""
LICENSE_MAX = 100
"""Longest ``license`` a template may give (one line, e.g. ``CC BY 4.0``)."""
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "template.schema.json"
"""The published JSON Schema of a template file (in a source checkout)."""


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


_DEFAULT_QUESTION = Question(id="", kind="text", text=Text(""))
_DEFAULT_COLUMN = Column(id="", label=Text(""))


def _text_data(text: Text) -> str | dict[str, str]:
    return {"nl": text.nl, "en": text.en} if text.en else text.nl


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
    raw: str, source: str = "<tekst>"
) -> tuple[Template | None, list[TemplateError]]:
    """Everything ``netwerk template validate`` finds wrong in template YAML.

    The template as :func:`parse_template` reads it (``None`` when it can not), and the
    problems: the parser's first for the whole template, the first of every block on its own
    (so that a designer can show a problem in each block at once), and where the data does
    not follow the published JSON Schema (:data:`SCHEMA_PATH`). No problems: a good template.
    """
    try:
        template = parse_template(raw, source=source)
    except TemplateError as exc:
        template, problems = None, [exc]
    else:
        problems = []
    try:
        data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None, problems
    blocks = data.get("blocks") if isinstance(data, dict) else None
    if template is None and isinstance(blocks, list):
        for index, block in enumerate(blocks):
            try:
                _Parser(source).block(block, f"blocks[{index}]")
            except TemplateError as exc:
                problems.append(exc)
    found = {p.field for p in problems}
    for problem in schema_problems(data, source):
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


def schema_problems(data: Any, source: str = "<tekst>") -> list[TemplateError]:
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
        problems.extend(_schema_problem(error, source))
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
        _SCHEMA.append(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) if exists else None)
    return _SCHEMA[0]


_SCHEMA_TYPES = {
    "string": "tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "true of false",
    "array": "een lijst",
    "object": "een mapping (sleutel: waarde)",
}


def _schema_problem(error: Any, source: str) -> list[TemplateError]:
    where = ""
    for part in error.absolute_path:
        where = f"{where}[{part}]" if isinstance(part, int) else _join(where, str(part))
    rule, expected, value = error.validator, error.validator_value, error.instance
    if rule == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return [TemplateError(source, _join(where, k), "dit veld ontbreekt") for k in missing]
    if rule == "additionalProperties" and isinstance(value, dict):
        known = set(error.schema.get("properties", {}))
        return [
            TemplateError(source, _join(where, str(k)), "onbekend veld")
            for k in value
            if k not in known
        ]
    if rule == "type":
        types = expected if isinstance(expected, list) else [expected]
        problem = f"verwacht {' of '.join(_SCHEMA_TYPES.get(t, t) for t in types)}"
        problem += f", niet {_kind(value)}"
    elif rule in ("enum", "const"):
        choices = expected if isinstance(expected, list) else [expected]
        problem = f"kies uit: {', '.join(map(str, choices))}"
    elif rule == "minLength":
        problem = "mag niet leeg zijn" if expected == 1 else f"minstens {expected} tekens"
    elif rule == "maxLength":
        problem = f"hoogstens {expected} tekens"
    elif rule == "minItems":
        problem = f"verwacht minstens {expected}"
    elif rule == "maxItems":
        problem = f"verwacht hoogstens {expected}"
    elif rule == "minimum":
        problem = f"moet minstens {expected} zijn"
    elif rule == "pattern":
        problem = "heeft niet de vorm die hier hoort (letters, cijfers, - of _, met punten)"
    else:
        problem = f"past niet bij het schema ({error.message})"
    return [TemplateError(source, where, problem)]


# --- Comparing two versions -------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two versions of a template (see :func:`diff_templates`).

    Attributes
    ----------
    action : str
        ``"added"``, ``"removed"`` or ``"changed"``.
    what : str
        ``"template"``, ``"block"``, ``"question"``, ``"column"`` or ``"option"``.
    where : str
        The ids from the block down, joined by dots (``"werkblad.uitdagingen"``); ``""``
        for the template itself.
    field : str
        What changed (``"title"``, ``"text"``, ``"kind"``, ``"scale"``, ``"label"``,
        ``"order"``, ...); ``""`` for an added or removed part.
    language : str
        For a changed text: ``"nl"`` or ``"en"``.
    old, new : str
        The value before and after, as text; for an added or removed part its title, text
        or label.
    """

    action: str
    what: str
    where: str
    field: str = ""
    language: str = ""
    old: str = ""
    new: str = ""


def diff_templates(old: Template, new: Template) -> list[Change]:
    """What changed from ``old`` to ``new``: blocks, questions, columns and options added,
    removed or changed (texts per language, kinds, scales, settings, order).

    Parts are matched by id, so a renamed id reads as one part removed and another added.
    """
    changes: list[Change] = []
    _diff_values(
        changes,
        "template",
        "",
        [
            ("name", old.name, new.name),
            ("version", old.version, new.version),
            ("language", old.language, new.language),
            ("author", old.author, new.author),
            ("license", old.license, new.license),
            *(
                (f"profile_{key}", old.profile.get(key, ""), new.profile.get(key, ""))
                for key in PROFILE_FIELDS
            ),
        ],
    )
    _diff_texts(
        changes,
        "template",
        "",
        [
            ("title", old.title, new.title),
            ("intro", old.intro, new.intro),
            ("description", old.description, new.description),
        ],
    )
    _diff_parts(changes, "template", "block", "", old.blocks, new.blocks, _diff_block)
    return changes


def _diff_values(
    changes: list[Change], what: str, where: str, pairs: list[tuple[str, Any, Any]]
) -> None:
    for name, before, after in pairs:
        if before != after:
            changes.append(Change("changed", what, where, name, "", _shown(before), _shown(after)))


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(map(_shown, value))
    return "" if value is None else str(value)


def _diff_texts(
    changes: list[Change], what: str, where: str, pairs: list[tuple[str, Text | None, Text | None]]
) -> None:
    for name, before, after in pairs:
        for language in LANGUAGES:
            one = getattr(before, language, "") if before is not None else ""
            two = getattr(after, language, "") if after is not None else ""
            if one != two:
                changes.append(Change("changed", what, where, name, language, one, two))


def _label(part: Any) -> str:
    for name in ("title", "text", "label"):
        text = getattr(part, name, None)
        if isinstance(text, Text):
            return text.nl
    return ""


def _diff_parts(
    changes: list[Change],
    owner: str,
    what: str,
    where: str,
    old: tuple[Any, ...],
    new: tuple[Any, ...],
    inner: Any,
) -> None:
    """Parts (blocks, questions, columns, options) matched by id: removed, added, changed."""
    before = {p.id: p for p in old}
    after = {p.id: p for p in new}

    def place(part_id: str) -> str:
        return f"{where}.{part_id}" if where else part_id

    for part in old:
        if part.id not in after:
            changes.append(Change("removed", what, place(part.id), old=_label(part)))
    for part in new:
        if part.id not in before:
            changes.append(Change("added", what, place(part.id), new=_label(part)))
        elif inner is not None:
            inner(changes, before[part.id], part, place(part.id))
    kept_before = [p.id for p in old if p.id in after]
    kept_after = [p.id for p in new if p.id in before]
    if kept_before != kept_after:
        changes.append(
            Change(
                "changed", owner, where, "order", "", ", ".join(kept_before), ", ".join(kept_after)
            )
        )


def _diff_block(changes: list[Change], old: Block, new: Block, where: str) -> None:
    _diff_texts(
        changes, "block", where, [("title", old.title, new.title), ("intro", old.intro, new.intro)]
    )
    _diff_values(
        changes,
        "block",
        where,
        [
            ("view", old.results.view, new.results.view),
            ("results", dict(old.results.settings), dict(new.results.settings)),
        ],
    )
    _diff_parts(changes, "block", "question", where, old.questions, new.questions, _diff_question)


def _diff_question(changes: list[Change], old: Question, new: Question, where: str) -> None:
    scale = "scale" in (old.kind, new.kind)
    _diff_values(
        changes,
        "question",
        where,
        [
            ("kind", old.kind, new.kind),
            ("required", old.required, new.required),
            ("max_length", old.max_length, new.max_length),
            ("comment", old.comment, new.comment),
            *(
                [
                    (
                        "scale",
                        f"{old.scale_min}-{old.scale_max}",
                        f"{new.scale_min}-{new.scale_max}",
                    ),
                    ("allow_unknown", old.allow_unknown, new.allow_unknown),
                ]
                if scale
                else []
            ),
            ("min_rows", old.min_rows, new.min_rows),
            ("shared", old.shared, new.shared),
            ("items_from", old.items_from or "", new.items_from or ""),
        ],
    )
    low = [
        label for label, _ in [old.scale_labels or (None, None), new.scale_labels or (None, None)]
    ]
    high = [
        label for _, label in [old.scale_labels or (None, None), new.scale_labels or (None, None)]
    ]
    _diff_texts(
        changes,
        "question",
        where,
        [
            ("text", old.text, new.text),
            ("help", old.help, new.help),
            ("low", low[0], low[1]),
            ("high", high[0], high[1]),
            ("short", old.short, new.short),
            ("tip", old.tip, new.tip),
        ],
    )
    _diff_parts(changes, "question", "column", where, old.columns, new.columns, _diff_column)
    _diff_parts(changes, "question", "option", where, old.options, new.options, _diff_option)


def _diff_column(changes: list[Change], old: Column, new: Column, where: str) -> None:
    scale = "scale" in (old.kind, new.kind)
    _diff_values(
        changes,
        "column",
        where,
        [
            ("kind", old.kind, new.kind),
            ("options_from", old.options_from or "", new.options_from or ""),
            *(
                [("scale", f"{old.scale_min}-{old.scale_max}", f"{new.scale_min}-{new.scale_max}")]
                if scale
                else []
            ),
        ],
    )
    _diff_texts(
        changes,
        "column",
        where,
        [("label", old.label, new.label), ("example", old.example, new.example)],
    )
    _diff_parts(changes, "column", "option", where, old.options, new.options, _diff_option)


def _diff_option(changes: list[Change], old: Option, new: Option, where: str) -> None:
    _diff_texts(changes, "option", where, [("label", old.label, new.label)])


def describe_change(change: Change, language: str = "nl") -> str:
    """One line for a trainer saying what :class:`Change` means, e.g.
    ``~ vraag 'fundament.vorm_nu': schaal 1-5 → 0-10``."""
    from .messages import messages

    m = messages(language)
    what = m(f"designer.diff.what.{change.what}")

    def short(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= 70 else text[:69] + "…"

    if change.action in ("added", "removed"):
        label = short(change.new if change.action == "added" else change.old)
        return m(f"designer.diff.{change.action}", what=what, where=change.where, label=label)
    field = m(f"designer.diff.field.{change.field}")
    if change.language:
        field = f"{field} ({change.language})"
    empty = m("designer.diff.empty")
    key = "changed_template" if change.what == "template" and not change.where else "changed"
    return m(
        f"designer.diff.{key}{'_text' if change.language else ''}",
        what=what,
        where=change.where,
        field=field,
        old=short(change.old) or empty,
        new=short(change.new) or empty,
    )
