"""The rubric model: frozen dataclasses for levels, criteria, groups, dimensions and the rubric itself."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import pandas as pd

from .._i18n import check_lang

AnswerType = Literal["level", "percent_band", "yes_no"]
Provenance = Literal["published", "drafted"]
Lang = Literal["vi", "en"]

ANSWER_TYPES: tuple[str, ...] = ("level", "percent_band", "yes_no")
PROVENANCES: tuple[str, ...] = ("published", "drafted")
PILLARS: tuple[str, ...] = ("customer", "strategy", "infrastructure", "operations", "culture", "data")
NonAnswerMeaning = Literal["not_applicable", "dont_know"]
# not_applicable: the criterion does not apply to this enterprise and leaves the denominator (MIC's later
# indices); dont_know: the respondent could not answer, so the answer is missing like a blank.
NON_ANSWER_MEANINGS: tuple[str, ...] = ("not_applicable", "dont_know")


@dataclass(frozen=True)
class Text:
    """A text in Vietnamese and English (either may be empty)."""

    vi: str = ""
    en: str = ""

    def get(self, lang: str | None = None) -> str:
        """The text in ``lang`` (default: ``DXLAB_LANG``, else Vietnamese), falling back to the other language
        when it is missing."""
        lang = check_lang(lang)
        first, second = (self.vi, self.en) if lang == "vi" else (self.en, self.vi)
        return first or second


@dataclass(frozen=True)
class NonAnswer:
    """A code respondents write instead of an answer, and what it means (one of :data:`NON_ANSWER_MEANINGS`)."""

    text: str
    meaning: NonAnswerMeaning


# Used when a rubric declares no ``non_answers``; matched after folding case, tone marks and punctuation.
DEFAULT_NON_ANSWERS: tuple[NonAnswer, ...] = (
    NonAnswer("Chưa áp dụng", "not_applicable"),
    NonAnswer("Không áp dụng", "not_applicable"),
    NonAnswer("N/A", "not_applicable"),
    NonAnswer("Not applicable", "not_applicable"),
    NonAnswer("Không rõ", "dont_know"),
    NonAnswer("Không biết", "dont_know"),
    NonAnswer("Don't know", "dont_know"),
    NonAnswer("Do not know", "dont_know"),
    NonAnswer("Unfamiliar (N/A)", "dont_know"),
)


@dataclass(frozen=True)
class Level:
    value: int
    code: str
    label: Text
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Criterion:
    id: str
    text: Text
    answer: AnswerType
    levels: Mapping[int, Text]
    provenance: Provenance
    weight: float = 1.0
    multiplier: float = 1.0
    description: Text = field(default_factory=Text)
    bounds: tuple[float, ...] = ()
    yes_level: int = 5
    no_level: int = 1
    dimension_id: str = ""
    group_id: str = ""
    reverse: bool = False
    non_answers: tuple[NonAnswer, ...] = ()  # this criterion's own codes, on top of the rubric's


@dataclass(frozen=True)
class Group:
    id: str
    title: Text
    criteria: tuple[Criterion, ...]
    weight: float = 1.0
    description: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Dimension:
    id: str
    title: Text
    groups: tuple[Group, ...]
    weight: float = 1.0
    description: Text = field(default_factory=Text)
    pillar: str | None = None

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for g in self.groups for c in g.criteria)


@dataclass(frozen=True, eq=False)  # identity hash: rubrics are cached and used as lookup keys
class Rubric:
    """A maturity rubric: levels and a dimension → group → criterion hierarchy.

    Build one with :func:`dxlab.load_rubric`; the object is immutable.
    """

    id: str
    title: Text
    version: str
    source: str
    levels_: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    description: Text = field(default_factory=Text)
    path: str = ""
    non_answers: tuple[NonAnswer, ...] = DEFAULT_NON_ANSWERS

    # -- lookups ---------------------------------------------------------------------------------------
    @cached_property
    def _index(self) -> dict[str, Dimension | Group | Criterion]:
        index: dict[str, Dimension | Group | Criterion] = {}
        for dim in self.dimensions:
            index[dim.id] = dim
            for group in dim.groups:
                index[group.id] = group
                for crit in group.criteria:
                    index[crit.id] = crit
        return index

    def __getitem__(self, item_id: str) -> Dimension | Group | Criterion:
        try:
            return self._index[item_id]
        except KeyError:
            raise KeyError(
                f"{item_id!r} is not a dimension, group or criterion of rubric {self.id!r}; "
                f"criteria are {', '.join(self.criterion_ids)}"
            ) from None

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._index

    def criterion(self, criterion_id: str) -> Criterion:
        item = self[criterion_id]
        if not isinstance(item, Criterion):
            raise KeyError(
                f"{criterion_id!r} is a {type(item).__name__.lower()}, not a criterion, of rubric {self.id!r}"
            )
        return item

    @property
    def groups(self) -> tuple[Group, ...]:
        return tuple(g for d in self.dimensions for g in d.groups)

    @property
    def all_criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for d in self.dimensions for c in d.criteria)

    @cached_property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.all_criteria)

    @cached_property
    def reverse_items(self) -> tuple[str, ...]:
        """Ids of the reverse-keyed criteria (``reverse: true``): scored as ``min + max − answer``."""
        return tuple(c.id for c in self.all_criteria if c.reverse)

    def non_answers_for(self, criterion_id: str) -> tuple[NonAnswer, ...]:
        """The non-answer codes accepted for ``criterion_id``: its own, then the rubric's."""
        return self.criterion(criterion_id).non_answers + self.non_answers

    @property
    def level_values(self) -> tuple[int, ...]:
        return tuple(level.value for level in self.levels_)

    def level_label(self, value: int, lang: str = "vi") -> str:
        for level in self.levels_:
            if level.value == value:
                return level.label.get(lang)
        raise KeyError(f"{value!r} is not a level of rubric {self.id!r}; levels are {self.level_values}")

    def descriptor(self, criterion_id: str, level: int, lang: str = "vi") -> str:
        """The descriptor of ``level`` for criterion ``criterion_id`` in ``lang`` ("vi" or "en")."""
        lang = check_lang(lang)
        crit = self.criterion(criterion_id)
        if level not in crit.levels:
            raise KeyError(
                f"criterion {criterion_id!r} has no descriptor for level {level!r}; it has {sorted(crit.levels)}"
            )
        return crit.levels[level].get(lang)

    # -- tables ----------------------------------------------------------------------------------------
    @cached_property
    def criteria(self) -> pd.DataFrame:
        """One row per criterion: ids, texts in both languages, answer type, weights, provenance and
        ``reverse`` (True for reverse-keyed criteria)."""
        rows = []
        for dim in self.dimensions:
            for group in dim.groups:
                for crit in group.criteria:
                    rows.append(
                        {
                            "id": crit.id,
                            "dimension": dim.id,
                            "group": group.id,
                            "text_vi": crit.text.vi,
                            "text_en": crit.text.en,
                            "answer": crit.answer,
                            "weight": crit.weight,
                            "multiplier": crit.multiplier,
                            "group_weight": group.weight,
                            "dimension_weight": dim.weight,
                            "provenance": crit.provenance,
                            "reverse": crit.reverse,
                        }
                    )
        frame = pd.DataFrame(rows)
        frame.index = pd.RangeIndex(len(frame))
        return frame

    @cached_property
    def levels(self) -> pd.DataFrame:
        """The rubric's levels: value, code, label_vi, label_en, aliases."""
        return pd.DataFrame(
            {
                "value": [lv.value for lv in self.levels_],
                "code": [lv.code for lv in self.levels_],
                "label_vi": [lv.label.vi for lv in self.levels_],
                "label_en": [lv.label.en for lv in self.levels_],
                "aliases": [", ".join(lv.aliases) for lv in self.levels_],
            }
        )

    def to_markdown(self, lang: str | None = None) -> str:
        """A readable reference of the whole rubric (both languages unless ``lang`` is given)."""
        from ._markdown import render_markdown

        return render_markdown(self, lang)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __repr__(self) -> str:
        return (
            f"Rubric(id={self.id!r}, version={self.version!r}, dimensions={len(self.dimensions)}, "
            f"criteria={len(self.criterion_ids)})"
        )
