"""The on-disk link cache: ``.medad-cache/links.json`` in the project.

Why: a full live check of the list costs minutes of other people's servers;
good results rarely change within days.  So ``ok`` and ``redirect``
outcomes (and arXiv/GitHub API answers) are trusted for ``cache_ttl`` (3 days
by default) and anything that failed is always checked again (failures are
recorded too, for ``medad stats``, but never served from the cache).

The file is plain JSON, keyed by URL (``arxiv:ID`` and ``github:owner/repo``
for API answers)::

    {"version": 1, "entries": {"https://example.org/paper":
        {"status": "ok", "code": 200, "checked_at": 1718000000.0, "page_title": "..."}}}

* The directory is ignored by git (``.medad-cache/`` in ``.gitignore``, plus a
  ``.gitignore`` of its own when medad creates it elsewhere) and is what CI
  persists with ``actions/cache`` (``path: .medad-cache``).
* Writes are atomic (:func:`awesome_medad.fsutil.atomic_write`), and a save
  re-reads the file and keeps what another run added meanwhile, holding an
  advisory lock (``links.json.lock``, POSIX ``flock``) from the read to the
  replace, so two concurrent runs neither corrupt it nor drop each other's
  results.
* A file that cannot be read is discarded with a ``link-cache`` warning
  instead of failing the run.
* Secrets never reach it: every string goes through the redactor.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from awesome_medad.errors import WriteError
from awesome_medad.links.outcome import GOOD, Outcome
from awesome_medad.links.secrets import Redactor
from awesome_medad.problems import Level, Location, Problem

VERSION = 1
RULE = "link-cache"


class LinkCache:
    """Fresh good outcomes by key, and this run's changes to write back."""

    def __init__(self, path: Path, ttl: float, redactor: Redactor,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.ttl = ttl
        self.redactor = redactor
        self.clock = clock
        self.entries: dict[str, dict[str, Any]] = {}
        self.changes: dict[str, dict[str, Any]] = {}
        self.problems: list[Problem] = []

    @classmethod
    def open(cls, path: Path, ttl: float, redactor: Redactor,
             clock: Callable[[], float] = time.time) -> LinkCache:
        """Load ``path``; a missing file is an empty cache, a corrupt one a warning."""
        cache = cls(path, ttl, redactor, clock)
        entries, problem = _read(path)
        cache.entries = entries
        if problem:
            cache.problems.append(problem)
        return cache

    def get(self, key: str) -> Outcome | None:
        """The cached good outcome for ``key`` if younger than the TTL."""
        data = self.entries.get(key)
        if data is None or not self._fresh(data):
            return None
        try:
            outcome = Outcome.from_json(key, data)
        except (TypeError, ValueError):
            return None
        return outcome if outcome.status in GOOD else None

    def put(self, key: str, outcome: Outcome) -> None:
        """Record this run's outcome for ``key``.

        Failures are written too (``medad stats`` shows link health from the
        cache) but :meth:`get` never serves them: they are always re-checked.
        """
        if outcome.cached or outcome.status == "skipped":
            return
        clean = replace(outcome, detail=self.redactor.clean(outcome.detail),
                        final_url=self.redactor.clean_opt(outcome.final_url),
                        page_title=self.redactor.clean_opt(outcome.page_title),
                        moved_to=self.redactor.clean_opt(outcome.moved_to),
                        https_url=self.redactor.clean_opt(outcome.https_url))
        self.changes[key] = clean.to_json()

    def save(self) -> None:
        """Merge this run's changes into the file on disk, atomically; problems are kept."""
        if not self.changes:
            return
        from awesome_medad.fsutil import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            _ignore_dir(self.path.parent)
            with _locked(self.path):
                merged, _ = _read(self.path)  # what other runs wrote since we loaded
                merged.update(self.changes)
                merged = {k: v for k, v in merged.items() if self._fresh(v)}
                text = json.dumps({"version": VERSION, "entries": merged}, indent=1,
                                  sort_keys=True)
                atomic_write(self.path, self.redactor.clean(text) + "\n")
        except (OSError, WriteError) as exc:
            self.problems.append(Problem(Location(str(self.path)), RULE, Level.WARNING,
                                         f"could not write the link cache: {exc}"))
        self.changes.clear()

    def _fresh(self, data: dict[str, Any]) -> bool:
        checked = data.get("checked_at")
        if not isinstance(checked, (int, float)) or isinstance(checked, bool):
            return False
        return 0 <= self.clock() - checked <= self.ttl


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock beside ``path`` (a no-op where ``fcntl`` is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: atomic replace alone
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class CacheError(ValueError):
    """Why a link cache file cannot be used: unreadable, not JSON, or of another version."""


def read_entries(path: Path) -> dict[str, dict[str, Any]] | None:
    """The records of the link cache at ``path``, ``None`` when there is no such file.

    The one reader of the file format, for the checker and for ``medad
    stats``; records that are not objects are dropped.  Raises
    :class:`CacheError` for a file that exists but cannot be used.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise CacheError(str(exc)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CacheError(f"not JSON ({exc.msg} at line {exc.lineno})") from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("version") != VERSION or \
            not isinstance(entries, dict):
        raise CacheError("not a medad link cache of this version")
    return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, dict)}


def _read(path: Path) -> tuple[dict[str, dict[str, Any]], Problem | None]:
    try:
        return read_entries(path) or {}, None
    except CacheError as exc:
        return {}, _corrupt(path, str(exc))


def _corrupt(path: Path, why: str) -> Problem:
    return Problem(Location(str(path)), RULE, Level.WARNING,
                   f"the link cache is unreadable ({why}); it was discarded and every link "
                   "is checked again", hint="nothing to do; it is rewritten after this run")


def _ignore_dir(directory: Path) -> None:
    """Drop a ``.gitignore`` into a cache directory medad created, as pytest does."""
    marker = directory / ".gitignore"
    if not marker.exists():
        marker.write_text("# created by medad: the link cache is not committed\n*\n",
                          encoding="utf-8")
