"""``medad add``: metadata from a local arXiv/Crossref server, duplicates refused, bytes kept."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad import cli
from awesome_medad.add import (
    BadRequest,
    parse_link,
    resolve_section,
    split_authors,
)
from awesome_medad.catalogue import load_catalogue
from awesome_medad.cli import main
from awesome_medad.render import render
from tests.api_server import ApiServer, api_server
from tests.conftest import REPO

SHIPPED = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")

DECATHLON_AUTHORS = (
    "Michela Antonelli, Annika Reinke, Spyridon Bakas, Keyvan Farahani, Annette Kopp-Schneider, "
    "Bennett A. Landman, Geert Litjens, Bjoern Menze, Olaf Ronneberger, Ronald M. Summers, "
    "Bram van Ginneken, Michel Bilello, Patrick Bilic, Patrick F. Christ, Richard K. G. Do, "
    "Marc J. Gollub, Stephan H. Heckers, Henkjan Huisman, William R. Jarnagin, Maureen K. McHugo, "
    "Sandy Napel, Jennifer S. Goli Pernicka, Kawal Rhode, Catalina Tobon-Gomez, Eugene Vorontsov, "
    "James A. Meakin, Sebastien Ourselin, Manuel Wiesenfarth, Pablo Arbeláez, Byeonguk Bae, "
    "Sihong Chen, Laura Daza, Jianjiang Feng, Baochun He, Fabian Isensee, Yuanfeng Ji, Fucang Jia, "
    "Namkug Kim, Ildoo Kim, Dorit Merhof, Akshay Pai, Beomhee Park, Mathias Perslev, "
    "Ramin Rezaiifar, Oliver Rippel, Ignacio Sarasua, Wei Shen, Jaemin Son, Christian Wachinger, "
    "Liansheng Wang, Yan Wang, Yingda Xia, Daguang Xu, Zhanwei Xu, Yefeng Zheng, "
    "Amber L. Simpson, Lena Maier-Hein, M. Jorge Cardoso")

DECATHLON_BLOCK = f"""\
  - id: antonelli2021medical
    authors: [{DECATHLON_AUTHORS}]
    title: The Medical Segmentation Decathlon
    venue: arxiv, 2021
    year: 2021
    sections: [deep-learning/other-modalities]
    links:
      pdf: https://arxiv.org/abs/2106.05735
    arxiv: '2106.05735'
    doi: 10.1038/s41467-022-30695-9
"""


@pytest.fixture(scope="module")
def server() -> Iterator[ApiServer]:
    with api_server() as running:
        yield running


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, server: ApiServer) -> Path:
    """A copy of the shipped catalogue in a temporary working directory, APIs local."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "papers.yaml").write_text(SHIPPED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MEDAD_ARXIV_API", server.arxiv)
    monkeypatch.setenv("MEDAD_CROSSREF_API", server.crossref)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return tmp_path / "data" / "papers.yaml"


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def appended(before: str, after: str) -> str:
    """What was added at the end; fails if any byte of ``before`` changed."""
    assert after.startswith(before), "an existing byte changed"
    return after[len(before):]


def test_add_arxiv_appends_only_the_block(project: Path) -> None:
    code, out, err = run("add", "2106.05735", "--section", "other-modalities", "--no-input")
    assert (code, err) == (0, "")
    assert out == ("added antonelli2021medical at data/papers.yaml:"
                   f"{SHIPPED.count(chr(10)) + 2} in deep-learning/other-modalities\n")
    assert appended(SHIPPED, project.read_text(encoding="utf-8")) == "\n" + DECATHLON_BLOCK


def test_adding_the_same_id_twice_adds_one_paper(project: Path) -> None:
    assert run("add", "2106.05735", "--section", "other-modalities", "--no-input")[0] == 0
    after_first = project.read_bytes()
    code, out, err = run("add", "https://arxiv.org/abs/2106.05735v1", "--section", "brain-ct",
                         "--no-input")
    assert (code, out) == (1, "")
    line = title_line(after_first.decode("utf-8"), "antonelli2021medical")
    assert err == ("Error: not added: the paper is already in the catalogue\n"
                   "'The Medical Segmentation Decathlon' is entered twice; the existing entry "
                   f"'antonelli2021medical' is at data/papers.yaml:{line}:12\n")
    assert project.read_bytes() == after_first
    papers = load_catalogue(project).papers
    assert [p.id for p in papers if p.arxiv == "2106.05735"] == ["antonelli2021medical"]


