"""Write the Vietnamese survey-export fixtures in this folder (run from anywhere; deterministic).

No public Vietnamese Google Forms or Microsoft Forms export exists, so these small files are built on the
conventions those tools follow in Vietnamese (``Dấu thời gian``, ``Địa chỉ email``, ``dd/mm/yyyy``; MS Forms'
``ID, Thời gian bắt đầu, Thời gian hoàn thành, Email, Tên``), in the encodings Vietnamese offices produce:
UTF-8 with a BOM, Windows-1258 with tone marks as combining characters, and Excel's UTF-16 "Unicode text".
Every enterprise is invented. Tests read the committed files; rerun this script only to change them:

    .venv/bin/python tests/fixtures_vi/make_fixtures.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Criterion texts of mobifone-dx (published Customer dimension), as form question titles.
ENG1 = "Trải nghiệm khách hàng được cá nhân hóa dựa vào các tương tác với doanh nghiệp"
ENG3 = "Tất cả các tương tác với khách hàng đều được thực hiện qua các kênh kỹ thuật số"
EXP2 = "Danh mục hiện tại đáp ứng nhu cầu và mục tiêu trải nghiệm khách hàng số"
ENG1_EN = "The customer experience is personalised from the customer's interactions with the enterprise"

# Google Forms (Vietnamese), UTF-8 with BOM: grid question "Title [Row]", ambiguous dd/mm dates, a duplicate
# submission, an embedded line break, CRLF records and no final newline.
GF_HEADER = ["Dấu thời gian", "Địa chỉ email", "Tên doanh nghiệp", "Mã số thuế", "Tỉnh/Thành phố",
             "Lĩnh vực hoạt động", "Quy mô", f"Mức độ chuyển đổi số [{ENG1}]",
             f"Mức độ chuyển đổi số [{EXP2}]", f"3. {ENG3}", "Ý kiến khác"]
GF_ROWS = [
    ["03/02/2026 09:15:00", "an@vidu.example", "Công ty TNHH Ánh Dương", "0101234567", "TP. HCM", "Bán lẻ",
     "Nhỏ", "Mức 3 - Hình thành", "Mức 2 - Bắt đầu", "35%", "Tốt"],
    ["04/02/2026 10:00:00", "binh@vidu.example", "Công ty CP Bình Minh", "0309876543", "Hà Nội",
     "bán buôn và bán lẻ", "Vừa", "nang cao", "Mức 5 - Dẫn dắt", "Từ 60% đến 80%", "Dòng một\nDòng hai"],
    ["05/02/2026 11:30:00", "an@vidu.example", "Công ty TNHH Ánh Dương", "0101234567", "Ho Chi Minh", "Bán lẻ",
     "Nhỏ", "Mức 4 - Nâng cao", "Mức 2 - Bắt đầu", "45 %", ""],
    ["06/02/2026 08:05:09", "chi@vidu.example", "HTX Cà phê Cao Nguyên", "6000123456", "Đắk Lắk", "Nông nghiệp",
     "Siêu nhỏ", "Mức 1 - Khởi tạo", "không biết", "0,5", "=1+1"],
]

# The same survey as a Windows-1258 file (tone marks as combining characters), semicolon-free plain CSV.
CP1258_HEADER = ["Dấu thời gian", "Tên doanh nghiệp", "Tỉnh/Thành phố", "Ngành nghề kinh doanh chính",
                 f"1. {ENG1}", f"5. {EXP2}"]
CP1258_ROWS = [
    ["12/03/2026 14:20:00", "Công ty TNHH Hương Việt", "Thừa Thiên Huế", "Nhà hàng", "Hình thành", "Mức 4"],
    ["13/03/2026 08:00:00", "Công ty CP Đồng Tiến", "Đồng Nai", "Sản xuất", "Dẫn dắt", "Khởi tạo"],
    ["14/03/2026 16:45:30", "Doanh nghiệp tư nhân Ngọc Ẩn", "Quảng Ngãi", "Xây dựng", "Bắt đầu", "Nâng cao"],
]

# Excel "Unicode text": UTF-16LE with BOM, tab-delimited.
UTF16_HEADER = ["Dấu thời gian", "Mã số thuế", "Tên doanh nghiệp", "Số lao động", "Tỉnh", f"[CUS.ENG.1] {ENG1}",
                "CUS.ENG.3 - tỷ lệ tương tác số (%)"]
UTF16_ROWS = [
    ["20/04/2026 07:30:00", "101234568", "Công ty TNHH Lạc Hồng", "8", "Bình Dương", "2", "15"],
    ["21/04/2026 09:10:00", "0201234569", "Công ty CP Sông Hàn", "150", "Đà Nẵng", "Mức 3", "55%"],
]

# Microsoft Forms (Vietnamese UI), XLSX with real date cells.
MSF_VI_HEADER = ["ID", "Thời gian bắt đầu", "Thời gian hoàn thành", "Email", "Tên", "Thời gian sửa đổi lần cuối",
                 "Tên doanh nghiệp", "Mã số thuế", ENG1, ENG3]
MSF_VI_ROWS = [
    [1, dt.datetime(2026, 5, 4, 9, 0, 5), dt.datetime(2026, 5, 4, 9, 12, 40), "anonymous", None, None,
     "Công ty TNHH Phú Quý", "0312345678", "Mức 2 - Bắt đầu", 0.35],
    [2, dt.datetime(2026, 5, 5, 14, 3, 0), dt.datetime(2026, 5, 5, 14, 20, 11), "lan@vidu.example", "Nguyễn Thị Lan",
     None, "Công ty CP Hải Đăng", "0401234567", "Nâng cao", 0.9],
    [3, dt.datetime(2026, 5, 6, 8, 30, 0), dt.datetime(2026, 5, 6, 8, 41, 0), "anonymous", None, None,
     "Công ty TNHH Phú Quý", "0312345678", "Mức 3 - Hình thành", 0.45],
]
MSF_EN_HEADER = ["ID", "Start time", "Completion time", "Email", "Name", ENG1_EN, "Comments"]
MSF_EN_ROWS = [
    [1, dt.datetime(2026, 1, 2, 10, 0), dt.datetime(2026, 1, 2, 10, 9), "anonymous", None, "Forming", "ok"],
    [2, dt.datetime(2026, 1, 3, 11, 0), dt.datetime(2026, 1, 3, 11, 4), "anonymous", None, "Level 5", None],
]

# KoboToolbox XLSX export: group paths, a multi-select as codes and as one 0/1 column per option.
KOBO_HEADER = ["start", "end", "today", "thong_tin/ten_dn", "thong_tin/tinh", "khach_hang/CUS_ENG_1",
               "khach_hang/CUS_ENG_3", "kenh_so", "kenh_so/web", "kenh_so/zalo", "kenh_so/facebook",
               "_id", "_uuid", "_submission_time", "_index"]
KOBO_ROWS = [
    ["2026-06-01T08:00:00.000+07:00", "2026-06-01T08:20:00.000+07:00", "2026-06-01", "Công ty TNHH Tân Phát",
     "Cần Thơ", "3", "42", "web zalo", 1, 1, 0, 501, "3f1c-aa", "2026-06-01T01:20:05", 1],
    ["2026-06-02T09:00:00.000+07:00", "2026-06-02T09:15:00.000+07:00", "2026-06-02", "Công ty CP Hòa Bình",
     "Hà Nội", "5", "85", "facebook", 0, 0, 1, 502, "3f1c-bb", "2026-06-02T02:15:40", 2],
]

# A plain semicolon-separated Windows-1252 table with criterion ids in the headers, a duplicate header, a
# blank header and trailing empty columns (as Excel leaves them), no final newline.
CP1252_TEXT = ("Company;Province;[CUS.ENG.1] Personalised experience;CUS.ENG.2 - Content;Notes;Notes;;;\r\n"
               "Café Lumière;Hanoi;Level 3;2;naïve;crème brûlée;;;\r\n"
               "Smørrebrød Ltd;Da Nang;Leading;4;façade;€ 5;;;\r\n"
               ";;;;;;;;\r\n"
               "Über GmbH;Paris;9;Initiating;;;;;")


def cp1258_bytes(text: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Windows does: base letters (with ^, breve, horn) precomposed,
    tone marks as separate combining characters."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


def write_csv_text(header: list[str], rows: list[list], delimiter: str = ",", final_newline: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    return text if final_newline else text.rstrip("\r\n")


def write_xlsx(path: Path, header: list[str], rows: list[list], sheet: str = "Sheet1") -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    fixed = dt.datetime(2026, 1, 1)
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.save(path)


def main() -> None:
    (HERE / "google_forms_vi_bom.csv").write_bytes(
        b"\xef\xbb\xbf" + write_csv_text(GF_HEADER, GF_ROWS, final_newline=False).encode("utf-8"))
    (HERE / "google_forms_vi_cp1258.csv").write_bytes(cp1258_bytes(write_csv_text(CP1258_HEADER, CP1258_ROWS)))
    (HERE / "excel_unicode_text_vi.txt").write_bytes(
        write_csv_text(UTF16_HEADER, UTF16_ROWS, delimiter="\t").encode("utf-16"))
    write_xlsx(HERE / "microsoft_forms_vi.xlsx", MSF_VI_HEADER, MSF_VI_ROWS)
    write_xlsx(HERE / "microsoft_forms_en.xlsx", MSF_EN_HEADER, MSF_EN_ROWS)
    write_xlsx(HERE / "kobo_vi.xlsx", KOBO_HEADER, KOBO_ROWS, sheet="khao_sat_cds")
    (HERE / "plain_cp1252.csv").write_bytes(CP1252_TEXT.encode("cp1252"))


if __name__ == "__main__":
    main()
