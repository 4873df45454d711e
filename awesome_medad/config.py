"""Configuration: ``[tool.medad]`` in ``pyproject.toml`` or a ``.medad.yaml`` file.

Example ``.medad.yaml`` (the same keys work under ``[tool.medad]``)::

    rules:                      # per rule: error, warning, info or off
      url-insecure: off
      near-duplicate: info
    ignore-urls:                # regular expressions (re.search) on the URL as written
      - ^https://scholar\\.google\\.
    api:                        # base URLs of the services medad talks to
      arxiv: https://export.arxiv.org/api/query
    links:                      # options of the live link check
      timeout: 20

Lookup: ``--config PATH`` if given, else ``.medad.yaml`` / ``.medad.yml`` in
the working directory, else ``[tool.medad]`` of ``pyproject.toml`` there.  An
unknown key or rule is an error naming the file, line and column with a
"did you mean" (a typo in a suppression must not silently do nothing).
Features add their keys to :data:`LINK_OPTIONS` / :data:`API_NAMES` (or a
new section in :data:`SECTIONS`) rather than parsing the file themselves.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from awesome_medad.errors import InvalidInput
from awesome_medad.problems import Level, Problem
from awesome_medad.yamlsource import Crumb, SourceMap, load, problem, read_text

CONFIG_FILES = (".medad.yaml", ".medad.yml")
LEVELS = {"error": Level.ERROR, "warning": Level.WARNING, "info": Level.INFO, "off": None}
API_NAMES = ("arxiv", "crossref", "github")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# Options of the live link check (issue 4 extends this table).
LINK_OPTIONS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "timeout": (_is_number, "a number of seconds"),
    "concurrency": (_is_int, "a whole number"),
    "per-host": (_is_int, "a whole number"),
    "retries": (_is_int, "a whole number"),
    "max-redirects": (_is_int, "a whole number"),
    "cache": (_is_str, "a path"),
    "cache-ttl": (_is_str, "a duration such as 12h or 7d"),
    "user-agent": (_is_str, "a string"),
    "check-https": (_is_bool, "true or false"),
    "unverified-hosts": (_is_str_list, "a list of host names"),
    # Added by the live link check (awesome_medad.links.settings checks the details):
    "host-interval": (_is_number, "a number of seconds"),
    "connect-timeout": (_is_number, "a number of seconds"),
    "read-timeout": (_is_number, "a number of seconds"),
    "deadline": (_is_number, "a number of seconds"),
    "retry-after-cap": (_is_number, "a number of seconds"),
    "arxiv-batch": (_is_int, "a whole number"),
    "skip": (lambda v: isinstance(v, list), "a list of patterns or {pattern, reason}"),
    "accept": (lambda v: isinstance(v, dict), "a mapping of host: [status codes]"),
    "hosts": (lambda v: isinstance(v, dict), "a mapping of host: {per-host, interval, head}"),
    "headers": (lambda v: isinstance(v, dict), "a mapping of host: {header: value}"),
    "check-titles": (_is_bool, "true or false"),
    "check-google-scholar": (_is_bool, "true or false"),
    "dns-canaries": (_is_str_list, "a list of host names"),
    "ca-bundle": (_is_str, "a path"),
    "connect-to": (lambda v: isinstance(v, dict), "a mapping of host:port: address:port"),
}

SECTIONS = ("rules", "ignore-urls", "api", "links")


@dataclass(frozen=True)
class Config:
    """Settings from the configuration file (defaults when there is none)."""

    path: str | None = None
    rules: Mapping[str, Level | None] = field(default_factory=dict)
    ignore_urls: tuple[re.Pattern[str], ...] = ()
    api: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[str, Any] = field(default_factory=dict)

    def level(self, rule: str, default: Level) -> Level | None:
        """The level for ``rule`` (``None`` when it is off)."""
        return self.rules.get(rule, default)

    def url_ignored(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self.ignore_urls)


def known_rules() -> dict[str, Level]:
    """Every rule id medad knows, with its default level (for validation and did-you-mean)."""
    from awesome_medad.lint.runner import all_rules

    return {rule.id: rule.level for rule in all_rules()}


def find_config(cwd: Path) -> Path | None:
    """The configuration file that applies in ``cwd``, if any."""
    for name in CONFIG_FILES:
        if (cwd / name).is_file():
            return cwd / name
    pyproject = cwd / "pyproject.toml"
    if pyproject.is_file():
        try:
            text = pyproject.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return pyproject
        if re.search(r"^\s*\[\s*tool\s*\.\s*medad\b", text, re.M):
            return pyproject
    return None


def load_config(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Read the configuration; raises :class:`InvalidInput` (exit 2) for a bad file."""
    if path is None:
        path = find_config(cwd or Path.cwd())
        if path is None:
            return Config()
    display = str(path)
    text = read_text(Path(path), display)
    if Path(path).name == "pyproject.toml" or Path(path).suffix == ".toml":
        data, source = _load_toml(text, display)
    else:
        data, source = load(text, display) if text.strip() else ({}, SourceMap(display))
    return parse_config(data, source)


