"""https:// twins of http:// links (``check-https``), proven against real local servers.

A scheme-only twin needs one host name served on port 80 (http) and 443
(https).  Tests cannot bind those ports, so they use the ``connect-to``
setting (curl's ``--connect-to``): ``medad.test:80`` and ``medad.test:443``
are two servers on 127.0.0.2 with ephemeral ports, while the URLs stay
``http://medad.test/...`` and ``https://medad.test/...`` and the TLS
certificate (from a trustme CA the client is told to trust) names
``medad.test``.
"""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner
from links_support import Route, Server, fast_settings, loc, ok, redirect, serving, status

from awesome_medad.cli import main
from awesome_medad.links import LinkSettings, LinkTarget, run_link_check
from awesome_medad.links.outcome import https_twin
from awesome_medad.problems import Level, Problem

HOST = "medad.test"


@dataclass
class Twins:
    """An http server and an https server for one host name, and settings that reach them."""

    plain: Server
    secure: Server
    settings: LinkSettings
    bundle: Path

    def config(self) -> str:
        """The same as a ``.medad.yaml`` ``links:`` section."""
        return (f"links:\n  ca-bundle: {self.bundle}\n  connect-to:\n"
                f"    {HOST}:80: 127.0.0.2:{self.plain.port}\n"
                f"    {HOST}:443: 127.0.0.2:{self.secure.port}\n")

    def https_requests(self) -> list[str]:
        return [seen.path for seen in self.secure.seen]


@pytest.fixture
def twins(tmp_path: Path) -> Iterator[Twins]:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(HOST).configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    plain, secure = Server("127.0.0.2"), Server("127.0.0.2", tls=context)
    with serving(plain, secure):
        settings = fast_settings(ca_bundle=str(bundle), connect_to={
            f"{HOST}:80": ("127.0.0.2", plain.port), f"{HOST}:443": ("127.0.0.2", secure.port)})
        yield Twins(plain, secure, settings, bundle)


def check(twins: Twins, path: str, http: Route, https: Route | None, **changes: object
          ) -> tuple[list[Problem], str | None]:
    twins.plain.routes[path] = http
    if https is not None:
        twins.secure.routes[path] = https
    url = f"http://{HOST}{path}"
    report = run_link_check([LinkTarget(url, (loc(4),), "A title", "code")],
                            twins.settings.with_options(**changes))
    return report.problems, report.outcomes[url].https_url


def test_https_that_serves_the_same_address_is_proven_and_reported(twins: Twins) -> None:
    problems, proven = check(twins, "/paper", ok(), ok())
    assert proven == f"https://{HOST}/paper"
    assert problems == [Problem(loc(4), "link-https", Level.WARNING,
                                f"https:// works for http://{HOST}/paper: use "
                                f"https://{HOST}/paper", hint="medad lint --fix makes the change")]
    assert twins.https_requests() == ["/paper"]
    assert twins.secure.seen[0].headers["Host"] == HOST  # connect-to kept the name


def test_a_trailing_slash_added_by_https_still_counts(twins: Twins) -> None:
    twins.secure.routes["/dir/"] = ok()
    _, proven = check(twins, "/dir", ok(), redirect(f"https://{HOST}/dir/"))
    assert proven == f"https://{HOST}/dir"


def test_redirecting_to_its_twin_proves_it_without_another_request(twins: Twins) -> None:
    problems, proven = check(twins, "/paper", redirect(f"https://{HOST}/paper"), ok())
    assert proven == f"https://{HOST}/paper"
    # The permanent redirect already says it all: no second finding, no second request.
    assert [p.rule for p in problems] == ["link-redirect"]
    assert twins.https_requests() == ["/paper"]


@pytest.mark.parametrize(("https", "why"), [
    (status(404), "the https form is dead"),
    (redirect("/elsewhere", 302), "the https form ends somewhere else"),
    (None, "nothing is served over https (404 from the test server)"),
])
def test_no_proof_no_finding(twins: Twins, https: Route | None, why: str) -> None:
    twins.secure.routes["/elsewhere"] = ok()
    problems, proven = check(twins, "/paper", ok(), https)
    assert (problems, proven) == ([], None), why
    assert twins.https_requests()[0] == "/paper"


def test_an_untrusted_certificate_is_no_proof(twins: Twins) -> None:
    twins.settings = replace(twins.settings, ca_bundle=None)
    problems, proven = check(twins, "/paper", ok(), ok())
    assert (problems, proven) == ([], None)  # and the twin's TLS failure is not a finding


def test_a_failing_http_link_gets_no_twin_request(twins: Twins) -> None:
    problems, proven = check(twins, "/gone", status(404), ok())
    assert [p.rule for p in problems] == ["link-dead"] and proven is None
    assert twins.https_requests() == []


