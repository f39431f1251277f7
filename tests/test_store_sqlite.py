"""The SQLite response store: versions, the wide frame, input bounds, atomicity, file handling."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

import dxlab
from dxlab.questionnaire import Answer, ResponseStore, Submission, SubmissionError, validate_submission
from dxlab.questionnaire._store import _CODE_ALPHABET, default_store_path
from dxlab.sample import synthetic_responses

RUBRIC = dxlab.load_rubric("mobifone-dx")
CUS = [c for c in RUBRIC.criterion_ids if c.startswith("CUS.")]
DATA_MODEL = ["response_id", "enterprise_id", "submitted_at", "wave", "sector", "size", "province",
              "respondent_role"]


def make(levels: dict[str, int], **fields) -> Submission:
    answers = {c: Answer(level=v) for c, v in levels.items()}
    base = {"enterprise_id": "", "sector": "J", "size": "small", "wave": "2026"}
    base.update(fields)
    return Submission(RUBRIC.id, RUBRIC.version, answers=answers, **base)


@pytest.fixture()
def store(tmp_path: Path) -> ResponseStore:
    return ResponseStore(tmp_path / "class.sqlite")


def test_every_version_is_kept_and_the_latest_is_the_default(store):
    first = store.submit(make({c: 2 for c in CUS}, enterprise_id="nhom1"))
    second = store.submit(make({c: 4 for c in CUS}, enterprise_id="NHOM1"))
    assert (first.enterprise_id, first.version) == ("NHOM1", 1)
    assert (second.enterprise_id, second.version) == ("NHOM1", 2)
    assert len(store) == 2

    latest = store.to_frame(RUBRIC)
    assert latest["version"].tolist() == [2]
    assert latest["response_id"].tolist() == [second.response_id]
    assert latest[CUS].iloc[0].tolist() == [4] * len(CUS)

    every = store.to_frame(RUBRIC, latest_only=False)
    assert every["version"].tolist() == [1, 2]
    assert every[CUS].iloc[0].tolist() == [2] * len(CUS)  # the old version is untouched
    assert store.history("nhom1")["version"].tolist() == [1, 2]


def test_to_frame_has_the_data_model_shape_and_scores(store):
    levels = {"CUS.ENG.1": 2, "CUS.ENG.2": 3, "CUS.EXP.2": 4}
    answers = {c: Answer(level=v) for c, v in levels.items()}
    answers["CUS.ENG.3"] = Answer(percent=45.0, comment="khoảng 45%")
    answers["CUS.EXP.1"] = Answer(percent=85.0)
    sub = validate_submission(Submission(RUBRIC.id, enterprise_id="DN01", sector="C", size="medium",
                                         province="Hà Nội", respondent_role="Giám đốc", wave="2026",
                                         answers=answers), RUBRIC, required=CUS)
    store.submit(sub)
    frame = store.to_frame()

    assert list(frame.columns[:8]) == DATA_MODEL
    assert list(frame.columns[8:13]) == ["enterprise_name", "version", "rubric_id", "rubric_version", "lang"]
    criteria = list(frame.columns[13:13 + len(RUBRIC.criterion_ids)])
    assert criteria == list(RUBRIC.criterion_ids)
    assert all(isinstance(frame[c].dtype, pd.Int8Dtype) for c in criteria)
    percent_ids = [c.id for c in RUBRIC.all_criteria if c.answer == "percent_band"]
    assert [c for c in frame.columns if c.startswith("percent.")] == [f"percent.{c}" for c in percent_ids]
    assert [c for c in frame.columns if c.startswith("comment.")] == [f"comment.{c}" for c in criteria]
    assert isinstance(frame["submitted_at"].dtype, pd.DatetimeTZDtype)
    assert list(frame["sector"].cat.categories) == list("ABCDEFGHIJKLMNOPQRSTU")
    assert frame["size"].cat.ordered and list(frame["size"].cat.categories) == ["micro", "small", "medium", "large"]

    row = frame.iloc[0]
    # Percentages are stored as given and banded by DESIGN.md's rule: 45 % → 3, 85 % → 5.
    assert (row["CUS.ENG.3"], row["percent.CUS.ENG.3"]) == (3, 45.0)
    assert (row["CUS.EXP.1"], row["percent.CUS.EXP.1"]) == (5, 85.0)
    assert row["comment.CUS.ENG.3"] == "khoảng 45%"
    assert pd.isna(row["comment.CUS.ENG.1"]) and pd.isna(row["STR.VIS.1"])

    # By hand: ENG = mean(2, 3, 3) = 8/3, EXP = mean(5, 4) = 4.5, CUS = (8/3 + 4.5) / 2.
    scores = dxlab.score(frame, RUBRIC)
    assert scores.dimensions["CUS"].iloc[0] == pytest.approx((8 / 3 + 4.5) / 2)


def test_empty_code_gets_a_new_unambiguous_code(store):
    codes = [store.submit(make({"CUS.ENG.1": 3})).enterprise_id for _ in range(30)]
    assert len(set(codes)) == 30
    assert all(len(code) == 6 and set(code) <= set(_CODE_ALPHABET) for code in codes)
    assert not set("01OIL") & set("".join(codes))


def test_respondent_text_is_stored_as_data_never_sql(store):
    hostile = "x'); DROP TABLE submissions; --"
    comment = 'Robert"); DELETE FROM answers; -- 😀 dòng 1\ndòng 2'
    sub = make({"CUS.ENG.1": 3}, enterprise_name=hostile, province="Đà Nẵng", respondent_role="=1+1")
    sub = Submission(**{**sub.__dict__, "answers": {"CUS.ENG.1": Answer(level=3, comment=comment)}})
    store.submit(sub)
    frame = store.to_frame(RUBRIC)
    assert frame.loc[0, "enterprise_name"] == hostile
    assert frame.loc[0, "comment.CUS.ENG.1"] == comment
    assert frame.loc[0, "respondent_role"] == "=1+1"
    with sqlite3.connect(store.path) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"submissions", "answers"} <= tables
    assert len(store) == 1


@pytest.mark.parametrize("fields, field", [
    ({"enterprise_name": "A" * 201}, "enterprise_name"),
    ({"enterprise_name": "tên\x00ẩn"}, "enterprise_name"),
    ({"province": "Hà Nội\x1b[31m"}, "province"),
    ({"respondent_role": "gi\u202eám đốc"}, "respondent_role"),   # right-to-left override
    ({"province": "hai\ndòng"}, "province"),                       # single-line field
    ({"enterprise_id": "../../etc/passwd"}, "enterprise_id"),
    ({"enterprise_id": "A" * 41}, "enterprise_id"),
    ({"sector": "Z"}, "sector"),
    ({"size": "huge"}, "size"),
])
def test_bad_fields_are_rejected_and_nothing_is_stored(store, fields, field):
    with pytest.raises(SubmissionError) as info:
        store.submit(make({"CUS.ENG.1": 3}, **fields))
    assert field in [p.field for p in info.value.problems]
    assert len(store) == 0


@pytest.mark.parametrize("answer", [Answer(level=0), Answer(level=10), Answer(level=2.5), Answer(level="3"),
                                    Answer(level=True), Answer(percent=101.0), Answer(percent=float("nan")),
                                    Answer(level=3, comment="x" * 2001), Answer(level=3, comment="bell\x07")])
def test_bad_answers_are_rejected(store, answer):
    sub = Submission(RUBRIC.id, answers={"CUS.ENG.1": answer})
    with pytest.raises(SubmissionError) as info:
        store.submit(sub)
    assert [p.field for p in info.value.problems] == ["CUS.ENG.1"]
    assert len(store) == 0


@pytest.mark.parametrize("crit_id", ["CUS.ENG.1; DROP TABLE answers", "1ABC", "A" * 65, ""])
def test_criterion_ids_must_be_identifiers(store, crit_id):
    with pytest.raises(SubmissionError):
        store.submit(Submission(RUBRIC.id, answers={crit_id: Answer(level=3)}))


def test_multiline_comments_keep_their_lines(store):
    text = "dòng một\r\ndòng hai\tcột"
    store.submit(Submission(RUBRIC.id, answers={"CUS.ENG.1": Answer(level=3, comment=text)}))
    assert store.to_frame(RUBRIC).loc[0, "comment.CUS.ENG.1"] == "dòng một\ndòng hai\tcột"


def test_submit_many_is_all_or_nothing(store, monkeypatch):
    original = ResponseStore._insert
    calls = []

    def failing(self, con, sub):
        calls.append(sub)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk I/O error (simulated)")
        return original(self, con, sub)

    monkeypatch.setattr(ResponseStore, "_insert", failing)
    with pytest.raises(sqlite3.OperationalError):
        store.submit_many([make({"CUS.ENG.1": 1}, enterprise_id="A1"), make({"CUS.ENG.1": 2}, enterprise_id="A2")])
    assert len(calls) == 2
    assert len(store) == 0  # the first insert was rolled back with the second


def test_store_file_is_wal_and_persists(tmp_path):
    path = tmp_path / "sub" / "dir" / "responses.sqlite"
    ResponseStore(path).submit(make({"CUS.ENG.1": 3}, enterprise_id="KEEP"))
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    reopened = ResponseStore(path)
    assert reopened.to_frame(RUBRIC)["enterprise_id"].tolist() == ["KEEP"]


def test_unusable_paths_fail_clearly(tmp_path):
    not_db = tmp_path / "notes.sqlite"
    not_db.write_text("this is not a database\n" * 100, encoding="utf-8")
    with pytest.raises(ValueError, match="notes.sqlite"):
        ResponseStore(not_db)
    with pytest.raises(ValueError, match="folder"):
        ResponseStore(tmp_path)
    with pytest.raises(ValueError, match="timeout"):
        ResponseStore(tmp_path / "x.sqlite", timeout=0)


def test_latest_resumes_the_last_version(store):
    store.submit(make({"CUS.ENG.1": 1}, enterprise_id="R7"))
    answers = {"CUS.ENG.1": Answer(level=2, comment="sửa lại"), "CUS.ENG.3": Answer(level=3, percent=50.0)}
    store.submit(Submission(RUBRIC.id, enterprise_id="R7", sector="G", size="micro", answers=answers))
    found = store.latest("r7", RUBRIC)
    assert found.receipt.version == 2
    assert (found.submission.sector, found.submission.size) == ("G", "micro")
    assert found.submission.answers == answers
    assert store.latest("nobody") is None
    assert store.latest("../x") is None


def test_several_rubrics_need_a_choice(store, tmp_path):
    from .conftest import criterion, rubric_dict, write_rubric

    other = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict(
        [{"id": "AAA", "title": "A", "groups": [{"id": "AAA.G", "title": "G", "criteria": [criterion("AAA.G.1")]}]}],
        rubric_id="other-rubric")))
    store.submit(make({"CUS.ENG.1": 3}))
    store.submit(Submission(other.id, answers={"AAA.G.1": Answer(level=5)}))
    with pytest.raises(ValueError, match="several rubrics"):
        store.to_frame()
    frame = store.to_frame(other)
    assert frame["AAA.G.1"].tolist() == [5] and "CUS.ENG.1" not in frame
    assert store.to_frame("mobifone-dx")["CUS.ENG.1"].tolist() == [3]
    assert store.rubric_ids() == ["mobifone-dx", "other-rubric"]


def test_wave_filter(store):
    store.submit(make({"CUS.ENG.1": 1}, enterprise_id="W1", wave="2025"))
    store.submit(make({"CUS.ENG.1": 2}, enterprise_id="W2", wave="2026"))
    assert store.to_frame(RUBRIC, wave="2026")["enterprise_id"].tolist() == ["W2"]
    assert store.to_frame(RUBRIC, wave="2024").empty


def test_import_frame_round_trips_levels(store):
    sample = synthetic_responses(RUBRIC, n=25, seed=7)
    receipts = store.import_frame(sample, RUBRIC)
    assert len(receipts) == 25
    frame = store.to_frame(RUBRIC)
    criteria = list(RUBRIC.criterion_ids)
    pd.testing.assert_frame_equal(frame[criteria], sample[criteria].reset_index(drop=True))
    assert frame["enterprise_id"].tolist() == sample["enterprise_id"].tolist()
    assert frame["sector"].astype(str).tolist() == sample["sector"].astype(str).tolist()


def test_import_frame_rejects_bad_rows_whole(store):
    sample = synthetic_responses(RUBRIC, n=5, seed=1)
    sample["CUS.ENG.1"] = sample["CUS.ENG.1"].astype("Int64")
    sample.loc[3, "CUS.ENG.1"] = 7
    with pytest.raises(ValueError, match="row 3"):
        store.import_frame(sample, RUBRIC)
    assert len(store) == 0


def test_default_path_is_under_the_project(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert default_store_path() == tmp_path.resolve() / "data" / "raw" / "responses.sqlite"
    assert ResponseStore().path == tmp_path.resolve() / "data" / "raw" / "responses.sqlite"


def test_one_submission_is_one_transaction(store):
    """A failure while writing the answers leaves neither the submission row nor its earlier answers."""
    store.submit(make({"CUS.ENG.1": 3}, enterprise_id="OK1"))
    with sqlite3.connect(store.path) as con:
        con.execute("CREATE TRIGGER fail_on_boom BEFORE INSERT ON answers WHEN NEW.comment = 'boom' "
                    "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END")
    answers = {"CUS.ENG.1": Answer(level=2), "CUS.ENG.2": Answer(level=3, comment="boom")}
    with pytest.raises(sqlite3.DatabaseError, match="simulated failure"):
        store.submit(Submission(RUBRIC.id, enterprise_id="OK1", sector="J", size="small", answers=answers))
    with sqlite3.connect(store.path) as con:
        assert con.execute("SELECT COUNT(*) FROM submissions").fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 1  # only the first submission's
    assert store.history("OK1")["version"].tolist() == [1]
    assert store.submit(make({"CUS.ENG.1": 4}, enterprise_id="OK1")).version == 2  # the store still works
