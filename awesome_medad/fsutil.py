"""Atomic file writes: every command that changes a file goes through here.

A crash, a full disk or Ctrl-C between ``open`` and ``close`` must never
leave a half-written README or catalogue, so we write a temporary file in
the same directory (same file system) and ``os.replace`` it over the target.
:func:`write_together` does the same for several files at once, all or none.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from awesome_medad.errors import WriteError


def atomic_write(path: Path | str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` newlines) in one step, keeping its mode."""
    path = Path(path)
    try:
        staged = _stage(path, text.encode("utf-8"))
    except OSError as exc:
        raise WriteError(_why(path, exc)) from exc
    try:
        os.replace(staged, path)
    except BaseException as exc:
        staged.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(_why(path, exc)) from exc
        raise


def write_together(files: Sequence[tuple[Path, str]]) -> None:
    """Write every file or none (``add --render``: the catalogue and its README).

    Each new text is first written in full to a temporary file beside its
    target, so a missing directory, a full disk or a read-only place fails
    before anything changed; the existing files are copied to backups beside
    them; only then are the targets replaced, one ``os.replace`` each.
    Should a later replace still fail, the earlier targets are put back from
    their backups, so a failed command leaves every file as it was.
    """
    staged: list[Path] = []
    backups: list[Path | None] = []
    try:
        for path, text in files:
            staged.append(_stage_all_or_nothing(path, text.encode("utf-8")))
        backups += [_backup(path) for path, _ in files]
        _replace_all([path for path, _ in files], staged, backups)
    finally:
        for leftover in [*staged, *(b for b in backups if b is not None)]:
            leftover.unlink(missing_ok=True)


def _stage(path: Path, data: bytes) -> Path:
    """``data`` in a temporary file in ``path``'s directory, with ``path``'s permissions.

    Raises ``OSError``; a failed stage leaves no temporary file behind.
    """
    directory = path.parent if str(path.parent) else Path(".")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _stage_all_or_nothing(path: Path, data: bytes) -> Path:
    try:
        return _stage(path, data)
    except OSError as exc:
        raise _not_written(path, exc) from exc


def _backup(path: Path) -> Path | None:
    """A copy of the file now at ``path`` (``None`` when there is no file to restore)."""
    if not path.is_file():
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _not_written(path, exc) from exc
    return _stage_all_or_nothing(path, data)


def _replace_all(targets: list[Path], staged: list[Path], backups: list[Path | None]) -> None:
    done = 0
    try:
        for target, new in zip(targets, staged, strict=True):
            os.replace(new, target)
            done += 1
    except OSError as exc:
        for target, backup in zip(targets[:done], backups[:done], strict=True):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise _not_written(targets[done], exc) from exc


def _not_written(path: Path, exc: OSError) -> WriteError:
    return WriteError(f"{_why(path, exc)}; no file was changed")


def _why(path: Path, exc: OSError) -> str:
    """The error with what to do about it."""
    message = f"cannot write {path}: {exc.strerror or exc}"
    parent = path.parent if str(path.parent) else Path(".")
    if isinstance(exc, FileNotFoundError) and not parent.exists():
        return (f"{message} (the directory {parent} does not exist: create it or choose "
                "another path)")
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"{message} (it is a directory: give a file name)"
    if isinstance(exc, PermissionError):
        return f"{message} (check the permissions of {parent})"
    return f"{message} (check the disk and the path)"
