"""``dxlab report sector`` from an installed package: a fresh virtualenv outside the repository, no notebooks/.

Quick: the venv sees the shared environment's packages through a ``.pth`` file (dependencies are not
downloaded again) and pip installs only dxlab itself (``--no-deps``), from a copy of the source tree, so nothing
of the checkout (notebooks, data, the editable install) can be what runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import docx
import numpy as np
import pytest

import dxlab
from dxlab.sample import synthetic_responses

REPO = Path(__file__).resolve().parents[1]
SOURCE_FILES = ("pyproject.toml", "README.md", "dxlab")


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess:
    # Without PYTHONPATH: the tests run with the checkout on it, the installed package must stand alone.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, env=env)
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.slow
def test_installed_wheel_writes_html_docx_and_pdf(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in SOURCE_FILES:
        copy = shutil.copytree if (REPO / name).is_dir() else shutil.copy2
        copy(REPO / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                             if (REPO / name).is_dir() else {}))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     tmp_path).stdout.strip())
    (site / "shared-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    # Build isolation fetches the build backend the project asks for (setuptools>=77, from the package index or
    # pip's cache); the shared environment's own setuptools may be older.
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(source)], tmp_path)
    where = _run([str(python), "-c", "import dxlab; print(dxlab.__file__)"], tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), f"dxlab imported from {where}, not from the fresh venv"

    frame = synthetic_responses(dxlab.load_rubric("mobifone-dx"), n=300, seed=4)
    frame["sector"] = frame["sector"].astype(object)
    frame.loc[np.arange(0, 300, 9), "sector"] = None  # some responses without a sector
    frame.loc[np.arange(1, 300, 17), "sector"] = ""
    data = tmp_path / "responses.csv"
    frame.to_csv(data, index=False)
    work = tmp_path / "elsewhere"
    work.mkdir()
    done = _run([str(venv / "bin" / "dxlab"), "report", "sector", "--sector", "G", "--data", str(data), "--format",
                 "html,docx,pdf", "--lang", "vi", "--out", "out"], work)
    out = work / "out"
    written = sorted(p.name for p in out.iterdir())
    if dxlab.report.find_chromium() is None:
        assert written == ["sector-G-2026-vi.docx", "sector-G-2026-vi.html"], written
        pytest.skip("headless Chromium not installed: HTML and Word checked, PDF not")
    assert written == ["sector-G-2026-vi.docx", "sector-G-2026-vi.html", "sector-G-2026-vi.pdf"], done.stderr
    document = docx.Document(str(out / "sector-G-2026-vi.docx"))
    assert len(document.tables) >= 7
    assert "Chưa rõ ngành" in (out / "sector-G-2026-vi.html").read_text(encoding="utf-8")
