"""One HTTP exchange, bounded in time and memory, and the DNS pre-check.

requests' timeouts are per socket operation: a server that drips one byte a
second never trips a 10 s read timeout and could hold a worker for hours.
So every exchange is *armed* on a :class:`Watchdog` with an absolute
deadline; the connections of medad's sessions register themselves with the
exchange running on their thread, and when the deadline passes the watchdog
shuts the socket down, which makes the blocked read fail at once.

Bodies are never read whole: a GET reads at most ``body_prefix`` bytes (for
the page title) and a connection whose body was cut short is closed, so an
endless body costs a few kilobytes; complete answers (every HEAD, short
pages) leave their connection in the pool for keep-alive.

Redirects are *not* followed here (``allow_redirects`` off): the checker
follows them hop by hop, so each hop is scheduled on its own host and
carries only that host's headers.

DNS is looked up once per host and run, in a helper thread with a timeout,
before the first request: a name that does not exist fails in
milliseconds, and a resolver that hangs cannot hold a worker past
``dns_timeout`` (``getaddrinfo`` itself cannot be interrupted).
"""

from __future__ import annotations

import contextlib
import errno
import heapq
import itertools
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests
    from requests.structures import CaseInsensitiveDict

ConnectTo = Callable[[str, int], "tuple[str, int] | None"]  # connect-to: (host, port) -> addr
_current = threading.local()  # .token: the _Armed exchange running on this thread


@dataclass
class _Armed:
    """An exchange under watch: its deadline and the connection it is using."""

    deadline: float
    conn: Any = None
    fired: bool = False


class Watchdog:
    """One daemon thread that shuts down the socket of any exchange past its deadline."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Armed]] = []
        self._seq = itertools.count()
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="medad-watchdog", daemon=True)
        self._thread.start()

    def arm(self, deadline: float) -> _Armed:
        token = _Armed(deadline)
        with self._cond:
            earliest = self._heap[0][0] if self._heap else None
            heapq.heappush(self._heap, (deadline, next(self._seq), token))
            if earliest is None or deadline < earliest:
                # Only an earlier deadline changes when the thread must wake; deadlines
                # mostly grow, so most requests cost no wake-up (and no GIL hand-off).
                self._cond.notify()
        _current.token = token
        return token

    def disarm(self, token: _Armed) -> None:
        _current.token = None
        with self._cond:
            token.deadline = -1.0  # lazily dropped from the heap

    def close(self) -> None:
        """Stop the thread (exchanges still armed are no longer watched)."""
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def _loop(self) -> None:
        with self._cond:
            while not self._stopped:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].deadline < 0 or self._heap[0][0] <= now):
                    _, _, token = heapq.heappop(self._heap)
                    if token.deadline >= 0:
                        token.fired = True
                        _kill(token.conn)
                wait = self._heap[0][0] - now if self._heap else None
                self._cond.wait(wait)


def _kill(conn: Any) -> None:
    """Shut the connection's socket down so a blocked read on another thread returns."""
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    # The plain socket method: SSLSocket.shutdown would tear down TLS state under the reader.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _register(conn: Any) -> None:
    token = getattr(_current, "token", None)
    if token is not None:
        token.conn = conn


