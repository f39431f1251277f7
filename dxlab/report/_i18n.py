"""Report wording in Vietnamese and English, and number formats of each language."""

from __future__ import annotations

import math

__all__ = ["TEXT", "t", "num", "pct", "sector_name", "size_name", "field_name"]

TEXT: dict[str, dict[str, str]] = {
    "vi": {
        "enterprise_title": "Phiếu kết quả đánh giá mức độ chuyển đổi số",
        "sector_title": "Báo cáo ngành: mức độ chuyển đổi số",
        "overall": "Kết quả chung",
        "overall_score": "Điểm tổng thể",
        "overall_level": "Mức đạt được",
        "level_sentence": "Doanh nghiệp đạt mức {level} «{label}» trên thang {top} mức, với điểm tổng thể {score}.",
        "next_level_sentence": "Để lên mức {level} «{label}», điểm tổng thể cần đạt ít nhất {needed}.",
        "top_level_sentence": "Đây là mức cao nhất của khung đánh giá.",
        "no_overall": "Chưa đủ câu trả lời để tính điểm tổng thể (cần trả lời ít nhất {share} số tiêu chí của "
                      "mỗi nhóm).",
        "percentile": "Vị trí so với doanh nghiệp cùng nhóm",
        "percentile_sector": "Trong ngành {sector}",
        "percentile_size": "Trong nhóm quy mô {size}",
        "percentile_sentence": "bách phân vị {p} trong {n} doanh nghiệp: điểm tổng thể cao hơn khoảng {p} % "
                               "số doanh nghiệp cùng nhóm",
        "percentile_few": "chưa đủ doanh nghiệp để so sánh (n = {n})",
        "percentile_missing": "không có (thiếu thông tin ngành/quy mô hoặc điểm)",
        "info": "Thông tin doanh nghiệp",
        "profile": "Hồ sơ theo trụ cột",
        "dimension": "Trụ cột",
        "score": "Điểm",
        "level": "Mức",
        "sector_median": "Trung vị ngành",
        "target": "Mục tiêu",
        "gap": "Khoảng cách",
        "criteria": "Kết quả từng tiêu chí",
        "criterion": "Tiêu chí",
        "current_descriptor": "Mô tả mức hiện tại",
        "not_answered": "chưa trả lời",
        "next_steps": "Khoảng cách và bước tiếp theo",
        "next_steps_intro": "Các tiêu chí dưới mục tiêu, xếp theo mức ưu tiên (khoảng cách × trọng số). Bước "
                            "tiếp theo là mô tả của mức kế tiếp trong khung đánh giá.",
        "no_gaps": "Mọi tiêu chí đã đạt mục tiêu.",
        "current": "Hiện tại",
        "next_step": "Bước tiếp theo",
        "priority": "Ưu tiên",
        "method": "Phương pháp",
        "method_text": "Điểm nhóm là trung bình có trọng số của các tiêu chí đã trả lời; điểm trụ cột là trung "
                       "bình của các nhóm; điểm tổng thể là trung bình của các trụ cột. Mức đạt được là mức L lớn "
                       "nhất có điểm ≥ L. Trung vị ngành và vị trí so sánh tính trên các doanh nghiệp cùng ngành "
                       "(và cùng đợt khảo sát) trong dữ liệu.",
        "generated": "Tạo bởi dxlab {version} ngày {date}. Bộ tiêu chí: {rubric} (phiên bản {rubric_version}).",
        "provenance_note": "Các tiêu chí đánh dấu † do dxlab soạn thảo (không thuộc văn bản đã công bố).",
        "enterprise": "Doanh nghiệp",
        "response": "Mã phiếu",
        "figure_radar": "Điểm từng trụ cột so với trung vị ngành và mục tiêu",
        "figure_gaps": "Các tiêu chí ưu tiên: mức hiện tại và mục tiêu",
        "of": "trên",
    },
    "en": {
        "enterprise_title": "Digital transformation maturity report card",
        "sector_title": "Sector report: digital transformation maturity",
        "overall": "Overall result",
        "overall_score": "Overall score",
        "overall_level": "Level reached",
        "level_sentence": "The enterprise reaches level {level} “{label}” of {top}, with an overall score of "
                          "{score}.",
        "next_level_sentence": "To reach level {level} “{label}”, the overall score must be at least {needed}.",
        "top_level_sentence": "This is the highest level of the framework.",
        "no_overall": "Too few answers to compute an overall score (at least {share} of each group's criteria "
                      "must be answered).",
        "percentile": "Position among peers",
        "percentile_sector": "In sector {sector}",
        "percentile_size": "In size class {size}",
        "percentile_sentence": "percentile {p} of {n} enterprises: an overall score above about {p}% of its "
                               "peers",
        "percentile_few": "too few enterprises to compare (n = {n})",
        "percentile_missing": "not available (sector/size or score missing)",
        "info": "About the enterprise",
        "profile": "Profile by dimension",
        "dimension": "Dimension",
        "score": "Score",
        "level": "Level",
        "sector_median": "Sector median",
        "target": "Target",
        "gap": "Gap",
        "criteria": "Result per criterion",
        "criterion": "Criterion",
        "current_descriptor": "Current level descriptor",
        "not_answered": "not answered",
        "next_steps": "Gaps and next steps",
        "next_steps_intro": "Criteria below target, by priority (gap × weight). The next step is the descriptor "
                            "of the next level in the framework.",
        "no_gaps": "Every criterion meets its target.",
        "current": "Current",
        "next_step": "Next step",
        "priority": "Priority",
        "method": "Method",
        "method_text": "A group's score is the weighted mean of its answered criteria; a dimension's score is the "
                       "mean of its groups; the overall score is the mean of the dimensions. The level reached is "
                       "the largest level L with score ≥ L. Sector medians and positions are computed over the "
                       "enterprises of the same sector (and survey wave) in the data.",
        "generated": "Generated by dxlab {version} on {date}. Rubric: {rubric} (version {rubric_version}).",
        "provenance_note": "Criteria marked † are drafted by dxlab (not part of the published text).",
        "enterprise": "Enterprise",
        "response": "Response",
        "figure_radar": "Dimension scores against the sector median and the target",
        "figure_gaps": "Priority criteria: current level and target",
        "of": "of",
    },
}

