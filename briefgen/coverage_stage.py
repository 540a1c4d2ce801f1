"""The coverage stage of the build: each story's lead, quotes, names and attention over time.

Each entry is analysed once (`coverage.analyse`) and its facts kept in the
cache, pickled, under a hash of everything they depend on; a story's summary
is kept under a hash of its members' facts. A build unpickles only the facts
of the stories whose membership or entries changed, so one edited entry costs
one analysis and one summary, whatever the size of the briefing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from briefgen import i18n
from briefgen.bodies import Body
from briefgen.config import Config
from briefgen.coverage import (
    EntryFacts,
    StoryCoverage,
    analyse,
    doc_of,
    paragraphs_from_html,
    summarise,
)
from briefgen.coverage.chart import Attention, attention
from briefgen.coverage.entities import Recognizer
from briefgen.model import Entry, Site
from briefgen.parallel import ordered_map

Progress = Callable[[int, int], None]

FORMAT = b"coverage 2"  # bump when EntryFacts or the analyses change what they find
# a story's lead, quotes and names come from its latest articles, at most this many: the
# cost of a story's summary (paid again whenever one of them changes) stays bounded; its
# chart counts every article
SUMMARY_LIMIT = 200
Item = TypeVar("Item")
Result = TypeVar("Result")
Mapper = Callable[[Callable[[Item], Result], Sequence[Item]], Iterator[Result]]


Summary = tuple[tuple[str, ...], bytes]  # the story's entity keys, its pickled StoryCoverage


@dataclass
class CoverageCache:
    """What the stage keeps between builds, as bytes: cheap to load whole, unpickled on use."""

    facts: dict[bytes, bytes] = field(default_factory=dict)  # by `facts_key`
    stories: dict[bytes, Summary] = field(default_factory=dict)  # by `story_key`


@dataclass
class Coverage:
    """What the site's pages show of their coverage; a story's is unpickled when a page asks.

    `keys[slug]` stands for a story's coverage in a page's signature: it is a
    hash of everything the coverage was made from.
    """

    keys: Mapping[str, str]  # story slug -> hex of its `story_key`
    named_in: Mapping[str, tuple[str, ...]]  # entity key -> slugs of the stories naming it
    entities: Mapping[str, tuple[str, ...]]  # story slug -> keys of the names it shows
    site: Attention  # every entry of the briefing
    blobs: Mapping[str, bytes]
    learnt: bool = False  # the cache holds something new
    _loaded: dict[str, StoryCoverage] = field(default_factory=dict)

    def story(self, slug: str) -> StoryCoverage:
        if slug not in self._loaded:
            self._loaded[slug] = unpack(self.blobs[slug])
        return self._loaded[slug]

    def elsewhere(self, slug: str) -> dict[str, tuple[str, ...]]:
        """For each name a story shows, the other stories that name it."""
        found = {}
        for key in self.entities.get(slug, ()):
            others = tuple(s for s in self.named_in.get(key, ()) if s != slug)
            if others:
                found[key] = others
        return found


def pack(value: object) -> bytes:
    """Pickled and lightly compressed: the text of facts shrinks to about a third."""
    return zlib.compress(pickle.dumps(value, protocol=5), 1)


def unpack(blob: bytes) -> Any:
    return pickle.loads(zlib.decompress(blob))


def facts_key(entry: Entry, body: bytes, nlp: bool) -> bytes:
    """Everything an entry's facts depend on; `body` stands for its body (a hash of it)."""
    fields = (
        entry.slug,
        entry.source_name,
        entry.lang,
        entry.title,
        entry.source_url,
        entry.day.isoformat(),
        entry.date.isoformat(),
    )
    head = (FORMAT + (b" nlp\0" if nlp else b"\0")) + "\0".join(fields).encode("utf-8")
    return hashlib.blake2b(head + b"\0" + body, digest_size=16).digest()


def story_key(
    keys: Sequence[bytes], labels: tuple[str, str], spread: Sequence[tuple[str | None, Any]] = ()
) -> bytes:
    """What a story's coverage depends on: the facts it summarises, the labels of its chart
    and, when it summarises only its latest articles, every article's outlet and day."""
    digest = hashlib.blake2b("\0".join(labels).encode("utf-8"), digest_size=16)
    for key in sorted(keys):
        digest.update(key)
    if spread:
        digest.update(repr(sorted(spread, key=repr)).encode("utf-8"))
    return digest.digest()


def _latest(group: Sequence[Entry]) -> tuple[Sequence[Entry], list[tuple[str | None, Any]]]:
    """The members a story's summary reads, and (for a story of more) each one's outlet and day."""
    if len(group) <= SUMMARY_LIMIT:
        return group, []
    latest = sorted(group, key=lambda e: e.sort_key)[-SUMMARY_LIMIT:]
    return latest, [(e.source_name or None, e.day) for e in group]