def title_line(text: str, paper_id: str) -> int:
    """The line of the ``title:`` of paper ``paper_id`` in catalogue text."""
    lines = text.split("\n")
    start = lines.index(f"  - id: {paper_id}")
    return next(i for i in range(start, len(lines)) if lines[i].startswith("    title:")) + 1


@pytest.mark.parametrize("source, existing, why", [
    ("2007.13559v2", "han2020madgan", "is entered twice"),  # the issue's own example
    ("2005.10686", "zhou2020unsupervised", "is entered twice"),  # LaTeX or not, one title
    ("10.1016/j.media.2020.101713", "chen2020unsupervised", "is entered twice"),
])
def test_papers_already_listed_are_refused(project: Path, source: str, existing: str,
                                           why: str) -> None:
    code, _, err = run("add", source, "--section", "brain-ct", "--no-input")
    assert code == 1
    where = f"data/papers.yaml:{title_line(SHIPPED, existing)}:12"
    assert why in err and f"the existing entry '{existing}' is at {where}\n" in err
    assert project.read_text(encoding="utf-8") == SHIPPED


def test_add_doi_with_markup_and_organisation_author(project: Path) -> None:
    code, out, _ = run("add", "https://doi.org/10.5555/medad.markup.2019", "--section",
                       "retinal-oct", "--code", "https://github.com/o/r", "--no-input")
    assert code == 0 and out.startswith("added consortium2019deep at ")
    assert appended(SHIPPED, project.read_text(encoding="utf-8")) == """
  - id: consortium2019deep
    authors: [The OCT Consortium, Ana Müller]
    title: Deep learning of in vivo OCT images & their labels
    venue: Radiol Artif Intell, 2019
    year: 2019
    sections: [deep-learning/retinal-oct]
    links:
      pdf: https://doi.org/10.5555/medad.markup.2019
      code: https://github.com/o/r
    doi: 10.5555/medad.markup.2019
"""


def test_add_by_hand_cross_listed_with_extra_links(project: Path) -> None:
    code, _, _ = run("add", "--title", "A [bracketed] study", "--authors", "Doe, Jane; Roe, R.",
                     "--et-al", "--venue", "MICCAI'21", "--short", "ABS", "--pdf",
                     "https://example.org/a.pdf", "--link", "project page=https://example.org",
                     "--section", "deep-learning/brain-mri", "--section", "brain-ct",
                     "--no-input")
    assert code == 0
    assert appended(SHIPPED, project.read_text(encoding="utf-8")) == """
  - id: doe2021bracketed
    authors: ['Doe, Jane', 'Roe, R.']
    et_al: true
    title: A [bracketed] study
    short: ABS
    venue: MICCAI'21
    year: 2021
    sections: [deep-learning/brain-mri, deep-learning/brain-ct]
    links:
      pdf: https://example.org/a.pdf
      project page: https://example.org
"""
    readme = render(load_catalogue(project))
    assert ("- [Doe _et. al._] [A \\[bracketed\\] study (**ABS**)] [MICCAI'21] "
            "[[pdf]](https://example.org/a.pdf) [[project page]](https://example.org)") in readme


@pytest.mark.parametrize("args, arxiv, doi", [
    (("--pdf", "https://arxiv.org/pdf/2001.00001v2.pdf", "--link",
      "doi=https://doi.org/10.5555/Found.In.Link"), "2001.00001", "10.5555/found.in.link"),
    (("--pdf", "https://arxiv.org/abs/2001.00001", "--arxiv", "arXiv:2002.00002v3",
      "--doi", "doi:10.5555/GIVEN"), "2002.00002", "10.5555/given"),
    (("--pdf", "https://example.org/a.pdf"), None, None),
])
def test_arxiv_and_doi_given_win_over_those_in_links(project: Path, args: tuple[str, ...],
                                                     arxiv: str | None, doi: str | None) -> None:
    code, _, err = run("add", "--title", "Ids", "--section", "brain-ct", *args, "--no-input")
    assert code == 0, err
    paper = load_catalogue(project).papers[-1]
    assert (paper.title, paper.arxiv, paper.doi) == ("Ids", arxiv, doi)


