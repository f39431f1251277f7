"""Journey map: stages, validation, the tables (hand-calculated), round trips and the journey figure."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from dxlab import cx  # noqa: E402
from dxlab.cx import JourneyMap, Touchpoint, stage_label  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def journey() -> JourneyMap:
    return JourneyMap([
        Touchpoint("Adopt", "Đặt hàng", -2, channel="Zalo", pain_points=["Nhắc lại địa chỉ", "Gõ lại đơn"],
                   opportunities=["Nhận diện khách quen"], criteria=["CUS.ENG.1", "CUS.EXP.1"]),
        Touchpoint("Attract", "Bài đăng Facebook", 1, pain_points=["Không có giá"], criteria=["CUS.EXP.2"]),
        Touchpoint("Adopt", "Nhận hàng", 1),
        Touchpoint("Accept", "Hỏi giá", -1, need="Báo giá nhanh", opportunities=["Danh mục số"]),
        Touchpoint("Adopt", "Thanh toán", 0.5),
    ], title="Hành trình thử", persona="Chị Hạnh")


# -- stages ------------------------------------------------------------------------------------------------
def test_default_stages_are_the_5a_model():
    assert JourneyMap().stages == ("Attract", "Accept", "Adopt", "Amplify", "Advance")
    assert [stage_label(s, "vi") for s in JourneyMap().stages] == ["Thu hút", "Chấp nhận", "Sử dụng", "Lan tỏa",
                                                                   "Phát triển"]
    assert stage_label("Adopt", "en") == "Adopt"


def test_kotler_and_custom_stages():
    assert JourneyMap(stages="Kotler").stages == ("Aware", "Appeal", "Ask", "Act", "Advocate")
    assert stage_label("Advocate") == "Ủng hộ"
    custom = JourneyMap([Touchpoint("tìm hiểu", "Web", 0)], stages=["Tìm hiểu", "Mua", "Dùng"])
    assert custom.touchpoints[0].stage == "Tìm hiểu"  # matched ignoring case, stored as the stage is spelled
    assert stage_label("Tìm hiểu", "en") == "Tìm hiểu"  # custom stages show as written


def test_stage_errors():
    with pytest.raises(ValueError, match="unknown stage preset 'aida'; presets are '5a', 'kotler'"):
        JourneyMap(stages="aida")
    with pytest.raises(ValueError, match="stages is empty"):
        JourneyMap(stages=[])
    with pytest.raises(ValueError, match="stages repeat 'Mua'"):
        JourneyMap(stages=["Mua", "mua "])
    with pytest.raises(ValueError, match=r"touchpoints\[0\] \('Web'\): stage 'Aware' is not one of the journey's "
                                         r"stages 'Attract', 'Accept'"):
        JourneyMap([Touchpoint("Aware", "Web", 0)])


# -- touchpoints --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("emotion", [-2.01, 2.5, 3, float("nan")])
def test_emotion_outside_minus_two_to_two_is_rejected(emotion):
    with pytest.raises(ValueError, match="emotion"):
        Touchpoint("Attract", "Web", emotion)


def test_emotion_scale_ends_are_accepted():
    assert Touchpoint("Attract", "Web", -2).emotion == -2
    assert Touchpoint("Attract", "Web", 2).emotion == 2


def test_touchpoint_validation():
    with pytest.raises(ValueError, match="name is empty"):
        Touchpoint("Attract", " ", 0)
    with pytest.raises(ValueError, match=r"pain_points\[1\] is empty"):
        Touchpoint("Attract", "Web", 0, pain_points=["a", ""])
    with pytest.raises(ValueError, match=r"criteria\[0\] = 'cus.eng.1' is not a criterion id"):
        Touchpoint("Attract", "Web", 0, criteria=["cus.eng.1"])
    with pytest.raises(ValueError, match="criteria repeats CUS.ENG.1"):
        Touchpoint("Attract", "Web", 0, criteria=["CUS.ENG.1", "CUS.ENG.1"])
    with pytest.raises(ValueError, match=r"touchpoints\[1\]: 'web' appears twice in stage 'Attract' "
                                         r"\(see touchpoints\[0\]\)"):
        JourneyMap([Touchpoint("Attract", "Web", 0), Touchpoint("attract", "web", 1)])
    assert Touchpoint("Attract", "Web", 0, pain_points="một ý").pain_points == ("một ý",)


def test_with_touchpoint_and_without():
    j = journey()
    changed = j.with_touchpoint(Touchpoint("adopt", "nhận hàng", -1))
    assert len(changed.touchpoints) == 5
    assert [p.emotion for p in changed.touchpoints if p.name.casefold() == "nhận hàng"] == [-1]
    added = j.with_touchpoint({"stage": "Advance", "name": "Mua lại", "emotion": 2})
    assert added.ordered()[-1].name == "Mua lại"
    assert len(j.without("Adopt", "Nhận hàng").touchpoints) == 4
    with pytest.raises(KeyError, match="no touchpoint 'X' in stage 'Adopt'"):
        j.without("Adopt", "X")


# -- tables (checked by hand) ----------------------------------------------------------------------------------
def test_order_is_by_stage_then_as_given():
    assert [p.name for p in journey().ordered()] == ["Bài đăng Facebook", "Hỏi giá", "Đặt hàng", "Nhận hàng",
                                                     "Thanh toán"]


def test_table():
    table = journey().table(lang="en")
    assert list(table.columns) == ["stage", "stage_label", "touchpoint", "channel", "need", "emotion", "pain_points",
                                   "opportunities", "criteria"]
    row = table.iloc[2]
    assert (row.touchpoint, row.channel, row.emotion) == ("Đặt hàng", "Zalo", -2.0)
    assert row.pain_points == "Nhắc lại địa chỉ; Gõ lại đơn"
    assert row.criteria == "CUS.ENG.1, CUS.EXP.1"


def test_stage_summary_by_hand():
    summary = journey().stage_summary().set_index("stage")
    # Adopt: emotions -2, 1, 0.5 -> mean -0.5; 2 pain points; 1 opportunity
    assert summary.loc["Adopt", "touchpoints"] == 3
    assert summary.loc["Adopt", "mean_emotion"] == pytest.approx((-2 + 1 + 0.5) / 3)
    assert summary.loc["Adopt", "pain_points"] == 2 and summary.loc["Adopt", "opportunities"] == 1
    assert summary.loc["Accept", "mean_emotion"] == -1
    assert math.isnan(summary.loc["Amplify", "mean_emotion"]) and summary.loc["Amplify", "touchpoints"] == 0
    assert summary.index.tolist() == list(JourneyMap().stages)


def test_pain_points_are_numbered_in_journey_order_and_filter_by_criteria():
    pains = journey().pain_points()
    assert pains["number"].tolist() == ["P1", "P2", "P3"]
    assert pains["pain_point"].tolist() == ["Không có giá", "Nhắc lại địa chỉ", "Gõ lại đơn"]
    only = journey().pain_points(criteria=["CUS.ENG.1"])
    assert only["number"].tolist() == ["P2", "P3"]  # numbers stay those of the figure
    assert journey().pain_points(criteria=["CUS.ENG.3"]).empty


def test_positions_formula():
    # stage i spans i-0.5..i+0.5; its k touchpoints sit at i - 0.5 + j/(k+1)
    expected = [0.0, 1.0, 2 - 0.5 + 1 / 4, 2 - 0.5 + 2 / 4, 2 - 0.5 + 3 / 4]
    assert journey().positions() == pytest.approx(expected)


# -- round trips ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip(tmp_path, suffix):
    j = journey()
    path = j.save(tmp_path / f"journey{suffix}")
    assert JourneyMap.load(path) == j
    assert cx.load(path) == j
    kotler = JourneyMap([Touchpoint("Ask", "Hotline", -1)], stages="kotler")
    assert JourneyMap.from_dict(kotler.to_dict()) == kotler


def test_load_error_names_the_touchpoint(tmp_path):
    path = tmp_path / "j.yaml"
    path.write_text("kind: journey_map\ntouchpoints:\n  - {stage: Attract, name: Web, emotion: 0}\n"
                    "  - {stage: Attract, name: App, emotion: 5}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"j\.yaml: touchpoints\[1\]: App: emotion = 5 is outside -2–2"):
        JourneyMap.load(path)


# -- the figure ------------------------------------------------------------------------------------------------
def test_emotion_curve_goes_through_the_touchpoints_in_order():
    j = journey()
    ax = j.plot()
    curve = next(line for line in ax.lines if line.get_gid() == "emotion-curve")
    np.testing.assert_allclose(curve.get_xdata(), j.positions())
    np.testing.assert_allclose(curve.get_ydata(), [1, -1, -2, 1, 0.5])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Thu hút", "Chấp nhận", "Sử dụng", "Lan tỏa",
                                                            "Phát triển"]
    assert ax.get_xlim() == (-0.5, 4.5)


def test_pain_points_are_marked_under_their_touchpoints():
    j = journey()
    ax = j.plot()
    marks = next(c for c in ax.collections if c.get_gid() == "pain-points")
    xs = j.positions()
    # touchpoints with pain points: Bài đăng Facebook (x0, +1) and Đặt hàng (x2, -2)
    np.testing.assert_allclose(marks.get_offsets(), [[xs[0], 1 - 0.32], [xs[2], -2 - 0.32]])
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "pain-label"]
    assert labels == ["P1", "P2–P3"]
    listing = next(t for t in ax.texts if t.get_gid() == "pain-list").get_text()
    assert "P2 Sử dụng · Đặt hàng: Nhắc lại địa chỉ" in listing


def test_plot_options_and_english():
    fig, ax = plt.subplots()
    out = journey().plot(ax=ax, lang="en", pain_list=False)
    assert out is ax
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Attract"
    assert not [t for t in ax.texts if t.get_gid() == "pain-list"]
    assert ax.get_title() == "Hành trình thử"
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "-2 Very negative"


def test_empty_journey_plots():
    ax = JourneyMap(stages=["A", "B"]).plot()
    assert len(next(line for line in ax.lines if line.get_gid() == "emotion-curve").get_xdata()) == 0


def test_markdown_and_html_escape_and_link_criteria():
    j = JourneyMap([Touchpoint("Attract", "<script>x</script>", 0, pain_points=["a|b"], criteria=["CUS.ENG.3"])])
    html = j.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = j.to_markdown(rubric="mobifone-dx")
    assert "<script>" not in md and r"a\|b" in md
    import dxlab
    text = dxlab.load_rubric("mobifone-dx").criterion("CUS.ENG.3").text.vi
    assert f"**CUS.ENG.3** — {text}" in md
    with pytest.raises(ValueError, match="not in rubric 'mobifone-dx'"):
        JourneyMap([Touchpoint("Attract", "Web", 0, criteria=["ZZZ.ENG.9"])]).to_markdown(rubric="mobifone-dx")
