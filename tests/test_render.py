"""Rendering: the golden seed, TOC anchors, escaping and the entry dialect."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from awesome_medad.catalogue import Catalogue, Paper, Section, load_catalogue
from awesome_medad.render import format_date, link_target, render, render_entry
from tests.conftest import MINIMAL, REPO, SEED_CATALOGUE


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(SEED_CATALOGUE)


def test_shipped_catalogue_renders_the_seed_byte_for_byte(shipped: Catalogue,
                                                         seed_text: str) -> None:
    out = render(shipped)
    assert out[: len(seed_text)] == seed_text
    assert out[len(seed_text):].startswith("\n---\n\n## For maintainers\n")


def test_readme_is_the_rendered_catalogue() -> None:
    current = load_catalogue(REPO / "data" / "papers.yaml")
    assert (REPO / "README.md").read_text(encoding="utf-8") == render(current)


def test_render_is_deterministic(shipped: Catalogue) -> None:
    again = load_catalogue(SEED_CATALOGUE)
    assert render(shipped).encode() == render(again).encode()


def section(sid: str, heading: str, depth: int = 1, children: tuple[Section, ...] = (),
            toc: str | None = None, parent: str = "") -> Section:
    path = f"{parent}/{sid}" if parent else sid
    return Section(sid, path, heading, toc, depth, children, ())


def paper(**fields: object) -> Paper:
    base: dict[str, object] = {"id": "p", "title": "A title", "sections": ("a",), "index": 0}
    base.update(fields)
    return Paper(**base)  # type: ignore[arg-type]


def test_toc_follows_renamed_and_repeated_headings() -> None:
    tree = (
        section("a", "Deep *learning*", children=(section("m", "Brain MRI", 2, parent="a"),)),
        section("b", "Classic", children=(section("m", "Brain MRI", 2, parent="b"),)),
        section("c", "Brain MRI", toc="Brain MRI (again)"),
    )
    catalogue = Catalogue(title="T", sections=tree, papers=(paper(sections=("a/m",)),))
    toc = render(catalogue).split("## Overview\n", 1)[1].split("\n\n", 1)[0]
    assert toc == (
        "- [Deep *learning*](#deep-learning)\n"
        "  * [Brain MRI](#brain-mri)\n"
        "- [Classic](#classic)\n"
        "  * [Brain MRI](#brain-mri-1)\n"
        "- [Brain MRI (again)](#brain-mri-2)"
    )


def test_whole_small_list() -> None:
    tree = (section("a", "Family", children=(section("m", "MRI", 2, parent="a"),)),
            section("e", "Empty"))
    catalogue = Catalogue(
        title="My list", intro="Intro text.", updated=dt.date(2021, 5, 3), contact="Write me.",
        sections=tree, papers=(paper(sections=("a/m",), authors=("Ann Lee",)),),
        footer="Footer text.\n")
    assert render(catalogue) == (
        "# My list\nIntro text.\n\n--- Last updated: May 3, 2021 ---\n\nWrite me.\n\n"
        "## Overview\n- [Family](#family)\n  * [MRI](#mri)\n- [Empty](#empty)\n\n"
        "# Family\n## MRI\n- [Lee] [A title]\n\n# Empty\n\nFooter text.\n"
    )


@pytest.mark.parametrize(
    ("fields", "line"),
    [
        ({"authors": ("Chen",), "et_al": True, "venue": "MIDL'18",
          "links": (("google scholar", "https://s.org/q"), ("pdf", "https://a.org/1"))},
         "- [Chen _et. al._] [A title] [MIDL'18] [[google scholar]](https://s.org/q) "
         "[[pdf]](https://a.org/1)"),
        ({"venue": "ECCV'20", "links": (("pdf", "http://z.pro/p.pdf"),
                                        ("code", "https://github.com/a/b"))},
         "- [A title] [ECCV'20] [[pdf]](http://z.pro/p.pdf)[[code]](https://github.com/a/b)"),
        ({"short": "AnoGAN", "venue": "IPMI'17",
          "links": (("pdf", "https://x.org/p"), ("unofficial code", "https://g.com/c"))},
         "- [A title (**AnoGAN**)] [IPMI'17] [[pdf]](https://x.org/p)"
         "[[unofficial code]](https://g.com/c)"),
        ({"authors": ("Xiaoran Chen", "Ender Konukoglu")}, "- [Chen _et. al._] [A title]"),
        ({"authors": ("Seeböck, Philipp",)}, "- [Seeböck] [A title]"),
        ({"title": "Escaping [brackets] and a | pipe", "venue": "MICCAI'20 [oral]"},
         "- [Escaping \\[brackets\\] and a | pipe] [MICCAI'20 \\[oral\\]]"),
        ({"links": (("pdf", "https://en.wikipedia.org/wiki/Foo_(bar)"),)},
         "- [A title] [[pdf]](https://en.wikipedia.org/wiki/Foo_(bar))"),
        ({"links": (("pdf", "https://x.org/a)b"),)}, "- [A title] [[pdf]](<https://x.org/a)b>)"),
        ({"raw": "1. Anything | **[CVPR' 19]** | [pdf](https://x.org)"},
         "1. Anything | **[CVPR' 19]** | [pdf](https://x.org)"),
    ],
)
def test_entry_dialect(fields: dict[str, object], line: str) -> None:
    assert render_entry(paper(**fields)) == line


@pytest.mark.parametrize(("url", "target"), [("https://a.org/(x)", "https://a.org/(x)"),
                                             ("https://a.org/(x", "<https://a.org/(x>"),
                                             ("https://a.org/x)(", "<https://a.org/x)(>")])
def test_link_target(url: str, target: str) -> None:
    assert link_target(url) == target


@pytest.mark.parametrize(("day", "text"), [(dt.date(2020, 8, 10), "Aug. 10, 2020"),
                                           (dt.date(2020, 5, 1), "May 1, 2020"),
                                           (dt.date(2019, 12, 31), "Dec. 31, 2019")])
def test_format_date(day: dt.date, text: str) -> None:
    assert format_date(day) == text


def test_cross_listed_paper_appears_in_each_section(write: Callable[..., Path]) -> None:
    text = MINIMAL.replace("[dl/mri]", "[dl/mri, dl/ct]")
    out = render(load_catalogue(write(text)))
    entry = "- [Chen _et. al._] [Unsupervised Detection of Lesions] [MIDL'18]"
    assert out.count(entry) == 2
    assert "## Brain MRI\n" + entry in out and "## Brain CT\n" + entry in out


def test_paper_order_is_catalogue_order(shipped: Catalogue) -> None:
    reordered = dataclasses.replace(shipped, papers=tuple(reversed(shipped.papers)))
    assert render(reordered) != render(shipped)


@pytest.mark.parametrize("text", ["ends with a backslash \\", "C:\\data [v2]", "a \\[b\\] c"])
def test_escape_round_trips(text: str) -> None:
    from awesome_medad.render import escape, unescape

    assert unescape(escape(text)) == text
    line = render_entry(paper(title=text))
    assert line == f"- [{escape(text)}]"
    from awesome_medad.markdown import inline_plain_text

    assert inline_plain_text(line[2:]) == f"[{text}]"
