from __future__ import annotations

import re
from pathlib import Path

import pytest

from netwerk_widgets import Store, load_template
from netwerk_widgets.cli import main, voila_command


def test_demo_loads_once(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", sqlite_url, "demo"]) == 0
    assert main(["--db", sqlite_url, "demo"]) == 0
    assert "sessiecode:    DEMO" in capsys.readouterr().out
    with Store(sqlite_url) as store:
        assert len(store.participants("DEMO")) == 8
        assert len(store.current("DEMO", history=True)) == len(store.current("DEMO"))


def test_session_create_prints_code_link_and_trainer_key(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", sqlite_url, "session", "create", "MuziekTafel maart"]) == 0
    out = capsys.readouterr().out
    code = out.split("sessiecode:")[1].split()[0]
    assert f"/voila/render/start.ipynb?sessie={code}" in out and "trainersleutel" in out
    key = out.split("trainersleutel:")[1].split()[0]
    assert main(["--db", sqlite_url, "session", "close", code, "--key", "fout"]) == 2
    assert "trainersleutel hoort niet" in capsys.readouterr().err
    assert main(["--db", sqlite_url, "session", "close", code, "--key", key]) == 0
    assert main(["--db", sqlite_url, "session", "list"]) == 0
    assert "gesloten" in capsys.readouterr().out


def test_template_copy_and_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "mijn.yaml"
    assert main(["template", "copy", str(copy)]) == 0
    assert main(["template", "validate", str(copy)]) == 0
    assert "OK" in capsys.readouterr().out
    copy.write_text(copy.read_text().replace("kind: matrix", "kind: matriks", 1))
    assert main(["template", "validate", str(copy)]) == 2
    err = capsys.readouterr().err
    assert str(copy) in err and "blocks[2].questions[1].kind" in err and "Traceback" not in err
    assert main(["template", "copy", str(copy)]) == 2  # does not overwrite by accident
    assert load_template("netwerkwerkboek").name == "netwerkwerkboek"


def test_unknown_store_url_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "geen-url", "session", "list"]) == 2
    assert "niet bereikbaar" in capsys.readouterr().err


def test_serve_listens_on_localhost_with_our_page_template() -> None:
    command = voila_command(Path("workbooks"))
    assert "--Voila.ip=127.0.0.1" in command and "--template=netwerk" in command
    assert any("file_denylist" in part and "db" in part for part in command)


@pytest.mark.parametrize(
    ("answers", "problem"),
    [
        ("voorwaarden: {v01_ambitie: 9}", "9 is geen score van 1 tot 5"),
        ("voorwaarden: {v01_ambitie: veel}", "'veel' is geen score"),
        ("identiteit: {soort: [actie, vliegen]}", "zijn geen opties"),
        ("actoren: {mijn_rol: baas}", "'baas' is geen optie"),
        ("onbekend: {x: 1}", "dit blok staat niet in het sjabloon"),
    ],
)
def test_a_demo_file_with_bad_answers_is_refused_whole(
    tmp_path: Path, sqlite_url: str, capsys: pytest.CaptureFixture[str], answers: str, problem: str
) -> None:
    demo = tmp_path / "demo.yaml"
    demo.write_text(
        "session: {code: FOUT, title: Fout}\n"
        f"participants:\n  - name: Anna\n    answers:\n      {answers}\n",
        encoding="utf-8",
    )
    assert main(["--db", sqlite_url, "demo", "--file", str(demo)]) == 2
    err = capsys.readouterr().err
    assert problem in err and str(demo) in err


def test_the_command_line_speaks_english_when_asked(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from netwerk_widgets.cli import build_parser

    assert main(["--taal", "en", "--db", sqlite_url, "demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo session" in out and "session code:" in out and "sessiecode" not in out
    monkeypatch.setenv("NETWERK_LANGUAGE", "en")
    assert main(["--db", sqlite_url, "session", "list"]) == 0
    assert "participants" in capsys.readouterr().out
    assert main(["--db", sqlite_url, "report", "NOPE", "--out", "x.html"]) == 2
    assert "We know no session with code 'NOPE'" in capsys.readouterr().err
    assert main(["--lang", "nl", "--db", sqlite_url, "report", "NOPE", "--out", "x.html"]) == 2
    assert "We kennen geen sessie" in capsys.readouterr().err
    helps = [build_parser("en").format_help()]
    parser = build_parser("en")
    for action in parser._subparsers._group_actions:  # every command's own help
        helps += [sub.format_help() for sub in action.choices.values()]
    dutch = re.compile(r"\b(de|het|een|niet|van|voor|sessie|sjabloon|antwoorden|bestand)\b")
    assert [h for h in helps if dutch.search(h)] == []
    monkeypatch.setenv("NETWERK_LANGUAGE", "fr")
    assert main(["--db", sqlite_url, "session", "list"]) == 2
    assert "NETWERK_LANGUAGE" in capsys.readouterr().err


def test_session_create_finds_a_template_in_the_templates_folder(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "sjablonen"
    folder.mkdir()
    own = folder / "mijn-werkboek.yaml"
    own.write_text(
        (Path(__file__).parent / "templates" / "trainer-made.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    monkeypatch.setenv("NETWERK_TEMPLATES_DIR", str(folder))
    monkeypatch.chdir(tmp_path)  # not next to the file
    assert (
        main(
            [
                "--db",
                sqlite_url,
                "session",
                "create",
                "Eigen",
                "--template",
                "mijn-werkboek",
                "--code",
                "EIGEN",
            ]
        )
        == 0
    )
    with Store(sqlite_url) as store:
        assert store.session("EIGEN").template == str(own.resolve())
