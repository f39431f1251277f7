"""Agreement between respondents, checked against R psych (ICC, cohen.kappa), the ``krippendorff`` package,
statsmodels (Fleiss' κ, weighted κ variance), pingouin and hand calculations.

R's numbers come from ``scripts/r/waves_reference.R`` (outputs in ``tests/reference/waves/``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab
import dxlab.stats as st

REF = Path(__file__).resolve().parent / "reference" / "waves"
ICC_CHECKED = ["icc", "F", "df1", "df2", "p", "ci_low", "ci_high"]


@pytest.fixture(autouse=True)
def _english_notes(monkeypatch):
    """The notes are checked in English here (they follow DXLAB_LANG, Vietnamese by default)."""
    monkeypatch.setenv("DXLAB_LANG", "en")


def _long_from_matrix(matrix: np.ndarray, raters: list[str], item: str = "x") -> pd.DataFrame:
    n, k = matrix.shape
    return pd.DataFrame({"enterprise_id": np.repeat([f"S{i}" for i in range(n)], k),
                         "respondent_role": np.tile(raters, n), item: matrix.ravel()})


def test_icc_on_shrout_fleiss_matches_psych_and_the_paper():
    sf = pd.read_csv(REF / "shrout_fleiss.csv").to_numpy(dtype=float)
    data = _long_from_matrix(sf, ["J1", "J2", "J3", "J4"])
    table = st.agreement(data, "x", rater="respondent_role")
    expected = pd.read_csv(REF / "icc.csv")
    expected = expected[expected["item"] == "shrout_fleiss"]
    assert table["type"].tolist() == expected["type"].tolist()
    for column in ICC_CHECKED:
        assert table[column].to_numpy(dtype=float) == pytest.approx(expected[column].to_numpy(), rel=1e-9)
    # Shrout & Fleiss (1979), Table 4: .17, .29, .71, .44, .62, .91
    assert table["icc"].round(2).tolist() == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert (table["note"] == "").all() and (table["n_raters"] == 4).all()


def test_icc_three_roles_with_vietnamese_names_matches_psych_and_pingouin():
    import pingouin as pg

    long = pd.read_csv(REF / "icc_input.csv")
    data = long.pivot(index=["enterprise_id", "respondent_role"], columns="item", values="value").reset_index()
    table = st.agreement(data, ["Q1", "Q2", "Q3"], rater="respondent_role")
    expected = pd.read_csv(REF / "icc.csv")
    expected = expected[expected["item"] != "shrout_fleiss"].reset_index(drop=True)
    for column in ICC_CHECKED:
        assert table[column].to_numpy(dtype=float) == pytest.approx(expected[column].to_numpy(), rel=1e-8)
    peer = pg.intraclass_corr(long[long["item"] == "Q2"], targets="enterprise_id", raters="respondent_role",
                              ratings="value")
    mine = table[table["item"] == "Q2"]
    assert mine["icc"].to_numpy() == pytest.approx(peer["ICC"].to_numpy(), rel=1e-9)


def test_icc_drops_incomplete_subjects_with_a_count_and_flags_nested_raters():
    panel = dxlab.sample.synthetic_panel("mobifone-dx", n=300, seed=4)
    t0 = panel[panel["wave"] == "T0"]
    table = st.agreement(t0, ["CUS.ENG.1"])
    sizes = t0.groupby("enterprise_id").size()
    answered = t0.dropna(subset=["CUS.ENG.1"]).groupby("enterprise_id").size()
    k = int(sizes.max())
    assert (table["n_raters"] == k).all()
    assert table["n_subjects"].iloc[0] == int((answered == k).sum())
    assert "left out" in table["note"].iloc[0]
    assert "nested" in table.set_index("type").loc["ICC2", "note"]
    assert "nested" not in table.set_index("type").loc["ICC1", "note"]


def test_cohen_kappa_matches_psych_and_statsmodels():
    from statsmodels.stats.inter_rater import cohens_kappa

    pairs = pd.read_csv(REF / "kappa_input.csv")
    data = _long_from_matrix(pairs[["rater1", "rater2"]].to_numpy(), ["A", "B"])
    table = st.agreement(data, "x", rater="respondent_role", method="kappa", levels=[1, 2, 3, 4, 5])
    got = table.set_index("weights")
    expected = pd.read_csv(REF / "kappa.csv").set_index("weights")
    for kind in ("unweighted", "linear", "quadratic"):
        assert got.loc[kind, "kappa"] == pytest.approx(expected.loc[kind, "kappa"], rel=1e-10)
    assert got.loc["unweighted", "se"] ** 2 == pytest.approx(expected.loc["unweighted", "var"], rel=1e-10)
    assert got.loc["unweighted", "ci_low"] == pytest.approx(expected.loc["unweighted", "ci_low"], rel=1e-10)
    assert got.loc["unweighted", "ci_high"] == pytest.approx(expected.loc["unweighted", "ci_high"], rel=1e-10)
    table2 = pd.crosstab(pairs["rater1"], pairs["rater2"]).reindex(index=range(1, 6), columns=range(1, 6),
                                                                   fill_value=0).to_numpy()
    for kind in ("linear", "quadratic"):
        peer = cohens_kappa(table2, wt=kind)
        assert got.loc[kind, "kappa"] == pytest.approx(peer.kappa, rel=1e-10)
        assert got.loc[kind, "se"] ** 2 == pytest.approx(peer.var_kappa, rel=1e-10)
    assert (got["rater_a"] == "A").all() and (got["n"] == 200).all()


def _unbalanced(seed: int = 7, subjects: int = 150) -> pd.DataFrame:
    """2–5 respondents per enterprise, some answers blank: the design of a real multi-respondent survey."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(subjects):
        truth = rng.normal()
        for r in range(int(rng.integers(2, 6))):
            values = np.clip(np.round(3 + truth + rng.normal(0, 0.8, 3)), 1, 5)
            values[rng.random(3) < 0.1] = np.nan
            rows.append({"enterprise_id": f"E{s:03d}", "respondent_id": f"E{s:03d}-{r}", "a": values[0],
                         "b": values[1], "c": values[2]})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval"])
