"""`make demo`'s pipeline end to end in a scratch project folder: every step writes real, consistent outputs."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import dxlab
from dxlab.demo import run
from dxlab.sample import GOOGLE_FORMS_SAMPLE

from .conftest import ROOT


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("project")
    (root / "pyproject.toml").write_text("[project]\nname = 'scratch'\n", encoding="utf-8")
    (root / "dxlab").mkdir()
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "raw" / GOOGLE_FORMS_SAMPLE, root / "data" / "raw" / GOOGLE_FORMS_SAMPLE)
    return root, run(root, notebooks=False)


def test_demo_writes_every_step(outputs):
    root, written = outputs
    for name in ("responses", "scores-mean", "scores-dbi2021", "scores-dma100", "gaps", "report-enterprise",
                 "report-sector"):
        assert written[name].exists() and written[name].stat().st_size > 0, name
        assert root in written[name].parents
    assert (root / "data" / "processed" / "issues.csv").exists()
    html = written["report-sector"].read_text(encoding="utf-8")
    assert "Báo cáo ngành" in html


def test_demo_scores_are_the_scores_of_the_cleaned_responses(outputs):
    _, written = outputs
    responses = pd.read_parquet(written["responses"])
    assert len(responses) == 3000  # the shipped sample: 3,000 enterprises, duplicates and junk quarantined
    expected = dxlab.score(responses, "mobifone-dx", scheme="dbi2021").overall
    table = pd.read_parquet(written["scores-dbi2021"])
    assert table["overall.score"].tolist() == pytest.approx(expected["score"].tolist(), nan_ok=True)
    assert table["overall.level"].tolist() == expected["level"].tolist()
    gaps = pd.read_csv(written["gaps"], encoding="utf-8-sig")
    assert (gaps["target"] == 4).all() and (gaps["gap"] > 0).all()
