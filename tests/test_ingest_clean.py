"""Cleaning: invalid answers, duplicates, junk rows, outputs — and, over generated messy exports, that no row
is ever lost."""

from __future__ import annotations

import importlib.util
import tempfile
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dxlab
from dxlab.cli import main as cli_main
import functools

from dxlab.ingest import clean_to_folder as _clean_to_folder, read_export as _read_export

HERE = Path(__file__).resolve().parent
# These exports answer 3 of the rubric's 30 criteria on purpose: small enough to check by hand.
read_export = functools.partial(_read_export, allow_partial=True)
clean_to_folder = functools.partial(_clean_to_folder, allow_partial=True)
RUBRIC = dxlab.load_rubric("mobifone-dx")
ENG1 = RUBRIC.criterion("CUS.ENG.1").text.vi
ENG3 = RUBRIC.criterion("CUS.ENG.3").text.vi
EXP2 = RUBRIC.criterion("CUS.EXP.2").text.vi
HEADER = ["Dấu thời gian", "Địa chỉ email", "Tên doanh nghiệp", "Mã số thuế", "Tỉnh/Thành phố",
          "Ngành nghề kinh doanh chính", f"1. {ENG1}", f"2. {ENG3}", f"3. {EXP2}", "Ý kiến khác"]


def write(tmp_path: Path, rows: list[list[str]], name: str = "export.csv", header=HEADER) -> Path:
    import csv

    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def row(time="01/03/2026 10:00:00", email="a@x.example", name="Công ty A", tax="0100000001", province="Hà Nội",
        sector="Bán lẻ", eng1="Mức 3 - Hình thành", eng3="35%", exp2="Nâng cao", comment=""):
    return [time, email, name, tax, province, sector, eng1, eng3, exp2, comment]


def test_invalid_answers_become_na_with_their_row(tmp_path):
    path = write(tmp_path, [row(), row(name="B", tax="0100000002", eng1="Hình thàn", eng3="120%", exp2="Mức 2"),
                            row(name="C", tax="0100000003", eng1="Mức 1", eng3="", exp2="Mức 6")])
    result = read_export(path, RUBRIC)
    levels = result.responses[["CUS.ENG.1", "CUS.ENG.3", "CUS.EXP.2"]].astype("float").fillna(-1)
    assert levels.values.tolist() == [[3, 2, 4], [-1, -1, 2], [1, -1, -1]]
    cells = result.issues.set_index("value")
    assert cells["row"].to_dict() == {"Hình thàn": 3, "120%": 3, "Mức 6": 4}  # header = spreadsheet row 1
    assert cells.loc["Mức 6", "problem"] == "6 is not a level (1–5)"
    assert cells.loc["120%", "problem"] == "percentage 120 is outside 0–100"
    assert cells.loc["Hình thàn", "column"] == f"1. {ENG1}"
    assert set(cells["action"]) == {"set to <NA>"}
    assert result.quarantined.empty
    assert result.responses.dtypes["CUS.ENG.1"] == "Int8"


def test_row_with_no_valid_answer_is_quarantined(tmp_path):
    path = write(tmp_path, [row(), row(name="B", tax="0100000002", eng1="", eng3="", exp2="x")])
    result = read_export(path, RUBRIC)
    assert list(result.responses["source_row"]) == [2]
    assert result.quarantined[["row", "problem", "action"]].values.tolist() == [
        [3, "no valid answer to any criterion", "row quarantined"]]
    assert (result.issues["value"] == "x").sum() == 1  # the cell that explains it is listed too


@pytest.mark.parametrize("policy, kept, quarantined", [
    ("latest", [3, 4], [2]), ("first", [2, 4], [3]), ("keep-all", [2, 3, 4], [])])
