"""The contingency-table engine every ordinal statistic in :mod:`dxlab.stats` is derived from.

Ordinal answers take a handful of levels, so a table of counts is a *sufficient statistic* for almost
everything an analyst asks of them: level shares, χ², rank correlations (Spearman, Kendall τ-b),
Kruskal–Wallis, Mann–Whitney and the polychoric correlation all need only the item × item or the
item × group table, never the rows. Building those tables once and deriving the statistics from them is
what makes dxlab fast (a million rows cost one pass of a compiled counting loop) and consistent (one
missing-data rule: a pair of items is counted on the rows where both are answered — pairwise deletion).

* :func:`encode` turns item columns into small integer codes (``-1`` = missing), checking every value.
* :func:`pair_tables` returns all item × item tables at once, ``T[i, a, j, b]`` = (weighted) number of
  rows with item ``i`` at level ``a`` and item ``j`` at level ``b``, counted by the compiled loops of
  :mod:`._kernel` (numba). Without numba (or with ``engine="numpy"``, the tests' oracle) it is ``Xᵀ W X``
  for the one-hot matrix ``X`` (rows × items·levels), in chunks of float32 products (exact below 2**24)
  added in float64.
* :func:`group_tables` returns item × group tables ``G[i, g, a]`` (compiled too).
* :func:`pair_moments` returns the pairwise-complete moments (n, Σx, Σx², Σxy) that Pearson
  correlations and covariances need — the same numbers the pair tables give, at a fraction of the cost.

Tables from partitions of the rows add up (:func:`add_tables`, public), so the same code scales past one
machine's memory: :class:`SourceEncoded` stands for the items of a Parquet dataset or a Dask DataFrame
(:mod:`._source`), and the table functions then run part by part and add the results (docs/scale.md).
Within one machine's NumPy path the work is split the same way: :func:`over_row_spans` gives each core a
span of whole chunks (NumPy and BLAS release the GIL) and adds the partial tables. While our threads run,
BLAS is held to one thread (with ``threadpoolctl``): OpenBLAS spreading every small chunk product over all
cores as well makes it several times slower, not faster.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._source import ParquetSource, Source

__all__ = [
    "Encoded",
    "Groups",
    "add_tables",
    "encode",
    "encode_groups",
    "group_tables",
    "level_counts",
    "pair_moments",
    "pair_tables",
    "resolve_items",
    "resolve_weights",
]

_CHUNK = 16_384  # rows per block when BLAS threads itself: a float32 one-hot block of 150 columns is ~10 MB
_THREADS = max(1, min(4, os.cpu_count() or 1))


_POOL: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """One lazily started pool for the whole session: starting threads on every call costs milliseconds."""
    global _POOL
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="dxlab-stats")
    return _POOL


_CONTROLLER: Any = None


def _single_threaded_blas() -> Any:
    """A context that keeps BLAS to one thread while our own threads split the rows.

    Each chunk's product is small; OpenBLAS spreading each one over all cores, on top of our threads,
    makes them many times slower. Without ``threadpoolctl`` nothing is limited (and the caller runs
    serially instead).
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _CONTROLLER = False
        else:
            _CONTROLLER = ThreadpoolController()
    if _CONTROLLER is False:
        return None
    return _CONTROLLER.limit(limits=1, user_api="blas")


def small_matrix_blas() -> Any:
    """One BLAS thread for work on item × item matrices (factor fits, eigen decompositions).

    On matrices of a few dozen rows, waking BLAS's other threads costs more than the work itself (10–20 ms
    for a 30 × 30 ``eigh`` right after a compiled parallel pass, against 0.1 ms on one thread).
    """
    limit = _single_threaded_blas()
    return contextlib.nullcontext() if limit is None else limit


