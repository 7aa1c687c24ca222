"""Netwerkwerkboek: an interactive workbook for people who work together in networks.

The public surface is small and light to import (participant kernels import it at start-up):
templates, the store and the participant app. For analysts, the one-line loaders
:func:`open_store`, :func:`list_sessions`, :func:`load_answers` and
:func:`load_participants` give DataFrames; ``list_sessions`` and ``load_participants`` live
in :mod:`netwerk_widgets.analysis` and are imported (with pandas) only when first used. The
pandas/Altair views live in :mod:`netwerk_widgets.analysis`, :mod:`netwerk_widgets.charts`,
:mod:`netwerk_widgets.conditions` and :mod:`netwerk_widgets.network`; import them when
needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import NetwerkError, SessionError, StoreError, TemplateError
from .store import Store, load_answers, open_store
from .templates import Template, builtin_templates, load_template

if TYPE_CHECKING:
    from .analysis import list_sessions, load_participants

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

_FROM_ANALYSIS = ("list_sessions", "load_participants")


def __getattr__(name: str) -> Any:
    # The analysts' loaders need pandas; import it on first use, not for every participant.
    if name in _FROM_ANALYSIS:
        from . import analysis

        return getattr(analysis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FROM_ANALYSIS})
