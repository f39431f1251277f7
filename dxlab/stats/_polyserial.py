"""The polyserial correlation of ordinal items with continuous columns (two-step, ad hoc estimator).

Model: the ordinal item Y is a continuous latent Y* ~ N(0, 1) cut at thresholds τ₁ < … < τ_{s−1}, and
(X, Y*) is bivariate normal with correlation ρ. The two-step estimate of Olsson, Drasgow & Dorans (1982)
is what both ``polycor::polyserial(x, y)`` (its default ``ML = FALSE``) and ``psych::polyserial(x, y)``
return:

    τⱼ = Φ⁻¹(cumulative share of the levels ≤ j),   ρ̂ = r_XY · σ_Y √((n − 1)/n) / Σⱼ φ(τⱼ),

with r_XY the Pearson correlation of X with the level codes 1..s (the observed levels in order, as
polycor numbers them) and σ_Y their standard deviation, on the rows where both are answered. The
estimate is capped at ±1 (psych) with a note. ρ = 0 exactly when r_XY = 0, so the p-value is the
Pearson t-test of r_XY (n − 2 df).

Everything comes from per-pair moments and the item's level counts, so 30 items × 100,000 rows take a few
matrix products.

References
----------
Olsson, U., Drasgow, F. & Dorans, N. J. (1982). The polyserial correlation coefficient. *Psychometrika*, 47,
337–347.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import ndtri

from ._adjust import adjust_pvalues, check_adjust
from ._common import check_columns, join_notes, levels_from, renamed_arguments
from ._tables import encode, resolve_items

__all__ = ["polyserial"]

COLUMNS = ["item_x", "item_y", "method", "n", "r", "p", "p_adj", "note"]


def _continuous(data: pd.DataFrame, name: str) -> np.ndarray:
    series = data[name]
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        raise ValueError(f"column {name!r} holds {series.dtype} values; polyserial needs a numeric continuous "
                         f"column")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        raise ValueError(f"column {name!r}, row {data.index[infinite[0]]!r}: infinite value")
    return values


@renamed_arguments({})
def polyserial(data: pd.DataFrame, items: Any, *, continuous: Any, by: Any = None, weights: Any = None,
               levels: Any = None, adjust: str = "holm") -> pd.DataFrame:
    """Polyserial correlation of each continuous column with each ordinal item (``polycor::polyserial``).

    Parameters
    ----------
    data : DataFrame
    items : list of str or Rubric
        The ordinal items (``Y``).
    continuous : str or list of str
        The continuous columns (``X``: ages, scores, revenue…).
    by : None
        Not supported yet: split the data and call once per group.
    weights : None
        Not supported (neither R function takes weights).
    levels : sequence or Rubric, optional
        The ordered levels of the items.
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}

    Returns
    -------
    DataFrame
        ``item_x, item_y, method, n, r, p, p_adj, note`` — ``item_x`` the continuous column, ``item_y`` the
        ordinal item, ``n`` the rows where both are answered.

    Examples
    --------
    >>> import numpy as np, pandas as pd, dxlab
    >>> rng = np.random.default_rng(0)
    >>> latent = rng.normal(size=2000)
    >>> frame = pd.DataFrame({"x": latent + rng.normal(size=2000), "y": np.digitize(latent, [-1, 0, 1]) + 1})
    >>> round(float(dxlab.stats.polyserial(frame, "y", continuous="x")["r"].iloc[0]), 1)
    0.7
    """
    adjust = check_adjust(adjust)
    if by is not None or weights is not None:
        raise ValueError("polyserial takes no by= or weights= (psych and polycor have neither); split the data "
                         "by group and call it once per group")
    check_columns(data)
    levels = levels_from(items, levels)
    names = resolve_items(data, items)
    xs = resolve_items(data, continuous, what="continuous")
    check_columns(data, names + xs)
    enc = encode(data, names, levels)
    codes = enc.codes.astype(np.int64)
    answered = (codes >= 0).astype(float)
    rows = []
    for x_name in xs:
        x = _continuous(data, x_name)
        present = np.isfinite(x)
        xz = np.where(present, x, 0.0)
        mask = answered * present[:, None]
        r, n, notes = _two_step(xz, codes, mask, enc.n_levels)
        for j, item in enumerate(names):
            rows.append({"item_x": x_name, "item_y": item, "method": "polyserial", "n": int(n[j]), "r": r[j],
                         "p": _pearson_p(r[j], n[j], notes[j]), "note": notes[j][0]})
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "p_adj"])
    frame.insert(COLUMNS.index("p_adj"), "p_adj", adjust_pvalues(frame["p"].to_numpy(dtype=float), adjust))
    return frame


def _two_step(x: np.ndarray, codes: np.ndarray, mask: np.ndarray, n_levels: int
              ) -> tuple[np.ndarray, np.ndarray, list[tuple[str, float]]]:
    """ρ̂ per item from the pairwise moments of x and the item's observed-level ranks."""
    k = codes.shape[1]
    n = mask.sum(axis=0)
    counts = np.zeros((k, n_levels))
    for level in range(n_levels):
        counts[:, level] = ((codes == level) * mask).sum(axis=0)
    rank_of_level = np.cumsum(counts > 0, axis=1).astype(float)  # observed levels numbered 1..s
    y = np.take_along_axis(rank_of_level, np.maximum(codes, 0).T, axis=1).T * mask
    sx, sy = x @ mask, y.sum(axis=0)
    sxx, syy, sxy = (x * x) @ mask, (y * y).sum(axis=0), x @ y
    rho = np.full(k, np.nan)
    notes: list[tuple[str, float]] = []
    for j in range(k):
        observed = counts[j][counts[j] > 0]
        nj = n[j]
        if nj < 2 or observed.size < 2:
            notes.append(("fewer than 2 rows or levels with both answered: no correlation", np.nan))
            continue
        vx, vy = sxx[j] - sx[j] ** 2 / nj, syy[j] - sy[j] ** 2 / nj
        if vx <= 0:
            notes.append(("the continuous column is constant where both are answered", np.nan))
            continue
        r_xy = (sxy[j] - sx[j] * sy[j] / nj) / np.sqrt(vx * vy)
        cuts = ndtri(np.cumsum(observed)[:-1] / nj)
        sd_y = np.sqrt(vy / (nj - 1.0))
        value = r_xy * sd_y * np.sqrt((nj - 1.0) / nj) / np.exp(-cuts ** 2 / 2.0).sum() * np.sqrt(2 * np.pi)
        note = ""
        if abs(value) > 1:
            note = f"estimate {value:.3f} outside [−1, 1]: capped (as psych)"
            value = float(np.sign(value))
        rho[j] = value
        notes.append((note, float(r_xy)))
    return rho, n, notes


def _pearson_p(r: float, n: float, note: tuple[str, float]) -> float:
    r_xy = note[1]
    if not np.isfinite(r) or n < 3 or not np.isfinite(r_xy):
        return np.nan
    if abs(r_xy) >= 1:
        return 0.0
    t = r_xy * np.sqrt((n - 2.0) / (1.0 - r_xy * r_xy))
    return float(2.0 * sps.t.sf(abs(t), n - 2.0))


_ = join_notes
