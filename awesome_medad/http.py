"""The one place medad sets up HTTP: sessions, User-Agent, API base URLs.

Link checking, ``medad add`` (arXiv, Crossref) and the GitHub checks all
build their sessions here, so the User-Agent, connection pooling and the
rule "tokens only go to the host they belong to" are decided once.

API base URLs come from, in order: an explicit override (config), the
environment (``MEDAD_ARXIV_API``, ``MEDAD_CROSSREF_API``, ``MEDAD_GITHUB_API``),
then the public default.  Tests and benchmarks point them at local servers.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from awesome_medad import __version__

if TYPE_CHECKING:  # requests is imported lazily: `medad --version` must stay fast
    import requests
    from requests.adapters import HTTPAdapter

USER_AGENT = (
    f"medad/{__version__} (link checker for the Awesome Anomaly Detection in Medical Images "
    "list; +https://github.com/)"
)

API_DEFAULTS: Mapping[str, str] = {
    "arxiv": "https://export.arxiv.org/api/query",
    "crossref": "https://api.crossref.org",
    "github": "https://api.github.com",
}


def api_base(name: str, overrides: Mapping[str, str] | None = None) -> str:
    """Base URL of API ``name`` (``arxiv``, ``crossref``, ``github``), no trailing ``/``."""
    if overrides and overrides.get(name):
        return overrides[name].rstrip("/")
    env = os.environ.get(f"MEDAD_{name.upper()}_API")
    if env:
        return env.rstrip("/")
    return API_DEFAULTS[name].rstrip("/")


def make_session(pool_size: int = 32, user_agent: str = USER_AGENT, *,
                 pool_hosts: int | None = None,
                 adapter_cls: type[HTTPAdapter] | None = None) -> requests.Session:
    """A pooled keep-alive session with medad's User-Agent and no automatic retries.

    Retries are medad's own business (backoff, Retry-After, per-host waits),
    so urllib3's are switched off; proxies from the environment still apply.
    ``pool_size`` is the number of kept-alive connections per host,
    ``pool_hosts`` the number of hosts whose pools are kept (default: the
    same); the link checker passes ``adapter_cls`` to watch every connection
    for its total deadline (see ``links/client.py``).
    """
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    cls = adapter_cls or HTTPAdapter
    adapter = cls(pool_connections=pool_hosts or pool_size, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = user_agent
    return session
