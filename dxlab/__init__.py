"""dxlab — a workbench for digital-transformation and customer-experience maturity assessments."""

from ._i18n import using_lang
from .rubric import Rubric, RubricError, list_rubrics, load_rubric
from .scoring import Scores, gaps, parse_levels, score

__version__ = "0.1.0"
__all__ = [
    "Rubric",
    "RubricError",
    "Scores",
    "gaps",
    "list_rubrics",
    "load_rubric",
    "parse_levels",
    "score",
    "using_lang",
]


def __getattr__(name: str):
    # Sub-packages with heavier imports load on first use: `dxlab.stats`, `dxlab.plots`, `dxlab.read_export`…
    import importlib

    if name in ("stats", "plots", "report", "ingest", "questionnaire", "cx", "classroom", "sample", "io"):
        return importlib.import_module(f".{name}", __name__)
    if name in ("crosswalk", "compare_schemes", "list_crosswalks", "list_frameworks", "load_crosswalk"):
        module = importlib.import_module(".crosswalk", __name__)
        return module if name == "crosswalk" else getattr(module, name)
    if name in ("read_export", "CleanResult"):
        return getattr(importlib.import_module(".ingest", __name__), name)
    if name in ("consensus", "Consensus"):
        return getattr(importlib.import_module(".scoring", __name__), name)
    if name in ("Questionnaire", "ResponseStore"):
        return getattr(importlib.import_module(".questionnaire", __name__), name)
    raise AttributeError(f"module 'dxlab' has no attribute {name!r}")
