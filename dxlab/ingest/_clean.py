"""Cleaning: from a mapped export to tidy responses, with a quarantine that loses nothing.

Every data row of the export ends in exactly one of two places: ``responses`` (one row per kept
submission) or ``issues`` with ``action`` starting "row quarantined" and the reason in ``problem``. Cells that
cleaning rejected (an answer that is not a level, a date that is not a date) or could only guess at (a
misspelt province) are listed in ``issues`` one row per cell; recognised spellings recoded to a standard
value ("TP. HCM" → "Hồ Chí Minh", "Bán lẻ" → "G", "Mức 3" → 3) are listed once per distinct spelling in
``recodes`` instead, so that the issues stay readable on 100,000 rows.

Work is done per distinct value of each column (columns arrive as ``Categorical``), so cost grows with the
number of spellings, not of rows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from .._i18n import tr
from .._text import fold
from ..rubric import NonAnswer, Rubric
from ..scoring import parse_levels_report
from ..vocab import CORE_COLUMNS, METADATA_HEADERS, OPTIONAL_COLUMNS, SIZE_CLASSES, TEST_MARKERS
from ._dates import DateOrder, parse_datetimes
from ._decisions import (
    ColumnDecisions,
    cell_text,
    extra_features,
    extra_kind,
    hashed,
    plain_numbers,
    tax_decision,
    tax_features,
)
from ._formats import ISSUE_COLUMNS, RawExport
from ._mapping import Mapping, _key, match_columns
from ._normalise import Recode, employee_count, province_name, sector_section, size_class, size_from_employees, tax_code

__all__ = [
    "CleanResult",
    "DUPLICATE_POLICIES",
    "NONRESPONSE_COLUMNS",
    "QUARANTINED",
    "RAW_COLUMNS",
    "RECODE_COLUMNS",
    "UNRECOGNISED",
    "check_rubric_fits",
    "clean_export",
    "prepare_cleaning",
]

DUPLICATE_POLICIES = ("latest", "first", "keep-all")
DuplicatePolicy = Literal["latest", "first", "keep-all"]
QUARANTINED = "row quarantined"
RECODE_COLUMNS = ["column", "value", "to", "rows", "note"]
_TIME = "datetime64[us]"  # pandas' own default unit, as in dxlab.sample

EMPTY_ROW = "empty row"
HEADER_ROW = "repeated header row"
TEST_ROW = "test submission"
NO_ANSWER = "no valid answer to any criterion"
DUPLICATE = "duplicate submission (same enterprise and wave)"
DUPLICATE_RESPONDENT = tr("ingest_semantics.problem_duplicate_respondent", "en")
UNRECOGNISED = tr("ingest_semantics.problem_unrecognised", "en")
# Sector, size and province as written, next to the standard value, whenever the column is mapped: text that
# is not recognised leaves the standard column <NA> and stays here, never guessed.
RAW_COLUMNS: dict[str, str] = {"sector": "sector_raw", "size": "size_raw", "province": "province_raw"}
NONRESPONSE_COLUMNS = ["row", "response_id", "column", "criterion", "value", "code"]
# Who answered, best first, when several people answer for one enterprise.
RESPONDENT_FIELDS = ("respondent_id", "email", "respondent_name", "respondent_role")

_TAX_HEADERS = {_key(a) for a in METADATA_HEADERS["enterprise_id"][:5] + ("tax code", "tax id", "tax number")}


@dataclass(frozen=True)
class SourceInfo:
    """Where the responses came from: file, format, encoding, header rows and how many data rows were read."""

    path: str
    format: str
    format_label: str
    encoding: str
    header_rows: int
    rows_read: int
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class CleanResult:
    """The outcome of reading and cleaning an export.

    Attributes
    ----------
    responses : DataFrame
        One row per kept submission: ``response_id, enterprise_id, submitted_at, wave, sector, size,
        province, respondent_role, weight``, then the optional metadata the export has (``enterprise_name,
        respondent_name, email, phone, employees, started_at``) and ``source_row``, then one ``Int8`` column
        per criterion id of the rubric (``<NA>`` when unanswered, invalid or absent from the export), then
        the export's unmapped columns as they were (free text NFC, dates parsed).
    issues : DataFrame
        ``row, column, value, problem, action``. ``row`` is the 1-based row number a spreadsheet shows when
        the file is opened (header rows count; a record with line breaks inside a cell is one row; for XLSX
        the worksheet row), ``<NA>`` for problems with a whole column. ``column`` is the export's column.
    mapping : Mapping
        How each column was mapped.
    recodes : DataFrame
        ``column, value, to, rows, note``: each distinct metadata spelling recoded to a standard value.
    source : SourceInfo
    nonresponse : DataFrame
        ``row, response_id, column, criterion, value, code``: one row per non-answer ("Không biết", "N/A"…)
        in a kept response, ``code`` being ``not_applicable`` or ``dont_know``. Non-answers are ``<NA>`` in
        ``responses`` and never issues; pass this table to :func:`dxlab.score` (``nonresponse=``) so that
        "not applicable" leaves the denominator.
    """

    responses: pd.DataFrame
    issues: pd.DataFrame
    mapping: Mapping
    recodes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RECODE_COLUMNS))
    source: SourceInfo | None = None
    notes: tuple[str, ...] = ()
    criterion_ids: tuple[str, ...] = ()
    nonresponse: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=NONRESPONSE_COLUMNS))
    kept_rows: int | None = None

    @property
    def kept(self) -> int:
        """How many responses were kept (``kept_rows`` when they were written part by part, not held)."""
        return len(self.responses) if self.kept_rows is None else self.kept_rows

    def __iter__(self):
        """Unpack as ``responses, issues, mapping = result``."""
        return iter((self.responses, self.issues, self.mapping))

    @property
    def quarantined(self) -> pd.DataFrame:
        """The row-level issues: one row per input row left out of ``responses``, with its reason."""
        mask = self.issues["action"].astype(str).str.startswith(QUARANTINED)
        return self.issues[mask].reset_index(drop=True)

    @property
    def nonresponse_counts(self) -> dict[str, int]:
        """Non-answers in the kept responses per meaning: ``{"not_applicable": n, "dont_know": m}``."""
        counts = self.nonresponse["code"].value_counts()
        return {code: int(counts.get(code, 0)) for code in ("not_applicable", "dont_know")}

    def summary_table(self) -> pd.DataFrame:
        """Rows quarantined per reason: ``problem, rows``."""
        counts = self.quarantined.groupby("problem", sort=False).size()
        frame = counts.rename("rows").reset_index().sort_values("rows", ascending=False, kind="stable")
        return frame.reset_index(drop=True)

    def summary(self, lang: str | None = None) -> str:
        """A one-screen plain-text summary: rows read, kept, quarantined by reason, mapping, cell issues,
        how the file was read; in ``lang`` (default ``DXLAB_LANG``, else Vietnamese)."""
        from ._summary import render_summary

        return render_summary(self, lang)

    def __repr__(self) -> str:
        read = self.source.rows_read if self.source else "?"
        return (
            f"CleanResult(rows_read={read}, responses={self.kept}, "
            f"quarantined={len(self.quarantined)}, issues={len(self.issues)})"
        )


# -- helpers ---------------------------------------------------------------------------------------------
def _by_value(series: pd.Series) -> tuple[np.ndarray, list]:
    """(codes with -1 for missing, distinct values) of a column."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy().astype(np.int64), series.cat.categories.to_list()
    codes, uniques = pd.factorize(series.astype(object), use_na_sentinel=True)
    return codes.astype(np.int64), list(uniques)


