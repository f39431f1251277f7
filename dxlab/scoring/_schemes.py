"""Scoring schemes: ``mean``, ``dbi2021`` (MIC 2021) and ``dma100`` (EU DMA style).

All three are matrix computations over the whole response frame: a criterion × group weight matrix turns
every row's answers into group scores in one product, and so on upwards. The frame is processed in row
chunks so the float working copy never exceeds a few tens of megabytes, whatever the number of responses.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import LANGS, tr
from ..rubric import PILLARS, Rubric, load_rubric
from ..vocab import SCORE_META_COLUMNS
from ._scores import Scores

__all__ = ["DBI_LEVELS", "DMA_BANDS", "SCHEMES", "score"]

SCHEMES = ("mean", "dbi2021", "dma100")
META_COLUMNS = SCORE_META_COLUMNS
CHUNK_ROWS = 131_072
_EPS = 1e-9

# Level names of the schemes: texts of the catalogue (scoring.dbi_level_*, scoring.dma_band_*), per language.
LevelNames = dict[int, dict[str, str]]


def _names(prefix: str, values: range) -> LevelNames:
    return {v: {lang: tr(f"scoring.{prefix}_{v}", lang) for lang in LANGS} for v in values}


DBI_LEVELS: LevelNames = _names("dbi_level", range(0, 6))
DBI_SHARE_CUTS = np.array([0.10, 0.20, 0.40, 0.60, 0.80])
# MIC 1970/QĐ-BTTTT: overall level L needs total points > threshold (of 320) and this many pillars at ≥ L.
DBI_TOTAL_CUTS = np.array([20, 64, 128, 192, 256]) / 320
DBI_PILLARS_NEEDED = np.array([4, 4, 4, 5, 6])
DMA_BANDS: LevelNames = _names("dma_band", range(1, 5))
DMA_CUTS = np.array([25.0, 50.0, 75.0])


@dataclass(frozen=True)
class _Structure:
    """The rubric as matrices: criterion → group → dimension membership, and the weights on them."""

    criterion_ids: tuple[str, ...]
    group_ids: tuple[str, ...]
    dimension_ids: tuple[str, ...]
    crit_group: np.ndarray  # k × g: 1 where the criterion is in the group
    group_dim: np.ndarray  # g × d
    crit_dim: np.ndarray  # k × d
    crit_weights: np.ndarray  # k
    group_weights: np.ndarray  # g
    dim_weights: np.ndarray  # d
    multipliers: np.ndarray  # k


def _membership(children: list[str], parents: list[str]) -> np.ndarray:
    matrix = np.zeros((len(children), len(parents)))
    position = {p: j for j, p in enumerate(parents)}
    for i, parent in enumerate(children):
        matrix[i, position[parent]] = 1.0
    return matrix


def _structure(rubric: Rubric) -> _Structure:
    crits, groups, dims = rubric.all_criteria, rubric.groups, rubric.dimensions
    group_ids, dim_ids = [g.id for g in groups], [d.id for d in dims]
    group_of_dim = {g.id: d.id for d in dims for g in d.groups}
    return _Structure(
        tuple(c.id for c in crits),
        tuple(group_ids),
        tuple(dim_ids),
        _membership([c.group_id for c in crits], group_ids),
        _membership([group_of_dim[g] for g in group_ids], dim_ids),
        _membership([c.dimension_id for c in crits], dim_ids),
        np.array([c.weight for c in crits]),
        np.array([g.weight for g in groups]),
        np.array([d.weight for d in dims]),
        np.array([c.multiplier for c in crits]),
    )


def _weighted_mean(
    values: np.ndarray,
    present: np.ndarray,
    weights: np.ndarray,
    members: np.ndarray,
    min_answered: float,
    out: np.ndarray,
    applicable: np.ndarray | None = None,
) -> np.ndarray:
    """Row-wise weighted means of the columns in each block of ``members`` (inputs × blocks), written into
    ``out``; missing where fewer than ``min_answered`` of a block's applicable inputs are present.

    ``values`` holds 0 where ``present`` is 0, so BLAS products give the weighted sums, and one more product
    against weights and membership side by side gives the weight totals and the answered counts.
    ``applicable`` (rows × inputs, 1/0) leaves the inputs answered "not applicable" out of the count that
    ``min_answered`` is a share of; without it every input counts.
    """
    weighted = members * weights[:, None]
    num = values @ weighted
    den_count = present @ np.hstack([weighted, members])
    blocks = members.shape[1]
    den, count = den_count[:, :blocks], den_count[:, blocks:]
    needed = members.sum(axis=0) if applicable is None else applicable @ members
    ok = count >= np.maximum(min_answered * needed - _EPS, 0.5)  # at least one answered
    out.fill(np.nan)
    np.divide(num, den, out=out, where=ok)
    return out


def _applicable(parent_applicable: np.ndarray | None, members: np.ndarray) -> np.ndarray | None:
    """A group (dimension) is applicable when one of its criteria (groups) is."""
    return None if parent_applicable is None else ((parent_applicable @ members) > 0).astype(np.float64)


def _not_applicable(
    responses: pd.DataFrame, nonresponse: pd.DataFrame | None, criterion_ids: tuple[str, ...], source: str
) -> np.ndarray | None:
    """rows × criteria, True where the answer was a ``not_applicable`` non-answer (and no level is there)."""
    if nonresponse is None:
        return None
    needed = {"response_id", "criterion", "code"}
    if not isinstance(nonresponse, pd.DataFrame) or not needed <= set(nonresponse.columns):
        raise ValueError(
            f"{source}: nonresponse must be a DataFrame with columns {sorted(needed)} "
            f"(CleanResult.nonresponse), got {type(nonresponse).__name__}"
        )
    if "response_id" not in responses.columns:
        raise ValueError(f"{source}: scoring with nonresponse needs a response_id column in the responses")
    mask = np.zeros((len(responses), len(criterion_ids)), dtype=bool)
    rows = pd.Index(responses["response_id"].astype(str))
    cols = pd.Index(criterion_ids)
    na = nonresponse[nonresponse["code"] == "not_applicable"]
    r = rows.get_indexer(pd.Index(na["response_id"].astype(str)))
    c = cols.get_indexer(pd.Index(na["criterion"].astype(str)))
    ok = (r >= 0) & (c >= 0)
    mask[r[ok], c[ok]] = True
    return mask


def _split(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    present = ~np.isnan(values)
    return np.where(present, values, 0.0), present.astype(np.float64)


def _column_levels(responses: pd.DataFrame, crit_id: str, valid: tuple[int, ...], source: str) -> pd.Series:
    column = responses[crit_id]
    if isinstance(column, pd.DataFrame):
        raise ValueError(
            f"{source}: column {crit_id!r} appears {column.shape[1]} times; criterion columns must be unique"
        )
    dtype = column.dtype
    if not (pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)):
        sample = column.dropna()
        first = f" (e.g. {sample.tolist()[0]!r} at row {sample.index.tolist()[0]!r})" if len(sample) else ""
        raise ValueError(
            f"{source}: column {crit_id!r} holds {dtype} values{first}, not levels; parse raw "
            f"answers first with dxlab.parse_levels or read the export with dxlab.read_export"
        )
    if not isinstance(dtype, pd.Int8Dtype):
        numbers = column.astype("Float64")
        _check_levels(numbers, crit_id, valid, source)
        return numbers.astype("Int8")
    low, high = column.min(), column.max()
    if pd.notna(low) and (low < min(valid) or high > max(valid)):
        _check_levels(column, crit_id, valid, source)
    return column


def _check_levels(column: pd.Series, crit_id: str, valid: tuple[int, ...], source: str) -> None:
    bad = column.notna() & ~column.isin(valid)
    if bad.any():
        row = bad.idxmax()
        value = column[row]
        row, value = getattr(row, "item", lambda: row)(), float(value)
        raise ValueError(
            f"{source}: column {crit_id!r}, row {row!r}: {value:g} is not a level ({min(valid)}–{max(valid)})"
        )


def _chunks(
    columns: list[pd.Series], n: int, chunk: int = CHUNK_ROWS
) -> Iterator[tuple[int, int, np.ndarray, np.ndarray]]:
    """Row blocks as (start, stop, values with 0 where unanswered, 1/0 answered) float arrays."""
    # (reverse-keyed criteria arrive already reversed: see _reverse)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        # column-major, so each criterion's slice is written contiguously
        values = np.empty((stop - start, len(columns)), order="F")
        present = np.empty((stop - start, len(columns)), order="F")
        for j, column in enumerate(columns):
            part = column.array[start:stop]
            values[:, j] = part.to_numpy(dtype="float64", na_value=0.0)
            present[:, j] = ~part.isna()
        yield start, stop, values, present


def _reached(values: np.ndarray, top: int) -> np.ndarray:
    """Largest level L with score ≥ L (1..top), as floats with NaN for missing."""
    out = np.floor(values + _EPS)
    return np.clip(out, 1, top)


def _to_int8(values: np.ndarray) -> pd.arrays.IntegerArray:
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int8), mask)


def _labels(levels: pd.arrays.IntegerArray, table: LevelNames, lang: str) -> pd.Categorical:
    categories = [table[k][lang] for k in sorted(table)]
    codes = np.where(levels.isna(), -1, np.asarray(levels.fillna(min(table))) - min(table))
    return pd.Categorical.from_codes(codes.astype(np.int16), categories=categories)


def _reverse(column: pd.Series, low: int, high: int) -> pd.Series:
    return (low + high - column).astype("Int8")


def score(
    responses: pd.DataFrame,
    rubric: Rubric | str,
    scheme: str = "mean",
    *,
    min_answered: float = 0.5,
    source: str = "responses",
    nonresponse: pd.DataFrame | None = None,
) -> Scores:
    """Score assessments with a rubric.

    Parameters
    ----------
    responses : DataFrame, dask DataFrame or path of a Parquet file/folder
        Wide responses: one row per assessment, one column per criterion id holding a level (``Int8``, or
        any integer/float column with values among the rubric's levels; ``<NA>`` = unanswered). Metadata
        columns (``response_id``, ``enterprise_id``, ``sector``…) are carried into ``Scores.meta``.
        From Parquet only the criterion and metadata columns are read; a Dask DataFrame is scored
        partition by partition where the partitions live, and the scores (one row per response) are
        gathered.
    rubric : Rubric or str
    scheme : {"mean", "dbi2021", "dma100"}
        ``mean``: group = weighted mean of answered criteria, dimension = weighted mean of groups, overall =
        weighted mean of dimensions; reached level = largest L with score ≥ L.
        ``dbi2021``: MIC's 2021 index — points = level × multiplier per criterion (unanswered: 0 points), a
        pillar's level 0–5 from its share of the maximum (≤10 % → 0, ≤20 % → 1, ≤40 % → 2, ≤60 % → 3,
        ≤80 % → 4, else 5), overall level gated by total points and the number of pillars at that level.
        ``dma100``: each criterion (level − 1)/4 × 100, averaged like ``mean``; bands Basic ≤ 25, Average
        ≤ 50, Moderately advanced ≤ 75, Advanced > 75.
    min_answered : float in (0, 1]
        Share of a group's criteria (and of a dimension's groups, and of the dimensions) that must be
        present for it to be scored; otherwise it is missing. For ``dbi2021`` it applies to each pillar's
        criteria. Criteria answered "not applicable" are left out of the count it is a share of (a group
        of four with one not applicable needs 2 of the other 3 answered at 0.5); "don't know" counts as
        unanswered. A group whose criteria are all not applicable is itself not applicable one level up.
    source : str
        Name used in error messages (e.g. the file the responses came from).
    nonresponse : DataFrame, optional
        The non-answers (``CleanResult.nonresponse``: ``response_id``, ``criterion``, ``code``). A
        ``not_applicable`` criterion leaves the denominator, as in MIC's later indices: ``mean`` and
        ``dma100`` average the criteria that apply, ``dbi2021`` takes each pillar's maximum (and the total
        maximum) over the criteria that apply, per response. Without it, non-answers are plain missing.

    Returns
    -------
    Scores
        Reverse-keyed criteria (``rubric.reverse_items``) are scored as ``min + max − answer``;
        ``Scores.criteria`` holds the reversed levels and ``Scores.reversed_items`` names them.

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> frame = pd.DataFrame({c: [3] for c in r.criterion_ids})
    >>> row = dxlab.score(frame, r).overall.iloc[0]
    >>> float(row["score"]), int(row["level"]), row["level_label"]
    (3.0, 3, 'Hình thành')
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; valid schemes are {', '.join(map(repr, SCHEMES))}")
    if isinstance(min_answered, bool) or not isinstance(min_answered, (int, float)) or not 0 < min_answered <= 1:
        raise ValueError(f"min_answered must be a share in (0, 1], got {min_answered!r}")
    if _is_dask_frame(responses):
        return _score_partitions(responses, rubric, scheme, min_answered, source, nonresponse)
    if isinstance(responses, (str, Path)):
        source = str(responses) if source == "responses" else source
        responses = _read_parquet_responses(responses, load_rubric(rubric))
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(f"{source}: expected a DataFrame of responses, got {type(responses).__name__}")
    rubric = load_rubric(rubric)
    structure = _structure(rubric)
    present = [c for c in structure.criterion_ids if c in responses.columns]
    if not present:
        raise ValueError(
            f"{source}: none of rubric {rubric.id!r}'s criterion columns are present "
            f"(expected e.g. {', '.join(structure.criterion_ids[:3])}); map the columns with "
            f"dxlab.read_export or rename them to criterion ids"
        )
    absent = [c for c in structure.criterion_ids if c not in responses.columns]
    if absent:
        warnings.warn(
            f"{source}: {len(absent)} criterion column(s) missing, scored as unanswered: {', '.join(absent)}",
            stacklevel=2,
        )
    valid = rubric.level_values
    columns = [
        _column_levels(responses, c, valid, source)
        if c in responses.columns
        else pd.Series(pd.array([pd.NA] * len(responses), dtype="Int8"), index=responses.index, name=c)
        for c in structure.criterion_ids
    ]

    # Indexed by response_id when there is one (ingest guarantees it is unique), else the frame's own index.
    index = (
        pd.Index(responses["response_id"], name="response_id")
        if "response_id" in responses.columns
        else responses.index
    )
    low, high = min(valid), max(valid)
    reverse = set(rubric.reverse_items)
    columns = [_reverse(c, low, high).rename(c.name) if c.name in reverse else c for c in columns]
    not_applicable = _not_applicable(responses, nonresponse, structure.criterion_ids, source)
    applicable = None
    if not_applicable is not None:
        present_levels = np.column_stack([c.notna().to_numpy() for c in columns])
        applicable = (~(not_applicable & ~present_levels)).astype(np.float64)
    meta = responses[[c for c in META_COLUMNS if c in responses.columns]].set_axis(index, axis=0)
    criteria = pd.DataFrame({c.name: c.array for c in columns}, index=index, copy=False)
    compute: Callable = {"mean": _mean, "dbi2021": _dbi2021, "dma100": _dma100}[scheme]
    scores = compute(rubric, structure, columns, len(responses), index, criteria, meta, min_answered, applicable)
    notes = []
    if reverse:
        notes.append(f"reverse-keyed, scored as {low} + {high} − answer: {', '.join(rubric.reverse_items)}")
    if applicable is not None and (applicable == 0).any():
        notes.append(f"{int((applicable == 0).sum())} answer(s) 'not applicable' left out of the denominator")
    return replace(scores, reversed_items=rubric.reverse_items, notes=tuple(notes))


