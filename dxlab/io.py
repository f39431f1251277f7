"""Reading and writing tables, with spreadsheet safety.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return) is run as a formula by Excel
and LibreOffice. Respondents type free text, so every CSV/XLSX dxlab writes passes text cells through
:func:`neutralise`, which prefixes such cells with an apostrophe (OWASP's advice). Numbers are left alone:
only text is neutralised, so a negative number stays a number.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

__all__ = ["neutralise", "neutralise_frame", "read_table", "write_table", "write_csv", "write_xlsx"]

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would run as a formula with ``'``; other values pass through."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are neutralised."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if isinstance(series.dtype, pd.StringDtype):  # every value text: one vectorised test
            risky = series.str.startswith(_TRIGGERS).fillna(False).to_numpy(dtype=bool)
            if risky.any():
                out[column] = series.where(~risky, "'" + series)
        elif series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
            out[column] = series.map(neutralise, na_action="ignore")
        elif isinstance(series.dtype, pd.CategoricalDtype):
            cats = series.cat.categories
            if cats.dtype == object or pd.api.types.is_string_dtype(cats.dtype):
                out[column] = series.cat.rename_categories([neutralise(c) for c in cats])
    out.columns = [neutralise(c) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path, *, index: bool = False) -> Path:
    """Write UTF-8 CSV with a BOM (so Excel shows Vietnamese correctly), text cells neutralised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    neutralise_frame(frame).to_csv(path, index=index, encoding="utf-8-sig", lineterminator="\n")
    return path


def write_xlsx(frame: pd.DataFrame, path: str | Path, *, index: bool = False, sheet: str = "data") -> Path:
    """Write an XLSX sheet with text cells neutralised."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralise_frame(frame)
    for column in safe.columns:
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    safe.to_excel(path, index=index, sheet_name=sheet, engine="openpyxl")
    return path


def write_table(frame: pd.DataFrame, stem: str | Path, formats: Iterable[str] = ("parquet", "csv")) -> list[Path]:
    """Write ``frame`` as ``stem.parquet`` / ``stem.csv`` / ``stem.xlsx``; returns the paths written."""
    stem = Path(stem)
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        target = stem.with_suffix(f".{fmt}")
        if fmt == "parquet":
            frame.to_parquet(target, index=False)
        elif fmt == "csv":
            write_csv(frame, target)
        elif fmt == "xlsx":
            write_xlsx(frame, target)
        else:
            raise ValueError(f"unknown format {fmt!r}; valid formats are 'parquet', 'csv', 'xlsx'")
        paths.append(target)
    return paths


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a tidy table (Parquet, CSV or XLSX) such as dxlab writes; raw survey exports go through
    :func:`dxlab.read_export` instead."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(path)
    if suffix in (".csv", ".txt"):
        return pd.read_csv(path, encoding="utf-8-sig")
    if suffix in (".xlsx", ".xlsm"):
        return pd.read_excel(path, engine="openpyxl")
    raise ValueError(f"{path}: unknown table format {suffix!r}; use .parquet, .csv or .xlsx")
