"""Change between waves, checked against R (wilcox.test, t.test, binom.test, mcnemar.test, friedman.test),
SciPy, pingouin and hand calculations on published tables.

R's numbers come from ``scripts/r/waves_reference.R`` (outputs in ``tests/reference/waves/``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab
import dxlab.stats as st
from dxlab.stats._change import bowker, stuart_maxwell

REF = Path(__file__).resolve().parent / "reference" / "waves"


@pytest.fixture(autouse=True)
def _english_notes(monkeypatch):
    """The notes are checked in English here (they follow DXLAB_LANG, Vietnamese by default)."""
    monkeypatch.setenv("DXLAB_LANG", "en")


@pytest.fixture(scope="module")
def paired_input() -> pd.DataFrame:
    return pd.read_csv(REF / "paired_input.csv")


@pytest.fixture(scope="module")
def paired_table(paired_input) -> pd.DataFrame:
    return st.paired_change(paired_input, ["level", "small", "tied", "score"], adjust="bonferroni", lang="en")


def test_signed_rank_sign_test_and_mean_change_match_r(paired_table):
    expected = pd.read_csv(REF / "paired_wilcox.csv").set_index("item")
    got = paired_table.set_index("item")
    for item, row in expected.iterrows():
        mine = got.loc[item]
        assert mine["n_pairs"] == row["n_pairs"]
        assert mine["V"] == pytest.approx(row["V"])
        assert mine["p"] == pytest.approx(row["p"], rel=1e-9)
        assert bool(mine["exact"]) == ("exact" in row["method"])
        assert mine["mean_change"] == pytest.approx(row["mean_change"], rel=1e-12)
        assert mine["ci_low"] == pytest.approx(row["ci_low"], rel=1e-9)
        assert mine["ci_high"] == pytest.approx(row["ci_high"], rel=1e-9)
        assert mine["sign_p"] == pytest.approx(row["sign_p"], rel=1e-9)
        assert mine["median_before"] == pytest.approx(row["median_before"])
        assert mine["median_after"] == pytest.approx(row["median_after"])
    assert got.loc["small", "exact"] and not got.loc["level", "exact"]


def test_p_adj_over_items_and_only_one_wave_counted(paired_input, paired_table):
    assert paired_table["p_adj"].to_numpy() == pytest.approx(np.minimum(paired_table["p"] * 4, 1.0))
    wide = paired_input.pivot(index="enterprise_id", columns="wave", values="level")
    row = paired_table.set_index("item").loc["level"]
    assert row["n_only_before"] == int((wide["T0"].notna() & wide["T1"].isna()).sum()) > 0
    assert row["n_only_after"] == int((wide["T1"].notna() & wide["T0"].isna()).sum()) > 0
    assert row["n_pairs"] + row["n_only_before"] + row["n_only_after"] == int(wide.notna().any(axis=1).sum())


def test_scipy_wilcoxon_agrees(paired_input, paired_table):
    wide = paired_input.pivot(index="enterprise_id", columns="wave", values="score").dropna()
    d = (wide["T1"] - wide["T0"]).to_numpy()
    scipy = sps.wilcoxon(d, zero_method="wilcox", correction=True, method="approx")
    assert paired_table.set_index("item").loc["score", "p"] == pytest.approx(scipy.pvalue, rel=1e-9)
    small = paired_input.pivot(index="enterprise_id", columns="wave", values="small").dropna()
    exact = sps.wilcoxon(small["T1"] - small["T0"], method="exact")
    assert paired_table.set_index("item").loc["small", "p"] == pytest.approx(exact.pvalue, rel=1e-9)


def test_shares_and_rank_biserial_by_hand(paired_input, paired_table):
    wide = paired_input.pivot(index="enterprise_id", columns="wave", values="level").dropna()
    d = (wide["T1"] - wide["T0"]).to_numpy()
    row = paired_table.set_index("item").loc["level"]
    assert row["share_improved"] == pytest.approx(np.mean(d > 0))
    assert row["share_same"] == pytest.approx(np.mean(d == 0))
    assert row["share_worse"] == pytest.approx(np.mean(d < 0))
    nz = d[d != 0]
    ranks = sps.rankdata(np.abs(nz))
    t_plus, t_minus = ranks[nz > 0].sum(), ranks[nz < 0].sum()
    r = (t_plus - t_minus) / (t_plus + t_minus)
    n = nz.size
    se = np.sqrt(n * (n + 1) * (2 * n + 1) / 6) / (n * (n + 1) / 2)
    assert row["rank_biserial"] == pytest.approx(r)
    assert row["rb_ci_low"] == pytest.approx(np.tanh(np.arctanh(r) - 1.959963984540054 * se))
    assert row["rb_ci_high"] == pytest.approx(np.tanh(np.arctanh(r) + 1.959963984540054 * se))
    assert "zero difference" in row["note"]


def test_weighted_means_and_shares_by_hand():
    frame = pd.DataFrame({"enterprise_id": list("abcdab"), "wave": ["T0"] * 4 + ["T1"] * 2,
                          "x": [1, 2, 3, 4, 3, 1], "w": [1.0, 3.0, 1.0, 1.0, 9.0, 9.0]})
    frame = pd.concat([frame, pd.DataFrame({"enterprise_id": ["c", "d"], "wave": "T1", "x": [4, 4],
                                            "w": [5.0, 5.0]})], ignore_index=True)
    row = st.paired_change(frame, "x", weights="w").iloc[0]
    d, w = np.array([2, -1, 1, 0]), np.array([1.0, 3.0, 1.0, 1.0])  # the before wave's weights
    assert row["mean_change"] == pytest.approx(np.average(d, weights=w))
    assert row["share_improved"] == pytest.approx(2 / 6) and row["share_worse"] == pytest.approx(3 / 6)
    n_eff = w.sum() ** 2 / (w ** 2).sum()
    var = np.average((d - np.average(d, weights=w)) ** 2, weights=w) * n_eff / (n_eff - 1)
    half = sps.t.ppf(0.975, n_eff - 1) * np.sqrt(var / n_eff)
    assert row["ci_high"] - row["mean_change"] == pytest.approx(half)
    assert "unweighted" in row["note"]


def test_edge_cases_give_notes_not_silent_nan():
    frame = pd.DataFrame({"enterprise_id": ["a", "b", "c", "a", "b", "d"], "wave": ["T0"] * 3 + ["T1"] * 3,
                          "same": [3, 3, 3, 3, 3, 3], "none": [1, np.nan, 2, np.nan, 4, 5]})
    table = st.paired_change(frame, ["same", "none"]).set_index("item")
    assert table.loc["same", "n_pairs"] == 2 and np.isnan(table.loc["same", "p"])
    assert "all 2 differences are zero" in table.loc["same", "note"]
    assert table.loc["same", "n_only_before"] == 1 and table.loc["same", "n_only_after"] == 1
    assert table.loc["none", "n_pairs"] == 0 and "both waves" in table.loc["none", "note"]
    one = st.paired_change(frame[frame["enterprise_id"].isin(["a", "b"])], "same")
    assert one["note"].iloc[0] != ""


def test_bad_input_is_named():
    frame = pd.DataFrame({"enterprise_id": ["a", "a", "b"], "wave": ["T0", "T0", "T1"], "x": [1, 2, 3]})
    with pytest.raises(ValueError, match="enterprise 'a' has 2 rows in wave 'T0'.*consensus"):
        st.paired_change(frame, "x")
    with pytest.raises(ValueError, match="before='T9' is not a wave"):
        st.paired_change(frame, "x", before="T9", after="T1")
    with pytest.raises(ValueError, match="holds 1 wave"):
        st.paired_change(frame[frame.wave == "T0"].drop_duplicates("enterprise_id"), "x")
    with pytest.raises(ValueError, match="not in the data: nope"):
        st.paired_change(frame, "nope")
    with pytest.raises(ValueError, match="column .x. holds str values"):
        st.paired_change(frame.assign(x=["1", "2", "x"]).drop_duplicates("enterprise_id"), "x")


def test_by_groups_split_the_pairs(paired_input):
    data = paired_input.assign(sector=np.where(paired_input["enterprise_id"].str[-1].isin(list("01234")), "C", "G"))
    table = st.paired_change(data, "level", by="sector")
    assert table.columns[0] == "sector" and table["sector"].tolist() == ["C", "G"]
    whole = st.paired_change(data, "level").iloc[0]
    assert table["n_pairs"].sum() == whole["n_pairs"]


# -- transitions -------------------------------------------------------------------------------------------

STUART_1955 = np.array([[1520, 266, 124, 66], [234, 1512, 432, 78], [117, 362, 1772, 205], [36, 82, 179, 492]])


def test_stuart_maxwell_and_bowker_by_hand_on_stuarts_vision_data():
    """Unaided distance vision of 7,477 women (Stuart 1955; Agresti 2002 Table 10.6): X² = 11.96 on 3 df and
    Bowker's 19.11 on 6 df, computed here from the definitions."""
    t = STUART_1955.astype(float)
    k = 4
    d = np.array([t[i].sum() - t[:, i].sum() for i in range(k - 1)])
    v = np.empty((k - 1, k - 1))
    for i in range(k - 1):
        for j in range(k - 1):
            v[i, j] = t[i].sum() + t[:, i].sum() - 2 * t[i, i] if i == j else -(t[i, j] + t[j, i])
    hand_sm = d @ np.linalg.inv(v) @ d
    hand_bowker = sum((t[i, j] - t[j, i]) ** 2 / (t[i, j] + t[j, i]) for i in range(k) for j in range(i + 1, k))
    assert hand_sm == pytest.approx(11.957, abs=5e-4) and hand_bowker == pytest.approx(19.107, abs=5e-4)
    assert stuart_maxwell(t)[:2] == (pytest.approx(hand_sm), 3)
    assert bowker(t)[:2] == (pytest.approx(hand_bowker), 6)


