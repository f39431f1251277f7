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
    assert list(table.columns) == ["index", "sector", "size", "measure", "score", "percentile", "n_group", "note"]
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
    assert table["measure"].unique().tolist() == measures
    assert table.columns[0] == "response_id" and len(table) == 400 * len(measures)
    overall = table[table["measure"] == "overall"].set_index("response_id")
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
        st.peer_percentile(pd.DataFrame({"sector": ["C"], "size": ["micro"]}), score="total")
