"""Answer parsing: every spelling a form produces maps to one level, anything else is reported."""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dxlab
from dxlab.scoring import parse_levels_report, percent_to_level

R = dxlab.load_rubric("mobifone-dx")
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize("raw, level", [
    (3, 3), (3.0, 3), ("3", 3), (" 4 ", 4), ("Mức 3", 3), ("Muc 3", 3), ("mức 2", 2), ("Level 3", 3),
    ("LEVEL 5", 5), ("3 - Hình thành", 3), ("3 – Hình thành", 3), ("(4) Nâng cao", 4), ("4. Nâng cao", 4),
    ("Mức 3 - Hình thành", 3), ("Hình thành", 3), ("hinh thanh", 3), ("HÌNH THÀNH", 3), (NFD("Hình thành"), 3),
    ("Khởi tạo", 1), ("Khởi động", 1), ("khoi dong", 1), ("Initiating", 1), ("forming", 3),
    ("Advancing", 4), ("Leading", 5), ("Dẫn dắt.", 5), ("dan dat", 5), ("Bắt  đầu", 2),
])
def test_level_spellings(raw, level):
    assert parse_levels([raw], "CUS.ENG.1").tolist() == [level]


def parse_levels(values, criterion_id):
    return dxlab.parse_levels(pd.Series(values, dtype=object), R, criterion_id)


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_descriptor_text_is_its_level(level, lang):
    text = R.descriptor("CUS.ENG.2", level, lang)
    variants = [text, text.upper(), f"  {text}  ", NFD(text), text.rstrip("."), f"{level}. {text}"]
    assert parse_levels(variants, "CUS.ENG.2").tolist() == [level] * len(variants)


@pytest.mark.parametrize("raw, reason", [
    ("abc", "not a level label"), ("3 - Nâng cao", "disagree"), (7, "not a level"), ("Mức 9", "not a level"),
    (2.5, "not a level"), ("35%", "percentage is not an answer"), ("3 - bla", "not a label or descriptor"),
])
def test_invalid_levels_are_reported_not_guessed(raw, reason):
    result = parse_levels(["Mức 2", raw], "CUS.ENG.1")
    assert result.tolist() == [2, pd.NA]
    issues = result.attrs["issues"]
    assert list(issues.columns) == ["row", "value", "reason"]
    assert issues["row"].tolist() == [1] and issues["value"].tolist() == [raw]
    assert reason in issues["reason"].iloc[0]


def test_blanks_are_unanswered_not_issues():
    result = parse_levels([None, np.nan, "", "   ", pd.NA], "CUS.ENG.1")
    assert result.isna().all() and result.dtype == "Int8"
    assert result.attrs["issues"].empty


@pytest.mark.parametrize("raw, level", [
    ("35%", 2), ("35", 2), ("35.0 %", 2), ("35,5 %", 2), (35, 2), (19.99, 1), ("20%", 2), ("40", 3),
    ("60%", 4), ("80%", 4), ("80.5%", 5), ("100%", 5), ("0%", 1), ("Từ 20% đến 40%", 2), ("từ 60% đến 80%", 4),
    ("20-40%", 2), ("20% - 40%", 2), ("20 – 40 %", 2), ("0-20%", 1), ("80-100%", 5), ("<20%", 1),
    ("< 20 %", 1), ("> 80%", 5), (">80", 5), ("Ít hơn 20%", 1), ("dưới 20%", 1), ("Hơn 80%", 5),
    ("trên 80%", 5), ("less than 20%", 1), ("more than 80%", 5), ("from 40% to 60%", 3), ("25-35%", 2),
    ("Mức 3", 3), ("Nâng cao", 4), ("khoảng 49%", 3), ("about 49 %", 3), ("~ 85%", 5), ("xấp xỉ 20%", 2),
])
def test_percent_band_spellings(raw, level):
    assert parse_levels([raw], "CUS.ENG.3").tolist() == [level]


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_percent_band_descriptor(level):
    assert parse_levels([R.descriptor("CUS.EXP.1", level)], "CUS.EXP.1").tolist() == [level]


def test_a_column_of_fractions():
    assert parse_levels([0.35, 0.9, 0.1, 0.6, 1.0], "CUS.ENG.3").tolist() == [2, 5, 1, 4, 5]
    assert parse_levels(["0,35", "0.1"], "CUS.ENG.3").tolist() == [2, 1]
    # percentages when any plain number is above 1; explicit override either way
    assert parse_levels([0.5, 35], "CUS.ENG.3").tolist() == [1, 2]
    assert dxlab.parse_levels([0.5], R, "CUS.ENG.3", fractions=True).tolist() == [3]


@pytest.mark.parametrize("raw, reason", [
    ("120%", "outside 0–100"), ("-5%", "not a level"), (">60%", "spans levels 4 to 5"),
    ("30-50%", "spans levels 2 to 3"), ("60-40%", "backwards"), ("nhiều", "not a level"),
])
def test_percent_band_invalid(raw, reason):
    result = parse_levels([raw], "CUS.ENG.3")
    assert result.isna().all()
    assert reason in result.attrs["issues"]["reason"].iloc[0]


def test_band_rule_matches_design():
    # DESIGN.md: x < 20 → 1; 20 ≤ x < 40 → 2; 40 ≤ x < 60 → 3; 60 ≤ x ≤ 80 → 4; x > 80 → 5
    expected = {0: 1, 19.999: 1, 20: 2, 39.999: 2, 40: 3, 59.999: 3, 60: 4, 80: 4, 80.001: 5, 100: 5}
    assert {x: percent_to_level(x) for x in expected} == expected


