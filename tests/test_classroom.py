"""The teacher's summary of a class: counts, level distribution, dimension spread, who is where."""

from __future__ import annotations

import statistics
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import dxlab  # noqa: E402
from dxlab.classroom import DIMENSION_COLUMNS, LEVEL_COLUMNS, summary  # noqa: E402
from dxlab.questionnaire import Answer, ResponseStore, Submission  # noqa: E402

RUBRIC = dxlab.load_rubric("mobifone-dx")
CUS = ["CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2"]
# A class that answered the Customer dimension only. By hand (group = mean of its criteria, CUS = mean of
# ENG and EXP, overall = CUS):
#   A  [1,1,1,1,1]  ENG 1,   EXP 1   → 1      level 1 (after first submitting all 5s)
#   B  [2,3,3,5,4]  ENG 8/3, EXP 4.5 → 3.583  level 3
#   C  [4,4,4,4,4]                    → 4      level 4
#   D  [3,3,3,2,2]  ENG 3,   EXP 2   → 2.5    level 2
#   E  only ENG.1: ENG has 1 of 3 answered (< half) → no group, no dimension, not placed
CLASS = {"A": [1, 1, 1, 1, 1], "B": [2, 3, 3, 5, 4], "C": [4, 4, 4, 4, 4], "D": [3, 3, 3, 2, 2],
         "E": [3, None, None, None, None]}
CUS_SCORES = {"A": 1.0, "B": (8 / 3 + 4.5) / 2, "C": 4.0, "D": 2.5}


def submit(store: ResponseStore, code: str, levels: list, name: str = "") -> None:
    answers = {c: Answer(level=v, comment=f"ghi chú của {code}") for c, v in zip(CUS, levels) if v is not None}
    store.submit(Submission(RUBRIC.id, RUBRIC.version, enterprise_id=code, enterprise_name=name or f"Công ty {code}",
                            sector="J" if code in "AB" else "C", size="small", wave="2026", answers=answers))


@pytest.fixture()
def store(tmp_path: Path) -> ResponseStore:
    store = ResponseStore(tmp_path / "class.sqlite")
    submit(store, "A", [5, 5, 5, 5, 5])
    for code, levels in CLASS.items():
        submit(store, code, levels, name="<b>Bold</b> & Co" if code == "C" else "")
    return store


def test_counts_and_level_distribution(store):
    result = summary(store)
    assert (result.submitted, result.versions) == (5, 6)
    assert [d.id for d in result.rubric.dimensions] == ["CUS"]  # only what the class answered
    levels = result.levels
    assert list(levels.columns) == LEVEL_COLUMNS
    assert levels["level"].tolist()[:5] == [1, 2, 3, 4, 5] and pd.isna(levels["level"].iloc[5])
    assert levels["label"].tolist() == ["Khởi tạo", "Bắt đầu", "Hình thành", "Nâng cao", "Dẫn dắt",
                                        "Chưa đủ câu trả lời"]
    assert levels["n"].tolist() == [1, 1, 1, 1, 0, 1]
    assert levels["share"].tolist() == pytest.approx([0.2, 0.2, 0.2, 0.2, 0.0, 0.2])


def test_dimension_spread_matches_a_hand_oracle(store):
    dims = summary(store).dimensions
    assert list(dims.columns) == DIMENSION_COLUMNS
    row = dims.iloc[0]
    values = list(CUS_SCORES.values())
    assert (row["dimension"], row["title"], row["n"]) == ("CUS", "Khách hàng", 4)
    assert row["mean"] == pytest.approx(statistics.fmean(values))
    assert row["sd"] == pytest.approx(statistics.stdev(values))
    assert row["median"] == pytest.approx(statistics.median(values))
    # Quartiles by linear interpolation (numpy's default method is the same rule, computed independently).
    assert row["q1"] == pytest.approx(np.percentile(values, 25))
    assert row["q3"] == pytest.approx(np.percentile(values, 75))
    assert (row["min"], row["max"]) == (1.0, 4.0)


def test_who_is_where_is_anonymised_by_default(store):
    result = summary(store)
    who = result.respondents
    assert who["respondent"].tolist() == ["#01", "#02", "#03", "#04", "#05"]
    order = ["C", "B", "D", "A"]
    assert who["score"].iloc[:4].tolist() == pytest.approx([CUS_SCORES[c] for c in order])
    assert who["level"].iloc[:4].tolist() == [4, 3, 2, 1]
    assert pd.isna(who["score"].iloc[4])
    assert who["sector"].astype(str).tolist() == ["C", "J", "C", "J", "C"]
    text = result.respondents.to_string() + result.responses.to_string() + result._repr_html_()
    for code in CLASS:
        assert f"Công ty {code}" not in text
    assert "ghi chú" not in text and "enterprise_id" not in result.responses
    assert list(result.responses.columns) == ["respondent", *CUS]
    assert result.responses[CUS].iloc[0].tolist() == CLASS["C"]


def test_named_view_for_the_teacher(store):
    result = summary(store, anonymise=False, lang="en")
    who = result.respondents
    assert who["respondent"].tolist() == ["C", "B", "D", "A", "E"]
    assert who["enterprise_name"].iloc[0] == "<b>Bold</b> & Co"
    assert who["label"].iloc[0] == "Advancing"
    page = result._repr_html_()
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Co" in page and "<b>Bold</b>" not in page
    assert "Class results" in page
    assert result.responses["enterprise_id"].tolist() == ["C", "B", "D", "A", "E"]


def test_empty_store(tmp_path):
    result = summary(ResponseStore(tmp_path / "empty.sqlite"))
    assert (result.submitted, result.versions) == (0, 0)
    assert result.levels["n"].tolist() == [0, 0, 0, 0, 0]
    assert result.dimensions["n"].tolist() == [0] * len(RUBRIC.dimensions)
    assert result.respondents.empty
    assert "Chưa có bài nộp nào" in result._repr_html_()


def test_frame_input_and_errors(tmp_path):
    frame = pd.DataFrame({c: pd.array(v, dtype="Int8") for c, v in zip(CUS, zip(*[CLASS[k] for k in "ABCD"]))})
    result = summary(frame, RUBRIC)
    assert result.levels["n"].tolist() == [1, 1, 1, 1, 0]
    with pytest.raises(ValueError, match="rubric"):
        summary(frame)
    with pytest.raises(FileNotFoundError):
        summary(tmp_path / "missing.sqlite")
    with pytest.raises(ValueError, match="ResponseStore"):
        summary(42)


def test_figures_show_the_tables(store):
    result = summary(store)
    ax = result.plot_levels()
    assert [bar.get_height() for bar in ax.patches] == [1, 1, 1, 1, 0]
    ax = result.plot_dimensions()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["CUS · Khách hàng"]
    dots = ax.collections[-1].get_offsets()[:, 0]
    assert sorted(dots) == pytest.approx(sorted(CUS_SCORES.values()))
    ax = result.plot_criteria()
    assert len(ax.get_yticklabels()) == len(CUS)
    ax = result.plot_profile()
    assert ax.name == "polar"
    plt.close("all")
