"""Moderation on the trainer screen: hide an answer with one click, merge two names.

Both are appended events (:mod:`netwerk_widgets.workshop`): a hidden answer stays in the
store and in exports (marked ``hidden``) and comes back with one click; merged names keep
their original spellings in the store. Group views, the projector and the report leave
hidden answers out and use merged names (the results state changes, so cached results are
computed again).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..errors import NetwerkError
from ..messages import Messages
from ..question_views import text_html
from ..store import Store
from ..templates import Template
from ..workshop import (
    AnswerKey,
    hidden_answers,
    hide_answer,
    merge_names,
    merged_names,
    show_answer,
    unmerge_name,
)
from ._controls import ROW, WIDE, action_button, block_dropdown

MAX_ANSWERS = 300
"""Answers listed at most per block (the newest first): enough for a workshop."""


def answer_texts(
    store: Store, code: str, template: Template, block_id: str
) -> list[tuple[AnswerKey, str]]:
    """The typed answers of a block: one per text question and per table row, newest first.

    Choices and ratings are left out (nothing to hide in them); a table row reads as its
    text cells joined with " · ".
    """
    block = template.block(block_id)
    kinds = {q.id: q.kind for q in block.questions}
    texts: dict[AnswerKey, list[tuple[int, str]]] = {}
    for row in store.current(code):
        if row["block"] != block_id or kinds.get(row["question"]) not in ("text", "table"):
            continue
        value = (row["value"] or "").strip()
        if not value or row["value_num"] is not None:
            continue
        question = block.question(row["question"])
        if question.kind == "table":
            column = next((c for c in question.columns if c.id == row["field"]), None)
            if column is None or column.kind not in ("text", "choice") or column.options:
                continue
        key = AnswerKey(row["participant"], block_id, row["question"], row["item"])
        texts.setdefault(key, []).append((int(row["id"]), value))
    ordered = sorted(texts.items(), key=lambda kv: -max(i for i, _ in kv[1]))
    return [(key, " · ".join(v for _, v in parts)) for key, parts in ordered[:MAX_ANSWERS]]


def shared_lists(template: Template) -> list[tuple[str, str]]:
    """The lists whose names can be merged: ``(label, "block.question.column")``.

    Shared table questions (their first column), every column another question takes its
    options or items from, and the ``missing`` list of a network view.
    """
    found: dict[str, str] = {}
    referenced = set()
    for block in template.blocks:
        for q in block.questions:
            if getattr(q, "items_from", None):
                referenced.add(q.items_from)
            for c in q.columns or ():
                if c.options_from:
                    referenced.add(c.options_from)
    for block in template.blocks:
        missing = block.results.get("missing") if block.results.view == "network" else None
        for q in block.questions:
            if q.kind != "table" or not q.columns:
                continue
            refs = [f"{block.id}.{q.id}.{c.id}" for c in q.columns]
            chosen = [r for r in refs if r in referenced]
            if not chosen and (
                getattr(q, "shared", False) or (missing or {}).get("question") == q.id
            ):
                column = (
                    (missing or {}).get("name") if missing and missing["question"] == q.id else None
                )
                chosen = [f"{block.id}.{q.id}.{column or q.columns[0].id}"]
            for ref in chosen:
                found.setdefault(ref, f"{template.t(block.title)} – {template.t(q.text)}")
    return [(label, ref) for ref, label in found.items()]


class ModerationPanel(w.VBox):
    """Hide answers of a block, and merge names in the shared lists."""

    def __init__(
        self,
        store: Store,
        code: str,
        template: Template,
        m: Messages,
        screen: str,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.store, self.code, self.template, self.m, self.screen = (
            store,
            code,
            template,
            m,
            screen,
        )
        self.on_change = on_change or (lambda: None)
        self.block = block_dropdown(template, m("workshop.moderate.block"), "nw-moderate-block")
        self.block.observe(lambda _c: self.refresh(), names="value")
        self.answers = w.VBox()
        self.answers.add_class("nw-moderate-answers")
        self.lists = shared_lists(template)
        self.list = w.Dropdown(
            options=self.lists,
            description=m("workshop.merge.list"),
            style=WIDE,
            layout=w.Layout(width="100%", max_width="760px"),
        )
        self.list.observe(lambda _c: self.refresh_names(), names="value")
        self.name = w.Dropdown(description=m("workshop.merge.name"), style=WIDE)
        self.into = w.Dropdown(description=m("workshop.merge.into"), style=WIDE)
        self.name.add_class("nw-merge-name")
        self.into.add_class("nw-merge-into")
        self.merge = action_button(
            m("workshop.merge.button"), self.merge_chosen, style="warning", css="nw-merge-button"
        )
        self.names = w.VBox()
        self.names.add_class("nw-merge-names")
        self.message = w.HTML()
        super().__init__(
            [
                w.HTML(text_html(m("workshop.moderate.heading"), "h3")),
                w.HTML(text_html(m("workshop.moderate.intro"), "p")),
                self.block,
                self.answers,
                w.HTML(text_html(m("workshop.merge.heading"), "h3")),
                w.HTML(text_html(m("workshop.merge.intro"), "p")),
                self.list,
                w.HBox([self.name, self.into, self.merge], layout=ROW),
                self.message,
                self.names,
            ],
            layout=w.Layout(width="100%"),
        )
        self.add_class("nw-moderation")

    def refresh(self) -> None:
        """List the chosen block's answers with a hide or show button each."""
        hidden = hidden_answers(self.store, self.code)
        names = {p.id: p.display_name for p in self.store.participants(self.code)}
        rows = []
        for key, text in answer_texts(self.store, self.code, self.template, self.block.value):
            rows.append(self._answer_row(key, text, names.get(key.participant, ""), key in hidden))
        if not rows:
            rows = [w.HTML(text_html(self.m("workshop.moderate.none"), "p"))]
        old = self.answers.children
        self.answers.children = rows
        for widget in old:
            widget.close()
        self.refresh_names()

    def _answer_row(self, key: AnswerKey, text: str, who: str, hidden: bool) -> w.Widget:
        esc = html.escape
        state = f' <i class="nw-hidden-mark">({esc(self.m("workshop.moderate.hidden"))})</i>'
        label = w.HTML(
            f'<span class="nw-answer-who">{esc(who)}:</span> '
            f'<span class="nw-answer-text">{esc(text)}</span>{state if hidden else ""}',
            layout=w.Layout(flex="1 1 auto", min_width="0"),
        )
        toggle = w.Button(
            description=self.m("workshop.moderate.show" if hidden else "workshop.moderate.hide"),
            button_style="" if hidden else "danger",
            layout=w.Layout(width="auto", flex="0 0 auto"),
        )
        toggle.add_class("nw-show-answer" if hidden else "nw-hide-answer")
        toggle.on_click(lambda _b: self._toggle(key, hidden))
        row = w.HBox([label, toggle], layout=w.Layout(width="100%", align_items="center"))
        row.add_class("nw-answer-row")
        return row

    def _toggle(self, key: AnswerKey, hidden: bool) -> None:
        self._run(
            lambda: (show_answer if hidden else hide_answer)(
                self.store, self.code, key, screen=self.screen
            )
        )

    def refresh_names(self) -> None:
        """The chosen list's names with counts, merge suggestions and merges made."""
        from .. import analysis, names
        from ..loading import load_answers

        ref = self.list.value
        if not ref:
            self.names.children = []
            return
        block, question, column = ref.split(".", 2)
        answers = load_answers(self.code, store=self.store)
        found = analysis.named_list(answers, block, question, column)
        options = [str(n) for n in found["name"]]
        for dropdown in (self.name, self.into):
            if list(dropdown.options) != options:
                dropdown.options = options
        if len(options) > 1 and self.into.value == self.name.value:
            self.into.value = options[1] if self.name.value == options[0] else options[0]
        counts = dict(zip(found["name"], found["count"], strict=True))
        rows: list[w.Widget] = [
            w.HTML(
                text_html(
                    "; ".join(
                        f"{n} ({self.m('workshop.named_by', n=c)})" for n, c in counts.items()
                    ),
                    "p",
                )
            )
        ]
        for a, b in names.near_duplicates(options):
            keep, drop = (a, b) if counts.get(a, 0) >= counts.get(b, 0) else (b, a)
            button = w.Button(
                description=self.m("workshop.merge.suggest", name=drop, into=keep),
                layout=w.Layout(width="auto"),
            )
            button.add_class("nw-merge-suggestion")
            button.on_click(lambda _b, d=drop, k=keep: self._merge(d, k))
            rows.append(button)
        for key, into in merged_names(self.store, self.code).get(ref, {}).items():
            undo = w.Button(
                description=self.m("workshop.merge.undo", name=key, into=into),
                layout=w.Layout(width="auto"),
            )
            undo.add_class("nw-merge-undo")
            undo.on_click(
                lambda _b, k=key: self._run(
                    lambda: unmerge_name(self.store, self.code, ref, k, screen=self.screen)
                )
            )
            rows.append(undo)
        old = self.names.children
        self.names.children = rows
        for widget in old:
            widget.close()

    def merge_chosen(self) -> None:
        """Merge the first chosen name into the second."""
        self._merge(self.name.value, self.into.value)

    def _merge(self, name: str | None, into: str | None) -> None:
        ref = self.list.value
        self._run(
            lambda: merge_names(
                self.store, self.code, ref, name or "", into or "", screen=self.screen
            )
        )
        if not self.message.value:
            self.message.value = text_html(
                self.m("workshop.merge.done", name=name, into=into), "p", "color:#1a5e1a"
            )

    def _run(self, action: Callable[[], Any]) -> None:
        try:
            action()
        except NetwerkError as exc:
            self.message.value = text_html(exc.text(self.m.language), "p", "color:#b00020")
            return
        self.message.value = ""
        self.refresh()
        self.on_change()
