"""Safe YAML loading that remembers where every value came from.

PyYAML's ``safe_load`` forgets positions, and every message medad prints must
name ``file:line:column``.  We therefore compose the node graph with the C
parser (fast), and convert it ourselves, recording the position of every key
and value under its breadcrumb (``("papers", 12, "links", "pdf")``).

Safety: only plain YAML types are built (no Python objects); aliases are
rejected (the catalogue never needs them, and rejecting them defuses alias
"billion laughs" bombs before they expand); duplicate keys, which PyYAML
silently collapses, are errors; files above :data:`MAX_BYTES` are refused
before parsing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from awesome_medad.errors import InvalidInput
from awesome_medad.problems import Level, Location, Problem

MAX_BYTES = 8 * 1024 * 1024  # ~170,000 papers; a real list is far below 1 MiB
MAX_DEPTH = 64
Crumb = tuple[str | int, ...]

# The fastest safe loader this PyYAML has (libyaml's when it was built with it); every module
# that composes or parses YAML uses this one, so all read a file the same way.
try:  # pragma: no cover - depends on how PyYAML was built
    SAFE_LOADER: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    SAFE_LOADER = yaml.SafeLoader

_CONSTRUCTOR = yaml.SafeLoader("")


@dataclass
class SourceMap:
    """Positions (1-based line, column) of values and keys, by breadcrumb."""

    path: str
    values: dict[Crumb, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Crumb, tuple[int, int]] = field(default_factory=dict)

    def where(self, crumb: Crumb, key: bool = False) -> Location:
        """The location of ``crumb``; missing entries fall back to the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(crumb)
        while probe:
            if probe in table:
                return Location(self.path, *table[probe])
            if probe in self.values:
                return Location(self.path, *self.values[probe])
            probe = probe[:-1]
        return Location(self.path, *self.values.get((), (1, 1)))


def problem(
    source: SourceMap, crumb: Crumb, message: str, hint: str = "", key: bool = False,
    rule: str = "invalid",
) -> Problem:
    """A validation error at ``crumb`` (rule ``invalid``, level error)."""
    return Problem(source.where(crumb, key), rule, Level.ERROR, message, tuple(crumb), hint)


def read_text(path: Path, display: str) -> str:
    """Read a UTF-8 file (BOM allowed), refusing huge or undecodable input with a position."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _fail(display, 1, 1, f"file is {size:,} bytes; the limit is {MAX_BYTES:,}",
                        "split the catalogue or remove generated data")
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(display, 0, 0, f"cannot read file: {exc.strerror or exc}",
                    "check the path and permissions") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(display, line, column, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                    "save the file as UTF-8") from exc


def _fail(path: str, line: int, column: int, message: str, hint: str) -> InvalidInput:
    where = Location(path, line, column)
    return InvalidInput([Problem(where, "invalid", Level.ERROR, message, (), hint)])


def load(text: str, display: str) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain Python data and its :class:`SourceMap`."""
    source = SourceMap(display)
    if not text.strip():
        raise _fail(display, 1, 1, "the file is empty",
                    "a catalogue needs at least 'title', 'sections' and 'papers'")
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = f"YAML syntax error: {exc.problem or exc.context}"
        if exc.context and exc.problem:
            message += f" ({exc.context})"
        raise _fail(display, line, column, message, "fix the YAML syntax") from exc
    except yaml.YAMLError as exc:
        raise _fail(display, 1, 1, f"YAML error: {exc}", "fix the YAML syntax") from exc
    if node is None:
        raise _fail(display, 1, 1, "the file holds no YAML document",
                    "a catalogue needs at least 'title', 'sections' and 'papers'")
    converter = _Converter(source)
    value = converter.convert(node, ())
    if converter.aliases:
        _place_aliases(text, converter)
    if converter.problems:
        raise InvalidInput(converter.problems)
    return value, source


def _place_aliases(text: str, converter: _Converter) -> None:
    """Point alias problems at the ``*name`` itself (composed aliases carry the anchor's mark).

    Only runs when an alias was found.  The converter meets aliases in
    document order and never descends into a repeated node, so the k-th alias
    event of the stream is the k-th repeated node it met.
    """
    marks = [event.start_mark for event in yaml.parse(text, Loader=SAFE_LOADER)
             if isinstance(event, yaml.AliasEvent) and event.start_mark is not None]
    for (index, crumb), mark in zip(converter.aliases, marks, strict=False):
        where = Location(converter.source.path, mark.line + 1, mark.column + 1)
        converter.problems[index] = Problem(where, "invalid", Level.ERROR,
                                            "YAML aliases (*name) are not allowed", crumb,
                                            "write the value out in full")


class _Converter:
    """Turns a composed node graph into plain data, collecting every problem."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.seen: set[int] = set()
        self.problems: list[Problem] = []
        self.aliases: list[tuple[int, Crumb]] = []  # (index in problems, breadcrumb)

    def convert(self, node: yaml.Node, crumb: Crumb) -> Any:
        self.source.values[crumb] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if id(node) in self.seen:
            self.aliases.append((len(self.problems), crumb))
            self.problems.append(problem(self.source, crumb, "YAML aliases (*name) are not allowed",
                                         "write the value out in full", key=True))
            return None
        self.seen.add(id(node))
        if len(crumb) > MAX_DEPTH:
            self.problems.append(problem(self.source, crumb, "nesting is too deep"))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, crumb)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*crumb, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, crumb)

    def _mapping(self, node: yaml.MappingNode, crumb: Crumb) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node, crumb) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                self.problems.append(problem(self.source, crumb, "keys must be plain strings"))
                continue
            key = str(key)
            child = (*crumb, key)
            if key in result:
                where = Location(self.source.path, *_pos(key_node))
                self.problems.append(Problem(where, "invalid", Level.ERROR,
                                             f"duplicate key '{key}'", child, "keep one of them"))
                continue
            self.source.keys[child] = _pos(key_node)
            result[key] = self.convert(value_node, child)
        return result

    def _scalar(self, node: yaml.ScalarNode, crumb: Crumb) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return node.value
        try:
            if tag == "tag:yaml.org,2002:int":
                return _CONSTRUCTOR.construct_yaml_int(node)
            if tag == "tag:yaml.org,2002:bool":
                return _CONSTRUCTOR.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag == "tag:yaml.org,2002:float":
                return _CONSTRUCTOR.construct_yaml_float(node)
            if tag == "tag:yaml.org,2002:timestamp":
                value: dt.date = _CONSTRUCTOR.construct_yaml_timestamp(node)
                return value
        except (ValueError, yaml.YAMLError):
            return node.value  # e.g. 2020-13-45: kept as text so the type check names it
        self.problems.append(problem(self.source, crumb, f"unsupported YAML value {tag!r}",
                                     "use plain strings, numbers, lists and mappings"))
        return None


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1
