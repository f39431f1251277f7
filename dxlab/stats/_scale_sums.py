"""Sufficient statistics of scales: what α, ω and item analysis need, from one pass, summed over parts.

Every statistic of :func:`~._reliability.reliability` and :func:`~._reliability.item_analysis` (without a
bootstrap) is a function of a few sums over rows:

* the pairwise-complete moments of all items (n, Σx, Σx², Σxy for each pair, :class:`._tables.Moments`);
* per scale, the respondents: their count and, weighted, Σw and Σw² (Kish's effective size);
* with ``missing="listwise"``, per scale, the moments over the rows answering every item of the scale;
* with ``method="polychoric"``, the item × item tables of the same rows;
* the number of answers to each item, and the level counts (for the inferred-levels note).

Sums over rows add up over parts (:func:`._tables.add_tables`), so a Parquet dataset or a Dask DataFrame
sends only these numbers — a few ``k × k`` matrices per scale — never its rows (docs/scale.md). In memory
the same function runs once on the whole data. With consecutive integer levels the moments are counted by
the compiled kernel (:func:`._kernel.pair_sums`): exact int64 sums of the centred codes, the same numbers
:func:`._tables.pair_moments` computes with float32 products, so both paths give identical results.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from ._common import reverse_codes
from ._tables import (
    Encoded,
    Moments,
    encode,
    pair_moments,
    pair_tables,
    resolve_levels,
    resolve_weights,
)

__all__ = [
    "LocalLevelsWork",
    "SumsSpec",
    "SumsWork",
    "finish_local_levels",
    "merge_local_levels",
    "moments_of",
    "reverse_sums",
    "scale_sums",
]


@dataclass(frozen=True)
class SumsSpec:
    """What to sum: ``scales`` are tuples of item positions; plain data, so Dask can ship it to workers."""

    items: tuple[str, ...]
    levels: tuple[Any, ...]
    scales: tuple[tuple[int, ...], ...]
    missing: str
    polychoric: bool
    reverse: tuple[str, ...] = ()
    level_counts: bool = False
    # False on the parts of a source: NumPy's float32 products give the same sums, and a Dask worker then
    # never loads numba (~110 MB per process)
    compiled: bool = True


def _kernel_centre(enc: Encoded) -> tuple[float, int] | None:
    """The centre pair_moments uses and the same centre in codes, when the levels are consecutive integers
    (then the centred codes are the centred level values and the kernel's sums are pair_moments' sums)."""
    from . import _kernel

    scores = enc.scores
    if not _kernel.available() or len(scores) == 0 or len(scores) > 127:
        return None
    if not (np.all(scores == np.round(scores)) and np.array_equal(np.diff(scores), np.ones(len(scores) - 1))):
        return None
    centre = float(np.round((scores.min() + scores.max()) / 2.0))
    return centre, int(centre - scores[0])


def _raw_moments(
    enc: Encoded,
    weights: np.ndarray | None,
    items: list[int] | None = None,
    rows: np.ndarray | None = None,
    compiled: bool = True,
) -> tuple[np.ndarray, ...]:
    """``(n, Σx, Σx², Σxy)`` before the shift back: centred sums, to be added over parts."""
    chosen = list(range(len(enc.items))) if items is None else items
    centre = _kernel_centre(enc) if compiled else None
    if centre is not None and enc.n_rows == 0:
        zero = np.zeros((len(chosen), len(chosen)))
        return zero, zero.copy(), zero.copy(), zero.copy(), np.array([centre[0], 1.0])
    if centre is None:
        sub = enc.subset(rows=None if rows is None else np.flatnonzero(rows), items=chosen)
        sub_w = None if weights is None or rows is None else weights[np.flatnonzero(rows)]
        m = pair_moments(sub, weights if rows is None else sub_w)
        return m.n, m.sx, m.sxx, m.sxy, np.zeros(1)  # already shifted back: flagged by the last entry
    from . import _kernel

    by_item = np.ascontiguousarray(enc.codes.T)  # a free view: encoded codes are column-major
    if items is not None:
        by_item = by_item[chosen]
    n, su, suu, suv = _kernel.pair_sums(by_item, centre[1], rows, weights)
    return (
        n.astype(np.float64),
        su.astype(np.float64),
        suu.astype(np.float64),
        suv.astype(np.float64),
        np.array([centre[0], 1.0]),
    )


def moments_of(raw: tuple[np.ndarray, ...]) -> Moments:
    """:class:`Moments` from summed :func:`_raw_moments` (the shift back of :func:`._tables.pair_moments`)."""
    n, sx, sxx, sxy, flag = raw
    if flag[-1] == 0:
        return Moments(n, sx, sxx, sxy)
    c = float(flag[0] / flag[1])  # summed over parts: (parts × centre, parts)
    return Moments(n, sx + c * n, sxx + 2.0 * c * sx + c * c * n, sxy + c * sx + c * sx.T + c * c * n)


def _respondents(answered: np.ndarray, weights: np.ndarray | None) -> np.ndarray:
    if weights is None:
        count = float(np.count_nonzero(answered))
        return np.array([count, count, count])
    w = weights[answered]
    return np.array([float(answered.sum()), float(w.sum()), float(np.square(w).sum())])


def scale_sums(enc: Encoded, weights: np.ndarray | None, spec: SumsSpec) -> dict[str, Any]:
    """The sums of :mod:`._scale_sums` for ``enc`` (already reversed), as a dict that :func:`add_tables` adds."""
    out: dict[str, Any] = {}
    codes = np.asarray(enc.codes)
    n_rows, k = codes.shape
    complete = codes.size == 0 or int(codes.min()) >= 0
    # column by column (the codes are column-major): no rows × items temporaries
    answered = [np.ones(0, dtype=bool) if complete else codes[:, i] >= 0 for i in range(k)]
    out["answered"] = np.array([float(n_rows) if complete else float(np.count_nonzero(a)) for a in answered])
    if spec.level_counts:
        out["levels"] = _level_counts(codes, len(enc.levels))
    if spec.missing == "pairwise":
        out["pairwise"] = _raw_moments(enc, weights, compiled=spec.compiled)
        if spec.polychoric:
            out["tables"] = pair_tables(enc, weights)
    for s, idx in enumerate(spec.scales):
        rows = np.ones(n_rows, dtype=bool) if complete else _rows_answering(answered, idx, spec.missing)
        if spec.missing == "pairwise":
            out[f"respondents {s}"] = _respondents(rows, weights)
            continue
        out[f"respondents {s}"] = _respondents(rows, weights)
        out[f"listwise {s}"] = _raw_moments(
            enc, weights, list(idx), None if complete else rows.view(np.uint8), spec.compiled
        )
        if spec.polychoric:
            chosen = np.flatnonzero(rows)
            sub = enc.subset(rows=None if complete else chosen, items=list(idx))
            sub_w = None if weights is None else (weights if complete else weights[chosen])
            out[f"listwise tables {s}"] = pair_tables(sub, sub_w)
    return out


def _rows_answering(answered: list[np.ndarray], idx: tuple[int, ...], missing: str) -> np.ndarray:
    """Rows answering any item of ``idx`` (pairwise) or every one (listwise)."""
    rows = answered[idx[0]].copy() if idx else np.zeros(0, dtype=bool)
    for i in idx[1:]:
        if missing == "pairwise":
            rows |= answered[i]
        else:
            rows &= answered[i]
    return rows


def _level_counts(codes: np.ndarray, n_levels: int) -> np.ndarray:
    """``C[i, a]``: rows answering item ``i`` with level ``a`` (a bincount per item: no compiled code)."""
    counts = np.zeros((codes.shape[1], n_levels))
    for i in range(codes.shape[1]):
        column = codes[:, i]
        counts[i] = np.bincount(column[column >= 0], minlength=n_levels)[:n_levels]
    return counts


@dataclass(frozen=True)
class SumsWork:
    """:func:`scale_sums` of one part of a source: encode, weigh, reverse, sum."""

    spec: SumsSpec
    weights: str | None = None
    weight_power: int = 1

    def __call__(self, part: pd.DataFrame) -> dict[str, Any]:
        enc = encode(part, self.spec.items, self.spec.levels)
        enc, _ = reverse_codes(enc, self.spec.reverse)
        w = None
        if self.weights is not None:
            w = resolve_weights(part, self.weights)
            w = None if w is None else w**self.weight_power
        return scale_sums(enc, w, replace(self.spec, compiled=False))


# -- one pass without known levels: each part counts on its own levels, the sums are aligned when added ---------
def _level_axes(key: str) -> tuple[int, ...]:
    if key == "levels":
        return (1,)
    if key == "tables" or key.startswith("listwise tables"):
        return (1, 3)
    if key.startswith("by group"):  # item × group × level tables (:mod:`._distribution_sums`)
        return (2,)
    return ()


def _raw(value: Any) -> Any:
    """Centred moment sums shifted back to sums of the level values (whole numbers: exact), which add up
    over parts whatever each part's levels."""
    if isinstance(value, tuple) and len(value) == 5:
        m = moments_of(value)
        return (m.n, m.sx, m.sxx, m.sxy, np.zeros(1))
    return value


