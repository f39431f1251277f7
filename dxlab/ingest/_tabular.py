"""Read a CSV/TSV or XLSX file into a grid of cells, keeping each record's spreadsheet row number.

The grid keeps the header rows (formats differ in how many there are) and holds every column as a pandas
``Categorical`` of text: survey answers repeat a few dozen spellings, so a 100,000-row export costs little
memory and every later step (Unicode normalisation, answer parsing, recoding) works once per distinct value.
CSV goes through pyarrow's multi-threaded reader (quoted line breaks, CRLF, a missing final newline, blank
lines kept as rows); a file whose rows differ in length makes it stop, and then pandas' C parser or, for rows
longer than the first, Python's ``csv`` module reads it instead.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import tr
from ._decode import Encoding, check_codec, decode_error, detect_encoding, read_text
from ._records import BrokenRecord, looks_broken, records_frame, split_records
from ._xlsx import read_workbook

__all__ = ["BrokenRecord", "CellProblem", "Grid", "column_letter", "read_grid"]

_DELIMITERS = (",", "\t", ";")


@dataclass(frozen=True)
class CellProblem:
    """A cell whose value could not be read (an XLSX formula without a cached value, a bad date serial)."""

    position: int
    column: int
    value: str
    problem: str


@dataclass(frozen=True, eq=False)
class Grid:
    """All cells of one sheet, header rows included.

    ``cells`` has integer column labels 0…k-1 and one row per record; ``rows[i]`` is the 1-based row number
    a spreadsheet shows for record ``i`` (a record with line breaks inside a cell is one row; blank lines
    count).
    """

    cells: pd.DataFrame
    rows: np.ndarray
    path: Path
    kind: str  # "csv" or "xlsx"
    encoding: Encoding | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    broken: tuple[BrokenRecord, ...] = ()
    cell_problems: tuple[CellProblem, ...] = ()
    normalised: bool = False

    def row_values(self, i: int) -> list[str]:
        """Record ``i`` as a list of stripped strings ('' for blank)."""
        values = [self.cells[j].iat[i] for j in self.cells.columns]  # not .iloc[i]: see _formats._header_row
        return ["" if pd.isna(v) else str(v).strip() for v in values]


def column_letter(index: int) -> str:
    """Spreadsheet letter of 0-based column ``index``: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sniff_delimiter(sample: str, lines: int = 20) -> str:
    """The delimiter: of , TAB ; the one found most often outside quotes in the first ``lines`` lines (not
    only the first: a title line above the header has none)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    seen = 0
    previous = ""
    for ch in sample:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            if ch == "\n" or (ch == "\r" and previous != "\n"):
                seen += 1
                if seen >= lines:
                    break
            elif ch in counts:
                counts[ch] += 1
        previous = ch
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


_STREAM_ABOVE = 192 << 20  # bytes: larger files are read in batches, holding only codes and distinct values


@dataclass(frozen=True)
class _ArrowRead:
    """A CSV read by pyarrow: the columns, the last record as read (untrimmed) and the distinct values that
    hold a line break (for the unbalanced-quote check)."""

    cells: pd.DataFrame
    last: list
    multiline: list


def _arrow_categorical(encoded) -> tuple[pd.Categorical, list]:
    """A dictionary-encoded text column as a Categorical whose categories are NFC with outer spaces removed
    (blank → missing), normalised by pyarrow once per distinct value; and the values with a line break."""
    import pyarrow as pa
    import pyarrow.compute as pc

    codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    raw = encoded.dictionary
    multiline = raw.filter(pc.match_substring_regex(raw, "[\r\n]")).to_pylist() if len(raw) else []
    dictionary = pc.utf8_trim_whitespace(pc.utf8_normalize(raw, "NFC"))
    if len(dictionary) and (not pc.all(pc.equal(dictionary, raw)).as_py() or pc.any(pc.equal(dictionary, "")).as_py()):
        # Normalising can make two spellings one, and blank cells become missing: encode the dictionary again.
        blank = pc.equal(dictionary, "")
        again = pc.if_else(blank, pa.scalar(None, pa.string()), dictionary).dictionary_encode()
        lookup = again.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        codes = np.append(lookup, -1)[codes]
        dictionary = again.dictionary
    categories = pd.Index(dictionary.to_numpy(zero_copy_only=False), dtype=object)
    return pd.Categorical.from_codes(codes, dtype=_unique_categories(categories), validate=False), multiline


def _unique_categories(categories: pd.Index) -> pd.CategoricalDtype:
    """The dtype of categories known to be distinct (an Arrow dictionary): pandas' own check of that costs
    0.2 s per 100,000 values, so its fast path is used where this pandas has it."""
    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    return fast(categories, False) if fast is not None else pd.CategoricalDtype(categories)


def _arrow_options(delimiter: str, width: int):
    import pyarrow as pa
    import pyarrow.csv as pcsv

    return {
        "read_options": pcsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 24),
        "parse_options": pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False),
        "convert_options": pcsv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(width)},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    }


def _encoded_columns(source: object, delimiter: str, width: int, stream: bool) -> tuple[list, list]:
    """(one dictionary-encoded array per column, the last record) — all at once with pyarrow's
    multi-threaded reader, or batch by batch so that the raw text of a large file is never all in memory."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    options = _arrow_options(delimiter, width)
    if not stream:
        table = pcsv.read_csv(source, **options)
        last = list(table.slice(table.num_rows - 1).to_pylist()[0].values()) if table.num_rows else []
        return [table.column(i).dictionary_encode().combine_chunks() for i in range(table.num_columns)], last
    reader = pcsv.open_csv(source, **options)
    chunks: list[list] = [[] for _ in reader.schema]
    last = []
    for batch in reader:
        for i, column in enumerate(batch.columns):
            chunks[i].append(column.dictionary_encode())
        if batch.num_rows:
            last = list(batch.slice(batch.num_rows - 1).to_pylist()[0].values())
    kind = pa.dictionary(pa.int32(), pa.string())
    encoded = []
    for i in range(len(chunks)):  # one column at a time, its batches freed as soon as they are combined
        encoded.append(pa.chunked_array(chunks[i], type=kind).unify_dictionaries().combine_chunks())
        chunks[i] = []
    return encoded, last


