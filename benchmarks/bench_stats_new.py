"""Tetrachoric and polyserial correlations, 30 items × 100,000 rows: dxlab against R psych in the same run.

Target (issue #14): each under 1 s and at least 20× faster than ``psych::tetrachoric`` /
``psych::polyserial``; the items are binary (the polyserial side treats them as ordinal).

Run: ``python -m benchmarks.bench_stats_new [--rows N] [--repeat R]``. Both sides compute the same
correlations from the same data (written to a temporary CSV for R); dxlab and R alternate, the script
prints min and median of each and the ratio of medians, and checks that the estimates agree.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

import dxlab.stats as st

from ._harness import Row, Timed, compare, machine, print_table, r_missing, within

_R = """
suppressMessages(library(psych))
x <- read.csv("{path}")
items <- grep("^i", names(x), value = TRUE)
what <- "{what}"
t <- system.time({{
  r <- if (what == "tetrachoric") suppressWarnings(suppressMessages(tetrachoric(x[, items], smooth = FALSE)$rho))
       else psych::polyserial(x[, "score", drop = FALSE], x[, items])
}})[["elapsed"]]
cat(t, "\\n")
write.csv(as.matrix(r), "{out}", row.names = FALSE)
"""


def _data(rows: int, items: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(rows, 1))
    noise = rng.normal(size=(rows, items))
    frame = pd.DataFrame({f"i{j + 1}": (0.6 * latent[:, 0] + 0.8 * noise[:, j] > 0.2 * (j % 3)).astype(np.int8)
                          for j in range(items)})
    frame["score"] = latent[:, 0] + rng.normal(size=rows)
    return frame


def _r_time(frame: pd.DataFrame, what: str, folder: Path) -> tuple[float, np.ndarray]:
    path, out = folder / "data.csv", folder / "out.csv"
    if not path.exists():
        frame.to_csv(path, index=False)
    script = folder / "run.R"
    script.write_text(_R.format(path=path, out=out, what=what))
    result = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, check=True)
    return float(result.stdout.split()[0]), pd.read_csv(out).to_numpy(dtype=float).ravel()


def _ours(frame: pd.DataFrame, items: list[str], what: str) -> Callable[[], np.ndarray]:
    if what == "tetrachoric":
        return lambda: st.correlation_matrix(frame, items, method="tetrachoric").to_numpy().ravel()
    return lambda: st.polyserial(frame, items, continuous="score")["r"].to_numpy()


def _rows(rows: int, n_items: int, runs: int) -> list[Row]:
    frame = _data(rows, n_items)
    items = [f"i{j + 1}" for j in range(n_items)]
    missing = r_missing("psych")
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for what in ("tetrachoric", "polyserial"):
            ours = _ours(frame, items, what)
            ours()  # first-call costs (compilation) out of the timings, as R's library loading is
            peer = None if missing else (lambda what=what: Timed(*_r_time(frame, what, folder)))
            out.append(compare(f"{what}, {n_items} items", rows, ours, f"R psych::{what}", peer,
                               within(1e-4, "max |Δr|"), runs=runs, target=20, limit=1.0,
                               skipped=missing or ""))
    return out


def cases(quick: bool) -> list[Row]:
    """The ``make bench`` rows: 30 items × 100,000 rows against psych (3 runs; 1 when quick)."""
    return _rows(100_000, 30, 1 if quick else 3)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_stats_new", description=(__doc__ or "").splitlines()[0]
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    print_table(_rows(args.rows, args.items, args.repeat), f"tetrachoric and polyserial — {machine()}")


if __name__ == "__main__":
    main()
