"""The compiled table kernel against the NumPy one-hot product (the oracle) and ``pandas.crosstab``."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

from dxlab.stats import _kernel
from dxlab.stats._tables import encode, encode_groups, group_tables, pair_tables

from .conftest import ROOT

pytestmark = pytest.mark.skipif(not _kernel.available(), reason="numba not installed")


def _frame(n: int, k: int, n_levels: int, seed: int, missing: float = 0.1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {}
    for j in range(k):
        column = pd.array(rng.integers(1, n_levels + 1, n).astype(np.int8), dtype="Int8")
        column[rng.random(n) < missing] = pd.NA
        data[f"q{j}"] = column
    data["group"] = rng.choice(np.array(["b", "a", "c", None], dtype=object), size=n)
    data["w"] = rng.uniform(0.2, 3.0, size=n)
    return pd.DataFrame(data)


@pytest.mark.parametrize("n, k, n_levels, seed", [(500, 4, 5, 1), (3_001, 7, 3, 2), (50, 1, 7, 3), (40, 3, 1, 4),
                                                  (800, 5, 9, 6)])  # 9 levels: one loop per pair, unpacked
def test_pair_tables_equal_the_numpy_product(n, k, n_levels, seed):
    frame = _frame(n, k, n_levels, seed)
    items = [f"q{j}" for j in range(k)]
    enc = encode(frame, items, levels=range(1, n_levels + 1))
    compiled = pair_tables(enc, engine="numba")
    assert np.array_equal(compiled, pair_tables(enc, engine="numpy"))
    weights = frame["w"].to_numpy()
    np.testing.assert_allclose(pair_tables(enc, weights, engine="numba"),
                               pair_tables(enc, weights, engine="numpy"), rtol=1e-12, atol=1e-9)


def test_pair_table_is_the_crosstab_of_the_two_items():
    frame = _frame(2_000, 3, 5, 9)
    enc = encode(frame, ["q0", "q1", "q2"])
    table = pair_tables(enc, engine="numba")[0, :, 2, :]
    expected = pd.crosstab(frame["q0"], frame["q2"]).reindex(index=range(1, 6), columns=range(1, 6), fill_value=0)
    assert np.array_equal(table, expected.to_numpy())
    assert np.array_equal(np.diag(pair_tables(enc, engine="numba")[1, :, 1, :]),
                          frame["q1"].value_counts().reindex(range(1, 6), fill_value=0).to_numpy())


def test_group_tables_equal_the_numpy_counts():
    frame = _frame(4_000, 5, 4, 5)
    items = [f"q{j}" for j in range(5)]
    enc = encode(frame, items)
    groups = encode_groups(frame, "group")
    assert (groups.codes < 0).any()  # rows with no group are left out by both
    assert np.array_equal(group_tables(enc, groups, engine="numba"), group_tables(enc, groups, engine="numpy"))
    weights = frame["w"].to_numpy()
    np.testing.assert_allclose(group_tables(enc, groups, weights, engine="numba"),
                               group_tables(enc, groups, weights, engine="numpy"), rtol=1e-12)
    expected = pd.crosstab(frame["group"], frame["q3"]).to_numpy()
    assert np.array_equal(group_tables(enc, groups, engine="numba")[3], expected)


def test_unknown_engine_is_refused():
    enc = encode(_frame(10, 2, 3, 1), ["q0", "q1"])
    with pytest.raises(ValueError, match="engine must be one of 'auto', 'numba', 'numpy'"):
        pair_tables(enc, engine="fortran")


def test_importing_dxlab_does_not_load_numba():
    code = "import sys, dxlab, dxlab.stats; print('numba' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT), "PATH": ""}, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("scheme", ["mean", "dma100"])
def test_compiled_scoring_equals_the_blas_path(scheme, monkeypatch):
    import dxlab
    from dxlab.scoring import _schemes

    rubric = dxlab.load_rubric("mobifone-dx")
    responses = dxlab.sample.synthetic_responses(rubric, n=3_000, seed=8)
    rng = np.random.default_rng(8)
    for criterion in rubric.criterion_ids[::3]:  # gaps, so that min_answered leaves some blocks unscored
        responses.loc[rng.random(len(responses)) < 0.45, criterion] = pd.NA
    compiled = dxlab.score(responses, rubric, scheme, min_answered=0.6)
    monkeypatch.setattr(_schemes, "ENGINE", "numpy")
    expected = dxlab.score(responses, rubric, scheme, min_answered=0.6)
    assert expected.groups.isna().any().any()
    for part in ("groups", "dimensions", "levels", "overall"):
        pd.testing.assert_frame_equal(getattr(compiled, part), getattr(expected, part), rtol=1e-13)
