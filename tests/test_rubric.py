"""The rubric model, the YAML loader's validation and the shipped rubrics."""

from __future__ import annotations

import copy
import unicodedata

import pytest
import yaml

import dxlab
from dxlab.rubric import RubricError, validate_rubric_file

from .conftest import ROOT, criterion, rubric_dict, write_rubric

SHIPPED = ("mobifone-dx", "dx-six-facets", "cx-use-cases")


def good() -> dict:
    return rubric_dict([{"id": "CUS", "title": {"vi": "Khách hàng", "en": "Customer"}, "pillar": "customer",
                         "groups": [{"id": "CUS.ENG", "title": {"vi": "Gắn kết", "en": "Engagement"},
                                     "criteria": [criterion("CUS.ENG.1"), criterion("CUS.ENG.2", weight=2),
                                                  criterion("CUS.ENG.3", answer="percent_band",
                                                            bounds=[20, 40, 60, 80])]}]}])


def problems(tmp_path, data) -> list[tuple[str, str]]:
    with pytest.raises(RubricError) as info:
        dxlab.load_rubric(write_rubric(tmp_path, data))
    assert str(tmp_path) in str(info.value)
    return info.value.problems


def test_good_rubric_loads(tmp_path):
    rubric = dxlab.load_rubric(write_rubric(tmp_path, good()))
    assert rubric.criterion_ids == ("CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3")
    assert rubric.criterion("CUS.ENG.2").weight == 2.0
    assert rubric.criterion("CUS.ENG.3").bounds == (20, 40, 60, 80)
    assert rubric["CUS.ENG"].title.en == "Engagement"
    assert rubric.descriptor("CUS.ENG.1", 3, lang="en") == "CUS.ENG.1 level 3 descriptor"


@pytest.mark.parametrize("mutate, path, words", [
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][1]["levels"].pop(4),
     "dimensions[0].groups[0].criteria[1].levels", "missing descriptor for level 4"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][1].update(id="CUS.ENG.1"),
     "dimensions[0].groups[0].criteria[1].id", "duplicate id"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(answer="slider"),
     "dimensions[0].groups[0].criteria[0].answer", "unknown answer type"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(weight=0),
     "dimensions[0].groups[0].criteria[0].weight", "positive number"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(weight="heavy"),
     "dimensions[0].groups[0].criteria[0].weight", "positive number"),
    (lambda d: d["dimensions"][0]["groups"][0].update(weight=-1),
     "dimensions[0].groups[0].weight", "positive number"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].pop("provenance"),
     "dimensions[0].groups[0].criteria[0].provenance", "missing"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(provenance="invented"),
     "dimensions[0].groups[0].criteria[0].provenance", "must be one of"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][2].update(bounds=[40, 20, 60, 80]),
     "dimensions[0].groups[0].criteria[2].bounds", "increasing"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(bounds=[20, 40, 60, 80]),
     "dimensions[0].groups[0].criteria[0].bounds", "only percent_band"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(id="XYZ.ENG.1"),
     "dimensions[0].groups[0].criteria[0].id", "must start with its parent's id"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0]["levels"].update({7: "x"}),
     "dimensions[0].groups[0].criteria[0].levels.7", "not a level"),
    (lambda d: d["dimensions"][0].update(pillar="marketing"), "dimensions[0].pillar", "unknown pillar"),
    (lambda d: d["dimensions"][0]["groups"][0].update(criteria=[]), "dimensions[0].groups[0].criteria",
     "at least one criterion"),
    (lambda d: d["dimensions"][0].pop("groups"), "dimensions[0].groups", "missing"),
    (lambda d: d.update(levels=d["levels"][:2] + d["levels"][3:]), "levels", "without gaps"),
    (lambda d: d["levels"][1].update(value=1), "levels[1].value", "duplicate level"),
    (lambda d: d.update(colour="blue"), "colour", "unknown key"),
    (lambda d: d["dimensions"][0].update(colour="blue"), "dimensions[0].colour", "unknown key"),
    (lambda d: d["dimensions"][0]["groups"][0].update(colour="blue"), "dimensions[0].groups[0].colour",
     "unknown key"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(answer="yes_no", yes_level="high"),
     "dimensions[0].groups[0].criteria[0].yes_level", "whole number"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(text={"fr": "x"}),
     "dimensions[0].groups[0].criteria[0].text", "unknown language"),
    (lambda d: d.pop("version"), "version", "missing"),
])
def test_each_problem_is_named_with_its_path(tmp_path, mutate, path, words):
    data = copy.deepcopy(good())
    mutate(data)
    found = problems(tmp_path, data)
    assert any(p == path and words in msg for p, msg in found), found


def test_all_problems_are_reported_at_once(tmp_path):
    data = good()
    data["dimensions"][0]["groups"][0]["criteria"][0]["weight"] = -1
    data["dimensions"][0]["groups"][0]["criteria"][1]["answer"] = "slider"
    assert len(problems(tmp_path, data)) == 2


