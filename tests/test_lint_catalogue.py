"""Lint rules on the YAML catalogue: findings at the YAML line:column of the offending value."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from awesome_medad.catalogue import load_catalogue
from awesome_medad.config import Config
from awesome_medad.errors import InvalidInput
from awesome_medad.lint.runner import collect_link_targets, lint_catalogue, load_subject
from awesome_medad.problems import Level, Location, Problem
from awesome_medad.render import render
from tests.conftest import MINIMAL, SEED_CATALOGUE

# The shared minimal catalogue up to its papers, which each test supplies.
HEAD = MINIMAL[:MINIMAL.index("papers:\n") + len("papers:\n")]

PAPER_A = """\
  - id: chen2018
    title: Unsupervised Detection of Lesions
    venue: MIDL'18
    sections: [dl/mri]
    links:
      pdf: https://arxiv.org/abs/1806.04972
"""

PAPER_B = """\
  - id: baur2018
    title: Deep Autoencoding Models for Anomaly Segmentation
    venue: MICCAI'18
    sections: [dl/ct]
    links:
      pdf: https://example.org/baur.pdf
"""


def lint(write: Callable[..., Path], papers: str, head: str = HEAD,
         config: Config | None = None, readme: str | None = None) -> list[Problem]:
    """Write the catalogue and its (fresh, unless given) README, then lint."""
    catalogue = write(head + papers, "papers.yaml")
    text = render(load_catalogue(catalogue)) if readme is None else readme
    readme_path = write(text, "README.md")
    return lint_catalogue(catalogue, readme_path, config, display="papers.yaml",
                          readme_display="README.md")


def found(problems: list[Problem], rule: str) -> list[tuple[int, int, Level]]:
    return [(p.line, p.column, p.level) for p in problems if p.rule == rule]


def test_clean_catalogue_has_no_findings(write: Callable[..., Path]) -> None:
    assert lint(write, PAPER_A + PAPER_B) == []


def test_shipped_catalogue_has_only_its_real_findings(tmp_path: Path) -> None:
    """The seed's two real findings, each at the exact YAML line of the value."""
    readme = tmp_path / "README.md"
    readme.write_text(render(load_catalogue(SEED_CATALOGUE)), encoding="utf-8")
    yaml_lines = SEED_CATALOGUE.read_text(encoding="utf-8").split("\n")
    toc_line = yaml_lines.index("    toc: Not yet public (MICCAI 2020)") + 1
    http_line = next(i for i, ln in enumerate(yaml_lines, 1) if "pdf: http://zhoukang" in ln)
    problems = lint_catalogue(SEED_CATALOGUE, readme,
                              display="data/papers.yaml", readme_display="README.md")
    assert [(p.rule, p.level, p.line, p.column) for p in problems] == [
        ("toc-label", Level.WARNING, toc_line, 10),
        ("url-insecure", Level.WARNING, http_line, 12),
    ]
    assert problems[1].breadcrumb[-2:] == ("links", "pdf")


def test_cross_listed_record_is_not_a_duplicate(write: Callable[..., Path]) -> None:
    cross = PAPER_A.replace("sections: [dl/mri]", "sections: [dl/mri, dl/ct]")
    assert lint(write, cross) == []


def test_two_records_with_one_title(write: Callable[..., Path]) -> None:
    twin = PAPER_B.replace("baur2018", "twin").replace(
        "Deep Autoencoding Models for Anomaly Segmentation",
        "'deep autoencoding models, for: anomaly segmentation!'")
    problems = lint(write, PAPER_B + twin)
    assert found(problems, "duplicate-paper") == [(18, 12, Level.ERROR)]
    (dup,) = [p for p in problems if p.rule == "duplicate-paper"]
    assert dup.related == (Location("papers.yaml", 12, 12),)
    assert dup.breadcrumb == ("papers", 1, "title")


def test_same_arxiv_paper_under_another_title(write: Callable[..., Path]) -> None:
    other = ("  - id: other\n    title: A Different Name\n    sections: [dl/ct]\n"
             "    links:\n      pdf: https://arxiv.org/pdf/1806.04972v3.pdf\n")
    problems = lint(write, PAPER_A + other)
    assert found(problems, "duplicate-paper") == [(18, 12, Level.ERROR)]
    assert found(problems, "duplicate-url") == []


def test_near_duplicate_titles(write: Callable[..., Path]) -> None:
    near = PAPER_B.replace("baur2018", "baur2019").replace("Models for", "Model for").replace(
        "baur.pdf", "baur2.pdf")
    assert found(lint(write, PAPER_B + near), "near-duplicate") == [(18, 12, Level.WARNING)]


def test_duplicate_url_points_at_both_values(write: Callable[..., Path]) -> None:
    second = PAPER_B.replace("baur2018", "other").replace(
        "Deep Autoencoding Models for Anomaly Segmentation", "Something else entirely").replace(
        "https://example.org/baur.pdf", "http://www.example.org/baur.pdf/")
    problems = lint(write, PAPER_B + second)
    (dup,) = [p for p in problems if p.rule == "duplicate-url"]
    assert (dup.line, dup.column, dup.level) == (22, 12, Level.ERROR)
    assert dup.related == (Location("papers.yaml", 16, 12),)


