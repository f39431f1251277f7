"""Peer percentiles against scipy.stats.percentileofscore(kind="mean") within each group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab
import dxlab.stats as st


def test_matches_scipy_percentileofscore_within_each_group():
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"sector": rng.choice(list("CGJ"), 200), "size": rng.choice(["micro", "large"], 200),
                          "score": np.round(rng.uniform(1, 5, 200), 1)})
    table = st.peer_percentile(frame)
    assert list(table.columns) == ["index", "sector", "size", "item", "score", "percentile", "n_group", "note"]
    for row in table.itertuples():
        peers = frame.loc[(frame["sector"] == row.sector) & (frame["size"] == row.size), "score"]
        assert row.percentile == pytest.approx(sps.percentileofscore(peers, row.score, kind="mean"), abs=1e-12)
        assert row.n_group == len(peers)


def test_scores_object_ranks_overall_and_every_dimension():
    rubric = dxlab.load_rubric("mobifone-dx")
    responses = dxlab.sample.synthetic_responses(rubric, n=400, seed=5)
    scores = dxlab.score(responses, rubric)
    table = st.peer_percentile(scores)
    measures = ["overall", *[d.id for d in rubric.dimensions]]
    assert table["item"].unique().tolist() == measures
    assert table.columns[0] == "response_id" and len(table) == 400 * len(measures)
    overall = table[table["item"] == "overall"].set_index("response_id")
    first = overall.iloc[0]
    peers = scores.overall["score"][(scores.meta["sector"] == first["sector"]) &
                                   (scores.meta["size"] == first["size"])].dropna()
    assert first["percentile"] == pytest.approx(sps.percentileofscore(peers, first["score"], kind="mean"))


def test_group_columns_can_come_from_the_responses():
    responses = pd.DataFrame({"response_id": ["r1", "r2", "r3"], "sector": ["C", "C", "J"]})
    scores = pd.DataFrame({"score": [2.0, 4.0, 3.0]}, index=pd.Index(["r2", "r1", "r3"], name="response_id"))
    table = st.peer_percentile(scores, by="sector", responses=responses)
    assert table["sector"].tolist() == ["C", "C", "J"]
    assert table["percentile"].tolist() == [25.0, 75.0, 50.0]


def test_missing_scores_groups_and_small_groups_are_noted():
    frame = pd.DataFrame({"sector": ["C", "C", None, "J", "J"], "score": [1.0, np.nan, 2.0, 3.0, 3.0]})
    table = st.peer_percentile(frame, by="sector")
    assert table["note"].tolist() == ["only 1 peer with a score: percentile is rough", "no score",
                                      "no sector: no peer group", "only 2 peers with a score: percentile is rough",
                                      "only 2 peers with a score: percentile is rough"]
    assert table["percentile"].isna().tolist() == [False, True, True, False, False]
    assert table["percentile"].iloc[3] == 50.0  # a tie sits in the middle


def test_unknown_columns_are_explained():
    with pytest.raises(ValueError, match="group column 'size' is in neither"):
        st.peer_percentile(pd.DataFrame({"sector": ["C"], "score": [1.0]}))
    with pytest.raises(ValueError, match="score column\\(s\\) total not in the data"):
        st.peer_percentile(pd.DataFrame({"sector": ["C"], "size": ["micro"]}), "total")


def test_weighted_percentile_counts_peers_by_weight():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"sector": rng.choice(list("CJ"), 60), "size": "small",
                          "score": rng.integers(1, 6, 60).astype(float), "w": rng.integers(1, 4, 60)})
    table = st.peer_percentile(frame, "score", by="sector", weights="w")
    # integer weights: the same as repeating each row w times (hand calculation on the repeated rows)
    repeated = frame.loc[frame.index.repeat(frame["w"])]
    for row in table.itertuples():
        peers = repeated.loc[repeated["sector"] == row.sector, "score"]
        expected = 100 * ((peers < row.score).sum() + 0.5 * (peers == row.score).sum()) / len(peers)
        assert row.percentile == pytest.approx(expected, abs=1e-12)
        assert row.n_group == (frame["sector"] == row.sector).sum()


def test_old_argument_names_still_work_with_a_warning():
    frame = pd.DataFrame({"sector": ["C", "C", "J"], "total": [1.0, 2.0, 3.0]})
    new = st.peer_percentile(frame, "total", by="sector")
    with pytest.warns(DeprecationWarning, match="score= is deprecated"):
        old = st.peer_percentile(frame, by="sector", score="total")
    pd.testing.assert_frame_equal(old, new)
    with pytest.warns(DeprecationWarning, match="by as the second argument"):
        old = st.peer_percentile(frame.rename(columns={"total": "score"}), "sector")
    assert old["percentile"].tolist() == new["percentile"].tolist()
    with pytest.warns(DeprecationWarning, match="scores= is deprecated"):
        st.peer_percentile(scores=frame, items="total", by="sector")
    rubric = dxlab.load_rubric("mobifone-dx")
    scores = dxlab.score(dxlab.sample.synthetic_responses(rubric, n=50, seed=5), rubric)
    with pytest.warns(DeprecationWarning, match="measures= is deprecated"):
        old = st.peer_percentile(scores, measures=["overall"])
    pd.testing.assert_frame_equal(old, st.peer_percentile(scores, ["overall"]))


def test_levels_reject_a_score_that_is_not_a_level():
    frame = pd.DataFrame({"sector": ["C", "C"], "size": "small", "score": [1.0, 2.5]})
    with pytest.raises(ValueError, match="column 'score', row 1: score\\(s\\) not among the levels 1, 2, 3"):
        st.peer_percentile(frame, levels=[1, 2, 3])
