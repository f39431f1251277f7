"""Waves and raters in the reports: the card's change since the last wave and its respondents' disagreement, the
sector report's change since the last wave — each number against the stats functions called directly (and
scipy / numpy for the sector's paired change), each section only when it applies, and rendered without nan."""

from __future__ import annotations

import io
import re

import docx
import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

import dxlab
from dxlab._i18n import MISSING, fmt_int, fmt_number, fmt_percent
from dxlab.report import build_card, build_sector, docx_bytes, render_html
from dxlab.sample import synthetic_panel, synthetic_responses

from .test_report_safety import MARKUP, SCRIPT, assert_inert

RUBRIC = dxlab.load_rubric("mobifone-dx")
DIMS = [d.id for d in RUBRIC.dimensions]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_panel(RUBRIC, n=120, seed=5)


def counts(panel: pd.DataFrame) -> pd.DataFrame:
    """Respondents per enterprise and wave, one column per wave (0 when absent)."""
    return panel.groupby(["enterprise_id", "wave"]).size().unstack(fill_value=0)


def enterprise_with(panel: pd.DataFrame, t0: object, t1: object) -> str:
    """An enterprise whose respondent counts in T0 and T1 satisfy the predicates."""
    table = counts(panel)
    return str(table.index[[t0(a) and t1(b) for a, b in zip(table["T0"], table["T1"])]][0])


def response_of(panel: pd.DataFrame, enterprise: str, wave: str) -> str:
    rows = panel[(panel["enterprise_id"] == enterprise) & (panel["wave"] == wave)]
    return str(rows["response_id"].iloc[0])


def keys(model) -> list[str]:
    return [s.key for s in model.sections]


def section(model, key: str):
    return next(s for s in model.sections if s.key == key)


def tables_of(model, key: str):
    return [b for b in section(model, key).blocks if hasattr(b, "frame")]


def visible_text(html: str) -> str:
    html = re.sub(r"<style>.*?</style>|<svg.*?</svg>|src=\"data:[^\"]*\"", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def docx_cells(model) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(docx_bytes(model)))
    return [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]


def signed(x: float, lang: str) -> str:
    return ("+" if x > 0 else "") + fmt_number(x, lang)


# --- the card: change since the last wave ----------------------------------------------------------------------


def test_card_change_equals_enterprise_change_for_a_single_respondent(panel):
    enterprise = enterprise_with(panel, lambda a: a == 1, lambda b: b == 1)
    card = build_card(panel, response_of(panel, enterprise, "T1"), RUBRIC, lang="en")
    assert keys(card)[:3] == ["overall", "profile", "change"] and "disagreement" not in keys(card)
    rows = panel[panel["enterprise_id"] == enterprise]
    expected = dxlab.stats.enterprise_change(dxlab.score(rows, RUBRIC), enterprise)
    pd.testing.assert_frame_equal(card.change, expected)
    # hand check: the change is after minus before, the overall row is last
    assert list(card.change["dimension"]) == [*DIMS, "overall"]
    np.testing.assert_allclose(card.change["change"], card.change["score_after"] - card.change["score_before"])
    # the same response's own scores in T1 are the change's "after" (one respondent: nothing is combined)
    own = card.dimensions.set_index("dimension")["score"]
    np.testing.assert_allclose(card.change.set_index("dimension").loc[DIMS, "score_after"], own[DIMS])
    table = tables_of(card, "change")[0].frame
    for i, row in enumerate(expected.itertuples(index=False)):
        assert table.iloc[i, 1] == fmt_number(row.score_before, "en")
        assert table.iloc[i, 2] == fmt_number(row.score_after, "en")
        assert table.iloc[i, 3] == signed(row.change, "en")
        assert table.iloc[i, 4].startswith(f"{row.level_before} ·")
        assert table.iloc[i, 6] == {"up": "Up", "same": "Same", "down": "Down"}[row.direction]


def test_card_change_combines_several_respondents_first(panel):
    enterprise = enterprise_with(panel, lambda a: a >= 2, lambda b: b >= 2)
    card = build_card(panel, response_of(panel, enterprise, "T1"), RUBRIC, lang="vi")
    combined = dxlab.consensus(panel, RUBRIC).responses
    expected = dxlab.stats.enterprise_change(dxlab.score(combined, RUBRIC), enterprise)
    pd.testing.assert_frame_equal(card.change, expected)
    notes = [b.text for b in section(card, "change").blocks if type(b).__name__ == "Note"]
    assert notes and "trung vị" in notes[0]
    assert any(type(b).__name__ == "Figure" for b in section(card, "change").blocks)


