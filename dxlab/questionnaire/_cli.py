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


def _t(key: str, **values: object) -> str:
    from .._cli_support import current_lang
    from .._i18n import tr

    return tr(f"classroom.{key}", current_lang(), **values)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_t("cli_bad_port", value=text)) from None
    if value != 0 and not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(_t("cli_bad_port", value=value))
    return value


def _serve_arguments(parser: argparse.ArgumentParser, *, default_port: int) -> None:
    parser.add_argument("--rubric", default=None, help=_t("cli_rubric"))
    parser.add_argument("--store", default=None, help=_t("cli_store"))
    parser.add_argument("--host", default="127.0.0.1", help=_t("cli_host"))
    parser.add_argument("--port", type=_port, default=default_port, help=_t("cli_port", port=default_port))
    parser.add_argument("--lang", choices=["vi", "en"], default=None, help=_t("cli_lang"))
    parser.add_argument("--wave", default="", help=_t("cli_wave"))
    parser.add_argument("--dimensions", default="", help=_t("cli_dimensions"))
    parser.add_argument("--class-code", default="", dest="class_code", help=_t("cli_class_code"))


def _read_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--store", required=True, help=_t("cli_store_read"))
    parser.add_argument("--rubric", default=None, help=_t("cli_rubric_read"))
    parser.add_argument("--lang", choices=["vi", "en"], default=None, help=_t("cli_lang"))


def register(subparsers: argparse._SubParsersAction) -> None:
    klass = subparsers.add_parser("class", help=_t("cli_class"), description=_t("cli_class_description"))
    csub = klass.add_subparsers(dest="class_command", required=True)
    serve = csub.add_parser("serve", help=_t("cli_serve"), description=_t("cli_serve"))
    _serve_arguments(serve, default_port=8000)
    serve.set_defaults(func=_run_serve)
    results = csub.add_parser("results", help=_t("cli_results"), description=_t("cli_results"))
    _read_arguments(results)
    results.add_argument("--named", action="store_true", help=_t("cli_named"))
    results.set_defaults(func=lambda a: _read(a, export=None, all_versions=False))
    export = csub.add_parser("export", help=_t("cli_export"), description=_t("cli_export"))
    _read_arguments(export)
    export.add_argument("file", help=_t("cli_file"))
    export.add_argument("--all-versions", action="store_true", dest="all_versions", help=_t("cli_all_versions"))
    export.set_defaults(func=lambda a: _read(a, export=a.file, all_versions=a.all_versions, named=True))

    old = subparsers.add_parser(
        "questionnaire", help=_t("cli_questionnaire"), description=_t("cli_questionnaire_description")
    )
    _serve_arguments(old, default_port=0)
    old.add_argument("--results", action="store_true", help=_t("cli_results_flag"))
    old.add_argument("--named", action="store_true", help=_t("cli_named"))
    old.add_argument("--export", metavar="FILE", default=None, help=_t("cli_export_flag"))
    old.add_argument("--all-versions", action="store_true", dest="all_versions", help=_t("cli_all_versions"))
    old.set_defaults(func=_run_questionnaire)


def _run_serve(args: argparse.Namespace) -> int:
    from .._cli_support import current_lang
    from .web._serve import ServeOptions, serve

    dimensions = tuple(d.strip() for d in args.dimensions.split(",") if d.strip())
    options = ServeOptions(
        rubric=args.rubric or "mobifone-dx",
        store=args.store or "",
        host=args.host,
        port=args.port,
        lang=current_lang(),
        wave=args.wave or _this_year(),
        dimensions=dimensions,
        class_code=args.class_code,
    )
    return serve(options)


def _this_year() -> str:
    from datetime import date

    return str(date.today().year)


def _run_questionnaire(args: argparse.Namespace) -> int:
    from .._cli_support import current_lang
    from .._i18n import tr
    from ._store import default_store_path

    if args.results or args.export:
        args.store = args.store or str(default_store_path())
        return _read(args, export=args.export, all_versions=args.all_versions, named=args.named)
    print(tr("classroom.questionnaire_deprecated", current_lang()), file=sys.stderr)
    return _run_serve(args)


def _read(args: argparse.Namespace, *, export: str | None, all_versions: bool, named: bool | None = None) -> int:
    from ._store import ResponseStore

    path = Path(args.store)
    if not path.is_file():
        print(_t("cli_no_store", path=path), file=sys.stderr)
        return 1
    store = ResponseStore(path, readonly=True)
    rubric = args.rubric or store.rubric()
    if export:
        return _export(store, rubric, export, latest_only=not all_versions)
    from .._cli_support import current_lang

    return _results(store, rubric, lang=current_lang(), anonymise=not (named if named is not None else args.named))


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
        raise ValueError(_t("cli_bad_format", path=target, suffix=suffix))
    print(_t("cli_wrote", n=len(frame), path=path))
    return 0


def _results(store, rubric, *, lang: str, anonymise: bool) -> int:
    from .classroom import summary

    result = summary(store, rubric, lang=lang, anonymise=anonymise)
    print(f"{result.rubric.title.get(lang)} — {store.path}")
    print(_t("cli_submitted", n=result.submitted, versions=result.versions))
    if result.submitted == 0:
        return 0
    print()
    print(result.levels.to_string(index=False))
    print()
    print(result.dimensions.round(2).to_string(index=False))
    print()
    print(result.respondents.round(2).to_string(index=False))
    return 0