def test_errors_modes():
    with pytest.raises(ValueError, match=r"row 1, value 'xyz'"):
        dxlab.parse_levels(["3", "xyz"], R, "CUS.ENG.1", errors="raise")
    with pytest.warns(UserWarning, match="1 answer"):
        dxlab.parse_levels(["3", "xyz"], R, "CUS.ENG.1", errors="warn")
    with pytest.raises(ValueError, match="'report', 'warn', 'raise'"):
        dxlab.parse_levels(["3"], R, "CUS.ENG.1", errors="ignore")
    with pytest.raises(KeyError, match="NOPE"):
        dxlab.parse_levels(["3"], R, "NOPE")


def test_index_is_kept_and_issue_rows_use_it():
    values = pd.Series(["Mức 1", "??", "Dẫn dắt"], index=[10, 20, 30])
    levels, issues = parse_levels_report(values, R, "CUS.ENG.1")
    assert levels.index.tolist() == [10, 20, 30] and levels.tolist() == [1, pd.NA, 5]
    assert issues["row"].tolist() == [20]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Mức 3", "nang cao", "(5) Dẫn dắt", "2", "x", None, 4, "Khởi động"]),
                max_size=40))
def test_parsing_is_elementwise(values):
    """Parsing a column equals parsing each value alone (the per-unique shortcut changes nothing)."""
    whole = parse_levels(values, "CUS.ENG.1").tolist()
    one_by_one = [parse_levels([v], "CUS.ENG.1").iloc[0] for v in values]
    assert whole == one_by_one


def test_yes_no_criteria(tmp_path):
    from .conftest import criterion, rubric_dict, write_rubric

    yes_no = criterion("D.G.1", answer="yes_no")
    yes_no["levels"] = {1: {"vi": "Chưa có", "en": "Not in place"}, 5: {"vi": "Đã có", "en": "In place"}}
    dims = [{"id": "D", "title": "D", "groups": [{"id": "D.G", "title": "G", "criteria": [yes_no]}]}]
    rubric = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict(dims)))
    values = ["Có", "co", "Yes", True, "không", "No", False, "chưa", "Đã có", "In place", "maybe", 3]
    result = dxlab.parse_levels(pd.Series(values, dtype=object), rubric, "D.G.1")
    assert result.tolist() == [5, 5, 5, 5, 1, 1, 1, 1, 5, 5, pd.NA, pd.NA]
    assert result.attrs["issues"]["value"].tolist() == ["maybe", 3]


# -- non-answers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, code", [("Không biết", "dont_know"), ("khong biet", "dont_know"),
                                       ("KHÔNG RÕ", "dont_know"), ("Unfamiliar (N/A)", "dont_know"),
                                       ("unfamiliar n/a", "dont_know"), ("Don't know", "dont_know")])
def test_non_answers_are_na_listed_apart_not_issues(raw, code):
    parsed = dxlab.parse_levels(["Mức 2", raw, "Mức 9"], R, "CUS.ENG.1")
    assert parsed.tolist()[:2] == [2, pd.NA] and pd.isna(parsed[1])
    assert parsed.attrs["nonresponse"].values.tolist() == [[1, raw, code]]
    assert parsed.attrs["issues"]["row"].tolist() == [2]  # only "Mức 9"


def test_mobifone_accepts_not_applicable_only_on_percentages():
    on_percent = dxlab.parse_levels(["Không áp dụng", "n/a", "35%"], R, "CUS.ENG.3")
    assert on_percent.attrs["nonresponse"]["code"].tolist() == ["not_applicable"] * 2
    on_level = dxlab.parse_levels(["Không áp dụng", "Chưa áp dụng"], R, "CUS.ENG.1")
    assert on_level.attrs["nonresponse"].empty and len(on_level.attrs["issues"]) == 2


def test_extra_non_answers_from_a_mapping():
    from dxlab.rubric import NonAnswer

    parsed = dxlab.parse_levels(["Bỏ qua", "3"], R, "CUS.ENG.1", non_answers=[NonAnswer("Bỏ qua", "dont_know")],
                                errors="raise")
    assert parsed.tolist()[1] == 3 and parsed.attrs["nonresponse"]["value"].tolist() == ["Bỏ qua"]


def test_default_codes_apply_to_rubrics_that_declare_none(tmp_path):
    from .conftest import criterion, rubric_dict, write_rubric

    data = rubric_dict([{"id": "A", "title": "A", "groups": [{"id": "A.X", "title": "X", "criteria": [
        criterion("A.X.1"), criterion("A.X.2", answer="yes_no")]}]}])
    rubric = dxlab.load_rubric(write_rubric(tmp_path, data))
    values = ["Chưa áp dụng", "N/A", "Không biết", "Don't know"]
    for cid in ("A.X.1", "A.X.2"):
        parsed = dxlab.parse_levels(values, rubric, cid, errors="raise")
        assert parsed.attrs["nonresponse"]["code"].tolist() == ["not_applicable", "not_applicable", "dont_know",
                                                                "dont_know"]
    # "Không" is still a no, not a non-answer
    assert dxlab.parse_levels(["Không"], rubric, "A.X.2").tolist() == [1]


def test_numeric_non_answer_codes(tmp_path):
    from .conftest import criterion, rubric_dict, write_rubric

    data = rubric_dict([{"id": "A", "title": "A", "groups": [{"id": "A.X", "title": "X", "criteria": [
        criterion("A.X.1")]}]}])
    data["non_answers"] = {99: "dont_know", "98": "not_applicable"}
    rubric = dxlab.load_rubric(write_rubric(tmp_path, data))
    parsed = dxlab.parse_levels([99, 99.0, "98", 3, "97"], rubric, "A.X.1")
    assert parsed.attrs["nonresponse"]["code"].tolist() == ["dont_know", "dont_know", "not_applicable"]
    assert parsed.tolist()[3] == 3 and parsed.attrs["issues"]["value"].tolist() == ["97"]
