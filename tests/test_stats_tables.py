"""The contingency-table engine: encoding, item × item tables, item × group tables, pairwise moments.

Oracles: ``pandas.crosstab`` (tables), ``DataFrame.cov``/``corr`` with pairwise deletion (moments).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab.stats._tables import (encode, encode_groups, group_tables, level_counts, pair_moments, pair_tables,
                                 resolve_levels)


def _frame(n: int = 400, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    data = {}
    for j in range(4):
        level = np.digitize(0.7 * latent + 0.7 * rng.normal(size=n), [-1.0, -0.2, 0.6, 1.4]) + 1
        column = pd.array(level.astype(np.int8), dtype="Int8")
        column[rng.random(n) < 0.1] = pd.NA
        data[f"q{j}"] = column
    data["group"] = rng.choice(["b", "a", "c"], size=n)
    data["w"] = rng.uniform(0.2, 3.0, size=n)
    return pd.DataFrame(data)


def test_encode_codes_and_missing():
    frame = pd.DataFrame({"x": pd.array([1, 3, None, 5], dtype="Int8"), "y": [2.0, np.nan, 4.0, 1.0]})
    enc = encode(frame, ["x", "y"])
    assert enc.levels == (1, 2, 3, 4, 5)
    assert enc.codes.tolist() == [[0, 1], [2, -1], [-1, 3], [4, 0]]


def test_interior_level_nobody_chose_is_kept():
    frame = pd.DataFrame({"x": pd.array([1, 2, 5, 5], dtype="Int8")})
    assert encode(frame, ["x"]).levels == (1, 2, 3, 4, 5)


def test_rubric_levels_keep_unobserved_extremes():
    rubric = dxlab.load_rubric("mobifone-dx")
    frame = pd.DataFrame({"x": pd.array([2, 3, 3], dtype="Int8")})
    assert resolve_levels(frame, ["x"], rubric) == (1, 2, 3, 4, 5)
    assert level_counts(encode(frame, ["x"], rubric)).tolist() == [[0, 1, 2, 0, 0]]


def test_explicit_non_contiguous_levels():
    frame = pd.DataFrame({"x": [0, 50, 100, 25, np.nan]})
    enc = encode(frame, ["x"], levels=[0, 25, 50, 75, 100])
    assert enc.codes[:, 0].tolist() == [0, 2, 4, 1, -1]


def test_ordered_categorical_text_levels():
    cats = pd.CategoricalDtype(["thấp", "vừa", "cao"], ordered=True)
    frame = pd.DataFrame({"x": pd.Series(["cao", "thấp", None, "vừa"], dtype=cats)})
    enc = encode(frame, ["x"])
    assert enc.levels == ("thấp", "vừa", "cao")
    assert enc.codes[:, 0].tolist() == [2, 0, -1, 1]


def test_value_outside_levels_names_column_row_and_value():
    frame = pd.DataFrame({"x": pd.array([1, 2, 3], dtype="Int8"), "y": pd.array([1, 7, 2], dtype="Int8")},
                         index=["r1", "r2", "r3"])
    with pytest.raises(ValueError, match=r"column 'y', row 'r2': value 7 is not a level"):
        encode(frame, ["x", "y"], levels=range(1, 6))


def test_level_below_range_and_zero_are_rejected():
    frame = pd.DataFrame({"x": pd.array([1, 0, None], dtype="Int8")})
    with pytest.raises(ValueError, match=r"value 0 is not a level"):
        encode(frame, ["x"], levels=range(1, 6))


def test_text_column_asks_for_parsing():
    frame = pd.DataFrame({"x": ["Mức 3", "Mức 2"]})
    with pytest.raises(ValueError, match="parse_levels"):
        encode(frame, ["x"])


def test_unknown_item_column_is_listed():
    with pytest.raises(ValueError, match="not in the data: nope"):
        encode(pd.DataFrame({"x": [1]}), ["x", "nope"])


def test_all_missing_column_has_only_missing_codes():
    frame = pd.DataFrame({"x": pd.array([1, 2], dtype="Int8"), "y": pd.array([None, None], dtype="Int8")})
    enc = encode(frame, ["x", "y"])
    assert enc.codes[:, 1].tolist() == [-1, -1]


@pytest.mark.parametrize("chunk", [7, 32_768])
def test_pair_tables_equal_crosstab_with_pairwise_deletion(chunk):
    frame = _frame()
    items = ["q0", "q1", "q2", "q3"]
    enc = encode(frame, items)
    tables = pair_tables(enc, chunk=chunk)
    for i, x in enumerate(items):
        for j, y in enumerate(items):
            if i == j:
                expected = np.diag(frame[x].value_counts().reindex(range(1, 6), fill_value=0).to_numpy())
            else:
                expected = pd.crosstab(frame[x], frame[y]).reindex(index=range(1, 6), columns=range(1, 6),
                                                                  fill_value=0).to_numpy()
            np.testing.assert_array_equal(tables[i, :, j, :], expected)


def test_weighted_pair_tables_equal_weighted_crosstab():
    frame = _frame()
    enc = encode(frame, ["q0", "q2"])
    tables = pair_tables(enc, frame["w"].to_numpy(), chunk=50)
    expected = pd.crosstab(frame["q0"], frame["q2"], values=frame["w"], aggfunc="sum").reindex(
        index=range(1, 6), columns=range(1, 6)).fillna(0.0).to_numpy()
    np.testing.assert_allclose(tables[0, :, 1, :], expected, rtol=1e-12)


def test_group_tables_equal_crosstab():
    frame = _frame()
    enc = encode(frame, ["q1"])
    groups = encode_groups(frame, "group")
    assert groups.labels == ["a", "b", "c"]
    expected = pd.crosstab(frame["group"], frame["q1"]).reindex(columns=range(1, 6), fill_value=0).to_numpy()
    np.testing.assert_array_equal(group_tables(enc, groups)[0], expected)


def test_groups_follow_category_order_and_skip_missing_keys():
    frame = pd.DataFrame({"size": pd.Categorical(["large", None, "micro", "large"],
                                                 categories=["micro", "small", "large"], ordered=True),
                          "sector": ["C", "C", "J", "J"]})
    groups = encode_groups(frame, "size")
    assert groups.keys["size"].tolist() == ["micro", "large"]  # unused "small" left out
    assert groups.codes.tolist() == [1, -1, 0, 1]
    both = encode_groups(frame, ["sector", "size"])
    assert both.labels == ["C / large", "J / micro", "J / large"]


def test_pairwise_moments_equal_pandas_cov_and_corr():
    frame = _frame()
    items = ["q0", "q1", "q2", "q3"]
    moments = pair_moments(encode(frame, items), chunk=33)
    floats = frame[items].astype(float)
    np.testing.assert_allclose(moments.covariance(), floats.cov().to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(moments.correlation(), floats.corr().to_numpy(), rtol=1e-12)
    np.testing.assert_array_equal(moments.n, floats.notna().astype(int).T @ floats.notna().astype(int))


def test_weighted_moments_match_hand_sums():
    frame = _frame()
    w = frame["w"].to_numpy()
    moments = pair_moments(encode(frame, ["q0", "q3"]), w)
    both = frame["q0"].notna() & frame["q3"].notna()
    x, y, ww = frame.loc[both, "q0"].astype(float), frame.loc[both, "q3"].astype(float), w[both.to_numpy()]
    assert moments.n[0, 1] == pytest.approx(ww.sum())
    assert moments.sxy[0, 1] == pytest.approx((ww * x * y).sum())
    assert moments.sx[0, 1] == pytest.approx((ww * x).sum())
    assert moments.sxx[1, 0] == pytest.approx((ww * y * y).sum())
