"""Second round of dxlab.stats against R (scripts/r/stats_reference_extra.R) and hand calculations: psych's
zero-cell rule, tetrachoric, polyserial, cor.smooth, ω on improper solutions, BCa on ties, exact p-values,
Rao–Scott F, Jonckheere–Terpstra, Cliff's δ interval, reverse-keyed items, bad input, renamed arguments."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab.stats as st
from dxlab.stats._groups import cliffs_delta_interval, jonckheere_from_table
from dxlab.stats._minres import psych_minres_psi
from dxlab.stats._reliability import omega_total
from dxlab.stats._smooth import smooth_correlation

REF = Path(__file__).resolve().parent / "reference" / "stats"
AC = [f"A{i}" for i in range(1, 6)] + [f"C{i}" for i in range(1, 6)]


@pytest.fixture(scope="module")
def bfi() -> pd.DataFrame:
    return pd.read_csv(REF / "bfi_keyed.csv")


@pytest.mark.parametrize("rows", ["all", "first60"])
def test_correct_half_is_psych_polychoric_exactly(bfi, rows):
    reference = pd.read_csv(REF / "extra_psych_correct.csv").query("rows == @rows")
    data = bfi[AC].astype("Int8") if rows == "all" else bfi[AC].iloc[:60].astype("Int8")
    ours = st.correlations(data, AC, method="polychoric", correct=0.5)
    np.testing.assert_allclose(ours["r"], reference["rho_psych_tight"], atol=1e-6)
    np.testing.assert_allclose(ours["r"], reference["rho_psych"], atol=1e-4)  # optimise's own tolerance
    renormalised = st.correlations(data, AC, method="polychoric", correct=0.5, correct_rule="dxlab")
    sparse = ours["note"].str.contains("zero cell").to_numpy()
    if rows == "first60":  # dxlab's renormalised rule is a different estimate where cells were corrected
        assert sparse.any()
        assert not np.allclose(renormalised["r"].to_numpy()[sparse], reference["rho_psych_tight"].to_numpy()[sparse],
                               atol=1e-6)


@pytest.mark.parametrize("rows", ["all", "first60"])
def test_tetrachoric_is_psych_tetrachoric(bfi, rows):
    reference = pd.read_csv(REF / "extra_tetrachoric.csv").query("rows == @rows")
    dich = (bfi[AC] >= 4).astype("Int8").where(bfi[AC].notna())
    data = dich if rows == "all" else dich.iloc[:60]
    ours = st.correlations(data, AC, method="tetrachoric")
    np.testing.assert_allclose(ours["r"], reference["rho_psych_tight"], atol=1e-6)
    # psych::tetrachoric(global = FALSE): pairwise thresholds from the corrected, renormalised table
    pairwise = st.correlations(data, AC, method="tetrachoric", thresholds="pairwise")
    np.testing.assert_allclose(pairwise["r"], reference["rho_psych_pairwise"], atol=1e-4)
    with pytest.raises(ValueError, match="exactly two levels"):
        st.correlations(bfi[AC].astype("Int8"), AC, method="tetrachoric")


def test_polyserial_is_polycor_and_psych(bfi):
    reference = pd.read_csv(REF / "extra_polyserial.csv")
    ours = st.polyserial(bfi, AC, continuous="age")
    assert ours["item_y"].tolist() == AC and (ours["item_x"] == "age").all()
    np.testing.assert_allclose(ours["r"], reference["rho_polycor"], atol=1e-12)
    complete = bfi.dropna(subset=AC + ["age"])
    np.testing.assert_allclose(st.polyserial(complete, AC, continuous="age")["r"], reference["rho_psych_complete"],
                               atol=1e-12)
    # p is the Pearson test of the same rows (ρ = 0 ⇔ r = 0)
    pair = bfi[["age", "A1"]].dropna()
    assert ours["p"].iloc[0] == pytest.approx(sps.pearsonr(pair["age"], pair["A1"]).pvalue, rel=1e-9)


def test_smoothing_is_cor_smooth_and_always_reported(bfi):
    source = pd.read_csv(REF / "extra_smooth_input.csv").set_index("item").to_numpy()
    expected = pd.read_csv(REF / "extra_smooth_output.csv").set_index("item").to_numpy()
    smoothed, smallest = smooth_correlation(source)
    np.testing.assert_allclose(smoothed, expected, atol=1e-12)
    assert smallest < 0
    tetra = pd.read_csv(REF / "extra_smooth_tetra60.csv").set_index("item")
    dich = (bfi[AC].iloc[:60] >= 4).astype("Int8").where(bfi[AC].iloc[:60].notna())
    raw = st.correlation_matrix(dich, AC, method="tetrachoric")
    assert "not positive definite" in raw.attrs["note"] and "smooth=True" in raw.attrs["note"]
    smooth = st.correlation_matrix(dich, AC, method="tetrachoric", smooth=True)
    # R smoothed its own tetrachoric estimates, which psych fits to optimise's tolerance (~2e-5)
    np.testing.assert_allclose(smooth.to_numpy(), tetra.to_numpy(), atol=1e-4)
    assert "smoothed as psych::cor.smooth" in smooth.attrs["note"]


def test_omega_matches_psych_on_improper_solutions(bfi):
    cases = pd.read_csv(REF / "extra_omega_n8.csv")
    differences, heywood, flipped = [], 0, 0
    for _, case in cases.iterrows():
        rows = [int(v) - 1 for v in case["rows"].split()]
        items = [f"{case['scale']}{i}" for i in range(1, 6)]
        corr = np.corrcoef(bfi.iloc[rows][items].to_numpy(float).T)
        omega, loadings = omega_total(corr)
        heywood += case["max_h2"] > 1.0  # psych's own solution has a loading above 1
        flipped += (loadings < 0).any()  # psych::omega flips these items; so does dxlab's ΣR
        differences.append(abs(omega - case["omega_tot"]))
    differences = np.array(differences)
    assert heywood >= 30 and flipped >= 30
    # psych's L-BFGS-B path is followed step for step (with R's eigen routine, LAPACK dsyevr)
    assert differences.max() < 1e-10
    r1 = np.array([[1, 1, .6, .5], [1, 1, .6, .5], [.6, .6, 1, .4], [.5, .5, .4, 1]])
    assert omega_total(r1)[0] == pytest.approx(pd.read_csv(REF / "extra_omega_r1.csv")["omega_tot"][0], abs=1e-8)
    frame = bfi.iloc[[int(v) - 1 for v in cases.query("max_h2 > 1.04")["rows"].iloc[0].split()]]
    table = st.reliability(frame, {"A": [f"A{i}" for i in range(1, 6)], "C": [f"C{i}" for i in range(1, 6)],
                                   "E": [f"E{i}" for i in range(1, 6)]})
    assert table["note"].str.contains("Heywood").any()


def test_psych_minres_uniquenesses_are_psychs_where_the_solution_is_improper():
    # psych::fa(fm = "minres")$communalities (1 − ψ at the end of R's L-BFGS-B) on the n = 8 bfi samples
    cases = pd.read_csv(REF / "holdout_minres_cases.csv")
    k, upper = 5, np.triu_indices(5, 1)
    matched = 0
    for _, case in cases.iterrows():
        corr = np.eye(k)
        corr[upper[1], upper[0]] = case[[f"r{i}" for i in range(1, 11)]].to_numpy(float)  # R's lower.tri order
        corr = corr + corr.T - np.eye(k)
        psi = psych_minres_psi(corr)
        matched += np.max(np.abs(psi - case[[f"psi{i}" for i in range(1, 6)]].to_numpy(float))) < 1e-8
    assert matched == len(cases) and (cases[[f"psi{i}" for i in range(1, 6)]] <= 0.0050001).any(axis=1).sum() > 10


def test_bca_on_ties_falls_back_to_the_percentile_interval():
    sat = pd.read_csv(REF / "extra_sat_act.csv")
    reference = pd.read_csv(REF / "extra_boot_median.csv").iloc[0]
    row = st.bootstrap_ci(sat, "ACT", statistic="median", n_boot=2000, seed=1).iloc[0]
    assert row["method"] == "percentile" and "percentile interval" in row["note"]
    assert (row["ci_low"], row["ci_high"]) == (reference["perc_low"], reference["perc_high"])
    assert row["se"] == pytest.approx(reference["se"], rel=0.3)


def test_exact_p_values_match_r():
    reference = pd.read_csv(REF / "extra_exact_p.csv").set_index("test")
    mw = pd.read_csv(REF / "extra_exact_mw_data.csv")
    row = st.compare_two(mw, "value", by="group").iloc[0]
    assert row["method"] == "exact" and row["U"] == reference.loc["mann_whitney", "statistic"]
    assert row["p"] == pytest.approx(reference.loc["mann_whitney", "p"], rel=1e-12)
    assert row["p"] == pytest.approx(sps.mannwhitneyu(mw.value[mw.group == "a"], mw.value[mw.group == "b"],
                                                      method="exact").pvalue, rel=1e-12)
    normal = st.compare_two(mw, "value", by="group", exact=False).iloc[0]
    assert normal["method"] == "normal" and normal["p"] != row["p"]
    pairs = pd.read_csv(REF / "extra_exact_spearman_data.csv")
    for name in ("n8", "n9"):
        subset = pairs[pairs["set"] == name]
        ours = st.correlations(subset, ["x", "y"], method="spearman").iloc[0]
        assert ours["r"] == pytest.approx(reference.loc[f"spearman_{name}", "estimate"], abs=1e-12)
        assert ours["p"] == pytest.approx(reference.loc[f"spearman_{name}", "p"], rel=1e-9)
        assert "exact" in ours["note"]


def test_rao_scott_is_svychisq_f(bfi):
    reference = pd.read_csv(REF / "extra_svychisq.csv")
    housing = pd.read_csv(REF / "extra_housing.csv")
    order = ["Low", "Medium", "High"]
    housing["Sat"] = pd.Categorical(housing["Sat"], categories=order, ordered=True)
    for _, ref in reference.query("data == 'housing'").iterrows():
        ours = st.association(housing, ["Sat"], by=ref["by"], weights="Freq", levels=order).iloc[0]
        assert ours["test"] == "rao-scott"
        np.testing.assert_allclose([ours["F"], ours["dof"], ours["ddf"], ours["p"]],
                                   [ref["F"], ref["ndf"], ref["ddf"], ref["p"]], rtol=1e-9)
    complete = bfi.dropna(subset=AC + ["education"]).reset_index(drop=True)
    weights = pd.read_csv(REF / "extra_bfi_weights.csv")["w"].to_numpy()
    ours = st.association(complete, AC, by="education", weights=weights).set_index("item")
    expected = reference.query("data == 'bfi'").set_index("item")
    np.testing.assert_allclose(ours.loc[AC, "F"], expected.loc[AC, "F"], rtol=1e-8)
    np.testing.assert_allclose(ours.loc[AC, "p"], expected.loc[AC, "p"], rtol=1e-6)


def test_jonckheere_variance_is_the_permutation_variance():
    values = np.array([1, 2, 2, 3, 3, 3, 4, 5])
    groups = np.array([0, 0, 1, 1, 1, 2, 2, 2])
    table = np.zeros((3, 5))
    np.add.at(table, (groups, values - 1), 1)
    j, mean, var = jonckheere_from_table(table)
    hand = sum((b > a) + 0.5 * (b == a) for g, h in itertools.combinations(range(3), 2)
               for a in values[groups == g] for b in values[groups == h])
    assert j == hand
    every = []
    for perm in set(itertools.permutations(values)):
        v = np.array(perm)
        t = np.zeros((3, 5))
        np.add.at(t, (groups, v - 1), 1)
        every.append(jonckheere_from_table(t)[0])
    counts = pd.Series(every).value_counts()
    weights = counts.to_numpy() / counts.sum()
    exact_mean = float((counts.index.to_numpy() * weights).sum())
    exact_var = float(((counts.index.to_numpy() - exact_mean) ** 2 * weights).sum())
    assert mean == pytest.approx(exact_mean, rel=1e-12) and var == pytest.approx(exact_var, rel=1e-12)
    frame = pd.DataFrame({"size": pd.Categorical(["micro", "small", "medium", "large"] * 30,
                                                 categories=["micro", "small", "medium", "large"], ordered=True),
                          "x": np.tile([1, 2, 3, 3], 30) + np.repeat([0, 1], 60)})
    row = st.jonckheere(frame, "x", by="size").iloc[0]
    assert row["order"] == "micro < small < medium < large" and row["z"] > 0 and row["p"] < 1e-6
    assert st.association(frame, ["x"], by="size")["ordinal_test"].iloc[0] == "linear-by-linear"


def test_cliffs_delta_interval_by_hand():
    rng = np.random.default_rng(5)
    a, b = rng.integers(1, 6, 23), rng.integers(2, 6, 17)
    d = np.sign(a[:, None] - b[None, :])
    delta = d.mean()
    s2 = (17 ** 2 * ((d.mean(axis=1) - delta) ** 2).sum() + 23 ** 2 * ((d.mean(axis=0) - delta) ** 2).sum()
          - ((d - delta) ** 2).sum()) / (23 * 17 * 22 * 16)
    z = sps.norm.ppf(0.975)
    root = z * np.sqrt(s2) * np.sqrt((1 - delta ** 2) ** 2 + z * z * s2)
    low, high = [(delta - delta ** 3 + sign * root) / (1 - delta ** 2 + z * z * s2) for sign in (-1, 1)]
    table = np.array([np.bincount(a, minlength=6)[1:], np.bincount(b, minlength=6)[1:]], dtype=float)
    ours = cliffs_delta_interval(table, 0.95)
    np.testing.assert_allclose(ours, (delta, low, high), atol=1e-14)
    frame = pd.DataFrame({"x": np.concatenate([a, b]), "g": ["a"] * 23 + ["b"] * 17})
    row = st.compare_two(frame, "x", by="g").iloc[0]
    assert row["cliffs_delta"] == pytest.approx(2 * row["U"] / (23 * 17) - 1, abs=1e-14)  # = rank-biserial r
    assert "rank_biserial" not in row.index


def test_reverse_keyed_items(bfi):
    raw = bfi[[f"A{i}" for i in range(1, 6)]].copy()
    raw["A1"] = 7 - raw["A1"]  # undo the keying: A1 is reverse-keyed again
    items = list(raw.columns)
    wrong = st.reliability(raw, items).iloc[0]
    right = st.reliability(raw, items, reverse=["A1"], levels=range(1, 7)).iloc[0]
    keyed = st.reliability(bfi, items).iloc[0]
    assert wrong["alpha"] < keyed["alpha"] and right["alpha"] == pytest.approx(keyed["alpha"], abs=1e-12)
    assert right["reversed"] == "A1"
    table = st.item_analysis(raw, items, reverse=["A1"], levels=range(1, 7)).set_index("item")
    assert bool(table.loc["A1", "reversed"]) and table.loc["A1", "mean"] == pytest.approx(bfi["A1"].mean())
    scores = st.scale_scores(raw, items, reverse=["A1"], levels=range(1, 7))
    np.testing.assert_allclose(scores["score"], bfi[items].mean(axis=1), atol=1e-12)

    class KeyedRubric:
        criterion_ids = items
        level_values = tuple(range(1, 7))
        reverse_items = ("A1",)

    via_rubric = st.item_analysis(raw, KeyedRubric()).set_index("item")
    assert bool(via_rubric.loc["A1", "reversed"])


def test_bootstrap_intervals_for_omega_and_ordinal_alpha(bfi):
    items = [f"A{i}" for i in range(1, 6)]
    data = bfi[items].iloc[:300].astype("Int8")
    table = st.reliability(data, items, method="polychoric", n_boot=60, seed=3).iloc[0]
    assert table["omega_ci_low"] < table["omega_total"] < table["omega_ci_high"]
    assert table["alpha_std_ci_low"] < table["alpha_std"] < table["alpha_std_ci_high"]
    # the same resamples by hand: multinomial row counts from the same seed
    rng = np.random.default_rng(3)
    omegas = []
    for counts in rng.multinomial(300, np.full(300, 1 / 300), size=60):
        again = st.reliability(data.loc[data.index.repeat(counts)], items, method="polychoric").iloc[0]
        omegas.append(again["omega_total"])
    assert table["omega_ci_low"] == pytest.approx(np.quantile(omegas, 0.025), abs=1e-6)
    assert table["omega_ci_high"] == pytest.approx(np.quantile(omegas, 0.975), abs=1e-6)


def test_bad_input_is_named():
    frame = pd.DataFrame({"a": [1.0, 2.0, np.inf, 4.0, 5.0, 3.0], "b": [1, 2, 3, 4, 5, 3]})
    for call in (lambda: st.reliability(frame, ["a", "b"]), lambda: st.item_analysis(frame, ["a", "b"]),
                 lambda: st.correlations(frame, ["a", "b"], method="pearson"),
                 lambda: st.level_distribution(frame, ["a", "b"])):
        with pytest.raises(ValueError, match=r"column 'a', row 2: infinite"):
            call()
    stray = pd.DataFrame({"a": [1, 2, 2.5, 4, 5, 3, 3, 2], "b": [1, 2, 3, 4, 5, 7, 3, 3]})
    with pytest.raises(ValueError, match=r"column .a., row 2: value\(s\) 2\.5 not among the levels; "
                                         r"column .b., row 5: value\(s\) 7"):
        st.level_distribution(stray, ["a", "b"], levels=range(1, 6))
    note = st.level_distribution(stray, ["a", "b"])["note"].iloc[0]
    assert "2.5 in column 'a' (row 2)" in note and "7 in column 'b' (row 5)" in note
    with pytest.raises(ValueError, match=r"column 'x', row 1: value 'abc' is not a number"):
        st.bootstrap_ci(pd.DataFrame({"x": ["1", "abc", "3"]}), "x")
    with pytest.raises(ValueError, match=r"between 0 and 1; got -0\.1 \(position 0\)"):
        st.adjust_pvalues(np.array([-0.1, 0.2]))
    with pytest.raises(ValueError, match="same group twice"):
        st.compare_two(pd.DataFrame({"x": [1, 2, 3], "g": ["a", "a", "b"]}), "x", by="g", groups=("a", "a"))
    duplicated = pd.DataFrame([[1, 2], [2, 3]], columns=["a", "a"])
    with pytest.raises(ValueError, match="duplicate column names: 'a'"):
        st.reliability(duplicated, ["a"])


def test_old_argument_names_still_work_with_a_warning(bfi):
    items = [f"A{i}" for i in range(1, 6)]
    data = bfi[items + ["gender"]].astype("Int8")
    with pytest.warns(DeprecationWarning, match="scales="):
        old = st.reliability(data, scales=items)
    pd.testing.assert_frame_equal(old, st.reliability(data, items))
    with pytest.warns(DeprecationWarning, match="method by position"):
        st.correlations(data, items, "kendall")
    with pytest.warns(DeprecationWarning, match="values="):
        st.compare_groups(data, values=items, by="gender", n_boot=0)
    with pytest.warns(DeprecationWarning, match="by position"):
        st.level_distribution(data, items, "gender")
    with pytest.warns(DeprecationWarning, match="bootstrap_ci"):
        st.bootstrap_ci(data.astype(float), "mean", ["A1"], n_boot=50)
    with pytest.warns(DeprecationWarning, match="value="):
        st.posthoc(data, value="A1", by="gender")
    assert "p_adj" in st.compare_two(data, items, by="gender").columns
    assert "p_adj" in st.compare_groups(data, items, by="gender", n_boot=0).columns


def _loglik_scipy(table: np.ndarray, row_cut: float, col_cut: float, rho: float) -> float:
    """ℓ of a 2 × 2 table under given thresholds, with SciPy's bivariate normal (an independent oracle)."""
    p11 = sps.multivariate_normal([0, 0], [[1, rho], [rho, 1]]).cdf([row_cut, col_cut])
    px, py = sps.norm.cdf(row_cut), sps.norm.cdf(col_cut)
    cells = np.array([[p11, px - p11], [py - p11, 1 - px - py + p11]])
    return float(np.sum(np.where(table > 0, table * np.log(np.maximum(cells, 1e-300)), 0.0)))


