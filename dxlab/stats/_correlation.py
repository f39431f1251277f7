"""Correlations of every item pair — Spearman, Kendall τ-b, polychoric, Pearson — from the pair tables.

Why our own: ``scipy.stats.spearmanr`` ranks a million rows per column and has no pairwise deletion,
``DataFrame.corr("kendall")`` runs an O(n log n) pass per pair, and Python has no polychoric at all. For
ordinal items every one of these is a function of the item × item tables (:mod:`._tables`): mid-ranks
come from the margins, concordant and discordant pairs from cumulative sums of the cells. So all pairs cost
one matrix product, pairwise deletion is automatic, and the numbers equal SciPy's on the same rows.

Tests, standard errors and intervals (the ``se`` column is the one the test divides by, so
``statistic = r / se``):

* Pearson and Spearman: t = r·√((n−2)/(1−r²)) on n − 2 df (as ``scipy.stats.pearsonr``/``spearmanr``);
  CI by Fisher's z with SE 1/√(n−3) for Pearson and Bonett & Wright's √((1 + r²/2)/(n−3)) for Spearman.
* Kendall τ-b: the normal approximation with the tie-corrected variance of S = C − D (Kendall 1970; as
  ``scipy.stats.kendalltau(method="asymptotic")``); CI by Fisher's z with SE √(0.437/(n−4)) (Fieller,
  Hartley & Pearson 1957).
* Polychoric: Wald z = r/SE with the two-step standard error (:mod:`._polychoric`); CI on Fisher's z
  scale, SE_z = SE/(1 − r²), so it stays inside (−1, 1).

With ``weights`` (Pearson and polychoric only — rank correlations have no agreed weighted form), the
estimate uses weighted counts and the tests use each pair's Kish effective size (Σw)²/Σw² in place of n.

References
----------
Bonett, D. G. & Wright, T. A. (2000). Sample size requirements for estimating Pearson, Kendall and
Spearman correlations. *Psychometrika*, 65, 23–28.
Fieller, E. C., Hartley, H. O. & Pearson, E. S. (1957). Tests for rank correlation coefficients I.
*Biometrika*, 44, 470–481.
Kendall, M. G. (1970). *Rank Correlation Methods* (4th ed.). Griffin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import ndtri

from ._adjust import adjust_pvalues, check_adjust
from ._common import (
    check_choice,
    check_columns,
    check_confidence,
    encode_items,
    inferred_levels_note,
    join_notes,
    levels_from,
    note,
    renamed_arguments,
)
from ._exact import KENDALL_EXACT_MAX_N, kendall_exact_p, spearman_exact_p
from ._polychoric import CORRECT_RULES, THRESHOLDS, fit_polychoric, margin_thresholds
from ._smooth import smooth_correlation, smooth_note
from ._source import as_frame_or_source, group_rows
from ._tables import (
    Encoded,
    all_answered,
    encode_groups,
    over_row_spans,
    pair_moments,
    pair_tables,
    pair_weights,
    prefetch_tables,
    resolve_items,
    resolve_weights,
    shared_levels,
)

__all__ = ["METHODS", "PairStats", "correlation_matrix", "correlations", "pair_statistics"]

METHODS = ("spearman", "kendall", "polychoric", "tetrachoric", "pearson")
COLUMNS = ["item_x", "item_y", "method", "n", "r", "se", "ci_low", "ci_high", "p", "p_adj", "note"]
MATRIX_VALUES = ("r", "se", "n", "p", "p_adj", "ci_low", "ci_high")


@dataclass(frozen=True)
class PairStats:
    """Per-pair results for the upper triangle ``(i, j)``, ``i < j``, of ``items``."""

    items: tuple[str, ...]
    i: np.ndarray
    j: np.ndarray
    n: np.ndarray  # rows with both answered
    n_test: np.ndarray  # n, or the Kish effective n with weights
    r: np.ndarray
    se: np.ndarray
    p: np.ndarray
    ci_low: np.ndarray
    ci_high: np.ndarray
    note: list[str]


def _pair_rows(enc: Encoded, weights: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Rows with both items answered, and (weighted data) the Kish effective number of them."""
    n, sw, sw2 = pair_weights(enc, weights)
    if weights is None:
        return n, n
    with np.errstate(invalid="ignore", divide="ignore"):
        n_eff = np.where(sw2 > 0, sw * sw / sw2, 0.0)
    return n, n_eff


