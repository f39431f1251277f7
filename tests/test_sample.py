"""The synthetic samples: the tidy generator and the dirty Google Forms export built on it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab.ingest import read_export
from dxlab.sample import (GOOGLE_FORMS_SAMPLE, SECTORS, SIZE_MIX, google_forms_frame, synthetic_responses,
                          write_google_forms_export)

ROOT = Path(__file__).resolve().parents[1]
RUBRIC = dxlab.load_rubric("mobifone-dx")


def test_synthetic_responses_shape_and_types():
    frame = synthetic_responses(RUBRIC, n=500, seed=3)
    assert list(frame.columns[:8]) == ["response_id", "enterprise_id", "submitted_at", "wave", "sector", "size",
                                       "province", "respondent_role"]
    assert list(frame.columns[8:]) == list(RUBRIC.criterion_ids)
    assert len(frame) == 500 and frame["response_id"].is_unique
    assert all(str(frame[c].dtype) == "Int8" for c in RUBRIC.criterion_ids)
    values = frame[list(RUBRIC.criterion_ids)].stack().dropna()
    assert set(values.unique()) <= {1, 2, 3, 4, 5}
    assert set(frame["sector"].unique()) <= set(SECTORS) and set(frame["size"].unique()) <= set(SIZE_MIX)
    assert "SYNTHETIC" in frame.attrs["note"]
    pd.testing.assert_frame_equal(frame, synthetic_responses(RUBRIC, n=500, seed=3))


def test_synthetic_sectors_differ_as_designed():
    frame = synthetic_responses(RUBRIC, n=4000, seed=11)
    mean = frame[list(RUBRIC.criterion_ids)].astype(float).mean(axis=1)
    by_sector = mean.groupby(frame["sector"], observed=True).mean()
    # Sector shifts in SECTORS: J (+0.9) and K (+0.75) lead, A (−0.8) and F (−0.45) trail.
    assert by_sector["J"] > by_sector["G"] > by_sector["A"]
    assert by_sector["K"] > by_sector["F"]
    items = frame[list(RUBRIC.criterion_ids)].astype(float)
    # The pilot item is written on its reversed scale: it correlates negatively until reversed (6 − x).
    (pilot,) = RUBRIC.reverse_items
    assert (items.corr()[pilot].drop(pilot) < -0.1).all()
    items[pilot] = 6 - items[pilot]
    assert items.corr().to_numpy()[np.triu_indices(len(RUBRIC.criterion_ids), 1)].min() > 0.1  # one factor


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    return write_google_forms_export(tmp_path_factory.mktemp("sample") / "s.csv", RUBRIC, n=3000, seed=2021)


def test_export_looks_like_vietnamese_google_forms(export):
    data = export.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header = data.split(b"\r\n", 1)[0].decode("utf-8")
    assert header.startswith("Dấu thời gian,Địa chỉ email,")
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    stamps = frame["Dấu thời gian"][~frame["Dấu thời gian"].isin(["", "Dấu thời gian"])]  # blank, pasted header
    assert stamps.str.fullmatch(r"\d{2}/\d{2}/2026 \d{2}:\d{2}:\d{2}").all()
    assert len(data) < 5 * 2**20


def test_export_is_clearly_synthetic_and_reproducible(export, tmp_path):
    frame = pd.read_csv(export, dtype=str, keep_default_na=False)
    frame = frame[(frame["Dấu thời gian"] != "") & (frame["Dấu thời gian"] != "Dấu thời gian")]  # junk rows
    names = frame["Tên doanh nghiệp"]
    real_rows = names[~names.str.casefold().str.startswith("test")]
    assert real_rows.str.endswith("(mẫu tổng hợp)").all()
    emails = frame["Địa chỉ email"]
    assert emails.str.endswith(".example").all()
    again = write_google_forms_export(tmp_path / "again.csv", RUBRIC, n=3000, seed=2021)
    assert again.read_bytes() == export.read_bytes()
    other = write_google_forms_export(tmp_path / "other.csv", RUBRIC, n=50, seed=7)
    assert other.read_bytes() != export.read_bytes()


def test_export_has_the_dirt_it_promises(export):
    result = read_export(export, RUBRIC)
    problems = result.summary_table().set_index("problem")["rows"]
    # One respondent (the enterprise's e-mail) per enterprise: every repeat is a re-submission.
    assert problems["duplicate submission (same enterprise, respondent and wave)"] > 100
    # Non-answers are declared by the rubric: never issues, counted apart, "not applicable" only on percentages.
    nonresponse = result.nonresponse
    assert result.nonresponse_counts["not_applicable"] > 200 and result.nonresponse_counts["dont_know"] > 500
    percent = {c for c in RUBRIC.criterion_ids if RUBRIC.criterion(c).answer == "percent_band"}
    assert set(nonresponse.loc[nonresponse["code"] == "not_applicable", "criterion"]) == percent
    # ("không rõ" is also among the answers typed into "Mục khác": any case or tone marks is the same code)
    assert set(nonresponse["value"].str.casefold()) == {"không áp dụng", "không biết", "không rõ"}
    assert not result.issues["value"].isin(["Không áp dụng", "Không biết"]).any()
    assert result.responses.set_index("response_id").loc[nonresponse["response_id"]].shape[0] == len(nonresponse)
    assert {"empty row", "test submission", "repeated header row", "no valid answer to any criterion"} <= set(
        problems.index)
    assert len(result.recodes[result.recodes["column"] == "Tỉnh/Thành phố"]) >= 10
    assert (result.issues["problem"] == "a spreadsheet dropped the leading 0").sum() > 20
    percent = result.mapping.criteria["CUS.ENG.3"]
    typed = pd.read_csv(export, dtype=str, keep_default_na=False)[percent]
    assert typed.str.fullmatch(r"\d+,5 %").any() and typed.str.fullmatch(r"\d+%").any()


def test_export_cleans_back_to_the_truth(export):
    """Each enterprise is kept once, and enterprises that answered once get exactly the synthetic truth back
    (answers typed invalidly are <NA> and listed in the issues)."""
    truth = synthetic_responses(RUBRIC, n=3000, seed=2021)
    result = read_export(export, RUBRIC)
    responses = result.responses
    assert len(responses) == 3000
    enterprise = responses["email"].str.extract(r"lienhe(\d{4})@")[0].astype(int) - 1
    assert enterprise.is_unique
    raw = pd.read_csv(export, dtype=str, keep_default_na=False)
    once = raw["Địa chỉ email"].value_counts()
    single = responses["email"].map(once).eq(1).to_numpy()
    criteria = list(RUBRIC.criterion_ids)
    got = responses.loc[single, criteria].astype("float").to_numpy()
    want = truth.loc[enterprise[single].to_numpy(), criteria].astype("float").to_numpy()
    invalid_cells = result.issues[result.issues["action"] == "set to <NA>"]
    differs = ~((got == want) | (np.isnan(got) & np.isnan(want)))
    assert differs.sum() <= len(invalid_cells) + len(result.nonresponse)
    assert np.isnan(got[differs]).all()  # a difference is only ever a rejected answer or a non-answer
    # The reversed pilot item comes back as written (reversing is the scoring's job, not cleaning's).
    (pilot,) = RUBRIC.reverse_items
    column = criteria.index(pilot)
    assert (got[:, column] == want[:, column]).mean() > 0.9
    assert single.sum() > 2500
    assert (responses["sector"].str.len() == 1).mean() > 0.95
    sectors = responses.loc[single, "sector"].to_numpy()
    truth_sectors = truth.loc[enterprise[single].to_numpy(), "sector"].astype(str).to_numpy()
    recognised = pd.Series(sectors).str.len().eq(1).to_numpy()
    assert (sectors[recognised] == truth_sectors[recognised]).all()


def test_shipped_sample_is_current(export):
    shipped = ROOT / "data" / "raw" / GOOGLE_FORMS_SAMPLE
    assert shipped.exists(), f"{shipped} is missing: run `python -m dxlab.sample`"
    assert shipped.stat().st_size < 5 * 2**20
    assert hashlib.sha256(shipped.read_bytes()).digest() == hashlib.sha256(export.read_bytes()).digest(), (
        f"{shipped} no longer matches the rubric or the generator: rewrite it with `python -m dxlab.sample`")


def test_clean_frame_without_dirt():
    frame = google_forms_frame(RUBRIC, n=40, seed=5, dirt=False)
    assert len(frame) == 40 and frame.columns[0] == "Dấu thời gian"
    assert (frame.iloc[:, 1] != "").all()