def test_url_insecure_and_link_repeated(write: Callable[..., Path]) -> None:
    paper = PAPER_B.replace("https://example.org/baur.pdf", "http://example.org/baur.pdf") + \
        "      project: http://example.org/baur.pdf\n"
    problems = lint(write, paper)
    assert found(problems, "url-insecure") == [(16, 12, Level.WARNING), (17, 16, Level.WARNING)]
    assert found(problems, "link-repeated") == [(17, 16, Level.WARNING)]


def test_toc_label(write: Callable[..., Path]) -> None:
    head = HEAD.replace("        heading: Brain CT\n", "        heading: Brain CT\n"
                        "        toc: Computed tomography\n")
    problems = lint(write, PAPER_A + PAPER_B.replace("sections: [dl/ct]", "sections: [dl/ct]"),
                    head=head)
    assert found(problems, "toc-label") == [(10, 14, Level.WARNING)]
    assert found(lint(write, PAPER_A + PAPER_B), "toc-label") == []


def test_section_empty(write: Callable[..., Path]) -> None:
    assert found(lint(write, PAPER_A), "section-empty") == [(9, 18, Level.WARNING)]


def test_paper_without_a_paper_link(write: Callable[..., Path]) -> None:
    code_only = PAPER_B.replace("pdf: https://example.org/baur.pdf",
                                "code: https://github.com/a/b")
    assert found(lint(write, PAPER_A + code_only), "paper-no-link") == [(21, 5, Level.WARNING)]
    no_links = ("  - id: soon\n    title: Not yet public\n    venue: MICCAI'20\n"
                "    sections: [dl/ct]\n")
    assert found(lint(write, PAPER_A + no_links), "paper-no-link") == []


def test_venue_year(write: Callable[..., Path]) -> None:
    wrong = PAPER_A.replace("    venue: MIDL'18\n", "    venue: MIDL'18\n    year: 2019\n")
    problems = lint(write, wrong + PAPER_B)
    assert found(problems, "venue-year") == [(14, 11, Level.WARNING)]
    right = PAPER_A.replace("    venue: MIDL'18\n", "    venue: MIDL'18\n    year: 2018\n")
    assert found(lint(write, right + PAPER_B), "venue-year") == []


def test_readme_stale_and_missing(write: Callable[..., Path], tmp_path: Path) -> None:
    catalogue = write(HEAD + PAPER_A + PAPER_B, "papers.yaml")
    fresh = render(load_catalogue(catalogue))
    stale = lint(write, PAPER_A + PAPER_B, readme=fresh.replace("## Brain CT", "## Brain ct"))
    (problem,) = [p for p in stale if p.rule == "readme-stale"]
    assert (problem.path, problem.line, problem.column) == ("README.md", 12, 1)
    assert problem.hint == "run `medad render`"
    assert problem.level is Level.ERROR
    missing = lint_catalogue(catalogue, tmp_path / "nope.md", display="papers.yaml",
                             readme_display="nope.md")
    assert [(p.rule, p.message) for p in missing] == [("readme-stale", "nope.md does not exist")]


def test_broken_fragment_in_hand_written_intro(write: Callable[..., Path]) -> None:
    head = HEAD.replace("title: Test list\n", "title: Test list\nintro: |\n"
                        "  See [the CT papers](#brain-c) first.\n")
    problems = lint(write, PAPER_A + PAPER_B, head=head)
    (problem,) = [p for p in problems if p.rule == "anchor-missing"]
    assert (problem.path, problem.line, problem.column) == ("README.md", 2, 5)
    assert problem.hint == "did you mean #brain-ct?"


def test_malformed_link_in_intro_points_into_the_yaml_block(write: Callable[..., Path]) -> None:
    head = HEAD.replace("title: Test list\n", "title: Test list\nintro: |\n  First line.\n"
                        "  A [broken](http://x.org/a b) link and [ftp](ftp://x.org/f).\n")
    problems = lint(write, PAPER_A + PAPER_B, head=head)
    assert found(problems, "url-malformed") == [(4, 5, Level.ERROR)]
    assert found(problems, "url-scheme") == [(4, 47, Level.ERROR)]


def test_lint_ignore_on_a_paper(write: Callable[..., Path]) -> None:
    paper = PAPER_B.replace("https://example.org", "http://example.org")
    assert found(lint(write, paper), "url-insecure") == [(16, 12, Level.WARNING)]
    ignored = paper.replace("    venue:", "    lint-ignore: [url-insecure]\n    venue:")
    assert found(lint(write, ignored), "url-insecure") == []


