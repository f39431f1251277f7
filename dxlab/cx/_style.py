"""The look of the CX figures, in one place so that a shared dxlab style can replace it later.

Vietnamese needs a font with its stacked tone marks (ế, ữ, ỗ …): DejaVu Sans ships with matplotlib and has
them all, so every figure sets it explicitly rather than trusting the user's default font.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..plots import patched_rc

FONT = "DejaVu Sans"

QUADRANT_COLOURS = {"collaborate": "#2a9d8f", "participate": "#264653", "defend": "#e76f51", "outsiders": "#8d99ae"}
QUADRANT_FILL_ALPHA = 0.10
EMOTION_LINE = "#264653"
PAIN = "#d62828"
OPPORTUNITY = "#2a9d8f"
STAGE_BANDS = ("#f1f3f5", "#ffffff")
MUTED = "#6c757d"
EMPATHY_COLOURS = {"says": "#e9f5f2", "thinks": "#eef1fb", "does": "#fdf3e7", "feels": "#fbeaea"}
CARD_ACCENT = "#264653"
EXPERIENCE_COLOURS = {
    "respond_to_desire": "#8ecae6",
    "curated_offering": "#219ebc",
    "coach_behaviour": "#ffb703",
    "automatic_execution": "#fb8500",
}


def rc() -> dict:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [FONT],
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.labelsize": 10,
        "xtick.labelsize": 9,
        "ytick.labelsize": 9,
    }


def style() -> AbstractContextManager[None]:
    """Everything created inside uses the CX style (texts keep the font they were created with); only the
    keys of :func:`rc` are restored afterwards (see :func:`dxlab.plots._style.patched_rc`)."""
    return patched_rc(rc())


def axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    """``ax`` itself, or the Axes of a new figure of ``figsize`` inches."""
    if ax is not None:
        return ax
    fig = plt.figure(figsize=figsize)
    return fig.add_subplot()


def figure(fig: Figure | None, figsize: tuple[float, float]) -> Figure:
    """``fig`` itself (which the card draws into), or a new figure of ``figsize`` inches."""
    return fig if fig is not None else plt.figure(figsize=figsize)


def finish(ax: Axes) -> Axes:
    """Set the font on the tick labels too: an Axes passed in may have made them before our style applied."""
    ax.tick_params(labelfontfamily=FONT)
    for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
        text.set_fontfamily(FONT)
    return ax
