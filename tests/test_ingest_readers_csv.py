"""Reading CSV files nobody here wrote: unbalanced quotes, header-like data rows, forced formats and header rows,
encodings, title rows and repeated extra column names. Expected values are written out by hand."""

from __future__ import annotations

import functools

import pytest

from dxlab.ingest import read_export as _read_export
from dxlab.ingest import read_raw

# These exports answer other surveys (or a few of the rubric's questions): reading them is the point here.
read_export = functools.partial(_read_export, allow_partial=True)

HEADER = "Dấu thời gian,Tên doanh nghiệp,CUS.ENG.1,Ghi chú"


def _rows(n: int, start: int = 1) -> list[str]:
    return [f"0{k}/03/2026 08:00:00,Công ty {k},Mức {1 + k % 5},ok {k}" for k in range(start, start + n)]


@pytest.fixture()
def en(monkeypatch):
    monkeypatch.setenv("DXLAB_LANG", "en")


def test_unbalanced_quote_quarantines_every_line_from_the_quote(tmp_path):
    # 10 data rows; row 5 (line 6) opens a quote that nothing closes.
    lines = [HEADER, *_rows(4), '05/03/2026 08:00:00,Công ty 5,Mức 2,"ghi chú bị cắt', *_rows(5, start=6)]
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_export(path, "mobifone-dx")
    assert result.source is not None and result.source.rows_read == 10
    assert list(result.responses["source_row"]) == [2, 3, 4, 5]
    quarantined = result.quarantined
    assert list(quarantined["row"]) == [6, 7, 8, 9, 10, 11]
    assert set(quarantined["problem"]) == {"unbalanced quote from line 6"}
    # The lines as written are kept in the issue, so nothing is lost.
    assert quarantined["value"].iloc[0] == '05/03/2026 08:00:00,Công ty 5,Mức 2,"ghi chú bị cắt'
    assert quarantined["value"].iloc[1] == "06/03/2026 08:00:00,Công ty 6,Mức 2,ok 6"
    assert "unbalanced quote from line 6" in result.summary("en")
    assert "dấu ngoặc kép không được đóng, từ dòng 6" in result.summary("vi")


def test_unbalanced_quote_after_a_multiline_cell_names_the_physical_line(tmp_path):
    lines = [HEADER, '01/03/2026 08:00:00,Công ty 1,Mức 1,"dòng một\ndòng hai"',
             '02/03/2026 08:00:00,Công ty 2,Mức 2,"mở mà không đóng', *_rows(1, start=3)]
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_export(path, "mobifone-dx")
    assert list(result.responses["source_row"]) == [2]
    assert list(result.quarantined["row"]) == [3, 4]
    assert set(result.quarantined["problem"]) == {"unbalanced quote from line 4"}


def test_a_stray_quote_closed_by_another_quarantines_the_merged_record(tmp_path):
    lines = [HEADER, '01/03/2026 08:00:00,Công ty 1,Mức 1,"lạc', *_rows(2, start=2),
             '04/03/2026 08:00:00,Công ty 4,Mức 4,lạc nữa"', *_rows(1, start=5)]
    path = tmp_path / "stray.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_export(path, "mobifone-dx")
    quarantined = result.quarantined
    assert list(quarantined["row"]) == [2]
    assert quarantined["problem"].iloc[0] == "unbalanced quote from line 2"
    assert "Công ty 3" in quarantined["value"].iloc[0]  # the swallowed lines are in the issue
    assert list(result.responses["source_row"]) == [3]


