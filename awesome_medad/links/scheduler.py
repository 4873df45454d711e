"""A host-aware work scheduler: global limit, per-host limit, per-host pacing.

Why not a plain thread pool over URLs: a pool of N workers blocks as soon as
N of them sit on one slow or rate-limited host, and "sleep then retry" inside
a worker holds a slot for nothing.  Here a worker only ever performs *one*
request (a :class:`Job` step) at a time; waiting is bookkeeping, not sleeping:

* each host has its own queue, an in-flight count (``<= per_host``), a
  ``next_start`` time (``--host-interval`` pacing) and a ``ready_at`` time
  (host-wide back-off after 429/503 ``Retry-After``);
* a step returns :class:`Done` or :class:`Again` (retry after a delay, or the
  next hop of a redirect, possibly on another host); delayed jobs wait in a
  heap, not in a thread;
* ``concurrency`` workers each loop "pick the startable host with the most
  remaining work (queued + running, times its observed latency, divided by
  its limit), run one step of its next job, record the result": the
  critical path first, so one big or slow host is never started last and
  the run ends as close as possible to ``max(total work / global limit,
  slowest host's work / per-host limit)``.

A backed-off host therefore never blocks the others: its jobs stay queued
while every free worker goes to hosts that are ready.

Workers pick their next job themselves, under one lock, as soon as a step
ends.  (The first version had a dispatcher thread hand each job to a thread
pool: two thread wake-ups per request, each of which can wait for the GIL,
kept a slot idle for a few milliseconds per 100 ms answer.)  An idle worker
sleeps on the condition until a job is added or requeued, or until the time
the next delayed job or paced host becomes startable.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable
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
    """Runs :class:`Job` steps on ``concurrency`` worker threads under per-host limits."""

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
        self._error: BaseException | None = None
        self._on_done: Callable[[Job, Any], None] = lambda job, value: None
        self._workers: list[threading.Thread] = []

    def add(self, job: Job) -> None:
        """Queue a new job; safe from any thread, also while :meth:`run` is running."""
        with self._cond:
            self._pending += 1
            self._enqueue(job, front=False)
            self._cond.notify()

    def run(self, on_done: Callable[[Job, Any], None]) -> None:
        """Run until every job (including ones added meanwhile) is done.

        ``on_done(job, value)`` is called from worker threads; it may add jobs.
        An exception raised by a step or by ``on_done`` stops the workers and
        is re-raised here once the running steps have ended.
        """
        self.start(on_done)
        self.join()

    def start(self, on_done: Callable[[Job, Any], None]) -> None:
        """Start the workers and return at once (:meth:`join` waits for the end)."""
        self._on_done = on_done
        self._workers = [threading.Thread(target=self._worker, name=f"medad-link-{i}",
                                          daemon=True) for i in range(self.concurrency)]
        for worker in self._workers:
            worker.start()

    def join(self) -> None:
        """Wait until every job is done; re-raise the first exception of a step."""
        for worker in self._workers:
            worker.join()
        if self._error is not None:
            raise self._error

    # -- a worker ------------------------------------------------------------------------

    def _worker(self) -> None:
        taken = self._take()
        while taken is not None:
            host, job = taken
            started = self._clock()
            outcome: Step | BaseException
            try:
                outcome = job.step()
                if isinstance(outcome, Done):
                    self._on_done(job, outcome.value)
            except BaseException as exc:  # noqa: BLE001 - handed to run() and re-raised there
                outcome = exc
            taken = self._finish_and_take(host, job, outcome, self._clock() - started)

    def _take(self) -> tuple[_Host, Job] | None:
        with self._cond:
            return self._next()

    def _finish_and_take(self, host: _Host, job: Job, outcome: Step | BaseException,
                         elapsed: float) -> tuple[_Host, Job] | None:
        with self._cond:
            self._finish(host, job, outcome, elapsed)
            return self._next()

    # -- inside the lock -------------------------------------------------------------------

    def _next(self) -> tuple[_Host, Job] | None:
        """The next step to run, waiting for one; ``None`` when the run is over."""
        while self._pending and self._error is None:
            now = self._clock()
            self._promote(now)
            host = self._best(now)
            if host is not None:
                return host, self._start(host, now)
            self._cond.wait(self._wait_time(now))
        self._cond.notify_all()  # over: wake the idle workers so they end too
        return None

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

    def _start(self, host: _Host, now: float) -> Job:
        job = host.queue.popleft()
        if not host.queue:
            self._active.discard(host)
        host.in_flight += 1
        host.next_start = now + host.interval
        return job

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
        """Seconds until something may become startable; ``None``: until notified."""
        times = [self._delayed[0][0]] if self._delayed else []
        times.extend(h.free_at() for h in self._active if h.in_flight < h.limit)
        if not times:
            return None
        return max(0.0, min(times) - now)

    def _finish(self, host: _Host, job: Job, outcome: Step | BaseException,
                elapsed: float) -> None:
        host.in_flight -= 1
        host.record(elapsed)
        if isinstance(outcome, Again):
            now = self._clock()
            if outcome.host_delay > 0:
                host.ready_at = max(host.ready_at, now + outcome.host_delay)
            if outcome.delay > 0:
                heapq.heappush(self._delayed, (now + outcome.delay, next(self._seq), job))
            else:
                self._enqueue(job, front=True)
            # This worker takes one startable job; another may now be waiting (the freed
            # slot and the requeued job), or an idle worker must shorten its timed wait.
            self._cond.notify()
        else:
            self._pending -= 1
            if isinstance(outcome, BaseException) and self._error is None:
                self._error = outcome
