"""Pairing assessments across waves, and the Wilcoxon signed-rank test the change statistics rest on.

An enterprise assessed in two waves gives one pair per item: its answer before and after. Pairing is done
once for all items: the enterprise ids of the two waves are matched into one index, and each wave's answers
become a (enterprises × items) float matrix with NaN where the enterprise has no row in that wave or left
the item blank. Enterprises with a value in only one wave are counted, never dropped silently.

The signed-rank test follows R's ``wilcox.test(x, y, paired = TRUE)`` exactly: zero differences are dropped
(Wilcoxon's convention, not Pratt's), V is the sum of the mid-ranks of the positive differences, the p-value is
exact (the distribution of V by counting subsets) when fewer than 50 non-zero differences remain and there are
neither ties nor zeros, and otherwise comes from the normal approximation with the tie correction
Σ(t³ − t)/48 in the variance and a continuity correction of ½ — R's ``exact = NULL, correct = TRUE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._tables import encode, resolve_items

__all__ = [
    "Pairs",
    "SignedRank",
    "as_frame",
    "numeric_matrix",
    "pair_up",
    "pick_waves",
    "psignrank",
    "signed_rank",
    "wave_order",
]

_EXACT_BELOW = 50  # R's wilcox.test: exact p when n < 50 (and no ties, no zeros)


def _scores_frame(scores: Any) -> tuple[pd.DataFrame, list[str]]:
    """A Scores object as one frame: metadata, reached level per dimension (column = dimension id),
    dimension scores (``score.<id>``) and the overall level and score (``overall``, ``score.overall``)."""
    parts = [
        scores.meta,
        scores.levels,
        scores.dimensions.add_prefix("score."),
        pd.DataFrame(
            {"overall": scores.overall["level"], "score.overall": scores.overall["score"]}, index=scores.overall.index
        ),
    ]
    return pd.concat(parts, axis=1), list(scores.levels.columns)


def scores_levels(scores: Any) -> tuple[Any, ...]:
    """The levels a Scores object's reached levels can take under its scheme."""
    from ..scoring import DBI_LEVELS, DMA_BANDS

    if scores.scheme == "dbi2021":
        return tuple(DBI_LEVELS)
    if scores.scheme == "dma100":
        return tuple(DMA_BANDS)
    try:
        from ..rubric import load_rubric

        return tuple(load_rubric(scores.rubric_id).level_values)
    except (KeyError, ValueError, OSError):
        return (1, 2, 3, 4, 5)


def _materialise(data: Any) -> Any:
    """A path to a Parquet file or dataset is read; a Dask DataFrame is computed (these statistics pair rows
    by enterprise, which needs them in memory)."""
    from pathlib import Path

    if isinstance(data, (str, Path)):
        path = Path(data)
        if not path.exists():
            raise ValueError(f"no such file or folder: {path}")
        if path.is_dir() or path.suffix.lower() == ".parquet":
            return pd.read_parquet(path)
        raise ValueError(
            f"{path}: pass a DataFrame or a Parquet file or dataset (read CSV and Excel files with "
            f"dxlab.io.read_table first)"
        )
    if hasattr(data, "compute") and hasattr(data, "npartitions"):
        return data.compute()
    return data


def as_frame(data: Any, items: Any) -> tuple[pd.DataFrame, list[str], tuple[Any, ...] | None]:
    """The data as a DataFrame, the item columns, and the levels a Scores object implies (else None)."""
    data = _materialise(data)
    if hasattr(data, "levels") and hasattr(data, "dimensions") and hasattr(data, "meta"):
        frame, default = _scores_frame(data)
        names = default if items is None else resolve_items(frame, items)
        levels = scores_levels(data) if all(not n.startswith("score.") for n in names) else None
        return frame, names, levels
    names = resolve_items(data, items)
    reverse = (
        [c for c in getattr(items, "reverse_items", ()) or () if c in names] if hasattr(items, "criterion_ids") else []
    )
    if reverse:
        # a rubric's reverse-keyed criteria are compared on the maturity scale (min + max − answer), as scored
        flip = min(items.level_values) + max(items.level_values)
        data = data.assign(**{c: flip - data[c] for c in reverse})
    return data, names, None


