"""The compiled polychoric fitter (numba) against the NumPy fitter, its oracle, on awkward tables."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr

from dxlab.stats import _polychoric_kernel
from dxlab.stats._bvn import bvn_cdf
from dxlab.stats._polychoric import _normal_scores, _start_values, fit_polychoric, margin_thresholds

pytestmark = pytest.mark.skipif(not _polychoric_kernel.available(), reason="numba not installed")


def _tables(rng: np.random.Generator, count: int, n: int, rows: int, cols: int, rho: float | None = None) -> np.ndarray:
    """Tables of ``n`` draws of a bivariate normal cut at random thresholds (ρ random unless given)."""
    out = np.empty((count, rows, cols))
    for p in range(count):
        r = rng.uniform(-0.95, 0.95) if rho is None else rho
        x = rng.normal(size=n)
        y = r * x + np.sqrt(1 - r * r) * rng.normal(size=n)
        row_cuts = np.sort(rng.normal(0.0, 0.8, rows - 1))
        col_cuts = np.sort(rng.normal(0.0, 0.8, cols - 1))
        out[p] = np.histogram2d(np.searchsorted(row_cuts, x), np.searchsorted(col_cuts, y),
                                bins=(np.arange(rows + 1) - 0.5, np.arange(cols + 1) - 0.5))[0]
    return out


def _cell_probabilities(rho: float, row_cuts: np.ndarray, col_cuts: np.ndarray) -> np.ndarray:
    x, y = row_cuts[:, None], col_cuts[None, :]
    grid = np.zeros((x.size + 2, y.size + 2))
    grid[1:-1, 1:-1] = bvn_cdf(x, y, rho)
    grid[-1, 1:-1], grid[1:-1, -1], grid[-1, -1] = ndtr(col_cuts), ndtr(row_cuts), 1.0
    return np.diff(np.diff(grid, axis=0), axis=1)


def _assert_same(tables: np.ndarray, **options: object) -> None:
    """Equal to 1e-10 — except, with a zero-cell correction, pairs whose ℓ cannot tell the two estimates apart.

    A corrected cell (0.5 counts) whose model probability is below ~1e-8 is a difference of two CDF values
    near 0.05, accurate only to ~1e-17 absolute: ℓ then jitters by ~1e-4 around the maximum, and the step
    halving of either engine stops where the jitter says (seen up to 5e-6 apart in ρ, both engines
    equally right). Only such pairs may differ, and by less than 1e-5.
    """
    compiled = fit_polychoric(tables, engine="numba", **options)  # type: ignore[arg-type]
    oracle = fit_polychoric(tables, engine="numpy", **options)  # type: ignore[arg-type]
    assert compiled.note == oracle.note
    if not options.get("correct"):
        np.testing.assert_allclose(compiled.rho, oracle.rho, rtol=0, atol=1e-10, equal_nan=True)
        np.testing.assert_allclose(compiled.se, oracle.se, rtol=1e-8, atol=1e-10, equal_nan=True)
        assert compiled.iterations == oracle.iterations
        return
    close = np.isclose(compiled.rho, oracle.rho, rtol=0, atol=1e-10, equal_nan=True)
    close &= np.isclose(compiled.se, oracle.se, rtol=1e-8, atol=1e-10, equal_nan=True)
    assert close.mean() > 0.9
    for p in np.flatnonzero(~close):
        assert abs(compiled.rho[p] - oracle.rho[p]) < 1e-5
        assert abs(compiled.se[p] - oracle.se[p]) < 1e-3 * oracle.se[p]
        cells = _cell_probabilities(oracle.rho[p], oracle.row_cuts[p], oracle.col_cuts[p])
        assert ((tables[p] == 0) & (cells < 1e-8)).any()  # a corrected cell the model all but excludes


@pytest.mark.parametrize("rows, cols, n", [(5, 5, 2_000), (2, 2, 300), (7, 7, 500), (7, 7, 60), (3, 3, 40)])
def test_compiled_fitter_equals_numpy_on_random_tables(rows, cols, n):
    tables = _tables(np.random.default_rng(rows * 10 + cols), 60, n, rows, cols)
    assert (tables == 0).any()  # zero cells are among them
    _assert_same(tables)
    _assert_same(tables, correct=0.5)
    _assert_same(tables, correct=0.5, correct_rule="dxlab")


def test_compiled_fitter_equals_numpy_on_sparse_tables():
    rng = np.random.default_rng(3)
    for tables in (_tables(rng, 40, 12, 7, 7), _tables(rng, 40, 6, 5, 5), _tables(rng, 40, 15, 2, 2)):
        _assert_same(tables)
        _assert_same(tables, correct=0.5)


def test_compiled_fitter_equals_numpy_near_the_boundary():
    rng = np.random.default_rng(5)
    tables = np.concatenate([_tables(rng, 15, 3_000, 5, 5, rho) for rho in (0.999, -0.999, 0.97, -0.93)])
    _assert_same(tables)
    staircase = np.array([[[30.0, 5, 0], [0, 20, 4], [0, 0, 41]], [[0, 0, 9], [0, 12, 3], [17, 0, 0]]])
    fit = fit_polychoric(staircase, engine="numba")
    assert fit.rho.tolist() == [1.0, -1.0] and all("boundary" in note for note in fit.note)
    _assert_same(staircase)
    one_zero = np.array([[[40.0, 10.0], [0.0, 50.0]], [[0.0, 31.0], [22.0, 7.0]]])
    _assert_same(one_zero)
    _assert_same(one_zero, correct=0.5)


def test_compiled_fitter_equals_numpy_on_weighted_tables_and_given_thresholds():
    rng = np.random.default_rng(7)
    tables = _tables(rng, 50, 800, 5, 5) * rng.uniform(0.3, 2.5, size=(50, 5, 5))
    _assert_same(tables)
    cuts = margin_thresholds(rng.integers(0, 60, size=(50, 5)))  # global thresholds, some levels empty
    _assert_same(tables, row_cuts=cuts, col_cuts=cuts[::-1].copy())


def test_degenerate_tables_take_the_same_path():
    tables = np.zeros((4, 3, 3))
    tables[1, 0, :] = [5, 3, 2]  # x constant
    tables[2] = np.eye(3) * 4  # staircase
    tables[3] = [[3, 0, 1], [0, 0, 0], [1, 0, 3]]  # empty middle level
    _assert_same(tables)


def test_compiled_bivariate_normal_cdf_equals_the_numpy_one():
    rng = np.random.default_rng(11)
    h = np.concatenate([rng.normal(scale=1.5, size=400), [40.0, -40.0, 0.0, np.inf, -np.inf, 2.0]])
    k = np.concatenate([rng.normal(scale=1.5, size=400), [-40.0, 3.0, 0.0, 0.5, 0.5, np.inf]])
    r = np.concatenate([rng.uniform(-0.9999, 0.9999, 400), [0.95, -0.5, 0.0, 0.3, -0.99, 0.6]])
    compiled = np.array([_polychoric_kernel.bvn_cdf(a, b, c) for a, b, c in zip(h, k, r)])
    np.testing.assert_allclose(compiled, bvn_cdf(h, k, r), rtol=0, atol=1e-15)


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of 'auto', 'numba', 'numpy'"):
        fit_polychoric(np.ones((1, 2, 2)), engine="fortran")


def test_threads_give_the_same_estimates(monkeypatch):
    tables = _tables(np.random.default_rng(13), 80, 1_000, 5, 5)
    serial = fit_polychoric(tables, engine="numba")
    monkeypatch.setattr(_polychoric_kernel, "SERIAL_BELOW", 0)
    threaded = fit_polychoric(tables, engine="numba")
    assert np.array_equal(serial.rho, threaded.rho) and np.array_equal(serial.se, threaded.se)


def test_starting_value_is_close_to_the_estimate():
    # normal scores of shares (0.5, 0.5): ±φ(0)/0.5 = ±0.7979, spread √(2/π)
    scores, spread = _normal_scores(np.array([[0.5, 0.5]]))
    np.testing.assert_allclose(scores, [[-np.sqrt(2 / np.pi), np.sqrt(2 / np.pi)]], rtol=1e-15)
    np.testing.assert_allclose(spread, [np.sqrt(2 / np.pi)], rtol=1e-15)
    tables = _tables(np.random.default_rng(17), 60, 5_000, 5, 5)
    fit = fit_polychoric(tables, engine="numpy")
    gap = np.abs(_start_values(tables) - fit.rho)  # |ρ| up to 0.95: the first-order term falls short there
    assert gap.max() < 0.06 and gap.mean() < 0.01


def test_grid_of_cdf_values_equals_the_numpy_one_in_every_regime():
    rng = np.random.default_rng(19)
    for r in (0.0, 0.2, -0.29, 0.5, -0.74, 0.8, -0.92, 0.925, -0.97, 0.9999):
        rows, cols = np.sort(rng.normal(0, 1.5, 6)), np.sort(rng.normal(0, 1.5, 4))
        rows[0], cols[-1] = -40.0, 40.0  # the clipped ±inf of an empty extreme level
        grid = np.zeros((8, 6))
        below_row = np.array([_polychoric_kernel._ndtr(x) for x in rows])
        below_col = np.array([_polychoric_kernel._ndtr(y) for y in cols])
        _polychoric_kernel._cdf_grid(r, rows, cols, below_row, below_col, grid)
        np.testing.assert_allclose(grid[1:-1, 1:-1], bvn_cdf(rows[:, None], cols[None, :], r), rtol=0, atol=2e-16)


def test_vectorisable_exponential_is_exact_to_rounding():
    x = np.concatenate([-np.geomspace(1e-300, 708.0, 20_001), np.linspace(-708.0, 0.0, 20_001)])
    ours = np.array([_polychoric_kernel._exp_nonpositive(v) for v in x])
    np.testing.assert_allclose(ours, np.exp(x), rtol=4.5e-16, atol=0)
    assert _polychoric_kernel._exp_nonpositive(-708.5) == 0.0 and _polychoric_kernel._exp_nonpositive(-np.inf) == 0.0
    assert _polychoric_kernel._exp_nonpositive(0.0) == 1.0


def test_without_numba_the_numpy_fitter_is_used(monkeypatch):
    tables = _tables(np.random.default_rng(23), 10, 500, 4, 4)
    monkeypatch.setattr(_polychoric_kernel, "njit", None)
    with pytest.raises(ValueError, match="engine='numba' needs numba"):
        fit_polychoric(tables, engine="numba")
    monkeypatch.setattr(_polychoric_kernel, "fit_pairs", None)  # would fail if called
    assert np.array_equal(fit_polychoric(tables).rho, fit_polychoric(tables, engine="numpy").rho)


def test_quadrature_sines_are_exact_to_rounding():
    angles = np.linspace(-1.18, 1.18, 20_001)  # |asin(0.925)/2 · node| < 1.18 for every node
    sines, scale = np.empty_like(angles), np.empty_like(angles)
    _polychoric_kernel._quadrature_sines(1.0, angles, sines, scale)
    np.testing.assert_allclose(sines, np.sin(angles), rtol=0, atol=2.3e-16)
    # 1 − s² near s = 0.92 magnifies a 1-ulp difference of s twelvefold, in NumPy's formula as in ours
    np.testing.assert_allclose(scale, 1.0 / (1.0 - np.sin(angles) ** 2), rtol=4e-15)


def test_compiled_staircase_test_equals_the_numpy_one():
    from dxlab.stats._polychoric import _staircase

    rng = np.random.default_rng(29)
    tables = (rng.random((3_000, 4, 4)) < rng.uniform(0.1, 0.5, (3_000, 1, 1))) * 1.0
    tables[:50] = np.eye(4)[None] * rng.integers(1, 9, (50, 1, 4))  # diagonals: up
    tables[50:100] = np.eye(4)[::-1][None] * 3.0  # anti-diagonals: down
    compiled, oracle = _polychoric_kernel.staircase(tables), _staircase(tables)
    assert np.array_equal(compiled[0], oracle[0]) and np.array_equal(compiled[1], oracle[1])
    assert compiled[0][:50].all() and compiled[1][50:100].all() and 0 < compiled[0][100:].sum() < 2_900
