"""The text catalogue is complete, and no user-facing text bypasses it.

Three checks on the catalogue itself (every key has a non-empty Vietnamese and English text, both with the
same placeholders; every key the code names literally exists) and one scan of the source. The scan is an AST
walk over ``dxlab/`` with one precise rule per way a user-facing text can bypass the catalogue:

1. ``print(...)`` of a string literal or f-string with words in it;
2. ``help=``, ``description=``, ``epilog=``, ``placeholder=``, ``tooltip=`` keywords (argparse and ipywidgets)
   and assignments to ``.description``, ``.placeholder``, ``.tooltip`` with such a literal;
3. in command modules (``cli.py``, ``*/_cli.py``), an exception raised with such a literal: the CLI prints it;
4. ``X if lang == "vi" else Y`` (or ``"en"``) choosing between literals;
5. any string literal holding Vietnamese letters (ă â đ ê ô ơ ư or a tone mark) outside a docstring: Vietnamese
   text lives in ``dxlab/i18n/*.yaml`` only, except in the data modules and constant tables listed in
   ``DATA_ALLOWED`` (official vocabularies, synthetic sample values, answer words the parser must recognise,
   the CX methods' own content tables, which are data like a rubric's descriptors).

``SCANNED`` switches the scan on per directory (a new package is scanned unless switched off here); the test
lists every remaining bypass with file, line and rule.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from pathlib import Path

import pytest

from dxlab._i18n import LANGS, catalogue, has_key, placeholders

ROOT = Path(__file__).resolve().parents[1] / "dxlab"

# Directory (relative to dxlab/) -> scanned. "." is the top-level modules of dxlab/.
SCANNED: dict[str, bool] = {
    ".": True,
    "cx": True,
    "plots": True,
    "questionnaire": True,
    "rubric": True,
    "scoring": True,
    "stats": True,
    "report": True,
    "ingest": True,
}

# Files not scanned at all, each with its reason (kept short on purpose).
FILES_ALLOWED: dict[str, str] = {
    "ingest/_cli.py": "help texts of dxlab clean / suggest-mapping not yet in ingest.yaml: migrate, then remove",
}

# Rule 5 exemptions: whole data modules, or (module, constant name) of module-level data tables.
DATA_ALLOWED: dict[str, tuple[str, ...] | None] = {
    "vocab.py": None,            # official VSIC names, provinces, size names
    "sample.py": None,           # synthetic response values (roles, provinces)
    "_text.py": None,            # folding đ -> d
    "scoring/_parse.py": None,   # the answer words the level parser recognises (có/không, Mức 3…)
    "rubric/_model.py": ("DEFAULT_NON_ANSWERS",),  # non-answer words respondents write, recognised on input
    "cx/_connected.py": ("EXPERIENCES", "QUESTIONS", "MYTHS", "ANSWER_SCALE", "PRESENT", "LINKS"),
    "cx/_hypothesis.py": ("PARTS",),
    "cx/_journey.py": ("STAGE_PRESETS", "EMOTION_LABELS"),
    "cx/_persona.py": ("EMPATHY_QUADRANTS", "_MORE", "SECTIONS"),
    "cx/_stakeholders.py": ("QUADRANTS",),
    "report/_labels.py": ("_SYNTHETIC_NAME",),  # the marker dxlab.sample writes into synthetic names
}
# Rule 5 exemptions by exact value: strings that hold Vietnamese letters but are not text for people.
LITERALS_ALLOWED: set[str] = {
    "ï..", "ï»¿",  # byte-order-mark debris in column names (ingest/_formats.py)
    "đ",           # folding đ -> d for duplicate keys (ingest/_clean.py)
    '# Add the codes this export uses under non_answers, e.g.  "Không trả lời": dont_know',  # mapping file
}

WIDGET_KEYWORDS = {"help", "description", "epilog", "placeholder", "tooltip"}
WIDGET_ATTRIBUTES = {"description", "placeholder", "tooltip"}
_VI = re.compile(r"[đĐ\u0300-\u0309\u031b\u0323]")  # after NFD: tone marks, breve, circumflex, horn, dot
_WORD = re.compile(r"[^\W\d_]{2,}")


def _files() -> list[Path]:
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        folder = "." if len(rel.parts) == 1 else rel.parts[0]
        if SCANNED.get(folder, True) and rel.as_posix() not in FILES_ALLOWED:
            out.append(path)
    return out


def _literal_text(node: ast.AST) -> str | None:
    """The literal words of a string constant or f-string (placeholders dropped), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts = [_literal_text(node.left), _literal_text(node.right)]
        return "".join(p for p in parts if p) if any(parts) else None
    return None