def wave_order(frame: pd.DataFrame, wave: str) -> list[Any]:
    """The waves present, in order: an ordered categorical's order, else sorted."""
    if wave not in frame.columns:
        raise ValueError(f"wave column {wave!r} is not in the data; columns are {', '.join(map(str, frame.columns))}")
    column = frame[wave]
    present = column.dropna()
    if isinstance(column.dtype, pd.CategoricalDtype):
        seen = set(present.unique())
        return [c for c in column.cat.categories if c in seen]
    values = list(pd.unique(present))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def pick_waves(order: Sequence[Any], before: Any, after: Any, wave: str) -> tuple[Any, Any]:
    """``before`` and ``after`` checked against the waves present; by default the last two waves."""
    if len(order) < 2 and (before is None or after is None):
        raise ValueError(f"column {wave!r} holds {len(order)} wave(s) ({', '.join(map(str, order))}); change needs two")
    before = order[-2] if before is None else before
    after = order[-1] if after is None else after
    for label, value in (("before", before), ("after", after)):
        if value not in order:
            raise ValueError(
                f"{label}={value!r} is not a wave in column {wave!r}; waves are {', '.join(map(repr, order))}"
            )
    if before == after:
        raise ValueError(f"before and after are the same wave ({before!r})")
    return before, after


def _column_values(frame: pd.DataFrame, name: str) -> np.ndarray:
    series = frame[name]
    if isinstance(series.dtype, pd.CategoricalDtype):
        if not series.cat.ordered:
            raise ValueError(f"column {name!r} is an unordered categorical; change needs ordered values")
        codes = series.cat.codes.to_numpy().astype(float)
        codes[codes < 0] = np.nan
        return codes
    if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
        example = series.dropna()
        first = f" (e.g. {example.iloc[0]!r})" if len(example) else ""
        raise ValueError(
            f"column {name!r} holds {series.dtype} values{first}, not levels or scores; parse "
            f"the answers with dxlab.parse_levels(...) first"
        )
    return series.to_numpy(dtype=float, na_value=np.nan)


def numeric_matrix(frame: pd.DataFrame, items: Sequence[str]) -> np.ndarray:
    """Item columns as a float matrix with NaN for missing; ordered categoricals as their positions.

    Built column by column into a column-major array (each column one contiguous write).
    """
    integer = all(getattr(frame[name].dtype, "kind", "O") in "iu" for name in items)
    if integer and items:
        try:
            encoded = encode(frame, list(items))
        except ValueError:  # too many distinct values for level codes: read them as numbers below
            encoded = None
        if encoded is not None and encoded.levels:
            codes = encoded.codes
            return np.where(codes >= 0, codes + float(encoded.levels[0]), np.nan)
    out = np.empty((len(items), len(frame)))
    for j, name in enumerate(items):
        out[j] = _column_values(frame, name)
    return out.T


@dataclass(frozen=True)
class Pairs:
    """Each enterprise's values in two waves: ``x`` (before) and ``y`` (after), NaN where absent."""

    items: tuple[str, ...]
    before: Any
    after: Any
    ids: pd.Index
    x: np.ndarray
    y: np.ndarray
    weights: np.ndarray | None
    groups: pd.DataFrame | None  # the ``by`` columns of each enterprise (its latest row)


