"""Reading Markdown with mistune: plain text of inline markup (more to come for lint)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

Token = Mapping[str, Any]


@lru_cache(maxsize=1)
def _ast_parser() -> Any:
    import mistune

    return mistune.create_markdown(renderer=None, plugins=["strikethrough"])


def _plain(tokens: Iterable[Token]) -> str:
    parts: list[str] = []
    for token in tokens:
        kind = token.get("type")
        if kind in {"text", "codespan"}:
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
