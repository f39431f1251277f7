"""Shared fixtures: paths to the project, the shared fixtures and small rubrics built for tests."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"


@pytest.fixture(scope="session")
def shared_fixtures() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (clone the project with ../shared beside it)")
    return FIXTURES


LEVELS = [
    {"value": 1, "code": "L1", "vi": "Khởi tạo", "en": "Initiating", "aliases": ["Khởi động"]},
    {"value": 2, "code": "L2", "vi": "Bắt đầu", "en": "Starting"},
    {"value": 3, "code": "L3", "vi": "Hình thành", "en": "Forming"},
    {"value": 4, "code": "L4", "vi": "Nâng cao", "en": "Advancing"},
    {"value": 5, "code": "L5", "vi": "Dẫn dắt", "en": "Leading"},
]


def criterion(cid: str, **extra) -> dict:
    node = {"id": cid, "provenance": "drafted", "text": {"vi": f"Tiêu chí {cid}", "en": f"Criterion {cid}"},
            "levels": {v: {"vi": f"{cid} mô tả mức {v}", "en": f"{cid} level {v} descriptor"}
                       for v in range(1, 6)}}
    node.update(extra)
    return node


def rubric_dict(dimensions: list[dict], rubric_id: str = "test-rubric") -> dict:
    return {"id": rubric_id, "title": {"vi": "Bộ thử", "en": "Test rubric"}, "version": "1",
            "levels": LEVELS, "dimensions": dimensions}


def write_rubric(tmp_path: Path, data: dict, name: str = "rubric.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# MIC 2021 SME index: criteria per pillar; Strategy's single criterion counts x5 (max 25); total max 320.
MIC_SME = {"customer": ("CUS", 13), "strategy": ("STR", 1), "infrastructure": ("INF", 16),
           "operations": ("OPS", 13), "culture": ("CUL", 10), "data": ("DAT", 7)}


@pytest.fixture(scope="session")
def mic_sme_rubric(tmp_path_factory):
    """A rubric with the MIC 2021 SME index's shape: 60 criteria, pillar maxima 65/25/80/65/50/35."""
    import dxlab

    dims = []
    for pillar, (code, count) in MIC_SME.items():
        crits = [criterion(f"{code}.G.{i}", **({"multiplier": 5} if pillar == "strategy" else {}))
                 for i in range(1, count + 1)]
        dims.append({"id": code, "pillar": pillar, "title": {"vi": pillar, "en": pillar},
                     "groups": [{"id": f"{code}.G", "title": {"vi": "Nhóm", "en": "Group"}, "criteria": crits}]})
    path = write_rubric(tmp_path_factory.mktemp("mic"), rubric_dict(dims, "mic-sme"))
    return dxlab.load_rubric(path)


# The long end-to-end tests: the whole demo pipeline, notebooks run through papermill, a real browser, hundreds of
# concurrent store writers. `make test` runs them; `make test-fast` skips them (-m "not slow").
SLOW_MODULES = {"test_demo.py", "test_report_sector.py", "test_browser_questionnaire.py", "test_store_concurrency.py"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name in SLOW_MODULES or item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)
