"""The catalogue: frozen data model, loading with positions, and validation.

A catalogue is a YAML file (``data/papers.yaml``)::

    title: Awesome Anomaly Detection in Medical Images
    sections:
      - id: deep-learning
        heading: Deep learning based methods
        sections:
          - {id: brain-mri, heading: Brain MRI}
    papers:
      - id: chen2018unsupervised
        authors: [Chen]
        et_al: true
        title: Unsupervised Detection of Lesions in Brain MRI ...
        venue: MIDL'18
        year: 2018
        sections: [deep-learning/brain-mri]
        links:
          pdf: https://arxiv.org/abs/1806.04972
        arxiv: "1806.04972"

:func:`load_catalogue` validates everything in one pass and raises
:class:`~awesome_medad.errors.InvalidInput` carrying *all* problems, each with
``file:line:column`` and a breadcrumb, so a maintainer fixes a file in one go.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from awesome_medad.errors import InvalidInput
from awesome_medad.problems import Problem
from awesome_medad.schema import (
    CHART_FIELDS,
    ID_PATTERN,
    LIST_FIELDS,
    PAPER_FIELDS,
    SECTION_FIELDS,
    Field,
    Kind,
)
from awesome_medad.venues import year_from_venue
from awesome_medad.yamlsource import Crumb, SourceMap, load, problem, read_text

_ID_RE = re.compile(ID_PATTERN)
_BAD_URL_CHARS = re.compile(r"[\s<>\"\\^`{|}\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Section:
    """A heading of the list; ``path`` (``deep-learning/brain-mri``) is how papers name it."""

    id: str
    path: str
    heading: str
    toc: str | None
    depth: int
    children: tuple[Section, ...]
    crumb: Crumb

    @property
    def toc_label(self) -> str:
        return self.toc if self.toc is not None else self.heading


@dataclass(frozen=True)
class Paper:
    """One paper, listed under one or more sections (cross-listing)."""

    id: str
    title: str
    sections: tuple[str, ...]
    index: int
    short: str | None = None
    authors: tuple[str, ...] = ()
    et_al: bool = False
    venue: str | None = None
    year: int | None = None
    links: tuple[tuple[str, str], ...] = ()
    arxiv: str | None = None
    doi: str | None = None
    lint_ignore: tuple[str, ...] = ()
    raw: str | None = None

    @property
    def crumb(self) -> Crumb:
        return ("papers", self.index)

    def link(self, kind: str) -> str | None:
        return dict(self.links).get(kind)


DEFAULT_CHART_ALT = "Papers per year, stacked by imaging modality"


@dataclass(frozen=True)
class Chart:
    """The papers-per-year chart that ``render`` embeds after the list (``chart:`` key)."""

    path: str
    alt: str | None = None

    @property
    def alt_text(self) -> str:
        return self.alt if self.alt is not None else DEFAULT_CHART_ALT


@dataclass(frozen=True)
class Catalogue:
    """The whole list: metadata, the section tree and the papers."""

    title: str
    sections: tuple[Section, ...]
    papers: tuple[Paper, ...]
    intro: str | None = None
    updated: dt.date | None = None
    contact: str | None = None
    toc_heading: str = "Overview"
    footer: str | None = None
    chart: Chart | None = None
    source: SourceMap = field(default_factory=lambda: SourceMap("<memory>"), compare=False)

    @property
    def path(self) -> str:
        return self.source.path

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in display order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))

    def papers_by_section(self) -> dict[str, list[Paper]]:
        """Section path -> papers listed there, in catalogue order."""
        result: dict[str, list[Paper]] = {s.path: [] for s in self.walk()}
        for paper in self.papers:
            for path in paper.sections:
                result.setdefault(path, []).append(paper)
        return result


def url_problem(url: str) -> str | None:
    """Why ``url`` is not a usable http(s) link, or ``None`` when it is fine."""
    if not url:
        return "the URL is empty"
    if _BAD_URL_CHARS.search(url):
        bad = _BAD_URL_CHARS.search(url)
        assert bad is not None
        return f"the URL contains {'a space' if bad.group().isspace() else repr(bad.group())}"
    hidden = next((c for c in url if not c.isascii() and unicodedata.category(c)[0] in "CZ"),
                  None)
    if hidden is not None:
        return f"the URL contains an invisible character (U+{ord(hidden):04X})"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the URL cannot be parsed ({exc})"
    if parts.scheme.lower() not in {"http", "https"}:
        scheme = parts.scheme or "none"
        return f"the URL scheme is {scheme!r}; only http and https links are allowed"
    if port == 0:
        return "the URL has port 0"
    return _host_problem(parts.netloc.rsplit("@", 1)[-1], parts.hostname or "")


def _host_problem(netloc: str, host: str) -> str | None:
    """Why the host of a URL cannot be reached by name or address, or ``None``."""
    if not host:
        return "the URL has no host name"
    if netloc.startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"the URL's IPv6 address {host!r} is not valid"
        return None
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 2:
        labels = labels[:-1]  # a fully qualified name may end in a dot
    if host != "localhost" and len(labels) < 2:
        return f"the URL's host name {host!r} has no domain (such as .org)"
    for label in labels:
        if not label or label[0] == "-" or label[-1] == "-" or not all(
                c.isalnum() or c in "-_" for c in label):
            return f"the URL's host name {host!r} is not valid"
    return None


def load_catalogue(path: Path | str, display: str | None = None) -> Catalogue:
    """Read, parse and validate a catalogue file; raises ``InvalidInput`` with every problem."""
    path = Path(path)
    name = display or str(path)
    data, source = load(read_text(path, name), name)
    return build_catalogue(data, source)


def build_catalogue(data: Any, source: SourceMap) -> Catalogue:
    """Validate plain data (from YAML) and build the frozen model."""
    builder = _Builder(source)
    catalogue = builder.catalogue(data)
    if builder.problems or catalogue is None:
        raise InvalidInput(builder.problems)
    return catalogue


class _Builder:
    """Collects problems while turning plain data into model objects."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, crumb: Crumb, message: str, hint: str = "", key: bool = False) -> None:
        self.problems.append(problem(self.source, crumb, message, hint, key))

    # -- generic checks -------------------------------------------------
    def mapping(self, value: Any, crumb: Crumb, fields: tuple[Field, ...],
                what: str) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            self.error(crumb, f"{what} must be a mapping of keys to values, not {_kind(value)}")
            return None
        known = {f.name: f for f in fields}
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else (
                    "known keys: " + ", ".join(known))
                self.error((*crumb, key), f"unknown key '{key}' in {what}", hint, key=True)
        for spec in fields:
            if spec.required:
                self.required(value, crumb, spec, what)
        return {k: self.typed(v, (*crumb, k), known[k]) for k, v in value.items() if k in known}

    def required(self, value: dict[str, Any], crumb: Crumb, spec: Field, what: str) -> None:
        """A required key must be there and hold something (``papers:`` alone does not)."""
        given = value.get(spec.name)
        if spec.name not in value:
            self.error(crumb, f"{what} is missing the required key '{spec.name}'",
                       spec.description)
        elif given is None:
            self.error((*crumb, spec.name), f"'{spec.name}' has no value", spec.description,
                       key=True)
        elif isinstance(given, str) and not given.strip():
            self.error((*crumb, spec.name), f"'{spec.name}' is empty", spec.description)

    def typed(self, value: Any, crumb: Crumb, spec: Field) -> Any:
        checker = _CHECKS.get(spec.kind)
        if checker is None or value is None:
            return value
        message = checker(value)
        if message:
            self.error(crumb, f"'{spec.name}' must be {spec.kind.value}{message}")
            return None
        return value

    # -- the catalogue --------------------------------------------------
    def catalogue(self, data: Any) -> Catalogue | None:
        top = self.mapping(data, (), LIST_FIELDS, "the catalogue")
        if top is None:
            return None
        sections = self.sections(top.get("sections"), ("sections",), "", 1)
        paths = {s.path for s in _walk(sections)}
        papers = self.papers(top.get("papers"), paths)
        title = top.get("title")
        if isinstance(title, str) and not title.strip():
            self.error(("title",), "the list title is empty")
        return Catalogue(
            title=title or "", sections=sections, papers=papers, intro=top.get("intro"),
            updated=top.get("updated"), contact=top.get("contact"),
            toc_heading=top.get("toc_heading") or "Overview", footer=top.get("footer"),
            chart=self.chart(top.get("chart")), source=self.source,
        )

    def chart(self, value: Any) -> Chart | None:
        if value is None:
            return None
        fields = self.mapping(value, ("chart",), CHART_FIELDS, "the chart")
        path = (fields or {}).get("path")
        if not isinstance(path, str) or fields is None:
            return None
        scheme = urlsplit(path).scheme.lower()
        if not path.strip() or re.search(r"[\s<>]", path) or scheme not in {"", "http", "https"}:
            self.error(("chart", "path"), f"unusable chart path {path!r}",
                       "give a path relative to the README such as docs/papers-per-year.svg "
                       "(no spaces) or an http(s) URL")
            return None
        return Chart(path, fields.get("alt"))

    def sections(self, value: Any, crumb: Crumb, parent: str, depth: int) -> tuple[Section, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(crumb, f"'sections' must be a list of sections, not {_kind(value)}")
            return ()
        result: list[Section] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            section = self.section(item, (*crumb, i), parent, depth)
            if section is None:
                continue
            if section.id in seen:
                self.error((*crumb, i, "id"), f"duplicate section id '{section.id}'",
                           f"it is already used by the section at index {seen[section.id]}")
                continue
            seen[section.id] = i
            result.append(section)
        return tuple(result)

    def section(self, item: Any, crumb: Crumb, parent: str, depth: int) -> Section | None:
        fields = self.mapping(item, crumb, SECTION_FIELDS, "a section")
        if fields is None or not fields.get("id"):
            return None  # reported already: a section without an id cannot be referred to
        path = f"{parent}/{fields['id']}" if parent else fields["id"]
        children = self.sections(fields.get("sections"), (*crumb, "sections"), path, depth + 1)
        return Section(fields["id"], path, fields.get("heading") or "", fields.get("toc"), depth,
                       children, crumb)

    def papers(self, value: Any, paths: set[str]) -> tuple[Paper, ...]:
        if not isinstance(value, list):
            if value is not None:
                self.error(("papers",), f"'papers' must be a list of papers, not {_kind(value)}")
            return ()
        result: list[Paper] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(value):
            paper = self.paper(item, i, paths)
            if paper is None:
                continue
            if paper.id in seen:
                first = self.source.where(("papers", seen[paper.id], "id"))
                self.error(("papers", i, "id"), f"duplicate paper id '{paper.id}'",
                           f"first used at line {first.line}; paper ids must be unique")
                continue
            seen[paper.id] = i
            result.append(paper)
        return tuple(result)

    def paper(self, item: Any, index: int, paths: set[str]) -> Paper | None:
        crumb: Crumb = ("papers", index)
        fields = self.mapping(item, crumb, PAPER_FIELDS, "a paper")
        if fields is None:
            return None
        title = fields.get("title")
        given = item.get("title")  # before type checks: a rejected title was reported already
        if fields.get("raw") is None and not (isinstance(given, str) and given.strip()):
            where = (*crumb, "title") if "title" in fields else crumb
            self.error(where, "the paper has an empty or missing title",
                       "every paper needs a 'title' (or a verbatim 'raw' entry)")
        sections = self.paper_sections(fields.get("sections"), (*crumb, "sections"), paths)
        links = self.links(fields.get("links"), (*crumb, "links"))
        if not fields.get("id"):
            return None
        year = fields.get("year")
        return Paper(
            id=fields["id"], title=title or "", sections=sections, index=index,
            short=fields.get("short"), authors=tuple(fields.get("authors") or ()),
            et_al=bool(fields.get("et_al")), venue=fields.get("venue"),
            year=year if year is not None else year_from_venue(fields.get("venue")),
            links=links, arxiv=fields.get("arxiv"), doi=fields.get("doi"),
            lint_ignore=tuple(fields.get("lint-ignore") or ()), raw=fields.get("raw"),
        )

    def paper_sections(self, value: Any, crumb: Crumb, paths: set[str]) -> tuple[str, ...]:
        if not value:
            if value is not None:
                self.error(crumb, "a paper must be listed in at least one section")
            return ()
        for i, path in enumerate(value):
            if path not in paths:
                close = difflib.get_close_matches(path, paths, n=1, cutoff=0.5)
                hint = (f"did you mean '{close[0]}'?" if close
                        else "section paths look like parent/child")
                self.error((*crumb, i), f"there is no section '{path}'", hint)
        return tuple(value)

    def links(self, value: Any, crumb: Crumb) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        result: list[tuple[str, str]] = []
        for kind, url in value.items():
            where = (*crumb, kind)
            if not kind.strip() or "]" in kind or "[" in kind:
                self.error(where, f"link kind '{kind}' cannot contain '[' or ']' or be empty",
                           key=True)
            if not isinstance(url, str):
                self.error(where, f"the '{kind}' link must be a URL string, not {_kind(url)}")
                continue
            message = url_problem(url)
            if message:
                self.error(where, f"malformed '{kind}' link: {message}",
                           "write a full URL such as https://example.org/paper.pdf")
            result.append((kind, url))
        return tuple(result)


def _walk(sections: tuple[Section, ...]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _walk(section.children)


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    names = {dict: "a mapping", list: "a list", str: "a string", bool: "true/false",
             int: "a number", float: "a number", dt.date: "a date", dt.datetime: "a date"}
    return names.get(type(value), type(value).__name__)


def _check_str(value: Any) -> str:
    if not isinstance(value, str):
        return f", not {_kind(value)}"
    if "\n" in value or "\r" in value:
        return ", without line breaks (a line break would split the README entry)"
    return ""


def _check_text(value: Any) -> str:
    return "" if isinstance(value, str) else f", not {_kind(value)}"


def _check_int(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        return f", not {_kind(value)}"
    return "" if 1800 <= value <= 2200 else f", not {value} (out of range)"


def _check_bool(value: Any) -> str:
    return "" if isinstance(value, bool) else f", not {_kind(value)}"


def _check_date(value: Any) -> str:
    return "" if isinstance(value, dt.date) else f", not {_kind(value)} ({value!r})"


def _check_id(value: Any) -> str:
    if not isinstance(value, str):
        return f", not {_kind(value)}"
    return "" if _ID_RE.match(value) else f", not {value!r}"


def _check_list(value: Any) -> str:
    if not isinstance(value, list):
        return f", not {_kind(value)}"
    for item in value:
        if not isinstance(item, str) or "\n" in item:
            return f"; found {_kind(item)} {item!r}"
    return ""


def _check_links(value: Any) -> str:
    return "" if isinstance(value, dict) else f", not {_kind(value)}"


_CHECKS = {
    Kind.STR: _check_str, Kind.TEXT: _check_text, Kind.INT: _check_int, Kind.BOOL: _check_bool,
    Kind.DATE: _check_date, Kind.ID: _check_id, Kind.STR_LIST: _check_list,
    Kind.ID_LIST: _check_list, Kind.LINKS: _check_links,
}
