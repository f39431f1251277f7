"""Words the reports show for codes and columns: sectors, sizes, fields, missing groups, the synthetic flag.

Every text comes from the ``report`` catalogue (``dxlab/i18n/report.yaml``). Missing sector, size,
province and role values become a named group (``UNKNOWN``), so that sorting, grouping and printing never
meet ``NaN``.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd

from .._i18n import MISSING, fmt_date, has_key, tr
from ..vocab import SIZE_CLASSES, VSIC_SECTIONS

__all__ = [
    "GROUP_COLUMNS",
    "SIZE_ORDER",
    "UNKNOWN",
    "data_note",
    "field_label",
    "group_column",
    "group_label",
    "is_missing",
    "is_synthetic",
    "sector_label",
    "shown_value",
    "size_label",
]

#: The code of the named "unknown" group of a grouping column (a value no survey uses).
UNKNOWN: Final = "\u2205"
#: Grouping columns and the catalogue key of their unknown group.
GROUP_COLUMNS: Final = {
    "sector": "report.unknown_sector",
    "size": "report.unknown_size",
    "province": "report.unknown_province",
    "respondent_role": "report.unknown_role",
}
#: Size classes, smallest first (the vocabulary's order); their words in sentences come from the catalogue.
SIZE_ORDER: Final = SIZE_CLASSES
# How dxlab.sample marks its synthetic rows: frame.attrs["note"] in memory; in files the enterprise names end
# with "(mẫu tổng hợp)" and the e-mails are at dn-mau.example (attrs do not survive a CSV or the clean step).
_SYNTHETIC_NAME: Final = "(mẫu tổng hợp)"
_SYNTHETIC_DOMAIN: Final = "@dn-mau.example"


def is_missing(value: Any) -> bool:
    """None, NaN, NA, NaT or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def group_column(values: pd.Series) -> pd.Series:
    """``values`` as text with every missing value replaced by :data:`UNKNOWN`."""
    return pd.Series([UNKNOWN if is_missing(v) else str(v).strip() for v in values], index=values.index, dtype=object)


def sector_label(code: Any, lang: str) -> str:
    """``G — Bán buôn và bán lẻ…`` for a VSIC 2018 section letter; the unknown group by name; others as given."""
    if is_missing(code) or code == UNKNOWN:
        return tr("report.unknown_sector", lang)
    if isinstance(code, str) and code in VSIC_SECTIONS:
        return f"{code} — {VSIC_SECTIONS[code][0 if lang == 'vi' else 1]}"
    return str(code)


def size_label(code: Any, lang: str) -> str:
    if is_missing(code) or code == UNKNOWN:
        return tr("report.unknown_size", lang)
    return tr(f"report.size_{code}", lang) if code in SIZE_ORDER else str(code)


def group_label(column: str, code: Any, lang: str) -> str:
    """The word for ``code`` of grouping column ``column`` (its unknown group named)."""
    if column == "sector":
        return sector_label(code, lang)
    if column == "size":
        return size_label(code, lang)
    if is_missing(code) or code == UNKNOWN:
        return tr(GROUP_COLUMNS.get(column, "report.unknown_province"), lang)
    return str(code)


def field_label(column: str, lang: str) -> str:
    """The catalogue's name of a response column; a column the catalogue does not know keeps the name the
    user's survey gave it (e.g. a question text)."""
    key = f"report.field_{column}"
    return tr(key, lang) if has_key(key) else str(column)


def shown_value(column: str, value: Any, lang: str) -> str:
    """One metadata value as the card shows it: codes named, times in the language's style, blanks as —."""
    if column in GROUP_COLUMNS:
        return group_label(column, value, lang)
    if is_missing(value):
        return MISSING
    if isinstance(value, pd.Timestamp):
        return f"{fmt_date(value, lang)} {value.strftime('%H:%M')}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def is_synthetic(responses: pd.DataFrame) -> bool:
    """Whether the responses are (or contain) dxlab's synthetic sample."""
    attrs = responses.attrs
    if attrs.get("synthetic") is True or "SYNTHETIC" in str(attrs.get("note", "")).upper():
        return True
    for column, marker in (("enterprise_name", _SYNTHETIC_NAME), ("email", _SYNTHETIC_DOMAIN)):
        if column in responses.columns:
            text = responses[column].dropna().astype(str)
            if len(text) and text.str.contains(marker, regex=False).any():
                return True
    return False


def data_note(responses: pd.DataFrame, lang: str) -> str | None:
    """The note a report shows about its data: the synthetic flag in the report's language, or a note the
    caller attached as ``attrs["note"]`` (shown as given, escaped like any text)."""
    if is_synthetic(responses):
        return tr("report.synthetic_data", lang)
    note = responses.attrs.get("note")
    return note if isinstance(note, str) and note.strip() else None