def test_duplicate_policies(tmp_path, policy, kept, quarantined):
    path = write(tmp_path, [
        row(time="02/03/2026 09:00:00", eng1="Mức 2"),
        row(time="05/03/2026 09:00:00", name="CÔNG TY A", eng1="Mức 4"),   # same tax code, later
        row(time="03/03/2026 09:00:00", name="Công ty B", tax="0100000002"),
    ])
    result = read_export(path, RUBRIC, duplicates=policy)
    assert sorted(result.responses["source_row"]) == kept
    assert list(result.quarantined["row"]) == quarantined
    if policy == "latest":
        assert result.quarantined.loc[0, "action"] == "row quarantined; kept row 3 (latest)"
        assert result.quarantined.loc[0, "value"] == "0100000001"
    if policy == "keep-all":
        noted = result.issues[result.issues["problem"].str.startswith("duplicate")]
        assert list(noted["row"]) == [2, 3] and set(noted["action"]) == {"kept (duplicates='keep-all')"}


def test_duplicates_match_by_name_without_tax_code_and_by_wave(tmp_path):
    path = write(tmp_path, [
        row(time="02/03/2026 09:00:00"),
        row(time="04/03/2026 09:00:00", name="cong ty a", tax=""),          # borrows A's tax code by name
        row(time="04/03/2025 09:00:00", name="Công ty C", tax="0100000003"),
        row(time="04/03/2026 09:00:00", name="Công ty C", tax="0100000003"),  # other year: other wave
    ])
    result = read_export(path, RUBRIC)
    assert list(result.quarantined["row"]) == [2]
    assert sorted(result.responses["wave"]) == ["2025", "2026", "2026"]
    assert sorted(result.responses["source_row"]) == [3, 4, 5]
    same_wave = read_export(path, RUBRIC, wave="2026-I")
    assert sorted(same_wave.quarantined["row"]) == [2, 4]


def test_ties_and_missing_times_go_by_row_order(tmp_path):
    path = write(tmp_path, [row(time=""), row(time="01/03/2026 10:00:00"), row(time="01/03/2026 10:00:00")])
    result = read_export(path, RUBRIC, wave="w")
    assert list(result.responses["source_row"]) == [4]
    assert list(result.quarantined["row"]) == [2, 3]


def test_junk_rows(tmp_path):
    rows = [row(), [""] * len(HEADER), list(HEADER), row(name="Test", tax=""), row(name="test thử", tax=""),
            row(name="Công ty Testa", tax="0100000009")]
    result = read_export(write(tmp_path, rows), RUBRIC)
    assert result.quarantined[["row", "problem"]].values.tolist() == [
        [3, "empty row"], [4, "repeated header row"], [5, "test submission"], [6, "test submission"]]
    assert list(result.responses["source_row"]) == [2, 7]
    assert result.summary_table().set_index("problem")["rows"].to_dict() == {"test submission": 2,
                                                                             "empty row": 1,
                                                                             "repeated header row": 1}


def test_metadata_recoded_and_unknowns_reported(tmp_path):
    rows = [row(province="TP. HCM", sector="bán buôn và bán lẻ"), row(name="B", tax="0100000002",
                                                                       province="Atlantis", sector="Khác")]
    result = read_export(write(tmp_path, rows), RUBRIC)
    # Unrecognised text is never kept in (or guessed into) the standard column: <NA> there, as written in *_raw.
    assert result.responses["province"].tolist()[0] == "Hồ Chí Minh" and pd.isna(result.responses["province"][1])
    assert result.responses["sector"].tolist()[0] == "G" and pd.isna(result.responses["sector"][1])
    assert list(result.responses["province_raw"]) == ["TP. HCM", "Atlantis"]
    assert list(result.responses["sector_raw"]) == ["bán buôn và bán lẻ", "Khác"]
    unknown = result.issues[result.issues["problem"] == "unrecognised"]
    assert unknown[["row", "value"]].values.tolist() == [[3, "Atlantis"], [3, "Khác"]]
    assert unknown["action"].str.startswith("province left <NA>; kept as written in province_raw").tolist() == [
        True, False]
    recodes = result.recodes.set_index("value")
    assert recodes.loc["TP. HCM", "to"] == "Hồ Chí Minh" and recodes.loc["TP. HCM", "rows"] == 1
    assert recodes.loc["bán buôn và bán lẻ", "to"] == "G"


