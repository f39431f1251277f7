"""Word (.docx) of a report model with python-docx: headings, APA-style tables, figures at print resolution.

APA style (7th edition, tables and figures): the number in bold above, the title in italics below it; a
table has three horizontal rules (above the header, below the header, below the last row) and no vertical
ones; a note below starts with an italic "Note." (*Ghi chú.*). Figures are 300 dpi PNGs at their printed
width. The font is one with Vietnamese glyphs (Times New Roman, declared for the East Asian and complex
scripts too, so Word does not substitute a font without tone marks).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from .._i18n import tr
from ._model import Facts, Figure, Note, Paragraph, ReportModel, Table

__all__ = ["docx_bytes", "render_docx"]

_FONT = "Times New Roman"
# XML 1.0 has no place for most control characters; a respondent's text may hold them (pasted from elsewhere).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_RULE = {"val": "single", "sz": "8", "space": "0", "color": "000000"}


def _text(value: object) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _set_font(document: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = document.styles[name]
        style.font.name = _FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), _FONT)
    document.styles["Normal"].font.size = Pt(11)


def _borders(cell: Any, **edges: dict[str, str] | None) -> None:
    """Set (or clear, with ``None``) the given edges of a table cell."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tc_pr = cell._tc.get_or_add_tcPr()
    borders = tc_pr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tc_pr.append(borders)
    for edge, spec in edges.items():
        element = OxmlElement(f"w:{edge}")
        for key, value in (spec or {"val": "nil"}).items():
            element.set(qn(f"w:{key}"), value)
        borders.append(element)


def _shade(cell: Any, colour: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not colour.startswith("#"):
        return
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), colour.lstrip("#"))
    cell._tc.get_or_add_tcPr().append(shading)


def _caption(document: Any, label: str, title: str) -> None:
    number = document.add_paragraph()
    number.add_run(label).bold = True
    number.paragraph_format.space_after = 0
    number.paragraph_format.keep_with_next = True
    heading = document.add_paragraph()
    heading.add_run(title).italic = True
    heading.paragraph_format.keep_with_next = True


def _write_cell(cell: Any, text: str, *, bold: bool = False, right: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_text(text))
    run.bold = bold
    run.font.size = Pt(9.5)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(document: Any, table: Table, number: int, lang: str) -> None:
    frame = table.frame
    _caption(document, tr("report.table", lang, n=number), table.title)
    grid = document.add_table(rows=len(frame) + 1, cols=frame.shape[1])
    numeric = {j for j, c in enumerate(frame.columns) if c in table.numeric}
    last = len(frame)
    for j, column in enumerate(frame.columns):
        cell = grid.rows[0].cells[j]
        _write_cell(cell, str(column), bold=True, right=j in numeric)
        _borders(cell, top=_RULE, bottom=_RULE, left=None, right=None)
    for i in range(len(frame)):
        row = grid.rows[i + 1]
        if i in table.group_rows:
            merged = row.cells[0].merge(row.cells[-1])
            _write_cell(merged, str(frame.iat[i, 0]), bold=True)
            _borders(merged, bottom=_RULE if i + 1 == last else None, top=None, left=None, right=None)
            continue
        for j in range(frame.shape[1]):
            cell = row.cells[j]
            _write_cell(cell, str(frame.iat[i, j]), right=j in numeric)
            if (i, j) in table.badges:
                _shade(cell, table.badges[(i, j)][0])
            _borders(cell, bottom=_RULE if i + 1 == last else None, top=None, left=None, right=None)
    if table.note:
        note = document.add_paragraph()
        note.add_run(tr("report.note_lead", lang)).italic = True
        note.add_run(" " + _text(table.note))


def _figure(document: Any, figure: Figure, number: int, lang: str) -> None:
    from docx.shared import Mm

    _caption(document, tr("report.figure", lang, n=number), figure.title)
    document.add_picture(io.BytesIO(figure.png), width=Mm(min(figure.width_mm, 165.0)))


def _facts(document: Any, facts: Facts) -> None:
    if facts.title:
        document.add_heading(facts.title, level=3)
    for label, value in facts.rows:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(_text(value))
        paragraph.paragraph_format.space_after = 0


def _page(document: Any) -> None:
    from docx.shared import Mm

    for section in document.sections:
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)


def _body(document: Any, model: ReportModel) -> None:
    tables = figures = 0
    for section in model.sections:
        if section.title:
            document.add_heading(section.title, level=1)
        for block in section.blocks:
            if isinstance(block, Table):
                tables += 1
                _table(document, block, tables, model.lang)
            elif isinstance(block, Figure):
                figures += 1
                _figure(document, block, figures, model.lang)
            elif isinstance(block, Facts):
                _facts(document, block)
            elif isinstance(block, Note):
                document.add_paragraph().add_run(_text(block.text)).bold = True
            elif isinstance(block, Paragraph):
                document.add_paragraph(_text(block.text))


def docx_bytes(model: ReportModel) -> bytes:
    """The report as a Word document (bytes)."""
    import docx

    document = docx.Document()
    _set_font(document)
    _page(document)
    document.core_properties.title = model.title
    document.core_properties.language = model.lang
    document.add_heading(model.title, level=0)
    document.add_paragraph(_text(model.subtitle))
    if model.note:
        document.add_paragraph().add_run(model.note).bold = True
    for label, value in model.facts:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
        paragraph.paragraph_format.space_after = 0
    _body(document, model)
    document.add_paragraph().add_run(model.footer).italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_docx(model: ReportModel, path: str | Path) -> Path:
    """Write the report as a Word document at ``path`` (.docx); returns the path.

    Parameters
    ----------
    model : EnterpriseCard or SectorReport
    path : str or Path

    Examples
    --------
    >>> import dxlab
    >>> responses = dxlab.sample.synthetic_responses("mobifone-dx", n=200, seed=1)
    >>> card = dxlab.report.build_card(responses, "R000001", lang="en")
    >>> dxlab.report.render_docx(card, "/tmp/card.docx")  # doctest: +SKIP
    PosixPath('/tmp/card.docx')
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(docx_bytes(model))
    return path
