"""One test per class of finding, with the exact message, level and every location."""

from __future__ import annotations

import json

import pytest
from links_support import (
    Server,
    fast_settings,
    html_page,
    loc,
    ok,
    redirect,
    send,
    serving,
    status,
)

from awesome_medad.links import LinkSettings, LinkTarget, SkipRule, run_link_check
from awesome_medad.problems import Level, Location, Problem


def test_ok_link_has_no_finding_and_is_fetched_once_for_all_its_uses() -> None:
    server = Server("127.0.0.2", {"/p": ok()})
    with serving(server):
        url = server.url("/p")
        targets = [LinkTarget(url, (loc(3),), "A", "code"), LinkTarget(url, (loc(9),), "B", "code")]
        report = run_link_check(targets, fast_settings())
    assert report.problems == []
    assert report.outcomes[url].status == "ok"
    assert len(server.seen) == 1
    assert server.seen[0].method == "HEAD"
    assert server.seen[0].headers["User-Agent"].startswith("medad/")


def test_permanent_redirect_is_a_warning_with_the_new_url_at_every_location() -> None:
    server = Server("127.0.0.2", {"/old": redirect("/new", 301), "/new": redirect("/newest", 308),
                                  "/newest": redirect("/login", 302), "/login": ok()})
    with serving(server):
        url = server.url("/old")
        targets = [LinkTarget(url, (loc(3),)), LinkTarget(url, (loc(20), loc(21, "README.md")))]
        report = run_link_check(targets, fast_settings())
    assert report.problems == [Problem(
        loc(3), "link-redirect", Level.WARNING,
        f"{url} moved permanently to {server.url('/newest')}",
        hint="replace the URL with the new one", related=(loc(20), loc(21, "README.md")))]


def test_temporary_redirect_is_fine() -> None:
    server = Server("127.0.0.2", {"/doi": redirect("/publisher", 302), "/publisher": ok()})
    with serving(server):
        report = run_link_check([LinkTarget(server.url("/doi"), (loc(1),))], fast_settings())
    assert report.problems == []


@pytest.mark.parametrize("code", [404, 410])
def test_gone_is_dead(code: int) -> None:
    server = Server("127.0.0.2", {"/x": status(code)})
    with serving(server):
        url = server.url("/x")
        report = run_link_check([LinkTarget(url, (loc(5),))], fast_settings())
    assert report.problems == [Problem(loc(5), "link-dead", Level.ERROR,
                                       f"{url} is dead: HTTP {code}",
                                       hint="fix or remove the link")]


def test_server_error_is_an_error_with_its_cause() -> None:
    server = Server("127.0.0.2", {"/x": status(502)})
    with serving(server):
        url = server.url("/x")
        report = run_link_check([LinkTarget(url, (loc(5),))], fast_settings(retries=1))
    assert report.problems == [Problem(
        loc(5), "link-error", Level.ERROR,
        f"{url} could not be checked: HTTP 502 (after 2 attempts)",
        hint="try again later; fix the link if it keeps failing")]


@pytest.mark.parametrize(("code", "reason"), [
    (403, "HTTP 403: access refused to robots"), (999, "HTTP 999: the site refuses robots"),
    (401, "HTTP 401: login required")])
def test_bot_refusals_are_unverified_warnings(code: int, reason: str) -> None:
    server = Server("127.0.0.2", {"/x": status(code)})
    with serving(server):
        url = server.url("/x")
        report = run_link_check([LinkTarget(url, (loc(5),))], fast_settings())
    assert report.problems == [Problem(loc(5), "link-unverified", Level.WARNING,
                                       f"{url} could not be verified: {reason}",
                                       hint="the site blocks robots; check it in a browser")]
    methods = [s.method for s in server.seen]
    assert methods == (["HEAD", "GET"] if code == 403 else ["HEAD"])  # 403 to HEAD: try GET


def test_captcha_page_is_unverified() -> None:
    wall = html_page("Just a moment...")
    server = Server("127.0.0.2", {"/x": wall})
    with serving(server):
        report = run_link_check([LinkTarget(server.url("/x"), (loc(5),), "T", "pdf")],
                                fast_settings())
    [problem] = report.problems
    assert problem.rule == "link-unverified"
    assert problem.message.endswith("the site answered with a bot check ('just a moment...')")