def tracked_adapter_class(connect_to: ConnectTo | None = None) -> type[Any]:
    """An ``HTTPAdapter`` whose connections register with the running exchange's watchdog.

    ``connect_to(host, port)`` may name another address to open the socket
    to (curl's ``--connect-to``); the request itself (Host header, TLS server
    name, certificate check) still names ``host``.
    """
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def new_conn(conn: Any, make: Callable[[], socket.socket]) -> socket.socket:
        target = connect_to(conn.host, conn.port) if connect_to else None
        if target is None:
            return make()
        saved = conn._dns_host, conn.port
        conn._dns_host, conn.port = target
        try:
            return make()
        finally:  # the Host header is written later, from the original port
            conn._dns_host, conn.port = saved

    class Tracked(HTTPConnection):
        """Registers its socket for the deadline watchdog and honours ``connect-to``."""

        def connect(self) -> None:
            _register(self)
            super().connect()

        def _new_conn(self) -> socket.socket:
            return new_conn(self, super()._new_conn)

        def request(self, *args: Any, **kwargs: Any) -> None:
            _register(self)
            super().request(*args, **kwargs)

    class TrackedHTTP(Tracked):
        pass

    class TrackedHTTPS(Tracked, HTTPSConnection):
        pass

    class TrackedPool(HTTPConnectionPool):
        ConnectionCls = TrackedHTTP

    class TrackedHTTPSPool(HTTPSConnectionPool):
        ConnectionCls = TrackedHTTPS

    class TrackedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": TrackedPool,
                                                       "https": TrackedHTTPSPool}

    return TrackedAdapter


@dataclass(frozen=True)
class Exchange:
    """What one request brought back (redirects not followed)."""

    status: int
    headers: CaseInsensitiveDict[str]
    body: bytes = b""
    encoding: str | None = None
    truncated: bool = False  # the body went on past the prefix (or past the deadline)

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")