def _wordy(node: ast.AST) -> bool:
    text = _literal_text(node)
    return bool(text and _WORD.search(text))


def _vietnamese(text: str) -> bool:
    return bool(_VI.search(unicodedata.normalize("NFD", text)))


def _docstring_ids(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _allowed_data_nodes(tree: ast.Module, rel: str) -> set[int]:
    allowed = DATA_ALLOWED.get(rel, ())
    if allowed is None:
        return {id(n) for n in ast.walk(tree)}
    ids: set[int] = set()
    for stmt in tree.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(
            stmt, ast.AnnAssign) else []
        if any(isinstance(t, ast.Name) and t.id in allowed for t in targets):
            ids |= {id(n) for n in ast.walk(stmt)}
        if isinstance(stmt, ast.ClassDef):  # class-level tables, e.g. Persona.SECTIONS
            for inner in stmt.body:
                if isinstance(inner, ast.Assign) and any(isinstance(t, ast.Name) and t.id in allowed
                                                         for t in inner.targets):
                    ids |= {id(n) for n in ast.walk(inner)}
    return ids


def _is_lang_test(node: ast.AST) -> bool:
    return (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name) and node.left.id in ("lang", "code")
            and len(node.comparators) == 1 and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value in LANGS)


def _wordy_or_list(node: ast.AST) -> bool:
    """Words chosen by language; a bare identifier (a column name such as ``level_label_en``) is not text."""
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(_wordy_or_list(e) for e in node.elts)
    text = _literal_text(node)
    return _wordy(node) and not re.fullmatch(r"[a-z_][a-z0-9_]*", text or "")


def bypasses(path: Path) -> list[str]:
    """Every place in ``path`` where a user-facing text bypasses the catalogue, as ``file:line: rule``."""
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs, data = _docstring_ids(tree), _allowed_data_nodes(tree, rel)
    command_module = rel == "cli.py" or path.name == "_cli.py"
    found = []

    def hit(node: ast.AST, rule: str) -> None:
        found.append(f"dxlab/{rel}:{node.lineno}: {rule}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id == "print" and any(_wordy(a) for a in node.args):
                hit(node, "1 print of a literal")
            for kw in node.keywords:
                if kw.arg in WIDGET_KEYWORDS and _wordy(kw.value):
                    hit(kw.value, f"2 {kw.arg}= literal")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr in WIDGET_ATTRIBUTES and _wordy(node.value):
                    hit(node, f"2 .{target.attr} = literal")
        elif isinstance(node, ast.Raise) and command_module and isinstance(node.exc, ast.Call):
            if any(_wordy(a) for a in node.exc.args):
                hit(node, "3 CLI error from a literal")
        elif isinstance(node, ast.IfExp) and _is_lang_test(node.test):
            if _wordy_or_list(node.body) or _wordy_or_list(node.orelse):
                hit(node, "4 literal chosen by lang")
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
              and id(node) not in data and node.value not in LITERALS_ALLOWED and _vietnamese(node.value)):
            hit(node, "5 Vietnamese literal outside the catalogue")
    return found


# -- the catalogue --------------------------------------------------------------------------------------------
ENTRIES = catalogue()


def test_catalogue_is_loaded():
    domains = {key.split(".")[0] for key in ENTRIES}
    assert {"core", "cli", "questionnaire", "cx", "plots", "scoring"} <= domains


@pytest.mark.parametrize("key", sorted(ENTRIES))
def test_every_key_has_both_languages_with_the_same_placeholders(key):
    texts = ENTRIES[key]
    assert all(texts[lang].strip() for lang in LANGS), f"{key}: empty text"
    assert placeholders(texts["vi"]) == placeholders(texts["en"]), f"{key}: placeholders differ"
    assert texts["vi"].count("{}") == texts["en"].count("{}"), f"{key}: positional placeholders differ"