def test_publisher_host_failures_are_unverified_not_errors() -> None:
    server = Server("127.0.0.2", {"/x": status(500)})
    with serving(server):
        report = run_link_check([LinkTarget(server.url("/x"), (loc(5),))], fast_settings(
            retries=0, unverifiable_hosts=("127.0.0.2",)))
    [problem] = report.problems
    assert problem.rule == "link-unverified"
    assert problem.message.endswith("HTTP 500 (127.0.0.2 is known to block robots)")
    assert [s.method for s in server.seen] == ["GET"]  # such hosts get GET straight away


def test_accepted_code_per_host_counts_as_alive() -> None:
    server = Server("127.0.0.2", {"/x": status(403)})
    with serving(server):
        report = run_link_check([LinkTarget(server.url("/x"), (loc(5),))], fast_settings(
            accept={"127.0.0.2": frozenset({403})}))
    assert report.problems == []


def test_google_scholar_is_skipped_with_the_reason() -> None:
    url = "https://scholar.google.com/scholar?hl=en&q=Unsupervised+Detection"
    report = run_link_check([LinkTarget(url, (loc(2),))], fast_settings())
    assert report.problems == []
    assert report.outcomes[url].status == "skipped"
    assert report.summary() == (
        "links: 0 checked (0 from cache): 0 ok, 0 redirected, 0 dead, 0 errors, 0 unverified; "
        "1 skipped: Google Scholar search pages answer robots with HTTP 429 or a captcha, so they "
        "cannot be checked; skipped by default (links: check-google-scholar: true checks them "
        "anyway)")


def test_configured_skip_pattern() -> None:
    server = Server("127.0.0.2", {"/x": status(404)})
    with serving(server):
        settings = fast_settings(skip=(SkipRule(r"/x$", "members only"),))
        report = run_link_check([LinkTarget(server.url("/x"), (loc(2),))], settings)
    assert report.problems == [] and server.seen == []
    assert report.skipped() == {"members only": 1}


def test_title_mismatch_names_kind_title_and_page_title() -> None:
    server = Server("127.0.0.2", {
        "/right": html_page("SpringerLink", "Unsupervised Detection of Lesions in Brain MRI"),
        "/arxiv-style": html_page("[1806.04972] Unsupervised Detection of Lesions in Brain MRI"),
        "/wrong": html_page("Deep Residual Learning for Image Recognition | IEEE")})
    title = "Unsupervised Detection of Lesions in Brain MRI using constrained adversarial " \
            "auto-encoders"
    with serving(server):
        targets = [LinkTarget(server.url(p), (loc(i),), title, "pdf")
                   for i, p in enumerate(["/right", "/arxiv-style", "/wrong"], 1)]
        report = run_link_check(targets, fast_settings())
    assert report.problems == [Problem(
        loc(3), "link-mismatch", Level.WARNING,
        f"the pdf link of '{title}' leads to a page titled 'Deep Residual Learning for Image "
        "Recognition | IEEE'", hint="check that the link belongs to this entry")]
    assert {s.method for s in server.seen} == {"GET"}  # titled paper links are fetched with GET


def test_non_web_links_are_skipped() -> None:
    report = run_link_check([LinkTarget("mailto:someone@example.org", (loc(1),))],
                            fast_settings())
    assert report.problems == []
    assert report.skipped() == {"only http and https links are checked": 1}


def arxiv_feed(entries: dict[str, str]) -> bytes:
    items = "".join(f"<entry><id>http://arxiv.org/abs/{i}v2</id><title>{t}\n  </title></entry>"
                    for i, t in entries.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"{items}</feed>").encode()


def test_arxiv_links_are_verified_in_one_api_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    api = Server("127.0.0.4", {"/api/query": lambda h: send(h, 200, arxiv_feed({
        "1806.04972": "Unsupervised Detection of Lesions in Brain MRI",
        "1703.05921": "Unsupervised Anomaly Detection with Generative Adversarial Networks"}),
        content_type="application/atom+xml")})
    with serving(api):
        monkeypatch.setenv("MEDAD_ARXIV_API", api.url("/api/query"))
        targets = [
            LinkTarget("https://arxiv.org/abs/1806.04972", (loc(1),),
                       "Unsupervised Detection of Lesions in Brain MRI", "pdf"),
            LinkTarget("https://arxiv.org/pdf/1806.04972v1.pdf", (loc(2),),
                       "Unsupervised Detection of Lesions in Brain MRI", "pdf"),
            LinkTarget("http://arxiv.org/abs/1703.05921", (loc(3),),
                       "Anomaly detection with variational autoencoders for brains", "pdf"),
            LinkTarget("https://arxiv.org/abs/2001.99999", (loc(4),), "Missing", "pdf")]
        report = run_link_check(targets, fast_settings(arxiv_batch=10))
    [request] = api.seen
    assert request.path == ("/api/query?id_list=1806.04972,1703.05921,2001.99999&max_results=3"
                            "&start=0")
    assert [(p.location.line, p.rule) for p in report.problems] == [
        (3, "link-mismatch"), (4, "link-dead")]
    assert report.problems[1].message == ("https://arxiv.org/abs/2001.99999 is dead: arXiv has no "
                                          "paper with id 2001.99999")


