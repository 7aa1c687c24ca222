"""The designer's page: four tabs over one :class:`~netwerk_widgets.designer.model.TemplateDraft`.

1. *Beginnen*: a new template, a built-in one, one of the trainer's own (the templates folder
   of ``netwerk template list``) or an uploaded file.
2. *Het sjabloon*: name, version, language, title, introduction, author, description, licence,
   profile.
3. *Onderdelen en vragen*: the blocks and their questions, added, removed and moved, each
   edited in full; next to them a live preview of the block as a participant sees it.
4. *Bewaren en starten*: save into the templates folder (never over a file without asking),
   download, what changed since the start, and start a session.

After every change the draft is checked the way ``netwerk template validate`` checks a file;
each problem is shown at its field, marked in the lists of blocks and questions, and listed
above the tabs.
"""

from __future__ import annotations

import contextlib
import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..errors import NetwerkError, TemplateError
from ..messages import catalogue, messages
from ..recorder import Debouncer, Recorder
from ..settings import settings
from ..store import Store
from ..templates import (
    DEFAULT_TEMPLATE,
    LANGUAGES,
    QUESTION_KINDS,
    Template,
    load_template,
)
from ..widgets import BlockView
from .editors import block_editor, general_editor, question_editor
from .fields import Confirm, Context, Fields, markup, message_html, row, short, small_button
from .model import (
    TemplateDraft,
    add_question,
    check,
    move,
    part_of,
)
from .preview import close_tree, preview_block, preview_data
from .saving import SaveTab
from .starting import StartTab

QUERY_LANGUAGE = "taal"
TAB_START, TAB_GENERAL, TAB_BLOCKS, TAB_SAVE = range(4)
MAX_LISTED = 12
"""Problems listed above the tabs at most (every one is still shown at its field)."""
STYLE = """<style>
.nw-designer .widget-tab > .lm-TabBar .lm-TabBar-tab,
.nw-designer .jupyter-widget-tab > .lm-TabBar .lm-TabBar-tab { flex: 0 0 auto; min-width: 12em; }
.nw-designer .nw-invalid input, .nw-designer .nw-invalid textarea,
.nw-designer .nw-invalid select { border-color: #b00020; }
.nw-designer .nw-question-editor { background: #fafafa; }
.nw-designer .nw-preview-panel, .nw-designer .nw-editor-pane {
  display: block; max-height: calc(100vh - 150px); min-height: 420px; overflow: auto;
}
.nw-designer .nw-preview-panel > * { margin-bottom: 6px; }
</style>"""


