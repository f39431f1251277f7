"""The public surface DESIGN.md promises (a contract: tests and notebooks use these names)."""

from __future__ import annotations

import inspect

import pytest

import dxlab


@pytest.mark.parametrize("name", ["list_rubrics", "load_rubric", "parse_levels", "read_export", "score", "gaps",
                                  "Questionnaire", "ResponseStore", "Scores", "CleanResult", "Rubric"])
def test_top_level_names(name):
    assert callable(getattr(dxlab, name))


@pytest.mark.parametrize("name", ["level_distribution", "association", "reliability", "item_analysis",
                                  "correlations", "correlation_matrix", "compare_groups", "posthoc",
                                  "compare_two", "bootstrap_ci", "peer_percentile"])
def test_stats_functions_take_data_first(name):
    function = getattr(dxlab.stats, name)
    first = next(iter(inspect.signature(function).parameters))
    assert first in ("data", "scores"), (name, first)


@pytest.mark.parametrize("name", ["likert_bars", "radar", "heatmap", "corr_heatmap", "gap_bars"])
def test_plots_take_ax_and_return_axes(name):
    parameters = inspect.signature(getattr(dxlab.plots, name)).parameters
    assert "ax" in parameters and parameters["ax"].default is None


def test_reports_and_read_export_are_the_package_functions():
    from dxlab.ingest import read_export

    assert dxlab.read_export is read_export
    assert callable(dxlab.report.enterprise) and callable(dxlab.report.sector)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        dxlab.nope  # noqa: B018


@pytest.mark.parametrize("name", ["crosswalk", "list_crosswalks", "compare_schemes"])
def test_second_wave_frameworks_names(name):
    assert callable(getattr(dxlab, name))


@pytest.mark.parametrize("name", ["weight_sensitivity", "archetypes"])
def test_second_wave_frameworks_stats(name):
    assert callable(getattr(dxlab.stats, name))


@pytest.mark.parametrize("name", ["crosswalk_matrix", "rank_intervals", "archetype_profiles"])
def test_second_wave_frameworks_plots(name):
    parameters = inspect.signature(getattr(dxlab.plots, name)).parameters
    assert "ax" in parameters and parameters["ax"].default is None
