"""``dxlab clean`` and ``dxlab suggest-mapping``."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._i18n import LANGS, check_lang, default_lang, tr
from ._clean import DUPLICATE_POLICIES
from ._formats import FORMATS
from ._parts import DATASET_ABOVE_ROWS, OUT_FORMATS, PARQUET_PART_ROWS

__all__ = ["register"]


def _clean(args: argparse.Namespace) -> int:
    from . import clean_to_folder

    lang = check_lang(args.lang)
    if not Path(args.raw).exists():
        raise FileNotFoundError(tr("ingest.file_missing", lang, path=args.raw))
    result = clean_to_folder(
        args.raw,
        args.rubric,
        args.out,
        mapping=args.mapping,
        format=args.format,
        duplicates=args.duplicates,
        wave=args.wave,
        encoding=args.encoding,
        sheet=args.sheet,
        allow_partial=args.allow_partial,
        header_rows=args.header_rows,
        lang=lang,
        out_format=args.out_format,
        keep_responses=False,
    )
    print(result.summary(lang))
    out = Path(args.out)
    responses = out / "responses" if (out / "responses").is_dir() else out / "responses.parquet"
    print(tr("ingest.cli_wrote", lang, responses=str(responses)))
    return 0


def _suggest(args: argparse.Namespace) -> int:
    from . import suggest_mapping

    mapping = suggest_mapping(
        args.raw,
        args.rubric,
        mapping=args.mapping,
        format=args.format,
        encoding=args.encoding,
        sheet=args.sheet,
        header_rows=args.header_rows,
    )
    raw = Path(args.raw)
    target = Path(args.out) if args.out else raw.with_name(f"{raw.stem}.mapping.yaml")
    mapping.write(target)
    frame = mapping.to_frame()
    applied = frame[frame["to"].notna()]
    print(
        f"{len(applied)} of {len(frame)} columns mapped "
        f"({len(mapping.criteria)} criteria, {len(mapping.metadata)} metadata fields); wrote {target}"
    )
    unmapped = [m for m in mapping.matches if m.target is None]
    if unmapped:
        print(f"not mapped ({len(unmapped)}) — edit 'to' in {target.name} to map them:")
        for m in unmapped:
            hint = (
                f" (suggest: {', '.join(m.candidates)}; {m.how}, confidence {m.confidence:.2f})"
                if m.candidates
                else f" ({m.how})"
            )
            column = m.column if len(m.column) <= 70 else m.column[:69] + "…"
            print(f"  - {column}{hint}")
    return 0


def _header_rows(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(tr("ingest.cli_header_rows_invalid", None, value=text))
    return int(text)


def _common(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("raw", help="the export: CSV/TSV/TXT or XLSX")
    parser.add_argument("--rubric", required=True, help="shipped rubric id or path to a rubric YAML")
    parser.add_argument("--mapping", default=None, help="mapping file (YAML or CSV: column → criterion or field)")
    parser.add_argument(
        "--format", default="auto", choices=["auto", *FORMATS], help="export format (default: detect from the file)"
    )
    parser.add_argument("--encoding", default=None, help=tr("ingest.cli_encoding_help", lang))
    parser.add_argument("--sheet", default=None, help=tr("ingest.cli_sheet_help", lang))
    parser.add_argument("--header-rows", type=_header_rows, default=None, help=tr("ingest.cli_header_rows_help", lang))
    parser.add_argument("--lang", choices=list(LANGS), default=None, help=tr("ingest.cli_lang_help", lang))


def register(subparsers) -> None:
    lang = default_lang()
    clean = subparsers.add_parser(
        "clean",
        help="read a survey export, map its columns and clean it into tidy responses and issues",
        description="Read a survey export (Google Forms, Microsoft Forms, Qualtrics, SurveyMonkey, "
        "KoboToolbox or a plain table), map columns to the rubric's criteria and metadata, clean, "
        "and write responses.parquet/.csv, issues.csv, recodes.csv, mapping.yaml and summary.txt.",
    )
    _common(clean, lang)
    clean.add_argument("--out", default="data/processed", help="output folder (default data/processed)")
    clean.add_argument(
        "--out-format",
        default="auto",
        choices=list(OUT_FORMATS),
        help=tr("ingest.cli_out_format_help", lang, rows=f"{DATASET_ABOVE_ROWS:,}", part=f"{PARQUET_PART_ROWS:,}"),
    )
    clean.add_argument(
        "--duplicates",
        default="latest",
        choices=list(DUPLICATE_POLICIES),
        help="repeated submissions of one enterprise and wave (default: keep the latest)",
    )
    clean.add_argument("--wave", default=None, help="wave for every row when the export has no wave column")
    clean.add_argument("--allow-partial", action="store_true", help=tr("rubric.allow_partial_help"))
    clean.set_defaults(func=_clean)

    suggest = subparsers.add_parser(
        "suggest-mapping",
        help="write the automatic column mapping as an editable file, with confidences",
        description="Match an export's columns to the rubric's criteria and metadata fields and write the "
        "result as an editable YAML (or CSV) file; lists the columns it could not map.",
    )
    _common(suggest, lang)
    suggest.add_argument(
        "--out", default=None, help="mapping file to write (.yaml or .csv; default RAW's name + .mapping.yaml)"
    )
    suggest.set_defaults(func=_suggest)
