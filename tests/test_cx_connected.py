"""Connected strategy: the profile scores (by hand), the delivered rule at 50, ties, the links to the rubric
(texts from the rubric, not hard-coded), round trips and the figure."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dxlab  # noqa: E402
from dxlab import cx  # noqa: E402
from dxlab.cx import EXPERIENCES, PRESENT, ConnectedProfile, connected_links  # noqa: E402

from .conftest import criterion, rubric_dict, write_rubric  # noqa: E402

LINKED = {"CUS.ENG.1", "CUS.ENG.2", "CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def profile() -> ConnectedProfile:
    return ConnectedProfile("Hộp quà Đà Lạt", {
        "respond_to_desire.1": 4, "respond_to_desire.2": 3,   # 7/8  -> 87.5
        "curated_offering.1": 2, "curated_offering.2": 2,     # 4/8  -> 50.0 (delivered: the boundary)
        "coach_behaviour.1": 3, "coach_behaviour.2": 0,       # 3/8  -> 37.5
        "automatic_execution.1": 1,                           # 1/4  -> 25.0 (one of two answered)
    })


def test_questionnaire_has_two_statements_per_experience_in_both_languages():
    vi, en = cx.connected_questionnaire("vi"), cx.connected_questionnaire("en")
    assert list(vi.columns) == ["question", "experience", "experience_label", "text"]
    assert vi.groupby("experience").size().to_dict() == {e: 2 for e in EXPERIENCES}
    assert (vi["text"] != en["text"]).all() and vi["text"].str.len().gt(20).all()
    assert en["experience_label"].unique().tolist() == ["Respond to desire", "Curated offering", "Coach behaviour",
                                                        "Automatic execution"]


def test_scores_by_hand():
    scores = profile().scores(lang="en").set_index("experience")
    assert scores["score"].tolist()[:4] == pytest.approx([87.5, 50.0, 37.5, 25.0])
    assert scores["answered"].tolist() == [2, 2, 2, 1]
    assert scores["delivered"].tolist() == [True, True, False, False]
    assert scores["primary"].tolist() == [True, False, False, False]
    assert PRESENT == 50.0


def test_experiences_ordered_by_score_with_ties_in_canonical_order():
    p = ConnectedProfile("X", {"automatic_execution.1": 4, "automatic_execution.2": 4,
                               "curated_offering.1": 4, "curated_offering.2": 4,
                               "respond_to_desire.1": 3, "respond_to_desire.2": 2})
    # automatic 100, curated 100 (tie -> curated first, it comes earlier), respond 62.5
    assert p.experiences == ("curated_offering", "automatic_execution", "respond_to_desire")
    assert p.primary == "curated_offering"


def test_just_below_the_threshold_is_not_delivered():
    # 3 + 0 = 3 of 8 -> 37.5; 2 + 1 = 3 of 8 -> 37.5; 4 + 0 -> 50 exactly
    assert ConnectedProfile("X", {"coach_behaviour.1": 2, "coach_behaviour.2": 1}).experiences == ()
    assert ConnectedProfile("X", {"coach_behaviour.1": 4, "coach_behaviour.2": 0}).experiences == ("coach_behaviour",)
    assert ConnectedProfile("X").primary is None


def test_unanswered_experience_has_no_score():
    scores = ConnectedProfile("X", {"respond_to_desire.1": 0}).scores().set_index("experience")
    assert scores.loc["respond_to_desire", "score"] == 0.0
    assert math.isnan(scores.loc["coach_behaviour", "score"])
    assert not scores["delivered"].any()


@pytest.mark.parametrize("answers, message", [
    ({"respond_to_desire.1": 5}, "outside 0–4"),
    ({"respond_to_desire.1": -1}, "outside 0–4"),
    ({"respond_to_desire.1": 2.5}, "must be a whole number"),
    ({"respond_to_desire.1": "4"}, "must be a number"),
    ({"respond.1": 2}, "unknown question"),
    ([1, 2], "answers must be a mapping"),
])
def test_invalid_answers(answers, message):
    with pytest.raises(ValueError, match=message):
        ConnectedProfile("X", answers)


def test_offering_is_required():
    with pytest.raises(ValueError, match="offering is empty"):
        ConnectedProfile("", {})


def test_links_take_texts_from_the_rubric():
    rubric = dxlab.load_rubric("mobifone-dx")
    links = connected_links(rubric, "en")
    assert set(links["criterion"]) == LINKED
    assert set(links["experience"]) == set(EXPERIENCES)
    for row in links.itertuples():
        assert row.criterion_text == rubric.criterion(row.criterion).text.en
        assert row.descriptor == rubric.descriptor(row.criterion, row.level, "en")
        assert row.level_label == rubric.level_label(row.level, "en")
    vi = connected_links("mobifone-dx", "vi", ["automatic_execution"])
    assert vi["criterion"].tolist() == ["CUS.EXP.1", "CUS.ENG.2", "CUS.EXP.2"]
    assert vi.iloc[0]["descriptor"] == rubric.descriptor("CUS.EXP.1", 5, "vi")


def test_links_follow_a_different_rubric_and_fail_clearly_when_it_lacks_a_criterion(tmp_path):
    def group(gid):
        return {"id": gid, "title": {"vi": "N", "en": "G"},
                "criteria": [criterion(cid) for cid in sorted(LINKED) if cid.startswith(gid + ".")]}

    dims = [{"id": "CUS", "title": {"vi": "KH", "en": "C"}, "groups": [group("CUS.ENG"), group("CUS.EXP")]}]
    other = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict(dims, "other")))
    links = connected_links(other, "en", ["coach_behaviour"])
    assert links["criterion_text"].tolist() == ["Criterion CUS.ENG.2", "Criterion CUS.ENG.1"]  # from that rubric
    assert links["descriptor"].tolist() == ["CUS.ENG.2 level 5 descriptor", "CUS.ENG.1 level 5 descriptor"]
    dims[0]["groups"] = [{**group("CUS.ENG"), "criteria": [criterion("CUS.ENG.1")]}]
    thin = dxlab.load_rubric(write_rubric(tmp_path, rubric_dict(dims, "thin"), "thin.yaml"))
    with pytest.raises(ValueError, match=r"rubric 'thin' has no criteria CUS.ENG.2, CUS.ENG.3, CUS.EXP.1, CUS.EXP.2"):
        connected_links(thin)
    with pytest.raises(ValueError, match="unknown experience"):
        connected_links("mobifone-dx", experiences=["coach"])


def test_profile_criteria_are_those_of_the_delivered_experiences():
    crit = profile().criteria(lang="en")
    assert crit["experience"].unique().tolist() == ["respond_to_desire", "curated_offering"]
    assert crit["criterion"].tolist() == ["CUS.ENG.3", "CUS.EXP.1", "CUS.EXP.2", "CUS.ENG.1", "CUS.ENG.2", "CUS.EXP.2"]
    assert ConnectedProfile("X").criteria().empty


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_round_trip(tmp_path, suffix):
    p = profile()
    assert ConnectedProfile.load(p.save(tmp_path / f"c{suffix}")) == p
    assert cx.load(tmp_path / f"c{suffix}") == p
    reordered = ConnectedProfile(p.offering, dict(reversed(list(p.answer_map.items()))))
    assert reordered == p  # answers are kept in questionnaire order


def test_plot_bars_are_the_scores():
    ax = profile().plot(lang="en")
    bars = [patch for patch in ax.patches]
    assert [b.get_width() for b in bars] == pytest.approx([87.5, 50.0, 37.5, 25.0])
    assert [b.get_linewidth() > 0 and b.get_edgecolor()[3] > 0 for b in bars] == [True, False, False, False]
    threshold = next(line for line in ax.lines if line.get_gid() == "delivered-threshold")
    assert threshold.get_xdata()[0] == PRESENT
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Respond to desire", "Curated offering",
                                                            "Coach behaviour", "Automatic execution"]
    assert [b.get_y() + b.get_height() / 2 for b in bars] == pytest.approx([3, 2, 1, 0])


def test_plot_marks_unanswered():
    ax = ConnectedProfile("X").plot()
    assert sum(t.get_text() == "chưa trả lời" for t in ax.texts) == 4
    assert np.allclose([b.get_width() for b in ax.patches], 0)


def test_markdown_lists_criteria_and_myths_escaped():
    md = profile().to_markdown()
    assert "| Đáp ứng mong muốn | 88 | có |" in md and "| Huấn luyện hành vi | 38 | chưa |" in md
    assert "**CUS.ENG.3**" in md and "Bốn ngộ nhận cần tránh" in md and "4. Chỉ cần công nghệ" in md
    evil = ConnectedProfile("<script>x</script>")
    assert "<script>" not in evil.to_markdown() and "<script>" not in evil.to_html()
