"""Reliability and item analysis against R psych (alpha, omega, fa) on real data and pingouin's documented values."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab
import dxlab.stats as st
from dxlab.stats._reliability import one_factor_uls

REF = Path(__file__).resolve().parent / "reference" / "stats"
SCALES = {s: [f"{s}{i}" for i in range(1, 6)] for s in "ACENO"}


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_alpha.csv").set_index("scale")


def test_alpha_interval_and_omega_match_psych(bfi, expected):
    ours = st.reliability(bfi, SCALES).set_index("scale")
    assert list(ours.index) == list(expected.index)
    np.testing.assert_array_equal(ours["k"], expected["k"])
    np.testing.assert_array_equal(ours["n"], expected["n"])
    for column in ("alpha", "ci_low", "ci_high", "alpha_std", "mean_r"):
        np.testing.assert_allclose(ours[column], expected[column], atol=1e-12, err_msg=column)
    # psych's minres optimiser stops at ~1e-6; ours solves the same least-squares problem to 1e-13
    np.testing.assert_allclose(ours["omega_total"], expected["omega_total"], atol=1e-6)
    assert (ours["note"] == "").all()


def test_polychoric_omega_and_ordinal_alpha_match_psych_on_polycor_matrix(bfi, expected):
    ours = st.reliability(bfi, SCALES, method="polychoric").set_index("scale")
    # R's matrix comes from polycor::polychor (optimise tolerance ~1e-4 per pair)
    np.testing.assert_allclose(ours["omega_total"], expected["omega_total_polychoric"], atol=2e-5)
    np.testing.assert_allclose(ours["alpha_std"], expected["alpha_ordinal"], atol=2e-5)
    np.testing.assert_allclose(ours["alpha"], expected["alpha"], atol=1e-12)  # raw α stays covariance-based


def test_listwise_alpha_matches_psych_with_complete_rows(bfi, expected):
    ours = st.reliability(bfi, SCALES, missing="listwise").set_index("scale")
    np.testing.assert_array_equal(ours["n"], expected["n_listwise"])
    np.testing.assert_allclose(ours["alpha"], expected["alpha_listwise"], atol=1e-12)
    # Feldt's interval with n = complete rows (psych::alpha.ci(alpha, n_complete, k))
    np.testing.assert_allclose(ours["ci_low"], expected["ci_low_listwise"], atol=1e-12)
    np.testing.assert_allclose(ours["ci_high"], expected["ci_high_listwise"], atol=1e-12)


def test_item_statistics_match_psych_alpha(bfi):
    expected = pd.read_csv(REF / "bfi_item_stats.csv")
    for name, items in SCALES.items():
        ours = st.item_analysis(bfi, items)
        reference = expected[expected["scale"] == name].reset_index(drop=True)
        assert ours["item"].tolist() == reference["item"].tolist()
        np.testing.assert_array_equal(ours["n"], reference["n"])
        for column in ("mean", "sd", "item_total_r", "alpha_if_deleted"):
            np.testing.assert_allclose(ours[column], reference[column], atol=1e-12, err_msg=f"{name} {column}")


def test_one_factor_loadings_match_psych_fa_minres(bfi):
    expected = pd.read_csv(REF / "bfi_fa_minres.csv")
    for name, items in SCALES.items():
        corr = bfi[items].astype(float).corr().to_numpy()
        reference = expected.loc[expected["scale"] == name, "loading"].to_numpy()
        np.testing.assert_allclose(one_factor_uls(corr), reference, atol=2e-5)


def test_pingouin_documented_values():
    pingouin = pytest.importorskip("pingouin")
    data = pingouin.read_dataset("cronbach_wide_missing")
    pairwise = st.reliability(data, list(data.columns)).iloc[0]
    assert pairwise["alpha"] == pytest.approx(0.732660835214447, abs=1e-15)
    assert [round(pairwise["ci_low"], 3), round(pairwise["ci_high"], 3)] == [0.435, 0.909]
    listwise = st.reliability(data, list(data.columns), missing="listwise").iloc[0]
    assert listwise["alpha"] == pytest.approx(0.8016949152542373, abs=1e-15)
    # pingouin's listwise interval uses all 12 rows; ours the 9 complete rows the α came from
    assert listwise["n"] == 9
    df1, df2 = 8, 8 * 10
    assert listwise["ci_low"] == pytest.approx(1 - (1 - listwise["alpha"]) * sps.f.isf(0.025, df1, df2))


def test_rubric_gives_one_scale_per_group_and_dimension():
    rubric = dxlab.load_rubric("mobifone-dx")
    data = dxlab.sample.synthetic_responses(rubric, n=300, seed=8)
    table = st.reliability(data, rubric)
    assert list(table.columns) == ["scale", "scope", "k", "n", "alpha", "ci_low", "ci_high", "alpha_std",
                                   "alpha_std_ci_low", "alpha_std_ci_high", "omega_total", "omega_ci_low",
                                   "omega_ci_high", "mean_r", "reversed", "note"]
    groups = [g.id for g in rubric.groups]
    dimensions = [d.id for d in rubric.dimensions]
    assert set(table.loc[table["scope"] == "group", "scale"]) == set(groups)
    assert set(table.loc[table["scope"] == "dimension", "scale"]) == set(dimensions)
    first_group = rubric.groups[0]
    assert table.set_index("scale").loc[first_group.id, "k"] == len(first_group.criteria)
    assert (table["alpha"].dropna() > 0.3).all()


def test_edge_cases_are_explained():
    rng = np.random.default_rng(2)
    latent = rng.normal(size=80)
    cols = {f"q{i}": pd.array(np.digitize(latent + rng.normal(size=80), [-1, 0, 1]) + 1, dtype="Int8")
            for i in range(4)}
    cols["flat"] = pd.array(np.full(80, 2), dtype="Int8")
    cols["empty"] = pd.array([None] * 80, dtype="Int8")
    cols["reversed"] = pd.array(5 - np.asarray(cols["q0"], dtype=int), dtype="Int8")
    frame = pd.DataFrame(cols)
    table = st.reliability(frame, {"with_bad": ["q0", "q1", "q2", "flat", "empty"], "pair": ["q0", "q1"],
                                   "single": ["q3"], "mixed": ["q0", "q1", "q2", "reversed"]}).set_index("scale")
    assert table.loc["with_bad", "k"] == 3
    assert table.loc["with_bad", "note"] == "flat is constant: left out; empty has no answers: left out"
    assert np.isfinite(table.loc["pair", "alpha"]) and np.isnan(table.loc["pair", "omega_total"])
    assert table.loc["pair", "note"] == "ω needs at least 3 items"
    assert np.isnan(table.loc["single", "alpha"]) and "fewer than 2 usable items" in table.loc["single", "note"]
    assert "reversed load(s) negatively" in table.loc["mixed", "note"]
    items = st.item_analysis(frame, ["q0", "q1", "flat", "empty"]).set_index("item")
    assert items.loc["flat", "note"] == "constant item: left out of the totals"
    assert items.loc["empty", "note"] == "no answers" and items.loc["empty", "n"] == 0
    assert items.loc["q0", "note"] == "α if deleted needs at least 3 items"
    assert np.isfinite(items.loc["q0", "item_total_r"])


def test_bad_options_are_listed(bfi):
    with pytest.raises(ValueError, match="missing must be one of 'pairwise', 'listwise'"):
        st.reliability(bfi, SCALES, missing="drop")
    with pytest.raises(ValueError, match="method must be one of 'pearson', 'polychoric'"):
        st.reliability(bfi, SCALES, method="spearman")


def test_a_rubric_id_names_the_scales_like_the_rubric_itself():
    import dxlab
    from dxlab.sample import synthetic_responses

    data = synthetic_responses("mobifone-dx", n=200, seed=5)
    by_id = dxlab.stats.reliability(data, "mobifone-dx")
    by_object = dxlab.stats.reliability(data, dxlab.load_rubric("mobifone-dx"))
    pd.testing.assert_frame_equal(by_id, by_object)
    assert {"CUS", "CUS.ENG", "mobifone-dx"} <= set(by_id["scale"])
