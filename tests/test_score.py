"""Scoring schemes against hand calculations, MIC's worked example and each gate of the overall rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import dxlab

from .conftest import MIC_SME, criterion, rubric_dict, write_rubric


@pytest.fixture(scope="module")
def weighted(tmp_path_factory):
    """Two dimensions; weights chosen so that every weighted mean below is checked by hand."""
    dims = [
        {"id": "A", "title": "A", "weight": 3, "groups": [
            {"id": "A.X", "title": "AX", "weight": 1, "criteria": [criterion("A.X.1", weight=1),
                                                                criterion("A.X.2", weight=3)]},
            {"id": "A.Y", "title": "AY", "weight": 2, "criteria": [criterion("A.Y.1"), criterion("A.Y.2"),
                                                                criterion("A.Y.3")]}]},
        {"id": "B", "title": "B", "weight": 1, "groups": [
            {"id": "B.X", "title": "BX", "criteria": [criterion("B.X.1"), criterion("B.X.2")]}]},
    ]
    return dxlab.load_rubric(write_rubric(tmp_path_factory.mktemp("w"), rubric_dict(dims)))


def frame(rows: list[dict], rubric) -> pd.DataFrame:
    data = pd.DataFrame(rows, columns=list(rubric.criterion_ids))
    return data.astype("Int8")


def test_mean_by_hand(weighted):
    levels = frame([{"A.X.1": 1, "A.X.2": 5, "A.Y.1": 2, "A.Y.2": 3, "A.Y.3": 4, "B.X.1": 4, "B.X.2": 5}],
                   weighted)
    scores = dxlab.score(levels, weighted)
    # A.X = (1*1 + 5*3)/4 = 4; A.Y = 3; A = (4*1 + 3*2)/3 = 10/3; B = 4.5; overall = (10/3*3 + 4.5)/4 = 3.625
    assert scores.groups.iloc[0].tolist() == pytest.approx([4.0, 3.0, 4.5])
    assert scores.dimensions.iloc[0].tolist() == pytest.approx([10 / 3, 4.5])
    assert scores.overall["score"].iloc[0] == pytest.approx(3.625)
    assert scores.levels.iloc[0].tolist() == [3, 4]
    assert scores.overall[["level", "level_label", "level_label_en"]].iloc[0].tolist() == [3, "Hình thành",
                                                                                          "Forming"]


def test_reached_level_is_floor_and_exact_integers_reach(weighted):
    rows = [{c: 4 for c in weighted.criterion_ids}, {c: 3 for c in weighted.criterion_ids}]
    rows[1]["A.X.2"] = 4  # 3.75-ish in A.X → still level 3
    scores = dxlab.score(frame(rows, weighted), weighted)
    assert scores.overall["level"].tolist() == [4, 3]
    assert scores.groups.loc[1, "A.X"] == pytest.approx(3.75)


def test_min_answered(weighted):
    # A.Y has 3 criteria: 1 answered (1/3 < 0.5) → missing; A then rests on A.X alone (1 of 2 groups = 0.5).
    row = {"A.X.1": 2, "A.X.2": 2, "A.Y.1": 5, "B.X.1": 1}
    scores = dxlab.score(frame([row], weighted), weighted)
    assert pd.isna(scores.groups.loc[0, "A.Y"])
    assert scores.groups.loc[0, "B.X"] == 1.0  # 1 of 2 answered = 0.5 ≥ 0.5
    assert scores.dimensions.loc[0, "A"] == 2.0
    strict = dxlab.score(frame([row], weighted), weighted, min_answered=1.0)
    assert strict.groups.iloc[0].isna().tolist() == [False, True, True]
    assert pd.isna(strict.overall.loc[0, "score"]) and pd.isna(strict.overall.loc[0, "level"])
    assert pd.isna(strict.overall.loc[0, "level_label"])


def test_all_missing_row(weighted):
    scores = dxlab.score(frame([{}], weighted), weighted)
    assert scores.overall["score"].isna().all() and scores.levels.isna().all().all()


def test_dma100_by_hand(weighted):
    levels = frame([{"A.X.1": 1, "A.X.2": 5, "A.Y.1": 2, "A.Y.2": 3, "A.Y.3": 4, "B.X.1": 4, "B.X.2": 5}],
                   weighted)
    scores = dxlab.score(levels, weighted, scheme="dma100")
    # (level − 1)/4 × 100 is affine, so each score is (mean − 1) × 25: A = (10/3 − 1)·25, B = 87.5, overall 65.625
    assert scores.dimensions.iloc[0].tolist() == pytest.approx([(10 / 3 - 1) * 25, 87.5])
    assert scores.overall["score"].iloc[0] == pytest.approx(65.625)


@pytest.mark.parametrize("value, band, label", [(0, 1, "Basic"), (25, 1, "Basic"), (25.01, 2, "Average"),
                                                (50, 2, "Average"), (50.5, 3, "Moderately advanced"),
                                                (75, 3, "Moderately advanced"), (75.5, 4, "Advanced"),
                                                (100, 4, "Advanced")])
def test_dma100_bands(tmp_path, value, band, label):
    # one criterion per dimension with weights realising any 0–100 value exactly: use levels 1 and 5 mixed
    dims = [{"id": "D", "title": "D", "groups": [{"id": "D.G", "title": "G", "criteria": [
        criterion("D.G.1", weight=100 - value if value < 100 else 1e-12), criterion("D.G.2", weight=value or 1e-12)]}]}]
    rubric = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict(dims)))
    scores = dxlab.score(frame([{"D.G.1": 1, "D.G.2": 5}], rubric), rubric, scheme="dma100")
    assert scores.overall["score"].iloc[0] == pytest.approx(value, abs=1e-6)
    assert scores.overall[["level", "level_label_en"]].iloc[0].tolist() == [band, label]


def test_dma100_dimension_band_hand_checked(weighted):
    levels = frame([{"A.X.1": 1, "A.X.2": 5, "A.Y.1": 2, "A.Y.2": 3, "A.Y.3": 4, "B.X.1": 4, "B.X.2": 5}],
                   weighted)
    scores = dxlab.score(levels, weighted, scheme="dma100")
    # A = 58.33 → band 3 (Moderately advanced), B = 87.5 → band 4
    assert scores.levels.iloc[0].tolist() == [3, 4]


# -- dbi2021 ---------------------------------------------------------------------------------------------

def mic_row(rubric, per_pillar: dict[str, list[int] | int]) -> dict:
    row = {}
    for pillar, (code, count) in MIC_SME.items():
        spec = per_pillar.get(pillar, 1)
        values = [spec] * count if isinstance(spec, int) else spec
        assert len(values) == count
        row.update({f"{code}.G.{i + 1}": v for i, v in enumerate(values)})
    return row


def dbi(rubric, rows):
    return dxlab.score(frame(rows, rubric), rubric, scheme="dbi2021")


def test_mic_worked_example_customer_39_of_65_is_level_3(mic_sme_rubric):
    scores = dbi(mic_sme_rubric, [mic_row(mic_sme_rubric, {"customer": 3})])
    assert scores.dimensions.loc[0, "CUS"] == 39
    assert scores.details["max_points"]["CUS"].iloc[0] == 65
    assert scores.details["share"].loc[0, "CUS"] == pytest.approx(0.6)
    assert scores.levels.loc[0, "CUS"] == 3


def test_mic_pillar_maxima(mic_sme_rubric):
    maxima = dbi(mic_sme_rubric, [mic_row(mic_sme_rubric, {})]).details["max_points"].iloc[0]
    assert maxima.to_dict() == {"CUS": 65, "STR": 25, "INF": 80, "OPS": 65, "CUL": 50, "DAT": 35}


@pytest.mark.parametrize("all_at, total, pillar_level, overall", [
    (1, 64, 1, 1),    # 64 = 59 + 5: pillars at 20 % → 1; level 2 needs total > 64 → stays 1
    (2, 128, 2, 2),   # 40 % → 2; level 3 needs total > 128
    (3, 192, 3, 3),   # 60 % → 3; level 4 needs total > 192
    (4, 256, 4, 4),   # 80 % → 4; level 5 needs total > 256
    (5, 320, 5, 5),
])
def test_mic_uniform_answers(mic_sme_rubric, all_at, total, pillar_level, overall):
    row = mic_row(mic_sme_rubric, {p: all_at for p in MIC_SME})
    scores = dbi(mic_sme_rubric, [row])
    assert scores.overall["score"].iloc[0] == total
    assert scores.levels.iloc[0].tolist() == [pillar_level] * 6
    assert scores.overall["level"].iloc[0] == overall


def test_mic_gate_needs_four_pillars(mic_sme_rubric):
    # Customer, Infrastructure and Operations at 5, the others at 1: 210 + 22 = 232 points (> 192),
    # but only 3 pillars reach any level above 1, so the overall level is 1.
    row = mic_row(mic_sme_rubric, {"customer": 5, "infrastructure": 5, "operations": 5})
    scores = dbi(mic_sme_rubric, [row])
    assert scores.overall["score"].iloc[0] == 232
    assert scores.levels.iloc[0].tolist() == [5, 1, 5, 5, 1, 1]
    assert scores.overall[["level", "level_label"]].iloc[0].tolist() == [1, "Khởi động"]


def test_mic_gate_level_4_needs_five_pillars_and_level_5_all_six(mic_sme_rubric):
    five = mic_row(mic_sme_rubric, {p: 5 for p in MIC_SME} | {"data": 1})          # 320 − 28 = 292
    four = mic_row(mic_sme_rubric, {p: 5 for p in MIC_SME} | {"data": 1, "culture": 1})  # 292 − 40 = 252
    almost = mic_row(mic_sme_rubric, {p: 5 for p in MIC_SME} | {"customer": [4] + [5] * 12})  # 319
    scores = dbi(mic_sme_rubric, [five, four, almost])
    assert scores.overall["score"].tolist() == [292, 252, 319]
    # five pillars at 5, total > 256 but not all six → 4; four pillars at 5 → level 4 needs 5 → 3
    assert scores.overall["level"].tolist() == [4, 3, 5]


def test_mic_gate_total_points(mic_sme_rubric):
    # Four pillars just above 40 % (level 3) but the total 113 ≤ 128 → overall 2, not 3.
    row = mic_row(mic_sme_rubric, {"customer": [3] + [2] * 12, "strategy": 3, "operations": [3] + [2] * 12,
                                   "culture": [3] + [2] * 9, "infrastructure": 1, "data": 1})
    scores = dbi(mic_sme_rubric, [row])
    assert scores.dimensions.iloc[0].tolist() == [27, 15, 16, 27, 21, 7]
    assert scores.levels.iloc[0].tolist() == [3, 3, 1, 3, 3, 1]
    assert scores.overall[["score", "level"]].iloc[0].tolist() == [113, 2]


def test_mic_level_0(mic_sme_rubric):
    # One criterion per pillar answered, the rest blank (0 points; allowed by a tiny min_answered):
    # shares 1/65, 10/25, 1/80, 1/65, 1/50, 1/35 → pillar levels 0, 2, 0, 0, 0, 0; total 15 ≤ 20 → level 0.
    row = {"CUS.G.1": 1, "STR.G.1": 2, "INF.G.1": 1, "OPS.G.1": 1, "CUL.G.1": 1, "DAT.G.1": 1}
    scores = dxlab.score(frame([row], mic_sme_rubric), mic_sme_rubric, scheme="dbi2021", min_answered=0.01)
    assert scores.dimensions.iloc[0].tolist() == [1, 10, 1, 1, 1, 1]
    assert scores.levels.iloc[0].tolist() == [0, 2, 0, 0, 0, 0]
    assert scores.overall[["score", "level", "level_label_en"]].iloc[0].tolist() == [15, 0, "Not started"]
    # the default min_answered (half of each pillar) leaves these pillars, and so the overall level, missing
    default = dxlab.score(frame([row], mic_sme_rubric), mic_sme_rubric, scheme="dbi2021")
    assert default.levels.iloc[0].isna().tolist() == [True, False, True, True, True, True]
    assert pd.isna(default.overall["level"].iloc[0])


def test_dbi_needs_all_six_pillars(weighted):
    with pytest.raises(ValueError, match="no dimension plays pillar"):
        dxlab.score(frame([{}], weighted), weighted, scheme="dbi2021")


def test_dbi_on_mobifone_scales_thresholds():
    rubric = dxlab.load_rubric("mobifone-dx")
    data = pd.DataFrame({c: [3] for c in rubric.criterion_ids}, dtype="Int8")
    scores = dxlab.score(data, rubric, scheme="dbi2021")
    total_max = scores.overall["max_points"].iloc[0]
    assert total_max == 5 * rubric.criteria["multiplier"].sum()
    assert scores.overall["score"].iloc[0] == pytest.approx(0.6 * total_max)
    assert scores.overall["level"].iloc[0] == 3


# -- input checks ----------------------------------------------------------------------------------------

def test_bad_inputs(weighted):
    good = frame([{c: 3 for c in weighted.criterion_ids}], weighted)
    with pytest.raises(ValueError, match="valid schemes are 'mean', 'dbi2021', 'dma100'"):
        dxlab.score(good, weighted, scheme="median")
    with pytest.raises(ValueError, match="min_answered"):
        dxlab.score(good, weighted, min_answered=0)
    text = good.astype(object)
    text.loc[0, "A.X.1"] = "Hình thành"
    with pytest.raises(ValueError, match=r"column 'A.X.1' holds .* parse raw answers first"):
        dxlab.score(text, weighted, source="survey.csv")
    out_of_range = good.astype("int64")
    out_of_range.loc[0, "B.X.2"] = 7
    with pytest.raises(ValueError, match=r"survey.csv: column 'B.X.2', row 0: 7"):
        dxlab.score(out_of_range, weighted, source="survey.csv")
    with pytest.raises(ValueError, match="none of rubric"):
        dxlab.score(pd.DataFrame({"x": [1]}), weighted)
    with pytest.warns(UserWarning, match="B.X.2"):
        dxlab.score(good.drop(columns="B.X.2"), weighted)


def test_plain_integer_columns_and_metadata(weighted):
    data = pd.DataFrame({c: [3, 4] for c in weighted.criterion_ids})
    data.insert(0, "response_id", ["r1", "r2"])
    data.insert(1, "sector", ["G", "C"])
    scores = dxlab.score(data, weighted)
    assert scores.overall.index.tolist() == ["r1", "r2"]
    assert scores.meta["sector"].tolist() == ["G", "C"]
    long = scores.long()
    assert list(long.columns) == ["response", "scope", "id", "score", "level"]
    assert len(long) == 2 * (7 + 3 + 2 + 1)
    assert long.query("response == 'r2' and scope == 'overall'")["score"].item() == 4.0
    wide = scores.wide()
    assert {"response", "sector", "score.A", "level.B", "overall.level_label"} <= set(wide.columns)


# -- reverse-keyed items and non-answers ------------------------------------------------------------------

@pytest.fixture(scope="module")
def reversed_rubric(tmp_path_factory):
    dims = [{"id": "A", "title": "A", "groups": [
        {"id": "A.X", "title": "AX", "criteria": [criterion("A.X.1"), criterion("A.X.2", reverse=True),
                                                 criterion("A.X.3"), criterion("A.X.4")]}]},
        {"id": "B", "title": "B", "groups": [{"id": "B.X", "title": "BX", "criteria": [criterion("B.X.1")]}]}]
    return dxlab.load_rubric(write_rubric(tmp_path_factory.mktemp("r"), rubric_dict(dims)))


def test_reverse_keyed_items_are_scored_min_plus_max_minus_x(reversed_rubric):
    levels = frame([{"A.X.1": 4, "A.X.2": 2, "A.X.3": 4, "A.X.4": 5, "B.X.1": 3}], reversed_rubric)
    scores = dxlab.score(levels, reversed_rubric)
    # A.X.2 answered 2 counts 1 + 5 − 2 = 4: A.X = (4 + 4 + 4 + 5)/4 = 4.25; overall = (4.25 + 3)/2 = 3.625
    assert scores.criteria.loc[0, "A.X.2"] == 4 and scores.groups.loc[0, "A.X"] == pytest.approx(4.25)
    assert scores.overall.loc[0, "score"] == pytest.approx(3.625)
    assert scores.reversed_items == ("A.X.2",) and "A.X.2" in scores.notes[0]
    dbi = dxlab.score(levels, reversed_rubric, scheme="dma100")
    assert dbi.groups.loc[0, "A.X"] == pytest.approx((75 + 75 + 75 + 100) / 4)  # (4−1)/4·100 for the reversed 2


def nonresponse(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["response_id", "criterion", "code"])


def test_not_applicable_leaves_the_denominator(reversed_rubric):
    rows = [{"A.X.1": 4, "A.X.3": 2, "B.X.1": 3}, {"A.X.1": 4, "A.X.3": 2, "B.X.1": 3}]
    levels = frame(rows, reversed_rubric)
    levels.insert(0, "response_id", ["r1", "r2"])
    # r1: A.X.2 and A.X.4 not applicable → 2 of the 2 that apply are answered; r2: they are "don't know".
    na = nonresponse([("r1", "A.X.2", "not_applicable"), ("r1", "A.X.4", "not_applicable"),
                      ("r2", "A.X.2", "dont_know"), ("r2", "A.X.4", "dont_know")])
    strict = dxlab.score(levels, reversed_rubric, min_answered=0.75, nonresponse=na)
    assert strict.groups["A.X"].tolist()[0] == pytest.approx(3.0)  # (4 + 2)/2, 2 of 2 applicable
    assert pd.isna(strict.groups["A.X"].tolist()[1])               # 2 of 4 answered < 0.75
    assert "2 answer(s) 'not applicable'" in strict.notes[-1]
    plain = dxlab.score(levels, reversed_rubric, min_answered=0.75)
    assert plain.groups["A.X"].isna().all()                         # without the table: plain missing


def test_a_group_all_not_applicable_leaves_the_dimension_denominator(weighted):
    row = {"A.X.1": 2, "A.X.2": 2, "B.X.1": 4, "B.X.2": 4}
    levels = frame([row], weighted)
    levels.insert(0, "response_id", ["r1"])
    na = nonresponse([("r1", c, "not_applicable") for c in ("A.Y.1", "A.Y.2", "A.Y.3")])
    scores = dxlab.score(levels, weighted, min_answered=1.0, nonresponse=na)
    assert scores.dimensions.loc["r1", "A"] == 2.0
    assert scores.overall.loc["r1", "score"] == pytest.approx((2 * 3 + 4) / 4)
    assert pd.isna(dxlab.score(levels, weighted, min_answered=1.0).overall.loc["r1", "score"])


def test_dbi_not_applicable_shrinks_the_pillar_maximum(mic_sme_rubric):
    row = mic_row(mic_sme_rubric, {"customer": 3})
    customer = [c for c in mic_sme_rubric.criterion_ids if c.startswith("CUS.")]
    for cid in customer[:3]:
        row[cid] = None
    levels = frame([row], mic_sme_rubric)
    levels.insert(0, "response_id", ["r1"])
    na = nonresponse([("r1", c, "not_applicable") for c in customer[:3]])
    scores = dxlab.score(levels, mic_sme_rubric, scheme="dbi2021", nonresponse=na)
    # 10 criteria apply: 30 points of a maximum 50 → share 0.6 (the same as 39 of 65) → level 3.
    assert scores.dimensions.loc["r1", "CUS"] == 30
    assert scores.details["share"].loc["r1", "CUS"] == pytest.approx(0.6) and scores.levels.loc["r1", "CUS"] == 3
    assert scores.overall.loc["r1", "max_points"] == 320 - 15
    missing = dxlab.score(levels, mic_sme_rubric, scheme="dbi2021")
    assert missing.details["share"].loc["r1", "CUS"] == pytest.approx(30 / 65)


def test_nonresponse_needs_its_columns(reversed_rubric):
    levels = frame([{"A.X.1": 4}], reversed_rubric)
    with pytest.raises(ValueError, match="nonresponse must be a DataFrame with columns"):
        dxlab.score(levels, reversed_rubric, nonresponse=pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="needs a response_id column"):
        dxlab.score(levels, reversed_rubric, nonresponse=nonresponse([]))


# -- properties ------------------------------------------------------------------------------------------

RUBRIC = dxlab.load_rubric("mobifone-dx")
K = len(RUBRIC.criterion_ids)
level_matrix = hnp.arrays(np.int8, st.tuples(st.integers(1, 6), st.just(K)), elements=st.integers(0, 5))


def as_frame(matrix: np.ndarray) -> pd.DataFrame:
    data = pd.DataFrame(matrix, columns=list(RUBRIC.criterion_ids)).astype("Int8")
    return data.mask(data == 0)  # 0 encodes "unanswered"


@settings(max_examples=80, deadline=None)
@given(level_matrix)
def test_mean_scores_stay_within_levels(matrix):
    scores = dxlab.score(as_frame(matrix), RUBRIC)
    for table in (scores.groups, scores.dimensions, scores.overall[["score"]]):
        values = table.to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        assert ((values >= 1 - 1e-12) & (values <= 5 + 1e-12)).all()


@settings(max_examples=80, deadline=None)
@given(level_matrix, st.data())
def test_raising_an_answer_never_lowers_a_score(matrix, data):
    row = data.draw(st.integers(0, matrix.shape[0] - 1))
    # Raise the maturity an answer says: a higher answer, or a lower one on a reverse-keyed item.
    reverse = [RUBRIC.criterion_ids.index(c) for c in RUBRIC.reverse_items]
    room = [c for c in np.flatnonzero(matrix[row] > 0) if (matrix[row, c] > 1 if c in reverse else matrix[row, c] < 5)]
    if not room:
        return
    col = data.draw(st.sampled_from(room))
    raised = matrix.copy()
    raised[row, col] = data.draw(st.integers(1, int(matrix[row, col]) - 1) if col in reverse
                                 else st.integers(int(matrix[row, col]) + 1, 5))
    for scheme in ("mean", "dma100", "dbi2021"):
        before, after = dxlab.score(as_frame(matrix), RUBRIC, scheme), dxlab.score(as_frame(raised), RUBRIC, scheme)
        for b, a in ((before.groups, after.groups), (before.dimensions, after.dimensions),
                     (before.overall[["score", "level"]].astype(float), after.overall[["score", "level"]].astype(float)),
                     (before.levels.astype(float), after.levels.astype(float))):
            b, a = b.to_numpy(dtype=float), a.to_numpy(dtype=float)
            both = ~np.isnan(b)
            assert (~np.isnan(a[both])).all()
            assert (a[both] >= b[both] - 1e-9).all(), scheme


def test_score_command_reads_the_nonresponse_table(tmp_path, capsys):
    from dxlab.cli import main

    rubric = dxlab.load_rubric("mobifone-dx")
    responses = pd.DataFrame({"response_id": ["r1"], **{c: [3] for c in rubric.criterion_ids}})
    responses["CUS.ENG.3"] = None
    responses.to_csv(tmp_path / "responses.csv", index=False)
    nonresponse([("r1", "CUS.ENG.3", "not_applicable")]).to_csv(tmp_path / "nr.csv", index=False)
    assert main(["score", str(tmp_path / "responses.csv"), "--rubric", "mobifone-dx", "--scheme", "dbi2021",
                 "--nonresponse", str(tmp_path / "nr.csv"), "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "1 answer(s) 'not applicable' left out of the denominator" in printed
    assert "reverse-keyed, scored as 1 + 5 − answer: CPO.CUL.3" in printed
    wide = pd.read_csv(tmp_path / "out" / "scores-dbi2021.csv")
    # CUS.ENG.3 not applicable: the maximum loses its 5 × multiplier points, and the CUS pillar stays at 3 of 5
    assert wide["level.CUS"].iloc[0] == 3
    assert wide["overall.max_points"].iloc[0] == pytest.approx(5 * (sum(c.multiplier for c in rubric.all_criteria)
                                                                    - rubric.criterion("CUS.ENG.3").multiplier))
