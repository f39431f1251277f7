"""Which text encoding a survey export is in.

Exports arrive as UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text"), Windows-1258
(Vietnamese Windows, whose tone marks are separate combining characters) or Windows-1252. Generic detectors
(chardet, charset-normalizer) mistake short Vietnamese cp1258 files for cp1252 or Latin-1 because they do not
weigh the combining tone marks, so the rules here are our own and small:

1. a byte-order mark decides;
2. NUL bytes in every other position mean UTF-16 without a mark;
3. text that decodes as strict UTF-8 is UTF-8;
4. otherwise cp1258 when its Vietnamese-only bytes (Ă ă Đ đ Ơ ơ Ư ư and the five combining tone marks, each
   after a vowel) make up a good part of the non-ASCII bytes, else cp1252, else Latin-1 (which never fails;
   undecodable bytes are then reported by the caller).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from .._i18n import tr

__all__ = ["KNOWN_ENCODINGS", "Encoding", "check_codec", "decode_error", "detect_encoding", "read_text"]

_CP1258_VIETNAMESE = frozenset(b"\xc3\xe3\xd0\xf0\xd5\xf5\xdd\xfd")
_CP1258_TONES = frozenset(b"\xcc\xec\xd2\xde\xf2")  # combining grave, acute, hook above, tilde, dot below
_VOWELS = frozenset(b"aeiouyAEIOUY\xe2\xea\xf4\xc2\xca\xd4\xe3\xc3\xf5\xd5\xfd\xdd")
_CHUNK = 1 << 20
KNOWN_ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "cp1252", "latin-1")


@dataclass(frozen=True)
class Encoding:
    """A detected encoding: the Python codec name, whether a BOM was present, and why it was chosen."""

    codec: str
    bom: bool
    reason: str

    @property
    def label(self) -> str:
        names = {
            "utf-8": "UTF-8",
            "utf-8-sig": "UTF-8",
            "utf-16": "UTF-16",
            "utf-16-le": "UTF-16LE",
            "utf-16-be": "UTF-16BE",
            "cp1258": "Windows-1258 (Vietnamese)",
            "cp1252": "Windows-1252",
            "latin-1": "Latin-1",
        }
        return names.get(self.codec, self.codec) + (" with BOM" if self.bom else "")


def _is_utf8(path: Path, skip: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with path.open("rb") as handle:
        handle.seek(skip)
        try:
            while chunk := handle.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _vietnamese_share(data: bytes) -> tuple[int, int]:
    """(Vietnamese-looking bytes under cp1258, all non-ASCII bytes)."""
    high = 0
    vietnamese = 0
    previous = 0
    for byte in data:
        if byte >= 0x80:
            high += 1
            if byte in _CP1258_VIETNAMESE or (byte in _CP1258_TONES and previous in _VOWELS):
                vietnamese += 1
        previous = byte
    return vietnamese, high


def detect_encoding(path: str | Path, *, full: bool = True) -> Encoding:
    """Detect the encoding of a text export; see the module docstring for the rules.

    With ``full=False`` a file whose first megabyte is UTF-8 is taken as UTF-8 without reading the rest
    (the CSV reader validates UTF-8 as it parses, and the caller detects again with ``full=True`` when it
    fails).
    """
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(_CHUNK)
    if head.startswith(codecs.BOM_UTF8):
        return Encoding("utf-8-sig", True, "UTF-8 byte-order mark")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Encoding("utf-16", True, "UTF-16 byte-order mark")
    sample = head[:4096]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0) / max(len(sample[0::2]), 1)
        odd_nul = sample[1::2].count(0) / max(len(sample[1::2]), 1)
        if odd_nul > 0.3 and even_nul < 0.05:
            return Encoding("utf-16-le", False, "NUL bytes in odd positions")
        if even_nul > 0.3 and odd_nul < 0.05:
            return Encoding("utf-16-be", False, "NUL bytes in even positions")
    if not full:
        try:
            codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
            return Encoding("utf-8", False, "the first megabyte is UTF-8")
        except UnicodeDecodeError:
            pass
    elif _is_utf8(path, 0):
        return Encoding("utf-8", False, "valid UTF-8")
    data = path.read_bytes()
    vietnamese, high = _vietnamese_share(data)
    if vietnamese >= 3 and vietnamese >= 0.25 * high:
        try:
            data.decode("cp1258")
            return Encoding("cp1258", False, f"{vietnamese} of {high} non-ASCII bytes are Vietnamese in cp1258")
        except UnicodeDecodeError:
            pass
    try:
        data.decode("cp1252")
        return Encoding("cp1252", False, "not UTF-8; decodes as Windows-1252")
    except UnicodeDecodeError:
        return Encoding("latin-1", False, "not UTF-8, cp1258 or cp1252; read as Latin-1")


def read_text(path: str | Path, encoding: Encoding) -> str:
    """The whole file decoded with ``encoding`` (BOM removed)."""
    text = Path(path).read_bytes().decode(encoding.codec)
    return text.removeprefix("\ufeff")


def check_codec(path: str | Path, encoding: str) -> str:
    """``encoding`` if Python knows it, else a ValueError naming the file and the usual encodings."""
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise ValueError(
            tr("ingest.encoding_unknown", None, path=str(path), encoding=encoding, known=", ".join(KNOWN_ENCODINGS))
        ) from None
    return encoding


def _first_bad_byte(path: Path, codec: str) -> tuple[int, int, str] | None:
    """(byte offset, line, bytes shown) of the first byte ``codec`` cannot decode, read in chunks."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    offset = 0
    line = 1
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                # The error's position counts from the start of what the decoder held: this chunk, plus
                # at most a few bytes of an incomplete sequence carried over from the previous one.
                start = max(exc.start - (len(exc.object) - len(chunk)), 0) if chunk else 0
                bad = exc.object[exc.start : exc.start + 4]
                return offset + start, line + chunk[:start].count(b"\n"), bad.hex(" ")
            if not chunk:
                return None
            offset += len(chunk)
            line += chunk.count(b"\n")


def decode_error(path: str | Path, codec: str) -> ValueError:
    """A ValueError naming the file, the encoding and, where it can be found, the line and byte."""
    path = Path(path)
    where = _first_bad_byte(path, codec)
    if where is None:
        return ValueError(
            tr("ingest.encoding_wrong", None, path=str(path), encoding=codec, known=", ".join(KNOWN_ENCODINGS))
        )
    offset, line, shown = where
    return ValueError(
        tr(
            "ingest.encoding_wrong_at",
            None,
            path=str(path),
            encoding=codec,
            line=line,
            byte=offset,
            shown=shown,
            known=", ".join(KNOWN_ENCODINGS),
        )
    )
