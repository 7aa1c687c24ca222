"""Table and matrix questions: several rows (items) per question, each with its own fields.

A table row is one item with a field per column (text, a choice or a scale); its id is made
so that two tabs never pick the same one. A matrix asks one choice per item that the group
named in another question (for example a level of involvement per ambition).
"""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .connection import TABLE_PREFIX, draft_key, question_key
from .question_views import (
    CELL,
    CHOICE_STYLE,
    FULL,
    HALF,
    ROW_BOX,
    SCALE_STYLE,
    WRAP,
    LimitedTextarea,
    QuestionView,
    button,
    group_values,
    label,
    text_html,
    ui,
)
from .store import Answer


class _ChoiceCell(w.Dropdown):
    """A table cell with a fixed or group-made list of options; ``""`` means no choice."""

    def __init__(self, save: Callable[[str], object], choose: str) -> None:
        super().__init__(options=[(choose, "")], value="", layout=FULL, style=CHOICE_STYLE)
        self.choose = choose
        self._save = save
        self._restoring = False
        self.observe(self._on_change_value, names="value")

    def set_options(self, options: list[tuple[str, str]]) -> None:
        """Replace the options, keeping the current choice (even when no longer listed)."""
        current = self.value
        if current and current not in {value for _label, value in options}:
            options = [*options, (current, current)]
        self._restoring = True
        try:
            self.options = [(self.choose, ""), *options]
            self.value = current
        finally:
            self._restoring = False

    def restore(self, value: str) -> None:
        if value and value not in {v for _label, v in self.options}:
            self.options = [*self.options, (value, value)]
        self._restoring = True
        try:
            self.value = value
        finally:
            self._restoring = False

    def _on_change_value(self, change: dict[str, Any]) -> None:
        if not self._restoring:
            self._save(change["new"])


class _ScaleCell(w.ToggleButtons):
    """A table cell rated on the column's scale (1-5 unless the template says otherwise);
    ``value`` is ``""`` until a rating is chosen."""

    def __init__(self, save: Callable[[str], object], scale: tuple[int, int] = (1, 5)) -> None:
        self.points = {str(n) for n in range(scale[0], scale[1] + 1)}
        super().__init__(
            options=[(str(n), str(n)) for n in range(scale[0], scale[1] + 1)],
            value=None,
            style=SCALE_STYLE,
        )
        self._save = save
        self._restoring = False
        self.observe(self._on_change_value, names="value")

    def restore(self, value: str) -> None:
        self._restoring = True
        try:
            self.value = value if value in self.points else None
        finally:
            self._restoring = False

    def _on_change_value(self, change: dict[str, Any]) -> None:
        if not self._restoring and change["new"] is not None:
            self._save(change["new"])


class TableRow(w.VBox):
    """One row of a table question: one input per column and a remove button.

    Attributes
    ----------
    cells : dict
        The input per column id; each has ``value`` (text, ``""`` when empty) and
        ``restore(value)``.
    """

    def __init__(self, view: TableQuestionView, item: str, placeholders: list[str]) -> None:
        self.item = item
        self.cells: dict[str, Any] = {}
        parts: list[w.Widget] = []
        for column, placeholder in zip(view.question.columns, placeholders, strict=True):

            def save(text: str, column_id: str = column.id) -> bool:
                number = float(text) if view.column_kind(column_id) == "scale" and text else None
                return view.save(text, item=item, field=column_id, value_num=number)

            if column.kind == "choice":
                cell: Any = _ChoiceCell(save, ui(view.template, "choose"))
                cell.set_options(view.column_options(column.id))
            elif column.kind == "scale":
                cell = _ScaleCell(save, column.scale)
            else:
                cell = LimitedTextarea(
                    save,
                    view.question.max_length,
                    placeholder,
                    rows=2,
                    title=view.template.t(column.label),
                    layout=CELL,
                    language=view.template.language,
                    key=draft_key(view.block.id, view.question.id, item, column.id),
                )
            self.cells[column.id] = cell
            if isinstance(cell, LimitedTextarea):
                parts.append(cell)
            else:
                parts.append(w.VBox([label(view.template.t(column.label)), cell], layout=CELL))
        self.remove_button = button(ui(view.template, "remove_row"))
        self.remove_button.add_class("nw-remove-row")
        self.remove_button.on_click(lambda _button: view.remove_row(self))
        super().__init__(
            [
                w.HBox(parts, layout=WRAP),
                self.remove_button,
            ],
            layout=ROW_BOX,
        )
        self.add_class("nw-table-row")

    def is_empty(self) -> bool:
        return not any((cell.value or "").strip() for cell in self.cells.values())


