"""Peer percentiles: where each enterprise stands among enterprises of its sector and size class.

Definition (stated because percentiles have many): the *mid-rank percentile*
100 · (#{peers with a lower score} + ½ · #{peers with the same score}) / #{peers}, the enterprise itself
counted among its peers — ``scipy.stats.percentileofscore(peer_scores, score, kind="mean")``. An
enterprise alone in its group is at 50; the best of four distinct scores is at 87.5. Scores are compared
after rounding to 9 decimals so that means computed in different orders still tie.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ._common import SMALL_GROUP, join_notes

__all__ = ["peer_percentile"]

COLUMNS = ["measure", "score", "percentile", "n_group", "note"]


def _score_frame(
    scores: Any, score: str | Sequence[str] | None, measures: Sequence[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The columns to rank (one per measure) and the metadata that came with them."""
    if hasattr(scores, "overall") and hasattr(scores, "dimensions"):
        frame = pd.concat([scores.overall[["score"]].rename(columns={"score": "overall"}), scores.dimensions], axis=1)
        if measures is not None:
            unknown = [m for m in measures if m not in frame.columns]
            if unknown:
                raise ValueError(
                    f"measures not in the scores: {', '.join(unknown)}; available: {', '.join(map(str, frame.columns))}"
                )
            frame = frame[list(measures)]
        return frame, getattr(scores, "meta", None)
    if isinstance(scores, pd.Series):
        scores = scores.to_frame(name=scores.name if scores.name is not None else "score")
    if not isinstance(scores, pd.DataFrame):
        raise TypeError(f"scores must be a dxlab Scores object or a DataFrame, not {type(scores).__name__}")
    names = (
        [score]
        if isinstance(score, str)
        else list(score)
        if score is not None
        else (list(measures) if measures is not None else ["score"])
    )
    missing = [c for c in names if c not in scores.columns]
    if missing:
        raise ValueError(
            f"score column(s) {', '.join(missing)} not in the data; pass score= naming the "
            f"column(s) to rank (columns are {', '.join(map(str, scores.columns))})"
        )
    return scores[names], scores


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


def peer_percentile(
    scores: Any,
    by: str | Sequence[str] = ("sector", "size"),
    *,
    responses: pd.DataFrame | None = None,
    score: str | Sequence[str] | None = None,
    measures: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Each enterprise's mid-rank percentile among the enterprises of its group (sector × size by default).

    Parameters
    ----------
    scores : Scores or DataFrame
        A :class:`dxlab.scoring.Scores` (its overall score and every dimension score are ranked, the
        grouping columns come from ``scores.meta``) or a frame with score column(s) and, usually, the
        grouping columns.
    by : str or sequence of str
        The columns defining peer groups.
    responses : DataFrame, optional
        Where to find grouping columns that ``scores`` lacks (aligned on the index or on ``response_id``).
    score : str or list of str, optional
        With a DataFrame: the column(s) to rank (default ``"score"``).
    measures : list of str, optional
        With a Scores object: which of ``"overall"`` and the dimension ids to rank (default all).

    Returns
    -------
    DataFrame
        ``<index name>, [*by], measure, score, percentile, n_group, note`` — one row per response and
        measure; ``n_group`` counts the peers with a score (the enterprise included).

    Examples
    --------
    >>> import pandas as pd, dxlab
    >>> frame = pd.DataFrame({"sector": ["C", "C", "C", "J"], "size": "small", "score": [2.0, 3.0, 3.0, 4.0]})
    >>> dxlab.stats.peer_percentile(frame)["percentile"].round(1).tolist()
    [16.7, 66.7, 66.7, 50.0]
    """
    by_columns = [by] if isinstance(by, str) else list(by)
    if not by_columns:
        raise ValueError("by is empty: name the columns that define peer groups")
    values, meta = _score_frame(scores, score, measures)
    index = values.index
    keys = _keys(by_columns, index, [values if isinstance(scores, pd.DataFrame) else None, meta, responses])
    id_name = index.name or "index"
    group_codes = keys.groupby(by_columns, dropna=True, observed=True, sort=False).ngroup().to_numpy()
    parts = []
    for measure in values.columns:
        numbers = pd.to_numeric(values[measure], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        rounded = np.round(numbers, 9)
        usable = np.isfinite(rounded) & (group_codes >= 0)
        series = pd.Series(np.where(usable, rounded, np.nan))
        grouping = pd.Series(np.where(group_codes >= 0, group_codes, -1))
        ranks = series.groupby(grouping).rank(method="average").to_numpy()
        counts = series.groupby(grouping).transform("count").to_numpy(dtype=float)
        with np.errstate(invalid="ignore", divide="ignore"):
            percentile = np.where(usable, 100.0 * (ranks - 0.5) / counts, np.nan)
        notes = []
        for has_key, has_score, count in zip(group_codes >= 0, np.isfinite(numbers), counts):
            note = ""
            if not has_key:
                note = f"no {' / '.join(by_columns)}: no peer group"
            elif not has_score:
                note = "no score"
            elif count < SMALL_GROUP:
                note = join_notes(
                    note, f"only {int(count)} peer{'s' if count != 1 else ''} with a score: percentile is rough"
                )
            notes.append(note)
        part = keys.reset_index(drop=True).copy()
        part.insert(0, id_name, index.to_numpy())
        part["measure"] = str(measure)
        part["score"] = numbers
        part["percentile"] = percentile
        part["n_group"] = np.where(group_codes >= 0, np.nan_to_num(counts), 0).astype(np.int64)
        part["note"] = notes
        parts.append(part)
    return pd.concat(parts, ignore_index=True)[[id_name, *by_columns, *COLUMNS]]
