"""Each student's result, scored many students at a time.

:func:`score_many` gives, for every set of answers, what :func:`dxlab.questionnaire._result.compute_result`
gives for one (overall score and level, each dimension's score and level, the top next steps toward the
target) from one :func:`dxlab.score` and one :func:`dxlab.gaps` call on all of them: pandas' fixed cost is
paid once per batch, not once per student, so a class submitting at the same moment is scored in a few calls.
Texts are not stored here; pages look them up in the rubric in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from ...rubric import Rubric
from ...scoring import gaps, score

__all__ = ["DimensionResult", "NextStep", "StudentResult", "score_many"]


@dataclass(frozen=True)
class DimensionResult:
    dimension: str
    score: float | None
    level: int | None


@dataclass(frozen=True)
class NextStep:
    criterion: str
    current: int | None
    next_level: int


@dataclass(frozen=True)
class StudentResult:
    """One student's scored answers (``mean`` scheme) and the next steps toward ``target``."""

    score: float | None
    level: int | None
    dimensions: tuple[DimensionResult, ...]
    steps: tuple[NextStep, ...]
    target: int


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def _steps(table: pd.DataFrame, row: int, top: int) -> tuple[NextStep, ...]:
    picked = table[table["response"] == row].head(top)
    return tuple(NextStep(str(c), None if pd.isna(cur) else int(cur), int(nxt))
                 for c, cur, nxt in zip(picked["criterion"], picked["current"], picked["next_level"])
                 if not pd.isna(nxt))


def score_many(rubric: Rubric, answers: Sequence[Mapping[str, int | None]], *, target: int = 4,
               top: int = 3) -> list[StudentResult]:
    """Score each mapping of criterion id → level with ``rubric`` and pick its ``top`` next steps.

    Next steps are the :func:`dxlab.gaps` rows of largest priority (gap × weight) toward ``target``; for a
    student already at ``target`` everywhere they aim at the rubric's top level instead (as the notebook
    questionnaire does).

    Examples
    --------
    >>> import dxlab
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> [x.level for x in score_many(r, [{c: 3 for c in r.criterion_ids}, {c: 5 for c in r.criterion_ids}])]
    [3, 5]
    """
    if not answers:
        return []
    criteria = list(rubric.criterion_ids)
    frame = pd.DataFrame({c: pd.array([a.get(c) for a in answers], dtype="Int8") for c in criteria})
    scores = score(frame, rubric)
    toward = gaps(scores, rubric, target=target)
    highest = max(rubric.level_values)
    met = set(range(len(answers))) - set(toward["response"])
    beyond = gaps(scores, rubric, target=highest) if met and target < highest else toward
    results = []
    for i in range(len(answers)):
        overall_score = _number(scores.overall["score"].iloc[i])
        overall_level = scores.overall["level"].iloc[i]
        dims = tuple(DimensionResult(d.id, _number(scores.dimensions[d.id].iloc[i]),
                                     None if pd.isna(scores.levels[d.id].iloc[i]) else int(scores.levels[d.id].iloc[i]))
                     for d in rubric.dimensions)
        aim = highest if i in met and target < highest else target
        steps = _steps(beyond if i in met else toward, i, top)
        results.append(StudentResult(overall_score, None if pd.isna(overall_level) else int(overall_level), dims,
                                     steps, aim))
    return results


def finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
