"""bootstrap_ci is scipy.stats.bootstrap underneath: same seed, same numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab.stats as st


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(21)
    return pd.DataFrame({"x": rng.integers(1, 6, 120).astype(float), "y": rng.normal(3, 1, 120),
                         "g": rng.choice(["a", "b"], 120), "w": rng.uniform(0.5, 2.0, 120)})


@pytest.mark.parametrize("method", ["BCa", "percentile", "basic"])
def test_named_statistic_equals_scipy(frame, method):
    row = st.bootstrap_ci(frame, "median", "y", n_boot=999, method=method, seed=4).iloc[0]
    expected = sps.bootstrap((frame["y"].to_numpy(),), np.median, n_resamples=999, method=method,
                             rng=np.random.default_rng(4))
    assert row["estimate"] == np.median(frame["y"])
    assert (row["ci_low"], row["ci_high"]) == (expected.confidence_interval.low, expected.confidence_interval.high)
    assert row["se"] == expected.standard_error


def test_weighted_mean_resamples_rows_with_their_weights(frame):
    row = st.bootstrap_ci(frame, "mean", "x", weights="w", n_boot=500, seed=2).iloc[0]

    def weighted(x, w, axis=-1):
        return np.sum(x * w, axis=axis) / np.sum(w, axis=axis)

    expected = sps.bootstrap((frame["x"].to_numpy(), frame["w"].to_numpy()), weighted, paired=True,
                             n_resamples=500, rng=np.random.default_rng(2))
    assert row["estimate"] == pytest.approx(np.average(frame["x"], weights=frame["w"]))
    assert row["ci_low"] == pytest.approx(expected.confidence_interval.low, rel=1e-12)
    assert row["ci_high"] == pytest.approx(expected.confidence_interval.high, rel=1e-12)


def test_function_of_whole_rows(frame):
    def correlation(rows: pd.DataFrame) -> float:
        return rows["x"].corr(rows["y"])

    row = st.bootstrap_ci(frame, correlation, ["x", "y"], n_boot=300, method="percentile", seed=9).iloc[0]
    assert row["item"] == "x, y" and row["statistic"] == "correlation"
    expected = sps.bootstrap((np.arange(len(frame)),), lambda i: correlation(frame.iloc[i]), vectorized=False,
                             n_resamples=300, method="percentile", rng=np.random.default_rng(9))
    assert row["ci_low"] == pytest.approx(expected.confidence_interval.low, rel=1e-12)
    assert row["estimate"] == pytest.approx(correlation(frame))


def test_per_group_rows_and_missing_values_left_out(frame):
    data = frame.copy()
    data.loc[:9, "y"] = np.nan
    table = st.bootstrap_ci(data, "mean", ["y"], by="g", n_boot=200)
    assert list(table.columns) == ["g", "item", "statistic", "n", "estimate", "se", "ci_low", "ci_high",
                                   "method", "note"]
    assert table["g"].tolist() == ["a", "b"]
    assert table["n"].sum() == data["y"].notna().sum()
    first = data.loc[data["g"] == "a", "y"].dropna()
    assert table["estimate"].iloc[0] == pytest.approx(first.mean())


def test_degenerate_and_tiny_samples_say_so():
    table = st.bootstrap_ci(pd.DataFrame({"c": [2.0] * 10, "one": [1.0] + [np.nan] * 9}), "mean", n_boot=100)
    rows = table.set_index("item")
    assert rows.loc["c", "estimate"] == 2.0
    assert rows.loc["c", "note"].startswith("no interval")
    assert rows.loc["one", "note"] == "fewer than 2 values: no interval"


def test_option_errors():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    with pytest.raises(ValueError, match="statistic must be one of 'mean', 'median', 'sd'"):
        st.bootstrap_ci(frame, statistic="mode")
    with pytest.raises(ValueError, match="method must be one of 'BCa', 'percentile', 'basic'"):
        st.bootstrap_ci(frame, "mean", method="bca")
    with pytest.raises(ValueError, match="weights apply to statistic='mean' only"):
        st.bootstrap_ci(frame, "median", weights=[1, 1, 1])
