"""In-place edits of catalogue text: the bytes around an edit never change."""

from __future__ import annotations

import difflib

import pytest

from awesome_medad.yamledit import (
    EditError,
    Replacement,
    append_block,
    header_comments,
    replace_scalars,
)
from tests.conftest import REPO

BLOCK = ["  - id: doe2021new", "    title: A New Paper", "    sections: [a]"]
HEAD = "title: T\nsections:\n  - {id: a, heading: A}\n"

# A hand-kept catalogue: comments everywhere, odd quoting and key order, no blank lines.
HANDMADE = """\
# my list
title: "T"   # the title
sections:
  - {id: a, heading: A}
papers:
- title: 'First'     # quoted on purpose
  id: first
  sections: [a]
  links: {pdf: "http://example.org/1.pdf"}
- id: second
  sections:
    - a
  title: >-
    Second
  # a comment that belongs to the second paper
# the end
"""


def added_lines(before: str, after: str) -> list[str]:
    """The diff between two texts as lines, asserting nothing was removed or changed."""
    diff = list(difflib.ndiff(before.splitlines(keepends=True), after.splitlines(keepends=True)))
    assert not [line for line in diff if line[0] in "-?"], "".join(diff)
    return [line[2:] for line in diff if line[0] == "+"]


def test_append_to_the_shipped_catalogue_adds_only_the_block() -> None:
    before = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")
    after = append_block(before, ["  - id: new2021paper", "    title: New",
                                  "    sections: [not-yet-public]"])
    assert after == before + (
        "\n  - id: new2021paper\n    title: New\n    sections: [not-yet-public]\n")
    assert added_lines(before, after) == ["\n", "  - id: new2021paper\n", "    title: New\n",
                                          "    sections: [not-yet-public]\n"]


def test_append_keeps_comments_quoting_and_key_order() -> None:
    after = append_block(HANDMADE, BLOCK)
    # No blank line between existing items, so none is added; indented like the items (col 0);
    # after the comment that belongs to the last paper, before the file's closing comment.
    expected = HANDMADE.replace(
        "  # a comment that belongs to the second paper\n",
        "  # a comment that belongs to the second paper\n"
        "- id: doe2021new\n  title: A New Paper\n  sections: [a]\n")
    assert after == expected
    assert added_lines(HANDMADE, after) == ["- id: doe2021new\n", "  title: A New Paper\n",
                                            "  sections: [a]\n"]


@pytest.mark.parametrize("before, after", [
    (HEAD + "papers:\n", HEAD + "papers:\n" + "\n".join(BLOCK) + "\n"),
    (HEAD + "papers:", HEAD + "papers:\n" + "\n".join(BLOCK) + "\n"),
    (HEAD + "papers: []  # none yet\n", HEAD + "papers:   # none yet\n" + "\n".join(BLOCK) + "\n"),
    ("papers: ~\n" + HEAD, "papers:\n" + "\n".join(BLOCK) + "\n" + HEAD),
    (HEAD + "papers: []\n", HEAD + "papers:\n" + "\n".join(BLOCK) + "\n"),
    (HEAD + "papers: []", HEAD + "papers:\n" + "\n".join(BLOCK) + "\n"),
    (HEAD + "papers:\t[] \t\n", HEAD + "papers:\n" + "\n".join(BLOCK) + "\n"),
    (("papers: null\n" + HEAD).replace("\n", "\r\n"),
     ("papers:\n" + "\n".join(BLOCK) + "\n" + HEAD).replace("\n", "\r\n")),
    (HEAD + "papers:  \n", HEAD + "papers:  \n" + "\n".join(BLOCK) + "\n"),  # no value: untouched
])
def test_append_to_an_empty_papers_list(before: str, after: str) -> None:
    assert append_block(before, BLOCK) == after


def test_append_when_papers_is_not_the_last_key() -> None:
    before = "papers:\n  - id: x\n    title: X\n    sections: [a]\n" + HEAD
    after = append_block(before, BLOCK)
    assert after == ("papers:\n  - id: x\n    title: X\n    sections: [a]\n\n"
                     + "\n".join(BLOCK) + "\n" + HEAD)


def test_append_without_final_newline_and_with_crlf_and_bom() -> None:
    before = "\ufeff" + (HEAD + "papers:\n  - id: x\n    title: X\n    sections: [a]").replace(
        "\n", "\r\n")
    after = append_block(before, BLOCK)
    assert after == before + "\r\n\r\n" + "\r\n".join(BLOCK) + "\r\n"


def test_append_after_a_literal_block_keeps_its_value() -> None:
    before = HEAD + "papers:\n  - id: x\n    raw: |\n      - kept\n\n    sections: [a]\n"
    assert append_block(before, BLOCK) == before + "\n" + "\n".join(BLOCK) + "\n"
    keep = HEAD + "papers:\n  - id: x\n    sections: [a]\n    raw: |+\n      - kept\n\n"
    with pytest.raises(EditError, match="would change other content"):
        append_block(keep, BLOCK)  # the kept blank line is part of the value


def test_flow_style_papers_are_refused() -> None:
    with pytest.raises(EditError, match="flow style"):
        append_block(HEAD + "papers: [{id: x, title: X, sections: [a]}]\n", BLOCK)


def test_missing_papers_key() -> None:
    with pytest.raises(EditError, match="no 'papers' key"):
        append_block(HEAD, BLOCK)


@pytest.mark.parametrize("old, new, written", [
    ("https://a.org/x", "https://b.org/y", "https://b.org/y"),
    ("'https://a.org/x'", "https://b.org/it's", "'https://b.org/it''s'"),
    ('"https://a.org/x"', 'https://b.org/"q"', '"https://b.org/\\"q\\""'),
    ("https://a.org/x", "https://b.org/a #b", "'https://b.org/a #b'"),
])
def test_replace_keeps_the_quoting_style(old: str, new: str, written: str) -> None:
    before = HEAD + f"papers:\n  - id: x  # c\n    links:\n      pdf: {old}   # keep me\n"
    after = replace_scalars(before, [Replacement(("papers", 0, "links", "pdf"), new)])
    assert after == before.replace(old, written)


def test_several_replacements_in_one_pass_change_only_those_bytes() -> None:
    after = replace_scalars(HANDMADE, [
        Replacement(("papers", 0, "links", "pdf"), "https://example.org/1.pdf"),
        Replacement(("papers", 0, "title"), "First!"),
    ])
    assert after == HANDMADE.replace('"http://example.org/1.pdf"',
                                     '"https://example.org/1.pdf"').replace("'First'", "'First!'")


def test_replace_refuses_block_scalars_and_missing_keys() -> None:
    with pytest.raises(EditError, match="not a single-line value"):
        replace_scalars(HANDMADE, [Replacement(("papers", 1, "title"), "x")])
    with pytest.raises(EditError, match="cannot find papers -> 0 -> links -> code"):
        replace_scalars(HANDMADE, [Replacement(("papers", 0, "links", "code"), "x")])


def test_replace_in_a_bom_crlf_file_keeps_both() -> None:
    before = "\ufeff" + (HEAD + "papers:\n  - id: x\n    links: {pdf: http://a.org}\n").replace(
        "\n", "\r\n")
    after = replace_scalars(before, [Replacement(("papers", 0, "links", "pdf"),
                                                 "https://a.org")])
    assert after == before.replace("http://a.org", "https://a.org")


def test_header_comments() -> None:
    assert header_comments(HANDMADE) == "# my list\n"
    assert header_comments("\n# a\n\n# b\ntitle: x\n") == "\n# a\n\n# b\n"
    assert header_comments("title: x\n") == ""
