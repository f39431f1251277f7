"""Spearman, Kendall τ-b and Pearson from the pair tables, against R psych::corr.test / cor.test and SciPy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab.stats as st

REF = Path(__file__).resolve().parent / "reference" / "stats"
ITEMS = [f"{s}{i}" for s in "ACENO" for i in range(1, 6)]
Z975 = 1.959963984540054


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_correlations.csv")


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_r_n_and_p_match_r(bfi, reference, method):
    ours = st.correlations(bfi, ITEMS, method, adjust="none")
    expected = reference[reference["method"] == method].reset_index(drop=True)
    assert ours["item_x"].tolist() == expected["x"].tolist() and ours["item_y"].tolist() == expected["y"].tolist()
    np.testing.assert_array_equal(ours["n"], expected["n"])
    np.testing.assert_allclose(ours["r"], expected["r"], atol=1e-13)
    # Pearson/Spearman: psych::corr.test's t test; Kendall: R cor.test(exact = FALSE)
    np.testing.assert_allclose(ours["p"], expected["p"], rtol=1e-9, atol=1e-300)


def test_pearson_interval_matches_psych(bfi, reference):
    ours = st.correlations(bfi, ITEMS, "pearson")
    expected = reference[reference["method"] == "pearson"].reset_index(drop=True)
    np.testing.assert_allclose(ours["ci_low"], expected["ci_low"], atol=1e-12)
    np.testing.assert_allclose(ours["ci_high"], expected["ci_high"], atol=1e-12)
    np.testing.assert_allclose(ours["p_adj"], expected["p_holm"], rtol=1e-9, atol=1e-300)


def test_spearman_and_kendall_match_scipy_with_bonett_wright_and_fieller_intervals(bfi):
    spearman = st.correlations(bfi, ["A1", "C4", "N3", "O5"], "spearman").set_index(["item_x", "item_y"])
    kendall = st.correlations(bfi, ["A1", "C4", "N3", "O5"], "kendall").set_index(["item_x", "item_y"])
    for (x, y), row in spearman.iterrows():
        both = bfi[[x, y]].dropna().astype(float)
        n = len(both)
        rho, p = sps.spearmanr(both[x], both[y])
        assert row["r"] == pytest.approx(rho, abs=1e-13) and row["p"] == pytest.approx(p, rel=1e-9)
        half = Z975 * np.sqrt((1 + rho ** 2 / 2) / (n - 3))
        assert row["ci_low"] == pytest.approx(np.tanh(np.arctanh(rho) - half), abs=1e-12)
        assert row["ci_high"] == pytest.approx(np.tanh(np.arctanh(rho) + half), abs=1e-12)
        tau = sps.kendalltau(both[x], both[y], method="asymptotic")
        krow = kendall.loc[(x, y)]
        assert krow["r"] == pytest.approx(tau.statistic, abs=1e-13)
        assert krow["p"] == pytest.approx(tau.pvalue, rel=1e-9)
        half = Z975 * np.sqrt(0.437 / (n - 4))
        assert krow["ci_low"] == pytest.approx(np.tanh(np.arctanh(tau.statistic) - half), abs=1e-12)


def test_se_is_what_the_test_divides_by(bfi):
    table = st.correlations(bfi, ["E1", "E2", "E3"], "pearson")
    t = table["r"] / table["se"]
    np.testing.assert_allclose(2 * sps.t.sf(np.abs(t), table["n"] - 2), table["p"], rtol=1e-10)


def test_correlation_matrix_is_symmetric_with_unit_diagonal(bfi):
    items = ["O1", "O2", "O3", "O4"]
    matrix = st.correlation_matrix(bfi, items, "spearman")
    long = st.correlations(bfi, items, "spearman")
    assert matrix.shape == (4, 4) and list(matrix.index) == items
    np.testing.assert_allclose(matrix.to_numpy(), matrix.to_numpy().T)
    np.testing.assert_array_equal(np.diag(matrix), 1.0)
    assert matrix.loc["O1", "O3"] == long.set_index(["item_x", "item_y"]).loc[("O1", "O3"), "r"]
    counts = st.correlation_matrix(bfi, items, "spearman", value="n")
    assert counts.loc["O2", "O2"] == bfi["O2"].notna().sum()
    pvalues = st.correlation_matrix(bfi, items, "spearman", value="p")
    assert np.isnan(pvalues.loc["O1", "O1"])


def test_pairwise_deletion_uses_each_pairs_rows():
    frame = pd.DataFrame({"a": pd.array([1, 2, 3, 4, 5, None, 2], dtype="Int8"),
                          "b": pd.array([2, 2, 3, 5, 4, 1, None], dtype="Int8"),
                          "c": pd.array([None, 1, 2, 2, 3, 5, 4], dtype="Int8")})
    ours = st.correlations(frame, ["a", "b", "c"], "pearson").set_index(["item_x", "item_y"])
    expected = frame.astype(float).corr()
    for (x, y), row in ours.iterrows():
        assert row["r"] == pytest.approx(expected.loc[x, y], abs=1e-13)
        assert row["n"] == frame[[x, y]].dropna().shape[0]


def test_constant_item_and_tiny_samples_say_why():
    frame = pd.DataFrame({"a": pd.array([1, 2, 3, 4, 5, 3], dtype="Int8"),
                          "flat": pd.array([3, 3, 3, 3, 3, 3], dtype="Int8"),
                          "few": pd.array([1, 2, 3, None, None, None], dtype="Int8")})
    for method in ("pearson", "spearman", "kendall"):
        table = st.correlations(frame, ["a", "flat", "few"], method).set_index(["item_x", "item_y"])
        assert np.isnan(table.loc[("a", "flat"), "r"])
        assert table.loc[("a", "flat"), "note"] == "y is constant where both are answered"
        assert table.loc[("a", "few"), "r"] == pytest.approx(1.0)
        assert np.isnan(table.loc[("a", "few"), "p"])
        assert "only 3 rows" in table.loc[("a", "few"), "note"]


def test_weighted_pearson_equals_replicated_rows(bfi):
    sub = bfi[["C1", "C2", "C3"]].iloc[:500].reset_index(drop=True)
    weights = np.random.default_rng(4).integers(1, 5, len(sub))
    weighted = st.correlations(sub, ["C1", "C2", "C3"], "pearson", weights=weights)
    replicated = st.correlations(sub.loc[sub.index.repeat(weights)], ["C1", "C2", "C3"], "pearson")
    np.testing.assert_allclose(weighted["r"], replicated["r"], atol=1e-12)
    with pytest.raises(ValueError, match="weights apply to method='pearson' or 'polychoric'"):
        st.correlations(sub, ["C1", "C2"], "spearman", weights=weights)


def test_bad_options_list_the_valid_ones(bfi):
    with pytest.raises(ValueError, match="method must be one of 'spearman', 'kendall', 'polychoric', 'tetrachoric', 'pearson'"):
        st.correlations(bfi, ["A1", "A2"], "tau")
    with pytest.raises(ValueError, match="adjust must be one of"):
        st.correlations(bfi, ["A1", "A2"], adjust="tukey")
    with pytest.raises(ValueError, match="value must be one of"):
        st.correlation_matrix(bfi, ["A1", "A2"], value="t")


def test_complete_items_take_the_shortcut_with_the_same_numbers(bfi):
    complete = bfi[["E1", "E2", "E3", "O1"]].dropna().reset_index(drop=True)
    shortcut = st.correlations(complete, ["E1", "E2", "E3", "O1"], "spearman")
    gappy = complete.astype("Int8").copy()
    gappy.loc[len(gappy)] = pd.array([pd.NA, pd.NA, pd.NA, pd.NA], dtype="Int8")  # forces the table path
    tables = st.correlations(gappy, ["E1", "E2", "E3", "O1"], "spearman")
    np.testing.assert_allclose(shortcut["r"], tables["r"], atol=1e-13)
    np.testing.assert_allclose(shortcut["p"], tables["p"], rtol=1e-10)
    for row in shortcut.itertuples():
        assert row.r == pytest.approx(sps.spearmanr(complete[row.item_x], complete[row.item_y]).statistic, abs=1e-13)
