"""Figures of change between waves: the transition heatmap, a before → after slope chart and level flows.

They draw the results of :mod:`dxlab.stats` (:func:`~dxlab.stats.transition_matrix`,
:func:`~dxlab.stats.paired_change`) or any table of before/after values, and compute nothing themselves.
The level flows are an alluvial picture drawn with plain matplotlib: one stacked bar of levels per wave and a
band for every (before, after) pair of levels, as wide as the number of enterprises that moved that way.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from .._i18n import check_lang, fmt_int, fmt_percent, tr
from ._common import LabelSpec, as_float, bar_label, resolve_rubric
from ._style import level_colors, level_names, new_axes, share_cmap, style, text_color

__all__ = ["level_flows", "slope_chart", "transition_heatmap"]

UP_COLOR, DOWN_COLOR, SAME_COLOR = "#0072B2", "#D55E00", "#8c8c8c"


def _transition_parts(transitions: Any) -> tuple[pd.DataFrame, pd.DataFrame, str, Any, Any, pd.Series | None]:
    """Counts, row shares, item, waves and summary row of a Transitions object or a square count table."""
    if hasattr(transitions, "counts") and hasattr(transitions, "shares"):
        summary = transitions.summary.iloc[0] if len(transitions.summary) else None
        return (
            transitions.counts,
            transitions.shares,
            str(transitions.item),
            transitions.before,
            transitions.after,
            summary,
        )
    if isinstance(transitions, pd.DataFrame) and transitions.shape[0] == transitions.shape[1]:
        counts = transitions.astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            shares = counts.div(counts.sum(axis=1), axis=0)
        return counts, shares, "", counts.index.name or "", counts.columns.name or "", None
    raise ValueError(
        "transitions must be the result of dxlab.stats.transition_matrix(...) or a square table of "
        f"counts (levels before × levels after), not {type(transitions).__name__}"
    )


def transition_heatmap(
    transitions: Any,
    *,
    rubric: object | None = None,
    lang: str | None = None,
    title: str | None = None,
    colorbar: bool = True,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of a transition matrix: colour = share of the row, text = count and share.

    Parameters
    ----------
    transitions : Transitions or DataFrame
        :func:`dxlab.stats.transition_matrix`'s result, or a square table of counts.
    rubric : Rubric or str, optional
        Supplies level names.
    lang : {"vi", "en"}, optional
    title : str, optional
        Default: the item and the shares moving up / staying / down.
    colorbar : bool
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel(n=200, seed=1, respondents=False)
    >>> moves = dxlab.stats.transition_matrix(panel, "CUS.ENG.1", levels=[1, 2, 3, 4, 5])
    >>> ax = dxlab.plots.transition_heatmap(moves, rubric="mobifone-dx")
    """
    lang = check_lang(lang)
    rubric = resolve_rubric(rubric)
    counts, shares, item, before, after, summary = _transition_parts(transitions)
    levels = [int(v) if float(v).is_integer() else v for v in counts.index]
    values = shares.to_numpy(dtype=float)
    cmap = share_cmap()
    norm = Normalize(0.0, 1.0)
    with style():
        ax = new_axes(ax, (1.2 * len(levels) + 2.6, 0.9 * len(levels) + 1.6))
        image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
        colors = cmap(norm(np.nan_to_num(values)))
        table = counts.to_numpy(dtype=float)
        for i in range(table.shape[0]):
            for j in range(table.shape[1]):
                share = fmt_percent(values[i, j], lang) if np.isfinite(values[i, j]) else ""
                text = f"{fmt_int(table[i, j], lang)}\n{share}" if table[i, j] else "·"
                ax.text(j, i, text, ha="center", va="center", fontsize=8, color=text_color(colors[i, j]))
            ax.add_patch(Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="#333333", linewidth=1.2))
        names = level_names(levels, rubric, lang)
        ax.set_xticks(range(len(levels)), [n.replace(" · ", "\n") for n in names], fontsize=8)
        ax.set_yticks(range(len(levels)), names, fontsize=8)
        ax.set_xlabel(tr("waves.level_after", lang, wave=after))
        ax.set_ylabel(tr("waves.level_before", lang, wave=before))
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if colorbar:
            bar = ax.figure.colorbar(image, ax=ax, fraction=0.05, pad=0.02)
            bar.set_label(tr("waves.row_share", lang))
        if title is None and item:
            title = tr("waves.transition_title", lang, item=item)
            if summary is not None and np.isfinite(summary["share_up"]):
                moves = [
                    tr(f"waves.{key}", lang, share=fmt_percent(summary[column], lang))
                    for key, column in (
                        ("moved_up", "share_up"),
                        ("stayed", "share_stay"),
                        ("moved_down", "share_down"),
                    )
                ]
                title += "\n" + " · ".join(moves)
        if title:
            ax.set_title(title, fontsize=11)
    return ax