def _frame_from_table(table: np.ndarray, levels: list[int]) -> pd.DataFrame:
    rows = [(a, b) for i, a in enumerate(levels) for j, b in enumerate(levels) for _ in range(int(table[i, j]))]
    before, after = zip(*rows)
    ids = [f"E{i}" for i in range(len(rows))]
    return pd.DataFrame({"enterprise_id": ids * 2, "wave": ["T0"] * len(ids) + ["T1"] * len(ids),
                         "level": list(before) + list(after)})


def test_transition_tests_match_r_mcnemar():
    expected = pd.read_csv(REF / "mcnemar.csv").set_index("table")
    two = np.array([[794, 150], [86, 570]])  # Agresti (2002) Table 10.1, R's matrix(c(794, 86, 150, 570), 2)
    moves = st.transition_matrix(_frame_from_table(two, [1, 2]), "level", levels=[1, 2])
    row = moves.summary.iloc[0]
    assert row["bowker"] == pytest.approx(expected.loc["agresti_10_1", "statistic"])
    assert row["stuart_maxwell"] == pytest.approx(expected.loc["agresti_10_1", "statistic"])
    assert row["bowker_p"] == pytest.approx(expected.loc["agresti_10_1", "p"])
    dense = pd.read_csv(REF / "dense_5x5_cells.csv").to_numpy(dtype=float)  # R's matrix, rows = before
    moves = st.transition_matrix(_frame_from_table(dense, [1, 2, 3, 4, 5]), "level", levels=range(1, 6))
    row = moves.summary.iloc[0]
    assert row["bowker"] == pytest.approx(expected.loc["dense_5x5", "statistic"])
    assert row["bowker_dof"] == expected.loc["dense_5x5", "df"]
    assert row["bowker_p"] == pytest.approx(expected.loc["dense_5x5", "p"])
    assert moves.counts.to_numpy().ravel() == pytest.approx(dense.ravel())


