"""The polychoric fit of :mod:`._polychoric` in compiled code (numba): every pair's Newton iterations in one call.

The NumPy fitter evaluates ℓ, its score and informations for all pairs at once in arrays, which costs tens of
array operations (and temporaries) per iteration and per halving of a step; for 435 pairs of 5 levels that
overhead is most of the time. Here each pair is fitted in a loop of scalars: the bivariate normal CDF is the
same algorithm as :mod:`._bvn` (Genz's BVNU: Gauss–Legendre quadrature for |ρ| < 0.925, the
Drezner–Wesolowsky expansion above) evaluated point by point, with what depends on ρ alone (the quadrature's
sines and nodes) computed once per evaluation; Φ is ``0.5·erfc(−x/√2)``, and eˣ inside the quadrature sums is a
polynomial the compiler vectorises (:func:`_exp_nonpositive`, within 1 ulp of libm's). The iteration
— Newton on the observed information, Fisher scoring where it is not positive, step halving until ℓ does not
fall, the same stopping rules — is the NumPy one line for line, so both give the same estimates to rounding
(the tests hold them to 1e-10; with a zero-cell correction, a corrected cell the model gives a probability
below ~1e-8 makes ℓ itself jitter by ~1e-4, and there the two may stop up to ~5e-6 apart, equally right).
The pairs run on numba's threads when there are enough of them.

Only this module imports numba; without it :mod:`._polychoric` uses its NumPy path, which is also the oracle
in the tests. Compiled code is cached on disk (``cache=True``): only the first process after an install pays
the compile time.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

try:
    from llvmlite import ir
    from numba import njit, prange, types
    from numba.extending import intrinsic
except ImportError:  # pragma: no cover - numba is a declared dependency; the NumPy path covers its absence
    njit = None  # type: ignore[assignment]

__all__ = ["available", "fit_pairs", "staircase"]

_TWO_PI = 2.0 * math.pi
_SQRT_TWO_PI = math.sqrt(_TWO_PI)
_SQRT_HALF = math.sqrt(0.5)
_LOG2_E = 1.4426950408889634
_LN2_HIGH = 6.93147180369123816490e-01  # ln 2 in two parts (Cody & Waite): k·_LN2_HIGH is exact for |k| < 2¹¹
_LN2_LOW = 1.90821492927058770002e-10
_ROUNDING = 1.5 * 2.0**52
_INVERSE_FACTORIALS = tuple(1.0 / math.factorial(i) for i in range(14))
_SINE_COEFFICIENTS = tuple((-1.0) ** i / math.factorial(2 * i + 1) for i in range(12))
# Below this many (pair × cell) units one thread is faster than waking the others, and much faster on a
# busy machine where one late thread stalls the call (435 pairs of 5 levels: 4 ms on one thread).
SERIAL_BELOW = 100_000


def _nodes(half: list[float], weights: list[float]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array(half)
    return np.concatenate([1.0 - x, 1.0 + x]), np.concatenate([np.array(weights), np.array(weights)])


def _gauss_legendre() -> tuple[np.ndarray, ...]:
    from ._bvn import _GL6, _GL12, _GL20  # one copy of Genz's node tables

    out: list[np.ndarray] = []
    for table in (_GL6, _GL12, _GL20):
        x, w = _nodes(list(table[0]), list(table[1]))
        out += [x, w]
    return tuple(out)


_X6, _W6, _X12, _W12, _X20, _W20 = _gauss_legendre()


def available() -> bool:
    return njit is not None


if njit is not None:

    @intrinsic
    def _float_from_bits(typingctx: Any, bits: Any) -> Any:
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            return builder.bitcast(args[0], ir.DoubleType())

        return types.float64(types.int64), codegen

    @intrinsic
    def _bits_of_float(typingctx: Any, value: Any) -> Any:
        def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
            return builder.bitcast(args[0], ir.IntType(64))

        return types.int64(types.float64), codegen

    @njit(cache=True, nogil=True, inline="always", fastmath={"contract"}, error_model="numpy")
    def _exp_nonpositive(x: float) -> float:
        """eˣ for −708 ≤ x ≤ 0 to 1 ulp (0 below −708), in plain arithmetic so that loops of it vectorise.

        eˣ = 2ᵏ·eʳ with k = round(x / ln 2) and |r| ≤ ln 2 / 2; eʳ by its Taylor series to r¹³ (remainder below
        1e-18 of it). Adding 1.5·2⁵² rounds x / ln 2 to the integer k and leaves k in the low bits of the sum,
        from which 2ᵏ is written straight into a double's exponent bits. libm's ``exp`` is a call the compiler
        cannot vectorise, and it was most of the time of a Φ₂ evaluation.
        """
        clamped = max(x, -708.0)  # far below, 2ᵏ would not fit the exponent bits (and denormals are slow)
        shifted = clamped * _LOG2_E + _ROUNDING
        k = shifted - _ROUNDING
        r = (clamped - k * _LN2_HIGH) - k * _LN2_LOW
        c = _INVERSE_FACTORIALS
        p = c[13]
        p = p * r + c[12]
        p = p * r + c[11]
        p = p * r + c[10]
        p = p * r + c[9]
        p = p * r + c[8]
        p = p * r + c[7]
        p = p * r + c[6]
        p = p * r + c[5]
        p = p * r + c[4]
        p = p * r + c[3]
        p = p * r + c[2]
        p = p * r + c[1]
        p = p * r + c[0]
        value = p * _float_from_bits((_bits_of_float(shifted) + 1023) << 52)  # type: ignore[call-arg]
        return value if x >= -708.0 else 0.0

    @njit(cache=True, nogil=True, fastmath={"contract", "reassoc"}, error_model="numpy")
    def _node_sum(sines: Any, scale: Any, weights: Any, hk: float, hs: float) -> float:
        """Σᵢ wᵢ·exp((sᵢ·hk − hs)/(1 − sᵢ²)) of Genz's quadrature; every exponent is ≤ 0 as hs ≥ |hk|."""
        terms = 0.0
        for i in range(sines.shape[0]):
            terms += _exp_nonpositive((sines[i] * hk - hs) * scale[i]) * weights[i]
        return terms

    @njit(cache=True, nogil=True, fastmath={"contract"}, error_model="numpy")
    def _quadrature_sines(half_angle: float, nodes: Any, sines: Any, scale: Any) -> None:
        """sᵢ = sin(θ·xᵢ) and 1/(1 − sᵢ²) for the quadrature in asin(r), |θ·xᵢ| ≤ asin(0.925)/2 · 2 < 1.18.

        sin by its Taylor series to t²³ (the remainder is below 1e-22 there), so that the loop vectorises.
        """
        c = _SINE_COEFFICIENTS
        for i in range(nodes.shape[0]):
            t = half_angle * nodes[i]
            t2 = t * t
            p = c[11]
            p = p * t2 + c[10]
            p = p * t2 + c[9]
            p = p * t2 + c[8]
            p = p * t2 + c[7]
            p = p * t2 + c[6]
            p = p * t2 + c[5]
            p = p * t2 + c[4]
            p = p * t2 + c[3]
            p = p * t2 + c[2]
            p = p * t2 + c[1]
            p = p * t2 + c[0]
            sine = t * p
            sines[i] = sine
            scale[i] = 1.0 / (1.0 - sine * sine)

    @njit(cache=True, nogil=True, error_model="numpy")
    def _ndtr(x: float) -> float:
        return 0.5 * math.erfc(-x * _SQRT_HALF)

    @njit(cache=True, nogil=True, error_model="numpy")
    def _upper_moderate(h: float, k: float, r: float, nodes: Any, weights: Any) -> float:
        """P(X > h, Y > k) for |r| < 0.925 (:func:`._bvn._upper_moderate`)."""
        hk = h * k
        hs = (h * h + k * k) / 2.0
        asr = math.asin(r) / 2.0
        terms = 0.0
        for i in range(nodes.shape[0]):
            sn = math.sin(asr * nodes[i])
            terms += math.exp((sn * hk - hs) / (1.0 - sn * sn)) * weights[i]
        return terms * asr / _TWO_PI + _ndtr(-h) * _ndtr(-k)

    @njit(cache=True, nogil=True, error_model="numpy")
    def _high_nodes(r: float) -> tuple[Any, Any]:
        """The 20-point rule's xₛ = (a·xᵢ/2)² and √(1 − xₛ) with a = √(1 − r²): they depend on r only."""
        half = math.sqrt((1.0 - r) * (1.0 + r)) / 2.0
        squares = np.empty(_X20.shape[0])
        roots = np.empty(_X20.shape[0])
        for i in range(_X20.shape[0]):
            squares[i] = (half * _X20[i]) ** 2
            roots[i] = math.sqrt(1.0 - squares[i])
        return squares, roots

    @njit(cache=True, nogil=True, fastmath={"contract", "reassoc"}, error_model="numpy")
    def _high_node_sum(squares: Any, roots: Any, bs: float, hk: float, c: float, d: float) -> float:
        """Σᵢ wᵢ·[exp(−bs/(2xₛ) − hk/(1 + rₛ))/rₛ − exp(−(bs/xₛ + hk)/2)·(1 + c·xₛ·(1 + d·xₛ))]: both exponents
        are ≤ 0 (bs = (h − k)² ≥ −4hk), every term is finite for finite h, k and |r| < 1."""
        total = 0.0
        for i in range(squares.shape[0]):
            xs = squares[i]
            term = _exp_nonpositive(-bs / (2.0 * xs) - hk / (1.0 + roots[i])) / roots[i] - _exp_nonpositive(
                -(bs / xs + hk) / 2.0
            ) * (1.0 + c * xs * (1.0 + d * xs))
            total += term * _W20[i]
        return total

    @njit(cache=True, nogil=True, error_model="numpy")
    def _upper_high(h: float, k: float, r: float, squares: Any, roots: Any) -> float:
        """P(X > h, Y > k) for finite h, k and |r| ≥ 0.925 (:func:`._bvn._upper_high`); ``squares, roots`` from
        :func:`_high_nodes`."""
        negative = r < 0
        if negative:
            k = -k
        hk = h * k
        bvn = 0.0
        if abs(r) < 1.0:
            as_ = (1.0 - r) * (1.0 + r)
            a = math.sqrt(as_)
            bs = (h - k) ** 2
            c = (4.0 - hk) / 8.0
            d = (12.0 - hk) / 16.0
            part = (
                a
                * math.exp(-(bs / as_ + hk) / 2.0)
                * (1.0 - c * (bs - as_) * (1.0 - d * bs / 5.0) / 3.0 + c * d * as_ * as_ / 5.0)
            )
            if hk > -160.0:
                b = math.sqrt(bs)
                part = part - math.exp(-hk / 2.0) * _SQRT_TWO_PI * _ndtr(-b / a) * b * (
                    1.0 - c * bs * (1.0 - d * bs / 5.0) / 3.0
                )
            part = part + a / 2.0 * _high_node_sum(squares, roots, bs, hk, c, d)
            bvn = -part / _TWO_PI
        if negative:
            return -bvn + max(0.0, _ndtr(-h) - _ndtr(-k))
        return bvn + _ndtr(-max(h, k))

    @njit(cache=True, nogil=True, error_model="numpy")
    def bvn_cdf(h: float, k: float, r: float) -> float:
        """P(X ≤ h, Y ≤ k) for one point (:func:`._bvn.bvn_cdf`)."""
        uh, uk = -h, -k
        if uh == math.inf or uk == math.inf:
            return 0.0
        if uh == -math.inf:
            out = _ndtr(-uk)
        elif uk == -math.inf:
            out = _ndtr(-uh)
        elif r == 0.0:
            out = _ndtr(-uh) * _ndtr(-uk)
        elif abs(r) < 0.3:
            out = _upper_moderate(uh, uk, r, _X6, _W6)
        elif abs(r) < 0.75:
            out = _upper_moderate(uh, uk, r, _X12, _W12)
        elif abs(r) < 0.925:
            out = _upper_moderate(uh, uk, r, _X20, _W20)
        else:
            squares, roots = _high_nodes(r)
            out = _upper_high(uh, uk, r, squares, roots)
        return min(max(out, 0.0), 1.0)

    @njit(cache=True, nogil=True, error_model="numpy")
    def _cdf_grid(r: float, row_cuts: Any, col_cuts: Any, below_row: Any, below_col: Any, cdf: Any) -> None:
        """Φ₂ at every pair of cuts into ``cdf[1:-1, 1:-1]``: :func:`bvn_cdf` with what depends on ``r`` only
        (the quadrature's sines) computed once, and Φ of each cut (``below_*``) once per pair."""
        absr = abs(r)
        if absr >= 0.925:
            squares, roots = _high_nodes(r)
            for a in range(row_cuts.shape[0]):
                for b in range(col_cuts.shape[0]):
                    value = _upper_high(-row_cuts[a], -col_cuts[b], r, squares, roots)
                    cdf[a + 1, b + 1] = min(max(value, 0.0), 1.0)
            return
        if r == 0.0:
            for a in range(row_cuts.shape[0]):
                for b in range(col_cuts.shape[0]):
                    cdf[a + 1, b + 1] = min(max(below_row[a] * below_col[b], 0.0), 1.0)
            return
        nodes, weights = (_X6, _W6) if absr < 0.3 else ((_X12, _W12) if absr < 0.75 else (_X20, _W20))
        asr = math.asin(r) / 2.0
        count = nodes.shape[0]
        sines = np.empty(count)
        scale = np.empty(count)
        _quadrature_sines(asr, nodes, sines, scale)
        for a in range(row_cuts.shape[0]):
            h = -row_cuts[a]
            for b in range(col_cuts.shape[0]):
                k = -col_cuts[b]
                hk = h * k
                hs = (h * h + k * k) / 2.0
                terms = _node_sum(sines, scale, weights, hk, hs)
                value = terms * asr / _TWO_PI + below_row[a] * below_col[b]
                cdf[a + 1, b + 1] = min(max(value, 0.0), 1.0)

    @njit(cache=True, nogil=True, error_model="numpy")
    def _grids(
        r: float,
        row_cuts: Any,
        col_cuts: Any,
        below_row: Any,
        below_col: Any,
        phi_row: Any,
        phi_col: Any,
        cdf: Any,
        pdf: Any,
        dpdf: Any,
    ) -> None:
        """Cumulative grids (L+1, M+1) of Φ₂, φ₂ and ∂φ₂/∂ρ, zero first row/column, margins in the last."""
        rows, cols = row_cuts.shape[0], col_cuts.shape[0]
        _cdf_grid(r, row_cuts, col_cuts, below_row, below_col, cdf)
        s = (1.0 - r) * (1.0 + r)
        norm = _TWO_PI * math.sqrt(s)
        for a in range(rows):
            x = row_cuts[a]
            for b in range(cols):
                y = col_cuts[b]
                q = x * x - 2.0 * r * x * y + y * y
                density = _exp_nonpositive(-(q / s) / 2.0) / norm  # q ≥ 0: a positive semi-definite form
                pdf[a + 1, b + 1] = density
                dpdf[a + 1, b + 1] = density * (r / s + (x * y * s - r * q) / (s * s))
        for b in range(cols):
            cdf[rows + 1, b + 1] = phi_col[b]
        for a in range(rows):
            cdf[a + 1, cols + 1] = phi_row[a]
        cdf[rows + 1, cols + 1] = 1.0

    @njit(cache=True, nogil=True, error_model="numpy")
    def _cell(full: Any, a: int, b: int) -> float:
        return (full[a + 1, b + 1] - full[a, b + 1]) - (full[a + 1, b] - full[a, b])

    @njit(cache=True, nogil=True, error_model="numpy")
    def _evaluate(r: float, table: Any, cuts: Any, cdf: Any, pdf: Any, dpdf: Any, out: Any) -> None:
        """``out`` = ℓ, score, observed and expected information at ``r`` (:func:`._polychoric._evaluate`);
        ``cuts`` = (row cuts, column cuts, Φ of each by erfc, Φ of each as given)."""
        _grids(r, cuts[0], cuts[1], cuts[2], cuts[3], cuts[4], cuts[5], cdf, pdf, dpdf)
        loglik = score = observed = fisher = total = 0.0
        for a in range(table.shape[0]):
            for b in range(table.shape[1]):
                count = table[a, b]
                total += count
                prob = _cell(cdf, a, b)
                if not prob > 1e-300:
                    if count > 0:
                        loglik = -math.inf
                    continue
                dprob = _cell(pdf, a, b)
                ratio = dprob / prob
                if count > 0:
                    loglik += count * math.log(prob)
                score += count * ratio
                observed += count * (ratio * ratio - _cell(dpdf, a, b) / prob)
                fisher += dprob * dprob / prob
        out[0], out[1], out[2], out[3] = loglik, score, observed, total * fisher

    @njit(cache=True, nogil=True, error_model="numpy")
    def _newton_step(state: Any) -> float:
        info = state[2] if state[2] > 0 else state[3]
        if info > 0:
            step = state[1] / info
        elif state[1] > 0:
            step = 0.1
        elif state[1] < 0:
            step = -0.1
        else:  # zero or NaN, as np.nan_to_num(np.sign(score) * 0.1)
            step = 0.0
        if step != step:
            step = 0.0
        return min(max(step, -0.5), 0.5)

    @njit(cache=True, nogil=True, error_model="numpy")
    def _fit_one(
        table: Any,
        row_cuts: Any,
        col_cuts: Any,
        phi_row: Any,
        phi_col: Any,
        start: float,
        maxcor: float,
        tol: float,
        max_iter: int,
        final_step: float,
        state: Any,
    ) -> tuple[float, bool, int]:
        """One pair's iterations: the estimate, whether it is still moving, and the NumPy loop's count."""
        size = (row_cuts.shape[0] + 2, col_cuts.shape[0] + 2)
        cdf, pdf, dpdf = np.zeros(size), np.zeros(size), np.zeros(size)
        trial = np.empty(4)
        below_row, below_col = np.empty(row_cuts.shape[0]), np.empty(col_cuts.shape[0])
        for a in range(row_cuts.shape[0]):
            below_row[a] = _ndtr(row_cuts[a])
        for b in range(col_cuts.shape[0]):
            below_col[b] = _ndtr(col_cuts[b])
        cuts = (row_cuts, col_cuts, below_row, below_col, phi_row, phi_col)
        current = start
        _evaluate(current, table, cuts, cdf, pdf, dpdf, state)
        for iteration in range(1, max_iter + 1):
            step = _newton_step(state)
            # a Newton step this small leaves an error of order step² (< 1e-14): take it and stop
            if abs(step) < final_step and state[2] > 0:
                return min(max(current + step, -maxcor), maxcor), False, iteration
            base = state[0]
            accepted = False
            proposal = current
            for _ in range(40):
                proposal = min(max(current + step, -maxcor), maxcor)
                _evaluate(proposal, table, cuts, cdf, pdf, dpdf, trial)
                if trial[0] >= base - 1e-12 * abs(base):
                    state[:] = trial
                    accepted = True
                    break
                step /= 2.0
            moved = abs(proposal - current) if accepted else 0.0
            if accepted:
                current = proposal
            outward = np.sign(state[1]) == np.sign(current)
            if moved < tol or (abs(current) >= maxcor and outward) or not accepted:
                return current, False, iteration + 1
        return current, True, max_iter

    @njit(parallel=True, cache=True, nogil=True, error_model="numpy")
    def _fit_all(
        tables: Any,
        row_cuts: Any,
        col_cuts: Any,
        phi_row: Any,
        phi_col: Any,
        start: Any,
        maxcor: float,
        tol: float,
        max_iter: int,
        final_step: float,
    ) -> Any:
        pairs = tables.shape[0]
        rho = np.empty(pairs)
        states = np.empty((pairs, 4))
        moving = np.zeros(pairs, dtype=np.bool_)
        iterations = np.zeros(pairs, dtype=np.int64)
        for p in prange(pairs):
            rho[p], moving[p], iterations[p] = _fit_one(
                tables[p],
                row_cuts[p],
                col_cuts[p],
                phi_row[p],
                phi_col[p],
                start[p],
                maxcor,
                tol,
                max_iter,
                final_step,
                states[p],
            )
        return rho, states, moving, iterations

    @njit(cache=True, nogil=True, error_model="numpy")
    def _staircase(occupied: Any) -> tuple[Any, Any]:
        pairs, rows, cols = occupied.shape
        up = np.ones(pairs, dtype=np.bool_)
        down = np.ones(pairs, dtype=np.bool_)
        for p in range(pairs):
            for a in range(rows):
                for b in range(cols):
                    if not occupied[p, a, b]:
                        continue
                    for a2 in range(a + 1, rows):
                        for b2 in range(cols):
                            if occupied[p, a2, b2]:
                                if b2 < b:
                                    up[p] = False
                                elif b2 > b:
                                    down[p] = False
                    if not (up[p] or down[p]):  # neither path: most tables end here after a few cells
                        break
                if not (up[p] or down[p]):
                    break
        return up, down


