"""Cleaning a large Vietnamese Google Forms export of the full mobifone-dx survey, against bare CSV parsers.

Targets: 100,000 rows under 3 s (issue 15; issue 10's floor: 10 s and 1 GB) and 1,000,000 rows, read in batches
with pyarrow, under 20 s with peak memory under 1.5 GB. The peers parse the same file in the same run:
``pandas.read_csv(path, dtype=str)`` and ``pyarrow.csv.read_csv`` (with ``newlines_in_values``, as the file
needs) — they only parse; dxlab also detects
the format and encoding, checks for unbalanced quotes, maps columns, parses every answer, recodes metadata,
finds duplicates and builds the issues. Every contender runs in its own Python process (so that its peak
resident memory, ``ru_maxrss``, is its own; imports are not timed), the same number of times, interleaved;
the row counts they report must agree.

    python -m benchmarks.bench_ingest [--rows 100000] [--repeats 3] [--file existing.csv]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {100_000: (3.0, 1024.0), 1_000_000: (20.0, 1536.0)}  # rows: (seconds, peak MB)

_CHILD = r"""
import json, resource, sys, time
path, which = sys.argv[1], sys.argv[2]
import pandas as pd
import pyarrow.csv as pcsv
import dxlab
from dxlab.ingest import read_export
rubric = dxlab.load_rubric("mobifone-dx")
start = time.perf_counter()
if which == "pandas":
    rows = len(pd.read_csv(path, dtype=str, skip_blank_lines=False))
elif which == "pyarrow":
    options = pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=False)
    rows = pcsv.read_csv(path, parse_options=options).num_rows
else:
    result = read_export(path, rubric)
    rows = result.source.rows_read
    assert len(result.responses) + len(result.quarantined) == result.source.rows_read
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows}))
"""

CONTENDERS = (("dxlab", "dxlab.read_export (full clean)"), ("pandas", "pandas.read_csv(dtype=str) (parse only)"),
              ("pyarrow", "pyarrow.csv.read_csv (parse only)"))


def _run(path: Path, which: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), which], capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise RuntimeError(f"{which} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _table(runs: dict[str, list[dict]]) -> list[str]:
    header = f"{'contender':<42}{'min s':>8}{'median s':>10}{'peak MB':>9}{'dxlab/peer':>12}"
    lines = [header, "-" * len(header)]
    dxlab_median = statistics.median(r["seconds"] for r in runs["dxlab"])
    for key, label in CONTENDERS:
        times = [r["seconds"] for r in runs[key]]
        median = statistics.median(times)
        ratio = "" if key == "dxlab" else f"{dxlab_median / median:>11.1f}×"
        peak = max(r["peak_mb"] for r in runs[key])
        lines.append(f"{label:<42}{min(times):>8.2f}{median:>10.2f}{peak:>9.0f}{ratio:>12}")
    return lines


def _counts_agree(runs: dict[str, list[dict]]) -> bool:
    return len({r["rows"] for rs in runs.values() for r in rs}) == 1


def bench(path: Path, repeats: int) -> tuple[dict[str, list[dict]], float]:
    """Run every contender ``repeats`` times, interleaved; return the runs and the file size in MB."""
    runs: dict[str, list[dict]] = {key: [] for key, _ in CONTENDERS}
    for _ in range(repeats):
        for key, _label in CONTENDERS:
            runs[key].append(_run(path, key))
    return runs, path.stat().st_size / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark dxlab's ingest against pandas and pyarrow CSV parsing.")
    parser.add_argument("--rows", type=int, default=100_000, help="rows to generate (default 100000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per contender, interleaved (default 3)")
    parser.add_argument("--file", type=Path, default=None, help="an export already generated (skips writing one)")
    args = parser.parse_args([] if argv is None else argv)
    from dxlab.sample import write_google_forms_export

    with tempfile.TemporaryDirectory() as folder:
        path = args.file
        made = 0.0
        if path is None:
            path = Path(folder) / f"google-forms-vi-{args.rows}.csv"
            started = time.perf_counter()
            # About 6 % of the generated rows are repeated submissions and junk on top of the enterprises.
            write_google_forms_export(path, "mobifone-dx", n=int(args.rows / 1.062), seed=100)
            made = time.perf_counter() - started
        runs, size_mb = bench(path, args.repeats)
    rows = runs["dxlab"][0]["rows"]
    print(f"bench_ingest — {rows:,} rows, {size_mb:.0f} MB Vietnamese Google Forms CSV (full mobifone-dx survey"
          f"{f'; written in {made:.0f} s' if made else ''}); {args.repeats} interleaved runs each, own process")
    print("\n".join(_table(runs)))
    agree = _counts_agree(runs)
    print(f"row counts agree: {'yes' if agree else 'NO'}")
    target = TARGETS[min(TARGETS, key=lambda n: abs(n - rows))]
    median = statistics.median(r["seconds"] for r in runs["dxlab"])
    peak = max(r["peak_mb"] for r in runs["dxlab"])
    ok = median < target[0] and peak < target[1]
    print(f"target: median < {target[0]:.0f} s and peak < {target[1]:.0f} MB — {'met' if ok else 'NOT MET'}")
    return 0 if ok and agree else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
