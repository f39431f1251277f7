"""Compiled counting loops for the table engine (numba), imported only when a table is first built.

Counting a pair table is a loop over rows that adds 1 (or a weight) to one cell; NumPy can only do it
through a one-hot matrix product that touches ``(k·L)²`` numbers per row, where the loop touches one per
pair. The loops read column-major ``int8`` codes (each item's codes contiguous), put missing answers
(code −1) in an extra first row/column of the table so the inner loop has no branch, and run the pairs
(or the items) on numba's threads. With few levels (≤ 7) items are first packed two by two into one
byte, so one pass over two packed columns counts four item pairs at once (:func:`all_pair_tables`).
Counts are exact: int64 for unweighted tables, float64 sums of the
weights otherwise.

:func:`available` says whether numba is installed; without it :mod:`._tables` uses its NumPy path,
which is also the oracle the tests compare these loops with. Compiled code is cached on disk
(``cache=True``), so only the first process after an install pays the compile time.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

try:
    from numba import njit, prange
except ImportError:  # pragma: no cover - numba is a declared dependency; the NumPy path covers its absence
    njit = None  # type: ignore[assignment]

__all__ = ["all_pair_tables", "available", "group_counts", "level_moments", "pair_counts", "pair_sums"]

# One kernel at a time: each call already uses every core, and callers on several threads (Dask's local
# scheduler) would otherwise oversubscribe them.
_ONE_AT_A_TIME = threading.Lock()
# Below this many cell updates one thread is faster: waking threads and waiting at the end cost more than
# the loop (and much more on a busy machine, where one late thread stalls the others).
SERIAL_BELOW = 20_000_000


class _Threads:
    """Inside the lock: all of numba's threads for big jobs, one for small ones."""

    def __init__(self, updates: int, serial_below: int = SERIAL_BELOW) -> None:
        self.serial = updates < serial_below

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
    def _pairs_unweighted(codes: Any, first: Any, second: Any, size: int) -> Any:
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
    def _pairs_weighted(codes: Any, first: Any, second: Any, size: int, weights: Any) -> Any:
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
    def _groups_unweighted(codes: Any, groups: Any, n_groups: int, size: int) -> Any:
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
    def _groups_weighted(codes: Any, groups: Any, n_groups: int, size: int, weights: Any) -> Any:
        n_items, n_rows = codes.shape[0], codes.shape[1]
        out = np.zeros((n_items, (n_groups + 1) * size), dtype=np.float64)
        for i in prange(n_items):
            x = codes[i]
            cell = np.zeros((n_groups + 1) * size, dtype=np.float64)
            for r in range(n_rows):
                cell[(groups[r] + 1) * size + x[r] + 1] += weights[r]
            out[i] = cell
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _pack(codes: Any, size: int) -> Any:
        """Items ``2s`` and ``2s + 1`` as one code ``(x + 1)·size + (y + 1)`` (the last odd item with itself
        missing): one pass over a pair of packed columns then counts four item pairs at once."""
        k, n = codes.shape
        m = (k + 1) // 2
        out = np.empty((m, n), dtype=np.uint8)
        for s in prange(m):
            x = codes[2 * s]
            if 2 * s + 1 < k:
                y = codes[2 * s + 1]
                for r in range(n):
                    out[s, r] = (x[r] + 1) * size + y[r] + 1
            else:
                for r in range(n):
                    out[s, r] = (x[r] + 1) * size
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _packed_unweighted(packed: Any, first: Any, second: Any, states: int) -> Any:
        n_pairs, n_rows = first.shape[0], packed.shape[1]
        out = np.zeros((n_pairs, states * states), dtype=np.int64)
        for p in prange(n_pairs):
            x = packed[first[p]]
            y = packed[second[p]]
            cell = np.zeros(states * states, dtype=np.int64)
            for r in range(n_rows):
                cell[x[r] * states + y[r]] += 1
            out[p] = cell
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _packed_weighted(packed: Any, first: Any, second: Any, states: int, weights: Any) -> Any:
        n_pairs, n_rows = first.shape[0], packed.shape[1]
        out = np.zeros((n_pairs, states * states), dtype=np.float64)
        for p in prange(n_pairs):
            x = packed[first[p]]
            y = packed[second[p]]
            cell = np.zeros(states * states, dtype=np.float64)
            for r in range(n_rows):
                cell[x[r] * states + y[r]] += weights[r]
            out[p] = cell
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _sums_complete(codes: Any, first: Any, second: Any, centre: int) -> Any:
        """Every answer present: Σ xy of the raw codes per pair, then Σ x per item (``out[n_pairs + i]``),
        centred afterwards, exactly, in int64. NumPy's int8 → int64 ``sum`` would take a third as long again."""
        n_pairs, n_rows = first.shape[0], codes.shape[1]
        n_items = codes.shape[0]
        out = np.zeros(n_pairs + n_items, dtype=np.int64)
        for p in prange(n_pairs + n_items):
            acc = 0
            if p < n_pairs:
                x = codes[first[p]]
                y = codes[second[p]]
                for r in range(n_rows):
                    acc += x[r] * y[r]
            else:
                x = codes[p - n_pairs]
                for r in range(n_rows):
                    acc += x[r]
            out[p] = acc
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _sums_unweighted(codes: Any, first: Any, second: Any, centre: int, rows: Any) -> Any:
        n_pairs, n_rows = first.shape[0], codes.shape[1]
        out = np.zeros((n_pairs, 6), dtype=np.int64)
        masked = rows.shape[0] > 0
        for p in prange(n_pairs):
            x = codes[first[p]]
            y = codes[second[p]]
            n = sx = sy = sxx = syy = sxy = 0
            for r in range(n_rows):
                both = (x[r] >= 0) & (y[r] >= 0)
                if masked:
                    both = both & (rows[r] != 0)
                m = np.int64(both)
                u = (x[r] - centre) * m
                v = (y[r] - centre) * m
                n += m
                sx += u
                sy += v
                sxx += u * u
                syy += v * v
                sxy += u * v
            out[p, 0], out[p, 1], out[p, 2], out[p, 3], out[p, 4], out[p, 5] = n, sx, sy, sxx, syy, sxy
        return out

    @njit(parallel=True, cache=True, nogil=True)
    def _sums_weighted(codes: Any, first: Any, second: Any, centre: int, rows: Any, weights: Any) -> Any:
        n_pairs, n_rows = first.shape[0], codes.shape[1]
        out = np.zeros((n_pairs, 6), dtype=np.float64)
        masked = rows.shape[0] > 0
        for p in prange(n_pairs):
            x = codes[first[p]]
            y = codes[second[p]]
            n = sx = sy = sxx = syy = sxy = 0.0
            for r in range(n_rows):
                both = (x[r] >= 0) & (y[r] >= 0)
                if masked:
                    both = both & (rows[r] != 0)
                m = weights[r] if both else 0.0
                u = float(x[r] - centre)
                v = float(y[r] - centre)
                n += m
                sx += m * u
                sy += m * v
                sxx += m * u * u
                syy += m * v * v
                sxy += m * u * v
            out[p, 0], out[p, 1], out[p, 2], out[p, 3], out[p, 4], out[p, 5] = n, sx, sy, sxx, syy, sxy
        return out

    @njit(cache=True, nogil=True)
    def _unpack(flat: Any, first: Any, second: Any, k: int, size: int) -> Any:
        """``out[i, j, a, b]`` from the counts of packed pairs: each packed cell (x₁, y₁, x₂, y₂) adds to the
        four item pairs it holds (missing, position 0, left out); ``out[j, i]`` is the transpose."""
        n_levels = size - 1
        out = np.zeros((k, k, n_levels, n_levels))
        block = np.zeros((2, 2, n_levels, n_levels))
        for p in range(first.shape[0]):
            block[:] = 0.0
            cells = flat[p]
            for x1 in range(size):
                for y1 in range(size):
                    for x2 in range(size):
                        row = ((x1 * size + y1) * size + x2) * size
                        for y2 in range(size):
                            count = cells[row + y2]
                            if count == 0:
                                continue
                            if x1 and x2:
                                block[0, 0, x1 - 1, x2 - 1] += count
                            if x1 and y2:
                                block[0, 1, x1 - 1, y2 - 1] += count
                            if y1 and x2:
                                block[1, 0, y1 - 1, x2 - 1] += count
                            if y1 and y2:
                                block[1, 1, y1 - 1, y2 - 1] += count
            for u in range(2):
                i = 2 * first[p] + u
                for v in range(2):
                    j = 2 * second[p] + v
                    if i >= k or j >= k:
                        continue
                    out[i, j] = block[u, v]
                    out[j, i] = block[u, v].T
        return out

    @njit(parallel=True, cache=True, nogil=True, fastmath={"reassoc", "contract"})
    def _level_moments(codes: Any, x: Any, squares: Any, n_levels: int) -> Any:
        """Per item and level: the count, Σx and Σx² of the rows answering that level. One branch-free pass
        over the rows per level (a 0/1 mask times x), which the compiler vectorises; a scatter into per-level
        sums would stall on every run of equal answers."""
        k, n = codes.shape
        out = np.zeros((3, k, n_levels))
        for j in prange(k):
            column = codes[j]
            for level in range(n_levels):
                count = total = total_squares = 0.0
                for r in range(n):
                    hit = 1.0 if column[r] == level else 0.0
                    count += hit
                    total += hit * x[r]
                    total_squares += hit * squares[r]
                out[0, j, level] = count
                out[1, j, level] = total
                out[2, j, level] = total_squares
        return out


