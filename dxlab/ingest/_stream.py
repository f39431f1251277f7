"""Cleaning a CSV export batch by batch, so that its size is bounded by the disk, not by memory.

The whole-file clean (:func:`dxlab.ingest._clean.prepare_cleaning` on one :class:`RawExport`) holds every
cell of the file as codes and every distinct value as text. A streamed clean holds one batch at a time:

1. **Layout** — the first batch's rows decide the title rows, format, header rows and column names, and the
   mapping (the rest of the file is data).
2. **Scan** — one read of only the columns whose reading is decided on their values (a date column's order,
   an id column read as tax codes, the kind of each unmapped column, KoboToolbox yes/no columns, blank-header
   columns with data). Each batch gives the *features* of its distinct values, united on a 64-bit hash of
   each value (:mod:`dxlab.ingest._decisions`): the decisions are those the whole file gives.
3. **Clean** — batch by batch with those decisions; each batch's responses, issues and non-answers are set
   aside (pickled to a temporary folder) with 64-bit hashes of its rows' duplicate keys (enterprise id,
   name, e-mail, respondent, wave) and times.
4. **Duplicates** — found once over the hashes of all rows (eight bytes a key), then each batch is read back,
   its repeated submissions quarantined, and handed on (to :func:`~dxlab.ingest.clean_to_folder`, which
   writes it, or to :func:`~dxlab.ingest.read_export`, which joins the batches).

The result equals the whole-file clean's (``tests/test_ingest_stream.py`` compares them batch size by batch
size on the shipped and adversarial exports). Memory grows with the number of rows only by the duplicate
keys (about 50 bytes a row) and with the distinct values of the scanned columns by 9–16 bytes each.

Files this path does not take (they are cleaned whole, as before): XLSX workbooks, files whose rows differ
in length (pyarrow stops on them), files whose quotes may be unbalanced (repairing one needs the text after
the quote) and encodings that fail to decode. A file in another encoding than UTF-8 is first re-encoded
into a temporary UTF-8 copy, piece by piece.
"""

from __future__ import annotations

import csv
import io
import pickle
import queue
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .._i18n import tr
from ..rubric import Rubric
from ._clean import (
    RECODE_COLUMNS,
    CleaningTables,
    SourceInfo,
    _concat_issues,
    _empty_issues,
    _issue_frame,
    _tax_header,
    batch_duplicates,
    check_rubric_fits,
    duplicate_action_texts,
    duplicate_issue_rows,
    duplicate_problem,
    duplicates_note,
    head_issues,
    prepare_cleaning,
)
from ._dates import date_features, decide_dates
from ._decisions import (
    ColumnDecisions,
    boolean_decision,
    boolean_features,
    extra_features,
    extra_kind,
    fraction_decision,
    fraction_features,
    hashed,
    tax_decision,
    tax_features,
    union_features,
)
from ._decode import Encoding, detect_encoding
from ._formats import Layout, RawExport, grid_layout, issue_table, layout_frame
from ._mapping import Mapping
from ._records import looks_broken
from ._tabular import Grid, _arrow_options, _sniff_delimiter, categorical_columns

__all__ = ["STREAM_ABOVE_BYTES", "StreamedCleaning", "NotStreamable", "prepare_streamed"]

STREAM_ABOVE_BYTES = 192 << 20  # CSV files larger than this are cleaned batch by batch
_HEAD_RECORDS = 1_000  # records that decide the layout (title rows, header rows, format)


class NotStreamable(Exception):
    """The file must be cleaned whole (see the module docstring); the reason is the message, the catalogue's
    ``ingest.whole_<reason>`` in English."""

    def __init__(self, reason: str, **values: str) -> None:
        super().__init__(tr(f"ingest.whole_{reason}", "en", **values))


