"""Every figure, drawn with Vietnamese labels, compared pixel by pixel with a committed baseline.

Baselines live in ``tests/baseline/plots/``. After an intended change of a figure, regenerate them with
``python -m tests.make_plot_baselines`` (from the project root), look at the new PNGs and commit them.
Rendering is frozen for stability: the Agg backend, matplotlib's own DejaVu Sans, its test hinting settings,
fixed figure sizes and dpi, and inputs written out here (no random generator whose stream could change).
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402
from matplotlib.testing import set_font_settings_for_testing, set_reproducibility_for_testing  # noqa: E402
from matplotlib.testing.compare import compare_images  # noqa: E402

import dxlab  # noqa: E402
from dxlab import plots  # noqa: E402

BASELINE = Path(__file__).resolve().parent / "baseline" / "plots"
DPI = 60
TOLERANCE = 3.0  # RMS over 0–255 pixel values; text shifted by one pixel stays well below it

LEVELS = [
    {"value": 1, "code": "L1", "vi": "Khởi tạo", "en": "Initiating"},
    {"value": 2, "code": "L2", "vi": "Bắt đầu", "en": "Starting"},
    {"value": 3, "code": "L3", "vi": "Hình thành", "en": "Forming"},
    {"value": 4, "code": "L4", "vi": "Nâng cao", "en": "Advancing"},
    {"value": 5, "code": "L5", "vi": "Dẫn dắt", "en": "Leading"},
]
# Vietnamese with every kind of mark: stacked tone + vowel marks (ể, ữ, ỗ, ậ), đ, ư, ơ.
DIMENSIONS = {
    "KHH": ("Khách hàng", ["Trải nghiệm khách hàng được cá nhân hóa", "Tương tác qua kênh số đạt trên 80%"]),
    "CLG": ("Chiến lược", ["Lộ trình chuyển đổi số được phê duyệt", "Ngân sách dành riêng cho đổi mới"]),
    "HTA": ("Hạ tầng công nghệ", ["Hệ thống đám mây dùng chung", "An toàn thông tin được bảo đảm"]),
    "VHA": ("Vận hành", ["Quy trình nghiệp vụ được tự động hóa", "Dữ liệu vận hành cập nhật tức thời"]),
    "VHO": ("Văn hóa, con người và tổ chức", ["Lãnh đạo dẫn dắt chuyển đổi", "Nhân viên được đào tạo kỹ năng số"]),
    "DLI": ("Dữ liệu", ["Dữ liệu được quản trị theo chính sách", "Quyết định dựa trên phân tích dữ liệu"]),
}


@functools.cache
def plot_rubric() -> dxlab.Rubric:
    dims = []
    for dim_id, (title, texts) in DIMENSIONS.items():
        crits = [{"id": f"{dim_id}.A.{i}", "provenance": "drafted", "text": {"vi": text, "en": f"Criterion {i}"},
                  "levels": {v: {"vi": f"Mô tả mức {v}: {text.lower()}", "en": f"Level {v}"} for v in range(1, 6)}}
                 for i, text in enumerate(texts, start=1)]
        dims.append({"id": dim_id, "title": {"vi": title, "en": title},
                     "groups": [{"id": f"{dim_id}.A", "title": {"vi": "Nhóm", "en": "Group"}, "criteria": crits}]})
    data = {"id": "plot-test", "title": {"vi": "Bộ thử hình vẽ", "en": "Plot test"}, "version": "1",
            "levels": LEVELS, "dimensions": dims}
    path = Path(tempfile.mkdtemp(prefix="dxlab-plots-")) / "plot-test.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dxlab.load_rubric(path)




def levels_from_counts(counts: list[int]) -> list[int]:
    """Answers with the given count at each level 1–5, in a fixed interleaved order."""
    values = np.repeat(np.arange(1, 6), counts)
    return list(values[np.argsort(np.arange(len(values)) * 7919 % max(len(values), 1), kind="stable")])


def likert_items() -> plt.Axes:
    r = plot_rubric()
    # Level 5 of the first item is empty on purpose: the legend must still show it.
    counts = {"KHH.A.1": [8, 20, 12, 10, 0], "KHH.A.2": [2, 6, 14, 18, 10], "CLG.A.1": [15, 15, 10, 6, 4],
              "CLG.A.2": [5, 10, 20, 10, 5]}
    frame = pd.DataFrame({k: pd.array(levels_from_counts(v), dtype="Int8") for k, v in counts.items()})
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    return plots.likert_bars(frame, rubric=r, sort="mean", title="Phân bố mức độ theo tiêu chí", ax=ax)


def likert_groups_counts() -> plt.Axes:
    r = plot_rubric()
    sizes = ["Siêu nhỏ"] * 30 + ["Nhỏ"] * 25 + ["Vừa"] * 15 + ["Lớn"] * 10
    level = levels_from_counts([9, 8, 7, 4, 2]) + levels_from_counts([4, 7, 8, 4, 2]) + \
        levels_from_counts([1, 3, 5, 4, 2]) + levels_from_counts([0, 1, 3, 4, 2])
    frame = pd.DataFrame({"size": pd.Categorical(sizes, categories=["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn"],
                                                 ordered=True),
                          "HTA.A.1": pd.array(level, dtype="Int8")})
    fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    return plots.likert_bars(frame, "HTA.A.1", by="size", rubric=r, shares=False,
                             title="Hạ tầng đám mây theo quy mô doanh nghiệp", ax=ax)


LONG_LABELS = {  # three-line Vietnamese criterion texts, as notebook 02 draws them
    "KHH.A.1": "KHH.A.1 · Trải nghiệm khách hàng được cá nhân hóa dựa vào các tương tác với doanh nghiệp",
    "KHH.A.2": "KHH.A.2 · Các nội dung liên quan đến đối tượng khách hàng mục tiêu/ tiềm năng được cung cấp "
               "thông qua các phân tích kỹ lưỡng",
    "CLG.A.1": "CLG.A.1 · Tất cả các tương tác với khách hàng đều được thực hiện qua các kênh kỹ thuật số",
    "CLG.A.2": "CLG.A.2 · Các nhiệm vụ định kỳ của khách hàng và nhân viên đã giảm xuống như một kết quả trực "
               "tiếp hoặc gián tiếp",
    "HTA.A.1": "HTA.A.1 · Danh mục hiện tại đáp ứng nhu cầu và mục tiêu trải nghiệm khách hàng số",
}


def likert_long_labels() -> plt.Axes:
    """Five three-line labels on a caller's 3.6-inch axes: they must be fitted, never overlap."""
    counts = [[8, 20, 12, 7, 3], [2, 6, 14, 18, 10], [15, 15, 10, 6, 4], [5, 10, 20, 10, 5], [4, 9, 16, 12, 9]]
    frame = pd.DataFrame({k: pd.array(levels_from_counts(v), dtype="Int8") for k, v in zip(LONG_LABELS, counts)})
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    return plots.likert_bars(frame, rubric=plot_rubric(), labels=LONG_LABELS, title="Khách hàng — toàn mẫu", ax=ax)


