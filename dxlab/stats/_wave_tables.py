"""The tables a report needs when a second wave exists: one enterprise's T0 → T1 per dimension, and a sector's
"change since the last wave" (paired change, overall transitions, who moved).

Both take a :class:`~dxlab.Scores` object of one row per enterprise and wave (combine several respondents
first with :func:`dxlab.consensus`) and compute nothing new: they arrange :func:`paired_change` and
:func:`transition_matrix` for the report models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import given_or_block_lang, tr
from ._change import Transitions, paired_change, transition_matrix
from ._pairs import as_frame, pair_up, wave_order

__all__ = ["ENTERPRISE_CHANGE_COLUMNS", "MOVER_COLUMNS", "SectorChange", "enterprise_change", "sector_change"]

ENTERPRISE_CHANGE_COLUMNS = [
    "dimension",
    "before",
    "after",
    "score_before",
    "score_after",
    "change",
    "level_before",
    "level_after",
    "direction",
    "note",
]
MOVER_COLUMNS = ["enterprise_id", "level_before", "level_after", "score_before", "score_after", "change", "direction"]


def _direction(change: float) -> str:
    if not np.isfinite(change):
        return ""
    return "up" if change > 0 else ("down" if change < 0 else "same")


def enterprise_change(
    scores: Any,
    enterprise: Any,
    *,
    id: str = "enterprise_id",
    wave: str = "wave",
    before: Any = None,
    after: Any = None,
    lang: str | None = None,
) -> pd.DataFrame:
    """One enterprise's dimension scores and reached levels in two waves (default: its last two).

    Returns
    -------
    DataFrame
        ``dimension, before, after, score_before, score_after, change, level_before, level_after, direction,
        note`` — one row per dimension and a last row ``"overall"``; ``direction`` is ``up``, ``same`` or
        ``down`` by score. An enterprise with one wave only gets an empty table (the report then shows no
        change section); its ``attrs["note"]`` says why.

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel(n=60, seed=1, respondents=False)
    >>> scores = dxlab.score(panel, "mobifone-dx")
    >>> enterprise = panel["enterprise_id"].iloc[0]
    >>> dxlab.stats.enterprise_change(scores, enterprise)["dimension"].iloc[-1]
    'overall'
    """
    lang = given_or_block_lang(lang)
    frame, dimensions, _ = as_frame(scores, None)
    rows = frame[(frame[id] == enterprise).to_numpy()]
    if rows.empty:
        raise ValueError(f"enterprise {enterprise!r} is not in the scores (column {id!r})")
    waves = wave_order(rows, wave)
    if len(waves) < 2 and (before is None or after is None):
        table = pd.DataFrame(columns=ENTERPRISE_CHANGE_COLUMNS)
        table.attrs["note"] = tr("waves.note_one_wave_only", lang, enterprise=enterprise)
        return table
    items = dimensions + ["overall"]
    scored = [f"score.{d}" for d in items]
    pairs = pair_up(rows, items + scored, id=id, wave=wave, before=before, after=after)
    k = len(items)
    out = []
    for j, dimension in enumerate(items):
        start, end = pairs.x[0, k + j], pairs.y[0, k + j]
        change = end - start
        note = "" if np.isfinite(change) else tr("waves.note_not_both_waves", lang)
        out.append(
            {
                "dimension": dimension,
                "before": pairs.before,
                "after": pairs.after,
                "score_before": start,
                "score_after": end,
                "change": change,
                "level_before": pairs.x[0, j],
                "level_after": pairs.y[0, j],
                "direction": _direction(change),
                "note": note,
            }
        )
    table = pd.DataFrame(out, columns=ENTERPRISE_CHANGE_COLUMNS)
    for column in ("level_before", "level_after"):
        table[column] = pd.array(table[column].to_numpy(dtype=float), dtype="Float64").astype("Int8")
    return table


@dataclass(frozen=True)
class SectorChange:
    """A sector's (or everyone's) change since the last wave.

    ``dimensions``: :func:`paired_change` of the dimension scores and of the overall score; ``levels``: the
    same on the reached levels; ``overall``: the overall level's :class:`Transitions`; ``movers``: every
    paired enterprise with its overall level and score before and after, largest change first.
    """

    before: Any
    after: Any
    dimensions: pd.DataFrame
    levels: pd.DataFrame
    overall: Transitions
    movers: pd.DataFrame


def sector_change(
    scores: Any,
    *,
    id: str = "enterprise_id",
    wave: str = "wave",
    before: Any = None,
    after: Any = None,
    by: str | None = None,
    adjust: str = "holm",
    lang: str | None = None,
) -> SectorChange:
    """Change since the last wave for a set of enterprises (filter the scores to one sector first, or use ``by``).

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel(n=120, seed=1, respondents=False)
    >>> change = dxlab.stats.sector_change(dxlab.score(panel, "mobifone-dx"))
    >>> change.overall.counts.shape
    (5, 5)
    """
    frame, dimensions, _ = as_frame(scores, None)
    scored = [f"score.{d}" for d in dimensions + ["overall"]]
    options = {"id": id, "wave": wave, "before": before, "after": after, "lang": lang}
    dims = paired_change(scores, scored, by=by, adjust=adjust, **options)
    levels = paired_change(scores, dimensions + ["overall"], by=by, adjust=adjust, **options)
    overall = transition_matrix(scores, "overall", **options)
    pairs = pair_up(frame, ["overall", "score.overall"], id=id, wave=wave, before=before, after=after)
    both = ~np.isnan(pairs.x[:, 1]) & ~np.isnan(pairs.y[:, 1])
    change = pairs.y[both, 1] - pairs.x[both, 1]
    movers = pd.DataFrame(
        {
            id: pairs.ids[both],
            "level_before": pairs.x[both, 0],
            "level_after": pairs.y[both, 0],
            "score_before": pairs.x[both, 1],
            "score_after": pairs.y[both, 1],
            "change": change,
            "direction": [_direction(c) for c in change],
        },
        columns=[id, *MOVER_COLUMNS[1:]],
    )
    for column in ("level_before", "level_after"):
        movers[column] = pd.array(movers[column].to_numpy(dtype=float), dtype="Float64").astype("Int8")
    movers = movers.sort_values(["change", id], ascending=[False, True], kind="stable")
    return SectorChange(pairs.before, pairs.after, dims, levels, overall, movers.reset_index(drop=True))
