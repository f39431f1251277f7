"""The questionnaire as ipywidgets: respondent fields, the rubric criterion by criterion, submit and result.

Built on plain ipywidgets (no form library) because it must run unchanged in JupyterLab, in Voila for a
class that never sees code, and headless in tests that set widget values and click Submit. Each choice
shows the level descriptor itself, not a bare number: respondents pick the sentence that describes their
enterprise. Percentage-band criteria also take a percentage, which selects its band. The language toggle
relabels every widget in place, so answers survive it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets

from .._i18n import check_lang, fmt_date, tr
from ..rubric import Criterion, Rubric, load_rubric
from ._store import Receipt, ResponseStore
from ._validate import (
    Answer,
    Problem,
    Submission,
    SubmissionError,
    clean_code,
    parse_percent,
    sort_problems,
    validate_submission,
)
from ._vsic import PROVINCES, SIZES, VSIC_SECTIONS, roles, sector_name, size_name

if TYPE_CHECKING:
    from ._result import Result

__all__ = ["Questionnaire"]

_log = logging.getLogger("dxlab.questionnaire")

_CSS = """<style>
.dxlab-q { max-width: 980px; box-sizing: border-box; }
.dxlab-q .widget-inline-hbox, .dxlab-q .widget-hbox { flex-wrap: wrap; max-width: 100%; }
.dxlab-q .widget-label { max-width: 100%; white-space: normal; }
.dxlab-q .widget-text, .dxlab-q .widget-dropdown, .dxlab-q .widget-combobox, .dxlab-q .widget-textarea {
  min-width: 0; }
.dxlab-q .widget-toggle-buttons .widget-toggle-button { width: auto; }
.dxlab-q img { max-width: 100%; height: auto; }
.dxlab-q .widget-radio-box label { white-space: normal !important; height: auto !important;
  line-height: 1.35; margin: 2px 0 6px 0; overflow: visible !important; display: flex !important;
  flex-direction: row-reverse; justify-content: flex-end; align-items: flex-start; }
