"""The class web app in a real browser: Debian's headless Chromium, driven by Playwright, against
``dxlab class serve`` on 127.0.0.1 — a phone-sized window (390 × 844) fills in the whole questionnaire with
JavaScript on, and again with JavaScript off; the store then holds exactly what was clicked; the teacher's
page (polling) shows each new submission within 5 s.

Never ``playwright install``: only the system Chromium is used, and the test skips, saying why, where that
browser or the playwright package is missing.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import dxlab
from dxlab.questionnaire import ResponseStore
from dxlab.questionnaire.web._process import ClassServerProcess

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RUBRIC = dxlab.load_rubric("mobifone-dx")
PHONE = {"width": 390, "height": 844}
CODE = "PHONE1"


def chosen(criterion: str, offset: int) -> int:
    return (sum(map(ord, criterion)) + offset) % 5 + 1


@pytest.fixture(scope="module")
def sync_playwright():
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not found at {CHROMIUM}: install Debian's `chromium` package (.ci/run does) "
                    f"to run the browser test")
    module = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    return module.sync_playwright


@pytest.fixture(scope="module")
def server(sync_playwright, tmp_path_factory):
    folder = tmp_path_factory.mktemp("class-app")
    args = ["--port", "0", "--store", str(folder / "class.sqlite"), "--class-code", CODE, "--wave", "K66"]
    with ClassServerProcess(args, cwd=folder, log=folder / "server.log") as running:
        yield running, folder / "class.sqlite"


@pytest.fixture(scope="module")
def browser(sync_playwright):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def go_next(page) -> None:
    with page.expect_navigation():
        page.click("button[name=go][value=next]")


def fill_everything(page, base: str, offset: int) -> dict[str, int]:
    """Join and answer every page by clicking, as a student does; returns the levels clicked."""
    page.goto(f"{base}/?code={CODE}")
    assert page.input_value("#code") == CODE
    page.click("button[type=submit]")
    link = page.input_value("#resume-link")
    assert link.startswith(f"{base}/r/")
    page.click("a.button[href='/q/0']")
    page.select_option("#sector", "C")
    page.check("input[name=size][value=medium]")
    page.fill("#enterprise_name", "Nhóm <b>4</b>")
    go_next(page)
    clicked: dict[str, int] = {}
    while page.locator("fieldset[data-criterion]").count():
        for box in page.locator("fieldset[data-criterion]").all():
            name = box.locator("input[type=radio]").first.get_attribute("name")
            level = chosen(name, offset)
            box.locator(f"input[type=radio][value='{level}']").check()
            clicked[name] = level
        go_next(page)
    assert page.locator("form[action='/submit']").is_visible()
    page.click("form[action='/submit'] button[type=submit]")
    page.wait_for_url("**/result")
    return clicked


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_a_phone_fills_in_the_whole_questionnaire(server, browser, javascript):
    running, store_path = server
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(30_000)
    offset = 1 if javascript else 3
    clicked = fill_everything(page, running.base_url, offset)
    assert len(clicked) == len(RUBRIC.criterion_ids)
    assert page.locator(".level-badge").is_visible() and page.locator("svg.radar").is_visible()
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    code = page.locator("p.saved").inner_text().split()[3].rstrip(",")
    frame = ResponseStore(store_path, readonly=True).to_frame(RUBRIC).set_index("enterprise_id")
    assert frame.loc[code, list(clicked)].astype(int).to_dict() == clicked
    assert frame.loc[code, "enterprise_name"] == "Nhóm <b>4</b>" and frame.loc[code, "sector"] == "C"
    context.close()


def test_a_reload_loses_nothing_and_the_teacher_sees_a_submission_within_5_s(server, browser):
    running, _ = server
    teacher = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    teacher.goto(running.teacher_url)
    before = int(teacher.locator("[data-submitted]").inner_text())

    student = browser.new_context(viewport=PHONE).new_page()
    student.goto(f"{running.base_url}/?code={CODE}")
    student.click("button[type=submit]")
    student.goto(f"{running.base_url}/q/1")
    student.check("input[name='CUS.ENG.1'][value='2']")
    assert student.get_attribute("[data-answered]", "data-answered") == "1"  # the count follows the clicks
    assert f"1/{len(RUBRIC.criterion_ids)}" in student.inner_text("[data-answered]")
    time.sleep(1)  # the change is saved at once (JavaScript) …
    student.reload()  # … so a reload, or a dropped connection, keeps it
    assert student.is_checked("input[name='CUS.ENG.1'][value='2']")

    student.goto(f"{running.base_url}/q/0")
    student.select_option("#sector", "J")
    student.check("input[name=size][value=small]")
    go_next(student)
    while student.locator("fieldset[data-criterion]").count():
        for box in student.locator("fieldset[data-criterion]").all():
            box.locator("input[type=radio][value='3']").check()
        go_next(student)
    student.click("form[action='/submit'] button[type=submit]")
    student.wait_for_url("**/result")
    submitted_at = time.monotonic()
    from playwright.sync_api import expect

    expect(teacher.locator("[data-submitted]")).to_have_text(str(before + 1), timeout=5_000)  # no reload
    assert time.monotonic() - submitted_at < 5
