"""The on-disk link cache: TTL for good results, failures always re-checked, robustness."""

from __future__ import annotations

import json
import time
from pathlib import Path

from links_support import Server, fast_settings, loc, ok, redirect, serving, status

from awesome_medad.links import LinkTarget, Outcome, run_link_check
from awesome_medad.links.cache import LinkCache
from awesome_medad.links.secrets import Redactor


def farm() -> Server:
    return Server("127.0.0.2", {"/good": ok(), "/bad": status(404), "/moved": redirect("/good"),
                                "/flaky": status(500)})


def run(server: Server, tmp_path: Path, **settings: object):  # type: ignore[no-untyped-def]
    urls = ["/good", "/bad", "/moved", "/flaky"]
    targets = [LinkTarget(server.url(u), (loc(i),)) for i, u in enumerate(urls, 1)]
    return run_link_check(targets, fast_settings(tmp_path, retries=0, **settings))


def paths(server: Server) -> list[str]:
    return sorted(s.path for s in server.seen)


def test_second_run_within_ttl_rechecks_only_failures(tmp_path: Path) -> None:
    server = farm()
    with serving(server):
        first = run(server, tmp_path)
        assert paths(server) == ["/bad", "/flaky", "/good", "/good", "/moved"]
        server.seen.clear()
        second = run(server, tmp_path)
        assert paths(server) == ["/bad", "/flaky"]  # no request at all for the good ones
    assert [p.message for p in second.problems] == [p.message for p in first.problems]
    assert sum(1 for o in second.outcomes.values() if o.cached) == 2
    assert second.summary().startswith("links: 4 checked (2 from cache): 1 ok, 1 redirected, "
                                       "1 dead, 1 errors")


def test_entries_older_than_the_ttl_are_checked_again(tmp_path: Path) -> None:
    server = farm()
    with serving(server):
        run(server, tmp_path)
        cache_file = tmp_path / "cache" / "links.json"
        data = json.loads(cache_file.read_text())
        for entry in data["entries"].values():
            entry["checked_at"] -= 4 * 24 * 3600  # older than the 3-day default TTL
        cache_file.write_text(json.dumps(data))
        server.seen.clear()
        run(server, tmp_path)
        assert paths(server) == ["/bad", "/flaky", "/good", "/good", "/moved"]


def test_no_cache_option_reads_and_writes_nothing(tmp_path: Path) -> None:
    server = farm()
    with serving(server):
        run(server, tmp_path, cache=False)
    assert not (tmp_path / "cache").exists()


def test_corrupt_cache_is_discarded_with_a_warning(tmp_path: Path) -> None:
    cache_file = tmp_path / "cache" / "links.json"
    cache_file.parent.mkdir()
    cache_file.write_text('{"version": 1, "entries": {"http://x": ')
    server = farm()
    with serving(server):
        report = run(server, tmp_path)
    [warning] = [p for p in report.problems if p.rule == "link-cache"]
    assert str(warning) == (
        f"{cache_file}: warning: the link cache is unreadable (not JSON (Expecting value at line "
        "1)); it was discarded and every link is checked again (nothing to do; it is rewritten "
        "after this run) [link-cache]")
    data = json.loads(cache_file.read_text())
    assert data["version"] == 1 and len(data["entries"]) == 4
    assert (tmp_path / "cache" / ".gitignore").read_text().endswith("*\n")


def test_concurrent_runs_keep_each_others_results(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    one = LinkCache.open(path, 3600, Redactor(()))
    two = LinkCache.open(path, 3600, Redactor(()))
    one.put("https://a.example/", Outcome("https://a.example/", "ok", checked_at=time.time()))
    two.put("https://b.example/", Outcome("https://b.example/", "ok", checked_at=time.time()))
    one.save()
    two.save()
    again = LinkCache.open(path, 3600, Redactor(()))
    assert again.get("https://a.example/") is not None
    assert again.get("https://b.example/") is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".gitignore", "links.json", "links.json.lock"]  # no temporary file left behind


def test_simultaneous_saves_lose_nothing(tmp_path: Path) -> None:
    """Many runs saving at the same moment: the lock keeps every run's results."""
    import threading

    path = tmp_path / "links.json"
    barrier = threading.Barrier(8)

    def one_run(n: int) -> None:
        cache = LinkCache.open(path, 3600, Redactor(()))
        for i in range(20):
            url = f"https://run{n}.example/{i}"
            cache.put(url, Outcome(url, "ok", checked_at=time.time()))
        barrier.wait()
        cache.save()

    threads = [threading.Thread(target=one_run, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    saved = json.loads(path.read_text())["entries"]
    assert len(saved) == 8 * 20


def test_failures_are_recorded_but_never_served(tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    cache = LinkCache.open(path, 3600, Redactor(()))
    cache.put("https://d.example/", Outcome("https://d.example/", "dead", "HTTP 404",
                                            checked_at=time.time()))
    cache.save()
    reopened = LinkCache.open(path, 3600, Redactor(()))
    assert reopened.entries["https://d.example/"]["status"] == "dead"
    assert reopened.get("https://d.example/") is None
