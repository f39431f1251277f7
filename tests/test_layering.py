"""The package's layering: the import-linter contract holds (and would catch a violation), no module imports a
private name of another package, the CX records do not import their editors, and the moved modules keep
their old import paths."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DXLAB = REPO / "dxlab"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# dxlab's own ground-floor modules: private to the package dxlab, shared by all its sub-packages.
GROUND = {"_i18n", "_paths", "_text", "_cli_support"}


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(REPO / "pyproject.toml")], cwd=root,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_import_contract_is_kept():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_import_contract_catches_an_upward_import(tmp_path):
    shutil.copytree(DXLAB, tmp_path / "dxlab", ignore=shutil.ignore_patterns("__pycache__", "data"))
    scoring = tmp_path / "dxlab" / "scoring" / "_gaps.py"
    scoring.write_text(scoring.read_text(encoding="utf-8") + "\nfrom ..plots import radar  # upward\n",
                       encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "dxlab.scoring._gaps -> dxlab.plots" in result.stdout


def _private_imports(path: Path) -> list[str]:
    rel = path.relative_to(DXLAB)
    own = rel.parts[0] if len(rel.parts) > 1 else None
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level == 0 and node.module and node.module.startswith("dxlab."):
            parts = node.module.split(".")[1:]
        elif node.level >= 1 and node.module:
            base = list(rel.parts[:-1])[: len(rel.parts) - node.level]
            parts = base + node.module.split(".")
        else:
            continue
        package, rest = parts[0], parts[1:]
        private = [p for p in rest if p.startswith("_")]
        names = [a.name for a in node.names if a.name.startswith("_") and a.name != "__all__"]
        if package == own:
            continue
        if package in GROUND and not rest:
            continue
        if private or (names and package not in GROUND) or (package.startswith("_") and package not in GROUND):
            found.append(f"{rel}:{node.lineno}: from {'.' * node.level}{node.module} import "
                         f"{', '.join(a.name for a in node.names)}")
    return found


def test_no_module_imports_a_private_name_of_another_package():
    found = [line for path in sorted(DXLAB.rglob("*.py")) for line in _private_imports(path)]
    # ingest/_vocab.py is the thin re-export of dxlab.vocab kept for the ingest branch.
    assert found == [], "\n".join(found)


def test_the_scan_sees_a_private_import(tmp_path, monkeypatch):
    path = DXLAB / "report" / "_probe.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: "from ..plots._heatmap import _annotate\n")
    assert _private_imports(path) == ["report/_probe.py:1: from ..plots._heatmap import _annotate"]


def test_cx_records_load_without_their_editors():
    code = ("import sys, dxlab.cx as cx; cx.StakeholderMap([cx.Stakeholder('A', 1, 1)]).to_markdown();"
            "print('dxlab.cx._editors' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                         env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert out.stdout.split() == ["False", "False"], out.stderr


def test_editors_are_chosen_by_record_type():
    pytest.importorskip("ipywidgets")
    import dxlab.cx as cx

    people = cx.StakeholderMap([cx.Stakeholder("Giám đốc", 8, 9)])
    editor = cx.open_editor(people, preview=False)
    assert type(editor).__name__ == "CxEditor" and editor.value == people
    assert cx.open_editor.dispatch(cx.Persona) is not cx.open_editor.dispatch(cx.FiveWhys)
    blank = cx.Persona.editor(preview=False)
    assert blank.value is None or isinstance(blank.value, cx.Persona)
    with pytest.raises(TypeError, match="editor for int|trình soạn thảo cho int"):
        cx.open_editor(3)


def test_classroom_lives_under_questionnaire_and_the_old_name_still_works():
    import dxlab.classroom as alias
    from dxlab.questionnaire import classroom

    assert alias.summary is classroom.summary and alias.ClassSummary is classroom.ClassSummary
    assert "from .classroom import" in (DXLAB / "questionnaire" / "_cli.py").read_text(encoding="utf-8")


def test_vocab_is_one_definition():
    import dxlab.ingest._vocab as old
    from dxlab import vocab
    from dxlab.questionnaire import _store, _vsic
    from dxlab.scoring import _schemes

    assert old.VSIC_SECTIONS is vocab.VSIC_SECTIONS and old.CORE_COLUMNS is vocab.CORE_COLUMNS
    assert _vsic.SIZES is vocab.SIZE_NAMES and tuple(vocab.SIZE_NAMES) == vocab.SIZE_CLASSES
    assert _schemes.META_COLUMNS is vocab.SCORE_META_COLUMNS
    assert vocab.CORE_COLUMNS == ("response_id", "enterprise_id", "submitted_at", "wave", "sector", "size",
                                  "province", "respondent_role", "weight")
    assert set(vocab.SCORE_META_COLUMNS).isdisjoint({"email", "phone", "respondent_name"})
    # The store's frame has the response columns plus its own bookkeeping.
    assert set(vocab.CORE_COLUMNS) - {"weight"} <= set(_store.META_COLUMNS)
    assert vocab.size_name("micro", "vi") == "Siêu nhỏ" and vocab.sector_name("G", "en").startswith("Wholesale")
    with pytest.raises(ValueError, match="không phải là một quy mô"):
        vocab.size_name("giant", "vi")


def test_renderers_are_chosen_by_record_type():
    import dxlab.cx as cx

    people = cx.StakeholderMap([cx.Stakeholder("Giám đốc", 8, 9)])
    assert cx.render_markdown(people, "en").startswith("## Stakeholder map")
    assert cx.render_html(people, "vi") == people.to_html("vi")
    whys = cx.FiveWhys("Khách bỏ giỏ hàng", [cx.WhyStep("Phí giao hàng cao")])
    assert cx.render_figure.dispatch(cx.FiveWhys) is cx.render_figure.registry[object]  # a chain has no figure
    with pytest.raises(TypeError, match="has no figure|không có hình"):
        cx.render_figure(whys, lang="en")
    with pytest.raises(TypeError, match="not a CX record|không phải là một bản ghi CX"):
        cx.render_markdown("text", "en")
