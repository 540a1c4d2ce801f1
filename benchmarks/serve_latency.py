"""Edit-to-reload latency of `briefgen serve`, measured in a real headless Chromium.

For each corpus size, generates (or reuses) the shared benchmark corpus under
`benchmarks/out/`, starts `briefgen serve --port 0` on it, opens the corpus's
sample article, then appends a paragraph to that file several times and
measures the time from the write to the page showing the new text (rebuild,
event, reload and render together). Prints the start-up time (until the
preview serves), the median and the maximum.

By default the preview starts warm: `briefgen build` has run on the corpus,
so `serve` starts from `.briefgen-cache/` and the built site; `--cold` removes
the cache first, so the start-up is a full build.

    python benchmarks/serve_latency.py                    # 1 000 and 10 000 entries
    python benchmarks/serve_latency.py --sizes 10000 --edits 10
    python benchmarks/serve_latency.py --sizes 10000 --cold

A benchmark, not a test: it reports figures and never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen.config import load_config  # noqa: E402
from briefgen.loader import load_entry  # noqa: E402
from tests.e2e.browser import launch_chromium  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ensure_corpus  # noqa: E402


def start(project: Path, temp: Path) -> tuple[subprocess.Popen[str], str, str]:
    temp.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(REPO)}  # this checkout's code
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "serve", "--port", "0"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    errors: list[str] = []
    assert process.stdout is not None and process.stderr is not None
    stdout, stderr = process.stdout, process.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    threading.Thread(target=lambda: [errors.append(line) for line in stderr], daemon=True).start()
    line = lines.get(timeout=1800)
    built = next((e.strip() for e in errors if e.startswith("Built ")), "")
    return process, line.split()[1], built


def prepare(project: Path, cold: bool) -> None:
    """A cold start has no cache; a warm one has the cache and site of `briefgen build`."""
    if cold:
        shutil.rmtree(project / ".briefgen-cache", ignore_errors=True)
        return
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(
        [sys.executable, "-m", "briefgen", "build", "-q"], cwd=project, env=env, check=True
    )


def measure(size: int, edits: int, out: Path, cold: bool = False) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    project = ensure_corpus(size, out)
    prepare(project, cold)
    sample = project / json.loads((project / "corpus.json").read_text())["sample_article"]
    original = sample.read_bytes()
    entry, _ = load_entry(sample, load_config(project))
    assert entry is not None
    started = time.perf_counter()
    process, url, built = start(project, out / "tmp")
    startup = time.perf_counter() - started
    latencies: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            page = browser.new_page()
            page.goto(f"{url}articles/{entry.slug}/")
            time.sleep(1.0)
            for number in range(edits):
                text = f"Mise à jour numéro {number} ({time.time_ns()})."
                # the reload's `load` event, then the text: no polling delay in the figure
                with page.expect_event("load", timeout=120_000):
                    with sample.open("a", encoding="utf-8") as handle:
                        handle.write(f"\n{text}\n")
                    written = time.perf_counter()
                while text not in page.inner_text("article"):
                    with page.expect_event("load", timeout=120_000):
                        pass
                latencies.append(time.perf_counter() - written)
                time.sleep(0.5)
            browser.close()
    finally:
        sample.write_bytes(original)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    return {
        "entries": size,
        "startup_s": round(startup, 2),
        "built": built,
        "median_ms": round(statistics.median(latencies) * 1000),
        "max_ms": round(max(latencies) * 1000),
        "all_ms": [round(s * 1000) for s in latencies],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--cold", action="store_true", help="start without the build cache")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument(
        "--nlp",
        action="store_true",
        help="let briefgen use spaCy when installed (default: BRIEFGEN_NLP=0, the default install)",
    )
    args = parser.parse_args()
    if not args.nlp:
        os.environ["BRIEFGEN_NLP"] = "0"
    print(f"start: {'cold (no cache)' if args.cold else 'warm (after briefgen build)'}")
    print(f"{'entries':>8}  {'startup':>8}  {'median':>8}  {'max':>8}  each (ms)")
    for size in args.sizes:
        result = measure(size, args.edits, args.out, args.cold)
        print(
            f"{size:>8}  {result['startup_s']:>7}s  {result['median_ms']:>6}ms  "
            f"{result['max_ms']:>6}ms  {result['all_ms']}",
            flush=True,
        )


if __name__ == "__main__":
    main()
