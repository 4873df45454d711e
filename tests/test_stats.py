"""Statistics: exact JSON and tables, link health from the link cache, the SVG chart, and the
chart's embedding in ``medad render`` (catalogue ``chart:`` key)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad.catalogue import Catalogue, load_catalogue
from awesome_medad.cli import main
from awesome_medad.dump import dump
from awesome_medad.errors import InvalidInput
from awesome_medad.render import render
from awesome_medad.stats import _nice_max, chart_data, chart_svg, compute, describe, render_tables
from tests.conftest import MINIMAL, REPO, SEED_CATALOGUE

STATS_YAML = """\
title: Stats list
sections:
  - id: dl
    heading: Deep learning
    sections:
      - id: mri
        heading: Brain MRI
      - id: oct
        heading: Retinal OCT
  - id: classic
    heading: Classic
    sections:
      - id: mri
        heading: Brain MRI
  - id: misc
    heading: Related [work] & <more>
papers:
  - id: a
    title: A
    venue: MIDL'19
    sections: [dl/mri]
    links:
      pdf: https://example.org/a.pdf
  - id: b
    title: B
    venue: MICCAI'20
    sections: [dl/oct, dl/mri]
    links:
      pdf: https://arxiv.org/abs/2001.00001
      code: https://github.com/Owner/Repo
  - id: c
    title: C
    venue: MICCAI'20
    sections: [dl/oct]
    links:
      pdf: https://dead.example.org/c
  - id: d
    title: D
    venue: MIA, 2017
    sections: [classic/mri]
    links:
      pdf: https://publisher.example.com/d
  - id: e
    title: E
    sections: [misc]
  - id: f
    title: F
    venue: arxiv, 2019
    sections: [dl/oct]
    links:
      pdf: https://example.org/f
  - id: g
    title: G
    venue: ISBI'20
    sections: [misc]
    links:
      pdf: https://example.org/g
