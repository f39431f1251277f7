"""The ipywidgets editors, driven from Python: set widget values, click buttons, read ``value``."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

pytest.importorskip("ipywidgets", reason="the editors need ipywidgets (pip install 'dxlab[notebooks]')")
import ipywidgets as widgets  # noqa: E402

from dxlab import cx  # noqa: E402

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_stakeholder_editor_adds_updates_removes_and_saves(tmp_path):
    path = tmp_path / "work" / "stakeholders.yaml"
    editor = cx.StakeholderMap.editor(path=path, preview=False)
    assert isinstance(editor, widgets.VBox) and editor.value == cx.StakeholderMap()
    seen = []
    editor.observe(lambda change: seen.append(change["new"]), "value")
    c = editor.controls
    c["title"].value = "Chuỗi đặc sản"
    c["name"].value, c["role"].value, c["support"].value, c["influence"].value = "Giám đốc", "CEO", 8, 9
    c["add"].click()
    c["name"].value, c["support"].value, c["influence"].value = "Kế toán", 3, 7
    c["add"].click()
    assert editor.value.names == ("Giám đốc", "Kế toán")
    assert editor.value.title == "Chuỗi đặc sản"
    assert editor.value["Kế toán"].quadrant == "defend"
    assert len(seen) == 2 and seen[-1] == editor.value
    assert c["pick"].options == ("Giám đốc", "Kế toán")
    # picking a stakeholder loads it into the form; changing a score and adding updates it in place
    c["pick"].value = "Giám đốc"
    assert (c["name"].value, c["role"].value, c["support"].value) == ("Giám đốc", "CEO", 8.0)
    c["influence"].value = 4
    c["add"].click()
    assert editor.value["Giám đốc"].quadrant == "collaborate" and len(editor.value) == 2
    c["pick"].value = "Kế toán"
    c["remove"].click()
    assert editor.value.names == ("Giám đốc",)
    c["save"].click()
    assert cx.StakeholderMap.load(path) == editor.value
    assert "Đã lưu vào" in editor.message.value
    assert "Giám đốc" in editor.view.value  # the HTML table of the current map


def test_invalid_input_shows_an_escaped_message_and_keeps_the_value():
    editor = cx.StakeholderMap([cx.Stakeholder("A", 1, 1)]).editor(preview=False, lang="en")
    before = editor.value
    editor.controls["name"].value = "  "
    editor.controls["add"].click()
    assert editor.value is before
    assert "Not valid: name is empty" in editor.message.value
    editor.controls["name"].value = "a"  # a duplicate only by case: replaces A
    editor.controls["add"].click()
    assert editor.value.names == ("a",)
    editor.controls["remove"].click()  # nothing picked
    assert "Pick someone to remove" in editor.message.value
    whys = cx.FiveWhys.editor(preview=False)
    whys.controls["problem"].value = SCRIPT
    whys.controls["apply"].click()  # no steps: an empty chain
    assert "empty" in whys.message.value
    assert "<script>" not in whys.message.value and "&lt;script&gt;" in whys.message.value


def test_save_without_path_or_value_says_so():
    editor = cx.Persona.editor(preview=False, lang="en")
    assert editor.controls["save"].disabled
    assert editor.save() is None and "No path" in editor.message.value


def test_save_before_anything_is_valid(tmp_path):
    editor = cx.Persona.editor(preview=False, path=tmp_path / "p.yaml")
    assert editor.value is None
    assert editor.save() is None and "Chưa có gì để lưu" in editor.message.value
    assert not (tmp_path / "p.yaml").exists()


def test_persona_editor(tmp_path):
    editor = cx.Persona.editor(preview=False, path=tmp_path / "p.json")
    c = editor.controls
    c["name"].value, c["quote"].value = "Chị Hạnh", "Lần nào cũng phải gửi lại địa chỉ"
    c["demographics"].value = "Tuổi: 38\n\nNơi sống: TP. Hồ Chí Minh\n"
    c["needs"].value = "Đặt nhanh\n  \nBiết phí giao"
    c["apply"].click()
    assert editor.value.demographics == (("Tuổi", "38"), ("Nơi sống", "TP. Hồ Chí Minh"))
    assert editor.value.needs == ("Đặt nhanh", "Biết phí giao")
    c["demographics"].value = "Tuổi 38"
    c["apply"].click()
    assert "dòng 1" in editor.message.value and editor.value.demographics[0] == ("Tuổi", "38")
    c["save"].click()
    assert cx.Persona.load(tmp_path / "p.json") == editor.value
    again = editor.value.editor(preview=False)  # an editor on an existing persona starts from it
    assert again.controls["demographics"].value == "Tuổi: 38\nNơi sống: TP. Hồ Chí Minh"


def test_empathy_editor_with_preview():
    editor = cx.EmpathyMap("Chị Hạnh", says=["a"]).editor()
    assert editor.controls["says"].value == "a"
    editor.controls["feels"].value = "Sốt ruột\nYên tâm"
    editor.controls["apply"].click()
    assert editor.value.feels == ("Sốt ruột", "Yên tâm") and editor.value.says == ("a",)
    assert "Sốt ruột" in editor.view.value
    assert not plt.get_fignums()  # the preview figure is closed after display


def test_journey_editor():
    editor = cx.JourneyMap(stages="kotler").editor(preview=False, lang="en")
    c = editor.controls
    assert [value for _, value in c["stage"].options] == ["Aware", "Appeal", "Ask", "Act", "Advocate"]
    c["stage"].value, c["name"].value, c["emotion"].value = "Ask", "Hotline", -2
    c["pain_points"].value = "Chờ lâu\nPhải nhắc lại"
    c["criteria"].value = "CUS.ENG.3; CUS.EXP.1"
    c["add"].click()
    point = editor.value.touchpoints[0]
    assert (point.stage, point.name, point.emotion) == ("Ask", "Hotline", -2)
    assert point.pain_points == ("Chờ lâu", "Phải nhắc lại") and point.criteria == ("CUS.ENG.3", "CUS.EXP.1")
    c["name"].value, c["emotion"].value, c["pain_points"].value, c["criteria"].value = "App", 1, "", ""
    c["add"].click()
    c["pick"].value = ("Ask", "Hotline")
    assert c["emotion"].value == -2 and c["criteria"].value == "CUS.ENG.3, CUS.EXP.1"
    c["remove"].click()
    assert [p.name for p in editor.value.touchpoints] == ["App"]
    c["criteria"].value = "cus.eng.3"
    c["add"].click()
    assert "is not a criterion id" in editor.message.value


def test_whys_editor_rows_and_gaps():
    editor = cx.FiveWhys.editor(preview=False)
    c = editor.controls
    c["problem"].value = "Khách phải gửi lại địa chỉ"
    c["answer_1"].value, c["evidence_1"].value = "Không thấy lịch sử", "17/20 cuộc chat"
    c["answer_3"].value = "Không ai phụ trách"
    c["apply"].click()
    assert editor.value is None and "Bước 2" in editor.message.value
    c["answer_2"].value = "Chép tay vào Excel"
    c["more"].click()
    c["answer_6"].value = "Bước sáu"
    c["criteria"].value = "CUS.ENG.1"
    c["apply"].click()
    assert editor.value is None and "Bước 4" in editor.message.value  # rows 4 and 5 left empty before row 6
    c["answer_4"].value, c["answer_5"].value = "Bốn", "Năm"
    c["apply"].click()
    assert [s.answer for s in editor.value.steps] == ["Không thấy lịch sử", "Chép tay vào Excel", "Không ai phụ trách",
                                                      "Bốn", "Năm", "Bước sáu"]
    assert editor.value.steps[0].evidence == "17/20 cuộc chat" and editor.value.criteria == ("CUS.ENG.1",)


def test_whys_editor_takes_rows_in_order():
    editor = cx.FiveWhys("P", ["a", "b", "c", "d", "e", "f"]).editor(preview=False)
    assert editor.controls["answer_6"].value == "f"  # one row per existing step, even past five
    editor.controls["answer_6"].value = ""
    editor.controls["apply"].click()
    assert [s.answer for s in editor.value.steps] == ["a", "b", "c", "d", "e"]


def test_hypothesis_editor():
    editor = cx.Hypothesis.editor(preview=False, lang="en")
    c = editor.controls
    c["we_believe"].value, c["will_solve"].value, c["enabled_by"].value = "a", "b", "c"
    c["apply"].click()
    assert editor.value is None and "resulting_in is empty" in editor.message.value
    c["resulting_in"].value, c["criteria"].value = "d", "CUS.ENG.1, CUS.EXP.2"
    c["apply"].click()
    assert editor.value == cx.Hypothesis("a", "b", "c", "d", criteria=["CUS.ENG.1", "CUS.EXP.2"])


def test_connected_editor():
    editor = cx.ConnectedProfile.editor()  # with the bar chart preview
    c = editor.controls
    assert all(c[q].value is None for q in cx.QUESTIONS)
    c["offering"].value = "Hộp quà"
    c["respond_to_desire.1"].value, c["respond_to_desire.2"].value = 4, 2
    c["coach_behaviour.1"].value = 0
    c["apply"].click()
    assert editor.value.answer_map == {"respond_to_desire.1": 4, "respond_to_desire.2": 2, "coach_behaviour.1": 0}
    assert editor.value.primary == "respond_to_desire"
    again = editor.value.editor(preview=False)
    assert again.controls["respond_to_desire.2"].value == 2 and again.controls["curated_offering.1"].value is None


def test_the_records_do_not_need_ipywidgets():
    import subprocess
    import sys

    code = ("import sys; sys.modules['ipywidgets'] = None\n"  # makes `import ipywidgets` fail
            "from dxlab import cx\n"
            "m = cx.StakeholderMap([cx.Stakeholder('A', 5, 5)])\n"
            "assert m.table().loc[0, 'quadrant'] == 'participate'\n"
            "try:\n    m.editor()\nexcept ImportError as exc:\n    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "the dxlab.cx editors need ipywidgets: pip install 'dxlab[notebooks]'" in result.stdout
