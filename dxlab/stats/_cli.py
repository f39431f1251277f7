"""``dxlab stats …``: the statistics tables from the command line, written as CSV.

Each sub-command reads a responses file (CSV, XLSX or Parquet with one level column per criterion id, as
``data/processed/responses.parquet``), takes the items from the rubric, prints the first rows and writes
the whole table to ``--out`` (default ``data/processed``)::

    dxlab stats distribution data/processed/responses.parquet --by sector
    dxlab stats reliability data/processed/responses.parquet --method polychoric
    dxlab stats correlations data/processed/responses.parquet --method polychoric --adjust fdr_bh
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .._cli_support import add_lang, current_lang, fail, say
from .._i18n import tr, using_lang
from .._paths import processed_dir

__all__ = ["register"]


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, object, list[str]]:
    from ..io import read_table
    from ..rubric import load_rubric
    from ._source import ParquetSource

    rubric = load_rubric(args.rubric)
    data = ParquetSource(args.file) if Path(args.file).is_dir() else read_table(args.file)  # a folder: in parts
    items = [c for c in rubric.criterion_ids if c in data.columns]
    if not items:
        fail("cli.stats_no_items", path=args.file, rubric=rubric.id, examples=", ".join(rubric.criterion_ids[:3]))
    return data, rubric, items


def _finish(table: pd.DataFrame, args: argparse.Namespace, name: str) -> int:
    from ..io import write_csv

    path = write_csv(table, (Path(args.out) if args.out else processed_dir()) / f"{name}.csv")
    with pd.option_context("display.width", 140, "display.max_columns", 20, "display.precision", 3):
        print(table.head(args.head).to_string(index=False))
    say("cli.rows_wrote", rows=len(table), path=path)
    return 0


def _distribution(args: argparse.Namespace) -> int:
    from . import level_distribution

    data, rubric, items = _load(args)
    table = level_distribution(data, items, by=args.by, weights=args.weights, levels=rubric)
    return _finish(table, args, "level-distribution" + (f"-by-{args.by}" if args.by else ""))


def _association(args: argparse.Namespace) -> int:
    from . import association

    data, rubric, items = _load(args)
    return _finish(
        association(data, items, by=args.by, weights=args.weights, levels=rubric), args, f"association-by-{args.by}"
    )


def _reliability(args: argparse.Namespace) -> int:
    from . import reliability

    data, rubric, _ = _load(args)
    table = reliability(data, rubric, method=args.method, missing=args.missing, levels=rubric)
    return _finish(table, args, f"reliability-{args.method}")


def _items(args: argparse.Namespace) -> int:
    from . import item_analysis

    data, rubric, items = _load(args)
    parts = []
    for dimension in rubric.dimensions:  # type: ignore[attr-defined]
        members = [c.id for c in dimension.criteria if c.id in items]
        if members:
            parts.append(
                item_analysis(data, members, missing=args.missing, levels=rubric).assign(dimension=dimension.id)
            )
    return _finish(pd.concat(parts, ignore_index=True), args, "item-analysis")


def _correlations(args: argparse.Namespace) -> int:
    from . import correlations

    data, rubric, items = _load(args)
    table = correlations(data, items, method=args.method, adjust=args.adjust, levels=rubric)
    return _finish(table, args, f"correlations-{args.method}")


def _compare(args: argparse.Namespace) -> int:
    from . import compare_groups

    data, _, items = _load(args)
    table = compare_groups(data, items, by=args.by, n_boot=args.n_boot, seed=args.seed)
    return _finish(table, args, f"compare-by-{args.by}")


def _notes_in_command_language(func: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with using_lang(current_lang()):  # the tables' notes speak the command line's language
            return func(args)

    return run


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dxlab stats`` and its sub-commands."""
    from ._adjust import ADJUST_METHODS
    from ._correlation import METHODS

    lang = current_lang()
    stats = subparsers.add_parser("stats", help=tr("cli.stats", lang), description=tr("cli.stats", lang))
    sub = stats.add_subparsers(dest="stats_command", required=True, title=tr("cli.commands", lang))

    def command(name: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        text = tr(f"cli.stats_{name}", lang)
        parser = sub.add_parser(name, help=text, description=text)
        parser.add_argument("file", help=tr("cli.responses_file", lang))
        parser.add_argument(
            "--rubric", default="mobifone-dx", help=tr("cli.rubric_option_default", lang, default="mobifone-dx")
        )
        parser.add_argument("--out", default=None, help=tr("cli.out", lang, default="data/processed"))
        parser.add_argument("--head", type=int, default=10, help=tr("cli.head", lang))
        add_lang(parser)
        parser.set_defaults(func=_notes_in_command_language(func))
        return parser

    p = command("distribution", _distribution)
    p.add_argument("--by", default=None, help=tr("cli.by_optional", lang))
    p.add_argument("--weights", default=None, help=tr("cli.weights", lang))
    p = command("association", _association)
    p.add_argument("--by", required=True, help=tr("cli.by", lang))
    p.add_argument("--weights", default=None, help=tr("cli.weights", lang))
    p = command("reliability", _reliability)
    p.add_argument("--method", choices=["pearson", "polychoric"], default="pearson", help=tr("cli.method", lang))
    p.add_argument("--missing", choices=["pairwise", "listwise"], default="pairwise", help=tr("cli.missing", lang))
    p = command("items", _items)
    p.add_argument("--missing", choices=["pairwise", "listwise"], default="pairwise", help=tr("cli.missing", lang))
    p = command("correlations", _correlations)
    p.add_argument("--method", choices=list(METHODS), default="spearman", help=tr("cli.method", lang))
    p.add_argument("--adjust", choices=list(ADJUST_METHODS), default="holm", help=tr("cli.adjust", lang))
    p = command("compare", _compare)
    p.add_argument("--by", required=True, help=tr("cli.by", lang))
    p.add_argument("--n-boot", dest="n_boot", type=int, default=2000, help=tr("cli.n_boot", lang))
    p.add_argument("--seed", type=int, default=0, help=tr("cli.seed", lang))
    from ._cli_waves import register_waves

    register_waves(sub)
