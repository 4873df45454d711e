"""Paper metadata from the arXiv API (Atom) and the Crossref REST API (``/works/{doi}``).

``medad add 2007.13559`` and ``medad add 10.1016/j.media.2020.101713`` call
:func:`fetch`, which returns a :class:`Metadata` record::

    Metadata(title='MADGAN: unsupervised Medical Anomaly Detection GAN using ...',
             authors=('Changhee Han', 'Leonardo Rundo', ...), year=2020,
             venue='arxiv, 2020', pdf='https://arxiv.org/abs/2007.13559',
             arxiv='2007.13559', doi=None)

Decisions, so the catalogue stays in the list's own style:

* Titles: whitespace (arXiv hard-wraps titles) is collapsed; LaTeX is kept
  exactly as the authors wrote it (``$\\beta$-VAE``): converting it would
  guess, GitHub renders ``$...$`` maths, and a maintainer can edit the YAML.
  Crossref titles may carry JATS/HTML markup (``<i>in vivo</i>``) and
  entities: tags are dropped and entities decoded.
* Venue: ``arxiv, YYYY`` for preprints (first-version year); for DOIs the
  list's habit of short names: a conference paper becomes ``ACRONYM'YY``
  (from Crossref's ``event.acronym`` or an acronym in the proceedings title,
  as in ``... (ISBI)`` or ``... - MICCAI 2019``), a journal in a small table
  of this field's journals becomes ``MIA, 2020``/``TMI, 2019``, any other
  journal ``Short Container Title, YYYY``; proceedings without an acronym
  keep their title (``Medical Imaging 2017: Image Processing``).
* The ``pdf`` link of an arXiv paper is ``https://arxiv.org/abs/<id>``: the
  form every arXiv link in the list uses (see :func:`arxiv_link`); for a
  DOI it is ``https://doi.org/<doi>``, which always resolves.
* Authors are kept in full (``Given Family``); render shows the first
  family name and ``et. al.``.

Network: one request, connect/read timeouts, responses capped at
:data:`MAX_BYTES`; failures raise :class:`~awesome_medad.errors.NetworkError`
naming the URL and the environment variable that moves it.  XML is parsed
with the standard library: Python's expat (2.4.1+) refuses entity-expansion
bombs and ElementTree never fetches external entities, and Atom has no DTD,
so a response carrying ``<!DOCTYPE`` is refused outright instead of adding
``defusedxml`` as a dependency.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from awesome_medad.errors import MedadError, NetworkError
from awesome_medad.ids import doi_from_text, parse_arxiv_id
from awesome_medad.venues import FULL_YEAR, FULL_YEAR_RE

if TYPE_CHECKING:
    import requests

MAX_BYTES = 8 * 1024 * 1024
TIMEOUT = (10.0, 30.0)
_ATOM = "{http://www.w3.org/2005/Atom}"
_ARXIV = "{http://arxiv.org/schemas/atom}"
_SPACE_RE = re.compile(r"\s+")
_TAG_RE = re.compile(r"<[^>]+>")
_PAREN_ACRONYM_RE = re.compile(r"\(([A-Z][A-Za-z]*[A-Z])\)")
_DASH_ACRONYM_RE = re.compile(rf"[-\u2013\u2014:]\s*([A-Z][A-Za-z]*[A-Z])\s*'?\s*{FULL_YEAR}")
_SERIES = ("lecture notes", "communications in computer", "proceedings of spie",
           "advances in intelligent", "studies in computational")

# Journals of this field that the list (and the field) calls by an acronym.
JOURNALS: Mapping[str, str] = {
    "medical image analysis": "MIA",
    "ieee transactions on medical imaging": "TMI",
    "ieee transactions on pattern analysis and machine intelligence": "TPAMI",
    "ieee transactions on image processing": "TIP",
    "ieee journal of biomedical and health informatics": "JBHI",
    "ieee transactions on biomedical engineering": "TBME",
    "international journal of computer vision": "IJCV",
    "computerized medical imaging and graphics": "CMIG",
    "computers in biology and medicine": "CBM",
    "pattern recognition": "PR",
    "neuroimage": "NeuroImage",
    "nature medicine": "Nature Medicine",
    "scientific reports": "Scientific Reports",
}


class MetadataNotFound(MedadError):
    """The service answered, but does not know this identifier."""


@dataclass(frozen=True)
class Metadata:
    """What ``medad add`` needs to write a paper block."""

    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str | None
    pdf: str | None
    arxiv: str | None = None
    doi: str | None = None


def clean_title(title: str) -> str:
    """Collapse whitespace, drop markup tags, decode entities; LaTeX stays as written."""
    return _SPACE_RE.sub(" ", html.unescape(_TAG_RE.sub("", title))).strip()


def arxiv_link(identifier: str) -> str:
    """The one form of arXiv link the catalogue uses: the version-less abstract page."""
    return f"https://arxiv.org/abs/{identifier}"


# -- HTTP -----------------------------------------------------------------


@dataclass(frozen=True)
class _Answer:
    status: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def _get(session: requests.Session, url: str, params: Mapping[str, str] | None,
         service: str, timeout: float | tuple[float, float]) -> _Answer:
    """One GET, body capped at :data:`MAX_BYTES`; every failure becomes a ``NetworkError``."""
    import requests

    env = f"MEDAD_{service.upper()}_API"
    try:
        with session.get(url, params=params, timeout=timeout, stream=True,
                         headers={"Accept": "application/json, application/atom+xml"}) as reply:
            body = bytearray()
            for chunk in reply.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_BYTES:
                    raise NetworkError(f"the {service} API at {url} sent more than "
                                       f"{MAX_BYTES:,} bytes")
            return _Answer(reply.status_code, bytes(body))
    except requests.Timeout as exc:
        raise NetworkError(f"the {service} API at {url} did not answer in time; try again "
                           f"later (or point {env} at a mirror)") from exc
    except (requests.RequestException, OSError) as exc:
        raise NetworkError(f"cannot reach the {service} API at {url}: {_reason(exc)} "
                           f"(check the network, or set {env})") from exc


def _reason(exc: Exception) -> str:
    """The useful part of a requests error (``Connection refused``), not its repr soup."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] ([^'\")]+)", text)
    if match:
        return match.group(1).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__


