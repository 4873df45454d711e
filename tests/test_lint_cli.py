"""`medad lint` through click's CliRunner: exit codes, formats, notices, invalid input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from awesome_medad.cli import main
from tests.conftest import FIXTURES, MINIMAL, REPO


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "papers.yaml").write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert CliRunner().invoke(main, ["render"]).exit_code == 0
    return tmp_path


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_clean_project_exits_0(project: Path) -> None:
    assert run("lint", "--offline") == (0, "data/papers.yaml\n  9:18  warning  the section "
                                           "'Brain CT' has no papers  [section-empty]\n"
                                           "        at: sections -> 0 -> sections -> 1 -> "
                                           "heading\n        hint: add papers with sections: "
                                           "[dl/ct], or remove the section\n\n1 problem (0 "
                                           "errors, 1 warning, 0 info)\n", "")


def test_strict_fails_on_warnings(project: Path) -> None:
    assert run("lint", "--offline", "--strict")[0] == 1


def test_errors_exit_1_and_json_is_parseable(project: Path) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    code, out, _ = run("lint", "--offline", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert [p["rule"] for p in document["problems"]] == ["readme-stale", "section-empty"]
    assert document["summary"]["error"] == 1


def test_github_format_is_automatic_in_actions(project: Path) -> None:
    code, out, _ = run("lint", "--offline", env={"GITHUB_ACTIONS": "true"})
    assert code == 0
    assert out.startswith("::group::data/papers.yaml\n::warning file=data/papers.yaml,line=9,"
                          "col=18,title=section-empty::")


def test_sarif_format(project: Path) -> None:
    code, out, _ = run("lint", "--offline", "--format", "sarif")
    log = json.loads(out)
    assert (code, log["version"]) == (0, "2.1.0")
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["id"] == "section-empty"


def test_invalid_catalogue_exits_2_with_every_problem(project: Path) -> None:
    (project / "data" / "papers.yaml").write_text(
        MINIMAL.replace("    year: 2018\n", "    year: 2018\n    yeer: 2019\n").replace(
            "sections: [dl/mri]", "sections: [dl/mrii]"), encoding="utf-8")
    code, out, err = run("lint", "--offline")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == "medad: invalid input: 2 problems found; nothing was changed"
    assert lines[1].startswith("data/papers.yaml:17:5: error: papers -> 0 -> yeer: unknown key")
    assert lines[2].startswith("data/papers.yaml:18:16: error: papers -> 0 -> sections -> 0: "
                               "there is no section 'dl/mrii'")
    assert "Traceback" not in err


def test_invalid_input_in_github_format_is_annotated(project: Path) -> None:
    (project / "data" / "papers.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    code, out, err = run("lint", "--offline", "--format", "github")
    assert code == 2
    assert out.startswith("::group::data/papers.yaml\n::error file=data/papers.yaml,line=2,")
    assert "YAML syntax error" in err


def test_missing_catalogue_exits_2(project: Path) -> None:
    code, _, err = run("lint", "--offline", "--catalogue", "nope.yaml")
    assert code == 2
    assert err.startswith("medad: invalid input: 1 problem found; nothing was changed\n"
                          "nope.yaml: error: cannot read file")


def test_markdown_files(project: Path) -> None:
    seed = project / "seed.md"
    seed.write_text((FIXTURES / "seed.md").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run("lint", "--offline", "--format", "json", "seed.md")
    assert code == 0
    assert [(p["rule"], p["line"]) for p in json.loads(out)["problems"]] == [
        ("toc-label", 21), ("url-insecure", 49), ("cross-listed", 52), ("url-insecure", 52)]


def test_markdown_file_not_utf8_exits_2(project: Path) -> None:
    (project / "bad.md").write_bytes(b"# Title\n\xff\xfe\n")
    code, _, err = run("lint", "--offline", "bad.md")
    assert code == 2
    assert "bad.md:2:1: error: not valid UTF-8" in err


def test_config_errors_exit_2(project: Path) -> None:
    (project / ".medad.yaml").write_text("rules:\n  url-insecur: off\n", encoding="utf-8")
    code, _, err = run("lint", "--offline")
    assert code == 2
    assert ".medad.yaml:2:3: error: rules -> url-insecur: unknown rule 'url-insecur' " \
           "(did you mean 'url-insecure'?)" in err


def test_config_turns_a_rule_off(project: Path) -> None:
    (project / ".medad.yaml").write_text("rules:\n  section-empty: off\n", encoding="utf-8")
    assert run("lint", "--offline") == (0, "no problems\n", "")


def test_this_repository_lints_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    """What CI runs on every pull request: no errors in data/papers.yaml and README.md."""
    monkeypatch.chdir(REPO)
    code, out, _ = run("lint", "--offline", "--format", "json")
    assert code == 0
    assert json.loads(out)["summary"]["error"] == 0


def test_summary_table_is_appended(project: Path) -> None:
    summary = project / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    code, out, _ = run("lint", "--offline", "--format", "json", "--summary", str(summary))
    assert code == 0 and json.loads(out)["summary"]["warning"] == 1
    assert summary.read_text(encoding="utf-8") == (
        "# earlier step\n### medad lint: 1 problem (0 errors, 1 warning, 0 info)\n\n"
        "| level | rule | where | message |\n|---|---|---|---|\n"
        "| warning | `section-empty` | `data/papers.yaml:9:18` | sections -> 0 -> sections -> 1 "
        "-> heading: the section 'Brain CT' has no papers; hint: add papers with sections: "
        "[dl/ct], or remove the section |\n\n")


@pytest.mark.parametrize(("target", "message"), [
    ("", "is a directory"), ("missing/summary.md", "cannot write the summary to"),
])
def test_unwritable_summary_is_a_clear_error(project: Path, target: str, message: str) -> None:
    code, _, err = run("lint", "--offline", "--summary", str(project / target))
    assert code == 2 and message in err and "Traceback" not in err