def _matches(series: pd.Series, texts: tuple) -> np.ndarray:
    """Which rows hold one of ``texts`` (compared as text), looked up among the distinct values only."""
    wanted = [t for t in texts if isinstance(t, str)]
    if isinstance(series.dtype, pd.CategoricalDtype):
        categories = series.cat.categories
        hits = np.flatnonzero(categories.isin(wanted)) if wanted else np.empty(0, dtype=np.int64)
        codes = series.cat.codes.to_numpy()
    else:
        codes, uniques = _by_value(series)
        hits = np.array([i for i, u in enumerate(uniques) if isinstance(u, str) and u in wanted], dtype=np.int64)
    return np.isin(codes, hits) if len(hits) else np.zeros(len(series), dtype=bool)


def _expand(per_value: list | np.ndarray, codes: np.ndarray, missing: object = None) -> np.ndarray:
    table = np.empty(len(per_value) + 1, dtype=object)
    table[:-1] = per_value
    table[-1] = missing
    return table[codes]


def _issue_frame(
    rows: np.ndarray, column: str, values: np.ndarray, problems: np.ndarray | str, actions: np.ndarray | str
) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame(
        {
            "row": pd.array(rows, dtype="Int64"),
            "column": np.full(n, column, dtype=object),
            "value": np.asarray([_show(v) for v in values], dtype=object) if n else np.empty(0, dtype=object),
            "problem": np.broadcast_to(np.asarray(problems, dtype=object), (n,)).copy(),
            "action": np.broadcast_to(np.asarray(actions, dtype=object), (n,)).copy(),
        },
        columns=ISSUE_COLUMNS,
    )


_show = cell_text


def _empty_issues() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object) for c in ISSUE_COLUMNS})


class _Collector:
    """Gathers cell issues and recodes while columns are cleaned."""

    def __init__(self, rows: np.ndarray):
        self.rows = rows
        self.cells: list[tuple[np.ndarray, pd.DataFrame]] = []  # (row positions, issues)
        self.recodes: list[dict] = []
        self.recoded_columns: dict[str, None] = {}  # every column recoded, in order, with or without changes

    def cell_issues(self, positions: np.ndarray, column: str, values: np.ndarray, problems, actions) -> None:
        if len(positions):
            self.cells.append((positions, _issue_frame(self.rows[positions], column, values, problems, actions)))

    def recode(self, column: str, codes: np.ndarray, uniques: list, results: list[Recode | None]) -> None:
        """One line per distinct value recoded (``None`` in ``results``: the value was already standard)."""
        self.recoded_columns.setdefault(column)
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        for i, result in enumerate(results):
            if result is not None and result.status == "recoded" and counts[i]:
                self.recodes.append(
                    {
                        "column": column,
                        "value": _show(uniques[i]),
                        "to": _show(result.value),
                        "rows": int(counts[i]),
                        "note": result.note,
                    }
                )


def _unrecognised_action(field_name: str) -> str:
    return tr("ingest_semantics.action_unrecognised", "en", field=field_name, raw_column=RAW_COLUMNS[field_name])


def _recode_column(
    series: pd.Series,
    column: str,
    func: Callable[[object], Recode],
    collector: _Collector,
    standard: str | None = None,
    field_name: str | None = None,
) -> np.ndarray:
    """Apply ``func`` per distinct value; report guesses, unknowns and invalid cells; return the values.

    ``standard`` is a regular expression for values already standard: those skip ``func`` (one vectorised
    match instead of 100,000 calls for a column of tax codes). With ``field_name`` (sector, size, province)
    an unknown value is not kept in the standard column: it becomes None, reported as "unrecognised" (the
    text stays in the field's raw column).
    """
    codes, uniques = _by_value(series)
    results: list[Recode | None]  # None: already standard, kept as it is
    if standard is not None and uniques and all(isinstance(u, str) for u in uniques):
        fine = pd.Series(uniques, dtype="str").str.fullmatch(standard).to_numpy(dtype=bool)
        results = [None if ok else func(u) for u, ok in zip(uniques, fine)]
    else:
        results = [func(u) for u in uniques]
    if field_name is not None:
        results = [Recode(None, r.status, r.note) if r is not None and r.status == "unknown" else r for r in results]
    per_value = [u if r is None else r.value for u, r in zip(uniques, results)]
    values = _expand(per_value, codes)
    kinds = ("guessed", "unknown", "invalid")
    kind_of_value = np.array(
        [kinds.index(r.status) if r is not None and r.status in kinds else -1 for r in results] + [-1], dtype=np.int8
    )[codes]
    for k, (kind, action) in enumerate(zip(kinds, (None, "kept as given", "set to <NA>"))):
        positions = np.flatnonzero(kind_of_value == k)
        if not len(positions):
            continue
        at = codes[positions]
        notes = _expand([r.note if r is not None else "" for r in results], at, missing="")
        problems: np.ndarray | str = notes
        if kind == "guessed":
            actions = np.array([f"changed to {_show(v)!r}" for v in _expand(per_value, at)], dtype=object)
        elif kind == "unknown" and field_name is not None:
            problems, actions = UNRECOGNISED, _unrecognised_notes(field_name, notes)
        else:
            actions = action
        collector.cell_issues(positions, column, _expand(uniques, at), problems, actions)
    collector.recode(column, codes, uniques, results)
    return values


def _unrecognised_notes(field_name: str, notes: np.ndarray) -> np.ndarray:
    action = _unrecognised_action(field_name)
    return np.array([f"{action} ({note})" if note else action for note in notes], dtype=object)


def _text_column(series: pd.Series) -> np.ndarray:
    codes, uniques = _by_value(series)
    if all(type(u) is str for u in uniques):  # text as read from a CSV file: already what _show gives
        return _expand(uniques, codes)
    return _expand([_show(u) for u in uniques], codes)


def _datetime_column(
    series: pd.Series,
    column: str,
    dayfirst: bool | None,
    collector: _Collector,
    notes: list[str],
    order: DateOrder | None = None,
) -> np.ndarray:
    codes, uniques = _by_value(series)
    parsed = parse_datetimes(uniques, dayfirst, order)
    table = np.append(parsed.values.to_numpy(dtype="datetime64[ns]"), np.datetime64("NaT"))
    values = table[codes]
    reasons = _expand(parsed.reasons, codes)
    positions = np.flatnonzero(pd.notna(reasons))
    collector.cell_issues(positions, column, _expand(uniques, codes)[positions], reasons[positions], "set to <NaT>")
    if parsed.note:
        notes.append(f"{column}: {parsed.note}")
    return values


def _tax_header(name: str, header: str) -> bool:
    return _key(name) in _TAX_HEADERS or _key(header) in _TAX_HEADERS


_TEST_INITIALS = frozenset(m[0] for m in TEST_MARKERS)


def _fast_key(value: object) -> str:
    """Case- and tone-mark-insensitive key; a cheaper cousin of :func:`dxlab._text.fold` for the
    hundreds of thousands of names and e-mails that duplicate detection compares."""
    text = unicodedata.normalize("NFD", str(value).casefold().replace("đ", "d"))
    return " ".join(text.encode("ascii", "ignore").decode("ascii").split())


_KEYS_AT_ONCE = 50_000  # values joined per pass: enough to amortise the calls, few enough to bound the memory


def _fast_keys(values: list) -> list[str]:
    """:func:`_fast_key` of many values at once: case folding, NFD and the ASCII filter each run once over
    the values joined by NUL (every step works per character and NUL, a starter without a decomposition,
    keeps canonical reordering from crossing it); values holding NUL fall back to one call each. Done
    :data:`_KEYS_AT_ONCE` values at a time, so that a million names never make one giant string."""
    if len(values) > _KEYS_AT_ONCE:
        return [
            key for at in range(0, len(values), _KEYS_AT_ONCE) for key in _fast_keys(values[at : at + _KEYS_AT_ONCE])
        ]
    texts = [str(v) for v in values]
    joined = "\0".join(texts)
    if joined.count("\0") != max(len(texts) - 1, 0):
        return [_fast_key(t) for t in texts]
    ascii_text = unicodedata.normalize("NFD", joined.casefold().replace("đ", "d")).encode("ascii", "ignore")
    return [" ".join(part.split()) for part in ascii_text.decode("ascii").split("\0")] if texts else []