@dataclass
class _Source:
    """A CSV file as pyarrow reads it: UTF-8 (a re-encoded copy for other encodings), its delimiter and width."""

    path: Path
    shown: Path
    encoding: Encoding
    delimiter: str
    width: int
    scratch: Path

    def batches(self, rows: int, columns: list[int] | None = None) -> Iterator[tuple[int, list]]:
        """(index of the batch's first record, one Arrow array per grid column or None where not read), batches
        of ``rows`` records."""
        import pyarrow as pa
        import pyarrow.csv as pcsv

        options = _arrow_options(self.delimiter, self.width)
        # One thread and 1 MB blocks: pyarrow's own threads read far ahead (0.8 GB for 1,000,000 rows); the
        # batch after this one is read by :func:`_ahead`'s thread instead.
        options["read_options"].use_threads = False
        options["read_options"].block_size = 1 << 20
        if columns is not None:
            options["convert_options"].include_columns = [f"f{j}" for j in columns]
        pending: list = []
        pending_rows = 0
        first = 0
        try:  # opening reads the first block: rows of another length can stop pyarrow there already
            reader = pcsv.open_csv(str(self.path), **options)
            for batch in reader:
                pending.append(batch)
                pending_rows += batch.num_rows
                while pending_rows >= rows:
                    table = pa.Table.from_batches(pending)
                    yield first, self._arrays(table.slice(0, rows))
                    first += rows
                    rest = table.slice(rows)
                    pending, pending_rows = rest.to_batches(), rest.num_rows
            if pending_rows:
                yield first, self._arrays(pa.Table.from_batches(pending))
        except pa.ArrowInvalid as exc:
            raise NotStreamable("pyarrow", detail=str(exc)) from None

    def _arrays(self, table) -> list:
        by_name = {name: table.column(name) for name in table.column_names}
        return [by_name.get(f"f{j}") for j in range(self.width)]


def _open_source(path: Path, encoding: str | None, scratch: Path) -> _Source:
    if encoding is not None:
        raise NotStreamable("encoding_given")
    found = detect_encoding(path, full=False)
    source = path
    if found.codec not in ("utf-8", "utf-8-sig"):
        source = scratch / "utf-8.csv"
        try:
            with path.open("r", encoding=found.codec, newline="") as text, source.open("w", encoding="utf-8") as out:
                shutil.copyfileobj(text, out, 1 << 20)
        except (UnicodeDecodeError, UnicodeError):
            raise NotStreamable("no_decode", codec=found.codec) from None
    with source.open("r", encoding="utf-8-sig", newline="") as handle:
        try:
            sample = handle.read(65536)
        except UnicodeDecodeError:
            raise NotStreamable("not_utf8") from None
    delimiter = _sniff_delimiter(sample)
    first = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), [])
    return _Source(source, path, found, delimiter, max(len(first), 1), scratch)


class _Raised:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def _ahead(items: Iterator, depth: int = 1) -> Iterator:
    """``items``, the next ones made by a background thread while the caller works on the current one: pyarrow
    parses and encodes without Python's lock, so on two cores reading the next batch overlaps cleaning this one."""
    pending: queue.Queue = queue.Queue(maxsize=depth)
    finished = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                pending.put(item)
            pending.put(finished)
        except BaseException as error:  # handed to the consumer, raised there
            pending.put(_Raised(error))

    worker = threading.Thread(target=produce, name="dxlab-read-ahead", daemon=True)
    worker.start()
    try:
        while (item := pending.get()) is not finished:
            if isinstance(item, _Raised):
                raise item.error
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a producer blocked on a full queue see the stop
            try:
                pending.get_nowait()
            except queue.Empty:
                worker.join(0.01)


def _head(source: _Source) -> Grid:
    """The first records of the file as a grid, for deciding its layout."""
    for _, arrays in source.batches(_HEAD_RECORDS):
        cells, _ = categorical_columns(arrays, list(range(source.width)))
        rows = np.arange(1, len(cells) + 1, dtype=np.int64)
        return Grid(
            cells=cells,
            rows=rows,
            path=source.shown,
            kind="csv",
            encoding=source.encoding,
            delimiter=source.delimiter,
            normalised=True,
        )
    raise NotStreamable("empty")


@dataclass
class _Scan:
    """What the scan gathers: non-blank cells per grid column (data rows only) and the features of the distinct
    values of each decided column."""

    filled: dict[int, int] = field(default_factory=dict)
    features: dict[tuple[str, str], list[pd.DataFrame]] = field(default_factory=dict)

    def add(self, key: tuple[str, str], uniques: list, features: pd.DataFrame) -> None:
        features = features.assign(hash=hashed(uniques))
        parts = self.features.setdefault(key, [])
        parts.append(features)
        if sum(len(p) for p in parts) > 4_000_000:  # keep the pending rows near the number of distinct values
            parts[:] = [union_features(parts)]

    def union(self, key: tuple[str, str]) -> pd.DataFrame:
        return union_features(self.features.get(key, []))


