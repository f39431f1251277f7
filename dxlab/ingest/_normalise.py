"""Recode metadata to standard values: VSIC 2018 sections, Vietnamese SME size classes, province names and
tax codes.

Every function takes one distinct value as written and returns a :class:`Recode`: the standard value and a
status — ``same`` (already standard), ``recoded`` (a recognised spelling, listed once per spelling in the
recode table), ``guessed`` (a correction a person should check: a misspelt province, a tax code that lost its
leading zero — reported per cell), ``unknown`` (kept as given and reported) or ``invalid`` (not a value of
this kind at all: set missing and reported).
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from numbers import Number

from .._text import fold, nfc
from ..vocab import (
    INDUSTRY_SECTIONS,
    PROVINCE_ALIASES,
    PROVINCE_PREFIXES,
    PROVINCE_SUFFIXES,
    PROVINCES,
    SECTOR_KEYWORDS,
    SIZE_AMBIGUOUS,
    SIZE_CLASSES,
    SIZE_LABELS,
    SIZE_LIMITS_INDUSTRY,
    SIZE_LIMITS_SERVICES,
    VSIC_DIVISIONS,
    VSIC_SECTIONS,
)

__all__ = [
    "Recode",
    "sector_section",
    "province_name",
    "size_class",
    "size_from_employees",
    "tax_code",
    "employee_count",
    "STATUSES",
]

STATUSES = ("same", "recoded", "guessed", "unknown", "invalid")


@dataclass(frozen=True)
class Recode:
    value: object
    status: str
    note: str = ""


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", fold(text)).split())


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value))


# -- sector ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _sector_tables() -> tuple[dict[str, str], re.Pattern[str], dict[str, str]]:
    names: dict[str, str] = {}
    for letter, (vi, en) in VSIC_SECTIONS.items():
        names[_words(vi)] = letter
        names[_words(en)] = letter
    keyword_section: dict[str, str] = {}
    for letter, words in SECTOR_KEYWORDS.items():
        for word in words:
            keyword_section[word] = letter
    ordered = sorted(keyword_section, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in ordered) + r")\b")
    return names, pattern, keyword_section


def _division_section(division: int) -> str | None:
    for low, high, letter in VSIC_DIVISIONS:
        if low <= division <= high:
            return letter
    return None


def sector_section(value: object) -> Recode:
    """VSIC 2018 section letter (A–U) for a sector as written.

    Recognised: the letter itself (``G``, ``g``, ``G - Bán buôn…``, ``Ngành G``), a VSIC division or
    industry code (``47``, ``4711``), a section's official name in Vietnamese or English, and everyday
    words (``Bán lẻ``, ``bán buôn và bán lẻ``, ``Retail`` → G). Text whose words point at two sections
    (``Sản xuất và thương mại``) or at none is kept as given and reported.

    >>> [sector_section(v).value for v in ("Bán lẻ", "bán buôn và bán lẻ", "Retail", "g", "4711")]
    ['G', 'G', 'G', 'G', 'G']
    """
    text = _as_text(value)
    words = _words(text)
    if not words:
        return Recode(None, "invalid", "blank")
    if re.fullmatch(r"[a-u]", words):
        letter = words.upper()
        return Recode(letter, "same" if text == letter else "recoded")
    match = re.match(
        r"^(?:nganh|section|khu vuc|ma nganh)?\s*([a-u])(?:\s*[-.:)–—]\s+|\s*[-.:)–—]?\s*$|\s+\d)", fold(text)
    ) or re.match(r"^(?:nganh|section|khu vuc)\s+([a-u])\b", words)
    if match:
        return Recode(match.group(1).upper(), "recoded")
    code = re.match(r"^(?:[a-u]\s*)?(\d{2,5})\b", words)
    if code:
        letter = _division_section(int(code.group(1)[:2]))
        if letter:
            return Recode(letter, "recoded", f"VSIC code {code.group(1)}")
        return Recode(text, "unknown", f"{code.group(1)} is not a VSIC 2018 code")
    names, pattern, keyword_section = _sector_tables()
    if words in names:
        return Recode(names[words], "recoded")
    found = sorted({keyword_section[m.group(1)] for m in pattern.finditer(words)})
    if len(found) == 1:
        return Recode(found[0], "recoded")
    if found:
        return Recode(text, "unknown", f"words of several VSIC sections ({', '.join(found)})")
    return Recode(text, "unknown", "not a VSIC 2018 section")


# -- province --------------------------------------------------------------------------------------------
def _squash(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


@lru_cache(maxsize=1)
def _province_table() -> dict[str, str]:
    table = {_squash(name): name for name in PROVINCES}
    for alias, name in PROVINCE_ALIASES.items():
        table[_squash(alias)] = name
    return table


def _strip_admin_words(words: str) -> str:
    for prefix in sorted(PROVINCE_PREFIXES, key=len, reverse=True):
        if words.startswith(prefix + " ") and len(words) > len(prefix) + 1:
            words = words[len(prefix) + 1 :]
            break
    for suffix in PROVINCE_SUFFIXES:
        if words.endswith(" " + suffix):
            words = words[: -len(suffix) - 1]
    return words


def province_name(value: object) -> Recode:
    """Canonical province name ("Hồ Chí Minh", "Hà Nội", …) for a province as written.

    Case, tone marks, spacing and punctuation do not matter; administrative words ("Tỉnh", "Thành phố",
    "TP.", "city", "province") are ignored; common short forms are known ("TP. HCM", "Sài Gòn", "HN",
    "Vũng Tàu"). A name one or two letters off a unique province is corrected and reported as a guess.

    >>> [province_name(v).value for v in ("TP. HCM", "ha noi", "Tỉnh Khánh Hoà", "Thành phố Đà Nẵng")]
    ['Hồ Chí Minh', 'Hà Nội', 'Khánh Hòa', 'Đà Nẵng']
    """
    text = _as_text(value)
    if not _squash(text):
        return Recode(None, "invalid", "blank")
    table = _province_table()
    for candidate in (_squash(text), _squash(_strip_admin_words(_words(text)))):
        if candidate in table:
            name = table[candidate]
            return Recode(name, "same" if text == name else "recoded")
    key = _squash(_strip_admin_words(_words(text)))
    close = difflib.get_close_matches(key, list(table), n=3, cutoff=0.85)
    names = {table[c] for c in close}
    if len(names) == 1:
        name = names.pop()
        return Recode(name, "guessed", f"spelling corrected to {name!r}")
    if names:
        return Recode(text, "unknown", f"close to several provinces ({', '.join(sorted(names))})")
    return Recode(text, "unknown", "not a Vietnamese province name")


# -- size ------------------------------------------------------------------------------------------------
def size_from_employees(count: float, section: str | None) -> str | None:
    """SME class from an employee count (Decree 80/2021/NĐ-CP): limits 10 / 100 / 200 in sections A–F
    (agriculture, industry, construction) and 10 / 50 / 100 in trade and services; ``None`` when the class
    depends on a sector that is unknown."""

    def classify(limits: tuple[int, int, int]) -> str:
        for name, limit in zip(SIZE_CLASSES, limits):
            if count <= limit:
                return name
        return SIZE_CLASSES[-1]

    if section in INDUSTRY_SECTIONS:
        return classify(SIZE_LIMITS_INDUSTRY)
    if section and re.fullmatch(r"[G-U]", section):
        return classify(SIZE_LIMITS_SERVICES)
    industry, services = classify(SIZE_LIMITS_INDUSTRY), classify(SIZE_LIMITS_SERVICES)
    return industry if industry == services else None


_NUMBER = r"(\d+(?:[.,]\d{3})*)"


def _employee_range(words: str) -> tuple[float, float] | None:
    numbers = [float(n.replace(".", "").replace(",", "")) for n in re.findall(r"\d+(?:[.,]\d{3})*", words)]
    if not numbers:
        return None
    if re.search(r"\b(duoi|it hon|under|less than|fewer than|below)\b", words) or words.startswith("<"):
        return 0.0, numbers[0] - 1
    if re.search(r"\b(tren|hon|nhieu hon|over|more than|above)\b", words) or "+" in words:
        return numbers[0] + 1, math.inf
    if len(numbers) >= 2:
        return min(numbers[:2]), max(numbers[:2])
    return numbers[0], numbers[0]


# The only words a head count may come with ("Dưới 10 người", "10 - 49 lao động", "about 200 staff"): a number
# next to anything else ("Năm 2020", "ISO 9001", "2 chi nhánh") is not a number of employees.
_HEADCOUNT_WORDS = frozenset(
    (
        "lao",
        "dong",
        "nguoi",
        "nhan",
        "vien",
        "su",
        "cong",
        "employees",
        "employee",
        "staff",
        "people",
        "persons",
        "workers",
        "headcount",
        "duoi",
        "it",
        "hon",
        "under",
        "less",
        "than",
        "fewer",
        "below",
        "tren",
        "nhieu",
        "over",
        "more",
        "above",
        "tu",
        "den",
        "from",
        "to",
        "toi",
        "khoang",
        "about",
        "approximately",
        "around",
        "approx",
        "and",
        "va",
        "hoac",
        "or",
        "khong",
        "qua",
        "up",
    )
)


def _only_headcount_words(words: str) -> bool:
    tokens = [t for t in words.split() if not t.isdigit()]
    return any(t.isdigit() for t in words.split()) and all(t in _HEADCOUNT_WORDS for t in tokens)


def size_class(value: object, section: str | None = None) -> Recode:
    """SME size class (micro, small, medium, large) from a label or an employee count or range.

    Labels in Vietnamese or English (``Siêu nhỏ``, ``DN nhỏ và vừa`` is ambiguous, ``Medium``); numbers
    (``25``, ``10-49 lao động``, ``Dưới 10 người``, ``Trên 200``) are classed with
    :func:`size_from_employees`, using the row's sector where the class depends on it. A number that comes
    with other words ("Năm 2020", "ISO 9001", "2 chi nhánh") is not a head count: it is unknown, never guessed.

    >>> [size_class(v).status for v in ("Dưới 10 người", "Năm 2020", "ISO 9001", "2 chi nhánh", "<script>")]
    ['recoded', 'unknown', 'unknown', 'unknown', 'unknown']
    """
    text = _as_text(value)
    words = _words(text)
    if not words:
        return Recode(None, "invalid", "blank")
    if text in SIZE_CLASSES:
        return Recode(text, "same")
    bare = re.sub(r"^(doanh nghiep|dn|quy mo|cong ty|enterprise|company|business|firm)\s+", "", words)
    if any(bare.startswith(a) for a in SIZE_AMBIGUOUS):
        return Recode(text, "unknown", "names more than one size class")
    for label in sorted(SIZE_LABELS, key=len, reverse=True):
        if bare == label or bare.startswith(label + " "):
            return Recode(SIZE_LABELS[label], "recoded")
    bounds = _employee_range(fold(text).replace(" - ", "-")) if _only_headcount_words(words) else None
    if bounds is None:
        return Recode(text, "unknown", "not a size class or an employee count")
    low, high = bounds
    low_class, high_class = size_from_employees(low, section), size_from_employees(high, section)
    if low_class and low_class == high_class:
        return Recode(low_class, "recoded", "from the number of employees")
    if low_class is None or high_class is None:
        return Recode(text, "unknown", "the size class of this many employees depends on the sector")
    return Recode(text, "unknown", f"employee range spans size classes ({low_class} to {high_class})")


def employee_count(value: object) -> Recode:
    """A head count from ``25``, ``25.0``, ``khoảng 40``, ``1.200 người``; ranges and words are invalid."""
    if isinstance(value, Number) and not isinstance(value, bool):
        number = float(value)  # type: ignore[arg-type]
        if number >= 0 and number.is_integer():
            return Recode(int(number), "same")
        return Recode(None, "invalid", "not a whole, non-negative number of employees")
    text = _as_text(value)
    numbers = re.findall(r"\d+(?:[.,]\d{3})*(?![\d])", text)
    if len(numbers) == 1 and re.fullmatch(r"[^\d]*\d+(?:[.,]\d{3})*\s*[^\d]*", text):
        count = int(numbers[0].replace(".", "").replace(",", ""))
        return Recode(count, "same" if text == str(count) else "recoded")
    return Recode(None, "invalid", "not a number of employees")


_TAX = re.compile(r"\d{10}(-\d{3})?")


# -- tax code --------------------------------------------------------------------------------------------
def tax_code(value: object) -> Recode:
    """A Vietnamese tax code (mã số thuế): 10 digits, or 10 + ``-`` + 3 for a branch.

    Spaces and dots are removed; 13 digits get their dash; 9 digits (a spreadsheet dropped the leading 0)
    get it back — reported as a guess; scientific notation (``1.01E+09``) cannot be undone and is reported.
    """
    if isinstance(value, Number) and not isinstance(value, bool):
        number = float(value)  # type: ignore[arg-type]
        text = str(int(number)) if number.is_integer() else str(value)
    else:
        text = str(value)
        if _TAX.fullmatch(text):
            return Recode(text, "same")
        text = nfc(text)
    compact = re.sub(r"[\s.]", "", text)
    if _TAX.fullmatch(compact):
        return Recode(compact, "same" if compact == text else "recoded")
    if re.fullmatch(r"\d{13}", compact):
        return Recode(f"{compact[:10]}-{compact[10:]}", "recoded")
    if re.fullmatch(r"\d{9}(-\d{3})?", compact):
        return Recode("0" + compact, "guessed", "a spreadsheet dropped the leading 0")
    if re.fullmatch(r"\d(?:[.,]\d+)?[eE]\+?\d+", text.replace(" ", "")):
        return Recode(text, "unknown", "a spreadsheet turned the tax code into scientific notation")
    return Recode(text, "unknown", "not a 10- or 13-digit tax code")
