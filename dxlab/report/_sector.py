"""``dxlab.report.sector``: a sector's report, built by the package and written as HTML, Word and PDF.

No notebook and no Jupyter kernel is involved: :func:`build_sector` computes the model, the renderers write
it. ``notebooks/05-sector-report.ipynb`` shows the same model for analysts who want to see the code.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..io import read_table
from ..rubric import Rubric
from ._enterprise import check_formats, write_model
from ._model import ReportFiles
from ._render_html import render_html
from ._sector_model import SectorReport, build_sector, largest_sector

__all__ = ["DEFAULT_DATA", "SectorReport", "largest_sector", "load_responses", "sector"]

#: The processed sample that ``make demo`` writes (relative to the project folder).
DEFAULT_DATA = Path("data") / "processed" / "responses.parquet"


def load_responses(
    path: str | Path | None = None, *, root: Path | None = None, rubric: Rubric | str = "mobifone-dx"
) -> pd.DataFrame:
    """Responses from ``path`` (Parquet, CSV or XLSX); by default the processed sample
    (:func:`dxlab.sample.load_processed`, made from the shipped synthetic export when missing)."""
    if path is not None:
        return read_table(path)
    from ..sample import load_processed  # the demo data: only when no file is given

    return load_processed(root, rubric)


def sector(
    responses: pd.DataFrame | str | Path | None = None,
    sector: str | None = None,
    *,
    wave: object = None,
    rubric: Rubric | str = "mobifone-dx",
    lang: str | None = "vi",
    out: str | Path = "reports",
    pdf: bool | None = None,
    formats: str | Iterable[str] = ("html", "pdf"),
    n_boot: int = 2000,
    weakest: int = 5,
) -> ReportFiles:
    """Write the report of one sector: ``sector-<S>-<wave>-<lang>.html`` / ``.docx`` / ``.pdf``.

    Parameters
    ----------
    responses : DataFrame, path or None
        The responses, a path to them, or None for ``data/processed/responses.parquet`` (made from the
        synthetic sample when it does not exist).
    sector : str, optional
        VSIC section letter; default the largest known sector of the wave.
    wave : optional
        Survey wave; default the latest.
    rubric : Rubric or str
    lang : {"vi", "en"}
    out : path
        Output folder.
    pdf : bool or None
        None: print when Chromium is available, else record why not; True: raise if not possible; False: skip.
    formats : str or list
        Any of ``html``, ``docx``, ``pdf`` (``"html,docx,pdf"``).
    n_boot, weakest : int
        See :func:`build_sector`.

    Returns
    -------
    ReportFiles
        ``.html``, ``.docx``, ``.pdf`` (None when not written) and ``.pdf_note``.
    """
    check_formats(formats, lang)
    frame = responses if isinstance(responses, pd.DataFrame) else load_responses(responses, rubric=rubric)
    model = build_sector(frame, sector, wave=wave, rubric=rubric, lang=lang, n_boot=n_boot, weakest=weakest)
    return write_model(model, render_html(model), out, model.stem, formats, pdf)
