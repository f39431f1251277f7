"""The enterprise report card: its numbers against hand calculations and independent oracles, its texts
against the rubric, its files, the PDF, and the command line."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from scipy.stats import percentileofscore

import dxlab
from dxlab.cli import main as cli_main
from dxlab.report import PdfUnavailable, enterprise
from dxlab.sample import synthetic_responses

from .conftest import criterion, rubric_dict, write_rubric

RUBRIC = dxlab.load_rubric("mobifone-dx")


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    frame = synthetic_responses(RUBRIC, n=400, seed=7)
    # Response R000001 answers level 3 everywhere except: the first criterion at 1 and the last unanswered.
    ids = list(RUBRIC.criterion_ids)
    for crit_id in ids:
        frame.loc[0, crit_id] = 3
    frame.loc[0, ids[0]] = 1
    frame.loc[0, ids[-1]] = pd.NA
    return frame


@pytest.fixture(scope="module")
def card(responses):
    return enterprise(responses, "R000001", RUBRIC, target=4, lang="vi")


def test_overall_score_and_level_in_words(card, responses):
    # By hand: every group mean is 3 except the first group (one criterion at 1 among the group's others at 3)
    # and the last (its unanswered criterion is skipped, so still 3).
    first_group = RUBRIC.groups[0]
    k = len(first_group.criteria)
    group_mean = (1 + 3 * (k - 1)) / k
    first_dim = RUBRIC.dimensions[0]
    dim_mean = (group_mean + 3 * (len(first_dim.groups) - 1)) / len(first_dim.groups)
    overall = (dim_mean + 3 * (len(RUBRIC.dimensions) - 1)) / len(RUBRIC.dimensions)
    row = card.dimensions.set_index("dimension")
    assert row.loc[first_dim.id, "score"] == pytest.approx(dim_mean)
    expected_level = int(np.floor(overall + 1e-9))
    label = RUBRIC.level_label(expected_level, "vi")
    score_text = f"{overall:.2f}".replace(".", ",")
    assert f"Doanh nghiệp đạt mức {expected_level} «{label}» trên thang 5 mức, với điểm tổng thể {score_text}." \
        in card.html


def test_sector_median_and_percentiles_match_independent_oracles(card, responses):
    scores = dxlab.score(responses, RUBRIC)
    sector = responses.loc[0, "sector"]
    in_sector = (responses["sector"] == sector).to_numpy()
    median = scores.dimensions[in_sector].median()
    assert card.dimensions.set_index("dimension")["sector_median"].to_dict() == pytest.approx(median.to_dict())
    mine = float(scores.overall["score"].iloc[0])
    for scope in ("sector", "size"):
        peers = (responses[scope] == responses.loc[0, scope]).to_numpy()
        peer_scores = scores.overall["score"][peers].dropna().to_numpy()
        expected = percentileofscore(peer_scores, mine, kind="mean")
        got = card.percentiles.set_index("scope").loc[scope]
        assert got["percentile"] == pytest.approx(expected)
        assert got["n"] == len(peer_scores)
        assert f"bách phân vị {expected:.0f} trong {len(peer_scores)} doanh nghiệp" in card.html


def test_every_criterion_with_its_descriptor_and_next_step(card):
    table = card.criteria.set_index("criterion")
    assert list(table.index) == list(RUBRIC.criterion_ids)
    first, last = RUBRIC.criterion_ids[0], RUBRIC.criterion_ids[-1]
    assert table.loc[first, "level"] == 1
    assert table.loc[first, "descriptor"] == RUBRIC.descriptor(first, 1, "vi")
    assert table.loc[first, "next_step"] == RUBRIC.descriptor(first, 2, "vi")  # the next level, not the target
    assert table.loc[first, "gap"] == 3
    assert pd.isna(table.loc[last, "level"]) and table.loc[last, "next_step"] == RUBRIC.descriptor(last, 1, "vi")
    middle = RUBRIC.criterion_ids[1]
    assert table.loc[middle, "next_step"] == RUBRIC.descriptor(middle, 4, "vi")
    for crit_id in RUBRIC.criterion_ids:
        assert crit_id in card.html
    assert "chưa trả lời" in card.html
    assert card.html.count("data:image/svg+xml;base64,") == 2  # radar and gap chart, embedded


def test_english_report(responses):
    card = enterprise(responses, "R000002", RUBRIC, lang="en")
    assert "Digital transformation maturity report card" in card.html
    dim = RUBRIC.dimensions[0]
    assert dim.title.en in card.html
    assert card.criteria["text"].iloc[0] == RUBRIC.criterion(RUBRIC.criterion_ids[0]).text.en
    # The next steps are the English descriptors of the next level, shown in the gaps section.
    import html as html_module

    below = card.criteria[card.criteria["level"].fillna(0) < card.criteria["target"]]
    assert len(below) > 0
    for row in below.itertuples():
        level = 0 if pd.isna(row.level) else int(row.level)
        assert row.next_step == RUBRIC.descriptor(row.criterion, level + 1, "en")
        assert row.next_step in html_module.unescape(card.html)
        assert row.next_step != RUBRIC.descriptor(row.criterion, level + 1, "vi")


def test_report_is_self_contained(card):
    """Images are embedded as data URIs and nothing in the page points to another server."""
    import re

    assert not re.findall(r"(?:src|href)=[\"'](?!data:|#)", card.html)
    assert not re.findall(r"https?://|url\(\s*[\"']?(?!data:)", card.html)
    assert card.html.count('src="data:image/') == 2


def test_one_dimension_rubric_and_dimension_targets(tmp_path):
    rubric = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict([{
        "id": "ONE", "title": {"vi": "Một trụ cột", "en": "One"},
        "groups": [{"id": "ONE.A", "title": {"vi": "Nhóm", "en": "Group"},
                    "criteria": [criterion("ONE.A.1"), criterion("ONE.A.2")]}]}])))
    frame = pd.DataFrame({"response_id": ["a", "b", "c"], "sector": ["G", "G", "C"], "size": "small",
                          "ONE.A.1": pd.array([2, 4, 5], dtype="Int8"), "ONE.A.2": pd.array([3, 4, 5], dtype="Int8")})
    card = enterprise(frame, "a", rubric, target={"ONE": 5}, min_peers=2)
    assert card.dimensions["target"].tolist() == [5.0]
    assert card.dimensions["sector_median"].tolist() == [pytest.approx(3.25)]  # median of 2.5 and 4
    assert card.criteria["gap"].tolist() == [3, 2]


def test_bad_requests_name_the_problem(responses):
    with pytest.raises(ValueError, match="'NOPE' is not in the responses"):
        enterprise(responses, "NOPE", RUBRIC, lang="en")
    with pytest.raises(ValueError, match="Mã phiếu 'NOPE' không có trong dữ liệu"):
        enterprise(responses, "NOPE", RUBRIC, lang="vi")
    twice = pd.concat([responses.head(2), responses.head(1)], ignore_index=True)
    with pytest.raises(ValueError, match="appears 2 times"):
        enterprise(twice, "R000001", RUBRIC, lang="en")
    with pytest.raises(ValueError, match="lang must be"):
        enterprise(responses, "R000001", RUBRIC, lang="fr")


def test_save_writes_html_tables_and_says_why_there_is_no_pdf(card, tmp_path, monkeypatch):
    monkeypatch.setenv("DXLAB_CHROMIUM", str(tmp_path / "no-such-browser"))
    files = card.save(tmp_path, pdf=None)
    assert files.html.read_text(encoding="utf-8") == card.html
    assert files.pdf is None and "apt-get install chromium" in files.pdf_note
    assert {p.name for p in files.tables} == {"enterprise-R000001-vi-criteria.csv",
                                              "enterprise-R000001-vi-criteria.xlsx", "enterprise-R000001-vi-info.csv"}
    back = pd.read_csv(files.tables[0], encoding="utf-8-sig")
    assert back["criterion"].tolist() == list(RUBRIC.criterion_ids)
    with pytest.raises(PdfUnavailable, match="không tìm thấy Chromium chạy ngầm"):  # in the card's language
        card.save(tmp_path, pdf=True)


@pytest.mark.browser
def test_pdf_holds_the_vietnamese_text(card, tmp_path):
    if dxlab.report.find_chromium() is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium); PDF printing not tested")
    files = card.save(tmp_path, pdf=True)
    assert files.pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed; PDF text not checked")
    text = subprocess.run(["pdftotext", "-layout", str(files.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Phiếu kết quả đánh giá mức độ chuyển đổi số" in text  # tone marks survive as text, not boxes
    assert RUBRIC.criterion_ids[0] in text


def test_cli_writes_the_report(responses, tmp_path, capsys):
    data = tmp_path / "responses.parquet"
    responses.to_parquet(data, index=False)
    code = cli_main(["report", "enterprise", "--response", "R000003", "--data", str(data), "--out",
                     str(tmp_path / "out"), "--pdf", "never", "--lang", "en"])
    assert code == 0
    assert (tmp_path / "out" / "enterprise-R000003-en.html").exists()
    code = cli_main(["report", "enterprise", "--response", "R999999", "--data", str(data), "--out",
                     str(tmp_path / "out"), "--pdf", "never"])
    assert code == 2
    assert "R999999" in capsys.readouterr().err
