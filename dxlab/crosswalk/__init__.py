"""Crosswalks between frameworks, as versioned YAML data, and the same data under every scheme.

A crosswalk maps the criteria, groups or dimensions of one rubric to the items of another rubric or of a
framework that dxlab knows by its structure only (MIC 2021's pillars, TM Forum's DMM, the EU DMA), each link
with a SKOS-style relation, a weight and its provenance. :func:`crosswalk` re-expresses scores in the target
framework and says which target items no source item covers; :func:`compare_schemes` scores the same
responses under each scoring scheme and measures how far their levels agree. The file format is in
``docs/crosswalk-format.md``.
"""

import sys
import types
from typing import Any

from ._apply import CrosswalkResult, crosswalk
from ._compare import SchemeComparison, compare_schemes
from ._loader import CrosswalkError, list_crosswalks, list_frameworks, load_crosswalk, load_framework, target_ids
from ._model import RELATIONS, Crosswalk, Framework, FrameworkDimension, Link

__all__ = [
    "RELATIONS",
    "Crosswalk",
    "CrosswalkError",
    "CrosswalkResult",
    "Framework",
    "FrameworkDimension",
    "Link",
    "SchemeComparison",
    "compare_schemes",
    "crosswalk",
    "list_crosswalks",
    "list_frameworks",
    "load_crosswalk",
    "load_framework",
    "target_ids",
]


class _CallableModule(types.ModuleType):
    """``dxlab.crosswalk`` is both this package and the function of the public contract
    (``dxlab.crosswalk(scores, "mobifone-dx--eu-dma")``): importing the package would otherwise replace the
    function with the module."""

    def __call__(self, *args: Any, **kwargs: Any) -> CrosswalkResult:
        return crosswalk(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
