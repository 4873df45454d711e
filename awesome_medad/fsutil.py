"""Atomic file writes: every command that changes a file goes through here.

A crash, a full disk or Ctrl-C between ``open`` and ``close`` must never
leave a half-written README or catalogue, so we write a temporary file in
the same directory (same file system) and ``os.replace`` it over the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from awesome_medad.errors import WriteError


def atomic_write(path: Path | str, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, ``\\n`` newlines) in one step."""
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise WriteError(_why(path, exc)) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode if mode is not None else 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(_why(path, exc)) from exc
        raise


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
