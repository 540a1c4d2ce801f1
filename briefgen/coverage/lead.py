"""The lead of a story: a few sentences, word for word from its coverage, that say what happened.

Method (extractive, centroid-based, as in MEAD and its descendants):

1. per entry, once (cacheable): the entry's term vector (title and body) and
   its first sentences, each with its own vector;
2. per story: each candidate is scored by its cosine with the centroid of the
   *other* entries (what the rest of the coverage also says), times a
   position weight (early sentences say what happened);
3. a greedy pass takes the best sentence, then the next best that is not a
   near-duplicate of one taken (cosine or word overlap too high) and comes
   from an entry not used yet, down to half the best score, two to four of them.

Every sentence is a verbatim slice of its entry's plain text.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.coverage.text import Doc, content_terms, sentence_spans, words

EARLY = 6  # sentences considered per entry
MIN_WORDS, MAX_WORDS = 8, 60
MAX_SENTENCES, MIN_SENTENCES = 4, 2
NEAR_COSINE, NEAR_JACCARD = 0.6, 0.5
POSITION_DECAY = 0.15
KEEP_TERMS = (
    60  # an entry's vector keeps its most frequent terms: enough for a centroid, small to cache
)

Vector = tuple[tuple[str, float], ...]  # sorted (term, weight), unit length
Counts = tuple[tuple[str, int], ...]  # sorted (term, count): integers pickle small


@dataclass(frozen=True, slots=True)
class Candidate:
    text: str
    position: int  # 0 for the entry's first sentence


@dataclass(frozen=True, slots=True)
class EntryLead:
    """What the lead needs of one entry; computed once per entry."""

    key: str
    outlet: str | None
    lang: str
    url: str
    instant: float
    counts: Counts  # its most frequent terms
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class LeadSentence:
    text: str
    key: str  # the entry it comes from
    outlet: str | None
    lang: str
    url: str


def counts_of(terms: Sequence[str], keep: int) -> Counts:
    """The `keep` most frequent terms with their counts."""
    ranked = sorted(Counter(terms).items(), key=lambda item: (-item[1], item[0]))
    return tuple(sorted(ranked[:keep]))


def unit(counts: Counts) -> Vector:
    norm = math.sqrt(sum(n * n for _, n in counts)) or 1.0
    return tuple((term, n / norm) for term, n in counts)


def vector_of(terms: Sequence[str]) -> Vector:
    """The unit term-frequency vector of some words."""
    return unit(tuple(sorted(Counter(terms).items())))


def cosine(a: Vector | dict[str, float], b: Vector) -> float:
    table = a if isinstance(a, dict) else dict(a)
    return sum(table.get(term, 0.0) * weight for term, weight in b)


def _fit(sentence: str) -> bool:
    """A sentence that can open a briefing on its own."""
    count = len(words(sentence))
    if not MIN_WORDS <= count <= MAX_WORDS or not sentence[:1].isupper():
        return False
    if sentence.rstrip()[-1:] not in ".!…" or "?" in sentence:
        return False
    return sentence.count("«") == sentence.count("»") and sentence.count("“") == sentence.count("”")


def entry_lead(doc: Doc) -> EntryLead:
    """The per-entry part of the lead: a pure function of the entry."""
    candidates: list[Candidate] = []
    position = 0
    for paragraph in doc.paragraphs:
        if position >= EARLY:
            break
        for start, end in sentence_spans(paragraph):
            if position >= EARLY:
                break
            sentence = paragraph[start:end]
            if _fit(sentence):
                candidates.append(Candidate(sentence, position))
            position += 1
    terms = content_terms(" ".join((doc.title, *doc.paragraphs)))
    counts = counts_of(terms, KEEP_TERMS)
    return EntryLead(doc.key, doc.outlet, doc.lang, doc.url, doc.instant, counts, tuple(candidates))


def _centroid(vectors: Sequence[Vector]) -> dict[str, float]:
    total: dict[str, float] = {}
    for vector in vectors:
        for term, weight in vector:
            total[term] = total.get(term, 0.0) + weight
    return total


def near(a: Vector, b: Vector) -> bool:
    """Near-duplicates: too close in cosine, or sharing too many of their terms."""
    if cosine(a, b) >= NEAR_COSINE:
        return True
    ta, tb = {t for t, _ in a}, {t for t, _ in b}
    return bool(ta | tb) and len(ta & tb) / len(ta | tb) >= NEAR_JACCARD


Scored = tuple[float, int, Candidate, Vector]


def _scored(entries: Sequence[EntryLead]) -> list[Scored]:
    vectors = [unit(entry.counts) for entry in entries]
    total = _centroid(vectors)
    scored = []
    for index, entry in enumerate(entries):
        others = dict(total)
        if len(entries) > 1:
            for term, weight in vectors[index]:
                others[term] -= weight
        for candidate in entry.candidates:
            vector = vector_of(content_terms(candidate.text))
            score = cosine(others, vector) / (1 + POSITION_DECAY * candidate.position)
            scored.append((score, index, candidate, vector))
    scored.sort(key=lambda s: (-s[0], entries[s[1]].instant, entries[s[1]].key, s[2].position))
    return scored


def choose_lead(entries: Sequence[EntryLead]) -> tuple[LeadSentence, ...]:
    """Two to four sentences saying what happened, best first, each with the entry it came from."""
    ordered = sorted(entries, key=lambda e: (e.instant, e.key))
    scored = _scored(ordered)
    if not scored:
        return ()
    floor = scored[0][0] / 2
    taken: list[Scored] = []
    for one_per_entry in (True, False):
        for item in scored:
            score, index, candidate, vector = item
            if len(taken) >= MAX_SENTENCES or (score < floor and len(taken) >= MIN_SENTENCES):
                break
            if any(t[2] is candidate or near(vector, t[3]) for t in taken):
                continue
            if one_per_entry and any(t[1] == index for t in taken):
                continue
            taken.append(item)
        if len(taken) >= MIN_SENTENCES:
            break
    return tuple(
        LeadSentence(c.text, ordered[i].key, ordered[i].outlet, ordered[i].lang, ordered[i].url)
        for _, i, c, _ in taken
    )
