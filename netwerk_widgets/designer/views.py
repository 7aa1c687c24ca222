"""The designer's editor of a block's results view: which view, and its settings picked from
dropdowns and checkboxes of the block's own questions, columns and options."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..templates import (
    PROFILE_FIELDS,
    THRESHOLD_NAMES,
    VIEWS,
    Slot,
)
from .fields import (
    FRAME,
    Context,
    Defaulting,
    FieldBox,
    bound,
    markup,
    row,
    short,
    width,
)
from .model import (
    BlockDraft,
)


def results_editor(ctx: Context, index: int, block: BlockDraft) -> FieldBox:
    """The block's results view and the settings of that view, picked from its questions."""
    m, results = ctx.m, block.results
    path = f"blocks[{index}].results"
    view = bound(
        ctx,
        f"{path}.view",
        w.Dropdown(options=[(m(f"designer.views.{v}"), v) for v in VIEWS]),
        results,
        "view",
        m("designer.results.view"),
        after=ctx.restructure,
    )
    settings = results.current
    slots = [
        _slot_editor(ctx, f"{path}.{name}", block, settings, name, slot)
        for name, slot in VIEWS[results.view].items()
    ]
    content = w.VBox(
        [row([view]), *slots],
        layout=FRAME,
    )
    return ctx.box(path, m("designer.results.heading"), content, section=True)


def _question_choices(ctx: Context, block: BlockDraft, kind: str) -> list[tuple[str, str]]:
    return [
        (
            ctx.m(
                "designer.results.question_of", id=q.id, text=short(q.text.get(ctx.m.language), 40)
            ),
            q.id,
        )
        for q in block.questions
        if q.kind == kind
    ]


def _choice_dropdown(
    ctx: Context,
    path: str,
    settings: dict[str, Any],
    name: str,
    choices: list[tuple[str, str]],
    label: str,
    after: Any = None,
) -> FieldBox:
    current = settings.get(name, "")
    options = [(ctx.m("designer.none"), ""), *choices]
    if current and current not in [value for _, value in choices]:
        options.append((str(current), current))
    return bound(
        ctx,
        path,
        w.Dropdown(options=options, layout=width("auto")),
        Defaulting(settings),
        name,
        label,
        after=after,
    )


def _checkboxes(
    ctx: Context, path: str, settings: dict[str, Any], name: str, choices: list[tuple[str, str]]
) -> w.Widget:
    chosen = settings.get(name)
    chosen = chosen if isinstance(chosen, list) else [chosen] if chosen else []
    boxes = []
    for text, value in choices:
        box = w.Checkbox(value=value in chosen, description=text, indent=False)

        def on_change(change: dict[str, Any], value: str = value) -> None:
            current = [v for v in settings.get(name) or [] if v != value]
            if change["new"]:
                order = [v for _, v in choices]
                current = sorted(
                    {*current, value}, key=lambda v: order.index(v) if v in order else 0
                )
            if current:
                settings[name] = current
            else:
                settings.pop(name, None)
            ctx.changed()

        box.observe(on_change, names="value")
        ctx.register(f"{path}.{value}", box)
        boxes.append(box)
    return row(boxes)


def _number(text: str) -> Any:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _slot_editor(
    ctx: Context, path: str, block: BlockDraft, settings: dict[str, Any], name: str, slot: Slot
) -> FieldBox:
    """One setting of a results view, as a dropdown, checkboxes or a number."""
    m = ctx.m
    label = m(f"designer.slots.{name}") + (
        f" {m('designer.results.needed')}" if slot.required else ""
    )
    kind = slot.kind
    depends = any(other.of == name for other in VIEWS[block.results.view].values())
    if kind == "table":
        return _table_slot(ctx, path, block, settings, name, slot, label)
    if kind == "scales":
        content = w.VBox(
            [
                _checkboxes(ctx, path, settings, name, _question_choices(ctx, block, "scale")),
                markup(f'<div style="color:#555">{m("designer.results.all_scales")}</div>'),
            ]
        )
        return ctx.box(path, label, content)
    if kind in ("options", "option"):
        owner = block.question(settings.get(slot.of, "")) if settings.get(slot.of) else None
        choices = [
            (short(o.label.get(m.language), 30) or o.id, o.id)
            for o in (owner.options if owner else [])
        ]
        if kind == "option":
            return _choice_dropdown(ctx, path, settings, name, choices, label)
        return ctx.box(path, label, _checkboxes(ctx, path, settings, name, choices))
    if kind == "profile":
        choices = [(m(f"designer.profile_fields.{f}"), f) for f in PROFILE_FIELDS]
        return ctx.box(path, label, _checkboxes(ctx, path, settings, name, choices))
    if kind == "boolean":
        widget = w.Checkbox(value=settings.get(name) is True, description=label, indent=False)

        def on_flag(change: dict[str, Any]) -> None:
            if change["new"]:
                settings[name] = True
            else:
                settings.pop(name, None)
            ctx.changed()

        widget.observe(on_flag, names="value")
        ctx.register(path, widget)
        return ctx.box(path, "", widget)
    if kind == "integer":
        return _number_input(ctx, path, settings, name, label)
    if kind == "thresholds":
        values = settings.setdefault(name, {})
        inputs = [
            _number_input(
                ctx, f"{path}.{threshold}", values, threshold, m(f"designer.thresholds.{threshold}")
            )
            for threshold in THRESHOLD_NAMES
        ]
        return ctx.box(path, label, row(inputs))
    choices = _question_choices(ctx, block, kind)
    return _choice_dropdown(
        ctx, path, settings, name, choices, label, after=ctx.restructure if depends else None
    )


def _number_input(
    ctx: Context, path: str, target: dict[str, Any], name: str, label: str
) -> FieldBox:
    value = target.get(name)
    widget = w.Text(
        value="" if value is None else str(value),
        continuous_update=False,
        layout=width("7em"),
    )

    def on_change(change: dict[str, Any]) -> None:
        number = _number(change["new"])
        if number is None:
            target.pop(name, None)
        else:
            target[name] = number
        ctx.changed()

    widget.observe(on_change, names="value")
    ctx.register(path, widget)
    return ctx.box(path, label, widget, inline=True)


def _table_slot(
    ctx: Context,
    path: str,
    block: BlockDraft,
    settings: dict[str, Any],
    name: str,
    slot: Slot,
    label: str,
) -> FieldBox:
    m = ctx.m
    value = settings.get(name)
    value = value if isinstance(value, dict) else {"question": value} if value else {}
    settings[name] = value
    question = block.question(value.get("question", "")) if value.get("question") else None
    parts = [
        _choice_dropdown(
            ctx,
            f"{path}.question",
            value,
            "question",
            _question_choices(ctx, block, "table"),
            m("designer.slots.question"),
            after=ctx.restructure,
        )
    ]
    if question is not None:
        columns = [(short(c.label.get(m.language), 30) or c.id, c.id) for c in question.columns]
        for role, needed in slot.columns.items():
            role_label = m("designer.results.column_for", role=m(f"designer.roles.{role}"))
            if needed:
                role_label += f" {m('designer.results.needed')}"
            parts.append(_choice_dropdown(ctx, f"{path}.{role}", value, role, columns, role_label))
    return ctx.box(path, label, row(parts))
