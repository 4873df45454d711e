"""Anchors and the table of contents: every ``#fragment`` must land somewhere.

Targets are GitHub's heading slugs (one implementation: :mod:`awesome_medad.slugs`,
uniqueness loop included) and HTML ``id``/``name`` attributes.  The table of
contents is the first list made only of fragment links; it must name every
heading it covers (the heading levels it links to), in heading order.  Order
problems are reported for the entries outside the longest in-order run, so
one misplaced entry yields one finding, not a cascade.
"""

from __future__ import annotations

import bisect
import difflib
import posixpath
from collections.abc import Iterator
from urllib.parse import unquote

from awesome_medad.lint.base import CatalogueSubject, Rule, Settings
from awesome_medad.markdown import Document, Heading, Link, TocItem
from awesome_medad.problems import Level, Location, Problem

ANCHOR_MISSING = Rule("anchor-missing", Level.ERROR,
                      "A #fragment link that matches no heading or HTML anchor.")
TOC_MISSING = Rule("toc-missing", Level.WARNING, "A section heading missing from the TOC.")
TOC_ORDER = Rule("toc-order", Level.WARNING, "TOC entries not in heading order.")
TOC_LABEL = Rule("toc-label", Level.WARNING, "A TOC label that differs from its heading.")
RULES = (ANCHOR_MISSING, TOC_MISSING, TOC_ORDER, TOC_LABEL)


def fragment_of(link: Link, doc: Document) -> str | None:
    """The fragment a link points at inside ``doc`` itself, decoded; ``None`` for other targets."""
    url = link.url.strip()
    if url.startswith("#"):
        return unquote(url[1:])
    path, sep, fragment = url.partition("#")
    if sep and path and "://" not in path and posixpath.basename(path) == posixpath.basename(
            doc.path.replace("\\", "/")):
        return unquote(fragment)
    return None


def closest_anchor(fragment: str, anchors: set[str]) -> str | None:
    """The anchor a broken fragment most likely meant (case first, then spelling)."""
    lowered = fragment.lower()
    if lowered in anchors:
        return lowered
    close = difflib.get_close_matches(fragment, sorted(anchors), n=1, cutoff=0.6)
    if close:
        return close[0]
    longer = sorted(a for a in anchors if a.startswith(lowered) or lowered.startswith(a) and a)
    return longer[0] if longer else None


def _resolves(fragment: str, anchors: set[str]) -> bool:
    if fragment in anchors or fragment.lower() == "top":
        return True
    return fragment.startswith("user-content-") and fragment[13:] in anchors


def missing_anchors(doc: Document) -> Iterator[Problem]:
    anchors = doc.anchor_names()
    for link in doc.links:
        fragment = fragment_of(link, doc)
        if fragment is None or not fragment or _resolves(fragment, anchors):
            continue
        guess = closest_anchor(fragment, anchors)
        hint = f"did you mean #{guess}?" if guess else "no heading or HTML anchor has this name"
        yield ANCHOR_MISSING.problem(Location(doc.path, link.line, link.column),
                                     f"link to #{fragment}, which is not an anchor in this file",
                                     hint=hint)


def _toc_targets(doc: Document) -> list[tuple[TocItem, Heading]]:
    by_anchor = {h.anchor: h for h in doc.headings}
    result: list[tuple[TocItem, Heading]] = []
    for item in doc.toc:
        heading = by_anchor.get(unquote(item.fragment))
        if heading is not None:
            result.append((item, heading))
    return result


def toc_missing(doc: Document, scope: set[str] | None = None) -> Iterator[Problem]:
    """Headings the TOC covers (its levels, after it) that it does not list."""
    targets = _toc_targets(doc)
    if not targets:
        return
    listed = {heading.anchor for _, heading in targets}
    levels = {heading.level for _, heading in targets}
    first_line = doc.toc[0].link.line
    for heading in doc.headings:
        if heading.anchor in listed:
            continue
        if scope is not None:
            if heading.anchor not in scope:
                continue
        elif heading.line < first_line or heading.level not in levels:
            continue
        bullet = f"- [{heading.text}](#{heading.anchor})"
        yield TOC_MISSING.problem(
            Location(doc.path, heading.line, heading.column),
            f"the heading '{heading.text}' (#{heading.anchor}) is not in the table of contents",
            hint=f"add '{bullet}' to the table of contents")


def _longest_run(values: list[int]) -> set[int]:
    """Positions of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(values)
    for i, value in enumerate(values):
        k = bisect.bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k] = value
            tail_at[k] = i
        parent[i] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    at = tail_at[-1] if tail_at else -1
    while at >= 0:
        keep.add(at)
        at = parent[at]
    return keep


def toc_order(doc: Document, scope: set[str] | None = None) -> Iterator[Problem]:
    targets = [(item, heading) for item, heading in _toc_targets(doc)
               if scope is None or heading.anchor in scope]
    keep = _longest_run([heading.index for _, heading in targets])
    for i, (item, heading) in enumerate(targets):
        if i in keep:
            continue
        before = next((targets[j] for j in range(i - 1, -1, -1)
                       if targets[j][1].index > heading.index), None)
        message = f"the table of contents lists '{item.label}' out of heading order"
        if before is not None:
            message = (f"the table of contents lists '{item.label}' after '{before[0].label}', "
                       "but its heading comes first")
        yield TOC_ORDER.problem(
            Location(doc.path, item.link.line, item.link.column), message,
            hint="order the TOC as the headings are ordered",
            related=(Location(doc.path, heading.line, heading.column),))


def toc_labels(doc: Document) -> Iterator[Problem]:
    for item, heading in _toc_targets(doc):
        label, text = " ".join(item.label.split()), " ".join(heading.text.split())
        if label != text:
            yield TOC_LABEL.problem(
                Location(doc.path, item.link.line, item.link.column),
                f"the TOC label '{label}' differs from its heading '{text}'",
                hint="use the heading's words, or keep the difference on purpose",
                related=(Location(doc.path, heading.line, heading.column),))


def check_markdown(doc: Document, settings: Settings) -> Iterator[Problem]:
    yield from missing_anchors(doc)
    yield from toc_missing(doc)
    yield from toc_order(doc)
    yield from toc_labels(doc)


def check_catalogue(subject: CatalogueSubject, settings: Settings) -> Iterator[Problem]:
    """TOC labels from the YAML; anchors and TOC completeness/order from the README."""
    for section in subject.catalogue.walk():
        if section.toc is not None and section.toc != section.heading:
            crumb = (*section.crumb, "toc")
            yield TOC_LABEL.problem(
                subject.where(crumb),
                f"the TOC label '{section.toc}' differs from its heading '{section.heading}'",
                hint="remove 'toc:' to show the heading, or keep the difference on purpose",
                breadcrumb=crumb, related=(subject.where((*section.crumb, "heading")),))
    readme = subject.readme
    if readme is None:
        return
    from awesome_medad.render import anchors

    scope = set(anchors(subject.catalogue).values())
    yield from missing_anchors(readme)
    yield from toc_missing(readme, scope)
    yield from toc_order(readme, scope)
