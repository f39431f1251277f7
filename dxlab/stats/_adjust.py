"""Multiple-comparison adjustment of p-values (the rules of R's ``p.adjust``).

Written here (a dozen lines each) so that every dxlab table adjusts the same way, missing p-values are
skipped instead of poisoning the family, and no heavier dependency is needed.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ADJUST_METHODS", "adjust_pvalues", "check_adjust"]

ADJUST_METHODS = ("holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none", "hommel")
_ALIASES = {"bonf": "bonferroni", "BH": "fdr_bh", "fdr": "fdr_bh", "BY": "fdr_by", None: "none"}


def check_adjust(method: str | None) -> str:
    method = _ALIASES.get(method, method)
    if method not in ADJUST_METHODS:
        raise ValueError(f"adjust must be one of {', '.join(map(repr, ADJUST_METHODS))}, not {method!r}")
    return method


def adjust_pvalues(pvalues: np.ndarray, method: str | None = "holm") -> np.ndarray:
    """Adjusted p-values; NaN stays NaN and does not count in the family size ``m``; a p outside [0, 1] is an
    error naming its position.

    * ``bonferroni``: min(1, m·p)
    * ``sidak``: 1 − (1 − p)^m
    * ``holm`` (step-down): p₍ᵢ₎·(m − i + 1), running maximum
    * ``hochberg`` (step-up): p₍ᵢ₎·(m − i + 1), running minimum from the largest
    * ``fdr_bh`` (Benjamini–Hochberg): p₍ᵢ₎·m/i, running minimum from the largest
    * ``fdr_by`` (Benjamini–Yekutieli): BH × Σⱼ 1/j
    * ``hommel`` (Hommel 1988, closed testing with Simes' tests; the algorithm of Wright 1992 that R's
      ``p.adjust(method = "hommel")`` uses): for each subset size j = m, …, 2, c_j = min_{k} j·p₍ₘ₋ⱼ₊ₖ₎/k over
      the j largest p-values; an adjusted p is the largest over j of min(j·p, c_j) (its own p at least)
    """
    method = check_adjust(method)
    p = np.asarray(pvalues, dtype=float)
    outside = np.flatnonzero((p < 0) | (p > 1) | np.isinf(p))
    if outside.size:
        shown = ", ".join(f"{p.flat[i]:g} (position {i})" for i in outside[:5])
        raise ValueError(
            f"p-values must lie between 0 and 1; got {shown}"
            + (f" and {outside.size - 5} more" if outside.size > 5 else "")
        )
    out = np.full(p.shape, np.nan)
    valid = np.isfinite(p)
    values = p[valid]
    m = values.size
    if m == 0:
        return out
    if method == "none":
        adjusted = values
    elif method == "bonferroni":
        adjusted = values * m
    elif method == "hommel":
        adjusted = _hommel(values)
    elif method == "sidak":
        adjusted = -np.expm1(m * np.log1p(-np.minimum(values, 1.0)))
    else:
        order = np.argsort(values, kind="mergesort")
        ranked = values[order]
        i = np.arange(1, m + 1)
        if method == "holm":
            stepped = np.maximum.accumulate(ranked * (m - i + 1))
        elif method == "hochberg":
            stepped = np.minimum.accumulate((ranked * (m - i + 1))[::-1])[::-1]
        else:
            factor = np.sum(1.0 / i) if method == "fdr_by" else 1.0
            stepped = np.minimum.accumulate((ranked * m / i * factor)[::-1])[::-1]
        adjusted = np.empty(m)
        adjusted[order] = stepped
    out[valid] = np.minimum(adjusted, 1.0)
    return out


def _hommel(values: np.ndarray) -> np.ndarray:
    """Hommel's adjusted p-values, O(m²) (Wright 1992)."""
    m = values.size
    order = np.argsort(values, kind="mergesort")
    ranked = values[order]
    i = np.arange(1, m + 1)
    start = float(np.min(m * ranked / i))
    best = np.full(m, start)
    current = np.full(m, start)
    for j in range(m - 1, 1, -1):
        low, high = m - j + 1, m  # the first m - j + 1 ranks and the j - 1 largest
        floor = float(np.min(j * ranked[low:high] / np.arange(2, j + 1)))
        current[:low] = np.minimum(j * ranked[:low], floor)
        current[low:] = current[low - 1]
        best = np.maximum(best, current)
    adjusted = np.empty(m)
    adjusted[order] = np.maximum(best, ranked)
    return adjusted
