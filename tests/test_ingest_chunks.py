"""Cleaning built chunk by chunk gives the tables of the whole file, and ``dxlab clean`` writes them part by part.

The oracle is the same cleaning done in one piece (``chunk_rows=None``): every table (responses, issues,
non-answers, recodes, notes) must be equal, on the shipped sample, on the Vietnamese fixtures and on generated
files whose chunks of a few rows cut through every case that crosses a row boundary: a quoted multi-line cell,
a duplicate pair split across chunks (latest, first, keep-all), an unbalanced quote near a boundary, empty and
repeated header rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab.cli import main as cli_main
from dxlab.ingest import _prepare, clean_to_folder, read_export, write_outputs

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "data" / "raw" / "sample-google-forms-vi.csv"
FIXTURES = sorted(p for p in (HERE / "fixtures_vi").iterdir() if p.suffix in (".csv", ".txt", ".xlsx"))
RUBRIC = dxlab.load_rubric("mobifone-dx")
ENG1 = RUBRIC.criterion("CUS.ENG.1").text.vi
ENG3 = RUBRIC.criterion("CUS.ENG.3").text.vi
HEADER = ["Dấu thời gian", "Địa chỉ email", "Tên doanh nghiệp", "Mã số thuế", "Quy mô doanh nghiệp",
          "Ngành nghề kinh doanh chính", f"1. {ENG1}", f"2. {ENG3}", "Ý kiến khác"]


def assert_same(whole, chunked) -> None:
    pd.testing.assert_frame_equal(whole.responses, chunked.responses)
    pd.testing.assert_frame_equal(whole.issues, chunked.issues)
    pd.testing.assert_frame_equal(whole.nonresponse, chunked.nonresponse)
    pd.testing.assert_frame_equal(whole.recodes, chunked.recodes)
    assert whole.notes == chunked.notes and whole.source == chunked.source


@pytest.mark.parametrize("path", [SAMPLE, *FIXTURES], ids=lambda p: p.name)
def test_fixtures_chunked_equal_whole(path):
    whole = read_export(path, RUBRIC, allow_partial=True, chunk_rows=None)
    small, large = (1, 7) if len(whole.responses) < 200 else (251, 1001)  # the sample: 3,000 rows
    assert_same(whole, read_export(path, RUBRIC, allow_partial=True, chunk_rows=large))
    assert_same(whole, _prepare(path, RUBRIC, allow_partial=True).result(small))


def _generated(tmp_path: Path) -> Path:
    """40 rows: re-submissions 1, 5, 9… rows apart (so that pairs straddle every boundary of chunks of 7),
    multi-line comments, junk rows, and an unbalanced quote in the last rows."""
    rows: list[list[str]] = []
    for k in range(38):
        company = k % 13  # the same enterprise again 13 rows later, in another chunk
        minute = (k * 7) % 60
        rows.append([f"0{1 + k % 9}/03/2026 10:{minute:02d}:00", f"nv{company}@cty{company}.vn", f"Công ty {company}",
                     f"01000000{company:02d}", ["Nhỏ", "vừa", "50 lao động", "ISO 9001"][k % 4],
                     ["Bán lẻ", "Sản xuất", "Năm 2020"][k % 3], ["Mức 3", "Không biết", "Hình thàn", ""][k % 4],
                     ["35%", "N/A", "120%"][k % 3],
                     "dòng một\ndòng hai" if k % 5 == 0 else f"ý kiến {k}"])
    rows[10] = [""] * len(HEADER)
    rows[17] = list(HEADER)
    path = tmp_path / "boundaries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
        handle.write('05/03/2026 10:00:00,a@b.vn,Công ty cắt,0100000099,Nhỏ,Bán lẻ,Mức 2,10%,"mở mà không đóng\r\n')
        handle.write("06/03/2026 10:00:00,c@d.vn,Công ty sau,0100000098,Nhỏ,Bán lẻ,Mức 4,20%,x\r\n")
    return path


@pytest.mark.parametrize("duplicates", ["latest", "first", "keep-all"])
def test_generated_boundaries_chunked_equal_whole(tmp_path, duplicates):
    path = _generated(tmp_path)
    whole = read_export(path, RUBRIC, allow_partial=True, duplicates=duplicates, chunk_rows=None)
    # The cases are really there: pairs split across chunks, the line-split rows, the multi-line cells.
    assert "unbalanced quote from line 47" in set(whole.quarantined["problem"])
    assert whole.responses["Ý kiến khác"].str.contains("\n").any()
    if duplicates != "keep-all":
        kept = whole.quarantined[whole.quarantined["problem"].str.startswith("duplicate")]
        kept_rows = kept["action"].str.extract(r"kept row (\d+)")[0].astype(int)
        assert ((kept_rows.to_numpy() // 7) != (kept["row"].to_numpy(dtype=int) // 7)).any()
    assert_same(whole, read_export(path, RUBRIC, allow_partial=True, duplicates=duplicates, chunk_rows=7))
    prepared = _prepare(path, RUBRIC, allow_partial=True, duplicates=duplicates)
    for chunk_rows in range(1, 10):
        assert_same(whole, prepared.result(chunk_rows))


def test_clean_writes_parts_per_chunk_equal_to_the_whole(tmp_path):
    path = _generated(tmp_path)
    whole = read_export(path, RUBRIC, allow_partial=True, chunk_rows=None)
    write_outputs(whole, tmp_path / "whole", lang="vi", out_format="parquet")
    result = clean_to_folder(path, RUBRIC, tmp_path / "parts", lang="vi", out_format="parquet-dataset",
                             chunk_rows=7, keep_responses=False, allow_partial=True)
    assert result.kept == len(whole.responses) and len(result.responses) == 0
    parts = sorted((tmp_path / "parts" / "responses").glob("part-*.parquet"))
    assert len(parts) == sum(whole.responses["source_row"].between(2 + 7 * k, 8 + 7 * k).any() for k in range(7))
    back = pd.read_parquet(tmp_path / "parts" / "responses").sort_values("source_row", ignore_index=True)
    pd.testing.assert_frame_equal(back, pd.read_parquet(tmp_path / "whole" / "responses.parquet"))
    for name in ("responses.csv", "issues.csv", "nonresponse.csv", "recodes.csv", "summary.txt"):
        assert (tmp_path / "parts" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    # One file written in row groups is the same table too.
    clean_to_folder(path, RUBRIC, tmp_path / "one", out_format="parquet", chunk_rows=5, keep_responses=False,
                    allow_partial=True)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "one" / "responses.parquet"),
                                  pd.read_parquet(tmp_path / "whole" / "responses.parquet"))


def test_score_and_stats_read_the_parts_written_by_clean(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli_main(["clean", str(SAMPLE), "--rubric", "mobifone-dx", "--out", str(out),
                     "--out-format", "parquet-dataset", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "nonresponse.csv" in printed and str(out / "responses") in printed
    whole = read_export(SAMPLE, RUBRIC)
    assert cli_main(["score", str(out / "responses"), "--rubric", "mobifone-dx", "--out", str(tmp_path / "s")]) == 0
    expected = dxlab.score(whole.responses, RUBRIC)
    written = pd.read_parquet(tmp_path / "s" / "scores-mean.parquet")
    assert list(written["response_id"]) == list(whole.responses["response_id"])
    np.testing.assert_allclose(written["overall.score"].to_numpy(dtype=float),
                               expected.overall["score"].to_numpy(dtype=float), equal_nan=True)
    assert cli_main(["stats", "distribution", str(out / "responses"), "--by", "size", "--out",
                     str(tmp_path / "d")]) == 0
    table = pd.read_csv(tmp_path / "d" / "level-distribution-by-size.csv", encoding="utf-8-sig")
    reference = dxlab.stats.level_distribution(whole.responses, list(RUBRIC.criterion_ids), by="size", levels=RUBRIC)
    np.testing.assert_allclose(table["share"].to_numpy(), reference["share"].to_numpy(), rtol=1e-9)
    capsys.readouterr()
