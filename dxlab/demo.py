"""``make demo``: the whole pipeline on the shipped synthetic sample, writing real outputs.

raw export (data/raw/) → cleaned responses (data/processed/) → scores and gaps → statistics tables →
reports (reports/). Each step prints what it wrote.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from . import io
from ._paths import project_root
from .rubric import load_rubric
from .sample import SYNTHETIC_NOTE
from .scoring import gaps, score

RUBRIC = "mobifone-dx"
SAMPLE_SIZE = 3000
SEED = 2021


def _step(title: str) -> float:
    print(f"\n== {title}", flush=True)
    return time.perf_counter()


def _done(start: float, paths: list[Path], root: Path) -> None:
    for path in paths:
        print(f"   wrote {path.relative_to(root)}")
    print(f"   ({time.perf_counter() - start:.1f} s)")


ANALYSIS_NOTEBOOKS = ("02-level-distributions.ipynb", "03-reliability-and-correlations.ipynb",
                      "04-sector-comparison.ipynb")


def run(root: Path | None = None, *, notebooks: bool = True) -> dict[str, Path]:
    """Run the pipeline under ``root`` (the project folder); returns the main outputs by name."""
    from .ingest import read_export, write_outputs
    from .report import enterprise, largest_sector, sector
    from .sample import GOOGLE_FORMS_SAMPLE, write_google_forms_export

    root = project_root(root)
    raw, processed, reports = root / "data" / "raw", root / "data" / "processed", root / "reports"
    for folder in (raw, processed, reports):
        folder.mkdir(parents=True, exist_ok=True)
    rubric = load_rubric(RUBRIC)
    outputs: dict[str, Path] = {}

    t = _step(f"1. raw export: a Vietnamese Google Forms export of {rubric.id} ({SYNTHETIC_NOTE})")
    export = raw / GOOGLE_FORMS_SAMPLE
    if export.exists():
        print(f"   using the shipped sample {export.relative_to(root)}")
        _done(t, [], root)
    else:
        write_google_forms_export(export, rubric, n=SAMPLE_SIZE, seed=SEED)
        _done(t, [export], root)

    t = _step("2. clean: read, map columns to criteria, parse answers, quarantine what cannot be used")
    result = read_export(export, rubric)
    paths = write_outputs(result, processed)
    print("\n".join("   " + line for line in result.summary().splitlines()))
    responses = result.responses
    outputs["responses"] = processed / "responses.parquet"
    _done(t, paths, root)

    t = _step("3. scores: mean, dbi2021 (MIC 2021) and dma100")
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

    t = _step("4. gaps against level 4 (Nâng cao), with next steps")
    table = gaps(mean_scores, rubric, target=4)
    paths = [io.write_csv(table, processed / "gaps-target-4.csv")]
    outputs["gaps"] = paths[0]
    top = table.groupby("criterion")["priority"].sum().sort_values(ascending=False).head(5)
    print("   criteria with the largest total priority:")
    for crit_id, value in top.items():
        print(f"   - {crit_id} {rubric.criterion(crit_id).text.vi[:70]}… ({value:,.0f})")
    _done(t, paths, root)

    if notebooks:
        t = _step("5. statistics: distributions, reliability, correlations, sector comparison (notebooks 02–04)")
        paths = _run_notebooks(root, ANALYSIS_NOTEBOOKS, reports / "notebooks")
        _done(t, paths, root)

    t = _step("6. reports: a report card and the largest sector's report (PDF when Chromium is installed)")
    card = enterprise(responses, responses["response_id"].iloc[0], rubric).save(reports)
    files = sector(outputs["responses"], largest_sector(responses), rubric=rubric.id, out=reports)
    for note in {card.pdf_note, files.pdf_note} - {None}:
        print(f"   note: {note}")
    outputs["report-enterprise"], outputs["report-sector"] = card.html, files.html
    _done(t, [card.html, *card.tables, files.html, *files.tables] + [p for p in (card.pdf, files.pdf) if p], root)

    print(f"\nDone. Outputs in {processed.relative_to(root)}/ and {reports.relative_to(root)}/")
    return outputs


def _run_notebooks(root: Path, names: tuple[str, ...], out_dir: Path) -> list[Path]:
    """Execute analysis notebooks with papermill (in their own folder, as Jupyter would); keep executed copies."""
    import papermill

    from .report._sector import KERNEL_QUIET

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    before = time.time() - 1.0
    for name in names:
        source = root / "notebooks" / name
        target = out_dir / name
        papermill.execute_notebook(str(source), str(target), cwd=str(source.parent), progress_bar=False,
                                   log_output=False, kernel_name="python3", extra_arguments=KERNEL_QUIET)
        written.append(target)
    processed = root / "data" / "processed"
    written += sorted(p for p in processed.rglob("*") if p.is_file() and p.stat().st_mtime >= before)
    return written


def main() -> int:
    pd.set_option("display.width", 120)
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
