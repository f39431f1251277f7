"""Scale scores per respondent: the mean of the answered items, reverse-keyed items recoded first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ._common import check_columns, encode_items, levels_from, renamed_arguments, reverse_codes, reverse_items_of
from ._tables import resolve_items

__all__ = ["scale_scores"]


@renamed_arguments({})
def scale_scores(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    reverse: Any = None,
    min_answered: int = 1,
) -> pd.DataFrame:
    """Each respondent's mean level on each scale, with reverse-keyed items recoded min + max − x.

    Parameters
    ----------
    data : DataFrame
    items : list of str, dict of name → list of str, or Rubric
        One scale (a list, named ``score``), several (a dict), or one per rubric dimension.
    by, weights : None
        Not used (a score belongs to one respondent); accepted for the common vocabulary.
    levels : sequence or Rubric, optional
        The ordered levels (their min and max define the reversal).
    reverse : list of str, optional
        Reverse-keyed items (default: the rubric's ``reverse_items`` when ``items`` is a rubric).
    min_answered : int
        Fewer answered items than this gives a missing score.

    Returns
    -------
    DataFrame
        One column per scale, indexed like ``data``; ``attrs["reversed"]`` lists the reversed items.

    Examples
    --------
    >>> import pandas as pd, dxlab
    >>> frame = pd.DataFrame({"a": [1, 5], "b": [5, 1]})
    >>> dxlab.stats.scale_scores(frame, ["a", "b"], levels=[1, 2, 3, 4, 5], reverse=["b"])["score"].tolist()
    [1.0, 5.0]
    """
    if by is not None or weights is not None:
        raise ValueError("scale_scores gives one score per respondent: by= and weights= do not apply")
    check_columns(data)
    levels = levels_from(items, levels)
    reverse_list = reverse_items_of(items, reverse, data)
    if hasattr(items, "dimensions"):
        scales = {d.id: [c.id for c in d.criteria if c.id in data.columns] for d in items.dimensions}
        scales = {name: members for name, members in scales.items() if members}
    elif isinstance(items, Mapping):
        scales = {str(name): resolve_items(data, members) for name, members in items.items()}
    else:
        scales = {"score": resolve_items(data, items)}
    all_items = list(dict.fromkeys(item for members in scales.values() for item in members))
    check_columns(data, all_items)
    enc, reversed_items = reverse_codes(
        encode_items(data, all_items, levels), [i for i in reverse_list if i in all_items]
    )
    values = np.where(enc.codes >= 0, enc.scores[np.maximum(enc.codes, 0)], np.nan)
    position = {item: i for i, item in enumerate(all_items)}
    out = pd.DataFrame(index=data.index)
    for name, members in scales.items():
        block = values[:, [position[m] for m in members]]
        answered = np.isfinite(block).sum(axis=1)
        with np.errstate(invalid="ignore"):
            score = np.nanmean(np.where(answered[:, None] > 0, block, 0.0), axis=1) if block.size else np.nan
        out[name] = np.where(answered >= max(1, min_answered), score, np.nan)
    out.attrs["reversed"] = list(reversed_items)
    return out
