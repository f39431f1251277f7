"""The class server's parts: batch scoring against the notebook questionnaire's result, the SVG figures
against hand-computed geometry, the security helpers, the writer, the CLI and the text catalogue."""

from __future__ import annotations

import math
import random
import re
import time
from pathlib import Path

import pytest

import dxlab
from dxlab._i18n import catalogue
from dxlab.cli import main
from dxlab.questionnaire import ResponseStore, find_class_store
from dxlab.questionnaire._result import compute_result
from dxlab.questionnaire.web import score_many
from dxlab.questionnaire.web._security import CsrfSigner, RateLimiter, new_class_code, new_token, token_hash
from dxlab.questionnaire.web._svg import INK, LEVEL_COLORS, radar_svg, stacked_bar_svg
from dxlab.questionnaire.web._worker import BatchWorker
from dxlab.sample import synthetic_responses

RUBRIC = dxlab.load_rubric("mobifone-dx")
WEB = Path(dxlab.__file__).parent / "questionnaire" / "web"


def test_batch_scoring_matches_the_notebook_questionnaire_one_by_one():
    rng = random.Random(3)
    answers = [{c: rng.choice([1, 2, 3, 4, 5, None]) for c in RUBRIC.criterion_ids} for _ in range(25)]
    answers += [{c: 5 for c in RUBRIC.criterion_ids}, {c: 4 for c in RUBRIC.criterion_ids},
                {c: None for c in RUBRIC.criterion_ids}]
    for got, levels in zip(score_many(RUBRIC, answers), answers, strict=True):
        oracle = compute_result(RUBRIC, levels)  # the in-notebook questionnaire's result, one at a time
        assert got.level == oracle.overall_level and got.target == oracle.target
        assert (got.score is None) == (oracle.overall_score is None)
        if got.score is not None:
            assert got.score == pytest.approx(oracle.overall_score, abs=1e-12)
        assert [d.level for d in got.dimensions] == list(oracle.dimensions["level"])
        assert [s.criterion for s in got.steps] == oracle.steps["criterion"].tolist()
        assert [s.next_level for s in got.steps] == oracle.steps["next_level"].astype(int).tolist()
    assert score_many(RUBRIC, []) == []


def test_level_colours_are_the_plots_palette_and_text_on_them_is_readable():
    from dxlab.plots import level_colors

    assert list(LEVEL_COLORS) == level_colors(5)

    def luminance(hex_colour: str) -> float:
        def channel(v: int) -> float:
            c = v / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)

    for fill, ink in zip(LEVEL_COLORS, INK, strict=True):  # WCAG 2 contrast ratio, by its definition
        high, low = sorted((luminance(fill), luminance(ink)), reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 4.5, (fill, ink)


def test_radar_points_sit_where_the_scores_say():
    svg = radar_svg(["A", "B", "C", "D"], [("x", [5.0, 1.0, 3.0, None], "#123456")], low=1, high=5, size=200,
                    title="t <&>")
    # size 200 → centre (170, 170), outer radius 90; score s sits at 90·s/5 from the centre.
    # A (up): 5 → (170, 80); B (right): 1 → (188, 170); C (down): 3 → (170, 224); D missing → centre.
    shape = re.search(r'<polygon points="([^"]+)" fill="#123456"', svg).group(1)
    points = [tuple(map(float, p.split(","))) for p in shape.split()]
    expected = [(170, 80), (188, 170), (170, 224), (170, 170)]
    assert all(math.isclose(a, b, abs_tol=0.06) for p, q in zip(points, expected) for a, b in zip(p, q))
    assert "t &lt;&amp;&gt;" in svg and "<&>" not in svg


def test_stacked_bar_widths_are_the_shares():
    svg = stacked_bar_svg([1, 0, 3, 0, 4], title="bar")
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+%" y="0" width="([\d.]+)%"', svg)]
    assert widths == pytest.approx([12.5, 37.5, 50.0])  # 1/8, 3/8, 4/8
    assert 'fill="#eef0f3"' in stacked_bar_svg([0, 0, 0, 0, 0], title="none")


def test_tokens_hashes_codes_and_csrf():
    tokens = {new_token() for _ in range(1000)}
    assert len(tokens) == 1000 and all(len(t) == 32 for t in tokens)  # 24 bytes → 192 bits
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"  # FIPS 180-2
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", new_class_code())
    signer = CsrfSigner.fresh()
    token = signer.token("nonce-1")
    assert signer.check("nonce-1", token) and not signer.check("nonce-2", token)
    assert not CsrfSigner.fresh().check("nonce-1", token) and not signer.check(None, token)


def test_rate_limiter_refills_and_forgets():
    now = [0.0]
    limiter = RateLimiter(3, 60.0, clock=lambda: now[0])  # 3 at once, then one per second
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")
    now[0] += 1.0
    assert limiter.allow("a") and not limiter.allow("a")
    now[0] += 10_000
    for i in range(1001):
        limiter.allow(f"k{i}")
    assert len(limiter) < 1002  # refilled buckets are dropped when the table grows


def test_batch_worker_runs_in_batches_and_reports_failures_per_job():
    sizes: list[int] = []

    def process(jobs):
        sizes.append(len(jobs))
        time.sleep(0.05)
        return [ValueError(j) if j == "bad" else j * 2 for j in jobs]

    worker = BatchWorker("test", process)
    futures = [worker.submit(i) for i in range(20)] + [worker.submit("bad")]
    assert [f.result(10) for f in futures[:20]] == [i * 2 for i in range(20)]
    with pytest.raises(ValueError):
        futures[20].result(10)
    worker.close()
    assert sum(sizes) == 21 and len(sizes) < 21


def test_class_serve_fails_early_and_clearly(tmp_path, capsys):
    store = str(tmp_path / "s.sqlite")
    assert main(["class", "serve", "--rubric", "no-such-rubric", "--store", store]) == 2
    assert "no-such-rubric" in capsys.readouterr().err
    assert main(["class", "serve", "--dimensions", "XYZ", "--store", store]) == 2
    assert "XYZ" in capsys.readouterr().err
    assert main(["class", "serve", "--class-code", "a b", "--store", store]) == 2
    assert "--class-code" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["class", "serve", "--port", "80"])
    assert main(["questionnaire", "--rubric", "no-such-rubric", "--store", store]) == 2
    assert "dxlab class serve" in capsys.readouterr().err  # the former name says where to go


