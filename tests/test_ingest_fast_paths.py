"""The vectorised paths of cleaning against the plain per-value code they replace (the oracle)."""

from __future__ import annotations

import random
import unicodedata

import numpy as np
import pandas as pd

from dxlab.ingest._clean import _fast_key, _fast_keys, _identity, _row_ids
from dxlab.ingest._formats import _without_unused_categories


def test_fast_keys_equal_one_call_per_value() -> None:
    rng = random.Random(7)
    pool = ([chr(c) for c in range(0, 0x250)] + [chr(c) for c in range(0x300, 0x370)]
            + [chr(c) for c in range(0x1E00, 0x1F00)] + ["\u2000", "\u3000", "\x85", "\xa0", "\ufb01", " ", "\t"])
    for _ in range(200):
        values = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 30))]
        assert _fast_keys(values) == [_fast_key(v) for v in values]
    names = ["Nguyễn  Văn A", unicodedata.normalize("NFD", "Đặng Thị Ước"), "STRASSE ß", "x\x00y", 12.0, ""]
    assert _fast_keys(names) == ["nguyen van a", "dang thi uoc", "strasse ss", "x\x00y", "12.0", ""]


def test_identity_borrows_the_one_id_a_name_carries() -> None:
    ids = np.array(["0101", None, "0202", "0303", None, None], dtype=object)
    names = np.array(["Công ty A", "cong ty a", "B", "B", "b", None], dtype=object)
    keys = _identity(ids, names, None)
    assert keys is not None
    # "cong ty a" folds like "Công ty A", which carries one id; "b" folds like "B", which carries two.
    assert list(keys) == ["id:0101", "id:0101", "id:0202", "id:0303", "name:b", None]


def test_identity_falls_back_to_real_email_addresses() -> None:
    emails = np.array(["A@X.vn", "anonymous", None], dtype=object)
    keys = _identity(None, np.array([None, None, "C"], dtype=object), emails)
    assert keys is not None
    assert list(keys) == ["email:a@x.vn", None, "name:c"]


def test_row_ids_as_formatted_one_by_one() -> None:
    for rows in (np.array([], dtype=np.int64), np.array([2, 15, 999_999, 1_234_567])):
        assert list(_row_ids(rows)) == [f"R{r:06d}" for r in rows]
        assert _row_ids(rows).dtype == object


def test_unused_categories_dropped_as_pandas_does() -> None:
    cases = [pd.Series(pd.Categorical(["a", "b", None, "a"], categories=["z", "a", "q", "b"])).iloc[1:],
             pd.Series(pd.Categorical(["a", "b", "a"])),
             pd.Series(pd.Categorical([None, None], categories=["x"])),
             pd.Series(pd.Categorical(["b", "a"], categories=["c", "b", "a"], ordered=True))]
    for series in cases:
        got, expected = _without_unused_categories(series), series.cat.remove_unused_categories()
        pd.testing.assert_series_equal(got, expected)
        assert list(got.cat.categories) == list(expected.cat.categories)


def test_dates_and_keys_done_a_slice_at_a_time_equal_all_at_once(monkeypatch) -> None:
    import dxlab.ingest._clean as clean
    import dxlab.ingest._dates as dates

    stamps = ["13/02/2026 08:00:00", "02/03/2026 8:05", "31/02/2026", "x", "2026-03-01T08:00:00+07:00",
              "1/2/26 1:05 PM", "2026-03-01", "07/08/2026 12:00:00 SA", "", "99/99/9999"] * 3
    names = ["Công ty Ánh Dương", "CONG TY ANH DUONG", "Đặng  Thị", "x\x00y", 12.0, ""] * 5
    whole_dates, whole_keys = dates.parse_datetimes(stamps), clean._fast_keys(names)
    monkeypatch.setattr(dates, "_SLICE", 4)
    monkeypatch.setattr(clean, "_KEYS_AT_ONCE", 4)
    sliced = dates.parse_datetimes(stamps)
    pd.testing.assert_series_equal(sliced.values, whole_dates.values)
    assert sliced.reasons == whole_dates.reasons and sliced.note == whole_dates.note
    assert clean._fast_keys(names) == whole_keys == [clean._fast_key(v) for v in names]


def _same_partition(codes: np.ndarray, keys: np.ndarray, missing: object) -> bool:
    """Rows share a code exactly when they share a key, and the missing ones match."""
    key_list = ["\0missing" if (k is missing or (missing is None and pd.isna(k))) else k for k in keys]
    return all((codes[i] == codes[j]) == (key_list[i] == key_list[j])
               for i in range(len(codes)) for j in range(len(codes)))


def test_identity_and_respondent_codes_group_rows_as_their_keys() -> None:
    from dxlab.ingest._clean import _identity_codes, _respondent_codes, _respondent_key

    rng = random.Random(11)
    pick = lambda pool: np.array([rng.choice(pool) for _ in range(40)], dtype=object)  # noqa: E731
    for _ in range(20):
        ids = pick(["0101", "0101 ", "0202", None, None])
        names = pick(["Công ty A", "cong ty a", "B", "b", None])
        emails = pick(["A@X.vn", "a@x.VN", "anonymous", None, "c@y.vn"])
        for args in ((ids, names, emails), (None, names, emails), (ids, None, None), (None, None, emails)):
            codes, keys = _identity_codes(*args), _identity(*args)
            assert codes is not None and keys is not None
            assert list(codes < 0) == list(pd.isna(keys)) and _same_partition(codes, keys, None)
        out = {"email": emails, "respondent_name": names, "respondent_role": pick(["CEO", "ceo", "IT", None])}
        codes, keys = _respondent_codes(out, 40), _respondent_key(out, 40)
        assert codes is not None and keys is not None
        assert list(codes < 0) == [k == "" for k in keys] and _same_partition(codes, keys, "")
    assert _identity_codes(None, None, None) is None and _respondent_codes({}, 3) is None


def test_test_submissions_are_found_by_the_vectorised_prefilter_as_one_by_one() -> None:
    from dxlab.ingest._clean import _are_tests, _is_test
    from dxlab.vocab import TEST_MARKERS

    rng = np.random.default_rng(5)
    letters = list("abcdđqstxyzßẞ ÁáTtQ0123-_")
    values: list[object] = ["".join(rng.choice(letters, size=rng.integers(0, 12))) for _ in range(3000)]
    values += [m.upper() for m in TEST_MARKERS] + [f"  {m} 2" for m in TEST_MARKERS] + [12, 3.5, "ß test", ""]
    flags = _are_tests(values)
    assert flags.tolist() == [_is_test(v) for v in values]
    assert flags.sum() >= len(TEST_MARKERS)  # the markers are found, so the comparison is not idle


def test_percent_fractions_are_decided_as_scoring_decides_them() -> None:
    """The streamed clean decides fractions on features united over batches; the decision must be the one
    dxlab.scoring takes on the whole column."""
    from dxlab.ingest._decisions import fraction_decision, fraction_features
    from dxlab.scoring._parse import _detect_fractions

    rng = np.random.default_rng(11)
    pool = ["0", "1", "0.5", "0,25", "1.0", "35%", "50", "2", "0.99", "  0.1 ", "abc", "", "-0.5", 0.3, 7, True, "N/A"]
    decided = []
    for _ in range(2000):
        values = list(rng.choice(np.array(pool, dtype=object), size=rng.integers(0, 6), replace=False))
        decided.append(fraction_decision(fraction_features(values)))
        assert decided[-1] == _detect_fractions(values), values
    assert 0 < sum(decided) < len(decided)  # both outcomes happen
