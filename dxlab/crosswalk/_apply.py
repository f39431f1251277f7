"""Re-express scores in another framework through a crosswalk.

For each target item ``t`` with links ``l = 1..L`` from source items ``s_l`` (criterion levels, group or
dimension scores of the ``mean`` scheme) with weights ``w_l``, a response's target score is

    T_t = Σ_l w_l · S_{s_l} / Σ_l w_l     (the sum over links whose source score is present),

on the source's level scale. A framework reported on 0–100 (the EU DMA) also gets
``100 · (T_t − min) / (max − min)`` and, when every one of its dimensions is covered, its overall score, the
mean of the dimensions. A target item no link reaches is reported as not covered and left missing: a crosswalk
never invents a score it has no source for.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._i18n import check_lang, tr
from ..rubric import Rubric, load_rubric
from ..scoring import Scores, score
from ._loader import load_crosswalk, load_framework, target_ids
from ._model import Crosswalk

__all__ = ["CrosswalkResult", "crosswalk"]

COVERAGE_COLUMNS = [
    "target",
    "title",
    "covered",
    "links",
    "source_items",
    "source_criteria",
    "relations",
    "provenance",
    "note",
]


@dataclass(frozen=True)
class CrosswalkResult:
    """Scores re-expressed in a crosswalk's target.

    Attributes
    ----------
    scores : DataFrame
        One row per response, one column per covered-or-not target item (missing where not covered).
    scores_100 : DataFrame or None
        The same on 0–100 with an ``overall`` column, for frameworks reported on 0–100.
    coverage : DataFrame
        One row per target item: whether it is covered, by how many links, source items and criteria, the
        relations and provenance of its links, and a note where it is not covered.
    notes : tuple of str
    """

    crosswalk: Crosswalk
    scores: pd.DataFrame
    scores_100: pd.DataFrame | None
    coverage: pd.DataFrame
    notes: tuple[str, ...]


def _source_scores(data: Scores | pd.DataFrame, rubric: Rubric) -> Scores:
    if isinstance(data, Scores):
        if data.rubric_id != rubric.id:
            raise ValueError(
                f"the crosswalk starts from rubric {rubric.id!r}, but the scores are of rubric {data.rubric_id!r}"
            )
        if data.scheme != "mean":
            raise ValueError(
                f"a crosswalk re-expresses level scores: pass scores of scheme 'mean' (or the "
                f"responses), not {data.scheme!r}"
            )
        return data
    if isinstance(data, pd.DataFrame):
        return score(data, rubric, "mean")
    raise ValueError(f"expected Scores or a DataFrame of responses, got {type(data).__name__}")


def _source_frame(scores: Scores, item: str) -> pd.Series:
    for frame in (scores.criteria, scores.groups, scores.dimensions):
        if item in frame.columns:
            return frame[item].astype("float64")
    raise ValueError(f"source item {item!r} has no scores (not a criterion, group or dimension column)")


def _criteria_under(rubric: Rubric, item: str) -> set[str]:
    node = rubric[item]
    return {c.id for c in getattr(node, "criteria", ())} or {item}


def _target_title(cw: Crosswalk, item: str, lang: str) -> str:
    if cw.target_kind == "framework":
        return load_framework(cw.target_id).title_of(item, lang)
    node = load_rubric(cw.target_id)[item]
    return node.text.get(lang) if hasattr(node, "text") else node.title.get(lang)  # type: ignore[union-attr]


def _coverage_row(cw: Crosswalk, rubric: Rubric, item: str, lang: str) -> dict[str, object]:
    links = cw.links_to(item)
    criteria = set().union(*(_criteria_under(rubric, link.source) for link in links)) if links else set()
    relations = Counter(link.relation for link in links)
    provenance = Counter(link.provenance for link in links)
    return {
        "target": item,
        "title": _target_title(cw, item, lang),
        "covered": bool(links),
        "links": len(links),
        "source_items": ", ".join(link.source for link in links),
        "source_criteria": len(criteria),
        "relations": ", ".join(f"{k} {v}" for k, v in sorted(relations.items())),
        "provenance": ", ".join(f"{k} {v}" for k, v in sorted(provenance.items())),
        "note": "" if links else tr("frameworks.not_covered", lang, target=item, source=cw.source_rubric),
    }


def _targets_in_scope(cw: Crosswalk) -> list[str]:
    if cw.target_kind == "framework":
        return list(target_ids(cw))
    # For a rubric target, the items the crosswalk links to, in the target's own order.
    linked = {link.target for link in cw.links}
    return [item for item in target_ids(cw) if item in linked]


def crosswalk(data: Scores | pd.DataFrame, crosswalk: str | Crosswalk, *, lang: str | None = None) -> CrosswalkResult:
    """Re-express scores in the target of a crosswalk.

    Parameters
    ----------
    data : Scores or DataFrame
        Scores of scheme ``mean`` of the crosswalk's source rubric, or responses (scored with ``mean``).
    crosswalk : str or Crosswalk
        A shipped crosswalk id (:func:`dxlab.list_crosswalks`) or a path to a crosswalk YAML file.
    lang : {"vi", "en"}, optional
        Language of titles and notes (default: ``DXLAB_LANG``, else Vietnamese).

    Returns
    -------
    CrosswalkResult

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> result = dxlab.crosswalk(pd.DataFrame({c: [3] for c in r.criterion_ids}), "mobifone-dx--eu-dma", lang="en")
    >>> result.scores_100.round(1).iloc[0].tolist()
    [50.0, 50.0, 50.0, 50.0, 50.0, nan, nan]
    >>> result.coverage.loc[~result.coverage.covered, "target"].tolist()
    ['GRN']
    """
    code = check_lang(lang)
    cw = load_crosswalk(crosswalk)
    rubric = load_rubric(cw.source_rubric)
    scores = _source_scores(data, rubric)
    items = _targets_in_scope(cw)
    out = pd.DataFrame(index=scores.index)
    for item in items:
        links = cw.links_to(item)
        if not links:
            out[item] = np.nan
            continue
        values = np.column_stack([_source_frame(scores, link.source).to_numpy() for link in links])
        weights = np.array([link.weight for link in links])
        present = ~np.isnan(values)
        total = present @ weights
        with np.errstate(invalid="ignore", divide="ignore"):
            out[item] = np.where(total > 0, np.where(present, values, 0.0) @ weights / total, np.nan)
    coverage = pd.DataFrame([_coverage_row(cw, rubric, item, code) for item in items], columns=COVERAGE_COLUMNS)
    notes = [str(n) for n in coverage.loc[~coverage["covered"], "note"]]
    scores_100 = None
    if cw.target_kind == "framework" and load_framework(cw.target_id).scale == "0-100":
        low, high = min(rubric.level_values), max(rubric.level_values)
        scores_100 = (out - low) / (high - low) * 100.0
        complete = bool(coverage["covered"].all())
        scores_100["overall"] = scores_100[items].mean(axis=1, skipna=False) if complete else np.nan
        if not complete:
            notes.append(tr("frameworks.no_overall", code, framework=cw.target_id))
    return CrosswalkResult(cw, out, scores_100, coverage, tuple(notes))
