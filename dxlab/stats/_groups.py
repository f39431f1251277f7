"""Group comparisons from value × group tables: Kruskal–Wallis with ε², Dunn's post-hoc, Mann–Whitney.

Why our own: ``scipy.stats.kruskal`` ranks all rows again for every column and gives no effect size;
pingouin has no effect size for Kruskal–Wallis and no Dunn test. Ranks of an ordinal value depend only on
how many rows hold each value, so everything here comes from the value × group table: mid-ranks from the
column margins, rank sums per group as a matrix–vector product. A million rows cost one ``bincount``.

* Kruskal–Wallis H = [12/(N(N+1)) Σ R_g²/n_g − 3(N+1)] / [1 − Σ(t³ − t)/(N³ − N)] on G − 1 df
  (tie-corrected, as ``scipy.stats.kruskal``); ε² = H/(N − 1) = H/((N² − 1)/(N + 1)) (Tomczak & Tomczak
  2014). Its interval is a percentile bootstrap over rows — and resampling rows with replacement is a
  multinomial draw of the value × group table, so thousands of replicates cost a few table draws.
* Dunn (1964): z = (R̄_a − R̄_b)/√([N(N+1)/12 − Σ(t³ − t)/(12(N − 1))]·(1/n_a + 1/n_b)), two-sided p,
  adjusted over all pairs.
* Mann–Whitney U of group a (pairs with a > b, ties counting ½), two-sided p from the normal
  approximation with tie correction and continuity correction (``scipy.stats.mannwhitneyu(...,
  method="asymptotic")``, R's ``wilcox.test`` with ties); rank-biserial r = 2U/(n_a n_b) − 1 (Glass 1965)
  and Cliff's δ = P(a > b) − P(a < b) (Cliff 1993). For two independent groups the two are the same
  number (Kerby 2014); both names are given because readers look for either.

Values may be any numbers (levels, scores): they are tabulated on their distinct values.

References
----------
Dunn, O. J. (1964). Multiple comparisons using rank sums. *Technometrics*, 6, 241–252.
Tomczak, M. & Tomczak, E. (2014). The need to report effect size estimates revisited. *Trends in Sport
Sciences*, 21, 19–25.
Cliff, N. (1993). Dominance statistics. *Psychological Bulletin*, 114, 494–509.
Kerby, D. S. (2014). The simple difference formula. *Comprehensive Psychology*, 3, 11.IT.3.1.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._adjust import adjust_pvalues, check_adjust
from ._common import SMALL_GROUP, check_confidence, join_notes
from ._source import as_frame_or_source
from ._tables import Groups, encode_groups, resolve_items, value_tables

__all__ = ["compare_groups", "posthoc", "compare_two", "value_group_table", "kruskal_from_tables"]

GROUP_COLUMNS = ["value", "n", "groups", "H", "dof", "p", "epsilon_sq", "ci_low", "ci_high", "note"]
POSTHOC_COLUMNS = ["value", "group_a", "group_b", "n_a", "n_b", "mean_rank_a", "mean_rank_b", "z", "p", "p_adj",
                   "note"]
TWO_COLUMNS = ["value", "group_a", "group_b", "n_a", "n_b", "U", "z", "p", "rank_biserial", "cliffs_delta",
               "note"]
_MAX_INTEGER_SPAN = 100_000


def _numeric(data: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    series = data[column]
    if isinstance(series.dtype, pd.CategoricalDtype):
        if not series.cat.ordered:
            raise ValueError(f"column {column!r} is an unordered categorical; ranks need an order")
        codes = series.cat.codes.to_numpy()
        return codes.astype(float), codes < 0
    if not (pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_bool_dtype(series.dtype)):
        raise ValueError(f"column {column!r} holds {series.dtype} values; compare numbers or levels")
    dtype = getattr(series.dtype, "numpy_dtype", series.dtype)
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        dtype = np.dtype(np.int64) if dtype.kind == "b" else dtype
        missing = np.asarray(pd.isna(series.array), dtype=bool)
        values = series.array.to_numpy(dtype=dtype, na_value=0) if missing.any() else \
            series.array.to_numpy(dtype=dtype)
        return values, missing
    values = series.to_numpy(dtype=float, na_value=np.nan)
    missing = ~np.isfinite(values)
    return values, missing


def value_group_table(values: np.ndarray, missing: np.ndarray, group_codes: np.ndarray, n_groups: int,
                      bases: dict[tuple[int, int], np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Table ``T[g, u]`` of rows in group ``g`` with the ``u``-th distinct value, and the distinct values.

    Integer values are counted with one ``bincount`` of ``g·span + value``; other numbers are first
    replaced by the position of their distinct value. ``bases`` caches ``g·span − low`` between columns.
    """
    valid = ~missing & (group_codes >= 0)
    everything = bool(valid.all())
    if not valid.any():
        return np.zeros((n_groups, 0)), np.zeros(0)
    v = values if everything else values[valid]
    g = group_codes if everything else group_codes[valid]
    if v.dtype.kind in "iu":
        low, high = int(v.min()), int(v.max())
        if high - low <= _MAX_INTEGER_SPAN:
            span = high - low + 1
            # g·span − low is the same for every complete column with the same levels: compute it once
            key = (span, low)
            base = bases.get(key) if everything and bases is not None else None
            if base is None:
                base = g * span - low
                if everything and bases is not None:
                    bases[key] = base
            flat = base + v
            counts = np.bincount(flat, minlength=n_groups * span).reshape(n_groups, span)
            used = counts.sum(axis=0) > 0
            return counts[:, used].astype(float), np.arange(low, high + 1)[used].astype(float)
    uniques, inverse = np.unique(v, return_inverse=True)
    counts = np.bincount(g * uniques.size + inverse, minlength=n_groups * uniques.size)
    return counts.reshape(n_groups, uniques.size).astype(float), uniques.astype(float)


