"""Writing export and report files so that a failure never leaves half a file behind.

Everything is written to a temporary file next to the target (same folder, so the final
rename stays on one file system and is atomic) and renamed to the target's name only when
it is complete. When writing fails (a full disk, a file-size limit, a folder that is not
writable) the temporary file is removed, an existing file under the target name is left as
it was, and the error says why, in words a trainer can act on.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import NetwerkError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts that spreadsheets read as a formula (OWASP's list for CSV injection)."""


def neutral_cell(value: object) -> object:
    """A CSV cell that Excel, LibreOffice and Sheets show as text, never run as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a ``'`` in front
    (OWASP, "CSV Injection"); everything else is returned as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@contextmanager
def written(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path next to ``target`` to write to; renamed to ``target`` when the block
    ends without an error, removed when it does not.

    Raises
    ------
    NetwerkError
        When the block fails; the message names the target and the reason (``OSError``:
        the system's reason, e.g. "No space left on device") and says nothing was left.
    """
    final = Path(target)
    folder = final.parent if str(final.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{final.stem}.", suffix=f".deel{final.suffix}", dir=folder
        )
    except OSError as exc:
        raise _message(final, exc) from exc
    os.close(handle)
    temporary = Path(name)
    mask = os.umask(0)  # mkstemp makes the file private; the export gets the usual rights
    os.umask(mask)
    os.chmod(temporary, 0o666 & ~mask)
    try:
        yield temporary
        os.replace(temporary, final)
    except NetwerkError:
        temporary.unlink(missing_ok=True)
        raise
    except Exception as exc:
        temporary.unlink(missing_ok=True)
        raise _message(final, exc) from exc


def _message(target: Path, exc: BaseException) -> NetwerkError:
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    else:
        cause = exc.__cause__ or exc.__context__
        reason = getattr(cause, "strerror", None) or str(exc) or type(exc).__name__
    reason = " ".join(str(reason).split())[:200]
    return NetwerkError(key="store_check.not_written", path=target, reason=reason)
