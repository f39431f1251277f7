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

With ``weights`` the χ² test is design-based: the Rao–Scott second-order corrected statistic of
``survey::svychisq(statistic = "F")`` for a sample of independent rows with weights
(``svydesign(ids = ~1, weights = ~w)``). With p̂ the weighted cell shares of the r × c table (n rows),
V̂ = n/(n−1) Σᵢ uᵢuᵢᵀ the linearisation covariance of p̂ (uᵢ = wᵢ(yᵢ − p̂)/Σw, yᵢ the row's cell
indicator — computed from the Σw and Σw² tables), C the interaction contrasts of the saturated log-linear
model orthogonalised against the main effects, and D = diag(p̂):
Δ = (Cᵀ D⁻¹ C / n)⁻¹ (Cᵀ D⁻¹ V̂ D⁻¹ C), X² Pearson's statistic of n·p̂,
F = X²/tr Δ on d₀ = (tr Δ)²/tr Δ² and d₀·(n − 1) degrees of freedom (Rao & Scott 1984).
Rows with a missing answer or group are left out (a complete-case analysis). The ordinal test and
Cramér's V use the weighted table rescaled to its Kish effective size (Σw)²/Σw², and the note says so.

References
----------
Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.). Wiley.
Rao, J. N. K. & Scott, A. J. (1981). The analysis of categorical data from complex sample surveys.
*JASA*, 76, 221–230.
Rao, J. N. K. & Scott, A. J. (1984). On chi-squared tests for multiway contingency tables with cell
proportions estimated from survey data. *Annals of Statistics*, 12, 46–60.
Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software*, 9(8).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._adjust import adjust_pvalues, check_adjust
from ._common import (
    SMALL_EXPECTED,
    check_columns,
    encode_items,
    inferred_levels_note,
    join_notes,
    levels_from,
    note_value,
    renamed_arguments,
)
from ._common import note as _note
from ._source import as_frame_or_source
from ._tables import encode_groups, group_tables, prefetch_tables, resolve_items, resolve_weights

__all__ = ["association", "chi_square", "ordinal_association", "rao_scott"]

COLUMNS = [
    "item",
    "n",
    "test",
    "chi2",
    "F",
    "dof",
    "ddf",
    "p",
    "p_adj",
    "cramers_v",
    "ordinal_test",
    "ordinal_stat",
    "ordinal_dof",
    "ordinal_p",
    "ordinal_p_adj",
    "note",
]


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


