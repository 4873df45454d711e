"""Synthetic catalogues for benchmarks: ``python benchmarks/synth.py OUT.yaml [N] [SECTIONS]``.

The shape mirrors the real list (families with modality sub-sections,
scholar/pdf/code links, some cross-listing, a few arXiv ids) so that every
code path render and lint take on the real catalogue is exercised at scale.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

WORDS = (
    "unsupervised anomaly detection segmentation lesion brain retinal chest deep generative "
    "adversarial autoencoder variational network learning localization medical image "
    "reconstruction prior uncertainty self-supervised contrastive diffusion transformer "
    "memory sparse graph few-shot weakly supervised screening normative model"
).split()
SURNAMES = "Chen Baur Zimmerer Schlegl Zhou Zhang Tian Wolleb Han Pawlowski Tang Müller".split()
VENUES = ("MIDL'{yy}", "MICCAI'{yy}", "ISBI'{yy}", "arxiv, {yyyy}", "MIA, {yyyy}", "TMI, {yyyy}")


def _sections(n_sections: int) -> tuple[list[str], list[str]]:
    families = max(1, n_sections // 10)
    lines, paths = ["sections:"], []
    for f in range(families):
        lines += [f"  - id: family-{f}", f"    heading: Method family {f}", "    sections:"]
        for m in range(n_sections // families):
            lines += [f"      - id: modality-{m}", f"        heading: Modality {m}"]
            paths.append(f"family-{f}/modality-{m}")
    return lines, paths


def _paper(i: int, rng: random.Random, paths: list[str]) -> list[str]:
    year = rng.randint(2015, 2024)
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12))).capitalize()
    title = f"{title} {i}"
    venue = rng.choice(VENUES).format(yy=f"{year % 100:02d}", yyyy=year)
    sections = rng.sample(paths, 2 if i % 17 == 0 else 1)
    query = title.replace(" ", "+")
    lines = [
        f"  - id: paper{i}",
        f"    authors: [{rng.choice(SURNAMES)}]",
        "    et_al: true",
        f"    title: {title}",
        f"    venue: '{venue}'" if "'" not in venue else f"    venue: \"{venue}\"",
        f"    year: {year}",
        f"    sections: [{', '.join(sections)}]",
        "    links:",
        f"      google scholar: https://scholar.google.com/scholar?hl=en&q={query}",
    ]
    if i % 3 == 0:
        arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{i % 100000:05d}"
        lines += [f"      pdf: https://arxiv.org/abs/{arxiv}"]
    else:
        lines += [f"      pdf: https://host{i % 20}.example.org/papers/{i}.pdf"]
    if i % 4 == 0:
        lines += [f"      code: https://github.com/lab{i % 50}/repo{i}"]
    return lines


def generate(n_papers: int = 10_000, n_sections: int = 50, seed: int = 0) -> str:
    """YAML text of a valid catalogue with ``n_papers`` papers over ``n_sections`` sections."""
    rng = random.Random(seed)
    section_lines, paths = _sections(n_sections)
    lines = ["title: Synthetic benchmark list", "updated: 2024-01-01", *section_lines, "papers:"]
    for i in range(n_papers):
        lines += _paper(i, rng, paths)
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    sections = int(sys.argv[3]) if len(sys.argv) > 3 else 50
    out.write_text(generate(n, sections), encoding="utf-8")
    print(f"wrote {out} ({n} papers, {sections} sections, {out.stat().st_size:,} bytes)")
