"""The dxlab look: fonts, the level palette and small helpers every figure module shares.

Why our own palette rather than a named matplotlib colormap: the five maturity levels must keep the same
colour in every figure (a bar of "Hình thành" is the same yellow in a Likert chart, a heatmap cell and a gap
chart), the middle level must read as neutral, and text drawn on top of any level colour must stay readable.
The five colours are ColorBrewer's RdYlBu diverging scheme (Brewer & Harrower; marked colour-blind safe),
with the 6-class yellow in the middle so that level 3 is visible on white paper.

Fonts: DejaVu Sans is set explicitly because it covers Vietnamese (every precomposed letter with its tone
mark, e.g. "ệ", "ở", "ữ") and ships with matplotlib itself, so figures render the same on every machine.
"""

from __future__ import annotations

import contextlib
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, to_rgb

from .._i18n import check_lang, tr

__all__ = [
    "LEVEL_COLORS",
    "MISSING_COLOR",
    "PROFILE_COLOR",
    "BENCHMARK_COLOR",
    "TARGET_COLOR",
    "STYLE",
    "FONT",
    "level_colors",
    "level_cmap",
    "share_cmap",
    "corr_cmap",
    "text_color",
    "use_style",
    "style",
    "wrap",
]

#: Colours of levels 1–5 (ColorBrewer RdYlBu): red = initiating … blue = leading.
LEVEL_COLORS: tuple[str, ...] = ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4")
#: Unanswered / no data.
MISSING_COLOR = "#d9d9d9"
#: Lines of a radar chart: the enterprise, its benchmark (sector median) and the target (Okabe–Ito).
PROFILE_COLOR = "#0072B2"
BENCHMARK_COLOR = "#E69F00"
TARGET_COLOR = "#444444"
FONT = "DejaVu Sans"

STYLE: dict[str, object] = {
    "font.family": "sans-serif",
    # DejaVu Sans ships with matplotlib, so it is always found first; the others only name fallbacks in SVG
    # files (text kept as text), for a reader whose system lacks DejaVu.
    "font.sans-serif": [FONT, "Noto Sans", "Arial", "Liberation Sans"],
    "font.size": 10.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": "#222222",
    "axes.axisbelow": True,
    "axes.grid": False,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.8,
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "legend.frameon": False,
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "savefig.dpi": 150,
    "savefig.facecolor": "white",
    "savefig.bbox": "tight",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "axes.prop_cycle": mpl.cycler(
        color=["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
    ),
}


def use_style() -> None:
    """Make the dxlab style the default for every later figure (e.g. at the top of a notebook)."""
    mpl.rcParams.update(STYLE)


@contextmanager
def patched_rc(settings: dict[str, object]) -> Iterator[None]:
    """Apply ``settings`` to matplotlib inside the block and restore only those keys afterwards.

    ``mpl.rc_context`` would restore every key, and the first figure of a Jupyter session switches
    ``interactive`` on inside it: restoring that switches it off again, and every later figure in the
    notebook silently stops showing.
    """
    saved = {key: mpl.rcParams[key] for key in settings}
    mpl.rcParams.update(settings)
    try:
        yield
    finally:
        mpl.rcParams.update(saved)


def style() -> contextlib.AbstractContextManager[None]:
    """Context in which new figures use the dxlab style; the figure functions draw inside it."""
    return patched_rc(STYLE)


def level_colors(n: int = 5) -> list[str]:
    """``n`` level colours: the palette itself for five levels, evenly spread along it otherwise."""
    if n < 1:
        raise ValueError(f"need at least one level, got {n}")
    if n == len(LEVEL_COLORS):
        return list(LEVEL_COLORS)
    cmap = level_cmap()
    return [mpl.colors.to_hex(cmap(x)) for x in np.linspace(0.0, 1.0, n)] if n > 1 else [LEVEL_COLORS[2]]


def level_cmap() -> LinearSegmentedColormap:
    """A continuous colormap through the five level colours (for mean levels 1 → 5)."""
    return LinearSegmentedColormap.from_list("dxlab_levels", LEVEL_COLORS).with_extremes(bad=MISSING_COLOR)


def share_cmap() -> LinearSegmentedColormap:
    """Sequential white → level-5 blue, for shares and counts."""
    return LinearSegmentedColormap.from_list(
        "dxlab_share", ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
    ).with_extremes(bad=MISSING_COLOR)


def corr_cmap() -> LinearSegmentedColormap:
    """Diverging purple–orange (ColorBrewer PuOr, colour-blind safe) for correlations −1 … 1; blank cells
    are white."""
    return LinearSegmentedColormap.from_list(
        "dxlab_corr", ["#b35806", "#f1a340", "#f7f7f7", "#998ec3", "#542788"]
    ).with_extremes(bad="white")


def _luminance(color: object) -> float:
    """WCAG relative luminance of a colour."""
    channels = np.array(to_rgb(color))
    linear = np.where(channels <= 0.03928, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(linear @ np.array([0.2126, 0.7152, 0.0722]))


def text_color(background: object) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG contrast ratio)."""
    lum = _luminance(background)
    return "black" if (lum + 0.05) / 0.05 >= 1.05 / (lum + 0.05) else "white"


def wrap(text: str, width: int, max_lines: int | None = None) -> str:
    """Wrap a label at word boundaries; with ``max_lines``, end a longer text with "…"."""
    lines = textwrap.wrap(str(text), width=width, break_long_words=True) or [""]
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: max(width - 1, 1)].rstrip() + "…") if len(last) >= width else last + "…"
    return "\n".join(lines)


def new_axes(ax: Axes | None, figsize: tuple[float, float], *, polar: bool = False) -> Axes:
    """``ax`` itself, or the axes of a new figure of ``figsize`` inches (constrained layout)."""
    if ax is not None:
        if polar and getattr(ax, "name", "") != "polar":
            raise ValueError(
                "radar needs polar axes: create them with "
                "plt.subplots(subplot_kw={'projection': 'polar'}) or pass ax=None"
            )
        return ax
    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.add_subplot(projection="polar" if polar else None)


def level_names(levels: Sequence[int], rubric: Any, lang: str) -> list[str]:
    """Legend names of ``levels``: "3 · Hình thành" from the rubric, else "Mức 3" / "Level 3"."""
    lang = check_lang(lang)
    names = []
    for value in levels:
        if rubric is not None:
            try:
                names.append(f"{value} · {rubric.level_label(int(value), lang)}")
                continue
            except KeyError:
                pass
        names.append(tr("plots.level_n", lang, level=value))
    return names
