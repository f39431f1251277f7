"""Hold-out comparison of every dxlab.stats number against R, on real datasets and fresh random data.

``python -m scripts.holdout --seed N`` writes random data for seed N (ties, missing answers, weights, an empty
level, 2- and 7-level items, a one-member group, an n = 8 sample) to a work folder, runs
``scripts/holdout/reference.R`` there (R adds psych's bfi and sat.act, psychTools' msq, ability and spi and
MASS's housing), computes the same numbers with dxlab and prints how many agree within tolerance, listing
every disagreement (function, dataset, key, statistic, dxlab value, R value).

``--reference DIR`` compares against an R output written earlier (no R needed): the test
``tests/test_holdout.py`` does that with the committed folder ``tests/reference/holdout``.

Tolerances: closed forms 1e-10 (relative above 1); polychoric, tetrachoric and polyserial 1e-4 (polycor's and
psych's optimisers stop at about that); ω 1e-6. Bootstrap intervals are random and not compared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import dxlab.stats as st

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SPEC = json.loads((HERE / "spec.json").read_text())
ADJUST = {"holm": "holm", "hochberg": "hochberg", "hommel": "hommel", "bonferroni": "bonferroni", "BH": "fdr_bh",
          "BY": "fdr_by", "none": "none"}
TOLERANCE = {"correlations_polychoric": 1e-4, "correlations_polychoric_psych": 1e-4, "correlations_tetrachoric": 1e-4,
             "polyserial": 1e-4,
             "reliability_polychoric": 1e-4}
OMEGA_TOLERANCE = 1e-6
CLOSED_FORM = 1e-10
Record = tuple[str, str, str, str, float]


# ---- random data -------------------------------------------------------------------------------------------


def random_data(seed: int, n: int = 240) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Items driven by one latent trait (so scales hang together), with every awkward case the brief names."""
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=n)
    size = rng.choice(["micro", "small", "medium", "large"], n, p=[0.4, 0.3, 0.2, 0.1])
    data: dict[str, Any] = {}
    for j in range(1, 6):
        latent = trait * rng.uniform(0.5, 1.2) + rng.normal(size=n)
        data[f"q{j}"] = np.clip(np.round(3 + latent), 1, 5)
    data["q3"] = np.where(data["q3"] == 3, 4, data["q3"])  # level 3 of 1..5 never chosen: an empty level
    for j in range(1, 5):
        data[f"s{j}"] = np.clip(np.round(4 + 1.5 * (trait * 0.8 + rng.normal(size=n))), 1, 7)
    for j in range(1, 5):
        data[f"b{j}"] = (trait + rng.normal(size=n) > rng.uniform(-0.8, 0.8)).astype(float)
    frame = pd.DataFrame(data)
    for column in frame.columns:  # about 5% missing answers, everywhere
        frame.loc[rng.random(n) < 0.05, column] = np.nan
    frame["size"] = size
    sectors = rng.choice(["C", "G", "J", "K"], n)
    sectors[rng.integers(n)] = "Z"  # a one-member group
    frame["sector"] = sectors
    frame["g2"] = rng.choice(["a", "b"], n)
    frame["x"] = np.round(trait * 10 + rng.normal(size=n) * 5 + 50, 1)  # ties at one decimal
    frame["w"] = np.round(rng.uniform(0.3, 3.0, n), 2)
    small = _n8(rng, trait)
    return frame, small


def random_raters(seed: int, n: int = 25) -> pd.DataFrame:
    """Three respondents (roles) per enterprise rating two items; one enterprise lacks a rating."""
    rng = np.random.default_rng(seed + 10_000)
    level = rng.normal(size=n)
    rows = []
    for i in range(n):
        for role, bias in (("ceo", 0.3), ("cfo", 0.0), ("cto", -0.2)):
            row = {"enterprise_id": f"e{i:02d}", "respondent_id": role}
            for item in ("q1", "q2"):
                row[item] = float(np.clip(np.round(3 + level[i] + bias + rng.normal() * 0.9), 1, 5))
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame.loc[(frame["enterprise_id"] == "e03") & (frame["respondent_id"] == "cfo"), "q1"] = np.nan
    return frame


def _n8(rng: np.random.Generator, trait: np.ndarray) -> pd.DataFrame:
    """Eight respondents, complete, for exact p-values and improper (Heywood) one-factor solutions."""
    t = rng.normal(size=8)
    data = {f"q{j}": np.clip(np.round(3 + t * rng.uniform(0.8, 1.6) + rng.normal(size=8) * 0.7), 1, 5)
            for j in range(1, 6)}
    frame = pd.DataFrame(data)
    frame["size"] = ["micro", "micro", "small", "small", "small", "medium", "medium", "large"]
    frame["g2"] = ["a", "b", "a", "b", "a", "b", "a", "b"]
    frame["x"] = np.round(t * 10 + rng.normal(size=8), 3)  # no ties: exact p-values
    frame["y"] = np.round(frame["x"] * 0.5 + rng.normal(size=8) * 8, 3)
    frame["z"] = np.round(rng.normal(size=8), 3)
    return frame


