"""Secrets and paths in messages (issue 16, point 15): a store URL's password in any form is
never shown, and participants see no URL or file path at all."""

from __future__ import annotations

import pytest

from netwerk_widgets import StoreError
from netwerk_widgets.app import participant_page
from netwerk_widgets.recorder import Recorder
from netwerk_widgets.store import Answer, Participant, Store

SECRET = "Geheim%21wachtwoord"

URLS = [
    f"postgresql+psycopg://u:{SECRET}@127.0.0.1:1/db",
    f"postgresql+psycopg://127.0.0.1:1/db?user=u&password={SECRET}",
    f"postgresql+psycopg://127.0.0.1:1/db?sslmode=require&sslpassword={SECRET}&user=u",
    f"postgresql+psycopg://u@127.0.0.1:1/db?PASSWORD={SECRET}",
    f"postgresql+psycopg:///db?host=/tmp&password={SECRET}",
]


@pytest.mark.parametrize("url", URLS)
def test_every_credential_form_is_redacted(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        Store(url)
    message = caught.value.text()
    assert "niet bereikbaar" in message
    assert "Geheim" not in message and "wachtwoord" not in message.replace("wachtwoord in", "")


def test_a_url_that_cannot_be_parsed_is_not_repeated_with_its_password() -> None:
    url = f"postgresql+psycopg://u:{SECRET}@host:notaport/db?password={SECRET}"
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert "Geheim" not in caught.value.text() and "Geheim" not in str(caught.value)


@pytest.mark.parametrize("url", [*URLS, "sqlite:////etc/hostname/geheim/antwoorden.db"])
def test_participants_see_no_url_and_no_path(url: str) -> None:
    page = participant_page(url=url)
    assert "kan nu niet openen" in page.value and "niet bereikbaar" in page.value
    for part in ("Geheim", "127.0.0.1", "postgresql", "sqlite", "/etc/hostname", "antwoorden.db"):
        assert part not in page.value


def test_a_failed_save_shows_the_participant_no_url(store: Store) -> None:
    store.create_session("S", template="netwerkwerkboek", code="SAVE")
    person = store.join("SAVE", "Anna")

    class Broken(Store):
        def append(self, *args: object, **kwargs: object) -> int:
            raise StoreError(key="errors.store_unreachable", url=URLS[1], problem="boem")

    broken = Broken.__new__(Broken)
    broken.__dict__.update(store.__dict__)
    recorder = Recorder(broken, Participant(*person.__dict__.values()))
    assert not recorder.record(Answer("identiteit", "waarom", "x"))
    assert "Niet opgeslagen" in recorder.message
    assert "postgresql" not in recorder.message and "127.0.0.1" not in recorder.message
