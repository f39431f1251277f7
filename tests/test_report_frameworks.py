"""The sector report's framework sections: rank robustness and archetypes, against the stats called directly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab import stats
from dxlab.report import build_sector, docx_bytes
from dxlab.report._labels import group_column
from dxlab.report._model import Table
from dxlab.sample import synthetic_responses

RUBRIC = dxlab.load_rubric("mobifone-dx")


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    frame = synthetic_responses(RUBRIC, n=400, seed=21)
    frame.loc[frame.index[:15], "sector"] = None  # real exports have blank sectors
    return frame


@pytest.fixture(scope="module")
def report(responses):
    return build_sector(responses, "G", rubric=RUBRIC, n_boot=50, lang="en")


def _table(report, key: str) -> Table:
    return next(b for b in report.section(key).blocks if isinstance(b, Table))


def test_robustness_ranks_are_weight_sensitivitys(report, responses):
    cohort = responses.assign(sector=group_column(responses["sector"]))
    direct = stats.weight_sensitivity(cohort, RUBRIC, n_random=500, by="sector", seed=0).intervals
    pd.testing.assert_frame_equal(report.rank_intervals, direct)
    table = _table(report, "robustness").frame
    assert len(table) == cohort["sector"].nunique()
    first = direct.sort_values("rank").iloc[0]
    assert table.iloc[0, 3] == f"{first['rank']:.1f}"
    text = " ".join(str(b.text) for b in report.section("robustness").blocks if hasattr(b, "text"))
    assert "Kendall's W" in text and "nan" not in text.lower()


def test_archetype_shares_in_the_sector(report, responses):
    clusters = report.archetypes
    assert clusters["n"].sum() > 0 and abs(clusters["share"].sum() - 1) < 1e-12
    table = _table(report, "archetypes").frame
    assert len(table) == len(clusters)
    in_sector = [float(v.rstrip("%")) for v in table.iloc[:, 2]]
    assert abs(sum(in_sector) - 100) <= len(in_sector)  # rounded shares add up to 100 %
    assert list(table.iloc[:, 1]) == list(clusters["name_en"])


def test_sections_render_in_word_and_vietnamese(responses):
    report = build_sector(responses, "G", rubric=RUBRIC, n_boot=50, lang="vi")
    keys = [s.key for s in report.sections]
    assert keys.index("robustness") < keys.index("archetypes") < keys.index("reliability")
    import docx
    import io

    document = docx.Document(io.BytesIO(docx_bytes(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert any("Thứ hạng có vững không" in h for h in headings)
    assert any("nhóm doanh nghiệp điển hình" in h.lower() for h in headings)
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "nan" not in {c.lower() for c in cells}
    assert np.isfinite(report.rank_intervals["rank"]).all()


def test_the_rank_figure_names_the_unknown_sector(report):
    figure = next(b for b in report.section("robustness").blocks if hasattr(b, "figure"))
    labels = [t.get_text() for ax in figure.figure.axes for t in ax.get_yticklabels()]
    assert "Sector unknown" in labels and "\u2205" not in labels