# ---- dxlab side --------------------------------------------------------------------------------------------


def _load(work: Path, dataset: dict[str, Any]) -> pd.DataFrame | None:
    path = work / dataset["file"]
    if not path.exists():
        return None
    frame = pd.read_csv(path)
    group = dataset.get("group")
    if group is not None:
        order = SPEC["groups_order"].get(group)
        values = frame[group]
        categories = order if order is not None else sorted(values.dropna().unique().tolist())
        frame[group] = pd.Categorical(values, categories=categories, ordered=bool(dataset.get("ordered")))
    return frame


def _rows(fn: str, name: str, table: pd.DataFrame, key: Callable[[Any], str], stats: list[str]) -> Iterator[Record]:
    for row in table.itertuples(index=False):
        for stat in stats:
            yield fn, name, key(row), stat, float(getattr(row, stat))


def _distribution(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    table = st.level_distribution(frame, ds["items"], levels=ds["levels"], weights=ds.get("weights"))
    yield from _rows("level_distribution", name, table, lambda r: f"{r.item}={_num(r.level)}",
                     ["count", "share", "ci_low", "ci_high"])


def _association(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    table = st.association(frame, ds["items"], by=ds["group"], weights=ds.get("weights"), levels=ds.get("levels"))
    if ds.get("weights"):
        yield from _rows("association", name, table.rename(columns={"dof": "dof"}), lambda r: r.item,
                         ["F", "dof", "ddf", "p"])
        return
    yield from _rows("association", name, table, lambda r: r.item,
                     ["chi2", "dof", "p", "cramers_v", "ordinal_stat", "ordinal_p"])


def _correlations(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    items = ds.get("pearson_only") or ds["items"]
    levels = None if ds.get("pearson_only") else ds.get("levels")
    for method in ("pearson", "spearman", "kendall"):
        table = st.correlations(frame, items, method=method, levels=levels)
        stats = ["r", "p", "ci_low", "ci_high"]
        yield from _rows(f"correlations_{method}", name, table, lambda r: f"{r.item_x}|{r.item_y}", stats)
    for method in ("pearson", "spearman", "kendall"):
        matrix = st.correlation_matrix(frame, items, method=method, levels=levels)
        for i, x in enumerate(items):
            for y in items[i + 1 :]:
                yield f"correlation_matrix_{method}", name, f"{x}|{y}", "r", float(matrix.loc[x, y])
    if ds.get("weights"):
        table = st.correlations(frame, items, method="pearson", levels=levels, weights=ds["weights"])
        yield from _rows("correlations_pearson_weighted", name, table, lambda r: f"{r.item_x}|{r.item_y}", ["r"])
    if ds.get("pearson_only"):
        return
    method = "tetrachoric" if ds.get("binary") else "polychoric"
    table = st.correlations(frame, items, method=method, levels=levels)
    yield from _rows(f"correlations_{method}", name, table, lambda r: f"{r.item_x}|{r.item_y}", ["r"])
    if method == "polychoric":
        table = st.correlations(frame, items, method=method, levels=levels, correct=0.5)  # psych's rule
        yield from _rows("correlations_polychoric_psych", name, table, lambda r: f"{r.item_x}|{r.item_y}", ["r"])


def _reliability(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    items, levels = ds["items"], ds.get("levels")
    table = st.reliability(frame, {"scale": items}, levels=levels)
    yield from _rows("reliability", name, table, lambda r: "scale",
                     ["alpha", "ci_low", "ci_high", "alpha_std", "mean_r", "omega_total"])
    if not ds.get("binary"):
        table = st.reliability(frame, {"scale": items}, levels=levels, method="polychoric")
        yield from _rows("reliability_polychoric", name, table, lambda r: "scale", ["alpha_std", "omega_total"])
    table = st.item_analysis(frame, items, levels=levels)
    yield from _rows("item_analysis", name, table, lambda r: r.item,
                     ["n", "mean", "sd", "item_total_r", "alpha_if_deleted"])


def _groups(frame: pd.DataFrame, ds: dict[str, Any], name: str, pvalues: list[float]) -> Iterator[Record]:
    table = st.compare_groups(frame, ds["items"], by=ds["group"], levels=ds.get("levels"), n_boot=0)
    usable = table[table["H"].notna()]
    pvalues.extend(usable["p"].tolist())
    stats = ["H", "dof", "p", "p_adj", "epsilon_sq", "eta_sq"]
    yield from _rows("compare_groups", name, usable, lambda r: r.item, stats)
    if ds.get("ordered"):
        table = st.jonckheere(frame, ds["items"], by=ds["group"], levels=ds.get("levels"))
        yield from _rows("jonckheere", name, table, lambda r: r.item, ["J", "mean_J", "z", "p"])


def _two(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    a, b = ds["two_groups"]
    table = st.compare_two(frame, ds["items"], by=ds["two"], groups=(a, b), levels=ds.get("levels"))
    yield from _rows("compare_two", name, table, lambda r: r.item, ["U", "p", "p_adj", "cliffs_delta"])


def _polyserial(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    table = st.polyserial(frame, ds["items"], continuous=ds["continuous"], levels=ds.get("levels"))
    for row in table.itertuples(index=False):
        x, y = (row.item_x, row.item_y) if row.item_x == ds["continuous"] else (row.item_y, row.item_x)
        yield "polyserial", name, f"{x}|{y}", "r", float(row.r)


def _icc(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    table = st.agreement(frame, ds["items"], method="icc", levels=ds.get("levels"))
    yield from _rows("agreement_icc", name, table, lambda r: f"{r.item}|{r.type}",
                     ["icc", "F", "df1", "df2", "p", "ci_low", "ci_high"])


def _posthoc(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    table = st.posthoc(frame, ds["items"], by=ds["group"], levels=ds.get("levels"))
    yield from _rows("posthoc", name, table, lambda r: f"{r.item}|{_label(r.group_a)}|{_label(r.group_b)}",
                     ["z", "p", "p_adj"])


def _peers(frame: pd.DataFrame, ds: dict[str, Any], name: str) -> Iterator[Record]:
    table = st.peer_percentile(frame, ds["continuous"], by=ds["group"])
    for position, value in enumerate(table["percentile"].to_numpy(), start=1):
        if np.isfinite(value):
            yield "peer_percentile", name, f"row{position}", "percentile", float(value)


def dxlab_numbers(work: Path) -> pd.DataFrame:
    records: list[Record] = []
    pvalues: list[float] = []
    for ds in SPEC["datasets"]:
        frame = _load(work, ds)
        if frame is None:
            continue
        name = ds["name"]
        parts: list[Iterator[Record]] = []
        if ds.get("levels"):
            parts.append(_distribution(frame, ds, name))
        if ds.get("group"):
            parts.append(_association(frame, ds, name))
            if not (ds.get("weights") and ds.get("no_items_stats")):
                parts.append(_groups(frame, ds, name, pvalues))
        if not ds.get("no_items_stats"):
            parts.append(_correlations(frame, ds, name))
            if len(ds["items"]) >= 2:
                parts.append(_reliability(frame, ds, name))
        if ds.get("continuous") and not ds.get("pearson_only") and not ds.get("binary"):
            parts.append(_polyserial(frame, ds, name))
        if ds.get("two"):
            parts.append(_two(frame, ds, name))
        if ds.get("peer"):
            parts.append(_peers(frame, ds, name))
        if ds.get("icc"):
            parts.append(_icc(frame, ds, name))
        if ds.get("group") and not ds.get("weights") and not ds.get("binary"):
            parts.append(_posthoc(frame, ds, name))
        for part in parts:
            records.extend(_guarded(part, name))
    records.extend(_guarded(_adjusted(work, pvalues), "all"))
    return pd.DataFrame(records, columns=["function", "dataset", "key", "statistic", "value"])


def _guarded(part: Iterator[Record], name: str) -> Iterator[Record]:
    """A dxlab error is itself a finding: recorded, not fatal, so the other comparisons still run."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield from list(part)
    except Exception as error:  # noqa: BLE001 — reported as a disagreement
        yield "error", name, f"{type(error).__name__}: {error}"[:300], "raised", np.nan


def _adjusted(work: Path, pvalues: list[float]) -> Iterator[Record]:
    path = work / "adjust_input.csv"
    p = pd.read_csv(path)["p"].to_numpy(float) if path.exists() else np.asarray(pvalues)
    for r_name, method in ADJUST.items():
        for i, value in enumerate(st.adjust_pvalues(p, method=method), start=1):
            yield "adjust_pvalues", "all", f"{r_name}#{i}", "p_adj", float(value)


def _label(value: Any) -> str:
    """A group label as R writes it (education 1, not 1.0)."""
    try:
        return _num(value)
    except (TypeError, ValueError):
        return str(value)


def _num(value: Any) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


# ---- comparison --------------------------------------------------------------------------------------------


def tolerance(function: str, statistic: str) -> float:
    if statistic == "omega_total":
        return max(OMEGA_TOLERANCE, TOLERANCE.get(function, 0.0))
    return TOLERANCE.get(function, CLOSED_FORM)


def compare(reference: pd.DataFrame, ours: pd.DataFrame) -> pd.DataFrame:
    """One row per R number: dxlab's value, the difference and whether it is within tolerance."""
    keys = ["function", "dataset", "key", "statistic"]
    reference = reference.copy()
    reference["key"] = reference["key"].astype(str)
    ours = ours.copy()
    ours["key"] = ours["key"].astype(str)
    errors = ours[ours["function"] == "error"]
    reference["lookup"] = reference["statistic"].str.replace("_polycor_warned", "", regex=False)
    ours = ours.drop_duplicates(keys).rename(columns={"statistic": "lookup"})
    lookup = ["function", "dataset", "key", "lookup"]
    merged = reference.merge(ours, on=lookup, how="left", suffixes=("_r", "_dxlab")).drop(columns="lookup")
    r, d = merged["value_r"].to_numpy(float), merged["value_dxlab"].to_numpy(float)
    limit = np.array([tolerance(f, s) for f, s in zip(merged["function"], merged["statistic"])])
    both_missing = np.isnan(r) & np.isnan(d)
    with np.errstate(invalid="ignore"):
        close = np.abs(d - r) <= limit * np.maximum(1.0, np.abs(r))
    # R numbers that R itself flags as unreliable (polycor's optimise met log(0)) are listed, not counted
    merged["ok"] = both_missing | close
    merged["unreliable_r"] = merged["statistic"].str.endswith("_warned")
    merged["difference"] = d - r
    extra = errors.assign(value_r=np.nan, value_dxlab=np.nan, ok=False, difference=np.nan, unreliable_r=False)
    extra = extra.drop(columns=["value"])
    return pd.concat([merged, extra], ignore_index=True)


def report(result: pd.DataFrame, label: str) -> str:
    warned = result[result["unreliable_r"]]
    result = result[~result["unreliable_r"]]
    lines = [f"{label}: {int(result['ok'].sum())} of {len(result)} comparisons within tolerance"]
    by_function = result.groupby("function")["ok"].agg(["sum", "size"])
    for function, row in by_function.iterrows():
        lines.append(f"  {function:<28} {int(row['sum']):>6} / {int(row['size'])}")
    bad = result[~result["ok"]]
    if len(bad):
        lines.append("mismatches (function, dataset, key, statistic, dxlab, R):")
        for row in bad.itertuples(index=False):
            lines.append(f"  {row.function}, {row.dataset}, {row.key}, {row.statistic}, "
                         f"{row.value_dxlab!r}, {row.value_r!r}")
    if len(warned):
        lines.append(f"not counted: {len(warned)} R numbers where the likelihood's supremum is at |r| = 1 and "
                     f"polycor stopped short (optimise met log(0), or a flat top) — function, dataset, key, statistic, "
                     f"dxlab, R:")
        for row in warned.itertuples(index=False):
            lines.append(f"  {row.function}, {row.dataset}, {row.key}, {row.statistic}, {row.value_dxlab!r}, "
                         f"{row.value_r!r}")
    return "\n".join(lines)


def counted(result: pd.DataFrame) -> pd.DataFrame:
    """The comparisons that count (R numbers flagged unreliable by R itself are left out)."""
    return result[~result["unreliable_r"]]


def run_r(work: Path, random_only: bool = False) -> None:
    if shutil.which("Rscript") is None:
        raise SystemExit("Rscript is not installed; pass --reference DIR to compare with an earlier R output")
    extra = ["--random-only"] if random_only else []
    subprocess.run(["Rscript", str(HERE / "reference.R"), str(work), *extra], cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.holdout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1, help="seed of the random data (default 1)")
    parser.add_argument("--work", type=Path, help="folder for the data and R's output (default: a temporary one)")
    parser.add_argument("--reference", type=Path, help="compare with this earlier R output instead of running R")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--random-only", action="store_true", help="only the random data (and MASS's housing)")
    args = parser.parse_args(argv)
    if args.reference is not None:
        work = args.reference
    else:
        work = args.work or Path(tempfile.mkdtemp(prefix=f"holdout-{args.seed}-"))
        work.mkdir(parents=True, exist_ok=True)
        frame, small = random_data(args.seed)
        frame.to_csv(work / "random.csv", index=False)
        small.to_csv(work / "random_n8.csv", index=False)
        random_raters(args.seed).to_csv(work / "random_raters.csv", index=False)
        run_r(work, args.random_only)
    result = compare(pd.read_csv(work / "reference.csv"), dxlab_numbers(work))
    print(report(result, f"seed {args.seed}" if args.reference is None else str(work)))
    if args.reference is None and args.work is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if counted(result)["ok"].all() else 1


if __name__ == "__main__":
    sys.exit(main())
