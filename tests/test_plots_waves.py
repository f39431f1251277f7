"""The figures of change between waves, drawn with Vietnamese labels and compared with committed baselines.

Same conventions as ``tests/test_plots_images.py`` (frozen rendering, inputs written out here). After an
intended change of a figure, regenerate these baselines with ``python -m tests.test_plots_waves`` from the
project root, look at the PNGs in ``tests/baseline/plots/`` and commit them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.testing import set_font_settings_for_testing, set_reproducibility_for_testing
from matplotlib.testing.compare import compare_images

import dxlab
from dxlab import plots

BASELINE = Path(__file__).resolve().parent / "baseline" / "plots"
DPI = 60
TOLERANCE = 3.0
# Before level (rows) × after level (columns): most stay or move up one level, a few fall back.
TABLE = np.array([[6, 9, 3, 0, 0], [2, 20, 14, 2, 0], [0, 5, 31, 12, 1], [0, 0, 4, 18, 6], [0, 0, 0, 2, 7]])


def _transitions():
    rows = [(a + 1, b + 1) for a in range(5) for b in range(5) for _ in range(int(TABLE[a, b]))]
    before, after = zip(*rows)
    ids = [f"DN{i:03d}" for i in range(len(rows))]
    frame = pd.DataFrame({"enterprise_id": ids * 2, "wave": ["T0"] * len(ids) + ["T1"] * len(ids),
                          "CUS.ENG.1": list(before) + list(after)})
    return dxlab.stats.transition_matrix(frame, "CUS.ENG.1", levels=[1, 2, 3, 4, 5])


def transition_heatmap() -> plt.Axes:
    _fig, ax = plt.subplots(figsize=(7.4, 5.4), layout="constrained")
    return plots.transition_heatmap(_transitions(), rubric="mobifone-dx", ax=ax)


def level_flows() -> plt.Axes:
    _fig, ax = plt.subplots(figsize=(6.8, 4.6), layout="constrained")
    return plots.level_flows(_transitions(), rubric="mobifone-dx", ax=ax)


def slope_chart() -> plt.Axes:
    table = pd.DataFrame({"item": ["CUS", "STR", "TEC", "OPS", "CPO", "DAT"], "before": "T0", "after": "T1",
                          "mean_before": [2.4, 2.1, 2.9, 2.6, 3.1, 1.8],
                          "mean_after": [2.9, 2.3, 2.7, 3.2, 3.1, 2.5]})
    _fig, ax = plt.subplots(figsize=(8.0, 3.6), layout="constrained")
    return plots.slope_chart(table, rubric="mobifone-dx", labels="both", title="Thay đổi theo trụ cột", ax=ax)


CASES: dict[str, Callable[[], plt.Axes]] = {"waves_transition_heatmap": transition_heatmap,
                                            "waves_level_flows": level_flows, "waves_slope_chart": slope_chart}


def render(name: str, path: Path) -> Path:
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        set_font_settings_for_testing()
        set_reproducibility_for_testing()
        ax = CASES[name]()
        figure = ax.get_figure(root=True)
        assert figure is not None
        figure.savefig(path, dpi=DPI, bbox_inches=None, metadata={"Software": None})
        plt.close(figure)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_matches_baseline(name, tmp_path):
    expected = BASELINE / f"{name}.png"
    if not expected.exists():
        pytest.fail(f"no baseline {expected}; create it with `python -m tests.test_plots_waves` and look at it")
    actual = render(name, tmp_path / f"{name}.png")
    result = compare_images(str(expected), str(actual), tol=TOLERANCE, in_decorator=True)
    assert result is None, (f"{name} differs from its baseline (RMS {result['rms']:.2f} > {TOLERANCE}); diff "
                            f"image: {result['diff']}. If intended, regenerate with "
                            f"`python -m tests.test_plots_waves`.")


def test_each_figure_takes_ax_and_returns_it():
    moves = _transitions()
    for draw in (plots.transition_heatmap, plots.level_flows):
        fig, ax = plt.subplots()
        assert draw(moves, ax=ax, lang="en") is ax
        plt.close(fig)
    table = pd.DataFrame({"item": ["a"], "mean_before": [2.0], "mean_after": [3.0]})
    fig, ax = plt.subplots()
    assert plots.slope_chart(table, ax=ax) is ax
    plt.close(fig)


def test_figures_draw_the_numbers_they_are_given():
    moves = _transitions()
    ax = plots.transition_heatmap(moves, lang="en")
    texts = [t.get_text() for t in ax.texts]
    assert "31\n63%" in texts  # 31 of the 49 enterprises at level 3 stayed there
    assert "Up 33%" in ax.get_title(loc="left") and "Level in wave T1" == ax.get_xlabel()
    plt.close(ax.figure)
    flows = plots.level_flows(moves, lang="vi")
    assert any(t.get_text() == "3 · Hình thành (49)" for t in flows.texts) is False  # no rubric: plain names
    assert any(t.get_text() == "Mức 3 (49)" for t in flows.texts)  # level 3 had 49 enterprises at T0
    assert "142 doanh nghiệp" in flows.get_title(loc="left")
    plt.close(flows.figure)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="transition_matrix"):
        plots.transition_heatmap(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(ValueError, match="before= and after="):
        plots.slope_chart(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="lang must be one of"):
        plots.level_flows(_transitions(), lang="fr")
    empty = pd.DataFrame(np.zeros((2, 2)), index=[1, 2], columns=[1, 2])
    with pytest.raises(ValueError, match="no enterprise is in both waves"):
        plots.level_flows(empty)


if __name__ == "__main__":  # python -m tests.test_plots_waves [case …]: rewrite the baselines
    BASELINE.mkdir(parents=True, exist_ok=True)
    for case in sys.argv[1:] or sorted(CASES):
        print(f"wrote {render(case, BASELINE / f'{case}.png')}")


def test_slope_chart_labels_dimension_scores_by_their_dimension():
    table = pd.DataFrame({"item": ["score.CUS", "score.overall"], "mean_before": [2.0, 2.5], "mean_after": [2.4, 2.6]})
    ax = plots.slope_chart(table, rubric="mobifone-dx", labels="both", sort=False, lang="en")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0].startswith("CUS · ") and labels[1] == "overall"
    plt.close(ax.figure)