def ordinal_association(
    table: np.ndarray, row_scores: np.ndarray | None, col_scores: np.ndarray
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


def rao_scott(weighted: np.ndarray, squares: np.ndarray, n_rows: float) -> tuple[float, float, float, float, float]:
    """Rao–Scott second-order F of an r × c table from Σw and Σw² per cell and the number of rows.

    Returns X² (of the table rescaled to ``n_rows``), F, d₀, d₀·(n − 1) and p, as
    ``survey::svychisq(statistic = "F")`` with ``svydesign(ids = ~1, weights = ~w)``.
    """
    rows, cols = weighted.shape
    total = weighted.sum()
    share = (weighted / total).ravel(order="F")  # rows vary fastest, as R's expand.grid
    s = squares.ravel(order="F")
    n = float(n_rows)
    outer = np.outer(s, share)
    v = n / (n - 1.0) / total**2 * (np.diag(s) - outer - outer.T + s.sum() * np.outer(share, share))
    row_id = np.tile(np.arange(rows), cols)
    col_id = np.repeat(np.arange(cols), rows)
    main = np.column_stack(
        [np.ones(rows * cols)] + [row_id == a for a in range(1, rows)] + [col_id == b for b in range(1, cols)]
    ).astype(float)
    interaction = np.column_stack(
        [(row_id == a) & (col_id == b) for b in range(1, cols) for a in range(1, rows)]
    ).astype(float)
    contrast = interaction - main @ np.linalg.lstsq(main, interaction, rcond=None)[0]
    inverse_d = np.where(share > 0, 1.0 / np.where(share > 0, share, 1.0), 0.0)
    weighted_c = contrast * inverse_d[:, None]
    denominator = contrast.T @ weighted_c / n
    numerator = weighted_c.T @ v @ weighted_c
    delta = np.linalg.solve(denominator, numerator)
    trace = float(np.trace(delta))
    d0 = trace**2 / float(np.trace(delta @ delta))
    table = weighted / total * n
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    x2 = float(((table - expected) ** 2 / expected).sum())
    f = x2 / trace
    return x2, f, d0, d0 * (n - 1.0), float(sps.f.sf(f, d0, d0 * (n - 1.0)))


def _group_scores(data: pd.DataFrame, by: list[str], keys: pd.DataFrame) -> np.ndarray | None:
    if len(by) != 1:
        return None
    # a data source's metadata gives the column's type without reading the column (None: it must be read)
    dtype = data[by[0]].dtype if isinstance(data, pd.DataFrame) else data.column_dtype(by[0])
    if dtype is None:
        dtype = data[by[0]].dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if not dtype.ordered:
            return None
        position = {c: i + 1.0 for i, c in enumerate(dtype.categories)}
        return np.array([position[v] for v in keys[by[0]]], dtype=float)
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
        return keys[by[0]].to_numpy(dtype=float)
    return None


@renamed_arguments({}, positional=("by",))
def association(
    data: pd.DataFrame, items: Any, *, by: Any = None, weights: Any = None, levels: Any = None, adjust: str = "holm"
) -> pd.DataFrame:
    """Test each item for association with a grouping: χ² (Rao–Scott with weights), Cramér's V, an ordinal test.

    Parameters
    ----------
    data : DataFrame
    items : list of str or Rubric
        Item columns holding levels (a rubric also gives the levels).
    by : str or list of str
        Grouping column(s). A single ordered categorical (such as the normalised ``size``: micro < small
        < medium < large) or numeric column gets the linear-by-linear test; anything else the mean-score
        test (see the module notes).
    weights : str or array, optional
        Row weights: the χ² test becomes the Rao–Scott second-order corrected F
        (``survey::svychisq(statistic = "F")``), and the note says so.
    levels : sequence or Rubric, optional
        The ordered levels (default the rubric's, else every integer between the observed extremes).
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}
        Correction over the items, of ``p`` (``p_adj``) and of ``ordinal_p`` (``ordinal_p_adj``).

    Returns
    -------
    DataFrame
        ``item, n, test, chi2, F, dof, ddf, p, p_adj, cramers_v, ordinal_test, ordinal_stat, ordinal_dof,
        ordinal_p, ordinal_p_adj, note`` — one row per item. ``test`` is "pearson" (χ² on ``dof``) or
        "rao-scott" (``F`` on ``dof`` and ``ddf``, ``chi2`` the Pearson X² it corrects). ``note`` reports
        dropped empty levels or groups, expected counts below 5 (Cochran's rule) and why a test could not
        be run.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> table = dxlab.stats.association(data, dxlab.load_rubric("mobifone-dx"), by="size")
    >>> table["ordinal_test"].iloc[0]
    'linear-by-linear'
    """
    data = as_frame_or_source(data)
    adjust = check_adjust(adjust)
    if by is None:
        raise ValueError("by= is required: the column(s) that define the groups")
    check_columns(data)
    levels = levels_from(items, levels)
    items = resolve_items(data, items)
    check_columns(data, items)
    by_columns = [by] if isinstance(by, str) else list(by)
    enc = encode_items(data, items, levels)
    groups = encode_groups(data, by_columns)
    w = resolve_weights(data, weights)
    # a data source builds the tables and the level counts of the levels note in one pass
    wanted = [("groups", w), ("levels", None)] + ([("groups", None), ("groups", w * w)] if w is not None else [])
    prefetch_tables(enc, wanted, groups)
    level_note = inferred_levels_note(enc) if levels is None else ""
    tables = group_tables(enc, groups, w)
    counted = tables if w is None else group_tables(enc, groups)
    squares = None if w is None else group_tables(enc, groups, w * w)
    row_scores_all = _group_scores(data, by_columns, groups.keys)
    rows = []
    for i, item in enumerate(items):
        record = _item_record(
            item, tables[i], counted[i], None if squares is None else squares[i], enc, groups, row_scores_all
        )
        record["note"] = join_notes(record["note"], level_note)
        rows.append(record)
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if not c.endswith("p_adj")])
    frame.insert(COLUMNS.index("p_adj"), "p_adj", adjust_pvalues(frame["p"].to_numpy(dtype=float), adjust))
    frame.insert(
        COLUMNS.index("ordinal_p_adj"),
        "ordinal_p_adj",
        adjust_pvalues(frame["ordinal_p"].to_numpy(dtype=float), adjust),
    )
    frame["n"] = frame["n"].astype(np.int64)
    frame["ordinal_dof"] = frame["ordinal_dof"].astype("Int64")
    return frame


