"""Load rubrics from YAML and validate them.

Only ``yaml.safe_load`` is used: a rubric file is data and nothing in it is ever executed. Every problem is
reported with the file, the path inside it (``dimensions[2].groups[0].criteria[1].levels``) and what is
wrong, and all problems are collected before raising, so one run shows them all.
"""

from __future__ import annotations

import math
import re
import reprlib
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .._text import fold
from ._model import (
    ANSWER_TYPES,
    DEFAULT_NON_ANSWERS,
    NON_ANSWER_MEANINGS,
    PILLARS,
    PROVENANCES,
    Criterion,
    Dimension,
    Group,
    Level,
    NonAnswer,
    Rubric,
    Text,
)

__all__ = [
    "MAX_RUBRIC_BYTES",
    "RubricError",
    "list_rubrics",
    "load_rubric",
    "non_answer_key",
    "parse_non_answers",
    "validate_rubric_file",
]

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
DEFAULT_BOUNDS = (20.0, 40.0, 60.0, 80.0)
# A rubric is a few hundred kilobytes at most (the shipped ones are under 100 kB); anything far larger is
# not a rubric, and refusing it before reading keeps `dxlab rubric validate` instant.
MAX_RUBRIC_BYTES = 2_000_000
MAX_DEPTH = 40  # the format nests 9 levels; deeper is a mistake or an attack
MAX_EXPANDED_NODES = 200_000  # YAML aliases may repeat a node, but not into a "billion laughs"
_SHOWN_PROBLEMS = 30
_MESSAGE_CHARS = 240


