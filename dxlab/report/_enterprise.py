"""The enterprise report card: one assessment, what it scored, where it stands, what to do next."""

from __future__ import annotations

import datetime as _dt
import html as _html
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import numpy as np
import pandas as pd

from .. import io as dxio
from ..rubric import Rubric, load_rubric
from ..scoring import gaps as compute_gaps
from ..scoring import score
from ._html import figure_uri, level_badge, render
from ._i18n import field_name, num, pct, sector_name, size_name, t
from ._pdf import pdf_beside

__all__ = ["enterprise", "EnterpriseReport", "ReportFiles", "MIN_PEERS"]

#: Fewer peers than this and a percentile says more about chance than about the enterprise.
MIN_PEERS = 5
CRITERION_COLUMNS = ["response", "dimension", "group", "criterion", "text", "provenance", "level", "level_label",
                     "descriptor", "target", "gap", "next_level", "next_label", "next_step", "priority"]
# Columns never shown as "information": the levels themselves and bookkeeping.
_HIDDEN = {"weight"}


@dataclass(frozen=True)
class ReportFiles:
    """What :meth:`EnterpriseReport.save` or :func:`dxlab.report.sector` wrote."""

    html: Path
    pdf: Path | None
    tables: tuple[Path, ...] = ()
    pdf_note: str | None = None

    def __str__(self) -> str:
        lines = [f"wrote {self.html}"] + [f"wrote {p}" for p in self.tables]
        lines.append(f"wrote {self.pdf}" if self.pdf else f"no PDF: {self.pdf_note or 'not requested'}")
        return "\n".join(lines)


