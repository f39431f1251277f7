"""How far scores, ranks and levels depend on the dimension weights chosen.

Weightings act on the dimension level of the ``mean`` scheme: with dimension scores ``D`` (n × d, missing
where a dimension could not be scored), presence ``P`` and a d × m matrix ``W`` of weightings, the overall
scores under every weighting at once are

    S = (D₀ W) ⊘ (P W),

one matrix product (``D₀`` is ``D`` with missing set to 0), which is exactly what :func:`dxlab.score` computes
for each weighting alone (same ``min_answered`` rule). Named weightings: ``"rubric"`` (the rubric's dimension
weights), ``"equal"``, ``"dbi2021"`` (MIC 2021's implied pillar weights: each dimension's maximum points,
∝ Σ multipliers of its criteria) or a mapping ``{dimension id: weight}``. Random weightings are drawn from a
Dirichlet distribution centred on the rubric's weights, ``w ~ Dir(c · p)`` with ``p`` the rubric's weight
shares and concentration ``c`` (the larger, the closer to the rubric).

Ranks are 1 for the highest score (ties share their mean rank). Agreement between weightings: Kendall's W
over all weightings (Kendall & Babington Smith, 1939, with the tie correction)

    W = 12 Σ_i (R_i − R̄)² / (m² (n³ − n) − m Σ_j T_j),   T_j = Σ (t³ − t) over tie groups of weighting j,

and Spearman's ρ between the named weightings. A rank reversal is a pair of units ordered one way by the
rubric's weights and the other way by another weighting; its share among all pairs (exact for the named
weightings; for the random ones, over a fixed random sample of at most 50,000 pairs, which suffices for a
simulation that is itself random).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

from ..rubric import Rubric, load_rubric
from ..scoring import score
from ._common import note

__all__ = ["WeightSensitivity", "kendalls_w", "weight_sensitivity"]

NAMED = ("rubric", "equal", "dbi2021")
_EPS = 1e-9
MAX_PAIRS = 50_000
INTERVAL_COLUMNS = [
    "unit",
    "n",
    "score",
    "level",
    "rank",
    "rank_min",
    "rank_q025",
    "rank_median",
    "rank_q975",
    "rank_max",
    "share_level_changed",
]
SUMMARY_COLUMNS = [
    "weighting",
    "spearman_rho",
    "share_reversed",
    "share_level_changed",
    "share_level_up",
    "share_level_down",
]


@dataclass(frozen=True)
class WeightSensitivity:
    """Result of :func:`weight_sensitivity`.

    Attributes
    ----------
    weightings : DataFrame
        The dimension weights (shares) of each named weighting, one column per weighting.
    scores, ranks, levels : DataFrame
        One row per unit (response, or group when ``by`` is given), one column per named weighting.
    intervals : DataFrame
        Per unit: score, level and rank under the rubric's weights, and the range and 2.5/50/97.5 %
        quantiles of its rank over the random weightings (over the named ones when ``n_random=0``), and the
        share of random weightings that change its level.
    summary : DataFrame
        Per named weighting (and ``random`` for the mean over the random ones): Spearman ρ with the rubric's
        ranking, share of reversed pairs, share of units whose level changes (up, down).
    kendall_w : float
        Kendall's W over all weightings, named and random.
    notes : tuple of str
    """

    weightings: pd.DataFrame
    scores: pd.DataFrame
    ranks: pd.DataFrame
    levels: pd.DataFrame
    intervals: pd.DataFrame
    summary: pd.DataFrame
    kendall_w: float
    notes: tuple[str, ...]


def _named_weights(rubric: Rubric, spec: str | Mapping[str, float]) -> np.ndarray:
    dims = rubric.dimensions
    if isinstance(spec, Mapping):
        unknown = sorted(set(spec) - {d.id for d in dims})
        if unknown:
            raise ValueError(
                f"weights name dimensions {unknown} that rubric {rubric.id!r} does not have; its "
                f"dimensions are {', '.join(d.id for d in dims)}"
            )
        values = np.array([float(spec.get(d.id, 0.0)) for d in dims])
    elif spec == "rubric":
        values = np.array([d.weight for d in dims], dtype=float)
    elif spec == "equal":
        values = np.ones(len(dims))
    elif spec == "dbi2021":
        values = np.array([sum(c.multiplier for c in d.criteria) for d in dims], dtype=float)
    else:
        raise ValueError(
            f"unknown weighting {spec!r}; use one of {', '.join(map(repr, NAMED))} or a mapping "
            f"{{dimension id: weight}}"
        )
    if not np.all(np.isfinite(values)) or np.any(values < 0) or values.sum() <= 0:
        raise ValueError(f"weighting {spec!r} needs non-negative weights with a positive sum, got {values.tolist()}")
    return values / values.sum()


def _overall(dims: np.ndarray, weights: np.ndarray, min_answered: float) -> np.ndarray:
    present = ~np.isnan(dims)
    values = np.where(present, dims, 0.0)
    enough = present.sum(axis=1) >= max(min_answered * dims.shape[1] - _EPS, 0.5)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (values @ weights) / (present.astype(float) @ weights)
    out[~enough] = np.nan
    return out


def _ranks(values: np.ndarray) -> np.ndarray:
    """Average ranks (1 = highest) down each column, NaN left NaN.

    Works on the transposed, contiguous matrix (each weighting's scores in one row), so the sort and the
    tie runs walk memory in order; ``scipy.stats.rankdata(axis=0, nan_policy="omit")`` gives the same
    numbers about ten times slower on a thousand weightings.
    """
    return _row_ranks(np.ascontiguousarray(values.T)).T


def _row_ranks(rows: np.ndarray) -> np.ndarray:
    n = rows.shape[1]
    order = np.argsort(-rows, axis=1)  # NaN sorts last; ties need no stable order, their ranks are averaged
    ordered = np.take_along_axis(-rows, order, axis=1)
    position = np.arange(n)[None, :]
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    ends = np.ones(ordered.shape, dtype=bool)
    ends[:, :-1] = starts[:, 1:]
    first = np.maximum.accumulate(np.where(starts, position, 0), axis=1)
    last = np.minimum.accumulate(np.where(ends, position, n - 1)[:, ::-1], axis=1)[:, ::-1]
    ranks = np.empty(rows.shape)
    np.put_along_axis(ranks, order, (first + last) / 2 + 1, axis=1)
    ranks[np.isnan(rows)] = np.nan
    return ranks


def kendalls_w(ranks: np.ndarray) -> float:
    """Kendall's coefficient of concordance of an n × m matrix of ranks (m raters ranking n units).

    >>> kendalls_w(np.array([[1, 1], [2, 2], [3, 3]]))
    1.0
    """
    n, m = ranks.shape
    if n < 2 or m < 2:
        return float("nan")
    totals = ranks.sum(axis=1)
    spread = ((totals - totals.mean()) ** 2).sum()
    ordered = np.sort(np.ascontiguousarray(ranks.T), axis=1)
    # Tie groups: runs of equal ranks along each rater's sorted ranks; Σ (t³ − t) over runs, all raters at once.
    starts = np.ones(ordered.shape, dtype=bool)
    starts[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    run = np.cumsum(starts.ravel())
    counts = np.bincount(run).astype(float)[1:]
    ties = float((counts**3 - counts).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    return float("nan") if denominator <= 0 else float(12 * spread / denominator)


def _pairs(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    if n * (n - 1) // 2 <= MAX_PAIRS:
        return np.triu_indices(n, k=1)
    i = rng.integers(0, n, size=MAX_PAIRS * 2)
    j = rng.integers(0, n, size=MAX_PAIRS * 2)
    keep = i != j
    return i[keep][:MAX_PAIRS], j[keep][:MAX_PAIRS]


def _reversed_share(reference: np.ndarray, others: np.ndarray, pairs: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    i, j = pairs
    ref = np.sign(reference[i] - reference[j])
    out = np.empty(others.shape[1])
    for start in range(0, others.shape[1], 64):
        block = np.sign(others[i, start : start + 64] - others[j, start : start + 64])
        out[start : start + 64] = (ref[:, None] * block < 0).mean(axis=0)
    return out


def _reached(values: np.ndarray, top: int) -> np.ndarray:
    return np.clip(np.floor(values + _EPS), 1, top)  # NaN stays NaN


def _units(scores: np.ndarray, frame: pd.DataFrame, by: str | None) -> tuple[pd.Index, np.ndarray, np.ndarray]:
    if by is None:
        return frame.index, scores, np.ones(len(frame), dtype=int)
    keys = frame[by].astype("object").where(frame[by].notna(), "<NA>")
    codes, uniques = pd.factorize(keys, sort=True)
    members = np.zeros((len(uniques), len(frame)))
    members[codes, np.arange(len(frame))] = 1.0
    counts = members.sum(axis=1)
    return pd.Index(uniques, name=by), (members @ scores) / counts[:, None], counts.astype(int)


def weight_sensitivity(
    responses: pd.DataFrame,
    rubric: Rubric | str,
    *,
    weights: Sequence[str | Mapping[str, float]] = NAMED,
    n_random: int = 1000,
    by: str | None = None,
    seed: int = 0,
    concentration: float = 50.0,
    min_answered: float = 0.5,
) -> WeightSensitivity:
    """Scores, ranks and levels of enterprises (or sectors) under several dimension weightings.

    Parameters
    ----------
    responses : DataFrame
        Wide responses, as for :func:`dxlab.score`.
    rubric : Rubric or str
    weights : sequence
        Named weightings: ``"rubric"``, ``"equal"``, ``"dbi2021"`` or mappings ``{dimension id: weight}``.
        ``"rubric"`` is always included (it is the reference).
    n_random : int
        Number of Dirichlet-random weightings around the rubric's (0 for none).
    by : str, optional
        A metadata column (e.g. ``"sector"``): rank its groups (a group's score is the mean of its responses'
        overall scores) instead of single responses.
    seed : int
    concentration : float
        Dirichlet concentration ``c``.
    min_answered : float
        As in :func:`dxlab.score`.

    Returns
    -------
    WeightSensitivity

    References
    ----------
    Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis techniques as
    tools for the quality assessment of composite indicators. J. R. Stat. Soc. A 168(2), 307–323.

    Examples
    --------
    >>> import dxlab, pandas as pd
    >>> r = dxlab.load_rubric("mobifone-dx")
    >>> frame = pd.DataFrame({c: [1 + i % 5 for i in range(4)] for c in r.criterion_ids})
    >>> ws = dxlab.stats.weight_sensitivity(frame, r, n_random=0)
    >>> list(ws.scores.columns)
    ['rubric', 'equal', 'dbi2021']
    """
    if isinstance(n_random, bool) or not isinstance(n_random, (int, np.integer)) or n_random < 0:
        raise ValueError(f"n_random must be a whole number ≥ 0, got {n_random!r}")
    if not concentration > 0:
        raise ValueError(f"concentration must be positive, got {concentration!r}")
    if by is not None and by not in responses.columns:
        raise ValueError(f"by={by!r} is not a column of the responses")
    rubric = load_rubric(rubric)
    result = score(responses, rubric, "mean", min_answered=min_answered)
    others = [w for w in weights if not (isinstance(w, str) and w == "rubric")]
    specs: list[str | Mapping[str, float]] = ["rubric", *others]
    names = [w if isinstance(w, str) else f"custom{i}" for i, w in enumerate(specs)]
    named = np.column_stack([_named_weights(rubric, w) for w in specs])
    rng = np.random.default_rng(seed)
    random = rng.dirichlet(concentration * named[:, 0], size=n_random).T if n_random else np.empty((len(named), 0))
    dims = result.dimensions.to_numpy(dtype="float64")
    all_scores = _overall(dims, np.hstack([named, random]), min_answered)
    keep = ~np.isnan(all_scores[:, 0])
    notes = []
    if not keep.all():
        notes.append(note("without_overall_left_out", n=int((~keep).sum())))
    index, unit_scores, counts = _units(all_scores[keep], result.meta.iloc[np.flatnonzero(keep)], by)
    return _summarise(rubric, names, named, unit_scores, counts, index, rng, notes)


def _summarise(
    rubric: Rubric,
    names: list[str],
    named: np.ndarray,
    unit_scores: np.ndarray,
    counts: np.ndarray,
    index: pd.Index,
    rng: np.random.Generator,
    notes: list[str],
) -> WeightSensitivity:
    k = len(names)
    top = max(rubric.level_values)
    ranks = _ranks(unit_scores)
    levels = _reached(unit_scores, top)
    spread = np.ascontiguousarray(ranks[:, k:] if ranks.shape[1] > k else ranks)
    quantiles = np.quantile(spread, [0.025, 0.5, 0.975], axis=1)
    changed = (levels[:, k:] != levels[:, :1]).mean(axis=1) if ranks.shape[1] > k else np.full(len(index), np.nan)
    intervals = pd.DataFrame(
        {
            "unit": index,
            "n": counts,
            "score": unit_scores[:, 0],
            "level": levels[:, 0].astype(int),
            "rank": ranks[:, 0],
            "rank_min": spread.min(axis=1),
            "rank_q025": quantiles[0],
            "rank_median": quantiles[1],
            "rank_q975": quantiles[2],
            "rank_max": spread.max(axis=1),
            "share_level_changed": changed,
        },
        columns=INTERVAL_COLUMNS,
    )
    pairs = _pairs(len(index), rng)
    rows = []
    for j, name in enumerate(names):
        rho = (
            sps.spearmanr(unit_scores[:, 0], unit_scores[:, j], nan_policy="omit").statistic
            if len(index) > 2
            else np.nan
        )
        rows.append(
            _summary_row(name, rho, _exact_reversed(unit_scores[:, 0], unit_scores[:, j]), levels[:, 0], levels[:, j])
        )
    if unit_scores.shape[1] > k:
        rho = _correlation_with_first(ranks, k) if len(index) > 2 else np.array([np.nan])
        reversed_share = _reversed_share(unit_scores[:, 0], unit_scores[:, k:], pairs)
        diff = levels[:, k:] - levels[:, :1]
        rows.append(
            {
                "weighting": "random",
                "spearman_rho": float(np.nanmean(rho)),
                "share_reversed": float(reversed_share.mean()),
                "share_level_changed": float((diff != 0).mean()),
                "share_level_up": float((diff > 0).mean()),
                "share_level_down": float((diff < 0).mean()),
            }
        )

    def frame(values: np.ndarray) -> pd.DataFrame:
        return pd.DataFrame(values[:, :k], index=index, columns=names)

    weightings = pd.DataFrame(named, index=pd.Index([d.id for d in rubric.dimensions], name="dimension"), columns=names)
    return WeightSensitivity(
        weightings,
        frame(unit_scores),
        frame(ranks),
        frame(levels).astype("Int8"),
        intervals,
        pd.DataFrame(rows, columns=SUMMARY_COLUMNS),
        _concordance(unit_scores, ranks),
        tuple(notes),
    )


def _concordance(unit_scores: np.ndarray, ranks: np.ndarray) -> float:
    # A weighting with zero weights can leave a unit unscored; W is over the units every weighting scores.
    complete = ~np.isnan(unit_scores).any(axis=1)
    return kendalls_w(ranks if complete.all() else _ranks(unit_scores[complete]))


def _exact_reversed(reference: np.ndarray, other: np.ndarray) -> float:
    both = ~np.isnan(reference) & ~np.isnan(other)
    reference, other = reference[both], other[both]
    n = len(reference)
    if n < 2:
        return float("nan")
    i, j = np.triu_indices(n, k=1) if n <= 3000 else (None, None)
    if i is not None:
        return float((np.sign(reference[i] - reference[j]) * np.sign(other[i] - other[j]) < 0).mean())
    # Discordant pairs from Kendall's τ-b's counts: n_d = (n_c + n_d − (n_c − n_d)) / 2.
    tau = sps.kendalltau(reference, other, variant="b")
    ties_x = _tied_pairs(reference)
    ties_y = _tied_pairs(other)
    total = n * (n - 1) / 2
    concordant_minus = tau.statistic * np.sqrt((total - ties_x) * (total - ties_y))
    both_tied = _tied_pairs(reference + 1j * other)
    untied = total - ties_x - ties_y + both_tied
    return float((untied - concordant_minus) / 2 / total)


def _correlation_with_first(ranks: np.ndarray, k: int) -> np.ndarray:
    """Pearson r of the first column of ``ranks`` with each column from ``k`` on: Spearman's ρ of the
    rubric's scores with each random weighting's (units left unscored by a weighting are dropped first)."""
    complete = ~np.isnan(ranks).any(axis=1)
    reference = ranks[complete, 0] - ranks[complete, 0].mean()
    others = ranks[complete, k:]
    others = others - others.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (reference @ others) / np.sqrt((reference @ reference) * (others * others).sum(axis=0))


def _summary_row(
    name: str, rho: float, reversed_share: float, reference: np.ndarray, other: np.ndarray
) -> dict[str, object]:
    diff = other - reference
    return {
        "weighting": name,
        "spearman_rho": float(rho),
        "share_reversed": reversed_share,
        "share_level_changed": float((diff != 0).mean()),
        "share_level_up": float((diff > 0).mean()),
        "share_level_down": float((diff < 0).mean()),
    }


def _tied_pairs(values: np.ndarray) -> float:
    _, counts = np.unique(values, return_counts=True)
    return float((counts * (counts - 1) / 2).sum())
