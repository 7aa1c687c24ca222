"""One exception hierarchy for the package.

Every message is written for the person who sees it: in Dutch, saying what went wrong and
what to do about it. Callers catch :class:`NetwerkError` to show the message as it is.
"""

from __future__ import annotations


class NetwerkError(Exception):
    """Base class of every error this package raises on purpose."""


class TemplateError(NetwerkError):
    """A workbook template is missing, unreadable or not valid.

    Attributes
    ----------
    source : str
        The file (or name) of the template.
    field : str
        Where in the template the problem is, e.g. ``blocks[1].questions[0].kind``.
    problem : str
        What is wrong and what is expected, in Dutch.
    """

    def __init__(self, source: str, field: str, problem: str) -> None:
        self.source = source
        self.field = field
        self.problem = problem
        where = f"{source}: {field}" if field else source
        super().__init__(f"{where}: {problem}")


class StoreError(NetwerkError):
    """The answer store cannot be reached or refused a write."""


class SessionError(NetwerkError):
    """A session code, participant link or trainer key is not valid."""