@pytest.mark.parametrize("table, cuts", [([[2.0, 0.0], [0.0, 2.0]], (-0.3, 0.2)),
                                         ([[0.0, 3.0], [1.0, 1.0]], (0.31863936, -0.52440051)),
                                         ([[4.0, 0.0], [3.0, 1.0]], (0.1, 0.4))])
def test_global_thresholds_with_a_zero_cell_find_the_maximum(table, cuts):
    from dxlab.stats._polychoric import fit_polychoric

    tables = np.array([table])
    fit = fit_polychoric(tables, np.array([[cuts[0]]]), np.array([[cuts[1]]]))
    grid = np.linspace(-0.9999, 0.9999, 801)
    values = np.array([_loglik_scipy(np.array(table), cuts[0], cuts[1], r) for r in grid])
    best = grid[np.argmax(values)]
    assert "converge" not in fit.note[0]
    if abs(best) > 0.999:
        assert fit.rho[0] == np.sign(best) and "boundary" in fit.note[0]
    else:
        assert fit.rho[0] == pytest.approx(best, abs=3e-3)
        assert _loglik_scipy(np.array(table), cuts[0], cuts[1], fit.rho[0]) >= values.max() - 1e-6


def test_by_and_weights_follow_the_common_vocabulary(bfi):
    from dxlab.stats._reliability import cronbach_alpha_from_cov, feldt_interval

    items = [f"C{i}" for i in range(1, 6)]
    data = bfi[items + ["gender"]].dropna().reset_index(drop=True)
    data[items] = data[items].astype("Int8")
    per_group = st.reliability(data, items, by="gender")
    for gender, part in data.groupby("gender"):
        row = per_group[per_group["gender"] == gender].iloc[0]
        alone = st.reliability(part, items).iloc[0]
        assert row["alpha"] == pytest.approx(alone["alpha"], abs=1e-12) and row["n"] == len(part)
    pairs = st.correlations(data, items, by="gender", method="kendall")
    first = data[data["gender"] == 1]
    np.testing.assert_allclose(pairs[pairs["gender"] == 1]["r"], st.correlations(first, items, method="kendall")["r"])
    # weights: α of the weighted covariance (scale-free), Feldt's interval on the Kish effective size
    w = 1.0 + (np.arange(len(data)) % 3)
    values = data[items].to_numpy(float)
    mean = np.average(values, axis=0, weights=w)
    cov = ((values - mean) * w[:, None]).T @ (values - mean)
    alpha = cronbach_alpha_from_cov(cov)
    kish = w.sum() ** 2 / (w ** 2).sum()
    row = st.reliability(data, items, weights=w).iloc[0]
    assert row["alpha"] == pytest.approx(alpha, abs=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(feldt_interval(alpha, kish, 5, 0.95), abs=1e-12)
    assert "effective size" in row["note"]
    with pytest.raises(ValueError, match="no standard weighted form"):
        st.compare_groups(data, items, by="gender", weights=w)
    dunn = st.posthoc(data, items[:2], by="gender")
    assert dunn["item"].tolist() == items[:2]


def test_rubric_gives_levels_and_reverse_items():
    import dxlab

    rubric = dxlab.load_rubric("mobifone-dx")
    data = dxlab.sample.synthetic_responses(rubric, n=200, seed=3)
    first = rubric.criterion_ids[0]
    broken = data.copy()
    broken[first] = broken[first].astype("Float64")
    broken.loc[broken.index[4], first] = 2.5
    with pytest.raises(ValueError, match=rf"column '{first}', row 4: value\(s\) 2\.5 not among the levels"):
        st.level_distribution(broken, rubric)
    scores = st.scale_scores(data, rubric)
    dimension = rubric.dimensions[0]
    members = [c.id for c in dimension.criteria if c.id in data.columns]
    np.testing.assert_allclose(scores[dimension.id], data[members].astype(float).mean(axis=1), atol=1e-12)


@pytest.mark.parametrize("name", ["level_distribution", "association", "reliability", "item_analysis", "correlations",
                                  "correlation_matrix", "compare_groups", "posthoc", "compare_two", "bootstrap_ci",
                                  "jonckheere", "polyserial", "scale_scores"])
def test_every_function_speaks_the_same_vocabulary(name):
    import inspect

    parameters = inspect.signature(getattr(st, name)).parameters
    names = list(parameters)
    assert names[:2] == ["data", "items"], name
    for keyword in ("by", "weights", "levels"):
        assert parameters[keyword].kind is inspect.Parameter.KEYWORD_ONLY and parameters[keyword].default is None


def test_polyserial_by_group_is_the_subset(bfi):
    data = bfi[AC + ["age", "gender"]]
    table = st.polyserial(data, AC[:3], continuous="age", by="gender")
    women = st.polyserial(data[data["gender"] == 2], AC[:3], continuous="age")
    np.testing.assert_allclose(table[table["gender"] == 2]["r"], women["r"], atol=1e-15)


def test_one_member_group_says_why_there_is_no_interval():
    frame = pd.DataFrame({"x": [1.5, 2.5, 3.5, 4.5, 0.5], "g": ["a", "a", "a", "a", "b"]})
    row = st.compare_two(frame, "x", by="g").iloc[0]
    assert row["method"] == "exact" and row["p"] == pytest.approx(0.4)  # U = 4 of 5 arrangements: 2 · 1/5
    assert np.isnan(row["ci_low"]) and "at least 2 members" in row["note"]


def test_the_rubrics_reverse_keyed_items_are_recoded():
    import dxlab

    rubric = dxlab.load_rubric("mobifone-dx")
    if not getattr(rubric, "reverse_items", ()):
        pytest.skip("this rubric declares no reverse-keyed item")
    data = dxlab.sample.synthetic_responses(rubric, n=1500, seed=4)
    reversed_item = rubric.reverse_items[0]
    dimension = reversed_item.split(".")[0]
    table = st.reliability(data, rubric).set_index("scale")
    assert reversed_item in table.loc[dimension, "reversed"] and "negatively" not in table.loc[dimension, "note"]
    members = [c for c in rubric.criterion_ids if c.startswith(dimension + ".")]
    by_hand = st.reliability(data, members, reverse=[reversed_item], levels=rubric).iloc[0]
    assert table.loc[dimension, "alpha"] == pytest.approx(by_hand["alpha"], abs=1e-12)
    # a survey that did not ask the reversed item: nothing to recode, no error
    st.reliability(data.drop(columns=[reversed_item]), rubric)
