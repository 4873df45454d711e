"""Command-line interface: parse options, call the library, map errors to exit codes.

Exit codes: 0 ok, 1 findings (lint errors, a stale README under --check),
2 usage errors or invalid input.  Library modules are imported inside each
command so that ``medad --version`` stays as quick as importing click.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from awesome_medad import __version__

if TYPE_CHECKING:  # for annotations only: the modules themselves are imported by each command
    from awesome_medad.add import Added
    from awesome_medad.catalogue import Catalogue
    from awesome_medad.config import Config
    from awesome_medad.errors import InvalidInput
    from awesome_medad.fixes import Fix, LiveResult
    from awesome_medad.links import LinkSettings, LiveCheck
    from awesome_medad.problems import Problem
    from awesome_medad.report import RuleCatalogue

F = TypeVar("F", bound=Callable[..., Any])
# The values of the live link check's options (link_check_options): numbers, flags, a path.
LinkOption = int | float | bool | Path | None
DEFAULT_CATALOGUE = "data/papers.yaml"
DEFAULT_README = "README.md"


def catalogue_option(func: F) -> F:
    """``--catalogue PATH``, shared by every command that reads the catalogue."""
    option = click.option(
        "--catalogue", "catalogue_path", default=DEFAULT_CATALOGUE, show_default=True,
        type=click.Path(dir_okay=False, path_type=Path), help="The YAML catalogue to read.",
    )
    return option(func)


def _remember(ctx: click.Context, param: click.Parameter, value: int) -> None:
    """Keep -q/-v in the context's shared ``meta``, so group and command options add up."""
    if value:
        key = f"medad.{param.name}"
        ctx.meta[key] = ctx.meta.get(key, 0) + int(value)


