"""Catalogue -> Markdown, in the dialect of the list (see ``data/papers.yaml``'s header).

A pure function of the catalogue: same input, same bytes.  Escaping rule
(documented for maintainers): ``\\``, ``[`` and ``]`` inside titles, authors,
venues, short names and TOC labels are written as ``\\\\``, ``\\[`` and
``\\]`` so they cannot close the bracketed field early; line breaks are rejected by validation;
``|`` needs nothing because this dialect has no tables.  Link targets with
spaces are rejected by validation; unbalanced parentheses are wrapped in
``<...>`` so the Markdown link still parses.
"""

from __future__ import annotations

import datetime as dt
import re

from awesome_medad.catalogue import Catalogue, Chart, Paper, Section
from awesome_medad.ids import surname
from awesome_medad.slugs import Slugger

_MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.",
           "Nov.", "Dec.")
_ESCAPE_RE = re.compile(r"([\\\[\]])")
_UNESCAPE_RE = re.compile(r"\\([\\\[\]])")


def escape(text: str) -> str:
    """Make ``text`` safe inside one ``[...]`` field of an entry (``\\``, ``[`` and ``]``)."""
    return _ESCAPE_RE.sub(r"\\\1", text)


def unescape(text: str) -> str:
    """The inverse of :func:`escape`, for reading entries back (import)."""
    return _UNESCAPE_RE.sub(r"\1", text)


def format_date(day: dt.date) -> str:
    """``Aug. 10, 2020``: the list's own date style."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def link_target(url: str) -> str:
    """Wrap a URL in ``<>`` when its parentheses would end the Markdown link early."""
    depth = 0
    for char in url:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            break
    return url if depth == 0 else f"<{url}>"


def render_links(links: tuple[tuple[str, str], ...]) -> str:
    """`` [[google scholar]](u) [[pdf]](u)[[code]](u)``: code links are glued on, as in the list."""
    parts: list[str] = []
    for kind, url in links:
        glue = "" if kind.endswith("code") and parts else " "
        parts.append(f"{glue}[[{escape(kind)}]]({link_target(url)})")
    return "".join(parts)


def render_entry(paper: Paper) -> str:
    """One ``- [Chen _et. al._] [Title] [MIDL'18] [[pdf]](u)`` line."""
    if paper.raw is not None:
        return paper.raw
    fields: list[str] = []
    if paper.authors:
        name = escape(surname(paper.authors[0]))
        many = paper.et_al or len(paper.authors) > 1
        fields.append(f"[{name} _et. al._]" if many else f"[{name}]")
    title = escape(paper.title)
    if paper.short:
        title += f" (**{escape(paper.short)}**)"
    fields.append(f"[{title}]")
    if paper.venue:
        fields.append(f"[{escape(paper.venue)}]")
    return "- " + " ".join(fields) + render_links(paper.links)


def _header(catalogue: Catalogue) -> list[str]:
    lines = [f"# {catalogue.title}"]
    if catalogue.intro:
        lines += [catalogue.intro.rstrip("\n"), ""]
    else:
        lines.append("")
    if catalogue.updated:
        lines += [f"--- Last updated: {format_date(catalogue.updated)} ---", ""]
    if catalogue.contact:
        lines += [catalogue.contact.rstrip("\n"), ""]
    return lines


def anchors(catalogue: Catalogue) -> dict[str, str]:
    """Section path -> GitHub anchor, counting every heading of the page in order."""
    slugger = Slugger()
    slugger.heading(catalogue.title)
    slugger.heading(catalogue.toc_heading)
    return {section.path: slugger.heading(section.heading) for section in catalogue.walk()}


def _toc(catalogue: Catalogue, anchor_of: dict[str, str]) -> list[str]:
    lines = [f"## {catalogue.toc_heading}"]
    for section in catalogue.walk():
        indent = "  " * (section.depth - 1)
        bullet = "-" if section.depth % 2 else "*"
        label = escape(section.toc_label)
        lines.append(f"{indent}{bullet} [{label}](#{anchor_of[section.path]})")
    return [*lines, ""]


def _heading(section: Section) -> str:
    return f"{'#' * section.depth} {section.heading}"


def _body(catalogue: Catalogue) -> list[str]:
    by_section = catalogue.papers_by_section()
    lines: list[str] = []
    for section in catalogue.walk():
        lines.append(_heading(section))
        entries = by_section.get(section.path, [])
        if entries:
            lines.extend(render_entry(paper) for paper in entries)
            lines.append("")
    return lines


def render_chart(chart: Chart) -> str:
    """``![alt](path)``: the chart image shown after the last entry."""
    return f"![{escape(chart.alt_text)}]({link_target(chart.path)})"


def render(catalogue: Catalogue) -> str:
    """The whole README for ``catalogue``."""
    lines = _header(catalogue) + _toc(catalogue, anchors(catalogue)) + _body(catalogue)
    while lines and not lines[-1]:
        lines.pop()
    if catalogue.chart is not None:
        lines += ["", render_chart(catalogue.chart)]
    if catalogue.footer:
        lines += ["", catalogue.footer.strip("\n")]
    return "\n".join(lines) + "\n"
