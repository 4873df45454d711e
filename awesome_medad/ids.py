"""Recognising papers by their identifiers: arXiv ids and DOIs inside URLs.

Duplicate detection (lint, ``medad add``), the importer and the link checker's
arXiv batch all need to see that ``arxiv.org/abs/1806.04972``,
``arxiv.org/pdf/1806.04972v2.pdf`` and ``1806.04972`` are one paper, so the
rules live here once.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

# New-style ids (0704.0001 onwards) and old-style ids (hep-th/9901001).
_NEW_ID = r"\d{4}\.\d{4,5}"
_OLD_ID = r"[a-z\-]+(?:\.[A-Z]{2})?/\d{7}"
ARXIV_ID_RE = re.compile(rf"^(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?$", re.IGNORECASE)
_ARXIV_PATH_RE = re.compile(
    rf"^/(?:abs|pdf|html|format)/(?P<id>{_NEW_ID}|{_OLD_ID})(?P<version>v\d+)?(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_ARXIV_HOSTS = {"arxiv.org", "www.arxiv.org", "export.arxiv.org"}
DOI_RE = re.compile(r"10\.\d{4,9}/[^\s\"<>?#]+", re.IGNORECASE)
_DOI_HOSTS = {"doi.org", "dx.doi.org", "www.doi.org"}


def parse_arxiv_id(text: str) -> tuple[str, str] | None:
    """``(id, version)`` for a bare id, ``arXiv:`` id or arXiv URL; else ``None``."""
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[6:]
    match = ARXIV_ID_RE.match(text)
    if match:
        return match["id"], match["version"] or ""
    return _arxiv_from_url(text)


def _arxiv_from_url(url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or parts.hostname not in _ARXIV_HOSTS:
        return None
    match = _ARXIV_PATH_RE.match(parts.path)
    if not match:
        return None
    return match["id"], match["version"] or ""


def arxiv_id(text: str) -> str | None:
    """The version-less arXiv id of ``text``: abs, pdf and ``v2`` forms are one paper."""
    parsed = parse_arxiv_id(text)
    return parsed[0] if parsed else None


def doi_from_text(text: str) -> str | None:
    """The DOI in a bare DOI, ``doi:`` string, doi.org URL or publisher URL (lower-cased).

    DOIs are case-insensitive, so the lower-cased form is the comparison key.
    Publisher URLs that embed the DOI (Springer, SPIE, Wiley) reveal it too.
    """
    text = unquote(text.strip())
    if text.lower().startswith("doi:"):
        text = text[4:].strip()
    parts = urlsplit(text)
    if parts.scheme in {"http", "https"} and parts.hostname in _DOI_HOSTS:
        text = parts.path.lstrip("/")
    match = DOI_RE.search(text)
    if not match:
        return None
    doi = match.group(0).rstrip(".,;")
    for suffix in (".full", ".pdf", "/full", "/abstract", "/pdf"):
        if doi.lower().endswith(suffix):
            doi = doi[: -len(suffix)]
    return doi.lower()


def normalise_url(url: str) -> str:
    """A comparison key for URLs: scheme, ``www.``, trailing slash and arXiv form ignored."""
    arxiv = arxiv_id(url)
    if arxiv:
        return f"arxiv:{arxiv.lower()}"
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"


_STOPWORDS = frozenset(
    "a an the on in of for with to and via towards toward from by using at is are".split()
)


def make_paper_id(authors: tuple[str, ...] | list[str], year: int | None, title: str,
                  taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable, stable id such as ``chen2018unsupervised`` (also the BibTeX key).

    First author's family name, year, first significant title word; a clash
    with ``taken`` gets ``b``, ``c``, ... appended, as BibTeX tools do.
    """
    family = ""
    if authors:
        first = authors[0].strip()
        family = first.split(",", 1)[0] if "," in first else (first.split() or [""])[-1]
    words = [w for w in re.findall(r"[^\W_]+", title.lower()) if w not in _STOPWORDS]
    parts = [_ascii_word(family), str(year or ""), _ascii_word(words[0] if words else "paper")]
    base = "".join(parts) or "paper"
    candidate, suffix = base, ord("b")
    while candidate in taken:
        candidate = f"{base}{chr(suffix)}" if suffix <= ord("z") else f"{base}-{suffix}"
        suffix += 1
    return candidate


def _ascii_word(word: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


_GENERIC_WORDS = frozenset(
    "based methods method approaches approach works work papers some that the a an in of to "
    "and for on with".split()
)


def section_id(heading: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A short section id from a heading: ``Deep learning based methods`` -> ``deep-learning``.

    Generic words are dropped and at most four words kept, so paths such as
    ``deep-learning/brain-mri`` stay typeable; a clash gets ``-2``, ``-3``.
    """
    from awesome_medad.slugs import heading_text, slug

    words = [w for w in slug(heading_text(heading)).split("-") if w]
    kept = [w for w in words if w not in _GENERIC_WORDS][:4] or words[:4] or ["section"]
    base = "-".join(_ascii_word(w) or w for w in kept)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate
