"""The canonical YAML writer: what it writes loads back to the same catalogue."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from awesome_medad.catalogue import load_catalogue
from awesome_medad.dump import dump, scalar
from tests.conftest import REPO


def test_shipped_catalogue_is_in_canonical_form() -> None:
    path = REPO / "data" / "papers.yaml"
    assert dump(load_catalogue(path)) == path.read_text(encoding="utf-8")


def test_dump_round_trips(write: Callable[..., Path]) -> None:
    original = load_catalogue(REPO / "data" / "papers.yaml")
    again = load_catalogue(write(dump(original)))
    assert again == original


@pytest.mark.parametrize(
    ("value", "text"),
    [("MIDL'18", "MIDL'18"), ("Medical Imaging 2017: Image Processing",
                              "'Medical Imaging 2017: Image Processing'"),
     ("1806.04972", "'1806.04972'"), ("yes", "'yes'"), ("Müller", "Müller"), (2018, "2018"),
     ("a # b", "'a # b'"), ("- x", "'- x'"), ("", "''")],
)
def test_scalar_quotes_only_when_needed(value: object, text: str) -> None:
    assert scalar(value) == text
