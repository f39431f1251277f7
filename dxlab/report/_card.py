"""The enterprise report card as a model: one assessment, what it scored, where it stands, what to do next."""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import MISSING, check_lang, fmt_date, fmt_int, fmt_number, fmt_percent, tr
from ..rubric import Rubric, load_rubric
from ..scoring import Scores, score
from ..scoring import gaps as compute_gaps
from ._figures import gap_figure, level_badge, radar_figure
from ._labels import UNKNOWN, data_note, field_label, group_column, group_label, shown_value
from ._model import Facts, Figure, Paragraph, ReportModel, Section, Table
from ._waves_sections import card_wave_sections

__all__ = ["CRITERION_COLUMNS", "MIN_PEERS", "EnterpriseCard", "build_card"]

#: Fewer peers than this and a percentile says more about chance than about the enterprise.
MIN_PEERS = 5
CRITERION_COLUMNS = [
    "response",
    "dimension",
    "group",
    "criterion",
    "text",
    "provenance",
    "level",
    "level_label",
    "descriptor",
    "target",
    "gap",
    "next_level",
    "next_label",
    "next_step",
    "priority",
]
# Columns never shown as information: bookkeeping of the scoring.
_HIDDEN = {"weight"}


@dataclass(frozen=True, eq=False, repr=False)
class EnterpriseCard(ReportModel):
    """An enterprise's report card, computed once; render it with :func:`dxlab.report.render_html` etc.

    Besides the document (``sections``), it keeps the analysis tables: ``criteria`` (one row per criterion,
    ``CRITERION_COLUMNS``), ``dimensions`` (``dimension, title, score, level, level_label, sector_median,
    target, gap``), ``percentiles`` (``scope, group, value, n, percentile``) and ``info`` (``field, value``);
    with an earlier wave ``change`` (:func:`dxlab.stats.enterprise_change`), with several respondents in the
    wave ``disagreements`` (:meth:`dxlab.Consensus.disagreements` of that wave); both empty otherwise.
    """

    response_id: str = ""
    criteria: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    dimensions: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    percentiles: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    info: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    change: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)
    disagreements: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)


@dataclass(frozen=True, eq=False)
class _Context:
    """What every part of the card reads: the cohort (same wave), its scores and the enterprise's row."""

    rubric: Rubric
    lang: str
    cohort: pd.DataFrame
    scores: Scores
    position: int
    response_id: str
    target: Any
    min_answered: float
    min_peers: int

    def badge(self, level: int | None) -> tuple[str, str]:
        return level_badge(level, tuple(self.rubric.level_values))

    def level_text(self, level: int | None) -> str:
        if level is None:
            return MISSING
        return tr("report.level_badge", self.lang, level=level, label=self.rubric.level_label(level, self.lang))


def _find_row(responses: pd.DataFrame, response_id: object, lang: str) -> int:
    if "response_id" not in responses.columns:
        raise ValueError(tr("report.err_no_response_id", lang))
    ids = responses["response_id"].astype(str)
    matches = np.flatnonzero((ids == str(response_id)).to_numpy())
    if len(matches) == 0:
        raise ValueError(
            tr(
                "report.err_response_missing",
                lang,
                response_id=str(response_id),
                n=len(ids),
                examples=", ".join(ids.head(3)),
            )
        )
    if len(matches) > 1:
        raise ValueError(
            tr(
                "report.err_response_twice",
                lang,
                response_id=str(response_id),
                count=len(matches),
                rows=", ".join(map(str, matches[:5])),
            )
        )
    return int(matches[0])


