"""``dxlab cx``: turn saved workshop files into a Markdown sheet or a figure, without opening a notebook."""

from __future__ import annotations

import argparse
from pathlib import Path


def _sheet(args: argparse.Namespace) -> int:
    from ._sheet import load, workshop_sheet

    items = [load(path) for path in args.files]
    rubric = None if args.rubric.lower() == "none" else args.rubric
    text = workshop_sheet(items, title=args.title, lang=args.lang, rubric=rubric, path=args.out)
    if args.out:
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return 0


def _figure(args: argparse.Namespace) -> int:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from ._sheet import load

    item = load(args.file)
    if not hasattr(item, "plot"):
        raise ValueError(f"{args.file}: a {item.KIND} has no figure; use 'dxlab cx sheet' for its Markdown")
    drawn = item.plot(lang=args.lang)
    fig = drawn if isinstance(drawn, Figure) else drawn.figure
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=args.dpi, bbox_inches="tight")
    plt.close(fig)
    print(f"wrote {out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    cx = subparsers.add_parser("cx", help="CX workshop tools: sheets and figures from saved YAML/JSON files")
    sub = cx.add_subparsers(dest="cx_command", required=True)

    sheet = sub.add_parser("sheet", help="gather saved workshop files into one Markdown sheet")
    sheet.add_argument("files", nargs="+", help="YAML/JSON files written by dxlab.cx (any kind)")
    sheet.add_argument("--title", default="", help="the sheet's heading")
    sheet.add_argument("--lang", choices=["vi", "en"], default="vi")
    sheet.add_argument("--rubric", default="mobifone-dx",
                       help="rubric id or YAML path for criterion texts, or 'none' for ids only")
    sheet.add_argument("--out", default=None, help="write the sheet here instead of printing it")
    sheet.set_defaults(func=_sheet)

    figure = sub.add_parser("figure", help="draw the figure of a saved file (stakeholder map, journey, "
                                           "persona, empathy map, connected profile)")
    figure.add_argument("file")
    figure.add_argument("--out", required=True, help="image file: .png, .svg or .pdf")
    figure.add_argument("--lang", choices=["vi", "en"], default="vi")
    figure.add_argument("--dpi", type=int, default=150)
    figure.set_defaults(func=_figure)
