"""Everything a respondent typed is escaped in the HTML reports and neutralised in CSV/XLSX exports."""

from __future__ import annotations

from html.parser import HTMLParser

import openpyxl
import pandas as pd

import dxlab
from dxlab.report import build_sector, enterprise, render_html
from dxlab.sample import synthetic_responses

RUBRIC = dxlab.load_rubric("mobifone-dx")
SCRIPT = "<script>alert('dxlab')</script>"
MARKUP = '<img src=x onerror="alert(1)"><b style="color:red">đậm</b>'
FORMULA = '=HYPERLINK("http://evil.example","bấm vào")'
FREE_TEXT = ("enterprise_name", "province", "respondent_role", "comment", "enterprise_id", "wave")


class _Tags(HTMLParser):
    """Collects every tag and attribute the browser would build from the document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def hostile(n: int = 200) -> pd.DataFrame:
    frame = synthetic_responses(RUBRIC, n=n, seed=3)
    frame["comment"] = "ok"
    values = [SCRIPT, MARKUP, FORMULA]
    for i, column in enumerate(FREE_TEXT):
        frame[column] = frame[column].astype(object) if column in frame else "x"
        frame.loc[0, column] = values[i % 3] + f" {column}"
    frame.loc[0, "comment"] = f"{SCRIPT} {MARKUP} comment"
    return frame


def assert_inert(html: str) -> None:
    found = tags(html)
    assert not [t for t, _ in found if t == "script"], "a <script> element reached the report"
    handlers = [(t, a) for t, a in found for name in a if name.startswith("on")]
    assert not handlers, f"event handler attributes reached the report: {handlers}"
    assert not [a for t, a in found if t == "img" and a.get("src") == "x"], "respondent markup became an element"


def test_enterprise_report_escapes_every_free_text_field(tmp_path):
    frame = hostile()
    card = enterprise(frame, "R000001", RUBRIC)
    assert_inert(card.html)
    assert "&lt;script&gt;alert(&#39;dxlab&#39;)&lt;/script&gt;" in card.html  # shown as text, not dropped
    assert "&lt;b style=&#34;color:red&#34;&gt;đậm&lt;/b&gt;" in card.html
    for column in FREE_TEXT:
        assert column in frame.loc[0, column] and frame.loc[0, column].split(" ")[-1] == column
        assert f" {column}</td>" in card.html  # each field is in the report (escaped)


def test_enterprise_exports_neutralise_formulas(tmp_path):
    card = enterprise(hostile(), "R000001", RUBRIC)
    files = card.save(tmp_path, pdf=False)
    info = pd.read_csv(files.tables[2], encoding="utf-8-sig", keep_default_na=False)
    values = dict(zip(info["field"], info["value"]))
    assert values["respondent_role"].startswith("'=HYPERLINK")  # a formula cell gets the apostrophe
    assert values["enterprise_name"].startswith("<script>")  # other text is kept as typed
    for path in files.tables[:2]:
        if path.suffix == ".xlsx":
            sheet = openpyxl.load_workbook(path).active
            cells = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        else:
            cells = [v for v in pd.read_csv(path, encoding="utf-8-sig", dtype=str).stack().tolist()
                     if isinstance(v, str)]
        assert cells, f"{path.name} has no text cells"
        assert not [c for c in cells if c and c[0] in "=+-@"], f"{path.name} has a cell a spreadsheet would run"


def test_sector_sections_escape_free_text():
    frame = hostile(300)
    frame.loc[:40, "province"] = SCRIPT
    frame.loc[:40, "respondent_role"] = MARKUP
    report = build_sector(frame, frame.loc[0, "sector"], rubric=RUBRIC, n_boot=50)
    html = render_html(report)
    assert_inert(html)
    assert "&lt;script&gt;" in html
    assert "&lt;b style=&#34;color:red&#34;&gt;đậm&lt;/b&gt;" in html


def test_store_submission_with_markup_everywhere_stays_inert(tmp_path):
    """The path a class takes: typed into the questionnaire, stored, read back, reported."""
    from dxlab.questionnaire import Answer, ResponseStore, Submission

    store = ResponseStore(tmp_path / "class.sqlite")
    crits = list(RUBRIC.criterion_ids)
    answers = {c: Answer(level=i % 5 + 1, comment=f"{SCRIPT} {MARKUP} {c}") for i, c in enumerate(crits)}
    store.submit(Submission(RUBRIC.id, RUBRIC.version, enterprise_id="HACK1", sector="J", size="small",
                            wave="2026", enterprise_name=f"{SCRIPT} tên", province=f"{MARKUP} tỉnh",
                            respondent_role=f"{FORMULA} vai trò", answers=answers))
    frame = store.to_frame(RUBRIC)
    card = enterprise(frame, frame.loc[0, "response_id"], RUBRIC)
    assert_inert(card.html)
    free_columns = ["enterprise_name", "province", "respondent_role", *[f"comment.{c}" for c in crits]]
    assert all(column in card.info["field"].tolist() for column in free_columns)  # every field reaches the report
    import html as html_module

    shown = html_module.unescape(card.html)  # escaped in the page, so the text reads back exactly as typed
    assert all(f"{SCRIPT} {MARKUP} {c}" in shown for c in crits)
    assert f"{SCRIPT} tên" in shown and f"{MARKUP} tỉnh" in shown
    files = card.save(tmp_path, pdf=False)
    info = pd.read_csv(files.tables[2], encoding="utf-8-sig", keep_default_na=False)
    assert dict(zip(info["field"], info["value"]))["respondent_role"].startswith("'=HYPERLINK")
