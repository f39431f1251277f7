"""Issues in the reader's language, with a stable code per kind of problem.

Cleaning writes each issue's ``problem`` and ``action`` as English sentences (the values in them — a row, a
column, a spelling — differ from issue to issue). For ``issues.csv`` and the summary they are matched here
against the known sentences and rewritten from the text catalogue (``dxlab/i18n/ingest.yaml``) in Vietnamese
or English, and each issue gets a ``code`` (``empty_row``, ``answer_not_a_level``, ``unbalanced_quote``…) so
that programs never parse the text. A sentence not in the table keeps its English text and the code
``other``.
"""

from __future__ import annotations

import re
from functools import cache

import pandas as pd

from .._i18n import check_lang, tr

__all__ = ["ISSUE_CODES", "issue_code", "localise_action", "localise_issues", "localise_note", "localise_problem"]

# (code, catalogue key or None to keep the text, pattern of the English problem)
_PROBLEMS: tuple[tuple[str, str | None, str], ...] = (
    ("empty_row", "p_empty_row", r"empty row"),
    ("repeated_header", "p_repeated_header", r"repeated header row"),
    ("test_submission", "p_test_submission", r"test submission"),
    ("no_valid_answer", "p_no_valid_answer", r"no valid answer to any criterion"),
    ("duplicate", "p_duplicate", r"duplicate submission \(same enterprise and wave\)"),
    (
        "duplicate",
        "ingest_semantics.problem_duplicate_respondent",
        r"duplicate submission \(same enterprise, respondent and wave\)",
    ),
    ("duplicate", None, r"duplicate submission.*"),
    ("unrecognised", "ingest_semantics.problem_unrecognised", r"unrecognised"),
    ("unbalanced_quote", "p_unbalanced_quote", r"unbalanced quote from line (?P<line>\d+)"),
    ("title_row", "p_title_row", r"title or blank row above the header row"),
    (
        "header_row_consumed",
        "p_header_row_consumed",
        r"row read as a header row, not recognised as the format's header",
    ),
    ("blank_header", "p_blank_header", r"blank header name"),
    ("empty_column", "p_empty_column", r"column has no header and no data"),
    ("mangled_header", "p_mangled_header", r"header name mangled by R's make\.names"),
    ("duplicate_header", "p_duplicate_header", r"duplicate header name \(column (?P<letter>[A-Z]+)\)"),
    ("mapping_column_missing", "p_mapping_column_missing", r"column named in the mapping file is not in the export"),
    ("formula_without_result", "p_formula_without_result", r"formula without a saved result.*"),
    ("spreadsheet_error", "p_spreadsheet_error", r"spreadsheet error value.*"),
    ("date_out_of_range", "p_date_out_of_range", r"date out of range.*|not a date: a number outside spreadsheet.*"),
    ("not_a_date", "p_not_a_date", r"not a valid date.*|not a date or date-time"),
    ("answer_not_a_level", "p_level_number", r"(?P<value>.+) is not a level \((?P<range>.+)\)"),
    (
        "answer_not_a_level",
        "p_level_percentage",
        (
            r"a percentage is not an answer to (?P<cid>\S+) "
            r"\(it takes levels (?P<range>.+)\)"
        ),
    ),
    ("answer_not_a_level", "p_level_percent_range", r"percentage (?P<value>.+) is outside 0–100"),
    (
        "answer_not_a_level",
        "p_level_text_after",
        (
            r"text after level (?P<n>\d+) \('(?P<rest>.*)'\) is not a label "
            r"or descriptor"
        ),
    ),
    ("answer_not_a_level", "p_level_disagree", r"number (?P<n>\d+) and label for level (?P<named>\d+) disagree"),
    ("answer_not_a_level", "p_level_unknown", r"not a level label, level number or descriptor of (?P<cid>\S+)"),
    ("answer_not_a_level", "p_level_boolean", r"a true/false value is not a level of (?P<cid>\S+)"),
    ("sector_unrecognised", "p_sector_unknown", r"not a VSIC 2018 section"),
    ("sector_unrecognised", "p_sector_code", r"(?P<code>.+) is not a VSIC 2018 code"),
    ("sector_unrecognised", "p_sector_several", r"words of several VSIC sections \((?P<found>.+)\)"),
    ("province_guessed", "p_province_spelling", r"spelling corrected to (?P<name>.+)"),
    ("province_unrecognised", "p_province_several", r"close to several provinces \((?P<names>.+)\)"),
    ("province_unrecognised", "p_province_unknown", r"not a Vietnamese province name"),
    ("size_unrecognised", "p_size_several", r"names more than one size class"),
    ("size_unrecognised", "p_size_unknown", r"not a size class or an employee count"),
    ("size_unrecognised", "p_size_needs_sector", r"the size class of this many employees depends on the sector.*"),
    ("size_unrecognised", "p_size_range", r"employee range spans size classes \((?P<low>.+) to (?P<high>.+)\)"),
    ("employees_invalid", "p_employees_invalid", r"not a (whole, non-negative )?number of employees"),
    ("tax_code_guessed", "p_tax_leading_zero", r"a spreadsheet dropped the leading 0"),
    ("tax_code_invalid", "p_tax_scientific", r"a spreadsheet turned the tax code into scientific notation"),
    ("tax_code_invalid", "p_tax_invalid", r"not a 10- or 13-digit tax code"),
    ("weight_invalid", "p_weight_invalid", r"not a number|a weight must be a non-negative number"),
)

