"""The report sanitiser as defence in depth (issue 16, point 19): CSS and attributes that
made Chromium fetch outside URLs from a crafted snippet are shown as text."""

from __future__ import annotations

import re

import pytest

from netwerk_widgets.report import sanitise

SNIPPETS = {
    "image-set in a style attribute": (
        "<div style=\"background-image: image-set('http://example.invalid/a.png' 1x)\">x</div>"
    ),
    "-webkit-image-set with a bare string": (
        "<p style=\"background: -webkit-image-set('http://example.invalid/b.png' 1x)\">x</p>"
    ),
    "escaped url in a style attribute": (
        '<div style="background:\\75 rl(http://example.invalid/c.png)">x</div>'
    ),
    "long escape in a style sheet": (
        "<style>p{background:\\000075rl(http://example.invalid/d.png)}</style><p>x</p>"
    ),
    "image-set in a style sheet": (
        '<style>p{background-image:image-set("http://example.invalid/e.png" 1x)}</style>'
    ),
    "comment inside url": "<style>p{background:u\\72l/**/(http://example.invalid/f.png)}</style>",
    "ping on a link": '<a href="#boven" ping="http://example.invalid/ping">naar boven</a>',
    "escaped import": "<style>@\\69mport 'http://example.invalid/g.css';</style>",
}


@pytest.mark.parametrize("case", SNIPPETS)
def test_outside_fetches_are_shown_as_text(case: str) -> None:
    snippet = SNIPPETS[case]
    clean = sanitise(f"<!DOCTYPE html><html><body>{snippet}</body></html>")
    live_tags = re.findall(r"<[^<>]*>", clean)  # what the sanitiser escaped is &lt;...&gt;
    assert not any("example.invalid" in tag for tag in live_tags)
    sheets = re.findall(r"<style>(.*?)</style>", clean, re.DOTALL)
    assert not any("example.invalid" in css for css in sheets)


def test_what_the_report_itself_uses_stays() -> None:
    page = (
        "<style>.bar { fill: url(#verloop); }</style>"
        '<a href="#blok-1">Blok</a><svg><rect style="fill: url(#verloop)"/></svg>'
    )
    assert sanitise(page) == page
