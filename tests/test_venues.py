"""Venue years: one reading shared by the catalogue, the importer, the linters and the exports."""

from __future__ import annotations

import pytest

from awesome_medad.markdown import read_markdown
from awesome_medad.venues import is_venue, venue_name, year_from_venue


@pytest.mark.parametrize(
    ("venue", "year"),
    [("MIDL'18", 2018), ("arxiv, 2020", 2020), ("Medical Imaging 2017: Image Processing", 2017),
     ("MICCAI'18 workshop", 2018), ("MIA, 2019", 2019), ("ICCV' 99", 1999), ("Nature", None),
     (None, None), ("", None), ("SPIE 1917, MICCAI 2019", 2019), ("SPIE 1917", None),
     ("Vol. 12345 (2019)", 2019), ("MICCAI 2019'20", 2019)],
)
def test_year_from_venue(venue: str | None, year: int | None) -> None:
    assert year_from_venue(venue) == year


@pytest.mark.parametrize("text, expected", [
    ("MIDL'18", True), ("CVPR' 19", True), ("arxiv, 2020", True), ("ICCV", True),
    ("Medical Imaging 2017: Image Processing", True), ("Under Review", False),
    ("A. Smith, B. Jones, MICCAI 2020", False), ("Deep learning for everything", False),
])
def test_is_venue(text: str, expected: bool) -> None:
    assert is_venue(text) is expected


@pytest.mark.parametrize("venue, name", [
    ("MIDL'18", "MIDL"), ("arxiv, 2020", "arXiv"), ("CVPR' 19", "CVPR"),
    ("Medical Imaging 2017: Image Processing", "Medical Imaging: Image Processing"),
    ("MICCAI'18 workshop", "MICCAI workshop"), (None, ""), ("Nature", "Nature"),
])
def test_venue_name(venue: str | None, name: str) -> None:
    assert venue_name(venue) == name


@pytest.mark.parametrize("entry, venue, year", [
    ("- [A] [A Title] [CVPR'20] [[pdf]](https://x.org/a.pdf)", "CVPR'20", 2020),
    ("- [A] [A Title] [Medical Imaging 2017: X] [[pdf]](https://x.org/a.pdf)",
     "Medical Imaging 2017: X", 2017),
    ("- [A] [A Title] [[pdf]](https://x.org/a.pdf)", None, None),
    ("- **A Title** MICCAI'19 [[pdf]](https://x.org/a.pdf)", "MICCAI'19", 2019),
])
def test_markdown_entries_read_venue_years(entry: str, venue: str | None, year: int | None,
                                           ) -> None:
    (found,) = read_markdown(f"# L\n{entry}\n", "l.md").entries
    assert (found.venue, found.year) == (venue, year)
