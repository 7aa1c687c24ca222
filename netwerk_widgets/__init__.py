"""Netwerkwerkboek: an interactive workbook for people who work together in networks.

The public surface is small and light to import (participant kernels import it at start-up):
templates, the store and the participant app. For analysts, the one-line loaders
:func:`open_store`, :func:`list_sessions`, :func:`load_answers` and
:func:`load_participants` give DataFrames (:mod:`netwerk_widgets.loading`, which imports
pandas only when a loader is first called). The pandas/Altair views live in
:mod:`netwerk_widgets.analysis`, :mod:`netwerk_widgets.charts`,
:mod:`netwerk_widgets.conditions` and :mod:`netwerk_widgets.network`; import them when
needed.
"""

from __future__ import annotations

from .errors import NetwerkError, SessionError, StoreError, TemplateError
from .loading import list_sessions, load_answers, load_participants
from .store import Store, open_store
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
    "list_sessions",
    "load_answers",
    "load_participants",
    "load_template",
    "open_store",
]
