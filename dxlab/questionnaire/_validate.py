"""What a submission is, and the checks every one passes before it is stored.

Two layers. :func:`check_submission` is rubric-free and guards the store: types, lengths, identifier shapes,
control characters, number ranges — so a :class:`~dxlab.questionnaire.ResponseStore` stays sane whoever
calls it. :func:`validate_submission` adds the rubric's rules (known criteria, valid levels, every required
criterion answered, a percentage agreeing with its band) and collects *all* problems with bilingual messages,
so the questionnaire can show a respondent everything to fix at once.

Respondent text is only ever data: it is bound as an SQL parameter, escaped in HTML and neutralised in
CSV/Excel output; it never becomes a file path, a column name or SQL text.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from .._i18n import LANGS, check_lang, fmt_percent, tr
from ..vocab import SIZE_CLASSES, VSIC_SECTIONS

__all__ = [
    "Answer",
    "Submission",
    "Problem",
    "SubmissionError",
    "LIMITS",
    "clean_text",
    "clean_code",
    "parse_percent",
    "check_submission",
    "validate_submission",
    "sort_problems",
    "field_name",
    "PROBLEM_KEYS",
    "FIELD_NAMES",
]

LIMITS: dict[str, int] = {
    "enterprise_id": 40,
    "enterprise_name": 200,
    "province": 100,
    "respondent_role": 100,
    "wave": 40,
    "comment": 2000,
    "criterion_id": 64,
    "rubric_id": 100,
    "rubric_version": 40,
    "answers": 2000,
}
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._-]*$")
_CRITERION = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$")
_PERCENT = re.compile(r"^(\d{1,3}(?:[.,]\d+)?)\s*%?$")
# Zero-width (non-)joiners are real text in some scripts; every other format character (bidi overrides,
# invisible separators, BOM) only serves to disguise what a reader sees.
_ALLOWED_FORMAT = {"\u200c", "\u200d"}

# Message keys of a Problem are texts of the catalogue: ``questionnaire.problem_<key>``.
PROBLEM_KEYS: tuple[str, ...] = (
    "required",
    "required_field",
    "too_long",
    "control",
    "not_text",
    "code",
    "sector",
    "size",
    "level",
    "percent",
    "percent_type",
    "band",
    "unknown",
    "criterion_id",
    "too_many",
    "lang",
)

_FIELD_ORDER = {
    name: i
    for i, name in enumerate(
        (
            "enterprise_id",
            "enterprise_name",
            "sector",
            "size",
            "province",
            "respondent_role",
            "wave",
            "rubric_id",
            "rubric_version",
            "lang",
            "answers",
        )
    )
}

# Respondent fields with a display name in the catalogue (``questionnaire.field_<name>``).
FIELD_NAMES: tuple[str, ...] = (
    "enterprise_id",
    "enterprise_name",
    "sector",
    "size",
    "province",
    "respondent_role",
    "wave",
    "comment",
    "rubric_id",
    "rubric_version",
)


def field_name(name: str, lang: str | None = None) -> str:
    """The display name of respondent field ``name`` (the name itself when it has none).

    >>> field_name("enterprise_name", "vi"), field_name("source_row", "en")
    ('Tên doanh nghiệp', 'source_row')
    """
    return tr(f"questionnaire.field_{name}", lang) if name in FIELD_NAMES else name


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submission: the field or criterion id, a message key and its parameters."""

    field: str
    key: str
    params: tuple[tuple[str, Any], ...] = ()

    def text(self, lang: str | None = None) -> str:
        """The message in ``lang`` (default: ``DXLAB_LANG``, else Vietnamese)."""
        code = check_lang(lang)
        params = dict(self.params)
        if isinstance(params.get("percent"), float):  # a share the respondent gave: 45,5 % / 45.5%
            share = params["percent"]
            params["percent"] = fmt_percent(share / 100, code, 0 if share.is_integer() else 1)
        subject = params.pop("subject", None)
        if "name" not in params:
            if subject in FIELD_NAMES:  # e.g. the comment of criterion `field`
                params["name"] = f"{field_name(subject, code)} ({self.field})"
            else:
                params["name"] = field_name(self.field, code)
        return tr(f"questionnaire.problem_{self.key}", code, **params)


class SubmissionError(ValueError):
    """A submission failed validation; ``problems`` lists every :class:`Problem` found."""

    def __init__(self, problems: Iterable[Problem], lang: str | None = None):
        self.problems = tuple(problems)
        code = check_lang(lang)
        lines = [f"{p.field}: {p.text(code)}" for p in self.problems]
        super().__init__(tr("questionnaire.rejected", code, n=len(self.problems)) + "\n  " + "\n  ".join(lines))

    def messages(self, lang: str | None = None) -> list[str]:
        return [p.text(lang) for p in self.problems]


