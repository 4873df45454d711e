"""Paper identity: arXiv ids, DOIs, URL comparison keys and generated ids."""

from __future__ import annotations

import pytest

from awesome_medad.ids import (
    arxiv_id,
    doi_from_text,
    github_repo,
    is_code_host,
    make_paper_id,
    normalise_url,
    parse_arxiv_id,
    section_id,
    surname,
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("1806.04972", ("1806.04972", "")), ("arXiv:2007.13559v2", ("2007.13559", "v2")),
     ("https://arxiv.org/abs/1806.04972", ("1806.04972", "")),
     ("https://arxiv.org/pdf/1806.04972v3.pdf", ("1806.04972", "v3")),
     ("http://export.arxiv.org/abs/hep-th/9901001", ("hep-th/9901001", "")),
     ("https://example.org/abs/1806.04972", None), ("10.1016/j.media.2020.101713", None)],
)
def test_parse_arxiv_id(text: str, parsed: tuple[str, str] | None) -> None:
    assert parse_arxiv_id(text) == parsed


@pytest.mark.parametrize(
    ("text", "doi"),
    [("10.1016/J.MEDIA.2020.101713", "10.1016/j.media.2020.101713"),
     ("https://doi.org/10.1109/TMI.2019.2919951", "10.1109/tmi.2019.2919951"),
     ("doi:10.1117/12.2254487", "10.1117/12.2254487"),
     ("https://link.springer.com/chapter/10.1007/978-3-030-32251-9_32",
      "10.1007/978-3-030-32251-9_32"),
     ("https://www.spiedigitallibrary.org/x/10.1117/12.2254487.full?SSO=1", "10.1117/12.2254487"),
     ("https://arxiv.org/abs/1806.04972", None)],
)
def test_doi_from_text(text: str, doi: str | None) -> None:
    assert doi_from_text(text) == doi


@pytest.mark.parametrize(
    ("a", "b"),
    [("http://www.github.com/a/b/", "https://github.com/a/b"),
     ("https://arxiv.org/pdf/1806.04972v2.pdf", "http://arxiv.org/abs/1806.04972")],
)
def test_normalise_url_equates(a: str, b: str) -> None:
    assert normalise_url(a) == normalise_url(b)
    assert arxiv_id(a) == arxiv_id(b) or arxiv_id(a) is None


def test_make_paper_id_deduplicates() -> None:
    taken = {"chen2018unsupervised"}
    assert make_paper_id(["Xiaoran Chen"], 2018, "Unsupervised Detection", taken) == (
        "chen2018unsupervisedb")
    assert make_paper_id([], 2020, "The SALAD: Self-Supervised") == "2020salad"
    assert make_paper_id(["Seeböck, Philipp"], 2019, "Über alles") == "seebock2019uber"


@pytest.mark.parametrize(
    ("heading", "sid"),
    [("Deep learning based methods", "deep-learning"), ("Chest X-Ray in CT", "chest-x-ray-ct"),
     ("Some works that related to anomaly detection", "related-anomaly-detection"),
     ("🚀 Methods", "methods"), ("🚀 ✨", "section")],
)
def test_section_id(heading: str, sid: str) -> None:
    assert section_id(heading) == sid


@pytest.mark.parametrize(("author", "name"), [("Chen", "Chen"), ("Xiaoran Chen", "Chen"),
                                              ("Baur, Christoph", "Baur"), ("  ", ""),
                                              ("van der Berg, Anna", "van der Berg")])
def test_surname(author: str, name: str) -> None:
    assert surname(author) == name


@pytest.mark.parametrize(("author", "paper_id"), [
    ("Xiaoran Chen", "chen2018deep"), ("Baur, Christoph", "baur2018deep"),
    ("van der Berg, Anna", "vanderberg2018deep"), ("Ünal Çelik", "celik2018deep")])
def test_paper_id_starts_with_the_surname_the_readme_shows(author: str, paper_id: str) -> None:
    assert make_paper_id([author], 2018, "Deep Learning") == paper_id


@pytest.mark.parametrize(("url", "repo", "home"), [
    ("https://github.com/o/r", ("o", "r"), True),
    ("http://www.github.com/o/r/", ("o", "r"), True),
    ("https://github.com/o/r.git", ("o", "r"), True),
    ("HTTPS://GitHub.com/Owner/Repo", ("Owner", "Repo"), True),
    ("https://github.com/o/r.github.io", ("o", "r.github.io"), True),
    ("https://github.com/o/r/tree/main/src", ("o", "r"), False),
    ("https://github.com/o/r.git/blob/x.py", ("o", "r"), False),
    ("https://github.com/o/r?tab=readme", ("o", "r"), False),
    ("https://github.com/o/r#readme", ("o", "r"), False),
    ("https://github.com/o", None, False),
    ("https://github.com/-o/r", None, False),
    ("https://github.com/o/..", None, False),
    ("https://gitlab.com/o/r", None, False),
    ("https://notgithub.com/o/r", None, False),
])
def test_github_repo(url: str, repo: tuple[str, str] | None, home: bool) -> None:
    assert github_repo(url) == repo
    assert github_repo(url, home_page=True) == (repo if home else None)


@pytest.mark.parametrize(("url", "code"), [
    ("https://github.com/o/r", True), ("https://www.gitlab.com/o/r", True),
    ("HTTP://Bitbucket.org/o/r", True), ("https://github.com", False),
    ("https://github.io/o/r", False), ("https://arxiv.org/abs/1806.04972", False),
])
def test_is_code_host(url: str, code: bool) -> None:
    assert is_code_host(url) is code
