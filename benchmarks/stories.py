"""Automatic stories: quality on labelled news, speed at 10 000 entries.

    python benchmarks/stories.py                # quality, then speed at 10 000 entries
    python benchmarks/stories.py --no-speed     # quality only
    python benchmarks/stories.py --size 1000    # speed on another corpus size

Quality: `../shared/devdata/stories-dev/` (183 real articles, 33 events, French
and English). BCubed precision, recall and F1 (Bagga & Baldwin 1998), overall
and per language, for briefgen's grouping with its default settings and for a
plain TF-IDF single-link baseline (IDF from the set itself, no time window), at
the same threshold and at the threshold that suits the baseline best on this set
(an optimistic baseline). A few other thresholds of briefgen's method show how
much the result depends on that setting.

Speed: the shared benchmark corpus (`corpus.py`). Features of every entry from
nothing (word lists loaded), grouping from nothing, then grouping again after
one entry is appended, going on from the previous result; memory is the growth
of the peak resident size over the process's size before the features.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import ensure_corpus
from briefgen.parallel import ordered_map, workers
from briefgen.stories import Item, Settings, group
from briefgen.story_text import WordFrequencies, features, words

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "devdata" / "stories-dev"


def load_dev(folder: Path) -> tuple[list[dict[str, str]], dict[str, str]]:
    with (folder / "articles.jsonl").open(encoding="utf-8") as f:
        articles = [json.loads(line) for line in f]
    with (folder / "gold.jsonl").open(encoding="utf-8") as f:
        gold = {row["id"]: row["event"] for row in map(json.loads, f)}
    return articles, gold


def bcubed(
    found: Mapping[str, str], gold: Mapping[str, str], keys: Iterable[str]
) -> tuple[float, ...]:
    """BCubed precision, recall and F1 of `found` against `gold`, over `keys` only."""
    keys = list(keys)
    found_groups: dict[str, set[str]] = defaultdict(set)
    gold_groups: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        found_groups[found[key]].add(key)
        gold_groups[gold[key]].add(key)
    precision = recall = 0.0
    for key in keys:
        mine, truth = found_groups[found[key]], gold_groups[gold[key]]
        both = len(mine & truth)
        precision += both / len(mine)
        recall += both / len(truth)
    p, r = precision / len(keys), recall / len(keys)
    return p, r, 2 * p * r / (p + r)


def dev_items(articles: list[dict[str, str]], frequency: WordFrequencies) -> list[Item]:
    items = []
    for a in articles:
        day = datetime.fromisoformat(a["date"]).replace(tzinfo=UTC)
        feats = features(a["title"], a["text"], a["lang"], frequency)
        items.append(Item(a["id"], day.timestamp(), feats, stamp=a["id"]))
    return items


def baseline(articles: list[dict[str, str]], threshold: float) -> dict[str, str]:
    """Plain TF-IDF (IDF from the set), cosine, single link: connected components."""
    counts = [Counter(w for w in words(f"{a['title']}\n{a['text']}")) for a in articles]
    df = Counter(word for c in counts for word in c)
    n = len(articles)
    vectors = []
    for c in counts:
        v = {w: tf * math.log(n / df[w]) for w, tf in c.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vectors.append({w: x / norm for w, x in v.items() if x})
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            small, big = sorted((vectors[i], vectors[j]), key=len)
            if sum(x * big.get(w, 0.0) for w, x in small.items()) >= threshold:
                parent[root(i)] = root(j)
    return {a["id"]: str(root(i)) for i, a in enumerate(articles)}


def report(
    name: str, found: Mapping[str, str], gold: Mapping[str, str], langs: dict[str, list[str]]
) -> None:
    cells = []
    for label, keys in [("all", list(gold)), *sorted(langs.items())]:
        p, r, f = bcubed(found, gold, keys)
        cells.append(f"{label} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"  {name:<34} " + " | ".join(cells))


def quality(folder: Path) -> None:
    articles, gold = load_dev(folder)
    langs: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        langs[a["lang"]].append(a["id"])
    items = dev_items(articles, WordFrequencies())
    default = Settings()
    print(f"stories-dev: {len(articles)} articles, {len(set(gold.values()))} events")
    print(f"BCubed (precision, recall, F1), overall and per language; default {default}")
    grouping = group(items, default)
    report(f"briefgen (threshold {default.threshold})", grouping.story_of, gold, langs)
    report(
        f"baseline (threshold {default.threshold})",
        baseline(articles, default.threshold),
        gold,
        langs,
    )
    scores = {}
    for t in (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        scores[t] = bcubed(baseline(articles, t), gold, gold)[2]
    best = max(scores, key=lambda t: (scores[t], -t))
    report(f"baseline (best threshold, {best})", baseline(articles, best), gold, langs)
    print("briefgen at other thresholds (sensitivity):")
    for t in (0.1, 0.15, 0.25, 0.3):
        report(
            f"briefgen (threshold {t})",
            group(items, replace(default, threshold=t)).story_of,
            gold,
            langs,
        )


def corpus_entries(folder: Path) -> list[tuple[str, float, str, str, str]]:
    rows = []
    for path in sorted((folder / "content").rglob("*.md")):
        _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
        meta = yaml.safe_load(head)
        when = meta["date"]
        when = when if isinstance(when, datetime) else datetime.fromisoformat(str(when))
        rows.append(
            (path.stem, when.timestamp(), str(meta["title"]), body, str(meta.get("lang", "fr")))
        )
    return rows


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


class Clock:
    """Wall and CPU seconds since the last `lap`: on a shared machine the CPU time says more."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        spent = (wall - self.wall, cpu - self.cpu)
        self.wall, self.cpu = wall, cpu
        return spent


