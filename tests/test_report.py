"""Exact output of every report format."""

from __future__ import annotations

import json

import pytest

from awesome_medad.problems import Level, Location, Problem
from awesome_medad.report import (
    color_enabled,
    render_report,
    resolve_format,
    summary_line,
    to_github,
    to_json,
    to_sarif,
    to_text,
)

PROBLEMS = [
    Problem(Location("data/papers.yaml", 324, 12), "url-insecure", Level.WARNING,
            "plain http:// link: http://x.org/a.pdf", ("papers", 20, "links", "pdf"),
            "use https://"),
    Problem(Location("README.md", 12, 1), "readme-stale", Level.ERROR,
            "README.md is not what data/papers.yaml renders", (), "run `medad render`",
            (Location("data/papers.yaml"),)),
    Problem(Location("data/papers.yaml", 80, 10), "toc-label", Level.INFO,
            "label, with: 100% odd\ncharacters", (), "", (Location("data/papers.yaml", 79, 14),)),
]

TEXT = """\
README.md
  12:1  error    README.md is not what data/papers.yaml renders  [readme-stale]
        hint: run `medad render`
        see: data/papers.yaml

data/papers.yaml
  80:10   info     label, with: 100% odd
characters  [toc-label]
          see: data/papers.yaml:79:14
  324:12  warning  plain http:// link: http://x.org/a.pdf  [url-insecure]
          at: papers -> 20 -> links -> pdf
          hint: use https://

3 problems (1 error, 1 warning, 1 info)
"""

GITHUB = """\
::group::README.md
::error file=README.md,line=12,col=1,title=readme-stale::README.md is not what data/papers.yaml \
renders%0Ahint: run `medad render`%0Asee: data/papers.yaml
::endgroup::
::group::data/papers.yaml
::notice file=data/papers.yaml,line=80,col=10,title=toc-label::label, with: 100%25 odd%0Acharacters\
%0Asee: data/papers.yaml:79:14
::warning file=data/papers.yaml,line=324,col=12,title=url-insecure::papers -> 20 -> links -> pdf: \
plain http:// link: http://x.org/a.pdf%0Ahint: use https://
::endgroup::
3 problems (1 error, 1 warning, 1 info)
"""


def test_text() -> None:
    assert to_text(PROBLEMS) == TEXT


def test_text_without_problems() -> None:
    assert to_text([]) == "no problems\n"


def test_text_in_colour_uses_ansi_codes() -> None:
    coloured = to_text(PROBLEMS, color=True)
    assert "\x1b[" in coloured
    assert "readme-stale" in coloured


def test_json() -> None:
    document = json.loads(to_json(PROBLEMS))
    assert document == {
        "version": 1,
        "problems": [
            {"path": "README.md", "line": 12, "column": 1, "rule": "readme-stale",
             "level": "error", "message": "README.md is not what data/papers.yaml renders",
             "hint": "run `medad render`", "breadcrumb": [],
             "related": [{"path": "data/papers.yaml", "line": 0, "column": 0}]},
            {"path": "data/papers.yaml", "line": 80, "column": 10, "rule": "toc-label",
             "level": "info", "message": "label, with: 100% odd\ncharacters", "hint": "",
             "breadcrumb": [], "related": [{"path": "data/papers.yaml", "line": 79,
                                            "column": 14}]},
            {"path": "data/papers.yaml", "line": 324, "column": 12, "rule": "url-insecure",
             "level": "warning", "message": "plain http:// link: http://x.org/a.pdf",
             "hint": "use https://", "breadcrumb": ["papers", 20, "links", "pdf"], "related": []},
        ],
        "summary": {"error": 1, "warning": 1, "info": 1, "total": 3, "files": 2},
    }
    assert to_json([]) == ('{\n  "version": 1,\n  "problems": [],\n  "summary": {\n'
                           '    "error": 0,\n    "warning": 0,\n    "info": 0,\n'
                           '    "total": 0,\n    "files": 0\n  }\n}\n')


