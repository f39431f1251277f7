"""Statistics of a Dask DataFrame or a Parquet dataset read each partition once when levels= is not given.

Each partition finds the values it holds and counts on them; the tables are merged on the union of the
values and placed on the levels the in-memory call infers. The oracle is the in-memory call on the same
rows (itself checked against R/SciPy in the other stats tests): the partitions here are cut so that some
of them never see some levels, the answers have gaps, weights and values that are not a run of integers.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
import pandas as pd
import pytest

import dxlab.stats as st
from dxlab.stats._source import ParquetSource

dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")

ITEMS = ["q0", "q1", "q2", "q3"]


def _skewed(n: int = 900, seed: int = 3, values: tuple[float, ...] = (1, 2, 3, 4, 5)) -> pd.DataFrame:
    """Answers sorted by q0, so the first partitions hold only low levels and the last only high ones."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    data: dict[str, Any] = {}
    grid = np.asarray(values)
    for j, item in enumerate(ITEMS):
        position = np.digitize(0.8 * latent + 0.6 * rng.normal(size=n), [-1.0, -0.3, 0.4, 1.1])
        answers = grid[np.minimum(position, len(grid) - 1)]
        column = pd.array(answers, dtype="Float64" if grid.dtype.kind == "f" else "Int64")
        if j in (1, 3):
            column[rng.random(n) < 0.1] = pd.NA
        data[item] = column
    data["sector"] = rng.choice(["Bán lẻ", "Du lịch", "Sản xuất"], size=n)
    data["size"] = rng.choice([1, 2, 3], size=n)
    data["w"] = rng.uniform(0.2, 3.0, size=n)
    frame = pd.DataFrame(data).sort_values("q0", kind="stable", na_position="first").reset_index(drop=True)
    return frame


CALLS = {
    "distribution": lambda d: st.level_distribution(d, ITEMS),
    "distribution by sector, weighted": lambda d: st.level_distribution(d, ITEMS, by="sector", weights="w"),
    "spearman": lambda d: st.correlations(d, ITEMS, method="spearman"),
    "kendall": lambda d: st.correlations(d, ITEMS, method="kendall"),
    "polychoric": lambda d: st.correlations(d, ITEMS, method="polychoric"),
    "polychoric weighted": lambda d: st.correlations(d, ITEMS, method="polychoric", weights="w"),
    "pearson": lambda d: st.correlations(d, ITEMS, method="pearson"),
    "pearson weighted": lambda d: st.correlations(d, ITEMS, method="pearson", weights="w"),
    "correlation matrix": lambda d: st.correlation_matrix(d, ITEMS, method="polychoric"),
    "association": lambda d: st.association(d, ITEMS, by="sector"),
    "association weighted, numeric groups": lambda d: st.association(d, ITEMS, by="size", weights="w"),
    "compare groups": lambda d: st.compare_groups(d, ITEMS, by="sector", n_boot=50, seed=2),
    "reliability, reversed": lambda d: st.reliability(d, ITEMS, reverse=["q2"]),
    "reliability polychoric listwise weighted, reversed": lambda d: st.reliability(
        d, ITEMS, method="polychoric", missing="listwise", weights="w", reverse=["q1", "q3"]
    ),
    "item analysis weighted, reversed": lambda d: st.item_analysis(d, ITEMS, weights="w", reverse=["q3"]),
    "spearman by sector": lambda d: st.correlations(d, ITEMS, method="spearman", by="sector"),
    "polychoric by sector, weighted": lambda d: st.correlations(d, ITEMS[:3], method="polychoric", by="sector",
                                                                weights="w"),
    "pearson by size, weighted": lambda d: st.correlations(d, ITEMS, method="pearson", by="size", weights="w"),
    "correlation matrix by sector": lambda d: st.correlation_matrix(d, ITEMS, method="kendall", by="sector"),
}
# one pass for the tables; with by= one more finds the groups' keys first (as level_distribution does)
PASSES = {call: 2 if "by " in call or call.startswith(("association", "compare")) else 1 for call in CALLS}
LOOSER = {call: 1e-10 for call in CALLS if "weighted" in call and ("reliability" in call or "polychoric" in call)}


