"""Language detection for French and English: a readable stop-word count.

Each language has a list of its most frequent short words; the text's words
are counted against each list and the language with the most hits wins, when
it has enough hits and a clear lead. Otherwise the language is unknown ("").
"""

from __future__ import annotations

import re
from collections import Counter

from briefgen.config import LANG_RE

STOPWORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        [
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "du",
            "de",
            "d",
            "l",
            "au",
            "aux",
            "et",
            "est",
            "sont",
            "a",
            "ont",
            "été",
            "être",
            "que",
            "qui",
            "quoi",
            "dans",
            "par",
            "pour",
            "sur",
            "avec",
            "sans",
            "sous",
            "entre",
            "vers",
            "chez",
            "mais",
            "ou",
            "donc",
            "ni",
            "car",
            "ne",
            "pas",
            "plus",
            "il",
            "elle",
            "ils",
            "elles",
            "nous",
            "vous",
            "on",
            "se",
            "sa",
            "son",
            "ses",
            "leur",
            "leurs",
            "ce",
            "cette",
            "ces",
            "cet",
            "y",
            "en",
            "lui",
            "même",
            "aussi",
            "très",
            "tout",
            "tous",
            "toute",
            "après",
            "avant",
            "depuis",
            "lors",
            "selon",
            "dont",
            "où",
            "comme",
            "été",
            "avait",
            "était",
            "fait",
            "dit",
            "déclaré",
        ]
    ),
    "en": frozenset(
        [
            "the",
            "a",
            "an",
            "of",
            "and",
            "or",
            "but",
            "to",
            "in",
            "on",
            "at",
            "by",
            "for",
            "from",
            "with",
            "without",
            "about",
            "into",
            "over",
            "is",
            "are",
            "was",
            "were",
            "be",
            "been",
            "being",
            "has",
            "have",
            "had",
            "do",
            "does",
            "did",
            "will",
            "would",
            "can",
            "could",
            "should",
            "may",
            "might",
            "must",
            "this",
            "that",
            "these",
            "those",
            "it",
            "its",
            "he",
            "she",
            "they",
            "them",
            "his",
            "her",
            "their",
            "we",
            "you",
            "our",
            "your",
            "not",
            "no",
            "as",
            "if",
            "than",
            "then",
            "there",
            "which",
            "who",
            "whom",
            "whose",
            "what",
            "when",
            "where",
            "after",
            "before",
            "since",
            "also",
            "said",
            "says",
        ]
    ),
}
MIN_HITS = 5
MIN_LEAD = 1.5  # the winner needs this many times the runner-up's hits

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str:
    """ "fr", "en", or "" when the text is too short or too mixed to tell."""
    words = [word.casefold() for word in _WORD.findall(text.replace("’", "'"))]
    hits = Counter(
        {lang: sum(word in stops for word in words) for lang, stops in STOPWORDS.items()}
    )
    ranked = hits.most_common()
    if not ranked or ranked[0][1] < MIN_HITS:
        return ""
    best, best_hits = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    return best if best_hits >= MIN_LEAD * runner_up else ""


def normalize_tag(tag: str) -> str:
    """A declared language tag (`<html lang>`, a feed's `<language>`) as BCP 47.

    `en_US`, `en-us` -> `en-US`; `zh_hant_tw` -> `zh-Hant-TW`. A tag that is
    still not a language tag (`english`, `fr-`) gives "": detection decides.
    """
    first, *rest = re.split("[-_]", tag.strip())
    subtags = [first.lower()]
    for subtag in rest:
        if len(subtag) == 2 and subtag.isalpha():
            subtags.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            subtags.append(subtag.title())
        else:
            subtags.append(subtag.lower())
    normalized = "-".join(subtags)
    return normalized if LANG_RE.match(normalized) else ""
