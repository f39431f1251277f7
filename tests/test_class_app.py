"""The class web app in-process (Starlette's test client): the student's path, identity, CSRF, limits,
the teacher's view, exports and the texts. The real server under load and in a browser is tested in
test_class_load.py and test_browser_questionnaire.py."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd
import pytest

import dxlab
from dxlab.questionnaire import ResponseStore
from dxlab.questionnaire.web import ClassSettings, create_app
from dxlab.questionnaire.web._simulate import form_fields

warnings.filterwarnings("ignore", message=".*httpx.*")
from starlette.testclient import TestClient  # noqa: E402 -- after silencing its import-time warning

RUBRIC = dxlab.load_rubric("mobifone-dx")
DIMS = ("CUS", "STR")
ASKED = [c.id for d in RUBRIC.dimensions if d.id in DIMS for c in d.criteria]
TEACHER = "T" * 32
CODE = "ABC234"


def settings(path: Path, **extra) -> ClassSettings:
    return ClassSettings(RUBRIC, ResponseStore(path), CODE, TEACHER, base_url="http://testserver", wave="K66",
                         dimensions=DIMS, **extra)


@pytest.fixture()
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "class.sqlite"


@pytest.fixture()
def app(store_path):
    with TestClient(create_app(settings(store_path))) as client:
        yield client


def new_client(client: TestClient) -> TestClient:
    """Another browser on the same server (its own cookies)."""
    return TestClient(client.app)


def csrf_of(client: TestClient, path: str = "/") -> str:
    return form_fields(client.get(path).text)[0]


def join(client: TestClient) -> tuple[str, str]:
    """Join the class; returns (resume link, answer code)."""
    page = client.post("/join", data={"csrf": csrf_of(client, f"/?code={CODE}"), "code": CODE.lower()})
    assert page.status_code == 200
    link = found(r'id="resume-link" class="link" value="([^"]+)"', page.text)
    return link, found(r'data-code="([A-Z0-9]+)"', page.text)


def found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def fill(client: TestClient, levels: dict[str, int], *, name: str = "Công ty A") -> None:
    token = csrf_of(client, "/q/0")
    assert client.post("/q/0", data={"csrf": token, "sector": "J", "size": "small", "enterprise_name": name,
                                     "go": "next"}, follow_redirects=False).status_code == 303
    for index in range(1, len(DIMS) + 1):
        token, radios = form_fields(client.get(f"/q/{index}").text)
        answer = client.post(f"/q/{index}", data={"csrf": token, "go": "next",
                                                  **{c: str(levels[c]) for c in radios}}, follow_redirects=False)
        assert answer.status_code == 303, answer.text


def submit(client: TestClient):
    return client.post("/submit", data={"csrf": csrf_of(client, "/q/3")}, follow_redirects=False)


def test_a_student_joins_fills_every_page_submits_and_sees_the_result(app, store_path):
    link, code = join(app)
    assert re.fullmatch(r"http://testserver/r/[A-Za-z0-9_-]{32}", link)  # 24 random bytes = 192 bits
    levels = {c: 4 if c.startswith("CUS") else 2 for c in ASKED}
    fill(app, levels)
    assert submit(app).headers["location"] == "/result"
    page = app.get("/result").text
    # Oracle by hand: CUS all level 4 → 4.00, STR all level 2 → 2.00; overall = mean of the two groups'
    # dimension scores weighted equally = 3.00 → level 3 "Hình thành".
    assert "4,00" in page and "2,00" in page and "3 · Hình thành" in page and "3,00" in page
    assert "<svg class=\"radar\"" in page and "STR.VIS.1" in page  # the radar and a next step toward level 4
    frame = ResponseStore(store_path).to_frame(RUBRIC)
    assert frame["enterprise_id"].tolist() == [code] and frame["wave"].tolist() == ["K66"]
    assert frame[ASKED].iloc[0].tolist() == [levels[c] for c in ASKED]
    assert frame["enterprise_name"].tolist() == ["Công ty A"]


def test_a_double_submit_is_stored_once_and_a_change_makes_version_two(app, store_path):
    join(app)
    fill(app, {c: 3 for c in ASKED})
    submit(app)
    submit(app)  # a second click, or a resent form
    assert len(ResponseStore(store_path)) == 1
    fill(app, {c: 5 for c in ASKED})
    submit(app)
    every = ResponseStore(store_path).to_frame(RUBRIC, latest_only=False)
    assert every["version"].tolist() == [1, 2] and every["CUS.ENG.1"].tolist() == [3, 5]


def test_answers_survive_a_new_browser_and_a_restarted_server(store_path):
    with TestClient(create_app(settings(store_path))) as client:
        link, _ = join(client)
        token, _ = form_fields(client.get("/q/1").text)
        client.post("/q/1", data={"csrf": token, "go": "back", "CUS.ENG.1": "2", "pct.CUS.ENG.3": "65"})
        cookies = dict(client.cookies)
    with TestClient(create_app(settings(store_path))) as same_browser:  # the server restarts mid-page
        same_browser.cookies.update(cookies)
        kept = same_browser.post("/q/1", data={"csrf": token, "go": "stay", "CUS.ENG.2": "5"})
        assert kept.status_code == 204  # the form opened before the restart still submits
    with TestClient(create_app(settings(store_path))) as other:  # a new server process on the same store
        assert other.get(link.replace("http://testserver", ""), follow_redirects=False).status_code == 303
        page = other.get("/q/1").text
        assert re.search(r'name="CUS.ENG.1" value="2" checked', page)
        assert re.search(r'name="CUS.ENG.2" value="5" checked', page)
        # 65 % falls in the 60–80 % band of CUS.ENG.3 (rubric bounds 20/40/60/80) → level 4, checked.
        assert re.search(r'name="CUS.ENG.3" value="4" checked', page) and 'value="65,0"' in page


def test_next_refuses_an_incomplete_page_and_says_what_is_missing(app):
    join(app)
    token = csrf_of(app, "/q/0")
    page = app.post("/q/0", data={"csrf": token, "go": "next", "sector": "J"})
    assert page.status_code == 400 and 'href="#f-size"' in page.text
    app.post("/q/0", data={"csrf": token, "go": "next", "size": "micro"})
    page = app.post("/q/1", data={"csrf": token, "go": "next", "CUS.ENG.1": "3", "pct.CUS.ENG.3": "abc"})
    assert page.status_code == 400
    assert "#f-CUS-ENG-2" in page.text and "tỷ lệ phải là số từ 0 đến 100" in page.text
    bad_level = app.post("/q/1", data={"csrf": token, "go": "next", "CUS.ENG.1": "9"})
    assert bad_level.status_code == 400 and "mức không hợp lệ" in bad_level.text
    assert submit(app).status_code == 400  # the review page refuses an incomplete questionnaire


def test_a_second_student_cannot_read_or_change_the_first_students_answers(app, store_path):
    join(app)
    fill(app, {c: 5 for c in ASKED}, name="Bí mật của A")
    submit(app)
    intruder = new_client(app)
    join(intruder)
    for path in ("/q/0", "/q/1", "/result"):
        assert "Bí mật của A" not in intruder.get(path).text
    assert 'value="5" checked' not in intruder.get("/q/1").text
    fill(intruder, {c: 1 for c in ASKED}, name="B")
    submit(intruder)
    frame = ResponseStore(store_path).to_frame(RUBRIC).set_index("enterprise_name")
    assert frame.loc["Bí mật của A", ASKED].tolist() == [5] * len(ASKED)
    assert frame.loc["B", ASKED].tolist() == [1] * len(ASKED)
    # A made-up or stolen-looking cookie is nobody: back to the join page, no answers shown.
    stranger = new_client(app)
    stranger.cookies.set("dxs", "x" * 32)
    assert stranger.get("/q/1", follow_redirects=False).headers["location"] == "/"


def test_every_post_without_a_valid_csrf_token_is_refused(app, store_path):
    join(app)
    for path, data in (("/join", {"code": CODE}), ("/q/1", {"CUS.ENG.1": "1", "go": "next"}), ("/submit", {}),
                       ("/teacher/open", {"open": "0"}), ("/teacher/reset", {"code": "X"})):
        assert app.post(path, data=data).status_code == 403
        assert app.post(path, data={**data, "csrf": "0" * 64}).status_code == 403
    other = new_client(app)  # a token from another browser does not fit this browser's nonce
    assert app.post("/q/1", data={"csrf": csrf_of(other), "CUS.ENG.1": "1"}).status_code == 403
    assert 'value="1" checked' not in app.get("/q/1").text


def test_wrong_codes_and_bad_links_are_rate_limited(store_path):
    with TestClient(create_app(settings(store_path, failure_limit=(3, 1.0)))) as client:
        token = csrf_of(client)
        assert [client.post("/join", data={"csrf": token, "code": "WRONG1"}).status_code for _ in range(4)] == \
            [400, 400, 400, 429]
        other = new_client(client)
        # The same address (all test clients share one): resume guesses are limited by the same bucket.
        assert other.get("/r/" + "A" * 32).status_code == 429


def test_the_teacher_needs_the_token_and_sees_the_class_live(app):
    assert app.get("/teacher").status_code == 403
    assert app.get("/teacher/live").status_code == 403
    assert app.get("/t/" + "X" * 32).status_code == 404
    teacher = new_client(app)
    assert teacher.get(f"/t/{TEACHER}").status_code == 200
    assert teacher.get("/teacher/live").json()["submitted"] == 0
    join(app)
    fill(app, {c: 4 for c in ASKED}, name="<script>alert(1)</script>")
    assert teacher.get("/teacher/live").json()["joined"] == 1
    submit(app)
    live = teacher.get("/teacher/live").json()
    assert (live["joined"], live["submitted"]) == (1, 1)
    page = teacher.get("/teacher").text
    assert "#01" in page and "segno" in page and CODE in page
    named = teacher.get("/teacher?named=1").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in named and "<script>alert(1)" not in named


def test_the_teacher_closes_and_reopens_the_class(app):
    teacher = new_client(app)
    teacher.get(f"/t/{TEACHER}")
    join(app)
    late = new_client(app)
    late_token = csrf_of(late)
    token = csrf_of(teacher, "/teacher")
    teacher.post("/teacher/open", data={"csrf": token, "open": "0"})
    assert app.post("/q/1", data={"csrf": csrf_of(app, "/q/1"), "CUS.ENG.1": "2"}).status_code == 403
    assert "Lớp đã đóng" in app.get("/q/1").text  # still readable, marked closed
    assert late.post("/join", data={"csrf": late_token, "code": CODE}).status_code == 403
    teacher.post("/teacher/open", data={"csrf": token, "open": "1"})
    assert late.post("/join", data={"csrf": late_token, "code": CODE}).status_code == 200


def test_the_teacher_resets_a_student_with_a_new_link(app):
    old_link, code = join(app)
    fill(app, {c: 2 for c in ASKED})
    teacher = new_client(app)
    teacher.get(f"/t/{TEACHER}")
    page = teacher.post("/teacher/reset", data={"csrf": csrf_of(teacher, "/teacher"), "code": code})
    new_link = found(r'id="resume-link" class="link" value="([^"]+)"', page.text)
    assert new_link != old_link
    phone = new_client(app)
    assert phone.get(old_link.replace("http://testserver", "")).status_code == 404
    assert app.get("/q/1", follow_redirects=False).headers["location"] == "/"  # the old cookie is dead too
    phone.get(new_link.replace("http://testserver", ""))
    assert 'name="CUS.ENG.1" value="2" checked' in phone.get("/q/1").text  # the answers were kept


def test_exports_are_this_class_only_and_formula_safe(app, store_path):
    ResponseStore(store_path).import_frame(pd.DataFrame({"enterprise_id": ["OTHER"], "CUS.ENG.1": [1]}), RUBRIC)
    join(app)
    fill(app, {c: 3 for c in ASKED}, name='=HYPERLINK("http://x")')
    submit(app)
    teacher = new_client(app)
    teacher.get(f"/t/{TEACHER}")
    csv = teacher.get("/teacher/export.csv")
    assert csv.headers["content-disposition"] == f'attachment; filename="class-{CODE}.csv"'
    assert "'=HYPERLINK" in csv.text and "OTHER" not in csv.text
    assert teacher.get("/teacher/export.xlsx").content[:2] == b"PK"
    parquet = teacher.get("/teacher/export.parquet").content
    import io

    back = pd.read_parquet(io.BytesIO(parquet))
    assert back["enterprise_name"].tolist() == ["'=HYPERLINK(\"http://x\")"] and back["CUS.ENG.1"].tolist() == [3]
    assert teacher.get("/teacher/export.exe").status_code == 404


def test_security_headers_and_no_jupyter_endpoints(app):
    page = app.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert page.headers["x-frame-options"] == "DENY" and page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store" and page.headers["x-content-type-options"] == "nosniff"
    assert "httponly" in page.headers["set-cookie"].lower()
    for path in ("/api/kernels", "/voila/api/shutdown/x", "/api/kernels/x/channels", "/tree", "/lab"):
        assert app.get(path).status_code == 404
    assert app.post("/join", content=b"x" * 300_000,
                    headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 413


def test_language_switch_and_no_open_redirect(app):
    assert "Mã lớp" in app.get("/").text
    switched = app.get("/lang/en?next=/", follow_redirects=False)
    assert switched.headers["location"] == "/"
    assert "Class code" in app.get("/").text and 'lang="en"' in app.get("/").text
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        assert app.get(f"/lang/vi?next={target}", follow_redirects=False).headers["location"] == "/"
