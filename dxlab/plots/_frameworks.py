"""Figures for frameworks side by side: crosswalk coverage, rank intervals under weightings, archetypes.

Each draws a result that :mod:`dxlab.crosswalk` or :mod:`dxlab.stats` computed; nothing is recomputed here.
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from .._i18n import check_lang, tr
from ._style import BENCHMARK_COLOR, PROFILE_COLOR, new_axes, style, wrap

__all__ = ["archetype_profiles", "crosswalk_matrix", "rank_intervals"]

RELATION_MARKS = {"exact": "=", "broader": "⊃", "narrower": "⊂", "related": "~"}
RELATION_SHADES = {"exact": 1.0, "broader": 0.75, "narrower": 0.75, "related": 0.45}


def crosswalk_matrix(crosswalk: Any, *, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Source items × target items of a crosswalk: a shaded cell with the relation's sign per link, and the
    target items no link reaches marked "not covered".

    Parameters
    ----------
    crosswalk : Crosswalk, CrosswalkResult or str
        A crosswalk (or its id), or the result of :func:`dxlab.crosswalk`.
    lang : {"vi", "en"}, optional
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    from ..crosswalk import load_crosswalk, target_ids

    code = check_lang(lang)
    cw = getattr(crosswalk, "crosswalk", None) or load_crosswalk(crosswalk)
    targets = [t for t in target_ids(cw) if cw.target_kind == "framework" or cw.links_to(t)]
    sources = list(dict.fromkeys(link.source for link in cw.links))
    grid = np.zeros((len(sources), len(targets)))
    with style():
        ax = new_axes(ax, (1.2 + 1.0 * len(targets), 1.2 + 0.45 * len(sources)))
        for link in cw.links:
            i, j = sources.index(link.source), targets.index(link.target)  # plain ints
            grid[i, j] = RELATION_SHADES[link.relation]
            ax.text(
                j,
                i,
                RELATION_MARKS[link.relation],
                ha="center",
                va="center",
                fontsize=11,
                color="white" if grid[i, j] > 0.6 else "black",
            )
        ax.imshow(grid, cmap="Blues", vmin=0, vmax=1.15, aspect="auto")
        covered = np.asarray(grid.any(axis=0), dtype=bool)
        ax.set_xticks(
            range(len(targets)),
            [t if covered[j] else f"{t}\n({tr('frameworks.uncovered', code)})" for j, t in enumerate(targets)],
        )
        ax.set_yticks(range(len(sources)), sources)
        for column in np.flatnonzero(~covered):
            ax.axvspan(column - 0.5, column + 0.5, color="#f2f2f2", hatch="//", zorder=0)
        ax.set_xlabel(f"{cw.target_id}")
        ax.set_ylabel(f"{cw.source_rubric}")
        ax.set_title(
            tr(
                "frameworks.matrix_title",
                code,
                relations=", ".join(f"{m} {tr(f'frameworks.relation_{r}', code)}" for r, m in RELATION_MARKS.items()),
            ),
            fontsize=9,
        )
    return ax


def rank_intervals(result: Any, *, top: int | None = 30, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """Each unit's rank under the rubric's weights (dot), the 95 % range of its rank over the random
    weightings (thick bar) and its whole range (thin line), best first.

    Parameters
    ----------
    result : WeightSensitivity
        From :func:`dxlab.stats.weight_sensitivity`.
    top : int or None
        Draw the ``top`` best-ranked units only (``None`` for all).
    lang : {"vi", "en"}, optional
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    code = check_lang(lang)
    table = result.intervals.sort_values("rank")
    if top is not None:
        table = table.head(top)
    y = np.arange(len(table))
    with style():
        ax = new_axes(ax, (6.5, 1.0 + 0.28 * len(table)))
        ax.hlines(y, table["rank_min"], table["rank_max"], color="#999999", linewidth=1)
        ax.hlines(y, table["rank_q025"], table["rank_q975"], color=PROFILE_COLOR, linewidth=5, alpha=0.6)
        ax.plot(table["rank"], y, "o", color=BENCHMARK_COLOR, markersize=5, zorder=3)
        ax.set_yticks(y, [str(u) for u in table["unit"]])
        ax.invert_yaxis()
        ax.set_xlabel(tr("frameworks.rank_axis", code))
        ax.legend(
            handles=[
                Line2D(
                    [], [], marker="o", color=BENCHMARK_COLOR, linestyle="", label=tr("frameworks.rank_rubric", code)
                ),
                Line2D([], [], color=PROFILE_COLOR, linewidth=5, alpha=0.6, label=tr("frameworks.rank_95", code)),
                Line2D([], [], color="#999999", label=tr("frameworks.rank_range", code)),
            ],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=3,
            fontsize=8,
            frameon=False,
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    return ax


def archetype_profiles(result: Any, *, rubric: Any = None, lang: str | None = None, ax: Axes | None = None) -> Axes:
    """One line per archetype across the dimensions (parallel coordinates), labelled with its name and size.

    Parameters
    ----------
    result : Archetypes
        From :func:`dxlab.stats.archetypes`.
    rubric : Rubric or str, optional
        For dimension titles on the axis.
    lang : {"vi", "en"}, optional
    ax : Axes, optional

    Returns
    -------
    Axes
    """
    from ..rubric import load_rubric

    code = check_lang(lang)
    clusters: pd.DataFrame = result.clusters
    dims = [
        c for c in clusters.columns if c not in ("archetype", "n", "share", "stability", "level", "name_vi", "name_en")
    ]
    rubric_obj = load_rubric(rubric) if rubric is not None else None
    titles = [
        wrap(rubric_obj[d].title.get(code), 14)  # type: ignore[union-attr]  # dimension ids
        if rubric_obj is not None and d in rubric_obj
        else d
        for d in dims
    ]
    colors = [matplotlib.colormaps["tab10"](i % 10) for i in range(len(clusters))]
    with style():
        ax = new_axes(ax, (7.5, 4.2))
        x = np.arange(len(dims))
        for (_, row), color in zip(clusters.iterrows(), colors):
            name = row[f"name_{code}"]
            ax.plot(
                x,
                row[dims].to_numpy(dtype=float),
                marker="o",
                linewidth=2,
                color=color,
                label=wrap(
                    tr(
                        "frameworks.archetype_legend",
                        code,
                        number=int(row["archetype"]),
                        name=name,
                        share=f"{row['share'] * 100:.0f}",
                    ),
                    90,
                ),
            )
        ax.set_xticks(x, titles)
        ax.set_ylim(1, 5)
        ax.set_ylabel(tr("frameworks.profile_axis", code))
        ax.grid(axis="y", alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), fontsize=8, frameon=False)
    return ax
