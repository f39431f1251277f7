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
  method="asymptotic")``, R's ``wilcox.test`` with ties); without ties and both groups under 50 the exact
  p-value (R's default; ``exact=``). The effect size is Cliff's δ = P(a > b) − P(a < b) (Cliff 1993),
  reported once: for two independent groups it *is* the rank-biserial correlation 2U/(n_a n_b) − 1
  (Glass 1965; Kerby 2014). Its interval is Cliff's (1996) consistent one:
  s² = (n_b² Σᵢ(d̄ᵢ. − δ)² + n_a² Σⱼ(d̄.ⱼ − δ)² − Σᵢⱼ(dᵢⱼ − δ)²)/(n_a n_b (n_a − 1)(n_b − 1)) with
  dᵢⱼ = sign(aᵢ − bⱼ), and the asymmetric bounds (δ − δ³ ∓ z s √((1 − δ²)² + z² s²))/(1 − δ² + z² s²).
* Jonckheere–Terpstra (Jonckheere 1954) for groups in a stated order: J = Σ_{g<h} U_{gh} (ties counting ½),
  E J = (N² − Σn_g²)/4 and the tie-corrected variance of Hollander & Wolfe (1999, eq. 6.19); z = (J − EJ)/√V.

Values may be any numbers (levels, scores): they are tabulated on their distinct values.

References
----------
Dunn, O. J. (1964). Multiple comparisons using rank sums. *Technometrics*, 6, 241–252.
Tomczak, M. & Tomczak, E. (2014). The need to report effect size estimates revisited. *Trends in Sport
Sciences*, 21, 19–25.
Cliff, N. (1993). Dominance statistics. *Psychological Bulletin*, 114, 494–509.
Kerby, D. S. (2014). The simple difference formula. *Comprehensive Psychology*, 3, 11.IT.3.1.
Cliff, N. (1996). Answering ordinal questions with ordinal data using ordinal statistics. *Multivariate
Behavioral Research*, 31, 331–350.
Jonckheere, A. R. (1954). A distribution-free k-sample test against ordered alternatives. *Biometrika*, 41,
133–145. Hollander, M. & Wolfe, D. A. (1999). *Nonparametric Statistical Methods* (2nd ed.). Wiley.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as sps
from scipy.special import ndtri

from ._adjust import adjust_pvalues, check_adjust
from ._common import (
    SMALL_GROUP,
    _outside_levels,
    check_columns,
    check_confidence,
    encode_items,
    join_notes,
    renamed_arguments,
)
from ._common import note as _note
from ._exact import MANN_WHITNEY_EXACT_MAX_N, mann_whitney_exact_p
from ._source import as_frame_or_source, is_source
from ._tables import Groups, encode_groups, resolve_items, resolve_levels, value_tables

__all__ = [
    "cliffs_delta_interval",
    "compare_groups",
    "compare_two",
    "jonckheere",
    "kruskal_from_tables",
    "posthoc",
    "value_group_table",
]

GROUP_COLUMNS = ["item", "n", "groups", "H", "dof", "p", "p_adj", "epsilon_sq", "ci_low", "ci_high", "eta_sq", "note"]
POSTHOC_COLUMNS = ["item", "group_a", "group_b", "n_a", "n_b", "mean_rank_a", "mean_rank_b", "z", "p", "p_adj", "note"]
TWO_COLUMNS = [
    "item",
    "group_a",
    "group_b",
    "n_a",
    "n_b",
    "U",
    "z",
    "p",
    "p_adj",
    "cliffs_delta",
    "ci_low",
    "ci_high",
    "method",
    "note",
]
JT_COLUMNS = ["item", "n", "groups", "order", "J", "mean_J", "z", "p", "p_adj", "note"]
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
        values = series.array.to_numpy(dtype=dtype, na_value=0) if missing.any() else series.array.to_numpy(dtype=dtype)
        return values, missing
    values = series.to_numpy(dtype=float, na_value=np.nan)
    missing = ~np.isfinite(values)
    return values, missing


def value_group_table(
    values: np.ndarray,
    missing: np.ndarray,
    group_codes: np.ndarray,
    n_groups: int,
    bases: dict[tuple[int, int], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
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
    ties = (column_totals**3 - column_totals).sum(axis=-1)
    return ranks, ties


def kruskal_from_tables(tables: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """H and the number of non-empty groups for tables ``(..., G, U)`` (vectorised over replicates)."""
    n_g = tables.sum(axis=-1)
    totals = tables.sum(axis=-2)
    n = totals.sum(axis=-1)
    ranks, ties = _ranks(totals)
    rank_sums = np.einsum("...gu,...u->...g", tables, ranks)
    with np.errstate(invalid="ignore", divide="ignore"):
        term = np.where(n_g > 0, rank_sums**2 / np.where(n_g > 0, n_g, 1.0), 0.0).sum(axis=-1)
        h = 12.0 / (n * (n + 1.0)) * term - 3.0 * (n + 1.0)
        correction = 1.0 - ties / (n**3 - n)
        h = np.where(correction > 0, h / correction, np.nan)
    return h, (n_g > 0).sum(axis=-1)


def _group_notes(n_g: np.ndarray, labels: list[str]) -> str:
    small = [f"{label} ({int(count)})" for label, count in zip(labels, n_g) if 0 < count < SMALL_GROUP]
    if small:
        return _note("small_groups", min=SMALL_GROUP, groups=", ".join(small))
    return ""


def _bootstrap_epsilon(
    table: np.ndarray, n_boot: int, confidence: float, rng: np.random.Generator
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


def _resolve_values(data: pd.DataFrame, items: Any, levels: Any, weights: Any, what: str) -> list[str]:
    check_columns(data)
    names = resolve_items(data, items)
    check_columns(data, names)
    if weights is not None:
        raise ValueError(
            f"{what} is a rank test with no standard weighted form; for weighted data use "
            f"association(..., weights=...) (Rao–Scott corrected χ²)"
        )
    if levels is not None or hasattr(items, "level_values"):
        encode_items(data, names, levels if levels is not None else items)  # every value must be a level
    return names


def _group_frame(rows: list[dict[str, Any]], columns: list[str], adjust: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[c for c in columns if c != "p_adj"])
    frame.insert(
        columns.index("p_adj"), "p_adj", adjust_pvalues(frame["p"].to_numpy(dtype=float), adjust) if len(frame) else []
    )
    return frame


@renamed_arguments({"values": "items"}, positional=("by",))
def compare_groups(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    adjust: str = "holm",
    n_boot: int = 2000,
    confidence: float = 0.95,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Kruskal–Wallis test of each item across the groups of ``by``, with ε² and its interval.

    Parameters
    ----------
    data : DataFrame
    items : str, list of str or Rubric
        Columns to compare (levels or scores); a rubric means all its criteria. (Formerly ``values=``.)
    by : str or list of str
        Grouping column(s); rows with a missing group or value are left out (per item).
    weights : None
        Not supported (rank tests have no standard weighted form): an error says what to use instead.
    levels : sequence or Rubric, optional
        When given (or when ``items`` is a rubric), every value must be one of the levels.
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}
        Correction of ``p`` over the items (``p_adj``).
    n_boot : int
        Bootstrap replicates for the ε² interval (0 skips it).
    confidence : float
        Level of the interval.
    seed : int or None
        Seed of the bootstrap; fixed by default so a report reads the same every time it is run.

    Returns
    -------
    DataFrame
        ``item, n, groups, H, dof, p, p_adj, epsilon_sq, ci_low, ci_high, eta_sq, note`` — ``groups`` counts
        the groups with at least one answer; ``epsilon_sq`` = H/(N − 1) with its bootstrap interval
        (``ci_low``, ``ci_high``); ``eta_sq`` = (H − k + 1)/(N − k), k groups with answers — rstatix's
        ``kruskal_effsize`` (Tomczak & Tomczak 2014); ``note`` flags groups smaller than 5 and tests that cannot
        be run.

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=600, seed=1)
    >>> table = dxlab.stats.compare_groups(data, ["CUS.ENG.1", "CUS.EXP.2"], by="sector")
    >>> table.columns.tolist()[:7]
    ['item', 'n', 'groups', 'H', 'dof', 'p', 'p_adj']
    """
    data = as_frame_or_source(data)
    confidence = check_confidence(confidence)
    adjust = check_adjust(adjust)
    if not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(f"n_boot must be a whole number ≥ 0, not {n_boot!r}")
    names = _resolve_values(data, items, levels, weights, "compare_groups")
    groups = _groups_of(data, by)
    labels = groups.labels
    rng = np.random.default_rng(seed)
    bases: dict[tuple[int, int], np.ndarray] = {}
    rows = []
    checked = levels if levels is not None else (items if hasattr(items, "level_values") else None)
    prebuilt = _prebuilt_tables(data, names, groups, checked)
    for name in names:
        if name in prebuilt:
            table = prebuilt[name]
        else:
            numbers, missing = _numeric(data, name)
            table, _ = value_group_table(numbers, missing, groups.codes, groups.n_groups, bases)
        n_g = table.sum(axis=1)
        n = float(n_g.sum())
        used = int((n_g > 0).sum())
        record: dict[str, Any] = {
            "item": name,
            "n": int(n),
            "groups": used,
            "H": np.nan,
            "dof": np.nan,
            "p": np.nan,
            "epsilon_sq": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "eta_sq": np.nan,
        }
        note = _group_notes(n_g, labels)
        if used < 2:
            note = join_notes(_note("fewer_than_two_groups"), note)
        elif table.shape[1] < 2:
            note = join_notes(_note("all_values_equal"), note)
        else:
            h = float(kruskal_from_tables(table)[0])
            dof = used - 1
            record.update(H=h, dof=dof, p=float(sps.chi2.sf(h, dof)), epsilon_sq=h / (n - 1.0))
            if n > used:
                record["eta_sq"] = (h - used + 1.0) / (n - used)
            if n_boot:
                low, high = _bootstrap_epsilon(table, n_boot, confidence, rng)
                record.update(ci_low=low, ci_high=high)
        record["note"] = note
        rows.append(record)
    frame = _group_frame(rows, GROUP_COLUMNS, adjust)
    frame["dof"] = frame["dof"].astype("Int64")
    return frame


def _prebuilt_tables(data: Any, names: list[str], groups: Groups, checked: Any) -> dict[str, np.ndarray]:
    """The value × group tables of the columns of levels from one compiled pass. A data source's values are
    checked against the given levels (or a rubric's) in that same pass; a DataFrame's were checked already."""
    if checked is None or not is_source(data):
        return value_tables(data, names, groups)
    allowed = resolve_levels(pd.DataFrame(), names, checked)
    try:
        return value_tables(data, names, groups, allowed)
    except ValueError as error:  # every column, row and value outside the levels, as for a DataFrame
        raise ValueError(_outside_levels(data, names, allowed) or str(error)) from None


def _groups_of(data: pd.DataFrame, by: Any) -> Groups:
    if by is None:
        raise ValueError("by= is required: the column(s) that define the groups")
    return encode_groups(data, by)


@renamed_arguments({"value": "items"}, positional=("by",))
def posthoc(
    data: pd.DataFrame, items: Any, *, by: Any = None, weights: Any = None, levels: Any = None, adjust: str = "holm"
) -> pd.DataFrame:
    """Dunn's test for every pair of groups on each item, with p-values adjusted over the pairs of an item.

    Parameters
    ----------
    data : DataFrame
    items : str, list of str or Rubric
        The column(s) compared (levels or scores). (Formerly ``value=``, one column.)
    by : str or list of str
        Grouping column(s).
    weights : None
        Not supported (rank test).
    levels : sequence or Rubric, optional
        When given, every value must be one of the levels.
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}

    Returns
    -------
    DataFrame
        ``item, group_a, group_b, n_a, n_b, mean_rank_a, mean_rank_b, z, p, p_adj, note``; z > 0 means
        group a ranks higher. Ranks are over all groups together (Dunn 1964).

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=600, seed=1)
    >>> dxlab.stats.posthoc(data, "CUS.ENG.1", by="size").shape[0]  # 4 sizes → 6 pairs
    6
    """
    adjust = check_adjust(adjust)
    names = _resolve_values(data, items, levels, weights, "posthoc")
    groups = _groups_of(data, by)
    return pd.concat(
        [_group_frame(_dunn_rows(data, name, groups), POSTHOC_COLUMNS, adjust) for name in names], ignore_index=True
    )


def _dunn_rows(data: pd.DataFrame, value: str, groups: Groups) -> list[dict[str, Any]]:
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
                note, z = _note("group_no_answers"), np.nan
            elif not np.isfinite(z):
                note, z = _note("all_values_equal"), np.nan
            small = [labels[g] for g in (a, b) if 0 < n_g[g] < SMALL_GROUP]
            if small:
                note = join_notes(note, _note("small_members", min=SMALL_GROUP, groups=", ".join(small)))
            rows.append(
                {
                    "item": value,
                    "group_a": labels[a],
                    "group_b": labels[b],
                    "n_a": int(n_g[a]),
                    "n_b": int(n_g[b]),
                    "mean_rank_a": mean_rank[a],
                    "mean_rank_b": mean_rank[b],
                    "z": z,
                    "p": 2.0 * sps.norm.sf(abs(z)) if np.isfinite(z) else np.nan,
                    "note": note,
                }
            )
    return rows


def _pick_two(groups: Groups, chosen: Any) -> tuple[int, int]:
    labels = groups.labels
    if chosen is None:
        if groups.n_groups != 2:
            raise ValueError(f"by has {groups.n_groups} groups ({', '.join(labels)}); pass groups=(a, b) to choose two")
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
    if picks[0] == picks[1]:
        raise ValueError(
            f"groups names the same group twice ({chosen[0]!r}); name two different groups of {', '.join(labels)}"
        )
    return picks[0], picks[1]


def cliffs_delta_interval(pair: np.ndarray, confidence: float) -> tuple[float, float, float]:
    """Cliff's δ of row 0 over row 1 of a 2 × U table of counts and Cliff's (1996) consistent interval."""
    a, b = pair
    n_a, n_b = a.sum(), b.sum()
    below_b, above_b = np.cumsum(b) - b, b.sum() - np.cumsum(b)
    below_a, above_a = np.cumsum(a) - a, a.sum() - np.cumsum(a)
    d_row = (below_b - above_b) / n_b  # mean dominance of an a-value at each distinct value
    d_col = (above_a - below_a) / n_a  # mean dominance over a b-value
    delta = float(a @ d_row / n_a)
    if n_a < 2 or n_b < 2:
        return delta, np.nan, np.nan
    ties = float(a @ b)
    sum_cells = (n_a * n_b - ties) - n_a * n_b * delta * delta
    s2 = (n_b**2 * (a @ (d_row - delta) ** 2) + n_a**2 * (b @ (d_col - delta) ** 2) - sum_cells) / (
        n_a * n_b * (n_a - 1.0) * (n_b - 1.0)
    )
    s2 = max(float(s2), 0.0)
    z = float(ndtri(0.5 + confidence / 2.0))
    root = z * np.sqrt(s2) * np.sqrt((1.0 - delta**2) ** 2 + z * z * s2)
    denominator = 1.0 - delta**2 + z * z * s2
    if denominator <= 0:
        return delta, delta, delta
    return delta, float((delta - delta**3 - root) / denominator), float((delta - delta**3 + root) / denominator)


def _mann_whitney(pair: np.ndarray, exact: bool | None) -> tuple[float, float, float, str, str]:
    """U of group a, z, two-sided p, the method used and a note."""
    n_a, n_b = pair.sum(axis=1)
    below_b = np.cumsum(pair[1]) - pair[1]
    u = float(pair[0] @ (below_b + pair[1] / 2.0))
    product = n_a * n_b
    n = n_a + n_b
    _, ties = _ranks(pair.sum(axis=0))
    sigma = np.sqrt(product / 12.0 * ((n + 1.0) - ties / (n * (n - 1.0))))
    mean_u = product / 2.0
    if sigma <= 0:
        return u, np.nan, np.nan, "", _note("all_values_equal")
    z = (u - mean_u - np.sign(u - mean_u) * 0.5) / sigma
    tied = bool(ties > 0)
    small = n_a <= MANN_WHITNEY_EXACT_MAX_N and n_b <= MANN_WHITNEY_EXACT_MAX_N
    if exact is None:
        exact = small and not tied
    if exact and tied:
        return u, z, float(min(1.0, 2.0 * sps.norm.sf(abs(z)))), "normal", _note("ties_normal")
    if exact:
        return u, z, mann_whitney_exact_p(u, int(n_a), int(n_b)), "exact", ""
    return u, z, float(min(1.0, 2.0 * sps.norm.sf(abs(z)))), "normal", ""


@renamed_arguments({"values": "items"}, positional=("by",))
def compare_two(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    groups: Any = None,
    adjust: str = "holm",
    exact: bool | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Mann–Whitney U test between two groups for each item, with Cliff's δ and its interval.

    Parameters
    ----------
    data : DataFrame
    items : str, list of str or Rubric
        Columns to compare. (Formerly ``values=``.)
    by : str or list of str
        Grouping column(s) with exactly two groups, or any number with ``groups=(a, b)``.
    weights : None
        Not supported (rank test).
    levels : sequence or Rubric, optional
        When given, every value must be one of the levels.
    groups : pair, optional
        The two (different) groups to compare, in the order (a, b).
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}
        Correction of ``p`` over the items.
    exact : bool, optional
        Exact p-value: None (default) when both groups are under 50 and there are no ties (R's
        ``wilcox.test`` rule), True to ask for it, False for the normal approximation.
    confidence : float
        Level of Cliff's interval for δ.

    Returns
    -------
    DataFrame
        ``item, group_a, group_b, n_a, n_b, U, z, p, p_adj, cliffs_delta, ci_low, ci_high, method, note``.
        Cliff's δ = P(a > b) − P(a < b) equals the rank-biserial correlation 2U/(n_a n_b) − 1 (the two
        names are one number for two groups); positive means group a tends to be higher. ``method`` is
        "exact" or "normal".

    Examples
    --------
    >>> import dxlab
    >>> data = dxlab.sample.synthetic_responses("mobifone-dx", n=600, seed=1)
    >>> row = dxlab.stats.compare_two(data, "CUS.ENG.1", by="size", groups=("micro", "large")).iloc[0]
    >>> bool(row["cliffs_delta"] < 0)
    True
    """
    adjust = check_adjust(adjust)
    confidence = check_confidence(confidence)
    names = _resolve_values(data, items, levels, weights, "compare_two")
    encoded = _groups_of(data, by)
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
        record: dict[str, Any] = {
            "item": name,
            "group_a": labels[a],
            "group_b": labels[b],
            "n_a": int(n_a),
            "n_b": int(n_b),
            "U": np.nan,
            "z": np.nan,
            "p": np.nan,
            "cliffs_delta": np.nan,
            "ci_low": np.nan,
            "ci_high": np.nan,
            "method": "",
        }
        if n_a == 0 or n_b == 0:
            note = _note("group_no_answers_no_test")
        else:
            u, z, p, method, note = _mann_whitney(pair, exact)
            delta, low, high = cliffs_delta_interval(pair, confidence)
            record.update(U=u, z=z, p=p, cliffs_delta=delta, ci_low=low, ci_high=high, method=method)
            if min(n_a, n_b) < 2:
                note = join_notes(note, _note("cliff_needs_two"))
        small = [labels[g] for g, count in ((a, n_a), (b, n_b)) if 0 < count < SMALL_GROUP]
        if small:
            note = join_notes(note, _note("small_members", min=SMALL_GROUP, groups=", ".join(small)))
        record["note"] = note
        rows.append(record)
    return _group_frame(rows, TWO_COLUMNS, adjust)


def jonckheere_from_table(table: np.ndarray) -> tuple[float, float, float]:
    """J, E J and the tie-corrected Var J of an ordered groups × values table (Hollander & Wolfe 1999)."""
    n_g = table.sum(axis=1)
    t = table.sum(axis=0)
    n = n_g.sum()
    below = np.cumsum(table, axis=1) - table  # per group: rows with a smaller value
    j = 0.0
    for g in range(table.shape[0]):
        for h in range(g + 1, table.shape[0]):
            j += float(table[h] @ (below[g] + table[g] / 2.0))
    mean = (n * n - (n_g**2).sum()) / 4.0
    var = (
        (n * (n - 1) * (2 * n + 5) - (n_g * (n_g - 1) * (2 * n_g + 5)).sum() - (t * (t - 1) * (2 * t + 5)).sum()) / 72.0
        + (n_g * (n_g - 1) * (n_g - 2)).sum() * (t * (t - 1) * (t - 2)).sum() / (36.0 * n * (n - 1) * (n - 2))
        + (n_g * (n_g - 1)).sum() * (t * (t - 1)).sum() / (8.0 * n * (n - 1))
    )
    return j, mean, float(var)


def jonckheere(
    data: pd.DataFrame,
    items: Any,
    *,
    by: Any = None,
    weights: Any = None,
    levels: Any = None,
    order: Any = None,
    adjust: str = "holm",
) -> pd.DataFrame:
    """Jonckheere–Terpstra test of an increasing (or decreasing) trend across ordered groups, per item.

    J = Σ_{g<h} U_{gh}: over every pair of groups in order, the pairs of rows whose later-group value is
    higher (ties ½). Under no trend E J = (N² − Σ n_g²)/4 and, with ties,
    Var J = [N(N−1)(2N+5) − Σ n_g(n_g−1)(2n_g+5) − Σ t(t−1)(2t+5)]/72
    + [Σ n_g(n_g−1)(n_g−2)][Σ t(t−1)(t−2)]/(36N(N−1)(N−2)) + [Σ n_g(n_g−1)][Σ t(t−1)]/(8N(N−1))
    (t = tie sizes); z = (J − E J)/√Var J, two-sided p (as ``clinfun::jonckheere.test`` with ties).

    Parameters
    ----------
    data : DataFrame
    items : str, list of str or Rubric
    by : str
        The ordered grouping column (an ordered categorical such as size micro < small < medium < large,
        or numbers); ``order=`` gives the order otherwise.
    weights : None
        Not supported (rank test).
    levels : sequence or Rubric, optional
        When given, every value must be one of the levels.
    order : sequence, optional
        The groups in their order (default: the categorical's order, else sorted).
    adjust : {"holm", "hochberg", "bonferroni", "sidak", "fdr_bh", "fdr_by", "none"}

    Returns
    -------
    DataFrame
        ``item, n, groups, order, J, mean_J, z, p, p_adj, note``; z > 0: values rise along the order.

    References
    ----------
    Jonckheere (1954); Hollander & Wolfe (1999), §6.2.

    Examples
    --------
    >>> import pandas as pd, dxlab
    >>> frame = pd.DataFrame({"g": [1, 1, 2, 2, 3, 3], "x": [1, 2, 2, 3, 3, 4]})
    >>> round(float(dxlab.stats.jonckheere(frame, "x", by="g")["z"].iloc[0]), 3)
    2.053
    """
    adjust = check_adjust(adjust)
    names = _resolve_values(data, items, levels, weights, "jonckheere")
    groups = _groups_of(data, by)
    labels = groups.labels
    sequence = list(range(groups.n_groups))
    if order is not None:
        wanted = [str(o) for o in order]
        unknown = [o for o in wanted if o not in labels]
        if unknown or len(set(wanted)) != len(wanted):
            raise ValueError(f"order must list distinct groups of {', '.join(labels)}; got {list(order)}")
        sequence = [labels.index(o) for o in wanted]
    rows = []
    for name in names:
        numbers, missing = _numeric(data, name)
        table, _ = value_group_table(numbers, missing, groups.codes, groups.n_groups)
        table = table[sequence]
        table = table[table.sum(axis=1) > 0]
        n = float(table.sum())
        record: dict[str, Any] = {
            "item": name,
            "n": int(n),
            "groups": int(table.shape[0]),
            "order": " < ".join(labels[g] for g in sequence),
            "J": np.nan,
            "mean_J": np.nan,
            "z": np.nan,
            "p": np.nan,
            "note": "",
        }
        if table.shape[0] < 2 or table.shape[1] < 2:
            record["note"] = _note("fewer_than_two_groups_or_values")
        else:
            j, mean, var = jonckheere_from_table(table)
            z = (j - mean) / np.sqrt(var) if var > 0 else np.nan
            record.update(J=j, mean_J=mean, z=z, p=float(2.0 * sps.norm.sf(abs(z))) if np.isfinite(z) else np.nan)
        rows.append(record)
    return _group_frame(rows, JT_COLUMNS, adjust)
