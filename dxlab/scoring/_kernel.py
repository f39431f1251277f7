"""The ``mean``/``dma100`` hierarchy of weighted means as one compiled pass over the rows (numba).

Each row's criteria → groups → dimensions → overall weighted means need a few dozen additions; BLAS
products over skinny matrices spend most of their time moving the float copies of the answers, so one
loop that reads each ``int8`` answer once and writes each score once is several times faster. Rows run on
numba's threads in blocks. :func:`available` is False without numba; the BLAS path in
:mod:`._schemes` then runs (and is the oracle in the tests). Imported only when scoring first runs.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

try:
    from numba import njit, prange
except ImportError:  # pragma: no cover - numba is a declared dependency
    njit = None  # type: ignore[assignment]

__all__ = ["MISSING", "available", "hierarchy"]

MISSING = -128  # the int8 code of an unanswered criterion
_BLOCK = 2048
_ONE_AT_A_TIME = threading.Lock()


def available() -> bool:
    return njit is not None


if njit is not None:

    @njit(cache=True, nogil=True, error_model="numpy")
    def _level(num: Any, den: Any, count: Any, need: Any, out: Any) -> None:
        for b in range(num.shape[0]):
            out[b] = num[b] / den[b] if count[b] >= need[b] else np.nan

    @njit(parallel=True, cache=True, nogil=True, error_model="numpy")
    def _hierarchy(
        codes: Any,
        low: float,
        span: float,
        factor: float,
        crit_parent: Any,
        crit_weight: Any,
        group_parent: Any,
        group_weight: Any,
        dim_weight: Any,
        group_need: Any,
        dim_need: Any,
        overall_need: float,
        groups: Any,
        dims: Any,
        overall: Any,
    ) -> None:
        k, n = codes.shape
        n_groups, n_dims = group_weight.shape[0], dim_weight.shape[0]
        n_blocks = (n + _BLOCK - 1) // _BLOCK
        for block in prange(n_blocks):
            g_num, g_den, g_cnt = np.empty(n_groups), np.empty(n_groups), np.empty(n_groups)
            d_num, d_den, d_cnt = np.empty(n_dims), np.empty(n_dims), np.empty(n_dims)
            g_val, d_val = np.empty(n_groups), np.empty(n_dims)
            for r in range(block * _BLOCK, min(n, (block + 1) * _BLOCK)):
                g_num[:] = 0.0
                g_den[:] = 0.0
                g_cnt[:] = 0.0
                for c in range(k):
                    code = codes[c, r]
                    if code != -128:
                        g = crit_parent[c]
                        g_num[g] += crit_weight[c] * ((code - low) / span * factor)
                        g_den[g] += crit_weight[c]
                        g_cnt[g] += 1.0
                _level(g_num, g_den, g_cnt, group_need, g_val)
                d_num[:] = 0.0
                d_den[:] = 0.0
                d_cnt[:] = 0.0
                for g in range(n_groups):
                    groups[r, g] = g_val[g]
                    if not np.isnan(g_val[g]):
                        d = group_parent[g]
                        d_num[d] += group_weight[g] * g_val[g]
                        d_den[d] += group_weight[g]
                        d_cnt[d] += 1.0
                _level(d_num, d_den, d_cnt, dim_need, d_val)
                num = den = cnt = 0.0
                for d in range(n_dims):
                    dims[r, d] = d_val[d]
                    if not np.isnan(d_val[d]):
                        num += dim_weight[d] * d_val[d]
                        den += dim_weight[d]
                        cnt += 1.0
                overall[r] = num / den if cnt >= overall_need else np.nan


def hierarchy(
    codes: np.ndarray,
    low: float,
    span: float,
    factor: float,
    crit_parent: np.ndarray,
    crit_weight: np.ndarray,
    group_parent: np.ndarray,
    group_weight: np.ndarray,
    dim_weight: np.ndarray,
    group_need: np.ndarray,
    dim_need: np.ndarray,
    overall_need: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group, dimension and overall scores of every row from ``codes`` (criteria × rows, int8).

    A criterion's value is ``(code − low) / span · factor`` (the same operations as the NumPy path);
    a block is scored when at least ``need`` of its
    members are (weighted mean of those), otherwise it is NaN.
    """
    n = codes.shape[1]
    groups = np.empty((n, len(group_weight)))
    dims = np.empty((n, len(dim_weight)))
    overall = np.empty(n)
    with _ONE_AT_A_TIME:
        _hierarchy(
            codes,
            float(low),
            float(span),
            float(factor),
            crit_parent.astype(np.int64),
            crit_weight.astype(np.float64),
            group_parent.astype(np.int64),
            group_weight.astype(np.float64),
            dim_weight.astype(np.float64),
            group_need.astype(np.float64),
            dim_need.astype(np.float64),
            float(overall_need),
            groups,
            dims,
            overall,
        )
    return groups, dims, overall
