"""Netwerkwerkboek: an interactive workbook for people who work together in networks.

The public surface is small and light to import (participant kernels import it at start-up):
templates, the store and the participant app. The pandas/Altair parts live in
:mod:`netwerk_widgets.analysis` and :mod:`netwerk_widgets.charts`; import them when needed.
"""

from __future__ import annotations

from .errors import NetwerkError, SessionError, StoreError, TemplateError
from .store import Store, load_answers, open_store
from .templates import Template, builtin_templates, load_template

__version__ = "0.1.0"

__all__ = [
    "NetwerkError",
    "SessionError",
    "Store",
    "StoreError",
    "Template",
    "TemplateError",
    "builtin_templates",
    "load_answers",
    "load_template",
    "open_store",
]
