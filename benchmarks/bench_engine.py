"""dxlab against the strongest peer we know for each job, timed interleaved in one process.

Data: synthetic ordinal answers (levels 1–5 from one latent factor with loading 0.75, 30 items, 10 groups
that differ in mean), every item answered so that every peer computes the same numbers (SciPy's
``spearmanr``, pingouin and the plain NumPy formulas have no pairwise deletion). Peers get the data in the
form that suits them best (``int8`` codes for SciPy, R and the NumPy formulas).

Start-up costs are left out on both sides: dxlab runs once on a small input before the timings (imports and
the loading of numba's cached compiled code; the first compile in a fresh install takes tens of seconds, not
timed), and R's time is ``system.time`` inside R, without R's start-up, ``library()`` or reading the data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

import dxlab
import dxlab.stats as st
from dxlab.sample import synthetic_responses

from ._harness import Row, RPeer, compare, r_missing, within

N_ITEMS = 30
N_GROUPS = 10
THRESHOLDS = np.array([-1.0, -0.1, 0.75, 1.6])
ITEMS = [f"Q{j + 1:02d}" for j in range(N_ITEMS)]


def synthetic(n: int, *, seed: int = 2021) -> pd.DataFrame:
    """``n`` rows × 30 ordinal items (Int8, 1–5) driven by one latent factor, plus a 10-level ``group``."""
    rng = np.random.default_rng(seed)
    group = rng.integers(0, N_GROUPS, n)
    latent = rng.normal(size=n) + (group - (N_GROUPS - 1) / 2) * 0.08
    difficulty = rng.normal(0.0, 0.3, N_ITEMS)
    columns = {}
    for j in range(N_ITEMS):
        z = 0.75 * latent + np.sqrt(1 - 0.75 ** 2) * rng.normal(size=n) - difficulty[j]
        columns[ITEMS[j]] = pd.array((np.searchsorted(THRESHOLDS, z) + 1).astype(np.int8), dtype="Int8")
    frame = pd.DataFrame(columns)
    frame["group"] = group
    return frame


def codes_of(frame: pd.DataFrame) -> np.ndarray:
    """Row-major ``int8`` levels, the cheapest form a peer can be handed."""
    return np.column_stack([frame[c].to_numpy(dtype=np.int8) for c in ITEMS])


# -- plain NumPy formulas (the same outputs, written directly) --------------------------------------------------
def numpy_spearman(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ρ and two-sided t-test p of every pair: mid-ranks from level counts, then a Pearson product."""
    n = x.shape[0]
    ranks = np.empty(x.shape, dtype=np.float64)
    for j in range(x.shape[1]):
        counts = np.bincount(x[:, j], minlength=6).astype(np.float64)
        midrank = np.cumsum(counts) - (counts - 1.0) / 2.0
        ranks[:, j] = midrank[x[:, j]]
    ranks -= (n + 1) / 2.0
    cross = ranks.T @ ranks
    spread = np.sqrt(np.diag(cross))
    r = np.clip(cross / np.outer(spread, spread), -1, 1)
    iu = np.triu_indices(x.shape[1], 1)
    rho = r[iu]
    with np.errstate(divide="ignore"):
        t = rho * np.sqrt((n - 2) / (1.0 - rho * rho))
    return rho, 2 * sps.t.sf(np.abs(t), n - 2)


def numpy_kruskal(x: np.ndarray, group: np.ndarray) -> np.ndarray:
    """H of every item (tie-corrected) from one ``bincount`` of group × level per item."""
    n = x.shape[0]
    out = np.empty(x.shape[1])
    n_g = np.bincount(group, minlength=N_GROUPS).astype(np.float64)
    for j in range(x.shape[1]):
        table = np.bincount(group * 6 + x[:, j], minlength=N_GROUPS * 6).reshape(N_GROUPS, 6).astype(np.float64)
        totals = table.sum(axis=0)
        midrank = np.cumsum(totals) - (totals - 1.0) / 2.0
        rank_sums = table @ midrank
        h = 12.0 / (n * (n + 1.0)) * np.sum(rank_sums ** 2 / n_g) - 3.0 * (n + 1.0)
        out[j] = h / (1.0 - np.sum(totals ** 3 - totals) / (n ** 3 - n))
    return out