"""

LINK_CACHE = {"version": 1, "entries": {
    "https://example.org/a.pdf": {"status": "ok", "code": 200, "checked_at": 1718000000.0},
    "arxiv:2001.00001": {"status": "dead", "checked_at": 1718000100.0},
    "github:Owner/Repo": {"status": "ok", "checked_at": 1718000050.0},
    "https://dead.example.org/c": {"status": "error", "detail": "timeout",
                                   "checked_at": 1718000200.0},
    "https://publisher.example.com/d": {"status": "unverified", "code": 403,
                                        "checked_at": 1718000000.0},
    "https://example.org/f": {"status": "skipped", "checked_at": 1918000000.0},
    "https://unrelated.example.org/": {"status": "ok", "checked_at": 1918000000.0},
}}

NO_CACHE = {"cached": False, "message": "no link check cached"}


def expected_json(links: dict[str, object]) -> dict[str, object]:
    def cell(family: str, fpath: str, modality: str | None, mpath: str | None,
             n: int) -> dict[str, object]:
        return {"family": family, "family_path": fpath, "modality": modality,
                "modality_path": mpath, "papers": n}

    return {
        "papers": 7, "listings": 8,
        "family_modality": [
            cell("Deep learning", "dl", "Brain MRI", "dl/mri", 2),
            cell("Deep learning", "dl", "Retinal OCT", "dl/oct", 3),
            cell("Classic", "classic", "Brain MRI", "classic/mri", 1),
            cell("Related [work] & <more>", "misc", None, None, 2),
        ],
        "years": [{"year": 2017, "papers": 1}, {"year": 2019, "papers": 2},
                  {"year": 2020, "papers": 3}, {"year": None, "papers": 1}],
        "venues": [{"venue": "MICCAI", "papers": 2}, {"venue": "arXiv", "papers": 1},
                   {"venue": "ISBI", "papers": 1}, {"venue": "MIA", "papers": 1},
                   {"venue": "MIDL", "papers": 1}],
        "links": links,
    }


TABLES = """\
7 papers, 8 listings
Papers per method family x modality
┏━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━┓
┃ Family                  ┃ Modality    ┃ Papers ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━┩
│ Deep learning           │ Brain MRI   │      2 │
│                         │ Retinal OCT │      3 │
├─────────────────────────┼─────────────┼────────┤
│ Classic                 │ Brain MRI   │      1 │
├─────────────────────────┼─────────────┼────────┤
│ Related [work] & <more> │ -           │      2 │
└─────────────────────────┴─────────────┴────────┘
Papers per year
┏━━━━━━━━━┳━━━━━━━━┓
┃ Year    ┃ Papers ┃
┡━━━━━━━━━╇━━━━━━━━┩
│ 2017    │      1 │
│ 2019    │      2 │
│ 2020    │      3 │
│ unknown │      1 │
└─────────┴────────┘
Top 10 venues
┏━━━━━━━━┳━━━━━━━━┓
┃ Venue  ┃ Papers ┃
┡━━━━━━━━╇━━━━━━━━┩
│ MICCAI │      2 │
│ arXiv  │      1 │
│ ISBI   │      1 │
│ MIA    │      1 │
│ MIDL   │      1 │
└────────┴────────┘
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "papers.yaml").write_text(STATS_YAML, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def catalogue(project: Path) -> Catalogue:
    return load_catalogue(project / "papers.yaml")


def write_cache(project: Path, content: str) -> Path:
    path = project / ".medad-cache" / "links.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_json_without_link_cache(project: Path) -> None:
    code, out, err = run("stats", "--catalogue", "papers.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert out == json.dumps(expected_json(NO_CACHE), indent=2, ensure_ascii=False) + "\n"


def test_json_with_link_cache(project: Path) -> None:
    write_cache(project, json.dumps(LINK_CACHE))
    code, out, _ = run("stats", "--catalogue", "papers.yaml", "--format", "json")
    assert code == 0
    assert json.loads(out) == expected_json({
        "cached": True, "source": str(Path(".medad-cache") / "links.json"),
        "checked_at": "2024-06-10T06:16:40+00:00", "links": 7, "ok": 2, "redirect": 0,
        "dead": 1, "error": 1, "unverified": 1, "unchecked": 2})


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "no link check cached (.medad-cache/links.json is unreadable: "),
    ('{"version": 2, "entries": {}}', "no link check cached (.medad-cache/links.json is "
     "unreadable: not a medad link cache of this version)"),
    ('["https://example.org/a.pdf"]', "no link check cached (.medad-cache/links.json is "
     "unreadable: not a medad link cache of this version)"),
])
def test_unreadable_link_cache_is_reported_not_raised(project: Path, content: str,
                                                      message: str) -> None:
    write_cache(project, content)
    code, out, _ = run("stats", "--catalogue", "papers.yaml", "--format", "json")
    assert code == 0
    assert json.loads(out)["links"]["message"].startswith(message)
    assert json.loads(out)["links"]["cached"] is False


