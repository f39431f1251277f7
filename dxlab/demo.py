"""``make demo``: the whole pipeline on the shipped synthetic sample, writing real outputs.

raw export (data/raw/) → cleaned responses (data/processed/) → scores and gaps → statistics tables →
reports (reports/). Each step prints what it wrote.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import io
from ._i18n import ENV_VAR as LANG_ENV
from ._i18n import default_lang, fmt_int, fmt_number, tr
from ._paths import processed_dir, project_root, raw_dir, reports_dir
from .rubric import load_rubric
from .scoring import gaps, score

RUBRIC = "mobifone-dx"
SAMPLE_SIZE = 3000
SEED = 2021


def _step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.perf_counter()


def _done(start: float, paths: Sequence[Path | None], root: Path) -> None:
    for path in filter(None, paths):
        print("   " + tr("cli.wrote", None, paths=path.relative_to(root)))
    print(f"   ({fmt_number(time.perf_counter() - start, None, 1)} s)")


# Quiets the kernel's start-up warning in executed notebooks (the report package keeps the same setting).
KERNEL_QUIET = ["--IPKernelApp.log_level=ERROR"]
ANALYSIS_NOTEBOOKS = (
    "02-level-distributions.ipynb",
    "03-reliability-and-correlations.ipynb",
    "04-sector-comparison.ipynb",
)


def run(root: Path | None = None, *, notebooks: bool = True) -> dict[str, Path]:
    """Run the pipeline under ``root`` (the project folder); returns the main outputs by name."""
    from .ingest import read_export, write_outputs
    from .report import enterprise, largest_sector, sector
    from .sample import GOOGLE_FORMS_SAMPLE, write_google_forms_export

    root = project_root(root)
    raw, processed, reports = raw_dir(root), processed_dir(root), reports_dir(root)
    for folder in (raw, processed, reports):
        folder.mkdir(parents=True, exist_ok=True)
    rubric = load_rubric(RUBRIC)
    outputs: dict[str, Path] = {}

    t = _step(tr("cli.demo_step_raw", None, rubric=rubric.id, note=tr("core.synthetic_data", None)))
    export = raw / GOOGLE_FORMS_SAMPLE
    if export.exists():
        print("   " + tr("cli.demo_using_sample", None, path=export.relative_to(root)))
        _done(t, [], root)
    else:
        write_google_forms_export(export, rubric, n=SAMPLE_SIZE, seed=SEED)
        _done(t, [export], root)

    t = _step(tr("cli.demo_step_clean", None))
    result = read_export(export, rubric)
    paths = write_outputs(result, processed)
    print("\n".join("   " + line for line in result.summary().splitlines()))
    responses = result.responses
    outputs["responses"] = processed / "responses.parquet"
    _done(t, paths, root)

    t = _step(tr("cli.demo_step_scores", None))
    paths = []
    for scheme in ("mean", "dbi2021", "dma100"):
        scores = score(responses, rubric, scheme=scheme, source=str(export.name))
        written = io.write_table(scores.wide(), processed / f"scores-{scheme}")
        outputs[f"scores-{scheme}"] = written[0]
        paths += written
        if scheme == "mean":
            mean_scores = scores
    print(mean_scores.summary().to_string(index=False))
    _done(t, paths, root)

    t = _step(tr("cli.demo_step_gaps", None, level=4, label=rubric.level_label(4, default_lang())))
    table = gaps(mean_scores, rubric, target=4)
    paths = [io.write_csv(table, processed / "gaps-target-4.csv")]
    outputs["gaps"] = paths[0]
    top = table.groupby("criterion")["priority"].sum().sort_values(ascending=False).head(5)
    print("   " + tr("cli.demo_top_priority", None))
    for crit_id, value in top.items():
        print(f"   - {crit_id} {rubric.criterion(crit_id).text.get()[:70]}… ({fmt_int(value)})")
    _done(t, paths, root)

    if notebooks:
        t = _step(tr("cli.demo_step_stats", None))
        paths = _run_notebooks(root, ANALYSIS_NOTEBOOKS, reports / "notebooks")
        _done(t, paths, root)

    t = _step(tr("cli.demo_step_reports", None))
    card = enterprise(responses, responses["response_id"].iloc[0], rubric).save(reports)
    files = sector(outputs["responses"], largest_sector(responses), rubric=rubric.id, out=reports)
    for note in {card.pdf_note, files.pdf_note} - {None}:
        print("   " + tr("cli.demo_note", None, note=note))
    for name, path in (("report-enterprise", card.html), ("report-sector", files.html)):
        if path is not None:
            outputs[name] = path
    _done(t, [card.html, *card.tables, files.html, *files.tables, card.pdf, files.pdf], root)

    print(
        "\n"
        + tr(
            "cli.demo_done", None, processed=f"{processed.relative_to(root)}/", reports=f"{reports.relative_to(root)}/"
        )
    )
    return outputs


def _run_notebooks(root: Path, names: tuple[str, ...], out_dir: Path) -> list[Path]:
    """Execute analysis notebooks with papermill (in their own folder, as Jupyter would); keep executed copies."""
    import papermill

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    before = time.time() - 1.0
    for name in names:
        source = root / "notebooks" / name
        target = out_dir / name
        papermill.execute_notebook(
            str(source),
            str(target),
            cwd=str(source.parent),
            progress_bar=False,
            log_output=False,
            kernel_name="python3",
            extra_arguments=KERNEL_QUIET,
        )
        written.append(target)
    processed = processed_dir(root)
    written += sorted(p for p in processed.rglob("*") if p.is_file() and p.stat().st_mtime >= before)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dxlab.demo [--root DIR] [--no-notebooks] [--lang vi|en]``."""
    from ._cli_support import CliParser, add_lang, lang_from_argv, set_lang

    words = sys.argv[1:] if argv is None else list(argv)
    lang = set_lang(lang_from_argv(words))
    parser = CliParser(prog="python -m dxlab.demo", description=tr("cli.demo_description", lang))
    parser.add_argument("--root", type=Path, default=None, help=tr("cli.demo_root", lang))
    parser.add_argument("--no-notebooks", action="store_true", help=tr("cli.demo_no_notebooks", lang))
    add_lang(parser)
    args = parser.parse_args(words)
    # The notebooks run in their own kernels and read the language from the environment, as every step does.
    os.environ[LANG_ENV] = lang
    pd.set_option("display.width", 120)
    run(args.root, notebooks=not args.no_notebooks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
