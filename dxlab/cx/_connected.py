"""Connected strategy: which connected customer experiences an offering delivers, and which customer
criteria of the maturity rubric they would raise.

Siggelkow and Terwiesch (*Connected Strategy*, 2019) name four connected customer experiences, by how
much the firm takes the initiative: **respond to desire** (the customer knows what they want; make
ordering, paying and delivery effortless), **curated offering** (help the customer choose the best option),
**coach behaviour** (make customers aware of a need at the right moment) and **automatic execution** (act
before the customer asks). An offering can deliver several; the book calls that a repertoire.

The short profile questionnaire here is dxlab's own: two statements per experience, each answered on a
0–4 scale (0 not at all … 4 fully). An experience's score is

    score = 100 × (sum of its answers) / (4 × number of its questions answered),

it is *delivered* when score ≥ 50 (:data:`PRESENT`), and unanswered questions are left out (an experience
with none answered has no score). The link from each experience to the rubric — criterion id, the level the
experience helps reach, and why — is dxlab's drafted teaching mapping; the criterion texts and level
descriptors always come from the rubric itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from ..rubric import Rubric, load_rubric
from . import _style
from ._base import Record, check_lang, clean_number, clean_text, editor_method, esc, md, pick, require

__all__ = [
    "ANSWER_SCALE",
    "EXPERIENCES",
    "MYTHS",
    "PRESENT",
    "QUESTIONS",
    "ConnectedProfile",
    "connected_links",
    "connected_questionnaire",
]

PRESENT = 50.0
ANSWER_SCALE: dict[int, tuple[str, str]] = {
    0: ("Không", "Not at all"),
    1: ("Ít", "A little"),
    2: ("Một phần", "Partly"),
    3: ("Phần lớn", "Mostly"),
    4: ("Hoàn toàn", "Fully"),
}
MAX_ANSWER = max(ANSWER_SCALE)


@dataclass(frozen=True)
class Experience:
    key: str
    label: tuple[str, str]
    summary: tuple[str, str]


EXPERIENCES: dict[str, Experience] = {
    e.key: e
    for e in (
        Experience(
            "respond_to_desire",
            ("Đáp ứng mong muốn", "Respond to desire"),
            (
                "Khách hàng biết mình muốn gì; doanh nghiệp làm cho việc đặt, trả tiền và nhận thật dễ dàng.",
                "The customer knows what they want; the firm makes ordering, paying and receiving effortless.",
            ),
        ),
        Experience(
            "curated_offering",
            ("Đề xuất chọn lọc", "Curated offering"),
            (
                "Khách hàng biết nhu cầu nhưng chưa biết chọn gì; doanh nghiệp giúp chọn phương án tốt nhất.",
                "The customer knows the need but not the best option; the firm helps them choose.",
            ),
        ),
        Experience(
            "coach_behaviour",
            ("Huấn luyện hành vi", "Coach behaviour"),
            (
                "Khách hàng chưa nhận ra hoặc chưa hành động theo nhu cầu; doanh nghiệp nhắc đúng lúc.",
                "The customer is unaware of a need or not acting on it; the firm prompts them at the right moment.",
            ),
        ),
        Experience(
            "automatic_execution",
            ("Thực thi tự động", "Automatic execution"),
            (
                "Doanh nghiệp hành động trước khi khách hàng yêu cầu, với sự đồng ý của họ.",
                "The firm acts before the customer asks, with their consent.",
            ),
        ),
    )
}

# question id -> (experience, (vi, en))
QUESTIONS: dict[str, tuple[str, tuple[str, str]]] = {
    "respond_to_desire.1": (
        "respond_to_desire",
        (
            "Khách hàng có thể đặt mua, thanh toán và nhận dịch vụ qua kênh họ ưa thích chỉ trong vài bước.",
            "Customers can order, pay for and receive the offering in their preferred channel in a few steps.",
        ),
    ),
    "respond_to_desire.2": (
        "respond_to_desire",
        (
            "Khách hàng không phải nhắc lại thông tin đã cung cấp khi gửi yêu cầu.",
            "Customers do not have to repeat information they already gave when they make a request.",
        ),
    ),
    "curated_offering.1": (
        "curated_offering",
        (
            "Chúng tôi đề xuất cho từng khách hàng một vài lựa chọn phù hợp với hồ sơ và lịch sử của họ.",
            "We offer each customer a short list of options matched to their profile and history.",
        ),
    ),
    "curated_offering.2": (
        "curated_offering",
        (
            "Khách hàng được giúp so sánh và chọn phương án, thay vì tự tìm trong toàn bộ danh mục.",
            "Customers get help comparing and choosing instead of searching the whole catalogue themselves.",
        ),
    ),
    "coach_behaviour.1": (
        "coach_behaviour",
        (
            "Chúng tôi nhắc khách hàng đúng lúc về những nhu cầu họ có thể bỏ quên (gia hạn, sắp hết dung lượng…).",
            "We remind customers at the right moment of needs they might overlook (renewals, running out of data…).",
        ),
    ),
    "coach_behaviour.2": (
        "coach_behaviour",
        (
            "Chúng tôi theo dõi tiến độ của khách hàng so với mục tiêu của chính họ và góp ý cho họ.",
            "We follow customers' progress toward their own goals and give them feedback.",
        ),
    ),
    "automatic_execution.1": (
        "automatic_execution",
        (
            "Với sự đồng ý của khách hàng, chúng tôi tự thực hiện (gia hạn, nạp tiền, khắc phục sự cố) trước khi "
            "họ yêu cầu.",
            "With the customer's consent we act on our own (renew, top up, fix a fault) before they ask.",
        ),
    ),
    "automatic_execution.2": (
        "automatic_execution",
        (
            "Dữ liệu sử dụng hoặc dữ liệu thiết bị tự kích hoạt dịch vụ mà khách hàng không cần thao tác.",
            "Usage or device data triggers the service without the customer doing anything.",
        ),
    ),
}

# experience -> (criterion id, level the experience helps reach, why): dxlab's drafted teaching mapping.
LINKS: dict[str, tuple[tuple[str, int, tuple[str, str]], ...]] = {
    "respond_to_desire": (
        (
            "CUS.ENG.3",
            4,
            (
                "Đặt, trả tiền và nhận qua kênh số kéo tỷ lệ tương tác qua kênh số lên.",
                "Ordering, paying and receiving in digital channels raises the share of digital interactions.",
            ),
        ),
        (
            "CUS.EXP.1",
            3,
            (
                "Yêu cầu được đáp ứng ngay thì khách hàng và nhân viên bớt thao tác lặp lại.",
                "Requests fulfilled at once spare customers and staff repetitive tasks.",
            ),
        ),
        (
            "CUS.EXP.2",
            3,
            (
                "Khách đặt được ở bất cứ đâu khi danh mục có trên nhiều kênh và thiết bị.",
                "Customers can order anywhere once the catalogue is on many channels and devices.",
            ),
        ),
    ),
    "curated_offering": (
        (
            "CUS.ENG.1",
            4,
            (
                "Đề xuất chọn lọc cần lịch sử khách hàng sẵn có trên mọi kênh.",
                "Curating needs the customer's history available in every channel.",
            ),
        ),
        (
            "CUS.ENG.2",
            4,
            (
                "Lựa chọn được phân tích từ dữ liệu khách hàng và gửi qua kênh họ chọn.",
                "Options come from analysing customer data and reach them in their chosen channels.",
            ),
        ),
        (
            "CUS.EXP.2",
            4,
            (
                "Danh mục kết hợp sản phẩm của đối tác thành gói có giá trị cho khách hàng.",
                "The catalogue combines partners' offerings into packages of value to the customer.",
            ),
        ),
    ),
    "coach_behaviour": (
        (
            "CUS.ENG.2",
            5,
            (
                "Nhắc đúng lúc nghĩa là dự đoán bước tiếp theo trong vòng đời khách hàng.",
                "Prompting at the right moment means predicting the next step of the customer lifecycle.",
            ),
        ),
        (
            "CUS.ENG.1",
            5,
            (
                "Lời nhắc dựa trên hành vi số hiện tại của khách hàng.",
                "Prompts are tailored to the customer's current digital behaviour.",
            ),
        ),
    ),
    "automatic_execution": (
        (
            "CUS.EXP.1",
            5,
            (
                "Tự động thực hiện loại bỏ phần lớn nhiệm vụ lặp lại của khách hàng và nhân viên.",
                "Acting automatically removes most repetitive tasks of customers and staff.",
            ),
        ),
        (
            "CUS.ENG.2",
            5,
            (
                "Xử lý siêu dữ liệu tự động để dự đoán và hành động trước.",
                "Metadata is processed automatically to predict and act ahead.",
            ),
        ),
        (
            "CUS.EXP.2",
            5,
            (
                "Danh mục tự cấu hình theo nhu cầu hiện tại của khách hàng.",
                "The catalogue configures itself to the customer's current needs.",
            ),
        ),
    ),
}

MYTHS: tuple[tuple[str, str], ...] = (
    (
        "Kết nối càng nhiều càng tốt — hãy bắt đầu từ dữ liệu nhỏ và hiểu khách hàng thật sự.",
        "More connection is always better — start with small data and real customer understanding.",
    ),
    (
        "Trải nghiệm kết nối chỉ là phần bổ sung — hãy bỏ cách làm cũ, nếu không độ phức tạp sẽ tăng.",
        "Connected experiences are just add-ons — retire the old ways, or complexity grows.",
    ),
    (
        "Chỉ dành cho khách hàng bên ngoài — khách hàng nội bộ cũng được lợi.",
        "They are only for external customers — internal customers benefit too.",
    ),
    ("Chỉ cần công nghệ là đủ — công nghệ thôi thì chưa phải lời giải.", "Technology alone is the answer — it is not."),
)


def connected_questionnaire(lang: str = "vi") -> pd.DataFrame:
    """The profile questionnaire: question id, experience, experience label and the statement to rate 0–4."""
    check_lang(lang)
    rows = [
        {
            "question": qid,
            "experience": exp,
            "experience_label": pick(EXPERIENCES[exp].label, lang),
            "text": pick(text, lang),
        }
        for qid, (exp, text) in QUESTIONS.items()
    ]
    return pd.DataFrame(rows, columns=["question", "experience", "experience_label", "text"])


def connected_links(
    rubric: Rubric | str = "mobifone-dx", lang: str = "vi", experiences: tuple[str, ...] | list[str] | None = None
) -> pd.DataFrame:
    """Which criteria each connected experience would raise, with texts taken from ``rubric``.

    Columns: experience, experience_label, criterion, criterion_text, level (the level the experience helps
    reach), level_label, descriptor (that level's text in the rubric), rationale. Raises ValueError when
    the rubric lacks a linked criterion.
    """
    check_lang(lang)
    rubric = load_rubric(rubric)
    chosen = list(EXPERIENCES) if experiences is None else list(experiences)
    unknown = [e for e in chosen if e not in EXPERIENCES]
    if unknown:
        raise ValueError(
            f"unknown experience(s) {', '.join(map(repr, unknown))}; valid: {', '.join(map(repr, EXPERIENCES))}"
        )
    needed = sorted({cid for e in chosen for cid, _, _ in LINKS[e]})
    missing = [cid for cid in needed if cid not in rubric.criterion_ids]
    if missing:
        raise ValueError(
            f"rubric {rubric.id!r} has no criteria {', '.join(missing)}, which the "
            f"connected-strategy links use; its criteria are {', '.join(rubric.criterion_ids)}"
        )
    rows = []
    for exp in chosen:
        for cid, level, why in LINKS[exp]:
            rows.append(
                {
                    "experience": exp,
                    "experience_label": pick(EXPERIENCES[exp].label, lang),
                    "criterion": cid,
                    "criterion_text": rubric.criterion(cid).text.get(lang),
                    "level": level,
                    "level_label": rubric.level_label(level, lang),
                    "descriptor": rubric.descriptor(cid, level, lang),
                    "rationale": pick(why, lang),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "experience",
            "experience_label",
            "criterion",
            "criterion_text",
            "level",
            "level_label",
            "descriptor",
            "rationale",
        ],
    )


def _clean_answers(value: Any) -> tuple[tuple[str, int], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        try:
            value = dict(value)
        except (TypeError, ValueError):
            raise ValueError(f"answers must be a mapping of question id to 0–4, not {type(value).__name__}") from None
    unknown = [str(k) for k in value if k not in QUESTIONS]
    if unknown:
        raise ValueError(f"unknown question(s) {', '.join(map(repr, unknown))}; questions are {', '.join(QUESTIONS)}")
    out = []
    for qid in QUESTIONS:  # stored in questionnaire order so equal answers compare equal
        if qid not in value or value[qid] is None:
            continue
        answer = clean_number(value[qid], f"answers[{qid!r}]", 0, MAX_ANSWER)
        if answer != int(answer):
            raise ValueError(f"answers[{qid!r}] = {value[qid]!r} must be a whole number from 0 to {MAX_ANSWER}")
        out.append((qid, int(answer)))
    return tuple(out)


@dataclass(frozen=True)
class ConnectedProfile(Record):
    """An offering's answers to the connected-strategy questionnaire, and the experiences they show.

    Parameters
    ----------
    offering : str
        The product or service profiled; required.
    answers : mapping of question id → 0–4
        See :func:`connected_questionnaire`; questions may be left out.

    Notes
    -----
    ``score = 100 × Σ answers / (4 × answered)`` per experience; delivered when ``score ≥ 50``. The
    delivered experiences are ordered by score, ties in the order respond → curate → coach → automatic
    (from least to most firm initiative).

    Examples
    --------
    >>> p = ConnectedProfile("Gói cước", {"respond_to_desire.1": 4, "respond_to_desire.2": 2})
    >>> float(p.scores().set_index("experience").loc["respond_to_desire", "score"])
    75.0
    """

    offering: str
    answers: tuple[tuple[str, int], ...] = ()

    KIND = "connected_profile"
    FIELDS = ("offering", "answers")

    def __post_init__(self) -> None:
        object.__setattr__(self, "offering", clean_text(self.offering, "offering", required=True))
        object.__setattr__(self, "answers", _clean_answers(self.answers))

    @property
    def answer_map(self) -> dict[str, int]:
        return dict(self.answers)

    def scores(self, lang: str = "vi") -> pd.DataFrame:
        """One row per experience (fixed order): questions, answered, score (0–100, NaN when none
        answered), delivered (score ≥ 50) and primary (the top delivered experience)."""
        check_lang(lang)
        given = self.answer_map
        rows = []
        for key, exp in EXPERIENCES.items():
            questions = [q for q, (e, _) in QUESTIONS.items() if e == key]
            values = [given[q] for q in questions if q in given]
            score = 100.0 * sum(values) / (MAX_ANSWER * len(values)) if values else np.nan
            rows.append(
                {
                    "experience": key,
                    "experience_label": pick(exp.label, lang),
                    "questions": len(questions),
                    "answered": len(values),
                    "score": score,
                    "delivered": bool(values) and score >= PRESENT,
                }
            )
        frame = pd.DataFrame(
            rows, columns=["experience", "experience_label", "questions", "answered", "score", "delivered"]
        )
        frame["primary"] = frame["experience"] == self.primary
        return frame

    @property
    def experiences(self) -> tuple[str, ...]:
        """The delivered experiences, highest score first (ties in canonical order)."""
        given = self.answer_map
        scored = []
        for rank, key in enumerate(EXPERIENCES):
            values = [given[q] for q, (e, _) in QUESTIONS.items() if e == key and q in given]
            if values:
                score = 100.0 * sum(values) / (MAX_ANSWER * len(values))
                if score >= PRESENT:
                    scored.append((-score, rank, key))
        return tuple(key for _, _, key in sorted(scored))

    @property
    def primary(self) -> str | None:
        """The top delivered experience, or None when the offering delivers none yet."""
        return self.experiences[0] if self.experiences else None

    def criteria(
        self,
        rubric: Rubric | str = "mobifone-dx",
        lang: str = "vi",
        *,
        experiences: tuple[str, ...] | list[str] | None = None,
    ) -> pd.DataFrame:
        """The criteria the delivered experiences (or ``experiences``) would raise — see
        :func:`connected_links`."""
        return connected_links(rubric, lang, self.experiences if experiences is None else experiences)

    def _body(self) -> dict:
        return {"offering": self.offering, "answers": dict(self.answers)}

    @classmethod
    def _from_body(cls, data: dict) -> ConnectedProfile:
        require(data, ("offering",))
        return cls(**data)

    def plot(self, ax: Axes | None = None, *, lang: str = "vi") -> Axes:
        """Horizontal bars of the four experience scores (0–100) with the 50 line; the primary experience
        is outlined. Returns the Axes."""
        table = self.scores(lang)
        with _style.style():
            ax = _style.axes(ax, (7.5, 3.6))
            ys = np.arange(len(table))[::-1]
            values = table["score"].fillna(0).to_numpy()
            bars = ax.barh(
                ys,
                values,
                color=[_style.EXPERIENCE_COLOURS[e] for e in table["experience"]],
                edgecolor=["black" if p else "none" for p in table["primary"]],
                linewidth=1.5,
                gid="experience-scores",
            )
            for bar, score in zip(bars, table["score"]):
                label = pick("cx.not_answered", lang) if np.isnan(score) else f"{score:.0f}"
                ax.text(
                    bar.get_width() + 1.5,
                    bar.get_y() + bar.get_height() / 2,
                    label,
                    va="center",
                    fontsize=9,
                    fontfamily=_style.FONT,
                )
            ax.axvline(PRESENT, color=_style.MUTED, ls="--", lw=1, gid="delivered-threshold")
            ax.set_yticks(ys, table["experience_label"].tolist())
            ax.set_xlim(0, 110)
            ax.set_xlabel(pick("cx.score_0_100_50_or", lang))
            ax.set_title(f"{pick('cx.connected_strategy', lang)} — {self.offering}")
            return _style.finish(ax)

    def to_markdown(self, lang: str = "vi", *, heading: int = 2, rubric: Rubric | str | None = "mobifone-dx") -> str:
        """A workshop-sheet section: the scores, the criteria the delivered experiences would raise, and
        the four myths to avoid."""
        check_lang(lang)
        title = f"{pick('cx.connected_strategy', lang)}: {md(self.offering)}"
        lines = [f"{'#' * heading} {title}", "", pick("cx.connected_table_head", lang), "|---|---|---|"]
        yes_no = pick("cx.yes", lang), pick("cx.not_yet", lang)
        for row in self.scores(lang).itertuples():
            score = "—" if np.isnan(row.score) else f"{row.score:.0f}"
            lines.append(f"| {md(row.experience_label)} | {score} | {yes_no[0] if row.delivered else yes_no[1]} |")
        lines.append("")
        if rubric is not None and self.experiences:
            lines += [f"**{pick('cx.customer_criteria_it_would_raise', lang)}**", ""]
            for row in self.criteria(rubric, lang).itertuples():
                lines.append(
                    f"- {md(row.experience_label)} → **{md(row.criterion)}** {md(row.criterion_text)} "
                    f"({pick('cx.level', lang)} {row.level} {md(row.level_label)}: "
                    f"{md(row.descriptor)}) — {md(row.rationale)}"
                )
            lines.append("")
        lines += [f"**{pick('cx.four_myths_to_avoid', lang)}**", ""]
        lines += [f"{i}. {md(pick(myth, lang))}" for i, myth in enumerate(MYTHS, 1)] + [""]
        return "\n".join(lines)

    def to_html(self, lang: str = "vi") -> str:
        """The scores as an HTML table (every text escaped)."""
        rows = "".join(
            f"<tr><td>{esc(r.experience_label)}</td><td>{'—' if np.isnan(r.score) else f'{r.score:.0f}'}</td></tr>"
            for r in self.scores(lang).itertuples()
        )
        title = f"{pick('cx.connected_strategy', lang)}: {self.offering}"
        return f'<div class="dxlab-cx connected-profile"><h3>{esc(title)}</h3><table>{rows}</table></div>'

    def _repr_html_(self) -> str:
        return self.to_html()

    editor = editor_method()
