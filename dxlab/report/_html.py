"""Self-contained HTML: a Jinja2 environment that escapes everything, the report stylesheet, embedded figures.

Why Jinja2 with autoescaping rather than string formatting: the reports show what respondents typed
(enterprise names, roles, comments). With ``autoescape=True`` every value inserted into a template is
HTML-escaped unless it is explicitly marked safe, so forgetting an ``html.escape`` call cannot open a
script injection; the only values marked safe are our own figures (base64 data URIs). Templates live in
this module so the package needs no data files.
"""

from __future__ import annotations

import base64
import io

import matplotlib.pyplot as plt
from jinja2 import DictLoader, Environment, StrictUndefined
from matplotlib.figure import Figure

from ..plots import LEVEL_COLORS, text_color

__all__ = ["render", "figure_uri", "CSS"]

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
"""

ENTERPRISE = r"""<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — {{ who }}</title>
<style>{{ css|safe }}</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <div class="subtitle">{{ who }} · {{ rubric_title }}</div>
  {% if note %}<div class="note">{{ note }}</div>{% endif %}
</header>

<section id="overall">
  <h2>{{ tr.overall }}</h2>
  <div class="cards">
    <div class="card"><div class="label">{{ tr.overall_score }}</div>
      <div class="value">{{ overall.score }} <small>/ {{ overall.top }}</small></div></div>
    <div class="card"><div class="label">{{ tr.overall_level }}</div>
      <div class="value">{% if overall.level is not none %}<span class="badge" style="background: {{ overall.color }}; color: {{ overall.text_color }}">{{ overall.level }} · {{ overall.label }}</span>{% else %}—{% endif %}</div></div>
  </div>
  {% for sentence in overall.sentences %}<p>{{ sentence }}</p>{% endfor %}
  <h3>{{ tr.percentile }}</h3>
  <table class="kv"><tbody>
  {% for row in percentiles %}<tr><th>{{ row.scope }}</th><td>{{ row.text }}</td></tr>{% endfor %}
  </tbody></table>
</section>

<section id="profile">
  <h2>{{ tr.profile }}</h2>
  <figure><img alt="{{ tr.figure_radar }}" src="{{ radar_uri }}" style="width: 95mm"><figcaption>{{ tr.figure_radar }}</figcaption></figure>
  <table>
    <thead><tr><th>{{ tr.dimension }}</th><th class="num">{{ tr.score }}</th><th>{{ tr.level }}</th>
      <th class="num">{{ tr.sector_median }}</th><th class="num">{{ tr.target }}</th><th class="num">{{ tr.gap }}</th></tr></thead>
    <tbody>
    {% for row in dimensions %}<tr><td>{{ row.title }} <span class="muted">({{ row.id }})</span></td><td class="num">{{ row.score }}</td>
      <td>{% if row.level is not none %}<span class="badge" style="background: {{ row.color }}; color: {{ row.text_color }}">{{ row.level }} · {{ row.label }}</span>{% else %}—{% endif %}</td>
      <td class="num">{{ row.median }}</td><td class="num">{{ row.target }}</td><td class="num">{{ row.gap }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
</section>

<section id="info">
  <h2>{{ tr.info }}</h2>
  <table class="kv"><tbody>
  {% for row in info %}<tr><th>{{ row.name }}</th><td>{{ row.value }}</td></tr>{% endfor %}
  </tbody></table>
</section>

<section id="criteria">
  <h2>{{ tr.criteria }}</h2>
  <table>
    <thead><tr><th>{{ tr.criterion }}</th><th>{{ tr.level }}</th><th>{{ tr.current_descriptor }}</th></tr></thead>
    <tbody>
    {% for row in criteria %}
      {% if row.header %}<tr class="dim"><td colspan="3">{{ row.header }}</td></tr>{% else %}
      <tr><td><span class="id">{{ row.id }}</span>{% if row.drafted %} †{% endif %}<br>{{ row.text }}</td>
        <td>{% if row.level is not none %}<span class="badge" style="background: {{ row.color }}; color: {{ row.text_color }}">{{ row.level }} · {{ row.label }}</span>{% else %}<span class="muted">{{ tr.not_answered }}</span>{% endif %}</td>
        <td>{{ row.descriptor }}</td></tr>
      {% endif %}
    {% endfor %}
    </tbody>
  </table>
  {% if any_drafted %}<p class="muted">{{ tr.provenance_note }}</p>{% endif %}
</section>

<section id="next-steps" class="keep-heading">
  <h2>{{ tr.next_steps }}</h2>
  {% if gaps %}
  <div class="keep"><p>{{ tr.next_steps_intro }}</p>
  <figure><img alt="{{ tr.figure_gaps }}" src="{{ gaps_uri }}" style="width: 165mm"><figcaption>{{ tr.figure_gaps }}</figcaption></figure></div>
  <table>
    <thead><tr><th>{{ tr.criterion }}</th><th>{{ tr.current }} → {{ tr.target }}</th><th>{{ tr.next_step }}</th><th class="num">{{ tr.priority }}</th></tr></thead>
    <tbody>
    {% for row in gaps %}<tr><td><span class="id">{{ row.id }}</span><br>{{ row.text }}</td>
      <td style="white-space: nowrap">{{ row.current }} → {{ row.target }}</td>
      <td>{% if row.next_label %}<b>{{ row.next_level }} · {{ row.next_label }}:</b> {% endif %}{{ row.next_step }}</td>
      <td class="num">{{ row.priority }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  {% else %}<p>{{ tr.no_gaps }}</p>{% endif %}
</section>

<section id="method">
  <h2>{{ tr.method }}</h2>
  <p>{{ tr.method_text }}</p>
  <div class="footer">{{ generated }}</div>
</section>
</body>
</html>
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


_ENV = Environment(loader=DictLoader({"enterprise.html": ENTERPRISE}), autoescape=True, undefined=StrictUndefined,
                   trim_blocks=True, lstrip_blocks=True)


def render(template: str, **context: object) -> str:
    """Render one of the report templates; every inserted value is HTML-escaped."""
    return _ENV.get_template(template).render(css=CSS, **context)


def figure_uri(fig: Figure, *, close: bool = True) -> str:
    """The figure as an SVG ``data:`` URI.

    Text stays text (``svg.fonttype: none``, DejaVu Sans with fallbacks): a fifth of the size of glyph
    outlines, sharp in print, and searchable in the PDF. An SVG inside ``<img>`` cannot run scripts, and
    base64 leaves nothing for HTML to interpret.
    """
    from ..plots import style

    buffer = io.BytesIO()
    with style():
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    if close:
        plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def level_badge(level: int | None, levels: tuple[int, ...]) -> tuple[str, str]:
    """Background and text colour of a level badge (the figures' level colours)."""
    if level is None or level not in levels:
        return "#d9d9d9", "black"
    colour = LEVEL_COLORS[levels.index(level)] if len(levels) == len(LEVEL_COLORS) else "#d9d9d9"
    return colour, text_color(colour)
