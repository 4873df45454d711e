"""What every check family shares: the rule type, the two kinds of input, URL occurrences.

A check family (``anchors``, ``duplicates``, ...) is a module with a
``RULES`` tuple and two generators, ``check_catalogue(subject, settings)``
and ``check_markdown(doc, settings)``, that yield :class:`Problem` objects at
their rule's default level.  The runner stamps configured levels, drops rules
that are off and applies suppressions, so checks stay simple (the yamllint
habit).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from awesome_medad.catalogue import Catalogue, Paper
from awesome_medad.ids import CODE_HOSTS
from awesome_medad.markdown import Document, Entry, Link, read_markdown
from awesome_medad.problems import Level, Location, Problem
from awesome_medad.yamlsource import Crumb


@dataclass(frozen=True)
class Rule:
    """A check with a stable id (CI configs and suppressions name it) and a default level."""

    id: str
    level: Level
    summary: str

    def problem(self, location: Location, message: str, *, hint: str = "",
                breadcrumb: Crumb = (), related: tuple[Location, ...] = ()) -> Problem:
        return Problem(location, self.id, self.level, message, tuple(breadcrumb), hint, related)


@dataclass(frozen=True)
class Settings:
    """The parts of the configuration that checks consult while they run."""

    url_ignored: Callable[[str], bool] = lambda url: False
    near_duplicate_ratio: float = 0.9


@dataclass(frozen=True)
class Occurrence:
    """One use of a URL: where it is, which paper it belongs to and what kind of link it is.

    ``kind`` is the catalogue's link kind (``pdf``, ``code``, ...) or, in
    Markdown, the link's label when it is a generic one (``pdf``), else
    ``link``/``image``/``html``.  ``owner`` identifies the paper or entry (a
    paper id, ``entry:12``, or ``""`` for prose), so that checks can tell
    "two papers share a URL" from "one paper uses it twice".
    """

    url: str
    location: Location
    title: str = ""
    kind: str = "link"
    owner: str = ""
    breadcrumb: Crumb = ()


@dataclass
class CatalogueSubject:
    """The catalogue, its YAML text and the README that should be its rendering."""

    catalogue: Catalogue
    yaml_text: str
    readme_path: str
    readme_text: str | None
    rendered: str
    readme: Document | None = None

    @property
    def path(self) -> str:
        return self.catalogue.path

    @property
    def in_sync(self) -> bool:
        return self.readme_text == self.rendered

    def where(self, crumb: Crumb, key: bool = False) -> Location:
        return self.catalogue.source.where(crumb, key)

    def has_value(self, crumb: Crumb) -> bool:
        return tuple(crumb) in self.catalogue.source.values

    @cached_property
    def yaml_lines(self) -> list[str]:
        return self.yaml_text.split("\n")

    @cached_property
    def fields(self) -> list[tuple[Crumb, Document]]:
        """Hand-written Markdown kept in the catalogue (intro, contact, footer, raw entries)."""
        catalogue = self.catalogue
        found: list[tuple[Crumb, Document]] = []
        for name in ("intro", "contact", "footer"):
            text = getattr(catalogue, name)
            if text:
                found.append(((name,), read_markdown(text, self.path)))
        for paper in catalogue.papers:
            if paper.raw:
                found.append(((*paper.crumb, "raw"), read_markdown(paper.raw, self.path)))
        return found

    def field_location(self, crumb: Crumb, line: int, column: int) -> Location:
        """Map ``line:column`` inside a Markdown field's text to the YAML file.

        Block scalars (``|``) start on the line after the indicator, at the
        block's indentation; single-line scalars start at the value (plus the
        opening quote).  Folded or multi-line flow scalars are approximate.
        """
        start = self.where(crumb)
        lines = self.yaml_lines
        if not start.line or start.line > len(lines):
            return start
        first = lines[start.line - 1][start.column - 1:]
        if first[:1] in {"|", ">"}:
            body = next((ln for ln in lines[start.line:] if ln.strip()), "")
            indent = len(body) - len(body.lstrip(" "))
            return Location(start.path, start.line + line, indent + column)
        quote = 1 if first[:1] in {"'", '"'} else 0
        if line == 1:
            return Location(start.path, start.line, start.column + quote + column - 1)
        target = start.line + line - 1
        body = lines[target - 1] if target <= len(lines) else ""
        return Location(start.path, target, len(body) - len(body.lstrip(" ")) + column)


# -- helpers shared by families ---------------------------------------------------------

_MARKUP_RE = re.compile(r"[*_`~]+|<[^>]+>")
_NON_WORD_RE = re.compile(r"[^\w]+|_+")


def normalise_title(title: str) -> str:
    """Case, punctuation, whitespace and markup ignored: the key for "the same paper"."""
    text = unicodedata.normalize("NFKC", _MARKUP_RE.sub(" ", title)).casefold()
    return " ".join(_NON_WORD_RE.sub(" ", text).split())


_NON_PAPER_LABELS = frozenset(
    "code github gitlab unofficial official implementation scholar google slides slide video "
    "youtube demo poster blog bibtex bib dataset data talk news tweet twitter reddit "
    "supplementary supp supplement model models weights colab notebook website homepage "
    "leaderboard challenge".split()
)
_PAPER_LABELS = frozenset(
    "pdf paper arxiv doi html abs abstract publication article proceedings journal openreview "
    "preprint link project page".split()
)
_NON_PAPER_HOSTS = re.compile(
    rf"^(?:{CODE_HOSTS}|(?:www\.)?(?:scholar\.google\.[a-z.]+|(?:www\.)?youtube\.com|youtu\.be|"
    r"colab\.research\.google\.com|huggingface\.co|paperswithcode\.com|twitter\.com|x\.com))"
    r"(?:[:/]|$)", re.I)


def is_paper_link(kind: str, url: str) -> bool:
    """Whether a link points at the paper itself rather than its code, a search or a video.

    The label decides first (``pdf`` yes, ``code``/``google scholar`` no);
    an unknown label (a venue such as ``CVPR 2023``, a title) is judged by
    the host.
    """
    words = set(re.sub(r"[^a-z]+", " ", kind.lower()).split())
    if words & _NON_PAPER_LABELS and not words & {"pdf", "paper", "arxiv"}:
        return False
    if words & _PAPER_LABELS:
        return True
    host = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I)
    return not _NON_PAPER_HOSTS.match(host)


def link_kind(link: Link) -> str:
    """The kind of a Markdown link: its label when that names a kind (``pdf``), else its type."""
    label = link.text.strip("[]() *_").lower()
    if label and len(label) <= 30 and (set(label.split()) & (_PAPER_LABELS | _NON_PAPER_LABELS)):
        return label
    return link.kind if link.kind != "bare" else "link"


def entry_owner(entry: Entry | None) -> str:
    return f"entry:{entry.index}" if entry is not None else ""


def paper_occurrences(subject: CatalogueSubject, paper: Paper) -> Iterator[Occurrence]:
    for kind, url in paper.links:
        crumb = (*paper.crumb, "links", kind)
        yield Occurrence(url, subject.where(crumb), paper.title, kind, paper.id, crumb)


def field_occurrences(subject: CatalogueSubject) -> Iterator[Occurrence]:
    """Links written by hand in the catalogue's Markdown fields, at their YAML positions."""
    for crumb, doc in subject.fields:
        owner = str(crumb[1]) if crumb[0] == "papers" else ""
        for link in doc.links:
            if link.url.startswith("#"):
                continue
            where = subject.field_location(crumb, link.url_line, link.url_column)
            yield Occurrence(link.url, where, "", link_kind(link), owner, crumb)


def catalogue_occurrences(subject: CatalogueSubject) -> list[Occurrence]:
    """Every URL the catalogue uses, paper links first, in file order."""
    found = [occ for paper in subject.catalogue.papers for occ in paper_occurrences(subject, paper)]
    return found + list(field_occurrences(subject))


def markdown_occurrences(doc: Document) -> list[Occurrence]:
    """Every non-fragment URL of a Markdown document (relative links included)."""
    found: list[Occurrence] = []
    for link in doc.links:
        if link.url.startswith("#"):
            continue
        entry = doc.entries[link.entry] if link.entry is not None else None
        where = Location(doc.path, link.url_line, link.url_column)
        found.append(Occurrence(link.url, where, entry.title if entry else "", link_kind(link),
                                entry_owner(entry)))
    return found


@dataclass
class Bag:
    """Collects problems of one check run (keeps check functions short)."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)