def _context(
    responses: pd.DataFrame,
    response_id: object,
    rubric: Rubric | str,
    lang: str,
    target: Any,
    min_answered: float,
    min_peers: int,
) -> _Context:
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(tr("report.err_not_a_frame", lang, kind=type(responses).__name__))  # noqa: TRY004
    rubric = rubric if isinstance(rubric, Rubric) else load_rubric(rubric)
    position = _find_row(responses, response_id, lang)
    response_id = str(responses["response_id"].iloc[position])
    cohort = responses
    if "wave" in responses.columns and pd.notna(responses["wave"].iloc[position]):
        same_wave = (responses["wave"] == responses["wave"].iloc[position]).to_numpy(dtype=bool, na_value=False)
        cohort = responses.loc[same_wave]
    cohort = cohort.reset_index(drop=True).copy()
    for column in ("sector", "size"):
        if column in cohort.columns:
            cohort[column] = group_column(cohort[column])
    position = _find_row(cohort, response_id, lang)
    scores = score(cohort, rubric, "mean", min_answered=min_answered)
    return _Context(rubric, lang, cohort, scores, position, response_id, target, min_answered, min_peers)


def _overall(ctx: _Context) -> tuple[Facts, list[Paragraph]]:
    lang, rubric = ctx.lang, ctx.rubric
    row = ctx.scores.overall.iloc[ctx.position]
    value = float(row["score"]) if pd.notna(row["score"]) else math.nan
    level = int(row["level"]) if pd.notna(row["level"]) else None
    top = max(rubric.level_values)
    sentences = []
    if level is None:
        sentences.append(tr("report.no_overall", lang, share=fmt_percent(ctx.min_answered, lang)))
    else:
        sentences.append(
            tr(
                "report.level_sentence",
                lang,
                level=level,
                label=rubric.level_label(level, lang),
                top=top,
                score=fmt_number(value, lang),
            )
        )
        if level < top:
            sentences.append(
                tr(
                    "report.next_level_sentence",
                    lang,
                    level=level + 1,
                    label=rubric.level_label(level + 1, lang),
                    needed=fmt_number(level + 1, lang, 1),
                )
            )
        else:
            sentences.append(tr("report.top_level_sentence", lang))
    facts = Facts(
        (
            (tr("report.overall_score", lang), tr("report.score_of", lang, score=fmt_number(value, lang), top=top)),
            (tr("report.overall_level", lang), ctx.level_text(level)),
        )
    )
    return facts, [Paragraph(s) for s in sentences]


def _peer_rows(ctx: _Context) -> list[dict]:
    """Percentile of the overall score in the sector and in the size class.

    The statistic is :func:`dxlab.stats.peer_percentile` (mid-rank percentile, the enterprise counted among
    its peers); below ``min_peers`` peers, or in the unknown group, the card gives no number.
    """
    from ..stats import peer_percentile

    rows = []
    label = ctx.scores.overall.index[ctx.position]
    for scope in ("sector", "size"):
        if scope not in ctx.scores.meta.columns:
            continue
        table = peer_percentile(ctx.scores, ["overall"], by=scope)
        mine = table.iloc[ctx.position]
        if mine.iloc[0] != label:  # the table keeps the scores' row order; check rather than assume
            mine = table[table.iloc[:, 0] == label].iloc[0]
        n = int(mine["n_group"])
        known = mine[scope] != UNKNOWN and n >= ctx.min_peers
        rows.append(
            {
                "scope": scope,
                "group": mine[scope],
                "value": float(mine["score"]),
                "n": n,
                "percentile": float(mine["percentile"]) if known else math.nan,
            }
        )
    return rows


def _peer_facts(ctx: _Context, rows: list[dict]) -> Facts:
    lang, facts = ctx.lang, []
    for row in rows:
        name = group_label(row["scope"], row["group"], lang)
        scope = (
            tr("report.percentile_sector", lang, sector=name)
            if row["scope"] == "sector"
            else tr("report.percentile_size", lang, size=name)
        )
        if row["group"] == UNKNOWN or math.isnan(row["value"]):
            text = tr("report.percentile_missing", lang)
        elif row["n"] < ctx.min_peers:
            text = tr("report.percentile_few", lang, n=row["n"])
        else:
            text = tr(
                "report.percentile_sentence", lang, p=fmt_number(row["percentile"], lang, 0), n=fmt_int(row["n"], lang)
            )
        facts.append((scope, text))
    return Facts(tuple(facts), title=tr("report.percentile", lang))


