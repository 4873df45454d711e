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


#: Hosts of source code (not papers): the importer labels their links ``code``, the linter
#: does not count them as links to the paper.
CODE_HOSTS = r"(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)"
_CODE_HOST_RE = re.compile(rf"^(?i:https?://{CODE_HOSTS})/")
# Owner names follow GitHub's rules (39 characters, no leading dash); scheme and host are
# case-insensitive, owner and repository are kept as written.
_GITHUB_REPO_RE = re.compile(
    r"^(?i:https?://(?:www\.)?github\.com)/(?P<owner>[A-Za-z0-9][A-Za-z0-9-]{0,38})/"
    r"(?P<repo>[A-Za-z0-9._-]+?)(?:\.git)?(?P<rest>[/?#].*)?$")


def is_code_host(url: str) -> bool:
    """Whether ``url`` is on GitHub, GitLab or Bitbucket."""
    return bool(_CODE_HOST_RE.match(url))


def github_repo(url: str, *, home_page: bool = False) -> tuple[str, str] | None:
    """``(owner, repo)`` of a GitHub URL in a repository, else ``None``.

    ``https://github.com/o/r``, ``.../r.git`` and ``.../r/tree/main/x`` all give
    ``("o", "r")``; with ``home_page`` only the repository's own page counts
    (the GitHub API can vouch for it, not for a file inside it).
    """
    match = _GITHUB_REPO_RE.match(url.strip())
    if not match or match["repo"] in {".", ".."}:
        return None
    if home_page and match["rest"] not in (None, "/"):
        return None
    return match["owner"], match["repo"]


_STOPWORDS = frozenset(
    "a an the on in of for with to and via towards toward from by using at is are".split()
)


def surname(author: str) -> str:
    """The family name of ``Given Family`` or ``Family, Given``.

    Shared by the README (which shows the first author's surname) and paper
    ids (which start with it), so the two always name the same person.
    """
    author = author.strip()
    if "," in author:
        return author.split(",", 1)[0].strip()
    return author.split()[-1] if author.split() else author


def make_paper_id(authors: tuple[str, ...] | list[str], year: int | None, title: str,
                  taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A readable, stable id such as ``chen2018unsupervised`` (also the BibTeX key).

    First author's family name, year, first significant title word; a clash
    with ``taken`` gets ``b``, ``c``, ... appended, as BibTeX tools do.
    """
    family = surname(authors[0]) if authors else ""
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
