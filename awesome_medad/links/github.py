"""GitHub code links checked through the REST API (only when ``GITHUB_TOKEN`` is set).

A plain HTTP check sees a renamed repository as a redirect and an archived
one as fine; the API says both (``full_name`` differs, ``archived: true``).
Without a token the API's limit (60 requests an hour) would be spent in one
run, so the links then get the ordinary HTTP check.  The token is sent only
to the API's own host (:func:`auth_headers`), never to a redirect target
elsewhere, and never printed.  Which URLs are a repository's home page is
:func:`awesome_medad.ids.github_repo` (``home_page=True``).
"""

from __future__ import annotations

import json
from typing import Any

from awesome_medad.links.secrets import host_of


def repo_api_url(base: str, owner: str, repo: str) -> str:
    return f"{base}/repos/{owner}/{repo}"


def auth_headers(url: str, base: str, token: str | None) -> dict[str, str]:
    """API headers for ``url``: the token only if ``url`` is on the API's own host."""
    if not token or host_of(url) != host_of(base):
        return {}
    return {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28"}


def parse_repo(text: str) -> tuple[str, bool, str]:
    """``(full_name, archived, html_url)`` from a ``GET /repos/{owner}/{repo}`` answer."""
    data: Any = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("full_name"), str):
        raise ValueError("not a GitHub repository object")
    full_name: str = data["full_name"]
    html_url = data.get("html_url")
    if not isinstance(html_url, str):
        html_url = f"https://github.com/{full_name}"
    return full_name, bool(data.get("archived")), html_url
