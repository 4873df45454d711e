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
    CHART = "a mapping with the chart's 'path' and optional 'alt' text"


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
    Field("chart", Kind.CHART, False,
          "Embed the papers-per-year chart (made by `medad stats --chart PATH`) after the list."),
    Field("sections", Kind.SECTIONS, True, "The section tree: method family, then modality."),
    Field("papers", Kind.PAPERS, True, "One record per paper, in display order."),
)

SECTION_FIELDS: tuple[Field, ...] = (
    Field("id", Kind.ID, True, "Unique among its siblings; papers refer to parent/child ids."),
    Field("heading", Kind.STR, True, "The heading text as shown in the README."),
    Field("toc", Kind.STR, False, "TOC label when it differs from the heading."),
    Field("sections", Kind.SECTIONS, False, "Sub-sections (for example imaging modalities)."),
)

CHART_FIELDS: tuple[Field, ...] = (
    Field("path", Kind.STR, True,
          "The SVG's path relative to the README (or an http(s) URL), e.g. docs/chart.svg."),
    Field("alt", Kind.STR, False, "Alternative text; the default describes the chart."),
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


SCHEMA_ID = "https://medad.invalid/schema/papers.schema.json"
_NO_LINE_BREAK = r"^[^\n\r]*$"


def _kind_schema(kind: Kind) -> dict[str, object]:
    """The JSON Schema fragment for one :class:`Kind`."""
    single: dict[str, object] = {"type": "string", "pattern": _NO_LINE_BREAK}
    url: dict[str, object] = {"type": "string", "pattern": r"^[hH][tT][tT][pP][sS]?://[^\s<>\"]+$"}
    table: dict[Kind, dict[str, object]] = {
        Kind.STR: single,
        Kind.TEXT: {"type": "string"},
        Kind.INT: {"type": "integer", "minimum": 1800, "maximum": 2200},
        Kind.BOOL: {"type": "boolean"},
        Kind.DATE: {"type": "string", "format": "date"},
        Kind.URL: url,
        Kind.ID: {"type": "string", "pattern": ID_PATTERN},
        Kind.STR_LIST: {"type": "array", "items": single},
        Kind.ID_LIST: {"type": "array", "items": {"type": "string"}, "minItems": 1},
        Kind.LINKS: {"type": "object", "additionalProperties": url,
                     "propertyNames": {"pattern": r"^[^\[\]\n\r]+$"}},
        Kind.SECTIONS: {"type": "array", "items": {"$ref": "#/$defs/section"}},
        Kind.PAPERS: {"type": "array", "items": {"$ref": "#/$defs/paper"}},
        Kind.CHART: {"$ref": "#/$defs/chart"},
    }
    return dict(table[kind])


def _object_schema(fields: tuple[Field, ...], title: str) -> dict[str, object]:
    properties = {}
    for spec in fields:
        fragment = _kind_schema(spec.kind)
        fragment["description"] = f"{spec.description} Must be {spec.kind.value}."
        properties[spec.name] = fragment
    return {
        "title": title,
        "type": "object",
        "properties": properties,
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, object]:
    """The catalogue's JSON Schema (draft 2020-12), built from the declarations above.

    Only structure is expressible here; cross-references (a paper's section
    exists, ids are unique) stay the validator's job.
    """
    paper = _object_schema(PAPER_FIELDS, "A paper")
    paper["anyOf"] = [{"required": ["title"]}, {"required": ["raw"]}]
    root = _object_schema(LIST_FIELDS, "medad catalogue")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **root,
        "$defs": {"section": _object_schema(SECTION_FIELDS, "A section"), "paper": paper,
                  "chart": _object_schema(CHART_FIELDS, "The chart shown after the list")},
    }


def json_schema_text() -> str:
    """The schema as the file ``schema/papers.schema.json`` holds it."""
    import json

    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
