"""Diverging stacked bars of level distributions (a "Likert chart").

Why not a library: the Likert-chart packages on PyPI (``plot-likert``) take text answers on a fixed
agree/disagree scale and do not centre on a middle level, keep empty levels in the legend, or colour levels
the way the rest of dxlab does; the chart is a few stacked ``barh`` calls once the distribution is known.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise
from typing import Any

import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .._i18n import fmt_int, tr
from ._common import LabelSpec, as_float, bar_label, check_lang, group_order, resolve_levels, resolve_rubric
from ._style import level_colors, level_names, new_axes, style, text_color

__all__ = ["level_counts", "likert_bars"]

SORTS = (None, "mean", "high", "low")


def _tidy_counts(data: pd.DataFrame, by: str | None, levels: tuple[int, ...]) -> pd.DataFrame:
    # dxlab.stats.level_distribution names the cell count ``count`` (its ``n`` is the item's answered total).
    count_col = "count" if "count" in data.columns else "n"
    key = by if by is not None else ("item" if "item" in data.columns else None)
    if key is not None and key not in data.columns:
        raise ValueError(
            f"by={key!r} is not a column of the distribution table; columns are {', '.join(map(str, data.columns))}"
        )
    keys = data[key] if key is not None else pd.Series("", index=data.index)
    table = pd.DataFrame(
        {"key": keys.astype(object), "level": as_float(data["level"]), "n": as_float(data[count_col])}
    ).dropna(subset=["level"])
    unknown = sorted(set(table["level"]) - set(levels))
    if unknown:
        raise ValueError(f"the distribution table has level(s) {unknown} that are not among levels {levels}")
    order = group_order(keys) if key is not None else [""]
    counts = table.pivot_table(index="key", columns="level", values="n", aggfunc="sum", fill_value=0.0)
    return counts.reindex(index=order, columns=[float(v) for v in levels], fill_value=0.0).set_axis(
        list(levels), axis=1
    )


def level_counts(
    data: pd.DataFrame | pd.Series,
    items: str | Sequence[str] | None = None,
    *,
    by: str | None = None,
    levels: Sequence[int] | None = None,
    rubric: Any = None,
    weights: str | None = None,
) -> pd.DataFrame:
    """Counts per bar (rows: items, or the groups of ``by``) and level (columns), as ``likert_bars`` draws.

    ``data`` holds levels, one row per response (or is a tidy distribution table with columns ``level`` and
    ``n``, plus ``item`` or the ``by`` column). ``weights`` names a column of survey weights.
    """
    rubric = resolve_rubric(rubric)
    levels = resolve_levels(levels, rubric)
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "")
        items = [data.columns[0]]
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a DataFrame of levels or a Series, not {type(data).__name__}")
    if "level" in data.columns and ("n" in data.columns or "count" in data.columns):
        return _tidy_counts(data, by, levels)
    if isinstance(items, str):
        items = [items]
    if items is None:
        if rubric is not None:
            items = [c for c in rubric.criterion_ids if c in data.columns]
        else:
            skip = {by, weights}
            items = [
                c
                for c in data.columns
                if c not in skip
                and pd.api.types.is_numeric_dtype(data[c].dtype)
                and not pd.api.types.is_bool_dtype(data[c].dtype)
            ]
        if not items:
            raise ValueError("no level columns found: pass items=[...] (the columns holding levels)")
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise ValueError(
            f"item column(s) {', '.join(map(repr, missing))} not in data; columns are "
            f"{', '.join(map(str, data.columns))}"
        )
    if by is not None and by not in data.columns:
        raise ValueError(f"by={by!r} is not a column of data; columns are {', '.join(map(str, data.columns))}")
    if by is not None and len(items) != 1:
        raise ValueError(
            f"with by={by!r} pass exactly one item (the level column to split by group), "
            f"got {len(items)}: {', '.join(map(str, items))}"
        )
    w = np.ones(len(data)) if weights is None else as_float(data[weights])
    level_array = np.array(levels, dtype=float)
    rows: dict[object, np.ndarray] = {}

    def tally(values: np.ndarray, wts: np.ndarray, name: object) -> np.ndarray:
        present = ~np.isnan(values)
        bad = present & ~np.isin(values, level_array)
        if bad.any():
            raise ValueError(
                f"column {name!r} holds {values[bad][0]:g}, which is not one of the levels "
                f"{', '.join(map(str, levels))}"
            )
        return np.array([wts[values == v].sum() for v in level_array])

    if by is None:
        for item in items:
            rows[item] = tally(as_float(data[item]), w, item)
    else:
        values = as_float(data[items[0]])
        groups = data[by]
        for group in group_order(groups):
            mask = (groups == group).to_numpy(dtype=bool, na_value=False)
            rows[group] = tally(values[mask], w[mask], items[0])
    out = pd.DataFrame.from_dict(rows, orient="index", columns=list(levels))
    out.index.name = by if by is not None else "item"
    return out


def likert_bars(
    data: pd.DataFrame | pd.Series,
    items: str | Sequence[str] | None = None,
    *,
    by: str | None = None,
    levels: Sequence[int] | None = None,
    rubric: object | None = None,
    lang: str = "vi",
    shares: bool = True,
    sort: str | None = None,
    center: float | None = None,
    labels: LabelSpec = None,
    show_n: bool = True,
    annotate: bool = True,
    min_annotate: float = 0.06,
    weights: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Diverging stacked bars of level distributions, per criterion or per group.

    Each bar shows how the answers of one item (or one group, with ``by``) spread over the levels. Bars are
    centred on the middle level: the levels below it stack to the left of zero, those above to the right,
    and the middle level straddles zero, so bars further right are more mature.

    Parameters
    ----------
    data : DataFrame or Series
        Levels, one row per response and one column per item (e.g. ``Int8`` criterion columns); or a tidy
        distribution table such as :func:`dxlab.stats.level_distribution` returns: columns ``level`` and
        ``count`` (or ``n``), and ``item`` or the ``by`` column.
    items : str or list of str, optional
        Level columns to show (default: the rubric's criteria present in ``data``, else every numeric
        column).
    by : str, optional
        Split one item by this column (``"sector"``, ``"size"``): one bar per group, in categorical order.
    levels : sequence of int, optional
        The scale (default: the rubric's levels, else 1–5). Every level appears in the legend, even when no
        answer falls on it.
    rubric : Rubric or str, optional
        Supplies level names and criterion texts.
    lang : {"vi", "en"}
    shares : bool
        Shares of the answered (in %) when True, counts when False. Unanswered items are left out of both.
    sort : {None, "mean", "high", "low"}
        Keep the given order, or put on top the bars with the highest mean level, the largest share above
        the centre, or the largest share below it.
    center : float, optional
        The level the bars are centred on (default: the middle of ``levels``; for an even number of levels,
        the boundary between the two middle ones).
    labels : "id", "text", "both", mapping or callable, optional
        Bar labels: the item id, the rubric text, both (default when a rubric is given), or a mapping /
        function of the item or group key.
    show_n : bool
        Append the number of answers to each bar label.
    annotate : bool
        Write the share (or count) inside segments that are at least ``min_annotate`` of the bar.
    weights : str, optional
        Column of survey weights: counts become weighted counts.
    title : str, optional
    ax : Axes, optional
        Axes to draw on; by default a new figure sized to the number of bars.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab
    >>> from dxlab.sample import synthetic_responses
    >>> responses = synthetic_responses("mobifone-dx", n=200, seed=1)
    >>> ax = dxlab.plots.likert_bars(responses, rubric="mobifone-dx", sort="mean")
    >>> ax = dxlab.plots.likert_bars(responses, "CUS.ENG.1", by="size", lang="en")
    """
    check_lang(lang)
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(map(repr, SORTS))}, not {sort!r}")
    rubric = resolve_rubric(rubric)
    levels = resolve_levels(levels, rubric)
    counts = level_counts(data, items, by=by, levels=levels, rubric=rubric, weights=weights)
    if center is None:
        mid = len(levels) // 2
        center = float(levels[mid]) if len(levels) % 2 else (levels[mid - 1] + levels[mid]) / 2
    totals = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts.div(totals.where(totals > 0), axis=0).fillna(0.0)
    level_arr = np.array(levels, dtype=float)
    if sort is not None:
        key = {
            "mean": share.to_numpy() @ level_arr,
            "high": share.loc[:, level_arr > center].sum(axis=1).to_numpy(),
            "low": share.loc[:, level_arr < center].sum(axis=1).to_numpy(),
        }[sort]
        order = np.argsort(-key, kind="stable")
        counts, share, totals = counts.iloc[order], share.iloc[order], totals.iloc[order]
    values = share * 100.0 if shares else counts
    widths = values.to_numpy(dtype=float)
    below = widths[:, level_arr < center].sum(axis=1)
    middle = widths[:, level_arr == center].sum(axis=1)
    starts = -(below + middle / 2.0)

    if labels is None:
        labels = "both" if (rubric is not None and by is None) else "id"
    names = [bar_label(k, labels, rubric, lang) for k in counts.index]
    if show_n:
        names = [f"{name} (n={fmt_int(total, lang)})" for name, total in zip(names, totals)]

    colors = level_colors(len(levels))
    with style():
        height = 0.55 * len(counts) + 1.6 + 0.12 * sum(n.count("\n") for n in names)
        own_figure = ax is None
        ax = new_axes(ax, (8.0, max(2.6, height)))
        y = np.arange(len(counts))
        left = starts.copy()
        scale = widths.sum(axis=1).max() if len(widths) else 0.0
        for j in range(len(levels)):
            ax.barh(
                y, widths[:, j], left=left, height=0.7, color=colors[j], edgecolor="white", linewidth=0.6, label=None
            )
            if annotate:
                for i in range(len(y)):
                    width = widths[i, j]
                    fraction = share.iat[i, j] if shares else (width / scale if scale else 0.0)
                    if width > 0 and fraction >= min_annotate:
                        text = f"{width:.0f}%" if shares else f"{width:,.0f}"
                        ax.text(
                            left[i] + width / 2,
                            y[i],
                            text,
                            ha="center",
                            va="center",
                            fontsize=8,
                            color=text_color(colors[j]),
                            zorder=4,
                        )
            left = left + widths[:, j]
        ax.axvline(0.0, color="#333333", linewidth=0.8, zorder=2)
        ax.set_yticks(y, names)
        ax.set_ylim(len(y) - 0.5, -0.5)
        reach = max(np.abs(starts).max(initial=0.0), (starts + widths.sum(axis=1)).max(initial=0.0))
        reach = reach if reach > 0 else (100.0 if shares else 1.0)
        ax.set_xlim(-reach * 1.04, reach * 1.04)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{abs(v):.0f}%" if shares else f"{abs(v):,.0f}"))
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel(tr("plots.share_of_answers" if shares else "plots.number_of_answers", lang))
        handles = [
            Patch(facecolor=c, edgecolor="#999999", linewidth=0.4, label=n)
            for c, n in zip(colors, level_names(levels, rubric, lang))
        ]
        # Below the x label. Long bar labels push the axes right, so a legend centred on the axes could run
        # off the page: centre it on our own figure, or align it with the right edge of a caller's axes
        # (it then extends left, under the bar labels, where there is room).
        offset = mtransforms.ScaledTranslation(0, -40 / 72, ax.figure.dpi_scale_trans)
        if own_figure:
            base, anchor, loc = (
                mtransforms.blended_transform_factory(ax.figure.transFigure, ax.transAxes),
                (0.5, 0.0),
                "upper center",
            )
        else:
            base, anchor, loc = ax.transAxes, (1.0, 0.0), "upper right"
        ax.legend(
            handles=handles,
            loc=loc,
            bbox_to_anchor=anchor,
            bbox_transform=base + offset,
            ncol=min(len(levels), 5),
            handlelength=1.2,
            columnspacing=1.2,
        )
        if title:
            ax.set_title(title)
        if not own_figure:
            keep_labels_apart(ax)
    return ax


