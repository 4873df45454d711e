"""Statistics about the catalogue: what the field looks like at a glance.

``medad stats`` shows, as rich tables on a terminal or as JSON:

* papers per method family x imaging modality: a family is a top-level
  section, a modality its sub-section; a cross-listed paper counts in every
  cell it is listed in (so the cells add up to *listings*, not papers);
* papers per year, and the top venues (venue names without their year, so
  ``MIDL'18`` and ``MIDL'19`` count together); each paper counts once;
* link health from the last cached link check, if the link checker left its
  ``.medad-cache/links.json`` (read defensively: an absent, unreadable or
  unfamiliar cache is reported as "no link check cached", never a crash).

``--chart PATH.svg`` writes papers per year stacked by modality as a
hand-written SVG (see :func:`chart_svg`).  A cross-listed paper is counted
under the modality of its *first* section there, so a bar's height is the
number of papers of that year.

JSON shape (``--format json``)::

    {"papers": 33, "listings": 34,
     "family_modality": [{"family": "Deep learning based methods",
                          "family_path": "deep-learning", "modality": "Brain MRI",
                          "modality_path": "deep-learning/brain-mri", "papers": 15}],
     "years": [{"year": 2017, "papers": 2}, {"year": null, "papers": 1}],
     "venues": [{"venue": "MICCAI", "papers": 9}],
     "links": {"cached": false, "message": "no link check cached"}}
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from awesome_medad.catalogue import DEFAULT_CHART_ALT, Catalogue, Paper, Section
from awesome_medad.ids import arxiv_id, github_repo
from awesome_medad.venues import venue_name

NO_MODALITY = "No modality"
NO_LINK_CHECK = "no link check cached"
TOP_VENUES = 10


# -- facets --------------------------------------------------------------------------------
def facets(catalogue: Catalogue) -> dict[str, tuple[Section, Section | None]]:
    """Section path -> (family, modality): its top-level section and its depth-2 section."""
    result: dict[str, tuple[Section, Section | None]] = {}
    for family in catalogue.sections:
        result[family.path] = (family, None)
        for modality, path in _below(family):
            result[path] = (family, modality)
    return result


def _below(family: Section) -> Iterator[tuple[Section, str]]:
    """Every section under ``family`` with the depth-2 section it belongs to."""
    for modality in family.children:
        stack = [modality]
        while stack:
            section = stack.pop()
            yield modality, section.path
            stack.extend(section.children)


def primary_modality(paper: Paper, table: dict[str, tuple[Section, Section | None]]) -> str:
    """The heading of the modality of the paper's first section (for the stacked chart)."""
    for path in paper.sections:
        if path in table:
            modality = table[path][1]
            return modality.heading if modality else NO_MODALITY
    return NO_MODALITY


# -- numbers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Stats:
    """Everything ``medad stats`` reports, in display order."""

    papers: int
    listings: int
    family_modality: tuple[tuple[Section, Section | None, int], ...]
    years: tuple[tuple[int | None, int], ...]
    venues: tuple[tuple[str, int], ...]
    links: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "papers": self.papers, "listings": self.listings,
            "family_modality": [
                {"family": f.heading, "family_path": f.path,
                 "modality": m.heading if m else None, "modality_path": m.path if m else None,
                 "papers": n}
                for f, m, n in self.family_modality],
            "years": [{"year": y, "papers": n} for y, n in self.years],
            "venues": [{"venue": v, "papers": n} for v, n in self.venues],
            "links": self.links,
        }


def compute(catalogue: Catalogue, cache_dir: Path | None = None) -> Stats:
    """The statistics of ``catalogue``; link health from ``cache_dir`` when given."""
    table = facets(catalogue)
    cells: Counter[tuple[str, str | None]] = Counter()
    for paper in catalogue.papers:
        for path in dict.fromkeys(paper.sections):
            family, modality = table.get(path, (None, None))
            if family is not None:
                cells[(family.path, modality.path if modality else None)] += 1
    grid = tuple((f, m, cells[(f.path, m.path if m else None)]) for f, m in _cells(catalogue))
    links = link_health(catalogue, cache_dir) if cache_dir is not None else _no_cache()
    return Stats(len(catalogue.papers), sum(len(set(p.sections)) for p in catalogue.papers),
                 grid, per_year(catalogue.papers), top_venues(catalogue.papers), links)


def _cells(catalogue: Catalogue) -> Iterator[tuple[Section, Section | None]]:
    """Every (family, modality) cell in section order; a family without children is one cell."""
    for family in catalogue.sections:
        if not family.children:
            yield family, None
        for modality in family.children:
            yield family, modality


