"""Scale reliability — Cronbach's α with Feldt's interval, standardised α, McDonald's ω — and item analysis.

Why our own: pingouin's ``cronbach_alpha`` gives α and its interval only (no ω, no item statistics) and
recomputes a pandas covariance per call; R's ``psych::alpha``/``omega`` are complete but slow and need R.
Here every scale of a rubric (each group and dimension) is read off one pairwise covariance matrix
(:mod:`._scale_sums`: one pass of a compiled loop over the int8 codes, exact int64 sums), so a whole rubric
costs one pass; the same sums, added over the parts of a Parquet dataset or a Dask DataFrame, give the same
statistics without gathering the rows (docs/scale.md).
The formulas are psych's, so the numbers match ``psych::alpha(x)`` and ``psych::omega(x, nfactors=1)``.

For a scale of k items with covariance matrix C (pairwise-complete by default, as ``psych::alpha``
and ``pingouin.cronbach_alpha``) and correlation matrix R:

* α = k/(k − 1) · (1 − tr C / ΣC) (Cronbach 1951); interval (Feldt 1965; Feldt, Woodruff & Salih 1987):
  1 − (1 − α)·F_{1−γ/2}(n − 1, (n − 1)(k − 1)) to 1 − (1 − α)·F_{γ/2}(…), n = respondents to the scale.
* standardised α = k·r̄ / (1 + (k − 1)·r̄) from R = cov2cor(C), r̄ its mean off-diagonal element; with
  ``method="polychoric"`` R is the polychoric matrix and this is the *ordinal* α (Zumbo, Gadermann &
  Zeisser 2007).
* ω total = (ΣR − Σψᵢ)/ΣR (McDonald 1999, as ``psych::omega``), ψᵢ = 1 − λᵢ² the uniquenesses of a
  one-factor model fitted by unweighted least squares to the off-diagonal of R (psych's ``minres``, its
  search reproduced step for step so that ω is psych's to rounding).
  R is the Pearson or the polychoric matrix. When the least-squares solution is improper (some λᵢ² above
  0.995 — a Heywood case, common with few respondents or a polychoric r of 1), the fit is psych's
  (``fa(fm = "minres")``, see :func:`one_factor_minres`): uniquenesses ψ kept in [0.005, max(smc, 1)] where
  R's L-BFGS-B stops on psych's objective and gradient, and λ the first eigenvector of R with diagonal
  1 − ψ scaled by the root of its eigenvalue, so λ² may exceed 1 (no 0.995 cap on λ²).
  ω is reported with a note: an improper solution means the one-factor model does not fit those items.
  Items loading negatively count reverse-keyed in ΣR, as ``psych::omega`` flips them (with a note).
* Bootstrap intervals (``n_boot > 0``) for ω and the standardised/ordinal α: percentile intervals over row
  resamples, each resample's tables drawn as the multinomial counts of the rows (Efron & Tibshirani 1993).
* Item analysis: α if item deleted = α of C without the item; corrected item–total r =
  Σ_{j≠i} Cᵢⱼ / √(Cᵢᵢ · Σ_{j,l≠i} Cⱼₗ) (psych's ``r.drop``).

Constant or unanswered items are left out of a scale with a note (psych does the same).

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika*, 16, 297–334.
Feldt, L. S. (1965). The approximate sampling distribution of Kuder–Richardson reliability coefficient
twenty. *Psychometrika*, 30, 357–370.
McDonald, R. P. (1999). *Test Theory: A Unified Treatment*. Erlbaum.
Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Zumbo, B. D., Gadermann, A. M. & Zeisser, C. (2007). Ordinal versions of coefficients alpha and theta
for Likert rating scales. *Journal of Modern Applied Statistical Methods*, 6, 21–29.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._common import (
    check_choice,
    check_columns,
    check_confidence,
    encode_items,
    inferred_levels_note,
    join_notes,
    kish_n,
    levels_from,
    note,
    note_value,
    renamed_arguments,
    reverse_codes,
    reverse_items_of,
)
from ._minres import psych_minres_psi
from ._polychoric import fit_polychoric
from ._scale_sums import (
    LocalLevelsWork,
    SumsSpec,
    SumsWork,
    finish_local_levels,
    merge_local_levels,
    moments_of,
    reverse_sums,
    scale_sums,
)
from ._smooth import smooth_correlation, smooth_note
from ._source import as_frame_or_source, group_rows, is_source
from ._tables import (
    Encoded,
    SourceEncoded,
    all_answered,
    encode_groups,
    levels_found_in_pass,
    pair_moments,
    pair_tables,
    resolve_items,
    resolve_weights,
    shared_levels,
    small_matrix_blas,
)

__all__ = [
    "cronbach_alpha_from_cov",
    "feldt_interval",
    "item_analysis",
    "omega_total",
    "one_factor_minres",
    "one_factor_uls",
    "reliability",
]

COLUMNS = [
    "scale",
    "scope",
    "k",
    "n",
    "alpha",
    "ci_low",
    "ci_high",
    "alpha_std",
    "alpha_std_ci_low",
    "alpha_std_ci_high",
    "omega_total",
    "omega_ci_low",
    "omega_ci_high",
    "mean_r",
    "reversed",
    "note",
]
ITEM_COLUMNS = ["item", "n", "mean", "sd", "item_total_r", "alpha_if_deleted", "reversed", "note"]
MISSING = ("pairwise", "listwise")
RELIABILITY_METHODS = ("pearson", "polychoric")
_MAX_COMMUNALITY = 0.995  # psych's fa() keeps uniquenesses ≥ 0.005


def cronbach_alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    total = cov.sum()
    if k < 2 or total <= 0:
        return np.nan
    return float(k / (k - 1.0) * (1.0 - np.trace(cov) / total))


def feldt_interval(alpha: float, n: float, k: int, confidence: float) -> tuple[float, float]:
    """Feldt's F-based interval for α (as ``psych::alpha.ci`` and ``pingouin.cronbach_alpha``)."""
    if not np.isfinite(alpha) or n < 2 or k < 2:
        return np.nan, np.nan
    df1 = n - 1.0
    df2 = df1 * (k - 1.0)
    tail = (1.0 - confidence) / 2.0
    low = 1.0 - (1.0 - alpha) * sps.f.isf(tail, df1, df2)
    high = 1.0 - (1.0 - alpha) * sps.f.isf(1.0 - tail, df1, df2)
    return float(low), float(high)


