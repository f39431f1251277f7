"""The vectorised bivariate normal CDF and density, against SciPy and closed forms."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps
from scipy.special import ndtr

from dxlab.stats._bvn import bvn_cdf, bvn_pdf, bvn_pdf_drho


def test_cdf_matches_scipy_across_all_correlation_regimes():
    rng = np.random.default_rng(11)
    h = rng.normal(scale=1.5, size=120)
    k = rng.normal(scale=1.5, size=120)
    r = np.concatenate([rng.uniform(-0.29, 0.29, 30), rng.uniform(0.3, 0.74, 30) * rng.choice([-1, 1], 30),
                        rng.uniform(0.75, 0.92, 30) * rng.choice([-1, 1], 30),
                        rng.uniform(0.925, 0.99999, 30) * rng.choice([-1, 1], 30)])
    ours = bvn_cdf(h, k, r)
    reference = np.array([sps.multivariate_normal([0, 0], [[1, ri], [ri, 1]], abseps=1e-13, releps=1e-13)
                         .cdf([hi, ki]) for hi, ki, ri in zip(h, k, r)])
    np.testing.assert_allclose(ours, reference, atol=1e-12)


def test_cdf_closed_forms_and_infinite_limits():
    assert bvn_cdf(0.0, 0.0, 0.5) == pytest.approx(0.25 + np.arcsin(0.5) / (2 * np.pi), abs=1e-15)
    assert bvn_cdf(0.3, -0.7, 0.0) == pytest.approx(ndtr(0.3) * ndtr(-0.7), abs=1e-15)
    assert bvn_cdf(0.5, -0.2, 1.0) == pytest.approx(ndtr(-0.2), abs=1e-15)  # X = Y
    assert bvn_cdf(0.5, -0.2, -1.0) == pytest.approx(ndtr(0.5) - ndtr(0.2), abs=1e-15)  # Y = −X
    assert bvn_cdf(np.inf, 0.3, 0.6) == pytest.approx(ndtr(0.3), abs=1e-15)
    assert bvn_cdf(-np.inf, 0.3, 0.6) == 0.0
    assert bvn_cdf(np.inf, np.inf, -0.6) == 1.0
    assert bvn_cdf(40.0, -40.0, 0.95) == 0.0


def test_cdf_broadcasts_points_against_correlations():
    out = bvn_cdf(np.array([[0.0], [1.0]]), 0.0, np.array([-0.5, 0.0, 0.5]))
    assert out.shape == (2, 3)
    assert out[0, 1] == pytest.approx(0.25)


def test_density_matches_scipy_and_is_the_rho_derivative_of_the_cdf():
    rng = np.random.default_rng(3)
    x, y, r = rng.normal(size=40), rng.normal(size=40), rng.uniform(-0.95, 0.95, 40)
    reference = np.array([sps.multivariate_normal([0, 0], [[1, ri], [ri, 1]]).pdf([xi, yi])
                          for xi, yi, ri in zip(x, y, r)])
    np.testing.assert_allclose(bvn_pdf(x, y, r), reference, rtol=1e-12)
    eps = 1e-6
    numeric = (bvn_cdf(x, y, r + eps) - bvn_cdf(x, y, r - eps)) / (2 * eps)
    np.testing.assert_allclose(numeric, bvn_pdf(x, y, r), atol=1e-8)
    numeric2 = (bvn_pdf(x, y, r + eps) - bvn_pdf(x, y, r - eps)) / (2 * eps)
    np.testing.assert_allclose(numeric2, bvn_pdf_drho(x, y, r), rtol=1e-6, atol=1e-9)


def test_density_is_zero_at_infinity():
    assert bvn_pdf(np.inf, 0.0, 0.3) == 0.0
    assert bvn_pdf_drho(-np.inf, 1.0, 0.3) == 0.0
