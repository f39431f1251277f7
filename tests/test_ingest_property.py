"""Property: whatever export a user brings, every data row ends exactly once in ``responses`` or in the
quarantine, under the row number the file shows, and nothing raises but a ValueError naming the file.

Hypothesis writes exports in every supported shape (Google Forms vi/en, Microsoft Forms XLSX, Qualtrics new and
legacy, SurveyMonkey, KoboToolbox, plain CSV and XLSX) with junk text (quotes, line breaks, NUL, delimiters,
``{"ImportId"`` and ``Response`` cells, formula-like text), ragged rows, every supported encoding and delimiter,
byte-order marks, header-like data rows, an unbalanced quote, title rows above the header, cover and notes
sheets, formulas without saved results, date serials out of range, and ``header_rows`` forced past the real
header (the data rows read as header rows must each be an issue ``header_row_consumed``). Each data row carries a marker
(``MK0007``) so that the test can tell where it went.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dxlab
from dxlab.ingest import _prepare, issue_code

from .conftest import criterion, rubric_dict, write_rubric

CRITERIA = ("D.G.1", "D.G.2", "D.G.3")
EXAMPLES = int(os.environ.get("DXLAB_PROPERTY_EXAMPLES", "120"))
SLOW_EXAMPLES = int(os.environ.get("DXLAB_PROPERTY_SLOW_EXAMPLES", "600"))

_JUNK = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạ ,;\t\"'\n\r\x00{}:=+-@#/Ω😀" + "AĐƯ0123456789")
_JUNK_PIECES = ('{"ImportId":"QID1"}', "Response", "Open-Ended Response", "=1+2", "@SUM(A1)", "D.G.1", "zz_marker",
                "Mức 3", "Dẫn dắt", "N/A", "\ufeff", '"', '""', "\r\n", "Timestamp", "_uuid")
LEVELS = ("Mức 1", "2", "Hình thành", "Mức 4 - Nâng cao", "5", "(3) Hình thành")
SHAPES = ("google-vi", "google-en", "ms-forms-xlsx", "qualtrics", "qualtrics-legacy", "surveymonkey", "kobo-csv",
          "kobo-xlsx", "plain-csv", "plain-xlsx")
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1258", "cp1252")


@functools.lru_cache(maxsize=1)
def _rubric():
    crits = [criterion(c) for c in CRITERIA]
    dims = [{"id": "D", "pillar": "customer", "title": {"vi": "Khách hàng", "en": "Customer"},
             "groups": [{"id": "D.G", "title": {"vi": "Nhóm", "en": "Group"}, "criteria": crits}]}]
    folder = Path(tempfile.mkdtemp(prefix="dxlab-prop-"))
    return dxlab.load_rubric(write_rubric(folder, rubric_dict(dims, "prop-rubric")))


@dataclass
class Export:
    """A generated export: its header rows, data rows and what to expect."""

    shape: str
    header: list[list[object]]
    rows: list[list[object]]
    markers: list[str]
    titles: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str = ","
    bad_quote_row: int | None = None  # data row whose free-text cell opens a quote never closed
    cover_sheet: bool = False
    notes_sheet: bool = False
    extra_header_rows: int | None = None  # --header-rows this many rows past the real header (data rows consumed)

    @property
    def header_rows(self) -> int | None:
        if self.extra_header_rows is None:
            return None
        return len(self.titles) + len(self.header) + self.extra_header_rows


def _header(shape: str) -> list[list[object]]:
    common: list[object] = ["Tên doanh nghiệp", *CRITERIA, "zz_marker", "Ý kiến khác"]
    if shape == "google-vi":
        return [["Dấu thời gian", *common]]
    if shape == "google-en":
        return [["Timestamp", *common]]
    if shape == "ms-forms-xlsx":
        return [["ID", "Start time", "Completion time", "Email", "Name", *common]]
    if shape == "qualtrics":
        tags = ["StartDate", "EndDate", "Status", "ResponseId", "Q1", *CRITERIA, "zz_marker", "Q9"]
        texts = ["Start Date", "End Date", "Response Type", "Response ID", "Tên doanh nghiệp", *CRITERIA,
                 "zz_marker", "Ý kiến khác"]
        ids = ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"status"}',
               '{"ImportId":"_recordId"}', '{"ImportId":"QID1_TEXT"}'] + \
            [f'{{"ImportId":"QID{k}"}}' for k in range(2, 2 + len(CRITERIA))] + \
            ['{"ImportId":"QID8_TEXT"}', '{"ImportId":"QID9_TEXT"}']
        return [list[object](tags), list[object](texts), list[object](ids)]
    if shape == "qualtrics-legacy":
        return [["V1", "V2", "V3", "Q1", *CRITERIA, "zz_marker", "Q9"],
                ["ResponseID", "ResponseSet", "StartDate", "Tên doanh nghiệp", *CRITERIA, "zz_marker", "Ý kiến khác"]]
    if shape == "surveymonkey":
        return [["RespondentID", "CollectorID", "Tên doanh nghiệp", *CRITERIA, "zz_marker", "Ý kiến khác"],
                ["", "", "Open-Ended Response", *(["Response"] * len(CRITERIA)), "Open-Ended Response",
                 "Open-Ended Response"]]
    if shape.startswith("kobo"):
        return [["start", "end", "today", "deviceid", *common, "_uuid", "_submission_time"]]
    return [common]


def _meta_cells(shape: str, i: int, date_value: object) -> tuple[list[object], list[object]]:
    """Cells before and after the common ones for data row ``i``."""
    stamp = dt.datetime(2026, 3, 1, 8, 0) + dt.timedelta(minutes=37 * i)
    if shape == "google-vi":
        return [stamp.strftime("%d/%m/%Y %H:%M:%S")], []
    if shape == "google-en":
        return [f"{stamp.month}/{stamp.day}/{stamp.year} {stamp:%H:%M:%S}"], []
    if shape == "ms-forms-xlsx":
        return [i + 1, date_value, stamp, "anonymous", ""], []
    if shape == "qualtrics":
        return [stamp.isoformat(sep=" "), stamp.isoformat(sep=" "), "IP Address", f"R_{i:05d}"], []
    if shape == "qualtrics-legacy":
        return [f"R_{i:05d}", "Default", stamp.isoformat(sep=" ")], []
    if shape == "surveymonkey":
        return [str(10_000 + i), "42"], []
    if shape.startswith("kobo"):
        return [stamp.isoformat(), stamp.isoformat(), stamp.date().isoformat(), "dev"], [f"uuid-{i}", stamp.isoformat()]
    return [], []


@st.composite
def exports(draw) -> Export:
    shape = draw(st.sampled_from(SHAPES))
    xlsx = shape.endswith("xlsx")
    encoding = "utf-8" if xlsx else draw(st.sampled_from(ENCODINGS))
    delimiter = "," if xlsx else draw(st.sampled_from([",", ";", "\t"]))
    n = draw(st.integers(0, 8))

    def text(allow_breaks: bool = True):
        # After an unbalanced quote nothing may need quoting, or its quotes would close the open one.
        alphabet = _JUNK if allow_breaks else "".join(c for c in _JUNK if c not in '\n\r",;\t')
        plain = st.text(alphabet=alphabet, max_size=12)
        pieces = st.sampled_from(_JUNK_PIECES if allow_breaks else ("Response", "D.G.1", "=1+2", "N/A"))
        return st.lists(st.one_of(plain, pieces), max_size=3).map("".join)

    bad_quote_row = draw(st.one_of(st.none(), st.integers(0, n - 1))) if n and not xlsx else None
    header = _header(shape)
    rows, markers = [], []
    for i in range(n):
        after_bad = bad_quote_row is not None and i >= bad_quote_row
        marker = f"MK{i:04d}"
        odd_date = draw(st.sampled_from([None, 357932.5, 9_999_999, -5])) if xlsx else None
        before, after = _meta_cells(shape, i, odd_date)
        answers = [draw(st.one_of(st.sampled_from(LEVELS), text(not after_bad), st.just(""),
                                  st.just("=1+2") if xlsx else st.just("9"))) for _ in CRITERIA]
        name = draw(st.one_of(st.sampled_from(["Công ty An Bình", "Test", "công ty an bình"]), text(not after_bad)))
        free = draw(text(not after_bad))
        if draw(st.integers(0, 9)) == 0:  # a data row that repeats the header
            row: list[object] = list(next(h for h in header if "zz_marker" in h))
            row[row.index("zz_marker")] = marker
        else:
            row = [*before, name, *answers, marker, free, *after]
        if draw(st.integers(0, 4)) == 0:  # ragged: cut after the marker, or add cells
            cut = row.index(marker) + 1
            row = row[:draw(st.integers(cut, len(row)))] + draw(st.lists(text(not after_bad), max_size=2))
        rows.append(row)
        markers.append(marker)
    titles = draw(st.lists(st.sampled_from(["Kết quả khảo sát 2024", "", "Survey results"]), max_size=2)) \
        if shape in ("plain-csv", "plain-xlsx", "ms-forms-xlsx") else []
    extra = draw(st.one_of(st.none(), st.none(), st.integers(1, 2))) if n else None
    return Export(shape=shape, header=header, rows=rows, markers=markers, titles=titles, encoding=encoding,
                  delimiter=delimiter, bad_quote_row=bad_quote_row, cover_sheet=xlsx and draw(st.booleans()),
                  notes_sheet=xlsx and draw(st.booleans()), extra_header_rows=extra)


def _quote(value: object, delimiter: str) -> str:
    text = "" if value is None else str(value)
    if any(c in text for c in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


_BREAKS = re.compile(r"\r\n|\r|\n")


def _write_csv(export: Export, path: Path) -> tuple[list[int], int | None]:
    """Write the CSV; return each data row's record number and the line of the unbalanced quote."""
    d = export.delimiter
    lines = [t for t in export.titles] + [d.join(_quote(v, d) for v in h) for h in export.header]
    record = len(lines)
    numbers, quote_line = [], None
    for i, row in enumerate(export.rows):
        cells = [_quote(v, d) for v in row]
        if i == export.bad_quote_row:  # the line's last cell opens a quote that nothing closes
            at = row.index(export.markers[i]) + 1
            cells = cells[:at] + ['"' + (str(row[at]) if at < len(row) else "unclosed")]
            quote_line = 1 + sum(len(_BREAKS.findall(x)) + 1 for x in lines)
        lines.append(d.join(cells))
        record += 1
        numbers.append(record)
    text = "\r\n".join(lines) + "\r\n"
    if export.encoding in ("cp1252", "cp1258"):
        data = text.encode(export.encoding, errors="replace")
    else:
        data = text.encode(export.encoding)
    path.write_bytes(data)
    return numbers, quote_line