def test_class_results_and_export_read_a_store_read_only(tmp_path, capsys):
    path = tmp_path / "class.sqlite"
    store = ResponseStore(path)
    frame = synthetic_responses(RUBRIC, n=5, seed=1)
    frame.loc[0, "enterprise_name"] = "=1+1"
    store.import_frame(frame, RUBRIC)
    store.record_rubric(RUBRIC)
    assert main(["class", "results", "--store", str(path)]) == 0
    assert "Đã nộp: 5 người" in capsys.readouterr().out
    out = tmp_path / "class.csv"
    assert main(["class", "export", "--store", str(path), str(out)]) == 0
    assert "'=1+1" in out.read_text(encoding="utf-8-sig")
    assert main(["class", "results", "--store", str(tmp_path / "none.sqlite")]) == 1


def test_find_class_store_prefers_the_environment_then_the_newest(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    monkeypatch.delenv("DXLAB_CLASS_STORE", raising=False)
    assert find_class_store(tmp_path) is None
    classes = tmp_path / "data" / "raw" / "classes"
    classes.mkdir()
    old, new = classes / "class-AAAA.sqlite", classes / "class-BBBB.sqlite"
    ResponseStore(old)
    ResponseStore(new)
    import os

    os.utime(old, (1_000, 1_000))
    os.utime(new, (2_000, 2_000))
    for wal in classes.glob("*-wal"):
        os.utime(wal, (0, 0))
    assert find_class_store(tmp_path) == new
    monkeypatch.setenv("DXLAB_CLASS_STORE", str(old))
    assert find_class_store(tmp_path) == old
    monkeypatch.setenv("DXLAB_CLASS_STORE", "demo")
    assert find_class_store(tmp_path) is None
    monkeypatch.setenv("DXLAB_CLASS_STORE", str(tmp_path / "missing.sqlite"))
    with pytest.raises(FileNotFoundError):
        find_class_store(tmp_path)


def test_every_page_text_is_in_the_catalogue_in_both_languages():
    texts = catalogue("classroom")
    used = set()
    for path in [*WEB.glob("*.py"), *(WEB / "templates").glob("*.html"),
                 Path(dxlab.__file__).parent / "questionnaire" / "_cli.py"]:
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\b_?t\(["']([a-z_]+)["']""", source))
        used |= set(re.findall(r"""classroom\.([a-z_]+)""", source))
        used |= {f"join_{k}" for k in ("closed", "wrong_code")} | {f"error_{k}" for k in re.findall(
            r'"(not_answered|bad_level|bad_percent|bad_comment|bad_text|bad_choice|required)"', source)}
        used |= set(re.findall(r'say\("([a-z_]+)"', source)) | set(re.findall(r'message\(request, "([a-z_]+)"', source))
    used = {k for k in used if not k.endswith("_")}  # prefixes of keys built in templates
    missing = {k for k in used if f"classroom.{k}" not in texts}
    assert not missing, missing
    unused = {k.split(".", 1)[1] for k in texts} - used
    assert not unused, unused
    for key, pair in texts.items():
        assert pair["vi"].strip() and pair["en"].strip(), key
    # Vietnamese really is Vietnamese: most texts carry its diacritics.
    diacritics = r"[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]"
    marked = [k for k, p in texts.items() if re.search(diacritics, p["vi"], re.IGNORECASE)]
    assert len(marked) > 0.9 * len(texts)
