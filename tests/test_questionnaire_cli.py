"""``dxlab questionnaire``: arguments, results, export, and the Voila app's notebook and settings."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import dxlab
from dxlab.cli import main
from dxlab.questionnaire import Answer, Questionnaire, ResponseStore, Submission
from dxlab.questionnaire._app import (AppSettings, _voila_argv, free_port, questionnaire_from_environment,
                                      write_app_notebook)

RUBRIC = dxlab.load_rubric("mobifone-dx")
CUS = ["CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2"]


@pytest.fixture()
def store(tmp_path: Path) -> ResponseStore:
    store = ResponseStore(tmp_path / "class.sqlite")
    for code, level in (("G1", 2), ("G2", 4), ("G1", 3)):
        store.submit(Submission(RUBRIC.id, RUBRIC.version, enterprise_id=code, enterprise_name="=HYPERLINK(\"x\")",
                                sector="J", size="small", answers={c: Answer(level=level) for c in CUS}))
    return store


def test_results_prints_the_class_summary(store, capsys):
    assert main(["questionnaire", "--results", "--store", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "submitted: 2 respondents, 3 submissions" in out
    assert "#01" in out and "G1" not in out
    assert main(["questionnaire", "--results", "--named", "--store", str(store.path), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "G1" in out and "Advancing" in out


def test_export_csv_is_spreadsheet_safe_and_parquet_round_trips(store, tmp_path, capsys):
    csv_path = tmp_path / "out" / "class.csv"
    assert main(["questionnaire", "--export", str(csv_path), "--store", str(store.path)]) == 0
    assert "wrote 2 responses" in capsys.readouterr().out
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text

    parquet = tmp_path / "class.parquet"
    assert main(["questionnaire", "--export", str(parquet), "--all-versions", "--store", str(store.path)]) == 0
    back = pd.read_parquet(parquet)
    assert back["version"].tolist() == [1, 1, 2]
    assert back["CUS.ENG.1"].tolist() == [2, 4, 3]

    assert main(["questionnaire", "--export", str(tmp_path / "x.txt"), "--store", str(store.path)]) == 2


def test_missing_store_and_bad_port(tmp_path, capsys):
    assert main(["questionnaire", "--results", "--store", str(tmp_path / "none.sqlite")]) == 1
    assert "no response store" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["questionnaire", "--port", "80"])
    with pytest.raises(SystemExit):
        main(["questionnaire", "--port", "abc"])


def test_serve_fails_early_on_a_wrong_rubric_or_dimension(tmp_path, capsys):
    assert main(["questionnaire", "--rubric", "no-such-rubric", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "no-such-rubric" in capsys.readouterr().err
    assert main(["questionnaire", "--dimensions", "XYZ", "--store", str(tmp_path / "s.sqlite")]) == 2
    assert "XYZ" in capsys.readouterr().err


def test_app_notebook_holds_no_settings(tmp_path):
    path = write_app_notebook(tmp_path)
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    source = "".join(cell.source for cell in notebook.cells)
    assert "questionnaire_from_environment()" in source
    assert str(tmp_path) not in json.dumps(notebook)


def test_environment_describes_the_questionnaire(tmp_path, monkeypatch):
    settings = AppSettings(rubric="mobifone-dx", store=str(tmp_path / "s.sqlite"), lang="en", wave="K66",
                           dimensions=("CUS",))
    for key, value in settings.environment().items():
        monkeypatch.setenv(key, value)
    q = questionnaire_from_environment()
    assert isinstance(q, Questionnaire)
    assert (q.rubric.id, q.lang, q.wave, list(q.items)) == ("mobifone-dx", "en", "K66", CUS)
    assert q.store.path == tmp_path / "s.sqlite"


def test_voila_listens_on_loopback_only_and_never_moves_port(tmp_path):
    argv = _voila_argv(tmp_path / "q.ipynb", 12345, open_browser=False)
    assert "--Voila.ip=127.0.0.1" in argv and "--port=12345" in argv
    assert "--Voila.port_retries=0" in argv and "--no-browser" in argv
    assert "--VoilaConfiguration.show_tracebacks=False" in argv
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))  # it was free
    assert 0 < port < 65536
