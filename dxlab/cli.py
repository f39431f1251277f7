"""The ``dxlab`` command.

Sub-commands of the core live here; each sub-package may add its own through a ``_cli.py`` module with
``register(subparsers)`` (listed in ``_PLUGINS`` with the commands it adds), so the command grows with the
package without this file knowing the details. Only the plugin that owns the command being run is imported
(statistics and reports pull in SciPy and matplotlib, which would slow every ``dxlab rubric …``); help for the
whole command imports them all.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

from . import _i18n

_PLUGINS: dict[str, tuple[str, ...]] = {
    "dxlab.ingest._cli": ("clean", "suggest-mapping"), "dxlab.stats._cli": ("stats",),
    "dxlab.report._cli": ("report",), "dxlab.questionnaire._cli": ("questionnaire",), "dxlab.cx._cli": ("cx",)}
_CORE = ("rubric", "score")


def _rubric_list(args: argparse.Namespace) -> int:
    from .rubric import list_rubrics

    frame = list_rubrics()
    print(frame.to_string(index=False))
    return 0


def _rubric_show(args: argparse.Namespace) -> int:
    from .rubric import load_rubric

    print(load_rubric(args.id).to_markdown(args.lang))
    return 0


def _rubric_validate(args: argparse.Namespace) -> int:
    from .rubric import RubricError, validate_rubric_file

    try:
        rubric = validate_rubric_file(args.path)
    except RubricError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{args.path}: valid rubric {rubric.id!r} version {rubric.version} — "
          f"{len(rubric.dimensions)} dimensions, {len(rubric.groups)} groups, {len(rubric.criterion_ids)} criteria")
    return 0


def _score(args: argparse.Namespace) -> int:
    from .io import read_table, write_table
    from .rubric import load_rubric
    from .scoring import score

    rubric = load_rubric(args.rubric)
    responses = read_table(args.file)
    nonresponse = read_table(args.nonresponse) if args.nonresponse else None
    scores = score(responses, rubric, scheme=args.scheme, min_answered=args.min_answered, source=args.file,
                   nonresponse=nonresponse)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = f"scores-{args.scheme}"
    table = scores.wide()
    paths = write_table(table, out / stem)
    summary = scores.summary(lang=args.lang)
    print(summary.to_string(index=False))
    for note in scores.notes:
        print(note)
    print("wrote " + ", ".join(str(p) for p in paths))
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; with ``command``, only the plugin that provides it is loaded."""
    parser = argparse.ArgumentParser(prog="dxlab", description="DX/CX maturity assessment workbench")
    sub = parser.add_subparsers(dest="command", required=True)

    rubric = sub.add_parser("rubric", help="list, show or validate rubrics")
    rsub = rubric.add_subparsers(dest="rubric_command", required=True)
    rsub.add_parser("list", help="list the shipped rubrics").set_defaults(func=_rubric_list)
    show = rsub.add_parser("show", help="print a rubric as Markdown")
    show.add_argument("id", help="shipped rubric id or path to a YAML file")
    show.add_argument("--lang", choices=["vi", "en"], default=None, help="one language (default: both)")
    show.set_defaults(func=_rubric_show)
    validate = rsub.add_parser("validate", help="check a rubric YAML file and list every problem")
    validate.add_argument("path")
    validate.set_defaults(func=_rubric_validate)

    sc = sub.add_parser("score", help="score a file of responses (CSV, XLSX or Parquet, levels per criterion)")
    sc.add_argument("file")
    sc.add_argument("--rubric", required=True, help="shipped rubric id or YAML path")
    sc.add_argument("--scheme", default="mean", choices=["mean", "dbi2021", "dma100"])
    sc.add_argument("--min-answered", type=float, default=0.5, dest="min_answered")
    sc.add_argument("--lang", choices=["vi", "en"], default="vi")
    sc.add_argument("--out", default="data/processed", help="output folder (default data/processed)")
    sc.add_argument("--nonresponse", default=None, help=_i18n.tr("rubric.nonresponse_help"))
    sc.set_defaults(func=_score)

    known = {c for commands in _PLUGINS.values() for c in commands} | set(_CORE)
    for name, commands in _PLUGINS.items():
        if command in known and command not in commands:
            continue
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None or importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    command = next((w for w in words if not w.startswith("-")), None)
    parser = build_parser(command)
    args = parser.parse_args(words)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `dxlab rubric show … | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except (ValueError, FileNotFoundError, KeyError) as exc:
        print(f"dxlab {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