def _hierarchy(
    structure: _Structure,
    columns: list[pd.Series],
    n: int,
    min_answered: float,
    transform: Callable[[np.ndarray], np.ndarray] | None = None,
    applicable: np.ndarray | None = None,
    percent_of: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group, dimension and overall weighted means of every row; the compiled pass (numba) when every
    criterion counts (no "not applicable") and the values are the levels or, with ``percent_of=(low, high)``,
    ``(level − low) / (high − low) · 100`` (what ``transform`` then computes too)."""
    if (
        applicable is None
        and ENGINE != "numpy"
        and n
        and _single_parents(structure)
        and (transform is None or percent_of is not None)
    ):
        from . import _kernel

        if _kernel.available():
            low, span, factor = (
                (0.0, 1.0, 1.0) if percent_of is None else (percent_of[0], percent_of[1] - percent_of[0], 100.0)
            )
            return _hierarchy_compiled(structure, columns, min_answered, low, span, factor)
    g, d = len(structure.group_ids), len(structure.dimension_ids)
    groups, dims, overall = np.empty((n, g)), np.empty((n, d)), np.empty((n, 1))
    ones = np.ones((len(structure.dim_weights), 1))
    for start, stop, values, present in _chunks(columns, n):
        if transform is not None:
            values = transform(values) * present
        crit_app = None if applicable is None else applicable[start:stop]
        group_app = _applicable(crit_app, structure.crit_group)
        dim_app = _applicable(group_app, structure.group_dim)
        grp = _weighted_mean(
            values, present, structure.crit_weights, structure.crit_group, min_answered, groups[start:stop], crit_app
        )
        dim = _weighted_mean(
            *_split(grp), structure.group_weights, structure.group_dim, min_answered, dims[start:stop], group_app
        )
        _weighted_mean(*_split(dim), structure.dim_weights, ones, min_answered, overall[start:stop], dim_app)
    return groups, dims, overall[:, 0]


ENGINE = "auto"  # "numpy" forces the BLAS path (the tests' oracle for the compiled one)


def _single_parents(structure: _Structure) -> bool:
    return bool(np.all(structure.crit_group.sum(axis=1) == 1) and np.all(structure.group_dim.sum(axis=1) == 1))


def _need(min_answered: float, members: np.ndarray) -> np.ndarray:
    return np.maximum(min_answered * members.sum(axis=0) - _EPS, 0.5)


def _hierarchy_compiled(
    structure: _Structure, columns: list[pd.Series], min_answered: float, low: float, span: float, factor: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    from . import _kernel

    codes = np.empty((len(columns), len(columns[0]) if columns else 0), dtype=np.int8)
    for j, column in enumerate(columns):
        codes[j] = column.array.to_numpy(dtype=np.int8, na_value=_kernel.MISSING)
    return _kernel.hierarchy(
        codes,
        low,
        span,
        factor,
        structure.crit_group.argmax(axis=1),
        structure.crit_weights,
        structure.group_dim.argmax(axis=1),
        structure.group_weights,
        structure.dim_weights,
        _need(min_answered, structure.crit_group),
        _need(min_answered, structure.group_dim),
        float(_need(min_answered, np.ones((len(structure.dim_weights), 1)))[0]),
    )


def _level_table(rubric: Rubric) -> LevelNames:
    return {lv.value: {"vi": lv.label.vi, "en": lv.label.en} for lv in rubric.levels_}


def _frame(values: np.ndarray, ids: tuple[str, ...], index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame(values, columns=list(ids), index=index, copy=False)


def _int8_frame(values: np.ndarray, ids: tuple[str, ...], index: pd.Index) -> pd.DataFrame:
    return pd.DataFrame({i: _to_int8(values[:, j]) for j, i in enumerate(ids)}, index=index)


def _overall(
    score_values: np.ndarray, level_values: np.ndarray, table: LevelNames, index: pd.Index, **extra: np.ndarray
) -> pd.DataFrame:
    level = _to_int8(level_values)
    frame = pd.DataFrame(
        {
            "score": score_values,
            "level": level,
            "level_label": _labels(level, table, "vi"),
            "level_label_en": _labels(level, table, "en"),
        },
        index=index,
    )
    for name, values in extra.items():
        frame[name] = values
    return frame


def _mean(rubric, structure, columns, n, index, criteria, meta, min_answered, applicable) -> Scores:
    groups, dims, overall = _hierarchy(structure, columns, n, min_answered, applicable=applicable)
    top = max(rubric.level_values)
    return Scores(
        "mean",
        rubric.id,
        criteria,
        _frame(groups, structure.group_ids, index),
        _frame(dims, structure.dimension_ids, index),
        _int8_frame(_reached(dims, top), structure.dimension_ids, index),
        _overall(overall, _reached(overall, top), _level_table(rubric), index),
        meta,
    )


def _dma_band(values: np.ndarray) -> np.ndarray:
    band = (np.searchsorted(DMA_CUTS, values - _EPS, side="left") + 1).astype(float)
    band[np.isnan(values)] = np.nan
    return band


def _dma100(rubric, structure, columns, n, index, criteria, meta, min_answered, applicable) -> Scores:
    low, high = min(rubric.level_values), max(rubric.level_values)

    def to_percent(block: np.ndarray) -> np.ndarray:
        return (block - low) / (high - low) * 100.0

    groups, dims, overall = _hierarchy(
        structure, columns, n, min_answered, transform=to_percent, applicable=applicable, percent_of=(low, high)
    )
    return Scores(
        "dma100",
        rubric.id,
        criteria,
        _frame(groups, structure.group_ids, index),
        _frame(dims, structure.dimension_ids, index),
        _int8_frame(_dma_band(dims), structure.dimension_ids, index),
        _overall(overall, _dma_band(overall), DMA_BANDS, index),
        meta,
    )


def _pillar_level(share: np.ndarray) -> np.ndarray:
    level = (share[..., None] > DBI_SHARE_CUTS + _EPS).sum(axis=-1).astype(float)
    level[np.isnan(share)] = np.nan
    return level


def _dbi2021(rubric, structure, columns, n, index, criteria, meta, min_answered, applicable) -> Scores:
    pillars = [dim.pillar for dim in rubric.dimensions]
    missing = [p for p in PILLARS if p not in pillars]
    repeated = sorted({p for p in pillars if p and pillars.count(p) > 1})
    if missing or repeated:
        problem = (
            f"no dimension plays pillar(s) {', '.join(missing)}"
            if missing
            else f"pillar(s) {', '.join(repeated)} are played by more than one dimension"
        )
        raise ValueError(
            f"scheme 'dbi2021' needs each of MIC's six pillars ({', '.join(PILLARS)}) played by "
            f"exactly one dimension of the rubric; in rubric {rubric.id!r} {problem}"
        )
    top = float(max(rubric.level_values))
    mult = structure.multipliers
    # Per response: criteria answered "not applicable" leave each pillar's maximum and count.
    crit_app = np.ones((n, len(mult))) if applicable is None else applicable
    dim_max_rows = top * ((crit_app * mult) @ structure.crit_dim)  # n × d
    crit_count = crit_app @ structure.crit_dim
    dim_max = top * (mult @ structure.crit_dim)  # d
    total_max = dim_max_rows.sum(axis=1)
    g, d = len(structure.group_ids), len(structure.dimension_ids)
    group_pts, dim_pts = np.empty((n, g)), np.empty((n, d))
    answered = np.empty((n, d))
    for start, stop, values, present in _chunks(columns, n):
        points = values * mult
        group_pts[start:stop] = points @ structure.crit_group
        dim_pts[start:stop] = points @ structure.crit_dim
        answered[start:stop] = present @ structure.crit_dim
    enough = (answered >= min_answered * crit_count - _EPS) & (crit_count > 0)
    dim_pts_scored = np.where(enough, dim_pts, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = dim_pts_scored / dim_max_rows
    pillar_levels = _pillar_level(share)
    total = np.where(enough.all(axis=1), dim_pts.sum(axis=1), np.nan)

    overall_level = np.zeros(n)
    for level in range(1, 6):
        reached = (pillar_levels >= level).sum(axis=1) >= DBI_PILLARS_NEEDED[level - 1]
        above = total > DBI_TOTAL_CUTS[level - 1] * total_max + _EPS
        overall_level = np.where(reached & above, level, overall_level)
    overall_level[np.isnan(total)] = np.nan

    group_scored = pd.DataFrame(group_pts, columns=list(structure.group_ids), index=index)
    details = {
        "share": _frame(share, structure.dimension_ids, index),
        "max_points": pd.DataFrame([dim_max], columns=list(structure.dimension_ids), index=["max_points"]),
    }
    return Scores(
        "dbi2021",
        rubric.id,
        criteria,
        group_scored,
        _frame(dim_pts_scored, structure.dimension_ids, index),
        _int8_frame(pillar_levels, structure.dimension_ids, index),
        _overall(total, overall_level, DBI_LEVELS, index, max_points=total_max),
        meta,
        details,
    )


def _is_dask_frame(data: Any) -> bool:
    return type(data).__module__.startswith("dask") and hasattr(data, "to_delayed")


def _read_parquet_responses(path: str | Path, rubric: Rubric) -> pd.DataFrame:
    """Only the columns scoring uses, from a Parquet file or folder (``pyarrow.dataset``, hive parts)."""
    import pyarrow.dataset as ds

    target = Path(path)
    if not target.exists():
        raise ValueError(f"{target}: no such Parquet file or folder")
    try:
        dataset = ds.dataset(str(target), format="parquet", partitioning="hive")
    except (OSError, ValueError, TypeError) as error:  # ArrowInvalid is a ValueError
        raise ValueError(f"{target}: not a Parquet dataset ({error})") from None
    wanted = set(rubric.criterion_ids) | set(META_COLUMNS)
    columns = [c for c in dataset.schema.names if c in wanted]
    return pd.read_parquet(target, columns=columns)


def _score_partitions(
    frame: Any, rubric: Rubric | str, scheme: str, min_answered: float, source: str, nonresponse: pd.DataFrame | None
) -> Scores:
    """Score each partition of a Dask DataFrame where it lives; the per-response results are joined."""
    import dask

    rubric = load_rubric(rubric)
    parts = [
        dask.delayed(score)(part, rubric, scheme, min_answered=min_answered, source=source, nonresponse=nonresponse)
        for part in frame.to_delayed()
    ]
    results = list(dask.compute(*parts))
    first = results[0]

    def joined(frames: list[pd.DataFrame]) -> pd.DataFrame:
        return pd.concat(frames) if len(frames) > 1 else frames[0]

    # per-response details are joined; the others (a scheme's constants such as max_points) are shared
    details = {
        key: joined([r.details[key] for r in results])
        if first.details[key].index.equals(first.overall.index)
        else first.details[key]
        for key in first.details
    }
    return Scores(
        first.scheme,
        first.rubric_id,
        joined([r.criteria for r in results]),
        joined([r.groups for r in results]),
        joined([r.dimensions for r in results]),
        joined([r.levels for r in results]),
        joined([r.overall for r in results]),
        joined([r.meta for r in results]),
        details,
        first.reversed_items,
        tuple(dict.fromkeys(note for r in results for note in r.notes)),
    )
