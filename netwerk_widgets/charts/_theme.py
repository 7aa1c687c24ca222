"""The one look of every chart: colours, fonts, sizes, and how category labels are shown.

Builders take their colours, font sizes and default widths from here and nowhere else, so a
change of look is a change of this file. Nothing here sets Altair's global theme or a
chart's ``config``: a builder's chart stays free to be layered, concatenated and changed.

Category labels (question texts, option and group names) are never clipped: :func:`wrap`
breaks them onto a few lines (the axes draw them with :data:`MULTILINE`) and ends a text
that is still too long with an ellipsis; the builders put the full text in the tooltip.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence

import altair as alt

# --- Sizes and fonts -----------------------------------------------------------------------

WIDTH = 180
"""Width in pixels of the plotting area of a bar or dot chart.

Phones first: with its wrapped labels a chart is about 340 px wide, so a phone shows it at
its own size (a wider SVG shrinks to the screen and its 11 px labels to 6 px). Larger
screens scale it up: the projector's presentation mode fills the screen with it.
"""

SQUARE = 260
"""Width and height of the yields-against-costs chart."""

NETWORK_WIDTH, NETWORK_HEIGHT = 320, 360
"""Size of the network drawing: with its margins about 340 px wide, like the bar charts."""

ROW = 24
"""Least height in pixels of one category (one bar) in a bar chart."""

CELL = 26
"""Width of one column of the ambition heatmap, and the least height of one of its rows."""


FONT_SIZE = 11
"""Axis and legend labels, names next to points."""

NOTE_SIZE = 10
"""Small explanatory text inside a chart."""

MESSAGE_SIZE = 16
"""A chart that only says there is nothing to draw yet."""

LINE_HEIGHT = 13
"""Distance between the lines of a wrapped label."""

LABEL_WIDTH = 24
"""Characters per line of a wrapped category label on a vertical axis."""

LABEL_LINES = 6
"""Lines of a wrapped label before it is shortened with an ellipsis."""

LEGEND_WIDTH = 22
"""Characters of a legend label (group and level names), shortened with "…" beyond it.

Legends draw one line per entry (Vega lets a second line run into the next entry).
"""

NAME_WIDTH, NAME_LINES = 24, 2
"""Characters per line, and lines, of a name written next to a point or a circle."""

# --- Colours -------------------------------------------------------------------------------

PRIMARY = "#2166ac"
"""Bars that only count (one colour), and "enough" in a yes/no chart."""

ALERT = "#b2182b"
"""What needs attention in a yes/no chart (too few doers)."""

GOOD = "#1a9641"
BAD = "#d7191c"
MUTED = "#969696"
"""Neutral marks and notes."""

FAINT = "#bdbdbd"
"""Unknown groups and directions."""

UNKNOWN = "#f0f0f0"
""""weet ik niet"."""

INK = "#222222"
"""Names and outlines."""

QUIET_INK = "#666666"
"""A chart's only message."""

EDGE = "#999999"
"""Lines between actors."""

RULE = "#737373"
"""Reference lines (the diagonal, a minimum)."""

DIVERGING_ANCHORS = ("#b2182b", "#ef8a62", "#d9d9d9", "#67a9cf", "#2166ac")
"""Low (red) through a grey middle to high (blue); :func:`diverging` samples any number."""

