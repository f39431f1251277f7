"""Five whys, hypotheses, the Markdown workshop sheet, loading by kind and the ``dxlab cx`` command."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import dxlab  # noqa: E402
from dxlab import cx  # noqa: E402
from dxlab.cx import FiveWhys, Hypothesis, WhyStep  # noqa: E402

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def chain() -> FiveWhys:
    return FiveWhys("Khách phải gửi lại địa chỉ mỗi lần đặt.", [
        WhyStep("Nhân viên không thấy lịch sử mua", "17/20 cuộc chat hỏi lại địa chỉ"),
        {"answer": "Đơn Zalo chép tay vào Excel", "evidence": "0/312 đơn có mã khách hàng"},
        "Chưa ai phụ trách dữ liệu khách hàng",
    ], criteria=["CUS.ENG.1", "CUS.EXP.1"])


def hypothesis() -> Hypothesis:
    return Hypothesis("khách quen đặt lại bằng một tin nhắn", "việc nhắc lại thông tin và gõ lại đơn",
                      "kết nối Zalo OA với phần mềm bán hàng", "thời gian xử lý đơn giảm một nửa.",
                      criteria=["CUS.ENG.1"], title="H1")


# -- five whys ----------------------------------------------------------------------------------------------
def test_empty_chain_is_rejected():
    with pytest.raises(ValueError, match="why-chain for 'P' is empty"):
        FiveWhys("P", [])
    with pytest.raises(ValueError, match="why-chain"):
        FiveWhys("P")
    with pytest.raises(ValueError, match="problem is empty"):
        FiveWhys(" ", ["a"])
    with pytest.raises(ValueError, match=r"steps\[1\]: answer is empty"):
        FiveWhys("P", ["a", {"answer": " ", "evidence": "x"}])
    with pytest.raises(ValueError, match=r"steps\[0\]: unknown key\(s\) 'because'"):
        FiveWhys("P", [{"because": "a"}])


def test_root_cause_evidence_and_questions():
    c = chain()
    assert c.root_cause == "Chưa ai phụ trách dữ liệu khách hàng"
    assert c.missing_evidence == (3,)
    table = c.table(lang="en")
    assert list(table.columns) == ["step", "question", "answer", "evidence"]
    assert table["question"].tolist() == ["Why: Khách phải gửi lại địa chỉ mỗi lần đặt?",
                                          "Why: Nhân viên không thấy lịch sử mua?",
                                          "Why: Đơn Zalo chép tay vào Excel?"]
    assert table["step"].tolist() == [1, 2, 3]


def test_sheet_flags_missing_evidence_and_takes_criteria_from_the_rubric():
    rubric = dxlab.load_rubric("mobifone-dx")
    md = chain().to_markdown(rubric=rubric)
    assert ("| 3 | Tại sao: Đơn Zalo chép tay vào Excel? | Chưa ai phụ trách dữ liệu khách hàng "
            "| ⚠ chưa có bằng chứng |") in md
    assert "**Nguyên nhân gốc rễ:** Chưa ai phụ trách dữ liệu khách hàng" in md
    assert f"- **CUS.ENG.1** — {rubric.criterion('CUS.ENG.1').text.vi}" in md
    md_en = chain().to_markdown("en", rubric=rubric)
    assert f"- **CUS.EXP.1** — {rubric.criterion('CUS.EXP.1').text.en}" in md_en and "no evidence yet" in md_en
    assert "- CUS.ENG.1" in chain().to_markdown()  # without a rubric: ids only


def test_whys_round_trip(tmp_path):
    c = chain()
    for suffix in (".yaml", ".json"):
        assert FiveWhys.load(c.save(tmp_path / f"w{suffix}")) == c
    assert cx.load(tmp_path / "w.yaml") == c


def test_whys_escaping():
    c = FiveWhys(SCRIPT, [WhyStep(SCRIPT, "a | b")])
    md = c.to_markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md and r"a \| b" in md
    assert "<script>" not in c.to_html() and "<script>" not in c._repr_markdown_()


# -- hypothesis ---------------------------------------------------------------------------------------------
def test_statement_in_both_languages():
    h = hypothesis()
    assert h.statement("vi") == ("Chúng tôi tin rằng khách quen đặt lại bằng một tin nhắn sẽ giải quyết việc nhắc "
                                 "lại thông tin và gõ lại đơn, nhờ có kết nối Zalo OA với phần mềm bán hàng, dẫn "
                                 "đến thời gian xử lý đơn giảm một nửa.")
    assert h.statement("en").startswith("We believe khách quen")
    assert " will solve " in h.statement("en") and ", enabled by " in h.statement("en")
    assert h.statement("en").endswith(", resulting in thời gian xử lý đơn giảm một nửa.")  # one full stop


def test_hypothesis_validation():
    with pytest.raises(ValueError, match="enabled_by is empty"):
        Hypothesis("a", "b", "", "d")
    with pytest.raises(ValueError, match=r"missing part\(s\) 'resulting_in'"):
        Hypothesis.from_dict({"we_believe": "a", "will_solve": "b", "enabled_by": "c"})
    with pytest.raises(ValueError, match="is not a criterion id"):
        Hypothesis("a", "b", "c", "d", criteria=["engagement"])


def test_hypothesis_round_trip_and_markdown(tmp_path):
    h = hypothesis()
    assert Hypothesis.load(h.save(tmp_path / "h.json")) == h
    md = h.to_markdown(rubric="mobifone-dx")
    assert md.startswith("## H1\n")
    assert "**Chúng tôi tin rằng** khách quen" in md and "**dẫn đến** thời gian" in md
    assert "**Tiêu chí sẽ cải thiện**" in md
    with pytest.raises(ValueError, match="not in rubric"):
        Hypothesis("a", "b", "c", "d", criteria=["XYZ.A.1"]).to_markdown(rubric="mobifone-dx")
    evil = Hypothesis(SCRIPT, "*b*", "c", "d")
    assert "<script>" not in evil.to_markdown() and r"\*b\*" in evil.to_markdown()
    assert "<script>" not in evil.to_html()


# -- the workshop sheet, loading by kind, the command ---------------------------------------------------------
def test_workshop_sheet_gathers_sections_in_order(tmp_path):
    people = cx.StakeholderMap([cx.Stakeholder("Giám đốc", 8, 9)])
    out = tmp_path / "sheet.md"
    text = cx.workshop_sheet([people, chain(), hypothesis()], title=f"Hội thảo {SCRIPT}", intro="Giới thiệu",
                             path=out)
    assert out.read_text(encoding="utf-8") == text
    assert text.startswith("# Hội thảo &lt;script&gt;")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Bản đồ các bên liên quan", "## 5 câu hỏi Tại sao: Khách phải gửi lại địa chỉ mỗi lần đặt.",
                        "## H1"]
    with pytest.raises(ValueError, match="not a CX record"):
        cx.workshop_sheet(["text"], lang="en")
    with pytest.raises(ValueError, match="không phải là một bản ghi CX"):
        cx.workshop_sheet(["text"])


def test_load_by_kind_errors(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("kind: mindmap\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.yaml: 'kind' is 'mindmap'; it must be one of 'stakeholder_map'"):
        cx.load(path)
    assert set(cx.KINDS) == {"stakeholder_map", "empathy_map", "persona", "journey_map", "five_whys", "hypothesis",
                             "connected_profile"}
    assert cx.from_dict(hypothesis().to_dict()) == hypothesis()


def test_cli_sheet_and_figure(tmp_path, capsys):
    from dxlab.cli import main

    people = cx.StakeholderMap([cx.Stakeholder("Giám đốc", 8, 9)]).save(tmp_path / "s.yaml")
    whys = chain().save(tmp_path / "w.json")
    assert main(["cx", "sheet", str(people), str(whys), "--lang", "en", "--title", "Demo"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Demo") and "## Stakeholder map" in printed and "## Five whys" in printed
    assert main(["cx", "sheet", str(whys), "--rubric", "none", "--out", str(tmp_path / "s.md")]) == 0
    assert "- CUS.ENG.1\n" in (tmp_path / "s.md").read_text(encoding="utf-8")
    assert main(["cx", "figure", str(people), "--out", str(tmp_path / "s.png"), "--dpi", "40"]) == 0
    assert (tmp_path / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["cx", "figure", str(whys), "--out", str(tmp_path / "w.png")]) == 2
    assert "không có hình" in capsys.readouterr().err  # Vietnamese by default
    assert main(["--lang", "en", "cx", "figure", str(whys), "--out", str(tmp_path / "w.png")]) == 2
    assert "has no figure" in capsys.readouterr().err