def categorical_columns(arrays: list, columns: list[int]) -> tuple[pd.DataFrame, list]:
    """The Arrow text columns ``arrays[j]`` for ``j`` in ``columns`` (plain, chunked or dictionary-encoded) as
    Categoricals (NFC, trimmed, blank missing), and the distinct values holding a line break. Each Arrow
    column is dropped from ``arrays`` once converted."""
    import pyarrow as pa

    cells, multiline = {}, []
    for j in columns:
        column = arrays[j]
        arrays[j] = None  # the Arrow column is no longer needed once it is a Categorical
        if not pa.types.is_dictionary(column.type):
            # One column joined at a time (encoding a thousand 1 MB pieces one by one is ten times slower).
            column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
            column = column.dictionary_encode()
        cells[j], breaks = _arrow_categorical(column)
        del column
        multiline += breaks
    # The text is now codes and distinct values: hand the parser's buffers back (a quarter of the peak at 1M rows).
    pa.default_memory_pool().release_unused()
    return pd.DataFrame(cells), multiline


def _read_csv_arrow(source: object, delimiter: str, width: int, stream: bool = False) -> _ArrowRead:
    """pyarrow's CSV reader: all columns as text, only empty cells missing, blank lines kept."""
    encoded, last = _encoded_columns(source, delimiter, width, stream)
    cells, multiline = categorical_columns(encoded, list(range(len(encoded))))
    return _ArrowRead(cells, last, multiline)


