"""Store URLs without their secrets, for messages a trainer or the CLI may see.

A database URL can carry a password in more than one place: ``user:password@host``, a query
parameter (``?password=…``, ``sslpassword``, a token or key), or percent-encoded. Every such
value is replaced by ``***``, in the URL and in any driver message that repeats it.
Participants never see a URL at all (see :meth:`~netwerk_widgets.errors.NetwerkError.public_text`).
"""

from __future__ import annotations

import re
from urllib.parse import unquote

SECRET_NAMES = re.compile(r"pass|pwd|secret|token|key|auth|credential", re.IGNORECASE)
"""Query parameters whose value is a secret (``password``, ``sslpassword``, ``api_key``…)."""
MASK = "***"


def secrets_in(url: str) -> list[str]:
    """The secret values in ``url`` as written and decoded, longest first."""
    found: list[str] = []
    _scheme, sep, rest = url.partition("://")
    if sep:
        authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
        if "@" in authority:
            userinfo = authority.rsplit("@", 1)[0]
            if ":" in userinfo:
                found.append(userinfo.split(":", 1)[1])
    query = url.split("?", 1)[1] if "?" in url else ""
    for part in re.split(r"[&;]", query.split("#", 1)[0]):
        name, _eq, value = part.partition("=")
        if value and SECRET_NAMES.search(unquote(name)):
            found.append(value)
    every = {v for v in found if v} | {unquote(v) for v in found if v}
    return sorted(every, key=len, reverse=True)


def redact_url(url: str) -> str:
    """``url`` with its user's password and every secret query parameter as ``***``."""
    _scheme, sep, rest = url.partition("://")
    shown = url
    if sep:
        authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
        if "@" in authority:
            host = authority.rsplit("@", 1)[1]
            shown = url.replace(authority, f"{MASK}@{host}", 1)
    if "?" in shown:
        base, query = shown.split("?", 1)
        query, hash_, fragment = query.partition("#")
        parts = []
        for part in re.split(r"([&;])", query):
            name, eq, value = part.partition("=")
            if eq and value and SECRET_NAMES.search(unquote(name)):
                part = f"{name}={MASK}"
            parts.append(part)
        shown = f"{base}?{''.join(parts)}{hash_}{fragment}"
    return shown


def redact_text(text: str, url: str) -> str:
    """``text`` (e.g. a driver's error) with ``url`` and each of its secrets masked."""
    text = text.replace(url, redact_url(url))
    for secret in secrets_in(url):
        text = text.replace(secret, MASK)
    return text
