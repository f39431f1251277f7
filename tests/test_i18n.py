"""The text catalogue: every key in both languages, placeholders alike, formats per locale."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dxlab import _i18n
from dxlab._i18n import catalogue, check_lang, fmt_date, fmt_int, fmt_number, fmt_percent, placeholders, tr


def test_every_key_has_both_languages_with_the_same_placeholders():
    entries = catalogue()
    assert entries, "the catalogue is empty"
    for key, texts in entries.items():
        assert texts["vi"].strip() and texts["en"].strip(), key
        assert placeholders(texts["vi"]) == placeholders(texts["en"]), key


def test_tr_fills_values_and_names_a_missing_key():
    assert tr("core.lang_invalid", "en", value="fr") == "Unknown language 'fr': use vi or en."
    assert "không được hỗ trợ" in tr("core.lang_invalid", "vi", value="fr")
    with pytest.raises(KeyError, match="core.nope"):
        tr("core.nope", "vi")
    with pytest.raises(KeyError, match="domain.name"):
        tr("nodomain", "vi")


def test_language_check_and_default(monkeypatch):
    assert check_lang("EN") == "en"
    with pytest.raises(ValueError, match="'vi', 'en'"):
        check_lang("fr")
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    assert check_lang(None) == "vi"
    monkeypatch.setenv("DXLAB_LANG", "en")
    assert check_lang(None) == "en"
    assert tr("core.synthetic_data").startswith("Synthetic")
    monkeypatch.setenv("DXLAB_LANG", "klingon")
    assert _i18n.default_lang() == "vi"


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (2.994, "vi", 2, "2,99"),
        (2.994, "en", 2, "2.99"),
        (1234567.891, "vi", 1, "1.234.567,9"),
        (1234567.891, "en", 1, "1,234,567.9"),
        (-0.5, "vi", 1, "−0,5"),
        (-0.001, "en", 2, "0.00"),
        (float("nan"), "vi", 2, "—"),
        (None, "en", 2, "—"),
        (pd.NA, "vi", 2, "—"),
    ],
)
def test_numbers(value, lang, digits, expected):
    assert fmt_number(value, lang, digits) == expected


def test_percent_int_date():
    assert fmt_percent(0.45, "vi") == "45 %"
    assert fmt_percent(0.45, "en") == "45%"
    assert fmt_int(3000, "vi") == "3.000"
    assert fmt_int(3000, "en") == "3,000"
    assert fmt_date(dt.date(2026, 1, 5), "vi") == "05/01/2026"
    assert fmt_date(pd.Timestamp("2026-01-05"), "en") == "5 Jan 2026"


def test_notes_language_follows_the_block_then_the_environment_then_english(monkeypatch):
    from dxlab._i18n import notes_lang, using_lang

    monkeypatch.delenv("DXLAB_LANG", raising=False)
    assert notes_lang() == "en"
    with using_lang("vi") as lang:
        assert lang == "vi" and notes_lang() == "vi"
        with using_lang("en"):
            assert notes_lang() == "en"
        assert notes_lang() == "vi"
    assert notes_lang() == "en"
    monkeypatch.setenv("DXLAB_LANG", "vi")
    assert notes_lang() == "vi"
    with pytest.raises(ValueError, match="lang must be one of"):
        with using_lang("fr"):
            pass