def pooled_features(rows: list[tuple[str, float, str, str, str]]) -> tuple[float, float, int]:
    """Features of every row through `parallel.ordered_map`: (wall s, workers' CPU s, workers)."""
    frequency = WordFrequencies("fr")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = list(ordered_map(lambda row: features(row[2], row[3], row[4], frequency), rows))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert len(done) == len(rows)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, workers()


def speed(size: int) -> None:
    folder = ensure_corpus(size)
    rows = corpus_entries(folder)
    before = rss_mb()
    clock = Clock()
    frequency = WordFrequencies("fr")
    items = [
        Item(key, instant, features(title, body, lang, frequency), stamp=key)
        for key, instant, title, body, lang in rows
    ]
    featured = clock.lap()
    last = max(items, key=lambda i: i.order)
    others = [i for i in items if i is not last]
    previous = group(others, Settings())
    grouped = clock.lap()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    pooled = pooled_features(rows)
    clock.lap()
    appends = []
    for _ in range(5):
        group(items, Settings(), previous)
        appends.append(clock.lap())
    after = group(items, Settings(), previous)
    cold = group(items, Settings())
    same = cold.stories == after.stories and cold.copy_of == after.copy_of
    sizes = Counter(len(s.members) for s in cold.stories)
    load = Path("/proc/loadavg").read_text().split()[0]
    print(f"speed at {len(items)} entries of the shared corpus (wall / CPU; load average {load}):")
    print(f"  features from nothing, one process: {featured[0]:.2f} s / {featured[1]:.2f} s")
    print(f"  grouping {len(others)} entries from nothing: {grouped[0]:.2f} s / {grouped[1]:.2f} s")
    print(
        f"  features from nothing, {pooled[2]} worker processes as the build runs them: "
        f"{pooled[0]:.2f} s / {pooled[1]:.2f} s of CPU in the workers"
    )
    total = (pooled[0] + grouped[0], pooled[1] / pooled[2] + grouped[1])
    print(
        f"  features on the workers + grouping, from a cold cache: {total[0]:.2f} s wall / "
        f"{total[1]:.2f} s CPU on the busiest core (target < 10 s)"
    )
    print(f"  memory beyond the process before: {peak - before:.0f} MB (target < 300 MB)")
    wall = statistics.median(a[0] for a in appends) * 1000
    cpu = statistics.median(a[1] for a in appends) * 1000
    print(
        f"  appending one entry, median of 5: {wall:.1f} ms / {cpu:.1f} ms (target < 100 ms); "
        f"same stories as from nothing: {same}"
    )
    print(
        f"  {len(cold.stories)} stories, {sizes.get(1, 0)} of one entry, "
        f"largest {max(sizes)}; {len(cold.copy_of)} copies"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    quality(DEV)
    if not args.no_speed:
        speed(args.size)


if __name__ == "__main__":
    main()
