"""Association between each item and a grouping: χ², Cramér's V and an ordinal test, from item × group tables.

Why our own: ``scipy.stats.chi2_contingency`` refuses tables with an empty row or column (a level nobody
chose, a group that skipped the item) and has no ordinal test or weights. Here each item's group × level
table (:func:`._tables.group_tables`) drops its empty rows and columns before the test — the degrees of
freedom count only what was observed, and ``note`` says what was dropped — and small expected counts are
reported, never hidden.

Statistics per item (N answers, r non-empty groups, c non-empty levels):

* Pearson's χ² = Σ (O − E)²/E on (r − 1)(c − 1) df, without Yates' correction;
  Cramér's V = √(χ² / (N·min(r − 1, c − 1))).
* An ordinal test that uses the order of the levels:

  - ``by`` ordered (an ordered categorical, or numbers): the linear-by-linear association test
    M² = (N − 1)·r², r = Pearson correlation of the group scores (category positions or the numbers)
    with the level values, 1 df (Agresti 2013, §3.4.1);
  - ``by`` nominal: the mean-score statistic Q = (N − 1)·Σ_g n_g (ȳ_g − ȳ)² / Σᵢ (yᵢ − ȳ)² on r − 1 df,
    which asks whether mean levels differ between groups (the Cochran–Mantel–Haenszel "row mean scores"
    statistic for one stratum; with rank scores it is the Kruskal–Wallis H).

With ``weights`` the tables hold weighted counts rescaled so that each item's table sums to its Kish
effective size (Σw)²/Σw², a design-effect correction in the spirit of Rao & Scott (1981) that keeps the
tests from treating weighted counts as extra observations.

References
----------
Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.). Wiley.
Rao, J. N. K. & Scott, A. J. (1981). The analysis of categorical data from complex sample surveys.
*JASA*, 76, 221–230.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._common import SMALL_EXPECTED, join_notes
from ._source import as_frame_or_source
from ._tables import encode, encode_groups, group_tables, resolve_items, resolve_weights

__all__ = ["association", "chi_square", "ordinal_association"]

COLUMNS = ["item", "n", "chi2", "dof", "p", "cramers_v", "ordinal_test", "ordinal_stat", "ordinal_dof",
           "ordinal_p", "note"]


def chi_square(table: np.ndarray) -> tuple[float, int, float, float, np.ndarray]:
    """χ², df, p, Cramér's V and the expected counts of a table with no empty row or column."""
    n = table.sum()
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    chi2 = float(((table - expected) ** 2 / expected).sum())
    rows, cols = table.shape
    dof = (rows - 1) * (cols - 1)
    p = float(sps.chi2.sf(chi2, dof))
    v = float(np.sqrt(chi2 / (n * min(rows - 1, cols - 1))))
    return chi2, dof, p, v, expected


def ordinal_association(table: np.ndarray, row_scores: np.ndarray | None, col_scores: np.ndarray
                        ) -> tuple[str, float, int, float]:
    """Linear-by-linear M² (``row_scores`` given) or mean-score Q (``row_scores`` is None)."""
    n = table.sum()
    col_margin = table.sum(axis=0)
    row_margin = table.sum(axis=1)
    y_mean = col_margin @ col_scores / n
    ss_y = col_margin @ (col_scores - y_mean) ** 2
    if row_scores is not None:
        x_mean = row_margin @ row_scores / n
        ss_x = row_margin @ (row_scores - x_mean) ** 2
        cross = (row_scores - x_mean) @ table @ (col_scores - y_mean)
        r = cross / np.sqrt(ss_x * ss_y) if ss_x > 0 and ss_y > 0 else np.nan
        stat = float((n - 1.0) * r * r)
        return "linear-by-linear", stat, 1, float(sps.chi2.sf(stat, 1))
    group_means = table @ col_scores / row_margin
    between = row_margin @ (group_means - y_mean) ** 2
    stat = float((n - 1.0) * between / ss_y) if ss_y > 0 else np.nan
    dof = table.shape[0] - 1
    return "mean-score", stat, dof, float(sps.chi2.sf(stat, dof))


def _group_scores(data: pd.DataFrame, by: list[str], keys: pd.DataFrame) -> np.ndarray | None:
    if len(by) != 1:
        return None
    column = data[by[0]]
    if isinstance(column.dtype, pd.CategoricalDtype):
        if not column.cat.ordered:
            return None
        position = {c: i + 1.0 for i, c in enumerate(column.cat.categories)}
        return np.array([position[v] for v in keys[by[0]]], dtype=float)
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        return keys[by[0]].to_numpy(dtype=float)
    return None


