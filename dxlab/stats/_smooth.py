"""Smoothing a correlation matrix that is not positive definite, as ``psych::cor.smooth``.

Pairwise deletion and polychoric/tetrachoric estimates fit each pair on its own, so the matrix of all pairs
need not be a correlation matrix of any data: an eigenvalue can be negative. Factor analysis, ω and
anything that inverts the matrix then fail or mislead. ``psych::cor.smooth`` (Revelle) repairs it:

1. eigen-decompose R = V diag(λ) Vᵀ;
2. if the smallest λ is below machine epsilon, set every λ < 10⁻¹² to 100 · 10⁻¹², rescale all λ so they
   sum to k (the number of items), rebuild V diag(λ) Vᵀ and rescale it to unit diagonal (``cov2cor``).

The statistics call this only when asked (``smooth=True``) but always say when a matrix is not positive
definite.

References
----------
Revelle, W. (2024). *psych: Procedures for Psychological, Psychometric, and Personality Research*,
``cor.smooth``. Wothke, W. (1993). Nonpositive definite matrices in structural modeling. In Bollen &
Long (eds.), *Testing Structural Equation Models*, 256–293.
"""

from __future__ import annotations

import numpy as np

from ._common import note

__all__ = ["smooth_correlation", "smooth_note"]

_EIG_TOL = 1e-12


def smooth_correlation(matrix: np.ndarray) -> tuple[np.ndarray | None, float]:
    """The smoothed matrix (None when it is positive definite or has missing values) and its smallest
    eigenvalue (NaN when some entries are missing; +inf when a Cholesky factorisation already shows the
    matrix is positive definite, which is much cheaper than the eigenvalues).

    Examples
    --------
    >>> import numpy as np
    >>> m = np.array([[1, .9, .9], [.9, 1, .1], [.9, .1, 1]])
    >>> smoothed, smallest = smooth_correlation(m)
    >>> round(smallest, 3), bool(np.linalg.eigvalsh(smoothed).min() > 0)
    (-0.224, True)
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.size == 0 or not np.all(np.isfinite(matrix)):
        return None, np.nan
    symmetric = (matrix + matrix.T) / 2.0
    try:
        np.linalg.cholesky(symmetric - np.eye(len(symmetric)) * np.finfo(float).eps)
        return None, np.inf
    except np.linalg.LinAlgError:
        pass
    values, vectors = np.linalg.eigh(symmetric)
    smallest = float(values.min())
    if smallest >= np.finfo(float).eps:
        return None, smallest
    values = np.where(values < _EIG_TOL, 100.0 * _EIG_TOL, values)
    values = values * len(values) / values.sum()
    rebuilt = (vectors * values) @ vectors.T
    scale = np.sqrt(np.diag(rebuilt))
    smoothed = rebuilt / np.outer(scale, scale)
    np.fill_diagonal(smoothed, 1.0)
    return smoothed, smallest


def smooth_note(smallest: float, smoothed: bool) -> str:
    """What to tell the reader about positive definiteness (empty when the matrix is fine)."""
    if not np.isfinite(smallest):
        return ""
    if smallest >= np.finfo(float).eps:
        return ""
    smallest_text = f"{smallest:.3g}"
    return note("not_positive_definite_smoothed" if smoothed else "not_positive_definite", smallest=smallest_text)
