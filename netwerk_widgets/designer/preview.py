"""The designer's preview: the selected block as a participant sees it, while it is written."""

from __future__ import annotations

import copy
from typing import Any

import ipywidgets as w

from ..errors import TemplateError
from ..templates import dump_data, parse_template
from .model import TemplateDraft


def preview_data(draft: TemplateDraft, blank: str) -> dict[str, Any]:
    """The draft's data with every text a participant must see filled in (``blank`` where
    it is still empty), so that a block being written can be shown already."""
    data = copy.deepcopy(draft.data())
    data.setdefault("title", blank)
    for block in data.get("blocks", []):
        block.setdefault("title", blank)
        for question in block.get("questions", []):
            question.setdefault("text", blank)
            for option in question.get("options", []):
                option.setdefault("label", blank)
            if "labels" in question:
                question["labels"] = [label or blank for label in question["labels"]]
            for column in question.get("columns", []):
                column.setdefault("label", blank)
                for option in column.get("options", []):
                    option.setdefault("label", blank)
    return data


def preview_block(data: dict[str, Any], index: int) -> tuple[Any, Any, str]:
    """``(template, block, '')`` to preview block ``index`` of template data, or
    ``(None, None, problem)`` when even that block on its own is not valid."""
    try:
        template = parse_template(dump_data(data), "<voorbeeld>")
        return template, template.blocks[index], ""
    except TemplateError:
        pass
    alone = {**data, "blocks": [data["blocks"][index]]}
    alone.pop("profile", None)
    try:
        template = parse_template(dump_data(alone), "<voorbeeld>")
    except TemplateError as exc:
        return None, None, exc.problem
    return template, template.blocks[0], ""


def close_tree(widget: w.Widget) -> None:
    """Close a widget and every widget inside it (not their shared layouts and styles)."""
    for child in getattr(widget, "children", ()):
        close_tree(child)
    widget.close()