def _read_csv(path: Path, encoding: Encoding | None) -> Grid:
    if encoding is None:
        try:
            return _read_csv_as(path, detect_encoding(path, full=False))
        except UnicodeDecodeError:  # valid UTF-8 at the start only: look at the whole file
            encoding = detect_encoding(path, full=True)
    try:
        return _read_csv_as(path, encoding)
    except UnicodeDecodeError:
        raise decode_error(path, encoding.codec) from None


def _read_csv_fallback(path: Path, text: str | None, delimiter: str, notes: list[str]) -> pd.DataFrame:
    """pandas' C parser, then Python's csv module: for files pyarrow stops on (rows of other lengths)."""
    options: dict[str, Any] = {
        "sep": delimiter,
        "header": None,
        "dtype": "category",
        "keep_default_na": False,
        "na_values": [""],
        "skip_blank_lines": False,
        "quotechar": '"',
        "doublequote": True,
        "engine": "c",
    }
    try:
        if text is None:
            return pd.read_csv(path, encoding="utf-8-sig", **options)
        return pd.read_csv(io.StringIO(text), **options)
    except pd.errors.ParserError:
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
        notes.append(tr("ingest.note_ragged_rows", None))
        return records_frame(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    except pd.errors.EmptyDataError:
        return pd.DataFrame()


def _read_csv_as(path: Path, encoding: Encoding) -> Grid:
    notes: list[str] = []
    utf8 = encoding.codec in ("utf-8", "utf-8-sig")
    text: str | None = None
    if utf8:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(65536)
    else:
        text = unicodedata.normalize("NFC", read_text(path, encoding))
        sample = text[:65536]
    delimiter = _sniff_delimiter(sample)
    first = next(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), [])
    import pyarrow as pa

    normalised = True
    last: list | None = None
    multiline: list | None = None
    try:
        source = str(path) if utf8 else io.BytesIO(text.encode("utf-8"))  # type: ignore[union-attr]
        stream = path.stat().st_size > _STREAM_ABOVE
        arrow = _read_csv_arrow(source, delimiter, max(len(first), 1), stream)
        cells, last, multiline = arrow.cells, arrow.last, arrow.multiline
    except pa.ArrowInvalid as exc:  # pyarrow stops at rows of another length; pandas and then csv cope
        if "utf8" in str(exc).lower() and utf8:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, str(exc)) from None
        cells = _read_csv_fallback(path, text, delimiter, notes)
        normalised = False
    broken: tuple[BrokenRecord, ...] = ()
    if looks_broken(cells, delimiter, last, multiline):
        if text is None:
            text = path.read_text(encoding="utf-8-sig")
        records, found = split_records(text, delimiter)
        if found:
            cells, broken, normalised = records_frame(records), tuple(found), False
    cells.columns = pd.RangeIndex(cells.shape[1])
    rows = np.arange(1, len(cells) + 1, dtype=np.int64)
    return Grid(
        cells=cells,
        rows=rows,
        path=path,
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        notes=tuple(notes),
        broken=broken,
        normalised=normalised,
    )


def _read_xlsx(path: Path, sheet: str | int | None) -> Grid:
    cells, rows, name, problems, notes = read_workbook(path, sheet)
    return Grid(
        cells=cells,
        rows=rows,
        path=path,
        kind="xlsx",
        sheet=name,
        notes=tuple(notes),
        cell_problems=tuple(CellProblem(i, j, str(v), p) for i, j, v, p in problems),
    )


def read_grid(path: str | Path, *, encoding: str | None = None, sheet: str | int | None = None) -> Grid:
    """Read every cell of a CSV/TSV/TXT or XLSX export (header rows included) into a :class:`Grid`."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(tr("ingest.file_missing", None, path=str(path)))
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not an export file")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".xls":
        raise ValueError(f"{path}: old Excel .xls files are not supported; save the sheet as .xlsx or CSV")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PK\x03\x04":  # an XLSX saved under another name
        return _read_xlsx(path, sheet)
    forced = Encoding(check_codec(path, encoding), False, "given by the caller") if encoding else None
    return _read_csv(path, forced)