_ACTIONS: tuple[tuple[str, str], ...] = (
    ("a_quarantined", r"row quarantined"),
    ("a_quarantined_kept", r"row quarantined; kept row (?P<row>\d+) \((?P<policy>[a-z\-]+)\)"),
    ("a_kept_all", r"kept \(duplicates='keep-all'\)"),
    ("a_set_na", r"set to <NA>|set to <NaT>"),
    ("a_kept_as_given", r"kept as given"),
    ("a_changed_to", r"changed to (?P<value>.+)"),
    ("a_named", r"named (?P<name>.+)"),
    ("a_renamed", r"renamed to (?P<name>.+)"),
    ("a_column_dropped", r"column dropped"),
    ("a_ignored", r"ignored"),
    ("a_skipped", r"skipped"),
    ("a_size_left_na", r"size left <NA>"),
    (
        "ingest_semantics.action_unrecognised",
        r"(?P<field>\S+) left <NA>; kept as written in (?P<raw_column>\S+)(?P<tail> \(.*\))?",
    ),
)

# Notes of the summary: how the file was read (source) and what cleaning decided.
_NOTES: tuple[tuple[str, str], ...] = (
    ("n_format", r"format (?P<label>.+?): (?P<evidence>.+); (?P<rows>\d+) header row\(s\)"),
    ("n_whole", r"cleaned whole, not batch by batch: (?P<reason>.*)"),
    ("n_titles", r"(?P<count>\d+) title or blank row\(s\) above the header skipped \(row (?P<row>\d+) is the header\)"),
    ("n_sheet", r"sheet (?P<name>'.*') read: the most filled columns \((?P<count>\d+)\); other sheets: (?P<others>.*)"),
    ("n_header_given", r"(?P<rows>\d+) header rows given: column names from row (?P<row>\d+)"),
    ("n_no_header", r"no header row: columns named by letter"),
    ("n_header_broken", r"header row at line (?P<line>\d+): unbalanced quote from line (?P<quote>\d+); split by line"),
    ("n_duplicates", r"duplicates: kept the (?P<policy>\S+) submission per enterprise and wave"),
    (
        "ingest_semantics.note_duplicates_respondent",
        r"duplicates: kept the (?P<policy>\S+) submission per enterprise, respondent and wave",
    ),
    (
        "ingest_semantics.note_non_answers",
        r"non-answers: (?P<not_applicable>[\d,]+) not applicable, (?P<dont_know>[\d,]+) don't know "
        r"\(<NA>, listed in nonresponse, not issues\)",
    ),
    ("n_extra_renamed", r"extra column (?P<name>'.*') renamed (?P<target>'.*'): the name was already taken"),
    (
        "n_date_order",
        r"(?P<column>.+): (?P<order>day/month/year|month/day/year) \(a (?P<part>first|second) part "
        r"above 12\)",
    ),
    ("n_date_convention", r"(?P<column>.+): (?P<order>day/month/year|month/day/year) \(the format's convention\)"),
    ("n_date_ambiguous", r"(?P<column>.+): every date is ambiguous; read as day/month/year"),
)
_EVIDENCE: tuple[tuple[str, str], ...] = (
    ("e_qualtrics", r"row 1 has Qualtrics tags .*"),
    ("e_qualtrics_legacy", r"first row V1, V2, V3…; second row names ResponseID"),
    ("e_google", r"first column is (?P<name>'.*')"),
    ("e_microsoft", r"columns ID, Start time, Completion time"),
    ("e_kobo", r"KoboToolbox metadata columns .*"),
    ("e_surveymonkey", r"row 2 holds only Response / option labels of grouped columns"),
    ("e_plain", r"one header row"),
    ("e_given", r"given by the caller"),
)

