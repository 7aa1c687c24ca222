"""The designer's last tab: save (into the templates folder, or download), see what changed,
start a session."""

from __future__ import annotations

import base64
import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..errors import NetwerkError, TemplateError
from ..sessions import start_session
from ..store import Store
from ..templates import (
    describe_change,
    diff_templates,
    load_template,
)
from .fields import Confirm, markup, message_html, row, small_button, width
from .model import file_name, write_template
from .sessions import server_address, session_links


class SaveTab:
    """What :class:`~netwerk_widgets.designer.page.Designer` does in its last tab."""

    def _save_panel(self) -> w.Widget:
        m = self.m
        self.file_name = w.Text(
            value=f"{self.draft.name}.yaml",
            description=m("designer.save.file_name"),
            style={"description_width": "initial"},
            layout=w.Layout(width="30em"),
        )
        self.file_name.add_class("nw-file-name")
        self.save_button = small_button(m("designer.save.save"), self.save, style="primary")
        self.save_confirm = Confirm(m)
        self.save_message = markup()
        self.save_message.add_class("nw-save-message")
        self.download = markup()
        self.download.add_class("nw-download")
        self.changes = markup()
        self.session_title = w.Text(layout=width("36em"))
        self.session_network = w.Text(layout=width("36em"))
        self.session_code = w.Text(layout=width("12em"))
        self.start_button = small_button(m("designer.session.start"), self.start, style="success")
        self.session_info = markup()
        self.session_info.add_class("nw-session-info")
        return w.VBox(
            [
                markup(f"<h3>{html.escape(m('designer.save.heading'))}</h3>"),
                markup(message_html(m("designer.save.folder", folder=self.templates_dir))),
                row([self.file_name, self.save_button]),
                self.save_confirm,
                self.save_message,
                self.download,
                self.changes,
                markup(f"<h3>{html.escape(m('designer.session.heading'))}</h3>"),
                row(
                    [
                        labelled(m("designer.session.title"), self.session_title),
                        labelled(m("designer.session.code"), self.session_code),
                    ]
                ),
                labelled(m("designer.session.network"), self.session_network),
                row([self.start_button]),
                self.session_info,
            ]
        )

    def save(self, overwrite: bool = False) -> Path | None:
        """Save the draft into the templates folder; asks before replacing a file.

        Returns the file, or ``None`` when nothing was written (problems, a bad name, or a
        file of that name that the trainer has not yet agreed to replace).
        """
        m = self.m
        self.refresh()
        name = file_name(self.file_name.value)
        if not name:
            self.save_message.value = message_html(m("designer.save.bad_name"), "error")
            return None
        if self.problems:
            count = self._count(len(self.problems))
            self.save_message.value = message_html(
                m("designer.save.not_valid", count=count), "error"
            )
            return None
        text = self.draft.yaml(m("designer.file_comment"))
        try:
            path = write_template(self.templates_dir, name, text, overwrite=overwrite)
        except FileExistsError:
            existing = self.templates_dir / name
            try:
                version = load_template(existing).version
            except NetwerkError:
                version = "?"
            self.save_confirm.ask(
                m("designer.save.exists", name=name, version=version),
                m("designer.save.overwrite"),
                lambda: self.save(overwrite=True),
            )
            return None
        except OSError as exc:
            self.save_message.value = message_html(m("designer.save.failed", problem=exc), "error")
            return None
        self.saved_path = path
        self._clean = self.draft.yaml()
        self.file_name.value = name
        self.save_message.value = message_html(m("designer.save.saved", path=path), "ok")
        self.refresh_own()
        return path

    def start(self) -> Any:
        """Start a session from the saved template; shows its code, links and trainer key."""
        m = self.m
        if self.saved_path is None or self.dirty:
            self.session_info.value = message_html(m("designer.session.save_first"), "error")
            return None
        template = load_template(self.saved_path)
        title = self.session_title.value.strip() or template.t(template.title)
        try:
            with Store(self.store_url) as store:
                session, _template = start_session(
                    store,
                    self.saved_path,
                    title,
                    code=self.session_code.value.strip() or None,
                    network=self.session_network.value.strip() or None,
                )
        except NetwerkError as exc:
            problem = exc.problem if isinstance(exc, TemplateError) else exc.text(m.language)
            self.session_info.value = message_html(
                m("designer.session.failed", problem=problem), "error"
            )
            return None
        participants, trainer = session_links(session, self.server or server_address())

        def line(label: str, value: str, link: bool = False) -> str:
            shown = html.escape(value)
            if link:
                shown = f'<a href="{shown}" target="_blank">{shown}</a>'
            head = f"<th style='text-align:left;padding-right:1em'>{html.escape(label)}</th>"
            return f"<tr>{head}<td>{shown}</td></tr>"

        self.session_info.value = (
            message_html(m("designer.session.started", title=session.title), "ok")
            + "<table class='nw-session'>"
            + line(m("designer.session.code_label"), session.code)
            + line(m("designer.session.link"), participants, link=True)
            + line(m("designer.session.trainer_link"), trainer, link=True)
            + line(m("designer.session.key"), session.trainer_key)
            + "</table>"
        )
        return session

    def _show_download(self) -> None:
        m = self.m
        text = self.draft.yaml(m("designer.file_comment"))
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        name = html.escape(file_name(self.file_name.value) or f"{self.draft.name}.yaml")
        label = (
            m("designer.save.download_invalid", count=self._count(len(self.problems)))
            if self.problems
            else m("designer.save.download")
        )
        self.download.value = (
            f'<a download="{name}" href="data:application/x-yaml;base64,{data}" '
            'class="nw-download-link" style="display:inline-block;padding:4px 12px;'
            f'border:1px solid #1976d2;border-radius:3px;color:#1976d2">⬇ {html.escape(label)}</a>'
        )
        if self.origin is None or self.template is None:
            self.changes.value = ""
            return
        changes = diff_templates(self.origin, self.template)
        items = (
            "".join(
                f"<li>{html.escape(describe_change(c, self.language))}</li>" for c in changes[:40]
            )
            or f"<li>{html.escape(m('designer.save.no_changes'))}</li>"
        )
        heading = m("designer.save.changes", origin=self.origin_name)
        self.changes.value = f"<p><b>{html.escape(heading)}</b></p><ul>{items}</ul>"


def labelled(label: str, widget: w.Widget) -> w.Widget:
    """``widget`` under a bold label."""
    return w.VBox([markup(f"<b>{html.escape(label)}</b>"), widget])
