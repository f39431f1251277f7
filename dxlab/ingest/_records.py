"""Splitting CSV text into records when a quote may be unbalanced.

A cell that opens a ``"`` and never closes it makes every CSV parser (pyarrow, pandas, Python's ``csv``) read
the rest of the file as that one cell: ten rows in, four out, and nothing said. The fast readers cannot tell
such a file from one with long multi-line comments, so the fast path only looks for the two signs of trouble
(:func:`looks_broken`): a line break inside a cell of the last record, or a line inside a cell that holds as
many delimiters as a whole record. Only then is the text split again here, record by record with the physical
line each one starts on:

* a quote still open at the end of the file: the records from the one holding it on are re-split one
  physical line per record, and each is marked broken ("unbalanced quote from line N");
* a quoted cell whose inner lines look like whole records (a stray quote closed by another stray quote
  further down): that record is marked broken as it is, its text kept.

Broken records are quarantined by cleaning with their text as written, so nothing is lost or invented.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

import pandas as pd

__all__ = ["BrokenRecord", "looks_broken", "split_records"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class BrokenRecord:
    """A record that could not be split into cells reliably (an unbalanced quote).

    ``position`` is the record's index in the grid, ``line`` the physical line of the file it starts on,
    ``text`` the line(s) as written and ``quote_line`` the line of the quote that was never closed.
    """

    position: int
    line: int
    text: str
    quote_line: int


def _min_delimiters(width: int) -> int:
    return max(2, width - 1)


def _inner_lines_look_like_records(value: str, delimiter: str, width: int) -> bool:
    need = _min_delimiters(width)
    return any(line.count(delimiter) >= need for line in _LINE_BREAK.split(value)[1:])


def looks_broken(cells: pd.DataFrame, delimiter: str, last: list | None = None, multiline: list | None = None) -> bool:
    """Whether the records of ``cells`` (as a fast reader split them) may hide an unbalanced quote.

    ``last`` is the last record as read, before outer spaces were trimmed (a quote opened in the last cell of
    a line swallows the next lines from their line break on, which trimming would remove); ``multiline`` the
    distinct cell values with a line break, when the reader already found them.
    """
    if not len(cells) or not cells.shape[1]:
        return False
    width = cells.shape[1]
    last = cells.iloc[-1].tolist() if last is None else last
    if any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in last):
        return True
    if multiline is None:
        multiline = []
        for j in cells.columns:
            column = cells[j]
            values = column.cat.categories if isinstance(column.dtype, pd.CategoricalDtype) else column.dropna()
            texts = pd.Series(values, dtype=object)
            texts = texts[[isinstance(v, str) for v in texts]]
            multiline += texts[texts.str.contains("[\r\n]", regex=True).astype(bool)].tolist()
    return any(_inner_lines_look_like_records(v, delimiter, width) for v in multiline)


def _line_breaks(value: str) -> int:
    return len(_LINE_BREAK.findall(value))


def _open_at_end(lines: list[str], delimiter: str) -> bool:
    """Whether the text of ``lines`` (one record) ends inside a quoted cell."""
    try:
        for _ in csv.reader(iter(lines), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _one_line(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def split_records(text: str, delimiter: str) -> tuple[list[list[str]], list[BrokenRecord]]:
    """The records of ``text`` and the broken ones among them; see the module docstring."""
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(iter(lines), delimiter=delimiter)
    records: list[list[str]] = []
    spans: list[tuple[int, int]] = []
    previous = 0
    for record in reader:
        records.append(record)
        spans.append((previous + 1, reader.line_num))
        previous = reader.line_num
    width = len(records[0]) if records else 0
    open_at_end = bool(records) and _open_at_end(lines[spans[-1][0] - 1 :], delimiter)
    broken: list[BrokenRecord] = []
    for i, (start, end) in enumerate(spans[:-1] if open_at_end else spans):
        if end > start and any(line.count(delimiter) >= _min_delimiters(width) for line in lines[start:end]):
            raw = "".join(lines[start - 1 : end]).rstrip("\r\n")
            broken.append(BrokenRecord(position=i, line=start, text=raw, quote_line=start))
    if open_at_end:
        start = spans[-1][0]
        last = records.pop()
        quote_line = start + sum(_line_breaks(v) for v in last[:-1])
        for offset, line in enumerate(lines[start - 1 :]):
            content = line.rstrip("\r\n")
            records.append(_one_line(content, delimiter))
            broken.append(
                BrokenRecord(position=len(records) - 1, line=start + offset, text=content, quote_line=quote_line)
            )
    return records, broken


def records_frame(records: list[list[str]]) -> pd.DataFrame:
    """Records as a frame of ``Categorical`` text columns (blank cells missing), padded to the longest."""
    width = max((len(r) for r in records), default=0)
    columns: list[list] = [[None] * len(records) for _ in range(width)]
    for i, record in enumerate(records):
        for j, value in enumerate(record):
            columns[j][i] = value if value != "" else None
    return pd.DataFrame(
        {j: pd.Categorical(values) for j, values in enumerate(columns)}, index=pd.RangeIndex(len(records))
    )
