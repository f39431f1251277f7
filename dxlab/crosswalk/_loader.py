"""Load crosswalks and structure-only frameworks from YAML, validated like rubrics.

A crosswalk file is data (``yaml.SafeLoader`` only) and small: files over 1 MB, YAML aliases (a "billion
laughs" file expands a few hundred bytes into gigabytes) and nesting deeper than 32 levels are refused before
anything is built. Every problem is reported with the file and the place inside it
(``links[3].relation``), all problems at once.
"""

from __future__ import annotations

import dataclasses
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..rubric import Rubric, Text, load_rubric
from ._model import PROVENANCES, RELATION_WEIGHTS, RELATIONS, Crosswalk, Framework, FrameworkDimension, Link

__all__ = ["CrosswalkError", "list_crosswalks", "list_frameworks", "load_crosswalk", "load_framework", "target_ids"]

MAX_BYTES = 1_000_000
MAX_DEPTH = 32


class CrosswalkError(ValueError):
    """A crosswalk or framework file is not valid. ``problems`` lists (place in the file, message) pairs."""

    def __init__(self, file: str, problems: list[tuple[str, str]]):
        self.file = file
        self.problems = problems
        lines = [f"{file}: {place or '<top>'}: {msg}" for place, msg in problems]
        super().__init__(
            f"invalid crosswalk file ({len(problems)} problem{'s' * (len(problems) != 1)}):\n  " + "\n  ".join(lines)
        )


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader without aliases and with a nesting limit."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.YAMLError(f"line {mark.line + 1}: YAML aliases (*name) are not allowed here")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise yaml.YAMLError(f"line {mark.line + 1}: nested deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _read_yaml(path: Path, label: str) -> Any:
    if path.is_dir():
        raise CrosswalkError(label, [("", "is a directory, not a YAML file")])
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CrosswalkError(label, [("", f"cannot be read ({exc.strerror or exc})")]) from None
    if size > MAX_BYTES:
        raise CrosswalkError(label, [("", f"is {size:,} bytes; crosswalk files are limited to {MAX_BYTES:,}")])
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_BoundedLoader)
    except UnicodeDecodeError as exc:
        raise CrosswalkError(label, [("", f"is not UTF-8 text (byte {exc.start})")]) from None
    except yaml.YAMLError as exc:
        message = str(exc).splitlines()[0][:200]
        raise CrosswalkError(label, [("", f"is not valid YAML: {message}")]) from None


class _Check:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, place: str, message: str) -> None:
        self.problems.append((place, message))

    def mapping(self, node: Any, place: str) -> dict[str, Any]:
        if not isinstance(node, dict):
            self.fail(place, f"expected a mapping, got {type(node).__name__}")
            return {}
        return node

    def string(self, node: dict[str, Any], key: str, place: str, *, required: bool = True) -> str:
        value = node.get(key)
        if value is None:
            if required:
                self.fail(_at(place, key), "is missing")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.fail(_at(place, key), f"expected text, got {type(value).__name__}")
            return ""
        return str(value).strip()

    def text(self, node: Any, place: str) -> Text:
        if isinstance(node, str):
            return Text(vi=node.strip())
        if isinstance(node, dict) and set(node) <= {"vi", "en"} and all(isinstance(v, str) for v in node.values()):
            text = Text(vi=str(node.get("vi", "")).strip(), en=str(node.get("en", "")).strip())
            if text.vi or text.en:
                return text
        self.fail(place, "expected a text ({vi: …, en: …})")
        return Text()


