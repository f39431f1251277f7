"""Annotated heatmaps: groups × criteria, and correlation matrices ordered by the rubric.

Why not seaborn: dxlab would take a dependency for one function, and seaborn's ``heatmap`` knows nothing of
level colours, significance marks or the rubric's dimension/group blocks. ``imshow`` plus text is enough.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Normalize

from .._i18n import fmt_int, tr
from ._common import LabelSpec, as_float, bar_label, check_lang, group_order, resolve_levels, resolve_rubric
from ._style import corr_cmap, level_cmap, new_axes, share_cmap, style, text_color

__all__ = ["heatmap", "corr_heatmap", "group_table"]

STATS = ("mean", "share")


def group_table(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    by: str,
    stat: str = "mean",
    k: int = 4,
    rubric: Any = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Groups × items table of the mean level (``stat="mean"``) or the share at level ≥ ``k``
    (``stat="share"``) over answered items, and the number of responses per group."""
    if stat not in STATS:
        raise ValueError(f"stat must be one of {', '.join(map(repr, STATS))}, not {stat!r}")
    rubric = resolve_rubric(rubric)
    if by not in data.columns:
        raise ValueError(f"by={by!r} is not a column of data; columns are {', '.join(map(str, data.columns))}")
    if items is None:
        if rubric is None:
            raise ValueError("pass items=[...] (the level columns) or a rubric")
        items = [c for c in rubric.criterion_ids if c in data.columns]
    missing = [c for c in items if c not in data.columns]
    if missing:
        raise ValueError(f"item column(s) {', '.join(map(repr, missing))} not in data")
    values = as_float(data[list(items)])
    groups = data[by]
    rows, sizes = {}, {}
    for group in group_order(groups):
        block = values[(groups == group).to_numpy(dtype=bool, na_value=False)]
        answered = (~np.isnan(block)).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            if stat == "mean":
                rows[group] = np.where(answered > 0, np.nansum(block, axis=0) / answered, np.nan)
            else:
                rows[group] = np.where(answered > 0, (block >= k).sum(axis=0) / answered, np.nan)
        sizes[group] = len(block)
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(items))
    table.index.name = by
    return table, pd.Series(sizes, name="n")


def _annotate(
    ax: Axes, values: np.ndarray, colors: np.ndarray, fmt: str, marks: np.ndarray | None = None, fontsize: float = 8.0
) -> None:
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            v = values[i, j]
            if np.isnan(v):
                continue
            text = format(v, fmt)
            if marks is not None and marks[i, j]:
                text += marks[i, j]
            ax.text(j, i, text, ha="center", va="center", fontsize=fontsize, color=text_color(colors[i, j]))


