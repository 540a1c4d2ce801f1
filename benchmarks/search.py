"""Search benchmark: Pagefind index time and size, and the search page's first result.

    python benchmarks/search.py --sizes 1000 10000 --runs 3 --browser-size 10000

For each size of the shared corpus (`make_corpus.py`, kept in benchmarks/out/)
it builds the site once (kept for later runs unless `--rebuild`), then times
`briefgen.search.index_site` over its article pages (median of `--runs`, wall
and CPU time, Pagefind's peak memory) and prints the bundle's size. At
`--browser-size` it serves the site on 127.0.0.1 and measures, in headless
Chromium (Debian's `chromium`), the time from opening `/search/?q=WORD` to the
first result shown, with a cold browser cache each run, and the time from
typing a second query to its first result. It prints figures; it never fails
on time.
"""

from __future__ import annotations

import argparse
import functools
import resource
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
    if (out / "pagefind" / "pagefind-entry.json").is_file() and not again:
        return out
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-q", "--clean", "--out", str(out)],
        cwd=project,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return out


def index_figures(
    site: Path, runs: int, peak: list[float]
) -> tuple[list[float], list[float], search.SearchIndex]:
    times, cpu, index = [], [], None
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        index = search.index_site(site)
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        peak.append(after.ru_maxrss / 1024)
    assert index is not None
    return times, cpu, index


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


def size_of(index: search.SearchIndex) -> tuple[int, int]:
    return sum(len(data) for data in index.files.values()), len(index.files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--browser-size", type=int, default=10000)
    parser.add_argument("--generator", type=Path, default=GENERATOR)
    parser.add_argument("--rebuild", action="store_true", help="build the sites again")
    options = parser.parse_args()
    print(f"Pagefind {search.pagefind_version()}; {options.runs} runs, medians")
    for size in options.sizes:
        project = ensure_corpus(size, generator=options.generator)
        site = build(project, options.rebuild)
        peak: list[float] = []
        times, cpu, index = index_figures(site, options.runs, peak)
        total, files = size_of(index)
        fragments = sum(len(d) for p, d in index.files.items() if "/fragment/" in p)
        print(
            f"{size:>6} entries: index {statistics.median(times):6.2f} s wall"
            f" (min {min(times):.2f}), {statistics.median(cpu):6.2f} s CPU,"
            f" Pagefind peak {max(peak):.0f} MB; {index.pages} pages -> {files} files,"
            f" {total / 1e6:6.1f} MB ({fragments / 1e6:.1f} MB of excerpts)"
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
