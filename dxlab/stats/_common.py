"""Small helpers shared by the statistics modules: option checks, notes, effective sample sizes."""

from __future__ import annotations

from typing import Iterable

import numpy as np

__all__ = ["check_choice", "check_confidence", "join_notes", "kish_n", "SMALL_GROUP", "SMALL_EXPECTED"]

SMALL_GROUP = 5  # fewer members than this gets a note
SMALL_EXPECTED = 5.0  # Cochran's rule for χ² expected counts


def check_choice(name: str, value: str, options: Iterable[str]) -> str:
    options = tuple(options)
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, not {value!r}")
    return value


def check_confidence(confidence: float) -> float:
    if not (isinstance(confidence, (int, float)) and 0.0 < confidence < 1.0):
        raise ValueError(f"confidence must be a number between 0 and 1 (e.g. 0.95), not {confidence!r}")
    return float(confidence)


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def kish_n(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)²/Σw²: what a weighted sample is worth in simple-random rows."""
    total = float(np.sum(weights))
    squares = float(np.sum(np.square(weights)))
    return total * total / squares if squares > 0 else 0.0
