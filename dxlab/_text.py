"""Text normalisation shared by answer parsing and column mapping.

Vietnamese answers arrive in NFC or NFD, with or without tone marks, in any case, with stray spaces and
punctuation. ``fold`` maps all of those spellings of one phrase to one key, so that lookups never depend on
how a form or a keyboard encoded the text.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["nfc", "fold", "strip_diacritics"]

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w%<>=.,\-]+", re.UNICODE)


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with outer whitespace removed."""
    return unicodedata.normalize("NFC", text).strip()


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese tone and vowel marks; ``đ``/``Đ`` become ``d``/``D``."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return bare.replace("đ", "d").replace("Đ", "D")


def fold(text: str, *, keep_punctuation: bool = False) -> str:
    """Case-, diacritic- and whitespace-insensitive key for ``text``.

    Punctuation other than ``% < > = . , -`` is dropped unless ``keep_punctuation``; trailing full stops
    are removed so that "Hình thành." and "hình thanh" fold alike.

    >>> fold("  Hình  Thành. ")
    'hinh thanh'
    >>> fold(unicodedata.normalize("NFD", "Khởi tạo")) == fold("khoi tao")
    True
    """
    key = strip_diacritics(unicodedata.normalize("NFKC", text)).casefold()
    if not keep_punctuation:
        key = _PUNCT.sub(" ", key)
    key = _SPACE.sub(" ", key).strip()
    return key.rstrip(". ").strip()