def test_no_change_section_without_an_earlier_wave(panel):
    first_wave = enterprise_with(panel, lambda a: a == 1, lambda b: b >= 1)
    card = build_card(panel, response_of(panel, first_wave, "T0"), RUBRIC)
    assert "change" not in keys(card) and card.change.empty
    newcomer = enterprise_with(panel, lambda a: a == 0, lambda b: b == 1)
    card = build_card(panel, response_of(panel, newcomer, "T1"), RUBRIC)
    assert "change" not in keys(card) and "disagreement" not in keys(card)
    plain = synthetic_responses(RUBRIC, n=60, seed=2)  # one wave
    card = build_card(plain, "R000001", RUBRIC)
    assert keys(card) == ["overall", "profile", "info", "criteria", "next_steps", "method"]
    no_ids = panel.drop(columns=["enterprise_id"])
    assert "change" not in keys(build_card(no_ids, response_of(panel, first_wave, "T1"), RUBRIC))


def test_card_change_with_a_dimension_missing_in_one_wave_prints_no_nan(panel):
    enterprise = enterprise_with(panel, lambda a: a == 1, lambda b: b == 1)
    data = panel.copy()
    dat = [c for c in RUBRIC.criterion_ids if c.startswith("DAT.")]
    data.loc[(data["enterprise_id"] == enterprise) & (data["wave"] == "T0"), dat] = pd.NA
    for lang in ("vi", "en"):
        card = build_card(data, response_of(data, enterprise, "T1"), RUBRIC, lang=lang)
        row = card.change.set_index("dimension").loc["DAT"]
        assert pd.isna(row["score_before"]) and pd.isna(row["change"]) and row["note"]
        table = tables_of(card, "change")[0].frame
        dat_row = table[table.iloc[:, 0].str.endswith("(DAT)")].iloc[0]
        assert dat_row.iloc[1] == dat_row.iloc[3] == dat_row.iloc[4] == dat_row.iloc[6] == MISSING
        text = visible_text(render_html(card))
        assert not re.search(r"\bnan\b|\bNaN\b|<NA>|None", text)


# --- the card: where the respondents disagree -------------------------------------------------------------------


def test_disagreement_section_lists_each_respondents_level(panel):
    enterprise = enterprise_with(panel, lambda a: a >= 0, lambda b: b >= 3)
    rows = panel[(panel["enterprise_id"] == enterprise) & (panel["wave"] == "T1")]
    card = build_card(panel, rows["response_id"].iloc[1], RUBRIC, lang="en")
    assert "disagreement" in keys(card)
    flagged = dxlab.consensus(panel, RUBRIC).disagreements(enterprise)
    flagged = flagged[flagged["wave"] == "T1"].drop(columns="wave").reset_index(drop=True)
    pd.testing.assert_frame_equal(card.disagreements, flagged)
    # hand check of the flag: the answers of the wave's respondents span at least two levels
    spans = {c: rows[c].max() - rows[c].min() for c in RUBRIC.criterion_ids}
    assert set(flagged["criterion"]) == {c for c, s in spans.items() if pd.notna(s) and s >= 2}
    table = tables_of(card, "disagreement")[0].frame
    assert len(table) == len(flagged) and table.shape[1] == len(rows) + 3
    assert "Giám đốc" in table.columns[1]
    for i, crit in enumerate(flagged["criterion"]):
        assert table.iloc[i, 0].startswith(crit)
        for j, value in enumerate(rows[crit]):
            assert table.iloc[i, j + 1] == (MISSING if pd.isna(value) else f"{int(value)} · "
                                            f"{RUBRIC.level_label(int(value), 'en')}")
        assert table.iloc[i, -2] == fmt_int(int(spans[crit]), "en")


