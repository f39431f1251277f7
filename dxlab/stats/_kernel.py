"""Compiled counting loops for the table engine (numba), imported only when a table is first built.

Counting a pair table is a loop over rows that adds 1 (or a weight) to one cell; NumPy can only do it
through a one-hot matrix product that touches ``(k·L)²`` numbers per row, where the loop touches one per
pair. The loops read column-major ``int8`` codes (each item's codes contiguous), put missing answers
(code −1) in an extra first row/column of the table so the inner loop has no branch, and run the pairs
(or the items) on numba's threads. Counts are exact: int64 for unweighted tables, float64 sums of the
weights otherwise.

:func:`available` says whether numba is installed; without it :mod:`._tables` uses its NumPy path,
which is also the oracle the tests compare these loops with. Compiled code is cached on disk
(``cache=True``), so only the first session pays the compile time.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

try:
    from numba import njit, prange
except ImportError:  # pragma: no cover - numba is a declared dependency; the NumPy path covers its absence
    njit = None  # type: ignore[assignment]

__all__ = ["available", "group_counts", "pair_counts"]

# One kernel at a time: each call already uses every core, and callers on several threads (Dask's local
# scheduler) would otherwise oversubscribe them.
_ONE_AT_A_TIME = threading.Lock()
# Below this many cell updates one thread is faster: waking threads and waiting at the end cost more than
# the loop (and much more on a busy machine, where one late thread stalls the others).
SERIAL_BELOW = 20_000_000


class _Threads:
    """Inside the lock: all of numba's threads for big jobs, one for small ones."""

    def __init__(self, updates: int) -> None:
        self.serial = updates < SERIAL_BELOW

    def __enter__(self) -> None:
        _ONE_AT_A_TIME.acquire()
        if self.serial:
            import numba

            self.previous = numba.get_num_threads()
            numba.set_num_threads(1)

    def __exit__(self, *exc: object) -> None:
        if self.serial:
            import numba

            numba.set_num_threads(self.previous)
        _ONE_AT_A_TIME.release()


def available() -> bool:
    return njit is not None


if njit is not None:

    @njit(parallel=True, cache=True, nogil=True)
    def _pairs_unweighted(codes: Any, first: Any, second: Any, size: int) -> Any:  # pragma: no cover
        n_pairs, n_rows = first.shape[0], codes.shape[1]
        out = np.zeros((n_pairs, size * size), dtype=np.int64)
        for p in prange(n_pairs):
            x = codes[first[p]]
            y = codes[second[p]]
            cell = np.zeros(size * size, dtype=np.int64)
            for r in range(n_rows):
                cell[(x[r] + 1) * size + y[r] + 1] += 1
            out[p] = cell
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _pairs_weighted(codes: Any, first: Any, second: Any, size: int, weights: Any) -> Any:  # pragma: no cover
        n_pairs, n_rows = first.shape[0], codes.shape[1]
        out = np.zeros((n_pairs, size * size), dtype=np.float64)
        for p in prange(n_pairs):
            x = codes[first[p]]
            y = codes[second[p]]
            cell = np.zeros(size * size, dtype=np.float64)
            for r in range(n_rows):
                cell[(x[r] + 1) * size + y[r] + 1] += weights[r]
            out[p] = cell
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _groups_unweighted(codes: Any, groups: Any, n_groups: int, size: int) -> Any:  # pragma: no cover
        n_items, n_rows = codes.shape[0], codes.shape[1]
        out = np.zeros((n_items, (n_groups + 1) * size), dtype=np.int64)
        for i in prange(n_items):
            x = codes[i]
            cell = np.zeros((n_groups + 1) * size, dtype=np.int64)
            for r in range(n_rows):
                cell[(groups[r] + 1) * size + x[r] + 1] += 1
            out[i] = cell
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _groups_weighted(codes: Any, groups: Any, n_groups: int, size: int, weights: Any) -> Any:  # pragma: no cover
        n_items, n_rows = codes.shape[0], codes.shape[1]
        out = np.zeros((n_items, (n_groups + 1) * size), dtype=np.float64)
        for i in prange(n_items):
            x = codes[i]
            cell = np.zeros((n_groups + 1) * size, dtype=np.float64)
            for r in range(n_rows):
                cell[(groups[r] + 1) * size + x[r] + 1] += weights[r]
            out[i] = cell
        return out


def pair_counts(codes_by_item: np.ndarray, first: np.ndarray, second: np.ndarray, n_levels: int,
                weights: np.ndarray | None = None) -> np.ndarray:
    """Tables of the pairs ``(first[p], second[p])``: ``out[p, a, b]`` for levels ``a, b`` (missing dropped).

    ``codes_by_item`` is ``(items, rows)`` C-contiguous int8 (the transpose of :class:`Encoded.codes`).
    """
    size = n_levels + 1
    first = np.ascontiguousarray(first, dtype=np.int64)
    second = np.ascontiguousarray(second, dtype=np.int64)
    with _Threads(first.shape[0] * codes_by_item.shape[1]):
        if weights is None:
            flat = _pairs_unweighted(codes_by_item, first, second, size)
        else:
            flat = _pairs_weighted(codes_by_item, first, second, size,
                                   np.ascontiguousarray(weights, dtype=np.float64))
    return flat.reshape(-1, size, size)[:, 1:, 1:]


def group_counts(codes_by_item: np.ndarray, group_codes: np.ndarray, n_groups: int, n_levels: int,
                 weights: np.ndarray | None = None) -> np.ndarray:
    """Item × group tables ``out[i, g, a]`` (rows with an unknown group or a missing answer dropped)."""
    size = n_levels + 1
    groups = np.ascontiguousarray(group_codes, dtype=np.int64)
    with _Threads(codes_by_item.shape[0] * codes_by_item.shape[1]):
        if weights is None:
            flat = _groups_unweighted(codes_by_item, groups, n_groups, size)
        else:
            flat = _groups_weighted(codes_by_item, groups, n_groups, size,
                                    np.ascontiguousarray(weights, dtype=np.float64))
    return flat.reshape(-1, n_groups + 1, size)[:, 1:, 1:]
