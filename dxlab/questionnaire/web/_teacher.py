"""The teacher's pages: the live class view, the join QR code, exports, close/reopen, reset a student.

Every route but ``/t/<token>`` needs the ``dxt`` cookie that link sets (a 192-bit token printed when the
server starts, compared by hash in constant time). Students are anonymised (``#01``… in joining order)
unless the teacher asks for ``?named=1``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from anyio import to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..._i18n import tr
from ...io import neutralise_frame, write_csv, write_xlsx
from ._app import Web
from ._security import token_hash
from ._summary import ClassView
from ._svg import LEVEL_COLORS, radar_svg, stacked_bar_svg

__all__ = ["routes"]

_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def qr_svg(text: str) -> str:
    """The QR code of ``text`` as an inline SVG (segno)."""
    import segno

    return str(segno.make(text, error="m").svg_inline(scale=5, dark="#000000", light="#ffffff"))


def routes(web: Web) -> list[Route]:
    """The teacher routes bound to ``web``."""

    def refused(request: Request) -> Response:
        return web.message(request, "teacher_only", 403)

    async def enter(request: Request) -> Response:
        token = request.path_params["token"]
        if len(token) > 100 or token_hash(token) != web.teacher_hash:
            if not web.failures.allow(web.client(request)):
                return web.message(request, "rate_limited", 429)
            return web.message(request, "bad_link", 404)
        response = web.finish(request, RedirectResponse("/teacher", status_code=303))
        response.set_cookie("dxt", token, httponly=True, samesite="strict", path="/teacher")
        return response

    async def page(request: Request) -> Response:
        if not web.is_teacher(request):
            return refused(request)
        named = request.query_params.get("named") == "1"
        view = await to_thread.run_sync(web.live.current)
        return web.render(
            request,
            "teacher.html",
            qr=qr_svg(web.settings.join_url),
            join_url=web.settings.join_url,
            class_code=web.settings.class_code,
            named=named,
            store=str(web.settings.store.path),
            **_live_context(web, view, web.lang(request), named),
        )

    async def live(request: Request) -> Response:
        if not web.is_teacher(request):
            return JSONResponse({"error": "teacher only"}, status_code=403)
        named = request.query_params.get("named") == "1"
        view = await to_thread.run_sync(web.live.current)
        lang = web.lang(request)
        html = web.env.get_template("teacher_live.html").render(
            t=lambda key, **v: tr(f"classroom.{key}", lang, **v),
            lang=lang,
            named=named,
            csrf=web.csrf.token(web.nonce(request)),
            level_label=lambda v: web.asked.level_label(v, lang),
            **_live_context(web, view, lang, named),
        )
        return JSONResponse({"joined": view.joined, "submitted": view.submitted, "open": view.is_open, "html": html})

    async def switch(request: Request) -> Response:
        if not web.is_teacher(request):
            return refused(request)
        form = await request.form(max_files=0, max_fields=10)
        if not web.csrf_ok(request, form):
            return web.message(request, "csrf", 403)
        await web.state.writer.run(web.state.open_job(form.get("open") == "1"))
        return web.finish(request, RedirectResponse("/teacher", status_code=303))

    async def reset(request: Request) -> Response:
        if not web.is_teacher(request):
            return refused(request)
        form = await request.form(max_files=0, max_fields=10)
        if not web.csrf_ok(request, form):
            return web.message(request, "csrf", 403)
        code = str(form.get("code", ""))[:20]
        if code not in web.state.by_code:
            return web.message(request, "not_found", 404)
        token, student = await web.state.writer.run(web.state.reset_job(code))
        link = f"{web.settings.base_url}/r/{token}"
        return web.render(request, "teacher_reset.html", link=link, qr=qr_svg(link), student=student)

    async def export(request: Request) -> Response:
        if not web.is_teacher(request):
            return refused(request)
        kind = request.path_params["kind"]
        if kind not in _TYPES:
            return web.message(request, "not_found", 404)
        body = await to_thread.run_sync(_export, web, kind)
        name = f"class-{web.settings.class_code}.{kind}"
        return Response(
            body, media_type=_TYPES[kind], headers={"Content-Disposition": f'attachment; filename="{name}"'}
        )

    return [
        Route("/t/{token}", enter),
        Route("/teacher", page),
        Route("/teacher/live", live),
        Route("/teacher/open", switch, methods=["POST"]),
        Route("/teacher/reset", reset, methods=["POST"]),
        Route("/teacher/export.{kind}", export),
    ]


def _export(web: Web, kind: str) -> bytes:
    """This class's latest submissions in the store's wide shape; CSV and XLSX formula-neutralised."""
    frame = web.settings.store.to_frame(web.rubric)
    frame = frame[frame["enterprise_id"].isin(list(web.state.by_code))].reset_index(drop=True)
    with tempfile.TemporaryDirectory(prefix="dxlab-export-") as folder:
        path = Path(folder) / f"class.{kind}"
        if kind == "csv":
            write_csv(frame, path)
        elif kind == "xlsx":
            write_xlsx(frame, path)
        else:
            neutralise_frame(frame).to_parquet(path, index=False)
        return path.read_bytes()


def _live_context(web: Web, view: ClassView, lang: str, named: bool) -> dict:
    """What the live part of the teacher's page shows, figures drawn as SVG."""
    levels = list(web.asked.level_values)
    dims = web.asked.dimensions
    radar = radar_svg(
        [d.id for d in dims],
        [(tr("classroom.class_median", lang), [view.medians[d.id] for d in dims], "#2b6cb0")],
        low=min(levels),
        high=max(levels),
        target=web.settings.target,
        target_label=tr("classroom.target_ring", lang, level=web.settings.target),
        title=tr("classroom.class_radar", lang),
    )
    bars = [
        (d, stacked_bar_svg(view.dimensions[d.id], title=f"{d.id}: {view.dimensions[d.id]}"), view.dimensions[d.id])
        for d in dims
    ]
    likert = [
        (c, stacked_bar_svg(view.criteria[c.id], title=f"{c.id}: {view.criteria[c.id]}"))
        for d in dims
        for c in d.criteria
    ]
    width = max(2, len(str(len(view.students))))
    rows = [(s.code if named else f"#{i:0{width}d}", s) for i, s in enumerate(view.students, start=1)]
    return {
        "view": view,
        "radar": radar,
        "bars": bars,
        "likert": likert,
        "rows": rows,
        "levels": levels,
        "overall_bar": stacked_bar_svg(view.overall, title=str(view.overall)),
        "pages": web.pages,
        "target": web.settings.target,
        "colors": LEVEL_COLORS,
    }
