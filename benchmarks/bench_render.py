"""Render speed: `medad render` on a 10,000-paper catalogue vs a bare YAML parse.

Usage: python benchmarks/bench_render.py [--runs 5] [--papers 10000]

Prints whole-process medians (wall clock) and the two ratios issue #2 targets:
  render / bare CSafeLoader parse of the same file   (target <= 2.0)
  `medad --version` / `python -c "import click"`     (target <= 1.5)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate  # noqa: E402
from timing import median_seconds  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--papers", type=int, default=10_000)
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        catalogue = Path(tmp) / "papers.yaml"
        catalogue.write_text(generate(args.papers, 50), encoding="utf-8")
        out = Path(tmp) / "README.md"
        bare = [py, "-c", f"import yaml; yaml.load(open({str(catalogue)!r}), "
                "Loader=yaml.CSafeLoader)"]
        render = [py, "-m", "awesome_medad", "render", "--catalogue", str(catalogue),
                  "--output", str(out)]
        t_bare = median_seconds(bare, args.runs)
        t_render = median_seconds(render, args.runs)
        t_click = median_seconds([py, "-c", "import click"], args.runs)
        t_version = median_seconds([py, "-m", "awesome_medad", "--version"], args.runs)
        size = catalogue.stat().st_size
    print(f"catalogue: {args.papers} papers, 50 sections ({size:,} bytes); "
          f"median of {args.runs} runs")
    print(f"bare CSafeLoader parse : {t_bare:8.3f} s")
    print(f"medad render           : {t_render:8.3f} s   ratio {t_render / t_bare:.2f}x "
          "(target <= 2.0x)")
    print(f"python -c 'import click': {t_click:7.3f} s")
    print(f"medad --version        : {t_version:8.3f} s   ratio {t_version / t_click:.2f}x "
          "(target <= 1.5x)")


if __name__ == "__main__":
    main()
