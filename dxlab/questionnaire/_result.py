"""The result a respondent sees right after submitting: overall level in words, the radar, next steps.

Everything is computed by the package's own scoring (:func:`dxlab.score`, :func:`dxlab.gaps`) on a one-row
frame, so the questionnaire shows exactly what an analyst would compute from the stored response. The radar
is drawn on a pyplot-free ``Figure`` and sent as PNG bytes: a long-running classroom kernel then keeps no
figures in pyplot's registry, and the image shows the same in JupyterLab, Voila and a test.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from .._i18n import MISSING, check_lang, fmt_number, tr
from ..rubric import Rubric

__all__ = ["Result", "compute_result", "render_html", "radar_png", "level_note"]


@dataclass(frozen=True)
class Result:
    """Scores of one submission: overall score and level, per-dimension scores, and the top next steps."""

    overall_score: float | None
    overall_level: int | None
    dimensions: pd.DataFrame  # dimension, title_vi, title_en, score, level
    steps: pd.DataFrame  # rows of dxlab.gaps (both languages' texts added)
    target: int


def compute_result(rubric: Rubric, levels: Mapping[str, int | None], *, target: int = 4, top: int = 3) -> Result:
    """Score one set of answers with the ``mean`` scheme and pick the ``top`` next steps toward ``target``.

    Next steps are :func:`dxlab.gaps` rows with the largest priority (gap × weight); when every criterion
    already meets ``target``, they aim at the top level instead.
    """
    from ..scoring import gaps, score

    frame = pd.DataFrame({c: pd.array([levels.get(c)], dtype="Int8") for c in rubric.criterion_ids})
    scores = score(frame, rubric)
    overall = scores.overall.iloc[0]
    rows = []
    for dim in rubric.dimensions:
        value = scores.dimensions[dim.id].iloc[0]
        level = scores.levels[dim.id].iloc[0]
        rows.append(
            {
                "dimension": dim.id,
                "title_vi": dim.title.get("vi"),
                "title_en": dim.title.get("en"),
                "score": float(value) if pd.notna(value) else float("nan"),
                "level": int(level) if pd.notna(level) else None,
            }
        )
    top_level = max(rubric.level_values)
    aim = target
    steps_vi = gaps(scores, rubric, target=aim, lang="vi")
    if steps_vi.empty and target < top_level:
        aim = top_level
        steps_vi = gaps(scores, rubric, target=aim, lang="vi")
    steps_en = gaps(scores, rubric, target=aim, lang="en")
    steps = steps_vi.head(top).copy()
    english = steps_en.set_index("criterion")
    for column in ("text", "next_label", "next_step"):
        steps[column + "_en"] = steps["criterion"].map(english[column]).to_numpy()
    score_value = overall["score"]
    level_value = overall["level"]
    return Result(
        float(score_value) if pd.notna(score_value) else None,
        int(level_value) if pd.notna(level_value) else None,
        pd.DataFrame(rows),
        steps.reset_index(drop=True),
        aim,
    )


def _t(key: str, lang: str, **values: object) -> str:
    return tr(f"questionnaire.result_{key}", lang, **values)


def level_note(result: Result, lang: str | None = None) -> str:
    """Why the overall level can sit below some dimensions' levels, or ``""`` when no dimension is higher.

    The level reached is the largest level L whose score is at least L, so an overall score of 2,99 is
    level 2 even when every dimension it averages stands at level 3 or more by a hair less or more.

    >>> import pandas as pd
    >>> dims = pd.DataFrame({"dimension": ["A", "B"], "score": [3.2, 2.7], "level": [3, 2]})
    >>> note = level_note(Result(2.99, 2, dims, pd.DataFrame(), 4), "en")
    >>> note.startswith("The level reached is the largest level L with a score of at least L")
    True
    >>> note[note.index(":") + 2:]
    'the overall score 2.99 is below 3, so the overall level is 2, while 1 dimension(s) score 3 or more.'
    >>> level_note(Result(2.99, 2, dims, pd.DataFrame(), 4), "vi").split(": ")[1]
    'điểm chung 2,99 chưa tới 3 nên mức chung là 2, trong khi 1 khía cạnh có điểm từ 3 trở lên.'

    """
    code = check_lang(lang)
    if result.overall_level is None or result.overall_score is None:
        return ""
    levels = [lv for lv in result.dimensions["level"] if lv is not None and lv == lv]
    higher = [lv for lv in levels if int(lv) > result.overall_level]
    if not higher:
        return ""
    return _t(
        "level_rule",
        code,
        score=fmt_number(result.overall_score, code),
        level=result.overall_level,
        next=result.overall_level + 1,
        n=len(higher),
    )


def render_html(result: Result, rubric: Rubric, lang: str | None = None) -> str:
    """The result as an HTML fragment; every text from the rubric is escaped."""
    code = check_lang(lang)
    esc = html.escape
    top = max(rubric.level_values)
    if result.overall_level is not None:
        label = rubric.level_label(result.overall_level, code)
        headline = (
            f"<div class='dxlab-overall'>{esc(_t('overall', code))}: <b>{result.overall_level} · "
            f"{esc(label)}</b> ({esc(_t('score', code))} {fmt_number(result.overall_score, code)} / "
            f"{top})</div>"
        )
    else:
        headline = f"<div class='dxlab-overall'>{esc(_t('overall', code))}: {esc(_t('none', code))}</div>"
    note = level_note(result, code)
    if note:
        headline += f"<p class='dxlab-level-note'>{esc(note)}</p>"
    title_col = "title_vi" if code == "vi" else "title_en"
    rows = []
    for row in result.dimensions.itertuples(index=False):
        level = f"{row.level} · {esc(rubric.level_label(row.level, code))}" if row.level is not None else MISSING
        rows.append(
            f"<tr><td>{esc(row.dimension)} · {esc(getattr(row, title_col))}</td>"
            f"<td style='text-align:right'>{fmt_number(row.score, code)}</td><td>{level}</td></tr>"
        )
    table = (
        f"<table class='dxlab-dims'><thead><tr><th>{esc(_t('dim', code))}</th><th>{esc(_t('score', code))}"
        f"</th><th>{esc(_t('level', code))}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    suffix = "" if code == "vi" else "_en"
    items = []
    for step in result.steps.to_dict("records"):
        current = step["current"]
        current_text = str(int(current)) if pd.notna(current) else _t("unanswered", code)
        move = esc(_t("from_to", code, current=current_text, next=int(step["next_level"])))
        text, label = esc(str(step["text" + suffix])), esc(str(step["next_label" + suffix]))
        next_step = esc(str(step["next_step" + suffix] or ""))
        items.append(f"<li><b>{esc(step['criterion'])}</b> {text} — <i>{move} ({label})</i>: {next_step}</li>")
    steps = f"<ol>{''.join(items)}</ol>" if items else f"<p>{esc(_t('no_steps', code))}</p>"
    return f"{headline}<h4>{esc(_t('dims', code))}</h4>{table}<h4>{esc(_t('steps', code))}</h4>{steps}"


def radar_png(result: Result, rubric: Rubric, lang: str | None = None, *, dpi: int = 100) -> bytes:
    """The dimension radar (``dxlab.plots.radar``) of ``result`` as PNG bytes, with the target ring."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..plots import radar

    profile = pd.Series(result.dimensions["score"].to_numpy(), index=result.dimensions["dimension"].to_list())
    figure = Figure(figsize=(5.6, 5.2), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot(projection="polar")
    code = check_lang(lang)
    radar(profile, target=result.target, rubric=rubric, lang=code, ax=ax, profile_label=_t("yours", code))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
