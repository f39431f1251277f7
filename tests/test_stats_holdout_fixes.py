"""Regression tests for what the hold-out comparison against R found (scripts/r/stats_reference_holdout.R)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab.stats as st
from dxlab.stats._exact import kendall_exact_p

REF = Path(__file__).resolve().parent / "reference" / "stats"


@pytest.fixture(scope="module")
def ref() -> pd.Series:
    table = pd.read_csv(REF / "holdout_fixes.csv")
    return table.set_index(["case", "statistic"])["value"]


@pytest.mark.parametrize("subset", ["n8", "n9"])
def test_kendall_p_is_exact_without_ties_as_r_cor_test(ref, subset):
    data = pd.read_csv(REF / "extra_exact_spearman_data.csv").query("set == @subset")
    row = st.correlations(data, ["x", "y"], method="kendall").iloc[0]
    assert row["r"] == pytest.approx(ref[(f"kendall_{subset}", "tau")], abs=1e-12)
    assert row["p"] == pytest.approx(ref[(f"kendall_{subset}", "p")], rel=1e-10)
    assert "exact permutation p" in row["note"]
    normal = st.correlations(data, ["x", "y"], method="kendall", exact=False).iloc[0]
    assert normal["p"] != pytest.approx(row["p"], rel=1e-3)


def test_kendall_exact_distribution_by_hand():
    # n = 4: 24 permutations, inversion counts 0..6 with frequencies 1, 3, 5, 6, 5, 3, 1
    assert kendall_exact_p(1.0, 4) == pytest.approx(2 / 24)
    assert kendall_exact_p(2 / 3, 4) == pytest.approx(2 * 4 / 24)  # 5 concordant pairs: P(T ≥ 5) = 4/24
    assert kendall_exact_p(0.0, 4) == 1.0


def test_hommel_matches_p_adjust(ref):
    p = np.array([0.0001, 0.004, 0.019, 0.0095, 0.03, 0.2, 0.04, 0.5, 0.6, 0.0305, np.nan, 1])
    expected = np.array([ref[("hommel", f"p{i}")] for i in range(1, 13)])
    np.testing.assert_allclose(st.adjust_pvalues(p, "hommel"), expected, rtol=1e-12)


def test_omega_counts_negatively_loading_items_reversed_as_psych(ref):
    openness = pd.read_csv(REF / "holdout_bfi_openness.csv")
    items = [f"O{i}" for i in range(1, 6)]
    row = st.reliability(openness, {"O": items}).iloc[0]
    assert row["omega_total"] == pytest.approx(ref[("omega_flip", "omega_total")], abs=1e-8)
    assert row["alpha"] == pytest.approx(ref[("omega_flip", "alpha")], abs=1e-10)  # α is not flipped, as psych
    assert "O2, O5 load(s) negatively" in row["note"] and "reverse-keyed" in row["note"]


def test_columns_with_wide_integer_ranges_keep_their_levels(ref):
    sat = pd.read_csv(REF / "extra_sat_act.csv")
    for method in ("pearson", "spearman"):
        table = st.correlations(sat, ["ACT", "SATV", "SATQ"], method=method).set_index(["item_x", "item_y"])
        for x, y in [("ACT", "SATV"), ("ACT", "SATQ"), ("SATV", "SATQ")]:
            assert table.loc[(x, y), "r"] == pytest.approx(ref[(f"sat_{x}_{y}", method)], abs=1e-12)


def test_eta_squared_is_rstatix_kruskal_effsize():
    # eta2[H] = (H - k + 1)/(n - k) from R's kruskal.test H (rstatix::kruskal_effsize writes it so)
    reference = pd.read_csv(REF / "bfi_kruskal.csv")
    bfi = pd.read_csv(REF / "bfi_keyed.csv")
    items = reference["value"].tolist()
    ours = st.compare_groups(bfi, items, by="education", n_boot=0).set_index("item")
    for row in reference.itertuples():
        k = ours.loc[row.value, "groups"]
        expected = (row.H - k + 1) / (row.n - k)
        assert ours.loc[row.value, "eta_sq"] == pytest.approx(expected, rel=1e-12)


def test_kendall_tau_of_one_with_ties_keeps_its_normal_p():
    # seed 21's n = 8 sample: q1 and q4 perfectly concordant with ties. R:
    # cor.test(c(4,5,2,3,3,3,5,3), c(4,5,1,3,3,3,5,3), method = "kendall") -> tau 1, p = 0.00242159625922782
    data = pd.DataFrame({"q1": [4, 5, 2, 3, 3, 3, 5, 3], "q4": [4, 5, 1, 3, 3, 3, 5, 3]})
    row = st.correlations(data, ["q1", "q4"], method="kendall").iloc[0]
    assert row["r"] == 1.0
    assert row["p"] == pytest.approx(0.00242159625922782, rel=1e-10)
