"""The one report module: a list of :class:`Problem` -> text, json, github or sarif.

``medad lint``, the live link check and ``medad add`` all print their findings
through here, so every kind of finding looks the same in every format.

``text`` (the default on a terminal) groups findings by file, one line each
(``line:column  level  message  [rule]``) followed by their breadcrumb, hint
and related places, and ends with one summary line counting each level.
Colour (via rich) is used only on a terminal, and never when ``NO_COLOR`` is
set or ``TERM=dumb``.

``json`` is a stable object (version 1); new keys may be added, none removed::

    {
      "version": 1,
      "problems": [
        {
          "path": "data/papers.yaml",    # as given on the command line
          "line": 12, "column": 7,       # 1-based; 0 when unknown
          "rule": "url-insecure",        # the rule id configs and suppressions use
          "level": "warning",            # "error" | "warning" | "info"
          "message": "plain http:// link: http://example.org/a.pdf",
          "hint": "use https:// ...",    # "" when there is none
          "breadcrumb": ["papers", 3, "links", "pdf"],   # [] outside structured files
          "related": [{"path": "README.md", "line": 40, "column": 3}]
        }
      ],
      "summary": {"error": 0, "warning": 1, "info": 0, "total": 1, "files": 1}
    }

``github`` prints workflow commands (``::warning file=..,line=..,col=..,title=RULE::message``)
grouped per file with ``::group::``; ``--format auto`` picks it when
``GITHUB_ACTIONS=true``.  ``sarif`` is SARIF 2.1.0 for code-scanning upload.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from awesome_medad import __version__
from awesome_medad.problems import Level, Location, Problem, sorted_problems

FORMATS = ("auto", "text", "json", "github", "sarif")
JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL_ORDER = (Level.ERROR, Level.WARNING, Level.INFO)
_STYLES = {Level.ERROR: "bold red", Level.WARNING: "yellow", Level.INFO: "cyan"}
RuleCatalogue = Mapping[str, tuple[str, Level]]


def resolve_format(requested: str, environ: Mapping[str, str]) -> str:
    """``auto`` -> ``github`` inside GitHub Actions, else ``text``."""
    if requested != "auto":
        return requested
    return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"


def color_enabled(environ: Mapping[str, str], isatty: bool) -> bool:
    """Colour only on a terminal, and not when ``NO_COLOR`` is set or ``TERM=dumb``."""
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    return isatty


def summary(problems: Sequence[Problem]) -> dict[str, int]:
    counts = {level.value: 0 for level in _LEVEL_ORDER}
    for found in problems:
        counts[found.level.value] += 1
    return {**counts, "total": len(problems), "files": len({p.path for p in problems})}


def summary_line(problems: Sequence[Problem]) -> str:
    """``3 problems (1 error, 2 warnings, 0 info)`` or ``no problems``."""
    if not problems:
        return "no problems"
    counts = summary(problems)
    total = counts["total"]
    errors, warnings = counts["error"], counts["warning"]
    return (f"{total} problem{'s' * (total != 1)} ({errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}, {counts['info']} info)")


def _by_file(problems: Sequence[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for found in sorted_problems(problems):
        grouped.setdefault(found.path, []).append(found)
    return grouped


def _position(found: Problem) -> str:
    return f"{found.line}:{found.column}" if found.line else "-"


# -- text --------------------------------------------------------------------------------------

def to_text(problems: Sequence[Problem], color: bool = False) -> str:
    """Findings grouped by file, then the summary line (rich markup when ``color``)."""
    from rich.console import Console
    from rich.text import Text

    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, width=100_000,
                      highlight=False, emoji=False, markup=False, soft_wrap=True)
    for path, found in _by_file(problems).items():
        console.print(Text(path, style="bold underline"))
        width = max(len(_position(p)) for p in found)
        for problem in found:
            _print_problem(console, problem, width)
        console.print()
    style = "bold red" if any(p.level is Level.ERROR for p in problems) else (
        "bold yellow" if problems else "bold green")
    console.print(Text(summary_line(problems), style=style))
    return buffer.getvalue()


def _print_problem(console: Any, found: Problem, width: int) -> None:
    from rich.text import Text

    line = Text("  ")
    line.append(_position(found).ljust(width), style="dim")
    line.append("  ")
    line.append(found.level.value.ljust(7), style=_STYLES[found.level])
    line.append("  ")
    line.append(found.message)
    line.append("  ")
    line.append(f"[{found.rule}]", style="dim")
    console.print(line)
    indent = " " * (width + 4)
    details = [("at", found.trail)] if found.breadcrumb else []
    details += [("hint", found.hint)] if found.hint else []
    details += [("see", str(place)) for place in found.related]
    for label, value in details:
        console.print(Text(f"{indent}{label}: ", style="dim") + Text(value))


# -- json --------------------------------------------------------------------------------------

def _place(location: Location) -> dict[str, Any]:
    return {"path": location.path, "line": location.line, "column": location.column}


def to_json(problems: Sequence[Problem]) -> str:
    """The documented JSON object (see the module docstring), indented, ending in a newline."""
    items = [
        {**_place(p.location), "rule": p.rule, "level": p.level.value, "message": p.message,
         "hint": p.hint, "breadcrumb": list(p.breadcrumb),
         "related": [_place(r) for r in p.related]}
        for p in sorted_problems(problems)
    ]
    document = {"version": JSON_VERSION, "problems": items, "summary": summary(problems)}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- github --------------------------------------------------------------------------------------

_GITHUB_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _full_message(found: Problem, separator: str) -> str:
    parts = [f"{found.trail}: {found.message}" if found.breadcrumb else found.message]
    if found.hint:
        parts.append(f"hint: {found.hint}")
    parts += [f"see: {place}" for place in found.related]
    return separator.join(parts)


def to_github(problems: Sequence[Problem]) -> str:
    """GitHub Actions workflow commands, one group per file, then the summary line."""
    lines: list[str] = []
    for path, found in _by_file(problems).items():
        lines.append(f"::group::{_escape_data(path)}")
        for problem in found:
            props = [f"file={_escape_property(path)}"]
            if problem.line:
                props.append(f"line={problem.line}")
                if problem.column:
                    props.append(f"col={problem.column}")
            props.append(f"title={_escape_property(problem.rule)}")
            message = _escape_data(_full_message(problem, "\n"))
            lines.append(f"::{_GITHUB_LEVEL[problem.level]} {','.join(props)}::{message}")
        lines.append("::endgroup::")
    lines.append(summary_line(problems))
    return "\n".join(lines) + "\n"


# -- sarif ---------------------------------------------------------------------------------------

_SARIF_LEVEL = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "note"}


def _uri(path: str) -> str:
    candidate = Path(path)
    return candidate.as_uri() if candidate.is_absolute() else path.replace("\\", "/")


def _physical(location: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(location.path)}}
    if location.line:
        region: dict[str, int] = {"startLine": location.line}
        if location.column:
            region["startColumn"] = location.column
        physical["region"] = region
    return physical


def to_sarif(problems: Sequence[Problem], rules: RuleCatalogue | None = None) -> str:
    """A SARIF 2.1.0 log with one run; ``rules`` gives descriptions and default levels."""
    rules = rules or {}
    ids = sorted({p.rule for p in problems})
    descriptors = []
    for rule in ids:
        text, level = rules.get(rule, (rule, Level.WARNING))
        descriptors.append({"id": rule, "shortDescription": {"text": text},
                            "defaultConfiguration": {"level": _SARIF_LEVEL[level]}})
    results = []
    for found in sorted_problems(problems):
        result: dict[str, Any] = {
            "ruleId": found.rule, "ruleIndex": ids.index(found.rule),
            "level": _SARIF_LEVEL[found.level],
            "message": {"text": _full_message(found, "\n")},
            "locations": [{"physicalLocation": _physical(found.location)}],
        }
        if found.related:
            result["relatedLocations"] = [{"id": i, "physicalLocation": _physical(place)}
                                          for i, place in enumerate(found.related)]
        results.append(result)
    driver = {"name": "medad", "version": __version__, "rules": descriptors}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": driver}, "results": results}]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


MARKDOWN_ROW_LIMIT = 500


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(problems: Sequence[Problem], title: str = "medad lint") -> str:
    """A Markdown table for GitHub's job summary (``$GITHUB_STEP_SUMMARY``).

    Errors first, then warnings and info; at most :data:`MARKDOWN_ROW_LIMIT`
    rows (the summary is meant to be read, the JSON report holds everything).
    """
    ordered = sorted(problems, key=lambda p: (p.level.rank, *p.sort_key()))
    lines = [f"### {title}: {summary_line(ordered)}", ""]
    if not ordered:
        return "\n".join(lines)
    lines += ["| level | rule | where | message |", "|---|---|---|---|"]
    for found in ordered[:MARKDOWN_ROW_LIMIT]:
        message = _full_message(found, "; ")
        lines.append(f"| {found.level.value} | `{found.rule}` | `{found.location}` | "
                     f"{_cell(message)} |")
    if len(ordered) > MARKDOWN_ROW_LIMIT:
        lines.append(f"\n... and {len(ordered) - MARKDOWN_ROW_LIMIT} more (see the JSON report)")
    return "\n".join(lines) + "\n"


def render_report(problems: Iterable[Problem], fmt: str, *, color: bool = False,
                  rules: RuleCatalogue | None = None) -> str:
    """``problems`` in format ``fmt`` (``text``, ``json``, ``github`` or ``sarif``)."""
    found = list(problems)
    if fmt == "json":
        return to_json(found)
    if fmt == "github":
        return to_github(found)
    if fmt == "sarif":
        return to_sarif(found, rules)
    if fmt == "text":
        return to_text(found, color)
    raise ValueError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS[1:])}")