def test_check_https_false_makes_no_twin_request(twins: Twins) -> None:
    problems, proven = check(twins, "/paper", ok(), ok(), check_https=False)
    assert (problems, proven) == ([], None)
    assert twins.https_requests() == []


@pytest.mark.parametrize(("url", "twin"), [
    ("http://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
    ("http://example.org:80/a", "https://example.org/a"),
    ("HTTP://Example.org/", "https://Example.org/"),
    ("http://example.org:8080/a", None),  # another port: no scheme-only twin
    ("https://example.org/a", None),
    ("http://[::1/a", None),
])
def test_twin_addresses(url: str, twin: str | None) -> None:
    assert https_twin(url) == twin


def test_cache_keeps_the_proof_and_rechecks_entries_without_it(twins: Twins,
                                                               tmp_path: Path) -> None:
    twins.plain.routes["/paper"] = ok()
    twins.secure.routes["/paper"] = ok()
    url = f"http://{HOST}/paper"
    targets = [LinkTarget(url, (loc(4),))]
    without = twins.settings.with_options(cache=True, cache_dir=tmp_path / "c", check_https=False)
    run_link_check(targets, without)  # cached before https was tried
    with_https = without.with_options(check_https=True)
    assert run_link_check(targets, with_https).outcomes[url].https_url == f"https://{HOST}/paper"
    assert len(twins.plain.seen) == 2 and len(twins.secure.seen) == 1
    again = run_link_check(targets, with_https).outcomes[url]
    assert (again.cached, again.https_url) == (True, f"https://{HOST}/paper")
    assert len(twins.plain.seen) == 2 and len(twins.secure.seen) == 1  # nothing fetched


CATALOGUE = """\
# hand-written comment, kept byte for byte
title: Test list
sections:
  - id: mri
    heading: Brain MRI
papers:
  - id: chen2018
    title: Unsupervised Detection of Lesions in Brain MRI
    venue: MIDL'18
    sections: [mri]
    links:
      pdf: "http://medad.test/paper"   # quoted, with a comment
      code: http://medad.test/code
"""


def test_cli_lint_fix_upgrades_only_proven_links(twins: Twins, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    twins.plain.routes.update({"/paper": ok(), "/code": ok()})
    twins.secure.routes.update({"/paper": ok(), "/code": status(404)})
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / ".medad.yaml").write_text(twins.config(), encoding="utf-8")
    path = tmp_path / "papers.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    assert CliRunner().invoke(main, ["render", "--catalogue", "papers.yaml"]).exit_code == 0
    args = ["lint", "--catalogue", "papers.yaml", "--no-cache", "--format", "text"]

    report = CliRunner().invoke(main, args)
    assert (report.exit_code, report.stdout) == (0, f"""papers.yaml
  12:12  warning  https:// works for http://{HOST}/paper: use https://{HOST}/paper  [link-https]
         at: papers -> 0 -> links -> pdf
         hint: medad lint --fix makes the change
  13:13  warning  plain http:// link: http://{HOST}/code  [url-insecure]
         at: papers -> 0 -> links -> code
         hint: use https:// if the site supports it; the live link check can tell

2 problems (0 errors, 2 warnings, 0 info)
""")

    assert report.stderr.endswith("links: 2 checked (0 from cache): 2 ok, 0 redirected, 0 dead, "
                                  "0 errors, 0 unverified, 1 http:// links proven to work over "
                                  "https://\n")

    fixed = CliRunner().invoke(main, [*args, "--fix"])
    assert fixed.stderr.startswith(
        f"papers.yaml:12:12: fixed (fix-https): http://{HOST}/paper -> https://{HOST}/paper\n"
        "medad: 1 fix(es) applied to papers.yaml\n")
    assert "link-https" not in fixed.stdout and "url-insecure" in fixed.stdout
    assert path.read_text(encoding="utf-8") == CATALOGUE.replace(
        '"http://medad.test/paper"', '"https://medad.test/paper"')


def test_cli_markdown_list_gets_the_finding_instead_of_url_insecure(
        twins: Twins, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twins.plain.routes["/paper"] = ok()
    twins.secure.routes["/paper"] = ok()
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".medad.yaml").write_text(twins.config(), encoding="utf-8")
    (tmp_path / "list.md").write_text(
        "# List\n\n- [A title] [MIDL'18] [[pdf]](http://medad.test/paper)\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "list.md", "--no-cache", "--format", "json"])
    assert result.exit_code == 0
    assert [(p["rule"], p["line"], p["column"]) for p in json.loads(result.stdout)["problems"]] == [
        ("link-https", 3, 31)]
