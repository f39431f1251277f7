"""A CSV export cleaned batch by batch (``stream=True``) gives the tables of the whole-file clean.

The oracle is the whole-file clean (``stream=False``): every table (responses, issues, non-answers, recodes),
the notes and the source must be equal. Batches of a few rows cut through what crosses batches: decisions
taken on a column's values (date order, tax codes, the kind of an unmapped column, percent fractions, a
blank-header column with data), repeated submissions in different batches, multi-line cells, and an encoding
other than UTF-8. Files the streamed clean does not take are cleaned whole, with a note saying why.
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab.ingest import _prepare, clean_to_folder, read_export
from dxlab.ingest._stream import StreamedCleaning, _ahead

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "raw" / "sample-google-forms-vi.csv"
CSV_FIXTURES = sorted(p for p in (HERE / "fixtures_vi").iterdir() if p.suffix in (".csv", ".txt"))
RUBRIC = dxlab.load_rubric("mobifone-dx")
ENG1 = RUBRIC.criterion("CUS.ENG.1").text.vi
ENG3 = RUBRIC.criterion("CUS.ENG.3").text.vi  # a percent criterion


def made_fixtures():
    spec = importlib.util.spec_from_file_location("make_fixtures", HERE / "fixtures_vi" / "make_fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_same(whole, streamed) -> None:
    pd.testing.assert_frame_equal(whole.responses, streamed.responses)
    pd.testing.assert_frame_equal(whole.issues, streamed.issues)
    pd.testing.assert_frame_equal(whole.nonresponse, streamed.nonresponse)
    pd.testing.assert_frame_equal(whole.recodes, streamed.recodes)
    assert whole.notes == streamed.notes
    assert whole.source == streamed.source


def both(path: Path, batch_rows: int, **options):
    whole = read_export(path, RUBRIC, allow_partial=True, stream=False, **options)
    cleaning = _prepare(path, RUBRIC, allow_partial=True, stream=True, batch_rows=batch_rows, **options)
    assert isinstance(cleaning, StreamedCleaning), "the file was not streamed"
    return whole, cleaning.result()


@pytest.mark.parametrize("batch_rows", [97, 1000])
def test_the_sample_streamed_equals_whole(batch_rows):
    whole, streamed = both(SAMPLE, batch_rows)
    assert len(whole.quarantined) > 50 and len(whole.recodes) > 10  # there is something to get wrong
    assert_same(whole, streamed)


@pytest.mark.parametrize("path", CSV_FIXTURES, ids=lambda p: p.name)
def test_vietnamese_fixtures_streamed_equal_whole(path):
    whole, streamed = both(path, 3)
    assert_same(whole, streamed)


@pytest.mark.parametrize(
    "name",
    [
        "google-forms/autistica_turing_google_form_responses.csv",
        "kobo/cleaningtools_raw_data.csv",
        "qualtrics/qualtRics_sample.csv",
        "surveymonkey/fivethirtyeight_steak_risk_survey.csv",
    ],
)
def test_real_exports_streamed_equal_whole(shared_fixtures, name):
    path = shared_fixtures / "real-exports" / name
    whole, streamed = both(path, 50)
    assert_same(whole, streamed)


HEADER = [
    "Thời điểm",
    "Địa chỉ email",
    "Tên doanh nghiệp",
    "Mã doanh nghiệp",
    "Ngành nghề kinh doanh chính",
    f"1. {ENG1}",
    f"2. {ENG3}",
    "Số năm hoạt động",
    "Tỷ lệ xuất khẩu",
    "",
    "Ý kiến khác",
]


def _decided_late(tmp_path: Path) -> Path:
    """60 rows where every column-wide decision is only settled by rows after the first batches: dates all
    ambiguous until a month-first one, 10-digit ids until text codes outnumber them, whole numbers until a
    word, percents written as fractions until a whole number, a blank-header column filled only at the end;
    and enterprises that submit again 20 rows later."""
    rows = []
    for k in range(60):
        company = k % 20
        date = f"0{1 + k % 9}/0{1 + k % 8}/2026 09:{k:02d}:00" if k < 50 else f"04/{13 + k % 15}/2026 10:00:00"
        ident = f"01{company:08d}" if k < 12 else f"DN-{company}"
        years = str(k % 30) if k < 40 else "khoảng 5 năm"
        share = f"0.{k % 9 + 1}" if k < 45 else str(20 + k)
        rows.append(
            [
                date,
                f"nv{company}@cty{company}.vn",
                f"Công ty Số {company}",
                ident,
                ["Bán lẻ", "Sản xuất", "Xây dựng"][k % 3],
                ["Mức 3", "Không biết", "Mức 5", ""][k % 4],
                share,
                years,
                f"{(k % 7) / 10:.1f}",
                "ghi chú" if k == 57 else "",
                "dòng một\ndòng hai" if k % 11 == 0 else f"ý kiến {k}",
            ]
        )
    path = tmp_path / "decided-late.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("duplicates", ["latest", "first", "keep-all"])
@pytest.mark.parametrize("batch_rows", [4, 9, 25])
def test_decisions_settled_late_are_taken_on_the_whole_file(tmp_path, duplicates, batch_rows):
    path = _decided_late(tmp_path)
    whole, streamed = both(path, batch_rows, duplicates=duplicates)
    # The whole file's decisions are the late ones (a first batch alone would decide otherwise).
    stamps = whole.responses.set_index("source_row")["Thời điểm"]
    assert stamps.loc[12] == pd.Timestamp("2026-02-03 09:10:00")  # "02/03/2026": month first, as row 52 shows
    assert "Thời điểm: month/day/year (a second part above 12)" in whole.notes
    assert not whole.responses["enterprise_id"].str.fullmatch(r"\d{10}").all()  # text codes, not tax codes
    assert whole.responses["Số năm hoạt động"].dtype == "str"
    assert whole.responses["Tỷ lệ xuất khẩu"].dtype == "Float64"
    assert "(column J)" in whole.responses.columns
    if duplicates != "keep-all":
        assert len(whole.quarantined) >= 20
    assert_same(whole, streamed)


def test_a_first_batch_alone_would_decide_otherwise(tmp_path):
    """The check above is not idle: the first 9 rows cleaned as a file of their own read the dates day-first,
    the ids as tax codes and the years as numbers."""
    path = _decided_late(tmp_path)
    head = tmp_path / "head.csv"
    head.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:10]), encoding="utf-8")
    alone = read_export(head, RUBRIC, allow_partial=True, stream=False)
    assert alone.responses["Số năm hoạt động"].dtype == "Int64"
    assert any("day/month/year" in note for note in alone.notes)


def test_a_cp1258_file_is_re_encoded_and_streamed(tmp_path):
    path = _decided_late(tmp_path)
    legacy = tmp_path / "cp1258.csv"
    legacy.write_bytes(made_fixtures().cp1258_bytes(path.read_text(encoding="utf-8")))
    whole, streamed = both(legacy, 8)
    assert "1258" in whole.source.encoding
    assert_same(whole, streamed)


def test_files_that_must_be_read_whole_say_so(tmp_path):
    broken = tmp_path / "broken.csv"
    lines = [",".join(HEADER)] + [
        f"01/02/2026 10:00:0{k},a{k}@b.vn,Công ty {k},DN-{k},Bán lẻ,Mức 3,10%,3,0.5,,x" for k in range(6)
    ]
    lines[3] = lines[3].replace(",x", ',"mở mà không đóng')
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_export(broken, RUBRIC, allow_partial=True, stream=True, chunk_rows=2)
    assert any(
        note.startswith("cleaned whole, not batch by batch: a quote may be unbalanced") for note in result.source.notes
    )
    assert any("unbalanced quote" in p for p in result.quarantined["problem"])
    covered = tmp_path / "cover-line.csv"  # a title line above the header: rows of two lengths
    covered.write_text("KHẢO SÁT CHUYỂN ĐỔI SỐ 2026\n" + "\n".join(lines[:3]) + "\n", encoding="utf-8")
    whole, result = (read_export(covered, RUBRIC, allow_partial=True, stream=s, chunk_rows=2) for s in (False, True))
    assert any(note.startswith("cleaned whole, not batch by batch: pyarrow stopped reading") for note in
               result.source.notes)
    pd.testing.assert_frame_equal(whole.responses, result.responses)
    assert "title or blank row above the header row" in set(result.issues["problem"])
    vietnamese = result.summary("vi")  # the note speaks the summary's language; pyarrow's own detail stays
    assert "không theo từng lô: pyarrow dừng đọc" in vietnamese and "cleaned whole" not in vietnamese
    header_only = tmp_path / "header-only.csv"
    header_only.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    result = read_export(header_only, RUBRIC, allow_partial=True, stream=True)
    assert "cleaned whole, not batch by batch: no data rows" in result.source.notes and result.responses.empty
    workbook = HERE / "fixtures_vi" / "microsoft_forms_vi.xlsx"
    result = read_export(workbook, RUBRIC, allow_partial=True, stream=True)
    assert "cleaned whole, not batch by batch: not a CSV file" in result.source.notes


def test_clean_to_folder_streams_and_writes_what_the_whole_clean_writes(tmp_path):
    whole_out, streamed_out = tmp_path / "whole", tmp_path / "streamed"
    clean_to_folder(SAMPLE, RUBRIC, whole_out, stream=False, chunk_rows=500, lang="en")
    result = clean_to_folder(
        SAMPLE,
        RUBRIC,
        streamed_out,
        stream=True,
        chunk_rows=500,
        lang="en",
        keep_responses=False,
        out_format="parquet-dataset",
    )
    assert result.responses.empty  # never all in memory: read back from the folder
    for name in ("issues.csv", "nonresponse.csv", "recodes.csv", "summary.txt", "responses.csv", "mapping.yaml"):
        assert (whole_out / name).read_bytes() == (streamed_out / name).read_bytes(), name
    parts = sorted((streamed_out / "responses").glob("part-*.parquet"))
    assert len(parts) == -(-(result.source.rows_read + 1) // 500)  # one part per batch of 500 records
    back = pd.read_parquet(streamed_out / "responses").sort_values("source_row").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, pd.read_parquet(whole_out / "responses.parquet"), check_dtype=False)


def test_read_ahead_hands_on_errors_and_stops_its_thread():
    def items():
        yield 1
        yield 2
        raise ValueError("bad batch")

    seen = []
    with pytest.raises(ValueError, match="bad batch"):
        for item in _ahead(items()):
            seen.append(item)
    assert seen == [1, 2]
    endless = _ahead(iter(range(10**9)))
    assert [next(endless) for _ in range(3)] == [0, 1, 2]
    endless.close()  # the producer, blocked on a full queue, must notice and end
    import threading

    assert not any(t.name == "dxlab-read-ahead" and t.is_alive() for t in threading.enumerate())


def test_duplicate_keys_are_hashes_not_text(tmp_path):
    """What a batch keeps for finding duplicates is integers, eight bytes per key per row."""
    path = _decided_late(tmp_path)
    cleaning = _prepare(path, RUBRIC, allow_partial=True, stream=True, batch_rows=10)
    assert isinstance(cleaning, StreamedCleaning)
    assert cleaning.duplicates is not None and len(cleaning.duplicates.rows) >= 20
    assert cleaning.duplicates.rows.dtype == np.int64
    list(cleaning.parts())  # hands the batches on and removes the folder they were set aside in
    assert not Path(cleaning.scratch.name).exists()


def test_an_export_of_another_survey_is_refused_as_the_whole_clean_refuses_it(shared_fixtures):
    path = shared_fixtures / "real-exports" / "google-forms" / "autistica_turing_google_form_responses.csv"
    with pytest.raises(ValueError) as whole:
        read_export(path, RUBRIC, stream=False)
    with pytest.raises(ValueError) as streamed:
        read_export(path, RUBRIC, stream=True)
    assert str(streamed.value) == str(whole.value) and "allow_partial=True" in str(whole.value)
