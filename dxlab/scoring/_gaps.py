"""Gap analysis: where each assessment stands against a target, and what the next step is."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._i18n import check_lang
from ..rubric import Rubric, load_rubric
from ._scores import Scores

__all__ = ["gaps", "GAP_COLUMNS"]

GAP_COLUMNS = [
    "response",
    "criterion",
    "dimension",
    "group",
    "text",
    "current",
    "target",
    "gap",
    "weight",
    "priority",
    "next_level",
    "next_label",
    "next_step",
]


def _targets(target: object, rubric: Rubric) -> pd.Series:
    """One target level per criterion id from a level, a mapping (dimension/group/criterion ids) or a Series."""
    ids = list(rubric.criterion_ids)
    levels = rubric.level_values

    def check(value: object, where: str) -> float:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.integer, np.floating))
            or math.isnan(float(value))
            or not min(levels) <= float(value) <= max(levels)
        ):
            raise ValueError(
                f"target for {where} must be a level between {min(levels)} and {max(levels)}, got {value!r}"
            )
        return float(value)

    if isinstance(target, (int, float, np.integer, np.floating)) and not isinstance(target, bool):
        return pd.Series(check(target, "all criteria"), index=ids)
    if isinstance(target, pd.DataFrame):
        raise ValueError(
            "target must be one level, a mapping or a Series per criterion (e.g. "
            "scores.criteria.median()), not a DataFrame"
        )
    if isinstance(target, (Mapping, pd.Series)):
        out = pd.Series(np.nan, index=ids)
        items = target.items()
        unknown = [k for k, _ in target.items() if k not in rubric]
        if unknown:
            raise ValueError(
                f"target names {', '.join(map(repr, unknown))}, which are not dimension, group or "
                f"criterion ids of rubric {rubric.id!r}"
            )
        # Broader scopes first, so a criterion's own target overrides its group's and dimension's.
        rank = {"Dimension": 0, "Group": 1, "Criterion": 2}
        for key, value in sorted(items, key=lambda kv: rank[type(rubric[kv[0]]).__name__]):
            if isinstance(value, float) and math.isnan(value):
                continue
            item = rubric[key]
            members = [c.id for c in getattr(item, "criteria", (item,))]
            out[members] = check(value, repr(key))
        return out
    raise ValueError(
        f"target must be a level (e.g. 4), a dict per dimension/group/criterion id, or a Series "
        f"per criterion id (a benchmark profile such as the sector median); got "
        f"{type(target).__name__}"
    )


def gaps(
    scores: Scores | pd.DataFrame,
    rubric: Rubric | str,
    target: object = 4,
    *,
    lang: str = "vi",
    include_met: bool = False,
) -> pd.DataFrame:
    """Per criterion: current level, target, gap, priority and the next-level descriptor as next step.

    Parameters
    ----------
    scores : Scores or DataFrame
        ``Scores`` from :func:`dxlab.score` (its ``criteria`` levels are used), or a frame of levels with one
        column per criterion id.
    rubric : Rubric or str
    target : int, dict or Series
        One level for every criterion; a dict keyed by dimension, group or criterion ids (the most specific
        wins); or a Series indexed by criterion id — a benchmark profile such as the sector median
        ``scores.criteria[sector_mask].median()``. Fractional targets are rounded up to a whole level.
    lang : {"vi", "en"}
        Language of the criterion text, level label and next step.
    include_met : bool
        Also list criteria already at or above target (gap 0).

    Returns
    -------
    DataFrame with columns ``response, criterion, dimension, group, text, current, target, gap, weight,
    priority, next_level, next_label, next_step``, sorted by response (in input order) then priority
    (descending). ``gap = target − current`` (an unanswered criterion counts as level 0 below the first
    level, so its gap is ``target − 0`` and its next step is the first level's descriptor);
    ``priority = gap × weight``.
    """
    check_lang(lang)
    rubric = load_rubric(rubric)
    levels = scores.criteria if isinstance(scores, Scores) else scores
    if not isinstance(levels, pd.DataFrame):
        raise ValueError(f"scores must be a Scores object or a DataFrame of levels, not {type(scores).__name__}")
    targets = np.ceil(_targets(target, rubric) - 1e-9)
    crit_ids = [c for c in rubric.criterion_ids if c in levels.columns and not math.isnan(targets[c])]
    if not crit_ids:
        raise ValueError(f"no criterion of rubric {rubric.id!r} is both present in the scores and given a target")
    table = rubric.criteria.set_index("id").loc[crit_ids]
    current = levels[crit_ids].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    n = len(levels)
    target_row = targets[crit_ids].to_numpy()
    cur_or_zero = np.nan_to_num(current, nan=0.0)
    gap = np.clip(target_row - cur_or_zero, 0, None)
    long = pd.DataFrame(
        {
            "response": np.repeat(levels.index.to_numpy(), len(crit_ids)),
            "criterion": np.tile(crit_ids, n),
            "current": pd.array(current.ravel(), dtype="Float64").astype("Int8"),
            "target": np.tile(target_row, n).astype(int),
            "gap": gap.ravel().astype(int),
        }
    )
    keep = long["gap"] > 0 if not include_met else np.ones(len(long), dtype=bool)
    long = long[keep].copy()
    long["dimension"] = long["criterion"].map(table["dimension"])
    long["group"] = long["criterion"].map(table["group"])
    long["text"] = long["criterion"].map(table[f"text_{lang}"])
    long["weight"] = long["criterion"].map(table["weight"])
    long["priority"] = long["gap"] * long["weight"]
    top = max(rubric.level_values)
    next_level = (long["current"].fillna(0).astype(int) + 1).where(lambda s: s <= top)
    long["next_level"] = next_level.astype("Int8")
    long["next_label"] = [rubric.level_label(int(v), lang) if pd.notna(v) else None for v in next_level]
    long["next_step"] = [
        rubric.descriptor(c, int(v), lang) if pd.notna(v) and int(v) in rubric.criterion(c).levels else None
        for c, v in zip(long["criterion"], next_level)
    ]
    order = pd.factorize(long["response"])[0]
    long = (
        long.assign(_order=order)
        .sort_values(["_order", "priority", "criterion"], ascending=[True, False, True], kind="stable")
        .drop(columns="_order")
    )
    return long[GAP_COLUMNS].reset_index(drop=True)
