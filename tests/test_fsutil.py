"""Atomic writes: one file replaced in one step, or several files all or none."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from awesome_medad.errors import WriteError
from awesome_medad.fsutil import atomic_write, write_together


def names(directory: Path) -> list[str]:
    """Every entry of ``directory``: a leftover temporary file would show here."""
    return sorted(p.name for p in directory.iterdir())


def test_atomic_write_replaces_the_content(tmp_path: Path) -> None:
    target = tmp_path / "README.md"
    target.write_bytes(b"old\r\nlonger old content\r\n")
    atomic_write(target, "new \u00e9\n")
    assert target.read_bytes() == "new \u00e9\n".encode()
    assert names(tmp_path) == ["README.md"]


def test_atomic_write_creates_a_new_file_readable_by_all(tmp_path: Path) -> None:
    atomic_write(str(tmp_path / "new.md"), "x\n")  # a str path works too
    assert (tmp_path / "new.md").read_text(encoding="utf-8") == "x\n"
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755])
def test_atomic_write_keeps_the_mode(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "papers.yaml"
    target.write_text("a: 1\n", encoding="utf-8")
    target.chmod(mode)
    atomic_write(target, "a: 2\n")
    assert target.stat().st_mode & 0o777 == mode
    assert target.read_text(encoding="utf-8") == "a: 2\n"


def test_atomic_write_failing_to_write_leaves_the_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "papers.yaml"
    target.write_text("old\n", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(WriteError, match=r"cannot write .*papers\.yaml: No space left on device "
                                         r"\(check the disk and the path\)"):
        atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert names(tmp_path) == ["papers.yaml"]


def test_atomic_write_interrupted_before_the_replace_leaves_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "papers.yaml"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new\n")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert names(tmp_path) == ["papers.yaml"]


def test_atomic_write_over_a_directory_says_so_and_leaves_no_temporary(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep").write_text("x", encoding="utf-8")
    with pytest.raises(WriteError, match=r"\(it is a directory: give a file name\)$"):
        atomic_write(tmp_path / "out", "text\n")
    assert names(tmp_path) == ["out"] and names(tmp_path / "out") == ["keep"]


def test_atomic_write_into_a_missing_directory_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"the directory .*nodir does not exist: create it or "
                                         r"choose another path"):
        atomic_write(tmp_path / "nodir" / "README.md", "text\n")
    assert names(tmp_path) == []


def test_write_together_puts_the_first_file_back_when_the_second_fails(tmp_path: Path) -> None:
    first = tmp_path / "papers.yaml"
    first.write_bytes(b"old: 1\r\n")
    first.chmod(0o600)
    second = tmp_path / "README.md"
    second.mkdir()  # staging works beside it; replacing a directory by a file fails
    (second / "keep").write_text("x")
    with pytest.raises(WriteError, match="cannot write .*README.md: .*no file was changed"):
        write_together([(first, "new: 2\n"), (second, "# R\n")])
    assert first.read_bytes() == b"old: 1\r\n" and first.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", "papers.yaml"]
    missing = tmp_path / "new.yaml"
    with pytest.raises(WriteError):
        write_together([(missing, "new: 1\n"), (second, "# R\n")])
    assert not missing.exists()  # a file created by the failed write is removed again
    write_together([(first, "new: 2\n"), (tmp_path / "R.md", "# R\n")])
    assert first.read_text() == "new: 2\n" and (tmp_path / "R.md").read_text() == "# R\n"
    assert first.stat().st_mode & 0o777 == 0o600  # permissions kept


def test_write_together_into_a_missing_directory_changes_no_file(tmp_path: Path) -> None:
    first = tmp_path / "papers.yaml"
    first.write_text("old\n", encoding="utf-8")
    with pytest.raises(WriteError, match=r"cannot write .*README\.md: .*does not exist: create "
                                         r"it or choose another path\); no file was changed$"):
        write_together([(first, "new\n"), (tmp_path / "nodir" / "README.md", "# R\n")])
    assert first.read_text(encoding="utf-8") == "old\n"
    assert names(tmp_path) == ["papers.yaml"]