def _fisher_ci(r: np.ndarray, se_z: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    q = ndtri(0.5 + confidence / 2.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.arctanh(np.clip(r, -1.0, 1.0))
        return np.tanh(z - q * se_z), np.tanh(z + q * se_z)


def _snap(r: np.ndarray) -> np.ndarray:
    """±1 computed as ±0.9999999999999998 is ±1: rounding must not turn a perfect correlation into p > 0."""
    return np.where(np.abs(np.abs(r) - 1.0) < 1e-12, np.sign(r), r)


def _t_test(r: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SE √((1−r²)/(n−2)) and the two-sided p of t = r/SE on n − 2 df."""
    df = n - 2.0
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt((1.0 - r * r) / df)
        t = r / se
    p = 2.0 * sps.t.sf(np.abs(t), df)
    p = np.where(np.abs(r) >= 1.0, 0.0, p)
    return np.where(df > 0, se, np.nan), np.where(df > 0, p, np.nan)


def _midranks(counts: np.ndarray) -> np.ndarray:
    """Mid-rank of each level given level counts ``(..., L)``: rows below + (count + 1)/2."""
    below = np.cumsum(counts, axis=-1) - counts
    return below + (counts + 1.0) / 2.0


def _spearman(tables: np.ndarray) -> np.ndarray:
    n = tables.sum(axis=(1, 2))
    rows, cols = tables.sum(axis=2), tables.sum(axis=1)
    mean = (n + 1.0) / 2.0
    rx = _midranks(rows) - mean[:, None]
    ry = _midranks(cols) - mean[:, None]
    cov = np.einsum("pab,pa,pb->p", tables, rx, ry)
    vx = np.einsum("pa,pa->p", rows, rx * rx)
    vy = np.einsum("pb,pb->p", cols, ry * ry)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(cov / np.sqrt(vx * vy), -1.0, 1.0)


def _kendall(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """τ-b and the SE under independence such that τ/SE is SciPy's asymptotic z."""
    n = tables.sum(axis=(1, 2))
    # cells strictly below-right (concordant with a cell) and below-left (discordant)
    suffix = np.flip(np.cumsum(np.cumsum(np.flip(tables, axis=(1, 2)), axis=1), axis=2), axis=(1, 2))
    below_right = np.zeros_like(tables)
    below_right[:, :-1, :-1] = suffix[:, 1:, 1:]
    down_cum = np.flip(np.cumsum(np.flip(tables, axis=1), axis=1), axis=1)  # rows ≥ a
    left = np.cumsum(down_cum, axis=2)  # rows ≥ a, columns ≤ b
    below_left = np.zeros_like(tables)
    below_left[:, :-1, 1:] = left[:, 1:, :-1]
    s = (tables * below_right).sum(axis=(1, 2)) - (tables * below_left).sum(axis=(1, 2))
    rows, cols = tables.sum(axis=2), tables.sum(axis=1)
    n0 = n * (n - 1.0) / 2.0
    xtie = (rows * (rows - 1.0) / 2.0).sum(axis=1)
    ytie = (cols * (cols - 1.0) / 2.0).sum(axis=1)
    x0 = (rows * (rows - 1.0) * (rows - 2.0)).sum(axis=1)
    y0 = (cols * (cols - 1.0) * (cols - 2.0)).sum(axis=1)
    x1 = (rows * (rows - 1.0) * (2.0 * rows + 5.0)).sum(axis=1)
    y1 = (cols * (cols - 1.0) * (2.0 * cols + 5.0)).sum(axis=1)
    m = n * (n - 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        denominator = np.sqrt((n0 - xtie) * (n0 - ytie))
        tau = np.clip(s / denominator, -1.0, 1.0)
        var_s = (m * (2.0 * n + 5.0) - x1 - y1) / 18.0 + 2.0 * xtie * ytie / m + x0 * y0 / (9.0 * m * (n - 2.0))
        se = np.sqrt(var_s) / denominator
    return tau, se


def _constancy_notes(tables_or_var: tuple[np.ndarray, np.ndarray], n: np.ndarray) -> list[str]:
    x_var, y_var = tables_or_var
    notes = []
    for nx, vx, vy in zip(n, x_var, y_var):
        if nx == 0:
            notes.append(note("no_rows_both_answered"))
        elif not vx and not vy:
            notes.append(note("both_constant"))
        elif not vx:
            notes.append(note("x_constant"))
        elif not vy:
            notes.append(note("y_constant"))
        else:
            notes.append("")
    return notes


def _spearman_complete(enc: Encoded) -> tuple[np.ndarray, np.ndarray]:
    """Spearman's ρ for items answered on every row: one product of centred mid-rank scores.

    With no missing answer every pair uses all rows, so each item's mid-ranks are global and ρ is the
    Pearson correlation of those scores — k² work per row instead of the (k·L)² of the pair tables.
    Returns ρ and whether each item varies.
    """
    k, n_levels, n = len(enc.items), enc.n_levels, enc.n_rows
    counts = np.stack([np.bincount(enc.codes[:, i], minlength=n_levels) for i in range(k)]).astype(float)
    centred = _midranks(counts) - (n + 1.0) / 2.0  # (k, L)
    offsets = (np.arange(k) * n_levels)[None, :]
    flat = centred.ravel()

    def span(lo: int, hi: int) -> np.ndarray:
        cross = np.zeros((k, k))
        for start in range(lo, hi, 16_384):
            scores = flat[offsets + enc.codes[start : min(start + 16_384, hi)]]
            cross += scores.T @ scores
        return cross

    cross = over_row_spans(n, 16_384, span)
    spread = np.sqrt(np.diag(cross))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.clip(cross / np.outer(spread, spread), -1.0, 1.0)
    return r, (counts > 0).sum(axis=1) > 1


def _check_dichotomous(enc: Encoded) -> None:
    if enc.n_levels != 2:
        raise ValueError(
            f"method='tetrachoric' needs items with exactly two levels; the levels are "
            f"{list(enc.levels)} — use method='polychoric' for more levels, or pass levels=(0, 1)"
        )


def _exact_spearman(
    r: np.ndarray,
    n_pair: np.ndarray,
    p: np.ndarray,
    notes: list[str],
    tables: np.ndarray | None,
    exact: bool | None,
    method: str = "spearman",
) -> np.ndarray:
    """Exact permutation p-values for pairs without ties, as R's ``cor.test`` by default: Spearman's ρ for
    n < 10, Kendall's τ for n < 50."""
    if exact is False:
        return p
    p = p.copy()
    limit, low = (10, 3) if method == "spearman" else (KENDALL_EXACT_MAX_N + 1, 2)
    ties = "ties_no_exact_t" if method == "spearman" else "ties_no_exact_normal"
    for position in np.flatnonzero((n_pair >= low) & (n_pair < limit) & np.isfinite(r)):
        tied = tables is None or (tables[position].sum(axis=1).max() > 1 or tables[position].sum(axis=0).max() > 1)
        if tied:
            if exact:
                notes[position] = join_notes(notes[position], note(ties))
            continue
        n = int(n_pair[position])
        if method == "spearman":
            p[position] = spearman_exact_p(float(r[position]), n)
        else:
            p[position] = kendall_exact_p(float(r[position]), n)
        notes[position] = join_notes(notes[position], note("exact_permutation", limit=limit))
    return p


def pair_statistics(
    data: pd.DataFrame,
    items: Any,
    method: str = "spearman",
    *,
    confidence: float = 0.95,
    weights: Any = None,
    levels: Any = None,
    thresholds: str | None = None,
    correct: float | None = None,
    correct_rule: str | None = None,
    exact: bool | None = None,
    encoded: Encoded | None = None,
) -> PairStats:
    """Correlation, SE, p and CI for every pair of ``items`` (the engine behind :func:`correlations`)."""
    data = as_frame_or_source(data)
    method = check_choice("method", method, METHODS)
    confidence = check_confidence(confidence)
    if thresholds is None:
        thresholds = "global" if method == "tetrachoric" else "pairwise"
    if correct_rule is None:  # psych::tetrachoric(global=FALSE) renormalises, psych::polychoric does not
        correct_rule = "dxlab" if method == "tetrachoric" else "psych"
    check_choice("thresholds", thresholds, THRESHOLDS)
    check_choice("correct_rule", correct_rule, CORRECT_RULES)
    if correct is None:
        correct = 0.5 if method == "tetrachoric" else 0.0
    enc = encoded if encoded is not None else encode_items(data, resolve_items(data, items), levels)
    w = resolve_weights(data, weights)
    if w is not None and method in ("spearman", "kendall"):
        raise ValueError(f"weights apply to method='pearson' or 'polychoric'; {method} has no standard weighted form")
    # a data source builds every table needed here (and the level counts of the levels note) in one pass
    wanted = [("levels", None), ("moments" if method == "pearson" else "pairs", w)]
    prefetch_tables(enc, wanted + ([("pair rows", w)] if w is not None else []))
    if method == "tetrachoric":
        _check_dichotomous(enc)
    k = len(enc.items)
    iu, ju = np.triu_indices(k, 1)
    if w is not None:
        n_rows, n_eff = _pair_rows(enc, w)
        n_pair, n_test = n_rows[iu, ju], n_eff[iu, ju]
    if method == "pearson":
        moments = pair_moments(enc, w)
        if w is None:
            n_pair = n_test = moments.n[iu, ju]
        r = _snap(moments.correlation()[iu, ju])
        with np.errstate(invalid="ignore", divide="ignore"):
            var = moments.sxx - moments.sx**2 / moments.n
        notes = _constancy_notes(
            (
                var[iu, ju] > 1e-12 * np.maximum(moments.n[iu, ju], 1),
                var.T[iu, ju] > 1e-12 * np.maximum(moments.n[iu, ju], 1),
            ),
            n_pair,
        )
        se, p = _t_test(r, n_test)
        with np.errstate(divide="ignore"):
            se_z = 1.0 / np.sqrt(np.maximum(n_test - 3.0, 0.0))
        ci_low, ci_high = _fisher_ci(r, se_z, confidence)
    elif method == "spearman" and w is None and all_answered(enc) and enc.n_rows >= 10:
        r_matrix, varies = _spearman_complete(enc)
        n_pair = n_test = np.full(iu.size, float(enc.n_rows))
        r = _snap(r_matrix[iu, ju])
        notes = _constancy_notes((varies[iu], varies[ju]), n_pair)
        se, p = _t_test(r, n_test)
        with np.errstate(invalid="ignore", divide="ignore"):
            se_z = np.sqrt((1.0 + r * r / 2.0) / np.maximum(n_test - 3.0, 0.0))
        ci_low, ci_high = _fisher_ci(r, se_z, confidence)
    else:
        full = pair_tables(enc, w)
        tables = full.transpose(0, 2, 1, 3)[iu, ju]
        if w is None:
            n_pair = n_test = tables.sum(axis=(1, 2))
        if method in ("polychoric", "tetrachoric"):
            if w is not None:
                total = tables.sum(axis=(1, 2))
                with np.errstate(invalid="ignore", divide="ignore"):
                    tables = tables * np.where(total > 0, n_test / total, 0.0)[:, None, None]
            row_cuts = col_cuts = None
            if thresholds == "global":
                tau = margin_thresholds(np.einsum("iaia->ia", full))
                row_cuts, col_cuts = tau[iu], tau[ju]
            fit = fit_polychoric(tables, row_cuts, col_cuts, correct=correct, correct_rule=correct_rule)
            r, se = fit.rho, fit.se
            notes = list(fit.note)
            with np.errstate(invalid="ignore", divide="ignore"):
                p = 2.0 * sps.norm.sf(np.abs(r / se))
                ci_low, ci_high = _fisher_ci(r, se / (1.0 - r * r), confidence)
            boundary = np.abs(r) >= 1.0
            ci_low = np.where(boundary, r, ci_low)
            ci_high = np.where(boundary, r, ci_high)
            p = np.where(boundary, 0.0, p)
        else:
            rows, cols = tables.sum(axis=2), tables.sum(axis=1)
            notes = _constancy_notes(((rows > 0).sum(axis=1) > 1, (cols > 0).sum(axis=1) > 1), n_pair)
            if method == "spearman":
                r = _snap(_spearman(tables))
                se, p = _t_test(r, n_test)
                if w is None:
                    p = _exact_spearman(r, n_pair, p, notes, tables, exact)
                with np.errstate(invalid="ignore", divide="ignore"):
                    se_z = np.sqrt((1.0 + r * r / 2.0) / np.maximum(n_test - 3.0, 0.0))
                ci_low, ci_high = _fisher_ci(r, se_z, confidence)
            else:
                r, se = _kendall(tables)
                r = _snap(r)
                with np.errstate(invalid="ignore", divide="ignore"):
                    p = 2.0 * sps.norm.sf(np.abs(r / se))
                    se_z = np.sqrt(0.437 / np.maximum(n_test - 4.0, 0.0))
                ci_low, ci_high = _fisher_ci(r, se_z, confidence)
                # |τ-b| = 1 with ties still has a finite z = S/√var(S): R's cor.test and SciPy give p > 0
                if w is None:
                    p = _exact_spearman(r, n_pair, p, notes, tables, exact, method="kendall")
    few = n_test < (5 if method == "kendall" else 4)
    for position in np.flatnonzero(few & np.isfinite(r)):
        notes[position] = join_notes(notes[position], note("few_pairs", n=f"{n_pair[position]:.0f}"))
    r = np.where(np.isfinite(r), r, np.nan)
    invalid = ~np.isfinite(r) | few
    se = np.where(invalid, np.nan, se)
    p = np.where(invalid, np.nan, p)
    ci_low = np.where(invalid, np.nan, ci_low)
    ci_high = np.where(invalid, np.nan, ci_high)
    for position in np.flatnonzero(~np.isfinite(r)):
        if not notes[position]:
            notes[position] = note("correlation_undefined")
    return PairStats(enc.items, iu, ju, n_pair, n_test, r, se, p, ci_low, ci_high, notes)


def _one_table(
    data: pd.DataFrame,
    items: list[str],
    *,
    method: str,
    adjust: str,
    confidence: float,
    weights: Any,
    levels: Any,
    thresholds: str | None,
    correct: float | None,
    correct_rule: str | None,
    exact: bool | None,
) -> pd.DataFrame:
    enc = encode_items(data, items, levels)
    result = pair_statistics(
        data,
        items,
        method,
        confidence=confidence,
        weights=weights,
        levels=levels,
        thresholds=thresholds,
        correct=correct,
        correct_rule=correct_rule,
        exact=exact,
        encoded=enc,
    )
    names = np.array(result.items, dtype=object)
    notes = list(result.note)
    level_note = inferred_levels_note(enc) if levels is None else ""
    if level_note:
        notes = [join_notes(note, level_note) for note in notes]
    return pd.DataFrame(
        {
            "item_x": names[result.i] if result.i.size else np.array([], dtype=object),
            "item_y": names[result.j] if result.j.size else np.array([], dtype=object),
            "method": method,
            "n": result.n.astype(np.int64),
            "r": result.r,
            "se": result.se,
            "ci_low": result.ci_low,
            "ci_high": result.ci_high,
            "p": result.p,
            "p_adj": adjust_pvalues(result.p, adjust),
            "note": notes,
        },
        columns=COLUMNS,
    )


def per_group(data: pd.DataFrame, by: Any, table: Any) -> pd.DataFrame:
    """``table(rows)`` for each group of ``by``, the group's key columns in front (rows without a key left out)."""
    groups = encode_groups(data, by)
    rows = group_rows(data, groups)
    parts = []
    for g in range(groups.n_groups):
        part = table(rows(g))
        for position, column in enumerate(groups.by):
            part.insert(position, column, groups.keys[column].iloc[g])
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(groups.by))
    for column in groups.by:
        if isinstance(groups.keys[column].dtype, pd.CategoricalDtype):
            frame[column] = pd.Categorical(frame[column], dtype=groups.keys[column].dtype)
    return frame


@renamed_arguments({}, positional=("method",))
def correlations(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    method: str = "spearman",
    adjust: str = "holm",
    confidence: float = 0.95,
    thresholds: str | None = None,
    correct: float | None = None,
    correct_rule: str | None = None,
    exact: bool | None = None,
) -> pd.DataFrame:
    """Correlation of every pair of items, as a long table with tests, intervals and adjusted p-values.

    Parameters
    ----------
    data : DataFrame
        One row per response, one column per item (levels as integers or ordered categories).
    items : list of str or Rubric
        The item columns (a rubric means all its criteria that are columns of ``data``, and its levels).
    by : str or list of str, optional
        One table per group, the group columns in front; ``p_adj`` adjusts within each group.
    weights : str or array, optional
        Row weights (Pearson, polychoric and tetrachoric only); tests use the Kish effective size.
    levels : sequence or Rubric, optional
        The ordered levels; default the rubric's, else every integer between the observed extremes.
    method : {"spearman", "kendall", "polychoric", "tetrachoric", "pearson"}
        Spearman's ρ and Kendall's τ-b use mid-ranks (tie-corrected); the polychoric correlation is the
        two-step estimate of the latent bivariate-normal correlation (see :mod:`._polychoric`); the
        tetrachoric correlation is its two-level case with psych's defaults (each item's own threshold
        τ = Φ⁻¹(share of the lower level) and ``correct=0.5``, as ``psych::tetrachoric``).
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}
        Correction of ``p`` over all pairs in the table (R ``p.adjust`` rules).
    confidence : float
        Level of the confidence interval.
    thresholds : {"pairwise", "global"}, optional
        Polychoric thresholds from each pair's table (R polycor) or each item's answers (R psych's default).
        Default "pairwise" for polychoric and "global" for tetrachoric (``psych::tetrachoric(global=TRUE)``).
    correct : float, optional
        Count put in empty cells before a polychoric fit. Default 0 for polychoric (the maximum-likelihood
        estimate, R polycor) and 0.5 for tetrachoric (psych). psych's default is ``correct=.5``, which
        ``psych::polychoric`` uses only with ``global=FALSE``: ``thresholds="pairwise", correct=0.5``
        reproduces it.
    correct_rule : {"psych", "dxlab"}, optional
        How thresholds follow a zero-cell correction (``thresholds="pairwise"`` only): "psych" — from the
        corrected cell shares over the original N, not renormalised (``psych::polychoric`` exactly);
        "dxlab" — from the corrected table's margins renormalised to 1 (which is what
        ``psych::tetrachoric(global=FALSE)`` does). Default: "psych" for polychoric, "dxlab" for tetrachoric,
        so each reproduces its psych function.
    exact : bool, optional
        Spearman and Kendall: the exact permutation p-value for pairs without ties, Spearman with n < 10,
        Kendall with n < 50 (None = when possible, R's ``cor.test`` default; False = always the t/normal
        approximation).

    Returns
    -------
    DataFrame
        ``[*by], item_x, item_y, method, n, r, se, ci_low, ci_high, p, p_adj, note`` — one row per pair
        ``item_x`` before ``item_y`` in item order. ``n`` counts rows where both are answered (pairwise
        deletion); ``note`` says why a value is missing or needs care.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=500, seed=1)
    >>> rubric = dxlab.load_rubric("mobifone-dx")
    >>> table = dxlab.stats.correlations(data, rubric, method="polychoric")
    >>> list(table.columns)
    ['item_x', 'item_y', 'method', 'n', 'r', 'se', 'ci_low', 'ci_high', 'p', 'p_adj', 'note']
    """
    data = as_frame_or_source(data)
    adjust = check_adjust(adjust)
    check_columns(data)
    levels = levels_from(items, levels)
    names = resolve_items(data, items)
    check_columns(data, names)
    options: dict[str, Any] = {
        "method": method,
        "adjust": adjust,
        "confidence": confidence,
        "weights": weights,
        "levels": levels,
        "thresholds": thresholds,
        "correct": correct,
        "correct_rule": correct_rule,
        "exact": exact,
    }
    if by is not None:
        if weights is not None and not isinstance(weights, str):
            raise ValueError("with by=, pass weights as a column name so each group keeps its own weights")
        if levels is None:  # a source's groups share the levels found once, unless each finds its own in its pass
            options["levels"] = shared_levels(data, names)
        return per_group(data, by, lambda rows: _one_table(rows, names, **options))
    return _one_table(data, names, **options)


@renamed_arguments({}, positional=("method",))
def correlation_matrix(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    method: str = "spearman",
    value: str = "r",
    adjust: str = "holm",
    confidence: float = 0.95,
    thresholds: str | None = None,
    correct: float | None = None,
    correct_rule: str | None = None,
    exact: bool | None = None,
    smooth: bool = False,
) -> pd.DataFrame:
    """The square items × items matrix of one column of :func:`correlations` (default ``r``).

    The diagonal holds 1 for ``r``/``ci_low``/``ci_high``, the item's answered count for ``n``, and NaN
    for ``se``, ``p`` and ``p_adj`` (an item is not tested against itself). Whether the ``r`` matrix is
    positive definite is always checked and reported in ``attrs["note"]``; with ``smooth=True`` a matrix
    that is not is smoothed as ``psych::cor.smooth`` does (see :func:`dxlab.stats._smooth.smooth_correlation`).
    With ``by``, the matrices of the groups are stacked with the group as the outer index level.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=500, seed=1)
    >>> items = list(dxlab.load_rubric("mobifone-dx").criterion_ids[:3])
    >>> dxlab.stats.correlation_matrix(data, items, method="kendall").shape
    (3, 3)
    """
    data = as_frame_or_source(data)
    value = check_choice("value", value, MATRIX_VALUES)
    levels = levels_from(items, levels)
    items = resolve_items(data, items)
    options: dict[str, Any] = {
        "weights": weights,
        "levels": levels,
        "method": method,
        "adjust": adjust,
        "confidence": confidence,
        "thresholds": thresholds,
        "correct": correct,
        "correct_rule": correct_rule,
        "exact": exact,
    }
    if by is not None:
        groups = encode_groups(data, by)
        if levels is None:  # a source's groups share the levels found once, unless each finds its own in its pass
            options["levels"] = shared_levels(data, items)
        rows = group_rows(data, groups)
        matrices = {
            label: correlation_matrix(rows(g), items, value=value, smooth=smooth, **options)
            for g, label in enumerate(groups.labels)
        }
        stacked = pd.concat(matrices, names=[" / ".join(groups.by), None])
        stacked.attrs["note"] = "; ".join(
            f"{label}: {m.attrs['note']}" for label, m in matrices.items() if m.attrs.get("note")
        )
        return stacked
    long = correlations(data, items, **options)
    k = len(items)
    matrix = np.full((k, k), np.nan)
    position = {name: i for i, name in enumerate(items)}
    xi = long["item_x"].map(position).to_numpy(dtype=int)
    yi = long["item_y"].map(position).to_numpy(dtype=int)
    values = long[value].to_numpy(dtype=float)
    matrix[xi, yi] = values
    matrix[yi, xi] = values
    note = ""
    if value in ("r", "ci_low", "ci_high"):
        np.fill_diagonal(matrix, 1.0)
    elif value == "n":
        np.fill_diagonal(matrix, data[items].notna().sum().to_numpy(dtype=float))
    if value == "r":
        smoothed, smallest = smooth_correlation(matrix)
        note = smooth_note(smallest, smooth)
        if smooth and smoothed is not None:
            matrix = smoothed
    frame = pd.DataFrame(matrix, index=pd.Index(items, name=None), columns=list(items))
    frame.attrs["note"] = note
    return frame