def test_every_declared_level_present_and_shares(paired_input):
    rubric = dxlab.load_rubric("mobifone-dx")
    data = paired_input[paired_input["level"].isna() | (paired_input["level"] != 5)]
    moves = st.transition_matrix(data, "level", levels=rubric)
    assert moves.counts.index.tolist() == [1, 2, 3, 4, 5] == moves.counts.columns.tolist()
    assert moves.counts.loc[5].sum() == 0 and moves.shares.loc[5].isna().all()
    table = moves.counts.to_numpy()
    row = moves.summary.iloc[0]
    assert row["share_up"] == pytest.approx(np.triu(table, 1).sum() / table.sum())
    assert row["share_down"] == pytest.approx(np.tril(table, -1).sum() / table.sum())
    assert row["share_up"] + row["share_stay"] + row["share_down"] == pytest.approx(1.0)
    long = moves.long()
    assert len(long) == 25 and long["n"].sum() == row["n_pairs"]
    with pytest.raises(ValueError, match="not one of the levels"):
        st.transition_matrix(paired_input, "level", levels=[1, 2, 3])


def test_weighted_transitions_rescale_tests_to_effective_size():
    frame = _frame_from_table(np.array([[5, 3], [1, 6]]), [1, 2]).assign(w=2.0)
    moves = st.transition_matrix(frame, "level", weights="w", levels=[1, 2])
    assert moves.counts.to_numpy().ravel() == pytest.approx([10, 6, 2, 12])
    assert moves.summary["bowker"].iloc[0] == pytest.approx((3 - 1) ** 2 / 4)  # Kish n = 15: the unweighted test