FIELDS = {
    "response_id": ("Mã phiếu", "Response id"), "enterprise_id": ("Mã số doanh nghiệp", "Enterprise id"),
    "enterprise_name": ("Tên doanh nghiệp", "Enterprise name"), "submitted_at": ("Thời điểm nộp", "Submitted at"),
    "wave": ("Đợt khảo sát", "Wave"), "sector": ("Ngành (VSIC)", "Sector (VSIC)"), "size": ("Quy mô", "Size"),
    "province": ("Tỉnh/thành phố", "Province"), "respondent_role": ("Vị trí người trả lời", "Respondent role"),
    "respondent_name": ("Người trả lời", "Respondent"), "email": ("Thư điện tử", "E-mail"),
    "comment": ("Ghi chú", "Comment"), "comments": ("Ghi chú", "Comments"), "notes": ("Ghi chú", "Notes"),
}
SIZES = {"micro": ("siêu nhỏ", "micro"), "small": ("nhỏ", "small"), "medium": ("vừa", "medium"),
         "large": ("lớn", "large")}


def t(key: str, lang: str, **values: object) -> str:
    text = TEXT[lang][key]
    return text.format(**values) if values else text


def num(value: float | None, lang: str, digits: int = 2) -> str:
    """``2,45`` in Vietnamese, ``2.45`` in English; "—" for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:,.{digits}f}"
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def pct(share: float | None, lang: str, digits: int = 0) -> str:
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "—"
    return f"{num(100 * share, lang, digits)} %" if lang == "vi" else f"{num(100 * share, lang, digits)}%"


def sector_name(code: object, lang: str) -> str:
    """``G — Bán buôn và bán lẻ…`` for a VSIC 2018 section letter; other values as they are."""
    try:
        from ..vocab import VSIC_SECTIONS
    except ImportError:  # the ingest vocabulary is optional for reports
        VSIC_SECTIONS = {}
    if isinstance(code, str) and code in VSIC_SECTIONS:
        return f"{code} — {VSIC_SECTIONS[code][0 if lang == 'vi' else 1]}"
    return str(code)


def size_name(code: object, lang: str) -> str:
    if isinstance(code, str) and code in SIZES:
        return SIZES[code][0 if lang == "vi" else 1]
    return str(code)


def field_name(column: str, lang: str) -> str:
    return FIELDS[column][0 if lang == "vi" else 1] if column in FIELDS else column