def _are_tests(uniques: list) -> np.ndarray:
    """:func:`_is_test` of every distinct value; only those whose first letter can start a test marker are
    looked at one by one (a million enterprise names cost one vectorised pass)."""
    first = pd.Series([str(u) for u in uniques], dtype="str").str.strip().str[:1].str.casefold().str[:1]
    maybe = np.flatnonzero(first.isin(list(_TEST_INITIALS)).to_numpy(dtype=bool))
    flags = np.zeros(len(uniques), dtype=bool)
    flags[maybe] = [_is_test(uniques[i]) for i in maybe]
    return flags


def _is_test(value: object) -> bool:
    text = str(value).strip().casefold()
    if text[:1] not in _TEST_INITIALS or (len(text) > 30 and not text.startswith("test")):
        return False
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", fold(str(value))).split())
    return key in TEST_MARKERS or bool(re.match(r"^(test|testing|thu nghiem)(\s|\d|$)", key))


# -- the cleaning ----------------------------------------------------------------------------------------
def check_rubric_fits(raw: RawExport, rubric: Rubric, mapping: Mapping, lang: str | None = None) -> None:
    """Refuse to read an export with a rubric that maps fewer than half of its criteria.

    Raises ``ValueError`` saying how many criteria mapped and which installed rubric maps the most of the
    export's columns (``allow_partial=True`` / ``--allow-partial`` skips this check).
    """
    total = len(rubric.criterion_ids)
    mapped = len(mapping.criteria)
    if 2 * mapped >= total:
        return
    from ..rubric import list_rubrics, load_rubric

    fits = []
    for other_id in list_rubrics()["id"]:
        other = load_rubric(other_id)
        if other.id == rubric.id:
            continue
        count = len(match_columns(raw.columns, other).criteria)
        fits.append((count / len(other.criterion_ids), count, len(other.criterion_ids), other.id))
    best = max(fits, default=None)
    hint = (
        tr("ingest_semantics.wrong_rubric_best", lang, rubric=best[3], mapped=best[1], total=best[2])
        if best and best[1] > mapped
        else tr("ingest_semantics.wrong_rubric_none", lang)
    )
    raise ValueError(
        tr(
            "ingest_semantics.wrong_rubric",
            lang,
            path=raw.path,
            mapped=mapped,
            total=total,
            rubric=rubric.id,
            hint=hint,
        )
    )


def _parse_criteria(
    frame: pd.DataFrame,
    rubric: Rubric,
    crit_map: dict[str, str],
    collector: _Collector,
    non_answers: tuple[NonAnswer, ...],
    decisions: ColumnDecisions,
) -> tuple[dict[str, np.ndarray], np.ndarray, list]:
    """Parse every distinct answer once: (levels per criterion with -1 for none, answered count per row,
    non-answers as (positions, column, criterion, values, codes)). Spellings already read in an earlier batch
    (``decisions.answers``) are not read again."""
    n = len(frame)
    levels: dict[str, np.ndarray] = {}
    answered = np.zeros(n, dtype=np.int32)
    nonresponse = []
    for cid in rubric.criterion_ids:
        if cid not in crit_map:
            continue
        column = crit_map[cid]
        codes, uniques = _by_value(frame[column])
        known = _read_answers(
            uniques,
            rubric,
            cid,
            non_answers,
            decisions.fractions.get(column, "auto"),
            decisions.answers.setdefault(column, {}),
        )
        table = np.append(np.array([known[u][0] for u in uniques], dtype=np.int16), -1)
        found = table[codes]
        levels[cid] = found
        answered += found > 0
        meanings = pd.Series([known[u][2] for u in uniques], dtype=object)
        skipped = meanings.dropna()
        if len(skipped):
            positions, meaning = _rows_of(codes, len(uniques), pd.Series(skipped.index), skipped.reset_index(drop=True))
            answered[positions] += 1  # a declared non-answer is an answer, not a blank
            nonresponse.append((positions, column, cid, _expand(uniques, codes[positions]), meaning))
        reasons = pd.Series([known[u][1] for u in uniques], dtype=object).dropna()
        if len(reasons):
            positions, reason = _rows_of(codes, len(uniques), pd.Series(reasons.index), reasons.reset_index(drop=True))
            collector.cell_issues(positions, column, _expand(uniques, codes[positions]), reason, "set to <NA>")
    return levels, answered, nonresponse


def _read_answers(
    uniques: list, rubric: Rubric, cid: str, non_answers: tuple[NonAnswer, ...], fractions: object, known: dict
) -> dict:
    """``known`` completed with (level or -1, problem or None, non-answer code or None) for each of ``uniques``."""
    new = [u for u in uniques if u not in known]
    if not new:
        return known
    parsed, problems = parse_levels_report(
        pd.Series(new, dtype=object),
        rubric,
        cid,
        non_answers=non_answers,
        fractions=fractions,  # type: ignore[arg-type]
    )
    level = parsed.fillna(-1).to_numpy(dtype=np.int16)
    reason = dict(zip(problems["row"], problems["reason"]))
    skipped = parsed.attrs["nonresponse"]
    code = dict(zip(skipped["row"], skipped["code"]))
    for i, value in enumerate(new):
        known[value] = (int(level[i]), reason.get(i), code.get(i))
    return known


def _rows_of(
    codes: np.ndarray, n_values: int, value_index: pd.Series, notes: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """(positions of the rows holding a distinct value that has a note, the note of each such row), found
    through the codes so that only those rows are ever expanded."""
    per_value = np.full(n_values + 1, None, dtype=object)
    per_value[value_index.to_numpy(dtype=np.int64)] = notes.to_numpy(dtype=object)
    noted = np.append(pd.notna(per_value[:-1]), False)
    positions = np.flatnonzero(noted[codes])
    return positions, per_value[codes[positions]]


def _nonresponse_table(parts: list, keep: np.ndarray, rows: np.ndarray, response_ids: np.ndarray) -> pd.DataFrame:
    """The long table of non-answers in kept rows, in sheet order (row, then column)."""
    frames = []
    for positions, column, cid, values, codes in parts:
        mask = keep[positions]
        chosen = positions[mask]
        frames.append(
            pd.DataFrame(
                {
                    "row": pd.array(rows[chosen], dtype="Int64"),
                    "response_id": response_ids[chosen].astype(object),
                    "column": column,
                    "criterion": cid,
                    "value": [_show(v) for v in values[mask]],
                    "code": codes[mask].astype(object),
                },
                columns=NONRESPONSE_COLUMNS,
            )
        )
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype="Int64" if c == "row" else object) for c in NONRESPONSE_COLUMNS})
    table = pd.concat(frames, ignore_index=True)
    return table.sort_values("row", kind="stable").reset_index(drop=True)


def clean_export(
    raw: RawExport,
    rubric: Rubric,
    mapping: Mapping,
    *,
    duplicates: DuplicatePolicy = "latest",
    wave: str | None = None,
    keep_unmapped: bool = True,
    allow_partial: bool = False,
    non_answers: tuple[NonAnswer, ...] = (),
    chunk_rows: int | None = None,
) -> CleanResult:
    """Clean a :class:`RawExport` mapped by ``mapping``; see :func:`dxlab.read_export` for the rules.

    ``chunk_rows`` builds the tables that many rows at a time (the result is the same)."""
    cleaning = prepare_cleaning(
        raw,
        rubric,
        mapping,
        duplicates=duplicates,
        wave=wave,
        keep_unmapped=keep_unmapped,
        allow_partial=allow_partial,
        non_answers=non_answers,
    )
    return cleaning.result(chunk_rows)


