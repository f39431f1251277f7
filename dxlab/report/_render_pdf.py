"""PDF from HTML through headless Chromium's print-to-PDF.

Why Chromium and not a Python HTML-to-PDF library: the reports are HTML first (they must read well in a
browser and in an e-mail attachment), and a browser lays out exactly that HTML — fonts with Vietnamese tone
marks, SVG figures, tables that break across pages — the way the reader sees it on screen. WeasyPrint would
add a second layout engine (and native dependencies) whose output drifts from the browser's. When no
Chromium is installed, :func:`html_to_pdf` raises :class:`PdfUnavailable` with the install command, and the
report functions write HTML only and say so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .._i18n import tr

__all__ = ["PdfUnavailable", "find_chromium", "html_to_pdf", "pdf_beside"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class PdfUnavailable(RuntimeError):
    """No headless Chromium to print with, or printing failed."""


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable: ``$DXLAB_CHROMIUM`` if set, else the first on ``PATH``."""
    configured = os.environ.get("DXLAB_CHROMIUM")
    if configured:
        return configured if Path(configured).is_file() and os.access(configured, os.X_OK) else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(
    html_path: str | Path, pdf_path: str | Path, *, timeout: float = 120.0, lang: str | None = None
) -> Path:
    """Print the HTML file at ``html_path`` to ``pdf_path`` with headless Chromium (A4, no header/footer).

    Page size and margins come from the document's CSS ``@page`` rule.

    Raises
    ------
    PdfUnavailable
        No Chromium was found, it failed or it produced no file; the message says what to do.
    """
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(f"no such HTML file: {html_path}")
    browser = find_chromium()
    if browser is None:
        raise PdfUnavailable(tr("report.pdf_no_chromium", lang, html=html_path))
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    if pdf_path.exists():
        pdf_path.unlink()
    with tempfile.TemporaryDirectory(prefix="dxlab-chromium-") as profile:
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--print-to-pdf={pdf_path}",
            html_path.as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
            )
        except subprocess.TimeoutExpired:
            raise PdfUnavailable(tr("report.pdf_timeout", lang, browser=browser, seconds=f"{timeout:.0f}")) from None
        except OSError as exc:
            raise PdfUnavailable(tr("report.pdf_cannot_start", lang, browser=browser, error=exc)) from None
    if done.returncode != 0 or not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = "\n".join(line for line in done.stderr.splitlines() if "dbus" not in line)[-800:]
        raise PdfUnavailable(
            tr("report.pdf_failed", lang, browser=browser, code=done.returncode, details=f":\n{tail}" if tail else "")
        )
    return pdf_path


def pdf_beside(
    html_path: Path, pdf_path: Path, pdf: bool | None, lang: str | None = None
) -> tuple[Path | None, str | None]:
    """Print ``html_path`` to ``pdf_path`` as a report's ``save`` asks: ``pdf=None`` tries and returns the
    reason as a note when Chromium cannot print, ``True`` raises :class:`PdfUnavailable`, ``False`` skips."""
    if pdf is False:
        return None, None
    try:
        return html_to_pdf(html_path, pdf_path, lang=lang), None
    except PdfUnavailable as exc:
        if pdf:
            raise
        return None, str(exc)