def _session(session: requests.Session | None) -> requests.Session:
    if session is not None:
        return session
    from awesome_medad.http import make_session

    return make_session(pool_size=2)


# -- arXiv ----------------------------------------------------------------


def fetch_arxiv(identifier: str, session: requests.Session | None = None,
                base: str | None = None,
                timeout: float | tuple[float, float] = TIMEOUT) -> Metadata:
    """Metadata of one arXiv paper (``2007.13559``, ``2007.13559v2`` or an arXiv URL)."""
    from awesome_medad.http import api_base

    parsed = parse_arxiv_id(identifier)
    if parsed is None:
        raise MetadataNotFound(f"{identifier!r} is not an arXiv id such as 2007.13559")
    paper_id, version = parsed
    url = base or api_base("arxiv")
    response = _get(_session(session), url, {"id_list": paper_id + version, "max_results": "1"},
                    "arxiv", timeout)
    if response.status != 200:
        raise NetworkError(f"the arXiv API at {url} answered HTTP {response.status}"
                           f"{_excerpt(response.text)}")
    return parse_arxiv_feed(response.body, paper_id)


def parse_arxiv_feed(content: bytes, paper_id: str) -> Metadata:
    """Read the Atom feed the arXiv API returns for ``id_list=<paper_id>``."""
    import xml.etree.ElementTree as ET

    if b"<!DOCTYPE" in content[:4096].upper():
        raise NetworkError("the arXiv API answer contains a DOCTYPE; refusing to parse it")
    if content.strip().lower().startswith(b"rate exceeded"):
        raise NetworkError("the arXiv API is rate-limiting this address; wait a minute and retry")
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        raise NetworkError(f"the arXiv API answer is not valid Atom XML ({exc}); "
                           f"it begins {content[:80]!r}") from exc
    entry = root.find(f"{_ATOM}entry")
    if entry is None:
        raise MetadataNotFound(f"arXiv does not know the paper {paper_id}")
    entry_id = _text(entry, f"{_ATOM}id")
    if "/api/errors" in entry_id:
        message = _text(entry, f"{_ATOM}summary") or "error"
        raise MetadataNotFound(f"arXiv refused {paper_id}: {message}")
    title = clean_title(_text(entry, f"{_ATOM}title"))
    if not title:
        raise MetadataNotFound(f"arXiv does not know the paper {paper_id}")
    return _arxiv_metadata(entry, paper_id, title)


def _arxiv_metadata(entry: Any, paper_id: str, title: str) -> Metadata:
    authors = tuple(clean_title(name.text or "") for name in entry.iter(f"{_ATOM}name"))
    published = _text(entry, f"{_ATOM}published")
    year = int(published[:4]) if published[:4].isdigit() else None
    found = parse_arxiv_id(_text(entry, f"{_ATOM}id"))
    arxiv = found[0] if found else paper_id
    doi_text = _text(entry, f"{_ARXIV}doi")
    doi = doi_from_text(doi_text) if doi_text else None
    venue = f"arxiv, {year}" if year else "arxiv"
    return Metadata(title=title, authors=tuple(a for a in authors if a), year=year,
                    venue=venue, pdf=arxiv_link(arxiv), arxiv=arxiv, doi=doi)


def _text(element: Any, tag: str) -> str:
    child = element.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _excerpt(text: str) -> str:
    text = _SPACE_RE.sub(" ", text).strip()
    return f": {text[:200]}" if text else ""


# -- Crossref -------------------------------------------------------------


