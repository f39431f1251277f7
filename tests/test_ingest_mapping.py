"""Column mapping: explicit files win, automatic matching by id, text and metadata names, and nothing
ambiguous is applied silently."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pytest
import yaml

import dxlab
from dxlab._text import strip_diacritics
from dxlab.cli import main as cli_main
from dxlab.ingest import read_export, suggest_mapping
from dxlab.ingest._formats import SourceColumn
from dxlab.ingest._mapping import APPLY_AT, SUGGEST_AT, match_columns, read_mapping_file


@pytest.fixture(scope="module")
def rubric():
    return dxlab.load_rubric("mobifone-dx")


def cols(*headers: str) -> list[SourceColumn]:
    return [SourceColumn(name=h, header=h, letter=chr(65 + i)) for i, h in enumerate(headers)]


def targets(mapping) -> dict[str, str | None]:
    return {m.column: m.target for m in mapping.matches}


def test_criterion_id_in_header(rubric):
    m = match_columns(cols("[CUS.ENG.1] anything", "CUS.ENG.2 - Content", "grp/cus_exp_1", "Q9 (CUS.EXP.2)"), rubric)
    assert targets(m) == {"[CUS.ENG.1] anything": "CUS.ENG.1", "CUS.ENG.2 - Content": "CUS.ENG.2",
                          "grp/cus_exp_1": "CUS.EXP.1", "Q9 (CUS.EXP.2)": "CUS.EXP.2"}
    assert {x.how for x in m.matches} == {"criterion id in header"} and {x.confidence for x in m.matches} == {1.0}


def test_criterion_text_any_spelling(rubric):
    text = rubric.criterion("CUS.ENG.1").text.vi
    spellings = [
        f"1. {text}",                                        # numbered
        f"Câu 7: {text.upper()}",                            # case
        strip_diacritics(text),                              # no tone marks
        unicodedata.normalize("NFD", text) + " ?",           # NFD + punctuation
        f"Đánh giá mức độ [{text}]",                         # Google grid row
        f"{text} (chọn một đáp án) *",                       # hint and required star
        rubric.criterion("CUS.ENG.1").text.en,               # English
    ]
    for spelling in spellings:
        m = match_columns(cols(spelling), rubric)
        assert m.matches[0].target == "CUS.ENG.1", spelling
        assert m.matches[0].confidence >= APPLY_AT


def test_every_criterion_text_maps_to_its_own_id_in_one_export(rubric):
    """All criteria of the rubric at once, numbered, Vietnamese then English: each column finds its own id."""
    ids = list(rubric.criterion_ids)
    for language in ("vi", "en"):
        headers = [f"{i + 1}. {getattr(rubric.criterion(c).text, language)}" for i, c in enumerate(ids)]
        m = match_columns(cols(*headers), rubric)
        assert [x.target for x in m.matches] == ids, language
        assert m.ambiguous == [] and m.unmapped == []


def test_metadata_headers_vietnamese_and_english(rubric):
    m = match_columns(cols("Dấu thời gian", "Địa chỉ email", "Mã số thuế", "Tên doanh nghiệp", "Tỉnh/Thành phố",
                           "Lĩnh vực hoạt động", "Quy mô doanh nghiệp", "Số lao động", "Chức vụ", "Đợt khảo sát",
                           "Company size", "Industry", "Ghi chú"), rubric)
    assert targets(m) == {
        "Dấu thời gian": "submitted_at", "Địa chỉ email": "email", "Mã số thuế": "enterprise_id",
        "Tên doanh nghiệp": "enterprise_name", "Tỉnh/Thành phố": "province", "Lĩnh vực hoạt động": "sector",
        "Quy mô doanh nghiệp": "size", "Số lao động": "employees", "Chức vụ": "respondent_role",
        "Đợt khảo sát": "wave", "Company size": None, "Industry": None, "Ghi chú": None}
    # Two columns for size and for sector: the better-ranked header name wins, the other is reported.
    loser = next(x for x in m.matches if x.column == "Company size")
    assert loser.how == "also matches" and loser.candidates == ("size",)
    assert "Quy mô doanh nghiệp" in loser.note


def test_equal_claims_are_ambiguous_and_not_applied(rubric):
    text = rubric.criterion("CUS.EXP.2").text.vi
    m = match_columns(cols(f"1. {text}", f"2. {text}"), rubric)
    assert [x.target for x in m.matches] == [None, None]
    assert [x.how for x in m.matches] == ["ambiguous", "ambiguous"]
    assert all(x.candidates == ("CUS.EXP.2",) for x in m.matches)
    assert m.ambiguous == [f"1. {text}", f"2. {text}"]


def test_weak_match_is_only_suggested(rubric):
    words = rubric.criterion("CUS.ENG.2").text.vi.split()
    partial = " ".join(words[: int(len(words) * 0.7)])  # a truncated question title
    m = match_columns(cols(partial), rubric)
    match = m.matches[0]
    # Close enough to suggest, not close enough to apply: the person decides in suggest-mapping's file.
    assert match.target is None and match.how == "weak match" and match.candidates[0] == "CUS.ENG.2"
    assert SUGGEST_AT <= match.confidence < APPLY_AT
    assert m.criteria == {} and m.unmapped == [partial]
    unrelated = match_columns(cols("Bạn có hài lòng với biểu mẫu này không?"), rubric).matches[0]
    assert unrelated.target is None and unrelated.how == "no match"


def test_explicit_yaml_wins(tmp_path, rubric):
    path = tmp_path / "m.yaml"
    path.write_text(yaml.safe_dump({"columns": [
        {"column": "Câu hỏi A", "to": "cus.eng.3"},        # ids are matched case-insensitively
        {"column": "Dấu thời gian", "to": None},           # explicitly unmapped
        {"column": "Cột không có", "to": "wave"},           # not in the export: reported
    ]}, allow_unicode=True), encoding="utf-8")
    m = match_columns(cols("Câu hỏi A", "Dấu thời gian", "Mã số thuế"), rubric, read_mapping_file(path, rubric))
    assert targets(m) == {"Câu hỏi A": "CUS.ENG.3", "Dấu thời gian": None, "Mã số thuế": "enterprise_id"}
    assert m.matches[0].how == "mapping file" and m.missing == ("Cột không có",)


def test_explicit_csv_and_dict_forms(tmp_path, rubric):
    path = tmp_path / "m.csv"
    pd.DataFrame({"column": ["X", "Y"], "to": ["CUS.EXP.1", "drop"]}).to_csv(path, index=False)
    assert read_mapping_file(path, rubric) == {"X": "CUS.EXP.1", "Y": "drop"}
    dict_file = tmp_path / "d.yaml"
    dict_file.write_text("X: CUS.EXP.1\nY: extra\n", encoding="utf-8")
    assert read_mapping_file(dict_file, rubric) == {"X": "CUS.EXP.1", "Y": "extra"}


def test_explicit_mapping_errors_name_the_problem(tmp_path, rubric):
    bad = tmp_path / "bad.yaml"
    bad.write_text("columns:\n  - column: X\n    to: CUS.ENG.9\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml, entry 1 \('X'\): 'CUS.ENG.9' is not a criterion"):
        read_mapping_file(bad, rubric)
    twice = {"X": "CUS.ENG.1", "Y": "CUS.ENG.1"}
    with pytest.raises(ValueError, match="both 'X' and 'Y'"):
        match_columns(cols("X", "Y"), rubric, twice)


def test_drop_and_extra_targets(tmp_path, rubric):
    path = tmp_path / "e.csv"
    path.write_text("Dấu thời gian,Ghi chú,Bí mật,1. " + rubric.criterion("CUS.ENG.1").text.vi + "\n"
                    "01/03/2026 10:00:00,xin chào,123,Mức 2\n", encoding="utf-8")
    result = read_export(path, rubric, mapping={"Bí mật": "drop", "Ghi chú": "extra"}, allow_partial=True)
    assert "Bí mật" not in result.responses.columns and "Ghi chú" in result.responses.columns
    assert result.mapping.unmapped == []
    assert result.responses.loc[0, "CUS.ENG.1"] == 2


def test_suggest_mapping_roundtrip(tmp_path, rubric):
    path = tmp_path / "e.csv"
    text = rubric.criterion("CUS.EXP.2").text.vi
    path.write_text(f"Timestamp,Email,{text},{text} (lần 2),Góp ý\n3/1/2026 10:00:00,a@b.example,3,4,ok\n",
                    encoding="utf-8")
    mapping = suggest_mapping(path, rubric)
    written = mapping.write(tmp_path / "m.yaml")
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    entries = {e["column"]: e for e in data["columns"]}
    assert entries["Timestamp"]["to"] == "submitted_at" and entries["Timestamp"]["confidence"] == 0.95
    assert entries["Góp ý"]["to"] is None
    # Two columns carry the criterion's text (the hint in parentheses does not count): neither is applied.
    for column in (text, f"{text} (lần 2)"):
        assert entries[column]["to"] is None and entries[column]["how"] == "ambiguous"
        assert entries[column]["suggest"] == ["CUS.EXP.2"]
    # The person decides in the file; the edited file is accepted back and applied.
    entries[f"{text} (lần 2)"]["to"] = "CUS.EXP.2"
    entries["Góp ý"]["to"] = "extra"
    written.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = read_export(path, rubric, mapping=written, allow_partial=True)
    assert result.mapping.criteria == {"CUS.EXP.2": f"{text} (lần 2)"}
    assert result.responses.loc[0, "CUS.EXP.2"] == 4
    assert result.mapping.unmapped == [text]


def test_suggest_mapping_cli(tmp_path, rubric, capsys):
    path = tmp_path / "e.csv"
    path.write_text("Dấu thời gian,Câu hỏi lạ\n01/03/2026 10:00:00,x\n", encoding="utf-8")
    out = tmp_path / "suggested.yaml"
    assert cli_main(["suggest-mapping", str(path), "--rubric", "mobifone-dx", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "1 of 2 columns mapped" in printed and "Câu hỏi lạ (no match)" in printed
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["columns"][0]["to"] == "submitted_at"
    assert cli_main(["suggest-mapping", str(path), "--rubric", "mobifone-dx"]) == 0
    assert (tmp_path / "e.mapping.yaml").exists()


def test_a_question_starting_with_doanh_nghiep_is_not_the_name_field():
    from dxlab.ingest._mapping import _metadata_hits, _key

    question = _key("Doanh nghiệp có chiến lược chuyển đổi số tổng thể, gắn với chiến lược kinh doanh")
    assert [h.target for h in _metadata_hits([question])] == []
    assert "enterprise_name" in [h.target for h in _metadata_hits([_key("Tên doanh nghiệp (ghi rõ tên)")])]


def test_suggested_mapping_lists_non_answer_codes_and_reads_them_back(tmp_path, rubric):
    path = tmp_path / "e.csv"
    path.write_text("Mã số thuế,[CUS.ENG.3]\n0100000001,Bỏ qua\n0100000002,Không áp dụng\n", encoding="utf-8")
    mapping = suggest_mapping(path, rubric, non_answers={"Bỏ qua": "dont_know"})
    text = mapping.to_yaml()
    for code in rubric.non_answers:
        assert f"#   {code.text}: {code.meaning}" in text or f"#   \"{code.text}\": {code.meaning}" in text
    assert "# 1 of the rubric's 31 criteria are mapped; fewer than half: read_export refuses" in text
    assert "# Reverse-keyed (scored min + max − answer): CPO.CUL.3" in text and "respondent_id" in text
    assert "# and CUS.ENG.3, CUS.EXP.1, OPS.AUT.1, CPO.SKL.1, DAT.GOV.2 also: Không áp dụng: not_applicable" in text
    data = yaml.safe_load(text)
    assert data["non_answers"] == {"Bỏ qua": "dont_know"} and data["rubric"] == "mobifone-dx"
    written = mapping.write(tmp_path / "m.yaml")
    result = read_export(path, rubric, mapping=written, allow_partial=True)
    assert result.nonresponse[["value", "code"]].values.tolist() == [["Bỏ qua", "dont_know"],
                                                                     ["Không áp dụng", "not_applicable"]]
    assert cli_main(["suggest-mapping", str(path), "--rubric", "mobifone-dx", "--out", str(tmp_path / "c.yaml")]) == 0
    assert "Không biết: dont_know" in (tmp_path / "c.yaml").read_text(encoding="utf-8")


def test_respondent_columns_map(rubric):
    m = match_columns(cols("Mã người trả lời", "Respondent ID", "Chức vụ", "Respondent code"), rubric)
    assert targets(m)["Mã người trả lời"] == "respondent_id" and targets(m)["Respondent ID"] == "response_id"
    assert targets(m)["Chức vụ"] == "respondent_role"
    assert read_mapping_file_target(rubric, "respondent_id") == "respondent_id"


def read_mapping_file_target(rubric, target):
    from dxlab.ingest._mapping import _check_target

    return _check_target(target, rubric, "test")
