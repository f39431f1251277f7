"""The synthetic panel: the same enterprises over waves, some with several respondents, clearly synthetic."""

from __future__ import annotations

import numpy as np
import pandas as pd

import dxlab
from dxlab.sample import PANEL_SAMPLE, synthetic_panel


def test_panel_shape_drift_and_respondents():
    rubric = dxlab.load_rubric("mobifone-dx")
    panel = synthetic_panel(rubric, n=600, seed=2024)
    per_enterprise = panel.groupby("enterprise_id")["wave"].nunique()
    assert 0.7 < (per_enterprise == 2).mean() < 0.9  # most are in both waves, some in one only
    counts = panel.groupby(["enterprise_id", "wave"]).size()
    assert set(counts.unique()) == {1, 2, 3, 4} and 0.2 < (counts > 1).mean() < 0.5
    combined = dxlab.consensus(panel, rubric).responses
    change = dxlab.stats.paired_change(dxlab.score(combined, rubric))
    assert (change["mean_change"] > 0).all()  # a realistic upward drift …
    assert (change["share_worse"] > 0.05).all()  # … with some regressions
    assert panel["enterprise_name"].str.endswith("(mẫu tổng hợp)").all()
    assert panel.attrs["note"].startswith("SYNTHETIC")
    assert str(panel[rubric.criterion_ids[0]].dtype) == "Int8"


def test_switch_in_the_main_generator_and_determinism():
    a = dxlab.sample.synthetic_responses("mobifone-dx", n=50, seed=3, panel=True)
    b = synthetic_panel("mobifone-dx", n=50, seed=3)
    pd.testing.assert_frame_equal(a, b)
    three = synthetic_panel(n=40, seed=1, waves=3, respondents=False)
    assert sorted(three["wave"].unique()) == ["T0", "T1", "T2"]
    assert not three.duplicated(["enterprise_id", "wave"]).any()


def test_shipped_panel_file_is_the_generator_output():
    from dxlab._paths import project_root

    shipped = pd.read_csv(project_root() / "data" / "raw" / PANEL_SAMPLE, dtype={"enterprise_id": str})
    fresh = synthetic_panel()
    assert len(shipped) == len(fresh)
    assert shipped["enterprise_id"].tolist() == fresh["enterprise_id"].tolist()
    crit = dxlab.load_rubric("mobifone-dx").criterion_ids[5]
    assert np.array_equal(shipped[crit].fillna(0).to_numpy(), fresh[crit].fillna(0).to_numpy(dtype=float))


def test_module_documents_and_writes_the_panel(tmp_path):
    import subprocess
    import sys

    from dxlab._paths import project_root

    env = {"PYTHONPATH": str(project_root()), "PATH": "/usr/bin:/bin"}
    helped = subprocess.run([sys.executable, "-m", "dxlab.sample", "--help"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=120, check=False)
    assert helped.returncode == 0 and "panel" in helped.stdout and "--panel" in helped.stdout
    target = tmp_path / "panel.csv"
    wrote = subprocess.run([sys.executable, "-m", "dxlab.sample", "--panel", str(target)], capture_output=True,
                           text=True, env=env, cwd=tmp_path, timeout=300, check=False)
    assert wrote.returncode == 0, wrote.stderr
    assert "SYNTHETIC" in wrote.stdout and target.exists()
    assert not (tmp_path / "--help").exists()