def test_github() -> None:
    assert to_github(PROBLEMS) == GITHUB


def test_github_without_position_and_with_odd_path() -> None:
    found = [Problem(Location("a,b:c.md"), "readme-stale", Level.ERROR, "missing")]
    assert to_github(found) == ("::group::a,b:c.md\n"
                                "::error file=a%2Cb%3Ac.md,title=readme-stale::missing\n"
                                "::endgroup::\n1 problem (1 error, 0 warnings, 0 info)\n")


def test_sarif() -> None:
    rules = {"url-insecure": ("A plain http:// link.", Level.WARNING)}
    log = json.loads(to_sarif(PROBLEMS[:1] + PROBLEMS[1:2], rules))
    assert log == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "medad", "version": log["runs"][0]["tool"]["driver"]
                                ["version"], "rules": [
                {"id": "readme-stale", "shortDescription": {"text": "readme-stale"},
                 "defaultConfiguration": {"level": "warning"}},
                {"id": "url-insecure", "shortDescription": {"text": "A plain http:// link."},
                 "defaultConfiguration": {"level": "warning"}}]}},
            "results": [
                {"ruleId": "readme-stale", "ruleIndex": 0, "level": "error",
                 "message": {"text": "README.md is not what data/papers.yaml renders\n"
                                     "hint: run `medad render`\nsee: data/papers.yaml"},
                 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "README.md"},
                                                     "region": {"startLine": 12,
                                                                "startColumn": 1}}}],
                 "relatedLocations": [{"id": 0, "physicalLocation": {
                     "artifactLocation": {"uri": "data/papers.yaml"}}}]},
                {"ruleId": "url-insecure", "ruleIndex": 1, "level": "warning",
                 "message": {"text": "papers -> 20 -> links -> pdf: plain http:// link: "
                                     "http://x.org/a.pdf\nhint: use https://"},
                 "locations": [{"physicalLocation": {
                     "artifactLocation": {"uri": "data/papers.yaml"},
                     "region": {"startLine": 324, "startColumn": 12}}}]},
            ],
        }],
    }


@pytest.mark.parametrize(("env", "tty", "expected"), [
    ({}, True, True), ({}, False, False), ({"NO_COLOR": "1"}, True, False),
    ({"TERM": "dumb"}, True, False),
])
def test_colour_switch(env: dict[str, str], tty: bool, expected: bool) -> None:
    assert color_enabled(env, tty) is expected


def test_auto_format() -> None:
    assert resolve_format("auto", {"GITHUB_ACTIONS": "true"}) == "github"
    assert resolve_format("auto", {}) == "text"
    assert resolve_format("json", {"GITHUB_ACTIONS": "true"}) == "json"


def test_summary_line_and_unknown_format() -> None:
    assert summary_line(PROBLEMS[:1]) == "1 problem (0 errors, 1 warning, 0 info)"
    with pytest.raises(ValueError, match="unknown report format"):
        render_report(PROBLEMS, "xml")


def test_markdown_summary_exact() -> None:
    from awesome_medad.problems import Level, Location, Problem
    from awesome_medad.report import to_markdown

    problems = [
        Problem(Location("data/papers.yaml", 9, 12), "url-insecure", Level.WARNING,
                "plain http:// link", ("papers", 1, "links", "pdf"), "use https://"),
        Problem(Location("data/papers.yaml", 3, 5), "link-dead", Level.ERROR,
                "the pdf link | is gone (404)"),
    ]
    assert to_markdown(problems) == (
        "### medad lint: 2 problems (1 error, 1 warning, 0 info)\n\n"
        "| level | rule | where | message |\n|---|---|---|---|\n"
        "| error | `link-dead` | `data/papers.yaml:3:5` | the pdf link \\| is gone (404) |\n"
        "| warning | `url-insecure` | `data/papers.yaml:9:12` | papers -> 1 -> links -> pdf: "
        "plain http:// link; hint: use https:// |\n"
    )
    assert to_markdown([]) == "### medad lint: no problems\n"
