"""The `dxlab` command: rubric list/show/validate and score."""

from __future__ import annotations

import pandas as pd
import pytest

import dxlab
from dxlab.cli import main

from .conftest import rubric_dict, write_rubric


def test_rubric_list(capsys):
    assert main(["rubric", "list"]) == 0
    out = capsys.readouterr().out
    assert "mobifone-dx" in out and "dx-six-facets" in out and "cx-use-cases" in out


def test_rubric_show_in_english(capsys):
    assert main(["rubric", "show", "mobifone-dx", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "## CUS — Customer" in out and "Khách hàng" not in out


def test_rubric_validate(tmp_path, capsys):
    bad = rubric_dict([{"id": "A", "title": "A", "groups": [{"id": "A.B", "title": "B", "criteria": [
        {"id": "A.B.1", "text": "x", "answer": "dropdown", "provenance": "drafted", "levels": {}}]}]}])
    path = write_rubric(tmp_path, bad)
    assert main(["rubric", "validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "dimensions[0].groups[0].criteria[0].answer: unknown answer type 'dropdown'" in err
    assert "dimensions[0].groups[0].criteria[0].levels: missing descriptors for levels 1, 2, 3, 4, 5" in err


def test_score_command(tmp_path, capsys):
    rubric = dxlab.load_rubric("mobifone-dx")
    data = dxlab.sample.synthetic_responses(rubric, n=50, seed=3)
    source = tmp_path / "responses.csv"
    data.to_csv(source, index=False)
    out = tmp_path / "out"
    assert main(["score", str(source), "--rubric", "mobifone-dx", "--scheme", "dbi2021", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "đã ghi" in printed and "Hình thành" in printed  # Vietnamese unless DXLAB_LANG or --lang says otherwise
    written = pd.read_parquet(out / "scores-dbi2021.parquet")
    expected = dxlab.score(data, rubric, scheme="dbi2021").overall
    assert written["overall.score"].tolist() == pytest.approx(expected["score"].tolist())
    assert (out / "scores-dbi2021.csv").exists()


def test_score_command_reports_errors(tmp_path, capsys):
    source = tmp_path / "raw.csv"
    pd.DataFrame({"CUS.ENG.1": ["Hình thành"]}).to_csv(source, index=False)
    with pytest.warns(UserWarning, match="30 criterion column"):
        assert main(["score", str(source), "--rubric", "mobifone-dx"]) == 2
    assert "raw.csv: column 'CUS.ENG.1'" in capsys.readouterr().err


def test_core_commands_do_not_load_the_heavy_plugins():
    import subprocess
    import sys

    code = ("import sys, contextlib, io; from dxlab.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()): main(['rubric', 'list'])\n"
            "print(sorted(m for m in ('dxlab.stats', 'dxlab.report', 'scipy.stats') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_lists_every_plugin_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("rubric", "score", "clean", "suggest-mapping", "stats", "report", "questionnaire", "cx"):
        assert command in out