_NUMBERED_ROW = re.compile(r"r(\d+)")


def new_row_id() -> str:
    """A table row's item id that no other page can pick too: the time, then random.

    Rows used to be numbered ``r1``, ``r2``…: two tabs on one personal link then both
    filled "row 2" and mixed their texts. The hex of the time in milliseconds (11 digits)
    keeps rows in the order they were added, the random part keeps them apart.
    """
    return f"r{time.time_ns() // 1_000_000:011x}{secrets.token_hex(4)}"


def row_order(item: str) -> tuple[int, int, str]:
    """Rows in the order they were added: old numbered ids (``r1``, ``r2``…) first."""
    numbered = _NUMBERED_ROW.fullmatch(item)
    if numbered and len(item) < 12:
        return (0, int(numbered.group(1)), "")
    return (1, 0, item)


class TableQuestionView(QuestionView):
    """Several rows with named columns; each row is one item, each column one field.

    The columns' examples from the template are shown as a hint above the rows and as
    placeholder text in the first row. Removing a row records empty values (the store is
    append-only), so the row drops out of the current answers. A ``shared`` table also
    lists what the whole group entered in its first column, so people add what is missing
    instead of repeating each other. Choice columns with ``options_from`` list what the
    group entered elsewhere (for example the actors of the register).
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        t = self.template.t
        # The page script adds a row here for a text typed in a row that was never saved.
        self.add_class(TABLE_PREFIX + question_key(self.block.id, self.question.id))
        self.rows_box = w.VBox(layout=FULL)
        self.add_button = button(ui(self.template, "add_row"), "primary")
        self.add_button.on_click(lambda _button: self.add_row())
        self.add_button.add_class("nw-add-row")
        self._dynamic: dict[str, list[tuple[str, str]]] = {
            c.id: [] for c in self.question.columns if c.options_from
        }
        parts: list[w.Widget] = [*self.header]
        examples = [(t(c.label), t(c.example)) for c in self.question.columns if c.example]
        if examples:
            items = "".join(
                f"<li><b>{html.escape(label)}:</b> {html.escape(text)}</li>"
                for label, text in examples
            )
            parts.append(
                w.HTML(
                    f'<details open class="nw-example"><summary>{ui(self.template, "example")}'
                    f'</summary><ul style="color:#555">{items}</ul></details>'
                )
            )
        self.group_list = w.HTML()
        if self.question.shared:
            parts.append(self.group_list)
        if self._dynamic:
            self.refresh_button = button(ui(self.template, "refresh_list"))
            self.refresh_button.on_click(lambda _button: self.refresh())
            parts.append(self.refresh_button)
        self.children = [*parts, self.rows_box, self.add_button]
        self._restored = False
        self.refresh()
        for _ in range(self.question.min_rows):
            self.add_row()

    @property
    def rows(self) -> list[TableRow]:
        return list(self.rows_box.children)

    @property
    def sources(self) -> set[str]:
        refs = [c.options_from for c in self.question.columns if c.options_from]
        if self.question.shared:
            refs.append(f"{self.block.id}.{self.question.id}.x")
        return {ref.rsplit(".", 1)[0] for ref in refs}

    def column_kind(self, column_id: str) -> str:
        return next(c.kind for c in self.question.columns if c.id == column_id)

    def column_options(self, column_id: str) -> list[tuple[str, str]]:
        """The options of a choice column: from the template or from the group."""
        if column_id in self._dynamic:
            return self._dynamic[column_id]
        column = next(c for c in self.question.columns if c.id == column_id)
        return [(self.template.t(o.label), o.id) for o in column.options]

    def refresh(self) -> None:
        """Reload the group's entries (the shared list and group-made options)."""
        if not self.question.shared and not self._dynamic:
            return
        first = self.question.columns[0]
        if self.question.shared:
            names = group_values(self.recorder, f"{self.block.id}.{self.question.id}.{first.id}")
            listed = ", ".join(html.escape(name) for name in names) or "—"
            self.group_list.value = (
                f'<div class="nw-group-list" style="background:#f3f6fa;padding:6px 10px">'
                f"<b>{ui(self.template, 'named_by_group')} ({len(names)}):</b> {listed}</div>"
            )
        for column in self.question.columns:
            if column.options_from:
                values = group_values(self.recorder, column.options_from)
                self._dynamic[column.id] = [(value, value) for value in values]
                for row in self.rows:
                    row.cells[column.id].set_options(self._dynamic[column.id])

    def add_row(self, item: str | None = None) -> TableRow:
        """Add an empty row (nothing is stored until something is typed in it)."""
        if item is None:
            item = new_row_id()
        first = not self.rows
        placeholders = [
            self.template.t(c.example) if first and c.example else "" for c in self.question.columns
        ]
        row = TableRow(self, item, placeholders)
        self.rows_box.children = [*self.rows, row]
        return row

    def remove_row(self, row: TableRow) -> None:
        """Remove a row: its stored values are replaced by empty ones."""
        if not row.is_empty():
            self.recorder.record(
                [
                    Answer(self.block.id, self.question.id, "", item=row.item, field=c.id)
                    for c in self.question.columns
                ]
            )
        self.rows_box.children = [r for r in self.rows if r is not row]
        if not self.rows:
            self.add_row()

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        items = sorted({item for item, _field in current if item}, key=row_order)
        stored = [i for i in items if any(current.get((i, c.id)) for c in self.question.columns)]
        # Rows on screen are kept (a restore while the participant types, because another
        # tab saved something, must not take the cursor away); empty new ones stay last.
        shown = {row.item: row for row in self.rows} if self._restored else {}
        blank = [r for r in self.rows if r.item not in stored and r.is_empty()] if shown else []
        self.rows_box.children = []
        for item in stored:
            row = shown.get(item) or self.add_row(item)
            if row is shown.get(item):
                self.rows_box.children = [*self.rows, row]
            for column_id, cell in row.cells.items():
                cell.restore(current.get((item, column_id)) or "")
        self.rows_box.children = [*self.rows, *blank]
        while len(self.rows) < self.question.min_rows:
            self.add_row()
        self._restored = True

    def is_answered(self) -> bool:
        return any(not row.is_empty() for row in self.rows)


