"""Report models rendered to HTML, Word and PDF: the Word tables are the model's tables, APA-style; no rendered
report shows nan/None; responses without a sector, size or province form a named group; the synthetic sample
is flagged in the report's language; labels come from the catalogue."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import pairwise

import docx
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import dxlab
from dxlab.cli import main as cli_main
from dxlab.report import build_card, build_sector, docx_bytes, render_html
from dxlab.sample import synthetic_responses

RUBRIC = dxlab.load_rubric("mobifone-dx")
FORBIDDEN = re.compile(r"\b(?:nan|NaN|None|<NA>|NaT)\b")


def with_blanks(n: int = 400, seed: int = 21) -> pd.DataFrame:
    """Synthetic responses where some sectors, sizes, provinces and roles are missing or blank."""
    frame = synthetic_responses(RUBRIC, n=n, seed=seed)
    for column in ("sector", "size", "province", "respondent_role"):
        frame[column] = frame[column].astype(object)
    frame.loc[0:24, "sector"] = np.nan
    frame.loc[25:29, "sector"] = "   "
    frame.loc[0:3, "size"] = None
    frame.loc[30:40, "size"] = np.nan
    frame.loc[5:60, "province"] = pd.NA
    frame.loc[8:12, "respondent_role"] = ""
    frame["employees"] = np.where(np.arange(len(frame)) % 3 == 0, np.nan, 42.0)
    frame["source_row"] = np.arange(len(frame)) + 2
    return frame


def visible_text(html: str) -> str:
    html = re.sub(r"data:image/[^\"']+", "", html)
    html = re.sub(r"<style>.*?</style>", " ", html, flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def docx_text(path_or_bytes) -> str:
    import io

    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else path_or_bytes
    document = docx.Document(source)
    words = [p.text for p in document.paragraphs]
    words += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(words)


@pytest.fixture(scope="module")
def blanks() -> pd.DataFrame:
    return with_blanks()


@pytest.fixture(scope="module")
def sector_model(blanks):
    return build_sector(blanks, "G", rubric=RUBRIC, n_boot=100)


@pytest.fixture(scope="module")
def card_model(blanks):
    return build_card(blanks, blanks.loc[0, "response_id"], RUBRIC)  # a response without sector and size


def test_word_tables_are_the_model_tables(sector_model):
    document = docx.Document(__import__("io").BytesIO(docx_bytes(sector_model)))
    tables = sector_model.tables()
    assert len(document.tables) == len(tables) >= 7  # 3 sample, dimensions, comparison, reliability, weakest
    for grid, table in zip(document.tables, tables):
        assert [c.text for c in grid.rows[0].cells] == [str(c) for c in table.frame.columns]
        assert len(grid.rows) == len(table.frame) + 1
        for i, row in enumerate(table.frame.itertuples(index=False)):
            assert [c.text for c in grid.rows[i + 1].cells] == [str(v) for v in row]


def test_word_tables_are_apa_style(card_model):
    """Number in bold and italic title above, three horizontal rules, no vertical ones, note below."""
    body = docx.Document(__import__("io").BytesIO(docx_bytes(card_model))).element.body
    tables = card_model.tables()
    xml_tables = body.findall(".//{*}tbl")
    assert len(xml_tables) == len(tables)
    first = xml_tables[0]
    before = [p for p in first.itersiblings(preceding=True)][:2]
    number, title = before[1], before[0]
    assert "".join(number.xpath(".//w:t/text()")) == "Bảng 1" and number.xpath(".//w:b")
    assert "".join(title.xpath(".//w:t/text()")) == tables[0].title and title.xpath(".//w:i")
    borders = [b.tag.split("}")[1] for b in first.iter() if b.tag.endswith(("}top", "}bottom", "}left", "}right"))
               and b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "single"]
    assert set(borders) == {"top", "bottom"}
    rows = first.findall("{*}tr")
    header_rules = sum(1 for b in rows[0].iter() if b.tag.endswith("}bottom")
                       and b.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "single")
    assert header_rules == len(rows[0].findall("{*}tc"))  # the rule below the header spans it
    noted = next(t for t in tables if t.note)
    assert noted.note in docx_text(docx_bytes(card_model))


def test_figures_are_print_resolution(card_model):
    import io

    from PIL import Image

    for figure in card_model.figures():
        image = Image.open(io.BytesIO(figure.png))
        dpi = image.info.get("dpi", (0, 0))[0]
        assert round(dpi) == 300
        assert image.size[0] / dpi >= 4.5  # inches wide: drawn for print, not thumbnails


def test_no_nan_in_any_rendered_report(sector_model, card_model, tmp_path):
    for model in (sector_model, card_model):
        html = render_html(model)
        assert not FORBIDDEN.findall(visible_text(html)), FORBIDDEN.findall(visible_text(html))[:5]
        words = docx_text(docx_bytes(model))
        assert not FORBIDDEN.findall(words), FORBIDDEN.findall(words)[:5]
        for table in model.tables():
            cells = table.frame.astype(str).to_numpy().ravel()
            assert not [c for c in cells if FORBIDDEN.search(c)]


def test_blank_sectors_are_a_named_group(blanks, sector_model, card_model):
    sample = " ".join(b.text for b in sector_model.section("sample").blocks if hasattr(b, "text"))
    assert "30 phiếu không ghi ngành được tính vào nhóm «Chưa rõ ngành»." in sample
    heat = [t for t in sector_model.section("comparison").blocks if hasattr(t, "frame")]
    assert heat, "the comparison table is there although some sectors are blank"
    size_table = next(b for b in sector_model.section("sample").blocks if getattr(b, "title", "").endswith("quy mô"
                                                                                                       " doanh nghiệp"))
    in_g = blanks[blanks["sector"] == "G"]
    unknown_sizes = int(in_g["size"].isna().sum())
    if unknown_sizes:
        row = size_table.frame[size_table.frame.iloc[:, 0] == "Chưa rõ quy mô"]
        assert row.iloc[0, 1] == str(unknown_sizes)
    html = render_html(card_model)
    assert "Trong ngành Chưa rõ ngành" in visible_text(html)
    assert "Trong nhóm quy mô Chưa rõ quy mô" in visible_text(html)
    assert card_model.percentiles["percentile"].isna().all()  # no peers to rank against


def test_card_labels_come_from_the_catalogue(card_model):
    info = next(t for t in card_model.tables() if t.title == "Thông tin doanh nghiệp")
    labels = info.frame.iloc[:, 0].tolist()
    assert "Số lao động" in labels and "Dòng trong tệp gốc" in labels
    assert not {"employees", "source_row", "sector", "size", "province"} & set(labels)
    values = dict(zip(labels, info.frame.iloc[:, 1]))
    assert values["Số lao động"] == "—"  # response 0 has no employee count (row 0 % 3 == 0)
    assert values["Ngành (VSIC)"] == "Chưa rõ ngành"


def test_numbers_in_the_language_style(blanks):
    card = build_card(blanks, "R000100", RUBRIC, lang="vi")
    score = card.dimensions["score"].iloc[0]
    table = card.tables()[0]
    assert table.frame.iloc[0, 1] == f"{score:.2f}".replace(".", ",")
    english = build_card(blanks, "R000100", RUBRIC, lang="en")
    assert english.tables()[0].frame.iloc[0, 1] == f"{score:.2f}"


def test_synthetic_data_flagged_in_the_reports_language(blanks, tmp_path):
    assert "Dữ liệu tổng hợp (giả lập)" in build_card(blanks, "R000100", RUBRIC).note
    assert "Synthetic data" in build_card(blanks, "R000100", RUBRIC, lang="en").note
    # Read back from a file the attrs are gone; the sample's markers (names, e-mails) still say it.
    marked = blanks.assign(enterprise_name="Công ty TNHH Mẫu 1 (mẫu tổng hợp)", email="a@dn-mau.example")
    marked.to_csv(tmp_path / "marked.csv", index=False)
    back = dxlab.io.read_table(tmp_path / "marked.csv")
    assert back.attrs.get("note") is None
    assert "Synthetic data" in build_card(back, "R000100", RUBRIC, lang="en").note
    real = blanks.copy()
    real.attrs = {}
    assert build_card(real, "R000100", RUBRIC).note is None


def test_long_vietnamese_labels_never_overlap():
    """Notebook 02's first Likert figure: five three-line criterion texts on a 3.6-inch caller's axes."""
    responses = synthetic_responses(RUBRIC, n=300, seed=2)
    customer = [c for c in RUBRIC.criterion_ids if c.startswith("CUS.")][:5]
    table = dxlab.stats.level_distribution(responses, customer, levels=RUBRIC)
    fig, ax = plt.subplots(figsize=(8, 3.6), layout="constrained")
    dxlab.plots.likert_bars(table, rubric=RUBRIC, labels="both", ax=ax, title="Khách hàng (CUS)")
    fig.draw_without_rendering()
    boxes = sorted((t.get_window_extent() for t in ax.get_yticklabels() if t.get_text()), key=lambda b: b.y0)
    assert len(boxes) == 5 and all("\n" in t.get_text() for t in ax.get_yticklabels())
    gaps = [upper.y0 - lower.y1 for lower, upper in pairwise(boxes)]
    plt.close(fig)
    assert min(gaps) > 0, f"bar labels overlap by {-min(gaps):.1f} px"


def test_formats_are_checked(blanks, tmp_path, capsys):
    data = tmp_path / "r.parquet"
    blanks.to_parquet(data, index=False)
    code = cli_main(["report", "sector", "--sector", "G", "--data", str(data), "--out", str(tmp_path),
                     "--format", "html,odt", "--lang", "en"])
    assert code == 2 and "Unknown format 'odt'" in capsys.readouterr().err
    code = cli_main(["report", "sector", "--sector", "G", "--data", str(data), "--out", str(tmp_path),
                     "--format", "pdf,odt", "--lang", "vi"])
    assert code == 2 and "Định dạng 'odt' không hợp lệ" in capsys.readouterr().err
    assert not list(tmp_path.glob("sector-*"))


def test_cli_enterprise_writes_three_formats(blanks, tmp_path, capsys):
    data = tmp_path / "r.parquet"
    blanks.to_parquet(data, index=False)
    code = cli_main(["report", "enterprise", "--response", "R000001", "--data", str(data), "--out",
                     str(tmp_path / "out"), "--format", "html,docx,pdf", "--lang", "en"])
    assert code == 0
    out = tmp_path / "out"
    assert (out / "enterprise-R000001-en.html").exists() and (out / "enterprise-R000001-en.docx").exists()
    text = docx_text(out / "enterprise-R000001-en.docx")
    assert "Digital transformation maturity report card" in text and "Sector unknown" in text
    if dxlab.report.find_chromium() is None:
        pytest.skip("headless Chromium not installed; PDF not checked")
    pdf = out / "enterprise-R000001-en.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "report card" in words and not FORBIDDEN.findall(words)


def test_pdf_text_of_a_sector_with_blanks_has_no_nan(sector_model, tmp_path):
    if dxlab.report.find_chromium() is None or shutil.which("pdftotext") is None:
        pytest.skip("needs headless Chromium and pdftotext (poppler-utils)")
    html = tmp_path / "report.html"
    html.write_text(render_html(sector_model), encoding="utf-8")
    pdf = dxlab.report.html_to_pdf(html, tmp_path / "report.pdf")
    words = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Chưa rõ ngành" in words and "Bảng 1" in words
    assert not FORBIDDEN.findall(words), FORBIDDEN.findall(words)[:5]


def test_free_text_with_control_characters_reaches_word_intact(blanks):
    frame = blanks.copy()
    frame["enterprise_name"] = "x"
    frame.loc[0, "enterprise_name"] = "Công ty <b>A</b>\x0b & \x01 Sons =SUM(A1)"
    card = build_card(frame, frame.loc[0, "response_id"], RUBRIC)
    words = docx_text(docx_bytes(card))  # XML cannot hold \x0b or \x01: they become U+FFFD, nothing is lost
    assert "Công ty <b>A</b>\ufffd & \ufffd Sons =SUM(A1)" in words
    html = render_html(card)
    assert "Công ty &lt;b&gt;A&lt;/b&gt;" in html


def test_card_names_every_unknown_group(blanks):
    card = build_card(blanks, blanks.loc[10, "response_id"], RUBRIC)  # no sector, province or role
    info = dict(next(t for t in card.tables() if t.title == "Thông tin doanh nghiệp").frame.to_numpy().tolist())
    assert info["Ngành (VSIC)"] == "Chưa rõ ngành"
    assert info["Tỉnh/thành phố"] == "Chưa rõ tỉnh/thành phố"
    assert info["Vị trí người trả lời"] == "Chưa rõ vị trí"


def test_html_tables_hold_the_model_cells(card_model):
    import html as html_module

    text = html_module.unescape(visible_text(render_html(card_model)))
    criteria = next(t for t in card_model.tables() if t.group_rows)
    for i in criteria.group_rows:
        assert f" {criteria.frame.iat[i, 0]} " in text  # the dimension heading, as text
    assert "'text':" not in text and "'bg':" not in text
