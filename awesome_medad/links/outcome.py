"""What a URL check found (:class:`Outcome`), the rules, and the findings they become.

An outcome holds *facts* (status class, cause, final URL, page title), not
findings: the cache stores outcomes, and the findings are derived afresh for
each run, so changing an entry's title re-evaluates ``link-mismatch`` without
re-fetching anything.

Rule table (id, default level, when):

=================  =======  ==================================================
``link-redirect``  warning  a permanent redirect (301/308); names the new URL
``link-dead``      error    404/410, DNS name not found, connection refused
                            after retries, or a redirect chain ending so
``link-error``     error    5xx after retries, timeout, TLS failure, redirect
                            loop or too many redirects, malformed URL, network
                            unreachable; names the cause
``link-unverified`` warning 401/403/429/999, captcha or bot wall, any refusal
                            from a publisher or search engine; names the reason
``link-mismatch``  warning  the page's citation_title/og:title/<title> names
                            another paper than the entry
``repo-archived``  warning  a GitHub code repository is archived (GITHUB_TOKEN)
``repo-moved``     warning  a GitHub code repository was renamed or transferred
``link-https``     warning  an http:// link whose https:// form the check proved
                            equivalent; ``medad lint --fix`` upgrades it (it
                            supersedes the offline ``url-insecure`` there)
``link-cache``     warning  the cache file was corrupt (discarded) or unwritable
=================  =======  ==================================================
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from awesome_medad.links.titles import any_title_matches
from awesome_medad.problems import Level, Location, Problem

RULE_TABLE: dict[str, tuple[Level, str]] = {
    "link-redirect": (Level.WARNING, "the URL redirects permanently; use the new URL"),
    "link-dead": (Level.ERROR, "the URL is gone (404/410, unknown host, refused)"),
    "link-error": (Level.ERROR, "the URL could not be fetched (5xx, timeout, TLS, loop)"),
    "link-unverified": (Level.WARNING, "the site blocks robots; check the URL by hand"),
    "link-mismatch": (Level.WARNING, "the page names another paper than the entry"),
    "repo-archived": (Level.WARNING, "the code repository is archived"),
    "repo-moved": (Level.WARNING, "the code repository was renamed or transferred"),
    "link-https": (Level.WARNING, "https:// works for this http:// link; use it"),
    "link-cache": (Level.WARNING, "the link cache could not be read or written"),
}

STATUSES = ("ok", "redirect", "dead", "error", "unverified", "skipped")
GOOD = frozenset({"ok", "redirect"})  # cached with a TTL; the rest is always re-checked


@dataclass(frozen=True)
class Outcome:
    """The facts about one URL after a check (or from the cache)."""

    url: str
    status: str  # one of STATUSES
    detail: str = ""  # cause or reason, one line
    code: int | None = None
    final_url: str | None = None  # redirect: the new URL; dead/error: where the chain ended
    page_title: str | None = None
    moved_to: str | None = None  # GitHub: the repository's current URL
    archived: bool = False
    https_checked: bool = False  # the https:// twin of this http:// URL was tried
    https_url: str | None = None  # ... and proved equivalent: this is it
    checked_at: float = 0.0  # wall-clock time (time.time) of the check
    cached: bool = field(default=False, compare=False)

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if v not in (None, "", False)}
        data.pop("cached", None)
        data.pop("url", None)
        return data

    @classmethod
    def from_json(cls, url: str, data: dict[str, Any]) -> Outcome:
        allowed = {"status", "detail", "code", "final_url", "page_title", "moved_to", "archived",
                   "https_checked", "https_url", "checked_at"}
        values = {k: v for k, v in data.items() if k in allowed}
        if values.get("status") not in STATUSES:
            raise ValueError(f"bad status {values.get('status')!r}")
        return replace(cls(url=url, status="ok"), **values, cached=True)


@dataclass(frozen=True)
class LinkTarget:
    """One distinct URL to check and everything that refers to it.

    ``locations`` are all the places the URL occurs (the first is the primary
    location of any finding, the others become ``related``); ``title`` is the
    entry's paper title and ``kind`` the link's label (``pdf``, ``code``) for
    the title comparison and its message.
    """

    url: str
    locations: tuple[Location, ...]
    title: str | None = None
    kind: str | None = None
    breadcrumb: tuple[str | int, ...] = ()  # of the first location (``papers -> 3 -> links``)


@dataclass(frozen=True)
class MergedTarget:
    """Targets with the same URL folded into one: fetched once, reported everywhere."""

    url: str
    locations: tuple[Location, ...]
    titles: tuple[str, ...]
    kinds: tuple[str, ...]
    breadcrumb: tuple[str | int, ...] = ()


def merge_targets(targets: list[LinkTarget]) -> list[MergedTarget]:
    """Fold duplicate URLs together, keeping first-seen order and every location."""
    order: dict[str, tuple[list[Location], list[str], list[str]]] = {}
    crumbs: dict[str, tuple[str | int, ...]] = {}
    for target in targets:
        url = target.url.strip()
        locations, titles, kinds = order.setdefault(url, ([], [], []))
        locations.extend(loc for loc in target.locations if loc not in locations)
        crumbs.setdefault(url, target.breadcrumb)
        if target.title and target.title not in titles:
            titles.append(target.title)
        if target.kind and target.kind not in kinds:
            kinds.append(target.kind)
    return [MergedTarget(url, tuple(locs), tuple(titles), tuple(kinds), crumbs[url])
            for url, (locs, titles, kinds) in order.items()]


def targets_from_occurrences(url: str, occurrences: Iterable[Any]) -> list[LinkTarget]:
    """Adapt the lint runner's URL occurrences (``location``, ``title``, ``kind``,
    ``breadcrumb`` attributes) to targets; duck-typed so that links never imports lint."""
    return [LinkTarget(url, (occ.location,), getattr(occ, "title", None) or None,
                       getattr(occ, "kind", None) or None, tuple(getattr(occ, "breadcrumb", ())))
            for occ in occurrences]


def findings(target: MergedTarget, outcome: Outcome, check_titles: bool = True) -> list[Problem]:
    """The problems ``outcome`` means for ``target`` (none for a good, matching link)."""
    found: list[Problem] = []
    rule, message, hint = _main_finding(target.url, outcome)
    if rule:
        found.append(_problem(target, rule, message, hint))
    if outcome.moved_to:
        found.append(_problem(target, "repo-moved", f"the code repository {target.url} moved to "
                              f"{outcome.moved_to}", "update the link"))
    if outcome.archived:
        found.append(_problem(target, "repo-archived", f"the code repository {target.url} is "
                              "archived (read-only, no longer maintained)",
                              "keep it if still useful, or link a maintained fork"))
    if outcome.https_url and not (outcome.status == "redirect" and
                                  outcome.final_url == outcome.https_url):
        found.append(_problem(target, "link-https", f"https:// works for {target.url}: use "
                              f"{outcome.https_url}", "medad lint --fix makes the change"))
    mismatch = _mismatch(target, outcome) if check_titles else None
    if mismatch:
        found.append(_problem(target, "link-mismatch", mismatch,
                              "check that the link belongs to this entry"))
    return found


def https_twin(url: str) -> str | None:
    """The ``https://`` form of an ``http://`` URL on the default port, else ``None``.

    Only the scheme changes (and an explicit ``:80`` goes): a URL with another
    port has no scheme-only twin, since one port cannot serve both.
    """
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() != "http" or not parts.hostname or port not in (None, 80):
        return None
    netloc = parts.netloc[:-3] if port == 80 else parts.netloc
    return urlunsplit(("https", netloc, parts.path, parts.query, parts.fragment))


def same_address(first: str, second: str) -> bool:
    """Equal but for the scheme and a trailing slash (what "https is equivalent" compares)."""
    def bare(url: str) -> str:
        return url.split("://", 1)[-1].rstrip("/")
    return bare(first) == bare(second)


def _main_finding(url: str, outcome: Outcome) -> tuple[str, str, str]:
    where = f" (after redirects, at {outcome.final_url})" if outcome.final_url and \
        outcome.status in {"dead", "error", "unverified"} else ""
    if outcome.status == "redirect":
        return ("link-redirect", f"{url} moved permanently to {outcome.final_url}",
                "replace the URL with the new one")
    if outcome.status == "dead":
        return "link-dead", f"{url} is dead: {outcome.detail}{where}", "fix or remove the link"
    if outcome.status == "error":
        return ("link-error", f"{url} could not be checked: {outcome.detail}{where}",
                "try again later; fix the link if it keeps failing")
    if outcome.status == "unverified":
        return ("link-unverified", f"{url} could not be verified: {outcome.detail}{where}",
                "the site blocks robots; check it in a browser")
    return "", "", ""


def _mismatch(target: MergedTarget, outcome: Outcome) -> str | None:
    if outcome.status not in GOOD or not outcome.page_title or not target.titles:
        return None
    if any_title_matches(target.titles, outcome.page_title):
        return None
    kind = target.kinds[0] if target.kinds else "link"
    return (f"the {kind} link of '{target.titles[0]}' leads to a page titled "
            f"'{outcome.page_title}'")


def _problem(target: MergedTarget, rule: str, message: str, hint: str) -> Problem:
    primary = target.locations[0] if target.locations else Location("<links>")
    return Problem(primary, rule, RULE_TABLE[rule][0], message, target.breadcrumb, hint=hint,
                   related=tuple(target.locations[1:]))
