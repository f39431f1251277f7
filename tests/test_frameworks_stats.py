"""The same data in every scheme, weight sensitivity and archetypes, against direct calls and oracles."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps
from sklearn.metrics import adjusted_rand_score, cohen_kappa_score

import dxlab
from dxlab.stats import archetypes, kendalls_w, weight_sensitivity

RUBRIC = dxlab.load_rubric("mobifone-dx")


def responses(n: int, seed: int, *, missing: float = 0.05) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    base = rng.integers(1, 6, size=(n, 1))
    values = np.clip(base + rng.integers(-1, 2, size=(n, len(RUBRIC.criterion_ids))), 1, 5).astype(float)
    values[rng.random(values.shape) < missing] = np.nan
    frame = pd.DataFrame({c: pd.array(values[:, j], dtype="Int8") for j, c in enumerate(RUBRIC.criterion_ids)})
    sectors = np.array(["C", "G", "J", None], dtype=object)[rng.integers(0, 4, n)]
    frame.insert(0, "sector", sectors)
    frame.insert(0, "response_id", [f"R{i:05d}" for i in range(n)])
    return frame


def test_compare_schemes_equals_the_schemes_called_one_by_one():
    data = responses(300, 1)
    result = dxlab.compare_schemes(data, RUBRIC, by="sector")
    for scheme in ("mean", "dbi2021", "dma100"):
        direct = dxlab.score(data, RUBRIC, scheme)
        np.testing.assert_allclose(result.scores[f"{scheme}.score"], direct.overall["score"], rtol=1e-12)
        assert result.scores[f"{scheme}.level"].equals(direct.overall["level"])
    overall = result.agreement[result.agreement["sector"].isna()]
    assert len(overall) == 3
    row = overall.set_index(["scheme_x", "scheme_y"]).loc[("mean", "dbi2021")]
    x, y = result.scores["mean.level"], result.scores["dbi2021.level"]
    both = x.notna() & y.notna()
    assert row["n"] == both.sum()
    assert row["kappa_linear"] == pytest.approx(cohen_kappa_score(x[both].astype(int), y[both].astype(int),
                                                                  weights="linear"), abs=1e-12)
    assert row["share_differ"] == pytest.approx((x[both] != y[both]).mean())
    assert row["share_higher_x"] + row["share_higher_y"] == pytest.approx(row["share_differ"])
    # Per sector, the unknown sector is a group of its own, and the counts add up.
    per_group = result.agreement.dropna(subset=["sector"])
    assert set(per_group["sector"]) == {"C", "G", "J", "<NA>"}
    pairs = per_group[(per_group.scheme_x == "mean") & (per_group.scheme_y == "dbi2021")]
    assert pairs["n"].sum() == row["n"]
    table = result.crosstabs[("mean", "dbi2021")]
    assert table.to_numpy().sum() == row["n"]


def test_compare_schemes_refuses_bad_arguments():
    data = responses(10, 2)
    with pytest.raises(ValueError, match="two or more of"):
        dxlab.compare_schemes(data, RUBRIC, schemes=("mean",))
    with pytest.raises(ValueError, match="two or more of"):
        dxlab.compare_schemes(data, RUBRIC, schemes=("mean", "median"))
    with pytest.raises(ValueError, match="not a column"):
        dxlab.compare_schemes(data, RUBRIC, by="nganh")


def _with_dimension_weights(weights: dict[str, float]) -> dxlab.Rubric:
    dims = tuple(dataclasses.replace(d, weight=weights[d.id]) for d in RUBRIC.dimensions)
    return dataclasses.replace(RUBRIC, dimensions=dims, id="mobifone-dx-reweighted")


def test_named_weightings_equal_scoring_under_each_weighting_directly():
    data = responses(400, 3, missing=0.3)
    data.loc[5, list(RUBRIC.criterion_ids)] = pd.NA
    result = weight_sensitivity(data, RUBRIC, weights=("rubric", "equal", "dbi2021", {"CUS": 3, "DAT": 1}),
                                n_random=0)
    assert list(result.scores.columns) == ["rubric", "equal", "dbi2021", "custom3"]
    multipliers = {d.id: sum(c.multiplier for c in d.criteria) for d in RUBRIC.dimensions}
    weightings = {"rubric": {d.id: d.weight for d in RUBRIC.dimensions},
                  "equal": {d.id: 1.0 for d in RUBRIC.dimensions}, "dbi2021": multipliers,
                  "custom3": {d.id: {"CUS": 3.0, "DAT": 1.0}.get(d.id, 0.0) for d in RUBRIC.dimensions}}
    assert multipliers["STR"] == 8  # STR.VIS.1 counts ×5, as in MIC's index
    for name, weights in weightings.items():
        if name == "custom3":  # zero weights are not a rubric; compare with the formula instead
            continue
        direct = dxlab.score(data, _with_dimension_weights(weights))
        kept = direct.overall["score"].notna().to_numpy()
        np.testing.assert_allclose(result.scores[name].to_numpy(), direct.overall["score"].to_numpy()[kept],
                                   rtol=1e-12)
        np.testing.assert_array_equal(result.levels[name].to_numpy(dtype=float),
                                      direct.overall["level"].to_numpy(dtype=float)[kept])
    dims = dxlab.score(data, RUBRIC).dimensions
    custom = (3 * dims["CUS"].fillna(0) + dims["DAT"].fillna(0)) / (3 * dims["CUS"].notna() + dims["DAT"].notna())
    kept = dxlab.score(data, RUBRIC).overall["score"].notna()
    np.testing.assert_allclose(result.scores["custom3"].to_numpy(), custom[kept].to_numpy(), rtol=1e-12)
    assert result.notes and "1 response(s)" in result.notes[0]
    assert 0 < result.kendall_w <= 1


def test_kendalls_w_against_friedman_and_a_hand_calculation():
    # 4 units ranked by 3 weightings; W = χ²_F / (m (n − 1)) with Friedman's tie correction.
    ranks = np.array([[1, 1, 2], [2, 3, 1], [3, 2, 3], [4, 4, 4]], dtype=float)
    chi2 = sps.friedmanchisquare(*ranks).statistic  # blocks = weightings, treatments = units
    assert kendalls_w(ranks) == pytest.approx(chi2 / (3 * (4 - 1)), abs=1e-12)
    # By hand: rank sums 4, 6, 8, 12; mean 7.5; S = 12.25 + 2.25 + 0.25 + 20.25 = 35; W = 12·35/(9·60) = 0.7778
    assert kendalls_w(ranks) == pytest.approx(12 * 35 / (9 * 60), abs=1e-12)
    tied = np.array([[1.5, 1], [1.5, 2], [3, 3]])
    assert kendalls_w(tied) == pytest.approx(sps.friedmanchisquare(*tied).statistic / (2 * 2), abs=1e-12)


def test_rank_intervals_reversals_and_levels_by_sector():
    data = responses(600, 5)
    result = weight_sensitivity(data, RUBRIC, n_random=200, by="sector", seed=7)
    intervals = result.intervals.set_index("unit")
    assert set(intervals.index) == {"C", "G", "J", "<NA>"}
    assert (intervals["rank_min"] <= intervals["rank_q025"]).all()
    assert (intervals["rank_q025"] <= intervals["rank_median"]).all()
    assert (intervals["rank_median"] <= intervals["rank_q975"]).all()
    assert (intervals["rank_q975"] <= intervals["rank_max"]).all()
    overall = dxlab.score(data, RUBRIC).overall["score"]
    sectors = data["sector"].fillna("<NA>")
    np.testing.assert_allclose(intervals["score"], overall.groupby(sectors.to_numpy()).mean()[intervals.index],
                               rtol=1e-12)
    # Same seed, same answer; another seed, other random weightings.
    again = weight_sensitivity(data, RUBRIC, n_random=200, by="sector", seed=7)
    pd.testing.assert_frame_equal(result.intervals, again.intervals)
    summary = result.summary.set_index("weighting")
    assert summary.loc["rubric", "share_reversed"] == 0 and summary.loc["rubric", "spearman_rho"] == pytest.approx(1)
    assert 0 <= result.kendall_w <= 1


def test_reversal_shares_match_brute_force_also_on_the_large_path():
    from dxlab.stats._weights import _exact_reversed

    rng = np.random.default_rng(11)
    for n in (50, 3500):
        x = rng.integers(0, 40, n).astype(float)
        y = x + rng.normal(0, 5, n).round()
        i, j = np.triu_indices(n, k=1)
        brute = (np.sign(x[i] - x[j]) * np.sign(y[i] - y[j]) < 0).mean()
        assert _exact_reversed(x, y) == pytest.approx(brute, abs=1e-12)


def test_random_weightings_are_dirichlet_around_the_rubric():
    data = responses(200, 6, missing=0)
    wide = weight_sensitivity(data, RUBRIC, n_random=300, concentration=2.0, seed=1)
    tight = weight_sensitivity(data, RUBRIC, n_random=300, concentration=5000.0, seed=1)
    width = lambda r: (r.intervals["rank_q975"] - r.intervals["rank_q025"]).mean()  # noqa: E731
    assert width(tight) < width(wide)
    assert tight.summary.set_index("weighting").loc["random", "spearman_rho"] > 0.99
    with pytest.raises(ValueError, match="n_random"):
        weight_sensitivity(data, RUBRIC, n_random=-1)
    with pytest.raises(ValueError, match="unknown weighting"):
        weight_sensitivity(data, RUBRIC, weights=("median",))
    with pytest.raises(ValueError, match="does not have"):
        weight_sensitivity(data, RUBRIC, weights=({"XYZ": 1},))


def planted(seed: int, n_per: int = 40) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = np.array([[4.5, 4.2, 4.0, 4.3, 3.9, 2.0], [2.0, 2.2, 1.8, 2.1, 2.3, 2.0], [3.0, 3.1, 4.6, 4.4, 2.0, 4.5]])
    truth = np.repeat(np.arange(3), n_per)
    values = centres[truth] + rng.normal(0, 0.25, (len(truth), 6))
    return pd.DataFrame(values, columns=[d.id for d in RUBRIC.dimensions]), truth


@pytest.mark.parametrize("method", ["ward", "kmeans"])
def test_archetypes_recover_planted_clusters_deterministically(method):
    frame, truth = planted(21)
    result = archetypes(frame, method=method, seed=3, n_boot=15, rubric=RUBRIC)
    assert result.k == 3
    assert adjusted_rand_score(truth, result.assignments.to_numpy(dtype=int)) >= 0.9
    assert (result.clusters["stability"] > 0.9).all()
    assert result.clusters["n"].sum() == len(frame)
    again = archetypes(frame, method=method, seed=3, n_boot=15, rubric=RUBRIC)
    pd.testing.assert_frame_equal(result.clusters, again.clusters)
    assert result.silhouette["k"].tolist() == list(range(2, 9))


def test_archetype_names_describe_the_profile():
    frame, _ = planted(22)
    clusters = archetypes(frame, k=3, n_boot=0, rubric=RUBRIC).clusters
    by_level = clusters.set_index("level")
    low = by_level.loc[2]
    assert low["name_vi"].startswith("Bắt đầu") and low["name_en"].startswith("Starting")
    third = clusters[clusters["DAT"] > 4].iloc[0]
    # Furthest above everyone's mean on data (+1.67), furthest below on culture-people-organisation (−0.73).
    assert third["name_vi"] == "Hình thành: mạnh về dữ liệu, yếu về văn hóa, con người và tổ chức"
    assert third["name_en"] == "Forming: strong on data, weak on culture, people and organisation"


def test_archetypes_from_scores_and_bad_input():
    data = responses(120, 8, missing=0.4)
    scores = dxlab.score(data, RUBRIC)
    result = archetypes(scores, k=2, n_boot=2)
    assert result.assignments.isna().sum() == scores.dimensions.isna().any(axis=1).sum()
    assert result.notes
    with pytest.raises(ValueError, match="'ward', 'kmeans'"):
        archetypes(scores, method="single")
    with pytest.raises(ValueError, match="k must be"):
        archetypes(scores, k=1)
    with pytest.raises(ValueError, match="scheme 'mean'"):
        archetypes(dxlab.score(data, RUBRIC, scheme="dbi2021"))


def test_ranks_equal_scipys_average_ranks_with_missing_values():
    from dxlab.stats._weights import _ranks

    rng = np.random.default_rng(2)
    values = rng.integers(0, 6, size=(300, 40)).astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan
    expected = sps.rankdata(-values, method="average", axis=0, nan_policy="omit")
    np.testing.assert_array_equal(_ranks(values), expected)


def test_random_spearman_is_the_mean_of_scipys_per_weighting():
    from dxlab.stats._weights import _correlation_with_first

    rng = np.random.default_rng(5)
    scores = rng.normal(size=(80, 6))
    scores[:, 3:] += scores[:, :1]
    ranks = sps.rankdata(-scores, axis=0)
    expected = [sps.spearmanr(scores[:, 0], scores[:, j]).statistic for j in range(2, 6)]
    np.testing.assert_allclose(_correlation_with_first(ranks, 2), expected, rtol=1e-12)


def test_ward_tree_cuts_equal_scikit_learns_agglomerative_clustering():
    from sklearn.cluster import AgglomerativeClustering

    frame, _ = planted(30, n_per=25)
    values = frame.to_numpy()
    for k in (2, 3, 5):
        ours = archetypes(frame, k=k, n_boot=0).assignments.to_numpy(dtype=int)
        theirs = AgglomerativeClustering(n_clusters=k, linkage="ward").fit_predict(values)
        assert adjusted_rand_score(ours, theirs) == 1.0
