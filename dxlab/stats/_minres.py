"""psych's one-factor ``fa(fm = "minres")`` reproduced step for step, for improper (Heywood) solutions.

Where the one-factor least-squares solution is proper, its loadings do not depend on the optimiser and
dxlab computes them exactly (:func:`._reliability.one_factor_uls`). Where it is improper — some λᵢ² would
exceed 1 — the answer *is* the optimiser's: psych minimises the off-diagonal residual sum of squares over the
uniquenesses ψ ∈ [0.005, max(smc, 1)] with R's ``optim(method = "L-BFGS-B")``, but hands it as gradient the
diagonal residual λ² + ψ − 1 (``FAgr.minres``), which is not the gradient of that objective; the search stops
where R's L-BFGS-B (version 2.3 of Byrd, Lu, Nocedal & Zhu 1995, memory 5, ``factr = 1e7``, ``pgtol = 0``,
``parscale = 0.01``, at most 100 iterations) stops. To give psych's ω to 1e-6 and better, this module runs that
algorithm as published: generalized Cauchy point along the projected gradient path, subspace Newton step
truncated to the box (version 2.3, not the projection of version 3.0 that SciPy ships), and the Moré–Thuente
line search (MINPACK-2 ``dcsrch``/``dcstep``, ftol 1e-3, gtol 0.9, xtol 0.1). The limited-memory matrix is
formed densely (k is small), which changes only rounding. The eigenpairs come from LAPACK's ``dsyevr``, the
routine of R's ``eigen``: the last line searches take steps at the level of rounding, and with another routine
one n = 8 sample in 120 stopped elsewhere (ψ 3e-5 apart); with it all 120 agree with psych to 1e-11.

References
----------
Byrd, R. H., Lu, P., Nocedal, J. & Zhu, C. (1995). A limited memory algorithm for bound constrained
optimization. *SIAM Journal on Scientific Computing*, 16, 1190–1208.
Moré, J. J. & Thuente, D. J. (1994). Line search algorithms with guaranteed sufficient decrease. *ACM
Transactions on Mathematical Software*, 20, 286–307.
Revelle, W. (2022). psych: Procedures for Psychological, Psychometric, and Personality Research (``fa``, ``omega``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg

__all__ = ["psych_minres_psi", "psych_smc"]

_EPS = float(np.finfo(float).eps)
_MEMORY = 5
_FACTR = 1e7
_MAX_ITER = 100
_SCALE = 0.01  # psych's parscale
_LOWER = 0.005


def psych_smc(corr: np.ndarray) -> np.ndarray:
    """psych's ``smc``: 1 − 1/diag(R⁺) with the SVD pseudo-inverse (tolerance √ε), clipped to [0, 1]."""
    u, s, vt = np.linalg.svd(corr)
    keep = s > max(np.sqrt(_EPS) * s[0], 0.0)
    inverse = (vt[keep].T / s[keep]) @ u[:, keep].T
    with np.errstate(divide="ignore", invalid="ignore"):
        smc = 1.0 - 1.0 / np.diag(inverse)
    return np.clip(np.nan_to_num(smc, nan=1.0), 0.0, 1.0)


def _first_pair(corr: np.ndarray, psi: np.ndarray) -> tuple[float, np.ndarray]:
    reduced = corr.copy()
    np.fill_diagonal(reduced, 1.0 - psi)
    values, vectors = scipy.linalg.eigh(reduced, driver="evr")
    return float(values[-1]), vectors[:, -1]


def psych_minres_psi(corr: np.ndarray) -> np.ndarray:
    """The uniquenesses ψ at which psych's ``fa(r, 1, fm = "minres")`` stops (see the module docstring)."""
    smc = psych_smc(corr)
    upper = max(float(smc.max()), 1.0)
    scale = _SCALE

    lower = np.tril_indices(corr.shape[0], -1)

    def fg(x: np.ndarray) -> tuple[float, np.ndarray]:
        psi = x * scale
        value, vector = _first_pair(corr, psi)
        # fit.residuals: eigenvalues below ε count as 100ε; FAgr.minres: negative ones as 0
        lam = vector * np.sqrt(100 * _EPS if value < _EPS else value)
        residual = (corr - np.outer(lam, lam))[lower]
        lam_gradient = vector * np.sqrt(max(value, 0.0))
        return float(residual @ residual), (lam_gradient * lam_gradient + psi - 1.0) * scale

    x = _lbfgsb(fg, (1.0 - smc) / scale, _LOWER / scale, upper / scale)
    return x * scale


