"""Writing the cleaned responses as one Parquet file or as a Parquet dataset in parts.

A dataset (a folder of ``part-0.parquet``, ``part-1.parquet``…, each of at most :data:`PARQUET_PART_ROWS`
rows) is read by ``pyarrow.dataset``, Dask and Spark one part at a time, so later steps never need the whole
table in memory. ``out_format="auto"`` writes a dataset once the responses pass :data:`DATASET_ABOVE_ROWS`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

__all__ = ["DATASET_ABOVE_ROWS", "OUT_FORMATS", "PARQUET_PART_ROWS", "write_in_parts", "write_responses"]

OUT_FORMATS = ("auto", "parquet", "parquet-dataset")
PARQUET_PART_ROWS = 100_000
DATASET_ABOVE_ROWS = 1_000_000


def write_responses(
    responses: pd.DataFrame, out: Path, out_format: str = "auto", part_rows: int = PARQUET_PART_ROWS
) -> Path:
    """Write ``responses`` to ``out/responses.parquet`` (a file) or ``out/responses/`` (a dataset of parts);
    return the path written. A file or dataset of the other kind left by an earlier run is removed, so that
    readers never see stale responses."""
    if out_format not in OUT_FORMATS:
        raise ValueError(f"out_format must be one of {', '.join(map(repr, OUT_FORMATS))}, not {out_format!r}")
    if part_rows < 1:
        raise ValueError(f"part_rows must be at least 1, not {part_rows}")
    as_dataset = out_format == "parquet-dataset" or (out_format == "auto" and len(responses) > DATASET_ABOVE_ROWS)
    single, folder = out / "responses.parquet", out / "responses"
    if not as_dataset:
        if folder.is_dir():
            shutil.rmtree(folder)
        responses.to_parquet(single, index=False)
        return single
    import pyarrow as pa
    import pyarrow.dataset as ds

    if single.exists():
        single.unlink()
    if folder.is_dir():
        shutil.rmtree(folder)
    table = pa.Table.from_pandas(responses, preserve_index=False)
    ds.write_dataset(
        table,
        folder,
        format="parquet",
        basename_template="part-{i}.parquet",
        max_rows_per_file=part_rows,
        max_rows_per_group=min(part_rows, 1 << 20),
    )
    return folder


class _PartWriter:
    """Responses written chunk by chunk: parts of a dataset (one per chunk) or row groups of one file, and the
    CSV copy appended; a file or dataset of the other kind left by an earlier run is removed."""

    def __init__(self, out: Path, as_dataset: bool) -> None:
        self.out = out
        self.as_dataset = as_dataset
        self.single, self.folder = out / "responses.parquet", out / "responses"
        stale = self.single if as_dataset else self.folder
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
        if as_dataset:
            if self.folder.is_dir():
                shutil.rmtree(self.folder)
            self.folder.mkdir(parents=True)
        self.parts = 0
        self.schema: Any = None
        self.writer: Any = None
        self.empty: pd.DataFrame | None = None
        self.csv = _CsvAppender(out / "responses.csv")

    def write(self, responses: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.empty is None:
            self.empty = responses.iloc[:0]
        if not len(responses):
            return
        table = pa.Table.from_pandas(responses, preserve_index=False)
        if self.schema is None:
            self.schema = table.schema
        table = table.cast(self.schema)
        self.csv.append(responses)
        if self.as_dataset:
            pq.write_table(table, self.folder / f"part-{self.parts}.parquet")
        else:
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.single, self.schema)
            self.writer.write_table(table)
        self.parts += 1

    def close(self) -> Path:
        if self.parts == 0 and self.empty is not None:  # no response at all: an empty table with the columns
            target = self.folder / "part-0.parquet" if self.as_dataset else self.single
            self.empty.to_parquet(target, index=False)
            self.csv.append(self.empty)
        if self.writer is not None:
            self.writer.close()
        self.csv.close()
        return self.folder if self.as_dataset else self.single


class _CsvAppender:
    """One CSV file (UTF-8 with a BOM, text cells neutralised) written from several frames of the same columns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: TextIO | None = None

    def append(self, frame: pd.DataFrame) -> None:
        from ..io import neutralise_frame

        first = self.handle is None
        if first:
            self.handle = self.path.open("w", encoding="utf-8-sig", newline="")
        neutralise_frame(frame).to_csv(self.handle, index=False, header=first, lineterminator="\n")

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def write_in_parts(cleaning, out: Path, *, lang: str | None, out_format: str, chunk_rows: int, keep: bool = True):
    """Write a prepared cleaning (``dxlab.ingest._clean._Cleaning``) to ``out`` ``chunk_rows`` rows at a time and
    return its :class:`~dxlab.ingest.CleanResult` (without the responses and non-answers when ``keep`` is
    False)."""
    from ._clean import CleanResult, _concat_frames, _concat_issues
    from ._issue_text import localise_issues

    if out_format not in OUT_FORMATS:
        raise ValueError(f"out_format must be one of {', '.join(map(repr, OUT_FORMATS))}, not {out_format!r}")
    out.mkdir(parents=True, exist_ok=True)
    kept_rows = cleaning.kept_rows
    as_dataset = out_format == "parquet-dataset" or (out_format == "auto" and kept_rows > DATASET_ABOVE_ROWS)
    responses_out = _PartWriter(out, as_dataset)
    issues_csv, nonresponse_csv = _CsvAppender(out / "issues.csv"), _CsvAppender(out / "nonresponse.csv")
    responses, issues, nonresponse = [], [], []
    counts = {"not_applicable": 0, "dont_know": 0}
    for chunk, chunk_issues, chunk_nonresponse in cleaning.parts(chunk_rows):
        responses_out.write(chunk)
        issues_csv.append(localise_issues(chunk_issues, lang))
        nonresponse_csv.append(chunk_nonresponse)
        for code, count in chunk_nonresponse["code"].value_counts().items():
            counts[str(code)] = counts.get(str(code), 0) + int(count)
        issues.append(chunk_issues)
        if keep:
            responses.append(chunk)
            nonresponse.append(chunk_nonresponse)
        else:
            responses[:1] = [chunk.iloc[:0]]
            nonresponse[:1] = [chunk_nonresponse.iloc[:0]]
    responses_out.close()
    issues_csv.close()
    nonresponse_csv.close()
    result = CleanResult(
        responses=_concat_frames(responses),
        issues=_concat_issues(issues),
        mapping=cleaning.mapping,
        recodes=cleaning.recodes,
        source=cleaning.source,
        notes=cleaning.final_notes(counts),
        criterion_ids=cleaning.criterion_ids,
        nonresponse=_concat_frames(nonresponse),
        kept_rows=None if keep else kept_rows,
    )
    from ..io import write_csv

    write_csv(cleaning.recodes, out / "recodes.csv")
    cleaning.mapping.write(out / "mapping.yaml")
    (out / "summary.txt").write_text(result.summary(lang) + "\n", encoding="utf-8")
    return result
