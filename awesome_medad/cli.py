"""Command-line interface: parse options, call the library, map errors to exit codes.

Exit codes: 0 ok, 1 findings (lint errors, a stale README under --check),
2 usage errors or invalid input.  Library modules are imported inside each
command so that ``medad --version`` stays as quick as importing click.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from awesome_medad import __version__

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_CATALOGUE = "data/papers.yaml"
DEFAULT_README = "README.md"


def catalogue_option(func: F) -> F:
    """``--catalogue PATH``, shared by every command that reads the catalogue."""
    option = click.option(
        "--catalogue", "catalogue_path", default=DEFAULT_CATALOGUE, show_default=True,
        type=click.Path(dir_okay=False, path_type=Path), help="The YAML catalogue to read.",
    )
    return option(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="medad")
def main() -> None:
    """Keep a curated paper list honest: YAML catalogue -> README, lint, link check."""


@main.command()
@catalogue_option
@click.option("--output", "-o", default=DEFAULT_README, show_default=True,
              help="Where to write the Markdown; '-' for standard output.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 with a diff when the output file is stale.")
def render(catalogue_path: Path, output: str, check: bool) -> None:
    """Render the README from the catalogue.

    Example: medad render --catalogue data/papers.yaml --output README.md
    """
    from awesome_medad.catalogue import load_catalogue
    from awesome_medad.render import render as render_markdown

    text = render_markdown(load_catalogue(catalogue_path))
    if check:
        if output == "-":
            raise click.UsageError("--check compares against a file; give --output PATH")
        _check_rendered(Path(output), text, catalogue_path)
    elif output == "-":
        click.echo(text, nl=False)
    else:
        from awesome_medad.fsutil import atomic_write

        atomic_write(output, text)


def _check_rendered(path: Path, text: str, catalogue_path: Path) -> None:
    import difflib

    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        click.echo(f"{path} does not exist; run `medad render`", err=True)
        sys.exit(1)
    except (OSError, UnicodeDecodeError) as exc:
        raise click.FileError(str(path), str(exc)) from exc
    if current == text:
        return
    diff = difflib.unified_diff(current.splitlines(keepends=True), text.splitlines(keepends=True),
                                f"{path} (on disk)", f"{path} (rendered from {catalogue_path})")
    click.echo("".join(diff), nl=False)
    click.echo(f"{path} is stale: run `medad render` to regenerate it", err=True)
    sys.exit(1)


@main.command()
def schema() -> None:
    """Print the catalogue's JSON Schema (draft 2020-12) for editors and validators.

    Example: medad schema > schema/papers.schema.json
    """
    from awesome_medad.schema import json_schema_text

    click.echo(json_schema_text(), nl=False)

