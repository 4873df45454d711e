"""The scheduler: global and per-host limits, pacing, and no host holding up the others."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import pytest
from links_support import Handler, Server, delayed, fast_settings, loc, ok, send, sequence, serving

from awesome_medad.links import LinkTarget, LiveCheck, run_link_check
from awesome_medad.links.scheduler import Again, Done, Scheduler, Step


def targets(server: Server, n: int, prefix: str = "/p") -> list[LinkTarget]:
    return [LinkTarget(server.url(f"{prefix}{i}"), (loc(i + 1),)) for i in range(n)]


def test_a_slow_host_does_not_delay_the_others() -> None:
    slow = Server("127.0.0.2", {"*": delayed(1.5, ok())})
    fast = Server("127.0.0.3", {"*": ok()})
    with serving(slow, fast):
        report = run_link_check(targets(slow, 1) + targets(fast, 8),
                                fast_settings(concurrency=2, per_host=1, read_timeout=5.0,
                                              request_deadline=5.0))
    assert set(report.counts()) == {"ok"}
    first_slow_answer = slow.seen[0].at + 1.5
    # All eight fast URLs were checked while the slow host was still answering its first one.
    assert len(fast.seen) == 8
    assert max(s.at for s in fast.seen) < first_slow_answer


def test_a_backed_off_host_does_not_block_the_others() -> None:
    limited = Server("127.0.0.2", {"/x": sequence(
        lambda h: send(h, 429, headers={"Retry-After": "2"}), ok())})
    fast = Server("127.0.0.3", {"*": ok()})
    with serving(limited, fast):
        all_targets = [LinkTarget(limited.url("/x"), (loc(1),)), *targets(fast, 6)]
        report = run_link_check(all_targets, fast_settings(concurrency=1, per_host=1))
    assert set(report.counts()) == {"ok"}
    # One worker only, yet the fast host's URLs ran while the limited host was waiting.
    assert max(s.at for s in fast.seen) < limited.seen[1].at
    assert limited.seen[1].at - limited.seen[0].at >= 1.9


@dataclass
class Gauge:
    """Counts requests being answered at the same time, across servers."""

    now: int = 0
    peak: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def route(self, seconds: float):  # type: ignore[no-untyped-def]
        def answer(h: Handler) -> None:
            with self.lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            time.sleep(seconds)
            with self.lock:
                self.now -= 1
            send(h, 200)
        return answer


def test_per_host_limit_is_respected() -> None:
    gauge = Gauge()
    server = Server("127.0.0.2", {"*": gauge.route(0.1)})
    with serving(server):
        run_link_check(targets(server, 10), fast_settings(concurrency=8, per_host=2))
    assert gauge.peak == 2
    assert len(server.seen) == 10


def test_global_limit_is_respected_across_hosts() -> None:
    gauge = Gauge()
    servers = [Server(f"127.0.0.{i}", {"*": gauge.route(0.1)}) for i in range(2, 6)]
    with serving(*servers):
        all_targets = [t for s in servers for t in targets(s, 4)]
        run_link_check(all_targets, fast_settings(concurrency=3, per_host=3))
    assert gauge.peak == 3


def test_host_interval_spaces_request_starts() -> None:
    server = Server("127.0.0.2", {"*": ok()})
    with serving(server):
        run_link_check(targets(server, 4), fast_settings(per_host=4, host_interval=0.3))
    starts = sorted(s.at for s in server.seen)
    assert all(b - a >= 0.28 for a, b in zip(starts, starts[1:], strict=False))


@dataclass
class CountJob:
    host: str
    steps: int
    log: list[str]
    spawn: Scheduler | None = None

    def step(self) -> Step:
        self.log.append(self.host)
        self.steps -= 1
        if self.steps > 0:
            return Again(delay=0.01)
        if self.spawn is not None:
            self.spawn.add(CountJob("late", 1, self.log))
        return Done(self.host)


def test_scheduler_runs_jobs_added_while_running_and_retries() -> None:
    log: list[str] = []
    done: list[object] = []
    scheduler = Scheduler(2, lambda h: 1, lambda h: 0.0)
    scheduler.add(CountJob("a", 3, log, spawn=scheduler))
    scheduler.add(CountJob("b", 1, log))
    scheduler.run(lambda job, value: done.append(value))
    assert sorted(log) == ["a", "a", "a", "b", "late"]
    assert sorted(map(str, done)) == ["a", "b", "late"]


def test_scheduler_reraises_a_failing_step() -> None:
    class Broken:
        host = "x"

        def step(self) -> Step:
            raise RuntimeError("bug")

    scheduler = Scheduler(2, lambda h: 1, lambda h: 0.0)
    scheduler.add(Broken())
    with pytest.raises(RuntimeError, match="bug"):
        scheduler.run(lambda job, value: None)


def test_live_check_returns_with_requests_in_flight_and_waits_when_iterated() -> None:
    """The lint runner's hook starts the check, so offline rules run while requests wait."""
    release = threading.Event()

    def held(h: Handler) -> None:
        release.wait(10)  # generous: only proves that nothing waits for the answer
        send(h, 200)

    server = Server("127.0.0.2", {"/held": held, "/gone": lambda h: send(h, 404)})
    with serving(server):
        live = LiveCheck(fast_settings(read_timeout=15.0, request_deadline=15.0))
        pending = live([LinkTarget(server.url("/held"), (loc(1),)),
                        LinkTarget(server.url("/gone"), (loc(2),))])
        assert live.report is None  # not finished: the caller is free to work meanwhile
        deadline = time.monotonic() + 10
        while len(server.requests_to("/held")) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(server.requests_to("/held")) == 1  # in flight while the caller runs
        release.set()
        problems = list(pending)
    assert [p.rule for p in problems] == ["link-dead"]
    assert live.report is not None and live.report.counts() == {"ok": 1, "dead": 1}
