"""The sector report as a model: sample, level distributions, dimension scores, comparison, reliability and the
weakest criteria of one sector in one survey wave.

Every number comes from :mod:`dxlab.stats` (called directly) and every figure from :mod:`dxlab.plots`.
Responses without a sector, size, province or role are counted in a named group ("Chưa rõ ngành" /
"Sector unknown" …), never dropped and never printed as ``nan``.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import stats
from .._i18n import check_lang, fmt_date, fmt_int, fmt_number, fmt_percent, tr, using_lang
from ..rubric import Rubric, load_rubric
from ..scoring import score
from ._figures import delta_figure, heat_figure, level_badge, likert_figure, radar_figure
from ._labels import SIZE_ORDER, UNKNOWN, data_note, group_column, group_label, sector_label
from ._model import Block, Note, Paragraph, ReportModel, Section, Table
from ._sector_frameworks import archetypes_section, robustness_section
from ._waves_sections import sector_change_section

__all__ = ["SectorReport", "build_sector", "largest_sector", "latest_wave", "select_wave"]


@dataclass(frozen=True, eq=False, repr=False)
class SectorReport(ReportModel):
    """A sector's report, computed once (render it with :func:`dxlab.report.sector` or the renderers).

    Besides the document (``sections``), it keeps the numbers: ``summary`` (sector, wave, responses, mean
    overall score), ``dimension_means`` (bootstrap table of :func:`dxlab.stats.bootstrap_ci`),
    ``vs_rest`` (:func:`dxlab.stats.compare_two`, the sector against all others), ``reliability``
    (:func:`dxlab.stats.reliability` on the sector's responses), ``rank_intervals``
    (:func:`dxlab.stats.weight_sensitivity` by sector), ``archetypes`` (:func:`dxlab.stats.archetypes`) and,
    when the data hold an earlier wave, ``change`` (:func:`dxlab.stats.sector_change`, else None).
    """

    sector: str = ""
    wave: str | None = None
    summary: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    dimension_means: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    vs_rest: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    reliability: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    rank_intervals: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    archetypes: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    change: stats.SectorChange | None = field(default=None, repr=False)

    def section(self, key: str) -> Section:
        """One section by key: ``sample``, ``levels``, ``dimensions``, ``change`` (with an earlier wave),
        ``comparison``, ``robustness``, ``archetypes``, ``reliability``, ``weakest``."""
        for section in self.sections:
            if section.key == key:
                return section
        raise ValueError(f"no section {key!r}; sections: {', '.join(s.key for s in self.sections)}")


def latest_wave(responses: pd.DataFrame) -> str | None:
    """The latest survey wave in the data (waves sort as text: "2025", "2026-1" …); None without waves."""
    if "wave" not in responses.columns or not responses["wave"].notna().any():
        return None
    return max(responses["wave"].dropna().astype(str).unique())


def select_wave(
    responses: pd.DataFrame, wave: object = None, lang: str | None = None
) -> tuple[str | None, pd.DataFrame]:
    """The wave (the latest when None) and its responses, renumbered; ValueError for an absent wave."""
    chosen = latest_wave(responses) if wave is None else str(wave)
    if chosen is None:
        return None, responses.reset_index(drop=True)
    if "wave" not in responses.columns:
        raise ValueError(f"wave {wave!r} requested but the responses have no 'wave' column")
    rows = responses[(responses["wave"].astype(str) == chosen).to_numpy(dtype=bool)]
    if rows.empty:
        waves = ", ".join(sorted(responses["wave"].dropna().astype(str).unique()))
        raise ValueError(tr("report.err_no_wave", lang, wave=chosen, waves=waves))
    return chosen, rows.reset_index(drop=True)


def largest_sector(responses: pd.DataFrame, wave: object = None, *, lang: str | None = None) -> str:
    """The known sector with the most responses (in ``wave`` when given); ties go to the first in code order."""
    if "sector" not in responses.columns:
        raise ValueError(tr("report.err_no_sector_column", lang))
    frame = responses if wave is None else responses[(responses["wave"].astype(str) == str(wave)).to_numpy(bool)]
    counts = group_column(frame["sector"]).value_counts().drop(UNKNOWN, errors="ignore")
    if counts.empty:
        where = tr("report.err_in_wave", lang, wave=wave) if wave is not None else ""
        raise ValueError(tr("report.err_no_known_sector", lang, where=where))
    return min(counts.index[counts == counts.max()])


@dataclass(frozen=True, eq=False)
class _Context:
    rubric: Rubric
    lang: str
    sector: str
    wave: str | None
    cohort: pd.DataFrame  # the wave's responses, grouping columns with named unknown groups
    in_sector: np.ndarray
    items: list[str]
    dim_ids: list[str]
    scores: pd.DataFrame  # cohort metadata, dimension scores, overall, overall_level
    n_boot: int
    n_weakest: int

    def dim_title(self, dim_id: str) -> str:
        return next(d.title.get(self.lang) for d in self.rubric.dimensions if d.id == dim_id)

    def dim_name(self, dim_id: str) -> str:
        return f"{self.dim_title(dim_id)} ({dim_id})"

    def badge(self, level: int | None) -> tuple[str, str]:
        return level_badge(level, tuple(self.rubric.level_values))

    def level_text(self, level: int) -> str:
        return tr("report.level_badge", self.lang, level=level, label=self.rubric.level_label(level, self.lang))


def _context(
    responses: pd.DataFrame,
    sector: str | None,
    wave: object,
    rubric: Rubric | str,
    lang: str,
    n_boot: int,
    weakest: int,
    min_answered: float,
) -> _Context:
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(tr("report.err_not_a_frame", lang, kind=type(responses).__name__))  # noqa: TRY004
    if "sector" not in responses.columns:
        raise ValueError(tr("report.err_no_sector_column", lang))
    rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    chosen_wave, cohort = select_wave(responses, wave, lang)
    cohort = cohort.copy()
    for column in ("sector", "size", "province", "respondent_role"):
        if column in cohort.columns:
            cohort[column] = group_column(cohort[column])
    chosen = str(sector) if sector is not None else largest_sector(cohort, lang=lang)
    present = sorted(set(cohort["sector"]) - {UNKNOWN})
    if chosen not in present:
        where = tr("report.err_in_wave", lang, wave=chosen_wave) if chosen_wave else ""
        raise ValueError(
            tr("report.err_no_sector_responses", lang, sector=chosen, where=where, present=", ".join(present))
        )
    items = [c for c in rubric.criterion_ids if c in cohort.columns]
    result = score(cohort, rubric, "mean", min_answered=min_answered)
    frame = pd.concat(
        [
            cohort.drop(columns=items),
            result.dimensions.reset_index(drop=True),
            result.overall[["score", "level"]]
            .reset_index(drop=True)
            .rename(columns={"score": "overall", "level": "overall_level"}),
        ],
        axis=1,
    )
    return _Context(
        rubric,
        lang,
        chosen,
        chosen_wave,
        cohort,
        (cohort["sector"] == chosen).to_numpy(bool),
        items,
        [d.id for d in rubric.dimensions],
        frame,
        int(n_boot),
        int(weakest),
    )


def _count_table(ctx: _Context, column: str, top: int | None) -> Table:
    lang, frame = ctx.lang, ctx.cohort.loc[ctx.in_sector]
    n = len(frame)
    counts = frame[column].value_counts()
    if column == "size":
        order = [s for s in SIZE_ORDER if s in counts.index]
        counts = counts.reindex(order + sorted(c for c in counts.index if c not in order))
    elif UNKNOWN in counts.index:  # the unknown group last, whatever its size
        counts = pd.concat([counts.drop(UNKNOWN), counts[[UNKNOWN]]])
    shown = counts if top is None else counts.head(top)
    rows = [[group_label(column, k, lang), fmt_int(v, lang), fmt_percent(v / n, lang)] for k, v in shown.items()]
    rest = int(counts.iloc[top:].sum()) if top is not None and len(counts) > top else 0
    if rest:
        other = "report.others" if column == "province" else "report.other_roles"
        rows.append([tr(other, lang), fmt_int(rest, lang), fmt_percent(rest / n, lang)])
    key = {"size": "size", "province": "province", "respondent_role": "role"}[column]
    header = [tr(f"report.{key}", lang), tr("report.count", lang), tr("report.share", lang)]
    title = {"size": "report.by_size", "province": "report.by_province", "respondent_role": "report.by_role"}
    return Table(
        tr(title[column], lang),
        pd.DataFrame(rows, columns=header),
        note=tr("report.share_note", lang, n=fmt_int(n, lang)),
        numeric=tuple(header[1:]),
    )


def _sample(ctx: _Context) -> Section:
    lang, frame = ctx.lang, ctx.cohort.loc[ctx.in_sector]
    n, total = len(frame), len(ctx.cohort)
    blocks: list[Block] = [
        Paragraph(
            tr(
                "report.sample_intro",
                lang,
                n=fmt_int(n, lang),
                total=fmt_int(total, lang),
                share=fmt_percent(n / total, lang),
            )
        )
    ]
    unknown = int((ctx.cohort["sector"] == UNKNOWN).sum())
    if unknown:
        blocks.append(
            Paragraph(
                tr(
                    "report.unknown_sector_count",
                    lang,
                    n=fmt_int(unknown, lang),
                    label=tr("report.unknown_sector", lang),
                )
            )
        )
    if n < 30:
        blocks.append(Note(tr("report.small", lang, n=n)))
    if "submitted_at" in frame.columns:
        times = pd.to_datetime(frame["submitted_at"], errors="coerce").dropna()
        if len(times):
            blocks.append(
                Paragraph(tr("report.period", lang, a=fmt_date(times.min(), lang), b=fmt_date(times.max(), lang)))
            )
    if ctx.items:
        answered = frame[ctx.items].notna().mean()
        blocks.append(
            Paragraph(
                tr(
                    "report.answered",
                    lang,
                    mean=fmt_percent(float(answered.mean()), lang, 1),
                    low=fmt_percent(float(answered.min()), lang, 1),
                    crit=str(answered.idxmin()),
                )
            )
        )
    for column, top in (("size", None), ("province", 8), ("respondent_role", 6)):
        if column in frame.columns:
            blocks.append(_count_table(ctx, column, top))
    return Section("sample", tr("report.sample", lang), tuple(blocks))


def _levels(ctx: _Context) -> Section:
    lang, rubric = ctx.lang, ctx.rubric
    mine, rest = tr("report.this_sector", lang, s=ctx.sector), tr("report.other_sectors", lang)
    overall = pd.DataFrame(
        {
            "group": pd.Categorical(np.where(ctx.in_sector, mine, rest), categories=[mine, rest]),
            "level": ctx.scores["overall_level"].astype("Int8"),
        }
    )
    title = tr("report.overall_level_figure", lang)
    blocks: list[Block] = [
        Paragraph(tr("report.levels_intro", lang)),
        likert_figure(overall, ["level"], rubric, lang, title, by="group", labels=None),
    ]
    rows = ctx.cohort.loc[ctx.in_sector]
    for dim in rubric.dimensions:
        items = [c.id for c in dim.criteria if c.id in ctx.items]
        if items:
            with using_lang(lang):  # the table's notes in the report's language
                table = stats.level_distribution(rows, items, levels=rubric)
            caption = tr("report.dimension_levels", lang, title=dim.title.get(lang), id=dim.id)
            blocks.append(likert_figure(table, None, rubric, lang, caption))
    return Section("levels", tr("report.levels", lang), tuple(blocks))


def _dimensions(ctx: _Context) -> tuple[Section, pd.DataFrame]:
    lang = ctx.lang
    sector_scores = ctx.scores.loc[ctx.in_sector, ctx.dim_ids].astype(float).reset_index(drop=True)
    all_mean = ctx.scores[ctx.dim_ids].astype(float).mean()
    with using_lang(lang):
        ci = stats.bootstrap_ci(sector_scores, ctx.dim_ids, statistic="mean", n_boot=ctx.n_boot, seed=0)
    ci = ci.set_index("item")
    figure = radar_figure(
        ci["estimate"].reindex(ctx.dim_ids),
        all_mean,
        None,
        ctx.rubric,
        lang,
        profile_label=tr("report.sector_mean", lang),
        benchmark_label=tr("report.all_mean", lang),
        title=tr("report.dimensions_figure", lang),
        width_mm=105.0,
    )
    cells, badges = [], {}
    for i, dim_id in enumerate(ctx.dim_ids):
        est = _float(ci.loc[dim_id, "estimate"])
        level = math.floor(est + 1e-9) if not math.isnan(est) else None
        if level is not None:
            badges[(i, 5)] = ctx.badge(level)
        cells.append(
            [
                ctx.dim_name(dim_id),
                fmt_number(est, lang),
                tr(
                    "report.range",
                    lang,
                    low=fmt_number(ci.loc[dim_id, "ci_low"], lang),
                    high=fmt_number(ci.loc[dim_id, "ci_high"], lang),
                ),
                fmt_number(sector_scores[dim_id].median(), lang),
                fmt_number(all_mean[dim_id], lang),
                ctx.level_text(level) if level is not None else fmt_number(None, lang),
            ]
        )
    header = [tr(f"report.{k}", lang) for k in ("dimension", "mean", "ci", "median", "all", "level")]
    table = Table(
        tr("report.dimensions_table", lang),
        pd.DataFrame(cells, columns=header),
        note=tr("report.dimensions_note", lang),
        numeric=tuple(header[1:5]),
        badges=badges,
    )
    blocks: tuple[Block, ...] = (
        Paragraph(tr("report.dimensions_intro", lang, b=fmt_int(ctx.n_boot, lang))),
        figure,
        table,
    )
    return Section("dimensions", tr("report.dimensions", lang), blocks), ci.reset_index()


def _float(value: Any) -> float:
    return float(value)


def _p(p: float, lang: str) -> str:
    if not math.isnan(p) and p < 0.001:
        return tr("report.p_below", lang)
    return fmt_number(p, lang, 3)


def _comparison_table(ctx: _Context, frame: pd.DataFrame) -> tuple[Table, pd.DataFrame]:
    lang = ctx.lang
    rest = tr("report.other_sectors", lang)
    two = frame.assign(_group=np.where(frame["sector"] == ctx.sector, ctx.sector, rest))
    with using_lang(lang):  # the notes of the exported tables in the report's language
        vs_rest = stats.compare_two(two, ctx.dim_ids, by="_group", groups=(ctx.sector, rest))
        kw = stats.compare_groups(frame, ctx.dim_ids, by="sector", n_boot=0).set_index("item")
    cells = []
    for row in vs_rest.itertuples(index=False):
        dim_id = str(row.item)
        cells.append(
            [
                ctx.dim_name(dim_id),
                f"{fmt_int(row.n_a, lang)} / {fmt_int(row.n_b, lang)}",
                fmt_number(row.cliffs_delta, lang),
                _p(_float(row.p), lang),
                fmt_number(kw.loc[dim_id, "epsilon_sq"], lang, 3),
                _p(_float(kw.loc[dim_id, "p"]), lang),
            ]
        )
    header = [tr("report.dimension", lang), "n", tr("report.delta", lang), "p", "ε²", "p (KW)"]
    table = Table(
        tr("report.comparison_table", lang),
        pd.DataFrame(cells, columns=header),
        note=tr("report.comparison_note", lang),
        numeric=tuple(header[1:]),
    )
    return table, vs_rest


def _comparison(ctx: _Context) -> tuple[Section, pd.DataFrame]:
    lang = ctx.lang
    frame = ctx.scores[["sector"] + ctx.dim_ids].copy()
    frame[ctx.dim_ids] = frame[ctx.dim_ids].astype(float)
    groups = sorted(set(frame["sector"]) - {UNKNOWN}) + ([UNKNOWN] if (frame["sector"] == UNKNOWN).any() else [])
    blocks: list[Block] = [
        Paragraph(tr("report.comparison_intro", lang)),
        heat_figure(
            frame,
            ctx.dim_ids,
            groups,
            ctx.rubric,
            lang,
            tr("report.heat_title", lang),
            lambda code: sector_label(code, lang),
        ),
    ]
    if len(groups) < 2:
        blocks.append(Note(tr("report.no_others", lang)))
        return Section("comparison", tr("report.comparison", lang), tuple(blocks)), pd.DataFrame()
    table, vs_rest = _comparison_table(ctx, frame)
    blocks.append(table)
    deltas = {
        other: stats.compare_two(frame, ctx.dim_ids, by="sector", groups=(ctx.sector, other))
        .set_index("item")["cliffs_delta"]
        .reindex(ctx.dim_ids)
        .astype(float)
        for other in groups
        if other != ctx.sector
    }
    delta = pd.DataFrame(deltas).T
    title = tr("report.delta_title", lang, s=ctx.sector)
    blocks.append(
        delta_figure(
            delta,
            [ctx.dim_title(d) for d in ctx.dim_ids],
            [sector_label(s, lang) for s in delta.index],
            title,
            tr("report.delta", lang),
        )
    )
    return Section("comparison", tr("report.comparison", lang), tuple(blocks)), vs_rest


def _reliability(ctx: _Context) -> tuple[Section, pd.DataFrame]:
    lang = ctx.lang
    scales = {d.id: [c.id for c in d.criteria if c.id in ctx.items] for d in ctx.rubric.dimensions}
    with using_lang(lang):  # the notes of the table in the report's language
        table = stats.reliability(
            ctx.cohort.loc[ctx.in_sector], {k: v for k, v in scales.items() if len(v) >= 2}, levels=ctx.rubric
        )
    cells = [
        [
            ctx.dim_name(str(r.scale)) if r.scale in ctx.dim_ids else str(r.scale),
            fmt_int(r.k, lang),
            fmt_int(r.n, lang),
            fmt_number(r.alpha, lang),
            tr("report.range", lang, low=fmt_number(r.ci_low, lang), high=fmt_number(r.ci_high, lang)),
            fmt_number(r.omega_total, lang),
            r.note if isinstance(r.note, str) else "",
        ]
        for r in table.itertuples(index=False)
    ]
    header = (
        [tr(f"report.{k}", lang) for k in ("scale", "items")]
        + ["n"]
        + [tr(f"report.{k}", lang) for k in ("alpha", "ci", "omega", "note")]
    )
    blocks = (
        Paragraph(tr("report.reliability_intro", lang)),
        Table(tr("report.reliability_table", lang), pd.DataFrame(cells, columns=header), numeric=tuple(header[1:6])),
    )
    return Section("reliability", tr("report.reliability", lang), blocks), table


def _weakest(ctx: _Context, k: int = 3) -> Section:
    lang, rubric = ctx.lang, ctx.rubric
    frame = ctx.cohort.loc[ctx.in_sector, ctx.items].astype("Float64").astype(float)
    means = frame.mean().sort_values(kind="stable")
    share = (frame >= k).sum() / frame.notna().sum()
    all_means = ctx.cohort[ctx.items].astype("Float64").astype(float).mean()
    top = max(rubric.level_values)
    cells, badges = [], {}
    for i, crit_id in enumerate(means.index[: ctx.n_weakest]):
        crit = rubric.criterion(crit_id)
        target = min(math.floor(means[crit_id] + 1e-9) + 1, top)
        badges[(i, 4)] = ctx.badge(target)
        cells.append(
            [
                f"{crit_id} · {crit.text.get(lang)}",
                fmt_number(means[crit_id], lang),
                fmt_number(all_means[crit_id], lang),
                fmt_percent(share[crit_id], lang),
                ctx.level_text(target),
                rubric.descriptor(crit_id, target, lang) if target in crit.levels else "",
            ]
        )
    header = [
        tr("report.criterion", lang),
        tr("report.mean", lang),
        tr("report.all", lang),
        tr("report.share_at_least", lang, k=k),
        tr("report.next", lang),
        tr("report.next_desc", lang),
    ]
    blocks = (
        Paragraph(tr("report.weakest_intro", lang, k=min(ctx.n_weakest, len(means)))),
        Table(
            tr("report.weakest_table", lang),
            pd.DataFrame(cells, columns=header),
            numeric=tuple(header[1:4]),
            badges=badges,
        ),
    )
    return Section("weakest", tr("report.weakest", lang), blocks)


def _summary(ctx: _Context) -> pd.DataFrame:
    overall = ctx.scores.loc[ctx.in_sector, "overall"].astype(float)
    return pd.DataFrame(
        {
            "sector": [ctx.sector],
            "wave": [ctx.wave],
            "responses": [int(ctx.in_sector.sum())],
            "overall_mean": [round(float(overall.mean()), 3)],
        }
    )


def _safe(value: object) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(value))[:40]


def _front(ctx: _Context) -> dict[str, Any]:
    from .. import __version__

    lang, rubric = ctx.lang, ctx.rubric
    label = sector_label(ctx.sector, lang)
    facts = (
        (tr("report.sector", lang), label),
        (tr("report.wave", lang), ctx.wave or tr("report.all_waves", lang)),
        (
            tr("report.rubric", lang),
            tr("report.rubric_version", lang, title=rubric.title.get(lang), version=rubric.version),
        ),
        (tr("report.responses", lang), fmt_int(int(ctx.in_sector.sum()), lang)),
    )
    footer = tr(
        "report.generated",
        lang,
        version=__version__,
        date=fmt_date(_dt.date.today(), lang),
        rubric=rubric.title.get(lang),
        rubric_version=rubric.version,
    )
    stem = f"sector-{_safe(ctx.sector)}" + (f"-{_safe(ctx.wave)}" if ctx.wave else "") + f"-{lang}"
    return {"title": tr("report.sector_title", lang), "subtitle": label, "facts": facts, "footer": footer, "stem": stem}


def build_sector(
    responses: pd.DataFrame,
    sector: str | None = None,
    *,
    wave: object = None,
    rubric: Rubric | str = "mobifone-dx",
    lang: str | None = "vi",
    n_boot: int = 2000,
    weakest: int = 5,
    min_answered: float = 0.5,
) -> SectorReport:
    """The report of one sector, as a model (see :func:`dxlab.report.sector`; render with its renderers).

    Parameters
    ----------
    responses : DataFrame
        Wide responses with ``sector`` (and ``wave``, ``size``, ``province``, ``respondent_role``…).
    sector : str, optional
        VSIC section letter; default the largest known sector of the wave.
    wave : optional
        Survey wave; default the latest wave in the data (all rows when there is no ``wave`` column).
    rubric : Rubric or str
    lang : {"vi", "en"}
    n_boot : int
        Bootstrap resamples for the confidence intervals (seeded: the report reads the same every run).
    weakest : int
        How many weakest criteria to list.
    min_answered : float
        See :func:`dxlab.score`.

    Examples
    --------
    >>> import dxlab
    >>> responses = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> report = dxlab.report.build_sector(responses, "G", n_boot=100, lang="en")
    >>> [s.key for s in report.sections]
    ['sample', 'levels', 'dimensions', 'comparison', 'robustness', 'archetypes', 'reliability', 'weakest']
    """
    lang = check_lang(lang)
    ctx = _context(responses, sector, wave, rubric, lang, n_boot, weakest, min_answered)
    dimensions, means = _dimensions(ctx)
    comparison, vs_rest = _comparison(ctx)
    reliability, alphas = _reliability(ctx)
    robustness, intervals = robustness_section(ctx)
    kinds, clusters = archetypes_section(ctx)
    change, paired = sector_change_section(responses, ctx.sector, ctx.wave, ctx.rubric, lang, min_answered)
    sections = (
        _sample(ctx),
        _levels(ctx),
        dimensions,
        *([change] if change else []),
        comparison,
        robustness,
        kinds,
        reliability,
        _weakest(ctx),
    )
    return SectorReport(
        lang=lang,
        note=data_note(responses, lang),
        sections=sections,
        sector=ctx.sector,
        wave=ctx.wave,
        summary=_summary(ctx),
        dimension_means=means,
        vs_rest=vs_rest,
        reliability=alphas,
        rank_intervals=intervals,
        archetypes=clusters,
        change=paired,
        **_front(ctx),
    )
