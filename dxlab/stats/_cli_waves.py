"""``dxlab stats change`` and ``dxlab stats agreement``: waves and raters from the command line.

::

    dxlab stats change data/raw/sample-panel-vi.csv                   # every criterion, last two waves
    dxlab stats change data/raw/sample-panel-vi.csv --on levels       # reached level per dimension
    dxlab stats agreement data/raw/sample-panel-vi.csv --method krippendorff

Several respondents of one enterprise in one wave are combined first (``--consensus``, default the median);
the tables are written as CSV to ``--out`` (default ``data/processed``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pandas as pd

from .._cli_support import add_lang, current_lang
from .._i18n import fmt_int, tr, using_lang
from .._paths import processed_dir

__all__ = ["register_waves"]


def _load(args: argparse.Namespace) -> tuple[pd.DataFrame, Any, list[str]]:
    from ..io import read_table
    from ..rubric import load_rubric

    rubric = load_rubric(args.rubric)
    data = read_table(args.file)
    items = [c for c in rubric.criterion_ids if c in data.columns]
    if not items:
        raise ValueError(
            tr(
                "waves.cli_no_items",
                current_lang(),
                file=args.file,
                rubric=rubric.id,
                examples=", ".join(rubric.criterion_ids[:3]),
            )
        )
    return data, rubric, items


def _finish(table: pd.DataFrame, args: argparse.Namespace, name: str) -> Path:
    from ..io import write_csv

    path = write_csv(table, (Path(args.out) if args.out else processed_dir()) / f"{name}.csv")
    with pd.option_context("display.width", 160, "display.max_columns", 14, "display.precision", 3):
        print(table.head(args.head).to_string(index=False))
    lang = current_lang()
    print(tr("waves.cli_wrote", lang, rows=fmt_int(len(table), lang), path=path))
    return path


def _one_per_wave(data: pd.DataFrame, rubric: Any, args: argparse.Namespace) -> pd.DataFrame:
    keys = [k for k in (args.id, args.wave) if k in data.columns]
    if len(keys) < 2 or not data.duplicated(keys).any():
        return data
    from ..scoring import consensus

    lang = current_lang()
    combined = consensus(data, rubric, by=args.id, wave=args.wave, how=args.consensus, lang=lang).responses
    print(
        tr(
            "waves.cli_combined",
            lang,
            rows=fmt_int(len(data), lang),
            combined=fmt_int(len(combined), lang),
            how=args.consensus,
        )
    )
    return combined


def _change(args: argparse.Namespace) -> int:
    from ..io import write_csv
    from ..scoring import score
    from . import paired_change, transition_matrix

    data, rubric, items = _load(args)
    data = _one_per_wave(data, rubric, args)
    options = {"id": args.id, "wave": args.wave, "before": args.before, "after": args.after, "lang": current_lang()}
    if args.on == "levels":
        scores = score(data, rubric)
        table = paired_change(scores, None, by=args.by, adjust=args.adjust, **options)
        moves = transition_matrix(scores, "overall", **options)
        path = write_csv(moves.long(), (Path(args.out) if args.out else processed_dir()) / "transitions-overall.csv")
        _finish(table, args, "change-levels")
        print(tr("waves.cli_transitions", current_lang(), path=path))
        return 0
    table = paired_change(data, items, by=args.by, adjust=args.adjust, **options)
    _finish(table, args, "change-criteria")
    return 0


def _agreement(args: argparse.Namespace) -> int:
    from . import agreement

    data, rubric, items = _load(args)
    subject: str | list[str] = args.subject
    if args.wave in data.columns and args.subject != args.wave:
        subject = [args.subject, args.wave]
    table = agreement(
        data,
        items,
        subject=subject,
        rater=args.rater,
        method=args.method,
        metric=args.metric,
        levels=rubric,
        n_boot=args.n_boot,
        seed=args.seed,
        lang=current_lang(),
    )
    _finish(table, args, f"agreement-{args.method}")
    return 0


def _in_command_language(func: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        with using_lang(current_lang()):  # every note of the tables speaks the command line's language
            return int(func(args))

    return run


def register_waves(sub: argparse._SubParsersAction) -> None:
    """Add ``change`` and ``agreement`` to ``dxlab stats``."""
    from ._adjust import ADJUST_METHODS
    from ._agreement import AGREEMENT_METHODS, METRICS

    lang = current_lang()

    def command(name: str, help_key: str, func: Any) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=tr(help_key, lang), description=tr(help_key, lang))
        parser.add_argument("file", help=tr("waves.cli_file", lang))
        parser.add_argument("--rubric", default="mobifone-dx", help=tr("waves.cli_rubric", lang))
        parser.add_argument("--out", default=None, help=tr("waves.cli_out", lang))
        parser.add_argument("--head", type=int, default=10, help=tr("waves.cli_head", lang))
        add_lang(parser, "waves.cli_lang")
        parser.add_argument("--wave", default="wave", help=tr("waves.cli_wave", lang))
        parser.set_defaults(func=_in_command_language(func))
        return parser

    change = command("change", "waves.cli_change_help", _change)
    change.add_argument("--id", default="enterprise_id", help=tr("waves.cli_id", lang))
    change.add_argument("--before", default=None, help=tr("waves.cli_before", lang))
    change.add_argument("--after", default=None, help=tr("waves.cli_after", lang))
    change.add_argument("--on", choices=["criteria", "levels"], default="criteria", help=tr("waves.cli_on", lang))
    change.add_argument("--by", default=None, help=tr("waves.cli_by", lang))
    change.add_argument("--adjust", choices=list(ADJUST_METHODS), default="holm", help=tr("waves.cli_adjust", lang))
    change.add_argument(
        "--consensus", choices=["median", "mean", "min"], default="median", help=tr("waves.cli_consensus", lang)
    )
    agree = command("agreement", "waves.cli_agreement_help", _agreement)
    agree.add_argument("--method", choices=list(AGREEMENT_METHODS), default="icc", help=tr("waves.cli_method", lang))
    agree.add_argument("--subject", default="enterprise_id", help=tr("waves.cli_subject", lang))
    agree.add_argument("--rater", default="respondent_id", help=tr("waves.cli_rater", lang))
    agree.add_argument("--metric", choices=list(METRICS), default="ordinal", help=tr("waves.cli_metric", lang))
    agree.add_argument("--n-boot", dest="n_boot", type=int, default=1000, help=tr("waves.cli_n_boot", lang))
    agree.add_argument("--seed", type=int, default=0, help=tr("waves.cli_seed", lang))
