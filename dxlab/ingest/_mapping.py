"""Which export column holds which criterion or metadata field.

An explicit mapping file (YAML or CSV: source column → criterion id or metadata field) wins for every column
it names. Other columns are matched automatically, in this order of trust:

1. a criterion id written in the header (``[CUS.ENG.1]``, ``CUS.ENG.1 -``, ``CUS_ENG_1``) — confidence 1;
2. a metadata header name (Vietnamese or English, e.g. ``Mã số thuế``, ``Dấu thời gian``, ``Email``) —
   0.95 for the whole header, 0.8 when the header starts with a name of two words or more;
3. the criterion's text in Vietnamese or English, compared after folding case, tone marks and punctuation
   and after removing numbering (``1.``, ``Câu 3:``) and parenthetical hints; Google's grid ``Title [Row]``
   is tried whole, as its title and as its row — 0.95 when equal, 0.85–0.95 when the criterion text is
   contained, else the similarity ratio of the two texts (difflib's Ratcliff–Obershelp ratio,
   ``2·M / (|a| + |b|)``).

A match is applied when its confidence is at least :data:`APPLY_AT` (0.85) and no other target or column
comes within :data:`MARGIN` (0.05) of it; weaker or tied matches are never applied — they are listed as
suggestions or as ambiguous so that a person decides (``dxlab suggest-mapping`` writes them to an editable
file). Fuzzy matching is ~20 lines over the standard library's ``difflib``, so no extra dependency
(rapidfuzz, thefuzz) is needed for a few dozen headers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from collections.abc import Mapping as TypingMapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from .._text import fold, nfc
from ..rubric import NON_ANSWER_MEANINGS, NonAnswer, Rubric, parse_non_answers
from ..vocab import METADATA_FIELDS as _VOCAB_FIELDS
from ..vocab import METADATA_HEADERS as _VOCAB_HEADERS
from ._formats import SourceColumn

__all__ = [
    "APPLY_AT",
    "MARGIN",
    "METADATA_FIELDS",
    "ColumnMatch",
    "Mapping",
    "SPECIAL_TARGETS",
    "match_columns",
    "read_mapping_file",
    "read_mapping_non_answers",
]

# Who answered, when several people answer for one enterprise: a code the survey gave them. Kept here until
# the vocabulary module takes it (headers folded, best first; "respondent id" stays SurveyMonkey's response id).
RESPONDENT_HEADERS: dict[str, tuple[str, ...]] = {
    "respondent_id": (
        "ma nguoi tra loi",
        "ma dap vien",
        "ma so nguoi tra loi",
        "ma nguoi dien phieu",
        "respondent code",
        "respondent key",
        "participant id",
        "participant code",
    ),
}
METADATA_HEADERS: dict[str, tuple[str, ...]] = {**_VOCAB_HEADERS, **RESPONDENT_HEADERS}
METADATA_FIELDS: tuple[str, ...] = (*_VOCAB_FIELDS, *RESPONDENT_HEADERS)

APPLY_AT = 0.85
SUGGEST_AT = 0.6
MARGIN = 0.05
SPECIAL_TARGETS = ("extra", "drop")

_ID = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2,5})[._]([A-Za-z]{2,5})[._](\d{1,3})(?![\d])")
_NUMBERING = re.compile(r"^\s*(?:(?:cau|question|q|muc|phan|tieu chi)\s*)?\d+(?:[.)]\d+)*\s*[.):\-–]?\s+")
_PARENS = re.compile(r"\s*[\(（][^()（）]*[\)）]\s*")
_REQUIRED = re.compile(r"\s*\*+\s*$")


def _key(text: str) -> str:
    """Folded words only: case, tone marks and punctuation removed."""
    return " ".join(re.sub(r"[^0-9a-z%]+", " ", fold(text)).split())


def _strip_numbering(key: str) -> str:
    return _NUMBERING.sub("", key + " ").strip() if key else key


def _candidate_keys(column: SourceColumn) -> list[str]:
    """Folded texts under which the column might name a criterion or a field."""
    out: list[str] = []
    for text in column.texts:
        text = _REQUIRED.sub("", text)
        for variant in (text, _PARENS.sub(" ", text)):
            key = _strip_numbering(_key(variant))
            if key:
                out.append(key)
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class ColumnMatch:
    """How one export column is mapped.

    ``target`` is a criterion id, a metadata field, ``"extra"`` (kept as an extra column by choice),
    ``"drop"`` (left out by choice) or ``None`` (unmapped: kept as an extra column and reported).
    ``candidates`` lists the targets a person should consider when the match was weak or ambiguous.
    """

    column: str
    target: str | None
    how: str
    confidence: float
    candidates: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Mapping:
    """The mapping of an export's columns for one rubric: one :class:`ColumnMatch` per column, in order."""

    rubric_id: str
    matches: tuple[ColumnMatch, ...]
    missing: tuple[str, ...] = field(default_factory=tuple)  # columns a mapping file named but the export lacks
    non_answers: tuple[NonAnswer, ...] = ()  # this export's own non-answer codes (mapping file)
    rubric_non_answers: tuple[NonAnswer, ...] = ()  # the rubric's, listed in the YAML for the reader
    rubric_reverse_items: tuple[str, ...] = ()  # the rubric's reverse-keyed criteria, likewise
    rubric_criteria: int = 0  # how many criteria the rubric has
    criterion_non_answers: tuple[tuple[str, tuple[NonAnswer, ...]], ...] = ()  # criteria with codes of their own

    def __iter__(self):
        return iter(self.matches)

    def __len__(self) -> int:
        return len(self.matches)

    @property
    def criteria(self) -> dict[str, str]:
        """criterion id → source column."""
        return {
            m.target: m.column
            for m in self.matches
            if m.target and m.target not in METADATA_FIELDS and m.target not in SPECIAL_TARGETS
        }

    @property
    def metadata(self) -> dict[str, str]:
        """metadata field → source column."""
        return {m.target: m.column for m in self.matches if m.target in METADATA_FIELDS}

    @property
    def unmapped(self) -> list[str]:
        """Columns mapped to nothing (they are kept as extra columns and reported)."""
        return [m.column for m in self.matches if m.target is None]

    @property
    def ambiguous(self) -> list[str]:
        return [m.column for m in self.matches if m.target is None and m.how == "ambiguous"]

    @property
    def extras(self) -> list[str]:
        """Columns carried into the responses as they are (unmapped or mapped to ``extra``)."""
        return [m.column for m in self.matches if m.target is None or m.target == "extra"]

    def to_frame(self) -> pd.DataFrame:
        """One row per column: column, to, how, confidence, candidates, note."""
        return pd.DataFrame(
            {
                "column": [m.column for m in self.matches],
                "to": pd.array([m.target for m in self.matches], dtype=object),
                "how": [m.how for m in self.matches],
                "confidence": [round(m.confidence, 3) for m in self.matches],
                "candidates": [", ".join(m.candidates) for m in self.matches],
                "note": [m.note for m in self.matches],
            }
        )

    def to_yaml(self) -> str:
        """An editable YAML mapping file: change ``to`` (a criterion id, a metadata field, ``extra``,
        ``drop`` or empty) and pass the file back with ``mapping=``."""
        lines = [
            f"# dxlab column mapping for rubric {self.rubric_id}",
            f"# Edit 'to' for any column: a criterion id, a metadata field ({', '.join(METADATA_FIELDS)}),",
            "# 'extra' (keep as it is), 'drop' (leave out), or leave it empty (unmapped: kept and reported).",
            "# 'confidence', 'how' and 'suggest' are for you to read; dxlab reads 'column', 'to' and 'non_answers'.",
            f"rubric: {self.rubric_id}",
            *self._rubric_lines(),
            *self._non_answer_lines(),
            "columns:",
        ]
        for m in self.matches:
            lines.append(f"  - column: {_yaml_scalar(m.column)}")
            lines.append(f"    to: {_yaml_scalar(m.target) if m.target else ''}".rstrip())
            lines.append(f"    confidence: {m.confidence:.2f}")
            lines.append(f"    how: {_yaml_scalar(m.how)}")
            if m.candidates:
                lines.append(f"    suggest: [{', '.join(_yaml_scalar(c) for c in m.candidates)}]")
            if m.note:
                lines.append(f"    note: {_yaml_scalar(m.note)}")
        return "\n".join(lines) + "\n"

    def _rubric_lines(self) -> list[str]:
        lines = []
        if self.rubric_criteria:
            mapped = len(self.criteria)
            enough = 2 * mapped >= self.rubric_criteria
            lines.append(
                f"# {mapped} of the rubric's {self.rubric_criteria} criteria are mapped"
                + ("." if enough else "; fewer than half: read_export refuses this unless allow_partial=True.")
            )
        if self.rubric_reverse_items:
            lines.append(f"# Reverse-keyed (scored min + max − answer): {', '.join(self.rubric_reverse_items)}")
        lines.append("# Several respondents per enterprise: map a respondent_id (or e-mail, name, role) column.")
        return lines

    def _non_answer_lines(self) -> list[str]:
        lines = [
            "# Non-answers are not errors: they become <NA> and are listed in the nonresponse table.",
            f"# Meanings: {' or '.join(NON_ANSWER_MEANINGS)} (not_applicable leaves the criterion out of the",
            "# denominator; dont_know counts as unanswered). The rubric already accepts:",
        ]
        for code in self.rubric_non_answers:
            lines.append(f"#   {_yaml_scalar(code.text)}: {code.meaning}")
        if not self.rubric_non_answers:
            lines.append("#   (none)")
        groups: dict[tuple[NonAnswer, ...], list[str]] = {}
        for cid, codes in self.criterion_non_answers:
            groups.setdefault(codes, []).append(cid)
        for codes, ids in groups.items():
            own = "; ".join(f"{_yaml_scalar(c.text)}: {c.meaning}" for c in codes)
            lines.append(f"# and {', '.join(ids)} also: {own}")
        lines.append('# Add the codes this export uses under non_answers, e.g.  "Không trả lời": dont_know')
        if self.non_answers:
            lines.append("non_answers:")
            lines += [f"  {_yaml_scalar(code.text)}: {code.meaning}" for code in self.non_answers]
        else:
            lines.append("non_answers: {}")
        return lines

    def write(self, path: str | Path) -> Path:
        """Write the mapping as YAML (``.yaml``/``.yml``) or CSV (``.csv``, formula-safe)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix.lower() == ".csv":
            from ..io import write_csv

            write_csv(self.to_frame(), path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            path.write_text(self.to_yaml(), encoding="utf-8")
        else:
            raise ValueError(f"{path}: a mapping file must end in .yaml, .yml or .csv")
        return path


def _yaml_scalar(value: object) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10**9).strip()
    return dumped[:-4].rstrip() if dumped.endswith("\n...") else dumped.removesuffix("...").strip()


# -- reading a mapping file ------------------------------------------------------------------------------
def _check_target(target: object, rubric: Rubric, where: str) -> str | None:
    if target is None or (isinstance(target, float) and pd.isna(target)):
        return None
    text = nfc(str(target))
    if not text or text.lower() in ("null", "none", "~"):
        return None
    if text.lower() in SPECIAL_TARGETS:
        return text.lower()
    if text in METADATA_FIELDS:
        return text
    by_upper = {cid.upper(): cid for cid in rubric.criterion_ids}
    if text.upper() in by_upper:
        return by_upper[text.upper()]
    raise ValueError(
        f"{where}: {text!r} is not a criterion of rubric {rubric.id!r}, a metadata field or "
        f"extra/drop; criteria are {', '.join(rubric.criterion_ids)}; metadata fields are "
        f"{', '.join(METADATA_FIELDS)}"
    )


def read_mapping_file(path: str | Path, rubric: Rubric) -> dict[str, str | None]:
    """Read a mapping file (YAML list or dict, or CSV with ``column``/``to`` columns) → column → target.

    Raises ``ValueError`` naming the file and entry for an unknown target or a malformed file.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such mapping file: {path}")
    spec: dict[str, str | None] = {}
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        lower = {c.strip().lower(): c for c in frame.columns}
        col = lower.get("column") or lower.get("source")
        tgt = lower.get("to") or lower.get("target")
        if col is None or tgt is None:
            raise ValueError(
                f"{path}: a CSV mapping needs a 'column' (or 'source') and a 'to' (or 'target') "
                f"column; found {', '.join(frame.columns)}"
            )
        for i, (c, t) in enumerate(zip(frame[col], frame[tgt]), start=2):
            spec[nfc(c).lstrip("'")] = _check_target(t.lstrip("'"), rubric, f"{path}, line {i}")
        return spec
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    if isinstance(data, dict) and "columns" in data:
        entries = data["columns"]
    elif isinstance(data, dict):  # column: target pairs, next to the reserved keys
        entries = {k: v for k, v in data.items() if k not in ("rubric", "non_answers")}
    else:
        entries = data
    if isinstance(entries, dict):
        for c, t in entries.items():
            spec[nfc(str(c))] = _check_target(t, rubric, f"{path}, column {c!r}")
    elif isinstance(entries, list):
        for i, entry in enumerate(entries, start=1):
            if not isinstance(entry, dict) or "column" not in entry:
                raise ValueError(f"{path}: entry {i} of 'columns' must be a mapping with 'column' and 'to'")
            spec[nfc(str(entry["column"]))] = _check_target(
                entry.get("to"), rubric, f"{path}, entry {i} ({entry['column']!r})"
            )
    else:
        raise ValueError(
            f"{path}: expected 'columns:' with a list of {{column, to}} entries or a column: target dictionary"
        )
    return spec


