"""Duplicates: the same paper entered twice, near-identical titles, one URL for two papers.

"The same paper" means: equal titles once case, punctuation, whitespace and
markup are ignored, or the same arXiv id (abs, pdf and ``v2`` forms are one
paper) or DOI under different titles.  In the catalogue every record is a
paper of its own (cross-listing is a record with several ``sections``), so
two records for one paper are an error.  In a plain Markdown list the same
entry under two headings is how cross-listing is written: ``cross-listed``
(info); twice under one heading is an error.

Near-identical titles are found without comparing every pair: only titles
one word apart (a deletion neighbourhood of their word sequences) reach
:class:`difflib.SequenceMatcher`, so the check stays linear at 10,000 papers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from awesome_medad.ids import arxiv_id, doi_from_text
from awesome_medad.lint.base import (
    CatalogueSubject,
    Occurrence,
    Rule,
    Settings,
    is_paper_link,
    markdown_occurrences,
    normalise_title,
    paper_occurrences,
)
from awesome_medad.lint.hygiene import url_key
from awesome_medad.markdown import Document
from awesome_medad.problems import Level, Location, Problem
from awesome_medad.yamlsource import Crumb

DUPLICATE_PAPER = Rule("duplicate-paper", Level.ERROR, "The same paper entered twice.")
NEAR_DUPLICATE = Rule("near-duplicate", Level.WARNING, "Two nearly identical titles.")
DUPLICATE_URL = Rule("duplicate-url", Level.ERROR, "The same URL used by two different papers.")
CROSS_LISTED = Rule("cross-listed", Level.INFO,
                    "In a Markdown list, the same entry under two headings.")
RULES = (DUPLICATE_PAPER, NEAR_DUPLICATE, DUPLICATE_URL, CROSS_LISTED)

# A key shared by more titles than this is too generic to mean "one word
# apart" (e.g. a one-word title's empty key); such buckets are skipped.
_MAX_BUCKET = 50


@dataclass
class Record:
    """One paper (catalogue record or Markdown entry) as the duplicate checks see it."""

    owner: str
    title: str
    location: Location
    group: int | None
    label: str
    breadcrumb: Crumb = ()
    ids: set[str] = field(default_factory=set)
    urls: list[Occurrence] = field(default_factory=list)

    @property
    def norm(self) -> str:
        return normalise_title(self.title)


def _identifiers(occurrences: list[Occurrence]) -> set[str]:
    found: set[str] = set()
    for occ in occurrences:
        if not is_paper_link(occ.kind, occ.url):
            continue
        arxiv = arxiv_id(occ.url) if "arxiv" in occ.url.lower() else None
        if arxiv:
            found.add(f"arXiv {arxiv}")
            continue
        doi = doi_from_text(occ.url) if "10." in occ.url else None
        if doi:
            found.add(f"DOI {doi}")
    return found


def catalogue_records(subject: CatalogueSubject) -> list[Record]:
    records: list[Record] = []
    for paper in subject.catalogue.papers:
        crumb = (*paper.crumb, "title") if paper.title else (*paper.crumb, "raw")
        urls = list(paper_occurrences(subject, paper))
        record = Record(paper.id, paper.title, subject.where(crumb), None, paper.id, crumb,
                        _identifiers(urls), urls)
        if paper.arxiv:
            record.ids.add(f"arXiv {arxiv_id(paper.arxiv) or paper.arxiv}")
        if paper.doi:
            record.ids.add(f"DOI {doi_from_text(paper.doi) or paper.doi.lower()}")
        records.append(record)
    return records


def markdown_records(doc: Document) -> list[Record]:
    by_owner: dict[str, list[Occurrence]] = {}
    for occ in markdown_occurrences(doc):
        by_owner.setdefault(occ.owner, []).append(occ)
    records: list[Record] = []
    for entry in doc.entries:
        owner = f"entry:{entry.index}"
        urls = by_owner.get(owner, [])
        heading = doc.headings[entry.heading].text if entry.heading is not None else "the top"
        records.append(Record(owner, entry.title, Location(doc.path, entry.line, entry.column),
                              entry.heading, heading, (), _identifiers(urls), urls))
    return records


class _Finder:
    """Runs the duplicate checks over records, remembering pairs already reported."""

    def __init__(self, records: list[Record], settings: Settings, markdown: bool) -> None:
        self.records = [r for r in records if r.norm]
        self.settings = settings
        self.markdown = markdown
        self.paired: set[tuple[str, str]] = set()

    def pair(self, a: Record, b: Record) -> bool:
        """Record that ``a`` and ``b`` were reported; ``False`` when they already were."""
        key = (a.owner, b.owner) if a.owner < b.owner else (b.owner, a.owner)
        if key in self.paired:
            return False
        self.paired.add(key)
        return True

    def run(self) -> Iterator[Problem]:
        yield from self.same_titles()
        yield from self.same_ids()
        yield from self.near_titles()
        yield from self.same_urls()

    def same_titles(self) -> Iterator[Problem]:
        groups: dict[str, list[Record]] = {}
        for record in self.records:
            groups.setdefault(record.norm, []).append(record)
        for group in groups.values():
            for i, record in enumerate(group[1:], start=1):
                yield from self._same_title(record, group[:i])

    def _same_title(self, record: Record, earlier: list[Record]) -> Iterator[Problem]:
        same_place = [r for r in earlier if r.group == record.group] if self.markdown else earlier
        first = same_place[0] if same_place else earlier[0]
        if not self.pair(first, record):
            return
        if same_place:
            hint = ("keep one record; a paper listed in several sections is one record with "
                    "sections: [a, b]") if not self.markdown else "remove one of the two entries"
            yield DUPLICATE_PAPER.problem(
                record.location, f"'{record.title}' is entered twice", hint=hint,
                breadcrumb=record.breadcrumb, related=(first.location,))
        else:
            yield CROSS_LISTED.problem(
                record.location, f"'{record.title}' is also listed under '{first.label}'",
                hint="fine when the paper belongs to both sections", related=(first.location,))

    def same_ids(self) -> Iterator[Problem]:
        seen: dict[str, Record] = {}
        for record in self.records:
            for ident in sorted(record.ids):
                first = seen.setdefault(ident, record)
                if first is record or first.norm == record.norm or not self.pair(first, record):
                    continue
                yield DUPLICATE_PAPER.problem(
                    record.location, f"the same paper ({ident}) as '{first.title}', under "
                    f"another title: '{record.title}'", hint="keep one of them",
                    breadcrumb=record.breadcrumb, related=(first.location,))

    def near_titles(self) -> Iterator[Problem]:
        distinct: dict[str, Record] = {}
        for record in self.records:
            distinct.setdefault(record.norm, record)
        uniques = list(distinct.values())
        for i, j, ratio in near_pairs([r.norm for r in uniques],
                                      self.settings.near_duplicate_ratio):
            first, record = uniques[min(i, j)], uniques[max(i, j)]
            if not self.pair(first, record):
                continue
            yield NEAR_DUPLICATE.problem(
                record.location, f"'{record.title}' is nearly the same title as "
                f"'{first.title}' ({ratio:.0%} alike)",
                hint="if they are one paper, keep one entry; otherwise ignore this",
                breadcrumb=record.breadcrumb, related=(first.location,))

    def same_urls(self) -> Iterator[Problem]:
        seen: dict[str, tuple[Record, Occurrence]] = {}
        for record in self.records:
            for occ in record.urls:
                if not occ.url.strip() or self.settings.url_ignored(occ.url):
                    continue
                key = url_key(occ.url)
                first, first_occ = seen.setdefault(key, (record, occ))
                if first is record or first.norm == record.norm or not self.pair(first, record):
                    continue
                yield DUPLICATE_URL.problem(
                    occ.location, f"'{record.title}' links to {occ.url}, which '{first.title}' "
                    "uses too", hint="each paper needs its own link; check for a copy-paste slip",
                    breadcrumb=occ.breadcrumb, related=(first_occ.location,))


def near_pairs(titles: list[str], ratio: float) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)`` of titles at least ``ratio`` alike (character level).

    Candidates are titles one word apart (a word added, removed or changed,
    which covers typos and plurals): each title is filed under its word
    sequence and under every sequence with one word left out, and titles
    that meet under a key are compared.  This is linear in the number of
    titles whatever their vocabulary, unlike comparing every pair.
    """
    buckets: dict[tuple[str, ...], list[int]] = {}
    for i, title in enumerate(titles):
        words = tuple(title.split())
        keys = {words} | {words[:k] + words[k + 1:] for k in range(len(words))}
        for key in keys:
            buckets.setdefault(key, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for members in buckets.values():
        if 1 < len(members) <= _MAX_BUCKET:
            pairs.update((a, b) for x, a in enumerate(members) for b in members[x + 1:])
    found: list[tuple[int, int, float]] = []
    for a, b in sorted(pairs):
        similarity = _similar(titles[a], titles[b], ratio)
        if similarity is not None:
            found.append((a, b, similarity))
    return found


def _similar(a: str, b: str, ratio: float) -> float | None:
    if 2 * min(len(a), len(b)) / (len(a) + len(b)) < ratio:
        return None
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < ratio:
        return None
    value = matcher.ratio()
    return value if value >= ratio else None


def check_catalogue(subject: CatalogueSubject, settings: Settings) -> Iterator[Problem]:
    yield from _Finder(catalogue_records(subject), settings, markdown=False).run()


def check_markdown(doc: Document, settings: Settings) -> Iterator[Problem]:
    yield from _Finder(markdown_records(doc), settings, markdown=True).run()
