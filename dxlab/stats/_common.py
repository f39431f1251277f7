"""Small helpers shared by the statistics modules: option checks, notes, effective sample sizes."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from .._i18n import notes_lang, tr

__all__ = [
    "SMALL_EXPECTED",
    "SMALL_GROUP",
    "check_choice",
    "check_columns",
    "check_confidence",
    "inferred_levels_note",
    "is_rubric",
    "join_notes",
    "kish_n",
    "levels_from",
    "renamed_arguments",
    "reverse_codes",
    "reverse_items_of",
    "rows_label",
]

F = TypeVar("F", bound=Callable[..., Any])

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


def note(key: str, /, **values: Any) -> str:
    """The catalogue note ``stats.<key>`` in the language of analysis notes (``dxlab._i18n.using_lang``)."""
    return tr(f"stats.{key}", notes_lang(), **values)


def note_value(value: float, spec: str) -> str:
    """A number inside a note in the format ``spec`` (``".2g"``, ``".1f"``), with a decimal comma in Vietnamese."""
    text = format(value, spec)
    return text.replace(".", ",") if notes_lang() == "vi" else text


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def kish_n(weights: np.ndarray) -> float:
    """Kish's effective sample size (Σw)²/Σw²: what a weighted sample is worth in simple-random rows."""
    total = float(np.sum(weights))
    squares = float(np.sum(np.square(weights)))
    return total * total / squares if squares > 0 else 0.0


# ---- one argument vocabulary -------------------------------------------------------------------------------


