"""Catalogue -> YAML text in the canonical layout (import, fmt and add share it).

The layout is fixed so that files written by different commands look alike
and diffs stay small: list metadata, then the section tree, then one block
per paper separated by blank lines, keys in schema order, flow lists for
short string lists, plain scalars wherever YAML allows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yaml

from awesome_medad.catalogue import Catalogue, Paper, Section

_FLOW_INDICATORS = re.compile(r"[,\[\]{}]")

HEADER = """\
# yaml-language-server: $schema=../schema/papers.schema.json
# The catalogue of this awesome list: the single source of truth for README.md.
# Edit this file, then run `medad render` (CI runs `medad render --check`).
#
# Shape:
#   title / intro / updated / contact / footer: the text around the list.
#   sections: the headings, in order; each has an id, a heading, an optional
#     `toc` label (when the table of contents shows other words) and optional
#     sub-sections. Papers name sections by path: parent-id/child-id.
#   papers: one block per paper, in display order. To add a paper, append a
#     block (or run `medad add ARXIV_ID_OR_DOI --section PATH`):
#
#   - id: chen2018unsupervised          # unique; also the citation key
#     authors: [Chen]                   # first author's surname is shown
#     et_al: true                       # the author list is truncated
#     title: Unsupervised Detection of Lesions in Brain MRI
#     short: AnoGAN                     # optional short name, shown in bold
#     venue: MIDL'18                    # as shown; the year is derived from it
#     year: 2018
#     sections: [deep-learning/brain-mri]   # two or more = cross-listed
#     links:                            # shown in this order
#       google scholar: https://scholar.google.com/scholar?q=...
#       pdf: https://arxiv.org/abs/1806.04972
#       code: https://github.com/owner/repo
#     arxiv: '1806.04972'               # optional identifiers
#     doi: 10.1117/12.2254487
#
# Text in titles, venues and names may contain [, ] and \\: render escapes them.
"""


def scalar(value: object) -> str:
    """One YAML scalar, quoted only when YAML needs it."""
    if isinstance(value, str) and "\n" in value:
        raise ValueError("multi-line strings are written as block scalars")
    text = yaml.safe_dump(value, allow_unicode=True, width=10**9, default_flow_style=True)
    return text.removesuffix("\n...\n").rstrip("\n")


def flow_scalar(item: str) -> str:
    """One item inside ``[...]``: a plain scalar there must not hold ``, [ ] { }``."""
    text = scalar(item)
    if text[:1] in {"'", '"'} or not _FLOW_INDICATORS.search(text):
        return text
    return "'" + item.replace("'", "''") + "'"


def flow_list(items: Iterable[str]) -> str:
    return "[" + ", ".join(flow_scalar(item) for item in items) + "]"


def _block(key: str, text: str, indent: str) -> list[str]:
    if "\n" not in text.strip("\n") and text == text.strip():
        return [f"{indent}{key}: {scalar(text)}"]
    chomp = "|" if text.endswith("\n") and not text.endswith("\n\n") else "|-"
    body = text[:-1] if chomp == "|" else text
    first = next((line for line in body.split("\n") if line), "")
    if first[:1] in {" ", "\t"}:  # YAML would take its indentation for the block's own
        chomp = chomp[0] + "2" + chomp[1:]
    lines = [f"{indent}{key}: {chomp}"]
    lines += [f"{indent}  {line}" if line else "" for line in body.split("\n")]
    return lines


def _sections(sections: tuple[Section, ...], indent: str) -> list[str]:
    lines: list[str] = []
    for section in sections:
        lines.append(f"{indent}- id: {scalar(section.id)}")
        lines.append(f"{indent}  heading: {scalar(section.heading)}")
        if section.toc is not None:
            lines.append(f"{indent}  toc: {scalar(section.toc)}")
        if section.children:
            lines.append(f"{indent}  sections:")
            lines += _sections(section.children, indent + "    ")
    return lines


def paper_block(paper: Paper, indent: str = "  ") -> list[str]:
    """The YAML lines of one paper (what ``medad add`` appends)."""
    lines = [f"{indent}- id: {scalar(paper.id)}"]
    pad = indent + "  "
    if paper.raw is not None:
        lines += _block("raw", paper.raw, pad)
    if paper.authors:
        lines.append(f"{pad}authors: {flow_list(paper.authors)}")
    if paper.et_al:
        lines.append(f"{pad}et_al: true")
    if paper.title or paper.raw is None:
        lines.append(f"{pad}title: {scalar(paper.title)}")
    for key, value in (("short", paper.short), ("venue", paper.venue), ("year", paper.year)):
        if value is not None:
            lines.append(f"{pad}{key}: {scalar(value)}")
    lines.append(f"{pad}sections: {flow_list(paper.sections)}")
    if paper.links:
        lines.append(f"{pad}links:")
        lines += [f"{pad}  {scalar(kind)}: {scalar(url)}" for kind, url in paper.links]
    for key, value in (("arxiv", paper.arxiv), ("doi", paper.doi)):
        if value is not None:
            lines.append(f"{pad}{key}: {scalar(value)}")
    if paper.lint_ignore:
        lines.append(f"{pad}lint-ignore: {flow_list(paper.lint_ignore)}")
    return lines


def dump(catalogue: Catalogue, header: str = HEADER) -> str:
    """The whole catalogue as YAML text."""
    lines = header.rstrip("\n").split("\n") if header else []
    lines.append(f"title: {scalar(catalogue.title)}")
    for key in ("intro", "updated", "contact", "toc_heading", "footer"):
        value = getattr(catalogue, key)
        if key == "toc_heading" and value == "Overview":
            continue
        if isinstance(value, str):
            lines += _block(key, value, "")
        elif value is not None:
            lines.append(f"{key}: {scalar(value)}")
    if catalogue.chart is not None:
        lines += ["chart:", f"  path: {scalar(catalogue.chart.path)}"]
        if catalogue.chart.alt is not None:
            lines.append(f"  alt: {scalar(catalogue.chart.alt)}")
    # An empty list is written ``[]``: a key with no value is null, which the loader refuses.
    lines += ["", "sections:" if catalogue.sections else "sections: []",
              *_sections(catalogue.sections, "  "), "",
              "papers:" if catalogue.papers else "papers: []"]
    for i, paper in enumerate(catalogue.papers):
        if i:
            lines.append("")
        lines += paper_block(paper)
    return "\n".join(lines) + "\n"
