"""Issue texts in Vietnamese and English: every kind of problem has a code and catalogue entries, values in
the sentence survive translation, and unknown sentences pass through unchanged."""

from __future__ import annotations

import pandas as pd
import pytest

from dxlab._i18n import has_key
from dxlab.ingest import ISSUE_CODES, issue_code, localise_issues
from dxlab.ingest._issue_text import _ACTIONS, _PROBLEMS, localise_action, localise_problem


def test_every_pattern_has_both_languages():
    keys = [k for _, k, _ in _PROBLEMS if k] + [k for k, _ in _ACTIONS]
    for key in keys:
        assert has_key(key if "." in key else f"ingest.{key}"), key
    assert "other" in ISSUE_CODES and "unbalanced_quote" in ISSUE_CODES


@pytest.mark.parametrize(("english", "code", "vietnamese"), [
    ("empty row", "empty_row", "dòng trống"),
    ("unbalanced quote from line 17", "unbalanced_quote", "dấu ngoặc kép không được đóng, từ dòng 17"),
    ("7 is not a level (1–5)", "answer_not_a_level", "7 không phải một mức (1–5)"),
    ("duplicate header name (column AB)", "duplicate_header", "tên cột bị trùng (cột AB)"),
    ("0123 is not a VSIC 2018 code", "sector_unrecognised", "0123 không phải mã ngành VSIC 2018"),
    ("something new", "other", "something new"),
])
def test_problems(english, code, vietnamese):
    assert issue_code(english) == code
    assert localise_problem(english, "vi") == vietnamese
    assert localise_problem(english, "en") == english


def test_actions_keep_their_values():
    assert localise_action("row quarantined; kept row 12 (latest)", "vi") == "đã cách ly dòng; giữ dòng 12 (latest)"
    assert localise_action("renamed to 'Notes (2)'", "en") == "renamed to 'Notes (2)'"


def test_localised_frame_has_codes_before_problems():
    issues = pd.DataFrame({"row": pd.array([3, None], dtype="Int64"), "column": ["", "Q"], "value": ["", ""],
                           "problem": ["empty row", "blank header name"], "action": ["row quarantined", "named 'x'"]})
    out = localise_issues(issues, "vi")
    assert list(out.columns) == ["row", "column", "value", "code", "problem", "action"]
    assert out["code"].tolist() == ["empty_row", "blank_header"]
    assert out["problem"].tolist() == ["dòng trống", "cột không có tên"]
    assert out["action"].tolist() == ["đã cách ly dòng", "đặt tên là 'x'"]
    assert issues["problem"].tolist() == ["empty row", "blank header name"]  # the input is untouched


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("format Google Forms: first column is 'Dấu thời gian'; 1 header row(s)",
     "định dạng Google Forms: cột đầu tiên là 'Dấu thời gian'; 1 dòng tiêu đề"),
    ("2 title or blank row(s) above the header skipped (row 3 is the header)",
     "đã bỏ qua 2 dòng tiêu đề hoặc dòng trống phía trên dòng tên cột (dòng 3 là dòng tên cột)"),
    ("Dấu thời gian: day/month/year (a first part above 12)", "Dấu thời gian: ngày/tháng/năm (phần đầu lớn hơn 12)"),
    ("something else", "something else"),
])
def test_summary_notes(english, vietnamese):
    from dxlab.ingest._issue_text import localise_note

    assert localise_note(english, "vi") == vietnamese
    assert localise_note(english, "en") == english
