"""A real local HTTP server that answers like the arXiv API and the Crossref REST API.

It serves the recorded responses in ``tests/fixtures/api``:

* ``GET /arxiv?id_list=ID`` -> ``arxiv/ID.xml`` (``/`` in old-style ids as ``_``),
  or an empty feed (``arxiv/_empty.xml``) for an id arXiv does not have;
* ``GET /crossref/works/DOI`` -> ``crossref/DOI.json`` (lower-cased, ``/`` as ``_``),
  or ``404 Resource not found.`` as Crossref answers;
* ``/slow/...`` sleeps before answering (timeouts), ``/broken/...`` answers 500,
  ``/garbage/...`` answers 200 with a body that is not XML/JSON.

Every request is recorded (path and query) so tests can assert what was asked.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from tests.local_server import local_server

API_FIXTURES = Path(__file__).parent / "fixtures" / "api"


@dataclass
class ApiServer:
    """Where the server listens and what it was asked."""

    base: str
    requests: list[str] = field(default_factory=list)
    slow_seconds: float = 3.0

    @property
    def arxiv(self) -> str:
        return f"{self.base}/arxiv"

    @property
    def crossref(self) -> str:
        return f"{self.base}/crossref"


def _handler(server_state: ApiServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            return

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            server_state.requests.append(self.path)
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            if path.startswith("/slow/"):
                time.sleep(server_state.slow_seconds)
                path = path[len("/slow"):]
            if path.startswith("/broken/"):
                return self.reply(500, b"Internal Server Error", "text/plain")
            if path.startswith("/garbage/"):
                return self.reply(200, b"Rate exceeded? no: <html>oops", "text/html")
            if path == "/arxiv":
                return self.arxiv(parse_qs(parts.query).get("id_list", [""])[0])
            if path.startswith("/crossref/works/"):
                return self.crossref(path[len("/crossref/works/"):])
            return self.reply(404, b"not found", "text/plain")

        def arxiv(self, identifier: str) -> None:
            folder = API_FIXTURES / "arxiv"
            fixture = folder / f"{identifier.replace('/', '_')}.xml"
            if not fixture.is_file():  # like arXiv: 2106.05735v1 is the entry of 2106.05735
                fixture = folder / f"{re.sub(r'v[0-9]+$', '', identifier).replace('/', '_')}.xml"
            if not fixture.is_file():
                fixture = folder / "_empty.xml"
            self.reply(200, fixture.read_bytes(), "application/atom+xml; charset=utf-8")

        def crossref(self, doi: str) -> None:
            fixture = API_FIXTURES / "crossref" / f"{doi.lower().replace('/', '_')}.json"
            if not fixture.is_file():
                return self.reply(404, b"Resource not found.", "text/plain")
            self.reply(200, fixture.read_bytes(), "application/json;charset=utf-8")

        def reply(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@contextmanager
def api_server() -> Iterator[ApiServer]:
    """Start the server on 127.0.0.1 (a free port) in a thread; stop it afterwards."""
    state = ApiServer("")
    with local_server(_handler(state)) as base:
        state.base = base
        yield state