def _dimension_targets(target: object, rubric: Rubric) -> pd.Series:
    ids = [d.id for d in rubric.dimensions]
    if isinstance(target, Mapping):
        return pd.Series({d: float(target[d]) if d in target else math.nan for d in ids})
    return pd.Series(float(target), index=ids)  # type: ignore[arg-type]


def _sector_median(ctx: _Context) -> pd.Series:
    sector = ctx.cohort["sector"].iloc[ctx.position] if "sector" in ctx.cohort.columns else UNKNOWN
    if sector == UNKNOWN:
        return pd.Series(math.nan, index=ctx.scores.dimensions.columns)
    in_sector = (ctx.cohort["sector"] == sector).to_numpy(dtype=bool)
    return ctx.scores.dimensions.loc[in_sector].median()


def _dimensions(ctx: _Context) -> tuple[pd.DataFrame, Table, Figure]:
    lang, rubric = ctx.lang, ctx.rubric
    values = ctx.scores.dimensions.iloc[ctx.position]
    levels = ctx.scores.levels.iloc[ctx.position]
    median = _sector_median(ctx)
    targets = _dimension_targets(ctx.target, rubric)
    records, cells, badges = [], [], {}
    for i, dim in enumerate(rubric.dimensions):
        value, goal = values[dim.id], targets[dim.id]
        level = int(levels[dim.id]) if pd.notna(levels[dim.id]) else None
        gap = max(goal - value, 0.0) if pd.notna(value) and pd.notna(goal) else math.nan
        records.append(
            {
                "dimension": dim.id,
                "title": dim.title.get(lang),
                "score": value,
                "level": level,
                "level_label": rubric.level_label(level, lang) if level else None,
                "sector_median": median[dim.id],
                "target": goal,
                "gap": gap,
            }
        )
        cells.append(
            [
                f"{dim.title.get(lang)} ({dim.id})",
                fmt_number(value, lang),
                ctx.level_text(level),
                fmt_number(median[dim.id], lang),
                fmt_number(goal, lang, 0),
                fmt_number(gap, lang),
            ]
        )
        if level is not None:
            badges[(i, 2)] = ctx.badge(level)
    header = [tr(f"report.{k}", lang) for k in ("dimension", "score", "level", "sector_median", "target", "gap")]
    table = Table(
        tr("report.profile_table", lang),
        pd.DataFrame(cells, columns=header),
        note=tr("report.profile_note", lang),
        numeric=tuple(header[i] for i in (1, 3, 4, 5)),
        badges=badges,
    )
    figure = radar_figure(
        values.astype(float),
        median.astype(float),
        targets,
        rubric,
        lang,
        profile_label=tr("report.enterprise", lang),
        title=tr("report.figure_radar", lang),
    )
    return pd.DataFrame(records), table, figure


def _criterion_record(ctx: _Context, dim_id: str, group_id: str, crit: Any, gap: Any) -> dict:
    lang, rubric = ctx.lang, ctx.rubric
    value = ctx.scores.criteria[crit.id].iloc[ctx.position]
    level = int(value) if pd.notna(value) else None
    descriptor = rubric.descriptor(crit.id, level, lang) if level is not None and level in crit.levels else None
    closed = gap is None or gap["gap"] == 0
    return {
        "response": ctx.response_id,
        "dimension": dim_id,
        "group": group_id,
        "criterion": crit.id,
        "text": crit.text.get(lang),
        "provenance": crit.provenance,
        "level": level,
        "level_label": rubric.level_label(level, lang) if level else None,
        "descriptor": descriptor,
        "target": None if gap is None else int(gap["target"]),
        "gap": None if gap is None else int(gap["gap"]),
        "next_level": None if closed or pd.isna(gap["next_level"]) else int(gap["next_level"]),
        "next_label": None if closed else gap["next_label"],
        "next_step": None if closed else gap["next_step"],
        "priority": None if gap is None else float(gap["priority"]),
    }


