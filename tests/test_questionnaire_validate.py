"""Validation of submissions against a rubric, and percentage input."""

from __future__ import annotations

import pytest

import dxlab
from dxlab.questionnaire import Answer, Submission, SubmissionError, check_submission, validate_submission
from dxlab.questionnaire._validate import clean_code, clean_text, parse_percent

from .conftest import rubric_dict, write_rubric

RUBRIC = dxlab.load_rubric("mobifone-dx")
CUS = [c for c in RUBRIC.criterion_ids if c.startswith("CUS.")]


def sub(answers: dict, **fields) -> Submission:
    base = {"sector": "J", "size": "small"}
    base.update(fields)
    return Submission(RUBRIC.id, answers=answers, **base)


@pytest.mark.parametrize("text, expected", [
    ("35", 35.0), ("35%", 35.0), ("35 %", 35.0), ("35,5 %", 35.5), ("0", 0.0), ("100%", 100.0), (" 7.25 ", 7.25),
    (42, 42.0), (12.5, 12.5), ("", None), (None, None), ("   ", None),
])
def test_parse_percent_reads_what_people_type(text, expected):
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["abc", "-5", "101", "100.01", "1e2", "35%%", "3 5", True, float("inf"), 150])
def test_parse_percent_rejects_the_rest(text):
    with pytest.raises(ValueError):
        parse_percent(text)


def test_percentages_are_banded_by_the_design_rule():
    # DESIGN.md: x < 20 → 1; 20 ≤ x < 40 → 2; 40 ≤ x < 60 → 3; 60 ≤ x ≤ 80 → 4; x > 80 → 5.
    cases = {0: 1, 19.99: 1, 20: 2, 39.9: 2, 40: 3, 59.99: 3, 60: 4, 80: 4, 80.01: 5, 100: 5}
    for percent, level in cases.items():
        checked = validate_submission(sub({"CUS.ENG.3": Answer(percent=percent)}), RUBRIC, required=())
        assert checked.answers["CUS.ENG.3"] == Answer(level=level, percent=float(percent)), percent


def test_every_missing_criterion_and_field_is_listed():
    with pytest.raises(SubmissionError) as info:
        validate_submission(Submission(RUBRIC.id, answers={"CUS.ENG.1": Answer(level=3)}), RUBRIC)
    problems = info.value.problems
    assert [p.field for p in problems] == ["sector", "size", *[c for c in RUBRIC.criterion_ids if c != "CUS.ENG.1"]]
    assert {p.key for p in problems[2:]} == {"required"}
    assert info.value.messages("vi")[0] == "Chưa điền: Ngành (VSIC)."
    assert info.value.messages("en")[2] == "Criterion CUS.ENG.2 is not answered."


def test_rubric_rules():
    answers = {"CUS.ENG.1": Answer(level=6), "CUS.ENG.2": Answer(percent=50.0),
               "CUS.ENG.3": Answer(level=2, percent=70.0), "NOPE.X.1": Answer(level=3)}
    with pytest.raises(SubmissionError) as info:
        validate_submission(sub(answers), RUBRIC, required=CUS)
    keys = {p.field: p.key for p in info.value.problems}
    assert keys == {"CUS.ENG.1": "level", "CUS.ENG.2": "percent_type", "CUS.ENG.3": "band", "NOPE.X.1": "unknown",
                    "CUS.EXP.1": "required", "CUS.EXP.2": "required"}
    band = next(p for p in info.value.problems if p.key == "band")
    assert band.text("en") == "Criterion CUS.ENG.3: 70% falls in level 4, not level 2."


def test_answers_come_back_in_rubric_order_with_the_rubric_identity():
    answers = {c: Answer(level=2) for c in reversed(CUS)}
    checked = validate_submission(sub(answers, enterprise_id=" dn-01 ", enterprise_name="  Công ty A  "), RUBRIC,
                                  required=CUS)
    assert list(checked.answers) == CUS
    assert (checked.rubric_id, checked.rubric_version) == (RUBRIC.id, RUBRIC.version)
    assert (checked.enterprise_id, checked.enterprise_name) == ("DN-01", "Công ty A")


def test_yes_no_criteria_take_only_their_two_levels(tmp_path):
    rubric = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict([{
        "id": "AAA", "title": "A", "groups": [{"id": "AAA.G", "title": "G", "criteria": [
            {"id": "AAA.G.1", "provenance": "drafted", "answer": "yes_no", "text": "Có website?",
             "levels": {1: "Không", 5: "Có"}}]}]}])))
    assert validate_submission(sub({"AAA.G.1": Answer(level=5)}), rubric).answers[
        "AAA.G.1"].level == 5
    with pytest.raises(SubmissionError, match="AAA.G.1"):
        validate_submission(sub({"AAA.G.1": Answer(level=3)}), rubric)


def test_text_cleaning():
    assert clean_text("  Cafe\u0301  ", "province") == ("Café", [])  # NFD → NFC, trimmed
    assert clean_text("a\u200db", "province") == ("a\u200db", [])     # zero-width joiner is text
    assert clean_text("a\ufeffb", "province")[1][0].key == "control"  # BOM disguises
    assert clean_text(5, "province")[1][0].key == "not_text"
    assert clean_code("mst-0101234567")[0] == "MST-0101234567"
    assert clean_code("DN 01")[1][0].key == "code"
    assert clean_code("Công ty")[1][0].key == "code"


def test_check_submission_needs_a_rubric_id():
    with pytest.raises(SubmissionError, match="rubric_id"):
        check_submission(Submission(""))
    with pytest.raises(SubmissionError):
        check_submission(Submission("r", answers={"A.B.1": Answer(percent=float("nan"))}))


def test_unknown_answer_values_are_wrapped():
    checked = check_submission(Submission("r", answers={"A.B.1": 3}))
    assert checked.answers == {"A.B.1": Answer(level=3)}
