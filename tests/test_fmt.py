"""``medad fmt``: canonical layout, same content, header comments kept, --check for CI."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad.catalogue import load_catalogue
from awesome_medad.cli import main
from awesome_medad.errors import InvalidInput
from awesome_medad.yamledit import EditError, format_catalogue
from tests.conftest import REPO

MESSY = """\
# Our list.
#   Edit me, then run medad render.

title:    "Test list"
sections:
- heading: Deep learning
  id: dl
  sections: [{id: mri, heading: "Brain MRI"}]
papers:
- sections:
  - dl/mri
  title: "Unsupervised Detection: of Lesions"
  venue: "MIDL'18"
  links: {code: 'https://github.com/o/r', pdf: "https://arxiv.org/abs/1806.04972"}
  id: chen2018unsupervised
  et_al: yes
  authors:
    - Chen
- {id: raw1, raw: "- a raw\\n  entry", sections: [dl/mri]}
"""

FORMATTED = """\
# Our list.
#   Edit me, then run medad render.

title: Test list

sections:
  - id: dl
    heading: Deep learning
    sections:
      - id: mri
        heading: Brain MRI

papers:
  - id: chen2018unsupervised
    authors: [Chen]
    et_al: true
    title: 'Unsupervised Detection: of Lesions'
    venue: MIDL'18
    year: 2018
    sections: [dl/mri]
    links:
      code: https://github.com/o/r
      pdf: https://arxiv.org/abs/1806.04972
    arxiv: '1806.04972'

  - id: raw1
    raw: |-
      - a raw
        entry
    sections: [dl/mri]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_format_is_canonical_and_keeps_the_header() -> None:
    assert format_catalogue(MESSY, "papers.yaml") == FORMATTED.replace(
        "    arxiv: '1806.04972'\n", "")


def test_content_is_unchanged(write: Callable[..., Path]) -> None:
    before = load_catalogue(write(MESSY, "before.yaml"))
    after = load_catalogue(write(format_catalogue(MESSY, "x"), "after.yaml"))
    assert after == before
    assert after.papers[0].year == 2018  # derived before, written out after: the same model


def test_shipped_catalogue_is_already_formatted() -> None:
    text = (REPO / "data" / "papers.yaml").read_text(encoding="utf-8")
    assert format_catalogue(text, "data/papers.yaml") == text


def test_formatting_is_idempotent() -> None:
    once = format_catalogue(MESSY, "x")
    assert format_catalogue(once, "x") == once


def test_crlf_and_bom_are_normalised() -> None:
    text = "\ufeff" + FORMATTED.replace("\n", "\r\n")
    assert format_catalogue(text, "x") == FORMATTED


def test_comments_outside_the_header_are_refused_with_their_lines() -> None:
    text = MESSY.replace("  venue: \"MIDL'18\"\n", "  venue: \"MIDL'18\"  # check year\n")
    text = text.replace("papers:\n", "papers:\n# first paper\n")
    with pytest.raises(EditError) as caught:
        format_catalogue(text, "papers.yaml")
    message = str(caught.value.message)
    assert "papers.yaml:10:1: error: this comment would be lost by `medad fmt`" in message
    assert "papers.yaml:14:21: error: this comment would be lost" in message


def test_hash_inside_values_is_not_a_comment() -> None:
    text = MESSY.replace("https://github.com/o/r", "https://github.com/o/r#readme").replace(
        '"Unsupervised Detection: of Lesions"', '"Lesions # 1"')
    assert "#readme" in format_catalogue(text, "x")


def test_invalid_catalogue_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="unknown key 'titel'"):
        format_catalogue(MESSY.replace("title:    ", "titel: "), "x")


def test_cli_check_then_fix_then_check(write: Callable[..., Path]) -> None:
    path = write(MESSY)
    code, out, err = run("fmt", "--catalogue", str(path), "--check")
    assert code == 1
    assert out.startswith(f"--- {path} (on disk)\n+++ {path} (formatted)\n")
    assert err == f"{path} is not formatted: run `medad fmt`\n"
    assert path.read_text() == MESSY
    assert run("fmt", "--catalogue", str(path)) == (0, f"formatted {path}\n", "")
    assert run("fmt", "--catalogue", str(path), "--check") == (0, "", "")


def test_cli_leaves_a_formatted_file_byte_identical(write: Callable[..., Path]) -> None:
    path = write(FORMATTED)
    before = path.read_bytes()
    assert run("fmt", "--catalogue", str(path)) == (0, "", "")
    assert path.read_bytes() == before


def test_cli_refuses_to_drop_comments_and_leaves_the_file(write: Callable[..., Path]) -> None:
    text = MESSY.replace("papers:\n", "papers:  # keep\n")
    path = write(text)
    code, _, err = run("fmt", "--catalogue", str(path))
    assert code == 2 and f"{path}:9:10: error: this comment would be lost" in err
    assert path.read_text() == text
