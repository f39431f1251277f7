"""Student notebooks: solution cells replaced or stripped, outputs and saved widget state cleared."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from dxlab.teaching import SOLUTION_TAG, has_solutions, main, make_student_notebooks, student_notebook

from .conftest import ROOT


def solution(cell):
    cell.metadata["tags"] = [SOLUTION_TAG]
    return cell


def teacher_notebook():
    cells = [
        new_markdown_cell("# Bài tập"),
        new_code_cell("# NBVAL_CHECK_OUTPUT\nx = 1\nprint(x)", execution_count=1,
                      outputs=[new_output("stream", name="stdout", text="1\n")]),
        solution(new_code_cell("answer = 42  # lời giải", execution_count=2,
                               outputs=[new_output("execute_result", data={"text/plain": "42"}, execution_count=2)])),
        solution(new_markdown_cell("Đáp án: 42")),
        new_code_cell("print(answer)", execution_count=3, outputs=[new_output("stream", name="stdout", text="42\n")]),
        solution(new_markdown_cell("Thảo luận: vì sao 42?")),
        new_markdown_cell("Hết."),
    ]
    cells[-2].metadata["dxlab"] = {"prompt": "Giải thích con số."}
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    nb = new_notebook(cells=cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"answer": 42}}}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_solution_cells_become_your_turn_cells():
    nb = teacher_notebook()
    assert has_solutions(nb)
    student = student_notebook(nb)
    nbformat.validate(student)
    kinds = [(c.cell_type, c.source.splitlines()[0] if c.source else "") for c in student.cells]
    assert kinds[0] == ("markdown", "# Bài tập")
    assert kinds[1] == ("code", "x = 1")  # the NBVAL marker is gone
    # the code and markdown solutions in a row become one prompt and one empty code cell
    assert student.cells[2].cell_type == "markdown" and "Đến lượt bạn" in student.cells[2].source
    assert "Your turn" in student.cells[2].source and "code" in student.cells[2].source
    assert student.cells[3].cell_type == "code" and student.cells[3].source == ""
    assert student.cells[4].source == "print(answer)"
    # a markdown-only solution becomes a prompt without a code cell, with the teacher's own prompt
    assert student.cells[5].cell_type == "markdown" and "Giải thích con số." in student.cells[5].source
    assert "Write your answer here" in student.cells[5].source
    assert student.cells[6].source == "Hết."
    assert len(student.cells) == 7


def test_nothing_of_the_solutions_is_left():
    student = student_notebook(teacher_notebook())
    text = nbformat.writes(student)
    for secret in ("42", "lời giải", "Đáp án", "vì sao"):
        assert secret not in text
    assert not any(SOLUTION_TAG in c.metadata.get("tags", []) for c in student.cells)
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")
    assert "widgets" not in student.metadata
    assert student.metadata["kernelspec"]["name"] == "python3"


def test_strip_removes_without_placeholder():
    student = student_notebook(teacher_notebook(), placeholder=False)
    assert [c.source for c in student.cells] == ["# Bài tập", "x = 1\nprint(x)", "print(answer)", "Hết."]


def test_teacher_notebook_is_not_changed():
    nb = teacher_notebook()
    before = nbformat.writes(nb)
    student_notebook(nb)
    assert nbformat.writes(nb) == before


def test_make_student_notebooks_copies_only_notebooks_with_solutions(tmp_path):
    src, out = tmp_path / "notebooks", tmp_path / "notebooks" / "student"
    write(teacher_notebook(), src / "08-workshop.ipynb")
    write(new_notebook(cells=[new_code_cell("1 + 1")]), src / "01-plain.ipynb")
    written = make_student_notebooks(src, out)
    assert written == [(out / "08-workshop.ipynb", 3)]
    assert sorted(p.name for p in out.iterdir()) == ["08-workshop.ipynb"]
    first = (out / "08-workshop.ipynb").read_bytes()
    make_student_notebooks(src, out)  # a second run (which also sees OUT_DIR inside SRC_DIR) is identical
    assert (out / "08-workshop.ipynb").read_bytes() == first
    assert sorted(p.name for p in out.iterdir()) == ["08-workshop.ipynb"]
    nbformat.validate(nbformat.read(out / "08-workshop.ipynb", as_version=4))


def test_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        make_student_notebooks(tmp_path / "missing", tmp_path / "out")
    with pytest.raises(ValueError, match="would overwrite the teacher's notebooks"):
        make_student_notebooks(tmp_path, tmp_path / ".")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.ipynb: not a readable notebook"):
        make_student_notebooks(tmp_path, tmp_path / "out")


def test_command_line(tmp_path, capsys):
    src = tmp_path / "nb"
    write(teacher_notebook(), src / "a.ipynb")
    assert main([str(src), str(tmp_path / "student"), "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("wrote ") and "a.ipynb (3 solution cell(s) taken out)" in printed
    assert main([str(src), str(tmp_path / "student-vi"), "--lang", "vi"]) == 0
    assert "(đã bỏ 3 ô lời giải)" in capsys.readouterr().out
    assert main([str(src), str(tmp_path / "bare"), "--strip"]) == 0
    stripped = nbformat.read(tmp_path / "bare" / "a.ipynb", as_version=4)
    assert not any("Đến lượt bạn" in c.source for c in stripped.cells)
    assert main([str(tmp_path / "nowhere"), str(tmp_path / "x"), "--lang", "en"]) == 2
    assert "error" in capsys.readouterr().err
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main([str(empty), str(tmp_path / "y"), "--lang", "en"]) == 0
    assert "nothing written" in capsys.readouterr().out


def test_the_cx_workshop_notebook_has_a_student_version(tmp_path):
    notebook = ROOT / "notebooks" / "08-cx-workshop.ipynb"
    if not notebook.exists():
        pytest.skip("notebooks/08-cx-workshop.ipynb is not there")
    written = make_student_notebooks(notebook.parent, tmp_path)
    names = [path.name for path, _ in written]
    assert "08-cx-workshop.ipynb" in names
    student = nbformat.read(tmp_path / "08-cx-workshop.ipynb", as_version=4)
    teacher = nbformat.read(notebook, as_version=4)
    solutions = [c for c in teacher.cells if SOLUTION_TAG in c.metadata.get("tags", [])]
    assert len(solutions) >= 5
    text = nbformat.writes(student)
    assert "Đến lượt bạn" in text
    for cell in solutions:
        if cell.cell_type == "code" and len(cell.source) > 80:
            assert cell.source not in text
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
