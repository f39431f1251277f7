"""Report sections on survey waves and raters: an enterprise's change since its last wave, where its respondents
disagree, and a sector's change since the last wave.

Every number comes from :func:`dxlab.stats.enterprise_change`, :func:`dxlab.stats.sector_change` and
:func:`dxlab.consensus` (called directly); each enterprise's respondents are first combined into one assessment
per wave (:func:`dxlab.consensus`, median per criterion), because a change is measured on the enterprise, not on
one of its respondents. A section is only built when there is something to show: a second wave, several
respondents.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from .. import plots, stats
from .._i18n import MISSING, fmt_int, fmt_number, fmt_percent, tr
from ..rubric import Rubric
from ..scoring import Consensus, consensus, score
from ._figures import _draw, level_badge
from ._labels import group_column
from ._model import Block, Note, Paragraph, Section, Table

__all__ = ["MAX_MOVERS", "MIN_PAIRS", "card_wave_sections", "sector_change_section"]

#: Below this many pairs the sector section warns that its intervals and tests say little.
MIN_PAIRS = 10
#: The movers table shows at most this many enterprises (half the largest rises, half the largest falls).
MAX_MOVERS = 20
_KEYS = ("enterprise_id", "wave")


def _ordered_waves(frame: pd.DataFrame) -> list[Any]:
    """The waves present, in the order :mod:`dxlab.stats` pairs them: an ordered categorical's order, else sorted."""
    column = frame["wave"]
    present = column.dropna()
    if isinstance(column.dtype, pd.CategoricalDtype):
        return [c for c in column.cat.categories if c in set(present.unique())]
    values = list(pd.unique(present))
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=str)


def _previous(waves: list[Any], current: Any) -> Any:
    position = [str(w) for w in waves].index(str(current))
    return waves[position - 1] if position > 0 else None


def _combined(rows: pd.DataFrame, rubric: Rubric, min_answered: float) -> tuple[Consensus, Any]:
    """One assessment per enterprise and wave (respondents combined), and its scores."""
    together = consensus(rows.reset_index(drop=True), rubric, by="enterprise_id", wave="wave")
    return together, score(together.responses, rubric, "mean", min_answered=min_answered)


def _signed(value: float, lang: str) -> str:
    text = fmt_number(value, lang)
    return f"+{text}" if isinstance(value, (int, float)) and not math.isnan(value) and value > 0 else text


def _level(value: Any, rubric: Rubric, lang: str) -> str:
    if value is None or pd.isna(value):
        return MISSING
    return tr("report.level_badge", lang, level=int(value), label=rubric.level_label(int(value), lang))


def _dimension_name(item: str, rubric: Rubric, lang: str) -> str:
    if item == "overall":
        return tr("report_waves.overall", lang)
    title = next((d.title.get(lang) for d in rubric.dimensions if d.id == item), item)
    return f"{title} ({item})"


# --- the enterprise card -------------------------------------------------------------------------------------


def _card_change_table(change: pd.DataFrame, rubric: Rubric, lang: str) -> Table:
    before, after = change["before"].iloc[0], change["after"].iloc[0]
    levels = tuple(rubric.level_values)
    cells, badges = [], {}
    for i, row in enumerate(change.itertuples(index=False)):
        direction = (
            tr(f"report_waves.direction_{row.direction}", lang) if row.direction in ("up", "same", "down") else MISSING
        )
        cells.append(
            [
                _dimension_name(row.dimension, rubric, lang),
                fmt_number(row.score_before, lang),
                fmt_number(row.score_after, lang),
                _signed(row.change, lang),
                _level(row.level_before, rubric, lang),
                _level(row.level_after, rubric, lang),
                direction,
            ]
        )
        for column, value in ((4, row.level_before), (5, row.level_after)):
            if pd.notna(value):
                badges[(i, column)] = level_badge(int(value), levels)
    header = [
        tr("report_waves.dimension", lang),
        tr("report_waves.score_in", lang, wave=before),
        tr("report_waves.score_in", lang, wave=after),
        tr("report_waves.change_col", lang),
        tr("report_waves.level_in", lang, wave=before),
        tr("report_waves.level_in", lang, wave=after),
        tr("report_waves.direction", lang),
    ]
    return Table(
        tr("report_waves.card_change_table", lang, before=before, after=after),
        pd.DataFrame(cells, columns=header),
        note=tr("report_waves.card_change_note", lang, before=before, after=after),
        numeric=tuple(header[1:4]),
        badges=badges,
    )


