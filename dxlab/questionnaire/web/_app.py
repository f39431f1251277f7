"""The class web application: settings, shared helpers and the Starlette app factory.

One process, one event loop: pages are rendered from memory (:class:`~._state.ClassState`), every change
is handed to the writer thread, every result to the scorer thread, so no request waits on another's disk
write or pandas call. Cookies: ``dxs`` (a student's resume token), ``dxt`` (the teacher's token, only sent to
``/teacher``), ``dxn`` (the random nonce CSRF tokens are bound to), ``dxlang`` (the chosen language).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..._i18n import check_lang, fmt_int, fmt_number, fmt_percent, tr
from ...rubric import Rubric
from .._store import ResponseStore
from ._results import StudentResult, score_many
from ._security import SECURITY_HEADERS, CsrfSigner, RateLimiter, token_hash
from ._state import ClassState, Student
from ._summary import LiveSummary
from ._worker import BatchWorker

__all__ = ["ClassSettings", "Web", "asked_rubric", "create_app"]

_NONCE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_MAX_BODY = 256 * 1024
COOKIE_DAYS = 60


def asked_rubric(rubric: Rubric, dimensions: tuple[str, ...]) -> Rubric:
    """``rubric`` restricted to ``dimensions`` (all when empty); same id, so submissions stay comparable."""
    if not dimensions:
        return rubric
    known = [d.id for d in rubric.dimensions]
    unknown = [d for d in dimensions if d not in known]
    if unknown:
        raise ValueError(
            f"dimensions must be ids of rubric {rubric.id!r} ({', '.join(known)}); got {', '.join(map(repr, unknown))}"
        )
    return replace(rubric, dimensions=tuple(d for d in rubric.dimensions if d.id in dimensions))


@dataclass(frozen=True)
class ClassSettings:
    """What a class server asks, where it saves, and its credentials.

    ``teacher_token`` opens the teacher's page (``/t/<token>``); ``base_url`` is where students reach the
    server (used in the printed and shown links).
    """

    rubric: Rubric
    store: ResponseStore
    class_code: str
    teacher_token: str
    base_url: str = "http://127.0.0.1:8000"
    lang: str = "vi"
    wave: str = ""
    dimensions: tuple[str, ...] = ()
    target: int = 4
    join_limit: tuple[int, float] = (400, 400.0)
    failure_limit: tuple[int, float] = (10, 10.0)

    @property
    def join_url(self) -> str:
        return f"{self.base_url}/?code={self.class_code}"

    @property
    def teacher_url(self) -> str:
        return f"{self.base_url}/t/{self.teacher_token}"


class Web:
    """Everything the handlers share: settings, the class state, workers, limits and templates."""

    def __init__(self, settings: ClassSettings):
        self.settings = settings
        self.rubric = settings.rubric
        self.asked = asked_rubric(settings.rubric, settings.dimensions)
        self.pages = len(self.asked.dimensions) + 2  # profile, one per dimension, review
        settings.store.record_rubric(settings.rubric)
        self.state = ClassState(settings.store, settings.class_code)
        # The CSRF key is kept with the class, so forms opened before a server restart still submit.
        self.csrf = CsrfSigner(self.state.csrf_key)
        self.scorer = BatchWorker("scorer", self._score)
        self.results: dict[str, StudentResult] = {}
        self.live = LiveSummary(self.state, self.asked)
        self.joins = RateLimiter(*settings.join_limit)
        self.failures = RateLimiter(*settings.failure_limit)
        self.teacher_hash = token_hash(settings.teacher_token)
        self.env = Environment(
            loader=PackageLoader("dxlab.questionnaire.web", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def _score(self, jobs: Sequence[Mapping[str, int | None]]) -> list[StudentResult]:
        return score_many(self.asked, jobs, target=self.settings.target)

    def close(self) -> None:
        self.scorer.close()
        self.state.close()

    # -- request helpers -------------------------------------------------------------------------------
    def lang(self, request: Request) -> str:
        chosen = request.cookies.get("dxlang", "")
        return chosen if chosen in ("vi", "en") else self.settings.lang

    def student(self, request: Request) -> Student | None:
        token = request.cookies.get("dxs", "")
        if not token or len(token) > 100:
            return None
        return self.state.students.get(token_hash(token))

    def is_teacher(self, request: Request) -> bool:
        token = request.cookies.get("dxt", "")
        return bool(token) and len(token) <= 100 and secrets.compare_digest(token_hash(token), self.teacher_hash)

    def nonce(self, request: Request) -> str:
        found = request.cookies.get("dxn", "")
        if _NONCE.match(found):
            return found
        if not hasattr(request.state, "new_nonce"):
            request.state.new_nonce = secrets.token_urlsafe(24)
        return str(request.state.new_nonce)

    def csrf_ok(self, request: Request, form: Any) -> bool:
        return self.csrf.check(request.cookies.get("dxn"), form.get("csrf"))

    @staticmethod
    def client(request: Request) -> str:
        return request.client.host if request.client else "?"

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = check_lang(context.pop("lang", None) or self.lang(request))

        def t(key: str, **values: Any) -> str:
            return tr(f"classroom.{key}", lang, **values)

        page = self.env.get_template(template).render(
            t=t,
            lang=lang,
            csrf=self.csrf.token(self.nonce(request)),
            rubric=self.asked,
            title=self.asked.title.get(lang),
            num=lambda x, d=2: fmt_number(x, lang, d),
            count=lambda x: fmt_int(x, lang),
            pct=lambda x: fmt_percent(x, lang),
            here=request.url.path,
            level_label=lambda v: self.asked.level_label(v, lang),
            **context,
        )
        response = HTMLResponse(page, status_code=status)
        self.finish(request, response)
        return response

    def finish(self, request: Request, response: Response) -> Response:
        if hasattr(request.state, "new_nonce"):
            response.set_cookie(
                "dxn", request.state.new_nonce, max_age=COOKIE_DAYS * 86400, httponly=True, samesite="lax"
            )
        return response

    def message(self, request: Request, key: str, status: int, **values: Any) -> HTMLResponse:
        """A page with one sentence (``classroom.<key>``) and a way back."""
        return self.render(request, "message.html", status, message_key=key, values=values)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS`, ``Cache-Control`` and ``Server-Timing`` to every response; refuses
    request bodies over 256 kB."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > _MAX_BODY:
            await Response("Request too large", 413)(scope, receive, send)
            return
        static = scope["path"].startswith("/static/")
        start = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # The time this request spent in the app (queueing for the writer included), for benchmarks.
                headers.append((b"server-timing", f"app;dur={(time.perf_counter() - start) * 1000:.1f}".encode()))
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                cache = b"public, max-age=3600" if static else b"no-store"
                headers.append((b"cache-control", cache))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: ClassSettings) -> Starlette:
    """The class server as an ASGI app (serve it with uvicorn; ``app.state.web`` is its :class:`Web`)."""
    from contextlib import asynccontextmanager
    from importlib import resources

    from . import _student, _teacher

    web = Web(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        web.close()

    static = StaticFiles(directory=str(resources.files("dxlab.questionnaire.web") / "static"))
    routes = [*_student.routes(web), *_teacher.routes(web), Mount("/static", app=static, name="static")]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        lifespan=lifespan,
        exception_handlers={
            404: lambda r, e: web.message(r, "not_found", 404),
            405: lambda r, e: web.message(r, "not_found", 405),
        },
    )
    app.state.web = web
    return app
