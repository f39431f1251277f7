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