def per_year(papers: tuple[Paper, ...]) -> tuple[tuple[int | None, int], ...]:
    """Papers per year, oldest first, unknown years last."""
    counts = Counter(p.year for p in papers)
    known = sorted(y for y in counts if y is not None)
    rows: list[tuple[int | None, int]] = [(y, counts[y]) for y in known]
    if None in counts:
        rows.append((None, counts[None]))
    return tuple(rows)


def top_venues(papers: tuple[Paper, ...], limit: int = TOP_VENUES) -> tuple[tuple[str, int], ...]:
    """The ``limit`` most frequent venue names; ties in alphabetical order."""
    counts = Counter(venue_name(p.venue) for p in papers if venue_name(p.venue))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower(), item[0]))
    return tuple(ranked[:limit])


# -- link health from the link checker's cache -------------------------------------------------
LINK_CLASSES = ("ok", "redirect", "dead", "error", "unverified")


def _no_cache(message: str = NO_LINK_CHECK) -> dict[str, Any]:
    return {"cached": False, "message": message}


def link_health(catalogue: Catalogue, cache_dir: Path) -> dict[str, Any]:
    """How the catalogue's links fared in the last ``medad check`` (its cache file).

    The cache (``cache_dir/links.json``) belongs to the link checker and is
    read with its own reader (:func:`awesome_medad.links.cache.read_entries`),
    imported here lazily so that ``stats`` stays cheap to import.  Records are
    keyed by URL, ``arxiv:ID`` or ``github:owner/repo``.  The file may be
    absent, stale, corrupt or of a newer version: every such case is reported
    in words, never raised.
    """
    from awesome_medad.links.cache import CacheError, read_entries
    from awesome_medad.links.settings import CACHE_FILE_NAME

    path = cache_dir / CACHE_FILE_NAME
    try:
        entries = read_entries(path)
    except CacheError as exc:
        return _no_cache(f"{NO_LINK_CHECK} ({path} is unreadable: {exc})")
    if entries is None:
        return _no_cache()
    counts: Counter[str] = Counter()
    latest = 0.0
    urls = dict.fromkeys(url for paper in catalogue.papers for _, url in paper.links)
    for url in urls:
        entry = _cache_entry(entries, url)
        status = entry.get("status") if entry else None
        counts[status if status in LINK_CLASSES else "unchecked"] += 1
        stamp = entry.get("checked_at") if entry and status in LINK_CLASSES else None
        if isinstance(stamp, (int, float)) and not isinstance(stamp, bool):
            latest = max(latest, float(stamp))
    checked = (dt.datetime.fromtimestamp(latest, dt.timezone.utc).isoformat(timespec="seconds")
               if latest > 0 else None)
    return {"cached": True, "source": str(path), "checked_at": checked, "links": len(urls),
            **{name: counts[name] for name in (*LINK_CLASSES, "unchecked")}}


def _cache_entry(entries: dict[str, Any], url: str) -> dict[str, Any] | None:
    """The cache record of ``url``: by URL, by arXiv id, or by GitHub repository."""
    keys = [url]
    ident = arxiv_id(url)
    if ident:
        keys += [f"arxiv:{ident}", f"arxiv:{ident.lower()}"]
    repo = github_repo(url)
    if repo:
        name = "/".join(repo)
        keys += [f"github:{name}", f"github:{name.lower()}"]
    for key in keys:
        if isinstance(entries.get(key), dict):
            return dict(entries[key])
    return None


# -- terminal tables -------------------------------------------------------------------------
def render_tables(stats: Stats, width: int | None = None, color: bool | None = None) -> str:
    """The rich tables as text (ANSI colour only when ``color``; plain for pipes and tests)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(width=width or 100, record=True, file=io.StringIO(),
                      force_terminal=bool(color), no_color=not color, color_system=None
                      if not color else "auto")
    console.print(f"[bold]{stats.papers}[/bold] papers, {stats.listings} listings")
    grid = Table(title="Papers per method family x modality", title_justify="left")
    for name, justify in (("Family", "left"), ("Modality", "left"), ("Papers", "right")):
        grid.add_column(name, justify=justify)  # type: ignore[arg-type]
    previous = None
    for family, modality, count in stats.family_modality:
        shown = family.heading if family.path != previous else ""
        if previous is not None and family.path != previous:
            grid.add_section()
        grid.add_row(Text(shown), Text(modality.heading if modality else "-"), str(count))
        previous = family.path
    console.print(grid)
    console.print(_two_column("Papers per year", "Year", [
        (str(y) if y is not None else "unknown", n) for y, n in stats.years]))
    console.print(_two_column(f"Top {TOP_VENUES} venues", "Venue", list(stats.venues)))
    console.print(Text(_links_line(stats.links)), soft_wrap=True)
    text = console.export_text(styles=bool(color))
    return "".join(line.rstrip(" ") + "\n" for line in text.splitlines())


def _two_column(title: str, label: str, rows: list[tuple[str, int]]) -> Any:
    """A two-column table; cell text is plain ``Text`` so ``[...]`` is never rich markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left")
    table.add_column(label)
    table.add_column("Papers", justify="right")
    for name, count in rows:
        table.add_row(Text(name), str(count))
    return table


