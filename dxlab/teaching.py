"""Student versions of teaching notebooks: the cells tagged ``solution`` taken out, every output cleared.

``python -m dxlab.teaching SRC_DIR OUT_DIR`` (``make student-notebooks``) writes to OUT_DIR a copy of every
notebook directly in SRC_DIR that has at least one cell tagged ``solution``. In the copy each run of
consecutive solution cells becomes one short "Đến lượt bạn / Your turn" Markdown cell (plus an empty code
cell to type into, when the run held code) — or disappears entirely with ``--strip``. A solution cell may
carry its own prompt in its metadata, ``{"dxlab": {"prompt": "Vẽ bản đồ các bên liên quan …"}}``, shown in
the placeholder. Outputs, execution counts, saved widget state (which can hold the answers) and the
``# NBVAL_…`` test markers are removed from every cell.

Student notebooks are exercises with gaps: cells after a gap use what the student writes there, so they are
not meant to run top to bottom unchanged (keep OUT_DIR out of the notebook tests).

Why our own code rather than nbgrader: nbgrader brings a course database, its own cell metadata and a
release workflow; a teacher here needs one tag and a copy. The notebooks are read and written with
:mod:`nbformat`, which Jupyter itself uses, so the copies are valid notebooks.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from ._cli_support import CliParser, add_lang, lang_from_argv, set_lang
from ._i18n import tr

__all__ = ["SOLUTION_TAG", "has_solutions", "make_student_notebooks", "student_notebook", "main"]

SOLUTION_TAG = "solution"
# Class notebooks are bilingual: each placeholder says it in Vietnamese, then in English (italic).
YOUR_TURN = f"**✏️ {tr('core.your_turn', 'vi')}** · *{tr('core.your_turn', 'en')}*"
CODE_HINT = f"{tr('core.code_hint', 'vi')} · *{tr('core.code_hint', 'en')}*"
TEXT_HINT = f"{tr('core.text_hint', 'vi')} · *{tr('core.text_hint', 'en')}*"
_NBVAL_MARKER = re.compile(r"^\s*#\s*NBVAL_[A-Z_]+\s*$")


def _is_solution(cell: NotebookNode) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def has_solutions(notebook: NotebookNode) -> bool:
    """Whether any cell of ``notebook`` is tagged ``solution``."""
    return any(_is_solution(cell) for cell in notebook.cells)


def _strip_markers(source: str) -> str:
    lines = source.splitlines()
    while lines and _NBVAL_MARKER.match(lines[0]):
        lines.pop(0)
    return "\n".join(lines)


def _clean(cell: NotebookNode) -> NotebookNode:
    cell = nbformat.from_dict(dict(cell))
    cell.metadata = nbformat.from_dict(
        {k: v for k, v in cell.get("metadata", {}).items() if k not in ("execution", "scrolled", "collapsed")}
    )
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
        cell.source = _strip_markers(cell.source)
    return cell


def _placeholder(run: list[NotebookNode], with_ids: bool) -> list[NotebookNode]:
    prompts = [c.get("metadata", {}).get("dxlab", {}).get("prompt", "") for c in run]
    prompt = " ".join(p.strip() for p in prompts if isinstance(p, str) and p.strip())
    has_code = any(c.cell_type == "code" for c in run)
    text = f"> {YOUR_TURN} — {CODE_HINT if has_code else TEXT_HINT}"
    if prompt:
        text += f"\n>\n> {prompt}"
    cells = [nbformat.v4.new_markdown_cell(text)]
    if has_code:
        cells.append(nbformat.v4.new_code_cell(""))
    base = str(run[0].get("id") or "solution")[:50]
    for cell, suffix in zip(cells, ("turn", "code")):
        if with_ids:
            cell["id"] = f"{base}-{suffix}"  # derived, not random: the same input gives the same file
        else:
            cell.pop("id", None)
    return cells


def student_notebook(notebook: NotebookNode, *, placeholder: bool = True) -> NotebookNode:
    """A copy of ``notebook`` for students: solution cells replaced (or removed), outputs cleared."""
    out = nbformat.from_dict(dict(notebook))
    with_ids = (notebook.get("nbformat", 4), notebook.get("nbformat_minor", 0)) >= (4, 5)
    cells: list[NotebookNode] = []
    run: list[NotebookNode] = []
    for cell in list(notebook.cells) + [None]:
        if cell is not None and _is_solution(cell):
            run.append(cell)
            continue
        if run and placeholder:
            cells += _placeholder(run, with_ids)
        run = []
        if cell is not None:
            cells.append(_clean(cell))
    out.cells = cells
    out.metadata = nbformat.from_dict({k: v for k, v in notebook.get("metadata", {}).items() if k != "widgets"})
    return out


def make_student_notebooks(
    src_dir: str | Path, out_dir: str | Path, *, placeholder: bool = True
) -> list[tuple[Path, int]]:
    """Write the student version of each notebook in ``src_dir`` that has solution cells.

    Returns ``(written path, number of solution cells taken out)`` pairs, in file-name order. Notebooks
    without solution cells are not copied. ``out_dir`` must differ from ``src_dir`` (the teacher's
    notebooks are never overwritten).
    """
    src, out = Path(src_dir), Path(out_dir)
    if not src.is_dir():
        raise FileNotFoundError(f"no such folder: {src}")
    if out.resolve() == src.resolve():
        raise ValueError(f"OUT_DIR {out} is SRC_DIR: student copies would overwrite the teacher's notebooks")
    written = []
    for path in sorted(src.glob("*.ipynb")):
        try:
            notebook = nbformat.read(path, as_version=4)
        except Exception as exc:  # nbformat raises several unrelated types for unreadable files
            raise ValueError(f"{path}: not a readable notebook: {exc}") from None
        if not has_solutions(notebook):
            continue
        count = sum(_is_solution(c) for c in notebook.cells)
        out.mkdir(parents=True, exist_ok=True)
        target = out / path.name
        nbformat.write(student_notebook(notebook, placeholder=placeholder), target)
        written.append((target, count))
    return written


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    lang = set_lang(lang_from_argv(words))
    parser = CliParser(prog="python -m dxlab.teaching", description=tr("cli.teaching", lang, tag=SOLUTION_TAG))
    parser.add_argument("src_dir", help=tr("cli.teaching_src", lang))
    parser.add_argument("out_dir", help=tr("cli.teaching_out", lang))
    parser.add_argument("--strip", action="store_true", help=tr("cli.teaching_no_placeholder", lang))
    add_lang(parser)
    args = parser.parse_args(words)
    try:
        written = make_student_notebooks(args.src_dir, args.out_dir, placeholder=not args.strip)
    except (ValueError, FileNotFoundError) as exc:
        print(tr("cli.teaching_error", lang, message=exc), file=sys.stderr)
        return 2
    if not written:
        print(tr("cli.teaching_nothing", lang, folder=args.src_dir, tag=SOLUTION_TAG))
    for path, count in written:
        print(tr("cli.teaching_wrote", lang, path=path, count=count))
    return 0


if __name__ == "__main__":
    sys.exit(main())
