"""Input widgets: a block of the workbook as ipywidgets, one view per question kind.

:class:`BlockView` shows a block's title, introduction and one view per question (from
:data:`VIEWS`, by the question's kind); every view saves through the participant's
:class:`~netwerk_widgets.recorder.Recorder`. The views are in
:mod:`netwerk_widgets.question_views` and :mod:`netwerk_widgets.table_views`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import ipywidgets as w

from .question_views import (
    FULL,
    ChoiceQuestionView,
    LimitedTextarea,
    MultiChoiceQuestionView,
    QuestionView,
    ScaleQuestionView,
    TextQuestionView,
    text_html,
)
from .recorder import Recorder
from .table_views import MatrixQuestionView, TableQuestionView
from .templates import Block, Template

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
            if isinstance(widget, LimitedTextarea):
                widget.settle()
            waiting.extend(getattr(widget, "children", ()))

    def _on_change_revision(self, _change: object) -> None:
        saved = {f"{a.block}.{a.question}" for a in self.recorder.last_saved}
        for view in self.questions.values():
            if view.sources & saved:
                view.refresh()
