"""Drive the questionnaire's widgets as a respondent would: set values, click, read what is stored and shown."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import pytest

import dxlab
from dxlab.questionnaire import Questionnaire, ResponseStore

from .conftest import rubric_dict, write_rubric

RUBRIC = dxlab.load_rubric("mobifone-dx")
CUS = [c for c in RUBRIC.criterion_ids if c.startswith("CUS.")]
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture()
def store(tmp_path: Path) -> ResponseStore:
    return ResponseStore(tmp_path / "class.sqlite")


@pytest.fixture()
def form(store) -> Questionnaire:
    return Questionnaire(RUBRIC, store=store, dimensions=["CUS"], wave="2026")


def answer_like_a_person(q: Questionnaire) -> None:
    """Code, fields, three levels clicked, two percentages typed, one comment."""
    q.code.value = "nhom1"
    q.name.value = "Công ty Mây Xanh"
    q.sector.value = "J"
    q.size.value = "small"
    q.province.value = "Đà Nẵng"
    q.role.value = "Sinh viên"
    q.items["CUS.ENG.1"].choice.value = 2
    q.items["CUS.ENG.2"].choice.value = 3
    q.items["CUS.ENG.3"].percent.value = "45%"
    q.items["CUS.EXP.1"].percent.value = "85"
    q.items["CUS.EXP.2"].choice.value = 4
    q.items["CUS.EXP.2"].comment.value = "Danh mục mới\ncó đối tác"


def test_choices_are_the_level_descriptors(form):
    assert list(form.items) == CUS
    for crit_id, item in form.items.items():
        labels = [label for label, _ in item.choice.options]
        values = [value for _, value in item.choice.options]
        assert values == [1, 2, 3, 4, 5]
        for level, label in zip(values, labels):
            assert RUBRIC.descriptor(crit_id, level, "vi") in label
            assert RUBRIC.level_label(level, "vi") in label
        assert item.choice.value is None
        has_percent = RUBRIC.criterion(crit_id).answer == "percent_band"
        assert (item.percent is not None) == has_percent


def test_respondent_fields_offer_vsic_sections_and_sizes(form):
    sector_values = [v for _, v in form.sector.options]
    assert sector_values == ["", *"ABCDEFGHIJKLMNOPQRSTU"]
    assert dict((v, label) for label, v in form.sector.options)["J"] == "J — Thông tin và truyền thông"
    assert [label for label, v in form.size.options if v] == ["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn"]
    assert "Hà Nội" in form.province.options and not form.province.ensure_option


def test_progress_follows_the_answers(form):
    assert (form.progress.value, form.progress.max) == (0, 5)
    form.items["CUS.ENG.1"].choice.value = 3
    form.items["CUS.EXP.1"].percent.value = "30"
    assert form.progress.value == 2
    assert form.progress_label.value == "Đã trả lời 2/5 tiêu chí"
    form.items["CUS.ENG.1"].choice.value = None
    assert form.progress.value == 1


def test_percentage_selects_its_band_and_a_hand_choice_wins(form):
    item = form.items["CUS.ENG.3"]
    item.percent.value = "65%"
    assert item.choice.value == 4 and "4" in item.percent_note.value
    item.choice.value = 2  # the respondent changes their mind: the disagreeing percentage goes
    assert item.percent.value == ""
    item.percent.value = "abc"
    assert "dxlab-msg-error" in item.percent_note.value and item.choice.value == 2
    assert form.answers()["CUS.ENG.3"].level == 2


def test_submit_with_gaps_lists_every_problem_and_stores_nothing(form, store):
    form.items["CUS.ENG.1"].choice.value = 3
    form.items["CUS.ENG.3"].percent.value = "abc"
    form.submit_button.click()
    assert len(store) == 0 and form.receipt is None and form.result is None
    fields = [p.field for p in form.problems]
    assert fields == ["sector", "size", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2"]
    assert "Chưa nộp được" in form.status.value
    assert "Chưa điền: Quy mô." in form.status.value
    assert "dxlab-error" in form.items["CUS.ENG.2"].box._dom_classes
    assert "dxlab-error" not in form.items["CUS.ENG.1"].box._dom_classes
    assert "tỷ lệ phần trăm" in form.items["CUS.ENG.3"].message.value and "(nhận được abc)" in form.status.value


def test_submit_stores_and_shows_the_result(form, store):
    answer_like_a_person(form)
    form.submit_button.click()
    assert form.problems == ()
    frame = store.to_frame(RUBRIC)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["enterprise_id"], row["version"], row["wave"], row["sector"], row["size"]) == \
        ("NHOM1", 1, "2026", "J", "small")
    assert (row["enterprise_name"], row["province"], row["respondent_role"]) == \
        ("Công ty Mây Xanh", "Đà Nẵng", "Sinh viên")
    assert [row[c] for c in CUS] == [2, 3, 3, 5, 4]  # 45 % → level 3, 85 % → level 5
    assert (row["percent.CUS.ENG.3"], row["percent.CUS.EXP.1"]) == (45.0, 85.0)
    assert row["comment.CUS.EXP.2"] == "Danh mục mới\ncó đối tác"

    # By hand: ENG = (2 + 3 + 3) / 3 = 2.667, EXP = (5 + 4) / 2 = 4.5, CUS = overall = 3.583 → level 3.
    overall = (8 / 3 + 4.5) / 2
    assert form.result.overall_score == pytest.approx(overall)
    assert form.result.overall_level == 3
    shown = form.result_html.value
    assert "3 · Hình thành</b> (điểm 3,58 / 5)" in shown
    assert "NHOM1" in form.status.value and "phiên bản 1" in form.status.value
    # Next steps toward level 4, largest gap first: ENG.1 (2 → 4), then ENG.2 and ENG.3 (3 → 4).
    assert form.result.steps["criterion"].tolist() == ["CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3"]
    assert html.escape(RUBRIC.descriptor("CUS.ENG.1", 3, "vi")) in shown
    assert bytes(form.result_image.value).startswith(PNG) and form.result_image.layout.display is None


def test_language_toggle_keeps_answers_and_relabels(form):
    answer_like_a_person(form)
    form.submit_button.click()
    before = form.answers()
    form.lang_toggle.value = "en"
    assert form.lang == "en"
    assert form.answers() == before
    assert (form.sector.value, form.size.value) == ("J", "small")
    assert dict((v, label) for label, v in form.size.options)["small"] == "Small"
    label = dict((v, lab) for lab, v in form.items["CUS.ENG.1"].choice.options)[2]
    assert RUBRIC.descriptor("CUS.ENG.1", 2, "en") in label
    assert form.submit_button.description == "Submit"
    assert "Your code" in form.status.value
    assert "3 · Forming</b> (score 3.58 / 5)" in form.result_html.value
    form.set_lang("vi")
    assert form.lang_toggle.value == "vi" and form.answers() == before


def test_resume_loads_the_last_answers_and_saves_a_new_version(form, store, tmp_path):
    answer_like_a_person(form)
    form.submit()
    again = Questionnaire(RUBRIC, store=store, dimensions=["CUS"])
    again.code.value = "Nhom1"
    again.load_button.click()
    assert "phiên bản 1" in again.status.value
    assert again.answers() == form.answers()
    assert (again.name.value, again.sector.value, again.size.value, again.role.value) == \
        ("Công ty Mây Xanh", "J", "small", "Sinh viên")
    assert again.items["CUS.ENG.3"].percent.value == "45"
    again.items["CUS.ENG.1"].choice.value = 5
    receipt = again.submit()
    assert (receipt.enterprise_id, receipt.version) == ("NHOM1", 2)
    every = store.to_frame(RUBRIC, latest_only=False)
    assert every["version"].tolist() == [1, 2]
    assert every["CUS.ENG.1"].tolist() == [2, 5]
    assert store.to_frame(RUBRIC)["CUS.ENG.1"].tolist() == [5]


def test_load_unknown_code(form):
    assert form.load("KHONG-CO") is False
    assert "Không tìm thấy" in form.status.value
    assert form.load("") is False
    assert "Hãy nhập mã" in form.status.value


def test_a_new_respondent_gets_a_code_to_keep(form, store):
    answer_like_a_person(form)
    form.code.value = ""
    receipt = form.submit()
    assert len(receipt.enterprise_id) == 6
    assert form.code.value == receipt.enterprise_id  # the next submit is a new version of the same code
    assert form.submit().version == 2


def test_fill_is_the_programmatic_respondent(form):
    form.fill({"CUS.ENG.1": 1, "CUS.ENG.2": 2, "CUS.ENG.3": 70.0, "CUS.EXP.1": "10%", "CUS.EXP.2": 5},
              sector="C", size="large")
    assert [form.items[c].choice.value for c in CUS] == [1, 2, 4, 1, 5]
    with pytest.raises(ValueError, match="not a criterion"):
        form.fill({"STR.VIS.1": 3})
    with pytest.raises(ValueError, match="takes a level"):
        form.fill({"CUS.ENG.1": "50%"})
    with pytest.raises(ValueError, match="not a choice"):
        form.fill({"CUS.ENG.1": 9})
    with pytest.raises(ValueError, match="VSIC"):
        form.fill(sector="Z")


def test_a_failing_store_keeps_the_answers(form, store, monkeypatch):
    answer_like_a_person(form)

    def broken(submission):
        raise OSError("disk full")

    monkeypatch.setattr(store, "submit", broken)
    assert form.submit() is None
    assert "Không lưu được" in form.status.value and "OSError" in form.status.value
    assert form.answers()["CUS.ENG.1"].level == 2
    assert not form.submit_button.disabled


def test_whole_rubric_and_yes_no_criteria(tmp_path, store):
    rubric = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict([{
        "id": "AAA", "title": {"vi": "Một", "en": "One"}, "groups": [{"id": "AAA.G", "title": "G", "criteria": [
            {"id": "AAA.G.1", "provenance": "drafted", "answer": "yes_no", "text": "Có website?",
             "levels": {1: "Chưa có", 5: "Đã có"}},
            {"id": "AAA.G.2", "provenance": "drafted", "text": "Hai",
             "levels": {v: f"mô tả {v} <b>" for v in range(1, 6)}}]}]}])))
    q = Questionnaire(rubric, store=store)
    assert q.items["AAA.G.1"].choice.options == (("Có", 5), ("Không", 1))
    q.fill({"AAA.G.1": 5, "AAA.G.2": 1}, sector="A", size="micro")
    assert q.submit().version == 1
    # By hand: group mean (5 + 1) / 2 = 3 → level 3.
    assert q.result.overall_level == 3 and q.result.overall_score == pytest.approx(3.0)
    assert "mô tả 2 &lt;b&gt;" in q.result_html.value  # rubric text is escaped in the result


def test_constructor_checks(store):
    with pytest.raises(ValueError, match="dimensions"):
        Questionnaire(RUBRIC, store=store, dimensions=["XYZ"])
    with pytest.raises(ValueError, match="lang"):
        Questionnaire(RUBRIC, store=store, lang="fr")
    with pytest.raises(ValueError, match="target"):
        Questionnaire(RUBRIC, store=store, target=7)
    full = Questionnaire(RUBRIC, store=store.path)
    assert list(full.items) == list(RUBRIC.criterion_ids)
    assert full.store.path == store.path


def test_displays_as_a_widget(form):
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert isinstance(form.widget, widgets.VBox) and "dxlab-q" in form.widget._dom_classes


def test_typed_text_is_escaped_in_messages(form):
    form.items["CUS.EXP.1"].percent.value = "<img src=x>"
    form.submit()
    shown = form.status.value + form.items["CUS.EXP.1"].message.value
    assert "&lt;img src=x&gt;" in shown and "<img" not in shown
