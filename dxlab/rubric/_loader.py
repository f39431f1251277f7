"""Load rubrics from YAML and validate them.

Only ``yaml.safe_load`` is used: a rubric file is data and nothing in it is ever executed. Every problem is
reported with the file, the path inside it (``dimensions[2].groups[0].criteria[1].levels``) and what is
wrong, and all problems are collected before raising, so one run shows them all.
"""

from __future__ import annotations

import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ._model import (ANSWER_TYPES, PILLARS, PROVENANCES, Criterion, Dimension, Group, Level, Rubric, Text)

__all__ = ["RubricError", "load_rubric", "list_rubrics", "validate_rubric_file"]

_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
DEFAULT_BOUNDS = (20.0, 40.0, 60.0, 80.0)


class RubricError(ValueError):
    """A rubric file is not valid. ``problems`` lists (path inside the file, message) pairs."""

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        self.file = file
        self.problems = problems
        lines = [f"{file}: {path or '<top>'}: {msg}" for path, msg in problems]
        super().__init__(f"invalid rubric ({len(problems)} problem{'s' * (len(problems) != 1)}):\n  "
                         + "\n  ".join(lines))


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
                self.fail(path, f"unknown language key(s) {sorted(map(str, unknown))}; use 'vi' and 'en'")
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
            self.fail(_join(path, key), f"unknown key; valid keys are {sorted(valid)}")

    def whole(self, node: dict, key: str, path: str, default: int) -> int:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(_join(path, key), f"must be a whole number (a level), got {value!r}")
            return default
        return value

    def positive(self, node: dict, key: str, path: str, default: float = 1.0) -> float:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                or value <= 0:
            self.fail(_join(path, key), f"must be a positive number, got {value!r}")
            return default
        return float(value)

    def ident(self, node: dict, path: str, seen: dict[str, str], prefix: str = "") -> str:
        raw = self.required(node, "id", path)
        if raw is None:
            return ""
        ident = str(raw)
        last = ident.rsplit(".", 1)[-1]
        if not _ID.match(last) and not last.isdigit():
            self.fail(_join(path, "id"), f"{ident!r} must be ASCII letters, digits or '_'")
        if prefix and not ident.startswith(prefix + "."):
            self.fail(_join(path, "id"), f"{ident!r} must start with its parent's id {prefix + '.'!r}")
        if ident in seen:
            self.fail(_join(path, "id"), f"duplicate id {ident!r} (first used at {seen[ident]})")
        else:
            seen[ident] = _join(path, "id")
        return ident


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


_TOP_KEYS = {"id", "title", "version", "source", "description", "levels", "dimensions"}
_DIM_KEYS = {"id", "title", "description", "weight", "pillar", "groups"}
_GROUP_KEYS = {"id", "title", "description", "weight", "criteria"}
_CRIT_KEYS = {"id", "text", "description", "answer", "bounds", "weight", "multiplier", "levels",
              "provenance", "yes_level", "no_level"}


def _build(data: Any, file: str) -> Rubric:
    ck = _Checker(file)
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
            ck.fail(_join(path, "value"), f"must be a whole number, got {value!r}")
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
        levels.append(Level(value=value, code=str(node.get("code") or value), label=label,
                            aliases=tuple(aliases)))
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
            ck.fail(_join(dpath, "pillar"), f"unknown pillar {pillar!r}; valid pillars are {list(PILLARS)}")
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
                crit = _criterion(ck, ck.mapping(cnode, cpath), cpath, seen, group_id, dim_id,
                                  level_values)
                if crit is not None:
                    criteria.append(crit)
            groups.append(Group(id=group_id, title=ck.text(gnode.get("title"), _join(gpath, "title")),
                                criteria=tuple(criteria), weight=ck.positive(gnode, "weight", gpath),
                                description=ck.text(gnode.get("description"),
                                                    _join(gpath, "description"), required=False)))
        dimensions.append(Dimension(id=dim_id, title=ck.text(dnode.get("title"), _join(dpath, "title")),
                                    groups=tuple(groups), weight=ck.positive(dnode, "weight", dpath),
                                    description=ck.text(dnode.get("description"),
                                                        _join(dpath, "description"), required=False),
                                    pillar=pillar))
    if ck.problems:
        raise RubricError(file, ck.problems)
    return Rubric(id=rubric_id, title=title, version=version, source=source, levels_=tuple(levels),
                  dimensions=tuple(dimensions),
                  description=ck.text(top.get("description"), "description", required=False), path=file)


