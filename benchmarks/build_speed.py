"""Build speed and memory of `briefgen build` beside Hugo's, on the same articles.

    python benchmarks/build_speed.py --sizes 10000 --runs 3
    python benchmarks/build_speed.py --sizes 1000 --runs 3 --no-hugo
    python benchmarks/build_speed.py --sizes 100000 --runs 1 --cases 1 2 3

Corpora come from the shared deterministic generator (`make_corpus.py`) in
briefgen's format and in Hugo's, kept in `benchmarks/out/` (git-ignored). For
each tool and size it measures: a cold build (no cache, empty output), a
rebuild with nothing changed, a rebuild after one article's body changed,
and a rebuild after one template changed; each as the median wall time of
`--runs` runs, with the peak memory summed over the process and all its
children (PSS from /proc, sampled every 20 ms, then every 250 ms as a long
build goes on), the files rewritten (their modification time moved) and the
ratio briefgen/Hugo. It never fails on time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from corpus import GENERATOR, HERE, ensure_corpus

ROOT = HERE.parent
CASES = ("cold build", "nothing changed", "one body edited", "one template edited")


def _children(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                todo.extend(int(p) for p in handle.read().split())
        except OSError:
            continue
    return found


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Run `command`: (seconds, CPU seconds of it and its children, peak PSS summed over its
    processes in MiB). On a shared machine the CPU time moves less than the wall time."""
    cpu_before = _cpu()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(_pss_kib(p) for p in _children(process.pid)))
            # every 20 ms at first, less often as a build goes on: reading the PSS of
            # processes of several GB takes CPU time the build would use (half a core at
            # 100 000 entries when sampled every 20 ms)
            time.sleep(min(0.25, 0.02 + (time.perf_counter() - started) / 100))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, errors = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed in {cwd}:\n{errors.decode()[-2000:]}")
    return seconds, _cpu() - cpu_before, peak / 1024


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


class Tool:
    name = ""
    output = "public"

    def __init__(self, project: Path) -> None:
        self.project = project
        meta = json.loads((project / "corpus.json").read_text())
        self.sample = project / meta["sample_article"]

    def command(self) -> list[str]:
        raise NotImplementedError

    def clean(self) -> None:
        shutil.rmtree(self.project / self.output, ignore_errors=True)

    def template(self) -> Path:
        raise NotImplementedError

    def restore(self, template: Path, text: bytes) -> None:
        """Put the template edited by the template case back as it was."""
        template.write_bytes(text)


class Briefgen(Tool):
    name = "briefgen"
    output = "site"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "briefgen", "build", "-q"]

    def clean(self) -> None:
        super().clean()
        shutil.rmtree(self.project / ".briefgen-cache", ignore_errors=True)

    def template(self) -> Path:
        """A project copy of the theme's article template, made for the template case."""
        target = self.project / "templates" / "article.html"
        target.parent.mkdir(exist_ok=True)
        shutil.copy(ROOT / "templates" / "article.html", target)
        return target

    def restore(self, template: Path, text: bytes) -> None:
        """Remove the copy: a copy left behind would hide later changes of the theme."""
        template.unlink(missing_ok=True)
        if not any(template.parent.iterdir()):
            template.parent.rmdir()


class Hugo(Tool):
    name = "hugo"

    def command(self) -> list[str]:
        return ["hugo", "--quiet", "--noBuildLock"]

    def clean(self) -> None:
        super().clean()
        shutil.rmtree(self.project / "resources", ignore_errors=True)

    def template(self) -> Path:
        return self.project / "layouts" / "page.html"  # the articles, as article.html


Figures = tuple[float, float, float, int]  # wall s, CPU s, peak MiB, files rewritten


def measure(tool: Tool, runs: int, cases: tuple[str, ...] = CASES) -> dict[str, Figures]:
    figures: dict[str, Figures] = {}
    sample_text = tool.sample.read_bytes()
    template = tool.template()
    template_text = template.read_bytes()
    try:
        for case in cases:
            times, cpus, peaks, rewritten = [], [], [], []
            for number in range(runs):
                if case == "cold build":
                    tool.clean()
                else:
                    run(tool.command(), tool.project)  # start from an up-to-date output
                if case == "one body edited":
                    tool.sample.write_bytes(sample_text + f"\nMise à jour {number}.\n".encode())
                elif case == "one template edited":
                    mark = f"</article><!-- {number} -->".encode()
                    template.write_bytes(template_text.replace(b"</article>", mark, 1))
                output = tool.project / tool.output
                before = mtimes(output) if output.is_dir() else {}
                seconds, cpu, peak = run(tool.command(), tool.project)
                cpus.append(cpu)
                after = mtimes(output)
                rewritten.append(sum(1 for p, m in after.items() if before.get(p) != m))
                times.append(seconds)
                peaks.append(peak)
            figures[case] = (
                statistics.median(times),
                statistics.median(cpus),
                max(peaks),
                int(statistics.median(rewritten)),
            )
    finally:
        tool.sample.write_bytes(sample_text)
        tool.restore(template, template_text)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--generator", type=Path, default=GENERATOR)
    parser.add_argument("--no-hugo", action="store_true", help="measure briefgen only")
    parser.add_argument(
        "--cases",
        type=int,
        nargs="+",
        choices=range(1, len(CASES) + 1),
        default=list(range(1, len(CASES) + 1)),
        help="which cases, by number: " + ", ".join(f"{n} {c}" for n, c in enumerate(CASES, 1)),
    )
    parser.add_argument(
        "--nlp",
        action="store_true",
        help="let briefgen use spaCy when installed (default: BRIEFGEN_NLP=0, the default install)",
    )
    args = parser.parse_args()
    if not args.nlp:
        os.environ["BRIEFGEN_NLP"] = "0"
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    header = f"{'entries':>7}  {'case':<20} {'tool':<8} {'wall s':>7} {'CPU s':>6} {'peak MiB':>8}"
    print(f"{header} {'rewritten':>9} {'wall ratio':>10} {'CPU ratio':>9}", flush=True)
    for size in args.sizes:
        tools: list[Tool] = [Briefgen(ensure_corpus(size, generator=args.generator))]
        if not args.no_hugo:
            tools.append(Hugo(ensure_corpus(size, generator=args.generator, format="hugo")))
        cases = tuple(CASES[number - 1] for number in sorted(set(args.cases)))
        results = {tool.name: measure(tool, args.runs, cases) for tool in tools}
        for case in cases:
            base = results.get("hugo", {}).get(case)
            for name, figures in results.items():
                median, cpu, peak, rewritten = figures[case]
                ratio = f"{median / base[0]:.2f}x" if base and name == "briefgen" else ""
                cpu_ratio = f"{cpu / base[1]:.2f}x" if base and name == "briefgen" else ""
                print(
                    f"{size:>7}  {case:<20} {name:<8} {median:>7.2f} {cpu:>6.2f} {peak:>8.0f} "
                    f"{rewritten:>9} {ratio:>10} {cpu_ratio:>9}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
