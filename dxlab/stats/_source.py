"""Data that is not one pandas DataFrame: a Parquet dataset read in batches, or a Dask DataFrame.

Every table dxlab builds is a sum over rows, so the tables of a whole dataset are the sums of the tables
of its parts (:func:`dxlab.stats.add_tables`). A :class:`Source` hands each part, as a small pandas
DataFrame holding only the columns a statistic needs, to a function that returns tables, and adds the
results:

* :class:`ParquetSource` reads a Parquet file or a folder of them with ``pyarrow.dataset``, one batch of
  rows at a time, so memory holds one batch and the tables — never the dataset;
* :class:`DaskSource` runs the function on the partitions of a ``dask.dataframe.DataFrame`` where they
  live (the workers of whatever ``dask.distributed.Client`` is active, or Dask's local scheduler) and
  adds the results in a tree: only the tables travel.

A source also answers ``source[column]`` with the whole column as a pandas Series, for the few
statistics that need the rows themselves (see docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "DaskSource",
    "GroupView",
    "ParquetSource",
    "Source",
    "as_frame_or_source",
    "group_rows",
    "group_views",
    "is_source",
]

BATCH_ROWS = 1 << 20  # rows per Parquet batch: ~30 MB of int8 codes for 30 items, a few hundred MB as pandas


class Source:
    """Rows stored elsewhere, seen as parts; ``columns`` and ``len()`` as for a DataFrame."""

    columns: pd.Index
    name: str
    _rows: int | None

    def __len__(self) -> int:
        raise NotImplementedError

    @property
    def index(self) -> pd.RangeIndex:
        return pd.RangeIndex(len(self))

    def remember_length(self, rows: int) -> None:
        """The number of rows, counted by a pass that read them all: ``len()`` then needs no pass of its own."""
        if getattr(self, "_rows", 0) is None:
            self._rows = int(rows)

    def column_dtype(self, column: str) -> Any:
        """The dtype of ``column`` from the source's metadata, without reading it (None: not known)."""
        return None

    def reduce(
        self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str], combine: Callable[..., Any] | None = None
    ) -> Any:
        """``work(part)`` for every part (only ``columns`` read), added with :func:`add_tables` (or ``combine``)."""
        raise NotImplementedError

    def gather(self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str]) -> list[Any]:
        """``work(part)`` for every part, in row order, as a list (for results that are rows, not sums)."""
        raise NotImplementedError

    @property
    def iloc(self) -> Any:
        raise ValueError(
            f"{self.name}: this statistic with by= analyses each group's rows separately, which needs the data "
            f"in memory; filter the groups first (one call per group) or read the columns with pandas"
        )

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return self._collect([key])[key]
        return self._collect(list(key))

    def _collect(self, columns: list[str]) -> pd.DataFrame:
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise ValueError(
                f"{self.name}: no column(s) {', '.join(missing)}; columns are {', '.join(map(str, self.columns))}"
            )
        parts = self.gather(lambda part: part, columns)
        frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
        return frame

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}: {len(self):,} rows × {len(self.columns)} columns>"


