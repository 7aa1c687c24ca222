"""A session's group results as one self-contained HTML file (or PDF) to mail to participants.

:func:`session_report_html` puts every block's group results (the model of
:func:`netwerk_widgets.views.block_results`, rendered by :mod:`netwerk_widgets.render` as on
every screen) on its own A4 page: charts as inline SVG with their text alternative, tables
and answers as escaped text, a small inline stylesheet. The file references nothing
outside itself and has no scripts, so it opens the same without internet, in a browser or a
mail program. :func:`write_report` saves it as ``.html``, or prints it to ``.pdf`` with
headless Chromium when that is installed.

Before it is returned, the page passes :func:`sanitise`: any element or attribute that is not
on a short list (scripts, images, event handlers, links leaving the page...) is shown as
text instead. The group views already escape what participants typed; this keeps a mistake
there from reaching anyone's inbox.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from ._files import written
from .errors import NetwerkError
from .export import check_suffix
from .loading import load_answers, opened
from .messages import messages
from .render import sections_html
from .results import from_payload, to_payload
from .store import Store
from .summary import summary_html
from .templates import Template, Text, load_template, template_for

REPORT_FORMATS = (".html", ".pdf")
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")
PDF_TIMEOUT = 180  # seconds

Progress = Callable[[int, int, str], None]
"""Called as ``progress(step, steps, text)`` before each step of a long piece of work."""

STYLE = """
@page { size: A4; margin: 16mm 14mm; }
html { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 11pt;
       color: #222; background: #fff; }
body { max-width: 190mm; margin: 0 auto; padding: 8mm 4mm; line-height: 1.4; }
header.kop { border-bottom: 3px solid #2166ac; margin-bottom: 6mm; padding-bottom: 3mm; }
header.kop h1 { font-size: 20pt; margin: 0 0 2mm; color: #2166ac; }
header.kop p { margin: 1mm 0; }
.gegevens { color: #555; }
.soort { text-transform: uppercase; letter-spacing: 0.05em; font-size: 9pt; color: #555; }
nav ol { columns: 2; padding-left: 6mm; }
nav a { color: #2166ac; text-decoration: none; }
section.blok { margin-top: 8mm; }
section.samenvatting h2 { font-size: 15pt; color: #2166ac; margin: 0 0 1mm; }
section.samenvatting h3 { font-size: 11pt; margin: 3mm 0 1mm; }
section.samenvatting ul { margin: 0 0 1mm; padding-left: 5mm; }
section.samenvatting p { margin: 0 0 1mm; }
.samenvatting-punt { break-inside: avoid; }
section.blok h2 { font-size: 15pt; color: #2166ac; border-bottom: 1px solid #ccc;
                  padding-bottom: 1mm; }
.intro { color: #555; font-style: italic; }
h4 { font-size: 11.5pt; margin: 5mm 0 2mm; }
figure.nw-chart { margin: 2mm 0 4mm; }
figure.nw-chart svg { max-width: 100%; height: auto; display: block; }
.nw-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
.nw-warning { color: #8a1c1c; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; margin: 2mm 0 4mm; }
td, th { border: 1px solid #ccc; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #eef3f8; }
footer { margin-top: 10mm; color: #777; font-size: 9pt; border-top: 1px solid #ccc;
         padding-top: 2mm; }
@media print {
  body { max-width: none; padding: 0; }
  section.blok + section.blok { break-before: page; }
  section.samenvatting { break-after: page; font-size: 9.5pt; columns: 2; column-gap: 8mm; }
  section.samenvatting h2, section.samenvatting > .intro { column-span: all; }
  section.samenvatting + nav { break-after: page; }
  section.blok { margin-top: 0; }
  h2, h4 { break-after: avoid; }
  figure.nw-chart, tr { break-inside: avoid; }
  nav a { color: inherit; }
}
"""


def long_date(moment: datetime, language: str = "nl") -> str:
    """``23 november 2026`` (or ``23 November 2026`` in English)."""
    months = messages(language)("report.months").split()
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def _session_date(created_at: str, language: str) -> str:
    try:
        return long_date(datetime.fromisoformat(created_at).astimezone(), language)
    except ValueError:
        return created_at


def session_report_html(
    session: str,
    *,
    store: Store | str | None = None,
    template: Template | str | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> str:
    """The group results of ``session`` as one self-contained, printable HTML page.

    A title, the session's name, network and date and the number of participants, a
    summary of the findings (:mod:`netwerk_widgets.summary`: page one in print), then
    per block of the template its title, its introduction and the group view as the
    participants see it after a reveal. Charts are inline SVG; there are no scripts and no
    references to other files or sites. ``template`` (a :class:`Template`, a built-in name
    or a YAML file) defaults to the session's own; ``progress`` is told about each block.
    Every text is in ``language`` (default: the template's).
    """
    from .analysis import load_participants
    from .views import block_results, earlier_session

    with opened(store) as db:
        info = db.session(session)
        if template is None:
            template = template_for(info, db)
        elif not isinstance(template, Template):
            template = load_template(template)
        answers = load_answers(info.code, store=db)
        participants = load_participants(info.code, store=db)
        people = db.participants(info.code)
        answered = answers["participant"].nunique()
        language = language or template.language
        m = messages(language)

        def t(text: Text | None) -> str:
            return text.get(language) if text is not None else ""

        summary = summary_html(template, answers, participants, language)
        sections = []
        steps = len(template.blocks)
        for step, block in enumerate(template.blocks, start=1):
            if progress is not None:
                progress(step, steps, t(block.title))
            results = block_results(
                template,
                info.code,
                block.id,
                answers,
                participants,
                language=language,
                earlier=lambda: earlier_session(db, info),
            )
            # Through the payload, as every screen gets it: charts become SVG there.
            rendered = from_payload(to_payload(results))
            sections.append(
                _section(block.id, t(block.title), t(block.intro), sections_html(rendered.sections))
            )

    esc = html.escape
    title = m("report.title", title=info.title)
    contents = "".join(
        f'<li><a href="#blok-{esc(block.id)}">{esc(t(block.title))}</a></li>'
        for block in template.blocks
    )
    count = m(
        "report.participants_one" if len(people) == 1 else "report.participants", n=len(people)
    )
    if answered != len(people):
        count += m("report.of_whom_answered", n=answered)
    shown_network = info.network and info.network != info.title
    network = f"<p>{esc(m('report.network', network=info.network))}</p>\n" if shown_network else ""
    page = (
        f'<!DOCTYPE html>\n<html lang="{esc(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        '<header class="kop">\n'
        f'<p class="soort">{esc(m("report.kind", template=t(template.title) or template.name))}'
        "</p>\n"
        f"<h1>{esc(info.title)}</h1>\n{network}"
        f'<p class="gegevens">{esc(m("report.session", code=info.code))} · '
        f"{esc(_session_date(info.created_at, language))} · {esc(count)}</p>\n</header>\n"
        f"{summary}\n"
        f"<nav><h2>{esc(m('report.contents'))}</h2><ol>{contents}</ol></nav>\n"
        f"{''.join(sections)}"
        f"<footer>{esc(m('report.footer', date=long_date(datetime.now(UTC), language)))}"
        "</footer>\n</body>\n</html>\n"
    )
    return sanitise(page)


def _section(block_id: str, title: str, intro: str, body: str) -> str:
    intro_html = f'<p class="intro">{html.escape(intro)}</p>' if intro else ""
    return (
        f'<section class="blok" id="blok-{html.escape(block_id)}">\n'
        f"<h2>{html.escape(title)}</h2>\n{intro_html}\n{body}\n</section>\n"
    )


# --- sanitising ---------------------------------------------------------------------------

_HTML_TAGS = frozenset(
    """html head body meta title style header footer main nav section article div span p br hr
    h1 h2 h3 h4 h5 h6 ul ol li dl dt dd b i u em strong small sub sup code pre blockquote
    table thead tbody tfoot tr th td caption colgroup col figure figcaption a""".split()
)
_SVG_TAGS = frozenset(
    """svg g path rect circle ellipse line polyline polygon text tspan desc defs clippath
    lineargradient radialgradient stop pattern mask symbol use marker""".split()
)
ALLOWED_TAGS = _HTML_TAGS | _SVG_TAGS
_RAW_TEXT = frozenset({"style", "script"})  # what html.parser reads as raw text
_REFERENCE_ATTRIBUTES = frozenset({"href", "xlink:href", "src", "action", "formaction"})
_STYLE_ATTRIBUTES = frozenset(
    "style fill stroke clip-path mask filter marker-start marker-mid marker-end cursor".split()
)
_FORBIDDEN_ATTRIBUTES = frozenset(
    """http-equiv srcdoc srcset background ping poster data cite longdesc manifest codebase
    archive lowsrc dynsrc usemap imagesrcset""".split()
)
_EXTERNAL_CSS = re.compile(
    r"url\s*\(\s*(?!['\"]?#)|(?:-webkit-)?image-set\s*\(|image\s*\(|cross-fade\s*\(|element\s*\("
    r"|src\s*\(|@import|@font-face|expression\s*\(",
    re.IGNORECASE,
)
"""CSS that fetches (or could fetch) from elsewhere: ``url()`` other than ``url(#id)``, the
image functions that take a bare string (``image-set("…" 1x)``), ``@import`` and the like."""
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)


def _css_plain(css: str) -> str:
    """``css`` as the browser reads its identifiers: escapes such as ``\\75 rl(`` decoded,
    comments removed, so that :data:`_EXTERNAL_CSS` sees ``url(``."""

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            number = int(match.group(1), 16)
            return chr(number) if 0 < number <= 0x10FFFF else "\ufffd"
        return match.group(2)

    return _CSS_ESCAPE.sub(unescape, _CSS_COMMENT.sub("", css))


def _fetches(css: str) -> bool:
    """Whether ``css`` (a style sheet or a style attribute) could load something."""
    return bool(_EXTERNAL_CSS.search(css) or _EXTERNAL_CSS.search(_css_plain(css)))


def _attribute_allowed(name: str, value: str | None) -> bool:
    """No event handlers, no references beyond the page, no CSS that fetches anything."""
    if name.startswith("on") or name in _FORBIDDEN_ATTRIBUTES:
        return False
    if name in _REFERENCE_ATTRIBUTES:
        return (value or "").strip().startswith("#")
    if name in _STYLE_ATTRIBUTES:
        return not _fetches(value or "")
    return True


class _Sanitiser(HTMLParser):
    """Re-emits HTML, turning every element that is not allowed into visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._rejected: list[str] = []  # open elements shown as text, innermost last
        self._raw: str | None = None  # the raw-text element we are in (style, script...)
        self._raw_allowed = False

    def _allowed(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        return tag in ALLOWED_TAGS and all(_attribute_allowed(n, v) for n, v in attrs)

    def handle_decl(self, decl: str) -> None:
        if decl.lower().startswith("doctype"):
            self.out.append(f"<!{decl}>")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or ""
        allowed = self._allowed(tag, attrs)
        if tag in _RAW_TEXT:
            self._raw, self._raw_allowed = tag, allowed and tag == "style"
            allowed = self._raw_allowed
        self.out.append(text if allowed else html.escape(text))
        if not allowed and tag not in _RAW_TEXT:
            self._rejected.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        text = self.get_starttag_text() or ""
        self.out.append(text if self._allowed(tag, attrs) else html.escape(text))

    def handle_endtag(self, tag: str) -> None:
        if self._raw == tag:
            allowed, self._raw = self._raw_allowed, None
        else:
            allowed = tag in ALLOWED_TAGS
            if tag in self._rejected:
                allowed = False
                del self._rejected[len(self._rejected) - 1 - self._rejected[::-1].index(tag)]
        self.out.append(f"</{tag}>" if allowed else html.escape(f"</{tag}>"))

    def handle_data(self, data: str) -> None:
        if self._raw is not None and self._raw_allowed:
            if not _fetches(data):  # a stylesheet that fetches nothing
                self.out.append(data.replace("</", "<\\/"))
        else:
            self.out.append(html.escape(data, quote=False))


def sanitise(page: str) -> str:
    """``page`` with every element or attribute outside a short allow-list shown as text.

    Allowed are the HTML elements of a text with tables, inline SVG, ``<style>`` and links
    within the page (``href="#..."``). Scripts, images, frames, forms, event handlers
    (``on...``), ``ping`` and anything that fetches from elsewhere (``src``, an external
    ``href``, CSS ``url()``, ``image-set()``, ``@import``, also written with CSS escapes such
    as ``\\75 rl(``) become escaped text. Comments are dropped.
    """
    parser = _Sanitiser()
    parser.feed(page)
    parser.close()
    return "".join(parser.out)


# --- writing ------------------------------------------------------------------------------


def find_chromium(pdf: str | os.PathLike[str] | None = None) -> str | None:
    """The Chromium to print PDFs with: ``pdf`` if given, else the first one installed."""
    if pdf is not None:
        found = shutil.which(os.fspath(pdf))
        return found
    for candidate in CHROMIUM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def write_report(
    path: str | os.PathLike[str],
    session: str,
    *,
    store: Store | str | None = None,
    pdf: str | os.PathLike[str] | None = None,
    template: Template | str | None = None,
    progress: Progress | None = None,
    language: str | None = None,
) -> Path:
    """Write the report of ``session`` (see :func:`session_report_html`) to ``path``.

    ``.html`` writes the page; ``.pdf`` prints it with headless Chromium (A4, no browser
    header or footer). ``pdf`` names the Chromium program to use; by default ``chromium``
    on the ``PATH`` or ``/usr/bin/chromium``. Returns the path written.

    Raises
    ------
    NetwerkError
        For another suffix, when no Chromium is found for a PDF (the HTML can be printed
        from a browser instead), or when printing fails.
    """
    target = Path(path)
    suffix = check_suffix(target, REPORT_FORMATS)
    browser = None
    if suffix == ".pdf":
        browser = find_chromium(pdf)
        if browser is None:
            if pdf is not None:
                raise NetwerkError(key="errors.pdf_missing_at", path=os.fspath(pdf))
            raise NetwerkError(key="errors.pdf_missing")
    total = [0]

    def per_block(step: int, steps: int, text: str) -> None:
        total[0] = steps + (browser is not None)
        if progress is not None:
            progress(step, total[0], text)

    page = session_report_html(
        session, store=store, template=template, progress=per_block, language=language
    )
    with written(target) as part:
        if browser is None:
            part.write_text(page, encoding="utf-8")
        else:
            if progress is not None:
                progress(total[0], total[0], messages(language or "nl")("report.printing"))
            _print_pdf(browser, page, part)
    return target


def _print_pdf(browser: str, page: str, target: Path) -> None:
    """Print ``page`` to ``target`` with headless Chromium, in a throwaway profile."""
    with tempfile.TemporaryDirectory(prefix="netwerk-pdf-") as work:
        folder = Path(work)
        source = folder / "verslag.html"
        source.write_text(page, encoding="utf-8")
        output = folder / "verslag.pdf"
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",  # the same, for Chromium before version 110
            "--no-first-run",
            "--disable-extensions",
            "--disable-sync",
            "--disable-background-networking",
            "--disable-component-update",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            f"--user-data-dir={folder / 'profiel'}",
            f"--print-to-pdf={output}",
            source.as_uri(),
        ]
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            _, err = process.communicate(timeout=PDF_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise NetwerkError(key="errors.pdf_timeout", seconds=PDF_TIMEOUT) from None
        if not output.exists() or not output.read_bytes().startswith(b"%PDF"):
            detail = err.decode(errors="replace").strip().splitlines()
            last = next((line for line in reversed(detail) if "dbus" not in line), "")
            raise NetwerkError(
                key="errors.pdf_failed",
                browser=browser,
                code=process.returncode,
                detail=f": {last}" if last else "",
            )
        shutil.copyfile(output, target)
