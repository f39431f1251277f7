"""Crosswalks as data: validation with file and place, coverage and re-expressed scores by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import dxlab
from dxlab.crosswalk import CrosswalkError, list_crosswalks, list_frameworks, load_crosswalk

LEVELS = [{"value": v, "code": f"L{v}", "vi": f"Mức {v}", "en": f"Level {v}"} for v in range(1, 6)]


def _criterion(cid: str) -> dict:
    return {"id": cid, "provenance": "drafted", "text": {"vi": f"Tiêu chí {cid}", "en": cid},
            "levels": {v: {"vi": f"Mô tả {v}", "en": f"Level {v}"} for v in range(1, 6)}}


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """A source rubric A (dimensions X: X.G.1, X.G.2; Y: Y.G.1, Y.H.1) and a framework with P, Q, R."""
    rubric = {"id": "hand-a", "title": {"vi": "A", "en": "A"}, "version": "1", "levels": LEVELS, "dimensions": [
        {"id": "X", "title": {"vi": "X", "en": "X"}, "groups": [
            {"id": "X.G", "title": {"vi": "G", "en": "G"}, "criteria": [_criterion("X.G.1"), _criterion("X.G.2")]}]},
        {"id": "Y", "title": {"vi": "Y", "en": "Y"}, "groups": [
            {"id": "Y.G", "title": {"vi": "G", "en": "G"}, "criteria": [_criterion("Y.G.1")]},
            {"id": "Y.H", "title": {"vi": "H", "en": "H"}, "criteria": [_criterion("Y.H.1")]}]}]}
    framework = {"id": "hand-f", "title": {"vi": "F", "en": "F"}, "version": "1", "source": "test", "scale": "0-100",
                 "dimensions": [{"id": d, "title": {"vi": f"Khía cạnh {d}", "en": f"Dimension {d}"}} for d in "PQR"]}
    return write_yaml(tmp_path / "hand-a.yaml", rubric), write_yaml(tmp_path / "hand-f.yaml", framework)


def _crosswalk(tmp_path: Path, pair: tuple[Path, Path], links: list[dict]) -> Path:
    data = {"id": "hand-a--hand-f", "version": "1", "title": {"vi": "A → F", "en": "A → F"},
            "source": {"rubric": str(pair[0])}, "target": {"framework": str(pair[1])}, "links": links}
    return write_yaml(tmp_path / "cw.yaml", data)


LINKS = [
    {"from": "X", "to": "P", "relation": "exact", "provenance": "published", "source": "a test"},
    {"from": "Y.G.1", "to": "P", "relation": "related", "provenance": "drafted", "reason": "overlap"},
    {"from": "Y.H", "to": "Q", "relation": "narrower", "weight": 2, "provenance": "drafted", "reason": "part"},
    {"from": "X.G.2", "to": "Q", "relation": "broader", "provenance": "drafted", "reason": "wider"},
]


def test_coverage_and_scores_by_hand(tmp_path, pair):
    cw = _crosswalk(tmp_path, pair, LINKS)
    responses = pd.DataFrame({"X.G.1": [1, 5, 3], "X.G.2": [3, 5, pd.NA], "Y.G.1": [5, 1, 4],
                              "Y.H.1": [2, pd.NA, 4]}, dtype="Int8")
    result = dxlab.crosswalk(responses, cw, lang="en")
    coverage = result.coverage.set_index("target")
    assert coverage["covered"].tolist() == [True, True, False]
    assert coverage.loc["P", "links"] == 2 and coverage.loc["P", "source_criteria"] == 3
    assert coverage.loc["Q", "source_criteria"] == 2
    assert coverage.loc["Q", "relations"] == "broader 1, narrower 1"
    assert "R" in coverage.loc["R", "note"] and coverage.loc["R", "title"] == "Dimension R"
    # P = (1·X + 0.5·Y.G.1) / 1.5 (a related link weighs 0.5); Q = (2·Y.H + 1·X.G.2) / 3 over present ones.
    x = np.array([2.0, 5.0, 3.0])
    expected_p = (x + 0.5 * np.array([5, 1, 4])) / 1.5
    expected_q = np.array([(2 * 2 + 3) / 3, 5.0, 4.0])
    np.testing.assert_allclose(result.scores["P"], expected_p, rtol=1e-12)
    np.testing.assert_allclose(result.scores["Q"], expected_q, rtol=1e-12)
    assert result.scores["R"].isna().all()
    np.testing.assert_allclose(result.scores_100["P"], (expected_p - 1) / 4 * 100, rtol=1e-12)
    assert result.scores_100["overall"].isna().all()
    assert any("R" in note for note in result.notes) and any("overall" in note for note in result.notes)


def test_vietnamese_notes(tmp_path, pair):
    cw = _crosswalk(tmp_path, pair, LINKS)
    result = dxlab.crosswalk(pd.DataFrame({c: [3] for c in ["X.G.1", "X.G.2", "Y.G.1", "Y.H.1"]}), cw, lang="vi")
    assert "không suy đoán" in result.coverage.set_index("target").loc["R", "note"]


@pytest.mark.parametrize(
    ("link", "place", "message"),
    [
        ({"from": "NOPE", "to": "P", "relation": "exact", "provenance": "drafted", "reason": "r"}, "links[0].from",
         "'NOPE' is not a dimension, group or criterion"),
        ({"from": "X", "to": "Z", "relation": "exact", "provenance": "drafted", "reason": "r"}, "links[0].to",
         "'Z' is not an item of the target"),
        ({"from": "X", "to": "P", "relation": "sameish", "provenance": "drafted", "reason": "r"},
         "links[0].relation", "exact, broader, narrower, related"),
        ({"from": "X", "to": "P", "relation": "exact", "provenance": "drafted"}, "links[0].reason", "is missing"),
        ({"from": "X", "to": "P", "relation": "exact", "provenance": "published"}, "links[0].source", "is missing"),
        ({"from": "X", "to": "P", "relation": "exact", "weight": -1, "provenance": "drafted", "reason": "r"},
         "links[0].weight", "positive"),
    ],
)
def test_broken_links_are_refused_with_file_and_place(tmp_path, pair, link, place, message):
    path = _crosswalk(tmp_path, pair, [link])
    with pytest.raises(CrosswalkError) as info:
        load_crosswalk(path)
    text = str(info.value)
    assert str(path) in text and place in text and message in text


def test_unknown_source_rubric_and_several_problems_at_once(tmp_path, pair):
    data = {"id": "x", "version": "1", "title": "x", "source": {"rubric": "khong-co"}, "target": {"framework": "eu-dma"},
            "links": [{"from": "A", "to": "NOPE", "relation": "bad", "provenance": "drafted", "reason": "r"}]}
    with pytest.raises(CrosswalkError) as info:
        load_crosswalk(write_yaml(tmp_path / "two.yaml", data))
    places = [place for place, _ in info.value.problems]
    assert "source.rubric" in places and "links[0].to" in places and "links[0].relation" in places


def test_hostile_files_get_short_errors(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
                    + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
                              f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n"
                              for i in range(8)))
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 5000 + "]" * 5000)
    folder = tmp_path / "dir.yaml"
    folder.mkdir()
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * 1_100_000)
    for path, message in [(bomb, "aliases"), (deep, "nested deeper"), (folder, "directory"), (huge, "limited")]:
        with pytest.raises(CrosswalkError) as info:
            load_crosswalk(path)
        assert message in str(info.value) and str(path) in str(info.value) and len(str(info.value)) < 400


def test_unknown_name_lists_the_shipped_ones():
    with pytest.raises(ValueError, match="mobifone-dx--eu-dma"):
        load_crosswalk("khong-co")


def test_shipped_crosswalks_load_and_say_where_each_link_comes_from():
    table = list_crosswalks()
    assert set(table["id"]) == {"mobifone-dx--mic-2021", "mobifone-dx--tmf-dmm", "mobifone-dx--eu-dma",
                                "dx-six-facets--mobifone-dx", "cx-use-cases--mobifone-dx"}
    assert set(list_frameworks()["id"]) == {"eu-dma", "tmf-dmm", "mic-2021"}
    for cid in table["id"]:
        for link in load_crosswalk(cid).links:
            assert link.provenance in ("published", "drafted") and link.reference, (cid, link)


def test_eu_dma_green_digitalisation_is_not_invented():
    rubric = dxlab.load_rubric("mobifone-dx")
    rng = np.random.default_rng(3)
    responses = pd.DataFrame({c: pd.array(rng.integers(1, 6, 50), dtype="Int8") for c in rubric.criterion_ids})
    result = dxlab.crosswalk(dxlab.score(responses, rubric), "mobifone-dx--eu-dma", lang="en")
    coverage = result.coverage.set_index("target")
    assert coverage.loc[["DBS", "DR", "HCD", "DMC", "AAI"], "covered"].all()
    assert not coverage.loc["GRN", "covered"] and "GRN" in coverage.loc["GRN", "note"]
    assert result.scores["GRN"].isna().all() and result.scores_100["overall"].isna().all()
    # DBS is exactly the Strategy dimension score, rescaled to 0–100.
    scores = dxlab.score(responses, rubric)
    np.testing.assert_allclose(result.scores_100["DBS"], (scores.dimensions["STR"] - 1) / 4 * 100, rtol=1e-12)


def test_mic_pillars_reproduce_the_dimension_scores():
    rubric = dxlab.load_rubric("mobifone-dx")
    rng = np.random.default_rng(4)
    responses = pd.DataFrame({c: pd.array(rng.integers(1, 6, 30), dtype="Int8") for c in rubric.criterion_ids})
    result = dxlab.crosswalk(responses, "mobifone-dx--mic-2021")
    scores = dxlab.score(responses, rubric)
    for dim in rubric.dimensions:
        np.testing.assert_allclose(result.scores[dim.pillar], scores.dimensions[dim.id], rtol=1e-12)


def test_rubric_target_uses_the_target_items_it_links_to():
    rubric = dxlab.load_rubric("dx-six-facets")
    responses = pd.DataFrame({c: [4] for c in rubric.criterion_ids}, dtype="Int8")
    result = dxlab.crosswalk(responses, "dx-six-facets--mobifone-dx")
    assert list(result.scores.columns) == ["CUS.ENG", "CUS.ENG.1", "CUS.EXP"]
    assert result.scores.iloc[0].tolist() == [4.0, 4.0, 4.0]
    assert result.scores_100 is None


def test_wrong_inputs():
    scores = dxlab.score(pd.DataFrame({c: [3] for c in dxlab.load_rubric("dx-six-facets").criterion_ids}),
                         "dx-six-facets")
    with pytest.raises(ValueError, match="starts from rubric 'mobifone-dx'"):
        dxlab.crosswalk(scores, "mobifone-dx--eu-dma")
    dbi = dxlab.score(pd.DataFrame({c: [3] for c in dxlab.load_rubric("mobifone-dx").criterion_ids}), "mobifone-dx",
                      scheme="dbi2021")
    with pytest.raises(ValueError, match="scheme 'mean'"):
        dxlab.crosswalk(dbi, "mobifone-dx--eu-dma")
    with pytest.raises(ValueError, match="Scores or a DataFrame"):
        dxlab.crosswalk([1, 2], "mobifone-dx--eu-dma")


def test_the_package_is_also_the_function():
    import dxlab.crosswalk as module

    assert callable(module) and module.load_crosswalk is load_crosswalk
    assert dxlab.crosswalk is module
