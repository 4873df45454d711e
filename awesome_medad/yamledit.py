"""Byte-preserving edits of the catalogue text, and the canonical re-format (``medad fmt``).

Maintainers keep comments, blank lines and their own quoting in
``data/papers.yaml``; a tool that re-dumps the whole file on every
``medad add`` would churn every diff.  So edits are made on the *text*:
PyYAML's composer tells us where each node starts and ends (character
offsets, the same for the C and the pure-Python parser), and we splice the
new bytes in there.  Every edit is then proven safe by parsing the result
and comparing it with the intended data; an edit that would change anything
else raises :class:`EditError` instead of writing a surprising file.

Why not ruamel.yaml: its round trip re-emits the whole document and still
normalises details (indentation of sequences, spacing before comments,
quotes it considers redundant), so "every other byte unchanged" would need
the same proof anyway, plus a second YAML parser to depend on.

Example::

    >>> text = ("title: T\\nsections: [{id: a, heading: A}]\\n"
    ...         "papers:\\n  - id: x\\n    title: X\\n    sections: [a]\\n")
    >>> print(append_block(text, ["  - id: y", "    title: Y", "    sections: [a]"]), end="")
    title: T
    sections: [{id: a, heading: A}]
    papers:
      - id: x
        title: X
        sections: [a]
    <BLANKLINE>
      - id: y
        title: Y
        sections: [a]
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from awesome_medad.errors import MedadError
from awesome_medad.problems import Level, Location, Problem
from awesome_medad.yamlsource import SAFE_LOADER, Crumb, load

_BOM = "\ufeff"
_COMMENT_RE = re.compile(r"(?:^|(?<=[ \t]))#", re.M)


class EditError(MedadError):
    """The file cannot be edited in place without changing more than intended."""


@dataclass(frozen=True)
class Replacement:
    """Replace the scalar at ``crumb`` (``("papers", 3, "links", "pdf")``) with ``value``."""

    crumb: Crumb
    value: str


# -- parsing helpers ------------------------------------------------------


def _split_bom(text: str) -> tuple[str, str]:
    return (_BOM, text[1:]) if text.startswith(_BOM) else ("", text)


def _newline(text: str) -> str:
    """The file's own line ending, so an inserted block matches its neighbours."""
    return "\r\n" if "\r\n" in text else "\n"