def one_factor_uls(
    corr: np.ndarray, *, tol: float = 1e-13, max_iter: int = 500, max_communality: float | None = _MAX_COMMUNALITY
) -> np.ndarray:
    """Loadings λ of one factor minimising Σ_{i<j} (rᵢⱼ − λᵢλⱼ)², with λᵢ² ≤ ``max_communality`` (no bound
    with None).

    Damped Gauss–Newton on λ: with E = λλᵀ − R off the diagonal, the gradient is Eλ and the Gauss–Newton
    matrix has Σ_{j≠i} λⱼ² on the diagonal and λᵢλⱼ off it — a k × k solve per step.
    """
    k = corr.shape[0]
    values, vectors = np.linalg.eigh(corr)
    lam = vectors[:, -1] * np.sqrt(max(values[-1], 1e-6))
    if lam.sum() < 0:
        lam = -lam
    bound = np.sqrt(max_communality) if max_communality is not None else np.inf
    lam = np.clip(lam, -bound, bound)
    off = ~np.eye(k, dtype=bool)

    def loss(x: np.ndarray) -> float:
        e = (np.outer(x, x) - corr)[off]
        return float(e @ e) / 4.0

    current = loss(lam)
    damping = 1e-6
    for _ in range(max_iter):
        residual = np.where(off, np.outer(lam, lam) - corr, 0.0)
        gradient = residual @ lam
        gauss_newton = np.outer(lam, lam)
        np.fill_diagonal(gauss_newton, lam @ lam - lam * lam)
        while True:
            step = np.linalg.solve(gauss_newton + damping * np.eye(k), -gradient)
            trial = np.clip(lam + step, -bound, bound)
            value = loss(trial)
            if value <= current or damping > 1e6:
                break
            damping *= 10.0
        moved = np.max(np.abs(trial - lam))
        lam, current = trial, value
        damping = max(damping / 10.0, 1e-12)
        if moved < tol:
            break
    return lam if lam.sum() >= 0 else -lam


def _first_factor(corr: np.ndarray, psi: np.ndarray) -> np.ndarray:
    reduced = corr.copy()
    np.fill_diagonal(reduced, 1.0 - psi)
    values, vectors = np.linalg.eigh(reduced)
    value = max(values[-1], 100 * np.finfo(float).eps)
    lam = vectors[:, -1] * np.sqrt(value)
    return lam if lam.sum() >= 0 else -lam


def one_factor_minres(corr: np.ndarray) -> np.ndarray:
    """psych's ``fa(fm = "minres")`` loadings for one factor.

    psych minimises the off-diagonal residual over uniquenesses ψ ∈ [0.005, max(smc, 1)] with R's L-BFGS-B,
    passing as gradient the *diagonal* residual λ² + ψ − 1 (``FAgr.minres``); the result is wherever that
    search stops (within about 1e-6 of the least-squares optimum on proper solutions; on improper, Heywood
    ones the stopping point is the answer), so :func:`._minres.psych_minres_psi` runs the same search
    (R's L-BFGS-B 2.3 from ψ = 1 − smc, parscale 0.01). λ is then the first eigenvector of R with diagonal
    1 − ψ scaled by the root of its eigenvalue (``FAout.wls``), so λ² may exceed 1.
    """
    return _first_factor(corr, psych_minres_psi(corr))