def _at(place: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{place}[{key}]"
    return f"{place}.{key}" if place else key


def _framework_from(raw: Any, label: str) -> Framework:
    check = _Check()
    top = check.mapping(raw, "")
    dims = []
    seen: set[str] = set()
    raw_dims = top.get("dimensions")
    if not isinstance(raw_dims, list) or not raw_dims:
        check.fail("dimensions", "expected a non-empty list of dimensions")
        raw_dims = []
    for i, node in enumerate(raw_dims):
        place = _at("dimensions", i)
        node = check.mapping(node, place)
        dim_id = check.string(node, "id", place)
        if dim_id in seen:
            check.fail(_at(place, "id"), f"{dim_id!r} is used twice")
        seen.add(dim_id)
        description = check.text(node["description"], _at(place, "description")) if "description" in node else Text()
        dims.append(FrameworkDimension(dim_id, check.text(node.get("title"), _at(place, "title")), description))
    scale = check.string(top, "scale", "", required=False) or "levels"
    if scale not in ("levels", "0-100"):
        check.fail("scale", f"{scale!r} is not a scale; use 'levels' or '0-100'")
    framework = Framework(
        check.string(top, "id", ""),
        check.text(top.get("title"), "title"),
        check.string(top, "version", ""),
        check.string(top, "source", ""),
        tuple(dims),
        scale,  # type: ignore[arg-type]  # checked against the two scales above
        label,
    )
    if check.problems:
        raise CrosswalkError(label, check.problems)
    return framework


def _shipped(kind: str) -> dict[str, Path]:
    root = resources.files("dxlab.crosswalk").joinpath("data", *(("frameworks",) if kind == "framework" else ()))
    return {p.name[:-5]: Path(str(p)) for p in root.iterdir() if p.name.endswith(".yaml")}


def _resolve(name: str | Path, kind: str) -> tuple[Path, str]:
    shipped = _shipped(kind)
    if isinstance(name, str) and name in shipped:
        return shipped[name], f"{kind} {name}"
    path = Path(name)
    if path.suffix.lower() in (".yaml", ".yml") and path.exists():
        return path, str(path)
    raise ValueError(
        f"no {kind} named {str(name)!r}: shipped {kind}s are {', '.join(sorted(shipped))}, "
        f"or give a path to a .yaml file"
    )


@lru_cache(maxsize=64)
def _load_framework_cached(path: Path, label: str) -> Framework:
    return dataclasses.replace(_framework_from(_read_yaml(path, label), label), path=str(path))


def load_framework(name: str | Path | Framework) -> Framework:
    """A structure-only framework: shipped id (``eu-dma``, ``tmf-dmm``, ``mic-2021``) or a YAML path."""
    if isinstance(name, Framework):
        return name
    path, label = _resolve(name, "framework")
    return _load_framework_cached(path.resolve(), label)


def target_ids(crosswalk: Crosswalk) -> tuple[str, ...]:
    """Every id a link of ``crosswalk`` may point at: the target's dimensions (and, for a rubric, groups and
    criteria), in the target's order."""
    if crosswalk.target_kind == "framework":
        return load_framework(crosswalk.target_id).ids
    rubric = load_rubric(crosswalk.target_id)
    return tuple(
        item
        for d in rubric.dimensions
        for item in (d.id, *(i for g in d.groups for i in (g.id, *(c.id for c in g.criteria))))
    )


def _source_ids(rubric: Rubric) -> set[str]:
    return {d.id for d in rubric.dimensions} | {g.id for g in rubric.groups} | set(rubric.criterion_ids)


def _link_from(check: _Check, node: Any, place: str, sources: set[str], targets: set[str]) -> Link | None:
    node = check.mapping(node, place)
    source, target = check.string(node, "from", place), check.string(node, "to", place)
    if source and sources and source not in sources:
        check.fail(_at(place, "from"), f"{source!r} is not a dimension, group or criterion of the source rubric")
    if target and targets and target not in targets:
        check.fail(_at(place, "to"), f"{target!r} is not an item of the target")
    relation = check.string(node, "relation", place)
    if relation and relation not in RELATIONS:
        check.fail(_at(place, "relation"), f"{relation!r} is not a relation; use one of {', '.join(RELATIONS)}")
    weight = node.get("weight", RELATION_WEIGHTS.get(relation, 1.0))
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not math.isfinite(weight) or weight <= 0:
        check.fail(_at(place, "weight"), f"must be a positive number, got {weight!r}")
        weight = 1.0
    provenance = check.string(node, "provenance", place)
    if provenance and provenance not in PROVENANCES:
        check.fail(_at(place, "provenance"), f"{provenance!r} is not a provenance; use published or drafted")
    key = "source" if provenance == "published" else "reason"
    reference = check.string(node, key, place)
    return Link(source, target, relation, float(weight), provenance, reference)  # type: ignore[arg-type]


def _crosswalk_from(raw: Any, label: str) -> Crosswalk:
    check = _Check()
    top = check.mapping(raw, "")
    source = check.mapping(top.get("source"), "source")
    target = check.mapping(top.get("target"), "target")
    source_rubric = check.string(source, "rubric", "source")
    kind = "rubric" if "rubric" in target else "framework"
    target_id = check.string(target, kind, "target")
    sources: set[str] = set()
    targets: set[str] = set()
    try:
        sources = _source_ids(load_rubric(source_rubric)) if source_rubric else set()
    except (ValueError, KeyError, OSError) as exc:
        check.fail("source.rubric", str(exc).splitlines()[0])
    partial = Crosswalk("", "", Text(), source_rubric, kind, target_id, ())  # type: ignore[arg-type]
    try:
        targets = set(target_ids(partial)) if target_id else set()
    except CrosswalkError as exc:
        check.fail(f"target.{kind}", "; ".join(f"{place}: {message}" for place, message in exc.problems))
    except (ValueError, KeyError, OSError) as exc:
        check.fail(f"target.{kind}", str(exc).splitlines()[0])
    raw_links = top.get("links")
    if not isinstance(raw_links, list) or not raw_links:
        check.fail("links", "expected a non-empty list of links")
        raw_links = []
    links = [_link_from(check, node, _at("links", i), sources, targets) for i, node in enumerate(raw_links)]
    pairs = [(link.source, link.target) for link in links if link]
    for i, pair in enumerate(pairs):
        if pair in pairs[:i]:
            check.fail(_at("links", i), f"links {pair[0]} → {pair[1]} twice")
    description = check.text(top["description"], "description") if "description" in top else Text()
    crosswalk = Crosswalk(
        check.string(top, "id", ""),
        check.string(top, "version", ""),
        check.text(top.get("title"), "title"),
        source_rubric,
        kind,  # type: ignore[arg-type]  # "rubric" or "framework" by construction
        target_id,
        tuple(link for link in links if link),
        description,
        label,
    )
    if check.problems:
        raise CrosswalkError(label, check.problems)
    return crosswalk


@lru_cache(maxsize=64)
def _load_crosswalk_cached(path: Path, label: str) -> Crosswalk:
    return dataclasses.replace(_crosswalk_from(_read_yaml(path, label), label), path=str(path))


def load_crosswalk(name: str | Path | Crosswalk) -> Crosswalk:
    """A crosswalk: a shipped id (see :func:`list_crosswalks`) or a path to a YAML file (validated; a
    :class:`CrosswalkError` lists every problem with its place in the file)."""
    if isinstance(name, Crosswalk):
        return name
    path, label = _resolve(name, "crosswalk")
    return _load_crosswalk_cached(path.resolve(), label)


def list_crosswalks() -> pd.DataFrame:
    """The shipped crosswalks: id, version, source rubric, target kind and id, number of links."""
    rows = []
    for key in sorted(_shipped("crosswalk")):
        cw = load_crosswalk(key)
        rows.append(
            {
                "id": cw.id,
                "version": cw.version,
                "source": cw.source_rubric,
                "target_kind": cw.target_kind,
                "target": cw.target_id,
                "links": len(cw.links),
                "title": cw.title.vi,
                "title_en": cw.title.en,
            }
        )
    return pd.DataFrame(
        rows, columns=["id", "version", "source", "target_kind", "target", "links", "title", "title_en"]
    )


def list_frameworks() -> pd.DataFrame:
    """The shipped structure-only frameworks: id, title, version, scale, dimensions."""
    rows = [
        {
            "id": fw.id,
            "title": fw.title.vi,
            "title_en": fw.title.en,
            "version": fw.version,
            "scale": fw.scale,
            "dimensions": len(fw.dimensions),
        }
        for fw in map(load_framework, sorted(_shipped("framework")))
    ]
    return pd.DataFrame(rows, columns=["id", "title", "title_en", "version", "scale", "dimensions"])