def over_row_spans(n_rows: int, chunk: int, work: Callable[[int, int], Any]) -> Any:
    """``work(start, stop)`` over a few contiguous spans of rows on threads, results added together.

    NumPy's ufuncs and BLAS release the GIL, so the spans run in parallel; a span is a whole number of
    chunks, so every chunk computes exactly what the serial loop would and the sums are the same.
    """
    n_chunks = -(-n_rows // chunk) if n_rows else 0
    threads = min(_THREADS, n_chunks)
    limit = _single_threaded_blas() if threads > 1 else None
    if threads <= 1 or limit is None:
        return work(0, n_rows)
    per_span = -(-n_chunks // threads)
    spans = [(i * per_span * chunk, min(n_rows, (i + 1) * per_span * chunk)) for i in range(threads)]
    spans = [(lo, hi) for lo, hi in spans if lo < hi]
    with limit:
        parts = list(_pool().map(lambda span: work(*span), spans))
    first = parts[0]
    if isinstance(first, tuple):
        return tuple(sum(part[i] for part in parts) for i in range(len(first)))
    return sum(parts[1:], first)


@dataclass(frozen=True)
class Encoded:
    """Item columns as level codes.

    ``codes[r, i]`` is the position of row ``r``'s answer to item ``i`` in ``levels`` (``-1`` = missing).
    """

    items: tuple[str, ...]
    levels: tuple[Any, ...]
    codes: np.ndarray  # (rows, items) int8
    index: pd.Index

    @property
    def n_rows(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_levels(self) -> int:
        return len(self.levels)

    @property
    def scores(self) -> np.ndarray:
        """Numeric level values (``0..L-1`` when the levels are not numbers)."""
        try:
            return np.asarray(self.levels, dtype=float)
        except (TypeError, ValueError):
            return np.arange(len(self.levels), dtype=float)

    def subset(self, rows: np.ndarray | None = None, items: Sequence[int] | None = None) -> Encoded:
        codes = self.codes
        index = self.index
        names = self.items
        if rows is not None:
            codes = codes[rows]
            index = index[rows]
        if items is not None:
            codes = codes[:, list(items)]
            names = tuple(self.items[i] for i in items)
        return Encoded(names, self.levels, codes, index)


@dataclass(frozen=True)
class Groups:
    """Row → group codes (``-1`` = group unknown) and the group keys, in display order."""

    by: tuple[str, ...]
    keys: pd.DataFrame  # one row per group, one column per ``by`` column
    codes: np.ndarray  # (rows,) int64

    @property
    def n_groups(self) -> int:
        return len(self.keys)

    @property
    def labels(self) -> list[str]:
        return [" / ".join(str(v) for v in row) for row in self.keys.itertuples(index=False)]


def resolve_items(data: pd.DataFrame, items: Any, *, what: str = "items") -> list[str]:
    """Item column names from a list, a single name or a :class:`~dxlab.rubric.Rubric`."""
    if not isinstance(data, (pd.DataFrame, Source)):
        raise TypeError(f"data must be a pandas DataFrame, not {type(data).__name__}")
    if items is None:
        raise ValueError(f"{what} is required: a list of columns or a rubric")
    if hasattr(items, "criterion_ids"):
        names = [c for c in items.criterion_ids if c in data.columns]
        if not names:
            raise ValueError(
                f"none of rubric {items.id!r}'s criteria ({', '.join(items.criterion_ids)}) is a column of the data"
            )
        return names
    if isinstance(items, str):
        items = [items]
    names = list(items)
    if not names:
        raise ValueError(f"{what} is empty")
    missing = [c for c in names if c not in data.columns]
    if missing:
        raise ValueError(
            f"{what} not in the data: {', '.join(map(str, missing))}; columns are {', '.join(map(str, data.columns))}"
        )
    if len(set(names)) != len(names):
        raise ValueError(f"{what} lists a column twice: {names}")
    return names


def _show(value: Any) -> str:
    """A value as a reader would type it (``7``, ``'Mức 3'``), not as NumPy prints it."""
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def _row_label(index: pd.Index, position: int) -> str:
    label = index[position]
    return f"row {label!r}" if not isinstance(index, pd.RangeIndex) else f"row {int(label)}"


def _infer_levels(data: pd.DataFrame, items: Sequence[str]) -> tuple[Any, ...]:
    categorical = [isinstance(data[c].dtype, pd.CategoricalDtype) for c in items]
    if all(categorical):
        cats = [tuple(data[c].cat.categories) for c in items]
        if len(set(cats)) == 1:
            return cats[0]
        raise ValueError("the item columns are categoricals with different categories; pass levels=")
    seen: set = set()
    for column in items:
        series = data[column]
        if not (pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)):
            raise ValueError(
                f"column {column!r} holds {series.dtype} values, not levels; parse the answers "
                f"with dxlab.parse_levels(...) first, or pass levels="
            )
        numpy_dtype = getattr(series.dtype, "numpy_dtype", series.dtype)
        if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind in "iu":
            # integers: only the extremes matter, the levels between them are all kept
            if series.notna().any():
                seen.update((int(series.min()), int(series.max())))
            continue
        seen.update(pd.unique(series.dropna()).tolist())
    if not seen:
        return ()
    values = sorted(seen)
    if all(float(v).is_integer() for v in values):
        lo, hi = int(values[0]), int(values[-1])
        if hi - lo < 127:
            # interior levels nobody chose stay in the tables with count 0
            return tuple(range(lo, hi + 1))
    # too wide a range to list every integer (SAT scores 200–800): integer columns give their observed values
    for column in items:
        numpy_dtype = getattr(data[column].dtype, "numpy_dtype", data[column].dtype)
        if isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind in "iu":
            seen.update(pd.unique(data[column].dropna()).tolist())
    return tuple(sorted(seen))


def resolve_levels(data: pd.DataFrame, items: Sequence[str], levels: Any = None) -> tuple[Any, ...]:
    """The ordered level values: given, a rubric's, or every integer between the observed extremes."""
    if levels is None:
        return _infer_levels(data, items)
    if hasattr(levels, "level_values"):
        return tuple(levels.level_values)
    levels = tuple(levels)
    if len(set(levels)) != len(levels):
        raise ValueError(f"levels must be distinct, got {levels}")
    return levels


def _fast_integer_codes(series: pd.Series, low: int, n_levels: int, out: np.ndarray) -> bool:
    """Codes of an integer column in a few vectorised passes (missing → ``low - 1`` → code −1).

    Returns False (and leaves ``out`` alone) when the column is not an integer column or holds a value
    outside the levels; the careful path then reports the offending row.
    """
    dtype = series.dtype
    numpy_dtype = getattr(dtype, "numpy_dtype", dtype)
    if not isinstance(numpy_dtype, np.dtype) or numpy_dtype.kind not in "iu":
        return False
    sentinel = low - 1
    info = np.iinfo(numpy_dtype)
    if sentinel < info.min or low + n_levels > info.max:
        numpy_dtype = np.dtype(np.int64)
    n_missing = int(np.count_nonzero(pd.isna(series.array)))
    values = (
        series.array.to_numpy(dtype=numpy_dtype, na_value=sentinel)
        if n_missing
        else series.array.to_numpy(dtype=numpy_dtype)
    )
    if values.size == 0:
        out[:] = -1
        return True
    smallest, largest = values.min(), values.max()
    if smallest < sentinel or largest > low + n_levels - 1:
        return False
    if smallest == sentinel and np.count_nonzero(values == sentinel) != n_missing:
        return False
    if low == 1 and numpy_dtype.itemsize == 1:
        np.subtract(values.view(np.int8), np.int8(1), out=out)
    else:
        out[:] = (values.astype(np.int64) - low).astype(np.int8)
    return True


def _encode_integer_columns(data: pd.DataFrame, items: Sequence[str]) -> Encoded | None:
    """Levels and codes of integer columns in one pass each (levels = every integer between the extremes).

    Returns None — and the general path takes over — unless every column is an integer column whose
    values span fewer than 127 levels.
    """
    columns: list[tuple[Any, Any, int | None, int | None]] = []
    for column in items:
        array = data[column].array
        numpy_dtype = getattr(array.dtype, "numpy_dtype", array.dtype)
        if not isinstance(numpy_dtype, np.dtype) or numpy_dtype.kind not in "iu":
            return None
        missing = np.asarray(pd.isna(array), dtype=bool)
        has_missing = bool(missing.any())
        values = array.to_numpy(dtype=numpy_dtype, na_value=0) if has_missing else array.to_numpy(dtype=numpy_dtype)
        present = ~missing if has_missing else None
        if values.size == 0 or (present is not None and not present.any()):
            columns.append((values, missing, None, None))
            continue
        info = np.iinfo(numpy_dtype)
        if present is None:
            low, high = int(values.min()), int(values.max())
        else:
            low = int(values.min(where=present, initial=info.max))
            high = int(values.max(where=present, initial=info.min))
        columns.append((values, missing if has_missing else None, low, high))
    lows = [c[2] for c in columns if c[2] is not None]
    if not lows:
        return None
    low, high = min(lows), max(c[3] for c in columns if c[3] is not None)
    if high - low >= 127:
        return None
    codes = np.empty((len(items), len(data)), dtype=np.int8)
    for j, (values, missing, column_low, _) in enumerate(columns):
        if column_low is None:
            codes[j] = -1
            continue
        if values.dtype.itemsize == 1 and values.dtype.kind == "i":
            np.subtract(values, np.int8(low), out=codes[j])
        else:
            codes[j] = (values.astype(np.int64) - low).astype(np.int8)
        if missing is not None:
            np.putmask(codes[j], missing, np.int8(-1))
    return Encoded(tuple(items), tuple(range(low, high + 1)), codes.T, data.index)


def encode(data: pd.DataFrame, items: Sequence[str], levels: Any = None) -> Encoded:
    """Level codes of ``items``; every non-missing value must be one of ``levels``.

    Raises
    ------
    ValueError
        naming the column, the row and the value that is not a level.
    """
    items = resolve_items(data, items)
    if isinstance(data, Source):
        if levels is None and levels_found_in_pass(data, items):
            return SourceEncoded(data, tuple(items), None)  # the levels come with the first tables
        return SourceEncoded(data, tuple(items), _source_levels(data, items, levels))
    if levels is None:
        quick = _encode_integer_columns(data, items)
        if quick is not None:
            return quick
    level_values = resolve_levels(data, items, levels)
    n_levels = len(level_values)
    if n_levels > 127:
        raise ValueError(f"{n_levels} distinct values is too many for ordinal levels (at most 127)")
    codes = np.empty((len(items), len(data)), dtype=np.int8)
    numeric_levels = all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in level_values
    )
    contiguous = (
        numeric_levels
        and n_levels > 0
        and all(float(v).is_integer() for v in level_values)
        and [int(v) for v in level_values] == list(range(int(level_values[0]), int(level_values[0]) + n_levels))
    )
    for j, column in enumerate(items):
        series = data[column]
        if isinstance(series.dtype, pd.CategoricalDtype) and not numeric_levels:
            lookup = {v: i for i, v in enumerate(level_values)}
            cat_codes = np.array([lookup.get(c, -2) for c in series.cat.categories], dtype=np.int16)
            raw = series.cat.codes.to_numpy()
            out = np.where(raw < 0, -1, cat_codes[np.maximum(raw, 0)] if len(cat_codes) else -2)
            bad = np.flatnonzero(out == -2)
            if bad.size:
                raise ValueError(
                    f"column {column!r}, {_row_label(data.index, int(bad[0]))}: value "
                    f"{_show(series.iloc[bad[0]])} is not a level (levels {list(level_values)})"
                )
            codes[j] = out
            continue
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        if contiguous and _fast_integer_codes(series, int(level_values[0]), n_levels, codes[j]):
            continue
        missing = series.isna().to_numpy()
        if not (pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)):
            try:
                values = pd.to_numeric(series, errors="raise").to_numpy(dtype=float, na_value=np.nan)
            except (TypeError, ValueError):
                position = next(
                    i for i, v in enumerate(series) if not pd.isna(v) and not isinstance(v, (int, float, np.number))
                )
                raise ValueError(
                    f"column {column!r}, {_row_label(data.index, position)}: value "
                    f"{_show(series.iloc[position])} is not a level; parse the answers with "
                    f"dxlab.parse_levels(...) first"
                ) from None
        elif isinstance(series.dtype, pd.api.extensions.ExtensionDtype) or series.dtype.kind in "iub":
            values = (
                series.to_numpy(dtype=np.float64, na_value=np.nan)
                if missing.any()
                else series.to_numpy(dtype=np.float64)
            )
        else:
            values = series.to_numpy(dtype=np.float64)
        if n_levels == 0:
            if not missing.all():
                raise ValueError(f"column {column!r} has answers but no levels were given")
            codes[j] = -1
            continue
        if contiguous:
            offset = values - float(level_values[0])
            filled = np.where(missing, 0.0, offset)
            ok = (filled >= 0) & (filled < n_levels) & (filled == np.floor(filled))
            code = filled.astype(np.int8) if ok.all() else np.where(ok, filled, 0).astype(np.int8)
        else:
            grid = np.asarray(level_values, dtype=float)
            order = np.argsort(grid)
            pos = np.searchsorted(grid[order], np.where(missing, grid[0], values))
            pos = np.minimum(pos, n_levels - 1)
            found = grid[order][pos] == np.where(missing, grid[0], values)
            code = order[pos].astype(np.int8)
            ok = found
        bad = np.flatnonzero(~ok & ~missing)
        if bad.size:
            raise ValueError(
                f"column {column!r}, {_row_label(data.index, int(bad[0]))}: value "
                f"{_show(series.iloc[bad[0]])} is not a level (levels {list(level_values)})"
                + (f"; {bad.size} such values in all" if bad.size > 1 else "")
            )
        code = np.where(missing, -1, code).astype(np.int8)
        codes[j] = code
    # (rows, items) in Fortran order: each item's codes stay contiguous and no transposing copy is made
    return Encoded(tuple(items), tuple(level_values), codes.T, data.index)


