"""Group results as widgets: a thin view over the sections of a results payload.

The participant page and the trainer screen show the same :class:`ResultsView`. It receives
ready-made sections (:func:`netwerk_widgets.results.from_payload`: SVG and text, no
DataFrames) and renders them with :mod:`netwerk_widgets.render`; new results of the same
shape update the widgets already on the page, so a refreshed chart does not flicker or make
the page jump. Pandas-free: participant kernels import it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as w

from .render import STYLE, sections_html
from .results import BlockResults, Chart, Section, Switch

FULL = w.Layout(width="100%")


class SwitchView(w.VBox):
    """A :class:`~netwerk_widgets.results.Switch`: buttons to pick one of its alternatives."""

    def __init__(self, section: Switch) -> None:
        self.choice = w.ToggleButtons(
            description=section.label, style={"description_width": "initial"}
        )
        self.content = w.HTML(layout=FULL)
        self.choice.observe(self._on_change_value, names="value")
        super().__init__([self.choice, self.content], layout=FULL)
        self.add_class("nw-switch")
        self.update(section)

    def update(self, section: Switch) -> None:
        """Show ``section``'s alternatives, keeping the one chosen if it is still there."""
        self.section = section
        labels = [label for label, _ in section.options]
        current = self.choice.value
        self.choice.description = section.label
        if list(self.choice.options) != labels:
            self.choice.options = labels
        chosen = current if current in labels else (labels[0] if labels else None)
        if self.choice.value != chosen:
            self.choice.value = chosen
        self._on_change_value()

    def _on_change_value(self, _change: Any = None) -> None:
        chosen = dict(self.section.options).get(self.choice.value, ())
        html = sections_html(chosen)
        if self.content.value != html:
            self.content.value = html


def runs(sections: Sequence[Section]) -> list[Switch | list[Section]]:
    """``sections`` with each run of consecutive sections other than switches in one list.

    A run becomes one HTML widget: a page then gets a few widgets per block instead of two
    per section, so a reveal to fifty phones sends (and the server forwards) far fewer
    messages.
    """
    grouped: list[Switch | list[Section]] = []
    for section in sections:
        if isinstance(section, Switch):
            grouped.append(section)
        elif grouped and isinstance(grouped[-1], list):
            grouped[-1].append(section)
        else:
            grouped.append([section])
    return grouped


def run_widget(run: Switch | list[Section]) -> w.Widget:
    """A new widget that shows a switch, or a run of other sections."""
    if isinstance(run, Switch):
        return SwitchView(run)
    widget = w.HTML(sections_html(run), layout=FULL)
    widget.add_class("nw-sections")
    if any(isinstance(section, Chart) for section in run):
        widget.add_class("nw-chart-box")
    return widget


class ResultsView(w.VBox):
    """The group results of one block, updated in place when new results arrive.

    Attributes
    ----------
    results : BlockResults or None
        What is on screen.
    """

    def __init__(self, results: BlockResults | None = None) -> None:
        super().__init__(layout=FULL)
        self.add_class("nw-results")
        self.results: BlockResults | None = None
        self._style = w.HTML(STYLE)
        self.children = [self._style]
        if results is not None:
            self.show(results)

    def show(self, results: BlockResults) -> None:
        """Put ``results`` on screen, reusing the widgets of the sections already there."""
        self.results = results
        self.show_sections(results.sections)
        # Which block is on screen, for people and tests that read the page.
        kept = [c for c in self._dom_classes if not c.startswith("nw-shows-")]
        self._dom_classes = (*kept, f"nw-shows-{results.block}")

    def clear(self) -> None:
        """Take the results off screen, and the block's name off the view."""
        self.results = None
        self.show_sections([])
        self._dom_classes = tuple(c for c in self._dom_classes if not c.startswith("nw-shows-"))

    def show_sections(self, sections: Sequence[Section]) -> None:
        old = list(self.children[1:])
        merged: list[w.Widget] = []
        for index, run in enumerate(runs(sections)):
            current = old[index] if index < len(old) else None
            if isinstance(run, Switch) and isinstance(current, SwitchView):
                current.update(run)
                merged.append(current)
            elif not isinstance(run, Switch) and type(current) is w.HTML:
                html = sections_html(run)
                if current.value != html:
                    current.value = html
                has_chart = any(isinstance(section, Chart) for section in run)
                if has_chart != ("nw-chart-box" in current._dom_classes):
                    (current.add_class if has_chart else current.remove_class)("nw-chart-box")
                merged.append(current)
            else:
                merged.append(run_widget(run))
        if [id(x) for x in merged] != [id(x) for x in old]:
            self.children = [self._style, *merged]
        for widget in old:
            if widget not in merged:
                widget.close()

    def text(self) -> str:
        """Everything on screen as HTML (for tests and the trainer's checks)."""
        parts = []
        for child in self.children[1:]:
            if isinstance(child, SwitchView):
                parts.append(child.content.value)
            else:
                parts.append(child.value)
        return "\n".join(parts)