def test_response_columns_and_order(tmp_path):
    result = read_export(write(tmp_path, [row()]), RUBRIC)
    columns = list(result.responses.columns)
    assert columns[:9] == ["response_id", "enterprise_id", "submitted_at", "wave", "sector", "size", "province",
                           "respondent_role", "weight"]
    first_criterion = columns.index(RUBRIC.criterion_ids[0])
    assert columns[first_criterion:first_criterion + len(RUBRIC.criterion_ids)] == list(RUBRIC.criterion_ids)
    assert columns[-1] == "Ý kiến khác"  # unmapped comment kept at the end
    assert columns.index("source_row") < first_criterion
    assert result.responses.loc[0, "weight"] == 1.0 and result.responses.loc[0, "response_id"] == "R000002"
    responses, issues, mapping = result
    assert responses is result.responses and issues is result.issues and mapping is result.mapping


def test_clean_to_folder_writes_safe_outputs(tmp_path):
    rows = [row(comment="=HYPERLINK(\"http://x.invalid\")"), row(name="B", tax="0100000002", eng1="@SUM(A1)")]
    result = clean_to_folder(write(tmp_path, rows), RUBRIC, tmp_path / "out", lang="en")
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["issues.csv", "mapping.yaml", "nonresponse.csv", "recodes.csv",
                                                     "responses.csv", "responses.parquet", "summary.txt"]
    back = pd.read_parquet(out / "responses.parquet")
    assert back["CUS.ENG.1"].dtype == "Int8" and len(back) == len(result.responses) == 2
    pd.testing.assert_series_equal(back["CUS.ENG.3"], result.responses["CUS.ENG.3"])
    csv_text = (out / "responses.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text and ",=HYPERLINK" not in csv_text
    issues_text = (out / "issues.csv").read_text(encoding="utf-8-sig")
    assert "'@SUM(A1)" in issues_text
    assert result.responses.loc[0, "Ý kiến khác"].startswith("=HYPERLINK")  # the frame itself is untouched
    summary = (out / "summary.txt").read_text(encoding="utf-8")
    assert "rows read    2" in summary and "kept         2 responses" in summary


def test_clean_cli(tmp_path, capsys):
    path = write(tmp_path, [row(), row(time="02/03/2026 10:00:00")])
    assert cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--out", str(tmp_path / "o"),
                     "--allow-partial", "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "quarantined  1 rows" in printed and "duplicate submission" in printed
    assert (tmp_path / "o" / "responses.parquet").exists()
    assert cli_main(["clean", str(tmp_path / "missing.csv"), "--rubric", "mobifone-dx"]) == 2


def test_unknown_policy_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="'latest', 'first', 'keep-all'"):
        read_export(write(tmp_path, [row()]), RUBRIC, duplicates="newest")


# -- property: no row is ever lost -----------------------------------------------------------------------
_spec = importlib.util.spec_from_file_location("make_fixtures", HERE / "fixtures_vi" / "make_fixtures.py")
_made = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_made)

LEVEL_SPELLINGS = {1: ["1", "Mức 1", "khoi tao", "Khởi động"], 2: ["Mức 2 - Bắt đầu", "bắt đầu"],
                   3: ["3", "Hình thành", "(3) Hình thành"], 4: ["Nâng cao.", "Level 4"], 5: ["Dẫn dắt", "5"]}
PERCENT_SPELLINGS = {1: ["10%", "Dưới 20%"], 2: ["35", "Từ 20% đến 40%"], 3: ["45,5 %"], 4: ["Từ 60% đến 80%"],
                     5: ["Trên 80%", "95 %"]}
INVALID = ["Hình thàn", "?", "Mức 9", "khoảng một nửa"]