def _compose(text: str, display: str) -> yaml.Node:
    load(text, display)  # full validation of the YAML layer, with positioned errors
    node = yaml.compose(text, Loader=SAFE_LOADER)
    assert node is not None  # load() refused empty documents
    return node


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """``(key node or item node, value node)`` for one breadcrumb step."""
    if isinstance(node, yaml.MappingNode) and isinstance(part, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == part:
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and (
            0 <= part < len(node.value)):
        return node.value[part], node.value[part]
    return None


def _find(root: yaml.Node, crumb: Crumb) -> yaml.Node:
    node = root
    for part in crumb:
        step = _child(node, part)
        if step is None:
            raise EditError(f"cannot find {' -> '.join(map(str, crumb))} in the catalogue")
        node = step[1]
    return node


def _leaf_end(node: yaml.Node) -> int:
    """Offset just after the last character written for ``node`` (its deepest last leaf)."""
    if isinstance(node, yaml.ScalarNode) or getattr(node, "flow_style", False):
        return int(node.end_mark.index)
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    return max((_leaf_end(child) for child in children), default=int(node.end_mark.index))


def _line_end(text: str, offset: int) -> int:
    """Offset just after the line break that ends the line holding ``offset`` (or EOF)."""
    newline = text.find("\n", offset)
    return len(text) if newline < 0 else newline + 1


def _column(text: str, offset: int) -> int:
    return offset - (text.rfind("\n", 0, offset) + 1)


def _dash_offset(text: str, item: yaml.Node) -> int:
    """Where the ``-`` of a block sequence item is (the item node starts after it)."""
    i = int(item.start_mark.index) - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    if i < 0 or text[i] != "-":
        raise EditError("the papers list is not a plain block list; run `medad fmt` first")
    return i


def _skip_item_comments(text: str, offset: int, dash_column: int) -> int:
    """Move past comment lines indented under the last item: they belong to it."""
    best = offset
    position = offset
    while position < len(text):
        end = _line_end(text, position)
        line = text[position:end].rstrip("\r\n")
        stripped = line.lstrip(" ")
        if stripped.startswith("#") and len(line) - len(stripped) > dash_column:
            best = end
        elif stripped:
            break
        position = end
    return best


# -- appending a paper ----------------------------------------------------


def append_block(text: str, block: Sequence[str], display: str = "<catalogue>") -> str:
    """``text`` with ``block`` (the lines of one ``papers`` item) added as the last paper.

    Every byte of ``text`` is kept; the block goes right after the last
    line of the last paper (and its indented comments), separated by a blank
    line when the existing papers are, and indented like them.
    """
    bom, body = _split_bom(text)
    root = _compose(body, display)
    step = _child(root, "papers")
    if step is None:
        raise EditError(f"{display} has no 'papers' key")
    key, papers = step
    newline = _newline(body)
    if isinstance(papers, yaml.SequenceNode) and papers.value and not papers.flow_style:
        result = _append_after_last(body, papers, block, newline)
    elif _is_empty(papers):
        result = _replace_empty(body, key, papers, block, newline)
    else:
        raise EditError(f"{display}: 'papers' is written in flow style [...]; "
                        "run `medad fmt` to rewrite it as a block list, then retry")
    _prove_append(body, result, display)
    return bom + result


def _is_empty(node: yaml.Node) -> bool:
    if isinstance(node, yaml.SequenceNode):
        return not node.value
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _append_after_last(text: str, papers: yaml.SequenceNode, block: Sequence[str],
                       newline: str) -> str:
    last = papers.value[-1]
    dash = _dash_offset(text, last)
    dash_column = _column(text, dash)
    insert_at = _skip_item_comments(text, _line_end(text, _leaf_end(last)), dash_column)
    lines = _reindent(block, dash_column)
    separated = len(papers.value) < 2 or _blank_line_before(text, dash)
    prefix = newline if insert_at == len(text) and not text.endswith("\n") else ""
    gap = newline if separated else ""
    return text[:insert_at] + prefix + gap + newline.join(lines) + newline + text[insert_at:]


def _replace_empty(text: str, key: yaml.Node, papers: yaml.Node, block: Sequence[str],
                   newline: str) -> str:
    """``papers:``, ``papers: []`` or ``papers: ~``: drop the empty value, list below the key."""
    colon = text.index(":", int(key.end_mark.index))
    written = isinstance(papers, yaml.SequenceNode) or papers.value != ""
    start, end = (int(papers.start_mark.index), int(papers.end_mark.index)) if written else (
        colon + 1, colon + 1)
    text = text[:start] + text[end:]
    if written:
        text = _drop_trailing_blanks(text, colon)
    insert_at = _line_end(text, colon)
    prefix = newline if insert_at == len(text) and not text.endswith("\n") else ""
    lines = _reindent(block, _column(text, int(key.start_mark.index)) + 2)
    return text[:insert_at] + prefix + newline.join(lines) + newline + text[insert_at:]


def _drop_trailing_blanks(text: str, offset: int) -> str:
    """Strip the blanks a removed value left at the end of its line (``papers: []`` ->
    ``papers:``): the result has no trailing whitespace; a comment after it stays."""
    end = _line_end(text, offset)
    line = text[offset:end]
    content = line.rstrip("\r\n")
    return text[:offset] + content.rstrip(" \t") + line[len(content):] + text[end:]


def _reindent(block: Sequence[str], column: int) -> list[str]:
    """Shift the block so its ``-`` sits at ``column`` (the existing items' indentation)."""
    current = len(block[0]) - len(block[0].lstrip(" "))
    shift = column - current
    if shift >= 0:
        return [" " * shift + line if line else line for line in block]
    return [line[-shift:] if line[: -shift].strip() == "" else line for line in block]


def _blank_line_before(text: str, dash: int) -> bool:
    line_start = text.rfind("\n", 0, dash) + 1
    previous_end = line_start - 1
    previous_start = text.rfind("\n", 0, max(previous_end, 0)) + 1
    return previous_end > 0 and text[previous_start:previous_end].strip() == ""


def _prove_append(before: str, after: str, display: str) -> None:
    old, _ = load(before, display)
    new, _ = load(after, display)
    old_papers = old.get("papers") or []
    new_papers = new.get("papers") or []
    same_rest = {k: v for k, v in old.items() if k != "papers"} == {
        k: v for k, v in new.items() if k != "papers"}
    if not same_rest or new_papers[:-1] != old_papers or len(new_papers) != len(old_papers) + 1:
        raise EditError(f"{display}: appending here would change other content; "
                        "run `medad fmt` and retry")


# -- replacing scalars ----------------------------------------------------


def replace_scalars(text: str, replacements: Iterable[Replacement],
                    display: str = "<catalogue>") -> str:
    """``text`` with each scalar replaced in place, quoting style kept; nothing else moves."""
    bom, body = _split_bom(text)
    root = _compose(body, display)
    spans: list[tuple[int, int, str]] = []
    for item in replacements:
        node = _find(root, item.crumb)
        if not isinstance(node, yaml.ScalarNode) or node.style in {"|", ">"}:
            raise EditError(f"{display}: {' -> '.join(map(str, item.crumb))} is not a "
                            "single-line value")
        spans.append((int(node.start_mark.index), int(node.end_mark.index),
                      _styled(item.value, node.style)))
    result = body
    for start, end, new in sorted(spans, reverse=True):
        result = result[:start] + new + result[end:]
    _prove_replacements(body, result, replacements, display)
    return bom + result


def _styled(value: str, style: str | None) -> str:
    """``value`` as a YAML scalar in the style the old value was written in."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    if style == '"':
        return json.dumps(value, ensure_ascii=False)
    from awesome_medad.dump import scalar

    return scalar(value)


def _prove_replacements(before: str, after: str, replacements: Iterable[Replacement],
                        display: str) -> None:
    expected, _ = load(before, display)
    for item in replacements:
        _set(expected, item.crumb, item.value)
    actual, _ = load(after, display)
    if actual != expected:
        raise EditError(f"{display}: the in-place edit would change other content; "
                        "nothing was written")


def _set(data: Any, crumb: Crumb, value: str) -> None:
    for part in crumb[:-1]:
        data = data[part]
    data[crumb[-1]] = value


# -- canonical formatting (medad fmt) -------------------------------------


def header_comments(text: str) -> str:
    """The leading block of comment and blank lines, exactly as written."""
    end = 0
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        end += len(line)
    return text[:end]


def stray_comments(text: str, display: str) -> list[Problem]:
    """Comments after the header: ``medad fmt`` would drop them, so it refuses instead."""
    _, body = _split_bom(text)
    root = _compose(body, display)
    covered = _scalar_spans(root)
    start = len(header_comments(body))
    problems: list[Problem] = []
    for match in _COMMENT_RE.finditer(body, start):
        offset = match.start()
        if any(low <= offset < high for low, high in covered):
            continue
        line = body.count("\n", 0, offset) + 1
        where = Location(display, line, _column(body, offset) + 1)
        problems.append(Problem(where, "fmt-comment", Level.ERROR,
                                "this comment would be lost by `medad fmt`",
                                hint="move it into the comment block at the top of the file"))
    return _one_per_line(problems)


def _one_per_line(problems: list[Problem]) -> list[Problem]:
    seen: set[int] = set()
    result = []
    for problem in problems:
        if problem.line not in seen:
            seen.add(problem.line)
            result.append(problem)
    return result


def _scalar_spans(node: yaml.Node) -> list[tuple[int, int]]:
    if isinstance(node, yaml.ScalarNode):
        return [(int(node.start_mark.index), int(node.end_mark.index))]
    spans: list[tuple[int, int]] = []
    items = node.value if isinstance(node, yaml.SequenceNode) else [
        part for pair in node.value for part in pair]
    for child in items:
        spans += _scalar_spans(child)
    return spans


def format_catalogue(text: str, display: str = "<catalogue>") -> str:
    """The canonical layout of ``text``: same content, header comments kept verbatim.

    Raises :class:`EditError` when comments outside the header would be lost
    and ``InvalidInput`` for an invalid catalogue; the returned text is
    proven to load into the very same model.
    """
    from awesome_medad.catalogue import build_catalogue
    from awesome_medad.dump import dump

    _, body = _split_bom(text)
    body = body.replace("\r\n", "\n")
    problems = stray_comments(body, display)
    if problems:
        raise EditError("\n".join([f"{display}: comments outside the header block would be "
                                   "lost; nothing was changed", *map(str, problems)]))
    before = build_catalogue(*load(body, display))
    header = header_comments(body)
    if header and not header.endswith("\n"):
        header += "\n"
    result = header + dump(before, header="")
    after = build_catalogue(*load(result, display))
    if after != before:  # pragma: no cover - dump and load disagree: a bug, never write
        raise EditError(f"{display}: re-formatting would change the content; nothing written")
    return result
