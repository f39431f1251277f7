"""Statistics from a Parquet dataset or a Dask DataFrame equal the same statistics in memory.

The in-memory result (itself checked against R/SciPy in the other stats tests) is the oracle; the data are
split several ways — one file, many files, small row groups and batches, several Dask partitions, a
``dask.distributed`` cluster started here — and every table-building function must give the same numbers.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd
import pytest

import dxlab
import dxlab.stats as st
from dxlab.cli import main
from dxlab.stats._source import ParquetSource, as_frame_or_source

dd = pytest.importorskip("dask.dataframe")

ITEMS = [f"q{j}" for j in range(5)]


def _frame(n: int = 1_200, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    data: dict[str, Any] = {}
    for j, item in enumerate(ITEMS):
        level = np.digitize(0.7 * latent + 0.7 * rng.normal(size=n), [-1.0, -0.2, 0.6, 1.4]) + 1
        column = pd.array(level.astype(np.int8), dtype="Int8")
        if j < 3:
            column[rng.random(n) < 0.08] = pd.NA
        data[item] = column
    data["sector"] = rng.choice(["Bán lẻ", "Du lịch", "Sản xuất"], size=n)
    data["size"] = rng.choice(["nhỏ", "vừa"], size=n)
    data["w"] = rng.uniform(0.2, 3.0, size=n)
    return pd.DataFrame(data)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return _frame()


@pytest.fixture(scope="module")
def datasets(frame, tmp_path_factory) -> dict[str, object]:
    """The same rows as Parquet written three ways and as Dask DataFrames of 1, 3 and 7 partitions."""
    root = tmp_path_factory.mktemp("parquet")
    one = root / "one.parquet"
    frame.to_parquet(one, index=False)
    many = root / "many"
    many.mkdir()
    bounds = [0, 100, 101, 640, len(frame)]
    for part, (lo, hi) in enumerate(itertools.pairwise(bounds)):
        frame.iloc[lo:hi].to_parquet(many / f"part-{part:03d}.parquet", index=False)
    groups = root / "row-groups.parquet"
    frame.to_parquet(groups, index=False, row_group_size=97)
    return {"one file": str(one), "many files": many, "row groups, batches of 50": ParquetSource(groups,
                                                                                               batch_rows=50),
            "dask 1": dd.from_pandas(frame, npartitions=1), "dask 3": dd.from_pandas(frame, npartitions=3),
            "dask 7": dd.from_pandas(frame, npartitions=7)}


CALLS = {
    "distribution": lambda d: st.level_distribution(d, ITEMS),
    "distribution by sector, weighted": lambda d: st.level_distribution(d, ITEMS, by="sector", weights="w"),
    "distribution by two columns": lambda d: st.level_distribution(d, ITEMS, by=["sector", "size"]),
    "association": lambda d: st.association(d, ITEMS, by="sector"),
    "association weighted": lambda d: st.association(d, ITEMS, by="size", weights="w"),
    "spearman": lambda d: st.correlations(d, ITEMS, method="spearman"),
    "spearman, complete items": lambda d: st.correlations(d, ITEMS[3:], method="spearman"),
    "kendall": lambda d: st.correlations(d, ITEMS, method="kendall"),
    "polychoric": lambda d: st.correlations(d, ITEMS, method="polychoric"),
    "polychoric weighted": lambda d: st.correlations(d, ITEMS, method="polychoric", weights="w"),
    "pearson weighted": lambda d: st.correlations(d, ITEMS, method="pearson", weights="w"),
    "correlation matrix": lambda d: st.correlation_matrix(d, ITEMS, method="polychoric"),
    "reliability": lambda d: st.reliability(d, ITEMS),
    "reliability listwise": lambda d: st.reliability(d, ITEMS, missing="listwise"),
    "item analysis": lambda d: st.item_analysis(d, ITEMS),
    "compare groups": lambda d: st.compare_groups(d, ITEMS, by="sector", n_boot=200, seed=1),
}


@pytest.mark.parametrize("call", list(CALLS))
def test_every_split_gives_the_in_memory_numbers(frame, datasets, call):
    expected = CALLS[call](frame)
    for name, data in datasets.items():
        got = CALLS[call](data)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-12, obj=name)


def test_a_local_dask_cluster_gives_the_same_numbers(frame):
    distributed = pytest.importorskip("dask.distributed")
    ddf = dd.from_pandas(frame, npartitions=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster):
        for call in ("distribution by sector, weighted", "polychoric", "reliability", "spearman"):
            pd.testing.assert_frame_equal(CALLS[call](ddf), CALLS[call](frame), check_exact=False, rtol=1e-12,
                                          atol=1e-12, obj=call)


def test_tables_of_parts_add_up_to_the_tables_of_the_whole(frame):
    from dxlab.stats._tables import encode, pair_moments, pair_tables

    enc = encode(frame, ITEMS)
    halves = [encode(frame.iloc[:517], ITEMS, enc.levels), encode(frame.iloc[517:], ITEMS, enc.levels)]
    assert np.array_equal(st.add_tables(*(pair_tables(h) for h in halves)), pair_tables(enc))
    summed = st.add_tables(*(pair_moments(h) for h in halves), None)
    np.testing.assert_allclose(summed.sxy, pair_moments(enc).sxy, rtol=1e-12)
    assert st.add_tables(None) is None
    with pytest.raises(ValueError, match="different shapes"):
        st.add_tables(np.zeros((2, 2)), np.zeros((3, 3)))


def test_score_reads_parquet_and_scores_dask_partitions(tmp_path):
    rubric = dxlab.load_rubric("mobifone-dx")
    responses = dxlab.sample.synthetic_responses(rubric, n=600, seed=4)
    folder = tmp_path / "responses"
    folder.mkdir()
    responses.iloc[:250].to_parquet(folder / "a.parquet")
    responses.iloc[250:].to_parquet(folder / "b.parquet")
    for scheme in ("mean", "dbi2021", "dma100"):
        expected = dxlab.score(responses, rubric, scheme)
        from_parquet = dxlab.score(folder, rubric, scheme)
        from_dask = dxlab.score(dd.from_pandas(responses, npartitions=3), rubric, scheme)
        for part in ("criteria", "groups", "dimensions", "levels", "overall"):
            pd.testing.assert_frame_equal(getattr(from_parquet, part), getattr(expected, part), check_dtype=False)
            # Dask stores text as Arrow strings: same values, another string dtype
            pd.testing.assert_frame_equal(getattr(from_dask, part), getattr(expected, part), check_dtype=False,
                                          check_index_type=False)
        for key in expected.details:
            pd.testing.assert_frame_equal(from_dask.details[key], expected.details[key], check_dtype=False,
                                          check_index_type=False)


def test_cli_reads_a_parquet_folder(tmp_path, capsys):
    rubric = dxlab.load_rubric("mobifone-dx")
    responses = dxlab.sample.synthetic_responses(rubric, n=300, seed=5)
    folder = tmp_path / "responses"
    folder.mkdir()
    responses.iloc[:120].to_parquet(folder / "a.parquet")
    responses.iloc[120:].to_parquet(folder / "b.parquet")
    assert main(["stats", "distribution", str(folder), "--by", "size", "--out", str(tmp_path)]) == 0
    written = pd.read_csv(tmp_path / "level-distribution-by-size.csv", encoding="utf-8-sig")
    expected = st.level_distribution(responses, list(rubric.criterion_ids), by="size", levels=rubric)
    np.testing.assert_allclose(written["share"].to_numpy(), expected["share"].to_numpy(), rtol=1e-9)
    assert main(["score", str(folder), "--rubric", "mobifone-dx", "--out", str(tmp_path)]) == 0
    capsys.readouterr()


def test_bad_sources_are_clear_errors(frame, tmp_path):
    with pytest.raises(ValueError, match="no such Parquet file or folder"):
        as_frame_or_source(tmp_path / "nowhere.parquet")
    text = tmp_path / "answers.csv"
    text.write_text("q0\n1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="answers.csv: pass a DataFrame"):
        st.level_distribution(str(text), ["q0"])
    with pytest.raises(ValueError, match="weights must name one of its columns"):
        st.level_distribution(dd.from_pandas(frame, npartitions=2), ITEMS, weights=np.ones(len(frame)))
    with pytest.raises(ValueError, match="items not in the data: nope"):
        st.correlations(dd.from_pandas(frame, npartitions=2), ["q0", "nope"])
    broken = frame.copy()
    broken.loc[1000, "q1"] = 9
    path = tmp_path / "broken.parquet"
    broken.to_parquet(path, index=False, row_group_size=300)
    with pytest.raises(ValueError, match=r"column 'q1', row 1000: value 9 is not a level"):
        st.level_distribution(ParquetSource(path, batch_rows=300), ITEMS, levels=range(1, 6))