def _links_line(links: dict[str, Any]) -> str:
    if not links.get("cached"):
        return f"Link health: {links.get('message', NO_LINK_CHECK)}"
    when = f"checked {links['checked_at']}" if links.get("checked_at") else "never checked"
    counts = ", ".join(f"{links[name]} {name}" for name in (*LINK_CLASSES, "unchecked"))
    return f"Link health of {links['links']} links ({when}): {counts}"


# -- the chart -------------------------------------------------------------------------------
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#9A7D0A",
           "#7F7F7F", "#AA4499", "#44AA99", "#882255", "#117733")
CHART_TITLE = DEFAULT_CHART_ALT
_WIDTH, _LEFT, _RIGHT, _TOP, _PLOT_H = 720, 48, 16, 44, 220
_STYLE = """
    .bg { fill: #ffffff; }
    text { fill: #1f2328; font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial,
           sans-serif; font-size: 12px; }
    .title { font-size: 15px; font-weight: 600; }
    .muted { fill: #59636e; }
    .axis { stroke: #59636e; stroke-width: 1; }
    .grid { stroke: #d1d9e0; stroke-width: 1; }
    .seg { stroke: #ffffff; stroke-width: 0.75; }
    @media (prefers-color-scheme: dark) {
      .bg { fill: #0d1117; }
      text { fill: #f0f6fc; }
      .muted { fill: #9198a1; }
      .axis { stroke: #9198a1; }
      .grid { stroke: #3d444d; }
      .seg { stroke: #0d1117; }
    }
  """


@dataclass(frozen=True)
class ChartData:
    """Counts per (year, modality) with the modalities in legend order."""

    years: tuple[int, ...]
    modalities: tuple[str, ...]
    counts: dict[tuple[int, str], int]
    undated: int

    def total(self, year: int) -> int:
        return sum(self.counts.get((year, m), 0) for m in self.modalities)


def chart_data(catalogue: Catalogue) -> ChartData:
    """Per year (every year between the first and the last) and primary modality."""
    table = facets(catalogue)
    counts: Counter[tuple[int, str]] = Counter()
    order: dict[str, None] = {}
    undated = 0
    for paper in catalogue.papers:
        modality = primary_modality(paper, table)
        if paper.year is None:
            undated += 1
            continue
        counts[(paper.year, modality)] += 1
        order.setdefault(modality, None)
    legend = _legend_order(catalogue, order)
    known = [y for y, _ in counts]
    years = tuple(range(min(known), max(known) + 1)) if known else ()
    return ChartData(years, legend, dict(counts), undated)


def _legend_order(catalogue: Catalogue, used: dict[str, None]) -> tuple[str, ...]:
    """Modalities in the order their headings first appear in the list; "No modality" last."""
    headings = [m.heading for _, m in _cells(catalogue) if m is not None]
    ordered = [h for h in dict.fromkeys(headings) if h in used]
    return tuple(ordered + [NO_MODALITY] * (NO_MODALITY in used))


def _nice_max(value: int) -> tuple[int, int]:
    """A round axis maximum and tick step (1, 2 or 5 times a power of ten), at most 5 ticks."""
    if value <= 0:
        return 1, 1
    for power in range(0, 12):
        for base in (1, 2, 5):
            step = base * 10 ** power
            if math.ceil(value / step) <= 5:
                return math.ceil(value / step) * step, step
    return value, value  # pragma: no cover - beyond 5e11 papers


def chart_svg(catalogue: Catalogue, title: str = CHART_TITLE) -> str:
    """The stacked bar chart as a self-contained SVG document.

    Hand-written (no plotting library): a background rectangle and a
    ``prefers-color-scheme`` media query keep it readable on GitHub's light
    and dark themes (if a viewer ignores the query, the light card still
    reads well on a dark page); ``<title>``/``<desc>`` give screen readers the
    numbers, and each bar segment has its own ``<title>`` tooltip.
    """
    data = chart_data(catalogue)
    legend, legend_h = _legend(data.modalities)
    height = _TOP + _PLOT_H + 34 + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-labelledby="medad-chart-title '
        f'medad-chart-desc">',
        f'  <title id="medad-chart-title">{escape(title)}</title>',
        f'  <desc id="medad-chart-desc">{escape(describe(data))}</desc>',
        f"  <style>{_STYLE}</style>",
        f'  <rect class="bg" x="0" y="0" width="{_WIDTH}" height="{height}" rx="6"/>',
        f'  <text class="title" x="{_LEFT}" y="26">{escape(title)}</text>',
    ]
    parts += _bars(data) + [f'  <g transform="translate(0 {_TOP + _PLOT_H + 34})">', *legend,
                            "  </g>", "</svg>"]
    return "\n".join(parts) + "\n"


