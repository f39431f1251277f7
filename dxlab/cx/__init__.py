"""The CX strategy toolkit: the lenses a class or a consultant uses around the maturity rubric.

The maturity score says where an enterprise stands; these tools help work out what to do about it:

- :class:`StakeholderMap` — support × influence, four quadrants with the engagement each needs;
- :class:`Persona` and :class:`EmpathyMap` — who the customer is; what they say, think, feel and do;
- :class:`JourneyMap` — touchpoints along the 5A stages (or Kotler's, or your own) with emotion, pain
  points and opportunities;
- :class:`FiveWhys` — from a pain point to its root cause, with evidence;
- :class:`Hypothesis` — "We believe … will solve … enabled by … resulting in …";
- :class:`ConnectedProfile` — which connected customer experiences an offering delivers, and the
  ``mobifone-dx`` customer criteria they would raise.

Each is a frozen dataclass validated on creation (ValueError), with ``to_dict``/``from_dict`` and
``save(path)``/``load(path)`` (YAML or JSON by suffix), a figure or card (``plot``), HTML and Markdown
renderings with every participant's text escaped, and an ipywidgets ``editor()``. Texts are Vietnamese by
default; pass ``lang="en"`` for English. :func:`workshop_sheet` gathers a session's records into one
Markdown sheet; :func:`load` reads any of them back by the ``kind`` written in the file.
"""

from ._base import open_editor, render_figure, render_html, render_markdown
from ._connected import (
    ANSWER_SCALE,
    EXPERIENCES,
    MYTHS,
    PRESENT,
    QUESTIONS,
    ConnectedProfile,
    connected_links,
    connected_questionnaire,
)
from ._hypothesis import Hypothesis
from ._journey import EMOTION_LABELS, STAGE_PRESETS, JourneyMap, Touchpoint, stage_label
from ._persona import EMPATHY_QUADRANTS, EmpathyMap, Persona
from ._sheet import KINDS, from_dict, load, workshop_sheet
from ._stakeholders import HIGH, QUADRANTS, Quadrant, Stakeholder, StakeholderMap, classify_stakeholder
from ._whys import FiveWhys, WhyStep

__all__ = [
    "ANSWER_SCALE",
    "EMOTION_LABELS",
    "EMPATHY_QUADRANTS",
    "EXPERIENCES",
    "HIGH",
    "KINDS",
    "MYTHS",
    "PRESENT",
    "QUADRANTS",
    "QUESTIONS",
    "STAGE_PRESETS",
    "ConnectedProfile",
    "EmpathyMap",
    "FiveWhys",
    "Hypothesis",
    "JourneyMap",
    "Persona",
    "Quadrant",
    "Stakeholder",
    "StakeholderMap",
    "Touchpoint",
    "WhyStep",
    "classify_stakeholder",
    "connected_links",
    "connected_questionnaire",
    "from_dict",
    "load",
    "stage_label",
    "workshop_sheet",
    "open_editor",
    "render_figure",
    "render_html",
    "render_markdown",
]
