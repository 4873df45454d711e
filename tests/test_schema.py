"""The JSON Schema and the validator come from one declaration and agree."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from awesome_medad.catalogue import load_catalogue
from awesome_medad.cli import main
from awesome_medad.errors import InvalidInput
from awesome_medad.schema import json_schema, json_schema_text
from awesome_medad.yamlsource import load
from tests.conftest import MINIMAL, REPO


def test_shipped_schema_file_is_generated() -> None:
    assert (REPO / "schema" / "papers.schema.json").read_text() == json_schema_text()
    assert CliRunner().invoke(main, ["schema"]).stdout == json_schema_text()


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json_schema())


def test_catalogue_points_editors_at_the_schema() -> None:
    first = (REPO / "data" / "papers.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/papers.schema.json"


def _jsonable(value: Any) -> Any:
    """YAML dates become ISO strings, as editors' YAML language servers see them."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def schema_accepts(text: str) -> bool:
    validator = jsonschema.Draft202012Validator(
        json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return validator.is_valid(_jsonable(load(text, "papers.yaml")[0]))


def validator_accepts(path: Path) -> bool:
    try:
        load_catalogue(path)
    except InvalidInput:
        return False
    return True


def edit(old: str, new: str) -> str:
    assert old in MINIMAL
    return MINIMAL.replace(old, new, 1)


# Structural cases only: cross-references (unknown section, duplicate ids) are beyond a schema.
AGREEMENT = [
    pytest.param(MINIMAL, True, id="minimal"),
    pytest.param((REPO / "data" / "papers.yaml").read_text(), True, id="shipped"),
    pytest.param(edit("title: Unsup", "titel: Unsup"), False, id="unknown-key"),
    pytest.param(edit("    year: 2018\n", "    year: '2018'\n"), False, id="year-string"),
    pytest.param(edit("    year: 2018\n", "    year: 1066\n"), False, id="year-range"),
    pytest.param(edit("    sections: [dl/mri]\n", ""), False, id="no-sections"),
    pytest.param(edit("    sections: [dl/mri]\n", "    sections: []\n"), False,
                 id="empty-sections"),
    pytest.param(edit("https://arxiv", "ftp://arxiv"), False, id="ftp-link"),
    pytest.param(edit("https://arxiv.org/abs/1806.04972", "'https://arxiv.org/a b'"), False,
                 id="space-in-url"),
    pytest.param(edit("title: Unsupervised Detection of Lesions", 'title: "a\\nb"'), False,
                 id="newline-title"),
    pytest.param(edit("    et_al: true\n", "    et_al: 'yes'\n"), False, id="et-al-string"),
    pytest.param(edit("    title: Unsupervised Detection of Lesions\n", "    raw: '- x'\n"), True,
                 id="raw-instead-of-title"),
    pytest.param(edit("    title: Unsupervised Detection of Lesions\n", ""), False,
                 id="no-title"),
    pytest.param(edit("  - id: dl\n", "  - id: Deep Learning\n"), False, id="bad-section-id"),
    pytest.param(edit("title: Test list\n", "title: Test list\nupdated: 2020-13-45\n"), False,
                 id="bad-date"),
    pytest.param(edit("title: Test list\n", "title: Test list\nupdated: 2020-08-10\n"), True,
                 id="date"),
    pytest.param(edit("      pdf: https", "      '[pdf]': https"), False, id="bracket-kind"),
]


@pytest.mark.parametrize(("text", "valid"), AGREEMENT)
def test_schema_and_validator_agree(write: Callable[..., Path], text: str, valid: bool) -> None:
    assert schema_accepts(text) is valid
    assert validator_accepts(write(text)) is valid
