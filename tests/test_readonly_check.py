"""A read-only copy of the store (issue 16, point 13): a backup on a read-only mount can be
listed, exported and loaded without writing anything."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from netwerk_widgets import Store, StoreError, load_answers
from netwerk_widgets.cli import main
from netwerk_widgets.demo import load_demo
from netwerk_widgets.store import Answer


@pytest.fixture(params=["only the file", "with -wal and -shm"])
def read_only_copy(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A folder with a copy of a demo store mounted read-only: the database file alone (a
    backup), or with the -wal and -shm files of a live store; skipped where this machine
    cannot bind-mount (not root)."""
    source = tmp_path / "bron"
    source.mkdir()
    with Store(f"sqlite:///{source / 'store.db'}") as store:
        load_demo(store)
        person = store.join("DEMO", "Laatste")  # the last write may still be in the -wal
        store.append(person, [Answer("identiteit", "waarom", "nog in de wal")])
        copy = tmp_path / "kopie"
        copy.mkdir()
        suffixes = ("",) if request.param == "only the file" else ("", "-wal", "-shm")
        if request.param == "only the file":
            store._read("PRAGMA wal_checkpoint(TRUNCATE)")
        for suffix in suffixes:
            if (source / f"store.db{suffix}").exists():
                shutil.copy2(source / f"store.db{suffix}", copy / f"store.db{suffix}")
    mount = tmp_path / "alleen-lezen"
    mount.mkdir()
    done = subprocess.run(["mount", "--bind", str(copy), str(mount)], check=False)
    if done.returncode != 0:
        pytest.skip("cannot bind-mount here (needs root)")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], check=True)
        yield mount / "store.db"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)  # lazy: open handles too


def test_a_read_only_store_can_be_listed_exported_and_loaded(
    read_only_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{read_only_copy}"
    assert main(["--db", url, "session", "list"]) == 0
    assert "DEMO\t" in capsys.readouterr().out
    out = tmp_path / "demo.csv"
    assert main(["--db", url, "export", "DEMO", "--out", str(out)]) == 0, capsys.readouterr()
    assert "nog in de wal" in out.read_text(encoding="utf-8-sig")
    answers = load_answers("DEMO", store=url)
    assert "nog in de wal" in set(answers["value"])
    with Store(url) as store, pytest.raises(StoreError, match="niet bereikbaar of weigert"):
        store.join("DEMO", "Nieuw")
