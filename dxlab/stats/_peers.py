"""Peer percentiles: where each enterprise stands among enterprises of its sector and size class.

Definition (stated because percentiles have many): the *mid-rank percentile*
100 · (#{peers with a lower score} + ½ · #{peers with the same score}) / #{peers}, the enterprise itself
counted among its peers — ``scipy.stats.percentileofscore(peer_scores, score, kind="mean")``. An
enterprise alone in its group is at 50; the best of four distinct scores is at 87.5. Scores are compared
after rounding to 9 decimals so that means computed in different orders still tie.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import SMALL_GROUP, check_columns, join_notes, renamed_arguments, rows_label
from ._common import note as _note

__all__ = ["peer_percentile"]

COLUMNS = ["item", "score", "percentile", "n_group", "note"]


def _score_frame(scores: Any, items: Any) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The columns to rank (one per item) and the metadata that came with them."""
    names = None if items is None else ([items] if isinstance(items, str) else list(items))
    if hasattr(scores, "overall") and hasattr(scores, "dimensions"):
        frame = pd.concat([scores.overall[["score"]].rename(columns={"score": "overall"}), scores.dimensions], axis=1)
        if names is not None:
            unknown = [m for m in names if m not in frame.columns]
            if unknown:
                raise ValueError(
                    f"items not in the scores: {', '.join(map(str, unknown))}; available: "
                    f"{', '.join(map(str, frame.columns))}"
                )
            frame = frame[names]
        return frame, getattr(scores, "meta", None)
    if isinstance(scores, pd.Series):
        scores = scores.to_frame(name=scores.name if scores.name is not None else "score")
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"data must be a dxlab Scores object or a DataFrame, not {type(scores).__name__}")
    check_columns(scores, scores.columns)
    names = names if names is not None else ["score"]
    missing = [c for c in names if c not in scores.columns]
    if missing:
        raise ValueError(
            f"score column(s) {', '.join(map(str, missing))} not in the data; pass items= naming the "
            f"column(s) to rank (columns are {', '.join(map(str, scores.columns))})"
        )
    return scores[names], scores


def _old_by(data: Any, items: Any) -> bool:
    """``peer_percentile(scores, "sector")`` — the second argument was ``by`` before the one vocabulary: group
    columns hold labels (text), scores hold numbers, so text columns given as items are the old ``by``."""
    names = [items] if isinstance(items, str) else list(items) if isinstance(items, (list, tuple)) else []
    if not names:
        return False
    if hasattr(data, "overall") and hasattr(data, "dimensions"):
        meta = getattr(data, "meta", None)
        known = {"overall", *map(str, data.dimensions.columns)}
        return meta is not None and all(n not in known and n in meta.columns for n in names)
    if isinstance(data, pd.DataFrame):
        present = [n for n in names if n in data.columns]
        return len(present) == len(names) and not any(pd.api.types.is_numeric_dtype(data[n]) for n in present)
    return False


def _keys(by: list[str], index: pd.Index, sources: list[pd.DataFrame | None]) -> pd.DataFrame:
    keys = {}
    for column in by:
        for source in sources:
            if source is None or column not in source.columns:
                continue
            values = source[column]
            if values.index.equals(index):
                keys[column] = values
            elif index.name is not None and index.name in source.columns:
                aligned = source.set_index(index.name)[column]
                if not aligned.index.is_unique:
                    raise ValueError(f"{index.name} is not unique in the responses")
                keys[column] = aligned.reindex(index)
            elif len(values) == len(index):
                keys[column] = pd.Series(values.to_numpy(), index=index)
            else:
                continue
            break
        else:
            raise ValueError(
                f"group column {column!r} is in neither the scores nor the responses; pass responses= holding it"
            )
    return pd.DataFrame(keys, index=index)


