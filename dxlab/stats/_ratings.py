"""Several respondents of one enterprise as ratings: a (subjects × raters × items) cube.

A *subject* is what is rated (an enterprise, or an enterprise in one wave); a *rater* is who rates it. When
the same raters rate every subject (raters named by role: director, IT head…) the raters are *crossed* and
each is a column. When each rater rates one subject only (respondent ids, different people in every
enterprise) the raters are *nested* in the subjects, and the columns are the first, second… respondent of
each subject, in the order of the rows — the layout R's ``psych::ICC`` and ``krippendorff.alpha`` expect.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from ._pairs import numeric_matrix

__all__ = ["Ratings", "ratings_cube"]


@dataclass(frozen=True)
class Ratings:
    """``values[s, r, i]``: rater ``r``'s answer to item ``i`` for subject ``s`` (NaN = none)."""

    items: tuple[str, ...]
    subjects: pd.DataFrame  # one row per subject: the subject column(s)
    raters: tuple[str, ...]
    values: np.ndarray
    nested: bool

    @property
    def n_subjects(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_raters(self) -> int:
        return int(self.values.shape[1])


def _subject_codes(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    for column in columns:
        if column not in frame.columns:
            raise ValueError(f"subject column {column!r} is not in the data; columns are "
                             f"{', '.join(map(str, frame.columns))}")
        empty = frame[column].isna().to_numpy()
        if empty.any():
            raise ValueError(f"column {column!r} is empty in row {frame.index[empty][0]!r}; every response "
                             f"needs its subject")
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
        raise ValueError(f"rater column {rater!r} is not in the data; columns are {', '.join(map(str, frame.columns))}"
                         f" (name the respondent id or role column with rater=)")
    rater_values = frame[rater]
    if rater_values.isna().any():
        row = frame.index[rater_values.isna().to_numpy()][0]
        raise ValueError(f"column {rater!r} is empty in row {row!r}; every response needs its rater")
    r_codes, r_labels = pd.factorize(rater_values, sort=True)
    n_subjects, n_labels = len(subjects), len(r_labels)
    pair = s_codes * n_labels + r_codes
    unique_pairs, first, counts = np.unique(pair, return_index=True, return_counts=True)
    if (counts > 1).any():
        bad = unique_pairs[counts > 1][0]
        rows = frame.index[pair == bad].tolist()
        raise ValueError(f"rater {r_labels[bad % n_labels]!r} rates subject "
                         f"{subjects.iloc[bad // n_labels].tolist()} in {len(rows)} rows ({', '.join(map(str, rows[:5]))}); "
                         f"keep one response per rater and subject")
    nested = unique_pairs.size == n_labels and n_subjects > 1
    if nested:
        columns = pd.Series(s_codes).groupby(s_codes).cumcount().to_numpy()
        labels = tuple(str(i + 1) for i in range(int(columns.max()) + 1))
    else:
        columns, labels = r_codes, tuple(str(v) for v in r_labels)
    values = np.full((n_subjects, len(labels), len(items)), np.nan)
    values[s_codes, columns] = numeric_matrix(frame, items)
    return Ratings(tuple(items), subjects, labels, values, bool(nested))


def level_codes(values: np.ndarray, levels: Sequence[Any] | None) -> tuple[np.ndarray, np.ndarray]:
    """Values as codes into the sorted level values (−1 = missing) and those values.

    With ``levels`` every declared level is a category (also when nobody chose it); a value outside them is
    an error. Without, the distinct values observed are the categories.
    """
    present = ~np.isnan(values)
    if levels is None:
        domain = np.unique(values[present])
    else:
        domain = np.asarray(sorted(float(v) for v in levels))
    codes = np.full(values.shape, -1, dtype=np.int64)
    found = np.searchsorted(domain, values[present])
    found = np.minimum(found, max(domain.size - 1, 0))
    if domain.size == 0:
        return codes, domain
    if not np.array_equal(domain[found], values[present]):
        bad = values[present][domain[found] != values[present]][0]
        raise ValueError(f"value {bad:g} is not one of the levels {', '.join(f'{v:g}' for v in domain)}")
    codes[present] = found
    return codes, domain
