"""Reading an XLSX workbook into a grid of cells: which sheet, and the cells that hold no usable value.

A workbook from a survey tool or an analyst often has a cover or notes sheet first, so without ``sheet`` the
sheet with the most filled columns (a header and at least one value below it) is read and the others are
named in the notes. Cells that cannot be read are reported one by one instead of failing the file:

* a formula whose result was never saved (the file was written by a program, not saved by Excel): openpyxl
  can only give the formula text, so the cell is left blank and reported with the formula;
* a date cell whose serial number lies outside the dates a spreadsheet or pandas can hold (before 1900 or
  after 2262), or that openpyxl turned into an error value;
* Excel's error values (``#DIV/0!``, ``#REF!``, ``#VALUE!``…).
"""

from __future__ import annotations

import datetime as dt
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from .._i18n import tr

__all__ = ["ERROR_VALUES", "read_workbook"]

ERROR_VALUES = frozenset({"#DIV/0!", "#REF!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!", "#N/A", "#GETTING_DATA"})
_FIRST_DATE = dt.datetime(1900, 1, 1)
_LAST_DATE = dt.datetime(2262, 4, 11)


def _open(path: Path, data_only: bool):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=data_only)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        # openpyxl's own messages ("File is not a zip file") do not say which file; the CLI needs a ValueError.
        raise ValueError(tr("ingest.xlsx_unreadable", None, path=str(path), error=str(exc))) from None


def _sheet_list(names: list[str]) -> str:
    return ", ".join(f"{i + 1}: {name!r}" for i, name in enumerate(names))


def resolve_sheet(path: Path, names: list[str], sheet: str | int) -> str:
    """The sheet name that ``sheet`` (a name; a 0-based int; or a text number counting from 1, as typed on
    the command line) means, or a ValueError listing the sheets."""
    if isinstance(sheet, str):
        if sheet in names:
            return sheet
        folded = {n.strip().casefold(): n for n in names}
        if sheet.strip().casefold() in folded:
            return folded[sheet.strip().casefold()]
        if sheet.strip().isdigit() and 1 <= int(sheet) <= len(names):
            return names[int(sheet) - 1]
    elif isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool) and 0 <= sheet < len(names):
        return names[int(sheet)]
    raise ValueError(tr("ingest.sheet_unknown", None, path=str(path), sheet=str(sheet), sheets=_sheet_list(names)))


def _records(worksheet) -> tuple[int, list[tuple]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of dates it cannot convert; they are reported below
        records = [tuple(r) for r in worksheet.iter_rows(values_only=True)]
    return (worksheet.min_row or 1), records


def _filled_columns(records: list[tuple]) -> int:
    """Columns with a value in at least two rows (a header and an answer)."""
    counts: dict[int, int] = {}
    for record in records:
        for j, value in enumerate(record):
            if value is not None and not (isinstance(value, str) and not value.strip()):
                counts[j] = counts.get(j, 0) + 1
    return sum(1 for c in counts.values() if c >= 2)


def _choose(names: list[str], tables: dict[str, tuple[int, list[tuple]]]) -> tuple[str, list[str]]:
    scores = {name: _filled_columns(tables[name][1]) for name in names}
    best = max(names, key=lambda n: (scores[n], -names.index(n)))
    notes = []
    if len(names) > 1:
        others = ", ".join(f"{n!r} ({scores[n]})" for n in names if n != best)
        notes.append(f"sheet {best!r} read: the most filled columns ({scores[best]}); other sheets: {others}")
    return best, notes


def _formulas(path: Path, name: str) -> list[tuple]:
    workbook = _open(path, data_only=False)
    try:
        return _records(workbook[name])[1]
    finally:
        workbook.close()


def _cell_problem(value: object) -> tuple[str, str] | None:
    """(value shown, problem) for a cell that holds no usable value, else None."""
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        return value, "spreadsheet error value (a formula that failed, or a date serial out of range)"
    if isinstance(value, dt.datetime) and not (_FIRST_DATE <= value.replace(tzinfo=None) < _LAST_DATE):
        return value.isoformat(sep=" "), "date out of range (before 1900 or after 2262): a wrong date serial"
    if (
        isinstance(value, dt.date)
        and not isinstance(value, dt.datetime)
        and not (_FIRST_DATE.date() <= value < _LAST_DATE.date())
    ):
        return value.isoformat(), "date out of range (before 1900 or after 2262): a wrong date serial"
    return None


def read_workbook(path: Path, sheet: str | int | None) -> tuple[pd.DataFrame, np.ndarray, str, list, list[str]]:
    """(cells, spreadsheet row numbers, sheet name, cell problems as (position, column, value, problem),
    notes) of the chosen sheet."""
    workbook = _open(path, data_only=True)
    try:
        names = list(workbook.sheetnames)
        if not names:
            raise ValueError(tr("ingest.xlsx_no_sheets", None, path=str(path)))
        wanted = [resolve_sheet(path, names, sheet)] if sheet is not None else names
        tables = {name: _records(workbook[name]) for name in wanted}
    finally:
        workbook.close()
    name, notes = _choose(wanted, tables) if sheet is None else (wanted[0], [])
    first_row, records = tables[name]
    width = max((len(r) for r in records), default=0)
    columns: list[list] = [[r[j] if j < len(r) else None for r in records] for j in range(width)]
    problems = []
    blank_positions = [(i, j) for j, column in enumerate(columns) for i, v in enumerate(column) if v is None]
    if blank_positions:
        formulas = _formulas(path, name)
        for i, j in blank_positions:
            formula = formulas[i][j] if i < len(formulas) and j < len(formulas[i]) else None
            if isinstance(formula, str) and formula.startswith("="):
                problems.append(
                    (i, j, formula, ("formula without a saved result (open and save the file in Excel to compute it)"))
                )
    for j, column in enumerate(columns):
        for i, value in enumerate(column):
            found = _cell_problem(value) if value is not None else None
            if found is not None:
                problems.append((i, j, found[0], found[1]))
                column[i] = None
            elif isinstance(value, str) and not value.strip():
                column[i] = None
    frame = pd.DataFrame(
        {j: _object_or_category(col) for j, col in enumerate(columns)}, index=pd.RangeIndex(len(records))
    )
    rows = np.arange(first_row, first_row + len(records), dtype=np.int64)
    return frame, rows, name, problems, notes


def _object_or_category(values: list) -> pd.Series:
    """Text-only columns become Categorical; columns with numbers or dates keep the cell objects."""
    if all(v is None or isinstance(v, str) for v in values):
        return pd.Series(pd.Categorical(values))
    return pd.Series(values, dtype=object)
