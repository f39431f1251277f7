"""Writing the cleaned responses as one Parquet file or as a Parquet dataset in parts.

A dataset (a folder of ``part-0.parquet``, ``part-1.parquet``…, each of at most :data:`PARQUET_PART_ROWS`
rows) is read by ``pyarrow.dataset``, Dask and Spark one part at a time, so later steps never need the whole
table in memory. ``out_format="auto"`` writes a dataset once the responses pass :data:`DATASET_ABOVE_ROWS`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd

__all__ = ["DATASET_ABOVE_ROWS", "OUT_FORMATS", "PARQUET_PART_ROWS", "write_responses"]

OUT_FORMATS = ("auto", "parquet", "parquet-dataset")
PARQUET_PART_ROWS = 250_000
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
