"""Reading real exports (../shared/fixtures/real-exports) and the Vietnamese fixtures (tests/fixtures_vi).

Row counts are checked against Python's csv module reading the same bytes (an independent reader), dates
against the text in the file, read by hand.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

import dxlab
from dxlab.ingest import SourceInfo, read_raw
from dxlab.ingest import read_export as _read_export

# These exports answer other surveys (or a few of the rubric's questions): reading them is the point here.
read_export = functools.partial(_read_export, allow_partial=True)

HERE = Path(__file__).resolve().parent
VI = HERE / "fixtures_vi"


def _records(path: Path, encoding: str, delimiter: str = ",") -> list[list[str]]:
    text = path.read_bytes().decode(encoding)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter))


@pytest.fixture(scope="module")
def rubric():
    return dxlab.load_rubric("mobifone-dx")


@pytest.fixture(scope="module")
def exports(shared_fixtures) -> Path:
    return shared_fixtures / "real-exports"


@pytest.fixture(scope="module")
def made():
    spec = importlib.util.spec_from_file_location("make_fixtures", VI / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source_of(result) -> SourceInfo:
    assert result.source is not None
    return result.source


# -- real exports, one test per file ---------------------------------------------------------------------
def test_google_forms_autistica(exports, rubric):
    path = exports / "google-forms" / "autistica_turing_google_form_responses.csv"
    records = _records(path, "utf-8")
    result = read_export(path, rubric)
    assert source_of(result).format == "google-forms"
    assert source_of(result).rows_read == len(records) - 1 == 42
    # No enterprise identity in this form, so repeated submissions are kept; nothing is quarantined.
    assert len(result.responses) == 42 and result.quarantined.empty
    first = result.responses.iloc[0]
    assert first["submitted_at"] == pd.Timestamp("2019-08-21 13:10:31")  # "8/21/2019 13:10:31", month first
    assert first["source_row"] == 2
    assert result.mapping.metadata == {"submitted_at": "Timestamp"}
    assert len(result.mapping.unmapped) == 4
    q2 = "Q2: Do you have a personal connection to autism?"
    assert list(result.responses[q2]) == [r[3] for r in records[1:]]  # literal "NA" stays text
    q1 = result.responses.columns[result.responses.columns.str.startswith("Q1:")][0]
    assert result.responses[q1].str.contains("\n").any()  # a line break inside an answer survived


def test_kobo_raw_data(exports, rubric):
    path = exports / "kobo" / "cleaningtools_raw_data.csv"
    records = _records(path, "utf-8")
    raw = read_raw(path)
    assert raw.format == "kobo"
    assert raw.frame.shape == (len(records) - 1, len(records[0])) == (632, 348)
    names = [c.name for c in raw.columns]
    assert names[0] == "start" and "_uuid" in names and "_submission_time" in names
    options = [c for c in raw.columns if c.parent == "primary_livelihood"]
    assert len(options) == sum(h.startswith("primary_livelihood.") for h in records[0])
    assert str(raw.frame["primary_livelihood.loans"].dtype) == "boolean"
    result = read_export(path, rubric)
    assert len(result.responses) == 632
    # "2021-07-05T10:58:34.147+03:00": the wall-clock time written is kept.
    assert result.responses.loc[0, "started_at"] == pd.Timestamp("2021-07-05 10:58:34.147")
    assert result.responses.loc[0, "submitted_at"] == pd.Timestamp("2021-07-05 11:36:41.138")
    assert result.responses["_submission_time"].dtype.kind == "M"
    assert result.responses.loc[0, "_submission_time"] == pd.Timestamp("2021-07-05 09:34:15")
    assert result.responses.loc[0, "primary_livelihood"] == "loans support"  # codes kept as given


def test_kobo_survey_sheet(exports, rubric):
    path = exports / "kobo" / "cleaningtools_survey.csv"
    records = _records(path, "utf-8")
    result = read_export(path, rubric)
    assert source_of(result).format == "plain"
    blank = sum(not any(cell.strip() for cell in r) for r in records[1:])
    assert len(result.responses) + len(result.quarantined) == len(records) - 1
    assert len(result.quarantined) == blank
    assert "label::Arabic (ar)" in result.responses.columns
    arabic = result.responses["label::Arabic (ar)"].dropna()
    assert all(unicodedata.is_normalized("NFC", t) for t in arabic)


def test_kobo_choices_sheet(exports, rubric):
    path = exports / "kobo" / "cleaningtools_choices.csv"
    records = _records(path, "utf-8")
    result = read_export(path, rubric)
    blank_rows = [i + 1 for i, r in enumerate(records) if i and not any(c.strip() for c in r)]
    assert list(result.quarantined["row"]) == blank_rows  # row numbers as a spreadsheet shows them
    assert set(result.quarantined["problem"]) == {"empty row"}
    assert len(result.responses) == len(records) - 1 - len(blank_rows)


def test_qualtrics_three_header_rows(exports, rubric):
    path = exports / "qualtrics" / "qualtRics_sample.csv"
    raw = read_raw(path)
    assert raw.format == "qualtrics" and raw.header_rows == 3
    assert list(raw.rows) == [4]
    q1 = raw.column("Q1")
    assert q1.question == "This is a multiple choice question." and q1.tag == "QID1"
    assert raw.column("EndDate").question == "Enddatum"  # German question texts from row 2
    result = read_export(path, rubric)
    row = result.responses.iloc[0]
    assert row["response_id"] == "R_2YPOQ602ER1jkf1"
    assert row["started_at"] == pd.Timestamp("2017-07-18 08:28:09")
    assert row["submitted_at"] == pd.Timestamp("2017-07-18 08:28:48")  # RecordedDate
    assert result.responses["EndDate"].iloc[0] == pd.Timestamp("2017-07-18 08:28:48")
    assert "EndDate" in result.mapping.unmapped


def test_qualtrics_legacy(exports, rubric):
    path = exports / "qualtrics" / "qualtRics_sample_legacy.csv"
    raw = read_raw(path)
    assert raw.format == "qualtrics-legacy" and raw.header_rows == 2
    assert raw.encoding == "UTF-8 with BOM"
    names = [c.name for c in raw.columns]
    assert names[:3] == ["ResponseID", "ResponseSet", "Name"] and "Q1" in names
    assert len(names) == 15  # the trailing empty column is dropped …
    assert (raw.issues["action"] == "column dropped").sum() == 1  # … and reported
    result = read_export(path, rubric)
    assert result.responses.loc[0, "response_id"] == "R_2YPOQ602ER1jkf1"
    assert result.responses.loc[0, "started_at"] == pd.Timestamp("2017-07-18 08:28:09")
    assert result.responses.loc[0, "source_row"] == 3


def test_surveymonkey_star_wars_cp1252(exports, rubric):
    path = exports / "surveymonkey" / "fivethirtyeight_StarWars.csv"
    records = _records(path, "cp1252")
    raw = read_raw(path)
    assert raw.format == "surveymonkey" and raw.header_rows == 2
    assert raw.encoding == "Windows-1252"
    assert len(raw.frame) == len(records) - 2 == 1186
    names = [c.name for c in raw.columns]
    assert len(names) == len(set(names)) == 38
    seen = [n for n in names if n.startswith("Which of the following Star Wars films have you seen?")]
    assert len(seen) == 6 and seen[0].endswith("[Star Wars: Episode I  The Phantom Menace]")
    assert any("Œ" in n for n in names)  # the cp1252 byte 0x8C decoded
    result = read_export(path, rubric)
    assert result.responses.loc[0, "response_id"] == records[2][0]


def test_surveymonkey_sleeping_alone_dates(exports, rubric):
    path = exports / "surveymonkey" / "fivethirtyeight_sleeping_alone.csv"
    records = _records(path, "cp1252")
    result = read_export(path, rubric)
    assert len(result.responses) + len(result.quarantined) == len(records) - 2
    assert records[2][0] == "7/10/14 18:37"
    assert result.responses.loc[0, "started_at"] == pd.Timestamp("2014-07-10 18:37")
    assert result.responses["submitted_at"].notna().mean() > 0.99
    other = [c for c in result.responses.columns if c.endswith("[Other (please specify)]")]
    assert other, "option sub-columns keep their option label"


def test_surveymonkey_steak(exports, rubric):
    path = exports / "surveymonkey" / "fivethirtyeight_steak_risk_survey.csv"
    records = _records(path, "utf-8")
    result = read_export(path, rubric)
    assert source_of(result).format == "surveymonkey"
    assert len(result.responses) == len(records) - 2 == 550
    assert pd.isna(result.responses.loc[0, "Do you ever smoke cigarettes?"])  # blank cell → missing
    assert result.responses.loc[1, "How do you like your steak prepared?"] == "Medium rare"
    assert "<br>" in result.responses.columns[result.responses.columns.str.startswith("Consider")][0]


def test_every_real_export_reads(exports, rubric):
    files = sorted(exports.rglob("*.csv"))
    assert len(files) == 9
    for path in files:
        result = read_export(path, rubric)
        assert len(result.responses) + len(result.quarantined) == source_of(result).rows_read, path


# -- Vietnamese fixtures ---------------------------------------------------------------------------------
def test_google_forms_vietnamese_bom(rubric, made):
    result = read_export(VI / "google_forms_vi_bom.csv", rubric)
    assert source_of(result).encoding == "UTF-8 with BOM" and source_of(result).format == "google-forms"
    criteria = result.mapping.criteria
    assert criteria["CUS.ENG.1"] == made.GF_HEADER[7]  # grid "Title [Row]"
    assert criteria["CUS.EXP.2"] == made.GF_HEADER[8]
    assert criteria["CUS.ENG.3"] == made.GF_HEADER[9]  # "3. <text>"
    responses = result.responses.set_index("source_row")
    # All dates are ambiguous (day ≤ 12): Vietnamese Google Forms writes dd/mm/yyyy.
    assert responses.loc[3, "submitted_at"] == pd.Timestamp("2026-02-04 10:00:00")
    assert list(result.quarantined["row"]) == [2]  # the earlier of two submissions by 0101234567
    assert result.quarantined.loc[0, "action"] == "row quarantined; kept row 4 (latest)"
    assert responses.loc[4, "CUS.ENG.1"] == 4 and responses.loc[4, "CUS.ENG.3"] == 3  # "45 %"
    assert responses.loc[3, "Ý kiến khác"] == "Dòng một\nDòng hai"
    assert responses.loc[5, "Ý kiến khác"] == "=1+1"  # free text kept as given …
    assert responses.loc[4, "province"] == "Hồ Chí Minh" and responses.loc[3, "sector"] == "G"
    assert responses.loc[5, "size"] == "micro" and responses.loc[5, "province"] == "Đắk Lắk"
    assert pd.isna(responses.loc[5, "CUS.EXP.2"])
    # "không biết" is a non-answer, not an error: <NA>, listed in nonresponse, no issue.
    assert (result.issues["value"] == "không biết").sum() == 0
    assert result.nonresponse[["row", "criterion", "code"]].values.tolist() == [[5, "CUS.EXP.2", "dont_know"]]


def test_cp1258_combining_tone_marks(rubric, made):
    path = VI / "google_forms_vi_cp1258.csv"
    assert "\u0301".encode("cp1258") in path.read_bytes()  # tone marks are separate bytes in the file
    result = read_export(path, rubric)
    assert source_of(result).encoding.startswith("Windows-1258")
    names = list(result.responses["enterprise_name"])
    assert names == [r[1] for r in made.CP1258_ROWS]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert list(result.responses["province"]) == ["Thừa Thiên Huế", "Đồng Nai", "Quảng Ngãi"]
    assert list(result.responses["CUS.ENG.1"]) == [3, 5, 2]
    assert list(result.responses["CUS.EXP.2"]) == [4, 1, 4]


def test_excel_unicode_text_utf16(rubric):
    result = read_export(VI / "excel_unicode_text_vi.txt", rubric)
    assert source_of(result).encoding == "UTF-16 with BOM"
    responses = result.responses
    assert list(responses["CUS.ENG.1"]) == [2, 3]  # "[CUS.ENG.1] …" header
    assert list(responses["CUS.ENG.3"]) == [1, 3]  # "CUS.ENG.3 - …": 15 → <20 %, 55% → 40–60 %
    assert list(responses["enterprise_id"]) == ["0101234568", "0201234569"]
    restored = result.issues[result.issues["column"] == "Mã số thuế"]
    assert list(restored["action"]) == ["changed to '0101234568'"]
    assert responses.loc[0, "size"] == "micro"  # 8 employees: micro in every sector
    assert pd.isna(responses.loc[1, "size"])  # 150: medium in industry, large in services; sector unknown
    assert "depends on the sector" in result.issues.loc[result.issues["row"] == 3, "problem"].iloc[0]


def test_microsoft_forms_vietnamese_xlsx(rubric):
    result = read_export(VI / "microsoft_forms_vi.xlsx", rubric)
    assert source_of(result).format == "microsoft-forms" and source_of(result).encoding == "XLSX"
    assert result.mapping.metadata["submitted_at"] == "Thời gian hoàn thành"
    responses = result.responses
    assert list(responses["source_row"]) == [3, 4]  # row 2 is the earlier submission of 0312345678
    assert list(responses["submitted_at"]) == [pd.Timestamp("2026-05-05 14:20:11"), pd.Timestamp("2026-05-06 08:41")]
    assert list(responses["response_id"]) == ["2", "3"]
    assert list(responses["CUS.ENG.3"]) == [5, 3]  # fractions 0.9 and 0.45
    assert list(responses["CUS.ENG.1"]) == [4, 3]


def test_microsoft_forms_english_anonymous(rubric):
    result = read_export(VI / "microsoft_forms_en.xlsx", rubric)
    assert source_of(result).format == "microsoft-forms"
    # Both answers are "anonymous": that is not one person answering twice.
    assert len(result.responses) == 2 and result.quarantined.empty
    assert list(result.responses["CUS.ENG.1"]) == [3, 5]  # "Forming", "Level 5"; English criterion text
    assert result.responses.loc[0, "started_at"] == pd.Timestamp("2026-01-02 10:00")


def test_kobo_xlsx(rubric):
    raw = read_raw(VI / "kobo_vi.xlsx")
    assert raw.format == "kobo"
    assert [c.name for c in raw.columns if c.parent == "kenh_so"] == ["kenh_so/web", "kenh_so/zalo",
                                                                       "kenh_so/facebook"]
    result = read_export(VI / "kobo_vi.xlsx", rubric)
    responses = result.responses
    assert list(responses["CUS.ENG.1"]) == [3, 5] and list(responses["CUS.ENG.3"]) == [3, 5]
    assert list(responses["kenh_so/zalo"]) == [True, False]
    assert list(responses["province"]) == ["Cần Thơ", "Hà Nội"]  # "thong_tin/tinh": the group is ignored
    assert responses.loc[0, "submitted_at"] == pd.Timestamp("2026-06-01 08:20")
    assert responses["today"].dtype.kind == "M"


def test_plain_cp1252_semicolons_and_header_problems(rubric):
    result = read_export(VI / "plain_cp1252.csv", rubric)
    assert source_of(result).encoding == "Windows-1252"
    responses = result.responses
    assert list(responses["enterprise_name"]) == ["Café Lumière", "Smørrebrød Ltd", "Über GmbH"]
    assert list(responses["Notes (2)"].fillna("")) == ["crème brûlée", "€ 5", ""]
    assert list(result.quarantined["row"]) == [4] and result.quarantined.loc[0, "problem"] == "empty row"
    header = result.issues[result.issues["row"].isna()]
    assert sorted(header["action"]) == ["column dropped"] * 3 + ["renamed to 'Notes (2)'"]
    assert list(responses["CUS.ENG.2"]) == [2, 4, 1]
    assert pd.isna(responses.loc[2, "province"]) and responses.loc[2, "province_raw"] == "Paris"
    kept = result.issues[(result.issues["value"] == "Paris")]
    assert list(kept["problem"]) == ["unrecognised"]


def test_format_can_be_forced(tmp_path, rubric):
    path = tmp_path / "x.csv"
    path.write_text("Timestamp,Q\n1/2/2026 10:00:00,a\n", encoding="utf-8")
    assert read_raw(path).format == "google-forms"
    assert read_raw(path, format="plain").format == "plain"
    with pytest.raises(ValueError, match="'google-forms'"):
        read_raw(path, format="typeform")


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_raw(tmp_path / "nope.csv")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ValueError, match="empty"):
        read_raw(empty)


def test_rows_longer_than_the_header_and_blank_files(tmp_path, rubric):
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("Timestamp,Name\n1/2/2026 10:00:00,A,extra\n1/3/2026 10:00:00,B\n", encoding="utf-8")
    result = read_export(ragged, rubric)
    assert list(result.responses["(column C)"].fillna("")) == ["extra", ""]
    assert list(result.issues["problem"]) == ["blank header name"]
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n\n", encoding="utf-8")
    result = read_export(blank, rubric)  # no header at all: the blank rows are still accounted for
    assert result.responses.empty and list(result.quarantined["row"]) == [2, 3]
    only_header = tmp_path / "header.csv"
    only_header.write_text("Dấu thời gian,Tên doanh nghiệp\n", encoding="utf-8")
    result = read_export(only_header, rubric)
    assert source_of(result).rows_read == 0 and result.responses.empty and result.issues.empty


def test_plain_xlsx_one_row_per_response(tmp_path, rubric):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã số thuế", "Tỉnh", rubric.criterion("CUS.ENG.1").text.vi, None])  # trailing empty column
    sheet.append(["0101234567", "TP. HCM", "Mức 3", None])
    sheet.append([None, None, None, None])
    sheet.append(["0101234568", "Ha Noi", 4, None])  # a number typed as a number
    workbook.save(tmp_path / "plain.xlsx")
    result = read_export(tmp_path / "plain.xlsx", rubric)
    assert (source_of(result).format, source_of(result).encoding, source_of(result).rows_read) == ("plain", "XLSX", 3)
    responses = result.responses
    assert list(responses["source_row"]) == [2, 4]
    assert list(responses["enterprise_id"]) == ["0101234567", "0101234568"]
    assert list(responses["province"]) == ["Hồ Chí Minh", "Hà Nội"]
    assert list(responses["CUS.ENG.1"]) == [3, 4]
    assert result.quarantined[["row", "problem"]].values.tolist() == [[3, "empty row"]]
    assert "(column D)" not in responses.columns


def test_broken_xlsx_names_the_file(tmp_path, rubric, monkeypatch):
    from dxlab.cli import main as cli_main

    monkeypatch.setenv("DXLAB_LANG", "en")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 truncated, not a workbook")
    with pytest.raises(ValueError, match=r"broken\.xlsx: not a readable XLSX workbook"):
        read_export(broken, rubric)
    assert cli_main(["clean", str(broken), "--rubric", "mobifone-dx", "--out", str(tmp_path / "o")]) == 2
