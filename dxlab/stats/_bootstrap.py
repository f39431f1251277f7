"""Bootstrap confidence intervals for any statistic of a table's rows, per column and per group.

``scipy.stats.bootstrap`` does the resampling and the interval (percentile, basic or BCa); this wrapper
adds what analysts need around it: a tidy row per column and group, named statistics that run vectorised
(mean, median, sd, weighted mean), a fixed seed by default, rows with missing values left out per column,
and a ``note`` instead of a silent NaN when the data cannot give an interval.

BCa needs the acceleration from the jackknife and the bias from the share of resamples below the
estimate; on heavily tied data (a median of integer answers) those are undefined and SciPy returns no
interval. Then — as R users expect from ``boot.ci`` — the percentile interval of the same resamples is
reported instead, with a note and ``method = "percentile"``.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._common import check_choice, check_columns, check_confidence, encode_items, join_notes, rows_label
from ._common import note as _note
from ._tables import encode_groups, resolve_items, resolve_weights

__all__ = ["CI_METHODS", "STATISTICS", "bootstrap_ci"]

COLUMNS = ["item", "statistic", "n", "estimate", "se", "ci_low", "ci_high", "method", "note"]
CI_METHODS = ("BCa", "percentile", "basic")


def _mean(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(x, axis=axis)


def _median(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.median(x, axis=axis)


def _sd(x: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.std(x, axis=axis, ddof=1)


STATISTICS: dict[str, Callable[..., np.ndarray]] = {"mean": _mean, "median": _median, "sd": _sd}


def _weighted_mean(x: np.ndarray, w: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.sum(x * w, axis=axis) / np.sum(w, axis=axis)


def _interval(
    samples: tuple[np.ndarray, ...],
    function: Callable[..., Any],
    *,
    vectorized: bool,
    paired: bool,
    n_boot: int,
    confidence: float,
    method: str,
    rng: np.random.Generator,
) -> tuple[float, float, float, str, str]:
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        result = sps.bootstrap(
            samples,
            function,
            vectorized=vectorized,
            paired=paired,
            n_resamples=n_boot,
            confidence_level=confidence,
            method=method,
            rng=rng,
        )
    note = ""
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):
        distribution = np.asarray(result.bootstrap_distribution, dtype=float)
        distribution = distribution[np.isfinite(distribution)]
        if distribution.size and np.ptp(distribution) == 0:
            note = _note("no_interval_same_value")
        elif method == "BCa" and distribution.size:
            tail = (1.0 - confidence) / 2.0
            low, high = (float(v) for v in np.percentile(distribution, [100 * tail, 100 * (1 - tail)]))
            note = _note("bca_undefined")
            method = "percentile"
        else:
            note = _note("no_interval")
    return low, high, float(result.standard_error), note, method


def _old_call(data: Any, items: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Translate the old order ``bootstrap_ci(data, statistic, columns)`` and ``columns=`` with a warning."""
    statistic = "mean"
    if "columns" in kwargs:
        warnings.warn(
            "bootstrap_ci(): the argument columns= is deprecated; use items=", DeprecationWarning, stacklevel=3
        )
        if items is not None:
            raise TypeError("bootstrap_ci() got both columns= (deprecated) and items=")
        items = kwargs.pop("columns")
    if "statistic" in kwargs:
        statistic = kwargs.pop("statistic")
    is_statistic = callable(items) or (
        isinstance(items, str)
        and items in STATISTICS
        and not (isinstance(data, pd.DataFrame) and items in data.columns)
    )
    if is_statistic or args:
        if len(args) > 1:
            raise TypeError("bootstrap_ci() takes data and items by position; pass the rest by keyword")
        if is_statistic:
            warnings.warn(
                "bootstrap_ci(data, statistic, columns) is deprecated; use bootstrap_ci(data, items, statistic=...)",
                DeprecationWarning,
                stacklevel=3,
            )
            statistic, items = items, (args[0] if args else None)
        else:
            raise TypeError("bootstrap_ci() takes data and items by position; pass statistic= by keyword")
    return items, statistic, kwargs


