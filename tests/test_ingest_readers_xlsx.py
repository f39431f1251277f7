"""Reading XLSX workbooks: which sheet, title rows, formulas without saved results, bad date serials."""

from __future__ import annotations

import functools

import pytest
from openpyxl import Workbook

from dxlab.ingest import read_export as _read_export
from dxlab.ingest import read_raw

# These exports answer other surveys (or a few of the rubric's questions): reading them is the point here.
read_export = functools.partial(_read_export, allow_partial=True)


@pytest.fixture()
def en(monkeypatch):
    monkeypatch.setenv("DXLAB_LANG", "en")


def _workbook(path, *, cover: bool = True, titles: int = 0):
    workbook = Workbook()
    sheet = workbook.active
    if cover:
        sheet.title = "Bìa"
        sheet["A1"] = "Khảo sát chuyển đổi số 2024"
        sheet = workbook.create_sheet("Phản hồi")
    else:
        sheet.title = "Phản hồi"
    for k in range(titles):
        sheet.append([f"Tiêu đề {k + 1}"])
    sheet.append(["Tên doanh nghiệp", "CUS.ENG.1", "Ngày khảo sát"])
    sheet.append(["Công ty A", "Mức 3", 45000])
    sheet.append(["Công ty B", "=1+2", 357932.5])
    sheet.append(["Công ty C", "Mức 4", 9_999_999])
    for row in sheet.iter_rows(min_row=titles + 2, min_col=3, max_col=3):
        row[0].number_format = "dd/mm/yyyy"
    workbook.create_sheet("Ghi chú").append(["Ghi chú", "Dữ liệu giả lập"])
    workbook.save(path)
    return path


def test_the_sheet_with_answers_is_chosen_and_the_others_named(tmp_path):
    raw = read_raw(_workbook(tmp_path / "book.xlsx"))
    assert list(raw.frame["Tên doanh nghiệp"].astype(str)) == ["Công ty A", "Công ty B", "Công ty C"]
    assert any("'Phản hồi'" in n and "'Bìa'" in n and "'Ghi chú'" in n for n in raw.notes)


def test_sheet_by_name_or_number_and_a_clear_error(tmp_path, en):
    path = _workbook(tmp_path / "book.xlsx")
    assert read_raw(path, sheet="Ghi chú").frame.shape == (0, 2)
    assert len(read_raw(path, sheet="2").frame) == 3          # counting from 1, as typed on the command line
    assert len(read_raw(path, sheet=1).frame) == 3            # 0-based position in Python
    with pytest.raises(ValueError, match=r"book\.xlsx: no sheet '5'; the sheets are 1: 'Bìa', 2: 'Phản hồi'"):
        read_raw(path, sheet=5)


def test_title_rows_formulas_and_bad_serials_are_reported_per_cell(tmp_path):
    path = _workbook(tmp_path / "book.xlsx", cover=False, titles=2)
    result = read_export(path, "mobifone-dx", mapping={"CUS.ENG.1": "CUS.ENG.1"})
    assert list(result.responses["source_row"]) == [4, 6]  # row 5 has no valid answer: its only one is a formula
    assert list(result.quarantined["row"]) == [5]
    issues = result.issues.set_index(["row", "column"])
    assert issues.loc[(5, "CUS.ENG.1"), "value"] == "=1+2"
    assert issues.loc[(5, "CUS.ENG.1"), "problem"].startswith("formula without a saved result")
    assert issues.loc[(5, "Ngày khảo sát"), "problem"].startswith("date out of range")
    assert issues.loc[(6, "Ngày khảo sát"), "value"] == "#VALUE!"
    assert list(result.issues.loc[result.issues["action"] == "skipped", "row"]) == [1, 2]
    # The good date survives.
    assert str(result.responses["Ngày khảo sát"].iloc[0])[:10] == "2023-03-15"


def test_cli_sheet_and_header_rows(tmp_path, capsys, en):
    from dxlab.cli import main as cli_main

    path = _workbook(tmp_path / "book.xlsx")
    out = str(tmp_path / "o")
    common = ["--rubric", "mobifone-dx", "--out", out, "--allow-partial"]
    assert cli_main(["clean", str(path), *common, "--sheet", "9"]) == 2
    assert "no sheet '9'; the sheets are 1: 'Bìa'" in capsys.readouterr().err
    assert cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--out", out, "--sheet", "Phản hồi",
                     "--header-rows", "1", "--allow-partial", "--lang", "en"]) == 0
    assert "rows read    3" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--header-rows", "two"])
