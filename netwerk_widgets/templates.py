"""Workbook templates: plain data, loaded from YAML and validated on load.

A template lists the blocks of a workbook, the questions in each block and their texts in
Dutch and English. Trainers change and share the YAML file, not code. Every problem found on
load raises :class:`~netwerk_widgets.errors.TemplateError` naming the file and the field.

This module is the public face: loading by name or path, and the template a session keeps in
the store. The model lives in :mod:`._template_model`, the YAML parser in
:mod:`._template_parser`, writing/checking/hashing in :mod:`.template_tools` and comparing
in :mod:`.template_diff`; their public names are imported here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._template_model import (
    BUILTIN_DIR,
    COLUMN_KINDS,
    DEFAULT_TEMPLATE,
    LANGUAGES,
    LIMITS,
    PROFILE_FIELDS,
    QUESTION_KINDS,
    THRESHOLD_NAMES,
    UNKNOWN,
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
from ._template_parser import AUTHOR_MAX, LICENSE_MAX, parse_template
from .errors import TemplateError
from .messages import messages
from .template_diff import Change, describe_change, diff_templates
from .template_tools import (
    SCHEMA_PATH,
    check_template,
    content_hash,
    dump_data,
    dump_template,
    own_template_files,
    schema_problems,
    template_data,
)

__all__ = [
    "AUTHOR_MAX",
    "BUILTIN_DIR",
    "COLUMN_KINDS",
    "DEFAULT_TEMPLATE",
    "LANGUAGES",
    "LICENSE_MAX",
    "LIMITS",
    "PROFILE_FIELDS",
    "QUESTION_KINDS",
    "SCHEMA_PATH",
    "THRESHOLD_NAMES",
    "UNKNOWN",
    "VIEWS",
    "Block",
    "Change",
    "Column",
    "Option",
    "Question",
    "ResultsSpec",
    "Round",
    "Slot",
    "Template",
    "Text",
    "builtin_templates",
    "check_template",
    "content_hash",
    "describe_change",
    "diff_templates",
    "dump_data",
    "dump_template",
    "load_template",
    "own_template_files",
    "parse_template",
    "read_template_text",
    "schema_problems",
    "snapshot_template",
    "template_data",
    "template_for",
    "template_path",
]


def builtin_templates() -> list[str]:
    """Names of the templates shipped with the package."""
    return sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml"))


def template_path(name_or_path: str | Path) -> Path:
    """The file behind a built-in template name or a path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.exists():
        return candidate
    return BUILTIN_DIR / f"{name_or_path}.yaml"


def load_template(name_or_path: str | Path = DEFAULT_TEMPLATE, language: str = "nl") -> Template:
    """Load and validate a template by built-in name or by file path.

    ``language`` is the language of the messages (the reader's; Dutch by default).

    Raises
    ------
    TemplateError
        When the file is missing, is not valid YAML, or any field is wrong; the message
        names the file and the field.
    """
    path = template_path(name_or_path)
    raw = read_template_text(path, language)
    return parse_template(raw, source=str(path), language=language)


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
            problem = messages()(
                "templates_check.snapshot_missing", code=session.code, digest=digest[:12]
            )
            raise TemplateError(label, "", problem)
        template = _SNAPSHOTS.setdefault(digest, parse_template(snapshot.text, source=label))
    return template if template.source == label else _with_source(template, label)


# --- snapshots: the template a session was created with, kept in the store ---------------

_SNAPSHOTS: dict[str, Template] = {}
"""Parsed snapshots by content hash: a template is parsed once per process."""


def read_template_text(name_or_path: str | Path, language: str = "nl") -> str:
    """The YAML text of a built-in template name or a file, as :func:`load_template` reads it.

    Raises
    ------
    TemplateError
        When the file is missing or unreadable (the same messages as :func:`load_template`).
    """
    path = template_path(name_or_path)
    m = messages(language)
    try:
        size = path.stat().st_size
        if size > LIMITS["file_bytes"]:  # refused before it is read into memory
            problem = m("templates_check.too_large", limit=LIMITS["file_bytes"], size=size)
            raise TemplateError(str(path), "", problem)
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(builtin_templates())
        raise TemplateError(str(path), "", m("templates_check.not_found", known=known)) from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = m("templates_check.unreadable", problem=exc)
        raise TemplateError(str(path), "", problem) from None


def snapshot_template(snapshot: Any, source: str = "") -> Template:
    """The :class:`Template` of a stored snapshot (anything with ``hash`` and ``text``),
    parsed once per process; ``source`` names it in messages."""
    template = _SNAPSHOTS.get(snapshot.hash)
    if template is None:
        label = source or messages()(
            "templates_check.stored", name=snapshot.name, version=snapshot.version
        )
        template = _SNAPSHOTS.setdefault(snapshot.hash, parse_template(snapshot.text, label))
    if not source or template.source == source:
        return template
    return _with_source(template, source)


def _stored_label(session: Any) -> str:
    name = Path(str(session.template)).name or str(session.template)
    return messages()("templates_check.stored_with", name=name, code=session.code)


def _file_template(session: Any, store: Any) -> Template:
    """The template of a session made before snapshots: read its file, and keep it."""
    from .errors import StoreError

    path = template_path(session.template)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problem = messages()(
            "templates_check.old_file_missing",
            code=session.code,
            version=session.template_version,
        )
        raise TemplateError(str(path), "", problem) from None
    except (OSError, UnicodeDecodeError) as exc:
        problem = messages()("templates_check.unreadable", problem=exc)
        raise TemplateError(str(path), "", problem) from None
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
