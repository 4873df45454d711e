"""The link checker against hostile servers: each one gets the right class, in time.

Every server is real (threaded http.server on a loopback address started by
the test).  Deadlines asserted here are generous upper bounds that prove
"does not hang"; they are far above the expected time, so they do not make
the suite depend on the machine's speed.
"""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import pytest
import trustme
from links_support import (
    Server,
    delayed,
    drip,
    endless_body,
    fast_settings,
    loc,
    ok,
    redirect,
    reset,
    send,
    sequence,
    serving,
    status,
)

from awesome_medad.links import LinkTarget, run_link_check


def check_one(url: str, **settings: object) -> tuple[str, str, list[str]]:
    """(status, detail, rule ids) for one URL."""
    report = run_link_check([LinkTarget(url, (loc(7),))], fast_settings(**settings))
    outcome = report.outcomes[url]
    return outcome.status, outcome.detail, [p.rule for p in report.problems]


def test_redirect_loop_is_an_error_naming_the_loop() -> None:
    server = Server("127.0.0.2", {"/a": redirect("/b", 302), "/b": redirect("/a", 302)})
    with serving(server):
        result, detail, rules = check_one(server.url("/a"))
    assert (result, rules) == ("error", ["link-error"])
    assert detail == f"redirect loop: {server.url('/a')} -> {server.url('/b')} -> " \
                     f"{server.url('/a')}"
    assert len(server.seen) == 2


def test_redirect_chain_ending_in_404_is_dead_with_where_it_ended() -> None:
    target = Server("127.0.0.3", {"/new": redirect("/newer", 302)})
    with serving(target):
        first = Server("127.0.0.2", {"/old": redirect(target.url("/new"), 301)})
        with serving(first):
            report = run_link_check([LinkTarget(first.url("/old"), (loc(3),))], fast_settings())
    [problem] = report.problems
    assert problem.rule == "link-dead"
    assert problem.message == (f"{first.url('/old')} is dead: HTTP 404 (after redirects, at "
                               f"{target.url('/newer')})")


def test_too_many_redirects_is_an_error() -> None:
    server = Server("127.0.0.2", {"*": lambda h: send(h, 302, headers={
        "Location": f"/{len(h.path)}x{h.path.strip('/')}"})})
    with serving(server):
        result, detail, _ = check_one(server.url("/start"), max_redirects=4)
    assert (result, detail) == ("error", "more than 4 redirects")
    assert len(server.seen) == 5


def test_endless_body_reads_only_a_prefix() -> None:
    server = Server("127.0.0.2", {"/stream": endless_body})
    with serving(server):
        started = time.monotonic()
        report = run_link_check(
            [LinkTarget(server.url("/stream"), (loc(1),), title="A paper", kind="pdf")],
            fast_settings(body_prefix=16 * 1024))
        elapsed = time.monotonic() - started
    assert report.outcomes[server.url("/stream")].status == "ok"
    assert report.problems == []
    assert elapsed < 10  # it would stream for 30 s if the checker read on
    assert [s.method for s in server.seen] == ["GET"]


def test_endless_body_after_head_refusal_switches_to_get() -> None:
    server = Server("127.0.0.2", {"/stream": endless_body})
    with serving(server):
        result, _, rules = check_one(server.url("/stream"))
    assert (result, rules) == ("ok", [])
    assert [s.method for s in server.seen] == ["HEAD", "GET"]


def test_drip_feeding_server_is_cut_at_the_deadline() -> None:
    server = Server("127.0.0.2", {"/drip": drip})
    with serving(server):
        started = time.monotonic()
        result, detail, rules = check_one(server.url("/drip"), request_deadline=1.5,
                                          read_timeout=5.0)
        elapsed = time.monotonic() - started
    assert (result, rules) == ("error", ["link-error"])
    assert detail.startswith("no complete answer before the deadline")
    assert elapsed < 6  # the read timeout (5 s) alone would never fire: a byte comes every second
    assert len(server.seen) == 1  # a drip is not retried


def test_connection_reset_is_retried_then_an_error() -> None:
    server = Server("127.0.0.2", {"/reset": reset})
    with serving(server):
        result, detail, rules = check_one(server.url("/reset"), retries=2)
    assert (result, rules) == ("error", ["link-error"])
    assert detail in {"connection reset by peer (after 3 attempts)",
                      "the server closed the connection without answering (after 3 attempts)"}
    assert len(server.seen) == 3


def test_429_with_retry_after_is_honoured_then_ok() -> None:
    server = Server("127.0.0.2", {"/busy": sequence(status(429, {"Retry-After": "2"}), ok())})
    with serving(server):
        result, _, rules = check_one(server.url("/busy"))
    assert (result, rules) == ("ok", [])
    first, second = server.seen
    assert second.at - first.at >= 1.9  # waited as asked


