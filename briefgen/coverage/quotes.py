"""Quotations and who said them, from one entry's paragraphs; merged across a story.

Quote marks are found by one left-to-right scan that counts nesting, so
`« … “ … ” … »`, mismatched pairs (`« … ”`) and quotes running over
paragraphs (the next paragraph reopens with a quote mark) cost one pass.
The speaker comes from the attribution next to the quote, read as tokens:

- after it: `», a déclaré Vladimir Poutine`, `", said John Kirby`, `", Kirby told`,
  `», a-t-il ajouté`, `», selon Dmitri Peskov`;
- before it, in the same sentence: `Kim Jong Un a assuré … une « grande victoire »`,
  `Le porte-parole, Dmitri Peskov, avait déclaré que … « questions sensibles »`.

A speaker is a name as the article writes it, completed from the same
article when it writes a fuller form (`Kim` → `Kim Jong Un`, `M. Peskov` →
`Dmitri Peskov`). A pronoun takes the last named speaker of the article when
no one else was named since; a bare title (`le dirigeant nord-coréen`) takes
the name the article last gave that title, with the same determiner's gender,
before the quote (`le dirigeant nord-coréen Kim Jong Un`). Anything else gives
no speaker: never a guess.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.coverage.attribution import (
    NONE,
    Article,
    Line,
    full_names,
    resolve,
    subject_after_quote,
    subject_before_quote,
)
from briefgen.coverage.text import fold, sentence_spans, words

OPENERS = "«“„"
CLOSERS = "»”"
MAX_DEPTH = 8
MAX_PARAGRAPHS = 6  # a quote left open longer than this is a stray mark
NEAR = 80  # words of attribution read on either side of a quotation
FAR = 600  # characters after which a pronoun no longer points back to the last speaker
MAX_SHARED = 32  # groups remembered per word triple: merging stays linear on repetitive text
SHORT = 4  # quotes of fewer words need a speaker to be shown: "le « mal »" is a scare quote


@dataclass(frozen=True, slots=True)
class Quote:
    """One quotation of one entry: its words (one part per paragraph) and its speaker."""

    parts: tuple[str, ...]
    speaker: str | None
    paragraph: int

    @property
    def text(self) -> str:
        return " ".join(self.parts)


@dataclass(frozen=True, slots=True)
class Carrier:
    key: str  # the entry
    outlet: str | None
    lang: str = ""


@dataclass(frozen=True, slots=True)
class StoryQuote:
    """A quotation shown once for a story, with every entry that carried it."""

    text: str
    speaker: str | None
    carriers: tuple[Carrier, ...]


@dataclass(frozen=True, slots=True)
class _Span:
    start: tuple[int, int]  # (paragraph, offset of the first quoted character)
    end: tuple[int, int]  # (paragraph, offset of the closing mark)


def _is_straight_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([—–-:") and not after.isspace()


def _continues(paragraph: str) -> int:
    """Offset after the mark that reopens a quotation continued from the paragraph before, or -1."""
    stripped = paragraph.lstrip()
    if stripped[:1] and stripped[0] in OPENERS + CLOSERS + '"':
        return len(paragraph) - len(stripped) + 1
    return -1


QUOTE_MARK = re.compile('[«»“”„"]')


def quote_spans(paragraphs: Sequence[str]) -> list[_Span]:
    """Every top-level quotation, in order: one pass over the quote marks."""
    spans: list[_Span] = []
    depth = 0
    straight = False  # the open quotation began with a straight mark, which does not nest
    opened = (0, 0)
    for p, paragraph in enumerate(paragraphs):
        begin = 0
        if depth:
            begin = _continues(paragraph)
            if begin < 0 or p - opened[0] >= MAX_PARAGRAPHS:
                depth, begin = 0, 0  # a stray opening mark: forget it
        for match in QUOTE_MARK.finditer(paragraph, begin):
            i = match.start()
            char = match.group()
            if char == '"':
                if depth and straight:
                    char, depth = "”", 1  # straight marks do not nest: this one closes
                elif _is_straight_opener(paragraph, i):
                    char = "“"
                elif depth:
                    char = "”"
                else:
                    continue
            if char in OPENERS:
                if not depth:
                    opened = (p, i + 1)
                    straight = paragraph[i] == '"'
                depth = min(depth + 1, MAX_DEPTH)
            elif depth:
                depth -= 1
                if not depth:
                    spans.append(_Span(opened, (p, i)))
    return spans


def _parts(paragraphs: Sequence[str], span: _Span) -> tuple[str, ...]:
    (p0, s0), (p1, s1) = span.start, span.end
    if p0 == p1:
        return (paragraphs[p0][s0:s1],)
    parts = [paragraphs[p0][s0:]]
    for p in range(p0 + 1, p1):
        parts.append(paragraphs[p][_continues(paragraphs[p]) :])
    parts.append(paragraphs[p1][_continues(paragraphs[p1]) : s1])
    return tuple(parts)


def _clean(parts: tuple[str, ...]) -> tuple[str, ...]:
    cleaned = [part.strip(" \t\n\u00a0\u202f") for part in parts]
    if cleaned and cleaned[-1].endswith(","):
        cleaned[-1] = cleaned[-1][:-1].rstrip()
    return tuple(part for part in cleaned if part)


def _masked(paragraphs: Sequence[str], spans: Sequence[_Span]) -> list[str]:
    """The paragraphs with every quotation's words blanked: attributions are read outside quotes."""
    blanks: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        (p0, s0), (p1, s1) = span.start, span.end
        for p in range(p0, p1 + 1):
            lo = s0 if p == p0 else 0
            hi = s1 if p == p1 else len(paragraphs[p])
            blanks.setdefault(p, []).append((lo, hi))
    masked = list(paragraphs)
    for p, ranges in blanks.items():
        pieces, at = [], 0
        for lo, hi in ranges:
            pieces += [masked[p][at:lo], " " * (hi - lo)]
            at = hi
        masked[p] = "".join([*pieces, masked[p][at:]])
    return masked


