"""The one text catalogue: every user-facing string of dxlab, in Vietnamese and English.

Texts live in YAML catalogues under ``dxlab/i18n/``, one file per domain (``core``, ``ingest``, ``report``,
``questionnaire``, ``cx``, …). Each entry maps a key to its two translations::

    missing_rubric:
      vi: "Không tìm thấy bộ tiêu chí {name!r}."
      en: "No rubric named {name!r}."

and is looked up as ``tr("core.missing_rubric", lang, name="x")``. The language is checked in one place
(:func:`check_lang`); ``None`` means the default, taken from the ``DXLAB_LANG`` environment variable and
otherwise Vietnamese, the first language of most of dxlab's users.

Numbers, percentages and dates are formatted per language by :func:`fmt_number`, :func:`fmt_percent`,
:func:`fmt_int` and :func:`fmt_date`: Vietnamese writes ``2,99``, ``1.234`` and ``45 %``; English ``2.99``,
``1,234`` and ``45%``.

Rubric content (criterion texts, level descriptors) is not here: it is data of each rubric and keeps its own
bilingual ``Text``.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any, Final, Literal

import yaml

__all__ = [
    "LANGS",
    "Lang",
    "check_lang",
    "default_lang",
    "notes_lang",
    "given_or_block_lang",
    "using_lang",
    "tr",
    "has_key",
    "catalogue",
    "placeholders",
    "fmt_number",
    "fmt_int",
    "fmt_percent",
    "fmt_date",
    "MISSING",
]

Lang = Literal["vi", "en"]
LANGS: Final[tuple[Lang, ...]] = ("vi", "en")
ENV_VAR: Final = "DXLAB_LANG"
MISSING: Final = "—"
_FORMATTER = string.Formatter()


def default_lang() -> Lang:
    """The language used when none is given: ``$DXLAB_LANG`` if it names one, else ``"vi"``."""
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGS else "vi"


_NOTES_LANG: ContextVar[Lang | None] = ContextVar("dxlab_notes_lang", default=None)


@contextmanager
def using_lang(lang: str | None) -> Iterator[Lang]:
    """Within the block, the notes that analyses attach to their results are written in ``lang``.

    Reports and the command line wrap their analyses in it, so a Vietnamese report shows Vietnamese notes::

        with using_lang("vi"):
            table = dxlab.stats.reliability(responses, rubric)
    """
    token = _NOTES_LANG.set(check_lang(lang))
    try:
        yield _NOTES_LANG.get() or default_lang()
    finally:
        _NOTES_LANG.reset(token)


def notes_lang() -> Lang:
    """The language of analysis notes: the one set by :func:`using_lang`, else ``$DXLAB_LANG`` when it is set,
    else English, the language of the R and SciPy output the statistics are read beside."""
    given = _NOTES_LANG.get()
    if given is not None:
        return given
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGS else "en"


def given_or_block_lang(lang: str | None) -> Lang:
    """``lang`` when given, else the language of the enclosing :func:`using_lang` block, else
    :func:`default_lang`: for analyses that take ``lang=`` and write their notes in it."""
    if lang is None and _NOTES_LANG.get() is not None:
        return _NOTES_LANG.get() or default_lang()
    return check_lang(lang)


def check_lang(lang: str | None) -> Lang:
    """Return ``lang`` as a valid language code, or the default when it is ``None``.

    >>> check_lang("EN")
    'en'
    >>> check_lang("fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of 'vi', 'en', not 'fr'
    """
    if lang is None:
        return default_lang()
    code = str(lang).strip().lower()
    if code not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(map(repr, LANGS))}, not {lang!r}")
    return code


def _domains() -> list[str]:
    root = resources.files("dxlab").joinpath("i18n")
    return sorted(p.name[: -len(".yaml")] for p in root.iterdir() if p.name.endswith(".yaml"))


@cache
def _load(domain: str) -> dict[str, dict[str, str]]:
    path = resources.files("dxlab").joinpath("i18n", f"{domain}.yaml")
    if not path.is_file():
        raise KeyError(f"no text catalogue named {domain!r}; catalogues: {', '.join(_domains())}")
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"dxlab/i18n/{domain}.yaml: expected a mapping of keys to texts")
    entries: dict[str, dict[str, str]] = {}
    for key, texts in raw.items():
        if not isinstance(key, str):  # YAML reads a bare yes/no/on/off key as a boolean
            raise ValueError(f"dxlab/i18n/{domain}.yaml: key {key!r} must be text; quote it")
        if not isinstance(texts, dict) or not all(isinstance(texts.get(lang), str) for lang in LANGS):
            raise ValueError(f"dxlab/i18n/{domain}.yaml: {key!r} needs a text for each of {', '.join(LANGS)}")
        entries[str(key)] = {lang: texts[lang] for lang in LANGS}
    return entries


def catalogue(domain: str | None = None) -> dict[str, dict[str, str]]:
    """Every entry (``"domain.key" -> {"vi": …, "en": …}``), of one domain or of all."""
    domains = [domain] if domain else _domains()
    return {f"{d}.{k}": v for d in domains for k, v in _load(d).items()}


def _split(key: str) -> tuple[str, str]:
    domain, sep, name = key.partition(".")
    if not sep or not name:
        raise KeyError(f"text key {key!r} must be 'domain.name', e.g. 'core.lang_invalid'")
    return domain, name


def has_key(key: str) -> bool:
    """Whether ``key`` is in the catalogue."""
    try:
        domain, name = _split(key)
        return name in _load(domain)
    except KeyError:
        return False


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in ``text``."""
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in _FORMATTER.parse(text) if field}


