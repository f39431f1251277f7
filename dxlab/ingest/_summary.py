"""The one-screen summary of a cleaning run."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from ._clean import CleanResult

__all__ = ["render_summary"]

_WIDTH = 100


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_summary(result: "CleanResult") -> str:
    source = result.source
    lines = []
    if source is not None:
        lines.append(_clip(f"dxlab clean — {Path(source.path).name}", _WIDTH))
        lines.append(f"  format       {source.format_label} · {source.encoding} · "
                     f"{source.header_rows} header row{'s' if source.header_rows != 1 else ''}")
        lines.append(f"  rows read    {source.rows_read:,}")
    lines.append(f"  kept         {len(result.responses):,} responses")
    table = result.summary_table()
    lines.append(f"  quarantined  {int(table['rows'].sum()) if len(table) else 0:,} rows")
    for problem, rows in zip(table["problem"], table["rows"]):
        lines.append(f"    {_clip(problem, 60):<60} {rows:>8,}")
    cells = result.issues[~result.issues["action"].astype(str).str.startswith("row quarantined")
                          & result.issues["row"].notna()]
    lines.append(f"  cell issues  {len(cells):,}")
    if len(cells):
        counts = cells.groupby("column", sort=False).size().sort_values(ascending=False, kind="stable")
        for column, count in list(counts.items())[:5]:
            lines.append(f"    {_clip(str(column), 60):<60} {count:>8,}")
        if len(counts) > 5:
            lines.append(f"    … and {len(counts) - 5} more columns")
    mapping = result.mapping
    criteria = mapping.criteria
    total = len(result.criterion_ids)
    lines.append(f"  mapped       {len(criteria)} of {total} criteria · metadata: {', '.join(mapping.metadata) or 'none'}")
    absent = [c for c in result.criterion_ids if c not in criteria]
    if criteria and absent:
        shown = ", ".join(absent[:8]) + (f" and {len(absent) - 8} more" if len(absent) > 8 else "")
        lines.append(f"  no column    for {shown}")
    unmapped = mapping.unmapped
    if unmapped:
        shown = ", ".join(repr(_clip(c, 40)) for c in unmapped[:6])
        more = f" and {len(unmapped) - 6} more" if len(unmapped) > 6 else ""
        lines.append(_clip(f"  unmapped     {len(unmapped)} kept as extra columns: {shown}{more}", _WIDTH * 2))
    ambiguous = [m for m in mapping.matches if m.how in ("ambiguous", "weak match")]
    if ambiguous:
        lines.append(f"  to check     {len(ambiguous)} column(s) with an ambiguous or weak match "
                     f"(see mapping: {', '.join(repr(_clip(m.column, 30)) for m in ambiguous[:3])})")
    if len(result.recodes):
        lines.append(f"  recoded      {len(result.recodes)} distinct spellings of metadata to standard values")
    for note in result.notes:
        lines.append(_clip(f"  note         {note}", _WIDTH * 2))
    return "\n".join(lines)


def summary_frame(result: "CleanResult") -> pd.DataFrame:
    return result.summary_table()
