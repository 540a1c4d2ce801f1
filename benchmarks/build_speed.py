"""Build-speed benchmark: median wall time and peak memory of `briefgen build`.

    python benchmarks/build_speed.py --sizes 1000 10000 --runs 3

Corpora come from the shared deterministic generator (`make_corpus.py`,
found beside the repository in `shared/bench/` or given with `--generator`)
and are kept in `benchmarks/out/` (git-ignored). For each size it measures a
clean build into an empty folder, a rebuild with nothing changed, and a
rebuild after one article changed. It prints figures; it never fails on time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from corpus import GENERATOR, ensure_corpus

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def timed_build(project: Path) -> tuple[float, int]:
    """One `briefgen build` in a child process: (seconds, peak RSS in KiB)."""
    started = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, sys\n"
            "from briefgen.cli import main\n"
            "try:\n    main(['build', '-q'])\n"
            "except SystemExit as e:\n    code = e.code or 0\n"
            "else:\n    code = 0\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(code)\n",
        ],
        cwd=project,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stderr}")
    built = sum(1 for _ in (project / "site" / "articles").iterdir())
    expected = json.loads((project / "corpus.json").read_text())["articles"]
    if built != expected:
        raise SystemExit(f"{project}: built {built} articles, expected {expected}")
    return seconds, int(result.stderr.strip().splitlines()[-1])


def measure(project: Path, runs: int) -> dict[str, tuple[float, float, int]]:
    sample = project / json.loads((project / "corpus.json").read_text())["sample_article"]
    original = sample.read_bytes()
    figures: dict[str, tuple[float, float, int]] = {}
    try:
        for label in ("clean build", "rebuild, nothing changed", "rebuild, one article edited"):
            times, peaks = [], []
            for run in range(runs):
                if label == "clean build":
                    shutil.rmtree(project / "site", ignore_errors=True)
                elif label.endswith("edited"):
                    sample.write_bytes(original + f"\nMise à jour {run}.\n".encode())
                seconds, peak = timed_build(project)
                times.append(seconds)
                peaks.append(peak)
            figures[label] = (statistics.median(times), max(times), max(peaks))
    finally:
        sample.write_bytes(original)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generator", type=Path, default=GENERATOR)
    args = parser.parse_args()
    print(f"{'entries':>8}  {'case':<28} {'median s':>9} {'max s':>7} {'peak MiB':>9}")
    for size in args.sizes:
        project = ensure_corpus(size, generator=args.generator)
        for label, (median, worst, peak) in measure(project, args.runs).items():
            print(f"{size:>8}  {label:<28} {median:>9.2f} {worst:>7.2f} {peak / 1024:>9.0f}")


if __name__ == "__main__":
    main()