def _one_row_per_id(ids: pd.Series, codes: np.ndarray, n_ids: int, label: Any, id: str) -> None:
    """Every enterprise at most once in this wave's rows (``codes`` = their positions among all ids)."""
    if ids.isna().any():
        where = ids.index[ids.isna().to_numpy()][:5]
        raise ValueError(
            f"column {id!r} is empty in row(s) {', '.join(map(str, where))} (wave {label!r}); "
            f"every assessment needs its enterprise id"
        )
    counts = np.bincount(codes, minlength=n_ids)
    if counts.size and counts.max() > 1:
        repeated = counts[codes] > 1
        first = ids[repeated].iloc[0]
        rows_of_first = ids.index[(ids == first).to_numpy()].tolist()
        raise ValueError(
            f"enterprise {first!r} has {len(rows_of_first)} rows in wave {label!r} (rows "
            f"{', '.join(map(str, rows_of_first[:5]))}) and {int(repeated.sum())} rows repeat an "
            f"enterprise in all; combine its respondents first with dxlab.consensus(...)"
        )


def _weights_of(rows: pd.DataFrame, weights: Any) -> np.ndarray:
    if isinstance(weights, str):
        if weights not in rows.columns:
            raise ValueError(f"weights column {weights!r} is not in the data")
        values = pd.to_numeric(rows[weights], errors="coerce").to_numpy(dtype=float)
    else:
        raise TypeError("weights must name a column of the data (one weight per enterprise and wave)")
    bad = ~np.isfinite(values) | (values < 0)
    if bad.any():
        row = rows.index[bad][0]
        raise ValueError(
            f"weights column {weights!r} holds {rows.loc[row, weights]!r} in row {row!r}; weights must be numbers ≥ 0"
        )
    return values


def pair_up(
    frame: pd.DataFrame,
    items: Sequence[str],
    *,
    id: str,
    wave: str,
    before: Any,
    after: Any,
    weights: Any = None,
    by: str | Sequence[str] | None = None,
) -> Pairs:
    """Match the enterprises of two waves; each must have at most one row per wave.

    The ids of both waves are factorized in one pass, and the item values are read once from the whole
    frame: no copy of the rows of each wave is made.
    """
    if id not in frame.columns:
        raise ValueError(f"id column {id!r} is not in the data; columns are {', '.join(map(str, frame.columns))}")
    order = wave_order(frame, wave)
    before, after = pick_waves(order, before, after, wave)
    labels = frame[wave]
    is_before, is_after = (labels == before).to_numpy(dtype=bool), (labels == after).to_numpy(dtype=bool)
    where_before, where_after = np.flatnonzero(is_before), np.flatnonzero(is_after)
    id_column = frame[id]
    ids_before, ids_after = id_column.iloc[where_before], id_column.iloc[where_after]
    codes, uniques = pd.factorize(pd.concat([ids_before, ids_after]), use_na_sentinel=False)
    pos_before, pos_after = codes[: where_before.size], codes[where_before.size :]
    _one_row_per_id(ids_before, pos_before, len(uniques), before, id)
    _one_row_per_id(ids_after, pos_after, len(uniques), after, id)
    ids = pd.Index(uniques)
    extra = [
        c
        for c in ([weights] if isinstance(weights, str) else []) + ([by] if isinstance(by, str) else list(by or []))
        if c in frame.columns
    ]
    slim = frame[list(dict.fromkeys(extra))]  # only the columns weights and groups need
    rows_before, rows_after = slim.iloc[where_before], slim.iloc[where_after]
    values = numeric_matrix(frame, items)
    # column-major: every item's values are contiguous for the per-item statistics
    x = np.full((len(items), len(ids)), np.nan).T
    y = np.full((len(items), len(ids)), np.nan).T
    x[pos_before] = values[where_before]
    y[pos_after] = values[where_after]
    w = None
    if weights is not None:
        w = np.full(len(ids), np.nan)
        w[pos_after] = _weights_of(rows_after, weights)
        w[pos_before] = _weights_of(rows_before, weights)  # the baseline wave's weight wins
    groups = None
    if by is not None:
        columns = [by] if isinstance(by, str) else list(by)
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise ValueError(f"by column(s) {', '.join(missing)} not in the data")
        groups = pd.DataFrame(index=range(len(ids)), columns=columns, dtype=object)
        groups.iloc[pos_before] = rows_before[columns].to_numpy(dtype=object)
        groups.iloc[pos_after] = rows_after[columns].to_numpy(dtype=object)  # the latest row wins
    return Pairs(tuple(items), before, after, ids, x, y, w, groups)


