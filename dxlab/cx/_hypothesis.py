"""Hypothesis statements for the future experience, in the CX strategy material's template:

"We believe (new experience) will solve (customer and business problem), enabled by (solution), resulting
in (new attitude / behaviour / outcome)."
"""

from __future__ import annotations

from dataclasses import dataclass

from ..rubric import Rubric
from ._base import (
    Record,
    check_lang,
    clean_ids,
    clean_text,
    criterion_lines,
    editor_method,
    esc,
    md,
    pick,
    resolve_rubric,
)

__all__ = ["Hypothesis"]

PARTS: dict[str, tuple[str, str]] = {
    "we_believe": ("Chúng tôi tin rằng", "We believe"),
    "will_solve": ("sẽ giải quyết", "will solve"),
    "enabled_by": ("nhờ có", "enabled by"),
    "resulting_in": ("dẫn đến", "resulting in"),
}


@dataclass(frozen=True)
class Hypothesis(Record):
    """ "We believe … will solve … enabled by … resulting in …" — the four parts are required.

    Parameters
    ----------
    we_believe : str
        The new experience.
    will_solve : str
        The customer and business problem it solves.
    enabled_by : str
        The solution that makes it possible.
    resulting_in : str
        The new attitude, behaviour or outcome (say how it will be measured).
    criteria : sequence of str
        Rubric criterion ids the hypothesis would raise.
    title : str
        Optional short name.

    Examples
    --------
    >>> h = Hypothesis("đổi gói trong app", "cuộc gọi tổng đài", "API đổi gói", "ít cuộc gọi hơn")
    >>> h.statement(lang="en")
    'We believe đổi gói trong app will solve cuộc gọi tổng đài, enabled by API đổi gói, resulting in ít cuộc gọi hơn.'
    """

    we_believe: str
    will_solve: str
    enabled_by: str
    resulting_in: str
    criteria: tuple[str, ...] = ()
    title: str = ""

    KIND = "hypothesis"
    FIELDS = ("title", "we_believe", "will_solve", "enabled_by", "resulting_in", "criteria")

    def __post_init__(self) -> None:
        for part in PARTS:
            object.__setattr__(self, part, clean_text(getattr(self, part), part, required=True).rstrip("."))
        object.__setattr__(self, "criteria", clean_ids(self.criteria, "criteria"))
        object.__setattr__(self, "title", clean_text(self.title, "title"))

    def statement(self, lang: str = "vi") -> str:
        """The hypothesis as one sentence in ``lang``'s template (the parts as written)."""
        check_lang(lang)
        return (
            f"{pick(PARTS['we_believe'], lang)} {self.we_believe} {pick(PARTS['will_solve'], lang)} "
            f"{self.will_solve}, {pick(PARTS['enabled_by'], lang)} {self.enabled_by}, "
            f"{pick(PARTS['resulting_in'], lang)} {self.resulting_in}."
        )

    def heading(self, lang: str = "vi") -> str:
        return self.title or pick("cx.hypothesis", lang)

    def _body(self) -> dict:
        return {"title": self.title, **{part: getattr(self, part) for part in PARTS}, "criteria": list(self.criteria)}

    @classmethod
    def _from_body(cls, data: dict) -> Hypothesis:
        missing = [part for part in PARTS if part not in data]
        if missing:
            raise ValueError(f"missing part(s) {', '.join(map(repr, missing))} of the hypothesis template")
        return cls(**data)

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = None) -> str:
        """A workshop-sheet section: the statement with the template words in bold, then the criteria."""
        check_lang(lang)
        rubric = resolve_rubric(rubric)
        body = (
            f"**{pick(PARTS['we_believe'], lang)}** {md(self.we_believe)} **{pick(PARTS['will_solve'], lang)}** "
            f"{md(self.will_solve)}, **{pick(PARTS['enabled_by'], lang)}** {md(self.enabled_by)}, "
            f"**{pick(PARTS['resulting_in'], lang)}** {md(self.resulting_in)}."
        )
        lines = [f"{'#' * heading} {md(self.heading(lang))}", "", body, ""]
        if self.criteria:
            lines += [f"**{pick('cx.criteria_it_would_raise', lang)}**", ""]
            lines += criterion_lines(self.criteria, rubric, lang) + [""]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def to_html(self, lang: str = "vi") -> str:
        """The statement as an HTML card (every text escaped)."""
        parts = "".join(
            f"<p><strong>{esc(pick(label, lang))}</strong> {esc(getattr(self, key))}</p>"
            for key, label in PARTS.items()
        )
        return f'<div class="dxlab-cx hypothesis"><h3>{esc(self.heading(lang))}</h3>{parts}</div>'

    editor = editor_method()
