"""Agreement between the respondents of one enterprise: ICC, Krippendorff's α, Cohen's and Fleiss' κ, r_wg(j).

In a large enterprise the director, the IT head and the sales head answer the same questionnaire. How far do
they agree — and can their answers be averaged into one? :func:`agreement` answers per item (or per scale
score), with one of five methods:

* ``"icc"`` — the six intraclass correlations of Shrout & Fleiss (1979) with F, df, p and interval, exactly as
  R ``psych::ICC(lmer = FALSE)``: from the two-way ANOVA of subjects × raters on the subjects every rater
  answered. ICC1 = (MSB − MSW)/(MSB + (k−1)MSW); ICC2 = (MSB − MSE)/(MSB + (k−1)MSE + k(MSJ − MSE)/n);
  ICC3 = (MSB − MSE)/(MSB + (k−1)MSE); ICC1k = (MSB − MSW)/MSB; ICC2k = (MSB − MSE)/(MSB + (MSJ − MSE)/n);
  ICC3k = (MSB − MSE)/MSB. When some subjects lack a rater's answer, a seventh row ``ICC1u`` gives ICC(1) of the
  one-way ANOVA on every subject with at least two answers (unequal numbers of raters, Snedecor's n₀).
* ``"krippendorff"`` — Krippendorff's α (nominal, ordinal or interval) from the coincidence matrix
  o_ck = Σ_u n_uc·n_uk/(m_u − 1) (c ≠ k; n_uc(n_uc − 1) on the diagonal) over units with ≥ 2 values, any
  number of raters and missing values allowed: α = 1 − (n − 1)·Σ o_ck δ²_ck / Σ n_c n_k δ²_ck (Krippendorff
  2011), with a percentile bootstrap interval over units.
* ``"kappa"`` — Cohen's κ for each pair of raters, unweighted and with linear and quadratic agreement weights,
  as R ``psych::cohen.kappa``, with the large-sample variance of Fleiss, Cohen & Everitt (1969) (psych's for
  unweighted κ; for weighted κ the paper's, as statsmodels, see :func:`cohen_kappa`).
* ``"fleiss"`` — Fleiss' κ (1971) from the subject × level counts, P_i = (Σ_j n_ij² − n_i)/(n_i(n_i − 1)),
  with a bootstrap interval over subjects; subjects may have different numbers of raters (≥ 2).
* ``"rwg"`` — within-group agreement r_wg(j) of James, Demaree & Wolf (1984) per subject over the items:
  J(1 − s̄²/σ²_E)/(J(1 − s̄²/σ²_E) + s̄²/σ²_E) with σ²_E = (A² − 1)/12 the variance of a uniform answer over
  A levels; set to 0 when the observed variance exceeds it (LeBreton & Senter 2008).

References
----------
Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations. *Psychological Bulletin*, 86, 420–428.
McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass correlation coefficients.
*Psychological Methods*, 1, 30–46. Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Large sample standard errors of kappa and weighted kappa.
*Psychological Bulletin*, 72, 323–327. James, L. R., Demaree, R. G. & Wolf, G. (1984). *Journal of Applied
Psychology*, 69, 85–98. LeBreton, J. M. & Senter, J. L. (2008). *Organizational Research Methods*, 11, 815–852.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from .._i18n import given_or_block_lang, tr
from ._common import check_choice, check_confidence
from ._pairs import as_frame
from ._ratings import Ratings, level_codes, ratings_cube
from ._tables import resolve_levels

__all__ = [
    "AGREEMENT_METHODS",
    "FLEISS_COLUMNS",
    "ICC_COLUMNS",
    "KAPPA_COLUMNS",
    "KRIPPENDORFF_COLUMNS",
    "RWG_COLUMNS",
    "agreement",
    "icc_table",
    "krippendorff_alpha",
    "rwg_j",
]

AGREEMENT_METHODS = ("icc", "krippendorff", "kappa", "fleiss", "rwg")
METRICS = ("nominal", "ordinal", "interval")
ICC_TYPES = ("ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k")
ICC_DESCRIPTIONS = (
    "Single_raters_absolute",
    "Single_random_raters",
    "Single_fixed_raters",
    "Average_raters_absolute",
    "Average_random_raters",
    "Average_fixed_raters",
)
ICC_COLUMNS = [
    "item",
    "type",
    "description",
    "icc",
    "F",
    "df1",
    "df2",
    "p",
    "ci_low",
    "ci_high",
    "n_subjects",
    "n_raters",
    "n_incomplete",
    "note",
]
KRIPPENDORFF_COLUMNS = ["item", "metric", "alpha", "ci_low", "ci_high", "n_units", "n_values", "n_raters", "note"]
KAPPA_COLUMNS = ["item", "rater_a", "rater_b", "weights", "kappa", "se", "ci_low", "ci_high", "n", "note"]
FLEISS_COLUMNS = ["item", "kappa", "ci_low", "ci_high", "n_subjects", "n_ratings", "raters_min", "raters_max", "note"]
RWG_COLUMNS = ["n_raters", "n_items", "mean_variance", "expected_variance", "rwg_j", "note"]


# -- ICC ---------------------------------------------------------------------------------------------------


def _sums_of_squares(ratings: Ratings) -> tuple[np.ndarray, ...]:
    """Per item, on the subjects every rater answered: n, and the total, subjects' and raters' sums of squares.

    Integer codes (levels 1–5) are summed exactly in integers; other values are shifted by one of their own
    answers first so that the float sums lose no precision.
    """
    k = ratings.n_raters
    if ratings.codes is not None:
        # one (subjects × items) slice per rater: k cheap passes instead of reductions across the rater axis
        slices = [ratings.codes[:, r, :] for r in range(k)]
        complete = slices[0] >= 0
        for codes in slices[1:]:
            complete &= codes >= 0
        row_sums = np.zeros(complete.shape, dtype=np.int32)
        raw_total = np.zeros(complete.shape[1])
        columns = np.empty((k, complete.shape[1]))
        for r, codes in enumerate(slices):
            x = np.where(complete, codes, np.int8(0)).astype(np.int32)
            row_sums += x
            columns[r] = x.sum(axis=0, dtype=np.int64)
            raw_total += (x * x).sum(axis=0, dtype=np.int64)
        total = row_sums.sum(axis=0, dtype=np.int64).astype(float)
        raw_subjects = (row_sums.astype(np.int64) ** 2).sum(axis=0).astype(float)
    else:
        values = ratings.values
        complete = ~np.isnan(values).any(axis=1)
        shift = np.array(
            [
                values[np.flatnonzero(complete[:, j])[0], 0, j] if complete[:, j].any() else 0.0
                for j in range(values.shape[2])
            ]
        )
        shifted = np.where(complete[:, None, :], values - shift, 0.0)
        rows = shifted.sum(axis=1)
        total = rows.sum(axis=0)
        raw_total = np.einsum("srj,srj->j", shifted, shifted)
        raw_subjects = np.einsum("sj,sj->j", rows, rows)
        columns = shifted.sum(axis=0)
    n = complete.sum(axis=0).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        correction = total**2 / (n * k)
        ss_total = raw_total - correction
        ss_subjects = raw_subjects / k - correction
        ss_raters = np.einsum("rj,rj->j", columns, columns) / n - correction
    return n, complete, ss_total, ss_subjects, ss_raters


def _mean_squares(ratings: Ratings) -> tuple[np.ndarray, ...]:
    """MSB, MSJ, MSE, MSW and n of every item (two-way ANOVA without interaction), all items at once."""
    k = ratings.n_raters
    n, complete, ss_total, ss_subjects, ss_raters = _sums_of_squares(ratings)
    with np.errstate(invalid="ignore", divide="ignore"):
        ss_error = np.maximum(ss_total - ss_subjects - ss_raters, 0.0)
        msb, msj = ss_subjects / (n - 1), ss_raters / (k - 1)
        mse = ss_error / ((n - 1) * (k - 1))
        msw = (ss_raters + ss_error) / (n * (k - 1))
    return msb, msj, mse, msw, n, complete


def _icc_intervals(
    msb: float, msj: float, mse: float, msw: float, n: int, k: int, alpha: float
) -> list[tuple[float, float]]:
    """psych::ICC's intervals of the six forms (McGraw & Wong 1996; ICC2 by Satterthwaite's df)."""
    f11, f21 = msb / msw, msb / mse
    d1n, d1d, d2n, d2d = n - 1, n * (k - 1), n - 1, (n - 1) * (k - 1)
    upper = 1 - alpha / 2
    f1l, f1u = f11 / sps.f.ppf(upper, d1n, d1d), f11 * sps.f.ppf(upper, d1d, d1n)
    f3l, f3u = f21 / sps.f.ppf(upper, d2n, d2d), f21 * sps.f.ppf(upper, d2d, d2n)
    icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
    fj = msj / mse
    vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    fu, fl = sps.f.ppf(upper, n - 1, v), sps.f.ppf(upper, v, n - 1)
    base = k * msj + (k * n - k - n) * mse
    l2 = n * (msb - fu * mse) / (fu * base + n * msb)
    u2 = n * (fl * msb - mse) / (base + n * fl * msb)
    return [
        ((f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)),
        (l2, u2),
        ((f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)),
        (1 - 1 / f1l, 1 - 1 / f1u),
        (l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
        (1 - 1 / f3l, 1 - 1 / f3u),
    ]


def icc_table(
    msb: Any, msj: Any, mse: Any, msw: Any, n: Any, k: int, confidence: float = 0.95
) -> dict[str, np.ndarray]:
    """The six Shrout–Fleiss ICCs from mean squares (scalars or one value per item), as psych::ICC.

    Returns arrays of shape (6, items): ``icc, F, df1, df2, p, ci_low, ci_high`` in psych's order of forms.
    """
    msb, msj, mse, msw, n = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (msb, msj, mse, msw, n))
    one_way = np.array([True, False, False, True, False, False])[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.array(
            [
                (msb - msw) / (msb + (k - 1) * msw),
                (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n),
                (msb - mse) / (msb + (k - 1) * mse),
                (msb - msw) / msb,
                (msb - mse) / (msb + (msj - mse) / n),
                (msb - mse) / msb,
            ]
        )
        intervals = _icc_intervals(msb, msj, mse, msw, n, k, 1 - confidence)
        f = np.where(one_way, msb / msw, msb / mse)
        df1 = np.broadcast_to(n - 1, f.shape)
        df2 = np.where(one_way, n * (k - 1), (n - 1) * (k - 1))
        p = sps.f.sf(f, df1, df2)
    return {
        "icc": values,
        "F": f,
        "df1": df1,
        "df2": df2,
        "p": p,
        "ci_low": np.array([low for low, _ in intervals]),
        "ci_high": np.array([high for _, high in intervals]),
    }


def _one_way_unbalanced(values: np.ndarray, confidence: float, lang: str) -> list[dict[str, Any]]:
    """ICC(1) of every item from the one-way ANOVA of all subjects with ≥ 2 answers (unequal numbers of raters).

    MSB = Σ nᵢ(ȳᵢ − ȳ)²/(g − 1), MSW = ΣΣ(y − ȳᵢ)²/(N − g), n₀ = (N − Σnᵢ²/N)/(g − 1) and
    ICC(1) = (MSB − MSW)/(MSB + (n₀ − 1)MSW) (Shrout & Fleiss 1979 with Snedecor's n₀); the interval is the
    balanced formula with n₀ in place of k, an approximation.
    """
    answered = ~np.isnan(values)
    counts = answered.sum(axis=1).astype(float)
    use = counts >= 2
    sums = np.where(use, np.nansum(values, axis=1), 0.0)
    squares = np.where(use, np.nansum(values**2, axis=1), 0.0)
    n_i = np.where(use, counts, 0.0)
    big_n, g = n_i.sum(axis=0), use.sum(axis=0).astype(float)
    rows = []
    with np.errstate(invalid="ignore", divide="ignore"):
        between = np.where(use, sums**2 / np.where(use, n_i, 1.0), 0.0).sum(axis=0)
        msb = (between - sums.sum(axis=0) ** 2 / big_n) / (g - 1)
        msw = (squares.sum(axis=0) - between) / (big_n - g)
        n0 = (big_n - (n_i**2).sum(axis=0) / big_n) / (g - 1)
        for j in range(values.shape[2]):
            f, df1, df2 = msb[j] / msw[j], g[j] - 1, big_n[j] - g[j]
            upper = 1 - (1 - confidence) / 2
            low, high = f / sps.f.ppf(upper, df1, df2), f * sps.f.ppf(upper, df2, df1)
            rows.append(
                {
                    "type": "ICC1u",
                    "description": "Single_raters_absolute_unbalanced",
                    "icc": (msb[j] - msw[j]) / (msb[j] + (n0[j] - 1) * msw[j]),
                    "F": f,
                    "df1": int(df1),
                    "df2": int(df2),
                    "p": float(sps.f.sf(f, df1, df2)),
                    "ci_low": (low - 1) / (low + n0[j] - 1),
                    "ci_high": (high - 1) / (high + n0[j] - 1),
                    "n_subjects": int(g[j]),
                    "note": tr("waves.note_icc_unbalanced", lang, n0=f"{n0[j]:.2f}"),
                }
            )
    return rows


def _icc_note(k: int, n: int, msb: float, msw: float, lang: str) -> str:
    if k < 2:
        return tr("waves.note_one_rater", lang)
    if n < 2:
        return tr("waves.note_icc_few_complete", lang, n=n, k=k)
    if msb == 0 and msw == 0:
        return tr("waves.note_constant", lang)
    return ""


def _icc(ratings: Ratings, confidence: float, lang: str) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    k = ratings.n_raters
    msb, msj, mse, msw, n, complete = _mean_squares(ratings)
    forms = icc_table(msb, msj, mse, msw, n, k, confidence) if k > 1 else {}
    answered = (ratings.codes >= 0).any(axis=1) if ratings.codes is not None else ~np.isnan(ratings.values).all(axis=1)
    incomplete_counts = (answered & ~complete).sum(axis=0)
    unbalanced = _one_way_unbalanced(ratings.values, confidence, lang) if k > 1 and incomplete_counts.any() else []
    for j, item in enumerate(ratings.items):
        base = {"item": item, "n_subjects": int(n[j]), "n_raters": k, "n_incomplete": int(incomplete_counts[j])}
        note = _icc_note(k, int(n[j]), msb[j], msw[j], lang)
        if note:
            rows.extend(
                {**base, "type": t, "description": d, "note": note} for t, d in zip(ICC_TYPES, ICC_DESCRIPTIONS)
            )
            continue
        incomplete = tr("waves.note_icc_incomplete", lang, n=base["n_incomplete"]) if base["n_incomplete"] else ""
        for i, (kind, description) in enumerate(zip(ICC_TYPES, ICC_DESCRIPTIONS)):
            extra = tr("waves.note_icc_nested", lang) if ratings.nested and kind[:4] in ("ICC2", "ICC3") else ""
            rows.append(
                {
                    **base,
                    "type": kind,
                    "description": description,
                    **{key: float(forms[key][i, j]) for key in ("icc", "F", "p", "ci_low", "ci_high")},
                    "df1": int(forms["df1"][i, j]),
                    "df2": int(forms["df2"][i, j]),
                    "note": "; ".join(p for p in (incomplete, extra) if p),
                }
            )
        if base["n_incomplete"] and unbalanced and unbalanced[j]["n_subjects"] >= 2:
            rows.append({**base, **unbalanced[j]})
    return pd.DataFrame(rows, columns=ICC_COLUMNS)


def _item_codes(ratings: Ratings, j: int, levels: Sequence[Any] | None) -> tuple[np.ndarray, np.ndarray]:
    """Item ``j``'s (subjects × raters) codes into its level values, and those values.

    Integer levels reuse the cube's codes (shifted onto the declared levels); anything else is coded from the
    values (:func:`level_codes`, which names a value outside the levels).
    """
    if ratings.codes is not None:
        item = np.ascontiguousarray(ratings.codes[:, :, j])
        top = int(item.max())
        if levels is None:
            return item.astype(np.int64), np.arange(ratings.low, ratings.low + top + 1, dtype=float)
        declared = np.asarray(sorted(float(v) for v in levels))
        whole = declared.size > 0 and bool(np.all(declared == np.floor(declared)))
        if (
            whole
            and np.all(np.diff(declared) == 1)
            and declared[0] <= ratings.low
            and ratings.low + top <= declared[-1]
        ):
            offset = ratings.low - int(declared[0])
            return np.where(item >= 0, item.astype(np.int64) + offset, -1), declared
    return level_codes(np.ascontiguousarray(ratings.values[:, :, j]), levels)


# -- Krippendorff's alpha ------------------------------------------------------------------------------------


def _unit_counts(codes: np.ndarray, n_values: int) -> np.ndarray:
    """(units, values) counts of each value per unit, only for units with at least two values."""
    by_rater = np.ascontiguousarray(codes.T)  # each rater's answers contiguous
    if n_values * by_rater.shape[0] <= 64:
        # few raters and levels: one comparison per rater and level beats scattering every answer
        counts = np.zeros((n_values, codes.shape[0]))
        for v in range(n_values):
            for answers in by_rater:
                counts[v] += answers == v
        counts = counts.T
    else:
        units = np.tile(np.arange(codes.shape[0]), by_rater.shape[0])
        flat = by_rater.ravel()
        keep = flat >= 0
        flat_counts = np.bincount(units[keep] * n_values + flat[keep], minlength=codes.shape[0] * n_values)
        counts = flat_counts.reshape(codes.shape[0], n_values).astype(float)
    return counts[counts.sum(axis=1) >= 2]


def _delta(metric: str, domain: np.ndarray, marginals: np.ndarray) -> np.ndarray:
    if metric == "nominal":
        return 1.0 - np.eye(domain.size)
    if metric == "interval":
        return (domain[:, None] - domain[None, :]) ** 2
    cumulative = np.cumsum(marginals)
    index = np.arange(domain.size)
    low, high = np.minimum.outer(index, index), np.maximum.outer(index, index)
    # Σ_{g=c..k} n_g − (n_c + n_k)/2 for c ≤ k
    span = cumulative[high] - cumulative[low] + (marginals[low] - marginals[high]) / 2.0
    return span**2


def _alpha_from(coincidence: np.ndarray, metric: str, domain: np.ndarray) -> float:
    marginals = coincidence.sum(axis=1)
    n = marginals.sum()
    delta = _delta(metric, domain, marginals)
    expected = float(marginals @ delta @ marginals)
    if expected <= 0:
        return np.nan
    return 1.0 - (n - 1.0) * float(np.sum(coincidence * delta)) / expected


def krippendorff_alpha(codes: np.ndarray, domain: np.ndarray, metric: str) -> tuple[float, np.ndarray]:
    """α of a units × raters matrix of codes (−1 = missing) and the per-unit counts it came from."""
    counts = _unit_counts(codes, domain.size)
    if counts.shape[0] == 0:
        return np.nan, counts
    scaled = counts / (counts.sum(axis=1, keepdims=True) - 1.0)
    coincidence = scaled.T @ counts - np.diag(scaled.sum(axis=0))
    return _alpha_from(coincidence, metric, domain), counts


def _bootstrap_alpha(
    counts: np.ndarray, metric: str, domain: np.ndarray, n_boot: int, confidence: float, rng: np.random.Generator
) -> tuple[float, float]:
    units, v = counts.shape
    scaled = counts / (counts.sum(axis=1, keepdims=True) - 1.0)
    per_unit = (scaled[:, :, None] * counts[:, None, :]).reshape(units, v * v)
    diagonal = np.zeros((v, v))
    estimates = np.empty(n_boot)
    for b in range(n_boot):
        weights = np.bincount(rng.integers(0, units, units), minlength=units).astype(float)
        coincidence = (weights @ per_unit).reshape(v, v)
        np.fill_diagonal(diagonal, weights @ scaled)
        estimates[b] = _alpha_from(coincidence - diagonal, metric, domain)
    estimates = estimates[np.isfinite(estimates)]
    if estimates.size == 0:
        return np.nan, np.nan
    tail = (1 - confidence) / 2
    low, high = np.quantile(estimates, [tail, 1 - tail])
    return float(low), float(high)


def _krippendorff(
    ratings: Ratings,
    levels: Sequence[Any] | None,
    metric: str,
    n_boot: int,
    confidence: float,
    seed: int | None,
    lang: str,
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for j, item in enumerate(ratings.items):
        codes, domain = _item_codes(ratings, j, levels)
        alpha, counts = krippendorff_alpha(codes, domain, metric)
        row: dict[str, Any] = {
            "item": item,
            "metric": metric,
            "alpha": alpha,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n_units": int(counts.shape[0]),
            "n_values": int(counts.sum()),
            "n_raters": ratings.n_raters,
            "note": "",
        }
        if counts.shape[0] == 0:
            row["note"] = tr("waves.note_no_two_answers", lang)
        elif not np.isfinite(alpha):
            row["note"] = tr("waves.note_constant", lang)
        elif n_boot:
            row["ci_low"], row["ci_high"] = _bootstrap_alpha(counts, metric, domain, n_boot, confidence, rng)
        rows.append(row)
    return pd.DataFrame(rows, columns=KRIPPENDORFF_COLUMNS)


# -- Cohen's and Fleiss' kappa ---------------------------------------------------------------------------------


def _kappa_weights(kind: str, size: int) -> np.ndarray:
    distance = np.abs(np.subtract.outer(np.arange(size), np.arange(size))).astype(float)
    if kind == "unweighted":
        return np.eye(size)
    scale = max(size - 1, 1)
    return 1.0 - (distance / scale if kind == "linear" else distance**2 / scale**2)


def cohen_kappa(table: np.ndarray, weights: np.ndarray) -> tuple[float, float]:
    """κ (weighted by agreement ``weights``) and its large-sample variance (Fleiss, Cohen & Everitt 1969).

    κ and the unweighted variance are those of R ``psych::cohen.kappa``. For weighted κ psych builds the
    marginal weights w̄.ⱼ from the row shares at the wrong index (its variance can even come out negative,
    and is then reported as 0); here w̄ᵢ. = Σⱼ p.ⱼ wᵢⱼ and w̄.ⱼ = Σᵢ pᵢ. wᵢⱼ as in the paper — the same
    numbers as ``statsmodels.stats.inter_rater.cohens_kappa``.
    """
    total = table.sum()
    x = table / total
    rows, cols = x.sum(axis=1), x.sum(axis=0)
    po, pc = float(np.sum(weights * x)), float(np.sum(weights * np.outer(rows, cols)))
    by_row, by_col = weights @ cols, rows @ weights
    term = x * (weights * (1 - pc) - np.add.outer(by_row, by_col) * (1 - po)) ** 2
    variance = (term.sum() - (po * pc - 2 * pc + po) ** 2) / (total * (1 - pc) ** 4)
    kappa = (po - pc) / (1 - pc) if pc < 1 else np.nan
    return float(kappa), float(max(variance, 0.0))


def _kappa(ratings: Ratings, levels: Sequence[Any] | None, confidence: float, lang: str) -> pd.DataFrame:
    quantile = sps.norm.ppf(0.5 + confidence / 2)
    rows = []
    for j, item in enumerate(ratings.items):
        codes, domain = _item_codes(ratings, j, levels)
        for a, b in combinations(range(ratings.n_raters), 2):
            both = (codes[:, a] >= 0) & (codes[:, b] >= 0)
            table = (
                np.bincount(codes[both, a] * domain.size + codes[both, b], minlength=domain.size**2)
                .reshape(domain.size, domain.size)
                .astype(float)
            )
            for kind in ("unweighted", "linear", "quadratic"):
                row: dict[str, Any] = {
                    "item": item,
                    "rater_a": ratings.raters[a],
                    "rater_b": ratings.raters[b],
                    "weights": kind,
                    "n": int(both.sum()),
                    "note": "",
                }
                if both.sum() < 2:
                    row["note"] = tr("waves.note_kappa_few", lang)
                elif np.count_nonzero(table.sum(axis=0) + table.sum(axis=1)) < 2:
                    row["note"] = tr("waves.note_kappa_constant", lang)
                else:
                    kappa, variance = cohen_kappa(table, _kappa_weights(kind, domain.size))
                    se = np.sqrt(variance)
                    row.update(
                        kappa=kappa,
                        se=se,
                        ci_low=max(kappa - quantile * se, -1.0),
                        ci_high=min(kappa + quantile * se, 1.0),
                    )
                rows.append(row)
    return pd.DataFrame(rows, columns=KAPPA_COLUMNS)


def fleiss_from_counts(counts: np.ndarray) -> float:
    """Fleiss' κ of a subjects × categories table of counts (subjects with ≥ 2 ratings)."""
    n_i = counts.sum(axis=1)
    agreement = (np.sum(counts**2, axis=1) - n_i) / (n_i * (n_i - 1.0))
    shares = counts.sum(axis=0) / n_i.sum()
    expected = float(np.sum(shares**2))
    return (float(agreement.mean()) - expected) / (1.0 - expected) if expected < 1 else np.nan


def _fleiss(
    ratings: Ratings, levels: Sequence[Any] | None, n_boot: int, confidence: float, seed: int | None, lang: str
) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for j, item in enumerate(ratings.items):
        codes, domain = _item_codes(ratings, j, levels)
        counts = _unit_counts(codes, domain.size)
        n_i = counts.sum(axis=1)
        row: dict[str, Any] = {
            "item": item,
            "kappa": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "n_subjects": int(counts.shape[0]),
            "n_ratings": int(n_i.sum()),
            "raters_min": int(n_i.min()) if n_i.size else 0,
            "raters_max": int(n_i.max()) if n_i.size else 0,
            "note": "",
        }
        if counts.shape[0] == 0:
            row["note"] = tr("waves.note_no_two_answers", lang)
        else:
            row["kappa"] = fleiss_from_counts(counts)
            if not np.isfinite(row["kappa"]):
                row["note"] = tr("waves.note_constant", lang)
            elif n_boot:
                draws = [
                    fleiss_from_counts(counts[rng.integers(0, counts.shape[0], counts.shape[0])]) for _ in range(n_boot)
                ]
                finite = np.asarray(draws)[np.isfinite(draws)]
                tail = (1 - confidence) / 2
                if finite.size:
                    row["ci_low"], row["ci_high"] = (float(q) for q in np.quantile(finite, [tail, 1 - tail]))
            if n_i.size and n_i.min() != n_i.max():
                row["note"] = tr("waves.note_fleiss_unequal", lang)
        rows.append(row)
    return pd.DataFrame(rows, columns=FLEISS_COLUMNS)


# -- r_wg(j) -------------------------------------------------------------------------------------------------


def rwg_j(values: np.ndarray, n_levels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """r_wg(j) per subject of a (subjects × raters × items) cube, with the items counted and s̄²."""
    count = np.sum(~np.isnan(values), axis=1)
    usable = count >= 2
    with np.errstate(invalid="ignore", divide="ignore"):
        variances = np.where(usable, np.nanvar(np.where(usable[:, None, :], values, np.nan), axis=1, ddof=1), np.nan)
        items = usable.sum(axis=1)
        mean_variance = np.nanmean(np.where(usable, variances, np.nan), axis=1) if values.size else np.zeros(0)
        expected = (n_levels**2 - 1) / 12.0
        ratio = np.minimum(mean_variance / expected, 1.0)
        rwg = items * (1 - ratio) / (items * (1 - ratio) + ratio)
    return np.where(items > 0, rwg, np.nan), items, mean_variance


def _rwg(ratings: Ratings, levels: Sequence[Any] | None, lang: str) -> pd.DataFrame:
    import warnings

    n_levels = len(levels) if levels is not None else int(np.unique(ratings.values[~np.isnan(ratings.values)]).size)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        rwg, items, mean_variance = rwg_j(ratings.values, n_levels)
    expected = (n_levels**2 - 1) / 12.0
    raters = np.max(np.sum(~np.isnan(ratings.values), axis=1), axis=1) if ratings.values.size else np.zeros(0)
    notes = np.where(
        raters < 2,
        tr("waves.note_one_respondent", lang),
        np.where(mean_variance > expected, tr("waves.note_rwg_above_uniform", lang), ""),
    )
    table = ratings.subjects.copy()
    table["n_raters"] = raters.astype(int)
    table["n_items"] = items.astype(int)
    table["mean_variance"] = mean_variance
    table["expected_variance"] = expected
    table["rwg_j"] = rwg
    table["note"] = notes
    return table


def agreement(
    data: Any,
    items: Any = None,
    *,
    subject: str | Sequence[str] = "enterprise_id",
    rater: str = "respondent_id",
    method: str = "icc",
    metric: str = "ordinal",
    levels: Any = None,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int | None = 0,
    lang: str | None = None,
) -> pd.DataFrame:
    """Agreement between the respondents (raters) of each enterprise (subject), per item or scale.

    Parameters
    ----------
    data : DataFrame
        One row per response: the subject and rater columns and the item columns (levels or scores).
    items : str, list of str or Rubric
    subject : str or list of str
        What is rated: ``"enterprise_id"``, or ``["enterprise_id", "wave"]`` for a panel.
    rater : str
        Who rates: a respondent id (raters nested in enterprises: the columns become the 1st, 2nd…
        respondent) or a role (the same roles in every enterprise: crossed raters).
    method : {"icc", "krippendorff", "kappa", "fleiss", "rwg"}
    metric : {"nominal", "ordinal", "interval"}
        Krippendorff's α only.
    levels : list or Rubric, optional
        Declared levels (κ, α, Fleiss' κ and r_wg's uniform null use them); default: the values observed
        (r_wg: the rubric's five levels are strongly recommended).
    n_boot, confidence, seed
        Bootstrap replicates (0 = none), level and seed of the intervals of α and Fleiss' κ.
    lang : {"vi", "en"}, optional
        Language of the notes (default ``DXLAB_LANG``, else Vietnamese).

    Returns
    -------
    DataFrame
        ``icc``: ``item, type, description, icc, F, df1, df2, p, ci_low, ci_high, n_subjects, n_raters,
        n_incomplete, note`` (six rows per item, psych's order, and ``ICC1u`` when subjects lack answers);
        ``krippendorff``: ``item, metric, alpha,
        ci_low, ci_high, n_units, n_values, n_raters, note``; ``kappa``: ``item, rater_a, rater_b, weights,
        kappa, se, ci_low, ci_high, n, note`` (unweighted, linear, quadratic for every pair of raters);
        ``fleiss``: ``item, kappa, ci_low, ci_high, n_subjects, n_ratings, raters_min, raters_max, note``;
        ``rwg``: the subject column(s), then ``n_raters, n_items, mean_variance, expected_variance, rwg_j,
        note`` — one row per subject over all ``items``.

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel("mobifone-dx", n=300, seed=1)
    >>> t = dxlab.stats.agreement(panel[panel.wave == "T0"], ["CUS.ENG.1"], method="krippendorff", n_boot=0)
    >>> t[["item", "metric"]].iloc[0].tolist()
    ['CUS.ENG.1', 'ordinal']
    """
    check_choice("method", method, AGREEMENT_METHODS)
    check_choice("metric", metric, METRICS)
    confidence = check_confidence(confidence)
    lang = given_or_block_lang(lang)
    if not isinstance(n_boot, (int, np.integer)) or isinstance(n_boot, bool) or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number ≥ 0, not {n_boot!r}")
    frame, names, implied = as_frame(data, items)
    declared = resolve_levels(frame, names, levels) if levels is not None else implied
    ratings = ratings_cube(frame, names, subject, rater)
    if method == "icc":
        return _icc(ratings, confidence, lang)
    if method == "krippendorff":
        return _krippendorff(ratings, declared, metric, n_boot, confidence, seed, lang)
    if method == "kappa":
        return _kappa(ratings, declared, confidence, lang)
    if method == "fleiss":
        return _fleiss(ratings, declared, n_boot, confidence, seed, lang)
    return _rwg(ratings, declared, lang)
