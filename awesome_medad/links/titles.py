"""Is this page the paper the entry names?  Page titles and a tolerant comparison.

A live page is not enough: a pdf link pasted from the wrong tab points at
another paper and still answers 200.  Publishers put the paper's title in
``<meta name="citation_title">`` (Google Scholar's inclusion guidelines make
them), most other sites in ``og:title``, everyone in ``<title>``.

The comparison must not cry wolf: page titles carry site names
(``... | SpringerLink``), arXiv prefixes (``[1806.04972] ...``), different
capitalisation, dashes and markup, and entry titles are sometimes shortened.
So both sides are reduced to lower-case word lists and a mismatch is declared
only when the entry's words are mostly absent from the page title *and* the
two strings are not similar either.  Titles too short to say anything
("Just a moment...", "ScienceDirect") are never compared.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from html.parser import HTMLParser

_WORD_RE = re.compile(r"[^\W_]+")
_MIN_WORDS = 4  # fewer words on either side: not enough to call it a mismatch


class _TitleParser(HTMLParser):
    """Collects citation_title, og:title and the <title> text from the head of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        elif tag == "meta":
            values = {k.lower(): v or "" for k, v in attrs}
            name = (values.get("name") or values.get("property") or "").lower()
            if name in {"citation_title", "og:title", "dc.title"} and name not in self.meta:
                self.meta[name] = values.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


def page_title(html: str) -> str | None:
    """The most specific title of an HTML page: citation_title, og:title, then <title>."""
    parser = _TitleParser()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # pragma: no cover - HTMLParser is very lenient
        pass
    for key in ("citation_title", "dc.title", "og:title"):
        value = " ".join(parser.meta.get(key, "").split())
        if value:
            return value
    title = " ".join("".join(parser.title_parts).split())
    return title or None


def words(text: str) -> list[str]:
    """Lower-case words without accents, markup or bare numbers: what a reader compares."""
    decomposed = unicodedata.normalize("NFKD", text.replace("**", " ").replace("_", " "))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return [w for w in _WORD_RE.findall(plain) if not w.isdigit()]  # ids, years, page numbers


def titles_match(entry_title: str, page: str) -> bool:
    """``False`` only when ``page`` clearly names another paper than ``entry_title``."""
    entry_words, page_words = words(entry_title), words(page)
    if len(entry_words) < _MIN_WORDS or len(page_words) < _MIN_WORDS:
        return True
    page_set = set(page_words)
    covered = sum(1 for w in entry_words if w in page_set) / len(entry_words)
    if covered >= 0.6:
        return True
    reverse = sum(1 for w in page_words if w in set(entry_words)) / len(page_words)
    if reverse >= 0.8 and len(page_words) >= _MIN_WORDS:
        return True  # the page shows a shortened form of the entry's title
    ratio = difflib.SequenceMatcher(None, " ".join(entry_words), " ".join(page_words)).ratio()
    return ratio >= 0.75


def any_title_matches(entry_titles: tuple[str, ...], page: str) -> bool:
    """A URL shared by several entries matches if it is the page of any of them."""
    return not entry_titles or any(titles_match(t, page) for t in entry_titles)
