"""Dates and times as survey tools write them.

Google Forms writes ``M/D/YYYY H:MM:SS`` in English and ``dd/mm/yyyy hh:mm:ss`` in Vietnamese, SurveyMonkey
``7/10/14 18:37``, Qualtrics and KoboToolbox ISO 8601 (with a UTC offset), XLSX files real date cells or
serial day numbers. Day-first or month-first is decided per column from the values themselves (a first part
above 12 means day-first, a second part above 12 month-first); only when every value is ambiguous does the
format's own convention decide, and failing that day-first (dxlab's users are Vietnamese). Times keep the
wall-clock time written in the file; a column that mixes UTC offsets is converted to UTC instead.

Parsing is vectorised over the distinct values with pandas, which is why it is written here rather than
calling ``dateutil`` value by value (slow on 100,000 distinct timestamps, and it guesses the order per
value instead of per column).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from numbers import Number

import numpy as np
import pandas as pd

__all__ = [
    "DateOrder",
    "DateParse",
    "date_features",
    "decide_dates",
    "looks_like_date",
    "looks_like_dates",
    "parse_datetimes",
]

_SLASH = (
    r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?|SA|CH|sa|ch)?)?$"
)
_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$")
_SLASH_RE = re.compile(_SLASH)
_OFFSET = re.compile(r"\s*(Z|[+-]\d{2}:?\d{2})$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_FIRST_DATE = pd.Timestamp("1678-01-01")
_LAST_DATE = pd.Timestamp("2262-04-11")
_LAST_SERIAL = (pd.Timestamp("2262-04-11") - _EXCEL_EPOCH).days  # pandas' datetime64[ns] ends there


_GROUPS = iter(range(7))
_SLASH_NAMED = re.sub(r"\((?!\?)", lambda m: f"(?P<g{next(_GROUPS)}>", _SLASH)


def _extract_slash(texts: list[str]) -> pd.DataFrame:
    """The seven groups of ``_SLASH`` for every text (NaN where absent), matched by pyarrow's RE2 in one
    vectorised pass rather than value by value in Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    matched = pc.extract_regex(pa.array(texts, type=pa.string()), pattern=_SLASH_NAMED)
    columns = {}
    for k in range(7):
        field = pc.struct_field(matched, [k])
        field = pc.if_else(pc.equal(field, ""), pa.scalar(None, pa.string()), field)
        if k < 6:  # digits: numbers, NaN where absent (cast by Arrow, not value by value)
            columns[k] = pd.Series(pc.cast(field, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
        else:
            columns[k] = pd.Series(field.to_numpy(zero_copy_only=False), dtype=object).fillna(np.nan)
    return pd.DataFrame(columns)


@dataclass(frozen=True)
class DateParse:
    """Result of parsing one column's distinct values: ``values`` (datetime64, NaT where not a date),
    ``reasons`` (why each unparsed non-blank value failed, else None) and a note on the order chosen."""

    values: pd.Series
    reasons: list[str | None]
    note: str


def looks_like_date(value: object) -> bool:
    """A date or date-time object, or a text written as a slash or ISO 8601 date."""
    if isinstance(value, (dt.date, pd.Timestamp)):
        return True
    return isinstance(value, str) and bool(_SLASH_RE.match(value) or _ISO.match(value))


def looks_like_dates(uniques: list, *, share: float = 0.9) -> bool:
    """Whether at least ``share`` of the non-blank distinct values look like dates or date-times."""
    texts = [u for u in uniques if u is not None and not (isinstance(u, float) and np.isnan(u))]
    if not texts:
        return False
    return sum(looks_like_date(value) for value in texts) >= share * len(texts)


_SLICE = 100_000  # distinct values parsed at a time: a million timestamps never make one giant frame


def _slash_evidence(texts: list[str]) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """(which texts are slash dates, their first and their second number), :data:`_SLICE` texts at a time."""
    slash, first, second = [], [], []
    for at in range(0, len(texts), _SLICE):
        parts = _extract_slash(texts[at : at + _SLICE])
        slash.append(parts[0].notna().to_numpy())
        first.append(pd.to_numeric(parts[0], errors="coerce").to_numpy(dtype=float))
        second.append(pd.to_numeric(parts[1], errors="coerce").to_numpy(dtype=float))
    return np.concatenate(slash), pd.Series(np.concatenate(first)), pd.Series(np.concatenate(second))


def _slash_stamps(parts: pd.DataFrame, dayfirst: bool) -> np.ndarray:
    """The date-times of slash dates split by :func:`_extract_slash`, day first or month first (NaT if invalid)."""
    first = pd.to_numeric(parts[0], errors="coerce")
    second = pd.to_numeric(parts[1], errors="coerce")
    day = first if dayfirst else second
    month = second if dayfirst else first
    year = pd.to_numeric(parts[2], errors="coerce")
    year = year.where(year >= 100, year + np.where(year < 70, 2000, 1900))
    hour = pd.to_numeric(parts[3], errors="coerce").fillna(0)
    ampm = parts[6].fillna("").str.lower().str.replace(".", "", regex=False)
    hour = hour.where(~ampm.isin(["pm", "ch"]) | (hour >= 12), hour + 12)
    hour = hour.where(~ampm.isin(["am", "sa"]) | (hour != 12), 0)
    minute = pd.to_numeric(parts[4], errors="coerce").fillna(0)
    second_ = pd.to_numeric(parts[5], errors="coerce").fillna(0)
    stamps = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": day, "hour": hour, "minute": minute, "second": second_}),
        errors="coerce",
    )
    return stamps.to_numpy(dtype="datetime64[ns]")


@dataclass(frozen=True)
class DateOrder:
    """How a date column is read, decided on all its distinct values: the order of slash dates (None: there
    are none), whether mixed UTC offsets are converted to UTC, and the note that says so."""

    dayfirst: bool | None
    to_utc: bool
    note: str


def date_features(texts: list[str]) -> pd.DataFrame:
    """What decides a column's date order, per distinct text: a slash date (``slash``), its first part above
    12 (``day``), its second part above 12 (``month``), and the UTC offset of an ISO 8601 date-time
    (``offset``, else None). Rows of several batches add up to the whole column's (see :func:`decide_dates`)."""
    slash, first, second = _slash_evidence(texts) if texts else (np.zeros(0, dtype=bool), pd.Series(), pd.Series())
    offsets: list[str | None] = [None] * len(texts)
    for k in np.flatnonzero(~slash):
        text = texts[k]
        if ":" in text and _ISO.match(text) and (found := _OFFSET.search(text)):
            offsets[k] = found.group(1)
    return pd.DataFrame(
        {
            "slash": slash,
            "day": (first > 12).to_numpy(dtype=bool),
            "month": (second > 12).to_numpy(dtype=bool),
            "offset": pd.Series(offsets, dtype=object),
        }
    )


def decide_dates(features: pd.DataFrame, dayfirst: bool | None) -> DateOrder:
    """The order of a column's slash dates and its time zone rule, from the :func:`date_features` of its
    distinct values; ``dayfirst`` is the format's convention (None: none)."""
    order, note = dayfirst, ""
    day_evidence = bool(features["day"].any())
    month_evidence = bool(features["month"].any())
    if bool(features["slash"].any()):
        if day_evidence and not month_evidence:
            order, note = True, "day/month/year (a first part above 12)"
        elif month_evidence and not day_evidence:
            order, note = False, "month/day/year (a second part above 12)"
        elif day_evidence and month_evidence:
            order = bool(int(features["day"].sum()) >= int(features["month"].sum()))
            note = "mixed day-first and month-first dates; read as " + ("day/month/year" if order else "month/day/year")
        elif order is None:
            order, note = True, "every date is ambiguous; read as day/month/year"
        else:
            note = ("day/month/year" if order else "month/day/year") + " (the format's convention)"
    to_utc = features["offset"].dropna().nunique() > 1
    if to_utc:
        note = (note + "; " if note else "") + "several UTC offsets: converted to UTC"
    return DateOrder(order, to_utc, note)


def parse_datetimes(uniques: list, dayfirst: bool | None = None, order: DateOrder | None = None) -> DateParse:
    """Parse the distinct values of a date column (see the module docstring for the rules). ``order``: the
    column's reading decided beforehand on all its values (a file cleaned batch by batch), else decided on
    ``uniques``."""
    n = len(uniques)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    reasons: list[str | None] = [None] * n
    text_idx, texts = [], []
    for i, value in enumerate(uniques):
        if type(value) is str:  # the common case first: 100,000 distinct timestamps of a large export
            text_idx.append(i)
            texts.append(value.strip())
            continue
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            continue
        if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
            stamp = pd.Timestamp(value)
            stamp = stamp.tz_localize(None) if stamp.tzinfo else stamp
            if _FIRST_DATE <= stamp < _LAST_DATE:
                out[i] = stamp.as_unit("ns").to_datetime64()
            else:
                reasons[i] = "date out of range (before 1678 or after 2262)"
        elif isinstance(value, Number) and not isinstance(value, bool):
            serial = float(value)  # type: ignore[arg-type]
            if 1 <= serial < _LAST_SERIAL:
                out[i] = (_EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")).to_datetime64()
            else:
                reasons[i] = "not a date: a number outside spreadsheet date serials (1900 to 2262)"
        else:
            text_idx.append(i)
            texts.append(str(value).strip())
    if order is None:
        order = decide_dates(date_features(texts), dayfirst)
    if texts:
        slices = []
        reason = f"not a valid date ({'day/month/year' if order.dayfirst else 'month/day/year'})"
        for at in range(0, len(texts), _SLICE):
            parts = _extract_slash(texts[at : at + _SLICE])
            here = parts[0].notna().to_numpy()
            slices.append(here)
            if not here.any():
                continue
            values = _slash_stamps(parts, bool(order.dayfirst))
            positions = np.asarray(text_idx[at : at + _SLICE], dtype=np.int64)
            good = here & ~np.isnat(values)
            out[positions[good]] = values[good]
            for k in np.flatnonzero(here & np.isnat(values)):
                reasons[positions[k]] = reason
        slash = np.concatenate(slices)
        iso_k = [k for k in np.flatnonzero(~slash) if _ISO.match(texts[k])]
        if iso_k:
            iso_texts = [texts[k] for k in iso_k]
            if order.to_utc:
                stamps = pd.to_datetime(pd.Series(iso_texts), format="ISO8601", errors="coerce", utc=True)
                stamps = stamps.dt.tz_localize(None)
            else:
                bare = [_OFFSET.sub("", t) if ":" in t else t for t in iso_texts]
                stamps = pd.to_datetime(pd.Series(bare), format="ISO8601", errors="coerce")
            values = stamps.to_numpy(dtype="datetime64[ns]")
            for pos, k in enumerate(iso_k):
                if np.isnat(values[pos]):
                    reasons[text_idx[k]] = "not a valid date (ISO 8601)"
                else:
                    out[text_idx[k]] = values[pos]
        iso_set = set(iso_k)
        for k in np.flatnonzero(~slash):
            if k not in iso_set:
                reasons[text_idx[k]] = "not a date or date-time"
    return DateParse(values=pd.Series(out), reasons=reasons, note=order.note)