def test_krippendorff_matches_the_krippendorff_package_on_unbalanced_data(metric):
    import krippendorff

    data = _unbalanced()
    table = st.agreement(data, ["a", "b", "c"], method="krippendorff", metric=metric, n_boot=200, seed=1)
    positions = data.groupby("enterprise_id").cumcount()
    for item, row in table.set_index("item").iterrows():
        matrix = data.assign(pos=positions).pivot(index="enterprise_id", columns="pos", values=item).to_numpy()
        expected = krippendorff.alpha(reliability_data=matrix.T, level_of_measurement=metric)
        assert row["alpha"] == pytest.approx(expected, rel=1e-10)
        assert row["ci_low"] < row["alpha"] < row["ci_high"]
        assert row["n_raters"] == 5
    again = st.agreement(data, ["a"], method="krippendorff", metric=metric, n_boot=200, seed=1)
    assert again["ci_low"].iloc[0] == table["ci_low"].iloc[0]


def test_krippendorff_declared_levels_do_not_change_alpha():
    data = _unbalanced(seed=3)
    free = st.agreement(data, ["a"], method="krippendorff", n_boot=0)
    declared = st.agreement(data, ["a"], method="krippendorff", n_boot=0, levels=[0, 1, 2, 3, 4, 5, 6])
    assert free["alpha"].iloc[0] == pytest.approx(declared["alpha"].iloc[0])


def test_fleiss_matches_statsmodels_on_a_balanced_design():
    from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

    long = pd.read_csv(REF / "icc_input.csv")
    data = long.pivot(index=["enterprise_id", "respondent_role"], columns="item", values="value").reset_index()
    table = st.agreement(data, ["Q1", "Q2"], rater="respondent_role", method="fleiss", n_boot=100)
    for item, row in table.set_index("item").iterrows():
        matrix = long[long["item"] == item].pivot(index="enterprise_id", columns="respondent_role", values="value")
        counts, _ = aggregate_raters(matrix.to_numpy())
        assert row["kappa"] == pytest.approx(fleiss_kappa(counts, method="fleiss"), rel=1e-10)
        assert row["raters_min"] == row["raters_max"] == 3 and row["note"] == ""
        assert row["ci_low"] < row["kappa"] < row["ci_high"]


def test_rwg_j_by_hand_and_one_respondent_noted():
    data = pd.DataFrame({"enterprise_id": ["A", "A", "A", "B", "C", "C"], "respondent_id": list("123456"),
                         "x": [3, 4, 3, 2, 1, 5], "y": [2, 2, 3, 5, 5, 1], "z": [4, 4, 4, 1, 1, 5]})
    table = st.agreement(data, ["x", "y", "z"], method="rwg", levels=[1, 2, 3, 4, 5]).set_index("enterprise_id")
    expected_var = (5 ** 2 - 1) / 12
    s2 = np.mean([np.var([3, 4, 3], ddof=1), np.var([2, 2, 3], ddof=1), np.var([4, 4, 4], ddof=1)])
    j = 3
    rwg = j * (1 - s2 / expected_var) / (j * (1 - s2 / expected_var) + s2 / expected_var)
    assert table.loc["A", "rwg_j"] == pytest.approx(rwg)
    assert table.loc["A", "mean_variance"] == pytest.approx(s2)
    assert np.isnan(table.loc["B", "rwg_j"]) and "one respondent" in table.loc["B", "note"]
    assert table.loc["C", "rwg_j"] == 0.0 and "uniformly random" in table.loc["C", "note"]
    assert table.columns.tolist() == ["n_raters", "n_items", "mean_variance", "expected_variance", "rwg_j", "note"]


