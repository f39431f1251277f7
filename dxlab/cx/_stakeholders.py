"""Stakeholder map: who supports the change, who has influence, and how to engage each of them.

The rule is the one the CX strategy material teaches (after Qualtrics): on two 0–10 axes, support and
influence, a stakeholder is *high* on an axis when the score is **at least 5** (:data:`HIGH`), *low* below
it. High support / low influence → collaborate; high / high → participate; low support / high influence →
defend; low / low → outsiders.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from ..rubric import Rubric
from . import _style
from ._base import (
    Record,
    check_lang,
    clean_number,
    clean_text,
    each,
    editor_method,
    esc,
    fields_of,
    md,
    pick,
    unique_key,
)

__all__ = ["HIGH", "QUADRANTS", "Quadrant", "Stakeholder", "StakeholderMap", "classify_stakeholder"]

HIGH = 5.0
SCALE = (0.0, 10.0)


@dataclass(frozen=True)
class Quadrant:
    """One quadrant of the map: its label, a short action and the recommended engagement (vi, en)."""

    key: str
    high_support: bool
    high_influence: bool
    label: tuple[str, str]
    action: tuple[str, str]
    engagement: tuple[str, str]


QUADRANTS: dict[str, Quadrant] = {
    q.key: q
    for q in (
        Quadrant(
            "collaborate",
            True,
            False,
            ("Cộng tác", "Collaborate"),
            ("Đưa vào nhóm dự án", "Bring into the project team"),
            (
                "Đưa họ vào nhóm dự án và giao việc cụ thể: họ ủng hộ thay đổi nhưng ít tiếng nói, nhóm dự án "
                "cho họ tiếng nói đó.",
                "Bring them into the project team with concrete work: they back the change but have little say, "
                "and the team gives them one.",
            ),
        ),
        Quadrant(
            "participate",
            True,
            True,
            ("Tham gia", "Participate"),
            ("Đối tác của dự án", "Project partners"),
            (
                "Mời họ làm đối tác của dự án: họ ủng hộ và có ảnh hưởng, hãy để họ lôi kéo những người khác.",
                "Make them partners in the project: they back the change and carry weight, so let them win "
                "others over.",
            ),
        ),
        Quadrant(
            "defend",
            False,
            True,
            ("Phòng vệ", "Defend"),
            ("Tìm hiểu mối lo ngại", "Investigate their concerns"),
            (
                "Tìm hiểu và giải quyết mối lo ngại của họ sớm: họ chưa ủng hộ nhưng có đủ ảnh hưởng để cản trở dự án.",
                "Investigate and address their concerns early: they do not back the change yet and have the "
                "influence to block it.",
            ),
        ),
        Quadrant(
            "outsiders",
            False,
            False,
            ("Người ngoài cuộc", "Outsiders"),
            ("Giữ cho họ được thông tin", "Keep them informed"),
            (
                "Thông tin đều đặn cho họ về dự án; chưa cần đầu tư nhiều công sức.",
                "Keep them informed about the project; little effort is needed yet.",
            ),
        ),
    )
}


def classify_stakeholder(support: float, influence: float) -> str:
    """The quadrant key for a stakeholder with ``support`` and ``influence`` on the 0–10 scale.

    A score is *high* when it is ≥ :data:`HIGH` (5), so 5 itself is high and 4.99 is low:

    ============  =================  =================
    support       influence < 5      influence ≥ 5
    ============  =================  =================
    ≥ 5           ``collaborate``    ``participate``
    < 5           ``outsiders``      ``defend``
    ============  =================  =================

    Examples
    --------
    >>> classify_stakeholder(5, 4.9)
    'collaborate'
    >>> classify_stakeholder(4.9, 5)
    'defend'
    """
    support = clean_number(support, "support", *SCALE)
    influence = clean_number(influence, "influence", *SCALE)
    high_support, high_influence = support >= HIGH, influence >= HIGH
    for quadrant in QUADRANTS.values():
        if (quadrant.high_support, quadrant.high_influence) == (high_support, high_influence):
            return quadrant.key
    raise AssertionError("the four quadrants cover every case")  # pragma: no cover


_STAKEHOLDER_FIELDS = ("name", "support", "influence", "role", "notes")


@dataclass(frozen=True)
class Stakeholder:
    """A person or group with a stake in the change, scored 0–10 for support and influence."""

    name: str
    support: float
    influence: float
    role: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_text(self.name, "name", required=True))
        object.__setattr__(self, "support", clean_number(self.support, f"{self.name}: support", *SCALE))
        object.__setattr__(self, "influence", clean_number(self.influence, f"{self.name}: influence", *SCALE))
        object.__setattr__(self, "role", clean_text(self.role, "role"))
        object.__setattr__(self, "notes", clean_text(self.notes, "notes"))

    @property
    def quadrant(self) -> str:
        """The quadrant key (see :func:`classify_stakeholder`)."""
        return classify_stakeholder(self.support, self.influence)

    def engagement(self, lang: str = "vi") -> str:
        """The recommended engagement for this stakeholder's quadrant."""
        return pick(QUADRANTS[self.quadrant].engagement, lang)

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "support": self.support, "influence": self.influence}
        if self.role:
            out["role"] = self.role
        if self.notes:
            out["notes"] = self.notes
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Stakeholder:
        data = fields_of(data, _STAKEHOLDER_FIELDS, "stakeholder", required=("name", "support", "influence"))
        return cls(**data)


