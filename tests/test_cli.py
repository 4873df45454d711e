"""`medad render` through click's CliRunner and a real subprocess: exit codes and files."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad import __version__
from awesome_medad.cli import main
from tests.conftest import MINIMAL, REPO

RENDERED_MINIMAL_HEAD = "# Test list\n\n## Overview\n- [Deep learning](#deep-learning)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary project directory with data/papers.yaml, as the working directory."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "papers.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    assert run("--version") == (0, f"medad, version {__version__}\n", "")


def test_render_writes_readme_then_check_passes(project: Path) -> None:
    assert run("render") == (0, "", "")
    assert (project / "README.md").read_text().startswith(RENDERED_MINIMAL_HEAD)
    assert run("render", "--check") == (0, "", "")


def test_render_to_stdout(project: Path) -> None:
    code, out, _ = run("render", "--output", "-")
    assert code == 0 and out.startswith(RENDERED_MINIMAL_HEAD)
    assert not (project / "README.md").exists()


def test_check_reports_stale_readme_with_a_diff(project: Path) -> None:
    run("render")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("Brain CT", "Brain C.T."))
    code, out, err = run("render", "--check")
    assert code == 1
    assert out == (
        "--- README.md (on disk)\n+++ README.md (rendered from data/papers.yaml)\n"
        "@@ -3,10 +3,10 @@\n"
        " ## Overview\n"
        " - [Deep learning](#deep-learning)\n"
        "   * [Brain MRI](#brain-mri)\n"
        "-  * [Brain C.T.](#brain-ct)\n"
        "+  * [Brain CT](#brain-ct)\n"
        " \n"
        " # Deep learning\n"
        " ## Brain MRI\n"
        " - [Chen _et. al._] [Unsupervised Detection of Lesions] [MIDL'18] "
        "[[pdf]](https://arxiv.org/abs/1806.04972)\n"
        " \n"
        "-## Brain C.T.\n"
        "+## Brain CT\n"
    )
    assert err == "README.md is stale: run `medad render` to regenerate it\n"
    assert "Brain C.T." in readme.read_text()


def test_check_with_missing_readme(project: Path) -> None:
    assert run("render", "--check") == (1, "", "README.md does not exist; run `medad render`\n")


def test_check_needs_a_file() -> None:
    code, _, err = run("render", "--check", "--output", "-")
    assert code == 2 and "--check compares against a file" in err


def test_invalid_catalogue_exits_2_and_leaves_readme(project: Path) -> None:
    readme = project / "README.md"
    readme.write_text("old\n")
    (project / "data" / "papers.yaml").write_text(MINIMAL.replace("title: Unsup", "titel: Unsup"))
    code, out, err = run("render")
    assert (code, out) == (2, "")
    assert "data/papers.yaml:14:5: error: papers -> 0 -> titel: unknown key 'titel'" in err
    assert "Traceback" not in err
    assert readme.read_text() == "old\n"


def test_unknown_option_is_a_usage_error() -> None:
    code, _, err = run("render", "--frobnicate")
    assert code == 2 and "No such option '--frobnicate'" in err


def test_interrupted_render_leaves_old_readme(project: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    readme = project / "README.md"
    readme.write_text("old\n")

    def crash(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", crash)
    result = CliRunner().invoke(main, ["render"])
    assert result.exit_code != 0
    assert readme.read_text() == "old\n"
    assert sorted(p.name for p in project.iterdir()) == ["README.md", "data"]


def test_unwritable_output_is_a_clear_error(project: Path) -> None:
    (project / "out").mkdir()
    code, _, err = run("render", "--output", "out")
    assert code == 2 and err.startswith("Error: cannot write out:")
    assert sorted(p.name for p in project.iterdir()) == ["data", "out"]


def test_subprocess_python_m(tmp_path: Path, write: Callable[..., Path]) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "awesome_medad", "render", "--output", "-", "--catalogue",
         str(REPO / "data" / "papers.yaml")],
        capture_output=True, text=True, env=env, cwd=tmp_path, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == (REPO / "README.md").read_text(encoding="utf-8")
    bad = write("title: [unclosed\n", "bad.yaml")
    result = subprocess.run([sys.executable, "-m", "awesome_medad", "render", "--catalogue",
                             str(bad)], capture_output=True, text=True, env=env, cwd=tmp_path,
                            check=False)
    assert result.returncode == 2
    assert f"{bad}:2:1: error: YAML syntax error" in result.stderr
    assert not (tmp_path / "README.md").exists()


def test_check_on_a_non_utf8_readme_names_the_byte(project: Path) -> None:
    (project / "README.md").write_bytes(b"# Test list\n\xff\n")
    code, out, err = run("render", "--check")
    assert (code, out) == (2, "")
    assert "README.md:2:1: error: not valid UTF-8 (byte 0xff) (save the file as UTF-8)" in err


def test_check_notices_a_byte_order_mark(project: Path) -> None:
    run("render")
    readme = project / "README.md"
    readme.write_bytes(b"\xef\xbb\xbf" + readme.read_bytes())
    assert run("render", "--check")[0] == 1


def test_ctrl_c_exits_130(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import awesome_medad.render as render_module

    def interrupted(catalogue: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(render_module, "render", interrupted)
    code, _, err = run("render")
    assert code == 130 and err.startswith("medad: interrupted")
    assert not (project / "README.md").exists()


@pytest.mark.parametrize(
    ("target", "hint"),
    [("nodir/README.md", "(the directory nodir does not exist: create it or choose another path)"),
     ("data", "(it is a directory: give a file name)")],
)
def test_write_errors_say_what_to_do(project: Path, target: str, hint: str) -> None:
    code, _, err = run("render", "--output", target)
    assert code == 2 and err.rstrip().endswith(hint)
