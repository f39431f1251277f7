"""The shared vocabulary of dxlab: VSIC 2018 sections, Vietnamese provinces, SME size classes with their
names, the header names survey tools use for metadata, and the response column schema.

It sits on the ground floor (it imports nothing of dxlab), so cleaning, the questionnaire, scoring, reports
and the synthetic sample all use one definition of each list.

These are small, stable official lists (Decision 27/2018/QĐ-TTg for VSIC 2018, Decree 80/2021/NĐ-CP for SME
classes, the 63 provincial units as named before the 2025 merger, all 34 of whose post-merger names are among
them). No maintained Python package carries them with Vietnamese spellings, so they live here as data.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "VSIC_SECTIONS",
    "VSIC_DIVISIONS",
    "SECTOR_KEYWORDS",
    "PROVINCES",
    "PROVINCE_ALIASES",
    "PROVINCE_PREFIXES",
    "PROVINCE_SUFFIXES",
    "SIZE_CLASSES",
    "SIZE_NAMES",
    "SIZE_LIMITS_INDUSTRY",
    "SIZE_LIMITS_SERVICES",
    "INDUSTRY_SECTIONS",
    "SIZE_LABELS",
    "SIZE_AMBIGUOUS",
    "METADATA_HEADERS",
    "METADATA_FIELDS",
    "Column",
    "RESPONSE_SCHEMA",
    "CORE_COLUMNS",
    "OPTIONAL_COLUMNS",
    "SCORE_META_COLUMNS",
    "TEST_MARKERS",
    "sector_name",
    "size_name",
]

# VSIC 2018 sections: letter -> (Vietnamese name, English name).
VSIC_SECTIONS: dict[str, tuple[str, str]] = {
    "A": ("Nông nghiệp, lâm nghiệp và thủy sản", "Agriculture, forestry and fishing"),
    "B": ("Khai khoáng", "Mining and quarrying"),
    "C": ("Công nghiệp chế biến, chế tạo", "Manufacturing"),
    "D": (
        "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hoà không khí",
        "Electricity, gas, steam and air conditioning supply",
    ),
    "E": (
        "Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải",
        "Water supply; sewerage, waste management and remediation activities",
    ),
    "F": ("Xây dựng", "Construction"),
    "G": (
        "Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    "H": ("Vận tải kho bãi", "Transportation and storage"),
    "I": ("Dịch vụ lưu trú và ăn uống", "Accommodation and food service activities"),
    "J": ("Thông tin và truyền thông", "Information and communication"),
    "K": ("Hoạt động tài chính, ngân hàng và bảo hiểm", "Financial and insurance activities"),
    "L": ("Hoạt động kinh doanh bất động sản", "Real estate activities"),
    "M": ("Hoạt động chuyên môn, khoa học và công nghệ", "Professional, scientific and technical activities"),
    "N": ("Hoạt động hành chính và dịch vụ hỗ trợ", "Administrative and support service activities"),
    "O": (
        "Hoạt động của Đảng Cộng sản, tổ chức chính trị - xã hội, quản lý Nhà nước, an ninh quốc phòng; "
        "đảm bảo xã hội bắt buộc",
        "Public administration and defence; compulsory social security",
    ),
    "P": ("Giáo dục và đào tạo", "Education"),
    "Q": ("Y tế và hoạt động trợ giúp xã hội", "Human health and social work activities"),
    "R": ("Nghệ thuật, vui chơi và giải trí", "Arts, entertainment and recreation"),
    "S": ("Hoạt động dịch vụ khác", "Other service activities"),
    "T": (
        "Hoạt động làm thuê các công việc trong các hộ gia đình, sản xuất sản phẩm vật chất và dịch vụ tự tiêu "
        "dùng của hộ gia đình",
        "Activities of households as employers; undifferentiated goods- and "
        "services-producing activities of households for own use",
    ),
    "U": ("Hoạt động của các tổ chức và cơ quan quốc tế", "Activities of extraterritorial organizations and bodies"),
}

# VSIC 2018 divisions (2-digit codes) -> section: (first division, last division, section).
VSIC_DIVISIONS: tuple[tuple[int, int, str], ...] = (
    (1, 3, "A"),
    (5, 9, "B"),
    (10, 33, "C"),
    (35, 35, "D"),
    (36, 39, "E"),
    (41, 43, "F"),
    (45, 47, "G"),
    (49, 53, "H"),
    (55, 56, "I"),
    (58, 63, "J"),
    (64, 66, "K"),
    (68, 68, "L"),
    (69, 75, "M"),
    (77, 82, "N"),
    (84, 84, "O"),
    (85, 85, "P"),
    (86, 88, "Q"),
    (90, 93, "R"),
    (94, 96, "S"),
    (97, 98, "T"),
    (99, 99, "U"),
)

# Everyday words for a sector, folded (no tone marks, lower case). A phrase counts only as whole words, and
# the longest phrase wins ("thương mại điện tử" is trade, not electronics manufacturing). Deliberately
# absent: words that point at several sections ("du lịch": travel agency N or hotel I; "dịch vụ").
SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "A": (
        "nong nghiep",
        "lam nghiep",
        "thuy san",
        "nuoi trong thuy san",
        "trong trot",
        "chan nuoi",
        "nong lam thuy san",
        "agriculture",
        "farming",
        "forestry",
        "fishing",
        "fishery",
        "fisheries",
        "aquaculture",
    ),
    "B": ("khai khoang", "khai thac mo", "khai thac than", "khai thac khoang san", "mining", "quarrying"),
    "C": (
        "san xuat",
        "che bien",
        "che tao",
        "cong nghiep che bien",
        "det may",
        "may mac",
        "co khi",
        "dien tu",
        "manufacturing",
        "manufacture",
        "manufacturer",
        "factory",
        "garment",
        "garments",
        "textile",
        "textiles",
        "electronics",
    ),
    "D": (
        "dien luc",
        "san xuat dien",
        "phan phoi dien",
        "nang luong",
        "khi dot",
        "electricity",
        "energy",
        "power supply",
        "utilities",
    ),
    "E": (
        "cap nuoc",
        "thoat nuoc",
        "xu ly rac",
        "rac thai",
        "nuoc thai",
        "moi truong",
        "water supply",
        "waste",
        "sewerage",
        "recycling",
    ),
    "F": ("xay dung", "xay lap", "construction", "building contractor"),
    "G": (
        "ban le",
        "ban buon",
        "thuong mai",
        "thuong mai dien tu",
        "sieu thi",
        "cua hang",
        "phan phoi",
        "xuat nhap khau",
        "retail",
        "retailer",
        "wholesale",
        "wholesaler",
        "trade",
        "trading",
        "commerce",
        "e commerce",
        "ecommerce",
        "sua chua o to",
    ),
    "H": (
        "van tai",
        "van chuyen",
        "kho bai",
        "kho van",
        "logistics",
        "giao nhan",
        "chuyen phat",
        "buu chinh",
        "transport",
        "transportation",
        "shipping",
        "warehousing",
        "postal",
        "courier",
        "storage",
    ),
    "I": (
        "luu tru",
        "khach san",
        "nha hang",
        "an uong",
        "dich vu an uong",
        "accommodation",
        "hotel",
        "hotels",
        "restaurant",
        "restaurants",
        "food service",
        "hospitality",
    ),
    "J": (
        "thong tin va truyen thong",
        "cong nghe thong tin",
        "cntt",
        "phan mem",
        "vien thong",
        "truyen thong",
        "xuat ban",
        "bao chi",
        "internet",
        "information technology",
        "information and communication",
        "it",
        "ict",
        "software",
        "telecom",
        "telecoms",
        "telecommunications",
        "media",
        "publishing",
    ),
    "K": (
        "tai chinh",
        "ngan hang",
        "bao hiem",
        "chung khoan",
        "tin dung",
        "finance",
        "financial",
        "bank",
        "banking",
        "insurance",
        "securities",
        "fintech",
    ),
    "L": ("bat dong san", "real estate", "property"),
    "M": (
        "tu van",
        "khoa hoc",
        "nghien cuu",
        "ke toan",
        "kiem toan",
        "luat",
        "kien truc",
        "quang cao",
        "consulting",
        "consultancy",
        "legal",
        "accounting",
        "research",
        "architecture",
        "advertising",
        "scientific",
        "professional services",
    ),
    "N": (
        "dich vu ho tro",
        "cho thue",
        "viec lam",
        "bao ve",
        "ve sinh cong nghiep",
        "rental",
        "staffing",
        "security services",
        "administrative",
    ),
    "O": (
        "quan ly nha nuoc",
        "hanh chinh cong",
        "co quan nha nuoc",
        "quoc phong",
        "public administration",
        "government",
        "defence",
        "defense",
    ),
    "P": ("giao duc", "dao tao", "truong hoc", "education", "training", "school", "university"),
    "Q": (
        "y te",
        "benh vien",
        "phong kham",
        "tro giup xa hoi",
        "health",
        "healthcare",
        "health care",
        "hospital",
        "clinic",
        "social work",
    ),
    "R": ("nghe thuat", "vui choi", "giai tri", "the thao", "arts", "entertainment", "recreation", "sports"),
    "S": ("dich vu khac", "other services", "other service activities"),
    "T": ("ho gia dinh", "households"),
    "U": ("to chuc quoc te", "international organisation", "international organization", "extraterritorial"),
}

# Provinces and centrally-run cities, canonical names as dxlab writes them.
PROVINCES: tuple[str, ...] = (
    "Hà Nội",
    "Hồ Chí Minh",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
)

PROVINCE_ALIASES: dict[str, str] = {
    "HCM": "Hồ Chí Minh",
    "HCMC": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "TP HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "Saigon": "Hồ Chí Minh",
    "Ho Chi Minh City": "Hồ Chí Minh",
    "HN": "Hà Nội",
    "Hanoi": "Hà Nội",
    "Thủ đô Hà Nội": "Hà Nội",
    "Vũng Tàu": "Bà Rịa - Vũng Tàu",
    "BRVT": "Bà Rịa - Vũng Tàu",
    "BR-VT": "Bà Rịa - Vũng Tàu",
    "Huế": "Thừa Thiên Huế",
    "TT Huế": "Thừa Thiên Huế",
    "TT-Huế": "Thừa Thiên Huế",
    "Daklak": "Đắk Lắk",
    "Dak Lak": "Đắk Lắk",
    "Đăk Lăk": "Đắk Lắk",
    "Đắc Lắc": "Đắk Lắk",
    "Đăk Nông": "Đắk Nông",
    "Bắc Cạn": "Bắc Kạn",
    "Kontum": "Kon Tum",
    "Haiphong": "Hải Phòng",
    "Danang": "Đà Nẵng",
}
# Administrative words written before or after a province name; folded.
PROVINCE_PREFIXES: tuple[str, ...] = (
    "thanh pho truc thuoc trung uong",
    "thanh pho",
    "tinh",
    "tp",
    "t p",
    "t",
    "city of",
    "province of",
)
PROVINCE_SUFFIXES: tuple[str, ...] = ("city", "province", "municipality")

# SME size classes (Decree 80/2021/NĐ-CP, article 5): the largest employee count (social-insurance
# contributors) of each class. Agriculture, industry and construction (sections A–F) have higher limits than
# trade and services.
# Display names of the size classes: code -> (Vietnamese, English), in size order.
SIZE_NAMES: dict[str, tuple[str, str]] = {
    "micro": ("Siêu nhỏ", "Micro"),
    "small": ("Nhỏ", "Small"),
    "medium": ("Vừa", "Medium"),
    "large": ("Lớn", "Large"),
}
SIZE_CLASSES: tuple[str, ...] = tuple(SIZE_NAMES)
SIZE_LIMITS_INDUSTRY: tuple[int, int, int] = (10, 100, 200)
SIZE_LIMITS_SERVICES: tuple[int, int, int] = (10, 50, 100)
INDUSTRY_SECTIONS: frozenset[str] = frozenset("ABCDEF")
# Folded size labels (checked as the label's first words).
SIZE_LABELS: dict[str, str] = {
    "sieu nho": "micro",
    "micro": "micro",
    "very small": "micro",
    "micro enterprise": "micro",
    "nho": "small",
    "small": "small",
    "vua": "medium",
    "trung binh": "medium",
    "medium": "medium",
    "mid size": "medium",
    "midsize": "medium",
    "lon": "large",
    "large": "large",
    "big": "large",
}
# Labels that name more than one class: reported, never guessed.
SIZE_AMBIGUOUS: tuple[str, ...] = ("vua va nho", "nho va vua", "sme", "smes", "small and medium")

# Metadata fields dxlab knows, with the header names (folded) that mean them, best first: when several
# columns match one field, the one whose header comes earliest in this list wins, and a tie is ambiguous.
METADATA_HEADERS: dict[str, tuple[str, ...]] = {
    "response_id": (
        "response id",
        "responseid",
        "respondent id",
        "respondentid",
        "id",
        "uuid",
        "_uuid",
        "ma phan hoi",
        "ma phieu",
        "_id",
    ),
    "enterprise_id": (
        "ma so thue",
        "mst",
        "ma so thue doanh nghiep",
        "ma so doanh nghiep",
        "ma doanh nghiep",
        "tax code",
        "tax id",
        "tax number",
        "enterprise id",
        "company id",
        "business id",
    ),
    "enterprise_name": (
        "ten doanh nghiep",
        "ten cong ty",
        "ten don vi",
        "ten to chuc",
        "doanh nghiep",
        "cong ty",
        "don vi",
        "enterprise name",
        "company name",
        "enterprise",
        "company",
        "organisation",
        "organization",
        "business name",
    ),
    # KoboToolbox: "end" is the device's local time, like "start"; "_submission_time" is the server's UTC.
    "submitted_at": (
        "dau thoi gian",
        "timestamp",
        "thoi gian hoan thanh",
        "completion time",
        "recordeddate",
        "recorded date",
        "end",
        "submitted at",
        "submission time",
        "ngay gui",
        "ngay nop",
        "enddate",
        "end date",
        "_submission_time",
    ),
    "started_at": ("thoi gian bat dau", "start time", "startdate", "start date", "start"),
    "wave": ("dot khao sat", "dot danh gia", "ky danh gia", "dot", "wave", "round", "survey wave"),
    "sector": (
        "nganh",
        "nganh nghe",
        "nganh nghe kinh doanh",
        "nganh nghe kinh doanh chinh",
        "nganh kinh doanh chinh",
        "linh vuc",
        "linh vuc hoat dong",
        "linh vuc kinh doanh",
        "linh vuc hoat dong chinh",
        "nganh vsic",
        "ma nganh",
        "sector",
        "industry",
        "vsic",
        "industry sector",
        "business sector",
    ),
    "size": ("quy mo", "quy mo doanh nghiep", "size", "company size", "enterprise size", "firm size"),
    "employees": (
        "so lao dong",
        "so nhan vien",
        "so luong lao dong",
        "so luong nhan vien",
        "tong so lao dong",
        "so lao dong tham gia bhxh",
        "employees",
        "number of employees",
        "headcount",
        "staff",
    ),
    "province": (
        "tinh thanh pho",
        "tinh thanh",
        "tinh",
        "thanh pho",
        "dia phuong",
        "dia ban",
        "tru so",
        "tinh thanh pho tru so",
        "province",
        "province city",
        "city province",
    ),
    "respondent_role": (
        "chuc vu",
        "chuc danh",
        "vi tri",
        "vi tri cong viec",
        "vai tro",
        "chuc vu nguoi tra loi",
        "role",
        "job title",
        "position",
        "respondent role",
        "title",
    ),
    "respondent_name": (
        "ho va ten",
        "ho ten",
        "ten nguoi tra loi",
        "nguoi tra loi",
        "nguoi dien phieu",
        "name",
        "full name",
        "respondent name",
        "ten",
    ),
    "email": ("dia chi email", "email", "e mail", "email address", "emailaddress", "recipientemail", "thu dien tu"),
    "phone": ("so dien thoai", "dien thoai", "sdt", "phone", "phone number", "telephone"),
    "weight": ("trong so", "weight", "sampling weight"),
}


@dataclass(frozen=True)
class Column:
    """One metadata column of a responses table (criterion columns are named by the rubric's ids).

    ``core`` columns are always present in a cleaned export (empty when the export had no such field);
    optional ones only when mapped. ``scored`` columns are carried into :class:`~dxlab.scoring.Scores`
    (never contact details such as email or phone).
    """

    name: str
    core: bool
    scored: bool


# The response column schema, in the order tables show it.
RESPONSE_SCHEMA: tuple[Column, ...] = (
    Column("response_id", core=True, scored=True),
    Column("enterprise_id", core=True, scored=True),
    Column("enterprise_name", core=False, scored=True),
    Column("submitted_at", core=True, scored=True),
    Column("wave", core=True, scored=True),
    Column("sector", core=True, scored=True),
    Column("size", core=True, scored=True),
    Column("province", core=True, scored=True),
    Column("respondent_role", core=True, scored=True),
    Column("weight", core=True, scored=True),
    Column("respondent_name", core=False, scored=False),
    Column("email", core=False, scored=False),
    Column("phone", core=False, scored=False),
    Column("employees", core=False, scored=False),
    Column("started_at", core=False, scored=False),
    Column("source_row", core=False, scored=False),
)
# Responses' fixed leading columns (always present), then the optional ones (present only when mapped).
CORE_COLUMNS: tuple[str, ...] = tuple(c.name for c in RESPONSE_SCHEMA if c.core)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(c.name for c in RESPONSE_SCHEMA if not c.core)
SCORE_META_COLUMNS: tuple[str, ...] = tuple(c.name for c in RESPONSE_SCHEMA if c.scored)
METADATA_FIELDS: tuple[str, ...] = tuple(METADATA_HEADERS)

# Enterprise names or ids that mark a form-tester's submission (folded, whole value or first word).
TEST_MARKERS: tuple[str, ...] = (
    "test",
    "testing",
    "thu nghiem",
    "asdf",
    "asd",
    "qwerty",
    "xxx",
    "abc",
    "demo",
    "sample",
)


def sector_name(letter: str, lang: str | None = None) -> str:
    """The VSIC 2018 name of section ``letter`` in ``lang``.

    >>> sector_name("J", "en")
    'Information and communication'
    """
    from ._i18n import check_lang, tr

    code = check_lang(lang)
    if letter not in VSIC_SECTIONS:
        raise ValueError(tr("core.sector_unknown", code, value=letter, valid=", ".join(VSIC_SECTIONS)))
    return VSIC_SECTIONS[letter][0 if code == "vi" else 1]


def size_name(size: str, lang: str | None = None) -> str:
    """The display name of size class ``size`` in ``lang``.

    >>> size_name("medium", "vi"), size_name("medium", "en")
    ('Vừa', 'Medium')
    """
    from ._i18n import check_lang, tr

    code = check_lang(lang)
    if size not in SIZE_NAMES:
        raise ValueError(tr("core.size_unknown", code, value=size, valid=", ".join(SIZE_CLASSES)))
    return SIZE_NAMES[size][0 if code == "vi" else 1]
