"""Exceptions the library raises and ``cli.py`` maps to exit codes.

They subclass :class:`click.ClickException` (as mkdocs does) so that a
command that forgets to catch one still prints a one-line message instead of
a traceback.  Exit code 2 means "usage or invalid input"; findings (exit 1)
are not exceptions, they are returned as :class:`Problem` lists.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from awesome_medad.problems import Problem


class MedadError(click.ClickException):
    """Base class: a message for the user, exit code 2."""

    exit_code = 2


SHOWN_PROBLEMS = 200


class InvalidInput(MedadError):
    """Input that cannot be used; carries every problem found, not just the first.

    The message lists at most :data:`SHOWN_PROBLEMS` of them: a broken
    generated file can hold hundreds of thousands, and nobody reads past the
    first screens (``problems`` keeps them all for machine formats).
    """

    def __init__(self, problems: Sequence[Problem], summary: str = "") -> None:
        self.problems = list(problems)
        lines = [str(p) for p in self.problems[:SHOWN_PROBLEMS]]
        hidden = len(self.problems) - len(lines)
        if hidden > 0:
            lines.append(f"... and {hidden:,} more problem(s)")
        count = len(self.problems)
        head = summary or f"{count} problem{'' if count == 1 else 's'} found; nothing was changed"
        super().__init__("\n".join([head, *lines]))


class NetworkError(MedadError):
    """A remote service (arXiv, Crossref, GitHub) could not be reached or answered badly."""


class WriteError(MedadError):
    """A file could not be written; the original is left untouched."""
