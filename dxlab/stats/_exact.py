"""Exact small-sample p-values where R gives them by default.

* Spearman's ρ without ties, n < 10 (R ``cor.test(method = "spearman")``, algorithm AS 89 enumerates the
  permutations for n ≤ 9): S = Σ dᵢ² = (n³ − n)(1 − ρ)/6 over all n! equally likely rankings; two-sided
  p = min(1, 2·min(P(S ≤ s), P(S ≥ s))).
* Kendall's τ without ties, n < 50 (R ``cor.test(method = "kendall")``): the number of concordant pairs T
  has the distribution of the number of non-inversions of a random permutation (the Mahonian numbers,
  built by the recursion I(n, k) = Σ_{j=0}^{min(k, n−1)} I(n − 1, k − j)); T = (τ + 1)·n(n − 1)/4, two-sided
  p = min(1, 2·P(T ≥ t)) above the centre n(n − 1)/4, else min(1, 2·P(T ≤ t)).
* Mann–Whitney U without ties, both groups under 50 (R ``wilcox.test``): the null distribution of U is the
  coefficient list of the Gaussian binomial [m+n choose m]_q (Mann & Whitney 1947), built by the recursion
  f(u; m, n) = f(u − n; m − 1, n) + f(u; m, n − 1); two-sided p = min(1, 2·min(P(U ≤ u), P(U ≥ u))).

References
----------
Best, D. J. & Roberts, D. E. (1975). Algorithm AS 89: the upper tail probabilities of Spearman's rho.
*Applied Statistics*, 24, 377–379.
Mann, H. B. & Whitney, D. R. (1947). On a test of whether one of two random variables is stochastically
larger than the other. *Annals of Mathematical Statistics*, 18, 50–60.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from functools import lru_cache

import numpy as np

__all__ = [
    "KENDALL_EXACT_MAX_N",
    "MANN_WHITNEY_EXACT_MAX_N",
    "SPEARMAN_EXACT_MAX_N",
    "kendall_exact_p",
    "mann_whitney_exact_p",
    "spearman_exact_p",
]

SPEARMAN_EXACT_MAX_N = 9
MANN_WHITNEY_EXACT_MAX_N = 49
KENDALL_EXACT_MAX_N = 49


@lru_cache(maxsize=16)
def _spearman_s_distribution(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values of S = Σ (i − πᵢ)² over all permutations π of n, and their probabilities."""
    base = np.arange(n)
    counts: dict[int, int] = {}
    for chunk in _batched(itertools.permutations(range(n)), 50_000):
        perms = np.array(chunk, dtype=np.int64)
        s = ((perms - base) ** 2).sum(axis=1)
        values, freq = np.unique(s, return_counts=True)
        for v, f in zip(values.tolist(), freq.tolist()):
            counts[v] = counts.get(v, 0) + f
    keys = np.array(sorted(counts), dtype=float)
    total = float(sum(counts.values()))
    return keys, np.array([counts[int(k)] for k in keys], dtype=float) / total


def _batched(iterable: Iterator[tuple[int, ...]], size: int) -> Iterator[list[tuple[int, ...]]]:
    while True:
        chunk = list(itertools.islice(iterable, size))
        if not chunk:
            return
        yield chunk


def spearman_exact_p(rho: float, n: int) -> float:
    """Two-sided exact p of Spearman's ρ for n ≤ 9 untied observations (as R's ``cor.test``)."""
    if not 2 <= n <= SPEARMAN_EXACT_MAX_N:
        raise ValueError(f"the exact Spearman p is for 2 ≤ n ≤ {SPEARMAN_EXACT_MAX_N}, not n = {n}")
    values, prob = _spearman_s_distribution(n)
    s = round((n**3 - n) * (1.0 - rho) / 6.0)
    lower = prob[values <= s + 1e-9].sum()
    upper = prob[values >= s - 1e-9].sum()
    return float(min(1.0, 2.0 * min(lower, upper)))


@lru_cache(maxsize=256)
def _u_distribution(m: int, n: int) -> np.ndarray:
    """Number of arrangements giving U = 0..m·n for groups of m and n (no ties)."""
    table = {(0, j): np.ones(1) for j in range(n + 1)}
    for i in range(1, m + 1):
        table[(i, 0)] = np.ones(1)
        for j in range(1, n + 1):
            counts = np.zeros(i * j + 1)
            shifted = table[(i - 1, j)]
            counts[j : j + shifted.size] += shifted
            stay = table[(i, j - 1)]
            counts[: stay.size] += stay
            table[(i, j)] = counts
    return table[(m, n)]


def mann_whitney_exact_p(u: float, m: int, n: int) -> float:
    """Two-sided exact p of the Mann–Whitney U of a group of ``m`` against ``n`` (no ties; as ``wilcox.test``)."""
    counts = _u_distribution(int(m), int(n))
    prob = counts / counts.sum()
    values = np.arange(prob.size)
    lower = prob[values <= u + 1e-9].sum()
    upper = prob[values >= u - 1e-9].sum()
    return float(min(1.0, 2.0 * min(lower, upper)))


@lru_cache(maxsize=64)
def _inversion_counts(n: int) -> np.ndarray:
    """Number of permutations of n with k inversions, k = 0..n(n − 1)/2 (Mahonian numbers), as floats."""
    counts = np.ones(1)
    for size in range(2, n + 1):
        longer = np.zeros(counts.size + size - 1)
        for shift in range(size):  # the new largest element adds 0..size−1 inversions
            longer[shift : shift + counts.size] += counts
        counts = longer
    return counts


def kendall_exact_p(tau: float, n: int) -> float:
    """Two-sided exact p of Kendall's τ for n untied observations (as R's ``cor.test``, n < 50)."""
    if not 2 <= n <= KENDALL_EXACT_MAX_N:
        raise ValueError(f"the exact Kendall p is for 2 ≤ n ≤ {KENDALL_EXACT_MAX_N}, not n = {n}")
    prob = _inversion_counts(n)
    prob = prob / prob.sum()
    concordant = round((tau + 1.0) * n * (n - 1) / 4.0)
    if concordant > n * (n - 1) / 4.0:
        tail = prob[concordant:].sum()
    else:
        tail = prob[: concordant + 1].sum()
    return float(min(1.0, 2.0 * tail))
