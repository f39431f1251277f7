"""Cleaning a large Vietnamese Google Forms export of the full mobifone-dx survey, against bare CSV parsers.

Targets (issues 10 and 15): 100,000 rows under 3 s and well under 1 GB; 1,000,000 rows, cleaned in batches
(a file above 192 MB is streamed: ``dxlab/ingest/_stream.py``), under 20 s with peak memory under 1.5 GB. The peers parse the same file in the same run:
``pyarrow.csv.read_csv`` (with ``newlines_in_values``, as the file needs) and ``pandas.read_csv(dtype=str)`` —
they only parse; dxlab (``dxlab.read_export``) also detects the format and encoding, checks for unbalanced
quotes, maps columns, parses every answer, recodes metadata, finds duplicates and builds the issues. Every run
of every contender is its own Python process (imports are not timed; its peak resident memory, ``VmHWM``,
is its own), the same number of runs, interleaved (dxlab, pyarrow, pandas, dxlab, …); the row counts they
report must agree.

    python -m benchmarks ingest [--quick]                       # rows in the one table of make bench
    python -m benchmarks.bench_ingest [--rows 100000] [--repeats 3] [--file existing.csv]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from ._harness import Row, machine, print_table

# rows: (seconds, peak MB) that dxlab's median run and largest peak must stay under
TARGETS = {100_000: (3.0, 1024.0), 1_000_000: (20.0, 1536.0)}

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
elif which == "parts":
    import tempfile
    from dxlab.ingest import clean_to_folder
    with tempfile.TemporaryDirectory() as out:
        result = clean_to_folder(path, rubric, out, out_format="parquet-dataset", keep_responses=False)
    rows = result.source.rows_read
    assert result.kept + len(result.quarantined) == result.source.rows_read
else:
    result = read_export(path, rubric)
    rows = result.source.rows_read
    assert len(result.responses) + len(result.quarantined) == result.source.rows_read
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child would report its parent's peak
# (the parent that wrote a 1,000,000-row export holds 2.4 GB).
with open("/proc/self/status") as status:
    hwm = [line.split()[1] for line in status if line.startswith("VmHWM")]
peak_mb = int(hwm[0]) / 1024 if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "rows": rows}))
"""

CONTENDERS = (("dxlab", "dxlab.read_export (full clean)"), ("pyarrow", "pyarrow.csv.read_csv (parse only)"),
              ("pandas", "pandas.read_csv(dtype=str) (parse only)"))


def _run(path: Path, which: str) -> dict:
    done = subprocess.run([sys.executable, "-c", _CHILD, str(path), which], capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise RuntimeError(f"{which} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(path: Path, repeats: int) -> dict[str, list[dict]]:
    """Run every contender ``repeats`` times, interleaved, each run in its own process."""
    runs: dict[str, list[dict]] = {key: [] for key, _ in CONTENDERS}
    for _ in range(repeats):
        for key, _label in CONTENDERS:
            runs[key].append(_run(path, key))
    return runs


def export(folder: Path, rows: int) -> Path:
    """A generated Vietnamese Google Forms export of about ``rows`` rows (6 % of them re-submissions and junk)."""
    from dxlab.sample import write_google_forms_export

    path = folder / f"google-forms-vi-{rows}.csv"
    write_google_forms_export(path, "mobifone-dx", n=int(rows / 1.062), seed=100)
    return path


def rows_of(runs: dict[str, list[dict]], rows: int) -> list[Row]:
    """One table row per peer: dxlab's runs against that peer's, with the time and memory target."""
    seconds, peak = TARGETS[min(TARGETS, key=lambda n: abs(n - rows))]
    ours = [r["seconds"] for r in runs["dxlab"]]
    ours_peak = max(r["peak_mb"] for r in runs["dxlab"])
    counts = {r["rows"] for rs in runs.values() for r in rs}
    agreement = f"rows read {counts.pop():,}" if len(counts) == 1 else "ROW COUNTS DIFFER"
    met = len(counts) == 0 and statistics.median(ours) < seconds and ours_peak < peak
    out = []
    for key, label in CONTENDERS[1:]:
        theirs = [r["seconds"] for r in runs[key]]
        out.append(Row(job="clean Vietnamese Google Forms export", rows=rows, runs=len(ours), ours_min=min(ours),
                       ours_median=statistics.median(ours), peer=label, peer_min=min(theirs),
                       peer_median=statistics.median(theirs), agreement=agreement,
                       target=f"< {seconds:g} s, < {peak / 1024:g} GB", passed=met, ours_peak_mb=ours_peak,
                       peer_peak_mb=max(r["peak_mb"] for r in runs[key])))
    return out


def parts_row(path: Path, rows: int, repeats: int) -> Row:
    """``dxlab clean --out-format parquet-dataset``: the same clean written part by part (Parquet parts, and CSV
    copies of responses, issues and non-answers), never holding every response; no peer writes these outputs.
    The time target is the clean's (read and cleaned); writing comes on top, so only the memory target applies
    here (pandas' ``to_csv`` of the 1,000,000-row ``responses.csv`` alone takes about 15 s)."""
    runs = [_run(path, "parts") for _ in range(repeats)]
    _, peak = TARGETS[min(TARGETS, key=lambda n: abs(n - rows))]
    times = [r["seconds"] for r in runs]
    top = max(r["peak_mb"] for r in runs)
    return Row(job="  the same, written in Parquet parts", rows=rows, runs=repeats, ours_min=min(times),
               ours_median=statistics.median(times), peer="(no peer) dxlab clean, parquet-dataset", peer_min=None,
               peer_median=None, agreement=f"rows read {runs[0]['rows']:,}",
               target=f"< {peak / 1024:g} GB", passed=top < peak, ours_peak_mb=top)


def cases(quick: bool) -> list[Row]:
    """The rows of ``make bench``: 100,000 rows (and 1,000,000, also written in parts, unless ``quick``)."""
    sizes = ((100_000, 2),) if quick else ((100_000, 3), (1_000_000, 2))
    out: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-ingest-") as folder:
        for rows, repeats in sizes:
            path = export(Path(folder), rows)
            out += rows_of(bench(path, repeats), rows)
            if not quick and rows == max(n for n, _ in sizes):
                out.append(parts_row(path, rows, repeats))
            path.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark dxlab's ingest against pandas and pyarrow CSV parsing.")
    parser.add_argument("--rows", type=int, default=100_000, help="rows to generate (default 100000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per contender, interleaved (default 3)")
    parser.add_argument("--file", type=Path, default=None, help="an export already generated (skips writing one)")
    args = parser.parse_args([] if argv is None else argv)
    with tempfile.TemporaryDirectory() as folder:
        path = args.file or export(Path(folder), args.rows)
        runs = bench(path, args.repeats)
    rows = runs["dxlab"][0]["rows"]
    table = rows_of(runs, rows)
    print_table(table, f"bench_ingest — {machine()}")
    return 0 if all(row.passed for row in table) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
