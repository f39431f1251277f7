"""Render a rubric as a readable Markdown reference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._i18n import tr

if TYPE_CHECKING:
    from ._model import Rubric, Text


def _both(text: "Text", lang: str | None) -> str:
    if lang:
        return text.get(lang)
    if text.vi and text.en and text.vi != text.en:
        return f"{text.vi} / *{text.en}*"
    return text.vi or text.en


def _pick(key: str, lang: str | None, **values: Any) -> str:
    """The catalogue text ``core.rubric_<key>`` in ``lang``, or "vi / en" when no language is chosen."""
    if lang:
        return tr(f"core.rubric_{key}", lang, **values)
    vi, en = tr(f"core.rubric_{key}", "vi", **values), tr(f"core.rubric_{key}", "en", **values)
    return vi if vi == en else f"{vi} / {en}"


def render_markdown(rubric: "Rubric", lang: str | None = None) -> str:
    out = [f"# {_both(rubric.title, lang)}", ""]
    out.append(f"`{rubric.id}` · {_pick('version', lang, version=rubric.version)}"
               + (f" · {rubric.source}" if rubric.source else ""))
    out.append("")
    if rubric.description.vi or rubric.description.en:
        out += [_both(rubric.description, lang), ""]
    out += ["| " + _pick("level", lang) + " | " + _pick("code", lang) + " | " + _pick("label", lang) + " |",
            "|---|---|---|"]
    for level in rubric.levels_:
        alias = f" ({', '.join(level.aliases)})" if level.aliases else ""
        out.append(f"| {level.value} | {level.code} | {_both(level.label, lang)}{alias} |")
    out.append("")
    for dim in rubric.dimensions:
        pillar = f" · {_pick('pillar', lang, pillar=dim.pillar)}" if dim.pillar else ""
        out += [f"## {dim.id} — {_both(dim.title, lang)}", "",
                f"{_pick('weight', lang, weight=f'{dim.weight:g}')}{pillar}", ""]
        if dim.description.vi or dim.description.en:
            out += [_both(dim.description, lang), ""]
        for group in dim.groups:
            out += [f"### {group.id} — {_both(group.title, lang)}", ""]
            if group.description.vi or group.description.en:
                out += [_both(group.description, lang), ""]
            for crit in group.criteria:
                meta = [_pick(f"answer_{crit.answer}", lang), _pick("weight", lang, weight=f"{crit.weight:g}"),
                        _pick(f"provenance_{crit.provenance}", lang)]
                if crit.multiplier != 1:
                    meta.append(f"×{crit.multiplier:g}")
                out += [f"#### {crit.id} — {_both(crit.text, lang)}", "", f"*{' · '.join(meta)}*", ""]
                for value, text in crit.levels.items():
                    label = rubric.level_label(value, lang or "vi")
                    out.append(f"{value}. **{label}** — {_both(text, lang)}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"
