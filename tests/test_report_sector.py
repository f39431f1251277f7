"""The sector report: its model against pandas/scipy oracles, the files it writes, and the command line."""

from __future__ import annotations

import math
import re
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab.cli import main as cli_main
from dxlab.report import SectorReport, build_sector, largest_sector, render_html, sector
from dxlab.sample import synthetic_responses

from .test_report_safety import MARKUP, SCRIPT, assert_inert

RUBRIC = dxlab.load_rubric("mobifone-dx")


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    return synthetic_responses(RUBRIC, n=500, seed=11)


@pytest.fixture(scope="module")
def report(responses) -> SectorReport:
    return build_sector(responses, rubric=RUBRIC, n_boot=200)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def section_text(report: SectorReport, key: str) -> str:
    """A section's words and cells as the reader sees them (tables flattened row by row)."""
    parts = []
    for block in report.section(key).blocks:
        if hasattr(block, "frame"):
            parts += [" ".join(map(str, row)) for row in block.frame.itertuples(index=False)]
        elif hasattr(block, "text"):
            parts.append(block.text)
    return " ".join(parts)


def test_largest_sector_and_its_responses(report, responses):
    counts = responses["sector"].astype(str).value_counts()
    assert report.sector == largest_sector(responses) == counts.index[0]
    assert report.summary["responses"].iloc[0] == counts.iloc[0]
    sample = section_text(report, "sample")
    assert f"{counts.iloc[0]} phiếu của ngành trong tổng số {len(responses)} phiếu" in sample
    sizes = responses.loc[responses["sector"] == report.sector, "size"].value_counts()
    assert f"siêu nhỏ {sizes['micro']}" in sample


def test_dimension_means_and_intervals(report, responses):
    scores = dxlab.score(responses, RUBRIC)
    in_sector = (responses["sector"].astype(str) == report.sector).to_numpy()
    means = scores.dimensions[in_sector].mean()
    table = section_text(report, "dimensions")
    for dim in RUBRIC.dimensions:
        assert f"{dim.title.vi} ({dim.id}) {means[dim.id]:.2f}".replace(".", ",") in table
    # The interval is the bootstrap's, and it brackets the mean.
    ci = dxlab.stats.bootstrap_ci(scores.dimensions[in_sector].reset_index(drop=True),
                                  [d.id for d in RUBRIC.dimensions], statistic="mean", n_boot=200, seed=0)
    row = ci.iloc[0]
    assert row["ci_low"] < row["estimate"] < row["ci_high"]
    assert f"{row['ci_low']:.2f} – {row['ci_high']:.2f}".replace(".", ",") in table


def test_weakest_criteria_are_the_lowest_means(report, responses):
    rows = responses[responses["sector"].astype(str) == report.sector]
    means = rows[list(RUBRIC.criterion_ids)].astype(float).mean().sort_values(kind="stable")
    html = section_text(report, "weakest")
    positions = [html.index(f"{crit_id} · ") for crit_id in means.index[:5]]
    assert positions == sorted(positions)
    assert means.index[5] + " · " not in html
    weakest = means.index[0]
    next_level = math.floor(means.iloc[0]) + 1
    assert RUBRIC.descriptor(weakest, next_level, "vi") in html


def test_comparison_effect_sizes_match_compare_two(report, responses):
    scores = dxlab.score(responses, RUBRIC)
    frame = pd.concat([responses[["sector"]].reset_index(drop=True), scores.dimensions.reset_index(drop=True)],
                      axis=1)
    frame["group"] = np.where(frame["sector"].astype(str) == report.sector, "in", "out")
    dim = RUBRIC.dimensions[0].id
    row = dxlab.stats.compare_two(frame, dim, by="group", groups=("in", "out")).iloc[0]
    # Cliff's δ by hand from its definition: P(X > Y) − P(X < Y) over all pairs.
    x = frame.loc[frame["group"] == "in", dim].dropna().to_numpy()
    y = frame.loc[frame["group"] == "out", dim].dropna().to_numpy()
    delta = (np.sign(x[:, None] - y[None, :])).mean()
    assert row["cliffs_delta"] == pytest.approx(delta)
    assert f"{delta:.2f}".replace(".", ",") in section_text(report, "comparison")
    assert report.vs_rest.set_index("item").loc[dim, "cliffs_delta"] == pytest.approx(delta)


