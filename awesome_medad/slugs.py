"""GitHub heading anchors, exactly as github-slugger 2.x makes them.

Render uses this for the TOC and lint uses it to resolve ``#fragment`` links;
one implementation means the two can never disagree.  The rules (from
github-slugger's ``script/generate-regex.mjs`` and ``index.js``):

* lower-case the heading's plain text (markup stripped; images contribute nothing);
* delete characters of the Unicode categories Other_Number, every punctuation
  category except Connector_Punctuation (``_``) - but keep ASCII ``-`` -, every
  Symbol, Control, Private_Use, Format and Unassigned character, and every
  Separator except the ASCII space; characters with the Alphabetic property
  (circled letters such as U+24B6) are kept although they are symbols;
* turn each space into ``-`` without collapsing runs or trimming;
* repeated slugs get ``-1``, ``-2``, ... and a suffix that is already taken is skipped.

Example::

    >>> s = Slugger()
    >>> [s.slug(h) for h in ["echo", "echo", "echo 1", "echo"]]
    ['echo', 'echo-1', 'echo-1-1', 'echo-2']
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_REMOVED_CATEGORIES = frozenset(
    {"No", "Pe", "Pf", "Pi", "Ps", "Po", "Pd", "Sm", "Sc", "Sk", "So", "Cc", "Co", "Cf", "Cn",
     "Zs", "Zl", "Zp"}
)
# Symbols that carry the Unicode Alphabetic property, which github-slugger keeps.
_ALPHABETIC_SYMBOLS = (
    (0x24B6, 0x24E9),  # circled Latin letters
    (0x1F130, 0x1F149),  # squared Latin capital letters
    (0x1F150, 0x1F169),  # negative circled Latin capital letters
    (0x1F170, 0x1F189),  # negative squared Latin capital letters
)
_MARKUP_CHARS = re.compile(r"[*_`\[\]<>!\\&~]")


@lru_cache(maxsize=4096)
def _removed(char: str) -> bool:
    if char in " -":
        return False
    if unicodedata.category(char) not in _REMOVED_CATEGORIES:
        return False
    code = ord(char)
    return not any(low <= code <= high for low, high in _ALPHABETIC_SYMBOLS)


def slug(text: str) -> str:
    """The anchor GitHub gives a heading whose plain text is ``text`` (before de-duplication)."""
    lowered = text.lower()
    if lowered.isascii() and re.fullmatch(r"[a-z0-9 _-]*", lowered):
        return lowered.replace(" ", "-")
    return "".join(c for c in lowered if not _removed(c)).replace(" ", "-")


def heading_text(markdown: str) -> str:
    """The plain text GitHub slugs for an inline-Markdown heading.

    Headings without markup characters (nearly all of them) skip the Markdown
    parser, which keeps ``medad render`` from importing mistune.
    """
    if not _MARKUP_CHARS.search(markdown):
        return markdown.strip()
    from awesome_medad.markdown import inline_plain_text

    return inline_plain_text(markdown)


class Slugger:
    """Unique anchors for a sequence of headings in document order."""

    def __init__(self) -> None:
        self._occurrences: dict[str, int] = {}

    def slug(self, text: str) -> str:
        """Slug ``text`` and make it unique among the slugs handed out so far."""
        original = slug(text)
        result = original
        while result in self._occurrences:
            self._occurrences[original] += 1
            result = f"{original}-{self._occurrences[original]}"
        self._occurrences[result] = 0
        return result

    def heading(self, markdown: str) -> str:
        """Like :meth:`slug`, for a heading written in inline Markdown."""
        return self.slug(heading_text(markdown))