def _same(got: pd.DataFrame, expected: pd.DataFrame, call: str, where: str) -> None:
    tolerance = LOOSER.get(call, 1e-12)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=tolerance, atol=tolerance,
                                  obj=f"{where}: {call}")
    assert got.attrs.get("note", "") == expected.attrs.get("note", ""), (where, call)


def _counted(frame: pd.DataFrame, npartitions: int) -> tuple[Any, list[int]]:
    """A Dask DataFrame whose partitions say when they are read: a map_partitions step at the end of the graph."""
    reads: list[int] = []

    def counted(part: pd.DataFrame, run: str) -> pd.DataFrame:
        reads.append(len(part))
        return part

    # a fresh name per frame: dask keeps expressions by name, and an equal one would count into an old list
    ddf = dd.from_pandas(frame, npartitions=npartitions)
    return ddf.map_partitions(counted, run=uuid.uuid4().hex, meta=frame.iloc[:0]), reads


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return _skewed()


def test_the_partitions_do_not_all_hold_every_level(frame):
    """The premise of the tests below: some partitions never see the lowest or the highest level."""
    parts = dd.from_pandas(frame, npartitions=4).to_delayed()
    seen = [set(part.compute()["q0"].dropna().astype(int)) for part in parts]
    assert seen[0] != seen[-1] and 5 not in seen[0] and 1 not in seen[-1], seen


@pytest.mark.parametrize("call", list(CALLS))
def test_each_partition_is_read_once_and_the_numbers_are_the_in_memory_numbers(frame, call):
    expected = CALLS[call](frame)
    for npartitions in (1, 4, 7):
        ddf, reads = _counted(frame, npartitions)
        with dask.config.set(scheduler="synchronous"):
            got = CALLS[call](ddf)
        assert sum(1 for r in reads if r) == npartitions * PASSES[call], (call, npartitions, reads)
        _same(got, expected, call, f"dask {npartitions}")


@pytest.mark.parametrize(
    "values", [(1.0, 1.5, 2.0, 3.5, 4.0), (0, 50, 100, 150, 200), (2, 3, 4, 6, 7)], ids=["halves", "wide", "gap"]
)
def test_levels_that_are_not_a_run_of_integers_are_found_as_in_memory(values):
    """Values a partition holds are its levels, not every integer between its extremes: 0–200 in steps of 50
    has five levels in memory, and one partition seeing 0–100 must not add 1, 2, …, 99. A level nobody chose
    (5 of 2–7) is kept with count 0 and noted, as in memory."""
    data = _skewed(n=600, seed=8, values=values)
    for call in ("distribution", "spearman", "polychoric weighted", "association", "item analysis weighted, reversed",
                 "reliability, reversed"):
        if "reversed" in call and values[0] == 1.0:  # reverse= needs evenly spaced levels, here too
            with pytest.raises(ValueError, match="evenly spaced levels"):
                CALLS[call](data)
            with pytest.raises(ValueError, match="evenly spaced levels"):
                CALLS[call](dd.from_pandas(data, npartitions=3))
            continue
        expected = CALLS[call](data)
        for npartitions in (3, 5):
            where = f"{values}, {npartitions} partitions"
            _same(CALLS[call](dd.from_pandas(data, npartitions=npartitions)), expected, call, where)


def test_a_parquet_folder_of_float_answers_is_read_once(frame, tmp_path, monkeypatch):
    """Float columns carry no integer statistics to take the levels from: the levels are found in the one pass."""
    folder = tmp_path / "answers"
    folder.mkdir()
    floats = frame.astype({item: "float64" for item in ITEMS})
    for part, (lo, hi) in enumerate([(0, 200), (200, 201), (201, 600), (600, len(frame))]):
        floats.iloc[lo:hi].to_parquet(folder / f"part-{part}.parquet", index=False)
    scans: list[tuple[str, ...]] = []
    original = ParquetSource._parts

    def counting(self, columns):
        scans.append(tuple(columns))
        return original(self, columns)

    monkeypatch.setattr(ParquetSource, "_parts", counting)
    for call in ("distribution", "spearman", "polychoric weighted", "pearson weighted", "association",
                 "compare groups", "reliability, reversed", "item analysis weighted, reversed", "spearman by sector"):
        scans.clear()
        got = CALLS[call](ParquetSource(folder, batch_rows=128))
        assert len(scans) == PASSES[call], (call, scans)
        _same(got, CALLS[call](floats), call, "parquet")