def radar_six() -> plt.Axes:
    r = plot_rubric()
    profile = pd.Series([2.5, 3.25, 1.75, 2.0, 3.5, 2.25], index=list(DIMENSIONS))
    benchmark = pd.Series([2.25, 2.75, 2.5, 2.5, 2.75, 2.0], index=list(DIMENSIONS))
    fig, ax = plt.subplots(figsize=(6, 5.6), subplot_kw={"projection": "polar"}, layout="constrained")
    return plots.radar(profile, benchmark=benchmark, target=4, rubric=r, title="Hồ sơ chuyển đổi số", ax=ax)


def radar_one() -> plt.Axes:
    fig, ax = plt.subplots(figsize=(4, 4), subplot_kw={"projection": "polar"}, layout="constrained")
    return plots.radar({"KHH": 2.8}, benchmark=3.1, target=4, rubric=plot_rubric(), ax=ax)


def radar_two() -> plt.Axes:
    fig, ax = plt.subplots(figsize=(4, 4), subplot_kw={"projection": "polar"}, layout="constrained")
    return plots.radar({"KHH": 2.8, "DLI": 1.9}, target=3, rubric=plot_rubric(), lang="en", ax=ax)


def heatmap_share() -> plt.Axes:
    r = plot_rubric()
    table = pd.DataFrame([[0.12, 0.35, 0.5, 0.05], [0.4, 0.62, 0.81, 0.2], [np.nan, 0.28, 0.33, 0.9]],
                         index=["Bán buôn, bán lẻ", "Công nghiệp chế biến", "Thông tin và truyền thông"],
                         columns=["KHH.A.1", "KHH.A.2", "CLG.A.1", "DLI.A.2"])
    fig, ax = plt.subplots(figsize=(6.5, 3.0), layout="constrained")
    return plots.heatmap(table, stat="share", k=4, rubric=r, title="Tỷ lệ đạt mức ≥ 4 (Nâng cao)", ax=ax)


def heatmap_mean() -> plt.Axes:
    r = plot_rubric()
    table = pd.DataFrame([[1.2, 2.5, 3.0], [3.75, 4.6, 2.1]], index=["Ngành G", "Ngành J"],
                         columns=["VHO.A.1", "VHO.A.2", "DLI.A.1"])
    fig, ax = plt.subplots(figsize=(6.5, 2.6), layout="constrained")
    return plots.heatmap(table, rubric=r, labels="text", title="Mức trung bình", ax=ax)


