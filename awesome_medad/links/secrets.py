"""Keeping tokens out of everything medad shows or stores.

``GITHUB_TOKEN`` and configured header values are *sent* (to their own host
only, see :func:`headers_for`) but must never be *shown*: not in findings,
summaries, error causes (which quote exception text), nor the cache file.
Every string leaving the checker goes through :meth:`Redactor.clean`.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, quote_plus, urlsplit

MASK = "********"


class Redactor:
    """Replaces every known secret value in a text by a mask."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            # "Bearer abc...": the credential alone, and as it looks inside a URL, leak too.
            for part in (secret, *(p for p in secret.split() if len(p) >= 8)):
                forms.update({part, quote(part, safe=""), quote_plus(part)})
        # Longest first, so a secret containing another is masked whole.
        self.secrets = tuple(sorted((s for s in forms if len(s) >= 4), key=len, reverse=True))

    def clean(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def clean_opt(self, text: str | None) -> str | None:
        return None if text is None else self.clean(text)


def host_of(url: str) -> str:
    """The lower-case host name of ``url`` ('' when there is none or it is malformed)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def headers_for(url: str, per_host: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The configured extra headers for ``url``'s host, and for no other host.

    Redirects are followed hop by hop and each hop asks again, so a token for
    ``api.example.org`` is never sent to the host a redirect leads to.
    """
    host = host_of(url)
    return dict(per_host.get(host, {})) if host else {}
