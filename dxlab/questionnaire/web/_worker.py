"""One thread that does a kind of work for the whole server, in batches, off the event loop.

The class server has two: the *writer* (every change to the store goes through it, so SQLite sees one
writer and 200 simultaneous submissions become a few transactions instead of 200 contending ones) and the
*scorer* (results are scored by :func:`dxlab.score` many students at a time, so a class submitting at once
costs a few pandas calls instead of one per student). A request hands its job over and awaits the answer;
the event loop keeps serving pages meanwhile.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

__all__ = ["BatchWorker"]

_STOP = object()


class BatchWorker:
    """Run ``process(jobs) -> results`` on batches of up to ``batch`` queued jobs in one thread.

    ``process`` returns one result per job, or an exception instance for a job that failed alone; an
    exception raised by ``process`` itself fails the whole batch.
    """

    def __init__(self, name: str, process: Callable[[Sequence[Any]], Sequence[Any]], *, batch: int = 200):
        self.name, self._process, self._batch = name, process, batch
        self._queue: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"dxlab-{name}", daemon=True)
        self._thread.start()

    def submit(self, job: Any) -> Future:
        future: Future = Future()
        self._queue.put((job, future))
        return future

    async def run(self, job: Any) -> Any:
        """Queue ``job`` and wait for its result without blocking the event loop."""
        return await asyncio.wrap_future(self.submit(job))

    def call(self, job: Any, timeout: float = 60.0) -> Any:
        """Queue ``job`` and wait for its result (for code outside the event loop)."""
        return self.submit(job).result(timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Finish the queued jobs, then stop the thread."""
        self._queue.put((_STOP, None))
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            jobs = [self._queue.get()]
            while len(jobs) < self._batch:
                try:
                    jobs.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = any(job is _STOP for job, _ in jobs)
            work = [(job, future) for job, future in jobs if job is not _STOP]
            if work:
                self._finish(work)
            if stop:
                return

    def _finish(self, work: list[tuple[Any, Future]]) -> None:
        try:
            results = list(self._process([job for job, _ in work]))
        except Exception as exc:  # noqa: BLE001 -- the whole batch failed: every waiter hears why
            for _, future in work:
                future.set_exception(exc)
            return
        for (_, future), result in zip(work, results, strict=True):
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
