"""Input widgets: thin ipywidgets views over a :class:`~netwerk_widgets.recorder.Recorder`.

Each question kind has a view that shows the question, restores the participant's current
answer and hands every change to the recorder, which saves it at once. Tests drive them
like the front end does: set ``.value``, call ``.click()``, then look in the store.

Everything a person typed is shown through text widgets (``Label``, ``Textarea``) or
escaped with :func:`html.escape`; it never reaches the page as markup.
"""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import LabelStyle, TextStyle

from .connection import TABLE_PREFIX, draft_classes, draft_key, question_key
from .messages import messages
from .recorder import Debouncer, Recorder
from .store import Answer
from .templates import UNKNOWN, Block, Question, Template

# Layouts are widget models too: shared ones keep the number of models on a page down.
FULL = w.Layout(width="100%")
AUTO = w.Layout(width="auto")
CELL = w.Layout(flex="1 1 220px", min_width="200px")
WRAP = w.Layout(flex_flow="row wrap", width="100%")
ROW_BOX = w.Layout(width="100%", border="1px solid #ccc", padding="8px", margin="0 0 10px 0")
QUESTION = w.Layout(width="100%", margin="0 0 18px 0")
HALF = w.Layout(flex="1 1 50%")
LABEL_STYLE = LabelStyle()
TEXT_STYLE = TextStyle()
CHOICE_STYLE = DescriptionStyle()
BUTTON_STYLE = w.ButtonStyle()
SCALE_STYLE = ToggleButtonsStyle(button_width="2.6em")


def label(text: str, layout: w.Layout = AUTO) -> w.Label:
    """A plain-text label sharing one layout and style model with its kind."""
    return w.Label(text, layout=layout, style=LABEL_STYLE)


def button(description: str, button_style: str = "") -> w.Button:
    """A button sharing one layout and style model with the other buttons.

    Never change such a button's ``layout`` (hiding it would hide them all).
    """
    return w.Button(
        description=description, button_style=button_style, layout=AUTO, style=BUTTON_STYLE
    )


def ui(template: Template, key: str, **values: object) -> str:
    """A fixed text of the workbook's interface (``page.<key>`` in the message catalogue), in
    the template's language."""
    return messages(template.language)(f"page.{key}", **values)


def normalise(text: str) -> str:
    """``text`` with runs of white space folded, as names from the group are compared."""
    return " ".join(text.split())


def group_values(recorder: Recorder, reference: str) -> list[str]:
    """What the whole group entered in a table column (``block.question.column``).

    Distinct non-empty values, compared without regard to case or extra spaces, sorted;
    removed rows (stored as empty) are left out.
    """
    block, question, field = reference.split(".")
    rows = recorder.store.current(recorder.participant.session)
    seen: dict[str, str] = {}
    for row in rows:
        if (row["block"], row["question"], row["field"]) == (block, question, field):
            value = normalise(row["value"] or "")
            if value:
                seen.setdefault(value.casefold(), value)
    return sorted(seen.values(), key=str.casefold)


def text_html(text: str, tag: str = "p", css: str = "") -> str:
    """``text`` escaped into one HTML element (for template texts and typed answers)."""
    style = f' style="{css}"' if css else ""
    return f"<{tag}{style}>{html.escape(text)}</{tag}>"


