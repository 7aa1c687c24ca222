"""Starting a session from a template: one function for the ``netwerk`` command and the
template designer.

A template is named by a built-in name (``netwerkwerkboek``), a path to a YAML file, or
the name of a file in the trainer's own templates folder (``NETWERK_TEMPLATES_DIR``, where
the designer saves them), with or without ``.yaml``. The store keeps the template's whole
text with the session, so the file may move or change afterwards.
"""

from __future__ import annotations

from pathlib import Path

from .settings import settings
from .store import Session, Store
from .templates import Template, builtin_templates, parse_template, read_template_text


def template_reference(name: str | Path) -> str:
    """What a session records as its template: the built-in name, or a file's full path.

    A name that is neither a built-in template nor an existing file is looked up in the
    templates folder (``mijn-werkboek`` finds ``mijn-werkboek.yaml`` there). A name found
    nowhere comes back as it is, so that reading it gives the usual clear message.
    """
    text = str(name)
    if text in builtin_templates():
        return text
    path = Path(text).expanduser()
    if path.exists():
        return str(path.resolve())
    folder = settings().templates_dir
    for candidate in (folder / text, folder / f"{text}.yaml", folder / f"{text}.yml"):
        if candidate.is_file():
            return str(candidate.resolve())
    return text


def start_session(
    store: Store,
    template: str | Path,
    title: str,
    *,
    code: str | None = None,
    network: str | None = None,
) -> tuple[Session, Template]:
    """Create a session from ``template`` (see :func:`template_reference`).

    The template is read and checked before anything is stored. Returns the new session
    and its template.

    Raises
    ------
    TemplateError
        When the template can not be found or read or is not valid, or its content changed
        since its version was used for another session (then it needs a new ``version``).
    SessionError
        When a session with ``code`` exists already.
    """
    reference = template_reference(template)
    text = read_template_text(reference)
    parsed = parse_template(text, source=str(template))  # fails before anything is stored
    session = store.create_session(
        title,
        template=reference,
        template_text=text,
        code=code or None,
        network=network or None,
    )
    return session, parsed
