"""The front door: ``/`` is our page with a session code field, not Voilà's notebook list, and
an analyst's notebook answers with a sentence instead of running (issue 14, point 4)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from netwerk_widgets.front import audience_page, front_page, not_served
from netwerk_widgets.messages import messages

ROOT = Path(__file__).resolve().parent.parent


def test_front_page_has_a_code_field_and_a_trainer_line() -> None:
    page = front_page("/netwerk/")
    m = messages("nl")
    assert 'lang="nl"' in page and m("front.join") in page
    assert 'action="/netwerk/voila/render/start.ipynb"' in page and 'name="sessie"' in page
    assert "/netwerk/voila/render/trainer.ipynb" in page and m("front.trainers") in page
    english = front_page("/", "en")
    assert 'lang="en"' in english and messages("en")("front.join") in english
    assert 'name="taal" value="en"' in english


def test_only_the_analysts_notebook_is_kept_from_voila() -> None:
    assert not_served(ROOT / "workbooks") == {"analyse.ipynb": "analyst"}
    page = audience_page("analyst")
    assert messages("nl")("front.analyst_notebook") in page


def _get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.status, response.geturl(), response.read().decode("utf-8")


@pytest.mark.server
def test_server_root_is_the_front_door(voila) -> None:
    status, _url, body = _get(voila.url + "/")
    assert status == 200 and "Meedoen" in body and "Sessiecode" in body
    assert "Select items" not in body and "analyse.ipynb" not in body
    _status, landed, body = _get(voila.url + "/voila/tree")
    assert landed.rstrip("/") == voila.url and "Meedoen" in body


@pytest.mark.server
def test_analysis_notebook_says_where_to_open_it(voila) -> None:
    status, _url, body = _get(voila.page_url("analyse.ipynb"))
    assert status == 200
    assert "Dit notebook is voor analisten in JupyterLab" in body
    assert "There was an error" not in body and "Please run Voil" not in body


@pytest.mark.browser
def test_code_and_meedoen_open_the_workbook(voila, page) -> None:
    page.goto(voila.url + "/")
    page.get_by_label("Sessiecode").fill("demo")
    page.get_by_role("button", name="Meedoen").click()
    page.locator(".nw-join input").first.wait_for()
    assert "start.ipynb?sessie=demo" in page.url
    assert page.locator(".nw-join input").first.input_value() == "demo"
    assert page.outside_requests == []


@pytest.mark.server
def test_a_failing_cell_shows_a_sentence_not_voilas_error(voila_server_class, tmp_path) -> None:
    import json

    book = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "c1",
                "metadata": {},
                "outputs": [],
                "source": ["raise RuntimeError('kapot')"],
            }
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    folder = tmp_path / "books"
    folder.mkdir()
    (folder / "kapot.ipynb").write_text(json.dumps(book), "utf-8")
    server = voila_server_class(f"sqlite:///{tmp_path / 'store.db'}", workbooks=folder)
    try:
        _status, _url, body = _get(server.page_url("kapot.ipynb"))
    finally:
        server.stop()
    assert messages("nl")("front.page_error") in body
    assert "There was an error when executing cell" not in body
