"""The student's pages: join, resume link, one page per dimension, review, submit, result.

Plain HTML forms that work without JavaScript: each POST saves the page's answers and answers with a
redirect (303) to the next page, so reloading never re-sends a form and a dropped connection costs at most
the page being filled in. Identity comes only from the ``dxs`` cookie; no URL names a student.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ...rubric import Criterion
from ...scoring import percent_to_level
from .._validate import LIMITS, Answer, Submission, SubmissionError, clean_text, parse_percent, validate_submission
from .._vsic import PROVINCES, SIZES, VSIC_SECTIONS, roles, sector_name, size_name
from ._app import COOKIE_DAYS, Web
from ._results import StudentResult
from ._security import token_hash
from ._state import PROFILE_FIELDS, Student
from ._svg import radar_svg

__all__ = ["routes"]

_REQUIRED_PROFILE = ("sector", "size")


def _redirect(web: Web, request: Request, path: str) -> Response:
    return web.finish(request, RedirectResponse(path, status_code=303))


def _resume_path(web: Web, student: Student) -> str:
    if student.up_to_date:
        return "/result"
    return f"/q/{min(max(student.page, 0), web.pages - 1)}"


def _set_student(response: Response, token: str) -> None:
    response.set_cookie("dxs", token, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="lax")


def routes(web: Web) -> list[Route]:
    """The student routes bound to ``web``."""

    async def home(request: Request) -> Response:
        student = web.student(request)
        if student is not None:
            return _redirect(web, request, _resume_path(web, student))
        code = request.query_params.get("code", "")[:20]
        return web.render(request, "join.html", code=code, error=None, is_open=web.state.is_open)

    async def join(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=20)
        if not web.csrf_ok(request, form):
            return web.message(request, "csrf", 403)
        student = web.student(request)
        if student is not None:  # a resent form or a second click: the same student, not a new one
            return _redirect(web, request, _resume_path(web, student))
        client = web.client(request)
        if not web.joins.allow(client):
            return web.message(request, "rate_limited", 429)
        code = str(form.get("code", "")).strip().upper()[:20]
        if not web.state.is_open:
            return web.render(request, "join.html", 403, code=code, error="closed", is_open=False)
        if code != web.settings.class_code:
            if not web.failures.allow(client):
                return web.message(request, "rate_limited", 429)
            return web.render(request, "join.html", 400, code=code, error="wrong_code", is_open=True)
        token, student = await web.state.writer.run(web.state.join_job(web.lang(request)))
        response = web.render(request, "welcome.html", link=f"{web.settings.base_url}/r/{token}", student=student)
        _set_student(response, token)
        return response

    async def resume(request: Request) -> Response:
        token = request.path_params["token"]
        student = web.state.students.get(token_hash(token)) if len(token) <= 100 else None
        if student is None:
            if not web.failures.allow(web.client(request)):
                return web.message(request, "rate_limited", 429)
            return web.message(request, "bad_link", 404)
        response = _redirect(web, request, _resume_path(web, student))
        _set_student(response, token)
        return response

    async def language(request: Request) -> Response:
        lang = request.path_params["lang"]
        target = request.query_params.get("next", "/")
        if not target.startswith("/") or target.startswith("//") or "\\" in target:
            target = "/"
        response = _redirect(web, request, target)
        if lang in ("vi", "en"):
            response.set_cookie("dxlang", lang, max_age=COOKIE_DAYS * 86400, samesite="lax")
        return response

    async def page(request: Request) -> Response:
        student = web.student(request)
        if student is None:
            return _redirect(web, request, "/")
        index = request.path_params["index"]
        if not 0 <= index < web.pages:
            return web.message(request, "not_found", 404)
        if request.method == "POST":
            return await _save_page(web, request, student, index)
        return _render_page(web, request, student, index, {})

    async def submit(request: Request) -> Response:
        return await _submit(web, request)

    async def result(request: Request) -> Response:
        student = web.student(request)
        if student is None:
            return _redirect(web, request, "/")
        if not student.has_submitted:
            return _redirect(web, request, _resume_path(web, student))
        outcome = web.results.get(student.response_id)
        if outcome is None:
            outcome = await web.scorer.run(dict(student.submitted))
            web.results[student.response_id] = outcome
        return _render_result(web, request, student, outcome)

    return [
        Route("/", home),
        Route("/join", join, methods=["POST"]),
        Route("/r/{token}", resume),
        Route("/lang/{lang}", language),
        Route("/q/{index:int}", page, methods=["GET", "POST"]),
        Route("/submit", submit, methods=["POST"]),
        Route("/result", result),
    ]


# -- one page -------------------------------------------------------------------------------------------
def _progress(web: Web, student: Student) -> tuple[int, int]:
    asked = web.asked.criterion_ids
    return sum(1 for c in asked if student.answers.get(c, (None,))[0] is not None), len(asked)


def _render_page(
    web: Web,
    request: Request,
    student: Student,
    index: int,
    errors: Mapping[str, str],
    status: int = 200,
    typed: Mapping[str, Any] | None = None,
) -> Response:
    lang = web.lang(request)
    answered, total = _progress(web, student)
    context: dict[str, Any] = {
        "student": student,
        "index": index,
        "pages": web.pages,
        "errors": errors,
        "answered": answered,
        "total": total,
        "typed": typed or {},
        "is_open": web.state.is_open,
    }
    if index == 0:
        context |= {
            "sectors": [(k, sector_name(k, lang)) for k in VSIC_SECTIONS],
            "sizes": [(k, size_name(k, lang)) for k in SIZES],
            "provinces": list(PROVINCES),
            "roles": roles(lang),
        }
        return web.render(request, "profile.html", status, **context)
    if index == web.pages - 1:
        context["dims"] = [
            (i + 1, d, sum(1 for c in d.criteria if student.answers.get(c.id, (None,))[0] is not None))
            for i, d in enumerate(web.asked.dimensions)
        ]
        context["profile_done"] = all(student.profile.get(f) for f in _REQUIRED_PROFILE)
        return web.render(request, "review.html", status, **context)
    context["dim"] = web.asked.dimensions[index - 1]
    context["choices"] = {c.id: _choices(web, c, lang) for c in context["dim"].criteria}
    return web.render(request, "dimension.html", status, **context)


def _choices(web: Web, crit: Criterion, lang: str) -> list[tuple[int, str, str]]:
    """(level, label, descriptor) of each choice, as the notebook questionnaire shows them."""
    from ..._i18n import tr

    if crit.answer == "yes_no":
        return [(crit.yes_level, tr("classroom.yes", lang), ""), (crit.no_level, tr("classroom.no", lang), "")]
    return [(v, web.asked.level_label(v, lang), crit.levels[v].get(lang)) for v in sorted(crit.levels)]


def _read_criterion(
    web: Web, crit: Criterion, form: Any, lang: str
) -> tuple[tuple[int | None, float | None, str] | None, str | None]:
    """The answer a form gives for ``crit`` (``None`` if untouched) and the error key, if any."""
    raw, typed, note = form.get(crit.id), form.get(f"pct.{crit.id}"), form.get(f"note.{crit.id}")
    allowed = (crit.yes_level, crit.no_level) if crit.answer == "yes_no" else tuple(crit.levels)
    level: int | None = None
    if raw not in (None, ""):
        try:
            level = int(str(raw))
        except ValueError:
            return None, "bad_level"
        if level not in allowed:
            return None, "bad_level"
    percent = None
    if crit.answer == "percent_band" and typed not in (None, ""):
        try:
            percent = parse_percent(str(typed))
        except ValueError:
            return None, "bad_percent"
        if percent is not None:
            level = percent_to_level(percent, crit.bounds)
    comment, problems = clean_text(note, "comment", multiline=True)
    if problems:
        return None, "bad_comment"
    if raw is None and typed in (None, "") and note is None:
        return None, None
    return (level, percent, comment), None


async def _save_page(web: Web, request: Request, student: Student, index: int) -> Response:
    form = await request.form(max_files=0, max_fields=600)
    if not web.csrf_ok(request, form):
        return web.message(request, "csrf", 403)
    if not web.state.is_open:
        return web.message(request, "closed", 403)
    go = str(form.get("go", "next"))
    lang = web.lang(request)
    errors: dict[str, str] = {}
    profile: dict[str, str] = {}
    answers: dict[str, tuple[int | None, float | None, str]] = {}
    if index == 0:
        profile, errors = _read_profile(form)
    elif index < web.pages - 1:
        for crit in web.asked.dimensions[index - 1].criteria:
            answer, error = _read_criterion(web, crit, form, lang)
            if error:
                errors[crit.id] = error
            elif answer is not None:
                answers[crit.id] = answer
    if go not in ("back", "stay"):
        errors = _missing(web, {**student.profile, **profile}, {**student.answers, **answers}, index) | errors
    stay = go == "stay" or (bool(errors) and go != "back")
    target = max(0, min(index if stay else index - 1 if go == "back" else index + 1, web.pages - 1))
    try:
        student = await web.state.writer.run(
            web.state.save_job(student, profile=profile, answers=answers, page=target, lang=lang)
        )
    except KeyError:
        return _redirect(web, request, "/")
    if go == "stay":
        return Response(status_code=400 if errors else 204)
    if errors and go != "back":
        return _render_page(web, request, student, index, errors, 400, typed=dict(form))
    return _redirect(web, request, f"/q/{target}")


def _read_profile(form: Any) -> tuple[dict[str, str], dict[str, str]]:
    profile: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in PROFILE_FIELDS:
        value = form.get(name)
        if value is None:
            continue
        text, problems = clean_text(str(value), name, limit=LIMITS.get(name, 20))
        if problems:
            errors[name] = "bad_text"
        elif name == "sector" and text and text not in VSIC_SECTIONS or name == "size" and text and text not in SIZES:
            errors[name] = "bad_choice"
        else:
            profile[name] = text
    return profile, errors


def _missing(web: Web, profile: Mapping[str, str], answers: Mapping[str, Any], index: int) -> dict[str, str]:
    """What page ``index`` still lacks: required profile fields, or unanswered criteria."""
    if index == 0:
        return {f: "required" for f in _REQUIRED_PROFILE if not profile.get(f)}
    if index == web.pages - 1:
        return {}
    crits = web.asked.dimensions[index - 1].criteria
    return {c.id: "not_answered" for c in crits if answers.get(c.id, (None,))[0] is None}


# -- submit and result ----------------------------------------------------------------------------------
async def _submit(web: Web, request: Request) -> Response:
    student = web.student(request)
    if student is None:
        return _redirect(web, request, "/")
    form = await request.form(max_files=0, max_fields=20)
    if not web.csrf_ok(request, form):
        return web.message(request, "csrf", 403)
    if not web.state.is_open:
        return web.message(request, "closed", 403)
    if student.up_to_date:
        return _redirect(web, request, "/result")
    lang = web.lang(request)
    answers = {
        c: Answer(level, percent, comment)
        for c, (level, percent, comment) in student.answers.items()
        if c in web.asked.criterion_ids
    }
    profile = {f: student.profile.get(f, "") for f in PROFILE_FIELDS}
    draft = Submission(
        web.rubric.id,
        str(web.rubric.version),
        enterprise_id=student.code,
        wave=web.settings.wave,
        lang=lang,
        answers=answers,
        **profile,
    )
    try:
        checked = validate_submission(
            draft, web.rubric, required=web.asked.criterion_ids, required_fields=_REQUIRED_PROFILE
        )
    except SubmissionError as exc:
        return _render_page(web, request, student, web.pages - 1, {"submit": "; ".join(exc.messages(lang))}, 400)
    levels = {c: a.level for c, a in checked.answers.items()}
    student, _ = await web.state.writer.run(web.state.submit_job(student, checked, levels))
    if student.response_id not in web.results:
        web.results[student.response_id] = await web.scorer.run(dict(student.submitted))
    return _redirect(web, request, "/result")


def _render_result(web: Web, request: Request, student: Student, outcome: StudentResult) -> Response:
    from ..._i18n import tr

    lang = web.lang(request)
    dims = web.asked.dimensions
    svg = radar_svg(
        [d.id for d in dims],
        [(tr("classroom.your_result", lang), [r.score for r in outcome.dimensions], "#2b6cb0")],
        low=min(web.asked.level_values),
        high=max(web.asked.level_values),
        target=outcome.target,
        target_label=tr("classroom.target_ring", lang, level=outcome.target),
        title=tr("classroom.radar_title", lang),
    )
    rows = [(d, r) for d, r in zip(dims, outcome.dimensions, strict=True)]
    steps = [(s, web.asked.criterion(s.criterion)) for s in outcome.steps]
    return web.render(
        request,
        "result.html",
        student=student,
        outcome=outcome,
        radar=svg,
        rows=rows,
        steps=steps,
        top=max(web.asked.level_values),
        is_open=web.state.is_open,
    )
