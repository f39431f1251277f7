"""Figures for maturity assessments (matplotlib).

Every figure takes ``ax=None`` (drawing on a new figure when omitted) and returns the Axes; all use one
style (:mod:`dxlab.plots._style`): DejaVu Sans, which renders Vietnamese, and the same colour for each
level in every figure.
"""

from ._common import bar_label
from ._frameworks import archetype_profiles, crosswalk_matrix, rank_intervals
from ._gaps import gap_bars
from ._heatmap import _annotate as annotate_cells
from ._heatmap import corr_heatmap, group_table, heatmap
from ._likert import level_counts, likert_bars
from ._radar import radar
from ._style import LEVEL_COLORS, corr_cmap, level_cmap, level_colors, patched_rc, style, text_color, use_style, wrap
from ._waves import level_flows, slope_chart, transition_heatmap

__all__ = [
    "LEVEL_COLORS",
    "corr_heatmap",
    "gap_bars",
    "group_table",
    "heatmap",
    "level_cmap",
    "level_colors",
    "level_counts",
    "likert_bars",
    "radar",
    "style",
    "use_style",
]
__all__ += ["annotate_cells", "bar_label", "corr_cmap", "patched_rc", "text_color", "wrap"]
__all__ += ["level_flows", "slope_chart", "transition_heatmap"]
__all__ += ["archetype_profiles", "crosswalk_matrix", "rank_intervals"]