_KINDS = {
    "tax": tax_features,
    "extra": extra_features,
    "date": lambda uniques: date_features([str(u).strip() for u in uniques]),
    "boolean": boolean_features,
    "fraction": fraction_features,
}


def _decided_columns(layout: Layout, mapping: Mapping, keep_unmapped: bool, rubric: Rubric) -> dict[str, list[str]]:
    """Column name → the kinds of decision taken on its values."""
    meta = mapping.metadata
    wanted: dict[str, list[str]] = {}
    for cid, name in mapping.criteria.items():
        if rubric.criterion(cid).answer == "percent_band":
            wanted.setdefault(name, []).append("fraction")
    for field_name in ("submitted_at", "started_at"):
        if field_name in meta:
            wanted.setdefault(meta[field_name], []).append("date")
    if "enterprise_id" in meta:
        column = next(c for c in layout.columns if c.name == meta["enterprise_id"])
        if not _tax_header(column.name, column.header):
            wanted.setdefault(column.name, []).append("tax")
    if keep_unmapped:
        for name in mapping.extras:
            wanted.setdefault(name, []).extend(["extra", "date"])
    for column in layout.columns:
        if column.parent:
            wanted.setdefault(column.name, []).append("boolean")
    return wanted


def _scan(source: _Source, layout: Layout, wanted: dict[str, list[str]], rows: int, blank: list[int]) -> _Scan:
    grid_of = {c.name: j for c, j in zip(layout.columns, layout.keep)}
    columns = sorted({grid_of[name] for name in wanted} | set(blank))
    scan = _Scan(filled=dict.fromkeys(blank, 0))
    if not columns:
        return scan

    def converted() -> Iterator[pd.DataFrame]:
        for first, arrays in source.batches(rows, columns):
            skip = max(layout.start - first, 0)
            yield categorical_columns([a.slice(skip) if a is not None else None for a in arrays], columns)[0]
            del arrays

    for cells in _ahead(converted()):
        for j in blank:
            scan.filled[j] += int(cells[j].notna().sum())
        for name, kinds in wanted.items():
            uniques = cells[grid_of[name]].cat.remove_unused_categories().cat.categories.to_list()
            for kind in kinds:
                scan.add((kind, name), uniques, _KINDS[kind](uniques))
    return scan


def _decisions(scan: _Scan, wanted: dict[str, list[str]], layout: Layout, mapping: Mapping) -> ColumnDecisions:
    decisions = ColumnDecisions()
    date_columns = {mapping.metadata.get(f) for f in ("submitted_at", "started_at")}
    for name, kinds in wanted.items():
        if "tax" in kinds:
            decisions.tax[name] = tax_decision(scan.union(("tax", name)))
        if "boolean" in kinds:
            decisions.booleans[name] = boolean_decision(scan.union(("boolean", name)))
        if "fraction" in kinds:
            decisions.fractions[name] = fraction_decision(scan.union(("fraction", name)))
        if "extra" in kinds:
            decisions.extras[name] = extra_kind(scan.union(("extra", name)))
        if name in date_columns or decisions.extras.get(name) == "date":
            decisions.dates[name] = decide_dates(scan.union(("date", name)), layout.dayfirst)
    return decisions


@dataclass
class _Batch:
    """A cleaned batch set aside: where its parts are pickled, its first sheet row and its number of rows."""

    path: Path
    first_row: int
    rows: int


@dataclass(frozen=True)
class _Duplicates:
    """The repeated submissions of the whole file: the sheet rows with an issue (sorted), its action, and
    whether those rows leave the responses."""

    rows: np.ndarray
    kept_rows: np.ndarray | None  # the row kept instead of each (None: keep-all); the action's text is made per batch
    policy: str
    column: str
    shown: str  # the responses column whose value the issue shows
    problem: str

    @property
    def quarantine(self) -> bool:
        return self.kept_rows is not None

    def issues(self, responses: pd.DataFrame, first_row: int, stop_row: int) -> pd.DataFrame:
        """The issues of rows ``first_row`` to ``stop_row`` (excluded), values read from the batch's responses."""
        lo, hi = np.searchsorted(self.rows, [first_row, stop_row])
        rows = self.rows[lo:hi]
        values = responses.set_index("source_row")[self.shown].reindex(rows).to_numpy(dtype=object, na_value=None)
        kept = None if self.kept_rows is None else self.kept_rows[lo:hi]
        actions = duplicate_action_texts(kept, self.policy, len(rows))
        return _issue_frame(rows, self.column, values, self.problem, actions)


