"""Any awesome list (Markdown) -> :class:`~awesome_medad.catalogue.Catalogue` (``medad import``).

What becomes what::

    # Awesome Thing                     -> title
    Intro paragraphs                    -> intro
    --- Last updated: Aug. 10, 2020 --- -> updated (other "Last updated: <date>" lines too)
    Text after that line                -> contact
    ## Overview + list of [..](#anchor) -> toc_heading; labels kept as `toc` where they
                                           differ from the heading they point to
    # Heading / ## Sub-heading          -> the section tree (levels are relative)
    - entry                             -> a paper (structured, or `raw` if not understood)

Entries are read in two dialects: the list's own bracket style
(``- [Chen _et. al._] [Title] [MIDL'18] [[pdf]](u)``) and a general reader
for the usual variants (``- Title | **[CVPR' 19]** | [pdf](u) [code](u)``,
``+ Title [[CVPR 2023]](u)[[code]](u)``, numbered lists, paragraph
entries, ``[Title](u) - Smith et al., MICCAI 2020``).  The general reader
only accepts an entry when *every* piece of its text found a field;
anything else is kept verbatim as a ``raw`` paper in its section with a
warning naming its line, so nothing is ever dropped and ``medad render``
still shows it.  An entry whose text is identical in several sections
becomes one record listed in all of them (cross-listing), unless merging
would change the order of a later section.

An entry whose link is not a usable http(s) URL (``javascript:``, a port
out of range, a space) is kept raw too, with a warning at the URL.  An
empty heading gets the heading "Untitled section"; a list with no heading
at all is named after its file.  :func:`to_yaml` proves the result loads,
and would name the Markdown line of anything that does not.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from awesome_medad.catalogue import Catalogue, Paper, Section, url_problem
from awesome_medad.errors import InvalidInput
from awesome_medad.ids import arxiv_id, doi_from_text, is_code_host, make_paper_id, section_id
from awesome_medad.problems import Level, Location, Problem, sorted_problems
from awesome_medad.render import unescape
from awesome_medad.slugs import Slugger
from awesome_medad.venues import is_venue, year_from_venue
from awesome_medad.yamlsource import Crumb

_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_ITEM_RE = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BREAK_RE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HTML_START_RE = re.compile(
    r"^ {0,3}(?:<!--|</?(?:address|article|aside|blockquote|center|details|div|dl|figure|footer|"
    r"h[1-6]|header|hr|main|nav|ol|p|section|summary|table|ul)(?:\s|/?>|$))", re.I)
_TOC_LINE_RE = re.compile(
    r"^\s*(?:[-*+]|\d{1,9}[.)])\s+\[(?P<label>(?:\\.|[^\]\\])+)\]\(#(?P<anchor>[^)\s]*)\)\s*$")
_UPDATED_RE = re.compile(r"^\W*last[\s_-]*updated?\W*?(?:on\W*)?(?P<date>\w.*?\w)\W*$", re.I)
_ET_AL_RE = re.compile(r"^(?P<first>.+?),?\s+_?et\.?\s*al\.?_?$", re.I)
_SHORT_RE = re.compile(r"^(?P<title>.*\S)\s+\(\*\*(?P<short>[^*]+)\*\*\)$")
_LINK_KINDS = frozenset(
    "pdf paper code official code unofficial code project project page page website homepage "
    "home github gitlab arxiv video videos slides slide poster demo data dataset datasets bibtex "
    "bib supp supplementary supplement blog talk openreview model models weights colab notebook "
    "google scholar scholar pytorch tensorflow tf keras jax implementation doi html link abstract "
    "youtube presentation review reviews reproduction benchmark leaderboard"
    .split(" ")) | {"official code", "unofficial code", "project page", "google scholar"}
_SEPARATOR_RE = re.compile(r"\s*(?:\||<br\s*/?>|(?<!\S)[-\u2013\u2014](?!\S))\s*", re.I)
_PIPE_SEPARATOR_RE = re.compile(r"\s*(?:\||<br\s*/?>)\s*", re.I)
_EMPHASIS_RE = re.compile(r"(\*\*[^*]+\*\*|__[^_]+__|(?<![\w*])\*[^*\s][^*]*\*(?![\w*])|"
                          r"(?<!\w)_[^_\s][^_]*_(?!\w))")
_PAREN_RE = re.compile(r"\(([^()]*)\)")
_TRAILING_VENUE_RE = re.compile(r"^(?P<rest>.*\S)[,.;]\s+(?P<venue>[^,;]+?)\.?$")
_AUTHOR_SPLIT_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*")
_NAME_TOKEN_RE = re.compile(
    r"^(?:[^\W\d_][^\W\d_'\u2019.-]*(?:[-'\u2019][^\W\d_]+)*\.?|[^\W\d_]\.(?:-?[^\W\d_]\.)*|"
    r"van|von|de|der|den|da|di|del|della|la|le|du|dos|bin)$")
_EDGE_PUNCTUATION = " \t.,;:|\"'\u201c\u201d"
_UNNAMED = "Untitled section"
# What a YAML file cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF), or holds
# only as a line break (NEL, LINE/PARAGRAPH SEPARATOR), which would split a value in two.
_UNSTORABLE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@dataclass
class _Block:
    """A top-level Markdown block: heading, list item (with its sub-lines), paragraph, ..."""

    kind: str
    lines: list[str]
    line: int
    blank_before: bool
    level: int = 0
    text: str = ""


@dataclass(frozen=True)
class _Seg:
    """An inline piece of an entry: a link, an image, a ``[bracketed]`` field or text."""

    kind: str
    text: str
    url: str = ""


@dataclass
class _Fields:
    title: str | None = None
    short: str | None = None
    authors: tuple[str, ...] = ()
    et_al: bool = False
    venue: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Node:
    """A section being built."""

    id: str
    heading: str
    level: int
    path: str
    toc: str | None
    line: int
    children: list[_Node] = field(default_factory=list)


@dataclass
class _Record:
    """A paper being built (mutable until every section is known)."""

    id: str
    fields: _Fields | None
    raw: str | None
    sections: list[str]


@dataclass(frozen=True)
class ImportResult:
    """The catalogue plus what the import could not do cleanly.

    ``origins`` maps the breadcrumb of every section and paper (``("papers",
    3)``, ``("sections", 0, "sections", 1)``) and of the title to its line in
    the Markdown, so a problem found in the generated YAML can still be
    reported where the user can fix it: in the list.
    """

    catalogue: Catalogue
    problems: tuple[Problem, ...]
    structured: int
    raw: int
    display: str = "<list>"
    origins: dict[Crumb, int] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        return self.structured + self.raw

    def origin(self, crumb: Crumb) -> Location:
        """The Markdown position of the longest known prefix of ``crumb`` (else line 1)."""
        for end in range(len(crumb), 0, -1):
            line = self.origins.get(crumb[:end])
            if line is not None:
                return Location(self.display, line, 1)
        return Location(self.display, 1, 1)


# -- blocks ---------------------------------------------------------------


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _starts_block(line: str) -> bool:
    """Whether ``line`` ends a paragraph (a heading, fence, rule or list item starts)."""
    item = _ITEM_RE.match(line)
    bullet_or_one = item is not None and (not item.group(2)[0].isdigit() or
                                          item.group(2)[:-1] == "1") and _indent(line) < 4
    return bool(_ATX_RE.match(line) or _FENCE_RE.match(line) or _BREAK_RE.match(line)
                or _HTML_START_RE.match(line) or bullet_or_one)


def split_blocks(lines: Sequence[str]) -> list[_Block]:
    """Cut the document into top-level blocks, each with its first line number."""
    blocks: list[_Block] = []
    i, blank = 0, False
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            blank, i = True, i + 1
            continue
        end, block = _read_block(lines, i, blank, blocks)
        if block is not None:
            blocks.append(block)
        blank, i = False, end
    return blocks


def _read_block(lines: Sequence[str], i: int, blank: bool,
                blocks: list[_Block]) -> tuple[int, _Block | None]:
    line = lines[i]
    fence = _FENCE_RE.match(line)
    if fence:
        end = _fence_end(lines, i, fence.group(1))
        return end, _Block("fence", list(lines[i:end]), i + 1, blank)
    if line.lstrip().startswith("<!--"):
        end = i
        while end < len(lines) and "-->" not in lines[end]:
            end += 1
        end = min(end + 1, len(lines))
        return end, _Block("html", list(lines[i:end]), i + 1, blank)
    if _HTML_START_RE.match(line):
        end = i + 1
        while end < len(lines) and lines[end].strip():
            end += 1
        return end, _Block("html", list(lines[i:end]), i + 1, blank)
    heading = _ATX_RE.match(line)
    if heading:
        return i + 1, _Block("heading", [line], i + 1, blank, len(heading.group(1)),
                             (heading.group(2) or "").strip())
    previous = blocks[-1] if blocks else None
    if (_SETEXT_RE.match(line) and previous is not None and previous.kind == "para"
            and previous.line + len(previous.lines) == i + 1):
        previous.kind, previous.level = "heading", 1 if line.strip()[0] == "=" else 2
        previous.text = " ".join(part.strip() for part in previous.lines)
        previous.lines = [*previous.lines, line]
        return i + 1, None
    if _BREAK_RE.match(line):
        return i + 1, _Block("break", [line], i + 1, blank)
    if _ITEM_RE.match(line):
        end = _item_end(lines, i)
        return end, _Block("item", list(lines[i:end]), i + 1, blank)
    end = i + 1
    while end < len(lines) and lines[end].strip() and not _starts_block(lines[end]) and not (
            _SETEXT_RE.match(lines[end])):
        end += 1
    return end, _Block("para", list(lines[i:end]), i + 1, blank)


def _fence_end(lines: Sequence[str], i: int, marker: str) -> int:
    for j in range(i + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped.startswith(marker[0] * len(marker)) and not stripped.strip(marker[0]):
            return j + 1
    return len(lines)


def _item_end(lines: Sequence[str], i: int) -> int:
    """The end of a list item: indented lines, lazy continuations, loose paragraphs."""
    match = _ITEM_RE.match(lines[i])
    assert match is not None
    spaces = len(match.group(3).expandtabs(4))
    content = _indent(match.group(1)) + len(match.group(2)) + (spaces if 0 < spaces <= 4 else 1)
    j = i + 1
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            k = j
            while k < len(lines) and not lines[k].strip():
                k += 1
            if k < len(lines) and _indent(lines[k]) >= content:
                j = k
                continue
            break
        if _indent(line) >= content:
            j += 1
            continue
        if _ITEM_RE.match(line) or _starts_block(line) or _SETEXT_RE.match(line):
            break
        j += 1
    return j


# -- inline segments ------------------------------------------------------


def _match(text: str, start: int, opening: str, closing: str) -> int:
    """Index of the bracket closing the one at ``start`` (escapes and nesting honoured)."""
    depth, i = 0, start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _link_target(text: str, start: int) -> tuple[str, int] | None:
    """``(url, end)`` of the ``(url "title")`` that starts at ``start``, if it is one."""
    end = _match(text, start, "(", ")")
    if end < 0:
        return None
    inner = text[start + 1:end].strip()
    if inner.startswith("<") and ">" in inner:
        return inner[1:inner.index(">")], end
    parts = inner.split(maxsplit=1)
    if not parts or (len(parts) > 1 and parts[1][0] not in "\"'("):
        return None  # spaces in the target: not a link ("[x](not a link)")
    return parts[0], end


def segments(text: str) -> list[_Seg]:
    """Split inline Markdown into links, images, bracketed fields and plain text."""
    result: list[_Seg] = []
    buffer: list[str] = []
    i = 0

    def flush() -> None:
        if buffer:
            result.append(_Seg("text", "".join(buffer)))
            buffer.clear()

    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            buffer.append(text[i:i + 2])
            i += 2
            continue
        image = char == "!" and text.startswith("[", i + 1)
        if char == "[" or image:
            start = i + 1 if image else i
            end = _match(text, start, "[", "]")
            if end > 0:
                target = _link_target(text, end + 1) if text.startswith("(", end + 1) else None
                flush()
                label = text[start + 1:end]
                if target is not None:
                    result.append(_Seg("image" if image else "link", label, target[0]))
                    i = target[1] + 1
                    continue
                if image:
                    buffer.append("!")
                result.append(_Seg("bracket", label))
                i = end + 1
                continue
        buffer.append(char)
        i += 1
    flush()
    return result


# -- entries --------------------------------------------------------------


def _strip_markup(text: str) -> str:
    """``**[CVPR' 19]**`` -> ``CVPR' 19``: the words of a label or field."""
    text = text.strip()
    while True:
        stripped = text.strip(" \t*_`")
        if stripped.startswith("[") and stripped.endswith("]") and _match(stripped, 0, "[",
                                                                             "]") == len(
                stripped) - 1:
            stripped = stripped[1:-1]
        if stripped == text:
            return unescape(text.strip())
        text = stripped


def _is_kind(label: str) -> bool:
    lowered = label.lower().strip(" .:")
    if lowered in _LINK_KINDS:
        return True
    words = lowered.replace("(", " ").replace(")", " ").split()
    return bool(words) and all(w in _LINK_KINDS for w in words)


def _authors(text: str) -> tuple[tuple[str, ...], bool] | None:
    """``Chen _et. al._`` -> (("Chen",), True); ``A. Smith, B. Jones`` -> (..., False)."""
    text = text.strip()
    et_al = _ET_AL_RE.match(text)
    if et_al:
        names = _names(et_al.group("first"), minimum=1)
        return (names, True) if names else None
    names = _names(text, minimum=2)
    return (names, False) if names else None


def _names(text: str, minimum: int) -> tuple[str, ...]:
    names = [n.strip() for n in _AUTHOR_SPLIT_RE.split(text) if n.strip()]
    if len(names) < minimum:
        return ()
    for name in names:
        tokens = name.split()
        if not 1 <= len(tokens) <= 5 or not all(_NAME_TOKEN_RE.match(t) for t in tokens):
            return ()
        if not any(t[0].isupper() for t in tokens):
            return ()
    return tuple(names)


def _title(text: str, fields: _Fields) -> None:
    text = _strip_markup(text).strip(_EDGE_PUNCTUATION)
    short = _SHORT_RE.match(text)
    if short:
        fields.title, fields.short = short.group("title"), short.group("short")
    else:
        fields.title = text


def _add_link(fields: _Fields, kind: str, url: str) -> bool:
    if any(existing == kind for existing, _ in fields.links) or "[" in kind or "]" in kind:
        return False
    if not kind.strip():
        return False  # ``[](url)``: a link kind must have words
    fields.links.append((kind, url))
    return True


def parse_bracketed(segs: Sequence[_Seg]) -> _Fields | None:
    """The list's own dialect: ``[Authors] [Title] [Venue] [[kind]](url)...``."""
    significant = [s for s in segs if not (s.kind == "text" and not s.text.strip())]
    if any(s.kind in {"text", "image"} for s in significant):
        return None
    brackets = [s for s in significant if s.kind == "bracket"]
    if not 1 <= len(brackets) <= 3 or significant[:len(brackets)] != brackets:
        return None
    pairs = zip(segs, segs[1:], strict=False)
    if any(a.kind == "bracket" and b.kind == "bracket" for a, b in pairs):
        return None  # [a][b] is a reference link, not two fields
    fields = _Fields()
    texts = [unescape(b.text.strip()) for b in brackets]
    if len(texts) == 3 or (len(texts) == 2 and _ET_AL_RE.match(texts[0])):
        found = _authors(texts[0]) or _single_author(texts[0])
        if found is None:
            return None
        fields.authors, fields.et_al = found
        texts = texts[1:]
    short = _SHORT_RE.match(texts[0])
    fields.title, fields.short = (short["title"], short["short"]) if short else (texts[0], None)
    if len(texts) == 2:
        fields.venue = texts[1]
    for link in significant[len(brackets):]:
        if not _add_link(fields, _strip_markup(link.text), link.url):
            return None
    return fields if fields.title else None


def _single_author(text: str) -> tuple[tuple[str, ...], bool] | None:
    return ((text,), False) if _names(text, minimum=1) else None


def parse_generic(segs: Sequence[_Seg], paragraph: bool = False) -> _Fields | None:
    """Everything else: fields found by shape (links, venue, authors, title), all-or-nothing.

    A paragraph (not a list item) must also name a venue or authors, so
    prose with a link in it is not mistaken for a paper.
    """
    fields = _Fields()
    piped = any(s.kind == "text" and "|" in s.text for s in segs)
    pieces: list[tuple[str, str]] = []
    for seg in segs:
        if seg.kind == "image":
            return None
        if seg.kind == "link":
            if not _generic_link(seg, fields, first=not any(k != "sep" for k, _ in pieces)):
                return None
            pieces.append(("sep", ""))
        elif seg.kind == "bracket":
            pieces.append(("bracket", seg.text))
        else:
            pieces += [("text", part) for part in _split_fields(seg.text, piped)]
    for kind, text in pieces:
        if kind != "sep" and not _place(kind, text, fields):
            return None
    if not fields.title or not (fields.links or fields.venue):
        return None
    if paragraph and not (fields.venue or fields.authors):
        return None
    return fields


def _generic_link(seg: _Seg, fields: _Fields, first: bool) -> bool:
    label = _strip_markup(seg.text)
    if not label:
        return False
    if first and fields.title is None and not _is_kind(label) and not is_venue(label):
        _title(label, fields)
        return _add_link(fields, "code" if is_code_host(seg.url) else "pdf", seg.url)
    if is_venue(label) and fields.venue is None and not _is_kind(label):
        fields.venue = label
        return _add_link(fields, "pdf", seg.url)
    if _is_kind(label) or (len(label.split()) <= 2 and len(label) <= 24):
        return _add_link(fields, label, seg.url)
    return False


def _split_fields(text: str, piped: bool) -> list[str]:
    """Text between links, cut at ``|``, ``<br>``, dashes, emphasis and parentheses.

    In an entry that uses ``|`` as its separator, dashes belong to the text
    (``MVTec AD — A Comprehensive ...``).
    """
    parts: list[str] = []
    separator = _PIPE_SEPARATOR_RE if piped else _SEPARATOR_RE
    for chunk in separator.split(text):
        for piece in _EMPHASIS_RE.split(chunk):
            parts += _split_parentheses(piece)
    return [p for p in parts if p.strip(_EDGE_PUNCTUATION + "*_()")]


def _split_parentheses(text: str) -> list[str]:
    """``Title (CVPR 2020)`` -> [Title, CVPR 2020]; other parentheses stay in the text."""
    match = _PAREN_RE.search(text)
    while match and not is_venue(match.group(1)):
        match = _PAREN_RE.search(text, match.end())
    if not match:
        return [text]
    return [text[:match.start()], match.group(1), *_split_parentheses(text[match.end():])]


def _place(kind: str, text: str, fields: _Fields) -> bool:
    """Give one text piece a field; ``False`` when it fits none (the entry stays raw)."""
    words = _strip_markup(text).strip(_EDGE_PUNCTUATION)
    if not words:
        return True
    if fields.title is None and not (kind == "bracket" and is_venue(words)):
        rest = _TRAILING_VENUE_RE.match(words)
        if rest and is_venue(rest.group("venue")) and fields.venue is None:
            _title(rest.group("rest"), fields)
            fields.venue = rest.group("venue").strip()
            return True
        _title(words, fields)
        return True
    rest = _TRAILING_VENUE_RE.match(words)
    if rest and fields.venue is None and is_venue(rest.group("venue")):
        found = _authors(rest.group("rest"))
        if found and not fields.authors:
            fields.authors, fields.et_al = found
            fields.venue = rest.group("venue").strip()
            return True
    if fields.venue is None and is_venue(words):
        fields.venue = words
        return True
    authors = _authors(words)
    if authors and not fields.authors:
        fields.authors, fields.et_al = authors
        return True
    return False


def entry_text(block: _Block) -> str | None:
    """The entry's inline text on one line, or ``None`` when it has nested structure."""
    if block.kind == "item":
        first = _ITEM_RE.sub("", block.lines[0], count=1)
        rest = [line.strip() for line in block.lines[1:] if line.strip()]
        if any(_ITEM_RE.match(line) for line in rest):
            return None
        return " ".join([first.strip(), *rest]).strip()
    if block.kind == "para":
        return " ".join(line.strip() for line in block.lines).strip()
    return None


def parse_entry(block: _Block) -> _Fields | None:
    """Structured fields of one entry, or ``None`` to keep it raw."""
    text = entry_text(block)
    if not text:
        return None
    segs = segments(text)
    if block.kind == "item":
        found = parse_bracketed(segs)
        if found is not None:
            return found
    return parse_generic(segs, paragraph=block.kind != "item")


# -- the document ---------------------------------------------------------


@dataclass
class _Toc:
    heading: _Block | None
    blocks: list[_Block]
    entries: list[tuple[str, str, int]]  # label, anchor, line


def _toc_entries(block: _Block) -> list[tuple[str, str, int]] | None:
    if block.kind != "item":
        return None
    found = []
    for offset, line in enumerate(block.lines):
        if not line.strip():
            continue
        match = _TOC_LINE_RE.match(line)
        if not match:
            return None
        found.append((unescape(match["label"]), match["anchor"], block.line + offset))
    return found


def _find_toc(blocks: Sequence[_Block], start: int) -> _Toc | None:
    """The table of contents, found by its ``[label](#anchor)`` list items.

    Preferably a heading whose whole content is such a list (wherever it
    is: some lists put a section before it); otherwise such a list between
    the title and the first heading.
    """
    for i in range(start, len(blocks)):
        if blocks[i].kind != "heading":
            continue
        run = _toc_run(blocks, i + 1)
        end = i + 1 + len(run)
        if run and (end == len(blocks) or blocks[end].kind == "heading"):
            return _Toc(blocks[i], run, [e for b in run for e in _toc_entries(b) or []])
    for i in range(start, len(blocks)):
        if blocks[i].kind == "heading":
            break
        run = _toc_run(blocks, i)
        if run:
            return _Toc(None, run, [e for b in run for e in _toc_entries(b) or []])
    return None


def _toc_run(blocks: Sequence[_Block], start: int) -> list[_Block]:
    run: list[_Block] = []
    for block in blocks[start:]:
        if _toc_entries(block) is None:
            break
        run.append(block)
    return run


def _text_of(blocks: Sequence[_Block]) -> str:
    parts: list[str] = []
    for block in blocks:
        if parts:
            parts.append("\n\n" if block.blank_before else "\n")
        parts.append("\n".join(block.lines))
    return "".join(parts).strip("\n")


def parse_date(text: str) -> dt.date | None:
    """``Aug. 10, 2020``, ``August 10, 2020``, ``2020-08-10``, ``10 Aug 2020`` ..."""
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            pass
    cleaned = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text.replace(".", "").replace("Sept", "Sep"))
    for pattern in ("%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d %b %Y", "%d %B %Y",
                    "%d %b, %Y", "%d %B, %Y"):
        try:
            return dt.datetime.strptime(cleaned, pattern).date()
        except ValueError:
            pass
    return None


