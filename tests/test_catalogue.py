"""Loading and validation: every error class with its message and exact position."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from awesome_medad.catalogue import load_catalogue, url_problem
from awesome_medad.errors import InvalidInput
from tests.conftest import MINIMAL, SEED_CATALOGUE


def problems_of(path: Path) -> list[str]:
    with pytest.raises(InvalidInput) as info:
        load_catalogue(path, display="papers.yaml")
    return [str(p) for p in info.value.problems]


def test_minimal_catalogue_loads(write: Callable[..., Path]) -> None:
    catalogue = load_catalogue(write(MINIMAL))
    assert [s.path for s in catalogue.walk()] == ["dl", "dl/mri", "dl/ct"]
    paper = catalogue.papers[0]
    assert (paper.id, paper.year, paper.authors, paper.et_al) == (
        "chen2018unsupervised", 2018, ("Chen",), True)
    assert paper.links == (("pdf", "https://arxiv.org/abs/1806.04972"),)
    assert catalogue.source.where(("papers", 0, "links", "pdf")).line == 19


def test_seed_catalogue_has_every_seed_entry() -> None:
    catalogue = load_catalogue(SEED_CATALOGUE)
    listings = sum(len(p.sections) for p in catalogue.papers)
    assert (len(catalogue.papers), listings) == (32, 33)
    pnet = [p for p in catalogue.papers if "P-Net" in p.title]
    assert len(pnet) == 1
    assert pnet[0].sections == ("deep-learning/retinal-oct", "deep-learning/retinal-fundus")
    anogan = next(p for p in catalogue.papers if p.short == "AnoGAN")
    assert anogan.links[-1] == ("unofficial code", "https://github.com/LeeDoYup/AnoGAN-tf")
    unpublished = catalogue.papers_by_section()["not-yet-public"]
    assert len(unpublished) == 4 and all(not p.authors and not p.links for p in unpublished)


def replace(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


CASES = [
    pytest.param(
        replace("    year: 2018\n", "    year: '2018'\n"),
        "papers.yaml:16:11: error: papers -> 0 -> year: 'year' must be a whole number, "
        "not a string [invalid]",
        id="wrong-type",
    ),
    pytest.param(
        replace("    sections: [dl/mri]\n", ""),
        "papers.yaml:11:5: error: papers -> 0: a paper is missing the required key 'sections' "
        "(Section paths the paper is listed under.) [invalid]",
        id="missing-required",
    ),
    pytest.param(
        replace("    title: Unsupervised", "    titel: Unsupervised"),
        "papers.yaml:14:5: error: papers -> 0 -> titel: unknown key 'titel' in a paper "
        "(did you mean 'title'?) [invalid]\n"
        "papers.yaml:11:5: error: papers -> 0: the paper has an empty or missing title "
        "(every paper needs a 'title' (or a verbatim 'raw' entry)) [invalid]",
        id="unknown-key",
    ),
    pytest.param(
        replace("[dl/mri]", "[dl/mr]"),
        "papers.yaml:17:16: error: papers -> 0 -> sections -> 0: there is no section 'dl/mr' "
        "(did you mean 'dl/mri'?) [invalid]",
        id="unknown-section",
    ),
    pytest.param(
        replace("      - id: ct\n", "      - id: mri\n"),
        "papers.yaml:8:13: error: sections -> 0 -> sections -> 1 -> id: duplicate section id "
        "'mri' (it is already used by the section at index 0) [invalid]",
        id="duplicate-section-id",
    ),
    pytest.param(
        MINIMAL + "  - id: chen2018unsupervised\n    title: Again\n    sections: [dl/ct]\n",
        "papers.yaml:20:9: error: papers -> 1 -> id: duplicate paper id 'chen2018unsupervised' "
        "(first used at line 11; paper ids must be unique) [invalid]",
        id="duplicate-paper-id",
    ),
    pytest.param(
        replace("https://arxiv.org/abs/1806.04972", "arxiv.org/abs/1806.04972"),
        "papers.yaml:19:12: error: papers -> 0 -> links -> pdf: malformed 'pdf' link: the URL "
        "scheme is 'none'; only http and https links are allowed (write a full URL such as "
        "https://example.org/paper.pdf) [invalid]",
        id="url-no-scheme",
    ),
    pytest.param(
        replace("https://arxiv.org/abs/1806.04972", "javascript:alert(1)"),
        "papers.yaml:19:12: error: papers -> 0 -> links -> pdf: malformed 'pdf' link: the URL "
        "scheme is 'javascript'; only http and https links are allowed (write a full URL such "
        "as https://example.org/paper.pdf) [invalid]",
        id="url-javascript",
    ),
    pytest.param(
        replace("https://arxiv.org/abs/1806.04972", "'https://arxiv.org/abs/1806 04972'"),
        "papers.yaml:19:12: error: papers -> 0 -> links -> pdf: malformed 'pdf' link: the URL "
        "contains a space (write a full URL such as https://example.org/paper.pdf) [invalid]",
        id="url-space",
    ),
    pytest.param(
        replace("title: Unsupervised Detection of Lesions", "title: ''"),
        "papers.yaml:14:12: error: papers -> 0 -> title: the paper has an empty or missing "
        "title (every paper needs a 'title' (or a verbatim 'raw' entry)) [invalid]",
        id="empty-title",
    ),
    pytest.param(
        replace("title: Unsupervised Detection of Lesions", 'title: "Two\\nlines"'),
        "papers.yaml:14:12: error: papers -> 0 -> title: 'title' must be a single-line string, "
        "without line breaks (a line break would split the README entry) [invalid]",
        id="newline-in-title",
    ),
    pytest.param(
        replace("title: Test list\n", "title: Test list\ntitle: Again\n"),
        "papers.yaml:2:1: error: title: duplicate key 'title' (keep one of them) [invalid]",
        id="duplicate-key",
    ),
    pytest.param(
        replace("    authors: [Chen]\n", "    authors: [Chen\n"),
        "papers.yaml:13:10: error: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence) (fix the YAML syntax) [invalid]",
        id="syntax-error",
    ),
    pytest.param(
        "title: x\nsections: &s\n  - {id: a, heading: A}\npapers:\n"
        "  - {id: p, title: P, sections: [a], links: *s}\n",
        "papers.yaml:5:45: error: papers -> 0 -> links: YAML aliases (*name) are not allowed "
        "(write the value out in full) [invalid]",
        id="alias",
    ),
    pytest.param(
        "a: &a [1, 2]\nb: [*a, *a]\n",
        "papers.yaml:2:5: error: b -> 0: YAML aliases (*name) are not allowed (write the value "
        "out in full) [invalid]\n"
        "papers.yaml:2:9: error: b -> 1: YAML aliases (*name) are not allowed (write the value "
        "out in full) [invalid]",
        id="each-alias-at-its-star",
    ),
    pytest.param(
        replace("        heading: Brain CT\n", "        heading: ''\n"),
        "papers.yaml:9:18: error: sections -> 0 -> sections -> 1 -> heading: 'heading' is "
        "empty (The heading text as shown in the README.) [invalid]",
        id="empty-heading",
    ),
    pytest.param(
        "title: x\nsections: []\npapers:\n",
        "papers.yaml:3:1: error: papers: 'papers' has no value (One record per paper, in "
        "display order.) [invalid]",
        id="key-without-value",
    ),
    pytest.param(
        "- just\n- a list\n",
        "papers.yaml:1:1: error: the catalogue must be a mapping of keys to values, not a list "
        "[invalid]",
        id="not-a-mapping",
    ),
    pytest.param(
        "   \n\n",
        "papers.yaml:1:1: error: the file is empty (a catalogue needs at least 'title', "
        "'sections' and 'papers') [invalid]",
        id="empty-file",
    ),
    pytest.param(
        "title: x\nsections: []\npapers: []\nupdated: 10 Aug 2020\n",
        "papers.yaml:4:10: error: updated: 'updated' must be a date such as 2020-08-10, not a "
        "string ('10 Aug 2020') [invalid]",
        id="bad-date",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_validation_error(write: Callable[..., Path], text: str, expected: str) -> None:
    assert problems_of(write(text)) == expected.split("\n")


def test_all_problems_reported_at_once(write: Callable[..., Path]) -> None:
    text = replace("    year: 2018\n", "    year: two\n    colour: red\n").replace(
        "[dl/mri]", "[nowhere]")
    found = problems_of(write(text))
    assert [line.split(": error")[0] for line in found] == [
        "papers.yaml:17:5", "papers.yaml:16:11", "papers.yaml:18:16"]


def test_non_utf8_names_the_byte(write: Callable[..., Path]) -> None:
    path = write(MINIMAL.replace("Lesions", "L\xe9sions").encode("latin-1"))
    assert problems_of(path) == [
        "papers.yaml:14:39: error: not valid UTF-8 (byte 0xe9) (save the file as UTF-8) [invalid]"
    ]


@pytest.mark.parametrize("variant", ["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_are_accepted(write: Callable[..., Path], variant: str) -> None:
    text = MINIMAL.replace("\n", "\r\n") if "crlf" in variant else MINIMAL
    data = ("\ufeff" if "bom" in variant else "") + text
    catalogue = load_catalogue(write(data.encode("utf-8")))
    assert catalogue.papers[0].title == "Unsupervised Detection of Lesions"
    assert catalogue.source.where(("papers", 0, "links", "pdf")).line == 19


def test_alias_bomb_is_rejected_quickly(write: Callable[..., Path]) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    found = problems_of(write("\n".join(lines) + "\n"))
    assert found[0].startswith("papers.yaml:")
    assert "YAML aliases (*name) are not allowed" in found[0]


def test_huge_file_is_refused_before_parsing(write: Callable[..., Path]) -> None:
    path = write(b"# " + b"x" * (9 * 1024 * 1024))
    (message,) = problems_of(path)
    assert "the limit is 8,388,608" in message and message.startswith("papers.yaml:1:1:")


def test_missing_file(tmp_path: Path) -> None:
    (message,) = problems_of(tmp_path / "nope.yaml")
    assert "cannot read file: No such file or directory" in message


@pytest.mark.parametrize(
    ("url", "problem"),
    [("https://arxiv.org/abs/1806.04972", None), ("http://zhoukang.pro/x.pdf", None),
     ("ftp://x.org/a", "the URL scheme is 'ftp'; only http and https links are allowed"),
     ("https://", "the URL has no host name"),
     ("https://x..org/", "the URL's host name 'x..org' is not valid"),
     ("https://x.org/\u200b", "the URL contains an invisible character (U+200B)"),
     ("https://x.org:0/", "the URL has port 0"), ("https://[::1]/", None),
     ("https://intranet/", "the URL's host name 'intranet' has no domain (such as .org)"),
     ("", "the URL is empty"),
     ("https://x.org/a b", "the URL contains a space"),
     ("https://x.org:99999/", "the URL cannot be parsed (Port out of range 0-65535)")],
)
def test_url_problem(url: str, problem: str | None) -> None:
    assert url_problem(url) == problem


def test_thousands_of_problems_are_summarised(write: Callable[..., Path]) -> None:
    papers = "".join(f"  - {{id: p{i}, title: T, sections: [nowhere]}}\n" for i in range(500))
    with pytest.raises(InvalidInput) as info:
        load_catalogue(write(f"title: x\nsections: []\npapers:\n{papers}"), display="c.yaml")
    assert len(info.value.problems) == 500
    lines = info.value.message.splitlines()
    assert lines[0] == "500 problems found; nothing was changed"
    assert len(lines) == 202 and lines[-1] == "... and 300 more problem(s)"
