"""Level distributions with Wilson intervals: R prop.test on real data, empty levels, weights, notes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab
import dxlab.stats as st
from dxlab.stats._distribution import wilson_interval

REF = Path(__file__).resolve().parent / "reference" / "stats"


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")


def test_counts_and_wilson_intervals_match_r_prop_test(bfi):
    expected = pd.read_csv(REF / "bfi_level_distribution.csv")
    ours = st.level_distribution(bfi, ["A1", "C2", "N3", "O5"], by="education", levels=range(1, 7))
    merged = expected.merge(ours, on=["item", "education", "level"], suffixes=("_r", ""), validate="1:1")
    assert len(merged) == len(expected) == 120
    np.testing.assert_array_equal(merged["count"], merged["count_r"])
    np.testing.assert_array_equal(merged["n"], merged["n_r"])
    np.testing.assert_allclose(merged["ci_low"], merged["ci_low_r"], atol=1e-12)
    np.testing.assert_allclose(merged["ci_high"], merged["ci_high_r"], atol=1e-12)


def test_wilson_matches_statsmodels():
    proportion_confint = pytest.importorskip("statsmodels.stats.proportion").proportion_confint
    low, high = wilson_interval(np.array([3 / 17]), np.array([17]), 0.9)
    expected = proportion_confint(3, 17, alpha=0.1, method="wilson")
    np.testing.assert_allclose([low[0], high[0]], expected, rtol=1e-12)


def test_a_level_one_group_never_chose_stays_with_count_zero():
    # jbryer/likert #50: a group without any "5" must not shift its labels
    frame = pd.DataFrame({"g": ["a"] * 4 + ["b"] * 4,
                          "x": pd.array([1, 2, 5, 5, 1, 2, 2, 3], dtype="Int8")})
    table = st.level_distribution(frame, ["x"], by="g")
    b = table[table["g"] == "b"].set_index("level")
    assert b.index.tolist() == [1, 2, 3, 4, 5]
    assert b["count"].tolist() == [1, 2, 1, 0, 0]
    assert b.loc[5, "share"] == 0.0 and b.loc[5, "ci_low"] == 0.0 and b.loc[5, "ci_high"] > 0
    assert table.groupby("g")["share"].sum().tolist() == pytest.approx([1.0, 1.0])


def test_rubric_levels_and_columns():
    rubric = dxlab.load_rubric("mobifone-dx")
    data = dxlab.sample.synthetic_responses(rubric, n=120, seed=4)
    table = st.level_distribution(data, rubric, levels=rubric)
    assert list(table.columns) == ["item", "level", "count", "share", "ci_low", "ci_high", "n", "note"]
    assert len(table) == len(rubric.criterion_ids) * 5
    first = table[table["item"] == rubric.criterion_ids[0]]
    assert first["n"].iloc[0] == data[rubric.criterion_ids[0]].notna().sum()
    assert first["count"].sum() == first["n"].iloc[0]


def test_weights_give_weighted_shares_and_kish_intervals():
    frame = pd.DataFrame({"x": pd.array([1, 1, 2, 3, 3, 3], dtype="Int8"), "w": [1.0, 2.0, 1.0, 0.5, 0.5, 1.0]})
    table = st.level_distribution(frame, ["x"], weights="w").set_index("level")
    assert table["count"].tolist() == pytest.approx([3.0, 1.0, 2.0])
    assert table["share"].tolist() == pytest.approx([0.5, 1 / 6, 1 / 3])
    n_eff = 6.0 ** 2 / (1 + 4 + 1 + 0.25 + 0.25 + 1)
    low, high = wilson_interval(np.array([0.5]), np.array([n_eff]))
    assert table.loc[1, "ci_low"] == pytest.approx(low[0]) and table.loc[1, "ci_high"] == pytest.approx(high[0])
    assert table["n"].tolist() == [6, 6, 6]


def test_integer_weights_count_like_replicated_rows():
    rng = np.random.default_rng(9)
    frame = pd.DataFrame({"x": pd.array(rng.integers(1, 6, 50), dtype="Int8"), "w": rng.integers(1, 4, 50)})
    weighted = st.level_distribution(frame, ["x"], weights="w")
    replicated = st.level_distribution(frame.loc[frame.index.repeat(frame["w"])], ["x"])
    np.testing.assert_allclose(weighted["count"], replicated["count"])
    np.testing.assert_allclose(weighted["share"], replicated["share"])


def test_small_groups_and_unanswered_items_are_flagged():
    frame = pd.DataFrame({"g": ["a", "a", "b", "b", "b", "b", "b", "b"],
                          "x": pd.array([1, 2, 3, 3, 2, 1, 1, 2], dtype="Int8"),
                          "none": pd.array([None] * 8, dtype="Int8")})
    table = st.level_distribution(frame, ["x", "none"], by="g", levels=range(1, 4))
    x = table[table["item"] == "x"].drop_duplicates("g").set_index("g")["note"]
    assert x["a"] == "only 2 answers: shares are unstable" and x["b"] == ""
    none = table[table["item"] == "none"]
    assert (none["note"] == "no answers").all() and none["share"].isna().all() and (none["count"] == 0).all()


def test_invalid_confidence_is_explained():
    with pytest.raises(ValueError, match="confidence must be a number between 0 and 1"):
        st.level_distribution(pd.DataFrame({"x": [1, 2]}), ["x"], confidence=95)