def prepare_cleaning(
    raw: RawExport,
    rubric: Rubric,
    mapping: Mapping,
    *,
    duplicates: DuplicatePolicy = "latest",
    wave: str | None = None,
    keep_unmapped: bool = True,
    allow_partial: bool = False,
    non_answers: tuple[NonAnswer, ...] = (),
    decisions: ColumnDecisions | None = None,
    find_duplicates: bool = True,
) -> _Cleaning:
    """Every decision of cleaning (per distinct value, per row, duplicates), before the tables are built.

    A batch of a file cleaned batch by batch passes the ``decisions`` taken on the whole file's distinct values
    and ``find_duplicates=False``: its rows' duplicate keys are then in the result's ``batch_keys``.
    """
    decisions = decisions or ColumnDecisions()
    check_duplicates_policy(duplicates)
    if not allow_partial:
        check_rubric_fits(raw, rubric, mapping)
    frame = raw.frame
    n = len(frame)
    rows = raw.rows
    collector = _Collector(rows)
    notes: list[str] = []
    meta = mapping.metadata
    crit_map = mapping.criteria

    levels, answered, nonresponse_parts = _parse_criteria(
        frame, rubric, crit_map, collector, (*mapping.non_answers, *non_answers), decisions
    )

    # Row-level reasons, first one wins.
    reason = np.full(n, None, dtype=object)
    filled = frame.notna().to_numpy().any(axis=1) if frame.shape[1] else np.zeros(n, dtype=bool)
    reason[~filled] = EMPTY_ROW
    broken_text = np.full(n, "", dtype=object)
    for position, problem, text in raw.broken_rows:  # records split by line after an unbalanced quote
        reason[position] = problem
        broken_text[position] = text
    if n and frame.shape[1] >= 2:
        same_as_header = np.zeros(n, dtype=np.int32)
        for source in raw.columns:
            same_as_header += _matches(frame[source.name], (source.header, source.name))
        nonblank = frame.notna().to_numpy().sum(axis=1)
        header_like = (same_as_header >= 2) & (same_as_header >= 0.5 * nonblank)
        reason[header_like & pd.isna(reason)] = HEADER_ROW
    test_column = np.full(n, "", dtype=object)
    test_value = np.full(n, "", dtype=object)
    for field_name in ("enterprise_name", "enterprise_id")[: 1 if "enterprise_name" in meta else 2]:
        if field_name in meta:
            codes, uniques = _by_value(frame[meta[field_name]])
            flagged = np.append(_are_tests(uniques), False)[codes] & pd.isna(reason)
            reason[flagged] = TEST_ROW
            test_column[flagged] = meta[field_name]
            test_value[flagged] = _expand(uniques, codes)[flagged]
    if levels:
        reason[(answered == 0) & pd.isna(reason)] = NO_ANSWER

    # Metadata.
    out: dict[str, object] = {}
    if "response_id" in meta:
        out["response_id"] = _text_column(frame[meta["response_id"]])
    else:
        out["response_id"] = _row_ids(rows)
    for field_name in ("submitted_at", "started_at"):
        if field_name in meta:
            out[field_name] = _datetime_column(
                frame[meta[field_name]],
                meta[field_name],
                raw.dayfirst,
                collector,
                notes,
                decisions.dates.get(meta[field_name]),
            )
    sector = None
    for field_name, raw_name in RAW_COLUMNS.items():
        if field_name in meta:
            out[raw_name] = _text_column(frame[meta[field_name]])
    if "sector" in meta:
        sector = _recode_column(frame[meta["sector"]], meta["sector"], sector_section, collector, field_name="sector")
        out["sector"] = sector
    if "province" in meta:
        out["province"] = _recode_column(
            frame[meta["province"]], meta["province"], province_name, collector, field_name="province"
        )
    employees = None
    if "employees" in meta:
        employees = _recode_column(frame[meta["employees"]], meta["employees"], employee_count, collector)
        out["employees"] = pd.array([v if v is not None else pd.NA for v in employees], dtype="Int64")
    size = np.full(n, None, dtype=object)
    if "size" in meta:
        size = _size_column(frame[meta["size"]], meta["size"], sector, collector)
    if employees is not None:
        need = np.flatnonzero(pd.isna(size) & pd.notna(employees))
        positions = _size_from_employees(size, need, employees, sector)
        collector.cell_issues(
            positions,
            meta["employees"],
            employees[positions],
            "the size class of this many employees depends on the sector, which is unknown",
            "size left <NA>",
        )
    if "size" in meta or employees is not None:
        out["size"] = size
    enterprise_column = meta.get("enterprise_id") or meta.get("enterprise_name")
    enterprise = np.full(n, None, dtype=object)
    if "enterprise_id" in meta:
        column = meta["enterprise_id"]
        source = raw.column(column)
        if (
            _tax_header(source.name, source.header)
            or decisions.tax.get(column, None)
            or (column not in decisions.tax and tax_decision(tax_features(_by_value(frame[column])[1])))
        ):
            enterprise = _recode_column(frame[column], column, tax_code, collector, standard=r"\d{10}(-\d{3})?")
        else:
            enterprise = _text_column(frame[column])
    for field_name in ("enterprise_name", "respondent_id", "respondent_role", "respondent_name", "email", "phone"):
        if field_name in meta:
            out[field_name] = _text_column(frame[meta[field_name]])
    identity_parts = _identity_parts(
        enterprise if "enterprise_id" in meta else None, out.get("enterprise_name"), out.get("email")
    )
    if "enterprise_name" in meta:
        enterprise = np.where(pd.isna(enterprise), out["enterprise_name"], enterprise)
    out["enterprise_id"] = enterprise
    if "wave" in meta:
        out["wave"] = _text_column(frame[meta["wave"]])
    elif wave is not None:
        out["wave"] = np.full(n, str(wave), dtype=object)
    elif "submitted_at" in meta:
        year_codes, years = pd.factorize(pd.DatetimeIndex(out["submitted_at"]).year, use_na_sentinel=True)
        out["wave"] = _expand([str(int(y)) for y in years], year_codes.astype(np.int64))
    if "weight" in meta:
        out["weight"] = _weight_column(frame[meta["weight"]], meta["weight"], collector)

    # Duplicates among the rows still in (across all batches, by the caller, when ``find_duplicates`` is False).
    candidates = pd.isna(reason)
    respondent_found = _respondent_codes_keys(out, n)
    respondent = None if respondent_found is None else respondent_found[0]
    duplicate_issue: tuple[np.ndarray, pd.DataFrame] | None = None
    batch_keys = None
    if not find_duplicates:
        batch_keys = _batch_keys(candidates, identity_parts, respondent_found, out.get("wave"), out.get("submitted_at"))
    elif identity_parts is not None:
        identity = _identity_of(identity_parts)
        found = _find_duplicates(candidates, identity, respondent, out.get("wave"), out.get("submitted_at"), duplicates)
        if found is not None:
            shown = enterprise if enterprise_column else out.get("email", identity)
            positions, actions = duplicate_actions(*found, duplicates, rows)
            column = enterprise_column or meta.get("email", "")
            problem = duplicate_problem(respondent is None)
            issues = _issue_frame(rows[positions], column, shown[positions], problem, actions)
            if duplicates == "keep-all":
                collector.cells.append((positions, issues))
            else:
                reason[positions] = problem
                duplicate_issue = (positions, issues)
                notes.append(duplicates_note(duplicates, respondent is None))
    notes_before_extras = len(notes)
    keep = pd.isna(reason)
    extras = _extra_values(out, levels, rubric, frame, mapping, rows, keep_unmapped, raw, collector, notes, decisions)

    # Row-level issues.
    row_issues = []
    for problem in (EMPTY_ROW, HEADER_ROW, TEST_ROW, NO_ANSWER):
        positions = np.flatnonzero(reason == problem)
        if len(positions):
            frame_ = _issue_frame(rows[positions], "", test_value[positions], problem, QUARANTINED)
            frame_["column"] = test_column[positions]
            row_issues.append((positions, frame_))
    if duplicate_issue is not None:
        row_issues.append(duplicate_issue)
    if raw.broken_rows:
        positions = np.array([p for p, _, _ in raw.broken_rows], dtype=np.int64)
        row_issues.append(
            (positions, _issue_frame(rows[positions], "", broken_text[positions], reason[positions], QUARANTINED))
        )

    # Cell issues of rows that were dropped as blank, header, test or duplicate say nothing new.
    relevant = keep | (reason == NO_ANSWER)
    head = head_issues(raw, mapping)
    located = [(pos[relevant[pos]], frame_[relevant[pos]]) for pos, frame_ in collector.cells] + row_issues
    plan = _RowPlan(
        out=out,
        levels=levels,
        rubric=rubric,
        rows=rows,
        keep=keep,
        extras=extras,
        located=located,
        column_index={c.name: i for i, c in enumerate(raw.columns)},
        nonresponse_parts=nonresponse_parts,
    )
    source = SourceInfo(
        path=str(raw.path),
        format=raw.format,
        format_label=raw.format_label,
        encoding=raw.encoding,
        header_rows=raw.header_rows,
        rows_read=n,
        notes=raw.notes,
    )
    return _Cleaning(
        plan=plan,
        head_issues=head,
        mapping=mapping,
        recodes=pd.DataFrame(collector.recodes, columns=RECODE_COLUMNS),
        source=source,
        notes=notes,
        criterion_ids=rubric.criterion_ids,
        notes_before_extras=notes_before_extras,
        batch_keys=batch_keys,
        recoded_columns=tuple(collector.recoded_columns),
    )


