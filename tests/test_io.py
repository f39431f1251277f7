"""Spreadsheet safety: text a spreadsheet would run as a formula is neutralised in CSV and XLSX outputs."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from dxlab.io import neutralise, neutralise_frame, read_table, write_csv, write_table, write_xlsx

DANGEROUS = ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "＝1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_text_is_prefixed(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Hình thành", "3 - Hình thành", "a=b", "", 5, -3.5, None])
def test_harmless_values_pass_through(value):
    assert neutralise(value) == value


def frame() -> pd.DataFrame:
    return pd.DataFrame({"comment": DANGEROUS, "number": [-1.5, 2, 3, 4, 5, 6, 7],
                         "sector": pd.Categorical(["=cmd"] + ["G"] * 6)})


def test_frame_text_cells_and_headers():
    data = frame()
    data["=evil"] = 1
    safe = neutralise_frame(data)
    assert safe["comment"].tolist() == ["'" + t for t in DANGEROUS]
    assert safe["number"].tolist() == data["number"].tolist()
    assert safe["sector"].tolist()[0] == "'=cmd"
    assert "'=evil" in safe.columns
    assert data["comment"].tolist() == DANGEROUS  # the caller's frame is untouched


def test_csv_round_trip(tmp_path):
    path = write_csv(frame(), tmp_path / "out.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM so Excel reads Vietnamese as UTF-8
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert not back["comment"].str.match(r"^[=+\-@\t\r]").any()
    assert back["number"].iloc[0] == -1.5


def test_xlsx_has_no_formula_cells(tmp_path):
    path = write_xlsx(frame(), tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not any(t.startswith(("=", "+", "-", "@")) for t in texts)
    assert read_table(path)["number"].iloc[0] == -1.5


def test_write_table_formats(tmp_path):
    paths = write_table(frame()[["number"]], tmp_path / "t", formats=("parquet", "csv", "xlsx"))
    assert [p.suffix for p in paths] == [".parquet", ".csv", ".xlsx"]
    assert read_table(paths[0])["number"].tolist() == read_table(paths[1])["number"].tolist()
    with pytest.raises(ValueError, match="'parquet', 'csv', 'xlsx'"):
        write_table(frame(), tmp_path / "t", formats=("json",))
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        read_table(tmp_path / "nowhere.csv")
    other = tmp_path / "x.json"
    other.write_text("{}", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown table format"):
        read_table(other)
