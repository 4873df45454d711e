"""Checking one URL: HEAD or GET, redirects hop by hop, retries, classification.

A :class:`UrlJob` is a small state machine run by the scheduler; each
:meth:`UrlJob.step` performs exactly one request and returns ``Done`` with an
:class:`Outcome`, or ``Again`` (next redirect hop, switch to GET, or a retry
after a delay).  Nothing here sleeps: waiting is the scheduler's job, so a
worker is never held by a host that asked us to come back later.

Decisions, in the order they are taken for an answer:

* a status accepted for the host by configuration: ok;
* 3xx with ``Location``: next hop (max ``max_redirects``; a URL seen twice is a
  loop); the leading 301/308 hops make a ``redirect`` to their end;
* HEAD answered 400/403/405/406/501: the same URL again with GET (and the host
  is remembered as one that mishandles HEAD);
* 2xx: ok, unless the page is a bot wall (captcha, Cloudflare challenge);
  a GET of an HTML page yields its title for ``link-mismatch``;
* 404/410: dead; 429/503: retry after ``Retry-After`` (seconds or HTTP date,
  capped) with the whole host held back; other 5xx: retry with exponential
  back-off and jitter; then error (429: unverified);
* 401/403/999: unverified; any other failure from a publisher or search
  engine host: unverified too, with the reason.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from awesome_medad.links.client import Client, Exchange, ExchangeFailed, Resolver
from awesome_medad.links.outcome import MergedTarget, Outcome
from awesome_medad.links.scheduler import Again, Done, Step
from awesome_medad.links.secrets import Redactor, headers_for, host_of
from awesome_medad.links.settings import LinkSettings
from awesome_medad.links.titles import page_title

RETRYABLE = frozenset({"refused", "reset", "timeout", "dns-temporary", "dns-timeout", "other"})
HEAD_REFUSED = frozenset({400, 403, 405, 406, 501})
PERMANENT = frozenset({301, 308})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
WALL_TITLES = ("just a moment", "attention required", "are you a robot", "captcha",
               "security check", "access denied", "bot verification", "verify you are human")
_BAD_URL_CHARS = re.compile(r"[\s<>\"{}|\\^`\x00-\x1f\x7f]")
API_BODY_LIMIT = 8 * 1024 * 1024
REASONS = {401: "HTTP 401: login required", 403: "HTTP 403: access refused to robots",
           429: "HTTP 429: rate limited", 999: "HTTP 999: the site refuses robots"}


@dataclass
class Context:
    """What every job of one run shares: settings, the client, DNS, secrets."""

    settings: LinkSettings
    client: Client
    resolver: Resolver
    redactor: Redactor
    extra_headers: Callable[[str], dict[str, str]] = lambda url: {}
    rng: random.Random = field(default_factory=random.Random)
    no_head: set[str] = field(default_factory=set)  # hosts seen mishandling HEAD
    lock: threading.Lock = field(default_factory=threading.Lock)

    def headers(self, url: str) -> dict[str, str]:
        """Headers for this hop: only the ones that belong to its host."""
        headers = {"Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8"}
        headers.update(headers_for(url, self.settings.headers))
        headers.update(self.extra_headers(url))
        return headers

    def backoff(self, attempt: int) -> float:
        """Exponential back-off with jitter (0.5x-1.5x), capped."""
        s = self.settings
        return float(min(s.backoff_cap, s.backoff * 2.0 ** attempt * self.rng.uniform(0.5, 1.5)))

    def avoid_head(self, host: str) -> bool:
        policy = self.settings.policy(host)
        if policy.head is not None:
            return not policy.head
        with self.lock:
            return host in self.no_head or self.settings.unverifiable(host)

    def remember_no_head(self, host: str) -> None:
        with self.lock:
            self.no_head.add(host)

    def precheck(self, url: str) -> ExchangeFailed | None:
        """Scheme and DNS checked before any socket is opened (fails fast, no retries wasted)."""
        try:
            parts = urlsplit(url)
            _ = parts.port
        except ValueError as exc:
            return ExchangeFailed("invalid-url", f"malformed URL: {exc}")
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            return ExchangeFailed("invalid-url", "malformed URL: expected http(s)://host/...")
        bad = _BAD_URL_CHARS.search(url)
        if bad:
            return ExchangeFailed("invalid-url", f"malformed URL: it contains {bad.group()!r} "
                                  "(encode it, e.g. %20 for a space)")
        if self.client.proxies.proxied(url):
            return None  # the proxy resolves names, not us
        port = parts.port or (443 if parts.scheme == "https" else 80)
        if self.settings.connect_address(parts.hostname, port):
            return None  # connect-to: the name is never looked up
        return self.resolver.check(parts.hostname.rstrip("."))


def host_key(url: str) -> str:
    """The scheduler's notion of a host: name plus explicit port (two servers, two hosts)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return ""
    name = (parts.hostname or "").lower().rstrip(".")
    return f"{name}:{port}" if port else name


def retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class _Attempts:
    """Retry book-keeping shared by URL and API jobs."""

    ctx: Context
    url: str
    attempt: int = 0
    started: float | None = None

    @property
    def host(self) -> str:
        return host_key(self.url)

    def _retry(self, delay: float, host_wide: bool = False) -> Again | None:
        """``Again`` after ``delay`` if attempts and the URL's deadline allow it."""
        s = self.ctx.settings
        started = self.started if self.started is not None else time.monotonic()
        if self.attempt >= s.retries or time.monotonic() + delay > started + s.url_deadline:
            return None
        self.attempt += 1
        return Again(delay=delay, host_delay=delay if host_wide else 0.0)

    def _throttled(self, ex: Exchange) -> tuple[Again | None, str]:
        """Retry a 429/503 after Retry-After (capped), holding back the whole host."""
        wait = retry_after(ex.headers.get("Retry-After"))
        cap = self.ctx.settings.retry_after_cap
        if wait is not None and wait > cap:
            return None, f"the server asks to wait {wait:.0f} s (more than the {cap:g} s cap)"
        again = self._retry(wait if wait is not None else self.ctx.backoff(self.attempt), True)
        return again, ""

    def _attempts_note(self) -> str:
        return f" (after {self.attempt + 1} attempts)" if self.attempt else ""


class UrlJob(_Attempts):
    """Checks one distinct URL of the catalogue."""

    def __init__(self, ctx: Context, target: MergedTarget) -> None:
        self.ctx = ctx
        self.target = target
        self.url = target.url
        self.hops: list[str] = [target.url]
        self.permanent: str | None = None  # the end of the leading permanent redirects
        self.leading_permanent = True
        self.method = "GET" if self._wants_title() else "HEAD"
        self.attempt = 0
        self.started: float | None = None
        self.last_cause = ""

    def _wants_title(self) -> bool:
        s = self.ctx.settings
        return s.check_titles and bool(self.target.titles) and any(
            k.lower() in s.title_kinds for k in self.target.kinds)

    def step(self) -> Step:
        now = time.monotonic()
        if self.started is None:
            self.started = now
        s = self.ctx.settings
        if now >= self.started + s.url_deadline:
            return self._done("error", f"gave up after {s.url_deadline:g} s"
                              + (f" ({self.last_cause})" if self.last_cause else ""))
        hostname = host_of(self.url)
        if self.method == "HEAD" and self.ctx.avoid_head(hostname):
            self.method = "GET"
        try:
            failure = self.ctx.precheck(self.url)
            if failure:
                raise failure
            deadline = min(self.started + s.url_deadline, now + s.request_deadline)
            ex = self.ctx.client.exchange(self.method, self.url, self.ctx.headers(self.url),
                                          deadline, read_body=self.method == "GET")
        except ExchangeFailed as failed:
            return self._failed(failed, hostname)
        return self._answered(ex, hostname)

    # -- no HTTP answer ----------------------------------------------------------------------

    def _failed(self, failed: ExchangeFailed, hostname: str) -> Step:
        self.last_cause = failed.message
        if failed.kind in RETRYABLE:
            again = self._retry(self.ctx.backoff(self.attempt))
            if again:
                return again
        if failed.kind == "unreachable":
            return self._done("error", failed.message)
        if failed.kind == "dns":
            return self._done("dead", f"DNS name not found: {hostname}")
        if failed.kind == "refused":
            return self._done("dead", f"connection refused{self._attempts_note()}")
        if failed.kind not in {"tls", "invalid-url"} and self.ctx.settings.unverifiable(hostname):
            return self._done("unverified", f"{failed.message}{self._attempts_note()} "
                              f"({hostname} is known to block robots)")
        return self._done("error", f"{failed.message}{self._attempts_note()}")

    # -- an HTTP answer ----------------------------------------------------------------------

    def _answered(self, ex: Exchange, hostname: str) -> Step:
        status = ex.status
        if self.ctx.settings.accepted(hostname, status):
            return self._good(ex)
        if status in REDIRECTS and ex.headers.get("Location"):
            return self._redirect(status, ex.headers["Location"])
        if self.method == "HEAD" and status in HEAD_REFUSED:
            self.ctx.remember_no_head(hostname)
            self.method = "GET"
            return Again()
        if 200 <= status < 300:
            return self._good(ex)
        return self._bad(ex, hostname)

    def _redirect(self, status: int, location: str) -> Step:
        target = urljoin(self.url, location.strip())
        if target in self.hops:
            chain = " -> ".join([*self.hops[self.hops.index(target):], target])
            self.hops = self.hops[:1]  # the loop itself names every URL: no "at ..." suffix
            return self._done("error", f"redirect loop: {chain}", code=status)
        if len(self.hops) > self.ctx.settings.max_redirects:
            return self._done("error", f"more than {self.ctx.settings.max_redirects} redirects",
                              code=status)
        if status in PERMANENT and self.leading_permanent:
            self.permanent = target
        else:
            self.leading_permanent = False
        self.hops.append(target)
        self.url = target
        self.attempt = 0
        if status == 303:
            self.method = "GET" if self._wants_title() else "HEAD"
        return Again()

    def _good(self, ex: Exchange) -> Step:
        wall = bot_wall(ex)
        if wall:
            return self._done("unverified", wall, code=ex.status)
        title = None
        if ex.body and ex.content_type in {"text/html", "application/xhtml+xml"}:
            title = page_title(ex.text())
        if self.permanent:
            return self._done("redirect", "", code=ex.status, page_title=title)
        return self._done("ok", "", code=ex.status, page_title=title)

    def _bad(self, ex: Exchange, hostname: str) -> Step:
        status = ex.status
        if status in (404, 410):
            return self._done("dead", f"HTTP {status}", code=status)
        wall = bot_wall(ex)
        if wall:
            return self._done("unverified", wall, code=status)
        if status in (429, 503):
            again, why = self._throttled(ex)
            if again:
                return again
            detail = f"HTTP {status}{self._attempts_note()}" + (f": {why}" if why else "")
            level = "unverified" if status == 429 else "error"
            return self._maybe_unverified(level, detail, hostname, status)
        if status in REASONS:
            return self._done("unverified", REASONS[status], code=status)
        if status >= 500:
            again = self._retry(self.ctx.backoff(self.attempt))
            if again:
                return again
            return self._maybe_unverified("error", f"HTTP {status}{self._attempts_note()}",
                                          hostname, status)
        return self._maybe_unverified("error", f"HTTP {status}", hostname, status)

    def _maybe_unverified(self, status: str, detail: str, hostname: str, code: int) -> Step:
        if self.ctx.settings.unverifiable(hostname) and status == "error":
            return self._done("unverified", f"{detail} ({hostname} is known to block robots)",
                              code=code)
        return self._done(status, detail, code=code)

    def _done(self, status: str, detail: str, code: int | None = None,
              page_title: str | None = None) -> Done:
        final = self.permanent if status == "redirect" else (
            self.url if len(self.hops) > 1 else None)
        r = self.ctx.redactor
        return Done(Outcome(url=self.target.url, status=status, detail=r.clean(detail), code=code,
                            final_url=r.clean_opt(final), page_title=r.clean_opt(page_title),
                            checked_at=time.time()))