def _load_toml(text: str, display: str) -> tuple[Any, SourceMap]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_error_position(str(exc))
        where = SourceMap(display, values={(): (line, column)})
        raise InvalidInput([problem(where, (), f"TOML syntax error: {exc}",
                                    "fix the TOML syntax")]) from exc
    data = document.get("tool", {}).get("medad", {})
    if Path(display).name == "pyproject.toml" or "tool" in document:
        source = _toml_positions(text, display, data, document)
    else:  # a standalone TOML file holds the keys at the top level
        data = document
        source = _toml_positions(text, display, data, document)
    return data, source


def _toml_error_position(message: str) -> tuple[int, int]:
    match = re.search(r"line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)


def _toml_positions(text: str, display: str, data: Any, document: Any) -> SourceMap:
    """Best-effort positions for TOML keys (tomllib keeps none): the line where each key is set."""
    source = SourceMap(display)
    lines = text.split("\n")
    header = next((i for i, ln in enumerate(lines)
                   if re.match(r"\s*\[\s*tool\s*\.\s*medad\b", ln)), 0)
    source.values[()] = (header + 1, 1)

    def walk(value: Any, crumb: Crumb, start: int) -> None:
        if not isinstance(value, dict):
            return
        for key, child in value.items():
            line, column = _toml_find_key(lines, str(key), start)
            source.keys[crumb + (key,)] = (line, column)
            source.values[crumb + (key,)] = (line, column)
            walk(child, crumb + (key,), line - 1)
            if isinstance(child, list):
                for i, _ in enumerate(child):
                    source.values[crumb + (key, i)] = (line, column)

    walk(data, (), header)
    return source


def _toml_find_key(lines: list[str], key: str, start: int) -> tuple[int, int]:
    pattern = re.compile(r'(?:^|[\s{,.\[])(' + re.escape(key) + r'|"' + re.escape(key) + r'")'
                         r'\s*(?:=|\]|\.)')
    for number in range(start, len(lines)):
        match = pattern.search(lines[number])
        if match:
            return number + 1, match.start(1) + 1
    return start + 1, 1


class _Parser:
    """Validates plain configuration data, collecting every problem with its position."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, crumb: Crumb, message: str, hint: str = "", key: bool = False) -> None:
        self.problems.append(problem(self.source, crumb, message, hint, key))

    def unknown(self, crumb: Crumb, key: str, known: list[str] | tuple[str, ...],
                what: str) -> None:
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "known: " + ", ".join(known)
        self.error((*crumb, key), f"unknown {what} '{key}'", hint, key=True)

    def config(self, data: Any) -> Config:
        if not isinstance(data, dict):
            self.error((), "the configuration must be a mapping of keys to values")
            return Config(self.source.path)
        for key in data:
            if key not in SECTIONS:
                self.unknown((), str(key), SECTIONS, "configuration key")
        return Config(self.source.path, self.rules(data.get("rules")),
                      self.patterns(data.get("ignore-urls")), self.api(data.get("api")),
                      self.links(data.get("links")))

    def rules(self, value: Any) -> dict[str, Level | None]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(("rules",), "'rules' must map rule ids to error, warning, info or off")
            return {}
        known = known_rules()
        result: dict[str, Level | None] = {}
        for rule, level in value.items():
            if rule not in known:
                self.unknown(("rules",), str(rule), sorted(known), "rule")
                continue
            name = "off" if level is False else str(level).lower()
            if name not in LEVELS:
                self.error(("rules", rule), f"the level of '{rule}' must be error, warning, "
                           f"info or off, not {level!r}")
                continue
            result[rule] = LEVELS[name]
        return result

    def patterns(self, value: Any) -> tuple[re.Pattern[str], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(("ignore-urls",), "'ignore-urls' must be a list of regular expressions")
            return ()
        compiled: list[re.Pattern[str]] = []
        for i, pattern in enumerate(value):
            if not isinstance(pattern, str):
                self.error(("ignore-urls", i), "each ignored URL pattern must be a string")
                continue
            try:
                compiled.append(re.compile(pattern))
            except re.error as exc:
                self.error(("ignore-urls", i), f"invalid regular expression {pattern!r}: {exc}",
                           "escape special characters such as . ? + with a backslash")
        return tuple(compiled)

    def api(self, value: Any) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(("api",), "'api' must map service names to base URLs")
            return {}
        result: dict[str, str] = {}
        for name, url in value.items():
            if name not in API_NAMES:
                self.unknown(("api",), str(name), API_NAMES, "API")
            elif not isinstance(url, str) or not re.match(r"https?://[^\s/]+", url):
                self.error(("api", name), f"the '{name}' API base must be an http(s) URL")
            else:
                result[name] = url
        return result

    def links(self, value: Any) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(("links",), "'links' must be a mapping of link-check options")
            return {}
        result: dict[str, Any] = {}
        for name, option in value.items():
            spec = LINK_OPTIONS.get(name)
            if spec is None:
                self.unknown(("links",), str(name), sorted(LINK_OPTIONS), "link-check option")
            elif not spec[0](option):
                self.error(("links", name), f"'{name}' must be {spec[1]}, not {option!r}")
            else:
                result[name] = option
        return result


def parse_config(data: Any, source: SourceMap) -> Config:
    """Validate configuration data; raises :class:`InvalidInput` listing every problem."""
    parser = _Parser(source)
    config = parser.config(data if data is not None else {})
    if parser.problems:
        raise InvalidInput(parser.problems, f"invalid configuration in {source.path}")
    return config
