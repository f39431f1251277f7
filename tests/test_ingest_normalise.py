"""Recoding metadata: VSIC sections, SME size classes, provinces, tax codes, dates; and encoding detection."""

from __future__ import annotations

import codecs
import datetime as dt
import re

import pandas as pd
import pytest

from dxlab.ingest import detect_encoding, read_raw
from dxlab.ingest._dates import parse_datetimes
from dxlab.ingest._normalise import employee_count, province_name, sector_section, size_class, tax_code
from dxlab.ingest._vocab import PROVINCE_ALIASES, PROVINCES, VSIC_DIVISIONS, VSIC_SECTIONS


# -- sector ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, section", [
    ("Bán lẻ", "G"), ("bán buôn và bán lẻ", "G"), ("Retail", "G"), ("BAN LE", "G"), ("G", "G"), ("g", "G"),
    ("G - Bán buôn và bán lẻ", "G"), ("Ngành G", "G"), ("4711", "G"), ("47", "G"), ("Thương mại điện tử", "G"),
    ("Sản xuất", "C"), ("Dệt may", "C"), ("Manufacturing", "C"), ("10", "C"), ("Xây dựng", "F"),
    ("Công nghệ thông tin", "J"), ("IT", "J"), ("Ngân hàng", "K"), ("Nông nghiệp", "A"), ("Giáo dục", "P"),
    ("Y tế", "Q"), ("Bất động sản", "L"), ("Vận tải kho bãi", "H"), ("Nhà hàng", "I"),
])
def test_sector_recognised(text, section):
    result = sector_section(text)
    assert (result.value, result.status) == (section, "recoded" if text != section else "same")


@pytest.mark.parametrize("text", ["Khác", "Đa ngành", "Sản xuất và thương mại", "Dịch vụ", "00", "I.T."])
def test_sector_unknown_kept_as_given(text):
    result = sector_section(text)
    assert (result.value, result.status) == (text, "unknown") and result.note


def test_vsic_tables_are_complete():
    assert list(VSIC_SECTIONS) == [chr(c) for c in range(ord("A"), ord("U") + 1)]
    # Every official section name maps back to its letter, in both languages.
    for letter, (vi, en) in VSIC_SECTIONS.items():
        assert sector_section(vi).value == letter, vi
        assert sector_section(en).value == letter, en
    covered = {d for low, high, _ in VSIC_DIVISIONS for d in range(low, high + 1)}
    assert len(covered) == sum(high - low + 1 for low, high, _ in VSIC_DIVISIONS)  # no overlap
    assert {s for *_, s in VSIC_DIVISIONS} == set(VSIC_SECTIONS)


# -- province --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, name", [
    ("TP. HCM", "Hồ Chí Minh"), ("Tp Hồ Chí Minh", "Hồ Chí Minh"), ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
    ("Sài Gòn", "Hồ Chí Minh"), ("HCMC", "Hồ Chí Minh"), ("Hà Nội", "Hà Nội"), ("ha noi", "Hà Nội"),
    ("HÀ NỘI", "Hà Nội"), ("Hanoi", "Hà Nội"), ("Tỉnh Khánh Hoà", "Khánh Hòa"), ("Thanh Hoá", "Thanh Hóa"),
    ("Da Nang city", "Đà Nẵng"), ("Bà Rịa-Vũng Tàu", "Bà Rịa - Vũng Tàu"), ("Dak Lak", "Đắk Lắk"),
    ("Huế", "Thừa Thiên Huế"),
])
def test_province_recognised(text, name):
    assert province_name(text).value == name


def test_province_typo_is_a_reported_guess_and_unknown_is_kept():
    guess = province_name("Ha Noii")
    assert (guess.value, guess.status) == ("Hà Nội", "guessed")
    unknown = province_name("Paris")
    assert (unknown.value, unknown.status) == ("Paris", "unknown")


def test_province_list_has_63_distinct_keys():
    assert len(PROVINCES) == len(set(PROVINCES)) == 63
    squashed = {re.sub(r"[^a-z0-9]", "", province_name(p).value.lower()) for p in PROVINCES}
    assert len(squashed) == 63
    assert all(province_name(p).status == "same" for p in PROVINCES)
    assert all(province_name(alias).value == name for alias, name in PROVINCE_ALIASES.items())


# -- size (Decree 80/2021/NĐ-CP, article 5) --------------------------------------------------------------
@pytest.mark.parametrize("employees, section, expected", [
    # Industry and construction: micro ≤ 10, small ≤ 100, medium ≤ 200, else large.
    (10, "C", "micro"), (11, "C", "small"), (100, "F", "small"), (101, "A", "medium"), (200, "C", "medium"),
    (201, "C", "large"),
    # Trade and services: micro ≤ 10, small ≤ 50, medium ≤ 100, else large.
    (10, "G", "micro"), (50, "G", "small"), (51, "J", "medium"), (100, "K", "medium"), (101, "G", "large"),
])
def test_size_from_employee_count(employees, section, expected):
    assert size_class(str(employees), section).value == expected


def test_size_labels_and_ranges():
    assert size_class("Siêu nhỏ (dưới 10 lao động)").value == "micro"
    assert size_class("DN nhỏ").value == "small"
    assert size_class("Vừa").value == "medium"
    assert size_class("Large").value == "large"
    assert size_class("Dưới 10 người").value == "micro"
    assert size_class("Trên 200 lao động").value == "large"
    assert size_class("60").status == "unknown"  # small in industry, medium in services, sector unknown
    assert size_class("60", "C").value == "small"
    assert size_class("Nhỏ và vừa").status == "unknown"
    assert size_class("10-49", "C").status == "unknown"  # 10 is micro, 49 small


