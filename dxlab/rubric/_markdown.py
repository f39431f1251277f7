"""Render a rubric as a readable Markdown reference."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._model import Rubric, Text

_ANSWER = {"level": ("chọn mức", "choose a level"),
           "percent_band": ("tỷ lệ phần trăm", "percentage band"),
           "yes_no": ("có / không", "yes / no")}
_PROV = {"published": ("nguyên văn đã công bố", "published verbatim"),
         "drafted": ("dxlab soạn thảo", "drafted by dxlab")}


def _both(text: "Text", lang: str | None) -> str:
    if lang:
        return text.get(lang)
    if text.vi and text.en and text.vi != text.en:
        return f"{text.vi} / *{text.en}*"
    return text.vi or text.en


def _pick(pair: tuple[str, str], lang: str | None) -> str:
    return pair[1] if lang == "en" else pair[0] if lang == "vi" else f"{pair[0]} / {pair[1]}"


def render_markdown(rubric: "Rubric", lang: str | None = None) -> str:
    out = [f"# {_both(rubric.title, lang)}", ""]
    out.append(f"`{rubric.id}` · version {rubric.version}" + (f" · {rubric.source}" if rubric.source else ""))
    out.append("")
    if rubric.description.vi or rubric.description.en:
        out += [_both(rubric.description, lang), ""]
    out += ["| " + _pick(("Mức", "Level"), lang) + " | Code | " + _pick(("Tên", "Label"), lang) + " |",
            "|---|---|---|"]
    for level in rubric.levels_:
        alias = f" ({', '.join(level.aliases)})" if level.aliases else ""
        out.append(f"| {level.value} | {level.code} | {_both(level.label, lang)}{alias} |")
    out.append("")
    for dim in rubric.dimensions:
        pillar = f" · MIC pillar: {dim.pillar}" if dim.pillar else ""
        out += [f"## {dim.id} — {_both(dim.title, lang)}", "",
                f"weight {dim.weight:g}{pillar}", ""]
        if dim.description.vi or dim.description.en:
            out += [_both(dim.description, lang), ""]
        for group in dim.groups:
            out += [f"### {group.id} — {_both(group.title, lang)}", ""]
            if group.description.vi or group.description.en:
                out += [_both(group.description, lang), ""]
            for crit in group.criteria:
                meta = [_pick(_ANSWER[crit.answer], lang), f"weight {crit.weight:g}",
                        _pick(_PROV[crit.provenance], lang)]
                if crit.multiplier != 1:
                    meta.append(f"×{crit.multiplier:g}")
                out += [f"#### {crit.id} — {_both(crit.text, lang)}", "", f"*{' · '.join(meta)}*", ""]
                for value, text in crit.levels.items():
                    label = rubric.level_label(value, lang or "vi")
                    out.append(f"{value}. **{label}** — {_both(text, lang)}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"
