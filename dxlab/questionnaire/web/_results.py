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


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _level(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def _steps(table: pd.DataFrame, top: int) -> dict[int, tuple[NextStep, ...]]:
    """The first ``top`` rows of each response in a :func:`dxlab.gaps` table (already in priority order)."""
    picked = table[table["next_level"].notna()].groupby("response", sort=False).head(top)
    steps: dict[int, list[NextStep]] = {}
    for response, criterion, current, next_level in zip(
        picked["response"], picked["criterion"], picked["current"], picked["next_level"], strict=True
    ):
        steps.setdefault(int(response), []).append(
            NextStep(str(criterion), None if pd.isna(current) else int(current), int(next_level))
        )
    return {k: tuple(v) for k, v in steps.items()}


def score_many(
    rubric: Rubric, answers: Sequence[Mapping[str, int | None]], *, target: int = 4, top: int = 3
) -> list[StudentResult]:
    """Score each mapping of criterion id → level with ``rubric`` and pick its ``top`` next steps.

    Next steps are the :func:`dxlab.gaps` rows of largest priority (gap × weight) toward ``target``; for a
    student already at ``target`` everywhere they aim at the rubric's top level instead (as the notebook
    questionnaire does).

    Examples
    --------
    >>> import dxlab
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> top = {c: 1 if c in r.reverse_items else 5 for c in r.criterion_ids}  # reverse-keyed: 1 is the top
    >>> [x.level for x in score_many(r, [{c: 3 for c in r.criterion_ids}, top])]
    [3, 5]
    """
    if not answers:
        return []
    criteria = list(rubric.criterion_ids)
    frame = pd.DataFrame({c: pd.array([a.get(c) for a in answers], dtype="Int8") for c in criteria})
    scores = score(frame, rubric)
    highest = max(rubric.level_values)
    toward = gaps(scores, rubric, target=target)
    steps = _steps(toward, top)
    met = [i for i in range(len(answers)) if i not in steps]
    if met and target < highest:  # already at target everywhere: aim at the top level instead
        beyond = _steps(gaps(scores.criteria.iloc[met], rubric, target=highest), top)
        steps |= beyond
    dims = [d.id for d in rubric.dimensions]
    dim_scores = scores.dimensions[dims].to_numpy(dtype=float, na_value=math.nan)
    dim_levels = scores.levels[dims].to_numpy(dtype=float, na_value=math.nan)
    overall_scores = scores.overall["score"].to_numpy(dtype=float, na_value=math.nan)
    overall_levels = scores.overall["level"].to_numpy(dtype=float, na_value=math.nan)
    aims = {i: highest if i in met and target < highest else target for i in range(len(answers))}
    return [
        StudentResult(
            _number(overall_scores[i]),
            _level(overall_levels[i]),
            tuple(DimensionResult(d, _number(dim_scores[i, j]), _level(dim_levels[i, j])) for j, d in enumerate(dims)),
            steps.get(i, ()),
            aims[i],
        )
        for i in range(len(answers))
    ]
