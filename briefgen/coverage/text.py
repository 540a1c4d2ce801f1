"""Plain text for the coverage analyses: the input record, words, names and sentences.

Everything here is a pure function of its arguments. Patterns are single
character classes or a word followed by separator-led repeats, so that no
regular expression here can backtrack more than linearly on hostile input.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import unescape

from markdown_it import MarkdownIt


@dataclass(frozen=True, slots=True)
class Doc:
    """What the coverage analyses read of one entry: plain data, no HTML.

    `outlet` is None when the entry names no outlet; `paragraphs` are the
    body's paragraphs as plain text (see `paragraphs_from_markdown`).
    """

    key: str  # the entry's slug
    outlet: str | None
    lang: str
    title: str
    instant: float  # POSIX timestamp
    day: date  # the day in the site's time zone
    url: str  # the original article
    paragraphs: tuple[str, ...]

    @property
    def source(self) -> str:
        """Who counts as one outlet: its name, or the entry itself when it names none."""
        return self.outlet if self.outlet else f"\x00{self.key}"


def word_set(text: str) -> frozenset[str]:
    """The words of a literal list written as one string."""
    return frozenset(text.split())


# A word: letters or digits, with inner hyphens and apostrophes (Jong-un, aujourd'hui, l’ONU).
WORD = re.compile(r"\w+(?:[-'’]\w+)*")
# Sentence ends: a run of closing punctuation, then optional closing quotes and brackets.
SENTENCE_END = re.compile(r"[.!?…]+[»”\"’)\]]*")
WHITESPACE = re.compile(r"\s+")
FOLD_WORD = re.compile(r"[^\W_]+")
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

# Capital letters of the alphabets news is written in (Latin, Greek, Cyrillic, Armenian…).
CAPITALS = "".join(sorted({c for c in map(chr, range(0x2000)) if c.isupper()}))
CAPITAL = "[" + re.escape(CAPITALS) + "]"
SPACES = "[ \u00a0\u202f]+"
CAPITAL_WORD = CAPITAL + r"\w*(?:[-'’]\w+)*"
# Capitalised words in a row: `Kim Jong-un`, `Vladimir Poutine` (one word after another, no
# punctuation between). Each repeat must start with a space then a capital: no backtracking.
CAPITAL_RUN = re.compile(rf"(?<![\w'’-]){CAPITAL_WORD}(?:{SPACES}{CAPITAL_WORD})*")
SENTENCE_MARKS = frozenset('.!?…«“"—–:')

ABBREVIATIONS = word_set(
    "m mm mme mmes mlle mr mrs ms dr st sr jr gen gén col lt sgt prof mgr no nº vol art etc"
    " cf env p pp av apr j.-c"
)

STOPWORDS = word_set("""
    a à au aux avec ce ces cet cette dans de des du elle elles en et eux il ils je la le les leur
    leurs lui ma mais me même mes moi mon ne nos notre nous on ou où par pas pour qu que qui sa se
    ses son sur ta te tes toi ton tu un une vos votre vous y été être avoir ont est sont était
    sera fait plus très aussi comme dont lors alors ainsi après avant entre selon depuis sans sous
    contre vers chez tout tous toute toutes cela ceci ça si non oui deux trois
    the of and to in for on at by with from as is are was were be been has have had it its this
    that these those an or but not no he she they we you his her their our your them him who
    which what when where while about after before over into than then there also would could
    said says will can may one two three
    """)


def paragraphs_from_markdown(source: str) -> tuple[str, ...]:
    """The text of each paragraph, heading and list item of a Markdown body, markup removed.

    Inline code and link text are kept as text; images keep their alt text;
    raw HTML is dropped. The result is what the reader reads, so that an
    extract from it can be quoted verbatim.
    """
    md = MarkdownIt("commonmark", {"html": False})
    out: list[str] = []
    for token in md.parse(source):
        if token.type != "inline" or not token.children:
            continue
        parts: list[str] = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif child.type == "image":
                parts.append(child.content)
        text = WHITESPACE.sub(" ", "".join(parts)).strip()
        if text:
            out.append(text)
    return tuple(out)


BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|td|th|dt|dd|pre|figcaption)>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")


def paragraphs_from_html(html: str) -> tuple[str, ...]:
    """The text of each block of a rendered body: what `paragraphs_from_markdown` gives."""
    out = []
    for block in BLOCK_END.split(html):
        text = WHITESPACE.sub(" ", unescape(TAG.sub(" ", block))).strip()
        if text:
            out.append(text)
    return tuple(out)


def fold(text: str) -> str:
    """Case, accents, apostrophes and hyphens folded away: the key two spellings share."""
    low = text.casefold()
    if not low.isascii():
        low = COMBINING.sub("", unicodedata.normalize("NFKD", low))
    return " ".join(FOLD_WORD.findall(low))


FOLDED_STOPWORDS = frozenset(fold(word) for word in STOPWORDS)


def words(text: str) -> list[str]:
    return [m.group() for m in WORD.finditer(text)]


def content_terms(text: str) -> list[str]:
    """Folded words that carry meaning: no stop words, no numbers, no short words.

    A final s or x is dropped from longer words, so that plurals meet singulars.
    """
    return [
        part[:-1] if len(part) > 4 and part[-1] in "sx" else part
        for part in fold(text).split()
        if len(part) > 2 and part not in FOLDED_STOPWORDS and not part.isdigit()
    ]


def starts_sentence(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence (or a quotation, or the text)."""
    i = pos - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in SENTENCE_MARKS


def is_capitalised(token: str) -> bool:
    """`Poutine`, `Jong-un`, `d’État` (an elided particle before a capital) are capitalised."""
    if not token:
        return False
    if token[0].isupper():
        return True
    return len(token) > 2 and token[1] in "'’" and token[0] in "dlDL" and token[2].isupper()


def _is_abbreviation(paragraph: str, end: int) -> bool:
    """Whether the full stop at `end` closes an abbreviation (M., Dr., J.), not a sentence."""
    start = end
    while start > 0 and (paragraph[start - 1].isalpha() or paragraph[start - 1] == "."):
        start -= 1
    word = paragraph[start:end].casefold()
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and paragraph[start].isupper()  # an initial: "John F. Kennedy"


def sentence_spans(paragraph: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph, so that each is a verbatim slice."""
    start = 0
    length = len(paragraph)
    for match in SENTENCE_END.finditer(paragraph):
        end = match.end()
        if end < length and not paragraph[end].isspace():
            continue  # 3.5, U.S., a link's dots
        if match.group() == "." and _is_abbreviation(paragraph, match.start()):
            continue
        nxt = end
        while nxt < length and paragraph[nxt].isspace():
            nxt += 1
        if nxt < length and paragraph[nxt].islower():
            continue  # "etc. et", "(…) il y a": the sentence goes on
        text_start = start
        while text_start < end and paragraph[text_start].isspace():
            text_start += 1
        if text_start < end:
            yield (text_start, end)
        start = end
    tail_start = start
    while tail_start < length and paragraph[tail_start].isspace():
        tail_start += 1
    if tail_start < length:
        yield (tail_start, length)
