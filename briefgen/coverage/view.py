"""A story's coverage as its page shows it: links, labels and the chart's markup.

Pure like the rest of the package: URLs, outlet labels and dates in the
page's language come in as functions, so that this module knows neither
`urls.py` nor the UI catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from briefgen.coverage import StoryCoverage, StoryQuote
from briefgen.coverage.chart import Attention, render_svg
from briefgen.coverage.entities import KINDS

EntryLink = Callable[[str], str]  # entry key -> URL of its page


@dataclass(frozen=True, slots=True)
class Link:
    label: str
    href: str


@dataclass(frozen=True, slots=True)
class LeadItem:
    text: str
    lang: str
    entry: Link  # the article's page, labelled with its outlet


@dataclass(frozen=True, slots=True)
class QuoteItem:
    text: str
    lang: str
    speaker: str | None
    carriers: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class NameItem:
    name: str
    sources: int
    elsewhere: tuple[Link, ...]  # other stories that name it


@dataclass(frozen=True, slots=True)
class ChartView:
    svg: str  # inline <svg> markup, escaped
    columns: tuple[tuple[str, str], ...]  # (ISO date, label) of each column
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # (outlet, counts, total)
    totals: tuple[int, ...]
    total: int


@dataclass(frozen=True, slots=True)
class CoverageView:
    lead: tuple[LeadItem, ...]
    quotes: tuple[QuoteItem, ...]
    names: tuple[tuple[str, tuple[NameItem, ...]], ...]  # (kind, names), kinds in KINDS order
    chart: ChartView


@dataclass(frozen=True, slots=True)
class Labels:
    """The words and formats of the page's language."""

    unnamed: str  # an entry without an outlet
    chart_title: str
    chart_desc: Callable[[Attention], str]
    day: Callable[[date], str]
    bar: Callable[[str, date, int], str]


def chart_view(figures: Attention, ident: str, labels: Labels) -> ChartView:
    svg = render_svg(
        figures,
        ident=ident,
        title=labels.chart_title,
        desc=labels.chart_desc(figures),
        label=labels.day,
        bar_title=labels.bar,
    )
    return ChartView(
        svg=svg,
        columns=tuple((d.isoformat(), labels.day(d)) for d in figures.periods),
        rows=tuple(
            (outlet, row, sum(row))
            for outlet, row in zip(figures.outlets, figures.counts, strict=True)
        ),
        totals=figures.totals,
        total=figures.total,
    )


def ranked_quotes(quotes: Sequence[StoryQuote]) -> list[StoryQuote]:
    """Most carried first, then with a speaker, then whole sentences, then in order."""
    order = {id(q): i for i, q in enumerate(quotes)}
    return sorted(
        quotes,
        key=lambda q: (-len(q.carriers), q.speaker is None, len(q.text.split()) < 4, order[id(q)]),
    )


def coverage_view(
    coverage: StoryCoverage,
    *,
    ident: str,
    entry_link: EntryLink,
    labels: Labels,
    elsewhere: Mapping[str, Sequence[Link]] | None = None,
    max_quotes: int = 12,
    max_names: int = 12,
) -> CoverageView:
    """`elsewhere` maps an entity key to the other stories that name it."""
    lead = tuple(
        LeadItem(s.text, s.lang, Link(s.outlet or labels.unnamed, entry_link(s.key)))
        for s in coverage.lead
    )
    quotes = tuple(
        QuoteItem(
            q.text,
            q.carriers[0].lang,
            q.speaker,
            tuple(Link(c.outlet or labels.unnamed, entry_link(c.key)) for c in q.carriers),
        )
        for q in ranked_quotes(coverage.quotes)[:max_quotes]
    )
    others = elsewhere or {}
    names = tuple(
        (
            kind,
            tuple(
                NameItem(e.name, e.sources, tuple(others.get(e.key, ())))
                for e in coverage.entities
                if e.kind == kind
            )[:max_names],
        )
        for kind in KINDS
    )
    return CoverageView(
        lead, quotes, tuple(n for n in names if n[1]), chart_view(coverage.attention, ident, labels)
    )