@pytest.mark.parametrize(("config_name", "config"), [
    (".medad.yaml", "links:\n  cache: elsewhere/cache\n"),
    ("pyproject.toml", '[tool.medad.links]\ncache = "elsewhere/cache"\n'),
])
def test_stats_reads_the_configured_cache_dir(project: Path, config_name: str,
                                              config: str) -> None:
    (project / config_name).write_text(config, encoding="utf-8")
    write_cache(project, '{"version": 2}')  # the default place: not read
    (project / "elsewhere" / "cache").mkdir(parents=True)
    (project / "elsewhere" / "cache" / "links.json").write_text(json.dumps(LINK_CACHE),
                                                                encoding="utf-8")
    code, out, err = run("stats", "--catalogue", "papers.yaml", "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["links"]["source"] == str(Path("elsewhere/cache/links.json"))
    assert json.loads(out)["links"]["ok"] == 2
    code, out, _ = run("stats", "--catalogue", "papers.yaml", "--format", "json",
                       "--cache-dir", ".medad-cache")  # the option wins over the file
    assert code == 0
    assert json.loads(out)["links"]["message"].endswith("not a medad link cache of this version)")


def test_stats_with_a_bad_link_configuration_exits_2(project: Path) -> None:
    (project / ".medad.yaml").write_text("links:\n  cache: ''\n", encoding="utf-8")
    code, out, err = run("stats", "--catalogue", "papers.yaml", "--format", "json")
    assert (code, out) == (2, "")
    assert "links -> cache: expected a non-empty string" in err


def test_link_cache_with_odd_entries_counts_them_unchecked(project: Path) -> None:
    write_cache(project, json.dumps({"version": 1, "entries": {
        "https://example.org/a.pdf": "ok", "https://example.org/g": {"status": "weird"},
        "https://example.org/f": {"status": "redirect", "checked_at": True}}}))
    links = compute(load_catalogue(project / "papers.yaml"), project / ".medad-cache").links
    assert (links["redirect"], links["unchecked"], links["checked_at"]) == (1, 6, None)


def test_text_tables(catalogue: Catalogue) -> None:
    text = render_tables(compute(catalogue), width=100)
    assert text == TABLES + "Link health: no link check cached\n"


def test_text_tables_link_line_and_cli(project: Path) -> None:
    write_cache(project, json.dumps(LINK_CACHE))
    code, out, _ = run("stats", "--catalogue", "papers.yaml")
    assert code == 0
    assert out == TABLES + (
        "Link health of 7 links (checked 2024-06-10T06:16:40+00:00): 2 ok, 0 redirect, 1 dead, "
        "1 error, 1 unverified, 2 unchecked\n")


def test_colour_only_when_asked(catalogue: Catalogue) -> None:
    assert "\x1b[" not in render_tables(compute(catalogue))
    assert "\x1b[" in render_tables(compute(catalogue), color=True)


def test_shipped_catalogue_stats() -> None:
    stats = compute(load_catalogue(SEED_CATALOGUE)).as_json()
    assert (stats["papers"], stats["listings"]) == (32, 33)  # P-Net is cross-listed
    assert stats["years"] == [{"year": 2017, "papers": 2}, {"year": 2018, "papers": 4},
                              {"year": 2019, "papers": 10}, {"year": 2020, "papers": 16}]
    assert stats["venues"][:2] == [{"venue": "MICCAI", "papers": 8},
                                   {"venue": "arXiv", "papers": 6}]


# -- the chart --------------------------------------------------------------------------------
SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_well_formed_accessible_svg(catalogue: Catalogue) -> None:
    root = ET.fromstring(chart_svg(catalogue))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("aria-labelledby") == "medad-chart-title medad-chart-desc"
    assert root.findtext(f"{SVG}title") == "Papers per year, stacked by imaging modality"
    assert root.findtext(f"{SVG}desc") == (
        "6 papers from 2017 to 2020. 2017: 1 (Brain MRI 1). 2018: 0. "
        "2019: 2 (Brain MRI 1, Retinal OCT 1). 2020: 3 (Retinal OCT 2, No modality 1). "
        "1 paper without a year is not shown.")
    style = root.findtext(f"{SVG}style") or ""
    assert "@media (prefers-color-scheme: dark)" in style


def test_chart_bars_stack_by_primary_modality(catalogue: Catalogue) -> None:
    root = ET.fromstring(chart_svg(catalogue))
    bars = {g.get("data-year"): g for g in root.iter(f"{SVG}g") if g.get("data-year")}
    assert list(bars) == ["2017", "2018", "2019", "2020"]  # the empty year 2018 is kept
    segments = {year: [(r.findtext(f"{SVG}title"), float(r.get("height", 0)))
                       for r in g.iter(f"{SVG}rect")] for year, g in bars.items()}
    unit = segments["2017"][0][1]
    assert segments["2020"] == [("2020, Retinal OCT: 2", pytest.approx(2 * unit, abs=0.1)),
                                ("2020, No modality: 1", pytest.approx(unit, abs=0.1))]
    assert segments["2018"] == []
    legend = [t.text for t in root.iter(f"{SVG}text")][-3:]
    assert legend == ["Brain MRI", "Retinal OCT", "No modality"]


def test_chart_escapes_text(write: Callable[..., Path]) -> None:
    text = MINIMAL.replace("heading: Brain MRI", "heading: 'MRI <b> & \"x\"'")
    svg = chart_svg(load_catalogue(write(text)))
    assert "MRI &lt;b&gt; &amp; &quot;x&quot;" in svg
    ET.fromstring(svg)


def test_chart_without_dated_papers(write: Callable[..., Path]) -> None:
    text = MINIMAL.replace("    venue: MIDL'18\n    year: 2018\n", "")
    catalogue = load_catalogue(write(text))
    assert chart_data(catalogue).years == ()
    assert describe(chart_data(catalogue)) == "No paper has a known year."
    root = ET.fromstring(chart_svg(catalogue))
    assert "No paper has a known year" in [t.text for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(("value", "expected"), [
    (0, (1, 1)), (1, (1, 1)), (3, (3, 1)), (6, (6, 2)), (9, (10, 2)), (16, (20, 5)),
    (1234, (1500, 500)),
])
def test_nice_axis_maximum(value: int, expected: tuple[int, int]) -> None:
    assert _nice_max(value) == expected


def test_cli_writes_chart_atomically(project: Path) -> None:
    code, _, _ = run("stats", "--catalogue", "papers.yaml", "--chart", "docs/chart.svg")
    assert code == 2  # the docs directory does not exist: a clear error, nothing written
    (project / "docs").mkdir()
    assert run("stats", "--catalogue", "papers.yaml", "--format", "json", "--chart",
               "docs/chart.svg")[0] == 0
    ET.parse(project / "docs" / "chart.svg")


# -- embedding the chart in the README ----------------------------------------------------------
CHART_KEY = "chart:\n  path: docs/papers-per-year.svg\n"


def with_chart(extra: str) -> str:
    return MINIMAL.replace("sections:\n", extra + "sections:\n", 1)


def test_render_embeds_chart_after_the_list_before_the_footer(
        write: Callable[..., Path]) -> None:
    text = with_chart("footer: '---\n\n  Made by hand.'\n" + CHART_KEY)
    out = render(load_catalogue(write(text)))
    assert out.endswith(
        "[[pdf]](https://arxiv.org/abs/1806.04972)\n\n## Brain CT\n\n"
        "![Papers per year, stacked by imaging modality](docs/papers-per-year.svg)\n\n"
        "---\nMade by hand.\n")


def test_render_chart_alt_text_is_escaped(write: Callable[..., Path]) -> None:
    text = with_chart(CHART_KEY + "  alt: 'Papers [by year]'\n")
    assert render(load_catalogue(write(text))).endswith(
        "\n\n![Papers \\[by year\\]](docs/papers-per-year.svg)\n")


def test_shipped_catalogue_has_no_chart() -> None:
    assert load_catalogue(REPO / "data" / "papers.yaml").chart is None


def test_dump_writes_the_chart_back(write: Callable[..., Path]) -> None:
    catalogue = load_catalogue(write(with_chart(CHART_KEY + "  alt: Per year\n")))
    again = load_catalogue(write(dump(catalogue), "again.yaml"))
    assert again.chart == catalogue.chart
    assert "\nchart:\n  path: docs/papers-per-year.svg\n  alt: Per year\n" in dump(catalogue)


@pytest.mark.parametrize(("chart", "message"), [
    ("chart:\n  path: javascript:alert(1)\n", "papers.yaml:3:9: error: chart -> path: unusable"),
    ("chart:\n  path: my chart.svg\n", "unusable chart path 'my chart.svg'"),
    ("chart:\n  alt: x\n", "the chart is missing the required key 'path'"),
    ("chart:\n  path: a.svg\n  size: 3\n", "unknown key 'size' in the chart"),
    ("chart: docs/a.svg\n", "the chart must be a mapping"),
])
def test_bad_chart_key_is_invalid_input(write: Callable[..., Path], chart: str,
                                        message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        load_catalogue(write(with_chart(chart)))
    assert message in str(caught.value)