def _card_change_blocks(change: pd.DataFrame, rubric: Rubric, lang: str, combined: bool) -> tuple[Block, ...]:
    before, after = str(change["before"].iloc[0]), str(change["after"].iloc[0])
    overall = change.iloc[-1]
    blocks: list[Block] = [
        Paragraph(
            tr(
                "report_waves.card_change_sentence",
                lang,
                before=before,
                score_before=fmt_number(overall["score_before"], lang),
                score_after=fmt_number(overall["score_after"], lang),
                change=_signed(overall["change"], lang),
                level_before=_level(overall["level_before"], rubric, lang),
                level_after=_level(overall["level_after"], rubric, lang),
            )
        )
    ]
    if combined:
        blocks.append(Note(tr("report_waves.card_change_combined", lang)))
    dims = change.iloc[:-1]
    if dims[["score_before", "score_after"]].notna().all(axis=1).any():
        blocks.append(
            _draw(
                tr("report_waves.figure_slope", lang, before=before, after=after),
                150.0,
                (7.0, 0.45 * len(dims) + 1.6),
                lambda ax: plots.slope_chart(
                    dims,
                    before="score_before",
                    after="score_after",
                    label="dimension",
                    waves=(before, after),
                    rubric=rubric,
                    labels="both",
                    lang=lang,
                    sort=False,
                    title="",
                    ax=ax,
                ),
            )
        )
    blocks.append(_card_change_table(change, rubric, lang))
    return tuple(blocks)


def _respondent_header(row: pd.Series, number: int, lang: str) -> str:
    parts = [tr("report_waves.respondent", lang, number=number)]
    role = row.get("respondent_role")
    if role is not None and pd.notna(role) and str(role).strip():
        parts.append(str(role).strip())
    return " · ".join(parts)


def _disagreement_table(rows: pd.DataFrame, flagged: pd.DataFrame, title: str, rubric: Rubric, lang: str) -> Table:
    levels = tuple(rubric.level_values)
    texts = {c.id: c.text.get(lang) for d in rubric.dimensions for g in d.groups for c in g.criteria}
    cells, badges = [], {}
    for i, crit in enumerate(flagged.itertuples(index=False)):
        answers = rows[crit.criterion].tolist()
        for j, value in enumerate(answers):
            if pd.notna(value):
                badges[(i, j + 1)] = level_badge(int(value), levels)
        cells.append(
            [
                f"{crit.criterion} {texts.get(crit.criterion, '')}".strip(),
                *[_level(v, rubric, lang) for v in answers],
                fmt_int(int(crit.range), lang),
                fmt_number(crit.rwg, lang),
            ]
        )
    header = [
        tr("report_waves.criterion", lang),
        *[_respondent_header(r, k + 1, lang) for k, (_, r) in enumerate(rows.iterrows())],
        tr("report_waves.range", lang),
        tr("report_waves.rwg", lang),
    ]
    return Table(
        title,
        pd.DataFrame(cells, columns=header),
        note=tr("report_waves.disagreement_note", lang),
        numeric=tuple(header[-2:]),
        badges=badges,
    )


def _card_disagreement(
    rows: pd.DataFrame, enterprise: Any, wave: Any, rubric: Rubric, lang: str
) -> tuple[Section | None, pd.DataFrame]:
    """Where the respondents of one enterprise disagree, in the card's wave (``wave`` None: data without waves)."""
    if len(rows) < 2:
        return None, pd.DataFrame()
    together = consensus(rows.reset_index(drop=True), rubric, by="enterprise_id", wave=None)
    flagged = together.disagreements(enterprise)
    n, k = fmt_int(len(rows), lang), fmt_int(len(flagged), lang)
    if wave is None:
        intro = tr("report_waves.disagreement_intro_all", lang, n=n, flag=together.flag_range, k=k)
        title = tr("report_waves.disagreement_table_all", lang)
    else:
        intro = tr("report_waves.disagreement_intro", lang, n=n, wave=wave, flag=together.flag_range, k=k)
        title = tr("report_waves.disagreement_table", lang, wave=wave)
    blocks: tuple[Block, ...] = (
        (Paragraph(intro), Paragraph(tr("report_waves.disagreement_none", lang)))
        if flagged.empty
        else (Paragraph(intro), _disagreement_table(rows, flagged, title, rubric, lang))
    )
    return Section("disagreement", tr("report_waves.disagreement", lang), blocks), flagged


def _card_change(
    mine: pd.DataFrame, enterprise: Any, wave: Any, rubric: Rubric, lang: str, min_answered: float
) -> tuple[Section | None, pd.DataFrame]:
    """The enterprise's change from its previous wave to the card's wave, respondents combined per wave."""
    earlier = _previous(_ordered_waves(mine), wave)
    if earlier is None:
        return None, pd.DataFrame()
    together, scores = _combined(mine, rubric, min_answered)
    change = stats.enterprise_change(scores, enterprise, before=earlier, after=_same_value(mine, wave), lang=lang)
    combined = bool((together.responses["n_respondents"] > 1).any())
    return Section(
        "change", tr("report_waves.change", lang), _card_change_blocks(change, rubric, lang, combined)
    ), change


