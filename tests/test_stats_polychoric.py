"""The polychoric correlation: R polycor/psych oracles on real data, the shared fixtures, edge cases."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab.stats as st
from dxlab.stats._polychoric import fit_polychoric

REF = Path(__file__).resolve().parent / "reference" / "stats"
ITEMS = [f"{s}{i}" for s in "ACENO" for i in range(1, 6)]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_keyed.csv").astype("Int8")


@pytest.fixture(scope="module")
def ours(bfi) -> pd.DataFrame:
    return st.correlations(bfi, ITEMS, "polychoric")


def _fixture_tables(folder: Path) -> tuple[list[str], np.ndarray]:
    names, tables = [], []
    for path in sorted(folder.glob("normal_rho=*_bins=5.csv")):
        frame = pd.read_csv(path)
        table = pd.crosstab(frame["x1"], frame["x2"]).reindex(index=range(5), columns=range(5), fill_value=0)
        names.append(path.name)
        tables.append(table.to_numpy(dtype=float))
    return names, np.array(tables)


def test_shared_fixtures_match_r_polycor(shared_fixtures):
    folder = shared_fixtures / "reference" / "polychoric"
    expected = pd.read_csv(folder / "results_r.csv").set_index("file")["rho"]
    names, tables = _fixture_tables(folder)
    assert len(names) == 20
    fit = fit_polychoric(tables)
    true_rho = np.array([float(re.search(r"rho=(-?[\d.]+)", n).group(1)) for n in names])
    reference = expected[names].to_numpy()
    moderate = np.abs(true_rho) <= 0.8
    np.testing.assert_allclose(fit.rho[moderate], reference[moderate], atol=1e-4)
    # |rho| = 0.9: R's optimiser stops early; ours goes at least as far towards the truth
    high = np.abs(true_rho) == 0.9
    assert np.all(np.abs(fit.rho[high]) >= np.abs(reference[high]) - 2e-3)
    assert np.all(np.abs(fit.rho[high] - reference[high]) < 2e-2)
    # rho = −1: the table is a perfect staircase — the estimate is the boundary, with a note
    perfect = true_rho == -1.0
    assert fit.rho[perfect].tolist() == [-1.0]
    assert "boundary" in fit.note[int(np.flatnonzero(perfect)[0])]


def test_bfi_matches_r_polycor_all_300_pairs(bfi, ours):
    reference = pd.read_csv(REF / "bfi_polychoric.csv")
    assert (ours["item_x"].to_numpy() == reference["x"].to_numpy()).all()
    np.testing.assert_array_equal(ours["n"], reference["n"])
    # R's likelihood maximised to 1e-10 (scripts/r/stats_reference.R) — the same estimator exactly
    np.testing.assert_allclose(ours["r"], reference["rho_tight"], atol=2e-7)
    # polycor::polychor as users call it (optimise, tolerance ~1.2e-4)
    np.testing.assert_allclose(ours["r"], reference["rho_polychor"], atol=1e-4)
    # standard errors: R's numerical Hessian at its BFGS optimum
    np.testing.assert_allclose(ours["se"], reference["se"], rtol=2e-3)
    assert (ours["note"] == "").all()


def test_bfi_matches_psych_polychoric_options(bfi):
    reference = pd.read_csv(REF / "bfi_psych_polychoric.csv")
    items = [f"A{i}" for i in range(1, 6)] + [f"C{i}" for i in range(1, 6)]
    global_fit = st.correlations(bfi, items, "polychoric", thresholds="global")
    np.testing.assert_allclose(global_fit["r"], reference["rho_global"], atol=1e-3)
    corrected = st.correlations(bfi, items, "polychoric", correct=0.5)
    np.testing.assert_allclose(corrected["r"], reference["rho_pairwise_correct"], atol=1e-3)


def test_wald_interval_and_test_follow_from_r_and_se(ours):
    r, se = ours["r"].to_numpy(), ours["se"].to_numpy()
    z = np.arctanh(r)
    half = 1.959963984540054 * se / (1 - r ** 2)
    np.testing.assert_allclose(ours["ci_low"], np.tanh(z - half), rtol=1e-12)
    np.testing.assert_allclose(ours["ci_high"], np.tanh(z + half), rtol=1e-12)
    from scipy import stats as sps
    np.testing.assert_allclose(ours["p"], 2 * sps.norm.sf(np.abs(r / se)), rtol=1e-12)


def test_empty_level_is_the_same_as_dropping_it():
    table = np.array([[20, 10, 2, 1], [8, 25, 9, 3], [0, 0, 0, 0], [1, 6, 14, 22.0]])
    without = np.delete(table, 2, axis=0)
    fit = fit_polychoric(np.stack([table]))
    # pad the reduced table back to 4 levels at the end so both have the same shape
    padded = np.vstack([without, np.zeros((1, 4))])
    reduced = fit_polychoric(np.stack([padded]))
    assert fit.rho[0] == pytest.approx(reduced.rho[0], abs=1e-12)
    assert fit.se[0] == pytest.approx(reduced.se[0], rel=1e-6)


def test_zero_cell_two_by_two_is_on_the_boundary():
    fit = fit_polychoric(np.array([[[30.0, 12.0], [0.0, 25.0]]]))
    assert fit.rho[0] == 1.0 and "boundary" in fit.note[0]
    corrected = fit_polychoric(np.array([[[30.0, 12.0], [0.0, 25.0]]]), correct=0.5)
    assert 0.9 < corrected.rho[0] < 1.0
    assert "1 zero cell(s) set to 0.5" in corrected.note[0]


def test_edge_cases_through_correlations():
    rng = np.random.default_rng(1)
    x = rng.integers(1, 6, 60)
    frame = pd.DataFrame({
        "x": pd.array(x, dtype="Int8"),
        "same": pd.array(x, dtype="Int8"),
        "reversed": pd.array(6 - x, dtype="Int8"),
        "constant": pd.array(np.full(60, 3), dtype="Int8"),
        "empty": pd.array([None] * 60, dtype="Int8"),
    })
    table = st.correlations(frame, list(frame.columns), "polychoric").set_index(["item_x", "item_y"])
    assert table.loc[("x", "same"), "r"] == 1.0
    assert table.loc[("x", "reversed"), "r"] == -1.0
    assert "boundary" in table.loc[("x", "same"), "note"]
    assert np.isnan(table.loc[("x", "constant"), "r"])
    assert table.loc[("x", "constant"), "note"] == "y is constant where both are answered"
    assert table.loc[("x", "empty"), "note"] == "no rows with both answered"
    assert table.loc[("x", "empty"), "n"] == 0
    assert table["note"].str.len().gt(0).all()  # every pair here is special and says so


def test_unit_weights_change_nothing_and_integer_weights_replicate_rows(bfi):
    sub = bfi[["A1", "A2", "C1"]].dropna().iloc[:600].reset_index(drop=True)
    plain = st.correlations(sub, ["A1", "A2", "C1"], "polychoric")
    unit = st.correlations(sub, ["A1", "A2", "C1"], "polychoric", weights=np.ones(len(sub)))
    np.testing.assert_allclose(unit[["r", "se"]], plain[["r", "se"]], rtol=1e-10)
    weights = np.random.default_rng(2).integers(1, 4, len(sub))
    replicated = sub.loc[sub.index.repeat(weights)].reset_index(drop=True)
    weighted = st.correlations(sub, ["A1", "A2", "C1"], "polychoric", weights=weights)
    expanded = st.correlations(replicated, ["A1", "A2", "C1"], "polychoric")
    np.testing.assert_allclose(weighted["r"], expanded["r"], atol=1e-9)


def test_no_rows_and_perfect_rank_correlation():
    empty = pd.DataFrame({"a": pd.array([], dtype="Int8"), "b": pd.array([], dtype="Int8")})
    row = st.correlations(empty, ["a", "b"], "polychoric").iloc[0]
    assert np.isnan(row["r"]) and row["note"] == "no rows with both answered"
    x = np.repeat([1, 2, 3, 4, 5], 8)
    same = pd.DataFrame({"a": pd.array(x, dtype="Int8"), "b": pd.array(x, dtype="Int8")})
    for method in ("spearman", "kendall", "pearson"):
        row = st.correlations(same, ["a", "b"], method).iloc[0]
        # Kendall's z = S/√var(S) stays finite with ties: R cor.test(x, x, method = "kendall") p = 6.52e-15
        expected = pytest.approx(6.5209123138808115e-15, rel=1e-10) if method == "kendall" else 0.0
        assert row["r"] == pytest.approx(1.0) and row["p"] == expected
        assert row["ci_low"] == pytest.approx(1.0) and row["ci_high"] == pytest.approx(1.0)


def test_small_sparse_tables_match_r_polycor(bfi):
    # 40 respondents: every one of the 300 tables has empty cells, many have empty levels
    reference = pd.read_csv(REF / "bfi40_polychoric.csv")
    assert (reference["zero_cells"] > 0).all()
    ours = st.correlations(bfi.iloc[:40], ITEMS, "polychoric")
    np.testing.assert_array_equal(ours["n"], reference["n"])
    np.testing.assert_allclose(ours["r"], reference["rho_tight"], atol=1e-6)
    np.testing.assert_allclose(ours["r"], reference["rho_polychor"], atol=2e-4)
