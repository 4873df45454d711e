"""Reading any Markdown list with mistune: headings, links, entries, anchors, with positions.

``medad lint FILE.md`` must work on lists that are not kept in YAML, written
in whatever dialect their maintainers chose: ``*``/``-``/``+`` bullets,
numbered lists, paragraphs or tables that hold entries, HTML anchors and
comments.  mistune parses the structure, but its AST carries no positions, and
every finding must name ``line:column``.  We therefore walk the AST in
document order with a cursor over the source and locate each element's text
from that cursor on.  The search runs over a *masked* copy of the source in
which code blocks, code spans and HTML comments are blanked out (same length,
newlines kept), so a link-like string inside code or a comment can never be
mistaken for the next real link.  Any ``](`` left unclaimed by a real link in
the masked text is a link that failed to parse (a space or an unbalanced
parenthesis in its target): :attr:`Document.broken`.

Example::

    >>> doc = read_markdown("# Brain MRI\\n- [A] [Title] [MIDL'18] [[pdf]](https://x.org/a)\\n")
    >>> doc.headings[0].anchor, doc.entries[0].title, doc.links[0].line, doc.links[0].column
    ('brain-mri', 'Title', 2, 25)
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from awesome_medad.venues import FULL_YEAR_WORD, SHORT_YEAR_WORD, year_from_venue

Token = Mapping[str, Any]


@lru_cache(maxsize=1)
def _ast_parser() -> Any:
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["strikethrough"])


@lru_cache(maxsize=1)
def _document_parser() -> Any:
    """GitHub-flavoured parsing: tables and bare URLs (autolink literals) as GitHub renders them."""
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["strikethrough", "table", "url"])


def _plain(tokens: Iterable[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        kind = token.get("type")
        if kind == "text":
            parts.append(html.unescape(str(token.get("raw", ""))))
        elif kind == "codespan":
            parts.append(str(token.get("raw", "")))
        elif kind in {"softbreak", "linebreak"}:
            parts.append(" ")
        elif kind in {"image", "inline_html", "block_html"}:
            continue
        elif "children" in token:
            parts.append(_plain(token["children"]))
    return "".join(parts)


def inline_plain_text(markdown: str) -> str:
    """The text a reader sees for inline Markdown: markup, HTML tags and images dropped."""
    tokens = _ast_parser()(markdown)
    return _plain(tokens)


# -- the document model ----------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading; ``anchor`` is GitHub's unique slug, ``has_body`` whether content follows."""

    level: int
    text: str
    anchor: str
    line: int
    column: int
    index: int
    has_body: bool = True


@dataclass(frozen=True)
class Link:
    """A link or image; ``line``/``column`` is where it starts, ``url_*`` where its target starts.

    ``kind`` is ``link``, ``image``, ``autolink`` (``<url>``), ``bare`` (a
    URL GitHub links by itself), ``reference`` (``[text][label]``) or
    ``html`` (``<a href>``/``<img src>``).
    """

    url: str
    text: str
    line: int
    column: int
    url_line: int
    url_column: int
    kind: str
    heading: int | None = None
    entry: int | None = None

    @property
    def fragment_only(self) -> bool:
        return self.url.startswith("#")


@dataclass(frozen=True)
class HtmlAnchor:
    """An ``id``/``name`` attribute in HTML: a valid ``#fragment`` target on GitHub."""

    name: str
    line: int
    column: int


@dataclass(frozen=True)
class Entry:
    """One entry of the list: a list item, a line of a paragraph list, or a table row."""

    index: int
    line: int
    column: int
    text: str
    title: str
    venue: str | None
    year: int | None
    links: tuple[Link, ...]
    heading: int | None
    kind: str
    title_link: Link | None = None


@dataclass(frozen=True)
class TocItem:
    """A link of the table of contents (the first list made only of ``#fragment`` links)."""

    label: str
    fragment: str
    depth: int
    link: Link


@dataclass(frozen=True)
class BrokenLink:
    """Text that was meant as a link but is not one (``[pdf](http://a b)``)."""

    line: int
    column: int
    snippet: str
    reason: str