def _serial(job: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[Result]:
    return map(job, items)


def coverage_stage(
    stories: Mapping[str, Sequence[Entry]],
    entries: Sequence[Entry],
    body_key: Callable[[Entry], bytes],
    paragraphs: Callable[[Entry], tuple[str, ...]],
    cache: CoverageCache,
    *,
    unnamed: str,
    others: str,
    recognizer: Recognizer | None = None,
    mapper: Mapper[Entry, bytes] = _serial,
) -> Coverage:
    """The coverage of each story (slug -> its entries, copies included) and of the whole site.

    `body_key(entry)` is a hash of its body, cheap to get; `paragraphs(entry)`
    its plain text, asked only of entries not in the cache. `mapper` spreads
    the analyses over processes (it must keep the order). Entries of no story
    are not analysed.
    """
    nlp = recognizer is not None and recognizer.installed()
    members = {e.slug: e for group in stories.values() for e in group}
    keys = {slug: facts_key(e, body_key(e), nlp) for slug, e in members.items()}
    missing = {keys[slug]: e for slug, e in members.items() if keys[slug] not in cache.facts}
    todo = sorted(missing.items(), key=lambda item: item[0])
    # each worker reads the text of the entries it analyses: the text of every entry of
    # the briefing is never in memory at once
    job = _Analyse(recognizer if nlp else None, paragraphs)
    for (key, _entry), blob in zip(todo, mapper(job, [e for _, e in todo]), strict=True):
        cache.facts[key] = blob
    labels = (unnamed, others)
    hexes: dict[str, str] = {}
    blobs: dict[str, bytes] = {}
    entities: dict[str, tuple[str, ...]] = {}
    named_in: dict[str, list[str]] = {}
    live_stories: dict[bytes, Summary] = {}
    for slug, group in sorted(stories.items()):
        shown, spread = _latest(group)
        member_keys = [keys[e.slug] for e in shown]
        skey = story_key(member_keys, labels, spread)
        summary = cache.stories.get(skey)
        if summary is None:
            facts = [unpack(cache.facts[k]) for k in member_keys]
            made = summarise(facts, unnamed=unnamed, others=others)
            if spread:  # the chart counts every article of the story
                chart = attention(spread, unnamed=unnamed, others=others)
                made = dataclasses.replace(made, attention=chart)
            summary = (tuple(e.key for e in made.entities), pack(made))
        live_stories[skey] = summary
        hexes[slug], entities[slug], blobs[slug] = skey.hex(), summary[0], summary[1]
        for entity in summary[0]:
            named_in.setdefault(entity, []).append(slug)
    live = set(keys.values())
    known = len(cache.facts)
    cache.facts = {k: v for k, v in cache.facts.items() if k in live}
    site = attention(
        [(e.source_name or None, e.day) for e in entries], unnamed=unnamed, others=others
    )
    learnt = bool(todo) or known != len(cache.facts) or live_stories.keys() != cache.stories.keys()
    cache.stories = live_stories
    named = {k: tuple(v) for k, v in named_in.items()}
    return Coverage(hexes, named, entities, site, blobs, learnt)


@dataclass(frozen=True)
class _Analyse:
    """The per-entry job (workers get it by fork): an entry in, its pickled facts out."""

    recognizer: Recognizer | None
    paragraphs: Callable[[Entry], tuple[str, ...]]

    def __call__(self, entry: Entry) -> bytes:
        facts: EntryFacts = analyse(doc_of(entry, self.paragraphs(entry)), self.recognizer)
        return pack(facts)


def recognizer_for(env: Mapping[str, str]) -> Recognizer | None:
    """spaCy's NER when the `nlp` extra is installed, unless `BRIEFGEN_NLP=0`."""
    if env.get("BRIEFGEN_NLP", "") == "0":
        return None
    recognizer = Recognizer()
    return recognizer if recognizer.installed() else None


def site_coverage(
    site: Site,
    bodies: Mapping[str, Body],
    digests: Mapping[str, bytes],
    config: Config,
    cache: CoverageCache,
    progress: Progress | None = None,
) -> Coverage:
    """The coverage of the site's stories, for `build()`; `digests` hash each entry's file."""
    return coverage_stage(
        story_members(site),
        site.entries,
        lambda entry: digests[entry.path],
        lambda entry: paragraphs_from_html(bodies[entry.path].html),
        cache,
        unnamed=i18n.unknown_source(config.language),
        others=i18n.translations(config.language).gettext("Other outlets"),
        recognizer=recognizer_for(os.environ),
        mapper=lambda job, items: ordered_map(job, items, progress),
    )


def story_members(site: Site) -> dict[str, list[Entry]]:
    """Each story with a page, by slug, with its entries and their syndicated copies.

    A copy is another outlet publishing the story: it counts in the chart and
    carries the quotes it repeats.
    """
    return {
        story.slug: [*story.entries, *(copy.entry for copy in story.copies)]
        for story in site.stories
        if story.has_page
    }
