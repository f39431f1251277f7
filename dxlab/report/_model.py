"""The building blocks of a report model: text, tables and figures, computed once and rendered many ways.

A report (:class:`ReportModel`) is a title, a few facts, an optional note about the data and a tuple of
:class:`Section` s; a section is a tuple of blocks. Tables hold their cells as the text the reader sees
(numbers already formatted in the report's language), so the HTML and the Word document show the same
cells, and a test can compare a rendered document with the model. Figures hold the matplotlib figure and
render it to SVG (HTML) or to a 300 dpi PNG (Word) on first use.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure as MplFigure

__all__ = [
    "PRINT_DPI",
    "Block",
    "Facts",
    "Figure",
    "Note",
    "Paragraph",
    "ReportFiles",
    "ReportModel",
    "Section",
    "Table",
]

#: Resolution of the figures in the Word document (print quality).
PRINT_DPI = 300


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Note:
    """A highlighted remark (small samples, synthetic data, a single sector…)."""

    text: str


@dataclass(frozen=True)
class Facts:
    """Label–value pairs shown as a two-column list (no table number)."""

    rows: tuple[tuple[str, str], ...]
    title: str | None = None


@dataclass(frozen=True, eq=False)
class Table:
    """A numbered table: ``frame`` holds the cells as shown (text), ``title`` goes above, ``note`` below.

    ``numeric`` names the right-aligned columns; ``badges`` maps ``(row, column)`` positions to a
    background and text colour (level badges); ``group_rows`` are rows whose first cell is a heading over
    the whole width (e.g. a dimension above its criteria).
    """

    title: str
    frame: pd.DataFrame
    note: str | None = None
    numeric: tuple[str, ...] = ()
    badges: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    group_rows: tuple[int, ...] = ()


@dataclass(frozen=True, eq=False)
class Figure:
    """A numbered figure; ``width_mm`` is its printed width."""

    title: str
    figure: MplFigure
    width_mm: float = 160.0

    def _save(self, fmt: str, **options: object) -> bytes:
        from ..plots import style

        buffer = io.BytesIO()
        with style():
            # The figures are laid out (constrained layout) to fit their canvas: no second, "tight" pass.
            self.figure.savefig(buffer, format=fmt, **options)
        return buffer.getvalue()

    @cached_property
    def svg(self) -> bytes:
        """Text stays text (searchable in the PDF, sharp in print)."""
        return self._save("svg", metadata={"Date": None})

    @cached_property
    def png(self) -> bytes:
        # Fast zlib level: a third larger file, encoded several times faster.
        return self._save("png", dpi=PRINT_DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})


Block = Paragraph | Note | Facts | Table | Figure


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, eq=False, repr=False)
class ReportModel:
    """What every renderer needs: the document's title, subtitle, facts, data note, sections and footer."""

    lang: str
    stem: str
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    note: str | None
    sections: tuple[Section, ...]
    footer: str

    def __repr__(self) -> str:
        counts = f"{len(self.sections)} sections, {len(self.tables())} tables, {len(self.figures())} figures"
        return f"<{type(self).__name__} {self.stem}: {counts}>"

    def tables(self) -> list[Table]:
        """Every table, in document order (their numbers are 1, 2, …)."""
        return [b for s in self.sections for b in s.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, Figure)]

    def _repr_html_(self) -> str:
        # Styles scoped to the report, so showing it in a notebook does not restyle JupyterLab around it.
        from ._render_html import CSS, render_body, scoped_css

        return f"<style>{scoped_css(CSS)}</style>\n{render_body(self)}"


@dataclass(frozen=True)
class ReportFiles:
    """What a report's ``save`` (or :func:`dxlab.report.sector`) wrote; ``html`` is None when not asked for."""

    html: Path | None
    pdf: Path | None
    tables: tuple[Path, ...] = ()
    pdf_note: str | None = None
    docx: Path | None = None

    def written(self) -> list[Path]:
        return [p for p in (self.html, self.docx, self.pdf) if p is not None] + list(self.tables)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.written())
