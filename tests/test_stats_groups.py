"""Kruskal–Wallis, Dunn and Mann–Whitney from value × group tables: R kruskal.test / wilcox.test, SciPy, pingouin."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab.stats as st

REF = Path(__file__).resolve().parent / "reference" / "stats"
ITEMS = [f"{s}{i}" for s in "ACENO" for i in range(1, 6)]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")


def test_kruskal_wallis_and_epsilon_squared_match_r(bfi):
    expected = pd.read_csv(REF / "bfi_kruskal.csv")
    ours = st.compare_groups(bfi, ITEMS, by="education", n_boot=0)
    assert ours["item"].tolist() == expected["value"].tolist()
    np.testing.assert_array_equal(ours["n"], expected["n"])
    np.testing.assert_allclose(ours["H"], expected["H"], rtol=1e-12)
    np.testing.assert_array_equal(ours["dof"].astype(int), expected["dof"])
    np.testing.assert_allclose(ours["p"], expected["p"], rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(ours["epsilon_sq"], expected["epsilon_sq"], rtol=1e-12)
    assert ours["ci_low"].isna().all()  # n_boot=0: no interval asked for


def test_continuous_scores_match_scipy_kruskal():
    rng = np.random.default_rng(6)
    frame = pd.DataFrame({"score": np.round(rng.normal(3, 0.7, 400), 2), "g": rng.choice(list("abcd"), 400)})
    frame.loc[::37, "score"] = np.nan
    row = st.compare_groups(frame, "score", by="g", n_boot=0).iloc[0]
    samples = [frame.loc[frame["g"] == g, "score"].dropna() for g in "abcd"]
    expected = sps.kruskal(*samples)
    assert row["H"] == pytest.approx(expected.statistic, rel=1e-12)
    assert row["p"] == pytest.approx(expected.pvalue, rel=1e-10)


def test_table_bootstrap_agrees_with_resampling_rows():
    rng = np.random.default_rng(12)
    g = rng.choice(["a", "b", "c"], 300)
    x = np.clip(np.round(rng.normal(2.5 + (g == "c") * 0.6, 1.0)), 1, 5).astype(int)
    frame = pd.DataFrame({"x": pd.array(x, dtype="Int8"), "g": g})
    row = st.compare_groups(frame, "x", by="g", n_boot=2000, seed=3).iloc[0]
    again = st.compare_groups(frame, "x", by="g", n_boot=2000, seed=3).iloc[0]
    assert (row["ci_low"], row["ci_high"]) == (again["ci_low"], again["ci_high"])  # seeded
    codes = pd.factorize(g, sort=True)[0]

    def epsilon(values: np.ndarray, groups: np.ndarray) -> float:
        parts = [values[groups == k] for k in range(3) if np.any(groups == k)]
        return sps.kruskal(*parts).statistic / (len(values) - 1)

    rows = sps.bootstrap((x.astype(float), codes), epsilon, paired=True, vectorized=False, n_resamples=2000,
                         method="percentile", rng=np.random.default_rng(5)).confidence_interval
    width = rows.high - rows.low
    assert row["ci_low"] == pytest.approx(rows.low, abs=0.25 * width)
    assert row["ci_high"] == pytest.approx(rows.high, abs=0.25 * width)
    assert row["ci_low"] < row["epsilon_sq"] < row["ci_high"]


def test_dunn_matches_the_formula_with_scipy_ranks(bfi):
    table = st.posthoc(bfi, "A1", by="education", adjust="holm")
    both = bfi[["A1", "education"]].dropna()
    values, groups = both["A1"].astype(float).to_numpy(), both["education"].astype(int).to_numpy()
    ranks = sps.rankdata(values)
    n = len(values)
    _, ties = np.unique(values, return_counts=True)
    variance = n * (n + 1) / 12 - (ties ** 3 - ties).sum() / (12 * (n - 1))
    levels = sorted(set(groups))
    assert len(table) == len(levels) * (len(levels) - 1) // 2
    for row in table.itertuples():
        a, b = int(float(row.group_a)), int(float(row.group_b))
        ra, rb = ranks[groups == a], ranks[groups == b]
        z = (ra.mean() - rb.mean()) / np.sqrt(variance * (1 / ra.size + 1 / rb.size))
        assert row.z == pytest.approx(z, rel=1e-12)
        assert row.p == pytest.approx(2 * sps.norm.sf(abs(z)), rel=1e-9)
        assert (row.n_a, row.n_b) == (ra.size, rb.size)
    np.testing.assert_allclose(table["p_adj"], st.adjust_pvalues(table["p"].to_numpy(), "holm"))


def test_mann_whitney_matches_r_wilcox_test(bfi):
    expected = pd.read_csv(REF / "bfi_mann_whitney.csv")
    ours = st.compare_two(bfi, ITEMS, by="gender")
    np.testing.assert_array_equal(ours["n_a"], expected["n_a"])
    np.testing.assert_allclose(ours["U"], expected["U"], rtol=1e-15)
    np.testing.assert_allclose(ours["p"], expected["p"], rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(ours["cliffs_delta"], expected["cliffs_delta"], atol=1e-14)
    assert ours["group_a"].iloc[0] == "1" and ours["group_b"].iloc[0] == "2"


def test_effect_sizes_match_pingouin_and_pairwise_counting():
    pingouin = pytest.importorskip("pingouin")
    rng = np.random.default_rng(1)
    a, b = rng.integers(1, 6, 37), rng.integers(2, 6, 29)
    frame = pd.DataFrame({"x": np.concatenate([a, b]), "g": ["a"] * 37 + ["b"] * 29})
    row = st.compare_two(frame, "x", by="g").iloc[0]
    reference = pingouin.mwu(a, b)
    assert row["U"] == reference["U_val"].iloc[0]
    assert row["p"] == pytest.approx(reference["p_val"].iloc[0], rel=1e-12)
    assert row["cliffs_delta"] == pytest.approx(reference["RBC"].iloc[0], abs=1e-14)
    delta = (np.sign(a[:, None] - b[None, :])).mean()  # Cliff's δ by counting every pair
    assert row["cliffs_delta"] == pytest.approx(delta, abs=1e-14)
    scipy_result = sps.mannwhitneyu(a, b, method="asymptotic")
    assert row["p"] == pytest.approx(scipy_result.pvalue, rel=1e-12)


def test_choosing_two_of_many_groups_and_errors():
    frame = pd.DataFrame({"x": [1, 2, 3, 4, 5, 2, 3, 4, 1], "g": list("aaabbbccc")})
    row = st.compare_two(frame, "x", by="g", groups=("c", "a")).iloc[0]
    assert (row["group_a"], row["group_b"], row["n_a"], row["n_b"]) == ("c", "a", 3, 3)
    assert "fewer than 5 members: c, a" in row["note"]
    with pytest.raises(ValueError, match="by has 3 groups"):
        st.compare_two(frame, "x", by="g")
    with pytest.raises(ValueError, match="group 'z' is not in the data"):
        st.compare_two(frame, "x", by="g", groups=("a", "z"))


def test_small_and_degenerate_groups_are_explained():
    frame = pd.DataFrame({"x": pd.array([1, 2, 3, 2, 4, 5, 3, 3, 3], dtype="Int8"),
                          "flat": pd.array([3] * 9, dtype="Int8"),
                          "g": ["a", "a", "a", "a", "a", "b", "b", "b", "c"]})
    table = st.compare_groups(frame, ["x", "flat"], by="g", n_boot=200).set_index("item")
    assert table.loc["x", "note"] == "group(s) with fewer than 5 members: b (3), c (1)"
    assert np.isfinite(table.loc["x", "H"])
    assert table.loc["flat", "note"].startswith("all values are equal: no test")
    alone = st.compare_groups(frame.assign(g="a"), ["x"], by="g").iloc[0]
    assert alone["note"] == "fewer than 2 groups with answers: no test" and np.isnan(alone["H"])
    dunn = st.posthoc(frame, "x", by="g")
    assert "fewer than 5 members: c" in dunn.set_index(["group_a", "group_b"]).loc[("a", "c"), "note"]


def test_no_rows_at_all_gives_notes_not_errors():
    empty = pd.DataFrame({"x": pd.array([], dtype="Int8"), "g": pd.Series([], dtype=object)})
    row = st.compare_groups(empty, "x", by="g").iloc[0]
    assert row["n"] == 0 and row["note"].startswith("fewer than 2 groups with answers")
    assert len(st.posthoc(empty, "x", by="g")) == 0
    with pytest.raises(ValueError, match="by has 0 groups"):
        st.compare_two(empty, "x", by="g")