def _criterion(ck: _Checker, node: dict, path: str, seen: dict[str, str], group_id: str, dim_id: str,
               level_values: set[int]) -> Criterion | None:
    crit_id = ck.ident(node, path, seen, prefix=group_id)
    ck.unknown_keys(node, _CRIT_KEYS, path)
    answer = node.get("answer", "level")
    if answer not in ANSWER_TYPES:
        ck.fail(_join(path, "answer"), f"unknown answer type {answer!r}; valid types are {list(ANSWER_TYPES)}")
        answer = "level"
    provenance = ck.required(node, "provenance", path)
    if provenance is not None and provenance not in PROVENANCES:
        ck.fail(_join(path, "provenance"), f"must be one of {list(PROVENANCES)}, got {provenance!r}")

    bounds: tuple[float, ...] = ()
    if answer == "percent_band":
        raw = node.get("bounds", list(DEFAULT_BOUNDS))
        ok = (isinstance(raw, list) and len(raw) == len(level_values) - 1
              and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in raw))
        if ok and (list(raw) != sorted(raw) or len(set(raw)) != len(raw) or raw[0] <= 0 or raw[-1] >= 100):
            ok = False
        if not ok:
            ck.fail(_join(path, "bounds"), f"must be {max(len(level_values) - 1, 1)} increasing percentages "
                                           f"strictly between 0 and 100, got {raw!r}")
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
        ck.fail(lpath, "is missing" if levels_node is None
                else f"expected a mapping level → descriptor, got {type(levels_node).__name__}")
    else:
        for key, value in levels_node.items():
            if isinstance(key, bool) or not isinstance(key, int) or key not in level_values:
                ck.fail(_join(lpath, str(key)), f"{key!r} is not a level of this rubric "
                                                f"({sorted(level_values)})")
                continue
            descriptors[key] = ck.text(value, _join(lpath, key))
        needed = {yes_level, no_level} if answer == "yes_no" else level_values
        missing = sorted(needed - set(descriptors))
        if missing:
            plural = "s" if len(missing) > 1 else ""
            ck.fail(lpath, f"missing descriptor{plural} for level{plural} {', '.join(map(str, missing))}")
    if answer == "yes_no" and (yes_level not in level_values or no_level not in level_values
                               or yes_level <= no_level):
        ck.fail(path, f"yes_level ({yes_level}) must be a level above no_level ({no_level})")
    if not crit_id:
        return None
    return Criterion(id=crit_id, text=ck.text(node.get("text"), _join(path, "text")), answer=answer,
                     levels=dict(sorted(descriptors.items())), provenance=provenance or "drafted",
                     weight=ck.positive(node, "weight", path),
                     multiplier=ck.positive(node, "multiplier", path),
                     description=ck.text(node.get("description"), _join(path, "description"),
                                         required=False),
                     bounds=bounds, yes_level=yes_level, no_level=no_level,
                     dimension_id=dim_id, group_id=group_id)


# -- public ---------------------------------------------------------------------------------------------

def _shipped() -> dict[str, Path]:
    folder = resources.files("dxlab.rubric") / "data"
    return {Path(str(p)).stem: Path(str(p)) for p in folder.iterdir() if str(p).endswith(".yaml")}


def _read(path: Path) -> Rubric:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise FileNotFoundError(f"rubric file not found: {file}") from None
    except UnicodeDecodeError as exc:
        raise RubricError(file, [("", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RubricError(file, [(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    return _build(data, file)


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
    raise ValueError(f"unknown rubric {key!r}: not a shipped rubric ({', '.join(sorted(shipped))}) "
                     f"and not a path to a YAML file")


def validate_rubric_file(path: str | Path) -> Rubric:
    """Load ``path`` and raise :class:`RubricError` listing every problem; returns the rubric if valid."""
    return _read(Path(path))


def list_rubrics() -> pd.DataFrame:
    """The shipped rubrics: id, title (vi), title_en, version, dimensions, criteria."""
    rows = []
    for key in sorted(_shipped()):
        rubric = load_rubric(key)
        rows.append({"id": rubric.id, "title": rubric.title.vi, "title_en": rubric.title.en,
                     "version": rubric.version, "dimensions": len(rubric.dimensions),
                     "criteria": len(rubric.criterion_ids)})
    return pd.DataFrame(rows, columns=["id", "title", "title_en", "version", "dimensions", "criteria"])