@dataclass(frozen=True)
class LocalLevelsWork:
    """:func:`scale_sums` of one part on the values the part holds (no pass to find the levels first): returns
    the values found and the sums keyed by them; :func:`merge_local_levels` aligns the level axes of two parts'
    sums. Reverse-keyed items are summed as answered; :func:`reverse_sums` recodes them once the levels are
    known."""

    spec: SumsSpec
    weights: str | None = None
    weight_power: int = 1

    def __call__(self, part: pd.DataFrame) -> dict[str, Any]:
        levels = resolve_levels(part, self.spec.items)
        enc = encode(part, self.spec.items, levels)
        w = None
        if self.weights is not None:
            w = resolve_weights(part, self.weights)
            w = None if w is None else w**self.weight_power
        spec = replace(self.spec, levels=levels, level_counts=True, compiled=False, reverse=())
        sums = scale_sums(enc, w, spec)
        # only the values the part holds: a level between them that nobody chose may not be a level at all
        used = np.flatnonzero(sums["levels"].sum(axis=0) > 0)
        kept = {key: _take(_raw(value), _level_axes(key), used) for key, value in sums.items()}
        return {"found": tuple(levels[u] for u in used), "sums": kept}


def _take(value: Any, axes: tuple[int, ...], used: np.ndarray) -> Any:
    for axis in axes:
        value = np.take(value, used, axis=axis)
    return value


