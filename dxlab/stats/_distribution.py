"""Level distributions: how many answered each level, overall or per group, with Wilson intervals.

Why our own: R's ``likert`` package drops a level that one group never chose and shifts the labels of the
others (jbryer/likert #50); ``value_counts`` does the same silently. Here the levels come from the
rubric (or every integer between the observed extremes) and every group × item × level row is present,
with count 0 when nobody chose it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.special import ndtri

from ._common import (
    SMALL_GROUP,
    check_columns,
    check_confidence,
    encode_items,
    inferred_levels_note,
    join_notes,
    levels_from,
    note,
    renamed_arguments,
)
from ._distribution_sums import distribution_sums
from ._source import as_frame_or_source, is_source
from ._tables import Groups, encode_groups, group_tables, resolve_items, resolve_weights

__all__ = ["level_distribution", "wilson_interval"]


def wilson_interval(share: np.ndarray, n: np.ndarray, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval for a proportion ``share`` out of ``n`` (an effective n may be fractional).

    (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹(1 − (1 − confidence)/2).
    """
    z = ndtri(0.5 + confidence / 2.0)
    share = np.asarray(share, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        denominator = 1.0 + z * z / n
        centre = (share + z * z / (2.0 * n)) / denominator
        half = z * np.sqrt(share * (1.0 - share) / n + z * z / (4.0 * n * n)) / denominator
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return low, high


@renamed_arguments({}, positional=("by", "weights"))
def level_distribution(
    data: pd.DataFrame,
    items: Any,
    *,
    by: str | list[str] | None = None,
    weights: Any = None,
    levels: Any = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Counts and shares of each level of each item, optionally per group, with Wilson intervals.

    Parameters
    ----------
    data : DataFrame
        One row per response.
    items : list of str or Rubric
        Item columns holding levels.
    by : str or list of str, optional
        Grouping column(s); rows with a missing group are left out.
    weights : str or array, optional
        Row weights: ``count`` becomes the weighted count and ``share`` the weighted share; the interval
        uses the Kish effective size (Σw)²/Σw² of the answers in the cell's item and group.
    levels : sequence or Rubric, optional
        Levels to report (a rubric's levels keep the ones nobody chose). Default: the rubric's levels when
        ``items`` is a rubric, else every integer between the smallest and largest observed level (with a
        note when a value looks like a typo).
    confidence : float
        Level of the Wilson interval (Wilson 1927).

    Returns
    -------
    DataFrame
        ``[*by], item, level, count, share, ci_low, ci_high, n, note`` — ``n`` is the number of answers to
        the item (in the group), ``share = count / total``. Groups with fewer than 5 answers and items
        nobody answered are flagged in ``note``.

    Examples
    --------
    >>> import dxlab
    >>> rubric = dxlab.load_rubric("mobifone-dx")
    >>> data = dxlab.sample.synthetic_responses(rubric, n=200, seed=1)
    >>> table = dxlab.stats.level_distribution(data, rubric, by="size", levels=rubric)
    >>> list(table.columns)
    ['size', 'item', 'level', 'count', 'share', 'ci_low', 'ci_high', 'n', 'note']
    """
    data = as_frame_or_source(data)
    confidence = check_confidence(confidence)
    check_columns(data)
    levels = levels_from(items, levels)
    items = resolve_items(data, items)
    check_columns(data, items)
    by_columns: list[str] = [] if by is None else ([by] if isinstance(by, str) else list(by))
    if is_source(data):
        level_values, counts, answered, squares, level_note, groups = _source_tables(
            data, items, levels, by_columns, weights
        )
        w = None if weights is None else True
    else:
        enc = encode_items(data, items, levels)
        level_values = tuple(enc.levels)
        level_note = inferred_levels_note(enc) if levels is None else ""
        w = resolve_weights(data, weights)
        if by is None:
            groups = Groups((), pd.DataFrame(index=pd.RangeIndex(1)), np.zeros(len(data), dtype=np.int64))
        else:
            groups = encode_groups(data, by_columns)
        counts = group_tables(enc, groups, w)  # (k, G, L)
        answered = group_tables(enc, groups) if w is not None else counts
        squares = group_tables(enc, groups, w * w).sum(axis=2) if w is not None else None
    n = answered.sum(axis=2)  # (k, G)
    total = counts.sum(axis=2)
    if squares is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            n_ci = np.where(squares > 0, total * total / squares, 0.0)
    else:
        n_ci = n
    k, n_groups, n_levels = counts.shape
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[:, :, None] > 0, counts / total[:, :, None], np.nan)
    low, high = wilson_interval(share, np.broadcast_to(n_ci[:, :, None], share.shape), confidence)

    notes = np.empty((k, n_groups), dtype=object)
    for i in range(k):
        for g in range(n_groups):
            answers = n[i, g]
            if answers == 0:
                notes[i, g] = note("no_answers")
            elif answers < SMALL_GROUP:
                key = "answer_unstable" if answers == 1 else "answers_unstable"
                notes[i, g] = note(key, n=f"{answers:.0f}")
            else:
                notes[i, g] = ""
            if w is not None and answers > 0 and total[i, g] == 0:
                notes[i, g] = join_notes(notes[i, g], note("all_weights_zero"))
            notes[i, g] = join_notes(notes[i, g], level_note)

    # order: group, item, level
    g_idx, i_idx, l_idx = (
        grid.ravel() for grid in np.meshgrid(np.arange(n_groups), np.arange(k), np.arange(n_levels), indexing="ij")
    )
    frame = pd.DataFrame({column: groups.keys[column].to_numpy()[g_idx] for column in by_columns})
    for column in by_columns:
        if isinstance(groups.keys[column].dtype, pd.CategoricalDtype):
            frame[column] = pd.Categorical(frame[column], dtype=groups.keys[column].dtype)
    frame["item"] = np.array(items, dtype=object)[i_idx] if k else np.array([], dtype=object)
    frame["level"] = np.array(level_values, dtype=object)[l_idx] if n_levels else np.array([], dtype=object)
    if n_levels and all(isinstance(v, (int, np.integer)) for v in level_values):
        frame["level"] = frame["level"].astype(np.int64)
    counted = counts[i_idx, g_idx, l_idx]
    frame["count"] = counted if w is not None else counted.astype(np.int64)
    frame["share"] = share[i_idx, g_idx, l_idx]
    frame["ci_low"] = low[i_idx, g_idx, l_idx]
    frame["ci_high"] = high[i_idx, g_idx, l_idx]
    frame["n"] = n[i_idx, g_idx].astype(np.int64)
    frame["note"] = notes[i_idx, g_idx] if k and n_groups else np.array([], dtype=object)
    return frame.reset_index(drop=True)


def _source_tables(
    data: Any, items: list[str], levels: Any, by_columns: list[str], weights: Any
) -> tuple[tuple[Any, ...], np.ndarray, np.ndarray, np.ndarray | None, str, Groups]:
    """The tables of a Parquet dataset or a Dask DataFrame from one pass (:mod:`._distribution_sums`):
    levels, weighted counts and answers ``(k, G, L)``, Σw² ``(k, G)`` (weighted) and the levels note."""
    resolve_weights(data, weights)  # a column of the source, or a clear error
    if by_columns:
        groups = encode_groups(data, by_columns)
    else:
        groups = Groups((), pd.DataFrame(index=pd.RangeIndex(1)), np.zeros(0, dtype=np.int64))
    found, sums = distribution_sums(data, items, levels, tuple(by_columns), groups.keys, weights)
    counts = sums["by group counts"][:, 1:, :]  # slot 0: rows without a known group
    answered = sums["by group answered"][:, 1:, :]
    squares = sums["by group squares"][:, 1:, :].sum(axis=2) if weights is not None else None
    note = ""
    if levels is None and found:
        used = sums["by group answered"].sum(axis=(0, 1)) > 0
        whole = all(isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer() for v in found)
        if not (whole and used.all()):  # something to say: the rows that say it are read
            note = inferred_levels_note(encode_items(data, items, found))
    return found, counts, answered, squares, note, groups