@dataclass(frozen=True, eq=False)
class _RowPlan:
    """Everything cleaning decided about each row (kept or not, its values, its issues), from which any range of
    rows is turned into its part of the tidy tables."""

    out: dict
    levels: dict[str, np.ndarray]
    rubric: Rubric
    rows: np.ndarray
    keep: np.ndarray
    extras: list[tuple[str, object]]
    located: list[tuple[np.ndarray, pd.DataFrame]]
    column_index: dict[str, int]
    nonresponse_parts: list

    def part(self, start: int, stop: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(responses, issues, non-answers) of the rows at positions ``start`` to ``stop`` (excluded)."""
        positions = start + np.flatnonzero(self.keep[start:stop])
        responses = _assemble(self.out, self.levels, self.rubric, self.rows, positions, self.extras)
        return responses, self._issues(start, stop), self._nonresponse(start, stop)

    def _issues(self, start: int, stop: int) -> pd.DataFrame:
        chosen = []
        for positions, frame_ in self.located:
            inside = (positions >= start) & (positions < stop)
            if inside.any():
                chosen.append((positions[inside], frame_[inside]))
        if not chosen:
            return _empty_issues()
        body = pd.concat([f for _, f in chosen], ignore_index=True)
        # In the order a person reads the sheet: by row, then left to right.
        across = body["column"].map(self.column_index).fillna(-1).to_numpy(dtype=np.int64)
        order_keys = np.concatenate([pos for pos, _ in chosen]) * (len(self.column_index) + 1) + across
        return body.iloc[np.argsort(order_keys, kind="stable")].reset_index(drop=True)

    def _nonresponse(self, start: int, stop: int) -> pd.DataFrame:
        parts = []
        for positions, column, cid, values, codes in self.nonresponse_parts:
            inside = (positions >= start) & (positions < stop)
            parts.append((positions[inside], column, cid, values[inside], codes[inside]))
        response_ids = np.asarray(self.out["response_id"], dtype=object)
        return _nonresponse_table(parts, self.keep, self.rows, response_ids)


@dataclass(frozen=True, eq=False)
class CleaningTables:
    """What a cleaned export hands on besides its rows' tables (which :meth:`parts` gives range by range, so
    that a large export is written part by part; :meth:`result` gives them all at once)."""

    head_issues: list[pd.DataFrame]
    mapping: Mapping
    recodes: pd.DataFrame
    source: SourceInfo
    notes: list[str]
    criterion_ids: tuple[str, ...]

    def parts(self, chunk_rows: int | None = None) -> Iterator[tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]]:
        """(responses, issues, non-answers), part by part; the subclass's ``rows`` and ``kept_rows`` say how many
        rows were read and are kept."""
        raise NotImplementedError

    def final_notes(self, nonresponse_counts: dict[str, int]) -> tuple[str, ...]:
        notes = list(self.notes)
        if sum(nonresponse_counts.values()):
            notes.append(
                tr(
                    "ingest_semantics.note_non_answers",
                    "en",
                    not_applicable=f"{nonresponse_counts.get('not_applicable', 0):,}",
                    dont_know=f"{nonresponse_counts.get('dont_know', 0):,}",
                )
            )
        return tuple(notes)

    def result(self, chunk_rows: int | None = None) -> CleanResult:
        """The whole :class:`CleanResult`, its tables built ``chunk_rows`` rows at a time."""
        pieces = list(self.parts(chunk_rows))
        responses = _concat_frames([p[0] for p in pieces])
        issues = _concat_issues([p[1] for p in pieces])
        nonresponse = _concat_frames([p[2] for p in pieces])
        counts = nonresponse["code"].value_counts()
        return CleanResult(
            responses=responses,
            issues=issues,
            mapping=self.mapping,
            recodes=self.recodes,
            source=self.source,
            notes=self.final_notes({code: int(counts.get(code, 0)) for code in ("not_applicable", "dont_know")}),
            criterion_ids=self.criterion_ids,
            nonresponse=nonresponse,
        )


@dataclass(frozen=True, eq=False)
class _Cleaning(CleaningTables):
    """A cleaned export held whole, its rows' tables built range by range from the plan."""

    plan: _RowPlan
    notes_before_extras: int = 0
    batch_keys: dict[str, np.ndarray | None] | None = None
    recoded_columns: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.plan.rows)

    @property
    def kept_rows(self) -> int:
        return int(self.plan.keep.sum())

    def parts(self, chunk_rows: int | None = None):
        """(responses, issues, non-answers) per range of ``chunk_rows`` rows (all rows at once when None); the
        issues of the whole file (``row`` missing: header and mapping problems) come with the first part."""
        step = max(self.rows, 1) if chunk_rows is None else int(chunk_rows)
        if step < 1:
            raise ValueError(f"chunk_rows must be at least 1, not {chunk_rows}")
        for start in range(0, max(self.rows, 1), step):
            responses, issues, nonresponse = self.plan.part(start, min(start + step, self.rows))
            if start == 0:
                issues = _concat_issues([*self.head_issues, issues])
            yield responses, issues, nonresponse