def describe(data: ChartData) -> str:
    """The chart in words, for ``<desc>``: every year's total and its split by modality."""
    if not data.years:
        return "No paper has a known year."
    total = sum(data.counts.values())
    words = [f"{_papers(total)} from {data.years[0]} to {data.years[-1]}."]
    for year in data.years:
        split = ", ".join(f"{m} {data.counts[(year, m)]}" for m in data.modalities
                          if data.counts.get((year, m)))
        words.append(f"{year}: {data.total(year)}" + (f" ({split})." if split else "."))
    if data.undated:
        verb = "is" if data.undated == 1 else "are"
        words.append(f"{_papers(data.undated)} without a year {verb} not shown.")
    return " ".join(words)


def _papers(count: int) -> str:
    return f"{count} paper{'' if count == 1 else 's'}"


def _bars(data: ChartData) -> list[str]:
    plot_w = _WIDTH - _LEFT - _RIGHT
    base = _TOP + _PLOT_H
    top, step = _nice_max(max((data.total(y) for y in data.years), default=0))
    parts = ['  <g class="axes">']
    for tick in range(0, top + 1, step):
        y = base - _PLOT_H * tick / top
        parts.append(f'    <line class="grid" x1="{_LEFT}" y1="{y:.1f}" x2="{_LEFT + plot_w}" '
                     f'y2="{y:.1f}"/>')
        parts.append(f'    <text class="muted" x="{_LEFT - 6}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{tick}</text>')
    parts.append(f'    <line class="axis" x1="{_LEFT}" y1="{base}" x2="{_LEFT + plot_w}" '
                 f'y2="{base}"/>')
    parts.append("  </g>")
    if not data.years:
        parts.append(f'  <text class="muted" x="{_LEFT + plot_w / 2}" y="{base - _PLOT_H / 2}" '
                     f'text-anchor="middle">No paper has a known year</text>')
        return parts
    slot = plot_w / len(data.years)
    label_every = max(1, math.ceil(34 / slot))
    for i, year in enumerate(data.years):
        parts += _bar(data, year, _LEFT + i * slot, slot, top, base, i % label_every == 0)
    return parts


def _bar(data: ChartData, year: int, x: float, slot: float, top: int, base: int,
         label: bool) -> list[str]:
    width = max(1.0, slot * 0.7)
    left = x + (slot - width) / 2
    parts = [f'  <g class="year" data-year="{year}">']
    y = float(base)
    for index, modality in enumerate(data.modalities):
        count = data.counts.get((year, modality), 0)
        if not count:
            continue
        h = _PLOT_H * count / top
        y -= h
        parts.append(f'    <rect class="seg" x="{left:.1f}" y="{y:.1f}" width="{width:.1f}" '
                     f'height="{h:.1f}" fill="{PALETTE[index % len(PALETTE)]}">'
                     f"<title>{year}, {escape(modality)}: {count}</title></rect>")
    total = data.total(year)
    if total and slot >= 18:
        parts.append(f'    <text x="{x + slot / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
                     f"{total}</text>")
    if label:
        parts.append(f'    <text class="muted" x="{x + slot / 2:.1f}" y="{base + 18}" '
                     f'text-anchor="middle">{year}</text>')
    return [*parts, "  </g>"]


def _legend(modalities: tuple[str, ...]) -> tuple[list[str], int]:
    """Legend items flowed into rows that fit the width; returns (lines, height)."""
    parts: list[str] = []
    x, row = float(_LEFT), 0
    for index, name in enumerate(modalities):
        item_w = 22 + 7 * len(name) + 18
        if x + item_w > _WIDTH - _RIGHT and x > _LEFT:
            x, row = float(_LEFT), row + 1
        y = row * 22
        parts.append(f'    <rect x="{x:.0f}" y="{y}" width="12" height="12" rx="2" '
                     f'fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(f'    <text x="{x + 18:.0f}" y="{y + 11}">{escape(name)}</text>')
        x += item_w
    return parts, (row + 1) * 22 + 8 if modalities else 8
