"""HTML of a report model: one Jinja2 template with autoescaping, the report stylesheet, embedded figures.

Why Jinja2 with autoescaping rather than string formatting: the reports show what respondents typed
(enterprise names, roles, comments). With ``autoescape=True`` every value inserted into the template is
HTML-escaped unless it is explicitly marked safe, so forgetting an ``html.escape`` call cannot open a
script injection; nothing a respondent typed is ever marked safe. Figures are embedded as base64 SVG
``data:`` URIs (an SVG inside ``<img>`` cannot run scripts), so the file is self-contained.
"""

from __future__ import annotations

import base64
import re

from jinja2 import Environment, StrictUndefined

from .._i18n import tr
from ._model import Facts, Figure, Note, Paragraph, ReportModel, Table

__all__ = ["CSS", "render_html", "scoped_css"]

CSS = """
@page { size: A4; margin: 14mm 13mm 16mm 13mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", "Noto Sans", "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #1f2328;
       line-height: 1.4; }
body { margin: 0 auto; max-width: 190mm; padding: 0 2mm; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; color: #0b3d66; }
h2 { font-size: 13pt; margin: 7mm 0 2.5mm 0; padding-bottom: 1mm; border-bottom: 2px solid #4575b4; color: #0b3d66;
     break-after: avoid; }
h3 { font-size: 11pt; margin: 4mm 0 2mm 0; break-after: avoid; }
p { margin: 1.5mm 0; }
.subtitle { color: #555; margin-bottom: 4mm; }
.note { background: #fff4ce; border-left: 4px solid #e69f00; padding: 2mm 3mm; margin: 3mm 0; }
.cards { display: flex; gap: 4mm; flex-wrap: wrap; margin: 3mm 0; }
.card { flex: 1 1 50mm; border: 1px solid #d0d7de; border-radius: 2mm; padding: 3mm 4mm; break-inside: avoid; }
.card .label { color: #57606a; font-size: 9pt; }
.card .value { font-size: 20pt; font-weight: bold; color: #0b3d66; }
.card .value small { font-size: 11pt; color: #57606a; font-weight: normal; }
.badge { display: inline-block; padding: 0.3mm 2mm; border-radius: 1.5mm; font-weight: bold; white-space: nowrap; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm 0; font-size: 9pt; }
th, td { border-bottom: 1px solid #d8dee4; padding: 1.3mm 1.6mm; text-align: left; vertical-align: top; }
th { background: #f0f3f6; font-weight: bold; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.id { white-space: nowrap; font-family: "DejaVu Sans Mono", monospace; font-size: 8.5pt; }
tr.dim { break-after: avoid; page-break-after: avoid; }
tr.dim td { background: #e8eef6; font-weight: bold; }
.muted { color: #6e7781; }
figure { margin: 3mm 0; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: 9pt; margin-top: 1mm; }
.kv th { width: 38%; background: none; font-weight: normal; color: #57606a; }
.footer { margin-top: 8mm; color: #6e7781; font-size: 8.5pt; border-top: 1px solid #d8dee4; padding-top: 2mm; }
.page-break { break-before: page; }
.keep { break-inside: avoid; page-break-inside: avoid; }
.apa-title { margin: 4mm 0 1mm 0; font-size: 9.5pt; }
.apa-title b { display: block; }
.apa-title i { display: block; }
table.apa { border-top: 1.5px solid #1f2328; border-bottom: 1.5px solid #1f2328; }
table.apa th { background: none; border-bottom: 1px solid #1f2328; }
table.apa td { border-bottom: none; }
.apa-note { font-size: 8.5pt; color: #444; margin: 0 0 3mm 0; }
"""

DOCUMENT = r"""<!DOCTYPE html>
<html lang="{{ m.lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ m.title }} — {{ m.subtitle }}</title>
<style>{{ css|safe }}</style>
</head>
<body>
{{ body }}
</body>
</html>
"""

BODY = r"""<div class="dx-report">
<header>
  <h1>{{ m.title }}</h1>
  <div class="subtitle">{{ m.subtitle }}</div>
  {% if m.note %}<div class="note">{{ m.note }}</div>{% endif %}
  {% if m.facts %}<table class="kv"><tbody>{% for k, v in m.facts %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}</tbody></table>{% endif %}
</header>
{% for section in m.sections %}
<section id="{{ section.key }}">
  {% if section.title %}<h2>{{ section.title }}</h2>{% endif %}
  {% for b in section.blocks %}
  {% if b.kind == "p" %}<p>{{ b.text }}</p>
  {% elif b.kind == "note" %}<div class="note">{{ b.text }}</div>
  {% elif b.kind == "facts" %}
    {% if b.title %}<h3>{{ b.title }}</h3>{% endif %}
    <table class="kv"><tbody>{% for k, v in b.rows %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>{% endfor %}</tbody></table>
  {% elif b.kind == "figure" %}
    <figure><div class="apa-title"><b>{{ b.label }}</b><i>{{ b.title }}</i></div>
    <img alt="{{ b.title }}" src="{{ b.uri }}" style="width: {{ b.width }}mm"></figure>
  {% elif b.kind == "table" %}
    <div class="apa-title"><b>{{ b.label }}</b><i>{{ b.title }}</i></div>
    <table class="apa"><thead><tr>{% for h in b.header %}<th{% if loop.index0 in b.numeric %} class="num"{% endif %}>{{ h }}</th>{% endfor %}</tr></thead>
    <tbody>{% for row in b.rows %}
      {% if row.group %}<tr class="dim"><td colspan="{{ b.header|length }}">{{ row.cells[0].text }}</td></tr>
      {% else %}<tr>{% for cell in row.cells %}<td{% if loop.index0 in b.numeric %} class="num"{% endif %}>{% if cell.bg %}<span class="badge" style="background: {{ cell.bg }}; color: {{ cell.fg }}">{{ cell.text }}</span>{% else %}{{ cell.text }}{% endif %}</td>{% endfor %}</tr>{% endif %}
    {% endfor %}</tbody></table>
    {% if b.note %}<p class="apa-note"><i>{{ note_lead }}</i> {{ b.note }}</p>{% endif %}
  {% endif %}
  {% endfor %}
</section>
{% endfor %}
<div class="footer">{{ m.footer }}</div>
</div>
"""


