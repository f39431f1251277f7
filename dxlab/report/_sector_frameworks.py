"""Two sections of the sector report about the framework itself: how robust the ranking of sectors is to the
dimension weights (:func:`dxlab.stats.weight_sensitivity`) and which archetypes of enterprises the sector has
(:func:`dxlab.stats.archetypes`). Both are computed on the whole wave, then read for the report's sector.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import pandas as pd

from .. import plots, stats
from .._i18n import fmt_int, fmt_number, fmt_percent, tr, using_lang
from ._figures import _draw
from ._labels import UNKNOWN, sector_label
from ._model import Block, Note, Paragraph, Section, Table

if TYPE_CHECKING:
    from ._sector_model import _Context

__all__ = ["archetypes_section", "robustness_section"]

N_RANDOM = 500  # weightings: quantiles of ranks settle well before this on a few dozen sectors
N_BOOT = 5  # bootstrap resamples for archetype stability: enough to tell a stable cluster from a dissolving one


def robustness_section(ctx: _Context) -> tuple[Section, pd.DataFrame]:
    """Rank of each sector under the rubric's weights, equal weights, MIC 2021's implied weights and random
    weightings around the rubric's."""
    lang = ctx.lang
    groups = ctx.cohort["sector"]
    if groups.nunique() < 2:
        return Section(
            "robustness", tr("frameworks.robust_title", lang), (Note(tr("report.no_others", lang)),)
        ), pd.DataFrame()
    with using_lang(lang):  # the result's notes in the report's language
        result = stats.weight_sensitivity(ctx.cohort, ctx.rubric, n_random=N_RANDOM, by="sector", seed=0)
    table = result.intervals.sort_values("rank")
    mine = table[table["unit"] == ctx.sector].iloc[0]
    cells = [
        [
            sector_label(str(r.unit), lang),
            fmt_int(int(r.n), lang),
            fmt_number(r.score, lang),
            fmt_number(r.rank, lang, 1),
            f"{fmt_number(r.rank_q025, lang, 1)}–{fmt_number(r.rank_q975, lang, 1)}",
            f"{fmt_number(r.rank_min, lang, 1)}–{fmt_number(r.rank_max, lang, 1)}",
            fmt_percent(r.share_level_changed, lang),
        ]
        for r in table.itertuples(index=False)
    ]
    header = [tr("report.sector", lang), "n", tr("report.mean", lang)] + [
        tr(f"frameworks.robust_{k}", lang) for k in ("rank", "q95", "range", "level_changed")
    ]
    blocks: list[Block] = [
        Paragraph(tr("frameworks.robust_intro", lang, n=fmt_int(N_RANDOM, lang))),
        Paragraph(
            tr(
                "frameworks.robust_sentence",
                lang,
                sector=sector_label(ctx.sector, lang),
                rank=fmt_number(mine["rank"], lang, 1),
                low=fmt_number(mine["rank_q025"], lang, 1),
                high=fmt_number(mine["rank_q975"], lang, 1),
                w=fmt_number(result.kendall_w, lang, 3),
            )
        ),
        _draw(
            tr("frameworks.robust_figure", lang),
            150.0,
            (7.0, 0.32 * len(table) + 1.4),
            lambda ax: plots.rank_intervals(_named_units(result, lang), top=None, lang=lang, ax=ax),
        ),
        Table(
            tr("frameworks.robust_table", lang),
            pd.DataFrame(cells, columns=header),
            note=tr("frameworks.robust_note", lang),
            numeric=tuple(header[1:]),
        ),
    ]
    return Section("robustness", tr("frameworks.robust_title", lang), tuple(blocks)), result.intervals


def _named_units(result: Any, lang: str) -> Any:
    """The result with the unknown-sector group named in ``lang`` on the figure (the other sectors by code)."""
    units = [tr("report.unknown_sector", lang) if u == UNKNOWN else str(u) for u in result.intervals["unit"]]
    return dataclasses.replace(result, intervals=result.intervals.assign(unit=units))


def archetypes_section(ctx: _Context) -> tuple[Section, pd.DataFrame]:
    """Archetypes of the wave's enterprises and how common each is in the sector."""
    lang = ctx.lang
    profiles = ctx.scores[ctx.dim_ids].astype(float)
    complete = profiles.notna().all(axis=1)
    if complete.sum() < 20:
        return Section(
            "archetypes",
            tr("frameworks.arch_title", lang),
            (Note(tr("frameworks.arch_too_few", lang, n=int(complete.sum()))),),
        ), pd.DataFrame()
    with using_lang(lang):
        found = stats.archetypes(profiles, seed=0, n_boot=N_BOOT, rubric=ctx.rubric)
    assigned = found.assignments
    in_sector = pd.Series(ctx.in_sector, index=assigned.index)
    rows: list[list[Any]] = []
    for c in found.clusters.itertuples(index=False):
        members = assigned == c.archetype
        share_sector = float((members & in_sector).sum() / max(int((in_sector & assigned.notna()).sum()), 1))
        rows.append(
            [
                fmt_int(int(c.archetype), lang),
                getattr(c, f"name_{lang}"),
                fmt_percent(share_sector, lang),
                fmt_percent(float(c.share), lang),
                fmt_number(c.stability, lang),
            ]
        )
    header = [tr(f"frameworks.arch_{k}", lang) for k in ("number", "name", "in_sector", "overall", "stability")]
    blocks: list[Block] = [
        Paragraph(tr("frameworks.arch_intro", lang, k=found.k, n=fmt_int(int(complete.sum()), lang))),
        _draw(
            tr("frameworks.arch_figure", lang),
            165.0,
            (8.0, 4.6),
            lambda ax: plots.archetype_profiles(found, rubric=ctx.rubric, lang=lang, ax=ax),
        ),
        Table(
            tr("frameworks.arch_table", lang),
            pd.DataFrame(rows, columns=header),
            note=tr("frameworks.arch_note", lang, b=N_BOOT),
            numeric=tuple(header[2:]),
        ),
    ]
    return Section("archetypes", tr("frameworks.arch_title", lang), tuple(blocks)), found.clusters
