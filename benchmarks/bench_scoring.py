"""Scoring speed and memory: `dxlab.score(scheme="mean")` on 1,000,000 responses × 30 criteria.

Peers, timed in the same run:
- a straightforward pandas row-by-row implementation (`DataFrame.apply(axis=1)`) of the same rule; it is
  timed on a 20,000-row slice (a million rows would take minutes) and compared per row;
Targets (issue #2): under 1 s, ≥ 50× faster than the baseline, peak memory under 3× the input frame.
"""

from __future__ import annotations

import gc
import time
import tracemalloc

import numpy as np
import pandas as pd

import dxlab
from dxlab.sample import synthetic_responses

N_ROWS = 1_000_000
BASELINE_ROWS = 20_000


def big_frame(rubric, n: int) -> pd.DataFrame:
    small = synthetic_responses(rubric, n=10_000, seed=1)
    reps = int(np.ceil(n / len(small)))
    frame = pd.concat([small] * reps, ignore_index=True).iloc[:n].copy()
    frame["response_id"] = [f"R{i:07d}" for i in range(n)]
    return frame


def row_by_row(frame: pd.DataFrame, rubric, min_answered: float = 0.5) -> pd.Series:
    """The spreadsheet-minded baseline: loop over rows, groups and criteria."""
    def one(row: pd.Series) -> float:
        dim_scores, dim_weights = [], []
        for dim in rubric.dimensions:
            group_scores, group_weights = [], []
            for group in dim.groups:
                answered = [(row[c.id], c.weight) for c in group.criteria if pd.notna(row[c.id])]
                if len(answered) >= min_answered * len(group.criteria) and answered:
                    group_scores.append(sum(v * w for v, w in answered) / sum(w for _, w in answered))
                    group_weights.append(group.weight)
            if group_scores and len(group_scores) >= min_answered * len(dim.groups):
                dim_scores.append(sum(s * w for s, w in zip(group_scores, group_weights)) / sum(group_weights))
                dim_weights.append(dim.weight)
        if not dim_scores or len(dim_scores) < min_answered * len(rubric.dimensions):
            return float("nan")
        return sum(s * w for s, w in zip(dim_scores, dim_weights)) / sum(dim_weights)

    return frame.apply(one, axis=1)


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rubric = dxlab.load_rubric("mobifone-dx")
    k = len(rubric.criterion_ids)
    frame = big_frame(rubric, N_ROWS)
    input_bytes = frame.memory_usage(deep=True).sum()
    levels_bytes = frame[list(rubric.criterion_ids)].memory_usage(deep=True).sum()

    dx_time = best_of(lambda: dxlab.score(frame, rubric, scheme="mean"))
    gc.collect()
    tracemalloc.start()
    scores = dxlab.score(frame, rubric, scheme="mean")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    slice_ = frame.iloc[:BASELINE_ROWS]
    base_time = best_of(lambda: row_by_row(slice_, rubric), repeat=1)
    base_per_row = base_time / BASELINE_ROWS
    check = row_by_row(frame.iloc[:2000], rubric).to_numpy()
    agree = np.allclose(check, scores.overall["score"].to_numpy()[:2000], equal_nan=True)

    rows = [
        ("dxlab.score(mean)", N_ROWS, dx_time, dx_time / N_ROWS * 1e9),
        ("pandas row-by-row apply", BASELINE_ROWS, base_time, base_per_row * 1e9),
    ]
    print(f"scoring {N_ROWS:,} responses × {k} criteria (scheme 'mean'); baseline agrees on 2,000 rows: {agree}")
    print(f"{'implementation':28} {'rows':>10} {'seconds':>9} {'ns/row':>10}")
    for name, n, seconds, ns in rows:
        print(f"{name:28} {n:>10,} {seconds:>9.3f} {ns:>10.0f}")
    speedup = base_per_row * N_ROWS / dx_time
    print(f"speed-up vs row-by-row (per row): {speedup:,.0f}×   (target ≥ 50×)")
    print(f"time for 1M rows: {dx_time:.3f} s   (target < 1 s)")
    print(f"input frame {input_bytes / 2**20:,.1f} MiB (criteria columns alone {levels_bytes / 2**20:,.1f} MiB); "
          f"peak traced during score() {peak / 2**20:,.1f} MiB = {peak / input_bytes:.2f}× the input frame "
          f"(target < 3×)")


if __name__ == "__main__":
    main()
