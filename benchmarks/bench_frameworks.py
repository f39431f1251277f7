"""Weight sensitivity: 1,000 random weightings of 10,000 enterprises × 30 criteria.

dxlab reads the criterion matrix once and scores every weighting in one matrix product; the peer is the loop
a user would write without it — `dxlab.score` once per weighting (a rubric copy with the weighting's dimension
weights), then the same rank intervals with NumPy. Both run the same number of times, interleaved, and their
rank intervals are checked equal.
"""

from __future__ import annotations

import argparse
import dataclasses
import os

import numpy as np
import pandas as pd

import dxlab
from dxlab.stats import weight_sensitivity

from ._harness import Row, compare, machine, print_table, within

N_ENTERPRISES = 10_000
N_RANDOM = 1_000
REPEATS = 3
CONCENTRATION = 50.0


def _data(rubric: dxlab.Rubric) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    base = rng.integers(1, 6, size=(N_ENTERPRISES, 1))
    values = np.clip(base + rng.integers(-1, 2, size=(N_ENTERPRISES, len(rubric.criterion_ids))), 1, 5)
    return pd.DataFrame({c: pd.array(values[:, j], dtype="Int8") for j, c in enumerate(rubric.criterion_ids)})


def _loop(responses: pd.DataFrame, rubric: dxlab.Rubric, n_random: int) -> np.ndarray:
    """Rank quantiles over random weightings by scoring each weighting with dxlab.score."""
    shares = np.array([d.weight for d in rubric.dimensions], dtype=float)
    shares /= shares.sum()
    named = np.column_stack([shares, np.full(len(shares), 1 / len(shares)),
                             np.array([sum(c.multiplier for c in d.criteria) for d in rubric.dimensions], float)])
    named /= named.sum(axis=0)
    rng = np.random.default_rng(0)
    draws = rng.dirichlet(CONCENTRATION * named[:, 0], size=n_random)
    columns = []
    for weights in draws:
        dims = tuple(dataclasses.replace(d, weight=float(w)) for d, w in zip(rubric.dimensions, weights))
        columns.append(dxlab.score(responses, dataclasses.replace(rubric, dimensions=dims)).overall["score"]
                       .to_numpy())
    ranks = pd.DataFrame(np.column_stack(columns)).rank(ascending=False, method="average").to_numpy()
    return np.quantile(ranks, [0.025, 0.5, 0.975], axis=1).T


def cases(quick: bool) -> list[Row]:
    """The ``make bench`` row: 1,000 random weightings (100 when quick), the same rank intervals checked."""
    n_random = 100 if quick else N_RANDOM
    rubric = dxlab.load_rubric("mobifone-dx")
    responses = _data(rubric)

    def ours() -> np.ndarray:
        result = weight_sensitivity(responses, rubric, n_random=n_random, seed=0, concentration=CONCENTRATION)
        return result.intervals[["rank_q025", "rank_median", "rank_q975"]].to_numpy()

    return [compare(f"weight_sensitivity, {n_random:,} weightings", N_ENTERPRISES, ours,
                    "dxlab.score loop, one call per weighting", lambda: _loop(responses, rubric, n_random),
                    within(1e-9, "max |Δ rank|"), runs=REPEATS, target=None)]


def main(quick: bool | None = None) -> None:
    quick = os.environ.get("DXLAB_BENCH_QUICK") == "1" if quick is None else quick
    print_table(cases(quick), f"dxlab frameworks{' (quick)' if quick else ''} — {machine()}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_frameworks", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help=f"100 random weightings instead of {N_RANDOM:,}")
    main(True if parser.parse_args().quick else None)
