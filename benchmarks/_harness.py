"""Timing rules shared by every benchmark: dxlab and each peer run the same number of times, interleaved
(dxlab, peer, dxlab, peer, …), their outputs are checked equal, and min, median and the ratio of medians
(peer ÷ dxlab: above 1 means dxlab is faster) are printed. Straw-man baselines are labelled ``(straw man)``.
"""

from __future__ import annotations

import gc
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Timed:
    """A result whose time was measured by the peer itself (R's ``system.time``: no start-up, no loading)."""

    seconds: float
    value: Any


@dataclass
class Row:
    job: str
    rows: int
    runs: int
    ours_min: float
    ours_median: float
    peer: str
    peer_min: float | None
    peer_median: float | None
    agreement: str
    target: str
    passed: bool | None
    ours_peak_mb: float | None = None  # peak resident memory of a run, when each run has its own process
    peer_peak_mb: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if self.peer_median is None else self.peer_median / self.ours_median


def run_interleaved(ours: Callable[[], Any], peer: Callable[[], Any] | None, runs: int
                    ) -> tuple[list[float], Any, list[float], Any]:
    """``runs`` timings of each, alternating, with the last result of each."""
    ours_times: list[float] = []
    peer_times: list[float] = []
    ours_result = peer_result = None
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        ours_result = ours()
        ours_times.append(time.perf_counter() - start)
        if peer is None:
            continue
        gc.collect()
        start = time.perf_counter()
        outcome = peer()
        elapsed = time.perf_counter() - start
        if isinstance(outcome, Timed):
            elapsed, outcome = outcome.seconds, outcome.value
        peer_times.append(elapsed)
        peer_result = outcome
    return ours_times, ours_result, peer_times, peer_result


def compare(job: str, rows: int, ours: Callable[[], Any], peer_name: str, peer: Callable[[], Any] | None,
            check: Callable[[Any, Any], tuple[str, bool]], *, runs: int, target: float | None,
            skipped: str = "", limit: float | None = None) -> Row:
    """One table row: interleaved runs, the agreement check, and the targets if any: ``target`` a minimum
    ratio, ``limit`` a maximum median time of dxlab in seconds."""
    if peer is None:
        times, _, _, _ = run_interleaved(ours, None, runs)
        median = statistics.median(times)
        return Row(job, rows, runs, min(times), median, peer_name, None, None, f"({skipped})" if skipped else "",
                   _target_text(target, limit), None if limit is None else median <= limit)
    ours_times, ours_result, peer_times, peer_result = run_interleaved(ours, peer, runs)
    agreement, equal = check(ours_result, peer_result)
    row = Row(job, rows, runs, min(ours_times), statistics.median(ours_times), peer_name, min(peer_times),
              statistics.median(peer_times), agreement, _target_text(target, limit), None)
    if target is not None or limit is not None:
        assert row.ratio is not None
        fast_enough = target is None or row.ratio >= target
        in_time = limit is None or row.ours_median <= limit
        row.passed = equal and fast_enough and in_time
    elif not equal:
        row.passed = False
    return row


def _target_text(target: float | None, limit: float | None = None) -> str:
    parts = [] if limit is None else [f"< {limit:g} s"]
    if target is not None:
        if target < 1:
            parts.append(f"within {1 / target:g}×")
        else:
            parts.append("≥ 1× (as fast)" if target == 1 else f"≥ {target:g}×")
    return ", ".join(parts)


def max_abs(a: Any, b: Any) -> float:
    return float(np.nanmax(np.abs(np.asarray(a, dtype=float) - np.asarray(b, dtype=float))))


def within(tolerance: float, label: str = "max |Δ|") -> Callable[[Any, Any], tuple[str, bool]]:
    def check(ours: Any, peer: Any) -> tuple[str, bool]:
        difference = max_abs(ours, peer)
        return f"{label} {difference:.1e}", difference <= tolerance
    return check


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}{load}"