def level_moments(codes_by_item: np.ndarray, x: np.ndarray, n_levels: int) -> np.ndarray:
    """``out[m, i, a]``: for item ``i`` and level ``a``, the number of rows (m = 0), Σx (1) and Σx² (2) over
    them; ``codes_by_item`` is ``(items, rows)`` int8 (−1 = missing, left out), ``x`` finite."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    with _Threads(codes_by_item.shape[0] * codes_by_item.shape[1] * max(n_levels, 1)):
        return _level_moments(codes_by_item, x, x * x, n_levels)  # type: ignore[no-any-return]


def pair_counts(
    codes_by_item: np.ndarray, first: np.ndarray, second: np.ndarray, n_levels: int, weights: np.ndarray | None = None
) -> np.ndarray:
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
            flat = _pairs_weighted(codes_by_item, first, second, size, np.ascontiguousarray(weights, dtype=np.float64))
    return flat.reshape(-1, size, size)[:, 1:, 1:]


def group_counts(
    codes_by_item: np.ndarray, group_codes: np.ndarray, n_groups: int, n_levels: int, weights: np.ndarray | None = None
) -> np.ndarray:
    """Item × group tables ``out[i, g, a]`` (rows with an unknown group or a missing answer dropped)."""
    size = n_levels + 1
    groups = np.ascontiguousarray(group_codes, dtype=np.int64)
    with _Threads(codes_by_item.shape[0] * codes_by_item.shape[1]):
        if weights is None:
            flat = _groups_unweighted(codes_by_item, groups, n_groups, size)
        else:
            flat = _groups_weighted(
                codes_by_item, groups, n_groups, size, np.ascontiguousarray(weights, dtype=np.float64)
            )
    return flat.reshape(-1, n_groups + 1, size)[:, 1:, 1:]


PACK_UP_TO = 7  # levels; packed pairs of items have (L + 1)² ≤ 64 states, so a pair-of-pairs table stays in L1


def all_pair_tables(codes_by_item: np.ndarray, n_levels: int, weights: np.ndarray | None = None) -> np.ndarray:
    """``T[i, a, j, b]`` for every pair of items (the diagonal blocks hold each item's level counts).

    With at most :data:`PACK_UP_TO` levels, items are packed two by two, so one loop over a pair of packed
    columns counts four item pairs: a quarter of the passes over the rows. Otherwise one loop per pair.
    """
    k = codes_by_item.shape[0]
    size = n_levels + 1
    if n_levels > PACK_UP_TO:
        out = np.zeros((k, k, n_levels, n_levels))
        first, second = np.triu_indices(k)
        counts = pair_counts(codes_by_item, first, second, n_levels, weights)
        out[first, second] = counts
        out[second, first] = counts.transpose(0, 2, 1)
        return out.transpose(0, 2, 1, 3)
    m = (k + 1) // 2
    first, second = np.triu_indices(m)
    states = size * size
    with _Threads(m * codes_by_item.shape[1] + first.shape[0] * codes_by_item.shape[1]):
        packed = _pack(codes_by_item, size)
        if weights is None:
            flat = _packed_unweighted(packed, first.astype(np.int64), second.astype(np.int64), states)
        else:
            flat = _packed_weighted(
                packed,
                first.astype(np.int64),
                second.astype(np.int64),
                states,
                np.ascontiguousarray(weights, dtype=np.float64),
            )
        out = _unpack(flat, first.astype(np.int64), second.astype(np.int64), k, size)
    return out.transpose(0, 2, 1, 3)


def pair_sums(
    codes_by_item: np.ndarray,
    centre: int,
    rows: np.ndarray | None = None,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Pairwise-complete sums of the centred codes ``u = code − centre`` of every pair of items.

    Returns ``(n, su, suu, suv)``, each ``(k, k)``: over the rows where items ``i`` and ``j`` are both
    answered (and ``rows[r]`` is non-zero, when given), ``n[i, j]`` rows (Σw weighted), ``su[i, j]`` = Σ uᵢ,
    ``suu[i, j]`` = Σ uᵢ², ``suv[i, j]`` = Σ uᵢuⱼ. Unweighted sums are exact int64; weighted float64.
    ``codes_by_item`` is ``(items, rows)`` C-contiguous int8 with −1 for a missing answer.
    """
    k, n_rows = codes_by_item.shape
    first, second = np.triu_indices(k)
    first, second = first.astype(np.int64), second.astype(np.int64)
    mask = np.zeros(0, dtype=np.uint8) if rows is None else np.ascontiguousarray(rows, dtype=np.uint8)
    complete = weights is None and rows is None and n_rows > 0 and int(codes_by_item.min()) >= 0
    with _Threads(first.shape[0] * n_rows):
        if complete:
            cross = _sums_complete(codes_by_item, first, second, int(centre))
        elif weights is None:
            flat = _sums_unweighted(codes_by_item, first, second, int(centre), mask)
        else:
            flat = _sums_weighted(
                codes_by_item, first, second, int(centre), mask, np.ascontiguousarray(weights, dtype=np.float64)
            )
    dtype = np.float64 if weights is not None else np.int64
    n, su, suu, suv = (np.zeros((k, k), dtype=dtype) for _ in range(4))
    if complete:
        # Σ(x − c)(y − c) = Σxy − cΣx − cΣy + c²n, exact in int64
        c = int(centre)
        cross, raw = cross[: first.shape[0]], cross[first.shape[0] :]
        cross = cross - c * raw[first] - c * raw[second] + c * c * n_rows
        diagonal = first == second
        squares = np.zeros(k, dtype=np.int64)
        squares[first[diagonal]] = cross[diagonal]
        n[:] = n_rows
        su[:] = (raw - c * n_rows)[:, None]
        suu[:] = squares[:, None]
        suv[first, second] = cross
        suv[second, first] = cross
        return n, su, suu, suv
    n[first, second] = n[second, first] = flat[:, 0]
    su[first, second], su[second, first] = flat[:, 1], flat[:, 2]
    suu[first, second], suu[second, first] = flat[:, 3], flat[:, 4]
    suv[first, second] = suv[second, first] = flat[:, 5]
    return n, su, suu, suv