def _ranks(column_totals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mid-ranks of the distinct values and the tie term Σ(t³ − t)."""
    below = np.cumsum(column_totals, axis=-1) - column_totals
    ranks = below + (column_totals + 1.0) / 2.0
    ties = (column_totals ** 3 - column_totals).sum(axis=-1)
    return ranks, ties


def kruskal_from_tables(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H and the number of non-empty groups for tables ``(..., G, U)`` (vectorised over replicates)."""
    n_g = tables.sum(axis=-1)
    totals = tables.sum(axis=-2)
    n = totals.sum(axis=-1)
    ranks, ties = _ranks(totals)
    rank_sums = np.einsum("...gu,...u->...g", tables, ranks)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(n_g > 0, rank_sums ** 2 / np.where(n_g > 0, n_g, 1.0), 0.0).sum(axis=-1)
        h = 12.0 / (n * (n + 1.0)) * term - 3.0 * (n + 1.0)
        correction = 1.0 - ties / (n ** 3 - n)
        h = np.where(correction > 0, h / correction, np.nan)
    return h, (n_g > 0).sum(axis=-1)


def _group_notes(n_g: np.ndarray, labels: list[str]) -> str:
    small = [f"{label} ({int(count)})" for label, count in zip(labels, n_g) if 0 < count < SMALL_GROUP]
    if small:
        return f"group(s) with fewer than {SMALL_GROUP} members: {', '.join(small)}"
    return ""


def _bootstrap_epsilon(table: np.ndarray, n_boot: int, confidence: float, rng: np.random.Generator
                       ) -> tuple[float, float]:
    n = int(table.sum())
    probabilities = (table / n).ravel()
    cells = probabilities.size
    per_chunk = max(1, min(n_boot, 4_000_000 // max(cells, 1)))
    estimates = []
    done = 0
    while done < n_boot:
        size = min(per_chunk, n_boot - done)
        draws = rng.multinomial(n, probabilities, size=size).reshape(size, *table.shape).astype(float)
        h, _ = kruskal_from_tables(draws)
        estimates.append(h / (n - 1.0))
        done += size
    values = np.concatenate(estimates)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.nan, np.nan
    tail = (1.0 - confidence) / 2.0
    low, high = np.quantile(values, [tail, 1.0 - tail])
    return float(low), float(high)


def _resolve_values(data: pd.DataFrame, values: Any) -> list[str]:
    return resolve_items(data, values, what="values")


def compare_groups(data: pd.DataFrame, values: Any, by: str | list[str], *, n_boot: int = 2000,
                   confidence: float = 0.95, seed: int | None = 0) -> pd.DataFrame:
    """Kruskal–Wallis test of each value column across the groups of ``by``, with ε² and its interval.

    Parameters
    ----------
    data : DataFrame
    values : str, list of str or Rubric
        Columns to compare (levels or scores); a rubric means all its criteria.
    by : str or list of str
        Grouping column(s); rows with a missing group or value are left out (per value column).
    n_boot : int
        Bootstrap replicates for the ε² interval (0 skips it).
    confidence : float
        Level of the interval.
    seed : int or None
        Seed of the bootstrap; fixed by default so a report reads the same every time it is run.

    Returns
    -------
    DataFrame
        ``value, n, groups, H, dof, p, epsilon_sq, ci_low, ci_high, note`` — ``groups`` counts the groups
        with at least one answer; ``note`` flags groups smaller than 5 and tests that cannot be run.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=600, seed=1)
    >>> table = dxlab.stats.compare_groups(data, ["CUS.ENG.1", "CUS.EXP.2"], by="sector")
    >>> table.columns.tolist()[:6]
    ['value', 'n', 'groups', 'H', 'dof', 'p']
    """
    data = as_frame_or_source(data)
    confidence = check_confidence(confidence)
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number ≥ 0, not {n_boot!r}")
    names = _resolve_values(data, values)
    groups = encode_groups(data, by)
    labels = groups.labels
    rng = np.random.default_rng(seed)
    bases: dict[tuple[int, int], np.ndarray] = {}
    rows = []
    prebuilt = value_tables(data, names, groups)  # columns of levels: all tables from one compiled pass
    for name in names:
        if name in prebuilt:
            table = prebuilt[name]
        else:
            numbers, missing = _numeric(data, name)
            table, _ = value_group_table(numbers, missing, groups.codes, groups.n_groups, bases)
        n_g = table.sum(axis=1)
        n = float(n_g.sum())
        used = int((n_g > 0).sum())
        record: dict[str, Any] = {"value": name, "n": int(n), "groups": used, "H": np.nan, "dof": np.nan,
                                  "p": np.nan, "epsilon_sq": np.nan, "ci_low": np.nan, "ci_high": np.nan}
        note = _group_notes(n_g, labels)
        if used < 2:
            note = join_notes("fewer than 2 groups with answers: no test", note)
        elif table.shape[1] < 2:
            note = join_notes("all values are equal: no test", note)
        else:
            h, _ = kruskal_from_tables(table)
            h = float(h)
            dof = used - 1
            epsilon = h / (n - 1.0)
            record.update(H=h, dof=dof, p=float(sps.chi2.sf(h, dof)), epsilon_sq=epsilon)
            if n_boot:
                low, high = _bootstrap_epsilon(table, n_boot, confidence, rng)
                record.update(ci_low=low, ci_high=high)
        record["note"] = note
        rows.append(record)
    frame = pd.DataFrame(rows, columns=GROUP_COLUMNS)
    frame["dof"] = frame["dof"].astype("Int64")
    return frame


def posthoc(data: pd.DataFrame, value: str, by: str | list[str], *, adjust: str = "holm") -> pd.DataFrame:
    """Dunn's test for every pair of groups on one value column, with adjusted p-values.

    Parameters
    ----------
    data : DataFrame
    value : str
        The column compared (levels or scores).
    by : str or list of str
        Grouping column(s).
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}

    Returns
    -------
    DataFrame
        ``value, group_a, group_b, n_a, n_b, mean_rank_a, mean_rank_b, z, p, p_adj, note``; z > 0 means
        group a ranks higher. Ranks are over all groups together (Dunn 1964).

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=600, seed=1)
    >>> dxlab.stats.posthoc(data, "CUS.ENG.1", by="size").shape[0]  # 4 sizes → 6 pairs
    6
    """
    adjust = check_adjust(adjust)
    if not isinstance(value, str):
        raise ValueError("posthoc compares one value column; pass its name")
    _resolve_values(data, [value])
    groups = encode_groups(data, by)
    numbers, missing = _numeric(data, value)
    table, _ = value_group_table(numbers, missing, groups.codes, groups.n_groups)
    n_g = table.sum(axis=1)
    totals = table.sum(axis=0)
    n = totals.sum()
    ranks, ties = _ranks(totals)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_rank = np.where(n_g > 0, table @ ranks / n_g, np.nan)
        variance = n * (n + 1.0) / 12.0 - ties / (12.0 * (n - 1.0))
    labels = groups.labels
    rows = []
    for a in range(groups.n_groups):
        for b in range(a + 1, groups.n_groups):
            note = ""
            with np.errstate(invalid="ignore", divide="ignore"):
                se = np.sqrt(variance * (1.0 / n_g[a] + 1.0 / n_g[b]))
                z = (mean_rank[a] - mean_rank[b]) / se
            if n_g[a] == 0 or n_g[b] == 0:
                note = "a group has no answers"
                z = np.nan
            elif not np.isfinite(z):
                note = "all values are equal: no test"
                z = np.nan
            small = [labels[g] for g in (a, b) if 0 < n_g[g] < SMALL_GROUP]
            if small:
                note = join_notes(note, f"fewer than {SMALL_GROUP} members: {', '.join(small)}")
            rows.append({"value": value, "group_a": labels[a], "group_b": labels[b], "n_a": int(n_g[a]),
                         "n_b": int(n_g[b]), "mean_rank_a": mean_rank[a], "mean_rank_b": mean_rank[b],
                         "z": z, "p": 2.0 * sps.norm.sf(abs(z)) if np.isfinite(z) else np.nan, "note": note})
    frame = pd.DataFrame(rows, columns=[c for c in POSTHOC_COLUMNS if c != "p_adj"])
    frame.insert(9, "p_adj", adjust_pvalues(frame["p"].to_numpy(dtype=float), adjust) if len(frame) else [])
    return frame


def _pick_two(groups: Groups, chosen: Any) -> tuple[int, int]:
    labels = groups.labels
    if chosen is None:
        if groups.n_groups != 2:
            raise ValueError(f"by has {groups.n_groups} groups ({', '.join(labels)}); pass groups=(a, b) to "
                             f"choose two")
        return 0, 1
    chosen = list(chosen)
    if len(chosen) != 2:
        raise ValueError(f"groups must name exactly two groups, got {chosen}")
    keys = [tuple(row) for row in groups.keys.itertuples(index=False)]
    picks = []
    for wanted in chosen:
        key = tuple(wanted) if isinstance(wanted, tuple) else (wanted,)
        matches = [i for i, k in enumerate(keys) if k == key or labels[i] == str(wanted)]
        if not matches:
            raise ValueError(f"group {wanted!r} is not in the data; groups are {', '.join(labels)}")
        picks.append(matches[0])
    return picks[0], picks[1]


def compare_two(data: pd.DataFrame, values: Any, by: str | list[str], *, groups: Any = None) -> pd.DataFrame:
    """Mann–Whitney U test between two groups for each value column, with rank-biserial r and Cliff's δ.

    Parameters
    ----------
    data : DataFrame
    values : str, list of str or Rubric
        Columns to compare.
    by : str or list of str
        Grouping column(s) with exactly two groups, or any number with ``groups=(a, b)``.
    groups : pair, optional
        The two groups to compare, in the order (a, b).

    Returns
    -------
    DataFrame
        ``value, group_a, group_b, n_a, n_b, U, z, p, rank_biserial, cliffs_delta, note``; positive effects
        mean group a tends to be higher.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=600, seed=1)
    >>> row = dxlab.stats.compare_two(data, "CUS.ENG.1", by="size", groups=("micro", "large")).iloc[0]
    >>> bool(row["cliffs_delta"] < 0)
    True
    """
    names = _resolve_values(data, values)
    encoded = encode_groups(data, by)
    a, b = _pick_two(encoded, groups)
    labels = encoded.labels
    rows = []
    for name in names:
        numbers, missing = _numeric(data, name)
        table, _ = value_group_table(numbers, missing, encoded.codes, encoded.n_groups)
        pair = table[[a, b]]
        pair = pair[:, pair.sum(axis=0) > 0]
        n_a, n_b = pair.sum(axis=1)
        note = ""
        record: dict[str, Any] = {"value": name, "group_a": labels[a], "group_b": labels[b], "n_a": int(n_a),
                                  "n_b": int(n_b), "U": np.nan, "z": np.nan, "p": np.nan,
                                  "rank_biserial": np.nan, "cliffs_delta": np.nan}
        if n_a == 0 or n_b == 0:
            note = "a group has no answers: no test"
        else:
            below_b = np.cumsum(pair[1]) - pair[1]
            u = float(pair[0] @ (below_b + pair[1] / 2.0))
            product = n_a * n_b
            delta = 2.0 * u / product - 1.0
            n = n_a + n_b
            _, ties = _ranks(pair.sum(axis=0))
            sigma = np.sqrt(product / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0))))
            mean_u = product / 2.0
            if sigma > 0:
                z = (u - mean_u - np.sign(u - mean_u) * 0.5) / sigma
                p = float(min(1.0, 2.0 * sps.norm.sf(abs(z))))
            else:
                z, p = np.nan, np.nan
                note = "all values are equal: no test"
            record.update(U=u, z=z, p=p, rank_biserial=delta, cliffs_delta=delta)
        small = [labels[g] for g, count in ((a, n_a), (b, n_b)) if 0 < count < SMALL_GROUP]
        if small:
            note = join_notes(note, f"fewer than {SMALL_GROUP} members: {', '.join(small)}")
        record["note"] = note
        rows.append(record)
    return pd.DataFrame(rows, columns=TWO_COLUMNS)
