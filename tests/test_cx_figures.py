"""Every CX figure renders its Vietnamese: the font is DejaVu Sans, set explicitly, and has every glyph."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import findfont  # noqa: E402
from matplotlib.ft2font import FT2Font  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from dxlab import cx  # noqa: E402

# all the Vietnamese vowels with every tone mark, upper and lower case, and đ/Đ
VIETNAMESE = "aăâeêioôơuưy" + "áắấéếíóốớúứý" + "àằầèềìòồờùừỳ" + "ảẳẩẻểỉỏổởủửỷ" + "ãẵẫẽễĩõỗỡũữỹ" + "ạặậẹệịọộợụựỵ" + "đ"
ALL = VIETNAMESE + VIETNAMESE.upper()


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def assert_renders_vietnamese(fig: Figure) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" while drawing
        fig.canvas.draw()
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert texts
    for text in texts:
        path = findfont(text.get_fontproperties(), fallback_to_default=False)
        assert Path(path).name.startswith("DejaVuSans"), (text.get_text(), path)
        font = FT2Font(path)
        missing = {ch for ch in text.get_text() if not ch.isspace() and font.get_char_index(ord(ch)) == 0}
        assert not missing, (text.get_text(), missing)


def figure(name: str) -> Figure:
    people = cx.StakeholderMap([cx.Stakeholder(f"Người {ALL[:20]}", 7, 3), cx.Stakeholder("Ông Đặng Hữu Phước", 2, 8)],
                               title="Các bên liên quan — " + ALL[20:40])
    journey = cx.JourneyMap([cx.Touchpoint("Attract", "Quảng cáo " + ALL[40:60], 1, pain_points=["Nhắc lại"]),
                             cx.Touchpoint("Adopt", "Đặt hàng", -2, pain_points=[ALL[60:]])])
    persona = cx.Persona("Chị Hạnh", quote=ALL, demographics={"Tuổi": 38}, motives=[ALL], needs=["Nhanh"],
                         pain_points=["Chờ"])
    empathy = cx.EmpathyMap("Chị Hạnh", says=[ALL], thinks=["Nghĩ"], feels=["Sốt ruột"], does=["Gọi điện"])
    profile = cx.ConnectedProfile("Hộp quà " + ALL[:10], {"respond_to_desire.1": 4})
    draw = {"stakeholders": lambda: people.plot().figure, "journey": lambda: journey.plot().figure,
            "persona": persona.plot, "empathy": empathy.plot, "connected": lambda: profile.plot().figure}
    return draw[name]()


@pytest.mark.parametrize("name", ["stakeholders", "journey", "persona", "empathy", "connected"])
def test_figure_renders_vietnamese(name):
    assert_renders_vietnamese(figure(name))


def test_font_is_set_even_when_the_user_default_is_another():
    with matplotlib.rc_context({"font.family": "serif", "font.serif": ["DejaVu Serif"]}):
        fig, ax = plt.subplots()
        cx.StakeholderMap([cx.Stakeholder("Bà Nguyễn Thị Ánh", 6, 6)]).plot(ax=ax)
        assert_renders_vietnamese(fig)


def test_the_check_catches_a_missing_glyph():
    fig, ax = plt.subplots()
    ax.set_title("中文", fontfamily="DejaVu Sans")  # DejaVu Sans has no CJK glyphs
    with pytest.raises((AssertionError, UserWarning)):
        assert_renders_vietnamese(fig)


def test_english_figures_render_too():
    for drawn in (cx.JourneyMap(stages="kotler").plot(lang="en").figure,
                  cx.EmpathyMap("Lan").plot(lang="en")):
        assert_renders_vietnamese(drawn)


def test_style_restores_only_its_own_settings():
    # plt.rc_context would also restore "interactive", which the first figure of a Jupyter session switches
    # on; later figures would then no longer show inline.
    from dxlab.cx import _style

    before_font = list(matplotlib.rcParams["font.sans-serif"])
    before_interactive = matplotlib.rcParams["interactive"]
    try:
        with _style.style():
            assert matplotlib.rcParams["font.sans-serif"] == ["DejaVu Sans"]
            matplotlib.rcParams["interactive"] = not before_interactive
        assert matplotlib.rcParams["interactive"] == (not before_interactive)
        assert matplotlib.rcParams["font.sans-serif"] == before_font
    finally:
        matplotlib.rcParams["interactive"] = before_interactive