def test_dry_run_prints_the_block_and_writes_nothing(project: Path) -> None:
    code, out, err = run("add", "2106.05735", "--section", "other-modalities", "--dry-run",
                         "--no-input")
    assert (code, out) == (0, DECATHLON_BLOCK)
    assert err == "dry run: data/papers.yaml not changed\n"
    assert project.read_text(encoding="utf-8") == SHIPPED


def test_render_regenerates_the_readme(project: Path) -> None:
    code, out, _ = run("add", "2106.05735", "--section", "other-modalities", "--render",
                       "--no-input")
    assert code == 0 and out.endswith("; README.md regenerated\n")
    readme = (project.parent.parent / "README.md").read_text(encoding="utf-8")
    assert readme == render(load_catalogue(project))
    assert "- [Antonelli _et. al._] [The Medical Segmentation Decathlon] [arxiv, 2021] " \
           "[[pdf]](https://arxiv.org/abs/2106.05735)\n" in readme


def test_prompts_on_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "_stdin_is_tty", lambda: True)
    code, out, err = run("add", "--pdf", "https://example.org/x.pdf",
                         stdin="3\nA Prompted Paper\nJane Doe\nISBI'21\n")
    assert code == 0, err
    assert " 3.   Brain CT  (deep-learning/brain-ct)" in err
    assert "Section number(s) or path(s), comma-separated: " in err
    assert out.startswith("added doe2021prompted at ")
    paper = load_catalogue(project).papers[-1]
    assert (paper.title, paper.authors, paper.venue, paper.sections) == (
        "A Prompted Paper", ("Jane Doe",), "ISBI'21", ("deep-learning/brain-ct",))


@pytest.mark.parametrize("args, message", [
    (("2106.05735",), "the section is missing; choose with --section PATH from: deep-learning, "
                      "deep-learning/brain-mri, "),
    (("--section", "brain-ct"), "--title (or an arXiv id or DOI) is missing"),
    (("2106.05735", "--section", "brain-mri"),
     "section 'brain-mri' is ambiguous: deep-learning/brain-mri, non-deep-learning/brain-mri"),
    (("2106.05735", "--section", "brain-mr"), "there is no section 'brain-mr' in the catalogue"),
    (("--title", "T", "--section", "brain-ct", "--pdf", "ftp://x.org/a"),
     "the pdf link 'ftp://x.org/a' is not usable: the URL scheme is 'ftp'"),
    (("--title", "T", "--section", "brain-ct", "--link", "nourl"), "write KIND=URL"),
    (("--title", "T", "--section", "brain-ct", "--id", "chen2018unsupervised"),
     "paper id 'chen2018unsupervised' is already used"),
    (("10.9999/unknown", "--section", "brain-ct"),
     "Crossref does not know the DOI 10.9999/unknown"),
    (("2101.99999", "--section", "brain-ct"), "arXiv does not know the paper 2101.99999"),
    (("--title", "T", "--section", "brain-ct", "--arxiv", "nope"),
     "--arxiv 'nope' is not an arXiv id such as 2007.13559"),
    (("--title", "T", "--section", "brain-ct", "--doi", "10/x"),
     "--doi '10/x' is not a DOI such as 10.1016/j.media.2020.101713"),
])
def test_errors_exit_2_and_leave_the_file(project: Path, args: tuple[str, ...],
                                          message: str) -> None:
    code, _, err = run("add", *args, "--no-input")
    assert code == 2 and message in err, err
    assert project.read_text(encoding="utf-8") == SHIPPED


