"""``dxlab report enterprise`` and ``dxlab report sector``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .._cli_support import add_lang, current_lang
from .._i18n import check_lang, tr
from ._model import ReportFiles
from ._sector import DEFAULT_DATA

PDF_CHOICES = ("auto", "always", "never")


def _load(args: argparse.Namespace) -> pd.DataFrame:
    from ._sector import load_responses

    if args.data is None and not Path(DEFAULT_DATA).exists():
        print(tr("report.cli_making_default", args.lang, path=DEFAULT_DATA), file=sys.stderr)
    return load_responses(args.data, root=Path.cwd(), rubric=args.rubric)


def _pdf_flag(value: str) -> bool | None:
    return {"auto": None, "always": True, "never": False}[value]


def _formats(args: argparse.Namespace) -> str:
    """``--format`` wins; without it, HTML and (unless ``--pdf never``) PDF, as before ``--format`` existed."""
    if args.format:
        return str(args.format)
    return "html" if args.pdf == "never" else "html,pdf"


def _report_files(files: ReportFiles, lang: str) -> int:
    for path in files.written():
        print(tr("report.cli_wrote", lang, path=path))
    if files.pdf is None and files.pdf_note:
        print(tr("report.cli_no_pdf", lang, note=files.pdf_note), file=sys.stderr)
    return 0


def _enterprise(args: argparse.Namespace) -> int:
    from ._enterprise import check_formats, enterprise
    from ._render_pdf import PdfUnavailable

    args.lang = check_lang(getattr(args, "lang", None))
    formats = check_formats(_formats(args), args.lang)
    responses = _load(args)
    card = enterprise(responses, args.response, args.rubric, target=args.target, lang=args.lang)
    try:
        files = card.save(args.out, pdf=_pdf_flag(args.pdf), formats=formats)
    except PdfUnavailable as exc:
        print(tr("report.cli_error", args.lang, command="enterprise", message=exc), file=sys.stderr)
        return 1
    return _report_files(files, args.lang)


def _sector(args: argparse.Namespace) -> int:
    from ._enterprise import check_formats
    from ._render_pdf import PdfUnavailable
    from ._sector import sector

    args.lang = check_lang(getattr(args, "lang", None))
    formats = check_formats(_formats(args), args.lang)
    responses = _load(args)
    try:
        files = sector(
            responses,
            args.sector,
            wave=args.wave,
            rubric=args.rubric,
            lang=args.lang,
            out=args.out,
            pdf=_pdf_flag(args.pdf),
            formats=formats,
        )
    except PdfUnavailable as exc:
        print(tr("report.cli_error", args.lang, command="sector", message=exc), file=sys.stderr)
        return 1
    return _report_files(files, args.lang)


def register(subparsers: argparse._SubParsersAction) -> None:
    lang = current_lang()
    report = subparsers.add_parser("report", help=tr("report.cli_report_help", lang))
    rsub = report.add_subparsers(dest="report_command", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--data", default=None, help=tr("report.cli_data_help", lang, default=DEFAULT_DATA))
        parser.add_argument("--rubric", default="mobifone-dx", help=tr("report.cli_rubric_help", lang))
        add_lang(parser, "report.cli_lang_help")  # unset unless given: a global `dxlab --lang` still counts
        parser.add_argument("--out", default="reports", help=tr("report.cli_out_help", lang))
        parser.add_argument("--format", default=None, help=tr("report.cli_format_help", lang))
        parser.add_argument("--pdf", choices=PDF_CHOICES, default="auto", help=tr("report.cli_pdf_help", lang))

    ent = rsub.add_parser("enterprise", help=tr("report.cli_enterprise_help", lang))
    ent.add_argument("--response", required=True, help=tr("report.cli_response_help", lang))
    ent.add_argument("--target", type=int, default=4, help=tr("report.cli_target_help", lang))
    common(ent)
    ent.set_defaults(func=_enterprise)

    sec = rsub.add_parser("sector", help=tr("report.cli_sector_help", lang))
    sec.add_argument("--sector", default=None, help=tr("report.cli_sector_arg_help", lang))
    sec.add_argument("--wave", default=None, help=tr("report.cli_wave_help", lang))
    common(sec)
    sec.set_defaults(func=_sector)
