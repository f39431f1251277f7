"""``dxlab crosswalk list|show|validate|apply``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._i18n import check_lang, tr


def _markdown_cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown(frame: object) -> str:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    lines = ["| " + " | ".join(map(_markdown_cell, frame.columns)) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(_markdown_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def _list(args: argparse.Namespace) -> int:
    from ._loader import list_crosswalks, list_frameworks

    print(
        list_crosswalks()
        .drop(columns=["title_en" if check_lang(args.lang) == "vi" else "title"])
        .to_string(index=False)
    )
    print()
    print(list_frameworks().to_string(index=False))
    return 0


def _show(args: argparse.Namespace) -> int:
    import pandas as pd

    from ._loader import load_crosswalk

    lang = check_lang(args.lang)
    cw = load_crosswalk(args.id)
    print(f"# {cw.title.get(lang)}\n")
    print(
        tr(
            "frameworks.cli_show_header",
            lang,
            id=cw.id,
            version=cw.version,
            source=cw.source_rubric,
            kind=tr(f"frameworks.kind_{cw.target_kind}", lang),
            target=cw.target_id,
        )
        + "\n"
    )
    links = pd.DataFrame(
        [
            {
                "from": link.source,
                "to": link.target,
                "relation": link.relation,
                "weight": f"{link.weight:g}",
                "provenance": link.provenance,
                "reference": link.reference,
            }
            for link in cw.links
        ]
    )
    print(_markdown(links))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from ._loader import CrosswalkError, load_crosswalk

    lang = check_lang(args.lang)
    try:
        cw = load_crosswalk(Path(args.path))
    except CrosswalkError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(tr("frameworks.cli_valid", lang, path=args.path, id=cw.id, version=cw.version, links=len(cw.links)))
    return 0


def _apply(args: argparse.Namespace) -> int:
    from ..io import read_table, write_table
    from ._apply import crosswalk

    lang = check_lang(args.lang)
    responses = read_table(args.file)
    result = crosswalk(responses, args.crosswalk, lang=lang)
    table = result.scores_100 if result.scores_100 is not None else result.scores
    out = Path(args.out)
    paths = write_table(table.reset_index(names="response"), out / f"crosswalk-{result.crosswalk.id}")
    paths += write_table(result.coverage, out / f"crosswalk-{result.crosswalk.id}-coverage", formats=("csv",))
    print(result.coverage[["target", "title", "covered", "links", "source_criteria"]].to_string(index=False))
    for note in result.notes:
        print(note)
    print(tr("frameworks.cli_wrote", lang, paths=", ".join(map(str, paths))))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    lang = None  # help texts in the default language (DXLAB_LANG)
    parser = subparsers.add_parser("crosswalk", help=tr("frameworks.cli_help", lang))
    sub = parser.add_subparsers(dest="crosswalk_command", required=True)

    def with_lang(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--lang", choices=["vi", "en"], default=None, help=tr("frameworks.cli_lang", lang))
        return p

    with_lang(sub.add_parser("list", help=tr("frameworks.cli_list", lang))).set_defaults(func=_list)
    show = with_lang(sub.add_parser("show", help=tr("frameworks.cli_show", lang)))
    show.add_argument("id", help=tr("frameworks.cli_id", lang))
    show.set_defaults(func=_show)
    validate = with_lang(sub.add_parser("validate", help=tr("frameworks.cli_validate", lang)))
    validate.add_argument("path")
    validate.set_defaults(func=_validate)
    apply = with_lang(sub.add_parser("apply", help=tr("frameworks.cli_apply", lang)))
    apply.add_argument("file", help=tr("frameworks.cli_file", lang))
    apply.add_argument("--crosswalk", required=True, help=tr("frameworks.cli_id", lang))
    apply.add_argument("--out", default="data/processed", help=tr("frameworks.cli_out", lang))
    apply.set_defaults(func=_apply)
