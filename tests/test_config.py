"""Configuration files: .medad.yaml and [tool.medad], with positions in every error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from awesome_medad.config import Config, find_config, load_config
from awesome_medad.errors import InvalidInput
from awesome_medad.problems import Level


def test_no_file_means_defaults(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path) == Config()


def test_yaml_config(write: Callable[..., Path]) -> None:
    path = write("rules:\n  url-insecure: off\n  near-duplicate: info\n"
                 "ignore-urls:\n  - ^https://scholar\\.google\\.\n"
                 "api:\n  arxiv: http://127.0.0.1:9/api\nlinks:\n  timeout: 2.5\n",
                 ".medad.yaml")
    config = load_config(path)
    assert config.rules == {"url-insecure": None, "near-duplicate": Level.INFO}
    assert config.level("url-insecure", Level.WARNING) is None
    assert config.level("toc-label", Level.WARNING) is Level.WARNING
    assert config.url_ignored("https://scholar.google.com/scholar?q=x")
    assert not config.url_ignored("https://arxiv.org/abs/1")
    assert config.api == {"arxiv": "http://127.0.0.1:9/api"}
    assert config.links == {"timeout": 2.5}


@pytest.mark.parametrize(("text", "line", "column", "message", "hint"), [
    ("rulez:\n  x: off\n", 1, 1, "unknown configuration key 'rulez'", "did you mean 'rules'?"),
    ("rules:\n  url-insecur: off\n", 2, 3, "unknown rule 'url-insecur'",
     "did you mean 'url-insecure'?"),
    ("rules:\n  url-insecure: loud\n", 2, 17,
     "the level of 'url-insecure' must be error, warning, info or off, not 'loud'", ""),
    ("ignore-urls:\n  - '(unclosed'\n", 2, 5,
     "invalid regular expression '(unclosed': missing ), unterminated subpattern at position 0",
     "escape special characters such as . ? + with a backslash"),
    ("api:\n  arxv: https://x.org\n", 2, 3, "unknown API 'arxv'", "did you mean 'arxiv'?"),
    ("links:\n  timeout: soon\n", 2, 12, "'timeout' must be a number of seconds, not 'soon'", ""),
])
def test_yaml_errors_name_line_and_column(write: Callable[..., Path], text: str, line: int,
                                          column: int, message: str, hint: str) -> None:
    path = write(text, ".medad.yaml")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.message, problem.hint) == (
        line, column, message, hint)
    assert problem.path == str(path)


def test_pyproject_tool_medad(write: Callable[..., Path], tmp_path: Path) -> None:
    write('[project]\nname = "x"\n\n[tool.medad]\nignore-urls = ["example"]\n\n'
          '[tool.medad.rules]\ntoc-label = "off"\nsection-empty = "error"\n', "pyproject.toml")
    assert find_config(tmp_path) == tmp_path / "pyproject.toml"
    config = load_config(cwd=tmp_path)
    assert config.rules == {"toc-label": None, "section-empty": Level.ERROR}
    assert config.url_ignored("https://example.org")


def test_pyproject_unknown_rule_has_its_line(write: Callable[..., Path]) -> None:
    path = write('[project]\nname = "x"\n\n[tool.medad.rules]\ntoc-lable = "off"\n',
                 "pyproject.toml")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column, problem.hint) == (5, 1, "did you mean 'toc-label'?")


def test_pyproject_without_tool_medad_is_not_a_config(write: Callable[..., Path],
                                                      tmp_path: Path) -> None:
    write('[project]\nname = "x"\n', "pyproject.toml")
    assert find_config(tmp_path) is None


def test_yaml_file_wins_over_pyproject(write: Callable[..., Path], tmp_path: Path) -> None:
    write('[tool.medad]\nrules = {toc-label = "off"}\n', "pyproject.toml")
    write("rules:\n  toc-label: error\n", ".medad.yaml")
    assert load_config(cwd=tmp_path).rules == {"toc-label": Level.ERROR}


def test_toml_syntax_error(write: Callable[..., Path]) -> None:
    path = write("[tool.medad\n", "pyproject.toml")
    with pytest.raises(InvalidInput) as caught:
        load_config(path)
    assert caught.value.problems[0].message.startswith("TOML syntax error")


def test_empty_yaml_file_is_defaults(write: Callable[..., Path]) -> None:
    assert load_config(write("", ".medad.yaml")).rules == {}
