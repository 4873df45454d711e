"""The ``links:`` configuration section -> LinkSettings, with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from awesome_medad.links import HostPolicy, LinkSettings, SkipRule
from awesome_medad.links.settings import DEFAULT_SKIPS, host_matches, parse_duration


def test_defaults_are_polite() -> None:
    s = LinkSettings()
    assert (s.concurrency, s.per_host, s.host_interval) == (16, 2, 0.2)
    assert s.check_https and not s.connect_to and s.ca_bundle is None
    assert s.cache_path == Path(".medad-cache/links.json")
    assert s.cache_ttl == 3 * 86400
    assert s.skip == DEFAULT_SKIPS


def test_every_option_is_read() -> None:
    s = LinkSettings.from_mapping({
        "concurrency": 4, "per-host": 1, "host-interval": 0.5, "timeout": 12, "deadline": 40,
        "connect-timeout": 2, "read-timeout": 3, "retries": 1, "retry-after-cap": 9,
        "max-redirects": 5, "arxiv-batch": 50, "cache": "tmp/c", "cache-ttl": "12h",
        "user-agent": "bot/1", "unverified-hosts": ["pub.example"],
        "skip": ["^https://a\\.example/", {"pattern": "/private/", "reason": "members only"}],
        "accept": {"Www.ResearchGate.net": [403]}, "hosts": {"slow.example": {
            "per-host": 1, "interval": 3, "head": False}},
        "headers": {"api.example": {"X-Key": "k"}}, "check-titles": False,
        "dns-canaries": ["localhost"], "check-https": False, "ca-bundle": "certs/ca.pem",
        "connect-to": {"Example.ORG:443": "127.0.0.1:8443", "[::1]:80": "[::1]:8080"}})
    assert (s.concurrency, s.per_host, s.host_interval, s.request_deadline, s.url_deadline) == \
        (4, 1, 0.5, 12.0, 40.0)
    assert (s.connect_timeout, s.read_timeout, s.retries, s.retry_after_cap) == (2, 3, 1, 9)
    assert (s.max_redirects, s.arxiv_batch, s.cache_dir, s.cache_ttl, s.user_agent) == \
        (5, 50, Path("tmp/c"), 43200.0, "bot/1")
    assert s.unverifiable("pub.example") and s.unverifiable("ieeexplore.ieee.org")
    assert s.skip == (*DEFAULT_SKIPS, SkipRule("^https://a\\.example/",
                                               "skipped by the configuration (links: skip)"),
                      SkipRule("/private/", "members only"))
    assert s.accepted("www.researchgate.net", 403)
    assert s.policy("slow.example") == HostPolicy(1, 3.0, False)
    assert s.secrets() == ("k",)
    assert not s.check_titles and s.dns_canaries == ("localhost",)
    assert (s.check_https, s.ca_bundle) == (False, "certs/ca.pem")
    assert s.connect_address("example.org", 443) == ("127.0.0.1", 8443)
    assert s.connect_address("::1", 80) == ("::1", 8080)
    assert s.connect_address("example.org", 80) is None


def test_google_scholar_can_be_checked_on_request() -> None:
    assert LinkSettings.from_mapping({"check-google-scholar": True}).skip == ()


@pytest.mark.parametrize(("data", "message"), [
    ({"concurrency": 0}, "links -> concurrency: 0 is out of range"),
    ({"per-host": 1.5}, "links -> per-host: expected a whole number, got 1.5"),
    ({"timeout": "fast"}, "links -> timeout: expected a number, got 'fast'"),
    ({"cache-ttl": "soon"}, "links -> cache-ttl: expected a duration such as 12h or 7d, "
                            "not 'soon'"),
    ({"skip": ["("]}, "links -> skip -> 0: bad regular expression: missing ), unterminated "
                      "subpattern at position 0"),
    ({"accept": {"h": [42]}}, "links -> accept -> h: expected a list of status codes"),
    ({"hosts": {"h": {"speed": 1}}}, "links -> hosts -> h: expected a mapping with per-host, "
                                     "interval and/or head"),
    ({"github-token": "x"}, "links -> github-token: unknown link-check option"),
    ({"check-https": "yes"}, "links -> check-https: expected true or false"),
    ({"connect-to": {"example.org": "127.0.0.1:1"}}, "links -> connect-to -> example.org: "
     "expected host:port: address:port, e.g. example.org:443: 127.0.0.1:8443"),
    ({"connect-to": {"example.org:443": "127.0.0.1:99999"}}, "links -> connect-to -> "
     "example.org:443: expected host:port: address:port, e.g. example.org:443: 127.0.0.1:8443"),
    ({"connect-to": ["x"]}, "links -> connect-to: expected host:port: address:port"),
])
def test_bad_options_name_the_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        LinkSettings.from_mapping(data)
    assert str(info.value) == message


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("30s", 30), ("15m", 900),
                                               ("12h", 43200), ("7d", 604800), ("1.5h", 5400)])
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(("host", "expected"), [
    ("scholar.google.com", True), ("scholar.google.co.uk", True), ("www.sciencedirect.com", True),
    ("sciencedirect.com", True), ("onlinelibrary.wiley.com", True), ("wiley.com", True),
    ("github.com", False), ("notsciencedirect.com", False)])
def test_unverifiable_host_patterns(host: str, expected: bool) -> None:
    assert host_matches(host, LinkSettings().unverifiable_hosts) is expected


def test_token_is_not_in_the_settings_repr() -> None:
    s = LinkSettings(github_token="ghp_abcdefgh", headers={"h": {"Authorization": "Bearer q"}})
    assert "ghp_abcdefgh" not in repr(s) and "Bearer q" not in repr(s)
