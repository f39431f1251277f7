"""ipywidgets editors for the CX records, so a workshop can fill them in from a notebook or Voilà.

Each editor is a :class:`CxEditor` (an ``ipywidgets.VBox``) whose ``value`` trait holds the current,
validated record — observe it with ``editor.observe(callback, "value")``. Its widgets are in
``editor.controls`` by name, which is also how the tests drive them (set values, ``.click()`` buttons)
without a browser. Invalid input never raises inside a click handler, where the error would vanish into
the kernel log: the message is shown (escaped) in ``editor.message`` and ``value`` stays as it was.
With ``path`` the Save button writes the record there (YAML or JSON by suffix), so the work survives the
session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt

try:
    import ipywidgets as widgets
    import traitlets
    from IPython.display import clear_output, display
except ImportError as exc:  # ipywidgets is in the optional "notebooks" extra
    raise ImportError("the dxlab.cx editors need ipywidgets: pip install 'dxlab[notebooks]'") from exc
from matplotlib.figure import Figure

from ._base import check_lang, esc, open_editor, pick, render_html
from ._connected import ANSWER_SCALE, EXPERIENCES, QUESTIONS, ConnectedProfile
from ._hypothesis import PARTS, Hypothesis
from ._journey import EMOTION_LABELS, JourneyMap, Touchpoint, stage_label
from ._persona import EMPATHY_QUADRANTS, EmpathyMap, Persona
from ._stakeholders import Stakeholder, StakeholderMap
from ._whys import FiveWhys, WhyStep

__all__ = ["CxEditor"]

_WIDE = widgets.Layout(width="100%")
_STYLE = {"description_width": "11em"}


def _text(label: str, value: str = "", placeholder: str = "") -> widgets.Text:
    return widgets.Text(value=value, description=label, placeholder=placeholder, layout=_WIDE, style=_STYLE)


def _area(label: str, lines: tuple[str, ...] = (), placeholder: str = "", rows: int = 3) -> widgets.Textarea:
    return widgets.Textarea(
        value="\n".join(lines), description=label, placeholder=placeholder, rows=rows, layout=_WIDE, style=_STYLE
    )


def _lines(text: str) -> tuple[str, ...]:
    """Non-blank lines of a text box, one entry each."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(";", ",").split(",") if part.strip())


def _button(label: str, icon: str = "", style: str = "") -> widgets.Button:
    return widgets.Button(description=label, icon=icon, button_style=style)


class CxEditor(widgets.VBox):
    """A form around one CX record: ``value`` (the record or None), ``controls``, ``message``, ``view``
    (HTML of the record) and ``output`` (its figure when ``preview``)."""

    value = traitlets.Any(allow_none=True)

    def __init__(
        self,
        value: Any,
        *,
        title: str,
        rows: list[widgets.Widget],
        actions: dict[str, Callable],
        controls: dict[str, widgets.Widget],
        lang: str,
        path: str | Path | None,
        preview: bool,
        figure: Callable[[Any], Any] | None = None,
        inline: tuple[str, ...] = (),
    ):
        check_lang(lang)
        self.lang = lang
        self.path = None if path is None else Path(path)
        self.controls = controls  # shared with the builder, which may add rows later
        self.message = widgets.HTML()
        self.view = widgets.HTML()
        self.output = widgets.Output()
        self._figure = figure if preview else None
        buttons = []
        for name, handler in actions.items():
            button = self.controls[name]
            button.on_click(lambda _button, handler=handler: self._apply(handler))
            if name not in inline:  # buttons already placed in a row of the form
                buttons.append(button)
        save = _button(pick("cx.save", lang), "save", "success")
        save.disabled = self.path is None
        save.tooltip = str(self.path) if self.path else pick("cx.no_path_given_editor_path", lang)
        save.on_click(lambda _button: self.save())
        self.controls["save"] = save
        buttons.append(save)
        header = widgets.HTML(f"<h4>{esc(title)}</h4>")
        super().__init__([header, *rows, widgets.HBox(buttons), self.message, self.view, self.output])
        self.value = value
        self._refresh()

    def _say(self, text: str, *, error: bool = False) -> None:
        colour = "#d62828" if error else "#2a9d8f"
        self.message.value = f'<span style="color:{colour}">{esc(text)}</span>'

    def _apply(self, handler: Callable[[Any], Any]) -> None:
        try:
            new = handler(self.value)
        except (ValueError, KeyError) as exc:
            reason = str(exc).strip("'\"")
            self._say(pick("cx.not_valid", self.lang).format(reason), error=True)
            return
        self.value = new
        self._say(pick("cx.updated", self.lang))
        self._refresh()

    def save(self) -> Path | None:
        """Write the current value to ``path``; returns the path (None when nothing was written)."""
        if self.path is None:
            self._say(pick("cx.no_path_to_save_to", self.lang), error=True)
            return None
        if self.value is None:
            self._say(pick("cx.nothing_to_save_yet", self.lang), error=True)
            return None
        written = self.value.save(self.path)
        self._say(pick("cx.saved_to", self.lang).format(written))
        return written

    def _refresh(self) -> None:
        self.view.value = "" if self.value is None else render_html(self.value, self.lang)
        if self._figure is None or self.value is None:
            return
        with self.output:
            clear_output(wait=True)
            drawn = self._figure(self.value)
            fig = drawn if isinstance(drawn, Figure) else drawn.figure
            display(fig)
            plt.close(fig)