def test_disagreement_on_a_hand_made_pair():
    base = synthetic_responses(RUBRIC, n=2, seed=4)
    base["enterprise_id"], base["wave"] = "E1", "2026"
    crits = RUBRIC.criterion_ids
    base.loc[:, crits] = 3
    base.loc[0, crits[0]], base.loc[1, crits[0]] = 1, 4  # range 3: flagged
    base.loc[0, crits[1]], base.loc[1, crits[1]] = 2, 3  # range 1: not flagged
    base.loc[1, crits[2]] = 5  # 3 and 5: flagged
    base.loc[0, "respondent_role"] = SCRIPT
    base.loc[1, "respondent_role"] = MARKUP
    card = build_card(base, base.loc[0, "response_id"], RUBRIC, lang="vi")
    assert "disagreement" in keys(card) and "change" not in keys(card)
    assert list(card.disagreements["criterion"]) == [crits[0], crits[2]]
    assert list(card.disagreements["range"]) == [3, 2]
    table = tables_of(card, "disagreement")[0].frame
    assert list(table.iloc[:, -2]) == ["3", "2"]
    assert table.iloc[0, 1].startswith("1 ·") and table.iloc[0, 2].startswith("4 ·")
    html = render_html(card)
    assert_inert(html)
    single = base.iloc[[0]]
    assert "disagreement" not in keys(build_card(single, single["response_id"].iloc[0], RUBRIC))
    # without a wave column the enterprise's responses are compared all together
    unwaved = build_card(base.drop(columns="wave"), base.loc[1, "response_id"], RUBRIC, lang="en")
    assert list(unwaved.disagreements["criterion"]) == [crits[0], crits[2]]
    assert "change" not in keys(unwaved) and "2 respondents assessed the enterprise;" in \
        section(unwaved, "disagreement").blocks[0].text


def test_agreeing_respondents_get_a_sentence_not_a_table():
    base = synthetic_responses(RUBRIC, n=3, seed=4)
    base["enterprise_id"], base["wave"] = "E1", "2026"
    base.loc[:, RUBRIC.criterion_ids] = 2
    base.loc[2, RUBRIC.criterion_ids] = 3
    card = build_card(base, base.loc[0, "response_id"], RUBRIC, lang="en")
    blocks = section(card, "disagreement").blocks
    assert not tables_of(card, "disagreement") and card.disagreements.empty
    assert "3 respondents" in blocks[0].text and "on 0 criteria" in blocks[0].text


# --- the sector report ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sector_report(panel):
    return build_sector(panel, "G", rubric=RUBRIC, n_boot=50, lang="vi")


def sector_pairs(panel: pd.DataFrame, sector: str):
    rows = panel[panel["sector"] == sector]
    combined = dxlab.consensus(rows, RUBRIC)
    return dxlab.score(combined.responses, RUBRIC)


def test_sector_change_equals_sector_change_called_directly(sector_report, panel):
    assert keys(sector_report)[:4] == ["sample", "levels", "dimensions", "change"]
    expected = dxlab.stats.sector_change(sector_pairs(panel, "G"), lang="vi")
    change = sector_report.change
    pd.testing.assert_frame_equal(change.dimensions, expected.dimensions)
    pd.testing.assert_frame_equal(change.movers, expected.movers)
    pd.testing.assert_frame_equal(change.overall.counts, expected.overall.counts)
    table = tables_of(sector_report, "change")[0].frame
    assert len(table) == len(DIMS) + 1
    for i, row in enumerate(expected.dimensions.itertuples(index=False)):
        assert table.iloc[i, 1] == fmt_int(row.n_pairs, "vi")
        assert table.iloc[i, 4] == f"{signed(row.mean_change, 'vi')} ({fmt_number(row.ci_low, 'vi')} đến " \
                                   f"{fmt_number(row.ci_high, 'vi')})"
        assert table.iloc[i, 5:8].tolist() == [fmt_percent(s, "vi") for s in
                                               (row.share_improved, row.share_same, row.share_worse)]


