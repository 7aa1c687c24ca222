"""Links of a session started from the designer: for participants and for the trainer."""

from __future__ import annotations

from urllib.parse import urlencode

from ..cli import DEFAULT_PORT, participant_link
from ..page_address import QUERY_SESSION, personal_link
from ..store import Session
from ..trainer import QUERY_KEY

TRAINER_NOTEBOOK = "trainer.ipynb"


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
