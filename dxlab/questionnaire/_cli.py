"""``dxlab questionnaire``: serve the questionnaire to a class, or show and export what it collected."""

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


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "questionnaire", help="serve the questionnaire as a web app for a class (Voila), or show/export results",
        description="Serve the self-assessment questionnaire on http://127.0.0.1:PORT/ (Voila: students see "
                    "the form, not the code). With --results or --export, summarise or export the store instead.")
    parser.add_argument("--rubric", default=None, help="shipped rubric id or YAML path (default: mobifone-dx; "
                                                        "with --results/--export, the store's rubric)")
    parser.add_argument("--store", default=None,
                        help="SQLite response store (default data/raw/responses.sqlite under the project)")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi", help="starting language (default vi)")
    parser.add_argument("--wave", default="", help="survey wave saved with each submission (default: the year)")
    parser.add_argument("--dimensions", default="", help="comma-separated dimension ids to ask (default: all)")
    parser.add_argument("--port", type=_port, default=0, help="port on 127.0.0.1 (default: a free one, printed)")
    parser.add_argument("--open", action="store_true", dest="open_browser", help="open a browser on the app")
    parser.add_argument("--results", action="store_true", help="print the class summary and exit")
    parser.add_argument("--named", action="store_true", help="with --results: show respondent codes and names "
                                                              "(anonymised by default)")
    parser.add_argument("--export", metavar="FILE", default=None,
                        help="write the responses to FILE (.csv, .xlsx or .parquet) and exit")
    parser.add_argument("--all-versions", action="store_true", dest="all_versions",
                        help="with --export: every version, not only each respondent's latest")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from ._store import ResponseStore, default_store_path

    dimensions = tuple(d.strip() for d in args.dimensions.split(",") if d.strip())
    if args.results or args.export:
        path = Path(args.store) if args.store else default_store_path()
        if not path.is_file():
            print(f"dxlab questionnaire: no response store at {path}", file=sys.stderr)
            return 1
        store = ResponseStore(path)
        if args.export:
            return _export(store, args.rubric, args.export, latest_only=not args.all_versions)
        return _results(store, args.rubric, lang=args.lang, anonymise=not args.named)
    from ._app import AppSettings, serve

    settings = AppSettings(rubric=args.rubric or "mobifone-dx", store=args.store or "", lang=args.lang, wave=args.wave,
                           dimensions=dimensions)
    return serve(settings, port=args.port, open_browser=args.open_browser)


def _export(store, rubric, target: str, *, latest_only: bool) -> int:
    from ..io import write_csv, write_xlsx

    frame = store.to_frame(rubric, latest_only=latest_only)
    path = Path(target)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        write_csv(frame, path)
    elif suffix == ".xlsx":
        write_xlsx(frame, path)
    elif suffix == ".parquet":
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(path, index=False)
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