def renamed_arguments(aliases: dict[str, str], positional: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Accept old argument names with a :class:`DeprecationWarning`.

    ``aliases`` maps an old keyword to its new name (``{"scales": "items"}``). ``positional`` names the
    arguments that used to be accepted by position after ``data, items`` (``("by", "weights")``): such a
    call still works, warns, and is passed on by keyword.
    """

    def decorate(function: F) -> F:
        name = function.__name__

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for old, new in aliases.items():
                if old in kwargs:
                    if new in kwargs:
                        raise TypeError(f"{name}() got both {old}= (deprecated) and {new}=; use {new}=")
                    warnings.warn(
                        f"{name}(): the argument {old}= is deprecated; use {new}=", DeprecationWarning, stacklevel=2
                    )
                    kwargs[new] = kwargs.pop(old)
            if len(args) > 2:
                extra = args[2:]
                if len(extra) > len(positional):
                    raise TypeError(f"{name}() takes data and items by position; pass the rest by keyword")
                names = positional[: len(extra)]
                warnings.warn(
                    f"{name}(): passing {', '.join(names)} by position is deprecated; use "
                    f"{', '.join(n + '=' for n in names)}",
                    DeprecationWarning,
                    stacklevel=2,
                )
                for key, value in zip(names, extra):
                    if key in kwargs:
                        raise TypeError(f"{name}() got {key} twice")
                    kwargs[key] = value
                args = args[:2]
            return function(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate


def is_rubric(value: Any) -> bool:
    return hasattr(value, "criterion_ids") and hasattr(value, "level_values")


def levels_from(items: Any, levels: Any) -> Any:
    """``levels=`` if given, else the rubric's levels when the items come from a rubric (None otherwise)."""
    if levels is not None:
        return levels
    return items if is_rubric(items) else None


def check_columns(data: Any, columns: Iterable[Any] = ()) -> None:
    """Duplicate column names and infinite values are errors that name the column (and rows)."""
    if not isinstance(data, pd.DataFrame):
        return
    duplicated = data.columns[data.columns.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(
            f"the data has duplicate column names: {', '.join(map(repr, duplicated))}; rename them "
            f"so each column has one name"
        )
    dtypes = data.dtypes
    for column in columns:
        if column not in data.columns:
            continue
        dtype = getattr(dtypes[column], "numpy_dtype", dtypes[column])
        if not isinstance(dtype, np.dtype) or dtype.kind != "f":
            continue
        values = data[column].to_numpy(dtype=float, na_value=np.nan)
        bad = np.flatnonzero(np.isinf(values))
        if bad.size:
            raise ValueError(
                f"column {column!r}, {rows_label(data.index, bad)}: infinite value(s) are not answers; "
                f"replace them with a level or leave the answer missing"
            )


def rows_label(index: pd.Index, positions: np.ndarray, limit: int = 8) -> str:
    """``row 3`` / ``rows 3, 7, 12 (and 4 more)`` by index label (position for a RangeIndex)."""
    labels = [str(index[p]) if not isinstance(index, pd.RangeIndex) else str(int(p)) for p in positions[:limit]]
    more = f" (and {positions.size - limit} more)" if positions.size > limit else ""
    return f"row{'s' if positions.size > 1 else ''} {', '.join(labels)}{more}"


def note_rows(index: pd.Index, positions: np.ndarray, limit: int = 8) -> str:
    """:func:`rows_label` in the language of analysis notes (error messages keep :func:`rows_label`)."""
    labels = [str(index[p]) if not isinstance(index, pd.RangeIndex) else str(int(p)) for p in positions[:limit]]
    key = "rows_more" if positions.size > limit else ("rows" if positions.size > 1 else "row")
    return note(key, rows=", ".join(labels), more=positions.size - limit)


def inferred_levels_note(enc: Any) -> str:
    """A note when levels were inferred from the data and look like a typo: a value that is not a whole
    number (2.5) or one cut off from the others by levels nobody chose (7 on a 1–5 scale)."""
    if hasattr(enc, "level_note"):  # a Parquet/Dask source answers from its level counts, not its rows
        return enc.level_note()
    levels = list(enc.levels)
    if not levels or enc.n_rows == 0:
        return ""
    codes = enc.codes
    if not all(isinstance(v, (int, float, np.integer, np.floating)) for v in levels):
        return ""
    whole = np.array([float(v).is_integer() for v in levels])
    if whole.all():
        # the usual case — whole-number levels, every one of them chosen — shows in the first rows already
        head = codes[:20_000]
        if all(np.count_nonzero(head == c) for c in range(len(levels))):
            return ""
    # a comparison per level on the int8 codes is the cheapest count (no widening copy of the codes)
    counts = np.array([np.count_nonzero(codes == c) for c in range(len(levels))])
    used = np.flatnonzero(counts > 0)
    # a stray 2.5 among whole-number answers; values that are mostly fractions are a continuous measure
    suspicious: list[int] = [int(c) for c in used if not whole[c]] if whole[used].mean() >= 2 / 3 else []
    if suspicious or not whole[used].all():
        used = used[whole[used]]
    values = np.array([float(levels[c]) for c in used])
    if used.size >= 2:
        gaps = np.flatnonzero(np.diff(values) > 1)
        for g in gaps:
            # the smaller side of a gap is the odd one out
            low_side, high_side = used[: g + 1], used[g + 1 :]
            side = low_side if counts[low_side].sum() < counts[high_side].sum() else high_side
            suspicious.extend(int(c) for c in side)
    if not suspicious:
        return ""
    parts = []
    for c in sorted(set(suspicious)):
        rows, cols = np.nonzero(codes == c)
        for j in np.unique(cols)[:3]:
            where = note_rows(enc.index, rows[cols == j], 5)
            parts.append(note("value_in_column", value=_show(levels[c]), column=repr(enc.items[j]), rows=where))
    return note("levels_inferred", levels=", ".join(_show(v) for v in levels), checks="; ".join(parts))


def _show(value: Any) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def reverse_codes(enc: Any, reverse: Iterable[str]) -> tuple[Any, tuple[str, ...]]:
    """Reverse-keyed items recoded min + max − x (min, max from the levels); returns the new codes and the
    reversed items in item order. The levels must be evenly spaced so that min + max − x is a level."""
    wanted = list(dict.fromkeys(reverse))
    if not wanted:
        return enc, ()
    unknown = [item for item in wanted if item not in enc.items]
    if unknown:
        raise ValueError(
            f"reverse names item(s) that are not among the items: {', '.join(map(repr, unknown))}; "
            f"items are {', '.join(enc.items)}"
        )
    scores = enc.scores
    if len(scores) > 2 and not np.allclose(np.diff(scores), scores[1] - scores[0]):
        raise ValueError(
            f"reverse= needs evenly spaced levels (min + max − x must be a level); levels are {list(enc.levels)}"
        )
    codes = np.array(enc.codes, copy=True)
    top = enc.n_levels - 1
    columns = [enc.items.index(item) for item in wanted]
    for j in columns:
        answered = codes[:, j] >= 0
        codes[answered, j] = (top - codes[answered, j]).astype(codes.dtype)
    reversed_items = tuple(item for item in enc.items if item in set(wanted))
    return type(enc)(enc.items, enc.levels, codes, enc.index), reversed_items


def reverse_items_of(items: Any, reverse: Any, data: Any = None) -> list[str]:
    """``reverse=`` as a list; with a rubric and no ``reverse=``, the rubric's ``reverse_items`` that are columns
    of ``data`` (a rubric may declare items a survey did not ask; a name given in ``reverse=`` must exist)."""
    if reverse is None:
        declared = list(getattr(items, "reverse_items", ()) or ()) if is_rubric(items) else []
        return [item for item in declared if data is None or item in data.columns]
    if isinstance(reverse, str):
        return [reverse]
    return list(reverse)


def encode_items(data: pd.DataFrame, items: Any, levels: Any = None) -> Any:
    """:func:`._tables.encode`, with a value outside the levels reported by column and *every* row."""
    from ._tables import encode, resolve_levels

    try:
        return encode(data, items, levels)
    except ValueError as error:
        if levels is None or "is not a level" not in str(error):
            raise
        allowed = resolve_levels(data, list(items), levels)
        raise ValueError(_outside_levels(data, list(items), allowed) or str(error)) from None


def _outside_levels(data: pd.DataFrame, items: list[str], allowed: tuple[Any, ...]) -> str:
    """Every column with values that are not levels: the column, the rows and the values."""
    numeric = all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) for v in allowed)
    parts = []
    for column in items:
        series = data[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype(object)
        present = series.notna().to_numpy()
        if numeric:
            values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
            bad = present & ~np.isin(values, np.asarray(allowed, dtype=float))
        else:
            bad = present & ~series.isin(list(allowed)).to_numpy()
        positions = np.flatnonzero(bad)
        if positions.size:
            shown = ", ".join(_show(v) for v in pd.unique(series.iloc[positions[:8]]))
            parts.append(
                f"column {column!r}, {rows_label(data.index, positions)}: value(s) {shown} not among the levels"
            )
    if not parts:
        return ""
    return f"{'; '.join(parts)} (levels {', '.join(_show(v) for v in allowed)}); correct them or pass levels="
