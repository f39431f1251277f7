"""Screenshots of the class web app in Vietnamese for the README (docs/img/class-*.png).

Starts ``dxlab class serve`` on loopback with a fresh store, lets 24 simulated students (fixed seed) fill in
the questionnaire so the teacher's page has something to show, then photographs with Debian's Chromium:
the join page, a dimension page and the result page on a phone (390 × 844), a dimension page on a laptop
(1280 × 800), and the teacher's page. Run: ``python scripts/class_screenshots.py``.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
from pathlib import Path

from dxlab.questionnaire.web._process import ClassServerProcess
from dxlab.questionnaire.web._simulate import simulate_student

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


async def _class(base: str, code: str, n: int = 24) -> None:
    rng = random.Random(7)
    bias = [rng.choice([2, 3, 3, 4]) for _ in range(n)]

    def chooser(i: int):
        return lambda name, levels: max(min(levels), min(max(levels), bias[i] + rng.choice([-1, 0, 0, 1])))

    await asyncio.gather(*(simulate_student(base, code, chooser(i)) for i in range(n)))


def _next(page) -> None:
    with page.expect_navigation():
        page.click("button[name=go][value=next]")


def _student_pages(browser, base: str, code: str) -> None:
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1)
    page = phone.new_page()
    page.goto(f"{base}/?code={code}")
    page.screenshot(path=str(OUT / "class-join-phone.png"))
    page.click("button[type=submit]")
    page.click("a.button[href='/q/0']")
    page.select_option("#sector", "J")
    page.check("input[name=size][value=small]")
    _next(page)
    page.check("input[name='CUS.ENG.1'][value='3']")
    page.screenshot(path=str(OUT / "class-dimension-phone.png"))
    laptop = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    laptop.add_cookies(phone.cookies())
    other = laptop.new_page()
    other.goto(f"{base}/q/1")
    other.screenshot(path=str(OUT / "class-dimension-laptop.png"))
    for box in page.locator("fieldset[data-criterion]").all():
        box.locator("input[type=radio]").nth(2).check()
    _next(page)
    while page.locator("fieldset[data-criterion]").count():
        for box in page.locator("fieldset[data-criterion]").all():
            box.locator("input[type=radio]").nth(3).check()
        _next(page)
    page.click("form[action='/submit'] button[type=submit]")
    page.wait_for_url("**/result")
    page.screenshot(path=str(OUT / "class-result-phone.png"), full_page=True)


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        args = ["--port", "0", "--store", f"{folder}/class.sqlite", "--class-code", "K66CDS", "--wave", "K66"]
        with ClassServerProcess(args, cwd=folder, log=f"{folder}/server.log") as server:
            asyncio.run(_class(server.base_url, "K66CDS"))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                _student_pages(browser, server.base_url, "K66CDS")
                teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                teacher.goto(server.teacher_url)
                teacher.screenshot(path=str(OUT / "class-teacher.png"), full_page=True)
                browser.close()
    for path in sorted(OUT.glob("class-*.png")):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
