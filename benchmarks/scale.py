"""Past memory: statistics of a 20,000,000-row Parquet dataset, read in batches and through Dask.

``python -m benchmarks.scale [--rows 20000000] [--folder /tmp/dxlab-scale]`` writes (once) a Parquet
dataset of ``rows`` × 30 ordinal items (levels 1–5, 2 % missing on five items) and a ``sector`` column,
then runs, each in a fresh process so that its peak memory is its own:

* ``level_distribution`` by sector, the Spearman and polychoric matrices and α (``reliability``)
  from the Parquet folder (``pyarrow.dataset``, one batch of rows at a time);
* the same through a ``dask.distributed.LocalCluster`` of 2 worker processes (peak memory: the peak of
  every process of the cluster, each counted once — the client process, which also runs the scheduler and
  the nannies, and each worker process);
* the same in memory (``pd.read_parquet`` then the DataFrame) at ``--in-memory-rows``.

It prints wall time and peak resident memory. Not part of ``make bench`` (it takes minutes and GBs of
disk); run it by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ITEMS = [f"Q{j + 1:02d}" for j in range(30)]
SECTORS = ["Bán lẻ", "Du lịch", "Giáo dục", "Logistics", "Nông nghiệp", "Sản xuất", "Tài chính", "Y tế"]
JOBS = ("level_distribution by sector", "Spearman matrix", "polychoric matrix", "α (reliability)")
PART_ROWS = 1_000_000


def write_dataset(folder: Path, rows: int, seed: int = 2021) -> None:
    """``rows`` rows in files of a million, written with pyarrow (never all in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    cuts = np.array([-1.0, -0.1, 0.75, 1.6])
    for part, start in enumerate(range(0, rows, PART_ROWS)):
        n = min(PART_ROWS, rows - start)
        sector = rng.integers(0, len(SECTORS), n)
        latent = rng.normal(size=n) + (sector - 3.5) * 0.05
        columns = {}
        for j, item in enumerate(ITEMS):
            z = 0.75 * latent + 0.66 * rng.normal(size=n)
            level = (np.searchsorted(cuts, z) + 1).astype(np.int8)
            mask = rng.random(n) < 0.02 if j < 5 else None
            columns[item] = pa.array(level, mask=mask, type=pa.int8())
        columns["sector"] = pa.array(np.array(SECTORS, dtype=object)[sector], type=pa.string())
        pq.write_table(pa.table(columns), folder / f"part-{part:04d}.parquet")


def _job(name: str, data: Any) -> None:
    import dxlab.stats as st

    if name == JOBS[0]:
        st.level_distribution(data, ITEMS, by="sector")
    elif name == JOBS[1]:
        st.correlation_matrix(data, ITEMS, method="spearman")
    elif name == JOBS[2]:
        st.correlation_matrix(data, ITEMS, method="polychoric")
    else:
        st.reliability(data, ITEMS)


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pid_peak() -> tuple[int, float]:
    return os.getpid(), _peak_mib()


def run_one(mode: str, folder: Path, job: str, rows: int) -> dict:
    """One job in this process (called in a child by :func:`main`): time and peak memory as JSON."""
    worker_peaks: list[float] = []
    if mode == "parquet":
        start = time.perf_counter()
        _job(job, str(folder))
        elapsed = time.perf_counter() - start
    elif mode == "memory":
        import pandas as pd
        import pyarrow.dataset as ds

        start = time.perf_counter()
        table = ds.dataset(str(folder), format="parquet").head(rows)
        frame = table.to_pandas(types_mapper={__import__("pyarrow").int8(): pd.Int8Dtype()}.get)
        del table
        _job(job, frame)
        elapsed = time.perf_counter() - start
    else:
        import dask.dataframe as dd
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          memory_limit="2GiB") as cluster, Client(cluster) as client:
            frame = dd.read_parquet(str(folder))
            start = time.perf_counter()
            _job(job, frame)
            elapsed = time.perf_counter() - start
            # every process of the cluster once: the workers' and the nannies' (a LocalCluster's nannies run
            # inside this process, which holds the scheduler too)
            processes = {os.getpid(): _peak_mib()}
            for pid, peak in [*client.run(_pid_peak).values(), *client.run(_pid_peak, nanny=True).values()]:
                processes[pid] = peak
            worker_peaks = [peak for pid, peak in processes.items() if pid != os.getpid()]
    return {"seconds": elapsed, "peak_mib": _peak_mib() + sum(worker_peaks), "client_mib": _peak_mib(),
            "workers_mib": worker_peaks}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--in-memory-rows", type=int, default=5_000_000, dest="memory_rows")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/dxlab-scale"))
    parser.add_argument("--jobs", nargs="+", choices=range(1, len(JOBS) + 1), type=int, default=None,
                        help="run only these jobs (1-based: " + "; ".join(f"{i + 1} {j}" for i, j in enumerate(JOBS))
                        + ")")
    parser.add_argument("--modes", nargs="+", choices=("parquet", "dask", "memory"), default=None,
                        help="run only these sources")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "JOB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    data = args.folder / f"rows-{args.rows}"
    if args.child:
        mode, job = args.child
        print(json.dumps(run_one(mode, data, job, args.memory_rows)))
        return 0
    if not data.exists():
        start = time.perf_counter()
        write_dataset(data, args.rows)
        print(f"wrote {args.rows:,} rows × {len(ITEMS)} items to {data} in {time.perf_counter() - start:.0f} s")
    size = sum(p.stat().st_size for p in data.glob("*.parquet")) / 2**20
    print(f"Parquet dataset: {args.rows:,} rows × {len(ITEMS)} items + sector, {size:,.0f} MiB on disk")
    print(f"{'job':<32} {'source':<34} {'seconds':>8} {'peak MiB':>9}")
    jobs = [JOBS[i - 1] for i in args.jobs] if args.jobs else list(JOBS)
    modes = [m for m in (("parquet", f"Parquet folder, {args.rows:,} rows"),
                         ("dask", f"Dask, 2 workers, {args.rows:,} rows"),
                         ("memory", f"in memory, {args.memory_rows:,} rows")) if not args.modes or m[0] in args.modes]
    for job in jobs:
        for mode, label in modes:
            done = subprocess.run([sys.executable, "-m", "benchmarks.scale", "--rows", str(args.rows),
                                   "--in-memory-rows", str(args.memory_rows), "--folder", str(args.folder),
                                   "--child", mode, job], capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{job:<32} {label:<34} failed: {done.stderr.strip().splitlines()[-1]}")
                continue
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{job:<32} {label:<34} {result['seconds']:>8.1f} {result['peak_mib']:>9,.0f}", flush=True)
    print("peak MiB: the process's maximum resident memory (Dask: the client process, which runs the scheduler and "
          "the nannies, plus the peak of each worker process)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