def test_arxiv_api_failure_falls_back_to_plain_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    api = Server("127.0.0.4", {"*": status(404)})
    with serving(api):
        monkeypatch.setenv("MEDAD_ARXIV_API", api.url("/api/query"))
        # arxiv.org:443 is routed to a closed local port, so the test never leaves the
        # machine, with or without internet; the fallback's own answer proves it ran.
        report = run_link_check([LinkTarget("https://arxiv.org/abs/1806.04972", (loc(1),))],
                                fast_settings(connect_to={"arxiv.org:443": ("127.0.0.4", 9)},
                                              retries=0))
    assert len(api.seen) == 1
    assert [(p.rule, p.message) for p in report.problems] == [
        ("link-dead", "https://arxiv.org/abs/1806.04972 is dead: connection refused")]


def github_api(repos: dict[str, dict[str, object]]) -> Server:
    def answer(h: object) -> None:
        from links_support import Handler
        assert isinstance(h, Handler)
        name = h.path.removeprefix("/repos/")
        if name in repos:
            send(h, 200, json.dumps(repos[name]).encode(), content_type="application/json")
        elif name == "old/renamed":
            send(h, 301, headers={"Location": "/repositories/42"})
        elif h.path == "/repositories/42":
            send(h, 200, json.dumps({"full_name": "new/renamed", "archived": False,
                                     "html_url": "https://github.com/new/renamed"}).encode())
        else:
            send(h, 404, b'{"message": "Not Found"}')
    return Server("127.0.0.5", {"*": answer})


def test_github_repositories_through_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    api = github_api({"tSchlegl/f-AnoGAN": {"full_name": "tSchlegl/f-AnoGAN", "archived": True,
                                            "html_url": "https://github.com/tSchlegl/f-AnoGAN"},
                      "ok/fine": {"full_name": "ok/fine", "archived": False}})
    with serving(api):
        monkeypatch.setenv("MEDAD_GITHUB_API", api.base)
        urls = ["https://github.com/tSchlegl/f-AnoGAN", "https://github.com/old/renamed",
                "https://github.com/ok/fine", "https://github.com/gone/away"]
        targets = [LinkTarget(u, (loc(i),), "T", "code") for i, u in enumerate(urls, 1)]
        report = run_link_check(targets, fast_settings(github_token="ghp_secretvalue123"))
    assert [(p.location.line, p.rule, p.level) for p in report.problems] == [
        (1, "repo-archived", Level.WARNING), (2, "repo-moved", Level.WARNING),
        (4, "link-dead", Level.ERROR)]
    assert report.problems[1].message == ("the code repository https://github.com/old/renamed "
                                          "moved to https://github.com/new/renamed")
    assert {s.headers.get("Authorization") for s in api.seen} == {"Bearer ghp_secretvalue123"}


def test_without_token_github_links_get_the_plain_check(monkeypatch: pytest.MonkeyPatch) -> None:
    api = github_api({})
    with serving(api):
        monkeypatch.setenv("MEDAD_GITHUB_API", api.base)
        report = run_link_check([LinkTarget("https://github.com/a/b", (loc(1),))],
                                fast_settings(github_token=None, retries=0,
                                              connect_to={"github.com:443": ("127.0.0.5", 9)}))
    assert api.seen == []
    assert [(p.rule, p.message) for p in report.problems] == [
        ("link-dead", "https://github.com/a/b is dead: connection refused")]


def test_findings_without_locations_still_have_one() -> None:
    report = run_link_check([LinkTarget("https://x.invalid/", ())],
                            LinkSettings(cache=False, dns_canaries=("localhost",)))
    assert report.problems[0].location == Location("<links>")