def read_mapping_non_answers(path: str | Path) -> tuple[NonAnswer, ...]:
    """The ``non_answers:`` of a YAML mapping file (code → ``not_applicable`` or ``dont_know``); CSV mapping
    files have none. Raises ``ValueError`` naming the file and the code for a malformed entry."""
    path = Path(path)
    if path.suffix.lower() == ".csv" or not path.is_file():
        return ()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or data.get("non_answers") is None:
        return ()
    problems: list[str] = []
    codes = parse_non_answers(data["non_answers"], "non_answers", lambda where, msg: problems.append(f"{where}: {msg}"))
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems[:5]))
    return codes


# -- automatic matching ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Hit:
    target: str
    confidence: float
    how: str
    rank: int = 0  # metadata alias rank: lower is better


def _criterion_keys(rubric: Rubric) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for crit in rubric.all_criteria:
        texts = [crit.text.vi, crit.text.en]
        keys[crit.id] = [k for k in dict.fromkeys(_strip_numbering(_key(t)) for t in texts if t) if k]
    return keys


def _text_score(candidate: str, target: str) -> float:
    """0.95 equal; 0.85–0.95 one contains the other; else the word-level similarity ratio, at most 0.9 (so
    that a fuzzy match can never tie an exact one)."""
    if candidate == target:
        return 0.95
    if len(target) >= 12 and target in candidate:
        return 0.85 + 0.1 * len(target) / len(candidate)
    if len(candidate) >= 12 and candidate in target and len(candidate) >= 0.8 * len(target):
        return 0.85 + 0.1 * len(candidate) / len(target)
    # Words, not characters: folded Vietnamese reuses few letters, so character ratios flatter everything.
    matcher = difflib.SequenceMatcher(None, candidate.split(), target.split(), autojunk=False)
    if matcher.real_quick_ratio() < SUGGEST_AT or matcher.quick_ratio() < SUGGEST_AT:
        return 0.0
    return min(matcher.ratio(), 0.9)


