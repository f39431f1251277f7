"""Personas and empathy maps: who the customer is, and what they say, think, feel and do.

Both render as a one-page matplotlib card (``plot(fig=None)``), an HTML card (``to_html``, every text
escaped) and a Markdown section for the workshop sheet.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from ..rubric import Rubric
from . import _cards, _style
from ._base import Record, check_lang, clean_items, clean_text, editor_method, esc, md, pick, require, unique_key

__all__ = ["EmpathyMap", "Persona", "EMPATHY_QUADRANTS"]

EMPATHY_QUADRANTS: dict[str, tuple[str, str]] = {
    "says": ("Nói", "Says"),
    "thinks": ("Nghĩ", "Thinks"),
    "does": ("Làm", "Does"),
    "feels": ("Cảm thấy", "Feels"),
}
_MORE = ("+{n} ý nữa", "+{n} more")

_CARD_CSS = (
    "font-family:'DejaVu Sans',Arial,sans-serif;border:1px solid #264653;border-radius:8px;"
    "padding:12px 16px;max-width:720px"
)


def _html_list(items: tuple[str, ...]) -> str:
    if not items:
        return "<p>—</p>"
    return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"


def _md_list(items: tuple[str, ...]) -> list[str]:
    return [f"- {md(item)}" for item in items] or ["- —"]


@dataclass(frozen=True)
class EmpathyMap(Record):
    """What a customer says, thinks, feels and does — the four quadrants of an empathy map.

    Parameters
    ----------
    subject : str
        Whom the map is about (a persona's name or a segment); required.
    says, thinks, feels, does : sequence of str
        One entry per observation; a quadrant may be empty while the workshop fills it in.
    title : str
        Optional heading; defaults to "Bản đồ thấu cảm — <subject>".

    Examples
    --------
    >>> EmpathyMap("Chị Lan", says=["Tôi không có thời gian ra cửa hàng"]).says
    ('Tôi không có thời gian ra cửa hàng',)
    """

    subject: str
    says: tuple[str, ...] = ()
    thinks: tuple[str, ...] = ()
    feels: tuple[str, ...] = ()
    does: tuple[str, ...] = ()
    title: str = ""

    KIND = "empathy_map"
    FIELDS = ("title", "subject", "says", "thinks", "feels", "does")

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject", clean_text(self.subject, "subject", required=True))
        object.__setattr__(self, "title", clean_text(self.title, "title"))
        for quadrant in EMPATHY_QUADRANTS:
            object.__setattr__(self, quadrant, clean_items(getattr(self, quadrant), quadrant))

    def heading(self, lang: str = "vi") -> str:
        return self.title or f"{pick('cx.empathy_map', lang)} — {self.subject}"

    def _body(self) -> dict:
        return {
            "title": self.title,
            "subject": self.subject,
            **{q: list(getattr(self, q)) for q in ("says", "thinks", "feels", "does")},
        }

    @classmethod
    def _from_body(cls, data: dict) -> EmpathyMap:
        require(data, ("subject",))
        return cls(**data)

    def plot(self, fig: Figure | None = None, *, lang: str = "vi") -> Figure:
        """The empathy map as a one-page card: Says and Thinks above, Does and Feels below, the subject
        between them. Returns the Figure."""
        check_lang(lang)
        with _style.style():
            fig = _style.figure(fig, (11.0, 7.5))
            ax = _cards.card_axes(fig)
            width, height = fig.get_size_inches()
            margin, gap, top, band = 0.3, 0.15, 0.75, 0.6
            box_w = (width - 2 * margin - gap) / 2
            box_h = (height - top - margin - band) / 2
            ax.text(
                margin,
                height - 0.3,
                self.heading(lang),
                ha="left",
                va="top",
                fontsize=15,
                fontweight="bold",
                color=_style.CARD_ACCENT,
                fontfamily=_style.FONT,
            )
            places = {"says": (0, 1), "thinks": (1, 1), "does": (0, 0), "feels": (1, 0)}
            for quadrant, (col, row) in places.items():
                x = margin + col * (box_w + gap)
                y = margin + row * (box_h + band)
                _cards.box(
                    ax,
                    x,
                    y,
                    box_w,
                    box_h,
                    heading=pick(EMPATHY_QUADRANTS[quadrant], lang),
                    items=getattr(self, quadrant),
                    facecolor=_style.EMPATHY_COLOURS[quadrant],
                    more=pick(_MORE, lang),
                    gid=f"empathy-{quadrant}",
                )
            # the person sits in the band between the upper and the lower pair of quadrants
            name = _cards.wrap((self.subject,), width / 2, 11, bullet="")[0]
            ax.text(
                width / 2,
                margin + box_h + band / 2,
                name,
                ha="center",
                va="center",
                fontsize=11,
                fontweight="bold",
                color=_style.CARD_ACCENT,
                fontfamily=_style.FONT,
                gid="empathy-subject",
                bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": _style.CARD_ACCENT},
            )
            return fig

    def to_html(self, lang: str = "vi") -> str:
        """An HTML card with the four quadrants in a 2 × 2 grid (every text escaped)."""
        check_lang(lang)
        cells = "".join(
            f'<div style="background:{_style.EMPATHY_COLOURS[q]};padding:6px 10px;border-radius:6px">'
            f"<h4>{esc(pick(EMPATHY_QUADRANTS[q], lang))}</h4>{_html_list(getattr(self, q))}</div>"
            for q in ("says", "thinks", "does", "feels")
        )
        return (
            f'<div class="dxlab-cx empathy-map" style="{_CARD_CSS}"><h3>{esc(self.heading(lang))}</h3>'
            f'<div style="display:grid;grid-template-columns:1fr 1fr;gap:8px">{cells}</div></div>'
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = None) -> str:
        """A Markdown section with the four quadrants as lists."""
        check_lang(lang)
        lines = [f"{'#' * heading} {md(self.heading(lang))}", ""]
        for quadrant in ("says", "thinks", "feels", "does"):
            lines += [f"**{pick(EMPATHY_QUADRANTS[quadrant], lang)}**", ""] + _md_list(getattr(self, quadrant))
            lines.append("")
        return "\n".join(lines)

    editor = editor_method()


def _clean_demographics(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        pairs = list(value.items())
    else:
        try:
            pairs = [tuple(pair) for pair in value]
        except TypeError:
            raise ValueError(
                f"demographics must be a mapping such as {{'age': 34}}, not {type(value).__name__}"
            ) from None
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, pair in enumerate(pairs):
        if len(pair) != 2:
            raise ValueError(f"demographics[{i}] must be a (label, value) pair")
        label = clean_text(pair[0], f"demographics[{i}] label", required=True)
        if unique_key(label) in seen:
            raise ValueError(f"demographics repeats the label {label!r}")
        seen.add(unique_key(label))
        out.append((label, clean_text(pair[1], f"demographics[{label!r}]", required=True)))
    return tuple(out)


@dataclass(frozen=True)
class Persona(Record):
    """A customer persona: who they are, what drives them, what they need and what hurts, in their words.

    Parameters
    ----------
    name : str
        The persona's name ("Chị Lan, chủ shop online"); required.
    quote : str
        Something a real customer said.
    segment : str
        The customer segment the persona stands for.
    demographics : mapping of label → value
        E.g. ``{"Tuổi": 34, "Nơi sống": "Đà Nẵng"}``; values are kept as text.
    motives, needs, pain_points : sequence of str
        One entry per item.

    Examples
    --------
    >>> Persona("Chị Lan", demographics={"Tuổi": 34}).demographics
    (('Tuổi', '34'),)
    """

    name: str
    quote: str = ""
    segment: str = ""
    demographics: tuple[tuple[str, str], ...] = ()
    motives: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    pain_points: tuple[str, ...] = ()

    KIND = "persona"
    FIELDS = ("name", "segment", "quote", "demographics", "motives", "needs", "pain_points")
    SECTIONS = {
        "motives": ("Động lực", "Motives"),
        "needs": ("Nhu cầu", "Needs"),
        "pain_points": ("Điểm đau", "Pain points"),
    }

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", clean_text(self.name, "name", required=True))
        object.__setattr__(self, "quote", clean_text(self.quote, "quote"))
        object.__setattr__(self, "segment", clean_text(self.segment, "segment"))
        object.__setattr__(self, "demographics", _clean_demographics(self.demographics))
        for section in self.SECTIONS:
            object.__setattr__(self, section, clean_items(getattr(self, section), section))

    def _body(self) -> dict:
        return {
            "name": self.name,
            "segment": self.segment,
            "quote": self.quote,
            "demographics": dict(self.demographics),
            "motives": list(self.motives),
            "needs": list(self.needs),
            "pain_points": list(self.pain_points),
        }

    @classmethod
    def _from_body(cls, data: dict) -> Persona:
        require(data, ("name",))
        return cls(**data)

    def plot(self, fig: Figure | None = None, *, lang: str = "vi") -> Figure:
        """The persona as a one-page A4 card: name, segment and quote on top, demographics on the left,
        motives, needs and pain points on the right. Returns the Figure."""
        check_lang(lang)
        with _style.style():
            fig = _style.figure(fig, (8.27, 11.69))
            ax = _cards.card_axes(fig)
            width, height = fig.get_size_inches()
            margin = 0.45
            ax.text(
                margin,
                height - margin,
                self.name,
                ha="left",
                va="top",
                fontsize=20,
                fontweight="bold",
                color=_style.CARD_ACCENT,
                fontfamily=_style.FONT,
                gid="persona-name",
            )
            y = height - margin - 0.5
            if self.segment:
                ax.text(
                    margin,
                    y,
                    self.segment,
                    ha="left",
                    va="top",
                    fontsize=11,
                    color=_style.MUTED,
                    fontfamily=_style.FONT,
                )
                y -= 0.35
            if self.quote:
                quote_lines = _cards.wrap((f"“{self.quote}”",), width - 2 * margin - 0.3, 12, bullet="")[:4]
                ax.text(
                    margin + 0.15,
                    y - 0.1,
                    "\n".join(quote_lines),
                    ha="left",
                    va="top",
                    fontsize=12,
                    style="italic",
                    color="#343a40",
                    fontfamily=_style.FONT,
                    linespacing=_cards.LINE,
                )
                y -= 0.3 + len(quote_lines) * 12 * _cards.LINE / 72
            top = y - 0.15
            left_w = 2.6
            demo = tuple(f"{label}: {value}" for label, value in self.demographics)
            _cards.box(
                ax,
                margin,
                margin,
                left_w,
                top - margin,
                heading=pick("cx.demographics", lang),
                items=demo,
                facecolor="#f1f3f5",
                more=pick(_MORE, lang),
                gid="persona-demographics",
            )
            right_x = margin + left_w + 0.2
            right_w = width - right_x - margin
            section_h = (top - margin - 2 * 0.15) / 3
            colours = {"motives": "#e9f5f2", "needs": "#eef1fb", "pain_points": "#fbeaea"}
            for i, (section, label) in enumerate(self.SECTIONS.items()):
                box_y = top - (i + 1) * section_h - i * 0.15
                _cards.box(
                    ax,
                    right_x,
                    box_y,
                    right_w,
                    section_h,
                    heading=pick(label, lang),
                    items=getattr(self, section),
                    facecolor=colours[section],
                    more=pick(_MORE, lang),
                    gid=f"persona-{section}",
                )
            return fig

    def to_html(self, lang: str = "vi") -> str:
        """An HTML card (every text escaped)."""
        check_lang(lang)
        parts = [f'<div class="dxlab-cx persona" style="{_CARD_CSS}"><h3>{esc(self.name)}</h3>']
        if self.segment:
            parts.append(f'<p style="color:#6c757d">{esc(self.segment)}</p>')
        if self.quote:
            parts.append(f"<blockquote><em>“{esc(self.quote)}”</em></blockquote>")
        if self.demographics:
            rows = "".join(
                f"<tr><th style='text-align:left'>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in self.demographics
            )
            parts.append(f"<h4>{esc(pick('cx.demographics', lang))}</h4><table>{rows}</table>")
        for section, label in self.SECTIONS.items():
            parts.append(f"<h4>{esc(pick(label, lang))}</h4>{_html_list(getattr(self, section))}")
        parts.append("</div>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = None) -> str:
        """A Markdown section: name, segment, quote, demographics and the three lists."""
        check_lang(lang)
        lines = [f"{'#' * heading} {pick('cx.persona', lang)}: {md(self.name)}", ""]
        if self.segment:
            lines += [f"*{md(self.segment)}*", ""]
        if self.quote:
            lines += [f"> “{md(self.quote)}”", ""]
        if self.demographics:
            lines += [f"**{pick('cx.demographics', lang)}**", ""]
            lines += [f"- {md(label)}: {md(value)}" for label, value in self.demographics] + [""]
        for section, label in self.SECTIONS.items():
            lines += [f"**{pick(label, lang)}**", ""] + _md_list(getattr(self, section)) + [""]
        return "\n".join(lines)

    editor = editor_method()
