"""Input handling shared by the figure modules: rubrics, levels and bar labels."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import check_lang  # noqa: F401 — the one language check, re-exported for the figure modules
from ._style import wrap

LabelSpec = str | Mapping[object, str] | Callable[[object], str] | None


def resolve_rubric(rubric: Any) -> Any:
    """A ``Rubric`` from a rubric, a shipped id / path, or ``None``."""
    if rubric is None:
        return None
    from ..rubric import load_rubric

    return load_rubric(rubric)


def resolve_levels(levels: Sequence[int] | None, rubric) -> tuple[int, ...]:
    if levels is None:
        return tuple(rubric.level_values) if rubric is not None else (1, 2, 3, 4, 5)
    values = tuple(int(v) for v in levels)
    if not values or len(set(values)) != len(values) or list(values) != sorted(values):
        raise ValueError(f"levels must be distinct values in increasing order, got {levels!r}")
    return values


def item_text(item: object, rubric, lang: str) -> str | None:
    """The rubric's text of a criterion, group or dimension id (its title), or ``None``."""
    if rubric is None or not isinstance(item, str) or item not in rubric:
        return None
    node = rubric[item]
    text = getattr(node, "text", None) or getattr(node, "title", None)
    return text.get(lang) if text is not None else None


def bar_label(key: object, spec: LabelSpec, rubric, lang: str, width: int = 42, max_lines: int = 3) -> str:
    """The label of one bar / row / spoke: its id, the rubric text, both, or a user mapping."""
    if callable(spec) and not isinstance(spec, str):
        return wrap(spec(key), width, max_lines)
    if isinstance(spec, Mapping):
        return wrap(str(spec.get(key, key)), width, max_lines)
    if spec not in (None, "id", "text", "both"):
        raise ValueError(f"labels must be 'id', 'text', 'both', a mapping or a function, not {spec!r}")
    text = item_text(key, rubric, lang)
    if spec in (None, "id") or text is None:
        return wrap(str(key), width, max_lines)
    if spec == "text":
        return wrap(text, width, max_lines)
    return wrap(f"{key} · {text}", width, max_lines)


def as_float(values: pd.Series | pd.DataFrame) -> np.ndarray:
    """Numeric values as a float array with NaN for missing (nullable dtypes included)."""
    if isinstance(values, pd.DataFrame):
        return (
            np.column_stack([as_float(values[c]) for c in values.columns])
            if values.shape[1]
            else np.empty((len(values), 0))
        )
    series = pd.Series(values)
    if not (pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype)):
        sample = series.dropna()
        first = f" (e.g. {sample.iloc[0]!r})" if len(sample) else ""
        raise ValueError(f"column {series.name!r} holds {series.dtype} values{first}, not numbers")
    return series.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def group_order(column: pd.Series) -> list[object]:
    """Groups in their categorical order (ordered categories, sizes…) or sorted, observed ones only."""
    present = column.dropna()
    if isinstance(column.dtype, pd.CategoricalDtype):
        seen = set(present.unique())
        return [c for c in column.cat.categories if c in seen]
    try:
        return sorted(present.unique())
    except TypeError:
        return list(pd.unique(present))
