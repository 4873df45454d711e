"""Export and site speed on a 10,000-paper catalogue, and the page's search speed in Chromium.

Usage: python benchmarks/bench_export_site.py [--runs 5] [--papers 10000] [--no-browser]

Prints whole-process medians (wall clock, one warm-up run first) of
``medad export --format F`` for each format and of ``medad site``, with ratios
against ``medad render`` on the same file (same YAML loading and validation,
so the ratio is the cost of the output itself).  Then, when Debian's
chromium and chromium-driver are installed, it serves the 10k page from
127.0.0.1, types "anomaly detection" one key at a time and reports the page's
own ``performance.now()`` timing of each search (filter + list update +
layout) and its load-to-interactive time, median over ``--loads`` page loads.
Target: under 100 ms per keystroke.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from synth import generate  # noqa: E402
from timing import median_seconds  # noqa: E402

FORMATS = ("bibtex", "csl-json", "csv", "json")
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
QUERY = "anomaly detection"



def process_figures(catalogue: Path, out: Path, runs: int) -> None:
    medad = [sys.executable, "-m", "awesome_medad"]
    base = median_seconds([*medad, "render", "--catalogue", str(catalogue), "--output",
                           str(out / "README.md")], runs)
    print(f"medad render (baseline)      : {base:7.3f} s")
    for fmt in FORMATS:
        target = out / f"papers.{fmt}"
        seconds = median_seconds([*medad, "export", "--catalogue", str(catalogue), "--format",
                                  fmt, "--output", str(target)], runs)
        print(f"medad export --format {fmt:<8}: {seconds:7.3f} s   ratio {seconds / base:.2f}x"
              f"   ({target.stat().st_size:,} bytes)")
    seconds = median_seconds([*medad, "site", "--catalogue", str(catalogue), "--output",
                              str(out / "site")], runs)
    size = (out / "site" / "index.html").stat().st_size
    print(f"medad site                   : {seconds:7.3f} s   ratio {seconds / base:.2f}x"
          f"   ({size:,} bytes)")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def _driver(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1200,900",
                 f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def _one_load(driver: Any, url: str) -> tuple[float, list[float]]:
    from selenium.webdriver.support.ui import WebDriverWait

    def searches() -> int:
        return int(driver.execute_script("return window.medadStats.searches.length"))

    driver.get("about:blank")
    driver.get(url)
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.documentElement.dataset.ready === 'true'"))
    ready = float(driver.execute_script("return window.medadStats.ready"))
    box = driver.find_element("id", "q")
    for char in QUERY:
        before = searches()
        box.send_keys(char)
        WebDriverWait(driver, 30).until(lambda d, n=before: searches() > n)
    timings = driver.execute_script("return window.medadStats.searches")
    return ready, [float(t) for t in timings[1:]]  # [0] is the initial render


def browser_figures(site: Path, profile: Path, loads: int) -> None:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        print("browser: skipped (install Debian's chromium and chromium-driver)")
        return
    httpd = ThreadingHTTPServer(("127.0.0.1", 0),
                                functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    driver = _driver(profile)
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
        results = [_one_load(driver, url) for _ in range(loads)]
    finally:
        driver.quit()
        httpd.shutdown()
        httpd.server_close()
    ready = statistics.median(r for r, _ in results)
    keys = [t for _, per_key in results for t in per_key]
    print(f"browser: load-to-interactive  {ready:7.1f} ms (median of {loads} loads)")
    print(f"browser: search per keystroke {statistics.median(keys):7.1f} ms median, "
          f"{max(keys):.1f} ms max over {len(keys)} keystrokes ('{QUERY}', target < 100 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--loads", type=int, default=3, help="page loads for browser figures")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        catalogue = out / "papers.yaml"
        catalogue.write_text(generate(args.papers, 50), encoding="utf-8")
        print(f"catalogue: {args.papers} papers, 50 sections "
              f"({catalogue.stat().st_size:,} bytes); median of {args.runs} runs")
        process_figures(catalogue, out, args.runs)
        if not args.no_browser:
            (out / "profile").mkdir()
            browser_figures(out / "site", out / "profile", args.loads)


if __name__ == "__main__":
    main()
