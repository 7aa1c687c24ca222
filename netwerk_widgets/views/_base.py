"""The registry of result views and what every view gets: a :class:`Context`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from .. import analysis
from ..messages import Messages, messages
from ..results import Note, Section
from ..store import Session
from ..templates import Block, Template, Text

log = logging.getLogger(__name__)


ViewFunction = Callable[["Context", Block], tuple[list[Section], set[str]]]
"""A view: sections for a block, and the ids of the questions it covered."""

_REGISTRY: dict[str, ViewFunction] = {}


def register(name: str) -> Callable[[ViewFunction], ViewFunction]:
    """Register a view under the name templates use in ``results: {view: name}``."""

    def decorate(function: ViewFunction) -> ViewFunction:
        _REGISTRY[name] = function
        return function

    return decorate


def registered() -> list[str]:
    """Names of the registered views."""
    return sorted(_REGISTRY)


@dataclass
class Context:
    """What a view needs: the session's answers, who gave them, the template and language.

    Attributes
    ----------
    answers : DataFrame
        The session's current answers (:func:`~netwerk_widgets.load_answers`).
    participants : DataFrame
        :func:`~netwerk_widgets.load_participants` of the session.
    earlier : callable, optional
        Returns the latest earlier session of the same network and its answers, or
        ``None``; only the conditions view asks for it.
    """

    template: Template
    session: str
    answers: pd.DataFrame
    participants: pd.DataFrame
    language: str = ""
    earlier: Callable[[], tuple[Session, pd.DataFrame] | None] = field(
        default=lambda: None, repr=False
    )

    def __post_init__(self) -> None:
        self.language = self.language or self.template.language

    @property
    def m(self) -> Messages:
        return messages(self.language)

    def t(self, text: Text | None) -> str:
        """A template text in the language of these results."""
        return text.get(self.language) if text is not None else ""

    @cached_property
    def profiles(self) -> pd.DataFrame:
        return analysis.participant_profiles(
            self.answers, self.participants, template=self.template
        )

    def names(self) -> dict[str, str]:
        """Participant id to display name."""
        frame = self.participants
        return dict(zip(frame["participant"], frame["display_name"], strict=True))

    def no_answers(self) -> Note:
        return Note(self.m("results.no_answers"))


def _guarded(context: Context, build: Callable[[], Any]) -> Any:
    try:
        return build()
    except Exception:  # a template we did not foresee must not take the screen down
        log.exception("results view failed for session %s", context.session)
        return None


def _failed(context: Context, view: str) -> Note:
    return Note(context.m("results.not_drawable", view=view), "warning")
