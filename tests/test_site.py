"""``medad site``: page generation, escaping of catalogue text, link filtering, CSP, the CLI.

What the page *does* in a browser is proven in ``test_site_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from awesome_medad.catalogue import Catalogue, Paper, Section, load_catalogue
from awesome_medad.cli import main
from awesome_medad.site import build_page, meta_line, page_data, script_json, write_site
from tests.conftest import MINIMAL, REPO, SEED_CATALOGUE

XSS_TITLE = "<img src=x onerror=alert(1)>"
SCRIPT_TITLE = "</script><script>window.__medadXss = 2</script><!--"


def embedded_data(page: str) -> Any:
    match = re.search(r'<script id="medad-data" type="application/json">(.*?)</script>', page,
                      re.S)
    assert match, "no data block"
    return json.loads(match.group(1))


def section(sid: str, heading: str, depth: int = 1, children: tuple[Section, ...] = (),
            parent: str = "") -> Section:
    return Section(sid, f"{parent}/{sid}" if parent else sid, heading, None, depth, children, ())


def tree() -> tuple[Section, ...]:
    return (
        section("dl", "Deep learning", children=(
            section("mri", "Brain MRI", 2, parent="dl"),
            section("oct", "Retinal OCT", 2, (section("wide", "Wide-field", 3, parent="dl/oct"),),
                    parent="dl"))),
        section("classic", "Classic", children=(section("mri", "Brain MR", 2, parent="classic"),)),
        section("misc", "Related"),
    )


def paper(pid: str, **fields: Any) -> Paper:
    base: dict[str, Any] = {"id": pid, "title": f"Title {pid}", "sections": ("misc",), "index": 0}
    base.update(fields)
    return Paper(**base)


def test_page_data_shapes_families_modalities_and_years() -> None:
    catalogue = Catalogue(title="T", sections=tree(), papers=(
        paper("a", sections=("dl/oct/wide", "classic/mri"), year=2020, venue="MICCAI'20",
              authors=("Kang Zhou", "Ann Lee"), et_al=True),
        paper("b", year=None, venue="Workshop"),
        paper("c", year=2018, sections=("dl/mri",)),
    ))
    data = page_data(catalogue)
    assert data["families"] == [{"id": "dl", "label": "Deep learning"},
                                {"id": "classic", "label": "Classic"},
                                {"id": "misc", "label": "Related"}]
    # brain MRI under two families is one filter; differing headings are both shown
    assert data["modalities"] == [{"id": "mri", "label": "Brain MRI / Brain MR"},
                                  {"id": "oct", "label": "Retinal OCT"}]
    assert data["years"] == [2020, 2018]
    first = data["papers"][0]
    assert (first["families"], first["modalities"]) == (["dl", "classic"], ["oct", "mri"])
    assert first["where"] == ["Deep learning \u203a Retinal OCT \u203a Wide-field",
                              "Classic \u203a Brain MR"]
    assert first["meta"] == "Kang Zhou, Ann Lee et al. \u00b7 MICCAI'20"
    assert data["papers"][1]["meta"] == "Workshop"
    assert data["papers"][2]["meta"] == "2018"


@pytest.mark.parametrize(("fields", "meta"), [
    ({"authors": ("Chen",), "et_al": True, "venue": "MIDL'18", "year": 2018},
     "Chen et al. \u00b7 MIDL'18"),
    ({"authors": ("Chen",), "venue": "MIDL'18", "year": 2019}, "Chen \u00b7 MIDL'18 \u00b7 2019"),
    ({"venue": "arxiv, 2020", "year": 2020}, "arxiv, 2020"),
    ({}, ""),
])
def test_meta_line(fields: dict[str, Any], meta: str) -> None:
    assert meta_line(paper("p", **fields)) == meta


def test_only_http_links_reach_the_page() -> None:
    links = (("pdf", "https://example.org/a.pdf"), ("evil", "javascript:alert(1)"),
             ("data", "data:text/html,<b>x</b>"), ("ftp", "ftp://example.org/x"),
             ("code", "HTTP://GitHub.com/a/b"), ("spaced", "https://exa mple.org/"))
    data = page_data(Catalogue(title="T", sections=tree(), papers=(paper("a", links=links),)))
    assert data["papers"][0]["links"] == [["pdf", "https://example.org/a.pdf"],
                                          ["code", "HTTP://GitHub.com/a/b"]]


def test_catalogue_text_cannot_escape_the_data_block(write: Callable[..., Path]) -> None:
    text = MINIMAL.replace("title: Unsupervised Detection of Lesions",
                           f"title: '{SCRIPT_TITLE}'").replace(
        "  - id: chen2018unsupervised",
        f"  - id: xss\n    title: '{XSS_TITLE}'\n    sections: [dl/ct]\n"
        "  - id: chen2018unsupervised")
    catalogue = load_catalogue(write(text))
    page = build_page(catalogue)
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<img" not in page and "<!--" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    titles = [p["title"] for p in embedded_data(page)["papers"]]
    assert titles == [XSS_TITLE, SCRIPT_TITLE]


def test_list_metadata_is_html_escaped(write: Callable[..., Path]) -> None:
    text = MINIMAL.replace("title: Test list", "title: 'Tom & Jerry <b>\"list\"</b>'")
    page = build_page(load_catalogue(write(text)), source="data/<x>.yaml")
    assert "<title>Tom &amp; Jerry &lt;b&gt;&quot;list&quot;&lt;/b&gt;</title>" in page
    assert "<h1>Tom &amp; Jerry &lt;b&gt;&quot;list&quot;&lt;/b&gt;</h1>" in page
    assert "data/&lt;x&gt;.yaml" in page and "<b>" not in page


@pytest.mark.parametrize(("value", "text"), [
    ("</script>", '"\\u003c/script\\u003e"'),
    ("a & b", '"a \\u0026 b"'),
    ("\u2028\u2029", '"\\u2028\\u2029"'),
    ("Müller", '"Müller"'),
])
def test_script_json(value: str, text: str) -> None:
    assert script_json(value) == text
    assert json.loads(script_json(value)) == value


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_csp_allows_exactly_the_inline_script_and_style() -> None:
    page = build_page(load_catalogue(REPO / "data" / "papers.yaml"))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    assert script and style
    policy = dict(part.strip().split(" ", 1) for part in csp.group(1).split(";"))
    assert policy["default-src"] == "'none'" and policy["connect-src"] == "'none'"
    assert policy["script-src"] == f"'sha256-{_sha256(script.group(1))}'"
    assert policy["style-src"] == f"'sha256-{_sha256(style.group(1))}'"


def test_page_is_self_contained_and_deterministic() -> None:
    catalogue = load_catalogue(SEED_CATALOGUE)
    page = build_page(catalogue, "data/papers.yaml")
    assert page == build_page(load_catalogue(SEED_CATALOGUE), "data/papers.yaml")
    assert "@@" not in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing loaded remotely
    assert len(embedded_data(page)["papers"]) == len(catalogue.papers) == 32
    assert "<html lang=\"en\">" in page and 'name="viewport"' in page
    assert '<label for="q">' in page and 'aria-live="polite"' in page


def test_assets_are_package_data() -> None:
    line = re.search(r'^"awesome_medad\.site" = \[(.*)\]$',
                     (REPO / "pyproject.toml").read_text(), re.M)
    assert line, "pyproject.toml must ship the page's assets as package data"
    patterns = re.findall(r'"([^"]+)"', line.group(1))
    assets = {p.name for p in (REPO / "awesome_medad" / "site").iterdir() if p.suffix != ".py"
              and p.is_file()}
    assert assets == {"page.html", "page.css", "page.js"}
    assert all(any(Path(a).match(pattern) for pattern in patterns) for a in assets)


def test_write_site_creates_directory(tmp_path: Path) -> None:
    target = write_site(load_catalogue(REPO / "data" / "papers.yaml"), tmp_path / "a" / "b")
    assert target == tmp_path / "a" / "b" / "index.html" and target.stat().st_size > 10_000


def test_cli_site(tmp_path: Path, write: Callable[..., Path]) -> None:
    catalogue_path = write(MINIMAL)
    out = tmp_path / "_site"
    result = CliRunner().invoke(main, ["site", "--catalogue", str(catalogue_path),
                                       "--output", str(out)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (out / "index.html").read_text() == build_page(load_catalogue(catalogue_path),
                                                          str(catalogue_path))


def test_cli_site_errors_exit_2(tmp_path: Path, write: Callable[..., Path]) -> None:
    blocker = write("x", "blocker")
    result = CliRunner().invoke(main, ["site", "--catalogue", str(write(MINIMAL)),
                                       "--output", str(blocker / "sub")])
    assert result.exit_code == 2 and "cannot create the directory" in result.stderr
    bad = write("title: x\nsections: []\npapers: 3\n", "bad.yaml")
    result = CliRunner().invoke(main, ["site", "--catalogue", str(bad), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "bad.yaml:3:" in result.stderr


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_text_colours_meet_wcag_aa_in_light_and_dark_mode() -> None:
    css = (REPO / "awesome_medad" / "site" / "page.css").read_text()
    light, dark = (dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", block)) for block in
                   (css.split("@media (prefers-color-scheme: dark)")[0],
                    css.split("@media (prefers-color-scheme: dark)")[1].split("}\n}")[0]))
    for scheme in (light, dark):
        for name in ("fg", "muted", "link"):
            for background in ("bg", "card"):
                assert _contrast(scheme[name], scheme[background]) >= 4.5, (name, background)

