"""One way to run a real HTTP server for a test: 127.0.0.1, a free port, a thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import ThreadingHTTPServer
from typing import Any


@contextmanager
def local_server(handler: Any, join_timeout: float = 10.0) -> Iterator[str]:
    """Serve ``handler`` (a request handler class or factory); yield the base URL.

    The server is shut down and its socket closed when the block ends, so no
    test leaves a thread or a port behind.
    """
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=join_timeout)


