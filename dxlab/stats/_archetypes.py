"""Archetypes: clusters of dimension profiles, how stable they are, and what to call them.

Profiles (one row per response, one column per dimension score, on the rubric's level scale) are clustered
by Ward's agglomerative method (``method="ward"``; SciPy's linkage, built once and cut at every candidate k,
the same merges as scikit-learn's ``AgglomerativeClustering``) or scikit-learn's k-means
(``method="kmeans"``). When ``k`` is not given it is the k in 2–8 with the highest mean silhouette width
(Rousseeuw, 1987). The stability of each cluster is Hennig's (2007) bootstrap Jaccard: the data are resampled
with replacement, clustered again with the same k, and each original cluster's best Jaccard similarity with a
resampled cluster (over the points drawn) is averaged over the resamples — above 0.75 a cluster is usually
called stable, below 0.5 it is dissolved by resampling.

Each archetype is named from its mean profile: its level (the reached level of its mean score) and the
dimensions where its profile, taken around its own mean, is furthest above and below everyone's profile taken
around theirs (so a uniformly strong archetype is "even", not "strong" on a random dimension),
in Vietnamese and English ("Hình thành: mạnh về khách hàng, yếu về dữ liệu").

References: Ward (1963), J. Am. Stat. Assoc. 58, 236–244; Hennig (2007), Comput. Stat. Data Anal. 52,
258–271.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score

from .._i18n import tr
from ..rubric import Rubric, load_rubric
from ..scoring import Scores
from ._common import note

__all__ = ["Archetypes", "archetypes"]

METHODS = ("ward", "kmeans")
MAX_WARD = 20_000  # Ward's linkage holds n(n−1)/2 distances: 1.6 GB at 20,000 profiles
K_RANGE = (2, 8)
BALANCED = 0.15  # a profile whose shape is within this many level points of everyone's is "even"
CLUSTER_COLUMNS = ["archetype", "n", "share", "stability", "level", "name_vi", "name_en"]


@dataclass(frozen=True)
class Archetypes:
    """Result of :func:`archetypes`.

    Attributes
    ----------
    assignments : Series
        The archetype (1..k, largest first) of each response; ``<NA>`` for a response with a missing dimension.
    clusters : DataFrame
        One row per archetype: size, share, stability (mean bootstrap Jaccard), level, names in Vietnamese
        and English, then its mean profile (one column per dimension).
    silhouette : DataFrame
        Mean silhouette width per candidate k (empty when ``k`` was given).
    k : int
    method : str
    notes : tuple of str
    """

    assignments: pd.Series
    clusters: pd.DataFrame
    silhouette: pd.DataFrame
    k: int
    method: str
    notes: tuple[str, ...]


def _fit(values: np.ndarray, k: int, method: str, seed: int, tree: np.ndarray | None = None) -> np.ndarray:
    if method == "ward":
        # One Ward tree (SciPy's linkage, the same merges as scikit-learn's AgglomerativeClustering) cut at k.
        tree = linkage(values, method="ward") if tree is None else tree
        return fcluster(tree, k, criterion="maxclust") - 1
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(values)


def _choose_k(values: np.ndarray, method: str, seed: int, tree: np.ndarray | None) -> tuple[int, pd.DataFrame]:
    rows = []
    sample = min(len(values), 2000)  # silhouette widths from a seeded sample: O(n²) distances otherwise
    for k in range(K_RANGE[0], min(K_RANGE[1], len(values) - 1) + 1):
        labels = _fit(values, k, method, seed, tree)
        width = (
            silhouette_score(values, labels, sample_size=sample, random_state=seed)
            if len(np.unique(labels)) > 1
            else np.nan
        )
        rows.append({"k": k, "silhouette": float(width)})
    table = pd.DataFrame(rows, columns=["k", "silhouette"])
    if table["silhouette"].isna().all():
        raise ValueError("the profiles do not separate into clusters (every candidate k gives one cluster)")
    best = int(np.nanargmax(table["silhouette"].to_numpy()))
    return int(table["k"].iloc[best]), table


def _stability(values: np.ndarray, labels: np.ndarray, k: int, method: str, seed: int, n_boot: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = len(values)
    totals = np.zeros(k)
    for _ in range(n_boot):
        drawn = rng.integers(0, n, size=n)
        boot = _fit(values[drawn], k, method, seed)
        points, first = np.unique(drawn, return_index=True)
        boot_labels = boot[first]
        original = labels[points]
        for c in range(k):
            in_c = original == c
            if not in_c.any():
                continue
            best = 0.0
            for b in np.unique(boot_labels):
                in_b = boot_labels == b
                union = (in_c | in_b).sum()
                best = max(best, (in_c & in_b).sum() / union)
            totals[c] += best
    return totals / n_boot if n_boot else np.full(k, np.nan)


def _name(profile: pd.Series, grand: pd.Series, level: int, rubric: Rubric | None, lang: str) -> str:
    # Shape, not height: the level is named already, so compare each profile's ups and downs around its own
    # mean with everyone's ups and downs around theirs.
    diff = (profile - profile.mean()) - (grand - grand.mean())
    level_text = rubric.level_label(level, lang) if rubric is not None else str(level)

    def title(dim: str) -> str:
        if rubric is None or dim not in rubric:
            return dim
        text = rubric[dim].title.get(lang)  # type: ignore[union-attr]
        return text[:1].lower() + text[1:]

    if diff.abs().max() < BALANCED:
        return tr("frameworks.archetype_balanced", lang, level=level_text)
    return tr(
        "frameworks.archetype_name",
        lang,
        level=level_text,
        strong=title(str(diff.idxmax())),
        weak=title(str(diff.idxmin())),
    )


def _profiles(data: Scores | pd.DataFrame) -> tuple[pd.DataFrame, Rubric | None]:
    if isinstance(data, Scores):
        if data.scheme != "mean":
            raise ValueError(f"archetypes cluster level profiles: pass scores of scheme 'mean', not {data.scheme!r}")
        return data.dimensions.astype("float64"), load_rubric(data.rubric_id)
    if isinstance(data, pd.DataFrame):
        numeric = data.select_dtypes("number")
        if numeric.shape[1] < 2:
            raise ValueError("archetypes need at least two numeric profile columns (dimension scores)")
        return numeric.astype("float64"), None
    raise ValueError(f"expected Scores or a DataFrame of dimension scores, got {type(data).__name__}")


def archetypes(
    scores: Scores | pd.DataFrame,
    *,
    k: int | None = None,
    method: str = "ward",
    seed: int = 0,
    n_boot: int = 50,
    rubric: Rubric | str | None = None,
) -> Archetypes:
    """Cluster dimension profiles into archetypes, with their stability and a descriptive name.

    Parameters
    ----------
    scores : Scores or DataFrame
        Scores of scheme ``mean`` (their dimension scores are the profiles) or a DataFrame whose numeric
        columns are the profile.
    k : int, optional
        Number of archetypes; chosen by the mean silhouette width over 2–8 when not given.
    method : {"ward", "kmeans"}
    seed : int
        Seed of k-means and of the bootstrap resamples.
    n_boot : int
        Bootstrap resamples for the stability (0 to skip).
    rubric : Rubric or str, optional
        For dimension titles and level labels in the names (taken from ``scores`` when they are Scores).

    Returns
    -------
    Archetypes

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(1)
    >>> centres = np.array([[4.5, 4.0, 2.0], [2.0, 2.5, 4.5]])
    >>> frame = pd.DataFrame(np.repeat(centres, 30, axis=0) + rng.normal(0, 0.2, (60, 3)), columns=["A", "B", "C"])
    >>> archetypes(frame, n_boot=5).clusters[["archetype", "n"]].values.tolist()
    [[1, 30], [2, 30]]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; use one of {', '.join(map(repr, METHODS))}")
    profiles, own_rubric = _profiles(scores)
    rubric_obj = load_rubric(rubric) if rubric is not None else own_rubric
    complete = profiles.notna().all(axis=1)
    notes = []
    if not complete.all():
        notes.append(note("missing_dimension_not_clustered", n=int((~complete).sum())))
    values = profiles[complete].to_numpy()
    if method == "ward" and len(values) > MAX_WARD:
        raise ValueError(
            f"Ward clustering keeps all {len(values):,} × {len(values):,} distances in memory; above "
            f"{MAX_WARD:,} profiles use method='kmeans'"
        )
    if len(values) < 3:
        raise ValueError(f"archetypes need at least 3 complete profiles, got {len(values)}")
    table = pd.DataFrame(columns=["k", "silhouette"])
    tree = linkage(values, method="ward") if method == "ward" else None
    if k is None:
        k, table = _choose_k(values, method, seed, tree)
    elif isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 2 <= k < len(values):
        raise ValueError(f"k must be a whole number from 2 to {len(values) - 1}, got {k!r}")
    raw = _fit(values, int(k), method, seed, tree)
    # Number archetypes by size (largest first), then by mean score, so the numbering is stable.
    order = sorted(range(k), key=lambda c: (-(raw == c).sum(), -values[raw == c].mean()))
    labels = np.empty_like(raw)
    for new, old in enumerate(order):
        labels[raw == old] = new
    stability = _stability(values, labels, int(k), method, seed, n_boot)
    return _result(profiles, complete, labels, stability, table, int(k), method, rubric_obj, notes)


def _result(
    profiles: pd.DataFrame,
    complete: pd.Series,
    labels: np.ndarray,
    stability: np.ndarray,
    table: pd.DataFrame,
    k: int,
    method: str,
    rubric: Rubric | None,
    notes: list[str],
) -> Archetypes:
    values = profiles[complete]
    grand = values.mean()
    top = max(rubric.level_values) if rubric is not None else 5
    rows = []
    for c in range(k):
        members = values[labels == c]
        profile = members.mean()
        level = int(np.clip(np.floor(profile.mean() + 1e-9), 1, top))
        rows.append(
            {
                "archetype": c + 1,
                "n": len(members),
                "share": len(members) / len(values),
                "stability": stability[c],
                "level": level,
                "name_vi": _name(profile, grand, level, rubric, "vi"),
                "name_en": _name(profile, grand, level, rubric, "en"),
                **profile.to_dict(),
            }
        )
    clusters = pd.DataFrame(rows, columns=CLUSTER_COLUMNS + list(profiles.columns))
    assignments = pd.Series(pd.array([pd.NA] * len(profiles), dtype="Int8"), index=profiles.index, name="archetype")
    assignments[complete.to_numpy()] = labels + 1
    return Archetypes(assignments, clusters, table, k, method, tuple(notes))
