"""dxlab.consensus: several respondents of an enterprise become one assessment, with their spread."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dxlab

RUBRIC = dxlab.load_rubric("mobifone-dx")
C1, C2, C3 = RUBRIC.criterion_ids[:3]


@pytest.fixture(autouse=True)
def _english_notes(monkeypatch):
    """The notes are checked in English here (they follow DXLAB_LANG, Vietnamese by default)."""
    monkeypatch.setenv("DXLAB_LANG", "en")


def _responses() -> pd.DataFrame:
    return pd.DataFrame({
        "enterprise_id": ["A", "A", "A", "A", "B", "A", "A", "C", "C"],
        "wave": ["T0", "T0", "T0", "T0", "T0", "T1", "T1", "T0", "T0"],
        "respondent_role": ["Giám đốc", "Trưởng phòng CNTT", "Kế toán trưởng", "Chuyên viên", "Giám đốc",
                            "Trưởng phòng CNTT", "Giám đốc", "Chuyên viên", "Trưởng phòng CNTT"],
        "sector": ["C", "C", "C", "C", "G", "C", "C", "J", "J"],
        C1: pd.array([2, 3, 5, 4, 3, 4, 4, 1, None], dtype="Int8"),
        C2: pd.array([3, 3, 3, 3, 1, 2, 5, 2, 2], dtype="Int8"),
        C3: pd.array([1, 2, 4, 5, None, 3, 3, 5, 1], dtype="Int8"),
    })


def test_median_min_mean_by_hand():
    data = _responses()
    median = dxlab.consensus(data, RUBRIC).responses.set_index(["enterprise_id", "wave"])
    assert median.loc[("A", "T0"), C1] == 3  # 2,3,4,5: the lower middle value
    assert median.loc[("A", "T0"), C3] == 2  # 1,2,4,5
    assert median.loc[("A", "T1"), C2] == 2  # 2,5
    assert median.loc[("C", "T0"), C1] == 1 and median.loc[("C", "T0"), "n_respondents"] == 2
    assert median.loc[("B", "T0"), C1] == 3 and pd.isna(median.loc[("B", "T0"), C3])
    lowest = dxlab.consensus(data, RUBRIC, how="min").responses.set_index(["enterprise_id", "wave"])
    assert lowest.loc[("A", "T0"), C1] == 2 and lowest.loc[("A", "T1"), C2] == 2
    mean = dxlab.consensus(data, RUBRIC, how="mean").responses.set_index(["enterprise_id", "wave"])
    assert mean.loc[("A", "T0"), C1] == 3  # 3.5: halfway goes down
    assert mean.loc[("A", "T0"), C3] == 3  # 3.0
    assert mean.loc[("A", "T1"), C2] == 3  # 3.5 → 3
    assert mean.loc[("C", "T0"), C3] == 3  # 3.0
    assert str(median[C1].dtype) == "Int8"


def test_role_order_takes_the_first_role_that_answered():
    data = _responses()
    roles = ["Trưởng phòng CNTT", "Giám đốc"]
    table = dxlab.consensus(data, RUBRIC, how="role", roles=roles).responses.set_index(["enterprise_id", "wave"])
    assert table.loc[("A", "T0"), C1] == 3  # the IT head
    assert table.loc[("C", "T0"), C1] == 1  # the IT head left it blank: the next role (Chuyên viên)
    assert table.loc[("A", "T1"), C2] == 2
    with pytest.raises(ValueError, match="roles="):
        dxlab.consensus(data, RUBRIC, how="role")


def test_spread_range_iqr_rwg_and_flags_by_hand():
    data = _responses()
    result = dxlab.consensus(data, RUBRIC)
    spread = result.spread.set_index(["enterprise_id", "wave", "criterion"])
    row = spread.loc[("A", "T0", C1)]
    values = np.array([2, 3, 5, 4])
    assert row["n"] == 4 and row["range"] == 3 and row["flagged"]
    assert row["iqr"] == pytest.approx(np.quantile(values, 0.75) - np.quantile(values, 0.25))
    assert row["rwg"] == pytest.approx(1 - np.var(values, ddof=1) / 2.0)
    constant = spread.loc[("A", "T0", C2)]
    assert constant["range"] == 0 and constant["rwg"] == 1.0 and not constant["flagged"]
    assert spread.loc[("C", "T0", C3), "rwg"] == 0.0  # 1 and 5: more spread than random answers
    single = spread.loc[("B", "T0", C1)]
    assert np.isnan(single["rwg"]) and "one respondent" in single["note"]
    assert spread.loc[("B", "T0", C3), "note"] == "nobody answered"
    flagged = result.disagreements("A")
    assert flagged["range"].is_monotonic_decreasing and set(flagged["criterion"]) >= {C1, C3}
    assert result.spread.columns.tolist()[2:] == ["criterion", "n", "consensus", "min", "max", "range", "iqr",
                                                  "rwg", "flagged", "note"]


def test_ready_for_score_and_metadata_carried():
    panel = dxlab.sample.synthetic_panel(RUBRIC, n=80, seed=9)
    combined = dxlab.consensus(panel, RUBRIC)
    assert not combined.responses.duplicated(["enterprise_id", "wave"]).any()
    scores = dxlab.score(combined.responses, RUBRIC)
    assert len(scores) == len(combined.responses)
    assert combined.responses["sector"].dtype == panel["sector"].dtype
    assert combined.responses["n_respondents"].sum() == len(panel)
    change = dxlab.stats.paired_change(combined.responses, RUBRIC)
    assert (change["n_pairs"] > 0).all()


def test_bad_input_is_named():
    data = _responses()
    with pytest.raises(ValueError, match="how must be one of"):
        dxlab.consensus(data, RUBRIC, how="mode")
    bad = data.astype({C1: "float"})
    bad.loc[2, C1] = 7
    with pytest.raises(ValueError, match=rf"row 2, column '{C1}': 7.0 is not a level"):
        dxlab.consensus(bad, RUBRIC)
    with pytest.raises(ValueError, match="column 'enterprise_id' is empty in row 0"):
        dxlab.consensus(data.assign(enterprise_id=[None] + ["A"] * 8), RUBRIC)
    without_wave = dxlab.consensus(data.drop(columns="wave"), RUBRIC)
    assert "wave" not in without_wave.responses.columns and len(without_wave.responses) == 3


def test_reverse_keyed_criteria_take_the_cautious_reading_on_the_maturity_scale():
    rubric = dxlab.load_rubric("mobifone-dx")
    reverse = rubric.reverse_items[0]
    data = pd.DataFrame({"enterprise_id": ["A", "A"], "wave": ["T0", "T0"],
                         reverse: pd.array([1, 4], dtype="Int8")})  # raw answers: 1 is the most mature
    lowest = dxlab.consensus(data, rubric, how="min").responses
    assert lowest[reverse].iloc[0] == 4  # the cautious reading is the less mature answer, kept as written
    scored = dxlab.score(lowest, rubric)
    assert scored.criteria[reverse].iloc[0] == 2  # score() reverses it: 1 + 5 − 4
