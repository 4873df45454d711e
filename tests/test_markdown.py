"""The Markdown reader: positions of headings, links, anchors and entries in real dialects."""

from __future__ import annotations

import pytest

from awesome_medad.markdown import inline_plain_text, read_markdown
from tests.conftest import FIXTURES

LISTS = FIXTURES / "lists"


def test_link_kinds_and_positions() -> None:
    text = ("# T\n\nA [link](https://a.org/x) ![img](https://b.org/i.png) <https://c.org> "
            "https://d.org/bare [ref][r] <a href=\"https://e.org\">e</a>\n\n"
            "[r]: https://f.org\n")
    doc = read_markdown(text, "a.md")
    got = [(link.kind, link.url, link.line, link.column, link.url_column) for link in doc.links]
    assert got == [
        ("link", "https://a.org/x", 3, 3, 10),
        ("image", "https://b.org/i.png", 3, 27, 34),
        ("autolink", "https://c.org", 3, 55, 56),
        ("bare", "https://d.org/bare", 3, 71, 71),
        ("reference", "https://f.org", 3, 90, 95),
        ("html", "https://e.org", 3, 99, 108),
    ]


def test_comments_code_and_crlf() -> None:
    text = ("# T\r\n\r\n<!-- [a](https://hidden.org) -->\r\n\r\n```\r\n[b](https://code.org)\r\n"
            "```\r\n\r\n`[c](https://span.org)` [d](https://real.org)\r\n")
    doc = read_markdown(text, "a.md")
    assert [(link.url, link.line, link.column) for link in doc.links] == [
        ("https://real.org", 9, 25)]


def test_html_anchors_and_setext_headings() -> None:
    text = 'Title\n=====\n\n<a name="n1"></a>\n<div id="d1">x</div>\n\nSub\n---\n'
    doc = read_markdown(text, "a.md")
    assert [(h.level, h.text, h.anchor, h.line) for h in doc.headings] == [
        (1, "Title", "title", 1), (2, "Sub", "sub", 7)]
    assert [(a.name, a.line, a.column) for a in doc.anchors] == [("n1", 4, 10), ("d1", 5, 10)]


def test_broken_links_are_found_with_reasons() -> None:
    doc = read_markdown("# T\n\n- [a](http://x.org/a b) [c] (https://y.org) [d](http://x.org/(e\n",
                        "a.md")
    assert [(b.line, b.column, b.reason.split(";")[0]) for b in doc.broken] == [
        (3, 3, "the link target contains a space"),
        (3, 25, "a space between ']' and '(' stops this from being a link"),
        (3, 45, "unbalanced parentheses in the link target"),
    ]


@pytest.mark.parametrize(("name", "expected"), [
    ("pipe-dialect.md", [
        (13, "Deep Learning for Anomaly Detection: A Survey", "arXiv' 19", 2019),
        (14, "Anomaly Detection: A Survey", "CSUR' 09", 2009),
        (17, "Deep One-Class Classification", "ICML' 18", 2018),
    ]),
    ("plus-dialect.md", [
        (10, "MVTec AD", "CVPR 2019", 2019),
        (11, "VisA", "ECCV 2022", 2022),
    ]),
    ("numbered.md", [
        (12, "Unsupervised Anomaly Localization using Variational Auto-Encoders", "MICCAI'19",
         2019),
    ]),
    ("paragraphs.md", [
        (10, "Unsupervised Detection of Lesions in Brain MRI", None, None),
        (11, "Deep Autoencoding Models for Unsupervised Anomaly Segmentation in Brain MR Images",
         None, None),
    ]),
])
def test_entries_in_other_dialects(name: str, expected: list[tuple[int, str, str | None,
                                                                    int | None]]) -> None:
    doc = read_markdown((LISTS / name).read_text(encoding="utf-8"), name)
    got = [(e.line, e.title, e.venue, e.year) for e in doc.entries]
    assert got[: len(expected)] == expected


def test_table_rows_are_entries() -> None:
    doc = read_markdown((LISTS / "paragraphs.md").read_text(encoding="utf-8"), "p.md")
    rows = [(e.line, e.title, len(e.links)) for e in doc.entries if e.kind == "row"]
    assert rows == [(19, "Encoding Structure-Texture Relation with P-Net", 2),
                    (20, "Sparse-GAN for Anomaly Detection in Retinal OCT", 1)]


def test_toc_and_heading_bodies() -> None:
    doc = read_markdown((LISTS / "numbered.md").read_text(encoding="utf-8"), "n.md")
    assert [(t.label, t.fragment, t.link.line) for t in doc.toc] == [
        ("2019", "2019", 6), ("2020", "2020", 7), ("Related lists", "related-lists", 8)]
    assert all(h.has_body for h in doc.headings)


def test_lint_ignore_comments() -> None:
    doc = read_markdown("# T\n<!-- lint-ignore: url-insecure, toc-label -->\n- x\n", "a.md")
    assert doc.suppressed(3, "url-insecure") and doc.suppressed(2, "toc-label")
    assert not doc.suppressed(4, "url-insecure") and not doc.suppressed(3, "anchor-missing")


def test_inline_plain_text_unescapes_entities() -> None:
    assert inline_plain_text("A &amp; `B` [C](u) ![D](i)") == "A & B C "
