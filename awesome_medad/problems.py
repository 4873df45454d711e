"""The one finding type shared by validation, lint rules and the link checker.

Every user-facing complaint medad makes is a :class:`Problem`: it names the
file, line and column so an editor or a CI annotation can jump to it, the rule
id that configuration and suppressions refer to, and a level.  Keeping a
single type means every output format (text, json, github, sarif) handles
every kind of finding the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum


class Level(str, Enum):
    """Severity; the order matters for sorting and for ``--strict``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file; line and column are 1-based (0 means unknown)."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column or 1}"
        return self.path


@dataclass(frozen=True)
class Problem:
    """One finding.

    ``breadcrumb`` is the path of keys/indices inside a structured file
    (``papers -> 12 -> links -> pdf``); ``related`` holds the other places a
    finding is about (the second copy of a duplicate, every use of a URL).
    """

    location: Location
    rule: str
    level: Level
    message: str
    breadcrumb: tuple[str | int, ...] = ()
    hint: str = ""
    related: tuple[Location, ...] = field(default=())

    @property
    def path(self) -> str:
        return self.location.path

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    @property
    def trail(self) -> str:
        """The breadcrumb as people read it: ``papers -> 12 -> links``."""
        return " -> ".join(str(part) for part in self.breadcrumb)

    def with_level(self, level: Level) -> Problem:
        return replace(self, level=level)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)

    def __str__(self) -> str:
        where = f"{self.location}: "
        trail = f"{self.trail}: " if self.breadcrumb else ""
        hint = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.level.value}: {trail}{self.message}{hint} [{self.rule}]"


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Stable order for reports: by file, then position, then rule id."""
    return sorted(problems, key=Problem.sort_key)


def has_errors(problems: Iterable[Problem], strict: bool = False) -> bool:
    """Whether the findings fail a run (warnings count under ``--strict``)."""
    failing = {Level.ERROR, Level.WARNING} if strict else {Level.ERROR}
    return any(p.level in failing for p in problems)