@lru_cache(maxsize=64)
def _signrank_counts(n: int) -> np.ndarray:
    """Number of subsets of {1..n} with each sum 0..n(n+1)/2 (the null distribution of V, unnormalised)."""
    counts = np.zeros(n * (n + 1) // 2 + 1)
    counts[0] = 1.0
    for k in range(1, n + 1):
        counts[k:] = counts[k:] + counts[:-k].copy()
    return counts


def psignrank(q: float, n: int) -> float:
    """P(V ≤ q) for the signed-rank statistic of ``n`` untied, non-zero differences (R's ``psignrank``)."""
    counts = _signrank_counts(n)
    upto = int(np.floor(q + 1e-7))
    if upto < 0:
        return 0.0
    return float(counts[: upto + 1].sum() / counts.sum())


@dataclass(frozen=True)
class SignedRank:
    n: int  # non-zero differences
    zeros: int  # zero differences left out
    v: float  # sum of the ranks of the positive differences
    z: float
    p: float
    exact: bool
    positive: int
    negative: int


def _rank_counts(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct |d| values' counts, counts among positive d, and mid-ranks (d non-zero, no NaN).

    Differences of levels are small whole numbers: counted with ``bincount`` in one pass instead of a sort.
    """
    a = np.abs(d)
    top = float(a.max())
    if top <= 4096 and np.array_equal(a, np.floor(a)):
        whole = a.astype(np.int64)
        counts = np.bincount(whole, minlength=int(top) + 1)
        positive = np.bincount(whole[d > 0], minlength=int(top) + 1)
        used = counts > 0
        counts, positive = counts[used], positive[used]
    else:
        _, inverse, counts = np.unique(a, return_inverse=True, return_counts=True)
        positive = np.bincount(inverse[d > 0], minlength=counts.size)
    ranks = np.cumsum(counts) - (counts - 1) / 2.0
    return counts, positive, ranks


def signed_rank(d: np.ndarray) -> SignedRank:
    """Wilcoxon's signed-rank test of the differences ``d`` (no NaN), as R ``wilcox.test(paired = TRUE)``."""
    nonzero = d != 0
    zeros = int(d.size - np.count_nonzero(nonzero))
    d = d[nonzero] if zeros else d
    n = d.size
    if n == 0:
        return SignedRank(0, zeros, np.nan, np.nan, np.nan, False, 0, 0)
    counts, positive_counts, ranks = _rank_counts(d)
    positive = int(positive_counts.sum())
    v = float(ranks @ positive_counts)
    half = n * (n + 1) / 4.0
    if n < _EXACT_BELOW and counts.max() == 1 and zeros == 0:
        tail = 1.0 - psignrank(v - 1, n) if v > half else psignrank(v, n)
        return SignedRank(n, zeros, v, np.nan, min(2.0 * tail, 1.0), True, positive, n - positive)
    ties = float(np.sum(counts.astype(float) ** 3 - counts))
    sigma = np.sqrt(n * (n + 1) * (2 * n + 1) / 24.0 - ties / 48.0)
    centred = v - half
    if sigma == 0:
        return SignedRank(n, zeros, v, np.nan, np.nan, False, positive, n - positive)
    z = (centred - np.sign(centred) * 0.5) / sigma
    p = float(2.0 * min(sps.norm.cdf(z), sps.norm.sf(z)))
    return SignedRank(n, zeros, v, float(z), min(p, 1.0), False, positive, n - positive)
