"""Reports people hand on: an enterprise's report card and a sector report, as HTML, Word and PDF.

Each report is first a model — :func:`build_card` gives an :class:`EnterpriseCard`, :func:`build_sector` a
:class:`SectorReport`: frozen dataclasses of tables, figures and text blocks, computed once — and then
rendered: :func:`render_html` (Jinja2, every respondent's text escaped), :func:`render_docx` (python-docx,
APA-style tables) and PDF through headless Chromium (:func:`html_to_pdf`). :func:`enterprise` and
:func:`sector` do both and write the files. Tables exported to CSV/XLSX are neutralised (:mod:`dxlab.io`).
"""

from ._card import EnterpriseCard, build_card
from ._enterprise import EnterpriseReport, ReportFiles, enterprise
from ._render_docx import docx_bytes, render_docx
from ._render_html import render_html
from ._render_pdf import PdfUnavailable, find_chromium, html_to_pdf
from ._sector import load_responses, sector
from ._sector_model import SectorReport, build_sector, largest_sector, latest_wave

__all__ = [
    "EnterpriseCard",
    "EnterpriseReport",
    "PdfUnavailable",
    "ReportFiles",
    "SectorReport",
    "build_card",
    "build_sector",
    "docx_bytes",
    "enterprise",
    "find_chromium",
    "html_to_pdf",
    "largest_sector",
    "latest_wave",
    "load_responses",
    "render_docx",
    "render_html",
    "sector",
]
