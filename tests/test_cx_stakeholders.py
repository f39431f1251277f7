"""Stakeholder map: the quadrant rule at its boundaries, validation, tables, round trips and the figure."""

from __future__ import annotations

import json
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import yaml  # noqa: E402

from dxlab import cx  # noqa: E402
from dxlab.cx import HIGH, QUADRANTS, Stakeholder, StakeholderMap, classify_stakeholder  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def sample_map() -> StakeholderMap:
    return StakeholderMap([
        Stakeholder("Giám đốc", 8, 9, role="CEO"),
        Stakeholder("Nhân viên Zalo", 8, 3),
        Stakeholder("Kế toán trưởng", 3, 7),
        Stakeholder("Nhà cung cấp", 4, 3, notes="ít liên quan"),
    ], title="Bản đồ thử")


# -- the rule ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("support, influence, expected", [
    (8, 2, "collaborate"), (8, 8, "participate"), (2, 8, "defend"), (2, 2, "outsiders"),
    # the boundary: 5 is high, anything below is low
    (5, 5, "participate"), (5, 4.99, "collaborate"), (4.99, 5, "defend"), (4.99, 4.99, "outsiders"),
    (5, 0, "collaborate"), (0, 5, "defend"), (10, 10, "participate"), (0, 0, "outsiders"),
    (10, 4.999999, "collaborate"), (4.999999, 10, "defend"),
])
def test_quadrant_rule_and_its_boundary(support, influence, expected):
    assert classify_stakeholder(support, influence) == expected
    assert Stakeholder("A", support, influence).quadrant == expected


def test_high_threshold_is_five_and_quadrants_match_the_source():
    assert HIGH == 5.0
    flags = {key: (q.high_support, q.high_influence) for key, q in QUADRANTS.items()}
    assert flags == {"collaborate": (True, False), "participate": (True, True), "defend": (False, True),
                     "outsiders": (False, False)}
    for quadrant in QUADRANTS.values():
        for pair in (quadrant.label, quadrant.action, quadrant.engagement):
            vi, en = pair
            assert vi and en and vi != en


def test_engagement_text_in_both_languages():
    person = Stakeholder("A", 2, 9)
    assert person.engagement("vi") == QUADRANTS["defend"].engagement[0]
    assert person.engagement("en") == QUADRANTS["defend"].engagement[1]
    assert "concerns" in person.engagement("en")
    with pytest.raises(ValueError, match="lang must be one of"):
        person.engagement("fr")


# -- validation ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("support", [-0.1, 10.1, 11, -1, float("nan"), float("inf")])
def test_support_outside_scale_is_rejected(support):
    with pytest.raises(ValueError, match="support"):
        Stakeholder("A", support, 5)


@pytest.mark.parametrize("influence", [-0.01, 10.01, float("nan")])
def test_influence_outside_scale_is_rejected(influence):
    with pytest.raises(ValueError, match="influence"):
        Stakeholder("A", 5, influence)


@pytest.mark.parametrize("bad", ["7", None, True, [5]])
def test_scores_must_be_numbers(bad):
    with pytest.raises(ValueError, match="must be a number"):
        Stakeholder("A", bad, 5)


def test_scale_ends_are_accepted_and_numpy_numbers_become_python_numbers():
    person = Stakeholder("A", np.int64(0), np.float64(10.0))
    assert (person.support, person.influence) == (0, 10.0)
    assert type(person.support) is int and type(person.influence) is float
    yaml.safe_dump(person.to_dict())  # would fail on numpy scalars


@pytest.mark.parametrize("name", ["", "   ", None])
def test_empty_name_is_rejected(name):
    with pytest.raises(ValueError, match="name is empty"):
        Stakeholder(name, 5, 5)


def test_duplicate_names_are_rejected_ignoring_case_and_spacing():
    with pytest.raises(ValueError, match=r"stakeholders\[1\].*already used by stakeholders\[0\]"):
        StakeholderMap([Stakeholder("Giám đốc", 5, 5), Stakeholder("  giám   ĐỐC ", 1, 1)])


