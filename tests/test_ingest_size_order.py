"""The normalised size column is an ordered categorical, so statistics treat size classes as ordered groups."""

from __future__ import annotations

import pandas as pd

import dxlab
from dxlab.vocab import SIZE_CLASSES


def test_cleaned_size_is_ordered_and_association_uses_the_linear_by_linear_test(tmp_path):
    path = tmp_path / "sizes.csv"
    rubric = dxlab.load_rubric("mobifone-dx")
    header = ["Mã số thuế", "Quy mô doanh nghiệp", *rubric.criterion_ids]
    rows = [[f"01000000{i:02d}", size, *["Mức 3" if (i + j) % 2 else "Mức 2" for j in range(len(rubric.criterion_ids))]]
            for i, size in enumerate(["Siêu nhỏ", "Nhỏ", "Vừa", "Lớn", "Nhỏ", "Vừa"] * 4)]
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    responses = dxlab.read_export(path, rubric).responses
    size = responses["size"]
    assert isinstance(size.dtype, pd.CategoricalDtype) and size.cat.ordered
    assert list(size.cat.categories) == list(SIZE_CLASSES)
    assert set(size.dropna()) == {"micro", "small", "medium", "large"}
    table = dxlab.stats.association(responses, ["CUS.ENG.1"], by="size", levels=rubric)
    assert table["ordinal_test"].iloc[0] == "linear-by-linear"
