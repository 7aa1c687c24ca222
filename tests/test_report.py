"""The session report: one self-contained, script-free HTML page (and a PDF from it)."""

from __future__ import annotations

import html
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from netwerk_widgets import NetwerkError, Store, load_template
from netwerk_widgets import report as report_module
from netwerk_widgets.cli import main
from netwerk_widgets.demo import answers_from_mapping, load_demo
from netwerk_widgets.report import sanitise, session_report_html, write_report

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"
EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|poster|data|srcset)\s*=\s*["']?\s*"""
    r"""(?:https?:|//|file:|data:|javascript:))|<link\b|<script\b|@import|url\(\s*["']?(?!#)""",
    re.IGNORECASE,
)


class Elements(HTMLParser):
    """Every element and attribute of a page, as a browser's parser would meet them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _assert_self_contained(page: str) -> Elements:
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    elements = Elements(page)
    assert not {"script", "img", "iframe", "link", "object", "embed", "image", "base"} & set(
        elements.tags
    )
    assert not [name for name, _ in elements.attributes if name.startswith("on")]
    references = [v for n, v in elements.attributes if n in {"href", "xlink:href", "src"}]
    assert all(value.startswith("#") for value in references), references
    # The only URLs at all are the SVG namespaces, which are names, not references.
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}, urls
    return elements


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str]:
    """A store with the demo and the demo session's report, made once for this module."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'store.db'}"
    store = Store(url)
    load_demo(store)
    yield store, session_report_html("DEMO", store=store)
    store.close()


def test_demo_report_has_every_block_and_charts(demo: tuple[Store, str]) -> None:
    store, page = demo
    template = load_template("netwerkwerkboek")
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="nl">' in page and '<meta charset="utf-8">' in page
    for block in template.blocks:
        assert html.escape(template.t(block.title)) in page
        assert f'id="blok-{block.id}"' in page
    assert page.count("<svg") >= len(template.blocks)
    session = store.session("DEMO")
    assert html.escape(session.title) in page
    assert f"{len(store.participants('DEMO'))} deelnemers" in page
    assert "14 november 2025" in page  # the session's date, in Dutch
    assert "@page" in page and "break-before: page" in page  # printable, A4


def test_demo_report_is_self_contained(demo: tuple[Store, str]) -> None:
    _assert_self_contained(demo[1])


def test_demo_report_has_no_secrets(demo: tuple[Store, str]) -> None:
    store, page = demo
    for person in store.participants("DEMO"):
        assert person.token not in page
    assert store.session("DEMO").trainer_key not in page


def test_typed_html_stays_text(store: Store) -> None:
    template = load_template("netwerkwerkboek")
    store.create_session(
        "Proef " + SCRIPT, template="netwerkwerkboek", template_version="1.1", code="PROEF"
    )
    evil = {
        "actoren": {
            "mijn_organisatie": IMAGE,
            "mijn_rol": "kern",
            "register": [
                {"naam": SCRIPT, "organisatie": IMAGE, "rol": "kern", "belangen": IMAGE},
                {"naam": IMAGE, "rol": "actief"},
            ],
            "relaties": [{"van": SCRIPT, "met": IMAGE, "sterkte": 3}],
            "ontbreekt": [{"wie": SCRIPT, "waarom": IMAGE}],
        },
        "identiteit": {"waarom": f"Samen {SCRIPT} {IMAGE}", "waarden": IMAGE, "naam_tonen": "ja"},
        "ambities": {"betrokkenheid": {SCRIPT: "meedoen", IMAGE: "meebepalen"}},
        "fundament": {
            "spelregels": [{"regel": SCRIPT, "soort": "expliciet"}],
            "leiderschap": [{"wie": IMAGE, "hoe": SCRIPT}],
            "overleg": SCRIPT,
        },
        "werkblad": {"uitdagingen": [{"uitdaging": SCRIPT, "probleem": IMAGE}]},
        "voorwaarden": {"v01_ambitie": [2, SCRIPT]},
    }
    for name in (SCRIPT, IMAGE):
        person = store.join("PROEF", name)
        store.append(person, answers_from_mapping(template, evil))

    page = session_report_html("PROEF", store=store)
    elements = _assert_self_contained(page)
    assert "script" not in elements.tags and "img" not in elements.tags
    text = "".join(elements.text)
    assert SCRIPT in text and IMAGE in text  # shown, as text
    assert html.escape(SCRIPT) in page
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert page.count("<svg") >= 3  # actor names and ambitions are in the charts, escaped