class ExchangeFailed(Exception):
    """A request failed without an HTTP status; ``kind`` drives retries and classification.

    Kinds: ``dns`` (name not found), ``dns-temporary``, ``dns-timeout``,
    ``refused``, ``reset``, ``timeout``, ``deadline``, ``tls``, ``unreachable``,
    ``invalid-url``, ``other``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Proxies:
    """The environment's proxies for each host, looked up once per run, not once per request.

    requests reads ``*_proxy``/``no_proxy`` from ``os.environ`` (and
    ``~/.netrc``) on *every* request when ``trust_env`` is on; decoding the
    whole environment several times per request was almost half of the
    checker's CPU time, and CPU time is what keeps a request slot idle
    between answers.  So the session runs with ``trust_env`` off and gets
    the same proxies from here, memoised per scheme, host and port.
    (``~/.netrc`` credentials are deliberately not sent by the link checker;
    per-host ``headers`` in the configuration are the way to authenticate.)
    """

    def __init__(self, connect_to: ConnectTo | None = None) -> None:
        self._lock = threading.Lock()
        self._table: dict[tuple[str, str, int | None], dict[str, str]] = {}
        self._connect_to = connect_to  # a connect-to address is reached directly

    def for_url(self, url: str) -> dict[str, str]:
        """Proxy mapping for ``url`` (empty: connect directly)."""
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(url)
            key = (parts.scheme.lower(), (parts.hostname or "").lower(), parts.port)
        except ValueError:
            return {}
        with self._lock:
            found = self._table.get(key)
        if found is None:
            from requests.utils import get_environ_proxies

            port = key[2] or (443 if key[0] == "https" else 80)
            direct = not key[1] or (self._connect_to and self._connect_to(key[1], port))
            found = {} if direct else get_environ_proxies(url)
            with self._lock:
                self._table[key] = found
        return found

    def proxied(self, url: str) -> bool:
        """Whether ``url`` goes through a proxy (which then resolves its host name, not us)."""
        from urllib.parse import urlsplit

        proxies = self.for_url(url)
        scheme = urlsplit(url).scheme.lower()
        return bool(proxies.get(scheme) or proxies.get("all"))


def environ_ca_bundle(environ: dict[str, str] | None = None) -> str | None:
    """``REQUESTS_CA_BUNDLE`` or ``CURL_CA_BUNDLE``, as requests itself honours them."""
    import os

    env = os.environ if environ is None else environ
    return env.get("REQUESTS_CA_BUNDLE") or env.get("CURL_CA_BUNDLE") or None


@dataclass
class Client:
    """Performs bounded exchanges over one shared, pooled session.

    The session must have ``trust_env`` off: proxies come from :class:`Proxies`.
    """

    session: requests.Session
    watchdog: Watchdog
    connect_timeout: float
    read_timeout: float
    body_prefix: int
    verify: bool | str = True
    extra: dict[str, str] = field(default_factory=dict)
    proxies: Proxies = field(default_factory=Proxies)

    def exchange(self, method: str, url: str, headers: dict[str, str], deadline: float,
                 read_body: bool, limit: int | None = None) -> Exchange:
        """One request; raises :class:`ExchangeFailed` (never a requests exception)."""
        import requests

        token = self.watchdog.arm(deadline)
        response = None
        try:
            timeout = max(0.05, min(self.read_timeout, deadline - time.monotonic()))
            response = self.session.request(
                method, url, headers=headers, allow_redirects=False, stream=True,
                timeout=(min(self.connect_timeout, timeout), timeout), verify=self.verify,
                proxies=self.proxies.for_url(url))
            body, truncated = b"", False
            if read_body:
                body, truncated = _read_prefix(response, limit or self.body_prefix)
            else:
                _finish_bodyless(response)
            if token.fired:
                truncated = True
            return Exchange(response.status_code, response.headers, body, response.encoding,
                            truncated)
        except requests.RequestException as exc:
            raise _failure(exc, token.fired, deadline) from None
        except (OSError, ValueError) as exc:  # urllib3 leaking through, bad ports, ...
            raise _failure(exc, token.fired, deadline) from None
        finally:
            self.watchdog.disarm(token)
            if response is not None:
                response.close()


def _finish_bodyless(response: requests.Response) -> None:
    """Mark a HEAD answer consumed, so ``close()`` returns the connection to the pool.

    Without this, closing an unread streamed response closes the socket, and
    every request would pay for a new TCP connection instead of keep-alive.
    A body that was cut short (the prefix limit) is *not* consumed: that
    connection must be closed, not reused.
    """
    import requests

    with contextlib.suppress(requests.RequestException, OSError, ValueError):
        response.content  # noqa: B018 - empty for HEAD; reading it sets _content_consumed


def _read_prefix(response: requests.Response, limit: int) -> tuple[bytes, bool]:
    """At most ``limit`` decoded bytes of the body; a body cut by the watchdog keeps its start."""
    import requests

    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_content(chunk_size=8192):
            chunks.append(chunk)
            size += len(chunk)
            if size >= limit:
                return b"".join(chunks)[:limit], True
    except (requests.RequestException, OSError, ValueError):
        return b"".join(chunks), True
    return b"".join(chunks), False


def _failure(exc: BaseException, fired: bool, deadline: float) -> ExchangeFailed:
    """Map a requests/urllib3/socket exception to a kind and a one-line cause."""
    import requests

    if fired:
        return ExchangeFailed("deadline", "no complete answer before the deadline "
                              "(the server is too slow or drip-feeds its answer)")
    text = _chain_text(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return ExchangeFailed("tls", f"TLS failure: {_tls_reason(text)}")
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                        requests.exceptions.InvalidSchema, requests.exceptions.URLRequired,
                        ValueError)) and not isinstance(exc, requests.exceptions.ConnectionError):
        return ExchangeFailed("invalid-url", f"malformed URL: {exc}")
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return ExchangeFailed("timeout", "connection timed out")
    if isinstance(exc, requests.exceptions.Timeout):
        return ExchangeFailed("timeout", "timed out waiting for the answer")
    return _os_failure(exc, text)


def _os_failure(exc: BaseException, text: str) -> ExchangeFailed:
    code = _errno(exc)
    lowered = text.lower()
    if code == errno.ECONNREFUSED or "connection refused" in lowered:
        return ExchangeFailed("refused", "connection refused")
    if code in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN) or \
            "network is unreachable" in lowered:
        return ExchangeFailed("unreachable", "network unreachable")
    if code in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED) or "reset by peer" in lowered:
        return ExchangeFailed("reset", "connection reset by peer")
    if "name or service not known" in lowered or "nodename nor servname" in lowered:
        return ExchangeFailed("dns", "DNS name not found")
    if "temporary failure in name resolution" in lowered:
        return ExchangeFailed("dns-temporary", "DNS lookup failed (temporary failure)")
    if "remotedisconnected" in lowered or "connection aborted" in lowered or \
            "without response" in lowered:
        return ExchangeFailed("reset", "the server closed the connection without answering")
    return ExchangeFailed("other", _last_line(text) or type(exc).__name__)


def _chain_text(exc: BaseException) -> str:
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        parts.append(f"{type(current).__name__}: {current}")
        for arg in getattr(current, "args", ()):
            if isinstance(arg, BaseException):
                parts.append(f"{type(arg).__name__}: {arg}")
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            parts.append(f"{type(reason).__name__}: {reason}")
        current = current.__cause__ or current.__context__
    return " | ".join(parts)


def _errno(exc: BaseException) -> int | None:
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno:
            return current.errno
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        for nxt in (getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
    return None


def _tls_reason(text: str) -> str:
    lowered = text.lower()
    for needle, reason in (("certificate verify failed", "certificate verify failed"),
                           ("hostname mismatch", "certificate is for another host name"),
                           ("wrong version number", "the server does not speak TLS"),
                           ("handshake failure", "TLS handshake failed")):
        if needle in lowered:
            detail = text[lowered.index(needle):].split("(")[0].split("'")[0].strip(" :)")
            return detail if needle == "certificate verify failed" else reason
    return _last_line(text)


def _last_line(text: str) -> str:
    last = text.split(" | ")[-1] if text else ""
    return last[:300]


class Resolver:
    """Looks each host name up once per run, with a timeout, in a helper thread.

    Also answers "is the network there at all?": when a lookup fails, the
    well-known ``canaries`` are looked up; if none resolves either, the
    failures mean "network unreachable", not "this name does not exist".
    """

    def __init__(self, timeout: float, canaries: tuple[str, ...]) -> None:
        self.timeout = timeout
        self.canaries = canaries
        self._lock = threading.Lock()
        self._results: dict[str, _Lookup] = {}
        self._network: bool | None = None

    def check(self, host: str) -> ExchangeFailed | None:
        """``None`` if ``host`` resolves, else why not."""
        if not host or _is_ip(host):
            return None
        with self._lock:
            lookup = self._results.get(host)
            if lookup is None:
                lookup = self._results[host] = _Lookup(host)
        if not lookup.done.wait(self.timeout):
            return ExchangeFailed("dns-timeout", f"DNS lookup of {host} timed out")
        if lookup.error is None:
            return None
        if not self.network_up():
            return ExchangeFailed("unreachable", "network unreachable (DNS lookups fail, even "
                                  f"for {', '.join(self.canaries) or 'well-known names'})")
        return lookup.error

    def network_up(self) -> bool:
        with self._lock:
            if self._network is None:
                lookups = [_Lookup(name) for name in self.canaries]
                deadline = time.monotonic() + self.timeout
                self._network = not self.canaries or any(
                    lk.done.wait(max(0.0, deadline - time.monotonic())) and lk.error is None
                    for lk in lookups)
            return self._network


class _Lookup:
    """A ``getaddrinfo`` in a daemon thread: a hung resolver cannot hold up exit."""

    def __init__(self, host: str) -> None:
        self.host = host
        self.error: ExchangeFailed | None = None
        self.done = threading.Event()
        threading.Thread(target=self._run, name=f"medad-dns-{host}", daemon=True).start()

    def _run(self) -> None:
        try:
            socket.getaddrinfo(self.host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            if exc.errno in (socket.EAI_AGAIN,):
                self.error = ExchangeFailed("dns-temporary",
                                            "DNS lookup failed (temporary failure)")
            else:
                self.error = ExchangeFailed("dns", "DNS name not found")
        except (OSError, UnicodeError) as exc:
            self.error = ExchangeFailed("dns", f"DNS lookup failed: {exc}")
        finally:
            self.done.set()


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True
