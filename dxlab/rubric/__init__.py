"""Rubrics as data: the model, the YAML loader with validation, and the shipped rubrics."""

from ._loader import (
    MAX_RUBRIC_BYTES,
    RubricError,
    list_rubrics,
    load_rubric,
    non_answer_key,
    parse_non_answers,
    validate_rubric_file,
)
from ._model import (
    DEFAULT_NON_ANSWERS,
    NON_ANSWER_MEANINGS,
    PILLARS,
    Criterion,
    Dimension,
    Group,
    Level,
    NonAnswer,
    Rubric,
    Text,
)

__all__ = [
    "Criterion",
    "DEFAULT_NON_ANSWERS",
    "Dimension",
    "Group",
    "Level",
    "MAX_RUBRIC_BYTES",
    "NON_ANSWER_MEANINGS",
    "NonAnswer",
    "PILLARS",
    "Rubric",
    "RubricError",
    "Text",
    "list_rubrics",
    "load_rubric",
    "non_answer_key",
    "parse_non_answers",
    "validate_rubric_file",
]