class MatrixQuestionView(QuestionView):
    """One choice per item that the group named elsewhere (for example per ambition).

    Each item is stored as ``item`` = the item's text, ``field`` = ``"level"``.
    """

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.inputs: dict[str, w.Dropdown] = {}
        self.rows_box = w.VBox(layout=FULL)
        self.empty_note = w.HTML(text_html(ui(self.template, "no_items"), "i"))
        self.refresh_button = button(ui(self.template, "refresh_list"))
        self.refresh_button.on_click(lambda _button: self.refresh())
        self.children = [*self.header, self.rows_box, self.empty_note, self.refresh_button]
        self._choices: dict[str, str] = {}
        self.refresh()

    @property
    def sources(self) -> set[str]:
        assert self.question.items_from is not None
        return {self.question.items_from.rsplit(".", 1)[0]}

    def refresh(self) -> None:
        """Show one row per item the group named, keeping what was chosen already."""
        assert self.question.items_from is not None
        items = group_values(self.recorder, self.question.items_from)
        items += [item for item in self._choices if item not in items]
        for item in items:
            if item not in self.inputs:
                self.inputs[item] = self._make_input(item)
        self.rows_box.children = [
            w.HBox(
                [label(item, HALF), self.inputs[item]],
                layout=WRAP,
            )
            for item in items
        ]
        self.empty_note.layout.display = "none" if items else None

    def _make_input(self, item: str) -> w.Dropdown:
        options = [(ui(self.template, "choose"), "")] + [
            (self.template.t(o.label), o.id) for o in self.question.options
        ]
        dropdown = w.Dropdown(options=options, value=self._choices.get(item, ""))

        def on_change(change: dict[str, Any]) -> None:
            self._choices[item] = change["new"]
            self.save(change["new"], item=item, field="level")

        dropdown.observe(on_change, names="value")
        return dropdown

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        self._choices = {
            item: value or "" for (item, field), value in current.items() if field == "level"
        }
        for dropdown in self.inputs.values():
            dropdown.close()
        self.inputs = {}
        self.refresh()

    def is_answered(self) -> bool:
        return any(self._choices.values())