def _criteria(ctx: _Context, gap_table: pd.DataFrame) -> tuple[pd.DataFrame, Table, bool]:
    lang, by_crit = ctx.lang, gap_table.set_index("criterion")
    records: list[dict] = []
    cells: list[list[str]] = []
    badges: dict[tuple[int, int], tuple[str, str]] = {}
    heads: list[int] = []
    for dim in ctx.rubric.dimensions:
        heads.append(len(cells))
        cells.append([f"{dim.title.get(lang)} ({dim.id})", "", ""])
        for grp in dim.groups:
            for crit in grp.criteria:
                record = _criterion_record(
                    ctx, dim.id, grp.id, crit, by_crit.loc[crit.id] if crit.id in by_crit.index else None
                )
                records.append(record)
                mark = " †" if crit.provenance != "published" else ""
                level = record["level"]
                if level is not None:
                    badges[(len(cells), 1)] = ctx.badge(level)
                cells.append(
                    [
                        f"{crit.id}{mark} {crit.text.get(lang)}",
                        ctx.level_text(level) if level is not None else tr("report.not_answered", lang),
                        record["descriptor"] or "",
                    ]
                )
    frame = pd.DataFrame(records, columns=CRITERION_COLUMNS)
    for column in ("level", "target", "gap", "next_level"):
        frame[column] = frame[column].astype("Int8")
    drafted = bool((frame["provenance"] != "published").any())
    header = [tr(f"report.{k}", lang) for k in ("criterion", "level", "current_descriptor")]
    table = Table(
        tr("report.criteria_table", lang),
        pd.DataFrame(cells, columns=header),
        note=tr("report.provenance_note", lang) if drafted else None,
        badges=badges,
        group_rows=tuple(heads),
    )
    return frame, table, drafted


def _next_steps(ctx: _Context, gap_table: pd.DataFrame, top_gaps: int) -> list[Any]:
    lang, rubric = ctx.lang, ctx.rubric
    open_gaps = gap_table[gap_table["gap"] > 0]
    if open_gaps.empty:
        return [Paragraph(tr("report.no_gaps", lang))]
    cells: list[list[str]] = []
    row: Any
    for row in open_gaps.itertuples(index=False):
        current = ctx.level_text(int(row.current)) if pd.notna(row.current) else tr("report.not_answered", lang)
        step = row.next_step or ""
        if row.next_label and pd.notna(row.next_level):
            step = f"{ctx.level_text(int(row.next_level))}: {step}"
        cells.append(
            [
                f"{row.criterion} {row.text}",
                f"{current} → {int(row.target)}",
                step,
                fmt_number(float(row.priority), lang, 1),
            ]
        )
    header = [tr(f"report.{k}", lang) for k in ("criterion", "current_to_target", "next_step", "priority")]
    figure = gap_figure(open_gaps, rubric, lang, top_gaps, tr("report.figure_gaps", lang))
    return [
        Paragraph(tr("report.next_steps_intro", lang)),
        figure,
        Table(tr("report.next_steps_table", lang), pd.DataFrame(cells, columns=header), numeric=(header[3],)),
    ]


def _info(ctx: _Context) -> tuple[pd.DataFrame, Table]:
    crit_ids = set(ctx.rubric.criterion_ids)
    row = ctx.cohort.iloc[ctx.position]
    raw, cells = [], []
    for column in ctx.cohort.columns:
        if column in crit_ids or column in _HIDDEN or str(column).startswith("_"):
            continue
        value = row[column]
        shown = shown_value(str(column), value, ctx.lang)
        raw.append({"field": str(column), "value": shown})
        cells.append([field_label(str(column), ctx.lang), shown])
    header = [tr("report.field", ctx.lang), tr("report.value", ctx.lang)]
    return (
        pd.DataFrame(raw, columns=["field", "value"]),
        Table(tr("report.info", ctx.lang), pd.DataFrame(cells, columns=header)),
    )


