"""Link hygiene: malformed targets, odd schemes, plain http, links that failed to parse.

Everything here is decided from the URL text alone (no network): the live
check can later tell whether an ``http://`` link also works as ``https://``.
A Markdown link whose target holds a space or an unbalanced parenthesis is
not a link at all to GitHub; the Markdown reader reports those as
:class:`~awesome_medad.markdown.BrokenLink` and we turn them into findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from awesome_medad.catalogue import url_problem
from awesome_medad.ids import normalise_url
from awesome_medad.lint.base import (
    CatalogueSubject,
    Occurrence,
    Rule,
    Settings,
    catalogue_occurrences,
    markdown_occurrences,
)
from awesome_medad.markdown import Document
from awesome_medad.problems import Level, Location, Problem

URL_MALFORMED = Rule("url-malformed", Level.ERROR,
                     "A link target that is empty, unparsable, or breaks the Markdown link.")
URL_SCHEME = Rule("url-scheme", Level.ERROR, "A link with a scheme other than http(s) or mailto.")
URL_INSECURE = Rule("url-insecure", Level.WARNING, "A plain http:// link.")
LINK_REPEATED = Rule("link-repeated", Level.WARNING, "The same URL twice in one entry.")
RULES = (URL_MALFORMED, URL_SCHEME, URL_INSECURE, LINK_REPEATED)

_DOMAIN_LIKE = re.compile(r"^(?:www\.|[a-z0-9-]+\.(?:com|org|net|io|edu|gov|ac\.[a-z]{2})(?:/|$))",
                          re.I)
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


# Well-formed absolute http(s) URLs (nearly all of them) skip urlsplit.
_PLAIN_URL = re.compile(r"https?://[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,63}"
                        r"(?::[0-9]{1,5})?(?:[/?#][^\s<>\"\\^`{|}\x00-\x1f\x7f]*)?")


def url_verdict(url: str) -> tuple[Rule, str, str] | None:
    """The hygiene finding for one URL as written: ``(rule, message, hint)`` or ``None``."""
    stripped = url.strip()
    if _PLAIN_URL.fullmatch(stripped):
        return _insecure(stripped) if stripped[4] == ":" else None
    if not stripped or stripped == "#":
        return URL_MALFORMED, "empty link target", "put the URL between the parentheses"
    if stripped.startswith("#"):
        return None
    scheme = _SCHEME.match(stripped)
    if scheme is None:
        if _DOMAIN_LIKE.match(stripped):
            return (URL_MALFORMED, f"the link {stripped!r} has no scheme, so GitHub treats it as "
                    "a file path in the repository", f"write https://{stripped}")
        return None
    name = scheme.group(1).lower()
    if name == "mailto":
        return None
    if name not in {"http", "https"}:
        return (URL_SCHEME, f"the link uses the {name!r} scheme: {stripped}",
                "only http(s) links can be opened by every reader and checked")
    reason = url_problem(stripped)
    if reason:
        return URL_MALFORMED, f"malformed URL {stripped!r}: {reason}", "fix the URL"
    return _insecure(stripped) if name == "http" else None


def _insecure(url: str) -> tuple[Rule, str, str]:
    return (URL_INSECURE, f"plain http:// link: {url}",
            "use https:// if the site supports it; the live link check can tell")


def _verdicts(occurrences: list[Occurrence], settings: Settings) -> Iterator[Problem]:
    for occ in occurrences:
        if settings.url_ignored(occ.url):
            continue
        verdict = url_verdict(occ.url)
        if verdict is not None:
            rule, message, hint = verdict
            yield rule.problem(occ.location, message, hint=hint, breadcrumb=occ.breadcrumb)


def _repeats(occurrences: list[Occurrence], settings: Settings) -> Iterator[Problem]:
    """The same (normalised) URL twice for one paper or entry."""
    seen: dict[tuple[str, str], Occurrence] = {}
    for occ in occurrences:
        if not occ.owner or not occ.url.strip() or settings.url_ignored(occ.url):
            continue
        key = (occ.owner, url_key(occ.url))
        first = seen.setdefault(key, occ)
        if first is not occ:
            yield LINK_REPEATED.problem(
                occ.location, f"the same link appears twice in this entry ({first.kind} and "
                f"{occ.kind}): {occ.url}", hint="keep one of them", breadcrumb=occ.breadcrumb,
                related=(first.location,))


@lru_cache(maxsize=65536)
def url_key(url: str) -> str:
    """The comparison key of a URL (``ids.normalise_url``), cached: duplicates use it too."""
    try:
        return normalise_url(url)
    except ValueError:
        return url.strip()


def check_catalogue(subject: CatalogueSubject, settings: Settings) -> Iterator[Problem]:
    occurrences = catalogue_occurrences(subject)
    yield from _verdicts(occurrences, settings)
    yield from _repeats(occurrences, settings)
    for crumb, doc in subject.fields:
        for broken in doc.broken:
            where = subject.field_location(crumb, broken.line, broken.column)
            yield URL_MALFORMED.problem(where, f"broken link {broken.snippet!r}: {broken.reason}",
                                        breadcrumb=crumb)


def check_markdown(doc: Document, settings: Settings) -> Iterator[Problem]:
    occurrences = markdown_occurrences(doc)
    yield from _verdicts(occurrences, settings)
    for link in doc.links:
        if link.url.strip() == "#":
            yield URL_MALFORMED.problem(Location(doc.path, link.url_line, link.url_column),
                                        "empty link target '#'",
                                        hint="link to a heading (#its-anchor) or a full URL")
    yield from _repeats(occurrences, settings)
    for broken in doc.broken:
        yield URL_MALFORMED.problem(Location(doc.path, broken.line, broken.column),
                                    f"broken link {broken.snippet!r}: {broken.reason}")