class ParquetSource(Source):
    """A Parquet file or folder (hive partitions allowed), read with ``pyarrow.dataset`` batch by batch."""

    def __init__(self, path: str | Path, *, batch_rows: int = BATCH_ROWS) -> None:
        import pyarrow.dataset as ds

        self.path = Path(path)
        self.name = str(path)
        if not self.path.exists():
            raise ValueError(f"{self.path}: no such Parquet file or folder")
        try:
            self.dataset = ds.dataset(str(self.path), format="parquet", partitioning="hive")
        except (OSError, ValueError, TypeError) as error:  # ArrowInvalid is a ValueError
            raise ValueError(f"{self.path}: not a Parquet dataset ({error})") from None
        self.columns = pd.Index(self.dataset.schema.names)
        self.batch_rows = int(batch_rows)
        self._rows: int | None = None

    def __len__(self) -> int:
        if self._rows is None:
            self._rows = int(self.dataset.count_rows())
        return self._rows

    def column_dtype(self, column: str) -> Any:
        import pyarrow as pa

        kind = self.dataset.schema.field(column).type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind):
            return np.dtype(kind.to_pandas_dtype())
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            return np.dtype(object)
        return None  # dictionaries (categoricals) and the rest: their categories are in the data

    def integer_range(self, columns: Sequence[str]) -> tuple[int, int] | None:
        """The smallest and largest value of integer ``columns`` from the files' statistics (no data read);
        None when a column is not an integer column or a row group has no statistics."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = self.dataset.schema
        if not all(pa.types.is_integer(schema.field(c).type) for c in columns):
            return None
        low: int | None = None
        high: int | None = None
        for path in self.dataset.files:
            metadata = pq.ParquetFile(path).metadata
            names = [metadata.schema.column(j).name for j in range(metadata.num_columns)]
            for g in range(metadata.num_row_groups):
                group = metadata.row_group(g)
                for column in columns:
                    chunk = group.column(names.index(column))
                    stats = chunk.statistics
                    if stats is not None and stats.null_count == group.num_rows:
                        continue  # every value missing: nothing to bound
                    if stats is None or not stats.has_min_max:
                        return None
                    low = int(stats.min) if low is None else min(low, int(stats.min))
                    high = int(stats.max) if high is None else max(high, int(stats.max))
        return None if low is None or high is None else (low, high)

    def _parts(self, columns: Sequence[str]) -> Iterator[pd.DataFrame]:
        offset = 0
        # read ahead one batch at most: pyarrow's default (16 batches, 4 files) would hold a GB of rows
        scanner = self.dataset.scanner(
            columns=list(columns), batch_size=self.batch_rows, use_threads=True, batch_readahead=1, fragment_readahead=1
        )
        for batch in scanner.to_batches():
            if batch.num_rows == 0:
                continue
            part = batch.to_pandas(types_mapper=_nullable_types)
            part.index = pd.RangeIndex(offset, offset + len(part))
            offset += len(part)
            yield part

    def reduce(
        self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str], combine: Callable[..., Any] | None = None
    ) -> Any:
        from ._tables import add_tables

        add = combine or add_tables
        total = None
        for part in self._parts(columns):
            result = work(part)
            total = result if total is None else add(total, result)
        return total

    def gather(self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str]) -> list[Any]:
        return [work(part) for part in self._parts(columns)]


def _nullable_types(arrow_type: Any) -> Any:
    """Integer columns with gaps come back as pandas' nullable integers (as ``pd.read_parquet`` gives)."""
    import pyarrow as pa

    mapping = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
        pa.uint64(): pd.UInt64Dtype(),
    }
    return mapping.get(arrow_type)


class DaskSource(Source):
    """The partitions of a ``dask.dataframe.DataFrame``; the work runs where each partition is."""

    def __init__(self, frame: Any) -> None:
        self.frame = frame
        self.name = "dask DataFrame"
        self.columns = pd.Index(frame.columns)
        self._rows: int | None = None

    def __len__(self) -> int:
        if self._rows is None:
            self._rows = int(self.frame.shape[0].compute())
        return self._rows

    def column_dtype(self, column: str) -> Any:
        dtype = self.frame.dtypes[column]
        if isinstance(dtype, pd.CategoricalDtype) and "__UNKNOWN_CATEGORIES__" in list(dtype.categories):
            return None
        return dtype

    def _delayed_parts(self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str]) -> list[Any]:
        import dask

        parts = self.frame[list(columns)].to_delayed()
        return [dask.delayed(work, pure=True)(part) for part in parts]

    def reduce(
        self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str], combine: Callable[..., Any] | None = None
    ) -> Any:
        import dask

        from ._tables import add_tables

        add = combine or add_tables
        level = self._delayed_parts(work, columns)
        while len(level) > 1:  # a tree of pairwise sums: each worker adds what it holds before sending
            pairs = [dask.delayed(add, pure=True)(*level[i : i + 2]) for i in range(0, len(level) - 1, 2)]
            level = pairs + ([level[-1]] if len(level) % 2 else [])
        return level[0].compute() if level else None

    def gather(self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str]) -> list[Any]:
        import dask

        return list(dask.compute(*self._delayed_parts(work, columns)))


@dataclass(frozen=True)
class _SplitByGroup:
    """``work`` on each group's rows of a part: ``{g: result}`` for every group (None where it has no rows),
    so that the parts' results add up group by group."""

    work: Callable[[pd.DataFrame], Any]
    by: tuple[str, ...]
    keys: pd.DataFrame

    def __call__(self, part: pd.DataFrame) -> dict[int, Any]:
        from ._tables import _part_group_codes

        codes = _part_group_codes(part, self.by, self.keys)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(-1, len(self.keys) + 1))
        out: dict[int, Any] = {}
        for g in range(len(self.keys)):
            rows = order[bounds[g + 1] : bounds[g + 2]]
            out[g] = self.work(part.iloc[rows]) if rows.size else None
        return out


def _count_rows(part: pd.DataFrame) -> np.ndarray:
    return np.array([float(len(part))])