def test_broken_yaml_names_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nlevels: [1, 2\n", encoding="utf-8")
    with pytest.raises(RubricError, match=r"bad\.yaml: line \d+, column \d+: not valid YAML"):
        validate_rubric_file(path)


def test_yaml_is_never_executed(tmp_path):
    path = tmp_path / "evil.yaml"
    marker = tmp_path / "pwned"
    path.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(RubricError):
        dxlab.load_rubric(path)
    assert not marker.exists()


def test_unknown_id_lists_the_shipped_rubrics():
    with pytest.raises(ValueError, match="mobifone-dx"):
        dxlab.load_rubric("no-such-rubric")


def test_missing_file():
    with pytest.raises(FileNotFoundError, match="nowhere.yaml"):
        dxlab.load_rubric("nowhere.yaml")


def test_list_rubrics():
    table = dxlab.list_rubrics()
    assert list(table.columns) == ["id", "title", "title_en", "version", "dimensions", "criteria"]
    assert set(SHIPPED) <= set(table["id"])
    assert (table["criteria"] > 0).all()


@pytest.mark.parametrize("rubric_id", SHIPPED)
def test_shipped_rubrics_are_complete(rubric_id):
    rubric = dxlab.load_rubric(rubric_id)
    assert list(rubric.levels["label_vi"]) == ["Khởi tạo", "Bắt đầu", "Hình thành", "Nâng cao", "Dẫn dắt"]
    texts = set()
    for crit in rubric.all_criteria:
        assert crit.text.vi and crit.text.en, crit.id
        needed = {crit.no_level, crit.yes_level} if crit.answer == "yes_no" else set(rubric.level_values)
        assert needed <= set(crit.levels), crit.id
        for level in needed:
            vi, en = crit.levels[level].vi, crit.levels[level].en
            assert vi and en, (crit.id, level)
            assert unicodedata.is_normalized("NFC", vi), (crit.id, level)
            assert vi not in texts, f"descriptor repeated: {crit.id} level {level}"
            texts.add(vi)
    assert rubric.criteria["id"].is_unique


def test_mobifone_customer_dimension_is_verbatim(shared_fixtures):
    """Every published CUS descriptor and criterion text appears verbatim in the framework document."""
    source = (shared_fixtures.parent / "framework" / "mobifone-customer.md").read_text(encoding="utf-8")
    source = unicodedata.normalize("NFC", source)
    rubric = dxlab.load_rubric("mobifone-dx")
    cus = rubric["CUS"]
    assert [g.title.vi for g in cus.groups] == ["Sự gắn kết với khách hàng", "Trải nghiệm khách hàng"]
    assert [len(g.criteria) for g in cus.groups] == [3, 2]
    for crit in cus.criteria:
        assert crit.provenance == "published"
        assert f"**{crit.id} — {crit.text.vi}**" in source
        for level, text in crit.levels.items():
            assert f"{level}. {text.vi}\n" in source, (crit.id, level)
    assert [c.answer for c in cus.criteria] == ["level", "level", "percent_band", "percent_band", "level"]


def test_mobifone_structure_and_provenance():
    rubric = dxlab.load_rubric("mobifone-dx")
    assert [d.id for d in rubric.dimensions] == ["CUS", "STR", "TEC", "OPS", "CPO", "DAT"]
    assert {d.pillar for d in rubric.dimensions} == {"customer", "strategy", "infrastructure", "operations",
                                                     "culture", "data"}
    for dim in rubric.dimensions[1:]:
        assert 2 <= len(dim.groups) <= 3
        assert all(c.provenance == "drafted" for c in dim.criteria)
    assert len(rubric.criterion_ids) == 31
    # One drafted pilot item is reverse-keyed; the percentage criteria accept "không áp dụng".
    assert rubric.reverse_items == ("CPO.CUL.3",)
    assert rubric.criteria.set_index("id")["reverse"].sum() == 1 and rubric.criteria.set_index("id").loc[
        "CPO.CUL.3", "reverse"]
    for crit in rubric.all_criteria:
        meanings = {c.meaning for c in rubric.non_answers_for(crit.id)}
        assert ("not_applicable" in meanings) == (crit.answer == "percent_band"), crit.id
        assert "dont_know" in meanings


def test_frames_and_markdown():
    rubric = dxlab.load_rubric("mobifone-dx")
    crit = rubric.criteria
    assert list(crit.columns[:5]) == ["id", "dimension", "group", "text_vi", "text_en"]
    assert set(crit["provenance"]) == {"published", "drafted"}
    assert list(rubric.levels.columns) == ["value", "code", "label_vi", "label_en", "aliases"]
    assert "Khởi động" in rubric.levels.loc[0, "aliases"]
    md = rubric.to_markdown()
    assert md.startswith("# ") and "CUS.ENG.1" in md and "Initiating" in md and "Khởi tạo" in md
    en = rubric.to_markdown("en")
    assert "Less than 20%" in en and "Ít hơn 20%" not in en


def test_descriptor_errors():
    rubric = dxlab.load_rubric("mobifone-dx")
    with pytest.raises(KeyError, match="CUS.XXX"):
        rubric.descriptor("CUS.XXX", 1)
    with pytest.raises(KeyError, match="no descriptor for level 9"):
        rubric.descriptor("CUS.ENG.1", 9)
    with pytest.raises(ValueError, match="'vi', 'en'"):
        rubric.descriptor("CUS.ENG.1", 1, lang="fr")
    with pytest.raises(KeyError, match="group, not a criterion"):
        rubric.criterion("CUS.ENG")


def test_shipped_yaml_files_are_packaged():
    folder = ROOT / "dxlab" / "rubric" / "data"
    assert {p.stem for p in folder.glob("*.yaml")} >= set(SHIPPED)
    for path in folder.glob("*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["id"] == path.stem
