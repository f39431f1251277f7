"""The tooling `make test` promises: ruff, mypy and the import contract configured and wired into the Makefile,
doctests collected, and the slow end-to-end tests marked so `make test-fast` skips them."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _recipe(target: str) -> str:
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", MAKEFILE, flags=re.M)
    assert match, target
    return match.group(1)


def test_ruff_and_mypy_are_configured():
    assert PYPROJECT["tool"]["ruff"]["line-length"] == 120
    assert PYPROJECT["tool"]["mypy"]["files"] == ["dxlab"]
    contracts = PYPROJECT["tool"]["importlinter"]["contracts"]
    assert any(c["type"] == "layers" and c["layers"][-1] == "dxlab._i18n" for c in contracts)


def test_make_test_lints_type_checks_and_runs_doctests():
    lint = _recipe("lint")
    for command in ("ruff check dxlab", "ruff format --check dxlab", "mypy", "lint-imports"):
        assert command in lint, command
    assert re.search(r"^test: .*\blint\b", MAKEFILE, flags=re.M)
    assert "--doctest-modules" in _recipe("test") and " dxlab " in _recipe("test")
    assert '-m "not slow"' in _recipe("test-fast") and "--doctest-modules" in _recipe("test-fast")


def _collected(*args: str) -> int:
    out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    match = re.search(r"(\d+) (?:tests? )?(?:selected|collected)", out.stdout)
    counts = re.findall(r"(\d+)/(\d+) tests? collected", out.stdout)
    if counts:
        return int(counts[-1][0])
    return int(match.group(1)) if match else 0


def test_the_end_to_end_demo_test_is_slow_and_skipped_by_test_fast():
    assert _collected("tests/test_demo.py", "-m", "slow") >= 1
    assert _collected("tests/test_demo.py", "-m", "not slow") == 0
    assert _collected("tests/test_score.py", "-m", "not slow") >= 10