@dataclass(frozen=True)
class Document:
    """Everything lint needs from one Markdown file."""

    path: str
    text: str
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    anchors: tuple[HtmlAnchor, ...]
    entries: tuple[Entry, ...]
    toc: tuple[TocItem, ...]
    broken: tuple[BrokenLink, ...]
    ignores: Mapping[int, frozenset[str]] = field(default_factory=dict)
    toc_heading: int | None = None

    def anchor_names(self) -> set[str]:
        """Every valid fragment target: heading slugs and HTML ids/names."""
        return {h.anchor for h in self.headings} | {a.name for a in self.anchors}

    def suppressed(self, line: int, rule: str) -> bool:
        """Whether a ``<!-- lint-ignore: rule -->`` comment on this or the previous line applies."""
        for probe in (line, line - 1):
            rules = self.ignores.get(probe)
            if rules is not None and (rule in rules or "all" in rules):
                return True
        return False


# -- masking code and comments ------------------------------------------------------

_FENCE_RE = re.compile(r"^[ \t>]*(`{3,}|~{3,})")
_CODESPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_IGNORE_RE = re.compile(r"<!--\s*(?:medad[ -])?lint-ignore\s*:?\s*([\w\s,.-]*?)\s*-->")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _mask_fences(text: str) -> str:
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE_RE.match(line)
        if fence is None and match:
            fence = match.group(1)
            out.append(" " * len(line))
        elif fence is not None:
            closing = match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence)
            if closing and not line.strip().lstrip(">").strip().strip(fence[0]):
                fence = None
            out.append(" " * len(line))
        else:
            out.append(line)
    return "\n".join(out)


def mask(text: str) -> tuple[str, str]:
    """``(code_masked, masked)``: code blanked, then comments blanked too (lengths kept)."""
    code = _CODESPAN_RE.sub(_blank, _mask_fences(text))
    return code, _COMMENT_RE.sub(_blank, code)


# -- locating things in the source ----------------------------------------------------

_ESCAPED_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_DEST_STOP = re.compile(r"[\s<>]")


def _loose(url: str) -> str:
    """A comparison form of a link target: entities, escapes and percent-encoding undone."""
    text = url.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    return unquote(html.unescape(_ESCAPED_RE.sub(r"\1", text))).strip()


def _destination(source: str, start: int) -> tuple[int, int, int]:
    """``(dest_start, dest_end, link_end)`` of a link target starting at ``start`` (after ``(``)."""
    pos = start
    while pos < len(source) and source[pos] in " \t\n":
        pos += 1
    if pos < len(source) and source[pos] == "<":
        close = source.find(">", pos)
        end = close + 1 if close >= 0 else pos
        after = source.find(")", end)
        return pos, end, (after + 1) if after >= 0 else end
    depth, cursor = 0, pos
    while cursor < len(source):
        char = source[cursor]
        if char == "\\":
            cursor += 2
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                break
            depth -= 1
        elif char in " \t\n":
            break
        cursor += 1
    close = source.find(")", cursor)
    newline = source.find("\n\n", cursor)
    link_end = close + 1 if close >= 0 and (newline < 0 or close < newline) else cursor
    return pos, cursor, link_end


def _open_bracket(source: str, close: int) -> int:
    """Index of the ``[`` that matches the ``]`` at ``close`` (``close`` itself when none)."""
    depth = 0
    pos = close
    floor = max(0, close - 4000)
    while pos >= floor:
        char = source[pos]
        escaped = pos > 0 and source[pos - 1] == "\\"
        if char == "]" and not escaped:
            depth += 1
        elif char == "[" and not escaped:
            depth -= 1
            if depth == 0:
                return pos
        elif char == "\n" and source[pos - 1: pos] == "\n":
            break
        pos -= 1
    return close


# How far past the cursor an autolink or reference is looked for (the next
# link is near; a miss must not scan a multi-megabyte file).
_SEARCH_WINDOW = 20_000
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_GENERIC_LABELS = frozenset(
    "pdf paper code project page project-page website web link links arxiv doi html abs abstract "
    "bibtex bib slides video demo poster blog github supplementary supp dataset data "
    "google scholar scholar official unofficial model models download homepage repo".split()
)
_BRACKET_FIELD_RE = re.compile(r"\[([^\[\]]+)\]")
_SEPARATOR_RE = re.compile(r"\s+[|–—-]\s+|\s*\|\s*|\s*[–—]\s*")
_AUTHOR_RE = re.compile(r"\bet\.? ?al\b", re.I)
# A venue field: a name, then a year (``MICCAI'19``, ``Medical Imaging 2017: ...``).
_VENUE_RE = re.compile(rf"[A-Za-z][A-Za-z&.-]+.*?(?:{SHORT_YEAR_WORD}|{FULL_YEAR_WORD})")


