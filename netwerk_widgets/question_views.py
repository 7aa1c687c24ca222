"""Question views: thin ipywidgets views over a :class:`~netwerk_widgets.recorder.Recorder`.

Each question kind has a view that shows the question, restores the participant's current
answer and hands every change to the recorder, which saves it at once. Tests drive them
like the front end does: set ``.value``, call ``.click()``, then look in the store. Here
are the shared parts (layouts, the save status, the text field that keeps drafts) and the
views of one answer per question; tables and matrices are in
:mod:`netwerk_widgets.table_views`, a whole block in :mod:`netwerk_widgets.widgets`.

Everything a person typed is shown through text widgets (``Label``, ``Textarea``) or
escaped with :func:`html.escape`; it never reaches the page as markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle
from ipywidgets.widgets.widget_string import LabelStyle, TextStyle

from .connection import draft_classes, draft_key
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


class LimitedTextarea(w.VBox):
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
        self.input = LimitedTextarea(
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
        self.comment: LimitedTextarea | None = None
        if q.comment:
            placeholder = ui(self.template, "comment")
            self.comment = LimitedTextarea(
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