def _as_stakeholder(item: Any) -> Stakeholder:
    return item if isinstance(item, Stakeholder) else Stakeholder.from_dict(item)


@dataclass(frozen=True)
class StakeholderMap(Record):
    """Stakeholders on the support × influence map, each in one of four quadrants.

    Parameters
    ----------
    stakeholders : sequence of Stakeholder (or dicts with name, support, influence, role, notes)
        Names must be unique (ignoring case and spacing, not tone marks).
    title : str
        Shown above the figure and the table.

    Notes
    -----
    Scores run from 0 to 10; a score ≥ 5 is high (:func:`classify_stakeholder`). The object is immutable:
    :meth:`with_stakeholder` and :meth:`without` return new maps.

    Examples
    --------
    >>> m = StakeholderMap([Stakeholder("Giám đốc", support=8, influence=9)])
    >>> m.table(lang="en")[["name", "quadrant"]].values.tolist()
    [['Giám đốc', 'participate']]
    """

    stakeholders: tuple[Stakeholder, ...] = ()
    title: str = ""

    KIND = "stakeholder_map"
    FIELDS = ("title", "stakeholders")

    def __post_init__(self) -> None:
        people = each(self.stakeholders, "stakeholders", _as_stakeholder)
        seen: dict[str, int] = {}
        for i, person in enumerate(people):
            key = unique_key(person.name)
            if key in seen:
                raise ValueError(
                    f"stakeholders[{i}]: the name {person.name!r} is already used by "
                    f"stakeholders[{seen[key]}]; names must be unique"
                )
            seen[key] = i
        object.__setattr__(self, "stakeholders", people)
        object.__setattr__(self, "title", clean_text(self.title, "title"))

    # -- collection --------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.stakeholders)

    def __iter__(self) -> Iterator[Stakeholder]:
        return iter(self.stakeholders)

    def __getitem__(self, name: str) -> Stakeholder:
        key = unique_key(name)
        for person in self.stakeholders:
            if unique_key(person.name) == key:
                return person
        raise KeyError(f"no stakeholder named {name!r}; the map has {', '.join(self.names) or 'none'}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.stakeholders)

    def with_stakeholder(self, stakeholder: Stakeholder | Mapping[str, Any]) -> StakeholderMap:
        """A new map with ``stakeholder`` added, or replacing the one with the same name in place."""
        new = _as_stakeholder(stakeholder)
        key = unique_key(new.name)
        people = [new if unique_key(p.name) == key else p for p in self.stakeholders]
        if key not in {unique_key(p.name) for p in self.stakeholders}:
            people.append(new)
        return StakeholderMap(tuple(people), self.title)

    def without(self, name: str) -> StakeholderMap:
        """A new map without the stakeholder called ``name`` (KeyError when there is none)."""
        gone = self[name]
        return StakeholderMap(tuple(p for p in self.stakeholders if p is not gone), self.title)

    # -- tables ------------------------------------------------------------------------------------------
    def table(self, lang: str = "vi") -> pd.DataFrame:
        """One row per stakeholder: name, role, support, influence, quadrant, quadrant_label, engagement."""
        rows = [
            {
                "name": p.name,
                "role": p.role,
                "support": float(p.support),
                "influence": float(p.influence),
                "quadrant": p.quadrant,
                "quadrant_label": pick(QUADRANTS[p.quadrant].label, lang),
                "engagement": p.engagement(lang),
            }
            for p in self.stakeholders
        ]
        columns = ["name", "role", "support", "influence", "quadrant", "quadrant_label", "engagement"]
        return pd.DataFrame(rows, columns=columns)

    def summary(self, lang: str = "vi") -> pd.DataFrame:
        """One row per quadrant (all four, in a fixed order): label, count, names and engagement."""
        rows = []
        for key, quadrant in QUADRANTS.items():
            names = [p.name for p in self.stakeholders if p.quadrant == key]
            rows.append(
                {
                    "quadrant": key,
                    "quadrant_label": pick(quadrant.label, lang),
                    "count": len(names),
                    "names": ", ".join(names),
                    "engagement": pick(quadrant.engagement, lang),
                }
            )
        return pd.DataFrame(rows, columns=["quadrant", "quadrant_label", "count", "names", "engagement"])

    # -- round trip -----------------------------------------------------------------------------------------
    def _body(self) -> dict:
        return {"title": self.title, "stakeholders": [p.to_dict() for p in self.stakeholders]}

    @classmethod
    def _from_body(cls, data: dict) -> StakeholderMap:
        return cls(stakeholders=data.get("stakeholders") or (), title=data.get("title") or "")

    # -- rendering ---------------------------------------------------------------------------------------
    def plot(self, ax: Axes | None = None, *, lang: str = "vi") -> Axes:
        """Quadrant scatter: support (x) against influence (y), names beside the points.

        The boundary lines sit at 5; a point on a line belongs to the high side. Returns the Axes.
        """
        check_lang(lang)
        low, high = SCALE[0] - 0.5, SCALE[1] + 0.5
        with _style.style():
            ax = _style.axes(ax, (7.5, 6.5))
            for quadrant in QUADRANTS.values():
                x0, x1 = (HIGH, high) if quadrant.high_support else (low, HIGH)
                y0, y1 = (HIGH, high) if quadrant.high_influence else (low, HIGH)
                colour = _style.QUADRANT_COLOURS[quadrant.key]
                ax.add_patch(
                    Rectangle(
                        (x0, y0),
                        x1 - x0,
                        y1 - y0,
                        facecolor=colour,
                        alpha=_style.QUADRANT_FILL_ALPHA,
                        edgecolor="none",
                        zorder=0,
                    )
                )
                ax.text(
                    x1 - 0.15 if quadrant.high_support else x0 + 0.15,
                    y1 - 0.2,
                    f"{pick(quadrant.label, lang)}\n{pick(quadrant.action, lang)}",
                    ha="right" if quadrant.high_support else "left",
                    va="top",
                    fontsize=9,
                    color=colour,
                    fontweight="bold",
                    fontfamily=_style.FONT,
                    gid=f"quadrant-{quadrant.key}",
                )
            ax.axvline(HIGH, color=_style.MUTED, lw=1, ls="--", zorder=1, gid="boundary-support")
            ax.axhline(HIGH, color=_style.MUTED, lw=1, ls="--", zorder=1, gid="boundary-influence")
            xs = [float(p.support) for p in self.stakeholders]
            ys = [float(p.influence) for p in self.stakeholders]
            colours = [_style.QUADRANT_COLOURS[p.quadrant] for p in self.stakeholders]
            ax.scatter(xs, ys, c=colours, s=70, edgecolors="white", linewidths=1, zorder=3, gid="stakeholders")
            placed: dict[tuple[float, float], int] = {}
            for person, x, y in zip(self.stakeholders, xs, ys):
                stack = placed.get((x, y), 0)  # names of people on the same spot go one under the other
                placed[(x, y)] = stack + 1
                right_edge = x > SCALE[1] - 2.5  # near the right edge a name goes above its point, centred
                ax.annotate(
                    person.name,
                    (x, y),
                    xytext=(0, 8 + 11 * stack) if right_edge else (7, 3 - 11 * stack),
                    textcoords="offset points",
                    ha="center" if right_edge else "left",
                    fontsize=9,
                    fontfamily=_style.FONT,
                    zorder=4,
                )
            ax.set_xlim(low, high)
            ax.set_ylim(low, high)
            ax.set_xticks(range(0, 11))
            ax.set_yticks(range(0, 11))
            ax.set_xlabel(pick("cx.support_0_10", lang))
            ax.set_ylabel(pick("cx.influence_0_10", lang))
            ax.set_title(self.title or pick("cx.stakeholder_map", lang))
            return _style.finish(ax)

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = None) -> str:
        """A Markdown section: the table of stakeholders with their quadrant and engagement."""
        head = [
            pick(f"cx.stakeholder_col_{c}", lang)
            for c in ("name", "role", "support", "influence", "quadrant", "engagement")
        ]
        title = self.title or pick("cx.stakeholder_map", lang)
        lines = [f"{'#' * heading} {md(title)}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in self.table(lang).itertuples():
            lines.append(
                f"| {md(row.name)} | {md(row.role)} | {row.support:g} | {row.influence:g} | "
                f"{md(row.quadrant_label)} | {md(row.engagement)} |"
            )
        lines += ["", pick("cx.boundary_a_score_of_5", lang), ""]
        return "\n".join(lines)

    def to_html(self, lang: str = "vi") -> str:
        """An HTML table of the stakeholders (every text escaped)."""
        table = self.table(lang)
        head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in table.itertuples(index=False)
        )
        title = self.title or pick("cx.stakeholder_map", lang)
        return (
            f'<div class="dxlab-cx stakeholder-map"><h3>{esc(title)}</h3>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    editor = editor_method()
