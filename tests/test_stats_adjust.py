"""p-value adjustment against R's p.adjust (committed reference) and statsmodels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dxlab.stats import adjust_pvalues

REF = Path(__file__).resolve().parent / "reference" / "stats"


@pytest.fixture(scope="module")
def r_pvalues() -> pd.DataFrame:
    table = pd.read_csv(REF / "bfi_correlations.csv")
    return table[table["method"] == "pearson"].reset_index(drop=True)


@pytest.mark.parametrize("method, column", [("holm", "p_holm"), ("hochberg", "p_hochberg"),
                                            ("bonferroni", "p_bonferroni"), ("fdr_bh", "p_BH"),
                                            ("fdr_by", "p_BY")])
def test_matches_r_p_adjust(r_pvalues, method, column):
    ours = adjust_pvalues(r_pvalues["p"].to_numpy(), method)
    np.testing.assert_allclose(ours, r_pvalues[column].to_numpy(), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("method", ["holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by"])
def test_matches_statsmodels(method):
    multipletests = pytest.importorskip("statsmodels.stats.multitest").multipletests
    p = np.random.default_rng(5).uniform(0, 0.2, 40) ** 2
    names = {"hochberg": "simes-hochberg", "bonferroni": "bonferroni"}
    expected = multipletests(p, method=names.get(method, method))[1]
    np.testing.assert_allclose(adjust_pvalues(p, method), expected, rtol=1e-12)


def test_missing_pvalues_stay_missing_and_do_not_count():
    p = np.array([0.01, np.nan, 0.04])
    out = adjust_pvalues(p, "bonferroni")
    assert np.isnan(out[1])
    np.testing.assert_allclose(out[[0, 2]], [0.02, 0.08])
    assert adjust_pvalues(p, "none")[2] == 0.04


def test_unknown_method_lists_the_valid_ones():
    with pytest.raises(ValueError, match="'holm'.*'fdr_bh'"):
        adjust_pvalues([0.1], "tukey")
