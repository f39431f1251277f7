"""Choice lists for the respondent fields: VSIC 2018 sections, enterprise sizes, provinces, roles.

The official lists (VSIC 2018 sections A–U with their Vietnamese and English names, the provinces, the
Decree 80/2021/NĐ-CP size classes) are the ones ``dxlab.ingest`` cleans exports against, imported from there
so that a questionnaire answer and a cleaned survey export use the same codes. Responses store the section
letter and the size code; only the display names and the role suggestions live here.
"""

from __future__ import annotations

from ..ingest._vocab import PROVINCES, SIZE_CLASSES, VSIC_SECTIONS

__all__ = ["VSIC_SECTIONS", "SIZES", "PROVINCES", "ROLES", "sector_name", "size_name"]

_SIZE_NAMES = {"micro": ("Siêu nhỏ", "Micro"), "small": ("Nhỏ", "Small"), "medium": ("Vừa", "Medium"),
               "large": ("Lớn", "Large")}
# code: (Vietnamese, English), in size order.
SIZES: dict[str, tuple[str, str]] = {code: _SIZE_NAMES[code] for code in SIZE_CLASSES}

# Suggestions only; the role field is free text.
ROLES: dict[str, tuple[str, ...]] = {
    "vi": ("Giám đốc / Tổng giám đốc", "Trưởng phòng CNTT", "Trưởng phòng kinh doanh", "Chuyên viên",
           "Kế toán trưởng", "Tư vấn viên", "Giảng viên", "Sinh viên"),
    "en": ("Director / CEO", "Head of IT", "Head of sales", "Specialist", "Chief accountant", "Consultant",
           "Lecturer", "Student"),
}


def sector_name(letter: str, lang: str = "vi") -> str:
    """The VSIC 2018 section name for ``letter`` in ``lang``."""
    if letter not in VSIC_SECTIONS:
        raise ValueError(f"{letter!r} is not a VSIC 2018 section; sections are {', '.join(VSIC_SECTIONS)}")
    return VSIC_SECTIONS[letter][0 if lang == "vi" else 1]


def size_name(code: str, lang: str = "vi") -> str:
    """The display name of enterprise size ``code`` in ``lang``."""
    if code not in SIZES:
        raise ValueError(f"{code!r} is not a size; sizes are {', '.join(SIZES)}")
    return SIZES[code][0 if lang == "vi" else 1]
