"""What the coverage says: a story's lead, quotations, names, and attention over time.

Two steps, so that the costly one is cached per entry:

- `analyse(doc)` reads one entry (a `Doc`: plain data, no HTML) and returns
  its `EntryFacts`: quotations with speakers, lead candidates, names. It is a
  pure function of the entry (and of the recognizer's model, when given).
- `summarise(facts)` combines the facts of a story's entries into its
  `StoryCoverage`; it is cheap and runs whenever the story changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from briefgen.coverage.chart import Attention, attention
from briefgen.coverage.entities import Entity, Mention, Recognizer, mentions_of, rank_entities
from briefgen.coverage.lead import EntryLead, LeadSentence, choose_lead, entry_lead
from briefgen.coverage.quotes import Carrier, Quote, StoryQuote, extract_quotes, merge_quotes
from briefgen.coverage.text import Doc, paragraphs_from_html, paragraphs_from_markdown
from briefgen.model import Entry

__all__ = [
    "Attention",
    "Doc",
    "Entity",
    "EntryFacts",
    "LeadSentence",
    "StoryCoverage",
    "StoryQuote",
    "analyse",
    "doc_of",
    "paragraphs_from_html",
    "paragraphs_from_markdown",
    "summarise",
]


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What one entry contributes to its story's coverage; picklable, cacheable by entry."""

    key: str
    outlet: str | None
    lang: str
    source: str  # the outlet, or the entry itself when it names none
    instant: float
    day: date
    quotes: tuple[Quote, ...]
    lead: EntryLead
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class StoryCoverage:
    lead: tuple[LeadSentence, ...]
    quotes: tuple[StoryQuote, ...]
    entities: tuple[Entity, ...]
    attention: Attention


def doc_of(entry: Entry, paragraphs: tuple[str, ...]) -> Doc:
    """The coverage's view of an entry, given its body's plain paragraphs.

    `paragraphs_from_markdown(body)` or, cheaper when the body is already
    rendered, `paragraphs_from_html(html)`: both give the same text.
    """
    return Doc(
        key=entry.slug,
        outlet=entry.source_name or None,
        lang=entry.lang,
        title=entry.title,
        instant=entry.timestamp,
        day=entry.day,
        url=entry.source_url,
        paragraphs=paragraphs,
    )


def analyse(doc: Doc, recognizer: Recognizer | None = None) -> EntryFacts:
    return EntryFacts(
        key=doc.key,
        outlet=doc.outlet,
        lang=doc.lang,
        source=doc.source,
        instant=doc.instant,
        day=doc.day,
        quotes=extract_quotes(doc.paragraphs),
        lead=entry_lead(doc),
        mentions=mentions_of(doc, recognizer),
    )


def summarise(
    facts: Sequence[EntryFacts], *, unnamed: str = "", others: str = "Others"
) -> StoryCoverage:
    """A story's coverage from its entries' facts, given in any order: the result is the same."""
    ordered = sorted(facts, key=lambda f: (f.instant, f.key))
    carried = [(Carrier(f.key, f.outlet, f.lang), q) for f in ordered for q in f.quotes]
    speakers = [q.speaker for _, q in carried if q.speaker]
    return StoryCoverage(
        lead=choose_lead([f.lead for f in ordered]),
        quotes=merge_quotes(carried),
        entities=rank_entities([(f.source, f.mentions) for f in ordered], speakers),
        attention=attention([(f.outlet, f.day) for f in ordered], unnamed=unnamed, others=others),
    )
