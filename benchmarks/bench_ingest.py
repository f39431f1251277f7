"""Cleaning a 100,000-row Vietnamese Google Forms export of the full mobifone-dx survey.

Target (issue #3): under 10 s and under 1 GB peak memory on the project's 2-core machine. The peer is a plain
``pandas.read_csv`` of the same file in the same run (it only parses; dxlab also detects the format and
encoding, maps columns, parses every answer, recodes metadata, finds duplicates and builds the issues).
Each contender runs in its own Python process so that its peak resident memory is its own.

    python -m benchmarks.bench_ingest [rows]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000
TARGET_SECONDS = 10.0
TARGET_MB = 1024.0

_CHILD = r"""
import json, resource, sys, time
path, which = sys.argv[1], sys.argv[2]
import pandas as pd
import dxlab
from dxlab.ingest import read_export
rubric = dxlab.load_rubric("mobifone-dx")
start = time.perf_counter()
if which == "pandas":
    rows = len(pd.read_csv(path))
    kept = rows
else:
    result = read_export(path, rubric)
    rows = result.source.rows_read
    kept = len(result.responses)
seconds = time.perf_counter() - start
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows, "kept": kept}))
"""


def _run(path: Path, which: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), which], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(rows: int = ROWS) -> int:
    from dxlab.sample import write_google_forms_export

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "google-forms-vi-100k.csv"
        # About 6 % of the generated rows are repeated submissions and junk on top of the enterprises.
        started = time.perf_counter()
        write_google_forms_export(path, "mobifone-dx", n=int(rows / 1.062), seed=100)
        made = time.perf_counter() - started
        size_mb = path.stat().st_size / 2**20
        pandas_run = _run(path, "pandas")
        dxlab_run = _run(path, "dxlab")
    print(f"bench_ingest — {dxlab_run['rows']:,} rows, {size_mb:.0f} MB Vietnamese Google Forms CSV "
          f"(full mobifone-dx survey; written in {made:.1f} s)")
    header = f"{'contender':<34}{'seconds':>9}{'rows/s':>12}{'peak MB':>10}{'× pandas':>10}"
    print(header)
    print("-" * len(header))
    for name, run in (("pandas.read_csv (parse only)", pandas_run), ("dxlab.read_export (full clean)", dxlab_run)):
        ratio = run["seconds"] / pandas_run["seconds"]
        print(f"{name:<34}{run['seconds']:>9.2f}{run['rows'] / run['seconds']:>12,.0f}{run['peak_mb']:>10.0f}"
              f"{ratio:>10.1f}")
    ok = dxlab_run["seconds"] < TARGET_SECONDS and dxlab_run["peak_mb"] < TARGET_MB
    print(f"target: < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB peak — "
          f"{'met' if ok else 'NOT MET'}; kept {dxlab_run['kept']:,} responses")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS))
