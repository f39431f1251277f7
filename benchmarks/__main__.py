"""``make bench``: one table, every job against its strongest known peer (``python -m benchmarks --help``).

Benchmark modules named ``bench_*`` that offer ``cases(quick) -> list[Row]`` add rows to the table; a
module with only ``main()`` is run after it under its own heading.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import os
import pkgutil
import sys
from pathlib import Path

from ._harness import machine, print_table


def main(argv: list[str]) -> int:
    folder = Path(__file__).parent
    names = sorted(m.name.removeprefix("bench_") for m in pkgutil.iter_modules([str(folder)])
                   if m.name.startswith("bench_"))
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", choices=[[], *names], metavar="NAME",
                        help=f"run only these benchmark modules ({', '.join(names)})")
    parser.add_argument("--quick", action="store_true",
                        help="100,000 rows instead of 1,000,000, fewer runs, no slow R runs (for development)")
    args = parser.parse_args(argv)
    quick = args.quick or os.environ.get("DXLAB_BENCH_QUICK", "") not in ("", "0")
    rows, others = [], []
    for name in args.only or names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        if hasattr(module, "cases"):
            rows.extend(module.cases(quick))
        else:
            others.append(module)
    if rows:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        print_table(rows, f"dxlab benchmarks, {stamp}{' (quick)' if quick else ''} — {machine()}")
        missed = [row.job + " vs " + row.peer for row in rows if row.passed is False]
        print("all targets met" if not missed else f"targets missed: {'; '.join(missed)}")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "")
    for module in others:
        print(f"\n#### {module.__name__}", flush=True)
        module.main()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
