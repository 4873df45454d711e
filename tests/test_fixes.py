"""``medad lint --fix``: safe link rewrites, each reported, the rest of the file byte-identical."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad.catalogue import load_catalogue
from awesome_medad.cli import main
from awesome_medad.fixes import apply_fixes, arxiv_form, https_equivalent, plan_fixes
from tests.conftest import REPO
from tests.local_server import local_server

CATALOGUE = """\
# hand-kept comments stay
title: Test list
sections:
  - id: mri
    heading: Brain MRI
papers:
  - id: a2018x   # first
    title: X
    sections: [mri]
    links:
      pdf: http://arxiv.org/pdf/1806.04972v2.pdf
      code: https://github.com/o/r
  - id: b2019y
    title: Y
    sections: [mri]
    links: {pdf: 'https://export.arxiv.org/abs/1911.12161', site: "http://example.org/y"}
  - id: c2020z
    title: Z
    sections: [mri]
    links:
      pdf: https://arxiv.org/abs/2004.03271
      page: http://old.example.org/z
      code: http://github.com/o/z
"""


@dataclass(frozen=True)
class Result:
    """A live-check result as the link checker reports it (status, final URL)."""

    status: str
    final_url: str | None = None


@pytest.mark.parametrize("url, form", [
    ("http://arxiv.org/pdf/1806.04972v2.pdf", "https://arxiv.org/abs/1806.04972"),
    ("https://www.arxiv.org/abs/1806.04972v1", "https://arxiv.org/abs/1806.04972"),
    ("https://export.arxiv.org/pdf/hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
    ("https://arxiv.org/abs/2004.03271", "https://arxiv.org/abs/2004.03271"),
    ("https://arxiv.org/abs/2004.03271#comments", None),
    ("https://arxiv.org/list/cs.CV/recent", None),
    ("1806.04972", None),
    ("https://github.com/o/r", None),
])
def test_arxiv_form(url: str, form: str | None) -> None:
    assert arxiv_form(url) == form


def test_offline_fixes_rewrite_only_arxiv_urls(write: Callable[..., Path]) -> None:
    path = write(CATALOGUE)
    catalogue = load_catalogue(path)
    fixes = plan_fixes(catalogue)
    assert [(str(f.location), f.rules, f.old, f.new) for f in fixes] == [
        (f"{path}:11:12", ("fix-arxiv-form",), "http://arxiv.org/pdf/1806.04972v2.pdf",
         "https://arxiv.org/abs/1806.04972"),
        (f"{path}:16:18", ("fix-arxiv-form",), "https://export.arxiv.org/abs/1911.12161",
         "https://arxiv.org/abs/1911.12161"),
    ]
    after = apply_fixes(CATALOGUE, fixes, str(path))
    assert after == CATALOGUE.replace(
        "http://arxiv.org/pdf/1806.04972v2.pdf", "https://arxiv.org/abs/1806.04972").replace(
        "'https://export.arxiv.org/abs/1911.12161'", "'https://arxiv.org/abs/1911.12161'")


def test_live_fixes_from_redirect_and_https_results(write: Callable[..., Path]) -> None:
    catalogue = load_catalogue(write(CATALOGUE))
    results = {
        "http://old.example.org/z": Result("redirect", "https://new.example.org/z"),
        "http://github.com/o/z": Result("ok"),
        "https://github.com/o/z": Result("ok"),
        "http://example.org/y": Result("ok", "http://example.org/y/"),
        "https://example.org/y": Result("ok", "https://example.org/elsewhere"),  # not the same
        "https://arxiv.org/abs/2004.03271": Result("redirect", "https://arxiv.org/pdf/2004.03271v3"),
    }
    fixes = plan_fixes(catalogue, results)
    assert [(f.crumb, f.rules, f.new) for f in fixes] == [
        (("papers", 0, "links", "pdf"), ("fix-arxiv-form",), "https://arxiv.org/abs/1806.04972"),
        (("papers", 1, "links", "pdf"), ("fix-arxiv-form",), "https://arxiv.org/abs/1911.12161"),
        (("papers", 2, "links", "page"), ("fix-redirect",), "https://new.example.org/z"),
        (("papers", 2, "links", "code"), ("fix-https",), "https://github.com/o/z"),
    ]  # the arXiv redirect to a versioned PDF is normalised back: no change, no fix


@pytest.mark.parametrize("results, expected", [
    ({"http://a.org/x": Result("ok"), "https://a.org/x": Result("ok")}, True),
    ({"http://a.org/x": Result("redirect", "https://a.org/x"), "https://a.org/x": Result("ok")},
     True),
    ({"http://a.org/x": Result("ok"), "https://a.org/x": Result("dead")}, False),
    ({"http://a.org/x": Result("dead"), "https://a.org/x": Result("ok")}, False),
    ({"http://a.org/x": Result("ok")}, False),
    ({"http://a.org/x": Result("ok", "http://a.org/y"), "https://a.org/x": Result("ok")}, False),
])
def test_https_equivalence_needs_proof(results: dict[str, Result], expected: bool) -> None:
    assert https_equivalent("http://a.org/x", results) is expected


def test_shipped_catalogue_needs_no_fix() -> None:
    assert plan_fixes(load_catalogue(REPO / "data" / "papers.yaml")) == []


def test_cli_lint_fix_reports_each_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "papers.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--offline", "--fix", "--catalogue", str(path),
                                       "--readme", str(tmp_path / "README.md"), "--format",
                                       "text"])
    assert result.exit_code in (0, 1)
    assert result.stderr.startswith(
        f"{path}:11:12: fixed (fix-arxiv-form): http://arxiv.org/pdf/1806.04972v2.pdf -> "
        "https://arxiv.org/abs/1806.04972\n"
        f"{path}:16:18: fixed (fix-arxiv-form): https://export.arxiv.org/abs/1911.12161 -> "
        "https://arxiv.org/abs/1911.12161\n"
        f"medad: 2 fix(es) applied to {path}\n")
    assert path.read_text(encoding="utf-8") == CATALOGUE.replace(
        "http://arxiv.org/pdf/1806.04972v2.pdf", "https://arxiv.org/abs/1806.04972").replace(
        "https://export.arxiv.org/abs/1911.12161", "https://arxiv.org/abs/1911.12161")
    again = CliRunner().invoke(main, ["lint", "--offline", "--fix", "--catalogue", str(path),
                                      "--readme", str(tmp_path / "README.md")])
    assert "fixed" not in again.stderr  # nothing left to fix


@pytest.mark.parametrize("readme, error", [
    (b"# Test list\n\xff\n", "R.md:2:1: error: not valid UTF-8 (byte 0xff)"),
    (b"\xfe# Test list\n", "R.md:1:1: error: not valid UTF-8 (byte 0xfe)"),
])
def test_cli_lint_fix_writes_nothing_when_an_input_is_invalid(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, readme: bytes, error: str) -> None:
    """The README is validated before the fixes are written: exit 2 leaves the catalogue."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "papers.yaml"
    path.write_text(CATALOGUE, encoding="utf-8")
    (tmp_path / "R.md").write_bytes(readme)
    result = CliRunner().invoke(main, ["lint", "--offline", "--fix", "--catalogue", "papers.yaml",
                                       "--readme", "R.md", "--format", "text"])
    assert result.exit_code == 2
    assert error in result.stderr
    assert "fixed" not in result.stderr and "applied" not in result.stderr  # none was written
    assert path.read_text(encoding="utf-8") == CATALOGUE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["R.md", "papers.yaml"]


