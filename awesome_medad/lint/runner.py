"""The lint runner: gather the input, run every check family, apply the configuration.

Two entry points, one per kind of input:

* :func:`lint_catalogue` checks the YAML catalogue (findings at YAML
  ``line:column``) and the README that should be its rendering;
* :func:`lint_markdown` checks any Markdown list (findings at Markdown positions).

Both accept ``live``: a callable that receives every URL the input uses, as
:class:`LinkTarget` objects (the URL, every place it occurs, the paper's
title and the link kind), and returns problems.  It is called *before* the
offline rules and its result is iterated after them, so a checker that
returns a lazy iterable (the live checker does) works while they run.  The live HTTP checker plugs
in there; its findings go through the same levels, ``off`` switches,
suppressions and report as the offline rules.  :func:`collect_link_targets`
builds those targets and can be used on its own.

Suppression: ``lint-ignore: [rule-id]`` on a catalogue paper silences those
rules (``all``: every rule) for findings located in that paper; in Markdown,
an HTML comment ``<!-- lint-ignore: rule-id -->`` does the same for its own
and the next line.  A paper's ``lint-ignore`` naming no known rule would
silently do nothing, so it is reported (``lint-ignore-unknown``, with a
"did you mean").
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType

from awesome_medad.catalogue import Catalogue
from awesome_medad.config import Config
from awesome_medad.lint import anchors, duplicates, hygiene, structure, sync
from awesome_medad.lint.base import (
    CatalogueSubject,
    Occurrence,
    Rule,
    Settings,
    catalogue_occurrences,
    markdown_occurrences,
)
from awesome_medad.markdown import Document, read_markdown
from awesome_medad.problems import Level, Location, Problem, sorted_problems
from awesome_medad.yamlsource import Crumb

FAMILIES: tuple[ModuleType, ...] = (anchors, duplicates, hygiene, sync, structure)
LINT_IGNORE_UNKNOWN = Rule("lint-ignore-unknown", Level.WARNING,
                           "A paper's lint-ignore names a rule that does not exist.")
RULES = (LINT_IGNORE_UNKNOWN,)  # the runner's own: it alone knows every rule id


@dataclass(frozen=True)
class LinkTarget:
    """One use of a URL for the live check: the URL, where it is, the paper's title, the kind.

    The same shape as :class:`awesome_medad.links.LinkTarget` (field for
    field), so the live checker takes these as they are and merges repeated
    URLs itself (fetch once, report at every location).
    """

    url: str
    locations: tuple[Location, ...]
    title: str | None = None
    kind: str | None = None
    breadcrumb: Crumb = ()  # so that a paper's lint-ignore also silences link findings


LiveCheck = Callable[[Sequence[LinkTarget]], Iterable[Problem]]


def all_rules() -> list[Rule]:
    """Every rule: the offline families' and the live link checker's (``links.RULES``)."""
    rules = [rule for family in FAMILIES for rule in family.RULES] + list(RULES)
    try:
        links = importlib.import_module("awesome_medad.links")
    except ImportError:
        return rules
    table = getattr(links, "RULES", {})
    for rule_id, spec in (table.items() if isinstance(table, dict) else ()):
        level, summary = spec
        rules.append(Rule(str(rule_id), Level(level), str(summary)))
    return rules


def _settings(config: Config) -> Settings:
    return Settings(url_ignored=config.url_ignored)


def collect_link_targets(subject: CatalogueSubject | None = None,
                         documents: Sequence[Document] = (),
                         config: Config | None = None) -> list[LinkTarget]:
    """Every use of an http(s) URL, in file order, ignored URLs (``ignore-urls``) left out."""
    config = config or Config()
    found: list[Occurrence] = []
    if subject is not None:
        found.extend(catalogue_occurrences(subject))
    for doc in documents:
        found.extend(markdown_occurrences(doc))
    return [
        LinkTarget(occ.url.strip(), (occ.location,), occ.title or None, occ.kind,
                   tuple(occ.breadcrumb))
        for occ in found
        if occ.url.strip().lower().startswith(("http://", "https://"))
        and not config.url_ignored(occ.url.strip())
    ]


# -- finishing: levels, suppressions --------------------------------------------------------

def apply_config(problems: Iterable[Problem], config: Config,
                 suppressed: Callable[[Problem], bool] = lambda p: False) -> list[Problem]:
    """Stamp configured levels, drop rules that are off and suppressed findings, sort."""
    kept: list[Problem] = []
    seen: set[Problem] = set()
    for found in problems:
        level = config.level(found.rule, found.level)
        if level is None or suppressed(found) or found in seen:
            continue
        seen.add(found)
        kept.append(found if level is found.level else replace(found, level=level))
    return sorted_problems(kept)


def superseded(problems: list[Problem]) -> list[Problem]:
    """Drop ``url-insecure`` where the live check proved https:// works (``link-https``).

    ``url-insecure``'s hint says the live check can tell; where it did, its
    answer (with the https:// URL, and ``--fix`` to apply it) is the one finding.
    """
    proven = {loc for p in problems if p.rule == "link-https" for loc in (p.location, *p.related)}
    if not proven:
        return problems
    return [p for p in problems if not (p.rule == "url-insecure" and p.location in proven)]


def _paper_suppression(subject: CatalogueSubject) -> Callable[[Problem], bool]:
    ignores = {p.index: set(p.lint_ignore) for p in subject.catalogue.papers if p.lint_ignore}

    def suppressed(found: Problem) -> bool:
        crumb = found.breadcrumb
        if len(crumb) < 2 or crumb[0] != "papers" or not isinstance(crumb[1], int):
            return False
        rules = ignores.get(crumb[1], set())
        return found.rule in rules or "all" in rules

    return suppressed


def _unknown_ignores(subject: CatalogueSubject) -> Iterator[Problem]:
    """A ``lint-ignore`` rule id that matches no rule, at its list item, with a did-you-mean."""
    known = sorted({rule.id for rule in all_rules()} | {"all"})
    for paper in subject.catalogue.papers:
        for index, rule in enumerate(paper.lint_ignore):
            if rule in known:
                continue
            close = difflib.get_close_matches(rule, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known)
            crumb: Crumb = (*paper.crumb, "lint-ignore", index)
            yield LINT_IGNORE_UNKNOWN.problem(
                subject.where(crumb), f"'{paper.id}' ignores '{rule}', which is not a rule",
                hint=hint, breadcrumb=crumb)


def _document_suppression(documents: Sequence[Document]) -> Callable[[Problem], bool]:
    by_path = {doc.path: doc for doc in documents if doc.ignores}

    def suppressed(found: Problem) -> bool:
        doc = by_path.get(found.path)
        return doc is not None and doc.suppressed(found.line, found.rule)

    return suppressed


# -- the catalogue -------------------------------------------------------------------------

def reduced_readme(readme: str, catalogue: Catalogue) -> str:
    """The README with generated entry lines blanked (same line count) for a fast parse.

    Only valid when the README equals the rendering.  Then the body (from the
    first section heading to the footer) holds only headings, blank lines and
    entries, and a generated entry line cannot hold a heading, an HTML anchor
    or a ``#fragment`` link unless it contains ``<`` or ``](#``; lines that
    do, and verbatim (``raw``) entries, are kept.  Anchor checks on the
    reduced text are therefore exactly those on the full README.
    """
    lines = readme.split("\n")
    toc = f"## {catalogue.toc_heading}"
    start = lines.index(toc) + 1 if toc in lines else len(lines)
    while start < len(lines) and not lines[start].startswith("#"):
        start += 1
    footer = len(catalogue.footer.strip("\n").split("\n")) + 1 if catalogue.footer else 0
    raw = {line for p in catalogue.papers if p.raw for line in p.raw.split("\n")}
    for i in range(start, len(lines) - footer):
        line = lines[i]
        if line.startswith("- [") and "<" not in line and "](#" not in line and line not in raw:
            lines[i] = ""
    return "\n".join(lines)


def load_subject(catalogue_path: Path, readme_path: Path, display: str | None = None,
                 readme_display: str | None = None) -> CatalogueSubject:
    """Read and validate the catalogue (``InvalidInput`` on bad input) and read the README."""
    from awesome_medad.catalogue import build_catalogue
    from awesome_medad.render import render
    from awesome_medad.yamlsource import load, read_text

    name = display or str(catalogue_path)
    yaml_text = read_text(catalogue_path, name)
    data, source = load(yaml_text, name)
    catalogue = build_catalogue(data, source)
    rendered = render(catalogue)
    readme_name = readme_display or str(readme_path)
    readme_text = read_text(readme_path, readme_name) if readme_path.exists() else None
    subject = CatalogueSubject(catalogue, yaml_text, readme_name, readme_text, rendered)
    if readme_text is not None:
        text = readme_text
        if subject.in_sync:
            text = reduced_readme(readme_text, catalogue)
        subject.readme = read_markdown(text, readme_name)
    return subject


def _families_problems(run: Callable[[ModuleType], Iterator[Problem]]) -> Iterator[Problem]:
    for family in FAMILIES:
        yield from run(family)


def lint_catalogue(catalogue_path: Path, readme_path: Path, config: Config | None = None,
                   live: LiveCheck | None = None, *, display: str | None = None,
                   readme_display: str | None = None) -> list[Problem]:
    """All findings for the catalogue and its README, configured, suppressed and sorted."""
    config = config or Config()
    subject = load_subject(catalogue_path, readme_path, display, readme_display)
    settings = _settings(config)
    # The live check starts first: it may work in the background (links.LiveCheck) while the
    # offline rules run here; its findings are collected after them (the result is sorted).
    pending = live(collect_link_targets(subject, config=config)) if live is not None else ()
    problems = list(_families_problems(lambda f: f.check_catalogue(subject, settings)))
    problems.extend(_unknown_ignores(subject))
    problems.extend(pending)
    readme_docs = [subject.readme] if subject.readme is not None else []
    paper_rule = _paper_suppression(subject)
    doc_rule = _document_suppression(readme_docs)
    return superseded(apply_config(problems, config, lambda p: paper_rule(p) or doc_rule(p)))


# -- Markdown lists ----------------------------------------------------------------------------

def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse one Markdown file (``InvalidInput`` when it cannot be read)."""
    from awesome_medad.yamlsource import read_text

    name = display or str(path)
    return read_markdown(read_text(path, name), name)


def _markdown_problems(doc: Document, settings: Settings) -> Iterator[Problem]:
    for family in FAMILIES:
        yield from family.check_markdown(doc, settings)


def lint_documents(documents: Sequence[Document], config: Config | None = None,
                   live: LiveCheck | None = None) -> list[Problem]:
    """All findings for already parsed Markdown documents."""
    config = config or Config()
    settings = _settings(config)
    pending = live(collect_link_targets(documents=documents, config=config)) \
        if live is not None else ()  # started first, collected last (see lint_catalogue)
    problems: list[Problem] = []
    for doc in documents:
        problems.extend(_markdown_problems(doc, settings))
    problems.extend(pending)
    return superseded(apply_config(problems, config, _document_suppression(documents)))


def lint_markdown(paths: Sequence[Path], config: Config | None = None,
                  live: LiveCheck | None = None) -> list[Problem]:
    """All findings for Markdown files; raises ``InvalidInput`` if one cannot be read."""
    return lint_documents([read_document(path) for path in paths], config, live)
