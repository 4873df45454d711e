"""Sync: the README must be exactly what the catalogue renders.

The README is generated; a hand edit is lost at the next ``medad render``, so
a difference is an error pointing at the first line that differs.
"""

from __future__ import annotations

from collections.abc import Iterator

from awesome_medad.lint.base import CatalogueSubject, Rule, Settings
from awesome_medad.markdown import Document
from awesome_medad.problems import Level, Location, Problem

README_STALE = Rule("readme-stale", Level.ERROR, "The README is not what the catalogue renders.")
RULES = (README_STALE,)


def first_difference(current: str, wanted: str) -> tuple[int, str, str]:
    """``(line, current_line, wanted_line)`` of the first line where the texts differ."""
    have, want = current.split("\n"), wanted.split("\n")
    for number, (a, b) in enumerate(zip(have, want, strict=False), start=1):
        if a != b:
            return number, a, b
    number = min(len(have), len(want))
    longer = have if len(have) > len(want) else want
    extra = longer[number] if number < len(longer) else ""
    return number + 1, (extra if longer is have else ""), (extra if longer is want else "")


def check_catalogue(subject: CatalogueSubject, settings: Settings) -> Iterator[Problem]:
    catalogue_at = Location(subject.path)
    if subject.readme_text is None:
        yield README_STALE.problem(
            Location(subject.readme_path), f"{subject.readme_path} does not exist",
            hint="run `medad render` to generate it", related=(catalogue_at,))
        return
    if subject.in_sync:
        return
    line, have, want = first_difference(subject.readme_text, subject.rendered)
    shown = want if len(want) <= 80 else want[:77] + "..."
    yield README_STALE.problem(
        Location(subject.readme_path, line, 1),
        f"{subject.readme_path} is not what {subject.path} renders (first difference at line "
        f"{line}; expected {shown!r})", hint="run `medad render`", related=(catalogue_at,))


def check_markdown(doc: Document, settings: Settings) -> Iterator[Problem]:
    return iter(())
