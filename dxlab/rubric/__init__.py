"""Rubrics as data: the model, the YAML loader with validation, and the shipped rubrics."""

from ._loader import RubricError, list_rubrics, load_rubric, validate_rubric_file
from ._model import PILLARS, Criterion, Dimension, Group, Level, Rubric, Text

__all__ = ["PILLARS", "Criterion", "Dimension", "Group", "Level", "Rubric", "RubricError", "Text", "list_rubrics",
           "load_rubric", "validate_rubric_file"]
