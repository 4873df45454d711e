"""The catalogue's shape, declared once.

The validator in :mod:`awesome_medad.catalogue` checks types, required and
unknown keys from these declarations, and ``medad schema`` turns the same
declarations into a JSON Schema for editors, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Kind(str, Enum):
    """What a value must be; ``cli`` messages and the JSON Schema use the description."""

    STR = "a single-line string"
    TEXT = "a string (Markdown, may span lines)"
    INT = "a whole number"
    BOOL = "true or false"
    DATE = "a date such as 2020-08-10"
    URL = "an http(s) URL"
    ID = "an id of lower-case letters, digits and '-'"
    STR_LIST = "a list of strings"
    ID_LIST = "a list of section ids such as deep-learning/brain-mri"
    LINKS = "a mapping from link kind (pdf, code, ...) to URL"
    SECTIONS = "a list of sections"
    PAPERS = "a list of papers"


@dataclass(frozen=True)
class Field:
    """One key of a mapping in the catalogue."""

    name: str
    kind: Kind
    required: bool = False
    description: str = ""


ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"

LIST_FIELDS: tuple[Field, ...] = (
    Field("title", Kind.STR, True, "The list's title: the README's first heading."),
    Field("intro", Kind.TEXT, False, "Markdown shown right under the title."),
    Field("updated", Kind.DATE, False, "Rendered as '--- Last updated: Aug. 10, 2020 ---'."),
    Field("contact", Kind.TEXT, False, "Markdown shown after the 'last updated' line."),
    Field("toc_heading", Kind.STR, False, "Heading of the table of contents (default Overview)."),
    Field("footer", Kind.TEXT, False, "Markdown appended after the last entry."),
    Field("sections", Kind.SECTIONS, True, "The section tree: method family, then modality."),
    Field("papers", Kind.PAPERS, True, "One record per paper, in display order."),
)

SECTION_FIELDS: tuple[Field, ...] = (
    Field("id", Kind.ID, True, "Unique among its siblings; papers refer to parent/child ids."),
    Field("heading", Kind.STR, True, "The heading text as shown in the README."),
    Field("toc", Kind.STR, False, "TOC label when it differs from the heading."),
    Field("sections", Kind.SECTIONS, False, "Sub-sections (for example imaging modalities)."),
)

PAPER_FIELDS: tuple[Field, ...] = (
    Field("id", Kind.ID, True, "Unique paper id, e.g. chen2018unsupervised."),
    Field("title", Kind.STR, False, "Paper title (required unless 'raw' is given)."),
    Field("short", Kind.STR, False, "Short name shown bold after the title, e.g. AnoGAN."),
    Field("authors", Kind.STR_LIST, False, "Authors; the README shows the first one's surname."),
    Field("et_al", Kind.BOOL, False, "The author list is truncated: always show 'et. al.'."),
    Field("venue", Kind.STR, False, "Venue as shown, e.g. MIDL'18 or 'arxiv, 2020'."),
    Field("year", Kind.INT, False, "Publication year; derived from the venue when absent."),
    Field("sections", Kind.ID_LIST, True, "Section paths the paper is listed under."),
    Field("links", Kind.LINKS, False, "Links by kind, in display order."),
    Field("arxiv", Kind.STR, False, "arXiv id without version, e.g. 1806.04972."),
    Field("doi", Kind.STR, False, "DOI, e.g. 10.1117/12.2254487."),
    Field("lint-ignore", Kind.STR_LIST, False, "Lint rule ids not to report for this paper."),
    Field("raw", Kind.TEXT, False, "A Markdown entry kept verbatim (from import)."),
)
