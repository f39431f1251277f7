"""``dxlab report enterprise`` and ``dxlab report sector``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ._sector import DEFAULT_DATA

PDF_CHOICES = ("auto", "always", "never")


def _data_help() -> str:
    return (f"responses file (Parquet, CSV or XLSX; default {DEFAULT_DATA}, made from the shipped synthetic "
            f"export when it does not exist)")


def _load(args: argparse.Namespace):
    from ._sector import load_responses

    if args.data is None and not Path(DEFAULT_DATA).exists():
        print(f"note: {DEFAULT_DATA} not found; cleaning the shipped synthetic export into it first "
              f"(as `make demo` does)", file=sys.stderr)
    return load_responses(args.data, root=Path.cwd(), rubric=args.rubric)


def _pdf_flag(value: str) -> bool | None:
    return {"auto": None, "always": True, "never": False}[value]


def _report_files(files) -> int:
    print(f"wrote {files.html}")
    for path in files.tables:
        print(f"wrote {path}")
    if files.pdf is not None:
        print(f"wrote {files.pdf}")
    else:
        print(f"note: {files.pdf_note or 'PDF not requested (--pdf never)'}", file=sys.stderr)
    return 0


def _enterprise(args: argparse.Namespace) -> int:
    from ._enterprise import enterprise
    from ._pdf import PdfUnavailable

    responses = _load(args)
    card = enterprise(responses, args.response, args.rubric, target=args.target, lang=args.lang)
    try:
        files = card.save(args.out, pdf=_pdf_flag(args.pdf))
    except PdfUnavailable as exc:
        print(f"dxlab report enterprise: error: {exc}", file=sys.stderr)
        return 1
    return _report_files(files)


def _sector(args: argparse.Namespace) -> int:
    from ._pdf import PdfUnavailable
    from ._sector import sector

    responses = _load(args)
    try:
        files = sector(responses, args.sector, wave=args.wave, rubric=args.rubric, lang=args.lang, out=args.out,
                       pdf=_pdf_flag(args.pdf))
    except PdfUnavailable as exc:
        print(f"dxlab report sector: error: {exc}", file=sys.stderr)
        return 1
    return _report_files(files)


def register(subparsers: argparse._SubParsersAction) -> None:
    report = subparsers.add_parser("report", help="enterprise report cards and sector reports (HTML and PDF)")
    rsub = report.add_subparsers(dest="report_command", required=True)

    def common(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--data", default=None, help=_data_help())
        parser.add_argument("--rubric", default="mobifone-dx", help="shipped rubric id or YAML path")
        parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="report language (default vi)")
        parser.add_argument("--out", default="reports", help="output folder (default reports/)")
        parser.add_argument("--pdf", choices=PDF_CHOICES, default="auto",
                            help="auto: print a PDF when headless Chromium is installed (else say why not); "
                                 "always: fail without it; never: HTML only")

    ent = rsub.add_parser("enterprise", help="one assessment's report card: score, level, radar, criteria, "
                                             "gaps and next steps, percentile among peers")
    ent.add_argument("--response", required=True, help="response_id of the assessment")
    ent.add_argument("--target", type=int, default=4, help="target level for every criterion (default 4)")
    common(ent)
    ent.set_defaults(func=_enterprise)

    sec = rsub.add_parser("sector", help="a sector's report from notebooks/05-sector-report.ipynb (papermill, "
                                         "nbconvert --no-input)")
    sec.add_argument("--sector", default=None, help="VSIC section letter (default: the largest sector)")
    sec.add_argument("--wave", default=None, help="survey wave (default: the latest)")
    common(sec)
    sec.set_defaults(func=_sector)