class _GroupedParts:
    """One pass per kind of work computes it for every group at once; each group's view reads its share."""

    def __init__(self, source: Source, by: tuple[str, ...], keys: pd.DataFrame) -> None:
        self.source, self.by, self.keys = source, by, keys
        self._results: dict[tuple[str, tuple[str, ...]], Any] = {}

    def reduce_for(
        self,
        work: Callable[[pd.DataFrame], Any],
        columns: Sequence[str],
        group: int,
        combine: Callable[..., Any] | None = None,
    ) -> Any:
        key = (repr(work), tuple(columns))
        if key not in self._results:
            wanted = list(dict.fromkeys([*columns, *self.by]))
            split = _SplitByGroup(work, self.by, self.keys)
            if combine is None:
                self._results[key] = self.source.reduce(split, wanted)
            else:
                self._results[key] = self.source.reduce(split, wanted, combine=_PerGroup(combine))
        result = self._results[key]
        return None if result is None else result[group]


@dataclass(frozen=True)
class _PerGroup:
    """``combine`` applied group by group to parts' ``{g: result}``."""

    combine: Callable[..., Any]

    def __call__(self, *parts: dict[int, Any] | None) -> dict[int, Any] | None:
        present = [part for part in parts if part is not None]
        if not present:
            return None
        return {g: self.combine(*(part[g] for part in present)) for g in present[0]}


class GroupView(Source):
    """The rows of one group of a source (from :func:`group_views`): tables built for one group are built for
    all of them in the same pass, and each view returns its own."""

    def __init__(self, grouped: _GroupedParts, group: int, label: str) -> None:
        self.grouped, self.group = grouped, group
        self.name = f"{grouped.source.name} [{label}]"
        self.columns = grouped.source.columns
        self._rows: int | None = None

    def __len__(self) -> int:
        if self._rows is None:
            counted = self.grouped.reduce_for(_count_rows, [], self.group)
            self._rows = 0 if counted is None else int(counted[0])
        return self._rows

    def reduce(
        self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str], combine: Callable[..., Any] | None = None
    ) -> Any:
        return self.grouped.reduce_for(work, columns, self.group, combine)

    @property
    def origin(self) -> Source:
        """The source the group's rows come from."""
        return self.grouped.source

    def column_dtype(self, column: str) -> Any:
        return self.grouped.source.column_dtype(column)

    def gather(self, work: Callable[[pd.DataFrame], Any], columns: Sequence[str]) -> list[Any]:
        grouped, group = self.grouped, self.group
        wanted = list(dict.fromkeys([*columns, *grouped.by]))
        split = _SplitByGroup(lambda rows: rows, grouped.by, grouped.keys)
        parts = grouped.source.gather(lambda part: split(part)[group], wanted)
        return [work(part[list(columns)]) for part in parts if part is not None]


def group_views(source: Source, by: Sequence[str], keys: pd.DataFrame, labels: Sequence[str]) -> list[GroupView]:
    """One :class:`GroupView` per row of ``keys`` (the groups of ``by``), sharing their passes over ``source``."""
    grouped = _GroupedParts(source, tuple(by), keys)
    return [GroupView(grouped, g, label) for g, label in enumerate(labels)]


def group_rows(data: Any, groups: Any) -> Callable[[int], Any]:
    """``rows(g)``: group ``g``'s rows of a DataFrame, or its :class:`GroupView` of a source (all the groups'
    tables then come from one pass per kind of table)."""
    if isinstance(data, Source):
        views = group_views(data, groups.by, groups.keys, groups.labels)
        return lambda g: views[g]
    codes = groups.codes
    return lambda g: data.iloc[np.flatnonzero(codes == g)]


def is_source(data: Any) -> bool:
    return isinstance(data, Source)


def _is_dask_frame(data: Any) -> bool:
    return type(data).__module__.startswith("dask") and hasattr(data, "to_delayed") and hasattr(data, "columns")


def as_frame_or_source(data: Any) -> Any:
    """A pandas DataFrame unchanged; a Parquet path or a Dask DataFrame as a :class:`Source`.

    Raises
    ------
    ValueError
        for a path that is not a Parquet file or folder, naming it.
    """
    if isinstance(data, (pd.DataFrame, Source)):
        return data
    if isinstance(data, (str, Path)):
        path = Path(data)
        if path.is_dir() or path.suffix.lower() in (".parquet", ".pq"):
            return ParquetSource(path)
        raise ValueError(
            f"{path}: pass a DataFrame, a Dask DataFrame or a Parquet file/folder, not a "
            f"{path.suffix or 'plain'} file (read CSV/XLSX with dxlab.read_table first)"
        )
    if _is_dask_frame(data):
        return DaskSource(data)
    return data
