"""Comparing two versions of a template: what was added, removed or changed, and how to say it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._template_model import (
    LANGUAGES,
    PROFILE_FIELDS,
    Block,
    Column,
    Option,
    Question,
    Template,
    Text,
)


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
