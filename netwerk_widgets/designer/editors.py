"""The designer's editors: the template's own fields, a block, a question, its options or
columns, and the block's results view. Each is built from the draft and writes into it."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..templates import (
    COLUMN_KINDS,
    LANGUAGES,
    PROFILE_FIELDS,
    QUESTION_KINDS,
)
from .fields import (
    FRAME,
    Context,
    Defaulting,
    FieldBox,
    bound,
    id_input,
    markup,
    row,
    short,
    small_button,
    text_pair,
    width,
)
from .model import (
    CHOICE_KINDS,
    BlockDraft,
    ColumnDraft,
    OptionDraft,
    QuestionDraft,
    add_column,
    add_option,
    move,
    set_column_kind,
    set_kind,
)
from .views import results_editor

OPTION_LABEL = w.Layout(margin="0 0 6px 0", flex="1 1 320px", width="auto")
OPTION_ROW = w.Layout(align_items="flex-end", grid_gap="0 6px", width="100%")
LICENSES = ("CC BY 4.0", "CC BY-SA 4.0", "CC BY-NC 4.0", "CC0 1.0")
"""Licences the designer suggests (any other text is allowed too)."""


def _int(widget_value: Any) -> int:
    return int(widget_value)


def general_editor(ctx: Context) -> w.Widget:
    """The template's own fields: name, version, language, texts, author, licence, profile."""
    m, draft = ctx.m, ctx.draft
    name = bound(
        ctx,
        "name",
        w.Text(continuous_update=False, layout=width("16em")),
        draft,
        "name",
        m("designer.general.name"),
        convert=str.strip,
    )
    version = bound(
        ctx,
        "version",
        w.Text(continuous_update=False, layout=width("8em")),
        draft,
        "version",
        m("designer.general.version"),
        convert=str.strip,
    )
    language = bound(
        ctx,
        "language",
        w.Dropdown(options=[(m(f"designer.languages.{code}"), code) for code in LANGUAGES]),
        draft,
        "language",
        m("designer.general.language"),
    )
    author = bound(
        ctx,
        "author",
        w.Text(layout=width("24em")),
        draft,
        "author",
        m("designer.general.author"),
    )
    license_ = bound(
        ctx,
        "license",
        w.Combobox(options=LICENSES, ensure_option=False, layout=width("14em")),
        draft,
        "license",
        m("designer.general.license"),
    )
    candidates = draft.profile_questions()
    texts = {f"{b.id}.{q.id}": q.text.get(m.language) for b in draft.blocks for q in b.questions}
    profile = []
    for field in PROFILE_FIELDS:
        current = draft.profile.get(field, "")
        options = [
            (m("designer.none"), ""),
            *((f"{ref}: {short(texts[ref], 40)}", ref) for ref in candidates),
        ]
        if current and current not in candidates:
            options.append((current, current))
        profile.append(
            bound(
                ctx,
                f"profile.{field}",
                w.Dropdown(options=options),
                Defaulting(draft.profile),
                field,
                m(f"designer.general.profile_{field}"),
            )
        )
    return w.VBox(
        [
            row([name, version, language]),
            markup(f'<div style="color:#555">{m("designer.general.version_help")}</div>'),
            text_pair(ctx, "title", draft.title, m("designer.general.title")),
            text_pair(ctx, "intro", draft.intro, m("designer.general.intro"), multiline=True),
            row([author, license_]),
            markup(f'<div style="color:#555">{m("designer.general.license_help")}</div>'),
            text_pair(
                ctx,
                "description",
                draft.description,
                m("designer.general.description"),
                multiline=True,
            ),
            ctx.box("profile", m("designer.general.profile"), row(profile)),
        ]
    )


def block_editor(ctx: Context, index: int, block: BlockDraft) -> w.Widget:
    """A block's id, title, introduction and results view."""
    m, path = ctx.m, f"blocks[{index}]"
    identifier = id_input(
        ctx,
        f"{path}.id",
        block.id,
        m("designer.blocks.id"),
        lambda new: ctx.draft.rename((block.id,), new),
    )
    content = w.VBox(
        [
            row([identifier]),
            text_pair(ctx, f"{path}.title", block.title, m("designer.blocks.title")),
            text_pair(
                ctx, f"{path}.intro", block.intro, m("designer.blocks.intro"), multiline=True
            ),
            results_editor(ctx, index, block),
        ]
    )
    content.add_class("nw-block-editor")
    return content


