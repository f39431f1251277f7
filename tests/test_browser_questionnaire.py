"""The classroom web app in a real browser: Debian's headless Chromium, driven by Playwright, against
``dxlab questionnaire`` (Voila) on 127.0.0.1 — fill in the whole questionnaire, submit, see the result,
check the store; then come back with the code, edit, and submit a second version.

The server is started by this test in its own process group and always stopped (its Voila kernels exit with
it). Never ``playwright install``: only the system Chromium is used, and the test skips, saying why, where
that browser is not installed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

import dxlab
from dxlab.questionnaire import ResponseStore
from dxlab.questionnaire._app import free_port

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
RUBRIC = dxlab.load_rubric("mobifone-dx")
PERCENT_CRITERION, PERCENT_TYPED, PERCENT_LEVEL = "CUS.ENG.3", "65", 4   # 60 ≤ 65 ≤ 80 → level 4


def chosen_levels() -> dict[str, int]:
    """The answers the test clicks: a different level pattern across criteria; the percentage one typed."""
    levels = {c: i % 5 + 1 for i, c in enumerate(RUBRIC.criterion_ids)}
    levels[PERCENT_CRITERION] = PERCENT_LEVEL
    return levels


def css(criterion_id: str) -> str:
    return ".dxlab-crit-" + criterion_id.replace(".", "-")


@pytest.fixture(scope="module")
def sync_playwright():
    if not CHROMIUM.exists():
        pytest.skip(f"headless Chromium not found at {CHROMIUM}: install Debian's `chromium` package (.ci/run does) "
                    f"to run the browser test")
    module = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    return module.sync_playwright


@pytest.fixture(scope="module")
def app(sync_playwright, tmp_path_factory):
    folder = tmp_path_factory.mktemp("voila-app")
    store_path = folder / "class.sqlite"
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log_path = folder / "server.log"
    with open(log_path, "w", encoding="utf-8") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "dxlab.cli", "questionnaire", "--store", str(store_path), "--port", str(port),
             "--wave", "K66"], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder,
            start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"dxlab questionnaire exited with {server.returncode}:\n{log_path.read_text()}")
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Voila did not answer on {url} within 90 s:\n{log_path.read_text()}")
            time.sleep(0.3)
        assert f"open {url}" in log_path.read_text()  # the chosen port is printed for the teacher
        yield url, store_path
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)  # its own process group: the server started here, nothing else
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


@pytest.fixture(scope="module")
def browser(sync_playwright):
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_form(browser, url):
    page = browser.new_page(viewport={"width": 1200, "height": 1400})
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector(".dxlab-submit button, button.dxlab-submit")
    return page


def submit_and_wait(page, previous: str = "") -> str:
    page.locator("button.dxlab-submit").click()
    page.wait_for_function(
        "prev => { const s = document.querySelector('.dxlab-status');"
        " return s && s.innerText.includes('NHOM') && s.innerText !== prev; }", arg=previous)
    page.wait_for_function("() => { const r = document.querySelector('.dxlab-result');"
                           " return r && r.innerText.length > 20; }")
    return page.locator(".dxlab-status").inner_text()


def test_fill_submit_see_result_and_store(app, browser):
    url, store_path = app
    levels = chosen_levels()
    page = open_form(browser, url)
    try:
        assert page.locator(".dxlab-crit").count() == len(RUBRIC.criterion_ids)
        assert "print(" not in page.content()  # students see the form, not code
        page.locator(".dxlab-field-code input").fill("nhom3")
        page.locator(".dxlab-field-name input").fill("Công ty <i>Thử</i>")
        page.locator(".dxlab-field-sector select").select_option(label="J — Thông tin và truyền thông")
        page.locator(".dxlab-field-size select").select_option(label="Vừa")
        page.locator(".dxlab-field-province input").fill("Hà Nội")
        page.locator(".dxlab-field-role input").fill("Sinh viên")
        for crit_id, level in levels.items():
            if crit_id == PERCENT_CRITERION:
                box = page.locator(f"{css(crit_id)} .dxlab-percent input")
                box.fill(PERCENT_TYPED)
                box.press("Enter")
            else:
                page.locator(f"{css(crit_id)} input[type=radio]").nth(level - 1).check()
        page.locator(f"{css('CUS.EXP.2')} textarea").fill("Ý kiến: cần thêm kênh số")
        page.locator(f"{css('CUS.EXP.2')} textarea").press("Tab")
        radio = page.locator(f"{css(PERCENT_CRITERION)} input[type=radio]").nth(PERCENT_LEVEL - 1)
        radio.wait_for(state="attached")
        page.wait_for_function("n => document.querySelectorAll('.dxlab-crit input[type=radio]:checked').length === n",
                               arg=len(levels))
        assert radio.is_checked()  # the typed percentage selected its band in the browser
        assert f"{len(levels)}/{len(levels)}" in page.locator(".dxlab-progress").first.inner_text()

        status = submit_and_wait(page)
        assert "NHOM3" in status and "phiên bản 1" in status

        # What the page shows is what dxlab scores for these answers.
        expected = dxlab.score(pd.DataFrame({c: pd.array([v], dtype="Int8") for c, v in levels.items()}), RUBRIC)
        overall = expected.overall.iloc[0]
        result = page.locator(".dxlab-result").inner_text()
        assert f"{overall['level']} · {overall['level_label']}" in result
        assert f"{overall['score']:.2f}".replace(".", ",") in result
        assert "Bước tiếp theo" in result
        radar = page.locator("img.dxlab-radar, .dxlab-radar img").first
        radar.wait_for(state="visible")
        assert radar.evaluate("img => img.naturalWidth") > 200  # the PNG decoded in the browser

        frame = ResponseStore(store_path).to_frame(RUBRIC)
        assert len(frame) == 1
        row = frame.iloc[0]
        assert (row["enterprise_id"], row["version"], row["wave"], row["sector"], row["size"]) == \
            ("NHOM3", 1, "K66", "J", "medium")
        assert (row["enterprise_name"], row["province"], row["respondent_role"]) == \
            ("Công ty <i>Thử</i>", "Hà Nội", "Sinh viên")
        assert {c: int(row[c]) for c in RUBRIC.criterion_ids} == levels
        assert row[f"percent.{PERCENT_CRITERION}"] == 65.0
        assert row["comment.CUS.EXP.2"] == "Ý kiến: cần thêm kênh số"

        # The language toggle relabels everything and keeps every answer.
        page.get_by_role("button", name="English").click()
        page.wait_for_function("() => document.querySelector('.dxlab-result').innerText.includes('Overall level')")
        assert f"{overall['level']} · {overall['level_label_en']}" in page.locator(".dxlab-result").inner_text()
        assert page.locator(".dxlab-crit input[type=radio]:checked").count() == len(levels)
    finally:
        page.close()


def test_resume_with_the_code_and_submit_a_new_version(app, browser):
    url, store_path = app
    if len(ResponseStore(store_path)) == 0:
        pytest.skip("needs the submission of test_fill_submit_see_result_and_store")
    levels = chosen_levels()
    page = open_form(browser, url)
    try:
        page.locator(".dxlab-field-code input").fill("Nhom3")
        page.locator("button.dxlab-load").click()
        page.wait_for_function("() => document.querySelector('.dxlab-status').innerText.includes('phiên bản 1')")
        page.wait_for_function("n => document.querySelectorAll('.dxlab-crit input[type=radio]:checked').length === n",
                               arg=len(levels))
        for crit_id in ("CUS.ENG.1", "STR.VIS.1", PERCENT_CRITERION):
            radios = page.locator(f"{css(crit_id)} input[type=radio]")
            assert radios.nth(levels[crit_id] - 1).is_checked()
        assert page.locator(f"{css(PERCENT_CRITERION)} .dxlab-percent input").input_value() == PERCENT_TYPED
        page.locator(f"{css('CUS.ENG.1')} input[type=radio]").nth(4).check()
        page.wait_for_function("() => document.querySelectorAll("
                               "'.dxlab-crit-CUS-ENG-1 input[type=radio]')[4].checked")
        status = submit_and_wait(page, previous=page.locator(".dxlab-status").inner_text())
        assert "phiên bản 2" in status

        store = ResponseStore(store_path)
        every = store.to_frame(RUBRIC, latest_only=False)
        assert every["version"].tolist() == [1, 2]
        assert every["CUS.ENG.1"].tolist() == [levels["CUS.ENG.1"], 5]
        latest = store.to_frame(RUBRIC)
        assert len(latest) == 1 and latest["sector"].tolist() == ["J"]
    finally:
        page.close()