# -- three waves -------------------------------------------------------------------------------------------


def test_friedman_kendall_w_and_pairwise_match_r_and_pingouin():
    import pingouin as pg

    data = pd.read_csv(REF / "friedman_input.csv")
    result = st.compare_waves(data, ["level", "score"])
    expected = pd.read_csv(REF / "friedman.csv").set_index("item")
    got = result.friedman.set_index("item")
    for item in ("level", "score"):
        assert got.loc[item, "Q"] == pytest.approx(expected.loc[item, "Q"], rel=1e-10)
        assert got.loc[item, "p"] == pytest.approx(expected.loc[item, "p"], rel=1e-8)
        assert got.loc[item, "dof"] == expected.loc[item, "df"]
        peer = pg.friedman(data, dv=item, within="wave", subject="enterprise_id")
        assert got.loc[item, "kendall_w"] == pytest.approx(float(peer["W"].iloc[0]), rel=1e-10)
    pairwise = pd.read_csv(REF / "friedman_pairwise.csv")
    merged = result.pairwise.merge(pairwise, on=["item", "wave_a", "wave_b"], suffixes=("", "_r"))
    assert len(merged) == 6
    assert merged["V"].to_numpy() == pytest.approx(merged["V_r"].to_numpy())
    assert merged["p"].to_numpy() == pytest.approx(merged["p_r"].to_numpy(), rel=1e-9)
    assert merged["p_adj"].to_numpy() == pytest.approx(merged["p_adj_r"].to_numpy(), rel=1e-9)


def test_compare_waves_counts_incomplete_enterprises():
    data = pd.read_csv(REF / "friedman_input.csv")
    data = data[~((data["enterprise_id"] == "F001") & (data["wave"] == "T2"))]
    row = st.compare_waves(data, "level").friedman.iloc[0]
    assert row["n"] == 149 and row["n_incomplete"] == 1
    with pytest.raises(ValueError, match="'T7'"):
        st.compare_waves(data, "level", waves=["T0", "T7"])


# -- on Scores ------------------------------------------------------------------------------------------------


def test_change_on_reached_levels_of_scores():
    rubric = dxlab.load_rubric("mobifone-dx")
    panel = dxlab.sample.synthetic_panel(rubric, n=150, seed=5, respondents=False)
    scores = dxlab.score(panel, rubric)
    table = st.paired_change(scores)
    assert table["item"].tolist() == [d.id for d in rubric.dimensions]
    by_hand = st.paired_change(pd.concat([scores.meta, scores.levels], axis=1), [d.id for d in rubric.dimensions])
    pd.testing.assert_frame_equal(table, by_hand)
    overall = st.transition_matrix(scores, "overall")
    assert overall.counts.index.tolist() == [1, 2, 3, 4, 5]
    assert overall.summary["n_pairs"].iloc[0] == table["n_pairs"].max()
    scored = st.paired_change(scores, ["score.CUS"]).iloc[0]
    assert scored["mean_change"] > 0


