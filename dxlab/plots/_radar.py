"""Radar (spider) chart of a dimension profile against a benchmark and a target.

matplotlib has no radar chart of its own beyond its gallery recipe; this one follows the recipe on a polar
axes and adds what a maturity profile needs: level rings, a benchmark and a target, dimension titles wrapped
so that Vietnamese words do not collide, and sensible drawings for one or two dimensions, where a polygon
does not exist (one dimension: a ring at the score; two: a line through the centre).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .._i18n import tr
from ._common import LabelSpec, bar_label, check_lang, resolve_levels, resolve_rubric
from ._style import BENCHMARK_COLOR, PROFILE_COLOR, TARGET_COLOR, level_colors, new_axes, style

__all__ = ["radar"]


def _as_profile(values: object, index: list[str] | None, what: str) -> pd.Series:
    if isinstance(values, pd.DataFrame):
        if len(values) != 1:
            raise ValueError(
                f"{what} must be one profile (a Series or a one-row DataFrame), got "
                f"{len(values)} rows; pick one, e.g. scores.dimensions.loc[response_id]"
            )
        values = values.iloc[0]
    if isinstance(values, Mapping):
        values = pd.Series(dict(values))
    if isinstance(values, (int, float, np.integer, np.floating)) and not isinstance(values, bool):
        if index is None:
            raise ValueError(f"{what} is a single number; the profile must name its dimensions")
        return pd.Series(float(values), index=index)
    if not isinstance(values, pd.Series):
        raise ValueError(
            f"{what} must be a Series indexed by dimension id, a dict or a number, not {type(values).__name__}"
        )
    out = pd.to_numeric(values.astype("Float64"), errors="raise").astype(float)
    if index is not None:
        unknown = [k for k in out.index if k not in index]
        if unknown:
            raise ValueError(
                f"{what} names {', '.join(map(repr, unknown))}, which the profile does not have "
                f"(profile dimensions: {', '.join(map(str, index))})"
            )
        out = out.reindex(index)
    return out


def radar(
    profile: pd.Series | Mapping[str, float],
    *,
    benchmark: object = None,
    target: object = None,
    rubric: object | None = None,
    lang: str = "vi",
    labels: LabelSpec = None,
    limits: tuple[float, float] | None = None,
    rings: Sequence[float] | None = None,
    profile_label: str | None = None,
    benchmark_label: str | None = None,
    target_label: str | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Radar chart of a profile of dimension scores, optionally against a benchmark and a target.

    Parameters
    ----------
    profile : Series or dict
        Scores indexed by dimension id, e.g. ``scores.dimensions.loc["R000001"]`` (missing dimensions as NaN
        leave a gap). One to eight dimensions read well; more are drawn but labels get crowded.
    benchmark : Series, dict or number, optional
        A comparison profile on the same dimensions, e.g. the sector median
        ``scores.dimensions[in_sector].median()``.
    target : Series, dict or number, optional
        The target level (one number for every dimension, or one per dimension).
    rubric : Rubric or str, optional
        Supplies the dimension titles and the level names on the rings.
    lang : {"vi", "en"}
    labels : "id", "text", "both", mapping or callable, optional
        Spoke labels (default: the rubric's dimension titles when a rubric is given, else the ids).
    limits : (float, float), optional
        Radial range; default ``(0, top level)`` — e.g. pass ``(0, 100)`` for ``dma100`` scores.
    rings : sequence of float, optional
        Radii of the grid rings (default: every level).
    profile_label, benchmark_label, target_label : str, optional
        Legend entries.
    title : str, optional
    ax : polar Axes, optional

    Returns
    -------
    Axes (polar)

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> profile = pd.Series({"CUS": 2.6, "STR": 3.1, "TEC": 2.2})
    >>> ax = dxlab.plots.radar(profile, benchmark=profile - 0.3, target=4)
    """
    check_lang(lang)
    rubric = resolve_rubric(rubric)
    prof = _as_profile(profile, None, "profile")
    if prof.empty:
        raise ValueError("profile is empty: it needs at least one dimension")
    dims = [str(k) for k in prof.index]
    prof.index = dims
    bench = _as_profile(benchmark, dims, "benchmark") if benchmark is not None else None
    targ = _as_profile(target, dims, "target") if target is not None else None
    levels = resolve_levels(None, rubric)
    lo, hi = limits if limits is not None else (0.0, float(max(levels)))
    if not hi > lo:
        raise ValueError(f"limits must be (low, high) with high > low, got {limits!r}")
    ring_values = list(rings) if rings is not None else [v for v in levels if lo < v <= hi]
    if labels is None:
        labels = "text" if rubric is not None else "id"
    n = len(dims)
    angles = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
    default_names = (tr("plots.enterprise", lang), tr("plots.sector_median", lang), tr("plots.target", lang))

    with style():
        ax = new_axes(ax, (6.4, 6.0), polar=True)
        ax.set_theta_offset(np.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(lo, hi)
        ax.set_yticks(ring_values)
        ax.set_yticklabels([f"{v:g}" for v in ring_values], fontsize=8, color="#666666")
        ax.set_rlabel_position(180.0 / max(n, 1) if n > 1 else 90.0)
        ax.grid(True, color="#cccccc", linewidth=0.8)
        ax.spines["polar"].set_color("#aaaaaa")
        if limits is None and rubric is not None:
            # A faint coloured band per level ring keeps the link with the level colours of other figures.
            theta = np.linspace(0, 2 * np.pi, 361)
            for v, color in zip(levels, level_colors(len(levels))):
                ax.fill_between(theta, v - 1, v, color=color, alpha=0.07, linewidth=0, zorder=0)
        width = 12 if n >= 5 else (16 if n >= 3 else 22)
        names = [bar_label(d, labels, rubric, lang, width=width, max_lines=3) for d in dims]
        ax.set_xticks(angles, names)
        for label, angle in zip(ax.get_xticklabels(), angles):
            deg = np.degrees(angle) % 360
            label.set_horizontalalignment("center" if deg in (0.0, 180.0) else ("left" if deg < 180 else "right"))
            label.set_verticalalignment("bottom" if deg < 90 or deg > 270 else ("top" if 90 < deg < 270 else "center"))
        ax.tick_params(axis="x", pad=8)

        def draw(series: pd.Series, color: str, name: str, style_kw: dict, fill: bool) -> None:
            values = series.to_numpy(dtype=float)
            if n == 1:
                theta = np.linspace(0, 2 * np.pi, 181)
                ax.plot(theta, np.full_like(theta, values[0]), color=color, label=name, **style_kw)
                ax.plot([0.0], values, "o", color=color, markersize=5)
                if fill:
                    ax.fill(theta, np.full_like(theta, values[0]), color=color, alpha=0.12)
                return
            closed_t = np.append(angles, angles[0])
            closed_v = np.append(values, values[0])
            ax.plot(closed_t, closed_v, color=color, label=name, **style_kw)
            ax.plot(angles, values, "o", color=color, markersize=5 if fill else 3.5)
            if fill and n >= 3 and not np.isnan(values).any():
                ax.fill(closed_t, closed_v, color=color, alpha=0.15)

        draw(prof, PROFILE_COLOR, profile_label or default_names[0], {"linewidth": 2.2, "zorder": 4}, True)
        if bench is not None:
            draw(
                bench,
                BENCHMARK_COLOR,
                benchmark_label or default_names[1],
                {"linestyle": "--", "linewidth": 1.8, "zorder": 3},
                False,
            )
        if targ is not None:
            draw(
                targ,
                TARGET_COLOR,
                target_label or default_names[2],
                {"linestyle": ":", "linewidth": 1.6, "zorder": 3},
                False,
            )
        if bench is not None or targ is not None or profile_label:
            # Below the bottom spoke's label (when there is one), so the two never overlap.
            bottom = [name for name, a in zip(names, angles) if np.isclose(a, np.pi)]
            drop = 12 + (12 * (bottom[0].count("\n") + 1) + 8 if bottom else 0)
            offset = mtransforms.ScaledTranslation(0, -drop / 72, ax.figure.dpi_scale_trans)
            entries = 1 + (bench is not None) + (targ is not None)
            box_width = ax.get_position().width * ax.figure.get_figwidth()
            ax.legend(
                loc="upper center",
                bbox_to_anchor=(0.5, 0.0),
                bbox_transform=ax.transAxes + offset,
                ncol=entries if box_width >= 3.6 else 1,
            )
        if title:
            ax.set_title(title, pad=28)
    return ax
