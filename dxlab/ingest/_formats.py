"""Survey-export formats: detect which tool wrote a file from its own structure, and turn its header rows into
named columns.

Each tool lays out its header differently — Google Forms one row (``Title [Row]`` for grid questions),
Qualtrics three (export tags, question texts, ``{"ImportId": …}``) or two in its legacy ``V1…`` layout,
SurveyMonkey two (the question, then ``Response`` or the option, with blank cells continuing the question),
KoboToolbox/ODK one row of XLSForm names (``group/question``, ``question/option``). Detection looks at those
rows, not at the file name, and can be overridden with ``format=``.

No library reads these tools' exports as a family (each vendor's own client needs an account and its API;
R's qualtRics reads one format), so the layouts are described here from the files themselves.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .._text import fold
from ._tabular import Grid, column_letter, read_grid

__all__ = ["FORMATS", "RawExport", "SourceColumn", "detect_format", "read_raw", "ISSUE_COLUMNS"]

FORMATS: dict[str, str] = {
    "google-forms": "Google Forms",
    "microsoft-forms": "Microsoft Forms",
    "qualtrics": "Qualtrics",
    "qualtrics-legacy": "Qualtrics (legacy V1… layout)",
    "surveymonkey": "SurveyMonkey",
    "kobo": "KoboToolbox / ODK",
    "plain": "plain table (one row per response)",
}
ISSUE_COLUMNS = ["row", "column", "value", "problem", "action"]

_GOOGLE_TIMESTAMPS = {"timestamp": False, "dau thoi gian": True}
_MS_FORMS_EN = {"id", "start time", "completion time"}
_MS_FORMS_VI = {"id", "thoi gian bat dau", "thoi gian hoan thanh"}
_KOBO_MARKERS = {"_uuid", "_submission_time", "_id", "_index", "_validation_status", "meta/instanceid",
                 "instanceid", "_submitted_by", "_status"}
_KOBO_META = {"id", "uuid", "submission_time", "index", "validation_status", "notes", "status", "submitted_by",
              "tags", "parent_index", "parent_table_name", "submission__id", "submission__uuid",
              "submission__submission_time", "submission__validation_status", "submission__notes",
              "submission__status", "submission__submitted_by", "submission__tags", "version_", "xform_id_string"}
_SURVEYMONKEY_SUBS = {"response", "open-ended response", "open ended response", ""}
_GRID = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]\s*$", re.S)
_LEGACY_TAG = re.compile(r"^V\d+$")


@dataclass(frozen=True)
class SourceColumn:
    """One column of an export.

    ``name`` is unique within the export and is what mappings and issues call the column; ``header`` is
    the first header row as written; ``question``/``sub`` hold the question text and the row or option
    label where the format has them (Google grid ``[Row]``, SurveyMonkey's second row); ``tag`` holds
    Qualtrics' ImportId; ``parent`` names the multi-select question an option column belongs to.
    """

    name: str
    header: str
    letter: str
    question: str = ""
    sub: str = ""
    tag: str = ""
    parent: str = ""

    @property
    def texts(self) -> tuple[str, ...]:
        """Every text that may identify the column, most specific first."""
        out = [self.name, self.header, self.sub, self.question]
        if self.question and self.sub:
            out.insert(0, f"{self.question} [{self.sub}]")
        return tuple(dict.fromkeys(t for t in out if t))


@dataclass(frozen=True, eq=False)
class RawExport:
    """An export read as it is: data rows under unique column names, before any mapping or cleaning.

    ``frame`` holds the data rows (text as ``Categorical`` or cell objects from XLSX, NFC, outer spaces
    stripped, blank cells missing); ``rows[i]`` is the spreadsheet row number of ``frame``'s row ``i``.
    ``issues`` lists what reading changed about the header (renamed, dropped columns).
    """

    frame: pd.DataFrame
    rows: np.ndarray
    columns: tuple[SourceColumn, ...]
    format: str
    path: Path
    header_rows: int
    encoding: str
    issues: pd.DataFrame
    dayfirst: bool | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def format_label(self) -> str:
        return FORMATS[self.format]

    def column(self, name: str) -> SourceColumn:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.path}: no column {name!r}")


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    return unicodedata.normalize("NFC", str(value)).strip()


def _header_row(grid: Grid, i: int) -> list[str]:
    if i >= len(grid.cells):
        return [""] * grid.cells.shape[1]
    return [_cell(v) for v in grid.cells.iloc[i].tolist()]


def _kobo_name(name: str) -> str:
    """Undo the names R gives KoboToolbox columns (``X.U.FEFF.start`` → ``start``, ``X_uuid`` → ``_uuid``)."""
    for prefix in ("X.U.FEFF.", "\ufeff", "ï..", "ï»¿"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    if name.startswith("X_") and name[2:].lower() in _KOBO_META:
        name = name[1:]
    return name


def detect_format(grid: Grid) -> tuple[str, str]:
    """The format of ``grid`` and the evidence, from the header rows alone."""
    first = _header_row(grid, 0)
    second = _header_row(grid, 1)
    third = _header_row(grid, 2)
    folded = [fold(h) for h in first]
    if sum(v.startswith('{"ImportId"') for v in third) >= max(1, 0.5 * sum(bool(v) for v in third)):
        return "qualtrics", 'third header row holds {"ImportId": …}'
    tags = [h for h in first if h]
    if len(tags) >= 3 and all(_LEGACY_TAG.match(t) for t in tags[:3]) and "ResponseID" in second:
        return "qualtrics-legacy", "first row V1, V2, V3…; second row names ResponseID"
    if first and folded[0] in _GOOGLE_TIMESTAMPS:
        return "google-forms", f"first column is {first[0]!r}"
    names = {fold(h) for h in first}
    if _MS_FORMS_EN <= names or _MS_FORMS_VI <= names:
        return "microsoft-forms", "columns ID, Start time, Completion time"
    raw_names = {_kobo_name(h).lower() for h in first}
    if raw_names & _KOBO_MARKERS or ({"start", "end"} <= raw_names and raw_names & {"deviceid", "today"}):
        return "kobo", "KoboToolbox metadata columns (_uuid, _submission_time, start/end)"
    subs = [fold(s, keep_punctuation=True) for s in second]
    if second and not second[0] and sum(s in ("response", "open-ended response") for s in subs) >= 1:
        return "surveymonkey", "second header row of Response / option labels"
    return "plain", "one header row"


def _blank_structural() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object) for c in ISSUE_COLUMNS})


def _build_columns(fmt: str, grid: Grid) -> tuple[int, list[dict]]:
    """(number of header rows, one dict of SourceColumn fields per grid column, name possibly blank)."""
    first = _header_row(grid, 0)
    width = grid.cells.shape[1]
    specs: list[dict] = []
    if fmt == "qualtrics":
        second, third = _header_row(grid, 1), _header_row(grid, 2)
        for j in range(width):
            try:
                tag = str(json.loads(third[j]).get("ImportId", "")) if third[j] else ""
            except (ValueError, AttributeError):
                tag = third[j]
            specs.append({"name": first[j], "header": first[j], "question": second[j], "tag": tag})
        return 3, specs
    if fmt == "qualtrics-legacy":
        second = _header_row(grid, 1)
        for j in range(width):
            name = second[j] if _LEGACY_TAG.match(first[j]) and second[j] else first[j]
            specs.append({"name": name, "header": first[j], "question": second[j], "tag": first[j]})
        return 2, specs
    if fmt == "surveymonkey":
        second = _header_row(grid, 1)
        question = ""
        for j in range(width):
            if first[j]:
                question = first[j]
            sub = second[j]
            generic = fold(sub, keep_punctuation=True) in _SURVEYMONKEY_SUBS
            if not question and not sub:
                name = ""
            elif generic:
                name = question
            else:
                name = f"{question} [{sub}]" if question else sub
            specs.append({"name": name, "header": first[j], "question": question,
                          "sub": "" if generic else sub})
        return 2, specs
    for j in range(width):
        header = first[j]
        name = _kobo_name(header) if fmt == "kobo" else header.lstrip("\ufeff")
        spec = {"name": name, "header": header}
        match = _GRID.match(name)
        if match:
            spec["question"], spec["sub"] = match.group(1).strip(), match.group(2).strip()
        elif fmt == "kobo" and "/" in name:
            spec["question"] = name.rsplit("/", 1)[1]  # the question's own name, without its groups
        specs.append(spec)
    return 1, specs


def _normalise_text_column(series: pd.Series) -> pd.Series:
    """NFC, outer spaces stripped, blank → missing; per distinct value for Categorical columns."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        series = series.cat.remove_unused_categories()
        index = pd.Index(series.cat.categories, dtype="str")
        tidy = index.str.normalize("NFC").str.strip()  # pyarrow, once per distinct value
        if bool((tidy == index).all()) and not bool((tidy == "").any()):
            return series
        cleaned = tidy.to_list()
        codes = series.cat.codes.to_numpy()
        new_values = pd.Index([c if c else None for c in cleaned], dtype=object)
        new_codes, new_cats = pd.factorize(new_values, use_na_sentinel=True)
        lookup = np.append(new_codes, -1)  # code -1 (missing) maps to -1
        return pd.Series(pd.Categorical.from_codes(lookup[codes], categories=pd.Index(new_cats, dtype=object)),
                         index=series.index)

    def clean(value: object) -> object:
        if isinstance(value, str):
            text = unicodedata.normalize("NFC", value).strip()
            return text or None
        return value

    return series.map(clean).astype(object)


_TRUE_FALSE = {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False}


def _as_boolean(series: pd.Series) -> pd.Series | None:
    values = set(str(v).strip().lower() for v in series.dropna().unique())
    if not values or not values <= set(_TRUE_FALSE):
        return None
    return series.astype(object).map(
        lambda v: _TRUE_FALSE[str(v).strip().lower()] if pd.notna(v) else pd.NA).astype("boolean")


def read_raw(path: str | Path, *, format: str = "auto", encoding: str | None = None,
             sheet: str | int | None = None) -> RawExport:
    """Read an export's cells and header into a :class:`RawExport` (no mapping, no cleaning).

    ``format`` is ``"auto"`` or one of :data:`FORMATS`; ``encoding`` overrides detection for text files;
    ``sheet`` picks an XLSX sheet by name or 0-based position (default: the first).
    """
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"format must be 'auto' or one of {', '.join(map(repr, FORMATS))}, not {format!r}")
    grid = read_grid(path, encoding=encoding, sheet=sheet)
    if grid.cells.shape[1] == 0:
        raise ValueError(f"{grid.path}: the file is empty — no header row found")
    fmt, _evidence = detect_format(grid) if format == "auto" else (format, "given by the caller")
    header_rows, specs = _build_columns(fmt, grid)
    issues: list[dict] = []
    body = grid.cells.iloc[header_rows:]
    rows = grid.rows[header_rows:]
    keep: list[int] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for j, spec in enumerate(specs):
        letter = column_letter(j)
        has_data = bool(body[j].notna().any()) if len(body) else False
        original = spec["header"]
        if not spec["name"]:
            if not has_data:
                issues.append({"row": pd.NA, "column": f"(column {letter})", "value": "",
                               "problem": "column has no header and no data", "action": "column dropped"})
                continue
            spec["name"] = f"(column {letter})"
            issues.append({"row": pd.NA, "column": spec["name"], "value": "",
                           "problem": "blank header name", "action": f"named {spec['name']!r}"})
        elif fmt == "kobo" and spec["name"] != original:
            issues.append({"row": pd.NA, "column": original, "value": original,
                           "problem": "header name mangled by R's make.names", "action": f"renamed to {spec['name']!r}"})
        name = spec["name"]
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            new_name = f"{name} ({seen[key]})"
            while new_name.casefold() in seen:
                seen[key] += 1
                new_name = f"{name} ({seen[key]})"
            issues.append({"row": pd.NA, "column": name, "value": name,
                           "problem": f"duplicate header name (column {letter})", "action": f"renamed to {new_name!r}"})
            name = new_name
            seen[name.casefold()] = 1
        else:
            seen[key] = 1
        spec["name"] = name
        keep.append(j)
        names.append(name)
    # The index is given so that rows survive even when every column was dropped (all blank).
    frame = pd.DataFrame({name: _normalise_text_column(body[j]).array for name, j in zip(names, keep)},
                         index=pd.RangeIndex(len(body)))
    by_name = {name: specs[j] for name, j in zip(names, keep)}
    columns = []
    for name, j in zip(names, keep):
        spec = by_name[name]
        parent = ""
        if fmt == "kobo":
            for sep in ("/", "."):
                if sep in name and name.rsplit(sep, 1)[0] in by_name:
                    parent = name.rsplit(sep, 1)[0]
                    break
            if parent:
                as_bool = _as_boolean(frame[name])
                if as_bool is not None:
                    frame[name] = as_bool
        columns.append(SourceColumn(name=name, header=spec["header"], letter=column_letter(j),
                                    question=spec.get("question", ""), sub=spec.get("sub", ""),
                                    tag=spec.get("tag", ""), parent=parent))
    dayfirst = None
    if fmt == "google-forms":
        dayfirst = _GOOGLE_TIMESTAMPS[fold(columns[0].header)]
    elif fmt == "microsoft-forms":
        dayfirst = any(fold(c.header) in _MS_FORMS_VI for c in columns if fold(c.header) != "id")
    elif fmt == "surveymonkey":
        dayfirst = False
    encoding_label = grid.encoding.label if grid.encoding else "XLSX"
    issue_frame = pd.DataFrame(issues, columns=ISSUE_COLUMNS) if issues else _blank_structural()
    issue_frame["row"] = issue_frame["row"].astype("Int64")
    return RawExport(frame=frame, rows=np.asarray(rows, dtype=np.int64), columns=tuple(columns), format=fmt,
                     path=grid.path, header_rows=header_rows, encoding=encoding_label, issues=issue_frame,
                     dayfirst=dayfirst, notes=grid.notes)
