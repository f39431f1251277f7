"""Plumbing shared by the CX tools: cleaning and validating fields, YAML/JSON round-trips, escaping.

Why our own code rather than pydantic or attrs: the tools are a handful of small records whose rules fit in
a few lines each, and a dependency would not save code. Saving is ``yaml.safe_dump`` or ``json.dumps``
chosen by the file suffix; loading is ``yaml.safe_load`` (a workshop file is data, nothing in it ever runs)
or ``json.load``, and every problem names the file and the place inside it (``stakeholders[2].support``).

Workshop participants type everything these records hold, and it ends up in HTML cards and Markdown sheets,
so :func:`esc` (HTML) and :func:`md` (Markdown) are the only ways the renderers put user text on a page.
"""

from __future__ import annotations

import html
import importlib
import json
import math
import numbers
import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import singledispatch
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml

from .._i18n import check_lang, tr
from ..rubric import Rubric, load_rubric

__all__ = [
    "Record",
    "clean_text",
    "clean_items",
    "clean_number",
    "clean_ids",
    "esc",
    "md",
    "pick",
    "check_lang",
    "open_editor",
    "render_markdown",
    "render_html",
    "render_figure",
    "register_renderers",
    "criterion_lines",
    "resolve_rubric",
    "read_mapping",
    "unique_key",
]

SUFFIXES: dict[str, str] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
CRITERION_ID = re.compile(r"^[A-Z][A-Z0-9]*(?:\.[A-Z0-9]+)+$")
_SPACE = re.compile(r"\s+")

R = TypeVar("R", bound="Record")


# -- cleaning ------------------------------------------------------------------------------------------
def clean_text(value: Any, field: str, *, required: bool = False) -> str:
    """``value`` as NFC text without outer spaces; ``None`` is empty; non-text raises ValueError."""
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, (str, numbers.Real)):
        raise ValueError(f"{field} must be text, not {type(value).__name__} {value!r}")
    text = unicodedata.normalize("NFC", str(value)).strip()
    if required and not text:
        raise ValueError(f"{field} is empty")
    return text


def clean_items(values: Any, field: str) -> tuple[str, ...]:
    """A list of non-empty texts (a single text counts as a one-item list)."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    if isinstance(values, Mapping) or not isinstance(values, Iterable):
        raise ValueError(f"{field} must be a list of texts, not {type(values).__name__}")
    return tuple(clean_text(v, f"{field}[{i}]", required=True) for i, v in enumerate(values))


def clean_number(value: Any, field: str, low: float, high: float) -> int | float:
    """A real number in ``[low, high]`` (bounds included) as a plain Python int or float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{field} must be a number from {low:g} to {high:g}, not {type(value).__name__} {value!r}")
    number = int(value) if isinstance(value, numbers.Integral) else float(value)
    if math.isnan(number) or not low <= number <= high:
        raise ValueError(f"{field} = {value!r} is outside {low:g}–{high:g}")
    return number


def clean_ids(values: Any, field: str) -> tuple[str, ...]:
    """Criterion ids (``CUS.ENG.1``): ASCII, dotted, upper case, no repeats."""
    ids = clean_items(values, field)
    for i, cid in enumerate(ids):
        if not CRITERION_ID.match(cid):
            raise ValueError(f"{field}[{i}] = {cid!r} is not a criterion id such as 'CUS.ENG.1'")
    repeated = sorted({cid for cid in ids if ids.count(cid) > 1})
    if repeated:
        raise ValueError(f"{field} repeats {', '.join(repeated)}")
    return ids


