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
import gc
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats as sps

import dxlab.stats as st

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


@dataclass
class Timing:
    case: str
    ours: list[float]
    peer_name: str
    peer: list[float]
    target: str
    check: str
    passed: bool

    def line(self) -> str:
        ratio = statistics.median(self.peer) / statistics.median(self.ours) if self.peer else float("nan")
        peer = (f"{min(self.peer):8.3f} {statistics.median(self.peer):8.3f}" if self.peer else f"{'—':>8} {'—':>8}")
        return (f"{self.case:<30} {min(self.ours):8.3f} {statistics.median(self.ours):8.3f}  {self.peer_name:<36} "
                f"{peer} {ratio:9.1f}×  {self.target:<22} {self.check:<26} {'ok' if self.passed else 'MISSED'}")


def interleaved(ours: Callable[[], object], peer: Callable[[], object], repeat: int
                ) -> tuple[list[float], list[float], object, object]:
    """Run dxlab and the peer alternately ``repeat`` times each; their times and last results."""
    times_ours: list[float] = []
    times_peer: list[float] = []
    result_ours = result_peer = None
    for _ in range(repeat):
        for fn, times, slot in ((ours, times_ours, 0), (peer, times_peer, 1)):
            gc.collect()
            start = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - start)
            if slot == 0:
                result_ours = result
            else:
                result_peer = result
    return times_ours, times_peer, result_ours, result_peer


def paired_case(panel: pd.DataFrame, items: list[str], repeat: int) -> Timing:
    def scipy_loop() -> np.ndarray:
        wide = {w: panel[panel["wave"] == w].set_index("enterprise_id") for w in ("T0", "T1")}
        z = []
        for item in items:
            d = (wide["T1"][item].astype(float) - wide["T0"][item].astype(float)).to_numpy()
            d = d[np.isfinite(d)]
            z.append(sps.wilcoxon(d, zero_method="wilcox", correction=True, method="approx").zstatistic)
        return np.array(z)

    ours, peer, table, z = interleaved(lambda: st.paired_change(panel, items), scipy_loop, repeat)
    # p-values underflow to 0 with 100,000 pairs: compare the z statistics (SciPy's is −|z|)
    gap = float(np.max(np.abs(np.abs(table["z"].to_numpy()) - np.abs(np.asarray(z)))))  # type: ignore[index]
    passed = statistics.median(ours) < 2.0 and gap < 1e-8
    return Timing(f"paired_change {N_ITEMS} items", ours, "scipy.stats.wilcoxon × 30 items", peer, "< 2 s",
                  f"max |Δ z| {gap:.1e}", passed)


def icc_case(raters: pd.DataFrame, items: list[str], repeat: int) -> Timing:
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

    ours, peer, table, peer_icc = interleaved(lambda: st.agreement(raters, items, rater="respondent_role"),
                                              pingouin_loop, repeat)
    gap = float(np.max(np.abs(table["icc"].to_numpy() - peer_icc)))  # type: ignore[index]
    ratio = statistics.median(peer) / statistics.median(ours)
    passed = statistics.median(ours) < 2.0 and ratio >= 50 and gap < 1e-9
    return Timing(f"agreement icc {N_ITEMS} items", ours, "pingouin.intraclass_corr × 30 items", peer,
                  "< 2 s and ≥ 50×", f"max |Δ ICC| {gap:.1e}", passed)


def krippendorff_case(raters: pd.DataFrame, items: list[str], repeat: int) -> Timing:
    import krippendorff

    matrices = {item: raters.pivot(index="enterprise_id", columns="respondent_role", values=item)
                .to_numpy(dtype=float).T for item in items}

    def package_loop() -> np.ndarray:
        return np.array([krippendorff.alpha(reliability_data=matrices[item], level_of_measurement="ordinal",
                                            value_domain=[1, 2, 3, 4, 5]) for item in items])

    ours, peer, table, alphas = interleaved(
        lambda: st.agreement(raters, items, rater="respondent_role", method="krippendorff", n_boot=0,
                             levels=[1, 2, 3, 4, 5]), package_loop, repeat)
    gap = float(np.max(np.abs(table["alpha"].to_numpy() - alphas)))  # type: ignore[index]
    passed = statistics.median(ours) <= statistics.median(peer) and gap < 1e-9
    return Timing(f"krippendorff α {N_ITEMS} items", ours, "krippendorff.alpha × 30 items", peer, "≥ 1×",
                  f"max |Δ α| {gap:.1e}", passed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 enterprises, one repetition")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs of dxlab and of each peer")
    args = parser.parse_args([] if argv is None else argv)
    quick = args.quick or os.environ.get("DXLAB_BENCH_QUICK", "") not in ("", "0")
    n, repeat = (10_000, 1) if quick else (100_000, max(1, args.repeat))
    panel, raters, items = synthetic(n)
    st.paired_change(panel.iloc[np.r_[0:100, n:n + 100]], items[:2])  # first-call costs out of the timings
    st.agreement(raters.head(300), items[:2], rater="respondent_role")
    print(f"dxlab waves and raters — {n:,} enterprises × {N_ITEMS} items (2 waves; 3 respondents), "
          f"{repeat} interleaved run(s) each; times in seconds (min, median)")
    rows = [paired_case(panel, items, repeat), icc_case(raters, items, repeat),
            krippendorff_case(raters, items, repeat)]
    print(f"{'case':<30} {'min':>8} {'median':>8}  {'peer':<36} {'min':>8} {'median':>8} {'ratio':>10}  "
          f"{'target':<22} {'same numbers':<26} result")
    for row in rows:
        print(row.line())
    missed = [row.case for row in rows if not row.passed]
    print("all targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 0 if not missed else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
