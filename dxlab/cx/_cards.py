"""Drawing one-page text cards with matplotlib: wrapped bullet blocks in boxes, measured in inches.

matplotlib does not wrap text to a box, so the cards wrap by characters (:mod:`textwrap`) with a width
estimated from the font size, and shrink the font, then cut the list with a "+n more" line, when a box
overflows. That is rough but deterministic, and a card stays one page whatever participants type.
"""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from . import _style

LINE = 1.35  # line height in multiples of the font size
CHAR_WIDTH = 0.55  # average DejaVu Sans character width in multiples of the font size


def card_axes(fig: Figure) -> Axes:
    """An invisible Axes over the whole figure whose data units are inches, origin at the bottom left."""
    width, height = fig.get_size_inches()
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return ax


def wrap(items: tuple[str, ...], width_in: float, fontsize: float, bullet: str = "• ") -> list[str]:
    chars = max(8, int(width_in * 72 / (fontsize * CHAR_WIDTH)))
    lines: list[str] = []
    for item in items:
        lines += textwrap.wrap(
            item, chars, initial_indent=bullet, subsequent_indent=" " * len(bullet), break_long_words=True
        ) or [bullet]
    return lines


def fit(
    items: tuple[str, ...],
    width_in: float,
    height_in: float,
    fontsize: float,
    min_fontsize: float = 7.0,
    more: str = "+{n}",
) -> tuple[list[str], float]:
    """Wrapped lines and the font size that fit ``items`` in the box; cut with a "+n" line if needed."""
    size = fontsize
    while True:
        lines = wrap(items, width_in, size)
        capacity = int(height_in * 72 / (size * LINE))
        if len(lines) <= capacity:
            return lines, size
        if size - 0.5 >= min_fontsize:
            size -= 0.5
            continue
        kept: list[str] = []
        shown = 0
        for item in items:  # whole items only, leaving one line for the "+n" note
            block = wrap((item,), width_in, size)
            if len(kept) + len(block) > capacity - 1:
                break
            kept += block
            shown += 1
        return kept + [more.format(n=len(items) - shown)], size


def box(
    ax: Axes,
    x: float,
    y: float,
    width: float,
    height: float,
    *,
    heading: str,
    items: tuple[str, ...],
    facecolor: str,
    fontsize: float = 9.5,
    empty: str = "—",
    more: str = "+{n}",
    gid: str | None = None,
) -> None:
    """A rounded box with a bold heading and the wrapped bullet list ``items`` (top-left at x, y+height)."""
    ax.add_patch(
        FancyBboxPatch(
            (x, y),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=facecolor,
            edgecolor=_style.CARD_ACCENT,
            linewidth=0.8,
            gid=gid,
        )
    )
    pad = 0.12
    ax.text(
        x + pad,
        y + height - pad,
        heading,
        ha="left",
        va="top",
        fontsize=11,
        fontweight="bold",
        color=_style.CARD_ACCENT,
        fontfamily=_style.FONT,
    )
    body_top = y + height - pad - 11 * LINE / 72 - 0.05
    lines, size = fit(items, width - 2 * pad, body_top - y - pad, fontsize, more=more) if items else ([empty], fontsize)
    ax.text(
        x + pad,
        body_top,
        "\n".join(lines),
        ha="left",
        va="top",
        fontsize=size,
        linespacing=LINE,
        fontfamily=_style.FONT,
        color="#212529",
    )
