"""Result views: what a block's group results contain, built from DataFrames.

A block's template says which view draws its group results (``results: {view: ...}``, see
:data:`netwerk_widgets.templates.VIEWS`); without one each question is shown by its kind.
A view returns the sections of :mod:`netwerk_widgets.results` and the ids of the questions
it covered; every other question of the block follows with the view of its kind. Views are
registered by name (:func:`register`), like Altair's renderers or papermill's engines, so a
new view is one function and one decorator.

:func:`block_results` builds the model for one block; :func:`compute` does the same from
the store and returns the payload that the results worker caches and every screen renders.
A view that fails for some template shows a message in its place and never takes the
rest of the block (or the screen) down with it.

This module imports pandas and Altair: the results worker and the report use it, never a
participant's kernel.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from .. import analysis
from ..loading import load_answers
from ..results import BlockResults, Section
from ..store import Session, Store
from ..templates import Block, Template, template_for
from . import generic, netwerkmodel, scan  # noqa: F401  (importing them registers their views)
from ._base import _REGISTRY, Context, _failed, _guarded, register, registered
from .generic import questions_sections

__all__ = ["Context", "block_results", "compute", "earlier_session", "register", "registered"]


def block_results(
    template: Template,
    session: str,
    block_id: str,
    answers: pd.DataFrame,
    participants: pd.DataFrame,
    *,
    language: str | None = None,
    earlier: Callable[[], tuple[Session, pd.DataFrame] | None] | None = None,
) -> BlockResults:
    """The group results of one block as a :class:`~netwerk_widgets.results.BlockResults`.

    Parameters
    ----------
    answers, participants : DataFrame
        The session's answers and participants (other sessions' rows are ignored).
    language : str, optional
        The language of every text (default: the template's).
    earlier : callable, optional
        See :class:`Context`.
    """
    context = Context(
        template,
        session,
        answers.loc[answers["session"] == session] if len(answers) else answers,
        participants,
        language or template.language,
        earlier or (lambda: None),
    )
    block = template.block(block_id)
    return BlockResults(
        session=session,
        block=block.id,
        title=context.t(block.title),
        language=context.language,
        sections=tuple(block_sections(context, block)),
    )


def block_sections(context: Context, block: Block) -> list[Section]:
    """The sections of a block: its declared view, then every question it left out."""
    if context.answers.loc[context.answers["block"] == block.id].empty:
        return [context.no_answers()]
    sections: list[Section] = []
    covered: set[str] = set()
    view = _REGISTRY.get(block.results.view, _REGISTRY["questions"])
    found = _guarded(context, lambda: view(context, block))
    if found is not None:
        own, covered = found
        sections.extend(own)
    else:
        sections.append(_failed(context, block.results.view))
    rest = [q for q in block.questions if q.id not in covered]
    if rest and view is not _REGISTRY["questions"]:
        found = _guarded(context, lambda: questions_sections(context, block, rest))
        sections.extend(found if found is not None else [_failed(context, "questions")])
    return sections


def compute(store: Store, session: str, block: str, language: str | None = None) -> dict[str, Any]:
    """The payload of one block's group results, from the store (what the worker caches)."""
    from ..results import to_payload

    info = store.session(session)
    template = template_for(info, store)
    answers = load_answers(info.code, store=store)
    participants = analysis.load_participants(info.code, store=store)
    results = block_results(
        template,
        info.code,
        block,
        answers,
        participants,
        language=language,
        earlier=lambda: earlier_session(store, info),
    )
    return to_payload(results)


def earlier_session(store: Store, current: Session) -> tuple[Session, pd.DataFrame] | None:
    """The latest earlier session of the same network and its answers (or ``None``).

    Only sessions explicitly put in one network (``--network``) are compared: a session
    without one is compared with nothing, and two older sessions whose network is just their
    own title (the default before) are not taken for one network.
    """

    def implicit(session: Session) -> bool:
        return session.network == session.title

    earlier = [
        s
        for s in store.sessions()
        if current.network
        and s.network == current.network
        and not (implicit(s) and implicit(current))
        and s.created_at < current.created_at
    ]
    if not earlier:
        return None
    latest = max(earlier, key=lambda s: s.created_at)
    return latest, load_answers(latest.code, store=store)
