"""One exception hierarchy for the package.

Every message is written for the person who sees it, saying what went wrong and what to do
about it. An error raised with a catalogue ``key`` can be shown in any language
(:meth:`NetwerkError.text`); ``str(error)`` is its Dutch text. Callers catch
:class:`NetwerkError` to show the message as it is.
"""

from __future__ import annotations


class NetwerkError(Exception):
    """Base class of every error this package raises on purpose.

    Parameters
    ----------
    message : str, optional
        The message as it is (Dutch), for errors whose text is not in the catalogue.
    key : str, optional
        A key of the message catalogues (``"errors.unknown_session"``); ``values`` fill its
        placeholders. The page shows it in the reader's language.
    """

    def __init__(self, message: str = "", /, *, key: str | None = None, **values: object) -> None:
        self.key = key
        self.values = values
        super().__init__(message or (_catalogue_text(key, values, "nl") if key else ""))

    def text(self, language: str = "nl") -> str:
        """The message in ``language`` (its catalogue text when it has a key)."""
        if self.key is None:
            return str(self)
        return _catalogue_text(self.key, self.values, language)

    def public_text(self, language: str = "nl") -> str:
        """The message for a participant's page: like :meth:`text`, but a message that
        names a store URL or a file path is replaced by one without it (the trainer and the
        CLI see the full, redacted message)."""
        if self.key is not None and {"url", "path"} & set(self.values):
            return _catalogue_text("store_check.public_problem", {}, language)
        return self.text(language)


def _catalogue_text(key: str, values: dict[str, object], language: str) -> str:
    from .messages import messages  # messages imports templates, which imports this module

    return messages(language)(key, **values)


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

    def public_text(self, language: str = "nl") -> str:
        """For a participant's page: what is wrong with the workbook, without the file it
        came from (the trainer sees that in the CLI and on the trainer screen); a problem
        that itself names a path is left out too."""
        if "/" in self.problem or "\\" in self.problem:
            return _catalogue_text("store_check.public_template", {}, language)
        values = {"problem": self.problem}
        return _catalogue_text("store_check.public_template_problem", values, language)


class StoreError(NetwerkError):
    """The answer store cannot be reached or refused a write."""


class SessionError(NetwerkError):
    """A session code, participant link or trainer key is not valid."""