def _sentence(bounds: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The bounds of the sentence around `pos`, from the sorted sentence bounds of its paragraph."""
    i = bisect_right(bounds, (pos, len(bounds) and bounds[-1][1] + 1)) - 1
    if i >= 0 and bounds[i][0] <= pos < bounds[i][1]:
        return bounds[i]
    return (pos, pos)


def _between(masked: Sequence[str], start: tuple[int, int], end: tuple[int, int]) -> str:
    (p0, s0), (p1, s1) = start, end
    if p0 == p1:
        return masked[p0][s0:s1]
    return " ".join([masked[p0][s0:], *masked[p0 + 1 : p1], masked[p1][:s1]])


def _still_named(
    last: tuple[str, tuple[int, int]] | None, masked: Sequence[str], at: tuple[int, int]
) -> str | None:
    """The last named speaker, if a pronoun here can only mean them.

    They must have spoken in this paragraph or the one before, and no other
    full name may be written in between: "Il" after another person has been
    introduced is not resolved.
    """
    if last is None or at[0] - last[1][0] > 1:
        return None
    name, since = last
    between = _between(masked, since, at)
    if len(between) > FAR:
        return None
    others = {key for key in full_names(between) if key != fold(name)}
    return None if others else name


def extract_quotes(paragraphs: Sequence[str]) -> tuple[Quote, ...]:
    """The quotations of one entry's body, in order, each with its speaker or None."""
    spans = quote_spans(paragraphs)
    masked = _masked(paragraphs, spans)
    wanted = {p for span in spans for p in (span.start[0], span.end[0])}
    sentences = {p: list(sentence_spans(masked[p])) for p in wanted}
    memo: dict[str, bool] = {}
    lines = {p: Line.read(masked[p], memo) for p in wanted}
    article = Article.read(paragraphs)
    quotes: list[Quote] = []
    last: tuple[str, tuple[int, int]] | None = None
    for span in spans:
        parts = _clean(_parts(paragraphs, span))
        if not parts:
            continue
        (p0, s0), (p1, s1) = span.start, span.end
        ends_sentence = parts[-1][-1:] in ".!?…"
        tail_end = max(_sentence(sentences[p1], s1)[1], s1 + 1)
        lo, hi = lines[p1].window(s1 + 1, tail_end, NEAR)
        subject = subject_after_quote(lines[p1], lo, hi, ends_sentence)
        if subject == NONE:
            begin = _sentence(sentences[p0], s0 - 1)[0]
            lo, hi = lines[p0].window(begin, s0 - 1, len(lines[p0].tokens))
            subject = subject_before_quote(lines[p0], max(lo, hi - NEAR), hi)
        speaker = resolve(subject, article, _still_named(last, masked, (p0, s0)), p1)
        if speaker is not None:
            last = (speaker, (p1, s1))
        elif subject != NONE:
            last = None  # someone unnamed spoke: a later "il" may mean them
        quotes.append(Quote(parts, speaker, p0))
    return tuple(quotes)


def shown(quote: Quote) -> bool:
    """Whether a quotation is worth showing: a speaker, or enough words not to be a scare quote."""
    return quote.speaker is not None or len(words(quote.text)) >= SHORT


def _shingles(text: str) -> set[str]:
    tokens = fold(text).split()
    if len(tokens) < 3:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def _same_speaker(names: list[str]) -> str | None:
    """The fullest of the names when they agree (`Poutine` within `Vladimir Poutine`), else None."""
    if not names:
        return None
    fullest = max(names, key=lambda n: (len(fold(n).split()), n))
    tokens = set(fold(fullest).split())
    return fullest if all(set(fold(n).split()) <= tokens for n in names) else None


def merge_quotes(items: Sequence[tuple[Carrier, Quote]]) -> tuple[StoryQuote, ...]:
    """One quotation per thing said, with every carrier, in the order given (oldest entry first).

    Two quotations are the same when their folded words are equal or when
    most word triples of the shorter one appear in the longer one (outlets
    trim and splice quotes: `nous en discutons (…) il y a aussi`).
    """
    groups: list[list[tuple[Carrier, Quote]]] = []
    shingles: list[set[str]] = []
    index: dict[str, list[int]] = {}
    for carrier, quote in items:
        if not shown(quote):
            continue
        mine = _shingles(quote.text)
        counts: dict[int, int] = {}
        for shingle in mine:
            for g in index.get(shingle, ()):
                counts[g] = counts.get(g, 0) + 1
        best = next(
            (g for g, n in sorted(counts.items()) if n >= 0.6 * min(len(mine), len(shingles[g]))),
            None,
        )
        if best is None:
            best = len(groups)
            groups.append([])
            shingles.append(set())
        groups[best].append((carrier, quote))
        shingles[best] |= mine
        for shingle in mine:
            slots = index.setdefault(shingle, [])
            if best not in slots and len(slots) < MAX_SHARED:
                slots.append(best)
    merged = []
    for group in groups:
        carriers: list[Carrier] = []
        for carrier, _ in group:
            if carrier not in carriers:
                carriers.append(carrier)
        names = [q.speaker for _, q in group if q.speaker is not None]
        merged.append(StoryQuote(group[0][1].text, _same_speaker(names), tuple(carriers)))
    return tuple(merged)
