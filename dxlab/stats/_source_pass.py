"""Every table a statistic needs from a data source in one pass, the levels found in the same pass.

A statistic of a Parquet dataset or a Dask DataFrame asks for a few tables at once — level counts, item ×
item tables, pairwise moments, the pairs' weight sums, item × group tables (:class:`Want`) — and
:class:`PassWork` builds all of them on each part, so every part is read once.

Without ``levels=``, a part cannot know the levels of the whole data. It encodes its answers on the values
it actually holds and returns its tables keyed by those values (the levels nobody chose in the part are cut
out, so a value that only looks like a level in one part leaves no trace). :func:`merge_parts` adds the
parts' tables on the union of their values, and :func:`finish_pass` turns the union into the levels
:func:`._tables.encode` infers from the whole data in memory — every integer between the extremes when the
values are whole numbers less than 127 apart, the values themselves otherwise (:func:`levels_of_values`) —
and places the tables on them (count 0 for a level nobody chose). Counts are sums over rows, so the result
is the in-memory result; weighted sums differ only in the order of the additions.

A part whose values are not levels (text, more than 127 values) returns no tables; the caller then finds
the levels in a pass of their own, which reports the problem as :func:`._tables.encode` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["KINDS", "PassWork", "Want", "finish_pass", "levels_of_values", "merge_parts"]

KINDS = ("levels", "pairs", "moments", "pair rows", "groups")
LEVEL_AXES = {"levels": (1,), "pairs": (1, 3), "groups": (2,)}
MAX_LEVELS = 127


@dataclass(frozen=True)
class Want:
    """One table: its kind (:data:`KINDS`) and the power of the weights it is summed with (0: unweighted)."""

    kind: str
    power: int = 0


ROWS = Want("rows")


@dataclass(frozen=True)
class PassWork:
    """The tables ``wants`` of one part; plain data, so Dask can ship it to the workers.

    ``levels=None``: the part's own values are its levels, and its result says which (``found``).
    """

    items: tuple[str, ...]
    levels: tuple[Any, ...] | None
    wants: tuple[Want, ...]
    weights: str | None = None
    by: tuple[str, ...] = ()
    keys: pd.DataFrame | None = None

    def __call__(self, part: pd.DataFrame) -> dict[str, Any]:
        from ._tables import Groups, _part_group_codes, encode, resolve_weights

        try:
            enc = encode(part, self.items, self.levels)
        except ValueError:
            if self.levels is not None:  # a value that is not one of the given levels: the error names it
                raise
            return {"found": None, "tables": {}}
        w = None if self.weights is None else resolve_weights(part, self.weights)
        groups = None
        if any(want.kind == "groups" for want in self.wants):
            assert self.keys is not None
            codes = _part_group_codes(part, self.by, self.keys) if self.by else np.zeros(len(part), dtype=np.int64)
            groups = Groups(self.by, self.keys, codes)
        tables = {want: _part_table(want, enc, w, groups) for want in self.wants}
        tables[ROWS] = np.array([float(len(part))])
        if self.levels is not None:
            return {"found": tuple(self.levels), "tables": tables}
        used = np.flatnonzero(_answers_per_level(enc.codes, enc.n_levels) > 0)
        kept = {want: _take_levels(table, want, used) for want, table in tables.items()}
        return {"found": tuple(enc.levels[u] for u in used), "tables": kept}


def _part_table(want: Want, enc: Any, w: np.ndarray | None, groups: Any) -> Any:
    from ._tables import group_tables, level_counts, pair_moments, pair_tables, pair_weights

    weight = None if w is None or want.power == 0 else w**want.power
    if want.kind == "levels":
        return level_counts(enc, weight)
    if want.kind == "pairs":
        return pair_tables(enc, weight)
    if want.kind == "moments":
        return pair_moments(enc, weight)
    if want.kind == "pair rows":
        return pair_weights(enc, weight)
    if want.kind == "groups":
        return group_tables(enc, groups, weight)
    raise ValueError(f"table kind must be one of {', '.join(map(repr, KINDS))}, not {want.kind!r}")


def _answers_per_level(codes: np.ndarray, n_levels: int) -> np.ndarray:
    counts = np.zeros(n_levels)
    for i in range(codes.shape[1]):
        column = codes[:, i]
        counts += np.bincount(column[column >= 0], minlength=n_levels)[:n_levels]
    return counts


def _take_levels(table: Any, want: Want, used: np.ndarray) -> Any:
    for axis in LEVEL_AXES.get(want.kind, ()):
        table = np.take(table, used, axis=axis)
    return table


def _place(table: Any, want: Want, positions: np.ndarray, size: int) -> Any:
    """``table`` on ``size`` levels, its level axes' entries at ``positions`` (zeros elsewhere)."""
    axes = LEVEL_AXES.get(want.kind, ())
    if not axes:
        return table
    shape = list(np.shape(table))
    for axis in axes:
        shape[axis] = size
    out = np.zeros(shape, dtype=np.float64)
    index = [positions if axis in axes else np.arange(n) for axis, n in enumerate(np.shape(table))]
    out[np.ix_(*index)] = table
    return out


def _placed(tables: dict[Want, Any], found: tuple[Any, ...], levels: tuple[Any, ...]) -> dict[Want, Any]:
    if found == levels:
        return tables
    positions = np.searchsorted(np.asarray(levels, dtype=float), np.asarray(found, dtype=float))
    return {want: _place(table, want, positions, len(levels)) for want, table in tables.items()}


def merge_parts(*parts: Any) -> Any:
    """Parts' :class:`PassWork` results as one, on the union of the values they found."""
    from ._tables import add_tables

    present = [part for part in parts if part is not None]
    if not present:
        return None
    if any(part["found"] is None for part in present):
        return {"found": None, "tables": {}}
    founds = {part["found"] for part in present}
    if len(founds) == 1:
        return {"found": present[0]["found"], "tables": add_tables(*(part["tables"] for part in present))}
    union = tuple(sorted(set().union(*founds)))
    return {
        "found": union,
        "tables": add_tables(*(_placed(part["tables"], part["found"], union) for part in present)),
    }


def levels_of_values(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The levels :func:`._tables.encode` infers from data holding ``values`` (sorted, distinct).

    Raises
    ------
    ValueError
        for more than 127 levels, as :func:`._tables.encode`.
    """
    levels = tuple(values)
    if values and all(float(v).is_integer() for v in values) and int(values[-1]) - int(values[0]) < MAX_LEVELS:
        levels = tuple(range(int(values[0]), int(values[-1]) + 1))
    if len(levels) > MAX_LEVELS:
        raise ValueError(f"{len(levels)} distinct values is too many for ordinal levels (at most 127)")
    return levels


def finish_pass(result: Any, work: PassWork, columns: list[str]) -> tuple[tuple[Any, ...], dict[Want, Any]] | None:
    """The levels and the tables on them from the merged parts; None when a part's values were not levels.

    A source without rows gives the tables of an empty part (zeros of the right shape).
    """
    if result is None:
        empty = pd.DataFrame({column: pd.Series([], dtype=float) for column in columns})
        for column in work.by:
            empty[column] = pd.Series([], dtype=object)
        result = work(empty)
    if result["found"] is None:
        return None
    found = result["found"]
    levels = tuple(work.levels) if work.levels is not None else levels_of_values(found)
    return levels, _placed(result["tables"], found, levels)
