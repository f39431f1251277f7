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
from typing import Any

from ._cli_support import CliParser, add_lang, current_lang, fail, lang_from_argv, lang_given, say, set_lang
from ._i18n import LANGS, check_lang, default_lang, tr
from ._paths import processed_dir

_PLUGINS: dict[str, tuple[str, ...]] = {
    "dxlab.ingest._cli": ("clean", "suggest-mapping"),
    "dxlab.stats._cli": ("stats",),
    "dxlab.report._cli": ("report",),
    "dxlab.questionnaire._cli": ("questionnaire", "class"),
    "dxlab.cx._cli": ("cx",),
    "dxlab.crosswalk._cli": ("crosswalk",),
}
_CORE = ("rubric", "score")


def _rubric(name: str) -> Any:
    """The rubric ``name`` (a shipped id or a YAML path), or a catalogue error listing the shipped ids."""
    from .rubric import list_rubrics, load_rubric

    shipped = [str(i) for i in list_rubrics()["id"]]
    if name not in shipped and not Path(name).is_file():
        fail("cli.rubric_unknown", name=name, valid=", ".join(shipped))
    return load_rubric(name)


def _input(path: str) -> Path:
    if not Path(path).exists():  # a file, or a folder of Parquet files
        fail("cli.file_missing", path=path)
    return Path(path)


def _rubric_list(args: argparse.Namespace) -> int:
    from .rubric import list_rubrics

    frame = list_rubrics()
    print(frame.to_string(index=False))
    return 0


def _rubric_show(args: argparse.Namespace) -> int:
    print(_rubric(args.id).to_markdown(args.lang))
    return 0


def _rubric_validate(args: argparse.Namespace) -> int:
    from .rubric import RubricError, validate_rubric_file

    try:
        rubric = validate_rubric_file(_input(args.path))
    except RubricError as exc:
        print(exc, file=sys.stderr)
        return 1
    say(
        "cli.rubric_valid",
        path=args.path,
        id=rubric.id,
        version=rubric.version,
        dimensions=len(rubric.dimensions),
        groups=len(rubric.groups),
        criteria=len(rubric.criterion_ids),
    )
    return 0


def _score(args: argparse.Namespace) -> int:
    from .io import read_table, write_table
    from .scoring import score

    rubric = _rubric(args.rubric)
    # a Parquet folder (as `dxlab clean` writes for big inputs) is read by score() itself
    responses = args.file if Path(args.file).is_dir() else read_table(_input(args.file))
    nonresponse = read_table(_input(args.nonresponse)) if args.nonresponse else None
    scores = score(
        responses,
        rubric,
        scheme=args.scheme,
        min_answered=args.min_answered,
        source=args.file,
        nonresponse=nonresponse,
    )
    out = Path(args.out) if args.out else processed_dir()
    out.mkdir(parents=True, exist_ok=True)
    stem = f"scores-{args.scheme}"
    table = scores.wide()
    paths = write_table(table, out / stem)
    summary = scores.summary(lang=args.lang)
    print(summary.to_string(index=False))
    for note in scores.notes:
        print(note)
    say("cli.wrote", paths=", ".join(str(p) for p in paths))
    return 0


def build_parser(command: str | None = None, lang: str | None = None) -> argparse.ArgumentParser:
    """The argument parser, its help in ``lang``; with ``command``, only the plugin that provides it is loaded."""
    lang = set_lang(lang)
    parser = CliParser(prog="dxlab", description=tr("cli.description", lang))
    add_lang(parser)
    sub = parser.add_subparsers(dest="command", required=True, title=tr("cli.commands", lang))

    rubric = sub.add_parser("rubric", help=tr("cli.rubric", lang), description=tr("cli.rubric", lang))
    rsub = rubric.add_subparsers(dest="rubric_command", required=True, title=tr("cli.commands", lang))
    listing = rsub.add_parser("list", help=tr("cli.rubric_list", lang), description=tr("cli.rubric_list", lang))
    add_lang(listing)
    listing.set_defaults(func=_rubric_list)
    show = rsub.add_parser("show", help=tr("cli.rubric_show", lang), description=tr("cli.rubric_show", lang))
    show.add_argument("id", help=tr("cli.rubric_id", lang))
    add_lang(show, "cli.lang_show_help")
    show.set_defaults(func=_rubric_show, lang_both=True)
    validate = rsub.add_parser(
        "validate", help=tr("cli.rubric_validate", lang), description=tr("cli.rubric_validate", lang)
    )
    validate.add_argument("path", help=tr("cli.rubric_path", lang))
    add_lang(validate)
    validate.set_defaults(func=_rubric_validate)

    sc = sub.add_parser("score", help=tr("cli.score", lang), description=tr("cli.score", lang))
    sc.add_argument("file", help=tr("cli.responses_file", lang))
    sc.add_argument("--rubric", required=True, help=tr("cli.rubric_option", lang))
    sc.add_argument("--scheme", default="mean", choices=["mean", "dbi2021", "dma100"], help=tr("cli.scheme", lang))
    sc.add_argument("--min-answered", type=float, default=0.5, dest="min_answered", help=tr("cli.min_answered", lang))
    add_lang(sc)
    sc.add_argument("--out", default=None, help=tr("cli.out", lang, default="data/processed"))
    sc.add_argument("--nonresponse", default=None, help=tr("rubric.nonresponse_help", lang))
    sc.set_defaults(func=_score)

    known = {c for commands in _PLUGINS.values() for c in commands} | set(_CORE)
    for name, commands in _PLUGINS.items():
        if command in known and command not in commands:
            continue
        if importlib.util.find_spec(name.rsplit(".", 1)[0]) is None or importlib.util.find_spec(name) is None:
            continue
        importlib.import_module(name).register(sub)
    _lang_everywhere(parser)
    return parser


def _lang_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on every command, also those of plugins that do not add it themselves."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _lang_everywhere(child)
            return
    if not any("--lang" in a.option_strings for a in parser._actions):
        add_lang(parser)


def _settle_lang(args: argparse.Namespace, words: list[str]) -> None:
    """One language for the whole run: a ``--lang`` given anywhere wins over a sub-command's own default, and
    without one every command follows ``DXLAB_LANG`` (``rubric show`` then prints both languages)."""
    if lang_given(words) is not None:
        args.lang = check_lang(lang_given(words))
    elif getattr(args, "lang_both", False):
        args.lang = None
    else:
        args.lang = default_lang()


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    command = next((w for w in words if not w.startswith("-") and w not in LANGS), None)
    parser = build_parser(command, lang_from_argv(words))
    args = parser.parse_args(words)
    _settle_lang(args, words)
    set_lang(args.lang or current_lang())
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # `dxlab rubric show … | head` closed the pipe: not an error
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print(tr("cli.interrupted", current_lang()), file=sys.stderr)
        return 130
    except (ValueError, FileNotFoundError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(tr("cli.error", current_lang(), command=args.command, message=message), file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
