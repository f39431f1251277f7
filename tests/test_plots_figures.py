"""What each figure draws: bar widths, centring, legends, orderings and marks, checked against numbers worked
out here by hand or with pandas; plus Vietnamese rendering and input errors."""

from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from matplotlib.font_manager import findfont  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import dxlab  # noqa: E402
from dxlab import plots  # noqa: E402
from dxlab.plots._style import LEVEL_COLORS, level_colors, text_color  # noqa: E402

from .test_plots_images import DIMENSIONS, plot_rubric  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def frame() -> pd.DataFrame:
    # Hand-made: item A has levels 1×2, 2×3, 3×4, 4×1 (none at 5) and one unanswered; item B is all level 4.
    a = [1, 1, 2, 2, 2, 3, 3, 3, 3, 4, None]
    b = [4] * 11
    return pd.DataFrame({"A": pd.array(a, dtype="Int8"), "B": pd.array(b, dtype="Int8"),
                         "size": pd.Categorical(["small"] * 6 + ["large"] * 5, categories=["small", "large"]),
                         "w": [1.0, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]})


def level_bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]


# -- palette and style -----------------------------------------------------------------------------------

def test_level_colours_are_the_palette_and_labels_stay_readable():
    assert level_colors(5) == list(LEVEL_COLORS)
    assert len(set(level_colors(7))) == 7
    # WCAG contrast ratio of the chosen text colour on every level colour is at least 4.5 (AA for text).
    from dxlab.plots._style import _luminance

    for colour in LEVEL_COLORS:
        text = text_color(colour)
        lum_bg, lum_fg = _luminance(colour), _luminance(text)
        ratio = (max(lum_bg, lum_fg) + 0.05) / (min(lum_bg, lum_fg) + 0.05)
        assert ratio >= 4.5, (colour, text, ratio)


def test_vietnamese_renders_with_dejavu_and_no_missing_glyphs(frame):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for unrenderable text
        ax = plots.likert_bars(frame, ["A"], title="Ứng dụng dữ liệu — mức độ trưởng thành ở doanh nghiệp",
                               labels={"A": "Quản trị dữ liệu được thực hiện ở mọi đơn vị"})
        ax.figure.canvas.draw()
    font = ax.title.get_fontproperties()
    assert "DejaVuSans" in findfont(font).replace(" ", "")


# -- likert_bars -----------------------------------------------------------------------------------------

def test_likert_widths_are_shares_centred_on_the_middle_level(frame):
    ax = plots.likert_bars(frame, ["A"])
    bars = level_bars(ax)
    answered = 10  # the unanswered row is left out
    assert [round(b.get_width(), 9) for b in bars] == [round(100 * k / answered, 9) for k in (2, 3, 4, 1)]
    # Level 3 (4 of 10 = 40 %) straddles zero: its left edge is at −20 %, so levels 1–2 (50 %) start at −70 %.
    starts = [round(b.get_x(), 9) for b in bars]
    assert starts == [-70.0, -50.0, -20.0, 20.0]
    assert [to_hex(b.get_facecolor()) for b in bars] == [LEVEL_COLORS[i] for i in range(4)]


def test_likert_legend_lists_every_level_even_when_empty(frame):
    r = dxlab.load_rubric("mobifone-dx")
    ax = plots.likert_bars(frame, ["A"], rubric=r, lang="vi")
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == [f"{v} · {r.level_label(v, 'vi')}" for v in r.level_values]
    assert "Dẫn dắt" in texts[-1]  # level 5 has no answer but is listed
    ax = plots.likert_bars(frame, ["A"], lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"Level {v}" for v in range(1, 6)]


def test_likert_counts_and_groups_match_crosstab(frame):
    ax = plots.likert_bars(frame, "A", by="size", shares=False)
    expected = pd.crosstab(frame["size"], frame["A"].astype("float")).reindex(columns=[1.0, 2, 3, 4, 5],
                                                                            fill_value=0)
    bars = ax.patches
    # barh draws one container per level over all groups; collect widths level by level.
    widths = np.array([b.get_width() for b in bars]).reshape(5, 2).T
    np.testing.assert_array_equal(widths, expected.to_numpy(dtype=float))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["small (n=6)", "large (n=4)"]  # categorical order; n counts answered


def test_level_counts_weighted_and_tidy_forms_agree(frame):
    counts = plots.level_counts(frame, ["A"], weights="w")
    assert counts.loc["A"].tolist() == [3.0, 3.0, 4.0, 1.0, 0.0]  # row 2 (level 1) has weight 2
    tidy = (frame["A"].value_counts().rename_axis("level").reset_index(name="n").assign(item="A"))
    np.testing.assert_array_equal(plots.level_counts(tidy).to_numpy(), plots.level_counts(frame, ["A"]).to_numpy())


