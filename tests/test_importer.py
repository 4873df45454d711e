"""``medad import``: the seed reproduces the shipped catalogue; other dialects lose nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad.catalogue import Paper, build_catalogue, load_catalogue
from awesome_medad.cli import main
from awesome_medad.dump import HEADER, dump
from awesome_medad.errors import InvalidInput
from awesome_medad.importer import (
    ImportResult,
    import_file,
    import_list,
    parse_date,
    report_lines,
    segments,
    split_blocks,
    to_yaml,
)
from awesome_medad.render import render
from awesome_medad.yamlsource import load
from tests.conftest import FIXTURES, SEED_CATALOGUE

LISTS = FIXTURES / "lists"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def reload(result: ImportResult) -> ImportResult:
    """Dump and load the imported catalogue, as `medad import` then any command would."""
    catalogue = build_catalogue(*load(dump(result.catalogue), "x"))
    assert catalogue == result.catalogue
    return result


# -- the seed -----------------------------------------------------------------------------


def test_seed_import_equals_the_shipped_catalogue_except_the_footer() -> None:
    result = import_file(FIXTURES / "seed.md")
    shipped_text = SEED_CATALOGUE.read_text(encoding="utf-8")
    shipped = load_catalogue(SEED_CATALOGUE)
    assert result.catalogue.footer is None
    assert dataclasses.replace(result.catalogue, footer=shipped.footer) == shipped
    assert dump(result.catalogue, header="") == dump(
        dataclasses.replace(shipped, footer=None), header="")
    assert dump(dataclasses.replace(result.catalogue, footer=shipped.footer)) == shipped_text


def test_seed_import_then_render_reproduces_the_seed(seed_text: str) -> None:
    assert render(import_file(FIXTURES / "seed.md").catalogue) == seed_text


def test_seed_import_is_fully_structured() -> None:
    result = reload(import_file(FIXTURES / "seed.md"))
    assert (result.structured, result.raw, result.problems) == (33, 0, ())
    catalogue = result.catalogue
    assert catalogue.updated == dt.date(2020, 8, 10)
    pnet = [p for p in catalogue.papers if len(p.sections) > 1]
    assert [(p.id, p.sections) for p in pnet] == [
        ("zhou2020encoding", ("deep-learning/retinal-oct", "deep-learning/retinal-fundus"))]
    anogan = next(p for p in catalogue.papers if p.short)
    assert (anogan.short, anogan.links[-1]) == (
        "AnoGAN", ("unofficial code", "https://github.com/LeeDoYup/AnoGAN-tf"))
    toc = {s.path: s.toc for s in catalogue.walk() if s.toc}
    assert toc == {"not-yet-public": "Not yet public (MICCAI 2020)"}


def test_cli_import_seed_then_render_round_trip(tmp_path: Path, seed_text: str) -> None:
    catalogue = tmp_path / "papers.yaml"
    assert run("import", str(FIXTURES / "seed.md"), "--output", str(catalogue)) == (0, "", "")
    readme = tmp_path / "README.md"
    assert run("render", "--catalogue", str(catalogue), "--output", str(readme))[0] == 0
    assert readme.read_text(encoding="utf-8") == seed_text


# -- other dialects -----------------------------------------------------------------------

PIPES_PROBLEMS = [
    ("import-raw", 8), ("import-raw", 12), ("import-raw", 29), ("import-raw", 42),
    ("import-raw", 43), ("import-duplicate", 50), ("import-raw", 52),
]
PLUS_PROBLEMS = [
    ("import-toc", 1), ("import-raw", 12), ("import-raw", 15), ("import-raw", 25),
    ("import-raw", 48),
]


@pytest.mark.parametrize("name, structured, raw, papers, problems", [
    ("pipes.md", 17, 6, 23, PIPES_PROBLEMS),
    ("plus.md", 14, 4, 17, PLUS_PROBLEMS),
])
def test_other_dialects_structured_and_raw_counts(name: str, structured: int, raw: int,
                                                  papers: int,
                                                  problems: list[tuple[str, int]]) -> None:
    result = reload(import_file(LISTS / name))
    assert (result.structured, result.raw, len(result.catalogue.papers)) == (
        structured, raw, papers)
    assert [(p.rule, p.line) for p in result.problems] == problems


@pytest.mark.parametrize("name", ["pipes.md", "plus.md"])
def test_nothing_is_dropped_and_a_round_trip_is_stable(name: str) -> None:
    result = import_file(LISTS / name)
    markdown = render(result.catalogue)
    for paper in result.catalogue.papers:
        if paper.raw is not None:
            assert paper.raw.strip("\n") in markdown
        else:
            assert paper.title in markdown
            for _, url in paper.links:
                assert f"]({url})" in markdown
    again = import_list(markdown, "rendered.md")  # the README shows the first surname only
    assert [shown(p) for p in again.catalogue.papers] == [
        shown(p) for p in result.catalogue.papers]


def shown(paper: Paper) -> tuple[object, ...]:
    first = paper.authors[0].split()[-1] if paper.authors else None
    return (paper.title, paper.short, first, paper.venue, paper.links, paper.sections, paper.raw)


def fields_of(result: ImportResult, paper_id: str) -> dict[str, object]:
    paper = next(p for p in result.catalogue.papers if p.id == paper_id)
    return {k: v for k, v in dataclasses.asdict(paper).items() if v not in (None, (), False)}


def test_pipe_dialect_entries() -> None:
    result = import_file(LISTS / "pipes.md")
    assert fields_of(result, "2020midas") == {
        "id": "2020midas",
        "title": "MIDAS: Microcluster-Based Detector of Anomalies in Edge Streams",
        "sections": ("time-series-anomaly-detection",), "index": 8, "venue": "AAAI' 20",
        "year": 2020, "links": (("pdf", "https://www.comp.nus.edu.sg/~sbhatia/assets/pdf/midas.pdf"),
                                ("code", "https://github.com/bhatiasiddharth/MIDAS"))}
    mvtec = fields_of(result, "2019mvtec")  # the em dash belongs to the title here
    assert mvtec["title"] == ("MVTec AD — A Comprehensive Real-World Dataset for Unsupervised "
                              "Anomaly Detection")
    assert fields_of(result, "2020timeseries")["venue"] == "NeurIPS' 20"  # no links at all
    catalogue = result.catalogue
    assert catalogue.toc_heading == "Table of Contents"
    assert catalogue.updated == dt.date(2020, 12, 16)
    assert [s.toc for s in catalogue.walk() if s.toc] == ["One Class Classification"]


def test_plus_dialect_numbered_and_paragraph_entries() -> None:
    result = import_file(LISTS / "plus.md")
    assert fields_of(result, "2024real")["links"] == (
        ("pdf", "https://arxiv.org/abs/2403.12580"),
        ("code", "https://github.com/TencentYoutuResearch/AnomalyDetection_Real-IAD"),
        ("data", "https://realiad4ad.github.io/Real-IAD/"))
    mao = fields_of(result, "mao2020abnormality")
    assert mao["authors"] == ("Y. Mao", "F.-F. Xue", "R. Wang", "J. Zhang", "W.-S. Zheng",
                              "H. Liu")
    assert (mao["venue"], mao["links"]) == ("MICCAI 2020", (
        ("paper", "https://link.springer.com/chapter/10.1007/978-3-030-59725-2_51"),))
    zimmerer = fields_of(result, "zimmerer2019unsupervised")
    assert (zimmerer["authors"], zimmerer["et_al"], zimmerer["venue"]) == (
        ("Zimmerer",), True, "MICCAI 2019")
    wolleb = fields_of(result, "wolleb2021self")  # a paragraph entry with <br>
    assert (wolleb["title"], wolleb["venue"]) == (
        "Self-Supervised Anomaly Detection for Medical Images", "MIDL 2021")
    assert fields_of(result, "2024anomalyclip")["sections"] == (
        "recent-research/iclr-2024", "recent-research/zero-shot")
    comment = next(p for p in result.catalogue.papers if p.raw and "PromptAD" in p.raw)
    assert comment.raw is not None and comment.raw.endswith("[[CVPR 2024]]() -->")


# -- building blocks ----------------------------------------------------------------------


def test_split_blocks_kinds() -> None:
    text = ("Title\n=====\n\n- a\n  continued\n  - nested\n- b\n\n```\n# not a heading\n```\n"
            "<!-- - hidden\n- hidden -->\npara\nlazy\n---\n")
    blocks = split_blocks(text.split("\n"))
    assert [(b.kind, b.line, len(b.lines)) for b in blocks] == [
        ("heading", 1, 2), ("item", 4, 3), ("item", 7, 1), ("fence", 9, 3), ("html", 12, 2),
        ("heading", 14, 3)]
    assert blocks[0].text == "Title" and blocks[-1].text == "para lazy"


def test_segments() -> None:
    segs = segments("[Chen _et. al._] [T \\[x\\]] [[pdf]](u(1)) ![b](i) [[c]](<a b>) [t](x \"y\")")
    assert [(s.kind, s.text, s.url) for s in segs if s.text.strip() or s.url] == [
        ("bracket", "Chen _et. al._", ""), ("bracket", "T \\[x\\]", ""),
        ("link", "[pdf]", "u(1)"), ("image", "b", "i"), ("link", "[c]", "a b"),
        ("link", "t", "x")]


@pytest.mark.parametrize("text, day", [
    ("Aug. 10, 2020", dt.date(2020, 8, 10)), ("2020/12/16", dt.date(2020, 12, 16)),
    ("Sept. 3rd, 2021", dt.date(2021, 9, 3)), ("10 August 2020", dt.date(2020, 8, 10)),
    ("yesterday", None),
])
def test_parse_date(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day


def test_cross_listing_only_when_order_is_kept() -> None:
    text = ("# L\n## A\n- [X] [MIDL'18]\n- [Y] [MIDL'18]\n## B\n- [X] [MIDL'18]\n## C\n"
            "- [Z] [MIDL'18]\n- [Y] [MIDL'18]\n")
    result = import_list(text, "l.md")
    assert [(p.title, p.sections) for p in result.catalogue.papers] == [
        ("X", ("a", "b")), ("Y", ("a",)), ("Z", ("c",)), ("Y", ("c",))]
    assert [(p.rule, p.line) for p in result.problems if p.rule != "import-toc"] == [
        ("import-duplicate", 9)]
    assert render(result.catalogue).endswith("# C\n- [Z] [MIDL'18]\n- [Y] [MIDL'18]\n")


def test_flat_list_gets_a_section_and_preamble_moves_to_intro() -> None:
    text = "<p>logo</p>\n\n# Flat\nSome intro.\n\n- [Paper](https://a.org/p) (CVPR 2020)\n"
    result = import_list(text, "flat.md")
    assert result.catalogue.intro == "<p>logo</p>\n\nSome intro."
    assert [s.heading for s in result.catalogue.walk()] == ["Papers"]
    assert [(p.rule, p.line) for p in result.problems] == [
        ("import-moved", 1), ("import-toc", 1), ("import-section", 6)]
    assert result.structured == 1


def test_toc_entry_without_heading_is_reported() -> None:
    text = "# L\n## Contents\n- [A](#a)\n- [Gone](#gone)\n## A\n- [X] [MIDL'18]\n"
    result = import_list(text, "l.md")
    assert [(p.rule, p.line, p.message) for p in result.problems] == [
        ("import-toc", 4, "table-of-contents entry 'Gone' points to '#gone', which no heading "
                          "has; medad render rebuilds the table from the headings")]


def test_prose_without_heading_or_entries_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match=r"l\.md:1:1: error: no heading and no list entries"):
        import_list("just text\n", "l.md")


def test_report_lines() -> None:
    assert list(report_lines(import_file(LISTS / "plus.md"))) == [
        "entries: 18 (14 structured, 4 raw)", "papers: 17 (1 cross-listed)", "sections: 6"]


# -- the command --------------------------------------------------------------------------


def test_cli_refuses_to_overwrite_without_force(write: Callable[..., Path]) -> None:
    existing = write("keep me\n", "out.yaml")
    code, _, err = run("import", str(LISTS / "plus.md"), "--output", str(existing))
    assert code == 2 and f"{existing} already exists; pass --force to overwrite it" in err
    assert existing.read_text() == "keep me\n"
    code, out, err = run("import", str(LISTS / "plus.md"), "-o", str(existing), "--force",
                         "--report")
    assert code == 0
    assert out == "entries: 18 (14 structured, 4 raw)\npapers: 17 (1 cross-listed)\nsections: 6\n"
    assert f"{LISTS / 'plus.md'}:12:1: warning: entry not understood" in err
    assert load_catalogue(existing).title.startswith("Awesome Industrial Anomaly Detection")


def test_cli_import_to_stdout_reports_on_stderr() -> None:
    code, out, err = run("import", str(LISTS / "pipes.md"), "--output", "-", "--report")
    assert code == 0
    assert out.startswith(HEADER)
    assert "title: awesome anomaly detection\n" in out
    assert err.endswith("entries: 23 (17 structured, 6 raw)\npapers: 23 (0 cross-listed)\n"
                        "sections: 7\n")


def test_cli_import_without_heading_exits_2(write: Callable[..., Path], tmp_path: Path) -> None:
    source = write("no heading here\n", "list.md")
    code, _, err = run("import", str(source), "-o", str(tmp_path / "out.yaml"))
    assert code == 2 and f"{source}:1:1: error: no heading and no list entries found" in err
    assert not (tmp_path / "out.yaml").exists()


# -- hostile lists: each imports with warnings at Markdown positions, or exits 2 naming one --

NOT_KEPT = "(fix the link in the raw entry, or rewrite the entry as title/venue/links in the " \
    "catalogue) [import-raw]"

HOSTILE_IMPORTED = [
    pytest.param("# T\n## A\n- [Z] [T2] [2020] [[pdf]](http://a:99999/)\n",
                 ["{f}:3:27: warning: entry kept verbatim as a raw entry: its 'pdf' link "
                  "'http://a:99999/' is not usable: the URL cannot be parsed (Port out of range "
                  "0-65535) " + NOT_KEPT],
                 ["- [Z] [T2] [2020] [[pdf]](http://a:99999/)"], id="port-out-of-range"),
    pytest.param("# T\n## A\n- [Title](javascript:alert(1)) CVPR 2020\n"
                 "- [T] | MICCAI 2020 | [pdf](https://a.org/p) [code](ftp://a.org/c)\n",
                 ["{f}:3:11: warning: entry kept verbatim as a raw entry: its 'pdf' link "
                  "'javascript:alert(1)' is not usable: the URL scheme is 'javascript'; only "
                  "http and https links are allowed " + NOT_KEPT,
                  "{f}:4:53: warning: entry kept verbatim as a raw entry: its 'code' link "
                  "'ftp://a.org/c' is not usable: the URL scheme is 'ftp'; only http and https "
                  "links are allowed " + NOT_KEPT],
                 ["- [Title](javascript:alert(1)) CVPR 2020",
                  "- [T] | MICCAI 2020 | [pdf](https://a.org/p) [code](ftp://a.org/c)"],
                 id="javascript-and-ftp-links"),
    pytest.param("# T\n## \n- [Title] [X]\n###\n- [Other] [MIDL'18]\n",
                 ["{f}:2:1: warning: empty heading; the section is named 'Untitled section' "
                  "(give the section a heading in the catalogue) [import-section]",
                  "{f}:4:1: warning: empty heading; the section is named 'Untitled section' "
                  "(give the section a heading in the catalogue) [import-section]"],
                 ["# Untitled section\n- [Title] [X]\n",  # heading levels are relative
                  "## Untitled section\n- [Other] [MIDL'18]\n"], id="empty-headings"),
    pytest.param("# 🚀\n## 🧠\n- [A] [MIDL'18]\n## 🫀\n- [B] [MIDL'18]\n## **\n- [C] [X]\n",
                 [], ["# 🚀\n", "# 🧠\n- [A] [MIDL'18]\n", "# 🫀\n- [B] [MIDL'18]\n",
                      "# **\n- [C] [X]\n"], id="emoji-and-markup-only-headings"),
    pytest.param("# T\n## A\n- [X] [MIDL'18]\n## A\n- [Y] [MIDL'18]\n## A\n",
                 [], ["- [A](#a)\n- [A](#a-1)\n- [A](#a-2)\n",
                      "# A\n- [X] [MIDL'18]\n\n# A\n- [Y] [MIDL'18]\n\n# A\n"],
                 id="duplicate-headings"),
    pytest.param("- [X] [MIDL'18]\n- [Y] [MIDL'18] [[pdf]](https://a.org/y)\n",
                 ["{f}:1:1: warning: the list has no section headings; its entries go under a "
                  "new section 'Papers' (add headings to the catalogue's sections later) "
                  "[import-section]",
                  "{f}:1:1: warning: the list has no title heading; it is named 'hostile' "
                  "after the file (change 'title:' in the catalogue) [import-title]"],
                 ["# hostile\n", "- [X] [MIDL'18]\n- [Y] [MIDL'18] [[pdf]](https://a.org/y)\n"],
                 id="no-headings-at-all"),
    pytest.param("#\n## A\n- [X] [MIDL'18]\n",
                 ["{f}:1:1: warning: the list has no title heading; it is named 'hostile' "
                  "after the file (change 'title:' in the catalogue) [import-title]"],
                 ["# hostile\n"], id="empty-title"),
    pytest.param("# T\n## A\n- [T] [X] [[]](https://a.org/x) [[pdf]](<https://a.org/x y>)"
                 "\n\n\t\tindented\n\tcode\n",
                 ["{f}:3:1: warning: entry not understood, kept verbatim as a raw entry: - [T] "
                  "[X] [[]](https://a.org/x) [[pdf]](<https://a.org/x y>) (rewrite it as "
                  "title/venue/links in the catalogue when convenient) [import-raw]"],
                 ["[[]](https://a.org/x) [[pdf]](<https://a.org/x y>)\n\n\t\tindented\n\tcode\n"],
                 id="empty-kind-and-tab-indented-continuation"),
    pytest.param("  indented intro\n\n# T\n### A\n",
                 ["{f}:1:1: info: text before the title was moved into the intro (medad renders "
                  "the title first) [import-moved]"], ["# T\n  indented intro\n", "# A\n"],
                 id="no-entries-and-indented-preamble"),
]


@pytest.mark.parametrize("markdown, warnings, kept", HOSTILE_IMPORTED)
def test_hostile_lists_import_with_warnings_at_markdown_positions(
        write: Callable[..., Path], tmp_path: Path, markdown: str, warnings: list[str],
        kept: list[str]) -> None:
    source = write(markdown, "hostile.md")
    output = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(output)])
    assert result.exit_code == 0, result.output
    reported = [line for line in result.stderr.splitlines() if "[import-toc]" not in line]
    assert reported == [w.format(f=source) for w in warnings]
    readme = render(load_catalogue(output))
    for text in kept:  # nothing dropped: each piece is in the rendered list, verbatim
        assert text in readme


@pytest.mark.parametrize("content, error", [
    pytest.param(b"# T\n## A\n- [X] \xff [MIDL'18]\n",
                 "{f}:3:7: error: not valid UTF-8 (byte 0xff)", id="not-utf8"),
    pytest.param(b"", "{f}:1:1: error: the file is empty: there is nothing to import",
                 id="empty-file"),
    pytest.param(b"\n  \n\n", "{f}:1:1: error: the file is empty", id="blank-file"),
    pytest.param(b"just prose, no list\n", "{f}:1:1: error: no heading and no list entries",
                 id="prose"),
    pytest.param(b"# T\n## A\n- [X]\x07 [MIDL'18]\n- [Y] [MIDL'18] \xe2\x80\xa8\n",
                 "{f}:3:6: error: U+0007 (control character) cannot be kept in a YAML "
                 "catalogue (delete it or replace it with a space, then import again) [import]\n"
                 "{f}:4:17: error: U+2028 (LINE SEPARATOR) cannot be kept", id="control-chars"),
])
def test_hostile_lists_that_cannot_be_imported_exit_2_naming_the_markdown(
        write: Callable[..., Path], tmp_path: Path, content: bytes, error: str) -> None:
    source = write(content, "hostile.md")
    output = tmp_path / "out.yaml"
    result = CliRunner().invoke(main, ["import", str(source), "-o", str(output)])
    assert result.exit_code == 2
    assert not isinstance(result.exception, Exception)  # SystemExit, not a traceback
    assert error.format(f=source) in result.stderr
    assert not output.exists()


def test_an_invalid_result_is_reported_against_the_markdown_line() -> None:
    """The safety net: should the import ever build an invalid record, the list's line is named."""
    result = import_list("# T\n## A\n- [X] [MIDL'18]\n\n- [Y] [MIDL'18]\n", "l.md")
    broken = dataclasses.replace(result.catalogue.papers[1], links=(("pdf", "http://a:99999/"),))
    bad = dataclasses.replace(result, catalogue=dataclasses.replace(
        result.catalogue, papers=(result.catalogue.papers[0], broken)))
    with pytest.raises(InvalidInput) as caught:
        to_yaml(bad)
    assert [str(p) for p in caught.value.problems] == [
        "l.md:5:1: error: this part of the list cannot be imported: malformed 'pdf' link: the "
        "URL cannot be parsed (Port out of range 0-65535) (edit it in the list (or report it "
        "as a medad bug), then import again) [import]"]
    assert str(caught.value).startswith("l.md: cannot import this list; nothing was written")
    assert to_yaml(result) == dump(result.catalogue)


BACKSLASH_TITLES = [
    "A \\ B", "C:\\data\\[raw]", "Ends in a backslash \\", "\\[not a link\\]", "[x] \\\\ [y]",
    "a]\\[b",
]


@pytest.mark.parametrize("title", BACKSLASH_TITLES)
def test_titles_with_backslashes_and_brackets_round_trip(title: str) -> None:
    """render escapes ``\\``, ``[`` and ``]``; import undoes exactly that (render.unescape)."""
    quoted = title.replace("\\", "\\\\").replace('"', '\\"')
    text = ("title: T\nsections:\n  - id: mri\n    heading: Brain MRI\npapers:\n"
            f'  - id: p\n    authors: [Chen]\n    title: "{quoted}"\n'
            '    venue: "MIDL\'18 [x]\\\\"\n'
            "    sections: [mri]\n    links:\n      pdf: https://example.org/p.pdf\n")
    catalogue = build_catalogue(*load(text, "t.yaml"))
    assert catalogue.papers[0].title == title
    again = import_list(render(catalogue), "README.md")
    (paper,) = again.catalogue.papers
    assert (paper.raw, paper.title, paper.venue) == (None, title, "MIDL'18 [x]\\")
