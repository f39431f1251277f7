"""The notes of analysis results speak the reader's language: English by default (beside R output), the
language of ``using_lang`` inside a block, and the report's or command line's language there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import dxlab
import dxlab.stats as st
from dxlab import using_lang


@pytest.fixture
def answers() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    base = rng.integers(1, 6, size=40)
    frame = pd.DataFrame({f"Q{i}": np.clip(base + rng.integers(-1, 2, size=40), 1, 5) for i in range(1, 5)})
    frame["Q5"] = 3  # constant
    return frame


def test_notes_are_english_by_default_and_vietnamese_in_a_vietnamese_block(answers, monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    items = [f"Q{i}" for i in range(1, 6)]
    english = st.reliability(answers, items)["note"].iloc[0]
    assert "Q5 is constant: left out" in english
    with using_lang("vi"):
        vietnamese = st.reliability(answers, items)["note"].iloc[0]
        two = st.reliability(answers, ["Q1", "Q2"])["note"].iloc[0]
        table = st.item_analysis(answers, items)
    assert "Q5 không đổi" in vietnamese and "left out" not in vietnamese
    assert "ω cần ít nhất 3 mục" in two
    assert table.loc[table["item"] == "Q5", "note"].iloc[0] == "mục không đổi: không tính vào tổng"
    assert using_lang is dxlab.using_lang
    # the numbers are the same whatever the language
    assert st.reliability(answers, items)["alpha"].iloc[0] == pytest.approx(
        st.reliability(answers, items)["alpha"].iloc[0]
    )


def test_numbers_in_notes_are_written_the_languages_way(monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 2, 3, 5], "c": [2, 2, 3, 4]})
    weights = pd.Series([1.0, 2.0, 1.5, 1.0])
    with using_lang("vi"):
        note = st.reliability(frame.assign(w=weights), ["a", "b", "c"], weights="w")["note"].iloc[0]
    assert "cỡ mẫu hiệu dụng 3,7" in note  # Kish: 5.5² / 8.25 = 3.67
    note = st.reliability(frame.assign(w=weights), ["a", "b", "c"], weights="w")["note"].iloc[0]
    assert "effective size 3.7" in note


@pytest.mark.parametrize(
    ("lang", "expected"), [("vi", "không đổi (mọi người chọn cùng một mức)"), ("en", "is constant")]
)
def test_the_command_line_writes_notes_in_its_language(tmp_path, monkeypatch, lang, expected):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    import dxlab
    from dxlab.cli import main
    from dxlab.sample import synthetic_responses

    rubric = dxlab.load_rubric("mobifone-dx")
    responses = synthetic_responses(rubric, n=60, seed=1)
    first = rubric.dimensions[0].criteria[0].id
    responses[first] = pd.array([3] * len(responses), dtype="Int8")
    path = tmp_path / "responses.parquet"
    responses.to_parquet(path)
    assert main(["--lang", lang, "stats", "reliability", str(path), "--out", str(tmp_path / "out")]) == 0
    written = pd.concat([pd.read_csv(p) for p in (tmp_path / "out").glob("*.csv")])
    notes = " ".join(written["note"].dropna().astype(str))
    assert f"{first} " in notes and expected in notes


# ---- every analysis, not only reliability -------------------------------------------------------------------


@pytest.fixture
def grouped() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"g": ["a"] * 12 + ["b"] * 12 + ["c"] * 3, "q": rng.integers(1, 4, 27), "x": 1.0})
    frame["r"] = rng.normal(size=27)
    return frame


def _both(run):
    """The note of ``run()`` by default (English) and inside a Vietnamese block."""
    english = run()
    with using_lang("vi"):
        vietnamese = run()
    return english, vietnamese


def test_association_notes(grouped, monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    en, vi = _both(lambda: st.association(grouped, ["q"], by="g")["note"].iloc[0])
    # 27 answers in a 3 × 3 table: every expected count is below 5; the smallest is group c's 3 answers × the
    # rarest level's 8 / 27 = 0.89
    assert en == "9 of 9 cells have expected count < 5 (smallest 0.89): χ² p is approximate"
    assert vi == "9 trong 9 ô có tần số kỳ vọng < 5 (nhỏ nhất 0,89): giá trị p của χ² chỉ là gần đúng"
    one = grouped.assign(q=2)
    en, vi = _both(lambda: st.association(one, ["q"], by="g", levels=[1, 2, 3])["note"].iloc[0])
    assert en == "level(s) 1, 3 not chosen: left out; only one level chosen: no test"
    assert vi == "mức 1, 3 không ai chọn: bị loại ra; chỉ có một mức được chọn: không kiểm định"


def test_association_weighted_note_writes_the_effective_size_the_languages_way(grouped, monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    weights = np.where(grouped["g"] == "a", 2.0, 1.0)
    frame = grouped.assign(w=weights)
    en, vi = _both(lambda: st.association(frame, ["q"], by="g", weights="w")["note"].iloc[0])
    # Kish: (12·2 + 15)² / (12·4 + 15) = 39² / 63 = 24.14
    assert "V and the ordinal test use the effective size 24.1" in en
    assert "cỡ mẫu hiệu dụng 24,1" in vi and "Rao–Scott" in vi and "có trọng số" in vi


def test_correlation_notes(grouped, monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    en, vi = _both(lambda: st.correlations(grouped, ["q", "x"], method="spearman")["note"].iloc[0])
    assert en == "y is constant where both are answered"
    assert vi == "y không đổi trên các hàng trả lời cả hai mục"
    few = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 1.0, 3.0]})
    en, vi = _both(lambda: st.correlations(few, ["a", "b"])["note"].iloc[0])
    assert en == "exact permutation p (n < 10, no ties); only 3 rows with both answered: no test or interval"
    assert vi == (
        "giá trị p hoán vị chính xác (n < 10, không có giá trị trùng hạng); "
        "chỉ có 3 hàng trả lời cả hai mục: không kiểm định, không có khoảng tin cậy"
    )


def test_inferred_levels_note(monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    typo = pd.DataFrame({"q": [1, 2, 3, 2, 1, 9], "p": [1, 2, 3, 3, 2, 1]})
    en, vi = _both(lambda: st.correlations(typo, ["q", "p"], method="spearman")["note"].iloc[0])
    assert en.startswith("levels inferred from the data (1, 2, 3, 4, 5, 6, 7, 8, 9): check 9 in column 'q' (row 5)")
    assert vi.startswith(
        "các mức được suy ra từ dữ liệu (1, 2, 3, 4, 5, 6, 7, 8, 9): hãy kiểm tra 9 ở cột 'q' (hàng 5)"
    )


def test_group_comparison_notes(grouped, monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    en, vi = _both(lambda: st.compare_groups(grouped, ["q"], by="g", n_boot=0)["note"].iloc[0])
    assert en == "group(s) with fewer than 5 members: c (3)"
    assert vi == "nhóm có ít hơn 5 thành viên: c (3)"
    en, vi = _both(lambda: st.compare_two(grouped.assign(q=1), ["q"], by="g", groups=("a", "c"))["note"].iloc[0])
    assert en == "all values are equal: no test; fewer than 5 members: c"
    assert vi == "mọi giá trị đều bằng nhau: không kiểm định; ít hơn 5 thành viên: c"


def test_distribution_and_bootstrap_notes(grouped, monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    en, vi = _both(lambda: st.level_distribution(grouped.iloc[:3], ["q"], levels=[1, 2, 3, 4])["note"].iloc[0])
    assert (en, vi) == ("only 3 answers: shares are unstable", "chỉ có 3 câu trả lời: tỉ lệ không ổn định")
    run = lambda rows: st.bootstrap_ci(grouped.iloc[:rows], ["r"], statistic="mean", n_boot=50, seed=0)  # noqa: E731
    en, vi = _both(lambda: run(3)["note"].iloc[0])
    assert (en, vi) == (
        "only 3 values: the interval is rough",
        "chỉ có 3 giá trị: khoảng tin cậy chỉ mang tính ước lượng thô",
    )
    en, vi = _both(lambda: run(1)["note"].iloc[0])
    assert (en, vi) == ("fewer than 2 values: no interval", "ít hơn 2 giá trị: không có khoảng tin cậy")
    # the numbers do not depend on the language
    with using_lang("vi"):
        vietnamese = run(3)
    pd.testing.assert_frame_equal(run(3).drop(columns="note"), vietnamese.drop(columns="note"))


def test_peer_notes(monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    scores = pd.DataFrame({"sector": ["a", "a", "b"], "overall": [2.0, 3.0, 4.0]})
    en, vi = _both(lambda: st.peer_percentile(scores, by="sector", items=["overall"])["note"].tolist())
    assert en[2] == "only 1 peer with a score: percentile is rough"
    assert vi[2] == "chỉ có 1 đơn vị cùng nhóm có điểm: bách phân vị chỉ mang tính ước lượng thô"


def test_paired_change_and_agreement_follow_the_block_and_an_explicit_lang_wins(monkeypatch):
    monkeypatch.setenv("DXLAB_LANG", "en")
    frame = pd.DataFrame(
        {"enterprise_id": ["a", "b", "c", "a", "b", "d"], "wave": ["T0"] * 3 + ["T1"] * 3, "same": [3] * 6}
    )
    assert st.paired_change(frame, "same")["note"].iloc[0].startswith("all 2 differences are zero: no test")
    with using_lang("vi"):
        assert st.paired_change(frame, "same")["note"].iloc[0].startswith("cả 2 chênh lệch đều bằng 0: không kiểm định")
        assert st.paired_change(frame, "same", lang="en")["note"].iloc[0].startswith("all 2 differences")
    ratings = pd.DataFrame({"subject": [1, 2, 3, 4] * 2, "rater": ["r1"] * 4 + ["r2"] * 4, "q": [3] * 8})
    options = {"subject": "subject", "rater": "rater", "method": "krippendorff", "levels": [1, 2, 3, 4, 5]}
    assert "constant item" in st.agreement(ratings, ["q"], **options)["note"].iloc[0]
    with using_lang("vi"):
        assert "tiêu chí hằng" in st.agreement(ratings, ["q"], **options)["note"].iloc[0]


def test_every_catalogue_key_the_statistics_use_exists():
    """Every ``note("key")`` / ``_note("key")`` in dxlab/stats names an entry of dxlab/i18n/stats.yaml, every
    entry has the same placeholders in both languages, and every entry is named somewhere in dxlab/stats."""
    import re
    from pathlib import Path

    from dxlab._i18n import catalogue, placeholders

    root = Path(dxlab.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted((root / "stats").glob("*.py")))
    literal = set(re.findall(r"\b_?note\(\s*\"([a-z_]+)\"", source))
    entries = {key.removeprefix("stats."): texts for key, texts in catalogue("stats").items()}
    assert len(literal) >= 50
    assert sorted(literal - set(entries)) == []
    for key, texts in entries.items():
        assert placeholders(texts["vi"]) == placeholders(texts["en"]), key
        assert f'"{key}"' in source, f"stats.{key} is not used"


@pytest.mark.parametrize(
    ("lang", "members", "interval"),
    [
        ("vi", "ít hơn 5 thành viên: M", "chỉ có 4 giá trị: khoảng tin cậy chỉ mang tính ước lượng thô"),
        ("en", "fewer than 5 members: M", "only 4 values: the interval is rough"),
    ],
)
def test_a_sector_report_keeps_its_tables_notes_in_its_language(monkeypatch, lang, members, interval):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    from dxlab.report import build_sector
    from dxlab.sample import synthetic_responses

    rubric = dxlab.load_rubric("mobifone-dx")
    responses = synthetic_responses(rubric, n=120, seed=1)
    assert (responses["sector"] == "M").sum() == 4  # a sector smaller than a comparable group
    report = build_sector(responses, "M", rubric=rubric, lang=lang, n_boot=50)
    assert report.vs_rest["note"].iloc[0] == members
    assert report.dimension_means["note"].iloc[0] == interval


def test_few_respondents_and_answers_read_as_english_does(monkeypatch):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    three = pd.DataFrame({"a": [1, 2, 3], "b": [1, 3, 3], "c": [2, 2, 3]})
    assert "only 3 respondents" in st.reliability(three, ["a", "b", "c"])["note"].iloc[0]
    lonely = three.assign(d=[4, pd.NA, pd.NA]).astype("Int64")
    notes = st.item_analysis(lonely, ["a", "b", "c", "d"]).set_index("item")["note"]
    assert "only 1 answer" in notes["d"] and "only 1 answers" not in notes["d"]
    assert "only 3 answers" in notes["a"]
    with using_lang("vi"):
        assert "chỉ có 3 người trả lời" in st.reliability(three, ["a", "b", "c"])["note"].iloc[0]