def _updated(block: _Block) -> dt.date | None:
    if block.kind not in {"para", "break"} or len(block.lines) != 1:
        return None
    match = _UPDATED_RE.match(block.lines[0].strip())
    return parse_date(match["date"]) if match else None


class _Importer:
    """One import run: blocks in, catalogue and problems out."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.problems: list[Problem] = []
        self.records: list[_Record] = []
        self.lines: list[int] = []
        self.by_key: dict[str, int] = {}
        self.section_records: dict[str, list[int]] = {}
        self.taken: set[str] = set()
        self.structured = 0
        self.raw = 0
        self.origins: dict[Crumb, int] = {}

    def warn(self, line: int, rule: str, message: str, hint: str = "",
             level: Level = Level.WARNING, column: int = 1) -> None:
        self.problems.append(Problem(Location(self.display, line, column), rule, level, message,
                                     hint=hint))

    def fail(self, message: str, hint: str) -> InvalidInput:
        where = Location(self.display, 1, 1)
        return InvalidInput([Problem(where, "import", Level.ERROR, message, hint=hint)],
                            f"{self.display}: nothing was imported")

    def run(self, text: str) -> ImportResult:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.check_characters(text)
        lines = text.split("\n")
        blocks = split_blocks(lines)
        if not blocks:
            raise self.fail("the file is empty: there is nothing to import",
                            "give the awesome list's Markdown file")
        headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
        if not headings:
            blocks = [self.untitled(blocks), *blocks]
            headings = [0]
        title_index = headings[0]
        self.name_title(blocks[title_index])
        toc = _find_toc(blocks, title_index + 1)
        skip = {id(b) for b in (toc.blocks if toc else [])}
        if toc and toc.heading is not None:
            skip.add(id(toc.heading))
        body = [b for b in blocks[title_index + 1:] if id(b) not in skip]
        first_section = next((i for i, b in enumerate(body) if b.kind == "heading"), None)
        header, rest = self.split_header(body, first_section)
        catalogue = self.build(blocks[title_index], blocks[:title_index], header, rest, toc)
        problems = tuple(sorted_problems(self.problems))
        return ImportResult(catalogue, problems, self.structured, self.raw, self.display,
                            self.origins)

    def check_characters(self, text: str) -> None:
        """Refuse, naming each place, characters the YAML catalogue could not keep as they are."""
        problems = []
        line, line_start, counted = 1, 0, 0
        for match in _UNSTORABLE_RE.finditer(text):
            line += text.count("\n", counted, match.start())
            counted = match.start()
            line_start = text.rfind("\n", 0, match.start()) + 1
            char = match.group()
            kind = "control character" if unicodedata.category(char) == "Cc" else "not a character"
            problems.append(Problem(
                Location(self.display, line, match.start() - line_start + 1), "import",
                Level.ERROR, f"U+{ord(char):04X} ({unicodedata.name(char, kind)}) cannot be kept "
                "in a YAML catalogue", hint="delete it or replace it with a space, then import "
                "again"))
        if problems:
            raise InvalidInput(problems, f"{self.display}: nothing was imported")

    def untitled(self, blocks: list[_Block]) -> _Block:
        """A title for a list without any heading (its entries are kept, under 'Papers')."""
        if not any(b.kind == "item" for b in blocks):
            raise self.fail("no heading and no list entries found: this does not look like an "
                            "awesome list", "an awesome list starts with '# Title'")
        return _Block("heading", [], 1, False, 1, "")

    def name_title(self, title: _Block) -> None:
        """An empty title (``#`` alone, or no heading at all) is named after the file."""
        self.origins[("title",)] = title.line
        if _plain(title.text):
            return
        stem = Path(self.display).stem.replace("_", " ").replace("-", " ").strip()
        title.text = stem if _plain(stem) else "Papers"
        self.warn(title.line, "import-title",
                  f"the list has no title heading; it is named '{title.text}' after the file",
                  "change 'title:' in the catalogue")

    def split_header(self, body: list[_Block],
                     first_section: int | None) -> tuple[list[_Block], list[_Block]]:
        if first_section is not None:
            return body[:first_section], body[first_section:]
        first_item = next((i for i, b in enumerate(body) if b.kind == "item"), len(body))
        if first_item < len(body):
            self.warn(body[first_item].line, "import-section",
                      "the list has no section headings; its entries go under a new "
                      "section 'Papers'", "add headings to the catalogue's sections later")
            heading = _Block("heading", [], body[first_item].line, True, 1, "Papers")
            return body[:first_item], [heading, *body[first_item:]]
        return body, []

    def build(self, title: _Block, preamble: list[_Block], header: list[_Block],
              rest: list[_Block], toc: _Toc | None) -> Catalogue:
        intro, updated, contact = self.header(preamble, header, toc)
        toc_heading = toc.heading.text if toc and toc.heading else "Overview"
        if not _plain(toc_heading):
            self.warn(toc.heading.line if toc and toc.heading else 1, "import-toc",
                      "the table of contents has an empty heading; it is named 'Overview'")
            toc_heading = "Overview"
        anchors = self.anchors(title, toc, rest)
        sections = self.sections(rest, anchors, toc)
        papers = self.freeze()
        return Catalogue(title=title.text, sections=sections, papers=papers, intro=intro,
                         updated=updated, contact=contact, toc_heading=toc_heading)

    def header(self, preamble: list[_Block], header: list[_Block],
               toc: _Toc | None) -> tuple[str | None, dt.date | None, str | None]:
        if preamble:
            self.warn(preamble[0].line, "import-moved",
                      "text before the title was moved into the intro",
                      "medad renders the title first", Level.INFO)
        if toc is None:
            self.warn(1, "import-toc", "no table of contents found; medad render adds one",
                      level=Level.INFO)
        else:
            self.moved_after_toc(header, toc)
        index = next((i for i, b in enumerate(header) if _updated(b)), None)
        before = header if index is None else header[:index]
        intro = "\n\n".join(t for t in (_text_of(preamble), _text_of(before)) if t) or None
        if index is None:
            return intro, None, None
        return intro, _updated(header[index]), _text_of(header[index + 1:]) or None

    def moved_after_toc(self, header: list[_Block], toc: _Toc) -> None:
        end = toc.blocks[-1].line + len(toc.blocks[-1].lines)
        after = [b for b in header if b.line >= end]
        if after:
            self.warn(after[0].line, "import-moved",
                      "text after the table of contents was moved above it",
                      "medad renders intro and contact before the table of contents",
                      Level.INFO)

    def anchors(self, title: _Block, toc: _Toc | None, rest: list[_Block]) -> dict[int, str]:
        """Block id -> GitHub anchor, counting every heading of the page in document order."""
        slugger = Slugger()
        slugger.heading(title.text)
        ordered = [b for b in rest if b.kind == "heading"]
        if toc and toc.heading is not None:
            ordered.append(toc.heading)
        ordered.sort(key=lambda b: b.line)
        return {id(b): slugger.heading(b.text) for b in ordered}

    def sections(self, rest: list[_Block], anchors: dict[int, str],
                 toc: _Toc | None) -> tuple[Section, ...]:
        labels = {anchor: label for label, anchor, _ in (toc.entries if toc else [])}
        used: set[str] = set()
        tree: list[_Node] = []
        stack: list[_Node] = []
        position = 0
        for block in rest:
            if block.kind != "heading":
                if stack:
                    self.entry(block, stack[-1].path, position)
                    position += 1
                continue
            while stack and stack[-1].level >= block.level:
                stack.pop()
            siblings = stack[-1].children if stack else tree
            node = self.section_node(block, siblings, stack, anchors.get(id(block), ""), labels)
            if node.toc is not None or labels.get(anchors.get(id(block), "")) is not None:
                used.add(anchors.get(id(block), ""))
            siblings.append(node)
            stack.append(node)
            position = 0
        self.unused_toc_entries(toc, used)
        return _freeze_sections(tree, ("sections",), 1, self.origins)

    def section_node(self, block: _Block, siblings: list[_Node], stack: list[_Node],
                     anchor: str, labels: dict[str, str]) -> _Node:
        heading = block.text if _plain(block.text) else self.unnamed(block)
        sid = section_id(heading, {s.id for s in siblings})
        label = labels.get(anchor)
        path = "/".join([*(s.id for s in stack), sid])
        toc = label if label is not None and label != heading else None
        return _Node(sid, heading, block.level, path, toc, block.line)

    def unnamed(self, block: _Block) -> str:
        """A heading with no text (``## ``) gets one: a section needs words to be shown."""
        self.warn(block.line, "import-section",
                  f"empty heading; the section is named '{_UNNAMED}'",
                  "give the section a heading in the catalogue")
        return _UNNAMED

    def unused_toc_entries(self, toc: _Toc | None, used: set[str]) -> None:
        for label, anchor, line in toc.entries if toc else []:
            if anchor not in used:
                self.warn(line, "import-toc",
                          f"table-of-contents entry '{label}' points to '#{anchor}', which "
                          "no heading has; medad render rebuilds the table from the headings")

    # -- entries ----------------------------------------------------------

    def entry(self, block: _Block, path: str, position: int) -> None:
        fields = parse_entry(block)
        if fields is not None and self.unusable_link(block, fields):
            fields = None
        elif fields is None:
            self.warn(block.line, "import-raw",
                      f"entry not understood, kept verbatim as a raw entry: {_excerpt(block)}",
                      "rewrite it as title/venue/links in the catalogue when convenient")
        if fields is None:
            raw = _raw_text(block, leading_blank=position > 0 and block.blank_before)
            self.raw += 1
            self.place(raw, None, raw, path, block.line)
        else:
            self.structured += 1
            self.place(entry_text(block) or "", fields, None, path, block.line)

    def unusable_link(self, block: _Block, fields: _Fields) -> bool:
        """Warn (at the URL) and say so when a link is not a usable http(s) URL.

        The catalogue only holds links it can check and render safely
        (:func:`~awesome_medad.catalogue.url_problem`), so such an entry is
        kept verbatim as a raw entry instead: nothing is lost, nothing invalid is written.
        """
        for kind, url in fields.links:
            problem = url_problem(url)
            if problem is not None:
                line, column = _position(block, url)
                self.warn(line, "import-raw",
                          f"entry kept verbatim as a raw entry: its '{kind}' link {url!r} is "
                          f"not usable: {problem}",
                          "fix the link in the raw entry, or rewrite the entry as "
                          "title/venue/links in the catalogue", column=column)
                return True
        return False

    def place(self, key: str, fields: _Fields | None, raw: str | None, path: str,
              line: int) -> None:
        placed = self.section_records.setdefault(path, [])
        index = self.by_key.get(key)
        if index is not None and path not in self.records[index].sections:
            if all(i < index for i in placed):
                self.records[index].sections.append(path)
                placed.append(index)
                return
            self.warn(line, "import-duplicate",
                      f"the same entry is already at line {self.lines[index]}; kept as a "
                      "second record because cross-listing it would reorder this section",
                      "move the entry to the top of its section to cross-list it")
        record = _Record(self.new_id(fields, raw), fields, raw, [path])
        self.records.append(record)
        self.lines.append(line)
        self.by_key.setdefault(key, len(self.records) - 1)
        placed.append(len(self.records) - 1)

    def new_id(self, fields: _Fields | None, raw: str | None) -> str:
        if fields is not None:
            year = year_from_venue(fields.venue)
            paper_id = make_paper_id(fields.authors, year, fields.title or "", self.taken)
        else:
            from awesome_medad.markdown import inline_plain_text

            words = inline_plain_text((raw or "").strip())
            paper_id = make_paper_id((), None, words, self.taken)
        self.taken.add(paper_id)
        return paper_id

    def freeze(self) -> tuple[Paper, ...]:
        papers = []
        for index, record in enumerate(self.records):
            self.origins[("papers", index)] = self.lines[index]
            if record.fields is None:
                papers.append(Paper(id=record.id, title="", sections=tuple(record.sections),
                                    index=index, raw=record.raw))
                continue
            papers.append(_paper(record, index))
        return tuple(papers)


def _paper(record: _Record, index: int) -> Paper:
    fields = record.fields
    assert fields is not None
    links = tuple(fields.links)
    return Paper(
        id=record.id, title=fields.title or "", sections=tuple(record.sections), index=index,
        short=fields.short, authors=fields.authors, et_al=fields.et_al, venue=fields.venue,
        year=year_from_venue(fields.venue), links=links,
        arxiv=next((arxiv_id(url) for _, url in links if arxiv_id(url)), None),
        doi=next((doi_from_text(url) for _, url in links if doi_from_text(url)), None),
    )


def _freeze_sections(nodes: list[_Node], crumb: Crumb, depth: int,
                     origins: dict[Crumb, int]) -> tuple[Section, ...]:
    result = []
    for i, node in enumerate(nodes):
        here = (*crumb, i)
        origins[here] = node.line
        children = _freeze_sections(node.children, (*here, "sections"), depth + 1, origins)
        result.append(Section(node.id, node.path, node.heading, node.toc, depth, children, here))
    return tuple(result)


def _raw_text(block: _Block, leading_blank: bool) -> str:
    """The block verbatim (dedented to column 0), with a blank line first if it had one."""
    dedent = min(_indent(block.lines[0]), 3)
    lines = [_dedented(line, dedent) if line.strip() else "" for line in block.lines]
    text = "\n".join(line.rstrip() for line in lines).rstrip("\n")  # an open fence runs to EOF
    return ("\n" if leading_blank else "") + text


def _dedented(line: str, columns: int) -> str:
    """``line`` without up to ``columns`` columns of indentation; a tab is never split."""
    i = column = 0
    while i < len(line) and line[i] in " \t":
        width = 4 - column % 4 if line[i] == "\t" else 1
        if column + width > columns:
            break
        column, i = column + width, i + 1
    return line[i:]


def _plain(text: str) -> bool:
    """Whether a heading has any text; markup-only ones (``**``, emoji) are kept verbatim."""
    return bool(text.strip())


def _position(block: _Block, text: str) -> tuple[int, int]:
    """Line and column of ``text`` in the block (the block's first line when not found)."""
    for offset, line in enumerate(block.lines):
        column = line.find(text)
        if column >= 0:
            return block.line + offset, column + 1
    return block.line, 1


def _excerpt(block: _Block) -> str:
    first = block.lines[0].strip()
    return first if len(first) <= 60 else first[:57] + "..."


def import_list(text: str, display: str = "<list>") -> ImportResult:
    """Read an awesome list.

    Raises ``InvalidInput`` (at a line and column) only when there is nothing
    to import (an empty file; prose with neither a heading nor list entries)
    or for a character no YAML file can hold as it is.
    """
    return _Importer(display).run(text)


def import_file(path: Path | str, display: str | None = None) -> ImportResult:
    """:func:`import_list` on a file (UTF-8, size-limited like the catalogue)."""
    from awesome_medad.yamlsource import read_text

    path = Path(path)
    name = display or str(path)
    return import_list(read_text(path, name), name)


def report_lines(result: ImportResult) -> Iterator[str]:
    """The ``--report`` summary: entries parsed structurally vs kept raw."""
    papers = len(result.catalogue.papers)
    cross = sum(1 for p in result.catalogue.papers if len(p.sections) > 1)
    sections = sum(1 for _ in result.catalogue.walk())
    yield f"entries: {result.entries} ({result.structured} structured, {result.raw} raw)"
    yield f"papers: {papers} ({cross} cross-listed)"
    yield f"sections: {sections}"


def to_yaml(result: ImportResult) -> str:
    """The imported catalogue as YAML, proven to load as a valid catalogue first.

    The import only builds what the catalogue accepts, so this never fails
    on purpose; should it ever, each problem is reported against the
    Markdown (the line of the entry or heading it comes from), never against
    a YAML file that was not written.
    """
    from awesome_medad.catalogue import build_catalogue
    from awesome_medad.dump import dump
    from awesome_medad.yamlsource import load

    text = dump(result.catalogue)
    try:
        build_catalogue(*load(text, "<import>"))
    except InvalidInput as exc:
        problems = [_in_markdown(result, found) for found in exc.problems]
        raise InvalidInput(problems, f"{result.display}: cannot import this list; "
                                     "nothing was written") from None
    return text


def _in_markdown(result: ImportResult, found: Problem) -> Problem:
    return Problem(result.origin(found.breadcrumb), "import", Level.ERROR,
                   f"this part of the list cannot be imported: {found.message}",
                   hint="edit it in the list (or report it as a medad bug), then import again")
