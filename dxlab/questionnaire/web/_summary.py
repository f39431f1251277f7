"""The teacher's live numbers: who joined and submitted, levels per dimension, the class profile.

Computed from the students' last submitted answers held by :class:`~._state.ClassState` (the same values
stored in the submissions table) with :func:`dxlab.score`, once per change of the class — the teacher's
page asks every few seconds and gets the cached summary in between.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ...rubric import Rubric
from ...scoring import score
from ._state import ClassState, Student

__all__ = ["ClassView", "LiveSummary", "summarise"]


@dataclass(frozen=True)
class ClassView:
    """A snapshot of the class for the teacher's page.

    ``overall`` and each ``dimensions[id]`` count submitted students per level (index 0 = lowest level);
    ``criteria[id]`` the same per criterion; ``medians[id]`` the class median of each dimension score
    (``None`` before anyone submitted). ``students`` are in joining order.
    """

    changes: int
    is_open: bool
    joined: int
    submitted: int
    overall: tuple[int, ...]
    not_placed: int
    dimensions: dict[str, tuple[int, ...]]
    medians: dict[str, float | None]
    criteria: dict[str, tuple[int, ...]]
    students: tuple[Student, ...]


def _counts(values: pd.Series, levels: Sequence[int]) -> tuple[int, ...]:
    found = values.dropna().astype(int).value_counts()
    return tuple(int(found.get(v, 0)) for v in levels)


def summarise(state: ClassState, rubric: Rubric) -> ClassView:
    """The :class:`ClassView` of ``state`` now (``rubric``: the rubric as asked)."""
    changes = state.changes
    students = tuple(sorted(state.students.values(), key=lambda s: (s.joined_at, s.code)))
    done = [s for s in students if s.has_submitted]
    levels = list(rubric.level_values)
    criteria = list(rubric.criterion_ids)
    frame = pd.DataFrame({c: pd.array([s.submitted.get(c) for s in done], dtype="Int8") for c in criteria})
    dims = [d.id for d in rubric.dimensions]
    if done:
        scores = score(frame, rubric)
        overall = scores.overall["level"]
        per_dim = {d: _counts(scores.levels[d], levels) for d in dims}
        medians = {
            d: (None if scores.dimensions[d].dropna().empty else float(scores.dimensions[d].median())) for d in dims
        }
        not_placed = int(overall.isna().sum())
        overall_counts = _counts(overall, levels)
    else:
        per_dim = {d: (0,) * len(levels) for d in dims}
        medians = {d: None for d in dims}
        not_placed, overall_counts = 0, (0,) * len(levels)
    per_criterion = {c: _counts(frame[c], levels) for c in criteria}
    return ClassView(
        changes,
        state.is_open,
        len(students),
        len(done),
        overall_counts,
        not_placed,
        per_dim,
        medians,
        per_criterion,
        students,
    )


class LiveSummary:
    """:func:`summarise` cached until the class changes; one computation at a time."""

    def __init__(self, state: ClassState, rubric: Rubric):
        self.state, self.rubric = state, rubric
        self._view: ClassView | None = None
        self._lock = threading.Lock()

    def current(self) -> ClassView:
        with self._lock:
            view = self._view
            if view is None or view.changes != self.state.changes or view.is_open != self.state.is_open:
                view = self._view = summarise(self.state, self.rubric)
            return view