def omega_total(corr: np.ndarray, *, follow_psych: bool = True) -> tuple[float, np.ndarray]:
    """McDonald's ω total of a one-factor model of ``corr`` (psych's formula) and the loadings.

    ω = (ΣR − Σ(1 − λᵢ²))/ΣR with psych's minres loadings (:func:`one_factor_minres`: the point where psych's
    search stops, which differs from the exact least-squares optimum of :func:`one_factor_uls` by about 1e-6
    on proper solutions and decides the answer on improper, Heywood ones), so ω is psych's.
    Items with a negative loading enter ΣR reverse-keyed (ΣR = kᵀRk, kᵢ = sign λᵢ), as ``psych::omega``
    flips them by default: ω is then the reliability of the sum with those items reversed.
    ``follow_psych=False`` (bootstrap resamples, where 1e-6 does not matter but time does) takes the exact
    least-squares loadings and psych's search only where they are improper.
    """
    k = corr.shape[0]
    if k < 3 or not np.all(np.isfinite(corr)):
        return np.nan, np.full(k, np.nan)
    if follow_psych:
        lam = one_factor_minres(corr)
    else:
        lam = one_factor_uls(corr, max_communality=None)
        if np.max(lam**2) > _MAX_COMMUNALITY:
            lam = one_factor_minres(corr)
    # psych::omega(flip = TRUE): items loading negatively count reverse-keyed in ΣR (the uniquenesses stay)
    key = np.where(lam < 0, -1.0, 1.0)
    total = float(key @ corr @ key)
    return float((total - np.sum(1.0 - lam**2)) / total), lam


def heywood_note(items: list[str], loadings: np.ndarray) -> str:
    """A note naming the items whose communality λ² passes 0.995 (an improper one-factor solution); above 1 it
    is what ``psych::fa`` warns of as an "ultra-Heywood case"."""
    squares = loadings**2
    high = [
        f"{item} (λ² = {note_value(value, '.3f')})" for item, value in zip(items, squares) if value > _MAX_COMMUNALITY
    ]
    if not high:
        return ""
    return note("ultra_heywood" if np.max(squares) > 1.0 else "heywood", items=", ".join(high))


@dataclass(frozen=True)
class _Scale:
    name: str
    scope: str
    items: tuple[str, ...]


def _scales(data: pd.DataFrame, scales: Any) -> list[_Scale]:
    if hasattr(scales, "criterion_ids") and hasattr(scales, "dimensions"):
        out: list[_Scale] = []
        present = set(data.columns)
        for dimension in scales.dimensions:
            for group in dimension.groups:
                members = tuple(c.id for c in group.criteria if c.id in present)
                if members:
                    out.append(_Scale(group.id, "group", members))
            members = tuple(c.id for c in dimension.criteria if c.id in present)
            if members:
                out.append(_Scale(dimension.id, "dimension", members))
        everything = tuple(c for c in scales.criterion_ids if c in present)
        if len(scales.dimensions) > 1 and everything:
            out.append(_Scale(scales.id, "rubric", everything))
        if not out:
            raise ValueError(f"none of rubric {scales.id!r}'s criteria is a column of the data")
        return out
    if isinstance(scales, Mapping):
        return [
            _Scale(str(name), "scale", tuple(resolve_items(data, members, what=f"scale {name!r}")))
            for name, members in scales.items()
        ]
    return [_Scale("items", "scale", tuple(resolve_items(data, scales)))]


def _usable(items: Any, cov: np.ndarray, answered: np.ndarray) -> tuple[np.ndarray, list[str]]:
    keep = np.ones(len(items), dtype=bool)
    notes = []
    for i, item in enumerate(items):
        if answered[i] == 0:
            keep[i] = False
            notes.append(note("item_no_answers_left_out", item=item))
        elif not np.isfinite(cov[i, i]) or cov[i, i] <= 0:
            keep[i] = False
            notes.append(note("item_constant_left_out", item=item))
    return keep, notes


@dataclass(frozen=True)
class _Options:
    method: str
    missing: str
    confidence: float
    smooth: bool
    n_boot: int
    seed: int | None


@dataclass(frozen=True)
class _Matrices:
    """One scale's pairwise-complete covariances, Pearson and (optionally) polychoric correlations."""

    cov: np.ndarray
    corr: np.ndarray
    poly: np.ndarray | None
    answered: np.ndarray


def _matrices(enc: Encoded, weights: np.ndarray | None, method: str) -> _Matrices:
    moments = pair_moments(enc, weights)
    poly = _polychoric_matrix(enc, weights) if method == "polychoric" else None
    answered = np.diag(moments.n) if weights is None else (enc.codes >= 0).sum(axis=0).astype(float)
    return _Matrices(moments.covariance(), moments.correlation(), poly, answered)


def _standardised(
    cov: np.ndarray, corr: np.ndarray, poly: np.ndarray | None, smooth: bool
) -> tuple[np.ndarray, np.ndarray, str]:
    """The matrices behind the standardised α and ω (after smoothing, on request) and what to say about them."""
    if poly is not None:
        std_corr = omega_corr = poly
    else:
        d = np.sqrt(np.diag(cov))
        std_corr = cov / np.outer(d, d)
        omega_corr = corr.copy()
        np.fill_diagonal(omega_corr, 1.0)
    smoothed, smallest = smooth_correlation(omega_corr)
    note = smooth_note(smallest, smooth)
    if smooth and smoothed is not None:
        omega_corr = smoothed
        if poly is not None:
            std_corr = smoothed
    return std_corr, omega_corr, note


def _alpha_std(corr: np.ndarray) -> tuple[float, float]:
    k = corr.shape[0]
    if k < 2:
        return np.nan, np.nan
    mean_r = float((corr.sum() - np.trace(corr)) / (k * (k - 1.0)))
    return float(k / (k - 1.0) * (1.0 - k / corr.sum())), mean_r


