"""Starting a session from a template the designer saved, as ``netwerk session create`` does."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from ..app import QUERY_SESSION, personal_link
from ..cli import DEFAULT_PORT, participant_link
from ..store import Session, Store
from ..templates import builtin_templates, parse_template, read_template_text
from ..trainer import QUERY_KEY

TRAINER_NOTEBOOK = "trainer.ipynb"


def start_session(
    store: Store,
    template: str | Path,
    title: str,
    *,
    code: str | None = None,
    network: str | None = None,
) -> Session:
    """Create a session from a template (a built-in name or a file), like
    ``netwerk session create TITLE --template TEMPLATE``: the store keeps the template's
    text with the session, under the file's full path.

    Raises
    ------
    TemplateError
        When the template can not be read or is not valid, or its content changed since its
        version was used for another session (then it needs a new ``version``).
    SessionError
        When a session with ``code`` exists already.
    """
    name = str(template)
    builtin = name in builtin_templates()
    reference = name if builtin else str(Path(name).resolve())
    text = read_template_text(name)
    parse_template(text, source=name)  # fails before anything is stored
    return store.create_session(
        title,
        template=reference,
        template_text=text,
        code=code or None,
        network=network or None,
    )


def server_address(page_url: str | None = None) -> str:
    """The address of the Voilà server this page came from (``http://host:port``), or that
    of ``netwerk serve`` on this machine when there is no page (JupyterLab)."""
    page = (page_url if page_url is not None else personal_link("", "")).split("?", 1)[0]
    if "://" in page and "/voila/" in page:
        return page.split("/voila/", 1)[0]
    return f"http://localhost:{DEFAULT_PORT}"


def session_links(session: Session, server: str) -> tuple[str, str]:
    """The participants' link and the trainer's results screen (with the key) of a session."""
    trainer = f"{server.rstrip('/')}/voila/render/{TRAINER_NOTEBOOK}?" + urlencode(
        {QUERY_SESSION: session.code, QUERY_KEY: session.trainer_key}
    )
    return participant_link(server, session.code), trainer
