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
    "reliability weighted": lambda d: st.reliability(d, ITEMS, weights="w"),
    "reliability listwise weighted": lambda d: st.reliability(d, ITEMS, missing="listwise", weights="w"),
    "reliability polychoric": lambda d: st.reliability(d, ITEMS, method="polychoric"),
    "reliability polychoric listwise weighted": lambda d: st.reliability(d, ITEMS, method="polychoric",
                                                                         missing="listwise", weights="w"),
    "reliability of two scales, reversed": lambda d: st.reliability(d, {"a": ITEMS[:3], "b": ITEMS[1:]},
                                                                    reverse=["q1"], levels=range(1, 6)),
    "item analysis weighted": lambda d: st.item_analysis(d, ITEMS, weights="w"),
    "item analysis listwise weighted, reversed": lambda d: st.item_analysis(d, ITEMS, missing="listwise",
                                                                           weights="w", reverse=["q4"]),
    "reliability by sector": lambda d: st.reliability(d, ITEMS, by="sector"),
    "reliability by two columns, weighted, listwise": lambda d: st.reliability(d, ITEMS, by=["sector", "size"],
                                                                               weights="w", missing="listwise"),
    "item analysis by sector, weighted": lambda d: st.item_analysis(d, ITEMS, by="sector", weights="w"),
    "spearman by sector": lambda d: st.correlations(d, ITEMS, method="spearman", by="sector"),
    "polychoric by size, weighted": lambda d: st.correlations(d, ITEMS[:3], method="polychoric", by="size",
                                                              weights="w"),
    "correlation matrix by sector": lambda d: st.correlation_matrix(d, ITEMS, method="kendall", by="sector"),
    "compare groups": lambda d: st.compare_groups(d, ITEMS, by="sector", n_boot=200, seed=1),
}


# Weighted sums added in another order differ in the last bits; ω's iterative one-factor fit (stopping at
# steps of 1e-13) turns that into ~1e-12 — everything else stays within 1e-12.
LOOSER = {call: 1e-10 for call in CALLS if "weighted" in call and ("reliability" in call or "polychoric" in call)}


@pytest.mark.parametrize("call", list(CALLS))
def test_every_split_gives_the_in_memory_numbers(frame, datasets, call):
    expected = CALLS[call](frame)
    tolerance = LOOSER.get(call, 1e-12)
    for name, data in datasets.items():
        got = CALLS[call](data)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=tolerance, atol=tolerance, obj=name)


def test_a_local_dask_cluster_gives_the_same_numbers(frame):
    distributed = pytest.importorskip("dask.distributed")
    ddf = dd.from_pandas(frame, npartitions=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") \
            as cluster, distributed.Client(cluster):
        for call in ("distribution by sector, weighted", "polychoric", "reliability", "spearman",
                     "reliability by two columns, weighted, listwise", "item analysis by sector, weighted"):
            tolerance = LOOSER.get(call, 1e-12)
            pd.testing.assert_frame_equal(CALLS[call](ddf), CALLS[call](frame), check_exact=False, rtol=tolerance,
                                          atol=tolerance, obj=call)


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


def test_reliability_of_a_source_moves_sums_not_rows(frame, datasets, monkeypatch):
    """α, ω and item statistics of a Parquet folder (levels from the files' statistics) never gather rows:
    every part returns its sums, and the group analyses make one pass per kind of table for all groups."""
    from dxlab.stats._source import Source

    def refuse(self, work, columns):
        raise AssertionError(f"rows gathered: {columns}")

    reduced: list[tuple[str, ...]] = []
    original = ParquetSource.reduce

    def counting(self, work, columns, combine=None):
        reduced.append(tuple(columns))
        return original(self, work, columns, combine)

    monkeypatch.setattr(Source, "gather", refuse)
    monkeypatch.setattr(ParquetSource, "gather", refuse)
    monkeypatch.setattr(ParquetSource, "reduce", counting)
    source = ParquetSource(datasets["many files"])
    for call in ("reliability", "reliability listwise weighted", "reliability polychoric", "item analysis weighted"):
        reduced.clear()
        tolerance = LOOSER.get(call, 1e-12)
        pd.testing.assert_frame_equal(CALLS[call](source), CALLS[call](frame), check_exact=False, rtol=tolerance,
                                      atol=tolerance, obj=call)
        assert len(reduced) == 1, call
    monkeypatch.setattr(ParquetSource, "gather", lambda self, work, columns: [work(p) for p in self._parts(columns)])
    reduced.clear()
    got = st.reliability(source, ITEMS, by="sector", weights="w")
    pd.testing.assert_frame_equal(got, st.reliability(frame, ITEMS, by="sector", weights="w"), check_exact=False,
                                  rtol=1e-10, atol=1e-10)
    assert len(reduced) == 1  # every group's sums from one pass


def test_bootstrap_intervals_of_a_source_gather_the_codes(frame, datasets):
    expected = st.reliability(frame, ITEMS, n_boot=30, seed=3)
    got = st.reliability(datasets["dask 3"], ITEMS, n_boot=30, seed=3)
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-12, atol=1e-12)