def test_employee_count():
    assert [employee_count(v).value for v in ("25", "khoảng 40", "1.200 người", 25.0)] == [25, 40, 1200, 25]
    assert employee_count("10-20").status == "invalid"


# -- tax code --------------------------------------------------------------------------------------------
def test_tax_codes():
    assert (tax_code("0101234567").value, tax_code("0101234567").status) == ("0101234567", "same")
    assert tax_code("0101 234 567").value == "0101234567"
    assert tax_code("0101234567001").value == "0101234567-001"
    assert (tax_code("101234567").value, tax_code("101234567").status) == ("0101234567", "guessed")
    assert (tax_code(101234567.0).value, tax_code(101234567.0).status) == ("0101234567", "guessed")
    assert tax_code("1.01235E+09").status == "unknown"


# -- dates -----------------------------------------------------------------------------------------------
def test_dates_order_decided_per_column():
    parsed = parse_datetimes(["13/03/2026 10:00:00", "01/02/2026 09:00:00"], dayfirst=False)
    assert list(parsed.values) == [pd.Timestamp("2026-03-13 10:00"), pd.Timestamp("2026-02-01 09:00")]
    parsed = parse_datetimes(["3/13/2026 10:00:00", "01/02/2026 09:00:00"], dayfirst=True)
    assert list(parsed.values) == [pd.Timestamp("2026-03-13 10:00"), pd.Timestamp("2026-01-02 09:00")]
    parsed = parse_datetimes(["01/02/2026"], dayfirst=None)
    assert parsed.values[0] == pd.Timestamp("2026-02-01") and "ambiguous" in parsed.note


def test_dates_many_forms():
    values = ["7/10/14 18:37", "1/2/2020 1:05:00 PM", "2021-07-05T10:58:34.147+03:00", "2021-07-05",
              dt.datetime(2020, 1, 2, 3, 4), 44000.5, "hôm qua", None]
    parsed = parse_datetimes(values, dayfirst=False)
    assert list(parsed.values[:6]) == [pd.Timestamp("2014-07-10 18:37"), pd.Timestamp("2020-01-02 13:05"),
                                      pd.Timestamp("2021-07-05 10:58:34.147"), pd.Timestamp("2021-07-05"),
                                      pd.Timestamp("2020-01-02 03:04"), pd.Timestamp("2020-06-18 12:00")]
    assert pd.isna(parsed.values[6]) and parsed.reasons[6] == "not a date or date-time"
    assert pd.isna(parsed.values[7]) and parsed.reasons[7] is None


def test_mixed_utc_offsets_become_utc():
    parsed = parse_datetimes(["2021-07-05T10:00:00+03:00", "2021-07-05T10:00:00+07:00"])
    assert list(parsed.values) == [pd.Timestamp("2021-07-05 07:00"), pd.Timestamp("2021-07-05 03:00")]


# -- encodings -------------------------------------------------------------------------------------------
TEXT = "Dấu thời gian,Tên doanh nghiệp,Tỉnh\r\n01/03/2026 10:00:00,Công ty Ánh Dương,Hà Nội\r\n"


@pytest.mark.parametrize("codec, prefix, expected", [
    ("utf-8", b"", "utf-8"), ("utf-8", codecs.BOM_UTF8, "utf-8-sig"), ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16"), ("utf-16-le", b"", "utf-16-le"),
])
def test_unicode_encodings(tmp_path, codec, prefix, expected):
    path = tmp_path / "e.csv"
    path.write_bytes(prefix + TEXT.encode(codec))
    assert detect_encoding(path).codec == expected
    raw = read_raw(path)
    assert list(raw.frame.iloc[0].astype(str)) == ["01/03/2026 10:00:00", "Công ty Ánh Dương", "Hà Nội"]


def test_cp1258_and_cp1252_are_told_apart(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "make_fixtures", Path(__file__).resolve().parent / "fixtures_vi" / "make_fixtures.py")
    made = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(made)
    vi = tmp_path / "vi.csv"
    vi.write_bytes(made.cp1258_bytes(TEXT))
    assert detect_encoding(vi).codec == "cp1258"
    assert list(read_raw(vi).frame.iloc[0].astype(str))[1] == "Công ty Ánh Dương"
    western = tmp_path / "w.csv"
    western.write_bytes("Name,City\r\nCafé Müller,Zürich\r\nCrème brûlée,Besançon\r\n".encode("cp1252"))
    assert detect_encoding(western).codec == "cp1252"
    assert list(read_raw(western).frame["Name"].astype(str)) == ["Café Müller", "Crème brûlée"]


@pytest.mark.parametrize("text", ["Năm 2020", "ISO 9001", "2 chi nhánh", "<script>", "Thành lập 1998",
                                  "3 nhà máy", "Top 500"])
def test_numbers_that_are_not_head_counts_are_never_a_size(text):
    for section in (None, "C", "G"):
        result = size_class(text, section)
        assert result.status == "unknown" and result.value == text, (text, section, result)


@pytest.mark.parametrize("text, size", [("Dưới 10 người", "micro"), ("khoảng 40 người", "small"),
                                        ("1.200 lao động", "large"), ("Trên 200 nhân viên", "large"),
                                        ("250 employees", "large"), ("5", "micro")])
def test_head_counts_with_their_words_still_class(text, size):
    assert size_class(text, "C").value == size
