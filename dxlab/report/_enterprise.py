"""``dxlab.report.enterprise``: the report card of one assessment, as HTML, Word and PDF files."""

from __future__ import annotations

import html as _html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import io as dxio
from ..rubric import Rubric
from ._card import MIN_PEERS, EnterpriseCard, build_card
from ._model import ReportFiles, ReportModel
from ._render_docx import render_docx
from ._render_html import render_html
from ._render_pdf import pdf_beside

__all__ = ["FORMATS", "MIN_PEERS", "EnterpriseReport", "ReportFiles", "check_formats", "enterprise", "write_model"]

FORMATS = ("html", "docx", "pdf")


def check_formats(formats: str | Iterable[str], lang: str | None = None) -> tuple[str, ...]:
    """``"html,docx"`` or ``["html", "pdf"]`` as a tuple of known formats, in the order given."""
    from .._i18n import tr

    items = formats.split(",") if isinstance(formats, str) else list(formats)
    chosen: list[str] = []
    for item in (str(i).strip().lower() for i in items):
        if item not in FORMATS:
            raise ValueError(tr("report.err_formats", lang, value=item, valid=", ".join(FORMATS)))
        if item not in chosen:
            chosen.append(item)
    if not chosen:
        raise ValueError(tr("report.err_formats", lang, value="", valid=", ".join(FORMATS)))
    return tuple(chosen)


def write_model(
    model: ReportModel, html: str, folder: str | Path, stem: str, formats: Iterable[str], pdf: bool | None
) -> ReportFiles:
    """Write ``model`` as ``<stem>.html`` / ``.docx`` / ``.pdf`` in ``folder``.

    The PDF is printed from the HTML (written beside it, and removed again when HTML was not asked for).
    ``pdf=None`` records why there is no PDF when Chromium cannot print, ``True`` raises, ``False`` skips.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    wanted = check_formats(formats)
    html_path = folder / f"{stem}.html"
    if "html" in wanted or "pdf" in wanted:
        html_path.write_text(html, encoding="utf-8")
    docx_path = render_docx(model, folder / f"{stem}.docx") if "docx" in wanted else None
    pdf_path, note = (
        pdf_beside(html_path, folder / f"{stem}.pdf", pdf, model.lang)
        if "pdf" in wanted and pdf is not False
        else (None, None)
    )
    if "html" not in wanted and html_path.exists():
        html_path.unlink()
    return ReportFiles(html_path if "html" in wanted else None, pdf_path, (), note, docx_path)


@dataclass(frozen=True)
class EnterpriseReport:
    """An enterprise's report card: the model, its HTML and the tables it shows.

    Attributes
    ----------
    response_id, lang : str
    html : str
        The self-contained HTML (figures embedded as SVG data URIs).
    card : EnterpriseCard
        The model the HTML was rendered from (render it to Word with :meth:`save`).
    criteria, dimensions, percentiles, info : DataFrame
        As in :class:`EnterpriseCard`.
    """

    response_id: str
    lang: str
    html: str
    card: EnterpriseCard = field(repr=False)

    @property
    def criteria(self) -> pd.DataFrame:
        return self.card.criteria

    @property
    def dimensions(self) -> pd.DataFrame:
        return self.card.dimensions

    @property
    def percentiles(self) -> pd.DataFrame:
        return self.card.percentiles

    @property
    def info(self) -> pd.DataFrame:
        return self.card.info

    def save(
        self,
        folder: str | Path = "reports",
        *,
        stem: str | None = None,
        pdf: bool | None = None,
        formats: str | Iterable[str] = ("html", "pdf"),
    ) -> ReportFiles:
        """Write the report (``formats``: any of html, docx, pdf), and the criterion table as CSV and XLSX and
        the information table as CSV (spreadsheet-safe).

        ``pdf=None`` prints a PDF when headless Chromium is available and otherwise records why not in
        ``ReportFiles.pdf_note``; ``pdf=True`` raises :class:`PdfUnavailable` instead; ``pdf=False`` skips it.
        """
        stem = stem or self.card.stem
        files = write_model(self.card, self.html, folder, stem, formats, pdf)
        folder = Path(folder)
        tables = (
            dxio.write_csv(self.criteria, folder / f"{stem}-criteria.csv"),
            dxio.write_xlsx(self.criteria, folder / f"{stem}-criteria.xlsx", sheet="criteria"),
            dxio.write_csv(self.info, folder / f"{stem}-info.csv"),
        )
        return ReportFiles(files.html, files.pdf, tables, files.pdf_note, files.docx)

    def _repr_html_(self) -> str:
        # An iframe keeps the report's stylesheet from restyling the notebook around it.
        return (
            f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" style="width: 100%; height: 720px; '
            f'border: 1px solid #ddd"></iframe>'
        )


def enterprise(
    responses: pd.DataFrame,
    response_id: object,
    rubric: Rubric | str = "mobifone-dx",
    *,
    target: int | Mapping[str, int] = 4,
    lang: str | None = "vi",
    min_answered: float = 0.5,
    min_peers: int = MIN_PEERS,
    top_gaps: int = 12,
) -> EnterpriseReport:
    """The report card of one assessment.

    Overall score and level in words, a radar of dimension scores against the sector median and the
    target, every criterion with its level descriptor, the gaps with the next level's descriptor as the
    next step, and the enterprise's percentile in its sector and size class. A response without a sector
    or size is compared with nobody there and says so ("Chưa rõ ngành" / "Sector unknown").

    Parameters
    ----------
    responses : DataFrame
        Wide responses (one row per assessment, ``response_id``, ``sector``, ``size``, ``wave``…, one
        level column per criterion id), e.g. ``data/processed/responses.parquet``. The peers are the
        responses of the same wave (when there is a ``wave`` column).
    response_id : str
        The assessment to report on.
    rubric : Rubric or str
    target : int or dict
        Target level for every criterion, or per dimension / group / criterion id (see :func:`dxlab.gaps`).
    lang : {"vi", "en"}
        Language of every text, level name and next step (None: ``$DXLAB_LANG``, else Vietnamese).
    min_answered : float
        Share of a group's criteria that must be answered for it to be scored (see :func:`dxlab.score`).
    min_peers : int
        Fewest peers for which a percentile is given.
    top_gaps : int
        Criteria shown in the gap chart (the table lists every gap).

    Returns
    -------
    EnterpriseReport
        ``.html``, ``.card`` (the model) and the tables; ``.save(folder, formats="html,docx,pdf")``.

    Examples
    --------
    >>> import dxlab
    >>> responses = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> card = dxlab.report.enterprise(responses, "R000001", lang="en")
    >>> card.dimensions.columns.tolist()[:3]
    ['dimension', 'title', 'score']
    """
    card = build_card(
        responses,
        response_id,
        rubric,
        target=target,
        lang=lang,
        min_answered=min_answered,
        min_peers=min_peers,
        top_gaps=top_gaps,
    )
    return EnterpriseReport(card.response_id, card.lang, render_html(card), card)
