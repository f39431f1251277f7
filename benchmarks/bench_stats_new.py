"""Tetrachoric and polyserial correlations, 30 items × 100,000 rows: dxlab against R psych in the same run.

Target (issue #14): each under 1 s and at least 20× faster than ``psych::tetrachoric`` /
``psych::polyserial``; the items are binary (the polyserial side treats them as ordinal).

Run: ``python -m benchmarks.bench_stats_new [--rows N] [--repeat R]``. Both sides compute the same
correlations from the same data (written to a temporary CSV for R); dxlab and R alternate, the script
prints min and median of each and the ratio of medians, and checks that the estimates agree.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import dxlab.stats as st

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
    return float(result.stdout.split()[0]), pd.read_csv(out).to_numpy(dtype=float)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args, _ = parser.parse_known_args(argv)  # `python -m benchmarks stats_new` passes its own arguments
    has_r = shutil.which("Rscript") is not None
    frame = _data(args.rows, args.items)
    items = [f"i{j + 1}" for j in range(args.items)]
    # imports and numba's cached compiled code loaded before the timings, as R's library() is not timed
    st.correlation_matrix(frame.head(200), items[:3], method="tetrachoric")
    st.polyserial(frame.head(200), items[:3], continuous="score")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for what in ("tetrachoric", "polyserial"):
            ours_times, r_times = [], []
            result: np.ndarray
            for _ in range(args.repeat):
                start = time.perf_counter()
                if what == "tetrachoric":
                    result = st.correlation_matrix(frame, items, method="tetrachoric").to_numpy()
                else:
                    result = st.polyserial(frame, items, continuous="score")["r"].to_numpy()
                ours_times.append(time.perf_counter() - start)
                if has_r:
                    seconds, reference = _r_time(frame, what, folder)
                    r_times.append(seconds)
            ours_med = float(np.median(ours_times))
            if not has_r:
                print(f"{what:12s} {args.items} items × {args.rows:,} rows: dxlab min {min(ours_times):.3f} s "
                      f"median {ours_med:.3f} s | psych: Rscript not found, skipped")
                continue
            gap = float(np.nanmax(np.abs(result.ravel() - reference.ravel())))
            r_med = float(np.median(r_times))
            print(f"{what:12s} {args.items} items × {args.rows:,} rows: dxlab min {min(ours_times):.3f} s "
                  f"median {ours_med:.3f} s | psych min {min(r_times):.3f} s median {r_med:.3f} s | "
                  f"ratio {r_med / ours_med:.1f}× | max |Δr| {gap:.1e}")


if __name__ == "__main__":
    main()