# -- stakeholder map ----------------------------------------------------------------------------------------
def stakeholder_editor(
    value: StakeholderMap | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    value = value if value is not None else StakeholderMap()
    c = {
        "title": _text(pick("cx.title", lang), value.title),
        "name": _text(pick("cx.name", lang)),
        "role": _text(pick("cx.role", lang)),
        "support": widgets.FloatSlider(
            5.0, min=0, max=10, step=0.5, description=pick("cx.support", lang), style=_STYLE
        ),
        "influence": widgets.FloatSlider(
            5.0, min=0, max=10, step=0.5, description=pick("cx.influence", lang), style=_STYLE
        ),
        "notes": _text(pick("cx.notes", lang)),
        "add": _button(pick("cx.add_update", lang), "plus", "primary"),
        "pick": widgets.Dropdown(
            options=list(value.names), value=None, description=pick("cx.pick", lang), style=_STYLE
        ),
        "remove": _button(pick("cx.remove", lang), "trash", "danger"),
    }

    def add(current: StakeholderMap) -> StakeholderMap:
        person = Stakeholder(
            c["name"].value, c["support"].value, c["influence"].value, c["role"].value, c["notes"].value
        )
        return replace(current.with_stakeholder(person), title=c["title"].value)

    def remove(current: StakeholderMap) -> StakeholderMap:
        if c["pick"].value is None:
            raise ValueError(pick("cx.pick_someone_to_remove", lang))
        return replace(current.without(c["pick"].value), title=c["title"].value)

    editor = CxEditor(
        value,
        title=pick("cx.stakeholder_map", lang),
        rows=[
            c["title"],
            c["name"],
            c["role"],
            c["support"],
            c["influence"],
            c["notes"],
            widgets.HBox([c["pick"], c["remove"]]),
        ],
        actions={"add": add, "remove": remove},
        controls=c,
        lang=lang,
        path=path,
        preview=preview,
        figure=lambda m: m.plot(lang=lang),
        inline=("remove",),
    )
    c["remove"].layout.margin = "0 0 0 1em"

    def load_person(change: dict) -> None:
        if change["new"] is not None:
            person = editor.value[change["new"]]
            c["name"].value, c["role"].value, c["notes"].value = person.name, person.role, person.notes
            c["support"].value, c["influence"].value = float(person.support), float(person.influence)

    def sync_names(change: dict) -> None:
        c["pick"].options = list(change["new"].names)
        c["pick"].value = None

    c["pick"].observe(load_person, "value")
    editor.observe(sync_names, "value")
    return editor


# -- empathy map and persona ---------------------------------------------------------------------------------
def empathy_editor(
    value: EmpathyMap | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    blank = value is None
    c: dict[str, widgets.Widget] = {
        "subject": _text(pick("cx.about_whom", lang), "" if value is None else value.subject),
        "title": _text(pick("cx.title", lang), "" if value is None else value.title),
    }
    for quadrant, label in EMPATHY_QUADRANTS.items():
        c[quadrant] = _area(
            pick(label, lang), () if blank else getattr(value, quadrant), pick("cx.one_entry_per_line", lang)
        )
    c["apply"] = _button(pick("cx.update", lang), "check", "primary")

    def apply(_current: Any) -> EmpathyMap:
        return EmpathyMap(
            c["subject"].value, title=c["title"].value, **{q: _lines(c[q].value) for q in EMPATHY_QUADRANTS}
        )

    return CxEditor(
        value,
        title=pick("cx.empathy_map", lang),
        rows=[c["subject"], c["title"], *(c[q] for q in EMPATHY_QUADRANTS)],
        actions={"apply": apply},
        controls=c,
        lang=lang,
        path=path,
        preview=preview,
        figure=lambda m: m.plot(lang=lang),
    )


def _demographics_text(pairs: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    return tuple(f"{label}: {value}" for label, value in pairs)


def _parse_demographics(text: str, lang: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for number, line in enumerate(_lines(text), 1):
        label, sep, value = line.partition(":")
        if not sep:
            raise ValueError(pick("cx.demographics_line_write_label_value", lang).format(number, line))
        pairs.append((label.strip(), value.strip()))
    return tuple(pairs)


def persona_editor(
    value: Persona | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    blank = value is None
    get = (lambda name: "") if blank else (lambda name: getattr(value, name))
    c: dict[str, widgets.Widget] = {
        "name": _text(pick("cx.name", lang), get("name")),
        "segment": _text(pick("cx.segment", lang), get("segment")),
        "quote": _text(pick("cx.quote", lang), get("quote")),
        "demographics": _area(
            pick("cx.demographics", lang),
            () if value is None else _demographics_text(value.demographics),
            pick("cx.one_label_value_per_line", lang),
        ),
    }
    for section, label in Persona.SECTIONS.items():
        c[section] = _area(
            pick(label, lang), () if blank else getattr(value, section), pick("cx.one_entry_per_line", lang)
        )
    c["apply"] = _button(pick("cx.update", lang), "check", "primary")

    def apply(_current: Any) -> Persona:
        return Persona(
            c["name"].value,
            quote=c["quote"].value,
            segment=c["segment"].value,
            demographics=_parse_demographics(c["demographics"].value, lang),
            **{s: _lines(c[s].value) for s in Persona.SECTIONS},
        )

    return CxEditor(
        value,
        title=pick("cx.persona", lang),
        rows=[c[k] for k in ("name", "segment", "quote", "demographics", *Persona.SECTIONS)],
        actions={"apply": apply},
        controls=c,
        lang=lang,
        path=path,
        preview=preview,
        figure=lambda p: p.plot(lang=lang),
    )


# -- journey ----------------------------------------------------------------------------------------------
def journey_editor(
    value: JourneyMap | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    value = value if value is not None else JourneyMap()

    def point_options(journey: JourneyMap) -> list[tuple[str, tuple[str, str]]]:
        return [(f"{stage_label(p.stage, lang)} · {p.name}", (p.stage, p.name)) for p in journey.ordered()]

    c: dict[str, widgets.Widget] = {
        "title": _text(pick("cx.title", lang), value.title),
        "persona": _text(pick("cx.whose_journey", lang), value.persona),
        "stage": widgets.Dropdown(
            options=[(stage_label(s, lang), s) for s in value.stages],
            value=value.stages[0],
            description=pick("cx.stage", lang),
            style=_STYLE,
        ),
        "name": _text(pick("cx.touchpoint", lang)),
        "channel": _text(pick("cx.channel", lang)),
        "need": _text(pick("cx.need", lang)),
        "emotion": widgets.SelectionSlider(
            options=[(f"{v:+d} {pick(EMOTION_LABELS[v], lang)}", v) for v in sorted(EMOTION_LABELS)],
            value=0,
            description=pick("cx.emotion", lang),
            style=_STYLE,
            layout=widgets.Layout(width="32em"),
        ),
        "pain_points": _area(pick("cx.pain_points", lang), (), pick("cx.one_entry_per_line", lang)),
        "opportunities": _area(pick("cx.opportunities", lang), (), pick("cx.one_entry_per_line", lang)),
        "criteria": _text(pick("cx.criteria", lang), "", "CUS.ENG.3, CUS.EXP.1"),
        "add": _button(pick("cx.add_update", lang), "plus", "primary"),
        "pick": widgets.Dropdown(
            options=point_options(value), value=None, description=pick("cx.pick", lang), style=_STYLE
        ),
        "remove": _button(pick("cx.remove", lang), "trash", "danger"),
    }

    def add(current: JourneyMap) -> JourneyMap:
        point = Touchpoint(
            c["stage"].value,
            c["name"].value,
            c["emotion"].value,
            channel=c["channel"].value,
            need=c["need"].value,
            pain_points=_lines(c["pain_points"].value),
            opportunities=_lines(c["opportunities"].value),
            criteria=_ids(c["criteria"].value),
        )
        return replace(current.with_touchpoint(point), title=c["title"].value, persona=c["persona"].value)

    def remove(current: JourneyMap) -> JourneyMap:
        if c["pick"].value is None:
            raise ValueError(pick("cx.pick_a_touchpoint_to_remove", lang))
        return replace(current.without(*c["pick"].value), title=c["title"].value, persona=c["persona"].value)

    editor = CxEditor(
        value,
        title=pick("cx.customer_journey", lang),
        rows=[
            c[k]
            for k in (
                "title",
                "persona",
                "stage",
                "name",
                "channel",
                "need",
                "emotion",
                "pain_points",
                "opportunities",
                "criteria",
            )
        ]
        + [widgets.HBox([c["pick"], c["remove"]])],
        actions={"add": add, "remove": remove},
        controls=c,
        lang=lang,
        path=path,
        preview=preview,
        figure=lambda j: j.plot(lang=lang),
        inline=("remove",),
    )

    def load_point(change: dict) -> None:
        if change["new"] is None:
            return
        stage, name = change["new"]
        point = next(p for p in editor.value.touchpoints if (p.stage, p.name) == (stage, name))
        c["stage"].value, c["name"].value = point.stage, point.name
        c["channel"].value, c["need"].value = point.channel, point.need
        c["emotion"].value = min(EMOTION_LABELS, key=lambda v: abs(v - point.emotion))
        c["pain_points"].value = "\n".join(point.pain_points)
        c["opportunities"].value = "\n".join(point.opportunities)
        c["criteria"].value = ", ".join(point.criteria)

    def sync_points(change: dict) -> None:
        c["pick"].options = point_options(change["new"])
        c["pick"].value = None

    c["pick"].observe(load_point, "value")
    editor.observe(sync_points, "value")
    return editor


# -- five whys and hypothesis ---------------------------------------------------------------------------------
def whys_editor(
    value: FiveWhys | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    steps = () if value is None else value.steps
    c: dict[str, widgets.Widget] = {
        "problem": _text(pick("cx.problem_pain_point", lang), "" if value is None else value.problem),
        "criteria": _text(pick("cx.criteria", lang), "" if value is None else ", ".join(value.criteria), "CUS.ENG.3"),
        "title": _text(pick("cx.title", lang), "" if value is None else value.title),
        "more": _button(pick("cx.add_a_step", lang), "plus"),
        "apply": _button(pick("cx.update", lang), "check", "primary"),
    }
    box = widgets.VBox()

    def add_row(step: WhyStep | None = None) -> None:
        n = len(box.children) + 1
        answer = _text(pick("cx.why", lang).format(n), "" if step is None else step.answer)
        evidence = _text(pick("cx.evidence", lang).format(n), "" if step is None else step.evidence)
        c[f"answer_{n}"], c[f"evidence_{n}"] = answer, evidence
        box.children = (*box.children, widgets.VBox([answer, evidence]))

    for i in range(max(5, len(steps))):
        add_row(steps[i] if i < len(steps) else None)

    def collect() -> tuple[WhyStep, ...]:
        rows = [
            (c[f"answer_{n}"].value.strip(), c[f"evidence_{n}"].value.strip()) for n in range(1, len(box.children) + 1)
        ]
        while rows and not any(rows[-1]):
            rows.pop()  # unused rows at the end of the form
        out = []
        for n, (answer, evidence) in enumerate(rows, 1):
            if not answer:
                raise ValueError(pick("cx.step_has_no_answer_but", lang).format(n))
            out.append(WhyStep(answer, evidence))
        return tuple(out)

    def apply(_current: Any) -> FiveWhys:
        return FiveWhys(c["problem"].value, collect(), criteria=_ids(c["criteria"].value), title=c["title"].value)

    editor = CxEditor(
        value,
        title=pick("cx.five_whys", lang),
        rows=[c["title"], c["problem"], c["criteria"], box, c["more"]],
        actions={"apply": apply},
        controls=c,
        lang=lang,
        path=path,
        preview=False,
    )
    c["more"].on_click(lambda _button: add_row())
    return editor


def hypothesis_editor(
    value: Hypothesis | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    c: dict[str, widgets.Widget] = {"title": _text(pick("cx.title", lang), "" if value is None else value.title)}
    for part, label in PARTS.items():
        c[part] = widgets.Textarea(
            value="" if value is None else getattr(value, part),
            description=pick(label, lang),
            rows=2,
            layout=_WIDE,
            style=_STYLE,
        )
    c["criteria"] = _text(pick("cx.criteria", lang), "" if value is None else ", ".join(value.criteria), "CUS.ENG.3")
    c["apply"] = _button(pick("cx.update", lang), "check", "primary")

    def apply(_current: Any) -> Hypothesis:
        return Hypothesis(
            **{part: c[part].value for part in PARTS}, criteria=_ids(c["criteria"].value), title=c["title"].value
        )

    return CxEditor(
        value,
        title=pick("cx.hypothesis", lang),
        rows=[c["title"], *(c[p] for p in PARTS), c["criteria"]],
        actions={"apply": apply},
        controls=c,
        lang=lang,
        path=path,
        preview=False,
    )


# -- connected strategy -------------------------------------------------------------------------------------
def connected_editor(
    value: ConnectedProfile | None, *, lang: str = "vi", path: str | Path | None = None, preview: bool = True
) -> CxEditor:
    given = {} if value is None else value.answer_map
    c: dict[str, widgets.Widget] = {
        "offering": _text(pick("cx.offering", lang), "" if value is None else value.offering)
    }
    rows: list[widgets.Widget] = [c["offering"]]
    for experience in EXPERIENCES.values():
        rows.append(
            widgets.HTML(f"<b>{esc(pick(experience.label, lang))}</b> — <i>{esc(pick(experience.summary, lang))}</i>")
        )
        for qid, (exp, text) in QUESTIONS.items():
            if exp != experience.key:
                continue
            c[qid] = widgets.ToggleButtons(
                options=[(f"{v} {pick(label, lang)}", v) for v, label in ANSWER_SCALE.items()],
                value=given.get(qid),
                style={"button_width": "7.5em"},
            )
            rows += [widgets.HTML(esc(pick(text, lang))), c[qid]]
    c["apply"] = _button(pick("cx.update", lang), "check", "primary")

    def apply(_current: Any) -> ConnectedProfile:
        answers = {qid: c[qid].value for qid in QUESTIONS if c[qid].value is not None}
        return ConnectedProfile(c["offering"].value, answers)  # type: ignore[arg-type]  # checked by the record

    return CxEditor(
        value,
        title=pick("cx.connected_strategy", lang),
        rows=rows,
        actions={"apply": apply},
        controls=c,
        lang=lang,
        path=path,
        preview=preview,
        figure=lambda p: p.plot(lang=lang),
    )


# Each record type gets its editor; ``Record.editor()`` and ``open_editor(record)`` dispatch on the type.
for _kind, _editor in (
    (StakeholderMap, stakeholder_editor),
    (EmpathyMap, empathy_editor),
    (Persona, persona_editor),
    (JourneyMap, journey_editor),
    (FiveWhys, whys_editor),
    (Hypothesis, hypothesis_editor),
    (ConnectedProfile, connected_editor),
):
    open_editor.register(_kind)(_editor)