SEQUENTIAL_ANCHORS = ("#f0f0f0", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
"""Little to much (ordered levels); :func:`sequential` samples any number."""

GROUP_COLOURS = (
    "#4c78a8",
    "#f58518",
    "#54a24b",
    "#b279a2",
    "#e45756",
    "#72b7b2",
    "#eeca3b",
    "#9d755d",
)
"""Groups with no order (roles, organisations), repeated when there are more."""

POSITION_COLOURS: Mapping[str, str] = {
    "win": GOOD,
    "balance": MUTED,
    "loss": BAD,
    "unknown": "#d9d9d9",
}
DIRECTION_COLOURS: Mapping[str, str] = {
    "up": GOOD,
    "down": BAD,
    "same": MUTED,
    "unknown": FAINT,
}
ROLE_SCHEME = "tableau10"
"""Colours of the roles in the network drawing (a Vega scheme)."""


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def palette(anchors: Sequence[str], n: int) -> list[str]:
    """``n`` colours evenly spread over ``anchors`` (linear in RGB); the anchors for ``n`` equal."""
    if n <= 0:
        return []
    if n == 1:
        return [anchors[len(anchors) // 2]]
    colours = []
    steps = len(anchors) - 1
    for index in range(n):
        position = index / (n - 1) * steps
        left = min(math.floor(position), steps - 1)
        share = position - left
        a, b = _rgb(anchors[left]), _rgb(anchors[left + 1])
        mixed = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
        colours.append("#{:02x}{:02x}{:02x}".format(*mixed))
    return colours


def diverging(n: int) -> list[str]:
    """Colours of the ``n`` points of a scale: red (lowest) to blue (highest).

    An odd number has a grey middle point; an even number has two light middle colours.
    """
    return palette(DIVERGING_ANCHORS, n)


def sequential(n: int) -> list[str]:
    """Colours of ``n`` ordered levels, light to dark."""
    return palette(SEQUENTIAL_ANCHORS, n)


def group_colours(n: int) -> list[str]:
    """``n`` colours for unordered groups."""
    return [GROUP_COLOURS[i % len(GROUP_COLOURS)] for i in range(n)]


# --- Labels --------------------------------------------------------------------------------

MULTILINE = "split(datum.label, '\\n')"
"""Vega expression that draws a label made by :func:`wrap` on several lines."""

CENTRED = f"-(length({MULTILINE}) - 1) * {LINE_HEIGHT / 2}"
"""Vega expression that moves a label of several lines up to centre it on its tick.

Vega draws the first line at the tick and the others below it.
"""


def wrap(text: object, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """``text`` broken onto at most ``lines`` lines of about ``width`` characters.

    Whitespace is normalised and words are kept whole (a single word longer than ``width``
    gets a line of its own); a text that needs more lines keeps the first ``lines`` and ends
    with "…". Lines are joined by ``"\\n"``, which :data:`MULTILINE` splits again.
    """
    flat = " ".join(str(text).split())
    parts = textwrap.wrap(flat, width=width, break_long_words=False, break_on_hyphens=False)
    parts = parts or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip(" ,;:.") + "…"
    return "\n".join(parts)


def category_labels(
    keys: Iterable[str],
    labels: Mapping[str, str] | None = None,
    *,
    width: int = LABEL_WIDTH,
    lines: int = LABEL_LINES,
) -> tuple[dict[str, str], dict[str, str]]:
    """Per key the full text (``labels``, else the key) and the wrapped text to show.

    Both are unique: a text given to two keys gets the key added, so two categories never
    merge into one bar.
    """
    labels = dict(labels or {})
    full: dict[str, str] = {}
    shown: dict[str, str] = {}
    for key in dict.fromkeys(keys):
        text = " ".join(str(labels.get(key, key)).split()) or str(key)
        if text in full.values():
            text = f"{text} ({key})"
        short = wrap(text, width, lines)
        if short in shown.values():
            short = f"{short}\n({key})"
        full[key], shown[key] = text, short
    return full, shown


def step(shown: Iterable[str], least: int = ROW) -> int:
    """Height of one category: at least ``least``, more when a label has several lines."""
    most = max((label.count("\n") + 1 for label in shown), default=1)
    return max(least, most * LINE_HEIGHT + 8)


def category_axis(*, vertical: bool = True, **options: object) -> alt.Axis:
    """An axis of wrapped category labels, drawn in full (no pixel limit).

    ``vertical`` (a y axis) centres every label on its tick; on an x axis the lines hang
    below the tick.
    """
    settings: dict[str, object] = {
        "labelExpr": MULTILINE,
        "labelLimit": 0,
        "labelFontSize": FONT_SIZE,
        "labelLineHeight": LINE_HEIGHT,
    }
    if vertical:
        settings["labelOffset"] = {"expr": CENTRED}
    settings.update(options)
    return alt.Axis(**settings)


def name_axis(**options: object) -> alt.Axis:
    """An x axis of one-line labels written upwards, for narrow columns (names)."""
    settings: dict[str, object] = {
        "labelAngle": -90,
        "labelAlign": "right",
        "labelBaseline": "middle",
        "labelLimit": 0,
        "labelFontSize": FONT_SIZE,
    }
    settings.update(options)
    return alt.Axis(**settings)


def legend_label(text: object) -> str:
    """A legend label: ``text`` on one line, shortened with "…" beyond :data:`LEGEND_WIDTH`."""
    return wrap(text, LEGEND_WIDTH, 1)


def category_legend(**options: object) -> alt.Legend:
    """A legend of labels made by :func:`legend_label`, drawn without a pixel limit."""
    settings: dict[str, object] = {"labelLimit": 0, "labelFontSize": FONT_SIZE}
    settings.update(options)
    return alt.Legend(**settings)
