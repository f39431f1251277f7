"""Crosswalks and structure-only frameworks as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..rubric import Text

__all__ = ["PROVENANCES", "RELATIONS", "RELATION_WEIGHTS", "Crosswalk", "Framework", "FrameworkDimension", "Link"]

Relation = Literal["exact", "broader", "narrower", "related"]
RELATIONS: tuple[str, ...] = ("exact", "broader", "narrower", "related")
PROVENANCES: tuple[str, ...] = ("published", "drafted")
# A link's weight when the file gives none: a loose (SKOS "related") match counts half as much as a match of
# the same concept, a broader or a narrower one.
RELATION_WEIGHTS: dict[str, float] = {"exact": 1.0, "broader": 1.0, "narrower": 1.0, "related": 0.5}


@dataclass(frozen=True)
class FrameworkDimension:
    """One dimension of a framework that dxlab knows by its structure only."""

    id: str
    title: Text
    description: Text = field(default_factory=Text)


@dataclass(frozen=True)
class Framework:
    """A framework known by its structure: dimensions with titles and where they come from, no criteria.

    ``scale`` is how the framework reports a dimension: ``"levels"`` (the source's 1–5 scale) or ``"0-100"``
    (the EU DMA's percentage scale, overall = mean of all dimensions).
    """

    id: str
    title: Text
    version: str
    source: str
    dimensions: tuple[FrameworkDimension, ...]
    scale: Literal["levels", "0-100"] = "levels"
    path: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(d.id for d in self.dimensions)

    def title_of(self, item_id: str, lang: str) -> str:
        for dim in self.dimensions:
            if dim.id == item_id:
                return dim.title.get(lang)
        raise KeyError(f"{item_id!r} is not a dimension of framework {self.id!r}; dimensions are {self.ids}")


@dataclass(frozen=True)
class Link:
    """One mapping from a source item (criterion, group or dimension) to a target item.

    ``relation`` reads "the target is <relation> than/as the source": ``exact`` the same concept, ``broader``
    a wider one, ``narrower`` a part of it, ``related`` an overlap (SKOS mapping relations).
    """

    source: str
    target: str
    relation: Relation
    weight: float
    provenance: str
    reference: str


@dataclass(frozen=True)
class Crosswalk:
    """A versioned mapping from one rubric to another rubric or to a structure-only framework."""

    id: str
    version: str
    title: Text
    source_rubric: str
    target_kind: Literal["rubric", "framework"]
    target_id: str
    links: tuple[Link, ...]
    description: Text = field(default_factory=Text)
    path: str = ""

    def links_to(self, target: str) -> tuple[Link, ...]:
        return tuple(link for link in self.links if link.target == target)

    def __repr__(self) -> str:
        return (
            f"Crosswalk(id={self.id!r}, version={self.version!r}, {self.source_rubric} → "
            f"{self.target_kind} {self.target_id}, links={len(self.links)})"
        )