def heatmap(
    data: pd.DataFrame,
    items: Sequence[str] | None = None,
    *,
    by: str | None = None,
    stat: str = "mean",
    k: int = 4,
    rubric: object | None = None,
    lang: str = "vi",
    annot: bool = True,
    fmt: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    labels: LabelSpec = "id",
    group_labels: LabelSpec = None,
    show_n: bool = True,
    colorbar: bool = True,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Annotated heatmap of groups × criteria: the mean level, or the share at level ≥ ``k``.

    Parameters
    ----------
    data : DataFrame
        With ``by``: levels, one row per response (the table is computed here: mean over answered items, or
        share of answered items at level ≥ ``k``). Without ``by``: the table itself, rows = groups,
        columns = items.
    items : list of str, optional
        Columns to show (default: the rubric's criteria in ``data``, or every column of a ready table).
    by : str, optional
        Grouping column (``"sector"``, ``"size"``).
    stat : {"mean", "share"}
        Colours on the level scale (mean) or a sequential scale from 0 to 100 % (share).
    k : int
        Threshold level for ``stat="share"``.
    rubric : Rubric or str, optional
    lang : {"vi", "en"}
    annot : bool
        Write each value in its cell; ``fmt`` is its format (default ``.2f`` for means, ``.0%`` for shares).
    vmin, vmax : float, optional
        Colour range (default: the level range for means, 0–1 for shares).
    labels : "id", "text", "both", mapping or callable
        Column labels.
    group_labels : mapping or callable, optional
        Row labels (e.g. sector names for VSIC letters).
    show_n : bool
        Append the group size to the row labels (with ``by``).
    colorbar : bool
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab
    >>> from dxlab.sample import synthetic_responses
    >>> responses = synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> ax = dxlab.plots.heatmap(responses, by="sector", rubric="mobifone-dx")
    >>> ax = dxlab.plots.heatmap(responses, by="size", stat="share", k=3, rubric="mobifone-dx")
    """
    check_lang(lang)
    if stat not in STATS:
        raise ValueError(f"stat must be one of {', '.join(map(repr, STATS))}, not {stat!r}")
    rubric = resolve_rubric(rubric)
    sizes = None
    if by is not None:
        table, sizes = group_table(data, items, by=by, stat=stat, k=k, rubric=rubric)
    else:
        table = data if items is None else data[list(items)]
        table = pd.DataFrame(as_float(table), index=table.index, columns=table.columns)
    if table.empty:
        raise ValueError("nothing to draw: the table has no rows or no columns")
    values = table.to_numpy(dtype=float)
    levels = resolve_levels(None, rubric)
    if stat == "mean":
        cmap = level_cmap()
        norm = Normalize(vmin if vmin is not None else min(levels), vmax if vmax is not None else max(levels))
        fmt = fmt or ".2f"
    else:
        cmap = share_cmap()
        norm = Normalize(vmin if vmin is not None else 0.0, vmax if vmax is not None else 1.0)
        fmt = fmt or ".0%"
    row_names = [bar_label(g, group_labels, None, lang, width=28, max_lines=2) for g in table.index]
    if sizes is not None and show_n:
        row_names = [f"{name} (n={fmt_int(sizes[g], lang)})" for name, g in zip(row_names, table.index)]
    m, p = values.shape
    # Short ids read well at 45°; sentences (criterion texts) read better level and wrapped when there is room
    # for them, else turned upright on one line.
    texts = labels not in ("id", None)
    rotation = (0 if p <= 6 else 90) if texts else (0 if p <= 4 else 45)
    col_names = [
        bar_label(c, labels, rubric, lang, width=12 if rotation == 0 else 40, max_lines=4 if rotation == 0 else 1)
        for c in table.columns
    ]
    with style():
        ax = new_axes(ax, (max(4.5, 0.62 * p + 2.8), max(2.4, 0.42 * m + 1.6)))
        image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        if annot:
            _annotate(ax, values, cmap(norm(values)), fmt, fontsize=8.0 if p <= 12 else 6.5)
        if rotation == 0:
            ax.set_xticks(np.arange(p), col_names)
        else:
            ax.set_xticks(
                np.arange(p),
                col_names,
                rotation=rotation,
                ha="right",
                va="center" if rotation == 90 else "top",
                rotation_mode="anchor",
            )
        ax.set_yticks(np.arange(m), row_names)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xticks(np.arange(p + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(m + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.2)
        ax.tick_params(which="minor", length=0)
        if colorbar:
            bar = ax.figure.colorbar(image, ax=ax, fraction=0.035, pad=0.02)
            if stat == "mean":
                bar.set_label(tr("plots.mean_level", lang))
            else:
                bar.set_label(tr("plots.share_at_least", lang, level=k))
                bar.formatter = _percent_formatter()
                bar.update_ticks()
            bar.outline.set_visible(False)
        if title:
            ax.set_title(title)
    return ax


def _percent_formatter():
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(1.0, decimals=0)


def _long_to_square(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A square r matrix (and p matrix) from a tidy pairwise table (pingouin ``pairwise_corr`` style)."""
    cols = {c.lower(): c for c in table.columns}
    x, y = cols.get("x", cols.get("item_x")), cols.get("y", cols.get("item_y"))
    r = next((cols[c] for c in ("r", "rho", "tau", "estimate") if c in cols), None)
    # Adjusted p-values first when the table has them (dxlab.stats.correlations: p_adj; pingouin: p-corr).
    p = next((cols[c] for c in ("p_adj", "p-corr", "p_corr", "p", "p-unc", "p_unc", "pval") if c in cols), None)
    if x is None or y is None or r is None:
        raise ValueError(
            "a correlation table must be a square matrix, or tidy with columns x, y and r "
            f"(and p); got columns {', '.join(map(str, table.columns))}"
        )
    names = list(pd.unique(pd.concat([table[x], table[y]], ignore_index=True)))
    rmat = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    pmat = pd.DataFrame(np.zeros((len(names), len(names))), index=names, columns=names) if p else None
    xs, ys, rs = table[x].tolist(), table[y].tolist(), as_float(table[r])
    ps = as_float(table[p]) if p else None
    for i, (a, b) in enumerate(zip(xs, ys)):
        rmat.loc[a, b] = rmat.loc[b, a] = rs[i]
        if pmat is not None and ps is not None:
            pmat.loc[a, b] = pmat.loc[b, a] = ps[i]
    return rmat, pmat


def _rubric_order(names: list[str], rubric) -> tuple[list[str], list[str]]:
    """Names in rubric order (criteria, then groups, then dimensions; unknown names last) and each one's
    dimension (for the block separators)."""
    position = {cid: i for i, cid in enumerate(rubric.criterion_ids)}
    offset = len(position)
    for i, grp in enumerate(rubric.groups):
        position.setdefault(grp.id, offset + i)
    offset += len(rubric.groups)
    for i, dim in enumerate(rubric.dimensions):
        position.setdefault(dim.id, offset + i)
    ordered = sorted(names, key=lambda n: (position.get(n, 10**9), names.index(n)))

    def dimension_of(name: str) -> str:
        if name in rubric:
            node = rubric[name]
            return getattr(node, "dimension_id", "") or name.split(".")[0]
        return ""

    return ordered, [dimension_of(n) for n in ordered]


def corr_heatmap(
    matrix: pd.DataFrame,
    pvalues: pd.DataFrame | None = None,
    *,
    rubric: object | None = None,
    order: str | Sequence[str] | None = "rubric",
    alpha: Sequence[float] = (0.05, 0.01, 0.001),
    triangle: str = "lower",
    annot: bool | str = "auto",
    fmt: str = ".2f",
    labels: LabelSpec = "id",
    lang: str = "vi",
    colorbar: bool = True,
    cbar_label: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Heatmap of a correlation matrix with significance marks, ordered by the rubric's structure.

    Parameters
    ----------
    matrix : DataFrame
        Square correlation matrix (index = columns = item ids, e.g. :func:`dxlab.stats.correlation_matrix`),
        or a tidy pairwise table with columns ``x``, ``y``, ``r`` and optionally ``p_adj`` / ``p``
        (:func:`dxlab.stats.correlations`; pingouin's ``X``, ``Y``, ``r``, ``p-corr`` / ``p-unc`` work too;
        adjusted p-values are used when present).
    pvalues : DataFrame, optional
        Square matrix of p-values (use adjusted ones if you adjusted). Cells with p < α get one star per
        threshold passed: ``*`` p < .05, ``**`` p < .01, ``***`` p < .001.
    rubric : Rubric or str, optional
        With ``order="rubric"``, items are put in rubric order (dimension → group → criterion) and thin
        white lines separate the dimensions.
    order : "rubric", list of ids or None
        Item order: the rubric's, an explicit list, or the matrix's own.
    alpha : sequence of float
        Significance thresholds for the stars.
    triangle : {"lower", "upper", "full"}
        Which part to draw (the diagonal is always left blank).
    annot : bool or "auto"
        Write coefficients (and stars) in the cells; "auto" does so up to 16 items, where they stay legible.
    fmt : str
    labels : "id", "text", "both", mapping or callable
    lang : {"vi", "en"}
    colorbar : bool
    cbar_label : str, optional
        Name of the coefficient (default "r").
    title : str, optional
    ax : Axes, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> from dxlab.sample import synthetic_responses
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> levels = synthetic_responses(r, n=300, seed=1)[list(r.criterion_ids)].astype(float)
    >>> ax = dxlab.plots.corr_heatmap(levels.corr(method="spearman"), rubric=r)
    """
    check_lang(lang)
    if triangle not in ("lower", "upper", "full"):
        raise ValueError(f"triangle must be 'lower', 'upper' or 'full', not {triangle!r}")
    rubric = resolve_rubric(rubric)
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError(f"matrix must be a DataFrame, not {type(matrix).__name__}")
    if list(matrix.index) != list(matrix.columns):
        if set(matrix.index) == set(matrix.columns):
            matrix = matrix.loc[list(matrix.columns)]
        else:
            matrix, long_p = _long_to_square(matrix)
            pvalues = long_p if pvalues is None else pvalues
    names = [str(c) for c in matrix.columns]
    matrix = matrix.set_axis(names, axis=0).set_axis(names, axis=1)
    blocks: list[str] | None = None
    if isinstance(order, str):
        if order != "rubric":
            raise ValueError(f"order must be 'rubric', a list of ids or None, not {order!r}")
        if rubric is not None:
            names, blocks = _rubric_order(names, rubric)
    elif order is not None:
        unknown = [o for o in order if o not in names]
        if unknown or len(order) != len(names):
            raise ValueError(f"order must list each item of the matrix once; unknown: {unknown}")
        names = [str(o) for o in order]
    values = as_float(matrix.loc[names, names])
    marks = None
    if pvalues is not None:
        if set(map(str, pvalues.columns)) != set(names) or set(map(str, pvalues.index)) != set(names):
            raise ValueError("pvalues must be a square matrix over the same items as matrix")
        pv = pvalues.set_axis([str(c) for c in pvalues.index], axis=0).set_axis(
            [str(c) for c in pvalues.columns], axis=1
        )
        pmat = as_float(pv.loc[names, names])
        thresholds = sorted(alpha, reverse=True)
        stars = sum((pmat < a).astype(int) for a in thresholds)
        marks = np.where(np.isnan(pmat), "", np.array(["", "*", "**", "***", "****"])[np.clip(stars, 0, 4)])
    n = len(names)
    hide = np.zeros((n, n), dtype=bool)
    if triangle == "lower":
        hide = np.triu(np.ones((n, n), dtype=bool))
    elif triangle == "upper":
        hide = np.tril(np.ones((n, n), dtype=bool))
    np.fill_diagonal(hide, True)
    shown = np.where(hide, np.nan, values)
    cmap, norm = corr_cmap(), Normalize(-1.0, 1.0)
    tick_names = [bar_label(c, labels, rubric, lang, width=24, max_lines=2) for c in names]
    with style():
        size = max(4.5, 0.5 * n + 2.4)
        ax = new_axes(ax, (size + 0.8, size))
        masked = np.ma.masked_invalid(shown)
        image = ax.imshow(masked, cmap=cmap, norm=norm, interpolation="nearest")
        if annot is True or (annot == "auto" and n <= 16):
            _annotate(ax, shown, cmap(norm(np.nan_to_num(shown))), fmt, marks, fontsize=8.0 if n <= 10 else 6.5)
        ax.set_xticks(np.arange(n), tick_names, rotation=45, ha="right", rotation_mode="anchor")
        ax.set_yticks(np.arange(n), tick_names)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        if blocks is not None:
            # Dimension boundaries, drawn only across the visible triangle.
            edge = n - 0.5
            for i in range(1, n):
                if blocks[i] != blocks[i - 1]:
                    b = i - 0.5
                    if triangle == "lower":
                        ax.plot([-0.5, b], [b, b], color="#333333", linewidth=1.0)
                        ax.plot([b, b], [b, edge], color="#333333", linewidth=1.0)
                    elif triangle == "upper":
                        ax.plot([b, edge], [b, b], color="#333333", linewidth=1.0)
                        ax.plot([b, b], [-0.5, b], color="#333333", linewidth=1.0)
                    else:
                        ax.axhline(b, color="#333333", linewidth=1.0)
                        ax.axvline(b, color="#333333", linewidth=1.0)
            ax.set_xlim(-0.5, edge)
            ax.set_ylim(edge, -0.5)
        if colorbar:
            bar = ax.figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
            bar.set_label(cbar_label or "r")
            bar.outline.set_visible(False)
        if marks is not None:
            note = " · ".join(f"{'*' * (i + 1)} p < {a:g}" for i, a in enumerate(sorted(alpha, reverse=True)))
            # Into the empty triangle, so the note never collides with the tick labels.
            where = {
                "lower": (0.98, 0.98, "right", "top"),
                "upper": (0.02, 0.02, "left", "bottom"),
                "full": (1.0, 1.01, "right", "bottom"),
            }[triangle]
            ax.text(
                where[0], where[1], note, transform=ax.transAxes, ha=where[2], va=where[3], fontsize=8, color="#444444"
            )
        if title:
            ax.set_title(title)
    return ax