def test_likert_sort_by_mean_puts_the_highest_on_top(frame):
    ax = plots.likert_bars(frame, ["A", "B"], sort="mean", show_n=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "A"]  # mean 4 above mean 2.4
    ax = plots.likert_bars(frame, ["A", "B"], sort="low", show_n=False)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B"]


def test_likert_rejects_bad_input(frame):
    with pytest.raises(ValueError, match="not one of the levels"):
        plots.likert_bars(frame.assign(A=pd.array([7] + [1] * 10, dtype="Int8")), ["A"])
    with pytest.raises(ValueError, match="exactly one item"):
        plots.likert_bars(frame, ["A", "B"], by="size")
    with pytest.raises(ValueError, match="'nope'"):
        plots.likert_bars(frame, ["nope"])
    with pytest.raises(ValueError, match="sort must be one of"):
        plots.likert_bars(frame, ["A"], sort="up")


def test_every_figure_draws_on_the_given_axes(frame):
    fig, axes = plt.subplots(1, 3)
    assert plots.likert_bars(frame, ["A"], ax=axes[0]) is axes[0]
    assert plots.heatmap(frame, ["A", "B"], by="size", ax=axes[1], colorbar=False) is axes[1]
    table = pd.DataFrame({"criterion": ["A", "B"], "current": [2, 3], "target": [4, 4]})
    assert plots.gap_bars(table, ax=axes[2]) is axes[2]
    polar = fig.add_subplot(2, 2, 4, projection="polar")
    assert plots.radar({"X": 1, "Y": 2, "Z": 3}, ax=polar) is polar


# -- radar -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n", range(1, 9))
def test_radar_draws_one_to_eight_dimensions(n):
    r = plot_rubric()
    ids = list(DIMENSIONS)[:n] if n <= len(DIMENSIONS) else list(DIMENSIONS) + [f"X{i}" for i in range(n - 6)]
    profile = pd.Series(np.linspace(1.5, 4.5, n), index=ids)
    ax = plots.radar(profile, benchmark=profile.median(), target=4, rubric=r)
    enterprise = ax.get_lines()[0]
    values = enterprise.get_ydata()
    if n == 1:
        assert np.allclose(values, 1.5)  # a ring at the score
    else:
        np.testing.assert_allclose(values[:-1], profile.to_numpy())  # closed polygon: first point repeated
        assert values[-1] == values[0]
    assert len(ax.get_xticklabels()) == n
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Doanh nghiệp", "Trung vị ngành", "Mục tiêu"]
    if n <= 6:
        assert ax.get_xticklabels()[0].get_text() == "Khách hàng"  # rubric title, not the id


def test_radar_checks_its_inputs():
    with pytest.raises(ValueError, match="polar"):
        plots.radar({"A": 1.0}, ax=plt.subplots()[1])
    with pytest.raises(ValueError, match="'Z'"):
        plots.radar({"A": 1.0, "B": 2.0}, benchmark={"A": 1.0, "Z": 2.0})
    with pytest.raises(ValueError, match="empty"):
        plots.radar(pd.Series(dtype=float))


# -- heatmap and corr_heatmap ----------------------------------------------------------------------------

def test_heatmap_table_matches_groupby(frame):
    table, sizes = plots.group_table(frame, ["A", "B"], by="size", stat="mean")
    expected = frame.assign(A=frame["A"].astype(float), B=frame["B"].astype(float)).groupby(
        "size", observed=True)[["A", "B"]].mean()
    np.testing.assert_allclose(table.to_numpy(), expected.to_numpy())
    shares, _ = plots.group_table(frame, ["A"], by="size", stat="share", k=3)
    # small: levels 1,1,2,2,2,3 → 1 of 6 at ≥ 3; large: 3,3,3,4 answered → 4 of 4
    assert shares["A"].tolist() == [1 / 6, 1.0]
    assert sizes.tolist() == [6, 5]
    ax = plots.heatmap(frame, ["A"], by="size", stat="share", k=3)
    assert sorted(t.get_text() for t in ax.texts) == ["100%", "17%"]


def test_corr_heatmap_marks_and_orders_by_rubric():
    r = plot_rubric()
    ids = ["DLI.A.1", "KHH.A.2", "KHH.A.1"]
    rho = pd.DataFrame([[1, 0.3, 0.2], [0.3, 1, 0.6], [0.2, 0.6, 1]], ids, ids, dtype=float)
    p = pd.DataFrame([[0, 0.2, 0.04], [0.2, 0, 0.0005], [0.04, 0.0005, 0]], ids, ids, dtype=float)
    ax = plots.corr_heatmap(rho, p, rubric=r)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["KHH.A.1", "KHH.A.2", "DLI.A.1"]
    cells = sorted(t.get_text() for t in ax.texts if "p <" not in t.get_text())
    assert cells == ["0.20*", "0.30", "0.60***"]  # lower triangle only, stars by hand from p
    long = pd.DataFrame({"X": ["DLI.A.1", "DLI.A.1", "KHH.A.2"], "Y": ["KHH.A.2", "KHH.A.1", "KHH.A.1"],
                         "r": [0.3, 0.2, 0.6], "p-unc": [0.2, 0.04, 0.0005]})
    ax2 = plots.corr_heatmap(long, rubric=r)
    assert sorted(t.get_text() for t in ax2.texts if "p <" not in t.get_text()) == cells


