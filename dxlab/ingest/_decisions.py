"""Decisions taken on a column's distinct values: is it a tax code, a date, a number, a yes/no column?

Cleaning decides some things per column, on all the column's distinct values at once (80 % of an id column's
values look like tax codes, 90 % of an unmapped column's look like dates, every one is a plain number…).
A file cleaned in batches sees one batch at a time, so each decision is split in two: the *features* of each
distinct value (one small row of flags) and the *decision* on the features of all of them. The features of
several batches are united on a 64-bit hash of each value (:func:`union_features`) — one row per distinct value
of the whole file, never its text — and give the very decision the whole column would have given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from ._dates import DateOrder, looks_like_date

__all__ = [
    "ColumnDecisions",
    "cell_text",
    "ExtraKind",
    "boolean_decision",
    "boolean_features",
    "extra_features",
    "extra_kind",
    "hashed",
    "plain_numbers",
    "tax_decision",
    "tax_features",
    "union_features",
]

ExtraKind = Literal["date", "integer", "decimal", "text"]

# A plain number as a survey tool writes it: no leading zero (codes, phone numbers, tax codes keep those and stay
# text), at most 15 digits (beyond that a float loses digits), "." as decimal point.
_PLAIN_NUMBER = re.compile(r"-?(?:0|[1-9]\d{0,14})(?:\.\d+)?")
_FRACTION_TEXT = re.compile(r"\d+(?:\.\d+)?")
_TAX_DIGITS = re.compile(r"\d{9,13}")
_TAX_SEPARATORS = re.compile(r"[\s.\-]")
TRUE_FALSE = {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False}


@dataclass(frozen=True)
class ColumnDecisions:
    """Per-column decisions taken beforehand on the whole file (by column name): an id column read as tax
    codes, the kind of each unmapped column, the reading of each date column, the yes/no columns, percent
    answers written as fractions; and each answer spelling's reading, kept as batches meet them."""

    tax: dict[str, bool] = field(default_factory=dict)
    extras: dict[str, ExtraKind] = field(default_factory=dict)
    dates: dict[str, DateOrder] = field(default_factory=dict)
    booleans: dict[str, bool] = field(default_factory=dict)
    fractions: dict[str, bool] = field(default_factory=dict)
    answers: dict[str, dict] = field(default_factory=dict)  # column → spelling → how it reads (filled as met)


def cell_text(value: object) -> str:
    """A cell as text: blank for missing, whole floats without ``.0``."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def hashed(uniques: list) -> np.ndarray:
    """A 64-bit hash of each distinct text (pandas' SipHash), the key on which batches' features unite."""
    try:  # text, as read from a CSV file
        return pd.util.hash_array(np.asarray(uniques, dtype=object), categorize=False)
    except TypeError:
        return pd.util.hash_array(np.asarray([str(u) for u in uniques], dtype=object), categorize=False)


def union_features(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The features of several batches as one row per distinct value (by ``hash``)."""
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True).drop_duplicates("hash", ignore_index=True)


def tax_features(uniques: list) -> pd.DataFrame:
    """Per distinct value: 9 to 13 digits once spaces, dots and dashes are removed."""
    digits = [bool(_TAX_DIGITS.fullmatch(_TAX_SEPARATORS.sub("", cell_text(u)))) for u in uniques]
    return pd.DataFrame({"digits": np.asarray(digits, dtype=bool)})


def tax_decision(features: pd.DataFrame) -> bool:
    """An id column holds tax codes when at least 80 % of its distinct values are 9–13 digits."""
    return len(features) > 0 and int(features["digits"].sum()) >= 0.8 * len(features)


def plain_numbers(uniques: list) -> list[float] | None:
    """The distinct values as numbers when every one of them is a plain number, else None."""
    out = []
    for value in uniques:
        if isinstance(value, (bool, np.bool_)):
            return None
        if isinstance(value, (int, float, np.integer, np.floating)):
            out.append(float(value))
            continue
        text = str(value).strip()
        if not _PLAIN_NUMBER.fullmatch(text):
            return None
        out.append(float(text))
    return out or None


def extra_features(uniques: list) -> pd.DataFrame:
    """Per distinct value of an unmapped column: looks like a date, is a plain number, a whole number."""
    date_like = [looks_like_date(u) for u in uniques]
    numbers = [plain_numbers([u]) for u in uniques]
    return pd.DataFrame(
        {
            "date": np.asarray(date_like, dtype=bool),
            "number": np.asarray([x is not None for x in numbers], dtype=bool),
            "whole": np.asarray([x is not None and float(x[0]).is_integer() for x in numbers], dtype=bool),
        }
    )


def extra_kind(features: pd.DataFrame) -> ExtraKind:
    """Dates when 90 % of the distinct values look like dates; numbers when all of them are plain numbers
    (whole numbers: ``integer``); text otherwise."""
    if not len(features):
        return "text"
    if int(features["date"].sum()) >= 0.9 * len(features):
        return "date"
    if bool(features["number"].all()):
        return "integer" if bool(features["whole"].all()) else "decimal"
    return "text"


def boolean_features(uniques: list) -> pd.DataFrame:
    """Per distinct value: one of true/false/1/0 (a KoboToolbox select-multiple option column)."""
    flags = [str(u).strip().lower() in TRUE_FALSE for u in uniques if u is not None]
    return pd.DataFrame({"boolean": np.asarray(flags, dtype=bool)})


def boolean_decision(features: pd.DataFrame) -> bool:
    """A yes/no column: some values, all of them true/false/1/0."""
    return len(features) > 0 and bool(features["boolean"].all())


def fraction_features(uniques: list) -> pd.DataFrame:
    """Per distinct answer of a percent criterion: a plain number, within [0, 1], strictly inside (0, 1)."""
    numbers = [plain_fraction(u) for u in uniques]
    return pd.DataFrame(
        {
            "number": np.asarray([x is not None for x in numbers], dtype=bool),
            "within": np.asarray([x is not None and 0 <= x <= 1 for x in numbers], dtype=bool),
            "inside": np.asarray([x is not None and 0 < x < 1 for x in numbers], dtype=bool),
        }
    )


def fraction_decision(features: pd.DataFrame) -> bool:
    """Percents written as fractions: every plain number within [0, 1] and one strictly inside (as
    :func:`dxlab.scoring` decides on a whole column)."""
    numbers = features[features["number"]]
    return len(numbers) > 0 and bool(numbers["within"].all()) and bool(numbers["inside"].any())


def plain_fraction(value: object) -> float | None:
    """The number a percent answer is written as (``0,5`` too), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return None if np.isnan(number) else number
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if _FRACTION_TEXT.fullmatch(text):
            return float(text)
    return None
