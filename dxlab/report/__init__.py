"""Reports people hand on: an enterprise's report card and a sector report (HTML, and PDF via Chromium).

``enterprise(responses, response_id, rubric)`` builds one assessment's report card; ``sector(...)`` runs
the parameterised notebook ``notebooks/05-sector-report.ipynb`` with papermill and converts it to HTML
without code (and to PDF). Everything a respondent typed is HTML-escaped (Jinja2 autoescaping) and
neutralised in CSV/XLSX exports (:mod:`dxlab.io`).
"""

from ._enterprise import EnterpriseReport, ReportFiles, enterprise
from ._pdf import PdfUnavailable, find_chromium, html_to_pdf
from ._sector import SectorReport, largest_sector, load_responses, sector

__all__ = ["EnterpriseReport", "PdfUnavailable", "ReportFiles", "SectorReport", "enterprise", "find_chromium",
           "html_to_pdf", "largest_sector", "load_responses", "sector"]
