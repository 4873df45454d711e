"""What the live link check may do: limits, timeouts, retries, skips, secrets.

Every number that decides how hard medad leans on other people's servers is
here, with a polite default, so the CLI (``--concurrency``, ``--per-host``,
``--host-interval``, ...) and the ``links:`` section of the configuration only
ever *replace* values, never re-implement them.  Tests shrink the timeouts and
caps so that hostile servers are dealt with in a second or two.

Configuration (the ``links:`` section of ``.medad.yaml`` or ``[tool.medad.links]``;
:meth:`LinkSettings.from_mapping` reads it)::

    links:
      concurrency: 16          # requests in flight, all hosts together
      per-host: 2              # requests in flight to one host
      host-interval: 0.2       # seconds between two request starts on one host
      timeout: 20              # seconds for one request, body prefix included
      deadline: 60             # seconds for one URL, every retry and redirect included
      retries: 2
      cache: .medad-cache      # directory of links.json
      cache-ttl: 3d            # good results are trusted this long (s, m, h, d)
      skip:                    # URL regexes not to fetch (a reason is optional)
        - {pattern: '^https://example\\.org/private/', reason: members only}
      accept:                  # extra status codes that count as alive, per host
        www.researchgate.net: [403]
      hosts:                   # per-host overrides
        export.arxiv.org: {per-host: 1, interval: 3}
      headers:                 # sent only to that host, never to a redirect target
        api.example.org: {Authorization: Bearer xyz}
      unverified-hosts: [example-publisher.com]   # added to the built-in list
      check-https: true        # also try the https:// twin of each http:// link (see below)
      ca-bundle: certs/ca.pem  # trust these CAs (default: certifi, or REQUESTS_CA_BUNDLE)
      connect-to:              # connect elsewhere for host:port, as curl --connect-to does;
        example.org:443: 127.0.0.1:8443   # Host header, TLS name and certificate unchanged

``check-https`` (on by default): for every ``http://`` link on the default
port (no port, or ``:80``) that ends OK, the check also asks for the same
address with ``https://`` (port 443).  When that ends OK as well, at the
same address modulo the scheme and a trailing slash, the https form is
proven equivalent: a ``link-https`` warning names it and ``medad lint --fix``
makes the change.  An http link whose own redirects pass through its https
form needs no extra request.  A link with another port has no scheme-only
twin (an https server cannot share the port) and is not tried.
``connect-to`` exists for such checks against local servers (tests,
staging copies): ``medad.test:80`` and ``medad.test:443`` can be two local
servers while the URLs stay ``http://medad.test/...`` and ``https://medad.test/...``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

DEFAULT_CACHE_DIR = Path(".medad-cache")
CACHE_FILE_NAME = "links.json"

GOOGLE_SCHOLAR_REASON = (
    "Google Scholar search pages answer robots with HTTP 429 or a captcha, so they cannot be "
    "checked; skipped by default (links: check-google-scholar: true checks them anyway)"
)
CONFIG_SKIP_REASON = "skipped by the configuration (links: skip)"


@dataclass(frozen=True)
class SkipRule:
    """A URL regex that is not fetched, and the reason the summary gives for it."""

    pattern: str
    reason: str

    def matches(self, url: str) -> bool:
        return re.search(self.pattern, url) is not None


@dataclass(frozen=True)
class HostPolicy:
    """Per-host overrides; ``None`` means "use the global setting"."""

    per_host: int | None = None
    interval: float | None = None
    head: bool | None = None  # False: the host mishandles HEAD, go straight to GET


DEFAULT_SKIPS: tuple[SkipRule, ...] = (
    SkipRule(r"^https?://scholar\.google(?:\.[a-z]{2,3}){1,2}/(?:scholar|citations)\b",
             GOOGLE_SCHOLAR_REASON),
)

# Publishers and search engines that wall robots off (GUIDE.md, "Lessons"): any
# refusal from them is "unverified", never "dead" or "error", and they get GET
# straight away because several of them answer HEAD with 403/405.
DEFAULT_UNVERIFIABLE_HOSTS: tuple[str, ...] = (
    "scholar.google.*", "sciencedirect.com", "*.sciencedirect.com", "ieeexplore.ieee.org",
    "doi.org", "dx.doi.org", "*.wiley.com", "link.springer.com", "dl.acm.org",
    "*.researchgate.net", "*.semanticscholar.org", "*.tandfonline.com", "*.spiedigitallibrary.org",
    "academic.oup.com", "*.elsevier.com",
)


@dataclass(frozen=True)
class LinkSettings:
    """All knobs of a live check; frozen so one run cannot change another's."""

    concurrency: int = 16
    per_host: int = 2
    host_interval: float = 0.2
    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    request_deadline: float = 20.0  # one request, headers and body prefix included
    url_deadline: float = 60.0  # every attempt and hop of one URL together
    retries: int = 2  # extra attempts after the first
    backoff: float = 0.5  # first retry delay; doubled each time, with jitter
    backoff_cap: float = 8.0
    retry_after_cap: float = 30.0  # longer Retry-After: give up and say so
    max_redirects: int = 10
    body_prefix: int = 64 * 1024  # bytes of a GET body read, for the page title
    cache: bool = True
    cache_dir: Path = DEFAULT_CACHE_DIR
    cache_ttl: float = 3 * 24 * 3600.0
    skip: tuple[SkipRule, ...] = DEFAULT_SKIPS
    accept: Mapping[str, frozenset[int]] = field(default_factory=dict)
    hosts: Mapping[str, HostPolicy] = field(default_factory=dict)
    unverifiable_hosts: tuple[str, ...] = DEFAULT_UNVERIFIABLE_HOSTS
    headers: Mapping[str, Mapping[str, str]] = field(default_factory=dict, repr=False)
    github_token: str | None = field(default=None, repr=False)
    api_overrides: Mapping[str, str] = field(default_factory=dict)
    check_titles: bool = True
    title_kinds: frozenset[str] = frozenset({"pdf", "paper", "doi", "abstract", "html"})
    arxiv_batch: int = 100
    arxiv_interval: float = 3.0  # arXiv's API terms: one request every three seconds
    ca_bundle: str | None = None  # None: REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, else certifi
    check_https: bool = True  # try the https:// twin of http:// links
    # "host:port" -> (address, port) to connect to instead (curl's --connect-to)
    connect_to: Mapping[str, tuple[str, int]] = field(default_factory=dict)
    dns_timeout: float = 5.0
    dns_canaries: tuple[str, ...] = ("doi.org", "arxiv.org", "github.com")
    user_agent: str | None = None  # None: medad's own (awesome_medad.http.USER_AGENT)

    @property
    def cache_path(self) -> Path:
        return self.cache_dir / CACHE_FILE_NAME

    def secrets(self) -> tuple[str, ...]:
        """Every value that must never be shown or stored (tokens, configured headers)."""
        values = [v for host in self.headers.values() for v in host.values()]
        if self.github_token:
            values.append(self.github_token)
        return tuple(v for v in values if v)

    def unverifiable(self, host: str) -> bool:
        """Whether ``host`` is a publisher or search engine known to wall robots off."""
        return host_matches(host, self.unverifiable_hosts)

    def accepted(self, host: str, status: int) -> bool:
        return status in self.accept.get(host.lower(), frozenset())

    def connect_address(self, host: str, port: int) -> tuple[str, int] | None:
        """Where to connect for ``host:port`` when ``connect-to`` redirects it, else ``None``."""
        return self.connect_to.get(f"{host.lower().rstrip('.')}:{port}")

    def policy(self, host: str) -> HostPolicy:
        return self.hosts.get(host.lower(), HostPolicy())

    def limit_for(self, host: str) -> int:
        return max(1, min(self.policy(host).per_host or self.per_host, self.concurrency))

    def interval_for(self, host: str) -> float:
        interval = self.policy(host).interval
        return self.host_interval if interval is None else interval

    def with_options(self, **changes: Any) -> LinkSettings:
        """A copy with the given fields replaced; ``None`` values are ignored (unset options)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_config(cls, links: Mapping[str, Any], api: Mapping[str, str],
                    environ: Mapping[str, str]) -> LinkSettings:
        """Settings from the configuration's ``links`` and ``api`` sections and the environment.

        ``GITHUB_TOKEN`` comes from the environment only (never from a file
        that could be committed).
        """
        settings = cls.from_mapping(links)
        return replace(settings, api_overrides=dict(api),
                       github_token=environ.get("GITHUB_TOKEN") or None)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], base: LinkSettings | None = None
                     ) -> LinkSettings:
        """Settings from a ``links:`` config mapping; ``ValueError`` names the bad key."""
        return _Parser(base or cls()).parse(data)


# Configuration keys (as written in .medad.yaml / [tool.medad]) -> LinkSettings fields.
NUMBER_KEYS: dict[str, tuple[str, type]] = {
    "concurrency": ("concurrency", int), "per-host": ("per_host", int),
    "host-interval": ("host_interval", float), "timeout": ("request_deadline", float),
    "connect-timeout": ("connect_timeout", float), "read-timeout": ("read_timeout", float),
    "deadline": ("url_deadline", float), "retries": ("retries", int),
    "retry-after-cap": ("retry_after_cap", float), "max-redirects": ("max_redirects", int),
    "arxiv-batch": ("arxiv_batch", int),
}
OTHER_KEYS = ("cache", "cache-ttl", "user-agent", "unverified-hosts", "skip", "accept", "hosts",
              "headers", "check-titles", "check-google-scholar", "dns-canaries", "check-https",
              "ca-bundle", "connect-to")
_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def parse_duration(text: str) -> float:
    """``90``, ``30s``, ``15m``, ``12h``, ``7d`` -> seconds; ``ValueError`` otherwise."""
    match = _DURATION_RE.match(str(text))
    if not match:
        raise ValueError(f"expected a duration such as 12h or 7d, not {text!r}")
    return float(match[1]) * _UNITS[match[2]]


class _Parser:
    """Turns the ``links`` configuration mapping into settings, one small checker per key.

    ``awesome_medad.config`` has already checked the basic types; this adds
    what only the link checker knows (ranges, regexes, durations, shapes).
    """

    def __init__(self, base: LinkSettings) -> None:
        self.base = base

    def parse(self, data: Mapping[str, Any]) -> LinkSettings:
        if not isinstance(data, Mapping):
            raise ValueError("links: expected a mapping")
        changes: dict[str, Any] = {}
        for raw_key, value in data.items():
            key = str(raw_key).replace("_", "-")
            if key in NUMBER_KEYS:
                name, kind = NUMBER_KEYS[key]
                changes[name] = _number(key, value, kind)
            elif key in OTHER_KEYS:
                changes.update(self.other(key, value, changes))
            else:
                raise ValueError(f"links -> {raw_key}: unknown link-check option")
        return replace(self.base, **changes)

    def other(self, key: str, value: Any, changes: dict[str, Any]) -> dict[str, Any]:
        if key == "cache":
            return {"cache_dir": Path(self.text(key, value))}
        if key == "cache-ttl":
            try:
                return {"cache_ttl": parse_duration(value)}
            except ValueError as exc:
                raise ValueError(f"links -> {key}: {exc}") from None
        if key == "user-agent":
            return {"user_agent": self.text(key, value)}
        if key == "unverified-hosts":
            return {"unverifiable_hosts": self.base.unverifiable_hosts + self.strings(key, value)}
        if key == "skip":
            return {"skip": changes.get("skip", self.base.skip) + self.skips(key, value)}
        if key == "check-google-scholar":
            if not self.flag(key, value):
                return {}
            kept = changes.get("skip", self.base.skip)
            return {"skip": tuple(rule for rule in kept if rule not in DEFAULT_SKIPS)}
        if key == "dns-canaries":
            return {"dns_canaries": self.strings(key, value)}
        if key == "check-titles":
            return {"check_titles": self.flag(key, value)}
        if key == "check-https":
            return {"check_https": self.flag(key, value)}
        if key == "ca-bundle":
            return {"ca_bundle": self.text(key, value)}
        if key == "connect-to":
            return {"connect_to": self.connect_to(key, value)}
        handlers: dict[str, Callable[[str, Any], Any]] = {
            "accept": self.accept, "hosts": self.hosts, "headers": self.headers}
        return {key: handlers[key](key, value)}

    def flag(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"links -> {key}: expected true or false")
        return value

    def text(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value:
            raise ValueError(f"links -> {key}: expected a non-empty string")
        return value

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"links -> {key}: expected a list of strings")
        return tuple(value)

    def mapping(self, key: str, value: Any) -> dict[str, str]:
        if not isinstance(value, Mapping) or not all(isinstance(v, str) for v in value.values()):
            raise ValueError(f"links -> {key}: expected a mapping of strings")
        return {str(k): v for k, v in value.items()}

    def skips(self, key: str, value: Any) -> tuple[SkipRule, ...]:
        if not isinstance(value, list):
            raise ValueError(f"links -> {key}: expected a list of patterns or "
                             "{pattern, reason} mappings")
        return tuple(self.skip(f"{key} -> {i}", item) for i, item in enumerate(value))

    def skip(self, where: str, item: Any) -> SkipRule:
        pattern = item.get("pattern") if isinstance(item, Mapping) else item
        reason = item.get("reason", CONFIG_SKIP_REASON) if isinstance(item, Mapping) \
            else CONFIG_SKIP_REASON
        if not isinstance(pattern, str) or not isinstance(reason, str):
            raise ValueError(f"links -> {where}: expected a pattern string")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"links -> {where}: bad regular expression: {exc}") from None
        return SkipRule(pattern, reason)

    def accept(self, key: str, value: Any) -> dict[str, frozenset[int]]:
        if not isinstance(value, Mapping):
            raise ValueError(f"links -> {key}: expected host: [status codes]")
        result = {}
        for host, codes in value.items():
            if not isinstance(codes, list) or not all(
                    isinstance(c, int) and not isinstance(c, bool) and 100 <= c <= 999
                    for c in codes):
                raise ValueError(f"links -> {key} -> {host}: expected a list of status codes")
            result[str(host).lower()] = frozenset(codes)
        return result

    def hosts(self, key: str, value: Any) -> dict[str, HostPolicy]:
        if not isinstance(value, Mapping):
            raise ValueError(f"links -> {key}: expected host: {{per-host, interval, head}}")
        result = {}
        for host, item in value.items():
            if not isinstance(item, Mapping) or set(item) - {"per-host", "interval", "head"}:
                raise ValueError(f"links -> {key} -> {host}: expected a mapping with per-host, "
                                 "interval and/or head")
            result[str(host).lower()] = HostPolicy(
                per_host=_number("per-host", item["per-host"], int) if "per-host" in item
                else None,
                interval=_number("interval", item["interval"], float) if "interval" in item
                else None,
                head=self.flag("head", item["head"]) if "head" in item else None)
        return result

    def connect_to(self, key: str, value: Any) -> dict[str, tuple[str, int]]:
        if not isinstance(value, Mapping):
            raise ValueError(f"links -> {key}: expected host:port: address:port")
        result = {}
        for name, target in value.items():
            where = f"links -> {key} -> {name}"
            source = _host_port(str(name))
            address = _host_port(target) if isinstance(target, str) else None
            if source is None or address is None:
                raise ValueError(f"{where}: expected host:port: address:port, e.g. "
                                 "example.org:443: 127.0.0.1:8443")
            result[f"{source[0].lower()}:{source[1]}"] = address
        return result

    def headers(self, key: str, value: Any) -> dict[str, dict[str, str]]:
        if not isinstance(value, Mapping):
            raise ValueError(f"links -> {key}: expected host: {{Header: value}}")
        return {str(h).lower(): self.mapping(f"{key} -> {h}", v) for h, v in value.items()}


def host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    """``fnmatch``-style host patterns: ``*.wiley.com``, ``scholar.google.*``, exact names.

    ``*.example.com`` also matches ``example.com`` itself, as people mean it to.
    """
    from fnmatch import fnmatchcase

    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.lower()
        if fnmatchcase(host, pattern) or (pattern.startswith("*.") and host == pattern[2:]):
            return True
    return False


def _host_port(text: str) -> tuple[str, int] | None:
    """``host:port`` (``[::1]:443`` for IPv6) -> (host, port); ``None`` if malformed."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host, int(port)


def _number(key: str, value: Any, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"links -> {key}: expected a number, got {value!r}")
    if kind is int and not float(value).is_integer():
        raise ValueError(f"links -> {key}: expected a whole number, got {value!r}")
    if value < 0 or (kind is int and key in {"concurrency", "per-host", "arxiv-batch"}
                     and value < 1):
        raise ValueError(f"links -> {key}: {value!r} is out of range")
    return kind(value)
