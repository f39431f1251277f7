"""Write notebooks 11 (frameworks and weights) and 12 (archetypes); execute them with nbconvert afterwards."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
META = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}

SETUP = '''from pathlib import Path

import numpy as np
import pandas as pd

import dxlab
from dxlab import io, plots, stats

# The project folder is the first folder at or above this one that holds pyproject.toml.
ROOT = next(p for p in (Path.cwd(), *Path.cwd().parents) if (p / "pyproject.toml").exists())
PROCESSED = ROOT / "data" / "processed"
rubric = dxlab.load_rubric("mobifone-dx")
responses = dxlab.sample.load_processed(ROOT)
pd.set_option("display.precision", 3)
print(f"{len(responses):,} phiếu — {responses.attrs.get('note', '')}")'''

NB11 = [
    new_markdown_cell("""# 11 · Các khung đánh giá song song (Frameworks side by side)

Doanh nghiệp Việt Nam được đánh giá theo nhiều khung chồng lấn nhau: khung của MobiFone, bộ chỉ số DBI 2021 của
Bộ TT&TT, mô hình DMM của TM Forum, bộ đánh giá DMA của EU. Sổ này trả lời ba câu hỏi:

1. Nếu đánh giá theo khung khác thì doanh nghiệp đạt bao nhiêu? (**bảng ánh xạ** — `dxlab.crosswalk`)
2. Cùng dữ liệu, các cách chấm điểm có cho cùng một mức không? (`dxlab.compare_schemes`)
3. Thứ hạng các ngành có phụ thuộc vào trọng số đã chọn không? (`dxlab.stats.weight_sensitivity`)

*Crosswalks, the same data under every scheme, and how far the ranking of sectors depends on the weights.
The sample is synthetic.*"""),
    new_code_cell(SETUP),
    new_markdown_cell("""## 1. Bảng ánh xạ (crosswalks)

Mỗi liên kết có quan hệ kiểu SKOS (`exact`, `broader`, `narrower`, `related`), trọng số và nguồn gốc
(`published` — có văn bản công bố, hay `drafted` — dxlab soạn, kèm lý do). Khía cạnh nào của khung đích không
có tiêu chí tương ứng thì để trống, không suy đoán."""),
    new_code_cell('dxlab.list_crosswalks()[["id", "source", "target_kind", "target", "links"]]'),
    new_code_cell('''# NBVAL_CHECK_OUTPUT
eu = dxlab.crosswalk(responses, "mobifone-dx--eu-dma", lang="vi")
print(eu.coverage[["target", "covered", "links", "source_criteria", "relations"]].to_string(index=False))
for note in eu.notes:
    print("•", note)'''),
    new_code_cell('''import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7.5, 5), layout="constrained")
plots.crosswalk_matrix("mobifone-dx--eu-dma", lang="vi", ax=ax);'''),
    new_code_cell('''# Điểm theo thang 0–100 của DMA, trung bình theo ngành (GRN để trống: khung MobiFone không có khía cạnh xanh).
eu_by_sector = eu.scores_100.drop(columns="overall").groupby(responses["sector"].fillna("Chưa rõ").to_numpy()).mean()
io.write_csv(eu_by_sector.reset_index(names="sector"), PROCESSED / "eu-dma-by-sector.csv")
eu_by_sector.round(1)'''),
    new_markdown_cell("""## 2. Cùng dữ liệu, ba cách chấm (the same data under every scheme)

`mean` (trung bình có trọng số, mức 1–5), `dbi2021` (quy tắc điểm và điều kiện trụ cột của Bộ TT&TT, mức 0–5),
`dma100` (thang 0–100, bốn dải của EU). κ có trọng số tuyến tính đo mức độ các cách chấm xếp doanh nghiệp vào
các mức nhất quán đến đâu; tỷ lệ khác mức cho biết báo cáo sẽ nêu một mức khác thường xuyên thế nào."""),
    new_code_cell('''schemes = dxlab.compare_schemes(responses, rubric, by="sector")
# The comparison reuses dxlab.score: each scheme's overall score equals a direct call.
for name in ("mean", "dbi2021", "dma100"):
    direct = dxlab.score(responses, rubric, name).overall["score"].to_numpy()
    assert np.allclose(schemes.scores[f"{name}.score"].to_numpy(), direct, equal_nan=True)
overall = schemes.agreement[schemes.agreement["sector"].isna()].drop(columns="sector")
io.write_csv(schemes.agreement, PROCESSED / "scheme-agreement.csv")
overall.round(3)'''),
    new_code_cell('''# Mức theo `mean` (hàng) và theo `dbi2021` (cột). Quy tắc DBI xếp mức theo tỷ lệ điểm của từng trụ cột
# (> 40 % → mức 3) và số trụ cột đạt mức, nên cùng một câu trả lời có thể được xếp mức khác.
schemes.crosstabs[("mean", "dbi2021")]'''),
    new_markdown_cell("""## 3. Độ nhạy theo trọng số (weight sensitivity)

