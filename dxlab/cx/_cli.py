"""``dxlab cx``: turn saved workshop files into a Markdown sheet or a figure, without opening a notebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from .._cli_support import add_lang, current_lang, fail, say
from .._i18n import tr


def _sheet(args: argparse.Namespace) -> int:
    from ._sheet import load, workshop_sheet

    items = [load(path) for path in args.files]
    rubric = None if args.rubric.lower() == "none" else args.rubric
    text = workshop_sheet(items, title=args.title, lang=args.lang, rubric=rubric, path=args.out)
    if args.out:
        say("cli.wrote", paths=args.out)
    else:
        print(text, end="")
    return 0


def _figure(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from ._base import render_figure
    from ._sheet import load

    item = load(args.file)
    if render_figure.dispatch(type(item)) is render_figure.registry[object]:
        fail("cli.cx_no_figure", path=args.file, kind=item.KIND)
    drawn = render_figure(item, lang=args.lang)
    fig = drawn if isinstance(drawn, Figure) else drawn.figure
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=args.dpi, bbox_inches="tight")
    plt.close(fig)
    say("cli.wrote", paths=out)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    lang = current_lang()
    cx = subparsers.add_parser("cx", help=tr("cli.cx", lang), description=tr("cli.cx", lang))
    sub = cx.add_subparsers(dest="cx_command", required=True, title=tr("cli.commands", lang))

    sheet = sub.add_parser("sheet", help=tr("cli.cx_sheet", lang), description=tr("cli.cx_sheet", lang))
    sheet.add_argument("files", nargs="+", help=tr("cli.cx_files", lang))
    sheet.add_argument("--title", default="", help=tr("cli.cx_title", lang))
    add_lang(sheet)
    sheet.add_argument("--rubric", default="mobifone-dx", help=tr("cli.cx_rubric", lang))
    sheet.add_argument("--out", default=None, help=tr("cli.cx_sheet_out", lang))
    sheet.set_defaults(func=_sheet)

    figure = sub.add_parser("figure", help=tr("cli.cx_figure", lang), description=tr("cli.cx_figure", lang))
    figure.add_argument("file", help=tr("cli.cx_file", lang))
    figure.add_argument("--out", required=True, help=tr("cli.cx_figure_out", lang))
    add_lang(figure)
    figure.add_argument("--dpi", type=int, default=150, help=tr("cli.dpi", lang))
    figure.set_defaults(func=_figure)