def test_blank_first_cell_and_response_is_not_surveymonkey(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text("Tên doanh nghiệp,CUS.ENG.1,Ghi chú\n,Response,Công ty A\nCông ty B,Mức 3,x\n", encoding="utf-8")
    raw = read_raw(path)
    assert raw.format == "plain" and raw.header_rows == 1
    assert list(raw.rows) == [2, 3]
    assert any("plain" in note and "1 header row" in note for note in raw.notes)


def test_import_id_cells_in_a_data_row_are_not_a_qualtrics_header(tmp_path):
    path = tmp_path / "plain.csv"
    path.write_text('Tên doanh nghiệp,CUS.ENG.1\nCông ty A,Mức 2\n"{""ImportId"":""QID1""}","{""ImportId"":""QID2""}"\n'
                    "Công ty C,Mức 4\n", encoding="utf-8")
    raw = read_raw(path)
    assert raw.format == "plain" and list(raw.rows) == [2, 3, 4]


def test_format_and_header_rows_can_be_forced(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("Khảo sát CĐS,,\nTên doanh nghiệp,CUS.ENG.1,Ghi chú\nCông ty A,Mức 3,x\n", encoding="utf-8")
    raw = read_raw(path, header_rows=2)
    assert raw.header_rows == 2 and [c.name for c in raw.columns] == ["Tên doanh nghiệp", "CUS.ENG.1", "Ghi chú"]
    assert list(raw.rows) == [3]
    none = read_raw(path, header_rows=0)
    assert [c.name for c in none.columns] == ["(column A)", "(column B)", "(column C)"] and len(none.frame) == 3
    with pytest.raises(ValueError, match="header_rows"):
        read_raw(path, header_rows=-1)


def test_title_rows_above_the_header_keep_row_numbers(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("Kết quả khảo sát 2024\n\nTên doanh nghiệp;CUS.ENG.1;Ghi chú\nCông ty A;Mức 3;x\n",
                    encoding="utf-8")
    raw = read_raw(path)
    assert [c.name for c in raw.columns] == ["Tên doanh nghiệp", "CUS.ENG.1", "Ghi chú"]
    assert list(raw.rows) == [4]
    assert list(raw.issues["row"]) == [1, 2] and set(raw.issues["action"]) == {"skipped"}


def test_bogus_and_wrong_encodings_name_the_file(tmp_path, en):
    path = tmp_path / "vi.csv"
    path.write_text("Tên,CUS.ENG.1\nÁnh Dương,Mức 3\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"vi\.csv: unknown encoding 'bogus'; use one of utf-8"):
        read_raw(path, encoding="bogus")
    with pytest.raises(ValueError, match=r"vi\.csv: line 1 \(byte 1: c3 aa"):
        read_raw(path, encoding="ascii")


def test_extra_columns_with_taken_names_are_all_kept(tmp_path):
    path = tmp_path / "wave.csv"
    path.write_text("Tên doanh nghiệp,CUS.ENG.1,wave (source),wave\nCông ty A,Mức 3,một,hai\n", encoding="utf-8")
    result = read_export(path, "mobifone-dx", mapping={"wave": "extra", "wave (source)": "extra"})
    responses = result.responses
    kept = {c: responses[c].iloc[0] for c in responses.columns if c.startswith("wave ")}
    assert sorted(kept.values()) == ["hai", "một"] and len(kept) == 2


def test_clean_writes_issues_and_summary_in_the_chosen_language(tmp_path):
    from dxlab.cli import main as cli_main

    lines = [HEADER, *_rows(2), "", '09/03/2026 08:00:00,Công ty 9,Mức 9,"cắt']
    path = tmp_path / "vi.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--out", str(tmp_path / "o"), "--lang", "vi",
                     "--out-format", "parquet-dataset", "--allow-partial"]) == 0
    import pandas as pd

    issues = pd.read_csv(tmp_path / "o" / "issues.csv", encoding="utf-8-sig")
    assert list(issues.columns) == ["row", "column", "value", "code", "problem", "action"]
    by_row = issues.set_index("row")
    assert by_row.loc[4, "code"] == "empty_row" and by_row.loc[4, "problem"] == "dòng trống"
    assert by_row.loc[5, "problem"] == "dấu ngoặc kép không được đóng, từ dòng 5"
    assert by_row.loc[5, "action"] == "đã cách ly dòng"
    summary = (tmp_path / "o" / "summary.txt").read_text(encoding="utf-8")
    assert "  số dòng đọc  4" in summary and "  giữ lại      2 phiếu trả lời" in summary
    parts = sorted((tmp_path / "o" / "responses").glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-0.parquet"]
    assert list(pd.read_parquet(tmp_path / "o" / "responses")["source_row"]) == [2, 3]
    assert not (tmp_path / "o" / "responses.parquet").exists()


def test_responses_as_a_parquet_dataset_in_parts(tmp_path):
    import pandas as pd

    from dxlab.ingest._parts import write_responses

    frame = pd.DataFrame({"source_row": range(2, 7), "CUS.ENG.1": pd.array([1, 2, None, 4, 5], dtype="Int8")})
    folder = write_responses(frame, tmp_path, "parquet-dataset", part_rows=2)
    assert sorted(p.name for p in folder.iterdir()) == ["part-0.parquet", "part-1.parquet", "part-2.parquet"]
    back = pd.read_parquet(folder).sort_values("source_row").reset_index(drop=True)
    pd.testing.assert_frame_equal(back, frame)
    single = write_responses(frame, tmp_path, "parquet")  # a later single-file run removes the parts
    assert single.name == "responses.parquet" and not folder.exists()
    with pytest.raises(ValueError, match="out_format must be one of"):
        write_responses(frame, tmp_path, "feather")


def test_reading_in_batches_gives_the_same_export(monkeypatch):
    from pathlib import Path

    import pandas as pd

    import dxlab.ingest._tabular as tabular

    sample = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample-google-forms-vi.csv"
    whole = read_export(sample, "mobifone-dx")
    monkeypatch.setattr(tabular, "_STREAM_ABOVE", 0)
    monkeypatch.setattr(tabular, "_arrow_options", _small_blocks(tabular._arrow_options))
    batched = read_export(sample, "mobifone-dx")
    pd.testing.assert_frame_equal(whole.responses, batched.responses)
    pd.testing.assert_frame_equal(whole.issues, batched.issues)


def _small_blocks(options):
    import pyarrow.csv as pcsv

    def small(delimiter, width):
        out = options(delimiter, width)
        out["read_options"] = pcsv.ReadOptions(autogenerate_column_names=True, block_size=1 << 16)
        return out

    return small


def test_rows_read_as_header_rows_past_the_real_one_are_issues(tmp_path):
    path = tmp_path / "forced.csv"
    path.write_text("Tên doanh nghiệp,CUS.ENG.1,Ghi chú\nCông ty A,Mức 3,x\nCông ty B,Mức 2,y\nCông ty C,Mức 1,z\n",
                    encoding="utf-8")
    # Three header rows asked for: rows 2 and 3 are data, the columns are named from row 3.
    raw = read_raw(path, header_rows=3)
    consumed = raw.issues[raw.issues["problem"].str.startswith("row read as a header row")]
    assert list(consumed["row"]) == [1, 2, 3] and list(raw.rows) == [4]
    assert list(consumed["value"]) == ["Tên doanh nghiệp CUS.ENG.1 Ghi chú", "Công ty A Mức 3 x", "Công ty B Mức 2 y"]
    # Two header rows on a file with a title row: the title row is the one consumed; row 2 names the columns.
    titled = tmp_path / "titled.csv"
    titled.write_text("Khảo sát CĐS,,\nTên doanh nghiệp,CUS.ENG.1,Ghi chú\nCông ty A,Mức 3,x\n", encoding="utf-8")
    raw = read_raw(titled, header_rows=2)
    assert list(raw.issues["row"]) == [1] and raw.issues["action"].tolist() == ["skipped"]
    # Qualtrics forced on a plain file: its rows 2 and 3 would be read as header rows; each is an issue.
    raw = read_raw(path, format="qualtrics")
    assert list(raw.issues["row"]) == [2, 3] and list(raw.rows) == [4]
    # Detected formats consume their own header rows without an issue.
    assert read_raw(path).issues.empty


def test_consumed_header_rows_in_the_users_language(tmp_path):
    from dxlab.ingest import localise_issues

    path = tmp_path / "forced.csv"
    path.write_text("Tên doanh nghiệp,CUS.ENG.1\nCông ty A,Mức 3\nCông ty B,Mức 2\n", encoding="utf-8")
    issues = localise_issues(read_raw(path, header_rows=2).issues, "vi")
    assert issues["code"].tolist() == ["header_row_consumed"] * 2
    assert issues["problem"].iloc[0].startswith("dòng được đọc làm dòng tiêu đề")
    assert issues["action"].iloc[0] == "đã bỏ qua dòng"


def test_missing_file_and_unrecognised_size_in_vietnamese(tmp_path, capsys):
    from dxlab.cli import main as cli_main
    from dxlab.ingest import localise_issues

    assert cli_main(["clean", str(tmp_path / "khong-co.csv"), "--rubric", "mobifone-dx", "--lang", "vi"]) == 2
    assert f"không tìm thấy tệp: {tmp_path / 'khong-co.csv'}" in capsys.readouterr().err
    assert cli_main(["clean", str(tmp_path / "khong-co.csv"), "--rubric", "mobifone-dx", "--lang", "en"]) == 2
    assert "no such file" in capsys.readouterr().err
    path = tmp_path / "size.csv"
    path.write_text("Tên doanh nghiệp,CUS.ENG.1,Quy mô doanh nghiệp\nCông ty A,Mức 3,ISO 9001\n", encoding="utf-8")
    result = read_export(path, "mobifone-dx")
    issues = localise_issues(result.issues, "vi")
    size = issues[issues["column"] == "Quy mô doanh nghiệp"]
    assert size["action"].tolist() == [
        "để trống size; giữ nguyên văn trong size_raw (không phải quy mô doanh nghiệp hay số lao động)"]
    assert cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--out", str(tmp_path / "o"), "--lang", "vi",
                     "--allow-partial"]) == 0
    wrote = capsys.readouterr().out.strip().splitlines()[-1]
    assert wrote.startswith("đã ghi ") and "nonresponse.csv" in wrote