answer = st.one_of(st.none(), st.integers(1, 5), st.sampled_from(INVALID))
kind = st.sampled_from(["ok"] * 6 + ["blank", "header", "test", "noanswer"])
record = st.tuples(kind, st.integers(0, 5), st.integers(0, 400), answer, answer, answer, st.booleans())


def _cell(value, spellings, draw_index):
    if value is None:
        return ""
    if isinstance(value, int):
        options = spellings[value]
        return options[draw_index % len(options)]
    return value


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(record, min_size=1, max_size=30),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]),
       policy=st.sampled_from(["latest", "first", "keep-all"]))
def test_no_row_is_ever_lost(records, encoding, policy):
    rows, expected = [], {}
    for i, (what, who, minutes, eng1, eng3, exp2, newline) in enumerate(records):
        line = i + 2
        stamp = (pd.Timestamp("2026-03-01") + pd.Timedelta(minutes=minutes)).strftime("%d/%m/%Y %H:%M:%S")
        comment = "dòng một\r\ndòng hai" if newline else "ok"
        if what == "blank":
            rows.append([""] * len(HEADER))
        elif what == "header":
            rows.append(list(HEADER))
        elif what == "test":
            rows.append(row(time=stamp, name="Test", tax="", comment=comment))
        elif what == "noanswer":
            rows.append(row(time=stamp, name=f"Công ty {who}", tax=f"01000000{who:02d}", eng1="", eng3="?",
                            exp2="", comment=comment))
        else:
            cells = [_cell(eng1, LEVEL_SPELLINGS, i), _cell(eng3, PERCENT_SPELLINGS, i), _cell(exp2, LEVEL_SPELLINGS, i)]
            rows.append(row(time=stamp, name=f"Công ty {who}", tax=f"01000000{who:02d}", eng1=cells[0],
                            eng3=cells[1], exp2=cells[2], comment=comment))
            expected[line] = [v if isinstance(v, int) else None for v in (eng1, eng3, exp2)]
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
    text = buffer.getvalue()
    data = _made.cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "messy.csv"
        path.write_bytes(data)
        result = read_export(path, RUBRIC, duplicates=policy)

    all_rows = set(range(2, len(records) + 2))
    kept = list(result.responses["source_row"])
    quarantined = list(result.quarantined["row"])
    assert len(kept) == len(set(kept)) and len(quarantined) == len(set(quarantined))
    assert set(kept).isdisjoint(quarantined)
    assert set(kept) | set(quarantined) == all_rows
    assert result.source.rows_read == len(records)
    # Every kept answer is the level that was written (or missing when it was blank or invalid).
    for _, response in result.responses.iterrows():
        levels = expected[response["source_row"]]
        got = [None if pd.isna(response[c]) else int(response[c]) for c in ("CUS.ENG.1", "CUS.ENG.3", "CUS.EXP.2")]
        assert got == levels
        assert unicodedata.is_normalized("NFC", response["enterprise_name"])
    if policy == "keep-all":
        assert not (result.quarantined["problem"].str.startswith("duplicate")).any()


def test_email_identifies_the_respondent_when_nothing_else_does(tmp_path):
    header = ["Timestamp", "Email", f"[CUS.ENG.1] {ENG1}"]
    rows = [["3/1/2026 10:00:00", "Lan@X.example", "2"], ["3/2/2026 10:00:00", "lan@x.example", "4"],
            ["3/2/2026 11:00:00", "anonymous", "3"], ["3/3/2026 11:00:00", "anonymous", "5"]]
    result = read_export(write(tmp_path, rows, header=header), RUBRIC)
    assert result.quarantined[["row", "column", "value"]].values.tolist() == [[2, "Email", "Lan@X.example"]]
    assert list(result.responses["CUS.ENG.1"]) == [4, 3, 5]  # "anonymous" is nobody in particular