def test_429_with_retry_after_as_http_date() -> None:
    from email.utils import formatdate

    server = Server("127.0.0.2", {"/busy": sequence(
        lambda h: send(h, 429, headers={"Retry-After": formatdate(time.time() + 2, usegmt=True)}),
        ok())})
    with serving(server):
        result, _, _ = check_one(server.url("/busy"))
    assert result == "ok"
    first, second = server.seen
    assert second.at - first.at >= 0.9  # the date has one-second resolution


def test_429_asking_for_more_than_the_cap_is_unverified_at_once() -> None:
    server = Server("127.0.0.2", {"/busy": status(429, {"Retry-After": "3600"})})
    with serving(server):
        result, detail, rules = check_one(server.url("/busy"), retry_after_cap=5.0)
    assert (result, rules) == ("unverified", ["link-unverified"])
    assert detail == "HTTP 429: the server asks to wait 3600 s (more than the 5 s cap)"
    assert len(server.seen) == 1


def test_503_storm_gives_up_after_the_retries() -> None:
    server = Server("127.0.0.2", {"*": status(503, {"Retry-After": "1"})})
    with serving(server):
        urls = [server.url(f"/p{i}") for i in range(3)]
        report = run_link_check([LinkTarget(u, (loc(i + 1),)) for i, u in enumerate(urls)],
                                fast_settings(retries=2, per_host=3))
    assert {report.outcomes[u].detail for u in urls} == {"HTTP 503 (after 3 attempts)"}
    assert [p.rule for p in report.problems] == ["link-error"] * 3
    assert len(server.seen) == 9  # bounded: 3 attempts each, no more
    times = sorted(s.at for s in server.seen)
    # Retry-After holds back the whole host: the attempts come in three waves >= 1 s apart.
    assert times[3] - times[0] >= 0.9 and times[6] - times[3] >= 0.9


def test_500_is_retried_with_backoff_then_an_error() -> None:
    server = Server("127.0.0.2", {"/x": status(500)})
    with serving(server):
        result, detail, _ = check_one(server.url("/x"), retries=1)
    assert (result, detail) == ("error", "HTTP 500 (after 2 attempts)")
    assert len(server.seen) == 2


def test_invalid_tls_certificate_is_an_error(tmp_path: Path) -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.2").configure_cert(context)
    server = Server("127.0.0.2", {"/": ok()}, tls=context)
    with serving(server):
        result, detail, rules = check_one(server.url("/"))
        assert (result, rules) == ("error", ["link-error"])
        assert detail.startswith("TLS failure: certificate verify failed")
        # The same server is fine for a client that trusts its CA: the failure was the cert.
        bundle = tmp_path / "ca.pem"
        ca.cert_pem.write_to_path(str(bundle))
        assert check_one(server.url("/"), ca_bundle=str(bundle))[0] == "ok"


def test_unresolvable_name_is_dead_and_fails_fast() -> None:
    started = time.monotonic()
    result, detail, rules = check_one("https://no-such-host.invalid/paper.pdf")
    assert (result, detail, rules) == ("dead", "DNS name not found: no-such-host.invalid",
                                       ["link-dead"])
    assert time.monotonic() - started < 5


def test_no_network_means_network_unreachable_once_per_url() -> None:
    urls = [f"https://host{i}.invalid/x" for i in range(3)]
    report = run_link_check([LinkTarget(u, (loc(i + 1),)) for i, u in enumerate(urls)],
                            fast_settings(dns_canaries=("canary.invalid",)))
    assert [p.rule for p in report.problems] == ["link-error"] * 3
    assert [p.message for p in report.problems] == [
        f"{u} could not be checked: network unreachable (DNS lookups fail, even for "
        "canary.invalid)" for u in urls]


def test_connection_refused_is_dead() -> None:
    server = Server("127.0.0.2", {})
    with serving(server):
        url = server.url("/")
    result, detail, _ = check_one(url, retries=1)  # the server is gone: nothing listens
    assert (result, detail) == ("dead", "connection refused (after 2 attempts)")


def test_slow_answer_beyond_the_read_timeout_is_retried_then_an_error() -> None:
    server = Server("127.0.0.2", {"/slow": delayed(3.0, ok())})
    with serving(server):
        result, detail, _ = check_one(server.url("/slow"), read_timeout=0.5, retries=1)
    assert (result, detail) == ("error", "timed out waiting for the answer (after 2 attempts)")


@pytest.mark.parametrize("url", ["http//missing-colon.org/x", "https://exa mple.org/x",
                                 "http://[::1/x", "https://example.org:99999/x"])
def test_malformed_url_is_an_error_not_a_traceback(url: str) -> None:
    result, detail, rules = check_one(url)
    assert (result, rules) == ("error", ["link-error"])
    assert detail.startswith("malformed URL")
