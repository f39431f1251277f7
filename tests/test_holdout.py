"""The hold-out comparison against R (scripts/holdout) on its committed folder: seed 1's random data (ties,
missing answers, weights, an empty level, 2- and 7-level items, a one-member group, an n = 8 sample with an
improper one-factor solution) and MASS's housing, with the numbers R computed from them. No R needed."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

import dxlab.stats as st
from scripts.holdout.run import compare, counted, dxlab_numbers, random_data, report

FOLDER = Path(__file__).resolve().parent / "reference" / "holdout"


@pytest.fixture(scope="module")
def result() -> pd.DataFrame:
    return compare(pd.read_csv(FOLDER / "reference.csv"), dxlab_numbers(FOLDER))


def test_every_dxlab_number_matches_r(result):
    kept = counted(result)
    assert len(kept) > 1400
    assert kept["ok"].all(), report(result, "committed hold-out")
    functions = set(kept["function"])
    assert {"level_distribution", "association", "correlations_polychoric", "correlations_tetrachoric",
            "polyserial", "reliability", "reliability_polychoric", "item_analysis", "compare_groups",
            "compare_two", "jonckheere", "adjust_pvalues", "peer_percentile", "posthoc", "agreement_icc",
            "correlation_matrix_pearson", "correlations_pearson_weighted"} <= functions


def test_the_awkward_cases_are_in_the_comparison(result):
    kept = counted(result)
    # Rao–Scott F with weights, exact p-values at n = 8 (Kendall, Spearman, Mann–Whitney), Hommel's adjustment
    assert kept.query("function == 'association' and statistic == 'ddf'")["ok"].sum() >= 5
    assert kept.query("dataset == 'random_n8_cont' and function == 'correlations_kendall' and statistic == 'p'")[
        "ok"].all()
    assert kept["key"].str.startswith("hommel#").sum() > 10
    # ω of the n = 8 sample, where psych's one-factor solution is improper, matches psych::omega to 1e-6
    n8 = pd.read_csv(FOLDER / "random_n8.csv")
    table = st.reliability(n8, {"scale": [f"q{i}" for i in range(1, 6)]}, levels=[1, 2, 3, 4, 5])
    assert "Heywood" in table["note"].iloc[0]
    row = kept.query("function == 'reliability' and dataset == 'random_n8' and statistic == 'omega_total'")
    assert len(row) == 1 and abs(row["difference"].iloc[0]) < 1e-6


def test_a_wrong_number_is_caught(result):
    reference = pd.read_csv(FOLDER / "reference.csv")
    ours = dxlab_numbers(FOLDER)
    position = ours.index[(ours["function"] == "reliability") & (ours["statistic"] == "alpha")][0]
    ours.loc[position, "value"] += 1e-8
    tampered = counted(compare(reference, ours))
    assert (~tampered["ok"]).sum() == 1
    assert "mismatches" in report(compare(reference, ours), "tampered")


def test_the_committed_random_data_is_seed_one():
    frame, small = random_data(1)
    committed = pd.read_csv(FOLDER / "random.csv")
    pd.testing.assert_frame_equal(committed, pd.read_csv(io.StringIO(frame.to_csv(index=False))))
    assert len(pd.read_csv(FOLDER / "random_n8.csv")) == len(small) == 8