@dataclass(frozen=True)
class EnterpriseReport:
    """An enterprise's report card: the HTML document and the tables it shows.

    Attributes
    ----------
    response_id : str
    lang : str
    html : str
        The self-contained HTML (figures embedded as SVG data URIs).
    criteria : DataFrame
        One row per criterion: level, descriptor, target, gap and next step (``CRITERION_COLUMNS``).
    dimensions : DataFrame
        ``dimension, title, score, level, level_label, sector_median, target, gap``.
    percentiles : DataFrame
        ``scope, group, value, n, percentile`` for the sector and the size class.
    info : DataFrame
        ``field, value``: the response's metadata, as typed.
    """

    response_id: str
    lang: str
    html: str
    criteria: pd.DataFrame = field(repr=False)
    dimensions: pd.DataFrame = field(repr=False)
    percentiles: pd.DataFrame = field(repr=False)
    info: pd.DataFrame = field(repr=False)

    def save(self, folder: str | Path = "reports", *, stem: str | None = None, pdf: bool | None = None
             ) -> ReportFiles:
        """Write ``<stem>.html``, the criterion table as CSV and XLSX (spreadsheet-safe), and the PDF.

        ``pdf=None`` prints a PDF when headless Chromium is available and otherwise records why not in
        ``ReportFiles.pdf_note``; ``pdf=True`` raises :class:`PdfUnavailable` instead; ``pdf=False`` skips it.
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stem = stem or f"enterprise-{_safe_name(self.response_id)}-{self.lang}"
        html_path = folder / f"{stem}.html"
        html_path.write_text(self.html, encoding="utf-8")
        tables = (dxio.write_csv(self.criteria, folder / f"{stem}-criteria.csv"),
                  dxio.write_xlsx(self.criteria, folder / f"{stem}-criteria.xlsx", sheet="criteria"),
                  dxio.write_csv(self.info, folder / f"{stem}-info.csv"))
        pdf_path, note = pdf_beside(html_path, folder / f"{stem}.pdf", pdf)
        return ReportFiles(html_path, pdf_path, tables, note)

    def _repr_html_(self) -> str:
        # An iframe keeps the report's stylesheet from restyling the notebook around it.
        return (f'<iframe srcdoc="{_html.escape(self.html, quote=True)}" style="width: 100%; height: 720px; '
                f'border: 1px solid #ddd"></iframe>')


def _safe_name(text: object) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(text))
    return cleaned.strip("_")[:60] or "response"


def _find_row(responses: pd.DataFrame, response_id: object) -> int:
    if "response_id" not in responses.columns:
        raise ValueError("responses have no 'response_id' column; the report needs it to find the assessment")
    ids = responses["response_id"].astype(str)
    matches = np.flatnonzero((ids == str(response_id)).to_numpy())
    if len(matches) == 0:
        examples = ", ".join(ids.head(3))
        raise ValueError(f"response_id {response_id!r} is not in the responses ({len(ids)} rows; ids look like "
                         f"{examples})")
    if len(matches) > 1:
        raise ValueError(f"response_id {response_id!r} appears {len(matches)} times (rows "
                         f"{', '.join(map(str, matches[:5]))}); response ids must be unique")
    return int(matches[0])


def _peer_positions(scores, position: int, min_peers: int) -> list[dict]:
    """Percentile of one response's overall score in its sector and in its size class.

    The statistic is :func:`dxlab.stats.peer_percentile` (mid-rank percentile, the enterprise counted among
    its peers); below ``min_peers`` peers the report says there are too few instead of giving a number.
    """
    from .. import stats

    rows = []
    label = scores.overall.index[position]
    for scope in ("sector", "size"):
        if scope not in scores.meta.columns:
            continue
        table = stats.peer_percentile(scores, by=scope, measures=["overall"])
        mine = table.iloc[position]
        if mine.iloc[0] != label:  # the table keeps the scores' row order; check rather than assume
            mine = table[table.iloc[:, 0] == label].iloc[0]
        group = mine[scope]
        n = int(mine["n_group"])
        percentile = float(mine["percentile"]) if n >= min_peers else math.nan
        rows.append({"scope": scope, "group": group, "value": float(mine["score"]), "n": n,
                     "percentile": percentile})
    return rows


def _dimension_targets(target: object, rubric: Rubric) -> pd.Series:
    ids = [d.id for d in rubric.dimensions]
    if isinstance(target, Mapping):
        return pd.Series({d: float(target[d]) if d in target else math.nan for d in ids})
    return pd.Series(float(target), index=ids)


def enterprise(responses: pd.DataFrame, response_id: object, rubric: Rubric | str = "mobifone-dx", *,
               target: int | Mapping[str, int] = 4, lang: str = "vi", min_answered: float = 0.5,
               min_peers: int = MIN_PEERS, top_gaps: int = 12) -> EnterpriseReport:
    """The report card of one assessment.

    Overall score and level in words, a radar of dimension scores against the sector median and the
    target, every criterion with its level descriptor, the gaps with the next level's descriptor as the
    next step, and the enterprise's percentile in its sector and size class.

    Parameters
    ----------
    responses : DataFrame
        Wide responses (one row per assessment, ``response_id``, ``sector``, ``size``, ``wave``…, one
        level column per criterion id), e.g. ``data/processed/responses.parquet``. The peers are the
        responses of the same wave (when there is a ``wave`` column).
    response_id : str
        The assessment to report on.
    rubric : Rubric or str
    target : int or dict
        Target level for every criterion, or per dimension / group / criterion id (see :func:`dxlab.gaps`).
    lang : {"vi", "en"}
        Language of every text, level name and next step.
    min_answered : float
        Share of a group's criteria that must be answered for it to be scored (see :func:`dxlab.score`).
    min_peers : int
        Fewest peers for which a percentile is given.
    top_gaps : int
        Criteria shown in the gap chart (the table lists every gap).

    Returns
    -------
    EnterpriseReport
        ``.html`` and the tables; ``.save(folder)`` writes HTML, CSV/XLSX and PDF.

    Examples
    --------
    >>> import dxlab
    >>> responses = dxlab.sample.synthetic_responses("mobifone-dx", n=300, seed=1)
    >>> card = dxlab.report.enterprise(responses, "R000001", lang="en")
    >>> card.dimensions.columns.tolist()[:3]
    ['dimension', 'title', 'score']
    """
    if lang not in ("vi", "en"):
        raise ValueError(f"lang must be 'vi' or 'en', not {lang!r}")
    if not isinstance(responses, pd.DataFrame):
        raise ValueError(f"responses must be a DataFrame, not {type(responses).__name__}")
    rubric = load_rubric(rubric)
    position = _find_row(responses, response_id)
    response_id = str(responses["response_id"].iloc[position])
    if "wave" in responses.columns and pd.notna(responses["wave"].iloc[position]):
        same_wave = (responses["wave"] == responses["wave"].iloc[position]).to_numpy(dtype=bool, na_value=False)
        cohort = responses.loc[same_wave].reset_index(drop=True)
        position = _find_row(cohort, response_id)
    else:
        cohort = responses.reset_index(drop=True)
    scores = score(cohort, rubric, "mean", min_answered=min_answered)
    top = max(rubric.level_values)
    levels = tuple(rubric.level_values)
    meta = cohort[[c for c in ("sector", "size") if c in cohort.columns]]

    # -- overall ------------------------------------------------------------------------------------------
    overall_row = scores.overall.iloc[position]
    overall_score = float(overall_row["score"]) if pd.notna(overall_row["score"]) else math.nan
    overall_level = int(overall_row["level"]) if pd.notna(overall_row["level"]) else None
    sentences = []
    if overall_level is None:
        sentences.append(t("no_overall", lang, share=pct(min_answered, lang)))
    else:
        sentences.append(t("level_sentence", lang, level=overall_level, label=rubric.level_label(overall_level, lang),
                           top=top, score=num(overall_score, lang)))
        if overall_level < top:
            nxt = overall_level + 1
            sentences.append(t("next_level_sentence", lang, level=nxt, label=rubric.level_label(nxt, lang),
                               needed=num(float(nxt), lang, 1)))
        else:
            sentences.append(t("top_level_sentence", lang))
    colour, fg = level_badge(overall_level, levels)
    overall = {"score": num(overall_score, lang), "top": top, "level": overall_level,
               "label": rubric.level_label(overall_level, lang) if overall_level else "", "color": colour,
               "text_color": fg, "sentences": sentences}

    # -- peers ---------------------------------------------------------------------------------------------
    positions = _peer_positions(scores, position, min_peers)
    percentile_rows = []
    for row in positions:
        scope_text = (t("percentile_sector", lang, sector=sector_name(row["group"], lang)) if row["scope"] == "sector"
                      else t("percentile_size", lang, size=size_name(row["group"], lang)))
        if pd.isna(row["group"]) or pd.isna(row["value"]):
            text = t("percentile_missing", lang)
        elif row["n"] < min_peers:
            text = t("percentile_few", lang, n=row["n"])
        elif math.isnan(row["percentile"]):
            text = t("percentile_missing", lang)
        else:
            text = t("percentile_sentence", lang, p=num(row["percentile"], lang, 0), n=row["n"])
        percentile_rows.append({"scope": scope_text, "text": text})
    percentiles = pd.DataFrame(positions, columns=["scope", "group", "value", "n", "percentile"])

    # -- dimensions ----------------------------------------------------------------------------------------
    dim_scores = scores.dimensions.iloc[position]
    dim_levels = scores.levels.iloc[position]
    sector = meta["sector"].iloc[position] if "sector" in meta.columns else None
    if sector is not None and pd.notna(sector):
        in_sector = (meta["sector"] == sector).to_numpy(dtype=bool, na_value=False)
        median = scores.dimensions.loc[in_sector].median()
    else:
        median = pd.Series(math.nan, index=scores.dimensions.columns)
    dim_target = _dimension_targets(target, rubric)
    dim_rows, dim_table = [], []
    for dim in rubric.dimensions:
        value = dim_scores[dim.id]
        level = int(dim_levels[dim.id]) if pd.notna(dim_levels[dim.id]) else None
        colour, fg = level_badge(level, levels)
        gap = max(dim_target[dim.id] - value, 0.0) if pd.notna(value) and pd.notna(dim_target[dim.id]) else math.nan
        dim_rows.append({"id": dim.id, "title": dim.title.get(lang), "score": num(value, lang), "level": level,
                         "label": rubric.level_label(level, lang) if level else "", "color": colour,
                         "text_color": fg, "median": num(median[dim.id], lang),
                         "target": num(dim_target[dim.id], lang, 0),
                         "gap": num(gap, lang)})
        dim_table.append({"dimension": dim.id, "title": dim.title.get(lang), "score": value,
                          "level": level, "level_label": rubric.level_label(level, lang) if level else None,
                          "sector_median": median[dim.id], "target": dim_target[dim.id], "gap": gap})
    dimensions = pd.DataFrame(dim_table)

    import matplotlib.pyplot as plt

    from .. import plots

    name = t("enterprise", lang)
    with plots.style():
        _, polar = plt.subplots(figsize=(5.0, 4.8), subplot_kw={"projection": "polar"}, layout="constrained")
    radar_ax = plots.radar(dim_scores.astype(float), benchmark=median.astype(float) if median.notna().any() else None,
                           target=dim_target if dim_target.notna().any() else None, rubric=rubric, lang=lang,
                           profile_label=name, ax=polar)
    radar_uri = figure_uri(radar_ax.figure)

    # -- criteria and gaps ---------------------------------------------------------------------------------
    levels_row = scores.criteria.iloc[[position]]
    gap_table = compute_gaps(levels_row, rubric, target=target, lang=lang, include_met=True)
    gap_by_crit = gap_table.set_index("criterion")
    crit_rows, crit_table = [], []
    any_drafted = False
    for dim in rubric.dimensions:
        crit_rows.append({"header": f"{dim.title.get(lang)} ({dim.id})"})
        for grp in dim.groups:
            for crit in grp.criteria:
                value = levels_row[crit.id].iloc[0]
                level = int(value) if pd.notna(value) else None
                colour, fg = level_badge(level, levels)
                descriptor = (rubric.descriptor(crit.id, level, lang) if level is not None and level in crit.levels
                              else "")
                drafted = crit.provenance != "published"
                any_drafted |= drafted
                crit_rows.append({"header": None, "id": crit.id, "text": crit.text.get(lang), "drafted": drafted,
                                  "level": level, "label": rubric.level_label(level, lang) if level else "",
                                  "color": colour, "text_color": fg, "descriptor": descriptor})
                g = gap_by_crit.loc[crit.id] if crit.id in gap_by_crit.index else None
                crit_table.append({
                    "response": response_id, "dimension": dim.id, "group": grp.id, "criterion": crit.id,
                    "text": crit.text.get(lang), "provenance": crit.provenance, "level": level,
                    "level_label": rubric.level_label(level, lang) if level else None, "descriptor": descriptor or None,
                    "target": None if g is None else int(g["target"]), "gap": None if g is None else int(g["gap"]),
                    "next_level": None if g is None or pd.isna(g["next_level"]) or g["gap"] == 0
                    else int(g["next_level"]),
                    "next_label": None if g is None or g["gap"] == 0 else g["next_label"],
                    "next_step": None if g is None or g["gap"] == 0 else g["next_step"],
                    "priority": None if g is None else float(g["priority"])})
    criteria = pd.DataFrame(crit_table, columns=CRITERION_COLUMNS)
    for column in ("level", "target", "gap", "next_level"):
        criteria[column] = criteria[column].astype("Int8")

    open_gaps = gap_table[gap_table["gap"] > 0]
    gap_rows = [{"id": row.criterion, "text": row.text,
                 "current": (f"{int(row.current)} · {rubric.level_label(int(row.current), lang)}"
                             if pd.notna(row.current) else t("not_answered", lang)),
                 "target": int(row.target), "next_level": row.next_level if pd.notna(row.next_level) else "",
                 "next_label": row.next_label or "", "next_step": row.next_step or "",
                 "priority": num(float(row.priority), lang, 1)}
                for row in open_gaps.itertuples(index=False)]
    gaps_uri = ""
    if len(open_gaps):
        gap_ax = plots.gap_bars(open_gaps, rubric=rubric, lang=lang, top=top_gaps)
        gaps_uri = figure_uri(gap_ax.figure)

    # -- information: every metadata field as typed (escaped by the template) -------------------------------
    crit_ids = set(rubric.criterion_ids)
    row = cohort.iloc[position]
    info_rows = []
    for column in cohort.columns:
        if column in crit_ids or column in _HIDDEN or str(column).startswith("_"):
            continue
        value = row[column]
        if pd.isna(value) if not isinstance(value, (list, tuple, np.ndarray)) else False:
            shown = "—"
        elif column == "sector":
            shown = sector_name(value, lang)
        elif column == "size":
            shown = size_name(value, lang)
        elif isinstance(value, pd.Timestamp):
            shown = value.strftime("%d/%m/%Y %H:%M") if lang == "vi" else value.strftime("%Y-%m-%d %H:%M")
        else:
            shown = str(value)
        info_rows.append({"field": str(column), "name": field_name(str(column), lang), "value": shown})
    info = pd.DataFrame([{"field": r["field"], "value": r["value"]} for r in info_rows], columns=["field", "value"])

    who_parts = [str(row[c]) for c in ("enterprise_name", "enterprise_id") if c in cohort.columns and pd.notna(row[c])]
    who = " · ".join(who_parts + [f"{t('response', lang)} {response_id}"])
    from .. import __version__

    today = _dt.date.today()
    generated = t("generated", lang, version=__version__,
                  date=today.strftime("%d/%m/%Y") if lang == "vi" else today.isoformat(),
                  rubric=rubric.title.get(lang), rubric_version=rubric.version)
    note = responses.attrs.get("note") if isinstance(responses.attrs.get("note"), str) else None
    html = render("enterprise.html", lang=lang, title=t("enterprise_title", lang), who=who,
                  rubric_title=rubric.title.get(lang), note=note, tr=_Translations(lang), overall=overall,
                  percentiles=percentile_rows, info=info_rows, radar_uri=radar_uri, dimensions=dim_rows,
                  criteria=crit_rows, any_drafted=any_drafted, gaps=gap_rows, gaps_uri=gaps_uri,
                  generated=generated)
    return EnterpriseReport(response_id, lang, html, criteria, dimensions, percentiles, info)


class _Translations:
    """``tr.key`` in templates."""

    def __init__(self, lang: str) -> None:
        self._lang = lang

    def __getattr__(self, key: str) -> str:
        return t(key, self._lang)