@dataclass(frozen=True, eq=False)
class StreamedCleaning(CleaningTables):
    """A file cleaned batch by batch, its batches set aside until :meth:`parts` hands them on (once)."""

    batches: list[_Batch]
    duplicates: _Duplicates | None
    kept_rows: int
    column_index: dict[str, int]
    scratch: tempfile.TemporaryDirectory

    @property
    def rows(self) -> int:
        return sum(b.rows for b in self.batches)

    def parts(self, chunk_rows: int | None = None) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        """(responses, issues, non-answers) batch by batch (their size was chosen when the file was read), the
        issues of the whole file with the first."""
        try:
            for k, batch in enumerate(self.batches):
                with batch.path.open("rb") as handle:
                    responses, issues, nonresponse = pickle.load(handle)
                batch.path.unlink()
                if self.duplicates is not None:
                    responses, issues, nonresponse = self._with_duplicates(batch, responses, issues, nonresponse)
                if k == 0:
                    issues = _concat_issues([*self.head_issues, issues])
                yield responses, issues, nonresponse
        finally:
            self.scratch.cleanup()

    def _with_duplicates(self, batch: _Batch, responses, issues, nonresponse):
        found = self.duplicates.issues(responses, batch.first_row, batch.first_row + batch.rows)  # type: ignore[union-attr]
        if not len(found):
            return responses, issues, nonresponse
        if self.duplicates.quarantine:  # type: ignore[union-attr]
            gone = found["row"].to_numpy(dtype=np.int64)
            responses = responses[~responses["source_row"].isin(gone)].reset_index(drop=True)
            nonresponse = nonresponse[~nonresponse["row"].isin(gone).to_numpy(dtype=bool)].reset_index(drop=True)
            issues = issues[~issues["row"].isin(gone).to_numpy(dtype=bool)]
        issues = _concat_issues([issues, found])
        across = issues["column"].map(self.column_index).fillna(-1).to_numpy(dtype=np.int64)
        order = np.lexsort((across, issues["row"].to_numpy(dtype=np.int64, na_value=-1)))
        return responses, issues.iloc[order].reset_index(drop=True), nonresponse


def _not_csv(path: Path, sheet: object) -> bool:
    if sheet is not None or path.suffix.lower() in (".xlsx", ".xlsm", ".xls") or not path.is_file():
        return True
    with path.open("rb") as handle:
        return handle.read(4) == b"PK\x03\x04"


def _blank_header_columns(layout: Layout) -> list[int]:
    """Grid columns without a header name that the layout keeps (while it is not known whether they hold data)."""
    return [j for j in layout.keep if j in layout.unnamed]


def _raw(layout: Layout, frame: pd.DataFrame, rows: np.ndarray, source: _Source) -> RawExport:
    return RawExport(
        frame=frame,
        rows=rows,
        columns=layout.columns,
        format=layout.format,
        path=source.shown,
        header_rows=layout.header_rows,
        encoding=source.encoding.label,
        issues=_empty_issues(),
        dayfirst=layout.dayfirst,
        notes=layout.notes,
    )


def _merge_recodes(parts: list[pd.DataFrame], columns: tuple[str, ...]) -> pd.DataFrame:
    """The recodes of all batches, one line per column and spelling (rows added up, the first batch's
    result), ``columns`` in the order cleaning recodes them."""
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=RECODE_COLUMNS)
    if not len(table):
        return pd.DataFrame(columns=RECODE_COLUMNS) if not parts else parts[0]
    merged = table.groupby(["column", "value"], sort=False, as_index=False).agg(
        to=("to", "first"), rows=("rows", "sum"), note=("note", "first")
    )
    rank = {name: k for k, name in enumerate(columns)}
    merged = merged.iloc[np.argsort(merged["column"].map(rank).to_numpy(), kind="stable")]
    merged = merged[list(RECODE_COLUMNS)]
    return pd.DataFrame(merged.to_dict("records"), columns=RECODE_COLUMNS)  # typed as cleaning types them


