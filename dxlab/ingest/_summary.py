"""The one-screen summary of a cleaning run, in Vietnamese or English (texts from ``dxlab/i18n/ingest.yaml``).

Column names are shown whole: a summary that cuts "7. Doanh nghiệp phát triển sản phẩm, dịch vụ và mô hình
kin…" leaves the reader guessing which of two similar questions it meant.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from .._i18n import check_lang, fmt_int, tr
from ._issue_text import localise_note, localise_problem

if TYPE_CHECKING:
    from ._clean import CleanResult

__all__ = ["render_summary"]

_LABEL = 13
_SHOWN = 8


def _line(key: str, lang: str, text: str) -> str:
    return f"  {tr(f'ingest.{key}', lang):<{_LABEL}}{text}"


def _counts(result: CleanResult, lang: str) -> list[str]:
    lines = []
    source = result.source
    if source is not None:
        lines.append(_line("s_rows_read_label", lang, fmt_int(source.rows_read, lang)))
    lines.append(_line("s_kept_label", lang, tr("ingest.s_kept", lang, count=fmt_int(result.kept, lang))))
    table = result.summary_table()
    total = int(table["rows"].sum()) if len(table) else 0
    lines.append(_line("s_quarantined_label", lang, tr("ingest.s_quarantined", lang, count=fmt_int(total, lang))))
    for problem, rows in zip(table["problem"], table["rows"]):
        lines.append(f"    {localise_problem(problem, lang):<60} {fmt_int(rows, lang):>8}")
    cells = result.issues[
        ~result.issues["action"].astype(str).str.startswith("row quarantined") & result.issues["row"].notna()
    ]
    lines.append(_line("s_cell_issues_label", lang, fmt_int(len(cells), lang)))
    if len(cells):
        counts = cells.groupby("column", sort=False).size().sort_values(ascending=False, kind="stable")
        for column, count in list(counts.items())[:5]:
            lines.append(f"    {column!s:<60} {fmt_int(count, lang):>8}")
        if len(counts) > 5:
            lines.append("    " + tr("ingest.s_more_columns", lang, count=len(counts) - 5))
    return lines


def _mapping(result: CleanResult, lang: str) -> list[str]:
    lines = []
    mapping = result.mapping
    criteria = mapping.criteria
    fields = ", ".join(mapping.metadata) or tr("ingest.s_none", lang)
    lines.append(
        _line(
            "s_mapped_label",
            lang,
            tr("ingest.s_mapped", lang, mapped=len(criteria), total=len(result.criterion_ids), fields=fields),
        )
    )
    absent = [c for c in result.criterion_ids if c not in criteria]
    if criteria and absent:
        shown = ", ".join(absent[:_SHOWN])
        if len(absent) > _SHOWN:
            shown = tr("ingest.s_and_more", lang, shown=shown, count=len(absent) - _SHOWN)
        lines.append(_line("s_no_column_label", lang, tr("ingest.s_no_column", lang, ids=shown)))
    unmapped = mapping.unmapped
    if unmapped:
        names = ", ".join(repr(c) for c in unmapped)
        lines.append(_line("s_unmapped_label", lang, tr("ingest.s_unmapped", lang, count=len(unmapped), names=names)))
    ambiguous = [m for m in mapping.matches if m.how in ("ambiguous", "weak match")]
    if ambiguous:
        names = ", ".join(repr(m.column) for m in ambiguous)
        lines.append(_line("s_to_check_label", lang, tr("ingest.s_to_check", lang, count=len(ambiguous), names=names)))
    if len(result.recodes):
        lines.append(_line("s_recoded_label", lang, tr("ingest.s_recoded", lang, count=len(result.recodes))))
    return lines


def render_summary(result: CleanResult, lang: str | None = None) -> str:
    """The summary of ``result`` in ``lang`` (default: ``DXLAB_LANG``, else Vietnamese)."""
    code = check_lang(lang)
    source = result.source
    lines = []
    if source is not None:
        lines.append(tr("ingest.s_title", code, name=Path(source.path).name))
        header = tr(
            "ingest.s_format", code, label=source.format_label, encoding=source.encoding, rows=source.header_rows
        )
        lines.append(_line("s_format_label", code, header))
    lines += _counts(result, code) + _mapping(result, code)
    for note in source.notes if source is not None else ():
        lines.append(_line("s_source_label", code, localise_note(note, code)))
    for note in result.notes:
        lines.append(_line("s_note_label", code, localise_note(note, code)))
    return "\n".join(lines)


def summary_frame(result: CleanResult) -> pd.DataFrame:
    return result.summary_table()