def verbosity() -> int:
    """-1 under ``-q``, 0 by default, 1+ for each ``-v`` (on the group or the command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return 0
    if ctx.meta.get("medad.quiet"):
        return -1
    return int(ctx.meta.get("medad.verbose", 0))


def note(message: str) -> None:
    """A notice on stderr (warnings, summaries, "dry run"); silenced by ``-q``."""
    if verbosity() >= 0:
        click.echo(message, err=True)


def detail(message: str) -> None:
    """Extra detail on stderr (what was read and written, counts); shown with ``-v``."""
    if verbosity() >= 1:
        click.echo(message, err=True)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def verbosity_options(command: F) -> F:
    """``-q/--quiet`` and ``-v/--verbose``, the same on the group and on every command."""
    quiet = click.option("-q", "--quiet", is_flag=True, expose_value=False, is_eager=True,
                         callback=_remember,
                         help="Only results and errors: no notices, summaries or progress.")
    verbose = click.option("-v", "--verbose", count=True, expose_value=False, is_eager=True,
                           callback=_remember,
                           help="More detail on stderr: files read and written, counts.")
    return quiet(verbose(command))


class MedadGroup(click.Group):
    """The command group; Ctrl-C exits 130 (the shell's convention), not click's 1 = findings."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("medad: interrupted (files are replaced atomically: none was left "
                       "half-written)", err=True)
            ctx.exit(130)


@click.group(cls=MedadGroup, context_settings={"help_option_names": ["-h", "--help"]},
             epilog="Shell completion: eval \"$(_MEDAD_COMPLETE=bash_source medad)\" "
                    "(zsh_source, fish_source for other shells).")
@click.version_option(__version__, "--version", prog_name="medad")
@verbosity_options
def main() -> None:
    """Keep a curated paper list honest: YAML catalogue -> README, lint, link check.

    Example: medad render && medad lint --offline
    """


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

    catalogue = load_catalogue(catalogue_path)
    text = render_markdown(catalogue)
    detail(f"read {catalogue_path}: {_plural(len(catalogue.papers), 'paper')}, "
           f"{_plural(sum(1 for _ in catalogue.walk()), 'section')}")
    if check:
        if output == "-":
            raise click.UsageError("--check compares against a file; give --output PATH")
        _check_rendered(Path(output), text, catalogue_path)
    elif output == "-":
        click.echo(text, nl=False)
    else:
        from awesome_medad.fsutil import atomic_write

        atomic_write(output, text)
        detail(f"wrote {output} ({len(text.encode()):,} bytes)")


def _check_rendered(path: Path, text: str, catalogue_path: Path) -> None:
    import difflib

    from awesome_medad.yamlsource import read_text

    if not path.exists():
        click.echo(f"{path} does not exist; run `medad render`", err=True)
        sys.exit(1)
    current = read_text(path, str(path))  # not UTF-8, a directory: exit 2 with a position
    if path.read_bytes() == text.encode("utf-8"):
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



def _write_output(output: str, text: str) -> None:
    """Standard output for ``-``, else an atomic write (a failed command leaves the file)."""
    if output == "-":
        click.echo(text, nl=False)
        return
    from awesome_medad.fsutil import atomic_write

    atomic_write(output, text)
    detail(f"wrote {output} ({len(text.encode()):,} bytes)")


@main.command("export")
@catalogue_option
@click.option("--format", "fmt", type=click.Choice(["bibtex", "csl-json", "csv", "json"]),
              default="bibtex", show_default=True, help="What to write.")
@click.option("--output", "-o", default="-", show_default=True,
              help="Where to write; '-' for standard output.")
@click.option("--section", "sections", multiple=True, metavar="PATH",
              help="Only papers under this section path (prefix); repeat for several.")
@click.option("--year", "year", metavar="YEAR|FROM-TO", help="Only papers of a year or range.")
def export_command(catalogue_path: Path, fmt: str, output: str, sections: tuple[str, ...],
                   year: str | None) -> None:
    """Export the papers as BibTeX, CSL-JSON, CSV or JSON (one record per paper).

    Example: medad export --format bibtex --section deep-learning --year 2019-2020 -o papers.bib
    """
    from awesome_medad.catalogue import load_catalogue
    from awesome_medad.export import export, parse_years, select

    catalogue = load_catalogue(catalogue_path)
    years = parse_years(year) if year is not None else None
    if (sections or years) and not select(catalogue, sections, years):
        note("warning: no paper matches the --section/--year filters")
    _write_output(output, export(catalogue, fmt, sections, years))


@main.command()
@catalogue_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Tables for people or JSON for scripts.")
@click.option("--chart", type=click.Path(dir_okay=False, path_type=Path), metavar="PATH.svg",
              help="Also write papers per year, stacked by modality, as an SVG chart.")
@click.option("--cache-dir", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Where the link checker keeps its results (for link health) "
                   "[default: links: cache of the configuration, else .medad-cache].")
def stats(catalogue_path: Path, fmt: str, chart: Path | None, cache_dir: Path | None) -> None:
    """Show papers per family x modality, per year, top venues and link health.

    Example: medad stats --chart docs/papers-per-year.svg
    """
    import json
    import os
    import shutil

    from awesome_medad.catalogue import load_catalogue
    from awesome_medad.config import load_config
    from awesome_medad.stats import chart_svg, compute, render_tables

    catalogue = load_catalogue(catalogue_path)
    if cache_dir is None:
        cache_dir = _link_settings(load_config()).cache_dir
    numbers = compute(catalogue, cache_dir)
    if chart is not None:
        _write_output(str(chart), chart_svg(catalogue))
    if fmt == "json":
        click.echo(json.dumps(numbers.as_json(), indent=2, ensure_ascii=False))
        return
    tty = sys.stdout.isatty()
    color = tty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
    width = shutil.get_terminal_size().columns if tty else None
    click.echo(render_tables(numbers, width=width, color=color), nl=False)


@main.command()
@catalogue_option
@click.option("--output", "-o", default="_site", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write index.html into (created if missing).")
def site(catalogue_path: Path, output: Path) -> None:
    """Build the searchable one-page site (index.html; works offline and on GitHub Pages).

    Example: medad site --catalogue data/papers.yaml --output _site
    """
    from awesome_medad.catalogue import load_catalogue
    from awesome_medad.site import write_site

    written = write_site(load_catalogue(catalogue_path), output, str(catalogue_path))
    detail(f"wrote {written}")


def link_check_options(func: F) -> F:
    """Options of the live link check (``medad lint`` without ``--offline``).

    Defaults come from the ``links`` section of the configuration, else from
    ``awesome_medad.links.settings.LinkSettings`` (16 in flight, 2 per host,
    0.2 s between requests to one host, 20 s per request, cache in .medad-cache/).
    """
    options = [
        click.option("--concurrency", type=click.IntRange(min=1), default=None,
                     help="Requests in flight over all hosts [default: 16]."),
        click.option("--per-host", type=click.IntRange(min=1), default=None,
                     help="Requests in flight to one host [default: 2]."),
        click.option("--host-interval", type=click.FloatRange(min=0), default=None,
                     metavar="SECONDS", help="Pause between two requests to one host "
                     "[default: 0.2]."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=None, metavar="SECONDS",
                     help="Time allowed for one request, answer included [default: 20]."),
        click.option("--no-cache", is_flag=True,
                     help="Neither read nor write the link cache (check every URL)."),
        click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                     default=None, help="Link cache directory [default: .medad-cache]."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _link_settings(config: Config) -> LinkSettings:
    """The link-check settings of the configuration and environment; a bad value exits 2."""
    import os

    from awesome_medad.errors import InvalidInput
    from awesome_medad.links.settings import LinkSettings
    from awesome_medad.problems import Level, Location, Problem

    try:
        return LinkSettings.from_config(config.links, config.api, os.environ)
    except ValueError as exc:
        where = Location(config.path or "<configuration>")
        raise InvalidInput([Problem(where, "invalid", Level.ERROR, str(exc))],
                           "invalid link-check configuration") from None


def _live_check(config: Config, fmt: str, opts: Mapping[str, LinkOption]) -> LiveCheck:
    """The live link check for the lint runner, configured from file, options and environment."""
    import os

    from awesome_medad.links import LiveCheck
    from awesome_medad.links.progress import ProgressBar, progress_wanted

    settings = _link_settings(config).with_options(
        concurrency=opts["concurrency"], per_host=opts["per_host"],
        host_interval=opts["host_interval"], request_deadline=opts["timeout"],
        cache_dir=opts["cache_dir"], cache=False if opts["no_cache"] else None)
    wanted = verbosity() >= 0 and progress_wanted(fmt, sys.stderr, dict(os.environ))
    bar = ProgressBar(sys.stderr) if wanted else None
    return LiveCheck(settings, bar)


@main.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@catalogue_option
@click.option("--readme", "readme_path", default=DEFAULT_README, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="The rendered README to check against the catalogue.")
@click.option("--offline", is_flag=True, help="Skip the live HTTP link check.")
@link_check_options
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", "text", "json", "github", "sarif"]),
              help="Output format; auto is github under GitHub Actions, else text.")
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option("--summary", "summary_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also append a Markdown table of the findings to this file "
                   "(e.g. \"$GITHUB_STEP_SUMMARY\").")
@click.option("--fix", is_flag=True,
              help="First apply safe fixes to the catalogue (arXiv link form), reporting each.")
@click.option("--config", "config_path", default=None,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Configuration file (default: .medad.yaml or [tool.medad] in pyproject.toml).")
def lint(files: tuple[Path, ...], catalogue_path: Path, readme_path: Path, offline: bool,
         fmt: str, strict: bool, config_path: Path | None, fix: bool = False,
         summary_path: Path | None = None,
         **link_opts: LinkOption) -> None:
    """Check the catalogue and README (or Markdown FILES): anchors, duplicates, links.

    Exit 0 when there are no errors, 1 when there are (or warnings with
    --strict), 2 for usage errors and unreadable or invalid input.

    Examples: medad lint --offline; medad lint --format json; medad lint other-list.md
    """
    import os

    from awesome_medad.config import load_config
    from awesome_medad.errors import InvalidInput
    from awesome_medad.lint.runner import all_rules, lint_catalogue, lint_markdown
    from awesome_medad.problems import has_errors
    from awesome_medad.report import color_enabled, render_report, resolve_format

    chosen = resolve_format(fmt, os.environ)
    rules = {rule.id: (rule.summary, rule.level) for rule in all_rules()}
    try:
        config = load_config(config_path)
        live = None
        if not offline:
            live = _live_check(config, chosen, link_opts)
        if fix and files:
            raise click.UsageError("--fix edits the catalogue; it does not take Markdown FILES")
        if fix:
            problems = _lint_and_fix(catalogue_path, readme_path, config, live)
        elif files:
            problems = lint_markdown(list(files), config, live)
        else:
            problems = lint_catalogue(catalogue_path, readme_path, config, live)
    except InvalidInput as exc:
        _report_invalid(exc, chosen, rules)
        sys.exit(2)
    if summary_path is not None:
        _append_summary(summary_path, problems)
    color = chosen == "text" and color_enabled(os.environ, sys.stdout.isatty())
    click.echo(render_report(problems, chosen, color=color, rules=rules), nl=False)
    if live is not None and live.report is not None and chosen == "text":
        note(live.report.summary())
    sys.exit(1 if has_errors(problems, strict) else 0)


def _append_summary(path: Path, problems: list[Problem]) -> None:
    """Append the Markdown table (GitHub's step summary file is appended to, by design)."""
    from awesome_medad.errors import WriteError
    from awesome_medad.report import to_markdown

    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(to_markdown(problems) + "\n")
    except OSError as exc:
        raise WriteError(f"cannot write the summary to {path}: {exc.strerror or exc}") from exc
    detail(f"appended the summary table to {path}")


def _report_invalid(exc: InvalidInput, fmt: str, rules: RuleCatalogue) -> None:
    """Bad input: every problem on stderr (``file:line:col: level: breadcrumb: message``).

    Machine formats also get them on stdout, so CI annotations show where the input is broken.
    """
    from awesome_medad.report import render_report

    head = exc.message.split("\n", 1)[0]
    click.echo(f"medad: invalid input: {head}", err=True)
    for found in exc.problems:
        click.echo(str(found), err=True)
    if fmt != "text":
        click.echo(render_report(exc.problems, fmt, rules=rules), nl=False)


# -- adding, importing, formatting, fixing (issue 5) -------------------------------------------


def _stdin_is_tty() -> bool:
    """Whether prompts can be answered (a terminal on standard input)."""
    return sys.stdin.isatty()


def _read_catalogue(catalogue_path: Path) -> tuple[str, Catalogue]:
    """The catalogue's exact text (a BOM kept, for byte-preserving edits) and its model."""
    from awesome_medad.catalogue import build_catalogue
    from awesome_medad.yamlsource import load, read_text

    text = read_text(catalogue_path, str(catalogue_path))  # size, encoding: positioned errors
    exact = catalogue_path.read_bytes().decode("utf-8")
    return exact, build_catalogue(*load(text, str(catalogue_path)))


def _prompt_sections(catalogue: Catalogue) -> tuple[str, ...]:
    from awesome_medad.add import section_choices

    choices = section_choices(catalogue)
    click.echo("Sections:", err=True)
    for number, (path, heading) in enumerate(choices, start=1):
        click.echo(f"  {number:2d}. {heading}  ({path})", err=True)
    answer = click.prompt("Section number(s) or path(s), comma-separated", err=True)
    picked: list[str] = []
    for part in (p.strip() for p in answer.split(",") if p.strip()):
        if part.isdigit() and 1 <= int(part) <= len(choices):
            picked.append(choices[int(part) - 1][0])
        else:
            picked.append(part)
    return tuple(picked)


def _missing(what: str, catalogue: Catalogue | None = None) -> click.UsageError:
    if catalogue is None:
        return click.UsageError(f"{what} is missing (and --no-input, or no terminal, forbids "
                                "asking)")
    paths = ", ".join(s.path for s in catalogue.walk())
    return click.UsageError(f"{what} is missing; choose with --section PATH from: {paths}")


@main.command()
@click.argument("source", required=False, metavar="[ARXIV_ID_OR_DOI]")
@catalogue_option
@click.option("--section", "sections", multiple=True, metavar="PATH",
              help="Section path (or a leaf id used once); repeat to cross-list.")
@click.option("--title", help="Title (overrides the fetched one).")
@click.option("--authors", multiple=True, help="Authors, separated by ';' (or ',').")
@click.option("--et-al", is_flag=True, help="The author list is truncated.")
@click.option("--venue", help="Venue as shown, e.g. MICCAI'20 (default from metadata).")
@click.option("--year", type=click.IntRange(1800, 2200), help="Publication year.")
@click.option("--short", help="Short name shown in bold after the title.")
@click.option("--pdf", help="The paper link (default: arXiv abstract page or doi.org).")
@click.option("--code", help="Code repository URL.")
@click.option("--link", "links", multiple=True, metavar="KIND=URL", help="Any other link.")
@click.option("--arxiv", "arxiv_option", help="arXiv id to record.")
@click.option("--doi", "doi_option", help="DOI to record.")
@click.option("--id", "paper_id", help="Paper id (default: surname + year + first word).")
@click.option("--dry-run", is_flag=True, help="Print the block that would be added; write nothing.")
@click.option("--render", "render_readme", is_flag=True, help="Also regenerate the README.")
@click.option("--readme", "readme_path", default=DEFAULT_README, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path), help="README for --render.")
@click.option("--no-input", is_flag=True, help="Never prompt; a missing value is an error.")
def add(source: str | None, catalogue_path: Path, sections: tuple[str, ...], title: str | None,
        authors: tuple[str, ...], et_al: bool, venue: str | None, year: int | None,
        short: str | None, pdf: str | None, code: str | None, links: tuple[str, ...],
        arxiv_option: str | None, doi_option: str | None, paper_id: str | None, dry_run: bool,
        render_readme: bool, readme_path: Path, no_input: bool) -> None:
    """Add a paper: by arXiv id/URL, DOI/doi.org URL, or by hand with --title.

    The block is appended to the catalogue with every other byte unchanged.
    A paper already in the catalogue (same arXiv id, DOI or title) is refused
    with exit 1, naming the existing entry's line.

    Examples: medad add 2007.13559 --section deep-learning/brain-mri;
    medad add 10.1016/j.media.2020.101713 --section brain-ct --render;
    medad add --title "A Title" --venue "MICCAI'20" --section not-yet-public
    """
    from awesome_medad.add import Request, append_paper, build_paper, parse_link, split_authors
    from awesome_medad.config import load_config
    from awesome_medad.metadata import fetch

    text, catalogue = _read_catalogue(catalogue_path)
    can_prompt = not no_input and _stdin_is_tty()
    meta = fetch(source, api=load_config().api) if source else None
    if not sections:
        if not can_prompt:
            raise _missing("the section", catalogue)
        sections = _prompt_sections(catalogue)
    names = tuple(name for value in authors for name in split_authors(value))
    if meta is None and not title:
        if not can_prompt:
            raise _missing("--title (or an arXiv id or DOI)")
        title = click.prompt("Title", err=True)
        names = names or split_authors(click.prompt("Authors (';'-separated)", default="",
                                                    err=True))
        venue = venue or click.prompt("Venue, e.g. MICCAI'20", default="", err=True) or None
    request = Request(sections, title, names, et_al, venue, year, short, pdf, code,
                      tuple(parse_link(v) for v in links), arxiv_option, doi_option, paper_id)
    added = append_paper(text, catalogue, build_paper(catalogue, request, meta),
                         str(catalogue_path))
    for warning in added.warnings:
        note(str(warning))
    if dry_run:
        click.echo("\n".join(added.block))
        note(f"dry run: {catalogue_path} not changed")
        return
    _write_added(catalogue_path, added, render_readme, readme_path)


def _write_added(catalogue_path: Path, added: Added, render_readme: bool,
                 readme_path: Path) -> None:
    """Write the catalogue (and README): both or neither, README rendered before any write."""
    from awesome_medad.catalogue import build_catalogue
    from awesome_medad.fsutil import write_together
    from awesome_medad.render import render as render_markdown
    from awesome_medad.yamlsource import load

    readme = render_markdown(build_catalogue(*load(added.text, str(catalogue_path))))
    write_together([(catalogue_path, added.text), *([(readme_path, readme)] if render_readme
                                                     else [])])
    where = f"{catalogue_path}:{added.line}"
    click.echo(f"added {added.paper.id} at {where} in {', '.join(added.paper.sections)}"
               + (f"; {readme_path} regenerated" if render_readme else ""))


@main.command("import")
@click.argument("list_path", metavar="LIST.md",
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--output", "-o", required=True, help="The catalogue to write; '-' for stdout.")
@click.option("--force", is_flag=True, help="Overwrite --output if it exists.")
@click.option("--report", is_flag=True, help="Print how many entries were structured vs raw.")
def import_command(list_path: Path, output: str, force: bool, report: bool) -> None:
    """Turn an existing awesome list into a catalogue.

    Headings become sections, entries become papers; entries it cannot read
    are kept verbatim as raw entries and reported as warnings with their line.

    Example: medad import README.md --output data/papers.yaml --report
    """
    from awesome_medad.importer import import_file, report_lines, to_yaml

    if output != "-" and Path(output).exists() and not force:
        raise click.UsageError(f"{output} already exists; pass --force to overwrite it")
    result = import_file(list_path)
    text = to_yaml(result)  # proven to load; a problem names the Markdown line, never --output
    for found in result.problems:
        note(str(found))
    _write_output(output, text)
    if report:
        for line in report_lines(result):
            click.echo(line, err=output == "-")


@main.command()
@catalogue_option
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 with a diff when the file is not formatted.")
def fmt(catalogue_path: Path, check: bool) -> None:
    """Normalise the catalogue's layout (key order, quoting, indentation); content unchanged.

    The comment block at the top of the file is kept; comments elsewhere
    would be lost, so their presence is an error naming each line.

    Example: medad fmt --check
    """
    import difflib

    from awesome_medad.yamledit import format_catalogue
    from awesome_medad.yamlsource import read_text

    read_text(catalogue_path, str(catalogue_path))  # size, encoding: positioned errors
    current = catalogue_path.read_bytes().decode("utf-8")
    formatted = format_catalogue(current, str(catalogue_path))
    if current == formatted:
        return
    if check:
        diff = difflib.unified_diff(current.splitlines(keepends=True),
                                    formatted.splitlines(keepends=True),
                                    f"{catalogue_path} (on disk)", f"{catalogue_path} (formatted)")
        click.echo("".join(diff), nl=False)
        click.echo(f"{catalogue_path} is not formatted: run `medad fmt`", err=True)
        sys.exit(1)
    from awesome_medad.fsutil import atomic_write

    atomic_write(catalogue_path, formatted)
    click.echo(f"formatted {catalogue_path}")


def _lint_and_fix(catalogue_path: Path, readme_path: Path, config: Config,
                  live: LiveCheck | None) -> list[Problem]:
    """``lint --fix``: plan the fixes, lint, and write only if every input proved valid.

    The lint reads the catalogue as it would be written (a temporary copy,
    reported under the catalogue's own name, so findings point into the real
    file) and the README; an ``InvalidInput`` from either leaves before
    anything is written.  Then the fixes the live check made possible are
    added, and all of them are written in one atomic write and reported: the
    fixes reported are exactly those written.
    """
    import tempfile

    from awesome_medad.fsutil import atomic_write
    from awesome_medad.lint.runner import lint_catalogue

    text, catalogue = _read_catalogue(catalogue_path)
    text, fixes = _apply_fixes(catalogue_path, text, catalogue)
    if fixes:
        with tempfile.TemporaryDirectory(prefix="medad-fix-") as scratch:
            planned = Path(scratch) / catalogue_path.name
            planned.write_bytes(text.encode("utf-8"))
            problems = lint_catalogue(planned, readme_path, config, live,
                                      display=str(catalogue_path))
    else:
        problems = lint_catalogue(catalogue_path, readme_path, config, live)
    if live is not None and live.report is not None:
        text, found, problems = _apply_live_fixes(catalogue_path, text, live.report.outcomes,
                                                  problems)
        fixes += found
    if fixes:
        atomic_write(catalogue_path, text)
        for fix in fixes:
            note(str(fix))
        note(f"medad: {len(fixes)} fix(es) applied to {catalogue_path}")
    return problems


def _apply_fixes(catalogue_path: Path, text: str, catalogue: Catalogue | None = None,
                 results: Mapping[str, LiveResult] | None = None) -> tuple[str, list[Fix]]:
    """``text`` with the safe link fixes applied, and the fixes; in memory, nothing written."""
    from awesome_medad.catalogue import build_catalogue
    from awesome_medad.fixes import apply_fixes, plan_fixes
    from awesome_medad.yamlsource import load

    if catalogue is None:
        catalogue = build_catalogue(*load(text.removeprefix("\ufeff"), str(catalogue_path)))
    fixes = plan_fixes(catalogue, results)
    return apply_fixes(text, fixes, str(catalogue_path)), fixes


def _apply_live_fixes(catalogue_path: Path, text: str, outcomes: Mapping[str, LiveResult],
                      problems: list[Problem]) -> tuple[str, list[Fix], list[Problem]]:
    """Fixes the live check made possible (permanent redirects, proven https); their findings go.

    The offline fixes were planned before linting; these after, so the findings
    they settle (``link-redirect``, ``link-https``, ``url-insecure`` at the fixed link) are
    dropped.
    """
    text, fixes = _apply_fixes(catalogue_path, text, results=outcomes)
    fixed = {fix.location for fix in fixes}
    settled = {"link-redirect", "link-https", "url-insecure"}
    return text, fixes, [p for p in problems if not (p.location in fixed and p.rule in settled)]


for _command in main.commands.values():
    verbosity_options(_command)