def _ordered_union(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(note for notes in lists for note in notes))


def prepare_streamed(
    path: Path,
    rubric: Rubric,
    matcher: Callable[[RawExport], Mapping],
    *,
    format: str = "auto",
    duplicates: str = "latest",
    wave: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    keep_unmapped: bool = True,
    allow_partial: bool = False,
    header_rows: int | None = None,
    batch_rows: int = 100_000,
) -> StreamedCleaning:
    """Read, map and clean a CSV export batch by batch (see the module docstring). Raises
    :class:`NotStreamable` for a file that must be cleaned whole, before anything is written."""
    if _not_csv(path, sheet):
        raise NotStreamable("not_csv")
    scratch = tempfile.TemporaryDirectory(prefix="dxlab-clean-")
    options = _Options(format, duplicates, wave, encoding, keep_unmapped, allow_partial, header_rows, batch_rows)
    try:
        return _prepare(path, rubric, matcher, scratch, options)
    except BaseException:
        scratch.cleanup()
        raise


@dataclass(frozen=True)
class _Options:
    """:func:`prepare_streamed`'s keywords."""

    format: str
    duplicates: str
    wave: str | None
    encoding: str | None
    keep_unmapped: bool
    allow_partial: bool
    header_rows: int | None
    batch_rows: int


def _header_raw(layout: Layout, source: _Source) -> RawExport:
    """The export's header without data rows: what mapping and the rubric check look at."""
    return _raw(layout, pd.DataFrame(), np.empty(0, dtype=np.int64), source)


def _prepare(
    path: Path,
    rubric: Rubric,
    matcher: Callable[[RawExport], Mapping],
    scratch: tempfile.TemporaryDirectory,
    options: _Options,
) -> StreamedCleaning:
    source = _open_source(path, options.encoding, Path(scratch.name))
    head = _head(source)
    layout = grid_layout(head, format=options.format, header_rows=options.header_rows, has_data=lambda j, s: True)
    header = _header_raw(layout, source)
    mapping = matcher(header)
    if not options.allow_partial:  # before the scan: a file of another survey costs no read
        check_rubric_fits(header, rubric, mapping)
    wanted = _decided_columns(layout, mapping, options.keep_unmapped, rubric)
    blank = _blank_header_columns(layout)
    scan = _scan(source, layout, wanted, options.batch_rows, blank)
    if any(scan.filled[j] == 0 for j in blank):  # a column with neither header nor data is dropped
        layout = grid_layout(
            head,
            format=options.format,
            header_rows=options.header_rows,
            has_data=lambda j, s: scan.filled.get(j, 1) > 0,
        )
        header = _header_raw(layout, source)
        mapping = matcher(header)
        if not options.allow_partial:
            check_rubric_fits(header, rubric, mapping)
    decisions = _decisions(scan, wanted, layout, mapping)
    cleaned = _clean_batches(
        source,
        layout,
        rubric,
        mapping,
        decisions,
        Path(scratch.name),
        options.batch_rows,
        duplicates=options.duplicates,
        wave=options.wave,
        keep_unmapped=options.keep_unmapped,
    )
    head_raw = replace(header, issues=issue_table(layout.issues))
    return _finish(cleaned, layout, head_raw, mapping, rubric, options.duplicates, scratch)


@dataclass
class _Cleaned:
    """What cleaning the batches left: the batches set aside and what the whole file needs of them."""

    batches: list[_Batch] = field(default_factory=list)
    recodes: list[pd.DataFrame] = field(default_factory=list)
    notes_before: list[list[str]] = field(default_factory=list)
    notes_after: list[list[str]] = field(default_factory=list)
    keys: list[dict] = field(default_factory=list)
    kept: int = 0
    rows: int = 0
    recoded_columns: tuple[str, ...] = ()


def _converted(source: _Source, batch_rows: int) -> Iterator[tuple[int, pd.DataFrame, list, list]]:
    """(first record, every grid column as a Categorical, values with a line break, the last record as read)."""
    for first, arrays in source.batches(batch_rows):
        last = [a[len(a) - 1].as_py() for a in arrays]
        cells, breaks = categorical_columns(arrays, list(range(source.width)))
        yield first, cells, breaks, last


