"""Waves and raters: dxlab against its peers, timed side by side in the same run, with the ratios printed.

Data: 100,000 synthetic enterprises × 30 ordinal items (levels 1–5 from one latent factor), assessed in two
waves (latent drift +0.3 SD) for the change statistics, and answered by three respondents (roles) for the
agreement statistics. dxlab and each peer run the same number of times, interleaved (dxlab, peer, dxlab,
peer…), on the same data; each row checks that both give the same numbers and prints the minimum and median
times and the ratio of the medians.

Targets (issue #12):
- ``paired_change`` on 100,000 enterprises × 30 items under 2 s (peer: ``scipy.stats.wilcoxon`` over the items,
  which gives the p-values only);
- ``agreement(method="icc")`` on 100,000 enterprises × 30 items × 3 respondents under 2 s and ≥ 50× faster than
  ``pingouin.intraclass_corr`` looped over the 30 items;
- Krippendorff's α (ordinal, no bootstrap) at least as fast as the ``krippendorff`` package over the 30 items.

``--quick`` (or ``DXLAB_BENCH_QUICK=1``) times 10,000 enterprises and one repetition, for development only.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy import stats as sps

import dxlab.stats as st

from ._harness import Row, compare, machine, print_table

N_ITEMS = 30
THRESHOLDS = np.array([-1.0, -0.1, 0.75, 1.6])
ROLES = ("Giám đốc", "Trưởng phòng CNTT", "Trưởng phòng kinh doanh")


def _levels(z: np.ndarray) -> pd.arrays.IntegerArray:
    return pd.array((np.searchsorted(THRESHOLDS, z) + 1).astype(np.int8), dtype="Int8")


def synthetic(n: int, *, seed: int = 12) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """A two-wave panel (one row per enterprise and wave) and a three-respondent frame, 30 items each."""
    rng = np.random.default_rng(seed)
    items = [f"Q{j + 1:02d}" for j in range(N_ITEMS)]
    ids = np.array([f"E{i:06d}" for i in range(n)], dtype=object)
    truth = rng.normal(size=n)
    later = truth + rng.normal(0.3, 0.35, n)
    noise = np.sqrt(1 - 0.75 ** 2)
    waves = []
    for label, latent in (("T0", truth), ("T1", later)):
        columns = {"enterprise_id": ids, "wave": label}
        columns.update({item: _levels(0.75 * latent + noise * rng.normal(size=n)) for item in items})
        waves.append(pd.DataFrame(columns))
    raters = []
    for role in ROLES:
        seen = truth + rng.normal(0, 0.35, n)
        columns = {"enterprise_id": ids, "respondent_role": role}
        columns.update({item: _levels(0.75 * seen + noise * rng.normal(size=n)) for item in items})
        raters.append(pd.DataFrame(columns))
    return pd.concat(waves, ignore_index=True), pd.concat(raters, ignore_index=True), items


def _abs_z(ours: object, z: object) -> tuple[str, bool]:
    # p-values underflow to 0 with 100,000 pairs: compare the z statistics (SciPy's is −|z|)
    gap = float(np.max(np.abs(np.abs(ours["z"].to_numpy()) - np.abs(np.asarray(z)))))  # type: ignore[index]
    return f"max |Δ z| {gap:.1e}", gap < 1e-8


def _column(name: str, label: str) -> Callable[[object, object], tuple[str, bool]]:
    def check(ours: object, peer: object) -> tuple[str, bool]:
        gap = float(np.max(np.abs(ours[name].to_numpy() - np.asarray(peer))))  # type: ignore[index]
        return f"max |Δ {label}| {gap:.1e}", gap < 1e-9

    return check


def paired_case(panel: pd.DataFrame, items: list[str], repeat: int) -> Row:
    def scipy_loop() -> np.ndarray:
        wide = {w: panel[panel["wave"] == w].set_index("enterprise_id") for w in ("T0", "T1")}
        z = []
        for item in items:
            d = (wide["T1"][item].astype(float) - wide["T0"][item].astype(float)).to_numpy()
            d = d[np.isfinite(d)]
            z.append(sps.wilcoxon(d, zero_method="wilcox", correction=True, method="approx").zstatistic)
        return np.array(z)

    return compare(f"paired_change, {N_ITEMS} items", panel["enterprise_id"].nunique(),
                   lambda: st.paired_change(panel, items), "scipy.stats.wilcoxon × 30 items", scipy_loop, _abs_z,
                   runs=repeat, target=None, limit=2.0)


def icc_case(raters: pd.DataFrame, items: list[str], repeat: int) -> Row:
    import pingouin as pg

    long = raters.melt(id_vars=["enterprise_id", "respondent_role"], value_vars=items, var_name="item",
                       value_name="value")
    long["value"] = long["value"].astype(float)
    groups = {item: frame for item, frame in long.groupby("item", sort=False)}

    def pingouin_loop() -> np.ndarray:
        values = []
        for item in items:
            table = pg.intraclass_corr(groups[item], targets="enterprise_id", raters="respondent_role",
                                       ratings="value")
            values.append(table["ICC"].to_numpy())
        return np.concatenate(values)

    return compare(f"agreement ICC, {N_ITEMS} items × 3 raters", raters["enterprise_id"].nunique(),
                   lambda: st.agreement(raters, items, rater="respondent_role"),
                   "pingouin.intraclass_corr × 30 items", pingouin_loop, _column("icc", "ICC"),
                   runs=repeat, target=50, limit=2.0)


def krippendorff_case(raters: pd.DataFrame, items: list[str], repeat: int) -> Row:
    import krippendorff

    matrices = {item: raters.pivot(index="enterprise_id", columns="respondent_role", values=item)
                .to_numpy(dtype=float).T for item in items}

    def package_loop() -> np.ndarray:
        return np.array([krippendorff.alpha(reliability_data=matrices[item], level_of_measurement="ordinal",
                                            value_domain=[1, 2, 3, 4, 5]) for item in items])

    return compare(f"Krippendorff α, {N_ITEMS} items × 3 raters", raters["enterprise_id"].nunique(),
                   lambda: st.agreement(raters, items, rater="respondent_role", method="krippendorff", n_boot=0,
                                        levels=[1, 2, 3, 4, 5]),
                   "krippendorff.alpha × 30 items", package_loop, _column("alpha", "α"), runs=repeat, target=1)


def cases(quick: bool) -> list[Row]:
    """The rows of ``make bench``: 100,000 enterprises, 3 interleaved runs (10,000 and 1 run when quick)."""
    n, repeat = (10_000, 1) if quick else (100_000, 3)
    panel, raters, items = synthetic(n)
    st.paired_change(panel.iloc[np.r_[0:100, n:n + 100]], items[:2])  # first-call costs out of the timings
    st.agreement(raters.head(300), items[:2], rater="respondent_role")
    return [paired_case(panel, items, repeat), icc_case(raters, items, repeat),
            krippendorff_case(raters, items, repeat)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_waves", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 enterprises, one repetition")
    args = parser.parse_args([] if argv is None else argv)
    quick = args.quick or os.environ.get("DXLAB_BENCH_QUICK", "") not in ("", "0")
    rows = cases(quick)
    print_table(rows, f"dxlab waves and raters{' (quick)' if quick else ''} — {machine()}")
    return 0 if all(row.passed is not False for row in rows) else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