#: Smallest font size (points) bar labels are shrunk to before the figure is made taller instead.
MIN_LABEL_SIZE = 8.0


def _label_gap(ax: Axes) -> tuple[float, float, float]:
    """Smallest vertical gap between neighbouring y tick labels, their centre pitch and tallest height (px)."""
    ax.figure.draw_without_rendering()
    boxes = sorted((t.get_window_extent() for t in ax.get_yticklabels() if t.get_text()), key=lambda b: b.y0)
    if len(boxes) < 2:
        return math.inf, math.inf, 0.0
    gap = min(upper.y0 - lower.y1 for lower, upper in pairwise(boxes))
    pitch = min(upper.y0 + upper.height / 2 - lower.y0 - lower.height / 2 for lower, upper in pairwise(boxes))
    return gap, pitch, max(b.height for b in boxes)


def keep_labels_apart(ax: Axes, min_gap_pt: float = 2.0) -> None:
    """Make multi-line bar labels on a caller's axes never overlap: shrink them (down to ``MIN_LABEL_SIZE``),
    then make the figure taller until each label fits in its row.

    A figure of our own is sized to its labels; a caller's axes have a height we must work within, and
    three-line Vietnamese criterion texts do not fit five to a 3.6-inch figure at 9 pt.
    """
    fig = ax.figure
    min_gap = min_gap_pt * fig.dpi / 72
    for _ in range(8):
        gap, pitch, tallest = _label_gap(ax)
        if gap >= min_gap:
            return
        labels = [t for t in ax.get_yticklabels() if t.get_text()]
        size = labels[0].get_fontsize()
        if size > MIN_LABEL_SIZE:
            for label in labels:
                label.set_fontsize(max(MIN_LABEL_SIZE, size * max(0.8, pitch / (tallest + min_gap))))
            continue
        grow = (tallest + min_gap) / max(pitch, 1.0)
        fig.set_figheight(fig.get_figheight() * min(max(grow, 1.05), 3.0))
