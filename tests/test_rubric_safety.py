"""Rubric files are input too: limits on size, nesting and aliases, short errors that name the file and place,
and rubric text escaped wherever it is shown as Markdown/HTML. Also the format's non-answers and reverse keys."""

from __future__ import annotations

import time

import pytest

import dxlab
from dxlab.cli import main as cli_main
from dxlab.rubric import MAX_RUBRIC_BYTES, NonAnswer, RubricError

from .conftest import criterion, rubric_dict, write_rubric

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def one_dimension(**crit_extra) -> dict:
    return rubric_dict([{"id": "CUS", "title": "Khách hàng", "groups": [
        {"id": "CUS.ENG", "title": "Gắn kết", "criteria": [criterion("CUS.ENG.1", **crit_extra),
                                                           criterion("CUS.ENG.2")]}]}])


def refused(path) -> RubricError:
    with pytest.raises(RubricError) as info:
        dxlab.load_rubric(path)
    message = str(info.value)
    # at most 30 problems of at most 240 characters each are shown, whatever the file holds
    assert str(path) in message and len(message) < 31 * 245, message[:300]
    return info.value


def test_alias_bomb_is_refused_without_expanding_it(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    error = refused(path)
    assert "aliases expand to more than" in str(error) and "line " in error.problems[0][0]


def test_modest_aliases_are_still_fine(tmp_path):
    data = one_dimension()
    text = write_rubric(tmp_path, data).read_text(encoding="utf-8")
    text = text.replace("title:\n  vi: Bộ thử", "title: &t\n  vi: Bộ thử", 1) + "description: *t\n"
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    assert dxlab.load_rubric(path).description.vi == "Bộ thử"


@pytest.mark.parametrize("text", ["[" * 10_000 + "]" * 10_000, "a:\n" + "".join(" " * i + f"k{i}:\n" for i in
                                                                                    range(1, 1000))])
def test_deep_nesting_is_a_short_error_not_a_recursion_error(tmp_path, text):
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    error = refused(path)
    assert "nested more than" in str(error) or "not valid YAML" in str(error)


def test_a_folder_named_yaml_is_a_clear_error(tmp_path):
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    assert "is a folder, not a rubric file" in str(refused(folder))


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"id: x\n# " + b"x" * (60 * 2**20) + b"\n")
    start = time.perf_counter()
    error = refused(path)
    elapsed = time.perf_counter() - start
    assert f"at most {MAX_RUBRIC_BYTES / 1e6:.0f} MB" in str(error)
    assert elapsed < 5  # generous: it only stats the file (a wall-clock bound, not a benchmark)


def test_huge_values_and_many_problems_give_a_short_message(tmp_path):
    data = one_dimension(weight="w" * 1_000_000)
    data["dimensions"][0]["groups"][0]["criteria"] += [criterion(f"CUS.ENG.{i}", answer=f"bad{i}")
                                                       for i in range(3, 200)]
    error = refused(write_rubric(tmp_path, data))
    assert len(error.problems) > 190 and "more problems" in str(error)
    assert "dimensions[0].groups[0].criteria[0].weight" in str(error)


def test_validate_command_prints_a_short_error_for_a_bomb(tmp_path, capsys):
    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert cli_main(["rubric", "validate", str(path)]) == 1
    captured = capsys.readouterr()
    assert len(captured.out) + len(captured.err) < 2000 and "bomb.yaml" in captured.out + captured.err


def test_rubric_text_is_escaped_in_markdown(tmp_path, capsys):
    data = one_dimension(text={"vi": "<script>alert('vi')</script>", "en": "[click](javascript:alert(1))"})
    data["title"] = {"vi": "<img src=x onerror=alert(1)>", "en": "T | x"}
    data["levels"][0]["aliases"] = ["<b>bold</b>"]
    path = write_rubric(tmp_path, data)
    rubric = dxlab.load_rubric(path)
    for markdown in (rubric._repr_markdown_(), rubric.to_markdown("en"), rubric.to_markdown("vi")):
        assert "<script" not in markdown and "<img" not in markdown and "<b>" not in markdown
        assert "[click](" not in markdown.replace("\\[click\\](", "")  # brackets escaped: no link
    assert "&lt;script&gt;" in rubric._repr_markdown_() and "T \\| x" in rubric.to_markdown("en")
    assert cli_main(["rubric", "show", str(path)]) == 0
    assert "<script" not in capsys.readouterr().out


