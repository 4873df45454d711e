"""Tokens go only to their own host and never appear in findings, summaries or the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from links_support import Handler, Server, fast_settings, loc, send, serving, status

from awesome_medad.links import LinkTarget, run_link_check

HEADER_SECRET = "Bearer header-s3cr3t-value"
TOKEN = "ghp_T0PS3CR3TT0K3N"


def test_configured_header_not_sent_to_redirect_target_nor_shown(tmp_path: Path) -> None:
    other = Server("127.0.0.3", {"*": status(404)})
    with serving(other):
        def leaky(h: Handler) -> None:
            # A hostile server that echoes the credential into the redirect URL.
            echoed = h.headers.get("Authorization", "").replace(" ", "+")
            send(h, 301, headers={"Location": other.url(f"/landing?leak={echoed}")})
        first = Server("127.0.0.2", {"/start": leaky})
        with serving(first):
            report = run_link_check(
                [LinkTarget(first.url("/start"), (loc(1),))],
                fast_settings(tmp_path, headers={"127.0.0.2": {"Authorization": HEADER_SECRET}}))
    assert first.seen[0].headers["Authorization"] == HEADER_SECRET  # sent to its own host
    assert all("Authorization" not in s.headers for s in other.seen)  # never to another host
    text = "\n".join(str(p) for p in report.problems) + report.summary()
    cache_text = (tmp_path / "cache" / "links.json").read_text()
    assert report.problems[0].rule == "link-dead"
    for secret in ("header-s3cr3t-value", "header-s3cr3t"):
        assert secret not in text
        assert secret not in cache_text
    assert "********" in text


def test_github_token_only_to_the_api_host_and_never_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = Server("127.0.0.3", {"*": status(500)})
    with serving(elsewhere):
        api = Server("127.0.0.5", {"*": lambda h: send(h, 301, headers={
            "Location": elsewhere.url("/repositories/1")})})
        with serving(api):
            monkeypatch.setenv("MEDAD_GITHUB_API", api.base)
            report = run_link_check([LinkTarget("https://github.com/a/b", (loc(1),))],
                                    fast_settings(tmp_path, github_token=TOKEN, retries=0,
                                                  connect_to={"github.com:443":
                                                              ("127.0.0.5", 9)}))
    assert api.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert elsewhere.seen and all("Authorization" not in s.headers for s in elsewhere.seen)
    assert TOKEN not in repr(fast_settings(github_token=TOKEN))
    everything = "\n".join(str(p) for p in report.problems) + report.summary()
    cache_file = tmp_path / "cache" / "links.json"
    if cache_file.exists():
        everything += cache_file.read_text()
    assert TOKEN not in everything
