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
    if (out / "pagefind" / "pagefind-entry.json").is_file() and not again:
        return out
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-q", "--clean", "--out", str(out)],
        cwd=project,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    return out


def index_figures(site: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Wall and CPU seconds and peak memory (MB) of `index_site`, each run in a fresh process
    whose resource usage (with Pagefind's, its child) `os.wait4` reports."""
    times, cpu, peak = [], [], []
    code = (
        "import sys, pathlib; from briefgen import search; "
        "search.index_site(pathlib.Path(sys.argv[1]))"
    )
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(site)],
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
    options = parser.parse_args()
    print(f"Pagefind {search.pagefind_version()}; {options.runs} runs, medians")
    for size in options.sizes:
        project = ensure_corpus(size, generator=options.generator)
        site = build(project, options.rebuild)
        times, cpu, peak = index_figures(site, options.runs)
        bundle = {  # the build wrote the same bytes as index_site gives
            path.relative_to(site).as_posix(): path.stat().st_size
            for path in (site / search.FOLDER).rglob("*")
            if path.is_file()
        }
        total, files = sum(bundle.values()), len(bundle)
        fragments = sum(size for path, size in bundle.items() if "/fragment/" in path)
        pages = len(search.article_pages(site))
        print(
            f"{size:>6} entries: index {statistics.median(times):6.2f} s wall"
            f" (min {min(times):.2f}), {statistics.median(cpu):6.2f} s CPU,"
            f" Pagefind peak {max(peak):.0f} MB; {pages} pages -> {files} files,"
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
