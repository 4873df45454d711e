"""CONTRIBUTING.md is executable: a newcomer's walk-through, run command by command.

The test copies the project into a temporary directory, then executes the
guide's shell blocks and YAML block in the order a reader meets them (the
arXiv API answered by a real local server with recorded responses), and
finally expects the same green checks CI runs.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from awesome_medad.catalogue import load_catalogue
from tests.api_server import api_server
from tests.conftest import REPO

GUIDE = REPO / "CONTRIBUTING.md"
PROJECT_FILES = ("data", "schema", "README.md", "CONTRIBUTING.md", "pyproject.toml")
# Steps the test environment has already done for the reader (clone, install) or that
# would recurse (running this very test suite).
SKIP = re.compile(r"^(git clone|cd |python3? -m pip install|pip install|python3? -m pytest)")
BLOCK = re.compile(r"^```(sh|yaml)\n(.*?)^```$", re.S | re.M)


def guide_steps() -> list[tuple[str, str]]:
    """``(kind, text)`` for every shell command line and YAML block, in reading order."""
    found: list[tuple[str, str]] = []
    for kind, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        if kind == "yaml":
            found.append(("yaml", body))
            continue
        for line in body.replace("\\\n", " ").splitlines():
            command = line.split("  #", 1)[0].strip()
            if command and not SKIP.match(command):
                found.append(("sh", command))
    return found


def test_guide_has_the_steps_we_promise() -> None:
    commands = [text for kind, text in guide_steps() if kind == "sh"]
    assert [c.split()[:2] for c in commands] == [
        ["medad", "add"], ["medad", "add"], ["medad", "render"], ["medad", "render"],
        ["medad", "lint"]]
    assert [kind for kind, _ in guide_steps()].count("yaml") == 1


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name)
        else:
            shutil.copy(source, tmp_path / name)
    return tmp_path


def run_step(command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    assert words[0] == "medad"
    return subprocess.run([sys.executable, "-m", "awesome_medad", *words[1:]], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_newcomer_walk_through(clone: Path) -> None:
    catalogue = clone / "data" / "papers.yaml"
    before = len(load_catalogue(catalogue).papers)
    with api_server() as api:
        env = {**os.environ, "MEDAD_ARXIV_API": api.arxiv, "MEDAD_CROSSREF_API": api.crossref,
               "NO_COLOR": "1"}
        for kind, text in guide_steps():
            if kind == "yaml":
                with catalogue.open("a", encoding="utf-8") as handle:
                    handle.write("\n" + text)
                continue
            result = run_step(text, clone, env)
            assert result.returncode == 0, f"{text}\n{result.stdout}{result.stderr}"
    papers = load_catalogue(catalogue).papers
    assert len(papers) == before + 3
    titles = {p.title for p in papers[-3:]}
    assert titles == {"The Medical Segmentation Decathlon",
                      "Anomaly Detection with Analytical Engines",
                      "Computable Anomalies in Chest X-Rays"}
    readme = (clone / "README.md").read_text(encoding="utf-8")
    assert "[Computable Anomalies in Chest X-Rays]" in readme
    assert readme.count("[Computable Anomalies in Chest X-Rays]") == 2  # cross-listed
