"""The HTTP client's environment: proxies (looked up once per host) and CA bundles."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
import trustme
from links_support import Server, fast_settings, loc, ok, serving

from awesome_medad.links import LinkTarget, run_link_check


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_environment_proxy_is_used_and_resolves_the_name(no_proxy_env: pytest.MonkeyPatch
                                                         ) -> None:
    proxy = Server("127.0.0.3", {"*": ok()})
    with serving(proxy):
        no_proxy_env.setenv("HTTP_PROXY", proxy.base)
        urls = [f"http://paper.invalid/{i}" for i in range(3)]
        report = run_link_check([LinkTarget(u, (loc(1),)) for u in urls],
                                fast_settings(check_https=False))
    # The name does not resolve here, but the proxy (not medad) resolves names.
    assert set(report.counts()) == {"ok"}
    assert sorted(seen.path for seen in proxy.seen) == urls


def test_no_proxy_is_honoured(no_proxy_env: pytest.MonkeyPatch) -> None:
    proxy = Server("127.0.0.3", {"*": ok()})
    with serving(proxy):
        no_proxy_env.setenv("HTTP_PROXY", proxy.base)
        no_proxy_env.setenv("NO_PROXY", "paper.invalid")
        report = run_link_check([LinkTarget("http://paper.invalid/x", (loc(1),))],
                                fast_settings(check_https=False))
    assert report.outcomes["http://paper.invalid/x"].detail == "DNS name not found: paper.invalid"
    assert proxy.seen == []


def test_requests_ca_bundle_from_the_environment_is_trusted(
        tmp_path: Path, no_proxy_env: pytest.MonkeyPatch) -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.2").configure_cert(context)
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    server = Server("127.0.0.2", {"/": ok()}, tls=context)
    with serving(server):
        target = [LinkTarget(server.url("/"), (loc(1),))]
        assert run_link_check(target, fast_settings()).outcomes[server.url("/")].status == "error"
        no_proxy_env.setenv("REQUESTS_CA_BUNDLE", str(bundle))
        assert run_link_check(target, fast_settings()).outcomes[server.url("/")].status == "ok"
