"""Several respondents of one enterprise as ratings: a (subjects × raters × items) cube.

A *subject* is what is rated (an enterprise, or an enterprise in one wave); a *rater* is who rates it. When
the same raters rate every subject (raters named by role: director, IT head…) the raters are *crossed* and
each is a column. When the raters are different people in every enterprise (respondent ids) they are *nested*
in the subjects, and the columns are the first, second… respondent of each subject, in the order of the rows —
the layout R's ``psych::ICC`` and ``krippendorff.alpha`` expect. The raters count as nested when there are more
than twice as many rater labels as the most raters any subject has, or every label rates one subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from ._pairs import numeric_matrix
from ._tables import encode

__all__ = ["Ratings", "ratings_cube"]


@dataclass(frozen=True)
class Ratings:
    """``values[s, r, i]``: rater ``r``'s answer to item ``i`` for subject ``s`` (NaN = none).

    Whole-number levels one apart (1–5) are also kept as small codes (``codes``, −1 = none, value = code +
    ``low``), on which sums of squares are exact integer arithmetic and a tenth of the memory.
    """

    items: tuple[str, ...]
    subjects: pd.DataFrame  # one row per subject: the subject column(s)
    raters: tuple[str, ...]
    nested: bool
    codes: np.ndarray | None = None  # int8 cube when the levels are consecutive whole numbers
    low: int = 0
    floats: np.ndarray | None = None

    @cached_property
    def values(self) -> np.ndarray:
        if self.floats is not None:
            return self.floats
        assert self.codes is not None
        return np.where(self.codes >= 0, self.codes.astype(float) + self.low, np.nan)

    @property
    def n_subjects(self) -> int:
        return len(self.subjects)

    @property
    def n_raters(self) -> int:
        return len(self.raters)


def _subject_codes(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    for column in columns:
        if column not in frame.columns:
            raise ValueError(
                f"subject column {column!r} is not in the data; columns are {', '.join(map(str, frame.columns))}"
            )
        empty = frame[column].isna().to_numpy()
        if empty.any():
            raise ValueError(
                f"column {column!r} is empty in row {frame.index[empty][0]!r}; every response needs its subject"
            )
    if len(columns) == 1:
        codes, uniques = pd.factorize(frame[columns[0]], sort=False)
        return codes.astype(np.int64), pd.DataFrame({columns[0]: uniques})
    keys = frame[columns]
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(keys), sort=False)
    return codes.astype(np.int64), pd.DataFrame(list(uniques), columns=columns)


def ratings_cube(frame: pd.DataFrame, items: Sequence[str], subject: str | Sequence[str], rater: str) -> Ratings:
    """The ratings of ``items`` as a cube; a subject rated twice by the same rater is an error."""
    subject_columns = [subject] if isinstance(subject, str) else list(subject)
    s_codes, subjects = _subject_codes(frame, subject_columns)
    if rater not in frame.columns:
        raise ValueError(
            f"rater column {rater!r} is not in the data; columns are {', '.join(map(str, frame.columns))}"
            f" (name the respondent id or role column with rater=)"
        )
    rater_values = frame[rater]
    if rater_values.isna().any():
        row = frame.index[rater_values.isna().to_numpy()][0]
        raise ValueError(f"column {rater!r} is empty in row {row!r}; every response needs its rater")
    r_codes, r_labels = pd.factorize(rater_values, sort=True)
    n_subjects, n_labels = len(subjects), len(r_labels)
    pair = s_codes * n_labels + r_codes
    if n_subjects * n_labels <= 50_000_000:  # crossed raters: count every subject × rater cell directly
        cell_counts = np.bincount(pair, minlength=n_subjects * n_labels)
        unique_pairs = np.flatnonzero(cell_counts)
        counts = cell_counts[unique_pairs]
    else:
        unique_pairs, counts = np.unique(pair, return_counts=True)
    if (counts > 1).any():
        bad = unique_pairs[counts > 1][0]
        rows = frame.index[pair == bad].tolist()
        raise ValueError(
            f"rater {r_labels[bad % n_labels]!r} rates subject "
            f"{subjects.iloc[bad // n_labels].tolist()} in {len(rows)} rows "
            f"({', '.join(map(str, rows[:5]))}); "
            f"keep one response per rater and subject"
        )
    # Raters are crossed when the labels could be columns: few more labels than raters per subject (roles,
    # some missing). Far more labels than that (a respondent id per person) means raters nested in subjects.
    per_subject = np.bincount(unique_pairs // n_labels, minlength=n_subjects)
    most = int(per_subject.max())
    each_label_once = unique_pairs.size == n_labels and n_labels > most
    nested = n_subjects > 1 and (each_label_once or n_labels > 2 * most)
    if nested:
        columns = pd.Series(s_codes).groupby(s_codes).cumcount().to_numpy()
        labels = tuple(str(i + 1) for i in range(int(columns.max()) + 1))
    else:
        columns, labels = r_codes, tuple(str(v) for v in r_labels)
    integer = _integer_codes(frame, items)
    if integer is not None:
        codes = np.full((n_subjects, len(labels), len(items)), -1, dtype=np.int8)
        codes[s_codes, columns] = integer[0]
        return Ratings(tuple(items), subjects, labels, bool(nested), codes=codes, low=integer[1])
    values = np.full((n_subjects, len(labels), len(items)), np.nan)
    values[s_codes, columns] = numeric_matrix(frame, items)
    return Ratings(tuple(items), subjects, labels, bool(nested), floats=values)


def _integer_codes(frame: pd.DataFrame, items: Sequence[str]) -> tuple[np.ndarray, int] | None:
    """Codes of integer item columns (value − lowest level) when all are integer columns, else None."""
    for name in items:
        dtype = frame[name].dtype
        numpy_dtype = getattr(dtype, "numpy_dtype", dtype)
        if not isinstance(numpy_dtype, np.dtype) or numpy_dtype.kind not in "iu":
            return None
    try:
        encoded = encode(frame, list(items))
    except ValueError:  # more than 127 distinct values: not levels, the float path takes them
        return None
    if not encoded.levels:
        return None
    return encoded.codes, int(encoded.levels[0])


def level_codes(values: np.ndarray, levels: Sequence[Any] | None) -> tuple[np.ndarray, np.ndarray]:
    """Values as codes into the sorted level values (−1 = missing) and those values.

    With ``levels`` every declared level is a category (also when nobody chose it); a value outside them is
    an error. Without, the distinct values observed are the categories.
    """
    present = ~np.isnan(values)
    domain = np.unique(values[present]) if levels is None else np.asarray(sorted(float(v) for v in levels))
    if domain.size == 0:
        return np.full(values.shape, -1, dtype=np.int64), domain
    steps = np.diff(domain)
    if domain.size > 1 and np.all(steps == 1) and float(domain[0]).is_integer():
        # whole-number levels one apart (1–5): the code is the value minus the lowest level
        shifted = np.where(present, values - domain[0], -1.0)
        codes = shifted.astype(np.int64)
        bad = present & ((codes != shifted) | (codes >= domain.size) | (codes < 0))
    else:
        codes = np.full(values.shape, -1, dtype=np.int64)
        found = np.minimum(np.searchsorted(domain, values[present]), domain.size - 1)
        codes[present] = found
        bad = np.zeros(values.shape, dtype=bool)
        bad[present] = domain[found] != values[present]
    if bad.any():
        value = values[bad][0]
        raise ValueError(f"value {value:g} is not one of the levels {', '.join(f'{v:g}' for v in domain)}")
    return codes, domain