def test_unreachable_api_is_a_clear_error(project: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("MEDAD_ARXIV_API", f"http://127.0.0.1:{port}")
    code, _, err = run("add", "2106.05735", "--section", "brain-ct", "--no-input")
    assert code == 2 and "cannot reach the arxiv API" in err and "MEDAD_ARXIV_API" in err
    assert project.read_text(encoding="utf-8") == SHIPPED


def test_add_through_a_real_subprocess(project: Path, server: ApiServer) -> None:
    env = {**os.environ, "MEDAD_ARXIV_API": server.arxiv, "NO_PROXY": "127.0.0.1,localhost",
           "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "awesome_medad", "add", "2106.05735v1", "--section",
               "deep-learning/other-modalities", "--catalogue", str(project), "--no-input"]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    assert appended(SHIPPED, project.read_text(encoding="utf-8")) == "\n" + DECATHLON_BLOCK
    second = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 1
    assert "not added: the paper is already in the catalogue" in second.stderr
    assert appended(SHIPPED, project.read_text(encoding="utf-8")) == "\n" + DECATHLON_BLOCK


@pytest.mark.parametrize("value, names", [
    ("A. Smith; B. Jones", ("A. Smith", "B. Jones")),
    ("A. Smith, B. Jones", ("A. Smith", "B. Jones")),
    ("Smith, Anna; Jones, Bo", ("Smith, Anna", "Jones, Bo")),
    (" ; ", ()),
])
def test_split_authors(value: str, names: tuple[str, ...]) -> None:
    assert split_authors(value) == names


def test_parse_link_and_resolve_section() -> None:
    assert parse_link(" project page = https://x.org ") == ("project page", "https://x.org")
    catalogue = load_catalogue(REPO / "data" / "papers.yaml")
    assert resolve_section(catalogue, "retinal-oct") == "deep-learning/retinal-oct"
    assert resolve_section(catalogue, "/non-deep-learning/brain-mri/") == (
        "non-deep-learning/brain-mri")
    with pytest.raises(BadRequest, match="did you mean deep-learning/retinal-oct"):
        resolve_section(catalogue, "deep-learning/retinal-octt")


def test_add_keeps_a_bom_and_crlf_line_ends(project: Path) -> None:
    before = ("\ufeff" + SHIPPED.replace("\n", "\r\n")).encode("utf-8")
    project.write_bytes(before)
    assert run("add", "2106.05735", "--section", "other-modalities", "--no-input")[0] == 0
    after = project.read_bytes()
    assert after == before + ("\n" + DECATHLON_BLOCK).replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize("readme", ["nodir/README.md", "data/papers.yaml/README.md"])
def test_render_into_an_unwritable_place_changes_no_file(project: Path, readme: str) -> None:
    """add --render writes both files or neither: a README that cannot be written stops both."""
    readme_before = project.parent.parent / "README.md"
    readme_before.write_text("old readme\n", encoding="utf-8")
    code, out, err = run("add", "--title", "Brand new", "--section", "not-yet-public",
                         "--no-input", "--render", "--readme", readme)
    assert code == 2 and out == ""
    assert err.startswith(f"Error: cannot write {readme}: ") and "no file was changed" in err
    assert project.read_text(encoding="utf-8") == SHIPPED
    assert readme_before.read_text(encoding="utf-8") == "old readme\n"
    assert sorted(p.name for p in project.parent.parent.rglob("*")) == [
        "README.md", "data", "papers.yaml"]  # no temporary file left behind


@pytest.mark.parametrize("papers", ["papers: []\n", "papers: [ ]   \n", "papers: []"])
def test_add_to_an_empty_catalogue_is_clean_yaml(project: Path, papers: str) -> None:
    head = "title: Empty list\nsections:\n  - id: mri\n    heading: Brain MRI\n"
    project.write_text(head + papers, encoding="utf-8")
    code, out, err = run("add", "--title", "A First Paper", "--venue", "MICCAI'20", "--section",
                         "mri", "--no-input")
    assert code == 0, err
    assert project.read_text(encoding="utf-8") == head + (
        "papers:\n"
        "  - id: 2020first\n"
        "    title: A First Paper\n"
        "    venue: MICCAI'20\n"
        "    year: 2020\n"
        "    sections: [mri]\n")
