"""Change between assessment waves: paired change per item, level transitions, three or more waves.

* :func:`paired_change` — per item: pairs, enterprises in one wave only, medians and means, mean change with
  a t interval, shares improved / same / worse, Wilcoxon's signed-rank test (as R ``wilcox.test(paired =
  TRUE)``), the sign test (R ``binom.test``), the matched-pairs rank-biserial correlation with its interval,
  and p-values adjusted over the items.
* :func:`transition_matrix` — level × level table of one item with row shares, the shares moving up,
  staying and moving down, the Stuart–Maxwell test of marginal homogeneity and Bowker's test of symmetry.
* :func:`compare_waves` — Friedman's test with Kendall's W over three or more waves, and pairwise Wilcoxon
  tests with adjusted p-values.

Each accepts a frame of responses (one row per enterprise and wave) or a :class:`~dxlab.Scores` object,
whose reached levels per dimension are then the items (``"CUS"``…), with ``"overall"`` for the overall level
and ``"score.CUS"``, ``"score.overall"`` for the scores.

Formulas
--------
* Matched-pairs rank-biserial (Kerby 2014): r = (T₊ − T₋)/(T₊ + T₋) over the non-zero differences; interval
  tanh(atanh r ± z·SE) with SE = √(n(n+1)(2n+1)/6)/(n(n+1)/2), the null standard error of r (as R's
  ``effectsize::rank_biserial``).
* Mean change: d̄ ± t₍n−1₎·s/√n; with weights the weighted mean and variance on Kish's effective n.
* Stuart–Maxwell (Stuart 1955; Maxwell 1970): d = row − column margins of k − 1 levels, V with
  Vᵢᵢ = nᵢ. + n.ᵢ − 2nᵢᵢ and Vᵢⱼ = −(nᵢⱼ + nⱼᵢ); X² = dᵀV⁻¹d on k − 1 df (levels nobody used are left out).
* Bowker (1948): Σᵢ<ⱼ (nᵢⱼ − nⱼᵢ)²/(nᵢⱼ + nⱼᵢ) over the pairs with nᵢⱼ + nⱼᵢ > 0, one df each. With two levels
  both are McNemar's test without continuity correction.
* Friedman (as R ``friedman.test``): Q = 12 Σⱼ (Rⱼ − n(k+1)/2)² / (nk(k+1) − Σ(t³ − t)/(k − 1)); Kendall's
  W = Q/(n(k − 1)).

References
----------
Kerby, D. S. (2014). The simple difference formula. *Comprehensive Psychology*, 3, 11.IT.3.1.
Stuart, A. (1955). A test for homogeneity of the marginal distributions in a two-way classification.
*Biometrika*, 42, 412–416. Bowker, A. H. (1948). A test for symmetry in contingency tables. *JASA*, 43,
572–574. Agresti, A. (2002). *Categorical Data Analysis*, 2nd ed., §10.3.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from .._i18n import given_or_block_lang, tr
from ._adjust import adjust_pvalues, check_adjust
from ._common import SMALL_GROUP, check_confidence, join_notes, kish_n
from ._pairs import Pairs, as_frame, numeric_matrix, pair_up, signed_rank, wave_order
from ._tables import resolve_levels

__all__ = [
    "FRIEDMAN_COLUMNS",
    "PAIRED_COLUMNS",
    "PAIRWISE_COLUMNS",
    "TRANSITION_COLUMNS",
    "Transitions",
    "WaveComparison",
    "compare_waves",
    "paired_change",
    "transition_matrix",
]

PAIRED_COLUMNS = [
    "item",
    "before",
    "after",
    "n_pairs",
    "n_only_before",
    "n_only_after",
    "median_before",
    "median_after",
    "mean_before",
    "mean_after",
    "mean_change",
    "ci_low",
    "ci_high",
    "share_improved",
    "share_same",
    "share_worse",
    "V",
    "z",
    "p",
    "exact",
    "sign_p",
    "rank_biserial",
    "rb_ci_low",
    "rb_ci_high",
    "p_adj",
    "note",
]
TRANSITION_COLUMNS = [
    "item",
    "before",
    "after",
    "n_pairs",
    "n_only_before",
    "n_only_after",
    "share_up",
    "share_stay",
    "share_down",
    "stuart_maxwell",
    "sm_dof",
    "sm_p",
    "bowker",
    "bowker_dof",
    "bowker_p",
    "note",
]
FRIEDMAN_COLUMNS = ["item", "waves", "n", "n_incomplete", "Q", "dof", "p", "kendall_w", "note"]
PAIRWISE_COLUMNS = ["item", "wave_a", "wave_b", "n_pairs", "mean_change", "V", "p", "rank_biserial", "p_adj", "note"]


def _mean_interval(
    d: np.ndarray, w: np.ndarray | None, confidence: float, lang: str
) -> tuple[float, float, float, str]:
    n = d.size
    if n == 0:
        return np.nan, np.nan, np.nan, ""
    if w is None:
        mean = float(d.mean())
        if n < 2:
            return mean, np.nan, np.nan, tr("waves.note_one_pair", lang)
        se, dof = float(d.std(ddof=1)) / np.sqrt(n), n - 1.0
    else:
        if w.sum() <= 0:
            return np.nan, np.nan, np.nan, tr("waves.note_zero_weights", lang)
        mean = float(np.average(d, weights=w))
        n_eff = kish_n(w)
        if n_eff <= 1:
            return mean, np.nan, np.nan, tr("waves.note_small_effective", lang)
        variance = float(np.average((d - mean) ** 2, weights=w)) * n_eff / (n_eff - 1.0)
        se, dof = np.sqrt(variance / n_eff), n_eff - 1.0
    half = float(sps.t.ppf(0.5 + confidence / 2.0, dof)) * se
    return mean, mean - half, mean + half, ""


def _rank_biserial(v: float, n: int, confidence: float) -> tuple[float, float, float]:
    if n == 0 or not np.isfinite(v):
        return np.nan, np.nan, np.nan
    total = n * (n + 1) / 2.0
    r = (2.0 * v - total) / total
    se = np.sqrt(n * (n + 1) * (2 * n + 1) / 6.0) / total
    quantile = sps.norm.ppf(0.5 + confidence / 2.0)
    with np.errstate(divide="ignore"):
        centre = np.arctanh(np.clip(r, -1.0, 1.0))
    return float(r), float(np.tanh(centre - quantile * se)), float(np.tanh(centre + quantile * se))


def _shares(d: np.ndarray, w: np.ndarray | None) -> tuple[float, float, float]:
    if d.size == 0:
        return np.nan, np.nan, np.nan
    if w is None:
        up, down = np.count_nonzero(d > 0), np.count_nonzero(d < 0)
        return up / d.size, (d.size - up - down) / d.size, down / d.size
    total = w.sum()
    if total <= 0:
        return np.nan, np.nan, np.nan
    return float(w[d > 0].sum() / total), float(w[d == 0].sum() / total), float(w[d < 0].sum() / total)


def _change_row(
    item: str, x: np.ndarray, y: np.ndarray, w: np.ndarray | None, confidence: float, lang: str
) -> dict[str, Any]:
    """One row of :func:`paired_change` from the before/after values of one item (NaN = absent)."""
    has_x, has_y = ~np.isnan(x), ~np.isnan(y)
    both = has_x & has_y
    xb, yb = x[both], y[both]
    wb = None if w is None else w[both]
    d = yb - xb
    mean, low, high, mean_note = _mean_interval(d, wb, confidence, lang)
    improved, same, worse = _shares(d, wb)
    test = signed_rank(d)
    r, r_low, r_high = _rank_biserial(test.v, test.n, confidence)
    nonzero = test.positive + test.negative
    sign_p = float(sps.binomtest(test.positive, nonzero, 0.5).pvalue) if nonzero else np.nan
    n = int(both.sum())
    note = ""
    if n == 0:
        note = tr("waves.note_no_pairs", lang)
    elif test.n == 0:
        note = tr("waves.note_all_zero", lang, n=n)
    else:
        if test.zeros:
            note = tr("waves.note_zeros", lang, n=test.zeros)
        if n < SMALL_GROUP:
            note = join_notes(note, tr("waves.note_few_pairs", lang, n=n))
    note = join_notes(note, mean_note if n else "")
    if w is not None and n:
        note = join_notes(note, tr("waves.note_unweighted", lang))
    with np.errstate(all="ignore"):
        return {
            "item": item,
            "n_pairs": n,
            "n_only_before": int((has_x & ~has_y).sum()),
            "n_only_after": int((has_y & ~has_x).sum()),
            "median_before": float(np.median(xb)) if n else np.nan,
            "median_after": float(np.median(yb)) if n else np.nan,
            "mean_before": float(np.average(xb, weights=wb)) if n and (wb is None or wb.sum() > 0) else np.nan,
            "mean_after": float(np.average(yb, weights=wb)) if n and (wb is None or wb.sum() > 0) else np.nan,
            "mean_change": mean,
            "ci_low": low,
            "ci_high": high,
            "share_improved": improved,
            "share_same": same,
            "share_worse": worse,
            "V": test.v,
            "z": test.z,
            "p": test.p,
            "exact": bool(test.exact),
            "sign_p": sign_p,
            "rank_biserial": r,
            "rb_ci_low": r_low,
            "rb_ci_high": r_high,
            "note": note,
        }


def _group_rows(pairs: Pairs) -> list[tuple[dict[str, Any], np.ndarray]]:
    if pairs.groups is None:
        return [({}, np.ones(len(pairs.ids), dtype=bool))]
    keys = pairs.groups.astype(object)
    usable = keys.notna().all(axis=1).to_numpy()
    uniques = keys[usable].drop_duplicates()
    try:
        uniques = uniques.sort_values(list(uniques.columns))
    except TypeError:
        pass
    out = []
    for key in uniques.itertuples(index=False):
        mask = usable & (keys == pd.Series(key, index=keys.columns)).all(axis=1).to_numpy()
        out.append((dict(zip(keys.columns, key)), mask))
    return out


def paired_change(
    data: Any,
    items: Any = None,
    *,
    id: str = "enterprise_id",
    wave: str = "wave",
    before: Any = None,
    after: Any = None,
    by: str | Sequence[str] | None = None,
    weights: str | None = None,
    adjust: str = "holm",
    confidence: float = 0.95,
    lang: str | None = None,
) -> pd.DataFrame:
    """Change of each item between two waves, enterprise by enterprise.

    Parameters
    ----------
    data : DataFrame or Scores
        One row per enterprise and wave (combine several respondents first with :func:`dxlab.consensus`).
        A :class:`~dxlab.Scores` object gives the reached level per dimension (items ``"CUS"``…, and
        ``"overall"``) and the scores (``"score.CUS"``…, ``"score.overall"``).
    items : str, list of str or Rubric, optional
        Columns holding levels or scores; for Scores the default is every dimension's level.
    id, wave : str
        The enterprise id and the wave columns.
    before, after : optional
        The two waves compared; by default the last two in order (an ordered categorical's order, else sorted).
    by : str or list of str, optional
        Report the change per group (e.g. sector), taken from each enterprise's latest row.
    weights : str, optional
        A column of enterprise weights (the before wave's value is used). Means, the mean change and its
        interval and the shares are weighted; medians, tests and the rank-biserial correlation are not.
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}
        Adjustment of the signed-rank p-values over all rows.
    confidence : float
    lang : {"vi", "en"}, optional
        Language of the notes (default ``DXLAB_LANG``, else Vietnamese).

    Returns
    -------
    DataFrame
        ``item, before, after, n_pairs, n_only_before, n_only_after, median_before, median_after,
        mean_before, mean_after, mean_change, ci_low, ci_high, share_improved, share_same, share_worse, V, z,
        p, exact, sign_p, rank_biserial, rb_ci_low, rb_ci_high, p_adj, note`` (the ``by`` columns first).
        ``V`` and ``p`` are the signed-rank statistic and p-value (``exact`` when R would compute it exactly;
        ``z`` is then empty); positive ``rank_biserial`` means improvement.

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel("mobifone-dx", n=200, seed=1, respondents=False)
    >>> table = dxlab.stats.paired_change(panel, ["CUS.ENG.1", "CUS.ENG.2"])
    >>> table[["item", "n_pairs"]].shape
    (2, 2)
    """
    confidence = check_confidence(confidence)
    adjust = check_adjust(adjust)
    lang = given_or_block_lang(lang)
    frame, names, _ = as_frame(data, items)
    pairs = pair_up(frame, names, id=id, wave=wave, before=before, after=after, weights=weights, by=by)
    rows = []
    for keys, mask in _group_rows(pairs):
        everyone = bool(mask.all())
        w = None if pairs.weights is None else pairs.weights if everyone else pairs.weights[mask]
        for j, item in enumerate(pairs.items):
            x, y = (pairs.x[:, j], pairs.y[:, j]) if everyone else (pairs.x[mask, j], pairs.y[mask, j])
            row = _change_row(item, x, y, w, confidence, lang)
            rows.append({**keys, **row, "before": pairs.before, "after": pairs.after})
    key_columns = [] if pairs.groups is None else list(pairs.groups.columns)
    table = pd.DataFrame(rows, columns=key_columns + [c for c in PAIRED_COLUMNS if c != "p_adj"])
    table.insert(len(table.columns) - 1, "p_adj", adjust_pvalues(table["p"].to_numpy(dtype=float), adjust))
    return table


# -- transitions -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transitions:
    """Level × level movements of one item between two waves (the result of :func:`transition_matrix`).

    ``counts`` has the before level as rows and the after level as columns (weighted counts with weights),
    every declared level present; ``shares`` are row shares (where the enterprises of each before level went);
    ``summary`` is one row with the shares moving up / staying / down and the two tests.
    """

    item: str
    before: Any
    after: Any
    counts: pd.DataFrame
    shares: pd.DataFrame
    summary: pd.DataFrame

    def long(self) -> pd.DataFrame:
        """Tidy form: ``item, level_before, level_after, n, share`` (share within the before level)."""
        counts = self.counts.stack(future_stack=True)
        shares = self.shares.stack(future_stack=True)
        out = pd.concat([counts, shares], axis=1).reset_index()
        out.columns = ["level_before", "level_after", "n", "share"]
        out.insert(0, "item", self.item)
        return out


def stuart_maxwell(table: np.ndarray, lang: str | None = None) -> tuple[float, int, str]:
    """Stuart–Maxwell X² and df of a square table (levels with empty row and column left out)."""
    lang = given_or_block_lang(lang)
    used = (table.sum(axis=0) + table.sum(axis=1)) > 0
    t = table[np.ix_(used, used)]
    k = t.shape[0]
    if k < 2:
        return np.nan, 0, tr("waves.note_sm_few_levels", lang)
    d = (t.sum(axis=1) - t.sum(axis=0))[:-1]
    v = -(t + t.T)
    np.fill_diagonal(v, t.sum(axis=1) + t.sum(axis=0) - 2.0 * np.diag(t))
    v = v[:-1, :-1]
    rank = int(np.linalg.matrix_rank(v))
    if rank == 0:
        return np.nan, 0, tr("waves.note_sm_nobody_moved", lang)
    if rank < k - 1:
        return float(d @ np.linalg.pinv(v) @ d), rank, tr("waves.note_sm_singular", lang, dof=rank)
    return float(d @ np.linalg.solve(v, d)), k - 1, ""


def bowker(table: np.ndarray, lang: str | None = None) -> tuple[float, int, str]:
    """Bowker's X² of symmetry over the off-diagonal pairs that hold anyone, and its df."""
    lang = given_or_block_lang(lang)
    upper = np.triu_indices(table.shape[0], 1)
    a, b = table[upper], table.T[upper]
    used = (a + b) > 0
    if not used.any():
        return np.nan, 0, tr("waves.note_bowker_nobody_moved", lang)
    statistic = float(np.sum((a[used] - b[used]) ** 2 / (a[used] + b[used])))
    skipped = int((~used).sum())
    return statistic, int(used.sum()), tr("waves.note_bowker_empty", lang, n=skipped) if skipped else ""


def _level_codes(values: np.ndarray, levels: tuple[Any, ...], item: str) -> np.ndarray:
    lookup = {float(v): i for i, v in enumerate(levels)}
    codes = np.full(values.shape, -1, dtype=np.int64)
    present = ~np.isnan(values)
    try:
        codes[present] = [lookup[v] for v in values[present]]
    except KeyError as exc:
        raise ValueError(
            f"column {item!r} holds {exc.args[0]:g}, which is not one of the levels {', '.join(map(str, levels))}"
        ) from None
    return codes


def transition_matrix(
    data: Any,
    item: str,
    *,
    id: str = "enterprise_id",
    wave: str = "wave",
    before: Any = None,
    after: Any = None,
    weights: str | None = None,
    levels: Any = None,
    lang: str | None = None,
) -> Transitions:
    """Where the enterprises at each level before went after: counts, row shares, up/stay/down and tests.

    Parameters
    ----------
    data : DataFrame or Scores
        One row per enterprise and wave; with Scores, ``item`` is a dimension id or ``"overall"``.
    item : str
        The column of levels.
    id, wave, before, after
        As in :func:`paired_change`.
    weights : str, optional
        Enterprise weights: the table holds weighted counts; the tests use it rescaled to Kish's effective n.
    levels : list or Rubric, optional
        The declared levels (each appears, also when empty); by default a rubric's or Scores' levels, else
        every integer between the extremes.
    lang : {"vi", "en"}, optional
        Language of the notes.

    Returns
    -------
    Transitions
        ``counts``, ``shares``, ``summary`` (``item, before, after, n_pairs, n_only_before, n_only_after,
        share_up, share_stay, share_down, stuart_maxwell, sm_dof, sm_p, bowker, bowker_dof, bowker_p, note``)
        and ``long()``.

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel("mobifone-dx", n=200, seed=1, respondents=False)
    >>> moves = dxlab.stats.transition_matrix(panel, "CUS.ENG.1", levels=dxlab.load_rubric("mobifone-dx"))
    >>> moves.counts.shape
    (5, 5)
    """
    if not isinstance(item, str):
        raise TypeError(f"transition_matrix takes one item (a column name), not {item!r}")
    frame, names, implied = as_frame(data, [item])
    pairs = pair_up(frame, names, id=id, wave=wave, before=before, after=after, weights=weights)
    declared = resolve_levels(frame, names, levels if levels is not None else implied)
    x, y = pairs.x[:, 0], pairs.y[:, 0]
    both = ~np.isnan(x) & ~np.isnan(y)
    a = _level_codes(x[both], declared, item)
    b = _level_codes(y[both], declared, item)
    w = np.ones(a.size) if pairs.weights is None else pairs.weights[both]
    k = len(declared)
    table = np.bincount(a * k + b, weights=w, minlength=k * k).reshape(k, k).astype(float)
    summary = _transition_summary(item, pairs, table, x, y, w, given_or_block_lang(lang))
    index = pd.Index(list(declared), name="before")
    columns = pd.Index(list(declared), name="after")
    counts = pd.DataFrame(table, index=index, columns=columns)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = pd.DataFrame(table / table.sum(axis=1, keepdims=True), index=index, columns=columns)
    if pairs.weights is None:
        counts = counts.astype("int64")
    return Transitions(item, pairs.before, pairs.after, counts, shares, summary)


def _transition_summary(
    item: str, pairs: Pairs, table: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray, lang: str
) -> pd.DataFrame:
    total = table.sum()
    scale = kish_n(w) / total if pairs.weights is not None and total > 0 else 1.0
    tested = table * scale
    sm, sm_dof, sm_note = stuart_maxwell(tested, lang)
    bw, bw_dof, bw_note = bowker(tested, lang)
    has_x, has_y = ~np.isnan(x), ~np.isnan(y)
    note = join_notes(sm_note, bw_note)
    if total == 0:
        note = tr("waves.note_no_table", lang)
    elif pairs.weights is not None:
        note = join_notes(note, tr("waves.note_weighted_tests", lang))
    with np.errstate(invalid="ignore", divide="ignore"):
        row = {
            "item": item,
            "before": pairs.before,
            "after": pairs.after,
            "n_pairs": int((has_x & has_y).sum()),
            "n_only_before": int((has_x & ~has_y).sum()),
            "n_only_after": int((has_y & ~has_x).sum()),
            "share_up": float(np.triu(table, 1).sum() / total) if total else np.nan,
            "share_stay": float(np.trace(table) / total) if total else np.nan,
            "share_down": float(np.tril(table, -1).sum() / total) if total else np.nan,
            "stuart_maxwell": sm,
            "sm_dof": sm_dof,
            "sm_p": float(sps.chi2.sf(sm, sm_dof)) if sm_dof else np.nan,
            "bowker": bw,
            "bowker_dof": bw_dof,
            "bowker_p": float(sps.chi2.sf(bw, bw_dof)) if bw_dof else np.nan,
            "note": note,
        }
    return pd.DataFrame([row], columns=TRANSITION_COLUMNS)


# -- three or more waves -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WaveComparison:
    """The result of :func:`compare_waves`: ``friedman`` (one row per item) and ``pairwise`` (per pair)."""

    friedman: pd.DataFrame
    pairwise: pd.DataFrame


def friedman(values: np.ndarray) -> tuple[float, float]:
    """Friedman's Q (tie-corrected, as R ``friedman.test``) and Kendall's W of complete blocks (n × k)."""
    n, k = values.shape
    ranks = sps.rankdata(values, axis=1)
    equal = (values[:, :, None] == values[:, None, :]).sum(axis=2).astype(float)
    ties = float(np.sum(equal**2 - 1.0))  # Σ over tie groups of t³ − t
    centred = ranks.sum(axis=0) - n * (k + 1) / 2.0
    denominator = n * k * (k + 1) - ties / (k - 1)
    if denominator <= 0:
        return np.nan, np.nan
    q = 12.0 * float(np.sum(centred**2)) / denominator
    return q, q / (n * (k - 1))


def _wide_by_wave(frame: pd.DataFrame, names: Sequence[str], id: str, wave: str, order: Sequence[Any]) -> np.ndarray:
    """Values as (enterprises, waves, items), NaN where absent; one row per enterprise and wave."""
    rows = frame[frame[wave].isin(list(order)).to_numpy()]
    key = rows[[id, wave]]
    repeated = key.duplicated(keep=False).to_numpy()
    if repeated.any():
        first = key[repeated].iloc[0]
        raise ValueError(
            f"enterprise {first[id]!r} has several rows in wave {first[wave]!r}; combine its "
            f"respondents first with dxlab.consensus(...)"
        )
    ids = pd.Index(pd.unique(rows[id]))
    cube = np.full((len(ids), len(order), len(names)), np.nan)
    position = {w: i for i, w in enumerate(order)}
    waves_at = rows[wave].map(position).to_numpy(dtype=int)
    cube[ids.get_indexer(pd.Index(rows[id])), waves_at] = numeric_matrix(rows, names)
    return cube


def compare_waves(
    data: Any,
    items: Any = None,
    *,
    id: str = "enterprise_id",
    wave: str = "wave",
    waves: Sequence[Any] | None = None,
    adjust: str = "holm",
    lang: str | None = None,
) -> WaveComparison:
    """Friedman's test with Kendall's W across waves, and pairwise signed-rank tests, per item.

    Parameters
    ----------
    data : DataFrame or Scores
        One row per enterprise and wave.
    items : str, list of str or Rubric, optional
    id, wave : str
    waves : list, optional
        The waves compared, in order (default: all, in order).
    adjust : str
        Adjustment of the pairwise p-values within each item.
    lang : {"vi", "en"}, optional
        Language of the notes.

    Returns
    -------
    WaveComparison
        ``friedman``: ``item, waves, n, n_incomplete, Q, dof, p, kendall_w, note`` on the enterprises present
        in every wave (the others are counted in ``n_incomplete``); ``pairwise``: ``item, wave_a, wave_b,
        n_pairs, mean_change, V, p, rank_biserial, p_adj, note`` on the pairs present in both waves.

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel("mobifone-dx", n=200, seed=1, waves=3, respondents=False)
    >>> dxlab.stats.compare_waves(panel, ["CUS.ENG.1"]).friedman["dof"].tolist()
    [2]
    """
    adjust = check_adjust(adjust)
    lang = given_or_block_lang(lang)
    frame, names, _ = as_frame(data, items)
    order = wave_order(frame, wave) if waves is None else list(waves)
    if len(order) < 2:
        raise ValueError(
            f"compare_waves needs at least two waves; column {wave!r} holds {', '.join(map(str, order)) or 'none'}"
        )
    present = wave_order(frame, wave)
    unknown = [w for w in order if w not in present]
    if unknown:
        raise ValueError(
            f"wave(s) {', '.join(map(repr, unknown))} not in column {wave!r}; waves are {', '.join(map(repr, present))}"
        )
    cube = _wide_by_wave(frame, names, id, wave, order)
    omnibus, pairwise = [], []
    for j, item in enumerate(names):
        values = cube[:, :, j]
        present = ~np.isnan(values)
        complete = present.all(axis=1)
        block = values[complete]
        row: dict[str, Any] = {
            "item": item,
            "waves": len(order),
            "n": int(complete.sum()),
            "n_incomplete": int((present.any(axis=1) & ~complete).sum()),
            "Q": np.nan,
            "dof": len(order) - 1,
            "p": np.nan,
            "kendall_w": np.nan,
            "note": "",
        }
        if block.shape[0] < 2:
            row["note"] = tr("waves.note_friedman_few", lang)
        else:
            q, w = friedman(block)
            if np.isfinite(q):
                row.update(Q=q, p=float(sps.chi2.sf(q, len(order) - 1)), kendall_w=w)
            else:
                row["note"] = tr("waves.note_friedman_constant", lang)
        if len(order) == 2:
            row["note"] = join_notes(row["note"], tr("waves.note_friedman_two", lang))
        omnibus.append(row)
        pairwise.extend(_pairwise_rows(item, values, order, adjust, lang))
    return WaveComparison(
        pd.DataFrame(omnibus, columns=FRIEDMAN_COLUMNS), pd.DataFrame(pairwise, columns=PAIRWISE_COLUMNS)
    )


def _pairwise_rows(item: str, values: np.ndarray, order: Sequence[Any], adjust: str, lang: str) -> list[dict[str, Any]]:
    rows = []
    for a, b in combinations(range(len(order)), 2):
        row = _change_row(item, values[:, a], values[:, b], None, 0.95, lang)
        rows.append(
            {
                "item": item,
                "wave_a": order[a],
                "wave_b": order[b],
                "n_pairs": row["n_pairs"],
                "mean_change": row["mean_change"],
                "V": row["V"],
                "p": row["p"],
                "rank_biserial": row["rank_biserial"],
                "note": row["note"],
            }
        )
    adjusted = adjust_pvalues(np.array([r["p"] for r in rows], dtype=float), adjust)
    for row, p_adj in zip(rows, adjusted):
        row["p_adj"] = p_adj
    return rows
