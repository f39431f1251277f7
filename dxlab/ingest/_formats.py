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
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .._text import fold
from ._decisions import TRUE_FALSE, boolean_decision, boolean_features
from ._tabular import Grid, _unique_categories, column_letter, read_grid

__all__ = ["FORMATS", "ISSUE_COLUMNS", "RawExport", "SourceColumn", "detect_format", "read_raw"]

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
_KOBO_MARKERS = {
    "_uuid",
    "_submission_time",
    "_id",
    "_index",
    "_validation_status",
    "meta/instanceid",
    "instanceid",
    "_submitted_by",
    "_status",
}
_KOBO_META = {
    "id",
    "uuid",
    "submission_time",
    "index",
    "validation_status",
    "notes",
    "status",
    "submitted_by",
    "tags",
    "parent_index",
    "parent_table_name",
    "submission__id",
    "submission__uuid",
    "submission__submission_time",
    "submission__validation_status",
    "submission__notes",
    "submission__status",
    "submission__submitted_by",
    "submission__tags",
    "version_",
    "xform_id_string",
}
_SURVEYMONKEY_SUBS = {"response", "open-ended response", "open ended response", ""}
_GRID = re.compile(r"^(.*\S)\s*\[([^\[\]]+)\]\s*$", re.DOTALL)
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
    broken_rows: tuple[tuple[int, str, str], ...] = ()

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
    # Column by column: a row across Categorical columns makes pandas compare (hash) every column's categories.
    return [_cell(grid.cells[j].iat[i]) for j in grid.cells.columns]


def _kobo_name(name: str) -> str:
    """Undo the names R gives KoboToolbox columns (``X.U.FEFF.start`` → ``start``, ``X_uuid`` → ``_uuid``)."""
    for prefix in ("X.U.FEFF.", "\ufeff", "ï..", "ï»¿"):
        name = name.removeprefix(prefix)
    if name.startswith("X_") and name[2:].lower() in _KOBO_META:
        name = name[1:]
    return name


_QUALTRICS_TAGS = {
    "startdate",
    "enddate",
    "status",
    "ipaddress",
    "progress",
    "duration (in seconds)",
    "finished",
    "recordeddate",
    "responseid",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
}
_SURVEYMONKEY_IDS = {"respondentid", "respondent id", "collectorid", "collector id", "startdate", "start date"}


def _import_id(value: str) -> bool:
    if not value.startswith('{"ImportId"'):
        return False
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


def _is_qualtrics(first: list[str], third: list[str]) -> bool:
    """Row 3 of ``{"ImportId": …}`` objects under a row 1 with Qualtrics' own metadata tags: a data row that
    happens to hold such text under a plain header is not taken for a header."""
    filled = [v for v in third if v]
    if not filled or sum(_import_id(v) for v in filled) < 0.5 * len(filled):
        return False
    return any(h.strip().lower() in _QUALTRICS_TAGS for h in first)


def _is_surveymonkey(first: list[str], second: list[str]) -> bool:
    """Row 2 holds only "Response" labels and option labels of grouped columns, under a row 1 that starts
    with SurveyMonkey's id or date column or has option groups (blank headers continuing a question)."""
    if not second or second[0]:
        return False
    generic = [
        fold(s, keep_punctuation=True) in ("response", "open-ended response", "open ended response") for s in second
    ]
    if not any(generic):
        return False
    width = len(first)
    grouped = [not first[j] or (j + 1 < width and not first[j + 1]) for j in range(width)]
    if not all(g or grouped[j] for j, (g, v) in enumerate(zip(generic, second)) if v):
        return False
    has_groups = any(not first[j] and second[j] for j in range(width))
    return has_groups or first[0].strip().lower() in _SURVEYMONKEY_IDS


