"""``dxlab crosswalk``: list, show, validate and apply from the command line, in both languages."""

from __future__ import annotations

import pandas as pd
import yaml

import dxlab
from dxlab.cli import main


def test_list_and_show(capsys):
    assert main(["crosswalk", "list", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "mobifone-dx--eu-dma" in out and "eu-dma" in out and "tmf-dmm" in out
    assert main(["crosswalk", "show", "mobifone-dx--eu-dma", "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Khung MobiFone") and "| STR | DBS | exact |" in out


def test_validate_reports_every_problem(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"id": "x", "version": "1", "title": "x", "source": {"rubric": "mobifone-dx"},
                                   "target": {"framework": "eu-dma"},
                                   "links": [{"from": "CUS", "to": "XYZ", "relation": "same", "provenance": "drafted",
                                              "reason": "r"}]}), encoding="utf-8")
    assert main(["crosswalk", "validate", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "links[0].to" in err and "links[0].relation" in err and str(bad) in err
    good = dxlab.crosswalk.load_crosswalk("mobifone-dx--tmf-dmm").path
    assert main(["crosswalk", "validate", str(good), "--lang", "vi"]) == 0
    assert "bảng ánh xạ hợp lệ" in capsys.readouterr().out


def test_apply_writes_scores_and_coverage(tmp_path, capsys):
    rubric = dxlab.load_rubric("mobifone-dx")
    responses = pd.DataFrame({c: pd.array([2, 4], dtype="Int8") for c in rubric.criterion_ids})
    responses.insert(0, "response_id", ["R1", "R2"])
    source = tmp_path / "responses.parquet"
    responses.to_parquet(source)
    assert main(["crosswalk", "apply", str(source), "--crosswalk", "mobifone-dx--eu-dma", "--out", str(tmp_path),
                 "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "GRN" in out and "not guessed" in out
    table = pd.read_parquet(tmp_path / "crosswalk-mobifone-dx--eu-dma.parquet")
    assert table["response"].tolist() == ["R1", "R2"]
    assert table["DBS"].tolist() == [25.0, 75.0] and table["GRN"].isna().all()
    coverage = pd.read_csv(tmp_path / "crosswalk-mobifone-dx--eu-dma-coverage.csv")
    assert coverage["covered"].tolist() == [True] * 5 + [False]
