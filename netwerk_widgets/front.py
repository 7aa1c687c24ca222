"""The front door of ``netwerk serve``: the page at ``/``, and a sentence for notebooks that
are not web pages for participants.

Voilà's own root page is an English list of every notebook, trainer and analysis ones
included. Ours is a small page in the workbook's look: a field for the session code and
"Meedoen" (a plain form that opens the participant workbook for that code), and a line for
trainers pointing at the results screen. Which notebook participants and trainers open is
configuration (:data:`PARTICIPANT_NOTEBOOK`, :data:`TRAINER_NOTEBOOK`), the texts come from
the message catalogue (``front.*``), in Dutch unless the address asks for another language
(``?taal=en``).

A notebook whose metadata says ``"netwerk": {"audience": "analyst"}`` (``analyse.ipynb``)
reads everyone's answers: the server answers its address with a page that says, in words,
that it is for analysts in JupyterLab (:func:`audience_page`), instead of running it and
showing Voilà's generic cell error. Pure functions of text: :mod:`netwerk_widgets._voila`
serves them.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from pathlib import Path

from .messages import messages
from .templates import LANGUAGES

PARTICIPANT_NOTEBOOK = "start.ipynb"
TRAINER_NOTEBOOK = "trainer.ipynb"
QUERY_SESSION = "sessie"
QUERY_LANGUAGE = "taal"
AUDIENCE_KEY = "audience"
"""Key in a notebook's ``metadata.netwerk``: who the notebook is for."""

NOT_SERVED = {"analyst": "front.analyst_notebook"}
"""Audiences whose notebooks Voilà does not run, and the sentence shown instead."""

STYLE = """
body { margin: 0; font-family: 'Liberation Sans', Arimo, Arial, Helvetica, sans-serif;
  font-size: 16px; line-height: 1.45; color: #222; background: #f6f8fb; }
main { max-width: 34em; margin: 0 auto; padding: 24px 16px; }
h1 { font-size: 1.6em; line-height: 1.2; margin: 0 0 0.2em; color: #1a4f8b; }
h2 { font-size: 1.2em; margin: 1em 0 0.4em; }
form { display: flex; flex-wrap: wrap; gap: 8px; align-items: flex-end; }
label { flex: 1 0 100%; font-weight: 600; }
input { flex: 1 1 10em; min-width: 0; min-height: 44px; box-sizing: border-box; font-size: 16px;
  padding: 6px 10px; border: 1px solid #767676; border-radius: 4px; text-transform: uppercase; }
button, .nw-button { display: inline-block; box-sizing: border-box; min-height: 44px;
  min-width: 44px; padding: 8px 18px; font-size: 16px; border: 0; border-radius: 4px;
  background: #1a4f8b; color: #fff; cursor: pointer; }
a { color: #1a4f8b; }
.nw-trainers { margin-top: 2em; padding-top: 1em; border-top: 1px solid #ccd5e0; }
.nw-trainers a { display: inline-block; min-height: 44px; line-height: 44px; }
.nw-languages a { display: inline-block; min-width: 44px; min-height: 44px; line-height: 44px;
  text-align: center; }
:focus-visible { outline: 3px solid #1a4f8b; outline-offset: 2px; }
"""


def _language(asked: str) -> str:
    return asked if asked in LANGUAGES else "nl"


def _page(language: str, title: str, body: str) -> str:
    esc = html.escape
    return (
        f'<!DOCTYPE html><html lang="{esc(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{STYLE}</style></head>"
        f'<body><main class="nw-front">{body}</main></body></html>'
    )


def front_page(base_url: str = "/", language: str = "") -> str:
    """The page at ``/``: the session code and "Meedoen", and a line for trainers.

    ``base_url`` is the server's base (``/`` or ``/netwerk/`` behind a proxy); the form
    sends ``?sessie=CODE`` (and the language, when one was asked for) to the participant
    workbook.
    """
    language = _language(language)
    m = messages(language)
    esc = html.escape
    base = base_url if base_url.endswith("/") else base_url + "/"
    render = f"{base}voila/render/"
    keep = (
        f'<input type="hidden" name="{QUERY_LANGUAGE}" value="{esc(language)}">'
        if language != "nl"
        else ""
    )
    others = " ".join(
        f'<a href="{esc(base)}?{QUERY_LANGUAGE}={code}" lang="{code}">{code.upper()}</a>'
        for code in LANGUAGES
        if code != language
    )
    body = (
        f'<p class="nw-languages">{others}</p>'
        f"<h1>{esc(m('front.title'))}</h1>"
        f"<h2>{esc(m('front.heading'))}</h2>"
        f"<p>{esc(m('front.intro'))}</p>"
        f'<form method="get" action="{esc(render + PARTICIPANT_NOTEBOOK)}">'
        f'<label for="nw-code">{esc(m("front.code"))}</label>'
        f'<input id="nw-code" name="{QUERY_SESSION}" required autocomplete="off" '
        f'autocapitalize="characters" spellcheck="false" maxlength="40" '
        f'placeholder="{esc(m("front.code_example"), quote=True)}" '
        f'title="{esc(m("front.code_missing"), quote=True)}">{keep}'
        f'<button type="submit">{esc(m("front.join"))}</button></form>'
        f'<p class="nw-trainers">{esc(m("front.trainers"))} '
        f'<a href="{esc(render + TRAINER_NOTEBOOK)}">{esc(m("front.trainer_screen"))}</a></p>'
    )
    return _page(language, m("front.title"), body)


def audience_page(audience: str, base_url: str = "/", language: str = "") -> str:
    """The page shown at the address of a notebook that is not for a browser (an analyst's)."""
    language = _language(language)
    m = messages(language)
    esc = html.escape
    base = base_url if base_url.endswith("/") else base_url + "/"
    body = (
        f"<h1>{esc(m('front.title'))}</h1>"
        f'<p role="alert">{esc(m(NOT_SERVED.get(audience, "front.not_for_participants")))}</p>'
        f'<p><a class="nw-button" href="{esc(base)}">{esc(m("front.heading"))}</a></p>'
    )
    return _page(language, m("front.title"), body)


def page_text(key: str) -> str:
    """A Dutch text of the catalogue, for the page template (its Jinja filter ``netwerk_text``,
    registered in ``share/config/voila.json``); the key itself if the catalogue lacks it, so
    a page never fails to render over a text."""
    try:
        return messages("nl")(key)
    except Exception:  # a missing key must not take the page down
        return key


def notebook_audience(path: Path) -> str:
    """Who a notebook is for (``metadata.netwerk.audience``), or "" when it does not say."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    meta = data.get("metadata", {}).get("netwerk", {})
    return str(meta.get(AUDIENCE_KEY, "")) if isinstance(meta, dict) else ""


def not_served(root: Path) -> dict[str, str]:
    """Notebooks under ``root`` (relative paths) that Voilà must not run, with their audience."""
    found: dict[str, str] = {}
    notebooks: Iterable[Path] = sorted(root.rglob("*.ipynb")) if root.is_dir() else ()
    for path in notebooks:
        if ".ipynb_checkpoints" in path.parts:
            continue
        audience = notebook_audience(path)
        if audience in NOT_SERVED:
            found[path.relative_to(root).as_posix()] = audience
    return found