def _xlsx_value(value: object) -> object:
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value


def _write_xlsx(export: Export, path: Path) -> list[int]:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if export.cover_sheet:
        sheet.title = "Bìa"
        sheet["A1"] = "Báo cáo khảo sát"
        sheet = workbook.create_sheet("Dữ liệu")
    else:
        sheet.title = "Dữ liệu"
    for title in export.titles:
        sheet.append([title or None])
    for h in export.header:
        sheet.append(h)
    numbers = []
    for row in export.rows:
        sheet.append([_xlsx_value(v) for v in row])
        numbers.append(sheet.max_row)
        for cell in sheet[sheet.max_row]:
            number = isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
            if number and cell.column == 2:  # Start time
                cell.number_format = "yyyy-mm-dd"
    if export.notes_sheet:
        workbook.create_sheet("Ghi chú").append(["Ghi chú", "Dữ liệu giả lập"])
    workbook.save(path)
    return numbers


def _check(export: Export) -> None:
    rubric = _rubric()
    with tempfile.TemporaryDirectory() as folder:
        suffix = ".xlsx" if export.shape.endswith("xlsx") else ".csv"
        path = Path(folder) / f"export{suffix}"
        if suffix == ".xlsx":
            numbers, quote_line = _write_xlsx(export, path), None
        else:
            numbers, quote_line = _write_csv(export, path)
        try:
            forced = export.header_rows is not None
            prepared = _prepare(path, rubric, header_rows=export.header_rows, allow_partial=forced)
        except ValueError as exc:
            assert str(path) in str(exc) or path.name in str(exc), f"ValueError without the file name: {exc}"
            return
    result = prepared.result(None)
    chunked = prepared.result(3)  # tables built 3 rows at a time: the same tables
    for name in ("responses", "issues", "nonresponse", "recodes"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(chunked, name))
    assert result.notes == chunked.notes
    kept = [int(r) for r in result.responses["source_row"]]
    quarantined = [int(r) for r in result.quarantined["row"]]
    codes = result.issues["problem"].map(issue_code)
    consumed = [int(r) for r in result.issues.loc[codes == "header_row_consumed", "row"]]
    assert len(kept) == len(set(kept)), "a row kept twice"
    assert len(quarantined) == len(set(quarantined)), "a row quarantined twice"
    assert not set(kept) & set(quarantined), "a row both kept and quarantined"
    assert not (set(kept) | set(quarantined)) & set(consumed), "a row both read as a header and as data"
    expected_consumed = set(numbers[:export.extra_header_rows or 0])
    assert expected_consumed <= set(consumed), "a data row read as a header without an issue"
    assert set(kept) | set(quarantined) | (set(consumed) & set(numbers)) == set(numbers), \
        (sorted(set(kept) | set(quarantined)), consumed, numbers)
    by_row = dict(zip(numbers, export.markers))
    for _, response in result.responses.iterrows():
        values = {str(v) for v in response.tolist()}
        assert by_row[int(response["source_row"])] in values, "a kept row carries another row's marker"
    if export.bad_quote_row is not None:
        broken = set(numbers[export.bad_quote_row:])
        problems = result.quarantined.set_index("row")["problem"]
        for row in broken - set(consumed):
            assert problems[row] == f"unbalanced quote from line {quote_line}"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(export=exports())
def test_every_data_row_is_kept_or_quarantined_once(export):
    _check(export)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export=exports())
def test_every_data_row_is_kept_or_quarantined_once_many(export):
    _check(export)
