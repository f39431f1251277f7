"""A class submitting at once: 40 processes write to one fresh store at the same moment.

Each process opens the store itself (so creation races too), waits at a barrier, then submits three
responses: two under its own code (versions 1 and 2) and one under a code every process shares (whose
versions must come out exactly 1..40). Every answer carries its process's pattern and every comment a
unique tag, so a lost, duplicated or mixed submission shows.

The workers come from a ``forkserver`` that imports dxlab once: 40 fresh interpreters importing pandas
would spend seconds of CPU on imports alone, and the forkserver forks from a single-threaded process.
"""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

PROCESSES = 40
CRITERIA = ("CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2")


def _pattern(worker: int, submission: int) -> list[int]:
    return [(worker + submission + j) % 5 + 1 for j in range(len(CRITERIA))]


def _worker(path: str, worker: int, barrier) -> None:
    from dxlab.questionnaire import Answer, ResponseStore, Submission

    store = ResponseStore(path, timeout=60)
    barrier.wait(timeout=60)
    for submission, code in enumerate((f"W{worker:02d}", f"W{worker:02d}", "SHARED")):
        answers = {c: Answer(level=level, comment=f"w{worker}-s{submission}")
                   for c, level in zip(CRITERIA, _pattern(worker, submission))}
        store.submit(Submission("mobifone-dx", "2026.1", enterprise_id=code, sector="J", size="small",
                                enterprise_name=f"worker {worker}", answers=answers))


def test_forty_processes_submit_at_once(tmp_path: Path):
    if "forkserver" not in mp.get_all_start_methods():
        pytest.skip("this platform has no forkserver start method")
    path = tmp_path / "class.sqlite"
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["dxlab.questionnaire._store", "dxlab.questionnaire._validate", __name__])
    barrier = ctx.Barrier(PROCESSES)
    workers = [ctx.Process(target=_worker, args=(str(path), i, barrier)) for i in range(PROCESSES)]
    for process in workers:
        process.start()
    try:
        for process in workers:
            process.join(timeout=120)
    finally:
        for process in workers:
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in workers] == [0] * PROCESSES

    with sqlite3.connect(path) as con:
        subs = pd.read_sql_query("SELECT seq, response_id, enterprise_id, version, enterprise_name FROM submissions",
                                 con)
        answers = pd.read_sql_query("SELECT seq, criterion_id, level, comment FROM answers ORDER BY seq, position",
                                    con)
    assert len(subs) == 3 * PROCESSES
    assert subs["response_id"].is_unique

    # Every (worker, submission) tag exactly once, with all five answers, none lost or doubled.
    tags = answers.groupby("seq")["comment"].agg(["nunique", "first", "size"])
    assert (tags["nunique"] == 1).all() and (tags["size"] == len(CRITERIA)).all()
    expected = {f"w{w}-s{s}" for w in range(PROCESSES) for s in range(3)}
    assert sorted(tags["first"]) == sorted(expected)

    # Nothing mixed: each submission's levels are its own worker's pattern, and its row names that worker.
    merged = tags.join(subs.set_index("seq"))
    for seq, row in merged.iterrows():
        worker, submission = (int(x) for x in row["first"][1:].split("-s"))
        assert row["enterprise_name"] == f"worker {worker}"
        assert answers.loc[answers["seq"] == seq, "level"].tolist() == _pattern(worker, submission)
        if submission < 2:
            assert row["enterprise_id"] == f"W{worker:02d}"

    # Versions: 1 and 2 for each worker's own code, and exactly 1..40 for the shared code.
    own = subs[subs["enterprise_id"] != "SHARED"].groupby("enterprise_id")["version"].apply(sorted)
    assert len(own) == PROCESSES and all(v == [1, 2] for v in own)
    assert sorted(subs.loc[subs["enterprise_id"] == "SHARED", "version"]) == list(range(1, PROCESSES + 1))
