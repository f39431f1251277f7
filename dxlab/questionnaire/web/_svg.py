"""Inline SVG figures for the class pages: the radar and level-distribution bars.

Drawn as text from the numbers (a few microseconds each), so no figure library runs while a class waits;
SVG presentation attributes, not inline styles, so the strict Content-Security-Policy holds. Every text is
escaped, every figure carries a ``<title>`` and the numbers are also in a table or in text next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

__all__ = ["INK", "LEVEL_COLORS", "radar_svg", "stacked_bar_svg"]

# The five level colours of dxlab.plots (ColorBrewer RdYlBu; tests keep them equal to plots.level_colors(5)):
# kept here so the server never imports matplotlib.
LEVEL_COLORS: tuple[str, ...] = ("#d73027", "#fc8d59", "#fee090", "#91bfdb", "#4575b4")
# Text drawn on each level colour with a contrast ratio of at least 4.5:1.
INK: tuple[str, ...] = ("#ffffff", "#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff")


def _point(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.sin(angle), cy - radius * math.cos(angle)


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def radar_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    low: int = 1,
    high: int = 5,
    target: float | None = None,
    target_label: str = "",
    title: str = "",
    size: int = 340,
) -> str:
    """A radar of scores ``low``–``high`` on one axis per label.

    ``series`` holds ``(name, values, colour)``; a missing value (``None``/NaN) is drawn at the centre. Rings
    mark each whole level; ``target`` adds a dashed ring. Returns an ``<svg>`` element scaled to its box.
    """
    n = max(len(labels), 1)
    pad = 70
    cx = cy = size / 2 + pad
    radius = size / 2 - 10
    angles = [2 * math.pi * i / n for i in range(n)]

    def r_of(value: float | None) -> float:
        if value is None or not math.isfinite(value):
            return 0.0
        return radius * (min(max(value, low), high) - low + 1) / (high - low + 1)

    parts = [
        (
            f'<svg class="radar" viewBox="0 0 {size + 2 * pad} {size + 2 * pad}" role="img" '
            f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        ),
        f"<title>{escape(title)}</title>",
    ]
    for level in range(low, high + 1):
        ring = [_point(cx, cy, r_of(level), a) for a in angles]
        parts.append(f'<polygon points="{_polygon(ring)}" fill="none" stroke="#c8ccd2" stroke-width="1"/>')
        x, y = _point(cx, cy, r_of(level), 0)
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 4:.1f}" font-size="11" fill="#555">{level}</text>')
    for angle, label in zip(angles, labels, strict=False):
        x, y = _point(cx, cy, radius, angle)
        parts.append(f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="#c8ccd2"/>')
        lx, ly = _point(cx, cy, radius + 18, angle)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="13" text-anchor="{anchor}" '
            f'fill="#1a1a1a">{escape(label)}</text>'
        )
    if target is not None:
        ring = [_point(cx, cy, r_of(target), a) for a in angles]
        parts.append(
            f'<polygon points="{_polygon(ring)}" fill="none" stroke="#1a1a1a" stroke-width="1.5" '
            f'stroke-dasharray="5 4"><title>{escape(target_label)}</title></polygon>'
        )
    for name, values, colour in series:
        shape = [_point(cx, cy, r_of(v), a) for v, a in zip(values, angles, strict=False)]
        parts.append(
            f'<polygon points="{_polygon(shape)}" fill="{colour}" fill-opacity="0.25" stroke="{colour}" '
            f'stroke-width="2.5"><title>{escape(name)}</title></polygon>'
        )
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in shape)
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_svg(counts: Sequence[int], *, title: str, height: int = 22) -> str:
    """One horizontal bar split by level (``counts[i]`` respondents at level ``i + 1``), counts written in.

    Positions are percentages of the SVG's own width (no ``viewBox``), so the bar fills whatever width the
    page gives it while its text keeps its size.
    """
    total = sum(counts)
    parts = [
        (
            f'<svg class="bar" width="100%" height="{height}" role="img" aria-label="{escape(title)}" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        )
    ]
    if total == 0:
        parts.append(f'<rect x="0" y="0" width="100%" height="{height}" fill="#eef0f3"/>')
    x = 0.0
    for i, count in enumerate(counts):
        if not count:
            continue
        w = 100 * count / total
        colour, ink = LEVEL_COLORS[i % len(LEVEL_COLORS)], INK[i % len(INK)]
        parts.append(f'<rect x="{x:.3f}%" y="0" width="{w:.3f}%" height="{height}" fill="{colour}"/>')
        if w >= 5:
            parts.append(
                f'<text x="{x + w / 2:.3f}%" y="{height / 2 + 4:.1f}" font-size="12" text-anchor="middle" '
                f'fill="{ink}">{count}</text>'
            )
        x += w
    parts.append("</svg>")
    return "".join(parts)