def _who(ctx: _Context) -> str:
    row = ctx.cohort.iloc[ctx.position]
    parts = [
        str(row[c])
        for c in ("enterprise_name", "enterprise_id")
        if c in ctx.cohort.columns and pd.notna(row[c]) and str(row[c]).strip()
    ]
    return " · ".join(parts + [f"{tr('report.response', ctx.lang)} {ctx.response_id}"])


def _footer(rubric: Rubric, lang: str) -> str:
    from .. import __version__

    return tr(
        "report.generated",
        lang,
        version=__version__,
        date=fmt_date(_dt.date.today(), lang),
        rubric=rubric.title.get(lang),
        rubric_version=rubric.version,
    )


def _safe_name(text: object) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(text))
    return cleaned.strip("_")[:60] or "response"


def build_card(
    responses: pd.DataFrame,
    response_id: object,
    rubric: Rubric | str = "mobifone-dx",
    *,
    target: int | Mapping[str, int] = 4,
    lang: str | None = "vi",
    min_answered: float = 0.5,
    min_peers: int = MIN_PEERS,
    top_gaps: int = 12,
) -> EnterpriseCard:
    """The report card of one assessment, as a model (see :func:`dxlab.report.enterprise` for the parameters).

    Examples
    --------
    >>> import dxlab
    >>> responses = dxlab.sample.synthetic_responses("mobifone-dx", n=200, seed=1)
    >>> card = dxlab.report.build_card(responses, "R000001", lang="en")
    >>> [s.key for s in card.sections][:2]
    ['overall', 'profile']
    """
    lang = check_lang(lang)
    ctx = _context(responses, response_id, rubric, lang, target, min_answered, min_peers)
    facts, sentences = _overall(ctx)
    peers = _peer_rows(ctx)
    dimensions, dim_table, radar = _dimensions(ctx)
    gap_table = compute_gaps(
        ctx.scores.criteria.iloc[[ctx.position]], ctx.rubric, target=target, lang=lang, include_met=True
    )
    criteria, crit_table, _ = _criteria(ctx, gap_table)
    info, info_table = _info(ctx)
    waves, change, disagreements = card_wave_sections(
        responses, ctx.cohort.iloc[ctx.position], ctx.rubric, lang, min_answered
    )
    sections = (
        Section("overall", tr("report.overall", lang), (facts, *sentences, _peer_facts(ctx, peers))),
        Section("profile", tr("report.profile", lang), (radar, dim_table)),
        *waves,
        Section("info", tr("report.info", lang), (info_table,)),
        Section("criteria", tr("report.criteria", lang), (crit_table,)),
        Section("next_steps", tr("report.next_steps", lang), tuple(_next_steps(ctx, gap_table, top_gaps))),
        Section("method", tr("report.method", lang), (Paragraph(tr("report.method_text", lang)),)),
    )
    return EnterpriseCard(
        lang=lang,
        stem=f"enterprise-{_safe_name(ctx.response_id)}-{lang}",
        title=tr("report.enterprise_title", lang),
        subtitle=f"{_who(ctx)} · {ctx.rubric.title.get(lang)}",
        facts=(),
        note=data_note(responses, lang),
        sections=sections,
        footer=_footer(ctx.rubric, lang),
        response_id=ctx.response_id,
        criteria=criteria,
        dimensions=dimensions,
        percentiles=pd.DataFrame(
            [{**r, "group": None if r["group"] == UNKNOWN else r["group"]} for r in peers],
            columns=["scope", "group", "value", "n", "percentile"],
        ),
        info=info,
        change=change,
        disagreements=disagreements,
    )
