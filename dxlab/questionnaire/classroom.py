"""The teacher's view of a class self-assessment: who submitted, where the class stands, who is where.

:func:`summary` reads a :class:`~dxlab.ResponseStore` (or a frame of responses), keeps each respondent's
latest version, scores it with :func:`dxlab.score` and returns a :class:`ClassSummary` of tidy tables and
figures. Respondents are anonymised by default (``#01``, ``#02``… ordered by overall score), so the summary
can be projected in class; ``anonymise=False`` shows codes and names for the teacher alone.

The tables are plain pandas on the scored frame (the class is small; nothing here needs the contingency-table
engine), and the figures reuse :mod:`dxlab.plots` so levels keep their colours everywhere.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._i18n import check_lang, fmt_number, tr
from ..rubric import Rubric, load_rubric

__all__ = ["ClassSummary", "summary", "LEVEL_COLUMNS", "DIMENSION_COLUMNS"]

LEVEL_COLUMNS = ["level", "label", "n", "share"]
DIMENSION_COLUMNS = ["dimension", "title", "n", "mean", "sd", "min", "q1", "median", "q3", "max"]


def _t(key: str, lang: str, **params: Any) -> str:
    return tr(f"questionnaire.class_{key}", lang, **params)


@dataclass(frozen=True, eq=False)
class ClassSummary:
    """A class's results: counts, the overall level distribution, each dimension's spread, who is where.

    Attributes
    ----------
    rubric : Rubric
        The rubric as asked (only the dimensions somebody answered).
    submitted : int
        Respondents counted (each one's latest version).
    versions : int
        All stored submissions, earlier versions included.
    levels : DataFrame
        ``level, label, n, share``: one row per rubric level (zeros included), plus a row with ``<NA>`` level
        for respondents whose answers were too few to place, when there are any. ``share`` is of ``submitted``.
    dimensions : DataFrame
        ``dimension, title, n, mean, sd, min, q1, median, q3, max`` of the dimension scores (``sd`` with
        n − 1; quartiles by linear interpolation, pandas' default).
    respondents : DataFrame
        ``respondent, sector, size, score, level, label`` and one score column per dimension, best first.
        ``respondent`` is ``#01``… when anonymised, else the respondent code (and ``enterprise_name``).
    responses : DataFrame
        The latest responses in the order of ``respondents`` with its ``respondent`` label: only the criterion
        levels when anonymised (codes, names and comments could identify people), every column otherwise.
    scores : Scores or None
    """

    rubric: Rubric
    submitted: int
    versions: int
    levels: pd.DataFrame
    dimensions: pd.DataFrame
    respondents: pd.DataFrame
    responses: pd.DataFrame
    scores: Any
    lang: str = "vi"
    anonymised: bool = True
    target: int = 4

    # -- figures ---------------------------------------------------------------------------------------
    def plot_levels(self, ax=None):
        """Bar chart of the overall level distribution (level colours); returns the Axes."""
        from ..plots import level_colors, style

        with style():
            ax = _axes(ax, (6.4, 3.4))
            placed = self.levels[self.levels["level"].notna()]
            colors = level_colors(len(placed))
            names = [f"{int(v)}\n{label}" for v, label in zip(placed["level"], placed["label"])]
            bars = ax.bar(range(len(placed)), placed["n"].to_numpy(), color=colors, edgecolor="#555555", linewidth=0.5)
            ax.bar_label(bars, labels=[str(int(n)) for n in placed["n"]], padding=2)
            ax.set_xticks(range(len(placed)), names)
            ax.set_ylabel(_t("respondents", self.lang))
            ax.set_title(_t("levels", self.lang))
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.set_ylim(0, max(1, int(placed["n"].max() if len(placed) else 0)) * 1.18)
        return ax

    def plot_dimensions(self, ax=None):
        """Each dimension's spread: a box of the quartiles with every respondent as a dot; returns the Axes."""
        from ..plots import level_colors, style

        dims = list(self.dimensions["dimension"])
        with style():
            ax = _axes(ax, (7.2, 0.6 * max(len(dims), 1) + 1.4))
            low, top = min(self.rubric.level_values), max(self.rubric.level_values)
            # Level L is reached from score L up to L + 1 (the top level only at the top score).
            for value, color in zip(self.rubric.level_values, level_colors(len(self.rubric.level_values))):
                ax.axvspan(value, min(value + 1, top + 0.1), color=color, alpha=0.12, linewidth=0)
            data = [self._dimension_scores(d) for d in dims]
            positions = np.arange(len(dims))
            usable = [i for i, values in enumerate(data) if len(values)]
            if usable:
                ax.boxplot(
                    [data[i] for i in usable],
                    positions=positions[usable],
                    **_horizontal(),
                    widths=0.5,
                    showfliers=False,
                    patch_artist=True,
                    boxprops={"facecolor": "white", "edgecolor": "#444444"},
                    medianprops={"color": "#0072B2", "linewidth": 2},
                )
            rng = np.random.default_rng(0)  # fixed jitter: the same figure every run
            for i, values in enumerate(data):
                ax.scatter(
                    values, i + rng.uniform(-0.15, 0.15, len(values)), s=14, color="#333333", alpha=0.6, zorder=3
                )
            titles = self.dimensions["title"].tolist()
            ax.set_yticks(positions, [f"{d} · {t}" for d, t in zip(dims, titles)])
            ax.set_ylim(len(dims) - 0.5, -0.5)
            ax.set_xlim(low - 0.1, top + 0.1)
            ax.set_xlabel(_t("score", self.lang))
            ax.set_title(_t("dims", self.lang))
        return ax

    def plot_criteria(self, ax=None):
        """Level distribution of every criterion (``dxlab.plots.likert_bars``); returns the Axes."""
        from ..plots import likert_bars

        items = list(self.rubric.criterion_ids)
        return likert_bars(self.responses[items], items, rubric=self.rubric, lang=self.lang, labels="id", ax=ax)

    def plot_profile(self, ax=None):
        """Radar of the class median per dimension against the target (``dxlab.plots.radar``)."""
        from ..plots import radar

        profile = self.dimensions.set_index("dimension")["median"]
        return radar(
            profile,
            target=self.target,
            rubric=self.rubric,
            lang=self.lang,
            ax=ax,
            profile_label=_t("median", self.lang),
            target_label=_t("target", self.lang),
        )

    def _dimension_scores(self, dim_id: str) -> np.ndarray:
        if self.scores is None:
            return np.array([])
        values = self.scores.dimensions[dim_id].to_numpy(dtype=float)
        return values[~np.isnan(values)]

    # -- display ---------------------------------------------------------------------------------------
    def _repr_html_(self) -> str:
        lang = self.lang
        head = (
            f"<h3>{html.escape(_t('title', lang))} — {html.escape(self.rubric.title.get(lang))}</h3>"
            f"<p>{html.escape(_t('submitted', lang, n=self.submitted, versions=self.versions))}</p>"
        )
        if self.submitted == 0:
            return head + f"<p>{html.escape(_t('empty', lang))}</p>"
        number = partial(fmt_number, lang=lang, digits=2)  # 2,99 in Vietnamese, 2.99 in English
        return (
            head
            + f"<h4>{html.escape(_t('levels', lang))}</h4>"
            + self.levels.to_html(index=False, float_format=number)
            + f"<h4>{html.escape(_t('dims', lang))}</h4>"
            + self.dimensions.to_html(index=False, float_format=number)
            + f"<h4>{html.escape(_t('who', lang))}</h4>"
            + self.respondents.to_html(index=False, float_format=number)
        )

    def __repr__(self) -> str:
        return (
            f"ClassSummary(rubric={self.rubric.id!r}, submitted={self.submitted}, versions={self.versions}, "
            f"anonymised={self.anonymised})"
        )


def _horizontal() -> dict[str, Any]:
    # matplotlib 3.10 replaced boxplot's ``vert=False`` with ``orientation="horizontal"``.
    import matplotlib

    major, minor = (int(part) for part in matplotlib.__version__.split(".")[:2])
    return {"orientation": "horizontal"} if (major, minor) >= (3, 10) else {"vert": False}


def _axes(ax, figsize: tuple[float, float]):
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=figsize, layout="constrained")
    return fig.add_subplot()


def _asked(rubric: Rubric, responses: pd.DataFrame) -> Rubric:
    """The rubric restricted to the dimensions somebody answered (a class may have done only one)."""
    from dataclasses import replace

    answered = [
        d
        for d in rubric.dimensions
        if any(c.id in responses.columns and responses[c.id].notna().any() for c in d.criteria)
    ]
    if not answered or len(answered) == len(rubric.dimensions):
        return rubric
    return replace(rubric, dimensions=tuple(answered))


def summary(
    store: Any,
    rubric: Rubric | str | None = None,
    *,
    anonymise: bool = True,
    wave: str | None = None,
    lang: str | None = None,
    target: int = 4,
    min_answered: float = 0.5,
) -> ClassSummary:
    """Summarise a class's submissions for the teacher.

    Parameters
    ----------
    store : ResponseStore, str, Path or DataFrame
        The class's store (or its path), or responses already in the wide shape.
    rubric : Rubric or str, optional
        Default: the store's one rubric.
    anonymise : bool
        Replace respondent codes and names with ``#01``, ``#02``… (ordered by overall score, best first).
    wave : str, optional
        Only this wave's submissions.
    lang : {"vi", "en"}
    target : int
        The target ring in :meth:`ClassSummary.plot_profile`.
    min_answered : float
        Passed to :func:`dxlab.score`.

    Returns
    -------
    ClassSummary

    Examples
    --------
    >>> import dxlab, tempfile, pathlib
    >>> from dxlab.sample import synthetic_responses
    >>> store = dxlab.ResponseStore(pathlib.Path(tempfile.mkdtemp()) / "class.sqlite")
    >>> _ = store.import_frame(synthetic_responses("mobifone-dx", n=12, seed=3), "mobifone-dx")
    >>> result = dxlab.questionnaire.classroom.summary(store)
    >>> result.submitted, int(result.levels["n"].sum())
    (12, 12)
    """
    from ..scoring import score
    from ._store import ResponseStore

    lang = check_lang(lang)
    versions: int
    if isinstance(store, pd.DataFrame):
        if rubric is None:
            raise ValueError(_t("needs_rubric", lang))
        rubric = load_rubric(rubric)
        responses = store if wave is None else store[store["wave"].astype("str") == str(wave)]
        versions = len(responses)
    else:
        if isinstance(store, (str, Path)):
            path = Path(store)
            if not path.is_file():
                raise FileNotFoundError(_t("no_store", lang, path=path))
            store = ResponseStore(path)
        if not isinstance(store, ResponseStore):
            raise ValueError(_t("bad_store", lang, kind=type(store).__name__))
        if rubric is None:
            # The store's own record of its rubric: a stored id is never opened as a path.
            rubric = store.rubric() if store.rubric_ids() else load_rubric("mobifone-dx")
        responses = store.to_frame(rubric, wave=wave)
        versions = len(store.to_frame(rubric, wave=wave, latest_only=False))
        rubric = load_rubric(rubric)
    asked = _asked(rubric, responses)
    criteria = list(asked.criterion_ids)
    n = len(responses)
    labels = {lv.value: lv.label.get(lang) for lv in asked.levels_}
    scores = score(responses, asked, min_answered=min_answered) if n else None

    if scores is not None:
        overall_levels = scores.overall["level"].astype("Int8")
    else:
        overall_levels = pd.Series(pd.array([], dtype="Int8"))
    counts = overall_levels.value_counts(dropna=False)
    rows = [{"level": v, "label": labels[v], "n": int(counts.get(v, 0))} for v in asked.level_values]
    not_placed = int(overall_levels.isna().sum())
    if not_placed:
        rows.append({"level": pd.NA, "label": _t("not_placed", lang), "n": not_placed})
    levels = pd.DataFrame(rows, columns=["level", "label", "n"])
    levels["level"] = levels["level"].astype("Int8")
    levels["share"] = levels["n"] / n if n else 0.0
    levels = levels[LEVEL_COLUMNS]

    dim_rows = []
    for dim in asked.dimensions:
        values = scores.dimensions[dim.id].astype(float).dropna() if scores is not None else pd.Series(dtype=float)
        dim_rows.append(
            {
                "dimension": dim.id,
                "title": dim.title.get(lang),
                "n": int(len(values)),
                "mean": values.mean(),
                "sd": values.std(ddof=1),
                "min": values.min(),
                "q1": values.quantile(0.25),
                "median": values.median(),
                "q3": values.quantile(0.75),
                "max": values.max(),
            }
        )
    dimensions = pd.DataFrame(dim_rows, columns=DIMENSION_COLUMNS)

    respondents, order = _respondents(responses, scores, asked, lang, anonymise)
    keep = list(responses.columns) if not anonymise else [c for c in criteria if c in responses.columns]
    ranked = responses[keep].iloc[order].reset_index(drop=True)
    ranked.insert(0, "respondent", respondents["respondent"].to_numpy())
    return ClassSummary(
        asked, n, versions, levels, dimensions, respondents, ranked, scores, lang, bool(anonymise), int(target)
    )


def _respondents(
    responses: pd.DataFrame, scores, rubric: Rubric, lang: str, anonymise: bool
) -> tuple[pd.DataFrame, np.ndarray]:
    """Who is where, best overall score first (ties and unplaced in submission order); and that order."""
    dims = [d.id for d in rubric.dimensions]
    columns = ["respondent", "sector", "size", "score", "level", "label", *dims]
    if scores is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}), np.arange(0)
    overall = scores.overall.reset_index(drop=True)
    absent = pd.Series([pd.NA] * len(responses), dtype=object)
    frame = pd.DataFrame(
        {
            "sector": responses["sector"].reset_index(drop=True) if "sector" in responses else absent,
            "size": responses["size"].reset_index(drop=True) if "size" in responses else absent,
            "score": overall["score"].to_numpy(dtype=float),
            "level": overall["level"].astype("Int8").to_numpy(),
            "label": overall["level_label" if lang == "vi" else "level_label_en"].astype(object).to_numpy(),
        }
    )
    for dim in dims:
        frame[dim] = scores.dimensions[dim].to_numpy(dtype=float)
    frame["_order"] = np.arange(len(frame))
    frame = frame.sort_values(["score", "_order"], ascending=[False, True], na_position="last", kind="stable")
    order = frame["_order"].to_numpy()
    if anonymise:
        width = max(2, len(str(len(frame))))
        frame.insert(0, "respondent", [f"#{i:0{width}d}" for i in range(1, len(frame) + 1)])
    else:
        ids = (
            responses["enterprise_id"].reset_index(drop=True).astype("str")
            if "enterprise_id" in responses
            else pd.Series([f"{i + 1}" for i in range(len(responses))])
        )
        frame.insert(0, "respondent", ids.to_numpy()[order])
        if "enterprise_name" in responses:
            frame.insert(1, "enterprise_name", responses["enterprise_name"].to_numpy()[order])
    return frame.drop(columns="_order").reset_index(drop=True), order
