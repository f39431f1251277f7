"""The store, hardened: rubrics recorded by content, no stored string ever used as a path, read-only
opening, and 200 writers at the same moment all stored exactly once."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path

import pandas as pd
import pytest

import dxlab
from dxlab.questionnaire import Answer, ResponseStore, Submission
from dxlab.sample import synthetic_responses

from .conftest import criterion, rubric_dict, write_rubric

RUBRIC = dxlab.load_rubric("mobifone-dx")


def sub(code: str, level: int = 3, rubric_id: str = RUBRIC.id) -> Submission:
    return Submission(rubric_id, "1", enterprise_id=code, sector="J", size="small",
                      answers={"CUS.ENG.1": Answer(level=level)})


def test_a_rubric_is_recorded_by_content_and_read_back_without_its_file(tmp_path):
    data = rubric_dict([{"id": "AAA", "title": {"vi": "A", "en": "A"},
                         "groups": [{"id": "AAA.G", "title": {"vi": "G", "en": "G"},
                                     "criteria": [criterion("AAA.G.1"), criterion("AAA.G.2")]}]}], "my-rubric")
    path = write_rubric(tmp_path, data, "mine.yaml")
    text = path.read_text(encoding="utf-8")
    store = ResponseStore(tmp_path / "s.sqlite")
    recorded = store.record_rubric(dxlab.load_rubric(path))
    assert recorded.sha256 == hashlib.sha256(text.encode()).hexdigest()  # oracle: hashlib on the file itself
    assert (recorded.rubric_id, recorded.version) == ("my-rubric", "1")
    assert store.record_rubric(path.as_posix()) == recorded  # once per content
    store.submit(Submission("my-rubric", "1", enterprise_id="G1", answers={"AAA.G.1": Answer(level=4)}))
    path.unlink()  # the file is gone: the store still knows the rubric
    again = store.rubric()
    assert again.id == "my-rubric" and again.criterion_ids == ("AAA.G.1", "AAA.G.2")
    assert store.to_frame()[["AAA.G.1", "AAA.G.2"]].iloc[0].tolist() == [4, pd.NA]
    # A tampered copy (hash no longer matching) is not used.
    with sqlite3.connect(store.path) as con:
        con.execute("UPDATE rubrics SET yaml = yaml || '\n# edited'")
    with pytest.raises(ValueError, match="neither recorded in the store nor shipped"):
        store.rubric("my-rubric")


def _spy_on_opened_paths(monkeypatch) -> list[str]:
    """Every path read through ``Path.read_text`` or ``Path.open`` from now on, in a list that grows."""
    opened: list[str] = []
    real_read_text, real_open = Path.read_text, Path.open

    def spy_read_text(self, *args, **kwargs):
        opened.append(str(self))
        return real_read_text(self, *args, **kwargs)

    def spy_open(self, *args, **kwargs):
        opened.append(str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", spy_read_text)
    monkeypatch.setattr(Path, "open", spy_open)
    return opened



@pytest.mark.parametrize("stored_id", ["../../../../../../../../../etc/passwd", "/etc/passwd", "/dev/zero",
                                       "../../../../../../../../../etc/passwd.yaml"])
def test_a_stored_rubric_id_is_never_opened_as_a_path(tmp_path, monkeypatch, stored_id):
    store = ResponseStore(tmp_path / "crafted.sqlite")
    store.submit(sub("X1", rubric_id=stored_id))  # the store's own checks accept any short text as an id
    opened = _spy_on_opened_paths(monkeypatch)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="neither recorded in the store nor shipped"):
        store.rubric()
    frame = store.to_frame()  # falls back to the criteria found in the answers
    assert frame["CUS.ENG.1"].tolist() == [3]
    from dxlab.cli import main

    assert main(["class", "export", "--store", str(store.path), str(tmp_path / "out.csv")]) == 2
    assert not [p for p in opened if "passwd" in p or "zero" in p], opened


def test_a_readonly_store_is_summarised_and_exported_without_a_write(tmp_path):
    path = tmp_path / "class.sqlite"
    store = ResponseStore(path)
    store.import_frame(synthetic_responses(RUBRIC, n=6, seed=2), RUBRIC)
    store.record_rubric(RUBRIC)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = path.read_bytes()
    readonly = ResponseStore(path, readonly=True)
    assert len(readonly.to_frame(RUBRIC)) == 6 and readonly.rubric().id == RUBRIC.id
    summary = dxlab.classroom.summary(readonly, readonly.rubric())
    assert summary.submitted == 6
    for attempt in (lambda: readonly.submit(sub("Y1")), lambda: readonly.record_rubric(RUBRIC)):
        with pytest.raises(ValueError, match="read-only"):
            attempt()
    assert path.read_bytes() == before


def test_readonly_refuses_what_is_not_a_store(tmp_path):
    with pytest.raises(FileNotFoundError):
        ResponseStore(tmp_path / "none.sqlite", readonly=True)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE t (x)")
    with pytest.raises(ValueError, match="not a dxlab response store"):
        ResponseStore(other, readonly=True)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ValueError, match="not a dxlab response store|cannot open"):
        ResponseStore(junk, readonly=True)


def test_a_version_one_store_is_upgraded_in_place(tmp_path):
    path = tmp_path / "v1.sqlite"
    ResponseStore(path).submit(sub("OLD"))
    with sqlite3.connect(path) as con:  # make it look like a store written before rubrics were recorded
        con.execute("DROP TABLE rubrics")
        con.execute("UPDATE dxlab_meta SET value = '1' WHERE key = 'schema_version'")
    assert ResponseStore(path, readonly=True).recorded_rubrics() == []
    assert ResponseStore(path, readonly=True).rubric().id == RUBRIC.id  # a shipped id is still found
    store = ResponseStore(path)
    assert store.record_rubric(RUBRIC).rubric_id == RUBRIC.id
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT value FROM dxlab_meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    assert store.to_frame(RUBRIC)["enterprise_id"].tolist() == ["OLD"]


def test_two_hundred_simultaneous_writers_are_all_stored_once(tmp_path):
    """200 threads, each with its own store object and connection, submit at the same instant: half under
    their own code, half under one shared code whose versions must come out exactly 1..100."""
    path = tmp_path / "class.sqlite"
    ResponseStore(path)
    barrier = threading.Barrier(200)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            store = ResponseStore(path, timeout=60)
            barrier.wait(timeout=60)
            store.submit(sub(f"W{i:03d}" if i % 2 else "SHARED", level=i % 5 + 1))
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    every = ResponseStore(path).to_frame(RUBRIC, latest_only=False)
    assert len(every) == 200 and every["response_id"].is_unique
    own = every[every["enterprise_id"] != "SHARED"]
    assert sorted(own["enterprise_id"]) == [f"W{i:03d}" for i in range(1, 200, 2)]
    assert sorted(every.loc[every["enterprise_id"] == "SHARED", "version"]) == list(range(1, 101))
    assert sorted(own["CUS.ENG.1"].astype(int)) == sorted(i % 5 + 1 for i in range(1, 200, 2))



def test_class_summary_never_opens_a_stored_rubric_id_as_a_path(tmp_path, monkeypatch):
    store = ResponseStore(tmp_path / "crafted.sqlite")
    store.submit(sub("X1", rubric_id="../../../../../../../../../etc/passwd"))
    opened = _spy_on_opened_paths(monkeypatch)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="neither recorded in the store nor shipped"):
        dxlab.classroom.summary(store)
    assert not [p for p in opened if "passwd" in p], opened