def question_editor(ctx: Context, index: int, number: int, block: BlockDraft) -> w.Widget:
    """Everything about one question, with the settings its kind has."""
    m = ctx.m
    question = block.questions[number]
    path = f"blocks[{index}].questions[{number}]"

    def change_kind() -> None:
        set_kind(question, question.kind, ctx.prefixes)
        ctx.restructure()

    kind = bound(
        ctx,
        f"{path}.kind",
        w.Dropdown(options=[(m(f"designer.kinds.{k}"), k) for k in QUESTION_KINDS]),
        question,
        "kind",
        m("designer.questions.kind"),
        after=change_kind,
    )
    identifier = id_input(
        ctx,
        f"{path}.id",
        question.id,
        m("designer.questions.id"),
        lambda new: ctx.draft.rename((block.id, question.id), new),
    )
    required = bound(
        ctx,
        f"{path}.required",
        w.Checkbox(indent=False, description=m("designer.questions.required")),
        question,
        "required",
        "",
    )
    parts: list[w.Widget] = [
        row([kind, identifier, required]),
        text_pair(ctx, f"{path}.text", question.text, m("designer.questions.text")),
        text_pair(ctx, f"{path}.help", question.help, m("designer.questions.help")),
    ]
    max_length = bound(
        ctx,
        f"{path}.max_length",
        w.BoundedIntText(min=0, max=100_000, layout=width("8em")),
        question,
        "max_length",
        m("designer.questions.max_length"),
        convert=_int,
    )
    if question.kind == "text":
        parts.append(row([max_length]))
    elif question.kind == "scale":
        parts += _scale_settings(ctx, path, question, max_length)
    elif question.kind == "table":
        parts.append(_columns_editor(ctx, path, question))
        parts.append(
            row(
                [
                    bound(
                        ctx,
                        f"{path}.min_rows",
                        w.BoundedIntText(min=0, max=50, layout=width("6em")),
                        question,
                        "min_rows",
                        m("designer.questions.min_rows"),
                        convert=_int,
                    ),
                    max_length,
                    bound(
                        ctx,
                        f"{path}.shared",
                        w.Checkbox(indent=False, description=m("designer.questions.shared")),
                        question,
                        "shared",
                        "",
                    ),
                ]
            )
        )
    if question.kind in CHOICE_KINDS:
        parts.append(
            _options_editor(
                ctx,
                f"{path}.options",
                question.options,
                lambda old, new: ctx.draft.rename((block.id, question.id, "", old), new),
            )
        )
    if question.kind == "matrix":
        parts.append(
            _reference_dropdown(
                ctx,
                f"{path}.items_from",
                question,
                "items_from",
                m("designer.questions.items_from"),
                ctx.draft.table_columns(),
                m("designer.none"),
            )
        )
    extra = w.VBox(
        [
            text_pair(ctx, f"{path}.short", question.short, m("designer.questions.short")),
            text_pair(
                ctx, f"{path}.tip", question.tip, m("designer.questions.tip"), multiline=True
            ),
        ]
    )
    more = w.Accordion(children=[extra], titles=(m("designer.questions.extra"),))
    more.selected_index = 0 if question.short.data() or question.tip.data() else None
    parts.append(more)
    box = w.VBox(parts)
    box.add_class("nw-question-editor")
    return box


def _scale_settings(
    ctx: Context, path: str, question: QuestionDraft, max_length: FieldBox
) -> list[w.Widget]:
    m = ctx.m
    ends = [
        bound(
            ctx,
            f"{path}.{end}",
            w.IntText(layout=width("6em")),
            question,
            f"scale_{end}",
            m(f"designer.questions.{end}"),
            convert=_int,
        )
        for end in ("min", "max")
    ]
    options = [
        bound(
            ctx,
            f"{path}.allow_unknown",
            w.Checkbox(indent=False, description=m("designer.questions.allow_unknown")),
            question,
            "allow_unknown",
            "",
        ),
        bound(
            ctx,
            f"{path}.comment",
            w.Checkbox(indent=False, description=m("designer.questions.comment")),
            question,
            "comment",
            "",
            after=ctx.restructure,
        ),
    ]
    if question.comment:
        options.append(max_length)
    return [
        row(ends),
        text_pair(ctx, f"{path}.labels[0]", question.low, m("designer.questions.low")),
        text_pair(ctx, f"{path}.labels[1]", question.high, m("designer.questions.high")),
        row(options),
    ]


def _mover(ctx: Context, place: str, items: list[Any], index: int) -> list[w.Widget]:
    """Up, down and remove buttons for ``items[index]`` (registered as ``place:up``, ...)."""
    m = ctx.m

    def shift(offset: int) -> None:
        move(items, index, offset)
        ctx.restructure()

    def remove() -> None:
        del items[index]
        ctx.restructure()

    buttons = {
        "up": small_button(m("designer.questions.up"), lambda: shift(-1)),
        "down": small_button(m("designer.questions.down"), lambda: shift(1)),
        "remove": small_button(m("designer.questions.remove"), remove),
    }
    buttons["up"].disabled = index == 0
    buttons["down"].disabled = index == len(items) - 1
    for action, button in buttons.items():
        ctx.register(f"{place}:{action}", button)
    return list(buttons.values())


