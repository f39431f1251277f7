"""Loading any CX file by its ``kind``, and the Markdown workshop sheet that gathers a session's work."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .._i18n import tr
from ..rubric import Rubric, load_rubric
from ._base import Record, check_lang, md, pick, read_mapping, register_renderers, render_markdown
from ._connected import ConnectedProfile
from ._hypothesis import Hypothesis
from ._journey import JourneyMap
from ._persona import EmpathyMap, Persona
from ._stakeholders import StakeholderMap
from ._whys import FiveWhys

__all__ = ["KINDS", "CxRecord", "from_dict", "load", "workshop_sheet"]

CxRecord = StakeholderMap | EmpathyMap | Persona | JourneyMap | FiveWhys | Hypothesis | ConnectedProfile
KINDS: dict[str, type[Record]] = {
    cls.KIND: cls for cls in (StakeholderMap, EmpathyMap, Persona, JourneyMap, FiveWhys, Hypothesis, ConnectedProfile)
}
for _kind in KINDS.values():
    register_renderers(_kind)


def from_dict(data: Mapping[str, Any]) -> CxRecord:
    """Build whichever CX record ``data["kind"]`` names."""
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a mapping, got {type(data).__name__}")
    kind = data.get("kind")
    if kind not in KINDS:
        raise ValueError(f"'kind' is {kind!r}; it must be one of {', '.join(map(repr, KINDS))}")
    return KINDS[kind].from_dict(data)  # type: ignore[return-value]  # KINDS holds only CxRecord types


def load(path: str | Path) -> CxRecord:
    """Read any CX file written by ``save`` (YAML or JSON), whatever it holds.

    >>> load("data/workshop/stakeholders.yaml")  # doctest: +SKIP
    StakeholderMap(...)
    """
    data = read_mapping(path)
    try:
        return from_dict(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def workshop_sheet(
    items: Iterable[CxRecord],
    *,
    title: str = "",
    lang: str = "vi",
    rubric: Rubric | str | None = "mobifone-dx",
    intro: str = "",
    path: str | Path | None = None,
) -> str:
    """One Markdown document with a section per item, in the order given — the sheet a workshop takes home.

    Parameters
    ----------
    items : iterable of CX records
        Stakeholder maps, personas, empathy maps, journeys, why-chains, hypotheses, connected profiles.
    title, intro : str
        The sheet's heading and an opening paragraph (both escaped like every participant's text).
    lang : "vi" or "en"
    rubric : Rubric, rubric id or None
        Where criterion texts come from; criterion ids not in it raise ValueError. None shows ids only.
    path : path, optional
        Also write the sheet there (UTF-8).
    """
    check_lang(lang)
    resolved = None if rubric is None else load_rubric(rubric)
    heading = title or pick("cx.customer_experience_workshop_sheet", lang)
    parts = [f"# {md(heading)}", ""]
    if intro:
        parts += [md(intro), ""]
    for item in items:
        if render_markdown.dispatch(type(item)) is render_markdown.registry[object]:
            raise ValueError(tr("cx.not_a_record", lang, kind=type(item).__name__))
        parts.append(render_markdown(item, lang, heading=2, rubric=resolved))
    text = "\n".join(parts).rstrip() + "\n"
    if path is not None:
        out = Path(path)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return text
