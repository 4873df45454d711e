"""The terminal progress bar of a live check (used by ``cli.py`` only).

The checker itself never prints; it calls a progress callback once per
settled URL.  On a terminal the CLI passes a :class:`ProgressBar` (rich:
done/total, rate, failures so far, ETA) drawn on standard error; in CI logs,
pipes and machine formats it passes nothing, so no control characters end
up in JSON, SARIF or GitHub annotations.
"""

from __future__ import annotations

from types import TracebackType
from typing import IO, Any

from awesome_medad.links.check import ProgressEvent


class ProgressBar:
    """A context manager and progress callback drawing one rich bar."""

    def __init__(self, stream: IO[str], description: str = "checking links") -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = Console(file=stream, stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[failures]}"),
            TimeRemainingColumn(), console=console, transient=True)
        self.task = self.progress.add_task(description, total=None, rate="", failures="")

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.progress.stop()

    def __call__(self, event: ProgressEvent) -> None:
        task = self.progress.tasks[0]
        elapsed = task.elapsed or 0.0
        rate = f"{event.done / elapsed:.1f} URL/s" if elapsed > 0 else ""
        failures = f"{event.failures} failed" if event.failures else ""
        self.progress.update(self.task, total=event.total, completed=event.done, rate=rate,
                             failures=failures)


def progress_wanted(fmt: str, stream: Any, environ: dict[str, str]) -> bool:
    """A bar only for people: text format, a terminal, and not a dumb one."""
    isatty = getattr(stream, "isatty", None)
    return fmt == "text" and bool(isatty and isatty()) and environ.get("TERM") != "dumb"