def test_names_differing_in_tone_marks_are_different_people():
    people = StakeholderMap([Stakeholder("Chị Hoa", 5, 5), Stakeholder("Chị Hòa", 1, 1)])
    assert people.names == ("Chị Hoa", "Chị Hòa")


def test_names_are_normalised_to_nfc():
    import unicodedata

    person = Stakeholder(unicodedata.normalize("NFD", " Giám đốc "), 5, 5)
    assert person.name == unicodedata.normalize("NFC", "Giám đốc")


# -- collection and tables -------------------------------------------------------------------------------
def test_table_columns_and_values():
    table = sample_map().table(lang="en")
    assert list(table.columns) == ["name", "role", "support", "influence", "quadrant", "quadrant_label",
                                   "engagement"]
    assert table["quadrant"].tolist() == ["participate", "collaborate", "defend", "outsiders"]
    assert table["quadrant_label"].tolist() == ["Participate", "Collaborate", "Defend", "Outsiders"]
    assert table.loc[0, "role"] == "CEO"
    assert table["support"].tolist() == [8.0, 8.0, 3.0, 4.0]


def test_summary_counts_every_quadrant():
    people = sample_map().with_stakeholder(Stakeholder("Trưởng phòng", 9, 6))
    summary = people.summary(lang="vi")
    assert summary["quadrant"].tolist() == list(QUADRANTS)
    assert summary.set_index("quadrant")["count"].to_dict() == {"collaborate": 1, "participate": 2, "defend": 1,
                                                                "outsiders": 1}
    assert summary.set_index("quadrant").loc["participate", "names"] == "Giám đốc, Trưởng phòng"
    assert StakeholderMap().summary()["count"].sum() == 0


def test_with_stakeholder_replaces_in_place_and_without_removes():
    people = sample_map()
    moved = people.with_stakeholder(Stakeholder("kế toán trưởng", 9, 9))
    assert moved.names == ("Giám đốc", "Nhân viên Zalo", "kế toán trưởng", "Nhà cung cấp")
    assert moved["Kế toán trưởng"].quadrant == "participate"
    assert people["Kế toán trưởng"].quadrant == "defend"  # the original is unchanged (frozen)
    assert len(moved.without("Giám đốc")) == 3
    with pytest.raises(KeyError, match="no stakeholder named"):
        people.without("Ai đó")


# -- round trips --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_round_trip_through_files(tmp_path, suffix):
    people = sample_map()
    path = people.save(tmp_path / f"map{suffix}")
    assert StakeholderMap.load(path) == people
    assert cx.load(path) == people
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    assert data["kind"] == "stakeholder_map"
    assert "Giám đốc" in text  # written as UTF-8, not escaped


def test_round_trip_through_dict():
    people = sample_map()
    assert StakeholderMap.from_dict(people.to_dict()) == people
    assert StakeholderMap.from_dict({"stakeholders": [{"name": "A", "support": 1, "influence": 2}]})["A"].support == 1


