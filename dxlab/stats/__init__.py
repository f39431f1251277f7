"""Ordinal statistics for maturity assessments, all built on one contingency-table engine.

Every function takes the data first, then the columns, then keyword options, and returns a tidy
DataFrame with a fixed column order and a ``note`` column that says when a number is missing or needs
care (small groups, expected counts below 5, constant items…) — never a silent NaN.

Missing answers follow one policy throughout: a statistic of several items uses the rows that answered
those items (pairwise deletion); :func:`reliability` and :func:`item_analysis` also offer listwise deletion.

=======================  ========================================================================
``level_distribution``   counts and shares per level (Wilson intervals), optionally per group, weighted
``association``          χ², Cramér's V and an ordinal test (linear-by-linear / mean-score) per item
``reliability``          Cronbach's α (Feldt CI), standardised/ordinal α, McDonald's ω per scale
``item_analysis``        n, mean, sd, corrected item–total r, α if item deleted
``correlations``         Spearman / Kendall τ-b / polychoric / Pearson for all pairs, with CIs and p_adj
``correlation_matrix``   the same as a square matrix
``compare_groups``       Kruskal–Wallis H with ε² and a bootstrap interval per value column
``posthoc``              Dunn's pairwise test with adjusted p-values
``compare_two``          Mann–Whitney U (exact when small) with Cliff's δ (= rank-biserial r) and its interval
``bootstrap_ci``         bootstrap interval of any statistic (``scipy.stats.bootstrap``)
``peer_percentile``      each enterprise's percentile within its sector and size class
``paired_change``        change of each item between two waves: signed-rank and sign tests, rank-biserial
``transition_matrix``    level × level movements of one item, Stuart–Maxwell and Bowker tests
``compare_waves``        Friedman's test with Kendall's W over three or more waves, pairwise Wilcoxon
``agreement``            agreement of an enterprise's respondents: ICC, Krippendorff's α, κ, Fleiss' κ, r_wg
``jonckheere``           Jonckheere–Terpstra trend test across ordered groups (ties corrected)
``polyserial``           polyserial correlation of ordinal items with continuous columns
``scale_scores``         mean score per scale and respondent, reverse-keyed items recoded
=======================  ========================================================================
"""

from ._adjust import ADJUST_METHODS, adjust_pvalues
from ._agreement import AGREEMENT_METHODS, agreement
from ._archetypes import Archetypes, archetypes
from ._association import association
from ._bootstrap import bootstrap_ci
from ._change import Transitions, WaveComparison, compare_waves, paired_change, transition_matrix
from ._correlation import correlation_matrix, correlations
from ._distribution import level_distribution
from ._groups import compare_groups, compare_two, jonckheere, posthoc
from ._peers import peer_percentile
from ._polyserial import polyserial
from ._reliability import item_analysis, reliability
from ._scores import scale_scores
from ._tables import add_tables
from ._wave_tables import SectorChange, enterprise_change, sector_change
from ._weights import WeightSensitivity, kendalls_w, weight_sensitivity

__all__ = [
    "ADJUST_METHODS",
    "adjust_pvalues",
    "association",
    "bootstrap_ci",
    "compare_groups",
    "compare_two",
    "correlation_matrix",
    "correlations",
    "item_analysis",
    "level_distribution",
    "peer_percentile",
    "posthoc",
    "reliability",
]
__all__ += [
    "AGREEMENT_METHODS",
    "SectorChange",
    "Transitions",
    "WaveComparison",
    "agreement",
    "compare_waves",
    "enterprise_change",
    "paired_change",
    "sector_change",
    "transition_matrix",
]
__all__ += ["jonckheere", "polyserial", "scale_scores"]
__all__ += ["Archetypes", "WeightSensitivity", "archetypes", "kendalls_w", "weight_sensitivity"]
__all__ += ["add_tables"]  # tables of parts add up (Parquet batches, Dask partitions)