# -- gap_bars --------------------------------------------------------------------------------------------

def test_gap_bars_sorted_by_priority_with_the_gap_hatched():
    r = plot_rubric()
    levels = pd.DataFrame({c: [v] for c, v in zip(r.criterion_ids, [2, 3, 1, 4, 5, 2, None, 3, 1, 2, 3, 4])},
                          index=["DN-1"]).astype("Int8")
    table = dxlab.gaps(levels, r, target=4)
    ax = plots.gap_bars(table, labels="id")
    names = [t.get_text() for t in ax.get_yticklabels()]
    expected = table.sort_values(["priority", "gap", "criterion"], ascending=[False, False, True])["criterion"]
    assert names == expected.tolist()
    assert names[0] == "VHA.A.1"  # unanswered counts as 0: gap 4, the largest
    solid = [p for p in ax.patches if p.get_hatch() is None]
    assert [p.get_width() for p in solid] == [0 if pd.isna(v) else v for v in
                                              table.set_index("criterion").loc[names, "current"]]


def test_gap_bars_needs_one_response():
    r = plot_rubric()
    levels = pd.DataFrame({c: [1, 2] for c in r.criterion_ids}, index=["DN-1", "DN-2"]).astype("Int8")
    table = dxlab.gaps(levels, r, target=3)
    with pytest.raises(ValueError, match="response="):
        plots.gap_bars(table)
    ax = plots.gap_bars(table, response="DN-2", labels="id")
    assert len(ax.get_yticklabels()) == len(r.criterion_ids)


def test_likert_reads_a_level_distribution_table(frame):
    """The documented shape of dxlab.stats.level_distribution: ``count`` per cell, ``n`` = answered total."""
    counts = frame.groupby("size", observed=True)["A"].value_counts().rename("count").reset_index()
    counts = counts.rename(columns={"A": "level"}).assign(item="A")
    counts["n"] = counts.groupby("size", observed=True)["count"].transform("sum")
    from_table = plots.level_counts(counts, by="size")
    from_rows = plots.level_counts(frame, "A", by="size")
    np.testing.assert_array_equal(from_table.to_numpy(), from_rows.to_numpy())
    assert list(from_table.index) == ["small", "large"]


def test_corr_heatmap_prefers_adjusted_p_in_a_long_table():
    long = pd.DataFrame({"x": ["A"], "y": ["B"], "r": [0.4], "p": [0.001], "p_adj": [0.03]})
    ax = plots.corr_heatmap(long)
    assert [t.get_text() for t in ax.texts if "p <" not in t.get_text()] == ["0.40*"]


def test_radar_benchmark_and_target_lines_carry_their_values():
    profile = pd.Series({"A": 2.0, "B": 3.5, "C": 1.25})
    benchmark = {"A": 2.5, "B": 3.0, "C": 2.0}
    ax = plots.radar(profile, benchmark=benchmark, target={"A": 4, "B": 4, "C": 5})
    legend = ax.get_legend()
    handles = {t.get_text(): h for t, h in zip(legend.get_texts(), legend.legend_handles)}
    lines = {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}
    assert set(lines) == {"Doanh nghiệp", "Trung vị ngành", "Mục tiêu"} == set(handles)
    # Closed polygons at the spoke angles (clockwise from the top): the last point repeats the first.
    np.testing.assert_allclose(lines["Trung vị ngành"].get_ydata(), [2.5, 3.0, 2.0, 2.5])
    np.testing.assert_allclose(lines["Mục tiêu"].get_ydata(), [4, 4, 5, 4])
    np.testing.assert_allclose(lines["Doanh nghiệp"].get_xdata(), [0, 2 * np.pi / 3, 4 * np.pi / 3, 0])
    assert lines["Trung vị ngành"].get_linestyle() == "--" and lines["Mục tiêu"].get_linestyle() == ":"
    # A single number is a target for every dimension; without benchmark and target there is one line only.
    ax = plots.radar(profile, target=4)
    assert [line.get_ydata().tolist() for line in ax.get_lines() if line.get_label() == "Mục tiêu"] == \
        [[4.0, 4.0, 4.0, 4.0]]
    ax = plots.radar(profile)
    assert [line.get_label() for line in ax.get_lines() if not line.get_label().startswith("_")] == \
        ["Doanh nghiệp"]
