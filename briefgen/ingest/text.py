"""Raw text copied from a web page -> `Article`.

The text is read line by line. The first line is the title (its repetition
is dropped); every other line is a paragraph unless a rule of `rules.py`
names it: furniture is dropped, metadata lines become front-matter fields.
Every dropped line is recorded with the name of the rule that dropped it, so
that the cleaning can be checked and explained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import tzinfo

from briefgen.diagnostics import quote
from briefgen.ingest.article import Article, missing_fields
from briefgen.ingest.dates import DateValue, date_from_url, find_prose_date, parse_date_line
from briefgen.ingest.lang import Declared, choose_language
from briefgen.ingest.rules import (
    BYLINE_NAME,
    BYLINE_PREFIXED,
    OUTLET_LINE,
    SOURCE_LINE,
    TAG_MENTIONS,
    TOPIC_MENTIONS,
    Rules,
    match_keywords,
    normalize_space,
)

TITLE_MAX = 200  # a longer first line is a paragraph, not a title
HEADING_MAX = 70  # a short line without final punctuation between paragraphs is a heading
TRAILER_LINES = 3  # outlet and byline lines are looked for among the last lines
SENTENCE_END = re.compile(r"[.!?…]$")
CLOSERS = "”»\"')]’ "


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line of the input
    text: str
    block: int  # index of the blank-line-separated block


@dataclass(frozen=True)
class Dropped:
    number: int
    rule: str
    text: str


@dataclass
class Cleaned:
    """What the cleaner found: the title, the body blocks and the metadata."""

    title: str = ""
    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("p" | "h", text)
    date: DateValue | None = None
    source_url: str = ""
    source_name: str = ""
    authors: list[str] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[str]:
        return [text for _kind, text in self.blocks]


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, spaces normalized, with their block index."""
    lines: list[Line] = []
    block = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = normalize_space(raw)
        if not stripped:
            block += 1
            continue
        lines.append(Line(number, stripped, block))
    return lines


def clean_text(text: str, rules: Rules, zone: tzinfo | None = None) -> Cleaned:
    """Apply the rules to raw text: the pure heart of the text importer."""
    result = Cleaned()
    lines = split_lines(text)
    if not lines:
        return result
    lines = _take_title(lines, result)
    spaced = _blank_line_paragraphs(lines)
    kept: list[Line] = []
    for line in lines:
        furniture = rules.furniture_rule(line.text)
        if furniture is not None:
            result.dropped.append(Dropped(line.number, furniture.name, line.text))
            if furniture.name == "photo-credit" and spaced and kept:
                previous = kept[-1]
                if previous.block == line.block:
                    kept.pop()
                    result.dropped.append(Dropped(previous.number, "photo-alt", previous.text))
            continue
        if _take_metadata(line, result, zone):
            continue
        kept.append(line)
    kept = _take_trailer(kept, result)
    kept = _take_leading_byline(kept, result)
    result.blocks = _blocks(kept)
    if result.date is None:
        _find_other_dates(result)
    return result


def _take_title(lines: list[Line], result: Cleaned) -> list[Line]:
    first = lines[0].text
    if len(first) > TITLE_MAX or SENTENCE_END.search(first.rstrip(CLOSERS)):
        # no title line: the first paragraph stays, its first sentence names the entry
        result.title = first_sentence(first)
        result.notes.append("no title line: the title is the first sentence")
        return lines
    result.title = first
    rest = lines[1:]
    for index, line in enumerate(rest[:2]):
        if line.text.casefold() == first.casefold():
            result.dropped.append(Dropped(line.number, "repeated-title", line.text))
            return rest[:index] + rest[index + 1 :]
    return rest


def first_sentence(paragraph: str, limit: int = 160) -> str:
    """The first sentence of `paragraph` without its full stop, cut at a word if long."""
    found = re.search(r"^(.+?[.!?…])(?=\s+[«“\"A-ZÀ-Ý0-9])", paragraph)
    sentence = found.group(1) if found else paragraph
    sentence = sentence.rstrip(".").strip()
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "…"
    return sentence


def _blank_line_paragraphs(lines: list[Line]) -> bool:
    """True when the text separates paragraphs with blank lines (most blocks are one line)."""
    sizes: dict[int, int] = {}
    for line in lines:
        sizes[line.block] = sizes.get(line.block, 0) + 1
    return sum(size == 1 for size in sizes.values()) * 2 >= len(sizes)


def _take_metadata(line: Line, result: Cleaned, zone: tzinfo | None) -> bool:
    source = SOURCE_LINE.matches(line.text)
    if source:
        if not result.source_url:
            result.source_url = source["url"].rstrip(".,;)")
        result.dropped.append(Dropped(line.number, SOURCE_LINE.name, line.text))
        return True
    value = parse_date_line(line.text, zone)
    if value is not None:
        if result.date is None:
            result.date = value
        result.dropped.append(Dropped(line.number, "date-line", line.text))
        return True
    return False


