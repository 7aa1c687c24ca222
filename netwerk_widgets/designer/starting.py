"""The designer's first tab: where a template starts (new, built-in, own file, upload)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import ipywidgets as w

from ..errors import NetwerkError, TemplateError
from ..templates import (
    Template,
    builtin_templates,
    check_template,
    load_template,
    own_template_files,
)
from .fields import Confirm, markup, message_html, row, short, small_button
from .model import TemplateDraft


class StartTab:
    """What :class:`~netwerk_widgets.designer.page.Designer` does in its first tab."""

    def _start_panel(self) -> w.Widget:
        m = self.m
        self.new_button = small_button(m("designer.start.new"), self.new_template, style="primary")
        self.builtin_select = w.Dropdown(options=builtin_templates(), layout=w.Layout(width="20em"))
        self.builtin_button = small_button(
            m("designer.start.open"), lambda: self.open_builtin(self.builtin_select.value)
        )
        self.own_select = w.Dropdown(layout=w.Layout(width="32em"))
        self.own_button = small_button(m("designer.start.open"), self._open_selected_own)
        self.own_reload = small_button(m("designer.start.reload"), self.refresh_own)
        self.upload = w.FileUpload(
            accept=".yaml,.yml", multiple=False, description=m("designer.start.upload_button")
        )
        self.upload.observe(self._on_upload, names="value")
        self.start_message = markup()
        self.start_message.add_class("nw-start-message")
        self.start_confirm = Confirm(m)
        self.about = markup()
        self.about.add_class("nw-about")
        self.refresh_own()

        def section(title: str, *parts: w.Widget) -> w.Widget:
            return w.VBox(
                [markup(f"<b>{html.escape(title)}</b>"), row(list(parts))],
                layout=w.Layout(margin="0 0 12px 0"),
            )

        return w.VBox(
            [
                section(m("designer.start.new_help"), self.new_button),
                section(m("designer.start.builtin"), self.builtin_select, self.builtin_button),
                section(
                    m("designer.start.own", folder=self.templates_dir),
                    self.own_select,
                    self.own_button,
                    self.own_reload,
                ),
                section(m("designer.start.upload"), self.upload),
                self.start_confirm,
                self.start_message,
                self.about,
            ]
        )

    def _show_about(self) -> None:
        """What the template in the designer is: title, version, language, blocks, who made
        it, its licence and description (as ``netwerk template list`` shows them)."""
        template, m = self.template, self.m
        if template is None:
            self.about.value = ""
            return
        lines = [
            m(
                "designer.start.current",
                title=template.t(template.title),
                version=template.version,
                language=template.language,
                blocks=len(template.blocks),
            )
        ]
        about = [m("designer.list.author", author=template.author)] if template.author else []
        if template.license:
            about.append(m("designer.list.license", license=template.license))
        if about:
            lines.append(" · ".join(about))
        if template.description is not None:
            lines.append(template.description.get(self.language))
        items = "".join(f"<div>{html.escape(line)}</div>" for line in lines)
        self.about.value = f'<div style="border-top:1px solid #ddd;padding-top:6px">{items}</div>'

    def refresh_own(self) -> None:
        """List the templates in the templates folder again."""
        options = []
        for path in own_template_files(self.templates_dir):
            try:
                template = load_template(path)
            except NetwerkError:
                label = self.m("designer.start.own_broken", name=path.name)
            else:
                label = self.m(
                    "designer.start.own_line",
                    name=path.name,
                    title=short(template.t(template.title), 50),
                    version=template.version,
                )
            options.append((label, str(path)))
        self.own_select.options = options or [(self.m("designer.start.own_none"), "")]
        self.own_select.index = 0
        self.own_button.disabled = not options

    def _replace(self, action: Any) -> None:
        """Do ``action`` (open another template), asking first when changes would be lost."""
        if self.dirty:
            self.start_confirm.ask(
                self.m("designer.start.discard"), self.m("designer.start.discard_yes"), action
            )
        else:
            action()

    def new_template(self) -> None:
        """Start again from one block with one open question."""

        def action() -> None:
            draft = TemplateDraft.blank(self.m("designer.new_name"), self.prefixes)
            self._load(draft, None, "", None)

        self._replace(action)

    def open_builtin(self, name: str) -> None:
        """Start from a built-in template."""
        self._replace(lambda: self._open(load_template(name), name, None))

    def open_file(self, path: str | Path) -> bool:
        """Start from a template file (one of the trainer's own); ``False`` when it is broken."""
        path = Path(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            self._show_broken(path.name, None)
            return False
        return self._open_text(raw, path.name, path)

    def _open_selected_own(self) -> None:
        if self.own_select.value:
            self.open_file(self.own_select.value)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        name, content = upload["name"], bytes(upload["content"])
        self.upload.value = ()  # the same file can be chosen again
        try:
            raw = content.decode("utf-8")
        except UnicodeDecodeError:
            self._show_broken(name, None)
            return
        self._open_text(raw, name, None)

    def _open_text(self, raw: str, name: str, path: Path | None) -> bool:
        template, problems = check_template(raw, name, self.language)
        if problems or template is None:
            self._show_broken(name, problems)
            return False
        self._replace(lambda: self._open(template, name, path))
        return True

    def _show_broken(self, name: str, problems: list[TemplateError] | None) -> None:
        m = self.m
        if problems is None:
            self.start_message.value = message_html(
                m("designer.start.unreadable", name=name), "error"
            )
            return
        items = "".join(f"<li>{html.escape(str(p))}</li>" for p in problems)
        self.start_message.value = (
            message_html(m("designer.start.broken", name=name), "error")
            + f'<ul style="color:#b00020">{items}</ul>'
        )

    def _open(self, template: Template, name: str, path: Path | None) -> None:
        self._load(TemplateDraft.of(template), template, name, path)

    def _load(
        self, draft: TemplateDraft, origin: Template | None, name: str, path: Path | None
    ) -> None:
        self.draft = draft
        self.origin, self.origin_name, self.saved_path = origin, name, path
        self._clean = draft.yaml()
        self.block_index = self.question_index = 0
        self.file_name.value = path.name if path is not None else f"{draft.name}.yaml"
        self.session_title.value = ""
        self.session_info.value = self.save_message.value = ""
        self._restructure()
        self._rebuild_general()
        if origin is not None:
            self.start_message.value = message_html(
                self.m(
                    "designer.start.opened",
                    title=origin.t(origin.title),
                    version=origin.version,
                    blocks=len(origin.blocks),
                ),
                "ok",
            )
        else:
            self.start_message.value = ""