.dxlab-q .widget-radio-box label input { flex: none; margin: 3px 8px 0 0; }
.dxlab-q .widget-radio-box { width: 100%; }
.dxlab-q .widget-radio { width: 100%; }
.dxlab-q .dxlab-crit { border-left: 3px solid #dfe3e8; padding: 4px 0 8px 12px; margin: 6px 0 14px 0; }
.dxlab-q .dxlab-crit.dxlab-error { border-left-color: #d73027; background: #fff6f5; }
.dxlab-q .dxlab-msg-error { color: #b2182b; }
.dxlab-q .dxlab-msg-ok { color: #1a7f37; }
.dxlab-q table.dxlab-dims { border-collapse: collapse; }
.dxlab-q table.dxlab-dims td, .dxlab-q table.dxlab-dims th { padding: 2px 10px; border-bottom: 1px solid #eee; }
.dxlab-q .dxlab-overall { font-size: 1.25em; margin: 8px 0; }
</style>"""


def _ui(key: str, lang: str, **params: Any) -> str:
    return tr(f"questionnaire.{key}", lang, **params)


def _field(max_width: str = "560px") -> widgets.Layout:
    return widgets.Layout(width="100%", max_width=max_width)


def _wrap() -> widgets.Layout:
    return widgets.Layout(flex_flow="row wrap", align_items="center", width="100%")


def _css_id(criterion_id: str) -> str:
    return "dxlab-crit-" + criterion_id.replace(".", "-")


@dataclass
class _Item:
    """The widgets of one criterion."""

    criterion: Criterion
    box: widgets.VBox
    title: widgets.HTML
    choice: widgets.RadioButtons
    percent: widgets.Text | None
    percent_note: widgets.HTML | None
    comment: widgets.Textarea
    message: widgets.HTML


class Questionnaire:
    """A maturity self-assessment form in the notebook, saving to a :class:`ResponseStore`.

    Respondent fields come first (code, enterprise name, VSIC sector, size, province, role), then the rubric
    dimension by dimension: each criterion's text with its level descriptors as the choices, a percentage box
    for percentage-band criteria, and an optional comment. Submit validates everything (each problem is
    listed and marked), saves the submission as a new version, and shows the overall level in words, the
    dimension radar and the top next steps. Typing a code and pressing *Load* brings back that respondent's
    last saved answers for editing.

    Parameters
    ----------
    rubric : Rubric or str
        The rubric (or a shipped id / YAML path).
    store : ResponseStore, str or Path, optional
        Where submissions go (default: ``data/raw/responses.sqlite`` under the project root).
    lang : {"vi", "en"}
        The starting language; the toggle at the top switches it without losing answers.
    wave : str, optional
        The survey wave stored with each submission (default: the current year).
    dimensions : sequence of str, optional
        Ask only these dimensions (e.g. ``["CUS"]`` for a short class exercise); the result is scored on
        them alone.
    target : int
        The level the next steps aim at (default 4, "Nâng cao").
    steps : int
        How many next steps to show.

    Examples
    --------
    >>> import dxlab, tempfile, pathlib
    >>> rubric = dxlab.load_rubric("mobifone-dx")
    >>> store = dxlab.ResponseStore(pathlib.Path(tempfile.mkdtemp()) / "demo.sqlite")
    >>> q = dxlab.Questionnaire(rubric, store=store, dimensions=["CUS"])
    >>> _ = q.fill({"CUS.ENG.1": 3, "CUS.ENG.2": 3, "CUS.ENG.3": "45%", "CUS.EXP.1": "70", "CUS.EXP.2": 4},
    ...            sector="J", size="small")
    >>> receipt = q.submit()          # what clicking Submit does
    >>> q.result.overall_level, receipt.version
    (3, 1)
    """

    def __init__(
        self,
        rubric: Rubric | str,
        store: ResponseStore | str | Any = None,
        *,
        lang: str | None = None,
        wave: str | None = None,
        dimensions: Sequence[str] | None = None,
        target: int = 4,
        steps: int = 3,
    ):
        lang = check_lang(lang)
        self.rubric = load_rubric(rubric)
        self.asked = _subset(self.rubric, dimensions)
        self.store = store if isinstance(store, ResponseStore) else ResponseStore(store)
        self.lang = lang
        self.wave = str(wave) if wave is not None else str(datetime.now().year)
        if isinstance(target, bool) or target not in self.rubric.level_values:
            raise ValueError(
                f"target must be a level of rubric {self.rubric.id!r} "
                f"({', '.join(map(str, self.rubric.level_values))}), got {target!r}"
            )
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
            raise ValueError(f"steps must be a non-negative whole number, got {steps!r}")
        self.target, self.steps = int(target), steps
        self.receipt: Receipt | None = None
        self.result: Result | None = None
        self.problems: tuple[Problem, ...] = ()
        self._status_key: tuple[str, dict[str, Any], str] | None = None
        self._syncing = False
        self._build()
        self._relabel()

    # -- building --------------------------------------------------------------------------------------
    def _build(self) -> None:
        full = widgets.Layout(width="100%")
        # No fixed widths: fields shrink to the screen (a 390 px phone) and grow up to a readable measure.
        style = {"description_width": "initial"}
        languages = [(tr("core.language_vi", "vi"), "vi"), (tr("core.language_en", "en"), "en")]
        self.lang_toggle = widgets.ToggleButtons(
            options=languages,
            value=self.lang,
            style={"button_width": "auto"},
            layout=widgets.Layout(width="auto", flex="none"),
        )
        self.lang_toggle.add_class("dxlab-lang")
        self.lang_toggle.observe(self._on_lang, names="value")
        self.heading = widgets.HTML()
        self.intro = widgets.HTML()
        self.code = widgets.Text(layout=_field(), style=style)
        self.code.add_class("dxlab-field-code")
        self.load_button = widgets.Button(icon="download", layout=widgets.Layout(width="auto"))
        self.load_button.add_class("dxlab-load")
        self.load_button.on_click(lambda _: self.load())
        self.name = widgets.Text(layout=_field(), style=style)
        self.name.add_class("dxlab-field-name")
        self.sector = widgets.Dropdown(layout=_field(), style=style)
        self.sector.add_class("dxlab-field-sector")
        self.size = widgets.Dropdown(layout=_field(), style=style)
        self.size.add_class("dxlab-field-size")
        self.province = widgets.Combobox(options=list(PROVINCES), ensure_option=False, layout=_field(), style=style)
        self.province.add_class("dxlab-field-province")
        self.role = widgets.Combobox(ensure_option=False, layout=_field(), style=style)
        self.role.add_class("dxlab-field-role")
        for name, widget in (
            ("enterprise_id", self.code),
            ("enterprise_name", self.name),
            ("sector", self.sector),
            ("size", self.size),
            ("province", self.province),
            ("respondent_role", self.role),
        ):
            widget.observe(lambda change, n=name: self._on_field(n, change), names="value")
        self.respondent_heading = widgets.HTML()
        self.progress = widgets.IntProgress(
            min=0, max=len(self.asked.criterion_ids), value=0, layout=widgets.Layout(width="100%", max_width="320px")
        )
        self.progress_label = widgets.HTML()
        self.progress_label.add_class("dxlab-progress")
        self.submit_button = widgets.Button(
            button_style="primary", icon="check", layout=widgets.Layout(width="auto", min_height="40px")
        )
        self.submit_button.add_class("dxlab-submit")
        self.submit_button.on_click(lambda _: self.submit())
        self.status = widgets.HTML(layout=full)
        self.status.add_class("dxlab-status")
        self.result_html = widgets.HTML(layout=full)
        self.result_html.add_class("dxlab-result")
        self.result_image = widgets.Image(
            format="png", layout=widgets.Layout(width="100%", max_width="480px", display="none")
        )
        self.result_image.add_class("dxlab-radar")

        self.items: dict[str, _Item] = {}
        self._headings: list[tuple[widgets.HTML, Any, str]] = []
        sections: list[widgets.Widget] = []
        for dim in self.asked.dimensions:
            dim_heading = widgets.HTML()
            self._headings.append((dim_heading, dim, "h3"))
            sections.append(dim_heading)
            for group in dim.groups:
                group_heading = widgets.HTML()
                self._headings.append((group_heading, group, "h4"))
                sections.append(group_heading)
                for crit in group.criteria:
                    item = self._build_item(crit)
                    self.items[crit.id] = item
                    sections.append(item.box)

        progress_row = widgets.HBox([self.progress, self.progress_label], layout=_wrap())
        respondent = widgets.VBox(
            [
                self.respondent_heading,
                widgets.HBox([self.code, self.load_button], layout=_wrap()),
                self.name,
                self.sector,
                self.size,
                self.province,
                self.role,
            ]
        )
        self.widget = widgets.VBox(
            [
                widgets.HTML(_CSS),
                widgets.HBox(
                    [self.heading, self.lang_toggle],
                    layout=widgets.Layout(justify_content="space-between", align_items="center", flex_flow="row wrap"),
                ),
                self.intro,
                respondent,
                progress_row,
                *sections,
                widgets.HBox([self.progress, self.progress_label], layout=_wrap()),
                self.submit_button,
                self.status,
                self.result_html,
                self.result_image,
            ],
            layout=full,
        )
        self.widget.add_class("dxlab-q")

    def _build_item(self, crit: Criterion) -> _Item:
        title = widgets.HTML(layout=widgets.Layout(width="100%"))
        choice = widgets.RadioButtons(
            options=self._choice_options(crit), value=None, layout=widgets.Layout(width="100%")
        )
        choice.observe(lambda change, c=crit.id: self._on_choice(c, change), names="value")
        percent = percent_note = None
        row: list[widgets.Widget] = []
        if crit.answer == "percent_band":
            percent = widgets.Text(
                continuous_update=False, layout=_field("300px"), style={"description_width": "initial"}
            )
            percent.add_class("dxlab-percent")
            percent_note = widgets.HTML()
            percent.observe(lambda change, c=crit.id: self._on_percent(c, change), names="value")
            row = [widgets.HBox([percent, percent_note], layout=_wrap())]
        comment = widgets.Textarea(rows=1, layout=_field())
        comment.add_class("dxlab-comment")
        message = widgets.HTML()
        box = widgets.VBox([title, choice, *row, comment, message], layout=widgets.Layout(width="100%"))
        box.add_class("dxlab-crit")
        box.add_class(_css_id(crit.id))
        return _Item(crit, box, title, choice, percent, percent_note, comment, message)

    def _choice_options(self, crit: Criterion) -> list[tuple[str, int]]:
        lang = self.lang
        if crit.answer == "yes_no":
            return [(_ui("yes", lang), crit.yes_level), (_ui("no", lang), crit.no_level)]
        options = []
        for value in sorted(crit.levels):
            label = self.rubric.level_label(value, lang)
            options.append((f"{value} · {label} — {crit.levels[value].get(lang)}", value))
        return options

    # -- language --------------------------------------------------------------------------------------
    def _on_lang(self, change: dict) -> None:
        self.set_lang(change["new"])

    def set_lang(self, lang: str) -> None:
        """Show every label in ``lang`` ("vi" or "en"); answers and fields keep their values."""
        check_lang(lang)
        if self.lang_toggle.value != lang:
            self.lang_toggle.value = lang  # its observer calls back here with the toggle in step
            return
        self.lang = check_lang(lang)
        self._relabel()

    def _relabel(self) -> None:
        lang, esc = self.lang, html.escape
        self.heading.value = f"<h2>{esc(self.asked.title.get(lang))}</h2>"
        self.intro.value = f"<p>{esc(_ui('intro', lang))}</p>"
        self.respondent_heading.value = f"<h3>{esc(_ui('respondent', lang))}</h3>"
        self.code.description = _ui("code", lang)
        self.code.placeholder = _ui("code_hint", lang)
        self.load_button.description = _ui("load", lang)
        self.name.description = _ui("name", lang)
        self.province.description = _ui("province", lang)
        self.role.description = _ui("role", lang)
        self.role.options = list(roles(lang))
        self._syncing = True
        try:
            sector, size = self.sector.value, self.size.value
            self.sector.description = _ui("sector", lang)
            self.sector.options = [(_ui("choose_sector", lang), "")] + [
                (f"{letter} — {sector_name(letter, lang)}", letter) for letter in VSIC_SECTIONS
            ]
            self.sector.value = sector or ""
            self.size.description = _ui("size", lang)
            self.size.options = [(_ui("choose_size", lang), "")] + [(size_name(code, lang), code) for code in SIZES]
            self.size.value = size or ""
            for item in self.items.values():
                value = item.choice.value
                item.choice.options = self._choice_options(item.criterion)
                item.choice.value = value
        finally:
            self._syncing = False
        for heading, node, tag in self._headings:
            description = node.description.get(lang)
            extra = f"<p style='color:#555'>{esc(description)}</p>" if description and tag == "h3" else ""
            heading.value = f"<{tag}>{esc(node.id)} · {esc(node.title.get(lang))}</{tag}>{extra}"
        for item in self.items.values():
            crit = item.criterion
            description = crit.description.get(lang)
            detail = f"<div style='color:#555'>{esc(description)}</div>" if description else ""
            item.title.value = f"<div><b>{esc(crit.id)}</b> {esc(crit.text.get(lang))} *</div>{detail}"
            item.comment.placeholder = _ui("comment", lang)
            if item.percent is not None:
                item.percent.description = _ui("percent", lang)
                item.percent.placeholder = _ui("percent_hint", lang)
                self._percent_note(item)
        self.submit_button.description = _ui("submit", lang)
        self._update_progress()
        self._show_problems()
        if self._status_key is not None:
            key, params, css = self._status_key
            self._set_status(key, css, **params)
        if self.result is not None:
            self._show_result()

    # -- answers ---------------------------------------------------------------------------------------
    def _on_choice(self, crit_id: str, change: dict) -> None:
        if self._syncing:
            return
        item = self.items[crit_id]
        if item.percent is not None and item.percent.value.strip():
            try:
                percent = parse_percent(item.percent.value)
            except ValueError:
                percent = None
            if percent is None or self._band(item.criterion, percent) != change["new"]:
                self._syncing = True
                try:
                    item.percent.value = ""  # a band chosen by hand wins over a percentage that disagrees
                finally:
                    self._syncing = False
                self._percent_note(item)
        if change["new"] is not None:
            self._resolve(crit_id)
        self._update_progress()

    def _on_percent(self, crit_id: str, change: dict) -> None:
        if self._syncing:
            return
        item = self.items[crit_id]
        try:
            percent = parse_percent(change["new"])
        except ValueError:
            percent = None
        if percent is not None:
            self._syncing = True
            try:
                item.choice.value = self._band(item.criterion, percent)
            finally:
                self._syncing = False
            self._resolve(crit_id)
        self._percent_note(item)
        self._update_progress()

    def _on_field(self, name: str, change: dict) -> None:
        if not self._syncing and change["new"]:
            self._resolve(name)

    def _resolve(self, field: str) -> None:
        """An answer was given for ``field``: its red "not answered" / invalid marks go, the rest stay."""
        left = tuple(p for p in self.problems if p.field != field)
        if len(left) == len(self.problems):
            return
        self.problems = left
        self._show_problems()
        if self._status_key is not None and self._status_key[0] == "fix":
            if left:
                self._set_status("fix", "error")
            else:
                self._status_key = None
                self.status.value = ""

    @staticmethod
    def _band(crit: Criterion, percent: float) -> int:
        from ..scoring import percent_to_level

        return percent_to_level(percent, crit.bounds)

    def _percent_note(self, item: _Item) -> None:
        if item.percent is None or item.percent_note is None:
            return
        text = item.percent.value.strip()
        if not text:
            item.percent_note.value = ""
            return
        try:
            percent = parse_percent(text)
        except ValueError:
            item.percent_note.value = f"<span class='dxlab-msg-error'>{_ui('percent_bad', self.lang)}</span>"
            return
        if percent is None:
            item.percent_note.value = ""
            return
        item.percent_note.value = _ui("percent_band", self.lang, level=self._band(item.criterion, percent))

    def _update_progress(self) -> None:
        answered = sum(item.choice.value is not None for item in self.items.values())
        self.progress.value = answered
        self.progress_label.value = _ui("progress", self.lang, n=answered, total=len(self.items))

    def answers(self) -> dict[str, Answer]:
        """The current answers, criterion by criterion (unanswered ones have ``level=None``; a percentage box
        holding something that is not a percentage counts as empty and is reported on submit)."""
        out = {}
        for crit_id, item in self.items.items():
            percent = None
            if item.percent is not None:
                try:
                    percent = parse_percent(item.percent.value)
                except ValueError:
                    percent = None
            out[crit_id] = Answer(level=item.choice.value, percent=percent, comment=item.comment.value)
        return out

    def _input_problems(self) -> list[Problem]:
        """What only the form knows is wrong: percentage boxes holding text that is not a percentage."""
        problems = []
        for crit_id, item in self.items.items():
            if item.percent is None:
                continue
            try:
                parse_percent(item.percent.value)
            except ValueError:
                problems.append(Problem(crit_id, "percent", (("id", crit_id), ("value", item.percent.value[:20]))))
        return problems

    def submission(self) -> Submission:
        """The form's current content as a :class:`Submission` (not yet validated)."""
        return Submission(
            self.rubric.id,
            str(self.rubric.version),
            enterprise_id=self.code.value,
            enterprise_name=self.name.value,
            sector=self.sector.value or "",
            size=self.size.value or "",
            province=self.province.value,
            respondent_role=self.role.value,
            wave=self.wave,
            lang=self.lang,
            answers=self.answers(),
        )

    def fill(
        self,
        answers: Mapping[str, Any] | None = None,
        *,
        enterprise_id: str | None = None,
        enterprise_name: str | None = None,
        sector: str | None = None,
        size: str | None = None,
        province: str | None = None,
        respondent_role: str | None = None,
    ) -> Questionnaire:
        """Set answers and fields as a respondent would (for notebooks, demos and tests); returns ``self``.

        ``answers`` maps criterion ids to a level (int), a percentage for percentage-band criteria (a float
        or text such as ``"45%"``), or an :class:`Answer` (level, percentage, comment).
        """
        for name, value in (
            ("code", enterprise_id),
            ("name", enterprise_name),
            ("province", province),
            ("role", respondent_role),
        ):
            if value is not None:
                getattr(self, name).value = value
        if sector is not None:
            valid = [v for _, v in self.sector.options if v]
            if sector not in valid:
                raise ValueError(tr("core.sector_unknown", self.lang, value=sector, valid=", ".join(valid)))
            self.sector.value = sector or ""
        if size is not None:
            if size not in SIZES:
                raise ValueError(tr("core.size_unknown", self.lang, value=size, valid=", ".join(SIZES)))
            self.size.value = size or ""
        for crit_id, value in (answers or {}).items():
            if crit_id not in self.items:
                raise ValueError(
                    f"{crit_id!r} is not a criterion of this questionnaire; criteria are {', '.join(self.items)}"
                )
            item = self.items[crit_id]
            if isinstance(value, Answer):
                if value.percent is not None:
                    self._set_percent(item, value.percent)
                if value.level is not None or value.percent is None:
                    item.choice.value = value.level
                item.comment.value = value.comment or ""
            elif isinstance(value, (str, float)) and not isinstance(value, bool):
                self._set_percent(item, value)
            elif value is None or (isinstance(value, int) and not isinstance(value, bool)):
                valid = [v for _, v in item.choice.options]
                if value is not None and value not in valid:
                    raise ValueError(f"{value!r} is not a choice for {crit_id}; choices are {valid}")
                item.choice.value = value
            else:
                raise ValueError(
                    f"answer for {crit_id} must be a level (int), a percentage or an Answer, not {type(value).__name__}"
                )
        return self

    def _set_percent(self, item: _Item, value: Any) -> None:
        if item.percent is None:
            raise ValueError(f"{item.criterion.id} takes a level, not a percentage")
        item.percent.value = f"{value:g}" if isinstance(value, float) else str(value)

    def clear(self) -> None:
        """Empty every field and answer (the store is untouched)."""
        self._syncing = True
        try:
            for widget in (self.code, self.name, self.province, self.role):
                widget.value = ""
            self.sector.value = ""
            self.size.value = ""
            for item in self.items.values():
                item.choice.value = None
                item.comment.value = ""
                if item.percent is not None:
                    item.percent.value = ""
                    self._percent_note(item)
        finally:
            self._syncing = False
        self.problems, self.result, self.receipt = (), None, None
        self._status_key = None
        self.status.value = ""
        self._show_problems()
        self._show_result()
        self._update_progress()

    # -- submit and load -------------------------------------------------------------------------------
    def submit(self) -> Receipt | None:
        """Validate, save and show the result; returns the receipt, or ``None`` when something must be fixed
        (the problems are then in :attr:`problems` and shown on the form)."""
        self.submit_button.disabled = True
        try:
            typed = self._input_problems()
            try:
                checked = validate_submission(self.submission(), self.asked, required=self.asked.criterion_ids)
                found: list[Problem] = []
            except SubmissionError as exc:
                found = list(exc.problems)
            if typed or found:
                marked = {p.field for p in typed}
                self.problems = tuple(sort_problems([*typed, *(p for p in found if p.field not in marked)], self.asked))
                self._show_problems()
                self._set_status("fix", "error")
                return None
            self.problems = ()
            self._show_problems()
            try:
                receipt = self.store.submit(checked)
            except Exception as exc:  # noqa: BLE001 — a classroom page must say so, never fail silently
                _log.exception("saving a submission to %s failed", self.store.path)
                self._set_status("store_error", "error", error=html.escape(type(exc).__name__))
                return None
            self.receipt = receipt
            self._syncing = True
            try:
                self.code.value = receipt.enterprise_id
            finally:
                self._syncing = False
            from ._result import compute_result

            levels = {c: a.level for c, a in checked.answers.items()}
            self.result = compute_result(self.asked, levels, target=self.target, top=self.steps)
            self._set_status("saved", "ok", code=html.escape(receipt.enterprise_id), version=receipt.version)
            self._show_result()
            return receipt
        finally:
            self.submit_button.disabled = False

    def load(self, code: str | None = None) -> bool:
        """Fill the form with the last saved answers of respondent ``code`` (default: the code field)."""
        if code is not None:
            self.code.value = code
        clean, problems = clean_code(self.code.value)
        if problems or not clean:
            self._set_status(
                "no_code" if not problems else "not_found", "error", code=html.escape(self.code.value[:40])
            )
            return False
        stored = self.store.latest(clean, self.rubric)
        if stored is None:
            self._set_status("not_found", "error", code=html.escape(clean))
            return False
        sub = stored.submission
        self.clear()
        self.fill(
            enterprise_id=sub.enterprise_id,
            enterprise_name=sub.enterprise_name,
            province=sub.province,
            respondent_role=sub.respondent_role,
        )
        self.sector.value = sub.sector if sub.sector in VSIC_SECTIONS else ""
        self.size.value = sub.size if sub.size in SIZES else ""
        known = {c: a for c, a in sub.answers.items() if c in self.items}
        for crit_id, answer in known.items():
            item = self.items[crit_id]
            if answer.percent is not None and item.percent is not None:
                self._set_percent(item, float(answer.percent))
            valid = [v for _, v in item.choice.options]
            if answer.level in valid:
                item.choice.value = answer.level
            item.comment.value = answer.comment or ""
        local = stored.receipt.submitted_at.astimezone()
        when = f"{fmt_date(local.date(), self.lang)} {local:%H:%M}"
        self._set_status("loaded", "ok", version=stored.receipt.version, time=when)
        return True

    # -- display ---------------------------------------------------------------------------------------
    def _set_status(self, key: str, css: str, **params: Any) -> None:
        self._status_key = (key, params, css)
        body = _ui(key, self.lang, **params)
        if key == "fix":
            lines = "".join(f"<li>{html.escape(p.text(self.lang))}</li>" for p in self.problems)
            body = f"{body}<ul>{lines}</ul>"
        self.status.value = f"<div class='dxlab-msg-{css}'>{body}</div>"

    def _show_problems(self) -> None:
        by_field: dict[str, list[str]] = {}
        for problem in self.problems:
            by_field.setdefault(problem.field, []).append(problem.text(self.lang))
        for crit_id, item in self.items.items():
            messages = by_field.get(crit_id, [])
            if messages:
                item.box.add_class("dxlab-error")
                item.message.value = (
                    "<div class='dxlab-msg-error'>" + "<br>".join(map(html.escape, messages)) + "</div>"
                )
            else:
                item.box.remove_class("dxlab-error")
                item.message.value = ""

    def _show_result(self) -> None:
        if self.result is None:
            self.result_html.value = ""
            self.result_image.layout.display = "none"
            return
        from ._result import radar_png, render_html

        self.result_html.value = render_html(self.result, self.asked, self.lang)
        self.result_image.value = radar_png(self.result, self.asked, self.lang)
        self.result_image.layout.display = None

    # -- texts for a page around the form ------------------------------------------------------------------
    @property
    def page_title(self) -> str:
        """The title of a page or browser tab showing this form, in the form's language."""
        return tr("questionnaire.page_title", self.lang)

    @property
    def loading_text(self) -> str:
        """What a page shows while the form loads, in the form's language."""
        return tr("questionnaire.loading", self.lang)

    # -- notebook display ------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return (
            f"Questionnaire(rubric={self.rubric.id!r}, criteria={len(self.items)}, "
            f"store={str(self.store.path)!r}, lang={self.lang!r})"
        )


def _subset(rubric: Rubric, dimensions: Iterable[str] | None) -> Rubric:
    """The rubric restricted to ``dimensions`` (same id, so submissions stay comparable)."""
    if dimensions is None:
        return rubric
    if isinstance(dimensions, str):
        dimensions = [dimensions]
    wanted = list(dimensions)
    known = [d.id for d in rubric.dimensions]
    unknown = [d for d in wanted if d not in known]
    if unknown or not wanted:
        raise ValueError(
            f"dimensions must be ids of rubric {rubric.id!r} ({', '.join(known)}); got "
            f"{', '.join(map(repr, unknown)) or 'none'}"
        )
    return replace(rubric, dimensions=tuple(d for d in rubric.dimensions if d.id in wanted))
