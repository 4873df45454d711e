"""Lint speed: `medad lint --offline` on a 10,000-paper catalogue and on a 1 MB Markdown list.

Usage: python benchmarks/bench_lint.py [--runs 5] [--papers 10000] [--list-mb 1.0]

Prints whole-process medians (wall clock, after one warm-up run) and the
ratio issue #3 targets: lint of the catalogue (YAML checks + the README it
renders) / `medad render` of the same catalogue (target <= 2.0).  The 1 MB
list is a synthetic catalogue rendered to Markdown and linted as a plain
Markdown file (mistune parse + positions + every rule).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate  # noqa: E402
from timing import median_seconds  # noqa: E402

MEDAD = [sys.executable, "-m", "awesome_medad"]



def markdown_list(work: Path, megabytes: float) -> Path:
    """A Markdown list of about ``megabytes`` MB: a synthetic catalogue, rendered."""
    papers = max(100, int(megabytes * 1_000_000 / 355))
    catalogue = work / "list.yaml"
    catalogue.write_text(generate(papers, 50, seed=1), encoding="utf-8")
    out = work / "list.md"
    subprocess.run([*MEDAD, "render", "--catalogue", str(catalogue), "-o", str(out)],
                   check=True, cwd=work)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--list-mb", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        catalogue = work / "papers.yaml"
        catalogue.write_text(generate(args.papers, 50), encoding="utf-8")
        readme = work / "README.md"
        render = [*MEDAD, "render", "--catalogue", str(catalogue), "-o", str(readme)]
        subprocess.run(render, check=True, cwd=work)
        lint = [*MEDAD, "lint", "--offline", "--catalogue", str(catalogue), "--readme",
                str(readme), "--format", "json"]
        listing = markdown_list(work, args.list_mb)
        lint_md = [*MEDAD, "lint", "--offline", "--format", "json", str(listing)]
        t_render = median_seconds(render, args.runs, work)
        t_lint = median_seconds(lint, args.runs, work)
        t_md = median_seconds(lint_md, args.runs, work)
        size_c, size_r = catalogue.stat().st_size, readme.stat().st_size
        size_md = listing.stat().st_size
    print(f"catalogue: {args.papers:,} papers, 50 sections, {size_c / 1e6:.1f} MB YAML, "
          f"README {size_r / 1e6:.1f} MB; Markdown list {size_md / 1e6:.2f} MB; "
          f"medians of {args.runs} runs")
    print("| measurement | time | ratio | target |")
    print("|---|---|---|---|")
    print(f"| `medad render` (baseline) | {t_render:.3f} s | 1.00x | |")
    print(f"| `medad lint --offline` (catalogue + README) | {t_lint:.3f} s | "
          f"{t_lint / t_render:.2f}x | <= 2.0x |")
    print(f"| `medad lint --offline list.md` ({size_md / 1e6:.2f} MB Markdown) | {t_md:.3f} s "
          "| | |")


if __name__ == "__main__":
    main()
