"""Moved to :mod:`dxlab.questionnaire.classroom`; this alias keeps ``dxlab.classroom`` working for a release."""

from .questionnaire.classroom import DIMENSION_COLUMNS, LEVEL_COLUMNS, ClassSummary, summary

__all__ = ["ClassSummary", "summary", "LEVEL_COLUMNS", "DIMENSION_COLUMNS"]