def fetch_crossref(doi: str, session: requests.Session | None = None, base: str | None = None,
                   timeout: float | tuple[float, float] = TIMEOUT) -> Metadata:
    """Metadata of one DOI from Crossref; an unknown DOI raises :class:`MetadataNotFound`."""
    from awesome_medad.http import api_base

    clean = doi_from_text(doi)
    if clean is None:
        raise MetadataNotFound(f"{doi!r} is not a DOI such as 10.1016/j.media.2020.101713")
    url = f"{base or api_base('crossref')}/works/{quote(clean, safe='/')}"
    response = _get(_session(session), url, None, "crossref", timeout)
    if response.status == 404:
        raise MetadataNotFound(f"Crossref does not know the DOI {clean} (HTTP 404 from {url}); "
                               "check it on https://doi.org/ or add the paper by hand")
    if response.status != 200:
        raise NetworkError(f"the Crossref API at {url} answered HTTP {response.status}"
                           f"{_excerpt(response.text)}")
    try:
        message = json.loads(response.body)["message"]
    except (ValueError, KeyError, TypeError) as exc:
        raise NetworkError(f"the Crossref API at {url} sent an unexpected answer"
                           f"{_excerpt(response.text)}") from exc
    if not isinstance(message, dict):
        raise NetworkError(f"the Crossref API at {url} sent an unexpected answer")
    return parse_crossref_work(message, clean)


def parse_crossref_work(work: Mapping[str, Any], doi: str) -> Metadata:
    """Turn Crossref's ``message`` object (a work) into :class:`Metadata`."""
    title = clean_title(_first(work.get("title")))
    subtitle = clean_title(_first(work.get("subtitle")))
    if subtitle and not title.endswith(subtitle):
        title = f"{title}: {subtitle}"
    year = crossref_year(work)
    authors = tuple(_person(a) for a in work.get("author") or [] if _person(a))
    return Metadata(title=title, authors=authors, year=year, venue=crossref_venue(work, year),
                    pdf=f"https://doi.org/{doi}", arxiv=None, doi=doi.lower())


def _first(value: Any) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value) if value else ""


def _person(author: Mapping[str, Any]) -> str:
    if author.get("name"):
        return clean_title(str(author["name"]))
    parts = [str(author.get(k) or "").strip() for k in ("given", "family")]
    return clean_title(" ".join(p for p in parts if p))


def crossref_year(work: Mapping[str, Any]) -> int | None:
    """The earliest publication year Crossref records (issued, then print/online, then created)."""
    for key in ("issued", "published-print", "published-online", "published", "created"):
        parts = (work.get(key) or {}).get("date-parts") or [[None]]
        if parts and parts[0] and isinstance(parts[0][0], int):
            return int(parts[0][0])
    return None


def crossref_venue(work: Mapping[str, Any], year: int | None) -> str | None:
    """The venue in the list's style (see the module docstring for the rules)."""
    kind = str(work.get("type") or "")
    containers = [clean_title(str(c)) for c in work.get("container-title") or []]
    if kind == "posted-content":
        return _preprint_venue(work, year)
    if kind in {"proceedings-article", "book-chapter", "proceedings"} or work.get("event"):
        acronym = _conference_acronym(work, containers)
        if acronym:
            return f"{acronym}'{year % 100:02d}" if year else acronym
        named = [c for c in containers if not c.lower().startswith(_SERIES)]
        if named:
            return _with_year(named[-1], year)
    if containers:
        short = JOURNALS.get(containers[0].lower()) or _first(
            work.get("short-container-title")) or containers[0]
        return _with_year(clean_title(short), year)
    publisher = str(work.get("publisher") or "")
    return _with_year(publisher, year) if publisher else (str(year) if year else None)


def _preprint_venue(work: Mapping[str, Any], year: int | None) -> str:
    doi = str(work.get("DOI") or "").lower()
    if doi.startswith("10.48550/arxiv"):
        name = "arxiv"
    else:
        institution = work.get("institution") or [{}]
        name = str(institution[0].get("name") or work.get("publisher") or "preprint")
    return _with_year(name, year)


def _conference_acronym(work: Mapping[str, Any], containers: list[str]) -> str | None:
    event = work.get("event") or {}
    acronym = str(event.get("acronym") or "").strip()
    if acronym:
        return FULL_YEAR_RE.sub("", acronym).strip(" '-") or None
    for container in containers:
        match = _PAREN_ACRONYM_RE.search(container) or _DASH_ACRONYM_RE.search(container)
        if match:
            return match.group(1)
    return None


def _with_year(name: str, year: int | None) -> str:
    if year is None or FULL_YEAR_RE.search(name):
        return name
    return f"{name}, {year}"


# -- dispatch -------------------------------------------------------------


def fetch(source: str, session: requests.Session | None = None,
          timeout: float | tuple[float, float] = TIMEOUT,
          api: Mapping[str, str] | None = None) -> Metadata:
    """Metadata for an arXiv id/URL or a DOI/doi.org URL, whichever ``source`` is.

    ``api`` holds base-URL overrides from the configuration (``api:`` in
    ``.medad.yaml``); the environment and the public defaults come after.
    """
    from awesome_medad.http import api_base

    if parse_arxiv_id(source):
        return fetch_arxiv(source, session, api_base("arxiv", api), timeout)
    if doi_from_text(source):
        return fetch_crossref(source, session, api_base("crossref", api), timeout)
    raise MetadataNotFound(f"{source!r} is neither an arXiv id/URL nor a DOI; "
                           "give e.g. 2007.13559 or 10.1016/j.media.2020.101713, "
                           "or add the paper by hand with --title")
