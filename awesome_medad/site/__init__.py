"""``medad site``: one self-contained, searchable HTML page of the whole catalogue.

The page (``index.html``) inlines its CSS, script and data, so it works from
``file://``, on GitHub Pages and offline: no CDN, no request at run time (its
Content-Security-Policy forbids any).  Visitors search title, authors and
venue, filter by method family, modality and year, sort by year or title,
and share the URL, whose ``#q=...&family=...`` fragment restores the view.

Safety: catalogue text never becomes markup.  The papers travel as JSON in a
``<script type="application/json">`` block with every ``<``, ``>`` and ``&``
written as ``\\u003c``-style escapes (so ``</script>`` in a title cannot end
the block), and the script inserts them with ``textContent``.  Links are kept
only when they are http(s), here and again in the browser.  The few strings
in the HTML itself (list title, dates) are HTML-escaped.  A CSP with hashes
of the inline script and style is a second fence: even injected markup could
run nothing.

Speed: list items are built once, on first display, and reused; a search
filters precomputed, accent-folded strings and shows the first 200 matches
("Show more" for the rest), so a keystroke stays cheap with 10,000 papers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from awesome_medad import __version__
from awesome_medad.catalogue import Catalogue, Paper, Section, url_problem
from awesome_medad.errors import WriteError
from awesome_medad.export import display_title
from awesome_medad.render import format_date
from awesome_medad.stats import facets
from awesome_medad.venues import year_from_venue

_MARKER = re.compile(r"@@([A-Z]+)@@")
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                   "\u2029": "\\u2029"}


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is inert inside ``<script>``: no ``<``, ``>`` or ``&`` appears literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group(0)], text)


def html_escape(text: str) -> str:
    """Text for HTML element content and double-quoted attributes."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#x27;"))


def safe_links(paper: Paper) -> list[list[str]]:
    """``[kind, url]`` pairs for the http(s) links only (anything else is dropped)."""
    return [[kind, url] for kind, url in paper.links
            if url_problem(url) is None and url.lower().startswith(("http://", "https://"))]


def byline(paper: Paper) -> str:
    """``Chen et al.``: the authors as the catalogue has them, ``et al.`` when truncated."""
    names = [a.strip() for a in paper.authors if a.strip()]
    if not names:
        return ""
    return ", ".join(names) + (" et al." if paper.et_al else "")


def meta_line(paper: Paper) -> str:
    """``Chen et al. \u00b7 MIDL'18``: the year is added only when the venue does not say it."""
    parts = [byline(paper), paper.venue or ""]
    if paper.year is not None and year_from_venue(paper.venue) != paper.year:
        parts.append(str(paper.year))
    return " \u00b7 ".join(part for part in parts if part)


def _modalities(catalogue: Catalogue) -> list[dict[str, str]]:
    """Depth-2 sections merged by id (``brain-mri`` under two families is one filter)."""
    labels: dict[str, list[str]] = {}
    for family in catalogue.sections:
        for modality in family.children:
            seen = labels.setdefault(modality.id, [])
            if modality.heading not in seen:
                seen.append(modality.heading)
    return [{"id": mid, "label": " / ".join(names)} for mid, names in labels.items()]


def _where(family: Section, modality: Section | None, section: Section) -> str:
    parts = [family.heading] + ([modality.heading] if modality else [])
    if section is not family and section is not modality:
        parts.append(section.heading)
    return " \u203a ".join(parts)


def paper_entry(paper: Paper, table: dict[str, tuple[Section, Section | None]],
                by_path: dict[str, Section]) -> dict[str, Any]:
    """The JSON record the page script reads for one paper."""
    families: list[str] = []
    modalities: list[str] = []
    where: list[str] = []
    for path in dict.fromkeys(paper.sections):
        if path not in table:
            continue
        family, modality = table[path]
        families += [family.id] if family.id not in families else []
        if modality is not None and modality.id not in modalities:
            modalities.append(modality.id)
        where.append(_where(family, modality, by_path[path]))
    return {"title": display_title(paper), "short": paper.short, "authors": list(paper.authors),
            "venue": paper.venue, "year": paper.year, "meta": meta_line(paper),
            "families": families, "modalities": modalities, "where": where,
            "links": safe_links(paper)}


def page_data(catalogue: Catalogue) -> dict[str, Any]:
    """Everything the page shows, as plain data (embedded as JSON)."""
    table = facets(catalogue)
    by_path = {s.path: s for s in catalogue.walk()}
    years = sorted({p.year for p in catalogue.papers if p.year is not None}, reverse=True)
    return {
        "title": catalogue.title,
        "families": [{"id": f.id, "label": f.heading} for f in catalogue.sections],
        "modalities": _modalities(catalogue),
        "years": years,
        "papers": [paper_entry(p, table, by_path) for p in catalogue.papers],
    }


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def content_security_policy(script: str, style: str) -> str:
    """Only our own inline script and style may run; nothing may be fetched or submitted."""
    return ("default-src 'none'; "
            f"script-src 'sha256-{_sha256(script)}'; style-src 'sha256-{_sha256(style)}'; "
            "img-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'")


def build_page(catalogue: Catalogue, source: str = "") -> str:
    """The whole ``index.html`` as text (deterministic: same catalogue, same bytes)."""
    script, style = _asset("page.js"), _asset("page.css")
    count = len(catalogue.papers)
    subtitle = f"{count:,} paper{'s' if count != 1 else ''}"
    if catalogue.updated:
        subtitle += f" \u00b7 last updated {format_date(catalogue.updated)}"
    title = catalogue.title or "Papers"
    values = {
        "CSP": content_security_policy(script, style),  # ours: no quote, no markup
        "TITLE": html_escape(title),
        "DESCRIPTION": html_escape(f"Search and filter {subtitle} of {title}."),
        "SUBTITLE": html_escape(subtitle),
        "VERSION": html_escape(__version__),
        "SOURCE": html_escape(source or catalogue.path),
        "CSS": style, "JS": script, "DATA": script_json(page_data(catalogue)),
    }
    return _MARKER.sub(lambda m: values[m.group(1)], _asset("page.html"))


def write_site(catalogue: Catalogue, out_dir: Path | str, source: str = "") -> Path:
    """Write ``out_dir/index.html`` (atomically; the directory is created if needed)."""
    from awesome_medad.fsutil import atomic_write

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(f"cannot create the directory {out}: {exc.strerror or exc}") from exc
    target = out / "index.html"
    atomic_write(target, build_page(catalogue, source))
    return target