def _scale_statistics(m: _Matrices, n: float, confidence: float, smooth: bool) -> dict[str, Any]:
    k = m.cov.shape[0]
    alpha = cronbach_alpha_from_cov(m.cov)
    low, high = feldt_interval(alpha, n, k, confidence)
    std_corr, omega_corr, note = _standardised(m.cov, m.corr, m.poly, smooth)
    alpha_std, mean_r = _alpha_std(std_corr)
    with small_matrix_blas():
        omega, loadings = omega_total(omega_corr)
    return {
        "alpha": alpha,
        "ci_low": low,
        "ci_high": high,
        "alpha_std": alpha_std,
        "omega_total": omega,
        "mean_r": mean_r,
        "loadings": loadings,
        "matrix_note": note,
    }


def _bootstrap(enc: Encoded, weights: np.ndarray | None, options: _Options) -> tuple[float, float, float, float]:
    """Percentile intervals of the standardised/ordinal α and ω over row resamples (multinomial counts)."""
    rng = np.random.default_rng(options.seed)
    n = enc.n_rows
    base = np.ones(n) if weights is None else weights
    alphas, omegas = [], []
    for counts in rng.multinomial(n, np.full(n, 1.0 / n), size=options.n_boot):
        m = _matrices(enc, base * counts, options.method)
        if not np.all(np.isfinite(m.cov)) or np.any(np.diag(m.cov) <= 0):
            continue
        std_corr, omega_corr, _ = _standardised(m.cov, m.corr, m.poly, options.smooth)
        alphas.append(_alpha_std(std_corr)[0])
        omegas.append(omega_total(omega_corr, follow_psych=False)[0])
    tail = (1.0 - options.confidence) / 2.0

    def interval(values: list[float]) -> tuple[float, float]:
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        if finite.size < max(10, options.n_boot // 2):
            return np.nan, np.nan
        low, high = np.quantile(finite, [tail, 1.0 - tail])
        return float(low), float(high)

    return (*interval(alphas), *interval(omegas))


# Every statistic of a scale, missing: the output columns from alpha to mean_r.
_EMPTY: dict[str, float] = dict.fromkeys(COLUMNS[COLUMNS.index("alpha") : COLUMNS.index("mean_r") + 1], np.nan)


def _scale_record(
    scale: _Scale,
    enc: Encoded,
    weights: np.ndarray | None,
    shared: _Matrices | None,
    position: dict[str, int],
    options: _Options,
    complete: bool,
) -> dict[str, Any]:
    """One scale's record from the rows (the bootstrap path: resamples need the rows)."""
    idx = [position[item] for item in scale.items]
    if complete and shared is not None and not options.n_boot and options.missing == "pairwise":
        sub, sub_w = enc, weights  # every row answered every item: the shared matrices say it all
    else:
        sub, sub_w = _scale_rows(enc, idx, weights, options.missing, complete)
    if shared is not None and options.missing == "pairwise":
        m = _pick(shared, idx)
    else:
        m = _matrices(sub, sub_w, options.method)
    n_resp = sub.n_rows if sub_w is None else kish_n(sub_w)

    def resample(keep: np.ndarray) -> tuple[float, float, float, float]:
        return _bootstrap(sub.subset(items=list(np.flatnonzero(keep))), sub_w, options)

    return _finish_record(scale, m, sub.n_rows, n_resp, weights is not None, options, resample)


def _pick(m: _Matrices, idx: Any) -> _Matrices:
    """The matrices of the items ``idx`` (positions or a boolean mask)."""
    cells = np.ix_(idx, idx)
    return _Matrices(m.cov[cells], m.corr[cells], None if m.poly is None else m.poly[cells], m.answered[idx])


def _finish_record(
    scale: _Scale, m: _Matrices, n_rows: int, n_resp: float, weighted: bool, options: _Options, resample: Any
) -> dict[str, Any]:
    """α, its interval, standardised α and ω of one scale from its matrices (usable items only)."""
    keep, notes = _usable(scale.items, m.cov, m.answered)
    m = _pick(m, keep)
    kept = [item for item, flag in zip(scale.items, keep) if flag]
    k = len(kept)
    record: dict[str, Any] = {"scale": scale.name, "scope": scale.scope, "k": k, "n": n_rows}
    if k < 2:
        record.update(_EMPTY)
        notes.append(note("too_few_items"))
    elif not np.all(np.isfinite(m.cov)) or (m.poly is not None and not np.all(np.isfinite(m.poly))):
        record.update(_EMPTY)
        notes.append(note("pairs_without_rows"))
    else:
        statistics = _scale_statistics(m, n_resp, options.confidence, options.smooth)
        lam = statistics.pop("loadings")
        notes.append(statistics.pop("matrix_note"))
        record.update(_EMPTY)
        record.update(statistics)
        notes.extend(_scale_notes(kept, lam, n_resp, weighted))
        if options.n_boot and k >= 3:
            a_low, a_high, o_low, o_high = resample(keep)
            record.update(alpha_std_ci_low=a_low, alpha_std_ci_high=a_high, omega_ci_low=o_low, omega_ci_high=o_high)
            kind = note("alpha_kind_ordinal" if options.method == "polychoric" else "alpha_kind_standardised")
            notes.append(note("bootstrap_intervals", kind=kind, n_boot=options.n_boot))
    record["note"] = join_notes(*notes)
    return record


def _scale_rows(
    enc: Encoded, idx: list[int], weights: np.ndarray | None, missing: str, complete: bool
) -> tuple[Encoded, np.ndarray | None]:
    """The scale's items on its respondents: rows answering any item (pairwise) or every item (listwise)."""
    if complete:  # every row answered every item: nothing to select or copy
        return Encoded(tuple(enc.items[i] for i in idx), enc.levels, enc.codes[:, idx], enc.index), weights
    sub = enc.subset(items=idx)
    answered = (sub.codes >= 0).all(axis=1) if missing == "listwise" else (sub.codes >= 0).any(axis=1)
    if answered.all():
        return sub, weights
    rows = np.flatnonzero(answered)
    return sub.subset(rows), None if weights is None else weights[rows]


def _scale_notes(kept: list[str], lam: np.ndarray, n_resp: float, weighted: bool) -> list[str]:
    notes = []
    if len(kept) == 2:
        notes.append(note("omega_needs_three"))
    else:
        negative = [item for item, value in zip(kept, lam) if value < 0]
        if negative:
            notes.append(note("negative_loadings", items=", ".join(negative)))
        notes.append(heywood_note(kept, lam))
    if n_resp < 5:
        notes.append(note("few_respondent" if n_resp == 1 else "few_respondents", n=note_value(n_resp, ".0f")))
    if weighted:
        notes.append(note("weighted_feldt", n=note_value(n_resp, ".1f")))
    return notes


@renamed_arguments({"scales": "items"})
def reliability(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    method: str = "pearson",
    missing: str = "pairwise",
    confidence: float = 0.95,
    reverse: Any = None,
    smooth: bool = False,
    n_boot: int = 0,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Reliability of each scale: Cronbach's α with Feldt's interval, standardised α and ω total.

    Parameters
    ----------
    data : DataFrame
        One row per response, items as level columns.
    items : Rubric, rubric id, list of str, or dict of name → list of str
        A rubric gives one scale per group and per dimension (and one for the whole rubric when it has
        several dimensions), its levels and its reverse-keyed items; a list is one scale; a dict names
        several. (Formerly ``scales=``.)
    by : str or list of str, optional
        One row per scale and group, the group columns in front.
    weights : str or array, optional
        Row weights: weighted covariances (and weighted polychoric tables); Feldt's interval uses the
        Kish effective size.
    levels : sequence or Rubric, optional
        The ordered levels (default the rubric's, else every integer between the observed extremes).
    method : {"pearson", "polychoric"}
        Correlations behind ω and the standardised α (with "polychoric": ordinal α and ordinal ω).
    missing : {"pairwise", "listwise"}
        Pairwise: each covariance from the rows answering both items (psych's default); listwise: only the
        rows answering every item of the scale.
    confidence : float
        Level of Feldt's interval for α and of the bootstrap intervals.
    reverse : list of str, optional
        Reverse-keyed items, recoded min + max − x (min and max of the levels) before anything else.
        Default: the rubric's ``reverse_items`` when ``items`` is a rubric, else none.
    smooth : bool
        Smooth a correlation matrix that is not positive definite (``psych::cor.smooth``) before ω and
        ordinal α. Whether it is positive definite is reported either way.
    n_boot : int
        Bootstrap resamples for the intervals of ω and the standardised/ordinal α (0: none).
    seed : int or None
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        ``[*by], scale, scope, k, n, alpha, ci_low, ci_high, alpha_std, alpha_std_ci_low, alpha_std_ci_high,
        omega_total, omega_ci_low, omega_ci_high, mean_r, reversed, note``. ``k`` counts the items used,
        ``n`` the respondents (rows answering at least one item; complete rows when listwise),
        ``reversed`` the reverse-keyed items of the scale. ``note`` names items left out, negative
        loadings, improper (Heywood) solutions, a matrix that is not positive definite, and scales too
        small for a statistic.

    Examples
    --------
    >>> import dxlab
    >>> rubric = dxlab.load_rubric("mobifone-dx")
    >>> data = dxlab.sample.synthetic_responses(rubric, n=500, seed=1)
    >>> table = dxlab.stats.reliability(data, rubric)
    >>> row = table[table["scope"] == "dimension"].iloc[0]
    >>> row["scale"], int(row["k"])
    ('CUS', 5)
    """
    data = as_frame_or_source(data)
    options = _Options(
        check_choice("method", method, RELIABILITY_METHODS),
        check_choice("missing", missing, MISSING),
        check_confidence(confidence),
        bool(smooth),
        _check_n_boot(n_boot),
        seed,
    )
    check_columns(data)
    items = _rubric_from_id(data, items)
    levels = levels_from(items, levels)
    scale_list = _scales(data, items)
    all_items = list(dict.fromkeys(item for scale in scale_list for item in scale.items))
    check_columns(data, all_items)
    reverse_list = reverse_items_of(items, reverse, data)
    w = resolve_weights(data, weights)
    if by is not None:
        groups = encode_groups(data, by)
        rows_of = group_rows(data, groups)
        levels = _group_levels(data, all_items, levels)
        parts = []
        for g in range(groups.n_groups):
            rows = rows_of(g)
            group_w = _group_weights(data, weights, w, groups, rows, g)
            part = _reliability_table(rows, scale_list, all_items, levels, reverse_list, group_w, options)
            for position, column in enumerate(groups.by):
                part.insert(position, column, groups.keys[column].iloc[g])
            parts.append(part)
        return pd.concat(parts, ignore_index=True)
    return _reliability_table(data, scale_list, all_items, levels, reverse_list, w, options)


def _group_weights(data: Any, weights: Any, w: Any, groups: Any, rows: Any, g: int) -> Any:
    """Group ``g``'s row weights: its share of the array, or (a source) the weights column of its view ``rows``."""
    if w is None:
        return None
    if is_source(data):
        return resolve_weights(rows, weights)
    return w[np.flatnonzero(groups.codes == g)]


def _check_n_boot(n_boot: Any) -> int:
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number ≥ 0, not {n_boot!r}")
    return int(n_boot)


def _rubric_from_id(data: pd.DataFrame, items: Any) -> Any:
    if isinstance(items, str) and items not in data.columns:
        from ..rubric import list_rubrics, load_rubric

        if items in set(list_rubrics()["id"]) or items.endswith((".yaml", ".yml")):
            return load_rubric(items)  # a shipped rubric id or a rubric file, as everywhere else
    return items


def _reliability_table(
    data: pd.DataFrame,
    scale_list: list[_Scale],
    all_items: list[str],
    levels: Any,
    reverse_list: list[str],
    w: np.ndarray | None,
    options: _Options,
) -> pd.DataFrame:
    unknown = [item for item in reverse_list if item not in all_items]
    if unknown:
        encode_items(data, all_items, levels)  # a value that is not a level is named first
        raise ValueError(f"reverse names item(s) not in any scale: {', '.join(map(repr, unknown))}")
    reverse_here = tuple(item for item in reverse_list if item in all_items)
    if options.n_boot:
        enc = encode_items(data, all_items, levels)
        return _reliability_from_rows(enc, scale_list, all_items, levels, reverse_here, w, options)
    position = {item: i for i, item in enumerate(all_items)}
    spec = SumsSpec(
        tuple(all_items),
        (),
        tuple(tuple(position[item] for item in scale.items) for scale in scale_list),
        options.missing,
        options.method == "polychoric",
        reverse_here,
    )
    enc, sums, reversed_items = _encoded_sums(data, levels, w, spec)
    level_note = _level_note(enc, sums) if levels is None else ""
    weighted = w is not None
    shared = _shared_matrices(sums, len(all_items), weighted, options.method) if options.missing == "pairwise" else None
    rows = []
    for s, scale in enumerate(scale_list):
        m, n_rows, n_resp = _scale_matrices(sums, s, spec.scales[s], shared, weighted, options.method)
        record = _finish_record(scale, m, n_rows, n_resp, weighted, options, None)
        record["reversed"] = ", ".join(item for item in scale.items if item in reversed_items)
        record["note"] = join_notes(record["note"], level_note)
        rows.append(record)
    return pd.DataFrame(rows, columns=COLUMNS)


def _reliability_from_rows(
    enc: Encoded,
    scale_list: list[_Scale],
    all_items: list[str],
    levels: Any,
    reverse_here: tuple[str, ...],
    w: np.ndarray | None,
    options: _Options,
) -> pd.DataFrame:
    """The bootstrap path: resampling rows needs the rows (from a data source they are gathered, one byte per
    answer — docs/scale.md)."""
    level_note = inferred_levels_note(enc) if levels is None else ""
    if isinstance(enc, SourceEncoded):
        enc = Encoded(enc.items, enc.levels, enc.codes, enc.index)
        w = None if w is None else np.asarray(w)
    enc, reversed_items = reverse_codes(enc, reverse_here)
    position = {item: i for i, item in enumerate(all_items)}
    shared = _matrices(enc, w, options.method) if options.missing == "pairwise" else None
    complete = all_answered(enc)
    rows = []
    for scale in scale_list:
        record = _scale_record(scale, enc, w, shared, position, options, complete)
        record["reversed"] = ", ".join(item for item in scale.items if item in reversed_items)
        record["note"] = join_notes(record["note"], level_note)
        rows.append(record)
    return pd.DataFrame(rows, columns=COLUMNS)


def _encoded_sums(data: Any, levels: Any, w: Any, spec: SumsSpec) -> tuple[Encoded, dict[str, Any], tuple[str, ...]]:
    """The items encoded and their sufficient statistics. A Dask DataFrame of integer answers with no
    ``levels=`` is read once: each partition counts on its own levels, aligned when the sums are added;
    otherwise the levels come first (from a Parquet dataset's statistics, or a pass over a Dask DataFrame)."""
    if _one_pass(data, spec, levels):
        weight_column = None if w is None else w.column
        result = data.reduce(
            LocalLevelsWork(spec, weight_column, 1 if w is None else w.power),
            list(dict.fromkeys([*spec.items, *([weight_column] if weight_column else [])])),
            combine=merge_local_levels,
        )
        if result is not None:
            found, sums = finish_local_levels(result)
            empty = Encoded(spec.items, found, np.zeros((0, len(spec.items)), dtype=np.int8), pd.RangeIndex(0))
            _, reversed_items = reverse_codes(empty, spec.reverse)  # checks the levels, reads nothing
            return SourceEncoded(data, spec.items, found), reverse_sums(sums, spec, found), reversed_items
    enc = encode_items(data, list(spec.items), levels)
    spec = replace(spec, levels=tuple(enc.levels), level_counts=levels is None and isinstance(enc, SourceEncoded))
    sums, reversed_items = _collect_sums(enc, w, spec)
    return enc, sums, reversed_items


def _one_pass(data: Any, spec: SumsSpec, levels: Any) -> bool:
    """Whether the levels can be found in the same pass as the sums: a source of numeric answers, no levels
    given, and no Parquet statistics that give them without a pass (reverse-keyed items are recoded after the
    pass, :func:`._scale_sums.reverse_sums`)."""
    return levels is None and is_source(data) and levels_found_in_pass(data, list(spec.items))


def _group_levels(data: Any, items: list[str], levels: Any) -> Any:
    """The levels for the analyses of the groups of a source: given, or found once for all groups — except
    where each group can find its own in its single pass (numeric answers), as each group of a DataFrame
    does."""
    if not is_source(data) or levels is not None:
        return levels
    return shared_levels(data, items)


def _collect_sums(enc: Encoded, w: Any, spec: SumsSpec) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The sufficient statistics (:mod:`._scale_sums`) in one pass: in memory, or part by part from a source."""
    empty = Encoded(enc.items, enc.levels, np.zeros((0, len(enc.items)), dtype=np.int8), pd.RangeIndex(0))
    if isinstance(enc, SourceEncoded):
        _, reversed_items = reverse_codes(empty, spec.reverse)  # checks the names and the levels, reads nothing
        work = SumsWork(spec, None if w is None else w.column, 1 if w is None else w.power)
        sums = enc.source.reduce(work, enc.columns(w))
        return (sums if sums is not None else scale_sums(empty, None, spec)), reversed_items
    enc, reversed_items = reverse_codes(enc, spec.reverse)
    return scale_sums(enc, w, spec), reversed_items


def _level_note(enc: Encoded, sums: dict[str, Any]) -> str:
    """The inferred-levels note; for a source from the level counts, reading rows only to name odd values."""
    if not isinstance(enc, SourceEncoded):
        return inferred_levels_note(enc)
    counts = sums.get("levels")
    levels = list(enc.levels)
    if not levels or counts is None or counts.sum() == 0:
        return ""
    whole = all(isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer() for v in levels)
    if whole and bool((counts.sum(axis=0) > 0).all()):
        return ""
    return inferred_levels_note(Encoded(enc.items, enc.levels, enc.codes, enc.index))


def _shared_matrices(sums: dict[str, Any], k: int, weighted: bool, method: str) -> _Matrices:
    """Pairwise-complete matrices of all items, shared by the scales."""
    moments = moments_of(sums["pairwise"])
    poly = _polychoric_from_tables(sums["tables"], k) if method == "polychoric" else None
    answered = sums["answered"] if weighted else np.diag(moments.n)
    return _Matrices(moments.covariance(), moments.correlation(), poly, answered)


def _scale_matrices(
    sums: dict[str, Any], s: int, idx: tuple[int, ...], shared: _Matrices | None, weighted: bool, method: str
) -> tuple[_Matrices, int, float]:
    """Scale ``s``'s matrices, its respondents and their (Kish) effective number."""
    count, total, squares = sums[f"respondents {s}"]
    n_resp = (total * total / squares if squares > 0 else 0.0) if weighted else float(count)
    if shared is not None:
        return _pick(shared, list(idx)), int(count), n_resp
    moments = moments_of(sums[f"listwise {s}"])
    poly = _polychoric_from_tables(sums[f"listwise tables {s}"], len(idx)) if method == "polychoric" else None
    answered = np.full(len(idx), float(count)) if weighted else np.diag(moments.n)
    return _Matrices(moments.covariance(), moments.correlation(), poly, answered), int(count), n_resp


def _polychoric_matrix(enc: Encoded, weights: np.ndarray | None = None) -> np.ndarray:
    return _polychoric_from_tables(pair_tables(enc, weights) if len(enc.items) >= 2 else None, len(enc.items))


def _polychoric_from_tables(all_tables: np.ndarray | None, k: int) -> np.ndarray:
    """The polychoric matrix from the item × item tables ``T[i, a, j, b]``."""
    matrix = np.eye(k)
    if k < 2 or all_tables is None:
        return matrix
    iu, ju = np.triu_indices(k, 1)
    tables = all_tables.transpose(0, 2, 1, 3)[iu, ju]
    fit = fit_polychoric(tables)
    matrix[iu, ju] = fit.rho
    matrix[ju, iu] = fit.rho
    return matrix


@renamed_arguments({})
def item_analysis(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    missing: str = "pairwise",
    reverse: Any = None,
) -> pd.DataFrame:
    """Item statistics of one scale: n, mean, sd, corrected item–total r and α if the item is deleted.

    Parameters
    ----------
    data : DataFrame
    items : list of str or Rubric
        The scale's items (a rubric: all its criteria present in ``data`` — usually you want one group or
        dimension, e.g. ``[c for c in rubric.criterion_ids if c.startswith("CUS.")]``).
    by : str or list of str, optional
        One table per group, the group columns in front.
    weights : str or array, optional
        Row weights (weighted means, covariances and α).
    levels : sequence or Rubric, optional
    missing : {"pairwise", "listwise"}
        As in :func:`reliability`.
    reverse : list of str, optional
        Reverse-keyed items, recoded min + max − x before the statistics (default: the rubric's
        ``reverse_items`` when ``items`` is a rubric).

    Returns
    -------
    DataFrame
        ``[*by], item, n, mean, sd, item_total_r, alpha_if_deleted, reversed, note`` — ``item_total_r`` is
        the corrected item–total correlation (the item against the sum of the *other* items, psych's
        ``r.drop``); ``mean``/``sd`` use every answer to the item (listwise: the complete rows), on the
        reversed scale for reversed items (``reversed`` is True).

    Examples
    --------
    >>> import dxlab
    >>> rubric = dxlab.load_rubric("mobifone-dx")
    >>> data = dxlab.sample.synthetic_responses(rubric, n=500, seed=1)
    >>> cus = [c for c in rubric.criterion_ids if c.startswith("CUS.")]
    >>> dxlab.stats.item_analysis(data, cus)["item"].tolist() == cus
    True
    """
    data = as_frame_or_source(data)
    missing = check_choice("missing", missing, MISSING)
    check_columns(data)
    levels = levels_from(items, levels)
    reverse_list = reverse_items_of(items, reverse, data)
    names = resolve_items(data, items)
    check_columns(data, names)
    w = resolve_weights(data, weights)
    if by is not None:
        groups = encode_groups(data, by)
        rows_of = group_rows(data, groups)
        levels = _group_levels(data, names, levels)
        parts = []
        for g in range(groups.n_groups):
            rows = rows_of(g)
            group_w = _group_weights(data, weights, w, groups, rows, g)
            part = _item_table(rows, names, levels, missing, reverse_list, group_w)
            for position, column in enumerate(groups.by):
                part.insert(position, column, groups.keys[column].iloc[g])
            parts.append(part)
        return pd.concat(parts, ignore_index=True)
    return _item_table(data, names, levels, missing, reverse_list, w)


def _item_table(
    data: pd.DataFrame, items: list[str], levels: Any, missing: str, reverse_list: list[str], w: np.ndarray | None
) -> pd.DataFrame:
    spec = SumsSpec(tuple(items), (), (tuple(range(len(items))),), missing, False, tuple(reverse_list))
    enc, sums, reversed_items = _encoded_sums(data, levels, w, spec)
    level_note = _level_note(enc, sums) if levels is None else ""
    if missing == "listwise":
        moments = moments_of(sums["listwise 0"])
        complete_rows = float(sums["respondents 0"][0])
        n = np.diag(moments.n).copy() if w is None else np.full(len(items), complete_rows)
    else:
        moments = moments_of(sums["pairwise"])
        n = np.diag(moments.n).copy() if w is None else np.asarray(sums["answered"], dtype=float)
    cov = moments.covariance()
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.diag(moments.sx) / np.diag(moments.n)
        sd = np.sqrt(np.diag(cov))
    keep, _ = _usable(enc.items, cov, n)
    item_total, alpha_drop, notes = _drop_statistics(cov, keep)
    for dropped in np.flatnonzero(~keep):
        notes[dropped] = note("item_no_answers" if n[dropped] == 0 else "item_constant_totals")
    for i in range(len(items)):
        if 0 < n[i] < 5:
            notes[i] = join_notes(
                notes[i], note("few_answer" if n[i] == 1 else "few_answers", n=note_value(n[i], ".0f"))
            )
        notes[i] = join_notes(notes[i], level_note)
    return pd.DataFrame(
        {
            "item": list(items),
            "n": n.astype(np.int64),
            "mean": mean,
            "sd": sd,
            "item_total_r": item_total,
            "alpha_if_deleted": alpha_drop,
            "reversed": [item in reversed_items for item in items],
            "note": notes,
        },
        columns=ITEM_COLUMNS,
    )


def _drop_statistics(cov: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Corrected item–total r and α if deleted for the kept items."""
    k = keep.size
    kept = np.flatnonzero(keep)
    item_total = np.full(k, np.nan)
    alpha_drop = np.full(k, np.nan)
    notes = [""] * k
    usable_cov = cov[np.ix_(kept, kept)]
    finite = np.all(np.isfinite(usable_cov))
    for position, i in enumerate(kept):
        others = np.delete(np.arange(kept.size), position)
        if kept.size >= 2 and finite:
            rest = usable_cov[np.ix_(others, others)]
            cross = usable_cov[position, others].sum()
            with np.errstate(invalid="ignore", divide="ignore"):
                item_total[i] = cross / np.sqrt(usable_cov[position, position] * rest.sum())
            if others.size >= 2:
                alpha_drop[i] = cronbach_alpha_from_cov(rest)
            else:
                notes[i] = "α if deleted needs at least 3 items"
        elif not finite:
            notes[i] = "some item pairs have no rows in common"
        else:
            notes[i] = "the scale has one usable item"
    return item_total, alpha_drop, notes