def bot_wall(ex: Exchange) -> str | None:
    """Why this answer is a captcha or bot check rather than the page, if it is one."""
    if ex.headers.get("cf-mitigated", "").lower() == "challenge":
        return "the site answered with a Cloudflare bot challenge"
    if not ex.body or ex.content_type not in {"text/html", "application/xhtml+xml"}:
        return None
    title = (page_title(ex.text()) or "").lower()
    if any(marker in title for marker in WALL_TITLES):
        return f"the site answered with a bot check ('{title[:60]}')"
    head = ex.body[:20000].lower()
    if b"g-recaptcha" in head or b"h-captcha" in head or b"captcha-form" in head:
        return "the site answered with a captcha"
    return None


class ApiJob(_Attempts):
    """One GET to a JSON/Atom API with the same retries; ``Done`` holds the answer.

    The value is an :class:`Exchange` (any final status) or an
    :class:`ExchangeFailed`; the caller decides what it means.  Redirects are
    followed (GitHub answers a renamed repository with 301), each hop with
    only its own host's headers.
    """

    def __init__(self, ctx: Context, url: str, payload: tuple[str, Any]) -> None:
        self.ctx = ctx
        self.url = url
        self.payload = payload  # what the caller needs to interpret the answer
        self.hops = [url]
        self.attempt = 0
        self.started: float | None = None

    def step(self) -> Step:
        now = time.monotonic()
        if self.started is None:
            self.started = now
        s = self.ctx.settings
        try:
            failure = self.ctx.precheck(self.url)
            if failure:
                raise failure
            deadline = min(self.started + s.url_deadline, now + s.request_deadline)
            ex = self.ctx.client.exchange("GET", self.url, self.ctx.headers(self.url), deadline,
                                          read_body=True, limit=API_BODY_LIMIT)
        except ExchangeFailed as failed:
            again = self._retry(self.ctx.backoff(self.attempt)) if failed.kind in RETRYABLE \
                else None
            return again or Done(failed)
        if ex.status in REDIRECTS and ex.headers.get("Location"):
            target = urljoin(self.url, ex.headers["Location"].strip())
            if target in self.hops or len(self.hops) > s.max_redirects:
                return Done(ExchangeFailed("other", "redirect loop"))
            self.hops.append(target)
            self.url = target
            return Again()
        if ex.status in (429, 503):
            again, _ = self._throttled(ex)
            if again:
                return again
        elif ex.status >= 500:
            again = self._retry(self.ctx.backoff(self.attempt))
            if again:
                return again
        return Done(ex)