def _embed(value: np.ndarray, axes: tuple[int, ...], positions: np.ndarray, size: int) -> np.ndarray:
    shape = list(value.shape)
    for axis in axes:
        shape[axis] = size
    out = np.zeros(shape, dtype=np.float64)
    index: list[Any] = [slice(None)] * value.ndim
    for axis in axes:
        index[axis] = positions
    out[np.ix_(*[np.arange(n) if isinstance(i, slice) else i for n, i in zip(value.shape, index)])] = value
    return out


def _aligned(result: dict[str, Any], levels: tuple[Any, ...]) -> dict[str, Any]:
    positions = np.searchsorted(np.asarray(levels, dtype=float), np.asarray(result["found"], dtype=float))
    return {
        key: _embed(value, _level_axes(key), positions, len(levels)) if _level_axes(key) else value
        for key, value in result["sums"].items()
    }


def merge_local_levels(*parts: Any) -> Any:
    """Two (or more) parts' :class:`LocalLevelsWork` results as one, on the union of their levels."""
    from ._tables import add_tables

    present = [part for part in parts if part is not None]
    if not present:
        return None
    levels = tuple(sorted(set().union(*(part["found"] for part in present))))
    return {"found": levels, "sums": add_tables(*(_aligned(part, levels) for part in present))}


def finish_local_levels(result: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """The levels :func:`._tables.encode` infers on the whole data (every integer between the extremes of
    whole numbers, else the values found) and the sums on them."""
    from ._source_pass import levels_of_values

    levels = levels_of_values(tuple(result["found"]))
    return levels, _aligned(result, levels)


def reverse_sums(sums: dict[str, Any], spec: SumsSpec, levels: tuple[Any, ...]) -> dict[str, Any]:
    """The sums with the items of ``spec.reverse`` recoded min + max − x, from the sums of the answers as given.

    For reversed items x' = c − x (c = min + max of ``levels``), so Σx' = c·n − Σx, Σx'² = c²n − 2cΣx + Σx²
    and Σx'y = cΣy − Σxy; an item × item table flips the item's level axis. The level counts stay as answered
    (the levels note speaks of the answers given). Whole-number sums stay exact.
    """
    if not spec.reverse or not levels:
        return sums
    flipped = np.array([item in spec.reverse for item in spec.items])
    c = float(levels[0]) + float(levels[-1])
    out = dict(sums)
    for key, value in sums.items():
        if key in ("pairwise", "tables"):
            chosen = flipped
        elif key.startswith("listwise "):
            chosen = flipped[list(spec.scales[int(key.rsplit(" ", 1)[1])])]
        else:
            continue
        out[key] = _flip_tables(value, chosen) if "tables" in key else _reverse_moments(value, chosen, c)
    return out


def _reverse_moments(raw: tuple[np.ndarray, ...], flipped: np.ndarray, c: float) -> tuple[np.ndarray, ...]:
    """Moments (shifted back, :func:`_raw`) of a + b·x with a = c, b = −1 for the reversed items (0, 1 else)."""
    n, sx, sxx, sxy, flag = _raw(raw)
    a = np.where(flipped, c, 0.0)
    b = np.where(flipped, -1.0, 1.0)
    ai, bi, aj, bj = a[:, None], b[:, None], a[None, :], b[None, :]
    return (
        n,
        ai * n + bi * sx,
        ai * ai * n + 2.0 * ai * bi * sx + bi * bi * sxx,
        ai * aj * n + ai * bj * sx.T + bi * aj * sx + bi * bj * sxy,
        flag,
    )


def _flip_tables(tables: np.ndarray, flipped: np.ndarray) -> np.ndarray:
    out = np.array(tables, copy=True)
    for i in np.flatnonzero(flipped):
        out[i] = out[i, ::-1].copy()
        out[:, :, i] = out[:, :, i, ::-1].copy()
    return out
