"""Figures of frameworks side by side, compared with committed baselines (as tests/test_plots_images.py).

Regenerate after an intended change with ``python -m tests.test_plots_frameworks`` and look at the PNGs.
Inputs are written out here (arithmetic, no random stream).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

import dxlab  # noqa: E402
from dxlab import plots  # noqa: E402
from dxlab.stats import archetypes, weight_sensitivity  # noqa: E402

from .test_plots_images import BASELINE, TOLERANCE  # noqa: E402
from .test_plots_images import render as render_case  # noqa: E402

RUBRIC = dxlab.load_rubric("mobifone-dx")


def panel(n: int = 240) -> pd.DataFrame:
    """Responses whose levels follow a fixed arithmetic pattern: sectors differ in level and in shape."""
    i = np.arange(n)
    sector = np.array(list("CGJKM"))[i % 5]
    base = 1 + (i * 7 % 11) / 11 * 3 + (i % 5) * 0.25
    values = {}
    for j, cid in enumerate(RUBRIC.criterion_ids):
        tilt = np.where((j // 5) % 3 == i % 5 % 3, 0.8, -0.3)
        values[cid] = pd.array(np.clip(np.round(base + tilt + ((i * (j + 3)) % 5 - 2) * 0.3), 1, 5), dtype="Int8")
    return pd.DataFrame({"sector": sector, **values})


def crosswalk_eu() -> plt.Axes:
    fig, ax = plt.subplots(figsize=(7.5, 5.0), layout="constrained")
    return plots.crosswalk_matrix("mobifone-dx--eu-dma", lang="vi", ax=ax)


def ranks_by_sector() -> plt.Axes:
    result = weight_sensitivity(panel(), RUBRIC, n_random=200, by="sector", seed=0)
    fig, ax = plt.subplots(figsize=(6.5, 3.2), layout="constrained")
    return plots.rank_intervals(result, lang="vi", ax=ax)


def archetype_lines() -> plt.Axes:
    result = archetypes(dxlab.score(panel(), RUBRIC), k=3, n_boot=0)
    fig, ax = plt.subplots(figsize=(8, 4.6), layout="constrained")
    return plots.archetype_profiles(result, rubric=RUBRIC, lang="vi", ax=ax)


CASES: dict[str, Callable[[], plt.Axes]] = {"crosswalk_eu": crosswalk_eu, "rank_intervals_sector": ranks_by_sector,
                                             "archetype_profiles": archetype_lines}


def render(name: str, path: Path) -> Path:
    return render_case(name, path, CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_matches_baseline(name, tmp_path):
    expected = BASELINE / f"{name}.png"
    assert expected.exists(), f"no baseline {expected}; run `python -m tests.test_plots_frameworks`"
    result = compare_images(str(expected), str(render(name, tmp_path / f"{name}.png")), tol=TOLERANCE,
                            in_decorator=True)
    assert result is None, f"{name} differs from its baseline (RMS {result['rms']:.2f})"


def test_crosswalk_matrix_marks_each_link_and_the_uncovered_dimension():
    ax = plots.crosswalk_matrix("mobifone-dx--eu-dma", lang="en")
    marks = [t.get_text() for t in ax.texts]
    cw = dxlab.crosswalk.load_crosswalk("mobifone-dx--eu-dma")
    assert len(marks) == len(cw.links)
    assert marks.count("~") == sum(link.relation == "related" for link in cw.links)
    assert [t.get_text() for t in ax.get_xticklabels()][-1] == "GRN\n(not covered)"
    plt.close(ax.figure)


def test_rank_intervals_draw_the_computed_ranks():
    result = weight_sensitivity(panel(), RUBRIC, n_random=50, by="sector", seed=0)
    ax = plots.rank_intervals(result, lang="en", top=3)
    dots = ax.lines[0].get_xdata()
    assert list(dots) == sorted(result.intervals["rank"])[:3]
    assert [t.get_text() for t in ax.get_yticklabels()] == \
        [str(u) for u in result.intervals.sort_values("rank")["unit"].head(3)]
    plt.close(ax.figure)


def test_archetype_profiles_one_line_per_archetype_with_its_name():
    result = archetypes(dxlab.score(panel(), RUBRIC), k=3, n_boot=0)
    ax = plots.archetype_profiles(result, rubric=RUBRIC, lang="en")
    assert len(ax.lines) == 3
    for line, (_, row) in zip(ax.lines, result.clusters.iterrows()):
        np.testing.assert_allclose(line.get_ydata(), row[[d.id for d in RUBRIC.dimensions]].to_numpy(dtype=float))
        assert row["name_en"].split(":")[0] in line.get_label()
    plt.close(ax.figure)


if __name__ == "__main__":
    for case in sys.argv[1:] or sorted(CASES):
        print("wrote", render(case, BASELINE / f"{case}.png"))
