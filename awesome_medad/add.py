"""``medad add``: one new paper record, checked for duplicates, appended in place.

The command line gathers a :class:`Request` (an identifier to look up and
any fields given by hand), this module turns it into a
:class:`~awesome_medad.catalogue.Paper`, runs the duplicate check of
``medad lint`` against the catalogue *with the paper appended*, and returns
the new catalogue text; every byte of the old text is kept
(:func:`awesome_medad.yamledit.append_block`).

Example::

    request = Request(sections=("deep-learning/brain-mri",))
    paper = build_paper(catalogue, request, fetch("2007.13559"))
    result = append_paper(text, catalogue, paper)   # raises Duplicate if already there
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from awesome_medad.catalogue import Catalogue, Paper, build_catalogue, url_problem
from awesome_medad.errors import MedadError
from awesome_medad.ids import arxiv_id, doi_from_text, make_paper_id
from awesome_medad.metadata import Metadata
from awesome_medad.problems import Level, Problem
from awesome_medad.schema import ID_PATTERN
from awesome_medad.venues import year_from_venue
from awesome_medad.yamledit import EditError
from awesome_medad.yamlsource import load

_ID_RE = re.compile(ID_PATTERN)


class Duplicate(MedadError):
    """The paper is already in the catalogue; exit 1 (a finding, not a usage error)."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem], owners: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = [f"{p.message}; the existing entry '{owner}' is at "
                 f"{p.related[0] if p.related else p.location}"
                 for p, owner in zip(self.problems, owners, strict=True)]
        super().__init__("not added: the paper is already in the catalogue\n" + "\n".join(lines))


class BadRequest(MedadError):
    """An option value that cannot make a paper (bad URL, unknown section, ...)."""


@dataclass(frozen=True)
class Request:
    """Everything ``medad add`` was told; ``None`` means "take it from the metadata"."""

    sections: tuple[str, ...] = ()
    title: str | None = None
    authors: tuple[str, ...] = ()
    et_al: bool = False
    venue: str | None = None
    year: int | None = None
    short: str | None = None
    pdf: str | None = None
    code: str | None = None
    links: tuple[tuple[str, str], ...] = ()
    arxiv: str | None = None
    doi: str | None = None
    id: str | None = None


@dataclass(frozen=True)
class Added:
    """The outcome: the new text, the paper, and warnings worth showing (near-duplicates)."""

    text: str
    paper: Paper
    block: tuple[str, ...]
    line: int
    warnings: tuple[Problem, ...] = field(default=())


def split_authors(value: str) -> tuple[str, ...]:
    """``"A. Smith; B. Jones"`` or ``"A. Smith, B. Jones"`` -> names (``;`` wins when present)."""
    separator = ";" if ";" in value else ","
    return tuple(name.strip() for name in value.split(separator) if name.strip())


def parse_link(value: str) -> tuple[str, str]:
    """``KIND=URL`` from ``--link`` (``"project page=https://..."``)."""
    kind, sep, url = value.partition("=")
    if not sep or not kind.strip() or not url.strip():
        raise BadRequest(f"--link {value!r}: write KIND=URL, e.g. --link video=https://...")
    return kind.strip(), url.strip()


def resolve_section(catalogue: Catalogue, wanted: str) -> str:
    """A section path from a path (``deep-learning/brain-mri``) or a leaf id used only once."""
    paths = [s.path for s in catalogue.walk()]
    wanted = wanted.strip().strip("/")
    if wanted in paths:
        return wanted
    leaves = [p for p in paths if p.rsplit("/", 1)[-1] == wanted]
    if len(leaves) == 1:
        return leaves[0]
    if leaves:
        raise BadRequest(f"section '{wanted}' is ambiguous: {', '.join(leaves)}; give the path")
    close = difflib.get_close_matches(wanted, paths, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}?" if close else "sections: " + ", ".join(paths)
    raise BadRequest(f"there is no section '{wanted}' in the catalogue; {hint}")