def association(data: pd.DataFrame, items: Any, by: str | list[str], *, weights: Any = None,
                levels: Any = None) -> pd.DataFrame:
    """Test each item for association with a grouping: χ², Cramér's V and an ordinal test.

    Parameters
    ----------
    data : DataFrame
    items : list of str or Rubric
        Item columns holding levels.
    by : str or list of str
        Grouping column(s). A single ordered categorical or numeric column gets the linear-by-linear
        test; anything else the mean-score test (see the module notes).
    weights : str or array, optional
        Row weights; tests use the Kish effective size.
    levels : sequence or Rubric, optional
        The ordered levels (default every integer between the observed extremes).

    Returns
    -------
    DataFrame
        ``item, n, chi2, dof, p, cramers_v, ordinal_test, ordinal_stat, ordinal_dof, ordinal_p, note`` —
        one row per item. ``note`` reports dropped empty levels or groups, expected counts below 5
        (Cochran's rule) and why a test could not be run.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> table = dxlab.stats.association(data, dxlab.load_rubric("mobifone-dx"), by="size")
    >>> table["ordinal_test"].iloc[0]
    'linear-by-linear'
    """
    data = as_frame_or_source(data)
    items = resolve_items(data, items)
    by_columns = [by] if isinstance(by, str) else list(by)
    enc = encode(data, items, levels)
    groups = encode_groups(data, by_columns)
    w = resolve_weights(data, weights)
    tables = group_tables(enc, groups, w)
    answered = (tables if w is None else group_tables(enc, groups)).sum(axis=(1, 2))
    if w is not None:
        squares = group_tables(enc, groups, w * w).sum(axis=(1, 2))
        totals = tables.sum(axis=(1, 2))
        with np.errstate(invalid="ignore", divide="ignore"):
            scale = np.where(squares > 0, totals / squares, 0.0)  # Σw/Σw² → table sums to (Σw)²/Σw²
        tables = tables * scale[:, None, None]
    row_scores_all = _group_scores(data, by_columns, groups.keys)
    col_scores_all = enc.scores
    labels = groups.labels
    rows = []
    for i, item in enumerate(items):
        table = tables[i]
        keep_rows = table.sum(axis=1) > 0
        keep_cols = table.sum(axis=0) > 0
        n = float(table.sum())
        note = f"weighted: tests use the effective size {n:.1f}" if w is not None and n > 0 else ""
        unused = [str(v) for v, kept in zip(enc.levels, keep_cols) if not kept]
        if unused and keep_cols.any():
            note = join_notes(note, f"level(s) {', '.join(unused)} not chosen: left out")
        empty_groups = [labels[g] for g in np.flatnonzero(~keep_rows)]
        if empty_groups and keep_rows.any():
            note = join_notes(note, f"group(s) {', '.join(empty_groups)} without answers: left out")
        sub = table[keep_rows][:, keep_cols]
        record = {"item": item, "n": int(answered[i]), "chi2": np.nan, "dof": np.nan, "p": np.nan, "cramers_v": np.nan,
                  "ordinal_test": "linear-by-linear" if row_scores_all is not None else "mean-score",
                  "ordinal_stat": np.nan, "ordinal_dof": np.nan, "ordinal_p": np.nan}
        if n == 0:
            note = join_notes(note, "no answers")
        elif sub.shape[0] < 2:
            note = join_notes(note, "only one group answered: no test")
        elif sub.shape[1] < 2:
            note = join_notes(note, "only one level chosen: no test")
        else:
            chi2, dof, p, v, expected = chi_square(sub)
            record.update(chi2=chi2, dof=dof, p=p, cramers_v=v)
            small = expected < SMALL_EXPECTED
            if small.any():
                note = join_notes(note, f"{int(small.sum())} of {small.size} cells have expected count < 5 "
                                        f"(smallest {expected.min():.2g}): χ² p is approximate")
            row_scores = None if row_scores_all is None else row_scores_all[keep_rows]
            test, stat, odof, op = ordinal_association(sub, row_scores, col_scores_all[keep_cols])
            record.update(ordinal_test=test, ordinal_stat=stat, ordinal_dof=odof, ordinal_p=op)
        record["note"] = note
        rows.append(record)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["n"] = frame["n"].astype(np.int64)
    frame["dof"] = frame["dof"].astype("Int64")
    frame["ordinal_dof"] = frame["ordinal_dof"].astype("Int64")
    return frame
