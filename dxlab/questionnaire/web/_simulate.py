"""Simulated students for load tests, benchmarks and screenshots: join → every page → submit → result.

Each student is one :class:`httpx.AsyncClient` (its own cookies) doing what a browser without JavaScript
does: read each form, post it, follow the redirect. The time of every request is recorded, with the first
page (the join form) apart from the pages after it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

__all__ = ["StudentRun", "form_fields", "simulate_student"]

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')
_RADIO = re.compile(r'type="radio" id="[^"]+" name="([^"]+)" value="(\d+)"')


@dataclass
class StudentRun:
    """What one simulated student saw: timings in seconds, their code and their submitted levels."""

    first_page: float = 0.0
    later_pages: list[float] = field(default_factory=list)
    code: str = ""
    levels: dict[str, int] = field(default_factory=dict)
    resume_link: str = ""


def form_fields(html: str) -> tuple[str, dict[str, list[int]]]:
    """The CSRF token of a page and its radio groups (criterion id → levels offered)."""
    match = _CSRF.search(html)
    if not match:
        raise ValueError("the page has no CSRF token")
    radios: dict[str, list[int]] = {}
    for name, value in _RADIO.findall(html):
        radios.setdefault(name, []).append(int(value))
    return match.group(1), radios


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise ValueError(f"the page does not match {pattern!r}")
    return match.group(1)


async def _timed(run: StudentRun, call, *args, first: bool = False, **kwargs) -> httpx.Response:
    start = time.perf_counter()
    response = await call(*args, **kwargs)
    elapsed = time.perf_counter() - start
    if first:
        run.first_page = elapsed
    else:
        run.later_pages.append(elapsed)
    if response.status_code >= 400:
        raise RuntimeError(f"{response.request.method} {response.request.url.path}: HTTP {response.status_code}")
    return response


async def simulate_student(
    base_url: str,
    class_code: str,
    choose: Callable[[str, list[int]], int],
    *,
    sector: str = "J",
    size: str = "small",
    timeout: float = 60.0,
) -> StudentRun:
    """One student from the join page to the result page; ``choose(criterion, levels)`` picks each answer."""
    run = StudentRun()
    # verify=False: plain HTTP on loopback, and it spares each client loading the CA bundle (~100 ms of CPU).
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, follow_redirects=True, verify=False) as client:
        page = await _timed(run, client.get, f"/?code={class_code}", first=True)
        csrf, _ = form_fields(page.text)
        page = await _timed(run, client.post, "/join", data={"csrf": csrf, "code": class_code})
        run.resume_link = _find(r'id="resume-link" class="link" value="([^"]+)"', page.text)
        run.code = _find(r'data-code="([A-Z0-9]+)"', page.text)
        page = await _timed(run, client.get, "/q/0")
        page = await _timed(run, client.post, "/q/0", data={"csrf": csrf, "sector": sector, "size": size, "go": "next"})
        while "/q/" in page.url.path:
            csrf, radios = form_fields(page.text)
            if not radios:  # the review page
                break
            answers = {name: choose(name, levels) for name, levels in radios.items()}
            run.levels.update(answers)
            page = await _timed(
                run,
                client.post,
                page.url.path,
                data={"csrf": csrf, "go": "next", **{k: str(v) for k, v in answers.items()}},
            )
        page = await _timed(run, client.post, "/submit", data={"csrf": csrf})
        if page.url.path != "/result":
            raise RuntimeError(f"submit ended on {page.url.path}, not /result")
    return run