def _clean_batches(
    source: _Source,
    layout: Layout,
    rubric: Rubric,
    mapping: Mapping,
    decisions: ColumnDecisions,
    folder: Path,
    batch_rows: int,
    **options,
) -> _Cleaned:
    cleaned = _Cleaned()
    multiline: list = []
    last: list = []
    for first, cells, breaks, record in _ahead(_converted(source, batch_rows)):
        multiline += breaks
        last = record
        skip = max(layout.start - first, 0)
        if skip >= len(cells):
            continue
        frame = layout_frame(layout, cells.iloc[skip:].reset_index(drop=True), True, decisions.booleans)
        rows = np.arange(first + skip + 1, first + len(cells) + 1, dtype=np.int64)
        del cells
        cleaning = prepare_cleaning(
            _raw(layout, frame, rows, source),
            rubric,
            mapping,
            allow_partial=True,
            decisions=decisions,
            find_duplicates=False,
            **options,
        )
        path = folder / f"batch-{len(cleaned.batches)}.pickle"
        with path.open("wb") as handle:
            pickle.dump(cleaning.plan.part(0, len(frame)), handle, protocol=pickle.HIGHEST_PROTOCOL)
        cleaned.batches.append(_Batch(path, int(rows[0]), len(rows)))
        cleaned.recodes.append(cleaning.recodes)
        cleaned.recoded_columns = cleaning.recoded_columns
        cleaned.notes_before.append(cleaning.notes[: cleaning.notes_before_extras])
        cleaned.notes_after.append(cleaning.notes[cleaning.notes_before_extras :])
        cleaned.keys.append(cleaning.batch_keys)  # type: ignore[arg-type]
        cleaned.kept += cleaning.kept_rows
        cleaned.rows += len(rows)
    if last and looks_broken(pd.DataFrame([last]), source.delimiter, last, multiline):
        raise NotStreamable("unbalanced")
    if not cleaned.batches:
        raise NotStreamable("no_rows")
    return cleaned


def _finish(
    cleaned: _Cleaned,
    layout: Layout,
    head_raw: RawExport,
    mapping: Mapping,
    rubric: Rubric,
    policy: str,
    scratch: tempfile.TemporaryDirectory,
) -> StreamedCleaning:
    found = batch_duplicates(cleaned.keys, policy)
    duplicates, kept, note = None, cleaned.kept, []
    if found is not None:
        rows = np.arange(layout.start + 1, layout.start + 1 + cleaned.rows, dtype=np.int64)
        positions, kept_rows = duplicate_issue_rows(*found, policy, rows)
        order = np.argsort(positions, kind="stable")
        meta = mapping.metadata
        enterprise_column = meta.get("enterprise_id") or meta.get("enterprise_name")
        by_enterprise = cleaned.keys[0]["respondent"] is None
        duplicates = _Duplicates(
            rows=rows[positions][order],
            kept_rows=None if kept_rows is None else kept_rows[order],
            policy=policy,
            column=enterprise_column or meta.get("email", ""),
            shown="enterprise_id" if enterprise_column else "email",
            problem=duplicate_problem(by_enterprise),
        )
        if policy != "keep-all":
            kept -= len(positions)
            note = [duplicates_note(policy, by_enterprise)]
    source = SourceInfo(
        path=str(head_raw.path),
        format=head_raw.format,
        format_label=head_raw.format_label,
        encoding=head_raw.encoding,
        header_rows=head_raw.header_rows,
        rows_read=cleaned.rows,
        notes=head_raw.notes,
    )
    return StreamedCleaning(
        batches=cleaned.batches,
        head_issues=head_issues(head_raw, mapping),
        mapping=mapping,
        recodes=_merge_recodes(cleaned.recodes, cleaned.recoded_columns),
        source=source,
        notes=_ordered_union(cleaned.notes_before) + note + _ordered_union(cleaned.notes_after),
        criterion_ids=rubric.criterion_ids,
        duplicates=duplicates,
        kept_rows=kept,
        column_index={c.name: i for i, c in enumerate(layout.columns)},
        scratch=scratch,
    )
