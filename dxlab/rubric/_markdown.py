"""Render a rubric as a readable Markdown reference.

Every text that comes from the rubric file is escaped: HTML special characters become entities and
Markdown punctuation is backslash-escaped, so a user-authored rubric shown in a notebook
(``Rubric._repr_markdown_``) or by ``dxlab rubric show`` can neither run a ``<script>`` nor inject links,
images or table cells.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from .._i18n import tr

if TYPE_CHECKING:
    from ._model import NonAnswer, Rubric, Text


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#|~])")


def escape(text: object) -> str:
    """``text`` safe inside Markdown and the HTML it becomes: backslashes before Markdown punctuation, then
    entities for ``< > &``; line breaks become spaces.

    >>> print(escape("<script>alert(1)</script> [x](javascript:y)"))
    &lt;script&gt;alert(1)&lt;/script&gt; \\[x\\](javascript:y)
    """
    flat = " ".join(str(text).split())
    return html.escape(_MARKDOWN_PUNCTUATION.sub(r"\\\1", flat), quote=False)


def _both(text: Text, lang: str | None) -> str:
    if lang:
        return escape(text.get(lang))
    if text.vi and text.en and text.vi != text.en:
        return f"{escape(text.vi)} / *{escape(text.en)}*"
    return escape(text.vi or text.en)


def _pick(key: str, lang: str | None, **values: Any) -> str:
    """The catalogue text ``core.rubric_<key>`` in ``lang``, or "vi / en" when no language is chosen."""
    if lang:
        return tr(f"core.rubric_{key}", lang, **values)
    vi, en = tr(f"core.rubric_{key}", "vi", **values), tr(f"core.rubric_{key}", "en", **values)
    return vi if vi == en else f"{vi} / {en}"


def _rubric_text(key: str, lang: str | None) -> str:
    """The catalogue text ``rubric.<key>`` in ``lang``, or "vi / en" when no language is chosen."""
    if lang:
        return tr(f"rubric.{key}", lang)
    vi, en = tr(f"rubric.{key}", "vi"), tr(f"rubric.{key}", "en")
    return vi if vi == en else f"{vi} / {en}"


def _non_answer(code: NonAnswer, lang: str | None) -> str:
    return f"“{escape(code.text)}” ({_rubric_text('meaning_' + code.meaning, lang)})"


def render_markdown(rubric: Rubric, lang: str | None = None) -> str:
    out = [f"# {_both(rubric.title, lang)}", ""]
    out.append(
        f"{escape(rubric.id)} · {_pick('version', lang, version=escape(rubric.version))}"
        + (f" · {escape(rubric.source)}" if rubric.source else "")
    )
    out.append("")
    if rubric.description.vi or rubric.description.en:
        out += [_both(rubric.description, lang), ""]
    out += [
        "| " + _pick("level", lang) + " | " + _pick("code", lang) + " | " + _pick("label", lang) + " |",
        "|---|---|---|",
    ]
    for level in rubric.levels_:
        alias = f" ({', '.join(escape(a) for a in level.aliases)})" if level.aliases else ""
        out.append(f"| {level.value} | {escape(level.code)} | {_both(level.label, lang)}{alias} |")
    out.append("")
    if rubric.non_answers:
        out += [
            _rubric_text("non_answer_codes", lang)
            + ": "
            + "; ".join(_non_answer(code, lang) for code in rubric.non_answers),
            "",
        ]
    for dim in rubric.dimensions:
        pillar = f" · {_pick('pillar', lang, pillar=escape(dim.pillar))}" if dim.pillar else ""
        out += [
            f"## {escape(dim.id)} — {_both(dim.title, lang)}",
            "",
            f"{_pick('weight', lang, weight=f'{dim.weight:g}')}{pillar}",
            "",
        ]
        if dim.description.vi or dim.description.en:
            out += [_both(dim.description, lang), ""]
        for group in dim.groups:
            out += [f"### {escape(group.id)} — {_both(group.title, lang)}", ""]
            if group.description.vi or group.description.en:
                out += [_both(group.description, lang), ""]
            for crit in group.criteria:
                meta = [
                    _pick(f"answer_{crit.answer}", lang),
                    _pick("weight", lang, weight=f"{crit.weight:g}"),
                    _pick(f"provenance_{crit.provenance}", lang),
                ]
                if crit.multiplier != 1:
                    meta.append(f"×{crit.multiplier:g}")
                if crit.reverse:
                    meta.append(_rubric_text("reverse_keyed", lang))
                if crit.non_answers:
                    meta.append(
                        _rubric_text("also_accepts", lang)
                        + " "
                        + ", ".join(_non_answer(code, lang) for code in crit.non_answers)
                    )
                out += [f"#### {escape(crit.id)} — {_both(crit.text, lang)}", "", f"*{' · '.join(meta)}*", ""]
                for value, text in crit.levels.items():
                    label = rubric.level_label(value, lang or "vi")
                    out.append(f"{value}. **{escape(label)}** — {_both(text, lang)}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"