@renamed_arguments({"scores": "data", "score": "items", "measures": "items"})
def peer_percentile(
    data: Any,
    items: Any = None,
    *,
    by: str | Sequence[str] | None = None,
    weights: Any = None,
    levels: Any = None,
    responses: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each enterprise's mid-rank percentile among the enterprises of its group (sector × size by default).

    percentile = 100 · (W_lower + ½ · W_equal) / W_group, where W counts the peers (or sums their weights)
    with a lower score, the same score, and any score in the enterprise's group, the enterprise included.
    Unweighted this is ``scipy.stats.percentileofscore(peers, score, kind="mean")``.

    Parameters
    ----------
    data : Scores or DataFrame
        A :class:`dxlab.scoring.Scores` (its overall score and every dimension score are ranked, the
        grouping columns come from ``data.meta``) or a frame with score column(s) and, usually, the
        grouping columns.
    items : str or list of str, optional
        The score column(s) to rank: with a DataFrame default ``"score"``; with a Scores object which of
        ``"overall"`` and the dimension ids (default all).
    by : str or sequence of str, optional
        The columns defining peer groups (default ``("sector", "size")``).
    weights : str or array, optional
        Respondent weights (a column of ``data`` or one number per row): peers count by their weight.
    levels : list, optional
        The values a score may take; a score outside them is an error naming the column and rows.
    responses : DataFrame, optional
        Where to find grouping columns that ``data`` lacks (aligned on the index or on ``response_id``).

    Returns
    -------
    DataFrame
        ``<index name>, [*by], item, score, percentile, n_group, note`` — one row per response and
        item; ``n_group`` counts the peers with a score (the enterprise included).

    Notes
    -----
    Old names still work with a ``DeprecationWarning``: ``scores=`` (now ``data``), ``score=`` and
    ``measures=`` (now ``items=``), and ``by`` as the second positional argument (recognised because group
    columns hold text, scores numbers). The identifier column was ``measure``; it is ``item``.

    Examples
    --------
    >>> import pandas as pd, dxlab
    >>> frame = pd.DataFrame({"sector": ["C", "C", "C", "J"], "size": "small", "score": [2.0, 3.0, 3.0, 4.0]})
    >>> dxlab.stats.peer_percentile(frame)["percentile"].round(1).tolist()
    [16.7, 66.7, 66.7, 50.0]
    """
    if by is None and items is not None and _old_by(data, items):
        warnings.warn(
            "peer_percentile(): passing by as the second argument is deprecated; use by=",
            DeprecationWarning,
            stacklevel=3,
        )
        items, by = None, items
    by = ("sector", "size") if by is None else by
    by_columns = [by] if isinstance(by, str) else list(by)
    if not by_columns:
        raise ValueError("by is empty: name the columns that define peer groups")
    values, meta = _score_frame(data, items)
    index = values.index
    keys = _keys(by_columns, index, [values if isinstance(data, pd.DataFrame) else None, meta, responses])
    row_weights = _row_weights(data, weights, len(index))
    id_name = index.name or "index"
    group_codes = keys.groupby(by_columns, dropna=True, observed=True, sort=False).ngroup().to_numpy()
    parts = []
    for item in values.columns:
        numbers = pd.to_numeric(values[item], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        _check_levels(values, item, numbers, levels)
        percentile, counts = _percentiles(numbers, group_codes, row_weights)
        part = keys.reset_index(drop=True).copy()
        part.insert(0, id_name, index.to_numpy())
        part["item"] = str(item)
        part["score"] = numbers
        part["percentile"] = percentile
        part["n_group"] = np.where(group_codes >= 0, counts, 0).astype(np.int64)
        part["note"] = _notes(group_codes >= 0, np.isfinite(numbers), counts, by_columns)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[[id_name, *by_columns, *COLUMNS]]


def _row_weights(data: Any, weights: Any, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    if isinstance(weights, str):
        source = data if isinstance(data, pd.DataFrame) else getattr(data, "meta", None)
        if source is None or weights not in source.columns:
            raise ValueError(f"weights column {weights!r} is not in the data")
        weights = source[weights]
    values = pd.to_numeric(pd.Series(np.asarray(weights)), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if values.shape != (n,):
        raise ValueError(f"weights has {values.size} values for {n} rows")
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        raise ValueError(f"weights, {rows_label(pd.RangeIndex(n), bad)}: weights must be finite and ≥ 0")
    return values


def _check_levels(values: pd.DataFrame, item: Any, numbers: np.ndarray, levels: Any) -> None:
    if levels is None:
        return
    allowed = np.asarray(list(getattr(levels, "level_values", levels)), dtype=float)
    bad = np.flatnonzero(np.isfinite(numbers) & ~np.isin(numbers, allowed))
    if bad.size:
        raise ValueError(
            f"column {item!r}, {rows_label(values.index, bad)}: score(s) not among the levels "
            f"{', '.join(f'{v:g}' for v in allowed)}"
        )


def _percentiles(
    numbers: np.ndarray, group_codes: np.ndarray, weights: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """Mid-rank percentile of every row within its group, and the number of peers with a score."""
    rounded = np.round(numbers, 9)  # means computed in different orders still tie
    usable = np.isfinite(rounded) & (group_codes >= 0)
    w = np.ones(numbers.size) if weights is None else weights
    frame = pd.DataFrame({"g": group_codes[usable], "v": rounded[usable], "w": w[usable]})
    equal = frame.groupby(["g", "v"], sort=True)["w"].sum()
    below = equal.groupby(level="g").cumsum() - equal
    total = frame.groupby("g")["w"].sum()
    count = frame.groupby("g")["w"].size()
    key = pd.MultiIndex.from_arrays([frame["g"], frame["v"]])
    percentile = np.full(numbers.size, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        percentile[usable] = (
            100.0
            * (below.reindex(key).to_numpy() + 0.5 * equal.reindex(key).to_numpy())
            / total.reindex(frame["g"]).to_numpy()
        )
    counts = count.reindex(group_codes).fillna(0).to_numpy(dtype=float)
    return percentile, counts


def _notes(has_key: np.ndarray, has_score: np.ndarray, counts: np.ndarray, by_columns: list[str]) -> list[str]:
    notes = []
    for key, score, count in zip(has_key, has_score, counts):
        note = ""
        if not key:
            note = _note("no_peer_group", by=" / ".join(by_columns))
        elif not score:
            note = _note("no_score")
        elif count < SMALL_GROUP:
            note = join_notes(note, _note("one_peer" if count == 1 else "few_peers", n=int(count)))
        notes.append(note)
    return notes
