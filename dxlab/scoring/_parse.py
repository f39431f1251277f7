"""Turn raw survey answers into levels.

Forms offer levels in many spellings: ``3``, ``Mức 3``, ``Muc 3``, ``Level 3``, ``3 - Hình thành``,
``(4) Nâng cao``, the label alone in Vietnamese or English, MIC's alias ``Khởi động``, or the whole level
descriptor as the choice. Percentage-band criteria get ``35%``, ``35,5 %``, fractions such as ``0.35``, and
bands written as text (``Từ 20% đến 40%``, ``20-40%``, ``<20%``). Every value is parsed by the same rules
in any case, NFC or NFD, with or without tone marks; anything that is not clearly one level becomes
``<NA>`` and is reported with its reason — nothing is guessed.

Non-answers ("Không biết", "Chưa áp dụng", "N/A", "Unfamiliar (N/A)"…, as the rubric declares them) are not
errors: they become ``<NA>`` too, but are listed apart, with what they mean (``not_applicable`` or
``dont_know``), in ``attrs["nonresponse"]`` instead of the issues.

Parsing works on the distinct values of a column, so a million answers cost as much as the few dozen
spellings they use.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from numbers import Number
from typing import Any, Literal

import numpy as np
import pandas as pd

from .._text import fold, nfc
from ..rubric import Criterion, NonAnswer, Rubric, load_rubric, non_answer_key

__all__ = ["NONRESPONSE_COLUMNS", "parse_levels", "parse_levels_report", "percent_to_level"]

ISSUE_COLUMNS = ["row", "value", "reason"]
NONRESPONSE_COLUMNS = ["row", "value", "code"]

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_PERCENT = re.compile(rf"^{_NUMBER}\s*%?$")
_LEVEL_WORD = r"(?:muc|level|lvl|cap do|cap|do|m)"
# "Mức 3", "Level 3", "3", "(3)", "3." optionally followed by a separator and a label/descriptor.
_NUMBERED = re.compile(rf"^(?:{_LEVEL_WORD}\s*)?[\(\[]?\s*(\d)\s*[\)\]]?\s*(?:[-–—:./)]\s*|\s+|$)(.*)$")
_COMPARE = re.compile(rf"^(<=|>=|<|>|≤|≥)\s*{_NUMBER}\s*%?$")
_RANGE = re.compile(rf"^(?:tu|from|between)?\s*{_NUMBER}\s*%?\s*(?:-|–|—|den|to|and|toi|~)\s*{_NUMBER}\s*%?$")
_APPROX = re.compile(r"^(?:khoang|xap xi|tam|gan|about|approximately|approx|around|roughly|~|≈)\s*")
_LESS_WORDS = ("it hon", "duoi", "less than", "under", "below", "fewer than", "nho hon")
_MORE_WORDS = ("hon", "tren", "more than", "over", "above", "greater than", "lon hon", "nhieu hon")
_YES = {"co", "yes", "y", "true", "x", "da co", "dung", "1"}
_NO = {"khong", "no", "n", "false", "chua", "chua co", "sai", "0"}

FractionMode = Literal["auto"] | bool


@dataclass(frozen=True)
class _Lookup:
    labels: dict[str, int]
    descriptors: dict[str, int]
    levels: tuple[int, ...]


@lru_cache(maxsize=512)
def _lookup(rubric: Rubric, criterion_id: str) -> _Lookup:
    crit = rubric.criterion(criterion_id)
    labels: dict[str, int] = {}
    for level in rubric.levels_:
        for name in (level.label.vi, level.label.en, level.code, *level.aliases):
            if name:
                labels[fold(name)] = level.value
    descriptors: dict[str, int] = {}
    for value, text in crit.levels.items():
        for name in (text.vi, text.en):
            if name:
                descriptors[fold(name)] = value
    return _Lookup(labels=labels, descriptors=descriptors, levels=rubric.level_values)


def percent_to_level(percent: float, bounds: tuple[float, ...] = (20, 40, 60, 80)) -> int:
    """Band a percentage: x < b1 → 1, b1 ≤ x < b2 → 2, …, b(k-1) ≤ x ≤ bk → k, x > bk → k+1.

    With the default bounds: < 20 → 1; 20–<40 → 2; 40–<60 → 3; 60–80 → 4; > 80 → 5 (DESIGN.md).

    >>> [percent_to_level(x) for x in (0, 19.9, 20, 59.99, 60, 80, 80.01, 100)]
    [1, 1, 2, 3, 4, 4, 5, 5]
    """
    last = len(bounds) - 1
    for i, bound in enumerate(bounds):
        if percent < bound or (i == last and percent <= bound):
            return i + 1
    return len(bounds) + 1


def _to_float(text: str) -> float:
    return float(text.replace(",", "."))


class _Parser:
    def __init__(self, rubric: Rubric, crit: Criterion, fractions: bool):
        self.crit = crit
        self.lookup = _lookup(rubric, crit.id)
        self.fractions = fractions
        self.level_range = f"{min(self.lookup.levels)}–{max(self.lookup.levels)}"

    # Each method returns (level, None) or (None, reason).
    def __call__(self, raw: Any) -> tuple[int | None, str | None]:
        if isinstance(raw, (bool, np.bool_)):
            return (
                self._yes_no(fold(str(raw)))
                if self.crit.answer == "yes_no"
                else (None, f"a true/false value is not a level of {self.crit.id}")
            )
        if isinstance(raw, Number):
            value = float(raw)  # type: ignore[arg-type]
            if math.isnan(value):
                return None, None
            return self._number(value, has_percent=False)
        text = nfc(str(raw))
        if not text:
            return None, None
        key = fold(text)
        if key in self.lookup.descriptors:
            return self.lookup.descriptors[key], None
        if self.crit.answer == "yes_no":
            return self._yes_no(key)
        if self.crit.answer == "percent_band":
            found = self._percent_text(fold(text, keep_punctuation=True))
            if found != (None, "no match"):
                return found
        elif re.fullmatch(rf"{_NUMBER}\s*%", key):
            return None, f"a percentage is not an answer to {self.crit.id} (it takes levels {self.level_range})"
        return self._level_text(key)

    def _number(self, value: float, has_percent: bool) -> tuple[int | None, str | None]:
        if self.crit.answer == "percent_band":
            percent = value * 100 if (self.fractions and not has_percent) else value
            if not 0 <= percent <= 100:
                return None, f"percentage {percent:g} is outside 0–100"
            return percent_to_level(percent, self.crit.bounds), None
        if has_percent:
            return None, f"a percentage is not an answer to {self.crit.id} (it takes levels {self.level_range})"
        if self.crit.answer == "yes_no":
            return self._yes_no(fold(f"{value:g}"))
        if value.is_integer() and int(value) in self.lookup.levels:
            return int(value), None
        return None, f"{value:g} is not a level ({self.level_range})"

    def _level_text(self, key: str) -> tuple[int | None, str | None]:
        if key in self.lookup.labels:
            return self.lookup.labels[key], None
        match = _NUMBERED.match(key)
        if match:
            number, rest = int(match.group(1)), match.group(2).strip(" .-–:")
            if number not in self.lookup.levels:
                return None, f"{number} is not a level ({self.level_range})"
            if not rest:
                if self.crit.answer == "percent_band" and not re.match(rf"^{_LEVEL_WORD}\s", key):
                    return self._number(float(number), has_percent=False)
                return number, None
            named = self.lookup.labels.get(rest) or self.lookup.descriptors.get(rest)
            if named is None:
                return None, f"text after level {number} ('{rest}') is not a label or descriptor"
            if named != number:
                return None, f"number {number} and label for level {named} disagree"
            return number, None
        return None, f"not a level label, level number or descriptor of {self.crit.id}"

    def _percent_text(self, key: str) -> tuple[int | None, str | None]:
        key = key.replace(" %", "%")
        # "khoảng 49%", "about 49%", "~49%": the respondent's estimate is the number they give
        key = _APPROX.sub("", key)
        m = _PERCENT.match(key)
        if m:
            return self._number(_to_float(m.group(1)), has_percent=key.endswith("%"))
        for words, op in ((_LESS_WORDS, "<"), (_MORE_WORDS, ">")):
            for word in words:
                if key.startswith(word + " "):
                    rest = key[len(word) :].strip()
                    if _PERCENT.match(rest.replace(" %", "%")):
                        key = f"{op}{rest}"
                        break
        m = _COMPARE.match(key)
        if m:
            op, value = m.group(1), _to_float(m.group(2))
            return self._range_band(
                *{
                    "<": (0.0, value, True, False),
                    "≤": (0.0, value, True, True),
                    "<=": (0.0, value, True, True),
                    ">": (value, 100.0, False, True),
                    "≥": (value, 100.0, True, True),
                    ">=": (value, 100.0, True, True),
                }[op]
            )
        m = _RANGE.match(key)
        if m:
            low, high = _to_float(m.group(1)), _to_float(m.group(2))
            if low > high:
                return None, f"range {low:g}–{high:g}% runs backwards"
            edges = (0.0, *self.crit.bounds, 100.0)
            for i in range(len(edges) - 1):
                if (low, high) == (edges[i], edges[i + 1]):
                    return i + 1, None
            return self._range_band(low, high, True, True)
        return None, "no match"

    def _range_band(
        self, low: float, high: float, low_closed: bool, high_closed: bool
    ) -> tuple[int | None, str | None]:
        if low < 0 or high > 100:
            return None, "percentage outside 0–100"
        eps = 1e-9
        first = percent_to_level(low if low_closed else low + eps, self.crit.bounds)
        last = percent_to_level(high if high_closed else high - eps, self.crit.bounds)
        if first != last:
            return None, f"range {low:g}–{high:g}% spans levels {first} to {last}"
        return first, None

    def _yes_no(self, key: str) -> tuple[int | None, str | None]:
        if key in _YES:
            return self.crit.yes_level, None
        if key in _NO:
            return self.crit.no_level, None
        if key in self.lookup.labels and self.lookup.labels[key] in (self.crit.yes_level, self.crit.no_level):
            return self.lookup.labels[key], None
        return None, f"not a yes/no answer (có/không, yes/no) for {self.crit.id}"


def _detect_fractions(uniques: Iterable[Any]) -> bool:
    """A percent column holds fractions when every plain number is within [0, 1] and one lies strictly inside."""
    numbers = []
    for value in uniques:
        if isinstance(value, (bool, np.bool_)):
            continue
        if isinstance(value, Number):
            numbers.append(float(value))  # type: ignore[arg-type]
        elif isinstance(value, str):
            text = value.strip().replace(",", ".")
            if re.fullmatch(r"\d+(?:\.\d+)?", text):
                numbers.append(float(text))
    numbers = [n for n in numbers if not math.isnan(n)]
    return bool(numbers) and all(0 <= n <= 1 for n in numbers) and any(0 < n < 1 for n in numbers)


def parse_levels_report(
    values: Any,
    rubric: Rubric | str,
    criterion_id: str,
    *,
    fractions: FractionMode = "auto",
    non_answers: Iterable[NonAnswer] = (),
) -> tuple[pd.Series, pd.DataFrame]:
    """Like :func:`parse_levels`, returning ``(levels, issues)`` with issues as a DataFrame (row, value, reason).

    Non-answers are not issues: they are in ``levels.attrs["nonresponse"]`` (row, value, code)."""
    rubric = load_rubric(rubric)
    crit = rubric.criterion(criterion_id)
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    uniques = list(uniques)
    if fractions == "auto":
        use_fractions = crit.answer == "percent_band" and _detect_fractions(uniques)
    elif isinstance(fractions, bool):
        use_fractions = fractions
    else:
        raise ValueError(f"fractions must be 'auto', True or False, not {fractions!r}")
    parser = _Parser(rubric, crit, use_fractions)
    meanings = _non_answer_meanings(uniques, (*rubric.non_answers_for(criterion_id), *non_answers), parser.lookup)
    parsed = [(None, None) if meaning else parser(value) for value, meaning in zip(uniques, meanings)]
    table = np.array([level if level is not None else -1 for level, _ in parsed] + [-1], dtype=np.int16)
    found = table[codes]  # code -1 (missing) lands on the trailing -1
    levels = pd.array(np.where(found < 0, 0, found).astype(np.int8), dtype="Int8")
    levels[found < 0] = pd.NA
    result = pd.Series(levels, index=series.index, name=series.name if series.name is not None else criterion_id)

    bad = [i for i, (_, reason) in enumerate(parsed) if reason]
    if bad:
        reasons = np.array([None] * (len(uniques) + 1), dtype=object)
        for i in bad:
            reasons[i] = parsed[i][1]
        row_reasons = reasons[codes]
        mask = pd.notna(row_reasons)
        issues = pd.DataFrame(
            {"row": series.index[mask].tolist(), "value": series[mask].tolist(), "reason": row_reasons[mask]},
            columns=ISSUE_COLUMNS,
        )
    else:
        issues = pd.DataFrame({c: pd.Series(dtype=object) for c in ISSUE_COLUMNS})
    result.attrs["nonresponse"] = _nonresponse(series, codes, meanings)
    return result, issues.reset_index(drop=True)


def _non_answer_meanings(uniques: Iterable[Any], codes: Iterable[NonAnswer], lookup: _Lookup) -> list[str | None]:
    """Per distinct answer, the meaning of the non-answer code it is, or None. The first declaration of a
    code wins (the criterion's own before the rubric's); a level label or descriptor is never a non-answer."""
    table: dict[str, str] = {}
    for code in codes:
        table.setdefault(non_answer_key(code.text), code.meaning)
    out: list[str | None] = []
    for value in uniques:
        meaning = None
        if table and isinstance(value, str):
            meaning = table.get(non_answer_key(value))
            if meaning and (fold(value) in lookup.labels or fold(value) in lookup.descriptors):
                meaning = None
        elif table and isinstance(value, Number) and not isinstance(value, (bool, np.bool_)):
            number = float(value)  # type: ignore[arg-type]
            if math.isfinite(number):  # a numeric code such as 99 ("không biết") read from a spreadsheet
                meaning = table.get(non_answer_key(f"{number:g}"))
        out.append(meaning)
    return out


def _nonresponse(series: pd.Series, codes: np.ndarray, meanings: list[str | None]) -> pd.DataFrame:
    if not any(meanings):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in NONRESPONSE_COLUMNS})
    table = np.array([*meanings, None], dtype=object)
    row_codes = table[codes]
    mask = pd.notna(row_codes)
    return pd.DataFrame(
        {"row": series.index[mask].tolist(), "value": series[mask].tolist(), "code": row_codes[mask]},
        columns=NONRESPONSE_COLUMNS,
    )


def parse_levels(
    values: Any,
    rubric: Rubric | str,
    criterion_id: str,
    *,
    fractions: FractionMode = "auto",
    errors: str = "report",
    non_answers: Iterable[NonAnswer] = (),
) -> pd.Series:
    """Parse raw answers for one criterion into levels.

    Parameters
    ----------
    values : Series or sequence
        Raw answers as they come from a form: numbers, labels, ``Mức 3``, descriptors, percentages.
    rubric : Rubric or str
        The rubric (or a shipped rubric id).
    criterion_id : str
        The criterion these answers belong to; its answer type decides how numbers are read.
    fractions : "auto", True or False
        For ``percent_band`` criteria: whether plain numbers are fractions (0.35 = 35 %). ``"auto"`` treats
        the column as fractions when every plain number lies in [0, 1] and one lies strictly inside.
    errors : "report", "warn" or "raise"
        What to do with values that are not clearly one level. They always become ``<NA>``; with
        ``"report"`` they are listed in ``result.attrs["issues"]`` (row, value, reason), ``"warn"`` also
        emits a warning, ``"raise"`` raises ``ValueError`` naming the first one.
    non_answers : iterable of NonAnswer
        Non-answer codes on top of those the rubric declares for this criterion (e.g. a column mapping's).

    Returns
    -------
    Series of dtype ``Int8`` aligned with ``values``; blank answers, non-answers and unparseable ones are
    ``<NA>``. Non-answers are never issues: ``result.attrs["nonresponse"]`` lists them (row, value, code),
    ``code`` being ``"not_applicable"`` or ``"dont_know"``.

    Examples
    --------
    >>> import dxlab
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> dxlab.parse_levels(["Mức 3", "nang cao", "(5) Dẫn dắt", "Khởi động", "abc"], r, "CUS.ENG.1").tolist()
    [3, 4, 5, 1, <NA>]
    >>> dxlab.parse_levels(["35%", "Từ 60% đến 80%", "<20%", 0.9], r, "CUS.ENG.3").tolist()
    [2, 4, 1, 5]
    >>> parsed = dxlab.parse_levels(["Mức 2", "Không biết"], r, "CUS.ENG.1")
    >>> parsed.attrs["nonresponse"]["code"].tolist(), len(parsed.attrs["issues"])
    (['dont_know'], 0)
    """
    if errors not in ("report", "warn", "raise"):
        raise ValueError(f"errors must be one of 'report', 'warn', 'raise', not {errors!r}")
    result, issues = parse_levels_report(values, rubric, criterion_id, fractions=fractions, non_answers=non_answers)
    if len(issues):
        row, value, reason = (issues[c].tolist()[0] for c in ISSUE_COLUMNS)
        message = (
            f"{len(issues)} answer(s) for {criterion_id} are not a level and became <NA>; first: "
            f"row {row!r}, value {value!r}: {reason}"
        )
        if errors == "raise":
            raise ValueError(message)
        if errors == "warn":
            import warnings

            warnings.warn(message, stacklevel=2)
    result.attrs["issues"] = issues
    return result