Thứ hạng ngành theo trọng số của bộ tiêu chí, trọng số bằng nhau, trọng số ngầm định của DBI 2021 (điểm tối đa
mỗi trụ cột), và 1.000 bộ trọng số ngẫu nhiên Dirichlet quanh trọng số của bộ tiêu chí."""),
    new_code_cell('''sensitivity = stats.weight_sensitivity(responses, rubric, n_random=1000, by="sector", seed=2021)
io.write_csv(sensitivity.intervals, PROCESSED / "rank-intervals-by-sector.csv")
print(f"Kendall's W over all weightings: {sensitivity.kendall_w:.3f}")
sensitivity.summary.round(3)'''),
    new_code_cell('sensitivity.weightings.round(3)'),
    new_code_cell('''fig, ax = plt.subplots(figsize=(7, 5), layout="constrained")
plots.rank_intervals(sensitivity, top=None, lang="vi", ax=ax);'''),
    new_code_cell('''# NBVAL_CHECK_OUTPUT
# Kendall's W on a small table, by hand: rank sums 4, 6, 8, 12 → S = 35, W = 12·35 / (3²·(4³ − 4)) = 0.778.
print(round(stats.kendalls_w(np.array([[1, 1, 2], [2, 3, 1], [3, 2, 3], [4, 4, 4]])), 3))'''),
]

NB12 = [
    new_markdown_cell("""# 12 · Các nhóm doanh nghiệp điển hình (Archetypes)

Có những "kiểu" doanh nghiệp nào theo hồ sơ sáu trụ cột? Phân cụm Ward (hoặc k-means) trên điểm trụ cột, số
cụm chọn theo hệ số silhouette (2–8), độ ổn định của từng cụm theo Jaccard bootstrap (Hennig, 2007), và tên mô
tả tự động ("mạnh về khách hàng, yếu về dữ liệu").

*Kinds of enterprises by their dimension profile: clusters, their stability and a descriptive name. The
sample is synthetic.*"""),
    new_code_cell(SETUP),
    new_code_cell('''scores = dxlab.score(responses, rubric, scheme="mean")
found = stats.archetypes(scores, method="ward", seed=2021, n_boot=30)
print(f"k = {found.k} ({found.method}); {len(found.notes)} note(s)")
for note in found.notes:
    print("•", note)
found.silhouette.round(3)'''),
    new_code_cell('''io.write_csv(found.clusters, PROCESSED / "archetypes.csv")
found.clusters.round(2)'''),
    new_code_cell('''import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(8, 4.8), layout="constrained")
plots.archetype_profiles(found, rubric=rubric, lang="vi", ax=ax);'''),
    new_code_cell('''# Các nhóm theo ngành (share of each sector in each archetype)
by_sector = pd.crosstab(responses["sector"].fillna("Chưa rõ").to_numpy(), found.assignments.to_numpy(),
                        rownames=["sector"], colnames=["archetype"], normalize="index").round(2)
by_sector.columns = [f"nhóm {c}" for c in by_sector.columns]
by_sector'''),
    new_markdown_cell("""## Kiểm tra trên dữ liệu có cụm biết trước (planted clusters)

Ba hồ sơ biết trước, mỗi hồ sơ 50 doanh nghiệp, nhiễu nhỏ: phân cụm phải tìm lại đúng (chỉ số Rand hiệu
chỉnh ≥ 0,9) và các cụm phải ổn định."""),
    new_code_cell('''# NBVAL_CHECK_OUTPUT
from sklearn.metrics import adjusted_rand_score

rng = np.random.default_rng(7)
centres = np.array([[4.5, 4.2, 4.0, 4.3, 3.9, 2.0], [2.0, 2.2, 1.8, 2.1, 2.3, 2.0], [3.0, 3.1, 4.6, 4.4, 2.0, 4.5]])
truth = np.repeat(np.arange(3), 50)
planted = pd.DataFrame(centres[truth] + rng.normal(0, 0.25, (150, 6)), columns=[d.id for d in rubric.dimensions])
check = stats.archetypes(planted, rubric=rubric, seed=1, n_boot=20)
print("k =", check.k, "| adjusted Rand ≥ 0.9:", adjusted_rand_score(truth, check.assignments.astype(int)) >= 0.9,
      "| all stable:", bool((check.clusters["stability"] > 0.75).all()))
print("\\n".join(check.clusters["name_vi"]))'''),
]


def main() -> None:
    for name, cells in (("11-frameworks-and-weights", NB11), ("12-archetypes", NB12)):
        notebook = new_notebook(cells=cells, metadata=META)
        path = ROOT / "notebooks" / f"{name}.ipynb"
        nbformat.write(notebook, path)
        print("wrote", path)


if __name__ == "__main__":
    main()