def card_wave_sections(
    responses: pd.DataFrame, row: pd.Series, rubric: Rubric, lang: str, min_answered: float
) -> tuple[tuple[Section, ...], pd.DataFrame, pd.DataFrame]:
    """The card's "change since the last wave" and "where the respondents disagree" sections, when they apply.

    ``row`` is the card's response. Returns the sections (none, one or both), the enterprise's change table
    (:func:`dxlab.stats.enterprise_change`, empty without an earlier wave) and its flagged criteria in the
    card's wave (:meth:`dxlab.Consensus.disagreements`, empty with one respondent). Without a wave column (or a
    wave on this response) every response of the enterprise counts as one assessment: no change, respondents
    compared.
    """
    if "enterprise_id" not in responses.columns or pd.isna(row["enterprise_id"]):
        return (), pd.DataFrame(), pd.DataFrame()
    enterprise = row["enterprise_id"]
    mine = responses[(responses["enterprise_id"] == enterprise).to_numpy(dtype=bool, na_value=False)]
    if "wave" not in responses.columns or pd.isna(row["wave"]):
        no_wave = mine if "wave" not in mine.columns else mine[mine["wave"].isna().to_numpy(dtype=bool)]
        disagreement, flagged = _card_disagreement(no_wave, enterprise, None, rubric, lang)
        return tuple(s for s in (disagreement,) if s is not None), pd.DataFrame(), flagged
    wave = row["wave"]
    mine = mine[mine["wave"].notna().to_numpy(dtype=bool)]
    change_section, change = _card_change(mine, enterprise, wave, rubric, lang, min_answered)
    in_wave = mine[(mine["wave"].astype(str) == str(wave)).to_numpy(dtype=bool)]
    disagreement, flagged = _card_disagreement(in_wave, enterprise, wave, rubric, lang)
    return tuple(s for s in (change_section, disagreement) if s is not None), change, flagged


def _same_value(frame: pd.DataFrame, wave: Any) -> Any:
    """The wave as the data spell it (a report may carry it as text)."""
    return next(w for w in frame["wave"].dropna().unique() if str(w) == str(wave))


# --- the sector report ---------------------------------------------------------------------------------------


def _p(p: Any, lang: str) -> str:
    if p is None or pd.isna(p):
        return MISSING
    return tr("report_waves.p_below", lang) if p < 0.001 else fmt_number(p, lang, 3)


def _sector_change_table(change: stats.SectorChange, rubric: Rubric, lang: str) -> Table:
    before, after = change.before, change.after
    cells = []
    for row in change.dimensions.itertuples(index=False):
        item = str(row.item).removeprefix("score.")
        interval = tr(
            "report_waves.interval",
            lang,
            value=_signed(row.mean_change, lang),
            low=fmt_number(row.ci_low, lang),
            high=fmt_number(row.ci_high, lang),
        )
        cells.append(
            [
                _dimension_name(item, rubric, lang),
                fmt_int(int(row.n_pairs), lang),
                fmt_number(row.mean_before, lang),
                fmt_number(row.mean_after, lang),
                interval,
                fmt_percent(row.share_improved, lang),
                fmt_percent(row.share_same, lang),
                fmt_percent(row.share_worse, lang),
                _p(row.p, lang),
                _p(row.p_adj, lang),
            ]
        )
    header = [
        tr("report_waves.dimension", lang),
        tr("report_waves.n_pairs", lang),
        tr("report_waves.mean_in", lang, wave=before),
        tr("report_waves.mean_in", lang, wave=after),
        tr("report_waves.mean_change", lang),
        tr("report_waves.improved", lang),
        tr("report_waves.same", lang),
        tr("report_waves.worse", lang),
        tr("report_waves.p_wilcoxon", lang),
        tr("report_waves.p_adj", lang),
    ]
    return Table(
        tr("report_waves.sector_change_table", lang, before=before, after=after),
        pd.DataFrame(cells, columns=header),
        note=tr("report_waves.sector_change_note", lang),
        numeric=tuple(header[1:]),
    )