@dataclass(frozen=True)
class Answer:
    """One criterion's answer: a level, optionally the percentage it came from, and a comment."""

    level: int | None = None
    percent: float | None = None
    comment: str = ""


@dataclass(frozen=True)
class Submission:
    """One filled-in questionnaire, ready to store. ``enterprise_id`` "" lets the store issue a code."""

    rubric_id: str
    rubric_version: str = ""
    enterprise_id: str = ""
    enterprise_name: str = ""
    sector: str = ""
    size: str = ""
    province: str = ""
    respondent_role: str = ""
    wave: str = ""
    lang: str = "vi"
    answers: Mapping[str, Answer] = field(default_factory=dict)


def _bad_chars(text: str, multiline: bool) -> bool:
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cc" and not (multiline and ch in "\n\t"):
            return True
        if category in ("Cs", "Co") or (category == "Cf" and ch not in _ALLOWED_FORMAT):
            return True
    return False


def clean_text(
    value: Any, field_name: str, *, limit: int | None = None, multiline: bool = False
) -> tuple[str, list[Problem]]:
    """NFC-normalise and trim ``value``; report (not fix) over-long text and control characters."""
    if value is None:
        return "", []
    if not isinstance(value, str):
        return "", [Problem(field_name, "not_text")]
    limit = limit if limit is not None else LIMITS[field_name]
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    problems = []
    if len(text) > limit:
        problems.append(Problem(field_name, "too_long", (("limit", limit),)))
    if _bad_chars(text, multiline):
        problems.append(Problem(field_name, "control"))
    return text, problems


def clean_code(value: Any) -> tuple[str, list[Problem]]:
    """A respondent / enterprise code: trimmed, upper-case ASCII letters, digits and ``. _ -``."""
    text, problems = clean_text(value, "enterprise_id")
    if problems:
        return "", problems
    text = text.upper()
    if text and (len(text) > LIMITS["enterprise_id"] or not _CODE.match(text)):
        return "", [Problem("enterprise_id", "code", (("limit", LIMITS["enterprise_id"]),))]
    return text, []


