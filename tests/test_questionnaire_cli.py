"""``dxlab questionnaire`` (the former name of ``dxlab class``): arguments, results and export."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import dxlab
from dxlab.cli import main
from dxlab.questionnaire import Answer, ResponseStore, Submission

RUBRIC = dxlab.load_rubric("mobifone-dx")
CUS = ["CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2"]


@pytest.fixture()
def store(tmp_path: Path) -> ResponseStore:
    store = ResponseStore(tmp_path / "class.sqlite")
    for code, level in (("G1", 2), ("G2", 4), ("G1", 3)):
        store.submit(Submission(RUBRIC.id, RUBRIC.version, enterprise_id=code, enterprise_name="=HYPERLINK(\"x\")",
                                sector="J", size="small", answers={c: Answer(level=level) for c in CUS}))
    return store


def test_results_prints_the_class_summary(store, capsys):
    assert main(["questionnaire", "--results", "--store", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "Đã nộp: 2 người, 3 bài nộp" in out
    assert "#01" in out and "G1" not in out
    assert main(["questionnaire", "--results", "--named", "--store", str(store.path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "G1" in out and "Advancing" in out


def test_export_csv_is_spreadsheet_safe_and_parquet_round_trips(store, tmp_path, capsys):
    csv_path = tmp_path / "out" / "class.csv"
    assert main(["questionnaire", "--export", str(csv_path), "--store", str(store.path)]) == 0
    assert "Đã ghi 2 bài trả lời" in capsys.readouterr().out
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text

    parquet = tmp_path / "class.parquet"
    assert main(["questionnaire", "--export", str(parquet), "--all-versions", "--store", str(store.path)]) == 0
    back = pd.read_parquet(parquet)
    assert back["version"].tolist() == [1, 1, 2]
    assert back["CUS.ENG.1"].tolist() == [2, 4, 3]

    assert main(["questionnaire", "--export", str(tmp_path / "x.txt"), "--store", str(store.path)]) == 2


def test_missing_store_and_bad_port(tmp_path, capsys):
    assert main(["questionnaire", "--results", "--store", str(tmp_path / "none.sqlite")]) == 1
    assert "Không có kho dữ liệu" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["questionnaire", "--port", "80"])
    with pytest.raises(SystemExit):
        main(["questionnaire", "--port", "abc"])


def test_serve_fails_early_on_a_wrong_rubric_or_dimension(tmp_path, capsys):
    assert main(["questionnaire", "--rubric", "no-such-rubric", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "no-such-rubric" in capsys.readouterr().err
    assert main(["questionnaire", "--dimensions", "XYZ", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "XYZ" in capsys.readouterr().err
