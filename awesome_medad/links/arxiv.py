"""arXiv links verified in bulk through the arXiv API, not one request per paper.

arXiv asks robots to use its API (and at most one request every three
seconds), and one ``id_list`` query answers for up to a hundred papers at
once: whether each id exists and its title, which the ``link-mismatch``
comparison then uses.  The base URL is :func:`awesome_medad.http.api_base`
(``MEDAD_ARXIV_API``), so tests point it at a local server.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from awesome_medad.ids import arxiv_id

ATOM = "{http://www.w3.org/2005/Atom}"


def batches(ids: list[str], size: int) -> list[list[str]]:
    """``ids`` in chunks of at most ``size``, order kept."""
    size = max(1, size)
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def query_url(base: str, ids: list[str]) -> str:
    """The API query for ``ids`` (version-less; arXiv answers with the latest version)."""
    params = {"id_list": ",".join(ids), "max_results": str(len(ids)), "start": "0"}
    return f"{base}?{urlencode(params, safe=',')}"


def parse_feed(text: str) -> dict[str, str]:
    """Version-less id (lower case) -> title for every real paper in an API answer.

    Error entries (``.../api/errors#...``) and entries without a title are not
    papers; raises ``ValueError`` when the answer is not an Atom feed at all.
    """
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"the arXiv API answer is not XML: {exc}") from exc
    if root.tag != f"{ATOM}feed":
        raise ValueError("the arXiv API answer is not an Atom feed")
    found: dict[str, str] = {}
    for entry in root.iter(f"{ATOM}entry"):
        ident = arxiv_id((entry.findtext(f"{ATOM}id") or "").strip())
        title = " ".join((entry.findtext(f"{ATOM}title") or "").split())
        if ident and title and title.lower() != "error":
            found[ident.lower()] = title
    return found