def test_english_and_errors(responses):
    report = build_sector(responses, "C", rubric=RUBRIC, lang="en", n_boot=50)
    assert report.title == "Sector report: digital transformation maturity"
    assert "Sector report" in render_html(report)
    with pytest.raises(ValueError, match="'Z' không có phiếu nào"):
        build_sector(responses, "Z", rubric=RUBRIC, lang="vi")
    with pytest.raises(ValueError, match="1999"):
        build_sector(responses, wave="1999", rubric=RUBRIC)


def test_sector_report_files(tmp_path):
    """HTML (self-contained, free text inert), Word and PDF from the package, no notebook and no kernel."""
    frame = synthetic_responses(RUBRIC, n=400, seed=5)
    frame["province"] = frame["province"].astype(object)
    frame["respondent_role"] = frame["respondent_role"].astype(object)
    chosen = largest_sector(frame)
    rows = frame.index[frame["sector"] == chosen][:30]
    frame.loc[rows, "province"] = SCRIPT
    frame.loc[rows, "respondent_role"] = MARKUP
    files = sector(frame, out=tmp_path, pdf=None, formats="html,docx,pdf", n_boot=100)
    assert files.html.name == f"sector-{chosen}-2026-vi.html"
    assert files.docx.name == f"sector-{chosen}-2026-vi.docx"
    html = files.html.read_text(encoding="utf-8")
    assert_inert(html)
    assert "&lt;script&gt;alert" in html
    # Self-contained: figures embedded, nothing a browser would fetch.
    assert html.count("data:image/svg+xml;base64,") >= 10
    assert not re.findall(r"<(?:script|link|img|iframe)\b[^>]*(?:src|href)=[\"'](?!data:|#)", html)
    for heading in ("1. Mô tả mẫu", "2. Phân bố mức độ", "3. Điểm các trụ cột", "4. So sánh với các ngành khác",
                    "5. Độ tin cậy của thang đo", "6. Các tiêu chí yếu nhất"):
        assert heading in html
    # The synthetic sample says so, in the report's language.
    assert "Dữ liệu tổng hợp (giả lập)" in html
    if files.pdf is None:
        assert "Chromium" in files.pdf_note
        pytest.skip(f"HTML and Word checked; PDF not tested: {files.pdf_note}")
    assert files.pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(files.pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Báo cáo ngành: mức độ chuyển đổi số" in text


def test_latest_wave_is_chosen_once_and_used(responses):
    frame = pd.concat([responses.assign(wave="2025"), responses.head(120).assign(wave="2026")], ignore_index=True)
    report = build_sector(frame, n_boot=50)
    assert report.wave == "2026"
    in_2026 = frame[frame["wave"] == "2026"]
    assert report.sector == in_2026["sector"].astype(str).value_counts().index[0]
    assert report.summary["responses"].iloc[0] == (in_2026["sector"].astype(str) == report.sector).sum()
    assert report.stem == f"sector-{report.sector}-2026-vi"


def test_cli_needs_a_known_sector(tmp_path, capsys, responses):
    data = tmp_path / "r.parquet"
    responses.to_parquet(data, index=False)
    assert cli_main(["report", "sector", "--sector", "Z", "--data", str(data), "--out", str(tmp_path),
                     "--pdf", "never"]) == 2
    assert "'Z'" in capsys.readouterr().err


def test_word_only_leaves_no_html_behind(responses, tmp_path):
    files = sector(responses, "G", out=tmp_path, formats="docx", n_boot=50)
    assert files.html is None and files.pdf is None and files.pdf_note is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sector-G-2026-vi.docx"]
