"""The participant app: join a session, then move through the blocks in one kernel.

One Voilà page (``workbooks/start.ipynb``) shows a :class:`ParticipantApp`. It reads the
session code and personal token from the page's query string, or asks for a code and a name.
Moving between blocks swaps the app's children in the same kernel: no new page, no new kernel.
Pandas and Altair are never imported here: group results arrive ready-made from the store.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import ipywidgets as w
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle
from traitlets import Unicode

from ._polling import Poller
from .connection import connection_info
from .errors import NetwerkError, TemplateError
from .follow import WorkshopFollow
from .group_panel import GroupPanel
from .messages import messages
from .page_address import (
    QUERY_BLOCK,
    QUERY_LANGUAGE,
    QUERY_SESSION,
    QUERY_TOKEN,
    page_query,
    personal_link,
    personal_link_html,
)
from .question_views import FULL, SaveStatus, button, text_html
from .recorder import Recorder
from .store import Participant, Session, Store, open_store
from .templates import LANGUAGES, Template, template_for
from .widgets import BlockView

APP_LAYOUT = w.Layout(width="100%", max_width="980px")
JOIN_LAYOUT = w.Layout(width="100%", max_width="640px")
JOIN_TEXT_STYLE = TextStyle(description_width="initial")
HTML_LAYOUT = w.Layout()
HTML_STYLE = HTMLStyle()
HIDDEN = w.Layout(display="none")  # data for the page script (netwerk_widgets.connection)


class JoinForm(w.VBox):
    """Session code and name; anonymous when the name stays empty."""

    def __init__(self, code: str = "", message: str = "", language: str = "nl") -> None:
        m = messages(language)
        self.code = w.Text(
            value=code,
            description=m("page.session_code"),
            placeholder=m("page.code_example"),
            layout=FULL,
            style=JOIN_TEXT_STYLE,
        )
        self.name = w.Text(
            description=m("page.your_name"),
            placeholder=m("page.name_empty"),
            layout=FULL,
            style=JOIN_TEXT_STYLE,
        )
        self.button = button(m("page.join"), "primary")
        self.message = w.HTML(
            text_html(message, "span", "color:#b00020") if message else "",
            layout=HTML_LAYOUT,
            style=HTML_STYLE,
        )
        intro = w.HTML(
            text_html(m("page.join_heading"), "h2") + text_html(m("page.join_intro")),
            layout=HTML_LAYOUT,
            style=HTML_STYLE,
        )
        self.message.add_class("nw-join-message")
        super().__init__(
            [intro, self.code, self.name, self.button, self.message], layout=JOIN_LAYOUT
        )
        self.add_class("nw-join")
        self.add_class(f"nw-lang-{language}")


class ParticipantApp(w.VBox):
    """The whole participant workbook in one widget.

    Attributes
    ----------
    participant : Participant or None
        Who is filling in, once joined.
    block_id : str
        The block on screen (a traitlet: observe it to follow the participant).
    """

    block_id = Unicode("")

    def __init__(
        self,
        store: Store,
        template: Template | None = None,
        query: dict[str, str] | None = None,
        blocks: Sequence[str] | None = None,
    ) -> None:
        super().__init__(layout=APP_LAYOUT)
        self.add_class("nw-app")
        self.store = store
        self.fixed_template = template
        self.template: Template | None = template
        self.session: Session | None = None
        self.participant: Participant | None = None
        self.recorder: Recorder | None = None
        self.blocks: BlockViews = BlockViews(self)
        self.block_ids: list[str] = []
        self.only_blocks = list(blocks) if blocks is not None else None
        query = page_query() if query is None else query
        code, token = query.get(QUERY_SESSION, ""), query.get(QUERY_TOKEN, "")
        self.asked_language = query.get(QUERY_LANGUAGE, "")
        self.language = self.asked_language if self.asked_language in LANGUAGES else "nl"
        if code and token:
            try:
                self.session = store.session(code)
                self.enter(store.participant(code, token), query.get(QUERY_BLOCK))
                return
            except NetwerkError as exc:
                self.show_join(code, exc)
                return
        self.show_join(code)

    # --- joining ----------------------------------------------------------------------

    def show_join(self, code: str = "", message: str | NetwerkError = "") -> None:
        if code and self.asked_language not in LANGUAGES:  # the join form in the session's
            found = self.store.find_session(code)  # language, when the link names it
            try:
                if found is not None:
                    self.language = (
                        self.fixed_template or template_for(found, self.store)
                    ).language
            except NetwerkError:
                pass  # the form shows; joining then says what is wrong
        if isinstance(message, NetwerkError):
            message = message.public_text(self.language)
        self.join_form = JoinForm(code, message, self.language)
        self.join_form.button.on_click(lambda _button: self.join())
        self.connection = w.HTML(connection_info(self.language), layout=HIDDEN)
        self.children = [self.connection, self.join_form]

    def join(self) -> Participant | None:
        """Join with the code and name in the form; shows a Dutch message when that fails.

        Once per page: a double or triple click on "Meedoen" sends its clicks one after the
        other, and each later one finds the page joined already (one participant, not three).
        """
        if self.participant is not None:
            return self.participant
        form = self.join_form
        try:
            self.session = self.store.session(form.code.value)
            if self.fixed_template is None:  # an unreadable workbook: no participant added
                self.template = template_for(self.session, self.store)
            participant = self.store.join(self.session.code, form.name.value)
        except TemplateError as exc:
            self.children = [error_message(exc, self.language)]
            return None
        except NetwerkError as exc:
            form.message.value = text_html(exc.public_text(self.language), "span", "color:#b00020")
            return None
        self.enter(participant)
        return participant

    # --- the workbook -----------------------------------------------------------------

    def enter(self, participant: Participant, block_id: str | None = None) -> None:
        """Show the workbook of a participant, with their answers so far."""
        assert self.session is not None
        self.participant = participant
        if self.fixed_template is None:
            try:
                self.template = template_for(self.session, self.store)
            except TemplateError as exc:  # a message on the page, never the join form again
                self.children = [error_message(exc, self.language)]
                return
        template = self.template
        assert template is not None
        # The page's language: the template's, or the one asked for in the link or the switch
        # (when the template has its texts in it).
        own = self.asked_language if self.asked_language in template.languages else ""
        self.language = own or template.language
        template = self.template = replace(template, language=self.language)
        m = messages(self.language)
        self._dom_classes = (
            *(c for c in self._dom_classes if not c.startswith("nw-lang-")),
            f"nw-lang-{self.language}",
        )
        self.recorder = Recorder(self.store, participant, template.version, language=self.language)
        shown = [b for b in template.blocks if self.only_blocks is None or b.id in self.only_blocks]
        if not shown:
            known = ", ".join(b.id for b in template.blocks)
            msg = m("page.no_such_block", wanted=self.only_blocks, known=known)
            raise TemplateError(template.source, "blocks", msg)
        self.block_ids = [b.id for b in shown]
        self.blocks = BlockViews(self)
        link = personal_link(self.session.code, participant.token, language=own)
        who = "page.you_take_part_anonymous" if participant.anonymous else "page.you_take_part"
        self.header = w.HTML(
            f"<h1>{html.escape(template.t(template.title))}</h1>"
            f"<p>{html.escape(m(who, session=self.session.title))} "
            f"<b>{html.escape(participant.display_name)}</b></p>"
            + personal_link_html(link, self.language)
        )
        self.status = SaveStatus(self.recorder)
        self.link = link
        self.connection = w.HTML(self._connection_info(), layout=HIDDEN)
        self.elsewhere = w.HTML()
        self._stop_following()
        self._seen = self.store.answer_count(self.session.code, participant.id)
        self.follower = Poller(self.follow_elsewhere, FOLLOW_ELSEWHERE_SECONDS)
        titles = [(template.t(b.title), b.id) for b in shown]
        self.navigation = w.Dropdown(
            options=titles,
            description=m("page.block"),
            layout=w.Layout(width="100%", max_width="560px"),
        )
        self.navigation.add_class("nw-navigation")
        self.previous_button = w.Button(
            description=m("page.previous"), layout=w.Layout(width="auto")
        )
        self.next_button = w.Button(
            description=m("page.next"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.language_switch = w.ToggleButtons(
            options=[(code.upper(), code) for code in template.languages],
            value=self.language,
            tooltips=[messages(code)("page.language") for code in template.languages],
            style={"button_width": "3em"},
        )
        self.language_switch.add_class("nw-language")
        self.language_switch.layout.display = None if len(template.languages) > 1 else "none"
        self.language_switch.observe(self._on_change_language, names="value")
        self.previous_button.on_click(lambda _button: self.step(-1))
        self.next_button.on_click(lambda _button: self.step(1))
        self.navigation.observe(self._on_change_navigation, names="value")
        self.block_area = w.Box(layout=FULL)
        self.reminder = w.HTML()
        self.group = GroupPanel(self.store, template, self.session.code)
        self.follow = WorkshopFollow(self)  # the trainer's "Iedereen naar ..." and timer
        self.children = [
            self.connection,
            self.language_switch,
            self.header,
            self.follow,
            self.status,
            self.elsewhere,
            self.navigation,
            self.reminder,
            self.block_area,
            w.HBox([self.previous_button, self.next_button]),
            self.group,
        ]
        first = block_id if block_id in self.block_ids else shown[0].id
        self.show_block(first)
        self.follow.start(asked=block_id in self.block_ids)
        self.follower.start()

    def _connection_info(self) -> str:
        assert self.session is not None and self.participant is not None
        return connection_info(
            self.language,
            session=self.session.code,
            participant=self.participant.id,
            link=self.link,
            block=self.block_id,
        )

    def _stop_following(self) -> None:
        follower = getattr(self, "follower", None)
        if follower is not None:
            follower.stop()

    def follow_elsewhere(self) -> bool:
        """Show answers this participant saved in another tab or on another device.

        Two pages on one personal link each show the answers as they were when the page
        opened; without this the one would keep showing (and, on the next edit of the same
        field, overwrite) what the other saved. Every few seconds the page counts the
        participant's stored values: more than this page stored means another page saved
        something. What this page is typing is saved first, then every block built so far
        shows the current answers again, with a note saying why. ``True`` when it did.
        """
        if self.participant is None or self.session is None or self.recorder is None:
            return False
        count = self.store.answer_count(self.session.code, self.participant.id)
        if count <= self._seen + self.recorder.saved_rows:
            return False
        for view in self.blocks.values():
            view.settle()
        if not self.recorder.flush():
            return False  # the store is away: nothing to show yet, try again later
        count = self.store.answer_count(self.session.code, self.participant.id)
        self._seen = count - self.recorder.saved_rows
        answers = self.store.current(self.session.code, self.participant.id)
        for block_id, view in self.blocks.items():
            view.restore(row for row in answers if row["block"] == block_id)
        self.elsewhere.value = text_html(
            messages(self.language)("reliability.changed_elsewhere"), "p", "color:#8a5300"
        )
        return True

    def _on_change_language(self, change: dict[str, Any]) -> None:
        """Show the whole workbook again in the chosen language (answers are in the store)."""
        assert self.recorder is not None and self.participant is not None
        if change["new"] == self.language or not self.recorder.flush():
            return  # nothing to do, or answers still waiting to be saved: keep this page
        self.asked_language = change["new"]
        self.group.poller.stop()
        self.follow.poller.stop()
        self._stop_following()
        self.enter(self.participant, self.block_id)

    def _on_change_navigation(self, change: dict[str, Any]) -> None:
        if change["new"] != self.block_id:  # not the echo of show_block setting it
            self.show_block(change["new"])

    def show_block(self, block_id: str) -> None:
        """Put a block on screen (answers are saved already; nothing is lost moving on).

        Moving on is always allowed; required questions left open in the block the
        participant leaves are named in a reminder above the next one.
        """
        leaving = self.block_id if self.block_id in self.blocks else None
        missing = self.blocks[leaving].missing_required() if leaving not in (None, block_id) else []
        self.reminder.value = (
            text_html(
                messages(self.language)("page.still_required", questions="; ".join(missing)),
                "p",
                "color:#8a5300",
            )
            if missing
            else ""
        )
        self.block_id = block_id
        self.navigation.value = block_id
        self.blocks[block_id].refresh()
        self.block_area.children = [self.blocks[block_id]]
        ids = self.block_ids
        index = ids.index(block_id)
        self.previous_button.disabled = index == 0
        self.next_button.disabled = index == len(ids) - 1
        self.group.block_id = block_id
        self.connection.value = self._connection_info()

    def step(self, offset: int) -> None:
        """Go to the previous (-1) or next (+1) block."""
        ids = self.block_ids
        index = min(max(ids.index(self.block_id) + offset, 0), len(ids) - 1)
        self.show_block(ids[index])


class BlockViews(dict[str, BlockView]):
    """The app's block views, each built the first time it is needed.

    Building every block at once would create well over a thousand widgets before the
    participant sees anything; built on demand, the first page stays small and each later
    block appears in a fraction of a second, with the participant's answers restored.
    """

    def __init__(self, app: ParticipantApp) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, block_id: str) -> BlockView:
        app = self.app
        if block_id not in app.block_ids:
            raise KeyError(block_id)
        assert app.template is not None and app.recorder is not None and app.session is not None
        view = BlockView(app.template, app.template.block(block_id), app.recorder)
        answers = app.store.current(app.session.code, app.recorder.participant.id)
        view.restore(row for row in answers if row["block"] == block_id)
        self[block_id] = view
        return view


FOLLOW_ELSEWHERE_SECONDS = 3.0
"""Seconds between two looks for answers this participant saved on another page."""


def error_message(exc: NetwerkError, language: str = "nl") -> w.HTML:
    """An error in the page, in plain words, instead of a traceback."""
    text = messages(language)("page.cannot_open", problem=exc.public_text(language))
    return w.HTML(text_html(text, "p", "color:#b00020;font-weight:600"))


def participant_page(blocks: Sequence[str] | None = None, url: str | None = None) -> w.Widget:
    """The participant app on the default store, or a clear message when that fails.

    What the notebooks in ``workbooks/`` show: a wrong ``NETWERK_DB_URL``, a store that is
    down or a broken template gives a sentence in Dutch on the page, not a traceback.
    """
    try:
        return ParticipantApp(open_store(url), blocks=blocks)
    except NetwerkError as exc:
        return error_message(exc)