def _slope_columns(
    table: pd.DataFrame, before: str | None, after: str | None, label: str | None
) -> tuple[str, str, str | None]:
    if before is None and after is None:
        for pair in (("mean_before", "mean_after"), ("score_before", "score_after"), ("before", "after")):
            if set(pair) <= set(table.columns) and pd.api.types.is_numeric_dtype(table[pair[0]]):
                before, after = pair
                break
    if before is None or after is None:
        raise ValueError(
            "name the two value columns with before= and after= (e.g. a paired_change table has "
            f"mean_before and mean_after); columns are {', '.join(map(str, table.columns))}"
        )
    for column in (before, after) + ((label,) if label else ()):
        if column not in table.columns:
            raise ValueError(f"column {column!r} is not in the table; columns are {', '.join(map(str, table.columns))}")
    if label is None and "item" in table.columns:
        label = "item"
    return before, after, label


def slope_chart(
    table: pd.DataFrame,
    *,
    before: str | None = None,
    after: str | None = None,
    label: str | None = None,
    waves: tuple[str, str] | None = None,
    rubric: object | None = None,
    labels: LabelSpec = "id",
    lang: str | None = None,
    top: int | None = None,
    sort: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Dumbbell chart of before → after per row (an enterprise, a sector or an item), coloured by direction.

    Parameters
    ----------
    table : DataFrame
        One row per thing drawn, with a before and an after value: e.g. :func:`dxlab.stats.paired_change`
        (``mean_before``/``mean_after`` per item, the default) or a table of enterprises' dimension scores.
    before, after : str, optional
        The value columns (default ``mean_before``/``mean_after`` or ``score_before``/``score_after``).
    label : str, optional
        Column naming the rows (default ``item`` when present, else the index).
    waves : (str, str), optional
        Wave names for the legend (default: the table's ``before``/``after`` columns when they hold labels).
    rubric, labels
        Row labels from the rubric (``"id"``, ``"text"``, ``"both"``) when the rows are criteria or dimensions.
    lang : {"vi", "en"}, optional
    top : int, optional
        Only the ``top`` rows with the largest absolute change.
    sort : bool
        Largest improvement on top; False keeps the table's order.
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel(n=200, seed=1, respondents=False)
    >>> ax = dxlab.plots.slope_chart(dxlab.stats.paired_change(panel, ["CUS.ENG.1", "CUS.ENG.2"]))
    """
    lang = check_lang(lang)
    rubric = resolve_rubric(rubric)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a DataFrame, not {type(table).__name__}")
    before, after, label = _slope_columns(table, before, after, label)
    names = table[label].astype(str).to_numpy() if label else table.index.astype(str).to_numpy()
    start, end = as_float(table[before]), as_float(table[after])
    frame = pd.DataFrame({"name": names, "start": start, "end": end, "change": end - start})
    if waves is None and {"before", "after"} <= set(table.columns) and before != "before":
        waves = (str(table["before"].iloc[0]), str(table["after"].iloc[0])) if len(table) else None
    if top is not None:
        frame = frame.reindex(frame["change"].abs().sort_values(ascending=False, kind="stable").index).head(int(top))
    if sort:
        frame = frame.sort_values("change", ascending=False, kind="stable")
    if frame.empty:
        raise ValueError("nothing to draw: the table has no rows")
    return _draw_slopes(frame, rubric, labels, lang, waves, title, ax)


def _draw_slopes(
    frame: pd.DataFrame,
    rubric: Any,
    labels: LabelSpec,
    lang: str,
    waves: tuple[str, str] | None,
    title: str | None,
    ax: Axes | None,
) -> Axes:
    with style():
        ax = new_axes(ax, (7.5, max(2.4, 0.38 * len(frame) + 1.4)))
        y = np.arange(len(frame))
        change = frame["change"].to_numpy()
        colors = [UP_COLOR if c > 0 else DOWN_COLOR if c < 0 else SAME_COLOR for c in change]
        ax.hlines(y, frame["start"], frame["end"], colors=colors, linewidth=2.2, zorder=2)
        ax.scatter(frame["start"], y, s=42, facecolor="white", edgecolor="#555555", linewidth=1.2, zorder=3)
        ax.scatter(frame["end"], y, s=48, color=colors, zorder=4)
        for yi, (end, delta) in enumerate(zip(frame["end"], change)):
            if np.isfinite(delta):
                sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
                ax.text(
                    max(end, frame["start"].iloc[yi]) + 0.06,
                    yi,
                    f"{sign}{abs(delta):.2f}".replace(".", "," if lang == "vi" else "."),
                    va="center",
                    fontsize=8,
                    color="#333333",
                )
        # "score.CUS" (a dimension score from dxlab.stats) is labelled as the dimension CUS
        names = [
            bar_label(str(n).removeprefix("score."), labels, rubric, lang, width=40, max_lines=2) for n in frame["name"]
        ]
        ax.set_yticks(y, names)
        ax.set_ylim(len(frame) - 0.5, -0.5)
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel(tr("waves.value_axis", lang))
        first, second = waves if waves else ("T0", "T1")
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor="white",
                markeredgecolor="#555555",
                label=tr("waves.before", lang, wave=first),
            ),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=UP_COLOR,
                label=tr("waves.after", lang, wave=second) + " · " + tr("waves.improved", lang),
            ),
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                color=DOWN_COLOR,
                label=tr("waves.after", lang, wave=second) + " · " + tr("waves.worsened", lang),
            ),
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        if title:
            ax.set_title(title)
    return ax


def _band(ax: Axes, x0: float, x1: float, left: tuple[float, float], right: tuple[float, float], color: str) -> None:
    t = np.linspace(0.0, 1.0, 40)
    smooth = t * t * (3 - 2 * t)
    x = x0 + (x1 - x0) * t
    low = left[0] + (right[0] - left[0]) * smooth
    high = left[1] + (right[1] - left[1]) * smooth
    ax.fill_between(x, low, high, color=color, alpha=0.45, linewidth=0, zorder=1)


def level_flows(
    transitions: Any,
    *,
    rubric: object | None = None,
    lang: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Alluvial picture of level movements between two waves (bands as wide as the enterprises moving).

    Parameters
    ----------
    transitions : Transitions or DataFrame
        :func:`dxlab.stats.transition_matrix`'s result, or a square table of counts.
    rubric : Rubric or str, optional
    lang : {"vi", "en"}, optional
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel(n=200, seed=1, respondents=False)
    >>> moves = dxlab.stats.transition_matrix(panel, "CUS.ENG.1", levels=[1, 2, 3, 4, 5])
    >>> ax = dxlab.plots.level_flows(moves)
    """
    lang = check_lang(lang)
    rubric = resolve_rubric(rubric)
    counts, _, item, before, after, _ = _transition_parts(transitions)
    table = counts.to_numpy(dtype=float)
    total = table.sum()
    if total <= 0:
        raise ValueError("no enterprise is in both waves: there is no movement to draw")
    levels = [int(v) if float(v).is_integer() else v for v in counts.index]
    colors = level_colors(len(levels))
    gap = 0.02 * total
    width = 0.12
    with style():
        ax = new_axes(ax, (6.8, 4.6))
        left_top = _stack(ax, table.sum(axis=1), 0.0, width, colors, gap, levels, rubric, lang, "right")
        right_top = _stack(ax, table.sum(axis=0), 1.0, width, colors, gap, levels, rubric, lang, "left")
        left_used = left_top.copy()
        right_used = right_top.copy()
        for i in range(len(levels)):
            for j in range(len(levels)):
                if table[i, j] <= 0:
                    continue
                left = (left_used[i], left_used[i] + table[i, j])
                right = (right_used[j], right_used[j] + table[i, j])
                _band(ax, width / 2, 1.0 - width / 2, left, right, colors[i])
                left_used[i] += table[i, j]
                right_used[j] += table[i, j]
        ax.set_xlim(-0.55, 1.55)
        ax.set_ylim(total + gap * len(levels), -gap)
        ax.set_xticks([0.0, 1.0], [str(before), str(after)])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(axis="x", length=0, labelsize=10)
        ax.set_title(
            title
            if title is not None
            else f"{tr('waves.flows_title', lang)}{' — ' + item if item else ''}\n"
            f"{tr('waves.flows_count', lang, n=fmt_int(total, lang))}",
            fontsize=11,
        )
    return ax


def _stack(
    ax: Axes,
    heights: np.ndarray,
    x: float,
    width: float,
    colors: list[str],
    gap: float,
    levels: list[Any],
    rubric: Any,
    lang: str,
    side: str,
) -> np.ndarray:
    """One wave's stacked bar of levels (top = level 1); returns where each level's segment starts."""
    tops = np.zeros(len(heights))
    y = 0.0
    names = level_names(levels, rubric, lang)
    for k, height in enumerate(heights):
        tops[k] = y
        if height > 0:
            ax.add_patch(
                Rectangle(
                    (x - width / 2, y), width, height, facecolor=colors[k], edgecolor="white", linewidth=0.8, zorder=2
                )
            )
            offset = -width / 2 - 0.03 if side == "right" else width / 2 + 0.03
            ax.text(
                x + offset,
                y + height / 2,
                f"{names[k]} ({fmt_int(height, lang)})",
                va="center",
                ha="right" if side == "right" else "left",
                fontsize=8,
                color="#222222",
            )
        y += height + gap
    return tops