def _take_trailer(kept: list[Line], result: Cleaned) -> list[Line]:
    """Outlet and byline lines among the last lines of the text."""
    for _ in range(TRAILER_LINES):
        if len(kept) <= 1:
            break
        line = kept[-1]
        outlet = OUTLET_LINE.matches(line.text)
        byline = BYLINE_PREFIXED.matches(line.text) or BYLINE_NAME.matches(line.text)
        if outlet and not result.source_name:
            result.source_name = outlet["name"]
            result.dropped.append(Dropped(line.number, OUTLET_LINE.name, line.text))
        elif byline and not result.authors:
            result.authors = split_names(byline["name"])
            result.dropped.append(Dropped(line.number, "byline", line.text))
        else:
            break
        kept = kept[:-1]
    return kept


def _take_leading_byline(kept: list[Line], result: Cleaned) -> list[Line]:
    """'Par Jean Dupont' just under the title."""
    for index, line in enumerate(kept[:2]):
        byline = BYLINE_PREFIXED.matches(line.text)
        if byline and not result.authors:
            result.authors = split_names(byline["name"])
            result.dropped.append(Dropped(line.number, "byline", line.text))
            return kept[:index] + kept[index + 1 :]
    return kept


def split_names(names: str) -> list[str]:
    return [name.strip() for name in re.split(r"\s*(?:,|\bet\b|\band\b|&)\s*", names) if name]


def _blocks(kept: list[Line]) -> list[tuple[str, str]]:
    blocks: list[tuple[str, str]] = []
    for index, line in enumerate(kept):
        inner = line.text.rstrip(CLOSERS)
        between = 0 < index < len(kept) - 1
        is_heading = (
            between
            and len(line.text) <= HEADING_MAX
            and not re.search(r"[.!?…:;,]$", inner)
            and len(kept[index + 1].text) > 2 * len(line.text)
        )
        blocks.append(("h" if is_heading else "p", line.text))
    return blocks


def _find_other_dates(result: Cleaned) -> None:
    prose = find_prose_date(result.paragraphs)
    if prose is not None:
        result.date = prose[0]
        result.notes.append(f"date taken from the text ({quote(prose[1])})")
        return
    if result.source_url:
        from_url = date_from_url(result.source_url)
        if from_url is not None:
            result.date = from_url
            result.notes.append("date taken from the source URL")


# Markdown ---------------------------------------------------------------------

_INLINE = re.compile(r"([\\`*_\[\]<])")
_BLOCK_START = re.compile(r"^(#|>|[-+=|~]|\d+[.)](?=\s|$))")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that renders as the same text (no accidental markup)."""
    text = _INLINE.sub(r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    found = _BLOCK_START.match(text)
    if found:
        marker = found.group(1)
        digits = marker[0].isdigit()
        return marker[:-1] + "\\" + text[len(marker) - 1 :] if digits else "\\" + text
    return text


def unescape_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def blocks_to_markdown(blocks: list[tuple[str, str]]) -> str:
    parts = [("## " if kind == "h" else "") + escape_markdown(text) for kind, text in blocks]
    return "\n\n".join(parts) + "\n" if parts else ""


# Article ----------------------------------------------------------------------


def text_to_article(
    text: str, rules: Rules, zone: tzinfo | None = None, *, default_lang: str = ""
) -> Article:
    """Raw text -> `Article`: cleaned body, found metadata, topics and tags by rule."""
    cleaned = clean_text(text, rules, zone)
    body = blocks_to_markdown(cleaned.blocks)
    plain = cleaned.title + "\n" + "\n".join(cleaned.paragraphs)
    return finish_article(
        title=cleaned.title,
        body=body,
        plain=plain,
        rules=rules,
        date_value=cleaned.date,
        source_url=cleaned.source_url,
        source_name=cleaned.source_name,
        authors=tuple(cleaned.authors),
        notes=tuple(cleaned.notes),
        default_lang=default_lang,
    )


def finish_article(
    *,
    title: str,
    body: str,
    plain: str,
    rules: Rules,
    date_value: DateValue | None,
    source_url: str = "",
    source_name: str = "",
    authors: tuple[str, ...] = (),
    summary: str = "",
    notes: tuple[str, ...] = (),
    default_lang: str = "",
    declared: tuple[Declared, ...] = (),
) -> Article:
    """The shared last step of every importer: outlet, language, topics, tags, gaps."""
    if source_url and not source_name:
        source_name = rules.outlet_for(source_url)
    choice = choose_language(plain, declared, default_lang)
    lang = choice.lang
    if choice.note:
        notes += (choice.note,)
    return Article(
        title=title,
        body_markdown=body,
        date=date_value,
        source_name=source_name,
        source_url=source_url,
        authors=authors,
        lang=lang,
        topics=match_keywords(plain, rules.topics, TOPIC_MENTIONS, lang),
        tags=match_keywords(plain, rules.tags, TAG_MENTIONS, lang),
        summary=summary,
        missing=missing_fields(
            date_value=date_value, source_name=source_name, source_url=source_url, authors=authors
        ),
        notes=notes,
    )
