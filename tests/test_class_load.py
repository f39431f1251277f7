"""A lecture hall at once: 150 simulated students run join → every page → submit concurrently against a
real ``dxlab class serve`` (a child process on 127.0.0.1), and every submission is stored exactly once.

Bounded: loopback only, one short rubric dimension pair, a 5-minute ceiling; timings are printed, never
asserted (benchmarks/bench_class.py measures them).
"""

from __future__ import annotations

import asyncio
import statistics
from pathlib import Path

import httpx
import pytest

import dxlab
from dxlab.questionnaire import ResponseStore
from dxlab.questionnaire.web._process import ClassServerProcess
from dxlab.questionnaire.web._simulate import simulate_student

pytestmark = pytest.mark.slow

STUDENTS = 150
RUBRIC = dxlab.load_rubric("mobifone-dx")


def level_for(student: int):
    return lambda criterion, levels: levels[(student + sum(map(ord, criterion))) % len(levels)]


async def _class(base: str, code: str):
    limits = asyncio.Semaphore(STUDENTS)  # all at once: the bound is the class size
    async def one(i: int):
        async with limits:
            return await simulate_student(base, code, level_for(i), sector="ABCDEFGHJ"[i % 9],
                                          size=("micro", "small", "medium", "large")[i % 4], timeout=240)
    return await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(STUDENTS))), timeout=300)


def test_150_students_at_once_are_all_stored_exactly_once(tmp_path: Path):
    store_path = tmp_path / "hall.sqlite"
    args = ["--port", "0", "--store", str(store_path), "--class-code", "HALL150", "--dimensions", "CUS,STR",
            "--wave", "K66"]
    with ClassServerProcess(args, cwd=tmp_path, log=tmp_path / "server.log") as server:
        runs = asyncio.run(_class(server.base_url, "HALL150"))
        with httpx.Client(base_url=server.base_url) as teacher:
            teacher.get(server.teacher_url.replace(server.base_url, ""))
            live = teacher.get("/teacher/live").json()
    assert (live["joined"], live["submitted"]) == (STUDENTS, STUDENTS)

    frame = ResponseStore(store_path, readonly=True).to_frame(RUBRIC, latest_only=False)
    assert len(frame) == STUDENTS and frame["response_id"].is_unique
    assert sorted(frame["enterprise_id"]) == sorted(run.code for run in runs)
    assert (frame["version"] == 1).all()
    by_code = frame.set_index("enterprise_id")
    for run in runs:  # what each student clicked is what the store holds for that student, nothing mixed
        assert by_code.loc[run.code, list(run.levels)].astype(int).to_dict() == run.levels
    first = sorted(run.first_page for run in runs)
    later = sorted(t for run in runs for t in run.later_pages)
    print(f"\n150 students: first page p90 {first[int(0.9 * len(first))]:.3f} s, later pages p90 "
          f"{later[int(0.9 * len(later))]:.3f} s (median {statistics.median(later):.3f} s)")
