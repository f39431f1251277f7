"""The compiled level moments behind polyserial against the NumPy sums (the oracle), with gaps and missing rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dxlab.stats as st
from dxlab.stats import _kernel, _polyserial
from dxlab.stats._common import encode_items

pytestmark = pytest.mark.skipif(not _kernel.available(), reason="numba not installed")


def _frame(seed: int, n: int = 3_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    data = {
        "full": np.digitize(latent + rng.normal(size=n), [-1, 0, 1]) + 1,  # 4 levels, all used
        "gap": np.where(latent > 0, 5, 1),  # levels 1 and 5 only: ranks are not code + 1 − lowest
        "binary": (latent + rng.normal(size=n) > 0.3).astype(int),
        "constant": np.full(n, 3),
    }
    frame = pd.DataFrame({name: pd.array(values, dtype="Int8") for name, values in data.items()})
    frame.loc[rng.random(n) < 0.1, "full"] = pd.NA
    frame["x"] = 40 + 12 * latent + rng.normal(size=n)  # a large mean, as ages have
    frame.loc[rng.random(n) < 0.05, "x"] = np.nan
    return frame


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compiled_sums_equal_the_numpy_sums(seed):
    frame = _frame(seed)
    items = ["full", "gap", "binary", "constant"]
    enc = encode_items(frame, items, None)
    x = frame["x"].to_numpy(dtype=float, na_value=np.nan)
    compiled = _polyserial._sums(x, enc.codes, enc.n_levels, engine="numba")
    oracle = _polyserial._sums(x, enc.codes, enc.n_levels, engine="numpy")
    for name in ("counts", "sy", "syy"):
        assert np.array_equal(getattr(compiled, name), getattr(oracle, name))
    for name in ("sx", "sxx", "sxy"):
        np.testing.assert_allclose(getattr(compiled, name), getattr(oracle, name), rtol=1e-13)


def test_polyserial_is_the_same_without_the_kernel(monkeypatch):
    frame = _frame(4)
    items = ["full", "gap", "binary", "constant"]
    compiled = st.polyserial(frame, items, continuous="x")
    monkeypatch.setattr(_kernel, "njit", None)  # available() is False: the NumPy path
    oracle = st.polyserial(frame, items, continuous="x")
    pd.testing.assert_frame_equal(compiled.drop(columns=["r", "p", "p_adj"]), oracle.drop(columns=["r", "p", "p_adj"]))
    np.testing.assert_allclose(compiled[["r", "p", "p_adj"]], oracle[["r", "p", "p_adj"]], rtol=1e-12, atol=1e-15)