@pytest.mark.parametrize(("ignore", "expected"), [
    # flow list: each unknown id at its own item; a known one is fine
    ("    lint-ignore: [url-insecure, url-insecur, no-such-thing]\n",
     [(13, 33, "'chen2018' ignores 'url-insecur', which is not a rule",
       "did you mean 'url-insecure'?"),
      (13, 46, "'chen2018' ignores 'no-such-thing', which is not a rule", None)]),
    ("    lint-ignore: [al]\n",
     [(13, 19, "'chen2018' ignores 'al', which is not a rule", "did you mean 'all'?")]),
    # block list
    ("    lint-ignore:\n      - duplicate-url\n      - venue_year\n",
     [(15, 9, "'chen2018' ignores 'venue_year', which is not a rule",
       "did you mean 'venue-year'?")]),
    ("    lint-ignore: [url-insecure, venue-year, link-dead]\n", []),
    # "all" silences every finding of the paper, this one included
    ("    lint-ignore: [all, no-such-thing]\n", []),
    ("    lint-ignore: [lint-ignore-unknown, no-such-thing]\n", []),
])
def test_lint_ignore_with_an_unknown_rule_is_reported(
        write: Callable[..., Path], ignore: str,
        expected: list[tuple[int, int, str, str | None]]) -> None:
    paper = PAPER_A.replace("    venue:", ignore + "    venue:")
    problems = [p for p in lint(write, paper + PAPER_B) if p.rule == "lint-ignore-unknown"]
    assert [(p.line, p.column, p.message, p.hint if p.hint.startswith("did") else None)
            for p in problems] == expected
    assert all(p.level is Level.WARNING and p.path == "papers.yaml" for p in problems)
    if len(expected) == 2:
        assert problems[1].hint.startswith("known: all, anchor-missing, cross-listed, ")
        assert problems[0].breadcrumb == ("papers", 0, "lint-ignore", 1)


def test_lint_ignore_unknown_can_be_switched_off(write: Callable[..., Path]) -> None:
    paper = PAPER_A.replace("    venue:", "    lint-ignore: [typo]\n    venue:")
    assert len(found(lint(write, paper), "lint-ignore-unknown")) == 1
    config = Config(rules={"lint-ignore-unknown": None})
    assert found(lint(write, paper, config=config), "lint-ignore-unknown") == []


def test_configured_level_and_off(write: Callable[..., Path]) -> None:
    paper = PAPER_A + PAPER_B.replace("https://example.org", "http://example.org")
    raised = lint(write, paper, config=Config(rules={"url-insecure": Level.ERROR}))
    assert found(raised, "url-insecure") == [(22, 12, Level.ERROR)]
    assert lint(write, paper, config=Config(rules={"url-insecure": None})) == []


def test_invalid_catalogue_raises_with_every_problem(write: Callable[..., Path]) -> None:
    bad = HEAD + "  - id: x\n    titel: Oops\n    sections: [dl/nope]\n"
    catalogue = write(bad, "papers.yaml")
    with pytest.raises(InvalidInput) as caught:
        lint_catalogue(catalogue, write("", "README.md"), display="papers.yaml")
    assert len(caught.value.problems) >= 2


def test_collect_link_targets_for_the_live_check(write: Callable[..., Path]) -> None:
    cross = PAPER_A.replace("sections: [dl/mri]", "sections: [dl/mri, dl/ct]")
    catalogue = write(HEAD + cross + PAPER_B, "papers.yaml")
    readme = write(render(load_catalogue(catalogue)), "README.md")
    subject = load_subject(catalogue, readme, "papers.yaml", "README.md")
    targets = collect_link_targets(subject)
    assert [(t.url, t.locations, t.title, t.kind) for t in targets] == [
        ("https://arxiv.org/abs/1806.04972", (Location("papers.yaml", 16, 12),),
         "Unsupervised Detection of Lesions", "pdf"),
        ("https://example.org/baur.pdf", (Location("papers.yaml", 22, 12),),
         "Deep Autoencoding Models for Anomaly Segmentation", "pdf"),
    ]
    ignoring = Config(ignore_urls=(__import__("re").compile("arxiv"),))
    assert [t.url for t in collect_link_targets(subject, config=ignoring)] == [
        "https://example.org/baur.pdf"]


def test_live_check_plugs_into_the_runner(write: Callable[..., Path]) -> None:
    """A live step receives the targets; its findings get configured levels like any rule."""
    seen: list[str] = []

    def live(targets: object) -> list[Problem]:
        urls = [t.url for t in targets]  # type: ignore[attr-defined]
        seen.extend(urls)
        first = targets[0]  # type: ignore[index]
        return [Problem(first.locations[0], "link-dead", Level.ERROR, "404 Not Found")]

    catalogue = write(HEAD + PAPER_A, "papers.yaml")
    readme = write(render(load_catalogue(catalogue)), "README.md")
    config = Config(rules={"link-dead": Level.WARNING})
    problems = lint_catalogue(catalogue, readme, config, live, display="papers.yaml")
    assert seen == ["https://arxiv.org/abs/1806.04972"]
    assert [(p.rule, p.level, p.line) for p in problems if p.rule == "link-dead"] == [
        ("link-dead", Level.WARNING, 16)]