def _concat_frames(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Row-wise concatenation that keeps the columns' types when some parts are empty."""
    filled = [f for f in frames if len(f)]
    if len(filled) == 1:
        return filled[0].reset_index(drop=True)
    if not filled:
        return frames[0].reset_index(drop=True)
    return pd.concat(filled, ignore_index=True)


def _concat_issues(frames: list[pd.DataFrame]) -> pd.DataFrame:
    issues = _concat_frames(frames)
    if not len(issues):
        issues = _empty_issues()
    issues["row"] = issues["row"].astype("Int64")
    return issues


def _size_from_employees(
    size: np.ndarray, need: np.ndarray, employees: np.ndarray, sector: np.ndarray | None
) -> np.ndarray:
    """Fill ``size`` at ``need`` from the number of employees (and the row's sector), once per distinct pair;
    return the positions whose class stays undecided."""
    counts = np.array([float(employees[i]) for i in need], dtype=float)
    sections = np.full(len(need), "", dtype=object)
    if sector is not None:
        chosen = sector[need]
        sections = np.array([s if isinstance(s, str) and len(s) == 1 else "" for s in chosen], dtype=object)
    pairs = pd.MultiIndex.from_arrays([counts, sections])
    pair_codes, distinct = pd.factorize(pairs)
    classes = np.array([size_from_employees(count, section or None) for count, section in distinct] + [None])
    size[need] = classes[pair_codes]
    return need[pd.isna(size[need])]


def _duplicate_keys(
    chosen: np.ndarray, identity: np.ndarray, respondent: np.ndarray | None, waves: object, stamps: object
) -> pd.DataFrame:
    """The key index of duplicate detection: for each row still in (``chosen``) with an identity, its position,
    stamp and the integer codes of (identity, respondent, wave) — small numbers, not the rows' text."""
    positions = np.flatnonzero(chosen)

    def codes(values: object) -> np.ndarray:
        if values is None:
            return np.zeros(len(positions), dtype=np.int64)
        if isinstance(values, np.ndarray) and values.dtype.kind == "i":
            return values[positions]
        picked = pd.Series(np.asarray(values, dtype=object)[positions], dtype=object).fillna("")
        return pd.factorize(picked)[0].astype(np.int64)

    return pd.DataFrame(
        {
            "pos": positions,
            "identity": codes(identity),
            "wave": codes(waves),
            "respondent": codes(respondent),
            "stamp": (
                np.asarray(stamps)[positions]
                if stamps is not None
                else np.full(len(positions), np.datetime64("NaT"), dtype="datetime64[ns]")
            ),
        }
    )


def check_duplicates_policy(duplicates: object) -> None:
    if duplicates not in DUPLICATE_POLICIES:
        raise ValueError(f"duplicates must be one of {', '.join(map(repr, DUPLICATE_POLICIES))}, not {duplicates!r}")


def head_issues(raw: RawExport, mapping: Mapping) -> list[pd.DataFrame]:
    """The issues of the whole file (``row`` missing or a header row): reading's and the mapping's."""
    head = [raw.issues]
    if mapping.missing:
        head.append(
            pd.DataFrame(
                {
                    "row": pd.array([pd.NA] * len(mapping.missing), dtype="Int64"),
                    "column": list(mapping.missing),
                    "value": "",
                    "problem": "column named in the mapping file is not in the export",
                    "action": "ignored",
                },
                columns=ISSUE_COLUMNS,
            )
        )
    return head


def _find_duplicates(
    candidates: np.ndarray,
    identity: np.ndarray,
    respondent: np.ndarray | None,
    waves: object,
    stamps: object,
    policy: str,
) -> tuple[np.ndarray, np.ndarray] | None:
    """(positions of the rows in a group of repeated submissions, the position each group keeps), or None."""
    chosen = candidates & (identity >= 0)
    # Only an identity met twice can make a group: the key index is built for those rows alone.
    seen = np.bincount(identity[chosen], minlength=int(identity.max(initial=0)) + 1)
    chosen &= seen[np.clip(identity, 0, None)] > 1
    order = _duplicate_keys(chosen, identity, respondent, waves, stamps)
    order = order.sort_values(["stamp", "pos"], na_position="first", kind="stable")
    groups = order.groupby(["identity", "respondent", "wave"], sort=False)["pos"]
    repeated = groups.transform("size").to_numpy() > 1
    if not repeated.any():
        return None
    kept = groups.transform("last") if policy == "latest" else groups.transform("first")
    return order["pos"].to_numpy()[repeated], kept.to_numpy()[repeated]


def duplicate_actions(
    positions: np.ndarray, kept_for: np.ndarray, policy: str, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(positions, actions) of the issues about repeated submissions found by :func:`_find_duplicates`: every
    one of them with ``keep-all``, else those quarantined (naming the row kept)."""
    positions, kept_rows = duplicate_issue_rows(positions, kept_for, policy, rows)
    return positions, duplicate_action_texts(kept_rows, policy, len(positions))


def duplicate_issue_rows(
    positions: np.ndarray, kept_for: np.ndarray, policy: str, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """(positions with an issue, the sheet row kept for each, None with ``keep-all``)."""
    if policy == "keep-all":
        return positions, None
    others = positions != kept_for
    return positions[others], rows[kept_for[others]]


def duplicate_action_texts(kept_rows: np.ndarray | None, policy: str, n: int) -> np.ndarray:
    """The action of each duplicate issue: the row kept, or kept as well (``keep-all``)."""
    if kept_rows is None:
        return np.full(n, "kept (duplicates='keep-all')", dtype=object)
    return np.array([f"{QUARANTINED}; kept row {r} ({policy})" for r in kept_rows], dtype=object)


def duplicate_problem(by_enterprise: bool) -> str:
    return DUPLICATE if by_enterprise else DUPLICATE_RESPONDENT


def duplicates_note(policy: str, by_enterprise: bool) -> str:
    if by_enterprise:
        return f"duplicates: kept the {policy} submission per enterprise and wave"
    return tr("ingest_semantics.note_duplicates_respondent", "en", policy=policy)


def _hashed_codes(part: tuple[np.ndarray | None, list] | None) -> np.ndarray | None:
    """Per row, a 64-bit hash of its key (0: none), comparable across batches."""
    if part is None or part[0] is None:
        return None
    codes, keys = part
    return np.append(hashed(keys), np.uint64(0))[codes]


def _batch_keys(
    candidates: np.ndarray,
    identity_parts: tuple | None,
    respondent_found: tuple[np.ndarray, list] | None,
    waves: object,
    stamps: object,
) -> dict[str, np.ndarray | None]:
    """What duplicate detection needs of a batch's rows, as hashes of their keys (never their text)."""
    parts = identity_parts or (_NO_KEYS, _NO_KEYS, _NO_KEYS)
    wave_hashes = None
    if waves is not None:
        wave_codes, wave_texts = pd.factorize(pd.Series(np.asarray(waves, dtype=object)).fillna(""))
        wave_hashes = hashed(list(wave_texts))[wave_codes]
    return {
        "candidate": np.asarray(candidates, dtype=bool),
        "id": _hashed_codes(parts[0]),
        "name": _hashed_codes(parts[1]),
        "email": _hashed_codes(parts[2]),
        "respondent": _hashed_codes(respondent_found),
        "wave": wave_hashes,
        "stamp": None if stamps is None else np.asarray(stamps, dtype="datetime64[ns]"),
    }


def _global_codes(hashes: list[np.ndarray | None]) -> tuple[np.ndarray | None, int]:
    """Batches' key hashes as codes over the whole file (-1: none) and how many keys there are."""
    if hashes[0] is None:
        return None, 0
    joined = np.concatenate(hashes)  # type: ignore[arg-type]
    named = joined != 0
    codes = np.full(len(joined), -1, dtype=np.int64)
    found, keys = pd.factorize(joined[named])
    codes[named] = found
    return codes, len(keys)


def batch_duplicates(batches: list[dict[str, np.ndarray | None]], policy: str) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_find_duplicates` over every batch of a file: (positions in the whole file, position kept)."""
    if not batches or all(batches[0][k] is None for k in ("id", "name", "email")):
        return None
    ids, id_count = _global_codes([b["id"] for b in batches])
    names, name_count = _global_codes([b["name"] for b in batches])
    emails, _ = _global_codes([b["email"] for b in batches])
    identity = _combine_identity(ids, id_count, names, name_count, emails)
    respondent, _ = _global_codes([b["respondent"] for b in batches])
    waves, _ = _global_codes([b["wave"] for b in batches])
    stamps = None if batches[0]["stamp"] is None else np.concatenate([b["stamp"] for b in batches])  # type: ignore[misc]
    candidates = np.concatenate([b["candidate"] for b in batches])  # type: ignore[misc]
    return _find_duplicates(candidates, identity, respondent, waves, stamps, policy)


def _row_ids(rows: np.ndarray) -> np.ndarray:
    """ "R" and the sheet row number, at least six digits ("R000042"), for exports without a response id."""
    numbers = np.asarray(rows, dtype=np.int64)
    if not len(numbers):
        return np.empty(0, dtype=object)
    return np.char.add("R", np.char.zfill(numbers.astype(str), 6)).astype(object)


def _respondent_key(out: dict, n: int) -> np.ndarray | None:
    """Who answered each row, for telling a second respondent of one enterprise from a re-submission: the
    first of respondent code, e-mail address, name and role the row has (case and tone marks ignored).
    None when the export has none of these columns."""
    present = [name for name in RESPONDENT_FIELDS if name in out]
    if not present:
        return None
    keys = np.full(n, "", dtype=object)
    for name in reversed(present):  # the best field is applied last, so it wins
        values = np.asarray(out[name], dtype=object)
        if name == "email":
            values = np.array([v if isinstance(v, str) and "@" in v else None for v in values], dtype=object)
        folded = _folded(values, name + ":")
        keys = np.where(pd.notna(folded) & (values != ""), folded, keys)
    return keys


def _respondent_codes(out: dict, n: int) -> np.ndarray | None:
    """:func:`_respondent_key` as integer codes (-1: nobody named), equal exactly where the keys are equal."""
    found = _respondent_codes_keys(out, n)
    return None if found is None else found[0]


def _respondent_codes_keys(out: dict, n: int) -> tuple[np.ndarray, list] | None:
    """(:func:`_respondent_codes`, the key each code stands for)."""
    present = [name for name in RESPONDENT_FIELDS if name in out]
    if not present:
        return None
    codes = np.full(n, -1, dtype=np.int64)
    all_keys: list = []
    for name in reversed(present):  # the best field is applied last, so it wins
        values = np.asarray(out[name], dtype=object)
        if name == "email":
            values = np.array([v if isinstance(v, str) and "@" in v else None for v in values], dtype=object)
        found, keys = _folded_codes(values, name + ":")
        codes = np.where((found >= 0) & (values != ""), found + len(all_keys), codes)
        all_keys += keys
    return codes, all_keys


def _size_column(series: pd.Series, column: str, sector: np.ndarray | None, collector: _Collector) -> np.ndarray:
    """Size per (value, sector) pair: numbers are classed with the row's sector limits."""
    codes, uniques = _by_value(series)
    if sector is None:
        return _recode_column(series, column, size_class, collector, field_name="size")
    sections = np.array([s if isinstance(s, str) and len(s) == 1 else "" for s in sector], dtype=object)
    pair = pd.Series(codes.astype(str), dtype=object) + "|" + pd.Series(sections, dtype=object)
    pair_codes, pair_uniques = pd.factorize(pair)
    results = []
    values_per_pair = []
    for key in pair_uniques:
        code, section = key.split("|", 1)
        code = int(code)
        results.append(size_class(uniques[code], section or None) if code >= 0 else Recode(None, "blank"))
        values_per_pair.append(uniques[code] if code >= 0 else None)
    values = _expand([None if r.status == "unknown" else r.value for r in results], pair_codes)
    status = _expand([r.status for r in results], pair_codes)
    notes = _expand([r.note for r in results], pair_codes)
    raw = _expand(values_per_pair, pair_codes)
    unknown = np.flatnonzero(status == "unknown")
    collector.cell_issues(unknown, column, raw[unknown], UNRECOGNISED, _unrecognised_notes("size", notes[unknown]))
    invalid = np.flatnonzero(status == "invalid")
    collector.cell_issues(invalid, column, raw[invalid], notes[invalid], "set to <NA>")
    # One recode line per spelling (the first sector's result stands for it).
    seen = {}
    for result, value in zip(results, values_per_pair):
        if value is not None and value not in seen:
            seen[value] = result
    collector.recode(column, codes, uniques, [seen.get(u, Recode(u, "same")) for u in uniques])
    return values


def _weight_column(series: pd.Series, column: str, collector: _Collector) -> np.ndarray:
    def weight(value: object) -> Recode:
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            return Recode(None, "invalid", "not a number")
        if not np.isfinite(number) or number < 0:
            return Recode(None, "invalid", "a weight must be a non-negative number")
        return Recode(number, "same")

    values = _recode_column(series, column, weight, collector)
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _folded(values: np.ndarray, prefix: str, *, fold_text: bool = True) -> np.ndarray:
    codes, keys = _folded_codes(values, prefix, fold_text=fold_text)
    return _expand(keys, codes)


def _folded_codes(values: np.ndarray, prefix: str, *, fold_text: bool = True) -> tuple[np.ndarray, list]:
    """(code per row with -1 for missing, distinct keys): the keys of :func:`_folded`, each once."""
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    if fold_text:
        keys = [prefix + key for key in _fast_keys(uniques.to_list())]
    else:  # ids and e-mail addresses: case only, vectorised
        keys = (prefix + pd.Series([str(u) for u in uniques], dtype="str").str.strip().str.lower()).to_list()
    key_codes, distinct = pd.factorize(pd.Series(keys, dtype=object))  # two spellings can share one key
    return np.append(key_codes.astype(np.int64), -1)[codes], distinct.to_list()


def _borrowed_ids(name_codes: np.ndarray, id_codes: np.ndarray, id_count: int) -> np.ndarray:
    """Per name code, the one id code that rows with that name carry, or -1 (none, or several)."""
    both = (name_codes >= 0) & (id_codes >= 0)
    pairs = np.unique(name_codes[both] * (id_count + 1) + id_codes[both])
    pair_names, pair_ids = pairs // (id_count + 1), pairs % (id_count + 1)
    per_name = np.bincount(pair_names, minlength=int(name_codes.max(initial=-1)) + 1)
    borrowed = np.full(len(per_name) + 1, -1, dtype=np.int64)  # the extra slot answers code -1
    single = per_name[pair_names] == 1
    borrowed[pair_names[single]] = pair_ids[single]
    return borrowed


def _identity(ids: np.ndarray | None, names: np.ndarray | None, emails: np.ndarray | None) -> np.ndarray | None:
    """Who submitted each row, for finding repeated submissions.

    The enterprise id (tax code); a row without one takes the id that other rows with the same name carry
    (when they agree on one), else the name; then the e-mail address. Case and tone marks are ignored.
    None when the export has none of these columns.
    """
    if ids is None and names is None and emails is None:
        return None
    n = len(next(a for a in (ids, names, emails) if a is not None))
    keys = np.full(n, None, dtype=object)
    if ids is not None:
        id_codes, id_texts = _folded_codes(ids, "id:", fold_text=False)
        keys = _expand(id_texts, id_codes)
    if names is not None:
        name_codes, name_texts = _folded_codes(names, "name:")
        name_keys = _expand(name_texts, name_codes)
        if ids is not None:
            borrowed = _expand(id_texts, _borrowed_ids(name_codes, id_codes, len(id_texts))[name_codes])
            keys = np.where(pd.isna(keys), borrowed, keys)
        keys = np.where(pd.isna(keys), name_keys, keys)
    if emails is not None:
        # Only real addresses identify someone: Microsoft Forms writes "anonymous" for every anonymous answer.
        addresses = np.array([e if isinstance(e, str) and "@" in e else None for e in emails], dtype=object)
        keys = np.where(pd.isna(keys), _folded(addresses, "email:", fold_text=False), keys)
    return keys


def _identity_codes(ids: np.ndarray | None, names: np.ndarray | None, emails: np.ndarray | None) -> np.ndarray | None:
    """:func:`_identity` as integer codes (-1: none): rows share a code exactly when they share a key, and no
    row ever holds the key's text, so that a million rows cost eight bytes each."""
    parts = _identity_parts(ids, names, emails)
    return None if parts is None else _identity_of(parts)


def _identity_of(parts: tuple[tuple[np.ndarray | None, list], ...]) -> np.ndarray:
    """:func:`_combine_identity` of the parts :func:`_identity_parts` gives."""
    (id_codes, id_keys), (name_codes, name_keys), (email_codes, _) = parts
    return _combine_identity(id_codes, len(id_keys), name_codes, len(name_keys), email_codes)


_NO_KEYS: tuple[np.ndarray | None, list] = (None, [])


def _identity_parts(
    ids: np.ndarray | None, names: np.ndarray | None, emails: np.ndarray | None
) -> tuple[tuple[np.ndarray | None, list], ...] | None:
    """(codes, keys) of the enterprise ids, names and e-mail addresses (``(None, [])`` for a column the export
    does not have), each in its own key space; None when it has none of them."""
    if ids is None and names is None and emails is None:
        return None
    id_part = _folded_codes(ids, "id:", fold_text=False) if ids is not None else _NO_KEYS
    name_part = _folded_codes(names, "name:") if names is not None else _NO_KEYS
    email_part = _NO_KEYS
    if emails is not None:
        addresses = np.array([e if isinstance(e, str) and "@" in e else None for e in emails], dtype=object)
        email_part = _folded_codes(addresses, "email:", fold_text=False)
    return id_part, name_part, email_part


def _combine_identity(
    id_codes: np.ndarray | None,
    id_count: int,
    name_codes: np.ndarray | None,
    name_count: int,
    email_codes: np.ndarray | None,
) -> np.ndarray:
    """Who submitted each row as one code (see :func:`_identity`), from the codes of ids, names and e-mail
    addresses: the id, else the id other rows with the same name carry, else the name, else the address."""
    n = len(next(a for a in (id_codes, name_codes, email_codes) if a is not None))
    codes = np.full(n, -1, dtype=np.int64) if id_codes is None else id_codes.copy()
    offset = id_count
    if name_codes is not None:
        if id_codes is not None:
            borrowed = _borrowed_ids(name_codes, id_codes, id_count)[name_codes]
            codes = np.where(codes < 0, borrowed, codes)
        codes = np.where((codes < 0) & (name_codes >= 0), name_codes + offset, codes)
        offset += name_count
    if email_codes is not None:
        codes = np.where((codes < 0) & (email_codes >= 0), email_codes + offset, codes)
    return codes


def _extra_column(
    series: pd.Series,
    name: str,
    collector: _Collector,
    dayfirst: bool | None,
    notes: list[str],
    decisions: ColumnDecisions,
) -> object:
    if str(series.dtype) == "boolean":
        return series.array
    codes, uniques = _by_value(series)
    kind = decisions.extras.get(name) or extra_kind(extra_features(uniques))
    if kind == "date":
        return _datetime_column(series, name, dayfirst, collector, notes, decisions.dates.get(name))
    if uniques and all(
        isinstance(u, (int, float, np.integer, np.floating)) and not isinstance(u, bool) for u in uniques
    ):
        return pd.to_numeric(pd.Series(_expand(uniques, codes)), errors="coerce").to_numpy()
    if kind in ("integer", "decimal"):
        numbers = plain_numbers(uniques) or []
        return pd.array(
            _expand(numbers, codes, missing=pd.NA).tolist(), dtype="Int64" if kind == "integer" else "Float64"
        )
    return _text_column(series)


def _free_name(name: str, taken: dict, notes: list[str]) -> str:
    """``name``, or ``name (source)``, ``name (source 2)``… when a column of that name is already there."""
    if name not in taken:
        return name
    target, k = f"{name} (source)", 1
    while target in taken:
        k += 1
        target = f"{name} (source {k})"
    notes.append(f"extra column {name!r} renamed {target!r}: the name was already taken")
    return target


def _extra_values(
    out: dict,
    levels: dict[str, np.ndarray],
    rubric: Rubric,
    frame: pd.DataFrame,
    mapping: Mapping,
    rows: np.ndarray,
    keep_unmapped: bool,
    raw: RawExport,
    collector: _Collector,
    notes: list[str],
    decisions: ColumnDecisions,
) -> list[tuple[str, object]]:
    """(name in responses, values of every row) of each unmapped column kept as an extra column."""
    if not keep_unmapped:
        return []
    taken: dict = dict.fromkeys(_assemble(out, levels, rubric, rows, np.empty(0, dtype=np.int64), []).columns)
    extras = []
    for name in mapping.extras:
        target = _free_name(name, taken, notes)
        taken[target] = None
        extras.append((target, _extra_column(frame[name], name, collector, raw.dayfirst, notes, decisions)))
    return extras


def _assemble(
    out: dict,
    levels: dict[str, np.ndarray],
    rubric: Rubric,
    rows: np.ndarray,
    keep: np.ndarray,
    extras: list[tuple[str, object]],
) -> pd.DataFrame:
    """The responses of the rows at positions ``keep``."""
    n_keep = len(keep)
    data: dict[str, object] = {}
    for name in CORE_COLUMNS:
        if name == "submitted_at":
            values = out.get(name)
            data[name] = (
                pd.Series(values[keep], dtype="datetime64[ns]")
                if values is not None
                else pd.Series(np.full(n_keep, np.datetime64("NaT"), dtype="datetime64[ns]"))
            )
            data[name] = data[name].astype(_TIME)
        elif name == "weight":
            values = out.get(name)
            data[name] = pd.Series(values[keep] if values is not None else np.ones(n_keep), dtype=float)
        elif name == "size":
            # Ordered, so statistics treat size classes as ordered groups (linear-by-linear, Jonckheere).
            values = out.get(name)
            kept = values[keep] if values is not None else np.full(n_keep, None, dtype=object)
            data[name] = pd.Series(pd.Categorical(kept, categories=list(SIZE_CLASSES), ordered=True))
        else:
            values = out.get(name)
            data[name] = pd.Series(
                values[keep] if values is not None else np.full(n_keep, None, dtype=object), dtype="str"
            )
    for name in (*RAW_COLUMNS.values(), "respondent_id"):
        if name in out:
            data[name] = pd.Series(np.asarray(out[name], dtype=object)[keep], dtype="str")
    for name in OPTIONAL_COLUMNS:
        if name == "source_row":
            data[name] = pd.Series(rows[keep], dtype="int64")
        elif name in out:
            values = out[name]
            if name == "started_at":
                data[name] = pd.Series(values[keep], dtype="datetime64[ns]").astype(_TIME)
            elif name == "employees":
                data[name] = pd.Series(values[keep], dtype="Int64")
            else:
                data[name] = pd.Series(values[keep], dtype="str")
    for cid in rubric.criterion_ids:
        found = levels.get(cid)
        if found is None:
            data[cid] = pd.Series(pd.array([pd.NA] * n_keep, dtype="Int8"))
        else:
            kept = found[keep]
            column = pd.array(np.where(kept > 0, kept, 0).astype(np.int8), dtype="Int8")
            column[kept <= 0] = pd.NA
            data[cid] = pd.Series(column)
    for target, values in extras:
        column = pd.Series(values[keep])  # type: ignore[index]
        if column.dtype.kind == "M":
            column = column.astype(_TIME)
        elif column.dtype == object:
            column = column.astype("str")
        data[target] = column
    responses = pd.DataFrame(data)
    responses.index = pd.RangeIndex(len(responses))
    return responses
