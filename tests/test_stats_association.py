"""χ², Cramér's V and the ordinal tests: R chisq.test and coin::lbl_test on real data, SciPy, hand formulas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from scipy.stats.contingency import association as scipy_association

import dxlab.stats as st

REF = Path(__file__).resolve().parent / "reference" / "stats"
ITEMS = [f"{s}{i}" for s in "ACENO" for i in range(1, 6)]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    frame = pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")
    frame["education"] = pd.Categorical(frame["education"].astype("float"), ordered=True)
    return frame


def test_chi_square_and_linear_by_linear_match_r(bfi):
    expected = pd.read_csv(REF / "bfi_association.csv")
    ours = st.association(bfi, ITEMS, by="education")
    assert ours["item"].tolist() == expected["item"].tolist()
    np.testing.assert_array_equal(ours["n"], expected["n"])
    np.testing.assert_allclose(ours["chi2"], expected["chi2"], rtol=1e-12)
    np.testing.assert_array_equal(ours["dof"].astype(int), expected["dof"])
    np.testing.assert_allclose(ours["p"], expected["p"], rtol=1e-9, atol=1e-300)
    np.testing.assert_allclose(ours["cramers_v"], expected["cramers_v"], rtol=1e-12)
    assert (ours["ordinal_test"] == "linear-by-linear").all()
    np.testing.assert_allclose(ours["ordinal_stat"], expected["lbl_stat"], rtol=1e-10)  # coin::lbl_test
    # coin evaluates its p-value to about 1e-4 relative accuracy (mvtnorm), hence the looser tolerance
    np.testing.assert_allclose(ours["ordinal_p"], expected["lbl_p"], rtol=1e-4, atol=1e-300)


def test_matches_scipy_after_dropping_an_empty_level():
    frame = pd.DataFrame({"g": list("aaaabbbbbcccccc"),
                          "x": pd.array([1, 2, 2, 5, 1, 1, 2, 5, 5, 2, 2, 5, 5, 5, 1], dtype="Int8")})
    row = st.association(frame, ["x"], by="g").iloc[0]
    observed = pd.crosstab(frame["g"], frame["x"]).to_numpy()  # levels 1, 2, 5 — 3 and 4 nobody chose
    chi2, p, dof, _ = sps.chi2_contingency(observed, correction=False)
    assert row["chi2"] == pytest.approx(chi2) and row["p"] == pytest.approx(p) and row["dof"] == dof == 4
    assert row["cramers_v"] == pytest.approx(scipy_association(observed, method="cramer"))
    assert "level(s) 3, 4 not chosen: left out" in row["note"]
    assert "expected count < 5" in row["note"]


def test_nominal_groups_get_the_mean_score_test():
    bfi = pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")
    bfi["gender_label"] = bfi["gender"].map({1: "nam", 2: "nữ"}).astype(object)
    bfi["region"] = np.where(bfi["age"] < 25, "young", np.where(bfi["age"] < 40, "middle", "older"))
    row = st.association(bfi, ["N3"], by="region").iloc[0]
    assert row["ordinal_test"] == "mean-score" and row["ordinal_dof"] == 2
    both = bfi[["N3", "region"]].dropna()
    groups = [both.loc[both["region"] == g, "N3"].astype(float) for g in ("middle", "older", "young")]
    f = sps.f_oneway(*groups).statistic
    n, k = len(both), 3
    expected = (n - 1) * f * (k - 1) / (f * (k - 1) + n - k)  # (N−1)·SS_between/SS_total from one-way F
    assert row["ordinal_stat"] == pytest.approx(expected, rel=1e-10)
    assert row["ordinal_p"] == pytest.approx(sps.chi2.sf(expected, 2), rel=1e-9)


def test_numeric_groups_use_their_values_as_scores():
    frame = pd.DataFrame({"dose": [0, 0, 0, 1, 1, 1, 4, 4, 4, 4],
                          "x": pd.array([1, 2, 2, 2, 3, 3, 4, 5, 5, 4], dtype="Int8")})
    row = st.association(frame, ["x"], by="dose").iloc[0]
    r = sps.pearsonr(frame["dose"], frame["x"].astype(float)).statistic
    assert row["ordinal_test"] == "linear-by-linear"
    assert row["ordinal_stat"] == pytest.approx((len(frame) - 1) * r ** 2, rel=1e-12)


def test_weights_scale_to_the_kish_effective_size():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"g": rng.choice(["a", "b", "c"], 300), "x": pd.array(rng.integers(1, 5, 300), dtype="Int8"),
                          "w": rng.uniform(0.5, 2.0, 300)})
    plain = st.association(frame, ["x"], by="g").iloc[0]
    constant = st.association(frame, ["x"], by="g", weights=np.full(300, 3.0)).iloc[0]
    # equal weights: the Rao–Scott design effect is n/(n−1) per eigenvalue, X² is Pearson's
    assert constant["chi2"] == pytest.approx(plain["chi2"], rel=1e-12)
    assert constant["test"] == "rao-scott" and constant["F"] == pytest.approx(plain["chi2"] / plain["dof"] * 299 / 300,
                                                                            rel=1e-9)
    weighted = st.association(frame, ["x"], by="g", weights="w").iloc[0]
    table = pd.crosstab(frame["g"], frame["x"], values=frame["w"], aggfunc="sum").to_numpy()
    n_eff = frame["w"].sum() ** 2 / (frame["w"] ** 2).sum()
    chi2, _, _, _ = sps.chi2_contingency(table * n_eff / table.sum(), correction=False)
    assert weighted["cramers_v"] == pytest.approx(np.sqrt(chi2 / (n_eff * 2)), rel=1e-10)
    assert weighted["n"] == 300 and "Rao–Scott" in weighted["note"] and "effective size" in weighted["note"]


def test_untestable_items_say_why():
    frame = pd.DataFrame({"g": ["a", "a", "b", "b"], "one": pd.array([3, 3, 3, 3], dtype="Int8"),
                          "only_a": pd.array([1, 2, None, None], dtype="Int8"),
                          "none": pd.array([None] * 4, dtype="Int8")})
    table = st.association(frame, ["one", "only_a", "none"], by="g", levels=range(1, 6)).set_index("item")
    assert table.loc["one", "note"].endswith("only one level chosen: no test")
    assert "only one group answered: no test" in table.loc["only_a", "note"]
    assert table.loc["none", "note"] == "no answers"
    assert table["chi2"].isna().all()
