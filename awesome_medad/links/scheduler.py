"""A host-aware work scheduler: global limit, per-host limit, per-host pacing.

Why not a plain thread pool over URLs: a pool of N workers blocks as soon as
N of them sit on one slow or rate-limited host, and "sleep then retry" inside
a worker holds a slot for nothing.  Here a worker only ever performs *one*
request (a :class:`Job` step); waiting is bookkeeping, not sleeping:

* each host has its own queue, an in-flight count (``<= per_host``), a
  ``next_start`` time (``--host-interval`` pacing) and a ``ready_at`` time
  (host-wide back-off after 429/503 ``Retry-After``);
* a step returns :class:`Done` or :class:`Again` (retry after a delay, or the
  next hop of a redirect, possibly on another host); delayed jobs wait in a
  heap, not in a thread;
* the dispatcher (the calling thread) starts the startable host with the
  most remaining work (queued + running, times its observed latency, divided
  by its limit): the critical path first, so one big or slow host is never
  started last and the run ends as close as possible to
  ``max(total work / global limit, slowest host's work / per-host limit)``.

A backed-off host therefore never blocks the others: its jobs stay queued
while every free slot goes to hosts that are ready.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol


class Job(Protocol):
    """One unit of work; ``host`` may change between steps (redirects)."""

    @property
    def host(self) -> str: ...

    def step(self) -> Step: ...


@dataclass(frozen=True)
class Done:
    """The job is finished with ``value``."""

    value: Any


@dataclass(frozen=True)
class Again:
    """Run the job again: after ``delay``; ``host_delay`` holds back its whole host."""

    delay: float = 0.0
    host_delay: float = 0.0


Step = Done | Again


class _Host:
    """Book-keeping for one host (``name:port``)."""

    __slots__ = ("name", "limit", "interval", "queue", "in_flight", "ready_at", "next_start",
                 "latency")

    def __init__(self, name: str, limit: int, interval: float) -> None:
        self.name = name
        self.limit = limit
        self.interval = interval
        self.queue: deque[Job] = deque()
        self.in_flight = 0
        self.ready_at = 0.0  # host-wide back-off (Retry-After)
        self.next_start = 0.0  # pacing: the last start plus the interval
        self.latency = -1.0  # moving average of step time; < 0 until measured

    def work(self) -> float:
        """Estimated seconds of work left on this host at full per-host parallelism."""
        latency = self.latency if self.latency >= 0 else 1.0
        return (len(self.queue) + self.in_flight) * latency / self.limit

    def free_at(self) -> float:
        return max(self.ready_at, self.next_start)

    def record(self, seconds: float) -> None:
        self.latency = seconds if self.latency < 0 else 0.8 * self.latency + 0.2 * seconds


class Scheduler:
    """Runs :class:`Job` steps on a thread pool under global and per-host limits."""

    def __init__(self, concurrency: int, limit_for: Callable[[str], int],
                 interval_for: Callable[[str], float],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.concurrency = max(1, concurrency)
        self._limit_for = limit_for
        self._interval_for = interval_for
        self._clock = clock
        self._cond = threading.Condition()
        self._hosts: dict[str, _Host] = {}
        self._active: set[_Host] = set()  # hosts with queued jobs
        self._delayed: list[tuple[float, int, Job]] = []
        self._seq = itertools.count()
        self._pending = 0  # jobs added and not yet done
        self._running = 0
        self._error: BaseException | None = None

    def add(self, job: Job) -> None:
        """Queue a new job; safe from any thread, also while :meth:`run` is running."""
        with self._cond:
            self._pending += 1
            self._enqueue(job, front=False)
            self._cond.notify_all()

    def run(self, on_done: Callable[[Job, Any], None]) -> None:
        """Run until every job (including ones added meanwhile) is done.

        ``on_done(job, value)`` is called from worker threads; it may add jobs.
        An exception raised by a step or by ``on_done`` stops dispatching and
        is re-raised here once the running steps have ended.
        """
        pool = ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="medad-link")
        try:
            with self._cond:
                while self._pending and self._error is None:
                    now = self._clock()
                    self._promote(now)
                    self._dispatch(now, pool, on_done)
                    self._cond.wait(self._wait_time(now))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._error is not None:
            raise self._error

    # -- inside the lock -------------------------------------------------------------------

    def _host(self, name: str) -> _Host:
        host = self._hosts.get(name)
        if host is None:
            host = _Host(name, max(1, self._limit_for(name)), max(0.0, self._interval_for(name)))
            self._hosts[name] = host
        return host

    def _enqueue(self, job: Job, front: bool) -> None:
        host = self._host(job.host)
        if front:
            host.queue.appendleft(job)
        else:
            host.queue.append(job)
        self._active.add(host)

    def _promote(self, now: float) -> None:
        """Move delayed jobs whose time has come back to the front of their host's queue."""
        while self._delayed and self._delayed[0][0] <= now:
            _, _, job = heapq.heappop(self._delayed)
            self._enqueue(job, front=True)

    def _dispatch(self, now: float, pool: ThreadPoolExecutor,
                  on_done: Callable[[Job, Any], None]) -> None:
        while self._running < self.concurrency:
            host = self._best(now)
            if host is None:
                return
            job = host.queue.popleft()
            if not host.queue:
                self._active.discard(host)
            host.in_flight += 1
            host.next_start = now + host.interval
            self._running += 1
            pool.submit(self._work, host, job, on_done)

    def _best(self, now: float) -> _Host | None:
        best: _Host | None = None
        best_work = -1.0
        for host in self._active:
            if host.in_flight < host.limit and host.free_at() <= now:
                work = host.work()
                if work > best_work:
                    best, best_work = host, work
        return best

    def _wait_time(self, now: float) -> float | None:
        """Seconds until something may become startable; ``None``: until a step ends."""
        times = [self._delayed[0][0]] if self._delayed else []
        if self._running < self.concurrency:
            times.extend(h.free_at() for h in self._active if h.in_flight < h.limit)
        if not times:
            return None
        return max(0.0, min(times) - now)

    # -- in a worker ---------------------------------------------------------------------

    def _work(self, host: _Host, job: Job, on_done: Callable[[Job, Any], None]) -> None:
        started = self._clock()
        outcome: Step | BaseException
        try:
            outcome = job.step()
            if isinstance(outcome, Done):
                on_done(job, outcome.value)
        except BaseException as exc:  # noqa: BLE001 - handed to run() and re-raised there
            outcome = exc
        self._finish(host, job, outcome, self._clock() - started)

    def _finish(self, host: _Host, job: Job, outcome: Step | BaseException,
                elapsed: float) -> None:
        with self._cond:
            host.in_flight -= 1
            self._running -= 1
            host.record(elapsed)
            if isinstance(outcome, Again):
                now = self._clock()
                if outcome.host_delay > 0:
                    host.ready_at = max(host.ready_at, now + outcome.host_delay)
                if outcome.delay > 0:
                    heapq.heappush(self._delayed, (now + outcome.delay, next(self._seq), job))
                else:
                    self._enqueue(job, front=True)
            else:
                self._pending -= 1
                if isinstance(outcome, BaseException) and self._error is None:
                    self._error = outcome
            self._cond.notify_all()