# -- tables for the reports ------------------------------------------------------------------------------------


def test_enterprise_change_reads_its_two_rows_of_scores():
    rubric = dxlab.load_rubric("mobifone-dx")
    panel = dxlab.sample.synthetic_panel(rubric, n=60, seed=8, respondents=False)
    scores = dxlab.score(panel, rubric)
    both = panel.groupby("enterprise_id")["wave"].nunique()
    enterprise = both[both == 2].index[0]
    table = st.enterprise_change(scores, enterprise)
    rows = scores.meta["enterprise_id"] == enterprise
    t0 = scores.dimensions[rows & (scores.meta["wave"] == "T0")].iloc[0]
    t1 = scores.dimensions[rows & (scores.meta["wave"] == "T1")].iloc[0]
    cus = table.set_index("dimension").loc["CUS"]
    assert cus["score_before"] == pytest.approx(t0["CUS"]) and cus["score_after"] == pytest.approx(t1["CUS"])
    assert cus["change"] == pytest.approx(t1["CUS"] - t0["CUS"])
    assert cus["direction"] == ("up" if t1["CUS"] > t0["CUS"] else "down" if t1["CUS"] < t0["CUS"] else "same")
    assert table["dimension"].tolist()[-1] == "overall"
    alone = both[both == 1].index[0]
    empty = st.enterprise_change(scores, alone)
    assert empty.empty and "one wave only" in empty.attrs["note"]
    with pytest.raises(ValueError, match="not in the scores"):
        st.enterprise_change(scores, "nobody")


def test_sector_change_arranges_paired_change_transitions_and_movers():
    rubric = dxlab.load_rubric("mobifone-dx")
    panel = dxlab.sample.synthetic_panel(rubric, n=150, seed=6, respondents=False)
    scores = dxlab.score(panel, rubric)
    change = st.sector_change(scores)
    pd.testing.assert_frame_equal(change.levels, st.paired_change(scores, [*change.levels["item"]]))
    assert change.overall.summary["n_pairs"].iloc[0] == len(change.movers)
    assert change.movers["change"].is_monotonic_decreasing
    moved_up = (change.movers["level_after"] > change.movers["level_before"]).mean()
    assert moved_up == pytest.approx(change.overall.summary["share_up"].iloc[0])


def test_notes_follow_the_language():
    frame = pd.DataFrame({"enterprise_id": ["a", "b", "a", "b"], "wave": ["T0", "T0", "T1", "T1"], "x": [3, 2, 3, 2]})
    assert st.paired_change(frame, "x", lang="vi")["note"].iloc[0] == "cả 2 chênh lệch đều bằng 0: không kiểm định"
    assert st.paired_change(frame, "x", lang="en")["note"].iloc[0] == "all 2 differences are zero: no test"
    with pytest.raises(ValueError, match="lang must be one of"):
        st.paired_change(frame, "x", lang="fr")


def test_reverse_keyed_criteria_change_on_the_maturity_scale():
    rubric = dxlab.load_rubric("mobifone-dx")
    reverse = rubric.reverse_items[0]
    other = next(c for c in rubric.criterion_ids if c != reverse)
    frame = pd.DataFrame({"enterprise_id": ["a", "b", "a", "b"], "wave": ["T0", "T0", "T1", "T1"],
                          reverse: [4, 5, 2, 3], other: [2, 2, 3, 3]})
    table = st.paired_change(frame, rubric).set_index("item")
    assert table.loc[reverse, "mean_change"] == 2.0  # answers fell by 2: maturity rose by 2
    assert st.paired_change(frame, [reverse])["mean_change"].iloc[0] == -2.0  # named columns: as written


def test_a_parquet_path_is_read(paired_input, tmp_path):
    path = tmp_path / "panel.parquet"
    paired_input.to_parquet(path)
    from_path = st.paired_change(path, ["level", "score"], lang="en")
    pd.testing.assert_frame_equal(from_path, st.paired_change(paired_input, ["level", "score"], lang="en"))
    (tmp_path / "x.csv").write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Parquet"):
        st.paired_change(tmp_path / "x.csv", "level")
