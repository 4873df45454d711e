"""Exact output of the formats whose text is too long to spell out inline.

Each case renders the frozen seed catalogue ``tests/fixtures/seed-catalogue.yaml``
(the shipped catalogue as released, so adding papers to ``data/papers.yaml`` never
breaks these tests) or a fixed problem list, and compares
the bytes with a reviewed golden file under ``tests/fixtures/golden``.  After an
intended change, regenerate with ``MEDAD_UPDATE_GOLDEN=1 python3 -m pytest
tests/test_golden.py`` and review the diff like any other change.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pytest

from awesome_medad.catalogue import Catalogue, load_catalogue
from awesome_medad.problems import Level, Location, Problem
from tests.conftest import FIXTURES

GOLDEN = FIXTURES / "golden"


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue(FIXTURES / "seed-catalogue.yaml", display="data/papers.yaml")


def problems() -> list[Problem]:
    return [
        Problem(Location("data/papers.yaml", 3, 5), "link-dead", Level.ERROR,
                "the pdf link of 'X' is gone (404)", ("papers", 0, "links", "pdf"),
                "find the paper's new address", (Location("README.md", 30, 80),)),
        Problem(Location("data/papers.yaml", 9, 12), "url-insecure", Level.WARNING,
                "plain http:// link"),
        Problem(Location("list.md", 1, 1), "cross-listed", Level.INFO, "listed twice"),
    ]


def _site(catalogue: Catalogue) -> str:
    from awesome_medad.site import build_page

    return build_page(catalogue, "data/papers.yaml")


def _chart(catalogue: Catalogue) -> str:
    from awesome_medad.stats import chart_svg

    return chart_svg(catalogue)


def _export(fmt: str) -> Callable[[Catalogue], str]:
    def run(catalogue: Catalogue) -> str:
        from awesome_medad.export import export

        return export(catalogue, fmt, (), None)

    return run


def _color_text(_: Catalogue) -> str:
    from awesome_medad.report import to_text

    return to_text(problems(), color=True)


CASES = {
    "site.html": _site,
    "chart.svg": _chart,
    "export.json": _export("json"),
    "export.bib": _export("bibtex"),
    "export.csl.json": _export("csl-json"),
    "export.csv": _export("csv"),
    "report-color.txt": _color_text,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(shipped: Catalogue, name: str) -> None:
    actual = CASES[name](shipped)
    path = GOLDEN / name
    if os.environ.get("MEDAD_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8")
