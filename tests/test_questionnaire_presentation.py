"""The notebook questionnaire's presentation: texts from the catalogue in both languages, red marks that clear
when the criterion is answered, no fixed widths (it fits a 390 px phone), numbers in the language's style, and
an overall level below some dimensions' levels explained."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest

import dxlab
from dxlab._i18n import tr
from dxlab.questionnaire import Questionnaire, ResponseStore
from dxlab.questionnaire._result import Result, compute_result, level_note, render_html
from dxlab.questionnaire._validate import Problem, Submission, SubmissionError, validate_submission

RUBRIC = dxlab.load_rubric("mobifone-dx")


@pytest.fixture()
def form(tmp_path: Path) -> Questionnaire:
    return Questionnaire(RUBRIC, store=ResponseStore(tmp_path / "c.sqlite"), dimensions=["CUS"], wave="2026")


def _all_widgets(root: widgets.Widget) -> list[widgets.Widget]:
    out, todo = [], [root]
    while todo:
        w = todo.pop()
        out.append(w)
        todo += list(getattr(w, "children", ()))
    return out


def _marked(q: Questionnaire) -> list[str]:
    return [c for c, item in q.items.items() if "dxlab-error" in item.box._dom_classes]


def test_not_answered_marks_clear_as_each_criterion_is_answered(form):
    form.fill(sector="J", size="small")
    assert form.submit() is None
    assert _marked(form) == list(form.items) and "dxlab-msg-error" in form.status.value
    first, second, *rest = list(form.items)
    form.items[first].choice.value = 3
    assert first not in _marked(form) and _marked(form) == [second, *rest]
    assert form.items[first].message.value == ""
    assert tr("questionnaire.problem_required", "vi", id=first) not in form.status.value
    assert tr("questionnaire.problem_required", "vi", id=second) in form.status.value
    percent_item = next(i for i in form.items.values() if i.percent is not None and i.criterion.id in rest)
    percent_item.percent.value = "45"  # a typed percentage answers the criterion too
    assert percent_item.criterion.id not in _marked(form)
    for crit_id in _marked(form):
        form.items[crit_id].choice.value = 2
    assert _marked(form) == [] and form.status.value == ""  # nothing left to fix: the red banner goes


def test_missing_respondent_fields_clear_when_filled(form):
    form.fill({c: 3 for c in form.items})
    assert form.submit() is None
    assert {p.field for p in form.problems} == {"sector", "size"}
    form.sector.value = "G"
    assert {p.field for p in form.problems} == {"size"}
    assert tr("questionnaire.field_sector", "vi") not in form.status.value
    form.size.value = "micro"
    assert form.problems == () and form.status.value == ""
    assert form.submit() is not None


def test_no_fixed_widths_so_the_form_fits_a_phone(form):
    fixed = []
    for w in _all_widgets(form.widget):
        layout = getattr(w, "layout", None)
        if layout is not None and layout.width and str(layout.width).endswith("px"):
            fixed.append((type(w).__name__, layout.width))
        style = getattr(w, "style", None)
        if style is not None and str(getattr(style, "description_width", "")).endswith("px"):
            fixed.append((type(w).__name__, "description_width", style.description_width))
        if style is not None and str(getattr(style, "button_width", "")).endswith("px"):
            fixed.append((type(w).__name__, "button_width", style.button_width))
    assert fixed == []
    assert form.code.layout.width == "100%" and form.code.layout.max_width == "560px"
    css = form.widget.children[0].value
    assert "flex-wrap: wrap" in css and "max-width: 100%" in css


def test_texts_come_from_the_catalogue_in_both_languages(form):
    assert form.submit_button.description == tr("questionnaire.submit", "vi") == "Nộp bài"
    assert form.page_title == "Tự đánh giá mức độ chuyển đổi số" and form.loading_text.startswith("Đang tải")
    assert form.role.options[0] == tr("questionnaire.role_director", "vi")
    form.set_lang("en")
    assert form.submit_button.description == "Submit" and form.page_title.startswith("Digital transformation")
    assert form.loading_text == "Loading the questionnaire…"
    assert form.sector.options[8] == ("H — Transportation and storage", "H")
    assert form.size.options[1] == ("Micro", "micro")


def test_default_language_follows_dxlab_lang(tmp_path, monkeypatch):
    monkeypatch.setenv("DXLAB_LANG", "en")
    q = Questionnaire(RUBRIC, store=ResponseStore(tmp_path / "c.sqlite"), dimensions=["CUS"])
    assert q.lang == "en" and q.submit_button.description == "Submit"


def test_problem_messages_in_both_languages():
    problem = Problem("size", "required_field")
    assert problem.text("vi") == "Chưa điền: Quy mô." and problem.text("en") == "Missing: Size."
    comment = Problem("CUS.ENG.1", "too_long", (("limit", 2000), ("subject", "comment")))
    assert comment.text("en") == "Comment (CUS.ENG.1) is longer than 2000 characters."
    with pytest.raises(SubmissionError) as caught:
        validate_submission(Submission("mobifone-dx", sector="Z", size="huge"), RUBRIC, required=[])
    assert "Ngành Z không có trong VSIC 2018 (A–U)." in caught.value.messages("vi")
    assert "Size must be one of: micro, small, medium, large." in caught.value.messages("en")


def _result(score: float, level: int, dim_levels: list[int]) -> Result:
    dims = pd.DataFrame({"dimension": [f"D{i}" for i in range(len(dim_levels))],
                         "title_vi": "Khía cạnh", "title_en": "Dimension",
                         "score": [lv + 0.1 for lv in dim_levels], "level": dim_levels})
    steps = pd.DataFrame(columns=["criterion", "current", "next_level", "text", "next_label", "next_step",
                                  "text_en", "next_label_en", "next_step_en"])
    return Result(score, level, dims, steps, 4)


def test_an_overall_level_below_its_dimensions_is_explained():
    result = _result(2.99, 2, [3, 3, 3, 3])
    note = level_note(result, "vi")
    assert "2,99" in note and "chưa tới 3" in note and "4 khía cạnh" in note
    assert "2.99" in level_note(result, "en") and "4 dimension(s) score 3 or more" in level_note(result, "en")
    page = render_html(result, RUBRIC, "vi")
    assert "dxlab-level-note" in page and "2,99" in page
    assert level_note(_result(3.2, 3, [3, 3]), "vi") == ""  # nothing to explain
    assert "dxlab-level-note" not in render_html(_result(3.2, 3, [3, 3]), RUBRIC, "vi")


def test_numbers_follow_the_language():
    levels = {c: 3 for c in RUBRIC.criterion_ids}
    levels[RUBRIC.criterion_ids[0]] = 4
    result = compute_result(RUBRIC, levels)
    vi, en = render_html(result, RUBRIC, "vi"), render_html(result, RUBRIC, "en")
    shown = f"{result.overall_score:.2f}"
    assert shown.replace(".", ",") in vi and shown in en
    assert "Mức chung" in vi and "Overall level" in en


def test_a_percentage_in_a_message_follows_the_language():
    band = Problem("CUS.ENG.3", "band", (("id", "CUS.ENG.3"), ("percent", 45.5), ("expected", 2), ("value", 4)))
    assert band.text("vi") == "Tiêu chí CUS.ENG.3: 45,5 % thuộc mức 2, không phải mức 4."
    assert band.text("en") == "Criterion CUS.ENG.3: 45.5% falls in level 2, not level 4."
    whole = Problem("CUS.ENG.3", "band", (("id", "CUS.ENG.3"), ("percent", 45.0), ("expected", 2), ("value", 4)))
    assert "45 %" in whole.text("vi")


def test_class_summary_page_writes_numbers_in_the_language(tmp_path):
    from dxlab.questionnaire import classroom
    from dxlab.sample import synthetic_responses

    frame = synthetic_responses("mobifone-dx", n=12, seed=3)
    vi = classroom.summary(frame, "mobifone-dx", lang="vi")._repr_html_()
    en = classroom.summary(frame, "mobifone-dx", lang="en")._repr_html_()
    mean = classroom.summary(frame, "mobifone-dx", lang="en").dimensions["mean"].iloc[0]
    assert f"{mean:.2f}".replace(".", ",") in vi and f"{mean:.2f}" in en
    assert "Kết quả của lớp" in vi and "Class results" in en
