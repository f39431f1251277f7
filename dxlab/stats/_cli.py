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
from pathlib import Path
from typing import Callable

import pandas as pd

__all__ = ["register"]


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, object, list[str]]:
    from ..io import read_table
    from ..rubric import load_rubric

    rubric = load_rubric(args.rubric)
    data = read_table(args.file)
    items = [c for c in rubric.criterion_ids if c in data.columns]
    if not items:
        raise ValueError(f"{args.file}: no column is a criterion of rubric {rubric.id!r} "  # type: ignore[attr-defined]
                         f"(expected ids such as {', '.join(rubric.criterion_ids[:3])}); clean the export with "  # type: ignore[attr-defined]
                         f"`dxlab clean` first")
    return data, rubric, items


def _finish(table: pd.DataFrame, args: argparse.Namespace, name: str) -> int:
    from ..io import write_csv

    path = write_csv(table, Path(args.out) / f"{name}.csv")
    with pd.option_context("display.width", 140, "display.max_columns", 20, "display.precision", 3):
        print(table.head(args.head).to_string(index=False))
    print(f"{len(table)} rows; wrote {path}")
    return 0


def _distribution(args: argparse.Namespace) -> int:
    from . import level_distribution

    data, rubric, items = _load(args)
    table = level_distribution(data, items, by=args.by, weights=args.weights, levels=rubric)
    return _finish(table, args, "level-distribution" + (f"-by-{args.by}" if args.by else ""))


def _association(args: argparse.Namespace) -> int:
    from . import association

    data, rubric, items = _load(args)
    return _finish(association(data, items, by=args.by, weights=args.weights, levels=rubric), args,
                   f"association-by-{args.by}")


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
            parts.append(item_analysis(data, members, missing=args.missing, levels=rubric).assign(
                dimension=dimension.id))
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


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``dxlab stats`` and its sub-commands."""
    from ._adjust import ADJUST_METHODS
    from ._correlation import METHODS

    stats = subparsers.add_parser("stats", help="ordinal statistics tables (distributions, reliability, correlations…)")
    sub = stats.add_subparsers(dest="stats_command", required=True)

    def command(name: str, help_text: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text)
        parser.add_argument("file", help="responses: CSV, XLSX or Parquet with one level column per criterion id")
        parser.add_argument("--rubric", default="mobifone-dx", help="shipped rubric id or YAML path")
        parser.add_argument("--out", default="data/processed", help="output folder (default data/processed)")
        parser.add_argument("--head", type=int, default=10, help="rows to print (default 10)")
        parser.set_defaults(func=func)
        return parser

    p = command("distribution", "counts and shares per level with Wilson intervals", _distribution)
    p.add_argument("--by", default=None, help="grouping column, e.g. sector, size, province")
    p.add_argument("--weights", default=None, help="column of row weights")
    p = command("association", "χ², Cramér's V and an ordinal test per criterion", _association)
    p.add_argument("--by", required=True, help="grouping column")
    p.add_argument("--weights", default=None, help="column of row weights")
    p = command("reliability", "α (Feldt CI), standardised α and ω for every group and dimension", _reliability)
    p.add_argument("--method", choices=["pearson", "polychoric"], default="pearson")
    p.add_argument("--missing", choices=["pairwise", "listwise"], default="pairwise")
    p = command("items", "item analysis per dimension: item–total r, α if deleted", _items)
    p.add_argument("--missing", choices=["pairwise", "listwise"], default="pairwise")
    p = command("correlations", "every pair of criteria with CI and adjusted p", _correlations)
    p.add_argument("--method", choices=list(METHODS), default="spearman")
    p.add_argument("--adjust", choices=list(ADJUST_METHODS), default="holm")
    p = command("compare", "Kruskal–Wallis with ε² per criterion across groups", _compare)
    p.add_argument("--by", required=True, help="grouping column")
    p.add_argument("--n-boot", dest="n_boot", type=int, default=2000, help="bootstrap replicates for the ε² CI")
    p.add_argument("--seed", type=int, default=0)
    from ._cli_waves import register_waves

    register_waves(sub)