# Helpers that prefix the key they are given; (file, helper) -> prefix.
PREFIXED = {
    ("questionnaire/_widgets.py", "_ui"): "questionnaire.",
    ("questionnaire/_result.py", "_t"): "questionnaire.result_",
    ("questionnaire/classroom.py", "_t"): "questionnaire.class_",
}
DIRECT = {"tr", "say", "fail", "pick"}


def _used_keys() -> list[tuple[str, int, str]]:
    used = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            prefix = PREFIXED.get((rel, node.func.id))
            if prefix is not None:
                used.append((rel, node.lineno, prefix + first.value))
            elif node.func.id in DIRECT and re.fullmatch(r"[a-z]+\.[a-z0-9_]+", first.value):
                used.append((rel, node.lineno, first.value))
    return used


def test_every_key_named_in_the_code_is_in_the_catalogue():
    used = _used_keys()
    assert len(used) > 150  # the scan finds the calls (a broken scan must not pass silently)
    missing = [f"dxlab/{rel}:{line}: {key}" for rel, line, key in used if not has_key(key)]
    assert not missing, "keys used but not in dxlab/i18n/*.yaml:\n" + "\n".join(missing)


def test_keys_built_from_names_exist():
    from dxlab.questionnaire._validate import FIELD_NAMES, PROBLEM_KEYS
    from dxlab.questionnaire._vsic import ROLE_KEYS

    built = ([f"questionnaire.problem_{k}" for k in PROBLEM_KEYS] + [f"questionnaire.field_{k}" for k in FIELD_NAMES]
             + [f"questionnaire.role_{k}" for k in ROLE_KEYS] + [f"scoring.dbi_level_{k}" for k in range(6)]
             + [f"scoring.dma_band_{k}" for k in range(1, 5)])
    assert [k for k in built if not has_key(k)] == []


# -- the scan -------------------------------------------------------------------------------------------------
def test_no_user_facing_literal_bypasses_the_catalogue():
    files = _files()
    assert any(p.name == "_widgets.py" for p in files) and any(p.parts[-2] == "cx" for p in files)
    found = [line for path in files for line in bypasses(path)]
    assert not found, "user-facing text outside the catalogue:\n" + "\n".join(found)


@pytest.mark.parametrize("source, rule", [
    ('print("wrote the file")', "1 print"),
    ('print(f"wrote {path}")', "1 print"),
    ('parser.add_argument("--x", help="the x")', "2 help="),
    ('w = widgets.Text(description="Name")', "2 description="),
    ('button.tooltip = "Save it"', "2 .tooltip"),
    ('label = "Mức" if lang == "vi" else "Level"', "4 literal chosen"),
    ('head = ["Tên"] if lang == "vi" else ["Name"]', "4 literal chosen"),
    ('TEXT = {"save": ("Lưu", "Save")}', "5 Vietnamese"),
])
def test_the_scan_catches_each_kind_of_bypass(tmp_path, monkeypatch, source, rule):
    path = ROOT / "questionnaire" / "_probe_for_test.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert any(rule in line for line in bypasses(path)), bypasses(path)


@pytest.mark.parametrize("source", [
    'print(tr("cli.wrote", lang, paths=p))',
    'print(frame.to_string())',
    'print(f"{a} — {b}")',
    'raise ValueError(tr("cli.file_missing", lang, path=p))',
    'def f():\n    """Mức 3 là Hình thành."""',
])
def test_the_scan_lets_catalogue_texts_through(monkeypatch, source):
    path = ROOT / "questionnaire" / "_probe_for_test.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert bypasses(path) == []


def test_cli_errors_are_caught_in_command_modules(monkeypatch):
    path = ROOT / "cx" / "_cli.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: 'raise ValueError(f"{x}: no figure")')
    assert any("3 CLI error" in line for line in bypasses(path))


def test_the_key_scan_sees_calls_through_every_helper():
    used = {(rel, key) for rel, _, key in _used_keys()}
    assert ("cli.py", "cli.rubric_unknown") in used                    # tr(...)
    assert ("cx/_cli.py", "cli.cx_no_figure") in used                  # fail(...)
    assert ("questionnaire/_widgets.py", "questionnaire.submit") in used  # _ui(...) with its prefix
    assert ("questionnaire/_result.py", "questionnaire.result_level_rule") in used
    assert any(rel.startswith("cx/") and key.startswith("cx.") for rel, key in used)  # pick("cx.…")