def scoped_css(css: str = CSS, scope: str = ".dx-report") -> str:
    """``css`` with every rule limited to elements inside ``scope`` (``html``/``body``/``*`` become the
    scope itself; ``@page`` is dropped). Report fragments shown in a live notebook must not restyle
    JupyterLab around them."""
    import re

    out = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        selectors = selectors.strip()
        if selectors.startswith("@"):
            continue
        parts = []
        for sel in selectors.split(","):
            sel = sel.strip()
            parts.append(scope if sel in ("html", "body") else (f"{scope} *" if sel == "*" else f"{scope} {sel}"))
        out.append(f"{', '.join(parts)} {{{body}}}")
    return "\n".join(out)


_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
_DOCUMENT = _ENV.from_string(DOCUMENT)
_BODY = _ENV.from_string(BODY)
_SAFE_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$|^[a-z]+$")


def _svg_uri(figure: Figure) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(figure.svg).decode("ascii")


def _table_view(table: Table, number: int, lang: str) -> dict:
    frame = table.frame
    rows = []
    for i in range(len(frame)):
        cells = []
        for j, value in enumerate(frame.iloc[i].tolist()):
            bg, fg = table.badges.get((i, j), ("", ""))
            ok = bool(_SAFE_COLOUR.match(bg)) and bool(_SAFE_COLOUR.match(fg))
            cells.append({"text": str(value), "bg": bg if ok else "", "fg": fg if ok else ""})
        rows.append({"group": i in table.group_rows, "cells": cells})
    numeric = [j for j, c in enumerate(frame.columns) if c in table.numeric]
    return {
        "kind": "table",
        "label": tr("report.table", lang, n=number),
        "title": table.title,
        "header": [str(c) for c in frame.columns],
        "numeric": numeric,
        "rows": rows,
        "note": table.note,
    }


def _views(model: ReportModel) -> list[dict]:
    """The sections as plain dicts for the template, tables and figures numbered in document order."""
    tables = figures = 0
    sections = []
    for section in model.sections:
        blocks = []
        for block in section.blocks:
            if isinstance(block, Table):
                tables += 1
                blocks.append(_table_view(block, tables, model.lang))
            elif isinstance(block, Figure):
                figures += 1
                blocks.append(
                    {
                        "kind": "figure",
                        "label": tr("report.figure", model.lang, n=figures),
                        "title": block.title,
                        "uri": _svg_uri(block),
                        "width": f"{block.width_mm:.0f}",
                    }
                )
            elif isinstance(block, Facts):
                blocks.append({"kind": "facts", "title": block.title, "rows": block.rows})
            elif isinstance(block, Note):
                blocks.append({"kind": "note", "text": block.text})
            elif isinstance(block, Paragraph):
                blocks.append({"kind": "p", "text": block.text})
        sections.append({"key": section.key, "title": section.title, "blocks": blocks})
    return sections


def render_body(model: ReportModel) -> str:
    """The report as an HTML fragment inside ``<div class="dx-report">`` (styles not included)."""
    view = {
        "lang": model.lang,
        "title": model.title,
        "subtitle": model.subtitle,
        "note": model.note,
        "facts": model.facts,
        "sections": _views(model),
        "footer": model.footer,
    }
    return _BODY.render(m=view, note_lead=tr("report.note_lead", model.lang))


def render_html(model: ReportModel) -> str:
    """The report as one self-contained HTML document (A4 print styles, figures embedded).

    Parameters
    ----------
    model : EnterpriseCard or SectorReport
        From :func:`dxlab.report.build_card` or :func:`dxlab.report.build_sector`.

    Returns
    -------
    str
        Tables numbered and titled above (APA style), figures as SVG ``data:`` URIs, every text escaped.

    Examples
    --------
    >>> import dxlab
    >>> responses = dxlab.sample.synthetic_responses("mobifone-dx", n=200, seed=1)
    >>> html = dxlab.report.render_html(dxlab.report.build_card(responses, "R000001"))
    >>> "Bảng 1" in html
    True
    """
    body = render_body(model)
    return _DOCUMENT.render(m=model, css=CSS, body=_markup(body))


def _markup(text: str) -> object:
    from markupsafe import Markup

    return Markup(text)  # the body was rendered by the autoescaping template above
