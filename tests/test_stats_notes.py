"""Small-sample honesty across the whole engine: on one frame with every edge case the issue lists (a constant
item, an all-missing column, a perfectly correlated pair, a group of one, an empty level, weights), every
statistic that comes out missing says why in its ``note`` — never a silent NaN."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dxlab.stats as st

ITEMS = ["q0", "q1", "q2", "q3", "flat", "empty", "twin"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 40
    latent = rng.normal(size=n)
    data = {f"q{i}": pd.array(np.clip(np.round(3 + latent + rng.normal(size=n)), 1, 4).astype(int), dtype="Int8")
            for i in range(4)}  # level 5 is never chosen: an empty level
    data["flat"] = pd.array([3] * n, dtype="Int8")
    data["empty"] = pd.array([None] * n, dtype="Int8")
    data["twin"] = data["q0"]  # perfect correlation with q0
    data["g"] = ["a"] * 20 + ["b"] * 19 + ["c"]  # c is a group of one
    data["w"] = rng.uniform(0.5, 2.0, n)
    return pd.DataFrame(data)


def _tables(frame: pd.DataFrame) -> dict[str, tuple[pd.DataFrame, list[str]]]:
    floats = frame.assign(**{c: frame[c].astype("Float64") for c in ITEMS})
    return {
        "level_distribution": (st.level_distribution(frame, ITEMS, by="g", levels=range(1, 6)),
                               ["share", "ci_low", "ci_high"]),
        "level_distribution weighted": (st.level_distribution(frame, ITEMS, by="g", weights="w",
                                                              levels=range(1, 6)), ["share", "ci_low", "ci_high"]),
        "association": (st.association(frame, ITEMS, by="g"), ["chi2", "p", "cramers_v"]),
        "association weighted": (st.association(frame, ITEMS, by="g", weights="w"), ["chi2", "p", "cramers_v"]),
        "item_analysis": (st.item_analysis(frame, ITEMS), ["mean", "sd", "item_total_r", "alpha_if_deleted"]),
        "reliability": (st.reliability(frame, {"all": ITEMS, "with_twin": ["q0", "twin", "q1"]}),
                        ["alpha", "ci_low", "omega_total"]),
        **{f"correlations {m}": (st.correlations(frame, ITEMS, m), ["r", "p", "ci_low", "ci_high"])
           for m in ("pearson", "spearman", "kendall", "polychoric")},
        "compare_groups": (st.compare_groups(frame, ITEMS, by="g", n_boot=50), ["H", "p", "epsilon_sq"]),
        "posthoc": (st.posthoc(frame, "q1", by="g"), ["z", "p"]),
        "compare_two": (st.compare_two(frame, ITEMS, by="g", groups=("a", "c")), ["U", "p", "cliffs_delta"]),
        "bootstrap_ci": (st.bootstrap_ci(floats, "mean", ITEMS, n_boot=50), ["estimate", "ci_low", "ci_high"]),
    }


def test_no_silent_nan_anywhere(frame):
    for name, (table, columns) in _tables(frame).items():
        assert "note" in table.columns, name
        missing = table[columns].isna().any(axis=1)
        silent = missing & table["note"].fillna("").eq("")
        assert not silent.any(), f"{name}: NaN without a note in rows {list(table.index[silent])}"
        assert missing.any() or name in ("reliability", "posthoc"), f"{name}: the edge cases produced no NaN"


def test_the_edge_cases_are_named(frame):
    tables = {name: table for name, (table, _) in _tables(frame).items()}
    distribution = tables["level_distribution"]
    one = distribution[(distribution["item"] == "q0") & (distribution["g"] == "c")]
    assert one["n"].iloc[0] == 1 and "only 1 answer" in one["note"].iloc[0]
    empty_level = distribution[(distribution["item"] == "q0") & (distribution["level"] == 5)]
    assert (empty_level["count"] == 0).all() and len(empty_level) == 3  # level 5 kept in every group
    assert "expected count < 5" in tables["association"].set_index("item").loc["q0", "note"]
    compare = tables["compare_groups"].set_index("item")
    assert "c (1)" in compare.loc["q0", "note"]
    pairs = tables["correlations spearman"].set_index(["item_x", "item_y"])
    assert pairs.loc[("q0", "twin"), "r"] == pytest.approx(1.0)
    assert pairs.loc[("q0", "empty"), "note"] == "no rows with both answered"
    reliability = tables["reliability"].set_index("scale")
    assert reliability.loc["all", "note"].startswith("flat is constant: left out; empty has no answers: left out")
