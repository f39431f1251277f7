"""Scale reliability — Cronbach's α with Feldt's interval, standardised α, McDonald's ω — and item analysis.

Why our own: pingouin's ``cronbach_alpha`` gives α and its interval only (no ω, no item statistics) and
recomputes a pandas covariance per call; R's ``psych::alpha``/``omega`` are complete but slow and need R.
Here every scale of a rubric (each group and dimension) is read off one pairwise covariance matrix
(:func:`._tables.pair_moments`: a few matrix products over the rows), so a whole rubric costs one pass.
The formulas are psych's, so the numbers match ``psych::alpha(x)`` and ``psych::omega(x, nfactors=1)``.

For a scale of k items with covariance matrix C (pairwise-complete by default, as ``psych::alpha``
and ``pingouin.cronbach_alpha``) and correlation matrix R:

* α = k/(k − 1) · (1 − tr C / ΣC) (Cronbach 1951); interval (Feldt 1965; Feldt, Woodruff & Salih 1987):
  1 − (1 − α)·F_{1−γ/2}(n − 1, (n − 1)(k − 1)) to 1 − (1 − α)·F_{γ/2}(…), n = respondents to the scale.
* standardised α = k·r̄ / (1 + (k − 1)·r̄) from R = cov2cor(C), r̄ its mean off-diagonal element; with
  ``method="polychoric"`` R is the polychoric matrix and this is the *ordinal* α (Zumbo, Gadermann &
  Zeisser 2007).
* ω total = (ΣR − Σψᵢ)/ΣR (McDonald 1999, as ``psych::omega``), ψᵢ = 1 − λᵢ² the uniquenesses of a
  one-factor model fitted by unweighted least squares to the off-diagonal of R (psych's ``minres``),
  with communalities capped at 0.995 as psych caps them. R is the Pearson or the polychoric matrix.
* Item analysis: α if item deleted = α of C without the item; corrected item–total r =
  Σ_{j≠i} Cᵢⱼ / √(Cᵢᵢ · Σ_{j,l≠i} Cⱼₗ) (psych's ``r.drop``).

Constant or unanswered items are left out of a scale with a note (psych does the same).

References
----------
Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests. *Psychometrika*, 16, 297–334.
Feldt, L. S. (1965). The approximate sampling distribution of Kuder–Richardson reliability coefficient
twenty. *Psychometrika*, 30, 357–370.
McDonald, R. P. (1999). *Test Theory: A Unified Treatment*. Erlbaum.
Zumbo, B. D., Gadermann, A. M. & Zeisser, C. (2007). Ordinal versions of coefficients alpha and theta
for Likert rating scales. *Journal of Modern Applied Statistical Methods*, 6, 21–29.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._common import check_choice, check_confidence, join_notes
from ._polychoric import fit_polychoric
from ._source import as_frame_or_source
from ._tables import Encoded, encode, pair_moments, pair_tables, resolve_items

__all__ = ["reliability", "item_analysis", "cronbach_alpha_from_cov", "feldt_interval", "one_factor_uls",
           "omega_total"]

COLUMNS = ["scale", "scope", "k", "n", "alpha", "ci_low", "ci_high", "alpha_std", "omega_total", "mean_r",
           "note"]
ITEM_COLUMNS = ["item", "n", "mean", "sd", "item_total_r", "alpha_if_deleted", "note"]
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


def one_factor_uls(corr: np.ndarray, *, tol: float = 1e-13, max_iter: int = 500) -> np.ndarray:
    """Loadings λ of one factor minimising Σ_{i<j} (rᵢⱼ − λᵢλⱼ)², with λᵢ² ≤ 0.995 (psych's minres).

    Damped Gauss–Newton on λ: with E = λλᵀ − R off the diagonal, the gradient is Eλ and the Gauss–Newton
    matrix has Σ_{j≠i} λⱼ² on the diagonal and λᵢλⱼ off it — a k × k solve per step.
    """
    k = corr.shape[0]
    values, vectors = np.linalg.eigh(corr)
    lam = vectors[:, -1] * np.sqrt(max(values[-1], 1e-6))
    if lam.sum() < 0:
        lam = -lam
    bound = np.sqrt(_MAX_COMMUNALITY)
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


def omega_total(corr: np.ndarray) -> tuple[float, np.ndarray]:
    """McDonald's ω total of a one-factor model of ``corr`` (psych's formula) and the loadings."""
    k = corr.shape[0]
    if k < 3 or not np.all(np.isfinite(corr)):
        return np.nan, np.full(k, np.nan)
    lam = one_factor_uls(corr)
    total = corr.sum()
    return float((total - np.sum(1.0 - lam ** 2)) / total), lam


@dataclass(frozen=True)
class _Scale:
    name: str
    scope: str
    items: tuple[str, ...]


def _scales(data: pd.DataFrame, scales: Any) -> list[_Scale]:
    if isinstance(scales, str) and scales not in data.columns:
        from ..rubric import list_rubrics, load_rubric

        if scales in set(list_rubrics()["id"]) or scales.endswith((".yaml", ".yml")):
            scales = load_rubric(scales)  # a shipped rubric id or a rubric file, as everywhere else
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
        return [_Scale(str(name), "scale", tuple(resolve_items(data, members, what=f"scale {name!r}")))
                for name, members in scales.items()]
    return [_Scale("items", "scale", tuple(resolve_items(data, scales)))]


def _usable(enc: Encoded, cov: np.ndarray, answered: np.ndarray) -> tuple[np.ndarray, list[str]]:
    keep = np.ones(len(enc.items), dtype=bool)
    notes = []
    for i, item in enumerate(enc.items):
        if answered[i] == 0:
            keep[i] = False
            notes.append(f"{item} has no answers: left out")
        elif not np.isfinite(cov[i, i]) or cov[i, i] <= 0:
            keep[i] = False
            notes.append(f"{item} is constant: left out")
    return keep, notes


def _scale_statistics(cov: np.ndarray, corr_pair: np.ndarray, n: int, confidence: float,
                      poly: np.ndarray | None) -> dict[str, float]:
    k = cov.shape[0]
    alpha = cronbach_alpha_from_cov(cov)
    low, high = feldt_interval(alpha, n, k, confidence)
    if poly is not None:
        std_corr = poly
        omega_corr = poly
    else:
        d = np.sqrt(np.diag(cov))
        std_corr = cov / np.outer(d, d)
        omega_corr = corr_pair.copy()
        np.fill_diagonal(omega_corr, 1.0)
    if k >= 2:
        mean_r = float((std_corr.sum() - np.trace(std_corr)) / (k * (k - 1.0)))
        alpha_std = float(k / (k - 1.0) * (1.0 - k / std_corr.sum()))
    else:
        mean_r = alpha_std = np.nan
    omega, loadings = omega_total(omega_corr)
    return {"alpha": alpha, "ci_low": low, "ci_high": high, "alpha_std": alpha_std, "omega_total": omega,
            "mean_r": mean_r, "loadings": loadings}


def reliability(data: pd.DataFrame, scales: Any, *, method: str = "pearson", missing: str = "pairwise",
                confidence: float = 0.95, levels: Any = None) -> pd.DataFrame:
    """Reliability of each scale: Cronbach's α with Feldt's interval, standardised α and ω total.

    Parameters
    ----------
    data : DataFrame
        One row per response, items as level columns.
    scales : Rubric, list of str, or dict of name → list of str
        A rubric gives one scale per group and per dimension (and one for the whole rubric when it has
        several dimensions); a list is one scale; a dict names several.
    method : {"pearson", "polychoric"}
        Correlations behind ω and the standardised α (with "polychoric": ordinal α and ordinal ω).
    missing : {"pairwise", "listwise"}
        Pairwise: each covariance from the rows answering both items (psych's default); listwise: only the
        rows answering every item of the scale.
    confidence : float
        Level of Feldt's interval for α.
    levels : sequence or Rubric, optional
        The ordered levels (default every integer between the observed extremes).

    Returns
    -------
    DataFrame
        ``scale, scope, k, n, alpha, ci_low, ci_high, alpha_std, omega_total, mean_r, note``. ``k`` counts
        the items used, ``n`` the respondents (rows answering at least one item; complete rows when
        listwise). ``note`` names items left out, negative loadings and scales too small for a statistic.

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
    method = check_choice("method", method, RELIABILITY_METHODS)
    missing = check_choice("missing", missing, MISSING)
    confidence = check_confidence(confidence)
    scale_list = _scales(data, scales)
    all_items = list(dict.fromkeys(item for scale in scale_list for item in scale.items))
    enc = encode(data, all_items, levels)
    position = {item: i for i, item in enumerate(all_items)}
    shared = pair_moments(enc) if missing == "pairwise" else None
    complete_data = enc.n_rows == 0 or int(enc.codes.min(initial=0)) >= 0
    answered_all = None if complete_data else (enc.codes >= 0)
    if shared is not None:
        shared_cov, shared_corr = shared.covariance(), shared.correlation()
    poly_all = None
    if method == "polychoric" and missing == "pairwise":
        poly_all = _polychoric_matrix(enc)
    rows = []
    for scale in scale_list:
        idx = [position[item] for item in scale.items]
        if missing == "pairwise":
            assert shared is not None
            sub_n = shared.n[np.ix_(idx, idx)]
            cov = shared_cov[np.ix_(idx, idx)]
            corr = shared_corr[np.ix_(idx, idx)]
            n_resp = enc.n_rows if answered_all is None else int(answered_all[:, idx].any(axis=1).sum())
            counts = np.diag(sub_n)
            poly = None if poly_all is None else poly_all[np.ix_(idx, idx)]
        else:
            complete = np.ones(enc.n_rows, dtype=bool) if answered_all is None else answered_all[:, idx].all(axis=1)
            sub = enc.subset(np.flatnonzero(complete), idx)
            moments = pair_moments(sub)
            cov, corr = moments.covariance(), moments.correlation()
            n_resp = int(complete.sum())
            counts = np.diag(moments.n)
            poly = _polychoric_matrix(sub) if method == "polychoric" else None
        sub_enc = Encoded(tuple(scale.items), enc.levels, enc.codes[:0, idx], enc.index[:0])
        keep, notes = _usable(sub_enc, cov, counts)
        cov, corr = cov[np.ix_(keep, keep)], corr[np.ix_(keep, keep)]
        if poly is not None:
            poly = poly[np.ix_(keep, keep)]
        kept = [item for item, flag in zip(scale.items, keep) if flag]
        k = len(kept)
        record: dict[str, Any] = {"scale": scale.name, "scope": scale.scope, "k": k, "n": n_resp}
        if k < 2:
            record.update(alpha=np.nan, ci_low=np.nan, ci_high=np.nan, alpha_std=np.nan, omega_total=np.nan,
                          mean_r=np.nan)
            notes.append("fewer than 2 usable items: no reliability")
        elif not np.all(np.isfinite(cov)) or (poly is not None and not np.all(np.isfinite(poly))):
            record.update(alpha=np.nan, ci_low=np.nan, ci_high=np.nan, alpha_std=np.nan, omega_total=np.nan,
                          mean_r=np.nan)
            notes.append("some item pairs have no rows in common: no reliability")
        else:
            statistics = _scale_statistics(cov, corr, n_resp, confidence, poly)
            lam = statistics.pop("loadings")
            record.update(statistics)
            if k == 2:
                notes.append("ω needs at least 3 items")
            else:
                negative = [item for item, value in zip(kept, lam) if value < 0]
                if negative:
                    notes.append(f"{', '.join(negative)} load(s) negatively on the common factor: "
                                 f"reverse-code before scoring")
            if n_resp < 5:
                notes.append(f"only {n_resp} respondent{'s' if n_resp != 1 else ''}")
        record["note"] = join_notes(*notes)
        rows.append(record)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame


def _polychoric_matrix(enc: Encoded) -> np.ndarray:
    k = len(enc.items)
    matrix = np.eye(k)
    if k < 2:
        return matrix
    iu, ju = np.triu_indices(k, 1)
    tables = pair_tables(enc).transpose(0, 2, 1, 3)[iu, ju]
    fit = fit_polychoric(tables)
    matrix[iu, ju] = fit.rho
    matrix[ju, iu] = fit.rho
    return matrix


def item_analysis(data: pd.DataFrame, items: Any, *, missing: str = "pairwise", levels: Any = None
                  ) -> pd.DataFrame:
    """Item statistics of one scale: n, mean, sd, corrected item–total r and α if the item is deleted.

    Parameters
    ----------
    data : DataFrame
    items : list of str or Rubric
        The scale's items (a rubric: all its criteria present in ``data`` — usually you want one group or
        dimension, e.g. ``[c for c in rubric.criterion_ids if c.startswith("CUS.")]``).
    missing : {"pairwise", "listwise"}
        As in :func:`reliability`.
    levels : sequence or Rubric, optional

    Returns
    -------
    DataFrame
        ``item, n, mean, sd, item_total_r, alpha_if_deleted, note`` — ``item_total_r`` is the corrected
        item–total correlation (the item against the sum of the *other* items, psych's ``r.drop``);
        ``mean``/``sd`` use every answer to the item (listwise: the complete rows).

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
    items = resolve_items(data, items)
    enc = encode(data, items, levels)
    if missing == "listwise":
        enc = enc.subset(np.flatnonzero((enc.codes >= 0).all(axis=1)))
    moments = pair_moments(enc)
    cov = moments.covariance()
    n = np.diag(moments.n)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.diag(moments.sx) / n
        sd = np.sqrt(np.diag(cov))
    keep, _ = _usable(enc, cov, n)
    kept = np.flatnonzero(keep)
    k = len(items)
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
    for i in np.flatnonzero(~keep):
        notes[i] = "no answers" if n[i] == 0 else "constant item: left out of the totals"
    for i in range(k):
        if 0 < n[i] < 5:
            notes[i] = join_notes(notes[i], f"only {n[i]:.0f} answer{'s' if n[i] != 1 else ''}")
    return pd.DataFrame({"item": list(items), "n": n.astype(np.int64), "mean": mean, "sd": sd,
                         "item_total_r": item_total, "alpha_if_deleted": alpha_drop, "note": notes},
                        columns=ITEM_COLUMNS)