def test_summary_counts_by_reason_and_lists_unmapped_columns(tmp_path):
    path = write(tmp_path, [row(), row(time="02/03/2026 10:00:00"), [""] * len(HEADER)])
    result = read_export(path, RUBRIC)
    lines = result.summary("en").splitlines()
    assert "  rows read    3" in lines and "  kept         1 responses" in lines and "  quarantined  2 rows" in lines
    by_reason = {line.rsplit(None, 1)[0].strip(): int(line.rsplit(None, 1)[1]) for line in lines
                 if line.startswith("    ")}
    # The e-mail says who answered, so the duplicate is the same respondent's re-submission.
    assert by_reason == {"duplicate submission (same enterprise, respondent and wave)": 1, "empty row": 1}
    assert "  unmapped     1 kept as extra columns: 'Ý kiến khác'" in lines
    assert f"  mapped       3 of {len(RUBRIC.criterion_ids)} criteria" in "\n".join(lines)


# -- non-answers, respondents, the rubric check, extra columns, unrecognised metadata -----------------------

def test_non_answers_are_kept_apart_and_never_issues(tmp_path):
    rows = [row(eng1="Không biết", eng3="Không áp dụng", exp2="Mức 2"),
            row(name="B", tax="0100000002", email="b@x.example", eng1="Unfamiliar (N/A)", eng3="N/A",
                exp2="không rõ"),
            row(name="C", tax="0100000003", email="c@x.example", eng1="Chưa áp dụng", eng3="40%", exp2="Mức 3")]
    result = read_export(write(tmp_path, rows), RUBRIC)
    # Row B answered only with non-answers: kept (the respondent answered), every criterion <NA>.
    assert list(result.responses["source_row"]) == [2, 3, 4]
    table = result.nonresponse
    assert list(table.columns) == ["row", "response_id", "column", "criterion", "value", "code"]
    assert table[["row", "criterion", "value", "code"]].values.tolist() == [
        [2, "CUS.ENG.1", "Không biết", "dont_know"], [2, "CUS.ENG.3", "Không áp dụng", "not_applicable"],
        [3, "CUS.ENG.1", "Unfamiliar (N/A)", "dont_know"], [3, "CUS.ENG.3", "N/A", "not_applicable"],
        [3, "CUS.EXP.2", "không rõ", "dont_know"]]
    assert set(table["response_id"]) <= set(result.responses["response_id"])
    assert result.nonresponse_counts == {"not_applicable": 2, "dont_know": 3}
    # MobiFone's level criteria have no "not applicable": "Chưa áp dụng" there is an issue (pick level 1).
    assert result.issues["value"].tolist() == ["Chưa áp dụng"]
    assert result.responses.loc[:1, ["CUS.ENG.1", "CUS.ENG.3"]].isna().all().all()
    assert any("2 not applicable, 3 don't know" in note for note in result.notes)
    scores = dxlab.score(result.responses, RUBRIC, nonresponse=result.nonresponse)
    assert "left out of the denominator" in scores.notes[-1]


