"""Customer journey map: touchpoints along the stages of a journey, with emotion, pain points and
opportunities.

The default stages are the 5A model of the CX strategy material (Attract, Accept, Adopt, Amplify,
Advance); ``stages="kotler"`` gives Kotler's 5A path (Aware, Appeal, Ask, Act, Advocate), and any list of
stage names works. Emotion is scored from −2 (very negative) to +2 (very positive). A touchpoint may name
the rubric criteria its experience bears on (``criteria=("CUS.ENG.3",)``), which ties the map back to the
maturity scores the workshop started from.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..rubric import Rubric
from . import _style
from ._base import (
    Record,
    check_lang,
    clean_ids,
    clean_items,
    clean_number,
    clean_text,
    criterion_lines,
    each,
    editor_method,
    esc,
    fields_of,
    md,
    pick,
    resolve_rubric,
    unique_key,
)

__all__ = ["EMOTION_LABELS", "STAGE_PRESETS", "JourneyMap", "Touchpoint", "stage_label"]

EMOTION = (-2.0, 2.0)
EMOTION_LABELS: dict[int, tuple[str, str]] = {
    -2: ("Rất tiêu cực", "Very negative"),
    -1: ("Tiêu cực", "Negative"),
    0: ("Trung tính", "Neutral"),
    1: ("Tích cực", "Positive"),
    2: ("Rất tích cực", "Very positive"),
}

# Stage names are stored in English (the models' own names); the Vietnamese labels are for display.
STAGE_PRESETS: dict[str, tuple[tuple[str, str], ...]] = {
    "5a": (
        ("Attract", "Thu hút"),
        ("Accept", "Chấp nhận"),
        ("Adopt", "Sử dụng"),
        ("Amplify", "Lan tỏa"),
        ("Advance", "Phát triển"),
    ),
    "kotler": (
        ("Aware", "Nhận biết"),
        ("Appeal", "Thu hút"),
        ("Ask", "Tìm hiểu"),
        ("Act", "Hành động"),
        ("Advocate", "Ủng hộ"),
    ),
}
_VI_LABELS = {en: vi for stages in STAGE_PRESETS.values() for en, vi in stages}


def stage_label(stage: str, lang: str = "vi") -> str:
    """The display label of ``stage``: Vietnamese for the preset stages when ``lang="vi"``, else the name."""
    check_lang(lang)
    return _VI_LABELS.get(stage, stage) if lang == "vi" else stage


def _clean_stages(stages: Any) -> tuple[str, ...]:
    if isinstance(stages, str):
        key = stages.strip().casefold()
        if key not in STAGE_PRESETS:
            raise ValueError(
                f"unknown stage preset {stages!r}; presets are {', '.join(map(repr, STAGE_PRESETS))}"
                f", or give a list of stage names"
            )
        return tuple(en for en, _ in STAGE_PRESETS[key])
    names = clean_items(stages, "stages")
    if not names:
        raise ValueError("stages is empty; give at least one stage or a preset ('5a', 'kotler')")
    keys = [unique_key(n) for n in names]
    repeated = sorted({n for n, k in zip(names, keys) if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"stages repeat {', '.join(map(repr, repeated))}")
    return names


_TOUCHPOINT_FIELDS = ("stage", "name", "emotion", "channel", "need", "pain_points", "opportunities", "criteria")


@dataclass(frozen=True)
class Touchpoint:
    """One step of the journey: where the customer meets the offering and how it feels.

    ``emotion`` runs from −2 (very negative) to +2 (very positive); ``criteria`` are rubric criterion ids.
    """

    stage: str
    name: str
    emotion: float
    channel: str = ""
    need: str = ""
    pain_points: tuple[str, ...] = ()
    opportunities: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "stage", clean_text(self.stage, "stage", required=True))
        object.__setattr__(self, "name", clean_text(self.name, "name", required=True))
        object.__setattr__(self, "emotion", clean_number(self.emotion, f"{self.name}: emotion", *EMOTION))
        object.__setattr__(self, "channel", clean_text(self.channel, "channel"))
        object.__setattr__(self, "need", clean_text(self.need, "need"))
        object.__setattr__(self, "pain_points", clean_items(self.pain_points, "pain_points"))
        object.__setattr__(self, "opportunities", clean_items(self.opportunities, "opportunities"))
        object.__setattr__(self, "criteria", clean_ids(self.criteria, "criteria"))

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"stage": self.stage, "name": self.name, "emotion": self.emotion}
        for key in ("channel", "need"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        for key in ("pain_points", "opportunities", "criteria"):
            if getattr(self, key):
                out[key] = list(getattr(self, key))
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Touchpoint:
        data = fields_of(data, _TOUCHPOINT_FIELDS, "touchpoint", required=("stage", "name", "emotion"))
        return cls(**data)


def _as_touchpoint(item: Any) -> Touchpoint:
    return item if isinstance(item, Touchpoint) else Touchpoint.from_dict(item)


@dataclass(frozen=True)
class JourneyMap(Record):
    """Touchpoints along the stages of a customer journey.

    Parameters
    ----------
    touchpoints : sequence of Touchpoint (or dicts)
        Each touchpoint's ``stage`` must be one of ``stages`` (matched ignoring case; stored as spelled in
        ``stages``). Within a stage, touchpoints keep the order given. (stage, name) pairs are unique.
    stages : "5a", "kotler" or a sequence of stage names
        ``"5a"``: Attract, Accept, Adopt, Amplify, Advance (default). ``"kotler"``: Aware, Appeal, Ask, Act,
        Advocate.
    title, persona : str
        A heading, and whose journey it is.

    Examples
    --------
    >>> j = JourneyMap([Touchpoint("attract", "Quảng cáo", 1)])
    >>> j.touchpoints[0].stage
    'Attract'
    """

    touchpoints: tuple[Touchpoint, ...] = ()
    stages: tuple[str, ...] | str = "5a"
    title: str = ""
    persona: str = ""

    KIND = "journey_map"
    FIELDS = ("title", "persona", "stages", "touchpoints")

    def __post_init__(self) -> None:
        stages = _clean_stages(self.stages)
        canonical = {unique_key(s): s for s in stages}
        points = []
        seen: dict[tuple[str, str], int] = {}
        for i, point in enumerate(each(self.touchpoints, "touchpoints", _as_touchpoint)):
            stage = canonical.get(unique_key(point.stage))
            if stage is None:
                raise ValueError(
                    f"touchpoints[{i}] ({point.name!r}): stage {point.stage!r} is not one of the "
                    f"journey's stages {', '.join(map(repr, stages))}"
                )
            key = (stage, unique_key(point.name))
            if key in seen:
                raise ValueError(
                    f"touchpoints[{i}]: {point.name!r} appears twice in stage {stage!r} (see touchpoints[{seen[key]}])"
                )
            seen[key] = i
            points.append(point if point.stage == stage else replace(point, stage=stage))
        object.__setattr__(self, "stages", stages)
        object.__setattr__(self, "touchpoints", tuple(points))
        object.__setattr__(self, "title", clean_text(self.title, "title"))
        object.__setattr__(self, "persona", clean_text(self.persona, "persona"))

    # -- editing -----------------------------------------------------------------------------------------
    def with_touchpoint(self, touchpoint: Touchpoint | Mapping[str, Any]) -> JourneyMap:
        """A new map with ``touchpoint`` added, or replacing the one with the same stage and name."""
        new = _as_touchpoint(touchpoint)
        key = (unique_key(new.stage), unique_key(new.name))
        keys = [(unique_key(p.stage), unique_key(p.name)) for p in self.touchpoints]
        points = [new if k == key else p for p, k in zip(self.touchpoints, keys)]
        if key not in keys:
            points.append(new)
        return replace(self, touchpoints=tuple(points))

    def without(self, stage: str, name: str) -> JourneyMap:
        """A new map without the touchpoint ``name`` of ``stage`` (KeyError when there is none)."""
        key = (unique_key(stage), unique_key(name))
        kept = tuple(p for p in self.touchpoints if (unique_key(p.stage), unique_key(p.name)) != key)
        if len(kept) == len(self.touchpoints):
            raise KeyError(f"no touchpoint {name!r} in stage {stage!r}")
        return replace(self, touchpoints=kept)

    def ordered(self) -> tuple[Touchpoint, ...]:
        """Touchpoints in journey order: by stage, then in the order given within a stage."""
        order = {s: i for i, s in enumerate(self.stages)}
        return tuple(sorted(self.touchpoints, key=lambda p: order[p.stage]))

    # -- tables ------------------------------------------------------------------------------------------
    def table(self, lang: str = "vi") -> pd.DataFrame:
        """One row per touchpoint in journey order. Lists are joined with "; " (criteria with ", ")."""
        columns = [
            "stage",
            "stage_label",
            "touchpoint",
            "channel",
            "need",
            "emotion",
            "pain_points",
            "opportunities",
            "criteria",
        ]
        rows = [
            {
                "stage": p.stage,
                "stage_label": stage_label(p.stage, lang),
                "touchpoint": p.name,
                "channel": p.channel,
                "need": p.need,
                "emotion": float(p.emotion),
                "pain_points": "; ".join(p.pain_points),
                "opportunities": "; ".join(p.opportunities),
                "criteria": ", ".join(p.criteria),
            }
            for p in self.ordered()
        ]
        return pd.DataFrame(rows, columns=columns)

    def pain_points(self, lang: str = "vi", *, criteria: Sequence[str] | None = None) -> pd.DataFrame:
        """One row per pain point, numbered P1, P2 … in journey order (the numbers the figure shows).

        With ``criteria``, only pain points of touchpoints linked to at least one of those criterion ids.
        """
        check_lang(lang)
        wanted = None if criteria is None else set(clean_ids(list(criteria), "criteria"))
        rows = []
        number = 0
        for point in self.ordered():
            for pain in point.pain_points:
                number += 1
                if wanted is not None and not wanted & set(point.criteria):
                    continue
                rows.append(
                    {
                        "number": f"P{number}",
                        "stage": point.stage,
                        "stage_label": stage_label(point.stage, lang),
                        "touchpoint": point.name,
                        "emotion": float(point.emotion),
                        "pain_point": pain,
                        "criteria": ", ".join(point.criteria),
                    }
                )
        return pd.DataFrame(
            rows, columns=["number", "stage", "stage_label", "touchpoint", "emotion", "pain_point", "criteria"]
        )

    def stage_summary(self, lang: str = "vi") -> pd.DataFrame:
        """One row per stage (all stages, in order): touchpoints, mean emotion (NaN when the stage has no
        touchpoint), pain points and opportunities counted."""
        rows = []
        for stage in self.stages:
            points = [p for p in self.touchpoints if p.stage == stage]
            rows.append(
                {
                    "stage": stage,
                    "stage_label": stage_label(stage, lang),
                    "touchpoints": len(points),
                    "mean_emotion": float(np.mean([p.emotion for p in points])) if points else np.nan,
                    "pain_points": sum(len(p.pain_points) for p in points),
                    "opportunities": sum(len(p.opportunities) for p in points),
                }
            )
        return pd.DataFrame(
            rows, columns=["stage", "stage_label", "touchpoints", "mean_emotion", "pain_points", "opportunities"]
        )

    def positions(self) -> list[float]:
        """x position of each touchpoint in :meth:`ordered` order: stage ``i`` spans ``i − 0.5`` to
        ``i + 0.5`` and its ``k`` touchpoints sit at ``i − 0.5 + j / (k + 1)``, ``j = 1 … k``."""
        counts = {s: sum(p.stage == s for p in self.touchpoints) for s in self.stages}
        index = {s: i for i, s in enumerate(self.stages)}
        seen: dict[str, int] = {}
        out = []
        for point in self.ordered():
            seen[point.stage] = seen.get(point.stage, 0) + 1
            out.append(index[point.stage] - 0.5 + seen[point.stage] / (counts[point.stage] + 1))
        return out

    # -- round trip -----------------------------------------------------------------------------------------
    def _body(self) -> dict:
        return {
            "title": self.title,
            "persona": self.persona,
            "stages": list(self.stages),
            "touchpoints": [p.to_dict() for p in self.touchpoints],
        }

    @classmethod
    def _from_body(cls, data: dict) -> JourneyMap:
        return cls(
            touchpoints=data.get("touchpoints") or (),
            stages=data.get("stages", "5a"),
            title=data.get("title") or "",
            persona=data.get("persona") or "",
        )

    # -- rendering ---------------------------------------------------------------------------------------
    def heading(self, lang: str = "vi") -> str:
        base = self.title or pick("cx.customer_journey", lang)
        return f"{base} — {self.persona}" if self.persona and not self.title else base

    def plot(self, ax: Axes | None = None, *, lang: str = "vi", pain_list: bool = True) -> Axes:
        """The journey figure: the emotion curve through the touchpoints across the stages, pain points
        marked with red triangles numbered P1, P2 … (listed under the axes when ``pain_list``).
        Returns the Axes."""
        check_lang(lang)
        points = self.ordered()
        xs = self.positions()
        ys = [float(p.emotion) for p in points]
        with _style.style():
            ax = _style.axes(ax, (max(8.0, 2.2 * len(self.stages)), 5.5))
            for i in range(len(self.stages)):
                ax.axvspan(i - 0.5, i + 0.5, color=_style.STAGE_BANDS[i % 2], zorder=0, lw=0)
            ax.axhline(0, color=_style.MUTED, lw=0.8, ls=":", zorder=1)
            ax.plot(xs, ys, color=_style.EMOTION_LINE, lw=2, marker="o", ms=7, zorder=3, gid="emotion-curve")
            pain_x, pain_y, labels, number = [], [], [], 0
            for point, x, y in zip(points, xs, ys):
                ax.annotate(
                    "\n".join(textwrap.wrap(point.name, 18)[:3]),
                    (x, y),
                    xytext=(0, 9),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    fontsize=8,
                    fontfamily=_style.FONT,
                    zorder=4,
                )
                if point.pain_points:
                    first = number + 1
                    number += len(point.pain_points)
                    pain_x.append(x)
                    pain_y.append(y - 0.32)
                    labels.append(f"P{first}" if first == number else f"P{first}–P{number}")
            ax.scatter(pain_x, pain_y, marker="v", s=70, color=_style.PAIN, zorder=4, gid="pain-points")
            for x, y, label in zip(pain_x, pain_y, labels):
                ax.annotate(
                    label,
                    (x, y),
                    xytext=(0, -8),
                    textcoords="offset points",
                    ha="center",
                    va="top",
                    fontsize=8,
                    color=_style.PAIN,
                    fontweight="bold",
                    fontfamily=_style.FONT,
                    gid="pain-label",
                )
            ax.set_xlim(-0.5, len(self.stages) - 0.5)
            ax.set_ylim(-2.9, 2.9)
            ax.set_xticks(range(len(self.stages)), [stage_label(s, lang) for s in self.stages], fontweight="bold")
            ax.set_yticks(
                sorted(EMOTION_LABELS), [f"{v:+d} {pick(EMOTION_LABELS[v], lang)}" for v in sorted(EMOTION_LABELS)]
            )
            ax.tick_params(axis="x", length=0)
            ax.set_ylabel(pick("cx.customer_emotion", lang))
            ax.set_title(self.heading(lang))
            if pain_list and number:
                entries = self.pain_points(lang)
                text = "\n".join(
                    textwrap.shorten(
                        f"{row.number}  {row.stage_label} · {row.touchpoint}: {row.pain_point}", 130, placeholder=" …"
                    )
                    for row in entries.itertuples()
                )
                ax.text(
                    0.0,
                    -0.1,
                    f"{pick('cx.pain_points', lang)}\n{text}",
                    transform=ax.transAxes,
                    ha="left",
                    va="top",
                    fontsize=8,
                    color=_style.PAIN,
                    fontfamily=_style.FONT,
                    gid="pain-list",
                )
            return _style.finish(ax)

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = None) -> str:
        """A Markdown section: one table row per touchpoint (with criterion texts when ``rubric`` is given)."""
        check_lang(lang)
        rubric = resolve_rubric(rubric)
        head = [
            pick(f"cx.journey_col_{c}", lang)
            for c in ("stage", "touchpoint", "channel", "need", "emotion", "pain_points", "opportunities", "criteria")
        ]
        lines = [
            f"{'#' * heading} {md(self.heading(lang))}",
            "",
            "| " + " | ".join(head) + " |",
            "|" + "---|" * len(head),
        ]
        for p in self.ordered():
            lines.append(
                f"| {md(stage_label(p.stage, lang))} | {md(p.name)} | {md(p.channel)} | {md(p.need)} | "
                f"{p.emotion:+g} | {'<br>'.join(md(x) for x in p.pain_points)} | "
                f"{'<br>'.join(md(x) for x in p.opportunities)} | {md(', '.join(p.criteria))} |"
            )
        linked = tuple(dict.fromkeys(c for p in self.touchpoints for c in p.criteria))
        if linked and rubric is not None:
            lines += ["", f"**{pick('cx.linked_criteria', lang)}**", ""]
            lines += criterion_lines(linked, rubric, lang)
        lines.append("")
        return "\n".join(lines)

    def to_html(self, lang: str = "vi") -> str:
        """An HTML table of the touchpoints (every text escaped)."""
        table = self.table(lang)
        head = "".join(f"<th>{esc(c)}</th>" for c in table.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in table.itertuples(index=False)
        )
        return (
            f'<div class="dxlab-cx journey-map"><h3>{esc(self.heading(lang))}</h3>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    editor = editor_method()