def bootstrap_ci(
    data: pd.DataFrame | pd.Series | np.ndarray, items: Any = None, *args: Any, **kwargs: Any
) -> pd.DataFrame:
    """Bootstrap confidence interval of a statistic, per item (and per group), via ``scipy.stats.bootstrap``.

    Signature: ``bootstrap_ci(data, items=None, *, by=None, weights=None, levels=None, statistic="mean",
    n_boot=2000, confidence=0.95, method="BCa", seed=0)``; the old order ``bootstrap_ci(data, statistic,
    columns)`` and ``columns=`` still work with a :class:`DeprecationWarning`. See :func:`_bootstrap_ci`
    for the parameters.
    """
    items, statistic, kwargs = _old_call(data, items, args, dict(kwargs))
    return _bootstrap_ci(data, items, statistic=statistic, **kwargs)


def _numeric_values(data: pd.DataFrame, name: Any, rows: np.ndarray) -> np.ndarray:
    """A column's values as numbers; text that is not a number is an error naming the column and rows."""
    series = data[name].iloc[rows]
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    lost = np.flatnonzero(np.isnan(values) & series.notna().to_numpy())
    if lost.size:
        raise ValueError(
            f"column {name!r}, {rows_label(data.index, rows[lost])}: value "
            f"{series.iloc[lost[0]]!r} is not a number; bootstrap_ci needs numbers (parse the "
            f"answers first)"
        )
    infinite = np.flatnonzero(np.isinf(values))
    if infinite.size:
        raise ValueError(f"column {name!r}, {rows_label(data.index, rows[infinite])}: infinite value")
    return values