def corr_matrix() -> plt.Axes:
    r = plot_rubric()
    ids = ["DLI.A.1", "KHH.A.2", "KHH.A.1", "CLG.A.1", "CLG.A.2"]  # not in rubric order on purpose
    rho = np.array([[1.0, 0.3, 0.2, 0.1, -0.25], [0.3, 1.0, 0.62, 0.41, 0.05], [0.2, 0.62, 1.0, 0.38, 0.12],
                    [0.1, 0.41, 0.38, 1.0, 0.55], [-0.25, 0.05, 0.12, 0.55, 1.0]])
    p = np.array([[0.0, 0.002, 0.04, 0.3, 0.0004], [0.002, 0.0, 1e-6, 0.008, 0.6], [0.04, 1e-6, 0.0, 0.03, 0.2],
                  [0.3, 0.008, 0.03, 0.0, 1e-5], [0.0004, 0.6, 0.2, 1e-5, 0.0]])
    fig, ax = plt.subplots(figsize=(5.6, 4.8), layout="constrained")
    return plots.corr_heatmap(pd.DataFrame(rho, ids, ids), pd.DataFrame(p, ids, ids), rubric=r,
                              cbar_label="ρ Spearman", title="Tương quan giữa các tiêu chí", ax=ax)


def gap_chart() -> plt.Axes:
    r = plot_rubric()
    levels = pd.DataFrame({c: [v] for c, v in zip(r.criterion_ids, [2, 3, 1, 4, 5, 2, None, 3, 1, 2, 3, 4])},
                          index=["DN-001"]).astype("Int8")
    table = dxlab.gaps(levels, r, target=4, include_met=True)
    fig, ax = plt.subplots(figsize=(8, 5.0), layout="constrained")
    return plots.gap_bars(table, rubric=r, top=8, title="Khoảng cách đến mục tiêu mức 4", ax=ax)


CASES: dict[str, Callable[[], plt.Axes]] = {
    "likert_items": likert_items, "likert_groups_counts": likert_groups_counts, "radar_six": radar_six,
    "likert_long_labels": likert_long_labels,
    "radar_one": radar_one, "radar_two": radar_two, "heatmap_share": heatmap_share, "heatmap_mean": heatmap_mean,
    "corr_matrix": corr_matrix, "gap_chart": gap_chart,
}


def render(name: str, path: Path, cases: dict[str, Callable[[], plt.Axes]] | None = None) -> Path:
    """Draw case ``name`` (of ``cases``, default this file's) under frozen settings and save it as PNG at ``path``."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        set_font_settings_for_testing()
        set_reproducibility_for_testing()
        ax = (CASES if cases is None else cases)[name]()
        # bbox="standard": the figure size is fixed by the case, never by a tight bounding box.
        ax.figure.savefig(path, dpi=DPI, bbox_inches=None, metadata={"Software": None})
        plt.close(ax.figure)
    return path


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_matches_baseline(name, tmp_path):
    expected = BASELINE / f"{name}.png"
    if not expected.exists():
        pytest.fail(f"no baseline {expected}; create it with `python -m tests.make_plot_baselines` and look at it")
    actual = render(name, tmp_path / f"{name}.png")
    result = compare_images(str(expected), str(actual), tol=TOLERANCE, in_decorator=True)
    assert result is None, (f"{name} differs from its baseline (RMS {result['rms']:.2f} > {TOLERANCE}); "
                            f"diff image: {result['diff']}. If the change is intended, regenerate with "
                            f"`python -m tests.make_plot_baselines`.")


def test_comparison_detects_a_changed_figure(tmp_path):
    """The comparison is not blind: a figure with one value changed fails against the baseline."""
    expected = BASELINE / "heatmap_mean.png"
    if not expected.exists():
        pytest.skip("baseline missing (see test_figure_matches_baseline)")
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        set_font_settings_for_testing()
        r = plot_rubric()
        table = pd.DataFrame([[1.2, 2.5, 3.0], [3.75, 4.6, 4.9]], index=["Ngành G", "Ngành J"],
                             columns=["VHO.A.1", "VHO.A.2", "DLI.A.1"])
        fig, ax = plt.subplots(figsize=(6.5, 2.6), layout="constrained")
        plots.heatmap(table, rubric=r, labels="text", title="Mức trung bình", ax=ax)
        fig.savefig(tmp_path / "changed.png", dpi=DPI, bbox_inches=None, metadata={"Software": None})
        plt.close(fig)
    result = compare_images(str(expected), str(tmp_path / "changed.png"), tol=TOLERANCE, in_decorator=True)
    assert result is not None and result["rms"] > TOLERANCE