def build_paper(catalogue: Catalogue, request: Request, meta: Metadata | None) -> Paper:
    """The new record: options given by hand win over fetched metadata."""
    if not request.sections:
        raise BadRequest("no section given: use --section PATH")
    sections = tuple(dict.fromkeys(resolve_section(catalogue, s) for s in request.sections))
    title = _one_line("--title", request.title or (meta.title if meta else ""))
    if not title:
        raise BadRequest("the paper has no title: give --title (or an arXiv id or DOI)")
    authors = request.authors or (meta.authors if meta else ())
    venue = request.venue or (meta.venue if meta else None)
    year = request.year or (meta.year if meta else None) or year_from_venue(venue)
    links = _links(request, meta)
    taken = {p.id for p in catalogue.papers}
    paper_id = request.id or make_paper_id(authors, year, title, taken)
    if not _ID_RE.match(paper_id) or paper_id in taken:
        why = "is already used" if paper_id in taken else f"must match {ID_PATTERN}"
        raise BadRequest(f"paper id '{paper_id}' {why}; choose another with --id")
    arxiv = _identifier(request.arxiv or (meta.arxiv if meta else None), arxiv_id, links,
                        "--arxiv", "an arXiv id such as 2007.13559")
    doi = _identifier(request.doi or (meta.doi if meta else None), doi_from_text, links,
                      "--doi", "a DOI such as 10.1016/j.media.2020.101713")
    return Paper(
        id=paper_id, title=title, sections=sections, index=len(catalogue.papers),
        short=request.short, authors=tuple(_one_line("--authors", a) for a in authors),
        et_al=request.et_al, venue=_one_line("--venue", venue) if venue else None, year=year,
        links=links, arxiv=arxiv, doi=doi)


def _one_line(option: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise BadRequest(f"{option} must be a single line")
    return value.strip()


def _links(request: Request, meta: Metadata | None) -> tuple[tuple[str, str], ...]:
    links: list[tuple[str, str]] = []
    pdf = request.pdf or (meta.pdf if meta else None)
    for kind, url in (("pdf", pdf), ("code", request.code), *request.links):
        if not url:
            continue
        if any(kind == k for k, _ in links):
            raise BadRequest(f"two '{kind}' links given; each kind of link appears once")
        if "[" in kind or "]" in kind:
            raise BadRequest(f"link kind '{kind}' cannot contain '[' or ']'")
        problem = url_problem(url)
        if problem:
            raise BadRequest(f"the {kind} link {url!r} is not usable: {problem}")
        links.append((kind, url))
    return tuple(links)


def _identifier(given: str | None, parse: Callable[[str], str | None],
                links: tuple[tuple[str, str], ...], option: str, example: str) -> str | None:
    """The id given (``--arxiv``/``--doi`` or the fetched metadata), else the first link's.

    A given id that does not parse is an error naming the option; ids found
    in links are only a fallback, so a bad link never blocks ``add``.
    """
    if given:
        found = parse(given)
        if found is None:
            raise BadRequest(f"{option} {given!r} is not {example}")
        return found
    return next((found for _, url in links if (found := parse(url))), None)


def append_paper(text: str, catalogue: Catalogue, paper: Paper, display: str) -> Added:
    """Append ``paper`` to the catalogue text; raises :class:`Duplicate` if it is already there.

    The duplicate check is ``medad lint``'s own (same title, arXiv id or
    DOI), run on the catalogue as it would be, so ``add`` refuses exactly
    what lint would flag.
    """
    from awesome_medad.dump import paper_block
    from awesome_medad.yamledit import append_block

    block = paper_block(paper)
    new_text = append_block(text, block, display)
    new_catalogue = build_catalogue(*load(new_text, display))
    index = len(new_catalogue.papers) - 1
    if new_catalogue.papers[index] != replace(paper, index=index):
        raise EditError(f"{display}: the new block would not read back as the same paper; "
                        "nothing was written")
    found = _duplicate_findings(new_catalogue, new_text, index)
    refusals = [p for p in found if p.rule == "duplicate-paper"]
    if refusals:
        raise Duplicate(refusals, [_owner(new_catalogue, p) for p in refusals])
    line = new_catalogue.source.where(("papers", index)).line
    return Added(new_text, new_catalogue.papers[index], tuple(block), line, tuple(found))


def _duplicate_findings(catalogue: Catalogue, text: str, index: int) -> list[Problem]:
    """Lint's duplicate findings that concern the paper at ``index`` (the new one)."""
    from awesome_medad.lint.base import CatalogueSubject, Settings
    from awesome_medad.lint.duplicates import check_catalogue

    subject = CatalogueSubject(catalogue, text, "", None, "")
    return [p for p in check_catalogue(subject, Settings())
            if p.breadcrumb[:2] == ("papers", index) and p.level != Level.INFO]


def section_choices(catalogue: Catalogue) -> list[tuple[str, str]]:
    """``(path, indented heading)`` for every section, for the interactive prompt."""
    return [(s.path, "  " * (s.depth - 1) + s.heading) for s in catalogue.walk()]


def _owner(catalogue: Catalogue, problem: Problem) -> str:
    """The id of the paper whose block holds the finding's related (existing) location."""
    if not problem.related:
        return "?"
    line = problem.related[0].line
    owner = "?"
    for paper in catalogue.papers:
        if catalogue.source.where(paper.crumb).line <= line:
            owner = paper.id
    return owner
