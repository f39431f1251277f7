"""Every module run with ``python -m`` answers ``--help`` with its help and writes nothing.

`python -m dxlab.sample --help` once wrote a 3.6 MB file named ``--help``: an entry point that does not parse
its arguments treats any word as a path.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import ROOT

ENTRY_POINTS = [
    "dxlab",
    "dxlab.demo",
    "dxlab.sample",
    "dxlab.teaching",
    "benchmarks",
    "benchmarks.bench_report",
    "benchmarks.bench_frameworks",
    "benchmarks.bench_stats_new",
    "benchmarks.bench_waves",
    "benchmarks.bench_class",
    "benchmarks.scale",
]


def _run(module: str, *words: str, cwd) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DXLAB_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", module, *words], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("module", ENTRY_POINTS)
def test_help_prints_usage_and_writes_nothing(module, tmp_path):
    done = _run(module, "--help", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("module", ["dxlab.demo", "dxlab.sample", "benchmarks.bench_report"])
def test_an_unknown_option_is_refused(module, tmp_path):
    done = _run(module, "--no-such-option", cwd=tmp_path)
    assert done.returncode == 2
    assert "--no-such-option" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_help_speaks_vietnamese_by_default(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DXLAB_LANG", None)
    done = subprocess.run(
        [sys.executable, "-m", "dxlab.demo", "--help"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert "cách dùng" in done.stdout and "--no-notebooks" in done.stdout