def test_non_answers_and_reverse_load(tmp_path):
    data = one_dimension(reverse=True, non_answers={"Không áp dụng": "not_applicable"})
    data["non_answers"] = {"Không biết": "dont_know"}
    rubric = dxlab.load_rubric(write_rubric(tmp_path, data))
    assert rubric.reverse_items == ("CUS.ENG.1",)
    assert list(rubric.criteria["reverse"]) == [True, False]
    assert rubric.non_answers == (NonAnswer("Không biết", "dont_know"),)
    assert rubric.non_answers_for("CUS.ENG.1") == (NonAnswer("Không áp dụng", "not_applicable"),
                                                   NonAnswer("Không biết", "dont_know"))
    assert rubric.non_answers_for("CUS.ENG.2") == (NonAnswer("Không biết", "dont_know"),)
    assert "reverse-keyed" in rubric.to_markdown("en") and "Không áp dụng" in rubric.to_markdown("en")


def test_defaults_cover_the_common_codes_and_can_be_switched_off(tmp_path):
    rubric = dxlab.load_rubric(write_rubric(tmp_path, one_dimension()))
    texts = {c.text for c in rubric.non_answers}
    assert {"Chưa áp dụng", "Không áp dụng", "Không rõ", "Không biết", "N/A", "Unfamiliar (N/A)",
            "Don't know"} <= texts
    data = one_dimension()
    data["non_answers"] = {}
    assert dxlab.load_rubric(write_rubric(tmp_path, data, "none.yaml")).non_answers == ()


@pytest.mark.parametrize("change, path, words", [
    (lambda d: d.update(non_answers={"Không biết": "maybe"}), "non_answers['Không biết']", "must be one of"),
    (lambda d: d.update(non_answers=["Không biết"]), "non_answers", "expected a mapping"),
    (lambda d: d.update(non_answers={"Khởi tạo": "dont_know"}), "non_answers['Khởi tạo']", "reads like level 1"),
    (lambda d: d.update(non_answers={3: "dont_know"}), "non_answers['3']", "reads like level 3"),
    (lambda d: d.update(non_answers={"N/A": "dont_know", "n.a": "dont_know"}), "non_answers['n.a']", "twice"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(reverse="yes"),
     "dimensions[0].groups[0].criteria[0].reverse", "true or false"),
    (lambda d: d["dimensions"][0]["groups"][0]["criteria"][0].update(reverse=True, answer="yes_no"),
     "dimensions[0].groups[0].criteria[0].reverse", "only 'level' criteria"),
])
def test_bad_non_answers_and_reverse_are_named(tmp_path, change, path, words):
    data = one_dimension()
    change(data)
    error = refused(write_rubric(tmp_path, data))
    assert any(p == path and words in m for p, m in error.problems), error.problems


def test_every_key_of_the_format_is_documented():
    from dxlab.rubric._loader import _CRIT_KEYS, _TOP_KEYS

    from .conftest import ROOT

    docs = (ROOT / "docs" / "rubric-format.md").read_text(encoding="utf-8")
    for key in sorted(_TOP_KEYS | _CRIT_KEYS):
        assert f"| `{key}`" in docs or f"`{key}` |" in docs, key
    for words in ("not_applicable", "dont_know", "allow_partial=True", "--allow-partial", "respondent_id",
                  "min + max − answer", "min_answered"):
        assert words in docs, words


@pytest.mark.parametrize("text, words", [("", "the file is empty"), ("!!python/object/apply:os.system ['id']\n",
                                                                      "could not determine a constructor"),
                                         ("id: x\n\t- bad", "line 2, column 1: not valid YAML")])
def test_other_bad_files_name_file_and_place(tmp_path, text, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert words in str(refused(path))
