"""Safe, mechanical fixes of catalogue links (``medad lint --fix``).

Only rewrites that cannot change which document a link shows are made:

``fix-arxiv-form``
    Every arXiv link (``http://arxiv.org/pdf/1806.04972v2.pdf``,
    ``https://export.arxiv.org/abs/1806.04972``, ...) becomes the one form
    the list uses, ``https://arxiv.org/abs/1806.04972``: the version-less
    abstract page, which offers every version and the PDF.  Offline.
``fix-redirect``
    A URL the live check saw answer with a *permanent* redirect (301/308)
    is replaced by the redirect's final URL.
``fix-https``
    An ``http://`` URL is upgraded when the live check fetched both the
    ``http://`` and the ``https://`` form successfully and both ended at the
    same address (scheme aside): the link checker's outcome then names the
    proven form in ``https_url`` (``links: check-https``, on by default).

Each fix is one in-place scalar replacement (:mod:`awesome_medad.yamledit`),
so every other byte of the catalogue stays as it was.  Live results are
duck-typed (:class:`LiveResult`: ``status`` and ``final_url``, as the link
checker's ``Outcome`` has) so this module works with any checker that can
say "redirect to X" or "ok".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from awesome_medad.catalogue import Catalogue, url_problem
from awesome_medad.ids import parse_arxiv_id
from awesome_medad.problems import Location
from awesome_medad.yamlsource import Crumb

_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}


class LiveResult(Protocol):
    """What the live link check knows about one URL."""

    @property
    def status(self) -> str: ...  # "ok", "redirect", "dead", ...

    @property
    def final_url(self) -> str | None: ...


def proven_https(url: str, results: Mapping[str, LiveResult]) -> str | None:
    """The https:// URL the live check proved equivalent to ``url``, if any."""
    plain = results.get(url)
    proven = getattr(plain, "https_url", None)  # the link checker's Outcome has it
    if isinstance(proven, str) and url.startswith("http://"):
        return proven
    return "https://" + url[len("http://"):] if https_equivalent(url, results) else None


@dataclass(frozen=True)
class Fix:
    """One rewrite of one link, with where it is and why."""

    crumb: Crumb
    location: Location
    rules: tuple[str, ...]
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.location}: fixed ({', '.join(self.rules)}): {self.old} -> {self.new}"


def arxiv_form(url: str) -> str | None:
    """The canonical form of an arXiv *URL* (``None`` for anything else, bare ids included)."""
    parts = urlsplit(url.strip())
    if parts.hostname not in _ARXIV_HOSTS or parts.query or parts.fragment:
        return None
    parsed = parse_arxiv_id(url.strip())
    return f"https://arxiv.org/abs/{parsed[0]}" if parsed else None


def https_equivalent(url: str, results: Mapping[str, LiveResult]) -> bool:
    """Whether the live check proved ``https://`` serves what ``http://`` does."""
    if not url.startswith("http://"):
        return False
    secure = "https://" + url[len("http://"):]
    plain, upgraded = results.get(url), results.get(secure)
    if plain is None or upgraded is None or upgraded.status != "ok":
        return False
    if plain.status not in {"ok", "redirect"}:
        return False
    return _schemeless(plain.final_url or url) == _schemeless(upgraded.final_url or secure)


def _schemeless(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/")


def plan_fixes(catalogue: Catalogue,
               results: Mapping[str, LiveResult] | None = None) -> list[Fix]:
    """Every safe fix for the catalogue's links, in file order."""
    fixes: list[Fix] = []
    for paper in catalogue.papers:
        for kind, url in paper.links:
            new, rules = _fixed(url, results or {})
            if new != url and url_problem(new) is None:
                crumb: Crumb = (*paper.crumb, "links", kind)
                fixes.append(Fix(crumb, catalogue.source.where(crumb), rules, url, new))
    return fixes


def _fixed(url: str, results: Mapping[str, LiveResult]) -> tuple[str, tuple[str, ...]]:
    rules: list[str] = []
    new = url
    result = results.get(url)
    if result is not None and result.status == "redirect" and result.final_url:
        new = result.final_url
        rules.append("fix-redirect")
    elif proven_https(url, results):
        new = proven_https(url, results) or url
        rules.append("fix-https")
    canonical = arxiv_form(new)
    if canonical is not None and canonical != new:
        new = canonical
        rules.append("fix-arxiv-form")
    return new, tuple(rules)


def apply_fixes(text: str, fixes: list[Fix], display: str) -> str:
    """The catalogue text with every fix applied in place (nothing else changes)."""
    from awesome_medad.yamledit import Replacement, replace_scalars

    if not fixes:
        return text
    return replace_scalars(text, [Replacement(f.crumb, f.new) for f in fixes], display)
