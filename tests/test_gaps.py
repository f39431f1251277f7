"""Gap analysis: targets as a level, per dimension, or a benchmark profile; next steps from descriptors."""

from __future__ import annotations

import pandas as pd
import pytest

import dxlab
from dxlab.scoring._gaps import GAP_COLUMNS

R = dxlab.load_rubric("mobifone-dx")
CUS = ["CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2"]


def one(levels: dict) -> pd.DataFrame:
    data = pd.DataFrame([levels], columns=list(R.criterion_ids)).astype("Int8")
    data.insert(0, "response_id", ["E1"])
    return data


def test_target_level_by_hand():
    scores = dxlab.score(one({"CUS.ENG.1": 2, "CUS.ENG.2": 4, "CUS.ENG.3": 1, "CUS.EXP.1": 5}), R)
    table = dxlab.gaps(scores, R, target=4)
    cus = table[table["dimension"] == "CUS"].set_index("criterion")
    assert list(table.columns) == GAP_COLUMNS
    # ENG.2 (4) and EXP.1 (5) already meet the target; EXP.2 unanswered counts from 0
    assert cus["gap"].to_dict() == {"CUS.EXP.2": 4, "CUS.ENG.3": 3, "CUS.ENG.1": 2}
    assert cus.loc["CUS.ENG.1", "next_step"] == R.descriptor("CUS.ENG.1", 3, "vi")
    assert cus.loc["CUS.ENG.1", "next_label"] == "Hình thành"
    assert cus.loc["CUS.EXP.2", "next_step"] == R.descriptor("CUS.EXP.2", 1, "vi")
    assert pd.isna(cus.loc["CUS.EXP.2", "current"])
    assert (table["priority"] == table["gap"] * table["weight"]).all()
    assert table["priority"].is_monotonic_decreasing


def test_priority_uses_weight(tmp_path):
    from .conftest import criterion, rubric_dict, write_rubric

    dims = [{"id": "D", "title": "D", "groups": [{"id": "D.G", "title": "G", "criteria": [
        criterion("D.G.1", weight=1), criterion("D.G.2", weight=3)]}]}]
    rubric = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict(dims)))
    levels = pd.DataFrame({"D.G.1": [1], "D.G.2": [3]}, dtype="Int8")
    table = dxlab.gaps(levels, rubric, target=5, lang="en")
    # gaps 4 and 2; priorities 4×1 = 4 and 2×3 = 6 → D.G.2 first
    assert table[["criterion", "gap", "priority"]].values.tolist() == [["D.G.2", 2, 6.0], ["D.G.1", 4, 4.0]]
    assert table["next_step"].tolist() == ["D.G.2 level 4 descriptor", "D.G.1 level 2 descriptor"]


def test_target_per_dimension_group_and_criterion():
    scores = dxlab.score(one({c: 2 for c in R.criterion_ids}), R)
    table = dxlab.gaps(scores, R, target={"CUS": 3, "CUS.EXP": 4, "CUS.EXP.2": 5})
    assert table.set_index("criterion")["target"].to_dict() == {
        "CUS.EXP.2": 5, "CUS.EXP.1": 4, "CUS.ENG.1": 3, "CUS.ENG.2": 3, "CUS.ENG.3": 3}


def test_benchmark_profile_sector_median():
    sample = dxlab.sample.synthetic_responses(R, n=400, seed=7)
    scores = dxlab.score(sample, R)
    median = scores.criteria[scores.meta["sector"] == "G"].astype("Float64").median()
    table = dxlab.gaps(scores, R, target=median, include_met=True)
    expected_target = median.apply(lambda v: int(-(-v // 1)))  # ceil
    got = table.drop_duplicates("criterion").set_index("criterion")["target"]
    assert got.to_dict() == expected_target[got.index].to_dict()
    assert len(table) == len(sample) * len(R.criterion_ids)
    assert (table["gap"] >= 0).all()


def test_top_level_has_no_next_step():
    table = dxlab.gaps(one({c: 5 for c in CUS}), R, target=5, include_met=True)
    cus = table[table["dimension"] == "CUS"]
    assert cus["gap"].eq(0).all() and cus["next_step"].isna().all()


def test_bad_targets():
    scores = dxlab.score(one({"CUS.ENG.1": 2}), R)
    with pytest.raises(ValueError, match="between 1 and 5"):
        dxlab.gaps(scores, R, target=7)
    with pytest.raises(ValueError, match="'XYZ'"):
        dxlab.gaps(scores, R, target={"XYZ": 3})
    with pytest.raises(ValueError, match="a level \\(e.g. 4\\)"):
        dxlab.gaps(scores, R, target="high")
    with pytest.raises(ValueError, match="'vi', 'en'"):
        dxlab.gaps(scores, R, lang="de")