def numpy_alpha(x: np.ndarray) -> np.ndarray:
    """α, Feldt 95 % CI, α if item deleted and corrected item–total r from one covariance matrix."""
    n, k = x.shape
    cov = np.cov(x, rowvar=False)
    total = cov.sum()
    alpha = k / (k - 1) * (1 - np.trace(cov) / total)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * sps.f.ppf(0.975, df1, df2)
    high = 1 - (1 - alpha) * sps.f.ppf(0.025, df1, df2)
    row_sums = cov.sum(axis=1)
    diag = np.diag(cov)
    rest_total = total - 2 * row_sums + diag
    rest_trace = np.trace(cov) - diag
    drop = (k - 1) / (k - 2) * (1 - rest_trace / rest_total)
    item_total = (row_sums - diag) / np.sqrt(diag * rest_total)
    return np.concatenate([[alpha, low, high], drop, item_total])


def dxlab_alpha(frame: pd.DataFrame) -> np.ndarray:
    scale = st.reliability(frame, ITEMS)
    items = st.item_analysis(frame, ITEMS)
    return np.concatenate([scale[["alpha", "ci_low", "ci_high"]].to_numpy()[0],
                           items["alpha_if_deleted"].to_numpy(), items["item_total_r"].to_numpy()])


def dxlab_scale_alpha(frame: pd.DataFrame) -> np.ndarray:
    return st.reliability(frame, ITEMS)[["alpha", "ci_low", "ci_high"]].to_numpy()[0]


def dxlab_item_statistics(frame: pd.DataFrame) -> np.ndarray:
    items = st.item_analysis(frame, ITEMS)
    return np.concatenate([items["alpha_if_deleted"].to_numpy(), items["item_total_r"].to_numpy()])


def numpy_scores(frame: pd.DataFrame, rubric: Any, min_answered: float = 0.5) -> np.ndarray:
    """Overall 'mean' scores: weighted means of answered criteria, then of groups, then of dimensions."""
    values = frame[list(rubric.criterion_ids)].to_numpy(dtype=np.float64, na_value=np.nan)
    low, high = min(rubric.level_values), max(rubric.level_values)
    for criterion in getattr(rubric, "reverse_items", ()):  # reverse-keyed: scored as low + high − answer
        j = list(rubric.criterion_ids).index(criterion)
        values[:, j] = low + high - values[:, j]

    def level(values: np.ndarray, blocks: list[list[tuple[int, float]]]) -> np.ndarray:
        present = ~np.isnan(values)
        filled = np.where(present, values, 0.0)
        out = np.full((values.shape[0], len(blocks)), np.nan)
        for b, members in enumerate(blocks):
            idx = [i for i, _ in members]
            w = np.array([w for _, w in members])
            answered = present[:, idx].sum(axis=1)
            den = present[:, idx] @ w
            ok = (answered >= max(min_answered * len(idx) - 1e-9, 0.5))
            np.divide(filled[:, idx] @ w, den, out=out[:, b], where=ok)
        return out

    position = {c: i for i, c in enumerate(rubric.criterion_ids)}
    groups = [g for d in rubric.dimensions for g in d.groups]
    grp = level(values, [[(position[c.id], c.weight) for c in g.criteria] for g in groups])
    g_pos = {id(g): i for i, g in enumerate(groups)}
    dims = level(grp, [[(g_pos[id(g)], g.weight) for g in d.groups] for d in rubric.dimensions])
    return level(dims, [[(i, d.weight) for i, d in enumerate(rubric.dimensions)]])[:, 0]


# -- the best pair-table kernel we know (written here, independently of dxlab) ---------------------------------
def reference_kernel() -> Callable[[np.ndarray, int], np.ndarray]:
    from numba import njit, prange

    @njit(parallel=True, cache=False)
    def tables(codes: np.ndarray, n_levels: int) -> np.ndarray:  # codes: (items, rows) int8, no missing
        k, n = codes.shape
        out = np.zeros((k, k, n_levels, n_levels), dtype=np.int64)
        for p in prange(k * k):
            i, j = p // k, p % k
            if j < i:
                continue
            x, y = codes[i], codes[j]
            for r in range(n):
                out[i, j, x[r], y[r]] += 1
        return out

    return tables


