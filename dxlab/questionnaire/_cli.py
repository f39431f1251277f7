"""``dxlab class``: serve the self-assessment to a class, summarise or export what it collected.

``dxlab class serve`` runs the web app (:mod:`dxlab.questionnaire.web`); ``dxlab class results`` and
``dxlab class export`` read a store (read-only, so a copy on a read-only medium works too).
``dxlab questionnaire`` is the former name, kept for one release: it serves the same web app (with a note
that the name will go) and keeps ``--results`` and ``--export``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["register"]


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if value != 0 and not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0 (choose a free one) or 1024–65535, got {value}")
    return value


def _serve_arguments(parser: argparse.ArgumentParser, *, default_port: int) -> None:
    parser.add_argument("--rubric", default=None, help="shipped rubric id or YAML path (default: mobifone-dx)")
    parser.add_argument(
        "--store",
        default=None,
        help="SQLite store of the class (default: data/raw/classes/class-<CODE>.sqlite under the project)",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens it to the room's network)",
    )
    parser.add_argument(
        "--port", type=_port, default=default_port, help=f"port (default {default_port}; 0: a free one)"
    )
    parser.add_argument("--lang", choices=["vi", "en"], default=None, help="first language of the pages (default vi)")
    parser.add_argument("--wave", default="", help="survey wave saved with each submission (default: the year)")
    parser.add_argument("--dimensions", default="", help="comma-separated dimension ids to ask (default: all)")
    parser.add_argument(
        "--class-code",
        default="",
        dest="class_code",
        help="the code students type to join (default: generated, or the store's own)",
    )


def _read_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", required=True, help="the class's SQLite store")
    parser.add_argument(
        "--rubric", default=None, help="rubric id or YAML path (default: the one recorded in the store)"
    )
    parser.add_argument("--lang", choices=["vi", "en"], default=None, help="language (default vi)")


def register(subparsers: argparse._SubParsersAction) -> None:
    klass = subparsers.add_parser(
        "class",
        help="serve the self-assessment to a class as a web app, or read results",
        description="The classroom: a web app students open on their phones, and the teacher's live view.",
    )
    csub = klass.add_subparsers(dest="class_command", required=True)
    serve = csub.add_parser("serve", help="serve the questionnaire to a class (prints the join and teacher links)")
    _serve_arguments(serve, default_port=8000)
    serve.set_defaults(func=_run_serve)
    results = csub.add_parser("results", help="print the class summary of a store")
    _read_arguments(results)
    results.add_argument("--named", action="store_true", help="show respondent codes and names (anonymised by default)")
    results.set_defaults(func=lambda a: _read(a, export=None, all_versions=False))
    export = csub.add_parser("export", help="write a store's responses to CSV, XLSX or Parquet")
    _read_arguments(export)
    export.add_argument("file", help="output file: .csv, .xlsx or .parquet")
    export.add_argument(
        "--all-versions",
        action="store_true",
        dest="all_versions",
        help="every version, not only each respondent's latest",
    )
    export.set_defaults(func=lambda a: _read(a, export=a.file, all_versions=a.all_versions, named=True))

    old = subparsers.add_parser(
        "questionnaire",
        help="former name of `dxlab class` (serve, or --results / --export)",
        description="Former name of `dxlab class serve`, kept for one release. With --results or --export, "
        "summarise or export the store instead.",
    )
    _serve_arguments(old, default_port=0)
    old.add_argument("--results", action="store_true", help="print the class summary and exit")
    old.add_argument("--named", action="store_true", help="with --results: show respondent codes and names")
    old.add_argument(
        "--export", metavar="FILE", default=None, help="write the responses to FILE (.csv, .xlsx or .parquet) and exit"
    )
    old.add_argument(
        "--all-versions",
        action="store_true",
        dest="all_versions",
        help="with --export: every version, not only each respondent's latest",
    )
    old.set_defaults(func=_run_questionnaire)


def _run_serve(args: argparse.Namespace) -> int:
    from .._i18n import check_lang
    from .web._serve import ServeOptions, serve

    dimensions = tuple(d.strip() for d in args.dimensions.split(",") if d.strip())
    options = ServeOptions(
        rubric=args.rubric or "mobifone-dx",
        store=args.store or "",
        host=args.host,
        port=args.port,
        lang=check_lang(args.lang),
        wave=args.wave or _this_year(),
        dimensions=dimensions,
        class_code=args.class_code,
    )
    return serve(options)


def _this_year() -> str:
    from datetime import date

    return str(date.today().year)


def _run_questionnaire(args: argparse.Namespace) -> int:
    from .._i18n import check_lang, tr
    from ._store import default_store_path

    if args.results or args.export:
        args.store = args.store or str(default_store_path())
        return _read(args, export=args.export, all_versions=args.all_versions, named=args.named)
    print(tr("classroom.questionnaire_deprecated", check_lang(args.lang)), file=sys.stderr)
    return _run_serve(args)


def _read(args: argparse.Namespace, *, export: str | None, all_versions: bool, named: bool | None = None) -> int:
    from ._store import ResponseStore

    path = Path(args.store)
    if not path.is_file():
        print(f"dxlab {args.command}: no response store at {path}", file=sys.stderr)
        return 1
    store = ResponseStore(path, readonly=True)
    rubric = args.rubric or store.rubric()
    if export:
        return _export(store, rubric, export, latest_only=not all_versions)
    from .._i18n import check_lang

    return _results(
        store, rubric, lang=check_lang(args.lang), anonymise=not (named if named is not None else args.named)
    )


def _export(store, rubric, target: str, *, latest_only: bool) -> int:
    from ..io import neutralise_frame, write_csv, write_xlsx

    frame = store.to_frame(rubric, latest_only=latest_only)
    path = Path(target)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(frame, path)
    elif suffix == ".xlsx":
        write_xlsx(frame, path)
    elif suffix == ".parquet":
        path.parent.mkdir(parents=True, exist_ok=True)
        neutralise_frame(frame).to_parquet(path, index=False)
    else:
        raise ValueError(f"{target}: unknown format {suffix!r}; use .csv, .xlsx or .parquet")
    print(f"wrote {len(frame)} responses to {path}")
    return 0


def _results(store, rubric, *, lang: str, anonymise: bool) -> int:
    from .classroom import summary

    result = summary(store, rubric, lang=lang, anonymise=anonymise)
    print(f"{result.rubric.title.get(lang)} — {store.path}")
    print(f"submitted: {result.submitted} respondents, {result.versions} submissions (all versions)")
    if result.submitted == 0:
        return 0
    print()
    print(result.levels.to_string(index=False))
    print()
    print(result.dimensions.round(2).to_string(index=False))
    print()
    print(result.respondents.round(2).to_string(index=False))
    return 0
