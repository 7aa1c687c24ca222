"""Session codes, secrets and pseudonyms: what a code may look like, and names nobody shares.

A session code is read aloud in a room and typed on phones, so it is checked once, when the
session is made (trimmed, upper case, letters and digits, a bounded length); a code that
slipped into an older store is shown as it is and never breaks the other sessions.
Anonymous participants get a pseudonym that no one else in their session has.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from collections.abc import Collection

from .errors import SessionError
from .messages import messages

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Letters and digits of generated codes: no 0/O and 1/I, easy to read aloud."""
CODE_CHARACTERS = frozenset(string.ascii_uppercase + string.digits)
"""What a code a trainer chooses may contain (after trimming and upper-casing)."""
CODE_LENGTH = (2, 16)
"""Shortest and longest code a trainer may choose."""


def new_code() -> str:
    """A random six-character session code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def new_secret(nbytes: int) -> str:
    """A random URL-safe secret (trainer key, personal link) that starts with a letter or
    digit: one that starts with ``-`` reads as an option on the command line
    (``netwerk session delete CODE --key -Z4q…``)."""
    while True:
        secret = secrets.token_urlsafe(nbytes)
        if secret[0].isalnum():
            return secret


def normal_code(code: str | None) -> str:
    """``code`` as it is looked up: trimmed and in upper case ('' for none)."""
    return (code or "").strip().upper()


def check_new_code(code: str, language: str = "nl") -> str:
    """The code a new session gets for ``code`` (trimmed, upper case), if it is a good one.

    Raises
    ------
    SessionError
        When it is empty or has characters or a length a code may not have; the message
        shows it between quotes and says what a code may be.
    """
    normal = normal_code(code)
    low, high = CODE_LENGTH
    if not (low <= len(normal) <= high) or not set(normal) <= CODE_CHARACTERS:
        shown = code if len(code) <= 40 else code[:39] + "…"
        msg = messages(language)("store_check.bad_code", code=shown, low=low, high=high)
        raise SessionError(msg)
    return normal


def pseudonym(participant_id: str, taken: Collection[str], language: str = "nl") -> str:
    """An animal name with a number for ``participant_id`` that is not in ``taken`` (the
    names of the session's other participants).

    The same id and names give the same pseudonym (demo data stays the same); 16 animals
    times 99 numbers leave room for hundreds of anonymous participants, and after that the
    numbers go on.
    """
    animals = messages(language)("store_check.animals").split()
    for attempt in range(400):
        digest = hashlib.sha256(f"{participant_id}:{attempt}".encode()).digest()
        number = int.from_bytes(digest[:8], "big")
        name = f"{animals[number % len(animals)]} {number // len(animals) % 99 + 1}"
        if name not in taken:
            return name
    number = 100
    while f"{animals[0]} {number}" in taken:
        number += 1
    return f"{animals[0]} {number}"