def _clip(text: str, width: int = _MESSAGE_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class RubricError(ValueError):
    """A rubric file is not valid. ``problems`` lists (path inside the file, message) pairs.

    The message names the file and the place of each problem, is clipped to a few lines per problem and
    lists at most 30 problems, so that no input can make it huge.
    """

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        self.file = file
        self.problems = problems
        lines = [_clip(f"{file}: {path or '<top>'}: {msg}") for path, msg in problems[:_SHOWN_PROBLEMS]]
        if len(problems) > _SHOWN_PROBLEMS:
            lines.append(f"… and {len(problems) - _SHOWN_PROBLEMS} more problems")
        super().__init__(
            f"invalid rubric ({len(problems)} problem{'s' * (len(problems) != 1)}):\n  " + "\n  ".join(lines)
        )


def _short(value: object) -> str:
    """A value as it may appear in a message: its repr, clipped."""
    return _clip(reprlib.repr(value), 80)


class _LimitError(Exception):
    def __init__(self, where: str, message: str):
        super().__init__(message)
        self.where, self.message = where, message


def _mark(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class _SafeLimitedLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` that refuses deep nesting and alias expansion past fixed limits, while composing
    (before any value is built), so neither a RecursionError nor a "billion laughs" can happen."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0
        self._sizes: dict[int, int] = {}

    def _size(self, node: yaml.Node) -> int:
        key = id(node)
        if key not in self._sizes:
            self._sizes[key] = 0  # a recursive alias counts once
            if isinstance(node, yaml.SequenceNode):
                size = 1 + sum(self._size(child) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                size = 1 + sum(self._size(k) + self._size(v) for k, v in node.value)
            else:
                size = 1
            self._sizes[key] = size
        return self._sizes[key]

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            node = super().compose_node(parent, index)
            self._nodes += self._size(node) if node is not None else 0
            if self._nodes > MAX_EXPANDED_NODES:
                raise _LimitError(
                    _mark(mark),
                    f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} values; a rubric does not need that many",
                )
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _LimitError(_mark(self.peek_event().start_mark), f"nested more than {MAX_DEPTH} levels deep")
        try:
            self._nodes += 1
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _safe_yaml(text: str, file: str) -> Any:
    loader = _SafeLimitedLoader(text)
    try:
        return loader.get_single_data()
    except _LimitError as exc:
        raise RubricError(file, [(exc.where, exc.message)]) from None
    except yaml.YAMLError as exc:
        where = _mark(getattr(exc, "problem_mark", None))
        raise RubricError(file, [(where, f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]) from None
    except RecursionError:  # belt and braces: MAX_DEPTH stops nesting long before this
        raise RubricError(file, [("", "nested too deeply")]) from None
    finally:
        loader.dispose()


def non_answer_key(text: str) -> str:
    """The folded form under which answers are compared with non-answer codes: case, tone marks and
    punctuation ignored ("N/A", "n/a" and "N.A." alike; "Không biết" and "khong biet" alike)."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(str(text))).split())


def parse_non_answers(node: Any, where: str, fail: Any) -> tuple[NonAnswer, ...]:
    """Read a ``non_answers`` mapping (code → ``not_applicable`` or ``dont_know``); ``fail(path, message)``
    is called for each problem. Shared by rubric files and column-mapping files."""
    if node is None:
        return ()
    if not isinstance(node, dict):
        fail(where, f"expected a mapping code → meaning ({', '.join(NON_ANSWER_MEANINGS)}), got {type(node).__name__}")
        return ()
    out = []
    for text, meaning in node.items():
        path = f"{where}[{_short(text)}]"
        if not isinstance(text, (str, int, float)) or isinstance(text, bool) or not non_answer_key(str(text)):
            fail(path, "a non-answer code must be a non-empty text")
            continue
        if meaning not in NON_ANSWER_MEANINGS:
            fail(path, f"meaning must be one of {list(NON_ANSWER_MEANINGS)}, got {_short(meaning)}")
            continue
        out.append(NonAnswer(str(text).strip(), meaning))
    return tuple(out)


class _Checker:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[tuple[str, str]] = []

    def fail(self, path: str, msg: str) -> None:
        self.problems.append((path, msg))

    def mapping(self, node: Any, path: str) -> dict:
        if not isinstance(node, dict):
            self.fail(path, f"expected a mapping, got {type(node).__name__}")
            return {}
        return node

    def seq(self, node: Any, path: str) -> list:
        if not isinstance(node, list):
            self.fail(path, f"expected a list, got {type(node).__name__}")
            return []
        return node

    def required(self, node: dict, key: str, path: str) -> Any:
        if key not in node or node[key] is None:
            self.fail(_join(path, key), "is missing")
            return None
        return node[key]

    def text(self, node: Any, path: str, *, required: bool = True) -> Text:
        if node is None:
            if required:
                self.fail(path, "is missing")
            return Text()
        if isinstance(node, str):
            return Text(vi=node.strip())
        if isinstance(node, dict):
            unknown = set(node) - {"vi", "en"}
            if unknown:
                self.fail(path, f"unknown language key(s) {_short(sorted(map(str, unknown)))}; use 'vi' and 'en'")
            vi, en = node.get("vi") or "", node.get("en") or ""
            if not isinstance(vi, str) or not isinstance(en, str):
                self.fail(path, "texts must be strings")
                return Text()
            if required and not (vi.strip() or en.strip()):
                self.fail(path, "is empty")
            return Text(vi=vi.strip(), en=en.strip())
        self.fail(path, f"expected a text or a mapping with 'vi'/'en', got {type(node).__name__}")
        return Text()

    def unknown_keys(self, node: dict, valid: set[str], path: str) -> None:
        for key in sorted(set(map(str, node)) - valid):
            self.fail(_join(path, _clip(key, 80)), f"unknown key; valid keys are {sorted(valid)}")

    def whole(self, node: dict, key: str, path: str, default: int) -> int:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(_join(path, key), f"must be a whole number (a level), got {_short(value)}")
            return default
        return value

    def positive(self, node: dict, key: str, path: str, default: float = 1.0) -> float:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
            self.fail(_join(path, key), f"must be a positive number, got {_short(value)}")
            return default
        return float(value)

    def ident(self, node: dict, path: str, seen: dict[str, str], prefix: str = "") -> str:
        raw = self.required(node, "id", path)
        if raw is None:
            return ""
        ident = str(raw)
        last = ident.rsplit(".", 1)[-1]
        if not _ID.match(last) and not last.isdigit():
            self.fail(_join(path, "id"), f"{_short(ident)} must be ASCII letters, digits or '_'")
        if prefix and not ident.startswith(prefix + "."):
            self.fail(_join(path, "id"), f"{_short(ident)} must start with its parent's id {prefix + '.'!r}")
        if ident in seen:
            self.fail(_join(path, "id"), f"duplicate id {_short(ident)} (first used at {seen[ident]})")
        else:
            seen[ident] = _join(path, "id")
        return ident


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


_TOP_KEYS = {"id", "title", "version", "source", "description", "levels", "dimensions", "non_answers"}
_DIM_KEYS = {"id", "title", "description", "weight", "pillar", "groups"}
_GROUP_KEYS = {"id", "title", "description", "weight", "criteria"}
_CRIT_KEYS = {
    "id",
    "text",
    "description",
    "answer",
    "bounds",
    "weight",
    "multiplier",
    "levels",
    "provenance",
    "yes_level",
    "no_level",
    "reverse",
    "non_answers",
}


def _build(data: Any, file: str) -> Rubric:
    ck = _Checker(file)
    if data is None:
        raise RubricError(file, [("", "the file is empty")])
    top = ck.mapping(data, "")
    if not top:
        raise RubricError(file, ck.problems or [("", "the file is empty")])
    ck.unknown_keys(top, _TOP_KEYS, "")
    rubric_id = str(ck.required(top, "id", "") or "")
    title = ck.text(top.get("title"), "title")
    version = str(ck.required(top, "version", "") or "")
    source = str(top.get("source") or "")

    levels: list[Level] = []
    level_values: set[int] = set()
    for i, node in enumerate(ck.seq(ck.required(top, "levels", ""), "levels")):
        path = _join("levels", i)
        node = ck.mapping(node, path)
        value = node.get("value")
        if isinstance(value, bool) or not isinstance(value, int):
            ck.fail(_join(path, "value"), f"must be a whole number, got {_short(value)}")
            continue
        if value in level_values:
            ck.fail(_join(path, "value"), f"duplicate level {value}")
        level_values.add(value)
        label = Text(vi=str(node.get("vi") or "").strip(), en=str(node.get("en") or "").strip())
        if not label.vi or not label.en:
            ck.fail(path, "a level needs both 'vi' and 'en' labels")
        aliases = node.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            ck.fail(_join(path, "aliases"), "must be a list of strings")
            aliases = []
        levels.append(Level(value=value, code=str(node.get("code") or value), label=label, aliases=tuple(aliases)))
    if levels and sorted(level_values) != list(range(1, len(level_values) + 1)):
        ck.fail("levels", f"level values must be 1..N without gaps, got {sorted(level_values)}")

    seen: dict[str, str] = {}
    dimensions: list[Dimension] = []
    dim_nodes = ck.seq(ck.required(top, "dimensions", ""), "dimensions")
    if isinstance(top.get("dimensions"), list) and not dim_nodes:
        ck.fail("dimensions", "a rubric needs at least one dimension")
    for d, dnode in enumerate(dim_nodes):
        dpath = _join("dimensions", d)
        dnode = ck.mapping(dnode, dpath)
        dim_id = ck.ident(dnode, dpath, seen)
        ck.unknown_keys(dnode, _DIM_KEYS, dpath)
        pillar = dnode.get("pillar")
        if pillar is not None and pillar not in PILLARS:
            ck.fail(_join(dpath, "pillar"), f"unknown pillar {_short(pillar)}; valid pillars are {list(PILLARS)}")
        groups: list[Group] = []
        group_nodes = ck.seq(ck.required(dnode, "groups", dpath), _join(dpath, "groups"))
        if "groups" in dnode and not group_nodes:
            ck.fail(_join(dpath, "groups"), "a dimension needs at least one group")
        for g, gnode in enumerate(group_nodes):
            gpath = _join(_join(dpath, "groups"), g)
            gnode = ck.mapping(gnode, gpath)
            group_id = ck.ident(gnode, gpath, seen, prefix=dim_id)
            ck.unknown_keys(gnode, _GROUP_KEYS, gpath)
            criteria: list[Criterion] = []
            crit_nodes = ck.seq(ck.required(gnode, "criteria", gpath), _join(gpath, "criteria"))
            if "criteria" in gnode and not crit_nodes:
                ck.fail(_join(gpath, "criteria"), "a group needs at least one criterion")
            for c, cnode in enumerate(crit_nodes):
                cpath = _join(_join(gpath, "criteria"), c)
                crit = _criterion(ck, ck.mapping(cnode, cpath), cpath, seen, group_id, dim_id, level_values)
                if crit is not None:
                    criteria.append(crit)
            groups.append(
                Group(
                    id=group_id,
                    title=ck.text(gnode.get("title"), _join(gpath, "title")),
                    criteria=tuple(criteria),
                    weight=ck.positive(gnode, "weight", gpath),
                    description=ck.text(gnode.get("description"), _join(gpath, "description"), required=False),
                )
            )
        dimensions.append(
            Dimension(
                id=dim_id,
                title=ck.text(dnode.get("title"), _join(dpath, "title")),
                groups=tuple(groups),
                weight=ck.positive(dnode, "weight", dpath),
                description=ck.text(dnode.get("description"), _join(dpath, "description"), required=False),
                pillar=pillar,
            )
        )
    non_answers = (
        parse_non_answers(top["non_answers"], "non_answers", ck.fail) if "non_answers" in top else DEFAULT_NON_ANSWERS
    )
    _check_non_answers(ck, non_answers, "non_answers", levels)
    if ck.problems:
        raise RubricError(file, ck.problems)
    return Rubric(
        id=rubric_id,
        title=title,
        version=version,
        source=source,
        levels_=tuple(levels),
        dimensions=tuple(dimensions),
        description=ck.text(top.get("description"), "description", required=False),
        path=file,
        non_answers=non_answers,
    )


def _check_non_answers(ck: _Checker, codes: tuple[NonAnswer, ...], where: str, levels: list[Level]) -> None:
    """A non-answer code must not read like a level label (it would hide the level) or repeat itself."""
    labels = {
        non_answer_key(name): level.value
        for level in levels
        for name in (level.label.vi, level.label.en, level.code, str(level.value), *level.aliases)
        if name
    }
    seen: set[str] = set()
    for code in codes:
        key = non_answer_key(code.text)
        if key in labels:
            ck.fail(f"{where}[{_short(code.text)}]", f"reads like level {labels[key]} (its number or a label)")
        if key in seen:
            ck.fail(f"{where}[{_short(code.text)}]", "is given twice (case, tone marks and punctuation ignored)")
        seen.add(key)


def _criterion(
    ck: _Checker, node: dict, path: str, seen: dict[str, str], group_id: str, dim_id: str, level_values: set[int]
) -> Criterion | None:
    crit_id = ck.ident(node, path, seen, prefix=group_id)
    ck.unknown_keys(node, _CRIT_KEYS, path)
    answer = node.get("answer", "level")
    if answer not in ANSWER_TYPES:
        ck.fail(_join(path, "answer"), f"unknown answer type {_short(answer)}; valid types are {list(ANSWER_TYPES)}")
        answer = "level"
    provenance = ck.required(node, "provenance", path)
    if provenance is not None and provenance not in PROVENANCES:
        ck.fail(_join(path, "provenance"), f"must be one of {list(PROVENANCES)}, got {_short(provenance)}")

    bounds: tuple[float, ...] = ()
    if answer == "percent_band":
        raw = node.get("bounds", list(DEFAULT_BOUNDS))
        ok = (
            isinstance(raw, list)
            and len(raw) == len(level_values) - 1
            and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in raw)
        )
        if ok and (list(raw) != sorted(raw) or len(set(raw)) != len(raw) or raw[0] <= 0 or raw[-1] >= 100):
            ok = False
        if not ok:
            ck.fail(
                _join(path, "bounds"),
                f"must be {max(len(level_values) - 1, 1)} increasing percentages "
                f"strictly between 0 and 100, got {_short(raw)}",
            )
        else:
            bounds = tuple(float(b) for b in raw)
    elif "bounds" in node:
        ck.fail(_join(path, "bounds"), f"only percent_band criteria take bounds (this one is {answer!r})")

    yes_level = ck.whole(node, "yes_level", path, max(level_values, default=5))
    no_level = ck.whole(node, "no_level", path, min(level_values, default=1))
    levels_node = node.get("levels")
    lpath = _join(path, "levels")
    descriptors: dict[int, Text] = {}
    if not isinstance(levels_node, dict):
        ck.fail(
            lpath,
            "is missing"
            if levels_node is None
            else f"expected a mapping level → descriptor, got {type(levels_node).__name__}",
        )
    else:
        for key, value in levels_node.items():
            if isinstance(key, bool) or not isinstance(key, int) or key not in level_values:
                ck.fail(
                    _join(lpath, _clip(str(key), 80)),
                    f"{_short(key)} is not a level of this rubric ({sorted(level_values)})",
                )
                continue
            descriptors[key] = ck.text(value, _join(lpath, key))
        needed = {yes_level, no_level} if answer == "yes_no" else level_values
        missing = sorted(needed - set(descriptors))
        if missing:
            plural = "s" if len(missing) > 1 else ""
            ck.fail(lpath, f"missing descriptor{plural} for level{plural} {', '.join(map(str, missing))}")
    if answer == "yes_no" and (yes_level not in level_values or no_level not in level_values or yes_level <= no_level):
        ck.fail(path, f"yes_level ({yes_level}) must be a level above no_level ({no_level})")
    reverse = node.get("reverse", False)
    if not isinstance(reverse, bool):
        ck.fail(_join(path, "reverse"), f"must be true or false, got {_short(reverse)}")
        reverse = False
    if reverse and answer != "level":
        ck.fail(_join(path, "reverse"), f"only 'level' criteria can be reverse-keyed (this one is {answer!r})")
    non_answers = parse_non_answers(node.get("non_answers"), _join(path, "non_answers"), ck.fail)
    if not crit_id:
        return None
    return Criterion(
        reverse=reverse,
        non_answers=non_answers,
        id=crit_id,
        text=ck.text(node.get("text"), _join(path, "text")),
        answer=answer,
        levels=dict(sorted(descriptors.items())),
        provenance=provenance or "drafted",
        weight=ck.positive(node, "weight", path),
        multiplier=ck.positive(node, "multiplier", path),
        description=ck.text(node.get("description"), _join(path, "description"), required=False),
        bounds=bounds,
        yes_level=yes_level,
        no_level=no_level,
        dimension_id=dim_id,
        group_id=group_id,
    )


# -- public ---------------------------------------------------------------------------------------------


def _shipped() -> dict[str, Path]:
    folder = resources.files("dxlab.rubric") / "data"
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def _read(path: Path) -> Rubric:
    file = str(path)
    try:
        if path.is_dir():
            raise RubricError(file, [("", "is a folder, not a rubric file")])
        size = path.stat().st_size
        if size > MAX_RUBRIC_BYTES:
            too_big = f"is {size / 1e6:.1f} MB; a rubric file is at most {MAX_RUBRIC_BYTES / 1e6:.0f} MB"
            raise RubricError(file, [("", too_big)])
        text = path.read_bytes()[: MAX_RUBRIC_BYTES + 1].decode("utf-8-sig")
    except FileNotFoundError:
        raise FileNotFoundError(f"rubric file not found: {file}") from None
    except UnicodeDecodeError as exc:
        raise RubricError(file, [("", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise RubricError(file, [("", f"cannot be read ({exc.strerror or exc})")]) from None
    return _build(_safe_yaml(text, file), file)


_CACHE: dict[str, Rubric] = {}


def load_rubric(id_or_path: Rubric | str | Path) -> Rubric:
    """Load a shipped rubric by id (see :func:`list_rubrics`) or any rubric YAML file by path.

    Raises
    ------
    RubricError
        The file is not a valid rubric; the message names the file, the path inside it and the problem.
    ValueError
        ``id_or_path`` is neither a shipped id nor an existing file.

    Examples
    --------
    >>> rubric = load_rubric("mobifone-dx")
    >>> rubric.descriptor("CUS.ENG.3", 1, lang="en")[:9]
    'Less than'
    """
    if isinstance(id_or_path, Rubric):
        return id_or_path
    key = str(id_or_path)
    shipped = _shipped()
    if key in shipped:
        if key not in _CACHE:
            _CACHE[key] = _read(shipped[key])
        return _CACHE[key]
    path = Path(key)
    if path.suffix.lower() in (".yaml", ".yml") or path.exists():
        return _read(path)
    raise ValueError(
        f"unknown rubric {key!r}: not a shipped rubric ({', '.join(sorted(shipped))}) and not a path to a YAML file"
    )


def validate_rubric_file(path: str | Path) -> Rubric:
    """Load ``path`` and raise :class:`RubricError` listing every problem; returns the rubric if valid."""
    return _read(Path(path))


def list_rubrics() -> pd.DataFrame:
    """The shipped rubrics: id, title (vi), title_en, version, dimensions, criteria."""
    rows = []
    for key in sorted(_shipped()):
        rubric = load_rubric(key)
        rows.append(
            {
                "id": rubric.id,
                "title": rubric.title.vi,
                "title_en": rubric.title.en,
                "version": rubric.version,
                "dimensions": len(rubric.dimensions),
                "criteria": len(rubric.criterion_ids),
            }
        )
    return pd.DataFrame(rows, columns=["id", "title", "title_en", "version", "dimensions", "criteria"])