ISSUE_CODES: tuple[str, ...] = tuple(dict.fromkeys([code for code, _, _ in _PROBLEMS] + ["other"]))


@cache
def _compiled(table: str) -> list[tuple[str, str | None, re.Pattern]]:
    if table == "problems":
        return [(code, key, re.compile(rf"(?:{pattern})\Z", re.DOTALL)) for code, key, pattern in _PROBLEMS]
    pairs = {"actions": _ACTIONS, "notes": _NOTES, "evidence": _EVIDENCE}[table]
    return [("", key, re.compile(rf"(?:{pattern})\Z", re.DOTALL)) for key, pattern in pairs]


def _match(table: str, text: str) -> tuple[str, str | None, dict[str, str]]:
    for code, key, pattern in _compiled(table):
        found = pattern.match(text)
        if found:
            return code, key, {k: v or "" for k, v in found.groupdict().items()}
    return "other", None, {}


def issue_code(problem: str) -> str:
    """The stable code of an issue's English ``problem`` (``other`` when it is not a known kind)."""
    return _match("problems", str(problem))[0]


def _localise(table: str, text: str, lang: str) -> str:
    _, key, values = _match(table, text)
    if key is None:
        return text
    full = key if "." in key else f"ingest.{key}"
    tail = values.pop("tail", "")  # a detail in parentheses after the sentence: itself a known problem
    if tail:
        tail = f" ({_localise('problems', tail.strip()[1:-1], lang)})"
    return (tr(full, lang, **values) if values else tr(full, lang)) + tail


def localise_problem(problem: str, lang: str | None = None) -> str:
    """``problem`` in ``lang`` (from the catalogue; unknown sentences unchanged)."""
    return _localise("problems", str(problem), check_lang(lang))


def localise_action(action: str, lang: str | None = None) -> str:
    """``action`` in ``lang`` (from the catalogue; unknown sentences unchanged)."""
    return _localise("actions", str(action), check_lang(lang))


def localise_note(note: str, lang: str | None = None) -> str:
    """A note of the summary in ``lang`` (the format's evidence too); unknown notes unchanged."""
    code = check_lang(lang)
    _, key, values = _match("notes", str(note))
    if key is None:
        return str(note)
    if "evidence" in values:
        values["evidence"] = _localise("evidence", values["evidence"], code)
    if "part" in values:
        values["part"] = tr(f"ingest.n_part_{values['part']}", code)
    if "reason" in values:
        values["reason"] = _whole_reason(values["reason"], code)
    if "order" in values:
        dmy = values["order"] == "day/month/year"
        values["order"] = tr("ingest.n_order_dmy" if dmy else "ingest.n_order_mdy", code)
    full = key if "." in key else f"ingest.{key}"
    return tr(full, code, **values) if values else tr(full, code)


_WHOLE_REASONS = ("pyarrow", "encoding_given", "no_decode", "not_utf8", "empty", "not_csv", "unbalanced", "no_rows")


def _whole_reason(reason: str, lang: str) -> str:
    """Why a file was cleaned whole (``ingest.whole_*`` in English) in ``lang``; a technical detail stays as is."""
    for name in _WHOLE_REASONS:
        english = tr(f"ingest.whole_{name}", "en", detail="\0", codec="\0")
        pattern = re.escape(english).replace(re.escape("\0"), "(?P<value>.*)")
        found = re.fullmatch(pattern, reason, re.DOTALL)
        if found:
            value = found.groupdict().get("value") or ""
            return tr(f"ingest.whole_{name}", lang, detail=value, codec=value)
    return reason


def localise_issues(issues: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """``issues`` with ``problem`` and ``action`` in ``lang`` and a ``code`` column before ``problem``.

    Each distinct sentence is translated once, so 100,000 issues cost a few hundred look-ups.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"row": [3], "column": [""], "value": [""], "problem": ["empty row"],
    ...                       "action": ["row quarantined"]})
    >>> localise_issues(frame, "vi")[["code", "problem", "action"]].values.tolist()
    [['empty_row', 'dòng trống', 'đã cách ly dòng']]
    """
    code = check_lang(lang)
    out = issues.copy()
    problems = out["problem"].astype(str)
    distinct = problems.unique()
    codes = {p: issue_code(p) for p in distinct}
    texts = {p: localise_problem(p, code) for p in distinct}
    actions = out["action"].astype(str)
    action_texts = {a: localise_action(a, code) for a in actions.unique()}
    out["problem"] = problems.map(texts)
    out["action"] = actions.map(action_texts)
    out.insert(list(out.columns).index("problem"), "code", problems.map(codes))
    return out
