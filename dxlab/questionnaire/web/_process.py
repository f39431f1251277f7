"""``dxlab class serve`` in a child process, for tests, benchmarks and screenshots.

Starts the real command in its own process group, waits until it prints the teacher's link (the last line
before serving), reads the join and teacher URLs from its output, and stops exactly that group on exit.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Self

__all__ = ["ClassServerProcess"]

_URL = re.compile(r"(http://\S+)")


class ClassServerProcess:
    """A running ``dxlab class serve ARGS`` (use as a context manager).

    Attributes ``join_url``, ``teacher_url``, ``base_url`` and ``pid`` are set once it serves.
    """

    def __init__(self, args: Sequence[str], *, cwd: str | Path, log: str | Path, timeout: float = 60.0):
        self.args, self.cwd, self.log, self.timeout = list(args), Path(cwd), Path(log), timeout
        self.process: subprocess.Popen | None = None
        self.join_url = self.teacher_url = self.base_url = ""

    def __enter__(self) -> Self:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with open(self.log, "w", encoding="utf-8") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "dxlab.cli", "class", "serve", *self.args],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=self.cwd,
                env=env,
                start_new_session=True,
            )
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dxlab class serve exited with {self.process.returncode}:\n{self.output()}")
            urls = _URL.findall(self.output())
            teacher = [u for u in urls if "/t/" in u]
            if teacher:
                self.join_url = next(u for u in urls if "?code=" in u)
                self.teacher_url = teacher[0]
                self.base_url = self.join_url.split("/?code=")[0]
                if self._answers():
                    return
            time.sleep(0.1)
        raise RuntimeError(f"dxlab class serve did not start within {self.timeout:g} s:\n{self.output()}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.base_url + "/static/app.css", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8") if self.log.exists() else ""

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def stop(self) -> None:
        """Stop the server's process group (SIGTERM, then SIGKILL after 15 s)."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def __exit__(self, *exc: object) -> None:
        self.stop()
