"""One assessment per enterprise from several respondents: the consensus level and how far they disagree.

In a large enterprise the director, the IT head and the sales head may each answer the questionnaire.
:func:`consensus` turns their answers into one row per enterprise and wave, ready for :func:`dxlab.score`,
and keeps beside it the spread of the answers per criterion — range, interquartile range and r_wg — so the
report card can show where the respondents disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import check_lang, tr
from ..rubric import Rubric, load_rubric

__all__ = ["CONSENSUS_METHODS", "SPREAD_COLUMNS", "Consensus", "consensus"]

CONSENSUS_METHODS = ("median", "mean", "min", "role")
SPREAD_COLUMNS = ["criterion", "n", "consensus", "min", "max", "range", "iqr", "rwg", "flagged", "note"]
# Carried over from the responses: the first non-empty value of the enterprise's rows in that wave.
_CARRIED = ("enterprise_name", "sector", "size", "province", "weight")


@dataclass(frozen=True)
class Consensus:
    """The result of :func:`consensus`.

    Attributes
    ----------
    responses : DataFrame
        One row per enterprise (and wave): the key columns, ``n_respondents``, ``submitted_at`` (the latest),
        carried metadata and one ``Int8`` level per criterion — ready for :func:`dxlab.score`.
    spread : DataFrame
        One row per enterprise, wave and criterion: the key columns, then ``criterion, n, consensus, min,
        max, range, iqr, rwg, flagged, note``. ``flagged`` marks a range of at least ``flag_range`` levels.
    how : str
    flag_range : int
    """

    responses: pd.DataFrame
    spread: pd.DataFrame
    how: str
    flag_range: int

    @property
    def flagged(self) -> pd.DataFrame:
        """The criteria on which an enterprise's respondents disagree by ``flag_range`` levels or more."""
        return self.spread[self.spread["flagged"]].reset_index(drop=True)

    def disagreements(self, enterprise: Any, *, by: str = "enterprise_id") -> pd.DataFrame:
        """The flagged criteria of one enterprise (every wave), widest range first."""
        rows = self.flagged[self.flagged[by] == enterprise]
        return rows.sort_values(["range", "criterion"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _keys(responses: pd.DataFrame, by: str, wave: str | None) -> list[str]:
    keys = [by] + ([wave] if wave is not None and wave in responses.columns else [])
    for key in keys:
        if key not in responses.columns:
            raise ValueError(
                f"column {key!r} is not in the responses; columns are {', '.join(map(str, responses.columns))}"
            )
        empty = responses[key].isna().to_numpy()
        if empty.any():
            raise ValueError(
                f"column {key!r} is empty in row {responses.index[empty][0]!r}; every response needs "
                f"it to be combined with the others of its enterprise"
            )
    return keys


def _levels(responses: pd.DataFrame, criteria: Sequence[str], allowed: Sequence[int]) -> pd.DataFrame:
    table = pd.DataFrame(index=responses.index)
    for crit in criteria:
        series = responses[crit]
        if not pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype):
            raise ValueError(
                f"column {crit!r} holds {series.dtype} values; parse the answers into levels with "
                f"dxlab.parse_levels(...) first"
            )
        values = series.astype("Float64")
        bad = values.notna() & ~values.isin([float(v) for v in allowed])
        if bad.any():
            row = responses.index[bad.to_numpy(dtype=bool)][0]
            value = series.loc[row]
            value = value.item() if isinstance(value, np.generic) else value
            raise ValueError(
                f"row {row!r}, column {crit!r}: {value!r} is not a level of the rubric ({', '.join(map(str, allowed))})"
            )
        table[crit] = values.to_numpy(dtype=float, na_value=np.nan)
    return table


def _role_first(
    levels: pd.DataFrame, responses: pd.DataFrame, keys: list[str], role: str, roles: Sequence[str] | None
) -> pd.DataFrame:
    if not roles:
        raise ValueError(tr("waves.consensus_roles_needed", None))
    if role not in responses.columns:
        raise ValueError(f"how='role' needs the role column {role!r} in the responses")
    rank = responses[role].map({r: i for i, r in enumerate(roles)}).fillna(len(roles)).to_numpy()
    order = np.lexsort((np.arange(len(responses)), rank))
    ordered = pd.concat([responses[keys], levels], axis=1).iloc[order]
    return ordered.groupby(keys, sort=False, observed=True).first()


def _consensus_levels(
    levels: pd.DataFrame,
    grouped: Any,
    how: str,
    responses: pd.DataFrame,
    keys: list[str],
    role: str,
    roles: Sequence[str] | None,
) -> pd.DataFrame:
    if how == "median":
        # the largest level that at least half of the respondents reach: the lower of two middle values
        return grouped.quantile(0.5, interpolation="lower")
    if how == "min":
        return grouped.min()
    if how == "mean":
        return np.ceil(grouped.mean() - 0.5)  # nearest level; halfway goes down (not claimed by half)
    return _role_first(levels, responses, keys, role, roles)


def consensus(
    responses: pd.DataFrame,
    rubric: Rubric | str,
    *,
    by: str = "enterprise_id",
    wave: str | None = "wave",
    how: str = "median",
    roles: Sequence[str] | None = None,
    role: str = "respondent_role",
    flag_range: int = 2,
    lang: str | None = None,
) -> Consensus:
    """Combine the respondents of each enterprise (and wave) into one assessment, with their spread.

    Parameters
    ----------
    responses : DataFrame
        One row per respondent's assessment, one level column per criterion id.
    rubric : Rubric or str
    by : str
        The enterprise column.
    wave : str or None
        The wave column (ignored when absent): respondents are combined within each wave.
    how : {"median", "mean", "min", "role"}
        ``median``: the largest level at least half of the respondents reach (the lower middle value);
        ``mean``: the mean rounded to the nearest level, halfway down; ``min``: the lowest answer (the most
        cautious reading); ``role``: the answer of the first role in ``roles`` who answered the criterion.
    roles : list of str, optional
        Respondent roles in order of authority (``how="role"``); roles not listed come last.
    role : str
        The role column.
    flag_range : int
        A criterion whose answers span at least this many levels is flagged (default 2).
    lang : {"vi", "en"}, optional
        Language of the notes in ``spread``.

    Returns
    -------
    Consensus
        ``responses`` (ready for :func:`dxlab.score`), ``spread`` (range, IQR and r_wg = 1 − s²/σ²_E with
        σ²_E = (A² − 1)/12 for A levels, truncated to [0, 1]), ``flagged``, ``disagreements(enterprise)``.

    Examples
    --------
    >>> import dxlab
    >>> panel = dxlab.sample.synthetic_panel("mobifone-dx", n=50, seed=1)
    >>> combined = dxlab.consensus(panel, "mobifone-dx")
    >>> len(combined.responses) == len(panel[["enterprise_id", "wave"]].drop_duplicates())
    True
    """
    if how not in CONSENSUS_METHODS:
        raise ValueError(f"how must be one of {', '.join(map(repr, CONSENSUS_METHODS))}, not {how!r}")
    if isinstance(flag_range, bool) or not isinstance(flag_range, (int, np.integer)) or flag_range < 1:
        raise ValueError(f"flag_range must be a whole number of levels ≥ 1, not {flag_range!r}")
    rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    criteria = [c for c in rubric.criterion_ids if c in responses.columns]
    if not criteria:
        raise ValueError(
            f"no column of the responses is a criterion of rubric {rubric.id!r} (e.g. "
            f"{', '.join(rubric.criterion_ids[:3])})"
        )
    keys = _keys(responses, by, wave)
    levels = _levels(responses, criteria, rubric.level_values)
    grouped = pd.concat([responses[keys], levels], axis=1).groupby(keys, sort=False, observed=True)[criteria]
    # Reverse-keyed criteria: the consensus is taken on the maturity scale (min + max − answer, so that "min"
    # stays the cautious reading) and turned back into an answer, which score() reverses again.
    reverse = [c for c in getattr(rubric, "reverse_items", ()) if c in criteria]
    flip = min(rubric.level_values) + max(rubric.level_values)
    if reverse:
        maturity = levels.assign(**{c: flip - levels[c] for c in reverse})
        by_maturity = pd.concat([responses[keys], maturity], axis=1).groupby(keys, sort=False, observed=True)
        chosen = _consensus_levels(maturity, by_maturity[criteria], how, responses, keys, role, roles)
        chosen[reverse] = flip - chosen[reverse]
    else:
        chosen = _consensus_levels(levels, grouped, how, responses, keys, role, roles)
    stats = {
        "n": grouped.count(),
        "min": grouped.min(),
        "max": grouped.max(),
        "q1": grouped.quantile(0.25),
        "q3": grouped.quantile(0.75),
        "var": grouped.var(ddof=1),
    }
    chosen = chosen.reindex(stats["n"].index)
    table = _responses_table(responses, keys, criteria, chosen, stats["n"].index)
    spread = _spread(stats, chosen, criteria, keys, len(rubric.level_values), flag_range, check_lang(lang))
    table.attrs["note"] = f"consensus of the respondents ({how})"
    return Consensus(table, spread, how, int(flag_range))


def _responses_table(
    responses: pd.DataFrame, keys: list[str], criteria: list[str], chosen: pd.DataFrame, index: pd.Index
) -> pd.DataFrame:
    grouped = responses.groupby(keys, sort=False, observed=True)
    parts: list[pd.Series | pd.DataFrame] = [grouped.size().rename("n_respondents").reindex(index)]
    if "submitted_at" in responses.columns:
        parts.append(grouped["submitted_at"].max().reindex(index))
    carried = [c for c in _CARRIED if c in responses.columns]
    if carried:
        parts.append(grouped[carried].first().reindex(index))
    table = pd.concat(parts, axis=1).reset_index()
    for crit in criteria:
        table[crit] = pd.array(chosen[crit].to_numpy(dtype=float), dtype="Float64").astype("Int8")
    for column in carried:
        if isinstance(responses[column].dtype, pd.CategoricalDtype):
            table[column] = table[column].astype(responses[column].dtype)
    return table


def _spread(
    stats: dict[str, pd.DataFrame],
    chosen: pd.DataFrame,
    criteria: list[str],
    keys: list[str],
    n_levels: int,
    flag_range: int,
    lang: str,
) -> pd.DataFrame:
    expected = (n_levels**2 - 1) / 12.0
    long = {name: frame[criteria].stack(future_stack=True) for name, frame in stats.items()}
    out = long["n"].reset_index()
    out.columns = keys + ["criterion", "n"]
    out["n"] = out["n"].astype(int)
    out["consensus"] = pd.array(
        chosen[criteria].stack(future_stack=True).to_numpy(dtype=float), dtype="Float64"
    ).astype("Int8")
    out["min"] = long["min"].to_numpy()
    out["max"] = long["max"].to_numpy()
    out["range"] = out["max"] - out["min"]
    out["iqr"] = long["q3"].to_numpy() - long["q1"].to_numpy()
    several = out["n"].to_numpy() >= 2
    rwg = np.clip(1.0 - long["var"].to_numpy(dtype=float) / expected, 0.0, 1.0)
    out["rwg"] = np.where(several, rwg, np.nan)
    out["flagged"] = (out["range"].fillna(0) >= flag_range).to_numpy()
    out["note"] = np.select(
        [out["n"].to_numpy() == 0, ~several],
        [tr("waves.note_nobody_answered", lang), tr("waves.note_one_respondent_spread", lang)],
        "",
    )
    return out[keys + SPREAD_COLUMNS]
