"""The same responses under every scoring scheme, and how far the schemes' levels agree.

Agreement between two schemes' levels is measured by Cohen's κ with linear weights over the union of the
levels either scheme gives (the levels are on different scales — MIC 2021 has a level 0, the EU DMA four
bands — so κ here says how consistently the schemes *rank* enterprises into levels, and the share of
enterprises whose level number differs by ≥ 1 says how often a report would name another level):

    κ_w = 1 − Σ_ij w_ij O_ij / Σ_ij w_ij E_ij,   w_ij = |i − j| / (k − 1),

with ``O`` the observed cross-table of shares and ``E`` the product of its margins (Cohen, 1968).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..rubric import Rubric, load_rubric
from ..scoring import SCHEMES, score

__all__ = ["SchemeComparison", "compare_schemes", "weighted_kappa"]

AGREEMENT_COLUMNS = ["scheme_x", "scheme_y", "n", "kappa_linear", "share_differ", "share_higher_x", "share_higher_y"]


@dataclass(frozen=True)
class SchemeComparison:
    """Result of :func:`compare_schemes`.

    Attributes
    ----------
    scores : DataFrame
        One row per response: metadata, then ``<scheme>.score`` and ``<scheme>.level`` for each scheme.
    agreement : DataFrame
        One row per pair of schemes (and per group when ``by`` is given): n, linearly weighted κ, share of
        responses whose level differs, shares where each scheme gives the higher level.
    crosstabs : dict
        ``(scheme_x, scheme_y) -> DataFrame``: counts of responses by the two schemes' levels.
    """

    scores: pd.DataFrame
    agreement: pd.DataFrame
    crosstabs: dict[tuple[str, str], pd.DataFrame]


def weighted_kappa(x: np.ndarray, y: np.ndarray, categories: np.ndarray | None = None) -> float:
    """Cohen's κ with linear weights of two integer level vectors (no missing values).

    >>> round(weighted_kappa(np.array([1, 2, 3, 4]), np.array([1, 2, 3, 3])), 4)
    0.7778
    """
    cats = np.unique(np.concatenate([x, y])) if categories is None else np.asarray(categories)
    k = len(cats)
    if k < 2 or len(x) == 0:
        return float("nan")
    ix, iy = np.searchsorted(cats, x), np.searchsorted(cats, y)
    observed = np.zeros((k, k))
    np.add.at(observed, (ix, iy), 1.0)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    positions = np.arange(k)
    weights = np.abs(positions[:, None] - positions[None, :]) / (k - 1)
    denominator = (weights * expected).sum()
    return float("nan") if denominator == 0 else float(1.0 - (weights * observed).sum() / denominator)


def _pair_row(a: str, b: str, x: pd.Series, y: pd.Series) -> dict[str, object]:
    both = x.notna() & y.notna()
    xi, yi = x[both].to_numpy(dtype=np.int64), y[both].to_numpy(dtype=np.int64)
    n = int(both.sum())

    def share(mask: np.ndarray) -> float:
        return float(mask.mean()) if n else float("nan")

    return {
        "scheme_x": a,
        "scheme_y": b,
        "n": n,
        "kappa_linear": weighted_kappa(xi, yi),
        "share_differ": share(xi != yi),
        "share_higher_x": share(xi > yi),
        "share_higher_y": share(yi > xi),
    }


def compare_schemes(
    responses: pd.DataFrame,
    rubric: Rubric | str,
    schemes: tuple[str, ...] = ("mean", "dbi2021", "dma100"),
    *,
    by: str | None = None,
    min_answered: float = 0.5,
) -> SchemeComparison:
    """Score the same responses under several schemes and compare the levels they give.

    Parameters
    ----------
    responses : DataFrame
        Wide responses (one ``Int8`` column per criterion id), as from :func:`dxlab.read_export`.
    rubric : Rubric or str
    schemes : tuple of str
        Any of ``"mean"``, ``"dbi2021"``, ``"dma100"`` (at least two).
    by : str, optional
        A metadata column (e.g. ``"sector"``): agreement is also given per group (missing values form the
        group ``<NA>``).
    min_answered : float
        As in :func:`dxlab.score`.

    Returns
    -------
    SchemeComparison

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> frame = pd.DataFrame({c: [1, 3, 5] for c in r.criterion_ids})
    >>> frame[list(r.reverse_items)] = 6 - frame[list(r.reverse_items)]  # reverse-keyed items: 1 is the top
    >>> dxlab.compare_schemes(frame, r).scores.filter(like=".level").astype(int).values.tolist()
    [[1, 1, 1], [3, 3, 2], [5, 5, 4]]
    """
    unknown = [s for s in schemes if s not in SCHEMES]
    if unknown or len(set(schemes)) < 2:
        raise ValueError(f"schemes must be two or more of {', '.join(map(repr, SCHEMES))}; got {schemes!r}")
    if by is not None and by not in responses.columns:
        raise ValueError(f"by={by!r} is not a column of the responses; columns are {', '.join(responses.columns)}")
    rubric = load_rubric(rubric)
    results = {s: score(responses, rubric, s, min_answered=min_answered) for s in schemes}
    first = results[schemes[0]]
    frame = first.meta.copy()
    for s, res in results.items():
        frame[f"{s}.score"] = res.overall["score"].astype("float64")
        frame[f"{s}.level"] = res.overall["level"]
    rows, crosstabs = [], {}
    groups = (
        [(None, frame)]
        if by is None
        else [(None, frame), *frame.groupby(frame[by].astype("object").fillna("<NA>"), sort=True)]
    )
    for group, part in groups:
        for a, b in combinations(schemes, 2):
            row = _pair_row(a, b, part[f"{a}.level"], part[f"{b}.level"])
            rows.append({by or "group": group, **row} if by else row)
    for a, b in combinations(schemes, 2):
        crosstabs[(a, b)] = pd.crosstab(frame[f"{a}.level"].astype("Int64"), frame[f"{b}.level"].astype("Int64"))
    columns = ([by] if by else []) + AGREEMENT_COLUMNS
    agreement = pd.DataFrame(rows).reindex(columns=columns)
    return SchemeComparison(frame, agreement, crosstabs)
