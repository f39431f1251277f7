"""One rule finds the project folder, and every project path hangs off it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxlab import _paths


@pytest.fixture(autouse=True)
def _no_env(monkeypatch):
    monkeypatch.delenv(_paths.ENV_VAR, raising=False)


def _project(root: Path, marker: str) -> Path:
    (root / marker).mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (root / "notebooks" / "deep").mkdir(parents=True)
    return root.resolve()


@pytest.mark.parametrize("marker", ["dxlab", "data"])
def test_found_from_anywhere_inside(tmp_path, marker):
    root = _project(tmp_path / "proj", marker)
    assert _paths.project_root(root / "notebooks" / "deep") == root
    assert _paths.project_root(root) == root


def test_a_pyproject_alone_is_not_a_dxlab_project(tmp_path):
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    inner = tmp_path / "sub"
    inner.mkdir()
    assert _paths.project_root(inner) == inner.resolve()


def test_the_environment_variable_wins(tmp_path, monkeypatch):
    root = _project(tmp_path / "proj", "data")
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv(_paths.ENV_VAR, str(elsewhere))
    monkeypatch.chdir(root)
    assert _paths.project_root() == elsewhere.resolve()
    assert _paths.project_root(root / "notebooks") == root  # an explicit start is still honoured


def test_every_path_hangs_off_the_root(tmp_path):
    root = _project(tmp_path / "proj", "data")
    start = root / "notebooks"
    assert _paths.raw_dir(start) == root / "data" / "raw"
    assert _paths.processed_responses(start) == root / "data" / "processed" / "responses.parquet"
    assert _paths.responses_store(start) == root / "data" / "raw" / "responses.sqlite"
    assert _paths.reports_dir(start) == root / "reports" and _paths.workshop_dir(start) == root / "data" / "workshop"
    assert _paths.notebooks_dir(start) == root / "notebooks"


def test_the_sample_reads_the_processed_file_under_the_root(tmp_path):
    import dxlab
    from dxlab.sample import load_processed

    root = _project(tmp_path / "proj", "data")
    frame = dxlab.sample.synthetic_responses("mobifone-dx", n=5, seed=1)
    target = _paths.processed_responses(root)
    target.parent.mkdir(parents=True)
    frame.to_parquet(target)
    loaded = load_processed(root / "notebooks")
    assert len(loaded) == 5 and loaded.attrs["synthetic"] is True
