"""The in-notebook questionnaire (ipywidgets) and the SQLite response store behind it."""

from ._store import Receipt, RecordedRubric, ResponseStore, StoredSubmission, default_store_path, find_class_store
from ._validate import Answer, Problem, Submission, SubmissionError, check_submission, validate_submission

__all__ = [
    "Answer",
    "Problem",
    "Questionnaire",
    "Receipt",
    "ResponseStore",
    "StoredSubmission",
    "Submission",
    "SubmissionError",
    "check_submission",
    "default_store_path",
    "validate_submission",
]
__all__ += ["RecordedRubric", "find_class_store"]


def __getattr__(name: str):
    # ipywidgets and matplotlib load only when the questionnaire itself is wanted, so the store stays light.
    if name == "Questionnaire":
        from ._widgets import Questionnaire

        return Questionnaire
    if name == "classroom":  # the teacher's class summary (pandas and plots), also loaded on demand
        import importlib

        return importlib.import_module(".classroom", __name__)
    raise AttributeError(f"module 'dxlab.questionnaire' has no attribute {name!r}")