def _options_editor(
    ctx: Context, path: str, options: list[OptionDraft], rename: Any = None
) -> FieldBox:
    m = ctx.m
    lines: list[w.Widget] = []
    for number, option in enumerate(options):
        place = f"{path}[{number}]"

        def set_id(new: str, option: OptionDraft = option) -> None:
            if rename is not None:
                rename(option.id, new)
            option.id = new

        identifier = id_input(ctx, f"{place}.id", option.id, m("designer.questions.id"), set_id)
        label = text_pair(
            ctx,
            f"{place}.label",
            option.label,
            f"{m('designer.questions.option')} {number + 1}",
            layout=OPTION_LABEL,
        )
        content = w.HBox(
            [label, identifier, *_mover(ctx, place, options, number)], layout=OPTION_ROW
        )
        lines.append(ctx.box(place, "", content, section=True))

    def add() -> None:
        add_option(options, ctx.prefixes)
        ctx.restructure()

    adder = small_button(m("designer.questions.add_option"), add)
    ctx.register(f"{path}:add", adder)
    return ctx.box(path, m("designer.questions.options"), w.VBox([*lines, adder]), section=True)


def _reference_dropdown(
    ctx: Context,
    path: str,
    target: Any,
    attribute: str,
    label: str,
    references: list[str],
    empty: str,
    *,
    exclude: str = "",
) -> FieldBox:
    current = getattr(target, attribute)
    options = [(empty, ""), *((r, r) for r in references if r != exclude)]
    if current and current not in references:
        options.append((current, current))
    return bound(
        ctx,
        path,
        w.Dropdown(options=options, layout=width("auto")),
        target,
        attribute,
        label,
        after=ctx.restructure,
    )


def _columns_editor(ctx: Context, path: str, question: QuestionDraft) -> FieldBox:
    m = ctx.m
    columns = question.columns
    boxes: list[w.Widget] = []
    references = ctx.draft.table_columns()
    for number, column in enumerate(columns):
        place = f"{path}.columns[{number}]"
        boxes.append(_column_editor(ctx, place, column, number, columns, references))

    def add() -> None:
        add_column(question, ctx.prefixes)
        ctx.restructure()

    adder = small_button(m("designer.questions.add_column"), add)
    ctx.register(f"{path}.columns:add", adder)
    return ctx.box(
        f"{path}.columns", m("designer.questions.columns"), w.VBox([*boxes, adder]), section=True
    )


def _column_editor(
    ctx: Context,
    place: str,
    column: ColumnDraft,
    number: int,
    columns: list[ColumnDraft],
    references: list[str],
) -> FieldBox:
    m = ctx.m

    def set_id(new: str) -> None:
        old = column.id
        own = next((r for r in references if r.endswith(f".{old}")), "")
        if own:
            block, question, _ = own.split(".")
            ctx.draft.rename((block, question, old), new)
        column.id = new

    def change_kind() -> None:
        set_column_kind(column, column.kind, ctx.prefixes)
        ctx.restructure()

    kind = bound(
        ctx,
        f"{place}.kind",
        w.Dropdown(options=[(m(f"designer.column_kinds.{k}"), k) for k in COLUMN_KINDS]),
        column,
        "kind",
        m("designer.questions.column_kind"),
        after=change_kind,
    )
    top = row(
        [
            kind,
            id_input(ctx, f"{place}.id", column.id, m("designer.questions.id"), set_id),
            *_mover(ctx, place, columns, number),
        ]
    )
    parts: list[w.Widget] = [
        top,
        text_pair(ctx, f"{place}.label", column.label, m("designer.questions.column_label")),
        text_pair(ctx, f"{place}.example", column.example, m("designer.questions.example")),
    ]
    if column.kind == "choice":
        own = [r for r in references if r.endswith(f".{column.id}")]
        parts.append(
            _reference_dropdown(
                ctx,
                f"{place}.options_from",
                column,
                "options_from",
                m("designer.questions.options_source"),
                references,
                m("designer.questions.fixed_options"),
                exclude=own[0] if own else "",
            )
        )
        if not column.options_from:
            parts.append(_options_editor(ctx, f"{place}.options", column.options))
    if column.kind == "scale":
        parts.append(
            row(
                [
                    bound(
                        ctx,
                        f"{place}.{end}",
                        w.IntText(layout=width("6em")),
                        column,
                        f"scale_{end}",
                        m(f"designer.questions.{end}"),
                        convert=_int,
                    )
                    for end in ("min", "max")
                ]
            )
        )
    box = ctx.box(
        place,
        m("designer.questions.column", n=number + 1),
        w.VBox(parts, layout=FRAME),
        section=True,
    )
    box.add_class("nw-column-editor")
    return box