def test_sanitise_turns_what_is_not_allowed_into_text() -> None:
    dirty = (
        '<p>a<script>alert("x")</script><img src=x onerror=alert(1)>'
        '<a href="https://example.org">weg</a><a href="#blok">hier</a></p>'
        '<svg viewBox="0 0 1 1"><rect onclick="x()" width="1"/><image href="http://e/x.png"/>'
        '<path clip-path="url(#c)" d="M0,0"/><use href="//e/x"/></svg>'
        '<meta http-equiv="refresh" content="0;url=http://e"><style>@import "http://e";</style>'
    )
    clean = sanitise(dirty)
    elements = Elements(clean)
    assert elements.tags == ["p", "a", "svg", "path", "style"]
    assert ("href", "#blok") in elements.attributes and (
        "clip-path",
        "url(#c)",
    ) in elements.attributes
    assert "@import" not in clean
    assert 'alert("x")' in "".join(elements.text)
    assert 'viewBox="0 0 1 1"' in clean  # SVG attributes keep their case


def test_write_html_and_errors(demo: tuple[Store, str], tmp_path: Path) -> None:
    store, _ = demo
    path = write_report(tmp_path / "verslag.html", "DEMO", store=store)
    written = path.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and "<svg" in written
    with pytest.raises(NetwerkError, match=r"\.html.*\.pdf"):
        write_report(tmp_path / "verslag.docx", "DEMO", store=store)
    with pytest.raises(NetwerkError, match="geen sessie"):
        write_report(tmp_path / "x.html", "NIEMAND", store=store)
    assert not (tmp_path / "x.html").exists()


def test_pdf_without_chromium_says_what_to_do(
    demo: tuple[Store, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store, _ = demo
    monkeypatch.setattr(report_module.shutil, "which", lambda *args, **kwargs: None)
    with pytest.raises(NetwerkError, match=r"Geen PDF-maker.*\.html.*browser"):
        write_report(tmp_path / "verslag.pdf", "DEMO", store=store)
    assert not (tmp_path / "verslag.pdf").exists()


def test_pdf_with_a_missing_program_is_an_error(demo: tuple[Store, str], tmp_path: Path) -> None:
    with pytest.raises(NetwerkError, match="Geen PDF-maker"):
        write_report(tmp_path / "v.pdf", "DEMO", store=demo[0], pdf=tmp_path / "geen-chromium")


def test_pdf(demo: tuple[Store, str], tmp_path: Path) -> None:
    if report_module.find_chromium() is None:
        # As tests/conftest.py's missing(): `make test` installs chromium, so there it fails.
        if os.environ.get("NETWERK_REQUIRE_SERVICES") == "1":
            pytest.fail("Chromium is missing; `make test` should have installed it", pytrace=False)
        pytest.skip("Chromium is missing (run `make test` to install it)")
    steps: list[tuple[int, int, str]] = []
    path = write_report(
        tmp_path / "verslag.pdf", "DEMO", store=demo[0], progress=lambda *s: steps.append(s)
    )
    assert steps[-1] == (len(steps), len(steps), "PDF maken met Chromium")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages > len(load_template("netwerkwerkboek").blocks) // 2  # a page per block
    assert len(data) > 50_000  # charts and tables, not an empty page


# --- the command ------------------------------------------------------------------------


def test_cli_report_html_with_progress(
    demo_store: Store, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "verslag.html"
    assert main(["--db", sqlite_url, "report", "DEMO", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    steps = len(load_template("netwerkwerkboek").blocks)
    assert f"[1/{steps}]" in captured.err and f"[{steps}/{steps}] " in captured.err
    assert str(out) in captured.out
    _assert_self_contained(out.read_text(encoding="utf-8"))


def test_cli_report_errors(
    demo_store: Store,
    sqlite_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = ["--db", sqlite_url]
    assert main([*db, "report", "DEMO", "--out", str(tmp_path / "v.txt")]) == 2
    assert ".html" in capsys.readouterr().err
    monkeypatch.setattr(report_module.shutil, "which", lambda *args, **kwargs: None)
    assert main([*db, "report", "DEMO", "--out", str(tmp_path / "v.pdf")]) == 2
    err = capsys.readouterr().err
    assert "Geen PDF-maker" in err and "Traceback" not in err
    assert main([*db, "report", "NIEMAND", "--out", str(tmp_path / "v.html")]) == 2
    assert list(tmp_path.glob("v.*")) == []
