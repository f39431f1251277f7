"""The result a respondent sees right after submitting: overall level in words, the radar, next steps.

Everything is computed by the package's own scoring (:func:`dxlab.score`, :func:`dxlab.gaps`) on a one-row
frame, so the questionnaire shows exactly what an analyst would compute from the stored response. The radar
is drawn on a pyplot-free ``Figure`` and sent as PNG bytes: a long-running classroom kernel then keeps no
figures in pyplot's registry, and the image shows the same in JupyterLab, Voila and a test.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from ..rubric import Rubric

__all__ = ["Result", "compute_result", "render_html", "radar_png"]


@dataclass(frozen=True)
class Result:
    """Scores of one submission: overall score and level, per-dimension scores, and the top next steps."""

    overall_score: float | None
    overall_level: int | None
    dimensions: pd.DataFrame     # dimension, title_vi, title_en, score, level
    steps: pd.DataFrame          # rows of dxlab.gaps (both languages' texts added)
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
        rows.append({"dimension": dim.id, "title_vi": dim.title.get("vi"), "title_en": dim.title.get("en"),
                     "score": float(value) if pd.notna(value) else float("nan"),
                     "level": int(level) if pd.notna(level) else None})
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
    return Result(float(score_value) if pd.notna(score_value) else None,
                  int(level_value) if pd.notna(level_value) else None,
                  pd.DataFrame(rows), steps.reset_index(drop=True), aim)


def _number(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "vi" else text


_TEXT = {
    "overall": ("Mức chung", "Overall level"),
    "score": ("điểm", "score"),
    "none": ("chưa đủ câu trả lời để xếp mức", "not enough answers to place a level"),
    "dims": ("Theo khía cạnh", "By dimension"),
    "dim": ("Khía cạnh", "Dimension"),
    "level": ("Mức", "Level"),
    "steps": ("Bước tiếp theo nên làm", "Next steps"),
    "no_steps": ("Mọi tiêu chí đã ở mức cao nhất.", "Every criterion is already at the top level."),
    "from_to": ("từ mức {current} lên mức {next}", "from level {current} to level {next}"),
    "unanswered": ("chưa trả lời", "unanswered"),
}


def _t(key: str, lang: str) -> str:
    return _TEXT[key][0 if lang == "vi" else 1]


def render_html(result: Result, rubric: Rubric, lang: str = "vi") -> str:
    """The result as an HTML fragment; every text from the rubric is escaped."""
    esc = html.escape
    top = max(rubric.level_values)
    if result.overall_level is not None:
        label = rubric.level_label(result.overall_level, lang)
        headline = (f"<div class='dxlab-overall'>{_t('overall', lang)}: <b>{result.overall_level} · {esc(label)}"
                    f"</b> ({_t('score', lang)} {_number(result.overall_score, lang)} / {top})</div>")
    else:
        headline = f"<div class='dxlab-overall'>{_t('overall', lang)}: {_t('none', lang)}</div>"
    title_col = "title_vi" if lang == "vi" else "title_en"
    rows = []
    for row in result.dimensions.itertuples(index=False):
        level = (f"{row.level} · {esc(rubric.level_label(row.level, lang))}" if row.level is not None else "—")
        score = _number(row.score, lang) if row.score == row.score else "—"
        rows.append(f"<tr><td>{esc(row.dimension)} · {esc(getattr(row, title_col))}</td>"
                    f"<td style='text-align:right'>{score}</td><td>{level}</td></tr>")
    table = (f"<table class='dxlab-dims'><thead><tr><th>{_t('dim', lang)}</th><th>{_t('score', lang)}</th>"
             f"<th>{_t('level', lang)}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    suffix = "" if lang == "vi" else "_en"
    items = []
    for step in result.steps.to_dict("records"):
        current = step["current"]
        current_text = str(int(current)) if pd.notna(current) else _t("unanswered", lang)
        move = _t("from_to", lang).format(current=current_text, next=int(step["next_level"]))
        text, label = esc(str(step["text" + suffix])), esc(str(step["next_label" + suffix]))
        next_step = esc(str(step["next_step" + suffix] or ""))
        items.append(f"<li><b>{esc(step['criterion'])}</b> {text} — <i>{move} ({label})</i>: {next_step}</li>")
    steps = f"<ol>{''.join(items)}</ol>" if items else f"<p>{_t('no_steps', lang)}</p>"
    return (f"{headline}<h4>{_t('dims', lang)}</h4>{table}<h4>{_t('steps', lang)}</h4>{steps}")


def radar_png(result: Result, rubric: Rubric, lang: str = "vi", *, dpi: int = 100) -> bytes:
    """The dimension radar (``dxlab.plots.radar``) of ``result`` as PNG bytes, with the target ring."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from ..plots import radar

    profile = pd.Series(result.dimensions["score"].to_numpy(), index=result.dimensions["dimension"].to_list())
    figure = Figure(figsize=(5.6, 5.2), layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot(projection="polar")
    radar(profile, target=result.target, rubric=rubric, lang=lang, ax=ax,
          profile_label="Kết quả của bạn" if lang == "vi" else "Your result")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
