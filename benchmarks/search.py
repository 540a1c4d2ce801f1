"""Search benchmark: Pagefind index time and size, and the search page's first result.

    python benchmarks/search.py --sizes 1000 10000 --runs 3 --browser-size 10000

For each size of the shared corpus (`make_corpus.py`, kept in benchmarks/out/)
it builds the site once (kept for later runs unless `--rebuild`), then times
the indexing of one part of the index (`search.PART_LIMIT` article pages: what
a build pays when one article changed) and, with `--whole`, of all the article
pages in one index (median of `--runs`, wall and CPU time, Pagefind's peak
memory), and prints the size of the bundles the build wrote. At
`--browser-size` it serves the site on 127.0.0.1 and measures, in headless
Chromium (Debian's `chromium`), the time from opening `/search/?q=WORD` to the
first result shown, with a cold browser cache each run, and the time from
typing a second query to its first result. It prints figures; it never fails
on time.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from corpus import GENERATOR, ensure_corpus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from briefgen import search  # noqa: E402

QUERIES = ("coopération", "sanctions", "missiles")


def build(project: Path, again: bool) -> Path:
    out = project / "site"
    if (out / "pagefind" / "parts.json").is_file() and not again:
        return out
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-q", "--clean", "--out", str(out)],
        cwd=project,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return out


def index_figures(
    site: Path, runs: int, pages: int
) -> tuple[list[float], list[float], list[float]]:
    """Wall and CPU seconds and peak memory (MB) of indexing the first `pages` article pages,
    each run in a fresh process whose resource usage (with Pagefind's, its child) `os.wait4`
    reports."""
    times, cpu, peak = [], [], []
    code = (
        "import sys, pathlib; from briefgen import search; site = pathlib.Path(sys.argv[1]); "
        "paths = sorted(site.glob(search.ARTICLES))[: int(sys.argv[2])]; "
        "search.index_pages({p.relative_to(site).as_posix(): p for p in paths}, 'benchmark')"
    )
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(site), str(pages)],
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - started)
        assert status == 0, status
        cpu.append(usage.ru_utime + usage.ru_stime)
        peak.append(usage.ru_maxrss / 1024)
    return times, cpu, peak


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def browser_figures(site: Path, runs: int) -> tuple[list[float], list[float]]:
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import launch_chromium

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    first_result, typed = [], []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for run in range(runs):
            context = browser.new_context()  # a cold cache each run
            page = context.new_page()
            query = QUERIES[run % len(QUERIES)]
            started = time.perf_counter()
            page.goto(f"{base}search/?q={query}")
            page.wait_for_selector(".search-result", timeout=120_000)
            first_result.append(time.perf_counter() - started)
            other = QUERIES[(run + 1) % len(QUERIES)]
            page.wait_for_selector("html[data-search=ready]")
            started = time.perf_counter()
            page.fill("#search-q", other)
            page.wait_for_function(
                "q => document.querySelector('.search-result')"
                " && document.getElementById('search-status').textContent.includes(q)",
                arg=other,
                timeout=120_000,
            )
            typed.append(time.perf_counter() - started)
            context.close()
        browser.close()
    server.shutdown()
    return first_result, typed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser-size", type=int, default=10000)
    parser.add_argument("--generator", type=Path, default=GENERATOR)
    parser.add_argument("--rebuild", action="store_true", help="build the sites again")
    parser.add_argument("--whole", action="store_true", help="also index all pages at once")
    options = parser.parse_args()
    print(f"Pagefind {search.pagefind_version()}; {options.runs} runs, medians")
    for size in options.sizes:
        project = ensure_corpus(size, generator=options.generator)
        site = build(project, options.rebuild)
        bundle = {  # the build wrote the same bytes as indexing the parts gives
            path.relative_to(site).as_posix(): path.stat().st_size
            for path in (site / search.FOLDER).rglob("*")
            if path.is_file()
        }
        total, files = sum(bundle.values()), len(bundle)
        fragments = sum(size for path, size in bundle.items() if "/fragment/" in path)
        pages = len(list(site.glob(search.ARTICLES)))
        parts = len(json.loads((site / search.MANIFEST).read_bytes())["parts"])
        print(
            f"{size:>6} entries: {pages} pages in {parts} parts -> {files} files,"
            f" {total / 1e6:6.1f} MB ({fragments / 1e6:.1f} MB of excerpts)"
        )
        for label, count in [("one part", search.PART_LIMIT), ("whole", pages)]:
            if label == "whole" and not options.whole:
                continue
            times, cpu, peak = index_figures(site, options.runs, min(count, pages))
            print(
                f"{size:>6} entries, {label} ({min(count, pages)} pages): index"
                f" {statistics.median(times):6.2f} s wall (min {min(times):.2f}),"
                f" {statistics.median(cpu):6.2f} s CPU, Pagefind peak {max(peak):.0f} MB"
            )
        if size == options.browser_size:
            first, typed = browser_figures(site, options.runs)
            print(
                f"{size:>6} entries: search page to first result"
                f" {statistics.median(first) * 1000:6.0f} ms (cold cache, max"
                f" {max(first) * 1000:.0f}); typed query to first result"
                f" {statistics.median(typed) * 1000:6.0f} ms"
            )


if __name__ == "__main__":
    main()
