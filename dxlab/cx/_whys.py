"""Five whys: a chain from a pain point down to its root cause, each step backed by evidence.

Each step answers "why?" about the step before it (the first answers it about the problem itself); the last
answer is the root cause. Five is a guide, not a rule: a chain of any length from one step up is accepted,
but an empty chain is not. A step without evidence is allowed while the workshop is still collecting data,
and is flagged in the sheet (:attr:`FiveWhys.missing_evidence`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..rubric import Rubric
from ._base import (
    Record,
    check_lang,
    clean_ids,
    clean_text,
    criterion_lines,
    each,
    editor_method,
    esc,
    fields_of,
    md,
    pick,
    require,
    resolve_rubric,
)

__all__ = ["FiveWhys", "WhyStep"]

_NO_EVIDENCE = "cx.no_evidence_yet"


@dataclass(frozen=True)
class WhyStep:
    """One "why?" answered (``answer``), with what shows it is true (``evidence``: data, a source)."""

    answer: str
    evidence: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "answer", clean_text(self.answer, "answer", required=True))
        object.__setattr__(self, "evidence", clean_text(self.evidence, "evidence"))

    def to_dict(self) -> dict:
        return {"answer": self.answer, "evidence": self.evidence}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WhyStep:
        data = fields_of(data, ("answer", "evidence"), "why step", required=("answer",))
        return cls(**data)


def _as_step(item: Any) -> WhyStep:
    if isinstance(item, WhyStep):
        return item
    if isinstance(item, str):
        return WhyStep(item)
    return WhyStep.from_dict(item)


@dataclass(frozen=True)
class FiveWhys(Record):
    """A why-chain from a pain point (``problem``) to its root cause (the last step's answer).

    Parameters
    ----------
    problem : str
        The pain point the chain starts from; required.
    steps : sequence of WhyStep (or dicts with answer and evidence, or plain answers)
        At least one step.
    criteria : sequence of str
        Rubric criterion ids the problem bears on (``CUS.ENG.3``).
    title : str
        Optional heading.

    Examples
    --------
    >>> chain = FiveWhys("Khách phải gọi tổng đài để đổi gói", ["Ứng dụng không có chức năng đổi gói"])
    >>> chain.root_cause
    'Ứng dụng không có chức năng đổi gói'
    """

    problem: str
    steps: tuple[WhyStep, ...] = ()
    criteria: tuple[str, ...] = ()
    title: str = ""

    KIND = "five_whys"
    FIELDS = ("title", "problem", "criteria", "steps")

    def __post_init__(self) -> None:
        object.__setattr__(self, "problem", clean_text(self.problem, "problem", required=True))
        steps = each(self.steps, "steps", _as_step)
        if not steps:
            raise ValueError(
                f"the why-chain for {self.problem!r} is empty; add at least one step (an answer to 'why?')"
            )
        object.__setattr__(self, "steps", steps)
        object.__setattr__(self, "criteria", clean_ids(self.criteria, "criteria"))
        object.__setattr__(self, "title", clean_text(self.title, "title"))

    @property
    def root_cause(self) -> str:
        """The last answer in the chain."""
        return self.steps[-1].answer

    @property
    def missing_evidence(self) -> tuple[int, ...]:
        """Step numbers (1-based) that have no evidence yet."""
        return tuple(i for i, step in enumerate(self.steps, 1) if not step.evidence)

    def table(self, lang: str = "vi") -> pd.DataFrame:
        """One row per step: step, question (why the previous answer holds), answer, evidence."""
        check_lang(lang)
        asks = "cx.why_question"
        rows, previous = [], self.problem
        for i, step in enumerate(self.steps, 1):
            rows.append(
                {
                    "step": i,
                    "question": pick(asks, lang).format(previous.rstrip(".?!")),
                    "answer": step.answer,
                    "evidence": step.evidence,
                }
            )
            previous = step.answer
        return pd.DataFrame(rows, columns=["step", "question", "answer", "evidence"])

    def heading(self, lang: str = "vi") -> str:
        return self.title or f"{pick('cx.five_whys', lang)}: {self.problem}"

    def _body(self) -> dict:
        return {
            "title": self.title,
            "problem": self.problem,
            "criteria": list(self.criteria),
            "steps": [s.to_dict() for s in self.steps],
        }

    @classmethod
    def _from_body(cls, data: dict) -> FiveWhys:
        require(data, ("problem",))
        return cls(**data)

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = None) -> str:
        """A workshop-sheet section: the problem, the chain as a table with evidence, the root cause."""
        check_lang(lang)
        rubric = resolve_rubric(rubric)
        head = "cx.whys_table_head"
        lines = [
            f"{'#' * heading} {md(self.heading(lang))}",
            "",
            f"**{pick('cx.problem_pain_point', lang)}:** {md(self.problem)}",
            "",
            pick(head, lang),
            "|---|---|---|---|",
        ]
        for row in self.table(lang).itertuples():
            evidence = md(row.evidence) if row.evidence else pick(_NO_EVIDENCE, lang)
            lines.append(f"| {row.step} | {md(row.question)} | {md(row.answer)} | {evidence} |")
        lines += ["", f"**{pick('cx.root_cause', lang)}:** {md(self.root_cause)}", ""]
        if self.criteria:
            lines += [f"**{pick('cx.linked_criteria', lang)}**", ""]
            lines += criterion_lines(self.criteria, rubric, lang) + [""]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_html(self, lang: str = "vi") -> str:
        """The chain as an HTML table (every text escaped)."""
        rows = "".join(
            f"<tr><td>{r.step}</td><td>{esc(r.question)}</td><td>{esc(r.answer)}</td>"
            f"<td>{esc(r.evidence or pick(_NO_EVIDENCE, lang))}</td></tr>"
            for r in self.table(lang).itertuples()
        )
        return (
            f'<div class="dxlab-cx five-whys"><h3>{esc(self.heading(lang))}</h3><table>{rows}</table>'
            f"<p><strong>{esc(pick('cx.root_cause', lang))}:</strong> "
            f"{esc(self.root_cause)}</p></div>"
        )

    editor = editor_method()