def test_non_answers_from_the_mapping_file_and_keyword(tmp_path):
    path = write(tmp_path, [row(eng1="Bỏ qua", eng3="Không trả lời")])
    mapping = tmp_path / "m.yaml"
    mapping.write_text('non_answers:\n  "Bỏ qua": dont_know\ncolumns: []\n', encoding="utf-8")
    result = read_export(path, RUBRIC, mapping=mapping, non_answers={"Không trả lời": "not_applicable"})
    assert result.nonresponse["code"].tolist() == ["dont_know", "not_applicable"] and result.issues.empty
    mapping.write_text('non_answers:\n  "Bỏ qua": maybe\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"m\.yaml: non_answers\['Bỏ qua'\]: meaning must be one of"):
        read_export(path, RUBRIC, mapping=mapping)


RESPONDENT_HEADER = ["Dấu thời gian", "Mã số thuế", "Chức vụ", f"1. {ENG1}"]


@pytest.mark.parametrize("policy, kept", [("latest", [2, 5]), ("first", [2, 3]), ("keep-all", [2, 3, 4, 5])])
def test_several_respondents_of_one_enterprise_are_not_duplicates(tmp_path, policy, kept):
    rows = [["01/03/2026 09:00:00", "0100000001", "Giám đốc", "Mức 3"],
            ["01/03/2026 10:00:00", "0100000001", "Trưởng phòng CNTT", "Mức 2"],   # a second respondent
            ["02/03/2026 10:00:00", "0100000001", "trưởng phòng cntt", "Mức 4"],   # the same one again
            ["03/03/2026 10:00:00", "0100000001", "Trưởng phòng CNTT", "Mức 5"]]   # and again
    result = read_export(write(tmp_path, rows, header=RESPONDENT_HEADER), RUBRIC, duplicates=policy)
    assert list(result.responses["source_row"]) == kept
    if policy == "latest":
        assert result.quarantined["problem"].unique().tolist() == [
            "duplicate submission (same enterprise, respondent and wave)"]
        assert list(result.quarantined["row"]) == [3, 4]


def test_respondent_code_wins_over_role(tmp_path):
    header = ["Mã số thuế", "Mã người trả lời", "Chức vụ", f"1. {ENG1}"]
    rows = [["0100000001", "NV01", "Giám đốc", "Mức 3"], ["0100000001", "NV02", "Giám đốc", "Mức 2"],
            ["0100000001", "nv01", "Kế toán", "Mức 4"]]
    result = read_export(write(tmp_path, rows, header=header), RUBRIC, wave="2026")
    assert result.mapping.metadata["respondent_id"] == "Mã người trả lời"
    assert list(result.responses["source_row"]) == [3, 4] and list(result.quarantined["row"]) == [2]
    assert list(result.responses["respondent_id"]) == ["NV02", "nv01"]


def test_without_a_respondent_column_the_enterprise_and_wave_decide(tmp_path):
    header = ["Dấu thời gian", "Mã số thuế", f"1. {ENG1}"]
    rows = [["01/03/2026 09:00:00", "0100000001", "Mức 3"], ["01/03/2026 10:00:00", "0100000001", "Mức 2"]]
    result = read_export(write(tmp_path, rows, header=header), RUBRIC)
    assert result.quarantined["problem"].tolist() == ["duplicate submission (same enterprise and wave)"]


def test_the_wrong_rubric_is_refused_and_the_best_fit_named(tmp_path, monkeypatch):
    monkeypatch.setenv("DXLAB_LANG", "en")
    six = dxlab.load_rubric("dx-six-facets")
    header = ["Mã số thuế", *(f"[{cid}] {six.criterion(cid).text.vi}" for cid in six.criterion_ids)]
    path = write(tmp_path, [["0100000001", *["3"] * len(six.criterion_ids)]], header=header)
    with pytest.raises(ValueError) as info:
        _read_export(path, RUBRIC)
    message = str(info.value)
    assert str(path) in message and f"only 0 of the {len(RUBRIC.criterion_ids)} criteria" in message
    assert "'dx-six-facets' fits best (12 of 12 criteria)" in message and "allow_partial=True" in message
    partial = _read_export(path, RUBRIC, allow_partial=True)  # read anyway: every criterion <NA>
    assert partial.responses[list(RUBRIC.criterion_ids)].isna().all().all()
    assert len(_read_export(path, six).responses) == 1
    monkeypatch.setenv("DXLAB_LANG", "vi")
    with pytest.raises(ValueError, match=r"chỉ 0 trên 31 tiêu chí .* 'dx-six-facets' khớp nhất \(12 trên 12"):
        _read_export(path, RUBRIC)
    assert cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--out", str(tmp_path / "o")]) == 2
    assert cli_main(["clean", str(path), "--rubric", "mobifone-dx", "--out", str(tmp_path / "o"),
                     "--allow-partial"]) == 0


def test_half_the_criteria_is_enough(tmp_path, monkeypatch):
    monkeypatch.setenv("DXLAB_LANG", "en")
    half = RUBRIC.criterion_ids[: (len(RUBRIC.criterion_ids) + 1) // 2]
    header = ["Mã số thuế", *(f"[{cid}]" for cid in half)]
    path = write(tmp_path, [["0100000001", *["3"] * len(half)]], header=header)
    assert len(_read_export(path, RUBRIC).responses) == 1
    with pytest.raises(ValueError, match=f"only {len(half) - 1} of the"):
        _read_export(write(tmp_path, [["0100000001", *["3"] * (len(half) - 1)]], "less.csv",
                           header=header[:-1]), RUBRIC)


def test_numeric_extra_columns_come_back_numeric(tmp_path):
    header = [*HEADER, "Tuổi", "Số chi nhánh", "Điểm", "Mã nội bộ", "Ghi chú số"]
    rows = [[*row(), "35", "2", "7.5", "007", "12"], [*row(name="B", tax="0100000002", email="b@x.example"),
                                                       "", "10", "8", "012", "không"]]
    result = read_export(write(tmp_path, rows, header=header), RUBRIC)
    frame = result.responses
    assert str(frame["Tuổi"].dtype) == "Int64" and frame["Tuổi"].tolist()[0] == 35 and pd.isna(frame["Tuổi"][1])
    assert str(frame["Số chi nhánh"].dtype) == "Int64" and frame["Số chi nhánh"].sum() == 12
    assert str(frame["Điểm"].dtype) == "Float64" and frame["Điểm"].tolist() == [7.5, 8.0]
    assert frame["Mã nội bộ"].tolist() == ["007", "012"]   # leading zeros: a code, kept as text
    assert frame["Ghi chú số"].tolist() == ["12", "không"]


@pytest.mark.parametrize("text", ["Năm 2020", "ISO 9001", "2 chi nhánh", "<script>alert(1)</script>"])
def test_unrecognised_size_is_an_issue_and_kept_raw_never_guessed(tmp_path, text):
    header = ["Mã số thuế", "Quy mô doanh nghiệp", "Ngành nghề kinh doanh chính", "Tỉnh/Thành phố", f"1. {ENG1}"]
    rows = [["0100000001", text, text, text, "Mức 3"], ["0100000002", "Nhỏ", "Bán lẻ", "Hà Nội", "Mức 2"]]
    result = read_export(write(tmp_path, rows, header=header), RUBRIC)
    frame = result.responses
    for field in ("size", "sector", "province"):
        assert pd.isna(frame[field][0]) and frame[f"{field}_raw"].tolist() == [text, rows[1][header.index(
            {"size": "Quy mô doanh nghiệp", "sector": "Ngành nghề kinh doanh chính",
             "province": "Tỉnh/Thành phố"}[field])]]
    assert frame[["size", "sector", "province"]].iloc[1].tolist() == ["small", "G", "Hà Nội"]
    unrecognised = result.issues[result.issues["problem"] == "unrecognised"]
    assert sorted(unrecognised["column"]) == sorted(header[1:4]) and set(unrecognised["row"]) == {2}
    assert "size left <NA>; kept as written in size_raw" in " ".join(unrecognised["action"])
    assert not (result.recodes["value"] == text).any()


def test_an_extra_column_never_overwrites_another(tmp_path):
    header = ["Mã số thuế", "Đợt khảo sát", f"1. {ENG1}", "wave (source)", "wave"]
    result = read_export(write(tmp_path, [["0100000001", "2026-I", "Mức 3", "a", "b"]], header=header), RUBRIC,
                         mapping={"wave (source)": "extra", "wave": "extra"})
    frame = result.responses
    assert frame["wave"].tolist() == ["2026-I"]
    kept = {c: frame[c].iloc[0] for c in frame.columns if c.startswith("wave (source")}
    assert sorted(kept.values()) == ["a", "b"] and len(kept) == 2
