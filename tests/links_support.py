"""Real local HTTP servers for the link checker tests (no mocks, no internet).

:class:`Server` is a threaded ``http.server`` bound to a loopback address
(127.0.0.1, 127.0.0.2, ... act as different hosts), speaking HTTP/1.1 with
keep-alive, whose routes are plain functions.  It records every request
(method, path, headers, time) so tests can count what reached it.  The
``hostile`` helpers build the misbehaving servers the link checker must
survive: redirect loops, endless or drip-fed answers, resets, 429/503.
"""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from awesome_medad.links import LinkSettings
from awesome_medad.problems import Location

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    at: float


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        with owner.lock:
            owner.seen.append(Seen(self.command, self.path, dict(self.headers), time.monotonic()))
        route = owner.routes.get(path) or owner.routes.get("*")
        try:
            if route is None:
                send(self, 404, b"not found")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128
    owner: Server


@dataclass
class Server:
    """A running server on ``host``; ``url(path)`` builds links to it."""

    host: str = "127.0.0.1"
    routes: dict[str, Route] = field(default_factory=dict)
    tls: ssl.SSLContext | None = None
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self) -> Server:
        self.httpd = _HTTPServer((self.host, 0), Handler)
        self.httpd.owner = self
        if self.tls is not None:
            self.httpd.socket = self.tls.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        return f"{scheme}://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path.split("?", 1)[0] == path]


@contextmanager
def serving(*servers: Server) -> Iterator[tuple[Server, ...]]:
    """Start the servers for the duration of a ``with`` block."""
    started = [s.start() for s in servers]
    try:
        yield tuple(started)
    finally:
        for s in started:
            s.stop()


def send(h: Handler, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
         content_type: str = "text/plain") -> None:
    """A complete answer (no body for HEAD)."""
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.send_header("Content-Length", str(len(body)))
    h.end_headers()
    if h.command != "HEAD":
        h.wfile.write(body)


def ok(body: bytes = b"fine") -> Route:
    return lambda h: send(h, 200, body)


def html_page(title: str, citation: str | None = None) -> Route:
    meta = f'<meta name="citation_title" content="{citation}">' if citation else ""
    page = f"<html><head><title>{title}</title>{meta}</head><body>paper</body></html>"
    return lambda h: send(h, 200, page.encode(), content_type="text/html; charset=utf-8")


def status(code: int, headers: dict[str, str] | None = None) -> Route:
    return lambda h: send(h, code, b"", headers)


def redirect(location: str, code: int = 301) -> Route:
    return lambda h: send(h, code, b"", {"Location": location})


def sequence(*routes: Route) -> Route:
    """The n-th request gets the n-th route; the last one repeats."""
    calls = iter(range(10**9))
    return lambda h: routes[min(next(calls), len(routes) - 1)](h)


def delayed(seconds: float, route: Route) -> Route:
    def answer(h: Handler) -> None:
        time.sleep(seconds)
        route(h)
    return answer


def endless_body(h: Handler) -> None:
    """200 with a body that never ends (HEAD refused, so the checker must GET)."""
    if h.command == "HEAD":
        send(h, 405)
        return
    h.send_response(200)
    h.send_header("Content-Type", "text/html")
    h.end_headers()
    h.close_connection = True
    chunk = b"<p>" + b"x" * 8192 + b"</p>\n"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        h.wfile.write(chunk)


def drip(h: Handler) -> None:
    """The whole answer, status line included, one byte a second."""
    h.close_connection = True
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    for byte in answer:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(1.0)


def reset(h: Handler) -> None:
    """Abort the connection with a TCP RST, no answer at all."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.close_connection = True
    h.connection.close()


def fast_settings(tmp: Path | None = None, **changes: object) -> LinkSettings:
    """Settings that make hostile servers quick to deal with (tests run in seconds)."""
    base = LinkSettings(
        concurrency=8, per_host=2, host_interval=0.0, connect_timeout=1.0, read_timeout=1.0,
        request_deadline=2.0, url_deadline=8.0, retries=2, backoff=0.05, backoff_cap=0.2,
        retry_after_cap=3.0, cache=tmp is not None, cache_dir=(tmp or Path(".")) / "cache",
        dns_timeout=2.0, dns_canaries=("localhost",), arxiv_interval=0.0)
    return base.with_options(**changes)


def loc(line: int, path: str = "data/papers.yaml", column: int = 5) -> Location:
    return Location(path, line, column)