PREFIX_TAIL_WORDS = 4
_META_ALIASES: list[tuple[str, str, int]] = [
    (alias, field_name, rank) for field_name, aliases in METADATA_HEADERS.items() for rank, alias in enumerate(aliases)
]
_META_EXACT: dict[str, list[tuple[str, int]]] = {}
for _alias, _field, _rank in _META_ALIASES:
    _META_EXACT.setdefault(_key(_alias), []).append((_field, _rank))


def _metadata_hits(keys: list[str]) -> list[_Hit]:
    hits: list[_Hit] = []
    for key in keys:
        for field_name, rank in _META_EXACT.get(key, []):
            hits.append(_Hit(field_name, 0.95, "metadata header name", rank))
    if hits:
        return hits
    for key in keys:
        for alias, field_name, rank in _META_ALIASES:
            alias_key = _key(alias)
            # "Tên doanh nghiệp (ghi rõ)" is the name field; a long sentence that merely starts with
            # "Doanh nghiệp …" is a question about the enterprise, not its name.
            if (
                alias_key.count(" ") >= 1
                and key.startswith(alias_key + " ")
                and len(key[len(alias_key) :].split()) <= PREFIX_TAIL_WORDS
            ):
                hits.append(_Hit(field_name, 0.8, "header starts with a metadata name", rank))
    return hits


