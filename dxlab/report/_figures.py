"""The reports' figures, drawn once with :mod:`dxlab.plots` and kept as :class:`~._model.Figure` blocks.

Each figure is drawn inside the plots style and closed in pyplot straight away: the model keeps the
figure object (it renders to SVG or PNG later), pyplot does not keep dozens of open windows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

from .. import plots
from ..rubric import Rubric
from ._model import Figure

__all__ = ["delta_figure", "gap_figure", "heat_figure", "level_badge", "likert_figure", "radar_figure"]


def level_badge(level: int | None, levels: tuple[int, ...]) -> tuple[str, str]:
    """Background and text colour of a level badge (the figures' level colours)."""
    if level is None or level not in levels or len(levels) != len(plots.LEVEL_COLORS):
        return "#d9d9d9", "black"
    colour = plots.LEVEL_COLORS[levels.index(level)]
    return colour, plots.text_color(colour)


def _kept(title: str, fig: Any, width_mm: float) -> Figure:
    """Lay the figure out once and keep that layout: every later save (SVG for HTML, PNG for Word) then draws
    without running the constrained-layout solver again, which costs more than drawing."""
    with plots.style():
        fig.draw_without_rendering()
    fig.set_layout_engine("none")
    plt.close(fig)
    return Figure(title, fig, width_mm)


def _draw(
    title: str, width_mm: float, figsize: tuple[float, float], draw: Callable[[Any], Any], *, polar: bool = False
) -> Figure:
    with plots.style():
        fig, ax = plt.subplots(
            figsize=figsize, layout="constrained", subplot_kw={"projection": "polar"} if polar else None
        )
        draw(ax)
    return _kept(title, fig, width_mm)


def radar_figure(
    profile: pd.Series,
    benchmark: pd.Series | None,
    target: pd.Series | None,
    rubric: Rubric,
    lang: str,
    *,
    profile_label: str,
    title: str,
    benchmark_label: str | None = None,
    width_mm: float = 95.0,
) -> Figure:
    """Dimension scores against a benchmark (and a target), when those are known."""
    bench = benchmark if benchmark is not None and benchmark.notna().any() else None
    goal = target if target is not None and target.notna().any() else None
    return _draw(
        title,
        width_mm,
        (5.0, 4.8),
        lambda ax: plots.radar(
            profile,
            benchmark=bench,
            target=goal,
            rubric=rubric,
            lang=lang,
            profile_label=profile_label,
            benchmark_label=benchmark_label,
            ax=ax,
        ),
        polar=True,
    )


def gap_figure(open_gaps: pd.DataFrame, rubric: Rubric, lang: str, top: int, title: str) -> Figure:
    # gap_bars sizes its own figure to the number of bars, so it draws on a new one.
    with plots.style():
        ax = plots.gap_bars(open_gaps, rubric=rubric, lang=lang, top=top)
    return _kept(title, ax.figure, 165.0)


def likert_figure(
    data: pd.DataFrame,
    items: list[str] | None,
    rubric: Rubric,
    lang: str,
    title: str,
    *,
    by: str | None = None,
    labels: Any = "both",
) -> Figure:
    # likert_bars sizes a figure of its own to its bars and their (multi-line) labels.
    with plots.style():
        ax = plots.likert_bars(data, items, by=by, rubric=rubric, lang=lang, labels=labels)
    return _kept(title, ax.figure, 170.0)


def heat_figure(
    frame: pd.DataFrame,
    dim_ids: list[str],
    groups: list[str],
    rubric: Rubric,
    lang: str,
    title: str,
    group_label: Callable[[object], str],
) -> Figure:
    data = frame.assign(sector=pd.Categorical(frame["sector"], categories=groups))
    return _draw(
        title,
        150.0,
        (8.0, 0.5 * len(groups) + 2.0),
        lambda ax: plots.heatmap(
            data, dim_ids, by="sector", rubric=rubric, lang=lang, labels="text", ax=ax, group_labels=group_label
        ),
    )


def delta_figure(
    delta: pd.DataFrame, column_labels: list[str], row_labels: list[str], title: str, colour_label: str
) -> Figure:
    """Cliff's δ of one sector against each other sector (rows) per dimension (columns), on −1 … 1."""

    def draw(ax: Any) -> None:
        values = delta.to_numpy(dtype=float)
        cmap, norm = plots.corr_cmap(), Normalize(-1, 1)
        image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
        for (i, j), value in np.ndenumerate(values):
            if not np.isnan(value):
                ax.text(
                    j,
                    i,
                    f"{value:+.2f}",
                    ha="center",
                    va="center",
                    fontsize=8,
                    color=plots.text_color(cmap(norm(value))),
                )
        ax.set_xticks(range(delta.shape[1]), [plots.wrap(c, 12, 4) for c in column_labels])
        ax.set_yticks(range(delta.shape[0]), [plots.wrap(r, 28, 2) for r in row_labels])
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        bar = ax.figure.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
        bar.set_label(colour_label)
        bar.outline.set_visible(False)

    return _draw(title, 150.0, (8.0, 0.5 * len(delta) + 2.0), draw)