def test_a_local_dask_cluster_reads_once_and_gives_the_same_numbers(frame):
    distributed = pytest.importorskip("dask.distributed")
    ddf = dd.from_pandas(frame, npartitions=5)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") \
            as cluster, distributed.Client(cluster):
        for call in ("polychoric weighted", "association weighted, numeric groups", "compare groups",
                     "reliability polychoric listwise weighted, reversed", "polychoric by sector, weighted"):
            _same(CALLS[call](ddf), CALLS[call](frame), call, "LocalCluster")


def test_values_that_are_not_levels_are_still_reported(frame):
    """A part whose answers are not levels falls back to the levels pass, whose error names the problem."""
    wide = frame.astype({"q2": "float64"})
    wide["q2"] = np.arange(len(wide), dtype=float) / 7.0  # a measure, not levels: hundreds of values
    with pytest.raises(ValueError, match="distinct values is too many for ordinal levels"):
        st.correlations(dd.from_pandas(wide, npartitions=3), ITEMS)
    with pytest.raises(ValueError, match="distinct values is too many for ordinal levels"):
        st.correlations(wide, ITEMS)
    strings = frame.astype({"q2": "string"})
    with pytest.raises(ValueError, match="holds .* values, not levels"):
        st.correlations(dd.from_pandas(strings, npartitions=3), ITEMS)


def test_each_group_of_a_source_finds_its_own_levels_and_notes(frame, tmp_path):
    """As each group of a DataFrame does: a stray 9 in one sector gives that sector — only — a note naming the
    row, on a Dask DataFrame and on a Parquet file whose statistics give the levels of the whole data."""
    stray = frame.copy()
    row = int(np.flatnonzero(stray["sector"] == "Du lịch")[40])
    stray.loc[row, "q2"] = 9
    path = tmp_path / "stray.parquet"
    stray.to_parquet(path, index=False, row_group_size=200)
    for call in ("spearman by sector", "correlation matrix by sector", "polychoric by sector, weighted"):
        expected = CALLS[call](stray)
        sources = {"dask": dd.from_pandas(stray, npartitions=4), "parquet": ParquetSource(path, batch_rows=150)}
        for name, data in sources.items():
            _same(CALLS[call](data), expected, call, name)
    table = st.correlations(stray, ITEMS, by="sector")
    notes = table.groupby("sector")["note"].apply(lambda column: column.str.contains("9").any())
    assert notes.to_dict() == {"Bán lẻ": False, "Du lịch": True, "Sản xuất": False}
    assert f"row {row}" in " ".join(st.correlations(ParquetSource(path), ITEMS, by="sector")["note"])


def test_compare_groups_checks_a_source_against_the_given_levels_in_its_one_pass(frame, tmp_path):
    """With levels= the values of a source are checked in the pass that builds the tables: a stray 9 is the
    error the DataFrame call gives (column, row, value), not a ninth level; valid answers still read once."""
    stray = frame.copy()
    stray.loc[123, "q2"] = 9
    with pytest.raises(ValueError, match=r"column 'q2', row 123: value\(s\) 9 not among the levels") as memory:
        st.compare_groups(stray, ITEMS, by="sector", levels=range(1, 6), n_boot=0)
    path = tmp_path / "stray.parquet"
    stray.to_parquet(path, index=False, row_group_size=200)
    for data in (dd.from_pandas(stray, npartitions=4), ParquetSource(path, batch_rows=150)):
        with pytest.raises(ValueError) as source:
            st.compare_groups(data, ITEMS, by="sector", levels=range(1, 6), n_boot=0)
        assert str(source.value) == str(memory.value)
    ddf, reads = _counted(frame, 4)
    with dask.config.set(scheduler="synchronous"):
        got = st.compare_groups(ddf, ITEMS, by="sector", levels=range(1, 6), n_boot=50, seed=2)
    assert sum(1 for r in reads if r) == 4 * 2, reads
    _same(got, st.compare_groups(frame, ITEMS, by="sector", levels=range(1, 6), n_boot=50, seed=2), "compare", "dask")