def fit_pairs(
    tables: np.ndarray,
    row_cuts: np.ndarray,
    col_cuts: np.ndarray,
    phi_row: np.ndarray,
    phi_col: np.ndarray,
    start: np.ndarray,
    *,
    maxcor: float,
    tol: float,
    max_iter: int,
    final_step: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Fit every pair: ρ, the state at the last accepted point (ℓ, score, observed, expected information,
    columns of a ``(P, 4)`` array), which pairs are still moving after ``max_iter``, and the iteration count
    the NumPy loop reports."""
    from ._kernel import _Threads

    arrays = [np.ascontiguousarray(a, dtype=np.float64) for a in (tables, row_cuts, col_cuts, phi_row, phi_col, start)]
    with _Threads(tables.shape[0] * tables.shape[1] * tables.shape[2], serial_below=SERIAL_BELOW):
        limits = (float(maxcor), float(tol), int(max_iter), float(final_step))
        rho, states, moving, iterations = _fit_all(*arrays, *limits)  # type: ignore[call-arg]
    count = min(int(iterations.max()), max_iter) if iterations.size else 0
    return rho, states, moving, count


def staircase(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`._polychoric._staircase` compiled: tables with all mass on a non-decreasing / non-increasing path."""
    return _staircase(np.ascontiguousarray(tables > 0))  # type: ignore[no-any-return]
