"""Interface messages: one catalogue per language, looked up by key.

Every text the product shows that does not come from a template (buttons, headings of group
results, chart axes, warnings) lives in ``messages/<language>.yaml``: nested sections of
``key: text`` with ``{name}`` placeholders filled by :meth:`Messages.__call__`. Python code
names a key, never a sentence. A key missing in a language falls back to Dutch; a key missing
in Dutch is a bug (``KeyError``), and a test checks that every catalogue has the same keys.

Light to import (only ``yaml``, which templates load anyway): participant kernels use it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .settings import LANGUAGES

CATALOGUE_DIR = Path(__file__).parent / "messages"
FALLBACK = "nl"


def _flatten(data: Any, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in (data or {}).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = str(value)
    return flat


@cache
def catalogue(language: str) -> dict[str, str]:
    """The messages of ``language`` as a flat ``{"section.key": text}`` mapping."""
    path = CATALOGUE_DIR / f"{language}.yaml"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return _flatten(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))


class Messages:
    """The interface texts of one language; ``messages("charts.participants")``.

    Parameters
    ----------
    language : str
        ``"nl"`` or ``"en"``; another value falls back to Dutch.
    """

    def __init__(self, language: str = FALLBACK) -> None:
        self.language = language if language in LANGUAGES else FALLBACK
        self._own = catalogue(self.language)
        self._fallback = catalogue(FALLBACK)

    def __repr__(self) -> str:
        return f"Messages({self.language!r})"

    def __call__(self, key: str, /, **values: object) -> str:
        """The text of ``key`` with ``{placeholders}`` filled from ``values``."""
        text = self._own.get(key)
        if text is None:
            text = self._fallback[key]
        return text.format(**values) if values else text

    def number(self, value: float, digits: int = 1) -> str:
        """A number written the way this language writes it (``3,9`` in Dutch)."""
        text = f"{value:.{digits}f}"
        return text.replace(".", self("format.decimal_mark"))


@cache
def messages(language: str = FALLBACK) -> Messages:
    """The (shared) :class:`Messages` of ``language``."""
    return Messages(language)