def test_cli_lint_fix_reports_findings_against_the_fixed_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lint findings (exit 1) do not stop the fixes; they point into the catalogue as written."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "papers.yaml"
    path.write_text(CATALOGUE.replace("title: Y", "title: X"), encoding="utf-8")  # a duplicate
    result = CliRunner().invoke(main, ["lint", "--offline", "--fix", "--catalogue", "papers.yaml",
                                       "--readme", "R.md", "--format", "text"])
    assert result.exit_code == 1
    assert "  14:12  error    'X' is entered twice  [duplicate-paper]" in result.stdout
    # column 60 in the file as written (the fixed arXiv URL before it is 7 characters shorter)
    assert "  16:60  warning  plain http:// link: http://example.org/y" in result.stdout
    assert "medad: 2 fix(es) applied to papers.yaml" in result.stderr
    assert "https://arxiv.org/abs/1911.12161" in path.read_text(encoding="utf-8")


def test_cli_lint_fix_refuses_markdown_files(write: Callable[..., Path]) -> None:
    readme = write("# L\n", "README.md")
    result = CliRunner().invoke(main, ["lint", "--offline", "--fix", str(readme)])
    assert result.exit_code == 2 and "--fix edits the catalogue" in result.stderr


class _Moved(BaseHTTPRequestHandler):
    """``/old`` moved permanently to ``/new``; ``/new`` is fine."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        return

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/old":
            self.send_response(301)
            port = self.server.server_address[1]  # type: ignore[index]
            self.send_header("Location", f"http://127.0.0.1:{port}/new")
        else:
            self.send_response(200 if self.path == "/new" else 404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def moved() -> Iterator[str]:
    with local_server(_Moved) as base:
        yield base


def test_cli_lint_fix_replaces_a_permanent_redirect_found_live(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moved: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    (tmp_path / ".medad.yaml").write_text("rules: {url-insecure: off}\n")
    text = LOCAL.format(old=f"{moved}/old", new=f"{moved}/new")  # no URL leaves this machine
    path = tmp_path / "papers.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", "--fix", "--catalogue", "papers.yaml",
                                       "--no-cache", "--format", "text"])
    assert result.stderr.startswith(
        f"papers.yaml:10:18: fixed (fix-redirect): {moved}/old -> {moved}/new\n"
        "medad: 1 fix(es) applied to papers.yaml\n")
    assert "link-redirect" not in result.stdout  # settled by the fix
    assert path.read_text(encoding="utf-8") == text.replace(f"{moved}/old", f"{moved}/new")


LOCAL = """\
# comments stay
title: Test list
sections:
  - id: mri
    heading: Brain MRI
papers:
  - id: a2018x
    title: X
    sections: [mri]
    links: {{pdf: '{old}', code: {new}}}   # both local
"""
