"""Structure: empty sections, entries that link everywhere but to the paper, venue vs year.

An entry with links of which none points at the paper (only code, a search
engine query, a video) is reported; an entry with no link at all is a
placeholder on purpose (the list's "Not yet public" papers) and is not.  The
venue/year check compares a paper's explicit ``year`` with the year its venue
implies (``MIDL'18`` -> 2018); in a Markdown list organised by year headings
(``## 2019``, ``### CVPR 2019``) it compares the entry's venue with the heading.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from awesome_medad.lint.base import (
    CatalogueSubject,
    Rule,
    Settings,
    is_paper_link,
    link_kind,
)
from awesome_medad.markdown import Document, Heading
from awesome_medad.problems import Level, Location, Problem
from awesome_medad.venues import FULL_YEAR_WORD, year_from_venue

SECTION_EMPTY = Rule("section-empty", Level.WARNING, "A section with no entries.")
PAPER_NO_LINK = Rule("paper-no-link", Level.WARNING,
                     "An entry whose links all point elsewhere than the paper (code, search).")
VENUE_YEAR = Rule("venue-year", Level.WARNING, "A venue and a year that disagree.")
RULES = (SECTION_EMPTY, PAPER_NO_LINK, VENUE_YEAR)

# A heading that ends in a year: ``2019``, ``CVPR 2019``.
_YEAR_HEADING = re.compile(rf"^\D{{0,40}}?({FULL_YEAR_WORD})\s*$")


def _catalogue_empty(subject: CatalogueSubject) -> Iterator[Problem]:
    by_section = subject.catalogue.papers_by_section()
    for section in subject.catalogue.walk():
        if section.children or by_section.get(section.path):
            continue
        crumb = (*section.crumb, "heading")
        yield SECTION_EMPTY.problem(
            subject.where(crumb), f"the section '{section.heading}' has no papers",
            hint=f"add papers with sections: [{section.path}], or remove the section",
            breadcrumb=crumb)


def _catalogue_links(subject: CatalogueSubject) -> Iterator[Problem]:
    for paper in subject.catalogue.papers:
        if paper.raw is not None or not paper.links:
            continue
        if any(is_paper_link(kind, url) for kind, url in paper.links):
            continue
        crumb = (*paper.crumb, "links")
        kinds = ", ".join(kind for kind, _ in paper.links)
        yield PAPER_NO_LINK.problem(
            subject.where(crumb, key=True),
            f"'{paper.title}' has links ({kinds}) but none to the paper",
            hint="add a pdf, arXiv or DOI link", breadcrumb=crumb)


def _catalogue_years(subject: CatalogueSubject) -> Iterator[Problem]:
    for paper in subject.catalogue.papers:
        crumb = (*paper.crumb, "year")
        if not subject.has_value(crumb) or paper.year is None:
            continue
        implied = year_from_venue(paper.venue)
        if implied is not None and implied != paper.year:
            yield VENUE_YEAR.problem(
                subject.where(crumb), f"year {paper.year} disagrees with the venue "
                f"'{paper.venue}', which says {implied}", hint="correct one of the two",
                breadcrumb=crumb, related=(subject.where((*paper.crumb, "venue")),))


def check_catalogue(subject: CatalogueSubject, settings: Settings) -> Iterator[Problem]:
    yield from _catalogue_empty(subject)
    yield from _catalogue_links(subject)
    yield from _catalogue_years(subject)


def _markdown_empty(doc: Document) -> Iterator[Problem]:
    headings = doc.headings
    for i, heading in enumerate(headings):
        has_child = i + 1 < len(headings) and headings[i + 1].level > heading.level
        if heading.has_body or has_child:
            continue
        yield SECTION_EMPTY.problem(
            Location(doc.path, heading.line, heading.column),
            f"the section '{heading.text}' has no entries",
            hint="add entries under it or remove the heading")


def _markdown_links(doc: Document) -> Iterator[Problem]:
    for entry in doc.entries:
        links = [link for link in entry.links if not link.fragment_only and link.kind != "image"]
        if not links or any(is_paper_link(link_kind(link), link.url) for link in links):
            continue
        kinds = ", ".join(dict.fromkeys(link_kind(link) for link in links))
        yield PAPER_NO_LINK.problem(
            Location(doc.path, entry.line, entry.column),
            f"'{entry.title}' has links ({kinds}) but none to the paper",
            hint="add a pdf, arXiv or DOI link")


def _heading_year(doc: Document, index: int | None) -> tuple[Heading, int] | None:
    """The nearest enclosing heading that names a year (``2019``, ``CVPR 2019``)."""
    level = 99
    while index is not None and index >= 0:
        heading = doc.headings[index]
        if heading.level < level:
            match = _YEAR_HEADING.match(heading.text)
            if match:
                return heading, int(match.group(1))
            level = heading.level
        index -= 1
    return None


def _markdown_years(doc: Document) -> Iterator[Problem]:
    for entry in doc.entries:
        if entry.year is None:
            continue
        found = _heading_year(doc, entry.heading)
        if found is None or found[1] == entry.year:
            continue
        heading, year = found
        yield VENUE_YEAR.problem(
            Location(doc.path, entry.line, entry.column),
            f"the venue '{entry.venue}' says {entry.year}, but the entry is under "
            f"'{heading.text}'", hint="move the entry or correct the venue",
            related=(Location(doc.path, heading.line, heading.column),))


def check_markdown(doc: Document, settings: Settings) -> Iterator[Problem]:
    yield from _markdown_empty(doc)
    yield from _markdown_links(doc)
    yield from _markdown_years(doc)
