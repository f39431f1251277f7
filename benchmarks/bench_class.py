"""A lecture hall on one laptop: N students (default 150) open the join link at the same moment and go
through every page of the questionnaire to the result, against a real ``dxlab class serve`` on loopback.

Measured: time to the first page (the join form, the first interactive page: it works without JavaScript),
every page after it (each POST with its redirect counted as one step, as a browser shows it), the server's
resident memory (sampled every 0.2 s: peak, after the class, after 5 s idle and after a second class) and
its CPU seconds per student. Targets (issue 16): first page p90 < 1 s, later pages p90 < 300 ms, memory
< 300 MB, no growth after the class ends.

Peer: the former Voila class server (one kernel per student). Voila is no longer a dependency; when it is
still installed, ``python -m benchmarks.bench_class --voila N`` measures N real Chromium pages opening it
at once (time until the questionnaire's Submit button is on screen) — kept small because each student costs
a ~190 MB kernel. Run: ``python -m benchmarks class`` or ``python -m benchmarks.bench_class [--students N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Self

import psutil

from dxlab.questionnaire.web._process import ClassServerProcess
from dxlab.questionnaire.web._simulate import StudentRun, form_fields

SERVER_MS: list[float] = []  # the app's own time per later step, all students


class RawClient:
    """A minimal HTTP/1.1 client on one keep-alive connection, with cookies and 303 redirects.

    The load generator shares two cores with the server: httpx spends a few milliseconds of Python per
    request, so 150 httpx clients would measure mostly themselves. This one spends a fraction of that.
    """

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.server_ms = 0.0  # the app's own time for the last step (Server-Timing), redirect included

    async def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """Send one request (following a 303 to its GET); returns (status, final path, body)."""
        from urllib.parse import urlencode

        self.server_ms = 0.0
        while True:
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            body = urlencode(form).encode() if form is not None else b""
            head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
            if form is not None:
                head.append("Content-Type: application/x-www-form-urlencoded")
            if self.cookies:
                head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
            try:
                status, headers, text = await self._read()
            except (ConnectionError, asyncio.IncompleteReadError, IndexError):
                # The server closed an idle keep-alive connection (as it does after 5 s): reconnect, as
                # browsers do. Safe to resend: the request never reached a handler on a closed connection.
                self.close()
                self.writer = None
                continue
            self.server_ms += float(headers.get("server-timing", "app;dur=0").rpartition("=")[2])
            if status in (301, 302, 303):
                method, path, form = "GET", headers["location"], None
                continue
            return status, path, text

    async def _read(self) -> tuple[int, dict[str, str], str]:
        assert self.reader is not None
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
            headers[name] = value
        body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, headers, body.decode("utf-8")

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def simulate_student(base: str, code: str, choose, timeout: float = 300, think=None) -> StudentRun:
    """What :func:`dxlab.questionnaire.web._simulate.simulate_student` does, on :class:`RawClient`."""
    host, port = base.removeprefix("http://").rsplit(":", 1)
    client = RawClient(host, int(port))
    run = StudentRun()
    server_ms = SERVER_MS

    async def step(method: str, path: str, form: dict[str, str] | None = None, first: bool = False):
        if think is not None and not first:
            await asyncio.sleep(think())  # reading the page before answering it
        start = time.perf_counter()
        status, where, text = await client.request(method, path, form)
        elapsed = time.perf_counter() - start
        if first:
            run.first_page = elapsed
        else:
            run.later_pages.append(elapsed)
            server_ms.append(client.server_ms)
        if status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {status}")
        return where, text

    try:
        _, text = await step("GET", f"/?code={code}", first=True)
        csrf, _ = form_fields(text)
        await step("POST", "/join", {"csrf": csrf, "code": code})
        where, text = await step("POST", "/q/0", {"csrf": csrf, "sector": "J", "size": "small", "go": "next"})
        while where.startswith("/q/"):
            csrf, radios = form_fields(text)
            if not radios:
                break
            answers = {name: str(choose(name, levels)) for name, levels in radios.items()}
            where, text = await step("POST", where, {"csrf": csrf, "go": "next", **answers})
        where, _ = await step("POST", "/submit", {"csrf": csrf})
        if where != "/result":
            raise RuntimeError(f"submit ended on {where}")
    finally:
        client.close()
    return run


class MemorySampler:
    """Peak resident memory (MB) of a process and its children, sampled every 0.2 s in a thread."""

    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def rss(self) -> float:
        procs = [self.process, *self.process.children(recursive=True)]
        total = 0
        for proc in procs:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total / 2**20

    def cpu(self) -> float:
        times = self.process.cpu_times()
        return times.user + times.system

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.2)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


async def _hall(base: str, code: str, students: int, paced: bool = False):
    import random

    rng = random.Random(16)

    def chooser(i: int):
        return lambda criterion, levels: levels[(i + len(criterion)) % len(levels)]

    think = (lambda: rng.uniform(2.0, 6.0)) if paced else None
    return await asyncio.gather(*(simulate_student(base, code, chooser(i), timeout=300, think=think)
                                  for i in range(students)))


def run_web(students: int, paced: bool) -> dict:
    """One class of ``students`` against ``dxlab class serve`` (full rubric: 8 pages), then a second one.

    ``paced``: each student reads each page 2–6 s before answering (all still join at the same moment);
    otherwise every student answers at once (a stress test: latency then measures throughput).
    """
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-class-") as folder:
        args = ["--port", "0", "--store", f"{folder}/hall.sqlite", "--class-code", "BENCH1"]
        with ClassServerProcess(args, cwd=folder, log=f"{folder}/server.log") as server, \
                MemorySampler(server.pid) as memory:
            idle = memory.rss()
            cpu0 = memory.cpu()
            start = time.perf_counter()
            SERVER_MS.clear()
            runs = asyncio.run(_hall(server.base_url, "BENCH1", students, paced))
            wall = time.perf_counter() - start
            in_app = sorted(SERVER_MS)
            cpu = memory.cpu() - cpu0
            after = memory.rss()
            time.sleep(5)
            rested = memory.rss()
            asyncio.run(_hall(server.base_url, "BENCH1", students, paced))  # the next class, same server
            second = memory.rss()
    first = [r.first_page for r in runs]
    later = [t for r in runs for t in r.later_pages]
    return {"students": students, "first_p50": statistics.median(first), "first_p90": p90(first),
            "later_p50": statistics.median(later), "later_p90": p90(later), "wall_s": wall,
            "app_p50_ms": statistics.median(in_app), "app_p90_ms": p90(in_app),
            "cpu_s_per_student": cpu / students, "rss_idle_mb": idle, "rss_peak_mb": memory.peak,
            "rss_after_mb": after, "rss_rested_mb": rested, "rss_second_class_mb": second}


def _wait_for(url: str, server, timeout: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"voila exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"voila did not answer on {url} within {timeout:g} s")


def run_voila(students: int) -> dict | None:
    """N Chromium pages opening the former Voila app at once; ``None`` when Voila is not installed."""
    try:
        import voila  # noqa: F401
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import subprocess

    from dxlab.questionnaire.web._serve import bind

    source = ("import os\nfrom dxlab.questionnaire import Questionnaire, ResponseStore\n"
              "Questionnaire('mobifone-dx', store=ResponseStore(os.environ['DXLAB_STORE']))")
    notebook = {"cells": [{"cell_type": "code", "execution_count": None, "id": "q", "metadata": {}, "outputs": [],
                           "source": source}],
                "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    with tempfile.TemporaryDirectory(prefix="dxlab-bench-voila-") as folder:
        path = Path(folder) / "q.ipynb"
        path.write_text(json.dumps(notebook), encoding="utf-8")
        sock = bind("127.0.0.1", 0)
        port = sock.getsockname()[1]
        sock.close()
        env = {**os.environ, "DXLAB_STORE": f"{folder}/voila.sqlite"}
        server = subprocess.Popen([sys.executable, "-m", "voila", str(path), f"--port={port}", "--no-browser",
                                   "--Voila.ip=127.0.0.1"],
                                  cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            _wait_for(f"http://127.0.0.1:{port}/voila/static/", server)
            with MemorySampler(server.pid) as memory, sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=[
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run"])
                pages = [browser.new_page() for _ in range(students)]
                start = time.perf_counter()
                for page in pages:
                    page.goto(f"http://127.0.0.1:{port}/", wait_until="commit")
                times = []
                deadline = start + 180
                for page in pages:
                    try:
                        left = max(1.0, deadline - time.perf_counter())
                        page.wait_for_selector("button.dxlab-submit, .dxlab-submit button", timeout=left * 1000)
                        times.append(time.perf_counter() - start)
                    except Exception:  # noqa: BLE001 -- a blank page forever counts as a failure
                        times.append(float("inf"))
                browser.close()
        finally:
            import signal

            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    return {"students": students, "first_p50": statistics.median(times), "first_p90": p90(times),
            "failed": sum(t == float("inf") for t in times), "rss_peak_mb": memory.peak,
            "shown_s": sorted(round(t, 1) for t in times if t != float("inf"))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=150)
    parser.add_argument("--voila", type=int, default=0, help="also open the former Voila app with N browsers")
    args = parser.parse_args(argv if argv is not None else [])
    for paced in (True, False):
        web = run_web(args.students, paced)
        how = "reading each page 2–6 s" if paced else "no reading time: every step at once (stress)"
        print(f"dxlab class serve, {web['students']} students joining at once, {how}; full rubric, 8 pages:")
        print(f"  first page      p50 {web['first_p50']:.3f} s   p90 {web['first_p90']:.3f} s   (target p90 < 1 s)")
        print(f"  later pages     p50 {web['later_p50'] * 1000:.0f} ms  p90 {web['later_p90'] * 1000:.0f} ms  "
              f"(target p90 < 300 ms)")
        print(f"  of which in app p50 {web['app_p50_ms']:.0f} ms  p90 {web['app_p90_ms']:.0f} ms  (Server-Timing: "
              f"handler and writer; the rest is the network stack and waiting for a CPU)")
        print(f"  whole class     {web['wall_s']:.1f} s wall, server CPU {web['cpu_s_per_student']:.3f} s per student")
        print(f"  server memory   idle {web['rss_idle_mb']:.0f} MB, peak {web['rss_peak_mb']:.0f} MB, after the class "
              f"{web['rss_after_mb']:.0f} MB, 5 s later {web['rss_rested_mb']:.0f} MB, after a second class "
              f"{web['rss_second_class_mb']:.0f} MB (target < 300 MB, no growth)")
        print(f"  machine load    {os.getloadavg()[0]:.1f} (1-min load average on {os.cpu_count()} cores)", flush=True)
    if not args.voila:
        print("former Voila server: not measured (voila is no longer a dependency; with voila installed, run "
              "`python -m benchmarks.bench_class --voila 10`)")
        return
    voila = run_voila(args.voila)
    if voila is None:
        print("former Voila server: not installed, nothing to measure")
        return
    print(f"former Voila server, {voila['students']} browsers at once: first interactive page p50 "
          f"{voila['first_p50']:.1f} s, p90 {voila['first_p90']:.1f} s, {voila['failed']} never showed the form "
          f"within 180 s (the others after {voila['shown_s']} s); peak memory {voila['rss_peak_mb']:.0f} MB")


if __name__ == "__main__":
    main(sys.argv[1:])