def print_table(rows: list[Row], title: str) -> None:
    print(title)
    header = (f"{'job':<40} {'rows':>10} {'runs':>4} {'dxlab min':>9} {'median':>8}  {'peer':<42} "
              f"{'min':>8} {'median':>8} {'ratio':>8}  {'agreement':<20} {'target':<15} result")
    print(header)
    print("-" * len(header))
    for row in rows:
        peer_min = "—" if row.peer_min is None else f"{row.peer_min:.3f}"
        peer_median = "—" if row.peer_median is None else f"{row.peer_median:.3f}"
        ratio = "—" if row.ratio is None else f"{row.ratio:,.2f}×"
        verdict = "" if row.passed is None else ("ok" if row.passed else "MISSED")
        memory = "" if row.ours_peak_mb is None else f"  peak MB {row.ours_peak_mb:,.0f}"
        if memory and row.peer_peak_mb is not None:
            memory += f" / peer {row.peer_peak_mb:,.0f}"
        print(f"{row.job:<40} {row.rows:>10,} {row.runs:>4} {row.ours_min:>9.3f} {row.ours_median:>8.3f}  "
              f"{row.peer:<42} {peer_min:>8} {peer_median:>8} {ratio:>8}  {row.agreement:<20} "
              f"{row.target:<15} {verdict}{memory}")
    print("times in seconds; ratio = peer median ÷ dxlab median (above 1: dxlab faster)")
    print("R peers are timed inside R (system.time), without R's start-up or library(); dxlab's compiled code "
          "(numba) comes from its on-disk cache, and a warm-up call keeps imports and cache loading out of the "
          "pair-table and polychoric rows")
    if any(row.ours_peak_mb is not None for row in rows):
        print("peak MB: largest peak resident memory of a run, each run in its own process (imports included)")


# -- R peers (time measured inside R, so R's start-up and the data loading are not counted) -------------------
def r_missing(*packages: str) -> str | None:
    """None when Rscript and every package are usable, else the reason they are not."""
    if shutil.which("Rscript") is None:
        return "Rscript not found"
    probe = ", ".join(f"requireNamespace('{p}', quietly=TRUE)" for p in packages)
    done = subprocess.run(["Rscript", "-e", f"cat(all(c({probe})))"], capture_output=True, text=True,
                          timeout=300, check=False)
    if done.stdout.strip() != "TRUE":
        return f"R package(s) {', '.join(packages)} not installed"
    return None


_R_SCRIPT = r"""
suppressPackageStartupMessages({{ library(psych); if ("{what}" == "lavcor") library(lavaan) }})
con <- file("{data}", "rb")
x <- readBin(con, "integer", n = {n} * {k}, size = 1, signed = TRUE)
close(con)
X <- matrix(x, nrow = {n}, ncol = {k}, byrow = TRUE)
colnames(X) <- sprintf("Q%02d", 1:{k})
if ("{what}" == "polychoric") {{
  elapsed <- system.time(result <- polychoric(X))[["elapsed"]]
  write.csv(result$rho, "{out}", row.names = FALSE)
}} else if ("{what}" == "lavcor") {{
  D <- as.data.frame(X)
  elapsed <- system.time(result <- lavCor(D, ordered = colnames(D)))[["elapsed"]]
  write.csv(unclass(result), "{out}", row.names = FALSE)
}} else {{
  elapsed <- system.time(result <- alpha(X, warnings = FALSE))[["elapsed"]]
  write.csv(data.frame(alpha = result$total$raw_alpha), "{out}", row.names = FALSE)
}}
cat(elapsed, "\n")
"""


class RPeer:
    """One R function on one data set; each call is one timed run in a fresh Rscript."""

    def __init__(self, codes: np.ndarray, what: str) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="dxlab-bench-"))
        self.data = self.folder / "x.bin"
        np.ascontiguousarray(codes, dtype=np.int8).tofile(self.data)
        self.n, self.k = codes.shape
        self.what = what

    def __call__(self) -> Timed:
        import pandas as pd

        out, script = self.folder / "out.csv", self.folder / "run.R"
        script.write_text(_R_SCRIPT.format(data=self.data.as_posix(), out=out.as_posix(), n=self.n, k=self.k,
                                           what=self.what), encoding="utf-8")
        done = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=7200, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"Rscript failed: {done.stderr[-2000:]}")
        return Timed(float(done.stdout.strip().splitlines()[-1]), pd.read_csv(out).to_numpy())

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
