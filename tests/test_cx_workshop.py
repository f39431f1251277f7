"""The worked example in data/workshop/ stays loadable and consistent with the rubric."""

from __future__ import annotations

import pytest

import dxlab
from dxlab import cx

from .conftest import ROOT

WORKSHOP = ROOT / "data" / "workshop"


def files():
    return sorted(p for p in WORKSHOP.glob("*") if p.suffix in {".yaml", ".json"})


def test_every_saved_file_loads_and_round_trips(tmp_path):
    if not files():
        pytest.skip("data/workshop/ has no saved workshop yet (run notebooks/08-cx-workshop.ipynb)")
    kinds = set()
    for path in files():
        item = cx.load(path)
        kinds.add(item.KIND)
        assert type(item).load(item.save(tmp_path / path.name)) == item
    assert kinds == set(cx.KINDS)  # the worked example uses every tool


def test_linked_criteria_are_in_the_rubric():
    if not files():
        pytest.skip("data/workshop/ has no saved workshop yet")
    items = [cx.load(path) for path in files()]
    rubric = dxlab.load_rubric("mobifone-dx")
    sheet = cx.workshop_sheet(items, rubric=rubric)  # raises on a criterion id the rubric lacks
    assert sheet.count("\n## ") == len(items)
    journey = next(i for i in items if isinstance(i, cx.JourneyMap))
    linked = {c for point in journey.touchpoints for c in point.criteria}
    assert linked <= set(rubric.criterion_ids)
