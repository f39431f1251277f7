"""Bootstrap confidence intervals for any statistic of a table's rows, per column and per group.

``scipy.stats.bootstrap`` does the resampling and the interval (percentile, basic or BCa); this wrapper
adds what analysts need around it: a tidy row per column and group, named statistics that run vectorised
(mean, median, sd, weighted mean), a fixed seed by default, rows with missing values left out per column,
and a ``note`` instead of a silent NaN when the data cannot give an interval.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._common import check_choice, check_confidence, join_notes
from ._tables import encode_groups, resolve_items, resolve_weights

__all__ = ["bootstrap_ci", "STATISTICS", "CI_METHODS"]

COLUMNS = ["column", "statistic", "n", "estimate", "se", "ci_low", "ci_high", "method", "note"]
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


def _interval(samples: tuple[np.ndarray, ...], function: Callable[..., Any], *, vectorized: bool,
              paired: bool, n_boot: int, confidence: float, method: str, rng: np.random.Generator
              ) -> tuple[float, float, float, str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = sps.bootstrap(samples, function, vectorized=vectorized, paired=paired, n_resamples=n_boot,
                               confidence_level=confidence, method=method, rng=rng)
    note = ""
    messages = [str(w.message) for w in caught]
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):
        note = "no interval: every resample gives the same value" if any("degenerate" in m.lower()
                                                                       for m in messages) else "no interval"
    return low, high, float(result.standard_error), note


def bootstrap_ci(data: pd.DataFrame | pd.Series | np.ndarray, statistic: str | Callable[..., Any] = "mean",
                 columns: Any = None, *, by: str | list[str] | None = None, weights: Any = None,
                 n_boot: int = 2000, confidence: float = 0.95, method: str = "BCa",
                 seed: int | None = 0) -> pd.DataFrame:
    """Bootstrap confidence interval of a statistic, per column (and per group), via ``scipy.stats.bootstrap``.

    Parameters
    ----------
    data : DataFrame, Series or array
    statistic : {"mean", "median", "sd"} or callable
        A name runs vectorised on each column. A callable gets, per column, a 1-D array of the answered
        values; with ``columns=None`` on a DataFrame (or several columns and ``paired=True`` semantics) it
        gets the resampled rows as a DataFrame and must return one number.
    columns : str or list of str, optional
        Columns to use (default: every numeric column for a named statistic, all columns for a callable).
    by : str or list of str, optional
        One interval per group.
    weights : str or array, optional
        Row weights — with ``statistic="mean"`` only: the weighted mean, rows resampled with their weight.
    n_boot : int
        Number of resamples.
    confidence : float
    method : {"BCa", "percentile", "basic"}
    seed : int or None
        Fixed by default so results are reproducible; ``None`` for fresh randomness.

    Returns
    -------
    DataFrame
        ``[*by], column, statistic, n, estimate, se, ci_low, ci_high, method, note``.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> row = dxlab.stats.bootstrap_ci(data, "mean", "CUS.ENG.1", n_boot=500).iloc[0]
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
        check_choice("statistic", statistic, tuple(STATISTICS))
        label = statistic
    elif callable(statistic):
        label = getattr(statistic, "__name__", "statistic")
    else:
        raise ValueError(f"statistic must be one of {', '.join(map(repr, STATISTICS))} or a function")
    w = resolve_weights(data, weights)
    if w is not None and statistic != "mean":
        raise ValueError("weights apply to statistic='mean' only")
    whole_rows = not named and columns is None
    if columns is None:
        if named:
            skip = set([by] if isinstance(by, str) else (by or []))
            if isinstance(weights, str):
                skip.add(weights)
            names = [c for c in data.columns if c not in skip and
                     pd.api.types.is_numeric_dtype(data[c].dtype) and not pd.api.types.is_bool_dtype(data[c].dtype)]
            if not names:
                raise ValueError("data has no numeric column; pass columns=")
        else:
            names = list(data.columns)
    else:
        names = resolve_items(data, columns, what="columns")
        whole_rows = not named and len(names) > 1

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
    for g, rows in enumerate(group_rows):
        key = {column: keys[column].iloc[g] for column in by_columns}
        targets = [None] if whole_rows else names
        for name in targets:
            record: dict[str, Any] = dict(key)
            record.update(column=name if name is not None else ", ".join(map(str, names)), statistic=label)
            if name is None:
                frame = data.iloc[rows][names].reset_index(drop=True)
                n = len(frame)
                sample = (np.arange(n),)

                def on_rows(index: np.ndarray, frame: pd.DataFrame = frame) -> float:
                    return float(statistic(frame.iloc[index]))

                function, vectorized, paired = on_rows, False, False
                estimate = on_rows(np.arange(n)) if n else np.nan
            else:
                values = pd.to_numeric(data[name].iloc[rows], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
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
                    function, vectorized, paired = STATISTICS[statistic], True, False
                    estimate = float(function(values)) if n > (1 if statistic == "sd" else 0) else np.nan
                else:
                    sample = (values,)

                    def on_values(x: np.ndarray) -> float:
                        return float(statistic(x))

                    function, vectorized, paired = on_values, False, False
                    estimate = on_values(values) if n else np.nan
            record.update(n=n, estimate=estimate, se=np.nan, ci_low=np.nan, ci_high=np.nan, method=method)
            if n < 2:
                note = "fewer than 2 values: no interval"
            else:
                low, high, se, note = _interval(sample, function, vectorized=vectorized, paired=paired,
                                                n_boot=int(n_boot), confidence=confidence, method=method, rng=rng)
                record.update(se=se, ci_low=low, ci_high=high)
                if n < 5:
                    note = join_notes(note, f"only {n} values: the interval is rough")
            record["note"] = note
            records.append(record)
    return pd.DataFrame(records, columns=by_columns + COLUMNS)
