"""CLI conventions shared by every command: help with an example, -q/-v, stdout vs stderr."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from awesome_medad.cli import main
from tests.conftest import MINIMAL

COMMANDS = sorted(main.commands)


def test_every_expected_command_exists() -> None:
    assert COMMANDS == ["add", "export", "fmt", "import", "lint", "render", "schema", "site",
                        "stats"]


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_summary_example_and_verbosity(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0 and result.stderr == ""
    command = main.commands[name]
    assert isinstance(command, click.Command) and command.help
    summary = command.help.strip().splitlines()[0]
    assert summary.endswith(".") and len(summary) <= 100
    assert "Example" in result.stdout
    assert "-q, --quiet" in result.stdout and "-v, --verbose" in result.stdout


def test_group_help_documents_completion() -> None:
    out = CliRunner().invoke(main, ["--help"]).stdout
    assert "_MEDAD_COMPLETE=bash_source medad" in out


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    path = tmp_path / "papers.yaml"
    path.write_text(MINIMAL, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        ([], "warning: no paper matches the --section/--year filters\n"),
        (["-q"], ""),
        (["-v"], "warning: no paper matches the --section/--year filters\n"),
    ],
)
def test_quiet_silences_notices(catalogue: Path, args: list[str], stderr: str) -> None:
    result = CliRunner().invoke(main, ["export", *args, "--catalogue", str(catalogue),
                                       "--year", "1999"])
    assert (result.exit_code, result.stderr) == (0, stderr)


@pytest.mark.parametrize("where", ["group", "command"])
def test_verbose_reports_files_on_stderr(catalogue: Path, tmp_path: Path, where: str) -> None:
    out = tmp_path / "README.md"
    args = ["render", "--catalogue", str(catalogue), "--output", str(out)]
    args = ["-v", *args] if where == "group" else [*args, "-v"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0 and result.stdout == ""
    size = len(out.read_bytes())
    assert result.stderr == (f"read {catalogue}: 1 paper, 3 sections\n"
                             f"wrote {out} ({size:,} bytes)\n")


def test_results_on_stdout_errors_on_stderr(catalogue: Path, tmp_path: Path) -> None:
    good = CliRunner().invoke(main, ["render", "--catalogue", str(catalogue), "-o", "-"])
    assert good.stdout.startswith("# Test list\n") and good.stderr == ""
    bad = CliRunner().invoke(main, ["render", "--catalogue", str(tmp_path / "missing.yaml")])
    assert bad.exit_code == 2 and bad.stdout == ""
    assert "missing.yaml: error: cannot read file: No such file or directory" in bad.stderr