def tr(key: str, lang: str | None = None, /, **values: Any) -> str:
    """The text of ``key`` in ``lang``, with ``values`` filled in.

    >>> tr("core.lang_invalid", "en", value="fr")
    "Unknown language 'fr': use vi or en."
    >>> tr("core.lang_invalid", "vi", value="fr")
    "Ngôn ngữ 'fr' không được hỗ trợ: dùng vi hoặc en."
    """
    code = check_lang(lang)
    domain, name = _split(key)
    entries = _load(domain)
    if name not in entries:
        raise KeyError(f"text key {key!r} is not in dxlab/i18n/{domain}.yaml")
    text = entries[name][code]
    return text.format(**values) if values or placeholders(text) else text


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


def _is_missing(x: Any) -> bool:
    if x is None:
        return True
    try:
        return bool(x != x)
    except (TypeError, ValueError):  # pandas.NA refuses to be a bool
        return str(x) in {"<NA>", "NaT"}


def fmt_number(x: Any, lang: str | None = None, digits: int = 2, *, group: bool = True) -> str:
    """``x`` with ``digits`` decimals in the language's style; missing values become ``—``.

    >>> fmt_number(2.994, "vi"), fmt_number(2.994, "en"), fmt_number(12345.5, "vi", 1)
    ('2,99', '2.99', '12.345,5')
    >>> fmt_number(float("nan"), "en")
    '—'
    """
    code = check_lang(lang)
    if _is_missing(x):
        return MISSING
    value = float(x)
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{abs(value):.{digits}f}"
    whole, _, frac = text.partition(".")
    thousands, decimal = (".", ",") if code == "vi" else (",", ".")
    whole = _group(whole, thousands) if group else whole
    sign = "−" if value < 0 and float(text) != 0 else ""
    return sign + whole + (decimal + frac if frac else "")


def fmt_int(x: Any, lang: str | None = None) -> str:
    """A count with the language's thousands separator: ``1.234`` (vi), ``1,234`` (en)."""
    return fmt_number(x, lang, 0)


def fmt_percent(share: Any, lang: str | None = None, digits: int = 0) -> str:
    """A share (0–1) as a percentage: ``45 %`` in Vietnamese, ``45%`` in English.

    >>> fmt_percent(0.4512, "vi"), fmt_percent(0.4512, "en", 1)
    ('45 %', '45.1%')
    """
    code = check_lang(lang)
    if _is_missing(share):
        return MISSING
    number = fmt_number(float(share) * 100, code, digits)
    return f"{number} %" if code == "vi" else f"{number}%"


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def fmt_date(d: Any, lang: str | None = None) -> str:
    """A date as Vietnamese ``30/11/2026`` or English ``30 Nov 2026``.

    >>> fmt_date(_dt.date(2026, 11, 30), "vi"), fmt_date("2026-11-30", "en")
    ('30/11/2026', '30 Nov 2026')
    """
    code = check_lang(lang)
    if _is_missing(d):
        return MISSING
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d[:10])
    if code == "vi":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    return f"{d.day} {_MONTHS_EN[d.month - 1]} {d.year}"