class SaveStatus(w.HTML):
    """Shows the recorder's save state: "Opgeslagen om 14:02:11" or a clear error."""

    def __init__(self, recorder: Recorder, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.add_class("nw-save-status")
        self.recorder = recorder
        recorder.observe(self._on_change_status, names=["status", "message"])
        self._on_change_status()

    def _on_change_status(self, _change: object = None) -> None:
        status = self.recorder.status
        colour = {"error": "#b00020", "saved": "#1b5e20"}.get(status, "#555")
        m = messages(self.recorder.language)
        text = {
            "idle": m("page.saved_always"),
            "saving": m("page.saving"),
        }.get(status, self.recorder.message)
        self.value = text_html(text, "span", f"color:{colour};font-weight:600")


class QuestionView(w.VBox):
    """Base of the question views: the question text, help, and a way to record answers.

    Attributes
    ----------
    question : Question
        The template question this view asks.
    """

    def __init__(
        self, template: Template, block: Block, question: Question, recorder: Recorder
    ) -> None:
        super().__init__(layout=QUESTION)
        self.add_class("nw-question")
        self.template, self.block, self.question, self.recorder = (
            template,
            block,
            question,
            recorder,
        )
        title = template.t(question.text)
        if question.required:
            title += " *"
        header = [w.HTML(f'<b class="nw-question-title">{html.escape(title)}</b>')]
        if question.help is not None:
            header.append(w.HTML(text_html(template.t(question.help), "div", "color:#555")))
        self.header = header

    def save(
        self, value: str | None, *, item: str = "", field: str = "", value_num: float | None = None
    ) -> bool:
        """Record one answer value of this question."""
        return self.recorder.record(
            Answer(
                self.block.id, self.question.id, value, item=item, field=field, value_num=value_num
            )
        )

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        """Show the participant's current answers, keyed by ``(item, field)``."""

    def is_answered(self) -> bool:
        """Whether the participant gave any answer to this question."""
        return True

    def refresh(self) -> None:
        """Update what comes from the group's answers (lists of actors, ambitions)."""

    @property
    def sources(self) -> set[str]:
        """``block.question`` ids whose answers this view shows (see :meth:`refresh`)."""
        return set()

    def _limited(self, text: str) -> str:
        return text[: self.question.max_length]


class _LimitedTextarea(w.VBox):
    """A textarea that saves while typing (debounced) and enforces a maximum length."""

    def __init__(
        self,
        save: Callable[[str], object],
        max_length: int,
        placeholder: str = "",
        rows: int = 3,
        title: str = "",
        layout: w.Layout = FULL,
        language: str = "nl",
        key: str = "",
    ) -> None:
        self.language = language
        # The page script reads the classes: it cuts input at max_length in the browser
        # (before a huge paste is sent) and keeps typed text until saved (draft ``key``).
        self.area = w.Textarea(
            placeholder=placeholder,
            rows=rows,
            layout=FULL,
            style=TEXT_STYLE,
            continuous_update=True,
            _dom_classes=tuple(draft_classes(key, max_length)),
        )
        self._note: w.Label | None = None
        self._top = [label(title), self.area] if title else [self.area]
        super().__init__(self._top, layout=layout)
        self.max_length = max_length
        self.key = key
        self._save = save
        self.debounce = Debouncer(self._save_now)
        self.area.observe(self._on_change_value, names="value")
        self._restoring = False

    @property
    def value(self) -> str:
        return self.area.value

    @property
    def note(self) -> w.Label:
        """A message under the text area, made when first needed (fewer widgets per page)."""
        if self._note is None:
            self._note = label("")
            self.children = [*self._top, self._note]
        return self._note

    @value.setter
    def value(self, text: str) -> None:
        self.area.value = text

    def restore(self, text: str) -> None:
        self._restoring = True
        try:
            self.area.value = text
        finally:
            self._restoring = False
        self._mark_saved(text)

    def _mark_saved(self, text: str) -> None:
        """Tell the page script which text is saved (it then forgets its copy)."""
        if self.key:
            self.area._dom_classes = tuple(draft_classes(self.key, self.max_length, text))

    def _on_change_value(self, change: dict[str, Any]) -> None:
        if self._restoring:
            return
        if len(change["new"]) > self.max_length:
            self.area.value = change["new"][: self.max_length]
            self.note.value = messages(self.language)("page.too_long", n=self.max_length)
            return
        if self._note is not None:
            self._note.value = ""
        self.debounce()

    def _save_now(self) -> None:
        text = self.area.value
        if self._save(text) is not False:
            self._mark_saved(text)

    def settle(self) -> None:
        """Save what is being typed now instead of after the pause."""
        self.debounce.fire()


class TextQuestionView(QuestionView):
    """A free-text answer."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.input = _LimitedTextarea(
            lambda text: self.save(text, field="text"),
            self.question.max_length,
            language=self.template.language,
            key=draft_key(self.block.id, self.question.id, "", "text"),
        )
        self.children = [*self.header, self.input]

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        self.input.restore(current.get(("", "text")) or "")

    def is_answered(self) -> bool:
        return bool(self.input.value.strip())


class ScaleQuestionView(QuestionView):
    """A rating on the template's scale (1-5 by default), with "weet ik niet"."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        q = self.question
        options: list[tuple[str, str]] = [
            (str(n), str(n)) for n in range(q.scale_min, q.scale_max + 1)
        ]
        if q.allow_unknown:
            options.append((ui(self.template, "unknown"), UNKNOWN))
        self.input = w.ToggleButtons(options=options, value=None, style={"button_width": "auto"})
        self.input.observe(self._on_change_value, names="value")
        parts: list[w.Widget] = [*self.header]
        if q.scale_labels:
            low, high = (self.template.t(label) for label in q.scale_labels)
            ends = ui(
                self.template,
                "scale_ends",
                low=q.scale_min,
                low_text=low,
                high=q.scale_max,
                high_text=high,
            )
            parts.append(label(ends))
        parts.append(self.input)
        self.comment: _LimitedTextarea | None = None
        if q.comment:
            placeholder = ui(self.template, "comment")
            self.comment = _LimitedTextarea(
                lambda text: self.save(text, field="comment"),
                q.max_length,
                placeholder,
                rows=2,
                language=self.template.language,
                key=draft_key(self.block.id, q.id, "", "comment"),
            )
            parts.append(self.comment)
        self.children = parts
        self._restoring = False

    def _on_change_value(self, change: dict[str, Any]) -> None:
        value = change["new"]
        if self._restoring or value is None:
            return
        number = None if value == UNKNOWN else float(value)
        self.save(value, field="score", value_num=number)

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        self._restoring = True
        try:
            score = current.get(("", "score"))
            valid = {value for _label, value in self.input.options}
            self.input.value = score if score in valid else None
        finally:
            self._restoring = False
        if self.comment is not None:
            self.comment.restore(current.get(("", "comment")) or "")

    def is_answered(self) -> bool:
        return self.input.value is not None


class ChoiceQuestionView(QuestionView):
    """One option out of several."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        options = [(self.template.t(o.label), o.id) for o in self.question.options]
        self.input = w.RadioButtons(options=options, value=None, layout=FULL)
        self.input.observe(self._on_change_value, names="value")
        self.children = [*self.header, self.input]
        self._restoring = False

    def _on_change_value(self, change: dict[str, Any]) -> None:
        if not self._restoring and change["new"] is not None:
            self.save(change["new"], field="choice")

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        self._restoring = True
        try:
            choice = current.get(("", "choice"))
            self.input.value = choice if choice in {o.id for o in self.question.options} else None
        finally:
            self._restoring = False

    def is_answered(self) -> bool:
        return self.input.value is not None


class MultiChoiceQuestionView(QuestionView):
    """Any number of options; each option is one item with value ``"1"`` or ``"0"``."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.boxes: dict[str, w.Checkbox] = {}
        for option in self.question.options:
            box = w.Checkbox(
                value=False, description=self.template.t(option.label), indent=False, layout=FULL
            )
            box.observe(self._saver(option.id), names="value")
            self.boxes[option.id] = box
        self.children = [*self.header, *self.boxes.values()]
        self._restoring = False

    def _saver(self, option_id: str) -> Callable[[dict[str, Any]], None]:
        def on_change(change: dict[str, Any]) -> None:
            if not self._restoring:
                chosen = bool(change["new"])
                self.save(
                    "1" if chosen else "0",
                    item=option_id,
                    field="selected",
                    value_num=float(chosen),
                )

        return on_change

    def restore(self, current: dict[tuple[str, str], str | None]) -> None:
        self._restoring = True
        try:
            for option_id, box in self.boxes.items():
                box.value = current.get((option_id, "selected")) == "1"
        finally:
            self._restoring = False

    def is_answered(self) -> bool:
        return any(box.value for box in self.boxes.values())


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
                cell = _LimitedTextarea(
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
            if isinstance(cell, _LimitedTextarea):
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


VIEWS: dict[str, type[QuestionView]] = {
    "text": TextQuestionView,
    "scale": ScaleQuestionView,
    "choice": ChoiceQuestionView,
    "multichoice": MultiChoiceQuestionView,
    "table": TableQuestionView,
    "matrix": MatrixQuestionView,
}


class BlockView(w.VBox):
    """One block of the workbook: its title, introduction and question views."""

    def __init__(self, template: Template, block: Block, recorder: Recorder) -> None:
        self.block = block
        self.template = template
        self.questions = {
            q.id: VIEWS[q.kind](template, block, q, recorder) for q in block.questions
        }
        parts: list[w.Widget] = [w.HTML(text_html(template.t(block.title), "h2"))]
        if block.intro is not None:
            parts.append(w.HTML(text_html(template.t(block.intro))))
        super().__init__([*parts, *self.questions.values()], layout=FULL)
        self.add_class("nw-block")
        self.recorder = recorder
        recorder.observe(self._on_change_revision, names="revision")

    def restore(self, answers: Iterable[dict[str, Any]]) -> None:
        """Fill in the participant's current answers (rows as :meth:`Store.current` gives)."""
        per_question: dict[str, dict[tuple[str, str], str | None]] = {}
        for row in answers:
            if row["block"] == self.block.id:
                per_question.setdefault(row["question"], {})[(row["item"], row["field"])] = row[
                    "value"
                ]
        for question_id, view in self.questions.items():
            view.restore(per_question.get(question_id, {}))

    def missing_required(self) -> list[str]:
        """The texts of required questions the participant has not answered yet."""
        return [
            self.template.t(view.question.text)
            for view in self.questions.values()
            if view.question.required and not view.is_answered()
        ]

    def refresh(self) -> None:
        """Update everything in this block that shows the group's entries."""
        for view in self.questions.values():
            view.refresh()

    def settle(self) -> None:
        """Save now whatever is being typed in this block (before it is shown anew)."""
        waiting: list[w.Widget] = [self]
        while waiting:
            widget = waiting.pop()
            if isinstance(widget, _LimitedTextarea):
                widget.settle()
            waiting.extend(getattr(widget, "children", ()))

    def _on_change_revision(self, _change: object) -> None:
        saved = {f"{a.block}.{a.question}" for a in self.recorder.last_saved}
        for view in self.questions.values():
            if view.sources & saved:
                view.refresh()