def _best_per_target(hits: Iterable[_Hit]) -> list[_Hit]:
    best: dict[str, _Hit] = {}
    for hit in hits:
        old = best.get(hit.target)
        if old is None or (hit.confidence, -hit.rank) > (old.confidence, -old.rank):
            best[hit.target] = hit
    return sorted(best.values(), key=lambda h: (-h.confidence, h.rank))


def _column_hits(column: SourceColumn, rubric: Rubric, crit_keys: dict[str, list[str]]) -> list[_Hit]:
    ids = {cid.upper(): cid for cid in rubric.criterion_ids}
    found = set()
    for text in column.texts:
        for match in _ID.finditer(text):
            candidate = ".".join(match.groups()).upper()
            if candidate in ids:
                found.add(ids[candidate])
    if found:
        return [_Hit(cid, 1.0, "criterion id in header") for cid in sorted(found)]
    keys = _candidate_keys(column)
    hits = _metadata_hits(keys)
    for cid, targets in crit_keys.items():
        score = max((_text_score(k, t) for k in keys for t in targets), default=0.0)
        if score >= SUGGEST_AT:
            hits.append(_Hit(cid, score, "criterion text"))
    return _best_per_target(hits)


def match_columns(
    columns: Iterable[SourceColumn],
    rubric: Rubric,
    explicit: TypingMapping[str, str | None] | None = None,
    *,
    non_answers: Iterable[NonAnswer] = (),
) -> Mapping:
    """Map ``columns`` to ``rubric``'s criteria and the metadata fields (see the module docstring);
    ``non_answers`` are the export's own non-answer codes, carried by the mapping."""
    columns = list(columns)
    explicit = dict(explicit or {})
    by_name = {c.name: c for c in columns}
    folded_names: dict[str, str] = {}
    for c in columns:
        folded_names.setdefault(fold(c.name), c.name)
        folded_names.setdefault(fold(c.header), c.name)
    chosen: dict[str, tuple[str | None, str]] = {}
    missing = []
    for key, target in explicit.items():
        name = key if key in by_name else folded_names.get(fold(key))
        if name is None:
            missing.append(key)
            continue
        chosen[name] = (target, "mapping file")
    explicit_targets: dict[str, str] = {}
    for name, (target, _) in chosen.items():
        if target and target not in SPECIAL_TARGETS:
            if target in explicit_targets:
                raise ValueError(
                    f"the mapping file maps both {explicit_targets[target]!r} and {name!r} to "
                    f"{target!r}; one column per criterion or field"
                )
            explicit_targets[target] = name

    crit_keys = _criterion_keys(rubric)
    proposals: dict[str, list[_Hit]] = {}
    for column in columns:
        if column.name in chosen:
            continue
        if column.parent:
            continue
        proposals[column.name] = _column_hits(column, rubric, crit_keys)

    # The strongest claim on each target wins; close claims from several columns are ambiguous.
    claims: dict[str, list[tuple[str, _Hit]]] = {}
    for name, hits in proposals.items():
        applicable = [h for h in hits if h.confidence >= APPLY_AT]
        if not applicable:
            continue
        top = applicable[0]
        rivals = [h for h in applicable[1:] if top.confidence - h.confidence < MARGIN]
        if not rivals:
            claims.setdefault(top.target, []).append((name, top))
    winners: dict[str, str] = {}
    contested: dict[str, tuple[str, bool]] = {}  # column -> (target it lost, whether it was a tie)
    for target, claimants in claims.items():
        if target in explicit_targets:
            for name, _ in claimants:
                contested[name] = (target, False)
            continue
        claimants.sort(key=lambda item: (-item[1].confidence, item[1].rank))
        best_name, best = claimants[0]
        tied = [n for n, h in claimants[1:] if best.confidence - h.confidence < MARGIN and h.rank == best.rank]
        if tied:
            for name, _ in claimants:
                contested[name] = (target, True)
        else:
            winners[best_name] = target
            for name, _ in claimants[1:]:
                contested[name] = (target, False)

    matches: list[ColumnMatch] = []
    for column in columns:
        name = column.name
        if name in chosen:
            target, how = chosen[name]
            matches.append(ColumnMatch(name, target, how, 1.0))
            continue
        if column.parent:
            matches.append(
                ColumnMatch(
                    name,
                    None,
                    "multi-select option",
                    0.0,
                    note=f"one option of the multi-select question {column.parent!r}",
                )
            )
            continue
        hits = proposals.get(name, [])
        if name in winners:
            hit = next(h for h in hits if h.target == winners[name])
            matches.append(ColumnMatch(name, hit.target, hit.how, hit.confidence))
        elif name in contested:
            target, tie = contested[name]
            owner = explicit_targets.get(target) or next((n for n, t in winners.items() if t == target), None)
            hit = next(h for h in hits if h.target == target)
            if tie:
                matches.append(
                    ColumnMatch(
                        name,
                        None,
                        "ambiguous",
                        hit.confidence,
                        (target,),
                        f"several columns match {target} equally well",
                    )
                )
            else:
                matches.append(
                    ColumnMatch(
                        name,
                        None,
                        "also matches",
                        hit.confidence,
                        (target,),
                        f"column {owner!r} matches {target} better",
                    )
                )
        elif hits and hits[0].confidence >= APPLY_AT:
            close = tuple(h.target for h in hits if hits[0].confidence - h.confidence < MARGIN)
            matches.append(
                ColumnMatch(name, None, "ambiguous", hits[0].confidence, close, "matches several targets equally well")
            )
        elif hits:
            matches.append(
                ColumnMatch(
                    name,
                    None,
                    "weak match",
                    hits[0].confidence,
                    tuple(h.target for h in hits[:3]),
                    "below the confidence to apply",
                )
            )
        else:
            matches.append(ColumnMatch(name, None, "no match", 0.0))
    return Mapping(
        rubric_id=rubric.id,
        matches=tuple(matches),
        missing=tuple(missing),
        non_answers=tuple(non_answers),
        rubric_non_answers=rubric.non_answers,
        rubric_reverse_items=rubric.reverse_items,
        rubric_criteria=len(rubric.criterion_ids),
        criterion_non_answers=tuple((c.id, c.non_answers) for c in rubric.all_criteria if c.non_answers),
    )
