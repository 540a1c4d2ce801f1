"""The words of an entry, as story grouping compares them. Pure: no I/O but `wordfreq`'s lists.

`features(title, body, lang, frequency)` gives an entry's TF-IDF terms and the
sketch of its shingles. The IDF is fixed, taken from a word-frequency list
(`wordfreq`) rather than from the briefing, so it does not shift when another
entry is added and a five-entry briefing groups as well as a large one. The
result depends only on the entry's title, body and language: cache it by the
entry's content hash.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import sys
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

# Frequencies as `wordfreq` gives them: the share of running words.
COMMON = 1e-3  # a word this frequent or more (le, the, avec, said) carries no weight
RAREST = 1e-8  # a word absent from the list (names, new words) counts as this rare
SHINGLE_WORDS = 5  # near-duplicates are compared on runs of five words
SKETCH = 64  # ... through the 64 smallest run hashes (a bottom-k sketch, Broder 1997)
LEAD = 400  # ... of the body's first 400 words: a copy repeats the lead, and this halves the cost
TOP_TERMS = 80  # an entry keeps its heaviest terms; the tail never decides a match

_URL = re.compile(r"\]\([^)]*\)|<?https?://\S+")
_WORD = re.compile(r"[^\W_]+")

Weights = Callable[[str], dict[str, float]]


@dataclass(frozen=True)
class Features:
    """What grouping needs of one entry's text; depends on nothing else."""

    terms: tuple[tuple[str, float], ...]  # (word, tf * idf), by word
    sketch: tuple[int, ...]  # the smallest shingle hashes, ascending

    @cached_property
    def stamp(self) -> str:
        """A digest of the terms and the sketch: the same stamp, the same features. An edit
        that leaves them as they were (front matter other than the title and language, a
        link's target, punctuation, a common word) leaves the grouping as it was; a new
        word usually does not. Kept with the features once worked out."""
        text = repr((self.terms, self.sketch)).encode()
        return hashlib.blake2b(text, digest_size=16).hexdigest()


def words(text: str) -> list[str]:
    """The normalised words of `text`: NFC, case-folded, link targets dropped."""
    text = unicodedata.normalize("NFC", _URL.sub(" ", text)).casefold()
    return _WORD.findall(text)


def idf(frequency: float) -> float:
    """The fixed inverse document frequency of a word used at `frequency`."""
    return max(0.0, math.log(COMMON / max(frequency, RAREST)))


def features(title: str, body: str, lang: str, frequencies: Weights) -> Features:
    """The TF-IDF terms and the shingle sketch of one entry.

    `frequencies(lang)[word]` is the word's `idf` in `lang` (see
    `WordFrequencies`). Words of one letter and numbers count in shingles,
    not in terms.
    """
    heading = words(title)
    tokens = heading + words(body)
    weights = frequencies(lang)
    weighted = []
    for word, count in Counter(tokens).items():
        weight = weights[word]
        if weight > 0.0 and len(word) > 1 and not word.isdigit():
            weighted.append((word, weight * (1.0 + math.log(count)) if count > 1 else weight))
    weighted.sort(key=itemgetter(1), reverse=True)  # ties keep the text's order
    terms = tuple(sorted((sys.intern(word), weight) for word, weight in weighted[:TOP_TERMS]))
    return Features(terms, sketch(tokens[len(heading) : len(heading) + LEAD] or heading))


def sketch(tokens: list[str]) -> tuple[int, ...]:
    """The `SKETCH` smallest hashes of the runs of `SHINGLE_WORDS` words (w-shingling).

    A word's number is its CRC-32 and a run's hash is CPython's hash of the tuple
    of those numbers: neither depends on `PYTHONHASHSEED`.
    """
    numbers = {word: zlib.crc32(word.encode()) for word in set(tokens)}
    ids = [numbers[word] for word in tokens]
    runs = set(map(hash, zip(*(ids[i:] for i in range(SHINGLE_WORDS)), strict=False)))
    return tuple(heapq.nsmallest(SKETCH, runs)) if len(runs) > SKETCH else tuple(sorted(runs))


def resemblance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """The Jaccard similarity of two texts' shingles, estimated from their sketches.

    Exact when both texts have fewer than `SKETCH` shingles.
    """
    if not a or not b:
        return 0.0
    first, second = set(a), set(b)
    union = sorted(first | second)[:SKETCH]
    return sum(1 for h in union if h in first and h in second) / len(union)


class WordFrequencies:
    """The fixed IDF of words, one table per language, from `wordfreq`'s lists.

    A language `wordfreq` does not know falls back to `fallback` (the site's
    language, else English) so that its common words still weigh nothing.
    """

    def __init__(self, fallback: str = "en") -> None:
        self._fallback = fallback
        self._tables: dict[str, _Weights] = {}
        self._known: frozenset[str] | None = None

    @property
    def fallback(self) -> str:
        return self._fallback

    def __call__(self, lang: str) -> dict[str, float]:
        return self._table(self._code(lang))

    def _table(self, code: str) -> _Weights:
        if code not in self._tables:
            import wordfreq

            shares = wordfreq.get_frequency_dict(code, wordlist="best")
            english = shares if code == "en" else self._table("en").shares
            self._tables[code] = _Weights(shares, english)
        return self._tables[code]

    def _code(self, lang: str) -> str:
        if self._known is None:
            import wordfreq

            self._known = frozenset(wordfreq.available_languages(wordlist="best"))
        for code in (lang.lower(), lang.split("-")[0].lower(), self._fallback, "en"):
            if code in self._known:
                return code
        return "en"


class _Weights(dict[str, float]):
    """word -> `idf`, worked out for each word when first asked.

    A word weighs as its frequency in the language, or in English when that is
    higher: news in every language quotes English, and "to" or "from" in a
    French article are not rare words.
    """

    def __init__(self, shares: Mapping[str, float], english: Mapping[str, float]) -> None:
        super().__init__()
        self.shares = shares
        self._english = english

    def __missing__(self, word: str) -> float:
        share = max(self.shares.get(word, 0.0), self._english.get(word, 0.0))
        weight = self[word] = idf(share)
        return weight