def _is_generic(label: str) -> bool:
    words = re.sub(r"[\[\]()*_`]", " ", label.lower()).split()
    return not words or all(w in _GENERIC_LABELS for w in words)


class _Reader:
    """Walks mistune's AST in document order, locating each element in the masked source."""

    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path
        self.code_masked, self.masked = mask(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.cursor = 0
        self.headings: list[Heading] = []
        self.links: list[Link] = []
        self.anchors: list[HtmlAnchor] = []
        self.entries: list[Entry] = []
        self.toc: list[TocItem] = []
        self.toc_heading: int | None = None
        self.claimed: set[int] = set()
        self.link_ends: list[tuple[int, int]] = []
        self.body_seen: list[bool] = []
        self._slugs: Any = None

    # -- positions ----------------------------------------------------------------
    def pos(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def line_end(self, offset: int) -> int:
        end = self.text.find("\n", offset)
        return len(self.text) if end < 0 else end

    # -- blocks -------------------------------------------------------------------
    def blocks(self, tokens: Iterable[Token], depth: int = 0) -> None:
        for token in tokens:
            kind = token.get("type")
            if kind == "blank_line":
                continue
            if kind != "heading" and self.body_seen:
                self.body_seen[-1] = True
            handler = getattr(self, f"_block_{kind}", None)
            if handler is not None:
                handler(token, depth)
            elif "children" in token:
                self.blocks(token["children"], depth)

    def _block_heading(self, token: Token, depth: int) -> None:
        level = int(token.get("attrs", {}).get("level", 1))
        if token.get("style") == "setext":
            match = re.compile(r"^[ \t]*(=+|-+)[ \t]*$", re.M).search(self.masked, self.cursor)
            underline = match.start() if match else self.cursor
            lines = 1 + sum(1 for t in token.get("children", ()) if t.get("type") == "softbreak")
            line_no = max(1, self.pos(underline)[0] - lines)
            start = self.line_starts[line_no - 1]
            start += len(self.text[start:]) - len(self.text[start:].lstrip(" \t"))
            end = match.end() if match else self.line_end(start)
        else:
            pattern = re.compile(rf"^[ \t>]*(#{{{level}}})(?=[ \t]|$)", re.M)
            match = pattern.search(self.masked, self.cursor)
            start = match.start(1) if match else self.cursor
            end = self.line_end(start)
        children = token.get("children", ())
        text = _plain(children)
        line, column = self.pos(start)
        if self._slugs is None:
            from awesome_medad.slugs import Slugger

            self._slugs = Slugger()
        # Only the parser trims a heading: a space left by an image or HTML counts (GitHub).
        heading = Heading(level, text.strip(), self._slugs.slug(text), line, column,
                          len(self.headings), has_body=False)
        self.headings.append(heading)
        self.body_seen.append(False)
        self.cursor = start
        self.inline(children)
        self.cursor = max(self.cursor, end)

    def _block_paragraph(self, token: Token, depth: int) -> None:
        """Paragraph entries: one per line when every line holds a link, else the whole paragraph.

        Prose before the list proper (under the title, before the table of
        contents) is not an entry, even when it links somewhere.
        """
        start = len(self.links)
        in_preamble = len(self.headings) < 2 and not self.toc
        lines = _split_lines(token.get("children", ()))
        first_link_positions: list[int] = []
        for line_tokens in lines:
            first_link_positions.append(len(self.links))
            self.inline(line_tokens)
        if start == len(self.links) or in_preamble:
            return
        per_line = len(lines) > 1 and all(
            first_link_positions[i] < (first_link_positions[i + 1] if i + 1 < len(lines)
                                       else len(self.links))
            for i in range(len(lines))
        )
        if per_line:
            for i, line_tokens in enumerate(lines):
                stop = first_link_positions[i + 1] if i + 1 < len(lines) else len(self.links)
                self.entry(line_tokens, first_link_positions[i], stop, None, "paragraph")
        else:
            self.entry(list(token.get("children", ())), start, len(self.links), None, "paragraph")

    _block_block_text = _block_paragraph

    def _block_list(self, token: Token, depth: int) -> None:
        toc = depth == 0 and not self.toc and _is_toc(token)
        if toc:
            self.toc_heading = len(self.headings) - 1 if self.headings else None
        self._list(token, depth, toc)

    def _list(self, token: Token, depth: int, toc: bool) -> None:
        marker = re.compile(r"^[ \t>]*([-*+]|\d{1,9}[.)])(?=[ \t]|$)", re.M)
        for item in token.get("children", ()):
            match = marker.search(self.masked, self.cursor)
            item_start = match.start(1) if match else self.cursor
            if match:
                self.cursor = match.end()
            own: list[Token] = []
            first_link = len(self.links)
            for child in item.get("children", ()):
                kind = child.get("type")
                if kind in {"block_text", "paragraph"} and not own:
                    own = list(child.get("children", ()))
                    self.inline(own)
                elif kind == "list":
                    self._item_entry(own, first_link, item_start, toc, depth)
                    own, first_link = [], -1
                    self._list(child, depth + 1, toc)
                else:
                    self.blocks([child], depth + 1)
            if first_link >= 0:
                self._item_entry(own, first_link, item_start, toc, depth)

    def _item_entry(self, own: list[Token], first_link: int, item_start: int, toc: bool,
                    depth: int) -> None:
        if first_link < 0:
            return
        if toc:
            for link in self.links[first_link:]:
                if link.fragment_only:
                    self.toc.append(TocItem(link.text, link.url[1:], depth, link))
            return
        if len(self.links) > first_link or len(_BRACKET_FIELD_RE.findall(_plain(own))) >= 2:
            self.entry(own, first_link, len(self.links), item_start, "item")

    def _block_table(self, token: Token, depth: int) -> None:
        match = re.compile(r"^.*\|.*$", re.M).search(self.masked, self.cursor)
        head_line = self.pos(match.start())[0] if match else self.pos(self.cursor)[0]
        rows: list[tuple[int, Token]] = []
        for part in token.get("children", ()):
            if part.get("type") == "table_head":
                rows.append((head_line, part))
            else:
                for i, row in enumerate(part.get("children", ())):
                    rows.append((head_line + 2 + i, row))
        for line, row in rows:
            if line - 1 < len(self.line_starts):
                self.cursor = max(self.cursor, self.line_starts[line - 1])
            first = len(self.links)
            cells = [c for c in row.get("children", ())]
            for cell in cells:
                self.inline(cell.get("children", ()))
            if row.get("type") != "table_head" and len(self.links) > first:
                tokens = [t for c in cells for t in (*c.get("children", ()),
                                                      {"type": "text", "raw": " | "})]
                offset = self.line_starts[line - 1] if line - 1 < len(self.line_starts) else 0
                self.entry(tokens[:-1], first, len(self.links), offset, "row")
            if line < len(self.line_starts):
                self.cursor = max(self.cursor, self.line_end(self.line_starts[line - 1]))

    def _block_block_html(self, token: Token, depth: int) -> None:
        raw = str(token.get("raw", ""))
        first = next((ln.strip() for ln in raw.split("\n") if ln.strip()), "")
        found = self.text.find(first, self.cursor) if first else -1
        if found < 0:
            return
        start = self.text.rfind("\n", 0, found) + 1
        lines = raw.rstrip("\n").split("\n")
        offset, cursor = start, start
        for line in lines:
            stripped = line.strip()
            at = self.text.find(stripped, cursor) if stripped else cursor
            if at < 0:
                break
            self.html(at, self.masked[at: at + len(stripped)])
            cursor = at + len(stripped)
            offset = cursor
        self.cursor = max(self.cursor, offset)

    def _block_block_code(self, token: Token, depth: int) -> None:
        return

    def _block_thematic_break(self, token: Token, depth: int) -> None:
        match = re.compile(r"^[ \t]*([-*_])[ \t]*(?:\1[ \t]*){2,}$", re.M).search(
            self.masked, self.cursor)
        if match:
            self.cursor = match.end()

    # -- inline ----------------------------------------------------------------------
    def inline(self, tokens: Iterable[Token]) -> None:
        for token in tokens:
            kind = token.get("type")
            if kind in {"link", "image"}:
                self.link(token)
            elif kind == "inline_html":
                raw = str(token.get("raw", ""))
                at = self.text.find(raw, self.cursor)
                if at >= 0:
                    self.html(at, self.masked[at: at + len(raw)])
                    self.cursor = at + len(raw)
            elif "children" in token:
                self.inline(token["children"])

    def link(self, token: Token) -> None:
        attrs = token.get("attrs", {})
        url = str(attrs.get("url", ""))
        children = token.get("children", ())
        text = _plain(children)
        kind = "image" if token.get("type") == "image" else "link"
        located = self.locate(token, url, text)
        if located is None:
            line, column = self.pos(self.cursor)
            self.links.append(self._link(url, text, line, column, line, column, kind))
            self.inline(children)
            return
        start, dest, end, how = located
        if how != "link":
            kind = how if kind == "link" else kind
        self.cursor = start
        self.inline(children)
        line, column = self.pos(start)
        url_line, url_column = self.pos(dest)
        self.links.append(self._link(url, text, line, column, url_line, url_column, kind))
        self.link_ends.append((end, len(self.links) - 1))
        self.cursor = max(self.cursor, end)

    def _link(self, url: str, text: str, line: int, column: int, url_line: int, url_column: int,
              kind: str) -> Link:
        heading = len(self.headings) - 1 if self.headings else None
        return Link(url, text.strip(), line, column, url_line, url_column, kind, heading)

    def locate(self, token: Token, url: str, text: str) -> tuple[int, int, int, str] | None:
        """``(start, url_start, end, kind)`` of the next occurrence of this link in the source."""
        if token.get("label") is not None or token.get("ref") is not None:
            return self._reference(str(token.get("label") or token.get("ref")))
        if text == url or text == url.removeprefix("mailto:"):
            auto = self._autolink(text)
            if auto is not None:
                return auto
        return self._inline_link(url, image=token.get("type") == "image")

    def _inline_link(self, url: str, image: bool) -> tuple[int, int, int, str] | None:
        wanted = _loose(url)
        pattern = re.compile(r"\]\(")
        for count, match in enumerate(pattern.finditer(self.masked, self.cursor)):
            if count > 64:
                break
            if match.start() in self.claimed:
                continue
            dest_start, dest_end, end = _destination(self.masked, match.end())
            if _loose(self.text[dest_start:dest_end]) != wanted:
                continue
            self.claimed.add(match.start())
            start = _open_bracket(self.masked, match.start())
            if image and start > 0 and self.masked[start - 1] == "!":
                start -= 1
            return start, dest_start, end, "link"
        return None

    def _autolink(self, text: str) -> tuple[int, int, int, str] | None:
        window = self.cursor + len(text) + _SEARCH_WINDOW
        angled = self.masked.find(f"<{text}>", self.cursor, window)
        bare = self.masked.find(text, self.cursor, window)
        if angled >= 0 and angled + 1 == bare:
            return angled, angled + 1, angled + len(text) + 2, "autolink"
        if bare >= 0:
            return bare, bare, bare + len(text), "bare"
        return None

    def _reference(self, label: str) -> tuple[int, int, int, str] | None:
        pattern = re.compile(r"\[" + re.escape(label).replace(r"\ ", r"\s+") + r"\]", re.I)
        match = pattern.search(self.masked, self.cursor, self.cursor + _SEARCH_WINDOW)
        if not match:
            return None
        start = match.start()
        if start > 0 and self.masked[start - 1] == "]":
            start = _open_bracket(self.masked, start - 1)
        return start, match.start(), match.end(), "reference"

    def html(self, at: int, chunk: str) -> None:
        """Anchors (``id``/``name``) and links (``href``/``src``) in an HTML chunk at ``at``."""
        for tag in re.finditer(r"<[a-zA-Z][^>]*>", chunk):
            for attr in re.finditer(r"""\b(id|name|href|src)\s*=\s*(["']?)([^"'\s>]*)\2""",
                                    tag.group(0)):
                offset = at + tag.start() + attr.start(3)
                name, value = attr.group(1).lower(), html.unescape(attr.group(3))
                line, column = self.pos(offset)
                if name in {"id", "name"}:
                    if name == "name" and not tag.group(0).lower().startswith("<a"):
                        continue
                    self.anchors.append(HtmlAnchor(value, line, column))
                elif value:
                    tag_line, tag_col = self.pos(at + tag.start())
                    kind = "html"
                    self.links.append(self._link(value, "", tag_line, tag_col, line, column, kind))

    # -- entries -------------------------------------------------------------------------
    def entry(self, tokens: list[Token], lo: int, hi: int, start: int | None, kind: str) -> None:
        links = self.links[lo:hi]
        if links and all(link.fragment_only for link in links):
            return
        if start is None:
            first = links[0] if links else None
            line = first.line if first else self.pos(self.cursor)[0]
            line_start = self.line_starts[line - 1]
            content = self.text[line_start: self.line_end(line_start)]
            line, column = line, len(content) - len(content.lstrip(" \t>")) + 1
        else:
            line, column = self.pos(start)
        title, venue, title_link = _entry_fields(tokens, links)
        index = len(self.entries)
        heading = len(self.headings) - 1 if self.headings else None
        attached = tuple(_with_entry(link, index) for link in links)
        self.links[lo:hi] = attached
        pairs = zip(attached, links, strict=True)
        title_link = next((a for a, b in pairs if b is title_link), None)
        self.entries.append(Entry(index, line, column, " ".join(_plain(tokens).split()), title,
                                  venue, year_from_venue(venue), attached, heading, kind,
                                  title_link))

    # -- broken links ----------------------------------------------------------------------
    def broken(self) -> list[BrokenLink]:
        """``](`` and ``] (http`` that no real link claimed: links that failed to parse."""
        found: list[BrokenLink] = []
        for match in re.finditer(r"\](\s+)?\(", self.masked):
            if match.start() in self.claimed or (match.start() > 0
                                                  and self.masked[match.start() - 1] == "\\"):
                continue
            start = _open_bracket(self.masked, match.start())
            if start == match.start():
                continue
            reason = self._broken_reason(match)
            if reason:
                line, column = self.pos(start)
                end = min(self.line_end(match.end()), match.end() + 60)
                found.append(BrokenLink(line, column, self.text[start:end].strip(), reason))
        found.extend(self._cut_links())
        return found

    def _broken_reason(self, match: re.Match[str]) -> str:
        """Why an unclaimed ``](`` is not a link; ``""`` when it may be one we failed to locate."""
        rest = self.masked[match.end(): self.line_end(match.end())]
        if match.group(1):
            if re.match(r"(https?://|www\.|#|/)", rest):
                return "a space between ']' and '(' stops this from being a link"
            return ""
        dest_start, dest_end, _ = _destination(self.masked, match.end())
        target = self.masked[dest_start:dest_end]
        following = self.masked[dest_end: dest_end + 1]
        if target.count("(") > target.count(")"):
            return "unbalanced parentheses in the link target; write them as %28 and %29"
        if following in {" ", "\t"}:
            after = self.masked[dest_end: self.line_end(dest_end)].lstrip(" \t")
            if after[:1] in {'"', "'", "("}:
                return ""
            return "the link target contains a space; write it as %20 or wrap it in <...>"
        if target and following in {"\n", ""}:
            return "the link target is not closed with ')'"
        return ""

    def _cut_links(self) -> Iterator[BrokenLink]:
        for end, index in self.link_ends:
            link = self.links[index]
            tail = re.match(r"[^\s()\[\]<>]+\)", self.masked[end: end + 200])
            if tail and link.kind in {"link", "image"}:
                snippet = f"{link.url}{tail.group(0)}"
                yield BrokenLink(link.url_line, link.url_column, snippet,
                                 f"an unbalanced ')' cut the link target short: it ends at "
                                 f"{link.url!r} and {tail.group(0)!r} is left as text")


def _with_entry(link: Link, index: int) -> Link:
    from dataclasses import replace

    return replace(link, entry=index)


def _split_lines(tokens: Iterable[Token]) -> list[list[Token]]:
    lines: list[list[Token]] = [[]]
    for token in tokens:
        kind = token.get("type")
        raw = str(token.get("raw", "")).strip()
        if kind in {"softbreak", "linebreak"} or (
                kind == "inline_html" and re.fullmatch(r"<br\s*/?>", raw, re.I)):
            lines.append([])
        else:
            lines[-1].append(token)
    return [line for line in lines if line]


def _is_toc(token: Token) -> bool:
    """A list is a table of contents when every link in it is a ``#fragment`` link."""
    urls = list(_urls(token))
    return len(urls) >= 2 and all(url.startswith("#") for url in urls)


def _urls(token: Token) -> Iterator[str]:
    if token.get("type") in {"link", "image"}:
        yield str(token.get("attrs", {}).get("url", ""))
    for child in token.get("children", ()) or ():
        yield from _urls(child)


def _entry_fields(tokens: list[Token], links: list[Link]) -> tuple[str, str | None, Link | None]:
    """``(title, venue, title_link)`` of an entry, whatever the dialect.

    ``[Author] [Title] [Venue] [[pdf]](u)``: the longest bracketed field is the
    title, the field after it the venue.  ``[Title](u) - text`` and
    ``**[Title](u)**``: the first link's text, unless it is a generic label
    such as ``pdf``.  ``Title | **[CVPR' 19]** | [pdf](u)`` and
    ``Title [[CVPR 2023]](u)``: the text before the first separator or link.
    """
    prefix: list[Token] = []
    first_link: Token | None = None
    for token in tokens:
        inner = _first_link(token)
        if inner is not None:
            first_link = inner
            break
        prefix.append(token)
    prefix_text = " ".join(_plain(prefix).split())
    fields = _BRACKET_FIELD_RE.findall(prefix_text)
    venue = _venue(fields + [link.text for link in links])
    if len(fields) >= 2:
        plain = [f for f in fields if not _AUTHOR_RE.search(f) and not _venue([f])] or fields
        title = max(plain, key=len)
        after = fields[fields.index(title) + 1:]
        return title.strip(), (after[0].strip() if after else venue), None
    label = _plain(first_link.get("children", ())).strip() if first_link else ""
    if first_link is not None and not prefix_text.strip(" *_") and label and not _is_generic(label):
        link = links[0] if links else None
        return label, venue, link
    lead = next((t for t in tokens if t.get("type") != "text" or str(t.get("raw", "")).strip()),
                None)
    if lead is not None and lead.get("type") in {"strong", "emphasis"}:
        title = " ".join(_plain([lead]).split()).strip(" .,:;")
        return title, venue or _venue_in_text(prefix_text.replace(title, "", 1)), None
    head = _SEPARATOR_RE.split(prefix_text, maxsplit=1)[0]
    head = head.split("[", 1)[0] if not head.startswith("[") else head.strip("[]")
    return head.strip(" .,:;-–—*_|"), venue, None


def _first_link(token: Token) -> Token | None:
    if token.get("type") == "link":
        return token
    if token.get("type") in {"strong", "emphasis"}:
        for child in token.get("children", ()):
            found = _first_link(child)
            if found is not None:
                return found
    return None


_VENUE_IN_TEXT_RE = re.compile(
    rf"\b[A-Z][A-Za-z]{{1,15}}(?:{SHORT_YEAR_WORD}|,?\s{FULL_YEAR_WORD})")


def _venue_in_text(text: str) -> str | None:
    """A venue such as ``MICCAI'19`` or ``arXiv 2020`` written in running text."""
    match = _VENUE_IN_TEXT_RE.search(text)
    return match.group(0) if match else None


def _venue(candidates: list[str]) -> str | None:
    for candidate in candidates:
        text = candidate.strip(" []*_")
        if len(text) <= 40 and _VENUE_RE.search(text):
            return text
    return None


def _ignores(code_masked: str, reader: _Reader) -> dict[int, frozenset[str]]:
    result: dict[int, frozenset[str]] = {}
    for match in _IGNORE_RE.finditer(code_masked):
        rules = frozenset(r for r in re.split(r"[\s,]+", match.group(1)) if r) or frozenset({"all"})
        line = reader.pos(match.end() - 1)[0]
        result[line] = result.get(line, frozenset()) | rules
    return result


def normalise_source(text: str) -> str:
    """Line endings as mistune sees them: ``\\r\\n`` and ``\\r`` become ``\\n``; no BOM."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def read_markdown(text: str, path: str = "<memory>") -> Document:
    """Parse ``text`` (the content of ``path``) into a :class:`Document` with positions."""
    text = normalise_source(text)
    reader = _Reader(text, path)
    tokens = _document_parser()(text)
    reader.blocks(tokens)
    headings = tuple(
        Heading(h.level, h.text, h.anchor, h.line, h.column, h.index, _has_body(reader, i))
        for i, h in enumerate(reader.headings)
    )
    return Document(path, text, headings, tuple(reader.links), tuple(reader.anchors),
                    tuple(reader.entries), tuple(reader.toc), tuple(reader.broken()),
                    _ignores(reader.code_masked, reader), reader.toc_heading)


def _has_body(reader: _Reader, index: int) -> bool:
    """Content follows heading ``index`` before the next heading of the same or a higher level."""
    level = reader.headings[index].level
    for later in range(index, len(reader.headings)):
        if reader.body_seen[later]:
            return True
        following = later + 1
        if following < len(reader.headings) and reader.headings[following].level <= level:
            return False
    return False
