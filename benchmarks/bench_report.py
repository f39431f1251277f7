"""Report speed: an enterprise card and a sector report of 3,000 responses, each as HTML + Word, in-process (no
Jupyter kernel, no notebook).

Targets (issue #11): card (HTML + DOCX) under 2 s, sector report (HTML + DOCX) under 10 s on this machine.
There is no peer library that builds these reports; the reference is the targets. Wall time and the process's
CPU time are both printed: on a shared machine the wall time includes waiting for a core, the CPU time does not.
Every run's outputs are checked (same tables in the Word document as in the model, Vietnamese text present).

Run: ``python -m benchmarks report`` (or ``python benchmarks/bench_report.py [repeats]``).
"""

from __future__ import annotations

import argparse
import gc
import io
import re
import statistics
import time
from collections.abc import Callable
from typing import Any

import dxlab
from dxlab.report import build_card, build_sector, docx_bytes, render_html
from dxlab.sample import synthetic_responses

from ._harness import Row, compare, within

N_RESPONSES = 3000
TARGETS = {"card": 2.0, "sector": 10.0}


def _check(model: Any, html: str, word: bytes) -> None:
    import docx

    document = docx.Document(io.BytesIO(word))
    assert len(document.tables) == len(model.tables()), "Word tables differ from the model"
    text = re.sub(r"<[^>]+>", " ", re.sub(r"data:image/[^\"']+", "", html))
    assert model.title in text and not re.search(r"\b(?:nan|NaN|None)\b", text), "the HTML shows a missing value"


def _card(responses: Any) -> Callable[[], tuple[Any, str, bytes]]:
    def run() -> tuple[Any, str, bytes]:
        model = build_card(responses, "R000001", "mobifone-dx", lang="vi")
        return model, render_html(model), docx_bytes(model)

    return run


def _sector(responses: Any) -> Callable[[], tuple[Any, str, bytes]]:
    def run() -> tuple[Any, str, bytes]:
        model = build_sector(responses, "G", rubric="mobifone-dx", lang="vi")
        return model, render_html(model), docx_bytes(model)

    return run


def _time(fn: Callable[[], tuple[Any, str, bytes]]) -> tuple[float, float]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    _check(*fn())
    return time.perf_counter() - wall, time.process_time() - cpu


def cases(quick: bool) -> list[Row]:
    """The ``make bench`` rows (wall time; ``main`` also prints CPU time): no peer library builds these reports."""
    responses = synthetic_responses(dxlab.load_rubric("mobifone-dx"), n=N_RESPONSES, seed=2021)
    runs = 1 if quick else 3
    _time(_card(responses))  # warm-up: imports, fonts, catalogues
    rows = []
    for name, build in (("card", _card), ("sector", _sector)):
        make = build(responses)
        label = "report card, HTML + Word" if name == "card" else "sector report, HTML + Word"
        rows.append(compare(label, N_RESPONSES, lambda make=make: _check(*make()), "(no peer: a target only)",
                            None, within(0), runs=runs, target=None, limit=TARGETS[name]))
    return rows


def main(repeats: int = 3) -> None:
    responses = synthetic_responses(dxlab.load_rubric("mobifone-dx"), n=N_RESPONSES, seed=2021)
    runs = {"card": _card(responses), "sector": _sector(responses)}
    _time(runs["card"])  # warm-up: imports, fonts, catalogues
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(repeats):  # interleaved, so a busy moment of the machine hits both alike
        for name, fn in runs.items():
            results[name].append(_time(fn))
    print(f"{'report (HTML + DOCX)':<24}{'wall min':>10}{'wall median':>13}{'CPU min':>10}{'CPU median':>12}"
          f"{'target':>9}")
    for name, times in results.items():
        wall, cpu = [t[0] for t in times], [t[1] for t in times]
        label = "enterprise card" if name == "card" else f"sector, {N_RESPONSES:,} responses"
        print(f"{label:<24}{min(wall):>9.2f}s{statistics.median(wall):>12.2f}s{min(cpu):>9.2f}s"
              f"{statistics.median(cpu):>11.2f}s{TARGETS[name]:>8.1f}s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_report", description="Report speed: enterprise card and sector report."
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each report, interleaved (default 3)")
    main(parser.parse_args().repeats)