def resolve_weights(data: pd.DataFrame, weights: Any) -> np.ndarray | None:
    """Row weights from a column name or an array; finite and non-negative, or a clear error."""
    if weights is None:
        return None
    if isinstance(data, Source):
        if not isinstance(weights, str) or weights not in data.columns:
            raise ValueError(
                f"{data.name}: weights must name one of its columns ({', '.join(map(str, data.columns))})"
                f", not {weights!r}"
            )
        return SourceWeights(data, weights)  # type: ignore[return-value]
    if isinstance(weights, str):
        if weights not in data.columns:
            raise ValueError(f"weights column {weights!r} is not in the data")
        name = weights
        values = pd.to_numeric(data[weights], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    else:
        name = "weights"
        values = np.asarray(weights, dtype=float)
        if values.shape != (len(data),):
            raise ValueError(f"weights has {values.size} values for {len(data)} rows")
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        raise ValueError(
            f"{name}, {_row_label(data.index, int(bad[0]))}: weight {_show(values[bad[0]])} is not a "
            f"finite non-negative number ({bad.size} such rows)"
        )
    return values


def encode_groups(data: pd.DataFrame, by: Any) -> Groups:
    """Codes of the groups formed by the ``by`` column(s); rows with a missing key get ``-1``.

    Groups are in category order for categoricals, sorted otherwise; only groups that occur are kept.
    """
    if isinstance(by, str):
        by = [by]
    by = list(by)
    if not by:
        raise ValueError("by is empty")
    missing = [c for c in by if c not in data.columns]
    if missing:
        raise ValueError(f"by column(s) not in the data: {', '.join(map(str, missing))}")
    if isinstance(data, Source):
        return SourceGroups(data, tuple(by))
    per_column = []
    uniques = []
    for column in by:
        series = data[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            codes = series.cat.codes.to_numpy().astype(np.int64)
            cats = series.cat.categories
        else:
            small = _small_integer_factorize(series)
            codes, cats = small if small is not None else pd.factorize(series, sort=True)
            codes = codes.astype(np.int64)
        per_column.append(codes)
        uniques.append(cats)
    combined = np.zeros(len(data), dtype=np.int64)
    unknown = np.zeros(len(data), dtype=bool)
    for codes, cats in zip(per_column, uniques):
        unknown |= codes < 0
        combined = combined * max(len(cats), 1) + np.maximum(codes, 0)
    present, group_codes = _dense_codes(combined, unknown)
    key_columns: dict[str, list] = {c: [] for c in by}
    for value in present:
        rest = int(value)
        parts = []
        for cats in reversed(uniques):
            size = max(len(cats), 1)
            parts.append(cats[rest % size])
            rest //= size
        for column, part in zip(by, reversed(parts)):
            key_columns[column].append(part)
    keys = pd.DataFrame(key_columns)
    for column in by:
        if isinstance(data[column].dtype, pd.CategoricalDtype):
            keys[column] = pd.Categorical(
                keys[column], categories=data[column].cat.categories, ordered=data[column].cat.ordered
            )
    return Groups(tuple(by), keys, group_codes)


def _dense_codes(combined: np.ndarray, unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct known values (ascending) and each row's position among them (−1: unknown)."""
    size = int(combined.max(initial=0)) + 1
    if size > 4 * len(combined) + 1_000_000:  # sparse keys: sort instead of counting
        present = np.unique(combined[~unknown])
        group_codes = np.full(len(combined), -1, dtype=np.int64)
        group_codes[~unknown] = np.searchsorted(present, combined[~unknown])
        return present, group_codes
    any_unknown = bool(unknown.any())
    seen = np.bincount(combined[~unknown] if any_unknown else combined, minlength=size) > 0
    position = np.cumsum(seen) - 1
    group_codes = position[combined]
    if any_unknown:
        group_codes[unknown] = -1
    return np.flatnonzero(seen), group_codes


def _small_integer_factorize(series: pd.Series) -> tuple[np.ndarray, pd.Index] | None:
    """``pd.factorize(series, sort=True)`` for a complete integer column of small range, by counting."""
    dtype = series.dtype
    if not isinstance(dtype, np.dtype) or dtype.kind not in "iu" or len(series) == 0:
        return None
    values = series.to_numpy()
    low, high = int(values.min()), int(values.max())
    if high - low > 1_000_000:
        return None
    shifted = values - low if low else values
    seen = np.bincount(shifted, minlength=high - low + 1) > 0
    position = np.cumsum(seen) - 1
    return position[shifted], pd.Index((np.flatnonzero(seen) + low).astype(dtype))


def value_tables(data: Any, names: Sequence[str], groups: Groups, levels: Any = None) -> dict[str, np.ndarray]:
    """Value × group tables ``T[g, u]`` (``u``: the distinct values present, ascending) of the numeric
    columns ``names`` that take at most 127 distinct values, from one compiled pass (one pass per part
    for a source); columns not listed in the result need the general path. With ``levels`` every value must
    be one of them (a data source checks them in the same pass): a value that is not is an error.
    """
    if isinstance(data, Source):
        chosen = list(names)
    else:
        dtypes = data.dtypes
        chosen = [
            n
            for n in names
            if pd.api.types.is_numeric_dtype(dtypes[n])
            and not pd.api.types.is_bool_dtype(dtypes[n])
            and not isinstance(dtypes[n], pd.CategoricalDtype)
        ]
    if not chosen:
        return {}
    try:
        enc = encode(data, chosen, levels)
        tables = group_tables(enc, groups)
    except ValueError as error:
        if levels is not None and "is not a level" in str(error):
            raise
        return {}
    return {name: table[:, table.sum(axis=0) > 0] for name, table in zip(chosen, tables)}


def all_answered(enc: Encoded) -> bool:
    """Whether every row answered every item (False for a data source: its statistics then come from the
    pair tables, which need no rows, rather than from global ranks of all rows)."""
    if isinstance(enc, SourceEncoded):
        return False
    return enc.n_rows > 0 and int(enc.codes.min(initial=0)) >= 0


def level_counts(enc: Encoded, weights: np.ndarray | None = None) -> np.ndarray:
    """``C[i, a]``: (weighted) number of rows answering item ``i`` with level ``a``."""
    if isinstance(enc, SourceEncoded):
        return enc.table("levels", weights)
    k, n_levels = len(enc.items), enc.n_levels
    if k and n_levels and enc.n_rows:
        one_group = Groups((), pd.DataFrame(index=pd.RangeIndex(1)), np.zeros(enc.n_rows, dtype=np.int64))
        return group_tables(enc, one_group, weights)[:, 0, :]
    return np.zeros((k, n_levels))


def pair_tables(
    enc: Encoded, weights: np.ndarray | None = None, *, chunk: int | None = None, engine: str = "auto"
) -> np.ndarray:
    """All item × item tables at once: ``T[i, a, j, b]`` (float64, shape ``(k, L, k, L)``).

    ``T[i, :, i, :]`` is diagonal and holds item ``i``'s level counts. The tables are the one-hot
    matrix's Gram matrix ``Xᵀ W X``: one BLAS product per chunk of rows instead of one pass per pair.
    The one-hot block is written by scattering ones into a reused zero buffer (a missing answer points
    at a spare column that is left out of the product). ``engine="numba"`` (the default when numba is
    installed) counts instead with a compiled loop over pairs (:mod:`._kernel`), several times faster;
    ``engine="numpy"`` forces the product, which the tests use as the oracle.
    """
    if isinstance(enc, SourceEncoded):
        return enc.table("pairs", weights)
    k, n_levels = len(enc.items), enc.n_levels
    width = k * n_levels
    if width == 0 or enc.n_rows == 0:
        return np.zeros((k, n_levels, k, n_levels))
    if _use_kernel(engine):
        return _pair_tables_compiled(enc, weights)
    if chunk is None:
        # small blocks stay in cache when our threads split the rows; BLAS's own threads need big ones
        chunk = 2_048 if _THREADS > 1 and _single_threaded_blas() is not None else _CHUNK
    dtype = np.float32 if weights is None else np.float64
    rows = min(chunk, enc.n_rows)
    stride = width + 1  # the spare last column collects the missing answers
    item_offset = (np.arange(k, dtype=np.int64) * n_levels)[None, :]
    row_offset = (np.arange(rows, dtype=np.int64) * stride)[:, None]

    def span(lo: int, hi: int) -> np.ndarray:
        total = np.zeros((width, width), dtype=np.float64)
        buffer = np.zeros((rows, stride), dtype=dtype)
        flat = buffer.reshape(-1)
        for start in range(lo, hi, chunk):
            block = enc.codes[start : min(start + chunk, hi)]
            m = block.shape[0]
            target = row_offset[:m] + np.where(block >= 0, item_offset + block, width)
            flat[target] = 1.0
            onehot = buffer[:m, :width]
            if weights is None:
                total += onehot.T @ onehot
            else:
                total += (onehot * weights[start : start + m, None]).T @ onehot
            flat[target] = 0.0
        return total

    total = over_row_spans(enc.n_rows, chunk, span)
    return total.reshape(k, n_levels, k, n_levels)


def group_tables(
    enc: Encoded, groups: Groups, weights: np.ndarray | None = None, *, engine: str = "auto"
) -> np.ndarray:
    """Item × group tables ``G[i, g, a]``: (weighted) rows of group ``g`` answering item ``i`` with ``a``."""
    if isinstance(enc, SourceEncoded):
        return enc.table("groups", weights, groups)
    k, n_levels, n_groups = len(enc.items), enc.n_levels, groups.n_groups
    if k and n_levels and n_groups and enc.n_rows and _use_kernel(engine):
        from . import _kernel

        by_item = np.ascontiguousarray(enc.codes.T)
        return _kernel.group_counts(by_item, groups.codes, n_groups, n_levels, weights).astype(np.float64)
    out = np.zeros((k, n_groups, n_levels), dtype=np.float64)
    known = groups.codes >= 0
    base = groups.codes * n_levels
    for i in range(k):
        code = enc.codes[:, i]
        valid = known & (code >= 0)
        if valid.all():
            flat = base + code
            w = weights
        else:
            flat = base[valid] + code[valid]
            w = None if weights is None else weights[valid]
        out[i] = np.bincount(flat, weights=w, minlength=n_groups * n_levels).reshape(n_groups, n_levels)
    return out


def pair_weights(enc: Encoded, weights: np.ndarray | None = None, *, chunk: int = 65_536) -> np.ndarray:
    """``(3, k, k)``: for each pair of items, the rows answering both, their Σw and their Σw².

    With these the tests of weighted correlations use each pair's Kish effective size (Σw)²/Σw²; without
    weights the three are the row counts.
    """
    if isinstance(enc, SourceEncoded):
        return enc.table("pair rows", weights)
    k = len(enc.items)
    n = np.zeros((k, k))
    sw = np.zeros((k, k))
    sw2 = np.zeros((k, k))
    for start in range(0, enc.n_rows, chunk):
        mask = (enc.codes[start : start + chunk] >= 0).astype(np.float64)
        n += mask.T @ mask
        if weights is not None:
            w = weights[start : start + chunk, None]
            sw += (mask * w).T @ mask
            sw2 += (mask * w * w).T @ mask
    if weights is None:
        return np.stack([n, n, n])
    return np.stack([n, sw, sw2])


@dataclass(frozen=True)
class Moments:
    """Pairwise-complete moments: for the rows where items ``i`` and ``j`` are both answered,
    ``n[i, j]`` rows, ``sx[i, j]`` = Σ xᵢ, ``sxx[i, j]`` = Σ xᵢ², ``sxy[i, j]`` = Σ xᵢ xⱼ (weighted)."""

    n: np.ndarray
    sx: np.ndarray
    sxx: np.ndarray
    sxy: np.ndarray

    def covariance(self) -> np.ndarray:
        """Pairwise-complete covariances, each pair with its own means (as ``DataFrame.cov``)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return (self.sxy - self.sx * self.sx.T / self.n) / (self.n - 1)

    def correlation(self) -> np.ndarray:
        """Pairwise-complete Pearson correlations (as ``DataFrame.corr``)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            cxy = self.sxy - self.sx * self.sx.T / self.n
            vx = self.sxx - self.sx**2 / self.n
            r = cxy / np.sqrt(vx * vx.T)
        return np.clip(r, -1.0, 1.0)


def pair_moments(enc: Encoded, weights: np.ndarray | None = None, *, chunk: int = 16_384) -> Moments:
    """Pairwise-complete moments of the level values, computed from the codes in a few matrix products.

    These equal the moments of :func:`pair_tables` (Σ_ab T[i,a,j,b]·v_a·v_b and so on) but cost
    ``k²`` instead of ``(k·L)²`` per row, which is what reliability needs at a million rows. Values are
    centred on a middle level before the products, so integer levels give integer sums small enough to
    stay exact in float32 (partial sums below 2**24); the moments are shifted back at the end.
    """
    if isinstance(enc, SourceEncoded):
        return enc.table("moments", weights)
    k = len(enc.items)
    scores = enc.scores
    centre = float(np.round((scores.min(initial=0) + scores.max(initial=0)) / 2.0)) if len(scores) else 0.0
    shifted = scores - centre
    integer = bool(np.all(shifted == np.round(shifted)))
    largest = float(np.abs(shifted).max(initial=1.0)) or 1.0
    if integer and weights is None and largest <= 100:
        dtype = np.float32
        chunk = max(1, min(chunk, (1 << 24) // int(largest * largest)))
    else:
        dtype = np.float64
    contiguous = integer and len(scores) > 0 and np.array_equal(np.diff(scores), np.ones(len(scores) - 1))
    lookup = np.concatenate([shifted, [0.0]]).astype(dtype)  # code -1 → value 0
    complete_data = enc.n_rows > 0 and int(enc.codes.min(initial=0)) >= 0

    def span(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        n = np.zeros((k, k))
        sx = np.zeros((k, k))
        sxx = np.zeros((k, k))
        sxy = np.zeros((k, k))
        for start in range(lo, hi, chunk):
            block = enc.codes[start : min(start + chunk, hi)]
            if contiguous:
                values = np.subtract(block, dtype(centre - scores[0]), dtype=dtype)
            else:
                values = lookup[block]
            if weights is None and complete_data:
                n += block.shape[0]
                sx += values.sum(axis=0)[:, None]  # exact: |Σ| < 2**24 within a chunk
                product = values.T @ values
                sxx += np.diag(product)[:, None]
                sxy += product
                continue
            answered = block >= 0
            if contiguous:
                values *= answered
            mask = answered.astype(dtype)
            if weights is not None:
                w = weights[start : start + block.shape[0], None].astype(dtype)
                wmask = mask * w
                wvalues = values * w
            else:
                wmask, wvalues = mask, values
            n += wmask.T @ mask
            sx += wvalues.T @ mask
            sxx += (wvalues * values).T @ mask
            sxy += wvalues.T @ values
        return n, sx, sxx, sxy

    if enc.n_rows == 0 or k == 0:
        zero = np.zeros((k, k))
        n, sx, sxx, sxy = zero, zero.copy(), zero.copy(), zero.copy()
    else:
        n, sx, sxx, sxy = over_row_spans(enc.n_rows, chunk, span)
    # undo the centring c: Σx = Σx' + c·n, Σx² = Σx'² + 2cΣx' + c²n, Σxy = Σx'y' + cΣx' + cΣy' + c²n
    c = centre
    sxy = sxy + c * sx + c * sx.T + c * c * n
    sxx = sxx + 2.0 * c * sx + c * c * n
    sx = sx + c * n
    return Moments(n, sx, sxx, sxy)


# -- the compiled kernel ---------------------------------------------------------------------------------------
ENGINES = ("auto", "numba", "numpy")


def _use_kernel(engine: str) -> bool:
    """Whether to count with :mod:`._kernel` (imported here, on first use, so ``import dxlab`` stays quick)."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(map(repr, ENGINES))}, not {engine!r}")
    if engine == "numpy":
        return False
    from . import _kernel

    if engine == "numba" and not _kernel.available():
        raise ValueError("engine='numba' needs numba (pip install numba)")
    return _kernel.available()


def _pair_tables_compiled(enc: Encoded, weights: np.ndarray | None) -> np.ndarray:
    """``T[i, a, j, b]`` from the compiled loops over (packed) pairs of items, :func:`._kernel.all_pair_tables`."""
    from . import _kernel

    by_item = np.ascontiguousarray(enc.codes.T)  # a free view when the codes are column-major
    return _kernel.all_pair_tables(by_item, enc.n_levels, weights)


# -- tables that add up ----------------------------------------------------------------------------------------
def add_tables(*parts: Any) -> Any:
    """The tables of the whole from the tables of its parts: cell-by-cell sums.

    Tables (and moments) are sums over rows, so the tables of a dataset split into parts — files, row
    groups, Dask partitions, machines — are the sums of the parts' tables. ``parts`` may be arrays of one
    shape, tuples or dicts of them, or :class:`Moments`; ``None`` (an empty part) is skipped.

    Examples
    --------
    >>> import numpy as np
    >>> add_tables(np.ones((2, 2)), np.eye(2)).tolist()
    [[2.0, 1.0], [1.0, 2.0]]
    """
    present = [part for part in parts if part is not None]
    if not present:
        return None
    first = present[0]
    if isinstance(first, Moments):
        return Moments(*(add_tables(*(getattr(p, f) for p in present)) for f in ("n", "sx", "sxx", "sxy")))
    if isinstance(first, tuple):
        return tuple(add_tables(*(p[i] for p in present)) for i in range(len(first)))
    if isinstance(first, dict):
        return {key: add_tables(*(p[key] for p in present)) for key in first}
    shapes = {np.shape(p) for p in present}
    if len(shapes) > 1:
        raise ValueError(f"tables of different shapes cannot be added: {sorted(shapes)}")
    total = np.array(first, dtype=np.float64, copy=True)
    for part in present[1:]:
        total += part
    return total


# -- data sources (Parquet, Dask): the same tables, part by part -------------------------------------------------
@dataclass(frozen=True)
class _WeightSpec:
    column: str
    power: int = 1


class SourceWeights:
    """The weights column of a :class:`~._source.Source`, read part by part (``w * w`` squares it).

    ``np.asarray(weights)`` reads the whole column, for the few statistics that need row weights.
    """

    def __init__(self, source: Source, column: str, power: int = 1) -> None:
        self.source, self.column, self.power = source, column, power
        self._values: np.ndarray | None = None

    def __mul__(self, other: Any) -> SourceWeights:
        if isinstance(other, SourceWeights) and other.column == self.column and other.source is self.source:
            return SourceWeights(self.source, self.column, self.power + other.power)
        return NotImplemented

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if self._values is None:
            values = resolve_weights(self.source[[self.column]], self.column)
            assert values is not None
            self._values = values**self.power
        return self._values if dtype is None else self._values.astype(dtype)

    def __getitem__(self, key: Any) -> np.ndarray:
        return np.asarray(self)[key]

    def __len__(self) -> int:
        return len(self.source)


def _weight_spec(weights: Any) -> _WeightSpec | None:
    if weights is None:
        return None
    if isinstance(weights, SourceWeights):
        return _WeightSpec(weights.column, weights.power)
    raise ValueError("weights for a data source must be one of its columns (pass the column name)")


def _weight_power(weights: Any) -> int:
    spec = _weight_spec(weights)
    return 0 if spec is None else spec.power


def answers_are_numbers(source: Source, items: Sequence[str]) -> bool:
    """Whether the source's metadata says that ``items`` are numeric columns (not categoricals)."""
    for item in items:
        dtype = source.column_dtype(item)
        if dtype is None or isinstance(dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(dtype):
            return False
    return True


def levels_found_in_pass(source: Source, items: Sequence[str]) -> bool:
    """Whether the levels of ``items`` can be found in the pass that builds their tables (:mod:`._source_pass`):
    numeric columns whose levels the files' statistics do not already give."""
    if isinstance(source, ParquetSource):
        extremes = source.integer_range(items)
        if extremes is not None and extremes[1] - extremes[0] < 127:
            return False
    return answers_are_numbers(source, items)


def shared_levels(data: Any, items: Sequence[str]) -> Any:
    """The levels the analyses of a source's groups share: None when each group can find its own in its one
    pass (numeric answers, as each group of a DataFrame does), else the levels of the whole data."""
    if not isinstance(data, Source) or answers_are_numbers(data, items):
        return None
    return encode(data, items).levels


def prefetch_tables(enc: Encoded, wanted: Sequence[tuple[str, Any]], groups: Groups | None = None) -> None:
    """For a data source, every table in ``wanted`` (kind, weights) from one pass; nothing in memory, where
    each table function counts the rows it is given."""
    if isinstance(enc, SourceEncoded):
        enc.prefetch(wanted, groups)


def _source_levels(source: Source, items: Sequence[str], levels: Any) -> tuple[Any, ...]:
    """The levels :func:`encode` would infer on the whole data, from each part's levels."""
    if levels is not None:
        return resolve_levels(pd.DataFrame(), items, levels)
    if isinstance(source, ParquetSource):
        extremes = source.integer_range(items)  # from the files' statistics: no pass over the data
        if extremes is not None and extremes[1] - extremes[0] < 127:
            return tuple(range(extremes[0], extremes[1] + 1))
    found = source.gather(lambda part: resolve_levels(part, items), items)
    distinct = {tuple(f) for f in found if f}
    if len(distinct) <= 1:
        return next(iter(distinct), ())
    values = sorted(set().union(*distinct))
    if all(isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer() for v in values):
        lo, hi = int(values[0]), int(values[-1])
        if hi - lo < 127:
            return tuple(range(lo, hi + 1))
    return tuple(values)


def _part_group_codes(part: pd.DataFrame, by: Sequence[str], keys: pd.DataFrame) -> np.ndarray:
    """Each row's position in ``keys`` (−1: a key is missing or unknown).

    Each column is factorised (fast on Arrow strings too), so only the part's few distinct keys are
    looked up in ``keys``, not every row.
    """
    combined = np.zeros(len(part), dtype=np.int64)
    unknown = np.zeros(len(part), dtype=bool)
    uniques = []
    for column in by:
        codes, values = pd.factorize(part[column])
        unknown |= codes < 0
        combined = combined * max(len(values), 1) + np.maximum(codes, 0)
        uniques.append(np.asarray(values, dtype=object))
    present, dense = _dense_codes(combined, unknown)
    seen = {}
    rest = present.copy()
    for column, values in zip(reversed(by), reversed(uniques)):
        size = max(len(values), 1)
        seen[column] = values[rest % size] if len(values) else np.array([], dtype=object)
        rest //= size
    found = pd.DataFrame({c: seen[c] for c in by})
    if len(by) == 1:
        lookup = pd.Index(keys[by[0]].astype(object)).get_indexer(found[by[0]])
    else:
        lookup = pd.MultiIndex.from_frame(keys[list(by)].astype(object)).get_indexer(pd.MultiIndex.from_frame(found))
    return np.where(dense >= 0, lookup[np.maximum(dense, 0)] if len(lookup) else -1, -1).astype(np.int64)


def _part_index(part: pd.DataFrame) -> pd.Index:
    return part.index


@dataclass(frozen=True)
class _PartCodes:
    """One part's level codes (for the few statistics that need rows); plain data, for Dask's workers."""

    items: tuple[str, ...]
    levels: tuple[Any, ...]

    def __call__(self, part: pd.DataFrame) -> np.ndarray:
        return encode(part, self.items, self.levels).codes


class SourceEncoded(Encoded):
    """:class:`Encoded` for a :class:`~._source.Source`: the table functions run part by part.

    The tables a statistic asks for together come from one pass (:meth:`prefetch`, :mod:`._source_pass`),
    and are kept. ``levels=None``: the levels are found in the first pass, from the values the parts hold.
    ``codes`` (all rows' level codes, one byte per answer) is read only when a statistic asks for rows.
    """

    def __init__(self, source: Source, items: tuple[str, ...], levels: tuple[Any, ...] | None) -> None:
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "_cache", {} if levels is None else {"levels": tuple(levels)})

    source: Source

    @property  # type: ignore[override]
    def levels(self) -> tuple[Any, ...]:  # type: ignore[override]
        cache: dict = self._cache  # type: ignore[attr-defined]
        if "levels" not in cache:
            self.prefetch([("levels", None)])
        return cache["levels"]

    def table(self, kind: str, weights: Any = None, groups: Groups | None = None) -> Any:
        """One table (:mod:`._source_pass` kinds), from the tables already built or from a pass of its own."""
        if kind == "groups" and groups is not None and groups.by and not isinstance(groups, SourceGroups):
            raise ValueError("items from a data source need their groups from the same source")
        self.prefetch([(kind, weights)], groups)
        return self._cache[self._key(kind, weights, groups)]  # type: ignore[attr-defined]

    @staticmethod
    def _key(kind: str, weights: Any, groups: Groups | None) -> tuple[Any, ...]:
        spec = _weight_spec(weights)
        by = groups.by if kind == "groups" and groups is not None else None
        return (kind, None if spec is None else spec.column, 0 if spec is None else spec.power, by)

    def prefetch(self, wanted: Sequence[tuple[str, Any]], groups: Groups | None = None) -> None:
        """Every table of ``wanted`` (kind, weights) not built yet, in one pass over the source."""
        from ._source_pass import PassWork, Want, finish_pass, merge_parts

        cache: dict = self._cache  # type: ignore[attr-defined]
        missing = [(kind, w) for kind, w in wanted if self._key(kind, w, groups) not in cache]
        if not missing and "levels" in cache:
            return
        columns = {spec.column for spec in (_weight_spec(w) for _, w in missing) if spec is not None}
        if len(columns) > 1:
            raise ValueError(f"one pass takes one weights column, not {sorted(columns)}")
        column = next(iter(columns), None)
        by = groups.by if groups is not None and any(kind == "groups" for kind, _ in missing) else ()
        keys = groups.keys if groups is not None else None
        wants = tuple(Want(kind, _weight_power(w)) for kind, w in missing)
        read = list(dict.fromkeys([*self.items, *by, *([column] if column else [])]))
        work = PassWork(self.items, cache.get("levels"), wants, column, by, keys)
        finished = finish_pass(self.source.reduce(work, read, combine=merge_parts), work, read)
        if finished is None:  # a part's values are not levels: a pass of their own finds them, or says why not
            cache["levels"] = _source_levels(self.source, self.items, None)
            work = PassWork(self.items, cache["levels"], wants, column, by, keys)
            finished = finish_pass(self.source.reduce(work, read, combine=merge_parts), work, read)
            assert finished is not None
        levels, tables = finished
        cache["levels"] = levels
        for (kind, w), want in zip(missing, wants):
            cache[self._key(kind, w, groups)] = tables[want]
        rows = tables.get(Want("rows"))
        if rows is not None:
            self.source.remember_length(int(rows[0]))

    @property  # type: ignore[override]
    def codes(self) -> np.ndarray:  # type: ignore[override]
        cache: dict = self._cache  # type: ignore[attr-defined]
        if "codes" not in cache:
            parts = self.source.gather(_PartCodes(self.items, self.levels), self.items)
            codes = np.empty((sum(p.shape[0] for p in parts), len(self.items)), dtype=np.int8, order="F")
            start = 0
            for part in parts:
                codes[start : start + part.shape[0]] = part
                start += part.shape[0]
            cache["codes"] = codes
        return cache["codes"]

    @property  # type: ignore[override]
    def index(self) -> pd.Index:  # type: ignore[override]
        from ._source import GroupView

        if not isinstance(self.source, GroupView):
            return pd.RangeIndex(len(self.source))
        # a group's rows are named as the whole data names them (a note's rows, as a DataFrame's group names them)
        cache: dict = self._cache  # type: ignore[attr-defined]
        if "index" not in cache:
            parts = self.source.gather(_part_index, self.items[:1])
            cache["index"] = parts[0].append(parts[1:]) if parts else pd.RangeIndex(0)
        return cache["index"]

    @property
    def n_rows(self) -> int:
        return len(self.source)

    def columns(self, weights: Any = None, by: Sequence[str] = ()) -> list[str]:
        spec = _weight_spec(weights)
        extra = [spec.column] if spec is not None else []
        return list(dict.fromkeys([*self.items, *by, *extra]))

    def subset(self, rows: np.ndarray | None = None, items: Sequence[int] | None = None) -> Encoded:
        if rows is None:  # still a source: its tables are still built part by part
            chosen = self.items if items is None else tuple(self.items[i] for i in items)
            return SourceEncoded(self.source, chosen, self.levels)
        return Encoded(self.items, self.levels, self.codes, self.index).subset(rows, items)

    def level_note(self) -> str:
        """The inferred-levels note from the level counts (tables only); rows are read only when there is
        something to report (a level nobody chose, a value that is not a whole number)."""
        from ._common import inferred_levels_note

        levels = list(self.levels)
        if not levels or self.n_rows == 0:
            return ""
        whole = all(isinstance(v, (int, float, np.integer, np.floating)) and float(v).is_integer() for v in levels)
        if whole and bool((level_counts(self).sum(axis=0) > 0).all()):
            return ""
        return inferred_levels_note(Encoded(self.items, self.levels, self.codes, self.index))


class SourceGroups(Groups):
    """:class:`Groups` of a source: the keys from one pass over the ``by`` columns, codes read on demand."""

    def __init__(self, source: Source, by: tuple[str, ...]) -> None:
        uniques = source.gather(lambda part: part.drop_duplicates(), by)
        distinct = pd.concat(uniques, ignore_index=True).drop_duplicates() if uniques else pd.DataFrame(columns=by)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "by", by)
        object.__setattr__(self, "keys", encode_groups(distinct.reset_index(drop=True), list(by)).keys)
        object.__setattr__(self, "_cache", {})

    source: Source

    @property  # type: ignore[override]
    def codes(self) -> np.ndarray:  # type: ignore[override]
        cache: dict = self._cache  # type: ignore[attr-defined]
        if "codes" not in cache:
            by, keys = self.by, self.keys
            parts = self.source.gather(lambda part: _part_group_codes(part, by, keys), by)
            cache["codes"] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return cache["codes"]