def test_edge_cases_give_notes():
    constant = pd.DataFrame({"enterprise_id": np.repeat(["A", "B", "C"], 2), "respondent_role": ["x", "y"] * 3,
                             "q": [3] * 6})
    for method in ("icc", "krippendorff", "kappa", "fleiss"):
        table = st.agreement(constant, "q", rater="respondent_role", method=method, n_boot=10)
        assert table["note"].str.contains("constant item").all(), method
    single = pd.DataFrame({"enterprise_id": ["A", "B"], "respondent_id": ["a1", "b1"], "q": [1, 2]})
    assert "one rater" in st.agreement(single, "q")["note"].iloc[0]
    assert "no subject has two answers" in st.agreement(single, "q", method="krippendorff")["note"].iloc[0]


def test_bad_input_is_named():
    data = pd.DataFrame({"enterprise_id": ["A", "A"], "respondent_role": ["x", "x"], "q": [1, 2]})
    with pytest.raises(ValueError, match="rater 'x' rates subject.*2 rows"):
        st.agreement(data, "q", rater="respondent_role")
    with pytest.raises(ValueError, match="method must be one of"):
        st.agreement(data, "q", rater="respondent_role", method="alpha")
    with pytest.raises(ValueError, match="rater column 'respondent_id' is not in the data"):
        st.agreement(data, "q")
    with pytest.raises(ValueError, match="metric must be one of"):
        st.agreement(data, "q", method="krippendorff", metric="ratio")


def test_subject_may_be_enterprise_and_wave():
    panel = dxlab.sample.synthetic_panel("mobifone-dx", n=120, seed=2)
    table = st.agreement(panel, ["CUS.ENG.1"], subject=["enterprise_id", "wave"], method="rwg",
                         levels=dxlab.load_rubric("mobifone-dx"))
    assert table.columns[:2].tolist() == ["enterprise_id", "wave"]
    assert len(table) == len(panel[["enterprise_id", "wave"]].drop_duplicates())


def test_unbalanced_icc1_matches_r_one_way_anova():
    data = pd.read_csv(REF / "icc_unbalanced_input.csv")
    data["respondent_id"] = data["enterprise_id"] + "-" + data["respondent"].astype(str)
    table = st.agreement(data, "value")
    row = table.set_index("type").loc["ICC1u"]
    expected = pd.read_csv(REF / "icc_unbalanced.csv").iloc[0]
    for column in ("icc", "F", "df1", "df2", "p", "ci_low", "ci_high"):
        assert row[column] == pytest.approx(expected[column], rel=1e-9), column
    assert row["n_subjects"] == 80 and f"{expected['n0']:.2f}" in row["note"]
    assert table.set_index("type").loc["ICC1", "n_subjects"] == int((data.groupby("enterprise_id").size() == 5).sum())
    balanced = _long_from_matrix(pd.read_csv(REF / "shrout_fleiss.csv").to_numpy(dtype=float), ["a", "b", "c", "d"])
    assert "ICC1u" not in st.agreement(balanced, "x", rater="respondent_role")["type"].tolist()


def test_icc_of_scores_equals_icc_of_levels_scaled():
    """The float path (scores) and the exact integer path (levels) agree: ICCs ignore a linear rescaling."""
    long = pd.read_csv(REF / "icc_input.csv")
    data = long.pivot(index=["enterprise_id", "respondent_role"], columns="item", values="value").reset_index()
    levels = st.agreement(data, ["Q1", "Q2"], rater="respondent_role")
    scores = st.agreement(data.assign(Q1=data["Q1"] * 0.25 + 100.0, Q2=data["Q2"] * 2.5 - 1.0), ["Q1", "Q2"],
                          rater="respondent_role")
    for column in ICC_CHECKED:
        assert scores[column].to_numpy(dtype=float) == pytest.approx(levels[column].to_numpy(dtype=float), rel=1e-9)


def test_a_value_outside_the_declared_levels_is_named():
    data = pd.DataFrame({"enterprise_id": ["A", "A", "B", "B"], "respondent_role": ["x", "y"] * 2, "q": [1, 7, 2, 3]})
    for method in ("krippendorff", "kappa", "fleiss"):
        with pytest.raises(ValueError, match="value 7 is not one of the levels 1, 2, 3, 4, 5"):
            st.agreement(data, "q", rater="respondent_role", method=method, levels=[1, 2, 3, 4, 5], n_boot=0)
