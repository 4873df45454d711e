"""Whole-process timing shared by the benchmark scripts."""

from __future__ import annotations

import statistics
import subprocess
import time
from pathlib import Path


def median_seconds(cmd: list[str], runs: int, cwd: Path | None = None) -> float:
    """Median wall-clock time of ``runs`` whole-process runs, after one warm-up run.

    The warm-up fills the OS file cache and Python's bytecode cache, so every
    measured run starts from the same state.
    """
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
        times.append(time.perf_counter() - start)
    return statistics.median(times)