def _movers_table(change: stats.SectorChange, names: pd.Series, rubric: Rubric, lang: str) -> Block:
    moved = change.movers[(change.movers["level_before"] != change.movers["level_after"]).to_numpy(dtype=bool)]
    if moved.empty:
        return Paragraph(tr("report_waves.movers_none", lang))
    shown = moved if len(moved) <= MAX_MOVERS else pd.concat([moved.head(MAX_MOVERS // 2), moved.tail(MAX_MOVERS // 2)])
    cells = []
    for row in shown.itertuples(index=False):
        enterprise = row[0]
        name = names.get(enterprise)
        who = f"{name} ({enterprise})" if name is not None and pd.notna(name) and str(name).strip() else str(enterprise)
        move = tr("report_waves.level_move", lang, before=int(row.level_before), after=int(row.level_after))
        cells.append(
            [
                who,
                move,
                fmt_number(row.score_before, lang),
                fmt_number(row.score_after, lang),
                _signed(row.change, lang),
            ]
        )
    before, after = change.before, change.after
    header = [
        tr("report_waves.enterprise", lang),
        tr("report_waves.level_col", lang),
        tr("report_waves.score_in", lang, wave=before),
        tr("report_waves.score_in", lang, wave=after),
        tr("report_waves.change_col", lang),
    ]
    note = (
        tr("report_waves.movers_note", lang)
        if len(shown) == len(moved)
        else tr("report_waves.movers_more", lang, shown=fmt_int(len(shown), lang), total=fmt_int(len(moved), lang))
    )
    return Table(
        tr("report_waves.movers_table", lang, before=before, after=after),
        pd.DataFrame(cells, columns=header),
        note=note,
        numeric=tuple(header[2:]),
    )


def _sector_blocks(
    change: stats.SectorChange, names: pd.Series, rubric: Rubric, lang: str, combined: bool
) -> tuple[Block, ...]:
    before, after = change.before, change.after
    first = change.dimensions.iloc[-1]
    n = int(first["n_pairs"])
    if n == 0:
        return (Note(tr("report_waves.sector_no_pairs", lang, before=before, after=after)),)
    blocks: list[Block] = [
        Paragraph(
            tr(
                "report_waves.sector_intro",
                lang,
                n=fmt_int(n, lang),
                before=before,
                after=after,
                only_before=fmt_int(int(first["n_only_before"]), lang),
                only_after=fmt_int(int(first["n_only_after"]), lang),
            )
        )
    ]
    if combined:
        blocks.append(Note(tr("report_waves.sector_combined", lang)))
    if n < MIN_PAIRS:
        blocks.append(Note(tr("report_waves.sector_few_pairs", lang, n=fmt_int(n, lang))))
    blocks.append(_sector_change_table(change, rubric, lang))
    summary = change.overall.summary.iloc[0]
    blocks.append(
        Paragraph(
            tr(
                "report_waves.transitions_sentence",
                lang,
                up=fmt_percent(summary["share_up"], lang),
                same=fmt_percent(summary["share_stay"], lang),
                down=fmt_percent(summary["share_down"], lang),
                p=_p(summary["bowker_p"], lang),
            )
        )
    )
    side = len(change.overall.counts)
    blocks.append(
        _draw(
            tr("report_waves.figure_transitions", lang, before=before, after=after),
            120.0,
            (1.2 * side + 2.6, 0.9 * side + 1.6),
            lambda ax: plots.transition_heatmap(change.overall, rubric=rubric, lang=lang, title="", ax=ax),
        )
    )
    blocks.append(_movers_table(change, names, rubric, lang))
    return tuple(blocks)


def sector_change_section(
    responses: pd.DataFrame, sector: str, wave: str | None, rubric: Rubric, lang: str, min_answered: float
) -> tuple[Section | None, stats.SectorChange | None]:
    """The sector report's "change since the last wave": ``wave`` against the wave before it, when there is one.

    The sector's enterprises are paired across the two waves (:func:`dxlab.stats.sector_change`), after their
    respondents are combined per wave (:func:`dxlab.consensus`). Returns (None, None) without an earlier wave.
    """
    if wave is None or any(k not in responses.columns for k in _KEYS) or "sector" not in responses.columns:
        return None, None
    earlier = _previous(_ordered_waves(responses), wave)
    if earlier is None:
        return None, None
    later = _same_value(responses, wave)
    keep = (
        (group_column(responses["sector"]) == sector).to_numpy(dtype=bool)
        & responses["enterprise_id"].notna().to_numpy(dtype=bool)
        & responses["wave"].isin([earlier, later]).to_numpy(dtype=bool)
    )
    rows = responses[keep]
    together, scores = _combined(rows, rubric, min_answered)
    change = stats.sector_change(scores, before=earlier, after=later, lang=lang)
    names = (
        rows.drop_duplicates("enterprise_id", keep="last").set_index("enterprise_id")["enterprise_name"]
        if "enterprise_name" in rows.columns
        else pd.Series(dtype=object)
    )
    combined = bool((together.responses["n_respondents"] > 1).any())
    blocks = _sector_blocks(change, names, rubric, lang, combined)
    return Section("change", tr("report_waves.change", lang), blocks), change