def detect_format(grid: Grid) -> tuple[str, str]:
    """The format of ``grid`` and the evidence, from the header rows alone."""
    first = _header_row(grid, 0)
    second = _header_row(grid, 1)
    third = _header_row(grid, 2)
    folded = [fold(h) for h in first]
    if _is_qualtrics(first, third):
        return "qualtrics", 'row 1 has Qualtrics tags (StartDate, ResponseId…), row 3 holds {"ImportId": …}'
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
    if _is_surveymonkey(first, second):
        return "surveymonkey", "row 2 holds only Response / option labels of grouped columns"
    return "plain", "one header row"


def _title_rows(grid: Grid, limit: int = 10) -> int:
    """How many leading rows are titles or blank (at most one filled cell) above a header row with at least
    two filled cells; 0 when there is no such header within ``limit`` rows."""
    width = grid.cells.shape[1]
    if width < 2:
        return 0
    head = grid.cells.iloc[:limit]
    filled = head.notna().to_numpy().sum(axis=1)
    need = max(2, (width + 1) // 2) if width > 2 else 2
    for i, count in enumerate(filled):
        if count >= need:
            return i
        if count > 1:
            return 0
    return 0


def issue_table(issues: list[dict]) -> pd.DataFrame:
    """Issues found while reading (header, title rows, cells) as a table."""
    table = pd.DataFrame(issues, columns=ISSUE_COLUMNS) if issues else _blank_structural()
    table["row"] = table["row"].astype("Int64")
    return table


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
            specs.append({"name": name, "header": first[j], "question": question, "sub": "" if generic else sub})
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


def _without_unused_categories(series: pd.Series) -> pd.Series:
    """``series.cat.remove_unused_categories()`` in one pass over the codes: pandas sorts them and checks the
    remaining categories again (a quarter of a second for a survey of 100,000 rows)."""
    categorical = series.array
    codes = np.asarray(categorical.codes)
    used = np.zeros(len(categorical.categories) + 1, dtype=bool)
    used[codes] = True  # code -1 (missing) marks the extra last slot
    used = used[:-1]
    if used.all():  # nothing to drop (pandas would sort a million codes to find that out)
        return series
    lookup = np.append(np.cumsum(used) - 1, -1)
    kept = categorical.categories[used]
    dtype = _unique_categories(kept) if not categorical.ordered else pd.CategoricalDtype(kept, ordered=True)
    renumbered = pd.Categorical.from_codes(lookup[codes].astype(codes.dtype), dtype=dtype, validate=False)
    return pd.Series(renumbered, index=series.index, name=series.name)


def _normalise_text_column(series: pd.Series, done: bool = False) -> pd.Series:
    """NFC, outer spaces stripped, blank → missing; per distinct value for Categorical columns. ``done``:
    the reader already did it (pyarrow's CSV path)."""
    if done and isinstance(series.dtype, pd.CategoricalDtype):
        return _without_unused_categories(series)
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
        return pd.Series(
            pd.Categorical.from_codes(lookup[codes], categories=pd.Index(new_cats, dtype=object)), index=series.index
        )

    def clean(value: object) -> object:
        if isinstance(value, str):
            text = unicodedata.normalize("NFC", value).strip()
            return text or None
        return value

    return series.map(clean).astype(object)


_TRUE_FALSE = TRUE_FALSE


def _as_boolean(series: pd.Series, decided: bool | None = None) -> pd.Series | None:
    """A KoboToolbox option column of true/false/1/0 as booleans (``decided``: on the whole file beforehand)."""
    uniques = (
        series.cat.categories.to_list()
        if isinstance(series.dtype, pd.CategoricalDtype)
        else series.dropna().unique().tolist()
    )
    if not (boolean_decision(boolean_features(uniques)) if decided is None else decided):
        return None
    return (
        series.astype(object)
        .map(lambda v: _TRUE_FALSE[str(v).strip().lower()] if pd.notna(v) else pd.NA)
        .astype("boolean")
    )


def _name_columns(
    fmt: str, specs: list[dict], has_data: Callable[[int], bool]
) -> tuple[list[int], list[str], list[dict]]:
    """(grid columns kept, their unique names, header issues): blank names filled in or the column dropped
    when it holds no data, names R mangled undone, repeated names numbered."""
    issues: list[dict] = []
    keep: list[int] = []
    names: list[str] = []
    seen: dict[str, int] = {}
    for j, spec in enumerate(specs):
        letter = column_letter(j)
        original = spec["header"]
        if not spec["name"]:
            if not has_data(j):
                issues.append(
                    {
                        "row": pd.NA,
                        "column": f"(column {letter})",
                        "value": "",
                        "problem": "column has no header and no data",
                        "action": "column dropped",
                    }
                )
                continue
            spec["name"] = f"(column {letter})"
            issues.append(
                {
                    "row": pd.NA,
                    "column": spec["name"],
                    "value": "",
                    "problem": "blank header name",
                    "action": f"named {spec['name']!r}",
                }
            )
        elif fmt == "kobo" and spec["name"] != original:
            issues.append(
                {
                    "row": pd.NA,
                    "column": original,
                    "value": original,
                    "problem": "header name mangled by R's make.names",
                    "action": f"renamed to {spec['name']!r}",
                }
            )
        name = spec["name"]
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            new_name = f"{name} ({seen[key]})"
            while new_name.casefold() in seen:
                seen[key] += 1
                new_name = f"{name} ({seen[key]})"
            issues.append(
                {
                    "row": pd.NA,
                    "column": name,
                    "value": name,
                    "problem": f"duplicate header name (column {letter})",
                    "action": f"renamed to {new_name!r}",
                }
            )
            name = new_name
            seen[name.casefold()] = 1
        else:
            seen[key] = 1
        spec["name"] = name
        keep.append(j)
        names.append(name)
    return keep, names, issues


def _source_columns(fmt: str, specs: list[dict], keep: list[int], names: list[str]) -> list[SourceColumn]:
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
        columns.append(
            SourceColumn(
                name=name,
                header=spec["header"],
                letter=column_letter(j),
                question=spec.get("question", ""),
                sub=spec.get("sub", ""),
                tag=spec.get("tag", ""),
                parent=parent,
            )
        )
    return columns


def _dayfirst(fmt: str, columns: list[SourceColumn]) -> bool | None:
    if fmt == "google-forms" and columns:
        return _GOOGLE_TIMESTAMPS.get(fold(columns[0].header))
    if fmt == "microsoft-forms":
        return any(fold(c.header) in _MS_FORMS_VI for c in columns if fold(c.header) != "id")
    if fmt == "surveymonkey":
        return False
    return None


def _skip_rows(grid: Grid, count: int) -> Grid:
    return replace(grid, cells=grid.cells.iloc[count:].reset_index(drop=True), rows=grid.rows[count:])


def _header(fmt: str, grid: Grid, header_rows: int | None) -> tuple[int, list[dict], str]:
    """(header rows, column specs, note): the format's own header, or ``header_rows`` given by the user,
    named from the last of them (0: no header, columns named by letter)."""
    natural, specs = _build_columns(fmt, grid)
    if header_rows is None or header_rows == natural:
        return natural, specs, ""
    if header_rows == 0:
        blank = [{"name": "", "header": ""} for _ in range(grid.cells.shape[1])]
        return 0, blank, "no header row: columns named by letter"
    single = "plain" if fmt in ("qualtrics", "qualtrics-legacy", "surveymonkey") else fmt
    _, specs = _build_columns(single, _skip_rows(grid, header_rows - 1))
    return header_rows, specs, f"{header_rows} header rows given: column names from row {header_rows}"


def _check_options(format: str, header_rows: int | None) -> None:
    if format != "auto" and format not in FORMATS:
        raise ValueError(f"format must be 'auto' or one of {', '.join(map(repr, FORMATS))}, not {format!r}")
    if header_rows is not None and (
        isinstance(header_rows, bool) or not isinstance(header_rows, (int, np.integer)) or header_rows < 0
    ):
        raise ValueError(f"header_rows must be a whole number ≥ 0 or None (detect), not {header_rows!r}")


def _title_issues(grid: Grid, titles: int) -> list[dict]:
    out = []
    for i in range(titles):
        text = " ".join(v for v in _header_row(grid, i) if v)
        out.append(
            {
                "row": int(grid.rows[i]),
                "column": "",
                "value": text,
                "problem": "title or blank row above the header row",
                "action": "skipped",
            }
        )
    return out


HEADER_ROW_CONSUMED = "row read as a header row, not recognised as the format's header"


def _naming_row(fmt: str, count: int, forced: bool) -> int:
    """The header row (0-based, among ``count``) that names the columns."""
    if forced:
        return count - 1
    return 1 if fmt == "qualtrics-legacy" else 0


def _auto_naming_row(grid: Grid, titles_searched: bool) -> int:
    """The row that detection alone would take for the one naming the columns."""
    titles = 0 if titles_searched else _title_rows(grid)
    detected = detect_format(_skip_rows(grid, titles) if titles else grid)[0]
    return titles + _naming_row(detected, 0, False)


def _consumed_issues(grid: Grid, fmt: str, count: int, header_rows: int | None, auto: bool) -> list[dict]:
    """One issue per header row that detection did not recognise as a header (``header_rows`` other than the
    format's own, or ``format`` forced on a file whose rows do not look like that format's header): such a
    row may be data, and must not vanish silently. The row naming the columns is spared when detection alone
    would have named the columns from it too."""
    natural = _build_columns(fmt, grid)[0]
    forced = header_rows is not None and header_rows != natural
    if count == 0 or (not forced and (auto or detect_format(grid)[0] == fmt)):
        return []
    naming = _naming_row(fmt, count, forced)
    spared = naming if naming == _auto_naming_row(grid, titles_searched=not forced) else -1
    out = []
    for i in range(min(count, len(grid.rows))):
        if i == spared:
            continue
        out.append(
            {
                "row": int(grid.rows[i]),
                "column": "",
                "value": " ".join(v for v in _header_row(grid, i) if v),
                "problem": HEADER_ROW_CONSUMED,
                "action": "skipped",
            }
        )
    return out


def _cell_problem_issues(grid: Grid, offset: int, names: dict[int, str], rows: np.ndarray) -> list[dict]:
    out = []
    for problem in grid.cell_problems:
        position = problem.position - offset
        if position >= 0 and problem.column in names:
            out.append(
                {
                    "row": int(rows[position]),
                    "column": names[problem.column],
                    "value": problem.value,
                    "problem": problem.problem,
                    "action": "set to <NA>",
                }
            )
    return out


def _broken_rows(grid: Grid, offset: int, header_rows: int) -> tuple[list[tuple[int, str, str]], list[str]]:
    """Broken records as (data row position, problem, text), and notes for broken header rows."""
    rows: list[tuple[int, str, str]] = []
    notes: list[str] = []
    for record in grid.broken:
        position = record.position - offset
        problem = f"unbalanced quote from line {record.quote_line}"
        if position >= 0:
            rows.append((position, problem, record.text))
        elif position >= -header_rows:
            notes.append(f"header row at line {record.line}: {problem}; split by line")
    return rows, notes


def read_raw(
    path: str | Path,
    *,
    format: str = "auto",
    encoding: str | None = None,
    sheet: str | int | None = None,
    header_rows: int | None = None,
) -> RawExport:
    """Read an export's cells and header into a :class:`RawExport` (no mapping, no cleaning).

    ``format`` is ``"auto"`` or one of :data:`FORMATS`; ``encoding`` overrides detection for text files;
    ``sheet`` picks an XLSX sheet by name or 0-based position (default: the sheet with the most filled
    columns); ``header_rows`` overrides the number of header rows (title rows above the header are then not
    looked for; with a number other than the format's own, names come from the last header row, and 0
    names the columns by letter). How the format was recognised is in ``notes``.
    """
    _check_options(format, header_rows)
    grid = read_grid(path, encoding=encoding, sheet=sheet)
    if grid.cells.shape[1] == 0:
        raise ValueError(f"{grid.path}: the file is empty — no header row found")

    def has_data(column: int, start: int) -> bool:
        return bool(grid.cells[column].iloc[start:].notna().any())

    layout = grid_layout(grid, format=format, header_rows=header_rows, has_data=has_data)
    rows = np.asarray(grid.rows[layout.start :], dtype=np.int64)
    frame = layout_frame(layout, grid.cells.iloc[layout.start :], grid.normalised)
    notes = list(layout.notes)
    broken, broken_notes = _broken_rows(grid, layout.start, layout.header_rows)
    notes += broken_notes
    issues = layout.issues + _cell_problem_issues(grid, layout.start, dict(zip(layout.keep, frame.columns)), rows)
    encoding_label = grid.encoding.label if grid.encoding else "XLSX"
    issue_frame = issue_table(issues)
    return RawExport(
        frame=frame,
        rows=rows,
        columns=layout.columns,
        format=layout.format,
        path=grid.path,
        header_rows=layout.header_rows,
        encoding=encoding_label,
        issues=issue_frame,
        dayfirst=layout.dayfirst,
        notes=tuple(notes),
        broken_rows=tuple(broken),
    )


@dataclass(frozen=True)
class Layout:
    """How the rows of a grid become named columns, decided on its first rows: title rows skipped, format,
    header rows, the grid columns kept and their names, and what reading said about them."""

    format: str
    titles: int
    header_rows: int
    keep: tuple[int, ...]
    unnamed: tuple[int, ...]  # grid columns without a header name: kept (and named by letter) only with data
    columns: tuple[SourceColumn, ...]
    dayfirst: bool | None
    issues: list[dict]
    notes: tuple[str, ...]

    @property
    def start(self) -> int:
        """The grid row of the first data row."""
        return self.titles + self.header_rows


def grid_layout(
    grid: Grid, *, format: str = "auto", header_rows: int | None = None, has_data: Callable[[int, int], bool]
) -> Layout:
    """The :class:`Layout` of ``grid`` (only its first rows matter); ``has_data(j, start)``: grid column ``j``
    has a value in some row from grid row ``start`` on (a column with neither header nor data is dropped)."""
    titles = _title_rows(grid) if header_rows is None else 0
    issues = _title_issues(grid, titles)
    notes = list(grid.notes)
    if titles:
        notes.append(
            f"{titles} title or blank row(s) above the header skipped (row {int(grid.rows[titles])} is the header)"
        )
    grid_ = _skip_rows(grid, titles) if titles else grid
    fmt, evidence = detect_format(grid_) if format == "auto" else (format, "given by the caller")
    count, specs, header_note = _header(fmt, grid_, header_rows)
    issues += _consumed_issues(grid_, fmt, count, header_rows, format == "auto")
    notes.append(f"format {FORMATS[fmt]}: {evidence}; {count} header row(s)")
    if header_note:
        notes.append(header_note)
    unnamed = tuple(j for j, spec in enumerate(specs) if not spec["name"])
    keep, names, header_issues = _name_columns(fmt, specs, lambda j: has_data(j, titles + count))
    columns = tuple(_source_columns(fmt, specs, keep, names))
    return Layout(
        format=fmt,
        titles=titles,
        header_rows=count,
        keep=tuple(keep),
        unnamed=unnamed,
        columns=columns,
        dayfirst=_dayfirst(fmt, list(columns)),
        issues=issues + header_issues,
        notes=tuple(notes),
    )


def layout_frame(
    layout: Layout, body: pd.DataFrame, normalised: bool, booleans: dict[str, bool] | None = None
) -> pd.DataFrame:
    """The data rows ``body`` (grid columns) under the layout's names: text tidied, KoboToolbox option columns
    as booleans (``booleans``: decided on the whole file beforehand)."""
    # The index is given so that rows survive even when every column was dropped (all blank).
    frame = pd.DataFrame(
        {c.name: _normalise_text_column(body[j], normalised).array for c, j in zip(layout.columns, layout.keep)},
        index=pd.RangeIndex(len(body)),
    )
    for column in layout.columns:
        if column.parent:
            as_bool = _as_boolean(frame[column.name], None if booleans is None else booleans.get(column.name, False))
            if as_bool is not None:
                frame[column.name] = as_bool
    return frame
