"""Personas and empathy maps: validation, round trips, the one-page cards and escaping."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dxlab import cx  # noqa: E402
from dxlab.cx import EmpathyMap, Persona  # noqa: E402
from dxlab.cx._cards import fit, wrap  # noqa: E402

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def persona() -> Persona:
    return Persona("Chị Hạnh", quote="Lần nào cũng phải gửi lại địa chỉ.", segment="Khách mua quà",
                   demographics={"Tuổi": 38, "Nơi sống": "TP. Hồ Chí Minh"},
                   motives=["Quà biếu đúng chuẩn Đà Lạt"], needs=["Đặt nhanh", "Biết phí giao"],
                   pain_points=["Nhắc lại địa chỉ"])


def empathy() -> EmpathyMap:
    return EmpathyMap("Chị Hạnh", says=["Shop ơi, còn hộp quà không?"], thinks=["Sàn nhanh hơn"],
                      feels=["Sốt ruột", "Yên tâm về chất lượng"], does=["Nhắn Zalo rồi chờ"])


# -- validation ---------------------------------------------------------------------------------------------
def test_persona_validation():
    with pytest.raises(ValueError, match="name is empty"):
        Persona("  ")
    with pytest.raises(ValueError, match=r"needs\[0\] is empty"):
        Persona("A", needs=[""])
    with pytest.raises(ValueError, match="demographics repeats the label 'tuổi'"):
        Persona("A", demographics=[("Tuổi", 3), ("tuổi", 4)])
    with pytest.raises(ValueError, match=r"demographics\['Tuổi'\] is empty"):
        Persona("A", demographics={"Tuổi": ""})
    with pytest.raises(ValueError, match="demographics must be a mapping"):
        Persona("A", demographics=5)
    assert persona().demographics == (("Tuổi", "38"), ("Nơi sống", "TP. Hồ Chí Minh"))


def test_empathy_validation():
    with pytest.raises(ValueError, match="subject is empty"):
        EmpathyMap("")
    with pytest.raises(ValueError, match=r"feels\[1\] is empty"):
        EmpathyMap("A", feels=["x", "  "])
    with pytest.raises(ValueError, match="says must be a list of texts"):
        EmpathyMap("A", says={"a": 1})
    assert EmpathyMap("A").says == ()  # quadrants may be empty while the workshop fills them


# -- round trips --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trips(tmp_path, suffix):
    for record in (persona(), empathy()):
        path = record.save(tmp_path / f"{record.KIND}{suffix}")
        assert type(record).load(path) == record
        assert cx.load(path) == record
        assert type(record).from_dict(record.to_dict()) == record


def test_missing_required_field_in_file(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"kind": "persona", "quote": "x"}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"p\.json: 'name' is missing"):
        Persona.load(path)
    path.write_text('{"kind": "persona", "name": "x",\n "needs": [1, }', encoding="utf-8")
    with pytest.raises(ValueError, match=r"not valid JSON \(line 2, column \d+\)"):
        Persona.load(path)


# -- cards ------------------------------------------------------------------------------------------------
def _texts(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


def test_persona_card_is_one_a4_page_with_every_section():
    fig = persona().plot()
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches()) == pytest.approx((8.27, 11.69))
    text = _texts(fig)
    for expected in ("Chị Hạnh", "Khách mua quà", "“Lần nào cũng phải gửi lại địa chỉ.”", "Tuổi: 38",
                     "Nhân khẩu học", "Động lực", "Nhu cầu", "Điểm đau", "• Biết phí giao"):
        assert expected in text
    gids = {p.get_gid() for p in fig.findobj() if p.get_gid()}
    assert {"persona-demographics", "persona-motives", "persona-needs", "persona-pain_points"} <= gids


def test_persona_card_in_english_into_a_given_figure():
    fig = plt.figure(figsize=(8, 10))
    out = persona().plot(fig=fig, lang="en")
    assert out is fig
    assert "Pain points" in _texts(fig) and "Demographics" in _texts(fig)


def test_empathy_card_has_four_quadrants_and_the_subject():
    fig = empathy().plot()
    gids = {p.get_gid() for p in fig.findobj() if p.get_gid()}
    assert {"empathy-says", "empathy-thinks", "empathy-feels", "empathy-does", "empathy-subject"} <= gids
    text = _texts(fig)
    for expected in ("Nói", "Nghĩ", "Cảm thấy", "Làm", "• Sốt ruột", "Bản đồ thấu cảm — Chị Hạnh"):
        assert expected in text
    assert "Feels" in _texts(empathy().plot(lang="en"))


def test_an_overfull_box_shrinks_then_cuts_with_a_count():
    many = tuple(f"ý số {i}" for i in range(200))
    fig = EmpathyMap("A", says=many).plot(lang="en")
    says = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if "ý số 0" in t.get_text()][0]
    shown = says.count("• ")
    assert 0 < shown < 200
    assert says.splitlines()[-1] == f"+{200 - shown} more"


def test_fit_by_hand():
    # a 1 in × 1 in box at 10 pt: 72 / (10 × 1.35) = 5 lines; 72 / (10 × 0.55) = 13 characters a line
    lines, size = fit(("a", "b", "c"), 1.0, 1.0, 10.0)
    assert (lines, size) == (["• a", "• b", "• c"], 10.0)
    assert wrap(("abcdefghij klmnop",), 1.0, 10.0) == ["• abcdefghij", "  klmnop"]
    lines, size = fit(tuple("abcdefghijklmnopqrst"), 1.0, 1.0, 10.0, min_fontsize=10.0)
    assert size == 10.0 and lines == ["• a", "• b", "• c", "• d", "+16"]


# -- HTML and Markdown ------------------------------------------------------------------------------------------
def test_html_cards_escape_participant_text():
    p = Persona(SCRIPT, quote=SCRIPT, segment=SCRIPT, demographics={SCRIPT: SCRIPT}, motives=[SCRIPT],
                needs=[SCRIPT], pain_points=[SCRIPT])
    e = EmpathyMap(SCRIPT, says=[SCRIPT], thinks=[SCRIPT], feels=[SCRIPT], does=[SCRIPT], title=SCRIPT)
    for html in (p.to_html(), p.to_html("en"), e.to_html(), e._repr_html_(), p._repr_html_()):
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
    for md in (p.to_markdown(), e.to_markdown(lang="en")):
        assert "<script>" not in md and "&lt;script&gt;" in md


def test_markdown_sections():
    md = persona().to_markdown(lang="en", heading=3)
    assert md.startswith("### Persona: Chị Hạnh")
    assert "- Tuổi: 38" in md and "**Pain points**" in md and "> “Lần nào cũng phải gửi lại địa chỉ.”" in md
    md = empathy().to_markdown()
    assert "**Cảm thấy**\n\n- Sốt ruột\n- Yên tâm về chất lượng" in md
    assert "**Nói**" in EmpathyMap("A").to_markdown() and "- —" in EmpathyMap("A").to_markdown()