def test_sector_change_against_numpy_and_scipy(sector_report, panel):
    """The overall score's paired change, recomputed from the combined scores with numpy and scipy."""
    scores = sector_pairs(panel, "G")
    frame = scores.meta[["enterprise_id", "wave"]].assign(overall=scores.overall["score"].to_numpy())
    wide = frame.pivot(index="enterprise_id", columns="wave", values="overall").dropna()
    diff = (wide["T1"] - wide["T0"]).to_numpy()
    row = sector_report.change.dimensions.set_index("item").loc["score.overall"]
    assert row["n_pairs"] == len(diff)
    assert row["mean_change"] == pytest.approx(diff.mean())
    assert row["share_improved"] == pytest.approx((diff > 0).mean())
    assert row["share_worse"] == pytest.approx((diff < 0).mean())
    # R's wilcox.test(paired = TRUE): exact below 50 pairs without ties or zeros, else normal with correction
    method = "exact" if row["exact"] else "approx"
    p = sps.wilcoxon(diff, zero_method="wilcox", correction=True, method=method).pvalue
    assert row["p"] == pytest.approx(p, rel=1e-6)
    moved = sector_report.change.movers
    assert set(moved["enterprise_id"]) == set(wide.index)
    movers = tables_of(sector_report, "change")[-1].frame
    assert len(movers) == min(int((moved["level_before"] != moved["level_after"]).sum()), 20)


def test_sector_change_figure_and_docx(sector_report):
    blocks = section(sector_report, "change").blocks
    assert [type(b).__name__ for b in blocks].count("Figure") == 1
    grids = docx_cells(sector_report)
    tables = sector_report.tables()
    assert len(grids) == len(tables)
    for table in tables_of(sector_report, "change"):
        grid = grids[next(i for i, t in enumerate(tables) if t is table)]
        assert grid[0] == [str(c) for c in table.frame.columns]
        assert grid[1:] == [[str(v) for v in row] for row in table.frame.itertuples(index=False)]


def test_sector_html_has_no_nan_in_both_languages(panel, sector_report):
    english = build_sector(panel, "G", rubric=RUBRIC, n_boot=50, lang="en")
    for report in (sector_report, english):
        text = visible_text(render_html(report))
        assert not re.search(r"\bnan\b|\bNaN\b|<NA>", text)
    assert "Change since the last wave" in visible_text(render_html(english))


def test_sector_change_only_with_an_earlier_wave(panel):
    one_wave = build_sector(panel[panel["wave"] == "T1"], "G", rubric=RUBRIC, n_boot=20)
    assert "change" not in keys(one_wave) and one_wave.change is None
    first = build_sector(panel, "G", wave="T0", rubric=RUBRIC, n_boot=20)
    assert "change" not in keys(first) and first.change is None


def test_sector_without_pairs_says_so(panel):
    t1 = set(panel.loc[panel["wave"] == "T1", "enterprise_id"])
    fresh = panel[~((panel["wave"] == "T0") & panel["enterprise_id"].isin(t1))]
    report = build_sector(fresh, "G", rubric=RUBRIC, n_boot=20, lang="en")
    blocks = section(report, "change").blocks
    assert len(blocks) == 1 and "No enterprise of the sector" in blocks[0].text


def test_shipped_panel_reports(tmp_path):
    """The shipped sample panel (data/raw/sample-panel-vi.csv) read as a user would, through dxlab's reader."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "raw" / "sample-panel-vi.csv"
    data = pd.read_csv(path, dtype={"enterprise_id": str, "respondent_id": str})
    several = counts(data)
    enterprise = str(several.index[(several["T0"] >= 2) & (several["T1"] >= 2)][0])
    card = build_card(data, response_of(data, enterprise, "T1"), RUBRIC, lang="vi")
    assert {"change", "disagreement"} <= set(keys(card))
    words = "\n".join(c for grid in docx_cells(card) for row in grid for c in row)
    assert "Giám đốc" in words and tables_of(card, "change")[0].frame.iloc[-1, 0] in words


def test_hostile_enterprise_names_in_the_movers_table_stay_text(panel, sector_report):
    moved = sector_report.change.movers
    moved = moved[moved["level_before"] != moved["level_after"]]
    data = panel.copy()
    data["enterprise_name"] = data["enterprise_name"].astype(object)
    data.loc[data["enterprise_id"] == moved["enterprise_id"].iloc[0], "enterprise_name"] = f"{SCRIPT} {MARKUP}"
    report = build_sector(data, "G", rubric=RUBRIC, n_boot=20, lang="en")
    movers = tables_of(report, "change")[-1].frame
    assert movers.iloc[0, 0].startswith(SCRIPT)
    assert_inert(render_html(report))