def test_load_errors_name_the_file_and_the_field(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("kind: stakeholder_map\nstakeholders:\n  - {name: A, support: 3, influence: 2}\n"
                    "  - {name: B, support: 11, influence: 2}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.yaml: stakeholders\[1\]: B: support = 11 is outside 0–10"):
        StakeholderMap.load(path)
    path.write_text("kind: stakeholder_map\nstakeholders:\n  - {name: A, suport: 3, influence: 2}\n")
    with pytest.raises(ValueError, match=r"unknown key\(s\) 'suport'"):
        StakeholderMap.load(path)
    path.write_text("kind: stakeholder_map\nstakeholders:\n  - {name: A, influence: 2}\n")
    with pytest.raises(ValueError, match=r"stakeholders\[0\]: 'support' is missing"):
        StakeholderMap.load(path)
    path.write_text("kind: persona\nname: X\n")
    with pytest.raises(ValueError, match="holds a 'persona', not a 'stakeholder_map'"):
        StakeholderMap.load(path)
    path.write_text("kind: stakeholder_map\nstakeholders: [\n  {name: A\n")
    with pytest.raises(ValueError, match=r"bad\.yaml: not valid YAML \(line \d+, column \d+\)"):
        StakeholderMap.load(path)
    path.write_text("- just\n- a list\n")
    with pytest.raises(ValueError, match="expected a mapping at the top"):
        StakeholderMap.load(path)
    with pytest.raises(ValueError, match=r"unknown file type '\.txt'"):
        sample_map().save(tmp_path / "map.txt")
    with pytest.raises(FileNotFoundError):
        StakeholderMap.load(tmp_path / "missing.yaml")


def test_load_uses_safe_yaml(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("kind: stakeholder_map\ntitle: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(ValueError, match="not valid YAML"):
        StakeholderMap.load(path)


# -- rendering ----------------------------------------------------------------------------------------------
def test_plot_puts_each_stakeholder_at_its_scores():
    people = sample_map()
    ax = people.plot()
    scatter = next(c for c in ax.collections if c.get_gid() == "stakeholders")
    np.testing.assert_array_equal(scatter.get_offsets(), [[8, 9], [8, 3], [3, 7], [4, 3]])
    colours = [matplotlib.colors.to_hex(c) for c in scatter.get_facecolors()]
    from dxlab.cx._style import QUADRANT_COLOURS
    assert colours == [QUADRANT_COLOURS[k] for k in ("participate", "collaborate", "defend", "outsiders")]
    boundaries = {line.get_gid(): line for line in ax.lines}
    assert boundaries["boundary-support"].get_xdata()[0] == HIGH
    assert boundaries["boundary-influence"].get_ydata()[0] == HIGH
    names = [t.get_text() for t in ax.texts]
    assert all(name in names for name in people.names)
    quadrant_labels = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert quadrant_labels["quadrant-defend"].startswith("Phòng vệ")
    assert ax.get_xlabel().startswith("Mức độ ủng hộ")


def test_plot_in_english_on_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    ax = sample_map().plot(ax=right, lang="en")
    assert ax is right and ax.figure is fig
    assert ax.get_xlabel() == "Support (0–10)"
    assert {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}["quadrant-outsiders"].startswith("Outsiders")
    assert not left.collections


def test_names_on_the_same_spot_do_not_overlap():
    people = StakeholderMap([Stakeholder("A", 6, 6), Stakeholder("B", 6, 6)])
    ax = people.plot()
    offsets = {t.get_text(): t.xyann for t in ax.texts if t.get_text() in ("A", "B")}
    assert offsets["A"] != offsets["B"]


def test_empty_map_plots():
    ax = StakeholderMap().plot()
    assert len(next(c for c in ax.collections if c.get_gid() == "stakeholders").get_offsets()) == 0


SCRIPT = "<script>alert('x')</script>"


def test_participant_text_is_escaped_in_html_and_markdown():
    people = StakeholderMap([Stakeholder(SCRIPT, 5, 5, role="a | b *c*")], title=SCRIPT)
    html = people.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    md = people.to_markdown(lang="en")
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert r"a \| b \*c\*" in md  # a pipe would break the table, stars would turn bold
    row = next(line for line in md.splitlines() if line.startswith("| &lt;script"))
    assert len(re.findall(r"(?<!\\)\|", row)) == 7  # unescaped pipes: still six cells
    assert people._repr_html_() == html


def test_markdown_table_values():
    md = sample_map().to_markdown(lang="en")
    assert "| Giám đốc | CEO | 8 | 9 | Participate |" in md
    assert "score of 5 or more is high" in md
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert len(rows) == 1 + 4  # header and one row per stakeholder