def _item_record(
    item: str,
    table: np.ndarray,
    counted: np.ndarray,
    squares: np.ndarray | None,
    enc: Any,
    groups: Any,
    row_scores_all: np.ndarray | None,
) -> dict[str, Any]:
    keep_rows = counted.sum(axis=1) > 0
    keep_cols = counted.sum(axis=0) > 0
    answered = float(counted.sum())
    labels = groups.labels
    note = ""
    unused = [str(v) for v, kept in zip(enc.levels, keep_cols) if not kept]
    if unused and keep_cols.any():
        note = join_notes(note, _note("levels_not_chosen", levels=", ".join(unused)))
    empty_groups = [labels[g] for g in np.flatnonzero(~keep_rows)]
    if empty_groups and keep_rows.any():
        note = join_notes(note, _note("groups_without_answers", groups=", ".join(empty_groups)))
    sub = table[keep_rows][:, keep_cols]
    record: dict[str, Any] = {
        "item": item,
        "n": int(answered),
        "test": "pearson" if squares is None else "rao-scott",
        "chi2": np.nan,
        "F": np.nan,
        "dof": np.nan,
        "ddf": np.nan,
        "p": np.nan,
        "cramers_v": np.nan,
        "ordinal_test": "linear-by-linear" if row_scores_all is not None else "mean-score",
        "ordinal_stat": np.nan,
        "ordinal_dof": np.nan,
        "ordinal_p": np.nan,
    }
    if answered == 0:
        return {**record, "note": join_notes(note, _note("no_answers"))}
    if sub.shape[0] < 2:
        return {**record, "note": join_notes(note, _note("one_group_answered"))}
    if sub.shape[1] < 2:
        return {**record, "note": join_notes(note, _note("one_level_chosen"))}
    if squares is not None:
        sub_squares = squares[keep_rows][:, keep_cols]
        x2, f, d0, ddf, p = rao_scott(sub, sub_squares, answered)
        n_eff = sub.sum() ** 2 / sub_squares.sum()
        sub = sub * (n_eff / sub.sum())
        _, _, _, v, expected = chi_square(sub)
        record.update(chi2=x2, F=f, dof=d0, ddf=ddf, p=p, cramers_v=v)
        note = join_notes(
            _note("rao_scott", n=note_value(n_eff, ".1f")),
            note,
        )
    else:
        chi2, dof, p, v, expected = chi_square(sub)
        record.update(chi2=chi2, dof=dof, p=p, cramers_v=v)
    small = expected < SMALL_EXPECTED
    if small.any():
        note = join_notes(
            note,
            _note(
                "small_expected", small=int(small.sum()), cells=small.size, smallest=note_value(expected.min(), ".2g")
            ),
        )
    row_scores = None if row_scores_all is None else row_scores_all[keep_rows]
    test, stat, odof, op = ordinal_association(sub, row_scores, enc.scores[keep_cols])
    record.update(ordinal_test=test, ordinal_stat=stat, ordinal_dof=odof, ordinal_p=op, note=note)
    return record
