"""Choice lists for the respondent fields: VSIC 2018 sections, enterprise sizes, provinces, roles.

The official lists live in :mod:`dxlab.vocab`, the same ones ``dxlab.ingest`` cleans exports against, so a
questionnaire answer and a cleaned survey export use the same codes. Responses store the section letter and
the size code; the role suggestions are texts of the catalogue (``questionnaire.role_*``).
"""

from __future__ import annotations

from .._i18n import check_lang, tr
from ..vocab import PROVINCES, SIZE_NAMES, VSIC_SECTIONS, sector_name, size_name

__all__ = ["VSIC_SECTIONS", "SIZES", "PROVINCES", "ROLE_KEYS", "roles", "sector_name", "size_name"]

# code: (Vietnamese, English), in size order — the one definition in dxlab.vocab.
SIZES = SIZE_NAMES

# Suggestions only; the role field is free text.
ROLE_KEYS: tuple[str, ...] = (
    "director",
    "head_it",
    "head_sales",
    "specialist",
    "chief_accountant",
    "consultant",
    "lecturer",
    "student",
)


def roles(lang: str | None = None) -> tuple[str, ...]:
    """The suggested respondent roles in ``lang``.

    >>> roles("en")[:2]
    ('Director / CEO', 'Head of IT')
    """
    code = check_lang(lang)
    return tuple(tr(f"questionnaire.role_{key}", code) for key in ROLE_KEYS)
