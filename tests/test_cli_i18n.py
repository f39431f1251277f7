"""The command line speaks the user's language: help, messages and errors from the catalogue, `--lang` as a
global option and on each sub-command, DXLAB_LANG as the default, and errors without a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dxlab._cli_support import lang_from_argv, lang_given
from dxlab.cli import build_parser, main

from .conftest import ROOT


def _run(*args: str, env_lang: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DXLAB_LANG"}
    env["PYTHONPATH"] = str(ROOT)
    if env_lang:
        env["DXLAB_LANG"] = env_lang
    return subprocess.run([sys.executable, "-c", "import sys; from dxlab.cli import main; sys.exit(main())", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


def test_unknown_rubric_is_a_vietnamese_error_without_traceback(tmp_path):
    out = _run("--lang", "vi", "score", str(tmp_path / "x.parquet"), "--rubric", "khong-co")
    assert out.returncode == 2
    assert out.stderr.startswith("dxlab score: lỗi: không có bộ tiêu chí 'khong-co'")
    assert "mobifone-dx" in out.stderr and "Traceback" not in out.stderr
    english = _run("score", str(tmp_path / "x.parquet"), "--rubric", "khong-co", "--lang", "en")
    assert english.stderr.startswith("dxlab score: error: unknown rubric 'khong-co'")


def test_missing_file_and_default_language_from_the_environment(tmp_path):
    out = _run("score", str(tmp_path / "nope.csv"), "--rubric", "mobifone-dx", env_lang="en")
    assert out.returncode == 2 and "no such file" in out.stderr and "Traceback" not in out.stderr
    out = _run("score", str(tmp_path / "nope.csv"), "--rubric", "mobifone-dx")
    assert "không tìm thấy tệp" in out.stderr  # Vietnamese when nothing says otherwise


def test_help_in_vietnamese_and_english():
    vi = _run("--lang", "vi", "score", "--help").stdout
    assert vi.startswith("cách dùng: dxlab score") and "tùy chọn:" in vi and "cách tính điểm" in vi
    en = _run("--lang", "en", "score", "--help").stdout
    assert en.startswith("usage: dxlab score") and "options:" in en and "scoring scheme" in en
    assert "ngôn ngữ của văn bản" in _run("--help", env_lang="vi").stdout


def test_argparse_errors_are_prefixed_in_the_language():
    out = _run("--lang", "vi", "score")
    assert out.returncode == 2 and "dxlab score: lỗi:" in out.stderr


def _subparsers(parser):
    for action in parser._actions:
        if action.__class__.__name__ == "_SubParsersAction":
            yield from action.choices.items()


def _leaves(parser, prefix=()):
    children = list(_subparsers(parser))
    if not children:
        yield prefix, parser
    for name, child in children:
        yield from _leaves(child, (*prefix, name))


def test_every_command_takes_lang():
    parser = build_parser(None, "en")
    leaves = dict(_leaves(parser))
    assert ("score",) in leaves and ("cx", "sheet") in leaves and ("stats", "distribution") in leaves
    without = [" ".join(path) for path, p in leaves.items()
               if not any("--lang" in a.option_strings for a in p._actions)]
    assert without == []


def test_global_lang_reaches_subcommands_with_their_own_default(capsys, tmp_path):
    import dxlab

    data = dxlab.sample.synthetic_responses("mobifone-dx", n=20, seed=1)
    source = tmp_path / "r.csv"
    data.to_csv(source, index=False)
    assert main(["--lang", "en", "score", str(source), "--rubric", "mobifone-dx", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "wrote " in printed and "Forming" in printed  # English level labels too
    assert main(["score", str(source), "--rubric", "mobifone-dx", "--out", str(tmp_path), "--lang", "vi"]) == 0
    assert "đã ghi " in capsys.readouterr().out


@pytest.mark.parametrize("argv, expected", [
    (["--lang", "en", "score"], "en"), (["score", "--lang=vi"], "vi"), (["score", "--", "--lang", "en"], "vi"),
    (["--lang", "fr", "score"], "vi")])
def test_language_of_a_command_line(monkeypatch, argv, expected):
    monkeypatch.delenv("DXLAB_LANG", raising=False)
    assert lang_from_argv(argv) == expected
    assert lang_given(["--lang", "EN"]) == "en"


# -- argparse's own error messages ----------------------------------------------------------------------------
def _argparse_error(words: list[str], lang: str) -> str:
    import contextlib
    import io

    from dxlab._cli_support import CliParser, current_lang, set_lang

    before = current_lang()
    set_lang(lang)
    parser = CliParser(prog="prog")
    parser.add_argument("path")
    parser.add_argument("--mode", choices=["a", "b"])
    parser.add_argument("--count", type=int)
    parser.add_argument("--pair", nargs=2)
    parser.add_argument("--verbose", action="store_true")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--fast", action="store_true")
    group.add_argument("--slow", action="store_true")
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), pytest.raises(SystemExit) as stop:
            parser.parse_args(words)
    finally:
        set_lang(before)
    assert stop.value.code == 2
    return stderr.getvalue().splitlines()[-1]


@pytest.mark.parametrize(
    ("words", "vi", "en"),
    [
        ([], "prog: lỗi: thiếu các đối số bắt buộc: path", "the following arguments are required: path"),
        (["x", "--nope", "1"], "không nhận ra các đối số: --nope 1", "unrecognized arguments: --nope 1"),
        (["x", "--mode", "c"], "đối số --mode: lựa chọn không hợp lệ: 'c' (chọn một trong 'a', 'b')", "invalid choice"),
        (["x", "--count", "ba"], "đối số --count: giá trị int không hợp lệ: 'ba'", "invalid int value: 'ba'"),
        (["x", "--mode"], "đối số --mode: cần đúng một giá trị", "expected one argument"),
        (["x", "--pair", "1"], "đối số --pair: cần 2 giá trị", "expected 2 arguments"),
        (["x", "--fast", "--slow"], "đối số --slow: không dùng được cùng đối số --fast", "not allowed with"),
        (["x", "--verbose=yes"], "giá trị đi kèm bị bỏ qua: 'yes'", "ignored explicit argument 'yes'"),
    ],
)
def test_argparse_errors_speak_the_command_line_language(words, vi, en):
    """argparse's own texts are translated; a message this Python words differently would stay English."""
    assert vi in _argparse_error(words, "vi")
    assert en in _argparse_error(words, "en")


def test_an_unknown_argparse_message_is_kept_as_it_is():
    from dxlab._cli_support import argparse_message

    assert argparse_message("something new in Python 3.14", "vi") == "something new in Python 3.14"
    assert argparse_message("argument --x: something new", "vi") == "đối số --x: something new"