def parse_percent(value: Any) -> float | None:
    """``35``, ``"35%"``, ``"35,5 %"`` → 35.0 / 35.5; blank → None; anything else, or outside 0–100 → ValueError."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a percentage")
    if isinstance(value, (int, float)):
        number = float(value)
    else:
        text = str(value).strip()
        if not text:
            return None
        match = _PERCENT.match(text)
        if not match:
            raise ValueError(f"{value!r} is not a percentage (0–100)")
        number = float(match.group(1).replace(",", "."))
    if not math.isfinite(number) or not 0 <= number <= 100:
        raise ValueError(f"{value!r} is not a percentage between 0 and 100")
    return number


def _number_problem(value: Any) -> bool:
    return isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value))


def _check(sub: Submission) -> tuple[Submission, list[Problem]]:
    """The rubric-free checks: the cleaned submission (bad values dropped) and the problems found."""
    problems: list[Problem] = []
    cleaned: dict[str, Any] = {}
    for name in ("rubric_id", "rubric_version", "enterprise_name", "province", "respondent_role", "wave"):
        cleaned[name], found = clean_text(getattr(sub, name), name)
        problems += found
    if not cleaned["rubric_id"]:
        problems.append(Problem("rubric_id", "required_field"))
    cleaned["enterprise_id"], found = clean_code(sub.enterprise_id)
    problems += found
    sector = (sub.sector or "").strip().upper() if isinstance(sub.sector, str) else sub.sector
    if sector and sector not in VSIC_SECTIONS:
        problems.append(Problem("sector", "sector", (("value", str(sector)[:10]),)))
    cleaned["sector"] = sector if isinstance(sector, str) else ""
    size = sub.size or ""
    if size and size not in SIZE_CLASSES:
        problems.append(Problem("size", "size", (("valid", ", ".join(SIZE_CLASSES)),)))
    cleaned["size"] = size if isinstance(size, str) else ""
    if sub.lang not in LANGS:
        problems.append(Problem("lang", "lang"))
    if not isinstance(sub.answers, Mapping):
        return sub, [*problems, Problem("answers", "not_text", (("name", "answers"),))]
    if len(sub.answers) > LIMITS["answers"]:
        problems.append(Problem("answers", "too_many", (("count", len(sub.answers)),)))
    answers: dict[str, Answer] = {}
    for crit_id, answer in list(sub.answers.items())[: LIMITS["answers"]]:
        shown = str(crit_id)[:70]
        if not isinstance(crit_id, str) or len(crit_id) > LIMITS["criterion_id"] or not _CRITERION.match(crit_id):
            problems.append(Problem("answers", "criterion_id", (("id", repr(shown)),)))
            continue
        if not isinstance(answer, Answer):
            answer = Answer(level=answer)
        level = answer.level
        if level is not None and (_number_problem(level) or float(level) != int(level) or not 0 < int(level) < 10):
            problems.append(Problem(crit_id, "level", (("id", crit_id), ("value", repr(level)[:20]), ("valid", "1–9"))))
            level = None
        percent = answer.percent
        if percent is not None and (_number_problem(percent) or not 0 <= float(percent) <= 100):
            problems.append(Problem(crit_id, "percent", (("id", crit_id), ("value", repr(percent)[:20]))))
            percent = None
        comment, found = clean_text(answer.comment, "comment", multiline=True)
        problems += [replace(p, field=crit_id, params=(*p.params, ("subject", "comment"))) for p in found]
        answers[crit_id] = Answer(
            level=None if level is None else int(level),
            percent=None if percent is None else float(percent),
            comment=comment,
        )
    return replace(sub, answers=answers, **cleaned), problems


def check_submission(sub: Submission) -> Submission:
    """Rubric-free checks the store applies to everything it saves; returns the cleaned submission.

    Raises
    ------
    SubmissionError
        Listing every problem: over-long or control-character text, a malformed code or criterion id, an
        unknown size or sector letter, a level that is not a small positive integer, a percentage outside
        0–100, too many answers.
    """
    cleaned, problems = _check(sub)
    if problems:
        raise SubmissionError(problems)
    return cleaned


def validate_submission(
    sub: Submission,
    rubric: Any,
    *,
    required: Iterable[str] | None = None,
    required_fields: Iterable[str] = ("sector", "size"),
) -> Submission:
    """Check ``sub`` against ``rubric`` and return it cleaned, with levels derived from percentages.

    Parameters
    ----------
    sub : Submission
    rubric : Rubric
    required : iterable of criterion ids, optional
        Criteria that must be answered (default: every criterion of the rubric).
    required_fields : iterable of str
        Respondent fields that must be filled in.

    Raises
    ------
    SubmissionError
        With every problem found, each with a Vietnamese and an English message.
    """
    from ..scoring import percent_to_level

    problems: list[Problem] = []
    # The rubric in hand is authoritative for what was answered; criteria are kept in the rubric's order.
    order = {crit_id: i for i, crit_id in enumerate(rubric.criterion_ids)}
    answers_in = sub.answers if isinstance(sub.answers, Mapping) else {}
    ordered = dict(sorted(answers_in.items(), key=lambda kv: order.get(kv[0], len(order))))
    sub = replace(sub, rubric_id=rubric.id, rubric_version=str(rubric.version), answers=ordered)
    sub, problems = _check(sub)
    for name in required_fields:
        value = getattr(sub, name)
        if not (value.strip() if isinstance(value, str) else value) and not any(p.field == name for p in problems):
            problems.append(Problem(name, "required_field"))
    valid = tuple(rubric.level_values)
    answers: dict[str, Answer] = {}
    for crit_id, answer in sub.answers.items():
        if crit_id not in rubric.criterion_ids:
            problems.append(Problem(crit_id, "unknown", (("id", crit_id),)))
            continue
        crit = rubric.criterion(crit_id)
        level = answer.level
        if answer.percent is not None:
            if crit.answer != "percent_band":
                problems.append(Problem(crit_id, "percent_type", (("id", crit_id),)))
                continue
            expected = percent_to_level(answer.percent, crit.bounds)
            if level is not None and level != expected:
                problems.append(
                    Problem(
                        crit_id,
                        "band",
                        (("id", crit_id), ("percent", float(answer.percent)), ("expected", expected), ("value", level)),
                    )
                )
                continue
            level = expected
        allowed = (crit.yes_level, crit.no_level) if crit.answer == "yes_no" else valid
        if level is not None and level not in allowed:
            problems.append(
                Problem(crit_id, "level", (("id", crit_id), ("value", level), ("valid", ", ".join(map(str, allowed)))))
            )
            continue
        answers[crit_id] = replace(answer, level=level)
    needed = rubric.criterion_ids if required is None else tuple(required)
    for crit_id in needed:
        if answers.get(crit_id, Answer()).level is None and not any(p.field == crit_id for p in problems):
            problems.append(Problem(crit_id, "required", (("id", crit_id),)))
    if problems:
        raise SubmissionError(sort_problems(problems, rubric))
    return replace(sub, answers=answers)


def sort_problems(problems: Iterable[Problem], rubric: Any) -> list[Problem]:
    """Respondent fields first, then criteria in rubric order: the order a respondent reads the form."""
    rank = {crit_id: i for i, crit_id in enumerate(rubric.criterion_ids)}
    return sorted(
        problems,
        key=lambda p: (
            p.field in rank or p.field not in _FIELD_ORDER,
            rank.get(p.field, _FIELD_ORDER.get(p.field, len(rank))),
        ),
    )