class Designer(StartTab, SaveTab, w.VBox):
    """The template designer: a view over a :class:`TemplateDraft`.

    Parameters
    ----------
    store_url : str, optional
        Where sessions are started (default: the store of ``NETWERK_DB_URL``).
    templates_dir : Path, optional
        The trainer's templates folder (default: ``NETWERK_TEMPLATES_DIR``, see
        :mod:`netwerk_widgets.settings`).
    language : str
        The designer's own language, ``"nl"`` or ``"en"``.
    server : str, optional
        The Voilà server's address for the links of a session (default: this page's).

    Attributes
    ----------
    draft : TemplateDraft
        The template being made.
    problems : list of TemplateError
        What the last check found; each has the ``field`` it concerns.
    fields : Fields
        The inputs on screen by field path (``designer.fields.input("title.nl")``).
    """

    def __init__(
        self,
        store_url: str | None = None,
        templates_dir: str | Path | None = None,
        language: str = "nl",
        server: str | None = None,
    ) -> None:
        super().__init__(layout=w.Layout(width="100%", max_width="1360px"))
        self.add_class("nw-designer")
        self.store_url = store_url
        self.templates_dir = Path(templates_dir or settings().templates_dir)
        self.server = server
        self.language = language if language in LANGUAGES else "nl"
        self.m = messages(self.language)
        self.fields = Fields()
        self.problems: list[TemplateError] = []
        self.template: Template | None = None
        self.origin: Template | None = None
        self.origin_name = ""
        self.saved_path: Path | None = None
        self.block_index = 0
        self.question_index = 0
        self.draft = TemplateDraft.blank(self.m("designer.new_name"), self.prefixes)
        self._clean = self.draft.yaml()
        self._preview_key: Any = None
        self._later = Debouncer(self.refresh, delay=0.35)
        self._building = False
        self._general_key: list[str] = []
        self._preview_store = Store("sqlite://")
        builtin = load_template(DEFAULT_TEMPLATE)
        preview = self._preview_store.create_session(
            "preview", template=DEFAULT_TEMPLATE, template_version=builtin.version
        )
        self._preview_participant = self._preview_store.join(preview.code, "preview")
        self._build()

    # --- building -------------------------------------------------------------------------

    @property
    def prefixes(self) -> dict[str, str]:
        return {
            part: self.m(f"designer.ids.{part}")
            for part in ("block", "question", "option", "column")
        }

    @property
    def dirty(self) -> bool:
        """Whether the draft has changes that are not saved (or were not there at the start)."""
        return self.draft.yaml() != self._clean

    def _context(self) -> Context:
        return Context(
            self.m, self.fields, self.draft, self._changed, self._restructure, self.prefixes
        )

    def _build(self) -> None:
        """Build the whole page (again, after the designer's language changed)."""
        m = self.m
        old = list(self.children)
        self.fields = Fields()
        self._preview_key = None
        self.language_select = w.Dropdown(
            options=[(m(f"designer.languages.{code}"), code) for code in LANGUAGES],
            value=self.language,
            description=m("designer.interface_language"),
            style={"description_width": "initial"},
        )
        self.language_select.observe(self._on_change_language, names="value")
        self.summary = markup()
        self.summary.add_class("nw-designer-summary")
        header = w.HBox(
            [
                markup(f"<h2 style='margin:0'>{html.escape(m('designer.title'))}</h2>"),
                self.summary,
                self.language_select,
            ],
            layout=w.Layout(justify_content="space-between", align_items="center", width="100%"),
        )
        self.problem_list = w.VBox(layout=w.Layout(max_height="7.5em", overflow="auto"))
        self.problem_list.add_class("nw-problems")
        self.tabs = w.Tab(
            children=[
                self._start_panel(),
                self._general_panel(),
                self._blocks_panel(),
                self._save_panel(),
            ],
            titles=tuple(m(f"designer.tabs.{t}") for t in ("start", "general", "blocks", "save")),
        )
        self.tabs.observe(self._on_change_tab, names="selected_index")
        self.children = [
            markup(STYLE),
            header,
            markup(
                f'<p style="color:#555;margin:2px 0 6px">{html.escape(m("designer.intro"))}</p>'
            ),
            self.problem_list,
            self.tabs,
        ]
        for widget in old:
            close_tree(widget)
        self._restructure()
        self._rebuild_general()

    def _on_change_language(self, change: dict[str, Any]) -> None:
        self.language = change["new"]
        self.m = messages(self.language)
        selected = self.tabs.selected_index
        self._build()
        self.tabs.selected_index = selected

    # --- tab 2: the template's own fields ---------------------------------------------------

    def _general_panel(self) -> w.Widget:
        self.general_area = w.VBox(layout=w.Layout(width="100%", max_width="980px"))
        return self.general_area

    # --- tab 3: blocks, questions and the preview --------------------------------------------

    def _blocks_panel(self) -> w.Widget:
        m = self.m
        self.block_select = w.Select(rows=6, layout=w.Layout(width="100%"))
        self.block_select.add_class("nw-block-select")
        self.block_select.observe(self._on_change_block, names="value")
        self.add_block_button = small_button(m("designer.blocks.add"), self.add_block)
        self.block_up_button = small_button(
            m("designer.questions.up"), lambda: self.move_block(-1), tooltip=m("designer.blocks.up")
        )
        self.block_down_button = small_button(
            m("designer.questions.down"),
            lambda: self.move_block(1),
            tooltip=m("designer.blocks.down"),
        )
        self.remove_block_button = small_button(m("designer.blocks.remove"), self.remove_block)
        self.question_select = w.Select(rows=6, layout=w.Layout(width="100%"))
        self.question_select.add_class("nw-question-select")
        self.question_select.observe(self._on_change_question, names="value")
        self.add_question_button = small_button(m("designer.questions.add"), self.add_question)
        self.question_up_button = small_button(
            m("designer.questions.up"),
            lambda: self.move_question(-1),
            tooltip=m("designer.blocks.up"),
        )
        self.question_down_button = small_button(
            m("designer.questions.down"),
            lambda: self.move_question(1),
            tooltip=m("designer.blocks.down"),
        )
        self.remove_question_button = small_button(
            m("designer.blocks.remove"), self.remove_question
        )
        self.blocks_confirm = Confirm(m)
        self.blocks_message = markup()
        self.block_area = w.VBox(layout=w.Layout(width="100%"))
        self.question_area = w.VBox(layout=w.Layout(width="100%"))
        for button in (self.add_block_button, self.add_question_button):
            button.button_style = "primary"
        lists = w.HBox(
            [
                w.VBox(
                    [
                        markup(f"<b>{html.escape(m('designer.blocks.heading'))}</b>"),
                        self.block_select,
                        row(
                            [
                                self.add_block_button,
                                self.block_up_button,
                                self.block_down_button,
                                self.remove_block_button,
                            ]
                        ),
                    ],
                    layout=w.Layout(flex="1 1 50%"),
                ),
                w.VBox(
                    [
                        markup(f"<b>{html.escape(m('designer.questions.heading'))}</b>"),
                        self.question_select,
                        row(
                            [
                                self.add_question_button,
                                self.question_up_button,
                                self.question_down_button,
                                self.remove_question_button,
                            ]
                        ),
                    ],
                    layout=w.Layout(flex="1 1 50%"),
                ),
            ],
            layout=w.Layout(width="100%", grid_gap="0 12px"),
        )
        editor = w.VBox(
            [
                lists,
                self.blocks_confirm,
                self.blocks_message,
                self.block_area,
                markup("<hr style='margin:8px 0'>"),
                self.question_area,
            ],
            layout=w.Layout(flex="1 1 58%", min_width="0", padding="0 12px 0 0"),
        )
        editor.add_class("nw-editor-pane")
        self.preview_language = w.ToggleButtons(
            options=[(code.upper(), code) for code in LANGUAGES],
            value=self.draft.language,
            description=m("designer.preview.language"),
            style={"button_width": "3.5em", "description_width": "initial"},
        )
        self.preview_language.observe(lambda _change: self._show_preview(), names="value")
        self.preview_area = w.VBox(layout=w.Layout(width="100%"))
        self.preview_area.add_class("nw-preview")
        preview = w.VBox(
            [
                markup(f"<b>{html.escape(m('designer.preview.heading'))}</b>"),
                self.preview_language,
                markup(f'<div style="color:#555">{html.escape(m("designer.preview.note"))}</div>'),
                self.preview_area,
            ],
            layout=w.Layout(flex="1 1 42%", min_width="0", border="1px solid #ccc", padding="8px"),
        )
        preview.add_class("nw-preview-panel")
        return w.HBox([editor, preview], layout=w.Layout(width="100%", align_items="flex-start"))

    @property
    def block(self) -> Any:
        return self.draft.blocks[self.block_index]

    def add_block(self) -> None:
        """A new block after the selected one (with one open question)."""
        self.draft.add_block(self.prefixes, self.block_index)
        self.block_index += 1
        self.question_index = 0
        self._restructure()

    def remove_block(self) -> None:
        """Remove the selected block, after asking."""
        m = self.m
        if len(self.draft.blocks) == 1:
            self.blocks_message.value = message_html(m("designer.blocks.last"), "error")
            return
        block = self.block

        def action() -> None:
            self.draft.blocks.remove(block)
            self.block_index = min(self.block_index, len(self.draft.blocks) - 1)
            self.question_index = 0
            self._restructure()

        title = block.title.get(self.language) or block.id
        self.blocks_confirm.ask(
            m("designer.blocks.confirm_remove", title=title, n=len(block.questions)),
            m("designer.blocks.yes_remove"),
            action,
        )

    def move_block(self, offset: int) -> None:
        self.block_index = move(self.draft.blocks, self.block_index, offset)
        self._restructure()

    def add_question(self, kind: str = "text") -> None:
        """A new question (open, until its kind is changed) at the end of the selected block."""
        add_question(self.block, kind, self.prefixes)
        self.question_index = len(self.block.questions) - 1
        self._restructure()

    def remove_question(self) -> None:
        """Remove the selected question, after asking."""
        m = self.m
        block = self.block
        if len(block.questions) == 1:
            self.blocks_message.value = message_html(m("designer.questions.last"), "error")
            return
        question = block.questions[self.question_index]

        def action() -> None:
            block.questions.remove(question)
            self.question_index = min(self.question_index, len(block.questions) - 1)
            self._restructure()

        self.blocks_confirm.ask(
            m(
                "designer.questions.confirm_remove",
                text=short(question.text.get(self.language)) or question.id,
            ),
            m("designer.blocks.yes_remove"),
            action,
        )

    def move_question(self, offset: int) -> None:
        self.question_index = move(self.block.questions, self.question_index, offset)
        self._restructure()

    def select(self, block: int, question: int = 0) -> None:
        """Show block ``block`` and its question ``question`` in the editors."""
        self.block_index = max(0, min(block, len(self.draft.blocks) - 1))
        self.question_index = max(0, min(question, len(self.block.questions) - 1))
        self._restructure()

    def _on_change_block(self, change: dict[str, Any]) -> None:
        if not self._building and change["new"] is not None:
            self.select(change["new"], 0)

    def _on_change_question(self, change: dict[str, Any]) -> None:
        if not self._building and change["new"] is not None:
            self.select(self.block_index, change["new"])

    # --- reacting to changes ----------------------------------------------------------------

    def _changed(self) -> None:
        if not self._building:
            self._later()

    def _restructure(self) -> None:
        """Rebuild the editors of the selected block and question from the draft (parts were
        added, removed, moved or changed kind), then check again."""
        if self._building:
            return
        self._building = True
        try:
            ctx = self._context()
            self.fields.forget("blocks")
            draft = self.draft
            self.block_index = max(0, min(self.block_index, len(draft.blocks) - 1))
            block = self.block
            self.question_index = max(0, min(self.question_index, len(block.questions) - 1))
            old = [*self.block_area.children, *self.question_area.children]
            self.block_area.children = [block_editor(ctx, self.block_index, block)]
            self.question_area.children = [
                question_editor(ctx, self.block_index, self.question_index, block)
            ]
            for widget in old:
                close_tree(widget)
        finally:
            self._building = False
        self.refresh()

    def _rebuild_general(self) -> None:
        """Rebuild the editor of the template's own fields (a new draft; or its tab is
        opened, so that the profile lists the questions there are now)."""
        self._building = True
        try:
            for path in [
                p for p in (*self.fields.inputs, *self.fields.boxes) if not p.startswith("blocks")
            ]:
                self.fields.inputs.pop(path, None)
                self.fields.boxes.pop(path, None)
            old = list(self.general_area.children)
            self._general_key = self.draft.profile_questions()
            self.general_area.children = [general_editor(self._context())]
            for widget in old:
                close_tree(widget)
        finally:
            self._building = False
        self.fields.show(self.problems)

    def _on_change_tab(self, change: dict[str, Any]) -> None:
        # Only when the questions it can name changed: a rebuild while the trainer starts to
        # type would drop what was typed in the old fields.
        if change["new"] == TAB_GENERAL and self._general_key != self.draft.profile_questions():
            self._rebuild_general()

    def refresh(self) -> None:
        """Check the draft, show the problems, update the lists, preview and download."""
        template, problems = check(self.draft, self.file_name.value or "<ontwerp>", self.language)
        self.template, self.problems = template, problems
        self.fields.show(problems)
        self._update_lists()
        self._show_problems()
        self._show_preview()
        self._show_download()
        self._show_about()

    def _count(self, n: int) -> str:
        return (
            self.m("designer.problems.count_one")
            if n == 1
            else self.m("designer.problems.count", n=n)
        )

    def _update_lists(self) -> None:
        troubled = {part_of(p.field) for p in self.problems}
        blocks = {b for b, _ in troubled}
        language = self.language
        untitled = self.m("designer.blocks.untitled")
        self._building = True
        try:
            self.block_select.options = [
                (
                    f"{i + 1}. {short(b.title.get(language), 40) or untitled}"
                    + (" ⚠" if i in blocks else ""),
                    i,
                )
                for i, b in enumerate(self.draft.blocks)
            ]
            self.block_select.value = self.block_index
            kinds = {k: self.m(f"designer.kinds.{k}") for k in QUESTION_KINDS}
            self.question_select.options = [
                (
                    f"{j + 1}. {kinds[q.kind]}: {short(q.text.get(language), 36) or q.id}"
                    + (" ⚠" if (self.block_index, j) in troubled else ""),
                    j,
                )
                for j, q in enumerate(self.block.questions)
            ]
            self.question_select.value = self.question_index
        finally:
            self._building = False
        last_block = len(self.draft.blocks) - 1
        self.block_up_button.disabled = self.block_index == 0
        self.block_down_button.disabled = self.block_index == last_block
        last_question = len(self.block.questions) - 1
        self.question_up_button.disabled = self.question_index == 0
        self.question_down_button.disabled = self.question_index == last_question

    def _show_problems(self) -> None:
        m = self.m
        n = len(self.problems)
        colour = "#b00020" if n else "#1b5e20"
        text = self._count(n) if n else m("designer.problems.none")
        self.summary.value = (
            f'<b style="color:{colour}">{"⚠ " if n else "✓ "}{html.escape(text)}</b>'
        )
        lines: list[w.Widget] = []
        for problem in self.problems[:MAX_LISTED]:
            where = self.where(problem.field)
            text = f"{where}: {problem.problem}" if where else problem.problem
            go = small_button(m("designer.problems.show"), lambda p=problem: self.show_problem(p))
            lines.append(
                w.HBox(
                    [go, markup(f'<span style="color:#b00020">{html.escape(text)}</span>')],
                    layout=w.Layout(align_items="center", grid_gap="0 8px"),
                )
            )
        if n > MAX_LISTED:
            lines.append(markup(html.escape(m("designer.problems.more", n=n - MAX_LISTED))))
        self.problem_list.children = lines

    def where(self, field_path: str) -> str:
        """Where a field path is, in words (``Onderdeel 2 > vraag 1 > hoogste punt``)."""
        m = self.m
        known = catalogue(self.language)
        words: list[str] = []
        block, question = part_of(field_path)
        rest = field_path
        if block is not None:
            words.append(m("designer.problems.block", n=block + 1))
            rest = rest.split("]", 1)[1].lstrip(".")
            if question is not None:
                words.append(m("designer.problems.question", n=question + 1))
                rest = rest.split("]", 1)[1].lstrip(".")
        elif field_path:
            words.append(m("designer.problems.template"))
        for part in filter(None, rest.replace("[", ".[").split(".")):
            if part.startswith("["):
                if words:
                    words[-1] += f" {int(part.strip('[]')) + 1}"
                continue
            key = f"designer.field.{part}"
            words.append(known.get(key, part))
        return " › ".join(words)

    def show_problem(self, problem: TemplateError) -> None:
        """Go to the field of a problem."""
        block, question = part_of(problem.field)
        if block is None:
            self.tabs.selected_index = TAB_GENERAL
            return
        self.tabs.selected_index = TAB_BLOCKS
        self.select(block, question or 0)

    def _show_preview(self) -> None:
        """The selected block as a participant sees it (rebuilt only when it changed)."""
        language = self.preview_language.value
        index = self.block_index
        data = preview_data(self.draft, self.m("designer.preview.blank"))
        data["language"] = language
        key = (index, repr(data["blocks"][index]), language, repr(data.get("profile")))
        if key == self._preview_key:
            return
        self._preview_key = key
        template, block, problem = preview_block(data, index)
        old = list(self.preview_area.children)
        view: w.Widget | None = None
        if block is not None:
            store, participant = self._preview_store, self._preview_participant
            recorder = Recorder(store, participant, template.version, language=language)
            try:
                view = BlockView(template, block, recorder)
            except (NetwerkError, KeyError, ValueError) as exc:  # a form no page could show
                problem = str(exc)
            else:
                # Answers typed in an earlier form of the block may not fit: then none show.
                with contextlib.suppress(NetwerkError, KeyError, ValueError):
                    view.restore(store.current(participant.session, participant.id))
        if view is None:
            note = self.m("designer.preview.impossible", problem=problem)
            view = markup(message_html(note, "error"))
        self.preview_area.children = [view]
        for widget in old:
            close_tree(widget)


def designer_page(
    language: str | None = None, store_url: str | None = None, templates_dir: str | None = None
) -> w.Widget:
    """The designer as ``workbooks/ontwerpen.ipynb`` shows it; ``?taal=en`` in the page's
    address (or ``language``) gives it in English."""
    from ..app import error_message
    from ..page_address import page_query

    try:
        chosen = language or page_query().get(QUERY_LANGUAGE, "nl")
        return Designer(store_url=store_url, templates_dir=templates_dir, language=chosen)
    except NetwerkError as exc:
        return error_message(exc)
