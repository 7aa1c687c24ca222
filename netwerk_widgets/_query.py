"""Who may ask for a preheated kernel's page address: that kernel, and nobody else.

A kernel from a preheated pool learns which page it serves (query string with ``sessie=``,
``deelnemer=`` or ``sleutel=``, host, path) over Voilà's websocket ``/voila/query/<kernel id>``.
Voilà answers anyone who opens that socket, without the server's ``--token``, and the last
one to open it gets the next page's details instead of the kernel. Here the socket asks for
a proof that only the kernel and the server have: an HMAC of the kernel id with the key of
the kernel's connection file (the key that signs every message between them). No token in
the kernel's environment is needed for it.

Light to import (standard library only): participant kernels use it.
"""

from __future__ import annotations

import hashlib
import hmac

PROOF_ARGUMENT = "proof"


def query_proof(key: bytes | str, kernel_id: str) -> str:
    """The proof for ``kernel_id``'s query socket, from its connection key."""
    if isinstance(key, str):
        key = key.encode()
    return hmac.new(key, kernel_id.encode(), hashlib.sha256).hexdigest()


def proof_matches(key: bytes | str, kernel_id: str, proof: str) -> bool:
    """Whether ``proof`` is the proof for ``kernel_id`` (in constant time); an empty key never."""
    if not key or not proof:
        return False
    return hmac.compare_digest(query_proof(key, kernel_id), proof)


def own_kernel_key() -> bytes:
    """The connection key of the kernel this runs in (``b""`` outside a kernel)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return b""
    shell = get_ipython()
    session = getattr(getattr(shell, "kernel", None), "session", None)
    key = getattr(session, "key", b"")
    return key if isinstance(key, bytes) else str(key).encode()
