"""``dxlab stats change`` and ``dxlab stats agreement``: each writes the table its function gives."""

from __future__ import annotations

import pandas as pd
import pytest

import dxlab
import dxlab.stats as st
from dxlab.cli import main


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("waves-cli")
    data = dxlab.sample.synthetic_panel("mobifone-dx", n=120, seed=3)
    path = folder / "panel.csv"
    data.to_csv(path, index=False)
    return path, pd.read_csv(path)


def test_change_combines_respondents_then_writes_paired_change(panel_file, tmp_path, capsys):
    path, data = panel_file
    assert main(["stats", "change", str(path), "--out", str(tmp_path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Combined" in out and f"wrote {tmp_path / 'change-criteria.csv'}" in out
    written = pd.read_csv(tmp_path / "change-criteria.csv", encoding="utf-8-sig")
    rubric = dxlab.load_rubric("mobifone-dx")
    combined = dxlab.consensus(data, rubric).responses
    expected = st.paired_change(combined, rubric)
    assert written["item"].tolist() == expected["item"].tolist()
    assert written["p"].to_numpy() == pytest.approx(expected["p"].to_numpy(), rel=1e-9)


def test_change_on_levels_writes_transitions(panel_file, tmp_path, capsys):
    path, _ = panel_file
    assert main(["stats", "change", str(path), "--out", str(tmp_path), "--on", "levels", "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "Ma trận chuyển mức" in out and "đã ghi" in out
    levels = pd.read_csv(tmp_path / "change-levels.csv", encoding="utf-8-sig")
    assert levels["item"].tolist() == ["CUS", "STR", "TEC", "OPS", "CPO", "DAT"]
    moves = pd.read_csv(tmp_path / "transitions-overall.csv", encoding="utf-8-sig")
    assert len(moves) == 25


@pytest.mark.parametrize("method, rows_per_item", [("icc", 7), ("krippendorff", 1), ("fleiss", 1)])
def test_agreement_writes_one_table_per_method(panel_file, tmp_path, method, rows_per_item):
    path, _ = panel_file
    argv = ["stats", "agreement", str(path), "--out", str(tmp_path), "--method", method, "--n-boot", "20"]
    assert main(argv) == 0
    written = pd.read_csv(tmp_path / f"agreement-{method}.csv", encoding="utf-8-sig")
    assert len(written) == len(dxlab.load_rubric("mobifone-dx").criterion_ids) * rows_per_item


def test_help_and_errors(panel_file, tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["stats", "agreement", "--help"])
    assert "--method" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"enterprise_id": [1], "x": [2]}).to_csv(bad, index=False)
    assert main(["stats", "change", str(bad), "--lang", "en"]) == 2
    assert "no column is a criterion" in capsys.readouterr().err