# ---- L-BFGS-B, version 2.3, every variable boxed ------------------------------------------------------------


@dataclass
class _Memory:
    s: list[np.ndarray] = field(default_factory=list)
    y: list[np.ndarray] = field(default_factory=list)
    theta: float = 1.0

    def matrix(self, n: int) -> np.ndarray:
        """B = θI updated by the stored pairs, oldest first (the compact L-BFGS matrix, densely)."""
        b = self.theta * np.eye(n)
        for s, y in zip(self.s, self.y):
            bs = b @ s
            b = b - np.outer(bs, bs) / (s @ bs) + np.outer(y, y) / (y @ s)
        return b

    def reset(self) -> None:
        self.s.clear()
        self.y.clear()
        self.theta = 1.0


def _projected_gradient_norm(x: np.ndarray, g: np.ndarray, low: float, high: float) -> float:
    projected = np.where(g < 0, np.maximum(g, x - high), np.minimum(g, x - low))
    return float(np.max(np.abs(projected)))


def _cauchy(x: np.ndarray, g: np.ndarray, low: float, high: float, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Generalized Cauchy point and the free-variable mask there (iwhere ≤ 0)."""
    n = x.size
    d = -g.copy()
    at_low, at_high = x - low <= 0, high - x <= 0
    fixed = (at_low & (d <= 0)) | (~at_low & at_high & (d >= 0))
    zero = ~at_low & ~at_high & (np.abs(d) <= 0)
    d[fixed | zero] = 0.0
    free = ~fixed
    breaks = np.full(n, np.inf)
    going_down, going_up = (~(fixed | zero)) & (d < 0), (~(fixed | zero)) & (d > 0)
    breaks[going_down] = (x[going_down] - low) / (-d[going_down])
    breaks[going_up] = (high - x[going_up]) / d[going_up]
    xcp = x.copy()
    order = [int(i) for i in np.argsort(breaks, kind="stable") if np.isfinite(breaks[i])]
    if not order and not np.any(d != 0):
        return xcp, free
    bounded = not np.any((d != 0) & ~np.isfinite(breaks))
    f1 = float(g @ d)
    f2 = float(d @ b @ d)
    f2_original = f2
    dtm = -f1 / f2
    tsum, previous = 0.0, 0.0
    z = np.zeros(n)
    for position, index in enumerate(order):
        dt = breaks[index] - previous
        previous = breaks[index]
        if dtm < dt:
            break
        tsum += dt
        z = z + dt * d
        direction = d[index]
        bound = high if direction > 0 else low
        z[index] = bound - x[index]
        xcp[index] = bound
        free[index] = False
        d[index] = 0.0
        if position == len(order) - 1 and len(order) == n:
            return xcp, free
        f1 = float(g @ d + z @ b @ d)
        f2 = max(float(d @ b @ d), _EPS * f2_original)
        if position < len(order) - 1:
            dtm = -f1 / f2
        elif bounded:
            dtm = 0.0
        else:
            dtm = -f1 / f2
    dtm = max(dtm, 0.0)
    tsum += dtm
    moving = d != 0
    xcp[moving] = x[moving] + tsum * d[moving]
    return xcp, free


def _subspace(
    x: np.ndarray, g: np.ndarray, xcp: np.ndarray, free: np.ndarray, low: float, high: float, b: np.ndarray
) -> np.ndarray:
    """Version 2.3's subspace step: the Newton step on the free variables, cut back at the first bound."""
    index = np.flatnonzero(free)
    if index.size == 0:
        return xcp
    reduced = (g + b @ (xcp - x))[index]
    step = -np.linalg.solve(b[np.ix_(index, index)], reduced)
    alpha = limit = 1.0
    hit = -1
    for position, k in enumerate(index):
        dk = step[position]
        if dk < 0:
            room = low - xcp[k]
            if room >= 0:
                limit = 0.0
            elif dk * alpha < room:
                limit = room / dk
        elif dk > 0:
            room = high - xcp[k]
            if room <= 0:
                limit = 0.0
            elif dk * alpha > room:
                limit = room / dk
        if limit < alpha:
            alpha, hit = limit, position
    z = xcp.copy()
    if alpha < 1.0 and hit >= 0:
        k = index[hit]
        if step[hit] != 0:
            z[k] = high if step[hit] > 0 else low
            step[hit] = 0.0
    z[index] += alpha * step
    return z


_Objective = Callable[[np.ndarray], tuple[float, np.ndarray]]


def _lbfgsb(fg: _Objective, x0: np.ndarray, low: float, high: float) -> np.ndarray:
    x = np.clip(x0, low, high)
    f, g = fg(x)
    memory = _Memory()
    if _projected_gradient_norm(x, g, low, high) <= 0:
        return x
    iterations = 0
    while True:
        b = memory.matrix(x.size)
        xcp, free = _cauchy(x, g, low, high, b)
        z = xcp if not memory.s else _subspace(x, g, xcp, free, low, high, b)
        d = z - x
        outcome = _line_search(fg, x, f, g, d, z, low, high, first=iterations == 0)
        if outcome is None:  # a bad direction: restart from steepest descent, or stop if that was it
            if not memory.s:
                return x
            memory.reset()
            continue
        x_new, f_new, g_new, stp, gd, gd_old = outcome
        iterations += 1
        if iterations > _MAX_ITER:
            return x_new
        f_old, g_old = f, g
        x, f, g = x_new, f_new, g_new
        if _projected_gradient_norm(x, g, low, high) <= 0:
            return x
        if f_old - f <= _FACTR * _EPS * max(abs(f_old), abs(f), 1.0):
            return x
        y = g - g_old
        dr = (gd - gd_old) * (1.0 if stp == 1.0 else stp)
        if dr <= _EPS * (-gd_old * (1.0 if stp == 1.0 else stp)):
            continue  # the update would not keep B positive definite: skipped
        memory.s.append(d * stp if stp != 1.0 else d)
        memory.y.append(y)
        if len(memory.s) > _MEMORY:
            memory.s.pop(0)
            memory.y.pop(0)
        memory.theta = float(y @ y) / dr


def _line_search(
    fg: Callable[[np.ndarray], tuple[float, np.ndarray]],
    x: np.ndarray,
    f: float,
    g: np.ndarray,
    d: np.ndarray,
    z: np.ndarray,
    low: float,
    high: float,
    *,
    first: bool,
) -> tuple[np.ndarray, float, np.ndarray, float, float, float] | None:
    """``lnsrlb``: the Moré–Thuente search along d from x, every trial point inside the box."""
    stpmax = 1.0 if first else _max_step(x, d, low, high)
    stp = 1.0
    gd_old = float(g @ d)
    if gd_old >= 0:
        return None
    search = _MoreThuente(f, gd_old, stp, stpmax)
    trial_x, trial_f, trial_g, gd = x, f, g, gd_old
    evaluations = 0
    while True:
        task, stp = search.step(trial_f, gd, stp) if evaluations else ("FG", stp)
        if task != "FG":
            return trial_x, trial_f, trial_g, stp, gd, gd_old
        evaluations += 1
        if evaluations - 1 >= 20:
            return None
        trial_x = z.copy() if stp == 1.0 else stp * d + x
        trial_f, trial_g = fg(trial_x)
        gd = float(trial_g @ d)


def _max_step(x: np.ndarray, d: np.ndarray, low: float, high: float) -> float:
    step = 1e10
    for xi, di in zip(x, d):
        if di < 0:
            room = low - xi
            if room >= 0:
                step = 0.0
            elif di * step < room:
                step = room / di
        elif di > 0:
            room = high - xi
            if room <= 0:
                step = 0.0
            elif di * step > room:
                step = room / di
    return step


class _MoreThuente:
    """MINPACK-2 ``dcsrch`` with ftol = 1e-3, gtol = 0.9, xtol = 0.1, stpmin = 0."""

    ftol, gtol, xtol = 1e-3, 0.9, 0.1

    def __init__(self, f0: float, g0: float, stp: float, stpmax: float) -> None:
        self.stpmin, self.stpmax = 0.0, stpmax
        self.bracketed, self.stage = False, 1
        self.finit, self.ginit = f0, g0
        self.gtest = self.ftol * g0
        self.width = stpmax - self.stpmin
        self.width1 = self.width / 0.5
        self.stx, self.fx, self.gx = 0.0, f0, g0
        self.sty, self.fy, self.gy = 0.0, f0, g0
        self.stmin, self.stmax = 0.0, stp + 4.0 * stp

    def step(self, f: float, g: float, stp: float) -> tuple[str, float]:
        ftest = self.finit + stp * self.gtest
        if self.stage == 1 and f <= ftest and g >= 0:
            self.stage = 2
        task = "FG"
        if self.bracketed and (stp <= self.stmin or stp >= self.stmax):
            task = "WARNING"
        if self.bracketed and self.stmax - self.stmin <= self.xtol * self.stmax:
            task = "WARNING"
        if stp == self.stpmax and f <= ftest and g <= self.gtest:
            task = "WARNING"
        if stp == self.stpmin and (f > ftest or g >= self.gtest):
            task = "WARNING"
        if f <= ftest and abs(g) <= self.gtol * (-self.ginit):
            task = "CONVERGENCE"
        if task != "FG":
            return task, stp
        if self.stage == 1 and f <= self.fx and f > ftest:
            gt = self.gtest
            stx, fxm, gxm, sty, fym, gym, stp = _dcstep(
                self.stx,
                self.fx - self.stx * gt,
                self.gx - gt,
                self.sty,
                self.fy - self.sty * gt,
                self.gy - gt,
                stp,
                f - stp * gt,
                g - gt,
                self,
                self.stmin,
                self.stmax,
            )
            self.stx, self.sty = stx, sty
            self.fx, self.fy = fxm + stx * gt, fym + sty * gt
            self.gx, self.gy = gxm + gt, gym + gt
        else:
            (self.stx, self.fx, self.gx, self.sty, self.fy, self.gy, stp) = _dcstep(
                self.stx, self.fx, self.gx, self.sty, self.fy, self.gy, stp, f, g, self, self.stmin, self.stmax
            )
        if self.bracketed:
            if abs(self.sty - self.stx) >= 0.66 * self.width1:
                stp = self.stx + 0.5 * (self.sty - self.stx)
            self.width1 = self.width
            self.width = abs(self.sty - self.stx)
            self.stmin, self.stmax = min(self.stx, self.sty), max(self.stx, self.sty)
        else:
            self.stmin = stp + 1.1 * (stp - self.stx)
            self.stmax = stp + 4.0 * (stp - self.stx)
        stp = min(max(stp, self.stpmin), self.stpmax)
        if (self.bracketed and (stp <= self.stmin or stp >= self.stmax)) or (
            self.bracketed and self.stmax - self.stmin <= self.xtol * self.stmax
        ):
            stp = self.stx
        return "FG", stp


def _dcstep(
    stx: float,
    fx: float,
    dx: float,
    sty: float,
    fy: float,
    dy: float,
    stp: float,
    fp: float,
    dp: float,
    state: _MoreThuente,
    stpmin: float,
    stpmax: float,
) -> tuple[float, float, float, float, float, float, float]:
    """MINPACK-2 ``dcstep``: a safeguarded cubic/quadratic step and the update of the interval."""
    sgnd = dp * np.sign(dx)
    if fp > fx:  # a higher function value: the minimum is bracketed
        stpf = _step_higher(stx, fx, dx, stp, fp, dp)
        state.bracketed = True
    elif sgnd < 0:  # derivatives of opposite sign: the minimum is bracketed
        stpf = _step_opposite(stx, fx, dx, stp, fp, dp)
        state.bracketed = True
    elif abs(dp) < abs(dx):  # the derivative decreases in size
        stpf = _step_smaller(stx, fx, dx, sty, stp, fp, dp, state.bracketed, stpmin, stpmax)
    elif state.bracketed:  # the derivative does not decrease: the cubic through sty
        stpf = _cubic_step(stp, fp, dp, sty, fy, dy)
    else:
        stpf = stpmax if stp > stx else stpmin
    if fp > fx:
        sty, fy, dy = stp, fp, dp
    else:
        if sgnd < 0:
            sty, fy, dy = stx, fx, dx
        stx, fx, dx = stp, fp, dp
    return stx, fx, dx, sty, fy, dy, float(stpf)


def _gamma(theta: float, d1: float, d2: float, clip: bool = False) -> float:
    s = max(abs(theta), abs(d1), abs(d2))
    inside = (theta / s) ** 2 - (d1 / s) * (d2 / s)
    return float(s * np.sqrt(max(0.0, inside) if clip else inside))


def _step_higher(stx: float, fx: float, dx: float, stp: float, fp: float, dp: float) -> float:
    theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
    gamma = _gamma(theta, dx, dp)
    if stp < stx:
        gamma = -gamma
    p = (gamma - dx) + theta
    q = ((gamma - dx) + gamma) + dp
    stpc = stx + p / q * (stp - stx)
    stpq = stx + ((dx / ((fx - fp) / (stp - stx) + dx)) / 2.0) * (stp - stx)
    return stpc if abs(stpc - stx) < abs(stpq - stx) else stpc + (stpq - stpc) / 2.0


def _step_opposite(stx: float, fx: float, dx: float, stp: float, fp: float, dp: float) -> float:
    theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
    gamma = _gamma(theta, dx, dp)
    if stp > stx:
        gamma = -gamma
    p = (gamma - dp) + theta
    q = ((gamma - dp) + gamma) + dx
    stpc = stp + p / q * (stx - stp)
    stpq = stp + (dp / (dp - dx)) * (stx - stp)
    return stpc if abs(stpc - stp) > abs(stpq - stp) else stpq


def _step_smaller(
    stx: float,
    fx: float,
    dx: float,
    sty: float,
    stp: float,
    fp: float,
    dp: float,
    bracketed: bool,
    stpmin: float,
    stpmax: float,
) -> float:
    theta = 3.0 * (fx - fp) / (stp - stx) + dx + dp
    gamma = _gamma(theta, dx, dp, clip=True)
    if stp > stx:
        gamma = -gamma
    p = (gamma - dp) + theta
    q = (gamma + (dx - dp)) + gamma
    r = p / q
    if r < 0 and gamma != 0:
        stpc = stp + r * (stx - stp)
    elif stp > stx:
        stpc = stpmax
    else:
        stpc = stpmin
    stpq = stp + (dp / (dp - dx)) * (stx - stp)
    if bracketed:
        stpf = stpc if abs(stpc - stp) < abs(stpq - stp) else stpq
        return min(stp + 0.66 * (sty - stp), stpf) if stp > stx else max(stp + 0.66 * (sty - stp), stpf)
    stpf = stpc if abs(stpc - stp) > abs(stpq - stp) else stpq
    return max(stpmin, min(stpmax, stpf))


def _cubic_step(stp: float, fp: float, dp: float, sty: float, fy: float, dy: float) -> float:
    theta = 3.0 * (fp - fy) / (sty - stp) + dy + dp
    gamma = _gamma(theta, dy, dp)
    if stp > sty:
        gamma = -gamma
    p = (gamma - dp) + theta
    q = ((gamma - dp) + gamma) + dy
    return stp + p / q * (sty - stp)