def _bootstrap_ci(
    data: pd.DataFrame | pd.Series | np.ndarray,
    items: Any = None,
    *,
    by: str | list[str] | None = None,
    weights: Any = None,
    levels: Any = None,
    statistic: str | Callable[..., Any] = "mean",
    n_boot: int = 2000,
    confidence: float = 0.95,
    method: str = "BCa",
    seed: int | None = 0,
) -> pd.DataFrame:
    """Bootstrap confidence interval of a statistic, per column (and per group), via ``scipy.stats.bootstrap``.

    Parameters
    ----------
    data : DataFrame, Series or array
    statistic : {"mean", "median", "sd"} or callable
        A name runs vectorised on each column. A callable gets, per column, a 1-D array of the answered
        values; with ``columns=None`` on a DataFrame (or several columns and ``paired=True`` semantics) it
        gets the resampled rows as a DataFrame and must return one number.
    items : str or list of str, optional
        Columns to use (default: every numeric column for a named statistic, all columns for a callable).
        (Formerly ``columns=``, the third argument.)
    by : str or list of str, optional
        One interval per group.
    weights : str or array, optional
        Row weights — with ``statistic="mean"`` only: the weighted mean, rows resampled with their weight.
    levels : sequence or Rubric, optional
        When given, every value must be one of the levels.
    statistic : {"mean", "median", "sd"} or callable
    n_boot : int
        Number of resamples.
    confidence : float
    method : {"BCa", "percentile", "basic"}
        BCa falls back to the percentile interval (with a note) where it is undefined (tied data).
    seed : int or None
        Fixed by default so results are reproducible; ``None`` for fresh randomness.

    Returns
    -------
    DataFrame
        ``[*by], item, statistic, n, estimate, se, ci_low, ci_high, method, note``.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> row = dxlab.stats.bootstrap_ci(data, "CUS.ENG.1", statistic="mean", n_boot=500).iloc[0]
    >>> bool(row["ci_low"] < row["estimate"] < row["ci_high"])
    True
    """
    confidence = check_confidence(confidence)
    method = check_choice("method", method, CI_METHODS)
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 2:
        raise ValueError(f"n_boot must be a whole number ≥ 2, not {n_boot!r}")
    if isinstance(data, pd.Series):
        data = data.to_frame(name=data.name if data.name is not None else "value")
    elif not isinstance(data, pd.DataFrame):
        array = np.asarray(data, dtype=float)
        data = pd.DataFrame(array.reshape(len(array), -1) if array.ndim else array.reshape(1, 1))
        if data.shape[1] == 1:
            data.columns = ["value"]
    named = isinstance(statistic, str)
    if named:
        label = check_choice("statistic", str(statistic), tuple(STATISTICS))
    elif callable(statistic):
        label = getattr(statistic, "__name__", "statistic")
    else:
        raise ValueError(f"statistic must be one of {', '.join(map(repr, STATISTICS))} or a function")
    w = resolve_weights(data, weights)
    if w is not None and statistic != "mean":
        raise ValueError("weights apply to statistic='mean' only")
    check_columns(data)
    whole_rows = not named and items is None
    if items is None:
        if named:
            skip = set([by] if isinstance(by, str) else (by or []))
            if isinstance(weights, str):
                skip.add(weights)
            names = [
                c
                for c in data.columns
                if c not in skip
                and pd.api.types.is_numeric_dtype(data[c].dtype)
                and not pd.api.types.is_bool_dtype(data[c].dtype)
            ]
            if not names:
                raise ValueError("data has no numeric column; pass items=")
        else:
            names = list(data.columns)
    else:
        names = resolve_items(data, items, what="items")
        whole_rows = not named and len(names) > 1
    if levels is not None:
        encode_items(data, names, levels)  # every value must be a level

    by_columns = [] if by is None else ([by] if isinstance(by, str) else list(by))
    if by_columns:
        groups = encode_groups(data, by_columns)
        group_rows = [np.flatnonzero(groups.codes == g) for g in range(groups.n_groups)]
        keys = groups.keys
    else:
        group_rows = [np.arange(len(data))]
        keys = pd.DataFrame(index=pd.RangeIndex(1))
    rng = np.random.default_rng(seed)
    records = []
    sample: tuple[np.ndarray, ...]
    function: Callable[..., Any]
    user_function: Callable[..., Any] = statistic if callable(statistic) else _mean
    for g, rows in enumerate(group_rows):
        key = {column: keys[column].iloc[g] for column in by_columns}
        targets = [None] if whole_rows else names
        for name in targets:
            record: dict[str, Any] = dict(key)
            record.update(item=name if name is not None else ", ".join(map(str, names)), statistic=label)
            if name is None:
                frame = data.iloc[rows][names].reset_index(drop=True)
                n = len(frame)
                sample = (np.arange(n),)

                def on_rows(index: np.ndarray, frame: pd.DataFrame = frame) -> float:
                    return float(user_function(frame.iloc[index]))

                function, vectorized, paired = on_rows, False, False
                estimate = on_rows(np.arange(n)) if n else np.nan
            else:
                values = _numeric_values(data, name, rows)
                keep = np.isfinite(values)
                if w is not None:
                    keep &= w[rows] > 0
                values = values[keep]
                n = values.size
                if w is not None:
                    weight = w[rows][keep]
                    sample = (values, weight)
                    function, vectorized, paired = _weighted_mean, True, True
                    estimate = float(_weighted_mean(values, weight)) if n else np.nan
                elif named:
                    sample = (values,)
                    function, vectorized, paired = STATISTICS[str(statistic)], True, False
                    estimate = float(function(values)) if n > (1 if statistic == "sd" else 0) else np.nan
                else:
                    sample = (values,)

                    def on_values(x: np.ndarray) -> float:
                        return float(user_function(x))

                    function, vectorized, paired = on_values, False, False
                    estimate = on_values(values) if n else np.nan
            record.update(n=n, estimate=estimate, se=np.nan, ci_low=np.nan, ci_high=np.nan, method=method)
            if n < 2:
                note = _note("fewer_than_two_values")
            else:
                low, high, se, note, used = _interval(
                    sample,
                    function,
                    vectorized=vectorized,
                    paired=paired,
                    n_boot=int(n_boot),
                    confidence=confidence,
                    method=method,
                    rng=rng,
                )
                record.update(se=se, ci_low=low, ci_high=high, method=used)
                if n < 5:
                    note = join_notes(note, _note("interval_rough", n=n))
            record["note"] = note
            records.append(record)
    return pd.DataFrame(records, columns=by_columns + COLUMNS)


bootstrap_ci.__doc__ = (bootstrap_ci.__doc__ or "") + "\n" + "\n".join((_bootstrap_ci.__doc__ or "").splitlines()[1:])
bootstrap_ci.__signature__ = inspect.signature(_bootstrap_ci)  # type: ignore[attr-defined]
