"""Current level against target per criterion, sorted by priority (the picture of ``dxlab.gaps``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._i18n import tr
from ._common import LabelSpec, as_float, bar_label, check_lang, resolve_levels, resolve_rubric
from ._style import MISSING_COLOR, TARGET_COLOR, level_colors, level_names, new_axes, style

__all__ = ["gap_bars"]


def gap_bars(
    gaps: pd.DataFrame,
    *,
    response: object = None,
    rubric: object | None = None,
    lang: str = "vi",
    top: int | None = None,
    labels: LabelSpec = None,
    sort: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of the current level per criterion, with the target marked and the gap hatched.

    Parameters
    ----------
    gaps : DataFrame
        The output of :func:`dxlab.gaps` (columns ``response, criterion, current, target, gap, priority``…),
        or any frame with ``criterion`` (or an index of criterion ids), ``current`` and ``target``
        (``priority`` optional: defaults to ``target − current``).
    response : optional
        Which response to draw when ``gaps`` holds several.
    rubric : Rubric or str, optional
        Supplies criterion texts and level names.
    lang : {"vi", "en"}
    top : int, optional
        Only the ``top`` criteria with the highest priority.
    labels : "id", "text", "both", mapping or callable, optional
        Bar labels (default: "both" with a rubric, else the ids).
    sort : bool
        Highest priority on top (ties: larger gap first, then criterion id); False keeps the given order.
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> levels = pd.DataFrame({c: [v] for c, v in zip(r.criterion_ids, [2, 3, 1, 4, 2])}, index=["A1"])
    >>> ax = dxlab.plots.gap_bars(dxlab.gaps(levels, r, target=4), rubric=r)
    """
    check_lang(lang)
    rubric = resolve_rubric(rubric)
    if not isinstance(gaps, pd.DataFrame):
        raise ValueError(f"gaps must be a DataFrame (e.g. dxlab.gaps(...)), not {type(gaps).__name__}")
    frame = gaps
    if "criterion" not in frame.columns:
        frame = frame.rename_axis("criterion").reset_index()
    for column in ("current", "target"):
        if column not in frame.columns:
            raise ValueError(f"gaps needs a {column!r} column; columns are {', '.join(map(str, frame.columns))}")
    if "response" in frame.columns:
        responses = list(pd.unique(frame["response"]))
        if response is not None:
            if response not in responses:
                raise ValueError(
                    f"response {response!r} is not in gaps; it holds {len(responses)} response(s), "
                    f"e.g. {', '.join(map(str, responses[:5]))}"
                )
            frame = frame[frame["response"] == response]
        elif len(responses) > 1:
            raise ValueError(
                f"gaps holds {len(responses)} responses; pick one with response=, e.g. response={responses[0]!r}"
            )
    elif response is not None:
        raise ValueError("response= needs a 'response' column in gaps")
    current = as_float(frame["current"])
    target = as_float(frame["target"])
    priority = (
        as_float(frame["priority"])
        if "priority" in frame.columns
        else np.clip(target - np.nan_to_num(current), 0, None)
    )
    table = pd.DataFrame(
        {
            "criterion": frame["criterion"].astype(str).to_numpy(),
            "current": current,
            "target": target,
            "priority": priority,
            "gap": np.clip(target - np.nan_to_num(current), 0, None),
        }
    )
    if sort:
        table = table.sort_values(["priority", "gap", "criterion"], ascending=[False, False, True], kind="stable")
    if top is not None:
        table = table.head(int(top))
    if table.empty:
        raise ValueError(
            "no gaps to draw: every criterion is at or above its target (pass include_met=True "
            "to dxlab.gaps to draw them all)"
        )
    levels = resolve_levels(None, rubric)
    colors = level_colors(len(levels))
    color_of = {lv: c for lv, c in zip(levels, colors)}
    if labels is None:
        labels = "both" if rubric is not None else "id"
    names = [bar_label(c, labels, rubric, lang, width=46, max_lines=2) for c in table["criterion"]]
    unanswered = tr("plots.not_answered", lang)
    with style():
        ax = new_axes(ax, (8.0, max(2.6, 0.5 * len(table) + 1.8)))
        y = np.arange(len(table))
        cur = table["current"].to_numpy()
        tgt = table["target"].to_numpy()
        bar_colors = [color_of.get(int(v), MISSING_COLOR) if not np.isnan(v) else MISSING_COLOR for v in cur]
        ax.barh(y, np.nan_to_num(cur), height=0.62, color=bar_colors, edgecolor="#555555", linewidth=0.5, zorder=2)
        gap_width = np.clip(tgt - np.nan_to_num(cur), 0, None)
        ax.barh(
            y,
            gap_width,
            left=np.nan_to_num(cur),
            height=0.62,
            facecolor="none",
            edgecolor="#777777",
            hatch="///",
            linewidth=0.5,
            zorder=2,
        )
        ax.scatter(tgt, y, marker="|", s=420, color=TARGET_COLOR, linewidths=2.2, zorder=3)
        for yi, c, t, g in zip(y, cur, tgt, gap_width):
            if np.isnan(c):
                ax.text(
                    0.08,
                    yi,
                    unanswered,
                    va="center",
                    ha="left",
                    fontsize=8,
                    color="#333333",
                    zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
                )
            if g > 0:
                ax.text(t + 0.08, yi, f"+{g:g}", va="center", ha="left", fontsize=8.5, color="#222222")
        ax.set_yticks(y, names)
        ax.set_ylim(len(y) - 0.5, -0.5)
        ax.set_xlim(0, max(levels) + 0.6)
        ax.set_xticks(list(levels))
        ax.grid(axis="x")
        ax.tick_params(axis="y", length=0)
        ax.spines["left"].set_visible(False)
        ax.set_xlabel(tr("plots.level", lang))
        handles = [
            Patch(facecolor=c, edgecolor="#999999", linewidth=0.4, label=n)
            for c, n in zip(colors, level_names(levels, rubric, lang))
        ]
        handles += [
            Patch(facecolor="none", edgecolor="#777777", hatch="///", label=tr("plots.gap", lang)),
            Line2D(
                [],
                [],
                marker="|",
                linestyle="none",
                markersize=14,
                markeredgewidth=2.2,
                color=TARGET_COLOR,
                label=tr("plots.target", lang),
            ),
        ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), handlelength=1.2)
        if title:
            ax.set_title(title)
    return ax