def test_the_moment_kernel_gives_the_numpy_moments(frame):
    """The compiled pairwise moments are the float32-product moments of pair_moments, to the last bit."""
    from dxlab.stats._scale_sums import _raw_moments, moments_of
    from dxlab.stats._tables import encode, pair_moments

    rng = np.random.default_rng(5)
    complete = pd.DataFrame({f"c{j}": rng.integers(-2, 3, 3_000) for j in range(6)})
    for enc in (encode(frame, ITEMS), encode(frame, ITEMS, range(0, 9)), encode(complete, list(complete))):
        got, expected = moments_of(_raw_moments(enc, None)), pair_moments(enc)
        for field in ("n", "sx", "sxx", "sxy"):
            assert np.array_equal(getattr(got, field), getattr(expected, field)), field
        chosen = rng.random(enc.n_rows) < 0.6  # a row mask, as for the rows answering a whole scale
        got = moments_of(_raw_moments(enc, None, [2, 0, 1], chosen.view(np.uint8)))
        expected = pair_moments(enc.subset(np.flatnonzero(chosen), [2, 0, 1]))
        for field in ("n", "sx", "sxx", "sxy"):
            assert np.array_equal(getattr(got, field), getattr(expected, field)), field
        w = frame["w"].to_numpy()[: enc.n_rows] if enc.n_rows == len(frame) else rng.uniform(0.2, 3, enc.n_rows)
        got, expected = moments_of(_raw_moments(enc, w)), pair_moments(enc, w)
        for field in ("n", "sx", "sxx", "sxy"):
            np.testing.assert_allclose(getattr(got, field), getattr(expected, field), rtol=1e-13, err_msg=field)


def test_a_dask_frame_is_read_once_by_reliability_and_item_analysis(frame):
    """Without levels=, each partition finds its own levels and counts on them in the same task: every
    partition is read once (counted by a map_partitions step in the graph), and the numbers are unchanged."""
    import dask

    reads: list[int] = []

    def counted(part: pd.DataFrame) -> pd.DataFrame:
        reads.append(len(part))
        return part

    ddf = dd.from_pandas(frame, npartitions=3).map_partitions(counted, meta=frame.iloc[:0])
    for call in ("reliability", "reliability listwise weighted", "reliability polychoric", "item analysis weighted"):
        reads.clear()
        with dask.config.set(scheduler="synchronous"):
            got = CALLS[call](ddf)
        assert sum(1 for r in reads if r) == 3 and sum(reads) == len(frame), (call, reads)
        tolerance = LOOSER.get(call, 1e-12)
        pd.testing.assert_frame_equal(got, CALLS[call](frame), check_exact=False, rtol=tolerance, atol=tolerance,
                                      obj=call)
    # by group: one pass finds the groups, one more builds every group's sums on its own levels
    for call in ("reliability by sector", "item analysis by sector, weighted"):
        reads.clear()
        with dask.config.set(scheduler="synchronous"):
            got = CALLS[call](ddf)
        assert sum(1 for r in reads if r) == 6, (call, reads)
        pd.testing.assert_frame_equal(got, CALLS[call](frame), check_exact=False, rtol=1e-12, atol=1e-12, obj=call)


def test_dask_frames_read_from_parquet_or_with_empty_partitions(frame, datasets):
    """A Dask DataFrame read from Parquet (Arrow-backed columns) and one whose last partitions are empty give
    the in-memory numbers on the one-pass path."""
    from_parquet = dd.read_parquet(str(datasets["many files"]))
    gappy = dd.from_pandas(frame, npartitions=3).map_partitions(lambda part: part[part.index < 400],
                                                                  meta=frame.iloc[:0])
    for call in ("reliability", "reliability listwise weighted", "reliability polychoric", "item analysis weighted",
                 "reliability by sector"):
        tolerance = LOOSER.get(call, 1e-12)
        pd.testing.assert_frame_equal(CALLS[call](from_parquet), CALLS[call](frame), check_exact=False,
                                      rtol=tolerance, atol=tolerance, obj=f"read_parquet: {call}")
        pd.testing.assert_frame_equal(CALLS[call](gappy), CALLS[call](frame.iloc[:400]), check_exact=False,
                                      rtol=tolerance, atol=tolerance, obj=f"empty partitions: {call}")


def test_level_distribution_of_a_dask_frame_reads_it_once_per_pass(frame):
    """Levels, weighted counts, answers, Σw² and the levels note come from one pass (a second finds the
    groups' keys when there is a by=)."""
    import dask

    reads: list[int] = []

    def counted(part: pd.DataFrame) -> pd.DataFrame:
        reads.append(len(part))
        return part

    ddf = dd.from_pandas(frame, npartitions=3).map_partitions(counted, meta=frame.iloc[:0])
    for call, passes in (("distribution", 1), ("distribution by sector, weighted", 2),
                         ("distribution by two columns", 2)):
        reads.clear()
        with dask.config.set(scheduler="synchronous"):
            got = CALLS[call](ddf)
        assert sum(1 for r in reads if r) == 3 * passes, (call, reads)
        pd.testing.assert_frame_equal(got, CALLS[call](frame), check_exact=False, rtol=1e-12, atol=1e-12, obj=call)