def big_scoring_frame(rubric: Any, n: int) -> pd.DataFrame:
    small = synthetic_responses(rubric, n=10_000, seed=1)
    return pd.concat([small] * -(-n // len(small)), ignore_index=True).iloc[:n].copy()


def cases(quick: bool) -> list[Row]:
    """Every row of the table; ``quick`` uses 100,000 rows instead of 1,000,000 and skips slow R runs."""
    big = 100_000 if quick else 1_000_000
    runs = 3 if quick else 5
    r_runs = 1 if quick else 3
    rows: list[Row] = []
    small, medium, large = synthetic(10_000), synthetic(100_000), synthetic(big)
    x_small, x_medium, x_large = codes_of(small), codes_of(medium), codes_of(large)
    group = large["group"].to_numpy()
    iu, ju = np.triu_indices(N_ITEMS, 1)
    st.correlations(small, ITEMS[:3], method="polychoric")  # imports and compiled-kernel loading out of the timings

    # pair tables: dxlab's compiled kernel against the best kernel we know, and against its own NumPy path
    from dxlab.stats._tables import encode, pair_tables

    enc = encode(large, ITEMS)
    kernel = reference_kernel()
    by_item = np.ascontiguousarray(x_large.T - 1)
    kernel(by_item[:, :100].copy(), 5)

    def tables_match(ours: np.ndarray, peer: np.ndarray) -> tuple[str, bool]:
        upper = np.einsum("iajb->ijab", ours)[iu, ju]
        same = np.array_equal(upper, peer[iu, ju])
        return ("identical" if same else "DIFFERENT"), same

    rows.append(compare("all 435 pair tables, 30 items", big, lambda: pair_tables(enc),
                        "numba loop per pair (best kernel before)", lambda: kernel(by_item, 5),
                        tables_match, runs=runs, target=1 / 1.3))
    rows.append(compare("  (straw man) dxlab's NumPy one-hot GEMM", big, lambda: pair_tables(enc),
                        "dxlab pair_tables(engine='numpy')", lambda: pair_tables(enc, engine="numpy"),
                        within(0.0, "max |Δcount|"), runs=runs, target=None))

    # polychoric
    reason = r_missing("psych", "lavaan")
    for frame, codes, peer_what, peer_name, target, n_runs in (
            (small, x_small, "lavcor", "R lavaan::lavCor", 100.0, runs),
            (small, x_small, "polychoric", "R psych::polychoric", None, runs),
            (large, x_large, "polychoric", "R psych::polychoric", 50.0, r_runs)):
        reason_here: str | None = reason or ("skipped: quick run" if quick and frame is large else None)
        peer = None if reason_here else RPeer(codes, peer_what)

        def ours_polychoric(frame: pd.DataFrame = frame) -> np.ndarray:
            return st.correlation_matrix(frame, ITEMS, method="polychoric").to_numpy()

        rows.append(compare("polychoric 30 × 30", len(frame), ours_polychoric, peer_name, peer,
                            within(2e-3, "max |Δr|"), runs=n_runs, target=target,
                            skipped=reason_here or ""))
        if peer is not None:
            peer.close()

    # Spearman with p-values
    def ours_spearman() -> np.ndarray:
        table = st.correlations(large, ITEMS, method="spearman")
        return np.concatenate([table["r"].to_numpy(), table["p"].to_numpy()])

    def scipy_spearman() -> np.ndarray:
        result = sps.spearmanr(x_large)
        return np.concatenate([result.statistic[iu, ju], result.pvalue[iu, ju]])

    rows.append(compare("Spearman ρ + p, 30 items", big, ours_spearman, "NumPy mid-rank formula",
                        lambda: np.concatenate(numpy_spearman(x_large)), within(1e-10), runs=runs, target=1))
    rows.append(compare("Spearman ρ + p, 30 items", big, ours_spearman, "scipy.stats.spearmanr (int8 codes)",
                        scipy_spearman, within(1e-10), runs=runs, target=2))

    # Kendall τ-b
    def ours_kendall() -> np.ndarray:
        return st.correlations(medium, ITEMS, method="kendall")["r"].to_numpy()

    def scipy_kendall() -> np.ndarray:
        return np.array([sps.kendalltau(x_medium[:, i], x_medium[:, j]).statistic for i, j in zip(iu, ju)])

    rows.append(compare("Kendall τ-b, 30 items", len(medium), ours_kendall, "scipy.stats.kendalltau (loop)",
                        scipy_kendall, within(1e-10), runs=min(runs, 3), target=2))

    # Kruskal–Wallis
    def ours_kruskal() -> np.ndarray:
        return st.compare_groups(large, ITEMS, by="group", n_boot=0)["H"].to_numpy()

    def scipy_kruskal() -> np.ndarray:
        return np.array([sps.kruskal(*[x_large[group == g, j] for g in range(N_GROUPS)]).statistic
                         for j in range(N_ITEMS)])

    same_h = relative(1e-9)
    rows.append(compare("Kruskal–Wallis H, 30 items × 10 groups", big, ours_kruskal, "NumPy bincount formula",
                        lambda: numpy_kruskal(x_large, group), same_h, runs=runs, target=1))
    polars_peer = _polars_kruskal(x_large, group)
    rows.append(compare("Kruskal–Wallis H, 30 items × 10 groups", big, ours_kruskal,
                        "polars rank + group_by", polars_peer, same_h, runs=runs, target=2,
                        skipped="polars not installed"))
    rows.append(compare("Kruskal–Wallis H, 30 items × 10 groups", big, ours_kruskal, "scipy.stats.kruskal (loop)",
                        scipy_kruskal, same_h, runs=runs, target=2))

    # α, CI, α if deleted, item–total r: each row compares the same outputs on both sides
    floats = large[ITEMS].astype(np.float64)
    rows.append(compare("α-drop + item–total r (item_analysis)", big, lambda: dxlab_item_statistics(large),
                        "NumPy covariance formula (same outputs)",
                        lambda: numpy_alpha(x_large.astype(np.float64))[3:], within(1e-9), runs=runs, target=1))
    rows.append(compare("α + Feldt CI (reliability)", big, lambda: dxlab_scale_alpha(large),
                        "pingouin.cronbach_alpha (α + CI)", pingouin_alpha(floats),
                        within(1e-3, "max |Δ| (3 dp)"), runs=runs, target=2, skipped="pingouin not installed"))
    reason = r_missing("psych") or ("skipped: quick run" if quick else None)
    peer = None if reason else RPeer(x_large, "alpha")
    rows.append(compare("α + CI + α-drop + item–total r", big, lambda: dxlab_alpha(large)[:1],
                        "R psych::alpha", peer, within(1e-9, "|Δα|"), runs=r_runs, target=2, skipped=reason or ""))
    if peer is not None:
        peer.close()

    # scoring
    rubric = dxlab.load_rubric("mobifone-dx")
    responses = big_scoring_frame(rubric, big)
    rows.append(compare(f"score 'mean', {len(rubric.criterion_ids)} criteria", big,
                        lambda: dxlab.score(responses, rubric, scheme="mean").overall["score"].to_numpy(),
                        "NumPy weighted means (same hierarchy)", lambda: numpy_scores(responses, rubric),
                        within(1e-12), runs=runs, target=1))
    return rows


def _polars_kruskal(x: np.ndarray, group: np.ndarray) -> Callable[[], np.ndarray] | None:
    try:
        import polars as pl
    except ImportError:
        return None
    frame = pl.DataFrame({**{ITEMS[j]: x[:, j] for j in range(N_ITEMS)}, "group": group})
    n = x.shape[0]

    def run() -> np.ndarray:
        ranked = frame.select([pl.col(c).rank("average").alias(c) for c in ITEMS] + [pl.col("group")])
        sums = ranked.group_by("group").agg([pl.col(c).sum() for c in ITEMS] + [pl.len().alias("n")])
        n_g = sums["n"].to_numpy().astype(np.float64)
        ties = frame.select([(pl.col(c).value_counts().struct.field("count").cast(pl.Float64) ** 3
                              - pl.col(c).value_counts().struct.field("count").cast(pl.Float64)).sum().alias(c)
                             for c in ITEMS]).to_numpy()[0]
        out = np.empty(N_ITEMS)
        for j, c in enumerate(ITEMS):
            r = sums[c].to_numpy()
            h = 12.0 / (n * (n + 1.0)) * np.sum(r ** 2 / n_g) - 3.0 * (n + 1.0)
            out[j] = h / (1.0 - ties[j] / (n ** 3 - n))
        return out

    return run


def relative(tolerance: float) -> Callable[[Any, Any], tuple[str, bool]]:
    def check(ours: Any, peer: Any) -> tuple[str, bool]:
        ours, peer = np.asarray(ours, dtype=float), np.asarray(peer, dtype=float)
        difference = float(np.max(np.abs(ours - peer) / np.abs(peer)))
        return f"max rel |ΔH| {difference:.0e}", difference <= tolerance
    return check


def pingouin_alpha(floats: pd.DataFrame) -> Callable[[], np.ndarray] | None:
    try:
        import pingouin
    except ImportError:
        return None

    def run() -> np.ndarray:
        alpha, ci = pingouin.cronbach_alpha(floats)
        return np.r_[alpha, ci]

    return run