def unique_key(text: str) -> str:
    """Key under which two names count as the same: case and spacing ignored, tone marks kept
    (Hoa and Hòa are different people)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


# -- bilingual labels ----------------------------------------------------------------------------------
def pick(text: str | tuple[str, str], lang: str | None) -> str:
    """A catalogue text (``"cx.key"``) in ``lang``, or the member of a ``(vi, en)`` pair of toolkit content
    (quadrant names, myths, questions: data of the method, like a rubric's descriptors).

    >>> pick("cx.save", "en"), pick(("Khách hàng", "Customer"), "vi")
    ('Save', 'Khách hàng')
    """
    code = check_lang(lang)
    if isinstance(text, str):
        return tr(text, code)
    return text[1] if code == "en" else text[0]


# -- escaping -----------------------------------------------------------------------------------------
def esc(text: Any) -> str:
    """Text made safe for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^(#|[-+=]|\d+[.)])")


def md(text: Any) -> str:
    """Text made safe for one line of Markdown (a table cell, a list item, after a bold label).

    HTML is escaped (Markdown passes raw HTML through), newlines become spaces, and the characters that
    would start emphasis, code, links, tables or strike-through are backslash-escaped, as is a leading
    marker that would make a heading or a list.
    """
    line = _SPACE.sub(" ", str(text)).strip()
    line = html.escape(line, quote=False)
    line = _MD_INLINE.sub(r"\\\1", line)
    return _MD_LINE_START.sub(r"\\\1", line)


# -- rubric links -------------------------------------------------------------------------------------
def resolve_rubric(rubric: Rubric | str | None) -> Rubric | None:
    return None if rubric is None else load_rubric(rubric)


def criterion_lines(ids: tuple[str, ...], rubric: Rubric | None, lang: str) -> list[str]:
    """Markdown list lines for criterion ids, with their texts from ``rubric`` when one is given."""
    if rubric is None:
        return [f"- {md(cid)}" for cid in ids]
    unknown = [cid for cid in ids if cid not in rubric.criterion_ids]
    if unknown:
        raise ValueError(
            f"criteria {', '.join(unknown)} are not in rubric {rubric.id!r}; its criteria are "
            f"{', '.join(rubric.criterion_ids)}"
        )
    return [f"- **{md(cid)}** — {md(rubric.criterion(cid).text.get(lang))}" for cid in ids]


# -- files --------------------------------------------------------------------------------------------
def _format(path: Path) -> str:
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise ValueError(f"{path}: unknown file type {path.suffix!r}; use {', '.join(map(repr, SUFFIXES))}") from None


def write_mapping(data: dict, path: str | Path) -> Path:
    path = Path(path)
    fmt = _format(path)
    if fmt == "yaml":
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read_mapping(path: str | Path) -> dict:
    """The top-level mapping in a YAML or JSON file, with parse errors naming the line and column."""
    path = Path(path)
    fmt = _format(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = yaml.safe_load(text) if fmt == "yaml" else json.loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ValueError(f"{path}: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top of the file, got {type(data).__name__}")
    return data


class Record:
    """Mixin for the CX records: dict, YAML and JSON round-trips with validation on the way in.

    Subclasses set ``KIND`` (written as the first key, so a file says what it holds), ``FIELDS`` (the keys
    ``from_dict`` accepts) and implement ``_body()`` and ``_from_body(data)``.
    """

    KIND: ClassVar[str] = ""
    FIELDS: ClassVar[tuple[str, ...]] = ()

    def _body(self) -> dict:
        raise NotImplementedError

    @classmethod
    def _from_body(cls: type[R], data: dict) -> R:
        raise NotImplementedError

    def to_dict(self) -> dict:
        """A plain dict (texts, numbers, lists) that :meth:`from_dict` turns back into an equal object."""
        return {"kind": self.KIND, **self._body()}

    @classmethod
    def from_dict(cls: type[R], data: Mapping[str, Any]) -> R:
        """Build and validate from a dict such as :meth:`to_dict` returns; ``kind`` may be omitted."""
        if not isinstance(data, Mapping):
            raise ValueError(f"expected a mapping for a {cls.__name__}, got {type(data).__name__}")
        body = dict(data)
        kind = body.pop("kind", cls.KIND)
        if kind != cls.KIND:
            raise ValueError(f"this holds a {kind!r}, not a {cls.KIND!r} ({cls.__name__})")
        unknown = [str(k) for k in body if k not in cls.FIELDS]
        if unknown:
            raise ValueError(
                f"unknown key(s) {', '.join(map(repr, unknown))} for a {cls.__name__}; valid keys "
                f"are {', '.join(map(repr, cls.FIELDS))}"
            )
        return cls._from_body(body)

    def save(self, path: str | Path) -> Path:
        """Write to ``path``: YAML for ``.yaml``/``.yml``, JSON for ``.json``. Returns the path."""
        return write_mapping(self.to_dict(), path)

    @classmethod
    def load(cls: type[R], path: str | Path) -> R:
        """Read a file written by :meth:`save` (or by hand); errors name the file and the field."""
        data = read_mapping(path)
        try:
            return cls.from_dict(data)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None


def each(items: Any, field: str, build: Any) -> tuple:
    """Build every entry of a list field, naming ``field[i]`` in any error."""
    if items is None:
        return ()
    if isinstance(items, (str, Mapping)) or not isinstance(items, Iterable):
        raise ValueError(f"{field} must be a list, not {type(items).__name__}")
    out = []
    for i, item in enumerate(items):
        try:
            out.append(build(item))
        except ValueError as exc:
            raise ValueError(f"{field}[{i}]: {exc}") from None
    return tuple(out)


def require(data: Mapping[str, Any], keys: tuple[str, ...]) -> None:
    """Raise ValueError naming the first of ``keys`` that ``data`` lacks."""
    for key in keys:
        if key not in data:
            raise ValueError(f"{key!r} is missing")


def fields_of(data: Any, allowed: tuple[str, ...], what: str, required: tuple[str, ...] = ()) -> dict:
    """Check that a nested entry is a mapping with known keys only, and the ``required`` ones present."""
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a mapping for a {what}, got {type(data).__name__}")
    unknown = [str(k) for k in data if k not in allowed]
    if unknown:
        raise ValueError(
            f"unknown key(s) {', '.join(map(repr, unknown))} for a {what}; valid keys are "
            f"{', '.join(map(repr, allowed))}"
        )
    require(data, required)
    return dict(data)


@singledispatch
def open_editor(value: Any, **options: Any) -> Any:
    """The ipywidgets editor for a CX record, chosen by the record's type (``functools.singledispatch``).

    Records are pure data and do not import their editors: :mod:`dxlab.cx._editors` registers one editor per
    record type (``open_editor.register(StakeholderMap)``) and is loaded, as a plugin, the first time an
    editor is asked for, so ``import dxlab.cx`` needs no ipywidgets.
    """
    return _dispatch(type(value))(value, **options)


def _dispatch(kind: type) -> Any:
    impl = open_editor.dispatch(kind)
    if impl is open_editor.registry[object]:
        importlib.import_module(_EDITORS)  # registers the editors of every record type
        impl = open_editor.dispatch(kind)
    if impl is open_editor.registry[object]:
        raise TypeError(tr("cx.no_editor", None, kind=kind.__name__))
    return impl


_EDITORS = "dxlab.cx._editors"


# -- renderers chosen by type ---------------------------------------------------------------------------------
@singledispatch
def render_markdown(record: Any, lang: str | None = None, *, heading: int = 2, rubric: Any = None) -> str:
    """A record's Markdown section, by the renderer registered for its type (see :func:`register_renderers`)."""
    raise TypeError(tr("cx.not_a_record", None, kind=type(record).__name__))


@singledispatch
def render_html(record: Any, lang: str | None = None) -> str:
    """A record's HTML fragment, by the renderer registered for its type."""
    raise TypeError(tr("cx.not_a_record", None, kind=type(record).__name__))


@singledispatch
def render_figure(record: Any, *, lang: str | None = None) -> Any:
    """A record's figure (Axes or Figure), by the renderer registered for its type; a kind without a figure
    (a five-whys chain, a hypothesis) raises TypeError."""
    raise TypeError(tr("cx.no_figure", None, kind=type(record).__name__))


def register_renderers(kind: type) -> type:
    """Class decorator: register ``kind``'s ``to_markdown``, ``to_html`` and (when it has one) ``plot`` as its
    renderers, so sheets, editors and the command line choose them by type instead of probing attributes."""
    render_markdown.register(kind)(
        lambda r, lang=None, *, heading=2, rubric=None: r.to_markdown(check_lang(lang), heading=heading, rubric=rubric)
    )
    render_html.register(kind)(lambda r, lang=None: r.to_html(check_lang(lang)))
    if callable(getattr(kind, "plot", None)):
        render_figure.register(kind)(lambda r, *, lang=None: r.plot(lang=check_lang(lang)))
    return kind


class editor_method:
    """``Record.editor(...)``: on the class a blank form, on a record a form holding it.

    ``StakeholderMap.editor()`` starts a new map; ``my_map.editor()`` edits ``my_map``. The editor itself is
    chosen by type through :func:`open_editor`.
    """

    def __get__(self, obj: Any, cls: type) -> Any:
        def editor(**options: Any) -> Any:
            return _dispatch(cls)(obj, **options)

        editor.__doc__ = (
            f"An ipywidgets editor for {cls.__name__} (blank on the class, holding the record on "
            "an instance); ``path`` makes Save write there, ``preview`` draws the figure."
        )
        return editor
