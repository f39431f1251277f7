"""``dxlab stats …`` sub-commands: each writes its table and exits 0; bad input gives a clear error."""

from __future__ import annotations

import pandas as pd
import pytest

import dxlab
import dxlab.stats as st
from dxlab.cli import main


@pytest.fixture(autouse=True)
def _english(monkeypatch):
    """These tests read the English messages (the default language is Vietnamese)."""
    monkeypatch.setenv("DXLAB_LANG", "en")


@pytest.fixture(scope="module")
def responses_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stats-cli")
    data = dxlab.sample.synthetic_responses("mobifone-dx", n=200, seed=3)
    path = folder / "responses.parquet"
    data.to_parquet(path)
    return path, data


@pytest.mark.parametrize("argv, output", [
    (["distribution", "--by", "size"], "level-distribution-by-size.csv"),
    (["association", "--by", "sector"], "association-by-sector.csv"),
    (["reliability", "--method", "polychoric"], "reliability-polychoric.csv"),
    (["items"], "item-analysis.csv"),
    (["correlations", "--method", "kendall"], "correlations-kendall.csv"),
    (["compare", "--by", "size", "--n-boot", "50"], "compare-by-size.csv"),
])
def test_each_command_writes_the_same_table_as_the_function(responses_file, tmp_path, capsys, argv, output):
    path, data = responses_file
    code = main(["stats", argv[0], str(path), "--out", str(tmp_path), *argv[1:]])
    assert code == 0
    written = pd.read_csv(tmp_path / output, encoding="utf-8-sig")
    assert f"wrote {tmp_path / output}" in capsys.readouterr().out
    rubric = dxlab.load_rubric("mobifone-dx")
    items = list(rubric.criterion_ids)
    expected, key = {
        "distribution": (lambda: st.level_distribution(data, items, by="size", levels=rubric), "share"),
        "association": (lambda: st.association(data, items, by="sector", levels=rubric), "chi2"),
        "reliability": (lambda: st.reliability(data, rubric, method="polychoric"), "alpha"),
        "items": (lambda: pd.concat([st.item_analysis(data, [c.id for c in d.criteria], levels=rubric)
                                     for d in rubric.dimensions], ignore_index=True), "item_total_r"),
        "correlations": (lambda: st.correlations(data, items, "kendall"), "r"),
        "compare": (lambda: st.compare_groups(data, items, by="size", n_boot=50, seed=0), "H"),
    }[argv[0]]
    table = expected()
    assert len(written) == len(table) > 0
    pd.testing.assert_series_equal(written[key], table[key].astype(float), check_names=False, rtol=1e-9)
    if argv[0] == "compare":  # the seeded bootstrap interval is reproduced too
        pd.testing.assert_series_equal(written["ci_low"], table["ci_low"], check_names=False, rtol=1e-9)


def test_missing_file_is_a_clear_error(tmp_path, capsys):
    assert main(["stats", "reliability", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_file_without_criteria_is_explained(tmp_path, capsys):
    path = tmp_path / "other.csv"
    pd.DataFrame({"a": [1, 2]}).to_csv(path, index=False)
    assert main(["stats", "distribution", str(path), "--out", str(tmp_path)]) == 2
    assert "no column is a criterion" in capsys.readouterr().err
